//! Fitting FSRS parameters to the candidate's own review history (for an `optimize` command). Pure: the
//! caller streams the review log in (from [`crate::store::Store::for_each_review`]) and stores the result.
use std::collections::HashMap;
use std::hash::Hash;

use fsrs::{FSRSItem, FSRSReview};

use super::card::Rating;
use super::scheduler::ScheduleError;

/// Builds FSRS training items from scheduled (non-cram) answers given in time order as
/// `(card key, rating, elapsed study days)`. As Anki does, each answer after a card's first becomes one item
/// (the card's history up to and including it) when it was made on a later day than the previous answer
/// (`elapsed > 0`): same-day answers are part of histories but are not predicted themselves. A card's first
/// answer always counts as `delta_t = 0`.
pub fn training_items<K: Eq + Hash>(
    answers: impl IntoIterator<Item = (K, Rating, u32)>,
) -> Vec<FSRSItem> {
    let mut histories: HashMap<K, Vec<FSRSReview>> = HashMap::new();
    let mut items = Vec::new();
    for (key, rating, elapsed) in answers {
        let history = histories.entry(key).or_default();
        let delta_t = if history.is_empty() { 0 } else { elapsed };
        history.push(FSRSReview {
            rating: u32::from(rating.as_u8()),
            delta_t,
        });
        if history.len() > 1 && delta_t > 0 {
            items.push(FSRSItem {
                reviews: history.clone(),
            });
        }
    }
    items
}

/// Fits FSRS-6 parameters (21 values) to `items`. CPU-heavy (seconds for thousands of items); run it outside
/// the study loop. No history at all is an error that says so; with only a few items (under 8) the crate
/// returns its defaults, under 64 only the initial stabilities are fitted.
pub fn fit_parameters(items: Vec<FSRSItem>) -> Result<Vec<f32>, ScheduleError> {
    let count = items.len();
    if count == 0 {
        return Err(ScheduleError::NotEnoughHistory { items: 0 });
    }
    let input = fsrs::ComputeParametersInput {
        train_set: items,
        ..fsrs::ComputeParametersInput::default()
    };
    match fsrs::compute_parameters(input) {
        Ok(parameters) => Ok(parameters),
        Err(fsrs::FSRSError::NotEnoughData) => {
            Err(ScheduleError::NotEnoughHistory { items: count })
        }
        Err(e) => Err(ScheduleError::Optimize {
            items: count,
            reason: format!("{e:?}"),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn review(rating: u32, delta_t: u32) -> FSRSReview {
        FSRSReview { rating, delta_t }
    }

    #[test]
    fn items_are_per_card_prefixes_ending_in_a_later_day_answer() {
        let answers = [
            ("a", Rating::Good, 0),
            ("b", Rating::Again, 0),
            ("a", Rating::Good, 0), // same day: history only
            ("b", Rating::Good, 0),
            ("a", Rating::Hard, 3),
            ("b", Rating::Easy, 1),
            ("a", Rating::Again, 9),
            ("c", Rating::Good, 5), // first answer of c: delta_t forced to 0, no item
        ];
        let items = training_items(answers);
        let got: Vec<Vec<FSRSReview>> = items.into_iter().map(|i| i.reviews).collect();
        assert_eq!(
            got,
            [
                vec![review(3, 0), review(3, 0), review(2, 3)],
                vec![review(1, 0), review(3, 0), review(4, 1)],
                vec![review(3, 0), review(3, 0), review(2, 3), review(1, 9)],
            ]
        );
    }

    #[test]
    fn no_history_is_a_clear_error() {
        let err = fit_parameters(Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not enough review history to fit FSRS parameters (0 usable reviews): keep studying for a few weeks and try again; the default parameters are used meanwhile"
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod fit_tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::*;
    use crate::schedule::{CardState, Scheduler, SchedulerConfig};

    /// Simulates a learner whose recall follows FSRS with default parameters, then fits parameters to the log.
    #[test]
    fn fitted_parameters_from_a_simulated_history_are_usable() {
        let s = Scheduler::new(SchedulerConfig {
            learning_steps: vec![],
            relearning_steps: vec![],
            ..SchedulerConfig::default()
        })
        .unwrap();
        let mut rng = StdRng::seed_from_u64(11);
        let start: jiff::Timestamp = "2026-01-05T10:00:00Z".parse().unwrap();
        let mut answers = Vec::new();
        for card_id in 0..400u32 {
            let mut card = CardState::new();
            let mut now = start;
            for _ in 0..6 {
                let rating = if card.reps == 0 {
                    Rating::Good
                } else {
                    let elapsed = f64::from(s.elapsed_days(card.last_review, now));
                    let stability = card.stability.unwrap();
                    let r = (1.0 + 19.0 / 81.0 * elapsed / stability).powf(-0.5);
                    if rng.random::<f64>() < r {
                        Rating::Good
                    } else {
                        Rating::Again
                    }
                };
                let outcome = s.answer(&card, rating, now, &mut rng).unwrap();
                answers.push((card_id, rating, outcome.elapsed_days));
                card = outcome.card;
                now = card.due.unwrap();
            }
        }
        let items = training_items(answers);
        assert_eq!(items.len(), 400 * 5);
        let parameters = fit_parameters(items).unwrap();
        assert_eq!(parameters.len(), 21);
        assert_ne!(
            parameters,
            fsrs::DEFAULT_PARAMETERS.to_vec(),
            "the history moved the parameters"
        );
        assert!(parameters.iter().all(|p| p.is_finite()));
        assert!(
            Scheduler::new(SchedulerConfig {
                parameters,
                ..SchedulerConfig::default()
            })
            .is_ok()
        );
    }
}

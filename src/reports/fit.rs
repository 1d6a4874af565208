//! Fitting FSRS parameters to a review log: turns logged reviews into the `fsrs` crate's items (through
//! [`training_items`], the one conversion), runs its optimiser, and measures log loss and RMSE before and after on the same reviews. Also a simulated learner
//! whose memory follows known parameters, to show the optimiser finds a better fit than the defaults.
//! Pure: the log, the time zone and the seed are parameters; nothing here reads the store.
use std::collections::HashMap;
use std::hash::Hash;

use fsrs::{
    ComputeParametersInput, DEFAULT_PARAMETERS, FSRS, FSRSError, FSRSItem, MemoryState,
    compute_parameters, current_retrievability,
};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use crate::review::Review;
use crate::schedule::{Rating, State, training_items};

/// How many training items (reviews on a later day than the same card's previous review) the `fsrs`
/// crate needs before it trains every parameter: `compute_parameters` returns the defaults below 8 and
/// fits only the four initial stabilities below 64 (fsrs 6.6 `training.rs`).
pub const MIN_TRAINING_ITEMS: usize = 64;

/// Log loss and RMSE (binned) of a set of parameters on the review log.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub log_loss: f32,
    pub rmse_bins: f32,
}

/// The result of a run of the optimiser.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Reviews in the log.
    pub reviews: usize,
    /// Training items built from them.
    pub items: usize,
    /// The parameters before (those passed in) and their fit.
    pub before: Metrics,
    /// The fitted parameters and their fit on the same reviews.
    pub after: Metrics,
    pub parameters: Vec<f32>,
}

/// What `optimize` decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Too few training items: nothing was fitted.
    NotEnoughData {
        items: usize,
        needed: usize,
    },
    Optimized(Report),
}

/// A card in [`log_answers`]: deck id and card id.
pub type CardIds<'a> = (&'a str, &'a str);

/// The log as `((deck, card), rating, elapsed days)` in time order, ready for [`training_items`]: days are
/// civil dates in `tz` and `elapsed` counts them since the same card's previous review (0 for its first),
/// whatever the log's own `elapsed_days` say (a log from elsewhere may count days differently).
pub fn log_answers<'a>(log: &'a [Review], tz: &TimeZone) -> Vec<(CardIds<'a>, Rating, u32)> {
    let mut order: Vec<&Review> = log.iter().collect();
    order.sort_by_key(|r| r.time);
    let mut last_day: HashMap<CardIds<'a>, Date> = HashMap::new();
    order
        .into_iter()
        .map(|review| {
            let card = (review.deck.as_str(), review.card.as_str());
            let day = tz.to_datetime(review.time).date();
            let elapsed = last_day.insert(card, day).map_or(0, |before| {
                u32::try_from((day - before).get_days()).unwrap_or(0)
            });
            (card, review.rating, elapsed)
        })
        .collect()
}

/// Evaluates `parameters` on `items`.
pub fn evaluate(parameters: &[f32], items: &[FSRSItem]) -> Result<Metrics, FSRSError> {
    let model = FSRS::new(parameters)?;
    let eval = model.evaluate(items.to_vec(), |_| true)?;
    Ok(Metrics {
        log_loss: eval.log_loss,
        rmse_bins: eval.rmse_bins,
    })
}

/// Fits parameters to `log`, evaluating `current` and the fitted parameters on the same items.
/// Below [`MIN_TRAINING_ITEMS`] nothing is fitted.
pub fn optimize(log: &[Review], tz: &TimeZone, current: &[f32]) -> Result<Outcome, FSRSError> {
    optimize_answers(log_answers(log, tz), log.len(), current)
}

/// [`optimize`] on answers as [`training_items`] takes them (`(card, rating, elapsed days)` in time order);
/// `reviews` is reported as the log's size.
pub fn optimize_answers<K: Eq + Hash + Clone>(
    answers: impl IntoIterator<Item = (K, Rating, u32)>,
    reviews: usize,
    current: &[f32],
) -> Result<Outcome, FSRSError> {
    let keyed = training_items(answers);
    if keyed.len() < MIN_TRAINING_ITEMS {
        return Ok(Outcome::NotEnoughData {
            items: keyed.len(),
            needed: MIN_TRAINING_ITEMS,
        });
    }
    // The crate groups items by card when it splits them; any stable number per card will do.
    let mut numbers: HashMap<K, i64> = HashMap::new();
    let mut card_ids = Vec::with_capacity(keyed.len());
    let mut items = Vec::with_capacity(keyed.len());
    for (key, item) in keyed {
        let next = numbers.len() as i64;
        card_ids.push(*numbers.entry(key).or_insert(next));
        items.push(item);
    }
    let before = evaluate(current, &items)?;
    let parameters = compute_parameters(ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(card_ids),
        ..Default::default()
    })?;
    let after = evaluate(&parameters, &items)?;
    Ok(Outcome::Optimized(Report {
        reviews,
        items: items.len(),
        before,
        after,
        parameters,
    }))
}

/// The parameters portquiz starts with.
pub fn default_parameters() -> Vec<f32> {
    DEFAULT_PARAMETERS.to_vec()
}

/// A simulated learner for tests and demos: `cards` cards, `new_per_day` introduced each day for `days`
/// days, every due card reviewed on its due day at 09:00 UTC. Recall happens with probability equal to the
/// retrievability under `truth` (the learner's real memory); a recalled card is rated hard, good or easy
/// (15/70/15 %), a forgotten one again. Intervals come from `truth` at 90 % retention, jittered ±20 %.
pub fn simulated_learner(
    truth: &[f32],
    cards: usize,
    new_per_day: usize,
    days: u32,
    start: Date,
    seed: u64,
) -> Result<Vec<Review>, FSRSError> {
    let model = FSRS::new(truth)?;
    let decay = truth.get(20).copied().unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
    let mut rng = StdRng::seed_from_u64(seed);
    // (memory, last review day, due day)
    let mut state: Vec<Option<(MemoryState, u32, u32)>> = vec![None; cards];
    let mut introduced = 0usize;
    let mut log = Vec::new();
    for day in 0..days {
        let date = start
            .checked_add(jiff::Span::new().days(i64::from(day)))
            .map_err(|_| FSRSError::InvalidInput)?;
        let at = TimeZone::UTC
            .to_timestamp(date.at(9, 0, 0, 0))
            .map_err(|_| FSRSError::InvalidInput)?;
        let mut today: Vec<usize> = (0..introduced)
            .filter(|&c| matches!(state[c], Some((_, _, due)) if due <= day))
            .collect();
        let new_end = (introduced + new_per_day).min(cards);
        today.extend(introduced..new_end);
        introduced = new_end;
        for (n, card) in today.into_iter().enumerate() {
            let (rating, previous, elapsed) = match state[card] {
                None => {
                    let x: f32 = rng.random();
                    let rating = if x < 0.25 {
                        Rating::Again
                    } else if x < 0.35 {
                        Rating::Hard
                    } else if x < 0.85 {
                        Rating::Good
                    } else {
                        Rating::Easy
                    };
                    (rating, None, 0)
                }
                Some((memory, last, _)) => {
                    let elapsed = day - last;
                    let r = current_retrievability(memory, elapsed as f32, decay);
                    let recalled = rng.random::<f32>() < r;
                    let rating = if !recalled {
                        Rating::Again
                    } else {
                        let x: f32 = rng.random();
                        if x < 0.15 {
                            Rating::Hard
                        } else if x < 0.85 {
                            Rating::Good
                        } else {
                            Rating::Easy
                        }
                    };
                    (rating, Some(memory), elapsed)
                }
            };
            let next = model.next_states(previous, 0.9, elapsed)?;
            let chosen = match rating {
                Rating::Again => next.again,
                Rating::Hard => next.hard,
                Rating::Good => next.good,
                Rating::Easy => next.easy,
            };
            let jitter: f32 = rng.random_range(0.8..1.2);
            let interval = (chosen.interval * jitter).round().max(1.0) as u32;
            state[card] = Some((chosen.memory, day, day + interval));
            log.push(Review {
                id: i64::try_from(log.len()).unwrap_or(i64::MAX),
                deck: "sim".to_owned(),
                card: format!("card-{card}"),
                time: at
                    .checked_add(jiff::SignedDuration::from_secs(n as i64 * 20))
                    .map_err(|_| FSRSError::InvalidInput)?,
                rating,
                state_before: if previous.is_some() {
                    State::Review
                } else {
                    State::New
                },
                elapsed_days: elapsed,
                duration_ms: 0,
                cram: false,
            });
        }
    }
    Ok(log)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    use Rating::{Again, Good, Hard};

    fn review(card: &str, at: &str, rating: Rating) -> Review {
        Review::answered("ports", card, at, rating)
    }

    #[test]
    fn log_answers_count_civil_days_since_the_same_cards_last_review() {
        let mut other_deck = review("a", "2026-01-05T00:00:00Z", Hard);
        other_deck.deck = "sockets".into();
        let log = vec![
            review("a", "2026-01-01T09:00:00Z", Again),
            review("b", "2026-01-01T09:01:00Z", Good),
            review("a", "2026-01-01T09:10:00Z", Good),
            review("a", "2026-01-10T08:00:00Z", Again),
            review("a", "2026-01-03T23:59:00Z", Good), // out of order: sorted by time
            review("b", "2026-01-02T00:00:00Z", Hard),
            other_deck, // another deck's card `a`: its own first review
        ];
        assert_eq!(
            log_answers(&log, &TimeZone::UTC),
            vec![
                (("ports", "a"), Again, 0),
                (("ports", "b"), Good, 0),
                (("ports", "a"), Good, 0),
                (("ports", "b"), Hard, 1),
                (("ports", "a"), Good, 2),
                (("sockets", "a"), Hard, 0),
                (("ports", "a"), Again, 7),
            ]
        );
    }

    #[test]
    fn days_follow_the_time_zone() {
        // 23:30 UTC on the 1st and 00:30 UTC on the 2nd are the same day in New York.
        let log = vec![
            review("a", "2026-01-01T23:30:00Z", Good),
            review("a", "2026-01-02T00:30:00Z", Good),
        ];
        let ny = TimeZone::get("America/New_York").unwrap();
        assert_eq!(log_answers(&log, &ny)[1].2, 0);
        assert_eq!(log_answers(&log, &TimeZone::UTC)[1].2, 1);
    }

    #[test]
    fn too_few_reviews_says_how_many_are_needed() {
        let log: Vec<Review> = (0..10)
            .flat_map(|c| {
                [
                    review(&format!("c{c}"), "2026-01-01T09:00:00Z", Good),
                    review(&format!("c{c}"), "2026-01-04T09:00:00Z", Good),
                ]
            })
            .collect();
        let outcome = optimize(&log, &TimeZone::UTC, &default_parameters()).unwrap();
        assert_eq!(
            outcome,
            Outcome::NotEnoughData {
                items: 10,
                needed: 64
            }
        );
    }

    /// A learner who forgets faster at first and keeps memories longer than the defaults assume.
    fn truth() -> Vec<f32> {
        let mut w = default_parameters();
        w[0] = 0.6;
        w[1] = 2.5;
        w[2] = 6.0;
        w[3] = 20.0;
        w[8] = 2.3;
        w[11] = 1.0;
        w[20] = 0.35;
        w
    }

    #[test]
    fn simulated_learner_is_reproducible() {
        let a = simulated_learner(&truth(), 30, 5, 20, date(2026, 1, 1), 7).unwrap();
        let b = simulated_learner(&truth(), 30, 5, 20, date(2026, 1, 1), 7).unwrap();
        assert_eq!(a, b);
        let c = simulated_learner(&truth(), 30, 5, 20, date(2026, 1, 1), 8).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn optimize_beats_the_defaults_on_a_simulated_learner() {
        let log = simulated_learner(&truth(), 1200, 12, 150, date(2026, 1, 1), 42).unwrap();
        assert!(log.len() >= 5_000, "only {} reviews", log.len());
        let Outcome::Optimized(report) =
            optimize(&log, &TimeZone::UTC, &default_parameters()).unwrap()
        else {
            panic!("not enough data from {} reviews", log.len());
        };
        assert_eq!(report.reviews, log.len());
        assert!(
            report.after.log_loss < report.before.log_loss,
            "{:?}",
            report
        );
        assert!(
            report.after.rmse_bins < report.before.rmse_bins,
            "{:?}",
            report
        );
        // The fit is about as good as the learner's true parameters on the same items.
        let items: Vec<FSRSItem> = training_items(log_answers(&log, &TimeZone::UTC))
            .into_iter()
            .map(|(_, item)| item)
            .collect();
        let truth_fit = evaluate(&truth(), &items).unwrap();
        assert!(
            report.after.log_loss < truth_fit.log_loss + 0.01,
            "{truth_fit:?} vs {report:?}"
        );
        assert_eq!(report.parameters.len(), 21);
        assert_ne!(report.parameters, default_parameters());
    }
}

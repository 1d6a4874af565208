//! Workload forecast: the expected reviews, new cards and time per day for the coming days, from the
//! `fsrs` crate's simulator run on the user's current cards plus the cards not seen yet.
//! Pure: parameters, cards and the seed come in; no store, no clock.
use std::sync::Arc;

use fsrs::{Card, FSRSError, SimulatorConfig, check_and_fill_parameters, simulate};
use serde::Serialize;

/// A card already studied, as the simulator needs it. Days are relative to today (day 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudiedCard {
    pub stability: f32,
    pub difficulty: f32,
    /// Days since the last review (0 for today).
    pub days_since_review: f32,
    /// Days until the card is due (0 or less: due today).
    pub due_in_days: f32,
    pub lapses: u32,
}

/// The forecast for one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Day {
    /// 0 is today.
    pub day: u32,
    /// Reviews of cards already learned.
    pub reviews: usize,
    /// New cards seen for the first time.
    pub new: usize,
    /// Expected time spent, in seconds.
    pub seconds: f32,
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Input<'a> {
    pub parameters: &'a [f32],
    pub desired_retention: f32,
    pub studied: &'a [StudiedCard],
    /// Cards never studied.
    pub unseen: usize,
    pub new_per_day: usize,
    pub days: usize,
    pub seed: u64,
}

/// Simulates the next `days` days. With no cards at all, every day is empty.
pub fn forecast(input: &Input) -> Result<Vec<Day>, FSRSError> {
    let days = input.days;
    let deck_size = input.studied.len() + input.unseen;
    if deck_size == 0 || days == 0 {
        return Ok((0..days)
            .map(|d| Day {
                day: d as u32,
                reviews: 0,
                new: 0,
                seconds: 0.0,
            })
            .collect());
    }
    let w = Arc::new(check_and_fill_parameters(input.parameters)?);
    let existing: Vec<Card> = input
        .studied
        .iter()
        .enumerate()
        .map(|(i, c)| Card {
            id: i as i64 + 1,
            difficulty: c.difficulty,
            stability: c.stability,
            last_date: -c.days_since_review.max(0.0),
            due: c.due_in_days.max(0.0),
            interval: c.due_in_days.max(0.0) + c.days_since_review.max(0.0),
            lapses: c.lapses,
            desired_retention: input.desired_retention,
            parameters: w.clone(),
        })
        .collect();
    let config = SimulatorConfig {
        deck_size,
        learn_span: days,
        // No daily time budget: the forecast shows the whole workload.
        max_cost_perday: f32::MAX,
        learn_limit: input.new_per_day,
        ..Default::default()
    };
    let result = simulate(
        &config,
        &w,
        input.desired_retention,
        Some(input.seed),
        Some(existing),
    )?;
    Ok((0..days)
        .map(|d| Day {
            day: d as u32,
            reviews: result.review_cnt_per_day.get(d).copied().unwrap_or(0),
            new: result.learn_cnt_per_day.get(d).copied().unwrap_or(0),
            seconds: result.cost_per_day.get(d).copied().unwrap_or(0.0),
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::reports::fit::default_parameters;

    fn input<'a>(
        w: &'a [f32],
        studied: &'a [StudiedCard],
        unseen: usize,
        per_day: usize,
    ) -> Input<'a> {
        Input {
            parameters: w,
            desired_retention: 0.9,
            studied,
            unseen,
            new_per_day: per_day,
            days: 30,
            seed: 1,
        }
    }

    #[test]
    fn nothing_to_study_is_an_empty_forecast() {
        let w = default_parameters();
        let days = forecast(&input(&w, &[], 0, 10)).unwrap();
        assert_eq!(days.len(), 30);
        assert!(
            days.iter()
                .all(|d| d.reviews == 0 && d.new == 0 && d.seconds == 0.0)
        );
    }

    #[test]
    fn new_cards_arrive_at_the_daily_limit_then_come_back_as_reviews() {
        let w = default_parameters();
        let days = forecast(&input(&w, &[], 25, 10)).unwrap();
        let new: Vec<usize> = days.iter().map(|d| d.new).collect();
        assert_eq!(&new[..4], &[10, 10, 5, 0]);
        assert_eq!(new.iter().sum::<usize>(), 25);
        assert_eq!(days[0].reviews, 0);
        assert!(days[1..].iter().map(|d| d.reviews).sum::<usize>() > 0);
        assert!(days[0].seconds > 0.0);
        // Same seed, same forecast.
        assert_eq!(days, forecast(&input(&w, &[], 25, 10)).unwrap());
    }

    #[test]
    fn a_studied_card_is_reviewed_on_its_due_day() {
        let w = default_parameters();
        let card = StudiedCard {
            stability: 5000.0,
            difficulty: 5.0,
            days_since_review: 10.0,
            due_in_days: 3.0,
            lapses: 0,
        };
        let days = forecast(&input(&w, &[card], 0, 10)).unwrap();
        let reviews: Vec<usize> = days.iter().map(|d| d.reviews).take(5).collect();
        assert_eq!(reviews, vec![0, 0, 0, 1, 0]);
        assert_eq!(days.iter().map(|d| d.new).sum::<usize>(), 0);
    }
}

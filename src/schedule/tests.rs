//! Tests of the scheduler: the FSRS-6 golden replay, steps, fuzz, caps, the queue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::{SignedDuration, Timestamp, ToSpan};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn no_steps_no_fuzz() -> SchedulerConfig {
    SchedulerConfig {
        learning_steps: vec![],
        relearning_steps: vec![],
        fuzz: false,
        ..SchedulerConfig::default()
    }
}

fn assert_rel(actual: f64, expected: f64, what: &str) {
    let rel = ((actual - expected) / expected).abs();
    assert!(
        rel < 1e-4,
        "{what}: got {actual}, expected {expected} (relative error {rel})"
    );
}

/// The reference replay from dependencies.md (py-fsrs 6.3.2 agrees to 4 decimals).
#[test]
fn golden_good_good_good_again_good_matches_reference() {
    let scheduler = Scheduler::new(no_steps_no_fuzz()).unwrap();
    let mut rng = StdRng::seed_from_u64(0);
    let ratings = [
        Rating::Good,
        Rating::Good,
        Rating::Good,
        Rating::Again,
        Rating::Good,
    ];
    let stability = [2.3065, 10.9643, 46.2803, 2.9326, 7.7782];
    let difficulty = [2.1181, 2.1112, 2.1043, 7.3900, 7.3778];
    let intervals = [2, 11, 46, 3, 8];
    let mut now = ts("2026-01-05T10:00:00Z");
    let mut card = CardState::new();
    for i in 0..ratings.len() {
        let outcome = scheduler.outcome(&card, ratings[i], now, None).unwrap();
        assert_eq!(
            outcome.interval_days,
            Some(intervals[i]),
            "interval after review {}",
            i + 1
        );
        card = scheduler.review(&card, ratings[i], now, &mut rng).unwrap();
        assert_eq!(card, outcome.card, "review and outcome agree without fuzz");
        assert_rel(
            card.stability.unwrap(),
            stability[i],
            &format!("stability after review {}", i + 1),
        );
        assert_rel(
            card.difficulty.unwrap(),
            difficulty[i],
            &format!("difficulty after review {}", i + 1),
        );
        assert_eq!(card.state, State::Review);
        assert_eq!(card.reps, u32::try_from(i + 1).unwrap());
        let due = card.due.unwrap();
        assert_eq!(
            scheduler.study_day(due),
            scheduler
                .study_day(now)
                .checked_add(i64::from(intervals[i]).days())
                .unwrap(),
            "due on the interval's study day"
        );
        // The next review happens on the due day, in the afternoon.
        now = due.checked_add(SignedDuration::from_hours(6)).unwrap();
    }
    assert_eq!(card.lapses, 1);
}

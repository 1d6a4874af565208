//! Tests of the scheduler: the FSRS-6 golden replay, steps, fuzz, caps, the queue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::date;
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
    let elapsed = [0, 2, 11, 46, 3];
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
        assert_eq!(
            outcome.elapsed_days,
            elapsed[i],
            "elapsed days at review {}",
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

fn default_no_fuzz() -> Scheduler {
    Scheduler::new(SchedulerConfig {
        fuzz: false,
        ..SchedulerConfig::default()
    })
    .unwrap()
}

fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

#[test]
fn new_card_runs_the_learning_steps() {
    let s = default_no_fuzz();
    let now = ts("2026-01-05T10:00:00Z");
    let new = CardState::new();
    let [again, hard, good, easy] = s.preview(&new, now).unwrap();
    assert_eq!(
        (again.card.state, again.card.step, again.card.due),
        (State::Learning, 0, Some(now + mins(1)))
    );
    // Hard on the first of two steps waits their mean: (1 + 10) / 2 = 5.5 min.
    assert_eq!(hard.card.due, Some(now + SignedDuration::from_secs(330)));
    assert_eq!((hard.card.state, hard.card.step), (State::Learning, 0));
    assert_eq!(
        (good.card.state, good.card.step, good.card.due),
        (State::Learning, 1, Some(now + mins(10)))
    );
    assert_eq!(good.interval_days, None);
    // Easy graduates at once with FSRS's easy interval (initial stability 8.2956 at retention 0.9).
    assert_eq!(
        (easy.card.state, easy.interval_days),
        (State::Review, Some(8))
    );
    assert_eq!(easy.card.due, Some(ts("2026-01-13T04:00:00Z")));
    for o in [&again, &hard, &good, &easy] {
        assert_eq!(o.card.reps, 1);
        assert_eq!(o.card.last_review, Some(now));
        assert!(o.card.stability.is_some() && o.card.difficulty.is_some());
    }
    assert_eq!(
        [
            again.label(now),
            hard.label(now),
            good.label(now),
            easy.label(now)
        ],
        ["1m", "6m", "10m", "8d"]
    );
}

#[test]
fn learning_card_graduates_after_the_last_step_with_a_same_day_review() {
    let s = default_no_fuzz();
    let mut rng = StdRng::seed_from_u64(1);
    let t0 = ts("2026-01-05T10:00:00Z");
    let step1 = s
        .review(&CardState::new(), Rating::Good, t0, &mut rng)
        .unwrap();
    let t1 = t0 + mins(10);
    // Hard on a later step repeats it; Again goes back to step 0.
    let repeat = s.review(&step1, Rating::Hard, t1, &mut rng).unwrap();
    assert_eq!(
        (repeat.state, repeat.step, repeat.due),
        (State::Learning, 1, Some(t1 + mins(10)))
    );
    let back = s.review(&step1, Rating::Again, t1, &mut rng).unwrap();
    assert_eq!(
        (back.state, back.step, back.due),
        (State::Learning, 0, Some(t1 + mins(1)))
    );
    let graduated = s.review(&step1, Rating::Good, t1, &mut rng).unwrap();
    assert_eq!(graduated.state, State::Review);
    assert_eq!(graduated.step, 0);
    assert_eq!(graduated.reps, 2);
    // Same-day review: FSRS-6 short-term stability update from the first answer's state.
    let fsrs = fsrs::FSRS::new(&[]).unwrap();
    let first = fsrs.next_states(None, 0.9, 0).unwrap().good.memory;
    let expected = fsrs.next_states(Some(first), 0.9, 0).unwrap().good;
    assert_rel(
        graduated.stability.unwrap(),
        f64::from(expected.memory.stability),
        "stability",
    );
    assert_rel(
        graduated.difficulty.unwrap(),
        f64::from(expected.memory.difficulty),
        "difficulty",
    );
    let days = expected.interval.round().max(1.0);
    assert_eq!(
        s.elapsed_days(Some(t1), graduated.due.unwrap()),
        u32::try_from(days as i64).unwrap()
    );
}

#[test]
fn review_lapse_goes_through_relearning() {
    let s = default_no_fuzz();
    let mut rng = StdRng::seed_from_u64(1);
    let t0 = ts("2026-01-05T10:00:00Z");
    let card = s
        .review(&CardState::new(), Rating::Easy, t0, &mut rng)
        .unwrap();
    let t1 = card.due.unwrap() + SignedDuration::from_hours(5);
    let lapsed = s.review(&card, Rating::Again, t1, &mut rng).unwrap();
    assert_eq!(
        (lapsed.state, lapsed.step, lapsed.lapses),
        (State::Relearning, 0, 1)
    );
    assert_eq!(lapsed.due, Some(t1 + mins(10)));
    assert!(lapsed.stability.unwrap() < card.stability.unwrap());
    let t2 = t1 + mins(10);
    // One relearning step: Hard waits 1.5x, Again restarts it, Good graduates.
    let [again, hard, good, _] = s.preview(&lapsed, t2).unwrap();
    assert_eq!(
        (again.card.state, again.card.due),
        (State::Relearning, Some(t2 + mins(10)))
    );
    assert_eq!(
        (hard.card.state, hard.card.due),
        (State::Relearning, Some(t2 + mins(15)))
    );
    assert_eq!(
        again.card.lapses, 1,
        "Again in relearning is not another lapse"
    );
    assert_eq!(good.card.state, State::Review);
    assert!(good.interval_days.unwrap() >= 1);
    assert!(good.card.due.unwrap() > t2);
}

#[test]
fn without_relearning_steps_a_lapse_stays_in_review() {
    let s = Scheduler::new(no_steps_no_fuzz()).unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let t0 = ts("2026-01-05T10:00:00Z");
    let card = s
        .review(&CardState::new(), Rating::Good, t0, &mut rng)
        .unwrap();
    let lapsed = s
        .review(&card, Rating::Again, card.due.unwrap(), &mut rng)
        .unwrap();
    assert_eq!((lapsed.state, lapsed.lapses), (State::Review, 1));
    assert!(lapsed.due.unwrap() > card.due.unwrap());
}

#[test]
fn review_intervals_are_ordered_hard_good_easy() {
    let s = default_no_fuzz();
    let card = CardState {
        state: State::Review,
        step: 0,
        stability: Some(0.3),
        difficulty: Some(9.9),
        due: Some(ts("2026-01-06T04:00:00Z")),
        reps: 5,
        lapses: 3,
        last_review: Some(ts("2026-01-05T10:00:00Z")),
    };
    let [_, hard, good, easy] = s.preview(&card, ts("2026-01-06T10:00:00Z")).unwrap();
    let (h, g, e) = (
        hard.interval_days.unwrap(),
        good.interval_days.unwrap(),
        easy.interval_days.unwrap(),
    );
    // FSRS alone gives 0.57, 0.75 and 1.15 days: all would round to 1.
    assert_eq!((h, g, e), (1, 2, 3));
}

#[test]
fn fuzz_is_reproducible_with_a_seed_and_stays_in_anki_bounds() {
    let s = Scheduler::new(SchedulerConfig::default()).unwrap();
    let unfuzzed = default_no_fuzz();
    let card = CardState {
        state: State::Review,
        step: 0,
        stability: Some(40.0),
        difficulty: Some(5.0),
        due: Some(ts("2026-02-14T04:00:00Z")),
        reps: 4,
        lapses: 0,
        last_review: Some(ts("2026-01-05T10:00:00Z")),
    };
    let now = ts("2026-02-14T09:00:00Z");
    let base = unfuzzed
        .outcome(&card, Rating::Good, now, None)
        .unwrap()
        .interval_days
        .unwrap();
    let (lower, upper) = fuzz_bounds(f64::from(base), 1, 36500);
    assert!(
        upper - lower >= 4,
        "a {base}-day interval has a wide fuzz range ({lower}..={upper})"
    );
    let run = |seed| {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..50)
            .map(|_| {
                let card = s.review(&card, Rating::Good, now, &mut rng).unwrap();
                s.elapsed_days(Some(now), card.due.unwrap())
            })
            .collect::<Vec<u32>>()
    };
    let first = run(42);
    assert_eq!(first, run(42), "same seed, same intervals");
    assert_ne!(first, run(43), "another seed, other intervals");
    // Every draw lies in the unrounded interval's range (within a day of the rounded one's).
    let (lo, hi) = (lower.saturating_sub(1), upper + 1);
    assert!(
        first.iter().all(|d| (lo..=hi).contains(d)),
        "{first:?} within {lo}..={hi}"
    );
    let distinct: std::collections::BTreeSet<_> = first.iter().collect();
    assert!(distinct.len() >= 3, "fuzz spreads intervals: {distinct:?}");
}

#[test]
fn short_intervals_are_not_fuzzed() {
    let s = Scheduler::new(SchedulerConfig {
        learning_steps: vec![],
        ..SchedulerConfig::default()
    })
    .unwrap();
    let now = ts("2026-01-05T10:00:00Z");
    for seed in 0..20 {
        let mut rng = StdRng::seed_from_u64(seed);
        // Good on a new card: stability 2.3065 -> 2 days, under 2.5: never fuzzed.
        let card = s
            .review(&CardState::new(), Rating::Good, now, &mut rng)
            .unwrap();
        assert_eq!(card.due, Some(ts("2026-01-07T04:00:00Z")), "seed {seed}");
    }
}

#[test]
fn interview_date_caps_every_interval() {
    let until = date(2026, 1, 10);
    let s = Scheduler::new(SchedulerConfig {
        until: Some(until),
        ..SchedulerConfig::default()
    })
    .unwrap();
    let mature = CardState {
        state: State::Review,
        step: 0,
        stability: Some(200.0),
        difficulty: Some(3.0),
        due: Some(ts("2026-01-05T04:00:00Z")),
        reps: 9,
        lapses: 0,
        last_review: Some(ts("2025-06-01T10:00:00Z")),
    };
    let now = ts("2026-01-05T10:00:00Z");
    for seed in 0..20 {
        let mut rng = StdRng::seed_from_u64(seed);
        for rating in [Rating::Hard, Rating::Good, Rating::Easy] {
            let card = s.review(&mature, rating, now, &mut rng).unwrap();
            assert!(
                s.study_day(card.due.unwrap()) <= until,
                "{rating} seed {seed}: {:?}",
                card.due
            );
        }
    }
    assert_eq!(
        s.preview(&mature, now).unwrap()[3].card.due,
        Some(ts("2026-01-10T04:00:00Z"))
    );
    // On or after the interview day, cards still come back the next day.
    let late = ts("2026-01-12T10:00:00Z");
    assert_eq!(s.max_days(late), 1);
    assert_eq!(
        s.preview(&mature, late).unwrap()[3].card.due,
        Some(ts("2026-01-13T04:00:00Z"))
    );
}

#[test]
fn maximum_interval_caps_every_interval() {
    let s = Scheduler::new(SchedulerConfig {
        maximum_interval_days: 20,
        ..SchedulerConfig::default()
    })
    .unwrap();
    let card = CardState {
        state: State::Review,
        stability: Some(500.0),
        difficulty: Some(2.0),
        due: Some(ts("2026-01-05T04:00:00Z")),
        last_review: Some(ts("2025-01-05T10:00:00Z")),
        ..CardState::new()
    };
    let now = ts("2026-01-05T10:00:00Z");
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..30 {
        let next = s.review(&card, Rating::Easy, now, &mut rng).unwrap();
        assert!(s.elapsed_days(Some(now), next.due.unwrap()) <= 20);
    }
}

#[test]
fn study_days_start_at_the_day_start_hour_in_the_time_zone() {
    let tz = jiff::tz::offset(-5).to_time_zone();
    let s = default_no_fuzz().with_time_zone(tz);
    // 23:00 and 03:00 local are the same study day (it starts at 04:00 local = 09:00Z).
    let evening = ts("2026-01-06T04:00:00Z"); // Jan 5, 23:00 local
    let night = ts("2026-01-06T08:00:00Z"); // Jan 6, 03:00 local
    let morning = ts("2026-01-06T09:00:00Z"); // Jan 6, 04:00 local
    assert_eq!(s.study_day(evening), date(2026, 1, 5));
    assert_eq!(s.study_day(night), date(2026, 1, 5));
    assert_eq!(s.study_day(morning), date(2026, 1, 6));
    assert_eq!(s.elapsed_days(Some(evening), night), 0);
    assert_eq!(s.elapsed_days(Some(evening), morning), 1);
    assert_eq!(s.elapsed_days(Some(morning), evening), 0, "never negative");
    assert_eq!(s.day_start(night).unwrap(), ts("2026-01-05T09:00:00Z"));
    assert_eq!(s.next_day_start(night).unwrap(), morning);
    // A 2-day interval from the evening is due at the start of Jan 7 local.
    let card = s
        .outcome(&CardState::new(), Rating::Good, evening, None)
        .unwrap();
    let s_nosteps = Scheduler::new(no_steps_no_fuzz())
        .unwrap()
        .with_time_zone(jiff::tz::offset(-5).to_time_zone());
    let graduated = s_nosteps
        .outcome(&CardState::new(), Rating::Good, evening, None)
        .unwrap();
    assert_eq!(card.card.state, State::Learning);
    assert_eq!(graduated.card.due, Some(ts("2026-01-07T09:00:00Z")));
}

#[test]
fn invalid_configurations_are_refused_with_a_hint() {
    let err = |config: SchedulerConfig| Scheduler::new(config).unwrap_err().to_string();
    let d = SchedulerConfig::default;
    assert_eq!(
        err(SchedulerConfig {
            desired_retention: 1.0,
            ..d()
        }),
        "desired retention 1 is out of range: use a value between 0.7 and 0.99 (0.9 is the default)"
    );
    assert_eq!(
        err(SchedulerConfig {
            learning_steps: vec![mins(0)],
            ..d()
        }),
        "learning step 0s is not a positive duration: use steps like 1m, 10m"
    );
    assert_eq!(
        err(SchedulerConfig {
            maximum_interval_days: 0,
            ..d()
        }),
        "the maximum interval must be at least 1 day (got 0)"
    );
    assert_eq!(
        err(SchedulerConfig {
            day_start_hour: 24,
            ..d()
        }),
        "the day start hour must be 0-23 (got 24)"
    );
    assert_eq!(
        err(SchedulerConfig {
            parameters: vec![1.0; 5],
            ..d()
        }),
        "the FSRS parameters (5 values) are invalid: InvalidParameters; give 19 or 21 finite values, or none for the defaults"
    );
    // Fitted parameters are accepted.
    let fitted: Vec<f32> = fsrs::DEFAULT_PARAMETERS.iter().map(|p| p * 1.01).collect();
    assert!(
        Scheduler::new(SchedulerConfig {
            parameters: fitted,
            ..d()
        })
        .is_ok()
    );
}

#[test]
fn labels_are_short_days_months_and_years() {
    let now = ts("2026-01-05T10:00:00Z");
    let outcome = |days| Outcome {
        rating: Rating::Good,
        card: CardState::new(),
        interval_days: Some(days),
        elapsed_days: 0,
    };
    assert_eq!(outcome(1).label(now), "1d");
    assert_eq!(outcome(29).label(now), "29d");
    assert_eq!(outcome(45).label(now), "1.5mo");
    assert_eq!(outcome(730).label(now), "2.0y");
}

fn at(state: State, due: &str) -> CardState {
    CardState {
        state,
        due: Some(ts(due)),
        stability: Some(3.0),
        difficulty: Some(5.0),
        ..CardState::new()
    }
}

#[test]
fn queue_orders_learning_then_most_overdue_reviews_then_new() {
    let now = ts("2026-01-10T12:00:00Z");
    let cards = vec![
        ("new-1", CardState::new()),
        ("rev-late", at(State::Review, "2026-01-10T04:00:00Z")),
        ("learn-2", at(State::Learning, "2026-01-10T11:59:00Z")),
        ("rev-future", at(State::Review, "2026-01-11T04:00:00Z")),
        ("rev-oldest", at(State::Review, "2026-01-02T04:00:00Z")),
        ("new-2", CardState::new()),
        ("relearn-1", at(State::Relearning, "2026-01-10T11:00:00Z")),
        ("learn-ahead", at(State::Learning, "2026-01-10T12:10:00Z")),
        ("learn-later", at(State::Learning, "2026-01-10T13:00:00Z")),
        ("rev-mid", at(State::Review, "2026-01-08T04:00:00Z")),
    ];
    let queue = build_queue(
        cards.iter().map(|(k, c)| (k, c)),
        now,
        &QueueLimits::default(),
    );
    let order: Vec<(&str, QueueKind)> = queue.iter().map(|e| (e.key, e.kind)).collect();
    assert_eq!(
        order,
        [
            ("relearn-1", QueueKind::Learning),
            ("learn-2", QueueKind::Learning),
            ("rev-oldest", QueueKind::Review),
            ("rev-mid", QueueKind::Review),
            ("rev-late", QueueKind::Review),
            ("new-1", QueueKind::New),
            ("new-2", QueueKind::New),
            ("learn-ahead", QueueKind::LearnAhead),
        ]
    );
    assert_eq!(
        next_due(cards.iter().map(|(_, c)| c), now),
        Some(ts("2026-01-10T12:10:00Z"))
    );
    let no_ahead = QueueLimits {
        learn_ahead: SignedDuration::ZERO,
        ..QueueLimits::default()
    };
    assert_eq!(
        build_queue(cards.iter().map(|(k, c)| (k, c)), now, &no_ahead).len(),
        7
    );
}

#[test]
fn queue_limits_count_what_was_done_today() {
    let now = ts("2026-01-10T12:00:00Z");
    let mut cards: Vec<(String, CardState)> = (0..5)
        .map(|i| (format!("new-{i}"), CardState::new()))
        .collect();
    cards.extend((0..5).map(|i| {
        (
            format!("rev-{i}"),
            at(State::Review, &format!("2026-01-0{}T04:00:00Z", 9 - i)),
        )
    }));
    cards.push(("learn".into(), at(State::Learning, "2026-01-10T11:00:00Z")));
    let limits = QueueLimits {
        new_per_day: 3,
        reviews_per_day: 4,
        new_done_today: 1,
        reviews_done_today: 1,
        ..QueueLimits::default()
    };
    let keys = |limits: &QueueLimits| -> Vec<String> {
        build_queue(cards.iter().map(|(k, c)| (k, c)), now, limits)
            .into_iter()
            .map(|e| e.key)
            .collect()
    };
    // Learning cards are never limited; 3 reviews (most overdue first) and 2 new cards remain for today.
    assert_eq!(
        keys(&limits),
        ["learn", "rev-4", "rev-3", "rev-2", "new-0", "new-1"]
    );
    let spent = QueueLimits {
        new_done_today: 5,
        reviews_done_today: 9,
        ..limits
    };
    assert_eq!(keys(&spent), ["learn"]);
}

#[test]
fn next_due_ignores_new_and_past_cards() {
    let now = ts("2026-01-10T12:00:00Z");
    let cards = [CardState::new(), at(State::Review, "2026-01-09T04:00:00Z")];
    assert_eq!(next_due(&cards, now), None);
    let cards = [
        at(State::Review, "2026-01-12T04:00:00Z"),
        at(State::Review, "2026-01-11T04:00:00Z"),
    ];
    assert_eq!(next_due(&cards, now), Some(ts("2026-01-11T04:00:00Z")));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any rating sequence at increasing times, with any seed and config shape: no panic, no error,
        /// due never before now, stability positive and finite, difficulty in 1..=10.
        #[test]
        fn any_ratings_at_increasing_times_keep_the_card_sane(
            steps in proptest::collection::vec((1u8..=4, 0i64..(400 * 86_400)), 1..40),
            seed: u64,
            no_steps: bool,
            until_days in proptest::option::of(0i64..400),
        ) {
            let start = ts("2026-01-05T10:00:00Z");
            let mut config = if no_steps { no_steps_no_fuzz() } else { SchedulerConfig::default() };
            config.fuzz = true;
            config.until = until_days.map(|d| date(2026, 1, 5).checked_add(d.days()).unwrap());
            let s = Scheduler::new(config).unwrap();
            let mut rng = StdRng::seed_from_u64(seed);
            let mut card = CardState::new();
            let mut now = start;
            for (rating, wait_secs) in steps {
                now += SignedDuration::from_secs(wait_secs);
                let rating = Rating::from_u8(rating).unwrap();
                let before = card.clone();
                card = s.review(&card, rating, now, &mut rng).unwrap();
                let due = card.due.unwrap();
                prop_assert!(due > now, "due {due} not after now {now}");
                let stability = card.stability.unwrap();
                prop_assert!(stability.is_finite() && stability > 0.0);
                let difficulty = card.difficulty.unwrap();
                prop_assert!((1.0..=10.0).contains(&difficulty), "difficulty {difficulty}");
                prop_assert_eq!(card.reps, before.reps + 1);
                prop_assert!(card.lapses >= before.lapses);
                if card.state == State::Review {
                    let days = s.elapsed_days(Some(now), due);
                    prop_assert!((1..=s.max_days(now)).contains(&days), "{days} days, max {}", s.max_days(now));
                }
            }
        }
    }
}

#[test]
fn dates_at_the_end_of_time_are_errors_not_panics() {
    let s = default_no_fuzz();
    let mut rng = StdRng::seed_from_u64(0);
    let now = ts("9999-12-30T12:00:00Z");
    let card = CardState {
        state: State::Review,
        stability: Some(100.0),
        difficulty: Some(5.0),
        due: Some(now),
        last_review: Some(ts("9999-09-01T12:00:00Z")),
        ..CardState::new()
    };
    let err = s.review(&card, Rating::Good, now, &mut rng).unwrap_err();
    assert!(
        matches!(err, ScheduleError::TimeOutOfRange { days, .. } if days > 1),
        "{err:?}"
    );
    // Learning steps from the last instant overflow too, as an error.
    let err = s
        .review(&CardState::new(), Rating::Again, Timestamp::MAX, &mut rng)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the instant 9999-12-30T22:00:00.999999999Z plus the step 1m is outside the supported range"
    );
}

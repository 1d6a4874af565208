//! The scheduler: FSRS-6 memory states from the `fsrs` crate, learning and relearning steps, fuzz, the
//! maximum interval and the interview cap.
//!
//! # Days
//! portquiz counts days as Anki does, in *study days*: a study day starts at `day_start_hour` (default 4:00,
//! Anki's default) in the scheduler's time zone (UTC unless [`Scheduler::with_time_zone`] says otherwise), so
//! a session after midnight still counts as the evening before.
//! - Elapsed days (what FSRS gets) = study day of `now` minus study day of the last review, never negative.
//!   Two answers on the same study day give 0, and FSRS-6 uses its short-term formula.
//! - A review interval of `n` days makes the card due at the *start* of the study day `n` days after today,
//!   so everything due "today" is available all day, and answering at any time on the due day gives
//!   exactly `n` elapsed days.
//! - A learning or relearning step is an exact duration (minutes) from `now`.
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

use super::card::{CardState, Rating, State};
use super::fuzz::fuzzed_days;
use crate::text::{Form, duration};

/// Everything that shapes the schedule. `Default` is portquiz's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SchedulerConfig {
    /// Probability of recall FSRS aims for when a card comes due (0 < r < 1). Default 0.9.
    pub desired_retention: f32,
    /// FSRS parameters (19 or 21 values); empty means the crate's FSRS-6 defaults.
    pub parameters: Vec<f32>,
    /// Learning steps for new cards. Default 1 min, 10 min. Empty: a new card goes straight to review.
    pub learning_steps: Vec<SignedDuration>,
    /// Relearning steps after a lapse. Default 10 min. Empty: a lapsed card stays in review.
    pub relearning_steps: Vec<SignedDuration>,
    /// No interval is longer than this many days. Default 36500.
    pub maximum_interval_days: u32,
    /// Whether review intervals are fuzzed (Anki's ranges; never under 2.5 days). Default true.
    pub fuzz: bool,
    /// The interview date: no card is due after this study day (`study --until`). Default none.
    pub until: Option<Date>,
    /// Hour (0-23, local to the scheduler's time zone) at which a study day starts. Default 4.
    pub day_start_hour: i8,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            desired_retention: 0.9,
            parameters: Vec::new(),
            learning_steps: vec![SignedDuration::from_mins(1), SignedDuration::from_mins(10)],
            relearning_steps: vec![SignedDuration::from_mins(10)],
            maximum_interval_days: 36500,
            fuzz: true,
            until: None,
            day_start_hour: 4,
        }
    }
}

/// Why a schedule could not be built or computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// Desired retention outside (0, 1).
    #[error(
        "desired retention {value} is out of range: use a value between 0.7 and 0.99 (0.9 is the default)"
    )]
    InvalidRetention {
        /// The rejected value.
        value: f32,
    },
    /// The `fsrs` crate refused the parameters.
    #[error(
        "the FSRS parameters ({count} values) are invalid: {reason}; give 19 or 21 finite values, or none for the defaults"
    )]
    InvalidParameters {
        /// How many values were given.
        count: usize,
        /// What the crate said.
        reason: String,
    },
    /// A parameter outside the range the FSRS optimiser keeps it in: the formulas divide by zero, overflow
    /// or loop on such values (21 zeros spun the simulator; 1e38 made it panic).
    #[error("FSRS parameter w[{index}] is {value}, outside the range FSRS allows ({min} to {max})")]
    ParameterOutOfRange {
        /// 0-based position in the list.
        index: usize,
        /// The rejected value.
        value: f32,
        /// The smallest value allowed.
        min: f32,
        /// The largest value allowed.
        max: f32,
    },
    /// A learning or relearning step that is not a positive duration.
    #[error("{which} step {step} is not a positive duration: use steps like 1m, 10m")]
    InvalidStep {
        /// `learning` or `relearning`.
        which: &'static str,
        /// The rejected step, as jiff prints it.
        step: String,
    },
    /// Maximum interval of 0 days.
    #[error("the maximum interval must be at least 1 day (got {days})")]
    InvalidMaximumInterval {
        /// The rejected value.
        days: u32,
    },
    /// Day start hour outside 0..=23.
    #[error("the day start hour must be 0-23 (got {hour})")]
    InvalidDayStartHour {
        /// The rejected value.
        hour: i8,
    },
    /// FSRS could not compute a next state (stored stability/difficulty not finite).
    #[error(
        "FSRS could not schedule this card (stability {stability:?}, difficulty {difficulty:?}): {reason}"
    )]
    Fsrs {
        /// Stored stability.
        stability: Option<f64>,
        /// Stored difficulty.
        difficulty: Option<f64>,
        /// What the crate said.
        reason: String,
    },
    /// A learning step from `now` leaves jiff's range.
    #[error("the instant {now} plus the step {step:#} is outside the supported range")]
    StepOutOfRange {
        /// The instant of the answer.
        now: Timestamp,
        /// The step.
        step: SignedDuration,
    },
    /// A study day whose start cannot be represented as an instant.
    #[error("the study day {day} is outside the supported range")]
    DayOutOfRange {
        /// The day.
        day: Date,
    },
    /// A date computation left jiff's range (year -9999..=9999).
    #[error("the date {now} plus {days} days is outside the supported range")]
    TimeOutOfRange {
        /// The instant the computation started from.
        now: Timestamp,
        /// The interval being added.
        days: i64,
    },
}

/// What one rating would do to a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The rating this outcome is for.
    pub rating: Rating,
    /// The card after the answer.
    pub card: CardState,
    /// The review interval in days, or `None` if the card stays (or goes) in a learning/relearning step.
    pub interval_days: Option<u32>,
    /// Study days since the card's previous review, as given to FSRS (0 for a new card or a same-day
    /// review): what the review log records.
    pub elapsed_days: u32,
}

impl Outcome {
    /// Short wait until due, for a grade button: `1m`, `10m`, `3d`, `2.1mo`, `1.4y`.
    pub fn label(&self, now: Timestamp) -> String {
        match (self.interval_days, self.card.due) {
            (Some(days), _) => duration(
                SignedDuration::from_hours(24 * i64::from(days)),
                Form::Short,
            ),
            (None, Some(due)) => duration(due.duration_since(now), Form::Short),
            (None, None) => String::from("now"),
        }
    }
}

/// Schedules cards. Build one per session from a [`SchedulerConfig`]; it holds the FSRS model.
#[derive(Debug, Clone)]
pub struct Scheduler {
    config: SchedulerConfig,
    fsrs: fsrs::FSRS,
    tz: TimeZone,
}

/// The range of each FSRS-6 parameter, as the `fsrs` crate's optimiser clamps them (its clipper is private):
/// initial stabilities from 0.001 to 100 days, difficulty from 1 to 10, and so on. `w[17]` and `w[18]` use
/// the ceiling for at most one relearning step.
const PARAMETER_RANGES: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

/// Checks each parameter against the range FSRS allows (NaN and infinities fail too). An empty list (the
/// defaults) passes; the count is the `fsrs` crate's to check.
pub fn check_parameters(parameters: &[f32]) -> Result<(), ScheduleError> {
    for (index, (&value, &(min, max))) in parameters.iter().zip(PARAMETER_RANGES.iter()).enumerate()
    {
        if !(min..=max).contains(&value) {
            return Err(ScheduleError::ParameterOutOfRange {
                index,
                value,
                min,
                max,
            });
        }
    }
    Ok(())
}

impl Scheduler {
    /// Checks the configuration and builds the FSRS model. Days are UTC study days until
    /// [`Scheduler::with_time_zone`] sets another zone.
    pub fn new(config: SchedulerConfig) -> Result<Scheduler, ScheduleError> {
        let r = config.desired_retention;
        if !(r > 0.0 && r < 1.0) {
            return Err(ScheduleError::InvalidRetention { value: r });
        }
        for (which, steps) in [
            ("learning", &config.learning_steps),
            ("relearning", &config.relearning_steps),
        ] {
            if let Some(step) = steps.iter().find(|s| !s.is_positive()) {
                return Err(ScheduleError::InvalidStep {
                    which,
                    step: format!("{step:#}"),
                });
            }
        }
        if config.maximum_interval_days == 0 {
            return Err(ScheduleError::InvalidMaximumInterval { days: 0 });
        }
        if !(0..=23).contains(&config.day_start_hour) {
            return Err(ScheduleError::InvalidDayStartHour {
                hour: config.day_start_hour,
            });
        }
        let count = config.parameters.len();
        if config.parameters.iter().any(|p| !p.is_finite()) {
            return Err(ScheduleError::InvalidParameters {
                count,
                reason: String::from("a value is not finite"),
            });
        }
        check_parameters(&config.parameters)?;
        let fsrs =
            fsrs::FSRS::new(&config.parameters).map_err(|e| ScheduleError::InvalidParameters {
                count,
                reason: format!("{e:?}"),
            })?;
        Ok(Scheduler {
            config,
            fsrs,
            tz: TimeZone::UTC,
        })
    }

    /// Counts study days in `tz` instead of UTC (e.g. `TimeZone::system()`).
    pub fn with_time_zone(mut self, tz: TimeZone) -> Scheduler {
        self.tz = tz;
        self
    }

    /// The configuration this scheduler was built from.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// The time zone study days are counted in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The study day `t` falls on (the civil date of `t - day_start_hour` in the scheduler's zone).
    pub fn study_day(&self, t: Timestamp) -> Date {
        // Saturating with a SignedDuration cannot fail; the fallback only satisfies the type.
        let shifted = t
            .saturating_sub(SignedDuration::from_hours(i64::from(
                self.config.day_start_hour,
            )))
            .unwrap_or(t);
        shifted.to_zoned_datetime(self.tz.clone()).date()
    }

    /// When study day `day` starts (its date at `day_start_hour` in the scheduler's zone).
    pub fn day_start_of(&self, day: Date) -> Result<Timestamp, ScheduleError> {
        let start = day.at(self.config.day_start_hour, 0, 0, 0);
        start
            .to_zoned_datetime(self.tz.clone())
            .map(|z| z.timestamp())
            .map_err(|_| ScheduleError::DayOutOfRange { day })
    }

    /// When the study day containing `now` started: answers since then count towards today's limits.
    pub fn day_start(&self, now: Timestamp) -> Result<Timestamp, ScheduleError> {
        self.day_start_of(self.study_day(now))
    }

    /// When the next study day starts (when daily limits reset).
    pub fn next_day_start(&self, now: Timestamp) -> Result<Timestamp, ScheduleError> {
        let tomorrow = self
            .study_day(now)
            .checked_add(1.day())
            .map_err(|_| ScheduleError::TimeOutOfRange { now, days: 1 })?;
        self.day_start_of(tomorrow)
    }

    /// Whole study days from the last review to `now` (0 if never reviewed or if `now` is earlier).
    pub fn elapsed_days(&self, last_review: Option<Timestamp>, now: Timestamp) -> u32 {
        let Some(last) = last_review else { return 0 };
        let days = self
            .study_day(last)
            .duration_until(self.study_day(now))
            .as_secs()
            / 86_400;
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    }

    /// The probability that the candidate recalls `card` at `now` (FSRS's retrievability), from its stability
    /// and the time since its last review; `None` for a card never answered.
    pub fn retrievability(&self, card: &CardState, now: Timestamp) -> Option<f64> {
        let (stability, difficulty, last) = (card.stability?, card.difficulty?, card.last_review?);
        let memory = fsrs::MemoryState {
            stability: stability as f32,
            difficulty: difficulty as f32,
        };
        let days = now.duration_since(last).as_secs_f64().max(0.0) / 86_400.0;
        let decay = self
            .config
            .parameters
            .get(20)
            .copied()
            .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        Some(f64::from(fsrs::current_retrievability(
            memory,
            days as f32,
            decay,
        )))
    }

    /// Answers `card` with `rating` at `now`. Fuzz (if enabled) draws one number from `rng`; the rest is
    /// deterministic. Never returns a card due before `now`.
    pub fn review(
        &self,
        card: &CardState,
        rating: Rating,
        now: Timestamp,
        rng: &mut impl Rng,
    ) -> Result<CardState, ScheduleError> {
        Ok(self.answer(card, rating, now, rng)?.card)
    }

    /// Like [`Scheduler::review`], but returns the whole [`Outcome`] (new state, interval, elapsed days for
    /// the review log).
    pub fn answer(
        &self,
        card: &CardState,
        rating: Rating,
        now: Timestamp,
        rng: &mut impl Rng,
    ) -> Result<Outcome, ScheduleError> {
        let fuzz_factor = self.config.fuzz.then(|| rng.random::<f64>());
        self.outcome(card, rating, now, fuzz_factor)
    }

    /// What each rating would do, without fuzz (the real answer may land a few days either side for
    /// intervals of 3 days or more). For grade labels such as `Good: 3d`.
    pub fn preview(&self, card: &CardState, now: Timestamp) -> Result<[Outcome; 4], ScheduleError> {
        Ok([
            self.outcome(card, Rating::Again, now, None)?,
            self.outcome(card, Rating::Hard, now, None)?,
            self.outcome(card, Rating::Good, now, None)?,
            self.outcome(card, Rating::Easy, now, None)?,
        ])
    }

    /// What `rating` does to `card` at `now`, with the given fuzz factor in `[0, 1)` (`None`: no fuzz).
    /// [`Scheduler::review`] is this with a factor from the rng when fuzz is enabled.
    pub fn outcome(
        &self,
        card: &CardState,
        rating: Rating,
        now: Timestamp,
        fuzz_factor: Option<f64>,
    ) -> Result<Outcome, ScheduleError> {
        let memory = memory_state(card);
        let elapsed = if memory.is_some() {
            self.elapsed_days(card.last_review, now)
        } else {
            0
        };
        let next = self
            .fsrs
            .next_states(memory, self.config.desired_retention, elapsed)
            .map_err(|e| ScheduleError::Fsrs {
                stability: card.stability,
                difficulty: card.difficulty,
                reason: format!("{e:?}"),
            })?;
        let item = match rating {
            Rating::Again => &next.again,
            Rating::Hard => &next.hard,
            Rating::Good => &next.good,
            Rating::Easy => &next.easy,
        };
        let mut out = CardState {
            state: card.state,
            step: card.step,
            stability: Some(f64::from(item.memory.stability)),
            difficulty: Some(f64::from(item.memory.difficulty)),
            due: card.due,
            reps: card.reps.saturating_add(1),
            lapses: card.lapses,
            last_review: Some(now),
        };

        // A card in a (re)learning step has no interval in days.
        let in_steps = |card: CardState| Outcome {
            rating,
            card,
            interval_days: None,
            elapsed_days: elapsed,
        };
        // Which steps the card runs through now, and from which step; None: it is (or goes) to review.
        let steps_from: Option<(&[SignedDuration], u32, State)> = match card.state {
            State::New => Some((&self.config.learning_steps, 0, State::Learning)),
            State::Learning => Some((&self.config.learning_steps, card.step, State::Learning)),
            State::Relearning => {
                Some((&self.config.relearning_steps, card.step, State::Relearning))
            }
            State::Review => {
                if rating == Rating::Again {
                    out.lapses = out.lapses.saturating_add(1);
                    if self.config.relearning_steps.is_empty() {
                        None
                    } else {
                        out.state = State::Relearning;
                        out.step = 0;
                        let wait = self.config.relearning_steps[0];
                        out.due = Some(add_wait(now, wait)?);
                        return Ok(in_steps(out));
                    }
                } else {
                    None
                }
            }
        };

        if let Some((steps, step, in_state)) = steps_from {
            // A step index past the (possibly shortened) list counts as the last step.
            let step = step.min(u32::try_from(steps.len().saturating_sub(1)).unwrap_or(0));
            let wait = step_wait(steps, step, rating);
            if let Some((wait, next_step)) = wait {
                out.state = in_state;
                out.step = next_step;
                out.due = Some(add_wait(now, wait)?);
                return Ok(in_steps(out));
            }
        }

        // Graduate to (or stay in) review with an FSRS interval.
        let max = self.max_days(now);
        let days = if card.state == State::Review && rating != Rating::Again {
            // As Anki: on a review card, Hard < Good < Easy, each at least a day longer than the one before
            // (unless the cap forbids), with the same fuzz factor for all three.
            let hard = fuzzed_days(f64::from(next.hard.interval), 1, max, fuzz_factor);
            let good = fuzzed_days(
                f64::from(next.good.interval),
                hard.saturating_add(1),
                max,
                fuzz_factor,
            );
            match rating {
                Rating::Hard => hard,
                Rating::Good => good,
                _ => fuzzed_days(
                    f64::from(next.easy.interval),
                    good.saturating_add(1),
                    max,
                    fuzz_factor,
                ),
            }
        } else {
            fuzzed_days(f64::from(item.interval), 1, max, fuzz_factor)
        };
        out.state = State::Review;
        out.step = 0;
        out.due = Some(self.due_after_days(now, days)?);
        Ok(Outcome {
            rating,
            card: out,
            interval_days: Some(days),
            elapsed_days: elapsed,
        })
    }

    /// The largest interval allowed at `now`: the maximum interval, and the interview cap (at least 1 day).
    pub fn max_days(&self, now: Timestamp) -> u32 {
        let mut max = self.config.maximum_interval_days.max(1);
        if let Some(until) = self.config.until {
            let left = self.study_day(now).duration_until(until).as_secs() / 86_400;
            let left = u32::try_from(left.max(1)).unwrap_or(u32::MAX);
            max = max.min(left);
        }
        max
    }

    /// Start of the study day `days` after the study day of `now`.
    fn due_after_days(&self, now: Timestamp, days: u32) -> Result<Timestamp, ScheduleError> {
        let day = self
            .study_day(now)
            .checked_add(i64::from(days).days())
            .map_err(|_| ScheduleError::TimeOutOfRange {
                now,
                days: i64::from(days),
            })?;
        self.day_start_of(day)
    }
}

/// The stored memory state, if the card has a usable one. A card with a missing or non-positive
/// stability or difficulty is scheduled as a first review rather than refused.
fn memory_state(card: &CardState) -> Option<fsrs::MemoryState> {
    if card.state == State::New {
        return None;
    }
    match (card.stability, card.difficulty) {
        (Some(s), Some(d)) if s > 0.0 && d > 0.0 => {
            // f64 -> f32: FSRS works in f32; stored values come from it.
            Some(fsrs::MemoryState {
                stability: s as f32,
                difficulty: d as f32,
            })
        }
        _ => None,
    }
}

/// The wait and the next step index for an answer in steps, or `None` when the card graduates.
/// As py-fsrs: Again restarts at step 0; Hard repeats the step (the first step waits 1.5x when it is the
/// only one, the mean of the first two otherwise); Good moves on (graduates after the last); Easy graduates.
fn step_wait(steps: &[SignedDuration], step: u32, rating: Rating) -> Option<(SignedDuration, u32)> {
    let first = *steps.first()?;
    let index = usize::try_from(step).unwrap_or(usize::MAX);
    match rating {
        Rating::Again => Some((first, 0)),
        Rating::Hard => {
            let wait = if step == 0 {
                match steps.get(1) {
                    Some(second) => (first + *second) / 2,
                    None => first.mul_f64(1.5),
                }
            } else {
                *steps.get(index)?
            };
            Some((wait, step))
        }
        Rating::Good => {
            let next = index.checked_add(1)?;
            steps.get(next).map(|wait| (*wait, step + 1))
        }
        Rating::Easy => None,
    }
}

fn add_wait(now: Timestamp, wait: SignedDuration) -> Result<Timestamp, ScheduleError> {
    now.checked_add(wait)
        .map_err(|_| ScheduleError::StepOutOfRange { now, step: wait })
}

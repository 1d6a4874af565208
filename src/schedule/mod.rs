//! Scheduling: FSRS-6 through the `fsrs` crate, learning and relearning steps, Anki-style interval fuzz,
//! the maximum interval and the interview cap, and the due queue.
//!
//! This module is pure: no file system, no SQL, no terminal, no clock and no global rng. The instant
//! (`now`) and the rng are parameters, so tests replay days exactly with fixed instants and a seeded rng
//! (`rand::rngs::StdRng::seed_from_u64`). Persisting [`CardState`] is [`crate::store`]'s job.
//!
//! Days are *study days* (see [`Scheduler`]): a day starts at 4:00 in the scheduler's time zone (UTC by
//! default); FSRS gets whole study days elapsed; a review interval of `n` days makes the card due at the start
//! of the study day `n` days later; learning steps are exact minutes. Use [`Scheduler::day_start`] as the
//! "since" of today's limit counts so the session and the schedule agree on what "today" is.
//!
//! ```
//! use portquiz::schedule::{CardState, Rating, Scheduler, SchedulerConfig};
//! use rand::SeedableRng;
//!
//! let scheduler = Scheduler::new(SchedulerConfig::default())?;
//! let now: jiff::Timestamp = "2026-01-05T10:00:00Z".parse()?;
//! let mut rng = rand::rngs::StdRng::seed_from_u64(7);
//! let card = scheduler.review(&CardState::new(), Rating::Good, now, &mut rng)?;
//! // Default learning steps are 1 min and 10 min: Good on a new card moves it to the 10 min step.
//! assert_eq!(card.due, Some("2026-01-05T10:10:00Z".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
mod card;
mod fuzz;
mod queue;
mod replay;
pub mod review;
mod scheduler;
mod training;

pub use card::{CardState, ParseRatingError, ParseStateError, Rating, State};
pub use fuzz::{fuzz_bounds, fuzz_delta, fuzzed_days};
pub use queue::{QueueEntry, QueueKind, QueueLimits, build_queue, next_due};
pub use replay::{Replayed, replay};
pub use scheduler::{Outcome, ScheduleError, Scheduler, SchedulerConfig, check_parameters};
pub use training::training_items;

#[cfg(test)]
mod tests;

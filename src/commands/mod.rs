//! One file per subcommand: each takes the [`crate::app::Env`] and its arguments and returns an exit code.
//! Output goes to stdout (results) and stderr (diagnostics, notices).

pub mod cards;
pub mod check;
pub mod completions;
pub mod config;
pub mod decks;
pub mod experiments;
pub mod export;
pub mod import;
pub mod library;
pub mod merge;
pub mod new;
pub mod optimize;
pub mod practicals;
pub mod progress;
pub mod reset;
pub mod schema;
pub mod simulate;
pub mod stats;
pub mod study;

use anyhow::{Context, Result};
use jiff::Timestamp;

use crate::schedule::Scheduler;
use crate::store::Store;

/// The scheduler with the stored settings ([`progress::scheduler`]), with the interview date taken from
/// `until` (`study --until`) when given.
pub fn scheduler(store: &Store, until: Option<&str>) -> Result<Scheduler> {
    let scheduler = progress::scheduler(store)?;
    let Some(text) = until else {
        return Ok(scheduler);
    };
    let date = text
        .trim()
        .parse::<jiff::civil::Date>()
        .with_context(|| format!("--until {text:?} is not a date like 2026-12-31"))?;
    let mut config = scheduler.config().clone();
    config.until = Some(date);
    Ok(Scheduler::new(config)?.with_time_zone(scheduler.time_zone().clone()))
}

/// Start of the current study day (the scheduler's day boundary): daily limits count from there.
pub fn day_start(scheduler: &Scheduler, now: Timestamp) -> Result<Timestamp> {
    Ok(scheduler.day_start(now)?)
}

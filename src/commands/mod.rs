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

use crate::app::Env;
use crate::schedule::{Scheduler, SchedulerConfig};
use crate::store::{Store, settings};

/// The scheduler with the stored settings (fitted parameters, desired retention), the interview date
/// (`until`, else the stored one) and the local time zone.
pub fn scheduler(_env: &Env, store: &Store, until: Option<&str>) -> Result<Scheduler> {
    let mut config = SchedulerConfig::default();
    if let Some(text) = store.setting(settings::DESIRED_RETENTION)? {
        config.desired_retention = text
            .trim()
            .parse()
            .with_context(|| format!("the stored desired retention {text:?} is not a number; set it again with `portquiz config`"))?;
    }
    if let Some(text) = store.setting(settings::FSRS_PARAMETERS)? {
        config.parameters = serde_json::from_str(&text)
            .with_context(|| "the stored FSRS parameters are unreadable; run `portquiz optimize` again or `portquiz config` to reset them")?;
    }
    let until = match until {
        Some(text) => Some(text.to_string()),
        None => store.setting(settings::INTERVIEW_DATE)?,
    };
    if let Some(text) = until {
        config.until = Some(text.trim().parse::<jiff::civil::Date>().with_context(|| {
            format!("the interview date {text:?} is not a date like 2026-12-31")
        })?);
    }
    Ok(Scheduler::new(config)?.with_time_zone(jiff::tz::TimeZone::system()))
}

/// Start of the current study day (the scheduler's day boundary): daily limits count from there.
pub fn day_start(scheduler: &Scheduler, now: Timestamp) -> Result<Timestamp> {
    Ok(scheduler.day_start(now)?)
}

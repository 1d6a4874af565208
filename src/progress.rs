//! Shared by the tool commands (stats, optimize, simulate, config, reset, export reviews, merge): opening
//! the store, building the scheduler from the stored settings, and turning store rows into the input
//! types of the reports and interchange modules. (The commands still open the store and read its rows
//! themselves where they need more than this.)
use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::env::Env;
use crate::schedule::{CardState, Scheduler, SchedulerConfig};
use crate::settings::{self as config, FSRS_PARAMETERS, Key};
use crate::store::Store;

/// Opens the progress database in the data dir.
pub fn open_store(env: &Env) -> Result<Store> {
    Ok(Store::open(env.db_path())?)
}

/// The FSRS parameters in use: the fitted ones stored by `optimize`, else the defaults (empty). Stored
/// values outside the ranges FSRS allows (edited by hand) are set aside with a warning, and the defaults
/// are used until `optimize` stores new ones.
pub fn stored_parameters(store: &Store) -> Result<Vec<f32>> {
    let Some(json) = store.setting(FSRS_PARAMETERS)? else {
        return Ok(Vec::new());
    };
    let parameters: Vec<f32> = serde_json::from_str(&json).with_context(|| {
        format!("the stored FSRS parameters are not a list of numbers ({json}); run `portquiz optimize` again")
    })?;
    if let Err(err) = crate::schedule::check_parameters(&parameters) {
        eprintln!(
            "warning: the stored FSRS parameters cannot be used: {err}; portquiz uses the default parameters until `portquiz optimize` fits new ones"
        );
        return Ok(Vec::new());
    }
    Ok(parameters)
}

/// The scheduler configured from the stored settings (desired retention, fitted parameters, interview
/// date), counting study days in the system time zone.
pub fn scheduler(store: &Store) -> Result<Scheduler> {
    let mut config = SchedulerConfig {
        parameters: stored_parameters(store)?,
        ..SchedulerConfig::default()
    };
    if let Some(r) =
        config::desired_retention(store.setting(Key::DesiredRetention.stored_as())?.as_deref())
    {
        config.desired_retention = r;
    }
    config.until =
        config::interview_date(store.setting(Key::InterviewDate.stored_as())?.as_deref());
    Ok(Scheduler::new(config)?.with_time_zone(TimeZone::system()))
}

/// Days (fractional) from `from` to `to`.
pub fn days(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() / 86_400.0
}

/// A card's current interval in days: from its last review to its due time (0 when unknown).
pub fn interval_days(state: &CardState) -> f64 {
    match (state.last_review, state.due) {
        (Some(last), Some(due)) => days(last, due).max(0.0),
        _ => 0.0,
    }
}

/// The scheduler with the stored settings ([`scheduler`]), with the interview date taken from
/// `until` (`study --until`) when given.
pub fn scheduler_until(store: &Store, until: Option<&str>) -> Result<Scheduler> {
    let scheduler = scheduler(store)?;
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

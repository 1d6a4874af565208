//! `portquiz config [get|set|unset KEY [VALUE]]`: the interview date and the desired retention, kept in
//! the store's settings. Without an action, lists every setting.
use anyhow::Result;

use crate::cli::{ConfigAction, ConfigArgs};
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::reports::interview_date;
use crate::settings::Key;
use crate::store::Store;
use crate::{library, progress};

/// One setting as `config --json` prints it: the stored text (`None` when unset) and the default.
#[derive(serde::Serialize)]
struct Setting {
    key: &'static str,
    value: Option<String>,
    default: Option<&'static str>,
}

#[derive(serde::Serialize)]
struct Settings {
    settings: Vec<Setting>,
}

/// Runs `portquiz config`.
pub fn run(env: &Env, args: &ConfigArgs) -> Result<Exit> {
    // Listing and getting only read: a data dir this user cannot write is read as it is.
    let store = match &args.action {
        None | Some(ConfigAction::Get { .. }) => Store::open_to_read(env.db_path())?,
        Some(_) => progress::open_store(env)?,
    };
    match &args.action {
        None if args.json => {
            let mut settings = Vec::new();
            for k in Key::ALL {
                settings.push(Setting {
                    key: k.name(),
                    value: store.setting(k.stored_as())?,
                    default: k.default_value(),
                });
            }
            write_json(std::io::stdout().lock(), &Settings { settings })?;
        }
        None => {
            for k in Key::ALL {
                let value = store.setting(k.stored_as())?;
                crate::outln!(
                    "{} = {}",
                    k.name(),
                    // A stored value may have been edited by hand: shown safe.
                    value.map_or_else(
                        || format!("{} (default)", k.default_text()),
                        |v| crate::safe::line(&v).into_owned()
                    )
                )?;
            }
        }
        &Some(ConfigAction::Get { key: k }) => match store.setting(k.stored_as())? {
            Some(v) => crate::outln!("{}", crate::safe::line(&v))?,
            None => crate::outln!("{} (default)", k.default_text())?,
        },
        Some(ConfigAction::Set { key: k, value }) => {
            let k = *k;
            match k.normalize(value) {
                Ok(v) => {
                    store.set_setting(k.stored_as(), &v)?;
                    crate::outln!("{} = {v}", k.name())?;
                    if k == Key::InterviewDate {
                        print_plan(env, &store)?;
                    }
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    return Ok(Exit::Failure);
                }
            }
        }
        &Some(ConfigAction::Unset { key: k }) => {
            let was = store.remove_setting(k.stored_as())?;
            crate::outln!(
                "{} {}: back to {}",
                k.name(),
                if was { "unset" } else { "was not set" },
                k.default_text()
            )?;
        }
    }
    Ok(Exit::Ok)
}

/// After setting an interview date: days left and whether the new cards fit at the default daily limit.
fn print_plan(env: &Env, store: &Store) -> Result<()> {
    let scheduler = progress::scheduler(store)?;
    let decks = library::load_decks(env)?;
    if let Some(text) = interview_plan(env, store, &scheduler, &decks, DEFAULT_NEW_PER_DAY)? {
        crate::outln!("{text}")?;
    }
    Ok(())
}

/// With an interview date set: the days left and whether the remaining new cards of `decks` fit at
/// `new_per_day`, and what limit would fit. `None` without an interview date.
pub fn interview_plan(
    env: &Env,
    store: &Store,
    scheduler: &crate::schedule::Scheduler,
    decks: &[crate::deck::Deck],
    new_per_day: u32,
) -> Result<Option<String>> {
    let Some(until) = scheduler.config().until else {
        return Ok(None);
    };
    let remaining = library::with_states(decks, store)?
        .iter()
        .filter(|c| c.state.state == crate::schedule::State::New)
        .count();
    let plan = interview_date::plan(
        scheduler.study_day(env.now),
        until,
        u32::try_from(remaining).unwrap_or(u32::MAX),
        new_per_day,
    );
    Ok(Some(interview_date::describe(&plan, until)))
}

/// `study`'s default daily new-card limit (`--new`).
const DEFAULT_NEW_PER_DAY: u32 = 10;

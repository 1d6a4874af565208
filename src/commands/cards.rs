//! `portquiz cards`: every card of the loaded decks with its schedule; how scripts and tests see progress.
use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use crate::cli::CardsArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::library;
use crate::store::Store;

/// One card as `cards --json` prints it (README, "JSON output").
#[derive(Debug, Serialize)]
pub struct CardRow<'a> {
    pub deck: &'a str,
    pub card: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub state: &'static str,
    pub due: Option<Timestamp>,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub reps: u32,
    pub lapses: u32,
    pub last_review: Option<Timestamp>,
    /// Taken out of rotation (`portquiz suspend`): study does not ask it.
    pub suspended: bool,
}

/// Runs `portquiz cards`.
pub fn run(env: &Env, args: &CardsArgs) -> Result<Exit> {
    if args.show {
        return super::show::run(env);
    }
    let decks = library::load_heads(env)?;
    let store = Store::open_to_read(env.db_path())?;
    let suspended = store.suspended()?;
    let mut rows = Vec::new();
    for library::CardWithState { deck, card, state } in library::with_states(&decks, &store)? {
        let is_suspended = !suspended.is_empty() && suspended.contains(&deck.card_ref(card));
        if args.due && (is_suspended || !state.is_due(env.now)) {
            continue;
        }
        rows.push(CardRow {
            deck: deck.id.as_str(),
            card: card.id.as_str(),
            kind: card.card_type.name(),
            state: state.state.as_str(),
            due: state.due,
            stability: state.stability,
            difficulty: state.difficulty,
            reps: state.reps,
            lapses: state.lapses,
            last_review: state.last_review,
            suspended: is_suspended,
        });
    }
    if args.json {
        #[derive(Serialize)]
        struct Listing<'a> {
            cards: Vec<CardRow<'a>>,
        }
        write_json(std::io::stdout().lock(), &Listing { cards: rows })?;
        return Ok(Exit::Ok);
    }
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<60} {:<10} {:<10} {:<17} {:>4} {:>6}",
        "deck/card", "type", "state", "due", "reps", "lapses"
    )?;
    for r in &rows {
        let due = r.due.map_or("-".to_string(), |t| {
            crate::session::words::local_time(t, &jiff::tz::TimeZone::system())
        });
        writeln!(
            out,
            "{:<60} {:<10} {:<10} {:<17} {:>4} {:>6}",
            format!("{}/{}", r.deck, r.card),
            r.kind,
            if r.suspended { "suspended" } else { r.state },
            due,
            r.reps,
            r.lapses
        )?;
    }
    if args.due {
        writeln!(out, "{} due now", rows.len())?;
    }
    Ok(Exit::Ok)
}

//! `portquiz cards`: every card of the loaded decks with its schedule; how scripts and tests see progress.
use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use crate::cli::CardsArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::library;
use crate::schedule::{CardState, State};
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

/// "new", "learning", "review", "relearning".
pub fn state_name(s: State) -> &'static str {
    match s {
        State::New => "new",
        State::Learning => "learning",
        State::Review => "review",
        State::Relearning => "relearning",
    }
}

/// Runs `portquiz cards`.
pub fn run(env: &Env, args: &CardsArgs) -> Result<Exit> {
    let decks = library::load_decks(env)?;
    let store = Store::open_to_read(env.db_path())?;
    let states = store.all_states()?;
    let suspended = store.suspended()?;
    let fresh = CardState::default();
    let mut rows = Vec::new();
    for deck in &decks {
        for card in &deck.cards {
            let card_ref = deck.card_ref(card);
            let st = states.get(&card_ref).unwrap_or(&fresh);
            let is_suspended = suspended.contains(&card_ref);
            let due_now =
                !is_suspended && st.state != State::New && st.due.is_some_and(|d| d <= env.now);
            if args.due && !due_now {
                continue;
            }
            rows.push(CardRow {
                deck: deck.id.as_str(),
                card: card.id.as_str(),
                kind: card.kind.name(),
                state: state_name(st.state),
                due: st.due,
                stability: st.stability,
                difficulty: st.difficulty,
                reps: st.reps,
                lapses: st.lapses,
                last_review: st.last_review,
                suspended: is_suspended,
            });
        }
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

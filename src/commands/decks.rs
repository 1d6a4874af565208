//! `portquiz decks`: the loaded decks with id, title, origin and card count (README, "JSON output").
use anyhow::Result;
use serde::Serialize;

use crate::cli::DecksArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::library;

#[derive(Serialize)]
struct DeckRow<'a> {
    deck: &'a str,
    title: &'a str,
    origin: &'a str,
    card_count: usize,
}

#[derive(Serialize)]
struct Listing<'a> {
    decks: Vec<DeckRow<'a>>,
}

/// Runs `portquiz decks`.
pub fn run(env: &Env, args: &DecksArgs) -> Result<Exit> {
    let decks = library::load_heads(env)?;
    if args.ids {
        for d in &decks {
            crate::outln!("{}", d.id.as_str())?;
        }
        return Ok(Exit::Ok);
    }
    let rows: Vec<DeckRow> = decks
        .iter()
        .map(|d| DeckRow {
            deck: d.id.as_str(),
            title: &d.title,
            origin: &d.origin,
            card_count: d.cards.len(),
        })
        .collect();
    if args.json {
        write_json(std::io::stdout().lock(), &Listing { decks: rows })?;
        return Ok(Exit::Ok);
    }
    let width = rows.iter().map(|r| r.deck.len()).max().unwrap_or(2).max(2);
    crate::outln!("{:width$}  {:>5}  title (origin)", "id", "cards")?;
    for r in &rows {
        crate::outln!(
            "{:width$}  {:>5}  {} ({})",
            r.deck,
            r.card_count,
            crate::safe::line(r.title),
            crate::safe::line(r.origin)
        )?;
    }
    Ok(Exit::Ok)
}

//! `portquiz decks`: the loaded decks with id, title, origin and card count.
use anyhow::Result;
use serde::Serialize;

use crate::cli::JsonArgs;
use crate::env::Env;
use crate::library;

#[derive(Serialize)]
struct DeckRow<'a> {
    id: &'a str,
    title: &'a str,
    origin: &'a str,
    cards: usize,
}

/// Runs `portquiz decks`.
pub fn run(env: &Env, args: &JsonArgs) -> Result<u8> {
    let decks = library::load_decks(env)?;
    let rows: Vec<DeckRow> = decks
        .iter()
        .map(|d| DeckRow {
            id: &d.id,
            title: &d.title,
            origin: &d.origin,
            cards: d.cards.len(),
        })
        .collect();
    if args.json {
        crate::outln!("{}", crate::safe::json(&rows)?)?;
        return Ok(0);
    }
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    crate::outln!("{:width$}  {:>5}  title (origin)", "id", "cards")?;
    for r in &rows {
        crate::outln!(
            "{:width$}  {:>5}  {} ({})",
            r.id,
            r.cards,
            crate::safe::line(r.title),
            crate::safe::line(r.origin)
        )?;
    }
    Ok(0)
}

//! `portquiz cards --show`: every card of the loaded decks (restrict with `--deck`) as the candidate sees
//! it, table cells included: its prompt, its options, and the answer, so an author reads what a table
//! generated without studying it. Text only, deck order then card order; no progress is read.
use std::fmt::Write as _;

use anyhow::Result;

use crate::deck::{Card, Deck};
use crate::env::{Env, Exit};
use crate::library;

/// Runs `portquiz cards --show`.
pub fn run(env: &Env) -> Result<Exit> {
    let decks = library::load_decks(env)?;
    crate::out!("{}", render(&decks))?;
    Ok(Exit::Ok)
}

/// Every card of `decks` as text, a blank line between cards.
pub fn render(decks: &[Deck]) -> String {
    let mut out = String::new();
    for deck in decks {
        for card in &deck.cards {
            render_card(&mut out, deck, card);
            out.push('\n');
        }
    }
    out
}

fn render_card(out: &mut String, deck: &Deck, card: &Card) {
    let _ = writeln!(out, "{}/{} ({})", deck.id, card.id, card.kind.card_type());
    let experiment_question =
        |id: &str| crate::practical::find(id).map_or(String::new(), |e| e.question.to_string());
    let prompt = match card.kind.experiment() {
        Some(experiment) if card.prompt.is_empty() => experiment_question(experiment),
        Some(_) | None => card.prompt.clone(),
    };
    let _ = writeln!(out, "  Q: {}", crate::safe::line(&prompt));
    card.kind.write_answer(out);
}

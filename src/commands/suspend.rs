//! `portquiz suspend` and `portquiz unsuspend`: take cards out of rotation and bring them back. A suspended
//! card keeps its schedule and history; `study` never asks it and `cards` marks it.
use anyhow::{Result, bail};

use crate::cli::SuspendArgs;
use crate::deck::CardRef;
use crate::env::{Env, Exit};
use crate::library;
use crate::store::Store;

/// Runs `portquiz suspend` (`suspend = true`) or `portquiz unsuspend`.
pub fn run(env: &Env, args: &SuspendArgs, suspend: bool) -> Result<Exit> {
    let decks = library::load_heads(env)?;
    let mut cards = Vec::new();
    for text in &args.cards {
        let Some((deck, card)) = text.split_once('/') else {
            bail!("`{text}` is not a card: write deck/card, as `portquiz cards` lists them");
        };
        let found = decks
            .iter()
            .filter(|d| d.id.as_str() == deck)
            .flat_map(|d| d.cards.iter().map(move |c| d.card_ref(c)))
            .find(|r| r.card.as_str() == card);
        match found {
            Some(card) => cards.push(card),
            None => bail!(
                "no loaded deck has the card `{text}`; `portquiz cards` lists every card as deck/card"
            ),
        }
    }
    let mut store = Store::open(env.db_path())?;
    for card in &cards {
        let changed = store.set_suspended(card, suspend, env.now)?;
        crate::outln!("{}", message(card, suspend, changed))?;
    }
    Ok(Exit::Ok)
}

fn message(card: &CardRef, suspend: bool, changed: bool) -> String {
    match (suspend, changed) {
        (true, true) => format!(
            "Suspended {card}: study will not ask it (portquiz unsuspend {card} brings it back)."
        ),
        (true, false) => format!("{card} was already suspended."),
        (false, true) => format!("{card} is back in rotation."),
        (false, false) => format!("{card} was not suspended."),
    }
}

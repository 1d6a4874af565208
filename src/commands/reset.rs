//! `portquiz reset [--deck ID]... [--card ID] [--yes]`: forgets progress so cards are new again (the
//! review log is kept as history). Asks first unless `--yes`; without a terminal it refuses unless `--yes`.
use std::io::IsTerminal;

use anyhow::{Result, bail};

use crate::cli::ResetArgs;
use crate::env::{DeckSelection, Env, Exit};
use crate::{library, progress};

/// Runs `portquiz reset`.
pub fn run(env: &Env, args: &ResetArgs) -> Result<Exit> {
    // Deck paths given with --deck only load decks; progress is kept by deck id.
    let ids = &env.decks.ids;
    if args.card.is_some() && ids.len() != 1 {
        bail!("--card needs exactly one --deck ID: card ids are unique within a deck");
    }
    let mut store = progress::open_store(env)?;
    // An id is known when progress is stored under it (its deck file may be gone) or a deck has it; a
    // typo is refused as every other command refuses it, instead of "Reset 0 cards".
    let mut unknown = Vec::new();
    for id in ids {
        if store.deck_states(id)?.is_empty() {
            unknown.push(id.clone());
        }
    }
    if !unknown.is_empty() {
        library::load_decks(&Env {
            decks: DeckSelection {
                ids: unknown,
                paths: env.decks.paths.clone(),
                ..DeckSelection::default()
            },
            ..env.clone()
        })?;
    }
    let what = match (&args.card, ids.as_slice()) {
        (Some(card), [deck]) => format!("card {deck}/{card}"),
        (_, []) => "every deck".to_string(),
        (_, decks) => format!("deck {}", decks.join(", ")),
    };
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            eprintln!(
                "error: reset forgets the progress of {what} and needs confirmation; without a terminal, pass --yes"
            );
            return Ok(Exit::Failure);
        }
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(format!(
                "Forget the progress of {what}? The cards become new; the review log is kept."
            ))
            .default(false)
            .interact_opt()?;
        if confirmed != Some(true) {
            crate::outln!("Nothing reset.")?;
            return Ok(Exit::Ok);
        }
    }
    let mut n = 0;
    if ids.is_empty() {
        n += store.forget(None, None)?;
    } else {
        for deck in ids {
            n += store.forget(Some(deck), args.card.as_deref())?;
        }
    }
    crate::outln!("Reset {} ({what}).", crate::text::plural(n, "card"))?;
    Ok(Exit::Ok)
}

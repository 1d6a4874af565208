//! The warnings `check` shows: each deck's own ([`crate::deck::warn::warnings`]) and, when a database
//! exists, progress that no card matches any more. Reading the database is best effort: a check of deck
//! files never fails because of it.
use std::collections::HashMap;

use crate::deck::source::Source;
use crate::deck::warn;
use crate::deck::{Deck, Diagnostic};
use crate::env::Env;
use crate::store::Store;

/// Every warning about `decks` (compiled from `sources`).
pub(super) fn all(env: &Env, sources: &[Source], decks: &[Deck]) -> Vec<Diagnostic> {
    let texts: HashMap<&str, &str> = sources
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.text.as_deref().ok()?)))
        .collect();
    let path = env.db_path();
    let store = path
        .exists()
        .then(|| Store::open_to_read(&path).ok())
        .flatten();
    let mut out = Vec::new();
    for deck in decks {
        let text = texts.get(deck.origin.as_str()).copied().unwrap_or_default();
        out.extend(warn::warnings(deck, text));
        if let Some(states) = store
            .as_ref()
            .and_then(|s| s.deck_states(deck.id.as_str()).ok())
            && let Some(d) = warn::orphaned_progress(deck, text, states.keys().map(|r| &r.card))
        {
            out.push(d);
        }
    }
    out
}

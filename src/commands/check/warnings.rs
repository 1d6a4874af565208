//! The warnings `check` shows: each deck's own ([`crate::deck::warn::warnings`]) and, when a database
//! exists, progress that no card matches any more. Reading the database is best effort: a check of deck
//! files never fails because of it.
use crate::deck::diag::Lines;
use crate::deck::warn;
use crate::deck::{Deck, Diagnostic};
use crate::env::Env;
use crate::store::Store;

/// Every warning about `decks`, whose files' lines are `lines` (one for each deck, in order).
pub(super) fn all(env: &Env, lines: &[Lines], decks: &[Deck]) -> Vec<Diagnostic> {
    let path = env.db_path();
    let store = path
        .exists()
        .then(|| Store::open_to_read(&path).ok())
        .flatten();
    let mut out = Vec::new();
    for (deck, text) in decks.iter().zip(lines) {
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

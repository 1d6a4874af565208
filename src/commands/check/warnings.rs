//! The warnings `check` shows: each deck's own ([`crate::deck::warn::warnings`]) and, when a database
//! exists, progress that no card matches any more. Reading the database is best effort: a check of deck
//! files never fails because of it.
use crate::authoring::renames;
use crate::deck::diag::Lines;
use crate::deck::par::par_map;
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
    // Each deck's own warnings, spread over the cores; the progress (one database) is read in order after.
    let pairs: Vec<(&Deck, &Lines)> = decks.iter().zip(lines).collect();
    let own = par_map(&pairs, |(deck, text)| warn::warnings(deck, text));
    let mut out = Vec::new();
    for ((deck, text), own) in pairs.iter().zip(own) {
        out.extend(own);
        if let Some(states) = store
            .as_ref()
            .and_then(|s| s.deck_states(deck.id.as_str()).ok())
            && let Some(mut d) = warn::orphaned_progress(deck, text, states.keys().map(|r| &r.card))
        {
            // Every orphan with its best guess, not only the first (issue 28).
            let orphans = renames::orphans(deck, states.keys().map(|r| &r.card));
            for (orphan, line) in orphans.iter().zip(renames::orphan_lines(&orphans)) {
                let pos = orphan.guess.map(|c| crate::deck::yaml::Pos {
                    line: c.line,
                    col: 1,
                });
                d = d.note(&deck.origin, pos, line);
            }
            out.push(d);
        }
    }
    out
}

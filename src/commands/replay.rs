//! Rebuilding card states from the review log, shared by `merge` (their new answers joined to ours) and
//! `repair` (every answer saved from a damaged file, into a fresh database): each affected card's whole log,
//! in time order, goes through the scheduler without fuzz ([`crate::schedule::replay`], pure and unit-tested),
//! so the result is reproducible. This file does the store's side: which answers, and writing them.
use std::collections::HashMap;

use anyhow::Result;

use crate::review::Review;
use crate::schedule::{Rating, Scheduler, State};
use crate::store::WriteTx;

/// An answer to add to a log (from another machine, or saved from a damaged file), with its card as a
/// number from [`Cards`].
pub struct Added {
    card: u32,
    time: jiff::Timestamp,
    rating: Rating,
    duration_ms: u64,
    cram: bool,
}

impl Added {
    /// The answer `r`, whose card `cards` numbers (given a number now if new).
    pub fn of(cards: &mut Cards, r: Review<&str>) -> Added {
        Added {
            card: cards.id(r.deck, r.card),
            time: r.time,
            rating: r.rating,
            duration_ms: r.duration_ms,
            cram: r.cram,
        }
    }
}

/// Deck and card ids, each pair stored once and numbered.
#[derive(Default)]
pub struct Cards {
    /// Deck id -> card id -> number: looked up with borrowed strings, so a row of a known card allocates
    /// nothing.
    index: HashMap<String, HashMap<String, u32>>,
    keys: Vec<(String, String)>,
}

impl Cards {
    /// The number of `deck`/`card`, given on first sight.
    pub fn id(&mut self, deck: &str, card: &str) -> u32 {
        if let Some(&i) = self.index.get(deck).and_then(|cards| cards.get(card)) {
            return i;
        }
        let i = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push((deck.to_owned(), card.to_owned()));
        self.index
            .entry(deck.to_owned())
            .or_default()
            .insert(card.to_owned(), i);
        i
    }
}

/// Adds `added` to the log in `tx` and rebuilds the state of every card it touches by replaying the card's
/// whole log (what `tx` holds, then these; the stored answers first on a tie). Each added row gets the state
/// before it (for undo) and the elapsed days the replay counted. Returns how many cards got a state; a card
/// with only cram answers keeps its schedule. Sorts `added`.
pub fn rebuild(
    tx: &WriteTx<'_>,
    scheduler: &Scheduler,
    cards: &Cards,
    added: &mut [Added],
) -> Result<usize> {
    added.sort_by_key(|a| (a.card, a.time));
    let mut rebuilt = 0usize;
    for group in added.chunk_by(|a, b| a.card == b.card) {
        let (deck, card) = &cards.keys[group[0].card as usize];
        let stored = tx.card_reviews(deck, card)?;
        let mut log: Vec<(Review<&str>, bool)> =
            stored.iter().map(|r| (r.borrowed(), false)).collect();
        log.extend(group.iter().map(|a| {
            (
                Review {
                    id: 0,
                    deck: deck.as_str(),
                    card: card.as_str(),
                    time: a.time,
                    rating: a.rating,
                    state_before: State::New,
                    elapsed_days: 0,
                    duration_ms: a.duration_ms,
                    cram: a.cram,
                },
                true,
            )
        }));
        let (rows, state) = crate::schedule::replay(scheduler, log)?;
        for replayed in rows.into_iter().filter(|r| r.added) {
            tx.insert_review(replayed.row, replayed.before.as_ref())?;
        }
        if let Some(s) = state {
            tx.write_state(deck, card, &s)?;
            rebuilt += 1;
        }
    }
    Ok(rebuilt)
}

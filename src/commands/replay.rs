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
        Added::new(cards.id(r.deck, r.card), &r)
    }

    /// The answer `r` to card number `card`.
    pub fn new(card: u32, r: &Review<&str>) -> Added {
        Added::from_parts(card, r.time, r.rating, r.duration_ms, r.cram)
    }

    #[cfg(test)]
    pub fn card(&self) -> u32 {
        self.card
    }

    #[cfg(test)]
    pub fn time(&self) -> jiff::Timestamp {
        self.time
    }

    #[cfg(test)]
    pub fn rating(&self) -> Rating {
        self.rating
    }

    #[cfg(test)]
    pub fn duration_ms(&self) -> u64 {
        self.duration_ms
    }

    /// An answer from its parts.
    pub fn from_parts(
        card: u32,
        time: jiff::Timestamp,
        rating: Rating,
        duration_ms: u64,
        cram: bool,
    ) -> Added {
        Added {
            card,
            time,
            rating,
            duration_ms,
            cram,
        }
    }
}

/// Deck and card ids, each pair stored once and numbered.
#[derive(Default)]
pub struct Cards {
    /// Deck id -> its number (an index into `decks`).
    deck_numbers: HashMap<String, usize, Fold>,
    /// Per deck: its id, and card id -> card number. Looked up with borrowed strings, so a row of a known
    /// card allocates nothing; the deck of the previous row is tried first (logs run in long stretches
    /// of one deck).
    decks: Vec<(String, HashMap<String, u32, Fold>)>,
    last_deck: usize,
    keys: Vec<(String, String)>,
}

/// The hash of the card index (two million lookups in a merge of a million answers; the keys come from
/// portquiz databases, where resisting hash flooding buys nothing).
type Fold = foldhash::fast::RandomState;

impl Cards {
    /// How many cards have a number.
    pub fn count(&self) -> usize {
        self.keys.len()
    }

    /// The number of `deck`/`card`, given on first sight.
    pub fn id(&mut self, deck: &str, card: &str) -> u32 {
        let d = match self.decks.get(self.last_deck) {
            Some((name, _)) if name == deck => self.last_deck,
            _ => match self.deck_numbers.get(deck) {
                Some(&d) => d,
                None => {
                    self.deck_numbers.insert(deck.to_owned(), self.decks.len());
                    self.decks.push((deck.to_owned(), HashMap::default()));
                    self.decks.len() - 1
                }
            },
        };
        self.last_deck = d;
        let Some((_, cards)) = self.decks.get_mut(d) else {
            return u32::MAX;
        };
        if let Some(&i) = cards.get(card) {
            return i;
        }
        let i = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.keys.push((deck.to_owned(), card.to_owned()));
        cards.insert(card.to_owned(), i);
        i
    }
}

/// Adds `added` to the log in `tx` and rebuilds the state of every card it touches by replaying the card's
/// whole log (what `tx` holds, then these; the stored answers first on a tie). Each added row gets the state
/// and the elapsed days the replay counted; not the card's whole state before it (`card_before` stays NULL):
/// that copy serves undo, and only a session undoes, its own answers, never a merged or salvaged one. Left
/// out, a merged million answers take 115 MB instead of 285 and the merge 3.4 s instead of 4.8. Returns how
/// many cards got a state; a card with only cram answers keeps its schedule. Sorts `added`.
/// `stored(card)` says whether the card may have answers in `tx` already (false: its log there is not read).
pub fn rebuild(
    tx: &WriteTx<'_>,
    scheduler: &Scheduler,
    cards: &Cards,
    added: &mut [Added],
    stored: &dyn Fn(u32) -> bool,
) -> Result<usize> {
    // In (deck, card) order, then by time: the log's (deck, card, id) index and the cards table (keyed by
    // deck and card) then grow at their ends, as the rows come, instead of at a random page per row.
    let mut order: Vec<u32> = (0..u32::try_from(cards.keys.len()).unwrap_or(u32::MAX)).collect();
    order.sort_by(|&a, &b| cards.keys[a as usize].cmp(&cards.keys[b as usize]));
    let mut rank = vec![0u32; order.len()];
    for (r, &card) in order.iter().enumerate() {
        rank[card as usize] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    added.sort_by_key(|a| (rank[a.card as usize], a.time));
    let mut rebuilt = 0usize;
    let mut inserter = tx.review_inserter()?;
    for group in added.chunk_by(|a, b| a.card == b.card) {
        let (deck, card) = &cards.keys[group[0].card as usize];
        // A card with no answers in the log here has none to read (80,000 queries saved when merging a
        // whole library into a fresh database).
        let stored = if stored(group[0].card) {
            tx.card_reviews(deck, card)?
        } else {
            Vec::new()
        };
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
            inserter.insert(replayed.row, None)?;
        }
        if let Some(s) = state {
            tx.write_state(deck, card, &s)?;
            rebuilt += 1;
        }
    }
    Ok(rebuilt)
}

//! `portquiz merge OTHER.sqlite3`: brings in the answers given on another machine. The review logs are
//! united (a review is the same review when deck, card, instant and rating match), and every card that gained
//! answers gets its state rebuilt by replaying its whole merged log through the scheduler (without fuzz, so
//! the replay is reproducible). Running it again adds nothing.
//!
//! The other database is only read, never written ([`Store::open_read_only`]). Ours is read and written in
//! ONE write transaction, so an answer a study session records meanwhile waits for it and is never lost
//! from its card's state. Their log is streamed: only the answers that are new here are kept, compactly.
use std::collections::{HashMap, HashSet};

use anyhow::{Result, anyhow, bail};

use crate::authoring::starter;
use crate::cli::MergeArgs;
use crate::env::Env;
use crate::progress;
use crate::schedule::{CardState, Rating, State};
use crate::store::{ReviewRef, Store, StoreError};

/// One of their answers that is new here, with its card as an index into the card table.
struct Added {
    card: u32,
    time: jiff::Timestamp,
    rating: Rating,
    duration_ms: u64,
    cram: bool,
}

/// Deck and card ids, each pair stored once and numbered.
#[derive(Default)]
struct Cards {
    /// Deck id -> card id -> number: looked up with borrowed strings, so a row of a known card allocates
    /// nothing.
    index: HashMap<String, HashMap<String, u32>>,
    keys: Vec<(String, String)>,
}

impl Cards {
    fn id(&mut self, deck: &str, card: &str) -> u32 {
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

/// What makes two answers the same answer: card, instant (microseconds) and rating.
type Key = (u32, i64, u8);

/// Runs `portquiz merge`.
pub fn run(env: &Env, args: &MergeArgs) -> Result<u8> {
    let other_path = &args.other;
    if !other_path.is_file() {
        bail!(
            "{} is not a file; pass the portquiz.sqlite3 copied from the other machine",
            other_path.display()
        );
    }
    let ours_path = env.db_path();
    if ours_path.exists() && fs_err::canonicalize(&ours_path)? == fs_err::canonicalize(other_path)?
    {
        bail!(
            "{} is this machine's own database; pass the copy from the other machine",
            other_path.display()
        );
    }
    let other = Store::open_read_only(other_path).map_err(|e| other_error(other_path, e))?;
    let mut store = progress::open_store(env)?;
    let scheduler = progress::scheduler(&store)?;
    let tx = store.write_transaction()?;

    let mut cards = Cards::default();
    let mut known: HashSet<Key> = HashSet::new();
    tx.scan_reviews(|r| {
        let card = cards.id(r.deck, r.card);
        known.insert((card, r.time.as_microsecond(), r.rating.as_u8()));
    })?;
    let mut added: Vec<Added> = Vec::new();
    let (mut theirs, mut bad, mut first_bad) = (0usize, 0usize, None);
    other
        .scan_reviews(None, |r| {
            if !(starter::valid_id(r.deck) && valid_card_id(r.card)) {
                bad += 1;
                first_bad.get_or_insert_with(|| format!("{}/{}", r.deck, r.card));
                return;
            }
            theirs += 1;
            let card = cards.id(r.deck, r.card);
            if known.insert((card, r.time.as_microsecond(), r.rating.as_u8())) {
                added.push(Added {
                    card,
                    time: r.time,
                    rating: r.rating,
                    duration_ms: r.duration_ms,
                    cram: r.cram,
                });
            }
        })
        .map_err(|e| other_error(other_path, e))?;
    drop(known);
    if let Some(example) = first_bad {
        eprintln!(
            "warning: skipped {} whose deck or card id is not an id portquiz writes (kebab-case a-z, 0-9 and dashes; table cells table/row/column), for example `{}`",
            crate::deck::diag::plural(bad, "answer"),
            crate::safe::line(&example)
        );
    }
    if added.is_empty() {
        crate::outln!(
            "Nothing to merge: all {theirs} answers from {} are already here.",
            other_path.display()
        )?;
        return Ok(0);
    }

    // Card by card: its whole merged log in time order (ours first on a tie), replayed.
    added.sort_by_key(|a| (a.card, a.time));
    let mut rebuilt = 0usize;
    for group in added.chunk_by(|a, b| a.card == b.card) {
        let (deck, card) = &cards.keys[group[0].card as usize];
        let ours = tx.card_reviews(deck, card)?;
        let mut log: Vec<(ReviewRef<'_>, bool)> =
            ours.iter().map(|r| (r.borrowed(), false)).collect();
        log.extend(group.iter().map(|a| {
            (
                ReviewRef {
                    id: 0,
                    deck,
                    card,
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
        log.sort_by_key(|(r, added)| (r.time, *added));
        let mut state: Option<CardState> = None;
        for (mut row, added) in log {
            let before = state.clone();
            row.state_before = before.as_ref().map_or(State::New, |s| s.state);
            if !row.cram {
                let outcome = scheduler.outcome(
                    &before.clone().unwrap_or_default(),
                    row.rating,
                    row.time,
                    None,
                )?;
                row.elapsed_days = outcome.elapsed_days;
                state = Some(outcome.card);
            }
            if added {
                tx.insert_review(row, before.as_ref())?;
            }
        }
        // A card with only cram answers keeps its schedule.
        if let Some(s) = state {
            tx.write_state(deck, card, &s)?;
            rebuilt += 1;
        }
    }
    tx.commit()?;
    crate::outln!(
        "Merged {} new {} from {} ({} already here); rebuilt the schedule of {}.",
        added.len(),
        if added.len() == 1 {
            "answer"
        } else {
            "answers"
        },
        other_path.display(),
        theirs - added.len(),
        crate::deck::diag::plural(rebuilt, "card")
    )?;
    Ok(0)
}

/// Whether `id` is a card id a deck can have: an id, or a table cell's `table/row/column`.
fn valid_card_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    (parts.len() == 1 || parts.len() == 3) && parts.iter().all(|p| starter::valid_id(p))
}

/// An error about the other database, with advice about that file (not about the data dir).
fn other_error(path: &std::path::Path, err: StoreError) -> anyhow::Error {
    let shown = path.display();
    match err {
        StoreError::NotADatabase { .. } => anyhow!(
            "{shown} is not a portquiz database (empty, not an SQLite file, damaged, or another program's); it was left untouched: pass the portquiz.sqlite3 copied from the other machine"
        ),
        StoreError::TooNew {
            found, supported, ..
        } => anyhow!(
            "{shown} was written by a newer portquiz (schema version {found}, this portquiz knows up to {supported}); it was left untouched: upgrade portquiz here, then merge again"
        ),
        StoreError::Unreadable { error, .. } => {
            anyhow!(
                "cannot read {shown}: {error}; pass the portquiz.sqlite3 copied from the other machine"
            )
        }
        other => anyhow!("reading {shown} failed: {other}"),
    }
}

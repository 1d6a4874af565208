//! `portquiz merge OTHER.sqlite3`: brings in the answers given on another machine. The review logs are
//! united (a review is the same review when deck, card, instant and rating match), and every card that gained
//! answers gets its state rebuilt by replaying its whole merged log through the scheduler (without fuzz, so
//! the replay is reproducible). Running it again adds nothing.
//!
//! The other database is only read, never written ([`Store::open_read_only`]). Ours is read and written in
//! ONE write transaction, so an answer a study session records meanwhile waits for it and is never lost
//! from its card's state. Their log is streamed: only the answers that are new here are kept, compactly.
use std::collections::HashSet;

use anyhow::{Result, anyhow, bail};

use crate::cli::MergeArgs;
use crate::deck::CardRef;
use crate::env::{Env, Exit};
use crate::progress;
use crate::store::{Store, StoreError};

use super::replay::{self, Added, Cards};

/// What makes two answers the same answer: card, instant (microseconds) and rating.
type Key = (u32, i64, u8);

/// Runs `portquiz merge`.
pub fn run(env: &Env, args: &MergeArgs) -> Result<Exit> {
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
            if let Err(e) = CardRef::parse(r.deck, r.card) {
                bad += 1;
                first_bad.get_or_insert_with(|| format!("`{}/{}`: {e}", r.deck, r.card));
                return;
            }
            theirs += 1;
            let card = cards.id(r.deck, r.card);
            if known.insert((card, r.time.as_microsecond(), r.rating.as_u8())) {
                added.push(Added::of(&mut cards, r));
            }
        })
        .map_err(|e| other_error(other_path, e))?;
    drop(known);
    if let Some(example) = first_bad {
        eprintln!(
            "warning: skipped {} whose deck or card id is not an id portquiz writes, for example {}",
            crate::text::plural(bad, "answer"),
            crate::safe::line(&example)
        );
    }
    if added.is_empty() {
        crate::outln!(
            "Nothing to merge: all {theirs} answers from {} are already here.",
            other_path.display()
        )?;
        return Ok(Exit::Ok);
    }

    let rebuilt = replay::rebuild(&tx, &scheduler, &cards, &mut added)?;
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
        crate::text::plural(rebuilt, "card")
    )?;
    Ok(Exit::Ok)
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

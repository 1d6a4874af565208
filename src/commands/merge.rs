//! `portquiz merge OTHER.sqlite3`: brings in the answers given on another machine. The review logs are
//! united (a review is the same review when deck, card, instant and rating match, see
//! [`crate::interchange::revlog::merge`]), and every card that gained answers gets its state rebuilt by replaying
//! its whole merged log through the scheduler (without fuzz, so the replay is reproducible). All of it is
//! one transaction; running it again adds nothing.
use std::collections::{BTreeMap, HashSet};

use anyhow::{Result, bail};

use crate::cli::MergeArgs;
use crate::deck::CardRef;
use crate::env::{Env, Exit};
use crate::interchange::revlog::{self, ReviewKey};
use crate::progress;
use crate::schedule::CardState;
use crate::store::{ReviewLogEntry, Store};

/// Runs `portquiz merge`.
pub fn run(env: &Env, args: &MergeArgs) -> Result<Exit> {
    if !args.other.is_file() {
        bail!(
            "{} is not a file; pass the portquiz.sqlite3 copied from the other machine",
            args.other.display()
        );
    }
    let ours_path = env.db_path();
    if ours_path.exists() && fs_err::canonicalize(&ours_path)? == fs_err::canonicalize(&args.other)?
    {
        bail!(
            "{} is this machine's own database; pass the copy from the other machine",
            args.other.display()
        );
    }
    let other = Store::open(&args.other)?;
    let theirs_rows = progress::review_log(&other)?;
    drop(other);
    let mut store = progress::open_store(env)?;
    let ours_rows = progress::review_log(&store)?;

    let ours: Vec<_> = ours_rows.iter().map(progress::to_review).collect();
    let theirs: Vec<_> = theirs_rows.iter().map(progress::to_review).collect();
    let merged = revlog::merge(&ours, &theirs);
    if merged.added.is_empty() {
        crate::outln!(
            "Nothing to merge: all {} answers from {} are already here.",
            theirs_rows.len(),
            args.other.display()
        )?;
        return Ok(Exit::Ok);
    }
    let added_keys: HashSet<ReviewKey> = merged.added.iter().map(|r| r.key()).collect();
    // Their rows to add, once each.
    let mut seen = HashSet::new();
    let added_rows: Vec<&ReviewLogEntry> = theirs_rows
        .iter()
        .filter(|r| {
            let key = progress::to_review(r).key();
            added_keys.contains(&key) && seen.insert(key)
        })
        .collect();

    // Each affected card's whole merged log, in time order (ours first on a tie).
    let mut per_card: BTreeMap<CardRef, Vec<(&ReviewLogEntry, bool)>> = BTreeMap::new();
    for r in &added_rows {
        let key = CardRef::parse(&r.deck, &r.card).map_err(|e| {
            anyhow::anyhow!(
                "{} holds answers to `{}/{}`, which is not a card: {e}; nothing was merged",
                args.other.display(),
                r.deck,
                r.card
            )
        })?;
        per_card.entry(key).or_default();
    }
    // Our rows with ids breaking the id rule cannot belong to a card that gained answers.
    for r in &ours_rows {
        if let Ok(key) = CardRef::parse(&r.deck, &r.card)
            && let Some(list) = per_card.get_mut(&key)
        {
            list.push((r, false));
        }
    }
    for r in &added_rows {
        if let Ok(key) = CardRef::parse(&r.deck, &r.card)
            && let Some(list) = per_card.get_mut(&key)
        {
            list.push((r, true));
        }
    }
    let scheduler = progress::scheduler(&store)?;
    let mut to_insert: Vec<(ReviewLogEntry, Option<CardState>)> = Vec::new();
    let mut states = Vec::new();
    for (key, mut list) in per_card {
        list.sort_by_key(|(r, added)| (r.time, *added));
        let mut state: Option<CardState> = None;
        for (row, added) in list {
            let before = state.clone();
            let mut entry = row.clone();
            if !row.cram {
                let outcome = scheduler.outcome(
                    &state.clone().unwrap_or_default(),
                    row.rating,
                    row.time,
                    None,
                )?;
                entry.state_before = before
                    .as_ref()
                    .map_or(crate::schedule::State::New, |s| s.state);
                entry.elapsed_days = outcome.elapsed_days;
                state = Some(outcome.card);
            } else {
                entry.state_before = before
                    .as_ref()
                    .map_or(crate::schedule::State::New, |s| s.state);
            }
            if added {
                to_insert.push((entry, before));
            }
        }
        // A card with only cram answers keeps its schedule.
        if let Some(s) = state {
            states.push((key, s));
        }
    }
    to_insert.sort_by_key(|(r, _)| r.time);
    store.import_reviews(&to_insert, &states)?;
    crate::outln!(
        "Merged {} new {} from {} ({} already here); rebuilt the schedule of {} {}.",
        to_insert.len(),
        if to_insert.len() == 1 {
            "answer"
        } else {
            "answers"
        },
        args.other.display(),
        theirs_rows.len() - to_insert.len(),
        states.len(),
        if states.len() == 1 { "card" } else { "cards" }
    )?;
    Ok(Exit::Ok)
}

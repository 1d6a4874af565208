//! `portquiz merge OTHER.sqlite3`: brings in the answers given on another machine. The review logs are
//! united (a review is the same review when deck, card, instant and rating match, see
//! [`crate::interchange::revlog::merge`]), and every card that gained answers gets its state rebuilt by replaying
//! its whole merged log through the scheduler (without fuzz, so the replay is reproducible). All of it is
//! one transaction; running it again adds nothing.
use std::collections::{BTreeMap, HashSet};

use anyhow::{Result, bail};

use crate::authoring::starter;
use crate::cli::MergeArgs;
use crate::env::Env;
use crate::interchange::revlog::{self, ReviewKey};
use crate::progress;
use crate::schedule::CardState;
use crate::store::{CardKey, ReviewLogEntry, Store};

/// Runs `portquiz merge`.
pub fn run(env: &Env, args: &MergeArgs) -> Result<u8> {
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
    let mut theirs_rows = progress::review_log(&other)?;
    drop(other);
    skip_bad_ids(&mut theirs_rows);
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
        return Ok(0);
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
    let mut per_card: BTreeMap<CardKey, Vec<(&ReviewLogEntry, bool)>> = BTreeMap::new();
    for r in &added_rows {
        per_card
            .entry(CardKey::new(r.deck.clone(), r.card.clone()))
            .or_default();
    }
    for r in &ours_rows {
        if let Some(list) = per_card.get_mut(&CardKey::new(r.deck.clone(), r.card.clone())) {
            list.push((r, false));
        }
    }
    for r in &added_rows {
        if let Some(list) = per_card.get_mut(&CardKey::new(r.deck.clone(), r.card.clone())) {
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
    Ok(0)
}

/// Drops the answers whose deck or card id is not one portquiz writes (the other file may have been edited
/// by hand or made by something else), with one warning naming the first.
fn skip_bad_ids(rows: &mut Vec<ReviewLogEntry>) {
    let valid = |r: &ReviewLogEntry| starter::valid_id(&r.deck) && starter::valid_id(&r.card);
    let Some(first) = rows.iter().find(|r| !valid(r)) else {
        return;
    };
    let example = crate::safe::line(&format!("{}/{}", first.deck, first.card)).into_owned();
    let before = rows.len();
    rows.retain(valid);
    let skipped = before - rows.len();
    eprintln!(
        "warning: skipped {} whose deck or card id is not an id portquiz writes (kebab-case a-z, 0-9 and dashes), for example `{example}`",
        crate::deck::diag::plural(skipped, "answer")
    );
}

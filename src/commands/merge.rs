//! `portquiz merge OTHER.sqlite3`: brings in the answers given on another machine. The review logs are
//! united (a review is the same review when deck, card, instant and rating match), and every card that gained
//! answers gets its state rebuilt by replaying its whole merged log through the scheduler (without fuzz, so
//! the replay is reproducible). Running it again adds nothing.
//!
//! The other database is only read, never written ([`Store::open_read_only`]). Ours is read and written in
//! ONE write transaction, so an answer a study session records meanwhile waits for it and is never lost
//! from its card's state. Both logs are streamed into compact keys, sorted and walked side by side (a hash
//! set of a million keys was a third of a merge that found nothing new).
use anyhow::{Result, anyhow, bail};

use crate::cli::MergeArgs;
use crate::deck::CardRef;
use crate::env::{Env, Exit};
use crate::progress;
use crate::review::Review;
use crate::schedule::Rating;
use crate::store::{Store, StoreError};

use super::replay::{self, Added, Cards};

/// What makes two answers the same answer: card, rating and instant (microseconds), in 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    card_rating: u64,
    micros: i64,
}

impl Key {
    fn of(card: u32, r: &Review<&str>) -> Key {
        Key::new(card, r.time.as_microsecond(), i64::from(r.rating.as_u8()))
    }

    fn new(card: u32, micros: i64, rating: i64) -> Key {
        Key {
            card_rating: (u64::from(card) << 8) | (rating.cast_unsigned() & 0xff),
            micros,
        }
    }

    /// The answer this key and the rest of the row (`duration_ms << 1 | cram`) stand for; `None` only
    /// for values no row could hold.
    fn answer(self, rest: u64) -> Option<Added> {
        Some(Added::from_parts(
            u32::try_from(self.card_rating >> 8).ok()?,
            jiff::Timestamp::from_microsecond(self.micros).ok()?,
            Rating::from_u8(u8::try_from(self.card_rating & 0xff).ok()?)?,
            rest >> 1,
            rest & 1 == 1,
        ))
    }
}

/// Their answers that are new: not in our log (`known`, sorted) and not a repeat within theirs; each
/// candidate is a key and the rest of its row (`duration_ms << 1 | cram`). Both sides sorted and walked
/// together. Of repeats in their log (the same card, instant and rating twice: a hand-made or damaged
/// file), one is kept, whichever the unstable sort puts first (keeping their first one cost 50 ms and
/// 16 MB at a million answers).
fn new_answers(known: &[Key], mut candidates: Vec<(Key, u64)>) -> Vec<Added> {
    candidates.sort_unstable_by_key(|(k, _)| *k);
    let mut ours_at = 0;
    let mut last = None;
    let mut added = Vec::new();
    for (k, rest) in candidates {
        if last == Some(k) {
            continue;
        }
        last = Some(k);
        while ours_at < known.len() && known[ours_at] < k {
            ours_at += 1;
        }
        if known.get(ours_at) != Some(&k)
            && let Some(answer) = k.answer(rest)
        {
            added.push(answer);
        }
    }
    added
}

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
    let mut known: Vec<Key> = Vec::with_capacity(usize::try_from(tx.review_count()?).unwrap_or(0));
    tx.scan_answer_keys(|deck, card, micros, rating| {
        known.push(Key::new(cards.id(deck, card), micros, rating));
    })?;
    let ours = known.len();
    known.sort_unstable();
    // The cards that have answers here: every card seen so far (card ids are given in order of first sight).
    let ours_cards = u32::try_from(cards.count()).unwrap_or(u32::MAX);
    // Their answers, each with its key; a deck or card id portquiz would not write is checked once per id.
    // 24 bytes an answer: the key, and the duration and cram mark packed in one integer.
    let mut candidates: Vec<(Key, u64)> = Vec::new();
    let mut valid: Vec<bool> = Vec::new();
    let (mut bad, mut first_bad) = (0usize, None);
    // An answer dated after now (a clock set wrong, a crafted file) would take its card out of study until
    // then: left out, and counted in the summary.
    let mut future = 0usize;
    other
        .scan_reviews(None, |r| {
            if r.time > env.now {
                future += 1;
                return;
            }
            let card = cards.id(r.deck, r.card);
            let i = card as usize;
            if i >= valid.len() {
                valid.resize(i + 1, true);
                if let Err(e) = CardRef::parse(r.deck, r.card) {
                    valid[i] = false;
                    first_bad.get_or_insert_with(|| format!("`{}/{}`: {e}", r.deck, r.card));
                }
            }
            if !valid[i] {
                bad += 1;
                return;
            }
            candidates.push((Key::of(card, &r), (r.duration_ms << 1) | u64::from(r.cram)));
        })
        .map_err(|e| other_error(other_path, e))?;
    let theirs = candidates.len();
    let mut added = new_answers(&known, candidates);
    drop(known);
    if let Some(example) = first_bad {
        eprintln!(
            "warning: skipped {} whose deck or card id is not an id portquiz writes, for example {}",
            crate::text::plural(bad, "answer"),
            crate::safe::line(&example)
        );
    }
    let shown = crate::safe::path(other_path);
    let left_out = if future == 0 {
        String::new()
    } else {
        format!(
            "; left out {} dated after now (the other machine's clock was ahead, or the file was made by hand)",
            crate::text::plural(future, "answer")
        )
    };
    if added.is_empty() {
        crate::outln!(
            "Nothing to merge: all {theirs} answers from {shown} are already here{left_out}."
        )?;
        return Ok(Exit::Ok);
    }

    // More new answers than the log holds (a whole library merged into a fresh database): the indexes are
    // built once at the end instead of row by row.
    let bulk = added.len() > ours;
    let mut rebuild = || {
        replay::rebuild(&tx, &scheduler, &cards, &mut added, &|card| {
            card < ours_cards
        })
    };
    let rebuilt = if bulk { tx.bulk(rebuild)? } else { rebuild()? };
    tx.commit()?;
    crate::outln!(
        "Merged {} new {} from {shown} ({} already here); rebuilt the schedule of {}{left_out}.",
        added.len(),
        if added.len() == 1 {
            "answer"
        } else {
            "answers"
        },
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::Rating::{Again, Easy, Good};

    /// Card `card` answered at `at` with `rating`, lasting `ms` milliseconds.
    fn answer(card: u32, at: &str, rating: Rating, ms: u64) -> (Key, u64) {
        let r = Review::answered("d", "c", at, rating);
        (Key::of(card, &r.borrowed()), ms << 1)
    }

    /// The added answers as (card, instant, rating, duration).
    fn shown(added: &[Added]) -> Vec<(u32, String, Rating, u64)> {
        added
            .iter()
            .map(|a| (a.card(), a.time().to_string(), a.rating(), a.duration_ms()))
            .collect()
    }

    #[test]
    fn an_answer_is_new_unless_both_logs_or_an_earlier_row_of_theirs_have_its_card_instant_and_rating()
     {
        let mut known: Vec<Key> = [
            answer(0, "2026-01-01T09:00:00Z", Good, 0),
            answer(0, "2026-01-03T09:00:00Z", Good, 0),
        ]
        .map(|(k, _)| k)
        .to_vec();
        known.sort_unstable();
        let theirs = vec![
            // Ours already (other details do not matter).
            answer(0, "2026-01-01T09:00:00Z", Good, 7),
            answer(1, "2026-01-02T09:00:00Z", Again, 5),
            // Same card and instant, other rating: another answer.
            answer(0, "2026-01-03T09:00:00Z", Easy, 3),
            // The same card, instant and rating twice in their log: once.
            answer(1, "2026-01-02T09:00:00Z", Again, 5),
            // Another card at an instant of ours.
            answer(2, "2026-01-01T09:00:00Z", Good, 1),
        ];
        let added = new_answers(&known, theirs.clone());
        assert_eq!(
            shown(&added),
            [
                (0, "2026-01-03T09:00:00Z".to_string(), Easy, 3),
                (1, "2026-01-02T09:00:00Z".to_string(), Again, 5),
                (2, "2026-01-01T09:00:00Z".to_string(), Good, 1),
            ]
        );
        // Merged once, nothing is new the second time.
        let mut all = known.clone();
        all.extend(theirs.iter().map(|(k, _)| *k));
        all.sort_unstable();
        assert!(new_answers(&all, theirs).is_empty());
    }
}

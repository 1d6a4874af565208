//! Review-log tools: the CSV layout FSRS tools read (`card_id,review_time,review_rating,review_state,
//! review_duration`, times in milliseconds) and the union of two review logs for `portquiz merge`.
//! Pure: logs in, text or logs out; the store reads and writes them.
use std::collections::BTreeMap;

use crate::review::Review;
use crate::schedule::Rating;

/// What makes two reviews the same review: deck, card, instant (to the microsecond, the store's
/// precision) and rating. Two machines do not answer the same card in the same microsecond by chance.
pub type ReviewKey = (String, String, i64, Rating);

/// A review's identity (see [`ReviewKey`]).
pub fn key(r: &Review) -> ReviewKey {
    (
        r.deck.clone(),
        r.card.clone(),
        r.time.as_microsecond(),
        r.rating,
    )
}

/// A CSV field: control and bidi characters shown visibly ([`crate::safe::line`]), quoted when needed.
fn csv_field(text: &str) -> String {
    let text = crate::safe::line(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The review log as CSV for FSRS tools: `card_id` is `deck/card`, `review_time` milliseconds since the
/// Unix epoch, `review_rating` 1-4, `review_state` 0 new, 1 learning, 2 review, 3 relearning,
/// `review_duration` milliseconds. Rows in time order.
pub fn to_csv(log: &[Review]) -> String {
    let mut rows: Vec<&Review> = log.iter().collect();
    rows.sort_by_key(|r| (r.time, r.deck.clone(), r.card.clone()));
    let mut out = String::from(CSV_HEADER);
    for r in rows {
        out.push_str(&csv_row(r));
    }
    out
}

/// The first line of [`to_csv`].
pub const CSV_HEADER: &str = "card_id,review_time,review_rating,review_state,review_duration\n";

/// One line of [`to_csv`], for writing a log as it is read.
pub fn csv_row(r: &Review) -> String {
    format!(
        "{},{},{},{},{}\n",
        csv_field(&format!("{}/{}", r.deck, r.card)),
        r.time.as_millisecond(),
        r.rating.as_u8(),
        r.state_before.as_u8(),
        r.duration_ms
    )
}

/// The result of merging another log into ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Both logs, each review once, in time order.
    pub log: Vec<Review>,
    /// Reviews from `theirs` that `ours` did not have.
    pub added: Vec<Review>,
}

/// Unites two review logs without duplicates (see [`key`]). Merging the same log twice adds
/// nothing the second time; the result does not depend on which side a shared review came from
/// (ours is kept).
pub fn merge(ours: &[Review], theirs: &[Review]) -> Merged {
    let mut all: BTreeMap<(i64, ReviewKey), Review> = BTreeMap::new();
    for r in ours {
        all.entry((r.time.as_microsecond(), key(r)))
            .or_insert_with(|| r.clone());
    }
    let mut added = Vec::new();
    for r in theirs {
        let at = (r.time.as_microsecond(), key(r));
        if let std::collections::btree_map::Entry::Vacant(slot) = all.entry(at) {
            slot.insert(r.clone());
            added.push(r.clone());
        }
    }
    added.sort_by_key(|r| (r.time, r.deck.clone(), r.card.clone()));
    Merged {
        log: all.into_values().collect(),
        added,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::State;
    use Rating::{Again, Easy, Good};

    fn r(card: &str, at: &str, rating: Rating, state_before: State) -> Review {
        Review {
            state_before,
            duration_ms: 4200,
            ..Review::answered("ports", card, at, rating)
        }
    }

    #[test]
    fn csv_has_the_fsrs_columns_in_milliseconds() {
        let mut b = r("b", "2026-01-02T00:00:00.5Z", Again, State::Review);
        b.duration_ms = 0;
        b.deck = "odd,deck".into();
        let log = vec![
            b,
            r("a", "2026-01-01T00:00:00Z", Good, State::New),
            r("c", "2026-01-03T00:00:00Z", Easy, State::Relearning),
            r("d", "2026-01-04T00:00:00Z", Rating::Hard, State::Learning),
        ];
        assert_eq!(
            to_csv(&log),
            "card_id,review_time,review_rating,review_state,review_duration\n\
             ports/a,1767225600000,3,0,4200\n\
             \"odd,deck/b\",1767312000500,1,2,0\n\
             ports/c,1767398400000,4,3,4200\n\
             ports/d,1767484800000,2,1,4200\n"
        );
    }

    #[test]
    fn merge_is_a_union_without_duplicates_and_idempotent() {
        let shared = r("a", "2026-01-01T09:00:00Z", Good, State::New);
        let ours = vec![
            shared.clone(),
            r("a", "2026-01-03T09:00:00Z", Good, State::Review),
        ];
        let mut theirs_shared = shared.clone();
        theirs_shared.duration_ms = 1; // same identity, other details: ours wins
        let theirs = vec![
            theirs_shared,
            r("b", "2026-01-02T09:00:00Z", Again, State::New),
            // Same card and time, other rating: a different review.
            r("a", "2026-01-03T09:00:00Z", Easy, State::Review),
        ];
        let once = merge(&ours, &theirs);
        let cards: Vec<(&str, Rating)> = once
            .log
            .iter()
            .map(|r| (r.card.as_str(), r.rating))
            .collect();
        assert_eq!(
            cards,
            vec![("a", Good), ("b", Again), ("a", Good), ("a", Easy)]
        );
        assert_eq!(once.log[0].duration_ms, 4200);
        assert_eq!(once.added.len(), 2);
        let twice = merge(&once.log, &theirs);
        assert_eq!(twice.log, once.log);
        assert!(twice.added.is_empty());
        // Either direction gives the same set of reviews.
        let other_way = merge(&theirs, &ours);
        let keys = |m: &Merged| m.log.iter().map(key).collect::<Vec<_>>();
        assert_eq!(keys(&other_way), keys(&once));
    }
}

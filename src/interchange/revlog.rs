//! Review-log tools: the CSV layout FSRS tools read (`card_id,review_time,review_rating,review_state,
//! review_duration`, times in milliseconds) and the union of two review logs for `portquiz merge`.
//! Pure: logs in, text or logs out; the store reads and writes them.
use std::collections::BTreeMap;

use jiff::Timestamp;

/// The card's state when it was reviewed, numbered as the FSRS optimiser expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewState {
    New = 0,
    Learning = 1,
    Review = 2,
    Relearning = 3,
}

/// One review, identified by deck, card, instant and rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub deck: String,
    pub card: String,
    pub at: Timestamp,
    /// 1 again, 2 hard, 3 good, 4 easy.
    pub rating: u8,
    pub state: ReviewState,
    /// Time spent answering, when known.
    pub duration_ms: Option<u64>,
}

/// What makes two reviews the same review: deck, card, instant (to the microsecond, the store's
/// precision) and rating. Two machines do not answer the same card in the same microsecond by chance.
pub type ReviewKey = (String, String, i64, u8);

impl Review {
    /// This review's identity.
    pub fn key(&self) -> ReviewKey {
        (
            self.deck.clone(),
            self.card.clone(),
            self.at.as_microsecond(),
            self.rating,
        )
    }
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
/// `review_duration` milliseconds (empty when unknown). Rows in time order.
pub fn to_csv(log: &[Review]) -> String {
    let mut rows: Vec<&Review> = log.iter().collect();
    rows.sort_by_key(|r| (r.at, r.deck.clone(), r.card.clone()));
    let mut out = String::from("card_id,review_time,review_rating,review_state,review_duration\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&format!("{}/{}", r.deck, r.card)),
            r.at.as_millisecond(),
            r.rating,
            r.state as u8,
            r.duration_ms.map(|d| d.to_string()).unwrap_or_default()
        ));
    }
    out
}

/// The result of merging another log into ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Both logs, each review once, in time order.
    pub log: Vec<Review>,
    /// Reviews from `theirs` that `ours` did not have.
    pub added: Vec<Review>,
}

/// Unites two review logs without duplicates (see [`Review::key`]). Merging the same log twice adds
/// nothing the second time; the result does not depend on which side a shared review came from
/// (ours is kept).
pub fn merge(ours: &[Review], theirs: &[Review]) -> Merged {
    let mut all: BTreeMap<(i64, ReviewKey), Review> = BTreeMap::new();
    for r in ours {
        all.entry((r.at.as_microsecond(), r.key()))
            .or_insert_with(|| r.clone());
    }
    let mut added = Vec::new();
    for r in theirs {
        let key = (r.at.as_microsecond(), r.key());
        if let std::collections::btree_map::Entry::Vacant(slot) = all.entry(key) {
            slot.insert(r.clone());
            added.push(r.clone());
        }
    }
    added.sort_by_key(|r| (r.at, r.deck.clone(), r.card.clone()));
    Merged {
        log: all.into_values().collect(),
        added,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn r(card: &str, at: &str, rating: u8, state: ReviewState) -> Review {
        Review {
            deck: "ports".into(),
            card: card.into(),
            at: at.parse().unwrap(),
            rating,
            state,
            duration_ms: Some(4200),
        }
    }

    #[test]
    fn csv_has_the_fsrs_columns_in_milliseconds() {
        let mut b = r("b", "2026-01-02T00:00:00.5Z", 1, ReviewState::Review);
        b.duration_ms = None;
        b.deck = "odd,deck".into();
        let log = vec![b, r("a", "2026-01-01T00:00:00Z", 3, ReviewState::New)];
        assert_eq!(
            to_csv(&log),
            "card_id,review_time,review_rating,review_state,review_duration\n\
             ports/a,1767225600000,3,0,4200\n\
             \"odd,deck/b\",1767312000500,1,2,\n"
        );
    }

    #[test]
    fn merge_is_a_union_without_duplicates_and_idempotent() {
        let shared = r("a", "2026-01-01T09:00:00Z", 3, ReviewState::New);
        let ours = vec![
            shared.clone(),
            r("a", "2026-01-03T09:00:00Z", 3, ReviewState::Review),
        ];
        let mut theirs_shared = shared.clone();
        theirs_shared.duration_ms = Some(1); // same identity, other details: ours wins
        let theirs = vec![
            theirs_shared,
            r("b", "2026-01-02T09:00:00Z", 1, ReviewState::New),
            // Same card and time, other rating: a different review.
            r("a", "2026-01-03T09:00:00Z", 4, ReviewState::Review),
        ];
        let once = merge(&ours, &theirs);
        let cards: Vec<(&str, u8)> = once
            .log
            .iter()
            .map(|r| (r.card.as_str(), r.rating))
            .collect();
        assert_eq!(cards, vec![("a", 3), ("b", 1), ("a", 3), ("a", 4)]);
        assert_eq!(once.log[0].duration_ms, Some(4200));
        assert_eq!(once.added.len(), 2);
        let twice = merge(&once.log, &theirs);
        assert_eq!(twice.log, once.log);
        assert!(twice.added.is_empty());
        // Either direction gives the same set of reviews.
        let other_way = merge(&theirs, &ours);
        let keys = |m: &Merged| m.log.iter().map(Review::key).collect::<Vec<_>>();
        assert_eq!(keys(&other_way), keys(&once));
    }
}

//! [`Review`]: one answer in the review log, the one row type that the store writes and reads back and
//! that statistics, the optimiser, the CSV export, `merge` and the replay consume. It lives beside the
//! scheduler's types it is made of (as a file of its own above `schedule` it made a circle with the replay).
//! Pure: it holds data and converts
//! between its forms; reading and writing rows is [`crate::store`]'s job.
//!
//! The row is generic over how it holds its deck and card ids, so each reader pays only for what it keeps:
//! `Review` (the default, `String`) owns them, `Review<&str>` lends them from a row being scanned, and a
//! report that keeps many rows can share them (`Review<Rc<str>>`).
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Rating, State};

/// The id of a recorded answer (its review-log row), increasing in recording order.
pub type AnswerId = i64;

/// One answer in the review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review<S = String> {
    /// Answer id (increasing in recording order; ignored when the row is added to a store).
    pub id: AnswerId,
    /// Deck id.
    pub deck: S,
    /// Card id within the deck.
    pub card: S,
    /// When the answer was given.
    pub time: Timestamp,
    /// The grade.
    pub rating: Rating,
    /// The card's state before the answer.
    pub state_before: State,
    /// Study days since the card's previous review (0 for a new card), as the scheduler counted them.
    pub elapsed_days: u32,
    /// Time taken, in milliseconds.
    pub duration_ms: u64,
    /// Whether it was a cram answer (logged, but it did not change the schedule).
    pub cram: bool,
}

impl<S> Review<S> {
    /// The same row with its deck and card ids converted by `ids` (the deck's first).
    pub fn map_ids<'a, T>(&'a self, mut ids: impl FnMut(&'a S) -> T) -> Review<T> {
        Review {
            id: self.id,
            deck: ids(&self.deck),
            card: ids(&self.card),
            time: self.time,
            rating: self.rating,
            state_before: self.state_before,
            elapsed_days: self.elapsed_days,
            duration_ms: self.duration_ms,
            cram: self.cram,
        }
    }
}

impl<S: AsRef<str>> Review<S> {
    /// The row with its deck and card ids lent.
    pub fn borrowed(&self) -> Review<&str> {
        self.map_ids(AsRef::as_ref)
    }

    /// The row with its deck and card ids owned.
    pub fn owned(&self) -> Review {
        self.map_ids(|id| id.as_ref().to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
impl Review {
    /// For tests: a study answer to `deck/card` at `time` (RFC 3339) rated `rating`, from a new card, with
    /// no duration; tests that need other values change those fields.
    pub fn answered(deck: &str, card: &str, time: &str, rating: Rating) -> Review {
        Review {
            id: 0,
            deck: deck.into(),
            card: card.into(),
            time: time.parse().unwrap(),
            rating,
            state_before: State::New,
            elapsed_days: 0,
            duration_ms: 0,
            cram: false,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::rc::Rc;

    use super::*;

    #[test]
    fn a_row_keeps_every_field_through_its_forms() {
        let row: Review = Review {
            id: 7,
            deck: "ports".into(),
            card: "ssh".into(),
            time: "2026-01-05T10:00:00Z".parse().unwrap(),
            rating: Rating::Hard,
            state_before: State::Review,
            elapsed_days: 3,
            duration_ms: 4200,
            cram: true,
        };
        let lent = row.borrowed();
        assert_eq!((lent.deck, lent.card), ("ports", "ssh"));
        assert_eq!(lent.owned(), row);
        let shared: Review<Rc<str>> = lent.map_ids(|&id| Rc::from(id));
        assert_eq!(shared.owned(), row);
        assert_eq!(
            format!("{:?}", row.map_ids(|id| id.len())),
            "Review { id: 7, deck: 5, card: 3, time: 2026-01-05T10:00:00Z, rating: Hard, \
             state_before: Review, elapsed_days: 3, duration_ms: 4200, cram: true }"
        );
    }
}

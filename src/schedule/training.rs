//! Turning the candidate's review history into the `fsrs` crate's training items (for `optimize`). Pure: the
//! caller streams the review log in; fitting and measuring live in `crate::reports::fit`.
use std::collections::HashMap;
use std::hash::Hash;

use fsrs::{FSRSItem, FSRSReview};

use super::card::Rating;

/// Builds FSRS training items from scheduled (non-cram) answers given in time order as
/// `(card key, rating, elapsed study days)`. As Anki does, each answer after a card's first becomes one item
/// (the card's history up to and including it) when it was made on a later day than the previous answer
/// (`elapsed > 0`): same-day answers are part of histories but are not predicted themselves. A card's first
/// answer always counts as `delta_t = 0`. Each item comes with the key of its card.
pub fn training_items<K: Eq + Hash + Clone>(
    answers: impl IntoIterator<Item = (K, Rating, u32)>,
) -> Vec<(K, FSRSItem)> {
    let mut histories: HashMap<K, Vec<FSRSReview>> = HashMap::new();
    let mut items = Vec::new();
    for (key, rating, elapsed) in answers {
        let history = histories.entry(key.clone()).or_default();
        let delta_t = if history.is_empty() { 0 } else { elapsed };
        history.push(FSRSReview {
            rating: u32::from(rating.as_u8()),
            delta_t,
        });
        if history.len() > 1 && delta_t > 0 {
            items.push((
                key,
                FSRSItem {
                    reviews: history.clone(),
                },
            ));
        }
    }
    items
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn review(rating: u32, delta_t: u32) -> FSRSReview {
        FSRSReview { rating, delta_t }
    }

    #[test]
    fn items_are_per_card_prefixes_ending_in_a_later_day_answer() {
        let answers = [
            ("a", Rating::Good, 0),
            ("b", Rating::Again, 0),
            ("a", Rating::Good, 0), // same day: history only
            ("b", Rating::Good, 0),
            ("a", Rating::Hard, 3),
            ("b", Rating::Easy, 1),
            ("a", Rating::Again, 9),
            ("c", Rating::Good, 5), // first answer of c: delta_t forced to 0, no item
        ];
        let items = training_items(answers);
        let got: Vec<(&str, Vec<FSRSReview>)> =
            items.into_iter().map(|(k, i)| (k, i.reviews)).collect();
        assert_eq!(
            got,
            [
                ("a", vec![review(3, 0), review(3, 0), review(2, 3)]),
                ("b", vec![review(1, 0), review(3, 0), review(4, 1)]),
                (
                    "a",
                    vec![review(3, 0), review(3, 0), review(2, 3), review(1, 9)]
                ),
            ]
        );
    }
}

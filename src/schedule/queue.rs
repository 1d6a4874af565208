//! The due queue: which cards a session shows, in which order, within the daily limits.
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::card::{CardState, State};

/// Daily limits and what was already done today (the caller counts from the store since
/// [`super::Scheduler::day_start`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueLimits {
    /// New cards introduced per study day (`--new`). Default 10.
    pub new_per_day: u32,
    /// Reviews per study day (`--limit`). Default 200.
    pub reviews_per_day: u32,
    /// New cards already introduced today.
    pub new_done_today: u32,
    /// Reviews (of cards in the review state) already done today.
    pub reviews_done_today: u32,
    /// Learning and relearning cards due within this much of `now` are shown when nothing else is
    /// left, as Anki's "learn ahead limit". Default 20 minutes; zero turns it off.
    pub learn_ahead: SignedDuration,
}

impl Default for QueueLimits {
    fn default() -> Self {
        QueueLimits {
            new_per_day: 10,
            reviews_per_day: 200,
            new_done_today: 0,
            reviews_done_today: 0,
            learn_ahead: SignedDuration::from_mins(20),
        }
    }
}

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueKind {
    /// A learning or relearning card whose step is due.
    Learning,
    /// A review card that is due.
    Review,
    /// A new card, within today's new-card limit.
    New,
    /// A learning or relearning card not yet due but within the learn-ahead window.
    LearnAhead,
}

/// One queued card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry<K> {
    /// The caller's key for the card (e.g. deck id + card id).
    pub key: K,
    /// Why it is queued.
    pub kind: QueueKind,
}

/// Orders the cards to show at `now`: due learning/relearning cards (earliest due first), then due reviews
/// (most overdue first, at most `reviews_per_day - reviews_done_today`), then new cards in the order given
/// (at most `new_per_day - new_done_today`), then learning cards due within `learn_ahead` (earliest first).
/// Ties keep the order of `cards`, so the result is deterministic; shuffle `cards` first for a random order.
pub fn build_queue<'a, K: Clone + 'a>(
    cards: impl IntoIterator<Item = (&'a K, &'a CardState)>,
    now: Timestamp,
    limits: &QueueLimits,
) -> Vec<QueueEntry<K>> {
    let mut learning: Vec<(Timestamp, &K)> = Vec::new();
    let mut reviews: Vec<(Timestamp, &K)> = Vec::new();
    let mut new: Vec<&K> = Vec::new();
    let mut ahead: Vec<(Timestamp, &K)> = Vec::new();
    let ahead_until = now
        .saturating_add(limits.learn_ahead.abs())
        .unwrap_or(Timestamp::MAX);
    for (key, card) in cards {
        match (card.state, card.due) {
            (State::New, _) => new.push(key),
            // A scheduled card without a due time is treated as due now.
            (State::Learning | State::Relearning, due) => {
                let due = due.unwrap_or(now);
                if due <= now {
                    learning.push((due, key));
                } else if due <= ahead_until {
                    ahead.push((due, key));
                }
            }
            (State::Review, due) => {
                let due = due.unwrap_or(now);
                if due <= now {
                    reviews.push((due, key));
                }
            }
        }
    }
    // sort_by_key is stable: equal due times keep the caller's order.
    learning.sort_by_key(|(due, _)| *due);
    reviews.sort_by_key(|(due, _)| *due);
    ahead.sort_by_key(|(due, _)| *due);
    let review_room = to_usize(
        limits
            .reviews_per_day
            .saturating_sub(limits.reviews_done_today),
    );
    let new_room = to_usize(limits.new_per_day.saturating_sub(limits.new_done_today));

    let entry = |key: &K, kind| QueueEntry {
        key: key.clone(),
        kind,
    };
    let mut queue = Vec::with_capacity(
        learning.len() + reviews.len().min(review_room) + new.len().min(new_room),
    );
    queue.extend(
        learning
            .into_iter()
            .map(|(_, k)| entry(k, QueueKind::Learning)),
    );
    queue.extend(
        reviews
            .into_iter()
            .take(review_room)
            .map(|(_, k)| entry(k, QueueKind::Review)),
    );
    queue.extend(
        new.into_iter()
            .take(new_room)
            .map(|k| entry(k, QueueKind::New)),
    );
    queue.extend(
        ahead
            .into_iter()
            .map(|(_, k)| entry(k, QueueKind::LearnAhead)),
    );
    queue
}

/// The earliest due time strictly after `now` among scheduled (non-new) cards, for "nothing due; next card
/// due at ...". Cards already due but held back by a daily limit are not counted: they come back at
/// [`super::Scheduler::next_day_start`].
pub fn next_due<'a>(
    cards: impl IntoIterator<Item = &'a CardState>,
    now: Timestamp,
) -> Option<Timestamp> {
    cards
        .into_iter()
        .filter(|card| card.state != State::New)
        .filter_map(|card| card.due)
        .filter(|due| *due > now)
        .min()
}

fn to_usize(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

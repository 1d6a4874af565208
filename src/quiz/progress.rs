//! What both quiz loops (the study session and the interview) need from the progress store, as a trait: the
//! stored states, today's counts, recording an answer and undoing one. [`crate::store::Store`] implements it on
//! SQLite; [`MemoryProgress`] keeps it in memory so whole sessions and rounds run in unit tests without a database.
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use crate::deck::CardRef;
use crate::review::Review;
use crate::schedule::{CardState, State};
use crate::store::{Answer, AnswerId, Store, StoreError, Undone};

/// The progress a session reads and writes.
pub trait Progress {
    /// Every stored card state.
    fn states(&self) -> &dyn crate::join::StoredStates;
    /// New cards introduced and reviews answered (cram excluded) at or after `since`.
    fn done_since(&self, since: Timestamp) -> Result<Today, StoreError>;
    /// Records one answer durably (log row + the card's new state) and returns its id for undo.
    fn record(&mut self, answer: &Answer<'_>) -> Result<AnswerId, StoreError>;
    /// Takes back a recorded answer: removes its log row and restores the card's previous state.
    fn undo(&mut self, id: AnswerId) -> Result<Undone, StoreError>;
    /// The cards answered at or after `since` (their siblings are buried for the rest of the day).
    fn answered_since(&self, since: Timestamp) -> Result<HashSet<CardRef>, StoreError>;
    /// The cards the candidate took out of rotation.
    fn suspended(&self) -> Result<HashSet<CardRef>, StoreError>;
    /// Called once the session has loaded and is about to show its first question: a store checks itself
    /// for damage here (a large one beside the candidate's reading time, not beside the start-up's work).
    fn first_question(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Stores how sure the candidate was of a recorded answer (an interview's confidence prompt).
    fn set_confidence(
        &mut self,
        id: AnswerId,
        confidence: crate::store::Confidence,
    ) -> Result<(), StoreError>;
    /// Suspends a card, or brings it back.
    fn set_suspended(
        &mut self,
        card: &CardRef,
        suspended: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
}

/// Today's counts that the daily limits use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Today {
    pub new: u32,
    pub reviews: u32,
}

impl Progress for Store {
    fn states(&self) -> &dyn crate::join::StoredStates {
        self
    }

    fn done_since(&self, since: Timestamp) -> Result<Today, StoreError> {
        Ok(Today {
            new: self.new_introduced_since(since)?,
            reviews: self.reviews_since(since)?,
        })
    }

    fn record(&mut self, answer: &Answer<'_>) -> Result<AnswerId, StoreError> {
        self.record_answer(answer)
    }

    fn undo(&mut self, id: AnswerId) -> Result<Undone, StoreError> {
        Store::undo(self, id)
    }

    fn answered_since(&self, since: Timestamp) -> Result<HashSet<CardRef>, StoreError> {
        self.cards_answered_since(since)
    }

    fn suspended(&self) -> Result<HashSet<CardRef>, StoreError> {
        Store::suspended(self)
    }

    fn set_confidence(
        &mut self,
        id: AnswerId,
        confidence: crate::store::Confidence,
    ) -> Result<(), StoreError> {
        Store::set_confidence(self, id, confidence)
    }

    fn first_question(&mut self) -> Result<(), StoreError> {
        // A damaged file must not be written to: checked before the first question (a large one beside it,
        // before the first answer is written).
        self.check_for_damage()
    }

    fn set_suspended(
        &mut self,
        card: &CardRef,
        suspended: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        Store::set_suspended(self, card, suspended, now)
    }
}

/// One answer as [`MemoryProgress`] keeps it: the review-log row, with the states around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The card, as the session named it.
    pub key: CardRef,
    /// The review-log row, as the store would keep it.
    pub review: Review,
    /// The card's state before the answer (restored by undo).
    pub before: Option<CardState>,
    /// `None` for a cram answer.
    pub after: Option<CardState>,
    /// The candidate overrode a verdict of wrong.
    pub overridden: bool,
    /// The matcher called the answer close.
    pub close: bool,
    /// The round it was given in.
    pub kind: crate::store::AnswerKind,
}

/// Progress in memory, for tests: the same rules as the store (cram answers are logged and change no state;
/// undo restores the state before the answer).
#[derive(Debug, Clone, Default)]
pub struct MemoryProgress {
    pub states: HashMap<CardRef, CardState>,
    pub log: Vec<Recorded>,
    pub suspended: HashSet<CardRef>,
    /// How sure the candidate was, by answer.
    pub confidence: HashMap<AnswerId, crate::store::Confidence>,
    next_id: AnswerId,
}

impl MemoryProgress {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Progress for MemoryProgress {
    fn states(&self) -> &dyn crate::join::StoredStates {
        &self.states
    }

    fn done_since(&self, since: Timestamp) -> Result<Today, StoreError> {
        let mut today = Today::default();
        for row in self
            .log
            .iter()
            .map(|r| &r.review)
            .filter(|r| r.time >= since && !r.cram)
        {
            match row.state_before {
                State::New => today.new += 1,
                State::Review => today.reviews += 1,
                State::Learning | State::Relearning => {}
            }
        }
        Ok(today)
    }

    fn record(&mut self, answer: &Answer<'_>) -> Result<AnswerId, StoreError> {
        self.next_id += 1;
        let key = answer.card.clone();
        let before = self.states.get(&key).cloned();
        if let Some(after) = answer.new_state {
            self.states.insert(key.clone(), after.clone());
        }
        self.log.push(Recorded {
            review: Review {
                id: self.next_id,
                deck: key.deck.to_string(),
                card: key.card.to_string(),
                time: answer.time,
                rating: answer.rating,
                state_before: before.as_ref().map_or(State::New, |s| s.state),
                elapsed_days: answer.elapsed_days,
                duration_ms: answer.duration_ms,
                cram: answer.new_state.is_none(),
            },
            key,
            before,
            after: answer.new_state.cloned(),
            overridden: answer.overridden,
            close: answer.close,
            kind: answer.kind,
        });
        Ok(self.next_id)
    }

    fn undo(&mut self, id: AnswerId) -> Result<Undone, StoreError> {
        let Some(at) = self.log.iter().position(|r| r.review.id == id) else {
            return Err(StoreError::NoSuchAnswer { id });
        };
        let row = self.log.remove(at);
        let cram = row.review.cram;
        if !cram {
            match &row.before {
                Some(state) => {
                    self.states.insert(row.key.clone(), state.clone());
                }
                None => {
                    self.states.remove(&row.key);
                }
            }
        }
        Ok(Undone {
            state: row.before.unwrap_or_default(),
            key: row.key,
            cram,
        })
    }

    fn answered_since(&self, since: Timestamp) -> Result<HashSet<CardRef>, StoreError> {
        Ok(self
            .log
            .iter()
            .filter(|r| r.review.time >= since)
            .map(|r| r.key.clone())
            .collect())
    }

    fn suspended(&self) -> Result<HashSet<CardRef>, StoreError> {
        Ok(self.suspended.clone())
    }

    fn set_confidence(
        &mut self,
        id: AnswerId,
        confidence: crate::store::Confidence,
    ) -> Result<(), StoreError> {
        self.confidence.insert(id, confidence);
        Ok(())
    }

    fn set_suspended(
        &mut self,
        card: &CardRef,
        suspended: bool,
        _now: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(if suspended {
            self.suspended.insert(card.clone())
        } else {
            self.suspended.remove(card)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::Rating;

    #[test]
    fn memory_progress_logs_cram_apart_and_undo_restores_the_state_before() {
        let mut progress = MemoryProgress::new();
        let time: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let learning = CardState {
            state: State::Learning,
            ..CardState::new()
        };
        let (a, b) = (
            CardRef::parse("t", "a").unwrap(),
            CardRef::parse("t", "b").unwrap(),
        );
        let answer = |card, new_state| Answer {
            card,
            time,
            rating: Rating::Good,
            elapsed_days: 0,
            duration_ms: 1500,
            new_state,
            overridden: false,
            close: false,
            based_on: None,
            kind: Default::default(),
        };
        let first = progress.record(&answer(&a, Some(&learning))).unwrap();
        progress.record(&answer(&b, None)).unwrap();
        progress.record(&answer(&a, Some(&learning))).unwrap();
        let rows: Vec<String> = progress
            .log
            .iter()
            .map(|r| {
                let r = &r.review;
                format!(
                    "{} {}/{} {} {} cram={}",
                    r.id, r.deck, r.card, r.rating, r.state_before, r.cram
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "1 t/a good new cram=false",
                "2 t/b good new cram=true",
                "3 t/a good learning cram=false"
            ]
        );
        // The cram answer is not counted; the second answer to `a` is neither new nor a review.
        assert_eq!(
            progress.done_since(time).unwrap(),
            Today { new: 1, reviews: 0 }
        );
        progress.undo(3).unwrap();
        let undone = progress.undo(first).unwrap();
        assert_eq!(
            (undone.key.to_string(), undone.state, undone.cram),
            ("t/a".to_owned(), CardState::new(), false)
        );
        assert!(progress.states.is_empty());
    }
}

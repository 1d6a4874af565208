//! The study session: one loop of "next card, answer, feedback, grade, record" on the [`crate::quiz`] engine
//! (which asks and checks each card kind, saves answers, and holds the claim, hints and demos), driven through
//! the [`Ui`] trait so the terminal and plain front ends share it, and through the [`Progress`] and [`Live`]
//! traits so whole sessions run in unit tests with a scripted UI, progress in memory and injected
//! experiment outcomes. What is the session's own: the order of cards (the due queue, spacing, burying),
//! the daily limits, feedback at once, suspending, and its summary.
//!
//! Rules it keeps:
//! - Each answer is written to the progress store (one transaction) before the next question is shown.
//! - Auto-checked cards record a wrong answer as Again and suggest Good for a right one (Hard at most after
//!   the hint); cram answers are logged without changing the schedule.
//! - Undo takes back the most recent thing the candidate did: at a grade prompt the answer just given (the
//!   card is asked again); at a question, the last recorded answer (that card is asked again).
//! - Quitting (q, Esc, end of input or Ctrl-C) at a grade prompt keeps the answer just given, recorded with
//!   the grade the prompt offered as its default; the summary says so.
//! - After a verdict of wrong the candidate may claim the answer ("I was right") and grade it themself; the
//!   review log marks it as overridden. A close verdict shows what matched and what did not, and the candidate
//!   confirms a grade (Enter = Hard).
//! - A card answered is not asked again before a few other cards, when there are any; its siblings (cards
//!   naming the same experiment, cells of the same table row) are buried for the rest of the study day.
//! - Suspended cards are never asked; a candidate suspends one at its grade prompt.
//! - A lab whose check fails offers retry (at most [`MAX_LAB_CHECKS`] checks), give up (Again) or skip.
//!
//! The loop decides what happens; [`words`] says it; [`Planner`] holds the scheduler, the clock, the rng and
//! the judge.
mod card;
mod summary;
pub mod words;

#[cfg(test)]
mod tests;

use jiff::Timestamp;
use rand::seq::SliceRandom;

pub use card::MAX_LAB_CHECKS;
pub use summary::{Outlook, Summary};

use crate::deck::{Card, CardRef, Deck};
use crate::quiz::{Engine, QuizError, Today};
use crate::schedule::{CardState, QueueEntry, QueueKind, QueueLimits, State, build_queue};
use crate::store::AnswerId;
use crate::ui::{Style, UiError};

/// Limits and mode of one session.
#[derive(Debug, Clone)]
pub struct Config {
    pub new_per_day: u32,
    pub review_limit: u32,
    pub cram: bool,
    /// Whether answering a card buries its siblings for the rest of the study day.
    pub bury: bool,
    /// Start of the study day: daily limits count answers since then.
    pub day_start: Timestamp,
}

/// How many other cards come between two showings of one card, when there are that many.
const SPACING: usize = 3;

/// Something the candidate did that undo can take back.
enum Done {
    Answer {
        answer_id: AnswerId,
        card: usize,
        verdict: Verdict,
        rating: crate::schedule::Rating,
        was_new: bool,
        learned: bool,
        /// Siblings this answer buried.
        buried: Vec<usize>,
    },
    Suspend {
        card: usize,
    },
}

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Right,
    Wrong,
    /// The candidate graded it (flashcards).
    SelfGraded,
    /// The candidate overrode a verdict of wrong and graded it.
    Claimed,
    /// The matcher called it close; the candidate confirmed a grade (counted as graded by the candidate).
    Close,
}

impl Verdict {
    /// Whether the candidate chose the grade.
    fn by_you(self) -> bool {
        matches!(
            self,
            Verdict::SelfGraded | Verdict::Claimed | Verdict::Close
        )
    }
}

/// What happened at one card.
enum Step {
    Answered,
    /// This machine cannot run the card's experiment.
    Unavailable,
    /// The candidate left a lab for another time.
    Skipped,
    /// Take back the last thing done.
    Undo,
    /// Ask the same card again (undo at its grade prompt).
    Again,
    Quit,
}

/// Why a card is out of this session's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aside {
    No,
    /// Skipped (unavailable here, or by the candidate) or already crammed.
    Done,
    /// A sibling was answered today.
    Buried,
    Suspended,
}

/// The study session.
pub struct Session<'a> {
    cards: Vec<(&'a Deck, &'a Card)>,
    /// Each card's state (same index as `cards`; `CardState::new()` when the store has none).
    states: Vec<CardState>,
    /// Why a card is out of the queue, by index.
    aside: Vec<Aside>,
    /// Each card's sibling group (same experiment, or same table row), by index.
    siblings: Vec<Option<usize>>,
    /// The last cards shown, most recent last (a card is not shown again right away).
    recent: std::collections::VecDeque<usize>,
    /// Card indices by a random rank drawn once: new cards (and cram) follow it, so the order is shuffled
    /// but stable.
    by_rank: Vec<usize>,
    engine: Engine<'a>,
    config: Config,
    today: Today,
    history: Vec<Done>,
    /// The card to ask next, before the queue (after an undo).
    front: Option<usize>,
    summary: Summary,
}

impl<'a> Session<'a> {
    /// Prepares a session over `decks` with the stored progress.
    pub fn new(
        decks: &'a [Deck],
        mut engine: Engine<'a>,
        config: Config,
    ) -> Result<Self, QuizError> {
        let progress = &mut *engine.progress;
        let (cards, states): (Vec<(&Deck, &Card)>, Vec<CardState>) =
            crate::join::with_states(decks, progress.states())?
                .into_iter()
                .map(|c| ((c.deck, c.card), c.state))
                .unzip();
        let today = progress.done_since(config.day_start)?;
        let mut rank: Vec<usize> = (0..cards.len()).collect();
        rank.shuffle(engine.planner.rng());
        let mut by_rank: Vec<usize> = (0..cards.len()).collect();
        by_rank.sort_by_key(|&i| rank[i]);
        // Cards are named by borrowed ids here (a `CardRef` per card was 200,000 strings at 100,000 cards);
        // the suspended and today's answered cards are few.
        let key = |i: usize| (cards[i].0.id.as_str(), cards[i].1.id.as_str());
        fn borrowed(
            set: &std::collections::HashSet<CardRef>,
        ) -> std::collections::HashSet<(&str, &str)> {
            set.iter()
                .map(|r| (r.deck.as_str(), r.card.as_str()))
                .collect()
        }
        let has = |set: &std::collections::HashSet<(&str, &str)>, i: usize| {
            !set.is_empty() && set.contains(&key(i))
        };
        let siblings = sibling_groups(&cards);
        let suspended_cards = progress.suspended()?;
        let suspended = borrowed(&suspended_cards);
        let mut aside: Vec<Aside> = (0..cards.len())
            .map(|i| {
                if has(&suspended, i) {
                    Aside::Suspended
                } else {
                    Aside::No
                }
            })
            .collect();
        if !config.cram && config.bury {
            let answered_cards = progress.answered_since(config.day_start)?;
            let answered = borrowed(&answered_cards);
            let groups: std::collections::HashSet<usize> = (0..cards.len())
                .filter(|&i| has(&answered, i))
                .filter_map(|i| siblings[i])
                .collect();
            for i in 0..cards.len() {
                if siblings[i].is_some_and(|g| groups.contains(&g))
                    && !has(&answered, i)
                    && buriable(&states[i])
                    && aside[i] == Aside::No
                {
                    aside[i] = Aside::Buried;
                }
            }
        }
        Ok(Self {
            aside,
            siblings,
            recent: std::collections::VecDeque::new(),
            cards,
            states,
            by_rank,
            engine,
            config,
            today,
            history: Vec::new(),
            front: None,
            summary: Summary::default(),
        })
    }

    /// The identity of card `i` (built when needed: the session asks a few cards of many).
    fn key_of(&self, i: usize) -> CardRef {
        let (deck, card) = self.cards[i];
        deck.card_ref(card)
    }

    /// Cards still to be shown now, in order (learning, reviews most overdue first, new cards, learn-ahead),
    /// as indices into the session's cards. New cards (and cram) follow the session's shuffled rank.
    pub fn queue(&self) -> Vec<usize> {
        self.queue_at(self.engine.planner.now())
    }

    fn queue_at(&self, now: Timestamp) -> Vec<usize> {
        self.entries(now).into_iter().map(|e| e.key).collect()
    }

    fn entries(&self, now: Timestamp) -> Vec<QueueEntry<usize>> {
        // Card indices go through the queue and states are a Vec by index: the queue is rebuilt before every
        // question, and at 10,000 cards building and hashing a key per card each time cost milliseconds.
        let order = self.by_rank.iter().filter(|&&i| self.aside[i] == Aside::No);
        if self.config.cram {
            let room =
                (self.config.review_limit as usize).saturating_sub(self.summary.answered as usize);
            return order
                .filter(|&&i| self.states[i].state != State::New)
                .take(room)
                .map(|&key| QueueEntry {
                    key,
                    kind: QueueKind::Review,
                })
                .collect();
        }
        build_queue(order.map(|i| (i, &self.states[*i])), now, &self.limits())
    }

    fn limits(&self) -> QueueLimits {
        QueueLimits {
            new_per_day: self.config.new_per_day,
            reviews_per_day: self.config.review_limit,
            new_done_today: self.today.new,
            reviews_done_today: self.today.reviews,
            ..QueueLimits::default()
        }
    }

    /// What is due now, and how many unseen cards the daily new-card limit holds back.
    pub fn outlook(&self) -> Outlook {
        let mut outlook = Outlook {
            new_per_day: self.config.new_per_day,
            ..Outlook::default()
        };
        for entry in self.entries(self.engine.planner.now()) {
            match entry.kind {
                QueueKind::Learning | QueueKind::LearnAhead => outlook.learning += 1,
                QueueKind::Review => outlook.review += 1,
                QueueKind::New => outlook.new += 1,
            }
        }
        if !self.config.cram {
            let unseen = (0..self.cards.len())
                .filter(|&i| self.aside[i] == Aside::No && self.states[i].state == State::New)
                .count();
            outlook.new_waiting = unseen.saturating_sub(outlook.new);
            outlook.new_buried = (0..self.cards.len())
                .filter(|&i| self.aside[i] == Aside::Buried && self.states[i].state == State::New)
                .count();
        }
        outlook
    }

    /// Runs the session until nothing is left, the candidate quits, or Ctrl-C.
    pub fn run(mut self) -> Result<Summary, QuizError> {
        let started = self.engine.planner.now();
        let outlook = self.outlook();
        self.engine.progress.first_question()?;
        self.engine
            .ui
            .say(Style::Dim, &words::outlook(&outlook, self.config.cram))?;
        loop {
            let now = self.engine.planner.now();
            let order = self.queue_at(now);
            let next = match self.front.take() {
                Some(front) => front,
                None => match self.pick(&order) {
                    Some(next) => next,
                    None => break,
                },
            };
            // Left: cards due now (new, review, learning steps due); coming back: learning steps due later,
            // shown ahead when nothing else is left or after their step.
            let later = |i: usize| {
                matches!(self.states[i].state, State::Learning | State::Relearning)
                    && self.states[i].due.is_some_and(|due| due > now)
            };
            let coming = (0..self.cards.len())
                .filter(|&i| i != next && self.aside[i] == Aside::No && later(i))
                .count();
            // The card shown counts as left, whatever its kind.
            let left = order.iter().filter(|&&i| i != next && !later(i)).count() + 1;
            let position = (self.summary.answered as usize, left, coming);

            self.recent.push_back(next);
            if self.recent.len() > SPACING {
                self.recent.pop_front();
            }
            match self.card(next, position) {
                Ok(Step::Answered) => {}
                Ok(Step::Unavailable) => {
                    self.aside[next] = Aside::Done;
                    self.summary.unavailable += 1;
                }
                Ok(Step::Skipped) => {
                    self.aside[next] = Aside::Done;
                    self.summary.skipped += 1;
                }
                Ok(Step::Again) => self.front = Some(next),
                Ok(Step::Undo) => self.undo()?,
                Ok(Step::Quit) => break,
                Err(QuizError::Ui(UiError::Interrupted)) => {
                    self.summary.interrupted = true;
                    break;
                }
                Err(err) => return Err(err),
            }
        }
        let outlook = self.outlook();
        self.summary.due_now = outlook.total();
        // The limit stopped new cards only when none of today's are left to show.
        self.summary.new_waiting = if outlook.new == 0 {
            outlook.new_waiting
        } else {
            0
        };
        self.summary.new_buried = outlook.new_buried;
        self.summary.new_per_day = self.config.new_per_day;
        self.summary.spent = self.engine.planner.now().duration_since(started);
        self.summary.next_due = self.next_due();
        Ok(self.summary)
    }

    /// The next card: the first in the queue that was not among the last few shown, when there is one.
    fn pick(&self, order: &[usize]) -> Option<usize> {
        order
            .iter()
            .find(|i| !self.recent.contains(i))
            .or(order.first())
            .copied()
    }

    /// The screen when nothing is due at the start: when the next card is, and how to study anyway.
    pub fn nothing_due(&self, now: Timestamp, tz: &jiff::tz::TimeZone) -> String {
        let outlook = self.outlook();
        words::nothing_due(now, tz, self.next_due(), &outlook, self.config.cram)
    }

    /// When the next card of these decks becomes due (learning or review).
    pub fn next_due(&self) -> Option<Timestamp> {
        let now = self.engine.planner.now();
        self.states
            .iter()
            .filter(|s| s.state != State::New)
            .filter_map(|s| s.due)
            .filter(|due| *due > now)
            .min()
    }

    fn undo(&mut self) -> Result<(), QuizError> {
        let Some(done) = self.history.pop() else {
            self.engine
                .ui
                .say(Style::Dim, crate::quiz::words::NOTHING_TO_UNDO)?;
            return Ok(());
        };
        let (answer_id, card, verdict, rating, was_new, learned, buried) = match done {
            Done::Suspend { card } => {
                let key = self.key_of(card);
                self.engine
                    .progress
                    .set_suspended(&key, false, self.engine.planner.now())?;
                self.aside[card] = Aside::No;
                let name = key.to_string();
                self.summary.suspended.retain(|c| *c != name);
                let text = words::unsuspended(&name);
                self.engine.ui.say(Style::Dim, &text)?;
                return Ok(());
            }
            Done::Answer {
                answer_id,
                card,
                verdict,
                rating,
                was_new,
                learned,
                buried,
            } => (answer_id, card, verdict, rating, was_new, learned, buried),
        };
        let undone = self.engine.progress.undo(answer_id)?;
        self.states[card] = undone.state;
        self.aside[card] = Aside::No;
        for sibling in buried {
            self.aside[sibling] = Aside::No;
        }
        self.summary.undone += 1;
        self.summary
            .count(rating, verdict.by_you(), verdict == Verdict::Claimed, false);
        if learned {
            self.summary.learned -= 1;
        }
        if self
            .summary
            .kept_on_quit
            .as_ref()
            .is_some_and(|(c, _)| *c == self.key_of(card).to_string())
        {
            self.summary.kept_on_quit = None;
        }
        if !self.config.cram {
            if was_new {
                self.today.new = self.today.new.saturating_sub(1);
            } else {
                self.today.reviews = self.today.reviews.saturating_sub(1);
            }
        }
        let id = self.cards[card].1.id.as_str();
        self.engine
            .ui
            .say(Style::Dim, &crate::quiz::words::undone(id))?;
        self.front = Some(card);
        Ok(())
    }
}

/// Each card's sibling group: cards naming the same experiment (across decks), and cells of the same table
/// row (within a deck), share a group; other cards have none.
pub(crate) fn sibling_groups(cards: &[(&Deck, &Card)]) -> Vec<Option<usize>> {
    let mut groups: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    let keys: Vec<Option<(String, String)>> = cards
        .iter()
        .map(|(deck, card)| match card.kind.experiment() {
            Some(experiment) => Some((String::new(), experiment.to_string())),
            None if card.id.is_cell() => {
                let id = card.id.as_str();
                let row = id.rsplit_once('/').map_or(id, |(row, _)| row);
                Some((deck.id.to_string(), row.to_string()))
            }
            None => None,
        })
        .collect();
    let mut count: std::collections::HashMap<&(String, String), usize> =
        std::collections::HashMap::new();
    for key in keys.iter().flatten() {
        *count.entry(key).or_default() += 1;
    }
    keys.iter()
        .map(|key| {
            let key = key.as_ref()?;
            // A group of one has no siblings.
            (count.get(key).copied().unwrap_or(0) > 1).then(|| {
                let next = groups.len();
                *groups.entry(key.clone()).or_insert(next)
            })
        })
        .collect()
}

/// Whether a sibling of an answered card is buried: new and review cards wait for tomorrow; a card in a
/// learning step keeps its step.
fn buriable(state: &CardState) -> bool {
    matches!(state.state, State::New | State::Review)
}

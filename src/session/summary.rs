//! What a study session reports: what is due when it opens ([`Outlook`]) and what it did when it ends
//! ([`Summary`]). Plain data, below both the loop that fills it and the words that say it.
use jiff::Timestamp;

use crate::schedule::Rating;

/// What a session did, for the closing summary. `answered = right + wrong`, counted as `stats` counts its
/// reviews: right is recorded with a passing grade (Hard, Good or Easy), wrong is recorded as Again, whoever
/// decided; `by_your_grade` says how many of the right ones the candidate graded (flashcards, explanations,
/// verdicts overridden), so "right" means the same number in both places.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Answers recorded (and not undone).
    pub answered: u32,
    /// Answers recorded with a passing grade (Hard, Good, Easy).
    pub right: u32,
    /// Answers recorded as Again.
    pub wrong: u32,
    /// Of `right`, answers the candidate graded: flashcards, explanations, and verdicts they overrode.
    pub by_your_grade: u32,
    /// Of `by_your_grade`, verdicts of wrong the candidate overrode ("I was right").
    pub claimed: u32,
    /// New cards that left the new state with a passing grade.
    pub learned: u32,
    /// Cards skipped because this machine cannot run their experiment.
    pub unavailable: u32,
    /// Labs the candidate chose to skip.
    pub skipped: u32,
    pub undone: u32,
    /// Cards suspended in this session (`deck/card`).
    pub suspended: Vec<String>,
    /// Ended by Ctrl-C.
    pub interrupted: bool,
    /// The answer recorded with its default grade because the candidate quit at its grade prompt.
    pub kept_on_quit: Option<(String, Rating)>,
    /// Time from the first question to the end.
    pub spent: jiff::SignedDuration,
    /// Cards still to study now when the session ended (0 when it ran out of cards).
    pub due_now: usize,
    /// Unseen cards held back by the daily new-card limit, and that limit.
    pub new_waiting: usize,
    /// Unseen cards held back until tomorrow as siblings of cards answered today.
    pub new_buried: usize,
    pub new_per_day: u32,
    /// When the next card of these decks becomes due.
    pub next_due: Option<Timestamp>,
}

/// What is due now, for the opening line and the "nothing due" screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outlook {
    pub learning: usize,
    pub review: usize,
    pub new: usize,
    /// Unseen cards beyond today's new-card limit.
    pub new_waiting: usize,
    /// Unseen cards held back until tomorrow as siblings of cards answered today.
    pub new_buried: usize,
    pub new_per_day: u32,
}

impl Summary {
    /// Counts one recorded answer (`add`) or takes one back (undo): its grade, whether the candidate graded
    /// it (`by_you`), and whether that was an overridden verdict (`claimed`).
    pub fn count(&mut self, rating: Rating, by_you: bool, claimed: bool, add: bool) {
        let step = |n: &mut u32| {
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        };
        step(&mut self.answered);
        if rating.is_pass() {
            step(&mut self.right);
            if by_you {
                step(&mut self.by_your_grade);
            }
        } else {
            step(&mut self.wrong);
        }
        if claimed {
            step(&mut self.claimed);
        }
    }
}

impl Outlook {
    /// Cards to study now (learning steps coming back within the session count).
    pub fn total(&self) -> usize {
        self.learning + self.review + self.new
    }
}

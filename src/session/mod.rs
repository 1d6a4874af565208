//! The study session: one loop of "next card, answer, feedback, grade, record", driven through the
//! [`Ui`] trait so the terminal and plain front ends share it, and through the [`Progress`] and [`Live`]
//! traits so whole sessions run in unit tests with a scripted UI, progress in memory and injected
//! experiment outcomes.
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
//!   review log marks it as overridden.
//! - A card answered is not asked again before a few other cards, when there are any; its siblings (cards
//!   naming the same experiment, cells of the same table row) are buried for the rest of the study day.
//! - Suspended cards are never asked; a candidate suspends one at its grade prompt.
//! - A lab whose check fails offers retry (at most [`MAX_LAB_CHECKS`] checks), give up (Again) or skip.
//!
//! The loop decides what happens; [`words`] says it; [`Planner`] holds the scheduler, the clock and the rng.
mod live;
mod progress;
pub mod words;

#[cfg(test)]
mod tests;

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::deck::CardRef;
pub use live::{Lab, Live, Machine};
pub use progress::{MemoryProgress, Progress, Recorded, Today};

use crate::deck::answer::{Judgement, Suggestion};
use crate::deck::{Card, CardKind, ChoiceOption, Deck, LabParams};
use crate::practical::{self, Experiment};
use crate::schedule::{
    CardState, QueueEntry, QueueKind, QueueLimits, Rating, Scheduler, State, build_queue,
};
use crate::store::{Answer, AnswerId, StoreError};
use crate::ui::{GradeChoice, GradeReply, LabReply, Reply, Style, Ui, UiError};

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

/// The scheduler, the clock and the rng: what turns an answer into a new card state.
pub struct Planner<'a> {
    scheduler: &'a Scheduler,
    clock: Box<dyn Fn() -> Timestamp + 'a>,
    rng: StdRng,
}

impl<'a> Planner<'a> {
    /// A planner reading "now" from `clock` and drawing shuffles and fuzz from `rng`.
    pub fn new(scheduler: &'a Scheduler, clock: impl Fn() -> Timestamp + 'a, rng: StdRng) -> Self {
        Self {
            scheduler,
            clock: Box::new(clock),
            rng,
        }
    }

    /// The clock's instant.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The scheduler (for rounds outside the study session: `portquiz interview`).
    pub fn scheduler(&self) -> &'a Scheduler {
        self.scheduler
    }

    /// The rng shuffles and fuzz draw from.
    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }
}

/// How many checks a lab gets before only "give up" and "skip" are offered.
pub const MAX_LAB_CHECKS: u32 = 3;

/// The four grades, as a flashcard offers them.
const ALL_GRADES: &[Rating] = &[Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

/// How many other cards come between two showings of one card, when there are that many.
const SPACING: usize = 3;

#[cfg(test)]
impl<'a> Planner<'a> {
    /// For tests: a clock that starts at the instant in `clock` and moves it on by `tick` at every reading, and
    /// an rng seeded with `seed`.
    pub(crate) fn ticking(
        scheduler: &'a Scheduler,
        clock: std::rc::Rc<std::cell::Cell<Timestamp>>,
        tick: jiff::SignedDuration,
        seed: u64,
    ) -> Self {
        use rand::SeedableRng;
        Planner::new(
            scheduler,
            move || {
                let now = clock.get();
                clock.set(now.checked_add(tick).unwrap_or(now));
                now
            },
            StdRng::seed_from_u64(seed),
        )
    }
}

/// What a session did, for the closing summary. `answered = right + wrong + self_graded`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Answers recorded (and not undone).
    pub answered: u32,
    /// Auto-checked answers that were right.
    pub right: u32,
    /// Auto-checked answers that were wrong.
    pub wrong: u32,
    /// Answers the candidate graded: flashcards, and verdicts they overrode.
    pub self_graded: u32,
    /// Of `self_graded`, verdicts of wrong the candidate overrode ("I was right").
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
    pub new_per_day: u32,
}

impl Outlook {
    /// Cards to study now (learning steps coming back within the session count).
    pub fn total(&self) -> usize {
        self.learning + self.review + self.new
    }
}

/// Why a session stopped early with an error.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Ui(#[from] UiError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Schedule(#[from] crate::schedule::ScheduleError),
}

/// Something the candidate did that undo can take back.
enum Done {
    Answer {
        answer_id: AnswerId,
        card: usize,
        verdict: Verdict,
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

/// The result of asking an auto-checked card.
enum Checked {
    Verdict {
        right: bool,
        hint_used: bool,
        /// Whether "I was right" is offered after a wrong verdict (not where the machine or the candidate
        /// decided: practical cards, labs given up).
        claimable: bool,
    },
    /// The candidate grades it (an explanation), with this grade suggested.
    SelfGrade(Rating),
    Step(Step),
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
    /// The progress key of each card (same index as `cards`), built once.
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
    progress: &'a mut dyn Progress,
    planner: Planner<'a>,
    ui: &'a mut dyn Ui,
    live: &'a mut dyn Live,
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
        progress: &'a mut dyn Progress,
        mut planner: Planner<'a>,
        ui: &'a mut dyn Ui,
        live: &'a mut dyn Live,
        config: Config,
    ) -> Result<Self, SessionError> {
        let (cards, states): (Vec<(&Deck, &Card)>, Vec<CardState>) =
            crate::library::with_states(decks, progress.states())?
                .into_iter()
                .map(|c| ((c.deck, c.card), c.state))
                .unzip();
        let today = progress.done_since(config.day_start)?;
        let mut rank: Vec<usize> = (0..cards.len()).collect();
        rank.shuffle(&mut planner.rng);
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
            progress,
            planner,
            ui,
            live,
            config,
            today,
            history: Vec::new(),
            front: None,
            summary: Summary::default(),
        })
    }

    /// Cards still to be shown now, in order (learning, reviews most overdue first, new cards, learn-ahead),
    /// as indices into the session's cards. New cards (and cram) follow the session's shuffled rank.
    /// The identity of card `i` (built when needed: the session asks a few cards of many).
    fn key_of(&self, i: usize) -> CardRef {
        let (deck, card) = self.cards[i];
        deck.card_ref(card)
    }

    pub fn queue(&self) -> Vec<usize> {
        self.entries().into_iter().map(|e| e.key).collect()
    }

    fn entries(&self) -> Vec<QueueEntry<usize>> {
        let now = self.planner.now();
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
        for entry in self.entries() {
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
        }
        outlook
    }

    /// Runs the session until nothing is left, the candidate quits, or Ctrl-C.
    pub fn run(mut self) -> Result<Summary, SessionError> {
        let started = self.planner.now();
        let outlook = self.outlook();
        self.progress.first_question()?;
        self.ui
            .say(Style::Dim, &words::outlook(&outlook, self.config.cram))?;
        loop {
            let order = self.queue();
            let next = match self.front.take() {
                Some(front) => front,
                None => match self.pick(&order) {
                    Some(next) => next,
                    None => break,
                },
            };
            let left = order.len().max(1);
            let position = (self.summary.answered as usize, left);
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
                Err(SessionError::Ui(UiError::Interrupted)) => {
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
        self.summary.new_per_day = self.config.new_per_day;
        self.summary.spent = self.planner.now().duration_since(started);
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

    /// When the next card of these decks becomes due (learning or review).
    pub fn next_due(&self) -> Option<Timestamp> {
        let now = self.planner.now();
        self.states
            .iter()
            .filter(|s| s.state != State::New)
            .filter_map(|s| s.due)
            .filter(|due| *due > now)
            .min()
    }

    fn undo(&mut self) -> Result<(), SessionError> {
        let Some(done) = self.history.pop() else {
            self.ui.say(Style::Dim, words::NOTHING_TO_UNDO)?;
            return Ok(());
        };
        let (answer_id, card, verdict, was_new, learned, buried) = match done {
            Done::Suspend { card } => {
                let key = self.key_of(card);
                self.progress
                    .set_suspended(&key, false, self.planner.now())?;
                self.aside[card] = Aside::No;
                let name = key.to_string();
                self.summary.suspended.retain(|c| *c != name);
                let text = words::unsuspended(&name);
                self.ui.say(Style::Dim, &text)?;
                return Ok(());
            }
            Done::Answer {
                answer_id,
                card,
                verdict,
                was_new,
                learned,
                buried,
            } => (answer_id, card, verdict, was_new, learned, buried),
        };
        let undone = self.progress.undo(answer_id)?;
        self.states[card] = undone.state;
        self.aside[card] = Aside::No;
        for sibling in buried {
            self.aside[sibling] = Aside::No;
        }
        self.summary.answered = self.summary.answered.saturating_sub(1);
        self.summary.undone += 1;
        match verdict {
            Verdict::Right => self.summary.right -= 1,
            Verdict::Wrong => self.summary.wrong -= 1,
            Verdict::SelfGraded => self.summary.self_graded -= 1,
            Verdict::Claimed => {
                self.summary.self_graded -= 1;
                self.summary.claimed -= 1;
            }
        }
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
        self.ui.say(Style::Dim, &words::undone(id))?;
        self.front = Some(card);
        Ok(())
    }

    fn card(&mut self, index: usize, position: (usize, usize)) -> Result<Step, SessionError> {
        let (_, card) = self.cards[index];
        let state = &self.states[index];
        let shown_at = self.planner.now();
        let tag = words::tag(
            card.kind.name(),
            state.state == State::New,
            self.config.cram,
        );
        let header = words::header(position, &self.key_of(index), &tag);
        self.ui.say(Style::Header, &header)?;
        let checked = match &card.kind {
            CardKind::Flashcard { back } => return self.flashcard(index, back, shown_at),
            CardKind::Choice { options, answers } => self.choice(card, options, answers)?,
            CardKind::TrueFalse { answer } => self.true_false(card, *answer)?,
            CardKind::Typed { answer, accept, .. } => self.typed(
                card,
                answer.as_deref().or(accept.first().map(String::as_str)),
            )?,
            CardKind::Practical { experiment } => self.practical(card, experiment)?,
            CardKind::Lab { experiment, params } => self.lab(card, experiment, params)?,
        };
        let (right, hint_used, claimable) = match checked {
            Checked::Verdict {
                right,
                hint_used,
                claimable,
            } => (right, hint_used, claimable),
            Checked::SelfGrade(suggested) => {
                if let Some(explain) = &card.explain {
                    self.ui.say(Style::Explain, explain)?;
                }
                return self.grade(index, Grade::Explanation(suggested), shown_at);
            }
            Checked::Step(step) => return Ok(step),
        };
        if let Some(explain) = &card.explain {
            self.ui.say(Style::Explain, explain)?;
        }
        if !right && claimable {
            return self.grade(index, Grade::Wrong, shown_at);
        }
        // A wrong answer nobody can claim, or a used hint, fixes the grade; say so only once it is saved.
        if !right || hint_used {
            let (rating, verdict, note) = if right {
                (Rating::Hard, Verdict::Right, words::RECORDED_HARD_HINT)
            } else {
                (Rating::Again, Verdict::Wrong, words::RECORDED_AGAIN)
            };
            self.record(index, rating, verdict, shown_at)?;
            self.ui.say(Style::Dim, note)?;
            return Ok(Step::Answered);
        }
        self.grade(index, Grade::Right, shown_at)
    }

    /// The grade prompt after an answer; records the grade picked. Undo asks the card again; quitting
    /// (or Ctrl-C) and suspending keep the answer with the default grade.
    fn grade(
        &mut self,
        index: usize,
        grade: Grade,
        shown_at: Timestamp,
    ) -> Result<Step, SessionError> {
        let (ratings, default, verdict): (&[Rating], usize, Verdict) = match grade {
            Grade::Right => (
                &[Rating::Hard, Rating::Good, Rating::Easy],
                1,
                Verdict::Right,
            ),
            Grade::Wrong => (&[Rating::Again], 0, Verdict::Wrong),
            Grade::Claimed => (
                &[Rating::Hard, Rating::Good, Rating::Easy],
                1,
                Verdict::Claimed,
            ),
            Grade::Flashcard => (ALL_GRADES, 2, Verdict::SelfGraded),
            Grade::Explanation(suggested) => (
                ALL_GRADES,
                ALL_GRADES.iter().position(|&r| r == suggested).unwrap_or(2),
                Verdict::SelfGraded,
            ),
        };
        let choices = self.grade_choices(index, ratings);
        let demo = self.cards[index]
            .1
            .demo
            .as_deref()
            .and_then(practical::find);
        let reply = loop {
            match self
                .ui
                .grade(&choices, default, grade == Grade::Wrong, demo.is_some())
            {
                Ok(GradeReply::Demo) => match demo {
                    Some(experiment) => self.show_demo(experiment)?,
                    None => continue,
                },
                Ok(reply) => break reply,
                Err(UiError::Interrupted) => {
                    self.keep_on_quit(index, ratings[default], verdict, shown_at)?;
                    return Err(UiError::Interrupted.into());
                }
                Err(err) => return Err(err.into()),
            }
        };
        match reply {
            GradeReply::Grade(rating) => {
                self.record(index, rating, verdict, shown_at)?;
                if grade == Grade::Wrong {
                    self.ui.say(Style::Dim, words::RECORDED_AGAIN)?;
                }
                Ok(Step::Answered)
            }
            GradeReply::Claim => self.grade(index, Grade::Claimed, shown_at),
            GradeReply::Suspend => {
                self.record(index, ratings[default], verdict, shown_at)?;
                self.progress
                    .set_suspended(&self.key_of(index), true, self.planner.now())?;
                self.aside[index] = Aside::Suspended;
                self.history.push(Done::Suspend { card: index });
                let card = self.key_of(index).to_string();
                self.ui.say(
                    Style::Dim,
                    &words::suspended(&card, ratings[default].name()),
                )?;
                self.summary.suspended.push(card);
                Ok(Step::Answered)
            }
            GradeReply::Undo => Ok(Step::Again),
            // Answered inside the loop above.
            GradeReply::Demo => Ok(Step::Again),
            GradeReply::Quit => {
                self.keep_on_quit(index, ratings[default], verdict, shown_at)?;
                Ok(Step::Quit)
            }
        }
    }

    /// Runs a card's demo experiment live and shows what happened; nothing is graded or recorded.
    fn show_demo(&mut self, experiment: &'static Experiment) -> Result<(), SessionError> {
        self.ui
            .say(Style::Dim, &words::demo_intro(experiment.title))?;
        match self.live.run(experiment) {
            practical::Outcome::Observed(obs) => {
                for line in &obs.transcript {
                    self.ui.say(Style::Dim, line)?;
                }
                self.ui
                    .say(Style::Text, &words::conclusion(&obs.conclusion))?;
                if let Some(note) = &obs.note {
                    self.ui.say(Style::Dim, note)?;
                }
            }
            practical::Outcome::Unavailable { reason } => {
                self.ui.say(Style::Dim, &words::demo_unavailable(&reason))?;
            }
            practical::Outcome::Errored { message } => {
                self.ui
                    .say(Style::Dim, &words::demo_unavailable(&message))?;
            }
        }
        Ok(())
    }

    fn keep_on_quit(
        &mut self,
        index: usize,
        rating: Rating,
        verdict: Verdict,
        shown_at: Timestamp,
    ) -> Result<(), SessionError> {
        self.record(index, rating, verdict, shown_at)?;
        self.summary.kept_on_quit = Some((self.key_of(index).to_string(), rating));
        Ok(())
    }

    fn grade_choices(&self, index: usize, ratings: &[Rating]) -> Vec<GradeChoice> {
        let now = self.planner.now();
        let previews = if self.config.cram {
            None
        } else {
            self.planner
                .scheduler
                .preview(&self.states[index], now)
                .ok()
        };
        ratings
            .iter()
            .map(|&rating| {
                let next = previews
                    .as_ref()
                    .and_then(|p| p.iter().find(|o| o.rating == rating))
                    .map(|outcome| outcome.label(now));
                GradeChoice {
                    rating,
                    label: words::grade_label(rating, next.as_deref()),
                }
            })
            .collect()
    }

    fn record(
        &mut self,
        index: usize,
        rating: Rating,
        verdict: Verdict,
        shown_at: Timestamp,
    ) -> Result<(), SessionError> {
        let now = self.planner.now();
        let mut before = self.states[index].clone();
        let duration_ms =
            u64::try_from(now.duration_since(shown_at).as_millis().max(0)).unwrap_or(u64::MAX);
        // The state is computed from the one this session knows; if another portquiz changed the card
        // meanwhile (a merge, a second session), the store refuses and hands back the current one.
        let mut attempts = 0;
        let (answer_id, after) = loop {
            let outcome =
                self.planner
                    .scheduler
                    .answer(&before, rating, now, &mut self.planner.rng)?;
            let after = if self.config.cram {
                before.clone()
            } else {
                outcome.card
            };
            let recorded = self.progress.record(&Answer {
                card: &self.key_of(index),
                time: now,
                rating,
                elapsed_days: outcome.elapsed_days,
                duration_ms,
                new_state: (!self.config.cram).then_some(&after),
                overridden: verdict == Verdict::Claimed,
                based_on: Some(&before),
                kind: crate::store::AnswerKind::Study,
            });
            match recorded {
                Err(StoreError::Stale { current, .. }) if attempts < 3 => {
                    attempts += 1;
                    before = *current;
                }
                other => break (other?, after),
            }
        };
        let was_new = before.state == State::New;
        self.states[index] = after;
        self.summary.answered += 1;
        match verdict {
            Verdict::Right => self.summary.right += 1,
            Verdict::Wrong => self.summary.wrong += 1,
            Verdict::SelfGraded => self.summary.self_graded += 1,
            Verdict::Claimed => {
                self.summary.self_graded += 1;
                self.summary.claimed += 1;
            }
        }
        let learned = was_new && rating != Rating::Again && !self.config.cram;
        if learned {
            self.summary.learned += 1;
        }
        let mut buried = Vec::new();
        if self.config.cram {
            self.aside[index] = Aside::Done;
        } else {
            if was_new {
                self.today.new += 1;
            } else {
                self.today.reviews += 1;
            }
            if let Some(group) = self.siblings[index].filter(|_| self.config.bury) {
                for i in 0..self.cards.len() {
                    if i != index
                        && self.siblings[i] == Some(group)
                        && self.aside[i] == Aside::No
                        && buriable(&self.states[i])
                    {
                        self.aside[i] = Aside::Buried;
                        buried.push(i);
                    }
                }
            }
        }
        self.history.push(Done::Answer {
            answer_id,
            card: index,
            verdict,
            was_new,
            learned,
            buried,
        });
        Ok(())
    }

    fn flashcard(
        &mut self,
        index: usize,
        back: &str,
        shown_at: Timestamp,
    ) -> Result<Step, SessionError> {
        let card = self.cards[index].1;
        self.ui.say(Style::Question, &card.prompt)?;
        let mut hint_available = card.hint.is_some();
        loop {
            match self
                .ui
                .proceed(words::reveal(hint_available), hint_available)?
            {
                Reply::Value(()) => break,
                Reply::Hint => {
                    self.show_hint(card)?;
                    hint_available = false;
                }
                Reply::Undo => return Ok(Step::Undo),
                Reply::Quit => return Ok(Step::Quit),
            }
        }
        self.ui.say(Style::Text, &words::flashcard_back(back))?;
        if let Some(explain) = &card.explain {
            self.ui.say(Style::Explain, explain)?;
        }
        self.grade(index, Grade::Flashcard, shown_at)
    }

    fn show_hint(&mut self, card: &Card) -> Result<(), SessionError> {
        if let Some(hint) = &card.hint {
            self.ui.say(Style::Dim, &words::hint(hint))?;
        }
        Ok(())
    }

    /// Asks until an answer, undo or quit; a hint request shows the hint and asks again.
    fn ask<T>(
        &mut self,
        card: &Card,
        mut prompt: impl FnMut(&mut dyn Ui, bool) -> Result<Reply<T>, UiError>,
    ) -> Result<Asked<T>, SessionError> {
        let mut hint_used = false;
        loop {
            match prompt(self.ui, card.hint.is_some() && !hint_used)? {
                Reply::Hint => {
                    self.show_hint(card)?;
                    hint_used = true;
                }
                Reply::Value(value) => return Ok(Asked::Value(value, hint_used)),
                Reply::Undo => return Ok(Asked::Step(Step::Undo)),
                Reply::Quit => return Ok(Asked::Step(Step::Quit)),
            }
        }
    }

    fn choice(
        &mut self,
        card: &Card,
        options: &[ChoiceOption],
        answers: &[usize],
    ) -> Result<Checked, SessionError> {
        let mut order: Vec<usize> = (0..options.len()).collect();
        order.shuffle(&mut self.planner.rng);
        let shown: Vec<String> = order.iter().map(|&i| options[i].text.clone()).collect();
        let multi = answers.len() > 1;
        self.ui.say(
            Style::Question,
            &words::choice_question(&card.prompt, answers.len()),
        )?;
        let (picks, hint_used) = match self.ask(card, |ui, hint| ui.choose(&shown, multi, hint))? {
            Asked::Value(picks, hint_used) => (picks, hint_used),
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let picks: Vec<usize> = picks.indices().iter().map(|&i| order[i]).collect();
        let right = card.choice_is_right(&picks);
        let correct: Vec<&str> = answers.iter().map(|&i| options[i].text.as_str()).collect();
        if right {
            self.ui.say(Style::Right, &words::choice_right(&correct))?;
        } else {
            self.ui.say(Style::Wrong, &words::choice_wrong(&correct))?;
            for &p in picks.iter().filter(|p| !answers.contains(p)) {
                if let Some(why) = &options[p].why {
                    self.ui
                        .say(Style::Text, &words::why_not(&options[p].text, why))?;
                }
            }
        }
        Ok(Checked::Verdict {
            right,
            hint_used,
            claimable: true,
        })
    }

    fn true_false(&mut self, card: &Card, answer: bool) -> Result<Checked, SessionError> {
        self.ui
            .say(Style::Question, &words::true_false_question(&card.prompt))?;
        let (given, hint_used) = match self.ask(card, |ui, hint| ui.true_false(hint))? {
            Asked::Value(given, hint_used) => (given, hint_used),
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let right = given == answer;
        let style = if right { Style::Right } else { Style::Wrong };
        self.ui
            .say(style, &words::true_false_verdict(right, answer))?;
        Ok(Checked::Verdict {
            right,
            hint_used,
            claimable: true,
        })
    }

    fn typed(&mut self, card: &Card, model: Option<&str>) -> Result<Checked, SessionError> {
        let ordered = matches!(card.kind, CardKind::Typed { ordered: true, .. });
        let question = words::typed_question(&card.prompt, ordered);
        self.ui.say(Style::Question, &question)?;
        let (given, hint_used) = match self.ask(card, |ui, hint| ui.text(hint))? {
            Asked::Value(given, hint_used) => (given, hint_used),
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let model = model.unwrap_or_default();
        if let (Some(groups), Some(judgement)) =
            (card.explanation_ideas(), card.typed_judgement(&given))
        {
            return self.explanation(groups, &judgement, model, hint_used);
        }
        let right = card.typed_is_right(&given);
        if right {
            self.ui.say(Style::Right, &words::typed_right(model))?;
        } else {
            let missing = card.typed_missing(&given);
            self.ui
                .say(Style::Wrong, &words::typed_wrong(model, &missing))?;
        }
        Ok(Checked::Verdict {
            right,
            hint_used,
            claimable: true,
        })
    }

    /// An explanation card: portquiz does not pretend to judge meaning. It shows the model answer and the key
    /// ideas it spotted or missed, suggests a grade, and the candidate grades.
    fn explanation(
        &mut self,
        groups: &[Vec<String>],
        judgement: &Judgement,
        model: &str,
        hint_used: bool,
    ) -> Result<Checked, SessionError> {
        // What the matcher did not find (in order, on an ordered card) is missed.
        let names = |missed: bool| -> Vec<String> {
            let listed = groups.iter().enumerate();
            listed
                .filter(|(i, _)| judgement.missing.contains(i) == missed)
                .map(|(_, group)| group.join(" / "))
                .collect()
        };
        let (spotted, missed) = (names(false), names(true));
        self.ui.say(
            Style::Text,
            &words::explanation_feedback(model, &spotted, &missed),
        )?;
        let suggested = match judgement.explanation_suggestion(groups.len()) {
            Suggestion::Good => Rating::Good,
            Suggestion::Hard => Rating::Hard,
            Suggestion::Again => Rating::Again,
        };
        let suggested = if hint_used {
            suggested.min(Rating::Hard)
        } else {
            suggested
        };
        Ok(Checked::SelfGrade(suggested))
    }

    /// Finds a practical card's experiment (or lab) and shows its question: the card's own prompt, else the
    /// experiment's. `None` (the card is skipped) when this build does not have it.
    fn introduce_live(
        &mut self,
        card: &Card,
        id: &str,
        what: &str,
    ) -> Result<Option<&'static Experiment>, SessionError> {
        let Some(experiment) = practical::find(id) else {
            self.ui.say(Style::Dim, &words::not_in_build(what, id))?;
            return Ok(None);
        };
        let question = if card.prompt.is_empty() {
            experiment.question
        } else {
            card.prompt.as_str()
        };
        self.ui.say(Style::Question, question)?;
        Ok(Some(experiment))
    }

    fn practical(&mut self, card: &Card, id: &str) -> Result<Checked, SessionError> {
        let Some(experiment) = self.introduce_live(card, id, "experiment")? else {
            return Ok(Checked::Step(Step::Unavailable));
        };
        self.ui.say(Style::Dim, words::RUNS_LIVE)?;
        // Shuffled like every choice card: where the right option sits must not give it away.
        let mut order: Vec<usize> = (0..experiment.options.len()).collect();
        order.shuffle(&mut self.planner.rng);
        let options: Vec<String> = order
            .iter()
            .map(|&i| experiment.options[i].to_string())
            .collect();
        let (picks, hint_used) =
            match self.ask(card, |ui, hint| ui.choose(&options, false, hint))? {
                Asked::Value(picks, hint_used) => (picks, hint_used),
                Asked::Step(step) => return Ok(Checked::Step(step)),
            };
        match self.live.run(experiment) {
            practical::Outcome::Observed(obs) => {
                for line in &obs.transcript {
                    self.ui.say(Style::Dim, line)?;
                }
                let mut picks: Vec<usize> = picks.indices().iter().map(|&i| order[i]).collect();
                picks.sort_unstable();
                let mut correct = obs.correct.clone();
                correct.sort_unstable();
                let right = picks == correct;
                let answer: Vec<&str> = correct
                    .iter()
                    .filter_map(|&i| experiment.options.get(i).copied())
                    .collect();
                if right {
                    self.ui.say(Style::Right, &words::machine_agrees(&answer))?;
                } else {
                    self.ui
                        .say(Style::Wrong, &words::machine_disagrees(&answer))?;
                }
                self.ui
                    .say(Style::Text, &words::conclusion(&obs.conclusion))?;
                if let Some(note) = &obs.note {
                    self.ui.say(Style::Dim, note)?;
                }
                if card.explain.is_none() {
                    self.ui.say(Style::Dim, experiment.explain)?;
                }
                Ok(Checked::Verdict {
                    right,
                    hint_used,
                    // The machine decided.
                    claimable: false,
                })
            }
            practical::Outcome::Unavailable { reason } => {
                self.ui.say(Style::Dim, &words::unavailable(&reason))?;
                Ok(Checked::Step(Step::Unavailable))
            }
            practical::Outcome::Errored { message } => {
                self.ui
                    .say(Style::Dim, &words::could_not_finish(&message))?;
                Ok(Checked::Step(Step::Unavailable))
            }
        }
    }

    fn lab(&mut self, card: &Card, id: &str, params: &LabParams) -> Result<Checked, SessionError> {
        let Some(experiment) = self.introduce_live(card, id, "lab")? else {
            return Ok(Checked::Step(Step::Unavailable));
        };
        let mut lab = match self.live.start_lab_with(experiment, params) {
            Ok(lab) => lab,
            Err(reason) => {
                self.ui.say(Style::Dim, &words::unavailable(&reason))?;
                return Ok(Checked::Step(Step::Unavailable));
            }
        };
        self.ui.say(Style::Text, lab.instructions())?;
        let hint_used = match self.ask(card, |ui, hint| ui.proceed(words::LAB_DONE, hint))? {
            Asked::Value((), hint_used) => hint_used,
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let mut checks = 0;
        loop {
            let result = lab.verify();
            checks += 1;
            for line in &result.transcript {
                self.ui.say(Style::Dim, line)?;
            }
            if result.passed {
                self.ui
                    .say(Style::Right, &words::lab_verified(&result.conclusion))?;
                return Ok(Checked::Verdict {
                    right: true,
                    hint_used,
                    claimable: false,
                });
            }
            self.ui
                .say(Style::Wrong, &words::lab_not_verified(&result.conclusion))?;
            match self.ui.lab_failed(checks < MAX_LAB_CHECKS)? {
                LabReply::Retry => self.ui.say(Style::Dim, words::CHECKING_AGAIN)?,
                LabReply::GiveUp => {
                    return Ok(Checked::Verdict {
                        right: false,
                        hint_used,
                        claimable: false,
                    });
                }
                LabReply::Skip => {
                    self.ui.say(Style::Dim, words::LAB_SKIPPED)?;
                    return Ok(Checked::Step(Step::Skipped));
                }
                LabReply::Quit => return Ok(Checked::Step(Step::Quit)),
            }
        }
    }
}

/// Which grade prompt follows an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grade {
    /// A right auto-checked answer: Hard, Good (default) or Easy.
    Right,
    /// A wrong one: Again (default), or "I was right".
    Wrong,
    /// After "I was right": the candidate grades it, Hard, Good (default) or Easy.
    Claimed,
    /// A flashcard: Again, Hard, Good (default) or Easy.
    Flashcard,
    /// An explanation the candidate grades: Again, Hard, Good or Easy, the suggestion as default.
    Explanation(Rating),
}

/// Each card's sibling group: cards naming the same experiment (across decks), and cells of the same table
/// row (within a deck), share a group; other cards have none.
fn sibling_groups(cards: &[(&Deck, &Card)]) -> Vec<Option<usize>> {
    let mut groups: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    let keys: Vec<Option<(String, String)>> = cards
        .iter()
        .map(|(deck, card)| match &card.kind {
            CardKind::Practical { experiment } | CardKind::Lab { experiment, .. } => {
                Some((String::new(), experiment.clone()))
            }
            _ if card.id.is_cell() => {
                let id = card.id.as_str();
                let row = id.rsplit_once('/').map_or(id, |(row, _)| row);
                Some((deck.id.to_string(), row.to_string()))
            }
            _ => None,
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

/// What [`Session::ask`] got: an answer (and whether the hint was shown first), or a step.
enum Asked<T> {
    Value(T, bool),
    Step(Step),
}

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

use crate::deck::{Card, CardKind, ChoiceOption, Deck};
use crate::practical::{self, Experiment};
use crate::schedule::{CardState, QueueLimits, Rating, Scheduler, State, build_queue};
use crate::store::{Answer, AnswerId};
use crate::ui::{GradeChoice, GradeReply, Reply, Style, Ui, UiError};

/// Limits and mode of one session.
#[derive(Debug, Clone)]
pub struct Config {
    pub new_per_day: u32,
    pub review_limit: u32,
    pub cram: bool,
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
}

/// What a session did, for the closing summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Answers recorded (and not undone).
    pub answered: u32,
    /// Auto-checked answers that were right.
    pub right: u32,
    /// Auto-checked answers that were wrong.
    pub wrong: u32,
    /// Flashcards, graded by the candidate.
    pub self_graded: u32,
    /// New cards answered for the first time.
    pub new_learned: u32,
    /// Cards skipped (an experiment not available here).
    pub skipped: u32,
    pub undone: u32,
    /// Ended by Ctrl-C.
    pub interrupted: bool,
    /// The answer recorded with its default grade because the candidate quit at its grade prompt.
    pub kept_on_quit: Option<(String, Rating)>,
    /// When the next card of these decks becomes due.
    pub next_due: Option<Timestamp>,
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

/// An answer that can still be undone.
struct Done {
    answer_id: AnswerId,
    card: usize,
    verdict: Verdict,
    was_new: bool,
}

/// How an answer was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Right,
    Wrong,
    /// The candidate graded it (flashcards).
    SelfGraded,
}

/// What happened at one card.
enum Step {
    Answered,
    Skipped,
    /// Take back the last recorded answer.
    Undo,
    /// Ask the same card again (undo at its grade prompt).
    Again,
    Quit,
}

/// The result of asking an auto-checked card.
enum Checked {
    Verdict { right: bool, hint_used: bool },
    Step(Step),
}

/// The study session.
pub struct Session<'a> {
    cards: Vec<(&'a Deck, &'a Card)>,
    /// The progress key of each card (same index as `cards`), built once.
    keys: Vec<CardRef>,
    /// Each card's state (same index as `cards`; `CardState::new()` when the store has none).
    states: Vec<CardState>,
    /// Cards skipped (experiment unavailable) or already crammed in this session, by index.
    set_aside: Vec<bool>,
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
            crate::library::with_states(decks, progress.states()?)
                .into_iter()
                .map(|c| ((c.deck, c.card), c.state))
                .unzip();
        let today = progress.done_since(config.day_start)?;
        let mut rank: Vec<usize> = (0..cards.len()).collect();
        rank.shuffle(&mut planner.rng);
        let mut by_rank: Vec<usize> = (0..cards.len()).collect();
        by_rank.sort_by_key(|&i| rank[i]);
        let keys: Vec<CardRef> = cards
            .iter()
            .map(|(d, c)| CardRef::new(d.id.clone(), c.id.clone()))
            .collect();
        Ok(Self {
            set_aside: vec![false; cards.len()],
            cards,
            keys,
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
    pub fn queue(&self) -> Vec<usize> {
        let now = self.planner.now();
        // Card indices go through the queue and states are a Vec by index: the queue is rebuilt before every
        // question, and at 10,000 cards building and hashing a key per card each time cost milliseconds.
        let order = self.by_rank.iter().filter(|&&i| !self.set_aside[i]);
        if self.config.cram {
            let room =
                (self.config.review_limit as usize).saturating_sub(self.summary.answered as usize);
            return order
                .filter(|&&i| self.states[i].state != State::New)
                .take(room)
                .copied()
                .collect();
        }
        let limits = QueueLimits {
            new_per_day: self.config.new_per_day,
            reviews_per_day: self.config.review_limit,
            new_done_today: self.today.new,
            reviews_done_today: self.today.reviews,
            ..QueueLimits::default()
        };
        build_queue(order.map(|i| (i, &self.states[*i])), now, &limits)
            .into_iter()
            .map(|e| e.key)
            .collect()
    }

    /// Runs the session until nothing is left, the candidate quits, or Ctrl-C.
    pub fn run(mut self) -> Result<Summary, SessionError> {
        let mut planned = self.queue().len();
        loop {
            let order = self.queue();
            let Some(next) = self.front.take().or_else(|| order.first().copied()) else {
                break;
            };
            let left = order.iter().filter(|&&i| i != next).count() + 1;
            planned = planned.max(self.summary.answered as usize + left);
            let position = (self.summary.answered as usize + 1, planned);
            match self.card(next, position) {
                Ok(Step::Answered | Step::Skipped) => {}
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
        self.summary.next_due = self.next_due();
        Ok(self.summary)
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
        let undone = self.progress.undo(done.answer_id)?;
        self.states[done.card] = undone.state;
        self.set_aside[done.card] = false;
        self.summary.answered = self.summary.answered.saturating_sub(1);
        self.summary.undone += 1;
        let count = match done.verdict {
            Verdict::Right => &mut self.summary.right,
            Verdict::Wrong => &mut self.summary.wrong,
            Verdict::SelfGraded => &mut self.summary.self_graded,
        };
        *count = count.saturating_sub(1);
        if !self.config.cram {
            if done.was_new {
                self.today.new = self.today.new.saturating_sub(1);
                self.summary.new_learned = self.summary.new_learned.saturating_sub(1);
            } else {
                self.today.reviews = self.today.reviews.saturating_sub(1);
            }
        }
        let card = self.cards[done.card].1.id.as_str();
        self.ui.say(Style::Dim, &words::undone(card))?;
        self.front = Some(done.card);
        Ok(())
    }

    fn card(&mut self, index: usize, position: (usize, usize)) -> Result<Step, SessionError> {
        let (_, card) = self.cards[index];
        let state = self.states[index].clone();
        let shown_at = self.planner.now();
        let tag = words::tag(
            card.kind.name(),
            state.state == State::New,
            self.config.cram,
        );
        let header = words::header(position, &self.keys[index], &tag);
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
            CardKind::Lab { experiment } => self.lab(card, experiment)?,
        };
        let (right, hint_used) = match checked {
            Checked::Verdict { right, hint_used } => (right, hint_used),
            Checked::Step(step) => {
                if matches!(step, Step::Skipped) {
                    self.set_aside[index] = true;
                    self.summary.skipped += 1;
                }
                return Ok(step);
            }
        };
        if let Some(explain) = &card.explain {
            self.ui.say(Style::Dim, explain)?;
        }
        let verdict = if right {
            Verdict::Right
        } else {
            Verdict::Wrong
        };
        // A wrong answer or a used hint fixes the grade; say so only once it is saved.
        let fixed = if !right {
            Some((Rating::Again, words::RECORDED_AGAIN))
        } else if hint_used {
            Some((Rating::Hard, words::RECORDED_HARD_HINT))
        } else {
            None
        };
        if let Some((rating, note)) = fixed {
            self.record(index, rating, verdict, shown_at)?;
            self.ui.say(Style::Dim, note)?;
            return Ok(Step::Answered);
        }
        self.grade(
            index,
            &[Rating::Hard, Rating::Good, Rating::Easy],
            1,
            verdict,
            shown_at,
        )
    }

    /// The grade prompt after an answer; records the grade picked. Undo asks the card again; quitting
    /// (or Ctrl-C) keeps the answer with the default grade.
    fn grade(
        &mut self,
        index: usize,
        ratings: &[Rating],
        default: usize,
        verdict: Verdict,
        shown_at: Timestamp,
    ) -> Result<Step, SessionError> {
        let choices = self.grade_choices(index, ratings);
        let reply = match self.ui.grade(&choices, default) {
            Ok(reply) => reply,
            Err(UiError::Interrupted) => {
                self.keep_on_quit(index, ratings[default], verdict, shown_at)?;
                return Err(UiError::Interrupted.into());
            }
            Err(err) => return Err(err.into()),
        };
        match reply {
            GradeReply::Grade(rating) => {
                self.record(index, rating, verdict, shown_at)?;
                Ok(Step::Answered)
            }
            GradeReply::Undo => Ok(Step::Again),
            GradeReply::Quit => {
                self.keep_on_quit(index, ratings[default], verdict, shown_at)?;
                Ok(Step::Quit)
            }
        }
    }

    fn keep_on_quit(
        &mut self,
        index: usize,
        rating: Rating,
        verdict: Verdict,
        shown_at: Timestamp,
    ) -> Result<(), SessionError> {
        self.record(index, rating, verdict, shown_at)?;
        self.summary.kept_on_quit = Some((self.keys[index].to_string(), rating));
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
        let before = &self.states[index];
        let was_new = before.state == State::New;
        let outcome = self
            .planner
            .scheduler
            .answer(before, rating, now, &mut self.planner.rng)?;
        let duration_ms =
            u64::try_from(now.duration_since(shown_at).as_millis().max(0)).unwrap_or(u64::MAX);
        let after = if self.config.cram {
            before.clone()
        } else {
            outcome.card
        };
        let key = &self.keys[index];
        let answer_id = self.progress.record(&Answer {
            card: key,
            time: now,
            rating,
            elapsed_days: outcome.elapsed_days,
            duration_ms,
            new_state: (!self.config.cram).then_some(&after),
        })?;
        self.history.push(Done {
            answer_id,
            card: index,
            verdict,
            was_new,
        });
        self.states[index] = after;
        self.summary.answered += 1;
        match verdict {
            Verdict::Right => self.summary.right += 1,
            Verdict::Wrong => self.summary.wrong += 1,
            Verdict::SelfGraded => self.summary.self_graded += 1,
        }
        if self.config.cram {
            self.set_aside[index] = true;
        } else if was_new {
            self.today.new += 1;
            self.summary.new_learned += 1;
        } else {
            self.today.reviews += 1;
        }
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
            self.ui.say(Style::Dim, explain)?;
        }
        self.grade(
            index,
            &[Rating::Again, Rating::Hard, Rating::Good, Rating::Easy],
            2,
            Verdict::SelfGraded,
            shown_at,
        )
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
        Ok(Checked::Verdict { right, hint_used })
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
        Ok(Checked::Verdict { right, hint_used })
    }

    fn typed(&mut self, card: &Card, model: Option<&str>) -> Result<Checked, SessionError> {
        self.ui.say(Style::Question, &card.prompt)?;
        let (given, hint_used) = match self.ask(card, |ui, hint| ui.text(hint))? {
            Asked::Value(given, hint_used) => (given, hint_used),
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let right = card.typed_is_right(&given);
        let model = model.unwrap_or_default();
        if right {
            self.ui.say(Style::Right, &words::typed_right(model))?;
        } else {
            let mut missing = Vec::new();
            if let CardKind::Typed { keywords, .. } = &card.kind {
                let folded = crate::deck::fold(&given);
                missing = keywords
                    .iter()
                    .filter(|group| !group.iter().any(|k| folded.contains(&crate::deck::fold(k))))
                    .map(|group| group.join(" / "))
                    .collect();
            }
            self.ui
                .say(Style::Wrong, &words::typed_wrong(model, &missing))?;
        }
        Ok(Checked::Verdict { right, hint_used })
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
            return Ok(Checked::Step(Step::Skipped));
        };
        self.ui.say(Style::Dim, words::RUNS_LIVE)?;
        let options: Vec<String> = experiment.options.iter().map(|s| s.to_string()).collect();
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
                let mut picks = picks.indices().to_vec();
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
                Ok(Checked::Verdict { right, hint_used })
            }
            practical::Outcome::Unavailable { reason } => {
                self.ui.say(Style::Dim, &words::unavailable(&reason))?;
                Ok(Checked::Step(Step::Skipped))
            }
            practical::Outcome::Errored { message } => {
                self.ui
                    .say(Style::Dim, &words::could_not_finish(&message))?;
                Ok(Checked::Step(Step::Skipped))
            }
        }
    }

    fn lab(&mut self, card: &Card, id: &str) -> Result<Checked, SessionError> {
        let Some(experiment) = self.introduce_live(card, id, "lab")? else {
            return Ok(Checked::Step(Step::Skipped));
        };
        let mut lab = match self.live.start_lab(experiment) {
            Ok(lab) => lab,
            Err(reason) => {
                self.ui.say(Style::Dim, &words::unavailable(&reason))?;
                return Ok(Checked::Step(Step::Skipped));
            }
        };
        self.ui.say(Style::Text, lab.instructions())?;
        let hint_used = match self.ask(card, |ui, hint| ui.proceed(words::LAB_DONE, hint))? {
            Asked::Value((), hint_used) => hint_used,
            Asked::Step(step) => return Ok(Checked::Step(step)),
        };
        let result = lab.verify();
        drop(lab);
        for line in &result.transcript {
            self.ui.say(Style::Dim, line)?;
        }
        if result.passed {
            self.ui
                .say(Style::Right, &words::lab_verified(&result.conclusion))?;
        } else {
            self.ui
                .say(Style::Wrong, &words::lab_not_verified(&result.conclusion))?;
        }
        Ok(Checked::Verdict {
            right: result.passed,
            hint_used,
        })
    }
}

/// What [`Session::ask`] got: an answer (and whether the hint was shown first), or a step.
enum Asked<T> {
    Value(T, bool),
    Step(Step),
}

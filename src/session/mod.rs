//! The study session: one loop of "next card, answer, feedback, grade, record", driven through the
//! [`Ui`] trait so the terminal and plain front ends share it and tests run it without a terminal.
//!
//! Rules it keeps: each answer is written to the store (one transaction) before the next question is shown;
//! auto-checked cards record a wrong answer as Again and suggest Good for a right one (Hard at most after the
//! hint); cram answers are logged without changing the schedule; undo reverts the last answer completely.
use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::deck::{Card, CardKind, Deck};
use crate::practical;
use crate::schedule::{CardState, QueueLimits, Rating, Scheduler, State, build_queue};
use crate::store::{Answer, CardKey, Store};
use crate::ui::{GradeChoice, Input, Style, Ui, UiError};

/// How long a lab waits for the candidate's listener or connection after they press Enter.
const LAB_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Limits and mode of one session.
#[derive(Debug, Clone)]
pub struct Config {
    pub new_per_day: u32,
    pub review_limit: u32,
    pub cram: bool,
    /// Start of the study day: daily limits count answers since then.
    pub day_start: Timestamp,
}

/// What a session did, for the closing summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub answered: u32,
    pub right: u32,
    pub wrong: u32,
    pub new_learned: u32,
    pub skipped: u32,
    pub undone: u32,
    pub interrupted: bool,
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

/// A card's key in the store.
pub type Key = CardKey;

/// An answer that can still be undone.
struct Done {
    answer_id: i64,
    key: Key,
    right: Option<bool>,
    was_new: bool,
}

/// What happened at one card.
enum Step {
    Answered,
    Skipped,
    Undo,
    Quit,
}

/// The study session.
pub struct Session<'a, R: Rng> {
    cards: Vec<(&'a Deck, &'a Card)>,
    /// Each card's state (same index as `cards`; `CardState::new()` when the store has none).
    states: Vec<CardState>,
    /// Card index by key, for the answers recorded and undone.
    index: HashMap<Key, usize>,
    store: &'a mut Store,
    scheduler: &'a Scheduler,
    ui: &'a mut dyn Ui,
    clock: &'a dyn Fn() -> Timestamp,
    rng: &'a mut R,
    config: Config,
    environment: Option<practical::Environment>,
    new_today: u32,
    reviews_today: u32,
    /// Cards skipped (experiment unavailable) or already crammed in this session.
    set_aside: HashSet<Key>,
    history: Vec<Done>,
    front: Option<Key>,
    /// The store key of each card (same index as `cards`), built once.
    keys: Vec<Key>,
    /// Card indices by a random rank drawn once: new cards (and cram) follow it, so the order is shuffled
    /// but stable.
    by_rank: Vec<usize>,
    summary: Summary,
}

impl<'a, R: Rng> Session<'a, R> {
    /// Prepares a session over `decks` with the stored progress.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        decks: &'a [Deck],
        store: &'a mut Store,
        scheduler: &'a Scheduler,
        ui: &'a mut dyn Ui,
        clock: &'a dyn Fn() -> Timestamp,
        rng: &'a mut R,
        config: Config,
    ) -> Result<Self, SessionError> {
        let cards: Vec<(&Deck, &Card)> = decks
            .iter()
            .flat_map(|d| d.cards.iter().map(move |c| (d, c)))
            .collect();
        let mut stored = store.all_states()?;
        let new_today = store.new_introduced_since(config.day_start)?;
        let reviews_today = store.reviews_since(config.day_start)?;
        let mut rank: Vec<usize> = (0..cards.len()).collect();
        rank.shuffle(rng);
        let mut by_rank: Vec<usize> = (0..cards.len()).collect();
        by_rank.sort_by_key(|&i| rank[i]);
        let keys: Vec<Key> = cards
            .iter()
            .map(|(d, c)| CardKey::new(d.id.as_str(), c.id.as_str()))
            .collect();
        let states = keys
            .iter()
            .map(|k| stored.remove(k).unwrap_or_default())
            .collect();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        Ok(Self {
            cards,
            states,
            index,
            store,
            scheduler,
            ui,
            clock,
            rng,
            config,
            environment: None,
            new_today,
            reviews_today,
            set_aside: HashSet::new(),
            history: Vec::new(),
            front: None,
            keys,
            by_rank,
            summary: Summary::default(),
        })
    }

    fn state(&self, key: &Key) -> CardState {
        self.index
            .get(key)
            .map(|&i| self.states[i].clone())
            .unwrap_or_default()
    }

    /// Cards still to be shown now, in order (learning, reviews most overdue first, new cards, learn-ahead),
    /// as indices into the session's cards. New cards (and cram) follow the session's shuffled rank.
    pub fn queue(&self) -> Vec<usize> {
        let now = (self.clock)();
        // Card indices, not keys, go through the queue and states are a Vec by index: the queue is rebuilt
        // before every question, and at 10,000 cards building and hashing a key per card each time cost
        // milliseconds per answer.
        let order = self
            .by_rank
            .iter()
            .filter(|&&i| self.set_aside.is_empty() || !self.set_aside.contains(&self.keys[i]));
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
            new_done_today: self.new_today,
            reviews_done_today: self.reviews_today,
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
            let mut order = self.queue();
            if let Some(front) = self.front.take()
                && let Some(i) = self
                    .cards
                    .iter()
                    .position(|(d, c)| d.id == front.deck && c.id == front.card)
            {
                order.retain(|&j| j != i);
                order.insert(0, i);
            }
            let Some(&next) = order.first() else { break };
            planned = planned.max(self.summary.answered as usize + order.len());
            let position = (self.summary.answered as usize + 1, planned);
            match self.card(next, position) {
                Ok(Step::Answered | Step::Skipped) => {}
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
        self.states
            .iter()
            .filter(|s| s.state != State::New)
            .filter_map(|s| s.due)
            .filter(|due| *due > (self.clock)())
            .min()
    }

    fn undo(&mut self) -> Result<(), SessionError> {
        let Some(done) = self.history.pop() else {
            self.ui
                .say(Style::Dim, "(nothing to undo in this session)")?;
            return Ok(());
        };
        let undone = self.store.undo(done.answer_id)?;
        if let Some(&i) = self.index.get(&done.key) {
            self.states[i] = undone.state;
        }
        self.set_aside.remove(&done.key);
        self.summary.answered = self.summary.answered.saturating_sub(1);
        self.summary.undone += 1;
        match done.right {
            Some(true) => self.summary.right = self.summary.right.saturating_sub(1),
            Some(false) => self.summary.wrong = self.summary.wrong.saturating_sub(1),
            None => {}
        }
        if done.was_new && !self.config.cram {
            self.new_today = self.new_today.saturating_sub(1);
            self.summary.new_learned = self.summary.new_learned.saturating_sub(1);
        } else if !self.config.cram {
            self.reviews_today = self.reviews_today.saturating_sub(1);
        }
        self.ui.say(
            Style::Dim,
            &format!(
                "(undone: the answer to `{}` is forgotten; here it is again)",
                done.key.card
            ),
        )?;
        self.front = Some(done.key);
        Ok(())
    }

    fn card(&mut self, index: usize, (n, total): (usize, usize)) -> Result<Step, SessionError> {
        let (deck, card) = self.cards[index];
        let key = CardKey::new(deck.id.as_str(), card.id.as_str());
        let state = self.state(&key);
        let started = std::time::Instant::now();
        let mut tag = card.kind.name().to_string();
        if state.state == State::New {
            tag.push_str(" · new");
        }
        if self.config.cram {
            tag.push_str(" · cram");
        }
        self.ui.say(
            Style::Header,
            &format!("\n[{n}/{total}] {}/{} · {tag}", deck.id, card.id),
        )?;
        let outcome = match &card.kind {
            CardKind::Flashcard { back } => return self.flashcard(&key, card, back, started),
            CardKind::Choice { options, answers } => self.choice(card, options, answers)?,
            CardKind::TrueFalse { answer } => self.true_false(card, *answer)?,
            CardKind::Typed { answer, accept, .. } => self.typed(
                card,
                answer.as_deref().or(accept.first().map(String::as_str)),
            )?,
            CardKind::Practical { experiment } => self.practical(card, experiment)?,
            CardKind::Lab { experiment } => self.lab(card, experiment)?,
        };
        let (right, hint_used) = match outcome {
            Outcome::Checked { right, hint_used } => (right, hint_used),
            Outcome::Step(step) => {
                if matches!(step, Step::Skipped) {
                    self.set_aside.insert(key);
                    self.summary.skipped += 1;
                }
                return Ok(step);
            }
        };
        if let Some(explain) = &card.explain {
            self.ui.say(Style::Dim, explain)?;
        }
        // A wrong answer or a used hint fixes the grade; say so only once it is saved.
        let fixed = if !right {
            Some((Rating::Again, "(recorded as Again)"))
        } else if hint_used {
            Some((
                Rating::Hard,
                "(the hint was used, so this was recorded as Hard)",
            ))
        } else {
            None
        };
        if let Some((rating, note)) = fixed {
            self.record(&key, state, rating, Some(right), started)?;
            self.ui.say(Style::Dim, note)?;
            return Ok(Step::Answered);
        }
        let choices = self.grade_choices(&state, &[Rating::Hard, Rating::Good, Rating::Easy]);
        let rating = match self.ui.grade(&choices, 1)? {
            Input::Value(r) => r,
            Input::Undo => return Ok(Step::Undo),
            Input::Quit | Input::Hint => {
                // The answer was given: keep it, with the suggested grade, before leaving.
                self.record(&key, state, Rating::Good, Some(true), started)?;
                return Ok(Step::Quit);
            }
        };
        self.record(&key, state, rating, Some(right), started)?;
        Ok(Step::Answered)
    }

    fn grade_choices(&self, state: &CardState, ratings: &[Rating]) -> Vec<GradeChoice> {
        let now = (self.clock)();
        let previews = if self.config.cram {
            None
        } else {
            self.scheduler.preview(state, now).ok()
        };
        ratings
            .iter()
            .map(|&rating| {
                let label = match previews
                    .as_ref()
                    .and_then(|p| p.iter().find(|o| o.rating == rating))
                {
                    Some(outcome) => {
                        format!("{:<5} (next in {})", rating.name(), outcome.label(now))
                    }
                    None => rating.name().to_string(),
                };
                GradeChoice { rating, label }
            })
            .collect()
    }

    fn record(
        &mut self,
        key: &Key,
        before: CardState,
        rating: Rating,
        right: Option<bool>,
        started: std::time::Instant,
    ) -> Result<(), SessionError> {
        let now = (self.clock)();
        let was_new = before.state == State::New;
        let outcome = self.scheduler.answer(&before, rating, now, self.rng)?;
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let after = if self.config.cram {
            before.clone()
        } else {
            outcome.card
        };
        let answer_id = self.store.record_answer(&Answer {
            deck: &key.deck,
            card: &key.card,
            time: now,
            rating,
            elapsed_days: outcome.elapsed_days,
            duration_ms,
            new_state: (!self.config.cram).then_some(&after),
        })?;
        self.history.push(Done {
            answer_id,
            key: key.clone(),
            right,
            was_new,
        });
        if let Some(&i) = self.index.get(key) {
            self.states[i] = after;
        }
        self.summary.answered += 1;
        match right {
            Some(true) => self.summary.right += 1,
            Some(false) => self.summary.wrong += 1,
            None => {}
        }
        if self.config.cram {
            self.set_aside.insert(key.clone());
        } else if was_new {
            self.new_today += 1;
            self.summary.new_learned += 1;
        } else {
            self.reviews_today += 1;
        }
        Ok(())
    }

    fn flashcard(
        &mut self,
        key: &Key,
        card: &Card,
        back: &str,
        started: std::time::Instant,
    ) -> Result<Step, SessionError> {
        self.ui.say(Style::Question, &card.prompt)?;
        let mut hint_available = card.hint.is_some();
        loop {
            match self.ui.proceed(if hint_available {
                "Show the answer (? for the hint)"
            } else {
                "Show the answer"
            })? {
                Input::Value(()) => break,
                Input::Hint if hint_available => {
                    self.show_hint(card)?;
                    hint_available = false;
                }
                Input::Hint => {}
                Input::Undo => return Ok(Step::Undo),
                Input::Quit => return Ok(Step::Quit),
            }
        }
        self.ui.say(Style::Text, &format!("Answer: {back}"))?;
        if let Some(explain) = &card.explain {
            self.ui.say(Style::Dim, explain)?;
        }
        let state = self.state(key);
        let choices = self.grade_choices(
            &state,
            &[Rating::Again, Rating::Hard, Rating::Good, Rating::Easy],
        );
        let rating = match self.ui.grade(&choices, 2)? {
            Input::Value(r) => r,
            Input::Undo => return Ok(Step::Undo),
            Input::Quit | Input::Hint => return Ok(Step::Quit),
        };
        self.record(key, state, rating, None, started)?;
        Ok(Step::Answered)
    }

    fn show_hint(&mut self, card: &Card) -> Result<(), SessionError> {
        if let Some(hint) = &card.hint {
            self.ui.say(Style::Dim, &format!("Hint: {hint}"))?;
        }
        Ok(())
    }

    /// Asks until an answer, the hint (shown, then asked again), undo or quit.
    fn ask<T>(
        &mut self,
        card: &Card,
        mut prompt: impl FnMut(&mut dyn Ui, bool) -> Result<Input<T>, UiError>,
    ) -> Result<(Input<T>, bool), SessionError> {
        let mut hint_used = false;
        loop {
            match prompt(self.ui, card.hint.is_some() && !hint_used)? {
                Input::Hint => {
                    self.show_hint(card)?;
                    hint_used = true;
                }
                other => return Ok((other, hint_used)),
            }
        }
    }

    fn choice(
        &mut self,
        card: &Card,
        options: &[crate::deck::ChoiceOption],
        answers: &[usize],
    ) -> Result<Outcome, SessionError> {
        let mut order: Vec<usize> = (0..options.len()).collect();
        order.shuffle(self.rng);
        let shown: Vec<String> = order.iter().map(|&i| options[i].text.clone()).collect();
        let multi = answers.len() > 1;
        // Say how many to pick, unless the author's prompt already asks for several.
        let question = if multi && !card.prompt.to_lowercase().contains("pick") {
            format!("{} (pick {})", card.prompt, answers.len())
        } else {
            card.prompt.clone()
        };
        self.ui.say(Style::Question, &question)?;
        let (input, hint_used) = self.ask(card, |ui, hint| ui.choose(&shown, multi, hint))?;
        let picks: Vec<usize> = match input {
            Input::Value(p) => p.into_iter().map(|i| order[i]).collect(),
            Input::Undo => return Ok(Outcome::Step(Step::Undo)),
            _ => return Ok(Outcome::Step(Step::Quit)),
        };
        let right = card.choice_is_right(&picks);
        let correct: Vec<String> = answers.iter().map(|&i| options[i].text.clone()).collect();
        if right {
            self.ui
                .say(Style::Right, &format!("Right: {}", correct.join(", ")))?;
        } else {
            self.ui.say(
                Style::Wrong,
                &format!("Wrong. The answer is: {}", correct.join(", ")),
            )?;
            for &p in picks.iter().filter(|p| !answers.contains(p)) {
                if let Some(why) = &options[p].why {
                    self.ui.say(
                        Style::Text,
                        &format!("Why not \"{}\": {why}", options[p].text),
                    )?;
                }
            }
        }
        Ok(Outcome::Checked { right, hint_used })
    }

    fn true_false(&mut self, card: &Card, answer: bool) -> Result<Outcome, SessionError> {
        self.ui
            .say(Style::Question, &format!("True or false: {}", card.prompt))?;
        let (input, hint_used) = self.ask(card, |ui, hint| ui.true_false(hint))?;
        let given = match input {
            Input::Value(v) => v,
            Input::Undo => return Ok(Outcome::Step(Step::Undo)),
            _ => return Ok(Outcome::Step(Step::Quit)),
        };
        let right = given == answer;
        let word = if answer { "true" } else { "false" };
        if right {
            self.ui
                .say(Style::Right, &format!("Right: it is {word}."))?;
        } else {
            self.ui
                .say(Style::Wrong, &format!("Wrong: it is {word}."))?;
        }
        Ok(Outcome::Checked { right, hint_used })
    }

    fn typed(&mut self, card: &Card, model: Option<&str>) -> Result<Outcome, SessionError> {
        self.ui.say(Style::Question, &card.prompt)?;
        let (input, hint_used) = self.ask(card, |ui, hint| ui.text(hint))?;
        let given = match input {
            Input::Value(v) => v,
            Input::Undo => return Ok(Outcome::Step(Step::Undo)),
            _ => return Ok(Outcome::Step(Step::Quit)),
        };
        let right = card.typed_is_right(&given);
        let model = model.unwrap_or_default();
        if right {
            self.ui
                .say(Style::Right, &format!("Right. A model answer: {model}"))?;
        } else {
            let mut text = format!("Not quite. A model answer: {model}");
            if let CardKind::Typed { keywords, .. } = &card.kind
                && !keywords.is_empty()
            {
                let folded = crate::deck::fold(&given);
                let missing: Vec<String> = keywords
                    .iter()
                    .filter(|group| !group.iter().any(|k| folded.contains(&crate::deck::fold(k))))
                    .map(|group| group.join(" / "))
                    .collect();
                if !missing.is_empty() {
                    text.push_str(&format!("\nMissing: {}", missing.join(", ")));
                }
            }
            self.ui.say(Style::Wrong, &text)?;
        }
        Ok(Outcome::Checked { right, hint_used })
    }

    fn environment(&mut self) -> &practical::Environment {
        self.environment
            .get_or_insert_with(practical::Environment::detect)
    }

    /// Finds a practical card's experiment (or lab) and shows its question: the card's own prompt, else the
    /// experiment's. `None` (the card is skipped) when this build does not have it.
    fn introduce_live(
        &mut self,
        card: &Card,
        id: &str,
        what: &str,
    ) -> Result<Option<&'static practical::Experiment>, SessionError> {
        let Some(experiment) = practical::find(id) else {
            self.ui.say(
                Style::Dim,
                &format!("(the {what} `{id}` is not in this build; the card is skipped)"),
            )?;
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

    fn practical(&mut self, card: &Card, id: &str) -> Result<Outcome, SessionError> {
        let Some(experiment) = self.introduce_live(card, id, "experiment")? else {
            return Ok(Outcome::Step(Step::Skipped));
        };
        self.ui.say(
            Style::Dim,
            "(portquiz will run this live on loopback and compare with your prediction)",
        )?;
        let options: Vec<String> = experiment.options.iter().map(|s| s.to_string()).collect();
        let (input, hint_used) = self.ask(card, |ui, hint| ui.choose(&options, false, hint))?;
        let picks = match input {
            Input::Value(p) => p,
            Input::Undo => return Ok(Outcome::Step(Step::Undo)),
            _ => return Ok(Outcome::Step(Step::Quit)),
        };
        let env = self.environment().clone();
        match practical::run(experiment, &env) {
            practical::Outcome::Observed(obs) => {
                for line in &obs.transcript {
                    self.ui.say(Style::Dim, line)?;
                }
                let mut picks = picks;
                picks.sort_unstable();
                let mut correct = obs.correct.clone();
                correct.sort_unstable();
                let right = picks == correct;
                let answer: Vec<&str> = correct
                    .iter()
                    .filter_map(|&i| experiment.options.get(i).copied())
                    .collect();
                if right {
                    self.ui.say(
                        Style::Right,
                        &format!("Right, this machine agrees: {}", answer.join(", ")),
                    )?;
                } else {
                    self.ui.say(
                        Style::Wrong,
                        &format!("Not what this machine did: {}", answer.join(", ")),
                    )?;
                }
                self.ui
                    .say(Style::Text, &format!("=> {}", obs.conclusion))?;
                if let Some(note) = &obs.note {
                    self.ui.say(Style::Dim, note)?;
                }
                if card.explain.is_none() {
                    self.ui.say(Style::Dim, experiment.explain)?;
                }
                Ok(Outcome::Checked { right, hint_used })
            }
            practical::Outcome::Unavailable { reason } => {
                self.ui.say(
                    Style::Dim,
                    &format!("not available here: {reason}. The card is skipped, not graded."),
                )?;
                Ok(Outcome::Step(Step::Skipped))
            }
            practical::Outcome::Errored { message } => {
                self.ui.say(Style::Dim, &format!("the experiment could not finish: {message}. The card is skipped, not graded."))?;
                Ok(Outcome::Step(Step::Skipped))
            }
        }
    }

    fn lab(&mut self, card: &Card, id: &str) -> Result<Outcome, SessionError> {
        let Some(lab) = self.introduce_live(card, id, "lab")? else {
            return Ok(Outcome::Step(Step::Skipped));
        };
        let env = self.environment().clone();
        let mut setup = match practical::prepare_lab(lab, &env) {
            Ok(setup) => setup,
            Err(reason) => {
                self.ui.say(
                    Style::Dim,
                    &format!("not available here: {reason}. The card is skipped, not graded."),
                )?;
                return Ok(Outcome::Step(Step::Skipped));
            }
        };
        self.ui.say(Style::Text, setup.instructions())?;
        let mut hint_used = false;
        loop {
            match self.ui.proceed("Done? portquiz checks now")? {
                Input::Value(()) => break,
                Input::Hint => {
                    self.show_hint(card)?;
                    hint_used = true;
                }
                Input::Undo => return Ok(Outcome::Step(Step::Undo)),
                Input::Quit => return Ok(Outcome::Step(Step::Quit)),
            }
        }
        let result = practical::verify_lab(&mut setup, LAB_WAIT);
        drop(setup);
        for line in &result.transcript {
            self.ui.say(Style::Dim, line)?;
        }
        if result.passed {
            self.ui
                .say(Style::Right, &format!("Verified: {}", result.conclusion))?;
        } else {
            self.ui.say(
                Style::Wrong,
                &format!("Not verified: {}", result.conclusion),
            )?;
        }
        Ok(Outcome::Checked {
            right: result.passed,
            hint_used,
        })
    }
}

/// The result of asking an auto-checked card.
enum Outcome {
    Checked { right: bool, hint_used: bool },
    Step(Step),
}

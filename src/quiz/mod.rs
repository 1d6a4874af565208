//! The quiz engine under both loops (the study session and the mock interview): the scheduling context
//! ([`Planner`]), the progress and experiment ports ([`Progress`], [`Live`]), one error type ([`QuizError`]),
//! saving an answer with its retry ([`save`]), asking each card kind ([`pose`]) and checking it ([`check`],
//! [`ideas`]), the claim ("I was right", [`CLAIM_GRADES`]), hints ([`ask`]), demos ([`show_demo`]) and running a
//! prediction live ([`run_prediction`]). Each rule lives here once; the loops keep only what differs: the order
//! of questions, the clock, and whether feedback comes now (study) or at the debrief (interview).
//!
//! It must not reach the command line, the environment or a concrete front end: it talks to a [`Ui`].
mod live;
mod progress;
pub mod words;

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

pub use live::{Lab, Live, Machine};
pub use progress::{MemoryProgress, Progress, Recorded, Today};

use crate::deck::answer::{Judgement, Suggestion, Verdict};
use crate::deck::{Card, CardKind, CardRef};
use crate::practical::{self, Experiment};
use crate::schedule::{CardState, Rating, Scheduler};
use crate::store::{Answer, AnswerId, AnswerKind, StoreError};
use crate::ui::{GradeChoice, GradeReply, Offer, Reply, Style, Ui, UiError};

/// How a typed answer is judged: the deck's matcher, or (in tests) a stand-in that can say Close before the
/// matcher does.
pub type Judge<'a> = Box<dyn Fn(&Card, &str) -> Option<Judgement> + 'a>;

/// What both loops (the study session and the mock interview) ask, check and record through: the progress
/// store, the planner (scheduler, clock, rng, judge), the front end and the live experiments. Each loop holds
/// one beside what is its own (its order, its clock, its settings), so the two cannot drift apart in how
/// they reach these.
pub struct Engine<'a> {
    pub progress: &'a mut dyn Progress,
    pub planner: Planner<'a>,
    pub ui: &'a mut dyn Ui,
    pub live: &'a mut dyn Live,
}

impl<'a> Engine<'a> {
    pub fn new(
        progress: &'a mut dyn Progress,
        planner: Planner<'a>,
        ui: &'a mut dyn Ui,
        live: &'a mut dyn Live,
    ) -> Self {
        Self {
            progress,
            planner,
            ui,
            live,
        }
    }

    /// A grade prompt with `offer`'s actions; a demo (offered when `offer.demo` and the card names one) runs and
    /// the prompt comes back.
    pub fn grade_prompt(
        &mut self,
        card: &Card,
        choices: &[GradeChoice],
        default: usize,
        offer: Offer,
    ) -> Result<GradeReply, QuizError> {
        let demo = card.demo.as_deref().and_then(practical::find);
        let offer = Offer {
            demo: offer.demo && demo.is_some(),
            ..offer
        };
        loop {
            match self.ui.grade(choices, default, offer)? {
                GradeReply::Demo => {
                    if let Some(experiment) = demo {
                        show_demo(self.ui, self.live, experiment)?;
                    }
                }
                reply => return Ok(reply),
            }
        }
    }
}

/// The scheduler, the clock, the rng and the judge: what turns an answer into a verdict and a new card state.
pub struct Planner<'a> {
    scheduler: &'a Scheduler,
    clock: Box<dyn Fn() -> Timestamp + 'a>,
    rng: StdRng,
    judge: Judge<'a>,
}

impl<'a> Planner<'a> {
    /// A planner reading "now" from `clock` and drawing shuffles and fuzz from `rng`.
    pub fn new(scheduler: &'a Scheduler, clock: impl Fn() -> Timestamp + 'a, rng: StdRng) -> Self {
        Self {
            scheduler,
            clock: Box::new(clock),
            rng,
            judge: Box::new(Card::typed_judgement),
        }
    }

    /// The same planner judging typed answers with `judge` (tests: a verdict the matcher does not give yet).
    pub fn with_judge(self, judge: impl Fn(&Card, &str) -> Option<Judgement> + 'a) -> Self {
        Self {
            judge: Box::new(judge),
            ..self
        }
    }

    /// The clock's instant.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The scheduler.
    pub fn scheduler(&self) -> &'a Scheduler {
        self.scheduler
    }

    /// The rng shuffles and fuzz draw from.
    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }

    /// How a typed answer to `card` is judged (`None` for other card types).
    pub fn judge(&self, card: &Card, input: &str) -> Option<Judgement> {
        (self.judge)(card, input)
    }

    /// For tests: a clock that starts at the instant in `clock` and moves it on by `tick` at every reading, and
    /// an rng seeded with `seed`.
    #[cfg(test)]
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

/// Why a session or a round stopped early with an error.
#[derive(Debug, thiserror::Error)]
pub enum QuizError {
    #[error(transparent)]
    Ui(#[from] UiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Schedule(#[from] crate::schedule::ScheduleError),
}

/// The four grades, as a self-graded answer offers them.
pub const ALL_GRADES: &[Rating] = &[Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

/// The grades after a right verdict, and after "I was right": Hard, Good (the default) or Easy.
pub const CLAIM_GRADES: &[Rating] = &[Rating::Hard, Rating::Good, Rating::Easy];

/// The index of `rating` in `grades` (the grade prompt's default), else the middle one.
pub fn position(grades: &[Rating], rating: Rating) -> usize {
    grades
        .iter()
        .position(|&r| r == rating)
        .unwrap_or(grades.len() / 2)
}

/// Grade choices labelled with the bare rating names (no preview of the next interval).
pub fn plain_choices(grades: &[Rating]) -> Vec<GradeChoice> {
    grades
        .iter()
        .map(|&rating| GradeChoice {
            rating,
            label: rating.name().to_owned(),
        })
        .collect()
}

/// One answer to save.
pub struct Settle<'k> {
    pub card: &'k CardRef,
    /// The card's state as the loop knows it.
    pub before: CardState,
    pub rating: Rating,
    /// The answer's instant in the log.
    pub time: Timestamp,
    /// How long the candidate took.
    pub spent: jiff::SignedDuration,
    /// Whether the answer changes the card's state (false: cram, `--no-schedule`).
    pub schedule: bool,
    /// The candidate overrode a verdict of wrong ("I was right").
    pub overridden: bool,
    /// The matcher called the answer close: logged as such (`stats` lists cards often close).
    pub close: bool,
    pub kind: AnswerKind,
}

/// A saved answer: its id (for undo), the state it was based on and the state after it.
pub struct Saved {
    pub id: AnswerId,
    pub before: CardState,
    pub after: CardState,
}

/// Saves one answer durably. The state is computed from the one the loop knows; if another portquiz changed the
/// card meanwhile (a merge, a second session), the store refuses and hands back the current one, and the answer
/// is computed again from it (three times at most).
pub fn save(
    progress: &mut dyn Progress,
    planner: &mut Planner<'_>,
    settle: Settle<'_>,
) -> Result<Saved, QuizError> {
    let now = settle.time;
    let duration_ms = u64::try_from(settle.spent.as_millis().max(0)).unwrap_or(u64::MAX);
    let mut before = settle.before;
    let mut attempts = 0;
    loop {
        let outcome = planner
            .scheduler
            .answer(&before, settle.rating, now, &mut planner.rng)?;
        let after = if settle.schedule {
            outcome.card
        } else {
            before.clone()
        };
        let recorded = progress.record(&Answer {
            card: settle.card,
            time: now,
            rating: settle.rating,
            elapsed_days: outcome.elapsed_days,
            duration_ms,
            new_state: settle.schedule.then_some(&after),
            overridden: settle.overridden,
            close: settle.close,
            based_on: Some(&before),
            kind: settle.kind,
        });
        match recorded {
            Err(StoreError::Stale { current, .. }) if attempts < 3 => {
                attempts += 1;
                before = *current;
            }
            other => {
                return Ok(Saved {
                    id: other?,
                    before,
                    after,
                });
            }
        }
    }
}

/// What a question prompt got: an answer (and whether the hint was shown first), undo or quit.
pub enum Asked<T> {
    Value(T, bool),
    Undo,
    Quit,
}

impl<T> Asked<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Asked<U> {
        match self {
            Asked::Value(value, hint) => Asked::Value(f(value), hint),
            Asked::Undo => Asked::Undo,
            Asked::Quit => Asked::Quit,
        }
    }
}

/// Asks until an answer, undo or quit. With `hints` the card's hint is offered (when it has one) and shown on
/// request; without, none is offered.
pub fn ask<T>(
    ui: &mut dyn Ui,
    card: &Card,
    hints: bool,
    mut prompt: impl FnMut(&mut dyn Ui, bool) -> Result<Reply<T>, UiError>,
) -> Result<Asked<T>, QuizError> {
    let mut hint_used = false;
    loop {
        let offered = hints && card.hint.is_some() && !hint_used;
        match prompt(ui, offered)? {
            Reply::Hint if offered => {
                show_hint(ui, card)?;
                hint_used = true;
            }
            Reply::Hint => ui.say(Style::Dim, crate::ui::NO_HINT)?,
            Reply::Value(value) => return Ok(Asked::Value(value, hint_used)),
            Reply::Undo => return Ok(Asked::Undo),
            Reply::Quit => return Ok(Asked::Quit),
        }
    }
}

/// Shows the card's hint, if it has one.
pub fn show_hint(ui: &mut dyn Ui, card: &Card) -> Result<(), QuizError> {
    if let Some(hint) = &card.hint {
        ui.say(Style::Dim, &words::hint(hint))?;
    }
    Ok(())
}

/// What the candidate gave at a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// Option indices, in the card's (or the experiment's) own order.
    Picks(Vec<usize>),
    Bool(bool),
    Text(String),
}

/// A posed question: the answer, or why there is none.
pub enum Posed {
    Asked(Asked<Given>),
    /// A practical card whose experiment this build does not have (the loop skips it).
    Missing,
}

/// Shows a card's question and takes the answer: choice (options shuffled: where the right one sits must not
/// give it away), true/false, typed, a practical's prediction (after `live_note`, which says when it runs), and
/// for the kinds a loop asks in words (flashcards, labs in an interview) a typed answer.
#[deny(clippy::wildcard_enum_match_arm)] // every card kind is handled: no `_ =>` over CardKind
pub fn pose(
    ui: &mut dyn Ui,
    rng: &mut StdRng,
    card: &Card,
    hints: bool,
    live_note: &str,
) -> Result<Posed, QuizError> {
    let shuffled = |rng: &mut StdRng, len: usize| {
        let mut order: Vec<usize> = (0..len).collect();
        order.shuffle(rng);
        order
    };
    let asked = match &card.kind {
        CardKind::Choice { options, answers } => {
            let order = shuffled(rng, options.len());
            let shown: Vec<String> = order.iter().map(|&i| options[i].text.clone()).collect();
            let multi = answers.len() > 1;
            ui.say(
                Style::Question,
                &words::choice_question(&card.prompt, answers.len()),
            )?;
            ask(ui, card, hints, |ui, hint| ui.choose(&shown, multi, hint))?
                .map(|p| Given::Picks(p.indices().iter().map(|&i| order[i]).collect()))
        }
        CardKind::TrueFalse { .. } => {
            ui.say(Style::Question, &words::true_false_question(&card.prompt))?;
            ask(ui, card, hints, |ui, hint| ui.true_false(hint))?.map(Given::Bool)
        }
        CardKind::Typed { ordered, .. } => {
            ui.say(
                Style::Question,
                &words::typed_question(&card.prompt, *ordered),
            )?;
            ask(ui, card, hints, |ui, hint| ui.text(hint))?.map(Given::Text)
        }
        CardKind::Practical { experiment } => {
            let Some(experiment) = introduce_live(ui, card, experiment, "experiment")? else {
                return Ok(Posed::Missing);
            };
            ui.say(Style::Dim, live_note)?;
            let order = shuffled(rng, experiment.options.len());
            let options: Vec<String> = order
                .iter()
                .map(|&i| experiment.options[i].to_string())
                .collect();
            ask(ui, card, hints, |ui, hint| ui.choose(&options, false, hint))?
                .map(|p| Given::Picks(p.indices().iter().map(|&i| order[i]).collect()))
        }
        CardKind::Flashcard { .. } | CardKind::Lab { .. } => {
            ui.say(Style::Question, &card.prompt)?;
            ask(ui, card, hints, |ui, hint| ui.text(hint))?.map(Given::Text)
        }
    };
    Ok(Posed::Asked(asked))
}

/// Finds a practical card's experiment (or lab) and shows its question: the card's own prompt, else the
/// experiment's. `None` (the card is skipped) when this build does not have it.
pub fn introduce_live(
    ui: &mut dyn Ui,
    card: &Card,
    id: &str,
    what: &str,
) -> Result<Option<&'static Experiment>, QuizError> {
    let Some(experiment) = practical::find(id) else {
        ui.say(Style::Dim, &words::not_in_build(what, id))?;
        return Ok(None);
    };
    ui.say(Style::Question, card.question(experiment.question))?;
    Ok(Some(experiment))
}

/// The verdict on an auto-checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub verdict: Verdict,
    /// Keyword groups the typed answer lacked, as `a / b`.
    pub missing: Vec<String>,
    /// For a close verdict: what matched and what did not.
    pub matched: Vec<String>,
    pub unmatched: Vec<String>,
    /// A choice: the right options not picked, and the wrong options picked (in the card's order), so a
    /// wrong multi-select answer can say which of its options were missed or wrongly picked.
    pub missed: Vec<String>,
    pub wrongly_picked: Vec<String>,
}

impl Check {
    fn of(right: bool) -> Check {
        Check {
            verdict: if right {
                Verdict::Right
            } else {
                Verdict::Wrong
            },
            missing: Vec::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            missed: Vec::new(),
            wrongly_picked: Vec::new(),
        }
    }

    pub fn is_right(&self) -> bool {
        self.verdict == Verdict::Right
    }
}

/// Checks an answer to an auto-checked card (choice, true/false, a typed card with answers to accept); `None` for
/// the answers the candidate grades (flashcards, explanations) and predictions (the machine decides).
#[deny(clippy::wildcard_enum_match_arm)] // every card kind is handled: no `_ =>` over CardKind
pub fn check(planner: &Planner<'_>, card: &Card, given: &Given) -> Option<Check> {
    match (&card.kind, given) {
        (CardKind::Choice { options, answers }, Given::Picks(picks)) => {
            let text = |i: usize| options.get(i).map(|o| o.text.clone());
            Some(Check {
                missed: answers
                    .iter()
                    .filter(|i| !picks.contains(i))
                    .filter_map(|&i| text(i))
                    .collect(),
                wrongly_picked: (0..options.len())
                    .filter(|i| picks.contains(i) && !answers.contains(i))
                    .filter_map(text)
                    .collect(),
                ..Check::of(card.choice_is_right(picks))
            })
        }
        (CardKind::TrueFalse { answer }, Given::Bool(given)) => Some(Check::of(answer == given)),
        (CardKind::Typed { keywords, .. }, Given::Text(text))
            if card.explanation_ideas().is_none() =>
        {
            let judgement = planner.judge(card, text)?;
            Some(Check {
                verdict: judgement.verdict,
                missing: judgement
                    .missing
                    .iter()
                    .filter_map(|&g| keywords.get(g))
                    .map(|group| group.join(" / "))
                    .collect(),
                matched: judgement.matched,
                unmatched: judgement.unmatched,
                missed: Vec::new(),
                wrongly_picked: Vec::new(),
            })
        }
        (
            CardKind::Choice { .. }
            | CardKind::TrueFalse { .. }
            | CardKind::Typed { .. }
            | CardKind::Flashcard { .. }
            | CardKind::Practical { .. }
            | CardKind::Lab { .. },
            _,
        ) => None,
    }
}

/// The grade portquiz suggests for a close answer: the candidate confirms it with Enter.
pub const CLOSE_GRADE: Rating = Rating::Hard;

/// The key ideas an explanation named and missed, and the grade portquiz suggests from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ideas {
    pub spotted: Vec<String>,
    pub missed: Vec<String>,
    pub suggested: Rating,
}

/// For a free-text answer graded by the candidate: the key ideas it names and misses (by the deck's one matcher)
/// and the suggested grade (one rule, [`Judgement::explanation_suggestion`]); a card without key ideas (a
/// flashcard) suggests Hard, never Good: portquiz has not looked at the answer.
pub fn ideas(planner: &Planner<'_>, card: &Card, text: &str) -> Ideas {
    let (Some(groups), Some(judgement)) = (card.explanation_ideas(), planner.judge(card, text))
    else {
        return Ideas {
            spotted: Vec::new(),
            missed: Vec::new(),
            suggested: Rating::Hard,
        };
    };
    let names = |missed: bool| -> Vec<String> {
        let listed = groups.iter().enumerate();
        listed
            .filter(|(i, _)| judgement.missing.contains(i) == missed)
            .map(|(_, group)| group.join(" / "))
            .collect()
    };
    let suggested = match judgement.explanation_suggestion(groups.len()) {
        Suggestion::Good => Rating::Good,
        Suggestion::Hard => Rating::Hard,
        Suggestion::Again => Rating::Again,
    };
    Ideas {
        spotted: names(false),
        missed: names(true),
        suggested,
    }
}

/// Runs a card's demo experiment live and shows what happened; nothing is graded or recorded.
pub fn show_demo(
    ui: &mut dyn Ui,
    live: &mut dyn Live,
    experiment: &'static Experiment,
) -> Result<(), QuizError> {
    ui.say(Style::Dim, &words::demo_intro(experiment.title))?;
    match live.run(experiment) {
        practical::Outcome::Observed(obs) => {
            for line in &obs.transcript {
                ui.say(Style::Dim, line)?;
            }
            ui.say(Style::Text, &words::conclusion(&obs.conclusion))?;
            if let Some(note) = &obs.note {
                ui.say(Style::Dim, note)?;
            }
        }
        practical::Outcome::Unavailable { reason } => {
            ui.say(Style::Dim, &words::demo_unavailable(&reason))?;
        }
        practical::Outcome::Errored { message } => {
            ui.say(Style::Dim, &words::demo_unavailable(&message))?;
        }
    }
    Ok(())
}

/// Runs a prediction's experiment live and shows the machine's verdict on `picks` (indices in the experiment's
/// order), the conclusion and any note. `None` when it could not run here (the answer is not scored).
pub fn run_prediction(
    ui: &mut dyn Ui,
    live: &mut dyn Live,
    experiment: &'static Experiment,
    picks: &[usize],
) -> Result<Option<bool>, QuizError> {
    match live.run(experiment) {
        practical::Outcome::Observed(obs) => {
            for line in &obs.transcript {
                ui.say(Style::Dim, line)?;
            }
            let mut picks = picks.to_vec();
            picks.sort_unstable();
            let mut correct = obs.correct.clone();
            correct.sort_unstable();
            let right = picks == correct;
            let answer: Vec<&str> = correct
                .iter()
                .filter_map(|&i| experiment.options.get(i).copied())
                .collect();
            if right {
                ui.say(Style::Right, &words::machine_agrees(&answer))?;
            } else {
                ui.say(Style::Wrong, &words::machine_disagrees(&answer))?;
            }
            ui.say(Style::Text, &words::conclusion(&obs.conclusion))?;
            if let Some(note) = &obs.note {
                ui.say(Style::Dim, note)?;
            }
            Ok(Some(right))
        }
        practical::Outcome::Unavailable { reason } => {
            ui.say(Style::Dim, &words::unavailable(&reason))?;
            Ok(None)
        }
        practical::Outcome::Errored { message } => {
            ui.say(Style::Dim, &words::could_not_finish(&message))?;
            Ok(None)
        }
    }
}

/// The answer as the candidate gave it, in words (option texts joined by `; `, `true`/`false`, the text typed).
#[deny(clippy::wildcard_enum_match_arm)] // every card kind is handled: no `_ =>` over CardKind
pub fn given_text(card: &Card, given: &Given) -> String {
    let texts = |picks: &[usize], options: &dyn Fn(usize) -> Option<String>| {
        picks
            .iter()
            .filter_map(|&i| options(i))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match (given, &card.kind) {
        (Given::Picks(picks), CardKind::Choice { options, .. }) => {
            texts(picks, &|i| options.get(i).map(|o| o.text.clone()))
        }
        (Given::Picks(picks), CardKind::Practical { experiment }) => practical::find(experiment)
            .map(|e| texts(picks, &|i| e.options.get(i).map(|o| o.to_string())))
            .unwrap_or_default(),
        (
            Given::Picks(_),
            CardKind::Flashcard { .. }
            | CardKind::TrueFalse { .. }
            | CardKind::Typed { .. }
            | CardKind::Lab { .. },
        ) => String::new(),
        (Given::Bool(b), _) => b.to_string(),
        (Given::Text(text), _) => text.clone(),
    }
}

/// For tests of both loops: the deck's matcher, except that it calls `4433` close to `443` (a verdict the matcher
/// does not give yet), with what matched and what did not.
#[cfg(test)]
pub(crate) fn close_judge(card: &Card, input: &str) -> Option<Judgement> {
    let mut judgement = card.typed_judgement(input)?;
    if input.trim() == "4433" {
        judgement.verdict = Verdict::Close;
        judgement.matched = vec!["443".into()];
        judgement.unmatched = vec!["an extra 3".into()];
    }
    Some(judgement)
}

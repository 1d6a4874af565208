//! `portquiz interview`: a mock interview round, then its debrief and scorecard. Driven through the same
//! [`Ui`], [`Progress`], [`Planner`] and [`Live`] as the study session, so whole rounds run in unit tests
//! with a scripted UI, progress in memory, a fixed clock and seed, and injected experiment outcomes.
//!
//! Rules it keeps:
//! - Questions come from [`select`]: mostly the weakest cards, a strength now and then, a practical
//!   prediction early. Labs are left out (they need a shell, not a conversation).
//! - No hints, no undo and no feedback during the round; a clock and the pace stand above each question.
//! - A good answer leads to the card's first follow-up not yet asked; a weak one moves to a lead question
//!   from another deck (another topic), when there is one.
//! - The round stops when the time is up (checked before each question), the questions run out, or the
//!   candidate quits; the debrief follows in every case but Ctrl-C.
//! - Auto-checked answers (choice, true/false, exact typed answers) are recorded as they are given; free-text
//!   explanations are graded by the candidate at the debrief beside the model answer and the key ideas, and
//!   practical predictions are run live there. Each is recorded as soon as its verdict is known, as an
//!   interview answer (Good when right, Again when missed, the candidate's grade for explanations). With
//!   `schedule: false` the answers are logged without changing any card's state.
mod select;
pub mod words;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp};
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::deck::{Card, CardKind, CardRef, Deck};
use crate::practical::{self, Outcome};
use crate::schedule::{CardState, Rating, State};
use crate::session::{Live, Planner, Progress, SessionError};
use crate::store::{Answer, AnswerKind, StoreError};
use crate::ui::{GradeChoice, GradeReply, Reply, Style, Ui, UiError};

/// The length of a round unless `--minutes` says otherwise.
pub const DEFAULT_MINUTES: u32 = 15;

/// The pace an interviewer keeps: about this long a question.
pub const PACE: SignedDuration = SignedDuration::from_secs(90);

/// How a round runs.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub minutes: u32,
    /// Whether the answers change the schedule (`--no-schedule` sets false).
    pub schedule: bool,
}

/// How a question was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Right,
    Wrong,
    /// A prediction this machine could not run: not scored.
    Unverified,
}

/// One question of the round, for the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub deck: String,
    pub card: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The card whose good answer led here.
    pub follow_up_of: Option<CardRef>,
    /// The answer as given (option texts joined by `; `, `true`/`false`, or the text typed).
    pub answer: String,
    pub verdict: Verdict,
    /// The grade recorded (`None` when not scored).
    pub rating: Option<Rating>,
    pub seconds: f64,
}

/// The score of one topic: a deck (`deck:<id>`) or a tag (`tag:<name>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub topic: String,
    pub right: usize,
    pub scored: usize,
    /// Key ideas missed, then cards missed (at most three).
    pub weakest: Vec<String>,
}

/// What a round did: the debrief's questions, the score, by topic, and the cards missed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub format: u32,
    pub minutes: u32,
    pub schedule: bool,
    #[serde(skip)]
    pub spent: SignedDuration,
    #[serde(rename = "seconds")]
    pub spent_seconds: f64,
    #[serde(skip)]
    pub pace: SignedDuration,
    pub pace_seconds: f64,
    #[serde(skip)]
    pub average: SignedDuration,
    pub right: usize,
    pub scored: usize,
    pub questions: Vec<Question>,
    pub topics: Vec<Topic>,
    /// Cards missed: due again today when the schedule counts.
    pub missed: Vec<CardRef>,
    /// Ended by Ctrl-C (no debrief).
    #[serde(skip)]
    pub interrupted: bool,
}

/// What the candidate gave during the round.
#[derive(Debug, Clone)]
enum Given {
    /// Option indices (choice cards, or a practical's prediction).
    Picks(Vec<usize>),
    Bool(bool),
    Text(String),
}

/// One question asked.
struct Asked {
    card: usize,
    given: Given,
    follow_up_of: Option<usize>,
    asked_at: Timestamp,
    answered_at: Timestamp,
    /// The verdict, once known (auto-checked answers at once; the rest at the debrief).
    verdict: Option<Verdict>,
    rating: Option<Rating>,
    /// Key ideas missed (explanations).
    missed_ideas: Vec<String>,
}

/// A mock interview round over some decks.
pub struct Round<'a> {
    cards: Vec<(&'a Deck, &'a Card)>,
    keys: Vec<CardRef>,
    states: Vec<CardState>,
    progress: &'a mut dyn Progress,
    planner: Planner<'a>,
    ui: &'a mut dyn Ui,
    live: &'a mut dyn Live,
    config: Config,
}

/// Whether a card's answer is free text graded by the candidate at the debrief: flashcards, and typed cards
/// judged by key ideas (the session's explanation cards).
fn explanation(card: &Card) -> bool {
    matches!(card.kind, CardKind::Flashcard { .. }) || card.explanation_ideas().is_some()
}

/// Whether a free-text answer gives the question up.
fn passed(text: &str) -> bool {
    matches!(
        crate::deck::fold(text).as_str(),
        "pass" | "idk" | "i don't know" | "i do not know" | "skip" | "-"
    )
}

impl<'a> Round<'a> {
    /// Prepares a round over the askable cards of `decks` (suspended cards and labs left out).
    pub fn new(
        decks: &'a [Deck],
        progress: &'a mut dyn Progress,
        planner: Planner<'a>,
        ui: &'a mut dyn Ui,
        live: &'a mut dyn Live,
        config: Config,
    ) -> Result<Self, SessionError> {
        let suspended = progress.suspended()?;
        let (cards, states): (Vec<(&Deck, &Card)>, Vec<CardState>) =
            crate::library::with_states(decks, progress.states())?
                .into_iter()
                .filter(|c| select::askable(c.card))
                .filter(|c| !suspended.contains(&c.deck.card_ref(c.card)))
                .map(|c| ((c.deck, c.card), c.state))
                .unzip();
        let keys = cards.iter().map(|(d, c)| d.card_ref(c)).collect();
        Ok(Self {
            cards,
            keys,
            states,
            progress,
            planner,
            ui,
            live,
            config,
        })
    }

    /// How many questions the round can draw from.
    pub fn candidates(&self) -> usize {
        self.cards.len()
    }

    fn length(&self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.config.minutes.max(1)))
    }

    /// Runs the round, then the debrief; returns the scorecard.
    pub fn run(mut self) -> Result<Scorecard, SessionError> {
        // A damaged file must not be written to (as in a study session).
        self.progress.first_question()?;
        let length = self.length();
        let start = self.planner.now();
        let index: HashMap<&CardRef, usize> =
            self.keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let follow_ups: Vec<Vec<usize>> = self
            .cards
            .iter()
            .map(|(_, c)| {
                c.follow_up
                    .iter()
                    .filter_map(|r| index.get(r).copied())
                    .collect()
            })
            .collect();
        let mut followed = vec![false; self.cards.len()];
        for &i in follow_ups.iter().flatten() {
            followed[i] = true;
        }
        let scheduler = self.planner.scheduler();
        let weakness: Vec<f64> = self
            .states
            .iter()
            .map(|s| select::weakness(s, scheduler, start))
            .collect();
        let studied: Vec<bool> = self.states.iter().map(|s| s.state != State::New).collect();
        let practical: Vec<bool> = self
            .cards
            .iter()
            .map(|(_, c)| matches!(c.kind, CardKind::Practical { .. }))
            .collect();
        let leads = select::leads(
            &weakness,
            &studied,
            &practical,
            &followed,
            self.planner.rng(),
        );
        self.ui.say(
            Style::Dim,
            &words::opening(self.config.minutes, PACE, self.cards.len()),
        )?;
        let mut asked: Vec<Asked> = Vec::new();
        let mut done = vec![false; self.cards.len()];
        // The card to ask next because the last answer was good, and the one it follows.
        let mut next_follow: Option<(usize, usize)> = None;
        // The deck of a weak answer: the next lead comes from another.
        let mut avoid: Option<&'a Deck> = None;
        let mut interrupted = false;
        loop {
            let now = self.planner.now();
            let elapsed = now.duration_since(start);
            if elapsed >= length {
                self.ui.say(Style::Text, words::TIME_UP)?;
                break;
            }
            let (card, follow_up_of) = match next_follow.take() {
                Some((card, of)) => (card, Some(of)),
                None => {
                    let open = leads.iter().copied().filter(|&i| !done[i]);
                    let other = open
                        .clone()
                        .find(|&i| avoid.is_none_or(|d| !std::ptr::eq(self.cards[i].0, d)));
                    match other.or_else(|| open.clone().next()) {
                        Some(card) => (card, None),
                        None => {
                            self.ui.say(Style::Text, words::ENDED)?;
                            break;
                        }
                    }
                }
            };
            done[card] = true;
            let header = words::header(
                asked.len() + 1,
                elapsed,
                length,
                &self.keys[card],
                self.cards[card].1.kind.name(),
                follow_up_of.is_some(),
            );
            self.ui.say(Style::Header, &header)?;
            let given = match self.ask(card) {
                Ok(Some(given)) => given,
                Ok(None) => {
                    self.ui.say(Style::Text, words::ENDED)?;
                    break;
                }
                Err(SessionError::Ui(UiError::Interrupted)) => {
                    interrupted = true;
                    break;
                }
                Err(err) => return Err(err),
            };
            let answered_at = self.planner.now();
            self.ui.say(
                Style::Dim,
                &words::took(answered_at.duration_since(now), PACE),
            )?;
            let mut question = Asked {
                card,
                given,
                follow_up_of,
                asked_at: now,
                answered_at,
                verdict: None,
                rating: None,
                missed_ideas: Vec::new(),
            };
            let good = self.provisional(&mut question)?;
            if good {
                avoid = None;
                next_follow = follow_ups[card]
                    .iter()
                    .copied()
                    .find(|&f| !done[f])
                    .map(|f| (f, card));
            } else {
                avoid = Some(self.cards[card].0);
            }
            asked.push(question);
        }
        if !interrupted && let Err(err) = self.debrief(&mut asked) {
            match err {
                SessionError::Ui(UiError::Interrupted) => interrupted = true,
                other => return Err(other),
            }
        }
        let end = self.planner.now();
        let mut card = self.scorecard(&asked, end.duration_since(start));
        card.interrupted = interrupted;
        Ok(card)
    }

    /// Asks one question without hints or feedback; `None` when the candidate quits.
    fn ask(&mut self, index: usize) -> Result<Option<Given>, SessionError> {
        let card = self.cards[index].1;
        match &card.kind {
            CardKind::Choice { options, answers } => {
                let mut order: Vec<usize> = (0..options.len()).collect();
                order.shuffle(self.planner.rng());
                let shown: Vec<String> = order.iter().map(|&i| options[i].text.clone()).collect();
                self.ui.say(
                    Style::Question,
                    &crate::session::words::choice_question(&card.prompt, answers.len()),
                )?;
                let multi = answers.len() > 1;
                Ok(self
                    .reply(|ui| ui.choose(&shown, multi, false))?
                    .map(|p| Given::Picks(p.indices().iter().map(|&i| order[i]).collect())))
            }
            CardKind::TrueFalse { .. } => {
                self.ui.say(
                    Style::Question,
                    &crate::session::words::true_false_question(&card.prompt),
                )?;
                Ok(self.reply(|ui| ui.true_false(false))?.map(Given::Bool))
            }
            CardKind::Practical { experiment } => {
                let Some(found) = practical::find(experiment) else {
                    return Ok(Some(Given::Picks(Vec::new())));
                };
                let question = if card.prompt.is_empty() {
                    found.question
                } else {
                    card.prompt.as_str()
                };
                self.ui.say(Style::Question, question)?;
                self.ui.say(Style::Dim, words::PREDICT)?;
                // Shuffled like every choice, so the right option's place says nothing.
                let mut order: Vec<usize> = (0..found.options.len()).collect();
                order.shuffle(self.planner.rng());
                let options: Vec<String> = order
                    .iter()
                    .map(|&i| found.options[i].to_string())
                    .collect();
                Ok(self
                    .reply(|ui| ui.choose(&options, false, false))?
                    .map(|p| Given::Picks(p.indices().iter().map(|&i| order[i]).collect())))
            }
            CardKind::Flashcard { .. } | CardKind::Typed { .. } | CardKind::Lab { .. } => {
                self.ui.say(Style::Question, &card.prompt)?;
                Ok(self.reply(|ui| ui.text(false))?.map(Given::Text))
            }
        }
    }

    /// Asks until an answer; hint and undo are not part of an interview.
    fn reply<T>(
        &mut self,
        mut prompt: impl FnMut(&mut dyn Ui) -> Result<Reply<T>, UiError>,
    ) -> Result<Option<T>, SessionError> {
        loop {
            match prompt(self.ui)? {
                Reply::Value(value) => return Ok(Some(value)),
                Reply::Quit => return Ok(None),
                Reply::Hint => self.ui.say(Style::Dim, words::NO_HINTS)?,
                Reply::Undo => self.ui.say(Style::Dim, words::NO_UNDO)?,
            }
        }
    }

    /// Whether an answer is good enough to dig deeper, judged silently. Auto-checked answers get their
    /// verdict (and are recorded) now; an explanation is good when it names every key idea (or, without
    /// key ideas, when it was not passed); a prediction is taken as given until it is run.
    fn provisional(&mut self, q: &mut Asked) -> Result<bool, SessionError> {
        let card = self.cards[q.card].1;
        let right = match (&card.kind, &q.given) {
            (CardKind::Choice { .. }, Given::Picks(picks)) => card.choice_is_right(picks),
            (CardKind::TrueFalse { answer }, Given::Bool(given)) => answer == given,
            (CardKind::Typed { .. }, Given::Text(text)) if !explanation(card) => {
                card.typed_is_right(text)
            }
            (CardKind::Practical { .. }, Given::Picks(picks)) => return Ok(!picks.is_empty()),
            (_, Given::Text(text)) => {
                return Ok(!passed(text) && ideas(card, text).1.is_empty());
            }
            _ => false,
        };
        let verdict = if right {
            Verdict::Right
        } else {
            Verdict::Wrong
        };
        let rating = if right { Rating::Good } else { Rating::Again };
        self.record(q, rating)?;
        q.verdict = Some(verdict);
        Ok(right)
    }

    /// Records an interview answer (the log row and, when the schedule counts, the card's new state).
    fn record(&mut self, q: &mut Asked, rating: Rating) -> Result<(), SessionError> {
        let now = self.planner.now();
        let duration_ms =
            u64::try_from(q.answered_at.duration_since(q.asked_at).as_millis().max(0))
                .unwrap_or(u64::MAX);
        let mut before = self.states[q.card].clone();
        let mut attempts = 0;
        let after = loop {
            let scheduler = self.planner.scheduler();
            let outcome = scheduler.answer(&before, rating, now, self.planner.rng())?;
            let recorded = self.progress.record(&Answer {
                card: &self.keys[q.card],
                time: now,
                rating,
                elapsed_days: outcome.elapsed_days,
                duration_ms,
                new_state: self.config.schedule.then_some(&outcome.card),
                overridden: false,
                based_on: Some(&before),
                kind: AnswerKind::Interview,
            });
            match recorded {
                Err(StoreError::Stale { current, .. }) if attempts < 3 => {
                    attempts += 1;
                    before = *current;
                }
                other => {
                    other?;
                    break outcome.card;
                }
            }
        };
        if self.config.schedule {
            self.states[q.card] = after;
        }
        q.rating = Some(rating);
        Ok(())
    }

    /// Goes through every answer: auto verdicts are shown, explanations graded by the candidate, predictions
    /// run live. Each verdict is recorded as soon as it is known.
    fn debrief(&mut self, asked: &mut [Asked]) -> Result<(), SessionError> {
        if asked.is_empty() {
            return Ok(());
        }
        self.ui.say(Style::Header, words::DEBRIEF)?;
        // After `q` at a grade prompt, the rest are recorded with their default grades.
        let mut prompting = true;
        for (n, q) in asked.iter_mut().enumerate() {
            let card = self.cards[q.card].1;
            let spent = q.answered_at.duration_since(q.asked_at);
            self.ui.say(
                Style::Header,
                &words::debrief_header(n + 1, &self.keys[q.card], spent),
            )?;
            let question = match (&card.kind, card.prompt.is_empty()) {
                (CardKind::Practical { experiment }, true) => {
                    practical::find(experiment).map_or("", |e| e.question)
                }
                _ => card.prompt.as_str(),
            };
            self.ui.say(Style::Question, question)?;
            self.ui.say(
                Style::Text,
                &words::your_answer(&given_text(card, &q.given)),
            )?;
            match (&card.kind, &q.given, q.verdict) {
                (_, _, Some(verdict)) => {
                    let style = if verdict == Verdict::Right {
                        Style::Right
                    } else {
                        Style::Wrong
                    };
                    self.ui
                        .say(style, &words::verdict(verdict, &right_answer(card)))?;
                }
                (CardKind::Practical { experiment }, Given::Picks(picks), None) => {
                    self.verify(q, experiment, picks.clone())?;
                }
                (_, Given::Text(text), None) => {
                    let text = text.clone();
                    prompting = self.grade_explanation(q, &text, prompting)?;
                }
                _ => {}
            }
            if let Some(explain) = &card.explain {
                self.ui.say(Style::Explain, explain)?;
            }
        }
        Ok(())
    }

    /// Runs a prediction live and records the machine's verdict.
    fn verify(
        &mut self,
        q: &mut Asked,
        experiment: &str,
        picks: Vec<usize>,
    ) -> Result<(), SessionError> {
        let Some(found) = practical::find(experiment) else {
            q.verdict = Some(Verdict::Unverified);
            self.ui
                .say(Style::Dim, &words::verdict(Verdict::Unverified, ""))?;
            return Ok(());
        };
        match self.live.run(found) {
            Outcome::Observed(obs) => {
                for line in &obs.transcript {
                    self.ui.say(Style::Dim, line)?;
                }
                let mut correct = obs.correct.clone();
                correct.sort_unstable();
                let mut picks = picks;
                picks.sort_unstable();
                let right = picks == correct;
                let answer: Vec<&str> = correct
                    .iter()
                    .filter_map(|&i| found.options.get(i).copied())
                    .collect();
                let style = if right { Style::Right } else { Style::Wrong };
                self.ui
                    .say(style, &words::machine(right, &answer.join("; ")))?;
                self.ui.say(
                    Style::Text,
                    &crate::session::words::conclusion(&obs.conclusion),
                )?;
                q.verdict = Some(if right {
                    Verdict::Right
                } else {
                    Verdict::Wrong
                });
                self.record(q, if right { Rating::Good } else { Rating::Again })?;
            }
            Outcome::Unavailable { reason } | Outcome::Errored { message: reason } => {
                self.ui
                    .say(Style::Dim, &crate::session::words::unavailable(&reason))?;
                q.verdict = Some(Verdict::Unverified);
            }
        }
        Ok(())
    }

    /// Shows the model answer and the key ideas, and lets the candidate grade. Returns whether to keep
    /// prompting (false once they quit: the rest take their default grades).
    fn grade_explanation(
        &mut self,
        q: &mut Asked,
        text: &str,
        prompting: bool,
    ) -> Result<bool, SessionError> {
        let card = self.cards[q.card].1;
        let model = match &card.kind {
            CardKind::Flashcard { back } => Some(back.as_str()),
            CardKind::Typed { answer, accept, .. } => {
                answer.as_deref().or(accept.first().map(String::as_str))
            }
            _ => None,
        };
        let (spotted, missed) = ideas(card, text);
        let has_ideas = !spotted.is_empty() || !missed.is_empty();
        let feedback = crate::session::words::explanation_feedback(
            model.unwrap_or_default(),
            &spotted,
            &missed,
        );
        self.ui.say(Style::Text, &feedback)?;
        // Without key ideas (a flashcard) portquiz cannot tell anything: it offers Hard, not Good, so Enter
        // never calls an answer it has not looked at right.
        let default = if passed(text) || (has_ideas && spotted.is_empty()) {
            Rating::Again
        } else if has_ideas && missed.is_empty() {
            Rating::Good
        } else {
            Rating::Hard
        };
        let mut keep = prompting;
        let rating = if prompting {
            let choices: Vec<GradeChoice> = Rating::ALL
                .iter()
                .map(|&rating| GradeChoice {
                    rating,
                    label: rating.name().to_owned(),
                })
                .collect();
            let at = Rating::ALL.iter().position(|&r| r == default).unwrap_or(0);
            match self.ui.grade(&choices, at, false, false) {
                Ok(GradeReply::Grade(rating)) => rating,
                Ok(GradeReply::Quit) => {
                    keep = false;
                    default
                }
                Ok(_) => default,
                Err(UiError::Interrupted) => {
                    self.record(q, default)?;
                    q.verdict = Some(verdict_of(default));
                    q.missed_ideas = missed;
                    return Err(UiError::Interrupted.into());
                }
                Err(err) => return Err(err.into()),
            }
        } else {
            default
        };
        self.record(q, rating)?;
        q.verdict = Some(verdict_of(rating));
        q.missed_ideas = missed;
        Ok(keep)
    }

    fn scorecard(&self, asked: &[Asked], spent: SignedDuration) -> Scorecard {
        let scored: Vec<&Asked> = asked
            .iter()
            .filter(|q| matches!(q.verdict, Some(Verdict::Right | Verdict::Wrong)))
            .collect();
        let right = scored
            .iter()
            .filter(|q| q.verdict == Some(Verdict::Right))
            .count();
        let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
        for q in &scored {
            let (deck, card) = self.cards[q.card];
            let mut names = vec![format!("deck:{}", deck.id)];
            names.extend(card.tags.iter().map(|t| format!("tag:{t}")));
            names.dedup();
            for name in names {
                let topic = topics.entry(name.clone()).or_insert(Topic {
                    topic: name,
                    right: 0,
                    scored: 0,
                    weakest: Vec::new(),
                });
                topic.scored += 1;
                if q.verdict == Some(Verdict::Right) {
                    topic.right += 1;
                } else {
                    let weak = if q.missed_ideas.is_empty() {
                        vec![card.id.to_string()]
                    } else {
                        q.missed_ideas.clone()
                    };
                    for idea in weak {
                        if topic.weakest.len() < 3 && !topic.weakest.contains(&idea) {
                            topic.weakest.push(idea);
                        }
                    }
                }
            }
        }
        let mut topics: Vec<Topic> = topics.into_values().collect();
        // Decks first, then the weakest tags.
        topics.sort_by(|a, b| {
            b.topic
                .starts_with("deck:")
                .cmp(&a.topic.starts_with("deck:"))
                .then((a.right * b.scored).cmp(&(b.right * a.scored)))
                .then(a.topic.cmp(&b.topic))
        });
        let missed = scored
            .iter()
            .filter(|q| q.verdict == Some(Verdict::Wrong))
            .map(|q| self.keys[q.card].clone())
            .collect();
        let total: i64 = asked
            .iter()
            .map(|q| q.answered_at.duration_since(q.asked_at).as_secs())
            .sum();
        let average =
            SignedDuration::from_secs(total / i64::try_from(asked.len().max(1)).unwrap_or(1));
        Scorecard {
            format: 1,
            minutes: self.config.minutes,
            schedule: self.config.schedule,
            spent,
            spent_seconds: spent.as_secs_f64(),
            pace: PACE,
            pace_seconds: PACE.as_secs_f64(),
            average,
            right,
            scored: scored.len(),
            questions: asked
                .iter()
                .map(|q| {
                    let (deck, card) = self.cards[q.card];
                    Question {
                        deck: deck.id.to_string(),
                        card: card.id.to_string(),
                        kind: card.kind.name(),
                        follow_up_of: q.follow_up_of.map(|i| self.keys[i].clone()),
                        answer: given_text(card, &q.given),
                        verdict: q.verdict.unwrap_or(Verdict::Unverified),
                        rating: q.rating,
                        seconds: q.answered_at.duration_since(q.asked_at).as_secs_f64(),
                    }
                })
                .collect(),
            topics,
            missed,
            interrupted: false,
        }
    }
}

fn verdict_of(rating: Rating) -> Verdict {
    if rating.is_pass() {
        Verdict::Right
    } else {
        Verdict::Wrong
    }
}

/// The key ideas (keyword groups, `a / b`) an explanation names and misses, by the deck's one matcher.
fn ideas(card: &Card, text: &str) -> (Vec<String>, Vec<String>) {
    let Some(groups) = card.explanation_ideas() else {
        return (Vec::new(), Vec::new());
    };
    let missed = card.typed_missing(text);
    let spotted = groups
        .iter()
        .map(|group| group.join(" / "))
        .filter(|idea| !missed.contains(idea))
        .collect();
    (spotted, missed)
}

/// The answer as the candidate gave it, in words.
fn given_text(card: &Card, given: &Given) -> String {
    match (given, &card.kind) {
        (Given::Picks(picks), CardKind::Choice { options, .. }) => picks
            .iter()
            .filter_map(|&i| options.get(i).map(|o| o.text.clone()))
            .collect::<Vec<_>>()
            .join("; "),
        (Given::Picks(picks), CardKind::Practical { experiment }) => practical::find(experiment)
            .map(|e| {
                picks
                    .iter()
                    .filter_map(|&i| e.options.get(i).copied())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        (Given::Bool(b), _) => b.to_string(),
        (Given::Text(text), _) => text.clone(),
        _ => String::new(),
    }
}

/// The right answer of an auto-checked card, in words.
fn right_answer(card: &Card) -> String {
    match &card.kind {
        CardKind::Choice { options, answers } => answers
            .iter()
            .filter_map(|&i| options.get(i).map(|o| o.text.clone()))
            .collect::<Vec<_>>()
            .join("; "),
        CardKind::TrueFalse { answer } => format!("it is {answer}"),
        CardKind::Typed { accept, .. } => accept.first().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

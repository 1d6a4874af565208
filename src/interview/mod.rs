//! `portquiz interview`: a mock interview round, then its debrief and scorecard, on the [`crate::quiz`] engine
//! the study session uses (asking and checking each card kind, saving answers, the claim, undo, demos), driven
//! through the same [`Ui`], [`Progress`], [`Planner`] and [`Live`], so whole rounds run in unit tests with a
//! scripted UI, progress in memory, a fixed clock and seed, and injected experiment outcomes. What is the
//! interview's own: the order of questions (weakest first, follow-ups), the clock, and feedback at the debrief.
//!
//! Rules it keeps:
//! - Questions come from [`select`]: open questions first (typed, explanations, predictions), mostly the
//!   weakest cards, a strength now and then, a practical prediction early; a choice or true/false card only
//!   where its topic has no open card. Labs are left out (they need a shell, not a conversation). No two
//!   cards of one experiment or table row in one round (the siblings study buries), and no follow-up that
//!   repeats its parent's answer. The round ends after [`Config::questions`] or [`Config::minutes`].
//! - After each answer one key says how sure the candidate is ([`Confidence`]: `s` sure, `t` think so, `g`
//!   guess; Enter skips), stored with the answer. The debrief starts with the confident misses (sure and
//!   wrong), and the scorecard shows calibration: how often each level was right.
//! - No hints and no feedback during the round; a clock and the pace stand above each question. Undo at a
//!   question takes back the last answer (its record too) and asks that question again.
//! - A good answer leads to the card's first follow-up not yet asked; a weak one moves to a lead question
//!   from another deck (another topic), when there is one.
//! - The round stops when the time is up (checked before each question), the questions run out, or the
//!   candidate quits; the debrief follows in every case but Ctrl-C.
//! - Auto-checked answers (choice, true/false, exact typed answers) are recorded as they are given; free-text
//!   explanations are graded by the candidate at the debrief beside the model answer and the key ideas, and
//!   practical predictions are run live there. Each is recorded as soon as its verdict is known, as an
//!   interview answer (Good when right, Again when missed, the candidate's grade for explanations). With
//!   `schedule: false` the answers are logged without changing any card's state.
//! - At the debrief a refused answer can be claimed ("I was right"): it is then scored right and recorded with
//!   the candidate's grade, marked overridden, instead of Again; the scorecard counts the claims. A close answer
//!   (see [`crate::deck::answer::Verdict::Close`]) is shown with what matched and what did not, and the
//!   candidate confirms a grade (Enter = Hard).
pub mod date;
mod scorecard;
mod select;
pub mod words;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use crate::deck::answer::Verdict as Matched;
use crate::deck::{Card, CardKind, CardRef, Deck};
use crate::practical;
use crate::quiz::{
    self, ALL_GRADES, CLAIM_GRADES, CLOSE_GRADE, Check, Engine, Given, Posed, QuizError, Settle,
    words as say,
};
use crate::schedule::{CardState, Rating, State};
use crate::store::{AnswerId, AnswerKind, Calibration, Confidence};
use crate::ui::{GradeReply, Offer, Style, UiError};

pub use crate::defaults::INTERVIEW_MINUTES as DEFAULT_MINUTES;
pub use crate::defaults::INTERVIEW_QUESTIONS as DEFAULT_QUESTIONS;
pub use scorecard::{Question, Scorecard, Topic, Verdict};

/// The pace an interviewer keeps: about this long a question.
pub const PACE: SignedDuration = SignedDuration::from_secs(90);

/// How a round runs.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub minutes: u32,
    /// The most questions asked (follow-ups included).
    pub questions: u32,
    /// Whether the answers change the schedule (`--no-schedule` sets false).
    pub schedule: bool,
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
    /// The recorded answer (taken back by undo, or replaced by a claim).
    answer_id: Option<AnswerId>,
    /// A close verdict, confirmed at the debrief.
    close: Option<Check>,
    /// The matcher called the answer close (logged as such).
    was_close: bool,
    claimed: bool,
    /// How sure the candidate said they were (`None`: skipped).
    confidence: Option<Confidence>,
}

impl Asked {
    /// Sure and wrong: what an interviewer remembers.
    fn confident_miss(&self) -> bool {
        self.confidence == Some(Confidence::Sure) && self.verdict == Some(Verdict::Wrong)
    }
}

/// What a question prompt got.
enum Put {
    Given(Given),
    Undo,
    Quit,
}

/// A mock interview round over some decks.
pub struct Round<'a> {
    cards: Vec<(&'a Deck, &'a Card)>,
    keys: Vec<CardRef>,
    states: Vec<CardState>,
    engine: Engine<'a>,
    config: Config,
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
    pub fn new(decks: &'a [Deck], engine: Engine<'a>, config: Config) -> Result<Self, QuizError> {
        let suspended = engine.progress.suspended()?;
        let (cards, states): (Vec<(&Deck, &Card)>, Vec<CardState>) =
            crate::join::with_states(decks, engine.progress.states())?
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
            engine,
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
    pub fn run(mut self) -> Result<Scorecard, QuizError> {
        // A damaged file must not be written to (as in a study session).
        self.engine.progress.first_question()?;
        let length = self.length();
        let start = self.engine.planner.now();
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
        let siblings = crate::session::sibling_groups(&self.cards);
        let class = select::classes(&self.cards, &siblings);
        let mut followed = vec![false; self.cards.len()];
        for &i in follow_ups.iter().flatten() {
            followed[i] = true;
        }
        let scheduler = self.engine.planner.scheduler();
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
        let mut leads = select::leads(
            &weakness,
            &studied,
            &practical,
            &followed,
            self.engine.planner.rng(),
        );
        // Open questions first; a closed card with a typed twin never (the twin asks it without options).
        leads.retain(|&i| class[i] != select::Class::Twin);
        leads.sort_by_key(|&i| (followed[i], class[i]));
        let leads = select::spread(&leads, &practical);
        self.engine.ui.say(
            Style::Dim,
            &words::opening(
                self.config.minutes,
                self.config.questions,
                PACE,
                self.cards.len(),
            ),
        )?;
        let mut asked: Vec<Asked> = Vec::new();
        let mut done = vec![false; self.cards.len()];
        // The sibling groups asked from: one card of an experiment or a table row a round.
        let mut groups: HashSet<usize> = HashSet::new();
        // The card to ask next because the last answer was good, and the one it follows.
        let mut next_follow: Option<(usize, usize)> = None;
        // The deck of a weak answer: the next lead comes from another.
        let mut avoid: Option<&'a Deck> = None;
        // The question to ask again after an undo, with the card it followed.
        let mut again: Option<(usize, Option<usize>)> = None;
        let mut interrupted = false;
        loop {
            let now = self.engine.planner.now();
            let elapsed = now.duration_since(start);
            if elapsed >= length {
                self.engine.ui.say(Style::Text, words::TIME_UP)?;
                break;
            }
            if again.is_none() && asked.len() >= self.config.questions as usize {
                self.engine.ui.say(Style::Text, words::LAST_QUESTION)?;
                break;
            }
            let next = again
                .take()
                .or_else(|| next_follow.take().map(|(card, of)| (card, Some(of))));
            let (card, follow_up_of) = match next {
                Some(next) => next,
                None => {
                    let open = leads
                        .iter()
                        .copied()
                        .filter(|&i| !done[i] && siblings[i].is_none_or(|g| !groups.contains(&g)));
                    let other = open
                        .clone()
                        .find(|&i| avoid.is_none_or(|d| !std::ptr::eq(self.cards[i].0, d)));
                    match other.or_else(|| open.clone().next()) {
                        Some(card) => (card, None),
                        None => {
                            self.engine.ui.say(Style::Text, words::ENDED)?;
                            break;
                        }
                    }
                }
            };
            done[card] = true;
            let group = siblings[card];
            if let Some(g) = group {
                groups.insert(g);
            }
            let header = words::header(
                asked.len() + 1,
                elapsed,
                length,
                &self.keys[card],
                self.cards[card].1.kind.name(),
                follow_up_of.is_some(),
            );
            self.engine.ui.say(Style::Header, &header)?;
            let given = match self.ask(card) {
                Ok(Put::Given(given)) => given,
                Ok(Put::Quit) => {
                    self.engine.ui.say(Style::Text, words::ENDED)?;
                    break;
                }
                Ok(Put::Undo) => {
                    done[card] = false;
                    if let Some(g) = group {
                        groups.remove(&g);
                    }
                    again = Some((card, follow_up_of));
                    let Some(last) = asked.pop() else {
                        self.engine.ui.say(Style::Dim, say::NOTHING_TO_UNDO)?;
                        continue;
                    };
                    self.take_back(&last)?;
                    done[last.card] = false;
                    if let Some(g) = siblings[last.card] {
                        groups.remove(&g);
                    }
                    again = Some((last.card, last.follow_up_of));
                    let id = self.cards[last.card].1.id.as_str();
                    self.engine.ui.say(Style::Dim, &say::undone(id))?;
                    continue;
                }
                Err(QuizError::Ui(UiError::Interrupted)) => {
                    interrupted = true;
                    break;
                }
                Err(err) => return Err(err),
            };
            let answered_at = self.engine.planner.now();
            self.engine.ui.say(
                Style::Dim,
                &words::took(answered_at.duration_since(now), PACE),
            )?;
            let unscored = matches!(&given, Given::Picks(p) if p.is_empty());
            let confidence = if unscored {
                None
            } else {
                match self.engine.ui.confidence() {
                    Ok(c) => c,
                    // The answer was given: it is kept (recorded below when auto-checked), then the round ends.
                    Err(UiError::Interrupted) => {
                        interrupted = true;
                        None
                    }
                    Err(err) => return Err(err.into()),
                }
            };
            let mut question = Asked {
                card,
                given,
                follow_up_of,
                asked_at: now,
                answered_at,
                verdict: None,
                rating: None,
                missed_ideas: Vec::new(),
                answer_id: None,
                close: None,
                was_close: false,
                claimed: false,
                confidence,
            };
            let good = self.provisional(&mut question)?;
            if good {
                avoid = None;
                let parent = self.cards[card].1;
                next_follow = follow_ups[card]
                    .iter()
                    .copied()
                    .find(|&f| {
                        !done[f]
                            && class[f] != select::Class::Twin
                            && siblings[f].is_none_or(|g| !groups.contains(&g))
                            && !select::repeats(parent, self.cards[f].1)
                    })
                    .map(|f| (f, card));
            } else {
                avoid = Some(self.cards[card].0);
            }
            asked.push(question);
            if interrupted {
                break;
            }
        }
        if !interrupted && let Err(err) = self.debrief(&mut asked) {
            match err {
                QuizError::Ui(UiError::Interrupted) => interrupted = true,
                other => return Err(other),
            }
        }
        let end = self.engine.planner.now();
        let mut card = self.scorecard(&asked, end.duration_since(start));
        card.interrupted = interrupted;
        Ok(card)
    }

    /// Asks one question without hints or feedback: an answer, undo, or quit.
    fn ask(&mut self, index: usize) -> Result<Put, QuizError> {
        let card = self.cards[index].1;
        let posed = quiz::pose(
            self.engine.ui,
            self.engine.planner.rng(),
            card,
            false,
            words::PREDICT,
        )?;
        Ok(match posed {
            // A prediction this build cannot run: not scored.
            Posed::Missing => Put::Given(Given::Picks(Vec::new())),
            Posed::Asked(quiz::Asked::Value(given, _)) => Put::Given(given),
            Posed::Asked(quiz::Asked::Undo) => Put::Undo,
            Posed::Asked(quiz::Asked::Quit) => Put::Quit,
        })
    }

    /// Takes back a question's recorded answer (undo): its log row goes and the card's state comes back.
    fn take_back(&mut self, q: &Asked) -> Result<(), QuizError> {
        if let Some(id) = q.answer_id {
            let undone = self.engine.progress.undo(id)?;
            if self.config.schedule {
                self.states[q.card] = undone.state;
            }
        }
        Ok(())
    }

    /// Whether an answer is good enough to dig deeper, judged silently. Auto-checked answers get their
    /// verdict (and are recorded) now; a close one waits for the candidate at the debrief; an explanation is
    /// good when it names every key idea (or, without key ideas, when it was not passed); a prediction is taken
    /// as given until it is run.
    fn provisional(&mut self, q: &mut Asked) -> Result<bool, QuizError> {
        let card = self.cards[q.card].1;
        if let Some(check) = quiz::check(&self.engine.planner, card, &q.given) {
            if check.verdict == Matched::Close {
                q.close = Some(check);
                q.was_close = true;
                return Ok(false);
            }
            let right = check.is_right();
            self.record(q, if right { Rating::Good } else { Rating::Again }, false)?;
            q.verdict = Some(verdict_of(right));
            return Ok(right);
        }
        Ok(match (&card.kind, &q.given) {
            (CardKind::Practical { .. }, Given::Picks(picks)) => !picks.is_empty(),
            (_, Given::Text(text)) => {
                !passed(text)
                    && quiz::ideas(&self.engine.planner, card, text)
                        .missed
                        .is_empty()
            }
            (_, Given::Picks(_) | Given::Bool(_)) => false,
        })
    }

    /// Records an interview answer (the log row and, when the schedule counts, the card's new state).
    fn record(&mut self, q: &mut Asked, rating: Rating, claimed: bool) -> Result<(), QuizError> {
        let close = q.was_close;
        let time = self.engine.planner.now();
        let saved = quiz::save(
            self.engine.progress,
            &mut self.engine.planner,
            Settle {
                card: &self.keys[q.card],
                before: self.states[q.card].clone(),
                rating,
                time,
                spent: q.answered_at.duration_since(q.asked_at),
                schedule: self.config.schedule,
                overridden: claimed,
                close,
                kind: AnswerKind::Interview,
            },
        )?;
        if self.config.schedule {
            self.states[q.card] = saved.after;
        }
        q.answer_id = Some(saved.id);
        q.rating = Some(rating);
        if let Some(confidence) = q.confidence {
            self.engine.progress.set_confidence(saved.id, confidence)?;
        }
        Ok(())
    }

    /// Goes through every answer: auto verdicts are shown (a refused one can be claimed), close answers and
    /// explanations graded by the candidate, predictions run live. Each verdict is recorded as soon as it is
    /// known.
    fn debrief(&mut self, asked: &mut [Asked]) -> Result<(), QuizError> {
        if asked.is_empty() {
            return Ok(());
        }
        self.engine.ui.say(Style::Header, words::DEBRIEF)?;
        // The confident misses known now (auto-checked, sure and wrong) come first, then the rest in order.
        let (first, rest): (Vec<usize>, Vec<usize>) =
            (0..asked.len()).partition(|&i| asked[i].confident_miss());
        if !first.is_empty() {
            self.engine
                .ui
                .say(Style::Text, &words::confident_first(first.len()))?;
        }
        // After `q` at a grade prompt, the rest are recorded with their default grades.
        let mut prompting = true;
        for (at, n) in first.iter().chain(&rest).copied().enumerate() {
            if at == first.len() && !first.is_empty() {
                self.engine.ui.say(Style::Text, words::THE_REST)?;
            }
            let q = &mut asked[n];
            let card = self.cards[q.card].1;
            let spent = q.answered_at.duration_since(q.asked_at);
            self.engine.ui.say(
                Style::Header,
                &words::debrief_header(n + 1, &self.keys[q.card], spent),
            )?;
            // Labs are not asked in an interview (`select::askable`): a practical card's question may be its
            // experiment's.
            let question = if let CardKind::Practical { experiment } = &card.kind {
                card.question(practical::find(experiment).map_or("", |e| e.question))
            } else {
                card.prompt.as_str()
            };
            self.engine.ui.say(Style::Question, question)?;
            self.engine.ui.say(
                Style::Text,
                &words::your_answer(&quiz::given_text(card, &q.given), q.confidence),
            )?;
            let model = card.model_answer().unwrap_or_default();
            match (&card.kind, &q.given, q.verdict, q.close.take()) {
                (_, _, Some(verdict), _) => {
                    let style = if verdict == Verdict::Right {
                        Style::Right
                    } else {
                        Style::Wrong
                    };
                    self.engine
                        .ui
                        .say(style, &words::verdict(verdict, &card.right_answer()))?;
                    if let (Some(diff), Verdict::Wrong) =
                        (words::options_diff(card, &q.given), verdict)
                    {
                        self.engine.ui.say(Style::Text, &diff)?;
                    }
                    if verdict == Verdict::Wrong {
                        prompting = self.offer_claim(q, prompting)?;
                    }
                }
                (_, _, None, Some(check)) => {
                    let feedback = say::close(model, &check.matched, &check.unmatched, CLOSE_GRADE);
                    self.engine.ui.say(Style::Text, &feedback)?;
                    prompting = self.self_grade(q, CLOSE_GRADE, prompting, Vec::new())?;
                }
                (CardKind::Practical { experiment }, Given::Picks(picks), None, None) => {
                    self.verify(q, experiment, picks.clone())?;
                }
                (_, Given::Text(text), None, None) => {
                    let text = text.clone();
                    let ideas = quiz::ideas(&self.engine.planner, card, &text);
                    let feedback = say::explanation_feedback(model, &ideas.spotted, &ideas.missed);
                    self.engine.ui.say(Style::Text, &feedback)?;
                    let suggested = if passed(&text) {
                        Rating::Again
                    } else {
                        ideas.suggested
                    };
                    prompting = self.self_grade(q, suggested, prompting, ideas.missed)?;
                }
                (_, Given::Picks(_) | Given::Bool(_), None, None) => {}
            }
            if let Some(explain) = &card.explain {
                self.engine.ui.say(Style::Explain, explain)?;
            }
        }
        Ok(())
    }

    /// After a verdict of wrong: Enter keeps it (Again); "I was right" lets the candidate grade the answer, which
    /// then replaces the recorded Again and is scored right. Returns whether to keep prompting.
    fn offer_claim(&mut self, q: &mut Asked, prompting: bool) -> Result<bool, QuizError> {
        if !prompting {
            return Ok(false);
        }
        let card = self.cards[q.card].1;
        let keep = quiz::plain_choices(&[Rating::Again]);
        let offer = Offer {
            claim: true,
            demo: true,
            ..Offer::default()
        };
        match self.engine.grade_prompt(card, &keep, 0, offer)? {
            GradeReply::Claim => {}
            GradeReply::Quit => return Ok(false),
            GradeReply::Grade(_) | GradeReply::Suspend | GradeReply::Demo | GradeReply::Undo => {
                return Ok(true);
            }
        }
        let choices = quiz::plain_choices(CLAIM_GRADES);
        let default = quiz::position(CLAIM_GRADES, Rating::Good);
        let offer = Offer {
            demo: true,
            ..Offer::default()
        };
        let (rating, keep) = match self.engine.grade_prompt(card, &choices, default, offer) {
            Ok(GradeReply::Grade(rating)) => (rating, true),
            Ok(GradeReply::Quit) => (CLAIM_GRADES[default], false),
            Ok(_) => (CLAIM_GRADES[default], true),
            Err(err) => return Err(err),
        };
        self.take_back(q)?;
        self.record(q, rating, true)?;
        q.verdict = Some(Verdict::Right);
        q.claimed = true;
        self.engine.ui.say(Style::Dim, &words::claimed(rating))?;
        Ok(keep)
    }

    /// Runs a prediction live and records the machine's verdict.
    fn verify(
        &mut self,
        q: &mut Asked,
        experiment: &str,
        picks: Vec<usize>,
    ) -> Result<(), QuizError> {
        let Some(found) = practical::find(experiment) else {
            q.verdict = Some(Verdict::Unverified);
            self.engine
                .ui
                .say(Style::Dim, &words::verdict(Verdict::Unverified, ""))?;
            return Ok(());
        };
        match quiz::run_prediction(self.engine.ui, self.engine.live, found, &picks)? {
            Some(right) => {
                q.verdict = Some(verdict_of(right));
                self.record(q, if right { Rating::Good } else { Rating::Again }, false)?;
            }
            None => q.verdict = Some(Verdict::Unverified),
        }
        Ok(())
    }

    /// Lets the candidate grade an answer (an explanation, a close answer), `suggested` on Enter. Returns
    /// whether to keep prompting (false once they quit: the rest take their default grades).
    fn self_grade(
        &mut self,
        q: &mut Asked,
        suggested: Rating,
        prompting: bool,
        missed: Vec<String>,
    ) -> Result<bool, QuizError> {
        let card = self.cards[q.card].1;
        let mut keep = prompting;
        let rating = if prompting {
            let choices = quiz::plain_choices(ALL_GRADES);
            let at = quiz::position(ALL_GRADES, suggested);
            let offer = Offer {
                demo: true,
                ..Offer::default()
            };
            match self.engine.grade_prompt(card, &choices, at, offer) {
                Ok(GradeReply::Grade(rating)) => rating,
                Ok(GradeReply::Quit) => {
                    keep = false;
                    suggested
                }
                Ok(_) => suggested,
                Err(QuizError::Ui(UiError::Interrupted)) => {
                    self.record(q, suggested, false)?;
                    q.verdict = Some(verdict_of(suggested.is_pass()));
                    q.missed_ideas = missed;
                    return Err(UiError::Interrupted.into());
                }
                Err(err) => return Err(err),
            }
        } else {
            suggested
        };
        self.record(q, rating, false)?;
        q.verdict = Some(verdict_of(rating.is_pass()));
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
        let confident_misses = asked
            .iter()
            .filter(|q| q.confident_miss())
            .map(|q| self.keys[q.card].clone())
            .collect();
        let calibration = Calibration::of(
            scored
                .iter()
                .filter_map(|q| Some((q.confidence?, q.verdict == Some(Verdict::Right)))),
        );
        let total: i64 = asked
            .iter()
            .map(|q| q.answered_at.duration_since(q.asked_at).as_secs())
            .sum();
        let average =
            SignedDuration::from_secs(total / i64::try_from(asked.len().max(1)).unwrap_or(1));
        Scorecard {
            minutes: self.config.minutes,
            question_limit: self.config.questions,
            schedule: self.config.schedule,
            spent,
            spent_seconds: spent.as_secs_f64(),
            pace: PACE,
            pace_seconds: PACE.as_secs_f64(),
            average,
            right,
            scored: scored.len(),
            claimed: asked.iter().filter(|q| q.claimed).count(),
            questions: asked
                .iter()
                .map(|q| {
                    let (deck, card) = self.cards[q.card];
                    Question {
                        deck: deck.id.to_string(),
                        card: card.id.to_string(),
                        kind: card.kind.name(),
                        follow_up_of: q.follow_up_of.map(|i| self.keys[i].clone()),
                        answer: quiz::given_text(card, &q.given),
                        verdict: q.verdict.unwrap_or(Verdict::Unverified),
                        rating: q.rating,
                        claimed: q.claimed,
                        confidence: q.confidence,
                        seconds: q.answered_at.duration_since(q.asked_at).as_secs_f64(),
                    }
                })
                .collect(),
            topics,
            missed,
            confident_misses,
            calibration,
            interrupted: false,
        }
    }
}

fn verdict_of(right: bool) -> Verdict {
    if right {
        Verdict::Right
    } else {
        Verdict::Wrong
    }
}

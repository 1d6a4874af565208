//! One card of the study session: the question (asked and checked by the [`crate::quiz`] engine), the feedback
//! given at once, the grade prompt and the answer saved. The session's own rules here: feedback comes now, a used
//! hint caps the grade at Hard, a flashcard is revealed, a lab is checked until the candidate moves on.
use jiff::Timestamp;

use super::{Aside, Done, Session, Step, Verdict, buriable, words};
use crate::deck::answer::Verdict as Matched;
use crate::deck::{Asking, Card, CardKind};
use crate::practical;
use crate::quiz::{
    self, ALL_GRADES, Asked, CLAIM_GRADES, CLOSE_GRADE, Given, Posed, QuizError, Settle,
    words as say,
};
use crate::schedule::{Rating, State};
use crate::store::AnswerKind;
use crate::ui::{GradeChoice, GradeReply, LabReply, Offer, Style, UiError};

/// How many checks a lab gets before only "give up" and "skip" are offered.
pub const MAX_LAB_CHECKS: u32 = 3;

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
    /// An answer the candidate grades (an explanation): Again, Hard, Good or Easy, the suggestion as default.
    Suggested(Rating),
    /// A close answer: the same, logged as close.
    Close(Rating),
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
    /// A close answer the candidate confirms, with this grade suggested.
    Close(Rating),
    Step(Step),
}

impl Session<'_> {
    pub(super) fn card(
        &mut self,
        index: usize,
        position: (usize, usize, usize),
    ) -> Result<Step, QuizError> {
        let (_, card) = self.cards[index];
        let state = &self.states[index];
        let shown_at = self.engine.planner.now();
        let tag = words::tag(
            card.kind.name(),
            state.state == State::New,
            self.config.cram,
        );
        let header = words::header(position, &self.key_of(index), &tag);
        self.engine.ui.say(Style::Header, &header)?;
        if !self.config.cram
            && matches!(state.state, State::Learning | State::Relearning)
            && let Some(due) = state.due.filter(|due| *due > shown_at)
        {
            // Learn-ahead: say so, or a card said "next in 10m" seems to come back early.
            self.engine.ui.say(
                Style::Dim,
                &words::learn_ahead(due.duration_since(shown_at)),
            )?;
        }
        let checked = match card.kind.asking() {
            Asking::Recall { back } => return self.flashcard(index, back, shown_at),
            Asking::Lab { experiment, params } => self.lab(card, experiment, params)?,
            Asking::Answer => self.answer(card)?,
        };
        let (right, hint_used, claimable) = match checked {
            Checked::Verdict {
                right,
                hint_used,
                claimable,
            } => (right, hint_used, claimable),
            Checked::SelfGrade(suggested) => {
                if let Some(explain) = &card.explain {
                    self.engine.ui.say(Style::Explain, explain)?;
                }
                return self.grade(index, Grade::Suggested(suggested), shown_at);
            }
            Checked::Close(suggested) => {
                if let Some(explain) = &card.explain {
                    self.engine.ui.say(Style::Explain, explain)?;
                }
                return self.grade(index, Grade::Close(suggested), shown_at);
            }
            Checked::Step(step) => return Ok(step),
        };
        if let Some(explain) = &card.explain {
            self.engine.ui.say(Style::Explain, explain)?;
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
            self.engine.ui.say(Style::Dim, note)?;
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
    ) -> Result<Step, QuizError> {
        let (ratings, default, verdict): (&[Rating], usize, Verdict) = match grade {
            Grade::Right => (CLAIM_GRADES, 1, Verdict::Right),
            Grade::Wrong => (&[Rating::Again], 0, Verdict::Wrong),
            Grade::Claimed => (CLAIM_GRADES, 1, Verdict::Claimed),
            Grade::Flashcard => (ALL_GRADES, 2, Verdict::SelfGraded),
            Grade::Suggested(suggested) => (
                ALL_GRADES,
                quiz::position(ALL_GRADES, suggested),
                Verdict::SelfGraded,
            ),
            Grade::Close(suggested) => (
                ALL_GRADES,
                quiz::position(ALL_GRADES, suggested),
                Verdict::Close,
            ),
        };
        let choices = self.grade_choices(index, ratings);
        let offer = Offer {
            claim: grade == Grade::Wrong,
            demo: true,
            suspend: true,
            undo: true,
        };
        let card = self.cards[index].1;
        let reply = match self.engine.grade_prompt(card, &choices, default, offer) {
            Ok(reply) => reply,
            Err(QuizError::Ui(UiError::Interrupted)) => {
                self.record(index, ratings[default], verdict, shown_at)?;
                self.kept_on_quit(index, ratings[default]);
                return Err(UiError::Interrupted.into());
            }
            Err(err) => return Err(err),
        };
        match reply {
            GradeReply::Grade(rating) => {
                self.record(index, rating, verdict, shown_at)?;
                if grade == Grade::Wrong {
                    self.engine.ui.say(Style::Dim, words::RECORDED_AGAIN)?;
                }
                Ok(Step::Answered)
            }
            GradeReply::Claim => self.grade(index, Grade::Claimed, shown_at),
            GradeReply::Suspend => {
                self.record(index, ratings[default], verdict, shown_at)?;
                self.engine.progress.set_suspended(
                    &self.key_of(index),
                    true,
                    self.engine.planner.now(),
                )?;
                self.aside[index] = Aside::Suspended;
                self.history.push(Done::Suspend { card: index });
                let card = self.key_of(index).to_string();
                self.engine.ui.say(
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
                self.record(index, ratings[default], verdict, shown_at)?;
                self.kept_on_quit(index, ratings[default]);
                Ok(Step::Quit)
            }
        }
    }

    /// Notes the answer kept with its default grade because the candidate left at its grade prompt.
    fn kept_on_quit(&mut self, index: usize, rating: Rating) {
        self.summary.kept_on_quit = Some((self.key_of(index).to_string(), rating));
    }

    fn grade_choices(&self, index: usize, ratings: &[Rating]) -> Vec<GradeChoice> {
        let now = self.engine.planner.now();
        let previews = if self.config.cram {
            None
        } else {
            self.engine
                .planner
                .scheduler()
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
                    label: say::grade_label(rating, next.as_deref()),
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
    ) -> Result<(), QuizError> {
        let card = self.key_of(index);
        let now = self.engine.planner.now();
        let settle = Settle {
            card: &card,
            before: self.states[index].clone(),
            rating,
            time: now,
            spent: now.duration_since(shown_at),
            schedule: !self.config.cram,
            overridden: verdict == Verdict::Claimed,
            close: verdict == Verdict::Close,
            kind: AnswerKind::Study,
        };
        let saved = quiz::save(self.engine.progress, &mut self.engine.planner, settle)?;
        let was_new = saved.before.state == State::New;
        self.states[index] = saved.after;
        self.summary
            .count(rating, verdict.by_you(), verdict == Verdict::Claimed, true);
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
            answer_id: saved.id,
            card: index,
            verdict,
            rating,
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
    ) -> Result<Step, QuizError> {
        let card = self.cards[index].1;
        self.engine.ui.say(Style::Question, &card.prompt)?;
        match quiz::ask(self.engine.ui, card, true, |ui, hint| {
            ui.proceed(words::reveal(hint), hint)
        })? {
            Asked::Value((), _) => {}
            Asked::Undo => return Ok(Step::Undo),
            Asked::Quit => return Ok(Step::Quit),
        }
        self.engine
            .ui
            .say(Style::Text, &words::flashcard_back(back))?;
        if let Some(explain) = &card.explain {
            self.engine.ui.say(Style::Explain, explain)?;
        }
        self.grade(index, Grade::Flashcard, shown_at)
    }

    /// Asks and checks a card the engine poses (choice, true/false, typed, practical) and gives the feedback at
    /// once.
    fn answer(&mut self, card: &Card) -> Result<Checked, QuizError> {
        let (given, hint_used) = match quiz::pose(
            self.engine.ui,
            self.engine.planner.rng(),
            card,
            true,
            words::RUNS_LIVE,
        )? {
            Posed::Missing => return Ok(Checked::Step(Step::Unavailable)),
            Posed::Asked(Asked::Value(given, hint_used)) => (given, hint_used),
            Posed::Asked(Asked::Undo) => return Ok(Checked::Step(Step::Undo)),
            Posed::Asked(Asked::Quit) => return Ok(Checked::Step(Step::Quit)),
        };
        let model = card.model_answer().unwrap_or_default();
        if let (CardKind::Practical { experiment }, Given::Picks(picks)) = (&card.kind, &given) {
            let Some(found) = practical::find(experiment) else {
                return Ok(Checked::Step(Step::Unavailable));
            };
            let Some(right) = quiz::run_prediction(self.engine.ui, self.engine.live, found, picks)?
            else {
                return Ok(Checked::Step(Step::Unavailable));
            };
            if card.explain.is_none() {
                self.engine.ui.say(Style::Dim, found.explain)?;
            }
            return Ok(Checked::Verdict {
                right,
                hint_used,
                // The machine decided.
                claimable: false,
            });
        }
        if let Given::Text(text) = &given
            && card.explanation_ideas().is_some()
        {
            // An explanation: portquiz does not pretend to judge meaning. It shows the model answer and the key
            // ideas it spotted or missed, suggests a grade, and the candidate grades.
            let ideas = quiz::ideas(&self.engine.planner, card, text);
            self.engine.ui.say(
                Style::Text,
                &say::explanation_feedback(model, &ideas.spotted, &ideas.missed),
            )?;
            return Ok(Checked::SelfGrade(capped(ideas.suggested, hint_used)));
        }
        let Some(check) = quiz::check(&self.engine.planner, card, &given) else {
            return Ok(Checked::Step(Step::Unavailable));
        };
        let right = check.is_right();
        match (&card.kind, &given) {
            (CardKind::Choice { options, answers }, Given::Picks(picks)) => {
                let correct: Vec<&str> =
                    answers.iter().map(|&i| options[i].text.as_str()).collect();
                if right {
                    self.engine
                        .ui
                        .say(Style::Right, &say::choice_right(&correct))?;
                } else {
                    self.engine
                        .ui
                        .say(Style::Wrong, &say::choice_wrong(&correct))?;
                    if answers.len() > 1 {
                        let misses = say::choice_misses(&check.missed, &check.wrongly_picked);
                        if !misses.is_empty() {
                            self.engine.ui.say(Style::Text, &misses)?;
                        }
                    }
                    for &p in picks.iter().filter(|p| !answers.contains(p)) {
                        if let Some(why) = &options[p].why {
                            self.engine
                                .ui
                                .say(Style::Text, &say::why_not(&options[p].text, why))?;
                        }
                    }
                }
            }
            (CardKind::TrueFalse { answer }, _) => {
                let style = if right { Style::Right } else { Style::Wrong };
                self.engine
                    .ui
                    .say(style, &say::true_false_verdict(right, *answer))?;
            }
            _ => match check.verdict {
                Matched::Right => self.engine.ui.say(Style::Right, &say::typed_right(model))?,
                Matched::Close => {
                    let suggested = capped(CLOSE_GRADE, hint_used);
                    self.engine.ui.say(
                        Style::Text,
                        &say::close(model, &check.matched, &check.unmatched, suggested),
                    )?;
                    return Ok(Checked::Close(suggested));
                }
                Matched::Wrong => self
                    .engine
                    .ui
                    .say(Style::Wrong, &say::typed_wrong(model, &check.missing))?,
            },
        }
        Ok(Checked::Verdict {
            right,
            hint_used,
            claimable: true,
        })
    }

    fn lab(
        &mut self,
        card: &Card,
        id: &str,
        params: &crate::deck::LabParams,
    ) -> Result<Checked, QuizError> {
        let Some(experiment) = quiz::introduce_live(self.engine.ui, card, id, "lab")? else {
            return Ok(Checked::Step(Step::Unavailable));
        };
        let mut lab = match self.engine.live.start_lab_with(experiment, params) {
            Ok(lab) => lab,
            Err(reason) => {
                self.engine.ui.say(Style::Dim, &say::unavailable(&reason))?;
                return Ok(Checked::Step(Step::Unavailable));
            }
        };
        self.engine.ui.say(Style::Text, lab.instructions())?;
        let hint_used = match quiz::ask(self.engine.ui, card, true, |ui, hint| {
            ui.proceed(words::LAB_DONE, hint)
        })? {
            Asked::Value((), hint_used) => hint_used,
            Asked::Undo => return Ok(Checked::Step(Step::Undo)),
            Asked::Quit => return Ok(Checked::Step(Step::Quit)),
        };
        let mut checks = 0;
        loop {
            let result = lab.verify();
            checks += 1;
            for line in &result.transcript {
                self.engine.ui.say(Style::Dim, line)?;
            }
            if result.passed {
                self.engine
                    .ui
                    .say(Style::Right, &words::lab_verified(&result.conclusion))?;
                return Ok(Checked::Verdict {
                    right: true,
                    hint_used,
                    claimable: false,
                });
            }
            self.engine
                .ui
                .say(Style::Wrong, &words::lab_not_verified(&result.conclusion))?;
            match self.engine.ui.lab_failed(checks < MAX_LAB_CHECKS)? {
                LabReply::Retry => self.engine.ui.say(Style::Dim, words::CHECKING_AGAIN)?,
                LabReply::GiveUp => {
                    return Ok(Checked::Verdict {
                        right: false,
                        hint_used,
                        claimable: false,
                    });
                }
                LabReply::Skip => {
                    self.engine.ui.say(Style::Dim, words::LAB_SKIPPED)?;
                    return Ok(Checked::Step(Step::Skipped));
                }
                LabReply::Quit => return Ok(Checked::Step(Step::Quit)),
            }
        }
    }
}

/// A suggested grade, at most Hard once the hint was used.
fn capped(suggested: Rating, hint_used: bool) -> Rating {
    if hint_used {
        suggested.min(Rating::Hard)
    } else {
        suggested
    }
}

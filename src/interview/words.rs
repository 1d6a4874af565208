//! Every sentence the interview says: the opening, the clock line above each question, the debrief and the
//! scorecard. The round decides what happened; this module says it. Pure string building; no I/O.
use jiff::SignedDuration;

use super::scorecard::{Scorecard, Verdict};
use crate::text::plural;

/// `4:05` (minutes and seconds; hours count as minutes).
pub fn clock(length: SignedDuration) -> String {
    let secs = length.as_secs().max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// The opening: the round's length and how it goes.
pub fn opening(minutes: u32, pace: SignedDuration, candidates: usize) -> String {
    format!(
        "Mock interview: {minutes} min, about {} a question ({} to draw from). No hints and no feedback until the debrief; answer in your own words where asked, or type `pass`.",
        clock(pace),
        plural(candidates, "question")
    )
}

/// The line above each question: number, clock, pace, card and type.
pub fn header(
    number: usize,
    elapsed: SignedDuration,
    length: SignedDuration,
    card: &impl std::fmt::Display,
    kind: &str,
    follow_up: bool,
) -> String {
    let deeper = if follow_up { " · follow-up" } else { "" };
    format!(
        "\n[Q{number} · {} of {}] {card} · {kind}{deeper}",
        clock(elapsed),
        clock(length)
    )
}

/// After an answer: the time it took against the pace.
pub fn took(spent: SignedDuration, pace: SignedDuration) -> String {
    let note = if spent > pace { ", over the pace" } else { "" };
    format!("(took {}{note})", clock(spent))
}

pub const PREDICT: &str = "(a prediction: it is run live at the debrief)";
pub const TIME_UP: &str = "\nTime is up.";
pub const ENDED: &str = "\nRound ended.";
pub const NOTHING: &str =
    "Nothing to ask: these decks have no cards an interview can use (labs are left for study).";
pub const DEBRIEF: &str = "\n=== Debrief ===";

/// The debrief's line for one question.
pub fn debrief_header(
    number: usize,
    card: &impl std::fmt::Display,
    spent: SignedDuration,
) -> String {
    format!("\n{number}. {card} · {}", clock(spent))
}

pub fn your_answer(answer: &str) -> String {
    format!("Your answer: {answer}")
}

pub fn verdict(verdict: Verdict, right_answer: &str) -> String {
    match verdict {
        Verdict::Right => "Right.".to_owned(),
        Verdict::Wrong => format!("Wrong: {right_answer}."),
        Verdict::Unverified => "Not verified here: not scored.".to_owned(),
    }
}

/// After "I was right" at the debrief.
pub fn claimed(rating: crate::schedule::Rating) -> String {
    format!("(claimed: scored right and recorded as {})", rating.name())
}

/// `a/b, c/d`.
fn list(cards: &[crate::deck::CardRef]) -> String {
    cards
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scorecard screen.
pub fn scorecard(s: &Scorecard) -> String {
    let mut out = String::from("\n=== Scorecard ===\n");
    let percent = |right: usize, total: usize| (right * 100).checked_div(total).unwrap_or(0);
    let claimed = if s.claimed > 0 {
        format!(", {} claimed by you", s.claimed)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} of {} right ({}%{claimed}) in {}; pace {} a question, yours {}.\n",
        s.right,
        plural(s.scored, "scored answer"),
        percent(s.right, s.scored),
        clock(s.spent),
        clock(s.pace),
        clock(s.average),
    ));
    if s.schedule {
        out.push_str("Every answer counts as a review in your schedule.\n");
    } else {
        out.push_str("--no-schedule: the answers are logged as interview answers; the schedule is unchanged.\n");
    }
    out.push_str("By topic:\n");
    let width = s
        .topics
        .iter()
        .map(|t| t.topic.chars().count())
        .max()
        .unwrap_or(0);
    for t in &s.topics {
        let weakest = if t.weakest.is_empty() {
            String::new()
        } else {
            format!("  weakest: {}", t.weakest.join("; "))
        };
        out.push_str(&format!(
            "  {:width$}  {}/{}{weakest}\n",
            t.topic, t.right, t.scored
        ));
    }
    if s.missed.is_empty() {
        out.push_str("Nothing missed.");
    } else if s.schedule {
        out.push_str(&format!(
            "Missed, due again today (the next `portquiz study` starts with them): {}",
            list(&s.missed)
        ));
    } else {
        out.push_str(&format!("Missed: {}", list(&s.missed)));
    }
    out
}

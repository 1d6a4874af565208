//! Every sentence the interview says: the opening, the clock line above each question, the debrief and the
//! scorecard. The round decides what happened; this module says it. Pure string building; no I/O.
use jiff::SignedDuration;

use super::scorecard::{Scorecard, Verdict};
use crate::deck::{Card, CardKind};
use crate::quiz::Given;
use crate::store::Confidence;
use crate::text::plural;

/// The width the scorecard fits (with the 24 lines of [`SCORECARD_LINES`]): an 80x24 terminal.
pub const WIDTH: usize = 80;

/// The most lines the text scorecard takes, so its headline stays on an 80x24 screen under the prompt.
pub const SCORECARD_LINES: usize = 14;

/// The weakest topics the text scorecard lists (the JSON keeps them all).
pub const WEAKEST_TOPICS: usize = 5;

/// A topic is listed among the weakest only after this many scored questions.
pub const TOPIC_AT_LEAST: usize = 2;

/// `4:05` (minutes and seconds; hours count as minutes).
pub fn clock(length: SignedDuration) -> String {
    let secs = length.as_secs().max(0);
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// The opening: the round's length and how it goes.
pub fn opening(minutes: u32, questions: u32, pace: SignedDuration, candidates: usize) -> String {
    format!(
        "Mock interview: {} in {minutes} min at most, about {} a question ({} to draw from). No hints and no feedback until the debrief; answer in your own words, or type `pass`. After each answer: how sure were you? s sure, t think so, g guess, Enter skips.",
        plural(questions as usize, "question"),
        clock(pace),
        plural(candidates, "card")
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
pub const LAST_QUESTION: &str = "\nThat was the last question.";
pub const THE_REST: &str = "\nThe rest, in the order asked:";

/// Before the confident misses, which the debrief takes first.
pub fn confident_first(count: usize) -> String {
    format!(
        "First, {} you were sure of and missed:",
        plural(count, "answer")
    )
}

/// For a multi-select answered wrong: which right options were missed and which wrong ones added.
pub fn options_diff(card: &Card, given: &Given) -> Option<String> {
    let (CardKind::Choice { options, answers }, Given::Picks(picks)) = (&card.kind, given) else {
        return None;
    };
    if answers.len() < 2 {
        return None;
    }
    let text = |ids: Vec<usize>| -> String {
        ids.iter()
            .filter_map(|&i| options.get(i).map(|o| o.text.as_str()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let missed: Vec<usize> = answers
        .iter()
        .copied()
        .filter(|a| !picks.contains(a))
        .collect();
    let added: Vec<usize> = picks
        .iter()
        .copied()
        .filter(|p| !answers.contains(p))
        .collect();
    let mut parts = Vec::new();
    if !missed.is_empty() {
        parts.push(format!("Missed: {}.", text(missed)));
    }
    if !added.is_empty() {
        parts.push(format!("Wrongly added: {}.", text(added)));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
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

pub fn your_answer(answer: &str, confidence: Option<Confidence>) -> String {
    match confidence {
        Some(c) => format!("Your answer ({}): {answer}", c.label()),
        None => format!("Your answer: {answer}"),
    }
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

/// `line` cut to [`WIDTH`] columns, with `…` where it was cut.
fn fit(line: &str) -> String {
    if line.chars().count() <= WIDTH {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(WIDTH - 1).collect();
    cut.push('…');
    cut
}

/// `label` and as many of `cards` as fit on one line, then `(+N more)`.
fn card_line(label: &str, cards: &[crate::deck::CardRef]) -> String {
    let mut line = label.to_owned();
    for (i, card) in cards.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        let more = cards.len() - i - 1;
        let tail = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        let item = format!("{sep}{card}");
        let left = cards.len() - i;
        if line.chars().count() + item.chars().count() + tail.chars().count() > WIDTH {
            line.push_str(&format!(" (+{left} more)"));
            return fit(&line);
        }
        line.push_str(&item);
    }
    line
}

/// The scorecard screen: at most [`SCORECARD_LINES`] lines of at most [`WIDTH`] columns: the headline,
/// calibration, the confident misses, the [`WEAKEST_TOPICS`] weakest topics asked at least
/// [`TOPIC_AT_LEAST`] times, and what is due again. `--json` keeps everything.
pub fn scorecard(s: &Scorecard) -> String {
    let mut lines: Vec<String> = vec![String::new(), "=== Scorecard ===".to_owned()];
    let percent = |right: usize, total: usize| (right * 100).checked_div(total).unwrap_or(0);
    let claimed = if s.claimed > 0 {
        format!(", {} claimed", s.claimed)
    } else {
        String::new()
    };
    lines.push(format!(
        "{}/{} right ({}%{claimed}) in {}; {} a question (pace {}).",
        s.right,
        s.scored,
        percent(s.right, s.scored),
        clock(s.spent),
        clock(s.average),
        clock(s.pace),
    ));
    match s.calibration.summary() {
        Some(summary) => lines.push(format!("Right when: {summary}.")),
        None => lines.push("Calibration: no confidence given.".to_owned()),
    }
    if s.confident_misses.is_empty() {
        lines.push("Sure but wrong: none.".to_owned());
    } else {
        lines.push(card_line("Sure but wrong:", &s.confident_misses));
    }
    let mut weak: Vec<&super::scorecard::Topic> = s
        .topics
        .iter()
        .filter(|t| t.scored >= TOPIC_AT_LEAST && t.right < t.scored)
        .collect();
    weak.sort_by(|a, b| {
        (a.right * b.scored)
            .cmp(&(b.right * a.scored))
            .then(b.scored.cmp(&a.scored))
            .then(a.topic.cmp(&b.topic))
    });
    weak.truncate(WEAKEST_TOPICS);
    if weak.is_empty() {
        lines.push(format!(
            "Weakest topics: none missed twice or more ({TOPIC_AT_LEAST}+ questions each)."
        ));
    } else {
        lines.push(format!("Weakest topics ({TOPIC_AT_LEAST}+ questions):"));
        let width = weak
            .iter()
            .map(|t| t.topic.chars().count())
            .max()
            .unwrap_or(0);
        for t in weak {
            let missed = if t.weakest.is_empty() {
                String::new()
            } else {
                format!("  missed: {}", t.weakest.join("; "))
            };
            lines.push(fit(&format!(
                "  {:width$}  {}/{}{missed}",
                t.topic, t.right, t.scored
            )));
        }
    }
    if s.missed.is_empty() {
        lines.push("Nothing missed.".to_owned());
    } else if s.schedule {
        lines.push(card_line("Due again today:", &s.missed));
        lines.push("`portquiz study` starts with them.".to_owned());
    } else {
        lines.push(card_line("Missed:", &s.missed));
    }
    if !s.schedule {
        lines.push("--no-schedule: logged as interview answers; schedule unchanged.".to_owned());
    }
    lines.iter().map(|l| fit(l)).collect::<Vec<_>>().join("\n")
}

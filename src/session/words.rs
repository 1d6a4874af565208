//! Every sentence the study session says to the candidate, in one place: the loop decides *what* happened,
//! this module says it. Pure string building; no I/O.
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::schedule::Rating;
use crate::text::{Form, duration, plural};

/// The header line above each card: `[3/20] deck/card · choice · new`.
pub fn header(position: (usize, usize), card: &impl std::fmt::Display, tag: &str) -> String {
    let (n, total) = position;
    format!("\n[{n}/{total}] {card} · {tag}")
}

/// The header's tag: the card type, then `new` and `cram` when they apply.
pub fn tag(kind: &str, new: bool, cram: bool) -> String {
    let mut tag = kind.to_string();
    if new {
        tag.push_str(" · new");
    }
    if cram {
        tag.push_str(" · cram");
    }
    tag
}

pub const NOTHING_TO_UNDO: &str = "(nothing to undo in this session)";

/// After an undo: the card is asked again.
pub fn undone(card: &str) -> String {
    format!("(undone: the answer to `{card}` is forgotten; here it is again)")
}

pub const RECORDED_AGAIN: &str = "(recorded as Again)";
pub const RECORDED_HARD_HINT: &str = "(the hint was used, so this was recorded as Hard)";

/// The reveal prompt of a flashcard.
pub fn reveal(hint_available: bool) -> &'static str {
    if hint_available {
        "Show the answer (? for the hint)"
    } else {
        "Show the answer"
    }
}

pub fn flashcard_back(back: &str) -> String {
    format!("Answer: {back}")
}

pub fn hint(hint: &str) -> String {
    format!("Hint: {hint}")
}

/// A multi-answer choice question says how many to pick, unless the author's prompt already asks.
pub fn choice_question(prompt: &str, answers: usize) -> String {
    if answers > 1 && !prompt.to_lowercase().contains("pick") {
        format!("{prompt} (pick {answers})")
    } else {
        prompt.to_string()
    }
}

pub fn choice_right(correct: &[&str]) -> String {
    format!("Right: {}", correct.join(", "))
}

pub fn choice_wrong(correct: &[&str]) -> String {
    format!("Wrong. The answer is: {}", correct.join(", "))
}

pub fn why_not(option: &str, why: &str) -> String {
    format!("Why not \"{option}\": {why}")
}

pub fn true_false_question(prompt: &str) -> String {
    format!("True or false: {prompt}")
}

pub fn true_false_verdict(right: bool, answer: bool) -> String {
    let word = if answer { "true" } else { "false" };
    if right {
        format!("Right: it is {word}.")
    } else {
        format!("Wrong: it is {word}.")
    }
}

pub fn typed_right(model: &str) -> String {
    format!("Right. A model answer: {model}")
}

/// A wrong typed answer: the model answer, and the keyword groups the answer lacked.
pub fn typed_wrong(model: &str, missing: &[String]) -> String {
    let mut text = format!("Not quite. A model answer: {model}");
    if !missing.is_empty() {
        text.push_str(&format!("\nMissing: {}", missing.join(", ")));
    }
    text
}

/// A practical or lab card whose experiment this build does not have.
pub fn not_in_build(what: &str, id: &str) -> String {
    format!("(the {what} `{id}` is not in this build; the card is skipped)")
}

pub const RUNS_LIVE: &str =
    "(portquiz will run this live on loopback and compare with your prediction)";

pub fn machine_agrees(answer: &[&str]) -> String {
    format!("Right, this machine agrees: {}", answer.join(", "))
}

pub fn machine_disagrees(answer: &[&str]) -> String {
    format!("Not what this machine did: {}", answer.join(", "))
}

pub fn conclusion(text: &str) -> String {
    format!("=> {text}")
}

pub fn unavailable(reason: &str) -> String {
    format!("not available here: {reason}. The card is skipped, not graded.")
}

pub fn could_not_finish(message: &str) -> String {
    format!("the experiment could not finish: {message}. The card is skipped, not graded.")
}

pub const LAB_DONE: &str = "Done? portquiz checks now";

pub fn lab_verified(conclusion: &str) -> String {
    format!("Verified: {conclusion}")
}

pub fn lab_not_verified(conclusion: &str) -> String {
    format!("Not verified: {conclusion}")
}

/// A grade's label at the grade prompt: `Good  (next in 3 days)`, or the bare name in cram.
pub fn grade_label(rating: Rating, next: Option<&str>) -> String {
    match next {
        Some(next) => format!("{:<5} (next in {next})", rating.name()),
        None => rating.name().to_string(),
    }
}

/// The screen when the queue is empty at the start.
pub fn nothing_due(now: Timestamp, tz: &TimeZone, next: Option<Timestamp>, cram: bool) -> String {
    match (cram, next) {
        (true, _) => "Nothing to cram: no card of these decks has been studied yet. Run `portquiz study` first.".to_string(),
        (false, Some(due)) => format!(
            "Nothing is due now. The next card is due {} (in {}).\nTo practise anyway without changing the schedule: portquiz study --cram",
            local_time(due, tz),
            duration(due.duration_since(now), Form::Long)
        ),
        (false, None) => "Nothing is due now, and today's new cards are done.\nTo practise anyway without changing the schedule: portquiz study --cram\nTo take more new cards today: portquiz study --new N".to_string(),
    }
}

/// The closing summary.
pub fn summary(now: Timestamp, tz: &TimeZone, s: &super::Summary) -> String {
    let mut text = format!(
        "\nSession {}: {} answered, {} right, {} wrong",
        if s.interrupted { "interrupted" } else { "over" },
        s.answered,
        s.right,
        s.wrong,
    );
    if s.self_graded > 0 {
        text.push_str(&format!(", {} self-graded", s.self_graded));
    }
    text.push_str(&format!(
        ", {} learned.",
        plural(s.new_learned as usize, "new card")
    ));
    if s.skipped > 0 {
        text.push_str(&format!(" {} skipped (not available here).", s.skipped));
    }
    if let Some((card, rating)) = &s.kept_on_quit {
        text.push_str(&format!(
            "\nYour answer to {card} was kept as {} (the grade offered by default when you left).",
            rating.name()
        ));
    }
    if let Some(due) = s.next_due {
        text.push_str(&format!(
            "\nNext card due {} (in {}).",
            local_time(due, tz),
            duration(due.duration_since(now), Form::Long)
        ));
    }
    text
}

/// "2026-11-25 14:03" in the study's time zone (the system's, in real use).
pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

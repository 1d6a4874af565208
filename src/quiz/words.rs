//! Every sentence the quiz engine says about a question, the same in both loops: how a question is put, the
//! feedback on an answer, hints, demos and live runs, grade labels. The loops' own sentences (the study
//! session's summary, the interview's clock and scorecard) live beside them. Pure string building; no I/O.
use crate::schedule::Rating;

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

/// A wrong answer to a choice with several right options: which right ones were missed and which wrong ones
/// were picked (empty when there is nothing to add to [`choice_wrong`]).
pub fn choice_misses(missed: &[String], wrongly_picked: &[String]) -> String {
    let mut lines = Vec::new();
    if !missed.is_empty() {
        lines.push(format!("Missed: {}", missed.join(", ")));
    }
    if !wrongly_picked.is_empty() {
        lines.push(format!("Wrongly picked: {}", wrongly_picked.join(", ")));
    }
    lines.join("\n")
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

/// A typed question whose keywords must come in order says so, unless the author's prompt already does.
pub fn typed_question(prompt: &str, ordered: bool) -> String {
    if ordered && !prompt.to_lowercase().contains("in order") {
        format!("{prompt} (in order)")
    } else {
        prompt.to_string()
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

/// After an explanation: the model answer and the key ideas the answer named or did not; the candidate
/// grades (portquiz does not judge meaning).
pub fn explanation_feedback(model: &str, spotted: &[String], missed: &[String]) -> String {
    let mut text = format!("A model answer: {model}");
    if !spotted.is_empty() {
        text.push_str(&format!("\nKey ideas you named: {}", spotted.join(", ")));
    }
    if !missed.is_empty() {
        text.push_str(&format!("\nKey ideas not named: {}", missed.join(", ")));
    }
    text.push_str("\nGrade yourself: did your answer say the same?");
    if !spotted.is_empty() || !missed.is_empty() {
        text.push_str(" (portquiz suggests a grade from the key ideas)");
    }
    text
}

/// A practical or lab card whose experiment this build does not have.
pub fn not_in_build(what: &str, id: &str) -> String {
    format!("(the {what} `{id}` is not in this build; the card is skipped)")
}

/// Before a card's demo runs.
pub fn demo_intro(title: &str) -> String {
    format!("(live, on loopback, not graded: {title})")
}

/// A demo this machine cannot run.
pub fn demo_unavailable(reason: &str) -> String {
    format!("(the demo cannot run here: {reason})")
}

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

/// A grade's label at the grade prompt: `Good  (next in 3 days)`, or the bare name in cram.
pub fn grade_label(rating: Rating, next: Option<&str>) -> String {
    match next {
        Some(next) => format!("{:<5} (next in {next})", rating.name()),
        None => rating.name().to_string(),
    }
}

/// A close answer: what matched and what did not, and the grade Enter confirms.
pub fn close(model: &str, matched: &[String], unmatched: &[String], suggested: Rating) -> String {
    let mut text = format!("Close. A model answer: {model}");
    if !matched.is_empty() {
        text.push_str(&format!("\nMatched: {}", matched.join(", ")));
    }
    if !unmatched.is_empty() {
        text.push_str(&format!("\nNot matched: {}", unmatched.join(", ")));
    }
    text.push_str(&format!(
        "\nConfirm a grade (Enter = {}): was it what you meant?",
        suggested.name()
    ));
    text
}

pub const NOTHING_TO_UNDO: &str = "(nothing to undo in this session)";

/// After an undo: the card is asked again.
pub fn undone(card: &str) -> String {
    format!("(undone: the answer to `{card}` is forgotten; here it is again)")
}

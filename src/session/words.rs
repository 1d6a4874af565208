//! Every sentence the study session says to the candidate, in one place: the loop decides *what* happened,
//! this module says it. Pure string building; no I/O.
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::schedule::Rating;
use crate::text::{Form, duration, plural};

/// The header line above each card: `[3 done · 17 left] deck/card · choice · new`. "Left" counts this
/// card and every card still to come in this session, learning steps that come back included, so it only
/// goes down as the candidate answers (undo puts a card back).
pub fn header(position: (usize, usize), card: &impl std::fmt::Display, tag: &str) -> String {
    let (done, left) = position;
    format!("\n[{done} done · {left} left] {card} · {tag}")
}

/// The opening line: what is due now.
pub fn outlook(o: &super::Outlook, cram: bool) -> String {
    if cram {
        return format!(
            "{} to practise (cram: the schedule does not change).",
            plural(o.total(), "card")
        );
    }
    let mut text = format!(
        "{} to study now: {} learning, {} to review, {} new.",
        plural(o.total(), "card"),
        o.learning,
        o.review,
        o.new
    );
    if o.new_waiting > 0 && o.new < o.new_waiting + o.new {
        text.push_str(&format!(
            " {} beyond today's limit of {} (--new N raises it).",
            waiting(o.new_waiting),
            o.new_per_day
        ));
    }
    text
}

/// "1 unseen card waits", "3 unseen cards wait".
fn waiting(n: usize) -> String {
    format!(
        "{} {}",
        plural(n, "unseen card"),
        if n == 1 { "waits" } else { "wait" }
    )
}

pub const CHECKING_AGAIN: &str = "(checking again)";
pub const LAB_SKIPPED: &str = "(skipped: nothing is recorded; the lab comes back next session)";

/// After suspending at a grade prompt.
pub fn suspended(card: &str, grade: &str) -> String {
    format!(
        "(suspended: {card} leaves rotation; your answer was kept as {grade}. Bring it back with: portquiz unsuspend {card})"
    )
}

/// After undoing a suspension.
pub fn unsuspended(card: &str) -> String {
    format!("(undone: {card} is back in rotation)")
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

/// "2026-11-25 14:03 (in 3 days)": when a card is due, and how far off that is.
fn when_due(now: Timestamp, tz: &TimeZone, due: Timestamp) -> String {
    format!(
        "{} (in {})",
        local_time(due, tz),
        duration(due.duration_since(now), Form::Long)
    )
}

/// The screen when the queue is empty at the start.
pub fn nothing_due(
    now: Timestamp,
    tz: &TimeZone,
    next: Option<Timestamp>,
    outlook: &super::Outlook,
    cram: bool,
) -> String {
    if cram {
        return "Nothing to cram: no card of these decks has been studied yet. Run `portquiz study` first.".to_string();
    }
    let mut text = "Nothing is due now.".to_string();
    if let Some(due) = next {
        text.push_str(&format!(
            " The next card is due {}.",
            when_due(now, tz, due)
        ));
    }
    if outlook.new_waiting > 0 {
        text.push_str(&format!(
            "\nToday's new cards are done (daily limit: {}); {}.\nTo take {} more today: portquiz study --new {}",
            outlook.new_per_day,
            waiting(outlook.new_waiting),
            outlook.new_waiting.min(10),
            outlook.new_per_day as usize + outlook.new_waiting.min(10)
        ));
    }
    text.push_str("\nTo practise anyway without changing the schedule: portquiz study --cram");
    text
}

/// The closing summary: it adds up (answered = right + wrong + graded by you).
pub fn summary(now: Timestamp, tz: &TimeZone, s: &super::Summary) -> String {
    let mut text = format!(
        "\nSession {}: {} answered ({} right, {} wrong, {} graded by you",
        if s.interrupted { "interrupted" } else { "over" },
        s.answered,
        s.right,
        s.wrong,
        s.self_graded,
    );
    if s.claimed > 0 {
        text.push_str(&format!(", of which {} you claimed", s.claimed));
    }
    text.push_str(&format!(
        "), {} learned, in {}.",
        plural(s.learned as usize, "new card"),
        duration(s.spent, Form::Spent)
    ));
    if s.unavailable > 0 {
        text.push_str(&format!(" {} not available here.", s.unavailable));
    }
    if s.skipped > 0 {
        text.push_str(&format!(
            " {} skipped by you.",
            plural(s.skipped as usize, "lab")
        ));
    }
    if let Some((card, rating)) = &s.kept_on_quit {
        text.push_str(&format!(
            "\nYour answer to {card} was kept as {} (the grade offered by default when you left).",
            rating.name()
        ));
    }
    for card in &s.suspended {
        text.push_str(&format!(
            "\nSuspended: {card} (portquiz unsuspend {card} brings it back)."
        ));
    }
    if s.due_now > 0 {
        text.push_str(&format!(
            "\n{} still to study now: portquiz study goes on.",
            plural(s.due_now, "card")
        ));
    } else if let Some(due) = s.next_due {
        text.push_str(&format!("\nNext card due {}.", when_due(now, tz, due)));
    }
    if s.new_waiting > 0 {
        text.push_str(&format!(
            "\nToday's limit of {} is reached; {} (portquiz study --new N takes more).",
            plural(s.new_per_day as usize, "new card"),
            waiting(s.new_waiting)
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

//! Every sentence the study session says to the candidate, in one place: the loop decides *what* happened,
//! this module says it. Pure string building; no I/O.
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::summary::{Outlook, Summary};
use crate::text::{Form, duration, plural};

/// The header line above each card: `[3 done · 17 left, 4 coming back] deck/card · choice · new`. "Left"
/// counts this card and every card due now; "coming back" the cards in a learning step due later in this
/// session (each answer to a new card may add one), so neither number hides the steps still to come.
pub fn header(position: (usize, usize, usize), card: &impl std::fmt::Display, tag: &str) -> String {
    let (done, left, coming) = position;
    if coming > 0 {
        format!("\n[{done} done · {left} left, {coming} coming back] {card} · {tag}")
    } else {
        format!("\n[{done} done · {left} left] {card} · {tag}")
    }
}

/// Before a learning card shown ahead of its due time because nothing else is due.
pub fn learn_ahead(due_in: jiff::SignedDuration) -> String {
    format!(
        "(due in {}, shown now: nothing else is due)",
        duration(due_in, Form::Short)
    )
}

/// The opening line: what is due now.
pub fn outlook(o: &Outlook, cram: bool) -> String {
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
    text.push_str(&siblings_waiting(o.new_buried));
    text
}

/// " 10 unseen cards wait as siblings until tomorrow.": unseen cards held back because a sibling (same
/// experiment, same table row) was answered today; empty when there are none.
fn siblings_waiting(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    format!(
        " {} as siblings of cards answered today, until tomorrow.",
        waiting(n)
    )
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

pub const RUNS_LIVE: &str =
    "(portquiz will run this live on loopback and compare with your prediction)";

pub const LAB_DONE: &str = "Done? portquiz checks now";

pub fn lab_verified(conclusion: &str) -> String {
    format!("Verified: {conclusion}")
}

pub fn lab_not_verified(conclusion: &str) -> String {
    format!("Not verified: {conclusion}")
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
    outlook: &Outlook,
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

/// The closing summary: it adds up (answered = right + wrong), in the words `stats` uses for the same counts
/// (right: Hard, Good or Easy; wrong: Again); "passed by your grade" is the part of right the candidate graded.
pub fn summary(now: Timestamp, tz: &TimeZone, s: &Summary) -> String {
    let mut text = format!(
        "\nSession {}: {} answered: {} right, {} wrong",
        if s.interrupted { "interrupted" } else { "over" },
        s.answered,
        s.right,
        s.wrong,
    );
    if s.by_your_grade > 0 {
        text.push_str(&format!(
            " ({} of the right passed by your grade",
            s.by_your_grade
        ));
        if s.claimed > 0 {
            text.push_str(&format!(", {} you claimed", s.claimed));
        }
        text.push(')');
    }
    text.push_str(&format!(
        "; {} learned, in {}.",
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
    if s.new_buried > 0 {
        text.push('\n');
        text.push_str(siblings_waiting(s.new_buried).trim_start());
    }
    text
}

/// "2026-11-25 14:03" in the study's time zone (the system's, in real use).
pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

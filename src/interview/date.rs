//! The interview date, asked once: the first `study` or `interview` on a data dir asks when the interview is
//! (Enter skips) and stores it as `config set interview-date` does; a later run does not ask again. Without a
//! terminal (scripts, `--plain` with piped input) it is never asked unless `--ask-date` says so, which asks
//! now whatever was asked before. What the date changes (the plan line, intervals capped at it) is the
//! callers' and [`crate::reports::interview_date`]'s.
use crate::quiz::QuizError;
use crate::settings::Key;
use crate::store::Store;
use crate::ui::{Style, Ui, UiError};

/// What the question came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// A date was stored: the caller reads its scheduler again, so intervals stop at it.
    Set,
    /// Not asked, or skipped with Enter.
    Unchanged,
    /// Ctrl-C at the question: the command ends (exit 130) before its loop starts.
    Interrupted,
}

/// The setting that remembers the question was asked (answered or skipped).
pub const ASKED: &str = "interview_date_asked";

pub const QUESTION: &str = "When is your interview? (YYYY-MM-DD; Enter skips)";
pub const SKIPPED: &str =
    "No date set: `portquiz config set interview-date YYYY-MM-DD` plans toward one later.";

/// Whether the date question can be asked here: stdin is a terminal, and `PORTQUIZ_NO_DATE_QUESTION` is not
/// set (the terminal tests of other features, and scripts driving a terminal, set it: the question would take
/// their first key).
pub fn at_terminal() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdin())
        && std::env::var_os("PORTQUIZ_NO_DATE_QUESTION").is_none()
}

/// Whether to ask: `--ask-date` always; else at a terminal, once, while no date is set.
pub fn should_ask(store: &Store, terminal: bool, ask_date: bool) -> Result<bool, QuizError> {
    if ask_date {
        return Ok(true);
    }
    if !terminal {
        return Ok(false);
    }
    Ok(store.setting(Key::InterviewDate.stored_as())?.is_none() && store.setting(ASKED)?.is_none())
}

/// Asks for the interview date when [`should_ask`] says so.
pub fn ask_once(
    store: &Store,
    ui: &mut dyn Ui,
    terminal: bool,
    ask_date: bool,
) -> Result<Asked, QuizError> {
    if !should_ask(store, terminal, ask_date)? {
        return Ok(Asked::Unchanged);
    }
    // Remembered before the answer: a Ctrl-C at the question does not bring it back every run.
    store.set_setting(ASKED, "1")?;
    loop {
        let line = match ui.line(QUESTION) {
            Ok(line) => line,
            Err(UiError::Interrupted) => return Ok(Asked::Interrupted),
            Err(err) => return Err(err.into()),
        };
        if line.is_empty() {
            ui.say(Style::Dim, SKIPPED)?;
            return Ok(Asked::Unchanged);
        }
        match Key::InterviewDate.normalize(&line) {
            Ok(date) => {
                store.set_setting(Key::InterviewDate.stored_as(), &date)?;
                ui.say(Style::Dim, &set(&date))?;
                return Ok(Asked::Set);
            }
            Err(message) => ui.say(Style::Wrong, &message)?,
        }
    }
}

/// Said once a date is stored.
pub fn set(date: &str) -> String {
    format!("Interview date: {date} (`portquiz config set interview-date` changes it).")
}

//! Front ends for the study session. The session talks to a [`Ui`]; it never reads a terminal or stdin
//! itself, so the same session runs in a terminal ([`terminal`]), line by line ([`plain`]), or in tests.
pub mod plain;
pub mod stdin;
pub mod terminal;

use std::fmt;

/// How a block of text should look. Front ends map styles to colour (or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Ordinary text.
    Text,
    /// A card's header line (`[3/20] deck · type`).
    Header,
    /// The question itself.
    Question,
    /// A right answer.
    Right,
    /// A wrong answer.
    Wrong,
    /// Secondary text: explanations, transcripts, notices.
    Dim,
}

/// What the candidate did at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<T> {
    /// An answer.
    Value(T),
    /// Asked for the hint.
    Hint,
    /// Asked to undo the last answer.
    Undo,
    /// Ended the session (q, Esc, end of input).
    Quit,
}

/// A grade the candidate may pick, with the label to show (e.g. "Good  (in 3 days)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeChoice {
    pub rating: crate::schedule::Rating,
    pub label: String,
}

/// Why a prompt could not be answered.
#[derive(Debug)]
pub enum UiError {
    /// Ctrl-C.
    Interrupted,
    /// The terminal or stdin failed.
    Io(std::io::Error),
}

impl fmt::Display for UiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UiError::Interrupted => f.write_str("interrupted"),
            UiError::Io(err) => write!(
                f,
                "the session could not read the next answer or show the next question ({err}); every answer given before is saved"
            ),
        }
    }
}

// No `source`: the I/O error is already part of the message, and error chains print sources too.
impl std::error::Error for UiError {}

impl From<std::io::Error> for UiError {
    fn from(err: std::io::Error) -> Self {
        let ctrl_c = err
            .get_ref()
            .is_some_and(|inner| inner.is::<stdin::CtrlC>());
        if err.kind() == std::io::ErrorKind::Interrupted || ctrl_c {
            UiError::Interrupted
        } else {
            UiError::Io(err)
        }
    }
}

/// Result of a prompt.
pub type Answer<T> = Result<Input<T>, UiError>;

/// The prompts a study session needs.
pub trait Ui {
    /// Shows a block of text (may span lines).
    fn say(&mut self, style: Style, text: &str) -> Result<(), UiError>;
    /// Picks one option (or several when `multi`); returns 0-based indices.
    fn choose(
        &mut self,
        options: &[String],
        multi: bool,
        hint_available: bool,
    ) -> Answer<Vec<usize>>;
    /// True or false.
    fn true_false(&mut self, hint_available: bool) -> Answer<bool>;
    /// Free text.
    fn text(&mut self, hint_available: bool) -> Answer<String>;
    /// Waits until the candidate is ready (reveal a flashcard's back, or a lab is done).
    fn proceed(&mut self, what: &str) -> Answer<()>;
    /// Picks a grade; `default` is taken on Enter.
    fn grade(&mut self, choices: &[GradeChoice], default: usize)
    -> Answer<crate::schedule::Rating>;
}

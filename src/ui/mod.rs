//! Front ends for the study session. The session talks to a [`Ui`]; it never reads a terminal or stdin
//! itself, so the same session runs in a terminal ([`terminal`]), line by line ([`plain`]), or in tests;
//! [`front`] picks and builds one for a command.
pub mod front;
pub mod menu;
pub mod plain;
pub mod script;
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
    /// An explanation: the main teaching text, easy to read (never dim).
    Explain,
    /// Secondary text: transcripts, notices.
    Dim,
}

/// What the candidate did at a question prompt (choice, true/false, typed, reveal, lab check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    /// An answer.
    Value(T),
    /// Asked for the hint.
    Hint,
    /// Asked to undo the last answer.
    Undo,
    /// Ended the session (q, Esc, end of input).
    Quit,
}

/// What the candidate did at a grade prompt: there is no hint to ask for here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeReply {
    /// A grade.
    Grade(crate::schedule::Rating),
    /// "I was right": the candidate overrides portquiz's verdict of wrong and grades the answer themself
    /// (offered only after a wrong verdict).
    Claim,
    /// Take the card out of rotation (the answer just given is kept with the default grade).
    Suspend,
    /// Show the card's demo: run its experiment live, ungraded (offered only when the card has one).
    Demo,
    /// Take back the answer just given (the card is asked again).
    Undo,
    /// End the session.
    Quit,
}

/// The actions a grade prompt offers beside the grades.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offer {
    /// "I was right" (after a verdict of wrong).
    pub claim: bool,
    /// See the card's experiment live.
    pub demo: bool,
    /// Take the card out of rotation.
    pub suspend: bool,
    /// Take back the answer just given.
    pub undo: bool,
}

/// What the candidate chose after a lab's check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabReply {
    /// Check again (offered while checks are left).
    Retry,
    /// Give up: recorded as Again.
    GiveUp,
    /// Leave the card for another time: nothing is recorded.
    Skip,
    /// End the session (nothing is recorded for the lab).
    Quit,
}

/// The options picked at a choice prompt: never empty, so an empty selection cannot mean anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picks(Vec<usize>);

impl Picks {
    /// The picks, or `None` when nothing was picked.
    pub fn new(picks: Vec<usize>) -> Option<Picks> {
        (!picks.is_empty()).then_some(Picks(picks))
    }

    /// One pick.
    pub fn one(pick: usize) -> Picks {
        Picks(vec![pick])
    }

    /// The picked indices (0-based, in the order shown).
    pub fn indices(&self) -> &[usize] {
        &self.0
    }
}

/// What a typed line means, the same at every prompt of both front ends: `q`/`quit` ends the session,
/// `u`/`undo` takes back the last answer, `?`/`hint` asks for the hint; anything else is text. A candidate
/// who really means one of those words as their answer quotes it: `"q"` or `'?'` is the text `q` or `?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    Undo,
    Hint,
    Text(String),
}

/// Reads a line as a [`Command`] (see there).
pub fn read_command(line: &str) -> Command {
    let trimmed = line.trim();
    for quote in ['"', '\'', '`'] {
        if let Some(inner) = trimmed
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return Command::Text(inner.to_string());
        }
    }
    match trimmed.to_lowercase().as_str() {
        "q" | "quit" => Command::Quit,
        "u" | "undo" => Command::Undo,
        "?" | "hint" => Command::Hint,
        _ => Command::Text(line.to_string()),
    }
}

/// Said when `?` is asked at a card without a hint.
pub const NO_HINT: &str = "(this card has no hint)";

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

/// Result of a question prompt.
pub type Answer<T> = Result<Reply<T>, UiError>;

/// The prompts a study session needs. Each prompt kind returns its own reply type.
pub trait Ui {
    /// Shows a block of text (may span lines).
    fn say(&mut self, style: Style, text: &str) -> Result<(), UiError>;
    /// Picks one option (or several when `multi`); returns 0-based indices, never none.
    fn choose(&mut self, options: &[String], multi: bool, hint_available: bool) -> Answer<Picks>;
    /// True or false.
    fn true_false(&mut self, hint_available: bool) -> Answer<bool>;
    /// Free text.
    fn text(&mut self, hint_available: bool) -> Answer<String>;
    /// Waits until the candidate is ready (reveal a flashcard's back, or a lab is done).
    fn proceed(&mut self, what: &str, hint_available: bool) -> Answer<()>;
    /// Picks a grade; `default` is taken on Enter. `offer` says which other actions the prompt offers (and
    /// accepts): a prompt never offers what its loop refuses.
    fn grade(
        &mut self,
        choices: &[GradeChoice],
        default: usize,
        offer: Offer,
    ) -> Result<GradeReply, UiError>;
    /// After a failed lab check: retry (when `retry` is offered), give up, or skip.
    fn lab_failed(&mut self, retry: bool) -> Result<LabReply, UiError>;
    /// How sure the candidate is of the answer just given: one key, `s` sure, `t` think so, `g` guess;
    /// Enter (or anything else that ends the prompt) skips with `None`.
    fn confidence(&mut self) -> Result<Option<crate::store::Confidence>, UiError>;
    /// A line of text after `label`, empty when the candidate just presses Enter (or input ends).
    fn line(&mut self, label: &str) -> Result<String, UiError>;
}

/// The confidence prompt's label, the same in both front ends.
pub const CONFIDENCE_PROMPT: &str = "How sure? s sure, t think so, g guess (Enter skips)";

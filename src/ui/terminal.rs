//! The terminal front end: dialoguer menus on stderr (arrow keys, Enter; Esc or `q` ends the session), a
//! plain line editor for typed answers, and feedback on stdout (on stderr when stdout holds JSON). The only place dialoguer is used.
//!
//! Screen rules: every text is wrapped at word boundaries to the terminal's width before it is shown
//! (dialoguer counts lines by newlines, so text the terminal wrapped by itself would leave stale lines when a
//! menu redraws); menus do not echo themselves (`report(false)`): the choice is echoed once, as `› text`,
//! without a verdict-like tick; a menu shows only as many options at a time as fit under the question, so a
//! small terminal pages the options instead of scrolling the question away. Colour follows stdout's and
//! stderr's own decisions ([`Output`]); without colour on stderr the menus use a theme whose cursor and marks
//! are characters (`>`, `[x]`), not colour.
use std::io::Write;

use console::Term;
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{MultiSelect, Select};

use super::{
    Answer, Command, GradeChoice, GradeReply, LabReply, NO_HINT, Offer, Picks, Reply, Style, Ui,
    UiError, read_command,
};
use crate::env::Output;
use crate::env::output::{paint, style};
use crate::safe;

const HINT: &str = "(show the hint)";
const UNDO: &str = "(undo the last answer)";
/// Undo at a grade prompt takes back the answer just given: the card is asked again.
const UNDO_ANSWER: &str = "(undo: take this answer back and answer again)";
const QUIT: &str = "(quit)";
const CLAIM: &str = "(I was right: let me grade it)";
const DEMO: &str = "(see it happen live: run the experiment, ungraded)";
const SUSPEND: &str = "(suspend this card: take it out of rotation)";

/// The narrowest width text is wrapped to, whatever the terminal says.
const MIN_WIDTH: usize = 20;

/// Terminal front end. Requires stdin and stderr to be terminals (the caller checks).
pub struct TerminalUi {
    term: Term,
    theme: Box<dyn Theme>,
    output: Output,
    /// Screen lines written since the last card header: what a menu must leave room for.
    lines_since_header: usize,
    /// Feedback goes to stderr beside the menus (`--json`: stdout holds the JSON alone), else to stdout.
    feedback_on_stderr: bool,
}

impl TerminalUi {
    /// A terminal front end; `feedback_on_stderr` keeps stdout for a machine-readable result.
    pub fn new(output: Output, feedback_on_stderr: bool) -> Self {
        // dialoguer styles through console, which would otherwise decide colour by itself.
        console::set_colors_enabled(output.stdout_color());
        console::set_colors_enabled_stderr(output.stderr_color());
        let theme: Box<dyn Theme> = if output.stderr_color() {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Self {
            term: Term::stderr(),
            theme,
            output,
            lines_since_header: 0,
            feedback_on_stderr,
        }
    }

    /// The terminal's width in columns.
    fn width(&self) -> usize {
        usize::from(self.term.size().1).max(MIN_WIDTH)
    }

    /// `text` wrapped at word boundaries to `width` columns, continuation lines indented by `indent`.
    fn wrap(text: &str, width: usize, indent: &str) -> String {
        let options = textwrap::Options::new(width.max(MIN_WIDTH)).subsequent_indent(indent);
        textwrap::fill(text, options)
    }

    /// How many options a menu may show at once: what fits under the question, at least three.
    fn menu_rows(&self) -> usize {
        let rows = usize::from(self.term.size().0);
        rows.saturating_sub(self.lines_since_header + 2).max(3)
    }

    /// Writes a line (already wrapped) where feedback goes and counts it.
    fn write_out(&mut self, text: &str, painted: anstyle::Style) -> Result<(), UiError> {
        if self.feedback_on_stderr {
            let mut out = std::io::stderr().lock();
            writeln!(out, "{}", paint(self.output.on_stderr(painted), text))?;
            out.flush()?;
        } else {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", paint(self.output.on_stdout(painted), text))?;
            out.flush()?;
        }
        self.lines_since_header += text.lines().count().max(1);
        Ok(())
    }

    /// The choice just made, echoed once (the menus do not report themselves).
    fn echo(&mut self, text: &str) -> Result<(), UiError> {
        let line = Self::wrap(&format!("› {}", safe::line(text)), self.width(), "  ");
        self.write_out(&line, style::DIM)
    }

    /// A Select over `items` followed by the session's extra actions; maps the extras back.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
        hint: bool,
    ) -> Answer<usize> {
        self.select_with(prompt, items, default, hint, Undo::Last)
    }

    /// [`Self::select`], with the undo item `undo` says.
    fn select_with(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
        hint: bool,
        undo: Undo,
    ) -> Answer<usize> {
        pending_ctrl_c()?;
        let width = self.width().saturating_sub(4);
        let mut all: Vec<String> = items
            .iter()
            .map(|i| Self::wrap(&safe::line(i), width, "  "))
            .collect();
        if hint {
            all.push(HINT.into());
        }
        match undo {
            Undo::Last => all.push(UNDO.into()),
            Undo::ThisAnswer => all.push(UNDO_ANSWER.into()),
            Undo::None => {}
        }
        all.push(QUIT.into());
        let picked = Select::with_theme(self.theme.as_ref())
            .with_prompt(Self::wrap(&safe::line(prompt), self.width(), ""))
            .items(&all)
            .default(default)
            .max_length(self.menu_rows())
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(map_err)?;
        let reply = match picked {
            None => Reply::Quit,
            Some(i) if i < items.len() => Reply::Value(i),
            Some(i) => match all[i].as_str() {
                HINT => Reply::Hint,
                UNDO | UNDO_ANSWER => Reply::Undo,
                _ => Reply::Quit,
            },
        };
        let echoed = match (&reply, picked) {
            (Reply::Value(i), _) => items[*i].clone(),
            (_, Some(i)) => all[i].clone(),
            (_, None) => QUIT.to_string(),
        };
        self.echo(&echoed)?;
        Ok(reply)
    }
}

/// Which undo item a menu offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Undo {
    /// Take back the last recorded answer (at a question).
    Last,
    /// Take back the answer just given (at its grade prompt).
    ThisAnswer,
    /// None (after a failed lab check).
    None,
}

fn map_err(err: dialoguer::Error) -> UiError {
    let dialoguer::Error::IO(io) = err;
    UiError::from(io)
}

/// Set by the Ctrl-C handler; read (and cleared) before each prompt.
static CTRL_C: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The Ctrl-C handler of a terminal session: during a key read dialoguer sees Ctrl-C itself (raw mode);
/// at any other moment the signal lands here and the next prompt ends the session as Ctrl-C would.
pub fn note_ctrl_c() {
    CTRL_C.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// `Interrupted` when Ctrl-C was pressed since the last prompt.
fn pending_ctrl_c() -> Result<(), UiError> {
    if CTRL_C.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return Err(UiError::Interrupted);
    }
    Ok(())
}

/// Restores the cursor (dialoguer hides it while a prompt is open); call after Ctrl-C.
pub fn restore_terminal() {
    let _ = Term::stderr().show_cursor();
}

impl Ui for TerminalUi {
    fn say(&mut self, kind: Style, text: &str) -> Result<(), UiError> {
        let painted = match kind {
            Style::Text | Style::Explain => anstyle::Style::new(),
            Style::Header => style::EMPHASIS.fg_color(Some(anstyle::AnsiColor::Cyan.into())),
            Style::Question => style::EMPHASIS,
            Style::Right => style::CONCLUSION,
            Style::Wrong => style::ERROR,
            Style::Dim => style::DIM,
        };
        if kind == Style::Header {
            self.lines_since_header = 0;
        }
        let text = Self::wrap(&safe::block(text), self.width(), "");
        self.write_out(&text, painted)
    }

    fn choose(&mut self, options: &[String], multi: bool, hint_available: bool) -> Answer<Picks> {
        if !multi {
            return Ok(
                match self.select("Your answer", options, 0, hint_available)? {
                    Reply::Value(i) => Reply::Value(Picks::one(i)),
                    Reply::Hint => Reply::Hint,
                    Reply::Undo => Reply::Undo,
                    Reply::Quit => Reply::Quit,
                },
            );
        }
        let width = self.width().saturating_sub(6);
        let shown: Vec<String> = options
            .iter()
            .map(|o| Self::wrap(&safe::line(o), width, "    "))
            .collect();
        loop {
            pending_ctrl_c()?;
            let picked = MultiSelect::with_theme(self.theme.as_ref())
                .with_prompt(Self::wrap(
                    "Pick every right option (Space marks, Enter answers, Esc quits)",
                    self.width(),
                    "",
                ))
                .items(&shown)
                .max_length(self.menu_rows())
                .report(false)
                .interact_on_opt(&self.term)
                .map_err(map_err)?;
            match picked {
                None => {
                    self.echo(QUIT)?;
                    return Ok(Reply::Quit);
                }
                Some(v) => match Picks::new(v) {
                    Some(picks) => {
                        let names: Vec<&str> = picks
                            .indices()
                            .iter()
                            .map(|&i| options[i].as_str())
                            .collect();
                        self.echo(&names.join(", "))?;
                        return Ok(Reply::Value(picks));
                    }
                    // Enter with nothing marked is not an answer (and never an undo): ask again.
                    None => self.say(
                        Style::Dim,
                        "(mark at least one option with Space, then press Enter)",
                    )?,
                },
            }
        }
    }

    fn true_false(&mut self, hint_available: bool) -> Answer<bool> {
        let items = ["True".to_string(), "False".to_string()];
        Ok(
            match self.select("True or false?", &items, 0, hint_available)? {
                Reply::Value(i) => Reply::Value(i == 0),
                Reply::Hint => Reply::Hint,
                Reply::Undo => Reply::Undo,
                Reply::Quit => Reply::Quit,
            },
        )
    }

    fn text(&mut self, hint_available: bool) -> Answer<String> {
        let prompt = if hint_available {
            "Your answer (? hint, u undo, q quit; quote a word to answer it, e.g. \"q\"):"
        } else {
            "Your answer (u undo, q quit; quote a word to answer it, e.g. \"q\"):"
        };
        loop {
            pending_ctrl_c()?;
            // A plain line editor, not a redrawn widget: an answer longer than a line wraps like any typed
            // text and leaves nothing stale behind.
            let label = Self::wrap(prompt, self.width(), "");
            let shown = paint(self.output.on_stderr(style::EMPHASIS), &label);
            self.term.write_line(&shown.to_string())?;
            self.term
                .write_str(&paint(self.output.on_stderr(style::DIM), "› ").to_string())?;
            let line = self.term.read_line()?;
            self.lines_since_header += label.lines().count() + 1;
            match read_command(&line) {
                Command::Quit => return Ok(Reply::Quit),
                Command::Undo => return Ok(Reply::Undo),
                Command::Hint if hint_available => return Ok(Reply::Hint),
                Command::Hint => self.say(Style::Dim, NO_HINT)?,
                Command::Text(text) if text.trim().is_empty() => {}
                Command::Text(text) => return Ok(Reply::Value(text)),
            }
        }
    }

    fn proceed(&mut self, what: &str, hint_available: bool) -> Answer<()> {
        self.select(what, &[what.to_string()], 0, hint_available)
            .map(|reply| match reply {
                Reply::Value(_) => Reply::Value(()),
                Reply::Hint => Reply::Hint,
                Reply::Undo => Reply::Undo,
                Reply::Quit => Reply::Quit,
            })
    }

    fn grade(
        &mut self,
        choices: &[GradeChoice],
        default: usize,
        offer: Offer,
    ) -> Result<GradeReply, UiError> {
        let mut labels: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
        if offer.claim {
            labels.push(CLAIM.into());
        }
        if offer.demo {
            labels.push(DEMO.into());
        }
        if offer.suspend {
            labels.push(SUSPEND.into());
        }
        Ok(
            match self.select_with(
                "How well did you know it?",
                &labels,
                default,
                false,
                if offer.undo {
                    Undo::ThisAnswer
                } else {
                    Undo::None
                },
            )? {
                Reply::Value(i) => match choices.get(i) {
                    Some(choice) => GradeReply::Grade(choice.rating),
                    None if labels[i] == CLAIM => GradeReply::Claim,
                    None if labels[i] == DEMO => GradeReply::Demo,
                    None if labels[i] == SUSPEND => GradeReply::Suspend,
                    None => GradeReply::Quit,
                },
                Reply::Undo => GradeReply::Undo,
                // No hint is offered here.
                Reply::Hint | Reply::Quit => GradeReply::Quit,
            },
        )
    }

    fn confidence(&mut self) -> Result<Option<crate::store::Confidence>, UiError> {
        pending_ctrl_c()?;
        let label = Self::wrap(super::CONFIDENCE_PROMPT, self.width(), "");
        let shown = paint(self.output.on_stderr(style::DIM), &label);
        self.term.write_str(&format!("{shown} "))?;
        // One key, read raw: Ctrl-C there is an `Interrupted` error.
        let picked = loop {
            match self.term.read_key()? {
                console::Key::Char(c) => {
                    if let Some(picked) = crate::store::Confidence::parse(&c.to_string()) {
                        break Some(picked);
                    }
                }
                console::Key::Enter | console::Key::Escape => break None,
                _ => {}
            }
        };
        self.term
            .write_line(picked.map_or("(skipped)", |c| c.label()))?;
        self.lines_since_header += label.lines().count();
        Ok(picked)
    }

    fn line(&mut self, label: &str) -> Result<String, UiError> {
        pending_ctrl_c()?;
        let label = Self::wrap(label, self.width(), "");
        let shown = paint(self.output.on_stderr(style::EMPHASIS), &label);
        self.term.write_line(&shown.to_string())?;
        self.term
            .write_str(&paint(self.output.on_stderr(style::DIM), "› ").to_string())?;
        let line = self.term.read_line()?;
        self.lines_since_header += label.lines().count() + 1;
        Ok(line.trim().to_owned())
    }

    fn lab_failed(&mut self, retry: bool) -> Result<LabReply, UiError> {
        let mut items = Vec::new();
        if retry {
            items.push("Check again".to_string());
        }
        items.push("Give up (recorded as Again)".to_string());
        items.push("Skip this lab for now".to_string());
        let offset = usize::from(!retry);
        Ok(
            match self.select_with("What now?", &items, 0, false, Undo::None)? {
                Reply::Value(i) => match i + offset {
                    0 => LabReply::Retry,
                    1 => LabReply::GiveUp,
                    _ => LabReply::Skip,
                },
                Reply::Hint | Reply::Undo | Reply::Quit => LabReply::Quit,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_word_boundaries_with_an_indent() {
        let text = "When the first socket closes, its address can stay in TIME_WAIT instantly";
        assert_eq!(
            TerminalUi::wrap(text, 24, "  "),
            "When the first socket\n  closes, its address\n  can stay in TIME_WAIT\n  instantly"
        );
        // Never narrower than MIN_WIDTH, and newlines in the text are kept.
        assert_eq!(TerminalUi::wrap("a b\nc", 3, ""), "a b\nc");
    }
}

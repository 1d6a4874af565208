//! The terminal front end: menus on stderr (arrow keys or a key per entry, Enter; Esc or `q` ends the
//! session) and a line editor for typed answers, both portquiz's own ([`menu`], on `console`), and feedback on
//! stdout (on stderr when stdout holds JSON).
//!
//! Screen rules: every text is wrapped at word boundaries to the terminal's width before it is shown, so a
//! redraw clears exactly the rows it drew; a menu clears itself once answered and the choice is echoed once,
//! as `› text`, without a verdict-like tick; a menu shows only as many options at a time as fit under the
//! question, so a small terminal pages the options instead of scrolling the question away. Colour follows
//! stdout's and stderr's own decisions ([`Output`]); the menu's cursor and marks are characters (`>`, `[x]`),
//! not colour.
use std::io::Write;

use console::Term;

use super::menu::{self, Entry, Picked, Screen, Spec};
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
const UNDO_ANSWER: &str = "(undo: take this answer back)";
const QUIT: &str = "(quit)";
const CLAIM: &str = "(I was right: let me grade it)";
const DEMO: &str = "(see it happen live, ungraded)";
const SUSPEND: &str = "(suspend: take it out of rotation)";

/// The narrowest width text is wrapped to, whatever the terminal says.
const MIN_WIDTH: usize = 20;

/// Terminal front end. Requires stdin and stderr to be terminals (the caller checks).
pub struct TerminalUi {
    term: Term,
    output: Output,
    /// Screen lines written since the last card header (the header included): what a menu must leave room for.
    lines_since_header: usize,
    /// The last card header and the verdict since, recapped above a menu when they would scroll away.
    recap: Vec<String>,
    /// Feedback goes to stderr beside the menus (`--json`: stdout holds the JSON alone), else to stdout.
    feedback_on_stderr: bool,
}

/// What a menu entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Value(usize),
    Hint,
    Undo,
    Quit,
    Claim,
    Demo,
    Suspend,
}

impl TerminalUi {
    /// A terminal front end; `feedback_on_stderr` keeps stdout for a machine-readable result.
    pub fn new(output: Output, feedback_on_stderr: bool) -> Self {
        console::set_colors_enabled(output.stdout_color());
        console::set_colors_enabled_stderr(output.stderr_color());
        Self {
            term: Term::stderr(),
            output,
            lines_since_header: 0,
            recap: Vec::new(),
            feedback_on_stderr,
        }
    }

    /// The terminal's width in columns.
    fn width(&self) -> usize {
        usize::from(self.term.size().1).max(MIN_WIDTH)
    }

    /// Text is wrapped one column short of the width: a row exactly as wide as the terminal leaves the
    /// cursor in the last column, and terminals differ on what the next newline does there.
    fn text_width(&self) -> usize {
        self.width() - 1
    }

    /// `text` wrapped at word boundaries to `width` columns, continuation lines indented by `indent`.
    fn wrap(text: &str, width: usize, indent: &str) -> String {
        textwrap::fill(text, menu::options(width.max(MIN_WIDTH), indent))
    }

    fn screen(&self) -> Screen {
        let (rows, cols) = self.term.size();
        Screen {
            rows: usize::from(rows),
            cols: usize::from(cols).max(MIN_WIDTH),
            since_header: self.lines_since_header,
            recap: self.recap.clone(),
        }
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

    /// The choice just made, echoed once (the menus clear themselves).
    fn echo(&mut self, text: &str) -> Result<(), UiError> {
        let line = Self::wrap(&format!("› {}", safe::line(text)), self.text_width(), "  ");
        self.write_out(&line, style::DIM)
    }

    /// Runs a menu of `items` (answers, each with its key) and `extras` (actions, each with its key); maps the
    /// pick back and echoes it. Esc and `q` quit.
    fn menu(
        &mut self,
        prompt: &str,
        items: Vec<(String, Option<char>, Act)>,
        extras: Vec<(&str, char, &str, Act)>,
        default: usize,
        keys: String,
        multi: bool,
    ) -> Result<(Act, Vec<usize>), UiError> {
        pending_ctrl_c()?;
        let mut entries = Vec::new();
        let mut acts = Vec::new();
        let mut echoes = Vec::new();
        for (label, key, act) in items {
            entries.push(Entry::main(safe::line(&label), key));
            echoes.push(label);
            acts.push(act);
        }
        for (label, key, word, act) in extras {
            entries.push(Entry::extra(label, key, word));
            echoes.push(label.to_string());
            acts.push(act);
        }
        entries.push(Entry::extra(QUIT, 'q', "quit"));
        echoes.push(QUIT.to_string());
        acts.push(Act::Quit);
        let spec = Spec {
            prompt: safe::line(prompt).into_owned(),
            escape: Some(entries.len() - 1),
            entries,
            default,
            multi,
            keys,
        };
        let picked = menu::run(&self.term, &spec, &self.screen())?;
        Ok(match picked {
            Picked::Entry(i) => {
                self.echo(&echoes[i])?;
                (acts[i], Vec::new())
            }
            Picked::Marks(marks) => (Act::Value(0), marks),
        })
    }

    /// A one-pick menu over `items` (keys `1`-`9`) with hint and undo as the loop allows.
    fn select(&mut self, prompt: &str, items: &[String], hint: bool) -> Answer<usize> {
        let keyed = items.len() <= 9;
        let entries = numbered(items);
        let keys = match items.len() {
            0 | 1 => "Enter picks".to_string(),
            n if keyed => format!("1-{n} pick"),
            _ => "Enter picks".to_string(),
        };
        let (act, _) = self.menu(prompt, entries, answer_extras(hint), 0, keys, false)?;
        Ok(reply(act))
    }
}

/// The entries of a menu over `items`, each its index's value, keyed `1`-`9` when there are at most nine.
fn numbered(items: &[String]) -> Vec<(String, Option<char>, Act)> {
    let keyed = items.len() <= 9;
    items
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let key = keyed.then(|| char::from_digit(i as u32 + 1, 10)).flatten();
            (label.clone(), key, Act::Value(i))
        })
        .collect()
}

/// The extras of a question prompt: the hint when there is one, undo.
fn answer_extras(hint: bool) -> Vec<(&'static str, char, &'static str, Act)> {
    let mut extras = Vec::new();
    if hint {
        extras.push((HINT, '?', "hint", Act::Hint));
    }
    extras.push((UNDO, 'u', "undo", Act::Undo));
    extras
}

fn reply(act: Act) -> Reply<usize> {
    match act {
        Act::Value(i) => Reply::Value(i),
        Act::Hint => Reply::Hint,
        Act::Undo => Reply::Undo,
        _ => Reply::Quit,
    }
}

/// Set by the Ctrl-C handler; read (and cleared) before each prompt.
static CTRL_C: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The Ctrl-C handler of a terminal session: during a key read the menu sees Ctrl-C itself (raw mode);
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

/// Restores the cursor (a menu hides it while it is open); call after Ctrl-C.
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
        let shown = safe::block(text);
        match kind {
            Style::Header => {
                self.lines_since_header = 0;
                self.recap = shown
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(1)
                    .map(str::to_string)
                    .collect();
            }
            Style::Right | Style::Wrong => {
                self.recap.truncate(1);
                self.recap.extend(shown.lines().take(1).map(str::to_string));
            }
            _ => {}
        }
        // Secondary text holds live transcripts: their columns stay in place.
        let text = if kind == Style::Dim {
            shown
                .lines()
                .flat_map(|line| menu::columns(line, self.text_width()))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            Self::wrap(&shown, self.text_width(), "")
        };
        self.write_out(&text, painted)
    }

    fn choose(&mut self, options: &[String], multi: bool, hint_available: bool) -> Answer<Picks> {
        if !multi {
            return Ok(match self.select("Your answer", options, hint_available)? {
                Reply::Value(i) => Reply::Value(Picks::one(i)),
                Reply::Hint => Reply::Hint,
                Reply::Undo => Reply::Undo,
                Reply::Quit => Reply::Quit,
            });
        }
        let keyed = options.len() <= 9;
        loop {
            let entries = numbered(options);
            let keys = if keyed {
                format!("Space or 1-{} marks · Enter answers", options.len())
            } else {
                "Space marks · Enter answers".to_string()
            };
            let (act, marks) = self.menu(
                "Pick every right option",
                entries,
                answer_extras(hint_available),
                0,
                keys,
                true,
            )?;
            match act {
                Act::Value(_) => match Picks::new(marks) {
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
                other => {
                    return Ok(match reply(other) {
                        Reply::Hint => Reply::Hint,
                        Reply::Undo => Reply::Undo,
                        _ => Reply::Quit,
                    });
                }
            }
        }
    }

    fn true_false(&mut self, hint_available: bool) -> Answer<bool> {
        let items = vec![
            ("True".to_string(), Some('t'), Act::Value(0)),
            ("False".to_string(), Some('f'), Act::Value(1)),
        ];
        let (act, _) = self.menu(
            "True or false?",
            items,
            answer_extras(hint_available),
            0,
            "t true · f false".to_string(),
            false,
        )?;
        Ok(match reply(act) {
            Reply::Value(i) => Reply::Value(i == 0),
            Reply::Hint => Reply::Hint,
            Reply::Undo => Reply::Undo,
            Reply::Quit => Reply::Quit,
        })
    }

    fn text(&mut self, hint_available: bool) -> Answer<String> {
        let prompt = if hint_available {
            "Your answer (? hint, u undo, q quit; quote a word to answer it, e.g. \"q\"):"
        } else {
            "Your answer (u undo, q quit; quote a word to answer it, e.g. \"q\"):"
        };
        loop {
            pending_ctrl_c()?;
            let label = Self::wrap(prompt, self.text_width(), "");
            let shown = paint(self.output.on_stderr(style::EMPHASIS), &label);
            self.term.write_line(&shown.to_string())?;
            self.lines_since_header += label.lines().count();
            // Our own line editor: the answer wraps at word boundaries as it is typed (the terminal's own echo
            // broke words at the last column).
            let line = menu::read_line(&self.term, "› ", self.width())?;
            match read_command(&line) {
                Command::Quit => return Ok(Reply::Quit),
                Command::Undo => return Ok(Reply::Undo),
                Command::Hint if hint_available => return Ok(Reply::Hint),
                Command::Hint => self.say(Style::Dim, NO_HINT)?,
                Command::Text(text) if text.trim().is_empty() => {}
                Command::Text(text) => {
                    self.echo(&text)?;
                    return Ok(Reply::Value(text));
                }
            }
        }
    }

    fn proceed(&mut self, what: &str, hint_available: bool) -> Answer<()> {
        let items = vec![(what.to_string(), None, Act::Value(0))];
        let (act, _) = self.menu(
            what,
            items,
            answer_extras(hint_available),
            0,
            "Enter goes on".to_string(),
            false,
        )?;
        Ok(match reply(act) {
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
        let items: Vec<(String, Option<char>, Act)> = choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let key = char::from_digit(u32::from(c.rating.as_u8()), 10);
                (c.label.clone(), key, Act::Value(i))
            })
            .collect();
        let mut extras = Vec::new();
        if offer.claim {
            extras.push((CLAIM, 'r', "I was right", Act::Claim));
        }
        if offer.demo {
            extras.push((DEMO, 'd', "demo", Act::Demo));
        }
        if offer.suspend {
            extras.push((SUSPEND, 's', "suspend", Act::Suspend));
        }
        if offer.undo {
            extras.push((UNDO_ANSWER, 'u', "undo", Act::Undo));
        }
        let digits: Vec<String> = choices
            .iter()
            .map(|c| c.rating.as_u8().to_string())
            .collect();
        let keys = match digits.as_slice() {
            [one] => format!("{one} grade"),
            [first, .., last] => format!("{first}-{last} grade"),
            [] => String::new(),
        };
        let (act, _) = self.menu(
            "How well did you know it?",
            items,
            extras,
            default,
            keys,
            false,
        )?;
        Ok(match act {
            Act::Value(i) => match choices.get(i) {
                Some(choice) => GradeReply::Grade(choice.rating),
                None => GradeReply::Quit,
            },
            Act::Claim => GradeReply::Claim,
            Act::Demo => GradeReply::Demo,
            Act::Suspend => GradeReply::Suspend,
            Act::Undo => GradeReply::Undo,
            Act::Hint | Act::Quit => GradeReply::Quit,
        })
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
            items.push(("Check again".to_string(), Some('r'), Act::Value(0)));
        }
        items.push((
            "Give up (recorded as Again)".to_string(),
            Some('g'),
            Act::Value(1),
        ));
        items.push((
            "Skip this lab for now".to_string(),
            Some('s'),
            Act::Value(2),
        ));
        let keys = if retry {
            "r retry · g give up · s skip"
        } else {
            "g give up · s skip"
        };
        let (act, _) = self.menu("What now?", items, Vec::new(), 0, keys.to_string(), false)?;
        Ok(match act {
            Act::Value(0) => LabReply::Retry,
            Act::Value(1) => LabReply::GiveUp,
            Act::Value(_) => LabReply::Skip,
            _ => LabReply::Quit,
        })
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

//! The terminal front end: dialoguer prompts on stderr (arrow keys, Enter; Esc or `q` ends the session),
//! coloured feedback on stdout. The only place dialoguer is used.
use std::io::Write;

use colored::Colorize;
use console::Term;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Input as TextInput, MultiSelect, Select};

use super::{
    Answer, Command, GradeChoice, GradeReply, LabReply, NO_HINT, Picks, Reply, Style, Ui, UiError,
    read_command,
};
use crate::safe;

const HINT: &str = "(show the hint)";
const UNDO: &str = "(undo the last answer)";
const QUIT: &str = "(quit)";
const CLAIM: &str = "(I was right: let me grade it)";
const SUSPEND: &str = "(suspend this card: take it out of rotation)";

/// Terminal front end. Requires stdin and stderr to be terminals (the caller checks).
pub struct TerminalUi {
    term: Term,
    theme: ColorfulTheme,
}

impl Default for TerminalUi {
    fn default() -> Self {
        Self::new()
    }
}

impl TerminalUi {
    pub fn new() -> Self {
        Self {
            term: Term::stderr(),
            theme: ColorfulTheme::default(),
        }
    }

    /// A Select over `items` followed by the session's extra actions; maps the extras back.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
        hint: bool,
    ) -> Answer<usize> {
        self.select_with(prompt, items, default, hint, true)
    }

    /// [`Self::select`], with the undo item only when `undo`.
    fn select_with(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
        hint: bool,
        undo: bool,
    ) -> Answer<usize> {
        let mut all: Vec<String> = items.iter().map(|i| safe::line(i).into_owned()).collect();
        if hint {
            all.push(HINT.into());
        }
        if undo {
            all.push(UNDO.into());
        }
        all.push(QUIT.into());
        let picked = Select::with_theme(&self.theme)
            .with_prompt(safe::line(prompt))
            .items(&all)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(map_err)?;
        Ok(match picked {
            None => Reply::Quit,
            Some(i) if i < items.len() => Reply::Value(i),
            Some(i) => match all[i].as_str() {
                HINT => Reply::Hint,
                UNDO => Reply::Undo,
                _ => Reply::Quit,
            },
        })
    }
}

fn map_err(err: dialoguer::Error) -> UiError {
    let dialoguer::Error::IO(io) = err;
    UiError::from(io)
}

/// Restores the cursor (dialoguer hides it while a prompt is open); call after Ctrl-C.
pub fn restore_terminal() {
    let _ = Term::stderr().show_cursor();
}

impl Ui for TerminalUi {
    fn say(&mut self, style: Style, text: &str) -> Result<(), UiError> {
        let text = safe::block(text);
        let shown = match style {
            Style::Text => text.normal(),
            Style::Header => text.cyan().bold(),
            Style::Question => text.bold(),
            Style::Right => text.green().bold(),
            Style::Wrong => text.red().bold(),
            Style::Explain => text.normal(),
            Style::Dim => text.dimmed(),
        };
        let mut out = std::io::stdout().lock();
        writeln!(out, "{shown}")?;
        out.flush()?;
        Ok(())
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
        loop {
            let picked = MultiSelect::with_theme(&self.theme)
                .with_prompt(
                    "Pick every right option (Space to mark, Enter to answer, Esc to quit)",
                )
                .items(options.iter().map(|o| safe::line(o)))
                .interact_on_opt(&self.term)
                .map_err(map_err)?;
            match picked {
                None => return Ok(Reply::Quit),
                Some(v) => match Picks::new(v) {
                    Some(picks) => return Ok(Reply::Value(picks)),
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
            "Your answer (? hint, u undo, q quit)"
        } else {
            "Your answer (u undo, q quit)"
        };
        loop {
            let line: String = TextInput::with_theme(&self.theme)
                .with_prompt(prompt)
                .allow_empty(true)
                .interact_text_on(&self.term)
                .map_err(map_err)?;
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
        claim: bool,
    ) -> Result<GradeReply, UiError> {
        let mut labels: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
        if claim {
            labels.push(CLAIM.into());
        }
        labels.push(SUSPEND.into());
        Ok(
            match self.select("How well did you know it?", &labels, default, false)? {
                Reply::Value(i) => match choices.get(i) {
                    Some(choice) => GradeReply::Grade(choice.rating),
                    None if labels[i] == CLAIM => GradeReply::Claim,
                    None => GradeReply::Suspend,
                },
                Reply::Undo => GradeReply::Undo,
                // No hint is offered here.
                Reply::Hint | Reply::Quit => GradeReply::Quit,
            },
        )
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
            match self.select_with("What now?", &items, 0, false, false)? {
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

//! The one place that builds the front end of a quiz loop (`study`, `interview`): terminal menus or plain
//! lines, the notice when portquiz falls back to plain, the Ctrl-C policy, where each stream goes, and the
//! terminal restored when the front end is dropped (on every path out, errors included).
//!
//! Streams: questions and feedback go to stdout, menus to stderr; with `--json` stdout holds the JSON alone, so
//! the round talks on stderr in both front ends.
//! Ctrl-C: in plain mode the stdin reader turns it into an `Interrupted` reply; in a terminal the menu sees it
//! during a key read (raw mode), and one pressed at any other moment (an answer being saved, an experiment
//! running) is remembered and ends the loop at the next prompt instead of being lost. Either way the loop
//! ends with its summary and exit code 130; answers are saved as they come.
use std::io::{BufReader, IsTerminal, Write};

use anyhow::{Context, Result};

use super::Ui;
use super::plain::PlainUi;
use super::stdin::InterruptibleStdin;
use super::terminal::{TerminalUi, note_ctrl_c, restore_terminal};
use crate::env::Output;

/// What the command asked for.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    /// `--plain`.
    pub plain: bool,
    /// `--json`: stdout is kept for the JSON.
    pub json: bool,
}

/// The front end a loop talks to.
pub struct FrontEnd {
    ui: Box<dyn Ui>,
    terminal: bool,
}

impl FrontEnd {
    /// Builds the front end: terminal menus when stdin and stderr are terminals (and `TERM` is not `dumb`)
    /// and `--plain` was not given, else plain lines (saying why on stderr when `--plain` was not asked for).
    pub fn build(output: Output, wanted: Wanted) -> Result<FrontEnd> {
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        // A dumb terminal cannot move the cursor or show colour: menus would print as garbage.
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        // Plain text wraps at `COLUMNS` on a terminal (a dumb one too), never into a pipe or a file.
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&w| w > 0);
        let note = |text: &str| {
            let text = match columns.filter(|_| std::io::stderr().is_terminal()) {
                Some(width) => textwrap::fill(
                    text,
                    super::menu::options(width.saturating_sub(1).max(20), ""),
                ),
                None => text.to_string(),
            };
            eprintln!("{text}");
        };
        if !wanted.plain && !terminal {
            note(
                "note: stdin or stderr is not a terminal, so portquiz uses the plain line-based mode (--plain)",
            );
        } else if !wanted.plain && dumb {
            note(
                "note: TERM=dumb cannot show menus, so portquiz uses the plain line-based mode (--plain)",
            );
        }
        if wanted.plain || !terminal || dumb {
            let input = InterruptibleStdin::start().context("cannot install the Ctrl-C handler")?;
            let (out, out_is_terminal): (Box<dyn Write>, bool) = if wanted.json {
                (Box::new(std::io::stderr()), std::io::stderr().is_terminal())
            } else {
                (Box::new(std::io::stdout()), std::io::stdout().is_terminal())
            };
            let width = columns.filter(|_| out_is_terminal);
            return Ok(FrontEnd {
                ui: Box::new(PlainUi::new(BufReader::new(input), out).with_width(width)),
                terminal: false,
            });
        }
        ctrlc::set_handler(note_ctrl_c).context("cannot install the Ctrl-C handler")?;
        Ok(FrontEnd {
            ui: Box::new(TerminalUi::new(output, wanted.json)),
            terminal: true,
        })
    }

    /// The front end to talk to.
    pub fn ui(&mut self) -> &mut dyn Ui {
        self.ui.as_mut()
    }
}

impl Drop for FrontEnd {
    fn drop(&mut self) {
        if self.terminal {
            restore_terminal();
        }
    }
}

//! Colour, decided once per output stream: stdout and stderr each get their own answer, so
//! `portquiz check 2>err.txt` at a terminal colours the terminal and leaves no escape code in the file.
//! Commands write styled text (the [`style`] palette, via [`paint`]) to [`Output::stdout`] or
//! [`Output::stderr`]; a stream without colour strips the styles (`anstream`).
use std::ffi::OsString;
use std::fmt;
use std::io::IsTerminal;

use anstream::AutoStream;
use anstyle::Style;

use crate::cli::ColorChoice;

/// What the process environment says about colour, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColorVars {
    pub no_color: Option<OsString>,
    pub clicolor: Option<OsString>,
    pub clicolor_force: Option<OsString>,
    pub term: Option<OsString>,
}

impl ColorVars {
    /// Reads `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE` and `TERM`.
    pub fn from_process() -> Self {
        Self {
            no_color: std::env::var_os("NO_COLOR"),
            clicolor: std::env::var_os("CLICOLOR"),
            clicolor_force: std::env::var_os("CLICOLOR_FORCE"),
            term: std::env::var_os("TERM"),
        }
    }
}

/// Whether a stream gets colour. `--color always|never` wins. Under `auto`: `CLICOLOR_FORCE` (set, not
/// `0`) forces colour; a non-empty `NO_COLOR` turns it off (an empty one does not: no-color.org);
/// `CLICOLOR=0` turns it off; otherwise colour when the stream is a terminal other than `TERM=dumb`.
pub fn decide(choice: ColorChoice, is_terminal: bool, vars: &ColorVars) -> bool {
    let set_and_not =
        |value: &Option<OsString>, not: &str| value.as_ref().is_some_and(|v| v != not);
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set_and_not(&vars.clicolor_force, "0") {
                true
            } else if set_and_not(&vars.no_color, "")
                || vars.clicolor.as_ref().is_some_and(|v| v == "0")
            {
                false
            } else {
                is_terminal && vars.term.as_ref().is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Where results (stdout) and messages (stderr) go, and whether each gets colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    stdout_color: bool,
    stderr_color: bool,
}

impl Output {
    /// Decides for each stream from `--color`, the environment and whether it is a terminal.
    pub fn detect(choice: ColorChoice) -> Self {
        let vars = ColorVars::from_process();
        Self {
            stdout_color: decide(choice, std::io::stdout().is_terminal(), &vars),
            stderr_color: decide(choice, std::io::stderr().is_terminal(), &vars),
        }
    }

    /// An output with the given decisions (for tests).
    pub fn new(stdout_color: bool, stderr_color: bool) -> Self {
        Self {
            stdout_color,
            stderr_color,
        }
    }

    /// Whether stdout gets colour (for output that looks different without it, like `#` bars).
    pub fn stdout_color(&self) -> bool {
        self.stdout_color
    }

    /// Whether stderr gets colour (the terminal front end's prompts draw on stderr).
    pub fn stderr_color(&self) -> bool {
        self.stderr_color
    }

    /// Locked stdout that keeps styles when stdout gets colour and strips them otherwise.
    pub fn stdout(&self) -> AutoStream<std::io::StdoutLock<'static>> {
        AutoStream::new(std::io::stdout().lock(), choice(self.stdout_color))
    }

    /// Locked stderr that keeps styles when stderr gets colour and strips them otherwise.
    pub fn stderr(&self) -> AutoStream<std::io::StderrLock<'static>> {
        AutoStream::new(std::io::stderr().lock(), choice(self.stderr_color))
    }
}

fn choice(color: bool) -> anstream::ColorChoice {
    if color {
        anstream::ColorChoice::Always
    } else {
        anstream::ColorChoice::Never
    }
}

/// The styles portquiz uses, by meaning.
pub mod style {
    use anstyle::{AnsiColor, Color, Style};

    const fn fg(color: AnsiColor) -> Style {
        Style::new().fg_color(Some(Color::Ansi(color)))
    }

    /// "error" in a diagnostic.
    pub const ERROR: Style = fg(AnsiColor::Red).bold();
    /// A clean result ("ok").
    pub const OK: Style = fg(AnsiColor::Green);
    /// A conclusion drawn (`=>`).
    pub const CONCLUSION: Style = fg(AnsiColor::Green).bold();
    /// Something that could not be done here, not an error.
    pub const WARNING: Style = fg(AnsiColor::Yellow);
    /// A name to find in a list (an experiment id, a heading).
    pub const EMPHASIS: Style = Style::new().bold();
    /// Secondary text.
    pub const DIM: Style = Style::new().dimmed();
}

/// `text` in `style`: displays as the style's escape codes, the text and a reset (a stream without colour
/// strips the codes).
pub fn paint<T: fmt::Display>(style: Style, text: T) -> Painted<T> {
    Painted { style, text }
}

/// See [`paint`].
#[derive(Debug, Clone, Copy)]
pub struct Painted<T> {
    style: Style,
    text: T,
}

impl<T: fmt::Display> fmt::Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:#}", self.style, self.text, self.style)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> ColorVars {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        };
        ColorVars {
            no_color: get("NO_COLOR"),
            clicolor: get("CLICOLOR"),
            clicolor_force: get("CLICOLOR_FORCE"),
            term: get("TERM"),
        }
    }

    #[test]
    fn auto_colours_a_terminal_only() {
        let xterm = vars(&[("TERM", "xterm")]);
        assert!(decide(ColorChoice::Auto, true, &xterm));
        assert!(!decide(ColorChoice::Auto, false, &xterm));
        assert!(!decide(ColorChoice::Auto, true, &vars(&[("TERM", "dumb")])));
    }

    #[test]
    fn no_color_set_but_empty_does_not_disable_colour() {
        assert!(decide(ColorChoice::Auto, true, &vars(&[("NO_COLOR", "")])));
        assert!(!decide(
            ColorChoice::Auto,
            true,
            &vars(&[("NO_COLOR", "1")])
        ));
        assert!(!decide(
            ColorChoice::Auto,
            true,
            &vars(&[("CLICOLOR", "0")])
        ));
    }

    #[test]
    fn the_flag_wins_then_clicolor_force() {
        let everything = vars(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        assert!(!decide(
            ColorChoice::Never,
            true,
            &vars(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(decide(
            ColorChoice::Always,
            false,
            &vars(&[("NO_COLOR", "1")])
        ));
        assert!(decide(ColorChoice::Auto, false, &everything));
        assert!(!decide(
            ColorChoice::Auto,
            false,
            &vars(&[("CLICOLOR_FORCE", "0")])
        ));
    }

    #[test]
    fn paint_wraps_text_in_the_style_and_a_reset() {
        assert_eq!(
            paint(style::ERROR, "error").to_string(),
            "\x1b[1m\x1b[31merror\x1b[0m"
        );
        assert_eq!(paint(Style::new(), "plain").to_string(), "plain");
        // A stream without colour strips the codes.
        let mut plain = AutoStream::new(Vec::new(), choice(false));
        write!(plain, "{}", paint(style::ERROR, "error")).unwrap();
        assert_eq!(plain.into_inner(), b"error");
    }
}

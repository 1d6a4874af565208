//! Colour, decided once per output stream: stdout and stderr each get their own answer, so
//! `portquiz check 2>err.txt` at a terminal colours the terminal and leaves no escape code in the file.
//! Commands pick a style from the [`style`] palette for the stream they write to ([`Output::on_stdout`],
//! [`Output::on_stderr`], or [`when`] with a stream's bool) and [`paint`] text with it; a stream without colour
//! gets the empty style, which writes nothing. The text itself is never filtered (anstream's stripping
//! stream was tried: it also drops control bytes from the text, so what a diagnostic quotes from a file
//! would depend on colour). `--json` outputs go through [`write_json`], which stamps them with [`JSON_FORMAT`].
use std::ffi::OsString;
use std::fmt;
use std::io::{self, IsTerminal, Write};

use anstyle::Style;
use serde::Serialize;

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

    /// `style` for text written to stdout: itself when stdout gets colour, the empty style otherwise.
    pub fn on_stdout(&self, style: Style) -> Style {
        when(self.stdout_color, style)
    }

    /// `style` for text written to stderr: itself when stderr gets colour, the empty style otherwise.
    pub fn on_stderr(&self, style: Style) -> Style {
        when(self.stderr_color, style)
    }
}

/// `style` when `color`, else the empty style (which writes no escape code).
pub fn when(color: bool, style: Style) -> Style {
    if color { style } else { Style::new() }
}

/// The version of every `--json` shape (README, "JSON output"): the first key of each output, `"format": 1`.
/// Adding a key keeps it; renaming or removing one, or changing what a value means, raises it.
pub const JSON_FORMAT: u32 = 1;

/// A `--json` output: `format` first, then the body's own keys.
#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    format: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// Writes `body` (which must serialize as an object) as pretty JSON with `"format"` first, and a newline.
pub fn write_json(mut out: impl Write, body: &impl Serialize) -> io::Result<()> {
    let versioned = Versioned {
        format: JSON_FORMAT,
        body,
    };
    // Text from decks and other databases is data: DEL, C1 and bidi controls become `\uXXXX` escapes
    // (the same JSON value), as serde_json already writes C0 ones. Written as it is made, through a buffer.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut out);
    crate::safe::write_json(&mut buffered, &versioned).map_err(io::Error::from)?;
    writeln!(buffered)?;
    buffered.flush()?;
    drop(buffered);
    out.flush()
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

/// `text` in `style`: displays as the style's escape codes, the text and a reset; in the empty style, as
/// the text alone.
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
    fn json_starts_with_its_format() {
        #[derive(Serialize)]
        struct Body {
            decks: Vec<u8>,
        }
        let mut out = Vec::new();
        write_json(&mut out, &Body { decks: vec![1] }).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"format\": 1,\n  \"decks\": [\n    1\n  ]\n}\n"
        );
    }

    #[test]
    fn paint_wraps_text_in_the_style_and_a_reset_or_in_nothing() {
        assert_eq!(
            paint(style::ERROR, "error").to_string(),
            "\x1b[1m\x1b[31merror\x1b[0m"
        );
        let output = Output::new(true, false);
        assert_eq!(
            paint(output.on_stderr(style::ERROR), "error").to_string(),
            "error"
        );
        assert_eq!(
            paint(output.on_stdout(style::OK), "ok").to_string(),
            "\x1b[32mok\x1b[0m"
        );
        // Control bytes in the text are the text's business, not colour's: they pass either way.
        assert_eq!(
            paint(when(false, style::DIM), "a\x7fb").to_string(),
            "a\x7fb"
        );
    }
}

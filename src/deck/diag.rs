//! Diagnostics: one problem in a deck file, with its location, the offending line, and a fix.
//! A diagnostic holds its position and a handle on its file's shared [`Lines`], never a copy of the line:
//! a file with 100,000 problems on one 100 KB line costs 100,000 small records, and the line is cut when
//! the diagnostic is rendered. Rendering happens here and nowhere else, so every message has the same shape:
//!
//! ```text
//! decks/x.yaml:12:5: error: unknown key `promt` in a card
//!    |
//! 12 |     promt: What is a port?
//!    |     ^^^^^
//! help: did you mean `prompt`?
//! ```
use std::fmt::Write as _;

use serde::Serialize;

pub use super::lines::{Lines, yaml_lines};
use super::yaml::Pos;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary location that explains an error (e.g. where a duplicate id was first defined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub file: String,
    pub pos: Option<Pos>,
    pub message: String,
}

/// One problem found in a deck file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem, stable for scripts (`check --json`): `unknown-key`, `yaml-tab`, `no-explain`,
    /// ..., given where the diagnostic is made; every code is listed in decks/README.md ("Problem codes").
    pub code: &'static str,
    /// The file as the user named it (or `builtin:<name>` for decks compiled into the binary).
    pub file: String,
    pub pos: Option<Pos>,
    /// Width of the caret underline, in characters (at least 1).
    pub width: u32,
    pub message: String,
    /// The file's text and line index, shared by every diagnostic of the file: the excerpt is its line at
    /// `pos`, cut when rendered (see [`Self::source_line`]).
    #[serde(skip)]
    pub source: Option<Lines>,
    pub notes: Vec<Note>,
    pub help: Option<String>,
    /// How many more diagnostics of this kind (code and severity) the file has that were not kept (see
    /// [`Gathered`]); set on the last one kept of the kind, 0 on every other.
    #[serde(skip)]
    pub more: usize,
}

impl Diagnostic {
    /// An error at `pos` in `file`, of the kind `code` (see [`Self::code`]); `source` is the file's
    /// [`Lines`] (shared, no cost) or its whole text (scanned for the one line: for a one-off diagnostic,
    /// never one per line of a file).
    pub fn error(
        file: &str,
        source: impl Excerpt,
        pos: Option<Pos>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let source = pos.and_then(|p| source.excerpt(p.line));
        Self {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            pos,
            width: 1,
            message: one_line(message.into()),
            source,
            notes: Vec::new(),
            help: None,
            more: 0,
        }
    }

    /// A warning: like [`Self::error`], but it fails `check` only under `--deny-warnings`.
    pub fn warning(
        file: &str,
        source: impl Excerpt,
        pos: Option<Pos>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, source, pos, code, message)
        }
    }

    /// The source line at `pos`, for the excerpt.
    pub fn source_line(&self) -> Option<&str> {
        self.source.as_ref()?.line(self.pos?.line)
    }

    /// The same diagnostic with its excerpt cut from `source` (the text as written, when the diagnostic was
    /// found in a repaired copy with the same lines).
    pub fn excerpt_from(mut self, source: &Lines) -> Self {
        self.source = self.pos.and_then(|p| source.excerpt(p.line));
        self
    }

    /// Sets the caret width.
    pub fn width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width.max(1)).unwrap_or(1);
        self
    }

    /// Adds a `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(one_line(help.into()));
        self
    }

    /// Adds a note pointing at another place.
    pub fn note(mut self, file: &str, pos: Option<Pos>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            file: file.to_string(),
            pos,
            message: one_line(message.into()),
        });
        self
    }

    /// This error as the warning of a command that goes on without the file: `skipped: <message>`.
    pub fn skipped(&self) -> Self {
        Self {
            severity: Severity::Warning,
            message: format!("skipped: {}", self.message),
            ..self.clone()
        }
    }

    /// Renders the diagnostic as text (no colour; the caller may colour whole lines).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "{}: {level}: {}",
            crate::safe::line(&location(&self.file, self.pos)),
            crate::safe::line(&self.message)
        );
        if let (Some(pos), Some(line)) = (self.pos, self.source_line()) {
            let number = pos.line.to_string();
            let gutter = " ".repeat(number.len());
            // Deck text is shown safe (`\u{1b}`), so the caret moves by each escape's width, and a wide
            // character (CJK, emoji) takes two columns of the terminal.
            let chars: Vec<char> = line
                .chars()
                .take(200)
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            let shown = crate::safe::line(&chars.iter().collect::<String>()).into_owned();
            let columns = |cs: &[char]| -> usize { cs.iter().map(|&c| display_width(c)).sum() };
            let skipped = (pos.col.max(1) - 1) as usize;
            let before = &chars[..skipped.min(chars.len())];
            let col = columns(before) + skipped.saturating_sub(chars.len());
            let under = &chars[before.len()..(before.len() + self.width as usize).min(chars.len())];
            let width = columns(under).max(1);
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ = writeln!(out, "{gutter} | {}{}", " ".repeat(col), "^".repeat(width));
        }
        for note in &self.notes {
            let _ = writeln!(
                out,
                "{}: note: {}",
                crate::safe::line(&location(&note.file, note.pos)),
                crate::safe::line(&note.message)
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "help: {}", crate::safe::line(help));
        }
        out
    }
}

/// The diagnostics of one file as they are found, kept in file order; with a limit, at most that many of
/// one kind (code and severity), those first in the file, and a count of the rest (on the last one kept,
/// [`Diagnostic::more`]). A file with 150,000 problems then holds a few hundred at a time, never all of them:
/// `check` prints 20 of a kind and a count, and asks for every one only under `--all` and `--json`.
pub struct Gathered {
    limit: Option<usize>,
    items: Vec<Diagnostic>,
    /// Diagnostics dropped, per kind.
    hidden: std::collections::HashMap<(&'static str, Severity), usize>,
    /// The length at which the next [`Self::compact`] runs.
    next: usize,
}

impl Gathered {
    /// At most `limit` of a kind kept (`None`: every one).
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            items: Vec::new(),
            hidden: std::collections::HashMap::new(),
            next: if limit.is_some() {
                COMPACT_AT
            } else {
                usize::MAX
            },
        }
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
        if self.items.len() >= self.next {
            self.compact();
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics kept so far, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Adds every diagnostic of `other` (and its count of those not kept): as if each had been pushed here.
    pub fn absorb(&mut self, other: Gathered) {
        for (kind, n) in other.hidden {
            *self.hidden.entry(kind).or_insert(0) += n;
        }
        for d in other.items {
            self.push(d);
        }
    }

    /// Sorts into file order (stable: diagnostics at one position keep the order they were found in) and,
    /// with a limit, drops each kind past its first `limit`, counting them. A diagnostic dropped can never
    /// be among the first of its kind again, so compacting as they come keeps exactly those first in file.
    fn compact(&mut self) {
        self.items.sort_by_key(|d| d.pos);
        let Some(limit) = self.limit else { return };
        let mut seen: std::collections::HashMap<(&'static str, Severity), usize> =
            std::collections::HashMap::new();
        let hidden = &mut self.hidden;
        self.items.retain(|d| {
            let n = seen.entry((d.code, d.severity)).or_insert(0);
            *n += 1;
            if *n <= limit {
                return true;
            }
            *hidden.entry((d.code, d.severity)).or_insert(0) += 1;
            false
        });
        self.next = (2 * self.items.len()).max(COMPACT_AT);
    }

    /// The diagnostics kept, in file order, each kind's count of the rest on its last one.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.compact();
        for d in self.items.iter_mut().rev() {
            if let Some(n) = self.hidden.remove(&(d.code, d.severity)) {
                d.more = n;
            }
        }
        self.items
    }
}

/// Diagnostics gathered before the first compaction of a [`Gathered`] with a limit.
const COMPACT_AT: usize = 1024;

/// The terminal columns `c` takes as shown: the length of its escape for a character shown escaped, two
/// for a wide one (CJK, most emoji), none for a combining mark.
fn display_width(c: char) -> usize {
    match crate::safe::shown_width(c) {
        1 => unicode_width::UnicodeWidthChar::width(c).unwrap_or(1),
        escaped => escaped,
    }
}

/// `text` with control characters escaped (`\n` for a line break), so that a message quoting a deck value
/// stays on the one line that starts with its location.
fn one_line(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What a diagnostic can cut its excerpt from: a file's [`Lines`] or its text.
pub trait Excerpt {
    /// A handle on line `line` (1-based) of the file, if it has one.
    fn excerpt(self, line: u32) -> Option<Lines>;
}

impl Excerpt for &Lines {
    fn excerpt(self, line: u32) -> Option<Lines> {
        self.line(line).is_some().then(|| self.clone())
    }
}

impl Excerpt for &str {
    fn excerpt(self, line: u32) -> Option<Lines> {
        Lines::one(self, line)
    }
}

impl Excerpt for &String {
    fn excerpt(self, line: u32) -> Option<Lines> {
        Lines::one(self, line)
    }
}

fn location(file: &str, pos: Option<Pos>) -> String {
    match pos {
        Some(p) => format!("{file}:{}:{}", p.line, p.col),
        None => file.to_string(),
    }
}

/// Closest candidate within a small edit distance, for "did you mean" hints.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("promt", &["prompt", "options"]), Some("prompt"));
        assert_eq!(suggest("explanation", &["explain", "hint"]), None);
        assert_eq!(suggest("explian", &["explain", "hint"]), Some("explain"));
        assert_eq!(suggest("zzz", &["id", "type"]), None);
    }

    #[test]
    fn lines_end_at_every_yaml_line_break() {
        fn lines(t: &str) -> Vec<&str> {
            yaml_lines(t).collect()
        }
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("a\nb\n"), ["a", "b"]);
        assert_eq!(lines("a\r\nb"), ["a", "b"]);
        assert_eq!(lines("a\rb\r\r\nc\n\n"), ["a", "b", "", "c", ""]);
        let d = Diagnostic::error(
            "d.yaml",
            "a: 1\rb: 2\r",
            Some(Pos { line: 2, col: 1 }),
            "x",
            "x",
        );
        assert_eq!(d.source_line(), Some("b: 2"));
        let lines = Lines::new("a: 1\rb: 2\r");
        let d = Diagnostic::error("d.yaml", &lines, Some(Pos { line: 2, col: 1 }), "x", "x");
        assert_eq!(d.source_line(), Some("b: 2"));
    }

    #[test]
    fn messages_quoting_values_stay_on_one_line() {
        let d = Diagnostic::error("d.yaml", "", None, "bad-id", "bad id `a\nb\tc`")
            .help("use `a-b`\r")
            .note("d.yaml", None, "x\u{7}");
        assert_eq!(
            d.render(),
            "d.yaml: error: bad id `a\\nb\\tc`\nd.yaml: note: x\\u{7}\nhelp: use `a-b`\\r\n"
        );
    }

    #[test]
    fn carets_count_terminal_columns_of_wide_characters() {
        let src = "prompt: 端口 🔌 and yes\n";
        let d = Diagnostic::error("d.yaml", src, Some(Pos { line: 1, col: 18 }), "x", "x").width(3);
        assert_eq!(
            d.render(),
            "d.yaml:1:18: error: x\n  |\n1 | prompt: 端口 🔌 and yes\n  |                     ^^^\n"
        );
        let d = Diagnostic::error("d.yaml", src, Some(Pos { line: 1, col: 9 }), "x", "x").width(2);
        assert_eq!(
            d.render(),
            "d.yaml:1:9: error: x\n  |\n1 | prompt: 端口 🔌 and yes\n  |         ^^^^\n"
        );
    }

    #[test]
    fn gathered_keeps_the_first_of_each_kind_in_file_order_and_counts_the_rest() {
        let at = |line: u32, code: &'static str| {
            Diagnostic::error(
                "d.yaml",
                "",
                Some(Pos { line, col: 1 }),
                code,
                format!("{code}{line}"),
            )
        };
        // 3,000 tabs found last line first (past a compaction), then two unknown keys, with a limit of 2.
        let mut g = Gathered::new(Some(2));
        for line in (1..=3000).rev() {
            g.push(at(line, "yaml-tab"));
        }
        g.push(at(7, "unknown-key"));
        g.push(at(1, "unknown-key"));
        let kept: Vec<(String, usize)> = g
            .finish()
            .into_iter()
            .map(|d| (d.message, d.more))
            .collect();
        assert_eq!(
            kept,
            [
                ("yaml-tab1".to_string(), 0),
                ("unknown-key1".to_string(), 0),
                ("yaml-tab2".to_string(), 2998),
                ("unknown-key7".to_string(), 0),
            ]
        );
        // Without a limit: every one, in file order, none counted.
        let mut g = Gathered::new(None);
        for line in (1..=3000).rev() {
            g.push(at(line, "yaml-tab"));
        }
        let all = g.finish();
        assert_eq!(all.len(), 3000);
        assert!(
            all.windows(2)
                .all(|w| w[0].pos < w[1].pos && w[0].more == 0)
        );
    }

    #[test]
    fn renders_excerpt_with_caret() {
        let src = "a: 1\n  promt: x\n";
        let d = Diagnostic::error(
            "d.yaml",
            src,
            Some(Pos { line: 2, col: 3 }),
            "unknown-key",
            "unknown key `promt`",
        )
        .width(5)
        .help("did you mean `prompt`?");
        assert_eq!(
            d.render(),
            "d.yaml:2:3: error: unknown key `promt`\n  |\n2 |   promt: x\n  |   ^^^^^\nhelp: did you mean `prompt`?\n"
        );
    }
}

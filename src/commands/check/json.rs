//! `portquiz check --json`: every problem (errors and warnings, in file order) and each deck's guesser
//! figures as one JSON object, the shape documented in README's "JSON output".
use anyhow::Result;
use serde::Serialize;

use crate::deck::compile::Library;
use crate::deck::guess::Guess;
use crate::deck::lint::Lint;
use crate::deck::{DeckId, Diagnostic, Severity};
use crate::env::Exit;
use crate::env::output::write_json;

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    deck_count: usize,
    card_count: usize,
    problems: Vec<Problem<'a>>,
    /// Per deck, what the test-wise guesser made of it.
    fairness: Vec<Fairness<'a>>,
}

#[derive(Serialize)]
struct Fairness<'a> {
    deck: &'a DeckId,
    #[serde(flatten)]
    guess: &'a Guess,
}

/// One problem. Lines and columns count from 1; `column`/`end_column` count characters (Unicode scalar
/// values), `column_utf16`/`end_column_utf16` UTF-16 code units as editors (LSP) do; the end is just after
/// the underlined text, on the same line.
#[derive(Serialize)]
struct Problem<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    column_utf16: Option<u32>,
    end_column_utf16: Option<u32>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    /// Other places that explain this one (where a duplicate id was first defined, ...).
    notes: Vec<NoteOut<'a>>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

/// The UTF-16 column of the character column `col` (from 1) of `line`; past the end, one unit a column.
fn utf16_column(line: &str, col: u32) -> u32 {
    let before = col.saturating_sub(1) as usize;
    let units: usize = line.chars().take(before).map(char::len_utf16).sum();
    let past = before.saturating_sub(line.chars().count());
    u32::try_from(units + past + 1).unwrap_or(u32::MAX)
}

impl<'a> From<&'a Diagnostic> for Problem<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        let end = d.pos.map(|p| p.col.saturating_add(d.width.max(1)));
        let line = d.source_line().unwrap_or_default();
        Problem {
            file: &d.file,
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.col),
            end_line: d.pos.map(|p| p.line),
            end_column: end,
            column_utf16: d.pos.map(|p| utf16_column(line, p.col)),
            end_column_utf16: end.map(|c| utf16_column(line, c)),
            severity: d.severity,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
            notes: d
                .notes
                .iter()
                .map(|n| NoteOut {
                    file: &n.file,
                    line: n.pos.map(|p| p.line),
                    column: n.pos.map(|p| p.col),
                    message: &n.message,
                })
                .collect(),
        }
    }
}

/// A check that could not run (a missing file, an unreadable folder) as JSON on stdout, exit 2.
pub(super) fn write_failure(error: &anyhow::Error) -> Result<Exit> {
    #[derive(Serialize)]
    struct Failure {
        ok: bool,
        error: String,
    }
    write_json(
        std::io::stdout().lock(),
        &Failure {
            ok: false,
            error: format!("{error:#}"),
        },
    )?;
    Ok(Exit::Failure)
}

/// Writes the report of `lib` and `warnings` to stdout; exit 1 on an error, or on a warning when `deny`.
pub(super) fn write(
    lib: &Library,
    lints: &[Lint],
    warnings: &[Diagnostic],
    deny: bool,
) -> Result<Exit> {
    let mut all: Vec<&Diagnostic> = lib.diagnostics.iter().chain(warnings).collect();
    all.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    let failed = !lib.diagnostics.is_empty() || (deny && !warnings.is_empty());
    let report = Report {
        ok: !failed,
        deck_count: lib.decks.len(),
        card_count: lib.decks.iter().map(|d| d.cards.len()).sum(),
        problems: all.into_iter().map(Problem::from).collect(),
        fairness: lints
            .iter()
            .map(|l| Fairness {
                deck: &l.figures.deck,
                guess: &l.guess,
            })
            .collect(),
    };
    write_json(std::io::stdout().lock(), &report)?;
    Ok(if failed { Exit::Problems } else { Exit::Ok })
}

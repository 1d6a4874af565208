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

#[derive(Serialize)]
struct Problem<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for Problem<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Problem {
            file: &d.file,
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.col),
            severity: d.severity,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
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

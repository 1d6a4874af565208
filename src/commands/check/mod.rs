//! `portquiz check`: compiles deck files and reports every problem, then a one-line summary.
use std::io::Write;

use anyhow::Result;

use crate::library;

mod json;
mod practicals;
mod warnings;
use crate::cli::CheckArgs;
use crate::deck::{Severity, compile};
use crate::env::output::{paint, style};
use crate::env::{Env, Exit};
use crate::text::plural;

/// Runs `portquiz check`. Exit 0 when clean, 1 when any error, 2 when it could not run.
pub fn run(env: &Env, args: &CheckArgs) -> Result<Exit> {
    let sources = if args.paths.is_empty() {
        library::all_sources(env)?
    } else {
        library::read_paths(&args.paths)?
    };
    let lib = compile::compile(&sources, &library::known());
    let warnings = warnings::all(env, &sources, &lib.decks);
    if args.json {
        return json::write(&lib, &warnings, args.deny_warnings);
    }
    let mut stderr = std::io::stderr().lock();
    let error = format!(": {}: ", paint(env.output.on_stderr(style::ERROR), "error"));
    let warning = format!(
        ": {}: ",
        paint(env.output.on_stderr(style::WARNING), "warning")
    );
    let mut all: Vec<_> = lib.diagnostics.iter().chain(&warnings).collect();
    all.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    for d in all {
        let text = d.render();
        let text = match d.severity {
            Severity::Error => text.replacen(": error: ", &error, 1),
            Severity::Warning => text.replacen(": warning: ", &warning, 1),
        };
        write!(stderr, "{text}")?;
    }
    drop(stderr);
    let errors = lib.diagnostics.len();
    let mut code = Exit::Ok;
    if errors == 0 {
        let cards: usize = lib.decks.iter().map(|d| d.cards.len()).sum();
        let verdict = match (warnings.len(), args.deny_warnings) {
            (0, _) => paint(env.output.on_stdout(style::OK), "ok").to_string(),
            (n, false) => format!(
                "{} ({})",
                paint(env.output.on_stdout(style::OK), "ok"),
                plural(n, "warning")
            ),
            (n, true) => {
                code = Exit::Problems;
                format!("{}, denied by --deny-warnings", plural(n, "warning"))
            }
        };
        crate::outln!(
            "{}, {}: {verdict}",
            plural(lib.decks.len(), "deck"),
            plural(cards, "card"),
        )?;
    } else {
        crate::outln!(
            "{} in {}",
            plural(errors, "error"),
            plural(lib.files_with_errors, "deck")
        )?;
        code = Exit::Problems;
    }
    if args.practicals {
        code = code.max(practicals::check(env, &lib.decks)?);
    }
    Ok(code)
}

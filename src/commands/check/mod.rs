//! `portquiz check`: compiles deck files and reports every problem, then a one-line summary.
use std::io::Write;

use anyhow::Result;

use crate::library;

mod practicals;
use crate::cli::CheckArgs;
use crate::deck::compile;
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
    let mut lib = compile::compile(&sources, &library::known());
    // Follow-ups that leave their deck can only be checked once every deck is compiled.
    let across = crate::deck::validate::check_follow_ups_across(&lib.decks, &sources);
    let files: std::collections::HashSet<&str> = across.iter().map(|d| d.file.as_str()).collect();
    lib.files_with_errors += files.len();
    lib.diagnostics.extend(across);
    let mut stderr = std::io::stderr().lock();
    let error = format!(": {}: ", paint(env.output.on_stderr(style::ERROR), "error"));
    for d in &lib.diagnostics {
        write!(stderr, "{}", d.render().replacen(": error: ", &error, 1))?;
    }
    drop(stderr);
    let errors = lib.diagnostics.len();
    let mut code = Exit::Ok;
    if errors == 0 {
        let cards: usize = lib.decks.iter().map(|d| d.cards.len()).sum();
        crate::outln!(
            "{}, {}: {}",
            plural(lib.decks.len(), "deck"),
            plural(cards, "card"),
            paint(env.output.on_stdout(style::OK), "ok")
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

//! `portquiz check`: compiles deck files and reports every problem, then a one-line summary.
use anyhow::Result;
use colored::Colorize;

use super::library;
use crate::app::{EXIT_PROBLEMS, Env};
use crate::cli::CheckArgs;
use crate::deck::compile;
use crate::deck::diag::plural;

/// Runs `portquiz check`. Exit 0 when clean, 1 when any error, 2 when it could not run.
pub fn run(env: &Env, args: &CheckArgs) -> Result<u8> {
    let sources = if args.paths.is_empty() {
        library::all_sources(env)?
    } else {
        library::read_paths(&args.paths)?
    };
    let lib = compile::compile(&sources, &library::known());
    for d in &lib.diagnostics {
        let text = d.render();
        if env.color {
            eprint!(
                "{}",
                text.replacen(": error: ", &format!(": {}: ", "error".red().bold()), 1)
            );
        } else {
            eprint!("{text}");
        }
    }
    let errors = lib.diagnostics.len();
    let mut code = 0;
    if errors == 0 {
        let cards: usize = lib.decks.iter().map(|d| d.cards.len()).sum();
        crate::outln!(
            "{}, {}: {}",
            plural(lib.decks.len(), "deck"),
            plural(cards, "card"),
            if env.color {
                "ok".green().to_string()
            } else {
                "ok".into()
            }
        )?;
    } else {
        crate::outln!(
            "{} in {}",
            plural(errors, "error"),
            plural(lib.files_with_errors, "deck")
        )?;
        code = EXIT_PROBLEMS;
    }
    if args.practicals {
        code = code.max(super::practicals::check(env, &lib.decks)?);
    }
    Ok(code)
}

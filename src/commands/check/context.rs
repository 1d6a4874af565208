//! What `check FILE` checks against: every other deck `study` would load (the built-in decks, the data
//! dir's decks, `--deck` paths), so a follow-up into a built-in deck resolves and a deck id taken by a
//! loaded deck is an error naming the clash. Only FILE's own problems are reported.
use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Result;

use crate::deck::Severity;
use crate::deck::compile::{Library, Source};
use crate::env::Env;
use crate::library;

/// Every source portquiz would load for `env`, except the files among `checked` (the same file named
/// another way, e.g. relative and absolute, is recognised by its canonical path) and the built-in decks
/// whose file name a checked file has.
pub(super) fn others(env: &Env, checked: &[Source]) -> Result<Vec<Source>> {
    let canonical = |name: &str| std::fs::canonicalize(name).ok();
    let skip: HashSet<PathBuf> = checked.iter().filter_map(|s| canonical(&s.name)).collect();
    let names: HashSet<&str> = checked.iter().map(|s| s.name.as_str()).collect();
    // A checked file named like a built-in deck's file is that deck's source being edited (portquiz's own
    // `decks/`): it stands in for the built-in copy instead of clashing with it.
    let file_names: HashSet<&str> = checked
        .iter()
        .filter_map(|s| std::path::Path::new(&s.name).file_name()?.to_str())
        .collect();
    Ok(library::all_sources(env)?
        .into_iter()
        .filter(|s| !names.contains(s.name.as_str()))
        .filter(|s| {
            s.name
                .strip_prefix("builtin:")
                .is_none_or(|n| !file_names.contains(n))
        })
        .filter(|s| canonical(&s.name).is_none_or(|p| !skip.contains(&p)))
        .collect())
}

/// Keeps in `lib` only the diagnostics about `checked` files and counts the files with errors among them
/// again. Returns how many decks of `context` compiled (the decks FILE was checked against), or `None`
/// when there is no context (a plain `check` checks everything).
pub(super) fn keep_checked(
    lib: &mut Library,
    checked: &[Source],
    context: &[Source],
) -> Option<usize> {
    if context.is_empty() {
        return None;
    }
    let names: HashSet<&str> = checked.iter().map(|s| s.name.as_str()).collect();
    lib.diagnostics.retain(|d| names.contains(d.file.as_str()));
    lib.files_with_errors = files_with_errors(&lib.diagnostics);
    let context: HashSet<&str> = context.iter().map(|s| s.name.as_str()).collect();
    Some(
        lib.decks
            .iter()
            .filter(|d| context.contains(d.origin.as_str()))
            .count(),
    )
}

/// The number of distinct files with at least one error among `diagnostics`.
pub(super) fn files_with_errors(diagnostics: &[crate::deck::Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.as_str())
        .collect::<HashSet<_>>()
        .len()
}

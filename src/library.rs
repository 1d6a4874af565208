//! Which decks a command sees: the built-in set, `<data-dir>/decks/`, and `--deck` paths, restricted to
//! `--deck` ids when any are given.
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::deck::load::{self, Library, Source};
use crate::deck::{Deck, Known};
use crate::env::Env;

/// The experiment and lab names decks may use: the practical catalogue.
pub fn known() -> Known<'static> {
    Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    }
}

/// Reads every file under `paths` (files or directories).
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in paths {
        for file in load::find_files(path)? {
            sources.push(load::read_source(&file)?);
        }
    }
    Ok(sources)
}

/// Every source portquiz would load for this environment (before restricting to `--deck` ids).
pub fn all_sources(env: &Env) -> Result<Vec<Source>> {
    let mut sources = load::builtin_sources();
    let user = env.user_decks_dir();
    if user.is_dir() {
        sources.extend(read_paths(&[user])?);
    }
    sources.extend(read_paths(&env.decks.paths)?);
    Ok(sources)
}

/// The decks a study-like command uses. Files with errors are skipped with a warning on stderr.
pub fn load_decks(env: &Env) -> Result<Vec<Deck>> {
    let sources = all_sources(env)?;
    let lib = crate::deck::cache::compile_cached(
        &sources,
        &known(),
        &env.data_dir.join("cache").join("decks.json"),
    );
    if lib.files_with_errors > 0 {
        eprintln!(
            "warning: skipped {} deck file{} with errors; run `portquiz check` to see them",
            lib.files_with_errors,
            if lib.files_with_errors == 1 { "" } else { "s" }
        );
    }
    restrict(env, lib)
}

fn restrict(env: &Env, lib: Library) -> Result<Vec<Deck>> {
    let ids = &env.decks.ids;
    if !env.decks.restricts() {
        return Ok(lib.decks);
    }
    let path_names: Vec<String> = env
        .decks
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for id in ids {
        if !lib.decks.iter().any(|d| &d.id == id) {
            let available: Vec<&str> = lib.decks.iter().map(|d| d.id.as_str()).collect();
            bail!(
                "no deck has the id `{id}`; the loaded decks are: {}",
                available.join(", ")
            );
        }
    }
    Ok(lib
        .decks
        .into_iter()
        .filter(|d| {
            ids.iter().any(|id| d.id == *id)
                || path_names.iter().any(|p| d.origin.starts_with(p.as_str()))
        })
        .collect())
}

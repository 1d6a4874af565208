//! Which decks a command sees: the built-in set, `<data-dir>/decks/`, and `--deck` paths, restricted to
//! `--deck` ids when any are given. The join of those decks' cards with their stored states lives in
//! [`crate::join`] (re-exported here), below both the commands and the quiz loops.
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::deck::cache::Cache;
use crate::deck::compile::Source;
use crate::deck::diag::Diagnostic;
use crate::deck::load::{self, Loaded, Stamp};
use crate::deck::{Cards, Deck, DeckHead, Known};
use crate::env::Env;
pub use crate::join::{CardWithState, StoredStates, with_states};

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
        sources.extend(load::read_path(path)?);
    }
    Ok(sources)
}

/// Every source portquiz would load for this environment (before restricting to `--deck` ids).
pub fn all_sources(env: &Env) -> Result<Vec<Source>> {
    Ok(all_loaded(env, &|_, _| false)?
        .into_iter()
        .filter_map(Loaded::into_source)
        .collect())
}

/// Like [`all_sources`], leaving unread the files for which `known(name, stamp)` is true.
fn all_loaded(env: &Env, known: &dyn Fn(&str, &Stamp) -> bool) -> Result<Vec<Loaded>> {
    let mut loaded: Vec<Loaded> = load::builtin_sources()
        .into_iter()
        .map(|source| Loaded::Read(source, None))
        .collect();
    let user = env.user_decks_dir();
    if user.is_dir() {
        loaded.extend(load::read_path_unless(&user, known)?);
    }
    for path in &env.decks.paths {
        loaded.extend(load::read_path_unless(path, known)?);
    }
    Ok(loaded)
}

/// The decks a study-like command uses. Files with errors are skipped with a warning on stderr. Decks
/// come from the deck cache when their files are unchanged; a file whose stamp (size, times, inode) is
/// unchanged since an earlier run is not even read.
pub fn load_decks(env: &Env) -> Result<Vec<Deck>> {
    let (cache, loaded, unread) = open_library(env)?;
    let lib = cache.compile(loaded, &known());
    warn(&unread, lib.files_with_errors);
    restrict(env, lib.decks)
}

/// The decks' heads (ids, types and prompts, no answers), for the commands that count, list or schedule
/// cards: like [`load_decks`], with the same warnings, but when nothing changed only the heads are decoded
/// from the cache (at 100,000 cards, decoding every text was most of `cards` and `stats`).
pub fn load_heads(env: &Env) -> Result<Vec<DeckHead>> {
    let (cache, loaded, unread) = open_library(env)?;
    let heads = cache.heads(loaded, &known());
    warn(&unread, heads.files_with_errors);
    restrict(env, heads.decks)
}

/// The deck cache, the deck files (those the cache knows unchanged left unread), and the diagnostics of the
/// files that could not be read.
fn open_library(env: &Env) -> Result<(Cache, Vec<Loaded>, Vec<Diagnostic>)> {
    let cache = Cache::open(&env.data_dir.join("cache").join("decks.bin"), &known());
    let loaded = all_loaded(env, &|name, stamp| cache.knows(name, stamp))?;
    let unread = loaded
        .iter()
        .filter_map(|l| match l {
            Loaded::Read(source, _) => source.text.as_ref().err().cloned(),
            Loaded::Unread { .. } => None,
        })
        .collect();
    Ok((cache, loaded, unread))
}

/// Names the files that could not be read and counts those with bad content, on stderr.
fn warn(unread: &[Diagnostic], files_with_errors: usize) {
    for d in unread {
        eprint!("{}", d.skipped().render());
    }
    let bad = files_with_errors.saturating_sub(unread.len());
    if bad > 0 {
        eprintln!(
            "warning: skipped {} with errors; run `portquiz check` to see them",
            crate::text::plural(bad, "deck file")
        );
    }
}

/// The decks `--deck` asks for (all when it names none): by id, or by being under a `--deck` path.
fn restrict<D: Cards>(env: &Env, decks: Vec<D>) -> Result<Vec<D>> {
    let ids = &env.decks.ids;
    env.decks
        .notes()
        .iter()
        .for_each(|note| eprintln!("{note}"));
    if !env.decks.restricts() {
        return Ok(decks);
    }
    let path_names: Vec<String> = env
        .decks
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for id in ids {
        if !decks.iter().any(|d| d.deck_id() == id) {
            let available: Vec<&str> = decks.iter().map(|d| d.deck_id().as_str()).collect();
            bail!(
                "no deck has the id `{id}`; the loaded decks are: {}",
                available.join(", ")
            );
        }
    }
    Ok(decks
        .into_iter()
        .filter(|d| {
            ids.iter().any(|id| d.deck_id() == id)
                || path_names
                    .iter()
                    .any(|p| d.origin().starts_with(p.as_str()))
        })
        .collect())
}

//! A cache of compiled decks, so start-up does not re-parse YAML that has not changed. Entries are keyed by
//! the source's name and a hash of its text (plus the portquiz version and the known experiment names), so
//! an edited file is always re-checked. The cache is an optimisation only: a missing, unreadable, corrupt or
//! unwritable cache file is ignored and rebuilt.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::load::{Library, Source};
use super::model::Deck;
use super::validate::Known;

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    /// Changes whenever the portquiz version or the known experiment names change.
    salt: u64,
    /// Source name -> (text hash, compiled deck).
    entries: HashMap<String, (u64, Deck)>,
}

fn hash_of(parts: &[&str]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        part.hash(&mut hasher);
    }
    hasher.finish()
}

fn salt(known: &Known) -> u64 {
    let mut parts: Vec<&str> = vec![env!("CARGO_PKG_VERSION")];
    parts.extend(known.experiments.iter().copied());
    parts.push("|");
    parts.extend(known.labs.iter().copied());
    hash_of(&parts)
}

/// Compiles `sources`, reusing decks from the cache file at `path` whose text is unchanged, and writes the
/// cache back when anything new was compiled. Diagnostics are the same as [`super::load::compile`].
pub fn compile_cached(sources: &[Source], known: &Known, path: &Path) -> Library {
    let salt = salt(known);
    let mut cache: CacheFile = std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
        .filter(|c| c.salt == salt)
        .unwrap_or_else(|| CacheFile {
            salt,
            entries: HashMap::new(),
        });
    let hashes: Vec<Option<u64>> = sources
        .iter()
        .map(|s| s.text.as_ref().ok().map(|t| hash_of(&[t])))
        .collect();
    let old_entries = cache.entries.len();
    // Moved out of the cache, never copied: at 10,000 cards each copy of the decks costs milliseconds.
    let cached: Vec<Option<Deck>> = sources
        .iter()
        .zip(&hashes)
        .map(|(s, h)| {
            let h = (*h)?;
            match cache.entries.remove(&s.name) {
                Some((hash, deck)) if hash == h => Some(deck),
                _ => None,
            }
        })
        .collect();
    let from_cache: Vec<bool> = cached.iter().map(Option::is_some).collect();
    let lib = super::load::compile_with(sources, known, cached);
    let mut changed = false;
    let mut entries = 0;
    for deck in &lib.decks {
        if let Some(i) = sources.iter().position(|s| s.name == deck.origin)
            && hashes[i].is_some()
        {
            changed |= !from_cache[i];
            entries += 1;
        }
    }
    changed |= entries != old_entries;
    if changed {
        cache.entries = lib
            .decks
            .iter()
            .filter_map(|deck| {
                let i = sources.iter().position(|s| s.name == deck.origin)?;
                Some((deck.origin.clone(), (hashes[i]?, deck.clone())))
            })
            .collect();
        write_atomically(path, &cache);
    }
    lib
}

fn write_atomically(path: &Path, cache: &CacheFile) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if serde_json::to_writer(&mut tmp, cache).is_ok() {
        let _ = tmp.persist(path);
    }
}

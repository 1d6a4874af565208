//! A cache of compiled decks, so start-up does not re-parse YAML that has not changed. Entries are keyed by
//! the source's name and a hash of its text (plus the portquiz version and the known experiment names), so
//! an edited file is always re-checked. The cache is an optimisation only: a missing, unreadable, corrupt or
//! unwritable cache file is ignored and rebuilt.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::compile::{Library, Source};
use super::model::Deck;
use super::par::par_map;
use super::validate::Known;

/// The cache file's whole shape (what [`CacheOut`] writes), read back by the tests.
#[cfg(test)]
#[derive(Debug, Default, Deserialize)]
struct CacheFile {
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
    // The second part names the deck model's shape, so a cache written before a field was added is rebuilt.
    let mut parts: Vec<&str> = vec![env!("CARGO_PKG_VERSION"), "model: follow_up"];
    parts.extend(known.experiments.iter().copied());
    parts.push("|");
    parts.extend(known.labs.iter().copied());
    hash_of(&parts)
}

/// The cache file as read: each deck left as raw JSON, to be parsed only if its source is unchanged, and
/// in parallel.
#[derive(Deserialize)]
struct RawCacheFile<'a> {
    salt: u64,
    #[serde(borrow)]
    entries: HashMap<String, (u64, &'a RawValue)>,
}

/// Parses the wanted cached decks, spread over the cores (a 10,000-card library is about 6 MB of JSON).
/// An entry that does not parse is `None`: its source is compiled again.
fn parse_decks(wanted: &[Option<&RawValue>]) -> Vec<Option<Deck>> {
    par_map(wanted, |w| {
        w.and_then(|json| serde_json::from_str::<Deck>(json.get()).ok())
    })
}

/// Compiles `sources`, reusing decks from the cache file at `path` whose text is unchanged, and writes the
/// cache back when anything new was compiled. Diagnostics are the same as [`super::compile::compile`].
pub fn compile_cached(sources: &[Source], known: &Known, path: &Path) -> Library {
    let salt = salt(known);
    let bytes = std::fs::read(path).unwrap_or_default();
    let raw: Option<RawCacheFile> = serde_json::from_slice::<RawCacheFile>(&bytes)
        .ok()
        .filter(|c| c.salt == salt);
    let hashes: Vec<Option<u64>> = sources
        .iter()
        .map(|s| s.text.as_ref().ok().map(|t| hash_of(&[t])))
        .collect();
    let old_entries = raw.as_ref().map_or(0, |c| c.entries.len());
    let wanted: Vec<Option<&RawValue>> = sources
        .iter()
        .zip(&hashes)
        .map(|(s, h)| {
            let (hash, json) = raw.as_ref()?.entries.get(&s.name)?;
            (Some(*hash) == *h).then_some(*json)
        })
        .collect();
    let cached = parse_decks(&wanted);
    let from_cache: Vec<bool> = cached.iter().map(Option::is_some).collect();
    let lib = super::compile::compile_with(sources, known, cached);
    // Source index by name: a linear search per deck is quadratic in a folder of 10,000 files.
    let index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .rev()
        .collect();
    let mut changed = false;
    let mut entries = 0;
    for deck in &lib.decks {
        if let Some(&i) = index.get(deck.origin.as_str())
            && hashes[i].is_some()
        {
            changed |= !from_cache[i];
            entries += 1;
        }
    }
    changed |= entries != old_entries;
    if changed {
        // Unchanged decks are written back as the JSON they were read from: an edited deck in a large
        // library re-serialises only itself.
        let entries = lib
            .decks
            .iter()
            .filter_map(|deck| {
                let i = *index.get(deck.origin.as_str())?;
                let entry = match wanted[i] {
                    Some(json) if from_cache[i] => Entry::Raw(json),
                    _ => Entry::Compiled(deck),
                };
                Some((deck.origin.as_str(), (hashes[i]?, entry)))
            })
            .collect();
        write_atomically(path, &CacheOut { salt, entries });
    }
    lib
}

/// The cache file as written: borrowed from the library just compiled and the file just read.
#[derive(Serialize)]
struct CacheOut<'a> {
    /// Changes whenever the portquiz version or the known experiment names change.
    salt: u64,
    /// Source name -> (text hash, compiled deck).
    entries: HashMap<&'a str, (u64, Entry<'a>)>,
}

/// One deck to write: the cached JSON as it was read, or a deck compiled in this run.
#[derive(Serialize)]
#[serde(untagged)]
enum Entry<'a> {
    Raw(&'a RawValue),
    Compiled(&'a Deck),
}

/// Writes the cache through a buffer (unbuffered, serde_json makes one `write` call per token: 6.5
/// million at 100,000 cards) into a temporary file renamed over the old one.
fn write_atomically(path: &Path, cache: &CacheOut) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp);
    if serde_json::to_writer(&mut out, cache).is_ok()
        && let Ok(tmp) = out.into_inner()
    {
        let _ = tmp.persist(path);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const KNOWN: Known<'static> = Known {
        experiments: &[],
        labs: &[],
    };

    fn source(name: &str, id: &str, prompt: &str) -> Source {
        Source {
            name: name.into(),
            text: Ok(format!(
                "format: 1\nid: {id}\ntitle: T\ncards:\n  - id: c\n    type: truefalse\n    prompt: {prompt}\n    answer: true\n"
            )),
        }
    }

    fn prompts(lib: &Library) -> Vec<(String, String)> {
        lib.decks
            .iter()
            .map(|d| (d.id.to_string(), d.cards[0].prompt.clone()))
            .collect()
    }

    #[test]
    fn reuses_unchanged_decks_rechecks_edited_ones_and_ignores_a_corrupt_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("decks.json");
        let v1 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Second."),
        ];
        let first = compile_cached(&v1, &KNOWN, &path);
        assert_eq!(
            prompts(&first),
            prompts(&super::super::compile::compile(&v1, &KNOWN))
        );
        let written = std::fs::read(&path).unwrap();

        // Unchanged sources: the same decks, and the cache file is not rewritten.
        let again = compile_cached(&v1, &KNOWN, &path);
        assert_eq!(again.decks, first.decks);
        assert_eq!(std::fs::read(&path).unwrap(), written);

        // An edited source is compiled again; the other still comes from the cache.
        let v2 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Edited."),
        ];
        let edited = compile_cached(&v2, &KNOWN, &path);
        assert_eq!(
            prompts(&edited),
            vec![
                ("a".into(), "First.".into()),
                ("b".into(), "Edited.".into())
            ]
        );

        // A corrupt cache is ignored and rebuilt.
        std::fs::write(&path, b"{not json").unwrap();
        let rebuilt = compile_cached(&v2, &KNOWN, &path);
        assert_eq!(rebuilt.decks, edited.decks);
        assert_eq!(compile_cached(&v2, &KNOWN, &path).decks, edited.decks);
        assert!(serde_json::from_slice::<CacheFile>(&std::fs::read(&path).unwrap()).is_ok());
    }

    #[test]
    fn an_edit_rewrites_only_the_edited_deck_and_copies_the_others_as_they_were_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decks.json");
        let v1 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Second."),
        ];
        compile_cached(&v1, &KNOWN, &path);
        // Indent deck a's cached JSON by hand: a re-serialised entry would lose the spaces.
        let text = std::fs::read_to_string(&path).unwrap();
        let raw: RawCacheFile = serde_json::from_str(&text).unwrap();
        let a = raw.entries["a.yaml"].1.get();
        let pretty =
            serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(a).unwrap())
                .unwrap();
        let text = text.replacen(a, &pretty, 1);
        std::fs::write(&path, &text).unwrap();

        let v2 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Edited."),
        ];
        let edited = compile_cached(&v2, &KNOWN, &path);
        let written = std::fs::read_to_string(&path).unwrap();
        let raw: RawCacheFile = serde_json::from_str(&written).unwrap();
        assert_eq!(raw.entries["a.yaml"].1.get(), pretty);
        let cached: CacheFile = serde_json::from_str(&written).unwrap();
        assert_eq!(cached.entries["b.yaml"].1.cards[0].prompt, "Edited.");
        assert_eq!(
            prompts(&edited),
            vec![
                ("a".into(), "First.".into()),
                ("b".into(), "Edited.".into())
            ]
        );
    }
}

//! A cache of compiled decks, so start-up does not re-parse YAML that has not changed. Entries are keyed by
//! the source's name and a hash of its text (plus the portquiz version and the known experiment names), so
//! an edited file is always re-checked. The cache is an optimisation only: a missing, unreadable, corrupt or
//! unwritable cache file is ignored and rebuilt.
//!
//! The file is binary ([`postcard`]): a magic line, the length of a header, the header (salt, and per
//! source its name, text hash and where its deck's bytes are), then each deck's bytes. A deck is decoded
//! only when its source is unchanged, each on its own slice and in parallel, and an unchanged deck is
//! written back as the bytes it was read from. Decoding postcard is several times cheaper than parsing the
//! same decks from JSON (no field names, no escapes, no buffering of the card type's tag), and the file is
//! smaller.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::compile::{Library, Source};
use super::model::Deck;
use super::par::par_map;
use super::validate::Known;

/// The first bytes of a cache file; the digit changes with the layout.
const MAGIC: &[u8; 8] = b"PQDECKS1";

/// The file name of the cache written by portquiz 0.1 before the binary layout; removed when the new one
/// is written.
pub const OLD_JSON_CACHE: &str = "decks.json";

fn hash_of(parts: &[&str]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        part.hash(&mut hasher);
    }
    hasher.finish()
}

fn salt(known: &Known) -> u64 {
    // The second part names the deck model's shape, so a cache written before a field was added is rebuilt.
    let mut parts: Vec<&str> = vec![env!("CARGO_PKG_VERSION"), "model: follow_up, postcard"];
    parts.extend(known.experiments.iter().copied());
    parts.push("|");
    parts.extend(known.labs.iter().copied());
    hash_of(&parts)
}

/// The header: what the file holds and where.
#[derive(Debug, Serialize, Deserialize)]
struct Header<S> {
    /// Changes whenever the portquiz version or the known experiment names change.
    salt: u64,
    entries: Vec<Entry<S>>,
}

/// One source's compiled deck.
#[derive(Debug, Serialize, Deserialize)]
struct Entry<S> {
    /// The source's name (`builtin:<file>` or the path as given).
    name: S,
    /// Hash of the source's text when the deck was compiled.
    hash: u64,
    /// Where the deck's bytes start, counted from the end of the header.
    start: u64,
    len: u64,
}

/// A cache file as read: the header, and each entry's deck bytes lent from the file.
struct Read<'a> {
    salt: u64,
    entries: HashMap<&'a str, (u64, &'a [u8])>,
}

impl<'a> Read<'a> {
    /// Splits a cache file into its entries; `None` when it is not one (another layout, cut short, corrupt).
    fn parse(bytes: &'a [u8]) -> Option<Read<'a>> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let (header, blobs) = rest.split_at_checked(len)?;
        let header: Header<&str> = postcard::from_bytes(header).ok()?;
        let mut entries = HashMap::with_capacity(header.entries.len());
        for e in header.entries {
            let start = usize::try_from(e.start).ok()?;
            let end = start.checked_add(usize::try_from(e.len).ok()?)?;
            entries.insert(e.name, (e.hash, blobs.get(start..end)?));
        }
        Some(Read {
            salt: header.salt,
            entries,
        })
    }
}

/// Decodes the wanted cached decks, spread over the cores. An entry that does not decode is `None`: its
/// source is compiled again.
fn decode_decks(wanted: &[Option<&[u8]>]) -> Vec<Option<Deck>> {
    par_map(wanted, |w| w.and_then(|bytes| postcard::from_bytes::<Deck>(bytes).ok()))
}

/// Compiles `sources`, reusing decks from the cache file at `path` whose text is unchanged, and writes the
/// cache back when anything new was compiled. Diagnostics are the same as [`super::compile::compile`].
pub fn compile_cached(sources: &[Source], known: &Known, path: &Path) -> Library {
    let salt = salt(known);
    let bytes = std::fs::read(path).unwrap_or_default();
    let read: Option<Read> = Read::parse(&bytes).filter(|c| c.salt == salt);
    let hashes: Vec<Option<u64>> = sources
        .iter()
        .map(|s| s.text.as_ref().ok().map(|t| hash_of(&[t])))
        .collect();
    let old_entries = read.as_ref().map_or(0, |c| c.entries.len());
    let wanted: Vec<Option<&[u8]>> = sources
        .iter()
        .zip(&hashes)
        .map(|(s, h)| {
            let (hash, bytes) = read.as_ref()?.entries.get(s.name.as_str())?;
            (Some(*hash) == *h).then_some(*bytes)
        })
        .collect();
    let cached = decode_decks(&wanted);
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
        // Unchanged decks are written back as the bytes they were read from: an edited deck in a large
        // library encodes only itself.
        let mut header = Header {
            salt,
            entries: Vec::new(),
        };
        let mut blobs: Vec<std::borrow::Cow<[u8]>> = Vec::new();
        let mut at = 0u64;
        for deck in &lib.decks {
            let Some(&i) = index.get(deck.origin.as_str()) else {
                continue;
            };
            let Some(hash) = hashes[i] else { continue };
            let blob = match wanted[i] {
                Some(bytes) if from_cache[i] => std::borrow::Cow::Borrowed(bytes),
                _ => match postcard::to_allocvec(deck) {
                    Ok(bytes) => std::borrow::Cow::Owned(bytes),
                    Err(_) => continue,
                },
            };
            let len = blob.len() as u64;
            header.entries.push(Entry {
                name: deck.origin.as_str(),
                hash,
                start: at,
                len,
            });
            at += len;
            blobs.push(blob);
        }
        write_atomically(path, &header, &blobs);
    }
    lib
}

/// Writes the cache through a buffer into a temporary file renamed over the old one, then removes the
/// JSON cache of earlier versions beside it.
fn write_atomically(path: &Path, header: &Header<&str>, blobs: &[std::borrow::Cow<[u8]>]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(header) = postcard::to_allocvec(header) else {
        return;
    };
    let Ok(tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp);
    let written = out
        .write_all(MAGIC)
        .and_then(|()| out.write_all(&(header.len() as u64).to_le_bytes()))
        .and_then(|()| out.write_all(&header))
        .and_then(|()| blobs.iter().try_for_each(|b| out.write_all(b)));
    if written.is_ok()
        && let Ok(tmp) = out.into_inner()
        && tmp.persist(path).is_ok()
    {
        let _ = std::fs::remove_file(dir.join(OLD_JSON_CACHE));
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

    /// Each entry of the cache file at `path`: (name, hash, the deck's bytes).
    fn entries(path: &Path) -> Vec<(String, u64, Vec<u8>)> {
        let bytes = std::fs::read(path).unwrap();
        let read = Read::parse(&bytes).expect("a cache file");
        let mut out: Vec<_> = read
            .entries
            .iter()
            .map(|(name, (hash, blob))| (name.to_string(), *hash, blob.to_vec()))
            .collect();
        out.sort();
        out
    }

    /// Replaces `from` by `to` (same length) in the cache file's bytes: a deck then decodes with the
    /// change only if it is taken from the cache.
    fn tamper(path: &Path, from: &str, to: &str) {
        assert_eq!(from.len(), to.len());
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .expect("text in the cache");
        bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn reuses_unchanged_decks_rechecks_edited_ones_and_ignores_a_corrupt_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join("decks.bin");
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
        assert!(written.starts_with(MAGIC));

        // Unchanged sources: the same decks, and the cache file is not rewritten.
        let again = compile_cached(&v1, &KNOWN, &path);
        assert_eq!(again.decks, first.decks);
        assert_eq!(std::fs::read(&path).unwrap(), written);

        // Unchanged decks come from the cache (a change made there shows), an edited one is compiled again.
        tamper(&path, "First.", "Fir5t.");
        tamper(&path, "Second.", "Secon6.");
        let v2 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Edited."),
        ];
        let edited = compile_cached(&v2, &KNOWN, &path);
        assert_eq!(
            prompts(&edited),
            vec![
                ("a".into(), "Fir5t.".into()),
                ("b".into(), "Edited.".into())
            ]
        );

        // A corrupt or cut-short cache is ignored and rebuilt; nothing panics.
        let good = std::fs::read(&path).unwrap();
        let mut huge = good[..MAGIC.len()].to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        for bad in [
            b"{not a cache".to_vec(),
            Vec::new(),
            MAGIC.to_vec(),
            huge,
            good[..good.len() / 2].to_vec(),
            good[..good.len() - 1].to_vec(),
        ] {
            std::fs::write(&path, &bad).unwrap();
            let rebuilt = compile_cached(&v2, &KNOWN, &path);
            assert_eq!(
                prompts(&rebuilt),
                vec![
                    ("a".into(), "First.".into()),
                    ("b".into(), "Edited.".into())
                ]
            );
            assert_eq!(entries(&path).len(), 2);
        }
    }

    #[test]
    fn an_edit_rewrites_only_the_edited_deck_and_copies_the_others_as_they_were_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decks.bin");
        let v1 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Second."),
        ];
        compile_cached(&v1, &KNOWN, &path);
        let before = entries(&path);

        let v2 = vec![
            source("a.yaml", "a", "First."),
            source("b.yaml", "b", "Edited."),
        ];
        compile_cached(&v2, &KNOWN, &path);
        let after = entries(&path);
        assert_eq!(after[0], before[0], "deck a is kept as it was");
        assert_eq!(after[1].0, "b.yaml");
        assert_ne!(after[1].1, before[1].1, "deck b's text hash changed");
        let b: Deck = postcard::from_bytes(&after[1].2).unwrap();
        assert_eq!(b.cards[0].prompt, "Edited.");

        // A source gone from the library leaves the cache.
        compile_cached(&v2[..1], &KNOWN, &path);
        assert_eq!(entries(&path), vec![before[0].clone()]);
    }

    #[test]
    fn writing_the_binary_cache_removes_the_json_cache_of_earlier_versions() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(OLD_JSON_CACHE);
        std::fs::write(&old, "{}").unwrap();
        compile_cached(
            &[source("a.yaml", "a", "First.")],
            &KNOWN,
            &dir.path().join("decks.bin"),
        );
        assert!(!old.exists());
        assert_eq!(entries(&dir.path().join("decks.bin")).len(), 1);
    }

    #[test]
    fn every_built_in_deck_comes_back_from_the_cache_as_it_was_compiled() {
        let known = crate::library::known();
        let lib = super::super::compile::compile(&super::super::load::builtin_sources(), &known);
        assert!(lib.decks.len() > 5 && lib.diagnostics.is_empty());
        for deck in &lib.decks {
            let bytes = postcard::to_allocvec(deck).unwrap();
            let back: Deck = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(&back, deck, "{}", deck.id);
        }
    }
}

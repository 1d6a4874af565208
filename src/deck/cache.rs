//! A cache of compiled decks, so start-up does not re-parse YAML that has not changed. Entries are keyed by
//! the source's name and a hash of its text (plus the portquiz version and the known experiment names), so
//! an edited file is always re-checked. The cache is an optimisation only: a missing, unreadable, corrupt or
//! unwritable cache file is ignored and rebuilt.
//!
//! The file is binary ([`postcard`]): a magic line, the length of a header, the header (salt, the time the
//! writing run started, and per source its name, text hash, file stamp, where its `id:` is, and where its
//! bytes are), then each deck's bytes: its head ([`DeckHead`]) and then the whole deck. Only the header is
//! read whole; a deck (or only its head, for the commands that need no card text) is read with `pread` and
//! decoded when its source is unchanged, in parallel, and an unchanged deck is written back as the bytes it
//! was read from. A file whose stamp is unchanged and was settled when the cache was written is not read at
//! all ([`Cache::knows`]). Decoding postcard is several times cheaper than parsing the same decks from JSON
//! (no field names, no escapes, no buffering of the card type's tag), and the file is smaller.
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::compile::{Input, Library, id_pos};
use super::load::{Loaded, Stamp};
use super::model::{Deck, DeckHead};
use super::par::par_map;
use super::source::Source;
use super::validate::Known;
use super::yaml::Pos;

/// The first bytes of a cache file; the digit changes with the layout.
const MAGIC: &[u8; 8] = b"PQDECKS4";

/// The largest header read (its length is in the file, so a damaged length must not decide an allocation):
/// about 150 bytes a deck file, so 16 MB is 100,000 files.
const MAX_HEADER_BYTES: u64 = 16 * 1024 * 1024;

/// The largest deck entry read: a deck file holds at most [`super::load::MAX_DECK_BYTES`] of YAML, and its
/// compiled bytes are smaller than the text (tables expand, so four times is the margin).
const MAX_ENTRY_BYTES: u64 = 4 * super::load::MAX_DECK_BYTES;

/// The checksum of a part of the file: a flipped bit in a cached prompt is found, and that deck compiled
/// again from its source. foldhash with a fixed seed: fast (a few ms for the 26 MB of 100,000 cards), the
/// same in every run of a build; another build's different value only makes it compile again.
fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5051_4445_434b_5334).hash_one(bytes)
}

/// The file name of the cache written by portquiz 0.1 before the binary layout; removed when the new one
/// is written.
pub const OLD_JSON_CACHE: &str = "decks.json";

/// How long before a run started reading a file's stamp must be for that run to trust it later: an edit
/// made after the read gets a later `ctime` (file times tick at most a few milliseconds behind the clock),
/// so an unchanged stamp that old means unchanged text. Younger files are read and hashed.
const SETTLE_NANOS: i128 = 1_000_000_000;

fn hash_of(parts: &[&str]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for part in parts {
        part.hash(&mut hasher);
    }
    hasher.finish()
}

fn salt(known: &Known) -> u64 {
    // The second part names the deck model's shape, so a cache written before a field was added is rebuilt.
    let mut parts: Vec<&str> = vec![
        env!("CARGO_PKG_VERSION"),
        "model: follow_up, lab params, postcard",
    ];
    parts.extend(known.experiments.iter().copied());
    parts.push("|");
    parts.extend(known.labs.iter().copied());
    hash_of(&parts)
}

/// Nanoseconds since the Unix epoch, as file times are compared.
fn nanos((secs, nsecs): (i64, i64)) -> i128 {
    i128::from(secs) * 1_000_000_000 + i128::from(nsecs)
}

fn now_nanos() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0))
}

/// The header: what the file holds and where.
#[derive(Debug, Serialize, Deserialize)]
struct Header<S> {
    /// Changes whenever the portquiz version or the known experiment names change.
    salt: u64,
    /// When the run that wrote the file started reading deck files (nanoseconds since the epoch).
    read_at: i128,
    entries: Vec<Entry<S>>,
    /// The length of all decks' bytes after the header: the file's length must be exactly the header's end
    /// plus this (a file cut short, or grown, is not used).
    blobs_len: u64,
}

/// One source's compiled deck.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry<S> {
    /// The source's name (`builtin:<file>` or the path as given).
    name: S,
    /// Hash of the source's text when the deck was compiled.
    hash: u64,
    /// The file's stamp when it was read (`None` for built-in decks).
    stamp: Option<Stamp>,
    /// Where the source's `id:` value is (line, column), for duplicate-id diagnostics without the text.
    id_pos: (u32, u32),
    /// Where the deck's bytes start, counted from the end of the header: its head, then the whole deck.
    start: u64,
    len: u64,
    /// The length of the head, the first part of the bytes.
    head_len: u64,
    /// [`checksum`] of the head's bytes and of the whole deck's bytes.
    head_sum: u64,
    deck_sum: u64,
}

/// The deck cache file as read at start-up: its entries by source name, and the decks' bytes.
pub struct Cache {
    path: PathBuf,
    salt: u64,
    /// When this run started: the `read_at` of the file it writes.
    started: i128,
    /// The open file and its length: each deck (or head) is read from it when wanted, so the file is
    /// never in memory whole (26 MB at 100,000 cards, of which `cards` and `stats` want a fifth).
    file: Option<(std::fs::File, u64)>,
    /// Where the decks' bytes begin in the file.
    blobs_at: u64,
    read_at: i128,
    entries: HashMap<String, Entry<String>>,
    /// [`SETTLE_NANOS`], shorter in tests.
    settle: i128,
}

impl Cache {
    /// Reads the cache file at `path` (a missing, unreadable or corrupt one, or one written for other
    /// experiment names or another version, is an empty cache).
    pub fn open(path: &Path, known: &Known) -> Cache {
        let mut cache = Cache {
            path: path.to_path_buf(),
            salt: salt(known),
            started: now_nanos(),
            file: None,
            blobs_at: 0,
            read_at: 0,
            entries: HashMap::new(),
            settle: SETTLE_NANOS,
        };
        // `.tmp*`: what `tempfile` names the file a write is renamed from; a killed run leaves it.
        if let Some(dir) = path.parent() {
            crate::open::remove_stale_temporaries(dir, ".tmp");
        }
        // Never a FIFO (it would block) or a device: only a regular file is opened.
        let Ok(mut file) = crate::open::open_regular(path) else {
            return cache;
        };
        let Ok(len) = file.metadata().map(|m| m.len()) else {
            return cache;
        };
        if let Some((header, blobs_at)) = read_header(&mut file, len)
            && header.salt == cache.salt
            && blobs_at.checked_add(header.blobs_len) == Some(len)
        {
            cache.read_at = header.read_at;
            cache.blobs_at = blobs_at;
            cache.entries = header
                .entries
                .into_iter()
                .map(|e| (e.name.clone(), e))
                .collect();
            cache.file = Some((file, len));
        }
        cache
    }

    /// Whether the deck of the file `name` is in the cache for exactly this `stamp`, and the stamp is old
    /// enough to be trusted (see [`SETTLE_NANOS`]): then the file need not be read.
    pub fn knows(&self, name: &str, stamp: &Stamp) -> bool {
        self.entries.get(name).is_some_and(|e| {
            e.stamp.as_ref() == Some(stamp)
                && settled(stamp, self.read_at, self.settle)
                && self.in_file(e, 0, e.len).is_some()
        })
    }

    /// Where `len` bytes at `offset` in an entry's bytes are in the file; `None` when they lie outside the
    /// entry or the file (a corrupt header).
    fn in_file(&self, e: &Entry<String>, offset: u64, len: u64) -> Option<u64> {
        let (_, file_len) = self.file.as_ref()?;
        if e.len > MAX_ENTRY_BYTES {
            return None;
        }
        let end_in_entry = offset.checked_add(len)?;
        let at = self.blobs_at.checked_add(e.start)?.checked_add(offset)?;
        (end_in_entry <= e.len && at.checked_add(len)? <= *file_len).then_some(at)
    }

    /// `len` bytes at `offset` in an entry's bytes, read from the file.
    fn read(&self, e: &Entry<String>, offset: u64, len: u64) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let at = self.in_file(e, offset, len)?;
        let (file, _) = self.file.as_ref()?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        file.read_exact_at(&mut bytes, at).ok()?;
        Some(bytes)
    }

    /// An entry's bytes: its head then its whole deck; `None` when either part fails its checksum.
    fn blob(&self, e: &Entry<String>) -> Option<Vec<u8>> {
        let bytes = self.read(e, 0, e.len)?;
        let (head, deck) = bytes.split_at_checked(usize::try_from(e.head_len).ok()?)?;
        (checksum(head) == e.head_sum && checksum(deck) == e.deck_sum).then_some(bytes)
    }

    /// An entry's whole deck, decoded; `None` when it cannot be read, fails its checksum or cannot be
    /// decoded (it is compiled again). The head is checked too, so a deck taken from the cache can be
    /// copied into the next one as it is.
    fn deck(&self, e: &Entry<String>) -> Option<Deck> {
        let bytes = self.blob(e)?;
        postcard::from_bytes(bytes.get(usize::try_from(e.head_len).ok()?..)?).ok()
    }

    /// An entry's head, decoded; `None` when it fails its checksum.
    fn head(&self, e: &Entry<String>) -> Option<DeckHead> {
        let bytes = self.read(e, 0, e.head_len)?;
        (checksum(&bytes) == e.head_sum)
            .then(|| postcard::from_bytes(&bytes).ok())
            .flatten()
    }

    /// Per loaded file: its text hash, and its cache entry when it is for this text.
    fn wanted(&self, loaded: &[Loaded]) -> (Vec<Option<u64>>, Vec<Option<&Entry<String>>>) {
        loaded
            .iter()
            .map(|item| {
                let entry = self.entries.get(item.name());
                let hash = match item {
                    Loaded::Read(source, _) => source.text.as_ref().ok().map(|t| hash_of(&[t])),
                    Loaded::Unread { .. } => entry.map(|e| e.hash),
                };
                (hash, entry.filter(|e| Some(e.hash) == hash))
            })
            .unzip()
    }

    /// The decks' heads ([`DeckHead`]): decoded alone when every file's deck is in the cache (the common
    /// case: nothing changed), else taken from [`Cache::compile`]. A second deck with an id already seen
    /// is left out and counted as a file with errors, as `compile` does.
    pub fn heads(self, loaded: Vec<Loaded>, known: &Known) -> Heads {
        let (_, wanted) = self.wanted(&loaded);
        // A file read only because its stamp was too young when the cache was written (or was touched) and
        // that the next run could trust: compiled below, so the cache is written back and the next run does
        // not read it again (heads alone never write: `stats` after a fresh checkout read every deck file
        // on every run).
        let settles = loaded.iter().any(|item| {
            matches!(item, Loaded::Read(_, Some(stamp)) if settled(stamp, self.started, self.settle))
        });
        if !settles && wanted.iter().all(Option::is_some) {
            let heads = par_map(&wanted, |w| self.head((*w)?));
            if heads.iter().all(Option::is_some) {
                let mut out = Heads::default();
                let mut seen = std::collections::HashSet::new();
                for head in heads.into_iter().flatten() {
                    if seen.insert(head.id.clone()) {
                        out.decks.push(head);
                    } else {
                        out.files_with_errors += 1;
                    }
                }
                return out;
            }
        }
        let lib = self.compile(loaded, known);
        Heads {
            decks: lib.decks.iter().map(Deck::head).collect(),
            files_with_errors: lib.files_with_errors,
        }
    }

    /// Compiles the loaded files (in order), taking each deck whose text is unchanged from the cache, and
    /// writes the cache back when anything changed. Diagnostics are those of
    /// [`super::compile::compile`] (a duplicate-id one about a cached deck without its source line).
    pub fn compile(self, loaded: Vec<Loaded>, known: &Known) -> Library {
        let (mut hashes, wanted) = self.wanted(&loaded);
        // Spread over the cores (100 decks of 1,000 cards: 40 ms on two).
        let mut decoded = par_map(&wanted, |w| self.deck((*w)?));
        // A file left unread whose cached deck does not decode after all is read now.
        let reread: Vec<Option<(Source, Option<Stamp>)>> = loaded
            .iter()
            .zip(&decoded)
            .map(|(item, deck)| match (item, deck) {
                (Loaded::Unread { name, .. }, None) => Some(read_again(name)),
                _ => None,
            })
            .collect();
        for (i, again) in reread.iter().enumerate() {
            if let Some((source, _)) = again {
                hashes[i] = source.text.as_ref().ok().map(|t| hash_of(&[t]));
            }
        }
        let from_cache: Vec<bool> = decoded.iter().map(Option::is_some).collect();
        // Where each file's `id:` is: from the cache for cached decks, from the text for the others.
        let positions: Vec<Option<Pos>> = loaded
            .iter()
            .zip(&reread)
            .zip(&from_cache)
            .map(|((item, again), &cached)| {
                if cached {
                    let e = self.entries.get(item.name())?;
                    return Some(Pos {
                        line: e.id_pos.0,
                        col: e.id_pos.1,
                    });
                }
                let source = match (item, again) {
                    (_, Some((source, _))) | (Loaded::Read(source, _), None) => source,
                    (Loaded::Unread { .. }, None) => return None,
                };
                source.text.as_ref().ok().map(|t| id_pos(t))
            })
            .collect();
        let inputs: Vec<Input> = loaded
            .iter()
            .zip(&reread)
            .zip(decoded.iter_mut())
            .zip(&positions)
            .filter_map(|(((item, again), deck), pos)| {
                Some(match (deck.take(), again, item) {
                    (Some(deck), _, _) => Input::Ready {
                        name: item.name(),
                        deck,
                        id_pos: (*pos)?,
                    },
                    (None, Some((source, _)), _) | (None, None, Loaded::Read(source, _)) => {
                        Input::Source(source)
                    }
                    (None, None, Loaded::Unread { .. }) => return None,
                })
            })
            .collect();
        let lib = super::compile::compile_to_load(inputs, known);
        let stamps: Vec<Option<Stamp>> = loaded
            .iter()
            .zip(&reread)
            .map(|(item, again)| match (item, again) {
                (_, Some((_, stamp))) => *stamp,
                (Loaded::Read(_, stamp), None) => *stamp,
                (Loaded::Unread { stamp, .. }, None) => Some(*stamp),
            })
            .collect();
        self.write_back(
            &lib,
            &loaded,
            &hashes,
            &stamps,
            &positions,
            &wanted,
            &from_cache,
        );
        lib
    }

    /// Writes the cache again when a deck was compiled, a source left, or a file's stamp changed in a way
    /// the next run could trust (a `touch`ed file is then not read again).
    #[allow(clippy::too_many_arguments)]
    fn write_back(
        &self,
        lib: &Library,
        loaded: &[Loaded],
        hashes: &[Option<u64>],
        stamps: &[Option<Stamp>],
        positions: &[Option<Pos>],
        wanted: &[Option<&Entry<String>>],
        from_cache: &[bool],
    ) {
        // Source index by name: a linear search per deck is quadratic in a folder of 10,000 files.
        let index: HashMap<&str, usize> = loaded
            .iter()
            .enumerate()
            .map(|(i, item)| (item.name(), i))
            .rev()
            .collect();
        let mut changed = false;
        let mut kept = 0;
        for deck in &lib.decks {
            if let Some(&i) = index.get(deck.origin.as_str())
                && hashes[i].is_some()
            {
                changed |= !from_cache[i];
                // A stamp the next run would trust and this file could not: a new one, or one that was
                // too young when the cache was written (the file was read again only for that).
                let old = self.entries.get(deck.origin.as_str()).and_then(|e| e.stamp);
                changed |= stamps[i].is_some_and(|s| {
                    settled(&s, self.started, self.settle)
                        && (old != Some(s) || !settled(&s, self.read_at, self.settle))
                });
                kept += 1;
            }
        }
        if !changed && kept == self.entries.len() {
            return;
        }
        // Unchanged decks are written back as the bytes they were read from: an edited deck in a large
        // library encodes only itself.
        let mut header = Header {
            salt: self.salt,
            read_at: self.started,
            entries: Vec::new(),
            blobs_len: 0,
        };
        // Cached decks are copied from the old file while the new one is written, one at a time.
        let mut blobs: Vec<Blob> = Vec::new();
        let mut at = 0u64;
        for deck in &lib.decks {
            let Some(&i) = index.get(deck.origin.as_str()) else {
                continue;
            };
            let (Some(hash), Some(pos)) = (hashes[i], positions[i]) else {
                continue;
            };
            let (blob, len, head_len, sums) = match wanted[i] {
                Some(e) if from_cache[i] => {
                    (Blob::Cached(e), e.len, e.head_len, (e.head_sum, e.deck_sum))
                }
                _ => match encode(deck) {
                    Some((bytes, head_len)) => {
                        let len = bytes.len() as u64;
                        let (head, rest) = bytes.split_at(usize::try_from(head_len).unwrap_or(0));
                        let sums = (checksum(head), checksum(rest));
                        (Blob::Encoded(bytes), len, head_len, sums)
                    }
                    None => continue,
                },
            };
            header.entries.push(Entry {
                name: deck.origin.as_str(),
                hash,
                stamp: stamps[i],
                id_pos: (pos.line, pos.col),
                start: at,
                len,
                head_len,
                head_sum: sums.0,
                deck_sum: sums.1,
            });
            at += len;
            blobs.push(blob);
        }
        header.blobs_len = at;
        let bytes = blobs.iter().map(|blob| match blob {
            Blob::Cached(e) => self.blob(e).map(Cow::Owned),
            Blob::Encoded(bytes) => Some(Cow::Borrowed(bytes.as_slice())),
        });
        write_atomically(&self.path, &header, bytes);
    }
}

/// A deck's bytes for the cache being written: copied from the old file, or just encoded.
enum Blob<'a> {
    Cached(&'a Entry<String>),
    Encoded(Vec<u8>),
}

/// Whether a file with `stamp` was last changed at least `settle` nanoseconds before `read_at`.
fn settled(stamp: &Stamp, read_at: i128, settle: i128) -> bool {
    nanos(stamp.ctime).max(nanos(stamp.mtime)) < read_at - settle
}

/// Reads one file the cache skipped, when its cached deck turned out unusable.
fn read_again(name: &str) -> (Source, Option<Stamp>) {
    let gone = || Source {
        name: name.to_string(),
        text: Err(super::diag::Diagnostic::error(
            name,
            "",
            None,
            "file-changed",
            "the file changed while portquiz was reading it",
        )
        .help("run the command again")),
    };
    match super::load::read_path_unless(Path::new(name), &|_, _| false) {
        Ok(mut found) if found.len() == 1 => match found.pop() {
            Some(Loaded::Read(source, stamp)) => (source, stamp),
            _ => (gone(), None),
        },
        _ => (gone(), None),
    }
}

/// Splits a cache file into its header and where the decks' bytes begin; `None` when it is not one
/// (another layout, cut short, corrupt).
fn parse_header(bytes: &[u8]) -> Option<(Header<String>, usize)> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (len, rest) = rest.split_first_chunk::<8>()?;
    let (sum, rest) = rest.split_first_chunk::<8>()?;
    let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
    let header = rest.get(..len)?;
    if checksum(header) != u64::from_le_bytes(*sum) {
        return None;
    }
    let header: Header<String> = postcard::from_bytes(header).ok()?;
    Some((header, START + len))
}

/// The bytes before the header: the magic line, the header's length and its checksum.
const START: usize = MAGIC.len() + 16;

/// The decks (or only their heads) of files whose decks all came from the cache.
#[derive(Debug, Default)]
pub struct Heads {
    pub decks: Vec<DeckHead>,
    /// Files left out: a deck id seen before (the files that could not be compiled are in
    /// [`Library::files_with_errors`] when the heads come from a compile).
    pub files_with_errors: usize,
}

/// A deck's bytes in the cache, with the length of their first part: its head, then the whole deck, so
/// that the commands that need only heads read and decode only those.
fn encode(deck: &Deck) -> Option<(Vec<u8>, u64)> {
    let bytes = postcard::to_allocvec(&deck.head()).ok()?;
    let head_len = bytes.len() as u64;
    Some((postcard::to_extend(deck, bytes).ok()?, head_len))
}

/// Reads a cache file's header: the header and where the decks' bytes begin; `None` when the file is not
/// a cache file of this layout (or is cut short, or corrupt).
fn read_header(file: &mut std::fs::File, file_len: u64) -> Option<(Header<String>, u64)> {
    let mut start = [0; START];
    file.read_exact(&mut start).ok()?;
    let len = u64::from_le_bytes(*start[MAGIC.len()..].first_chunk::<8>()?);
    // A length the file cannot hold, or larger than any header, is damage: nothing is allocated for it.
    if len > file_len.saturating_sub(START as u64) || len > MAX_HEADER_BYTES {
        return None;
    }
    let mut bytes = start.to_vec();
    bytes.resize(start.len() + usize::try_from(len).ok()?, 0);
    file.read_exact(&mut bytes[start.len()..]).ok()?;
    let (header, blobs_at) = parse_header(&bytes)?;
    Some((header, blobs_at as u64))
}

/// Writes the cache through a buffer into a temporary file renamed over the old one, then removes the
/// JSON cache of earlier versions beside it.
fn write_atomically<'a>(
    path: &Path,
    header: &Header<&str>,
    mut blobs: impl Iterator<Item = Option<Cow<'a, [u8]>>>,
) {
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
        .and_then(|()| out.write_all(&checksum(&header).to_le_bytes()))
        .and_then(|()| out.write_all(&header))
        .and_then(|()| {
            blobs.try_for_each(|b| match b {
                Some(bytes) => out.write_all(&bytes),
                None => Err(std::io::Error::other(
                    "a cached deck could not be read again",
                )),
            })
        });
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

    /// Compiles `sources` (read, without stamps) through the cache at `path`.
    fn compile_cached(sources: &[Source], known: &Known, path: &Path) -> Library {
        let loaded = sources
            .iter()
            .cloned()
            .map(|s| Loaded::Read(s, None))
            .collect();
        Cache::open(path, known).compile(loaded, known)
    }

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
        let cache = Cache::open(path, &KNOWN);
        assert!(!cache.entries.is_empty(), "a cache file");
        let mut out: Vec<_> = cache
            .entries
            .values()
            .map(|e| (e.name.clone(), e.hash, cache.blob(e).unwrap()))
            .collect();
        out.sort();
        out
    }

    /// Replaces every `from` by `to` (same length) in the cache file's bytes (a deck's head and the
    /// deck): a deck then decodes with the change only if it is taken from the cache.
    fn tamper(path: &Path, from: &str, to: &str) {
        assert_eq!(from.len(), to.len());
        reseal(path, |bytes| {
            let mut found = 0;
            while let Some(at) = bytes.windows(from.len()).position(|w| w == from.as_bytes()) {
                bytes[at..at + to.len()].copy_from_slice(to.as_bytes());
                found += 1;
            }
            assert_eq!(found, 2, "{from} in the head and in the deck");
        });
    }

    /// A cache file made of `header` and the decks' bytes, with every checksum and length as written.
    fn sealed(mut header: Header<String>, blobs: &[u8]) -> Vec<u8> {
        for e in &mut header.entries {
            let at = usize::try_from(e.start).unwrap();
            let head_end = at + usize::try_from(e.head_len).unwrap();
            let end = at + usize::try_from(e.len).unwrap();
            e.head_sum = checksum(&blobs[at..head_end]);
            e.deck_sum = checksum(&blobs[head_end..end]);
        }
        header.blobs_len = blobs.len() as u64;
        let encoded = postcard::to_allocvec(&header).unwrap();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(encoded.len() as u64).to_le_bytes());
        out.extend_from_slice(&checksum(&encoded).to_le_bytes());
        out.extend_from_slice(&encoded);
        out.extend_from_slice(blobs);
        out
    }

    /// Changes the decks' bytes of the cache at `path` by `edit` and writes the checksums to match, as if
    /// portquiz had cached those bytes: what the cache then serves shows where a deck came from.
    fn reseal(path: &Path, edit: impl FnOnce(&mut Vec<u8>)) {
        let bytes = std::fs::read(path).unwrap();
        let (header, blobs_at) = parse_header(&bytes).unwrap();
        let mut blobs = bytes[blobs_at..].to_vec();
        edit(&mut blobs);
        std::fs::write(path, sealed(header, &blobs)).unwrap();
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

        // A byte flipped in a cached prompt (without the checksums portquiz writes) is found: the deck is
        // compiled from its source again, and the cache written whole.
        let mut flipped = written.clone();
        let at = flipped.windows(6).position(|w| w == b"First.").unwrap();
        flipped[at + 3] = b'5';
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(compile_cached(&v1, &KNOWN, &path).decks, first.decks);
        let rewritten = std::fs::read(&path).unwrap();
        assert!(!rewritten.windows(6).any(|w| w == b"Fir5t."));
        let written = rewritten;

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

        // A corrupt or cut-short cache is ignored and rebuilt (a deck whose bytes are whole may still be
        // taken from it); nothing panics.
        std::fs::remove_file(&path).unwrap();
        compile_cached(&v2, &KNOWN, &path);
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
        let c = Cache::open(&path, &KNOWN);
        let b = c.deck(&c.entries["b.yaml"]).unwrap();
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
            let (bytes, head_len) = encode(deck).unwrap();
            let (head, whole) = bytes.split_at(usize::try_from(head_len).unwrap());
            let back: Deck = postcard::from_bytes(whole).unwrap();
            assert_eq!(&back, deck, "{}", deck.id);
            let head: DeckHead = postcard::from_bytes(head).unwrap();
            assert_eq!(head, deck.head());
            assert_eq!(head.cards.len(), deck.cards.len());
        }
    }

    fn deck_text(id: &str, prompt: &str) -> String {
        format!(
            "format: 1\nid: {id}\ntitle: T\ncards:\n  - id: c\n    type: truefalse\n    prompt: {prompt}\n    answer: true\n"
        )
    }

    /// One run of the loader over the folder `dir` with the cache at `cache`, trusting stamps `settle`
    /// nanoseconds old: which files were left unread, and the decks' prompts.
    fn run(dir: &Path, cache: &Path, settle: i128) -> (Vec<String>, Vec<(String, String)>) {
        let mut c = Cache::open(cache, &KNOWN);
        c.settle = settle;
        let loaded = super::super::load::read_path_unless(dir, &|n, s| c.knows(n, s)).unwrap();
        let unread = loaded
            .iter()
            .filter(|l| matches!(l, Loaded::Unread { .. }))
            .map(|l| {
                Path::new(l.name())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        (unread, prompts(&c.compile(loaded, &KNOWN)))
    }

    /// A temporary folder with `decks/a.yaml` in it, and where its cache goes.
    fn folder() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let decks = dir.path().join("decks");
        std::fs::create_dir(&decks).unwrap();
        let cache = dir.path().join("decks.bin");
        std::fs::write(decks.join("a.yaml"), deck_text("a", "First.")).unwrap();
        (dir, decks, cache)
    }

    #[test]
    fn a_file_whose_stamp_is_unchanged_is_not_read_and_an_edited_or_touched_one_is() {
        let (_dir, decks, cache) = folder();
        std::fs::write(decks.join("b.yaml"), deck_text("b", "Second.")).unwrap();
        let both = vec![
            ("a".to_string(), "First.".to_string()),
            ("b".to_string(), "Second.".to_string()),
        ];

        // The first run reads everything; the next trusts the stamps it recorded.
        assert_eq!(run(&decks, &cache, 0), (vec![], both.clone()));
        assert_eq!(
            run(&decks, &cache, 0),
            (vec!["a.yaml".into(), "b.yaml".into()], both)
        );

        // An edit changes the stamp: that file is read and compiled again, the other is not read.
        std::fs::write(decks.join("b.yaml"), deck_text("b", "Edited, longer.")).unwrap();
        let edited = vec![
            ("a".to_string(), "First.".to_string()),
            ("b".to_string(), "Edited, longer.".to_string()),
        ];
        assert_eq!(
            run(&decks, &cache, 0),
            (vec!["a.yaml".into()], edited.clone())
        );
        assert_eq!(run(&decks, &cache, 0).0, vec!["a.yaml", "b.yaml"]);

        // Rewritten with the same text: read once (and taken from the cache), then trusted again.
        std::fs::write(decks.join("a.yaml"), deck_text("a", "First.")).unwrap();
        assert_eq!(
            run(&decks, &cache, 0),
            (vec!["b.yaml".into()], edited.clone())
        );
        assert_eq!(
            run(&decks, &cache, 0),
            (vec!["a.yaml".into(), "b.yaml".into()], edited)
        );
    }

    #[test]
    fn a_file_changed_less_than_a_second_before_the_cache_was_written_is_always_read() {
        let (_dir, decks, cache) = folder();
        run(&decks, &cache, SETTLE_NANOS);
        // Written just now: an edit in the same clock tick could keep its stamp, so it is not trusted.
        assert_eq!(run(&decks, &cache, SETTLE_NANOS).0, Vec::<String>::new());

        // Settled or not, a different stamp is never known.
        let mut c = Cache::open(&cache, &KNOWN);
        c.read_at = now_nanos() + 10 * SETTLE_NANOS;
        let name = decks.join("a.yaml").display().to_string();
        let meta = std::fs::metadata(&name).unwrap();
        let mut other = Stamp::of(&meta);
        assert!(c.knows(&name, &other));
        other.len += 1;
        assert!(!c.knows(&name, &other));
        assert!(!c.knows("elsewhere.yaml", &Stamp::of(&meta)));

        let stamp = |secs: i64| Stamp {
            dev: 1,
            ino: 2,
            len: 3,
            mtime: (secs, 0),
            ctime: (secs, 500_000_000),
        };
        let read_at = nanos((100, 0));
        assert!(settled(&stamp(98), read_at, SETTLE_NANOS));
        assert!(!settled(&stamp(99), read_at, SETTLE_NANOS), "ctime 99.5 s");
        assert!(!settled(&stamp(100), read_at, SETTLE_NANOS));
        assert!(
            !settled(&stamp(200), read_at, SETTLE_NANOS),
            "a time ahead of the clock"
        );
    }

    #[test]
    fn an_unread_file_whose_cached_deck_is_damaged_is_read_after_all() {
        let (_dir, decks, cache) = folder();
        run(&decks, &cache, 0);
        // Overwrite the deck's bytes (not the header) with bytes postcard cannot decode.
        let c = Cache::open(&cache, &KNOWN);
        let e = c.entries.values().next().unwrap();
        let start = usize::try_from(c.blobs_at + e.start).unwrap();
        let mut bytes = std::fs::read(&cache).unwrap();
        bytes[start..].fill(0xff);
        std::fs::write(&cache, bytes).unwrap();

        let (unread, decks_seen) = run(&decks, &cache, 0);
        assert_eq!(unread, vec!["a.yaml"], "the stamp was trusted");
        assert_eq!(decks_seen, vec![("a".to_string(), "First.".to_string())]);
        // The cache was written again, whole.
        assert_eq!(run(&decks, &cache, 0).1, decks_seen);
        assert!(Cache::open(&cache, &KNOWN).blob(e).is_some());
    }

    /// As if the cache had been written while a.yaml was young: its `read_at` before the file's ctime.
    fn written_while_young(decks: &Path, cache: &Path) {
        let bytes = std::fs::read(cache).unwrap();
        let (mut header, blobs_at) = parse_header(&bytes).unwrap();
        let meta = std::fs::metadata(decks.join("a.yaml")).unwrap();
        header.read_at = nanos(Stamp::of(&meta).ctime) - 1;
        std::fs::write(cache, sealed(header, &bytes[blobs_at..])).unwrap();
    }

    #[test]
    fn a_file_too_young_to_trust_when_the_cache_was_written_is_trusted_once_it_is_written_again() {
        let (_dir, decks, cache) = folder();
        run(&decks, &cache, 0);
        written_while_young(&decks, &cache);

        // Read once more (not trusted), and the cache written again: from then on it is not read.
        assert_eq!(run(&decks, &cache, 0).0, Vec::<String>::new());
        assert_eq!(run(&decks, &cache, 0).0, vec!["a.yaml"]);
    }

    #[test]
    fn heads_write_the_cache_again_for_a_file_that_was_too_young_to_trust() {
        let (_dir, decks, cache) = folder();
        run(&decks, &cache, 0);
        written_while_young(&decks, &cache);

        // A command that needs only the heads (`stats`, `decks`) reads the file once, and writes the cache
        // again: the next run does not read it (heads alone never wrote, so it was read on every run).
        let mut c = Cache::open(&cache, &KNOWN);
        c.settle = 0;
        let loaded = super::super::load::read_path_unless(&decks, &|n, s| c.knows(n, s)).unwrap();
        assert!(matches!(loaded[0], Loaded::Read(..)));
        assert_eq!(c.heads(loaded, &KNOWN).decks.len(), 1);
        assert_eq!(run(&decks, &cache, 0).0, vec!["a.yaml"]);
    }

    #[test]
    fn heads_are_decoded_alone_when_nothing_changed_and_taken_from_a_compile_otherwise() {
        let (_dir, decks, cache) = folder();
        std::fs::write(decks.join("b.yaml"), deck_text("b", "Second.")).unwrap();
        let heads = || {
            let mut c = Cache::open(&cache, &KNOWN);
            c.settle = 0;
            let loaded =
                super::super::load::read_path_unless(&decks, &|n, s| c.knows(n, s)).unwrap();
            let heads = c.heads(loaded, &KNOWN);
            assert_eq!(heads.files_with_errors, 0);
            heads
                .decks
                .iter()
                .map(|h| {
                    format!(
                        "{} {} {}",
                        h.id,
                        h.cards[0].card_type.name(),
                        h.cards[0].prompt
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(heads(), ["a truefalse First.", "b truefalse Second."]);
        // Change a's head only (it comes first in its bytes): the heads show it, the whole decks do not.
        reseal(&cache, |bytes| {
            let at = bytes.windows(6).position(|w| w == b"First.").unwrap();
            bytes[at..at + 6].copy_from_slice(b"Fir5t.");
        });
        assert_eq!(heads(), ["a truefalse Fir5t.", "b truefalse Second."]);
        assert_eq!(run(&decks, &cache, 0).1[0].1, "First.");
        // A file changed: the heads come from compiling (a's from its cached whole deck).
        std::fs::write(decks.join("b.yaml"), deck_text("b", "Edited.")).unwrap();
        assert_eq!(heads(), ["a truefalse First.", "b truefalse Edited."]);
    }
}

//! The deck module's file reading (with [`super::cache`], its only I/O): finds deck files, reads them with
//! a size cap, and hands their texts to [`super::compile`] as [`Source`]s. Also the built-in decks.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::diag::Diagnostic;
use super::source::{Source, decode};

include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));

/// Deck files larger than this are refused before parsing (the largest real deck is a few hundred KB).
pub const MAX_DECK_BYTES: u64 = 8 * 1024 * 1024;
/// How deep `check DIR` and `--deck DIR` look for deck files.
const MAX_DIR_DEPTH: usize = 8;

/// A path that could not be read at all (as opposed to a file with bad content).
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {}", path.display(), describe(cause))]
pub struct LoadError {
    pub path: PathBuf,
    pub cause: std::io::Error,
}

/// What a deck file's metadata says about its content: if all of it is unchanged, so is the text (what git's
/// index relies on). `ctime` cannot be set back by tools that copy times (`touch -d`, `cp -p`, `rsync -t`),
/// so an edit always changes the stamp; see [`super::cache`] for the edit made in the same clock tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
}

impl Stamp {
    /// The stamp of an opened file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// A deck file as the loader found it: read (its source, and its stamp when it is a file), or left unread
/// because the caller already has its deck for this stamp.
#[derive(Debug)]
pub enum Loaded {
    Read(Source, Option<Stamp>),
    Unread { name: String, stamp: Stamp },
}

impl Loaded {
    /// The source's name: `builtin:<file>` or the path as given.
    pub fn name(&self) -> &str {
        match self {
            Loaded::Read(source, _) => &source.name,
            Loaded::Unread { name, .. } => name,
        }
    }

    /// The source, when the file was read.
    pub fn into_source(self) -> Option<Source> {
        match self {
            Loaded::Read(source, _) => Some(source),
            Loaded::Unread { .. } => None,
        }
    }
}

/// A short lower-case reason for an I/O error, without the OS error number.
pub fn describe(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => {
            let text = err.to_string();
            text.split(" (os error")
                .next()
                .unwrap_or(&text)
                .to_lowercase()
        }
    }
}

/// The decks compiled into the binary.
pub fn builtin_sources() -> Vec<Source> {
    BUILTIN_DECKS
        .iter()
        .map(|(name, text)| Source {
            name: format!("builtin:{name}"),
            text: Ok((*text).to_string()),
        })
        .collect()
}

/// Every deck source under `path`: the file itself, or every `*.yaml`/`*.yml` below a directory (at most
/// [`MAX_DIR_DEPTH`] folders deep), sorted by path.
///
/// Only regular files are opened (and never a FIFO, even one swapped in after the check). An entry that
/// cannot be a deck file (a FIFO, socket or device; a symbolic link to nothing or in a loop; a folder or
/// file that cannot be read) becomes a source whose text is a diagnostic saying why, like a deck with bad
/// content, so one such entry does not stop every command. Fails only when `path` itself does not exist.
pub fn read_path(path: &Path) -> Result<Vec<Source>, LoadError> {
    Ok(read_path_unless(path, &|_, _| false)?
        .into_iter()
        .filter_map(Loaded::into_source)
        .collect())
}

/// Like [`read_path`], but a regular file for which `known(name, stamp)` is true is opened and stat'ed, not
/// read: the deck cache already holds its deck (at 100,000 cards, reading and hashing every unchanged
/// file was 36 MB and a sixth of the start-up).
pub fn read_path_unless(
    path: &Path,
    known: &dyn Fn(&str, &Stamp) -> bool,
) -> Result<Vec<Loaded>, LoadError> {
    let found = match std::fs::metadata(path) {
        Err(cause) if cause.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError {
                path: path.to_path_buf(),
                cause,
            });
        }
        Err(cause) => vec![(path.to_path_buf(), Err(unreadable(path, &cause)))],
        Ok(meta) if meta.is_dir() => {
            let mut found = Vec::new();
            walk(path, 0, &mut found);
            found.sort_by(|a, b| a.0.cmp(&b.0));
            found
        }
        Ok(meta) => vec![(path.to_path_buf(), kind_of_file(&meta.file_type()))],
    };
    Ok(found
        .into_iter()
        .map(|(path, found)| match found {
            Ok(()) => read_source(&path, known),
            Err(unusable) => Loaded::Read(unusable.source(&path), None),
        })
        .collect())
}

/// What a directory entry turned out to be: a regular file to read (`Ok`), or why it cannot be a deck.
type Found = Result<(), Unusable>;

/// Why an entry of a deck folder cannot be read as a deck file.
#[derive(Debug)]
enum Unusable {
    /// Not a regular file: "a FIFO (named pipe)", "a socket", "a directory"...
    NotAFile(&'static str),
    /// A symbolic link whose target does not exist.
    Dangling(PathBuf),
    /// A symbolic link that leads back to itself.
    Loop,
    /// A folder that cannot be listed.
    Folder(String),
    /// A file that cannot be opened or read.
    File(String),
    /// A folder holding deck files, below the deepest folder portquiz looks in.
    TooDeep,
}

impl Unusable {
    /// A source standing for the entry at `path`: no text, a diagnostic saying why.
    fn source(self, path: &Path) -> Source {
        let name = path.display().to_string();
        let link_help = "remove the link, or point it at a deck file";
        let (message, help) = match self {
            Unusable::NotAFile(kind) => (
                format!("it is {kind}, not a regular file"),
                "portquiz reads decks only from regular files: remove it, or move it out of the deck folder",
            ),
            Unusable::Dangling(target) => (
                format!(
                    "it is a symbolic link to {}, which does not exist",
                    target.display()
                ),
                link_help,
            ),
            Unusable::Loop => (
                "it is a symbolic link that leads back to itself (a loop)".to_string(),
                link_help,
            ),
            Unusable::Folder(reason) => (
                format!("cannot read this folder: {reason}"),
                "make the folder readable, or move it out of the deck folder",
            ),
            Unusable::File(reason) => (
                format!("cannot read the file: {reason}"),
                "make the file readable, or move it out of the deck folder",
            ),
            Unusable::TooDeep => (
                format!(
                    "this folder holds deck files, but is more than {MAX_DIR_DEPTH} folders below the deck folder, so they are not read"
                ),
                "move these decks up, or pass this folder itself with --deck",
            ),
        };
        Source {
            text: Err(Diagnostic::error(&name, "", None, "unreadable-file", message).help(help)),
            name,
        }
    }
}

/// Whether a file type can be read as a deck file, and if not, why ([`crate::open::irregular_kind`]).
fn kind_of_file(file_type: &std::fs::FileType) -> Found {
    match crate::open::irregular_kind(file_type) {
        None => Ok(()),
        Some(kind) => Err(Unusable::NotAFile(kind)),
    }
}

/// Why `path` (a link, or a path named on the command line) cannot be followed or read.
fn unreadable(path: &Path, cause: &std::io::Error) -> Unusable {
    if cause.raw_os_error() == Some(libc::ELOOP) {
        return Unusable::Loop;
    }
    if cause.kind() == std::io::ErrorKind::NotFound
        && let Ok(target) = std::fs::read_link(path)
    {
        return Unusable::Dangling(target);
    }
    Unusable::File(describe(cause))
}

/// Collects the deck files below `dir` and the entries that cannot be read. Symbolic links to folders are
/// not followed (no loops through folders); a link named `*.yaml` is followed to what it points at.
fn walk(dir: &Path, depth: usize, out: &mut Vec<(PathBuf, Found)>) {
    if depth > MAX_DIR_DEPTH {
        // Not read, but not silently: a folder this deep that holds deck files is reported (one listing,
        // no descent, so the walk stays bounded).
        let holds_decks = std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
            })
        });
        if holds_decks {
            out.push((dir.to_path_buf(), Err(Unusable::TooDeep)));
        }
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(cause) => {
            out.push((dir.to_path_buf(), Err(Unusable::Folder(describe(&cause)))));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(cause) => {
                out.push((dir.to_path_buf(), Err(Unusable::Folder(describe(&cause)))));
                return;
            }
        };
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            walk(&path, depth + 1, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let found = if file_type.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(meta) => kind_of_file(&meta.file_type()),
                    Err(cause) => Err(unreadable(&path, &cause)),
                }
            } else {
                kind_of_file(&file_type)
            };
            out.push((path, found));
        }
    }
}

/// Reads one deck file: refuses what is not a regular file once open, files over [`MAX_DECK_BYTES`],
/// invalid UTF-8 and NUL bytes, each with a diagnostic.
fn read_source(path: &Path, known: &dyn Fn(&str, &Stamp) -> bool) -> Loaded {
    let name = path.display().to_string();
    // An unchanged file is recognised by its stamp alone (a `stat`, no open): 10,000 files cost 10,000
    // system calls instead of 30,000. A name that is not the path's exact text (not UTF-8) could not be
    // read again by name: such a file is always read.
    if path.to_str().is_some()
        && let Ok(meta) = std::fs::metadata(path)
        && meta.file_type().is_file()
        && known(&name, &Stamp::of(&meta))
    {
        return Loaded::Unread {
            name,
            stamp: Stamp::of(&meta),
        };
    }
    // Non-blocking, so that a FIFO put in the file's place after the type check cannot hang the open; the
    // file type is checked again on the opened file ([`crate::open`]).
    let file = match crate::open::open_regular(path) {
        Ok(file) => file,
        Err(crate::open::OpenError::NotRegular { kind, .. }) => {
            return Loaded::Read(Unusable::NotAFile(kind).source(path), None);
        }
        Err(crate::open::OpenError::Io { error, .. }) => {
            return Loaded::Read(unreadable(path, &error).source(path), None);
        }
        Err(other) => {
            return Loaded::Read(Unusable::File(other.to_string()).source(path), None);
        }
    };
    let (size, stamp) = match file.metadata() {
        Ok(meta) => (meta.len(), Stamp::of(&meta)),
        Err(cause) => return Loaded::Read(Unusable::File(describe(&cause)).source(path), None),
    };
    Loaded::Read(read_text(file, name, size), Some(stamp))
}

/// Reads an opened deck file of `size` bytes (as its metadata said).
fn read_text(file: std::fs::File, name: String, size: u64) -> Source {
    let path = Path::new(&name);
    // Sized from the metadata (`take` hides the file's size from `read_to_end`, which then reads in
    // growing steps: 8 `read` calls per small deck file, 80,000 for a folder of 10,000).
    let capacity = usize::try_from(size.min(MAX_DECK_BYTES) + 1).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    if let Err(cause) = file.take(MAX_DECK_BYTES + 1).read_to_end(&mut bytes) {
        return Unusable::File(describe(&cause)).source(path);
    }
    if bytes.len() as u64 > MAX_DECK_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        let d = Diagnostic::error(
            &name,
            "",
            None,
            "file-too-large",
            format!(
                "the file is {:.1} MB; deck files are limited to {} MB",
                size as f64 / 1e6,
                MAX_DECK_BYTES / (1024 * 1024)
            ),
        )
        .help("split the deck into several files, or check that this is the right file");
        return Source { name, text: Err(d) };
    }
    Source {
        text: decode(&name, bytes),
        name,
    }
}

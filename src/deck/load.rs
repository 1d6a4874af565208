//! The only part of the deck module that touches the file system: finds deck files, reads them with a size
//! cap and an encoding check, compiles them, and checks that deck ids are unique across files.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::diag::Diagnostic;
use super::model::Deck;
use super::validate::{Known, parse_deck};
use super::yaml::Pos;

include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));

/// Deck files larger than this are refused before parsing (the largest real deck is a few hundred KB).
pub const MAX_DECK_BYTES: u64 = 8 * 1024 * 1024;
/// How deep `check DIR` and `--deck DIR` look for deck files.
const MAX_DIR_DEPTH: usize = 8;

/// A deck source: its display name and its text (or the diagnostic that explains why there is no text).
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Result<String, Diagnostic>,
}

/// What compiling a set of sources produced.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub decks: Vec<Deck>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of deck files looked at.
    pub files: usize,
    /// Number of files with at least one error.
    pub files_with_errors: usize,
}

/// A path that could not be read at all (as opposed to a file with bad content).
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {}", path.display(), describe(cause))]
pub struct LoadError {
    pub path: PathBuf,
    pub cause: std::io::Error,
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

/// Deck files under `path`: the file itself, or every `*.yaml`/`*.yml` below a directory, sorted.
pub fn find_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|cause| LoadError {
        path: path.to_path_buf(),
        cause,
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(path, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    if depth > MAX_DIR_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|cause| LoadError {
        path: dir.to_path_buf(),
        cause,
    })?;
    for entry in entries {
        let entry = entry.map_err(|cause| LoadError {
            path: dir.to_path_buf(),
            cause,
        })?;
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&path, depth + 1, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one deck file: refuses files over [`MAX_DECK_BYTES`], invalid UTF-8 and NUL bytes with a diagnostic.
pub fn read_source(path: &Path) -> Result<Source, LoadError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|cause| LoadError {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_DECK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|cause| LoadError {
            path: path.to_path_buf(),
            cause,
        })?;
    if bytes.len() as u64 > MAX_DECK_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len())
            .unwrap_or(bytes.len() as u64);
        let d = Diagnostic::error(
            &name,
            "",
            None,
            format!(
                "the file is {:.1} MB; deck files are limited to {} MB",
                size as f64 / 1e6,
                MAX_DECK_BYTES / (1024 * 1024)
            ),
        )
        .help("split the deck into several files, or check that this is the right file");
        return Ok(Source { name, text: Err(d) });
    }
    Ok(Source {
        text: decode(&name, bytes),
        name,
    })
}

/// Checks the encoding of a deck file's bytes.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let pos = end_pos(&prefix);
            return Err(Diagnostic::error(
                name,
                &prefix,
                Some(pos),
                "the file is not valid UTF-8 text",
            )
            .help("deck files must be saved as UTF-8; is this a binary file?"));
        }
    };
    if let Some(i) = text.find('\0') {
        let pos = end_pos(&text[..i]);
        return Err(
            Diagnostic::error(name, "", Some(pos), "the file contains a NUL byte")
                .help("deck files are plain text; is this a binary file?"),
        );
    }
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Position just after `prefix` (where the next character would be).
fn end_pos(prefix: &str) -> Pos {
    // Line breaks as YAML counts them (see `diag::yaml_lines`): \n, \r\n and a lone \r.
    let breaks = prefix.matches('\n').count() + prefix.matches('\r').count()
        - prefix.matches("\r\n").count();
    let line = breaks + 1;
    let col = prefix
        .rsplit(['\n', '\r'])
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
    }
}

/// Compiles sources into decks, collecting every diagnostic; deck ids must be unique across all of them.
pub fn compile(sources: &[Source], known: &Known) -> Library {
    compile_with(sources, known, Vec::new())
}

type Parsed = Result<Deck, Vec<Diagnostic>>;

/// Parses the sources that have no precompiled deck in `ready` (same index), spread over the cores.
fn parse_all(sources: &[Source], known: &Known, ready: &[Option<Deck>]) -> Vec<Option<Parsed>> {
    let todo: Vec<usize> = (0..sources.len())
        .filter(|&i| ready.get(i).is_none_or(Option::is_none) && sources[i].text.is_ok())
        .collect();
    let mut results: Vec<Option<Parsed>> = (0..sources.len()).map(|_| None).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(todo.len())
        .max(1);
    let parse = |i: usize| {
        sources[i]
            .text
            .as_ref()
            .ok()
            .map(|text| (i, parse_deck(text, &sources[i].name, known)))
    };
    let parsed: Vec<(usize, Parsed)> = if threads == 1 {
        todo.into_iter().filter_map(parse).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<usize> = todo.iter().copied().skip(t).step_by(threads).collect();
                    scope.spawn(move || mine.into_iter().filter_map(parse).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    for (i, result) in parsed {
        results[i] = Some(result);
    }
    results
}

/// Like [`compile`], reusing the decks in `ready` (same index as `sources`) instead of parsing them again.
/// Takes them by value: a 10,000-card library is too large to copy on every start.
pub fn compile_with(sources: &[Source], known: &Known, mut ready: Vec<Option<Deck>>) -> Library {
    let mut lib = Library {
        files: sources.len(),
        ..Library::default()
    };
    let mut origins: Vec<(String, Pos)> = Vec::new();
    let mut parsed = parse_all(sources, known, &ready);
    for (i, source) in sources.iter().enumerate() {
        let text = match &source.text {
            Ok(text) => text,
            Err(d) => {
                lib.diagnostics.push(d.clone());
                lib.files_with_errors += 1;
                continue;
            }
        };
        let result = match ready.get_mut(i).and_then(Option::take) {
            Some(deck) => Ok(deck),
            None => parsed[i]
                .take()
                .unwrap_or_else(|| parse_deck(text, &source.name, known)),
        };
        match result {
            Ok(deck) => {
                if let Some(first) = lib.decks.iter().position(|d| d.id == deck.id) {
                    let pos = id_pos(text);
                    let (first_file, first_pos) = &origins[first];
                    lib.diagnostics.push(
                        Diagnostic::error(&source.name, text, Some(pos), format!("duplicate deck id `{}`", deck.id))
                            .width(deck.id.as_str().chars().count())
                            .note(first_file, Some(*first_pos), format!("`{}` is already the id of this deck", deck.id))
                            .help("deck ids must be unique across all loaded decks: rename one (progress is kept per deck id)"),
                    );
                    lib.files_with_errors += 1;
                } else {
                    origins.push((source.name.clone(), id_pos(text)));
                    lib.decks.push(deck);
                }
            }
            Err(diags) => {
                lib.files_with_errors += 1;
                lib.diagnostics.extend(diags);
            }
        }
    }
    lib
}

/// Where the top-level `id:` value starts (for duplicate-deck diagnostics).
fn id_pos(text: &str) -> Pos {
    for (i, line) in super::diag::yaml_lines(text).enumerate() {
        if let Some(rest) = line.strip_prefix("id:") {
            let col = 4 + rest.len() - rest.trim_start().len();
            return Pos {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col).unwrap_or(u32::MAX),
            };
        }
    }
    Pos { line: 1, col: 1 }
}

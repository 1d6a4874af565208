//! The deck module's file reading (with [`super::cache`], its only I/O): finds deck files, reads them with
//! a size cap, and hands their texts to [`super::compile`] as [`Source`]s. Also the built-in decks.
use std::io::Read;
use std::path::{Path, PathBuf};

use super::compile::{Source, decode};
use super::diag::Diagnostic;

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

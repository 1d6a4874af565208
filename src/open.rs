//! Opening the files portquiz reads (deck files, the deck cache, Anki imports, the progress database and
//! its side files): one rule, in one place. Only a regular file is opened; a FIFO, socket, device or
//! directory is refused with what it is. The open itself is non-blocking, so a FIFO swapped in after a
//! check cannot hang it (opening a FIFO to read waits for a writer); the opened file's type is checked
//! again. Owns no policy about what is read: callers decide sizes and formats. Also removes the
//! temporary files a killed write left (a write goes to a temporary file renamed over the target).
use std::fs::{File, FileType};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Why a file could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The path is not a regular file (after following symbolic links).
    #[error("{} is {kind}, not a regular file; portquiz reads only regular files", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is ("a FIFO (named pipe)", "a directory", ...).
        kind: &'static str,
    },
    /// The file is larger than the caller reads.
    #[error(
        "{} is {:.1} MB, over the {} MB portquiz reads from such a file",
        path.display(),
        *size as f64 / (1024.0 * 1024.0),
        limit / (1024 * 1024)
    )]
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The most the caller reads, in bytes.
        limit: u64,
    },
    /// Opening or reading failed.
    #[error("cannot read {}: {error}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
}

impl OpenError {
    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            OpenError::NotRegular { path, .. }
            | OpenError::TooLarge { path, .. }
            | OpenError::Io { path, .. } => path,
        }
    }
}

/// What a file type is, in words ("a FIFO (named pipe)"), or `None` for a regular file.
pub fn irregular_kind(file_type: &FileType) -> Option<&'static str> {
    Some(if file_type.is_file() {
        return None;
    } else if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    })
}

/// What is at `path` when it exists and is not a regular file (links followed; a dangling link is not
/// there): the words for it. `None` for a regular file or nothing at all. Opens nothing.
pub fn irregular_at(path: &Path) -> Option<&'static str> {
    std::fs::metadata(path)
        .ok()
        .and_then(|meta| irregular_kind(&meta.file_type()))
}

/// Opens `path` to read: refuses what is not a regular file, before and after the (non-blocking) open.
pub fn open_regular(path: &Path) -> Result<File, OpenError> {
    let not_regular = |kind| OpenError::NotRegular {
        path: path.to_path_buf(),
        kind,
    };
    if let Some(kind) = irregular_at(path) {
        return Err(not_regular(kind));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|error| OpenError::Io {
            path: path.to_path_buf(),
            error,
        })?;
    let meta = file.metadata().map_err(|error| OpenError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    match irregular_kind(&meta.file_type()) {
        Some(kind) => Err(not_regular(kind)),
        None => Ok(file),
    }
}

/// Reads the whole regular file at `path`, refusing one larger than `limit` bytes before reading it (and
/// one that grew past it while read).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, OpenError> {
    let file = open_regular(path)?;
    let io = |error| OpenError::Io {
        path: path.to_path_buf(),
        error,
    };
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size| OpenError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// How old a temporary file must be to be a leftover: a write takes well under a second, so one this old
/// belongs to a run that was killed while writing (up to 22 MB each, never removed otherwise).
const STALE_TEMPORARY_SECS: u64 = 600;

/// Removes the regular files in `dir` whose name starts with `prefix` and that were last written at least
/// [`STALE_TEMPORARY_SECS`] ago: temporary files of killed runs. Younger ones may belong to a run writing
/// now, and are left alone. Errors are ignored (a leftover stays until the next time).
pub fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .as_encoded_bytes()
            .starts_with(prefix.as_bytes())
            && entry.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified().is_ok_and(|t| {
                        now.duration_since(t)
                            .is_ok_and(|age| age.as_secs() >= STALE_TEMPORARY_SECS)
                    })
            });
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking_and_a_file_is_read_within_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert_eq!(
            open_regular(&fifo).unwrap_err().to_string(),
            format!(
                "{} is a FIFO (named pipe), not a regular file; portquiz reads only regular files",
                fifo.display()
            )
        );
        assert_eq!(irregular_at(dir.path()), Some("a directory"));
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read_regular(&file, 10).unwrap(), b"0123456789");
        let big = std::fs::File::create(dir.path().join("big")).unwrap();
        big.set_len(3 << 20).unwrap();
        assert_eq!(
            read_regular(&dir.path().join("big"), 1 << 20)
                .unwrap_err()
                .to_string(),
            format!(
                "{} is 3.0 MB, over the 1 MB portquiz reads from such a file",
                dir.path().join("big").display()
            )
        );
        assert_eq!(irregular_at(&file), None);
    }
}

//! Files the commands write (`export`, `import`, `new`): where the text may go and how it gets there.
//! Rules: `-` is standard output; only a regular file is ever replaced (a symbolic link is followed to it;
//! a directory, FIFO, device or socket is refused, never replaced); an existing file needs `--force`; the
//! folder must exist; a new file gets the mode the umask gives (0666 minus umask), a replaced one keeps its
//! mode. The text is written to a temporary file beside the target and renamed over it, so a reader never
//! sees half a file. Also the two helpers `new` and `import` share: the deck id argument and the default deck path.
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::deck::id::{DeckId, MAX_ID_LEN, slug};
use crate::env::Env;

/// A deck id given on the command line (`--id`), checked by the id rule, with a suggestion when refused.
pub(crate) fn deck_id_arg(text: &str) -> Result<DeckId> {
    DeckId::new(text).map_err(|_| {
        anyhow::anyhow!(
            "bad deck id `{text}`: ids are kebab-case (a-z, 0-9 and single dashes), at most {MAX_ID_LEN} characters; try `{}`",
            slug(text)
        )
    })
}

/// `<data-dir>/decks/ID.yaml`, creating the decks folder (the user's own; an explicit path's folder must
/// exist already).
pub(crate) fn default_deck_path(env: &Env, id: &str) -> Result<std::path::PathBuf> {
    let dir = env.user_decks_dir();
    fs_err::create_dir_all(&dir)?;
    Ok(dir.join(format!("{id}.yaml")))
}

/// Where [`write_text`] put the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Standard output (`-`).
    Stdout,
    /// This regular file (the link's target when the path was a symbolic link).
    File(PathBuf),
}

/// What to do when the target exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse: the command has no `--force` (`new`, `import`).
    Never,
    /// Refuse, and say that `--force` replaces it.
    UnlessForced,
    /// Replace it (`--force`).
    Forced,
}

impl Overwrite {
    /// [`Overwrite::Forced`] when `force`, else [`Overwrite::UnlessForced`].
    pub fn force(force: bool) -> Self {
        if force {
            Overwrite::Forced
        } else {
            Overwrite::UnlessForced
        }
    }
}

/// Why a file could not be written. Nothing at the path was changed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target exists and `--force` was not given.
    #[error("{} already exists; {}", path.display(), if *forcible { "pass --force to replace it, or choose another path" } else { "pass another path with --out, or move the file away" })]
    Exists {
        /// The target.
        path: PathBuf,
        /// Whether `--force` would replace it.
        forcible: bool,
    },
    /// The target is not a regular file.
    #[error(
        "{} is {kind}, not a regular file; portquiz writes only regular files (pass - to write to standard output)",
        path.display()
    )]
    NotRegular {
        /// The target.
        path: PathBuf,
        /// What it is ("a directory", "a FIFO (named pipe)", ...).
        kind: &'static str,
    },
    /// The folder the target would go in does not exist.
    #[error("the folder {} does not exist; create it first, or choose another path", dir.display())]
    NoFolder {
        /// The missing folder.
        dir: PathBuf,
    },
    /// Reading the target's metadata, or writing, failed.
    #[error("could not write {}: {error}", path.display())]
    Io {
        /// The target.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
}

/// What is at a path now.
enum Existing {
    Nothing,
    /// A regular file (the real path, links followed) with its mode.
    File(PathBuf, u32),
}

fn kind_of(file_type: std::fs::FileType) -> &'static str {
    crate::open::irregular_kind(&file_type).unwrap_or("not a regular file")
}

fn inspect(path: &Path) -> Result<Existing, WriteError> {
    let io = |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let link = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(io(e)),
    };
    if !link.file_type().is_symlink() {
        return if link.is_file() {
            Ok(Existing::File(
                path.to_path_buf(),
                link.permissions().mode(),
            ))
        } else {
            Err(WriteError::NotRegular {
                path: path.to_path_buf(),
                kind: kind_of(link.file_type()),
            })
        };
    }
    // A link is followed: what it points to must be a regular file, and that file is what gets replaced.
    let real = std::fs::canonicalize(path).map_err(|_| WriteError::NotRegular {
        path: path.to_path_buf(),
        kind: "a symbolic link to nothing",
    })?;
    let meta = std::fs::metadata(&real).map_err(io)?;
    if meta.is_file() {
        Ok(Existing::File(real, meta.permissions().mode()))
    } else {
        Err(WriteError::NotRegular {
            path: path.to_path_buf(),
            kind: kind_of(meta.file_type()),
        })
    }
}

/// Writes `text` to `path` (`-`: standard output) by the rules in the module text.
pub fn write_text(path: &Path, text: &str, overwrite: Overwrite) -> Result<Written, WriteError> {
    write_with(path, overwrite, &mut |out| out.write_all(text.as_bytes()))
}

/// Like [`write_text`], with the text written by `write` as it is made (an export of a million reviews is
/// never held whole). When `write` fails, a file is left as it was (the temporary file is removed).
pub fn write_with(
    path: &Path,
    overwrite: Overwrite,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Written, WriteError> {
    let exists = || WriteError::Exists {
        path: path.to_path_buf(),
        forcible: overwrite != Overwrite::Never,
    };
    if path.as_os_str() == "-" {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|error| WriteError::Io {
                path: path.to_path_buf(),
                error,
            })?;
        return Ok(Written::Stdout);
    }
    let (target, mode) = match inspect(path)? {
        Existing::File(_, _) if overwrite != Overwrite::Forced => return Err(exists()),
        Existing::File(real, mode) => (real, Some(mode)),
        Existing::Nothing => (path.to_path_buf(), None),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(WriteError::NoFolder { dir });
    }
    let io = |error| WriteError::Io {
        path: target.clone(),
        error,
    };
    // 0666 asked, so the umask decides, as for any file a program creates; a replaced file keeps its mode.
    let mut tmp = tempfile::Builder::new()
        .prefix(".portquiz-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(&dir)
        .map_err(io)?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut out).and_then(|()| out.flush()).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    if let Some(mode) = mode {
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
            .map_err(io)?;
    }
    if overwrite == Overwrite::Forced {
        tmp.persist(&target).map_err(|e| io(e.error))?;
    } else {
        // Another program may have created the file since it was looked at: never replace it.
        tmp.persist_noclobber(&target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exists()
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(Written::File(target))
}

//! Store errors: each variant holds its data; the message says what to do.
use std::path::PathBuf;

/// Why the progress database could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be created.
    #[error(
        "cannot create the data directory {}: {error}; pass --data-dir (or set PORTQUIZ_DATA_DIR) to a directory you can write",
        path.display()
    )]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error (part of the message, not a separate cause, so it is not printed twice).
        error: std::io::Error,
    },
    /// The file exists but is not a portquiz database (not SQLite, damaged, or another program's database).
    /// Nothing was written to it.
    #[error(
        "{} is not a portquiz database (it is not an SQLite file, is damaged, or belongs to another program); portquiz left it untouched: move it aside, or pass --data-dir to use another directory",
        path.display()
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The file cannot be opened for reading (missing, or no permission).
    #[error("cannot read {}: {error}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error (part of the message).
        error: std::io::Error,
    },
    /// SQLite found the file damaged (random bytes, a bad disk): portquiz stops writing to it.
    #[error(
        "{} is damaged ({}); portquiz stopped before writing to it: run `portquiz repair` to copy every answer that can still be read into a fresh database (the damaged file is kept beside it)",
        path.display(),
        problems.join("; ")
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite reported (the first few problems).
        problems: Vec<String>,
    },
    /// An answer computed from a card state that another portquiz has changed since (a `merge`, a second
    /// session): nothing was written; compute it again from `current`.
    #[error(
        "{card} was changed by another portquiz while this answer was computed; nothing was written"
    )]
    Stale {
        /// The card, as `deck/card`.
        card: String,
        /// Its state as stored now.
        current: Box<crate::schedule::CardState>,
    },
    /// The database was written by a newer portquiz. Nothing was written to it.
    #[error(
        "{} was written by a newer portquiz (schema version {found}, this portquiz knows up to {supported}); portquiz left it untouched: upgrade portquiz, or pass --data-dir to use another directory",
        path.display()
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build understands.
        supported: i64,
    },
    /// The database cannot be written because of one file or folder, found before SQLite opened it (so no
    /// answer is taken and lost, and no read-only `-shm` is left behind).
    #[error(
        "cannot write the progress database {}: {}; {}, or pass --data-dir to use another directory",
        db.display(),
        blocker.describe(path),
        blocker.fix(path)
    )]
    ReadOnly {
        /// The database.
        db: PathBuf,
        /// The file or folder that cannot be written.
        path: PathBuf,
        /// What it is.
        blocker: Blocker,
    },
    /// The database or one of SQLite's working files beside it is not a regular file (a FIFO, a device, a
    /// folder): found before SQLite opened anything, which would have blocked on a FIFO.
    #[error(
        "cannot open the progress database {}: {} is {kind}, not a regular file, and SQLite would wait on it forever; remove it (portquiz never makes one), or pass --data-dir to use another directory",
        db.display(),
        path.display()
    )]
    SpecialFile {
        /// The database.
        db: PathBuf,
        /// The file that is not a regular file.
        path: PathBuf,
        /// What it is ("a FIFO (named pipe)").
        kind: &'static str,
    },
    /// The database (or its directory) cannot be written.
    #[error(
        "cannot write the progress database {}: {reason}; make the data directory writable, or pass --data-dir to use another directory",
        path.display()
    )]
    NotWritable {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// A read or write failed at the file-system level: the disk is full (or a file-size limit was hit)
    /// or failing. SQLite rolled the failed transaction back; what was committed before is kept.
    #[error(
        "reading or writing the progress database {} failed: {reason} (the disk is full or failing); everything saved before this error is kept: free some space, or pass --data-dir to use another disk, then run portquiz again",
        path.display()
    )]
    DiskFailed {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        reason: String,
    },
    /// A stored value that portquiz could not have written (edited by hand, or damaged).
    #[error(
        "{}: stored {what} {value:?} is invalid; the database was changed outside portquiz or is damaged: restore a backup, or move it aside to start over",
        path.display()
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Which value (e.g. "state of net/ssh-port").
        what: String,
        /// The value found.
        value: String,
    },
    /// `undo` of an answer that does not exist (never recorded, or already undone).
    #[error("answer {id} is not in the review log (already undone?)")]
    NoSuchAnswer {
        /// The answer id.
        id: i64,
    },
    /// `undo` of an answer that is not the card's latest: undoing it would lose the later answers.
    #[error(
        "answer {id} on {deck}/{card} is not that card's latest answer; undo the later answer ({latest}) first"
    )]
    UndoNotLatest {
        /// The answer asked for.
        id: i64,
        /// Its deck.
        deck: String,
        /// Its card.
        card: String,
        /// The card's latest scheduled answer.
        latest: i64,
    },
    /// Any other SQLite error.
    #[error("progress database {}: {error}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said (part of the message, not a separate cause, so it is not printed twice).
        error: rusqlite::Error,
    },
}

/// What keeps a database from being written ([`StoreError::ReadOnly`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocker {
    /// The database file itself is read-only.
    File,
    /// Its `-wal` or `-shm` file is read-only (left by a run while the database was read-only).
    Leftover,
    /// Its folder is read-only and SQLite must create `-wal` and `-shm` files there.
    Folder,
}

impl Blocker {
    fn describe(self, path: &std::path::Path) -> String {
        match self {
            Blocker::File => "the file is read-only for you".to_string(),
            Blocker::Leftover => format!(
                "{} is read-only for you (left by an earlier run while the database was read-only)",
                path.display()
            ),
            Blocker::Folder => format!(
                "its folder {} is read-only for you, and SQLite keeps two working files beside the database",
                path.display()
            ),
        }
    }

    fn fix(self, path: &std::path::Path) -> String {
        match self {
            Blocker::File | Blocker::Folder => {
                format!("make it writable (chmod u+w {})", path.display())
            }
            Blocker::Leftover => format!("delete {} (no data is lost)", path.display()),
        }
    }
}

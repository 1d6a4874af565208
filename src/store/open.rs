//! Opening the progress database: the file checks before SQLite sees it (a header that is not SQLite, a
//! read-only file or folder), the connection's settings, the schema migrations, and SQLite's errors classified.
use super::BUSY_TIMEOUT;
use super::Store;
use super::db::OWN_OBJECTS;
use super::db::begin;
use super::db::classify;
use super::error::{Blocker, StoreError};
use super::migrations::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
use crate::open::OpenError;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `path` with `suffix` added to its file name (`-wal`, `-shm`).
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether this process may write `path` (a regular file): opened for writing, not written, not truncated;
/// non-blocking, so a FIFO put there cannot hang it.
pub(super) fn writable_file(path: &Path) -> bool {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .is_ok()
}

/// Before SQLite opens an existing database to write it: the file, its `-wal` and `-shm` (when present) and,
/// when those must be created, its folder must be writable. Otherwise SQLite falls back to reading, leaves
/// a read-only `-shm` behind, and fails only at the first answer, with a message about the folder.
pub(super) fn check_writable(path: &Path) -> Result<(), StoreError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let blocked = |file: &Path, blocker| StoreError::ReadOnly {
        db: path.to_path_buf(),
        path: file.to_path_buf(),
        blocker,
    };
    if !writable_file(path) {
        return Err(blocked(path, Blocker::File));
    }
    let mut missing = false;
    for suffix in ["-wal", "-shm"] {
        let side = sibling(path, suffix);
        if std::fs::symlink_metadata(&side).is_err() {
            missing = true;
        } else if !writable_file(&side) {
            return Err(blocked(&side, Blocker::Leftover));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // An unnamed temporary file: creating it proves the folder writable and leaves no entry in it.
    if missing && tempfile::tempfile_in(&dir).is_err() {
        return Err(blocked(&dir, Blocker::Folder));
    }
    Ok(())
}

/// `path` as an SQLite `file:` URI: every byte but unreserved ones and `/` percent-encoded, so `?`, `#` and
/// `%` in a file name stay part of the name.
pub(super) fn file_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Refuses, without writing, an existing non-empty file that does not start with SQLite's header, and
/// anything at `path` that is not a regular file. Opened as every file portquiz reads is
/// ([`crate::open::open_regular`]: non-blocking, its type checked on the open file), so a FIFO swapped in
/// after a check cannot hang the open.
pub(super) fn check_header(path: &Path) -> Result<(), StoreError> {
    let not_db = || StoreError::NotADatabase {
        path: path.to_path_buf(),
    };
    let unreadable = |e: std::io::Error| StoreError::NotWritable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut file = match crate::open::open_regular(path) {
        Ok(file) => file,
        Err(OpenError::Io { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(());
        }
        Err(OpenError::Io { error, .. }) => return Err(unreadable(error)),
        // Not a regular file (or, never here, too large: open_regular sets no limit).
        Err(OpenError::NotRegular { .. } | OpenError::TooLarge { .. }) => return Err(not_db()),
    };
    if file.metadata().map_err(unreadable)?.len() == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    file.read_exact(&mut header).map_err(|_| not_db())?;
    if !header.starts_with(b"SQLite format 3\0") {
        return Err(not_db());
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, creating its parent directory.
    ///
    /// Before anything is written, the file is checked: an existing file that is not an SQLite database,
    /// belongs to another program, or has a newer schema is refused and left byte-for-byte untouched.
    /// Then: WAL journal (readers never block the writer), `synchronous=FULL` (every answer is on disk when
    /// its transaction commits, even across a power cut; one fsync per answer is nothing at human pace),
    /// a 5 s busy timeout so two sessions can share the file, and forward migrations to [`SCHEMA_VERSION`].
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|error| StoreError::CreateDir {
                path: parent.to_path_buf(),
                error,
            })?;
        }
        super::files::refuse_special_files(&path)?;
        check_header(&path)?;
        check_writable(&path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(&path, e))?;
        let mut store = Store {
            conn,
            path,
            _copy: None,
            damage_check: None,
            prefetched: None,
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.err(e))?;
        store.check_before_writing()?;
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// [`Store::open_read_only`] without the checks that the file is a portquiz database of a known schema
    /// (`repair` reads damaged files with it).
    pub(super) fn open_read_only_unchecked(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let unreadable = |error| StoreError::Unreadable {
            path: path.clone(),
            error,
        };
        // Opened as every file portquiz reads is: a FIFO here (another machine's file, a damaged one)
        // is refused at once instead of blocking the open until something writes to it.
        let meta = match crate::open::open_regular(&path) {
            Ok(file) => file.metadata().map_err(unreadable)?,
            Err(OpenError::Io { error, .. }) => return Err(unreadable(error)),
            Err(OpenError::NotRegular { .. } | OpenError::TooLarge { .. }) => {
                return Err(StoreError::NotADatabase { path });
            }
        };
        check_header(&path)?;
        if !meta.is_file() || meta.len() == 0 {
            return Err(StoreError::NotADatabase { path });
        }
        let wal = sibling(&path, "-wal");
        let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        let (conn, copy) = if pending {
            let dir = tempfile::tempdir().map_err(unreadable)?;
            let main = dir.path().join("other.sqlite3");
            std::fs::copy(&path, &main).map_err(unreadable)?;
            std::fs::copy(&wal, dir.path().join("other.sqlite3-wal")).map_err(unreadable)?;
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(&main, flags).map_err(|e| classify(&path, e))?;
            (conn, Some(dir))
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let uri = format!("{}?mode=ro&immutable=1", file_uri(&path));
            let conn = Connection::open_with_flags(uri, flags).map_err(|e| classify(&path, e))?;
            (conn, None)
        };
        Ok(Store {
            conn,
            path,
            _copy: copy,
            damage_check: None,
            prefetched: None,
        })
    }

    /// Opens another portquiz database (`portquiz merge`) only to read it, and leaves it byte for byte as it
    /// was: no journal-mode switch, no migration, no lock or `-shm` file beside it (SQLite's `immutable`
    /// mode; the file is not expected to change while it is read). A non-empty `-wal` beside it holds answers
    /// not yet in the file: then a private copy of both is read instead. An empty file, another program's
    /// database or a newer schema is refused.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let store = Store::open_read_only_unchecked(path)?;
        store.check_before_writing()?;
        // A portquiz database has its schema; version 0 is an empty SQLite file.
        if store.schema_version()? < 1 {
            return Err(StoreError::NotADatabase { path: store.path });
        }
        Ok(store)
    }

    /// For commands that only read (`stats`, `cards`): [`Store::open`], except that a database this user
    /// cannot write is read as [`Store::open_read_only`] reads another machine's, leaving nothing beside it.
    pub fn open_to_read(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        match Store::open(path.as_ref()) {
            Err(StoreError::ReadOnly { .. }) => Store::open_read_only(path),
            other => other,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database (after migration: [`SCHEMA_VERSION`]).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| self.err(e))
    }

    /// Read-only checks: nothing may be written to a file that fails them.
    pub(super) fn check_before_writing(&self) -> Result<(), StoreError> {
        // One statement, so one snapshot: another portquiz may create the schema between two separate reads,
        // and version 0 read before its commit with its tables counted after would look like a foreign file.
        let (version, app_id, tables, foreign): (i64, i32, i64, i64) = self
            .conn
            .query_row(
                &format!(
                    "SELECT (SELECT user_version FROM pragma_user_version),
                            (SELECT application_id FROM pragma_application_id),
                            (SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'),
                            (SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
                                AND name NOT IN ({OWN_OBJECTS}))"
                ),
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .map_err(|e| self.err(e))?;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::NotADatabase {
                path: self.path.clone(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        // Version 0 must be an empty database: tables there belong to some other program. A file without
        // portquiz's mark (written before the mark existed) must hold portquiz's tables and nothing else.
        if version < 0 || (version == 0 && tables > 0) || (app_id == 0 && foreign > 0) {
            return Err(StoreError::NotADatabase {
                path: self.path.clone(),
            });
        }
        Ok(())
    }

    pub(super) fn configure(&self) -> Result<(), StoreError> {
        // Switching a new database to WAL needs it alone: when several portquiz processes start on a fresh
        // data dir at once, SQLite answers "database is locked" without waiting, so wait here.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        let mode: String = loop {
            match self
                .conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            {
                Err(e)
                    if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                result => break result.map_err(|e| self.err(e))?,
            }
        };
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NotWritable {
                path: self.path.clone(),
                reason: format!("SQLite could not switch to WAL mode (it reports {mode:?})"),
            });
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub(super) fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = begin(&mut self.conn, &path)?;
        // Another process may have migrated between the check and this transaction: read again.
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| classify(&path, e))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == SCHEMA_VERSION {
            // A portquiz database from before the mark gets it (the checks above found only our tables).
            let app_id: i32 = tx
                .pragma_query_value(None, "application_id", |row| row.get(0))
                .map_err(|e| classify(&path, e))?;
            if app_id == 0 {
                tx.pragma_update(None, "application_id", APPLICATION_ID)
                    .map_err(|e| classify(&path, e))?;
                tx.commit().map_err(|e| classify(&path, e))?;
            }
            return Ok(());
        }
        let start = usize::try_from(version).unwrap_or(0);
        for sql in &MIGRATIONS[start..] {
            tx.execute_batch(sql).map_err(|e| classify(&path, e))?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| classify(&path, e))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `f(fifo)`'s error message, from a thread given 10 s: a blocking open of a FIFO waits for a writer
    /// forever, and the test then fails instead of hanging.
    fn on_a_fifo(f: fn(&Path) -> Result<(), StoreError>) -> (PathBuf, String) {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("portquiz.sqlite3");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let (sent, answer) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || sent.send(f(&path).map_err(|e| e.to_string())));
        let answer = answer
            .recv_timeout(Duration::from_secs(10))
            .expect("no answer within 10 s: the open blocked on the FIFO");
        drop(dir);
        (fifo, answer.unwrap_err())
    }

    fn not_a_database(path: &Path) -> String {
        format!(
            "{} is not a portquiz database (it is not an SQLite file, is damaged, or belongs to another program); portquiz left it untouched: move it aside, or pass --data-dir to use another directory",
            path.display()
        )
    }

    #[test]
    fn the_header_check_refuses_a_fifo_without_blocking() {
        let (fifo, error) = on_a_fifo(check_header);
        assert_eq!(error, not_a_database(&fifo));
    }

    #[test]
    fn the_read_only_open_refuses_a_fifo_without_blocking() {
        let (fifo, error) = on_a_fifo(|p| Store::open_read_only(p).map(drop));
        assert_eq!(error, not_a_database(&fifo));
        let (fifo, error) = on_a_fifo(|p| Store::open_damaged(p).map(drop));
        assert_eq!(error, not_a_database(&fifo));
    }

    #[test]
    fn the_header_check_passes_a_missing_or_empty_file_and_refuses_another_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portquiz.sqlite3");
        assert!(check_header(&path).is_ok());
        std::fs::write(&path, b"").unwrap();
        assert!(check_header(&path).is_ok());
        std::fs::write(&path, b"not SQLite at all").unwrap();
        assert_eq!(
            check_header(&path).unwrap_err().to_string(),
            not_a_database(&path)
        );
        let mut header = b"SQLite format 3\0".to_vec();
        header.resize(100, 0);
        std::fs::write(&path, &header).unwrap();
        assert!(check_header(&path).is_ok());
    }
}

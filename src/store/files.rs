//! The files SQLite opens beside the progress database (`-wal`, `-shm`, `-journal`), checked before it
//! opens any: SQLite opens them with a blocking `open`, so a FIFO there would hang every command, and a
//! device or folder there is no working file either. Only reads metadata; opens nothing.
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// The files SQLite may open beside a database.
pub const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` added to its file name (`-wal`, `-shm`, `-journal`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Refuses, before SQLite opens anything, a database path or side file that exists and is not a regular
/// file (links followed). Missing files are fine: SQLite creates them.
pub fn refuse_special_files(db: &Path) -> Result<(), StoreError> {
    for suffix in SIDE_FILES {
        let side = sibling(db, suffix);
        if let Some(kind) = crate::open::irregular_at(&side) {
            return Err(StoreError::SpecialFile {
                db: db.to_path_buf(),
                path: side,
                kind,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_at_any_side_file_is_refused_by_name() {
        for suffix in SIDE_FILES {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("portquiz.sqlite3");
            let side = sibling(&db, suffix);
            let made = std::process::Command::new("mkfifo").arg(&side).status();
            assert!(made.unwrap().success());
            assert_eq!(
                refuse_special_files(&db).unwrap_err().to_string(),
                format!(
                    "cannot open the progress database {}: {} is a FIFO (named pipe), not a regular file, and SQLite would wait on it forever; remove it (portquiz never makes one), or pass --data-dir to use another directory",
                    db.display(),
                    side.display()
                )
            );
        }
    }
}

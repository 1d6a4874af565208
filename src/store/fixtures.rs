//! Test fixture: a [`Store`] on a fresh database in a temporary directory, removed with it.
use std::ops::{Deref, DerefMut};

use crate::store::{DB_FILE_NAME, Store};

/// A store on a new `portquiz.sqlite3` in a temporary directory; derefs to the [`Store`].
pub(crate) struct TempStore {
    // Dropped before the directory: the connection closes before its files are removed.
    store: Store,
    _dir: tempfile::TempDir,
}

impl TempStore {
    /// Opens (and so creates and migrates) a fresh database.
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(dir.path().join(DB_FILE_NAME)).expect("a fresh store");
        Self { store, _dir: dir }
    }
}

impl Deref for TempStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl DerefMut for TempStore {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}

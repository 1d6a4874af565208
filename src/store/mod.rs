//! Progress storage: SQLite (`rusqlite`, bundled) at `<data-dir>/portquiz.sqlite3`. Owns the schema and its
//! migrations, card states keyed by deck id + card id, the append-only review log and the settings table.
//! Nothing else in portquiz speaks SQL; this module does no scheduling (see [`crate::schedule`]).
//!
//! Guarantees:
//! - Each answer is ONE `BEGIN IMMEDIATE` transaction (log row + card state), committed with
//!   `synchronous=FULL` in WAL mode, so once [`Store::record_answer`] returns the answer survives a crash.
//! - Several processes can share the file: WAL, a 5 s busy timeout, and IMMEDIATE write transactions.
//! - A file that is not a portquiz database, or comes from a newer portquiz, is refused and never written.
//! - Timestamps are stored as INTEGER microseconds since the Unix epoch: finer precision is dropped.
//! - Cards whose deck no longer has them keep their rows and history; they are simply not queued.
mod confidence;
mod db;
mod error;
mod files;
#[cfg(test)]
pub(crate) mod fixtures;
mod log;
mod migrations;
mod open;
mod repair;
mod settings;
mod states;
mod tx;

pub use crate::review::AnswerId;
pub use confidence::{Calibration, Confidence, Hits};
pub use db::{BUSY_TIMEOUT, Store};
pub use error::{Blocker, StoreError};
pub use log::{Answer, AnswerKind, Overrides, Undone};
pub use migrations::SCHEMA_VERSION;
pub use repair::Salvaged;
pub use tx::WriteTx;

/// File name of the database inside the data directory.
pub const DB_FILE_NAME: &str = "portquiz.sqlite3";

//! [`Store`]: the connection and what every part of the store shares (the error helper, the row readers'
//! corruption error). The concerns live beside it: opening and migrations ([`super::open`]), card states
//! ([`super::states`]), the review log ([`super::log`]), settings ([`super::settings`]) and the write
//! transaction ([`super::tx`]).
use crate::schedule::CardState;
use crate::schedule::Rating;
use crate::schedule::review::Review;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode};

use super::error::StoreError;

/// Every table and index portquiz's migrations create, as an SQL list: a file without portquiz's mark that
/// holds anything else is another program's.
pub(super) const OWN_OBJECTS: &str = "'cards', 'cards_due', 'reviews', 'reviews_time', 'reviews_card', 'reviews_overridden', 'reviews_confidence', \
     'close_answers', 'settings', 'suspended'";

/// How long a write waits for another portquiz process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The progress database: card states, the review log, settings. Each process (or thread) opens its own.
#[derive(Debug)]
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// For [`Store::open_read_only`] of a file with a pending write-ahead log: the private copy read instead.
    pub(super) _copy: Option<tempfile::TempDir>,
    /// A damage check running beside the session ([`Store::check_for_damage_in_background`]); the first
    /// write waits for its verdict.
    pub(super) damage_check: Option<std::thread::JoinHandle<Vec<String>>>,
    /// Card states read ahead by [`Store::prefetch_states`], handed out by [`Store::each_state`] until the
    /// first write.
    pub(super) prefetched: Option<Prefetched>,
}

pub(super) fn corrupt(path: &Path, what: &str, value: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        what: what.to_owned(),
        value,
    }
}

/// `what` names the field for the error; it is only formatted when the value is bad (this runs for every
/// review-log row).
pub(super) fn timestamp(
    path: &Path,
    what: impl FnOnce() -> String,
    micros: i64,
) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|_| corrupt(path, &what(), micros.to_string()))
}

/// Maps SQLite errors to the variants a user can act on.
pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path,
            problems: vec![e.to_string()],
        },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::NotWritable {
                path,
                reason: e.to_string(),
            }
        }
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => StoreError::DiskFailed {
            path,
            reason: e.to_string(),
        },
        _ => StoreError::Sqlite { path, error: e },
    }
}

/// Reads a review-log row (the columns `id, deck, card, time, rating, state_before, elapsed_days,
/// duration_ms, cram`, in that order), refusing values portquiz could not have written.
pub(super) fn review_ref<'r>(
    path: &Path,
    row: &'r rusqlite::Row<'_>,
) -> Result<Review<&'r str>, StoreError> {
    let get_err = |e| classify(path, e);
    let text = |i: usize| -> Result<&'r str, StoreError> {
        row.get_ref(i)
            .map_err(get_err)?
            .as_str()
            .map_err(|e| classify(path, e.into()))
    };
    let id: i64 = row.get(0).map_err(get_err)?;
    let what = |field: &str| format!("{field} of answer {id}");
    let time: i64 = row.get(3).map_err(get_err)?;
    let rating: i64 = row.get(4).map_err(get_err)?;
    let state_before = text(5)?;
    let elapsed_days: i64 = row.get(6).map_err(get_err)?;
    let duration_ms: i64 = row.get(7).map_err(get_err)?;
    Ok(Review {
        id,
        deck: text(1)?,
        card: text(2)?,
        time: timestamp(path, || what("time"), time)?,
        rating: u8::try_from(rating)
            .ok()
            .and_then(Rating::from_u8)
            .ok_or_else(|| corrupt(path, &what("rating"), rating.to_string()))?,
        state_before: state_before
            .parse()
            .map_err(|_| corrupt(path, &what("state_before"), state_before.to_owned()))?,
        elapsed_days: u32::try_from(elapsed_days)
            .map_err(|_| corrupt(path, &what("elapsed_days"), elapsed_days.to_string()))?,
        duration_ms: u64::try_from(duration_ms)
            .map_err(|_| corrupt(path, &what("duration_ms"), duration_ms.to_string()))?,
        cram: row.get(8).map_err(get_err)?,
    })
}

/// Card states read ahead: their ids in one string, and per state where its ids are in it.
#[derive(Debug, Default)]
pub(super) struct Prefetched {
    pub(super) ids: String,
    /// Per state: where its deck id starts in `ids`, where it ends (the card id follows), and where the
    /// card id ends.
    pub(super) rows: Vec<(usize, usize, usize, CardState)>,
}

/// Begins a write transaction (`BEGIN IMMEDIATE`: another writer waits up to [`BUSY_TIMEOUT`]): the one way
/// the store starts writing.
pub(super) fn begin<'c>(
    conn: &'c mut Connection,
    path: &Path,
) -> Result<rusqlite::Transaction<'c>, StoreError> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| classify(path, e))
}

impl Store {
    pub(super) fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::confidence::CALIBRATION_SQL;
    use crate::store::fixtures::TempStore;
    use crate::store::log::{ANSWERED_SINCE_SQL, CLOSE_SQL, COUNT_SINCE_SQL, OVERRIDDEN_SQL};
    use crate::store::states::STATES_SQL;

    /// SQLite's plan for `sql`, one step per line.
    fn plan(store: &Store, sql: &str) -> String {
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        // Parameters left unbound (NULL): the plan does not depend on their values.
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            steps.push(row.get::<_, String>(3).unwrap());
        }
        steps.join("\n")
    }

    #[test]
    fn the_queries_before_the_first_question_and_in_stats_never_read_the_whole_log() {
        let store = TempStore::new();
        assert_eq!(
            plan(&store, ANSWERED_SINCE_SQL),
            "SEARCH reviews USING INDEX reviews_time (time>?)"
        );
        assert_eq!(
            plan(&store, COUNT_SINCE_SQL),
            "SEARCH reviews USING INDEX reviews_time (time>?)"
        );
        assert_eq!(
            plan(&store, OVERRIDDEN_SQL),
            "CO-ROUTINE o\nSCAN reviews USING INDEX reviews_overridden\nSCAN o\n\
             CORRELATED SCALAR SUBQUERY 2\n\
             SEARCH r USING COVERING INDEX reviews_card (deck=? AND card=?)\n\
             USE TEMP B-TREE FOR ORDER BY"
        );
        assert_eq!(
            plan(&store, CLOSE_SQL),
            "CO-ROUTINE o\nSCAN c\nSEARCH r USING INTEGER PRIMARY KEY (rowid=?)\nUSE TEMP B-TREE FOR GROUP BY\n\
             SCAN o\nCORRELATED SCALAR SUBQUERY 2\n\
             SEARCH r USING COVERING INDEX reviews_card (deck=? AND card=?)\n\
             USE TEMP B-TREE FOR ORDER BY"
        );
        assert_eq!(
            plan(&store, CALIBRATION_SQL),
            "SEARCH reviews USING COVERING INDEX reviews_confidence (confidence>?)"
        );
        assert_eq!(plan(&store, STATES_SQL), "SCAN cards");
    }

    /// Every state as `each_state` hands it out: "deck/card state reps".
    fn states(store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        store
            .each_state(&mut |deck, card, s| {
                out.push(format!("{deck}/{card} {} {}", s.state, s.reps))
            })
            .unwrap();
        out.sort();
        out
    }

    #[test]
    fn prefetched_states_are_the_stored_ones_until_the_first_write() {
        let mut store = TempStore::new();
        store
            .conn
            .execute_batch(
                "INSERT INTO cards (deck, card, state, reps) VALUES ('ports', 'ssh', 'review', 3),
                        ('ports', 't/r/c', 'learning', 1), ('sockets', 'ssh', 'relearning', 7);",
            )
            .unwrap();
        let streamed = states(&store);
        assert_eq!(
            streamed,
            [
                "ports/ssh review 3",
                "ports/t/r/c learning 1",
                "sockets/ssh relearning 7"
            ]
        );
        store.prefetch_states().unwrap();
        // Changed behind the store's back: the prefetched states are still handed out...
        store
            .conn
            .execute("DELETE FROM cards WHERE deck = 'sockets'", [])
            .unwrap();
        assert_eq!(states(&store), streamed);
        // ...until the store writes, which forgets them.
        store.forget(Some("ports"), Some("ssh")).unwrap();
        assert_eq!(states(&store), ["ports/t/r/c learning 1"]);
    }

    #[test]
    fn own_objects_names_every_table_and_index_the_migrations_create() {
        let store = TempStore::new();
        let mut stmt = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let created: Vec<String> = stmt
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut own: Vec<String> = OWN_OBJECTS
            .split(',')
            .map(|n| n.trim().trim_matches('\'').to_string())
            .collect();
        own.sort();
        assert_eq!(created, own);
    }
}

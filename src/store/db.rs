//! [`Store`]: the connection, opening checks, migrations, and every query.
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

use super::error::{Blocker, StoreError};
use super::migrations::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
use crate::deck::CardRef;
use crate::review::{AnswerId, Review};
use crate::schedule::{CardState, Rating, State};

/// Today's answers by the state their card was in (the daily limits); found on the time index.
const COUNT_SINCE_SQL: &str =
    "SELECT COUNT(*) FROM reviews WHERE cram = 0 AND state_before = ?1 AND time >= ?2";

/// The cards answered since a time. No DISTINCT (the caller's set removes repeats): with it, SQLite
/// walks the whole log in (deck, card) index order to find today's few rows, which was most of a
/// session's start-up at 100,000 reviews.
const ANSWERED_SINCE_SQL: &str = "SELECT deck, card FROM reviews WHERE time >= ?1";

/// The cards overridden at least `?1` times, with their answer counts: the few overridden rows found on
/// their partial index (schema 4), then each such card's answers counted on the (deck, card) index.
/// Grouping the whole log by that index looked every row up in the table (1,000,000 random seeks:
/// `stats` 0.7 -> 5 s of CPU at 100,000 cards); reading the log in table order for them was still 80 ms.
const OVERRIDDEN_SQL: &str = "WITH o AS (SELECT deck, card, COUNT(*) AS n FROM reviews WHERE overridden
                                 GROUP BY deck, card HAVING n >= ?1)
     SELECT deck, card, n, (SELECT COUNT(*) FROM reviews r WHERE r.deck = o.deck AND r.card = o.card)
     FROM o ORDER BY n DESC, deck, card";

/// One review-log row.
const INSERT_REVIEW_SQL: &str = "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram, card_before, overridden, kind)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Every stored card state (the columns [`state_from_row`] reads).
const STATES_SQL: &str = "SELECT deck, card, state, step, stability, difficulty, due, reps, lapses, last_review FROM cards";

/// Every table and index portquiz's migrations create, as an SQL list: a file without portquiz's mark that
/// holds anything else is another program's.
const OWN_OBJECTS: &str = "'cards', 'cards_due', 'reviews', 'reviews_time', 'reviews_card', 'reviews_overridden', 'settings', \
     'suspended'";

/// How long a write waits for another portquiz process holding the database before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One answer to record with [`Store::record_answer`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<'a> {
    /// The card answered.
    pub card: &'a CardRef,
    /// When the answer was given.
    pub time: Timestamp,
    /// The grade.
    pub rating: Rating,
    /// Study days since the card's previous review (0 for a new card), as the scheduler counted them.
    pub elapsed_days: u32,
    /// How long the candidate took, in milliseconds.
    pub duration_ms: u64,
    /// The card's state after the answer; `None` for a cram answer, which is logged (cram = 1) and leaves
    /// the card's state as it is.
    pub new_state: Option<&'a CardState>,
    /// Whether the candidate overrode portquiz's verdict of wrong ("I was right") and graded it themself.
    pub overridden: bool,
    /// The state `new_state` was computed from. When the stored state differs (another portquiz changed
    /// the card meanwhile: `merge`, a second session), nothing is written and [`StoreError::Stale`] hands
    /// back the stored state to compute from again. `None`: no such check.
    pub based_on: Option<&'a CardState>,
    /// The round the answer was given in (the review log marks interview answers).
    pub kind: AnswerKind,
}

/// The round an answer was given in, as the review log's `kind` column names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AnswerKind {
    /// `portquiz study` (and everything recorded before interviews existed).
    #[default]
    Study,
    /// `portquiz interview`: a mock interview round.
    Interview,
}

impl AnswerKind {
    /// The value stored in the review log's `kind` column (`None`, NULL, for a study answer).
    fn stored(self) -> Option<&'static str> {
        match self {
            AnswerKind::Study => None,
            AnswerKind::Interview => Some("interview"),
        }
    }

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Study => "study",
            AnswerKind::Interview => "interview",
        }
    }
}

/// How often the candidate overrode portquiz's verdict of wrong on one card ("I was right").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrides {
    pub deck: String,
    pub card: String,
    /// Answers marked overridden.
    pub overrides: u32,
    /// Every answer to the card in the log.
    pub answers: u32,
}

/// What [`Store::undo`] reverted.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The card.
    pub key: CardRef,
    /// Its state now (as before the undone answer; `CardState::new()` if it had none).
    pub state: CardState,
    /// Whether the undone answer was a cram answer (the card's state was not touched).
    pub cram: bool,
}

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

/// Card states read ahead: their ids in one string, and per state where its ids are in it.
#[derive(Debug, Default)]
pub(super) struct Prefetched {
    ids: String,
    /// Per state: where its deck id starts in `ids`, where it ends (the card id follows), and where the
    /// card id ends.
    rows: Vec<(usize, usize, usize, CardState)>,
}

/// A write transaction (`BEGIN IMMEDIATE`) for work that reads the log and writes from what it read
/// (`merge`): other writers wait until it commits, so no answer can fall between its read and its write.
/// Dropped without [`WriteTx::commit`], it rolls back.
pub struct WriteTx<'s> {
    tx: rusqlite::Transaction<'s>,
    path: &'s Path,
}

impl WriteTx<'_> {
    /// One card's review log, oldest first (see [`Store::card_reviews`]).
    pub fn card_reviews(&self, deck: &str, card: &str) -> Result<Vec<Review>, StoreError> {
        card_reviews(&self.tx, self.path, deck, card)
    }

    /// Number of rows in the review log (cram included).
    pub fn review_count(&self) -> Result<u64, StoreError> {
        review_count(&self.tx, self.path)
    }

    /// What tells answers apart, for every row of the log: deck, card, instant (microseconds) and rating
    /// as stored, unchecked (a merge only compares them; [`Store::scan_reviews`] checks every field).
    pub fn scan_answer_keys(
        &self,
        mut f: impl FnMut(&str, &str, i64, i64),
    ) -> Result<(), StoreError> {
        let err = |e| classify(self.path, e);
        let mut stmt = self
            .tx
            .prepare("SELECT deck, card, time, rating FROM reviews")
            .map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            f(
                text_at(row, 0).map_err(err)?,
                text_at(row, 1).map_err(err)?,
                row.get(2).map_err(err)?,
                row.get(3).map_err(err)?,
            );
        }
        Ok(())
    }

    /// A [`ReviewInserter`]: appends review-log rows, each with the card's state before it when given (for
    /// undo). The log does not carry the "I was right" mark of another machine's answers (merge, repair).
    pub fn review_inserter(&self) -> Result<ReviewInserter<'_>, StoreError> {
        Ok(ReviewInserter {
            stmt: self
                .tx
                .prepare_cached(INSERT_REVIEW_SQL)
                .map_err(|e| classify(self.path, e))?,
            path: self.path,
            before: Vec::new(),
        })
    }

    /// Sets a card's state.
    pub fn write_state(&self, deck: &str, card: &str, state: &CardState) -> Result<(), StoreError> {
        write_state(&self.tx, self.path, deck, card, state)
    }

    /// Runs `f`, a bulk write (a merge of more answers than the log holds, a repair into a fresh file),
    /// with the log's time index and the cards' due index dropped, then builds them again as they were:
    /// one sort per index instead of a random index page touched per row (the (deck, card, id) index is
    /// kept: the rows come in its order). With the indexes kept, SQLite's page cache spilled pages of
    /// them to the write-ahead log and read them back all along (a larger cache did not help: 64 MiB was
    /// slower than the default 2 MiB once the indexes were dropped). All inside the transaction: a failure
    /// leaves the indexes as they were.
    pub fn bulk<T, E: From<StoreError>>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let sql = |e| classify(self.path, e);
        let indexes: Vec<(String, String)> = {
            let mut stmt = self
                .tx
                .prepare(
                    "SELECT name, sql FROM sqlite_master
                     WHERE type = 'index' AND tbl_name IN ('reviews', 'cards') AND sql IS NOT NULL
                           AND name <> 'reviews_card'",
                )
                .map_err(sql)?;
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .map_err(sql)?
                .collect::<Result<_, _>>()
                .map_err(sql)?
        };
        for (name, _) in &indexes {
            self.tx
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .map_err(sql)?;
        }
        let out = f()?;
        for (_, create) in &indexes {
            self.tx.execute_batch(create).map_err(sql)?;
        }
        Ok(out)
    }

    /// Commits everything written in the transaction.
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().map_err(|e| classify(self.path, e))
    }
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
        let meta = std::fs::File::open(&path)
            .and_then(|f| f.metadata())
            .map_err(unreadable)?;
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

    /// Starts a [`WriteTx`], waiting up to [`BUSY_TIMEOUT`] for another writer.
    pub fn write_transaction(&mut self) -> Result<WriteTx<'_>, StoreError> {
        self.ensure_undamaged()?;
        let path = &self.path;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        Ok(WriteTx { tx, path })
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
    fn check_before_writing(&self) -> Result<(), StoreError> {
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

    fn configure(&self) -> Result<(), StoreError> {
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

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
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

    /// Records one answer in ONE transaction: the review-log row (with the card's previous state, for undo)
    /// and, unless it is a cram answer, the card's new state. Returns the answer's id. When this returns
    /// `Ok`, the answer is on disk.
    pub fn record_answer(&mut self, answer: &Answer<'_>) -> Result<AnswerId, StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let (deck, card) = (answer.card.deck.as_str(), answer.card.card.as_str());
        let before = read_state(&tx, &path, deck, card)?;
        if let (Some(_), Some(based_on)) = (answer.new_state, answer.based_on) {
            let stored = before.clone().unwrap_or_default();
            if !same_as_stored(&stored, based_on) {
                return Err(StoreError::Stale {
                    card: answer.card.to_string(),
                    current: Box::new(stored),
                });
            }
        }
        let entry = Review {
            id: 0,
            deck,
            card,
            time: answer.time,
            rating: answer.rating,
            state_before: before.as_ref().map_or(State::New, |card| card.state),
            elapsed_days: answer.elapsed_days,
            duration_ms: answer.duration_ms,
            cram: answer.new_state.is_none(),
        };
        insert_review(
            &tx,
            &path,
            entry,
            before.as_ref(),
            Marks {
                overridden: answer.overridden,
                kind: answer.kind,
            },
        )?;
        let id = tx.last_insert_rowid();

        if let Some(state) = answer.new_state {
            write_state(&tx, &path, deck, card, state)?;
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(id)
    }

    /// Reverts answer `id` in one transaction: deletes its review-log row and, unless it was a cram answer,
    /// restores the card's state exactly as it was before (removing the row of a card that had none).
    /// Only a card's latest scheduled answer can be undone.
    pub fn undo(&mut self, id: AnswerId) -> Result<Undone, StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let row: Option<(String, String, bool, Option<String>)> = tx
            .query_row(
                "SELECT deck, card, cram, card_before FROM reviews WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(|e| classify(&path, e))?;
        let Some((deck, card, cram, before_json)) = row else {
            return Err(StoreError::NoSuchAnswer { id });
        };
        let key = CardRef::parse(&deck, &card)
            .map_err(|e| corrupt(&path, &format!("card of answer {id}"), e.text))?;
        let state = if cram {
            read_state(&tx, &path, &deck, &card)?.unwrap_or_default()
        } else {
            let latest: i64 = tx
                .query_row(
                    "SELECT MAX(id) FROM reviews WHERE deck = ?1 AND card = ?2 AND cram = 0",
                    params![deck, card],
                    |row| row.get(0),
                )
                .map_err(|e| classify(&path, e))?;
            if latest != id {
                return Err(StoreError::UndoNotLatest {
                    id,
                    deck,
                    card,
                    latest,
                });
            }
            match before_json {
                None => {
                    tx.execute(
                        "DELETE FROM cards WHERE deck = ?1 AND card = ?2",
                        params![deck, card],
                    )
                    .map_err(|e| classify(&path, e))?;
                    CardState::new()
                }
                Some(json) => {
                    let state: CardState = serde_json::from_str(&json).map_err(|_| {
                        corrupt(&path, &format!("undo state of answer {id}"), json.clone())
                    })?;
                    write_state(&tx, &path, &deck, &card, &state)?;
                    state
                }
            }
        };
        tx.execute("DELETE FROM reviews WHERE id = ?1", [id])
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(Undone { key, state, cram })
    }

    /// The stored state of one card (`None`: never answered outside cram).
    pub fn card_state(&self, deck: &str, card: &str) -> Result<Option<CardState>, StoreError> {
        read_state(&self.conn, &self.path, deck, card)
    }

    /// Every stored card state. Cards whose deck no longer has them are included (history is kept); rows
    /// whose ids break the id rule (which no deck card can have) are left out.
    pub fn all_states(&self) -> Result<HashMap<CardRef, CardState>, StoreError> {
        self.query_states(STATES_SQL, [])
    }

    /// The stored states of one deck's cards.
    pub fn deck_states(&self, deck: &str) -> Result<HashMap<CardRef, CardState>, StoreError> {
        self.query_states(
            "SELECT deck, card, state, step, stability, difficulty, due, reps, lapses, last_review FROM cards WHERE deck = ?1",
            [deck],
        )
    }

    fn query_states<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<HashMap<CardRef, CardState>, StoreError> {
        let mut out = HashMap::new();
        self.each_state_of(sql, params, &mut |deck, card, state| {
            if let Ok(key) = CardRef::parse(deck, card) {
                out.insert(key, state);
            }
        })?;
        Ok(out)
    }

    /// Hands every stored card state to `f` with its deck and card ids lent from the row: nothing is
    /// allocated per card (at 100,000 cards, building a map of owned keys was a third of the start-up).
    pub fn each_state(&self, f: &mut dyn FnMut(&str, &str, CardState)) -> Result<(), StoreError> {
        if let Some(p) = &self.prefetched {
            for (start, deck_end, card_end, state) in &p.rows {
                f(
                    &p.ids[*start..*deck_end],
                    &p.ids[*deck_end..*card_end],
                    state.clone(),
                );
            }
            return Ok(());
        }
        self.each_state_of(STATES_SQL, [], f)
    }

    /// Reads every card state now, for [`Store::each_state`] to hand out later: a session opens the store
    /// on a thread of its own and reads the states there while the decks load (at 100,000 cards, 45 ms
    /// that no longer add to the start-up). The first write forgets them.
    pub fn prefetch_states(&mut self) -> Result<(), StoreError> {
        let mut p = Prefetched::default();
        self.each_state_of(STATES_SQL, [], &mut |deck, card, state| {
            let start = p.ids.len();
            p.ids.push_str(deck);
            let deck_end = p.ids.len();
            p.ids.push_str(card);
            p.rows.push((start, deck_end, p.ids.len(), state));
        })?;
        self.prefetched = Some(p);
        Ok(())
    }

    fn each_state_of<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
        f: &mut dyn FnMut(&str, &str, CardState),
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let deck = text_at(row, 0).map_err(|e| self.err(e))?;
            let card = text_at(row, 1).map_err(|e| self.err(e))?;
            let state = state_from_row(&self.path, deck, card, row)?;
            f(deck, card, state);
        }
        Ok(())
    }

    /// New cards introduced (first scheduled answer) at or after `since`, e.g. the start of the study day.
    pub fn new_introduced_since(&self, since: Timestamp) -> Result<u32, StoreError> {
        self.count_since("new", since)
    }

    /// Scheduled answers to cards in the review state at or after `since` (what the daily review limit counts).
    pub fn reviews_since(&self, since: Timestamp) -> Result<u32, StoreError> {
        self.count_since("review", since)
    }

    fn count_since(&self, state_before: &str, since: Timestamp) -> Result<u32, StoreError> {
        let n: i64 = self
            .conn
            .query_row(
                COUNT_SINCE_SQL,
                params![state_before, since.as_microsecond()],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Number of rows in the review log (cram included).
    pub fn review_count(&self) -> Result<u64, StoreError> {
        review_count(&self.conn, &self.path)
    }

    /// Calls `f` for each review-log row at or after `since` (all rows if `None`), in time order (ties in
    /// recording order), streaming: rows are not collected in memory. Cram rows are included (see `cram`).
    pub fn for_each_review(
        &self,
        since: Option<Timestamp>,
        mut f: impl FnMut(Review),
    ) -> Result<(), StoreError> {
        self.try_for_each_review(since, |entry| {
            f(entry);
            Ok::<(), StoreError>(())
        })
    }

    /// Like [`Store::for_each_review`], but `f` may fail (e.g. writing an export); the first error stops
    /// the scan and is returned. Store errors convert into `E` (e.g. `anyhow::Error`).
    pub fn try_for_each_review<E: From<StoreError>>(
        &self,
        since: Option<Timestamp>,
        mut f: impl FnMut(Review) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
                 FROM reviews WHERE time >= ?1 ORDER BY time, id",
            )
            .map_err(|e| self.err(e))?;
        let since = since.map_or(i64::MIN, Timestamp::as_microsecond);
        let mut rows = stmt.query([since]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            f(self.log_entry(row)?)?;
        }
        Ok(())
    }

    /// The answers given in mock interviews (`kind = 'interview'`), in time order.
    pub fn interview_reviews(&self) -> Result<Vec<Review>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
                 FROM reviews WHERE kind = 'interview' ORDER BY time, id",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            out.push(self.log_entry(row)?);
        }
        Ok(out)
    }

    /// Calls `f` for every review-log row in recording order (by id, not by time), with the deck and card
    /// lent from the row: a sequential scan without sorting or per-row allocation, for aggregates that do
    /// not depend on order (`stats` reads 100,000 rows and more on every run).
    ///
    /// With `since`, only the answers given at or after it, found through the time index (in time order):
    /// `stats` needs a month of a year-long log.
    pub fn scan_reviews(
        &self,
        since: Option<Timestamp>,
        f: impl FnMut(Review<&'_ str>),
    ) -> Result<(), StoreError> {
        scan_reviews(&self.conn, &self.path, since, f)
    }

    /// The cards answered (cram included) at or after `since`, e.g. today, for burying their siblings.
    pub fn cards_answered_since(&self, since: Timestamp) -> Result<HashSet<CardRef>, StoreError> {
        self.card_refs(ANSWERED_SINCE_SQL, [since.as_microsecond()])
    }

    /// The suspended cards (taken out of rotation by the candidate).
    pub fn suspended(&self) -> Result<HashSet<CardRef>, StoreError> {
        self.card_refs("SELECT deck, card FROM suspended", [])
    }

    /// The `(deck, card)` rows of a query as card references. A row whose ids break the rule (a hand-edited
    /// file) cannot name a loaded card: it is skipped.
    fn card_refs<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<HashSet<CardRef>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.err(e))?;
        let mut out = HashSet::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let deck: String = row.get(0).map_err(|e| self.err(e))?;
            let card: String = row.get(1).map_err(|e| self.err(e))?;
            if let Ok(card) = CardRef::parse(&deck, &card) {
                out.insert(card);
            }
        }
        Ok(out)
    }

    /// Suspends a card (`true`, from `now`) or brings it back (`false`); returns whether anything changed.
    pub fn set_suspended(
        &mut self,
        card: &CardRef,
        suspended: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let (deck, id) = (card.deck.as_str(), card.card.as_str());
        let changed = if suspended {
            self.conn.execute(
                "INSERT OR IGNORE INTO suspended (deck, card, since) VALUES (?1, ?2, ?3)",
                params![deck, id, now.as_microsecond()],
            )
        } else {
            self.conn.execute(
                "DELETE FROM suspended WHERE deck = ?1 AND card = ?2",
                params![deck, id],
            )
        }
        .map_err(|e| self.err(e))?;
        Ok(changed > 0)
    }

    /// time index; stops at the first such answer).
    pub fn answered_between(
        &self,
        from: Timestamp,
        to: Timestamp,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<bool, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT deck FROM reviews WHERE time >= ?1 AND time < ?2")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query([from.as_microsecond(), to.as_microsecond()])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let deck = row
                .get_ref(0)
                .map_err(|e| self.err(e))?
                .as_str()
                .map_err(|e| self.err(e.into()))?;
            if wanted(deck) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The cards whose verdict was overridden at least `at_least` (1 or more) times over the whole log, most overridden
    /// first (then by deck and card).
    pub fn overridden_cards(&self, at_least: u32) -> Result<Vec<Overrides>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(OVERRIDDEN_SQL)
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([at_least], |row| {
                Ok(Overrides {
                    deck: row.get(0)?,
                    card: row.get(1)?,
                    overrides: row.get(2)?,
                    answers: row.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The review log of one card, oldest first.
    pub fn card_reviews(&self, deck: &str, card: &str) -> Result<Vec<Review>, StoreError> {
        card_reviews(&self.conn, &self.path, deck, card)
    }

    fn log_entry(&self, row: &rusqlite::Row<'_>) -> Result<Review, StoreError> {
        review_ref(&self.path, row).map(|r| r.owned())
    }

    /// A setting's value (`None` if unset). Keys used by portquiz are in [`crate::settings`].
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a setting, replacing any previous value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Removes a setting; returns whether it was set.
    pub fn remove_setting(&self, key: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Forgets progress (`portquiz reset`): deletes the stored states of `deck`'s cards (every deck when
    /// `None`; only `card` when given), so they are new again, in one transaction. The review log is kept
    /// as history (for `optimize` and `stats`). Returns how many cards were reset.
    pub fn forget(&mut self, deck: Option<&str>, card: Option<&str>) -> Result<usize, StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let n = match (deck, card) {
            (None, _) => tx.execute("DELETE FROM cards", []),
            (Some(deck), None) => tx.execute("DELETE FROM cards WHERE deck = ?1", [deck]),
            (Some(deck), Some(card)) => tx.execute(
                "DELETE FROM cards WHERE deck = ?1 AND card = ?2",
                [deck, card],
            ),
        }
        .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(n)
    }

    /// Adds review-log rows made elsewhere (`portquiz merge`) and sets card states, in ONE transaction.
    /// Each review comes with the card's state before it (for undo, as [`Store::record_answer`] keeps);
    /// its `id` is ignored (a new one is given).
    pub fn import_reviews(
        &mut self,
        reviews: &[(Review, Option<CardState>)],
        states: &[(CardRef, CardState)],
    ) -> Result<(), StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        for (r, before) in reviews {
            insert_review(&tx, &path, r.borrowed(), before.as_ref(), Marks::default())?;
        }
        for (key, state) in states {
            write_state(&tx, &path, key.deck.as_str(), key.card.as_str(), state)?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
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

/// [`Store::review_count`] on any connection (the store's, or a [`WriteTx`]'s).
fn review_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |row| row.get(0))
        .map_err(|e| classify(path, e))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The body of [`Store::scan_reviews`].
fn scan_reviews(
    conn: &Connection,
    path: &Path,
    since: Option<Timestamp>,
    mut f: impl FnMut(Review<&'_ str>),
) -> Result<(), StoreError> {
    let err = |e| classify(path, e);
    let mut stmt = conn
        .prepare(if since.is_some() {
            // The time index gives this order without a sort step.
            "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
             FROM reviews WHERE time >= ?1 ORDER BY time, id"
        } else {
            "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
             FROM reviews ORDER BY id"
        })
        .map_err(err)?;
    let mut rows = match since {
        Some(t) => stmt.query([t.as_microsecond()]),
        None => stmt.query([]),
    }
    .map_err(err)?;
    while let Some(row) = rows.next().map_err(err)? {
        f(review_ref(path, row)?);
    }
    Ok(())
}

/// [`Store::card_reviews`] on any connection.
fn card_reviews(
    conn: &Connection,
    path: &Path,
    deck: &str,
    card: &str,
) -> Result<Vec<Review>, StoreError> {
    let err = |e| classify(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
             FROM reviews WHERE deck = ?1 AND card = ?2 ORDER BY time, id",
        )
        .map_err(err)?;
    let mut rows = stmt.query([deck, card]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        out.push(review_ref(path, row)?.owned());
    }
    Ok(out)
}

/// What the review log marks about an answer beyond the [`Review`] row.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    /// The candidate overrode a verdict of wrong.
    overridden: bool,
    kind: AnswerKind,
}

/// Appends one review-log row (its `id` is ignored: SQLite gives the next one), with the card's state before
/// it as JSON for undo.
fn insert_review(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    r: Review<&str>,
    before: Option<&CardState>,
    marks: Marks,
) -> Result<(), StoreError> {
    let before_json = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| corrupt(path, "card state", e.to_string()))?;
    tx.prepare_cached(INSERT_REVIEW_SQL)
        .and_then(|mut stmt| execute_insert(&mut stmt, &r, before_json.as_deref(), marks))
        .map_err(|e| classify(path, e))
}

/// Runs [`INSERT_REVIEW_SQL`] for one row.
fn execute_insert(
    stmt: &mut rusqlite::Statement<'_>,
    r: &Review<&str>,
    before_json: Option<&str>,
    marks: Marks,
) -> rusqlite::Result<()> {
    stmt.execute(params![
        r.deck,
        r.card,
        r.time.as_microsecond(),
        r.rating.as_u8(),
        r.state_before.as_str(),
        r.elapsed_days,
        i64::try_from(r.duration_ms).unwrap_or(i64::MAX),
        r.cram,
        before_json,
        marks.overridden,
        marks.kind.stored(),
    ])
    .map(drop)
}

/// Appends review-log rows through one prepared statement (a merge or repair inserts a million: looking
/// the statement up in the cache and a fresh JSON string for every row were 5% of it).
pub struct ReviewInserter<'t> {
    stmt: rusqlite::CachedStatement<'t>,
    path: &'t Path,
    before: Vec<u8>,
}

impl ReviewInserter<'_> {
    /// Appends a row (its `id` is ignored) with the card's state before it.
    pub fn insert(
        &mut self,
        r: Review<&str>,
        before: Option<&CardState>,
    ) -> Result<(), StoreError> {
        self.before.clear();
        let before_json = match before {
            Some(state) => {
                serde_json::to_writer(&mut self.before, state)
                    .map_err(|e| corrupt(self.path, "card state", e.to_string()))?;
                std::str::from_utf8(&self.before).ok()
            }
            None => None,
        };
        execute_insert(&mut self.stmt, &r, before_json, Marks::default())
            .map_err(|e| classify(self.path, e))
    }
}

/// Whether two states are the same once stored: timestamps are kept to the microsecond.
fn same_as_stored(a: &CardState, b: &CardState) -> bool {
    let micros = |t: Option<Timestamp>| t.map(Timestamp::as_microsecond);
    a.state == b.state
        && a.step == b.step
        && a.stability == b.stability
        && a.difficulty == b.difficulty
        && micros(a.due) == micros(b.due)
        && a.reps == b.reps
        && a.lapses == b.lapses
        && micros(a.last_review) == micros(b.last_review)
}

/// `path` with `suffix` added to its file name (`-wal`, `-shm`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether this process may write `path` (a regular file): opened for writing, not written, not truncated;
/// non-blocking, so a FIFO put there cannot hang it.
fn writable_file(path: &Path) -> bool {
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
fn check_writable(path: &Path) -> Result<(), StoreError> {
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
fn file_uri(path: &Path) -> String {
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

/// Refuses, without writing, an existing non-empty file that does not start with SQLite's header.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let not_db = || StoreError::NotADatabase {
        path: path.to_path_buf(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(StoreError::NotWritable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    if !meta.is_file() {
        return Err(not_db());
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::NotWritable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    file.read_exact(&mut header).map_err(|_| not_db())?;
    if !header.starts_with(b"SQLite format 3\0") {
        return Err(not_db());
    }
    Ok(())
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

fn corrupt(path: &Path, what: &str, value: String) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        what: what.to_owned(),
        value,
    }
}

/// `what` names the field for the error; it is only formatted when the value is bad (this runs for every
/// review-log row).
fn timestamp(
    path: &Path,
    what: impl FnOnce() -> String,
    micros: i64,
) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|_| corrupt(path, &what(), micros.to_string()))
}

fn read_state(
    conn: &Connection,
    path: &Path,
    deck: &str,
    card: &str,
) -> Result<Option<CardState>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT deck, card, state, step, stability, difficulty, due, reps, lapses, last_review
             FROM cards WHERE deck = ?1 AND card = ?2",
        )
        .map_err(|e| classify(path, e))?;
    let mut rows = stmt.query([deck, card]).map_err(|e| classify(path, e))?;
    match rows.next().map_err(|e| classify(path, e))? {
        Some(row) => state_from_row(path, deck, card, row).map(Some),
        None => Ok(None),
    }
}

/// Columns 2..=9 of a `cards` row.
/// Column `i` of `row` as text, lent from the row.
fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    let value = row.get_ref(i)?;
    value
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)))
}

fn state_from_row(
    path: &Path,
    deck: &str,
    card: &str,
    row: &rusqlite::Row<'_>,
) -> Result<CardState, StoreError> {
    let sql = |e| classify(path, e);
    let what = |field: &str| format!("{field} of {deck}/{card}");
    let state = text_at(row, 2).map_err(sql)?;
    let step: i64 = row.get(3).map_err(sql)?;
    let stability: Option<f64> = row.get(4).map_err(sql)?;
    let difficulty: Option<f64> = row.get(5).map_err(sql)?;
    let due: Option<i64> = row.get(6).map_err(sql)?;
    let reps: i64 = row.get(7).map_err(sql)?;
    let lapses: i64 = row.get(8).map_err(sql)?;
    let last_review: Option<i64> = row.get(9).map_err(sql)?;
    let count = |field: &str, v: i64| {
        u32::try_from(v).map_err(|_| corrupt(path, &what(field), v.to_string()))
    };
    Ok(CardState {
        state: state
            .parse()
            .map_err(|_| corrupt(path, &what("state"), state.to_string()))?,
        step: count("step", step)?,
        stability,
        difficulty,
        due: due
            .map(|v| timestamp(path, || what("due"), v))
            .transpose()?,
        reps: count("reps", reps)?,
        lapses: count("lapses", lapses)?,
        last_review: last_review
            .map(|v| timestamp(path, || what("last_review"), v))
            .transpose()?,
    })
}

fn write_state(
    conn: &Connection,
    path: &Path,
    deck: &str,
    card: &str,
    s: &CardState,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO cards (deck, card, state, step, stability, difficulty, due, reps, lapses, last_review)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (deck, card) DO UPDATE SET
             state = excluded.state, step = excluded.step, stability = excluded.stability,
             difficulty = excluded.difficulty, due = excluded.due, reps = excluded.reps,
             lapses = excluded.lapses, last_review = excluded.last_review",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            deck,
            card,
            s.state.as_str(),
            s.step,
            s.stability,
            s.difficulty,
            s.due.map(Timestamp::as_microsecond),
            s.reps,
            s.lapses,
            s.last_review.map(Timestamp::as_microsecond),
        ])
    })
    .map(drop)
    .map_err(|e| classify(path, e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("p.sqlite3")).unwrap();
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
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("p.sqlite3")).unwrap();
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
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("p.sqlite3")).unwrap();
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

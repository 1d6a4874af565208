//! The review log: recording an answer (its row and the card's new state, one transaction) and undoing one,
//! the counts the daily limits use, and every way the log is read (streamed, per card, by time, overridden).
use super::Store;
use super::db::begin;
use super::db::classify;
use super::db::corrupt;
use super::db::review_ref;
use super::error::StoreError;
use super::states::read_state;
use super::states::same_as_stored;
use super::states::write_state;
use crate::deck::CardRef;
use crate::review::{AnswerId, Review};
use crate::schedule::{CardState, Rating, State};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;
use std::path::Path;

/// Today's answers by the state their card was in (the daily limits); found on the time index.
pub(super) const COUNT_SINCE_SQL: &str =
    "SELECT COUNT(*) FROM reviews WHERE cram = 0 AND state_before = ?1 AND time >= ?2";

/// The cards answered since a time. No DISTINCT (the caller's set removes repeats): with it, SQLite
/// walks the whole log in (deck, card) index order to find today's few rows, which was most of a
/// session's start-up at 100,000 reviews.
pub(super) const ANSWERED_SINCE_SQL: &str = "SELECT deck, card FROM reviews WHERE time >= ?1";

/// The cards overridden at least `?1` times, with their answer counts: the few overridden rows found on
/// their partial index (schema 4), then each such card's answers counted on the (deck, card) index.
/// Grouping the whole log by that index looked every row up in the table (1,000,000 random seeks:
/// `stats` 0.7 -> 5 s of CPU at 100,000 cards); reading the log in table order for them was still 80 ms.
pub(super) const OVERRIDDEN_SQL: &str = "WITH o AS (SELECT deck, card, COUNT(*) AS n FROM reviews WHERE overridden
                                 GROUP BY deck, card HAVING n >= ?1)
     SELECT deck, card, n, (SELECT COUNT(*) FROM reviews r WHERE r.deck = o.deck AND r.card = o.card)
     FROM o ORDER BY n DESC, deck, card";

/// The same for the answers the matcher called close (their ids in `close_answers`, joined to the log).
/// `CROSS JOIN` keeps the few close ids the outer loop: left to itself the planner walked the whole log's
/// (deck, card) index and looked each row up in `close_answers` (`stats` read twice the pages it needs).
pub(super) const CLOSE_SQL: &str = "WITH o AS (SELECT r.deck, r.card, COUNT(*) AS n FROM close_answers c
                                 CROSS JOIN reviews r ON r.id = c.id GROUP BY r.deck, r.card HAVING n >= ?1)
     SELECT deck, card, n, (SELECT COUNT(*) FROM reviews r WHERE r.deck = o.deck AND r.card = o.card)
     FROM o ORDER BY n DESC, deck, card";

/// One review-log row.
pub(super) const INSERT_REVIEW_SQL: &str = "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram, card_before, overridden, kind)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

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
    /// The matcher called the answer close (near the fact) and the candidate confirmed a grade.
    pub close: bool,
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
    pub(super) fn stored(self) -> Option<&'static str> {
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

/// [`Store::review_count`] on any connection (the store's, or a [`WriteTx`](crate::store::WriteTx)'s).
pub(super) fn review_count(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |row| row.get(0))
        .map_err(|e| classify(path, e))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The body of [`Store::scan_reviews`].
pub(super) fn scan_reviews(
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
pub(super) fn card_reviews(
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
pub(super) struct Marks {
    /// The candidate overrode a verdict of wrong.
    overridden: bool,
    kind: AnswerKind,
}

/// Appends one review-log row (its `id` is ignored: SQLite gives the next one), with the card's state before
/// it as JSON for undo.
pub(super) fn insert_review(
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
pub(super) fn execute_insert(
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

impl Store {
    /// Records one answer in ONE transaction: the review-log row (with the card's previous state, for undo)
    /// and, unless it is a cram answer, the card's new state. Returns the answer's id. When this returns
    /// `Ok`, the answer is on disk.
    pub fn record_answer(&mut self, answer: &Answer<'_>) -> Result<AnswerId, StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = begin(&mut self.conn, &path)?;
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
        if answer.close {
            tx.execute("INSERT INTO close_answers (id) VALUES (?1)", [id])
                .map_err(|e| classify(&path, e))?;
        }

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
        let tx = begin(&mut self.conn, &path)?;
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
        tx.execute("DELETE FROM close_answers WHERE id = ?1", [id])
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(Undone { key, state, cram })
    }

    /// New cards introduced (first scheduled answer) at or after `since`, e.g. the start of the study day.
    pub fn new_introduced_since(&self, since: Timestamp) -> Result<u32, StoreError> {
        self.count_since("new", since)
    }

    /// Scheduled answers to cards in the review state at or after `since` (what the daily review limit counts).
    pub fn reviews_since(&self, since: Timestamp) -> Result<u32, StoreError> {
        self.count_since("review", since)
    }

    pub(super) fn count_since(
        &self,
        state_before: &str,
        since: Timestamp,
    ) -> Result<u32, StoreError> {
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
        self.marked_cards(OVERRIDDEN_SQL, at_least)
    }

    /// The cards whose answers the matcher called close at least `at_least` times, most first (`overrides` counts
    /// the close answers).
    pub fn close_cards(&self, at_least: u32) -> Result<Vec<Overrides>, StoreError> {
        self.marked_cards(CLOSE_SQL, at_least)
    }

    fn marked_cards(&self, sql: &str, at_least: u32) -> Result<Vec<Overrides>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
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

    pub(super) fn log_entry(&self, row: &rusqlite::Row<'_>) -> Result<Review, StoreError> {
        review_ref(&self.path, row).map(|r| r.owned())
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
        let tx = begin(&mut self.conn, &path)?;
        for (r, before) in reviews {
            insert_review(&tx, &path, r.borrowed(), before.as_ref(), Marks::default())?;
        }
        for (key, state) in states {
            write_state(&tx, &path, key.deck.as_str(), key.card.as_str(), state)?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }
}

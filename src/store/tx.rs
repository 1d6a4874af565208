//! The write transaction for work that reads the log and writes from what it read (`merge`, `repair`).
use super::Store;
use super::db::begin;
use super::db::classify;
use super::db::corrupt;
use super::error::StoreError;
use super::log::INSERT_REVIEW_SQL;
use super::log::Marks;
use super::log::card_reviews;
use super::log::execute_insert;
use super::log::review_count;
use super::states::text_at;
use super::states::write_state;
use crate::review::Review;
use crate::schedule::CardState;
use std::path::Path;

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
    /// Starts a [`WriteTx`], waiting up to [`BUSY_TIMEOUT`](crate::store::BUSY_TIMEOUT) for another writer.
    pub fn write_transaction(&mut self) -> Result<WriteTx<'_>, StoreError> {
        self.ensure_undamaged()?;
        let path = &self.path;
        let tx = begin(&mut self.conn, path)?;
        Ok(WriteTx { tx, path })
    }
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

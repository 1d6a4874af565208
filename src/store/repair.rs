//! Damage: finding it (`PRAGMA quick_check`, run beside a starting session so the first question is not
//! kept waiting; the first write waits for the verdict) and reading what a damaged database still holds, for
//! `portquiz repair`. Reading never writes the damaged file.
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::db::{Store, classify, review_ref};
use super::error::StoreError;
use crate::review::Review;

/// How many problems `quick_check` is asked for: enough to show, not a scan of every one.
const PROBLEMS_SHOWN: usize = 3;

/// Review-log rows read per query while salvaging; a failing range is halved until the bad rows are alone.
const SALVAGE_CHUNK: i64 = 4096;

/// What [`Store::salvage_reviews`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Salvaged {
    /// Rows read and handed on.
    pub saved: u64,
    /// Answer ids whose row SQLite could not read (on damaged pages).
    pub unreadable: u64,
    /// Answer ids up to the highest one that no read finds: undone answers leave such gaps, and so do rows
    /// a damaged page hides without an error.
    pub missing: u64,
    /// Rows read whose values portquiz could not have written.
    pub invalid: u64,
}

/// The largest database checked for damage before a session's first question (about 30,000 answers, a
/// few milliseconds); larger ones are checked beside it, while the candidate reads, and the first answer
/// waits for the verdict (about 40 ms at 100,000 answers, 1.6 s at 1,000,000: a person reading the first
/// question never sees it; the benchmark's scripted answers, sent the moment the question appears, do).
pub const CHECKED_UP_FRONT: u64 = 8 * 1024 * 1024;

fn quick_check(conn: &Connection) -> Result<Vec<String>, rusqlite::Error> {
    let mut stmt = conn.prepare(&format!("PRAGMA quick_check({PROBLEMS_SHOWN})"))?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    let rows: Vec<String> = rows.collect::<Result<_, _>>()?;
    if rows == ["ok"] {
        return Ok(Vec::new());
    }
    // One row may hold several lines, headed `*** in database main ***`.
    Ok(rows
        .iter()
        .flat_map(|row| row.lines())
        .filter(|line| !line.starts_with("***") && !line.trim().is_empty())
        .take(PROBLEMS_SHOWN)
        .map(str::to_owned)
        .collect())
}

impl Store {
    /// SQLite's `quick_check` of the whole file: the problems found (empty when the file is sound).
    pub fn damage(&self) -> Result<Vec<String>, StoreError> {
        match quick_check(&self.conn) {
            Ok(problems) => Ok(problems),
            Err(e) if is_damage(&e) => Ok(vec![e.to_string()]),
            Err(e) => Err(classify(&self.path, e)),
        }
    }

    /// Checks the file for damage before a session's first question: a small file (up to
    /// [`CHECKED_UP_FRONT`] bytes, a few milliseconds of `quick_check`) at once, refusing the session as
    /// [`StoreError::Damaged`] before anything is asked; a larger one on a thread of its own (reading a
    /// 300 MB file takes over a second), whose verdict the first write waits for.
    pub fn check_for_damage(&mut self) -> Result<(), StoreError> {
        let small = std::fs::metadata(&self.path).is_ok_and(|m| m.len() <= CHECKED_UP_FRONT);
        if !small {
            self.check_for_damage_in_background();
            return Ok(());
        }
        let problems = self.damage()?;
        if problems.is_empty() {
            return Ok(());
        }
        let verdict = problems.clone();
        self.damage_check = Some(std::thread::spawn(move || verdict));
        Err(StoreError::Damaged {
            path: self.path.clone(),
            problems,
        })
    }

    /// Starts [`Store::damage`] on a connection of its own, beside whatever runs next (the first question of
    /// a session); the next write waits for it and is refused, as [`StoreError::Damaged`], when the file is
    /// damaged. A check that cannot run (no second connection) lets writes go on as before.
    pub fn check_for_damage_in_background(&mut self) {
        let path = self.path.clone();
        self.damage_check = Some(std::thread::spawn(move || {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let Ok(conn) = Connection::open_with_flags(&path, flags) else {
                return Vec::new();
            };
            let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
            match quick_check(&conn) {
                Ok(problems) => problems,
                Err(e) if is_damage(&e) => vec![e.to_string()],
                Err(_) => Vec::new(),
            }
        }));
    }

    /// Waits for a background damage check, if one runs; refuses to write when it found damage.
    pub(super) fn ensure_undamaged(&mut self) -> Result<(), StoreError> {
        // Every write starts here: states read ahead may no longer be the stored ones.
        self.prefetched = None;
        let Some(check) = self.damage_check.take() else {
            return Ok(());
        };
        let problems = check.join().unwrap_or_default();
        if problems.is_empty() {
            Ok(())
        } else {
            // Keep refusing: the file stays damaged for the rest of this process.
            let verdict = problems.clone();
            self.damage_check = Some(std::thread::spawn(move || verdict));
            Err(StoreError::Damaged {
                path: self.path.clone(),
                problems,
            })
        }
    }

    /// Opens a damaged database to salvage it: read-only, nothing written to it or beside it, no check that
    /// its schema can be read.
    pub fn open_damaged(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_read_only_unchecked(path)
    }

    /// Hands every review-log row that can still be read to `f` (mostly in id order). Rows are read in
    /// ranges of ids; a range SQLite cannot read is halved until the unreadable rows are alone. Then every id
    /// up to the highest that no range returned is looked up on its own: a damaged interior page can make a
    /// range skip rows silently that a direct lookup still finds. Rows with values portquiz could not have
    /// written are counted and skipped.
    pub fn salvage_reviews(&self, mut f: impl FnMut(Review<&str>)) -> Salvaged {
        let mut found = Salvaged::default();
        let top: i64 = [
            "SELECT MAX(id) FROM reviews",
            "SELECT seq FROM sqlite_sequence WHERE name = 'reviews'",
        ]
        .iter()
        .find_map(|sql| {
            self.conn
                .query_row(sql, [], |row| row.get::<_, Option<i64>>(0))
                .ok()
                .flatten()
        })
        .unwrap_or(0)
        .max(0);
        let mut seen = vec![false; usize::try_from(top).unwrap_or(0).saturating_add(1)];
        // A stack of id ranges `[lo, hi)`, the lowest on top (and a failing range's lower half pushed
        // last), so rows come out in id order.
        let mut pending: Vec<(i64, i64)> = Vec::new();
        let mut lo = 1;
        while lo <= top {
            let hi = lo.saturating_add(SALVAGE_CHUNK).min(top.saturating_add(1));
            pending.push((lo, hi));
            lo = hi;
        }
        pending.reverse();
        while let Some((lo, hi)) = pending.pop() {
            match self.read_range(lo, hi, &mut f, &mut found, &mut seen) {
                Ok(()) => {}
                Err(_) if hi - lo <= 1 => {}
                Err(_) => {
                    let mid = lo + (hi - lo) / 2;
                    pending.push((mid, hi));
                    pending.push((lo, mid));
                }
            }
        }
        for id in 1..=top {
            if seen.get(usize::try_from(id).unwrap_or(usize::MAX)) == Some(&true) {
                continue;
            }
            match self.read_range(id, id + 1, &mut f, &mut found, &mut seen) {
                Ok(()) if seen.get(usize::try_from(id).unwrap_or(usize::MAX)) == Some(&true) => {}
                Ok(()) => found.missing += 1,
                Err(_) => found.unreadable += 1,
            }
        }
        found
    }

    /// Reads ids `[lo, hi)` whole, then hands the rows on and marks them seen: a range that fails part-way
    /// hands on nothing.
    fn read_range(
        &self,
        lo: i64,
        hi: i64,
        f: &mut impl FnMut(Review<&str>),
        found: &mut Salvaged,
        seen: &mut [bool],
    ) -> Result<(), rusqlite::Error> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, deck, card, time, rating, state_before, elapsed_days, duration_ms, cram
             FROM reviews WHERE id >= ?1 AND id < ?2 ORDER BY id",
        )?;
        let mut rows = stmt.query([lo, hi])?;
        let mut entries = Vec::new();
        let mut invalid = Vec::new();
        while let Some(row) = rows.next()? {
            match review_ref(&self.path, row) {
                Ok(r) => entries.push(r.owned()),
                Err(_) => invalid.push(row.get::<_, i64>(0)?),
            }
        }
        let mut mark = |id: i64| match usize::try_from(id).ok().and_then(|i| seen.get_mut(i)) {
            Some(slot) if !*slot => {
                *slot = true;
                true
            }
            _ => false,
        };
        for id in invalid {
            if mark(id) {
                found.invalid += 1;
            }
        }
        for entry in &entries {
            if mark(entry.id) {
                f(entry.borrowed());
                found.saved += 1;
            }
        }
        Ok(())
    }

    /// The settings that can still be read (key, value); none when their table cannot be read.
    pub fn salvage_settings(&self) -> Vec<(String, String)> {
        let read = || -> Result<Vec<(String, String)>, rusqlite::Error> {
            let mut stmt = self.conn.prepare("SELECT key, value FROM settings")?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        };
        read().unwrap_or_default()
    }
}

/// Whether SQLite's error says the file is damaged (rather than busy, missing or unwritable).
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

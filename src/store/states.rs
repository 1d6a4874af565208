//! Card states: reading them (all, one deck, one card, streamed, or prefetched beside the decks' loading),
//! writing one, suspending cards, forgetting progress.
use super::Store;
use super::db::Prefetched;
use super::db::begin;
use super::db::classify;
use super::db::corrupt;
use super::db::timestamp;
use super::error::StoreError;
use crate::deck::CardRef;
use crate::schedule::CardState;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Every stored card state (the columns [`state_from_row`] reads).
pub(super) const STATES_SQL: &str = "SELECT deck, card, state, step, stability, difficulty, due, reps, lapses, last_review FROM cards";

/// Whether two states are the same once stored: timestamps are kept to the microsecond.
pub(super) fn same_as_stored(a: &CardState, b: &CardState) -> bool {
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

pub(super) fn read_state(
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
pub(super) fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    let value = row.get_ref(i)?;
    value
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)))
}

pub(super) fn state_from_row(
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

pub(super) fn write_state(
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

impl Store {
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

    pub(super) fn query_states<P: rusqlite::Params>(
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

    pub(super) fn each_state_of<P: rusqlite::Params>(
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

    /// The suspended cards (taken out of rotation by the candidate).
    pub fn suspended(&self) -> Result<HashSet<CardRef>, StoreError> {
        self.card_refs("SELECT deck, card FROM suspended", [])
    }

    /// The `(deck, card)` rows of a query as card references. A row whose ids break the rule (a hand-edited
    /// file) cannot name a loaded card: it is skipped.
    pub(super) fn card_refs<P: rusqlite::Params>(
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

    /// Forgets progress (`portquiz reset`): deletes the stored states of `deck`'s cards (every deck when
    /// `None`; only `card` when given), so they are new again, in one transaction. The review log is kept
    /// as history (for `optimize` and `stats`). Returns how many cards were reset.
    pub fn forget(&mut self, deck: Option<&str>, card: Option<&str>) -> Result<usize, StoreError> {
        self.ensure_undamaged()?;
        let path = self.path.clone();
        let tx = begin(&mut self.conn, &path)?;
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
}

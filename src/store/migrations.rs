//! The schema and its forward migrations. `PRAGMA user_version` holds the schema version; migration `i`
//! (0-based) takes a database from version `i` to `i + 1`. Never edit a released migration: append one.

/// `PRAGMA application_id` of a portquiz database ("pqz1"), so another program's SQLite file is recognised.
pub const APPLICATION_ID: i32 = 0x7071_7a31;

/// Migrations in order. Timestamps are INTEGER microseconds since the Unix epoch (UTC).
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: card state, the review log, settings.
    r#"
    CREATE TABLE cards (
        deck        TEXT    NOT NULL,
        card        TEXT    NOT NULL,
        state       TEXT    NOT NULL,
        step        INTEGER NOT NULL DEFAULT 0,
        stability   REAL,
        difficulty  REAL,
        due         INTEGER,
        reps        INTEGER NOT NULL DEFAULT 0,
        lapses      INTEGER NOT NULL DEFAULT 0,
        last_review INTEGER,
        PRIMARY KEY (deck, card)
    ) WITHOUT ROWID;
    CREATE INDEX cards_due ON cards (due);

    -- Append-only, except that undo deletes the row it reverts.
    -- AUTOINCREMENT: an undone answer's id is never given to another answer.
    CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        deck         TEXT    NOT NULL,
        card         TEXT    NOT NULL,
        time         INTEGER NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        state_before TEXT    NOT NULL,
        elapsed_days INTEGER NOT NULL,
        duration_ms  INTEGER NOT NULL,
        cram         INTEGER NOT NULL CHECK (cram IN (0, 1)),
        -- The card's full state before the answer, as JSON; NULL when it had no row (new). Undo restores it.
        card_before  TEXT
    );
    CREATE INDEX reviews_time ON reviews (time);
    CREATE INDEX reviews_card ON reviews (deck, card, id);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 1 -> 2: answers whose auto verdict the candidate overrode ("I was right"), and suspended cards.
    r#"
    ALTER TABLE reviews ADD COLUMN overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden IN (0, 1));
    CREATE TABLE suspended (
        deck  TEXT    NOT NULL,
        card  TEXT    NOT NULL,
        since INTEGER NOT NULL,
        PRIMARY KEY (deck, card)
    ) WITHOUT ROWID;
    "#,
    // 2 -> 3: answers given in a mock interview (`kind = 'interview'`); NULL is a study answer, so the rows
    // of the common case stay as small as before.
    r#"
    -- No index: only `stats` reads interview answers, and a scan of the log is what it does anyway.
    ALTER TABLE reviews ADD COLUMN kind TEXT CHECK (kind IS NULL OR kind = 'interview');
    "#,
    // 3 -> 4: the overridden answers indexed on their own (a partial index: only those rows), so `stats`
    // finds the often-overridden cards without reading the whole log (1,000,000 rows: 80 ms of its 300).
    r#"
    CREATE INDEX reviews_overridden ON reviews (deck, card) WHERE overridden;
    "#,
    // 4 -> 5: how sure the candidate was of an interview answer (see store/confidence.rs); NULL when not said.
    r#"
    ALTER TABLE reviews ADD COLUMN confidence TEXT
        CHECK (confidence IS NULL OR confidence IN ('sure', 'think', 'guess'));
    "#,
    // 5 -> 6: the review-log rows of answers the matcher called close (near the fact, confirmed by the
    // candidate), so `stats` lists the cards often close for their authors. A table of their ids, not a column:
    // the log's rows stay as they were.
    r#"
    CREATE TABLE close_answers (id INTEGER PRIMARY KEY);
    "#,
    // 6 -> 7: the interview answers with a confidence, on a partial index that holds the two columns
    // `stats` reads of them (covering: no row of the log is read). Without it the calibration read the
    // whole log: 7,166 pages for 815 at 10,000 cards and 100,000 reviews, `stats` 1.6 times slower.
    r#"
    CREATE INDEX reviews_confidence ON reviews (confidence, rating)
        WHERE kind = 'interview' AND confidence IS NOT NULL;
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

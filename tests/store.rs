//! The progress store: round trips, record + undo, cram, refusals that leave files untouched, migrations,
//! two writers at once, openers racing on a fresh database.
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use portquiz::deck::CardRef;
use portquiz::review::Review;
use portquiz::schedule::{CardState, Rating, State};
use portquiz::settings::Key;
use portquiz::store::{Answer, AnswerKind, SCHEMA_VERSION, Store, StoreError};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn db_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("portquiz.sqlite3")
}

/// A store on a fresh database ([`db_in`] a new temporary directory, which the store creates), the database's
/// path, and the directory (keep it: the files go with it).
fn fresh() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn review_state(due: &str, last: &str) -> CardState {
    CardState {
        state: State::Review,
        step: 0,
        stability: Some(2.3065),
        difficulty: Some(2.118_104),
        due: Some(ts(due)),
        reps: 1,
        lapses: 0,
        last_review: Some(ts(last)),
    }
}

fn answer<'a>(
    deck: &'a str,
    card: &'a str,
    time: &str,
    rating: Rating,
    new_state: Option<&'a CardState>,
) -> Answer<'a> {
    // An answer borrows its card; a test's few card refs live until the test process ends.
    let card: &'a CardRef = Box::leak(Box::new(CardRef::parse(deck, card).unwrap()));
    Answer {
        card,
        time: ts(time),
        rating,
        elapsed_days: 0,
        duration_ms: 1234,
        new_state,
        overridden: false,
        close: false,
        based_on: None,
        kind: Default::default(),
    }
}

fn log(store: &Store) -> Vec<Review> {
    let mut rows = Vec::new();
    store.for_each_review(None, |row| rows.push(row)).unwrap();
    rows
}

#[test]
fn open_creates_the_data_dir_and_a_current_schema() {
    let (_dir, path, store) = fresh();
    assert!(path.is_file());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.path(), path.as_path());
    assert!(store.all_states().unwrap().is_empty());
    drop(store);
    // Reopening an existing database works and keeps the version.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn card_states_round_trip() {
    let (_dir, _, mut store) = fresh();
    let a = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00.123456Z");
    let b = CardState {
        state: State::Relearning,
        step: 2,
        stability: Some(0.5),
        difficulty: Some(9.75),
        due: Some(ts("2026-01-05T10:10:00Z")),
        reps: 7,
        lapses: 3,
        last_review: Some(ts("2026-01-05T10:00:00Z")),
    };
    store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&a),
        ))
        .unwrap();
    store
        .record_answer(&answer(
            "net",
            "dns",
            "2026-01-05T10:00:01Z",
            Rating::Again,
            Some(&b),
        ))
        .unwrap();
    store
        .record_answer(&answer(
            "sock",
            "ssh",
            "2026-01-05T10:00:02Z",
            Rating::Good,
            Some(&b),
        ))
        .unwrap();

    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(a.clone()));
    assert_eq!(store.card_state("net", "dns").unwrap(), Some(b.clone()));
    assert_eq!(store.card_state("net", "nope").unwrap(), None);
    let all = store.all_states().unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[&CardRef::parse("net", "ssh").unwrap()], a);
    assert_eq!(all[&CardRef::parse("sock", "ssh").unwrap()], b);
    let net = store.deck_states("net").unwrap();
    let mut keys: Vec<String> = net.keys().map(ToString::to_string).collect();
    keys.sort();
    assert_eq!(keys, ["net/dns", "net/ssh"]);
}

#[test]
fn record_logs_the_state_before_and_undo_restores_it_exactly() {
    let (_dir, _, mut store) = fresh();
    let first = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    let mut second = review_state("2026-01-18T04:00:00Z", "2026-01-07T09:00:00Z");
    second.reps = 2;
    second.stability = Some(10.9643);
    let id1 = store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&first),
        ))
        .unwrap();
    let id2 = store
        .record_answer(&Answer {
            elapsed_days: 2,
            ..answer(
                "net",
                "ssh",
                "2026-01-07T09:00:00Z",
                Rating::Easy,
                Some(&second),
            )
        })
        .unwrap();
    assert!(id2 > id1);
    let rows = log(&store);
    assert_eq!(
        rows,
        [
            Review {
                id: id1,
                deck: "net".into(),
                card: "ssh".into(),
                time: ts("2026-01-05T10:00:00Z"),
                rating: Rating::Good,
                state_before: State::New,
                elapsed_days: 0,
                duration_ms: 1234,
                cram: false,
            },
            Review {
                id: id2,
                deck: "net".into(),
                card: "ssh".into(),
                time: ts("2026-01-07T09:00:00Z"),
                rating: Rating::Easy,
                state_before: State::Review,
                elapsed_days: 2,
                duration_ms: 1234,
                cram: false,
            },
        ]
    );
    // The first answer cannot be undone while a later one exists.
    let err = store.undo(id1).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "answer {id1} on net/ssh is not that card's latest answer; undo the later answer ({id2}) first"
        )
    );
    let undone = store.undo(id2).unwrap();
    assert_eq!(undone.key, CardRef::parse("net", "ssh").unwrap());
    assert_eq!(undone.state, first);
    assert!(!undone.cram);
    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(first));
    assert_eq!(log(&store).len(), 1);
    // Undoing the first answer removes the card's row: it is new again.
    let undone = store.undo(id1).unwrap();
    assert_eq!(undone.state, CardState::new());
    assert_eq!(store.card_state("net", "ssh").unwrap(), None);
    assert!(log(&store).is_empty());
    assert_eq!(
        store.undo(id1).unwrap_err().to_string(),
        format!("answer {id1} is not in the review log (already undone?)")
    );
    // Ids are not reused after an undo.
    let id3 = store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-08T09:00:00Z",
            Rating::Good,
            Some(&second),
        ))
        .unwrap();
    assert!(id3 > id2);
}

/// Issue 13: `stats` lists the cards whose verdict the candidate often overrode ("I was right").
#[test]
fn overridden_verdicts_are_counted_per_card_over_the_whole_log() {
    let (_dir, _, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    let answers = [
        ("net", "bits", true),
        ("net", "bits", false),
        ("net", "bits", true),
        ("net", "dns", true),
        ("web", "ws", true),
        ("web", "ws", true),
        ("web", "ws", true),
    ];
    for (i, (deck, card, overridden)) in answers.into_iter().enumerate() {
        let time = format!("2026-01-05T10:00:0{i}Z");
        let mut a = answer(deck, card, &time, Rating::Good, Some(&state));
        a.overridden = overridden;
        store.record_answer(&a).unwrap();
    }
    let found: Vec<(String, String, u32, u32)> = store
        .overridden_cards(2)
        .unwrap()
        .into_iter()
        .map(|o| (o.deck, o.card, o.overrides, o.answers))
        .collect();
    assert_eq!(
        found,
        [
            ("web".to_string(), "ws".to_string(), 3, 3),
            ("net".to_string(), "bits".to_string(), 2, 3)
        ]
    );
}

/// Issue 23: a close verdict is logged as such, and `stats` lists the cards often close for their authors.
#[test]
fn close_answers_are_logged_and_counted_per_card() {
    let (_dir, _, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    let answers = [
        ("net", "bits", true, false),
        ("net", "bits", true, false),
        ("net", "bits", false, true),
        ("net", "dns", true, false),
    ];
    for (i, (deck, card, close, overridden)) in answers.into_iter().enumerate() {
        let time = format!("2026-01-05T10:00:0{i}Z");
        let mut a = answer(deck, card, &time, Rating::Hard, Some(&state));
        a.close = close;
        a.overridden = overridden;
        store.record_answer(&a).unwrap();
    }
    let count = |cards: Vec<portquiz::store::Overrides>| -> Vec<(String, String, u32, u32)> {
        cards
            .into_iter()
            .map(|o| (o.deck, o.card, o.overrides, o.answers))
            .collect()
    };
    assert_eq!(
        count(store.close_cards(2).unwrap()),
        [("net".to_string(), "bits".to_string(), 2, 3)]
    );
    // The close mark is its own: an override is not a close answer, nor the reverse.
    assert!(store.overridden_cards(2).unwrap().is_empty());
    assert_eq!(count(store.close_cards(1).unwrap()).len(), 2);
}

#[test]
fn cram_answers_are_logged_without_changing_the_card() {
    let (_dir, _, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&state),
        ))
        .unwrap();
    let cram = store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T11:00:00Z",
            Rating::Again,
            None,
        ))
        .unwrap();
    let new_cram = store
        .record_answer(&answer(
            "net",
            "dns",
            "2026-01-05T11:00:01Z",
            Rating::Good,
            None,
        ))
        .unwrap();
    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(state.clone()));
    assert_eq!(
        store.card_state("net", "dns").unwrap(),
        None,
        "cram on a new card creates no state"
    );
    let rows = log(&store);
    assert_eq!(
        rows.iter().map(|r| r.cram).collect::<Vec<_>>(),
        [false, true, true]
    );
    assert_eq!(rows[1].state_before, State::Review);
    assert_eq!(rows[1].rating, Rating::Again);
    // Cram answers count towards no daily limit.
    assert_eq!(
        store
            .new_introduced_since(ts("2026-01-05T00:00:00Z"))
            .unwrap(),
        1
    );
    assert_eq!(store.reviews_since(ts("2026-01-05T00:00:00Z")).unwrap(), 0);
    // Undoing a cram answer removes the log row only, even when it is not the latest.
    let undone = store.undo(cram).unwrap();
    assert!(undone.cram);
    assert_eq!(undone.state, state);
    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(state));
    assert_eq!(
        log(&store).iter().map(|r| r.id).collect::<Vec<_>>().len(),
        2
    );
    assert!(store.undo(new_cram).unwrap().cram);
}

#[test]
fn daily_counts_count_from_the_given_instant() {
    let (_dir, _, mut store) = fresh();
    let learning = CardState {
        state: State::Learning,
        ..review_state("2026-01-05T10:10:00Z", "2026-01-05T10:00:00Z")
    };
    let review = review_state("2026-01-08T04:00:00Z", "2026-01-06T10:00:00Z");
    // Yesterday: two new cards.
    store
        .record_answer(&answer(
            "d",
            "a",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&review),
        ))
        .unwrap();
    store
        .record_answer(&answer(
            "d",
            "b",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&learning),
        ))
        .unwrap();
    // Today (from 04:00): one new card, a's review, b's learning step.
    store
        .record_answer(&answer(
            "d",
            "c",
            "2026-01-06T04:00:00Z",
            Rating::Good,
            Some(&learning),
        ))
        .unwrap();
    store
        .record_answer(&answer(
            "d",
            "a",
            "2026-01-06T10:00:00Z",
            Rating::Good,
            Some(&review),
        ))
        .unwrap();
    store
        .record_answer(&answer(
            "d",
            "b",
            "2026-01-06T10:00:00Z",
            Rating::Good,
            Some(&review),
        ))
        .unwrap();
    let today = ts("2026-01-06T04:00:00Z");
    assert_eq!(store.new_introduced_since(today).unwrap(), 1);
    assert_eq!(store.reviews_since(today).unwrap(), 1);
    assert_eq!(
        store
            .new_introduced_since(ts("2026-01-01T00:00:00Z"))
            .unwrap(),
        3
    );
    assert_eq!(store.review_count().unwrap(), 5);
    let mut since_today = Vec::new();
    store
        .for_each_review(Some(today), |row| since_today.push(row.card))
        .unwrap();
    assert_eq!(since_today, ["c", "a", "b"]);
    assert_eq!(
        store
            .card_reviews("d", "a")
            .unwrap()
            .iter()
            .map(|r| r.state_before)
            .collect::<Vec<_>>(),
        [State::New, State::Review]
    );
}

#[test]
fn review_log_streams_in_time_order() {
    let (_dir, _, mut store) = fresh();
    // Recorded out of time order (e.g. two sessions with different clocks).
    for (card, time) in [
        ("x", "2026-01-05T12:00:00Z"),
        ("y", "2026-01-05T09:00:00Z"),
        ("z", "2026-01-05T12:00:00Z"),
    ] {
        store
            .record_answer(&answer("d", card, time, Rating::Hard, None))
            .unwrap();
    }
    let cards: Vec<String> = log(&store).into_iter().map(|r| r.card).collect();
    assert_eq!(cards, ["y", "x", "z"]);
    // The lending scan from a time on gives the same order (`optimize` reads the whole log through it).
    let mut lent = Vec::new();
    store
        .scan_reviews(Some(jiff::Timestamp::MIN), |r| {
            lent.push(r.card.to_string())
        })
        .unwrap();
    assert_eq!(lent, ["y", "x", "z"]);
}

#[test]
fn settings_get_set_remove() {
    let (_dir, _, store) = fresh();
    assert_eq!(
        store.setting(Key::DesiredRetention.stored_as()).unwrap(),
        None
    );
    store
        .set_setting(Key::DesiredRetention.stored_as(), "0.9")
        .unwrap();
    store
        .set_setting(Key::DesiredRetention.stored_as(), "0.85")
        .unwrap();
    store
        .set_setting(Key::InterviewDate.stored_as(), "2026-02-01")
        .unwrap();
    assert_eq!(
        store
            .setting(Key::DesiredRetention.stored_as())
            .unwrap()
            .as_deref(),
        Some("0.85")
    );
    assert!(
        store
            .remove_setting(Key::DesiredRetention.stored_as())
            .unwrap()
    );
    assert!(
        !store
            .remove_setting(Key::DesiredRetention.stored_as())
            .unwrap()
    );
    assert_eq!(
        store.setting(Key::DesiredRetention.stored_as()).unwrap(),
        None
    );
    assert_eq!(
        store
            .setting(Key::InterviewDate.stored_as())
            .unwrap()
            .as_deref(),
        Some("2026-02-01")
    );
}

fn set_user_version(path: &Path, version: i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
}

#[test]
fn a_database_from_a_newer_portquiz_is_refused_and_left_untouched() {
    let (_dir, path, mut store) = fresh();
    store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            None,
        ))
        .unwrap();
    drop(store);
    set_user_version(&path, SCHEMA_VERSION + 1);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} was written by a newer portquiz (schema version {}, this portquiz knows up to {}); portquiz left it untouched: upgrade portquiz, or pass --data-dir to use another directory",
            path.display(),
            SCHEMA_VERSION + 1,
            SCHEMA_VERSION
        )
    );
    assert!(
        matches!(err, StoreError::TooNew { found, supported, .. } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION)
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "file bytes unchanged"
    );
}

fn not_a_database_message(path: &Path) -> String {
    format!(
        "{} is not a portquiz database (it is not an SQLite file, is damaged, or belongs to another program); portquiz left it untouched: move it aside, or pass --data-dir to use another directory",
        path.display()
    )
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portquiz.sqlite3");
    let mut garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    garbage[..5].copy_from_slice(b"hello");
    for bytes in [
        garbage.clone(),
        b"short".to_vec(),
        b"SQLite format 3\0 but then too short".to_vec(),
    ] {
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.to_string(), not_a_database_message(&path));
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "file bytes unchanged");
        assert!(
            !dir.path().join("portquiz.sqlite3-wal").exists(),
            "no WAL file created"
        );
    }
}

#[test]
fn a_truncated_database_is_refused_and_left_untouched() {
    let (_dir, path, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    for i in 0..300 {
        let card = format!("card-{i:04}-{}", "x".repeat(54));
        store
            .record_answer(&answer(
                "net",
                &card,
                "2026-01-05T10:00:00Z",
                Rating::Good,
                Some(&state),
            ))
            .unwrap();
    }
    drop(store); // checkpoints the WAL into the main file
    let full = std::fs::read(&path).unwrap();
    assert!(
        full.len() > 8192,
        "database has several pages ({} bytes)",
        full.len()
    );
    let truncated = &full[..full.len() / 2];
    std::fs::write(&path, truncated).unwrap();
    let err = Store::open(&path).unwrap_err();
    // Half of it can still be read: `repair` saves that.
    assert_eq!(
        err.to_string(),
        format!(
            "{} is damaged (database disk image is malformed); portquiz stopped before writing to it: run `portquiz repair` to copy every answer that can still be read into a fresh database (the damaged file is kept beside it)",
            path.display()
        )
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        truncated,
        "file bytes unchanged"
    );
}

#[test]
fn another_programs_sqlite_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portquiz.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.to_string(), not_a_database_message(&path));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn an_empty_version_zero_database_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portquiz.sqlite3");
    // An empty file and an empty SQLite database (version 0, no tables) both migrate to the current schema.
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    std::fs::remove_file(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "page_size", 4096).unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&state),
        ))
        .unwrap();
    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(state));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_uncreatable_data_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a directory").unwrap();
    let path = blocker.join("data").join("portquiz.sqlite3");
    let err = Store::open(&path).unwrap_err();
    let message = err.to_string();
    let expected_start = format!(
        "cannot create the data directory {}: ",
        blocker.join("data").display()
    );
    assert!(message.starts_with(&expected_start), "{message}");
    assert!(
        message
            .ends_with("; pass --data-dir (or set PORTQUIZ_DATA_DIR) to a directory you can write"),
        "{message}"
    );
}

#[test]
fn two_stores_recording_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    drop(Store::open(&path).unwrap());
    let threads: Vec<_> = ["first", "second"]
        .into_iter()
        .map(|deck| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let mut ids = Vec::new();
                for i in 0..100 {
                    let card = format!("c{i}");
                    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
                    let a = answer(
                        deck,
                        &card,
                        "2026-01-05T10:00:00Z",
                        Rating::Good,
                        Some(&state),
                    );
                    ids.push(store.record_answer(&a).unwrap());
                }
                ids
            })
        })
        .collect();
    let mut ids: Vec<i64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 200, "every answer got its own id");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.review_count().unwrap(), 200);
    assert_eq!(store.deck_states("first").unwrap().len(), 100);
    assert_eq!(store.deck_states("second").unwrap().len(), 100);
}

/// Several portquiz processes starting on a fresh data dir at once must all open it. The opening checks once
/// read the schema version before another opener committed the schema, and counted its tables after: "not a
/// portquiz database". A barrier releases eight openers together, round after round, so many rounds overlap
/// the checks with another opener's commit: with the checks split again, each of 15 runs failed (2 to 60 of
/// its 400 opens). Every failed open is listed.
#[test]
fn stores_opening_a_fresh_database_at_once_all_work() {
    const ROUNDS: usize = 50;
    const OPENERS: usize = 8;
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = db_in(&dir);
        let start = std::sync::Arc::new(std::sync::Barrier::new(OPENERS));
        let openers: Vec<_> = (0..OPENERS)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).and_then(|store| store.schema_version())
                })
            })
            .collect();
        for opener in openers {
            match opener.join().unwrap() {
                Ok(version) => assert_eq!(version, SCHEMA_VERSION),
                Err(e) => failures.push(format!("round {round}: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} opens failed:\n{}",
        failures.len(),
        ROUNDS * OPENERS,
        failures.join("\n")
    );
}

/// Switching a new database to WAL needs it alone, and SQLite answers "database is locked" at once instead of
/// waiting when another connection holds a write transaction on it (another portquiz creating the schema).
/// Here that transaction is held open on purpose, so the switch meets it every time: the opener must wait,
/// and succeed once the other connection lets go.
#[test]
fn opening_a_fresh_database_waits_while_another_connection_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_in(&dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut other = rusqlite::Connection::open(&path).unwrap();
    let writing = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let (done, result) = std::sync::mpsc::channel();
    let opener = {
        let path = path.clone();
        std::thread::spawn(move || {
            let _ = done.send(Store::open(&path).and_then(|store| store.schema_version()));
        })
    };
    // While the other connection writes, the open cannot finish: an answer now can only be a failure.
    // (No answer within a second means the opener waits, or has not reached the switch yet: either is fine.)
    if let Ok(early) = result.recv_timeout(std::time::Duration::from_secs(1)) {
        panic!("the open did not wait for the other connection: {early:?}");
    }
    writing.rollback().unwrap();
    let opened = result
        .recv_timeout(portquiz::store::BUSY_TIMEOUT)
        .expect("the open finishes once the other connection lets go");
    opener.join().unwrap();
    assert_eq!(opened.unwrap(), SCHEMA_VERSION);
}

#[test]
fn a_hand_edited_row_is_reported_not_panicked_on() {
    let (_dir, path, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&state),
        ))
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE cards SET state = 'bogus', reps = -3", [])
        .unwrap();
    conn.execute("UPDATE reviews SET rating = 9", [])
        .unwrap_err(); // the CHECK constraint holds
    drop(conn);
    let expected = format!(
        "{}: stored state of net/ssh \"bogus\" is invalid; the database was changed outside portquiz or is damaged: restore a backup, or move it aside to start over",
        path.display()
    );
    assert_eq!(store.all_states().unwrap_err().to_string(), expected);
    assert_eq!(
        store.card_state("net", "ssh").unwrap_err().to_string(),
        expected
    );
}

#[test]
fn a_failed_write_leaves_neither_log_row_nor_card_state() {
    let (_dir, path, mut store) = fresh();
    let first = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    let id = store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-05T10:00:00Z",
            Rating::Good,
            Some(&first),
        ))
        .unwrap();
    // Make the card-state write (the second statement of the transaction) fail.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER fail_card BEFORE UPDATE ON cards BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    )
    .unwrap();
    let second = review_state("2026-01-18T04:00:00Z", "2026-01-07T09:00:00Z");
    let err = store
        .record_answer(&answer(
            "net",
            "ssh",
            "2026-01-07T09:00:00Z",
            Rating::Good,
            Some(&second),
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("progress database {}: injected failure", path.display())
    );
    assert_eq!(
        log(&store).len(),
        1,
        "the log row was rolled back with the failed state write"
    );
    assert_eq!(store.card_state("net", "ssh").unwrap(), Some(first.clone()));
    // Undo is one transaction too: it deletes the card's row, then fails deleting the log row: both roll back.
    conn.execute_batch("DROP TRIGGER fail_card; CREATE TRIGGER fail_log BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, 'no delete'); END;").unwrap();
    assert_eq!(
        store.undo(id).unwrap_err().to_string(),
        format!("progress database {}: no delete", path.display())
    );
    assert_eq!(
        store.card_state("net", "ssh").unwrap(),
        Some(first),
        "the card row deletion was rolled back"
    );
    assert_eq!(log(&store).len(), 1);
}

#[test]
fn any_card_state_round_trips_at_microsecond_precision() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let (_dir, _, store) = fresh();
    // TestRunner::run takes a Fn closure: the store sits in a RefCell.
    let store = std::cell::RefCell::new(store);
    let micros = || {
        proptest::option::of(Timestamp::MIN.as_microsecond()..=Timestamp::MAX.as_microsecond())
            .prop_map(|m| m.map(|m| Timestamp::from_microsecond(m).unwrap()))
    };
    let state = (
        prop_oneof![
            Just(State::New),
            Just(State::Learning),
            Just(State::Review),
            Just(State::Relearning)
        ],
        any::<u32>(),
        proptest::option::of(1e-6f64..1e6),
        proptest::option::of(1f64..=10.0),
        micros(),
        any::<u32>(),
        any::<u32>(),
        micros(),
    )
        .prop_map(
            |(state, step, stability, difficulty, due, reps, lapses, last_review)| CardState {
                state,
                step,
                stability,
                difficulty,
                due,
                reps,
                lapses,
                last_review,
            },
        );
    let mut runner = TestRunner::new(Config {
        cases: 200,
        ..Config::default()
    });
    runner
        .run(
            // Any ids the id rule allows: a deck id, and a written card id or a table cell's.
            &(
                state,
                "[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}",
                "[a-z0-9]{1,6}(-[a-z0-9]{1,6})?(/[a-z0-9]{1,6}/[a-z0-9]{1,6})?",
            ),
            |(state, deck, card)| {
                let mut store = store.borrow_mut();
                let id = store
                    .record_answer(&answer(
                        &deck,
                        &card,
                        "2026-01-05T10:00:00Z",
                        Rating::Good,
                        Some(&state),
                    ))
                    .unwrap();
                prop_assert_eq!(store.card_state(&deck, &card).unwrap(), Some(state));
                store.undo(id).unwrap();
                prop_assert_eq!(store.card_state(&deck, &card).unwrap(), None);
                Ok(())
            },
        )
        .unwrap();
}

/// A directory nobody can create files in. Tests run as root here, which ignores permission bits, so a
/// chmod 555 temp dir would not do; /proc refuses new files to everyone.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_data_dir_is_a_clear_error() {
    let path = Path::new("/proc/portquiz.sqlite3");
    let err = Store::open(path).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot write the progress database /proc/portquiz.sqlite3: unable to open database file: /proc/portquiz.sqlite3; make the data directory writable, or pass --data-dir to use another directory"
    );
    assert!(!path.exists());
}

#[test]
fn a_failing_log_callback_stops_the_scan_with_its_error() {
    let (_dir, _, mut store) = fresh();
    for card in ["a", "b", "c"] {
        store
            .record_answer(&answer(
                "d",
                card,
                "2026-01-05T10:00:00Z",
                Rating::Good,
                None,
            ))
            .unwrap();
    }
    let mut seen = Vec::new();
    let result: anyhow::Result<()> = store.try_for_each_review(None, |entry| {
        seen.push(entry.card.clone());
        if entry.card == "b" {
            anyhow::bail!("disk full while exporting {}", entry.card);
        }
        Ok(())
    });
    assert_eq!(
        result.unwrap_err().to_string(),
        "disk full while exporting b"
    );
    assert_eq!(seen, ["a", "b"]);
}

#[test]
fn interview_answers_are_marked_in_the_log_and_study_answers_are_not() {
    let (_dir, path, mut store) = fresh();
    let state = review_state("2026-01-07T04:00:00Z", "2026-01-05T10:00:00Z");
    let study = answer(
        "net",
        "ssh",
        "2026-01-05T10:00:00Z",
        Rating::Good,
        Some(&state),
    );
    store.record_answer(&study).unwrap();
    let interview = Answer {
        kind: AnswerKind::Interview,
        ..answer("net", "dns", "2026-01-05T10:01:00Z", Rating::Again, None)
    };
    store.record_answer(&interview).unwrap();
    let marked: Vec<(String, Rating, bool)> = store
        .interview_reviews()
        .unwrap()
        .into_iter()
        .map(|r| (r.card, r.rating, r.cram))
        .collect();
    assert_eq!(marked, [("dns".to_owned(), Rating::Again, true)]);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kinds: Vec<Option<String>> = conn
        .prepare("SELECT kind FROM reviews ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(kinds, [None, Some("interview".to_owned())]);
}

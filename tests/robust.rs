//! The robustness suite (issue 6) on the real binary: plain `study` sessions killed with SIGKILL at random
//! points (while starting, at a prompt, with an answer in flight), four sessions on one data dir at once, and database faults (truncated, random bytes, a newer schema,
//! a read-only data dir, a disk that fills up mid-session). Each fault must give a clear error and exit 2, and
//! the data already saved must never be overwritten or lost.
//!
//! Store-level checks of the same faults (the `Store` API, no process) live in tests/store.rs.
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use portquiz::deck::Card;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{PlainDriver, Run, Sandbox, Test, answer_line, card_index, current_card};

/// 120 cards (true/false and choice, from one table): enough for sessions of 100 answers.
const MANY: &str = "tests/decks/good/many.yaml";
const DAY1: &str = "2026-01-05T09:00:00Z";
const DB: &str = "portquiz.sqlite3";

/// Study every card of the fixture, new or due, with no daily limit.
// --no-bury: every cell of the fixture's table rows can come up in one session, so 100 answers fit.
const STUDY: &[&str] = &[
    "study",
    "--plain",
    "--no-bury",
    "--deck",
    MANY,
    "--deck",
    "many",
    "--new",
    "1000",
    "--limit",
    "1000",
];

fn study_cmd(sandbox: &Sandbox, now: &str) -> Command {
    Test::on(sandbox).args(STUDY).now(now).command()
}

/// One saved answer as the database holds it: `deck/card` and the rating (1 = Again, 3 = Good).
type Saved = (String, i64);

/// The review log, in recording order, after checking that SQLite finds the file intact.
fn saved_answers(db: &Path) -> Vec<Saved> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(check, ["ok"], "integrity_check of {}", db.display());
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reviews'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    if tables == 0 {
        return Vec::new(); // killed while creating it: an empty database, which portquiz accepts
    }
    conn.prepare("SELECT deck || '/' || card, rating FROM reviews ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Where [`answer_until`] stops once `target` answers are acknowledged.
#[derive(Clone, Copy, Debug)]
enum Stop {
    /// At the next prompt, before typing anything: every answer sent so far is acknowledged.
    AtPrompt,
    /// Right after sending one more answer (a wrong one, which is recorded at once), without waiting for
    /// its acknowledgement: a kill then lands before, while or after that answer is written.
    InFlight,
}

/// What a candidate did in one session.
#[derive(Debug, Default)]
struct Played {
    /// Answers acknowledged: the next prompt appeared after the line that recorded them.
    acked: Vec<Saved>,
    /// The answer whose recording line was sent last, if its acknowledgement was not seen.
    in_flight: Option<Saved>,
    /// The session ended on its own (its output closed) before the target was reached.
    ended: bool,
}

/// Answers the fixture's questions, each right or wrong at random (a right one is then graded Good), until
/// `target` answers are acknowledged or the session ends.
fn answer_until(
    driver: &mut PlainDriver,
    cards: &HashMap<String, Card>,
    rng: &mut StdRng,
    target: usize,
    stop: Stop,
) -> Played {
    let mut played = Played::default();
    // The card of the question on screen (a grade prompt follows its question), and whether it was answered
    // right: Enter at its grade prompt records Good for a right answer, Again for a wrong one.
    let mut card = String::new();
    let mut right = true;
    // A wrong answer sent once the target is reached: its grade line is the one left in flight.
    let mut last = false;
    loop {
        let Some(screen) = driver.next_prompt() else {
            played.ended = true;
            return played;
        };
        if let Some(answer) = played.in_flight.take() {
            played.acked.push(answer);
        }
        let prompt = screen.lines().last().unwrap_or_default();
        if prompt.starts_with("grade") {
            driver.answer(""); // Enter takes the suggestion; this line records the answer
            played.in_flight = Some((card.clone(), if right { 3 } else { 1 }));
            if last {
                return played;
            }
            continue;
        }
        assert!(
            prompt.starts_with("answer (") || prompt.starts_with("true or false ("),
            "unexpected prompt in the fixture deck:\n{screen}"
        );
        card = current_card(&screen).expect("a card header before a question");
        let reached = played.acked.len() >= target;
        if reached && matches!(stop, Stop::AtPrompt) {
            return played;
        }
        right = !reached && rng.random_bool(0.5);
        driver.answer(&answer_line(&cards[&card], &screen, right));
        last = reached;
    }
}

#[test]
fn fifty_sigkills_at_random_points_keep_exactly_the_acknowledged_answers() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join(DB);
    let cards = card_index(&[MANY]);
    let mut rng = StdRng::seed_from_u64(0x6b11);
    let day1: jiff::Timestamp = DAY1.parse().unwrap();
    let mut expected: Vec<Saved> = Vec::new();
    // Sessions killed with an answer in flight, and how many of those answers were saved.
    let mut in_flight = [0usize; 2];
    for session in 0..50i64 {
        // One simulated day after another, so earlier answers come due again among the new cards.
        let now = day1
            .checked_add(jiff::SignedDuration::from_hours(24 * session))
            .unwrap();
        let mut driver = PlainDriver::spawn(study_cmd(&sandbox, &now.to_string()));
        if session % 5 == 0 {
            // Killed while starting (start-up to the first prompt takes 10-50 ms here): before, while or
            // after it opens (the first time: creates) the database.
            std::thread::sleep(std::time::Duration::from_micros(
                rng.random_range(0..50_000),
            ));
            driver.kill();
            if db.exists() {
                assert_eq!(
                    saved_answers(&db),
                    expected,
                    "after session {session} (start)"
                );
            }
            continue;
        }
        let target = rng.random_range(0..=8);
        let stop = if session % 2 == 0 {
            Stop::AtPrompt
        } else {
            Stop::InFlight
        };
        let played = answer_until(&mut driver, &cards, &mut rng, target, stop);
        assert!(
            !played.ended,
            "session {session} ran out of questions before {target} answers:\n{}",
            driver.output
        );
        if matches!(stop, Stop::InFlight) {
            // Vary where the kill lands: before the answer is read, while it is written, or after.
            std::thread::sleep(std::time::Duration::from_micros(rng.random_range(0..2_000)));
        }
        driver.kill();
        expected.extend(played.acked);
        let saved = saved_answers(&db);
        // An answer killed mid-write is either wholly saved or not at all; it was never acknowledged.
        if let Some(answer) = played.in_flight
            && saved.len() == expected.len() + 1
        {
            expected.push(answer);
            in_flight[1] += 1;
        }
        in_flight[0] += usize::from(matches!(stop, Stop::InFlight));
        assert_eq!(
            saved, expected,
            "after session {session} ({stop:?}, target {target})"
        );
    }
    assert!(expected.len() >= 100, "{} answers in all", expected.len());
    eprintln!(
        "{} answers saved over 50 killed sessions; {} of {} answers in flight at the kill were saved",
        expected.len(),
        in_flight[1],
        in_flight[0]
    );
}

#[test]
fn four_sessions_on_one_data_dir_at_once_save_all_400_answers() {
    let sandbox = Sandbox::new();
    let cards = std::sync::Arc::new(card_index(&[MANY]));
    let sessions: Vec<_> = (0..4usize)
        .map(|i| {
            let dir = sandbox.path().to_path_buf();
            let cards = cards.clone();
            std::thread::spawn(move || {
                let sandbox = Sandbox::at(dir);
                crate::support::play(study_cmd(&sandbox, DAY1), &cards, move |_, n| {
                    (n <= 100).then_some((n + i) % 3 != 0)
                })
            })
        })
        .collect();
    for (i, session) in sessions.into_iter().enumerate() {
        let (run, answered) = session.join().unwrap();
        assert_eq!(run.code, 0, "session {i}: {}", run.transcript());
        assert_eq!(answered, 100, "session {i}: {}", run.transcript());
        for word in ["locked", "busy"] {
            assert!(
                !run.stdout.contains(word) && !run.stderr.contains(word),
                "session {i} shows {word:?}: {}",
                run.transcript()
            );
        }
    }
    let saved = saved_answers(&sandbox.path().join(DB));
    assert_eq!(saved.len(), 400);
    let store = portquiz::store::Store::open(sandbox.path().join(DB)).unwrap();
    assert_eq!(store.review_count().unwrap(), 400);
}

/// Four portquiz processes starting on a fresh data dir at once (the first run, in several terminals): each
/// must open the database. Threads stand in for processes (each opens its own connection) so the opens
/// really overlap; 100 rounds, because each round only has a chance of hitting the race.
#[test]
fn four_stores_opening_a_fresh_database_at_once_all_work() {
    let mut failures = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..100 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB);
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let opens: Vec<_> = (0..4)
            .map(|_| {
                let path = path.clone();
                let start = start.clone();
                std::thread::spawn(move || {
                    start.wait();
                    portquiz::store::Store::open(&path)
                        .err()
                        .map(|e| e.to_string())
                })
            })
            .collect();
        for open in opens {
            if let Some(error) = open.join().unwrap() {
                let error = error.replace(&dir.path().display().to_string(), "<DATA>");
                *failures.entry(error).or_default() += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

// ---- database faults: a clear error, exit 2, and the file left as it was ----

/// Plays a short session so the data dir holds real progress; returns the database's bytes.
fn some_progress(sandbox: &Sandbox, answers: usize) -> Vec<u8> {
    let cards = card_index(&[MANY]);
    let (run, answered) = crate::support::play(study_cmd(sandbox, DAY1), &cards, |_, n| {
        (n <= answers).then_some(n % 2 == 0)
    });
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(answered, answers);
    let db = sandbox.path().join(DB);
    assert!(
        !sandbox.path().join(format!("{DB}-wal")).exists(),
        "the WAL was checkpointed when the session closed"
    );
    std::fs::read(db).unwrap()
}

/// Runs `study` on a damaged database: it must exit 2 and leave the file's bytes as they were.
/// Returns the transcript with the sandbox path written as `<DATA>`.
fn refused(sandbox: &Sandbox) -> String {
    let db = sandbox.path().join(DB);
    let before = std::fs::read(&db).unwrap();
    let run = Test::on(sandbox)
        .args(STUDY)
        .now(DAY1)
        .stdin("y\n")
        .code(2)
        .run();
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database file was changed"
    );
    run.transcript()
        .replace(&sandbox.path().display().to_string(), "<DATA>")
}

#[test]
fn a_truncated_database_is_refused_and_left_as_it_is() {
    let sandbox = Sandbox::new();
    let full = some_progress(&sandbox, 40);
    assert!(full.len() > 8192, "{} bytes", full.len());
    std::fs::write(sandbox.path().join(DB), &full[..full.len() / 2]).unwrap();
    insta::assert_snapshot!(refused(&sandbox));
}

#[test]
fn a_database_of_random_bytes_is_refused_and_left_as_it_is() {
    let sandbox = Sandbox::new();
    let mut rng = StdRng::seed_from_u64(6);
    let mut noise = vec![0u8; 64 * 1024];
    rng.fill(&mut noise[..]);
    std::fs::write(sandbox.path().join(DB), &noise).unwrap();
    insta::assert_snapshot!("random_bytes", refused(&sandbox));
    // The same noise behind a valid SQLite header gets past the first check and must still be refused.
    noise[..16].copy_from_slice(b"SQLite format 3\0");
    std::fs::write(sandbox.path().join(DB), &noise).unwrap();
    insta::assert_snapshot!("random_bytes_after_an_sqlite_header", refused(&sandbox));
}

#[test]
fn a_database_from_a_newer_schema_is_refused_and_left_as_it_is() {
    let sandbox = Sandbox::new();
    some_progress(&sandbox, 6);
    let db = sandbox.path().join(DB);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", portquiz::store::SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let saved = saved_answers(&db);
    assert_eq!(saved.len(), 6);
    let supported = portquiz::store::SCHEMA_VERSION;
    assert_eq!(
        refused(&sandbox),
        format!(
            "exit: 2\n--- stdout\n--- stderr\nerror: <DATA>/{DB} was written by a newer portquiz (schema version {}, this portquiz knows up to {supported}); portquiz left it untouched: upgrade portquiz, or pass --data-dir to use another directory\n",
            supported + 1
        )
    );
    assert_eq!(saved_answers(&db), saved);
}

/// Whether this process ignores permission bits (root): it can create a file in a directory with mode 555.
fn ignores_permissions(scratch: &Path) -> bool {
    let probe = scratch.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).unwrap();
    let wrote = std::fs::write(probe.join("file"), b"x").is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir_all(&probe).unwrap();
    wrote
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A read-only data dir, with progress in it and without. Tests often run as root here, which ignores
/// permission bits: then portquiz runs as the unprivileged user `nobody` (uid 65534), for whom they hold.
#[test]
fn a_read_only_data_dir_is_a_clear_error_and_its_data_is_kept() {
    let outer = Sandbox::new();
    chmod(outer.path(), 0o755); // `nobody` must reach the data dir inside
    let as_nobody = ignores_permissions(outer.path());
    if as_nobody && let Err(e) = Command::new("true").uid(65534).gid(65534).status() {
        // Last resort: privileged, yet not allowed to switch users (no CAP_SETUID). Nothing is read-only here.
        eprintln!("skipped: permission bits do not apply and uid 65534 is not available: {e}");
        return;
    }
    let data: PathBuf = outer.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let sandbox = Sandbox::at(data.clone());
    some_progress(&sandbox, 6);
    let db = data.join(DB);
    let saved = saved_answers(&db);
    let before = std::fs::read(&db).unwrap();

    let run_study = |data_dir: &Path| -> Run {
        let mut cmd = study_cmd(&Sandbox::at(data_dir.to_path_buf()), DAY1);
        if as_nobody {
            cmd.uid(65534).gid(65534);
        }
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr)
                .replace(&outer.path().display().to_string(), "<TMP>"),
        }
    };

    chmod(&db, 0o444);
    chmod(&data, 0o555);
    let existing = run_study(&data);
    // A data dir that does not exist yet, under a directory nobody may write.
    let missing = outer.path().join("locked-parent").join("data");
    std::fs::create_dir(missing.parent().unwrap()).unwrap();
    chmod(missing.parent().unwrap(), 0o555);
    let uncreatable = run_study(&missing);
    chmod(missing.parent().unwrap(), 0o755);
    chmod(&data, 0o755);
    chmod(&db, 0o644);

    assert_eq!(existing.code, 2, "{}", existing.transcript());
    insta::assert_snapshot!("read_only_data_dir_with_progress", existing.transcript());
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database changed"
    );
    assert_eq!(saved_answers(&db), saved);

    assert_eq!(uncreatable.code, 2, "{}", uncreatable.transcript());
    insta::assert_snapshot!("uncreatable_data_dir", uncreatable.transcript());
    assert!(!missing.exists());
}

/// The disk fills up mid-session: portquiz runs under a file-size limit (`ulimit -f`, with SIGXFSZ ignored
/// so a write past the limit fails with EFBIG instead of killing the process), so the database's WAL cannot
/// grow past a few answers.
#[test]
fn a_disk_that_fills_up_mid_session_stops_it_with_a_clear_error_and_keeps_every_answer() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join(DB);
    let cards = card_index(&[MANY]);
    let mut rng = StdRng::seed_from_u64(0xd15c);

    // An earlier session saves some answers.
    let mut driver = PlainDriver::spawn(study_cmd(&sandbox, DAY1));
    let earlier = answer_until(&mut driver, &cards, &mut rng, 5, Stop::AtPrompt);
    driver.answer("q");
    let run = driver.finish();
    assert_eq!(run.code, 0, "{}", run.transcript());
    let mut expected = earlier.acked;
    assert_eq!(saved_answers(&db), expected);

    // Room for the database as it is and its 32 KiB WAL index, plus 64 KiB of WAL: a handful of answers.
    let size = std::fs::metadata(&db).unwrap().len().max(32 * 1024) + 64 * 1024;
    let limit = format!("trap '' XFSZ; ulimit -f {}; exec \"$0\" \"$@\"", size / 512);
    let limited = Test::on(&sandbox)
        .wrapper(&["sh", "-c", &limit])
        .args(STUDY)
        .now("2026-01-06T09:00:00Z");
    let mut driver = PlainDriver::spawn(limited.command());
    let full = answer_until(&mut driver, &cards, &mut rng, 1000, Stop::AtPrompt);
    let run = driver.finish();
    assert!(full.ended);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        (1..100).contains(&full.acked.len()),
        "the disk filled after {} answers",
        full.acked.len()
    );
    insta::assert_snapshot!(
        run.stderr
            .replace(&sandbox.path().display().to_string(), "<DATA>")
    );
    expected.extend(full.acked);
    assert_eq!(saved_answers(&db), expected, "every acknowledged answer");

    // With room again, studying goes on from there.
    let mut driver = PlainDriver::spawn(study_cmd(&sandbox, "2026-01-06T10:00:00Z"));
    let after = answer_until(&mut driver, &cards, &mut rng, 3, Stop::AtPrompt);
    driver.answer("q");
    assert_eq!(driver.finish().code, 0);
    expected.extend(after.acked);
    assert_eq!(saved_answers(&db), expected);
}

/// A reader that stops early (`portquiz cards --json | head -1`) is not an error: no panic, no message.
#[test]
fn a_closed_output_pipe_ends_a_command_quietly() {
    let sandbox = Sandbox::new();
    let study = [
        "study",
        "--plain",
        "--deck",
        "tests/decks/good/study.yaml",
        "--deck",
        "study",
    ];
    for args in [&["cards", "--json"][..], &["schema"], &["stats"], &study] {
        let mut cmd = Test::on(&sandbox).args(args).command();
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        // Close the reading end before portquiz writes: its first write gets EPIPE.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            (out.status.code(), stderr.as_ref()),
            (Some(0), ""),
            "{args:?}"
        );
    }
}

//! Issue 27, the data side: nothing hangs on a FIFO, no claimed length decides an allocation, no command
//! can overwrite the progress, exports are safe to open in Anki and in a spreadsheet, and every path in
//! a success or warning line is escaped. Each test reproduces an attack that worked before its fix.
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::attack::{
    Unprivileged, damage_one_page_in_the_middle, database_files, database_with_log, run_within,
};
use crate::support::{Run, Sandbox};

/// Long enough for a debug build on a loaded machine, short against a hang.
const DEADLINE: Duration = Duration::from_secs(30);

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn a_fifo_at_the_deck_cache_is_passed_over_without_a_hang() {
    let sandbox = Sandbox::new();
    std::fs::create_dir(sandbox.path().join("cache")).unwrap();
    mkfifo(&sandbox.path().join("cache/decks.bin"));
    let run = run_within(&sandbox, &["decks"], DEADLINE);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("ports"), "{}", run.stdout);
}

/// Runs `stats` and `study --plain` with a FIFO at the database's side file `suffix`: each must refuse it
/// by name at once.
fn fifo_beside_the_database(suffix: &str) {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.run(&["cards"]).code, 0);
    let db = sandbox.path().join("portquiz.sqlite3");
    let side = PathBuf::from(format!("{}{suffix}", db.display()));
    mkfifo(&side);
    for args in [&["stats"][..], &["study", "--plain"]] {
        let run = run_within(&sandbox, args, DEADLINE);
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                2,
                format!(
                    "error: cannot open the progress database {}: {} is a FIFO (named pipe), not a regular file, and SQLite would wait on it forever; remove it (portquiz never makes one), or pass --data-dir to use another directory\n",
                    s(&db),
                    s(&side)
                )
                .as_str()
            ),
            "{args:?} {suffix}"
        );
    }
}

#[test]
fn a_fifo_at_the_journal_is_refused_by_name_without_a_hang() {
    // Before: `-wal` and `-shm` were checked, `-journal` not: SQLite's open of it blocked forever.
    fifo_beside_the_database("-journal");
}

#[test]
fn a_fifo_at_the_wal_or_shm_is_called_a_fifo_not_read_only() {
    // Before: refused, but as "read-only, left by an earlier run".
    fifo_beside_the_database("-wal");
    fifo_beside_the_database("-shm");
}

#[test]
fn import_anki_refuses_a_fifo_without_a_hang() {
    let sandbox = Sandbox::new();
    let fifo = sandbox.path().join("notes.txt");
    mkfifo(&fifo);
    let run = run_within(
        &sandbox,
        &["import", "anki", &s(&fifo), "--id", "imported"],
        DEADLINE,
    );
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is a FIFO (named pipe), not a regular file; portquiz reads only regular files\n",
                s(&fifo)
            )
        )
    );
}

#[test]
fn import_anki_refuses_a_file_over_its_cap_before_reading() {
    // 2 GB (sparse): refused from its size, nothing read, nothing written. Before: read whole (3.1 GB).
    let sandbox = Sandbox::new();
    let big = sandbox.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let (run, kib) = crate::support::run_with_peak_rss(
        &sandbox,
        &["import", "anki", &s(&big), "--id", "imported"],
    );
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is 2048.0 MB, over the 16 MB portquiz reads from such a file; nothing was written: export the Anki deck in parts (by subdeck or tag) and import each part with its own --id\n",
                s(&big)
            )
        )
    );
    assert!(kib < 100 * 1024, "peak {kib} KiB");
    assert!(!sandbox.path().join("decks/imported.yaml").exists());
}

#[test]
fn a_cache_header_claiming_gigabytes_allocates_nothing_and_the_decks_are_compiled_again() {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.run(&["decks"]).code, 0);
    let cache = sandbox.path().join("cache/decks.bin");
    let magic = std::fs::read(&cache).unwrap()[..8].to_vec();
    // The magic line, then a header length of 3 GB, in a (sparse) file long enough to hold it.
    let mut bytes = magic;
    bytes.extend_from_slice(&(3u64 << 30).to_le_bytes());
    std::fs::write(&cache, &bytes).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&cache)
        .unwrap()
        .set_len(4 << 30)
        .unwrap();
    let (run, kib) = crate::support::run_with_peak_rss(&sandbox, &["decks"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("ports"), "{}", run.stdout);
    assert!(kib < 100 * 1024, "peak {kib} KiB");
}

#[test]
fn a_flipped_byte_in_a_cached_prompt_is_found_and_the_deck_read_from_its_file() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("mine.yaml"),
        "format: 1\nid: mine\ntitle: Mine\ncards:\n  - id: one\n    type: flashcard\n    prompt: Alpha prompt here\n    answer: A number\n    explain: x\n",
    )
    .unwrap();
    // Old enough that the cache trusts its stamp and does not read the file again.
    std::thread::sleep(Duration::from_millis(1100));
    let args = ["export", "anki", "-", "--deck", &s(&dir)];
    let first = sandbox.run(&args);
    assert!(
        first.stdout.contains("Alpha prompt here"),
        "{}",
        first.stdout
    );
    let again = sandbox.run(&args);
    assert_eq!(again.stdout, first.stdout);
    let cache = sandbox.path().join("cache/decks.bin");
    let mut bytes = std::fs::read(&cache).unwrap();
    // The last copy: the whole deck's (the first is in its head, which `export` does not read).
    let at = bytes
        .windows(5)
        .rposition(|w| w == b"Alpha")
        .expect("the prompt is in the cache");
    bytes[at + 4] = b'b';
    std::fs::write(&cache, &bytes).unwrap();
    let run = sandbox.run(&args);
    assert_eq!(run.stdout, first.stdout, "{}", run.transcript());
}

#[test]
fn import_anki_of_twenty_thousand_notes_with_one_front_is_linear() {
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("same.txt");
    let mut text = String::from("#separator:tab\n#html:false\n");
    for i in 0..20_000 {
        text.push_str(&format!("What is a port?\tanswer {i}\n"));
    }
    std::fs::write(&file, text).unwrap();
    let out = sandbox.path().join("same.yaml");
    // Processor time, not the wall clock (which a loaded machine stretches 5-10 times): this debug build
    // uses about 2 s; commit 9ecf9ea's used more than 86 s (stopped unfinished).
    let budget = Duration::from_secs(8);
    let logs = tempfile::tempdir().unwrap();
    let run = crate::hostile::bounded(
        sandbox.cmd(&[
            "import",
            "anki",
            &s(&file),
            "--id",
            "same",
            "--out",
            &s(&out),
        ]),
        logs.path(),
        budget,
    );
    assert!(
        run.code == Some(0) && run.cpu <= budget,
        "exit {:?} after {:.2} s of processor time (budget {budget:?})\n{}",
        run.code,
        run.cpu.as_secs_f64(),
        run.stderr
    );
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(yaml.contains("  - id: what-is-a-port\n"));
    assert!(yaml.contains("  - id: what-is-a-port-20000\n"));
}

#[test]
fn export_never_replaces_the_database_its_working_files_or_the_cache() {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.run(&["cards"]).code, 0);
    let data = sandbox.path();
    let db = data.join("portquiz.sqlite3");
    let before = database_files(data);
    let link = tempfile::tempdir().unwrap();
    let to_db = link.path().join("innocent.csv");
    std::os::unix::fs::symlink(&db, &to_db).unwrap();
    for target in [
        db.clone(),
        data.join("portquiz.sqlite3-wal"),
        data.join("portquiz.sqlite3-shm"),
        data.join("portquiz.sqlite3-journal"),
        data.join("cache/decks.bin"),
        to_db,
    ] {
        for what in ["reviews", "anki"] {
            let run = sandbox.run(&["export", what, &s(&target), "--force"]);
            assert_eq!(
                (run.code, run.stderr),
                (
                    2,
                    format!(
                        "error: {} is one of portquiz's own files (the progress database in {}, its working files, or its cache); exporting there would replace it: choose another path\n",
                        s(&target),
                        s(data)
                    )
                ),
                "{what} {}",
                s(&target)
            );
        }
    }
    assert_eq!(database_files(data), before);

    // A link to the database before it (or its data dir) exists: export reviews creates the database,
    // then would follow the link into it.
    let fresh = Sandbox::new();
    let fresh_data = fresh.path().join("not-yet");
    let dangling = link.path().join("dangling.csv");
    std::os::unix::fs::symlink(fresh_data.join("portquiz.sqlite3"), &dangling).unwrap();
    let run = fresh.run(&[
        "--data-dir",
        &s(&fresh_data),
        "export",
        "reviews",
        &s(&dangling),
        "--force",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("is one of portquiz's own files"),
        "{}",
        run.stderr
    );
    let header = std::fs::read(fresh_data.join("portquiz.sqlite3")).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"));
}

#[test]
fn two_repairs_in_the_same_second_keep_both_damaged_files() {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("portquiz.sqlite3");
    let log = |n: i64| {
        (0..2000).map(move |k| {
            (
                "many",
                "numbers/number-1/odd",
                1_750_000_000_000_000 + n + k,
            )
        })
    };
    database_with_log(&db, log(0));
    let first = damage_one_page_in_the_middle(&db);
    let now = [("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")];
    let repair = sandbox.run_with_input(&["repair"], &now, "");
    assert_eq!(repair.code, 0, "{}", repair.transcript());
    // Damaged again, repaired again within the same second (the clock is fixed).
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for (deck, card, time) in log(10_000) {
            conn.execute(
                "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram) VALUES (?1, ?2, ?3, 3, 'new', 0, 1000, 0)",
                rusqlite::params![deck, card, time],
            )
            .unwrap();
        }
    }
    let second = damage_one_page_in_the_middle(&db);
    let repair = sandbox.run_with_input(&["repair"], &now, "");
    assert_eq!(repair.code, 0, "{}", repair.transcript());
    let kept = sandbox
        .path()
        .join("portquiz.sqlite3.damaged-20260105T090000Z");
    let kept_2 = sandbox
        .path()
        .join("portquiz.sqlite3.damaged-20260105T090000Z-2");
    assert!(
        std::fs::read(&kept).unwrap() == first,
        "the first kept file changed"
    );
    assert!(
        std::fs::read(&kept_2).unwrap() == second,
        "the second damaged file is not kept"
    );
    assert_eq!(
        repair.stdout.lines().last().unwrap(),
        format!("The damaged file is kept at {}.", s(&kept_2))
    );
    // No `.repairing` file is left, and the database is in place.
    let names: Vec<String> = std::fs::read_dir(sandbox.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("portquiz.sqlite3"))
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [
            "portquiz.sqlite3",
            "portquiz.sqlite3.damaged-20260105T090000Z",
            "portquiz.sqlite3.damaged-20260105T090000Z-2"
        ]
    );
}

#[test]
fn a_repair_killed_at_any_rename_leaves_a_database_in_place_that_the_next_repair_finishes() {
    // Each run of `repair` is killed (by strace's fault injection) as it enters its k-th rename. The
    // repair that renamed the damaged file away first and the fresh one in second left no database
    // between the two: `study` then created an empty one, and a later repair deleted the `.repairing`
    // copy that held the answers.
    let test = "a_repair_killed_at_any_rename_leaves_a_database_in_place";
    if !crate::support::tool_for(test, "strace") {
        return;
    }
    let now = [("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")];
    for k in 1..=3 {
        let sandbox = Sandbox::new();
        let db = sandbox.path().join("portquiz.sqlite3");
        database_with_log(
            &db,
            (0..2000).map(|n| ("many", "numbers/number-1/odd", 1_750_000_000_000_000 + n)),
        );
        let damaged = damage_one_page_in_the_middle(&db);
        let inject = format!("inject=rename,renameat,renameat2:signal=KILL:when={k}");
        let mut cmd = sandbox.cmd_wrapped(
            &["strace", "-f", "-qq", "-o", "/dev/null", "-e", &inject],
            &["repair"],
        );
        let killed = cmd.envs(now).output().unwrap();
        if killed.status.code() == Some(1)
            && String::from_utf8_lossy(&killed.stderr).contains("ptrace")
        {
            crate::support::skip(test, "strace cannot trace here (ptrace is not permitted)");
            return;
        }
        assert!(
            db.is_file(),
            "killed at rename {k}: no database at {}",
            s(&db)
        );
        let bytes = std::fs::read(&db).unwrap();
        assert!(
            bytes == damaged || bytes.starts_with(b"SQLite format 3\0"),
            "killed at rename {k}: the database is neither the damaged file nor a database"
        );
        // The next repair finishes the job (or finds nothing left to do), and every readable answer is in.
        let again = sandbox.run_with_input(&["repair"], &now, "");
        assert_eq!(
            again.code,
            0,
            "killed at rename {k}: {}",
            again.transcript()
        );
        let export = sandbox.run(&["export", "reviews", "-"]);
        let rows = export.stdout.lines().count() - 1;
        assert!(
            rows > 1500,
            "killed at rename {k}: {rows} answers left\n{}",
            again.transcript()
        );
    }
}

#[test]
fn merge_leaves_out_answers_dated_after_now_and_counts_them() {
    let sandbox = Sandbox::new();
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    // 2026-01-05T08:00:00Z and 2100-01-01T00:00:00Z.
    database_with_log(
        &other,
        [
            ("ports", "ssh-port", 1_767_600_000_000_000),
            ("ports", "http-port", 4_102_444_800_000_000),
        ],
    );
    let run = sandbox.run_with_input(
        &["merge", &s(&other)],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")],
        "",
    );
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!(
                "Merged 1 new answer from {} (0 already here); rebuilt the schedule of 1 card; left out 1 answer dated after now (the other machine's clock was ahead, or the file was made by hand).\n",
                s(&other)
            ),
            String::new()
        )
    );
}

/// A deck whose prompts and answers start with what Anki reads as a comment or header, or a spreadsheet
/// as a formula.
const LEADING: &str = r##"format: 1
id: leading
title: Leading characters
cards:
  - id: comment
    type: flashcard
    prompt: "# not a comment"
    answer: "#deck:evil"
    tags: ["=1+1", "x"]
  - id: separator
    type: flashcard
    prompt: "#separator:Comma"
    answer: "=HYPERLINK(\"http://x\")"
  - id: plus
    type: flashcard
    prompt: "+1 is what?"
    answer: "-1"
  - id: at
    type: flashcard
    prompt: "@home"
    answer: "ok"
"##;

#[test]
fn export_anki_escapes_leading_hashes_and_formulas_and_every_note_comes_back() {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("leading.yaml");
    std::fs::write(&deck, LEADING).unwrap();
    let out = sandbox.path().join("out.txt");
    let run = sandbox.run(&[
        "export",
        "anki",
        &s(&out),
        "--deck",
        &s(&deck),
        "--deck",
        "leading",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(&out).unwrap();
    let notes: Vec<(&str, &str, &str)> = text
        .lines()
        .filter(|l| l.contains("portquiz::leading"))
        .map(|l| {
            let mut cells = l.split('\t');
            (
                cells.next().unwrap(),
                cells.next().unwrap(),
                cells.next().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("&#35; not a comment", "&#35;deck:evil", "'=1+1 x"),
            (
                "&#35;separator:Comma",
                "&#61;HYPERLINK(&quot;http://x&quot;)",
                ""
            ),
            ("&#43;1 is what?", "&#45;1", ""),
            ("&#64;home", "ok", ""),
        ]
    );
    let back = sandbox.path().join("back.yaml");
    let run = sandbox.run(&[
        "import",
        "anki",
        &s(&out),
        "--id",
        "back",
        "--out",
        &s(&back),
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        format!("Imported 4 cards into deck `back` at {}\n", s(&back))
    );
    let yaml = std::fs::read_to_string(&back).unwrap();
    for shown in [
        "prompt: \"# not a comment\"\n    answer: \"#deck:evil\"",
        "tags: [\"=1+1\", \"x\"]",
        "prompt: \"#separator:Comma\"\n    answer: \"=HYPERLINK(\\\"http://x\\\")\"",
        "prompt: \"+1 is what?\"\n    answer: \"-1\"",
        "prompt: \"@home\"\n    answer: \"ok\"",
    ] {
        assert!(yaml.contains(shown), "{shown} not in\n{yaml}");
    }
}

#[test]
fn export_anki_shuffles_choice_options_by_card_id_the_same_way_every_run() {
    let sandbox = Sandbox::new();
    let out = sandbox.path().join("all.txt");
    let run = sandbox.run(&["export", "anki", &s(&out)]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(&out).unwrap();
    // The right option's position in each single-answer choice note (its back is one option).
    let mut positions = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut cells = line.split('\t');
        let (front, back) = (cells.next().unwrap(), cells.next().unwrap());
        let answer = back.split("<hr id=").next().unwrap();
        let options: Vec<&str> = front.split("<br>").skip(1).collect();
        if options.len() < 2 || answer.contains("; ") {
            continue;
        }
        let position = options
            .iter()
            .position(|o| o.split_once(". ").map(|(_, t)| t) == Some(answer));
        if let Some(p) = position {
            positions.push(p + 1);
        }
    }
    assert!(positions.len() >= 100, "{} choice cards", positions.len());
    let first = positions.iter().filter(|&&p| p == 1).count();
    assert!(
        first * 2 < positions.len(),
        "the right answer is option 1 in {first} of {} cards",
        positions.len()
    );
    assert!(positions.iter().any(|&p| p >= 3), "{positions:?}");
    let again = sandbox.path().join("again.txt");
    assert_eq!(sandbox.run(&["export", "anki", &s(&again)]).code, 0);
    assert!(
        std::fs::read(&again).unwrap() == text.as_bytes(),
        "a second export differs"
    );
}

/// The raw terminal characters a file name can carry.
fn raw_escape(run: &Run) -> bool {
    run.stdout.contains('\u{1b}') || run.stderr.contains('\u{1b}')
}

#[test]
fn paths_in_success_and_warning_lines_are_escaped() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("evil\u{1b}[2J\u{1b}]0;x\u{7}");
    std::fs::create_dir(&dir).unwrap();
    let shown = "evil\\u{1b}[2J\\u{1b}]0;x\\u{7}";
    let check = |what: &str, run: &Run| {
        assert_eq!(run.code, 0, "{what}: {}", run.transcript());
        assert!(
            !raw_escape(run),
            "{what}: a raw escape:\n{}",
            run.transcript()
        );
        assert!(
            run.stdout.contains(shown) || run.stderr.contains(shown),
            "{what}: the path is not shown:\n{}",
            run.transcript()
        );
    };
    let export = dir.join("out.txt");
    check(
        "export anki",
        &sandbox.run(&["export", "anki", &s(&export)]),
    );
    check(
        "export reviews",
        &sandbox.run(&["export", "reviews", &s(&dir.join("reviews.csv"))]),
    );
    let notes = dir.join("notes.txt");
    std::fs::write(
        &notes,
        "#separator:tab\n#html:true\nFront <img src=\"a.png\">\tBack\n",
    )
    .unwrap();
    let import = sandbox.run(&[
        "import",
        "anki",
        &s(&notes),
        "--id",
        "pictures",
        "--out",
        &s(&dir.join("pictures.yaml")),
    ]);
    check("import anki", &import);
    assert!(
        import
            .stderr
            .contains(&format!("{shown}/notes.txt:3: dropped 1 image"))
    );
    check(
        "new",
        &sandbox.run(&["new", "fresh", "--out", &s(&dir.join("fresh.yaml"))]),
    );
    let other = dir.join("portquiz.sqlite3");
    database_with_log(&other, [("ports", "ssh-port", 1_767_600_000_000_000)]);
    check("merge", &sandbox.run(&["merge", &s(&other)]));
}

#[test]
fn repair_shows_a_data_dir_path_with_escapes_escaped() {
    // Before: `repair` printed the database's path and the kept copy's raw.
    let sandbox = Sandbox::new();
    let data = sandbox.path().join("evil\u{1b}[2J\u{1b}]0;x\u{7}/data");
    std::fs::create_dir_all(&data).unwrap();
    let shown = format!(
        "{}/evil\\u{{1b}}[2J\\u{{1b}}]0;x\\u{{7}}/data",
        s(sandbox.path())
    );
    let db = data.join("portquiz.sqlite3");
    database_with_log(
        &db,
        (0..2000).map(|k| ("many", "numbers/number-1/odd", 1_750_000_000_000_000 + k)),
    );
    damage_one_page_in_the_middle(&db);
    let repair = sandbox.run_with_input(
        &["--data-dir", &s(&data), "repair"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")],
        "",
    );
    assert_eq!(repair.code, 0, "{}", repair.transcript());
    assert!(
        !raw_escape(&repair),
        "a raw escape:\n{}",
        repair.transcript()
    );
    assert_eq!(
        repair.stdout.lines().last(),
        Some(
            format!(
                "The damaged file is kept at {shown}/portquiz.sqlite3.damaged-20260105T090000Z."
            )
            .as_str()
        ),
        "{}",
        repair.transcript()
    );
    assert!(
        repair
            .stderr
            .starts_with(&format!("{shown}/portquiz.sqlite3 is damaged: ")),
        "{}",
        repair.transcript()
    );
}

#[test]
fn simulate_refuses_a_stored_infinite_difficulty_with_the_card_named() {
    let sandbox = Sandbox::new();
    let deck = "tests/decks/good/pty.yaml";
    let study = sandbox.run_with_input(
        &["study", "--plain", "--deck", deck, "--deck", "pty"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")],
        "1\n\n",
    );
    assert_eq!(study.code, 0, "{}", study.transcript());
    let conn = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    let changed = conn
        .execute("UPDATE cards SET difficulty = 9e999", [])
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let run = sandbox.run(&["simulate", "--deck", deck, "--deck", "pty"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            "",
            "error: the stored state of pty/port-definition is not a number (stability 2.3065, difficulty inf); the database was changed outside portquiz or is damaged: run `portquiz reset --deck pty --card port-definition` to start that card over, or restore a backup\n"
        )
    );
}

#[test]
fn export_reviews_simulate_and_config_work_in_a_read_only_data_dir() {
    use std::os::unix::fs::PermissionsExt;
    let Some(user) = Unprivileged::new() else {
        return;
    };
    let data = user.data.clone();
    database_with_log(
        &data.join("portquiz.sqlite3"),
        [("ports", "ssh-port", 1_767_600_000_000_000)],
    );
    let run = |args: &[&str]| user.run(args, "");
    for file in std::fs::read_dir(&data).unwrap() {
        let path = file.unwrap().path();
        let mode = if path.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = database_files(&data);
    let export = run(&["export", "reviews", "-"]);
    assert_eq!(
        (export.code, export.stdout.as_str()),
        (
            0,
            "card_id,review_time,review_rating,review_state,review_duration\nports/ssh-port,1767600000000,3,0,1000\n"
        ),
        "{}",
        export.transcript()
    );
    let simulate = run(&["simulate", "--days", "3"]);
    assert_eq!(simulate.code, 0, "{}", simulate.transcript());
    let list = run(&["config"]);
    assert_eq!(list.code, 0, "{}", list.transcript());
    let get = run(&["config", "get", "desired-retention"]);
    assert_eq!(
        (get.code, get.stdout.as_str()),
        (0, "0.9 (default)\n"),
        "{}",
        get.transcript()
    );
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(database_files(&data), before);
}

#[test]
fn a_deck_value_that_is_also_an_entry_here_says_it_was_read_as_a_path() {
    let sandbox = Sandbox::new();
    // The tests run in the crate root, which holds the folder `decks`; `decks` is also a valid deck id.
    let run = sandbox.run(&["decks", "--deck", "decks"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "note: --deck decks was read as the path ./decks (an entry of that name is in the current folder), not as the deck id `decks`; to choose the deck by id, run portquiz from another folder\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn deck_files_more_than_eight_folders_deep_are_reported_not_skipped_silently() {
    let sandbox = Sandbox::new();
    let root = sandbox.path().join("library");
    let deep = (1..=9).fold(root.clone(), |p, n| p.join(n.to_string()));
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("deep.yaml"),
        "format: 1\nid: deep\ntitle: Deep\ncards:\n  - id: one\n    type: flashcard\n    prompt: Deep?\n    answer: yes\n    explain: x\n",
    )
    .unwrap();
    let run = sandbox.run(&["check", &s(&root)]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            1,
            "1 error in 1 deck\nchecked against 20 loaded decks (built-in and data dir decks)\n",
            format!(
                "{}: error: this folder holds deck files, but is more than 8 folders below the deck folder, so they are not read\nhelp: move these decks up, or pass this folder itself with --deck\n",
                s(&deep)
            )
        )
    );
    // Study and the other commands say it too, as a warning, and go on with the decks they can read.
    let decks = sandbox.run(&["decks", "--deck", &s(&root)]);
    assert!(
        decks.stderr.starts_with(&format!(
            "{}: warning: skipped: this folder holds deck files",
            s(&deep)
        )),
        "{}",
        decks.transcript()
    );
}

#[test]
fn temporary_files_a_killed_cache_write_left_are_removed_at_the_next_start() {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.run(&["decks"]).code, 0);
    let cache = sandbox.path().join("cache");
    let old = cache.join(".tmpAbC123");
    let young = cache.join(".tmpXyZ789");
    std::fs::write(&old, vec![0u8; 1 << 20]).unwrap();
    std::fs::write(&young, b"being written").unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    assert_eq!(sandbox.run(&["decks"]).code, 0);
    assert!(!old.exists(), "the leftover is still there");
    assert!(
        young.exists(),
        "a file another run may be writing was removed"
    );
}

#[test]
fn temporary_files_a_killed_export_left_are_removed_by_the_next_export_there() {
    let sandbox = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join(".portquiz-AbC123");
    std::fs::write(&old, vec![0u8; 1 << 20]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let run = sandbox.run(&["export", "reviews", &s(&dir.path().join("r.csv"))]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(!old.exists(), "the leftover is still there");
}

#[test]
fn every_other_file_portquiz_opens_as_a_fifo_is_answered_at_once() {
    let sandbox = Sandbox::new();
    let data = sandbox.path();
    let db = data.join("portquiz.sqlite3");
    mkfifo(&db);
    let run = run_within(&sandbox, &["stats"], DEADLINE);
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is not a portquiz database (it is not an SQLite file, is damaged, or belongs to another program); portquiz left it untouched: move it aside, or pass --data-dir to use another directory\n",
                s(&db)
            )
        )
    );
    std::fs::remove_file(&db).unwrap();

    let other = data.join("other.sqlite3");
    mkfifo(&other);
    let run = run_within(&sandbox, &["merge", &s(&other)], DEADLINE);
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is not a file; pass the portquiz.sqlite3 copied from the other machine\n",
                s(&other)
            )
        )
    );

    std::fs::create_dir(data.join("decks")).unwrap();
    let deck = data.join("decks/pipe.yaml");
    mkfifo(&deck);
    let run = run_within(&sandbox, &["decks"], DEADLINE);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr.starts_with(&format!(
            "{}: warning: skipped: it is a FIFO (named pipe), not a regular file",
            s(&deck)
        )),
        "{}",
        run.stderr
    );
}

//! The attack corpus of issue 14: hostile decks, imports, foreign and damaged databases, special files at
//! export targets. Each test reproduces an attack that worked before its fix.
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{Run, Sandbox};

/// A deck whose text carries terminal escapes: OSC 52 (writes the clipboard: `rm -rf /`), a screen clear,
/// colour, C1 CSI, DEL, and bidi overrides and isolates.
const HOSTILE_DECK: &str = r#"format: 1
id: hostile
title: "Title \e]52;c;cm0gLXJmIC8K\a and \e[2J and \u202Egnp.exe"
cards:
  - id: clip
    type: choice
    prompt: "Prompt \e]52;c;cm0gLXJmIC8K\a then \e[2J then \u202Eright-to-left"
    options: ["ok \e[2J", "\u202Eevil", "plain"]
    answer: plain
    explain: "Explain \e]0;title\a \u2066iso\u2069"
  - id: flash
    type: flashcard
    prompt: "Flash \e[31mred\e[0m \x9b2J"
    answer: "Back \e]52;c;cm0gLXJmIC8K\a \x7f"
    hint: "Hint \e[2J \u200F"
"#;

/// The characters that must never reach a terminal raw from data.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            matches!(c, '\u{1b}' | '\u{7}' | '\u{7f}' | '\u{80}'..='\u{9f}')
                || matches!(
                    c,
                    '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
                )
        })
        .collect()
}

/// Asserts that neither stream of `run` holds a raw control or bidi character, and that `shown` (the
/// visible form of the payload) is in stdout or stderr.
fn assert_safe(what: &str, run: &Run, shown: &str) {
    let bad_out = raw_controls(&run.stdout);
    let bad_err = raw_controls(&run.stderr);
    assert!(
        bad_out.is_empty() && bad_err.is_empty(),
        "{what}: raw characters {bad_out:?} on stdout, {bad_err:?} on stderr:\n{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains(shown) || run.stderr.contains(shown),
        "{what}: {shown:?} not shown:\n{}",
        run.transcript()
    );
}

fn hostile_sandbox() -> (Sandbox, String) {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("hostile.yaml");
    std::fs::write(&deck, HOSTILE_DECK).unwrap();
    let deck = deck.display().to_string();
    (sandbox, deck)
}

#[test]
fn hostile_deck_text_is_shown_escaped_by_decks_check_and_plain_study() {
    let (sandbox, deck) = hostile_sandbox();
    let decks = sandbox.run(&["decks", "--deck", &deck, "--deck", "hostile"]);
    assert_eq!(decks.code, 0, "{}", decks.transcript());
    assert_eq!(
        decks.stdout,
        format!(
            "id       cards  title (origin)\nhostile      2  Title \\u{{1b}}]52;c;cm0gLXJmIC8K\\u{{7}} and \\u{{1b}}[2J and \\u{{202e}}gnp.exe ({deck})\n"
        )
    );
    let json = sandbox.run(&["decks", "--json", "--deck", &deck, "--deck", "hostile"]);
    assert_safe("decks --json", &json, "\\u202egnp.exe");
    let parsed: serde_json::Value = crate::support::json_unique(&json.stdout);
    assert_eq!(
        parsed["decks"][0]["title"],
        "Title \u{1b}]52;c;cm0gLXJmIC8K\u{7} and \u{1b}[2J and \u{202e}gnp.exe",
        "the JSON value itself is unchanged"
    );

    let check = sandbox.run(&["check", &deck]);
    assert_eq!(
        check.stdout,
        "1 deck, 2 cards: ok (1 warning)\nchecked against 20 loaded decks (built-in and data dir decks)\n"
    );

    // Every kind of answer, the hint, a flashcard's back, then the end of input.
    let input = "?\n1\n2\n3\n?\n\n1\n1\n1\n";
    let study = sandbox.run_with_input(
        &["study", "--plain", "--deck", &deck, "--deck", "hostile"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")],
        input,
    );
    assert_safe("study --plain", &study, "\\u{1b}]52;c;cm0gLXJmIC8K\\u{7}");
    for shown in [
        "then \\u{1b}[2J then \\u{202e}right-to-left",
        ") ok \\u{1b}[2J",
        ") \\u{202e}evil",
        "Flash \\u{1b}[31mred\\u{1b}[0m \\u{9b}2J",
        "Hint: Hint \\u{1b}[2J \\u{200f}",
    ] {
        assert!(
            study.stdout.contains(shown),
            "{shown}:\n{}",
            study.transcript()
        );
    }
}

#[test]
fn check_quotes_a_hostile_source_line_escaped_with_the_caret_under_the_right_character() {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("bad.yaml");
    // Bidi characters are valid YAML: the error is the misspelt key after them.
    std::fs::write(
        &deck,
        "format: 1\nid: bad\ntitle: Bad\ncards:\n  - {id: a, type: flashcard, prompt: \"\u{202e}x\u{2066}\", answer: z, answr: x}\n",
    )
    .unwrap();
    let run = sandbox.run(&["check", &deck.display().to_string()]);
    assert_safe("check", &run, "\\u{202e}x\\u{2066}");
    let excerpt: Vec<&str> = run.stderr.lines().skip(1).take(3).collect();
    assert_eq!(
        excerpt,
        [
            "  |",
            "5 |   - {id: a, type: flashcard, prompt: \"\\u{202e}x\\u{2066}\", answer: z, answr: x}",
            "  |                                                                      ^^^^^",
        ],
        "{}",
        run.transcript()
    );
    // A raw escape is a YAML syntax error, quoted safely with the caret under it.
    std::fs::write(
        &deck,
        "format: 1\nid: bad\ntitle: Bad\ncards:\n  - {id: a, prompt: \"\u{1b}]52;c;eA==\u{7}\"}\n",
    )
    .unwrap();
    let run = sandbox.run(&["check", &deck.display().to_string()]);
    assert_eq!(
        run.stderr,
        format!(
            "{}:5:22: error: YAML syntax: unexpected character: `\\u{{1b}}'\n  |\n5 |   - {{id: a, prompt: \"\\u{{1b}}]52;c;eA==\\u{{7}}\"}}\n  |                      ^^^^^^\n",
            deck.display()
        )
    );
}

#[test]
fn stats_shows_a_hostile_leech_prompt_escaped() {
    let (sandbox, deck) = hostile_sandbox();
    let cards = sandbox.run(&["cards", "--deck", &deck, "--deck", "hostile"]);
    assert_eq!(cards.code, 0, "{}", cards.transcript());
    let conn = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO cards (deck, card, state, stability, difficulty, due, reps, lapses, last_review)
         VALUES ('hostile', 'clip', 'review', 1.0, 5.0, 1767603600000000, 20, 9, 1767517200000000)",
        [],
    )
    .unwrap();
    drop(conn);
    let stats = sandbox.run(&["stats", "--deck", &deck, "--deck", "hostile"]);
    assert_safe(
        "stats",
        &stats,
        "hostile/clip (9 lapses): Prompt \\u{1b}]52;c;cm0gLXJmIC8K\\u{7} then",
    );
    let json = sandbox.run(&["stats", "--json", "--deck", &deck, "--deck", "hostile"]);
    assert_safe("stats --json", &json, "\\u202eright-to-left");
}

#[test]
fn anki_export_and_import_carry_no_raw_escapes() {
    let (sandbox, deck) = hostile_sandbox();
    let out = sandbox.path().join("out.txt");
    let export = sandbox.run(&[
        "export",
        "anki",
        &out.display().to_string(),
        "--deck",
        &deck,
        "--deck",
        "hostile",
    ]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(raw_controls(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("Flash \\u{1b}[31mred"), "{text}");

    // An Anki file with escapes: a malformed line is quoted safely, a good one becomes a deck whose file
    // holds escapes, not raw bytes.
    let bad = sandbox.path().join("bad.txt");
    std::fs::write(&bad, "#separator:tab\n#html:false\nfront \u{1b}[2J only\n").unwrap();
    let run = sandbox.run(&["import", "anki", &bad.display().to_string(), "--id", "bad"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        raw_controls(&run.stderr),
        Vec::<char>::new(),
        "{}",
        run.stderr
    );
    let good = sandbox.path().join("good.txt");
    std::fs::write(
        &good,
        "#separator:tab\n#html:false\nfront \u{1b}]52;c;cm0gLXJmIC8K\u{7}\tback \u{202e}kcab\n",
    )
    .unwrap();
    let run = sandbox.run(&[
        "import",
        "anki",
        &good.display().to_string(),
        "--id",
        "good",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let yaml = std::fs::read_to_string(sandbox.path().join("decks").join("good.yaml")).unwrap();
    assert_eq!(raw_controls(&yaml), Vec::<char>::new(), "{yaml}");
    assert!(
        yaml.contains(r#"prompt: "front \u001b]52;c;cm0gLXJmIC8K\u0007""#),
        "{yaml}"
    );
    assert!(yaml.contains(r#"answer: "back \u202ekcab""#), "{yaml}");
}

/// A portquiz database at `path` (made by portquiz) whose review log holds one answer per `(deck, card)`.
pub(crate) fn database_with_reviews(path: &Path, ids: &[(&str, &str)]) {
    database_with_log(
        path,
        ids.iter()
            .enumerate()
            .map(|(i, (deck, card))| (*deck, *card, 1_767_603_600_000_000_i64 + i as i64)),
    );
}

/// A portquiz database at `path` (made by portquiz) whose review log holds a Good answer for each
/// `(deck, card, time in microseconds)`.
pub(crate) fn database_with_log<'a>(
    path: &Path,
    rows: impl IntoIterator<Item = (&'a str, &'a str, i64)>,
) {
    let dir = path.parent().unwrap();
    let run = Sandbox::at(dir.to_path_buf()).run(&["cards"]);
    assert!(path.exists(), "{}", run.transcript());
    let mut conn = rusqlite::Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    for (deck, card, time) in rows {
        tx.execute(
            "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram)
             VALUES (?1, ?2, ?3, 3, 'new', 0, 1000, 0)",
            rusqlite::params![deck, card, time],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn merge_skips_ids_that_break_the_id_rule_and_export_reviews_escapes_them() {
    let sandbox = Sandbox::new();
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    database_with_reviews(
        &other,
        &[
            ("evil\u{1b}[2J", "card"),
            ("deck", "\u{202e}card"),
            ("good-deck", "good-card"),
            ("good-deck", "table/row/column"),
        ],
    );
    let merge = sandbox.run(&["merge", &other.display().to_string()]);
    assert_eq!(merge.code, 0, "{}", merge.transcript());
    assert_eq!(
        merge.stderr,
        "warning: skipped 2 answers whose deck or card id is not an id portquiz writes, for example `evil\\u{1b}[2J/card`: bad id `evil\\u{1b}[2J`: it contains '\\u{1b}'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n"
    );
    assert_safe("merge", &merge, "Merged 2 new answers");

    // A hand-edited log: export reviews shows the ids escaped in the CSV.
    let db = sandbox.path().join("portquiz.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram)
         VALUES ('d\u{1b}]52;c;x\u{7}', 'c', 1767603600000000, 3, 'new', 0, 5, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let csv = sandbox.path().join("reviews.csv");
    let run = sandbox.run(&["export", "reviews", &csv.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text,
        "card_id,review_time,review_rating,review_state,review_duration\n\
         d\\u{1b}]52;c;x\\u{7}/c,1767603600000,3,0,5\n\
         good-deck/good-card,1767603600000,3,0,1000\n\
         good-deck/table/row/column,1767603600000,3,0,1000\n"
    );
}

#[test]
fn terminal_front_end_shows_hostile_deck_text_escaped() {
    use expectrl::{Eof, Expect};
    let (sandbox, deck) = hostile_sandbox();
    let mut s = crate::terminal::spawn_study(&sandbox, &["--deck", &deck, "--deck", "hostile"]);
    let tty = crate::terminal::terminal(&s);
    let mut seen = Vec::new();
    // Two cards: answer whatever is asked with Enter, once the prompt is drawn and a key is being read,
    // until the session is over.
    // Any active prompt: its label at the start of a row (an echoed choice starts with `›` instead).
    let prompt = format!("({}|Session over)", crate::terminal::PROMPT);
    loop {
        let found = s
            .expect(expectrl::Regex(prompt.as_str()))
            .unwrap_or_else(|e| panic!("a prompt: {e}\n{}", String::from_utf8_lossy(&seen)));
        seen.extend_from_slice(found.before());
        seen.extend_from_slice(found.get(0).unwrap_or_default());
        if found.get(0) == Some(b"Session over".as_slice()) {
            break;
        }
        crate::terminal::wait_for_key_read(&tty);
        s.send("\r").unwrap();
    }
    let rest = s.expect(Eof).unwrap();
    seen.extend_from_slice(rest.before());
    let screen = String::from_utf8_lossy(&seen);
    for payload in [
        "\u{1b}]52",
        "\u{1b}[2J",
        "\u{202e}",
        "\u{1b}]0;",
        "\u{9b}",
        "\u{2066}",
    ] {
        assert!(
            !screen.contains(payload),
            "raw {payload:?} reached the terminal:\n{screen:?}"
        );
    }
    for shown in [
        "\\u{1b}]52;c;cm0gLXJmIC8K\\u{7}",
        "\\u{202e}evil",
        "ok \\u{1b}[2J",
    ] {
        assert!(screen.contains(shown), "{shown} not shown:\n{screen:?}");
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn export_never_replaces_what_is_not_a_regular_file_and_asks_for_force() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    let export = |target: &Path, force: bool| {
        let target = target.display().to_string();
        let mut args = vec!["export", "reviews", target.as_str()];
        if force {
            args.push("--force");
        }
        sandbox.run(&args)
    };

    // A FIFO is refused at once (no hang) and stays a FIFO.
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let run = export(&fifo, true);
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is a FIFO (named pipe), not a regular file; portquiz writes only regular files (pass - to write to standard output)\n",
                fifo.display()
            )
        )
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    // A device is refused.
    let run = export(Path::new("/dev/null"), true);
    assert_eq!(
        run.stderr,
        "error: /dev/null is a character device, not a regular file; portquiz writes only regular files (pass - to write to standard output)\n"
    );

    // A dangling link is refused and stays a link; a link to a regular file is followed, never replaced.
    let dangling = dir.join("dangling");
    std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
    let run = export(&dangling, true);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("is a symbolic link to nothing"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("nowhere").exists());
    let real = dir.join("real.csv");
    std::fs::write(&real, "old\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = export(&link, false);
    assert_eq!(
        run.stderr,
        format!(
            "error: {} already exists; pass --force to replace it, or choose another path\n",
            link.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "old\n");
    let run = export(&link, true);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "card_id,review_time,review_rating,review_state,review_duration\n"
    );
    assert_eq!(mode(&real), 0o640, "a replaced file keeps its mode");

    // A missing folder is an error, not created.
    let run = export(&dir.join("missing").join("out.csv"), false);
    assert_eq!(
        run.stderr,
        format!(
            "error: the folder {} does not exist; create it first, or choose another path\n",
            dir.join("missing").display()
        )
    );
    assert!(!dir.join("missing").exists());
}

#[test]
fn export_writes_new_files_with_the_umask_mode_and_dash_is_stdout() {
    let sandbox = Sandbox::new();
    let out = sandbox.path().join("reviews.csv");
    let run = Run::from(
        sandbox
            .cmd_wrapped(
                &["sh", "-c", "umask 002; exec \"$0\" \"$@\""],
                &["export", "reviews", &out.display().to_string()],
            )
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(mode(&out), 0o664);

    let run = sandbox.run(&["export", "reviews", "-"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "card_id,review_time,review_rating,review_state,review_duration\n",
            "Exported 0 reviews to standard output (card_id,review_time,review_rating,review_state,review_duration).\n"
        )
    );
}

#[test]
fn import_anki_refuses_a_deck_over_the_loader_limit_before_writing() {
    let sandbox = Sandbox::new();
    let anki = sandbox.path().join("big.txt");
    let mut text = String::from("#separator:tab\n#html:false\n");
    let back = "x".repeat(400);
    for i in 0..25_000 {
        text.push_str(&format!("front {i}\t{back}\n"));
    }
    std::fs::write(&anki, text).unwrap();
    let run = sandbox.run(&["import", "anki", &anki.display().to_string(), "--id", "big"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            "",
            format!(
                "error: the deck made from {} would be 11.4 MB, over the 8 MB a deck file may hold, so portquiz would not load it; nothing was written: export the Anki deck in parts (by subdeck or tag) and import each part with its own --id\n",
                anki.display()
            )
            .as_str()
        )
    );
    assert!(!sandbox.path().join("decks").join("big.yaml").exists());
}

/// The database files in `dir` (`portquiz.sqlite3` and any `-wal`, `-shm`, `-journal`), with their bytes.
pub(crate) fn database_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = files_in(dir);
    files.retain(|(name, _)| name.starts_with("portquiz.sqlite3"));
    files
}

/// Every file in `dir` (name and bytes), sorted: what "left byte for byte as it was" compares.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn merge_reads_the_other_database_without_changing_a_byte() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::new();

    // A 0-byte file: refused, still 0 bytes, nothing created beside it.
    let empty_dir = tempfile::tempdir().unwrap();
    let empty = empty_dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let run = sandbox.run(&["merge", &empty.display().to_string()]);
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is not a portquiz database (empty, not an SQLite file, damaged, or another program's); it was left untouched: pass the portquiz.sqlite3 copied from the other machine\n",
                empty.display()
            )
        )
    );
    assert_eq!(
        files_in(empty_dir.path()),
        [("empty.sqlite3".to_string(), Vec::new())]
    );

    // A portquiz database in rollback-journal mode, read-only, in a read-only folder: merged, unchanged.
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    database_with_reviews(&other, &[("deck-a", "card-1"), ("deck-a", "card-2")]);
    let conn = rusqlite::Connection::open(&other).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    drop(conn);
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(other_dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = files_in(other_dir.path());
    let run = sandbox.run(&["merge", &other.display().to_string()]);
    std::fs::set_permissions(other_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        (run.code, run.stdout, run.stderr),
        (
            0,
            format!(
                "Merged 2 new answers from {} (0 already here); rebuilt the schedule of 2 cards.\n",
                other.display()
            ),
            String::new()
        )
    );
    assert_eq!(
        files_in(other_dir.path()),
        before,
        "the other folder changed"
    );
}

#[test]
fn merge_of_a_file_with_a_pending_write_ahead_log_reads_its_answers_and_leaves_both_files() {
    let sandbox = Sandbox::new();
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    database_with_reviews(&other, &[]);
    // An answer committed to the WAL and not folded back: the connection stays open while the files are
    // copied elsewhere, as a copy taken while portquiz runs would be.
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute(
        "INSERT INTO reviews (deck, card, time, rating, state_before, elapsed_days, duration_ms, cram)
         VALUES ('deck-w', 'card-w', 1767603600000000, 3, 'new', 0, 1000, 0)",
        [],
    )
    .unwrap();
    let copy_dir = tempfile::tempdir().unwrap();
    for name in ["portquiz.sqlite3", "portquiz.sqlite3-wal"] {
        std::fs::copy(other_dir.path().join(name), copy_dir.path().join(name)).unwrap();
    }
    drop(conn);
    let copy = copy_dir.path().join("portquiz.sqlite3");
    let before = files_in(copy_dir.path());
    let run = sandbox.run(&["merge", &copy.display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.starts_with("Merged 1 new answer from"),
        "{}",
        run.stdout
    );
    assert_eq!(files_in(copy_dir.path()), before);
}

#[test]
fn another_programs_sqlite_file_with_user_version_1_is_refused_untouched_and_old_portquiz_files_get_the_mark()
 {
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("portquiz.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let before = database_files(sandbox.path());
    let run = sandbox.run(&["stats"]);
    assert_eq!(
        (run.code, run.stderr),
        (
            2,
            format!(
                "error: {} is not a portquiz database (it is not an SQLite file, is damaged, or belongs to another program); portquiz left it untouched: move it aside, or pass --data-dir to use another directory\n",
                db.display()
            )
        )
    );
    assert_eq!(database_files(sandbox.path()), before);

    // A portquiz database from before the mark (user_version 1, application_id 0, only portquiz's tables)
    // is opened and marked.
    let old = Sandbox::new();
    let run = old.run(&["cards"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let db = old.path().join("portquiz.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "application_id", 0).unwrap();
    drop(conn);
    let run = old.run(&["stats"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |row| row.get(0))
        .unwrap();
    assert_eq!(id, 0x7071_7a31);
}

/// Cards whose state was not built from their whole log (cram aside): its last answer or its number of
/// answers differs from the log's. An answer lost from its card's state.
fn states_behind_their_log(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT r.card, MAX(r.time), COUNT(*), c.last_review, c.reps FROM reviews r
             LEFT JOIN cards c ON c.deck = r.deck AND c.card = r.card
             WHERE r.cram = 0 GROUP BY r.deck, r.card",
        )
        .unwrap();
    stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            (row.get::<_, i64>(1)?, row.get::<_, i64>(2)?),
            (row.get::<_, Option<i64>>(3)?, row.get::<_, Option<i64>>(4)?),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .filter(|(_, (last, count), state)| (Some(*last), Some(*count)) != *state)
    .map(|(card, log, state)| format!("{card}: log (last, answers) {log:?}, state {state:?}"))
    .collect()
}

#[test]
fn merge_during_a_study_session_loses_no_answer_from_any_card_state() {
    const MANY: &str = "tests/decks/good/many.yaml";
    const NOW: &str = "2026-01-05T09:00:00Z";
    const NOW_US: i64 = 1_767_603_600_000_000;
    const DAY_US: i64 = 86_400_000_000;
    let ids_run = Sandbox::new().run(&["cards", "--json", "--deck", MANY, "--deck", "many"]);
    let ids: Vec<String> = crate::support::json_unique(&ids_run.stdout)["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["card"].as_str().unwrap().to_string())
        .collect();
    // The other machine: every card answered 60 times over the last 240 days (7,200 answers to replay).
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    database_with_log(
        &other,
        ids.iter().flat_map(|id| {
            (0..60).map(move |k| ("many", id.as_str(), NOW_US - (240 - 4 * k) * DAY_US))
        }),
    );
    // Answers for true/false ("y"), choice ("1") and grade (Enter) prompts, whatever comes.
    let input = "y\n1\n\n".repeat(400);
    for round in 0..8u64 {
        let sandbox = Sandbox::new();
        let mut study = sandbox.cmd(&[
            "study", "--plain", "--deck", MANY, "--deck", "many", "--new", "1000", "--limit",
            "1000",
        ]);
        study
            .env("PORTQUIZ_NOW", NOW)
            .env("TZ", "UTC")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let mut child = study.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = {
            let input = input.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all(input.as_bytes());
            })
        };
        std::thread::sleep(Duration::from_millis(150 + 40 * round));
        let merge = sandbox.run(&["merge", &other.display().to_string()]);
        assert_eq!(merge.code, 0, "round {round}: {}", merge.transcript());
        feeder.join().unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let db = sandbox.path().join("portquiz.sqlite3");
        assert_eq!(
            states_behind_their_log(&db),
            Vec::<String>::new(),
            "round {round}"
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        let merged: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM reviews WHERE time < ?1",
                [NOW_US],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(merged, 7_200, "round {round}");
    }
}

#[test]
fn merge_streams_the_other_log_instead_of_holding_it() {
    // 200,000 answers to 2,000 cards: the old merge held both logs several times over (1.5 GB at a million).
    let other_dir = tempfile::tempdir().unwrap();
    let other = other_dir.path().join("portquiz.sqlite3");
    let cards: Vec<String> = (0..2_000).map(|i| format!("card-{i}")).collect();
    database_with_log(
        &other,
        cards.iter().flat_map(|card| {
            (0..100).map(move |k| {
                (
                    "big",
                    card.as_str(),
                    1_700_000_000_000_000 + k * 86_400_000_000,
                )
            })
        }),
    );
    let sandbox = Sandbox::new();
    let started = std::time::Instant::now();
    let (run, kib) =
        crate::support::run_with_peak_rss(&sandbox, &["merge", &other.display().to_string()]);
    eprintln!(
        "merge of 200,000 answers: {:?}, peak {} MiB",
        started.elapsed(),
        kib / 1024
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, ""),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.starts_with("Merged 200000 new answers from"),
        "{}",
        run.stdout
    );
    assert!(kib < 60 * 1024, "peak {kib} KiB");
}

/// Runs `portquiz ARGS` with a deadline: a spinning process fails the test instead of hanging it.
pub(crate) fn run_within(sandbox: &Sandbox, args: &[&str], deadline: Duration) -> Run {
    let mut child = sandbox
        .cmd(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("portquiz {args:?} still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn hand_edited_fsrs_parameters_out_of_range_are_set_aside_not_panicked_or_spun_on() {
    for (values, index, shown) in [
        ("1e38", 0, "100000000000000000000000000000000000000"),
        ("0", 0, "0"),
        ("NaN-free but huge w4", 4, "50"),
    ] {
        let sandbox = Sandbox::new();
        assert_eq!(sandbox.run(&["cards"]).code, 0);
        let list: Vec<String> = match values {
            "NaN-free but huge w4" => {
                let mut v: Vec<String> = fsrs::DEFAULT_PARAMETERS
                    .iter()
                    .map(|p| p.to_string())
                    .collect();
                v[4] = "50".into();
                v
            }
            one => vec![one.to_string(); 21],
        };
        let conn = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('fsrs_parameters', ?1)",
            [format!("[{}]", list.join(","))],
        )
        .unwrap();
        drop(conn);
        let run = run_within(
            &sandbox,
            &["simulate", "--days", "30"],
            Duration::from_secs(60),
        );
        let (min, max) = if index == 4 {
            ("1", "10")
        } else {
            ("0.001", "100")
        };
        assert_eq!(
            (run.code, run.stderr.as_str()),
            (
                0,
                format!(
                    "warning: the stored FSRS parameters cannot be used: FSRS parameter w[{index}] is {shown}, outside the range FSRS allows ({min} to {max}); portquiz uses the default parameters until `portquiz optimize` fits new ones\n"
                )
                .as_str()
            ),
            "{values}: {}",
            run.transcript()
        );
    }
}

/// Runs portquiz commands as a user for whom permission bits hold: this one, or `nobody` (uid 65534) when
/// tests run as root. `None` when neither is possible (root without CAP_SETUID).
fn unprivileged(dir: &Path) -> Option<Option<u32>> {
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    let root = std::fs::write(probe.join("file"), b"x").is_ok();
    std::fs::set_permissions(&probe, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::remove_dir_all(&probe).unwrap();
    if !root {
        return Some(None);
    }
    use std::os::unix::process::CommandExt;
    std::process::Command::new("true")
        .uid(65534)
        .gid(65534)
        .status()
        .ok()
        .map(|_| Some(65534))
}

/// A data dir (`data`, in a folder of its own) and portquiz run on it as [`unprivileged`] says, at
/// 2026-01-05 09:00 UTC.
pub(crate) struct Unprivileged {
    _outer: Sandbox,
    pub data: PathBuf,
    sandbox: Sandbox,
    pub uid: Option<u32>,
}

impl Unprivileged {
    /// `None` (and a line saying the test is skipped) when permission bits cannot be made to hold.
    pub fn new() -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        let outer = Sandbox::new();
        std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let Some(uid) = unprivileged(outer.path()) else {
            eprintln!("skipped: permission bits do not apply and uid 65534 is not available");
            return None;
        };
        let data = outer.path().join("data");
        std::fs::create_dir(&data).unwrap();
        Some(Self {
            sandbox: Sandbox::at(data.clone()),
            _outer: outer,
            data,
            uid,
        })
    }

    /// Runs `portquiz ARGS` with `input` on stdin, as the unprivileged user.
    pub fn run(&self, args: &[&str], input: &str) -> Run {
        use std::os::unix::process::CommandExt;
        let mut cmd = self.sandbox.cmd(args);
        cmd.env("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")
            .env("TZ", "UTC")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if let Some(uid) = self.uid {
            cmd.uid(uid).gid(uid);
        }
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Write;
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        Run::from(child.wait_with_output().unwrap())
    }
}

#[test]
fn a_read_only_database_is_refused_before_the_first_question_and_stats_leaves_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let Some(user) = Unprivileged::new() else {
        return;
    };
    let (data, uid) = (user.data.clone(), user.uid);
    if let Some(uid) = uid {
        std::os::unix::fs::chown(&data, Some(uid), Some(uid)).unwrap();
    }
    let deck = "tests/decks/good/pty.yaml";
    let run = |args: &[&str], input: &str| user.run(args, input);
    let study = ["study", "--plain", "--deck", deck, "--deck", "pty"];
    let first = run(&study, "1\n\n");
    assert_eq!(first.code, 0, "{}", first.transcript());
    let db = data.join("portquiz.sqlite3");
    let before = database_files(&data);
    assert_eq!(
        before.len(),
        1,
        "only the database, no -wal or -shm after a clean exit"
    );

    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let stats = run(&["stats", "--deck", deck, "--deck", "pty"], "");
    assert_eq!(stats.code, 0, "{}", stats.transcript());
    // The card answered is due today: the forecast's first bar.
    assert!(stats.stdout.contains("\n1 | #\n"), "{}", stats.stdout);
    assert_eq!(database_files(&data), before, "stats left something behind");

    let refused = run(&study, "1\n\n");
    assert_eq!(
        (refused.code, refused.stdout.as_str(), refused.stderr.as_str()),
        (
            2,
            "",
            format!(
                "error: cannot write the progress database {db}: the file is read-only for you; make it writable (chmod u+w {db}), or pass --data-dir to use another directory\n",
                db = db.display()
            )
            .as_str()
        )
    );
    assert_eq!(database_files(&data), before);

    // Writable again: studying works at once.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let again = run(&study, "1\n\n");
    assert_eq!(again.code, 0, "{}", again.transcript());

    // A read-only -shm left over by an older portquiz is named, with the fix.
    let shm = data.join("portquiz.sqlite3-shm");
    std::fs::write(&shm, b"").unwrap();
    if let Some(uid) = uid {
        std::os::unix::fs::chown(&shm, Some(uid), Some(uid)).unwrap();
    }
    std::fs::set_permissions(&shm, std::fs::Permissions::from_mode(0o444)).unwrap();
    let leftover = run(&study, "1\n\n");
    assert_eq!(
        leftover.stderr,
        format!(
            "error: cannot write the progress database {}: {shm} is read-only for you (left by an earlier run while the database was read-only); delete {shm} (no data is lost), or pass --data-dir to use another directory\n",
            db.display(),
            shm = shm.display()
        )
    );
}

/// Overwrites one page in the middle of the file (a leaf of the review log, here) and returns the new bytes.
pub(crate) fn damage_one_page_in_the_middle(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    // The middle one of the table leaf pages (b-tree page type 13), which in these databases are the review
    // log's rows: a page picked by its position alone moves to an index when the schema gains a table.
    let leaves: Vec<usize> = (1..bytes.len() / 4096)
        .map(|n| n * 4096)
        .filter(|&at| bytes[at] == 0x0D)
        .collect();
    let page = leaves[leaves.len() / 2];
    for (i, b) in bytes[page + 8..page + 4096].iter_mut().enumerate() {
        *b = (i * 37) as u8;
    }
    std::fs::write(db, &bytes).unwrap();
    bytes
}

#[test]
fn the_first_write_waits_for_the_damage_check_and_is_refused_on_a_damaged_file() {
    use portquiz::deck::CardRef;
    use portquiz::schedule::{CardState, Rating};
    use portquiz::store::{Answer, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portquiz.sqlite3");
    database_with_log(
        &db,
        (0..5_000).map(|k| {
            (
                "many",
                "numbers/number-1/odd",
                1_750_000_000_000_000 + k * 60_000_000,
            )
        }),
    );
    damage_one_page_in_the_middle(&db);
    let card = CardRef::parse("many", "numbers/number-2/odd").unwrap();
    let state = CardState::default();
    let answer = Answer {
        card: &card,
        time: "2026-01-05T09:00:00Z".parse().unwrap(),
        rating: Rating::Good,
        elapsed_days: 0,
        duration_ms: 1_000,
        new_state: Some(&state),
        overridden: false,
        close: false,
        based_on: None,
        kind: Default::default(),
    };
    // Appending to the log touches only its last page: without the check, this write would go through.
    let mut store = Store::open(&db).unwrap();
    store.check_for_damage_in_background();
    let err = store.record_answer(&answer).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("{} is damaged (Tree ", db.display()))
            && err.ends_with("); portquiz stopped before writing to it: run `portquiz repair` to copy every answer that can still be read into a fresh database (the damaged file is kept beside it)"),
        "{err}"
    );
    // And it keeps refusing.
    assert_eq!(store.record_answer(&answer).unwrap_err().to_string(), err);
}

#[test]
fn a_damaged_database_stops_study_before_it_writes_and_repair_saves_every_readable_answer() {
    const MANY: &str = "tests/decks/good/many.yaml";
    let sandbox = Sandbox::new();
    let db = sandbox.path().join("portquiz.sqlite3");
    let cards: Vec<String> = (1..=25)
        .map(|n| format!("numbers/number-{n}/odd"))
        .collect();
    database_with_log(
        &db,
        cards.iter().flat_map(|card| {
            (0..200).map(move |k| {
                (
                    "many",
                    card.as_str(),
                    1_750_000_000_000_000 + k * 3_600_000_000,
                )
            })
        }),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('desired_retention', '0.85')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO suspended (deck, card, since) VALUES ('many', 'numbers/number-3/odd', 1)",
        [],
    )
    .unwrap();
    drop(conn);
    let bytes = damage_one_page_in_the_middle(&db);

    let study = sandbox.run_with_input(
        &["study", "--plain", "--deck", MANY, "--deck", "many"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")],
        "y\n1\n\n",
    );
    assert_eq!(
        (study.code, study.stdout.as_str()),
        (2, ""),
        "{}",
        study.transcript()
    );
    let (head, tail) = study.stderr.split_once(" (").unwrap();
    assert_eq!(head, format!("error: {} is damaged", db.display()));
    assert!(
        tail.ends_with("); portquiz stopped before writing to it: run `portquiz repair` to copy every answer that can still be read into a fresh database (the damaged file is kept beside it)\n"),
        "{}",
        study.stderr
    );
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "study wrote to the damaged file"
    );

    // A mock interview is refused the same way, before its first question.
    let interview = sandbox.run_with_input(
        &["interview", "--plain", "--deck", MANY, "--deck", "many"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z"), ("TZ", "UTC")],
        "1\n",
    );
    assert_eq!(
        (interview.code, interview.stdout.as_str()),
        (2, ""),
        "{}",
        interview.transcript()
    );
    assert_eq!(interview.stderr, study.stderr);
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "interview wrote to the damaged file"
    );

    let repair = sandbox.run(&["repair"]);
    assert_eq!(repair.code, 0, "{}", repair.transcript());
    let kept = sandbox.path().join(format!(
        "portquiz.sqlite3.damaged-{}",
        "" // the stamp is the clock's: found below
    ));
    let kept = std::fs::read_dir(sandbox.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            // The kept database, not its kept `-wal` or `-shm` (read_dir's order is the file system's).
            let name = p.display().to_string();
            name.starts_with(&kept.display().to_string())
                && !name.ends_with("-wal")
                && !name.ends_with("-shm")
        })
        .expect("the damaged file is kept");
    assert!(
        std::fs::read(&kept).unwrap() == bytes,
        "the kept file is not the damaged one"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let saved: i64 = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let retention: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'desired_retention'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(retention, "0.85");
    drop(conn);
    assert!(saved > 0 && saved < 5_000, "{saved} saved");
    let cards_rebuilt = states_behind_their_log(&db);
    assert_eq!(cards_rebuilt, Vec::<String>::new());
    let lines: Vec<&str> = repair.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", repair.stdout);
    assert_eq!(
        lines[0],
        format!(
            "Saved {saved} answers into a fresh {} and rebuilt the schedule of 25 cards; kept 1 setting and 1 suspended card.",
            db.display()
        )
    );
    // "Not saved: U answers on damaged pages, 0 answers with impossible values; M more answer ids are
    // missing (...)": every one of the 5,000 answers is either saved or counted.
    let numbers: Vec<i64> = lines[1]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(lines[1].starts_with("Not saved: "), "{}", lines[1]);
    assert_eq!(numbers.len(), 3, "{}", lines[1]);
    assert_eq!(
        (numbers[1], saved + numbers[0] + numbers[2]),
        (0, 5_000),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        format!("The damaged file is kept at {}.", kept.display())
    );
    // Healthy now: study works, and repair finds nothing to do.
    let again = sandbox.run(&["repair"]);
    assert_eq!(
        again.stdout,
        format!(
            "{} is not damaged (SQLite's quick_check found no problem); nothing to repair.\n",
            db.display()
        )
    );
}

#[test]
fn a_huge_stdin_line_is_capped_skipped_and_the_session_goes_on() {
    let sandbox = Sandbox::new();
    let mut input = "x".repeat(5 * 1024 * 1024);
    input.push_str("\nq\n");
    let run = sandbox.run_with_input(
        &[
            "study",
            "--plain",
            "--deck",
            "tests/decks/good/pty.yaml",
            "--deck",
            "pty",
        ],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")],
        &input,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("> (that line was longer than 64 KiB and was skipped)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Session over"), "{}", run.stdout);
}

#[test]
fn an_empty_data_dir_variable_a_relative_home_and_a_mistyped_reset_deck_are_named() {
    let sandbox = Sandbox::new();
    let run = Run::from(
        sandbox
            .cmd(&["cards"])
            .env("PORTQUIZ_DATA_DIR", "")
            .output()
            .unwrap(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: PORTQUIZ_DATA_DIR is set but empty; set it to a directory, or unset it to use the default data directory\n"
        )
    );
    let cwd = tempfile::tempdir().unwrap();
    let run = Run::from(
        sandbox
            .cmd(&["cards"])
            .env_remove("PORTQUIZ_DATA_DIR")
            .env_remove("XDG_DATA_HOME")
            .env("HOME", "relative-home")
            .current_dir(cwd.path())
            .output()
            .unwrap(),
    );
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: HOME=relative-home is not an absolute path, so portquiz cannot tell where your data lives; set HOME to your home directory, or pass --data-dir DIR or set PORTQUIZ_DATA_DIR\n"
        )
    );
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "nothing created here"
    );

    let run = sandbox.run(&["reset", "--deck", "tcp-vs-udq", "--yes"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{}", run.stderr);
    // The list names every shipped deck; the message is the one other commands give.
    assert!(
        run.stderr
            .starts_with("error: no deck has the id `tcp-vs-udq`; the loaded decks are: ")
            && run.stderr.contains(" tcp-vs-udp,"),
        "{}",
        run.stderr
    );
    let run = sandbox.run(&["reset", "--deck", "tcp-vs-udp", "--yes"]);
    assert_eq!(run.stdout, "Reset 0 cards (deck tcp-vs-udp).\n");
}

#[test]
fn experiments_under_a_tiny_open_files_limit_are_not_available_here_not_errors() {
    let sandbox = Sandbox::new();
    let run = Run::from(
        sandbox
            .cmd_wrapped(
                &["sh", "-c", "ulimit -n 16; exec \"$0\" \"$@\""],
                &["experiments", "run"],
            )
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("  error:"))
        .collect();
    assert_eq!(errors, Vec::<&str>::new(), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "  not available here: TCP socket() failed with EMFILE: no more files may be opened here (the open-files limit, `ulimit -n`, is too low); try `ulimit -n 1024` before starting portquiz\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn config_shows_a_hand_edited_setting_escaped() {
    let sandbox = Sandbox::new();
    assert_eq!(sandbox.run(&["cards"]).code, 0);
    let conn = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('interview_date', '2026-03-01\u{1b}[2J\u{202e}')",
        [],
    )
    .unwrap();
    drop(conn);
    let get = sandbox.run(&["config", "get", "interview-date"]);
    assert_eq!(
        get.stdout,
        "2026-03-01\\u{1b}[2J\\u{202e}\n",
        "{}",
        get.transcript()
    );
    let list = sandbox.run(&["config"]);
    assert!(
        list.stdout
            .starts_with("interview-date = 2026-03-01\\u{1b}[2J\\u{202e}\n"),
        "{}",
        list.transcript()
    );
    assert_eq!(raw_controls(&list.stdout), Vec::<char>::new());
}

//! End-to-end tests of the tools around the study loop: authoring aids, Anki import/export, review
//! export, merge, stats, optimise, simulate, config and reset. Each runs the real binary on a temp data dir.
use crate::support::{Sandbox, Test};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn new_writes_a_starter_deck_that_passes_check() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["new", "my-ports"]);
    let path = sandbox.path().join("decks").join("my-ports.yaml");
    let schema = sandbox.path().join("decks").join("deck.schema.json");
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.as_str()),
        (
            0,
            format!(
                "Wrote {}: edit it, then run `portquiz check {}`\nWrote {}: editors check the deck against it (`portquiz schema` prints it again)\n",
                path.display(),
                path.display(),
                schema.display()
            ),
            ""
        )
    );
    // The `$schema` comment of the deck points to a schema that exists: the one `portquiz schema` prints.
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        sandbox.run(&["schema"]).stdout
    );
    let second = sandbox.run(&["new", "more-ports"]);
    assert_eq!(
        second.stdout.lines().nth(1).unwrap(),
        format!(
            "Kept {}: editors check the deck against it",
            schema.display()
        )
    );
    let check = sandbox.run(&["check", path.to_str().unwrap()]);
    assert_eq!(
        (check.code, check.stdout.as_str(), check.stderr.as_str()),
        (
            0,
            "1 deck, 10 cards: ok\nchecked against 21 loaded decks (built-in and data dir decks)\n",
            ""
        )
    );
    // Never overwrites.
    let again = sandbox.run(&["new", "my-ports"]);
    assert_eq!(again.code, 2);
    assert_eq!(
        again.stderr,
        format!(
            "error: {} already exists; pass another path with --out, or move the file away\n",
            path.display()
        )
    );
    let bad = sandbox.run(&["new", "My Ports"]);
    assert_eq!(
        (bad.code, bad.stderr.as_str()),
        (
            2,
            "error: bad deck id `My Ports`: ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters; try `my-ports`\n"
        )
    );
}

#[test]
fn schema_prints_the_shipped_file() {
    let run = Sandbox::new().run(&["schema"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        read(&crate::support::root().join("decks/deck.schema.json"))
    );
}

#[test]
fn completions_for_each_shell() {
    let sandbox = Sandbox::new();
    for (shell, marker) in [
        ("bash", "_portquiz()"),
        ("zsh", "#compdef portquiz"),
        ("fish", "complete -c portquiz"),
    ] {
        let run = sandbox.run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        assert!(run.stdout.contains("completions"), "{shell}");
    }
    let run = sandbox.run(&["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

const FIXTURE: &str = "tests/decks/good/study.yaml";

#[test]
fn export_then_import_anki_round_trips_the_cards() {
    let sandbox = Sandbox::new();
    let tsv = sandbox.path().join("out.tsv");
    let run = sandbox.run(&[
        "--deck",
        FIXTURE,
        "--deck",
        "study",
        "export",
        "anki",
        tsv.to_str().unwrap(),
    ]);
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.as_str()),
        (
            0,
            format!(
                "Exported 6 cards from 1 deck to {}; in Anki: File > Import.\n",
                tsv.display()
            ),
            ""
        )
    );
    let text = read(&tsv);
    assert!(text.starts_with("#separator:tab\n#html:true\n#notetype:Basic\n"));
    assert!(text.contains("What is a port?\tA number that tells the OS which process gets the data.<hr id=explain>Ports pick the service on a machine.\t\tportquiz::study\tportquiz:study/port-definition\n"));

    let out = sandbox.path().join("back.yaml");
    let run = sandbox.run(&[
        "import",
        "anki",
        tsv.to_str().unwrap(),
        "--id",
        "study-again",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.as_str()),
        (
            0,
            format!(
                "Imported 6 cards into deck `study-again` at {}\n",
                out.display()
            ),
            ""
        )
    );
    let check = sandbox.run(&["check", out.to_str().unwrap()]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (
            0,
            "1 deck, 6 cards: ok\nchecked against 20 loaded decks (built-in and data dir decks)\n"
        )
    );
    // Same ids and fronts as the original deck; flashcards keep their backs exactly.
    let yaml = read(&out);
    for id in [
        "port-range",
        "port-includes-ip",
        "https-port",
        "socket-one-liner",
        "port-definition",
        "socket-parts",
    ] {
        assert!(yaml.contains(&format!("  - id: {id}\n")), "{id}");
    }
    assert!(yaml.contains(
        "  - id: port-definition\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"A number that tells the OS which process gets the data.\"\n    explain: \"Ports pick the service on a machine.\"\n"
    ));
}

#[test]
fn import_anki_leaves_out_a_malformed_note_with_a_warning_and_refuses_an_unclosed_quote() {
    let sandbox = Sandbox::new();
    let tsv = sandbox.path().join("bad.txt");
    std::fs::write(
        &tsv,
        "#separator:tab\nfront\tback\njust one field\n\tno front\n",
    )
    .unwrap();
    let run = sandbox.run(&["import", "anki", tsv.to_str().unwrap(), "--id", "bad"]);
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.clone()),
        (
            0,
            format!(
                "Imported 1 card into deck `bad` at {}\n",
                sandbox.path().join("decks/bad.yaml").display()
            ),
            format!(
                "warning: {0}:3: expected a front and a back separated by a tab, found one field, so this note is left out\n\
                 warning: {0}:4: the front is empty, so this note is left out (every card needs a front and a back)\n",
                tsv.display()
            )
        )
    );
    // A quote never closed swallows the rest of the file: nothing is written.
    std::fs::write(&tsv, "#separator:tab\nfront\tback\nok\t\"never closed\n").unwrap();
    let run = sandbox.run(&["import", "anki", tsv.to_str().unwrap(), "--id", "worse"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.clone()),
        (
            1,
            "",
            format!(
                "{}:3:1: error: a quoted field is never closed (add the closing \")\n  |\n3 | ok \"never closed\n  | ^^^^^^^^^^^^^^^^\n\
                 nothing written: fix the line above and run the import again\n",
                tsv.display()
            )
        )
    );
    assert!(!sandbox.path().join("decks/worse.yaml").exists());
}

#[test]
fn import_anki_with_a_plain_anki_export_makes_a_checked_deck() {
    let sandbox = Sandbox::new();
    let tsv = sandbox.path().join("anki.txt");
    std::fs::write(
        &tsv,
        "#separator:tab\n#html:true\n#tags column:3\nWhat is <b>DNS</b>'s port?\t53\tdns ports\nWhat is <b>DNS</b>'s port?\t53/udp and 53/tcp\t\n",
    )
    .unwrap();
    let run = sandbox.run(&["import", "anki", tsv.to_str().unwrap(), "--id", "dns"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = read(&sandbox.path().join("decks/dns.yaml"));
    assert_eq!(
        yaml,
        "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\nid: dns\ntitle: \"dns\"\ncards:\n\
         \x20 - id: what-is-dns-s-port\n    type: flashcard\n    prompt: \"What is DNS's port?\"\n    answer: \"53\"\n    tags: [\"dns\", \"ports\"]\n\
         \x20 - id: what-is-dns-s-port-2\n    type: flashcard\n    prompt: \"What is DNS's port?\"\n    answer: \"53/udp and 53/tcp\"\n"
    );
    // The user's deck dir is loaded by default.
    let decks = sandbox.run(&["decks", "--json"]);
    assert!(
        decks.stdout.contains("\"deck\": \"dns\""),
        "{}",
        decks.stdout
    );
    // Importing again under the same id is refused.
    let again = sandbox.run(&["import", "anki", tsv.to_str().unwrap(), "--id", "dns"]);
    assert_eq!(
        (again.code, again.stderr.clone()),
        (
            2,
            format!(
                "error: a deck with the id `dns` already exists ({}); choose another --id\n",
                sandbox.path().join("decks/dns.yaml").display()
            )
        )
    );
}

#[test]
fn every_shipped_deck_points_editors_at_the_schema() {
    let dir = crate::support::root().join("decks");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && !read(&path).starts_with("# yaml-language-server: $schema=deck.schema.json\n")
        {
            missing.push(path.display().to_string());
        }
    }
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "add `# yaml-language-server: $schema=deck.schema.json` as the first line"
    );
}

// ---- commands over a progress database ----
//
// The database is filled the way a candidate fills it: one scripted `study --plain` session a day at
// 09:00 UTC (PORTQUIZ_NOW), reading each screen and answering it.

use std::path::{Path, PathBuf};

use portquiz::store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{Reply, card_index, play_replies};

const STUDY: [&str; 6] = [
    "port-range",
    "port-includes-ip",
    "https-port",
    "socket-one-liner",
    "port-definition",
    "socket-parts",
];
const START: &str = "2026-03-02T09:00:00Z";

fn at(day: u32, hour: i64) -> jiff::Timestamp {
    START.parse::<jiff::Timestamp>().unwrap()
        + jiff::SignedDuration::from_hours(24 * i64::from(day) + hour - 9)
}

/// One study session a day on `days` at 09:00 UTC with `deck_args` loaded and `new` new cards a day;
/// `reply(day, card, nth time asked that day)` answers each question. Returns the answers acknowledged.
fn study_days(
    data_dir: &Path,
    deck_args: &[&str],
    days: std::ops::Range<u32>,
    new: usize,
    reply: &mut dyn FnMut(u32, &str, usize) -> Reply,
) -> usize {
    let files: Vec<&str> = deck_args
        .iter()
        .copied()
        .filter(|a| a.ends_with(".yaml"))
        .collect();
    let cards = card_index(&files);
    let sandbox = Sandbox::at(data_dir.to_path_buf());
    let new = new.to_string();
    let mut total = 0;
    for day in days {
        let mut args = vec!["study", "--plain", "--new", &new];
        for a in deck_args {
            args.extend(["--deck", a]);
        }
        let cmd = Test::on(&sandbox)
            .args(&args)
            .now(&at(day, 9).to_string())
            .command();
        let mut asked_today: std::collections::HashMap<String, usize> = Default::default();
        let (run, answered) = play_replies(cmd, &cards, |id, _| {
            let n = asked_today.entry(id.to_string()).or_default();
            *n += 1;
            reply(day, id, *n)
        });
        assert_eq!(run.code, 0, "day {day}: {}", run.transcript());
        total += answered;
    }
    total
}

/// The fixture deck's candidate: forgets `port-range` every day it comes back (a leech; right when it is
/// relearned), finds `https-port` hard every third day it is asked, knows the rest.
fn fixture_candidate() -> impl FnMut(u32, &str, usize) -> Reply {
    let mut first_seen: std::collections::HashMap<String, u32> = Default::default();
    let mut https_days = 0;
    move |day, card, nth| {
        let first = *first_seen.entry(card.to_string()).or_insert(day);
        match card {
            "study/port-range" if day > first && nth == 1 => Reply::Wrong,
            "study/https-port" if nth == 1 => {
                https_days += 1;
                if https_days % 3 == 0 {
                    Reply::Graded("hard")
                } else {
                    Reply::Right
                }
            }
            _ => Reply::Right,
        }
    }
}

const FIXTURE_ARGS: [&str; 2] = [FIXTURE, "study"];

/// A copy of a data dir that holds four weeks of scripted sessions on the fixture deck (built once per
/// test run, under Cargo's temp dir for tests).
fn four_weeks() -> Sandbox {
    static TEMPLATE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("tools-four-weeks-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        study_days(&dir, &FIXTURE_ARGS, 0..28, 3, &mut fixture_candidate());
        dir
    });
    let sandbox = Sandbox::new();
    std::fs::copy(
        template.join("portquiz.sqlite3"),
        sandbox.path().join("portquiz.sqlite3"),
    )
    .unwrap();
    sandbox
}

/// Runs with only the fixture deck loaded, at day `day` 12:00 UTC.
fn run_at(sandbox: &Sandbox, day: u32, args: &[&str]) -> crate::support::Run {
    Test::on(sandbox)
        .deck(FIXTURE, "study")
        .args(args)
        .now(&at(day, 12).to_string())
        .any_code()
        .run()
}

/// `stats` output with the seconds of time spent today replaced by `Ns`.
fn without_time_spent(text: &str) -> String {
    text.lines()
        .map(|line| match line.rsplit_once("% right), ") {
            Some((head, secs)) if secs.ends_with('s') => format!("{head}% right), Ns"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn stats_after_four_weeks() {
    let sandbox = four_weeks();
    // Three of the typed card's verdicts were overridden ("I was right"): stats lists the card.
    let db = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    let marked = db
        .execute(
            "UPDATE reviews SET overridden = 1 WHERE id IN
             (SELECT id FROM reviews WHERE card = 'https-port' ORDER BY id LIMIT 3)",
            [],
        )
        .unwrap();
    assert_eq!(marked, 3);
    drop(db);
    let run = run_at(&sandbox, 27, &["stats"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Time spent is measured on the real clock; everything else is fixed by PORTQUIZ_NOW and the seed.
    let time_spent = without_time_spent(&run.stdout);
    insta::assert_snapshot!(time_spent);

    let json = run_at(&sandbox, 27, &["stats", "--json"]);
    crate::json::assert_documented("`portquiz stats --json`", &json.stdout);
    let v: serde_json::Value = crate::support::json_unique(&json.stdout);
    assert_eq!(v["date"], "2026-03-29");
    assert_eq!(v["streak_days"], 28);
    assert_eq!(v["forecast"].as_array().unwrap().len(), 30);
    let deck = &v["decks"][0];
    assert_eq!(deck["deck"], "study");
    let total: u64 = ["new", "learning", "young", "mature"]
        .iter()
        .map(|k| deck[*k].as_u64().unwrap())
        .sum();
    assert_eq!(total, 6);
    assert_eq!(v["leeches"][0]["card"], "port-range");
    assert_eq!(
        v["leeches"][0]["prompt"],
        "Which range can a TCP or UDP port number take?"
    );
    assert!(v["leeches"][0]["lapses"].as_u64().unwrap() >= 8);
    assert_eq!(v["overridden_verdicts"][0]["card"], "https-port");
    assert_eq!(v["overridden_verdicts"][0]["overrides"], 3);
    // Time spent is measured on the real clock; the rest is fixed.
    let mut fixed = v.clone();
    assert!(fixed["today"]["seconds"].as_f64().unwrap() >= 0.0);
    fixed["today"]["seconds"] = serde_json::Value::Null;
    insta::assert_snapshot!("stats_json", serde_json::to_string_pretty(&fixed).unwrap());
}

#[test]
fn stats_colour_draws_blocks() {
    let sandbox = four_weeks();
    let run = run_at(&sandbox, 27, &["--color", "always", "stats"]);
    assert!(
        run.stdout.contains("\u{1b}[36m█\u{1b}[0m"),
        "{}",
        run.stdout
    );
    let plain = run_at(&sandbox, 27, &["stats"]);
    assert!(!plain.stdout.contains('█') && plain.stdout.contains('#'));
}

#[test]
fn optimize_says_how_many_more_reviews_it_needs() {
    let sandbox = four_weeks();
    let run = run_at(&sandbox, 27, &["optimize"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
    let json = run_at(&sandbox, 27, &["optimize", "--json"]);
    assert_eq!(
        json.stdout,
        "{\n  \"format\": 1,\n  \"status\": \"not_enough_data\",\n  \"items\": 36,\n  \"needed\": 64,\n  \"saved\": false\n}\n"
    );
    let store = Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    assert_eq!(store.setting("fsrs_parameters").unwrap(), None);
}

#[test]
fn optimize_fits_and_stores_parameters_with_enough_history() {
    let sandbox = Sandbox::new();
    let ids: Vec<String> = (0..60).map(|i| format!("fact-{i}")).collect();
    let mut deck = String::from("format: 1\nid: facts\ntitle: Facts\ncards:\n");
    for id in &ids {
        deck.push_str(&format!(
            "  - id: {id}\n    type: flashcard\n    prompt: Q {id}\n    answer: A {id}\n"
        ));
    }
    let deck_path = sandbox.path().join("facts.yaml");
    std::fs::write(&deck_path, deck).unwrap();
    // A candidate who learns one new card a day (so every day has answers) and reveals and grades each
    // flashcard: again 15 %, hard 10 %, good 65 %, easy 10 %.
    let mut rng = StdRng::seed_from_u64(11);
    let answered = study_days(
        sandbox.path(),
        &[deck_path.to_str().unwrap(), "facts"],
        0..60,
        1,
        &mut |_, _, _| match rng.random_range(0..20) {
            0..3 => Reply::Graded("again"),
            3..5 => Reply::Graded("hard"),
            5..18 => Reply::Graded("good"),
            _ => Reply::Graded("easy"),
        },
    );
    let store = Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    assert_eq!(store.review_count().unwrap() as usize, answered);
    let run = |args: &[&str]| {
        Test::on(&sandbox)
            .deck(deck_path.to_str().unwrap(), "facts")
            .args(args)
            .now(&at(60, 12).to_string())
            .run()
            .stdout
    };
    // Stats reads a month of the log and asks the store about older days for the streak: 60 days of sessions
    // give a streak longer than that month.
    let mut days = std::collections::BTreeSet::new();
    store
        .for_each_review(None, |r| {
            days.insert(r.time.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
        })
        .unwrap();
    let mut day = at(59, 9).to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let mut streak = 0;
    while days.contains(&day) {
        streak += 1;
        day = day.yesterday().unwrap();
    }
    assert!(streak > 30, "{streak}");
    let v: serde_json::Value = crate::support::json_unique(&run(&["stats", "--json"]));
    assert_eq!(v["streak_days"], streak);
    let forecast_before = run(&["simulate", "--days", "30", "--json"]);
    let stdout = run(&["optimize"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(&format!("Fitted FSRS parameters to {answered} answers (")),
        "{stdout}"
    );
    // "  log loss: 0.4321 before, 0.4100 after"
    let figures = |line: &str, label: &str| -> (f64, f64) {
        let rest = line
            .strip_prefix(label)
            .unwrap_or_else(|| panic!("{stdout}"));
        let (before, after) = rest.split_once(" before, ").unwrap();
        (
            before.parse().unwrap(),
            after.strip_suffix(" after").unwrap().parse().unwrap(),
        )
    };
    let (loss_before, loss_after) = figures(lines[1], "  log loss: ");
    figures(lines[2], "  RMSE (bins): ");
    let stored = store.setting("fsrs_parameters").unwrap();
    let forecast_after = run(&["simulate", "--days", "30", "--json"]);
    if loss_after <= loss_before {
        assert_eq!(
            lines[3],
            "Saved: the scheduler uses the new parameters from now on."
        );
        let params: Vec<f32> = serde_json::from_str(&stored.unwrap()).unwrap();
        assert_eq!(params.len(), 21);
        assert_ne!(params, portquiz::reports::fit::default_parameters());
        // The scheduler runs on them from now on: the same forecast comes out differently.
        assert_ne!(forecast_before, forecast_after);
        // Again, for a script: fitted from the saved parameters, the same figures as JSON.
        let v: serde_json::Value = crate::support::json_unique(&run(&["optimize", "--json"]));
        assert_eq!(v["status"], "optimized");
        assert_eq!(v["reviews"], answered);
        assert_eq!(v["parameters"].as_array().unwrap().len(), 21);
        let before = v["before"]["log_loss"].as_f64().unwrap();
        let after = v["after"]["log_loss"].as_f64().unwrap();
        assert!((before - loss_after).abs() < 1e-3, "{v}");
        assert_eq!(v["saved"], after <= before, "{v}");
    } else {
        assert_eq!(
            lines[3],
            "The fitted parameters do not predict your answers better; kept the current ones."
        );
        assert_eq!(stored, None);
        assert_eq!(forecast_before, forecast_after);
    }
    // With enough history the JSON has the keys the README documents for a fit.
    crate::json::assert_documented(
        "`portquiz optimize --json` (optimized)",
        &run(&["optimize", "--json"]),
    );
}

#[test]
fn simulate_forecasts_days_as_text_and_json() {
    let sandbox = four_weeks();
    let run = run_at(
        &sandbox,
        27,
        &["simulate", "--days", "14", "--new-per-day", "2"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
    let json = run_at(&sandbox, 27, &["simulate", "--days", "14", "--json"]);
    let v: serde_json::Value = crate::support::json_unique(&json.stdout);
    let days = v["days"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    assert_eq!(days[0]["date"], "2026-03-29");
    assert_eq!(days[13]["day"], 13);
    assert_eq!(v["studied_cards"], 6);
    assert_eq!(v["unseen_cards"], 0);
    assert_eq!(v["new_per_day"], 10);
    let bad = run_at(&sandbox, 27, &["simulate", "--days", "0"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn config_sets_gets_and_unsets_with_checks() {
    let sandbox = Sandbox::new();
    let run = run_at(&sandbox, 0, &["config"]);
    assert_eq!(
        run.stdout,
        "interview-date = (none) (default)\ndesired-retention = 0.9 (default)\n"
    );
    let run = run_at(
        &sandbox,
        0,
        &["config", "set", "interview-date", "2026-03-12"],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "interview-date = 2026-03-12\nInterview on 2026-03-12: 10 days left; 6 new cards at 10 a day fit.\n"
        )
    );
    let run = run_at(&sandbox, 0, &["config", "get", "interview-date"]);
    assert_eq!(run.stdout, "2026-03-12\n");
    let run = run_at(&sandbox, 0, &["config", "set", "desired-retention", "1.5"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: desired-retention must be a number from 0.70 to 0.99 (0.9 is the default), not \"1.5\"\n"
        )
    );
    let run = run_at(&sandbox, 0, &["config", "set", "desired-retention", "0.85"]);
    assert_eq!(run.stdout, "desired-retention = 0.85\n");
    let run = run_at(&sandbox, 0, &["config", "unset", "interview-date"]);
    assert_eq!(run.stdout, "interview-date unset: back to (none)\n");
    let run = run_at(&sandbox, 0, &["config"]);
    assert_eq!(
        run.stdout,
        "interview-date = (none) (default)\ndesired-retention = 0.85\n"
    );
}

#[test]
fn reset_asks_first_and_refuses_without_a_terminal() {
    let sandbox = four_weeks();
    let run = run_at(&sandbox, 27, &["reset"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            "",
            "error: reset forgets the progress of deck study and needs confirmation; without a terminal, pass --yes\n"
        )
    );
    let run = Sandbox::at(sandbox.path().to_path_buf()).run(&["reset"]);
    assert_eq!(
        run.stderr,
        "error: reset forgets the progress of every deck and needs confirmation; without a terminal, pass --yes\n"
    );
    let store = Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    assert_eq!(store.all_states().unwrap().len(), 6);
    let run = run_at(&sandbox, 27, &["reset", "--card", "port-range", "--yes"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "Reset 1 card (card study/port-range).\n");
    assert_eq!(store.all_states().unwrap().len(), 5);
    assert!(store.card_state("study", "port-range").unwrap().is_none());
    // History stays.
    assert!(
        !store
            .card_reviews("study", "port-range")
            .unwrap()
            .is_empty()
    );
    let json = run_at(&sandbox, 27, &["stats", "--json"]);
    let v: serde_json::Value = crate::support::json_unique(&json.stdout);
    assert_eq!(v["decks"][0]["new"], 1);
    let run = Sandbox::at(sandbox.path().to_path_buf()).run(&["reset", "--card", "x", "--yes"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: --card needs exactly one --deck ID: card ids are unique within a deck\n"
        )
    );
}

#[test]
fn export_reviews_writes_the_fsrs_csv_layout() {
    let sandbox = four_weeks();
    let csv = sandbox.path().join("reviews.csv");
    let run = run_at(&sandbox, 27, &["export", "reviews", csv.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let store = Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    let n = store.review_count().unwrap();
    assert_eq!(
        run.stdout,
        format!(
            "Exported {n} reviews to {} (card_id,review_time,review_rating,review_state,review_duration).\n",
            csv.display()
        )
    );
    let text = read(&csv);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "card_id,review_time,review_rating,review_state,review_duration"
    );
    assert_eq!(lines.len() as u64, n + 1);
    // Every answer of the sessions, in order: time in milliseconds since the epoch, FSRS state numbers.
    let mut expected = Vec::new();
    store
        .for_each_review(None, |r| {
            let state = match r.state_before {
                portquiz::schedule::State::New => 0,
                portquiz::schedule::State::Learning => 1,
                portquiz::schedule::State::Review => 2,
                portquiz::schedule::State::Relearning => 3,
            };
            expected.push(format!(
                "{}/{},{},{},{state},{}",
                r.deck,
                r.card,
                r.time.as_millisecond(),
                r.rating.as_u8(),
                r.duration_ms
            ));
        })
        .unwrap();
    assert_eq!(lines[1..], expected);
    // The first answer was given on the first day, in the first minute of its 09:00 session.
    let first_ms: i64 = lines[1].split(',').nth(1).unwrap().parse().unwrap();
    assert!(
        (0..60_000).contains(&(first_ms - at(0, 9).as_millisecond())),
        "{}",
        lines[1]
    );
}

/// The review log as (deck, card, microseconds, rating) and every card state, printed.
type Snapshot = (
    Vec<(String, String, i64, u8)>,
    Vec<(String, String, String)>,
);

fn log_and_states(db: &std::path::Path) -> Snapshot {
    let store = Store::open(db).unwrap();
    let mut log = Vec::new();
    store
        .for_each_review(None, |r| {
            log.push((r.deck, r.card, r.time.as_microsecond(), r.rating.as_u8()))
        })
        .unwrap();
    let mut states: Vec<(String, String, String)> = store
        .all_states()
        .unwrap()
        .into_iter()
        .map(|(k, s)| (k.deck.into(), k.card.into(), format!("{s:?}")))
        .collect();
    states.sort();
    (log, states)
}

#[test]
fn merge_unites_two_machines_and_is_idempotent() {
    // Machine A studies two weeks, the database is copied to machine B, then both study on.
    let a = Sandbox::new();
    let b = Sandbox::new();
    let db_a = a.path().join("portquiz.sqlite3");
    let db_b = b.path().join("portquiz.sqlite3");
    let mut candidate = fixture_candidate();
    study_days(a.path(), &FIXTURE_ARGS, 0..14, 3, &mut candidate);
    std::fs::copy(&db_a, &db_b).unwrap();
    study_days(b.path(), &FIXTURE_ARGS, 14..21, 3, &mut candidate);
    study_days(a.path(), &FIXTURE_ARGS, 21..23, 3, &mut candidate);
    let (log_a, _) = log_and_states(&db_a);
    let (log_b, _) = log_and_states(&db_b);
    let shared = log_a.iter().filter(|r| log_b.contains(r)).count();
    let expected = log_a.len() + log_b.len() - shared;

    let last_own_id: i64 = rusqlite::Connection::open(&db_a)
        .unwrap()
        .query_row("SELECT MAX(id) FROM reviews", [], |r| r.get(0))
        .unwrap();
    let run = run_at(&a, 23, &["merge", db_b.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let added: Vec<_> = log_b.iter().filter(|r| !log_a.contains(r)).collect();
    let mut rebuilt: Vec<&String> = added.iter().map(|r| &r.1).collect();
    rebuilt.sort();
    rebuilt.dedup();
    assert_eq!(
        run.stdout,
        format!(
            "Merged {} new answers from {} ({shared} already here); rebuilt the schedule of {} cards.\n",
            added.len(),
            db_b.display(),
            rebuilt.len()
        )
    );
    let (merged_log, merged_states) = log_and_states(&db_a);
    assert_eq!(merged_log.len(), expected);
    let mut sorted = merged_log.clone();
    sorted.sort_by_key(|r| r.2);
    assert_eq!(merged_log, sorted, "the merged log reads in time order");
    // Every card was last answered at its latest answer in either log.
    let store = Store::open(&db_a).unwrap();
    for card in STUDY {
        let last = merged_log.iter().filter(|r| r.1 == card).map(|r| r.2).max();
        let state = store.card_state("study", card).unwrap().unwrap();
        assert_eq!(
            state.last_review.map(|t| t.as_microsecond()),
            last,
            "{card}"
        );
    }
    drop(store);
    // The merged rows carry no copy of the card's state before them (only a session undoes, and only its
    // own answers); the rows a session recorded keep theirs.
    let conn = rusqlite::Connection::open(&db_a).unwrap();
    let with_copy = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        with_copy(&format!(
            "SELECT COUNT(*) FROM reviews WHERE id > {last_own_id} AND card_before IS NOT NULL"
        )),
        0
    );
    assert_eq!(
        with_copy(&format!(
            "SELECT COUNT(*) FROM reviews WHERE id > {last_own_id}"
        )),
        i64::try_from(added.len()).unwrap()
    );
    assert!(with_copy("SELECT COUNT(*) FROM reviews WHERE card_before IS NOT NULL") > 0);
    drop(conn);

    // Twice: nothing changes.
    let run = run_at(&a, 23, &["merge", db_b.to_str().unwrap()]);
    assert_eq!(
        run.stdout,
        format!(
            "Nothing to merge: all {} answers from {} are already here.\n",
            log_b.len(),
            db_b.display()
        )
    );
    assert_eq!(log_and_states(&db_a), (merged_log, merged_states));

    let run = run_at(&a, 23, &["merge", db_a.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {} is this machine's own database; pass the copy from the other machine\n",
            db_a.display()
        )
    );
    let run = run_at(&a, 23, &["merge", "/nonexistent/x.sqlite3"]);
    assert_eq!(
        run.stderr,
        "error: /nonexistent/x.sqlite3 is not a file; pass the portquiz.sqlite3 copied from the other machine\n"
    );
}

#[test]
fn reset_asks_in_a_terminal_and_does_nothing_on_no() {
    use expectrl::Expect;
    let sandbox = four_weeks();
    let reset = |key: &str, expected: &str| {
        // At the real time (no PORTQUIZ_NOW), with a deadline on every prompt.
        let mut session = crate::support::Test::on(&sandbox)
            .deck(FIXTURE, "study")
            .args(&["reset", "--card", "port-range"])
            .env("PORTQUIZ_NO_DATE_QUESTION", "1")
            .spawn_pty(80, 24);
        session
            .expect("Forget the progress of card study/port-range? The cards become new; the review log is kept.")
            .unwrap();
        session.send(key).unwrap();
        session.expect(expected).unwrap();
        session.expect(expectrl::Eof).unwrap();
    };
    let store = Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    reset("n", "Nothing reset.");
    assert!(store.card_state("study", "port-range").unwrap().is_some());
    reset("y", "Reset 1 card (card study/port-range).");
    assert!(store.card_state("study", "port-range").unwrap().is_none());
}

#[test]
fn every_builtin_deck_exports_and_imports_back_as_a_checked_deck() {
    // Regression: table cells (`table/row/column` ids) and cards of several decks in one file used to
    // give duplicate ids on import.
    let sandbox = Sandbox::new();
    let tsv = sandbox.path().join("all.tsv");
    let run = sandbox.run(&["export", "anki", tsv.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let exported: usize = run
        .stdout
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let out = sandbox.path().join("all.yaml");
    let run = sandbox.run(&[
        "import",
        "anki",
        tsv.to_str().unwrap(),
        "--id",
        "everything",
        "--out",
        out.to_str().unwrap(),
        "--subdecks",
        "tags",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = sandbox.run(&["check", out.to_str().unwrap()]);
    assert_eq!(
        (check.code, check.stdout),
        (
            0,
            format!(
                "1 deck, {exported} cards: ok\nchecked against 20 loaded decks (built-in and data dir decks)\n"
            )
        )
    );
}

#[test]
fn an_interview_date_after_four_weeks_counts_only_the_cards_left() {
    let sandbox = four_weeks();
    let run = run_at(
        &sandbox,
        27,
        &["config", "set", "interview-date", "2026-04-30"],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "interview-date = 2026-04-30\nInterview on 2026-04-30: 32 days left; no new cards left to learn.\n"
        )
    );
    // The stored date caps the intervals of the next sessions: what they answer is not due after the interview.
    let mut candidate = fixture_candidate();
    let answered = study_days(sandbox.path(), &FIXTURE_ARGS, 28..52, 3, &mut candidate);
    assert!(answered > 0);
    let cards = run_at(&sandbox, 51, &["cards", "--json"]);
    let cards: serde_json::Value = crate::support::json_unique(&cards.stdout);
    let since = at(28, 9).to_string();
    let mut capped = 0;
    for card in cards["cards"].as_array().unwrap() {
        // A card remembered for over 20 days would be due after the interview without the cap.
        if card["last_review"].as_str().unwrap() >= since.as_str()
            && card["stability"].as_f64().unwrap() > 20.0
        {
            capped += 1;
            assert!(
                card["due"].as_str().unwrap() < "2026-05-01T04:00:00Z",
                "{card}"
            );
        }
    }
    assert!(capped >= 1, "{cards}");
}

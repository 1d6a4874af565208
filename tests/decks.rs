//! The deck loader seen from the command line: every diagnostic's exact text, hostile input, and properties.
use std::io::Write;

use portquiz::deck::{self, Known, compile};
use proptest::prelude::*;

use crate::support::Sandbox;

fn check(path: &str) -> String {
    Sandbox::new().run(&["check", path]).transcript()
}

macro_rules! diagnostic_snapshot {
    ($name:ident, $path:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(check($path));
        }
    };
}

diagnostic_snapshot!(
    syntax_error_bad_indentation,
    "tests/decks/broken/syntax-error.yaml"
);
diagnostic_snapshot!(
    syntax_error_unquoted_colon,
    "tests/decks/broken/unquoted-colon.yaml"
);
diagnostic_snapshot!(
    unknown_keys_suggest_the_right_one,
    "tests/decks/broken/unknown-keys.yaml"
);
diagnostic_snapshot!(
    missing_required_keys,
    "tests/decks/broken/missing-keys.yaml"
);
diagnostic_snapshot!(wrong_types, "tests/decks/broken/wrong-types.yaml");
// Issue 15: the mistakes a new author makes, each reported at its own line in one run (a tab, `prompt:What`,
// 0755 and 1.10, an unclosed `[`, a key typo, a duplicate id, `yes` as true, colliding columns and tables,
// no `format`).
diagnostic_snapshot!(
    every_author_mistake_at_its_own_line,
    "tests/decks/broken/author-mistakes.yaml"
);
diagnostic_snapshot!(unknown_card_type, "tests/decks/broken/unknown-type.yaml");
diagnostic_snapshot!(
    duplicate_card_ids_show_both_places,
    "tests/decks/broken/duplicate-card-ids.yaml"
);
diagnostic_snapshot!(
    duplicate_deck_ids_across_files,
    "tests/decks/broken/duplicate-deck-ids"
);
diagnostic_snapshot!(
    choice_answer_options_problems,
    "tests/decks/broken/choice-problems.yaml"
);
diagnostic_snapshot!(
    table_row_value_count,
    "tests/decks/broken/table-problems.yaml"
);
diagnostic_snapshot!(empty_deck, "tests/decks/broken/empty-deck.yaml");
diagnostic_snapshot!(bad_ids, "tests/decks/broken/bad-ids.yaml");
diagnostic_snapshot!(missing_format, "tests/decks/broken/missing-format.yaml");
diagnostic_snapshot!(format_too_new, "tests/decks/broken/format-too-new.yaml");
diagnostic_snapshot!(
    unknown_experiment,
    "tests/decks/broken/unknown-experiment.yaml"
);
diagnostic_snapshot!(
    typed_card_problems,
    "tests/decks/broken/typed-problems.yaml"
);

#[test]
fn all_problems_of_all_files_in_one_run() {
    let run = Sandbox::new().run(&["check", "tests/decks/broken"]);
    assert_eq!(run.code, 1);
    // Every file under broken/ has at least one error, and all are reported together.
    let files = std::fs::read_dir(crate::support::root().join("tests/decks/broken"))
        .unwrap()
        .count();
    let reported: std::collections::BTreeSet<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.ends_with(".yaml: error: the deck file is empty"))
        .filter_map(|l| l.split(':').next())
        .collect();
    // The directory of duplicate deck ids counts once, and reports its second file. The warnings of the
    // decks with errors (on their cards without one) are shown and counted in the same run.
    assert_eq!(reported.len(), files, "{reported:?}");
    assert!(
        run.stdout.ends_with(
            " decks, 2 warnings\nchecked against 20 loaded decks (built-in and data dir decks)\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn unreadable_path_exits_2() {
    let run = Sandbox::new().run(&["check", "tests/decks/no-such-file.yaml"]);
    assert_eq!(
        run.transcript(),
        "exit: 2\n--- stdout\n--- stderr\nerror: cannot read tests/decks/no-such-file.yaml: no such file or directory\n"
    );
}

/// Issue 13: `check` warns about a right option that stands out by its length, and prints per deck how often
/// the right option is the longest and how often a true/false answer is true.
#[test]
fn check_warns_about_giveaway_options_and_prints_the_fairness_figures() {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("fair.yaml");
    let mut deck = String::from("format: 1\nid: fair\ntitle: Fair\ncards:\n");
    for (i, right) in [
        "A port",
        "B",
        "C",
        "D",
        "An endpoint a program holds to send and receive data",
    ]
    .iter()
    .enumerate()
    {
        deck.push_str(&format!(
            "  - id: c{i}\n    type: choice\n    prompt: Which {i}?\n    options: [\"{right}\", Wrong]\n    answer: \"{right}\"\n    explain: x\n"
        ));
    }
    for (i, answer) in [true, true, true, false, false].iter().enumerate() {
        deck.push_str(&format!(
            "  - id: t{i}\n    type: truefalse\n    prompt: Statement {i}.\n    answer: {answer}\n    explain: x\n"
        ));
    }
    std::fs::write(&path, deck).unwrap();
    let run = sandbox.run(&["check", path.to_str().unwrap()]);
    let file = path.display();
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr),
        (
            0,
            "1 deck, 10 cards: ok (1 warning)\nchecked against 20 loaded decks (built-in and data dir decks)\nfairness of fair: right option longest in 2 of 5 single-answer choice cards (40%), true in 3 of 5 true/false cards (60%)\nguesser on fair: choice 30% right (chance 50%, 5 cards: too few to judge); true/false 30% right (chance 50%, 5 cards: too few to judge)\n",
            format!(
                "{file}:29:5: warning: the right option of card `c4` has 52 characters and the longest distractor 5: a candidate can pick it by its length alone\n   |\n29 |   - id: c4\n   |     ^\nhelp: move the detail of the right option into `explain`, or give the distractors as much detail\n"
            )
        )
    );
}

/// Issue 23: `check` runs a test-wise guesser on each deck and warns, with a code `--deny-warnings` fails
/// on, when it beats chance by more than 10 points, when one length rank holds most 4-option cards, and when
/// hedged statements are nearly all true; `--json` has the same figures.
#[test]
fn check_runs_a_test_wise_guesser_and_warns_when_it_beats_chance() {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("tells.yaml");
    let mut deck = String::from("format: 1\nid: tells\ntitle: Tells\ncards:\n");
    let words = [
        "amber", "birch", "cedar", "delta", "ember", "fjord", "grove",
    ];
    for i in 0..10 {
        // Options of one to four words; the right one is always the second-longest.
        let options: Vec<String> = (1..=4)
            .map(|n| {
                (0..n)
                    .map(|k| words[(i + k + n) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        deck.push_str(&format!(
            "  - id: c{i}\n    type: choice\n    prompt: Which thing {i}?\n    options: [{}]\n    answer: {}\n    explain: x\n",
            options.join(", "),
            options[2]
        ));
    }
    for (i, (statement, answer)) in [
        ("A socket can be bound twice.", true),
        ("A port may be shared by TCP and UDP.", true),
        ("Connections usually end with FIN.", true),
        ("A server often listens on a fixed port.", true),
        ("A port is a process id.", false),
        ("UDP retransmits lost datagrams.", false),
        ("TCP keeps message boundaries.", false),
        ("Port zero is a port to connect to.", false),
        ("Some sockets never carry data.", true),
        ("A listening socket sends data.", false),
    ]
    .iter()
    .enumerate()
    {
        deck.push_str(&format!(
            "  - id: t{i}\n    type: truefalse\n    prompt: {statement}\n    answer: {answer}\n    explain: x\n"
        ));
    }
    std::fs::write(&path, deck).unwrap();
    let file = path.to_str().unwrap();
    let run = sandbox.run(&["check", "--deny-warnings", file]);
    insta::assert_snapshot!(run.transcript().replace(file, "tells.yaml"));
    let json = sandbox.run(&["check", "--json", file]);
    let parsed: serde_json::Value = crate::support::json_unique(&json.stdout);
    assert_eq!(
        parsed["fairness"],
        serde_json::json!([{
            "deck": "tells",
            "choice": {"cards": 10, "guessed": 10.0, "chance": 2.5},
            "true_false": {"cards": 10, "guessed": 8.0, "chance": 5.0},
            "right_by_length": [0, 10, 0, 0],
            "length_ties": 0
        }])
    );
    let codes: Vec<&str> = parsed["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["guessable", "guessable", "length-rank", "tf-cue-unbalanced"]
    );
}

#[test]
fn clean_deck_summary() {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("good.yaml");
    std::fs::write(
        &path,
        "format: 1\nid: good\ntitle: Good\ncards:\n  - id: a\n    type: truefalse\n    prompt: Ports are 16-bit.\n    answer: true\n    explain: 0 to 65535.\n\
         tables:\n  - id: t\n    columns: [Port, Socket]\n    rows:\n      - aspect: What it is\n        values: [A number, An endpoint]\n",
    )
    .unwrap();
    let run = sandbox.run(&["check", path.to_str().unwrap()]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (
            0,
            "1 deck, 3 cards: ok\nchecked against 20 loaded decks (built-in and data dir decks)\n",
            ""
        )
    );
}

// ---- hostile input: each refused with a clear error and under 100 MB of peak memory (timing is measured by
// the benchmarks) ----

/// The most memory `portquiz check` may use on a hostile file, in KiB.
const HOSTILE_PEAK_KIB: u64 = 100 * 1000 * 1000 / 1024;

/// Runs `portquiz check FILE` and asserts it stayed under [`HOSTILE_PEAK_KIB`].
fn check_hostile(sandbox: &Sandbox, path: &std::path::Path) -> crate::support::Run {
    let (run, peak) =
        crate::support::run_with_peak_rss(sandbox, &["check", path.to_str().unwrap()]);
    assert!(
        peak < HOSTILE_PEAK_KIB,
        "{}: peak memory {peak} KiB, over {HOSTILE_PEAK_KIB} KiB",
        path.display()
    );
    run
}

fn hostile(name: &str, bytes: &[u8]) -> String {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let run = check_hostile(&sandbox, &path);
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.stderr
        .replace(&format!("{}/", sandbox.path().display()), "")
}

#[test]
fn hostile_billion_laughs() {
    let mut doc = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let prev = i - 1;
        doc.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    insta::assert_snapshot!(hostile("laughs.yaml", doc.as_bytes()));
}

#[test]
fn hostile_billion_laughs_through_nested_lists() {
    // Each expansion also nests lists, so every value costs the parser more memory than a flat one.
    let mut doc = String::from("a0: &a0 [[[[[[[[[[lol]]]]]]]]]]\n");
    for i in 1..10 {
        let refs = vec![format!("[[*a{}]]", i - 1); 9].join(", ");
        doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    insta::assert_snapshot!(hostile("laughs-nested.yaml", doc.as_bytes()));
}

#[test]
fn hostile_large_anchored_scalar_referenced_thousands_of_times() {
    let mut doc = format!("big: &big \"{}\"\nrefs:\n", "x".repeat(1 << 20));
    for _ in 0..5000 {
        doc.push_str("  - *big\n");
    }
    insta::assert_snapshot!(hostile("anchors.yaml", doc.as_bytes()));
}

#[test]
fn hostile_millions_of_small_values() {
    // No aliases at all: a 6 MB flat list of three million values stops at the 250,001st value (the 9 before
    // it are the mapping, its keys and values), in little memory (`hostile` checks the peak).
    let doc = format!(
        "format: 1\nid: x\ntitle: t\ncards: [{}0]\n",
        "0,".repeat(3_000_000)
    );
    let stderr = hostile("flat.yaml", doc.as_bytes());
    let first = stderr.lines().next().unwrap();
    assert_eq!(
        first,
        "flat.yaml:4:499991: error: the file exceeds the limits for a deck file: it holds more than 250,000 YAML values"
    );
}

#[test]
fn hostile_deep_nesting() {
    let doc = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    insta::assert_snapshot!(hostile("deep-flow.yaml", doc.as_bytes()));
    let mut block = String::new();
    for depth in 0..2_000 {
        block.push_str(&format!("{}k:\n", " ".repeat(depth)));
    }
    insta::assert_snapshot!(hostile("deep-block.yaml", block.as_bytes()));
}

#[test]
fn hostile_huge_file_is_refused_before_parsing() {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("huge.yaml");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"format: 1\n").unwrap();
    file.set_len(110 * 1024 * 1024).unwrap();
    drop(file);
    let run = check_hostile(&sandbox, &path);
    let stderr = run
        .stderr
        .replace(&format!("{}/", sandbox.path().display()), "");
    assert_eq!(
        (run.code, stderr.as_str()),
        (
            1,
            "huge.yaml: error: the file is 115.3 MB; deck files are limited to 8 MB\nhelp: split the deck into several files, or check that this is the right file\n"
        )
    );
}

#[test]
fn hostile_binary_invalid_utf8_nul_and_wrong_shapes() {
    insta::assert_snapshot!(hostile(
        "noise.yaml",
        &[0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xff, 0xfe, 0x00, 0x9c]
    ));
    insta::assert_snapshot!(hostile("latin1.yaml", b"format: 1\nid: caf\xe9\n"));
    insta::assert_snapshot!(hostile("nul.yaml", b"format: 1\nid: a\x00b\n"));
    insta::assert_snapshot!(hostile("scalar.yaml", b"just a sentence\n"));
    insta::assert_snapshot!(hostile("list.yaml", b"- format: 1\n- id: x\n"));
    insta::assert_snapshot!(hostile("empty.yaml", b""));
}

// ---- properties: the loader never panics, whatever it is fed ----

const KNOWN: Known<'static> = Known {
    experiments: &["tcp-udp-same-port"],
    labs: &["lab-start-listener"],
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = compile::decode("fuzz.yaml", bytes) {
            let _ = deck::parse_deck(&text, "fuzz.yaml", &KNOWN);
        }
    }

    #[test]
    fn arbitrary_yaml_like_text_never_panics(text in "[-a-z0-9:\\[\\]{}&*!|>'\"#, \n]{0,300}") {
        let _ = deck::parse_deck(&text, "fuzz.yaml", &KNOWN);
    }

    #[test]
    fn structured_random_decks_never_panic_and_errors_have_locations(deck in random_deck()) {
        match deck::parse_deck(&deck, "fuzz.yaml", &KNOWN) {
            Ok(d) => prop_assert!(!d.cards.is_empty()),
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in diags {
                    prop_assert!(d.pos.is_some() || d.message.contains("empty"), "{}", d.render());
                }
            }
        }
    }
}

/// Decks assembled from plausible and implausible pieces: real keys, typos, wrong types, odd values.
fn random_deck() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("id"),
        Just("type"),
        Just("prompt"),
        Just("answer"),
        Just("options"),
        Just("accept"),
        Just("keywords"),
        Just("experiment"),
        Just("explain"),
        Just("hint"),
        Just("tags"),
        Just("promt"),
        Just("why"),
        Just("text"),
    ];
    let value = prop_oneof![
        Just("x".to_string()),
        Just("true".to_string()),
        Just("42".to_string()),
        Just("[a, b]".to_string()),
        Just("[[ip, address], port]".to_string()),
        Just("{text: a, why: b}".to_string()),
        Just("choice".to_string()),
        Just("typed".to_string()),
        Just("practical".to_string()),
        Just("tcp-udp-same-port".to_string()),
        Just("~".to_string()),
        Just("[]".to_string()),
        Just("\"0-65535\"".to_string()),
        "[a-z]{1,6}".prop_map(|s| s),
    ];
    let card = proptest::collection::vec((key, value), 0..7).prop_map(|fields| {
        let mut out = String::from("  - ");
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                out.push_str("    ");
            }
            out.push_str(&format!("{k}: {v}\n"));
        }
        if fields.is_empty() {
            out.push_str("{}\n");
        }
        out
    });
    (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(card, 0..5),
    )
        .prop_map(|(format, title, cards)| {
            let mut doc = String::new();
            if format {
                doc.push_str("format: 1\n");
            }
            doc.push_str("id: fuzz\n");
            if title {
                doc.push_str("title: Fuzz\n");
            }
            doc.push_str("cards:\n");
            for c in cards {
                doc.push_str(&c);
            }
            doc
        })
}

#[test]
fn decks_json_counts_table_cells_as_cards() {
    let run = Sandbox::new().run(&["decks", "--json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let decks: serde_json::Value = crate::support::json_unique(&run.stdout);
    let ports = decks["decks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["deck"] == "ports-and-sockets")
        .unwrap();
    assert_eq!(ports["origin"], "builtin:ports-and-sockets.yaml");
    // The deck file's own cards plus one card per text cell and one per true/false row of its table.
    let text = std::fs::read_to_string(crate::support::root().join("decks/ports-and-sockets.yaml"))
        .unwrap();
    let deck =
        deck::parse_deck(&text, "ports-and-sockets.yaml", &portquiz::library::known()).unwrap();
    let from_tables = deck.cards.iter().filter(|c| c.id.is_cell()).count();
    assert_eq!(from_tables, 12);
    assert_eq!(
        ports["card_count"].as_u64().unwrap() as usize,
        deck.cards.len()
    );
}

#[test]
fn warnings_are_shown_and_fail_check_only_when_denied() {
    let sandbox = Sandbox::new();
    insta::assert_snapshot!(
        sandbox
            .run(&["check", "tests/decks/warn/warnings.yaml"])
            .transcript()
    );
    insta::assert_snapshot!(
        sandbox
            .run(&["check", "--deny-warnings", "tests/decks/warn/warnings.yaml"])
            .transcript()
    );
}

#[test]
fn check_json_lists_every_problem_with_its_place_and_code() {
    insta::assert_snapshot!(
        Sandbox::new()
            .run(&[
                "check",
                "--json",
                "tests/decks/warn/warnings.yaml",
                "tests/decks/broken/unknown-keys.yaml",
            ])
            .transcript()
    );
}

/// Regression (issue 15): `study --deck w/http-status.yaml` opened with a card of a built-in deck.
#[test]
fn a_deck_path_loads_that_deck_and_restricts_to_it() {
    let run = Sandbox::new().run(&["decks", "--deck", "tests/decks/warn/warnings.yaml"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "id      cards  title (origin)\nwarned      2  A deck that passes with warnings (tests/decks/warn/warnings.yaml)\n"
        )
    );
}

/// Issue 16: each question lives in one place (no card id in two built-in decks), and no shipped text speaks of
/// "the seed", a source document the candidate never saw.
#[test]
fn built_in_decks_ask_each_card_id_once_and_never_mention_the_seed() {
    let mut decks_of: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for key in crate::support::card_index(&[]).keys() {
        let (deck, card) = key.split_once('/').unwrap();
        decks_of
            .entry(card.to_string())
            .or_default()
            .push(deck.to_string());
    }
    let repeated: Vec<String> = decks_of
        .iter()
        .filter(|(_, decks)| decks.len() > 1)
        .map(|(card, decks)| format!("{card}: {}", decks.join(", ")))
        .collect();
    assert_eq!(repeated, Vec::<String>::new());

    let mut mentions = Vec::new();
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(crate::support::root().join("decks"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (index, line) in text.lines().enumerate() {
            if line.to_lowercase().contains("seed") {
                let name = path.file_name().unwrap().to_string_lossy();
                mentions.push(format!("{name}:{}: {}", index + 1, line.trim()));
            }
        }
    }
    for experiment in portquiz::practical::catalogue() {
        for text in [experiment.title, experiment.question, experiment.explain] {
            if text.to_lowercase().contains("seed") {
                mentions.push(format!("experiment {}: {text}", experiment.id));
            }
        }
    }
    assert_eq!(mentions, Vec::<String>::new());
}

/// Issue 16: theory cards back their claim with the machine in front of the candidate.
#[test]
fn at_least_thirty_shipped_theory_cards_have_a_demo() {
    let mut demos = 0;
    for entry in std::fs::read_dir(crate::support::root().join("decks")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            demos += text.lines().filter(|l| l.starts_with("    demo: ")).count();
        }
    }
    assert!(demos >= 30, "{demos} cards with a demo");
}

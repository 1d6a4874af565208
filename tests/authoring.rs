//! Issue 28: a corpus of deck authors' mistakes (`tests/decks/authoring/*.yaml`), each file naming on its
//! first lines (`# expect: LINE:COL: LEVEL: MESSAGE`, or `# expect: nothing...`) every problem `portquiz
//! check FILE` must report, with its line and exact message; and the lab that takes parameters.
use std::time::Duration;

use portquiz::deck::LabParams;
use portquiz::practical::{self, Environment};

use crate::support::{Sandbox, Test};

/// The head lines (`file:line:col: level: message`) of a check's stderr, without the file name.
fn heads(stderr: &str, file: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(file)?.strip_prefix(':'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_mistake_in_the_authoring_corpus_is_reported_at_its_line_with_its_message() {
    let sandbox = Sandbox::new();
    let mut files: Vec<_> = std::fs::read_dir("tests/decks/authoring")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    let mut mismatches = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let expected: Vec<String> = text
            .lines()
            .map_while(|l| l.strip_prefix("# expect: "))
            .filter(|e| !e.starts_with("nothing"))
            .map(str::to_string)
            .collect();
        let file = path.to_str().unwrap();
        let run = sandbox.run(&["check", file]);
        let found = heads(&run.stderr, file);
        let code = if expected.iter().any(|e| e.contains(": error: ")) {
            1
        } else {
            0
        };
        if found != expected || run.code != code {
            mismatches.push(format!(
                "{file}: exit {} (expected {code})\n  expected: {expected:?}\n  found:    {found:?}\n{}",
                run.code, run.stderr
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The syntax mistakes reported where they are, not where the parser stumbles on them: an unclosed quote,
/// bracket or brace where it opens (what closes it, and where the parser would have noticed), a block
/// scalar that swallows keys at its `|`, values YAML reads as an alias or reserves (`*`, `@`, `` ` ``,
/// `%`, `#` inside `[...]`), mixed tabs and spaces, a key indented under a plain value: each as the author
/// reads it, with its fix.
#[test]
fn syntax_mistakes_are_reported_at_their_cause_with_a_fix_to_paste() {
    let sandbox = Sandbox::new();
    let transcripts: Vec<String> = [
        "unclosed-double-quote",
        "unclosed-single-quote",
        "unclosed-bracket",
        "unclosed-brace",
        "block-scalar-swallows",
        "alias-star",
        "reserved-at",
        "reserved-backquote",
        "directive-percent",
        "hash-in-flow",
        "mixed-tabs-spaces",
        "indented-deeper",
    ]
    .iter()
    .map(|name| {
        let file = format!("tests/decks/authoring/{name}.yaml");
        sandbox.run(&["check", &file]).transcript()
    })
    .collect();
    insta::assert_snapshot!(transcripts.join("\n"));
}

#[test]
fn check_file_names_the_built_in_deck_whose_id_it_takes_and_counts_the_loaded_decks() {
    let run = Test::new()
        .args(&["check", "tests/decks/authoring/id-clash-with-builtin.yaml"])
        .code(1)
        .run();
    insta::assert_snapshot!(run.transcript());
}

/// A repeated key, three other errors and a warning: one `check` run reports them all, in file order.
#[test]
fn one_check_run_reports_a_repeated_key_with_every_other_problem_and_the_warnings() {
    let run = Sandbox::new().run(&["check", "tests/decks/authoring/one-run-duplicate-key.yaml"]);
    insta::assert_snapshot!(run.transcript());
}

/// The parser stops at a second document late in the file: the cards above it are still validated and
/// warned about, and a follow-up into a card below it is not reported as unknown.
#[test]
fn a_late_syntax_error_still_reports_the_problems_of_the_cards_above_it() {
    let run = Sandbox::new().run(&[
        "check",
        "tests/decks/authoring/one-run-late-syntax-error.yaml",
    ]);
    insta::assert_snapshot!(run.transcript());
}

/// Two decks with errors in one folder: the follow-ups between them are checked on what could be read
/// (into a card that failed: not reported again; into a card that does not exist: reported), and a
/// broken deck whose id the other has is told so.
#[test]
fn follow_ups_between_decks_with_errors_are_checked_on_what_could_be_read() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("decks");
    std::fs::create_dir_all(&dir).unwrap();
    let card = |id: &str, kind: &str, follow: &str| {
        format!(
            "  - id: {id}\n    type: {kind}\n    prompt: Q {id}\n    answer: A {id}\n    explain: E {id}\n    follow_up: [{follow}]\n"
        )
    };
    let deck = |id: &str, cards: &[String]| {
        format!("format: 1\nid: {id}\ntitle: T\ncards:\n{}", cards.concat())
    };
    // Each of `one` and `two` has a card with an error and a card with follow-ups into the other deck.
    for (file, id, other) in [("a.yaml", "one", "two"), ("b.yaml", "two", "one")] {
        let cards = [
            card("broken", "flashcrad", &format!("{other}/fine")),
            card(
                "fine",
                "flashcard",
                &format!("{other}/broken, {other}/gone"),
            ),
        ];
        std::fs::write(dir.join(file), deck(id, &cards)).unwrap();
    }
    std::fs::write(
        dir.join("c.yaml"),
        deck("two", &[card("other", "flashcard", "tupe")]),
    )
    .unwrap();
    let run = sandbox.run(&["check", dir.to_str().unwrap()]);
    insta::assert_snapshot!(run.transcript().replace(dir.to_str().unwrap(), "DIR"));
}

#[test]
fn new_refuses_an_id_a_loaded_deck_has() {
    Test::new()
        .args(&["new", "tcp-vs-udp"])
        .code(2)
        .stdout("")
        .stderr("error: the deck id `tcp-vs-udp` is taken by builtin:tcp-vs-udp.yaml; pick another id (progress is kept per deck id)\n")
        .run();
}

fn dns() -> LabParams {
    LabParams {
        service: Some("DNS".to_string()),
        port: Some(53),
        udp: true,
        command: None,
    }
}

#[test]
fn a_service_lab_says_the_service_and_protocol_of_the_card_and_never_the_port() {
    assert_eq!(
        practical::service_instructions("DNS", &dns(), false),
        "Stand in for DNS. Find the port it uses by default with real tools: `getent services NAME`, `grep -i NAME \
         /etc/services`, or your memory.\nThen start a UDP listener on that port on 127.0.0.1, for example:\n\n    \
         python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', \
         PORT)); input('listening; press Enter to stop ')\"\n\nwith PORT replaced by the number you found, and press \
         Enter: portquiz will check that port."
    );
    let tcp = LabParams {
        udp: false,
        command: Some("nc -l 127.0.0.1 PORT".to_string()),
        ..dns()
    };
    assert_eq!(
        practical::service_instructions("DNS", &tcp, true),
        "Stand in for DNS. Find the port it uses by default with real tools: `getent services NAME`, `grep -i NAME \
         /etc/services`, or your memory.\nThen start a TCP listener on 127.0.0.1, on 10000 + that port (the port \
         itself cannot be opened here: below 1024 it needs root), for example:\n\n    nc -l 127.0.0.1 PORT\n\nwith \
         PORT replaced by 10000 + the number you found, and press Enter: portquiz will check that port."
    );
}

#[test]
fn a_dns_lab_over_udp_passes_when_a_udp_socket_holds_the_port() {
    let env = Environment::detect();
    let lab = practical::find("lab-find-service-port").unwrap();
    let mut setup = match practical::prepare_lab_with(lab, &env, &dns()) {
        Ok(setup) => setup,
        Err(reason) => {
            assert_eq!(
                reason,
                "port 53 and its stand-in cannot be opened here (in use, or below 1024 without root)"
            );
            return;
        }
    };
    let port = setup.port();
    assert!([53, 10_053].contains(&port), "{port}");
    assert!(
        !setup.instructions().contains("53"),
        "the instructions give the answer away"
    );
    let stand_in = if port == 53 {
        String::new()
    } else {
        " (10000 + 53)".to_string()
    };
    let missing = practical::verify_lab(&mut setup, Duration::ZERO);
    assert!(!missing.passed);
    let holder = std::net::UdpSocket::bind(("127.0.0.1", port)).unwrap();
    let found = practical::verify_lab(&mut setup, Duration::from_secs(2));
    drop(holder);
    assert_eq!(
        (found.passed, found.conclusion.as_str()),
        (
            true,
            format!("you found it: DNS uses port 53, and your listener now owns 127.0.0.1:{port}{stand_in}").as_str()
        )
    );
    assert_eq!(
        found.transcript[0],
        format!("UDP  bind 127.0.0.1:{port}   EADDRINUSE (a socket holds it)")
    );
}

#[test]
fn a_lab_card_without_parameters_keeps_the_default_service() {
    let deck = "format: 1\nid: labs\ntitle: Labs\ncards:\n  - id: l\n    type: lab\n    experiment: lab-find-service-port\n";
    let deck = portquiz::deck::parse_deck(deck, "l.yaml", &portquiz::library::known()).unwrap();
    assert_eq!(
        deck.cards[0].kind,
        portquiz::deck::CardKind::Lab {
            experiment: "lab-find-service-port".to_string(),
            params: LabParams::default()
        }
    );
}

#[test]
fn check_json_gives_utf16_columns_ends_notes_and_specific_codes() {
    let run = Test::new()
        .args(&[
            "check",
            "--json",
            "tests/decks/authoring/comment-after-emoji.yaml",
            "tests/decks/authoring/id-clash-with-builtin.yaml",
        ])
        .code(1)
        .run();
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn check_json_reports_a_missing_file_as_json() {
    Test::new()
        .args(&["check", "--json", "tests/decks/authoring/no-such-file.yaml"])
        .code(2)
        .stdout("{\n  \"format\": 1,\n  \"ok\": false,\n  \"error\": \"cannot read tests/decks/authoring/no-such-file.yaml: no such file or directory\"\n}\n")
        .stderr("")
        .run();
}

#[test]
fn cards_show_prints_every_card_as_the_candidate_sees_it_table_cells_included() {
    let run = Test::new()
        .args(&[
            "--deck",
            "tests/decks/authoring/show/dns.yaml",
            "cards",
            "--show",
        ])
        .run();
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn format_prints_the_deck_format_reference() {
    Test::new()
        .args(&["format"])
        .stdout(&std::fs::read_to_string("decks/README.md").unwrap())
        .run();
}

/// The codes decks/README.md lists under "Problem codes": every word in backticks of that section.
fn documented_codes() -> std::collections::BTreeSet<String> {
    let readme = std::fs::read_to_string("decks/README.md").unwrap();
    let start = readme.find("\n## Problem codes\n").unwrap();
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").unwrap() + 3];
    section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| !w.contains(' '))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_problem_of_the_mistake_corpora_has_a_documented_code_of_its_own() {
    let sandbox = Sandbox::new();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for dir in [
        "tests/decks/authoring",
        "tests/decks/broken",
        "tests/decks/schema",
        "tests/decks/warn",
    ] {
        let run = sandbox.run(&["check", "--json", dir]);
        let report: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{dir}: {e}\n{}", run.transcript()));
        for problem in report["problems"].as_array().unwrap() {
            let code = problem["code"].as_str().unwrap().to_string();
            assert_ne!(code, "deck", "{dir}: {problem}");
            *seen.entry(code).or_default() += 1;
        }
    }
    let documented = documented_codes();
    let undocumented: Vec<&String> = seen.keys().filter(|c| !documented.contains(*c)).collect();
    assert!(
        undocumented.is_empty(),
        "{undocumented:?} not in decks/README.md"
    );
    // The corpora reach most kinds of problem: a code that stops being used is noticed here.
    assert!(seen.len() >= 30, "{seen:?}");
}

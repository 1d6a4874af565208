//! End-to-end tests of the tools around the study loop: authoring aids, Anki import/export, review
//! export, merge, stats, optimise, simulate, config and reset. Each runs the real binary on a temp data dir.
use crate::support::Sandbox;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn new_writes_a_starter_deck_that_passes_check() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["new", "my-ports"]);
    let path = sandbox.path().join("decks").join("my-ports.yaml");
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.as_str()),
        (
            0,
            format!(
                "Wrote {}: edit it, then run `portquiz check {}`\n",
                path.display(),
                path.display()
            ),
            ""
        )
    );
    let check = sandbox.run(&["check", path.to_str().unwrap()]);
    assert_eq!(
        (check.code, check.stdout.as_str(), check.stderr.as_str()),
        (0, "1 deck, 11 cards: ok\n", "")
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
    assert!(text.starts_with("#separator:tab\n#html:false\n#notetype:Basic\n"));
    assert!(text.contains("What is a port?\tA number that tells the OS which process gets the data.\t\tportquiz::study\tportquiz:study/port-definition\n"));

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
        (0, "1 deck, 6 cards: ok\n")
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
        "  - id: port-definition\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"A number that tells the OS which process gets the data.\"\n"
    ));
}

#[test]
fn import_anki_reports_malformed_lines_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let tsv = sandbox.path().join("bad.txt");
    std::fs::write(
        &tsv,
        "#separator:tab\nfront\tback\njust one field\n\tno front\n",
    )
    .unwrap();
    let run = sandbox.run(&["import", "anki", tsv.to_str().unwrap(), "--id", "bad"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.clone()),
        (
            1,
            "",
            format!(
                "{0}:3: error: expected a front and a back separated by a tab, found one field\n\
                 {0}:4: error: the front is empty; every card needs a front and a back\n\
                 nothing written: fix the lines above and run the import again\n",
                tsv.display()
            )
        )
    );
    assert!(!sandbox.path().join("decks").exists());
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
    assert!(decks.stdout.contains("\"id\": \"dns\""), "{}", decks.stdout);
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

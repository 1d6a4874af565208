//! End-to-end tests of `import anki` on notes as Anki writes them (cloze, reversed, subdecks, custom
//! notetypes, empty fields, media) and of `export anki` refusing a deck with errors. Each runs the real
//! binary on a temp data dir.
use crate::support::Sandbox;

fn s(path: &std::path::Path) -> String {
    path.display().to_string()
}

/// "Notes in Plain Text" with the deck and notetype columns, a `#columns` header naming a custom notetype's
/// fields and a `#tags` header: one note of each kind an Anki collection holds.
const NOTES: &str = "#separator:tab\n#html:true\n#tags:networking\n#notetype column:1\n#deck column:2\n\
#columns:Notetype\tDeck\tFront\tBack\tMnemonic\tSource\tTags\n#tags column:7\n\
Cloze\tPorts\t{{c1::443}} is the port of {{c2::HTTPS::a protocol}}, over {{c1::TCP}}\tBoth are IANA&#x27;s.\t\t\tweb\n\
Basic (and reversed card)\tPorts::Transport\tTCP\tA reliable byte stream over IP\t\t\ttransport\n\
Port card\tPorts::Transport::Numbers\tSSH port?\t22\tSecure Shell [sound:ssh.mp3]\tRFC 4253\t\n\
Basic\tPorts\tEmpty back?\t\t\t\t\n\
Basic\tPorts\tDNS port?\t53<img src=\"dns.png\">\t\t\tdns\n";

/// A fresh data dir holding [`NOTES`] as `notes.txt`, and that file's path.
fn sandbox_with_notes() -> (Sandbox, std::path::PathBuf) {
    let sandbox = Sandbox::new();
    let notes = sandbox.path().join("notes.txt");
    std::fs::write(&notes, NOTES).unwrap();
    (sandbox, notes)
}

const HEAD: &str = "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\n";

#[test]
fn import_anki_makes_cloze_reversed_subdeck_and_custom_notetype_cards_and_warns_per_note() {
    let (sandbox, notes) = sandbox_with_notes();
    let out = sandbox.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let run = sandbox.run(&[
        "import",
        "anki",
        &s(&notes),
        "--id",
        "ports",
        "--out",
        &s(&out.join("ports.yaml")),
    ]);
    let path = s(&notes);
    let o = s(&out);
    assert_eq!(
        (run.code, run.stdout.clone(), run.stderr.clone()),
        (
            0,
            format!(
                "Imported 3 cards into deck `ports` at {o}/ports.yaml\n\
                 Imported 2 cards into deck `ports-transport` at {o}/ports-transport.yaml\n\
                 Imported 1 card into deck `ports-transport-numbers` at {o}/ports-transport-numbers.yaml\n"
            ),
            format!(
                "warning: {path}:10: dropped 1 sound: a deck holds text only\n\
                 warning: {path}:11: the back is empty, so this note is left out (every card needs a front and a back)\n\
                 warning: {path}:12: dropped 1 image: a deck holds text only\n"
            )
        )
    );
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    assert_eq!(
        read("ports.yaml"),
        format!(
            "{HEAD}id: ports\ntitle: \"Ports\"\ncards:\n\
             \x20 - id: 443-is-the-port-of-https-over-tcp-c1\n    type: flashcard\n    prompt: \"[...] is the port of HTTPS, over [...]\"\n    answer: \"443; TCP\\n\\nBoth are IANA's.\"\n    tags: [\"networking\", \"web\"]\n\
             \x20 - id: 443-is-the-port-of-https-over-tcp-c2\n    type: flashcard\n    prompt: \"443 is the port of [a protocol], over TCP\"\n    answer: \"HTTPS\\n\\nBoth are IANA's.\"\n    tags: [\"networking\", \"web\"]\n\
             \x20 - id: dns-port\n    type: flashcard\n    prompt: \"DNS port?\"\n    answer: \"53\"\n    tags: [\"networking\", \"dns\"]\n"
        )
    );
    assert_eq!(
        read("ports-transport.yaml"),
        format!(
            "{HEAD}id: ports-transport\ntitle: \"Transport\"\ncards:\n\
             \x20 - id: tcp\n    type: flashcard\n    prompt: \"TCP\"\n    answer: \"A reliable byte stream over IP\"\n    tags: [\"networking\", \"transport\"]\n\
             \x20 - id: tcp-reverse\n    type: flashcard\n    prompt: \"A reliable byte stream over IP\"\n    answer: \"TCP\"\n    tags: [\"networking\", \"transport\"]\n"
        )
    );
    assert_eq!(
        read("ports-transport-numbers.yaml"),
        format!(
            "{HEAD}id: ports-transport-numbers\ntitle: \"Transport::Numbers\"\ncards:\n\
             \x20 - id: ssh-port\n    type: flashcard\n    prompt: \"SSH port?\"\n    answer: \"22\"\n    explain: \"Mnemonic: Secure Shell\\n\\nSource: RFC 4253\"\n    tags: [\"networking\"]\n"
        )
    );
    let check = sandbox.run(&["check", &o]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        // The warnings: five cards without an `explain`.
        (
            0,
            "3 decks, 6 cards: ok (5 warnings)\nchecked against 20 loaded decks (built-in and data dir decks)\n"
        ),
        "{}",
        check.transcript()
    );
}

#[test]
fn import_anki_with_subdecks_as_tags_makes_one_deck() {
    let (sandbox, notes) = sandbox_with_notes();
    let run = sandbox.run(&[
        "import",
        "anki",
        &s(&notes),
        "--id",
        "ports",
        "--subdecks",
        "tags",
    ]);
    let deck = sandbox.path().join("decks/ports.yaml");
    assert_eq!(
        (run.code, run.stdout.clone()),
        (
            0,
            format!("Imported 6 cards into deck `ports` at {}\n", s(&deck))
        ),
        "{}",
        run.transcript()
    );
    let yaml = std::fs::read_to_string(&deck).unwrap();
    let tags: Vec<&str> = yaml.lines().filter(|l| l.contains("tags:")).collect();
    assert_eq!(
        tags,
        [
            "    tags: [\"networking\", \"web\"]",
            "    tags: [\"networking\", \"web\"]",
            "    tags: [\"networking\", \"transport\", \"Transport\"]",
            "    tags: [\"networking\", \"transport\", \"Transport\"]",
            "    tags: [\"networking\", \"Transport::Numbers\"]",
            "    tags: [\"networking\", \"dns\"]",
        ]
    );
}

#[test]
fn import_anki_refuses_a_subdeck_whose_id_is_taken_and_writes_nothing() {
    let (sandbox, notes) = sandbox_with_notes();
    let decks = sandbox.path().join("decks");
    std::fs::create_dir(&decks).unwrap();
    let taken = decks.join("taken.yaml");
    std::fs::write(
        &taken,
        "format: 1\nid: ports-transport\ntitle: T\ncards:\n  - id: a\n    type: flashcard\n    prompt: P\n    answer: A\n",
    )
    .unwrap();
    let run = sandbox.run(&["import", "anki", &s(&notes), "--id", "ports"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.clone()),
        (
            2,
            "",
            format!(
                "error: a deck with the id `ports-transport` already exists ({}); choose another --id\n",
                s(&taken)
            )
        )
    );
    assert!(!decks.join("ports.yaml").exists());
}

#[test]
fn export_anki_of_a_deck_with_errors_refuses_and_writes_nothing() {
    let sandbox = Sandbox::new();
    let broken = sandbox.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "format: 1\nid: broken\ntitle: B\ncards:\n  - id: a\n    type: flashcard\n    prompt: P\n",
    )
    .unwrap();
    let out = sandbox.path().join("out.txt");
    let run = sandbox.run(&["export", "anki", &s(&out), "--deck", &s(&broken)]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.clone()),
        (
            1,
            "",
            format!(
                "{}:5:5: error: this flashcard is missing the required key `answer`\n  |\n5 |   - id: a\n  |     ^\nhelp: add `answer: The back of the card`\n\
                 nothing written: the 1 deck file with errors above would be left out of the export; fix it (see `portquiz check`)\n",
                s(&broken)
            )
        )
    );
    assert!(!out.exists());
}

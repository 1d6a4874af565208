//! Replays the committed fuzz corpus (`fuzz/corpus/deck`, minimised by `cargo fuzz cmin deck`) through the same
//! oracle as the libFuzzer target, on stable Rust: the deck loader never panics on any of these inputs and every
//! diagnostic it returns has a location and a message. The reproducer of every crash found by fuzzing goes into
//! `fuzz/regressions/deck/` so that this test keeps it fixed.
use std::path::PathBuf;

#[path = "../fuzz/oracle.rs"]
mod oracle;

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = crate::support::root().join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs every file through the oracle; returns the names of those that failed, with the panic message.
fn replay(paths: &[PathBuf]) -> Vec<String> {
    let mut failed = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| oracle::check_deck_bytes(&bytes)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{}: {why}", path.display()));
        }
    }
    failed
}

#[test]
fn fuzz_corpus_replays_without_panics_and_with_located_diagnostics() {
    let corpus = files("fuzz/corpus/deck");
    // The corpus holds at least the seeds' variety (shipped decks, good and broken test decks); an empty or
    // missing directory would make this test pass vacuously.
    assert!(corpus.len() >= 20, "only {} corpus files", corpus.len());
    let failed = replay(&corpus);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn fuzz_crashes_found_so_far_stay_fixed() {
    // One file per crash the fuzzer found, kept even if `cargo fuzz cmin` would drop it from the corpus.
    let regressions = files("fuzz/regressions/deck");
    assert!(!regressions.is_empty());
    let failed = replay(&regressions);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn the_oracle_rejects_malformed_diagnostics() {
    // The oracle must be able to fail, or replaying the corpus proves nothing.
    use portquiz::deck::Diagnostic;
    use portquiz::deck::yaml::Pos;
    let at = Some(Pos { line: 1, col: 1 });
    let bad = [
        Diagnostic::error(
            oracle::NAME,
            "a: 1\n",
            None,
            "wrong-value",
            "a problem somewhere",
        ),
        Diagnostic::error(oracle::NAME, "a: 1\n", at, "wrong-value", " "),
        // (Diagnostic::error escapes line breaks itself; these are set past it.)
        Diagnostic {
            message: "two\nlines".into(),
            ..Diagnostic::error(oracle::NAME, "a: 1\n", at, "wrong-value", "")
        },
        Diagnostic {
            help: Some("a\rb".into()),
            ..Diagnostic::error(oracle::NAME, "a: 1\n", at, "wrong-value", "x")
        },
        Diagnostic::error(
            oracle::NAME,
            "a: 1\n",
            Some(Pos { line: 9, col: 1 }),
            "wrong-value",
            "past the end",
        ),
        Diagnostic::error(
            oracle::NAME,
            "a: 1\n",
            Some(Pos { line: 1, col: 0 }),
            "wrong-value",
            "column 0",
        ),
        Diagnostic::error("other.yaml", "a: 1\n", at, "wrong-value", "another file"),
        // The excerpt must be the line the position is on, with lines counted as YAML does.
        Diagnostic::error(oracle::NAME, "", at, "wrong-value", "no excerpt"),
    ];
    for d in bad {
        let caught = std::panic::catch_unwind(|| oracle::well_formed(&d, "a: 1\n", true));
        assert!(caught.is_err(), "accepted {d:?}");
    }
    oracle::well_formed(
        &Diagnostic::error(oracle::NAME, "a: 1\n", at, "wrong-value", "fine"),
        "a: 1\n",
        true,
    );
    oracle::well_formed(
        &Diagnostic::error(
            oracle::NAME,
            "",
            None,
            "empty-value",
            "the deck file is empty",
        ),
        "",
        true,
    );
}

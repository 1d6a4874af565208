//! The deck loader's fuzz oracle, shared by the libFuzzer target (`fuzz/fuzz_targets/deck.rs`) and the stable
//! corpus replay (`tests/fuzz_corpus.rs`): feeds bytes through the loader's entry points and panics when the
//! loader panics, disagrees with itself, or returns a diagnostic without a location or a message.
//! It must not do I/O: the caller hands it the bytes.
use portquiz::deck::{Diagnostic, compile, parse_deck};

/// How the fuzzed file is named in diagnostics.
pub const NAME: &str = "fuzz.yaml";

/// Messages about the file as a whole, which rightly point at no line.
const WHOLE_FILE: [&str; 1] = ["the deck file is empty"];

/// Runs `bytes` through the loader: the raw-bytes path (`compile::decode`, then `compile::compile`, as `check`
/// and `study` do for a file under the size cap) and, when the bytes are UTF-8, `parse_deck` on them as is.
pub fn check_deck_bytes(bytes: &[u8]) {
    let known = portquiz::library::known();
    let decoded = compile::decode(NAME, bytes.to_vec());
    let source = compile::Source {
        name: NAME.to_string(),
        text: decoded.clone(),
    };
    let lib = compile::compile(std::slice::from_ref(&source), &known);
    assert_eq!(lib.files, 1);
    match &decoded {
        Err(d) => {
            // Refused before parsing: exactly that one diagnostic, pointing where the bad byte is.
            let valid = std::str::from_utf8(bytes)
                .map(str::len)
                .unwrap_or_else(|e| e.valid_up_to());
            well_formed(d, &String::from_utf8_lossy(&bytes[..valid]), false);
            assert!(
                d.pos.is_some(),
                "an encoding error without a position: {d:?}"
            );
            assert_eq!(lib.diagnostics, vec![d.clone()]);
            assert_eq!((lib.decks.len(), lib.files_with_errors), (0, 1));
        }
        Ok(text) => {
            let direct = parse_deck(text, NAME, &known);
            check_result(&direct, text);
            match &direct {
                Ok(deck) => {
                    assert_eq!(lib.decks.len(), 1);
                    assert_eq!(&lib.decks[0], deck);
                    assert!(lib.diagnostics.is_empty(), "{:?}", lib.diagnostics);
                }
                Err(diags) => {
                    assert!(lib.decks.is_empty());
                    assert_eq!(&lib.diagnostics, diags);
                    assert_eq!(lib.files_with_errors, 1);
                }
            }
        }
    }
    // Valid UTF-8 as is (with a NUL or a byte-order mark left in): parse_deck must hold up too.
    if let Ok(raw) = std::str::from_utf8(bytes) {
        check_result(&parse_deck(raw, NAME, &known), raw);
    }
}

fn check_result(result: &Result<portquiz::deck::Deck, Vec<Diagnostic>>, text: &str) {
    match result {
        Ok(deck) => {
            assert!(portquiz::deck::id::is_id(deck.id.as_str()));
            assert!(!deck.cards.is_empty(), "a deck without cards was accepted");
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "refused without saying why");
            for d in diags {
                well_formed(d, text, true);
            }
        }
    }
}

/// A diagnostic names the file, has a one-line message, and a position inside the text (or is about the
/// whole file); rendering it never panics and starts with its location.
pub fn well_formed(d: &Diagnostic, text: &str, excerpt: bool) {
    assert_eq!(d.file, NAME);
    assert!(!d.message.trim().is_empty(), "no message: {d:?}");
    // One line each: a control character (a line break quoted from the deck) would break the shape.
    let texts = std::iter::once(&d.message)
        .chain(&d.help)
        .chain(d.notes.iter().map(|n| &n.message));
    for text in texts {
        assert!(
            !text.chars().any(char::is_control),
            "a control character in {text:?}: {d:?}"
        );
    }
    // Lines as YAML counts them (a lone \r ends a line too), plus the position just after the last one.
    let lines = portquiz::deck::diag::yaml_lines(text).count() as u64 + 1;
    match d.pos {
        Some(p) => {
            assert!(p.line >= 1 && p.col >= 1, "position not 1-based: {d:?}");
            assert!(
                u64::from(p.line) <= lines,
                "line {} past the end ({lines} lines): {d:?}",
                p.line
            );
            // The excerpt is the line the position is on (when the diagnostic was given the text).
            if excerpt && u64::from(p.line) < lines {
                let line = portquiz::deck::diag::yaml_lines(text).nth(p.line as usize - 1);
                assert_eq!(d.source_line(), line, "wrong excerpt: {d:?}");
            }
        }
        None => assert!(
            WHOLE_FILE.contains(&d.message.as_str()),
            "no location: {d:?}"
        ),
    }
    for note in &d.notes {
        assert!(
            !note.message.trim().is_empty(),
            "a note without a message: {d:?}"
        );
    }
    let rendered = d.render();
    let location = match d.pos {
        Some(p) => format!("{NAME}:{}:{}: ", p.line, p.col),
        None => format!("{NAME}: "),
    };
    assert!(rendered.starts_with(&location), "{rendered}");
}

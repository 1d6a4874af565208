//! The pure half of loading decks: deck sources (a name and a text, or why there is none) are compiled into
//! a [`Library`] of checked decks and diagnostics, in parallel, with deck ids unique across files. No file
//! system access: [`super::load`] reads the files, [`super::cache`] keeps compiled decks between runs.
use super::diag::Diagnostic;
use super::model::Deck;
use super::par::par_map;
use super::validate::{Known, parse_deck};
use super::yaml::Pos;

/// A deck source: its display name and its text (or the diagnostic that explains why there is no text).
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Result<String, Diagnostic>,
}

/// What compiling a set of sources produced.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub decks: Vec<Deck>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of deck files looked at.
    pub files: usize,
    /// Number of files with at least one error.
    pub files_with_errors: usize,
}

/// Checks the encoding of a deck file's bytes.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let pos = end_pos(&prefix);
            return Err(Diagnostic::error(
                name,
                &prefix,
                Some(pos),
                "the file is not valid UTF-8 text",
            )
            .help("deck files must be saved as UTF-8; is this a binary file?"));
        }
    };
    if let Some(i) = text.find('\0') {
        let pos = end_pos(&text[..i]);
        return Err(
            Diagnostic::error(name, "", Some(pos), "the file contains a NUL byte")
                .help("deck files are plain text; is this a binary file?"),
        );
    }
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Position just after `prefix` (where the next character would be).
fn end_pos(prefix: &str) -> Pos {
    // Line breaks as YAML counts them (see `diag::yaml_lines`): \n, \r\n and a lone \r.
    let breaks = prefix.matches('\n').count() + prefix.matches('\r').count()
        - prefix.matches("\r\n").count();
    let line = breaks + 1;
    let col = prefix
        .rsplit(['\n', '\r'])
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
    }
}

/// Compiles sources into decks, collecting every diagnostic; deck ids must be unique across all of them.
pub fn compile(sources: &[Source], known: &Known) -> Library {
    compile_with(sources, known, Vec::new())
}

type Parsed = Result<Deck, Vec<Diagnostic>>;

/// Parses the sources that have text and no precompiled deck in `ready` (same index), spread over the
/// cores; `None` for the others.
fn parse_all(sources: &[Source], known: &Known, ready: &[Option<Deck>]) -> Vec<Option<Parsed>> {
    let indices: Vec<usize> = (0..sources.len()).collect();
    par_map(&indices, |&i| {
        if ready.get(i).is_some_and(Option::is_some) {
            return None;
        }
        let text = sources[i].text.as_ref().ok()?;
        Some(parse_deck(text, &sources[i].name, known))
    })
}

/// Like [`compile`], reusing the decks in `ready` (same index as `sources`) instead of parsing them again.
/// Takes them by value: a 10,000-card library is too large to copy on every start.
pub fn compile_with(sources: &[Source], known: &Known, mut ready: Vec<Option<Deck>>) -> Library {
    let mut lib = Library {
        files: sources.len(),
        ..Library::default()
    };
    let mut origins: Vec<(String, Pos)> = Vec::new();
    // Deck id -> index in `lib.decks`: a linear search per deck is quadratic in a folder of 10,000 files.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut parsed = parse_all(sources, known, &ready);
    for (i, source) in sources.iter().enumerate() {
        let text = match &source.text {
            Ok(text) => text,
            Err(d) => {
                lib.diagnostics.push(d.clone());
                lib.files_with_errors += 1;
                continue;
            }
        };
        let result = match ready.get_mut(i).and_then(Option::take) {
            Some(deck) => Ok(deck),
            None => parsed[i]
                .take()
                .unwrap_or_else(|| parse_deck(text, &source.name, known)),
        };
        match result {
            Ok(deck) => {
                if let Some(&first) = seen.get(deck.id.as_str()) {
                    let pos = id_pos(text);
                    let (first_file, first_pos) = &origins[first];
                    lib.diagnostics.push(
                        Diagnostic::error(&source.name, text, Some(pos), format!("duplicate deck id `{}`", deck.id))
                            .width(deck.id.as_str().chars().count())
                            .note(first_file, Some(*first_pos), format!("`{}` is already the id of this deck", deck.id))
                            .help("deck ids must be unique across all loaded decks: rename one (progress is kept per deck id)"),
                    );
                    lib.files_with_errors += 1;
                } else {
                    origins.push((source.name.clone(), id_pos(text)));
                    seen.insert(deck.id.as_str().to_string(), lib.decks.len());
                    lib.decks.push(deck);
                }
            }
            Err(diags) => {
                lib.files_with_errors += 1;
                lib.diagnostics.extend(diags);
            }
        }
    }
    lib
}

/// Where the top-level `id:` value starts (for duplicate-deck diagnostics).
fn id_pos(text: &str) -> Pos {
    for (i, line) in super::diag::yaml_lines(text).enumerate() {
        if let Some(rest) = line.strip_prefix("id:") {
            let col = 4 + rest.len() - rest.trim_start().len();
            return Pos {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col).unwrap_or(u32::MAX),
            };
        }
    }
    Pos { line: 1, col: 1 }
}

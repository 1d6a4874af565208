//! The pure half of loading decks: deck sources (a name and a text, or why there is none) are compiled into
//! a [`Library`] of checked decks and diagnostics, in parallel, with deck ids unique across files. No file
//! system access: [`super::load`] reads the files, [`super::cache`] keeps compiled decks between runs.
use super::diag::Diagnostic;
use super::id::DeckId;
use super::model::Deck;
use super::par::par_map;
pub use super::source::{Source, decode};
use super::validate::{Checked, Known, Unread, check_deck_capped};
use super::yaml::Pos;

/// What compiling a set of sources produced.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub decks: Vec<Deck>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of deck files looked at.
    pub files: usize,
    /// Number of files with at least one error.
    pub files_with_errors: usize,
    /// The decks of files with errors, as far as they could be read: never loaded for study, but `check`
    /// warns about them and checks follow-ups into and out of them, so one run shows every problem.
    pub broken: Vec<Broken>,
}

/// A deck from a file with errors: the cards that validated, and which did not.
#[derive(Debug, Clone)]
pub struct Broken {
    pub deck: Deck,
    pub unread: Unread,
}

/// Compiles sources into decks, collecting every diagnostic; deck ids must be unique across all of them.
pub fn compile(sources: &[Source], known: &Known) -> Library {
    compile_with(sources.iter().map(Input::Source).collect(), known)
}

/// Like [`compile`], keeping at most `limit` diagnostics of one kind per file, with a count of the rest
/// ([`super::validate::check_deck_capped`]): what `check` prints without `--all`.
pub fn compile_capped(sources: &[Source], known: &Known, limit: usize) -> Library {
    compile_inputs(
        sources.iter().map(Input::Source).collect(),
        known,
        Some(limit),
    )
}

/// One deck file for [`compile_with`], in load order.
pub enum Input<'a> {
    /// A source to parse.
    Source(&'a Source),
    /// A deck the caller already has (the deck cache), with its source's name and where the source's
    /// `id:` value is. A duplicate-id diagnostic about it has no source line to show (its text may not
    /// have been read); `portquiz check` compiles every text and shows them.
    Ready {
        name: &'a str,
        deck: Deck,
        id_pos: Pos,
    },
}

/// Parses the sources that have text, spread over the cores; `None` for the others.
fn parse_all(inputs: &[Input], known: &Known, limit: Option<usize>) -> Vec<Option<Checked>> {
    par_map(inputs, |input| match input {
        Input::Source(source) => {
            let text = source.text.as_ref().ok()?;
            Some(check_deck_capped(text, &source.name, known, limit))
        }
        Input::Ready { .. } => None,
    })
}

/// Like [`compile`], over sources and decks the caller already has. Takes the ready decks by value: a
/// 10,000-card library is too large to copy on every start.
pub fn compile_with(inputs: Vec<Input>, known: &Known) -> Library {
    compile_inputs(inputs, known, None)
}

/// Like [`compile_with`], for loading decks to use (study, decks, cards): a file with errors is skipped and
/// counted, its problems are `check`'s to show, so one of each kind is kept (a hostile file's 100,000
/// problems are never all in memory).
pub fn compile_to_load(inputs: Vec<Input>, known: &Known) -> Library {
    compile_inputs(inputs, known, Some(1))
}

fn compile_inputs(inputs: Vec<Input>, known: &Known, limit: Option<usize>) -> Library {
    let mut lib = Library {
        files: inputs.len(),
        ..Library::default()
    };
    let mut origins: Vec<(String, Pos)> = Vec::new();
    // Deck id -> index in `lib.decks`: a linear search per deck is quadratic in a folder of 10,000 files.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut parsed = parse_all(&inputs, known, limit);
    let mut broken = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        // The deck, its source's name and text (empty when not read), and where its `id:` is.
        let (result, name, text, pos) = match input {
            Input::Source(source) => {
                let text = match &source.text {
                    Ok(text) => text.as_str(),
                    Err(d) => {
                        lib.diagnostics.push(d.clone());
                        lib.files_with_errors += 1;
                        continue;
                    }
                };
                let checked = parsed[i]
                    .take()
                    .unwrap_or_else(|| check_deck_capped(text, &source.name, known, limit));
                let result = match checked.deck {
                    Some(deck) if checked.diagnostics.is_empty() => Ok(deck),
                    deck => {
                        broken.extend(deck.map(|deck| {
                            (
                                Broken {
                                    deck,
                                    unread: checked.unread,
                                },
                                text,
                            )
                        }));
                        Err(checked.diagnostics)
                    }
                };
                (result, source.name.as_str(), text, None)
            }
            Input::Ready { name, deck, id_pos } => (Ok(deck), name, "", Some(id_pos)),
        };
        match result {
            Ok(deck) => {
                let pos = pos.unwrap_or_else(|| id_pos(text));
                if let Some(&first) = seen.get(deck.id.as_str()) {
                    let (first_file, first_pos) = &origins[first];
                    lib.diagnostics.push(duplicate_id(
                        (name, text, pos),
                        &deck.id,
                        (first_file, *first_pos),
                    ));
                    lib.files_with_errors += 1;
                } else {
                    origins.push((name.to_string(), pos));
                    seen.insert(deck.id.as_str().to_string(), lib.decks.len());
                    lib.decks.push(deck);
                }
            }
            Err(mut diags) => {
                lib.files_with_errors += 1;
                // Moved when it is the first file with problems: no second buffer the size of the first.
                if lib.diagnostics.is_empty() {
                    lib.diagnostics = diags;
                } else {
                    lib.diagnostics.append(&mut diags);
                }
            }
        }
    }
    // A deck with errors whose id another deck has: one more problem of its file, said now rather than
    // once its other problems are fixed. It is left out of the decks follow-ups look in (the id means the
    // other deck); a deck without errors is never dropped for a broken one's id.
    let mut broken_ids: std::collections::HashMap<String, (String, Pos)> =
        std::collections::HashMap::new();
    for (b, text) in broken {
        let pos = id_pos(text);
        let first = match seen.get(b.deck.id.as_str()) {
            Some(&first) => Some(origins[first].clone()),
            None => broken_ids.get(b.deck.id.as_str()).cloned(),
        };
        match first {
            Some((file, first_pos)) => lib.diagnostics.push(duplicate_id(
                (&b.deck.origin, text, pos),
                &b.deck.id,
                (&file, first_pos),
            )),
            None => {
                broken_ids.insert(b.deck.id.as_str().to_string(), (b.deck.origin.clone(), pos));
                lib.broken.push(b);
            }
        }
    }
    lib
}

/// The error about a deck whose id an earlier deck has: `at` (file, text, where its `id:` value is), the
/// id, and the first deck's file and `id:` position.
fn duplicate_id(at: (&str, &str, Pos), id: &DeckId, first: (&str, Pos)) -> Diagnostic {
    let (name, text, pos) = at;
    Diagnostic::error(name, text, Some(pos), "duplicate-deck-id", format!("duplicate deck id `{id}`"))
        .width(id.as_str().chars().count())
        .note(first.0, Some(first.1), format!("`{id}` is already the id of this deck"))
        .help("deck ids must be unique across all loaded decks: rename one (progress is kept per deck id)")
}

/// Where the top-level `id:` value starts (for duplicate-deck diagnostics).
pub fn id_pos(text: &str) -> Pos {
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

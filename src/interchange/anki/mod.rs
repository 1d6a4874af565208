//! Anki text files, both ways: [`export`] writes decks in Anki's text-import format, [`import`] reads an
//! Anki text export back into a portquiz deck YAML text. This file holds what both sides must agree on (the
//! GUID prefix and the marks on the back of a note). Pure: text in, text out; the commands do the file I/O.
mod export;
mod import;

pub use export::{Export, export, front_back};
pub use import::{Imported, LineError, Note, Parsed, parse, split_decks, to_deck_yaml};

/// Prefix of the GUID column portquiz writes, so a re-import keeps the card ids: `portquiz:DECK/CARD`.
const GUID_PREFIX: &str = "portquiz:";

/// Where the answer ends on the back of an exported note and the explanation starts (a rule in Anki).
const EXPLAIN_MARK: &str = "<hr id=explain>";
/// Where the hint starts on the back of an exported note.
const HINT_MARK: &str = "<hr id=hint>Hint: ";

/// Cards and decks the tests of both sides build.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod fixtures {
    use crate::deck::{Card, CardId, CardKind, Deck, DeckId};

    pub(super) fn deck_id(text: &str) -> DeckId {
        DeckId::new(text).unwrap()
    }

    pub(super) fn flash(id: &str, prompt: &str, back: &str, tags: &[&str]) -> Card {
        Card {
            id: CardId::new(id).unwrap(),
            prompt: prompt.into(),
            kind: CardKind::Flashcard { back: back.into() },
            explain: None,
            hint: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            line: 1,
            follow_up: vec![],
            demo: None,
        }
    }

    pub(super) fn deck(cards: Vec<Card>) -> Deck {
        Deck {
            id: deck_id("ports"),
            title: "Ports".into(),
            description: None,
            tags: vec![],
            origin: "test".into(),
            cards,
        }
    }
}

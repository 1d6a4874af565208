//! Typed identities: [`DeckId`], [`CardId`] and [`CardRef`] (a card across decks), the one id rule they are
//! validated by, and [`slug`] (ids derived from names); [`CardType`], the one list of card types with the
//! keys each takes, is named here too and defined with the card kinds in [`super::kinds`]. Pure: the
//! validator, the JSON Schema, the starter deck, Anki import and the store all take their rules from
//! here, so no copy of them can drift.
//!
//! The id rule: kebab-case ASCII (`a-z`, `0-9`, single dashes, no dash at either end), 1 to
//! [`MAX_ID_LEN`] characters. A deck id is one such segment. A card id is one segment when the author
//! wrote it, and three `/`-joined segments (`table/row/column`) when a table cell made it; no other shape
//! is a card id, so `a/b` or `a//b` is refused.
use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The longest id segment, in characters.
pub const MAX_ID_LEN: usize = 64;

/// The id rule as a regular expression (with [`MAX_ID_LEN`] as a separate length limit), for the JSON
/// Schema editors use. `id_pattern_matches_the_rule` below keeps it equal to [`is_id`].
pub const ID_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Why a text is not an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdProblem {
    /// Nothing at all (or an empty segment between slashes).
    Empty,
    /// A segment longer than [`MAX_ID_LEN`].
    TooLong,
    /// A character other than `a-z`, `0-9` and `-`.
    BadChar(char),
    /// A dash at the start or end of a segment.
    EdgeDash,
    /// Two dashes in a row.
    DoubleDash,
    /// A card id with a number of `/`-separated parts other than 1 or 3.
    Shape,
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Empty => write!(f, "it is empty"),
            IdProblem::TooLong => write!(f, "it is longer than {MAX_ID_LEN} characters"),
            IdProblem::BadChar(c) => write!(f, "it contains {c:?}"),
            IdProblem::EdgeDash => write!(f, "it starts or ends with a dash"),
            IdProblem::DoubleDash => write!(f, "it contains two dashes in a row"),
            IdProblem::Shape => write!(
                f,
                "it is neither one id nor a table cell's `table/row/column`"
            ),
        }
    }
}

/// A text that is not a valid id, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "bad id `{text}`: {problem}; ids are kebab-case (a-z, 0-9 and single dashes), at most {MAX_ID_LEN} characters"
)]
pub struct IdError {
    /// The refused text.
    pub text: String,
    /// What is wrong with it.
    pub problem: IdProblem,
}

/// Checks one segment against the id rule.
fn check_segment(segment: &str) -> Result<(), IdProblem> {
    if segment.is_empty() {
        return Err(IdProblem::Empty);
    }
    if let Some(c) = segment
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(IdProblem::BadChar(c));
    }
    if segment.len() > MAX_ID_LEN {
        return Err(IdProblem::TooLong);
    }
    if segment.starts_with('-') || segment.ends_with('-') {
        return Err(IdProblem::EdgeDash);
    }
    if segment.contains("--") {
        return Err(IdProblem::DoubleDash);
    }
    Ok(())
}

/// Whether `text` satisfies the id rule (one segment): the check behind [`DeckId`] and written card ids.
pub fn is_id(text: &str) -> bool {
    check_segment(text).is_ok()
}

/// `text` back when it satisfies the id rule (one segment; a `/` is a bad character here), else why not.
/// Table and row ids are checked with this; [`DeckId::new`] and [`CardId::written`] wrap it.
pub fn check_id(text: impl Into<String>) -> Result<String, IdError> {
    let text = text.into();
    match check_segment(&text) {
        Ok(()) => Ok(text),
        Err(problem) => Err(IdError { text, problem }),
    }
}

/// Kebab-case version of any text, for ids derived from names and for suggestions. The result satisfies
/// the id rule, or is empty when `text` has no ASCII letter or digit.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    out.truncate(MAX_ID_LEN);
    out.trim_end_matches('-').to_string()
}

/// What both id types share: the checked string, its accessors and conversions.
macro_rules! id_type {
    ($name:ident) => {
        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                $name::new(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                $name::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

/// A deck id: one segment under the id rule. Progress is kept per deck id + card id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeckId(String);

impl DeckId {
    /// Checks `text` against the id rule.
    pub fn new(text: impl Into<String>) -> Result<DeckId, IdError> {
        check_id(text).map(DeckId)
    }
}

id_type!(DeckId);

/// A card id within a deck: one segment (written by the deck's author) or `table/row/column` (three
/// segments, made from a table cell). Each segment obeys the id rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardId(String);

impl CardId {
    /// Checks `text`: one segment, or three `/`-joined ones.
    pub fn new(text: impl Into<String>) -> Result<CardId, IdError> {
        let text = text.into();
        let segments: Vec<&str> = text.split('/').collect();
        let problem = if segments.len() == 1 || segments.len() == 3 {
            segments.iter().try_for_each(|s| check_segment(s))
        } else {
            Err(IdProblem::Shape)
        };
        match problem {
            Ok(()) => Ok(CardId(text)),
            Err(problem) => Err(IdError { text, problem }),
        }
    }

    /// A card id as an author writes it: one segment (a `/` is refused as a bad character).
    pub fn written(text: impl Into<String>) -> Result<CardId, IdError> {
        check_id(text).map(CardId)
    }

    /// The id of a table cell's card: `table/row/column`, each part checked by the id rule.
    pub fn cell(table: &str, row: &str, column: &str) -> Result<CardId, IdError> {
        CardId::new(format!("{table}/{row}/{column}"))
    }

    /// Whether this id came from a table cell (`table/row/column`).
    pub fn is_cell(&self) -> bool {
        self.0.contains('/')
    }
}

id_type!(CardId);

/// One card across decks: the deck's id and the card's id within it. Displayed as `deck/card`. Built once
/// from a loaded deck (or a stored row) and passed by reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CardRef {
    /// The deck.
    pub deck: DeckId,
    /// The card within it.
    pub card: CardId,
}

impl CardRef {
    /// A reference from checked ids.
    pub fn new(deck: DeckId, card: CardId) -> CardRef {
        CardRef { deck, card }
    }

    /// A reference from texts (e.g. a stored row), each checked by the id rule.
    pub fn parse(deck: &str, card: &str) -> Result<CardRef, IdError> {
        Ok(CardRef {
            deck: DeckId::new(deck)?,
            card: CardId::new(card)?,
        })
    }
}

impl fmt::Display for CardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.deck, self.card)
    }
}

pub use super::kinds::CardType;

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_deck(text: &str) -> String {
        match DeckId::new(text) {
            Ok(id) => format!("accepted {id}"),
            Err(e) => e.to_string(),
        }
    }

    fn refused_card(text: &str) -> String {
        match CardId::new(text) {
            Ok(id) => format!("accepted {id}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn deck_ids_follow_the_one_rule() {
        assert_eq!(refused_deck("my-deck-2"), "accepted my-deck-2");
        let tail = "; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters";
        assert_eq!(refused_deck(""), format!("bad id ``: it is empty{tail}"));
        assert_eq!(
            refused_deck("My Deck"),
            format!("bad id `My Deck`: it contains 'M'{tail}")
        );
        assert_eq!(
            refused_deck("-x"),
            format!("bad id `-x`: it starts or ends with a dash{tail}")
        );
        assert_eq!(
            refused_deck("a--b"),
            format!("bad id `a--b`: it contains two dashes in a row{tail}")
        );
        let long = "a".repeat(65);
        assert_eq!(
            refused_deck(&long),
            format!("bad id `{long}`: it is longer than 64 characters{tail}")
        );
        assert_eq!(
            refused_deck(&"a".repeat(64)),
            format!("accepted {}", "a".repeat(64))
        );
        assert_eq!(
            refused_deck("t/r/c"),
            format!("bad id `t/r/c`: it contains '/'{tail}")
        );
    }

    #[test]
    fn card_ids_are_one_segment_or_a_table_cell() {
        assert_eq!(refused_card("ssh"), "accepted ssh");
        assert_eq!(
            refused_card("tcp-vs-udp/connection/tcp"),
            "accepted tcp-vs-udp/connection/tcp"
        );
        let tail = "; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters";
        assert_eq!(
            refused_card("a/b"),
            format!(
                "bad id `a/b`: it is neither one id nor a table cell's `table/row/column`{tail}"
            )
        );
        assert_eq!(
            CardId::written("t/r/c").map_err(|e| e.problem),
            Err(IdProblem::BadChar('/'))
        );
        assert_eq!(
            refused_card("t//c"),
            format!("bad id `t//c`: it is empty{tail}")
        );
        assert_eq!(
            refused_card("t/R/c"),
            format!("bad id `t/R/c`: it contains 'R'{tail}")
        );
        assert_eq!(
            CardId::cell("t", "row", "col").map(|c| c.is_cell()),
            Ok(true)
        );
        assert_eq!(
            CardId::cell("t", "row", "").map_err(|e| e.problem),
            Err(IdProblem::Empty)
        );
    }

    #[test]
    fn ids_parse_serialise_and_borrow_as_text() {
        let card: CardRef = serde_json::from_str(r#"{"deck":"net","card":"t/r/c"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(card.to_string(), "net/t/r/c");
        assert_eq!(
            serde_json::to_string(&card).unwrap_or_default(),
            r#"{"deck":"net","card":"t/r/c"}"#
        );
        let bad = serde_json::from_str::<DeckId>(r#""Net""#).map_err(|e| e.to_string());
        assert_eq!(
            bad,
            Err("bad id `Net`: it contains 'N'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters".to_string())
        );
        let id: DeckId = "net".parse().unwrap_or_else(|e| panic!("{e}"));
        let set: std::collections::HashSet<DeckId> = [id].into();
        assert!(set.contains("net"));
    }

    #[test]
    fn id_pattern_matches_the_rule() {
        let pattern = regex::Regex::new(ID_PATTERN).unwrap_or_else(|e| panic!("{e}"));
        let samples = [
            "a", "a-b", "a1-2b", "443", "", "-a", "a-", "a--b", "A", "a_b", "a b", "a/b", "é",
            "a-b-c",
        ];
        for text in samples {
            assert_eq!(pattern.is_match(text), is_id(text), "{text:?}");
        }
    }

    #[test]
    fn slugs_satisfy_the_rule_or_are_empty() {
        assert_eq!(slug("  TCP vs. UDP!  "), "tcp-vs-udp");
        assert_eq!(slug("???"), "");
        // Cut at 64 characters, then the dash the cut left at the end is dropped.
        let long = slug(&"abc ".repeat(30));
        assert!(is_id(&long), "{long}");
        assert_eq!(long.len(), 63);
    }
}

//! The checked deck model: what the rest of portquiz sees after validation. Every value here is valid:
//! ids are kebab-case, choice answers are among the options, experiments exist.
use serde::{Deserialize, Serialize};

pub use super::answer::fold;
use super::answer::{self, Judgement};
use super::id::{CardId, CardRef, CardType, DeckId};
pub use super::kinds::{CardKind, ChoiceOption, LabParams};

/// The newest deck format this portquiz understands.
pub const FORMAT_VERSION: i64 = 1;

/// A validated deck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deck {
    pub id: DeckId,
    pub title: String,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Where the deck came from: `builtin:<file>` or the file path as given.
    pub origin: String,
    /// Cards in file order, then the cards expanded from tables.
    pub cards: Vec<Card>,
}

impl Deck {
    /// The identity of one of this deck's cards across decks.
    pub fn card_ref(&self, card: &Card) -> CardRef {
        CardRef::new(self.id.clone(), card.id.clone())
    }
}

/// A deck without its cards' answers, options and explanations: what the commands that count, list or
/// schedule cards need (`decks`, `cards`, `stats`, `simulate`, `suspend`). The deck cache keeps it beside
/// each deck, so those commands decode neither the texts they never show nor their allocations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeckHead {
    pub id: DeckId,
    pub title: String,
    /// Where the deck came from, as [`Deck::origin`].
    pub origin: String,
    pub cards: Vec<CardHead>,
}

/// A card of a [`DeckHead`]: its id, type and prompt (`stats` names cards by their prompt).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardHead {
    pub id: CardId,
    pub card_type: CardType,
    pub prompt: String,
}

impl DeckHead {
    /// The identity of one of this deck's cards across decks.
    pub fn card_ref(&self, card: &CardHead) -> CardRef {
        CardRef::new(self.id.clone(), card.id.clone())
    }
}

impl Deck {
    /// The deck without its cards' answers, options and explanations.
    pub fn head(&self) -> DeckHead {
        DeckHead {
            id: self.id.clone(),
            title: self.title.clone(),
            origin: self.origin.clone(),
            cards: self
                .cards
                .iter()
                .map(|c| CardHead {
                    id: c.id.clone(),
                    card_type: c.kind.card_type(),
                    prompt: c.prompt.clone(),
                })
                .collect(),
        }
    }
}

/// What joining cards with their stored states needs of a deck, whole or head only.
pub trait Cards {
    /// The deck's card type ([`Card`] or [`CardHead`]).
    type Card;
    fn deck_id(&self) -> &DeckId;
    /// Where the deck came from (`builtin:<file>` or the path as given).
    fn origin(&self) -> &str;
    fn cards(&self) -> &[Self::Card];
    fn card_id(card: &Self::Card) -> &CardId;
}

impl Cards for Deck {
    type Card = Card;
    fn deck_id(&self) -> &DeckId {
        &self.id
    }
    fn origin(&self) -> &str {
        &self.origin
    }
    fn cards(&self) -> &[Card] {
        &self.cards
    }
    fn card_id(card: &Card) -> &CardId {
        &card.id
    }
}

impl Cards for DeckHead {
    type Card = CardHead;
    fn deck_id(&self) -> &DeckId {
        &self.id
    }
    fn origin(&self) -> &str {
        &self.origin
    }
    fn cards(&self) -> &[CardHead] {
        &self.cards
    }
    fn card_id(card: &CardHead) -> &CardId {
        &card.id
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Stable id within the deck; progress is keyed by deck id + card id. Table cells: `table/row/column`.
    pub id: CardId,
    /// The question; for practical cards, the deck's override or empty (then the experiment's question is used).
    pub prompt: String,
    pub kind: CardKind,
    pub explain: Option<String>,
    pub hint: Option<String>,
    /// The card's own tags followed by the deck's.
    pub tags: Vec<String>,
    /// Line in the deck file where the card (or table row) starts.
    pub line: u32,
    /// Cards an interviewer asks next after a good answer (`follow_up:`), in the order written. Within the
    /// deck they exist and form no loop (checked here); in other decks `portquiz check` checks them.
    #[serde(default)]
    pub follow_up: Vec<CardRef>,
    /// An experiment that shows this card's point happening (`demo:`): after the answer the candidate can
    /// ask to see it run live, ungraded.
    #[serde(default)]
    pub demo: Option<String>,
}

impl Card {
    /// How a typed answer is judged: `None` for cards of other types.
    pub fn typed_judgement(&self, input: &str) -> Option<Judgement> {
        let CardKind::Typed {
            accept,
            keywords,
            exact,
            ordered,
            answer,
        } = &self.kind
        else {
            return None;
        };
        let rules = answer::Typed {
            prompt: &self.prompt,
            accept,
            keywords,
            exact: *exact,
            ordered: *ordered,
            model: answer.as_deref(),
        };
        Some(rules.judge(input))
    }

    /// Whether a typed answer is right: it says the same as an accepted answer, or (when keywords are given)
    /// contains every keyword group (in order, when the card is `ordered`). See [`super::answer`].
    pub fn typed_is_right(&self, input: &str) -> bool {
        self.typed_judgement(input).is_some_and(|j| j.is_right())
    }

    /// The keyword groups a typed answer lacks, each written as its alternatives joined by ` / `.
    pub fn typed_missing(&self, input: &str) -> Vec<String> {
        let (Some(judgement), CardKind::Typed { keywords, .. }) =
            (self.typed_judgement(input), &self.kind)
        else {
            return Vec::new();
        };
        judgement
            .missing
            .iter()
            .filter_map(|&g| keywords.get(g))
            .map(|group| group.join(" / "))
            .collect()
    }

    /// For an explanation card (a typed card judged by key ideas, with no exact answers to accept): its key
    /// ideas. The session does not pretend to judge meaning there: the candidate grades themself, with the
    /// ideas named or missed as a guide. `None` for every other card.
    pub fn explanation_ideas(&self) -> Option<&[Vec<String>]> {
        let CardKind::Typed {
            accept, keywords, ..
        } = &self.kind
        else {
            return None;
        };
        (accept.is_empty() && !keywords.is_empty()).then_some(keywords.as_slice())
    }

    /// The question to show: the card's prompt, or for a practical card without one, its experiment's
    /// `fallback`.
    pub fn question<'a>(&'a self, fallback: &'a str) -> &'a str {
        if self.prompt.is_empty() {
            fallback
        } else {
            &self.prompt
        }
    }

    /// The model answer shown after an answer (see [`CardKind::model_answer`]).
    pub fn model_answer(&self) -> Option<&str> {
        self.kind.model_answer()
    }

    /// The right answer in words, as a debrief says it (see [`CardKind::right_answer`]).
    pub fn right_answer(&self) -> String {
        self.kind.right_answer()
    }

    /// For choice cards: whether the picked option indices are exactly the right ones.
    pub fn choice_is_right(&self, picks: &[usize]) -> bool {
        let CardKind::Choice { answers, .. } = &self.kind else {
            return false;
        };
        let mut picks = picks.to_vec();
        picks.sort_unstable();
        picks.dedup();
        let mut answers = answers.clone();
        answers.sort_unstable();
        picks == answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(accept: &[&str], keywords: &[&[&str]]) -> Card {
        Card {
            id: CardId::written("t").unwrap_or_else(|e| panic!("{e}")),
            prompt: "p".into(),
            kind: CardKind::Typed {
                accept: accept.iter().map(|s| s.to_string()).collect(),
                keywords: keywords
                    .iter()
                    .map(|g| g.iter().map(|s| s.to_string()).collect())
                    .collect(),
                answer: None,
                exact: false,
                ordered: false,
            },
            explain: None,
            hint: None,
            tags: vec![],
            line: 1,
            follow_up: vec![],
            demo: None,
        }
    }

    #[test]
    fn typed_accept_folds_case_and_space() {
        let card = typed(&["Port 443"], &[]);
        assert!(card.typed_is_right("  port   443 "));
        assert!(card.typed_is_right("443 port"));
        assert!(!card.typed_is_right("port 4430"));
        assert!(!card.typed_is_right(""));
    }

    #[test]
    fn typed_keywords_need_every_group_at_word_starts() {
        let card = typed(&[], &[&["ip", "address"], &["port"], &["protocol"]]);
        assert!(card.typed_is_right("An endpoint: IP address, port and protocol"));
        assert!(card.typed_is_right("address + ports + protocols"));
        assert!(!card.typed_is_right("an endpoint with a port and a protocol"));
        assert!(!card.typed_is_right("zip support protocol"));
    }

    /// The card's switches reach the matcher: `exact` keeps the fold-only comparison, `ordered` the order, and
    /// the missing groups are named by their alternatives.
    #[test]
    fn typed_switches_reach_the_matcher() {
        let mut card = typed(&["16-bit"], &[&["syn"], &["syn-ack", "synack"], &["ack"]]);
        assert!(card.typed_is_right("16 bits"));
        assert!(card.typed_is_right("ACK, SYN-ACK, SYN"));
        if let CardKind::Typed { exact, ordered, .. } = &mut card.kind {
            (*exact, *ordered) = (true, true);
        }
        assert!(!card.typed_is_right("16 bits"));
        assert!(card.typed_is_right("16-BIT"));
        assert!(!card.typed_is_right("ACK, SYN-ACK, SYN"));
        assert_eq!(
            card.typed_missing("ACK, SYN-ACK, SYN"),
            ["syn-ack / synack"]
        );
        assert!(card.typed_is_right("SYN, SYN-ACK, ACK"));
    }
}

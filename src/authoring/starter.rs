//! The starter deck `portquiz new` writes: one commented example of every card type (one per
//! [`CardType`], written with the type in [`crate::deck::kinds`], so a new type cannot be left out) and a table, valid as written. Pure text; the command
//! decides where it goes.
use crate::deck::{CardType, DeckId};

/// The starter deck text for deck `id`.
pub fn starter_deck(id: &DeckId) -> String {
    let mut text = HEADER.replace("{ID}", id.as_str());
    for card_type in CardType::ALL {
        text.push_str(card_type.starter_example());
        text.push('\n');
    }
    text.push_str(TABLES);
    text
}

const HEADER: &str = r#"# yaml-language-server: $schema=deck.schema.json
# A portquiz deck. `portquiz check THIS-FILE` reports every problem with its line; `portquiz schema`
# prints the JSON Schema editors use to complete keys. Card ids are how progress is kept: rename a
# card's text freely, but keep its id.
format: 1
id: {ID}
title: My new deck
description: What this deck is for, in one line.
tags: [starter]

cards:
"#;

const TABLES: &str = r#"# tables: text cells become choice cards (the other cells of their row are the distractors), a row of
# true/false values one statement. Rows compare the columns on one aspect; see decks/README.md for `question:`.
tables:
  - id: tcp-vs-udp
    title: TCP vs UDP
    columns: [TCP, UDP]
    rows:
      - aspect: Connection
        values: [Connection-oriented, Connectionless]
      - aspect: Delivery guaranteed
        values: [true, false]
"#;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::deck::{Known, parse_deck};

    #[test]
    fn starter_deck_passes_check_with_every_card_type() {
        let known = Known {
            experiments: crate::practical::experiment_ids(),
            labs: crate::practical::lab_ids(),
        };
        let id = DeckId::new("my-deck").unwrap();
        let text = starter_deck(&id);
        let deck = parse_deck(&text, "my-deck.yaml", &known)
            .map_err(|d| d.iter().map(|d| d.render()).collect::<String>())
            .unwrap();
        assert_eq!(deck.id, id);
        let mut kinds: Vec<&str> = deck.cards.iter().map(|c| c.kind.name()).collect();
        kinds.dedup();
        let mut expected = CardType::names().to_vec();
        // The table's text row adds choice cards, its yes/no row true/false statements.
        expected.extend(["choice", "truefalse"]);
        assert_eq!(kinds, expected);
        assert!(
            deck.cards
                .iter()
                .any(|c| c.id.is_cell() && c.id.as_str().starts_with("tcp-vs-udp/"))
        );
    }
}

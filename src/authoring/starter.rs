//! The starter deck `portquiz new` writes: one commented example of every card type (one per
//! [`CardType`], so a new type cannot be left out) and a table, valid as written. Pure text; the command
//! decides where it goes.
use crate::deck::{CardType, DeckId};

/// The starter deck text for deck `id`.
pub fn starter_deck(id: &DeckId) -> String {
    let mut text = HEADER.replace("{ID}", id.as_str());
    for card_type in CardType::ALL {
        text.push_str(example(card_type));
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

/// The commented example card(s) of each type.
fn example(card_type: CardType) -> &'static str {
    match card_type {
        CardType::Flashcard => {
            r#"  # flashcard: the candidate answers in their head, sees `answer` and grades themself.
  - id: what-is-a-port
    type: flashcard
    prompt: What is a port?
    answer: A 16-bit number that tells the operating system which socket gets the data.
    explain: The IP address picks the machine; the port picks the socket on it.
    hint: Think of the machine as a building.
"#
        }
        CardType::Choice => {
            r#"  # choice: options are plain strings or {text, why}; `why` is shown when that option is picked wrongly.
  # `answer` names the right option (a list when several are right).
  - id: port-range
    type: choice
    prompt: Which range can a TCP or UDP port number take?
    options:
      - "0-65535"
      - text: "1-1024"
        why: That is roughly the privileged range, not the whole 16-bit space.
      - "0-32767"
    answer: "0-65535"
    explain: Port numbers are 16 bits wide.
"#
        }
        CardType::TrueFalse => {
            r#"  # truefalse: a statement that is true or false.
  - id: port-includes-ip
    type: truefalse
    prompt: A port number includes the machine's IP address.
    answer: false
    explain: The IP address is separate; a socket address combines them.
"#
        }
        CardType::Typed => {
            r#"  # typed with accept: right when the answer equals one of these (case and spacing ignored).
  - id: https-port
    type: typed
    prompt: Which port does HTTPS use by default?
    accept: ["443", "port 443"]
    explain: HTTPS listens on TCP 443 unless told otherwise; HTTP on 80.

  # typed with keywords: right when every group has a word the answer contains ([a, b] means a or b).
  - id: socket-one-liner
    type: typed
    prompt: In one line, what identifies a socket?
    keywords: [[ip, address], port, protocol]
    answer: Its IP address, port and protocol.
    explain: An address alone names a host; the port and protocol pick the endpoint on it.
"#
        }
        CardType::Practical => {
            r#"  # practical: portquiz runs a live socket experiment on loopback; the candidate predicts what the OS
  # does (`portquiz experiments` lists them). The experiment supplies the question and options.
  - id: tcp-and-udp-share-a-port
    type: practical
    experiment: tcp-udp-same-port
"#
        }
        CardType::Lab => {
            r#"  # lab: the candidate does something with real tools and portquiz checks it live.
  - id: start-a-listener
    type: lab
    experiment: lab-start-listener
"#
        }
    }
}

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

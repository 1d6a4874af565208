//! Follow-ups (`follow_up: [ids]`): the cards an interviewer asks next after a good answer. Within one deck
//! they must name cards of the deck and form no loop (checked while the deck is validated, located at the
//! id); a follow-up in another deck (`deck/card`) is checked by [`across`] once every deck is compiled:
//! its deck must be loaded, its card must exist, and no loop may run through several decks.
use std::collections::{BTreeMap, HashMap};

use super::cx::{Cx, Follow};
use super::fields::Fields;
use crate::deck::diag::{Diagnostic, Lines, suggest};
use crate::deck::id::{CardId, CardRef, DeckId, IdError};
use crate::deck::model::{Card, Deck};
use crate::deck::source::Source;
use crate::deck::yaml::Pos;

/// Reads a follow-up as written: `card` (or a table cell's `table/row/column`) in the same deck, or
/// `deck/card` (`deck/table/row/column`) in another.
pub fn parse_follow_up(text: &str, own: &DeckId) -> Result<CardRef, IdError> {
    let parts = text.split('/').count();
    match (parts, text.split_once('/')) {
        (2 | 4, Some((deck, card))) => Ok(CardRef::new(DeckId::new(deck)?, CardId::new(card)?)),
        _ => Ok(CardRef::new(own.clone(), CardId::new(text)?)),
    }
}

impl Cx<'_> {
    /// The card's `follow_up` list, each id checked by the id rule; remembered for [`Cx::check_follows`].
    pub(super) fn follow_up(&mut self, fields: &Fields, from: Option<&CardId>) -> Vec<CardRef> {
        let Some(node) = fields.get("follow_up") else {
            return Vec::new();
        };
        let Some(list) = self.text_list(node, "follow_up") else {
            return Vec::new();
        };
        let items: Vec<Pos> = match &node.value {
            crate::deck::yaml::Value::Seq(items) => items.iter().map(|n| n.pos).collect(),
            _ => Vec::new(),
        };
        let Some(own) = self.deck_id.clone() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (text, pos) in list.iter().zip(items) {
            match parse_follow_up(text, &own) {
                Ok(to) => {
                    if let Some(from) = from {
                        self.follows.push(Follow {
                            from: from.clone(),
                            to: to.clone(),
                            pos,
                            width: text.chars().count(),
                        });
                    }
                    out.push(to);
                }
                Err(err) => {
                    let d = self
                        .error(Some(pos), format!("bad follow-up `{text}`: {}", err.problem))
                        .width(text.chars().count())
                        .help("name a card of this deck (`card-id`) or of another deck (`deck-id/card-id`)");
                    self.push(d);
                }
            }
        }
        out
    }

    /// Follow-ups within this deck: each names one of its cards, and none leads back to where it started.
    pub(super) fn check_follows(&mut self, cards: &[Card]) {
        let Some(own) = self.deck_id.clone() else {
            return;
        };
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        let follows = std::mem::take(&mut self.follows);
        let mut edges: BTreeMap<CardRef, Vec<CardRef>> = BTreeMap::new();
        let mut at: HashMap<(CardRef, CardRef), (Pos, usize)> = HashMap::new();
        for f in follows.iter().filter(|f| f.to.deck == own) {
            let card = f.to.card.as_str();
            if !ids.contains(&card) {
                let mut d = self
                    .error(
                        Some(f.pos),
                        format!("unknown follow-up `{card}`: this deck has no card `{card}`"),
                    )
                    .width(f.width);
                d = match suggest(card, &ids) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(
                        "name a card of this deck, or `deck-id/card-id` for a card of another deck",
                    ),
                };
                self.push(d);
                continue;
            }
            let from = CardRef::new(own.clone(), f.from.clone());
            edges.entry(from.clone()).or_default().push(f.to.clone());
            at.entry((from, f.to.clone())).or_insert((f.pos, f.width));
        }
        for cycle in cycles(&edges) {
            let closing = (
                cycle[cycle.len() - 2].clone(),
                cycle[cycle.len() - 1].clone(),
            );
            let (pos, width) = at
                .get(&closing)
                .copied()
                .unwrap_or((Pos { line: 1, col: 1 }, 1));
            let d = self
                .error(
                    Some(pos),
                    format!("follow-ups form a loop: {}", path(&cycle, Some(&own))),
                )
                .width(width)
                .help("a follow-up goes one level deeper: remove the one that leads back");
            self.push(d);
        }
    }
}

/// `a -> b -> a`, ids of `own` without their deck.
fn path(cycle: &[CardRef], own: Option<&DeckId>) -> String {
    cycle
        .iter()
        .map(|r| {
            if Some(&r.deck) == own {
                r.card.to_string()
            } else {
                r.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// Every loop in the graph, once each, as the path from its first card back to it (`[a, b, a]`). Walks
/// without recursion, so a long chain cannot overflow the stack.
fn cycles(edges: &BTreeMap<CardRef, Vec<CardRef>>) -> Vec<Vec<CardRef>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut mark: HashMap<&CardRef, Mark> = HashMap::new();
    let mut found = Vec::new();
    for start in edges.keys() {
        if mark.contains_key(start) {
            continue;
        }
        let mut stack: Vec<(&CardRef, usize)> = vec![(start, 0)];
        mark.insert(start, Mark::Open);
        while let Some((node, next)) = stack.last_mut() {
            let node: &CardRef = node;
            let outs = edges.get(node).map_or(&[][..], Vec::as_slice);
            let Some(to) = outs.get(*next) else {
                mark.insert(node, Mark::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            match mark.get(to) {
                None => {
                    mark.insert(to, Mark::Open);
                    stack.push((to, 0));
                }
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let mut cycle: Vec<CardRef> =
                        stack[from..].iter().map(|(n, _)| (*n).clone()).collect();
                    cycle.push(to.clone());
                    found.push(cycle);
                }
                Some(Mark::Done) => {}
            }
        }
    }
    found
}

/// Follow-ups that leave their deck, checked over every compiled deck: the other deck must be loaded and
/// have the card, and no loop may run through several decks. `sources` give the lines for the excerpts.
pub fn across(decks: &[Deck], sources: &[Source]) -> Vec<Diagnostic> {
    let by_id: HashMap<&DeckId, &Deck> = decks.iter().map(|d| (&d.id, d)).collect();
    let by_name: HashMap<&str, &str> = sources
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.text.as_deref().ok()?)))
        .collect();
    // Indexed only for the decks a diagnostic is about, once each.
    let mut indexed: HashMap<String, Lines> = HashMap::new();
    let mut text_of = |deck: &Deck| {
        indexed
            .entry(deck.origin.clone())
            .or_insert_with(|| Lines::new(by_name.get(deck.origin.as_str()).copied().unwrap_or("")))
            .clone()
    };
    let mut diags = Vec::new();
    let mut edges: BTreeMap<CardRef, Vec<CardRef>> = BTreeMap::new();
    for deck in decks {
        for card in &deck.cards {
            let from = deck.card_ref(card);
            for to in &card.follow_up {
                edges.entry(from.clone()).or_default().push(to.clone());
                if to.deck == deck.id {
                    continue;
                }
                let written = to.to_string();
                let (message, help) = match by_id.get(&to.deck) {
                    None => (
                        format!(
                            "follow-up `{written}` is in deck `{}`, which is not loaded",
                            to.deck
                        ),
                        format!(
                            "check this file together with the one whose id is `{}`, or remove the follow-up",
                            to.deck
                        ),
                    ),
                    Some(other) if !other.cards.iter().any(|c| c.id == to.card) => (
                        format!(
                            "unknown follow-up `{written}`: deck `{}` has no card `{}`",
                            to.deck, to.card
                        ),
                        format!("`portquiz cards --deck {}` lists its cards", to.deck),
                    ),
                    Some(_) => continue,
                };
                let text = text_of(deck);
                let pos = locate(&text, card.line, &written);
                diags.push(
                    Diagnostic::error(&deck.origin, &text, pos, message)
                        .width(written.chars().count())
                        .help(help),
                );
            }
        }
    }
    for cycle in cycles(&edges) {
        // Loops within one deck were reported while the deck was validated.
        if cycle.iter().all(|r| r.deck == cycle[0].deck) {
            continue;
        }
        let closing = &cycle[cycle.len() - 2];
        let Some(deck) = by_id.get(&closing.deck) else {
            continue;
        };
        let text = text_of(deck);
        let written = cycle[cycle.len() - 1].to_string();
        let line = deck
            .cards
            .iter()
            .find(|c| c.id == closing.card)
            .map_or(1, |c| c.line);
        diags.push(
            Diagnostic::error(
                &deck.origin,
                &text,
                locate(&text, line, &written),
                format!("follow-ups form a loop: {}", path(&cycle, None)),
            )
            .width(written.chars().count())
            .help("a follow-up goes one level deeper: remove the one that leads back"),
        );
    }
    diags
}

/// Where `written` appears at or after line `from` (the card's first line) in `lines`.
fn locate(lines: &Lines, from: u32, written: &str) -> Option<Pos> {
    let skip = from.saturating_sub(1) as usize;
    lines
        .from(skip)
        .find_map(|(i, line)| {
            line.find(written).map(|byte| Pos {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(line[..byte].chars().count() + 1).unwrap_or(u32::MAX),
            })
        })
        .or(Some(Pos {
            line: from.max(1),
            col: 1,
        }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check_cards;
    use super::*;
    use crate::deck::validate::{Known, parse_deck};

    fn card(id: &str, follow: &str) -> String {
        format!(
            "  - id: {id}\n    type: flashcard\n    prompt: P\n    answer: A\n    follow_up: {follow}\n"
        )
    }

    #[test]
    fn a_follow_up_must_name_a_card_of_the_deck() {
        assert_eq!(
            check_cards(
                &format!(
                    "{}{}",
                    card("socket", "[tuple, acept]"),
                    card("tuple", "[]")
                )
                .replace("acept", "acept-queue")
            ),
            "d.yaml:9:24: error: unknown follow-up `acept-queue`: this deck has no card `acept-queue`\n  |\n9 |     follow_up: [tuple, acept-queue]\n  |                        ^^^^^^^^^^^\nhelp: name a card of this deck, or `deck-id/card-id` for a card of another deck\n"
        );
        assert_eq!(
            check_cards(&format!(
                "{}{}",
                card("socket", "[tupel]"),
                card("tuple", "[]")
            )),
            "d.yaml:9:17: error: unknown follow-up `tupel`: this deck has no card `tupel`\n  |\n9 |     follow_up: [tupel]\n  |                 ^^^^^\nhelp: did you mean `tuple`?\n"
        );
    }

    #[test]
    fn follow_ups_may_not_loop() {
        assert_eq!(
            check_cards(&format!(
                "{}{}{}",
                card("a", "[b]"),
                card("b", "[c]"),
                card("c", "[a]")
            )),
            "d.yaml:19:17: error: follow-ups form a loop: a -> b -> c -> a\n   |\n19 |     follow_up: [a]\n   |                 ^\nhelp: a follow-up goes one level deeper: remove the one that leads back\n"
        );
        assert_eq!(
            check_cards(&card("a", "[a]")),
            "d.yaml:9:17: error: follow-ups form a loop: a -> a\n  |\n9 |     follow_up: [a]\n  |                 ^\nhelp: a follow-up goes one level deeper: remove the one that leads back\n"
        );
    }

    #[test]
    fn a_follow_up_is_an_id_or_a_deck_and_an_id() {
        assert_eq!(
            check_cards(&card("a", "[Big, x/y/z/w/v]")),
            "d.yaml:9:17: error: bad follow-up `Big`: it contains 'B'\n  |\n9 |     follow_up: [Big, x/y/z/w/v]\n  |                 ^^^\nhelp: name a card of this deck (`card-id`) or of another deck (`deck-id/card-id`)\nd.yaml:9:22: error: bad follow-up `x/y/z/w/v`: it is neither one id nor a table cell's `table/row/column`\n  |\n9 |     follow_up: [Big, x/y/z/w/v]\n  |                      ^^^^^^^^^\nhelp: name a card of this deck (`card-id`) or of another deck (`deck-id/card-id`)\n"
        );
    }

    fn deck_file(id: &str, cards: &str) -> Source {
        Source {
            name: format!("{id}.yaml"),
            text: Ok(format!("format: 1\nid: {id}\ntitle: T\ncards:\n{cards}")),
        }
    }

    #[test]
    fn follow_ups_in_other_decks_must_be_loaded_exist_and_not_loop() {
        let sources = [
            deck_file(
                "one",
                &format!(
                    "{}{}",
                    card("a", "[two/b, gone/x]"),
                    card("c", "[two/nope]")
                ),
            ),
            deck_file("two", &card("b", "[one/a]")),
        ];
        // Each deck parsed on its own (not through `compile`, which sits above the validator).
        let decks: Vec<Deck> = sources
            .iter()
            .map(|s| match &s.text {
                Ok(text) => parse_deck(text, &s.name, &Known::default()),
                Err(d) => Err(vec![d.clone()]),
            })
            .collect::<Result<_, _>>()
            .unwrap_or_else(|d| panic!("{d:?}"));
        let text: String = across(&decks, &sources)
            .iter()
            .map(Diagnostic::render)
            .collect();
        assert_eq!(
            text,
            "one.yaml:9:24: error: follow-up `gone/x` is in deck `gone`, which is not loaded\n  |\n9 |     follow_up: [two/b, gone/x]\n  |                        ^^^^^^\nhelp: check this file together with the one whose id is `gone`, or remove the follow-up\none.yaml:14:17: error: unknown follow-up `two/nope`: deck `two` has no card `nope`\n   |\n14 |     follow_up: [two/nope]\n   |                 ^^^^^^^^\nhelp: `portquiz cards --deck two` lists its cards\ntwo.yaml:9:17: error: follow-ups form a loop: one/a -> two/b -> one/a\n  |\n9 |     follow_up: [one/a]\n  |                 ^^^^^\nhelp: a follow-up goes one level deeper: remove the one that leads back\n"
        );
    }
}

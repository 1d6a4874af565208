//! Issue 24: the follow-up chains of the shipped decks dig like an interviewer. A chain is a path of
//! `follow_up:` links from a card nothing follows to a card that follows nothing; `portquiz interview` walks
//! it one good answer at a time. These tests hold the rules on the compiled built-in decks: enough long
//! chains, every deck in one, none ending on trivia, no step that states the next card's short answer, and
//! no card whose demo runs the experiment a later card of its chain asks the candidate to predict.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use portquiz::deck::model::{Card, CardKind};

/// A chain must be at least this many cards to count as one that digs.
const LONG: usize = 4;

/// The compiled built-in cards by `deck/card`.
fn shipped() -> HashMap<String, Card> {
    crate::support::card_index(&[])
}

/// The card's answer as a candidate would say it, for the cards that have one to say (a flashcard's back,
/// a single right option, a typed card's model answer); `None` for true/false statements, several right
/// options and live experiments, which are never trivia.
fn spoken_answer(card: &Card) -> Option<String> {
    match &card.kind {
        CardKind::Flashcard { back } => Some(back.clone()),
        CardKind::Choice { options, answers } if answers.len() == 1 => {
            options.get(answers[0]).map(|o| o.text.clone())
        }
        CardKind::Typed { accept, answer, .. } => {
            answer.clone().or_else(|| accept.first().cloned())
        }
        _ => None,
    }
}

/// A bare number or name: an answer of at most three words (`60`, `2 hours`, `net.core.somaxconn`,
/// `lsof -i :8080`), which ends a chain on recall instead of reasoning.
fn bare(card: &Card) -> Option<String> {
    spoken_answer(card).filter(|a| a.split_whitespace().count() <= 3)
}

/// Every text of a card a candidate sees before the next question: prompt, hint, options and their whys,
/// the answer and the explanation.
fn shown(card: &Card) -> String {
    let mut parts = vec![card.prompt.clone()];
    parts.extend(card.hint.clone());
    parts.extend(card.explain.clone());
    parts.extend(spoken_answer(card));
    if let CardKind::Choice { options, .. } = &card.kind {
        for o in options {
            parts.push(o.text.clone());
            parts.extend(o.why.clone());
        }
    }
    parts.join("\n").to_lowercase()
}

/// Every chain: each maximal path from a card that no card follows, along its follow-ups.
fn chains(cards: &HashMap<String, Card>) -> Vec<Vec<String>> {
    let edges: BTreeMap<String, Vec<String>> = cards
        .iter()
        .map(|(key, card)| {
            let next = card
                .follow_up
                .iter()
                .map(ToString::to_string)
                .filter(|r| cards.contains_key(r))
                .collect();
            (key.clone(), next)
        })
        .collect();
    let followed: BTreeSet<&String> = edges.values().flatten().collect();
    let mut out = Vec::new();
    for (root, next) in &edges {
        if next.is_empty() || followed.contains(root) {
            continue;
        }
        // Depth-first without recursion; the deck validator already refuses loops, and a path never
        // revisits a card, so the walk ends.
        let mut stack = vec![vec![root.clone()]];
        while let Some(path) = stack.pop() {
            let last = &path[path.len() - 1];
            let onward: Vec<&String> = edges[last].iter().filter(|n| !path.contains(n)).collect();
            if onward.is_empty() {
                out.push(path);
                continue;
            }
            for n in onward {
                let mut longer = path.clone();
                longer.push(n.clone());
                stack.push(longer);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn at_least_ten_chains_of_four_or_more_cards() {
    let cards = shipped();
    let long: Vec<String> = chains(&cards)
        .into_iter()
        .filter(|c| c.len() >= LONG)
        .map(|c| c.join(" -> "))
        .collect();
    assert!(
        long.len() >= 10,
        "{} chains of {LONG}+:\n{}",
        long.len(),
        long.join("\n")
    );
}

#[test]
fn every_shipped_deck_has_a_card_in_a_chain_of_four_or_more() {
    let cards = shipped();
    let decks: BTreeSet<String> = cards
        .keys()
        .filter_map(|k| k.split_once('/').map(|(deck, _)| deck.to_string()))
        .collect();
    let chained: BTreeSet<String> = chains(&cards)
        .iter()
        .filter(|c| c.len() >= LONG)
        .flatten()
        .filter_map(|k| k.split_once('/').map(|(deck, _)| deck.to_string()))
        .collect();
    let missing: Vec<&String> = decks.difference(&chained).collect();
    assert_eq!(missing, Vec::<&String>::new());
}

#[test]
fn no_chain_ends_on_a_bare_number_or_name() {
    let cards = shipped();
    let trivia: Vec<String> = chains(&cards)
        .iter()
        .filter_map(|c| {
            let last = &c[c.len() - 1];
            bare(&cards[last]).map(|a| format!("{} ends on `{a}`", c.join(" -> ")))
        })
        .collect();
    assert_eq!(trivia, Vec::<String>::new());
}

#[test]
fn no_step_states_the_short_answer_of_the_card_after_it() {
    let cards = shipped();
    let mut told = Vec::new();
    for (key, card) in &cards {
        for next in card.follow_up.iter().map(ToString::to_string) {
            let Some(answer) = cards.get(&next).and_then(bare) else {
                continue;
            };
            if shown(card).contains(&answer.to_lowercase()) {
                told.push(format!("{key} says `{answer}`, the answer of {next}"));
            }
        }
    }
    told.sort();
    assert_eq!(told, Vec::<String>::new());
}

#[test]
fn no_chain_demonstrates_an_experiment_before_asking_to_predict_it() {
    let cards = shipped();
    let mut shown_early = Vec::new();
    for chain in chains(&cards) {
        for (i, key) in chain.iter().enumerate() {
            let Some(demo) = &cards[key].demo else {
                continue;
            };
            for later in &chain[i + 1..] {
                if matches!(&cards[later].kind, CardKind::Practical { experiment } if experiment == demo)
                {
                    shown_early.push(format!(
                        "{key} demonstrates `{demo}` before {later} asks for it"
                    ));
                }
            }
        }
    }
    shown_early.sort();
    shown_early.dedup();
    assert_eq!(shown_early, Vec::<String>::new());
}

/// The rules themselves, on a small tree: one chain of four, one that ends on a number.
#[test]
fn chains_are_the_paths_from_unfollowed_cards_and_bare_means_three_words_at_most() {
    let yaml = "format: 1\nid: t\ntitle: T\ncards:\n\
  - {id: a, type: flashcard, prompt: A?, answer: Because the peer closed first., explain: x, follow_up: [b]}\n\
  - {id: b, type: truefalse, prompt: B., answer: true, explain: x, follow_up: [c, e]}\n\
  - {id: c, type: flashcard, prompt: C?, answer: It waits for the final ACK to come back., explain: x, follow_up: [d]}\n\
  - {id: d, type: flashcard, prompt: D?, answer: The side that closed first keeps it., explain: x}\n\
  - {id: e, type: typed, prompt: E?, accept: ['60'], answer: '60', explain: x}\n";
    let lib = portquiz::deck::compile::compile(
        &[portquiz::deck::compile::Source {
            name: "t.yaml".into(),
            text: Ok(yaml.into()),
        }],
        &portquiz::library::known(),
    );
    assert!(lib.diagnostics.is_empty(), "{:?}", lib.diagnostics);
    let cards: HashMap<String, Card> = lib.decks[0]
        .cards
        .iter()
        .map(|c| (format!("t/{}", c.id), c.clone()))
        .collect();
    assert_eq!(
        chains(&cards),
        vec![vec!["t/a", "t/b", "t/c", "t/d"], vec!["t/a", "t/b", "t/e"],]
    );
    assert_eq!(bare(&cards["t/e"]), Some("60".to_string()));
    assert_eq!(bare(&cards["t/d"]), None);
    assert_eq!(bare(&cards["t/b"]), None);
}

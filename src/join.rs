//! The one join of loaded cards with their stored states ([`with_states`]): every card of some decks with its
//! progress, from the store or a map in memory. Below the commands and the quiz loops; it knows the deck model,
//! the card state and the store's error, nothing of the command line or the environment.
use std::collections::HashMap;

use crate::deck::{CardRef, Cards, Deck};
use crate::schedule::CardState;
use crate::store::{Store, StoreError};

/// A loaded card with its progress.
#[derive(Debug)]
pub struct CardWithState<'d, D: Cards = Deck> {
    /// The card's deck.
    pub deck: &'d D,
    /// The card.
    pub card: &'d D::Card,
    /// Its stored state, or a new card's when none is stored.
    pub state: CardState,
}

/// Where stored card states come from: the store (streamed, nothing allocated per card), or a map in
/// memory (tests, and `stats`, which reads the states beside the decks).
pub trait StoredStates {
    /// Hands every stored state to `f` with its deck and card ids.
    fn each_state(&self, f: &mut dyn FnMut(&str, &str, CardState)) -> Result<(), StoreError>;
}

impl StoredStates for Store {
    fn each_state(&self, f: &mut dyn FnMut(&str, &str, CardState)) -> Result<(), StoreError> {
        Store::each_state(self, f)
    }
}

impl StoredStates for HashMap<CardRef, CardState> {
    fn each_state(&self, f: &mut dyn FnMut(&str, &str, CardState)) -> Result<(), StoreError> {
        for (key, state) in self {
            f(key.deck.as_str(), key.card.as_str(), state.clone());
        }
        Ok(())
    }
}

/// Every card of `decks`, in deck and card order, with its state taken from `stored` (the store, or a map
/// as [`crate::store::Store::all_states`] returns it); a card with no stored state is new. Stored states
/// of cards that no loaded deck has (history of removed cards, other decks) are left out.
pub fn with_states<'d, D: Cards>(
    decks: &'d [D],
    stored: &dyn StoredStates,
) -> Result<Vec<CardWithState<'d, D>>, StoreError> {
    let mut cards: Vec<CardWithState<'_, D>> = decks
        .iter()
        .flat_map(|deck| {
            deck.cards().iter().map(move |card| CardWithState {
                deck,
                card,
                state: CardState::new(),
            })
        })
        .collect();
    // Index the loaded cards by borrowed ids and walk the stored states once: no key is built per card.
    // foldhash: SipHash made building this index a quarter of the join at 100,000 cards; the keys are
    // the decks' own ids, so a hash that resists flooding buys nothing here.
    let mut index: HashMap<(&str, &str), usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(cards.len(), foldhash::fast::RandomState::default());
    let first: Vec<usize> = cards
        .iter()
        .enumerate()
        .map(|(i, c)| {
            *index
                .entry((c.deck.deck_id().as_str(), D::card_id(c.card).as_str()))
                .or_insert(i)
        })
        .collect();
    stored.each_state(&mut |deck, card, state| {
        if let Some(&i) = index.get(&(deck, card)) {
            cards[i].state = state;
        }
    })?;
    // Two loaded copies of one deck id share its progress.
    for (i, &f) in first.iter().enumerate() {
        if f != i {
            cards[i].state = cards[f].state.clone();
        }
    }
    Ok(cards)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::State;

    fn deck(id: &str, cards: &[&str]) -> Deck {
        let mut text = format!("format: 1\nid: {id}\ntitle: T\ncards:\n");
        for card in cards {
            text.push_str(&format!(
                "  - id: {card}\n    type: flashcard\n    prompt: Q\n    answer: A\n"
            ));
        }
        crate::deck::parse_deck(
            &text,
            "t.yaml",
            &crate::deck::Known {
                experiments: crate::practical::experiment_ids(),
                labs: crate::practical::lab_ids(),
            },
        )
        .unwrap()
    }

    fn card(deck: &str, card: &str) -> CardRef {
        CardRef::parse(deck, card).unwrap()
    }

    fn state(state: State, reps: u32) -> CardState {
        CardState {
            state,
            reps,
            ..CardState::new()
        }
    }

    #[test]
    fn each_loaded_card_gets_its_stored_state_or_a_new_one() {
        let decks = vec![
            deck("ports", &["ssh", "dns"]),
            deck("sockets", &["ssh"]),
            deck("ports", &["ssh"]), // the same deck id loaded twice shares its progress
        ];
        let stored = HashMap::from([
            (card("ports", "ssh"), state(State::Review, 3)),
            (card("sockets", "ssh"), state(State::Learning, 1)),
            (card("ports", "gone"), state(State::Review, 9)),
            (card("other", "dns"), state(State::Relearning, 4)),
        ]);
        let joined: Vec<String> = with_states(&decks, &stored)
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}/{} {} {}",
                    c.deck.id, c.card.id, c.state.state, c.state.reps
                )
            })
            .collect();
        assert_eq!(
            joined,
            [
                "ports/ssh review 3",
                "ports/dns new 0",
                "sockets/ssh learning 1",
                "ports/ssh review 3"
            ]
        );
        assert!(
            with_states::<Deck>(&[], &HashMap::new())
                .unwrap()
                .is_empty()
        );
    }
}

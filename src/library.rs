//! Which decks a command sees: the built-in set, `<data-dir>/decks/`, and `--deck` paths, restricted to
//! `--deck` ids when any are given; and the one join of those decks' cards with their stored states
//! ([`with_states`]).
use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::deck::cache::Cache;
use crate::deck::compile::Source;
use crate::deck::diag::Diagnostic;
use crate::deck::load::{self, Loaded, Stamp};
use crate::deck::{CardRef, Cards, Deck, DeckHead, Known};
use crate::env::Env;
use crate::schedule::CardState;
use crate::store::{Store, StoreError};

/// The experiment and lab names decks may use: the practical catalogue.
pub fn known() -> Known<'static> {
    Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    }
}

/// Reads every file under `paths` (files or directories).
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in paths {
        sources.extend(load::read_path(path)?);
    }
    Ok(sources)
}

/// Every source portquiz would load for this environment (before restricting to `--deck` ids).
pub fn all_sources(env: &Env) -> Result<Vec<Source>> {
    Ok(all_loaded(env, &|_, _| false)?
        .into_iter()
        .filter_map(Loaded::into_source)
        .collect())
}

/// Like [`all_sources`], leaving unread the files for which `known(name, stamp)` is true.
fn all_loaded(env: &Env, known: &dyn Fn(&str, &Stamp) -> bool) -> Result<Vec<Loaded>> {
    let mut loaded: Vec<Loaded> = load::builtin_sources()
        .into_iter()
        .map(|source| Loaded::Read(source, None))
        .collect();
    let user = env.user_decks_dir();
    if user.is_dir() {
        loaded.extend(load::read_path_unless(&user, known)?);
    }
    for path in &env.decks.paths {
        loaded.extend(load::read_path_unless(path, known)?);
    }
    Ok(loaded)
}

/// The decks a study-like command uses. Files with errors are skipped with a warning on stderr. Decks
/// come from the deck cache when their files are unchanged; a file whose stamp (size, times, inode) is
/// unchanged since an earlier run is not even read.
pub fn load_decks(env: &Env) -> Result<Vec<Deck>> {
    let (cache, loaded, unread) = open_library(env)?;
    let lib = cache.compile(loaded, &known());
    warn(&unread, lib.files_with_errors);
    restrict(env, lib.decks)
}

/// The decks' heads (ids, types and prompts, no answers), for the commands that count, list or schedule
/// cards: like [`load_decks`], with the same warnings, but when nothing changed only the heads are decoded
/// from the cache (at 100,000 cards, decoding every text was most of `cards` and `stats`).
pub fn load_heads(env: &Env) -> Result<Vec<DeckHead>> {
    let (cache, loaded, unread) = open_library(env)?;
    let heads = cache.heads(loaded, &known());
    warn(&unread, heads.files_with_errors);
    restrict(env, heads.decks)
}

/// The deck cache, the deck files (those the cache knows unchanged left unread), and the diagnostics of the
/// files that could not be read.
fn open_library(env: &Env) -> Result<(Cache, Vec<Loaded>, Vec<Diagnostic>)> {
    let cache = Cache::open(&env.data_dir.join("cache").join("decks.bin"), &known());
    let loaded = all_loaded(env, &|name, stamp| cache.knows(name, stamp))?;
    let unread = loaded
        .iter()
        .filter_map(|l| match l {
            Loaded::Read(source, _) => source.text.as_ref().err().cloned(),
            Loaded::Unread { .. } => None,
        })
        .collect();
    Ok((cache, loaded, unread))
}

/// Names the files that could not be read and counts those with bad content, on stderr.
fn warn(unread: &[Diagnostic], files_with_errors: usize) {
    for d in unread {
        eprint!("{}", d.skipped().render());
    }
    let bad = files_with_errors.saturating_sub(unread.len());
    if bad > 0 {
        eprintln!(
            "warning: skipped {} with errors; run `portquiz check` to see them",
            crate::text::plural(bad, "deck file")
        );
    }
}

/// The decks `--deck` asks for (all when it names none): by id, or by being under a `--deck` path.
fn restrict<D: Cards>(env: &Env, decks: Vec<D>) -> Result<Vec<D>> {
    let ids = &env.decks.ids;
    env.decks
        .notes()
        .iter()
        .for_each(|note| eprintln!("{note}"));
    if !env.decks.restricts() {
        return Ok(decks);
    }
    let path_names: Vec<String> = env
        .decks
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for id in ids {
        if !decks.iter().any(|d| d.deck_id() == id) {
            let available: Vec<&str> = decks.iter().map(|d| d.deck_id().as_str()).collect();
            bail!(
                "no deck has the id `{id}`; the loaded decks are: {}",
                available.join(", ")
            );
        }
    }
    Ok(decks
        .into_iter()
        .filter(|d| {
            ids.iter().any(|id| d.deck_id() == id)
                || path_names
                    .iter()
                    .any(|p| d.origin().starts_with(p.as_str()))
        })
        .collect())
}

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
        crate::deck::parse_deck(&text, "t.yaml", &known()).unwrap()
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

//! `portquiz stats [--json]`: today, the 30-day due forecast, true retention, streak, per-deck counts and
//! leeches, for the loaded decks (all, or those named with --deck).
use std::collections::HashMap;

use anyhow::Result;

use super::{library, progress};
use crate::app::Env;
use crate::cli::JsonArgs;
use crate::schedule::State;
use crate::store::CardKey;
use crate::tools::stats::{self, CardInfo, Phase};

/// Runs `portquiz stats`.
pub fn run(env: &Env, args: &JsonArgs) -> Result<u8> {
    let decks = library::load_decks(env)?;
    let store = progress::open_store(env)?;
    let scheduler = progress::scheduler(&store)?;
    let states = store.all_states()?;
    let mut prompts: HashMap<(&str, &str), &str> = HashMap::new();
    let mut cards = Vec::new();
    for deck in &decks {
        for card in &deck.cards {
            prompts.insert((&deck.id, &card.id), &card.prompt);
            let state = states
                .get(&CardKey::new(deck.id.clone(), card.id.clone()))
                .cloned()
                .unwrap_or_default();
            cards.push(CardInfo {
                deck: deck.id.clone(),
                card: card.id.clone(),
                phase: match state.state {
                    State::New => Phase::New,
                    State::Learning => Phase::Learning,
                    State::Review => Phase::Review,
                    State::Relearning => Phase::Relearning,
                },
                due: state.due,
                interval_days: progress::interval_days(&state),
                lapses: state.lapses,
            });
        }
    }
    let deck_ids: Vec<&str> = decks.iter().map(|d| d.id.as_str()).collect();
    let log: Vec<_> = progress::review_log(&store)?
        .iter()
        .filter(|r| deck_ids.contains(&r.deck.as_str()))
        .map(|r| {
            let mut review = progress::to_review(r);
            if r.cram {
                // Cram answers count as work done today but not towards retention.
                review.state = crate::tools::revlog::ReviewState::Learning;
            }
            review
        })
        .collect();
    let mut result = stats::compute(&cards, &log, env.now, &|t| scheduler.study_day(t));
    for leech in &mut result.leeches {
        leech.prompt = prompts
            .get(&(leech.deck.as_str(), leech.card.as_str()))
            .map(|p| p.to_string());
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        stats::render(&mut std::io::stdout().lock(), &result, env.color)?;
    }
    Ok(0)
}

//! `portquiz stats [--json]`: today, the 30-day due forecast, true retention, streak, per-deck counts and
//! leeches, for the loaded decks (all, or those named with --deck).
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use anyhow::Result;
use jiff::civil::Date;

use crate::cli::JsonArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::reports::interview_scores;
use crate::reports::stats::{self, CardInfo, Earlier};
use crate::review::Review;
use crate::schedule::Scheduler;
use crate::store::Store;
use crate::{library, progress};

/// What stats read from the store.
struct Progress {
    store: Store,
    scheduler: Scheduler,
    /// The first study day of `log` (today minus [`stats::WINDOW_DAYS`]).
    log_from: Date,
    /// The recent review log, its deck and card ids shared between rows.
    log: Vec<Review<Rc<str>>>,
}

/// Reads the settings and the recent review log (the card states are streamed into the join with the
/// decks afterwards): every figure but the streak looks back at most [`stats::WINDOW_DAYS`] days, so a
/// year-long log is not read whole; the streak asks the store about older days one by one. The log is
/// read without a string per row: each deck and card id is kept once.
fn read_progress(env: &Env) -> Result<Progress> {
    let store = Store::open_to_read(env.db_path())?;
    let scheduler = progress::scheduler(&store)?;
    let today = scheduler.study_day(env.now);
    let log_from = today
        .checked_sub(jiff::Span::new().days(stats::WINDOW_DAYS as i64))
        .unwrap_or(today);
    let since = scheduler.day_start_of(log_from)?;
    let mut ids: HashSet<Rc<str>> = HashSet::new();
    let mut shared = |id: &str| -> Rc<str> {
        if let Some(known) = ids.get(id) {
            return Rc::clone(known);
        }
        let id: Rc<str> = Rc::from(id);
        ids.insert(Rc::clone(&id));
        id
    };
    let mut log = Vec::new();
    store.scan_reviews(Some(since), |r| log.push(r.map_ids(|id| shared(id))))?;
    Ok(Progress {
        store,
        scheduler,
        log_from,
        log,
    })
}

/// Runs `portquiz stats`.
pub fn run(env: &Env, args: &JsonArgs) -> Result<Exit> {
    // The decks and the store do not depend on each other: read them at the same time. The card states
    // are read on the decks' thread (on a connection of its own) once the decks are in, beside the log.
    let (decks, progress) = std::thread::scope(|scope| {
        let decks = scope.spawn(|| -> Result<_> {
            let decks = library::load_heads(env)?;
            // Only a database that opens for writing: a read-only one with a pending write-ahead log is
            // read from a private copy, which one connection makes once, not twice. Any problem opening it
            // is the main thread's to report; the states are then read there.
            let states = Store::open(env.db_path()).ok().and_then(|mut states| {
                states.prefetch_states().ok()?;
                Some(states)
            });
            Ok((decks, states))
        });
        let progress = read_progress(env);
        (decks.join(), progress)
    });
    let (decks, states) =
        decks.map_err(|_| anyhow::anyhow!("loading the decks stopped unexpectedly"))??;
    let Progress {
        store,
        scheduler,
        log_from,
        log,
    } = progress?;
    let mut prompts: HashMap<(&str, &str), &str> = HashMap::new();
    let mut cards = Vec::new();
    for library::CardWithState { deck, card, state } in
        library::with_states(&decks, states.as_ref().unwrap_or(&store))?
    {
        prompts.insert((deck.id.as_str(), card.id.as_str()), &card.prompt);
        cards.push(CardInfo {
            deck: deck.id.as_str(),
            card: card.id.as_str(),
            state: state.state,
            due: state.due,
            interval_days: progress::interval_days(&state),
            lapses: state.lapses,
        });
    }
    // Only the reviews of the loaded decks count.
    let deck_ids: HashSet<&str> = decks.iter().map(|d| d.id.as_str()).collect();
    let log = log.iter().filter(|r| deck_ids.contains(&*r.deck));
    // The streak past the recent log: one indexed look per older day while it lasts.
    let mut failure = None;
    let mut studied_on = |day: Date| -> bool {
        let answered = day
            .tomorrow()
            .map_err(anyhow::Error::from)
            .and_then(|next| {
                Ok(store.answered_between(
                    scheduler.day_start_of(day)?,
                    scheduler.day_start_of(next)?,
                    |deck| deck_ids.contains(deck),
                )?)
            });
        answered.unwrap_or_else(|err| {
            failure.get_or_insert(err);
            false
        })
    };
    let mut result = stats::compute_recent(
        &cards,
        log,
        env.now,
        &|t| scheduler.study_day(t),
        Some(Earlier {
            log_from,
            studied_on: &mut studied_on,
        }),
    );
    if let Some(err) = failure {
        return Err(err);
    }
    for leech in &mut result.leeches {
        leech.prompt = prompts
            .get(&(leech.deck.as_str(), leech.card.as_str()))
            .map(|p| p.to_string());
    }
    // Cards often overridden ("I was right") and often close, for their authors: the same list twice.
    let listed = |marked: Vec<crate::store::Overrides>| -> Vec<stats::Overridden> {
        marked
            .into_iter()
            .filter(|o| deck_ids.contains(o.deck.as_str()))
            .map(|o| stats::Overridden {
                prompt: prompts
                    .get(&(o.deck.as_str(), o.card.as_str()))
                    .map(|p| p.to_string()),
                deck: o.deck,
                card: o.card,
                overrides: o.overrides,
                answers: o.answers,
            })
            .collect()
    };
    result.overridden_verdicts = listed(store.overridden_cards(stats::OVERRIDDEN_AT_LEAST)?);
    result.close_verdicts = listed(store.close_cards(stats::OVERRIDDEN_AT_LEAST)?);
    result.interview_date = scheduler.config().until;
    result.interview_days_left = result
        .interview_date
        .map(|until| crate::reports::interview_date::days_until(result.date, until));
    result.calibration = store.calibration()?;
    if args.json {
        write_json(std::io::stdout().lock(), &result)?;
    } else {
        let mut out = std::io::stdout().lock();
        stats::render(&mut out, &result, env.output.stdout_color())?;
        let interviews: Vec<Review> = store
            .interview_reviews()?
            .into_iter()
            .filter(|r| deck_ids.contains(r.deck.as_str()))
            .collect();
        let scores = interview_scores::by_day(&interviews, &|t| scheduler.study_day(t));
        interview_scores::render(&mut out, &scores, env.output.stdout_color())?;
    }
    Ok(Exit::Ok)
}

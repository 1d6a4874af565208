//! `portquiz study`: the daily session on the loaded decks.
use anyhow::Result;
use rand::SeedableRng;
use rand::rngs::StdRng;

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use crate::authoring::renames;
use crate::cli::StudyArgs;
use crate::deck::Deck;
use crate::env::{Env, Exit};
use crate::library;
use crate::progress;
use crate::quiz::{Engine, Machine, Planner};
use crate::session::{Config, Session, words};
use crate::settings::RENAME_NOTICE_SHOWN;
use crate::store::Store;
use crate::ui::Style;
use crate::ui::front::{FrontEnd, Wanted};

/// The once-a-day lines about renamed cards (see [`renames::study_notice`]), the day recorded as shown in
/// the settings table. Best effort: a store that cannot say or record it never keeps a session from
/// starting, and nothing is shown then (it would come back every run).
fn rename_notice(store: &Store, decks: &[Deck], today: Date) -> Option<Vec<String>> {
    let last_shown = store
        .setting(RENAME_NOTICE_SHOWN)
        .ok()?
        .and_then(|day| day.parse::<Date>().ok());
    if last_shown == Some(today) {
        return None;
    }
    // One walk of the states the store read ahead, over an index of the loaded cards (foldhash, as the
    // join of cards and states: the keys are the decks' own ids).
    // Sized once: grown one card at a time, the set rehashed itself a dozen times at 10,000 cards.
    let mut present: HashSet<(&str, &str), foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(
            decks.iter().map(|d| d.cards.len()).sum(),
            foldhash::fast::RandomState::default(),
        );
    let mut counts: HashMap<&str, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(decks.len(), foldhash::fast::RandomState::default());
    for deck in decks {
        counts.insert(deck.id.as_str(), 0);
        present.extend(deck.cards.iter().map(|c| (deck.id.as_str(), c.id.as_str())));
    }
    store
        .each_state(&mut |deck, card, _| {
            if let Some(n) = counts.get_mut(deck)
                && !present.contains(&(deck, card))
            {
                *n += 1;
            }
        })
        .ok()?;
    let counts: Vec<(&str, usize)> = decks
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                counts.get(d.id.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let (lines, day) = renames::study_notice(&counts, today, last_shown)?;
    store
        .set_setting(RENAME_NOTICE_SHOWN, &day.to_string())
        .ok()?;
    Some(lines)
}

/// Runs `portquiz study`.
pub fn run(env: &Env, args: &StudyArgs) -> Result<Exit> {
    // The decks and the stored states do not depend on each other: the store is opened and its states read
    // on a second thread while the decks load (a deck error is still reported first).
    let (decks, store) = std::thread::scope(|scope| {
        let store = scope.spawn(|| -> Result<Store> {
            let mut store = Store::open(env.db_path())?;
            store.prefetch_states()?;
            Ok(store)
        });
        (library::load_decks(env), store.join())
    });
    let decks = decks?;
    if decks.is_empty() {
        anyhow::bail!(
            "there are no decks to study; check the --deck options, or add decks to {}",
            env.user_decks_dir().display()
        );
    }
    let mut store = store
        .map_err(|_| anyhow::anyhow!("opening the progress database stopped unexpectedly"))??;
    let scheduler = progress::scheduler_until(&store, args.until.as_deref())?;
    // Under PORTQUIZ_NOW the session's clock starts at that instant and runs on in real time, so answers
    // keep distinct, ordered instants (as they would on the wall clock) while the day stays the one asked for.
    let env_clock = env.clock;
    let clock = move || env_clock.now();
    let rng = match env.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_rng(&mut rand::rng()),
    };
    let config = Config {
        new_per_day: args.new_per_day,
        review_limit: args.limit,
        cram: args.cram,
        bury: !args.no_bury,
        day_start: progress::day_start(&scheduler, env.now)?,
    };

    let mut front = FrontEnd::build(
        env.output,
        Wanted {
            plain: args.plain,
            json: false,
        },
    )?;
    let ui = front.ui();
    let terminal = crate::interview::date::at_terminal();
    let scheduler = match crate::interview::date::ask_once(&store, ui, terminal, args.ask_date)? {
        // A date given now counts at once: intervals stop at it.
        crate::interview::date::Asked::Set => {
            progress::scheduler_until(&store, args.until.as_deref())?
        }
        crate::interview::date::Asked::Unchanged => scheduler,
        crate::interview::date::Asked::Interrupted => return Ok(Exit::Interrupted),
    };
    if let Some(plan) =
        super::config::interview_plan(env, &store, &scheduler, &decks, args.new_per_day)?
    {
        ui.say(Style::Dim, &plan)?;
    }
    // Before the first question, at most once a day: cards whose progress no card of their deck matches.
    if let Some(lines) = rename_notice(&store, &decks, scheduler.study_day(env.now)) {
        for line in &lines {
            if front.is_terminal() {
                front.ui().say(Style::Dim, line)?;
            } else {
                eprintln!("note: {line}");
            }
        }
    }
    let ui = front.ui();
    let mut machine = Machine::new();
    let planner = Planner::new(&scheduler, clock, rng);
    let session = Session::new(
        &decks,
        Engine::new(&mut store, planner, ui, &mut machine),
        config,
    )?;
    if session.queue().is_empty() {
        let text = session.nothing_due(env.now, scheduler.time_zone());
        drop(session);
        ui.say(Style::Text, &text)?;
        return Ok(Exit::Ok);
    }
    let summary = session.run()?;
    ui.say(
        Style::Text,
        &words::summary(env.now, scheduler.time_zone(), &summary),
    )?;
    Ok(if summary.interrupted {
        Exit::Interrupted
    } else {
        Exit::Ok
    })
}

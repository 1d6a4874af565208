//! `portquiz interview`: a mock interview round on the loaded decks, its debrief and scorecard (text, or
//! JSON with `--json`: the round itself then talks on stderr so stdout holds only the scorecard, in both front
//! ends; see [`crate::ui::front`]).
use anyhow::Result;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::InterviewArgs;
use crate::env::{Env, Exit};
use crate::interview::{Config, Round, words};
use crate::library;
use crate::progress;
use crate::quiz::{Engine, Machine, Planner};
use crate::store::Store;
use crate::ui::Style;
use crate::ui::front::{FrontEnd, Wanted};

/// Runs `portquiz interview`.
pub fn run(env: &Env, args: &InterviewArgs) -> Result<Exit> {
    let decks = library::load_decks(env)?;
    let mut store = Store::open(env.db_path())?;
    store.check_for_damage_in_background();
    let scheduler = progress::scheduler_until(&store, None)?;
    let env_clock = env.clock;
    let clock = move || env_clock.now();
    let rng = match env.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_rng(&mut rand::rng()),
    };
    let mut front = FrontEnd::build(
        env.output,
        Wanted {
            plain: args.plain,
            json: args.json,
        },
    )?;
    let ui = front.ui();
    let terminal = crate::interview::date::at_terminal();
    let scheduler = match crate::interview::date::ask_once(&store, ui, terminal, args.ask_date)? {
        // A date given now counts at once: intervals stop at it.
        crate::interview::date::Asked::Set => progress::scheduler_until(&store, None)?,
        crate::interview::date::Asked::Unchanged => scheduler,
        crate::interview::date::Asked::Interrupted => return Ok(Exit::Interrupted),
    };
    if let Some(plan) = super::config::interview_plan(
        env,
        &store,
        &scheduler,
        &decks,
        crate::defaults::NEW_PER_DAY,
    )? {
        ui.say(Style::Dim, &plan)?;
    }
    let mut machine = Machine::new();
    let planner = Planner::new(&scheduler, clock, rng);
    let config = Config {
        minutes: args.minutes,
        questions: args.questions,
        schedule: !args.no_schedule,
    };
    let round = Round::new(
        &decks,
        Engine::new(&mut store, planner, ui, &mut machine),
        config,
    )?;
    if round.candidates() == 0 {
        drop(round);
        ui.say(Style::Text, words::NOTHING)?;
        return Ok(Exit::Ok);
    }
    let card = round.run()?;
    if args.json {
        crate::env::output::write_json(std::io::stdout().lock(), &card)?;
    } else {
        ui.say(Style::Text, &words::scorecard(&card))?;
    }
    Ok(if card.interrupted {
        Exit::Interrupted
    } else {
        Exit::Ok
    })
}

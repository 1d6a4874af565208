//! `portquiz interview`: a mock interview round on the loaded decks, its debrief and scorecard (text, or
//! JSON with `--json`: the round itself then talks on stderr so stdout holds only the scorecard).
use std::io::{IsTerminal, Write};

use anyhow::{Context, Result};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::InterviewArgs;
use crate::env::{Env, Exit};
use crate::interview::{Config, Round, words};
use crate::library;
use crate::progress;
use crate::session::{Machine, Planner};
use crate::store::Store;
use crate::ui::plain::PlainUi;
use crate::ui::stdin::InterruptibleStdin;
use crate::ui::terminal::{TerminalUi, restore_terminal};
use crate::ui::{Style, Ui};

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
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let plain = args.plain || !terminal || dumb;
    let mut plain_ui;
    let mut terminal_ui;
    let ui: &mut dyn Ui = if plain {
        let input = InterruptibleStdin::start().context("cannot install the Ctrl-C handler")?;
        let out: Box<dyn Write> = if args.json {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        };
        plain_ui = PlainUi::new(std::io::BufReader::new(input), out);
        &mut plain_ui
    } else {
        ctrlc::set_handler(|| {}).context("cannot install the Ctrl-C handler")?;
        terminal_ui = TerminalUi::new(env.output);
        &mut terminal_ui
    };
    let mut machine = Machine::new();
    let planner = Planner::new(&scheduler, clock, rng);
    let config = Config {
        minutes: args.minutes,
        schedule: !args.no_schedule,
    };
    let round = Round::new(&decks, &mut store, planner, ui, &mut machine, config)?;
    if round.candidates() == 0 {
        drop(round);
        ui.say(Style::Text, words::NOTHING)?;
        return Ok(Exit::Ok);
    }
    let result = round.run();
    if !plain {
        restore_terminal();
    }
    let card = result?;
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

//! `portquiz study`: the daily session on the loaded decks.
use std::io::IsTerminal;

use anyhow::{Context, Result};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::StudyArgs;
use crate::env::{Env, Exit};
use crate::library;
use crate::progress;
use crate::session::{Config, Machine, Planner, Session, words};
use crate::store::Store;
use crate::ui::plain::PlainUi;
use crate::ui::stdin::InterruptibleStdin;
use crate::ui::terminal::{TerminalUi, restore_terminal};
use crate::ui::{Style, Ui};

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

    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    // A dumb terminal cannot move the cursor or show colour: menus would print as garbage.
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let plain = args.plain || !terminal || dumb;
    if !args.plain && !terminal {
        eprintln!(
            "note: stdin or stderr is not a terminal, so portquiz uses the plain line-based mode (--plain)"
        );
    } else if !args.plain && dumb {
        eprintln!(
            "note: TERM=dumb cannot show menus, so portquiz uses the plain line-based mode (--plain)"
        );
    }
    let mut plain_ui;
    let mut terminal_ui;
    let ui: &mut dyn Ui = if plain {
        // Ctrl-C at a prompt ends the session with its summary (exit 130); answers are saved as they come.
        let input = InterruptibleStdin::start().context("cannot install the Ctrl-C handler")?;
        plain_ui = PlainUi::new(std::io::BufReader::new(input), std::io::stdout());
        &mut plain_ui
    } else {
        // Ctrl-C then reaches the prompt as an `Interrupted` error instead of killing the process in raw mode.
        // A Ctrl-C pressed while no key is being read (an answer being saved, an experiment running) is
        // remembered and ends the session at the next prompt instead of being lost.
        ctrlc::set_handler(crate::ui::terminal::note_ctrl_c)
            .context("cannot install the Ctrl-C handler")?;
        terminal_ui = TerminalUi::new(env.output);
        &mut terminal_ui
    };
    if let Some(plan) =
        super::config::interview_plan(env, &store, &scheduler, &decks, args.new_per_day)?
    {
        ui.say(Style::Dim, &plan)?;
    }
    let mut machine = Machine::new();
    let planner = Planner::new(&scheduler, clock, rng);
    let session = Session::new(&decks, &mut store, planner, ui, &mut machine, config)?;
    if session.queue().is_empty() {
        let next = session.next_due();
        let outlook = session.outlook();
        drop(session);
        ui.say(
            Style::Text,
            &words::nothing_due(env.now, scheduler.time_zone(), next, &outlook, args.cram),
        )?;
        return Ok(Exit::Ok);
    }
    let result = session.run();
    if !plain {
        restore_terminal();
    }
    let summary = result?;
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

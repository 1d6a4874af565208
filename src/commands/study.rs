//! `portquiz study`: the daily session on the loaded decks.
use std::io::IsTerminal;

use anyhow::{Context, Result};
use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::StudyArgs;
use crate::env::{EXIT_INTERRUPTED, Env};
use crate::library;
use crate::progress;
use crate::session::{Config, Session, Summary};
use crate::store::Store;
use crate::text::{Form, duration};
use crate::ui::plain::PlainUi;
use crate::ui::stdin::InterruptibleStdin;
use crate::ui::terminal::{TerminalUi, restore_terminal};
use crate::ui::{Style, Ui};

/// Runs `portquiz study`.
pub fn run(env: &Env, args: &StudyArgs) -> Result<u8> {
    let decks = library::load_decks(env)?;
    if decks.is_empty() {
        anyhow::bail!(
            "there are no decks to study; check the --deck options, or add decks to {}",
            env.user_decks_dir().display()
        );
    }
    let mut store = Store::open(env.db_path())?;
    let scheduler = progress::scheduler_until(&store, args.until.as_deref())?;
    // Under PORTQUIZ_NOW the session's clock starts at that instant and runs on in real time, so answers
    // keep distinct, ordered instants (as they would on the wall clock) while the day stays the one asked for.
    let fixed_now = std::env::var("PORTQUIZ_NOW").is_ok_and(|v| !v.trim().is_empty());
    let start = env.now;
    let started = std::time::Instant::now();
    let clock = move || {
        if fixed_now {
            jiff::SignedDuration::try_from(started.elapsed())
                .ok()
                .and_then(|d| start.checked_add(d).ok())
                .unwrap_or(start)
        } else {
            Timestamp::now()
        }
    };
    let mut rng = match env.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_rng(&mut rand::rng()),
    };
    let config = Config {
        new_per_day: args.new_per_day,
        review_limit: args.limit,
        cram: args.cram,
        day_start: progress::day_start(&scheduler, env.now)?,
    };

    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let plain = args.plain || !terminal;
    if plain && !args.plain {
        eprintln!(
            "note: stdin or stderr is not a terminal, so portquiz uses the plain line-based mode (--plain)"
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
        ctrlc::set_handler(|| {}).context("cannot install the Ctrl-C handler")?;
        terminal_ui = TerminalUi::new();
        &mut terminal_ui
    };
    if let Some(plan) =
        super::config::interview_plan(env, &store, &scheduler, &decks, args.new_per_day)?
    {
        ui.say(Style::Dim, &plan)?;
    }
    let session = Session::new(
        &decks,
        &mut store,
        &scheduler,
        ui,
        &clock,
        &mut rng,
        config.clone(),
    )?;
    if session.queue().is_empty() {
        let next = session.next_due();
        drop(session);
        nothing_due(ui, env.now, next, args.cram)?;
        return Ok(0);
    }
    let result = session.run();
    if !plain {
        restore_terminal();
    }
    let summary = result?;
    print_summary(ui, env.now, &summary)?;
    Ok(if summary.interrupted {
        EXIT_INTERRUPTED
    } else {
        0
    })
}

fn nothing_due(ui: &mut dyn Ui, now: Timestamp, next: Option<Timestamp>, cram: bool) -> Result<()> {
    let text = match (cram, next) {
        (true, _) => "Nothing to cram: no card of these decks has been studied yet. Run `portquiz study` first.".to_string(),
        (false, Some(due)) => format!(
            "Nothing is due now. The next card is due {} (in {}).\nTo practise anyway without changing the schedule: portquiz study --cram",
            local_time(due),
            duration(due.duration_since(now), Form::Long)
        ),
        (false, None) => "Nothing is due now, and today's new cards are done.\nTo practise anyway without changing the schedule: portquiz study --cram\nTo take more new cards today: portquiz study --new N".to_string(),
    };
    ui.say(Style::Text, &text)?;
    Ok(())
}

fn print_summary(ui: &mut dyn Ui, now: Timestamp, s: &Summary) -> Result<()> {
    let mut text = format!(
        "\nSession {}: {} answered, {} right, {} wrong, {} learned.",
        if s.interrupted { "interrupted" } else { "over" },
        s.answered,
        s.right,
        s.wrong,
        crate::text::plural(s.new_learned as usize, "new card")
    );
    if s.skipped > 0 {
        text.push_str(&format!(" {} skipped (not available here).", s.skipped));
    }
    if let Some(due) = s.next_due {
        text.push_str(&format!(
            "\nNext card due {} (in {}).",
            local_time(due),
            duration(due.duration_since(now), Form::Long)
        ));
    }
    ui.say(Style::Text, &text)?;
    Ok(())
}

/// "2026-11-25 14:03" in the local time zone.
pub fn local_time(t: Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

//! Wiring: parses the arguments, builds the [`Env`] once and runs one subcommand.
//! Each subcommand lives in [`crate::commands`]; this file only dispatches and maps errors to exit codes.
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::commands;
use crate::env::{Env, Exit};

/// Runs portquiz with the given arguments (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut command = Cli::command().color(clap_color(&args));
    let mut parsed = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .map_err(|err| err.format(&mut command));
    // `portquiz` alone, in a terminal, runs the main job (as `just` runs its default recipe); without a
    // terminal it prints the help, so a script never starts an interactive session by accident.
    if let Err(err) = &parsed
        && err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        args.push("study".into());
        parsed = command
            .try_get_matches_from_mut(&args)
            .and_then(|matches| Cli::from_arg_matches(&matches))
            .map_err(|err| err.format(&mut command));
    }
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let exit = if err.use_stderr() {
                Exit::Failure
            } else {
                Exit::Ok
            };
            // clap prints help and version to stdout, errors to stderr.
            let _ = err.print();
            return exit.into();
        }
    };
    match dispatch(&cli) {
        Ok(exit) => exit.into(),
        // The reader of our output went away (`portquiz cards --json | head -1`): nothing is lost, stop quietly.
        Err(err) if is_broken_pipe(&err) => Exit::Ok.into(),
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            // Messages quote file names and values from decks and databases: no raw escapes.
            let _ = writeln!(stderr, "error: {}", crate::safe::block(&format!("{err:#}")));
            Exit::Failure.into()
        }
    }
}

/// Whether `err` comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(broken)
            || matches!(cause.downcast_ref::<crate::ui::UiError>(), Some(crate::ui::UiError::Io(e)) if broken(e))
            || matches!(
                cause.downcast_ref::<crate::quiz::QuizError>(),
                Some(crate::quiz::QuizError::Ui(crate::ui::UiError::Io(e))) if broken(e)
            )
    })
}

/// The `--color` choice on the command line, for clap's own help and errors: left alone, clap decides by
/// itself and lets `CLICOLOR_FORCE` win over an explicit `--color never`.
fn clap_color(args: &[OsString]) -> clap::ColorChoice {
    let mut choice = clap::ColorChoice::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_str().unwrap_or_default());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--color") {
            Some("") => words.next().unwrap_or_default(),
            Some(rest) => match rest.strip_prefix('=') {
                Some(value) => value,
                None => continue,
            },
            None => continue,
        };
        choice = match value {
            "never" => clap::ColorChoice::Never,
            "always" => clap::ColorChoice::Always,
            _ => clap::ColorChoice::Auto,
        };
    }
    choice
}

fn dispatch(cli: &Cli) -> Result<Exit> {
    let env = Env::from_cli(cli)?;
    match &cli.command {
        Command::Study(args) => commands::study::run(&env, args),
        Command::Interview(args) => commands::interview::run(&env, args),
        Command::Check(args) => commands::check::run(&env, args),
        Command::Decks(args) => commands::decks::run(&env, args),
        Command::Cards(args) => commands::cards::run(&env, args),
        Command::Suspend(args) => commands::suspend::run(&env, args, true),
        Command::Unsuspend(args) => commands::suspend::run(&env, args, false),
        Command::Experiments(args) => commands::experiments::run(&env, args),
        Command::Stats(args) => commands::stats::run(&env, args),
        Command::Optimize(args) => commands::optimize::run(&env, args),
        Command::Simulate(args) => commands::simulate::run(&env, args),
        Command::Config(args) => commands::config::run(&env, args),
        Command::Reset(args) => commands::reset::run(&env, args),
        Command::Merge(args) => commands::merge::run(&env, args),
        Command::Repair => commands::repair::run(&env),
        Command::Export(args) => commands::export::run(&env, args),
        Command::Import(args) => commands::import::run(&env, args),
        Command::Schema => commands::schema::run(&env),
        Command::Format => commands::format::run(),
        Command::New(args) => commands::new::run(&env, args),
        Command::Completions(args) => commands::completions::run(&env, args),
        Command::Man => commands::man::run(),
    }
}

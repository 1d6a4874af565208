//! Wiring: builds the environment (data dir, clock, seed, colour) from the arguments and runs one subcommand.
//! Each subcommand lives in [`crate::commands`]; this file only dispatches and maps errors to exit codes.
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, ColorChoice, Command};
use crate::commands;

/// Exit code for "ran fine, found problems" (e.g. `check` found errors, an experiment errored).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code for "could not run": bad arguments, unreadable paths, a database we must not touch.
pub const EXIT_FAILURE: u8 = 2;
/// Exit code after Ctrl-C, as shells expect.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Everything a command needs from the outside world, decided once.
#[derive(Debug, Clone)]
pub struct Env {
    /// Directory holding `portquiz.sqlite3` and the user's own `decks/`.
    pub data_dir: PathBuf,
    /// "Now": the clock, or `PORTQUIZ_NOW` (RFC 3339) when set.
    pub now: jiff::Timestamp,
    /// `PORTQUIZ_SEED` when set: makes shuffling and fuzz reproducible.
    pub seed: Option<u64>,
    /// `--deck` values: deck ids to restrict to, or extra deck files/directories.
    pub deck_args: Vec<String>,
    /// Whether stdout gets colour.
    pub color: bool,
}

impl Env {
    /// Builds the environment from parsed arguments and the process environment.
    pub fn from_cli(cli: &Cli) -> Result<Self> {
        let data_dir = match &cli.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        let now = match std::env::var("PORTQUIZ_NOW") {
            Ok(text) if !text.trim().is_empty() => text.trim().parse::<jiff::Timestamp>().with_context(|| {
                format!("PORTQUIZ_NOW={text:?} is not an RFC 3339 instant (for example 2026-01-31T09:00:00Z)")
            })?,
            _ => jiff::Timestamp::now(),
        };
        let seed = match std::env::var("PORTQUIZ_SEED") {
            Ok(text) if !text.trim().is_empty() => Some(
                text.trim()
                    .parse::<u64>()
                    .with_context(|| format!("PORTQUIZ_SEED={text:?} is not a whole number"))?,
            ),
            _ => None,
        };
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => colored::control::SHOULD_COLORIZE.should_colorize(),
        };
        colored::control::set_override(color);
        Ok(Self {
            data_dir,
            now,
            seed,
            deck_args: cli.decks.clone(),
            color,
        })
    }

    /// Path of the progress database.
    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("portquiz.sqlite3")
    }

    /// Directory of the user's own decks.
    pub fn user_decks_dir(&self) -> PathBuf {
        self.data_dir.join("decks")
    }
}

fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "portquiz")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .context("could not find a home directory for portquiz's data; pass --data-dir DIR or set PORTQUIZ_DATA_DIR")
}

/// Runs portquiz with the given arguments (the first is the program name) and returns the exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut command = Cli::command().color(clap_color(&args));
    let parsed = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .map_err(|err| err.format(&mut command));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_FAILURE } else { 0 };
            // clap prints help and version to stdout, errors to stderr.
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(&cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of our output went away (`portquiz cards --json | head -1`): nothing is lost, stop quietly.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
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
                cause.downcast_ref::<crate::session::SessionError>(),
                Some(crate::session::SessionError::Ui(crate::ui::UiError::Io(e))) if broken(e)
            )
    })
}

/// `println!` that returns the write's `io::Result` instead of panicking when stdout is closed.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write's `io::Result` (see [`outln!`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        write!(stdout, $($arg)*).and_then(|()| stdout.flush())
    }};
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

fn dispatch(cli: &Cli) -> Result<u8> {
    let env = Env::from_cli(cli)?;
    match &cli.command {
        Command::Study(args) => commands::study::run(&env, args),
        Command::Check(args) => commands::check::run(&env, args),
        Command::Decks(args) => commands::decks::run(&env, args),
        Command::Cards(args) => commands::cards::run(&env, args),
        Command::Experiments(args) => commands::experiments::run(&env, args),
        Command::Stats(args) => commands::stats::run(&env, args),
        Command::Optimize(args) => commands::optimize::run(&env, args),
        Command::Simulate(args) => commands::simulate::run(&env, args),
        Command::Config(args) => commands::config::run(&env, args),
        Command::Reset(args) => commands::reset::run(&env, args),
        Command::Merge(args) => commands::merge::run(&env, args),
        Command::Export(args) => commands::export::run(&env, args),
        Command::Import(args) => commands::import::run(&env, args),
        Command::Schema => commands::schema::run(&env),
        Command::New(args) => commands::new::run(&env, args),
        Command::Completions(args) => commands::completions::run(&env, args),
    }
}

//! What every command needs from the outside world, decided once from the arguments and the process
//! environment: the data dir, the [`Clock`], the seed, the [`DeckSelection`] and the [`Output`] (colour per
//! stream); how a command ended ([`Exit`]); and the `outln!`/`out!` macros that write to stdout without
//! panicking on a closed pipe. Below both [`crate::app`] (which builds it) and [`crate::commands`] (which use
//! it). Nothing else reads `PORTQUIZ_NOW` or `PORTQUIZ_SEED`; portquiz's own colour is decided here (clap
//! decides for its help and errors, see `app::clap_color`).
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::cli::Cli;

mod clock;
mod exit;
pub mod output;
mod selection;

pub use clock::{BadNow, Clock};
pub use exit::Exit;
pub use output::Output;
pub use selection::DeckSelection;

/// Everything a command needs from the outside world, decided once.
#[derive(Debug, Clone)]
pub struct Env {
    /// Directory holding `portquiz.sqlite3` and the user's own `decks/`.
    pub data_dir: PathBuf,
    /// Where "now" comes from: the wall clock, or `PORTQUIZ_NOW` (RFC 3339) running on from that instant.
    pub clock: Clock,
    /// The instant the command started (`clock.start()`): what reports and listings mean by "now".
    pub now: jiff::Timestamp,
    /// `PORTQUIZ_SEED` when set: makes shuffling and fuzz reproducible.
    pub seed: Option<u64>,
    /// The `--deck` values: deck ids to restrict to, and extra deck files or directories.
    pub decks: DeckSelection,
    /// Stdout and stderr, each with its own colour decision.
    pub output: Output,
}

impl Env {
    /// Builds the environment from parsed arguments and the process environment.
    pub fn from_cli(cli: &Cli) -> Result<Self> {
        // Read here rather than by clap, which would blame `--data-dir` for an empty variable.
        let data_dir = match (&cli.data_dir, std::env::var_os("PORTQUIZ_DATA_DIR")) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dir)) if dir.is_empty() => anyhow::bail!(
                "PORTQUIZ_DATA_DIR is set but empty; set it to a directory, or unset it to use the default data directory"
            ),
            (None, Some(dir)) => PathBuf::from(dir),
            (None, None) => default_data_dir()?,
        };
        let clock = Clock::from_var(std::env::var("PORTQUIZ_NOW").ok().as_deref())?;
        let seed = match std::env::var("PORTQUIZ_SEED") {
            Ok(text) if !text.trim().is_empty() => Some(
                text.trim()
                    .parse::<u64>()
                    .with_context(|| format!("PORTQUIZ_SEED={text:?} is not a whole number"))?,
            ),
            _ => None,
        };
        let output = Output::detect(cli.color);
        Ok(Self {
            data_dir,
            now: clock.start(),
            clock,
            seed,
            decks: DeckSelection::parse(&cli.decks),
            output,
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
    let dir = directories::ProjectDirs::from("", "", "portquiz")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .context("could not find a home directory for portquiz's data; pass --data-dir DIR or set PORTQUIZ_DATA_DIR")?;
    // A relative HOME would put the data dir under whatever folder portquiz happens to run in.
    if dir.is_relative() {
        anyhow::bail!(
            "HOME={} is not an absolute path, so portquiz cannot tell where your data lives; set HOME to your home directory, or pass --data-dir DIR or set PORTQUIZ_DATA_DIR",
            std::env::var_os("HOME")
                .unwrap_or_default()
                .to_string_lossy()
        );
    }
    Ok(dir)
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

//! Command-line definitions (clap derive) and nothing else: no I/O, no behaviour.
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::Key;

/// Interview prep for network ports and sockets: spaced-repetition flashcards, auto-checked questions
/// and live socket experiments on loopback.
#[derive(Debug, Parser)]
#[command(name = "portquiz", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Where progress and your own decks live [env: PORTQUIZ_DATA_DIR] [default: the XDG data dir, e.g.
    /// ~/.local/share/portquiz]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Restrict to a deck id, or to the decks of a deck file or directory (loaded for it); repeatable
    #[arg(long = "deck", global = true, value_name = "ID|PATH")]
    pub decks: Vec<String>,

    /// When to use colour; `auto` decides for stdout and stderr separately and honours NO_COLOR, CLICOLOR and
    /// CLICOLOR_FORCE
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Study what is due today (the main job)
    Study(StudyArgs),
    /// A mock interview: mixed decks, a clock, follow-up questions, then a debrief and a scorecard
    Interview(InterviewArgs),
    /// Check deck files and report every problem with its location
    ///
    /// Every problem of every file in one run: syntax, keys, values, follow-ups across decks (checked against
    /// the built-in decks and the data dir's decks), then warnings. The deck format, its keys and the problem
    /// codes of `--json`: `portquiz format`.
    Check(CheckArgs),
    /// List the loaded decks
    Decks(DecksArgs),
    /// List every card with its schedule
    Cards(CardsArgs),
    /// Take cards out of rotation (they keep their progress), e.g. portquiz suspend socket-lab/double-bind
    Suspend(SuspendArgs),
    /// Bring suspended cards back into rotation
    Unsuspend(SuspendArgs),
    /// List the live socket experiments, or run them without being graded
    Experiments(ExperimentsArgs),
    /// Progress: today, the due forecast, retention, streak, per-deck counts and leeches
    Stats(JsonArgs),
    /// Fit the scheduler's parameters to your own review log
    Optimize(JsonArgs),
    /// Forecast the reviews and time per day for the coming days
    Simulate(SimulateArgs),
    /// Show or change settings: interview-date, desired-retention
    Config(ConfigArgs),
    /// Forget progress (all, the decks given with --deck, or one --card), asking first
    Reset(ResetArgs),
    /// Bring in the reviews made on another machine (its portquiz.sqlite3)
    Merge(MergeArgs),
    /// Save what a damaged progress database still holds into a fresh one (the damaged file is kept)
    Repair,
    /// Export decks to Anki's text format, or the review log to CSV
    Export(ExportArgs),
    /// Import an Anki text export as a new deck
    Import(ImportArgs),
    /// Print the JSON Schema of the deck format (for editors)
    Schema,
    /// Print the deck format reference: keys, card types, tables, problem codes
    Format,
    /// Write a starter deck with one example of every card type
    New(NewArgs),
    /// Print shell completions (they complete deck ids after --deck)
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. portquiz man > ~/.local/share/man/man1/portquiz.1
    Man,
}

#[derive(Debug, Args)]
pub struct SuspendArgs {
    /// Cards as deck/card (as `portquiz cards` lists them)
    #[arg(value_name = "DECK/CARD", required = true)]
    pub cards: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportWhat,
    /// Replace FILE when it exists (only a regular file is ever replaced)
    #[arg(long, global = true)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// The decks (all, or those named with --deck) as an Anki text file (File > Import in Anki)
    Anki {
        /// The file to write, e.g. portquiz.tsv (- for standard output)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The review log as CSV for FSRS tools (card_id,review_time,review_rating,review_state,review_duration)
    Reviews {
        /// The file to write, e.g. reviews.csv (- for standard output)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Days to forecast
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// New cards studied per day
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub new_per_day: u32,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: Option<ConfigAction>,
    /// Print every setting as JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print a setting's value
    Get {
        #[arg(value_enum)]
        key: Key,
    },
    /// Change a setting
    Set {
        #[arg(value_enum)]
        key: Key,
        /// interview-date: YYYY-MM-DD; desired-retention: 0.70 to 0.99
        value: String,
    },
    /// Go back to the default
    Unset {
        #[arg(value_enum)]
        key: Key,
    },
}

/// `config`'s keys are the settings' one list ([`Key::ALL`]), with their names and help lines.
impl ValueEnum for Key {
    fn value_variants<'a>() -> &'a [Self] {
        &Key::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.help()))
    }
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Only this card (needs one --deck ID)
    #[arg(long, value_name = "ID")]
    pub card: Option<String>,
    /// Do not ask for confirmation
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The other machine's database file
    #[arg(value_name = "OTHER.sqlite3")]
    pub other: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportWhat,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// An Anki text export (front and back per line) becomes a flashcard deck
    Anki {
        /// The Anki text file (Notes in Plain Text)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The new deck's id (kebab-case)
        #[arg(long, value_name = "NEW-ID")]
        id: String,
        /// Where to write the deck [default: <data-dir>/decks/NEW-ID.yaml]; subdecks' decks go beside it
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Anki subdecks (Parent::Child) as decks of their own (NEW-ID-CHILD), or as tags in one deck
        #[arg(long, value_enum, default_value_t = Subdecks::Decks)]
        subdecks: Subdecks,
    },
}

/// What `import anki` makes of Anki subdecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Subdecks {
    /// One deck per subdeck
    Decks,
    /// One deck; each card tagged with its subdeck
    Tags,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new deck's id (kebab-case)
    #[arg(value_name = "ID")]
    pub id: String,
    /// Where to write the deck [default: <data-dir>/decks/ID.yaml]
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct DecksArgs {
    /// Print JSON instead of text
    #[arg(long, conflicts_with = "ids")]
    pub json: bool,
    /// Print only the deck ids, one per line (what shell completion offers after --deck)
    #[arg(long)]
    pub ids: bool,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StudyArgs {
    /// Line-based mode for scripts and screen readers (automatic without a terminal)
    #[arg(long)]
    pub plain: bool,
    /// New cards per day
    #[arg(long = "new", value_name = "N", default_value_t = 10)]
    pub new_per_day: u32,
    /// Reviews per day
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub limit: u32,
    /// Practise cards that are not due, without changing their schedule
    #[arg(long)]
    pub cram: bool,
    /// Do not bury siblings: by default, once a card is answered, the cards naming the same experiment
    /// and the other cells of its table row wait until the next study day
    #[arg(long)]
    pub no_bury: bool,
    /// Interview date (YYYY-MM-DD): no interval reaches past it [default: the stored interview date]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Ask for the interview date even without a terminal (the first run on a data dir asks at a terminal)
    #[arg(long)]
    pub ask_date: bool,
}

#[derive(Debug, Args)]
pub struct InterviewArgs {
    /// Length of the round in minutes
    #[arg(long, value_name = "N", default_value_t = crate::defaults::INTERVIEW_MINUTES,
          value_parser = clap::value_parser!(u32).range(1..=180))]
    pub minutes: u32,
    /// The most questions asked (follow-ups included)
    #[arg(long, value_name = "N", default_value_t = crate::defaults::INTERVIEW_QUESTIONS,
          value_parser = clap::value_parser!(u32).range(1..=200))]
    pub questions: u32,
    /// Ask for the interview date even without a terminal (the first run on a data dir asks at a terminal)
    #[arg(long)]
    pub ask_date: bool,
    /// Line-based mode for scripts and screen readers (automatic without a terminal)
    #[arg(long)]
    pub plain: bool,
    /// Print the scorecard as JSON on stdout (the round talks on stderr)
    #[arg(long)]
    pub json: bool,
    /// Log the answers as interview answers without changing the schedule
    #[arg(long)]
    pub no_schedule: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Deck files or directories [default: every deck portquiz would load]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also run every practical experiment the decks use and report any that cannot run here
    #[arg(long)]
    pub practicals: bool,
    /// Fail (exit 1) on warnings too, e.g. in a deck repository's CI
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print JSON instead of text: every problem with its file, line, column, severity, code, message and help
    #[arg(long)]
    pub json: bool,
    /// Print every problem (without it, at most 20 of one kind per file, then how many more)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CardsArgs {
    /// Only cards that are due now
    #[arg(long)]
    pub due: bool,
    /// Show every card as the candidate sees it (prompt, options, answer), table cells included
    #[arg(long, conflicts_with_all = ["due", "json"])]
    pub show: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExperimentsArgs {
    #[command(subcommand)]
    pub action: Option<ExperimentsAction>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExperimentsAction {
    /// Run experiments (all by default) and print what each did and saw
    Run {
        /// Experiment ids
        #[arg(value_name = "ID")]
        ids: Vec<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

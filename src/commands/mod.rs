//! One file per subcommand: each takes the [`crate::env::Env`] and its arguments and returns an exit code.
//! Output goes to stdout (results) and stderr (diagnostics, notices).

pub mod cards;
pub mod check;
pub mod completions;
pub mod config;
pub mod decks;
pub mod experiments;
pub mod export;
pub mod format;
pub mod import;
pub mod interview;
pub mod man;
pub mod merge;
pub mod new;
pub mod optimize;
pub mod repair;
pub mod replay;
pub mod reset;
pub mod schema;
pub mod show;
pub mod simulate;
pub mod stats;
pub mod study;
pub mod suspend;
pub mod write;

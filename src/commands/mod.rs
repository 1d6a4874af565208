//! One file per subcommand: each takes the [`crate::app::Env`] and its arguments and returns an exit code.
//! Output goes to stdout (results) and stderr (diagnostics, notices).

pub mod cards;
pub mod check;
pub mod decks;
pub mod experiments;
pub mod library;
pub mod practicals;
pub mod study;

//! portquiz: a quiz and flashcard engine for interview prep on network ports and sockets.
//!
//! The binary is a thin shell around [`run`]. Modules, from the pure core outwards:
//! - [`deck`]: the YAML deck format, its loader and diagnostics (no file system access except `deck::load`).
//! - [`schedule`]: FSRS-6 scheduling, learning steps, fuzz and the due queue; pure, time and rng are parameters.
//! - [`store`]: SQLite card state and the append-only review log; the only module that speaks SQL.
//! - [`practical`]: the catalogue of live socket experiments and labs, on loopback only.
//! - [`session`]: the study loop as a state machine, driven through the [`ui`] trait.
//! - [`ui`]: the prompt trait, a dialoguer terminal front end and a line-based plain one.
//! - [`cli`] and [`app`]: argument definitions and the wiring of one subcommand each.

pub mod app;
pub mod cli;
pub mod commands;
pub mod deck;
pub mod practical;
pub mod schedule;
pub mod session;
pub mod store;
pub mod tools;
pub mod ui;

pub use app::run;

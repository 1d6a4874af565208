//! portquiz: a quiz and flashcard engine for interview prep on network ports and sockets.
//!
//! The binary is a thin shell around [`run`]. Modules, from the pure core outwards:
//! - [`deck`]: the YAML deck format, its loader and diagnostics (no file system access except `deck::load`,
//!   which reads deck files, and `deck::cache`, which keeps the compiled decks).
//! - [`schedule`]: FSRS-6 scheduling, learning steps, fuzz and the due queue; pure, time and rng are parameters.
//! - [`store`]: SQLite card state and the append-only review log; the only module that speaks SQL.
//! - [`review`]: the review-log row that the store keeps and the reports, exports and merge read (defined in
//!   [`schedule::review`]).
//! - [`practical`]: the catalogue of live socket experiments and labs, on loopback only.
//! - [`quiz`]: the engine under both quiz loops: asking and checking each card kind, saving answers, the claim,
//!   hints, demos; [`join`]: every loaded card with its stored state.
//! - [`session`]: the study loop as a state machine, driven through the [`ui`] trait; [`interview`]: the mock
//!   interview round and its scorecard, on the same engine.
//! - [`ui`]: the prompt trait, a terminal front end (menus of its own) and a line-based plain one.
//! - [`reports`], [`interchange`], [`authoring`]: statistics and forecasts, Anki and CSV in and out, the
//!   deck schema and starter; pure, fed by the commands.
//! - [`library`] (which decks a command sees), [`progress`] (the store and scheduler for the tool commands),
//!   [`settings`] (the user settings' keys and checks), [`text`] (plurals and durations for every message).
//! - [`open`]: the one way portquiz opens a file it reads (regular files only, never blocking on a FIFO).
//! - [`safe`]: text from decks, imports and other databases made safe to print (no raw escapes).
//! - [`env`]: what every command gets from outside (data dir, clock, seed, colour) and the exit codes.
//! - [`cli`], [`app`] and [`commands`]: argument definitions, the wiring, and one file per subcommand;
//!   [`defaults`]: the defaults the argument definitions show.

pub mod app;
pub mod authoring;
pub mod cli;
pub mod commands;
pub mod deck;
pub mod defaults;
pub mod env;
pub mod interchange;
pub mod interview;
pub mod join;
pub mod library;
pub mod open;
pub mod practical;
pub mod progress;
pub mod quiz;
pub mod reports;
pub mod review;
pub mod safe;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod store;
pub mod text;
pub mod ui;

pub use app::run;

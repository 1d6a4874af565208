//! Tools around the study loop: charts, the FSRS optimiser and simulator, the interview-date planner,
//! Anki and CSV import/export, and merging review logs. Pure functions over their own input types;
//! no file system, SQL or terminal access here: the commands in [`crate::commands`] do that.
pub mod anki;
pub mod chart;
pub mod config;
pub mod interview;
pub mod optimize;
pub mod revlog;
pub mod schema;
pub mod simulate;
pub mod starter;
pub mod stats;

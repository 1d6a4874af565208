//! Reports about progress: statistics and their charts, the workload forecast, fitting FSRS parameters to
//! the review log, and the interview-date planner. Pure functions over their own input types; no file
//! system, SQL or terminal access here: the commands in [`crate::commands`] do that.
pub mod chart;
pub mod fit;
pub mod forecast;
pub mod interview_date;
pub mod interview_scores;
pub mod stats;

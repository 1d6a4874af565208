//! The review-log row under the path its readers use: [`Review`] lives in [`crate::schedule::review`], beside
//! the scheduler's types it is made of and the replay that reads it.
pub use crate::schedule::review::{AnswerId, Review};

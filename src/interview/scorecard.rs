//! What a round reports: each question's verdict, the score by topic and the cards missed ([`Scorecard`], also
//! the `--json` output). Plain data, below both the round that fills it and the words that say it.
use jiff::SignedDuration;
use serde::Serialize;

use crate::deck::CardRef;
use crate::schedule::Rating;
use crate::store::{Calibration, Confidence};

/// How a question was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Right,
    Wrong,
    /// A prediction this machine could not run: not scored.
    Unverified,
}

/// One question of the round, for the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub deck: String,
    pub card: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The card whose good answer led here.
    pub follow_up_of: Option<CardRef>,
    /// The answer as given (option texts joined by `; `, `true`/`false`, or the text typed).
    pub answer: String,
    pub verdict: Verdict,
    /// The grade recorded (`None` when not scored).
    pub rating: Option<Rating>,
    /// The candidate claimed a refused answer ("I was right"): scored right with their grade.
    pub claimed: bool,
    /// How sure the candidate said they were (`None`: skipped).
    pub confidence: Option<Confidence>,
    pub seconds: f64,
}

/// The score of one topic: a deck (`deck:<id>`) or a tag (`tag:<name>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Topic {
    pub topic: String,
    pub right: usize,
    pub scored: usize,
    /// Key ideas missed, then cards missed (at most three).
    pub weakest: Vec<String>,
}

/// What a round did: the debrief's questions, the score, by topic, and the cards missed. `--json` writes it
/// through [`crate::env::output::write_json`], which puts the one `"format"` key first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub minutes: u32,
    /// `--questions`: the most the round would ask.
    pub question_limit: u32,
    pub schedule: bool,
    #[serde(skip)]
    pub spent: SignedDuration,
    #[serde(rename = "seconds")]
    pub spent_seconds: f64,
    #[serde(skip)]
    pub pace: SignedDuration,
    pub pace_seconds: f64,
    #[serde(skip)]
    pub average: SignedDuration,
    pub right: usize,
    pub scored: usize,
    /// Of `right`, refused answers the candidate claimed.
    pub claimed: usize,
    pub questions: Vec<Question>,
    pub topics: Vec<Topic>,
    /// Cards missed: due again today when the schedule counts.
    pub missed: Vec<CardRef>,
    /// Of `missed`, the answers the candidate was sure of.
    pub confident_misses: Vec<CardRef>,
    /// How often each confidence level was right (scored answers with a confidence).
    pub calibration: Calibration,
    /// Ended by Ctrl-C (no debrief).
    #[serde(skip)]
    pub interrupted: bool,
}

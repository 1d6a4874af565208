//! The per-card scheduling state and the four grades.
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The grade a candidate gives an answer (FSRS's four buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgot: the card lapses (review) or restarts its steps (learning).
    Again = 1,
    /// Remembered with serious difficulty.
    Hard = 2,
    /// Remembered.
    Good = 3,
    /// Remembered effortlessly.
    Easy = 4,
}

impl Rating {
    /// All four ratings, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The number FSRS and the review log use: 1 (Again) to 4 (Easy).
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// The rating for 1..=4, `None` otherwise.
    pub fn from_u8(value: u8) -> Option<Rating> {
        match value {
            1 => Some(Rating::Again),
            2 => Some(Rating::Hard),
            3 => Some(Rating::Good),
            4 => Some(Rating::Easy),
            _ => None,
        }
    }

    /// Lower-case name, as typed and stored in JSON: `again`, `hard`, `good`, `easy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }

    /// The name on the grade button: `Again`, `Hard`, `Good`, `Easy`.
    pub fn name(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }

    /// Whether the answer was remembered (any grade but Again): what retention counts as right.
    pub fn is_pass(self) -> bool {
        self != Rating::Again
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A grade line that is neither `1`-`4` nor a rating name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a grade: type 1-4 or again, hard, good, easy")]
pub struct ParseRatingError {
    /// The text that was given (trimmed).
    pub input: String,
}

impl FromStr for Rating {
    type Err = ParseRatingError;

    /// Accepts `1`-`4` and `again`/`hard`/`good`/`easy` in any case, surrounding spaces ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let rating = match text.to_ascii_lowercase().as_str() {
            "1" | "again" => Some(Rating::Again),
            "2" | "hard" => Some(Rating::Hard),
            "3" | "good" => Some(Rating::Good),
            "4" | "easy" => Some(Rating::Easy),
            _ => None,
        };
        rating.ok_or_else(|| ParseRatingError {
            input: text.to_owned(),
        })
    }
}

/// Where a card is in its life. The discriminants are the numbers FSRS tools use (see [`State::as_u8`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Never answered (outside cram).
    #[default]
    New = 0,
    /// Answered, still going through the learning steps (due after a step of minutes).
    Learning = 1,
    /// Graduated: due after an FSRS interval of whole days.
    Review = 2,
    /// Lapsed from review, going through the relearning steps.
    Relearning = 3,
}

impl State {
    /// All four states, in the order of a card's life.
    pub const ALL: [State; 4] = [
        State::New,
        State::Learning,
        State::Review,
        State::Relearning,
    ];

    /// The number FSRS tools use in a review log's `review_state`: 0 new, 1 learning, 2 review,
    /// 3 relearning.
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// Lower-case name, as stored and printed: `new`, `learning`, `review`, `relearning`.
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Learning => "learning",
            State::Review => "review",
            State::Relearning => "relearning",
        }
    }

    /// Learning or relearning: the card is in a step measured in minutes.
    pub fn is_in_steps(self) -> bool {
        matches!(self, State::Learning | State::Relearning)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A state name that is not one of `new`, `learning`, `review`, `relearning`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a card state (new, learning, review, relearning)")]
pub struct ParseStateError {
    /// The text that was given.
    pub input: String,
}

impl FromStr for State {
    type Err = ParseStateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "new" => Ok(State::New),
            "learning" => Ok(State::Learning),
            "review" => Ok(State::Review),
            "relearning" => Ok(State::Relearning),
            _ => Err(ParseStateError {
                input: s.to_owned(),
            }),
        }
    }
}

/// Everything the scheduler knows about one card. A card with no stored state is `CardState::new()`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CardState {
    /// New, learning, review or relearning.
    pub state: State,
    /// Index of the current learning or relearning step (0 otherwise).
    pub step: u32,
    /// FSRS stability in days (`None` while new).
    pub stability: Option<f64>,
    /// FSRS difficulty, 1 to 10 (`None` while new).
    pub difficulty: Option<f64>,
    /// When the card is next due (`None` while new).
    pub due: Option<Timestamp>,
    /// Number of (non-cram) answers.
    pub reps: u32,
    /// Number of times the card was forgotten from review (Again on a review card).
    pub lapses: u32,
    /// When the card was last answered (outside cram).
    pub last_review: Option<Timestamp>,
}

impl CardState {
    /// A card never answered.
    pub fn new() -> CardState {
        CardState::default()
    }

    /// Whether the card is due at `now`: not new, and its due time is at or before `now`.
    pub fn is_due(&self, now: Timestamp) -> bool {
        self.state != State::New && self.due.is_some_and(|due| due <= now)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn rating_parses_numbers_and_names() {
        for (text, rating) in [
            ("1", Rating::Again),
            ("2", Rating::Hard),
            (" 3 ", Rating::Good),
            ("4", Rating::Easy),
            ("again", Rating::Again),
            ("Hard", Rating::Hard),
            ("GOOD", Rating::Good),
            ("easy", Rating::Easy),
        ] {
            assert_eq!(text.parse::<Rating>(), Ok(rating), "{text:?}");
        }
    }

    #[test]
    fn rating_rejects_other_text_with_a_hint() {
        let err = "5".parse::<Rating>().unwrap_err();
        assert_eq!(
            err.to_string(),
            r#""5" is not a grade: type 1-4 or again, hard, good, easy"#
        );
        assert!("".parse::<Rating>().is_err_and(|e| e.input.is_empty()));
        assert_eq!(
            "ok".parse::<Rating>().map_err(|e| e.input),
            Err("ok".to_owned())
        );
    }

    #[test]
    fn rating_numbers_round_trip() {
        for rating in Rating::ALL {
            assert_eq!(Rating::from_u8(rating.as_u8()), Some(rating));
        }
        assert_eq!(Rating::from_u8(0), None);
        assert_eq!(Rating::from_u8(5), None);
    }

    #[test]
    fn rating_names_and_numbers() {
        let shown: Vec<_> = Rating::ALL
            .iter()
            .map(|r| format!("{} {} {r} {}", r.as_u8(), r.name(), r.is_pass()))
            .collect();
        assert_eq!(
            shown,
            [
                "1 Again again false",
                "2 Hard hard true",
                "3 Good good true",
                "4 Easy easy true"
            ]
        );
    }

    #[test]
    fn state_names_and_fsrs_numbers() {
        let shown: Vec<_> = State::ALL
            .iter()
            .map(|s| format!("{} {s}", s.as_u8()))
            .collect();
        assert_eq!(shown, ["0 new", "1 learning", "2 review", "3 relearning"]);
        for state in State::ALL {
            assert_eq!(state.as_str().parse::<State>(), Ok(state));
        }
        assert_eq!(
            "Review".parse::<State>().unwrap_err().to_string(),
            r#""Review" is not a card state (new, learning, review, relearning)"#
        );
    }

    #[test]
    fn new_card_is_never_due() {
        let card = CardState::new();
        assert!(!card.is_due(Timestamp::MAX));
    }
}

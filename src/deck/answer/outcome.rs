//! What the matcher decides about one reading of an answer.

/// The matcher's verdict on a typed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The answer states the card's fact.
    Right,
    /// Near the fact but not it (a typo, part of a sequence, a right claim with something extra): the candidate is
    /// shown what matched and what did not, and confirms a grade.
    Close,
    /// The answer does not state the fact.
    Wrong,
}

/// What one reading of an answer came to: the verdict, and for a close one what matched and what did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub(super) verdict: Verdict,
    pub(super) matched: Vec<String>,
    pub(super) unmatched: Vec<String>,
}

impl Outcome {
    pub(super) fn of(verdict: Verdict) -> Outcome {
        Outcome {
            verdict,
            matched: Vec::new(),
            unmatched: Vec::new(),
        }
    }

    pub(super) fn wrong() -> Outcome {
        Outcome::of(Verdict::Wrong)
    }

    pub(super) fn close(matched: Vec<String>, unmatched: Vec<String>) -> Outcome {
        Outcome {
            verdict: Verdict::Close,
            matched,
            unmatched,
        }
    }
}

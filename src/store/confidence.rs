//! How sure the candidate was of an interview answer ([`Confidence`]: sure, think so, guess), stored beside the
//! answer in the review log (schema 5), and calibration: how often each level was right ([`Calibration`]).
//! This file owns the `confidence` column's SQL; the round asks, the scorecard and `stats` report.
use serde::Serialize;

use super::db::{Store, classify};
use super::error::StoreError;
use crate::review::AnswerId;
use crate::schedule::Rating;

/// The schema version that added the `confidence` column.
const CONFIDENCE_SCHEMA: i64 = 5;

/// The interview answers with a confidence, read on their partial covering index (schema 7): never the log.
pub(super) const CALIBRATION_SQL: &str =
    "SELECT confidence, rating FROM reviews WHERE kind = 'interview' AND confidence IS NOT NULL";

/// How sure the candidate said they were, right after answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Sure,
    /// "I think so".
    Think,
    Guess,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::Sure, Confidence::Think, Confidence::Guess];

    /// The word stored in the log (and in `--json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Sure => "sure",
            Confidence::Think => "think",
            Confidence::Guess => "guess",
        }
    }

    /// What the candidate reads.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Sure => "sure",
            Confidence::Think => "think so",
            Confidence::Guess => "guess",
        }
    }

    /// The key that picks it in both front ends: `s`, `t`, `g` (none of the round's other keys).
    pub fn key(self) -> char {
        match self {
            Confidence::Sure => 's',
            Confidence::Think => 't',
            Confidence::Guess => 'g',
        }
    }

    /// Reads a key or a word (`s`, `sure`, `t`, `think`, `think so`, `g`, `guess`), any case.
    pub fn parse(text: &str) -> Option<Confidence> {
        match text.trim().to_lowercase().as_str() {
            "s" | "sure" => Some(Confidence::Sure),
            "t" | "think" | "think so" => Some(Confidence::Think),
            "g" | "guess" => Some(Confidence::Guess),
            _ => None,
        }
    }

    fn stored(text: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Right answers out of all answers given at one confidence level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Hits {
    pub right: usize,
    pub answers: usize,
}

impl Hits {
    /// The share right in whole percent, `None` without answers.
    pub fn percent(&self) -> Option<usize> {
        (self.answers > 0).then(|| self.right * 100 / self.answers)
    }
}

/// How often each confidence level was right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Calibration {
    pub sure: Hits,
    pub think: Hits,
    pub guess: Hits,
}

impl Calibration {
    /// Counts `(confidence, right)` pairs.
    pub fn of(answers: impl IntoIterator<Item = (Confidence, bool)>) -> Calibration {
        let mut out = Calibration::default();
        for (confidence, right) in answers {
            let hits = match confidence {
                Confidence::Sure => &mut out.sure,
                Confidence::Think => &mut out.think,
                Confidence::Guess => &mut out.guess,
            };
            hits.answers += 1;
            hits.right += usize::from(right);
        }
        out
    }

    /// `sure 5/6 (83%) · think so 3/5 (60%) · guess 1/3 (33%)`, the levels without answers left out; `None`
    /// when no answer had a confidence.
    pub fn summary(&self) -> Option<String> {
        let levels: Vec<String> = [
            (Confidence::Sure, &self.sure),
            (Confidence::Think, &self.think),
            (Confidence::Guess, &self.guess),
        ]
        .into_iter()
        .filter_map(|(c, h)| {
            h.percent()
                .map(|p| format!("{} {}/{} ({p}%)", c.label(), h.right, h.answers))
        })
        .collect();
        (!levels.is_empty()).then(|| levels.join(" · "))
    }

    /// Whether any answer had a confidence.
    pub fn is_empty(&self) -> bool {
        self.sure.answers + self.think.answers + self.guess.answers == 0
    }
}

impl Store {
    /// Stores how sure the candidate was of a recorded answer.
    pub fn set_confidence(
        &mut self,
        id: AnswerId,
        confidence: Confidence,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE reviews SET confidence = ?1 WHERE id = ?2",
                rusqlite::params![confidence.as_str(), id],
            )
            .map(drop)
            .map_err(|e| classify(&self.path, e))
    }

    /// Calibration over every interview answer given with a confidence (right: a passing grade).
    /// A database read as it is (another machine's, not migrated) may predate the column: no confidence then.
    pub fn calibration(&self) -> Result<Calibration, StoreError> {
        if self.schema_version()? < CONFIDENCE_SCHEMA {
            return Ok(Calibration::default());
        }
        let err = |e| classify(&self.path, e);
        let mut stmt = self.conn.prepare(CALIBRATION_SQL).map_err(err)?;
        let mut rows = stmt.query([]).map_err(err)?;
        let mut pairs = Vec::new();
        while let Some(row) = rows.next().map_err(err)? {
            let text: String = row.get(0).map_err(err)?;
            let rating: u8 = row.get(1).map_err(err)?;
            // A value portquiz did not write is left out rather than failing `stats`.
            if let (Some(c), Some(r)) = (Confidence::stored(&text), Rating::from_u8(rating)) {
                pairs.push((c, r.is_pass()));
            }
        }
        Ok(Calibration::of(pairs))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_words_read_back() {
        for c in Confidence::ALL {
            assert_eq!(Confidence::parse(&c.key().to_string()), Some(c));
            assert_eq!(Confidence::parse(c.label()), Some(c));
            assert_eq!(Confidence::stored(c.as_str()), Some(c));
        }
        assert_eq!(Confidence::parse(""), None);
        assert_eq!(Confidence::parse("q"), None);
    }

    #[test]
    fn calibration_counts_each_level() {
        use Confidence::*;
        let c = Calibration::of([
            (Sure, true),
            (Sure, false),
            (Sure, true),
            (Guess, true),
            (Think, false),
        ]);
        assert_eq!(
            c.sure,
            Hits {
                right: 2,
                answers: 3
            }
        );
        assert_eq!(c.sure.percent(), Some(66));
        assert_eq!(c.think.percent(), Some(0));
        assert_eq!(c.guess.percent(), Some(100));
        assert!(Calibration::default().is_empty());
    }
}

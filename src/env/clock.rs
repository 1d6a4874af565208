//! The clock every command reads "now" from, decided once from `PORTQUIZ_NOW`: either the wall clock, or a
//! fixed start that runs on in real time (so a test's session is on the day it asks for, yet its answers
//! keep distinct, ordered instants). Nothing else reads `PORTQUIZ_NOW`.
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    Wall {
        /// The instant the command started.
        start: Timestamp,
    },
    /// `PORTQUIZ_NOW`: starts at `start` and runs on in real time from `started`.
    Fixed { start: Timestamp, started: Instant },
}

/// `PORTQUIZ_NOW` is set but is not an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "PORTQUIZ_NOW={text:?} is not an RFC 3339 instant (for example 2026-01-31T09:00:00Z): {reason}"
)]
pub struct BadNow {
    pub text: String,
    pub reason: String,
}

impl Clock {
    /// The clock for a `PORTQUIZ_NOW` value (`None` or blank: the wall clock).
    pub fn from_var(value: Option<&str>) -> Result<Self, BadNow> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(Clock::Wall {
                start: Timestamp::now(),
            }),
            Some(text) => match text.parse::<Timestamp>() {
                Ok(start) => Ok(Clock::Fixed {
                    start,
                    started: Instant::now(),
                }),
                Err(err) => Err(BadNow {
                    text: value.unwrap_or_default().to_string(),
                    reason: err.to_string(),
                }),
            },
        }
    }

    /// The instant the command started: what a report or listing means by "now".
    pub fn start(&self) -> Timestamp {
        match *self {
            Clock::Wall { start } | Clock::Fixed { start, .. } => start,
        }
    }

    /// The time now: the wall clock, or the fixed start plus the real time elapsed since.
    pub fn now(&self) -> Timestamp {
        match *self {
            Clock::Wall { .. } => Timestamp::now(),
            Clock::Fixed { start, started } => SignedDuration::try_from(started.elapsed())
                .ok()
                .and_then(|elapsed| start.checked_add(elapsed).ok())
                .unwrap_or(start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_starts_at_portquiz_now_and_runs_on() {
        let clock = Clock::from_var(Some(" 2026-01-05T09:00:00Z ")).unwrap();
        let start: Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
        assert_eq!(clock.start(), start);
        let later = clock.now();
        assert!(later >= start && later.duration_since(start) < SignedDuration::from_secs(60));
        assert!(matches!(clock, Clock::Fixed { .. }));
    }

    #[test]
    fn unset_or_blank_means_the_wall_clock() {
        for value in [None, Some(""), Some("  ")] {
            let clock = Clock::from_var(value).unwrap();
            assert!(matches!(clock, Clock::Wall { .. }), "{value:?}");
            assert!(clock.now() >= clock.start());
        }
    }

    #[test]
    fn a_bad_value_is_named_in_the_error() {
        let err = Clock::from_var(Some("tomorrow")).unwrap_err();
        assert_eq!(err.text, "tomorrow");
        assert!(
            err.to_string()
                .starts_with("PORTQUIZ_NOW=\"tomorrow\" is not an RFC 3339 instant (for example 2026-01-31T09:00:00Z): "),
            "{err}"
        );
    }
}

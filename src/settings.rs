//! The settings portquiz keeps in the store, in one list: the user settings `portquiz config` reads and
//! writes ([`Key`]: the name users type, the name the store keeps, the help line, and the checking of
//! values before they are stored) and the fitted FSRS parameters ([`FSRS_PARAMETERS`]). Pure: the store
//! keeps the text.
use std::ops::RangeInclusive;

use jiff::civil::Date;

/// The store's key for the fitted FSRS parameters, a JSON array of numbers written by `optimize` (not a
/// user setting: `config` does not show it).
pub const FSRS_PARAMETERS: &str = "fsrs_parameters";

/// The store's key for the study day `study` last said which decks have progress without a card (renamed
/// cards), `YYYY-MM-DD`: the notice is shown once a day (not a user setting).
pub const RENAME_NOTICE_SHOWN: &str = "rename_notice_shown";

/// The desired retentions accepted.
const RETENTION: RangeInclusive<f32> = 0.7..=0.99;

/// A setting `portquiz config` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `YYYY-MM-DD`: no interval reaches past it, and study reports whether new cards fit.
    InterviewDate,
    /// The recall probability FSRS aims for, 0.70 to 0.99.
    DesiredRetention,
}

impl Key {
    /// Every key, in the order `config` lists them.
    pub const ALL: [Key; 2] = [Key::InterviewDate, Key::DesiredRetention];

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Key::InterviewDate => "interview-date",
            Key::DesiredRetention => "desired-retention",
        }
    }

    /// The key the store keeps the value under (fixed: databases already hold these).
    pub fn stored_as(self) -> &'static str {
        match self {
            Key::InterviewDate => "interview_date",
            Key::DesiredRetention => "desired_retention",
        }
    }

    /// One line for `config --help`.
    pub fn help(self) -> &'static str {
        match self {
            Key::InterviewDate => "The interview date (YYYY-MM-DD): no interval reaches past it",
            Key::DesiredRetention => "The recall probability FSRS aims for (default 0.9)",
        }
    }

    /// The value used when the setting is unset (`None`: the setting is off until set).
    pub fn default_value(self) -> Option<&'static str> {
        match self {
            Key::InterviewDate => None,
            Key::DesiredRetention => Some("0.9"),
        }
    }

    /// The value used when the setting is unset, for display.
    pub fn default_text(self) -> &'static str {
        self.default_value().unwrap_or("(none)")
    }

    /// Checks `value` and returns the text to store, or a message saying what is accepted.
    pub fn normalize(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        match self {
            Key::InterviewDate => value
                .parse::<Date>()
                .map(|d| d.to_string())
                .map_err(|_| format!("interview-date must be a date as YYYY-MM-DD (for example 2026-03-31), not {value:?}")),
            Key::DesiredRetention => match value.parse::<f32>() {
                Ok(r) if RETENTION.contains(&r) => Ok(format!("{r}")),
                _ => Err(format!(
                    "desired-retention must be a number from 0.70 to 0.99 (0.9 is the default), not {value:?}"
                )),
            },
        }
    }
}

/// The interview date stored as text, if it parses.
pub fn interview_date(stored: Option<&str>) -> Option<Date> {
    stored.and_then(|s| s.trim().parse().ok())
}

/// The desired retention stored as text, if it is valid.
pub fn desired_retention(stored: Option<&str>) -> Option<f32> {
    stored
        .and_then(|s| s.trim().parse::<f32>().ok())
        .filter(|r| RETENTION.contains(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_normalised() {
        assert_eq!(
            Key::InterviewDate.normalize(" 2026-03-31 "),
            Ok("2026-03-31".into())
        );
        assert_eq!(
            Key::InterviewDate.normalize("31/03/2026"),
            Err("interview-date must be a date as YYYY-MM-DD (for example 2026-03-31), not \"31/03/2026\"".into())
        );
        assert_eq!(Key::DesiredRetention.normalize("0.85"), Ok("0.85".into()));
        assert_eq!(Key::DesiredRetention.normalize("0.70"), Ok("0.7".into()));
        assert_eq!(Key::DesiredRetention.normalize("0.99"), Ok("0.99".into()));
        assert_eq!(
            Key::DesiredRetention.normalize("0.995"),
            Err("desired-retention must be a number from 0.70 to 0.99 (0.9 is the default), not \"0.995\"".into())
        );
        assert!(
            Key::DesiredRetention
                .normalize("0.69")
                .is_err_and(|e| e.contains("0.70 to 0.99"))
        );
    }

    #[test]
    fn every_key_has_its_names() {
        let names: Vec<_> = Key::ALL
            .iter()
            .map(|k| format!("{} {} {}", k.name(), k.stored_as(), k.default_text()))
            .collect();
        assert_eq!(
            names,
            [
                "interview-date interview_date (none)",
                "desired-retention desired_retention 0.9"
            ]
        );
    }

    #[test]
    fn stored_text_is_read_back() {
        assert_eq!(
            interview_date(Some("2026-03-31")),
            Some(jiff::civil::date(2026, 3, 31))
        );
        assert_eq!(interview_date(Some("garbage")), None);
        assert_eq!(desired_retention(Some("0.85")), Some(0.85));
        assert_eq!(desired_retention(Some("2")), None);
        assert_eq!(desired_retention(None), None);
    }
}

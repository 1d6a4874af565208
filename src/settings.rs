//! The user settings `portquiz config` reads and writes: their names, and the checking of values before
//! they are stored. Pure: the store keeps the text.
use jiff::civil::Date;

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

    /// The value used when the setting is unset, for display.
    pub fn default_text(self) -> &'static str {
        match self {
            Key::InterviewDate => "(none)",
            Key::DesiredRetention => "0.9",
        }
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
                Ok(r) if (0.7..=0.99).contains(&r) => Ok(format!("{r}")),
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
        .filter(|r| (0.7..=0.99).contains(r))
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

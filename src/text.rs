//! Words for numbers, shared by every message: a noun that agrees with its count ([`plural`], [`inflect`]) and
//! a length of time ([`duration`], in the three forms portquiz prints). Pure: text in, text out; what the
//! messages say is decided by their callers.
use jiff::SignedDuration;

/// `word` as it agrees with `n`: `card` for 1, `cards` otherwise (English regular plurals only).
pub fn inflect(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// The count and its noun: `1 deck`, `0 decks`, `3 decks`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {}", inflect(n, word))
}

/// How [`duration`] writes a length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A grade button's label: `<1m`, `10m`, `3h`, `3d`, `1.5mo` (from 30 days), `1.4y` (from 365 days).
    Short,
    /// Inside a sentence: `1 min`, `10 min`, `3 h`, `1 day`, `45 days` (`less than a minute` for none).
    Long,
    /// Time spent, in whole units (truncated, as a clock shows it): `35 s`, `4 min`, `1 h 5 min`.
    Spent,
}

/// A length of time (a negative one counts as zero). [`Form::Short`] and [`Form::Long`] count minutes
/// below an hour, rounded up (a card due in 61 s is not due in a minute), then hours below a day and days,
/// rounded to the nearest; [`Form::Spent`] truncates.
pub fn duration(length: SignedDuration, form: Form) -> String {
    let secs = length.as_secs().max(0);
    if form == Form::Spent {
        return match secs {
            0..60 => format!("{secs} s"),
            60..3600 => format!("{} min", secs / 60),
            _ => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        };
    }
    let (long, short) = if secs == 0 {
        ("less than a minute".to_owned(), "<1m".to_owned())
    } else if secs < 3600 {
        let minutes = (secs + 59) / 60;
        (format!("{minutes} min"), format!("{minutes}m"))
    } else if secs < 86_400 {
        let hours = (secs + 1800) / 3600;
        (format!("{hours} h"), format!("{hours}h"))
    } else {
        let days = usize::try_from((secs + 43_200) / 86_400).unwrap_or(usize::MAX);
        (plural(days, "day"), short_days(days))
    };
    match form {
        Form::Long => long,
        _ => short,
    }
}

/// `secs` seconds as a length of time for [`duration`]: a count of seconds from a float (an average, a
/// simulated time) that is NaN or too large becomes zero or the longest length, never a panic.
pub fn seconds(secs: f64) -> SignedDuration {
    SignedDuration::try_from_secs_f64(secs).unwrap_or(if secs > 0.0 {
        SignedDuration::MAX
    } else {
        SignedDuration::ZERO
    })
}

fn short_days(days: usize) -> String {
    let d = days as f64;
    if days < 30 {
        format!("{days}d")
    } else if days < 365 {
        format!("{:.1}mo", d / 30.0)
    } else {
        format!("{:.1}y", d / 365.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_agree_with_their_count() {
        assert_eq!(plural(0, "deck"), "0 decks");
        assert_eq!(plural(1, "deck"), "1 deck");
        assert_eq!(plural(2, "new card"), "2 new cards");
        assert_eq!(inflect(1, "line"), "line");
        assert_eq!(inflect(3, "line"), "lines");
    }

    fn secs(s: i64) -> SignedDuration {
        SignedDuration::from_secs(s)
    }

    #[test]
    fn short_labels_round_minutes_up_and_the_rest_to_the_nearest_unit() {
        let short = |s| duration(secs(s), Form::Short);
        assert_eq!(short(-5), "<1m");
        assert_eq!(short(0), "<1m");
        assert_eq!(short(20), "1m");
        assert_eq!(short(60), "1m");
        assert_eq!(short(61), "2m");
        assert_eq!(short(600), "10m");
        assert_eq!(short(150 * 60 - 1), "2h");
        assert_eq!(short(150 * 60), "3h");
        assert_eq!(short(60 * 3600), "3d");
        assert_eq!(short(29 * 86_400), "29d");
        assert_eq!(short(45 * 86_400), "1.5mo");
        assert_eq!(short(730 * 86_400), "2.0y");
    }

    #[test]
    fn long_forms_read_in_a_sentence() {
        let long = |s| duration(secs(s), Form::Long);
        assert_eq!(long(0), "less than a minute");
        assert_eq!(long(59), "1 min");
        assert_eq!(long(119), "2 min");
        assert_eq!(long(590), "10 min");
        assert_eq!(long(5 * 3600 + 1799), "5 h");
        assert_eq!(long(86_400), "1 day");
        assert_eq!(long(45 * 86_400), "45 days");
    }

    #[test]
    fn time_spent_counts_whole_units() {
        let spent = |s: f64| duration(seconds(s), Form::Spent);
        assert_eq!(spent(0.0), "0 s");
        assert_eq!(spent(40.4), "40 s");
        assert_eq!(spent(59.6), "59 s");
        assert_eq!(spent(119.0), "1 min");
        assert_eq!(spent(185.0), "3 min");
        assert_eq!(spent(3720.0), "1 h 2 min");
        assert_eq!(duration(secs(-3), Form::Spent), "0 s");
        assert_eq!(spent(f64::NAN), "0 s");
        assert_eq!(spent(f64::INFINITY), "2562047788015215 h 30 min");
    }
}

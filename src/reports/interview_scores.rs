//! Interview scores over time, for `portquiz stats`: the answers given in mock interviews (the review log's
//! interview rows), scored per study day as the share answered with a passing grade, and drawn as a bar
//! chart. Pure: the rows and the study-day function come in, text goes out to any `impl Write`.
use std::io::{self, Write};

use jiff::Timestamp;
use jiff::civil::Date;

use super::chart::{self, Bar};
use crate::review::Review;

/// One study day's interview answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayScore {
    pub date: Date,
    pub right: usize,
    pub answers: usize,
}

impl DayScore {
    /// The score in percent (0 without answers).
    pub fn percent(&self) -> f64 {
        if self.answers == 0 {
            0.0
        } else {
            self.right as f64 * 100.0 / self.answers as f64
        }
    }
}

/// Scores per study day, oldest first, from interview rows in time order.
pub fn by_day<S>(rows: &[Review<S>], day: &dyn Fn(Timestamp) -> Date) -> Vec<DayScore> {
    let mut out: Vec<DayScore> = Vec::new();
    for row in rows {
        let date = day(row.time);
        if out.last().is_none_or(|d| d.date != date) {
            out.push(DayScore {
                date,
                right: 0,
                answers: 0,
            });
        }
        if let Some(last) = out.last_mut() {
            last.answers += 1;
            if row.rating.is_pass() {
                last.right += 1;
            }
        }
    }
    out
}

/// The chart, at most the last `days` days with interviews; nothing when there are none.
pub fn render(out: &mut impl Write, scores: &[DayScore], color: bool) -> io::Result<()> {
    if scores.is_empty() {
        return Ok(());
    }
    // A blank line parts the chart from the tables above it.
    writeln!(out)?;
    writeln!(out, "Interview scores (% right per day)")?;
    let bars: Vec<Bar> = scores
        .iter()
        .rev()
        .take(14)
        .rev()
        .map(|d| {
            Bar::new(
                format!("  {} ({}/{})", d.date, d.right, d.answers),
                d.percent(),
            )
        })
        .collect();
    chart::horizontal(
        out,
        &bars,
        chart::Style {
            color,
            size: 20,
            decimals: 0,
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::Rating;

    fn row(time: &str, rating: Rating) -> Review {
        Review::answered("d", "c", time, rating)
    }

    #[test]
    fn scores_per_day_as_a_chart() {
        let rows = [
            row("2026-03-02T09:00:00Z", Rating::Good),
            row("2026-03-02T09:01:00Z", Rating::Again),
            row("2026-03-03T09:00:00Z", Rating::Good),
            row("2026-03-03T09:01:00Z", Rating::Hard),
            row("2026-03-03T09:02:00Z", Rating::Good),
            row("2026-03-03T09:03:00Z", Rating::Again),
        ];
        let scores = by_day(&rows, &|t| jiff::tz::TimeZone::UTC.to_datetime(t).date());
        let mut out = Vec::new();
        render(&mut out, &scores, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\nInterview scores (% right per day)\n  2026-03-02 (1/2) ############# 50\n  2026-03-03 (3/4) #################### 75\n"
        );
    }
}

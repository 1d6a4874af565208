//! The interview-date planner: days left before an interview, whether the remaining new cards fit at the
//! daily new-card limit, which limit would fit, and the interval cap `study --until` applies.
//! Pure arithmetic on civil dates; no clock, no store.
use jiff::civil::Date;
use serde::Serialize;

use crate::text::plural;

/// The plan toward an interview date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Study days left: today up to and including the day before the interview (0 on or after it).
    pub days_left: u32,
    /// New cards not yet studied.
    pub remaining_new: u32,
    /// The current daily new-card limit.
    pub new_per_day: u32,
    /// Whether `days_left * new_per_day >= remaining_new`.
    pub fits: bool,
    /// The smallest daily limit that fits, or `None` when no day is left and cards remain.
    pub new_per_day_needed: Option<u32>,
}

/// Days from `today` to `until`, or 0 when `until` is today or earlier.
pub fn days_until(today: Date, until: Date) -> u32 {
    let days = (until - today).get_days();
    // Civil-date spans from `Date - Date` are in days; clamp the past to zero.
    u32::try_from(days).unwrap_or(0)
}

/// Plans the remaining new cards over the days left before `interview`.
pub fn plan(today: Date, interview: Date, remaining_new: u32, new_per_day: u32) -> Plan {
    let days_left = days_until(today, interview);
    let capacity = u64::from(days_left) * u64::from(new_per_day);
    let needed = if remaining_new == 0 {
        Some(0)
    } else if days_left == 0 {
        None
    } else {
        Some(remaining_new.div_ceil(days_left))
    };
    Plan {
        days_left,
        remaining_new,
        new_per_day,
        fits: capacity >= u64::from(remaining_new),
        new_per_day_needed: needed,
    }
}

/// One line saying whether the plan fits and what to change if it does not.
pub fn describe(plan: &Plan, interview: Date) -> String {
    let days = plural(plan.days_left as usize, "day");
    let cards = plural(plan.remaining_new as usize, "new card");
    match (plan.fits, plan.new_per_day_needed) {
        _ if plan.remaining_new == 0 => {
            format!("Interview on {interview}: {days} left; no new cards left to learn.")
        }
        (true, _) => format!(
            "Interview on {interview}: {days} left; {cards} at {} a day fit.",
            plan.new_per_day
        ),
        (false, Some(needed)) => format!(
            "Interview on {interview}: {days} left; {cards} at {} a day do not fit. Study {} a day (--new {needed}) to see them all.",
            plan.new_per_day,
            plural(needed as usize, "new card")
        ),
        (false, None) => format!(
            "Interview on {interview}: no study day left; {cards} will not be seen before it."
        ),
    }
}

/// Caps an interval (in whole days, from `today`) so the next review is due no later than `until`.
/// At least one day is kept, so a card answered on the interview day itself is not due again the same day.
pub fn cap_interval(today: Date, until: Date, interval_days: u32) -> u32 {
    interval_days.min(days_until(today, until).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 3, 1);

    #[test]
    fn days_left_counts_today_not_the_interview_day() {
        assert_eq!(days_until(TODAY, date(2026, 3, 2)), 1);
        assert_eq!(days_until(TODAY, date(2026, 3, 1)), 0);
        assert_eq!(days_until(TODAY, date(2026, 2, 20)), 0);
        assert_eq!(days_until(TODAY, date(2026, 4, 1)), 31);
    }

    #[test]
    fn fits_exactly_at_the_boundary() {
        let p = plan(TODAY, date(2026, 3, 11), 100, 10);
        assert_eq!(
            p,
            Plan {
                days_left: 10,
                remaining_new: 100,
                new_per_day: 10,
                fits: true,
                new_per_day_needed: Some(10)
            }
        );
        let p = plan(TODAY, date(2026, 3, 11), 101, 10);
        assert!(!p.fits);
        assert_eq!(p.new_per_day_needed, Some(11));
    }

    #[test]
    fn no_day_left_or_nothing_left() {
        let p = plan(TODAY, TODAY, 5, 10);
        assert_eq!((p.fits, p.new_per_day_needed), (false, None));
        let p = plan(TODAY, TODAY, 0, 10);
        assert_eq!((p.fits, p.new_per_day_needed), (true, Some(0)));
        let p = plan(TODAY, date(2026, 3, 5), 3, 0);
        assert_eq!((p.fits, p.new_per_day_needed), (false, Some(1)));
    }

    #[test]
    fn describe_says_what_to_do() {
        let d = date(2026, 3, 11);
        // (interview date, new cards left), at 10 new cards a day.
        let said: Vec<String> = [(d, 100), (d, 101), (TODAY, 1), (d, 0)]
            .into_iter()
            .map(|(interview, new)| describe(&plan(TODAY, interview, new, 10), interview))
            .collect();
        assert_eq!(
            said,
            [
                "Interview on 2026-03-11: 10 days left; 100 new cards at 10 a day fit.",
                "Interview on 2026-03-11: 10 days left; 101 new cards at 10 a day do not fit. Study 11 new cards a day (--new 11) to see them all.",
                "Interview on 2026-03-01: no study day left; 1 new card will not be seen before it.",
                "Interview on 2026-03-11: 10 days left; no new cards left to learn.",
            ]
        );
    }

    #[test]
    fn intervals_stop_at_the_date() {
        assert_eq!(cap_interval(TODAY, date(2026, 3, 11), 30), 10);
        assert_eq!(cap_interval(TODAY, date(2026, 3, 11), 10), 10);
        assert_eq!(cap_interval(TODAY, date(2026, 3, 11), 3), 3);
        assert_eq!(cap_interval(TODAY, TODAY, 30), 1);
    }
}

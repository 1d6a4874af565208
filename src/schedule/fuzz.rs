//! Interval fuzz, as Anki does it (rslib/src/scheduler/states/fuzz.rs): an interval of `i` days may move by
//! `delta(i)` days either way, where `delta` grows by 15% of the days between 2.5 and 7, 10% between 7 and 20
//! and 5% beyond 20, plus one day. Intervals under 2.5 days are not fuzzed. One fuzz factor in `[0, 1)` is
//! drawn per answer and picks the day inside the range, so the same factor always gives the same day.

/// Fuzz ranges: (start, end, factor), as Anki.
const FUZZ_RANGES: [(f64, f64, f64); 3] =
    [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f64::MAX, 0.05)];

/// How many days an interval of `interval` days may move either way (0 under 2.5 days).
pub fn fuzz_delta(interval: f64) -> f64 {
    if interval < 2.5 {
        return 0.0;
    }
    FUZZ_RANGES
        .iter()
        .fold(1.0, |delta, &(start, end, factor)| {
            delta + factor * (interval.min(end) - start).max(0.0)
        })
}

/// The inclusive day range an interval may be fuzzed into, kept inside `[minimum, maximum]`
/// (`minimum` is raised to at least 1 and lowered to at most `maximum`).
pub fn fuzz_bounds(interval: f64, minimum: u32, maximum: u32) -> (u32, u32) {
    let maximum = maximum.max(1);
    let minimum = minimum.clamp(1, maximum);
    let interval = interval.clamp(f64::from(minimum), f64::from(maximum));
    let delta = fuzz_delta(interval);
    let lower = to_days(interval - delta).clamp(minimum, maximum);
    let mut upper = to_days(interval + delta).clamp(minimum, maximum);
    // As Anki: a fuzzable interval always has at least two choices unless the maximum forbids it.
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    (lower, upper)
}

/// The interval in whole days: `interval` rounded into `[minimum, maximum]`, then, when `fuzz_factor` is
/// given (in `[0, 1)`), moved inside its fuzz range.
pub fn fuzzed_days(interval: f64, minimum: u32, maximum: u32, fuzz_factor: Option<f64>) -> u32 {
    let maximum = maximum.max(1);
    let minimum = minimum.clamp(1, maximum);
    match fuzz_factor {
        None => to_days(interval).clamp(minimum, maximum),
        Some(factor) => {
            let (lower, upper) = fuzz_bounds(interval, minimum, maximum);
            let span = f64::from(upper - lower + 1);
            let offset = (factor.clamp(0.0, 1.0) * span).floor();
            // offset < span except for factor == 1.0, which the min() keeps inside.
            (lower + to_days_floor(offset)).min(upper)
        }
    }
}

/// Rounds days to a u32, saturating (NaN -> 0).
fn to_days(days: f64) -> u32 {
    let rounded = days.round();
    if rounded.is_nan() || rounded <= 0.0 {
        0
    } else if rounded >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        // In range and integral: the cast is exact.
        rounded as u32
    }
}

fn to_days_floor(days: f64) -> u32 {
    to_days(days.floor())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_fuzz_below_two_and_a_half_days() {
        assert_eq!(fuzz_delta(2.4), 0.0);
        assert_eq!(fuzz_bounds(1.0, 1, 100), (1, 1));
        assert_eq!(fuzz_bounds(2.0, 1, 100), (2, 2));
        assert_eq!(fuzzed_days(2.4, 1, 100, Some(0.99)), 2);
    }

    #[test]
    fn delta_grows_by_range_as_anki() {
        // 1 + 0.15 * (7 - 2.5) = 1.675
        assert!((fuzz_delta(7.0) - 1.675).abs() < 1e-9);
        // 1.675 + 0.1 * 13 = 2.975
        assert!((fuzz_delta(20.0) - 2.975).abs() < 1e-9);
        // 2.975 + 0.05 * 80 = 6.975
        assert!((fuzz_delta(100.0) - 6.975).abs() < 1e-9);
        assert_eq!(fuzz_bounds(100.0, 1, 36500), (93, 107));
        assert_eq!(fuzz_bounds(3.0, 1, 36500), (2, 4));
    }

    #[test]
    fn bounds_respect_minimum_and_maximum() {
        assert_eq!(fuzz_bounds(100.0, 1, 100), (93, 100));
        assert_eq!(fuzz_bounds(100.0, 99, 36500), (99, 107));
        // A maximum of 1 (interview tomorrow) leaves no choice.
        assert_eq!(fuzz_bounds(30.0, 1, 1), (1, 1));
        assert_eq!(fuzzed_days(30.0, 1, 1, Some(0.7)), 1);
    }

    #[test]
    fn factor_picks_the_day_inside_the_range() {
        assert_eq!(fuzzed_days(100.0, 1, 36500, Some(0.0)), 93);
        assert_eq!(fuzzed_days(100.0, 1, 36500, Some(0.999)), 107);
        assert_eq!(fuzzed_days(100.0, 1, 36500, Some(1.0)), 107);
        assert_eq!(fuzzed_days(100.0, 1, 36500, Some(0.5)), 100);
        assert_eq!(fuzzed_days(100.4, 1, 36500, None), 100);
    }

    #[test]
    fn unfuzzed_interval_is_at_least_one_day() {
        assert_eq!(fuzzed_days(0.2, 1, 36500, None), 1);
        assert_eq!(fuzzed_days(f64::NAN, 1, 36500, None), 1);
        assert_eq!(fuzzed_days(1e12, 1, 36500, None), 36500);
    }
}

//! Progress statistics: today's reviews, the 30-day due forecast, true retention, the study streak,
//! per-deck maturity counts and leeches; and their text rendering with a bar chart.
//! Pure: card states and the review log come in with "now" and the study-day function (the scheduler's
//! day boundary); no store access.
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::chart::{self, Bar, Style};
use crate::review::Review;
use crate::schedule::State;
use crate::store::Calibration;
use crate::text::{Form, duration, plural, seconds};

/// Interval (days) from which a review card counts as mature, as in Anki.
pub const MATURE_DAYS: f64 = 21.0;
/// Lapses from which a card is a leech, as in Anki.
pub const LEECH_LAPSES: u32 = 8;
/// Overridden verdicts ("I was right") from which `stats` lists a card: once can be a slip, twice is a
/// pattern worth a look at the card's accepted answers.
pub const OVERRIDDEN_AT_LEAST: u32 = 2;
/// Days in the due forecast and the retention window.
pub const WINDOW_DAYS: usize = 30;

/// One card's current state, as stats need it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardInfo<'a> {
    /// Lent by the loaded decks (two strings per card of a 100,000-card library otherwise).
    pub deck: &'a str,
    pub card: &'a str,
    pub state: State,
    /// When it is due next (`None` for new cards).
    pub due: Option<Timestamp>,
    /// The current interval in days (time from the last review to the due date).
    pub interval_days: f64,
    pub lapses: u32,
}

/// Today's work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Today {
    pub reviews: usize,
    /// Reviews rated hard, good or easy.
    pub right: usize,
    /// `right / reviews` in percent, `None` without reviews.
    pub right_percent: Option<f64>,
    /// Time spent answering, in seconds (reviews with a recorded duration).
    pub seconds: f64,
}

/// Counts for one deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckCounts {
    pub deck: String,
    pub new: usize,
    /// Learning and relearning cards.
    pub learning: usize,
    /// Review cards with an interval under 21 days.
    pub young: usize,
    /// Review cards with an interval of 21 days or more.
    pub mature: usize,
}

/// A card forgotten at least [`LEECH_LAPSES`] times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leech {
    pub deck: String,
    pub card: String,
    pub lapses: u32,
    /// The card's question (first line), when its deck is loaded; filled in by the caller.
    pub prompt: Option<String>,
}

/// A card whose verdict of wrong the candidate overrode ("I was right") at least [`OVERRIDDEN_AT_LEAST`]
/// times: its accepted answers probably miss a way people write the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overridden {
    pub deck: String,
    pub card: String,
    /// Answers whose verdict was overridden.
    pub overrides: u32,
    /// Every answer to the card.
    pub answers: u32,
    /// The card's question (first line), when its deck is loaded; filled in by the caller.
    pub prompt: Option<String>,
}

/// Everything `portquiz stats` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Today's date in the user's time zone.
    pub date: Date,
    pub today: Today,
    /// Cards due on each of the next 30 days; day 0 (today) includes overdue cards.
    pub forecast: Vec<usize>,
    /// Share (percent) of reviews of cards in the review state answered right over the last 30 days,
    /// `None` without such reviews.
    pub true_retention_percent: Option<f64>,
    /// Reviews counted for the true retention.
    pub retention_reviews: usize,
    /// Consecutive days with at least one review, ending today (or yesterday if nothing yet today).
    pub streak_days: u32,
    pub decks: Vec<DeckCounts>,
    pub leeches: Vec<Leech>,
    /// Cards whose verdict is often overridden, most first; filled in by the caller from the whole log.
    pub overridden_verdicts: Vec<Overridden>,
    /// The interview date (`config set interview-date`), and the study days left before it; filled in by the
    /// caller.
    pub interview_date: Option<Date>,
    pub interview_days_left: Option<u32>,
    /// How often interview answers were right when the candidate said sure, think so or guess, over the
    /// whole log; filled in by the caller.
    pub calibration: Calibration,
    /// Cards whose answers are often called close (`overrides` counts the close answers), most first; filled in
    /// by the caller from the whole log.
    pub close_verdicts: Vec<Overridden>,
}

fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// Computes the statistics at `now` from the whole review log; `day_of` maps an instant to its study day
/// (e.g. the scheduler's `study_day`, which starts days at 4:00 local time).
/// The log may be in any order: every figure is a count or a set. Cram answers count as work done today,
/// not towards retention.
pub fn compute<'r, S: 'r>(
    cards: &[CardInfo<'_>],
    log: impl IntoIterator<Item = &'r Review<S>>,
    now: Timestamp,
    day_of: &dyn Fn(Timestamp) -> Date,
) -> Stats {
    compute_recent(cards, log, now, day_of, None)
}

/// The study days before the part of the log given to [`compute_recent`], for the streak.
pub struct Earlier<'a> {
    /// The log holds every answer of this study day and later ones.
    pub log_from: Date,
    /// Whether an answer was given on an earlier study day (asked day by day, from the newest back, while
    /// the streak lasts).
    pub studied_on: &'a mut dyn FnMut(Date) -> bool,
}

/// [`compute`] from the recent part of the log: every figure but the streak looks at most
/// [`WINDOW_DAYS`] back, so a log from `today - WINDOW_DAYS` on is enough, and a streak that reaches past it
/// asks `earlier` about the older days instead of reading the whole history.
pub fn compute_recent<'r, S: 'r>(
    cards: &[CardInfo<'_>],
    log: impl IntoIterator<Item = &'r Review<S>>,
    now: Timestamp,
    day_of: &dyn Fn(Timestamp) -> Date,
    mut earlier: Option<Earlier<'_>>,
) -> Stats {
    let today_date = day_of(now);
    let mut today = Today {
        reviews: 0,
        right: 0,
        right_percent: None,
        seconds: 0.0,
    };
    let mut retention = (0usize, 0usize);
    let mut days: BTreeSet<Date> = BTreeSet::new();
    for r in log {
        let day = day_of(r.time);
        if r.time > now {
            continue;
        }
        days.insert(day);
        let age = days_between(day, today_date);
        if age == 0 {
            today.reviews += 1;
            if r.rating.is_pass() {
                today.right += 1;
            }
            today.seconds += r.duration_ms as f64 / 1000.0;
        }
        if !r.cram && r.state_before == State::Review && (0..WINDOW_DAYS as i64).contains(&age) {
            retention.0 += 1;
            if r.rating.is_pass() {
                retention.1 += 1;
            }
        }
    }
    if today.reviews > 0 {
        today.right_percent = Some(percent(today.right, today.reviews));
    }
    let mut streak = 0u32;
    let mut day = today_date;
    if !days.contains(&day) {
        day = day.yesterday().unwrap_or(day);
    }
    let mut studied = |day: &Date| match earlier.as_mut() {
        Some(e) if *day < e.log_from => (e.studied_on)(*day),
        _ => days.contains(day),
    };
    while studied(&day) {
        streak += 1;
        match day.yesterday() {
            Ok(d) => day = d,
            Err(_) => break,
        }
    }
    let mut forecast = vec![0usize; WINDOW_DAYS];
    let mut decks: BTreeMap<&str, DeckCounts> = BTreeMap::new();
    let mut leeches = Vec::new();
    for c in cards {
        let counts = decks.entry(c.deck).or_insert_with(|| DeckCounts {
            deck: c.deck.to_string(),
            new: 0,
            learning: 0,
            young: 0,
            mature: 0,
        });
        match c.state {
            State::New => counts.new += 1,
            State::Learning | State::Relearning => counts.learning += 1,
            State::Review if c.interval_days >= MATURE_DAYS => counts.mature += 1,
            State::Review => counts.young += 1,
        }
        if let (Some(due), false) = (c.due, c.state == State::New) {
            let offset = days_between(today_date, day_of(due)).max(0);
            if let Some(slot) = usize::try_from(offset)
                .ok()
                .and_then(|o| forecast.get_mut(o))
            {
                *slot += 1;
            }
        }
        if c.lapses >= LEECH_LAPSES {
            leeches.push(Leech {
                deck: c.deck.to_string(),
                card: c.card.to_string(),
                lapses: c.lapses,
                prompt: None,
            });
        }
    }
    leeches.sort_by(|a, b| {
        b.lapses
            .cmp(&a.lapses)
            .then_with(|| (&a.deck, &a.card).cmp(&(&b.deck, &b.card)))
    });
    Stats {
        date: today_date,
        today,
        forecast,
        true_retention_percent: (retention.0 > 0).then(|| percent(retention.1, retention.0)),
        retention_reviews: retention.0,
        streak_days: streak,
        decks: decks.into_values().collect(),
        interview_date: None,
        interview_days_left: None,
        calibration: Calibration::default(),
        leeches,
        overridden_verdicts: Vec::new(),
        close_verdicts: Vec::new(),
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// `: <the prompt's first line>`, made safe for the terminal, or nothing without a prompt.
fn first_line(prompt: Option<&str>) -> String {
    prompt
        .map(|p| format!(": {}", crate::safe::line(p.lines().next().unwrap_or(""))))
        .unwrap_or_default()
}

/// Writes the statistics as text.
pub fn render(out: &mut impl Write, stats: &Stats, color: bool) -> io::Result<()> {
    let t = &stats.today;
    writeln!(out, "Today ({})", stats.date)?;
    match t.right_percent {
        Some(p) => writeln!(
            out,
            "  {}: {} right, {} wrong ({p:.1}% right), {}",
            plural(t.reviews, "review"),
            t.right,
            t.reviews - t.right,
            duration(seconds(t.seconds), Form::Spent)
        )?,
        None => writeln!(out, "  no reviews yet")?,
    }
    writeln!(
        out,
        "  streak: {}",
        plural(stats.streak_days as usize, "day")
    )?;
    if let (Some(date), Some(left)) = (stats.interview_date, stats.interview_days_left) {
        writeln!(
            out,
            "  interview on {date}: {} left",
            plural(left as usize, "study day")
        )?;
    }
    match stats.true_retention_percent {
        Some(p) => writeln!(
            out,
            "  true retention (30 days): {p:.1}% of {} review-state answers",
            stats.retention_reviews
        )?,
        None => writeln!(
            out,
            "  true retention (30 days): no reviews of mature or young cards yet"
        )?,
    }
    writeln!(out)?;
    writeln!(
        out,
        "Due in the next 30 days (day 0 is today, with overdue cards)"
    )?;
    let bars: Vec<Bar> = stats
        .forecast
        .iter()
        .enumerate()
        .map(|(i, &n)| Bar::new(i.to_string(), n as f64))
        .collect();
    chart::vertical(
        out,
        &bars,
        Style {
            color,
            size: 6,
            decimals: 0,
        },
        5,
    )?;
    writeln!(out)?;
    let width = stats
        .decks
        .iter()
        .map(|d| d.deck.len())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:width$}  {:>5}  {:>8}  {:>5}  {:>6}",
        "deck", "new", "learning", "young", "mature"
    )?;
    for d in &stats.decks {
        writeln!(
            out,
            "{:width$}  {:>5}  {:>8}  {:>5}  {:>6}",
            d.deck, d.new, d.learning, d.young, d.mature
        )?;
    }
    if !stats.leeches.is_empty() {
        writeln!(out)?;
        writeln!(out, "Leeches ({} or more lapses)", LEECH_LAPSES)?;
        for l in &stats.leeches {
            let prompt = first_line(l.prompt.as_deref());
            writeln!(out, "  {}/{} ({} lapses){prompt}", l.deck, l.card, l.lapses)?;
        }
    }
    if let Some(summary) = stats.calibration.summary() {
        writeln!(out)?;
        writeln!(
            out,
            "Interview calibration (right when you said, all rounds): {summary}"
        )?;
    }
    marked_cards(
        out,
        &format!(
            "Verdicts often overridden (\"I was right\" {OVERRIDDEN_AT_LEAST} or more times): check what these cards accept"
        ),
        &stats.overridden_verdicts,
    )?;
    marked_cards(
        out,
        &format!(
            "Answers often close ({OVERRIDDEN_AT_LEAST} or more times): check what these cards accept"
        ),
        &stats.close_verdicts,
    )?;
    Ok(())
}

/// A list of cards for their authors (often overridden, often close) under `heading`; nothing when empty.
fn marked_cards(out: &mut impl Write, heading: &str, cards: &[Overridden]) -> std::io::Result<()> {
    if cards.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{heading}")?;
    for o in cards {
        writeln!(
            out,
            "  {}/{} ({} of {}){}",
            o.deck,
            o.card,
            o.overrides,
            plural(o.answers as usize, "answer"),
            first_line(o.prompt.as_deref())
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::Rating::{self, Again, Easy, Good};

    fn utc_day(t: Timestamp) -> Date {
        jiff::tz::TimeZone::UTC.to_datetime(t).date()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn review(card: &str, at: &str, rating: Rating, state_before: State) -> Review {
        Review {
            state_before,
            duration_ms: 6_000,
            ..Review::answered("ports", card, at, rating)
        }
    }

    fn card(
        deck: &'static str,
        id: &'static str,
        state: State,
        due: Option<&str>,
        ivl: f64,
        lapses: u32,
    ) -> CardInfo<'static> {
        CardInfo {
            deck,
            card: id,
            state,
            due: due.map(ts),
            interval_days: ivl,
            lapses,
        }
    }

    fn sample() -> Stats {
        let log = vec![
            review("a", "2026-03-07T10:00:00Z", Good, State::New), // day -3
            review("a", "2026-03-08T10:00:00Z", Good, State::Review),
            review("b", "2026-03-09T10:00:00Z", Again, State::Review),
            review("a", "2026-03-10T08:00:00Z", Good, State::Review),
            review("b", "2026-03-10T08:01:00Z", Again, State::Relearning),
            review("c", "2026-03-10T08:02:00Z", Easy, State::New),
            review("a", "2026-01-01T08:00:00Z", Again, State::Review), // outside the window
        ];
        let cards = vec![
            card(
                "ports",
                "a",
                State::Review,
                Some("2026-03-31T08:00:00Z"),
                21.0,
                0,
            ),
            card(
                "ports",
                "b",
                State::Relearning,
                Some("2026-03-10T08:11:00Z"),
                0.0,
                9,
            ),
            card(
                "ports",
                "c",
                State::Review,
                Some("2026-03-12T08:00:00Z"),
                2.0,
                0,
            ),
            card("ports", "d", State::New, None, 0.0, 0),
            card(
                "sockets",
                "e",
                State::Review,
                Some("2026-03-01T08:00:00Z"),
                5.0,
                8,
            ),
            card(
                "sockets",
                "f",
                State::Review,
                Some("2026-06-01T08:00:00Z"),
                90.0,
                0,
            ),
        ];
        compute(&cards, &log, ts("2026-03-10T12:00:00Z"), &utc_day)
    }

    #[test]
    fn computes_today_retention_streak_counts_and_leeches() {
        let s = sample();
        assert_eq!(
            s.today,
            Today {
                reviews: 3,
                right: 2,
                right_percent: Some(66.7),
                seconds: 18.0
            }
        );
        // Review-state answers in the last 30 days: a (good), b (again), a (good).
        assert_eq!(
            (s.true_retention_percent, s.retention_reviews),
            (Some(66.7), 3)
        );
        assert_eq!(s.streak_days, 4);
        let mut forecast = vec![0; 30];
        forecast[0] = 2; // b today, e overdue
        forecast[2] = 1; // c
        forecast[21] = 1; // a
        assert_eq!(s.forecast, forecast);
        assert_eq!(
            s.decks,
            vec![
                DeckCounts {
                    deck: "ports".into(),
                    new: 1,
                    learning: 1,
                    young: 1,
                    mature: 1
                },
                DeckCounts {
                    deck: "sockets".into(),
                    new: 0,
                    learning: 0,
                    young: 1,
                    mature: 1
                },
            ]
        );
        assert_eq!(
            s.leeches,
            vec![
                Leech {
                    deck: "ports".into(),
                    card: "b".into(),
                    lapses: 9,
                    prompt: None
                },
                Leech {
                    deck: "sockets".into(),
                    card: "e".into(),
                    lapses: 8,
                    prompt: None
                },
            ]
        );
    }

    #[test]
    fn a_streak_past_the_recent_log_asks_about_older_days_newest_first_until_a_gap() {
        // Studied every day from 2026-01-01 to 2026-03-10 except 2026-01-15.
        let mut log = Vec::new();
        let mut day = jiff::civil::date(2026, 1, 1);
        while day <= jiff::civil::date(2026, 3, 10) {
            if day != jiff::civil::date(2026, 1, 15) {
                let at = format!("{day}T10:00:00Z");
                log.push(review("a", &at, Good, State::Review));
            }
            day = day.tomorrow().unwrap();
        }
        let now = ts("2026-03-10T12:00:00Z");
        let whole = compute(&[], &log, now, &utc_day);
        assert_eq!(whole.streak_days, 54); // 2026-01-16 ..= 2026-03-10
        let log_from = jiff::civil::date(2026, 2, 9);
        let recent: Vec<_> = log
            .iter()
            .filter(|r| utc_day(r.time) >= log_from)
            .cloned()
            .collect();
        let mut asked = Vec::new();
        let mut studied_on = |d: Date| {
            asked.push(d);
            log.iter().any(|r| utc_day(r.time) == d)
        };
        let part = compute_recent(
            &[],
            &recent,
            now,
            &utc_day,
            Some(Earlier {
                log_from,
                studied_on: &mut studied_on,
            }),
        );
        assert_eq!(part, whole);
        assert_eq!(asked.first(), Some(&jiff::civil::date(2026, 2, 8)));
        assert_eq!(asked.last(), Some(&jiff::civil::date(2026, 1, 15)));
        assert_eq!(asked.len(), 25);
    }

    #[test]
    fn cram_answers_count_as_work_today_but_not_towards_retention() {
        let mut cram = review("a", "2026-03-10T10:00:00Z", Again, State::Review);
        cram.cram = true;
        let log = vec![
            cram,
            review("b", "2026-03-10T10:01:00Z", Good, State::Review),
        ];
        let s = compute(&[], &log, ts("2026-03-10T12:00:00Z"), &utc_day);
        assert_eq!(
            (s.today, s.true_retention_percent, s.retention_reviews),
            (
                Today {
                    reviews: 2,
                    right: 1,
                    right_percent: Some(50.0),
                    seconds: 12.0
                },
                Some(100.0),
                1
            )
        );
    }

    #[test]
    fn streak_counts_from_yesterday_when_nothing_today_and_breaks_on_a_gap() {
        let log = vec![
            review("a", "2026-03-06T10:00:00Z", Good, State::New),
            review("a", "2026-03-08T10:00:00Z", Good, State::Review),
            review("a", "2026-03-09T10:00:00Z", Good, State::Review),
        ];
        let s = compute(&[], &log, ts("2026-03-10T12:00:00Z"), &utc_day);
        assert_eq!(s.streak_days, 2);
        let s = compute(&[], &log, ts("2026-03-11T12:00:00Z"), &utc_day);
        assert_eq!(s.streak_days, 0);
        assert_eq!(s.today.right_percent, None);
    }

    #[test]
    fn renders_plain_text() {
        let mut s = sample();
        s.leeches[0].prompt = Some("What is a port?\nSecond line".into());
        s.overridden_verdicts = vec![
            Overridden {
                deck: "ports".into(),
                card: "bits".into(),
                overrides: 3,
                answers: 5,
                prompt: Some("How many bits is a port?".into()),
            },
            Overridden {
                deck: "gone".into(),
                card: "x".into(),
                overrides: 2,
                answers: 1,
                prompt: None,
            },
        ];
        let mut buf = Vec::new();
        render(&mut buf, &s, false).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            "Today (2026-03-10)\n  3 reviews: 2 right, 1 wrong (66.7% right), 18 s\n  streak: 4 days\n  true retention (30 days): 66.7% of 3 review-state answers\n\n\
             Due in the next 30 days (day 0 is today, with overdue cards)\n\
             2 | #\n  | #\n  | #\n  | #   #                                     #\n  | #   #                                     #\n  | #   #                                     #\n\
             0 +------------------------------------------------------------\n    0         5         10        15        20        25\n\n\
             deck       new  learning  young  mature\nports        1         1      1       1\nsockets      0         0      1       1\n\n\
             Leeches (8 or more lapses)\n  ports/b (9 lapses): What is a port?\n  sockets/e (8 lapses)\n\n\
             Verdicts often overridden (\"I was right\" 2 or more times): check what these cards accept\n\
             \x20 ports/bits (3 of 5 answers): How many bits is a port?\n  gone/x (2 of 1 answer)\n"
        );
    }

    #[test]
    fn renders_the_cards_often_close_after_the_often_overridden() {
        let mut s = sample();
        let card = |card: &str, n: u32| Overridden {
            deck: "ports".into(),
            card: card.into(),
            overrides: n,
            answers: 4,
            prompt: Some(format!("{card}?")),
        };
        s.overridden_verdicts = vec![card("bits", 2)];
        s.close_verdicts = vec![card("epoll", 3)];
        let mut buf = Vec::new();
        render(&mut buf, &s, false).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(
            text.ends_with(
                "\nVerdicts often overridden (\"I was right\" 2 or more times): check what these cards accept\n\
                 \x20 ports/bits (2 of 4 answers): bits?\n\n\
                 Answers often close (2 or more times): check what these cards accept\n\
                 \x20 ports/epoll (3 of 4 answers): epoll?\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn renders_the_days_left_and_the_interview_calibration() {
        let mut s = sample();
        s.interview_date = Some(jiff::civil::date(2026, 3, 20));
        s.interview_days_left = Some(10);
        s.calibration = Calibration::of([
            (crate::store::Confidence::Sure, true),
            (crate::store::Confidence::Sure, false),
            (crate::store::Confidence::Guess, true),
        ]);
        let mut buf = Vec::new();
        render(&mut buf, &s, false).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(
            text.starts_with("Today (2026-03-10)\n  3 reviews: 2 right, 1 wrong (66.7% right), 18 s\n  streak: 4 days\n  interview on 2026-03-20: 10 study days left\n"),
            "{text}"
        );
        assert!(
            text.ends_with("\nInterview calibration (right when you said, all rounds): sure 1/2 (50%) · guess 1/1 (100%)\n"),
            "{text}"
        );
    }
}

//! `portquiz simulate [--days N] [--new-per-day N] [--json]`: the expected reviews, new cards and time per
//! day for the coming days, from the FSRS simulator run on the loaded decks' cards.
use anyhow::Result;
use serde::Serialize;

use crate::cli::SimulateArgs;
use crate::env::output::write_json;
use crate::env::{Env, Exit};
use crate::reports::chart::{self, Bar, Style};
use crate::reports::forecast::{self, Input, StudiedCard};
use crate::schedule::State;
use crate::text::{self, Form, duration, plural};
use crate::{library, progress};

#[derive(Serialize)]
struct DayOut {
    day: u32,
    date: String,
    reviews: usize,
    new: usize,
    seconds: f32,
}

#[derive(Serialize)]
struct Report {
    days: Vec<DayOut>,
    new_per_day: u32,
    desired_retention: f32,
    studied_cards: usize,
    unseen_cards: usize,
}

/// Runs `portquiz simulate`.
pub fn run(env: &Env, args: &SimulateArgs) -> Result<Exit> {
    let decks = library::load_heads(env)?;
    // Only read: a data dir this user cannot write is read as it is.
    let store = crate::store::Store::open_to_read(env.db_path())?;
    let scheduler = progress::scheduler(&store)?;
    let mut studied = Vec::new();
    let mut unseen = 0usize;
    for card in library::with_states(&decks, &store)? {
        let s = card.state;
        if s.state == State::New {
            unseen += 1;
            continue;
        }
        let stability = s.stability.unwrap_or(1.0) as f32;
        let difficulty = s.difficulty.unwrap_or(5.0) as f32;
        // The FSRS simulator panics on a state that is not a finite number (a database edited by hand or
        // damaged): refused, naming the card.
        if !stability.is_finite() || !difficulty.is_finite() {
            use crate::deck::Cards;
            let (deck, id) = (
                card.deck.deck_id(),
                crate::deck::DeckHead::card_id(card.card),
            );
            anyhow::bail!(
                "the stored state of {deck}/{id} is not a number (stability {stability}, difficulty {difficulty}); the database was changed outside portquiz or is damaged: run `portquiz reset --deck {deck} --card {id}` to start that card over, or restore a backup"
            );
        }
        studied.push(StudiedCard {
            stability,
            difficulty,
            days_since_review: s
                .last_review
                .map_or(0.0, |t| progress::days(t, env.now) as f32),
            due_in_days: s.due.map_or(0.0, |t| progress::days(env.now, t) as f32),
            lapses: s.lapses,
        });
    }
    let config = scheduler.config();
    let parameters = if config.parameters.is_empty() {
        crate::reports::fit::default_parameters()
    } else {
        config.parameters.clone()
    };
    let days = forecast::forecast(&Input {
        parameters: &parameters,
        desired_retention: config.desired_retention,
        studied: &studied,
        unseen,
        new_per_day: args.new_per_day as usize,
        days: args.days as usize,
        seed: env.seed.unwrap_or(0),
    })?;
    let today = scheduler.study_day(env.now);
    let report = Report {
        days: days
            .iter()
            .map(|d| DayOut {
                day: d.day,
                date: today
                    .checked_add(jiff::Span::new().days(i64::from(d.day)))
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                reviews: d.reviews,
                new: d.new,
                seconds: (d.seconds * 10.0).round() / 10.0,
            })
            .collect(),
        new_per_day: args.new_per_day,
        desired_retention: config.desired_retention,
        studied_cards: studied.len(),
        unseen_cards: unseen,
    };
    if args.json {
        write_json(std::io::stdout().lock(), &report)?;
        return Ok(Exit::Ok);
    }
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    writeln!(
        out,
        "Forecast for {}: {} studied and {}, {} new a day, retention {}",
        plural(args.days as usize, "day"),
        studied.len(),
        plural(unseen, "new card"),
        args.new_per_day,
        config.desired_retention
    )?;
    let every = (args.days as usize / 6).max(1);
    let style = Style {
        color: env.output.stdout_color(),
        size: 6,
        decimals: 0,
    };
    writeln!(out, "\nCards per day (reviews and new; day 0 is today)")?;
    let bars: Vec<Bar> = days
        .iter()
        .map(|d| Bar::new(d.day.to_string(), (d.reviews + d.new) as f64))
        .collect();
    chart::vertical(&mut out, &bars, style, every)?;
    writeln!(out, "\nMinutes per day")?;
    let style = Style {
        decimals: 1,
        ..style
    };
    let bars: Vec<Bar> = days
        .iter()
        .map(|d| Bar::new(d.day.to_string(), f64::from(d.seconds) / 60.0))
        .collect();
    chart::vertical(&mut out, &bars, style, every)?;
    let reviews: usize = days.iter().map(|d| d.reviews).sum();
    let new: usize = days.iter().map(|d| d.new).sum();
    let seconds: f32 = days.iter().map(|d| d.seconds).sum();
    writeln!(
        out,
        "\nTotal: {}, {}, {} (about {} a day)",
        plural(reviews, "review"),
        plural(new, "new card"),
        duration(text::seconds(f64::from(seconds)), Form::Spent),
        duration(
            text::seconds(f64::from(seconds) / f64::from(args.days)),
            Form::Spent
        )
    )?;
    Ok(Exit::Ok)
}

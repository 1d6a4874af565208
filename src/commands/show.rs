//! `portquiz cards --show`: every card of the loaded decks (restrict with `--deck`) as the candidate sees
//! it, table cells included: its prompt, its options, and the answer, so an author reads what a table
//! generated without studying it. Text only, deck order then card order; no progress is read.
use std::fmt::Write as _;

use anyhow::Result;

use crate::deck::{Card, CardKind, Deck};
use crate::env::{Env, Exit};
use crate::library;

/// Runs `portquiz cards --show`.
pub fn run(env: &Env) -> Result<Exit> {
    let decks = library::load_decks(env)?;
    crate::out!("{}", render(&decks))?;
    Ok(Exit::Ok)
}

/// Every card of `decks` as text, a blank line between cards.
pub fn render(decks: &[Deck]) -> String {
    let mut out = String::new();
    for deck in decks {
        for card in &deck.cards {
            render_card(&mut out, deck, card);
            out.push('\n');
        }
    }
    out
}

fn render_card(out: &mut String, deck: &Deck, card: &Card) {
    let _ = writeln!(out, "{}/{} ({})", deck.id, card.id, card.kind.card_type());
    let experiment_question =
        |id: &str| crate::practical::find(id).map_or(String::new(), |e| e.question.to_string());
    let prompt = match &card.kind {
        CardKind::Practical { experiment } | CardKind::Lab { experiment, .. }
            if card.prompt.is_empty() =>
        {
            experiment_question(experiment)
        }
        _ => card.prompt.clone(),
    };
    let _ = writeln!(out, "  Q: {}", crate::safe::line(&prompt));
    match &card.kind {
        CardKind::Flashcard { back } => {
            let _ = writeln!(out, "  A: {}", crate::safe::line(back));
        }
        CardKind::Choice { options, answers } => {
            for (i, o) in options.iter().enumerate() {
                let mark = if answers.contains(&i) { "*" } else { " " };
                let _ = writeln!(out, "  {mark}{}. {}", i + 1, crate::safe::line(&o.text));
            }
        }
        CardKind::TrueFalse { answer } => {
            let _ = writeln!(out, "  A: {answer}");
        }
        CardKind::Typed {
            accept,
            keywords,
            answer,
            ..
        } => {
            if let Some(answer) = answer {
                let _ = writeln!(out, "  A: {}", crate::safe::line(answer));
            }
            if !accept.is_empty() {
                let _ = writeln!(out, "  accepts: {}", crate::safe::line(&accept.join(" | ")));
            }
            if !keywords.is_empty() {
                let groups: Vec<String> = keywords.iter().map(|g| g.join("/")).collect();
                let _ = writeln!(out, "  keywords: {}", crate::safe::line(&groups.join(", ")));
            }
        }
        CardKind::Practical { experiment } => {
            let _ = writeln!(out, "  A: decided live by the experiment `{experiment}`");
        }
        CardKind::Lab { experiment, params } => {
            let about = match (&params.service, params.port) {
                (Some(service), Some(port)) => {
                    let proto = if params.udp { "udp" } else { "tcp" };
                    format!(" for {service} ({proto} {port})")
                }
                _ => String::new(),
            };
            let _ = writeln!(out, "  A: checked live by the lab `{experiment}`{about}");
        }
    }
}

//! `portquiz check`: compiles deck files and reports every problem, then a one-line summary.
use std::io::Write;

use anyhow::Result;

use crate::library;

mod cap;
mod context;
mod json;
mod practicals;
mod warnings;
use crate::cli::CheckArgs;
use crate::deck::diag::Lines;
use crate::deck::par::par_map;
use crate::deck::{Deck, DeckId, Severity, Unread, compile, guess, lint, lint_text};
use crate::env::output::{paint, style};
use crate::env::{Env, Exit};
use crate::text::plural;

/// Runs `portquiz check`. Exit 0 when clean, 1 when any error, 2 when it could not run.
pub fn run(env: &Env, args: &CheckArgs) -> Result<Exit> {
    let (sources, context) = if args.paths.is_empty() {
        (library::all_sources(env)?, 0)
    } else {
        // `check FILE` checks like `study` will load: every other deck portquiz loads is compiled first,
        // for follow-ups into it and deck id clashes with it, and only FILE's problems are shown.
        let checked = match library::read_paths(&args.paths) {
            Ok(checked) => checked,
            Err(error) if args.json => return json::write_failure(&error),
            Err(error) => return Err(error),
        };
        let mut sources = context::others(env, &checked)?;
        let context = sources.len();
        sources.extend(checked);
        (sources, context)
    };
    // Without `--all` (and `--json`), each file keeps only the diagnostics of a kind `check` prints, with
    // a count of the rest: 150,000 problems in one file are never all in memory (issue 27).
    let mut lib = if args.all || args.json {
        compile::compile(&sources, &library::known())
    } else {
        compile::compile_capped(&sources, &library::known(), cap::PER_KIND)
    };
    let loaded_for_context =
        context::keep_checked(&mut lib, &sources[context..], &sources[..context]);
    // Follow-ups that leave their deck can only be checked once every deck is compiled. Decks with errors
    // take part as far as they could be read (never loaded for study; `check` only reports more).
    let mut across = {
        let unread: std::collections::HashMap<&DeckId, &Unread> =
            lib.broken.iter().map(|b| (&b.deck.id, &b.unread)).collect();
        let every: Vec<&Deck> = lib
            .decks
            .iter()
            .chain(lib.broken.iter().map(|b| &b.deck))
            .collect();
        crate::deck::validate::check_follow_ups_across(&every, &unread, &sources)
    };
    if context > 0 {
        let checked: std::collections::HashSet<&str> =
            sources[context..].iter().map(|s| s.name.as_str()).collect();
        across.retain(|d| checked.contains(d.file.as_str()));
        lib.decks.retain(|d| checked.contains(d.origin.as_str()));
        lib.broken
            .retain(|b| checked.contains(b.deck.origin.as_str()));
    }
    // Each deck's file indexed once, for the excerpts of every lint and warning about it. The loaded decks
    // first, then those of files with errors: warned about on what could be read.
    let texts: std::collections::HashMap<&str, &str> = sources
        .iter()
        .filter_map(|s| Some((s.name.as_str(), s.text.as_deref().ok()?)))
        .collect();
    let decks: Vec<&Deck> = lib
        .decks
        .iter()
        .chain(lib.broken.iter().map(|b| &b.deck))
        .collect();
    let loaded = lib.decks.len();
    // Per deck and independent, like the parse: spread over the cores (`par_map` keeps the decks' order).
    let lines: Vec<Lines> = par_map(&decks, |deck| {
        Lines::new(texts.get(deck.origin.as_str()).copied().unwrap_or_default())
    });
    let lints: Vec<lint::Lint> = decks
        .iter()
        .zip(&lines)
        .zip(guess::guess_all(&decks))
        .map(|((deck, lines), guess)| lint::lint(deck, lines, guess))
        .collect();
    let files: std::collections::HashSet<&str> = across
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| !lib.diagnostics.iter().any(|d| d.file == *f))
        .collect();
    lib.files_with_errors += files.len();
    lib.diagnostics.extend(across);
    // Progress that no card matches is said only of loaded decks: a card with an error is not gone.
    let mut warnings = warnings::all(env, &lines[..loaded], &lib.decks);
    for (deck, lines) in decks.iter().zip(&lines).skip(loaded) {
        warnings.extend(crate::deck::warn::warnings(deck, lines));
    }
    warnings.extend(lints.iter().flat_map(|l| l.warnings.iter().cloned()));
    let pairs: Vec<(&Deck, &Lines)> = decks.iter().copied().zip(&lines).collect();
    warnings.extend(
        par_map(&pairs, |(deck, lines)| lint_text::lint(deck, lines))
            .into_iter()
            .flatten(),
    );
    // The figures are of the loaded decks (a deck with errors has only some of its cards).
    let lints = &lints[..loaded];
    if args.json {
        return json::write(&lib, lints, &warnings, args.deny_warnings);
    }
    let mut stderr = std::io::stderr().lock();
    let error = format!(": {}: ", paint(env.output.on_stderr(style::ERROR), "error"));
    let warning = format!(
        ": {}: ",
        paint(env.output.on_stderr(style::WARNING), "warning")
    );
    let mut all: Vec<_> = lib.diagnostics.iter().chain(&warnings).collect();
    all.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    let limit = (!args.all).then_some(cap::PER_KIND);
    let text = cap::shown(&all, limit, |d| {
        let text = d.render();
        match d.severity {
            Severity::Error => text.replacen(": error: ", &error, 1),
            Severity::Warning => text.replacen(": warning: ", &warning, 1),
        }
    });
    write!(stderr, "{text}")?;
    drop(stderr);
    let errors: usize = lib.diagnostics.iter().map(|d| 1 + d.more).sum();
    let mut code = Exit::Ok;
    if errors == 0 {
        let cards: usize = lib.decks.iter().map(|d| d.cards.len()).sum();
        let verdict = match (warnings.len(), args.deny_warnings) {
            (0, _) => paint(env.output.on_stdout(style::OK), "ok").to_string(),
            (n, false) => format!(
                "{} ({})",
                paint(env.output.on_stdout(style::OK), "ok"),
                plural(n, "warning")
            ),
            (n, true) => {
                code = Exit::Problems;
                format!("{}, denied by --deny-warnings", plural(n, "warning"))
            }
        };
        crate::outln!(
            "{}, {}: {verdict}",
            plural(lib.decks.len(), "deck"),
            plural(cards, "card"),
        )?;
    } else {
        // Warnings are shown with errors (on what could be read), so the summary counts them too.
        let warned = match warnings.len() {
            0 => String::new(),
            n => format!(", {}", plural(n, "warning")),
        };
        crate::outln!(
            "{} in {}{warned}",
            plural(errors, "error"),
            plural(lib.files_with_errors, "deck")
        )?;
        code = Exit::Problems;
    }
    if let Some(n) = loaded_for_context {
        crate::outln!(
            "checked against {} (built-in and data dir decks)",
            plural(n, "loaded deck")
        )?;
    }
    for l in lints {
        if let Some(line) = fairness(&l.figures) {
            crate::outln!("{line}")?;
        }
        if let Some(line) = guesser(&l.figures.deck, &l.guess) {
            crate::outln!("{line}")?;
        }
    }
    if args.practicals {
        code = code.max(practicals::check(env, &lib.decks)?);
    }
    Ok(code)
}
/// A share of fewer cards than this says nothing about a deck, so `check` does not print it.
const MIN_CARDS_FOR_A_SHARE: usize = 5;

/// The fairness figures of one deck as `check` prints them, or nothing for a deck with fewer than
/// [`MIN_CARDS_FOR_A_SHARE`] single-answer choice cards and as few true/false cards.
fn fairness(f: &lint::Figures) -> Option<String> {
    let mut parts = Vec::new();
    if f.single_choice >= MIN_CARDS_FOR_A_SHARE {
        parts.push(format!(
            "right option longest in {} of {} single-answer choice cards ({}%)",
            f.right_longest,
            f.single_choice,
            lint::percent(f.right_longest, f.single_choice)
        ));
    }
    if f.true_false >= MIN_CARDS_FOR_A_SHARE {
        parts.push(format!(
            "true in {} of {} ({}%)",
            f.answer_true,
            plural(f.true_false, "true/false card"),
            lint::percent(f.answer_true, f.true_false)
        ));
    }
    (!parts.is_empty()).then(|| format!("fairness of {}: {}", f.deck, parts.join(", ")))
}

/// What the test-wise guesser ([`crate::deck::guess`]) made of one deck, printed under the same condition
/// as [`fairness`]: its score against chance per kind of card, and the rank of the right option by length.
fn guesser(deck: &crate::deck::DeckId, g: &guess::Guess) -> Option<String> {
    let score = |s: &guess::Score, kind: &str| {
        let judged = if s.judged() { "" } else { ": too few to judge" };
        (s.cards >= MIN_CARDS_FOR_A_SHARE).then(|| {
            format!(
                "{kind} {:.0}% right (chance {:.0}%, {}{judged})",
                s.percent(),
                s.chance_percent(),
                plural(s.cards, "card")
            )
        })
    };
    let mut parts: Vec<String> = [
        score(&g.choice, "choice"),
        score(&g.true_false, "true/false"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        return None;
    }
    let four: usize = g.right_by_length.iter().sum();
    if four >= MIN_CARDS_FOR_A_SHARE {
        let [a, b, c, d] = g.right_by_length;
        let ties = match g.length_ties {
            0 => String::new(),
            n => format!(" ({n} more tie)"),
        };
        parts.push(format!(
            "right option by length in {four} 4-option cards: {a} longest, {b} second, {c} third, {d} shortest{ties}"
        ));
    }
    Some(format!("guesser on {deck}: {}", parts.join("; ")))
}

//! Whole study sessions through the real binary and the plain front end, driven like a person would: read
//! the screen, answer. Only what needs a process lives here (pipes, signals, SIGKILL, two processes, the
//! command line's wiring, the shipped decks and real sockets); the session's own rules (undo, quit, lapses,
//! the grade prompts, unreadable lines) are tested in-process in `src/session/tests.rs` and `src/ui/plain.rs`.
use std::collections::HashMap;

use portquiz::deck::{Card, CardKind};
use serde_json::Value;

use crate::support::{
    PlainDriver, Run, Sandbox, Test, answer_line, card_index, current_card, shown_options,
};

const FIXTURE: &str = "tests/decks/good/study.yaml";
const DAY1: &str = "2026-01-05T09:00:00Z";

fn fixture_cards() -> HashMap<String, Card> {
    card_index(&[FIXTURE])
}

fn study_cmd(sandbox: &Sandbox, now: &str, extra: &[&str]) -> std::process::Command {
    Test::on(sandbox)
        .args(&["study", "--plain"])
        .deck(FIXTURE, "study")
        .args(extra)
        .now(now)
        .command()
}

/// Plays a session on the fixture deck (see `support::play`).
fn play(
    sandbox: &Sandbox,
    now: &str,
    extra: &[&str],
    decide: impl FnMut(&str, usize) -> Option<bool>,
) -> (Run, usize) {
    crate::support::play(study_cmd(sandbox, now, extra), &fixture_cards(), decide)
}

fn cards_json(sandbox: &Sandbox, now: &str) -> Vec<Value> {
    Test::on(sandbox)
        .args(&["cards", "--json"])
        .deck(FIXTURE, "study")
        .now(now)
        .json()["cards"]
        .as_array()
        .unwrap()
        .clone()
}

fn total_reps(cards: &[Value]) -> u64 {
    cards.iter().map(|c| c["reps"].as_u64().unwrap()).sum()
}

#[test]
fn first_day_learns_every_card_and_schedules_it_into_the_future() {
    let sandbox = Sandbox::new();
    let (run, answered) = play(&sandbox, DAY1, &[], |_, _| Some(true));
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("Session over:"), "{}", run.stdout);
    assert!(answered >= 6, "{answered}");
    let cards = cards_json(&sandbox, DAY1);
    assert_eq!(cards.len(), 6);
    for card in &cards {
        assert_eq!(card["state"], "review", "{card}");
        let due: jiff::Timestamp = card["due"].as_str().unwrap().parse().unwrap();
        assert!(due >= "2026-01-06T09:00:00Z".parse().unwrap(), "{card}");
        assert!(card["stability"].as_f64().unwrap() > 0.0);
    }
    assert_eq!(total_reps(&cards) as usize, answered);

    // The same day again: nothing is due, and portquiz says when and how to cram.
    let (run, _) = play(&sandbox, "2026-01-05T12:00:00Z", &[], |_, _| Some(true));
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("Nothing is due now. The next card is due 2026-01-"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("portquiz study --cram"),
        "{}",
        run.stdout
    );
}

#[test]
fn sigkill_mid_session_keeps_every_acknowledged_answer() {
    let sandbox = Sandbox::new();
    let cards = fixture_cards();
    let mut driver = PlainDriver::spawn(study_cmd(&sandbox, DAY1, &[]));
    let mut acknowledged = 0;
    let mut pending = false;
    while let Some(screen) = driver.next_prompt() {
        if pending {
            acknowledged += 1; // the next prompt appeared, so the answer was written
            pending = false;
        }
        if acknowledged == 4 {
            break;
        }
        let last = screen.lines().last().unwrap().to_string();
        if last.starts_with("grade") {
            driver.answer("");
            pending = true;
        } else if last.starts_with("Show the answer") {
            driver.answer("");
        } else {
            // A wrong answer is recorded at its grade prompt (Again, or "I was right").
            let id = current_card(&screen).unwrap();
            driver.answer(&answer_line(&cards[&id], &screen, false));
        }
    }
    driver.kill();
    let after = cards_json(&sandbox, DAY1);
    assert_eq!(total_reps(&after), acknowledged);
}

#[test]
fn two_sessions_on_one_data_dir_both_keep_every_answer() {
    let sandbox = Sandbox::new();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let dir = sandbox.path().to_path_buf();
            std::thread::spawn(move || {
                let sandbox = Sandbox::at(dir);
                // Both start from the same new cards; every answer of both must be in the log.
                play(&sandbox, DAY1, &[], |_, n| (n <= 12).then_some(n % 3 != 0))
            })
        })
        .collect();
    let mut total = 0;
    for h in handles {
        let (run, answered) = h.join().unwrap();
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(!run.stderr.contains("locked"), "{}", run.stderr);
        total += answered;
    }
    let store = portquiz::store::Store::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    assert_eq!(store.review_count().unwrap() as usize, total);
}

#[test]
fn an_interview_date_caps_every_interval() {
    let sandbox = Sandbox::new();
    let (run, _) = play(&sandbox, DAY1, &["--until", "2026-01-08"], |_, _| {
        Some(true)
    });
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("Interview on 2026-01-08: 3 days left;"),
        "{}",
        run.stdout
    );
    for card in cards_json(&sandbox, DAY1) {
        // A study day starts at 04:00 (UTC here): nothing may come due after the interview day.
        assert!(
            card["due"].as_str().unwrap() < "2026-01-09T04:00:00Z",
            "{card}"
        );
    }
}

/// The line a candidate types to give `card`'s own model answer on this screen: a typed card's `answer` (else
/// its first accepted answer; nothing when it has neither, which then fails) on one line, a choice card's
/// right options, a true/false card's truth. `None` for cards that have no answer to check (flashcards,
/// practical cards and labs).
fn model_answer_line(card: &Card, screen: &str) -> Option<String> {
    match &card.kind {
        CardKind::Typed { accept, answer, .. } => Some(
            answer
                .as_deref()
                .or(accept.first().map(String::as_str))
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        CardKind::Choice { .. } | CardKind::TrueFalse { .. } => {
            Some(answer_line(card, screen, true))
        }
        CardKind::Flashcard { .. } | CardKind::Practical { .. } | CardKind::Lab { .. } => None,
    }
}

/// What the session said about an answer: the screen's lines before the grades, the next card or a blank line.
fn verdict(screen: &str) -> String {
    screen
        .lines()
        .take_while(|l| !l.is_empty() && !l.starts_with("grades: ") && current_card(l).is_none())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Every built-in card, walked once through the plain front end and answered with its own model answer
/// ([`model_answer_line`]): each one must be called right. The failure lists every card that was not, with
/// what was typed and what portquiz said, so one run shows the whole list to fix in `decks/`.
#[test]
fn every_built_in_card_is_answerable_as_written() {
    let cards = card_index(&[]);
    let sandbox = Sandbox::new();
    let walk = Test::on(&sandbox).args(&crate::support::WALK).now(DAY1);
    let mut driver = PlainDriver::spawn(walk.command());
    let mut seen = std::collections::HashSet::new();
    let mut checked = 0;
    let mut rejected = Vec::new();
    // The card just answered with its model answer and the line typed: the next screen opens with the verdict.
    let mut pending: Option<(String, String)> = None;
    while let Some(screen) = driver.next_prompt_within(20 * cards.len()) {
        if let Some((id, typed)) = pending.take() {
            let said = verdict(&screen);
            // An explanation card is graded by the candidate: its model answer must name every key idea.
            let explained =
                said.starts_with("A model answer: ") && !said.contains("Key ideas not named");
            if !said.starts_with("Right") && !explained {
                rejected.push(format!("{id}: typed {typed:?}, portquiz said {said:?}"));
            }
            checked += 1;
        }
        if let Some(reply) = crate::support::routine_reply(&screen) {
            driver.answer(reply);
            continue;
        }
        let id = current_card(&screen).expect("card header");
        let first_time = seen.insert(id.clone());
        if !first_time && seen.len() == cards.len() {
            driver.answer("q"); // every card has been shown and answered once
            continue;
        }
        let card = &cards[&id];
        let line = match model_answer_line(card, &screen) {
            Some(line) => {
                // A rejected card comes back in its learning step; its verdict was read the first time.
                if first_time {
                    pending = Some((id, line.clone()));
                }
                line
            }
            // Flashcards and labs are revealed or confirmed; the machine decides a practical card.
            None if matches!(card.kind, CardKind::Practical { .. }) => "1".to_string(),
            None => String::new(),
        };
        driver.answer(&line);
    }
    let run = driver.finish();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(seen.len(), cards.len(), "some cards were never shown");
    assert!(
        rejected.is_empty(),
        "{} of {checked} built-in cards reject their own model answer:\n{}",
        rejected.len(),
        rejected.join("\n")
    );
}

#[test]
fn a_practical_card_answered_right_and_one_wrong_show_their_transcripts() {
    use portquiz::practical::{self, Environment, Outcome};
    let env = Environment::detect();
    // What this machine decides, so the session can be answered right and wrong on purpose.
    let correct = |id: &str| -> (Vec<&'static str>, Vec<usize>) {
        let e = practical::find(id).unwrap();
        match practical::run(e, &env) {
            Outcome::Observed(obs) => (e.options.to_vec(), obs.correct),
            other => panic!("{id} did not run here: {other:?}"),
        }
    };
    let sandbox = Sandbox::new();
    let study = Test::on(&sandbox)
        .args(&["study", "--plain"])
        .deck("tests/decks/good/practical.yaml", "practical")
        .now(DAY1);
    let mut driver = PlainDriver::spawn(study.command());
    let mut answered = 0;
    while let Some(screen) = driver.next_prompt() {
        let last = screen.lines().last().unwrap().to_string();
        if last.starts_with("grade") {
            driver.answer(""); // a right answer asks for a grade; the suggestion is fine
            continue;
        }
        let id = current_card(&screen).unwrap();
        if answered == 2 {
            driver.answer("q");
            continue;
        }
        let experiment = if id == "practical/tcp-udp" {
            "tcp-udp-same-port"
        } else {
            "double-bind"
        };
        let (options, right) = correct(experiment);
        // The options are shuffled like every choice card's: the same ones, in some order.
        let mut shown = shown_options(&screen);
        let mut sorted: Vec<String> = options.iter().map(|s| s.to_string()).collect();
        shown.sort();
        sorted.sort();
        assert_eq!(shown, sorted);
        // The first card is answered right, the second wrong, each by the option's text.
        let pick = if answered == 0 {
            right[0]
        } else {
            (0..options.len()).find(|i| !right.contains(i)).unwrap()
        };
        answered += 1;
        driver.answer(options[pick]);
    }
    let run = driver.finish();
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("Right, this machine agrees:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Not what this machine did:"),
        "{}",
        run.stdout
    );
    // Each answer is followed by the live transcript (lines of what was bound, with the port used).
    assert!(
        run.stdout.matches("bind 127.0.0.1:").count() >= 2,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("=> "), "{}", run.stdout);
}

#[test]
fn ctrl_c_at_a_plain_prompt_prints_the_summary_keeps_answers_and_exits_130() {
    let sandbox = Sandbox::new();
    let cards = fixture_cards();
    let mut driver = PlainDriver::spawn(study_cmd(&sandbox, DAY1, &[]));
    // Answer one question wrong (recorded at once, whatever its kind), then press Ctrl-C at the next prompt.
    let screen = driver.next_prompt().unwrap();
    if screen.ends_with("Show the answer (Enter; u undo, q quit)> ") {
        driver.answer("");
        driver.next_prompt().unwrap();
        driver.answer("again");
    } else {
        let id = current_card(&screen).unwrap();
        driver.answer(&answer_line(&cards[&id], &screen, false));
        driver.next_prompt().unwrap();
        driver.answer(""); // Again, at the grade prompt of a wrong verdict
    }
    // The next prompt appeared, so the answer is saved.
    driver.next_prompt().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-INT", &driver.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // Wait for the session to end on its own: closing stdin first could race the signal with an end of input.
    driver.wait_for_end();
    let run = driver.finish();
    assert_eq!(run.code, 130, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("\nSession interrupted: 1 answered: 0 right, 1 wrong; "),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
    assert_eq!(total_reps(&cards_json(&sandbox, DAY1)), 1);
}

/// Issue 26: the summary said "40 right of 54" where `stats` said "92.6% (50/54)": they counted different
/// things. Now both count right as a passing grade (Hard, Good, Easy) and wrong as Again, whoever graded, and
/// the review log (export) agrees with both.
#[test]
fn the_summary_counts_equal_what_stats_and_the_review_log_say() {
    let sandbox = Sandbox::new();
    // Every third question wrong, the rest right; the flashcard takes the suggested grade (Good).
    let (run, answered) = play(&sandbox, DAY1, &[], |_, n| Some(n % 3 != 1));
    assert_eq!(run.code, 0, "{}", run.transcript());
    let summary = regex::Regex::new(r"Session over: (\d+) answered: (\d+) right, (\d+) wrong")
        .unwrap()
        .captures(&run.stdout)
        .unwrap_or_else(|| panic!("no summary:\n{}", run.stdout));
    let count = |i: usize| summary[i].parse::<u64>().unwrap();
    let (total, right, wrong) = (count(1), count(2), count(3));
    assert_eq!(total, answered as u64, "{}", run.stdout);
    assert_eq!(total, right + wrong);
    assert!(right > 0 && wrong > 0, "{}", run.stdout);

    let later = "2026-01-05T12:00:00Z";
    let stats = Test::on(&sandbox)
        .args(&["stats", "--json"])
        .deck(FIXTURE, "study")
        .now(later)
        .json();
    assert_eq!(
        (
            stats["today"]["reviews"].as_u64(),
            stats["today"]["right"].as_u64()
        ),
        (Some(total), Some(right)),
        "{stats}"
    );

    let csv = sandbox.path().join("reviews.csv");
    let csv_arg = csv.to_str().unwrap();
    Test::on(&sandbox)
        .args(&["export", "reviews", csv_arg])
        .deck(FIXTURE, "study")
        .now(later)
        .run();
    let log = std::fs::read_to_string(&csv).unwrap();
    let ratings: Vec<&str> = log
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .collect();
    assert_eq!(ratings.len() as u64, total, "{log}");
    assert_eq!(
        ratings.iter().filter(|r| **r == "1").count() as u64,
        wrong,
        "{log}"
    );
}

#[test]
fn renamed_cards_are_named_once_a_day_before_the_first_question_and_no_answer_is_lost() {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("renamed.yaml");
    let write = |suffix: &str| {
        let text = format!(
            "format: 1\nid: renamed\ntitle: Renamed cards\ncards:\n  - id: ssh-port{suffix}\n    type: typed\n    prompt: Which port does SSH use?\n    accept: [\"22\"]\n    explain: SSH listens on 22.\n  - id: dns-port{suffix}\n    type: typed\n    prompt: Which port does DNS use?\n    accept: [\"53\"]\n    explain: DNS listens on 53.\n"
        );
        std::fs::write(&deck, text).unwrap();
    };
    let deck_path = deck.display().to_string();
    let study = |now: &str| {
        sandbox.run_with_input(
            &[
                "study", "--plain", "--deck", &deck_path, "--deck", "renamed",
            ],
            &[("PORTQUIZ_NOW", now), ("TZ", "UTC")],
            "22\n\n53\n\n",
        )
    };
    let notice =
        "note: 2 cards of deck renamed have progress but no card: renamed? see `portquiz check`\n";
    write("");
    let first = study("2026-01-05T09:00:00Z");
    assert_eq!(
        (first.code, first.stderr.as_str()),
        (0, ""),
        "{}",
        first.transcript()
    );
    write("-number");
    // The first study of the day after the rename says it, then asks and records as always.
    let mut shown = Vec::new();
    for now in [
        "2026-01-05T10:00:00Z",
        "2026-01-05T11:00:00Z",
        "2026-01-06T09:00:00Z",
    ] {
        let run = study(now);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(
            run.stdout.starts_with("2 cards to study now")
                && run.stdout.contains("Session over: 2 answered:"),
            "{}",
            run.transcript()
        );
        shown.push(run.stderr);
    }
    assert_eq!(shown, [notice, "", notice]);
    // Every answer after the rename was kept (the 2 before it are the orphans').
    let cards = sandbox.run(&["cards", "--json", "--deck", &deck_path, "--deck", "renamed"]);
    let cards: Value = serde_json::from_str(&cards.stdout).unwrap();
    assert_eq!(total_reps(cards["cards"].as_array().unwrap()), 6);
}

//! `portquiz interview` end to end in `--plain`: a round on the fixture deck, its debrief and scorecard, and
//! `stats` after two rounds on two simulated days; `check` on follow-ups into a deck that is not loaded.
use crate::support::{Run, Sandbox, Test};

const FIXTURE: &str = "tests/decks/good/study.yaml";

/// Runs one round at `now` on `sandbox`'s history, answering every prompt with `lines` (then end of input);
/// it must exit 0.
fn round(sandbox: &Sandbox, now: &str, lines: &str) -> Run {
    Test::on(sandbox)
        .args(&["interview", "--plain", "--minutes", "5"])
        .deck(FIXTURE, "study")
        .now(now)
        .env("PORTQUIZ_SEED", "11")
        .stdin(lines)
        .run()
}

#[test]
fn two_rounds_on_two_days_show_in_stats_as_interview_scores() {
    // An open question first (HTTPS's port), answered right and sure; then `q`.
    let sandbox = Sandbox::new();
    let first = round(&sandbox, "2026-03-02T09:00:00Z", "443\ns\nq\n");
    // The round's clock starts at PORTQUIZ_NOW and runs on in real time: its readings are not asserted.
    let clock = regex::Regex::new(r"\b\d+:\d\d\b").unwrap();
    let scorecard = &first.stdout[first.stdout.find("=== Scorecard ===").unwrap()..];
    assert_eq!(
        clock.replace_all(scorecard, "M:SS"),
        "=== Scorecard ===\n1/1 right (100%) in M:SS; M:SS a question (pace M:SS).\nRight when: sure 1/1 (100%).\nSure but wrong: none.\nWeakest topics: none missed twice or more (2+ questions each).\nNothing missed.\n"
    );
    // Day two: a passed explanation, a guess (graded Again by default at the end of input).
    let second = round(&sandbox, "2026-03-03T09:00:00Z", "pass\ng\nq\n");
    let scorecard = &second.stdout[second.stdout.find("=== Scorecard ===").unwrap()..];
    assert_eq!(
        clock.replace_all(scorecard, "M:SS"),
        "=== Scorecard ===\n0/1 right (0%) in M:SS; M:SS a question (pace M:SS).\nRight when: guess 0/1 (0%).\nSure but wrong: none.\nWeakest topics: none missed twice or more (2+ questions each).\nDue again today: study/socket-one-liner\n`portquiz study` starts with them.\n"
    );
    // The card missed is due again today (one relearning step later), with every card answered.
    let due = Test::on(&sandbox)
        .args(&["cards", "--due"])
        .deck(FIXTURE, "study")
        .now("2026-03-03T10:00:00Z")
        .run();
    let missed = due
        .stdout
        .lines()
        .find(|l| l.contains("socket-one-liner"))
        .unwrap();
    assert_eq!(
        missed,
        "study/socket-one-liner                                       typed      learning   2026-03-03 09:01     1      0"
    );
    let stats = Test::on(&sandbox)
        .args(&["stats"])
        .deck(FIXTURE, "study")
        .now("2026-03-03T10:00:00Z")
        .stdout_has("\nInterview calibration (right when you said, all rounds): sure 1/1 (100%) · guess 0/1 (0%)\n")
        .run();
    let chart = &stats.stdout[stats.stdout.find("Interview scores").unwrap()..];
    assert_eq!(
        chart,
        "Interview scores (% right per day)\n  2026-03-02 (1/1) #################### 100\n  2026-03-03 (0/1) 0\n"
    );
}

#[test]
fn check_reports_a_follow_up_into_a_deck_that_is_not_loaded() {
    let sandbox = Sandbox::new();
    let deck = sandbox.path().join("lead.yaml");
    std::fs::write(
        &deck,
        "format: 1\nid: lead\ntitle: Lead\ncards:\n  - id: a\n    type: flashcard\n    prompt: P\n    answer: A\n    follow_up: [elsewhere/b]\n    explain: E\n",
    )
    .unwrap();
    let name = deck.display().to_string();
    Test::on(&sandbox)
        .args(&["check", &name])
        .code(1)
        .stderr(&format!(
            "{name}:9:17: error: follow-up `elsewhere/b` is in deck `elsewhere`, which is not loaded\n  |\n9 |     follow_up: [elsewhere/b]\n  |                 ^^^^^^^^^^^\nhelp: check this file together with the one whose id is `elsewhere`, or remove the follow-up\n"
        ))
        .stdout("1 error in 1 deck\nchecked against 20 loaded decks (built-in and data dir decks)\n")
        .run();
}

/// Issue 25: a round in a real terminal of 80x24 (the dialoguer front end on a pseudo-terminal): the first run
/// on a fresh data dir asks for the interview date (Enter skips), each answer is followed by one confidence key,
/// and the scorecard's headline is on the last screen (what follows it fits under it, within 80 columns).
#[test]
fn a_round_in_an_80x24_terminal_ends_with_the_scorecard_headline_on_the_last_screen() {
    use expectrl::{Eof, Expect, Regex};

    use crate::terminal::{terminal, wait_for_key_read};

    let sandbox = Sandbox::new();
    // The date question is what this test shows, so it is not switched off.
    let mut s = Test::pty(&sandbox)
        .args(&["interview", "--questions", "2"])
        .deck("tests/decks/good/pty.yaml", "pty")
        .env_remove("PORTQUIZ_NO_DATE_QUESTION")
        .spawn_pty(80, 24);
    let tty = terminal(&s);
    let mut shown: Vec<u8> = Vec::new();
    let mut at = |s: &mut expectrl::session::OsSession, what: &str, keys: &str| {
        let found = s.expect(what).unwrap();
        shown.extend_from_slice(found.before());
        shown.extend_from_slice(found.get(0).unwrap_or_default());
        wait_for_key_read(&tty);
        s.send(keys).unwrap();
    };
    // The first run asks for the date; Enter skips.
    at(&mut s, "When is your interview?", "\r");
    // The open question first (a flashcard asked in words), then one key for confidence.
    at(
        &mut s,
        "Your answer (",
        "A number that tells the OS which process gets the data\r",
    );
    at(&mut s, "How sure?", "s");
    // The choice card: the highlighted option, then Enter skips the confidence.
    at(&mut s, "Your answer", "\r");
    at(&mut s, "How sure?", "\r");
    // The debrief's prompts take their defaults until the scorecard.
    loop {
        let found = s
            // A grade menu opens with its label on a line of its own.
            .expect(Regex(r"How well did you know it\?\r?\n|=== Scorecard ==="))
            .unwrap();
        shown.extend_from_slice(found.before());
        let matched = found.get(0).unwrap_or_default().to_vec();
        shown.extend_from_slice(&matched);
        if matched.starts_with(b"===") {
            break;
        }
        wait_for_key_read(&tty);
        s.send("\r").unwrap();
    }
    let rest = s.expect(Eof).unwrap();
    shown.extend_from_slice(rest.before());
    shown.extend_from_slice(rest.get(0).unwrap_or_default());
    let text = String::from_utf8_lossy(&shown);
    let escapes = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap();
    let text = escapes.replace_all(&text, "").replace('\r', "");
    let scorecard = &text[text.rfind("=== Scorecard ===").unwrap()..];
    let lines: Vec<&str> = scorecard.trim_end().lines().collect();
    assert!(lines.len() < 24, "{scorecard}");
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{scorecard}");
    // With this seed the choice's highlighted option is wrong; the flashcard takes its suggested Hard.
    let clock = regex::Regex::new(r"\b\d+:\d\d\b").unwrap();
    assert_eq!(
        clock.replace_all(&lines.join("\n"), "M:SS"),
        "=== Scorecard ===\n\
         1/2 right (50%) in M:SS; M:SS a question (pace M:SS).\n\
         Right when: sure 1/1 (100%).\n\
         Sure but wrong: none.\n\
         Weakest topics (2+ questions):\n\
         \x20 deck:pty  1/2  missed: port-range\n\
         Due again today: pty/port-range\n\
         `portquiz study` starts with them."
    );
    assert!(
        text.contains("How sure? s sure, t think so, g guess (Enter skips) sure"),
        "{text}"
    );
}

/// Issue 25: with an interview date set, the round's opening says whether the unseen cards fit at the new-card
/// limit and which `--new` would; `stats` shows the days left.
#[test]
fn with_an_interview_date_the_opening_says_whether_the_new_cards_fit_and_stats_shows_the_days_left()
{
    let sandbox = Sandbox::new();
    Test::on(&sandbox)
        .args(&["config", "set", "interview-date", "2026-03-04"])
        .run();
    let run = round(&sandbox, "2026-03-02T09:00:00Z", "q\n");
    assert!(
        run.stdout.starts_with(
            "Interview on 2026-03-04: 2 days left; 6 new cards at 10 a day fit.\nMock interview: "
        ),
        "{}",
        run.stdout
    );
    Test::on(&sandbox)
        .args(&["stats"])
        .deck(FIXTURE, "study")
        .now("2026-03-02T10:00:00Z")
        .stdout_has("\n  interview on 2026-03-04: 2 study days left\n")
        .run();
}

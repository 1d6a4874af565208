//! `portquiz interview` end to end in `--plain`: a round on the fixture deck, its debrief and scorecard, and
//! `stats` after two rounds on two simulated days; `check` on follow-ups into a deck that is not loaded.
use crate::support::Sandbox;

const FIXTURE: &str = "tests/decks/good/study.yaml";

/// Runs one round at `now`, answering every prompt with `lines` (then end of input).
fn round(sandbox: &Sandbox, now: &str, lines: &str) -> crate::support::Run {
    sandbox.run_with_input(
        &[
            "interview",
            "--plain",
            "--minutes",
            "5",
            "--deck",
            FIXTURE,
            "--deck",
            "study",
        ],
        &[("PORTQUIZ_NOW", now), ("PORTQUIZ_SEED", "11")],
        lines,
    )
}

#[test]
fn two_rounds_on_two_days_show_in_stats_as_interview_scores() {
    let sandbox = Sandbox::new();
    let first = round(&sandbox, "2026-03-02T09:00:00Z", "0-65535\nn\n443\nq\n");
    assert_eq!(first.code, 0, "{}", first.transcript());
    let scorecard = &first.stdout[first.stdout.find("=== Scorecard ===").unwrap()..];
    assert_eq!(
        scorecard,
        "=== Scorecard ===\n3 of 3 scored answers right (100%) in 0:00; pace 1:30 a question, yours 0:00.\nEvery answer counts as a review in your schedule.\nBy topic:\n  deck:study  3/3\nNothing missed.\n"
    );
    // Day two: a weak explanation (graded Again by default at the end of input) and a flashcard.
    let second = round(&sandbox, "2026-03-03T09:00:00Z", "1\ny\nq\n");
    assert_eq!(second.code, 0, "{}", second.transcript());
    let missed = second.stdout.lines().last().unwrap();
    assert_eq!(
        missed,
        "Missed, due again today (the next `portquiz study` starts with them): study/socket-one-liner"
    );
    // The card missed is due again today (one relearning step later), with every card answered.
    let due = sandbox.run_with_input(
        &["cards", "--due", "--deck", FIXTURE, "--deck", "study"],
        &[("PORTQUIZ_NOW", "2026-03-03T10:00:00Z")],
        "",
    );
    let missed = due
        .stdout
        .lines()
        .find(|l| l.contains("socket-one-liner"))
        .unwrap();
    assert_eq!(
        missed,
        "study/socket-one-liner                                       typed      learning   2026-03-03 09:01     1      0"
    );
    let stats = sandbox.run_with_input(
        &["stats", "--deck", FIXTURE, "--deck", "study"],
        &[("PORTQUIZ_NOW", "2026-03-03T10:00:00Z")],
        "",
    );
    let chart = &stats.stdout[stats.stdout.find("Interview scores").unwrap()..];
    assert_eq!(
        chart,
        "Interview scores (% right per day)\n  2026-03-02 (3/3) #################### 100\n  2026-03-03 (1/2) ########## 50\n"
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
    let run = sandbox.run(&["check", deck.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let name = deck.display().to_string();
    assert_eq!(
        run.stderr,
        format!(
            "{name}:9:17: error: follow-up `elsewhere/b` is in deck `elsewhere`, which is not loaded\n  |\n9 |     follow_up: [elsewhere/b]\n  |                 ^^^^^^^^^^^\nhelp: check this file together with the one whose id is `elsewhere`, or remove the follow-up\n"
        )
    );
    assert_eq!(
        run.stdout,
        "1 error in 1 deck\nchecked against 10 loaded decks (built-in and data dir decks)\n"
    );
}

//! Whole interview rounds in-process: a scripted plain front end, progress in memory, a clock that moves a
//! fixed step at every reading, a fixed seed and an injected experiment outcome. Each test asserts the full
//! transcript (snapshots under `snapshots/`), the scorecard and what was recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::cell::Cell;
use std::rc::Rc;

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::deck::{Known, parse_deck};
use crate::practical::Outcome;
use crate::practical::{Experiment, Observation};
use crate::quiz::{Lab, MemoryProgress};
use crate::schedule::{Scheduler, SchedulerConfig};
use crate::ui::script::{End, scripted};

const START: &str = "2026-03-02T09:00:00Z";

/// Sockets, with a chain socket -> tuple -> accept-queue, a lead question and a prediction.
const SOCKETS: &str = r#"format: 1
id: t
title: Sockets
tags: [sockets]
cards:
  - id: socket
    type: typed
    prompt: In one line, what is a socket?
    keywords: [[ip, address], port, protocol]
    answer: An endpoint defined by IP address, port and protocol.
    follow_up: [tuple]
  - id: tuple
    type: choice
    prompt: What tells two connections to one server port apart?
    options: [The 4-tuple, The MAC address, The process id]
    answer: The 4-tuple
    follow_up: [accept-queue]
  - id: accept-queue
    type: truefalse
    prompt: accept() creates the TCP connection.
    answer: false
    explain: The kernel completes the handshake; accept() takes a finished connection off the queue.
    tags: [tcp]
  - id: range
    type: choice
    prompt: Which range can a port number take?
    options: ["0-65535", "1-1024"]
    answer: "0-65535"
  - id: double
    type: practical
    experiment: double-bind
  - id: listen
    type: lab
    experiment: lab-start-listener
"#;

/// HTTP, with a chain http -> upgrade.
const HTTP: &str = r#"format: 1
id: u
title: HTTP
cards:
  - id: http
    type: choice
    prompt: Which port does HTTP use by default?
    options: ["80", "443", "8080"]
    answer: "80"
    follow_up: [upgrade]
  - id: upgrade
    type: flashcard
    prompt: How does a WebSocket start?
    answer: As an HTTP request with Upgrade, answered by 101 Switching Protocols.
"#;

fn decks() -> Vec<Deck> {
    let known = Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    };
    vec![
        parse_deck(SOCKETS, "t.yaml", &known).unwrap(),
        parse_deck(HTTP, "u.yaml", &known).unwrap(),
    ]
}

struct FakeLive(Outcome);

impl Live for FakeLive {
    fn run(&mut self, _: &'static Experiment) -> Outcome {
        self.0.clone()
    }

    fn start_lab(&mut self, _: &'static Experiment) -> Result<Box<dyn Lab>, String> {
        Err("no labs in an interview".into())
    }
}

fn observed(correct: usize) -> Outcome {
    Outcome::Observed(Observation {
        correct: vec![correct],
        transcript: vec!["TCP  bind 127.0.0.1:40001   failed: address already in use".into()],
        conclusion: "the second bind fails while the first socket holds the port".into(),
        note: None,
    })
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A review card last answered `days_ago` days before the start with the given stability.
fn studied(stability: f64, days_ago: i64) -> CardState {
    let start = ts(START);
    CardState {
        state: State::Review,
        step: 0,
        stability: Some(stability),
        difficulty: Some(5.0),
        due: Some(start),
        reps: 3,
        lapses: 0,
        last_review: Some(start - SignedDuration::from_hours(24 * days_ago)),
    }
}

struct Bench {
    decks: Vec<Deck>,
    progress: MemoryProgress,
    scheduler: Scheduler,
    clock: Rc<Cell<Timestamp>>,
    tick: SignedDuration,
}

impl Bench {
    fn new() -> Self {
        let mut progress = MemoryProgress::new();
        // Weakest first: socket (never studied), double, http; range is a strength.
        for (card, state) in [("double", studied(1.0, 60)), ("range", studied(100.0, 1))] {
            progress
                .states
                .insert(CardRef::parse("t", card).unwrap(), state);
        }
        progress
            .states
            .insert(CardRef::parse("u", "http").unwrap(), studied(1.0, 10));
        Self {
            decks: decks(),
            progress,
            scheduler: Scheduler::new(SchedulerConfig::default()).unwrap(),
            clock: Rc::new(Cell::new(ts(START))),
            tick: SignedDuration::from_secs(10),
        }
    }

    fn run(&mut self, lines: &[&str], end: End, config: Config) -> (Scorecard, String) {
        let (mut ui, transcript) = scripted(lines.iter().copied(), end);
        // Every reading of the clock moves it on by `tick`.
        let planner = Planner::ticking(&self.scheduler, self.clock.clone(), self.tick, 7);
        let mut live = FakeLive(observed(0));
        let round = Round::new(
            &self.decks,
            &mut self.progress,
            planner,
            &mut ui,
            &mut live,
            config,
        )
        .unwrap();
        let card = round.run().unwrap();
        ui.say(Style::Text, &words::scorecard(&card)).unwrap();
        (card, transcript.text())
    }

    /// The review log: card, rating, whether it changed the schedule, and its kind.
    fn log(&self) -> Vec<String> {
        self.progress
            .log
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {}",
                    r.key,
                    r.review.rating,
                    if r.review.cram { "logged" } else { "scheduled" },
                    r.kind.as_str()
                )
            })
            .collect()
    }
}

const ROUND: Config = Config {
    minutes: 15,
    schedule: true,
};

#[test]
fn a_whole_round_digs_deeper_after_good_answers_and_changes_topic_after_weak_ones() {
    let mut b = Bench::new();
    let (card, text) = b.run(
        &[
            // socket: every key idea -> its follow-up, tuple.
            "an IP address, a port and a protocol",
            // tuple: right -> its follow-up, accept-queue.
            "The 4-tuple",
            // accept-queue: wrong -> another topic (deck u), skipping `double` of deck t.
            "y",
            // http: right -> upgrade.
            "80",
            // upgrade: passed -> back to deck t.
            "pass",
            // double: a prediction, run at the debrief.
            "EADDRINUSE",
            // range: the strength.
            "0-65535",
            // Debrief: socket graded Good, accept-queue's Again kept, upgrade takes its default (Again).
            "3",
            "",
            "",
        ],
        End::Eof,
        ROUND,
    );
    insta::assert_snapshot!("whole_round", text);
    let asked: Vec<(String, Option<String>, Verdict)> = card
        .questions
        .iter()
        .map(|q| {
            (
                format!("{}/{}", q.deck, q.card),
                q.follow_up_of.as_ref().map(ToString::to_string),
                q.verdict,
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            ("t/socket".into(), None, Verdict::Right),
            ("t/tuple".into(), Some("t/socket".into()), Verdict::Right),
            (
                "t/accept-queue".into(),
                Some("t/tuple".into()),
                Verdict::Wrong
            ),
            ("u/http".into(), None, Verdict::Right),
            ("u/upgrade".into(), Some("u/http".into()), Verdict::Wrong),
            ("t/double".into(), None, Verdict::Right),
            ("t/range".into(), None, Verdict::Right),
        ]
    );
    let missed: Vec<String> = card.missed.iter().map(ToString::to_string).collect();
    assert_eq!(missed, ["t/accept-queue", "u/upgrade"]);
    // Auto-checked answers are recorded as given; explanations and predictions at the debrief.
    assert_eq!(
        b.log(),
        [
            "t/tuple good scheduled interview",
            "t/accept-queue again scheduled interview",
            "u/http good scheduled interview",
            "t/range good scheduled interview",
            "t/socket good scheduled interview",
            "u/upgrade again scheduled interview",
            "t/double good scheduled interview",
        ]
    );
    // The cards missed are due again today.
    let end_of_day = b.scheduler.next_day_start(b.clock.get()).unwrap();
    for missed in ["t/accept-queue", "u/upgrade"] {
        let (deck, id) = missed.split_once('/').unwrap();
        let due = b.progress.states[&CardRef::parse(deck, id).unwrap()]
            .due
            .unwrap();
        assert!(due < end_of_day, "{missed} is due {due}, not today");
    }
    let json = serde_json::to_string_pretty(&card).unwrap();
    insta::assert_snapshot!("whole_round_json", json);
}

#[test]
fn the_round_stops_when_the_time_is_up_and_no_schedule_leaves_states_alone() {
    let mut b = Bench::new();
    b.tick = SignedDuration::from_secs(15);
    let before = b.progress.states.clone();
    let (card, text) = b.run(
        &["an IP address, a port and a protocol", "The 4-tuple", "3"],
        End::Eof,
        Config {
            minutes: 1,
            schedule: false,
        },
    );
    insta::assert_snapshot!("time_up", text);
    assert_eq!(card.questions.len(), 2);
    assert_eq!(b.progress.states, before);
    assert_eq!(
        b.log(),
        [
            "t/tuple good logged interview",
            "t/socket good logged interview",
        ]
    );
}

#[test]
fn ctrl_c_ends_the_round_without_a_debrief_keeping_the_answers_given() {
    let mut b = Bench::new();
    let (card, text) = b.run(
        &["an IP address, a port and a protocol", "The 4-tuple"],
        End::CtrlC,
        ROUND,
    );
    assert!(card.interrupted);
    assert!(!text.contains("Debrief"), "{text}");
    // The auto-checked answer was recorded as it was given; the explanation waits for a debrief.
    assert_eq!(b.log(), ["t/tuple good scheduled interview"]);
}

#[test]
fn the_pace_note_says_when_an_answer_took_longer_than_the_pace() {
    assert_eq!(
        words::took(SignedDuration::from_secs(95), PACE),
        "(took 1:35, over the pace)"
    );
    assert_eq!(
        words::took(SignedDuration::from_secs(90), PACE),
        "(took 1:30)"
    );
}

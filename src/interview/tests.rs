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
use crate::quiz::{Lab, Live, MemoryProgress, Planner};
use crate::schedule::{Scheduler, SchedulerConfig};
use crate::ui::Ui;
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
        self.run_judged(lines, end, config, Card::typed_judgement)
    }

    /// [`Self::run`] with typed answers judged by `judge` (a close verdict before the matcher gives one).
    fn run_judged(
        &mut self,
        lines: &[&str],
        end: End,
        config: Config,
        judge: impl Fn(&Card, &str) -> Option<crate::deck::answer::Judgement>,
    ) -> (Scorecard, String) {
        let (mut ui, transcript) = scripted(lines.iter().copied(), end);
        // Every reading of the clock moves it on by `tick`.
        let planner =
            Planner::ticking(&self.scheduler, self.clock.clone(), self.tick, 7).with_judge(judge);
        let mut live = FakeLive(observed(0));
        let round = Round::new(
            &self.decks,
            Engine::new(&mut self.progress, planner, &mut ui, &mut live),
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
    questions: 16,
    schedule: true,
};

#[test]
fn a_whole_round_digs_deeper_after_good_answers_and_changes_topic_after_weak_ones() {
    let mut b = Bench::new();
    let (card, text) = b.run(
        &[
            // socket: every key idea -> its follow-up, tuple. Sure.
            "an IP address, a port and a protocol",
            "s",
            // tuple: right -> its follow-up, accept-queue. Think so.
            "The 4-tuple",
            "t",
            // accept-queue: wrong -> another topic (deck u), skipping `double` of deck t. Sure: a confident miss.
            "y",
            "s",
            // http: right -> upgrade. A guess.
            "80",
            "g",
            // upgrade: passed -> back to deck t. Confidence skipped.
            "pass",
            "",
            // double: a prediction, run at the debrief. Sure.
            "EADDRINUSE",
            "sure",
            // range: the strength. A guess.
            "0-65535",
            "g",
            // Debrief: the confident miss first (accept-queue's Again kept), then socket graded Good and
            // upgrade takes its default (Again).
            "",
            "3",
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
    // The debrief starts with the confident miss, then the rest in the order asked.
    let debrief = &text[text.find("=== Debrief ===").unwrap()..];
    let order: Vec<&str> = debrief
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(" · "))
        .collect();
    assert_eq!(
        order,
        [
            "3. t/accept-queue · 0:10",
            "1. t/socket · 0:10",
            "2. t/tuple · 0:10",
            "4. u/http · 0:10",
            "5. u/upgrade · 0:10",
            "6. t/double · 0:10",
            "7. t/range · 0:10",
        ]
    );
    assert!(
        debrief.starts_with(
            "=== Debrief ===\nFirst, 1 answer you were sure of and missed:\n\n3. t/accept-queue · 0:10\n"
        ),
        "{debrief}"
    );
    let confident: Vec<String> = card
        .confident_misses
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(confident, ["t/accept-queue"]);
    // Calibration: sure 2 of 3 (socket, double right; accept-queue wrong), think so 1 of 1, guess 2 of 2.
    assert_eq!(
        card.calibration,
        Calibration {
            sure: crate::store::Hits {
                right: 2,
                answers: 3
            },
            think: crate::store::Hits {
                right: 1,
                answers: 1
            },
            guess: crate::store::Hits {
                right: 2,
                answers: 2
            },
        }
    );
    assert!(
        text.contains("Right when: sure 2/3 (66%) · think so 1/1 (100%) · guess 2/2 (100%).\n"),
        "{text}"
    );
    // Each confidence is stored with its answer.
    let stored: Vec<(String, Option<Confidence>)> = b
        .progress
        .log
        .iter()
        .map(|r| {
            (
                r.key.to_string(),
                b.progress.confidence.get(&r.review.id).copied(),
            )
        })
        .collect();
    assert_eq!(
        stored,
        [
            ("t/tuple".to_owned(), Some(Confidence::Think)),
            ("t/accept-queue".to_owned(), Some(Confidence::Sure)),
            ("u/http".to_owned(), Some(Confidence::Guess)),
            ("t/range".to_owned(), Some(Confidence::Guess)),
            ("t/socket".to_owned(), Some(Confidence::Sure)),
            ("u/upgrade".to_owned(), None),
            ("t/double".to_owned(), Some(Confidence::Sure)),
        ]
    );
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
        &[
            "an IP address, a port and a protocol",
            "",
            "The 4-tuple",
            "",
            "3",
        ],
        End::Eof,
        Config {
            minutes: 1,
            questions: 16,
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
        // Ctrl-C comes at the confidence prompt after tuple: the answer is kept.
        &["an IP address, a port and a protocol", "", "The 4-tuple"],
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

/// The answers of the whole round, up to the debrief, each followed by its confidence (skipped).
const ROUND_ANSWERS: [&str; 14] = [
    // socket: every key idea -> its follow-up, tuple.
    "an IP address, a port and a protocol",
    "",
    // tuple: right -> its follow-up, accept-queue.
    "The 4-tuple",
    "",
    // accept-queue: wrong -> another topic (deck u), skipping `double` of deck t.
    "y",
    "",
    // http: right -> upgrade.
    "80",
    "",
    // upgrade: passed -> back to deck t.
    "pass",
    "",
    // double: a prediction, run at the debrief.
    "EADDRINUSE",
    "",
    // range: the strength.
    "0-65535",
    "",
];

#[test]
fn a_refused_answer_claimed_at_the_debrief_is_scored_and_scheduled_as_the_candidates_grade() {
    let mut b = Bench::new();
    // Debrief: socket Good; accept-queue claimed ("I was right") and graded Easy; upgrade's default.
    let lines: Vec<&str> = ROUND_ANSWERS
        .iter()
        .copied()
        .chain(["3", "r", "4", ""])
        .collect();
    let (card, text) = b.run(&lines, End::Eof, ROUND);
    assert!(
        text.contains(
            "Wrong: it is false.\n\
             grades: 1 Again; r = I was right (grade it yourself)\n\
             grade (Enter = again, r I was right, q quit)> r\n\
             grades: 2 Hard, 3 Good, 4 Easy\n\
             grade (Enter = good, q quit)> 4\n\
             (claimed: scored right and recorded as Easy)\n"
        ),
        "{text}"
    );
    assert!(text.contains("6/7 right (85%, 1 claimed) in "), "{text}");
    let queue = card
        .questions
        .iter()
        .find(|q| q.card == "accept-queue")
        .unwrap();
    assert_eq!(
        (queue.verdict, queue.rating, queue.claimed),
        (Verdict::Right, Some(Rating::Easy), true)
    );
    assert_eq!((card.right, card.claimed), (6, 1));
    let missed: Vec<String> = card.missed.iter().map(ToString::to_string).collect();
    assert_eq!(missed, ["u/upgrade"]);
    // The Again recorded during the round is gone; the claim is logged as the candidate's grade, overridden.
    assert_eq!(
        b.log(),
        [
            "t/tuple good scheduled interview",
            "u/http good scheduled interview",
            "t/range good scheduled interview",
            "t/socket good scheduled interview",
            "t/accept-queue easy scheduled interview",
            "u/upgrade again scheduled interview",
            "t/double good scheduled interview",
        ]
    );
    let claimed = b
        .progress
        .log
        .iter()
        .find(|r| r.key.card.as_str() == "accept-queue")
        .unwrap();
    assert!(claimed.overridden);
    // The schedule follows the claim: the card's state is the one an Easy answer to a new card gives.
    let key = CardRef::parse("t", "accept-queue").unwrap();
    let state = &b.progress.states[&key];
    assert_eq!(Some(state), claimed.after.as_ref());
    assert_eq!(
        (state.state, state.reps, state.lapses),
        (State::Review, 1, 0)
    );
}

/// A round up to its debrief: socket and tuple answered right; at accept-queue, `u` takes the tuple answer
/// back; tuple comes back and gets a wrong answer; then `q`.
const UNDONE_THEN_WRONG: [&str; 8] = [
    "an IP address, a port and a protocol",
    "",
    "The 4-tuple",
    "",
    "u",
    "The MAC address",
    "",
    "q",
];

#[test]
fn undo_at_a_question_takes_back_the_last_answer_and_asks_it_again() {
    let mut b = Bench::new();
    // Debrief: socket Good; tuple's Again kept.
    let lines: Vec<&str> = UNDONE_THEN_WRONG.into_iter().chain(["3", ""]).collect();
    let (card, text) = b.run(&lines, End::Eof, ROUND);
    assert!(
        text.contains("(undone: the answer to `tuple` is forgotten; here it is again)"),
        "{text}"
    );
    let asked: Vec<(String, Verdict)> = card
        .questions
        .iter()
        .map(|q| (q.card.clone(), q.verdict))
        .collect();
    assert_eq!(
        asked,
        [
            ("socket".to_owned(), Verdict::Right),
            ("tuple".to_owned(), Verdict::Wrong)
        ]
    );
    // The first answer to tuple (Good) left the log; its state is the one before it, then the Again.
    assert_eq!(
        b.log(),
        [
            "t/tuple again scheduled interview",
            "t/socket good scheduled interview",
        ]
    );
    let tuple = &b.progress.states[&CardRef::parse("t", "tuple").unwrap()];
    assert_eq!((tuple.reps, tuple.lapses), (1, 0));
}

/// Issue 22: both of study's corrections in one interview round: `u` at a question takes back the answer
/// before it, and the answer given again (refused by the checker) is claimed at the debrief ("I was right").
#[test]
fn one_round_undoes_an_answer_then_claims_the_refused_answer_given_again() {
    let mut b = Bench::new();
    // Debrief: socket Good; tuple claimed ("I was right") and graded Good (Enter).
    let lines: Vec<&str> = UNDONE_THEN_WRONG
        .into_iter()
        .chain(["3", "r", ""])
        .collect();
    let (card, text) = b.run(&lines, End::Eof, ROUND);
    assert!(
        text.contains("(undone: the answer to `tuple` is forgotten; here it is again)"),
        "{text}"
    );
    assert!(
        text.contains(
            "grade (Enter = again, r I was right, q quit)> r\n\
             grades: 2 Hard, 3 Good, 4 Easy\n\
             grade (Enter = good, q quit)> \n\
             (claimed: scored right and recorded as Good)\n"
        ),
        "{text}"
    );
    let asked: Vec<(String, Verdict, bool)> = card
        .questions
        .iter()
        .map(|q| (q.card.clone(), q.verdict, q.claimed))
        .collect();
    assert_eq!(
        asked,
        [
            ("socket".to_owned(), Verdict::Right, false),
            ("tuple".to_owned(), Verdict::Right, true)
        ]
    );
    assert_eq!((card.right, card.claimed), (2, 1));
    // The undone Good and the Again recorded during the round are gone; the claim is logged at the debrief
    // (after socket's answer), overridden.
    assert_eq!(
        b.log(),
        [
            "t/socket good scheduled interview",
            "t/tuple good scheduled interview",
        ]
    );
    let tuple = CardRef::parse("t", "tuple").unwrap();
    let claimed = b.progress.log.iter().find(|r| r.key == tuple).unwrap();
    assert!(claimed.overridden);
    let state = &b.progress.states[&tuple];
    assert_eq!(Some(state), claimed.after.as_ref());
    assert_eq!((state.reps, state.lapses), (1, 0));
}

#[test]
fn undo_with_nothing_answered_says_so_and_asks_the_same_question() {
    let mut b = Bench::new();
    let (card, text) = b.run(&["u", "q"], End::Eof, ROUND);
    assert!(
        text.contains(
            "your answer (type it, u undo, q quit)> u\n(nothing to undo in this session)\n"
        ),
        "{text}"
    );
    assert!(card.questions.is_empty());
    assert!(b.log().is_empty());
}

/// HTTP with a typed card that has an answer to accept, for a close verdict.
const TYPED: &str = r#"format: 1
id: v
title: Typed
cards:
  - id: https
    type: typed
    prompt: Which port does HTTPS use by default?
    accept: ["443"]
"#;

#[test]
fn a_close_answer_is_confirmed_at_the_debrief_with_hard_on_enter() {
    let known = Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    };
    let mut b = Bench::new();
    b.decks = vec![parse_deck(TYPED, "v.yaml", &known).unwrap()];
    let (card, text) = b.run_judged(&["4433", "", ""], End::Eof, ROUND, crate::quiz::close_judge);
    assert!(
        text.contains(
            "Your answer: 4433\n\
             Close. A model answer: 443\n\
             Matched: 443\n\
             Not matched: an extra 3\n\
             Confirm a grade (Enter = Hard): was it what you meant?\n\
             grades: 1 Again, 2 Hard, 3 Good, 4 Easy\n\
             grade (Enter = hard, q quit)> \n"
        ),
        "{text}"
    );
    assert_eq!(card.questions[0].rating, Some(Rating::Hard));
    assert_eq!(card.questions[0].verdict, Verdict::Right);
    assert_eq!(b.log(), ["v/https hard scheduled interview"]);
    assert!(b.progress.log[0].close && !b.progress.log[0].overridden);
}

/// Six topics with an open (typed) card and a closed (choice) one each, two topics with only a choice card, and
/// two predictions on one experiment (siblings).
fn open_deck() -> String {
    let mut deck = String::from("format: 1\nid: o\ntitle: Open\ncards:\n");
    for i in 1..=6 {
        deck.push_str(&format!(
            "  - id: typed{i}\n    type: typed\n    prompt: Name thing {i}.\n    accept: [\"thing{i}\"]\n    tags: [topic{i}]\n"
        ));
        deck.push_str(&format!(
            "  - id: choice{i}\n    type: choice\n    prompt: Pick thing {i}.\n    options: [\"thing{i}\", \"other\"]\n    answer: \"thing{i}\"\n    tags: [topic{i}]\n"
        ));
    }
    for i in 7..=8 {
        deck.push_str(&format!(
            "  - id: choice{i}\n    type: choice\n    prompt: Pick thing {i}.\n    options: [\"thing{i}\", \"other\"]\n    answer: \"thing{i}\"\n    tags: [alone{i}]\n"
        ));
    }
    deck.push_str("  - id: bind1\n    type: practical\n    experiment: double-bind\n");
    deck.push_str("  - id: bind2\n    type: practical\n    experiment: double-bind\n    prompt: Again, what does the second bind do?\n");
    deck
}

fn known() -> Known<'static> {
    Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    }
}

#[test]
fn a_round_asks_open_questions_first_and_never_two_siblings() {
    let mut b = Bench::new();
    b.decks = vec![parse_deck(&open_deck(), "o.yaml", &known()).unwrap()];
    // Every question answered `1` (wrong for the typed ones), its confidence skipped; the debrief then ends.
    let lines: Vec<&str> = std::iter::repeat_n(["1", ""], 20).flatten().collect();
    let config = Config {
        questions: 10,
        ..ROUND
    };
    let (card, _) = b.run(&lines, End::Eof, config);
    let kinds: Vec<&str> = card.questions.iter().map(|q| q.kind).collect();
    assert_eq!(card.questions.len(), 10);
    let open = kinds
        .iter()
        .filter(|k| matches!(**k, "typed" | "practical" | "flashcard"))
        .count();
    // Six typed and one prediction: 70%, above the 60% a default round keeps.
    assert_eq!(open, 7, "{kinds:?}");
    assert!(open * 100 / card.questions.len() >= 60);
    // Open first; then the choice cards whose topic has no open card; then one whose topic has.
    assert!(kinds[..7].iter().all(|k| *k != "choice"), "{kinds:?}");
    let closed: Vec<&str> = card.questions[7..]
        .iter()
        .map(|q| q.card.as_str())
        .collect();
    assert_eq!(
        &closed[..2]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        &["choice7", "choice8"].into_iter().collect()
    );
    assert!(closed[2].starts_with("choice") && closed[2] != "choice7" && closed[2] != "choice8");
    // One prediction of the two on the same experiment.
    let binds = card
        .questions
        .iter()
        .filter(|q| q.card.starts_with("bind"))
        .count();
    assert_eq!(binds, 1);
}

/// A lead whose follow-up asks for the same answer again, and another question.
const REPEAT: &str = r#"format: 1
id: r
title: Repeat
cards:
  - id: tuple
    type: typed
    prompt: What identifies a TCP connection?
    accept: ["the 4-tuple"]
    follow_up: [same]
  - id: same
    type: typed
    prompt: And what tells two connections to one port apart?
    accept: ["the 4-tuple"]
  - id: other
    type: typed
    prompt: Which port does SSH use?
    accept: ["22"]
"#;

#[test]
fn a_follow_up_that_repeats_its_parents_answer_is_not_asked_as_one() {
    let mut b = Bench::new();
    b.decks = vec![parse_deck(REPEAT, "r.yaml", &known()).unwrap()];
    // `other` is known well: `tuple` (never studied) leads.
    b.progress
        .states
        .insert(CardRef::parse("r", "other").unwrap(), studied(100.0, 1));
    let config = Config {
        questions: 2,
        ..ROUND
    };
    let (card, _) = b.run(&["the 4-tuple", "", "22", ""], End::Eof, config);
    let asked: Vec<(&str, bool)> = card
        .questions
        .iter()
        .map(|q| (q.card.as_str(), q.follow_up_of.is_some()))
        .collect();
    assert_eq!(asked, [("tuple", false), ("other", false)]);
}

#[test]
fn the_confidence_prompt_takes_one_key_and_enter_skips() {
    let (mut ui, transcript) = scripted(["x", "T", "", "g"], End::Eof);
    assert_eq!(ui.confidence().unwrap(), Some(Confidence::Think));
    assert_eq!(ui.confidence().unwrap(), None);
    assert_eq!(ui.confidence().unwrap(), Some(Confidence::Guess));
    assert_eq!(ui.confidence().unwrap(), None);
    assert_eq!(
        transcript.text(),
        "How sure? s sure, t think so, g guess (Enter skips)> x\n\
         (could not read that: s, t, g, or Enter to skip; q quits, u undoes the last answer)\n\
         How sure? s sure, t think so, g guess (Enter skips)> T\n\
         How sure? s sure, t think so, g guess (Enter skips)> \n\
         How sure? s sure, t think so, g guess (Enter skips)> g\n\
         How sure? s sure, t think so, g guess (Enter skips)> \n"
    );
}

/// A scorecard after a long round: 40 topics, most asked once, and many cards missed.
fn crowded() -> Scorecard {
    let mut topics: Vec<Topic> = (0..40)
        .map(|i| Topic {
            topic: format!("tag:some-rather-long-topic-name-{i}"),
            right: 1,
            scored: 1,
            weakest: Vec::new(),
        })
        .collect();
    for (i, (right, scored)) in [(0, 3), (1, 4), (2, 2), (1, 2), (3, 5), (2, 3), (0, 1)]
        .into_iter()
        .enumerate()
    {
        topics.push(Topic {
            topic: format!("deck:d{i}"),
            right,
            scored,
            weakest: vec![
                "the accept queue and the SYN queue are two queues".into(),
                format!("card-{i}"),
            ],
        });
    }
    let missed: Vec<CardRef> = (0..30)
        .map(|i| CardRef::parse("sockets", &format!("missed-card-{i}")).unwrap())
        .collect();
    Scorecard {
        minutes: 25,
        question_limit: 50,
        schedule: true,
        spent: SignedDuration::from_secs(15 * 60 + 30),
        spent_seconds: 930.0,
        pace: PACE,
        pace_seconds: 90.0,
        average: SignedDuration::from_secs(17),
        right: 44,
        scored: 50,
        claimed: 2,
        questions: Vec::new(),
        topics,
        confident_misses: missed[..12].to_vec(),
        missed,
        calibration: Calibration {
            sure: crate::store::Hits {
                right: 30,
                answers: 34,
            },
            think: crate::store::Hits {
                right: 10,
                answers: 12,
            },
            guess: crate::store::Hits {
                right: 4,
                answers: 4,
            },
        },
        interrupted: false,
    }
}

#[test]
fn the_scorecard_fits_an_80_by_24_screen() {
    let text = words::scorecard(&crowded());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= words::SCORECARD_LINES, "{text}");
    for line in &lines {
        assert!(line.chars().count() <= words::WIDTH, "{line:?}");
    }
    insta::assert_snapshot!("crowded_scorecard", text);
}

mod date {
    use super::super::date::{ASKED, Asked, SKIPPED, ask_once};
    use crate::settings::Key;
    use crate::store::Store;
    use crate::store::fixtures::TempStore;
    use crate::ui::script::{End, scripted};

    fn date(store: &Store) -> Option<String> {
        store.setting(Key::InterviewDate.stored_as()).unwrap()
    }

    #[test]
    fn asked_once_on_a_fresh_data_dir() {
        let store = TempStore::new();
        let (mut ui, transcript) = scripted(["next week", "2026-03-20"], End::Eof);
        assert_eq!(ask_once(&store, &mut ui, true, false).unwrap(), Asked::Set);
        assert_eq!(date(&store).as_deref(), Some("2026-03-20"));
        let text = transcript.text();
        assert!(
            text.starts_with("When is your interview? (YYYY-MM-DD; Enter skips)> next week\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "When is your interview? (YYYY-MM-DD; Enter skips)> 2026-03-20\nInterview date: 2026-03-20 (`portquiz config set interview-date` changes it).\n"
            ),
            "{text}"
        );
        // The next run does not ask again.
        let (mut ui, transcript) = scripted(["2026-04-01"], End::Eof);
        assert_eq!(
            ask_once(&store, &mut ui, true, false).unwrap(),
            Asked::Unchanged
        );
        assert_eq!(transcript.text(), "");
        assert_eq!(date(&store).as_deref(), Some("2026-03-20"));
    }

    #[test]
    fn ctrl_c_at_the_question_ends_the_command_and_it_is_not_asked_again() {
        let store = TempStore::new();
        let (mut ui, _) = scripted(std::iter::empty::<&str>(), End::CtrlC);
        assert_eq!(
            ask_once(&store, &mut ui, true, false).unwrap(),
            Asked::Interrupted
        );
        assert_eq!(date(&store), None);
        assert_eq!(store.setting(ASKED).unwrap().as_deref(), Some("1"));
    }

    #[test]
    fn enter_skips_and_it_is_not_asked_again() {
        let store = TempStore::new();
        let (mut ui, transcript) = scripted([""], End::Eof);
        assert_eq!(
            ask_once(&store, &mut ui, true, false).unwrap(),
            Asked::Unchanged
        );
        assert_eq!(
            transcript.text(),
            format!("When is your interview? (YYYY-MM-DD; Enter skips)> \n{SKIPPED}\n")
        );
        assert_eq!(date(&store), None);
        assert_eq!(store.setting(ASKED).unwrap().as_deref(), Some("1"));
        let (mut ui, transcript) = scripted(["2026-04-01"], End::Eof);
        assert_eq!(
            ask_once(&store, &mut ui, true, false).unwrap(),
            Asked::Unchanged
        );
        assert_eq!(transcript.text(), "");
    }

    #[test]
    fn never_asked_without_a_terminal_unless_ask_date() {
        let store = TempStore::new();
        let (mut ui, transcript) = scripted(["2026-04-01"], End::Eof);
        assert_eq!(
            ask_once(&store, &mut ui, false, false).unwrap(),
            Asked::Unchanged
        );
        assert_eq!(transcript.text(), "");
        // Not asked is not "asked": a later run at a terminal still asks.
        assert_eq!(store.setting(ASKED).unwrap(), None);
        let (mut ui, _) = scripted(["2026-04-01"], End::Eof);
        assert_eq!(ask_once(&store, &mut ui, false, true).unwrap(), Asked::Set);
        assert_eq!(date(&store).as_deref(), Some("2026-04-01"));
    }
}

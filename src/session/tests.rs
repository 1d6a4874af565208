//! Whole sessions in-process: a scripted plain front end, progress in memory, a fixed clock and seed, and
//! injected experiment outcomes. Each test asserts the full transcript (snapshots under `snapshots/`) and
//! what was recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::cell::Cell;
use std::rc::Rc;

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::deck::{Known, parse_deck};
use crate::practical;
use crate::practical::{Experiment, LabResult, Observation, Outcome};
use crate::quiz::{Lab, Live, MemoryProgress, Planner};
use crate::schedule::SchedulerConfig;
use crate::schedule::{Rating, Scheduler};
use crate::ui::Ui;
use crate::ui::script::{End, scripted};

const START: &str = "2026-03-02T09:00:00Z";

/// One deck with one card of each kind (and a table-free layout so ids are easy to read).
const DECK: &str = r#"format: 1
id: t
title: Test deck
cards:
  - id: range
    type: choice
    prompt: Which range can a port number take?
    options:
      - "0-65535"
      - text: "1-1024"
        why: That is the privileged range, not the whole 16-bit space.
      - "0-32767"
    answer: "0-65535"
    hint: A port is a 16-bit field.
    explain: Port numbers are 16 bits wide.
  - id: parts
    type: choice
    prompt: Which are parts of a socket's identity?
    options: [IP address, Port, Protocol, MAC address]
    answer: [IP address, Port, Protocol]
    explain: The MAC address belongs to the link layer.
  - id: ip-in-port
    type: truefalse
    prompt: A port number includes the machine's IP address.
    answer: false
    explain: The IP address is separate.
  - id: https
    type: typed
    prompt: Which port does HTTPS use by default?
    accept: ["443", "port 443"]
    explain: HTTPS listens on 443.
  - id: socket
    type: typed
    prompt: In one line, what is a socket?
    keywords: [[ip, address], port, protocol]
    answer: An endpoint defined by IP address, port and protocol.
  - id: port
    type: flashcard
    prompt: What is a port?
    answer: A number that tells the OS which process gets the data.
    hint: Think of a door number.
    explain: Ports pick the service on a machine.
  - id: double
    type: practical
    experiment: double-bind
    hint: Think of who would receive the data.
  - id: listen
    type: lab
    experiment: lab-start-listener
  - id: double-again
    type: practical
    experiment: double-bind
    prompt: Two TCP sockets bind the same address and port. What does the second bind get?
  - id: shown-live
    type: flashcard
    prompt: What does a second bind of a taken address and port give?
    answer: EADDRINUSE, while the first socket holds it.
    demo: double-bind
tables:
  - id: proto
    title: TCP vs UDP
    columns: [TCP, UDP]
    rows:
      - aspect: Connection
        values: [Connection-oriented, Connectionless]
"#;

/// A deck of only the cards named (by id), in that order.
fn deck_of(ids: &[&str]) -> Vec<Deck> {
    let known = Known {
        experiments: crate::practical::experiment_ids(),
        labs: crate::practical::lab_ids(),
    };
    let mut deck = parse_deck(DECK, "t.yaml", &known).unwrap();
    deck.cards = ids
        .iter()
        .map(|id| {
            deck.cards
                .iter()
                .find(|c| c.id.as_str() == *id)
                .cloned()
                .unwrap()
        })
        .collect();
    vec![deck]
}

/// Injected experiment outcomes and lab results.
#[derive(Default)]
struct FakeLive {
    outcome: Option<Outcome>,
    lab_results: Vec<LabResult>,
    runs: usize,
}

struct FakeLab(Vec<LabResult>);

impl Lab for FakeLab {
    fn instructions(&self) -> &str {
        "Run: python3 -m http.server 4242 --bind 127.0.0.1"
    }

    fn verify(&mut self) -> LabResult {
        self.0.remove(0)
    }
}

impl Live for FakeLive {
    fn run(&mut self, _: &'static Experiment) -> Outcome {
        self.runs += 1;
        self.outcome.clone().unwrap()
    }

    fn start_lab(&mut self, _: &'static Experiment) -> Result<Box<dyn Lab>, String> {
        if self.lab_results.is_empty() {
            return Err("python3 is not installed".into());
        }
        Ok(Box::new(FakeLab(std::mem::take(&mut self.lab_results))))
    }
}

fn observed(correct: usize) -> Outcome {
    Outcome::Observed(Observation {
        correct: vec![correct],
        transcript: vec![
            "TCP  bind 127.0.0.1:40001   ok, listening".into(),
            "TCP  bind 127.0.0.1:40001   failed: address already in use".into(),
        ],
        conclusion: "the second bind fails while the first socket holds the port".into(),
        note: None,
    })
}

/// Everything a test session needs; the clock can be moved between sessions.
struct Bench {
    decks: Vec<Deck>,
    progress: MemoryProgress,
    scheduler: Scheduler,
    clock: Rc<Cell<Timestamp>>,
    live: FakeLive,
    cram: bool,
    new_per_day: u32,
    /// How long each prompt takes the candidate.
    tick: SignedDuration,
    seed: u64,
    /// Judges typed answers (the deck's matcher unless a test needs a verdict it does not give yet).
    judge: fn(&Card, &str) -> Option<crate::deck::answer::Judgement>,
}

impl Bench {
    fn new(ids: &[&str]) -> Self {
        Self {
            decks: deck_of(ids),
            progress: MemoryProgress::new(),
            scheduler: Scheduler::new(SchedulerConfig::default()).unwrap(),
            clock: Rc::new(Cell::new(START.parse().unwrap())),
            live: FakeLive::default(),
            cram: false,
            new_per_day: 10,
            tick: SignedDuration::from_secs(5),
            seed: 7,
            judge: Card::typed_judgement,
        }
    }

    fn advance(&self, by: SignedDuration) {
        self.clock.set(self.clock.get().checked_add(by).unwrap());
    }

    /// Runs a session answering `lines`, then `end`; returns the summary and the transcript (with the
    /// closing summary or the "nothing due" screen, as `portquiz study` prints them).
    fn run(&mut self, lines: &[&str], end: End) -> (Summary, String) {
        let (mut ui, transcript) = scripted(lines.iter().copied(), end);
        // Every reading of the clock moves it on by `tick`.
        let planner = Planner::ticking(&self.scheduler, self.clock.clone(), self.tick, self.seed)
            .with_judge(self.judge);
        let now = self.clock.get();
        let config = Config {
            new_per_day: self.new_per_day,
            review_limit: 200,
            cram: self.cram,
            bury: true,
            day_start: self.scheduler.day_start(now).unwrap(),
        };
        let session = Session::new(
            &self.decks,
            Engine::new(&mut self.progress, planner, &mut ui, &mut self.live),
            config,
        )
        .unwrap();
        if session.queue().is_empty() {
            let text = session.nothing_due(now, self.scheduler.time_zone());
            drop(session);
            ui.say(Style::Text, &text).unwrap();
            return (Summary::default(), transcript.text());
        }
        let summary = session.run().unwrap();
        ui.say(
            Style::Text,
            &words::summary(now, self.scheduler.time_zone(), &summary),
        )
        .unwrap();
        (summary, transcript.text())
    }

    fn ratings(&self) -> Vec<(String, Rating)> {
        self.progress
            .log
            .iter()
            .map(|r| (r.key.card.to_string(), r.review.rating))
            .collect()
    }

    fn state(&self, card: &str) -> Option<State> {
        self.progress
            .states
            .get(&CardRef::parse("t", card).unwrap())
            .map(|s| s.state)
    }
}

macro_rules! transcript {
    ($name:literal, $text:expr) => {
        insta::assert_snapshot!($name, $text)
    };
}

#[test]
fn a_right_choice_is_graded_by_the_candidate() {
    let mut b = Bench::new(&["range"]);
    let (summary, text) = b.run(&["0-65535", "3"], End::Eof);
    transcript!("choice_right", text);
    assert_eq!(b.ratings(), [("range".into(), Rating::Good)]);
    assert_eq!((summary.answered, summary.right, summary.wrong), (1, 1, 0));
}

#[test]
fn a_wrong_choice_is_recorded_as_again_and_explains_the_pick() {
    let mut b = Bench::new(&["range"]);
    let (summary, text) = b.run(&["1-1024", ""], End::Eof);
    transcript!("choice_wrong", text);
    assert_eq!(b.ratings(), [("range".into(), Rating::Again)]);
    assert_eq!((summary.answered, summary.right, summary.wrong), (1, 0, 1));
}

#[test]
fn the_hint_caps_a_right_answer_at_hard() {
    let mut b = Bench::new(&["range"]);
    let (_, text) = b.run(&["?", "0-65535", "q"], End::Eof);
    transcript!("choice_hint", text);
    assert_eq!(b.ratings(), [("range".into(), Rating::Hard)]);
}

#[test]
fn a_multiple_choice_needs_every_right_option() {
    let mut b = Bench::new(&["parts"]);
    let (_, text) = b.run(&["?", "IP address", "", "1,2,3", "4"], End::Eof);
    transcript!("multi_choice", text);
    assert_eq!(
        b.ratings(),
        [
            ("parts".into(), Rating::Again),
            ("parts".into(), Rating::Easy)
        ]
    );
}

#[test]
fn true_false_right_and_wrong() {
    let mut b = Bench::new(&["ip-in-port"]);
    let (_, text) = b.run(&["n", "2"], End::Eof);
    transcript!("true_false_right", text);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Hard)]);
    let mut b = Bench::new(&["ip-in-port"]);
    let (_, text) = b.run(&["yes", ""], End::Eof);
    transcript!("true_false_wrong", text);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Again)]);
}

#[test]
fn a_typed_answer_among_the_accepted_ones_is_right() {
    let mut b = Bench::new(&["https"]);
    let (_, text) = b.run(&["Port  443", "4"], End::Eof);
    transcript!("typed_right", text);
    assert_eq!(b.ratings(), [("https".into(), Rating::Easy)]);
}

#[test]
fn a_close_typed_answer_shows_what_matched_and_enter_confirms_hard() {
    let mut b = Bench::new(&["https"]);
    b.judge = crate::quiz::close_judge;
    let (summary, text) = b.run(&["4433", ""], End::Eof);
    assert!(
        text.contains(
            "your answer (type it, u undo, q quit)> 4433\n\
             Close. A model answer: 443\n\
             Matched: 443\n\
             Not matched: an extra 3\n\
             Confirm a grade (Enter = Hard): was it what you meant?\n\
             HTTPS listens on 443.\n\
             grades: 1 Again (next in 1m), 2 Hard  (next in 6m), 3 Good  (next in 10m), 4 Easy  (next in 8d)\n\
             grade (Enter = hard, s suspend, u undo, q quit)> \n"
        ),
        "{text}"
    );
    assert_eq!(b.ratings(), [("https".into(), Rating::Hard)]);
    assert_eq!(
        (summary.by_your_grade, summary.right, summary.wrong),
        (1, 1, 0)
    );
    // Logged as close (for `stats`), not as an override.
    assert!(b.progress.log[0].close && !b.progress.log[0].overridden);
}

#[test]
fn an_explanation_is_graded_by_the_candidate_with_the_key_ideas_as_a_guide() {
    let mut b = Bench::new(&["socket"]);
    let (summary, text) = b.run(&["an endpoint with a port", ""], End::Eof);
    transcript!("typed_missing", text);
    // portquiz suggested Again (one key idea of three) and called nothing right or wrong.
    assert_eq!(b.ratings(), [("socket".into(), Rating::Again)]);
    assert_eq!(
        (summary.right, summary.wrong, summary.by_your_grade),
        (0, 1, 0)
    );
    assert!(
        !text.contains("Right") && !text.contains("Not quite"),
        "{text}"
    );
    // Every idea named: Good is suggested (Enter); the candidate may still pick another grade.
    let mut b = Bench::new(&["socket"]);
    let (_, text) = b.run(
        &["it is the pair IP address and port, plus the protocol", ""],
        End::Eof,
    );
    assert!(text.contains("grade (Enter = good, "), "{text}");
    assert_eq!(b.ratings(), [("socket".into(), Rating::Good)]);
}

#[test]
fn a_practical_cards_right_option_is_not_always_in_one_place() {
    let mut positions = [0usize; 3];
    for seed in 0..20 {
        let mut b = Bench::new(&["double"]);
        b.seed = seed;
        let (_, text) = b.run(&["q"], End::Eof);
        let shown: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
        let at = shown
            .iter()
            .position(|l| l.ends_with(") EADDRINUSE"))
            .unwrap();
        positions[at] += 1;
    }
    // 20 shuffles over 3 places: each place gets the right option at least 4 times (7 on average).
    assert!(positions.iter().all(|&n| n >= 4), "{positions:?}");
}

#[test]
fn a_quoted_command_word_is_an_answer_not_a_command() {
    let mut b = Bench::new(&["https"]);
    let (summary, text) = b.run(&["\"q\"", ""], End::Eof);
    transcript!("quoted_q", text);
    assert_eq!(b.ratings(), [("https".into(), Rating::Again)]);
    assert!(!summary.interrupted);
}

#[test]
fn a_question_mark_on_a_card_without_hint_is_not_an_answer() {
    let mut b = Bench::new(&["https"]);
    let (_, text) = b.run(&["?", "443", ""], End::Eof);
    transcript!("no_hint", text);
    assert_eq!(b.ratings(), [("https".into(), Rating::Good)]);
}

#[test]
fn a_flashcard_is_revealed_and_graded_by_the_candidate() {
    let mut b = Bench::new(&["port"]);
    let (summary, text) = b.run(&["?", "", "1"], End::Eof);
    transcript!("flashcard", text);
    assert_eq!(b.ratings(), [("port".into(), Rating::Again)]);
    assert_eq!(
        (
            summary.answered,
            summary.right,
            summary.wrong,
            summary.by_your_grade
        ),
        (1, 0, 1, 0)
    );
}

#[test]
fn undo_at_a_question_takes_back_the_previous_answer() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    // The seeded order asks ip-in-port first.
    let (summary, text) = b.run(&["n", "3", "u", "n", "2", "443", "3"], End::Eof);
    transcript!("undo_at_question", text);
    assert_eq!(
        b.ratings(),
        [
            ("ip-in-port".into(), Rating::Hard),
            ("https".into(), Rating::Good)
        ]
    );
    assert_eq!((summary.answered, summary.undone), (2, 1));
}

#[test]
fn undo_at_a_grade_prompt_asks_the_same_card_again() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "u", "false", "4"], End::Eof);
    transcript!("undo_at_grade", text);
    // Nothing was recorded for the first answer; the second is the one kept.
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Easy)]);
    assert_eq!((summary.answered, summary.undone), (1, 0));
}

#[test]
fn undo_at_a_flashcard_grade_prompt_shows_the_card_again() {
    let mut b = Bench::new(&["port"]);
    let (_, text) = b.run(&["", "u", "", "4"], End::Eof);
    transcript!("undo_flashcard_grade", text);
    assert_eq!(b.ratings(), [("port".into(), Rating::Easy)]);
}

#[test]
fn undo_with_nothing_answered_says_so() {
    let mut b = Bench::new(&["https"]);
    let (_, text) = b.run(&["u", "443", "3"], End::Eof);
    transcript!("undo_nothing", text);
    assert_eq!(b.progress.log.len(), 1);
}

#[test]
fn undo_restores_a_new_card_to_new() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    b.run(&["n", "3", "u"], End::Eof);
    assert_eq!(b.state("ip-in-port"), None);
    assert!(b.progress.log.is_empty());
}

#[test]
fn quitting_at_a_question_records_nothing_for_it() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "3", "q"], End::Eof);
    transcript!("quit_at_question", text);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Good)]);
    assert_eq!(summary.kept_on_quit, None);
}

#[test]
fn quitting_at_a_grade_prompt_keeps_the_answer_with_the_default_grade() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "q"], End::Eof);
    transcript!("quit_at_grade", text);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Good)]);
    assert_eq!(
        summary.kept_on_quit,
        Some(("t/ip-in-port".into(), Rating::Good))
    );
}

#[test]
fn quitting_at_a_flashcard_grade_prompt_keeps_it_as_good() {
    let mut b = Bench::new(&["port"]);
    let (summary, _) = b.run(&["", "q"], End::Eof);
    assert_eq!(b.ratings(), [("port".into(), Rating::Good)]);
    assert_eq!(summary.by_your_grade, 1);
}

#[test]
fn ctrl_c_at_a_question_ends_the_session_keeping_earlier_answers() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "3"], End::CtrlC);
    transcript!("ctrl_c_at_question", text);
    assert!(summary.interrupted);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Good)]);
}

#[test]
fn ctrl_c_at_a_grade_prompt_keeps_the_answer_just_given() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n"], End::CtrlC);
    transcript!("ctrl_c_at_grade", text);
    assert!(summary.interrupted);
    assert_eq!(b.ratings(), [("ip-in-port".into(), Rating::Good)]);
}

#[test]
fn cram_logs_answers_without_changing_the_schedule() {
    let mut b = Bench::new(&["https"]);
    b.run(&["443", "3"], End::Eof);
    b.advance(SignedDuration::from_mins(30));
    let before = b.progress.states.clone();
    b.cram = true;
    let (summary, text) = b.run(&["nope", ""], End::Eof);
    transcript!("cram", text);
    assert_eq!(b.progress.states, before);
    assert_eq!(b.progress.log.len(), 2);
    assert_eq!(b.progress.log[1].after, None);
    assert_eq!(summary.learned, 0);
}

#[test]
fn cram_with_nothing_studied_says_what_to_do() {
    let mut b = Bench::new(&["https"]);
    b.cram = true;
    let (_, text) = b.run(&[], End::Eof);
    transcript!("cram_nothing", text);
}

#[test]
fn a_learning_card_comes_back_after_its_step_and_graduates() {
    let mut b = Bench::new(&["https"]);
    b.run(&["443", "3"], End::Eof);
    assert_eq!(b.state("https"), Some(State::Learning));
    let (_, text) = b.run(&[], End::Eof);
    transcript!("learning_not_due_yet", text);
    b.advance(SignedDuration::from_mins(10));
    b.run(&["443", "3"], End::Eof);
    assert_eq!(b.state("https"), Some(State::Review));
}

#[test]
fn a_lapse_goes_to_relearning_and_back_to_review() {
    let mut b = Bench::new(&["https"]);
    b.run(&["443", "4"], End::Eof);
    assert_eq!(b.state("https"), Some(State::Review));
    let due = b.progress.states[&CardRef::parse("t", "https").unwrap()]
        .due
        .unwrap();
    b.clock
        .set(due.checked_add(SignedDuration::from_hours(1)).unwrap());
    let (_, text) = b.run(&["80", ""], End::Eof);
    transcript!("lapse", text);
    assert_eq!(b.state("https"), Some(State::Relearning));
    b.advance(SignedDuration::from_mins(10));
    let (_, text) = b.run(&["443", "3"], End::Eof);
    transcript!("relearn", text);
    assert_eq!(b.state("https"), Some(State::Review));
    assert_eq!(
        b.ratings(),
        [
            ("https".into(), Rating::Easy),
            ("https".into(), Rating::Again),
            ("https".into(), Rating::Good)
        ]
    );
}

#[test]
fn the_daily_new_card_limit_stops_new_cards() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    b.new_per_day = 1;
    let (summary, text) = b.run(&["n", "3", "443", "3"], End::Eof);
    transcript!("new_limit_two_cards", text);
    assert_eq!(summary.answered, 1);
}

#[test]
fn a_practical_card_is_checked_by_the_experiment_outcome() {
    let mut b = Bench::new(&["double"]);
    b.live.outcome = Some(observed(0));
    let experiment = practical::find("double-bind").unwrap();
    let (summary, text) = b.run(&[experiment.options[0], "3"], End::Eof);
    transcript!("practical_right", text);
    assert_eq!(b.live.runs, 1);
    assert_eq!(summary.right, 1);
}

#[test]
fn a_practical_prediction_the_machine_contradicts_is_wrong() {
    let mut b = Bench::new(&["double"]);
    b.live.outcome = Some(observed(0));
    let (summary, text) = b.run(&["2"], End::Eof);
    transcript!("practical_wrong", text);
    assert_eq!(summary.wrong, 1);
    assert_eq!(b.ratings(), [("double".into(), Rating::Again)]);
}

#[test]
fn an_experiment_not_available_here_is_skipped_not_graded() {
    let mut b = Bench::new(&["double", "https"]);
    b.live.outcome = Some(Outcome::Unavailable {
        reason: "IPv6 is not usable on loopback".into(),
    });
    // https comes first in the seeded order.
    let (summary, text) = b.run(&["80", "", "1"], End::Eof);
    transcript!("practical_unavailable", text);
    assert_eq!(summary.unavailable, 1);
    assert_eq!(b.ratings(), [("https".into(), Rating::Again)]);
}

#[test]
fn a_lab_is_verified_live() {
    let mut b = Bench::new(&["listen"]);
    b.live.lab_results = vec![LabResult {
        passed: true,
        transcript: vec!["TCP  connect 127.0.0.1:4242   ok".into()],
        conclusion: "something listens on 127.0.0.1:4242".into(),
    }];
    let (summary, text) = b.run(&["", "3"], End::Eof);
    transcript!("lab_verified", text);
    assert_eq!(summary.right, 1);
}

#[test]
fn a_lab_that_cannot_run_here_is_skipped() {
    let mut b = Bench::new(&["listen"]);
    let (summary, text) = b.run(&[], End::Eof);
    transcript!("lab_unavailable", text);
    assert_eq!(summary.unavailable, 1);
    assert!(b.progress.log.is_empty());
}

#[test]
fn a_whole_deck_in_one_session() {
    let mut b = Bench::new(&[
        "range",
        "parts",
        "ip-in-port",
        "https",
        "socket",
        "port",
        "double",
    ]);
    b.live.outcome = Some(observed(0));
    let experiment = practical::find("double-bind").unwrap();
    // The order is the seeded shuffle; answer each card by what it shows.
    let (summary, text) = b.run(
        &[
            "an endpoint: ip address, port and protocol",
            "3",
            "0-65535",
            "3",
            experiment.options[0],
            "3",
            "2,3,4",
            "3",
            "n",
            "3",
            "",
            "2",
            "443",
            "3",
        ],
        End::Eof,
    );
    transcript!("whole_deck", text);
    assert_eq!(summary.answered as usize, b.progress.log.len());
}

fn not_verified() -> LabResult {
    LabResult {
        passed: false,
        transcript: vec!["TCP  connect 127.0.0.1:4242   ECONNREFUSED (nobody listens)".into()],
        conclusion: "nothing listens on 127.0.0.1:4242: start the command above and try again"
            .into(),
    }
}

#[test]
fn a_wrong_verdict_can_be_claimed_and_the_log_says_so() {
    let mut b = Bench::new(&["https"]);
    let (summary, text) = b.run(&["4-4-3", "r", "3"], End::Eof);
    transcript!("claim", text);
    assert_eq!(b.ratings(), [("https".into(), Rating::Good)]);
    assert!(b.progress.log[0].overridden);
    assert_eq!(
        (
            summary.answered,
            summary.right,
            summary.wrong,
            summary.by_your_grade,
            summary.claimed
        ),
        (1, 1, 0, 1, 1)
    );
}

#[test]
fn a_wrong_verdict_accepted_is_again_and_not_overridden() {
    let mut b = Bench::new(&["https"]);
    b.run(&["80", "1"], End::Eof);
    assert_eq!(b.ratings(), [("https".into(), Rating::Again)]);
    assert!(!b.progress.log[0].overridden);
}

#[test]
fn a_card_suspended_at_its_grade_prompt_leaves_rotation_and_undo_brings_it_back() {
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "s", "443", "3"], End::Eof);
    transcript!("suspend", text);
    let ip = CardRef::parse("t", "ip-in-port").unwrap();
    assert!(b.progress.suspended.contains(&ip));
    assert_eq!(summary.suspended, ["t/ip-in-port"]);
    // The answer given is kept; the card is not asked again, today or later.
    assert_eq!(b.ratings()[0], ("ip-in-port".into(), Rating::Good));
    b.advance(SignedDuration::from_hours(48));
    let (_, text) = b.run(&["u", "q"], End::Eof);
    assert!(!text.contains("ip-in-port · truefalse"), "{text}");
    let mut b = Bench::new(&["https", "ip-in-port"]);
    let (summary, text) = b.run(&["n", "s", "u"], End::Eof);
    transcript!("suspend_undo", text);
    assert!(!b.progress.suspended.contains(&ip));
    assert!(summary.suspended.is_empty());
}

#[test]
fn a_failed_lab_offers_retry_and_a_retry_can_pass() {
    let mut b = Bench::new(&["listen"]);
    b.live.lab_results = vec![
        not_verified(),
        LabResult {
            passed: true,
            transcript: vec!["TCP  connect 127.0.0.1:4242   ok".into()],
            conclusion: "something listens on 127.0.0.1:4242".into(),
        },
    ];
    let (summary, text) = b.run(&["", "r", "3"], End::Eof);
    transcript!("lab_retry", text);
    assert_eq!(summary.right, 1);
    assert_eq!(b.ratings(), [("listen".into(), Rating::Good)]);
}

#[test]
fn a_lab_gets_three_checks_then_only_give_up_or_skip() {
    let mut b = Bench::new(&["listen"]);
    b.live.lab_results = vec![not_verified(), not_verified(), not_verified()];
    let (summary, text) = b.run(&["", "r", "r", "r", "g"], End::Eof);
    transcript!("lab_give_up", text);
    assert_eq!(summary.wrong, 1);
    assert_eq!(b.ratings(), [("listen".into(), Rating::Again)]);
}

#[test]
fn a_skipped_lab_records_nothing() {
    // The seeded order asks https first.
    let mut b = Bench::new(&["listen", "https"]);
    b.live.lab_results = vec![not_verified()];
    let (summary, text) = b.run(&["443", "3", "", "s"], End::Eof);
    transcript!("lab_skip", text);
    assert_eq!(summary.skipped, 1);
    assert_eq!(b.ratings(), [("https".into(), Rating::Good)]);
}

#[test]
fn a_card_answered_again_waits_behind_other_cards() {
    // The seeded order is range, https, port, ip-in-port; each prompt takes half a minute, so range's
    // one-minute step is due again right after the next card.
    let mut b = Bench::new(&["https", "ip-in-port", "range", "port"]);
    b.tick = SignedDuration::from_secs(30);
    let (_, text) = b.run(
        &["1-1024", "", "443", "3", "", "3", "n", "3", "0-65535", "3"],
        End::Eof,
    );
    transcript!("again_spacing", text);
    let order: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("] t/").nth(1))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        order[..5],
        ["range", "https", "port", "ip-in-port", "range"]
    );
}

#[test]
fn siblings_are_buried_for_the_rest_of_the_day() {
    // The seeded order is proto/connection/tcp, double, proto/connection/udp, double-again.
    let mut b = Bench::new(&[
        "double",
        "double-again",
        "proto/connection/tcp",
        "proto/connection/udp",
    ]);
    b.live.outcome = Some(observed(0));
    let (summary, text) = b.run(
        &["Connection-oriented", "3", "EADDRINUSE", "3", "q"],
        End::Eof,
    );
    transcript!("siblings", text);
    assert_eq!(summary.answered, 2);
    let asked = |text: &str, id: &str| text.contains(&format!("t/{id} ·"));
    assert!(
        !asked(&text, "double-again") && !asked(&text, "proto/connection/udp"),
        "{text}"
    );
    // A later session the same day does not ask them either.
    b.advance(SignedDuration::from_hours(1));
    let (_, text) = b.run(&["q"], End::Eof);
    assert!(
        !asked(&text, "double-again") && !asked(&text, "proto/connection/udp"),
        "{text}"
    );
    // The next study day they are back.
    b.advance(SignedDuration::from_hours(24));
    let (_, text) = b.run(&["q"], End::Eof);
    assert!(text.contains(", 2 new."), "{text}");
}

#[test]
fn a_new_card_answered_again_is_not_learned() {
    let mut b = Bench::new(&["https"]);
    let (summary, _) = b.run(&["80", ""], End::Eof);
    assert_eq!((summary.answered, summary.learned), (1, 0));
}

#[test]
fn the_new_card_limit_is_said_when_it_stops_new_cards() {
    // The seeded order asks port first.
    let mut b = Bench::new(&["https", "port"]);
    b.new_per_day = 1;
    let (summary, text) = b.run(&["", "4"], End::Eof);
    transcript!("new_limit", text);
    assert_eq!((summary.answered, summary.new_waiting), (1, 1));
    let (_, text) = b.run(&[], End::Eof);
    transcript!("new_limit_nothing_due", text);
}

#[test]
fn a_card_with_a_demo_shows_the_experiment_live_at_the_grade_prompt_ungraded() {
    let mut b = Bench::new(&["shown-live"]);
    b.live.outcome = Some(observed(0));
    let (summary, text) = b.run(&["", "d", "3"], End::Eof);
    transcript!("demo", text);
    assert_eq!(b.live.runs, 1);
    // The demo changed nothing: one answer, the grade picked after it.
    assert_eq!(b.ratings(), [("shown-live".into(), Rating::Good)]);
    assert_eq!(summary.answered, 1);
}

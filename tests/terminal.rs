//! The real terminal front end (dialoguer) driven through a pseudo-terminal, as a person would use it.
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Regex, Session};

use crate::support::{Sandbox, bin, root};

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";

fn spawn(sandbox: &Sandbox) -> OsSession {
    spawn_study(
        sandbox,
        &["--deck", "tests/decks/good/pty.yaml", "--deck", "pty"],
    )
}

/// `portquiz study ARGS` in a pseudo-terminal, in colour, at a fixed instant and seed.
pub fn spawn_study(sandbox: &Sandbox, args: &[&str]) -> OsSession {
    let mut cmd = Command::new(bin());
    cmd.arg("study")
        .args(args)
        .current_dir(root())
        .env("PORTQUIZ_DATA_DIR", sandbox.path())
        .env("HOME", sandbox.path())
        .env("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")
        .env("PORTQUIZ_SEED", "7")
        .env("TZ", "UTC")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

fn exit_code(session: &OsSession) -> i32 {
    match session.get_process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("unexpected exit: {other:?}"),
    }
}

fn reps(sandbox: &Sandbox) -> Vec<(String, u64)> {
    let run = sandbox.run(&[
        "cards",
        "--json",
        "--deck",
        "tests/decks/good/pty.yaml",
        "--deck",
        "pty",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let cards: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["reps"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn arrow_keys_answer_a_choice_and_a_flashcard_then_esc_quits() {
    let sandbox = Sandbox::new();
    let mut s = spawn(&sandbox);
    let (mut choice_answered, mut flashcard_graded, mut grading_flashcard) = (false, false, false);
    loop {
        // An active prompt ends in `›`; the echo of a finished one ends in `·`, so it is not matched again.
        let found = s
            .expect(Regex(
                r"(Your answer|Show the answer|How well did you know it\?)\x1b\[0m \x1b\[[0-9;]*m›",
            ))
            .unwrap();
        let prompt = String::from_utf8_lossy(found.get(1).unwrap()).to_string();
        // The prompt is drawn before the terminal enters raw mode, which may flush keys typed earlier:
        // give it a moment, as a person would.
        std::thread::sleep(Duration::from_millis(150));
        if choice_answered && flashcard_graded {
            // Both kinds are answered; Esc at the next prompt ends the session cleanly.
            s.send(ESC).unwrap();
            break;
        }
        match prompt.as_str() {
            "Your answer" => {
                s.send(DOWN).unwrap();
                s.send(ENTER).unwrap();
                choice_answered = true;
            }
            "Show the answer" => {
                s.send(ENTER).unwrap();
                grading_flashcard = true;
            }
            _ => {
                s.send(ENTER).unwrap();
                flashcard_graded |= grading_flashcard;
                grading_flashcard = false;
            }
        }
    }
    s.expect("Session over").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
    let reps = reps(&sandbox);
    assert_eq!(reps.len(), 2);
    assert!(reps.iter().all(|(_, r)| *r >= 1), "{reps:?}");
}

#[test]
fn ctrl_c_keeps_answers_prints_the_summary_and_exits_130() {
    let sandbox = Sandbox::new();
    let mut s = spawn(&sandbox);
    s.expect(Regex(r"pty/port-")).unwrap();
    s.expect(Regex(r"Your answer|Show the answer")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    s.send(CTRL_C).unwrap();
    s.expect("Session interrupted").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 130);
}

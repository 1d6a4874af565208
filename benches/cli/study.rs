//! Drives `portquiz study --plain` over pipes like a candidate: times process start to the first prompt
//! and each answer line to the next prompt (a prompt is output ending in `> `), and answers every card type
//! from the generator's answer key (`answers.tsv`).
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How a card is answered right.
pub enum Key {
    Choice(Vec<String>),
    TrueFalse(bool),
    Typed(String),
    Flashcard,
}

/// Reads `answers.tsv` written by the generator.
pub fn read_key(path: &Path) -> Result<HashMap<String, Key>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("read {}", path.display()))?;
    let mut map = HashMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(kind), Some(payload)) = (parts.next(), parts.next(), parts.next())
        else {
            bail!("bad answer-key line {line:?}");
        };
        let key = match kind {
            "choice" => Key::Choice(payload.split('\u{1f}').map(str::to_string).collect()),
            "truefalse" => Key::TrueFalse(payload == "y"),
            "typed" => Key::Typed(payload.to_string()),
            _ => Key::Flashcard,
        };
        map.insert(id.to_string(), key);
    }
    Ok(map)
}

/// What one session measured.
pub struct Session {
    pub first_prompt: Duration,
    /// Answer lines that recorded an answer (a grade, or a wrong answer recorded at once): line to next prompt.
    pub writes: Vec<Duration>,
    /// Other lines (a right answer before its grade prompt, "show the answer"): line to next prompt.
    pub others: Vec<Duration>,
    pub maxrss_kib: u64,
}

const DEADLINE: Duration = Duration::from_secs(30);

struct Driver {
    stdin: Option<std::process::ChildStdin>,
    rx: Receiver<Vec<u8>>,
    out: String,
    mark: usize,
}

impl Driver {
    /// Waits for the next prompt; returns the screen since the last line sent, or None at the end.
    fn next_prompt(&mut self) -> Result<Option<String>> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if self.out.len() > self.mark && self.out.ends_with("> ") {
                return Ok(Some(self.out[self.mark..].to_string()));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!(
                    "no prompt within {DEADLINE:?}; output so far:\n{}",
                    self.out
                );
            }
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.out.push_str(&String::from_utf8_lossy(&chunk)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(None),
            }
        }
    }

    fn send(&mut self, line: &str) -> Result<()> {
        self.mark = self.out.len();
        let stdin = self.stdin.as_mut().context("stdin closed")?;
        writeln!(stdin, "{line}")?;
        stdin.flush()?;
        Ok(())
    }
}

/// The `deck/card` id in the last card header (`[3/20] deck/card · type · state`).
fn current_card(screen: &str) -> Option<&str> {
    screen
        .lines()
        .rev()
        .find(|l| l.starts_with('[') && l.contains("] ") && l.contains(" · "))
        .and_then(|l| l.split("] ").nth(1))
        .and_then(|rest| rest.split(" · ").next())
}

/// The numbered options (`  2) text`) on a screen.
fn shown_options(screen: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in screen.lines().filter(|l| l.starts_with("  ")) {
        if let Some((num, text)) = line.trim_start().split_once(") ")
            && num.parse::<usize>().is_ok_and(|n| n == out.len() + 1)
        {
            out.push(text);
        }
    }
    out
}

fn answer_line(key: &Key, screen: &str, right: bool) -> String {
    match key {
        Key::Choice(texts) => {
            let shown = shown_options(screen);
            let picks: Vec<String> = if right {
                texts
                    .iter()
                    .filter_map(|t| shown.iter().position(|s| s == t))
                    .map(|p| (p + 1).to_string())
                    .collect()
            } else {
                shown
                    .iter()
                    .position(|s| !texts.iter().any(|t| t == s))
                    .map(|p| vec![(p + 1).to_string()])
                    .unwrap_or_default()
            };
            picks.join(",")
        }
        Key::TrueFalse(answer) => if *answer == right { "y" } else { "n" }.to_string(),
        Key::Typed(text) => {
            if right {
                text.clone()
            } else {
                "no idea".to_string()
            }
        }
        Key::Flashcard => String::new(),
    }
}

/// Plays one session of up to `answers` recorded answers (every fifth question answered wrong), then quits.
pub fn session(mut cmd: Command, key: &HashMap<String, Key>, answers: usize) -> Result<Session> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let start = Instant::now();
    let mut child = cmd.spawn().context("spawn study")?;
    let pid = child.id();
    let mut stdout = child.stdout.take().context("stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut d = Driver {
        stdin: child.stdin.take(),
        rx,
        out: String::new(),
        mark: 0,
    };
    let mut screen = d
        .next_prompt()?
        .context("study ended before its first prompt")?;
    let first_prompt = start.elapsed();
    let (mut writes, mut others) = (Vec::new(), Vec::new());
    let mut asked = 0usize;
    // Whether the card on screen is a synthetic one: only their answers are timed (a built-in practical
    // card runs a live experiment, a lab waits for the candidate).
    let mut synthetic = true;
    while writes.len() < answers {
        let last = screen.lines().last().unwrap_or_default().to_string();
        let grading = last.starts_with("grade");
        let reveal = last.starts_with("Show the answer") || last.starts_with("Done?");
        let line = if grading || reveal {
            String::new()
        } else {
            let id = current_card(&screen).context("no card header before an answer prompt")?;
            asked += 1;
            synthetic = key.contains_key(id);
            match key.get(id) {
                Some(k) => answer_line(k, &screen, !asked.is_multiple_of(5)),
                // A built-in card: any well-formed answer will do.
                None if last.starts_with("true or false") => "y".to_string(),
                None if last.contains("(1-") => "1".to_string(),
                None => "no idea".to_string(),
            }
        };
        let sent = Instant::now();
        d.send(&line)?;
        let Some(next) = d.next_prompt()? else { break };
        let took = sent.elapsed();
        let next_is_grade = next.lines().last().is_some_and(|l| l.starts_with("grade"));
        if synthetic && (grading || (!reveal && !next_is_grade && !next.contains("could not read")))
        {
            writes.push(took);
        } else {
            others.push(took);
        }
        screen = next;
    }
    // The session may have ended by itself (nothing left to study): then there is no one to tell.
    let _ = d.send("q");
    d.stdin = None;
    let (code, maxrss_kib) = super::measure::wait_rusage(pid)?;
    let _ = reader.join();
    if code != 0 {
        let tail = d.out.len().saturating_sub(2000);
        let tail = d.out.get(tail..).unwrap_or(&d.out);
        bail!("study exited with {code}; output ends:\n{tail}");
    }
    Ok(Session {
        first_prompt,
        writes,
        others,
        maxrss_kib,
    })
}

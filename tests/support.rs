//! Shared helpers for the integration tests: run the real binary on a temporary data dir.
#![allow(dead_code)]
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use portquiz::deck::{Card, CardKind};
use std::process::{Command, Output, Stdio};

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The exit code and output of a finished process.
    pub fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Path of the portquiz binary built for these tests, or the one `PORTQUIZ_TEST_BIN` names: a build of an
/// older commit, to show that a test fails on the code before its fix (see tests/hostile.rs).
pub fn bin() -> PathBuf {
    std::env::var_os("PORTQUIZ_TEST_BIN")
        .filter(|p| !p.is_empty())
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_portquiz")),
            PathBuf::from,
        )
}

/// The repository root (tests run with it as the working directory).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch data dir; `$HOME` is pointed at it too so nothing can reach the real one.
pub struct Sandbox {
    _dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self {
            path: dir.path().to_path_buf(),
            _dir: Some(dir),
        }
    }

    /// Another handle on an existing sandbox directory (it is not removed when this one drops).
    pub fn at(path: PathBuf) -> Self {
        Self { _dir: None, path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A command with a clean, reproducible environment: temp data dir, no colour, fixed seed.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.args(args);
        self.configure(cmd)
    }

    /// Like [`Sandbox::cmd`], but runs `wrapper` (a program and its first arguments) with the portquiz binary
    /// and `args` appended, e.g. `sh -c 'ulimit -f 64; exec "$0" "$@"'` to run portquiz under a limit.
    pub fn cmd_wrapped(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let mut cmd = Command::new(wrapper[0]);
        cmd.args(&wrapper[1..]).arg(bin()).args(args);
        self.configure(cmd)
    }

    fn configure(&self, mut cmd: Command) -> Command {
        cmd.current_dir(root())
            .env_remove("PORTQUIZ_NOW")
            .env_remove("CLICOLOR_FORCE")
            .env("PORTQUIZ_DATA_DIR", self.path())
            .env("HOME", self.path())
            .env("NO_COLOR", "1")
            .env("PORTQUIZ_SEED", "7")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs to completion with no input.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("run portquiz"))
    }

    /// Runs with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], envs: &[(&str, &str)], input: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.cmd(args);
        cmd.envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn portquiz");
        if let Some(mut stdin) = child.stdin.take() {
            // The session may end before reading everything; a broken pipe is fine.
            let _ = stdin.write_all(input.as_bytes());
        }
        Run::from(child.wait_with_output().expect("wait for portquiz"))
    }
}

/// Reports a test that cannot run on this machine: prints `skipped: <test>: <why>` on stderr (even when the
/// harness captures output), so the run shows what was not tested instead of a silent pass. When the `CI` environment variable is set (to anything but
/// empty, `0` or `false`) it fails instead: CI machines have every tool these tests need.
pub fn skip(test: &str, why: &str) {
    use std::io::Write;
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"));
    assert!(
        !ci,
        "{test}: {why}, and CI must run every test (the CI environment variable is set)"
    );
    // Straight to the stream, not `eprintln!`: the test harness hides what a passing test prints that way.
    let _ = writeln!(std::io::stderr(), "skipped: {test}: {why}");
}

/// Whether `program` is installed: `program --version` runs and succeeds. When it is not, the test is reported
/// as skipped through [`skip`] (a failure under CI).
pub fn tool_for(test: &str, program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        skip(test, &format!("{program} not found"));
    }
    found
}

/// What a walk answers at a prompt that is not a card's question: Enter at a grade prompt (the suggested
/// grade), `s` at a lab check that failed (a lab nobody did is skipped; nothing is recorded). `None` at a question.
pub fn routine_reply(screen: &str) -> Option<&'static str> {
    let last = screen.lines().last().unwrap_or_default();
    if last.starts_with("grade") {
        Some("")
    } else if last.starts_with("r retry the check") || last.starts_with("no checks left") {
        Some("s")
    } else {
        None
    }
}

/// `study` arguments that show every card of the chosen decks in one plain session: no daily limits, and no
/// burying, so siblings (one experiment in two decks, the cells of a table row) are all shown in one go.
pub const WALK: [&str; 7] = [
    "study",
    "--plain",
    "--no-bury",
    "--new",
    "100000",
    "--limit",
    "100000",
];

/// Drives a `study --plain` process interactively over pipes: reads its output up to each prompt
/// (a line ending in `> `), then answers. Every read has a deadline, so a hung session fails the test.
pub struct PlainDriver {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    bytes: std::sync::mpsc::Receiver<Vec<u8>>,
    /// Everything printed so far.
    pub output: String,
    /// Where the current screen (since the last answer) starts in `output`.
    mark: usize,
    /// Prompts seen so far, for [`PlainDriver::next_prompt_within`].
    prompts: usize,
}

/// How long one prompt may take to appear.
const PROMPT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

impl PlainDriver {
    pub fn spawn(mut cmd: Command) -> Self {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn portquiz");
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            loop {
                match stdout.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Self {
            child,
            stdin,
            bytes: rx,
            output: String::new(),
            mark: 0,
            prompts: 0,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the next prompt; returns the screen since the last answer, or None when the process ended.
    pub fn next_prompt(&mut self) -> Option<String> {
        let at_prompt = |out: &str, mark: usize| out.len() > mark && out.ends_with("> ");
        self.read_until(at_prompt, "no prompt")
            .then(|| self.output[self.mark..].to_string())
    }

    /// [`PlainDriver::next_prompt`], failing the test at the `bound`-th prompt: a card that can never be
    /// answered (or a prompt loop) fails a walk instead of hanging it.
    pub fn next_prompt_within(&mut self, bound: usize) -> Option<String> {
        let screen = self.next_prompt()?;
        self.prompts += 1;
        assert!(
            self.prompts < bound,
            "no end after {} prompts:\n{screen}",
            self.prompts
        );
        Some(screen)
    }

    /// Waits until the process closes its output by itself, with stdin still open (so an end of input
    /// cannot be what ended it).
    pub fn wait_for_end(&mut self) {
        self.read_until(|_, _| false, "the process did not end");
    }

    /// Reads output until `done(output, mark)` (true) or the end of the output (false), failing the test
    /// with `failure` after [`PROMPT_DEADLINE`].
    fn read_until(&mut self, done: impl Fn(&str, usize) -> bool, failure: &str) -> bool {
        let deadline = std::time::Instant::now() + PROMPT_DEADLINE;
        loop {
            if done(&self.output, self.mark) {
                return true;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "{failure} within {PROMPT_DEADLINE:?}; output so far:\n{}",
                self.output
            );
            match self.bytes.recv_timeout(left) {
                Ok(chunk) => self.output.push_str(&String::from_utf8_lossy(&chunk)),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return false,
            }
        }
    }

    /// Sends one line.
    pub fn answer(&mut self, line: &str) {
        use std::io::Write;
        self.mark = self.output.len();
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write answer");
        stdin.flush().expect("flush answer");
    }

    /// Closes stdin (end of input) and waits for the exit; returns the exit code and the rest of the output.
    pub fn finish(mut self) -> Run {
        self.stdin = None;
        let deadline = std::time::Instant::now() + PROMPT_DEADLINE;
        while let Ok(chunk) = self
            .bytes
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
        {
            self.output.push_str(&String::from_utf8_lossy(&chunk));
        }
        let status = self.child.wait().expect("wait");
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut stderr);
        }
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.output,
            stderr,
        }
    }

    /// Kills the process with SIGKILL and reaps it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `deck/card` id in the last card header of a screen (`[3/20] deck/card · type`).
pub fn current_card(screen: &str) -> Option<String> {
    screen
        .lines()
        .rev()
        .find(|l| l.starts_with('[') && l.contains("] ") && l.contains(" · "))
        .and_then(|l| l.split("] ").nth(1))
        .and_then(|rest| rest.split(" · ").next())
        .map(str::to_string)
}

/// The numbered options (`  2) text`) shown on a screen, in order.
pub fn shown_options(screen: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in screen.lines() {
        let t = line.trim_start();
        if let Some((num, text)) = t.split_once(") ")
            && num.parse::<usize>().is_ok_and(|n| n == out.len() + 1)
            && line.starts_with("  ")
        {
            out.push(text.to_string());
        }
    }
    out
}

/// The line that answers `card` right (or wrong) on this screen.
pub fn answer_line(card: &Card, screen: &str, right: bool) -> String {
    match &card.kind {
        CardKind::Choice { options, answers } => {
            let shown = shown_options(screen);
            let picks: Vec<usize> = if right {
                answers
                    .iter()
                    .map(|&a| {
                        shown
                            .iter()
                            .position(|s| *s == options[a].text)
                            .unwrap_or_else(|| {
                                panic!(
                                    "option {:?} is not on the screen:\n{screen}",
                                    options[a].text
                                )
                            })
                            + 1
                    })
                    .collect()
            } else {
                let wrong = (0..options.len()).find(|i| !answers.contains(i)).unwrap();
                vec![
                    shown
                        .iter()
                        .position(|s| *s == options[wrong].text)
                        .unwrap()
                        + 1,
                ]
            };
            picks
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(",")
        }
        CardKind::TrueFalse { answer } => if *answer == right { "y" } else { "n" }.to_string(),
        CardKind::Typed { accept, answer, .. } => {
            if right {
                accept.first().cloned().or_else(|| answer.clone()).unwrap()
            } else {
                "no idea".to_string()
            }
        }
        CardKind::Flashcard { .. } | CardKind::Practical { .. } | CardKind::Lab { .. } => {
            String::new()
        }
    }
}

/// Every card of the built-in decks and of `deck_files`, by `deck/card` id, as the session names them.
pub fn card_index(deck_files: &[&str]) -> HashMap<String, Card> {
    use portquiz::deck::load;
    let mut sources = load::builtin_sources();
    for file in deck_files {
        let path = root().join(file);
        let text = std::fs::read_to_string(&path).expect("read deck fixture");
        sources.push(portquiz::deck::compile::Source {
            name: file.to_string(),
            text: Ok(text),
        });
    }
    let lib = portquiz::deck::compile::compile(&sources, &portquiz::library::known());
    assert!(lib.diagnostics.is_empty(), "{:?}", lib.diagnostics);
    lib.decks
        .iter()
        .flat_map(|d| {
            d.cards
                .iter()
                .map(move |c| (format!("{}/{}", d.id, c.id), c.clone()))
        })
        .collect()
}

/// How a scripted candidate answers one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// Right, taking the suggested grade.
    Right,
    /// Right, then this grade (`again`, `hard`, `good` or `easy`) when it is offered; flashcards are
    /// revealed and graded with it.
    Graded(&'static str),
    /// Wrong (a flashcard is graded `again`).
    Wrong,
    /// Quit the session.
    Quit,
}

/// Plays a `study --plain` session like a candidate: `decide(card id, n)` says whether to answer the n-th
/// question right (`Some(true)`), wrong (`Some(false)`) or to quit (`None`); grades take the suggestion.
/// Practical cards get option 1 (the machine decides whether that is right).
/// Returns the run and the number of answers acknowledged (recorded, and the next prompt appeared).
pub fn play(
    cmd: Command,
    cards: &HashMap<String, Card>,
    mut decide: impl FnMut(&str, usize) -> Option<bool>,
) -> (Run, usize) {
    play_replies(cmd, cards, |id, n| match decide(id, n) {
        Some(true) => Reply::Right,
        Some(false) => Reply::Wrong,
        None => Reply::Quit,
    })
}

/// The grade words a `grades: 1 Again  (next in 10m), 3 Good  (next in 1d)` line offers, in lower case.
fn offered_grades(screen: &str) -> Vec<String> {
    screen
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("grades: "))
        .map(|list| {
            list.split(", ")
                .filter_map(|g| g.split_whitespace().nth(1))
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default()
}

/// [`play`] with a [`Reply`] per question, so a script can also pick grades.
pub fn play_replies(
    cmd: Command,
    cards: &HashMap<String, Card>,
    mut decide: impl FnMut(&str, usize) -> Reply,
) -> (Run, usize) {
    let mut driver = PlainDriver::spawn(cmd);
    let mut answered = 0;
    let mut asked = 0;
    // The reply to the question on screen, for its grade prompt.
    let mut reply = Reply::Right;
    // A question was answered; if the next prompt is not its grade, it was recorded at once (as Again).
    let mut pending = false;
    while let Some(screen) = driver.next_prompt() {
        let last = screen.lines().last().unwrap_or_default().to_string();
        let grading = last.starts_with("grade");
        if std::mem::take(&mut pending) && !grading {
            answered += 1;
        }
        if grading {
            let wanted = match reply {
                Reply::Wrong => "again",
                Reply::Graded(g) => g,
                Reply::Right | Reply::Quit => "",
            };
            let line = if offered_grades(&screen).iter().any(|g| g == wanted) {
                wanted
            } else {
                ""
            };
            answered += 1;
            driver.answer(line);
            continue;
        }
        if last.starts_with("Done?") {
            driver.answer("");
            continue;
        }
        let id = current_card(&screen).expect("a card header before an answer prompt");
        let card = cards
            .get(&id)
            .unwrap_or_else(|| panic!("unknown card {id}"));
        asked += 1;
        reply = decide(&id, asked);
        if reply == Reply::Quit {
            driver.answer("q");
            continue;
        }
        let line = match card.kind {
            CardKind::Practical { .. } => "1".to_string(),
            _ => answer_line(card, &screen, reply != Reply::Wrong),
        };
        driver.answer(&line);
        pending = !last.starts_with("Show the answer");
    }
    let run = driver.finish();
    if pending && run.code == 0 {
        answered += 1; // the last answer was recorded before the session ended
    }
    (run, answered)
}

// ---- peak memory of one run ----

/// Environment variables that hand a run to [`rss_trampoline`].
const TRAMPOLINE_ARGS: &str = "PORTQUIZ_TEST_TRAMPOLINE_ARGS";
const TRAMPOLINE_DIR: &str = "PORTQUIZ_TEST_TRAMPOLINE_DIR";

/// Runs `portquiz ARGS` in `sandbox` (as [`Sandbox::run`] does) and returns the run and its peak resident
/// memory in KiB, read from `wait4`'s rusage.
///
/// Linux folds the parent's peak memory into a child's `ru_maxrss` when the child calls `exec` (the parent's
/// pages are counted until then), so a child of this test process would report at least this process's peak.
/// The run therefore goes through a fresh, small copy of the test binary ([`rss_trampoline`]) that spawns
/// portquiz and waits for it: the figure is then portquiz's own peak (or the trampoline's few MB, if larger).
pub fn run_with_peak_rss(sandbox: &Sandbox, args: &[&str]) -> (Run, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let status = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "support::rss_trampoline",
            "--exact",
            "--ignored",
            "--quiet",
            "--test-threads=1",
        ])
        .env(TRAMPOLINE_ARGS, serde_json::to_string(args).expect("args"))
        .env(TRAMPOLINE_DIR, dir.path())
        .env("PORTQUIZ_DATA_DIR", sandbox.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("run the trampoline");
    assert!(status.success(), "the rss trampoline failed: {status}");
    let read = |name: &str| {
        let bytes = std::fs::read(dir.path().join(name)).expect("trampoline output");
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let result = read("result");
    let (code, kib) = result.split_once(' ').expect("`code kib`");
    let run = Run {
        code: code.parse().expect("exit code"),
        stdout: read("stdout"),
        stderr: read("stderr"),
    };
    (run, kib.trim().parse().expect("peak KiB"))
}

/// Not a test: the fresh process that [`run_with_peak_rss`] starts. It runs portquiz with its output going to
/// files and writes `EXIT-CODE PEAK-KIB` to `result`. Without the trampoline's environment it does nothing.
#[test]
#[ignore = "a helper process for run_with_peak_rss, not a test"]
fn rss_trampoline() {
    let (Ok(args), Ok(dir)) = (
        std::env::var(TRAMPOLINE_ARGS),
        std::env::var(TRAMPOLINE_DIR),
    ) else {
        return;
    };
    let args: Vec<String> = serde_json::from_str(&args).expect("args");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let dir = PathBuf::from(dir);
    let data_dir = PathBuf::from(std::env::var("PORTQUIZ_DATA_DIR").expect("data dir"));
    let mut cmd = Sandbox::at(data_dir).cmd(&args);
    cmd.stdout(std::fs::File::create(dir.join("stdout")).expect("stdout file"))
        .stderr(std::fs::File::create(dir.join("stderr")).expect("stderr file"));
    let child = cmd.spawn().expect("spawn portquiz");
    let (code, kib) = wait_with_peak_rss(child);
    std::fs::write(dir.join("result"), format!("{code} {kib}")).expect("result file");
}

/// Waits for `child` and returns its exit code (-1 if a signal ended it) and its peak resident memory in KiB.
#[allow(unsafe_code)]
pub fn wait_with_peak_rss(child: std::process::Child) -> (i32, u64) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct for which all-zero bytes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unreaped child (std has not waited on it, and `child` is not used afterwards);
    // `status` and `usage` are valid, exclusive pointers for the duration of the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    drop(child); // already reaped: dropping a Child neither waits nor kills
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    // Linux reports ru_maxrss in KiB.
    (code, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

/// Parses JSON text, failing on a key repeated in one object (serde_json's `Value` keeps the last copy and
/// hides it: `interview --json` once printed `"format"` twice and passed).
pub fn json_unique(text: &str) -> serde_json::Value {
    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

    struct Unique;

    impl<'de> DeserializeSeed<'de> for Unique {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Unique {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Unique)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(A::Error::custom(format!("duplicate key `{key}`")));
                }
                map.next_value_seed(Unique)?;
            }
            Ok(())
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    if let Err(err) = Unique.deserialize(&mut de) {
        panic!("{err}:\n{text}");
    }
    serde_json::from_str(text).unwrap_or_else(|err| panic!("{err}:\n{text}"))
}

#[test]
fn json_unique_refuses_a_repeated_key() {
    assert_eq!(json_unique(r#"{"a": [{"b": 1}]}"#)["a"][0]["b"], 1);
    let repeated = std::panic::catch_unwind(|| {
        json_unique(r#"{"format": 1, "x": {"format": 1, "format": 1}}"#)
    });
    assert!(repeated.is_err());
}

/// A whole-command test, built the way just's `Test` is: the data dir, decks, arguments, environment and stdin,
/// then the run under a deadline; the expectations (exit code, exact or partial stdout/stderr) are checked
/// after the run, each failure showing the whole transcript. The exit code expected is 0 unless [`Test::code`]
/// (or [`Test::any_code`]) says otherwise.
pub struct Test {
    sandbox: Sandbox,
    args: Vec<String>,
    envs: Vec<(String, String)>,
    stdin: String,
    deadline: std::time::Duration,
    code: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    unset: Vec<String>,
    wrapper: Vec<String>,
}

impl Test {
    /// A test on a fresh data dir, at no fixed instant, with the seed 7, TZ=UTC, a 60 s deadline.
    pub fn new() -> Self {
        Self::in_sandbox(Sandbox::new())
    }

    /// A test on an existing data dir (several commands on one history), owned by the test.
    pub fn in_sandbox(sandbox: Sandbox) -> Self {
        Self {
            sandbox,
            args: Vec::new(),
            envs: vec![("TZ".into(), "UTC".into())],
            stdin: String::new(),
            deadline: std::time::Duration::from_secs(60),
            code: Some(0),
            stdout: None,
            stderr: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            unset: Vec::new(),
            wrapper: Vec::new(),
        }
    }

    /// A test on `sandbox`'s data dir, which stays the caller's (it is not removed when the test is done).
    pub fn on(sandbox: &Sandbox) -> Self {
        Self::in_sandbox(Sandbox::at(sandbox.path().to_path_buf()))
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Loads the deck file at `path` (relative to the repository) and restricts the run to its id.
    pub fn deck(self, path: &str, id: &str) -> Self {
        self.args(&["--deck", path, "--deck", id])
    }

    /// `PORTQUIZ_NOW`.
    pub fn now(self, instant: &str) -> Self {
        self.env("PORTQUIZ_NOW", instant)
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.unset.retain(|k| k != key);
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = text.into();
        self
    }

    /// How long the run may take before it is killed and the test fails.
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The exit code expected (0 when not given).
    pub fn code(mut self, code: i32) -> Self {
        self.code = Some(code);
        self
    }

    /// Any exit code will do: the caller checks [`Run::code`] itself (a helper shared by runs that succeed and
    /// runs that fail).
    pub fn any_code(mut self) -> Self {
        self.code = None;
        self
    }

    /// The whole stdout expected, exactly.
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.into());
        self
    }

    /// The whole stderr expected, exactly.
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = Some(text.into());
        self
    }

    /// A text stdout must contain.
    pub fn stdout_has(mut self, text: &str) -> Self {
        self.stdout_has.push(text.into());
        self
    }

    /// A text stderr must contain.
    pub fn stderr_has(mut self, text: &str) -> Self {
        self.stderr_has.push(text.into());
        self
    }

    /// The command as configured (sandbox, arguments, environment), for a test that drives it itself
    /// ([`PlainDriver`], [`play`]); the expectations and the deadline are then the caller's.
    pub fn command(&self) -> Command {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let mut cmd = if self.wrapper.is_empty() {
            self.sandbox.cmd(&args)
        } else {
            let wrapper: Vec<&str> = self.wrapper.iter().map(String::as_str).collect();
            self.sandbox.cmd_wrapped(&wrapper, &args)
        };
        cmd.envs(self.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for key in &self.unset {
            cmd.env_remove(key);
        }
        cmd
    }

    /// Runs the command (killing it, and failing, past the deadline) and checks every expectation.
    pub fn run(self) -> Run {
        self.run_keep().0
    }

    /// [`Test::run`], handing back the data dir for the next command.
    pub fn run_keep(self) -> (Run, Sandbox) {
        use std::io::Write;
        let mut cmd = self.command();
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn portquiz");
        if let Some(mut stdin) = child.stdin.take() {
            // The command may end before reading everything; a broken pipe is fine.
            let _ = stdin.write_all(self.stdin.as_bytes());
        }
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        let output = match rx.recv_timeout(self.deadline) {
            Ok(output) => output.expect("wait for portquiz"),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!(
                    "portquiz {:?} did not finish within {:?}",
                    self.args, self.deadline
                );
            }
        };
        let run = Run::from(output);
        let shown = || format!("portquiz {:?}\n{}", self.args, run.transcript());
        if let Some(code) = self.code {
            assert_eq!(run.code, code, "exit code of {}", shown());
        }
        if let Some(stdout) = &self.stdout {
            assert_eq!(&run.stdout, stdout, "stdout of {}", shown());
        }
        if let Some(stderr) = &self.stderr {
            assert_eq!(&run.stderr, stderr, "stderr of {}", shown());
        }
        for part in &self.stdout_has {
            assert!(
                run.stdout.contains(part.as_str()),
                "no {part:?} in the stdout of {}",
                shown()
            );
        }
        for part in &self.stderr_has {
            assert!(
                run.stderr.contains(part.as_str()),
                "no {part:?} in the stderr of {}",
                shown()
            );
        }
        (run, self.sandbox)
    }

    /// Runs, checks, and parses stdout as JSON that repeats no key in any object ([`json_unique`]).
    pub fn json(self) -> serde_json::Value {
        json_unique(&self.run().stdout)
    }
}

/// How long one screen of a pseudo-terminal session may take to appear ([`Test::spawn_pty`]).
pub const PTY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

impl Test {
    /// A test for a pseudo-terminal session ([`Test::spawn_pty`]) on `sandbox`'s data dir: the fixed instant
    /// 2026-01-05T09:00:00Z, seed 7, TZ=UTC, TERM=xterm, no colour (see [`Test::env_remove`]), and no first-run
    /// interview-date question (it would take the first key).
    pub fn pty(sandbox: &Sandbox) -> Self {
        Self::on(sandbox)
            .now("2026-01-05T09:00:00Z")
            .env("TERM", "xterm")
            .env("PORTQUIZ_NO_DATE_QUESTION", "1")
    }

    /// Removes a variable from the environment (`NO_COLOR` for colour).
    pub fn env_remove(mut self, key: &str) -> Self {
        self.envs.retain(|(k, _)| k != key);
        self.unset.push(key.into());
        self
    }

    /// Runs portquiz through `wrapper` (a program and its first arguments; see [`Sandbox::cmd_wrapped`]).
    pub fn wrapper(mut self, wrapper: &[&str]) -> Self {
        self.wrapper = wrapper.iter().map(|a| a.to_string()).collect();
        self
    }

    /// Spawns the command in a pseudo-terminal of `cols` x `rows` (80 x 24 is the terminal's own size), with
    /// [`PTY_DEADLINE`] for every `expect`. The terminal is its stdin, stdout and stderr.
    pub fn spawn_pty(&self, cols: u16, rows: u16) -> expectrl::session::OsSession {
        let mut cmd = self.command();
        // Not /dev/null (the sandbox's default): the terminal must stay the command's stdin.
        cmd.stdin(Stdio::inherit());
        let mut session = expectrl::Session::spawn(cmd).expect("spawn in a pty");
        if (cols, rows) != (80, 24) {
            session
                .get_process_mut()
                .set_window_size(cols, rows)
                .expect("set the terminal size");
        }
        session.set_expect_timeout(Some(PTY_DEADLINE));
        session
    }
}

//! Terminal and colour: without a terminal `study` falls back to the plain mode and says so; `NO_COLOR` and
//! `--color never` (even with `CLICOLOR_FORCE=1`) leave no escape code in the output of any command, through pipes
//! and in a pseudo-terminal (where `auto` would colour). The list of commands comes from clap's definition, so a
//! new command without a colour check fails `every_command_has_a_colour_check`.
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};
use std::time::Duration;

use crate::support::{Sandbox, card_index, play};

const FIXTURE: &str = "tests/decks/good/study.yaml";
const NOW: &str = "2026-01-05T09:00:00Z";
const FALLBACK_NOTICE: &str = "note: stdin or stderr is not a terminal, so portquiz uses the plain line-based mode (--plain)\n";

/// Every command path of the CLI (`stats`, `export anki`, ...): parents with subcommands and their leaves.
fn command_paths() -> BTreeSet<String> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
        for sub in cmd.get_subcommands() {
            let path = format!("{prefix}{}", sub.get_name()).trim().to_string();
            out.insert(path.clone());
            walk(sub, &format!("{path} "), out);
        }
    }
    let mut out = BTreeSet::new();
    walk(&portquiz::cli::Cli::command(), "", &mut out);
    out
}

/// How one invocation gets its input.
enum Input {
    None,
    /// Lines on stdin.
    Lines(&'static str),
    /// A plain session answering the first `n` questions (right, then wrong, ...) and quitting.
    Answers(usize),
}

/// One invocation: the command path it exercises, its arguments (`{dir}` is the data dir) and its input.
/// The exit code it must end with shows that it took the intended path (a success, problems found, a refusal).
struct Case {
    path: String,
    args: Vec<String>,
    input: Input,
    code: i32,
}

fn case(path: &str, code: i32, args: &[&str]) -> Case {
    Case {
        path: path.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        input: Input::None,
        code,
    }
}

fn with_input(path: &str, args: &[&str], input: Input) -> Case {
    Case {
        input,
        ..case(path, 0, args)
    }
}

/// At least one invocation per command path; `--help` of every path is added by the test itself.
fn cases() -> Vec<Case> {
    vec![
        with_input(
            "study",
            &["study", "--plain", "--deck", "study"],
            Input::Answers(3),
        ),
        with_input("study", &["study", "--deck", "study"], Input::Lines("q\n")),
        with_input(
            "interview",
            &["interview", "--plain", "--deck", "study"],
            Input::Lines("1\ny\nq\n"),
        ),
        case("check", 0, &["check", FIXTURE]),
        case("check", 1, &["check", "tests/decks/broken"]),
        case("check", 2, &["check", "tests/decks/no-such-file.yaml"]),
        case("decks", 0, &["decks"]),
        case("decks", 0, &["decks", "--json"]),
        case("cards", 0, &["cards"]),
        case("cards", 0, &["cards", "--due", "--json"]),
        case(
            "suspend",
            0,
            &["suspend", "--deck", FIXTURE, "study/port-range"],
        ),
        case(
            "suspend",
            2,
            &["suspend", "--deck", FIXTURE, "study/no-such-card"],
        ),
        case(
            "unsuspend",
            0,
            &["unsuspend", "--deck", FIXTURE, "study/port-range"],
        ),
        case("experiments", 0, &["experiments"]),
        case("experiments run", 0, &["experiments", "run", "port-65536"]),
        case(
            "experiments run",
            2,
            &["experiments", "run", "no-such-experiment"],
        ),
        case("stats", 0, &["stats"]),
        case("stats", 0, &["stats", "--json"]),
        case("optimize", 0, &["optimize"]),
        case("simulate", 0, &["simulate", "--days", "3"]),
        case("config", 0, &["config"]),
        case("config get", 0, &["config", "get", "desired-retention"]),
        case(
            "config set",
            0,
            &["config", "set", "interview-date", "2026-02-01"],
        ),
        case(
            "config set",
            2,
            &["config", "set", "desired-retention", "5"],
        ),
        case("config unset", 0, &["config", "unset", "desired-retention"]),
        case("reset", 0, &["reset", "--yes", "--deck", "study"]),
        case("reset", 2, &["reset", "--deck", "study"]),
        case("merge", 0, &["merge", "{dir}/other.sqlite3"]),
        case("merge", 2, &["merge", "{dir}/missing.sqlite3"]),
        case("repair", 0, &["repair"]),
        case("export", 2, &["export"]),
        case("export anki", 0, &["export", "anki", "{dir}/out.tsv"]),
        case(
            "export reviews",
            0,
            &["export", "reviews", "{dir}/reviews.csv"],
        ),
        case("import", 2, &["import"]),
        case(
            "import anki",
            0,
            &["import", "anki", "{dir}/anki.txt", "--id", "imported"],
        ),
        case("schema", 0, &["schema"]),
        case("format", 0, &["format"]),
        case("new", 0, &["new", "my-deck", "--out", "{dir}/my-deck.yaml"]),
        case("new", 2, &["new", "Not An Id"]),
        case("completions", 0, &["completions", "bash"]),
        case("completions", 0, &["completions", "zsh"]),
        case("completions", 0, &["completions", "fish"]),
        case("man", 0, &["man"]),
        case("decks", 0, &["decks", "--ids"]),
    ]
}

/// One way of asking for no colour: a name, global arguments and environment variables.
type NoColour = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// The ways of asking for no colour; each must win, whatever else the environment says.
const NO_COLOUR: [NoColour; 3] = [
    ("NO_COLOR=1", &[], &[("NO_COLOR", "1")]),
    ("--color never", &["--color", "never"], &[]),
    (
        "--color never with CLICOLOR_FORCE=1",
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    ),
];

/// A data dir that already holds some answers (a plain session on the fixture deck), plus the files the
/// commands above read: another database to merge and an Anki export to import.
fn seeded() -> Sandbox {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd(&["study", "--plain", "--deck", "study", "--deck", FIXTURE]);
    cmd.env("PORTQUIZ_NOW", NOW).env("TZ", "UTC");
    let (run, answered) = play(cmd, &card_index(&[FIXTURE]), |_, n| {
        (n <= 4).then_some(n % 2 == 1)
    });
    assert!(
        run.code == 0 && answered >= 4,
        "{answered}: {}",
        run.transcript()
    );
    let dir = sandbox.path();
    std::fs::copy(dir.join("portquiz.sqlite3"), dir.join("other.sqlite3")).unwrap();
    std::fs::write(
        dir.join("anki.txt"),
        "What is port 22?\tSSH\nWhat is port 53?\tDNS\n",
    )
    .unwrap();
    sandbox
}

/// A fresh copy of `template`'s data dir, so that every run sees the same seeded state.
fn copy_of(template: &Path) -> Sandbox {
    let sandbox = Sandbox::new();
    for entry in std::fs::read_dir(template).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), sandbox.path().join(entry.file_name())).unwrap();
        }
    }
    sandbox
}

/// Runs one case with extra global arguments and environment; returns the exit code and all output bytes.
/// Where the output goes: pipes (no terminal), or a pseudo-terminal where `auto` would colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Pipes,
    Pty,
}

fn run_case(
    template: &Path,
    case: &Case,
    output: Output,
    global: &[&str],
    env: &[(&str, &str)],
) -> (i32, Vec<u8>) {
    let sandbox = copy_of(template);
    let dir = sandbox.path().display().to_string();
    let mut args: Vec<String> = global.iter().map(|s| s.to_string()).collect();
    args.extend(case.args.iter().map(|a| a.replace("{dir}", &dir)));
    // Global `--deck` values given after the subcommand replace those before it, so this one goes last
    // (`help` takes only command names).
    if case.args.first().is_none_or(|a| a != "help") {
        args.extend(["--deck".to_string(), FIXTURE.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = sandbox.cmd(&args);
    cmd.env_remove("NO_COLOR")
        .env("PORTQUIZ_NOW", NOW)
        .env("TZ", "UTC")
        .envs(env.iter().copied());
    if output == Output::Pty {
        let input = match case.input {
            Input::None => "",
            Input::Lines(lines) => lines,
            // At a terminal the plain session is answered by hand; quitting at the first question will do.
            Input::Answers(_) => "q\n",
        };
        return pty_bytes(cmd, input);
    }
    match case.input {
        Input::Answers(n) => {
            let (run, _) = play(cmd, &card_index(&[FIXTURE]), |_, i| {
                (i <= n).then_some(i % 2 == 1)
            });
            (run.code, [run.stdout, run.stderr].concat().into_bytes())
        }
        Input::None => bytes(cmd, ""),
        Input::Lines(lines) => bytes(cmd, lines),
    }
}

/// Runs with `input` on stdin and returns the exit code and stdout followed by stderr, as raw bytes.
fn bytes(mut cmd: Command, input: &str) -> (i32, Vec<u8>) {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        [out.stdout, out.stderr].concat(),
    )
}

/// Runs in a pseudo-terminal with `input` typed ahead; returns the exit code and everything the terminal showed.
fn pty_bytes(mut cmd: Command, input: &str) -> (i32, Vec<u8>) {
    cmd.env("TERM", "xterm");
    // The first-run interview-date question would take the first key.
    cmd.env("PORTQUIZ_NO_DATE_QUESTION", "1");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(30)));
    if !input.is_empty() {
        session.send(input).unwrap();
    }
    let out = session
        .expect(Eof)
        .unwrap()
        .get(0)
        .unwrap_or_default()
        .to_vec();
    let code = match session.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("unexpected exit: {other:?}"),
    };
    (code, out)
}

#[test]
fn every_command_has_a_colour_check() {
    let covered: BTreeSet<String> = cases().into_iter().map(|c| c.path).collect();
    let all = command_paths();
    let missing: Vec<&String> = all.difference(&covered).collect();
    let unknown: Vec<&String> = covered.difference(&all).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "commands without a colour case: {missing:?}; cases for no such command: {unknown:?}"
    );
    // The walk sees nested commands, not only the top level.
    assert!(
        all.contains("export reviews") && all.contains("experiments run"),
        "{all:?}"
    );
}

#[test]
fn no_colour_means_no_escape_codes_in_any_output_of_any_command() {
    let template = seeded();
    let mut invocations: Vec<Case> = cases();
    // `--help` of the program and of every command, and argument errors, are clap's output: check it too.
    for path in std::iter::once(String::new()).chain(command_paths()) {
        let mut args: Vec<&str> = path.split_whitespace().collect();
        args.push("--help");
        invocations.push(case("--help", 0, &args));
    }
    invocations.push(case("--help", 0, &["help", "stats"]));
    invocations.push(case("error", 2, &["--no-such-flag"]));
    invocations.push(case("error", 2, &["stats", "--no-such-flag"]));
    invocations.push(case("error", 2, &["no-such-command"]));
    invocations.push(case("error", 2, &[]));

    let mut leaks = Vec::new();
    for case in &invocations {
        for output in [Output::Pipes, Output::Pty] {
            for (how, global, env) in NO_COLOUR {
                // At a terminal, `study` without --plain is the full-screen front end, which must move the
                // cursor; colour is what is switched off there, and the pipes run checks its plain fallback.
                if output == Output::Pty
                    && case.path == "study"
                    && !case.args.contains(&"--plain".into())
                {
                    continue;
                }
                let (code, out) = run_case(template.path(), case, output, global, env);
                if out.contains(&0x1b) || code != case.code {
                    let text = String::from_utf8_lossy(&out).into_owned();
                    leaks.push(format!(
                        "{how}, {output:?}: portquiz {}\n{text}",
                        case.args.join(" ")
                    ));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "escape codes leaked (or a command took another path):\n{}",
        leaks.join("\n---\n")
    );
}

#[test]
fn colour_always_does_colour_so_the_check_above_can_fail() {
    let template = seeded();
    let stats = case("stats", 0, &["stats"]);
    let (code, out) = run_case(
        template.path(),
        &stats,
        Output::Pipes,
        &["--color", "always"],
        &[],
    );
    assert_eq!(code, 0);
    assert!(out.contains(&0x1b), "{}", String::from_utf8_lossy(&out));
    // And NO_COLOR does not override an explicit `always`, while `never` wins over CLICOLOR_FORCE.
    let (_, out) = run_case(
        template.path(),
        &stats,
        Output::Pipes,
        &["--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(out.contains(&0x1b));
    let (_, out) = run_case(
        template.path(),
        &stats,
        Output::Pipes,
        &[],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(out.contains(&0x1b), "CLICOLOR_FORCE colours under `auto`");
    // At a terminal `auto` colours, so the pseudo-terminal runs above do test NO_COLOR and --color never;
    // clap's help does too.
    let (code, out) = run_case(template.path(), &stats, Output::Pty, &[], &[]);
    assert_eq!(code, 0);
    assert!(out.contains(&0x1b), "{}", String::from_utf8_lossy(&out));
    let (code, out) = run_case(
        template.path(),
        &case("--help", 0, &["--help"]),
        Output::Pty,
        &[],
        &[],
    );
    assert_eq!(code, 0);
    assert!(out.contains(&0x1b), "{}", String::from_utf8_lossy(&out));
}

#[test]
fn study_without_a_terminal_falls_back_to_plain_and_says_so() {
    let sandbox = Sandbox::new();
    let mut cmd = sandbox.cmd(&["study", "--deck", "study", "--deck", FIXTURE]);
    cmd.env("PORTQUIZ_NOW", NOW).env("TZ", "UTC");
    let (run, answered) = play(cmd, &card_index(&[FIXTURE]), |_, n| {
        (n <= 2).then_some(true)
    });
    assert!(
        run.code == 0 && answered >= 2,
        "{answered}: {}",
        run.transcript()
    );
    assert_eq!(run.stderr, FALLBACK_NOTICE);
    // The plain front end asked the questions: card headers, then line prompts ending in `> `.
    assert!(
        run.stdout.starts_with(
            "6 cards to study now: 0 learning, 0 to review, 6 new.\n\n[0 done · 6 left] study/"
        ),
        "{}",
        run.stdout
    );
    // With --plain asked for explicitly there is nothing to explain.
    let mut cmd = sandbox.cmd(&["study", "--plain", "--deck", "study", "--deck", FIXTURE]);
    cmd.env("PORTQUIZ_NOW", NOW).env("TZ", "UTC");
    let (run, _) = play(cmd, &card_index(&[FIXTURE]), |_, _| None);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (0, ""),
        "{}",
        run.transcript()
    );
}

/// Runs `portquiz ARGS` in a pseudo-terminal with one of its streams sent to a file instead; returns the exit
/// code, what the terminal showed and the file's bytes. `stream` is the shell's descriptor number (1 or 2).
fn pty_with_redirect(
    sandbox: &Sandbox,
    stream: u8,
    args: &[&str],
    env: &[(&str, &str)],
) -> (i32, Vec<u8>, Vec<u8>) {
    let file = sandbox.path().join(format!("stream-{stream}.txt"));
    let script = format!("exec \"$0\" \"$@\" {stream}>\"$PORTQUIZ_TEST_FILE\"");
    let mut cmd = sandbox.cmd_wrapped(&["sh", "-c", &script], args);
    cmd.env_remove("NO_COLOR")
        .env("PORTQUIZ_TEST_FILE", &file)
        .env("PORTQUIZ_NOW", NOW)
        .env("TZ", "UTC")
        .envs(env.iter().copied());
    let (code, screen) = pty_bytes(cmd, "");
    (code, screen, std::fs::read(&file).unwrap())
}

/// What `portquiz ARGS` writes to stdout and stderr through pipes under `NO_COLOR`: the text without colour.
fn plain_streams(sandbox: &Sandbox, args: &[&str]) -> (String, String) {
    let run = sandbox.run(args);
    (run.stdout, run.stderr)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_at_a_terminal_with_stderr_in_a_file_writes_no_escape_codes_to_the_file() {
    let sandbox = Sandbox::new();
    let broken = ["check", "tests/decks/broken"];
    let (_, plain_stderr) = plain_streams(&sandbox, &broken);
    assert!(plain_stderr.contains(": error: "), "{plain_stderr}");

    // stdout is the terminal, stderr a file: the diagnostics in the file are exactly the plain text.
    let (code, screen, file) = pty_with_redirect(&sandbox, 2, &broken, &[]);
    assert_eq!(code, 1, "{}", text(&screen));
    assert_eq!(text(&file), plain_stderr);
    // And the terminal still colours: the clean check's "ok" on stdout is green.
    let (code, screen, file) = pty_with_redirect(&sandbox, 2, &["check", FIXTURE], &[]);
    assert_eq!(code, 0, "{}", text(&screen));
    assert!(
        text(&screen).contains(": \x1b[32mok\x1b[0m"),
        "{}",
        text(&screen)
    );
    assert_eq!(file, b"");

    // The other way round: stderr is the terminal and gets colour, the stdout file gets none.
    let (code, screen, file) = pty_with_redirect(&sandbox, 1, &broken, &[]);
    assert_eq!(code, 1);
    assert!(
        text(&screen).contains(": \x1b[1m\x1b[31merror\x1b[0m: "),
        "{}",
        text(&screen)
    );
    let (plain_stdout, _) = plain_streams(&sandbox, &["check", FIXTURE]);
    let (code, _, file_ok) = pty_with_redirect(&sandbox, 1, &["check", FIXTURE], &[]);
    assert_eq!((code, text(&file_ok)), (0, plain_stdout));
    assert!(!file.contains(&0x1b), "{}", text(&file));
}

#[test]
fn an_empty_no_color_does_not_disable_colour() {
    let template = seeded();
    // NO_COLOR set but empty means "not set" (no-color.org): a terminal still gets colour, on both streams.
    for case in [case("stats", 0, &["stats"]), case("--help", 0, &["--help"])] {
        let (code, out) = run_case(
            template.path(),
            &case,
            Output::Pty,
            &[],
            &[("NO_COLOR", "")],
        );
        assert_eq!(code, 0);
        assert!(out.contains(&0x1b), "{}", text(&out));
    }
    let sandbox = Sandbox::new();
    let (code, screen, _) = pty_with_redirect(
        &sandbox,
        1,
        &["check", "tests/decks/broken"],
        &[("NO_COLOR", "")],
    );
    assert_eq!(code, 1);
    assert!(screen.contains(&0x1b), "{}", text(&screen));
    // Through pipes, CLICOLOR_FORCE colours with NO_COLOR empty too.
    let (_, out) = run_case(
        template.path(),
        &case("stats", 0, &["stats"]),
        Output::Pipes,
        &[],
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
    );
    assert!(out.contains(&0x1b), "{}", text(&out));
}

//! The hostile-input corpus of issue 27 (deck side): files whose cost grew with the square of their size
//! (unclosed brackets, tab indentation, a diagnostic per line, a warning per card) and their siblings, each
//! run through `check`, `decks`, `cards` and `study --plain` (stdin closed) under a deadline and a memory cap.
//!
//! The files are generated here, not committed (the largest is 1.8 MB). Budgets are generous so that a
//! loaded machine cannot make the test flake (30 s and 300 MB peak for a debug build, which is 10-15 times
//! slower than a release build); the real targets (1 s, 100 MB, release build) are rows of `cargo bench`.
//! Before the fix, each file took main's debug build past 30 s or past 2 GB (see the commit that added
//! this file), so a regression still fails.
#![allow(unsafe_code)]
use std::fmt::Write as _;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Sandbox;

/// A run is killed after this long: no file may hang a command.
const DEADLINE: Duration = Duration::from_secs(30);
/// Peak resident memory allowed (KiB): generous for a debug build.
const PEAK_KIB: u64 = 300 * 1024;
/// Address space allowed (bytes): the hard stop that keeps a regression from eating the machine. Larger
/// than the peak budget, since threads and allocator arenas reserve address space they never touch.
const ADDRESS_SPACE: u64 = 1 << 30;

/// A run under [`DEADLINE`] and [`ADDRESS_SPACE`].
struct Bounded {
    /// `None`: killed at the deadline, or ended by a signal.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The highest `VmHWM` seen while it ran, KiB.
    peak_kib: u64,
    took: Duration,
}

/// Runs `cmd` with stdout and stderr to files (a full pipe must not stall it), its address space capped,
/// killed at the deadline; samples its peak memory from `/proc` (the child's own, unlike `ru_maxrss`, which
/// counts this test process's size at fork).
fn bounded(mut cmd: Command, out: &Path) -> Bounded {
    let stdout = out.join("stdout");
    let stderr = out.join("stderr");
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap());
    // SAFETY: the closure only calls setrlimit, which is async-signal-safe, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        peak_kib = peak_kib.max(vm_hwm(&status_file));
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Bounded {
        code: status.and_then(|s| s.code()),
        stdout: read(&stdout),
        stderr: read(&stderr),
        peak_kib,
        took: start.elapsed(),
    }
}

/// `VmHWM` (peak resident memory, KiB) of a running process, 0 once it has gone.
fn vm_hwm(status_file: &str) -> u64 {
    std::fs::read_to_string(status_file)
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

const HEAD: &str = "format: 1\nid: hostile\ntitle: Hostile\ncards:\n";

/// A flashcard (without `explain` when `explain` is false), indented with two spaces.
fn card(i: usize, explain: bool) -> String {
    let mut s = format!(
        "  - id: c{i}\n    type: flashcard\n    prompt: What is port {i}?\n    answer: Port {i}\n"
    );
    if explain {
        let _ = writeln!(s, "    explain: Because {i}.");
    }
    s
}

/// A deck of `n` flashcards with id `id`.
fn cards(id: &str, n: usize, explain: bool) -> String {
    (0..n).fold(HEAD.replace("hostile", id), |mut s, i| {
        s.push_str(&card(i, explain));
        s
    })
}

/// Realistic cards indented with tabs, as an editor set to tabs writes them.
fn tabbed_deck(n: usize) -> String {
    (0..n).fold(HEAD.to_string(), |mut s, i| {
        let _ = write!(
            s,
            "\t- id: c{i}\n\t\ttype: flashcard\n\t\tprompt: What is port {i}?\n\t\tanswer: Port {i}\n\t\texplain: Because.\n"
        );
        s
    })
}

/// How a file must be answered: refused (`check` exits 1, the others skip it with a warning), or loaded
/// with warnings only (`check` exits 0).
#[derive(Clone, Copy, PartialEq)]
enum Verdict {
    Refused,
    Warned,
}

/// Puts `files` (name, text) in a fresh data dir's decks folder and runs `check` (on the folder), `decks`,
/// `cards` and `study --plain` on it, each under the deadline and the memory cap; panics with every
/// command that failed. Hostile tests run one at a time: their budgets are per process, not shared.
fn answered_in_budget(files: &[(&str, String)], verdict: Verdict) {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let sandbox = Sandbox::new();
    let decks = sandbox.path().join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    for (name, text) in files {
        std::fs::write(decks.join(format!("{name}.yaml")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let folder = decks.to_string_lossy().into_owned();
    let mut failures = Vec::new();
    for args in [
        &["check", folder.as_str()][..],
        &["decks"],
        &["cards"],
        &["study", "--plain"],
    ] {
        let run = bounded(sandbox.cmd(args), out.path());
        let shown = format!("`{}`", args[0]);
        if run.code.is_none() || run.peak_kib > PEAK_KIB {
            failures.push(format!(
                "{shown}: exit {:?} after {:.1} s, peak {} MB",
                run.code,
                run.took.as_secs_f64(),
                run.peak_kib / 1024
            ));
            continue;
        }
        if let Err(why) = as_expected(args[0], verdict, &run) {
            failures.push(format!(
                "{shown}: {why}\n--- stdout\n{}--- stderr\n{}",
                tail(&run.stdout),
                tail(&run.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n") + "\n"
}

/// What each command must say: `check` reports the files (at most 20 diagnostics of a kind per file, then
/// how many more), the others skip a refused file with one warning and go on with the built-in decks.
fn as_expected(command: &str, verdict: Verdict, run: &Bounded) -> Result<(), String> {
    let code = match (command, verdict) {
        ("check", Verdict::Refused) => 1,
        _ => 0,
    };
    if run.code != Some(code) {
        return Err(format!("exit {:?}, expected {code}", run.code));
    }
    if command == "check" {
        // At most 20 of a kind per file: no file here has more than three kinds.
        let mut per_file: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for line in run.stderr.lines().filter(|l| is_headline(l)) {
            *per_file
                .entry(line.split(':').next().unwrap_or(line))
                .or_default() += 1;
        }
        if let Some((file, n)) = per_file.iter().find(|(_, n)| **n > 60) {
            return Err(format!("{n} diagnostics shown for {file}"));
        }
    } else if verdict == Verdict::Refused {
        let skipped = "warning: skipped 1 deck file with errors; run `portquiz check` to see them";
        if !run.stderr.contains(skipped) {
            return Err(format!("no `{skipped}`"));
        }
    }
    Ok(())
}

/// Whether `line` starts a diagnostic (`file:line:col: error: ...`).
fn is_headline(line: &str) -> bool {
    line.contains(": error: ") || line.contains(": warning: ")
}

// One test per attack of issue 27. Before the fix each of them failed here: killed at the deadline or
// past the memory budget (`check` on the unclosed brackets reached 3.4-5.2 GB and aborted).

#[test]
fn unclosed_square_brackets_on_one_line() {
    let text = format!("cards: {}", "[".repeat(100_000));
    answered_in_budget(&[("open-square", text)], Verdict::Refused);
}

#[test]
fn unclosed_curly_brackets_on_one_line() {
    let text = format!("cards: {}", "{".repeat(100_000));
    answered_in_budget(&[("open-curly", text)], Verdict::Refused);
}

#[test]
fn unclosed_flow_mappings_in_lists_on_one_line() {
    let text = format!("cards: {}", "[{a: ".repeat(100_000));
    answered_in_budget(&[("open-flow-map", text)], Verdict::Refused);
}

#[test]
fn an_unclosed_bracket_on_each_of_many_lines() {
    let text = format!("{HEAD}{}", "  - [a,\n".repeat(50_000));
    answered_in_budget(&[("open-lines", text)], Verdict::Refused);
}

#[test]
fn thirty_thousand_tab_indented_lines() {
    let text = format!("{HEAD}{}", "\t- key: value\n".repeat(30_000));
    answered_in_budget(&[("tab-lines", text)], Verdict::Refused);
}

#[test]
fn a_six_thousand_card_deck_indented_with_tabs() {
    answered_in_budget(&[("tab-deck", tabbed_deck(6_000))], Verdict::Refused);
}

#[test]
fn a_hundred_thousand_list_items_at_the_root() {
    answered_in_budget(
        &[("item-lines", "  - 1\n".repeat(100_000))],
        Verdict::Refused,
    );
}

#[test]
fn an_error_on_every_card() {
    let text = cards("many-errors", 10_000, true).replace("type: flashcard", "type: flashcart");
    answered_in_budget(&[("many-errors", text)], Verdict::Refused);
}

#[test]
fn twenty_thousand_cards_without_explain_in_one_file() {
    // A warning each, 20 shown. Each warning looked its line up from the start of the file.
    answered_in_budget(
        &[("no-explain", cards("no-explain", 20_000, false))],
        Verdict::Warned,
    );
}

// The syntax scan's later repairs (issue 28, "the cause's line"), each on the same scale.

#[test]
fn an_unclosed_quote_on_each_of_many_lines() {
    // Each quote is closed where its value ends; the search for where the parser would notice resumes
    // where the last one stopped (here: the end of the file, read once).
    let text = format!("{HEAD}{}", "  - \"a\n".repeat(50_000));
    answered_in_budget(&[("open-quotes", text)], Verdict::Refused);
}

#[test]
fn reserved_characters_in_a_list_on_one_line() {
    // Each value quoted in one pass over the line.
    let text = format!("cards: [{}]\n", "@a, ".repeat(50_000));
    answered_in_budget(&[("reserved", text)], Verdict::Refused);
}

#[test]
fn hash_items_in_a_list_on_one_line() {
    // The kind of bracket around each is known while walking, not read back from the line's start.
    let text = format!("cards: [{}]\n", " #a,".repeat(50_000));
    answered_in_budget(&[("hashes", text)], Verdict::Refused);
}

#[test]
fn a_block_scalar_that_swallows_a_list_many_times() {
    let text = format!("description: |\n{}", "  cards:\n    - x\n".repeat(50_000));
    answered_in_budget(&[("swallowed", text)], Verdict::Refused);
}

#[test]
fn keys_indented_under_plain_values_on_many_lines() {
    let text = format!("format: 1\n{}", "k: p\n  title: x\n".repeat(50_000));
    answered_in_budget(&[("deeper", text)], Verdict::Refused);
}

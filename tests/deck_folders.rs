//! Deck folders holding things that are not deck files (issue 14, "Deck folders"): a FIFO, a dangling
//! symbolic link, a symbolic-link loop, an unreadable subfolder. Each is skipped with a warning naming the
//! entry and why, like a deck with bad content; no command hangs or gives up. Every run has a deadline, so
//! a hang fails the test instead of stalling the suite.
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Run, Sandbox};

/// How long a command on a small deck folder may take before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(20);

const GOOD_DECK: &str = "format: 1\nid: good\ntitle: Good\ncards:\n  - id: a\n    type: truefalse\n    prompt: Ports are 16-bit.\n    answer: true\n    explain: 0 to 65535.\n";

/// Runs `cmd` to the end within [`DEADLINE`] (killing it and failing the test when it hangs), with the
/// sandbox's path in the output replaced by `<DATA>`.
fn run_within_deadline(sandbox: &Sandbox, mut cmd: Command) -> Run {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("portquiz hung for {DEADLINE:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = Run::from(child.wait_with_output().unwrap());
    let data = sandbox.path().display().to_string();
    Run {
        code: run.code,
        stdout: run.stdout.replace(&data, "<DATA>"),
        stderr: run.stderr.replace(&data, "<DATA>"),
    }
}

fn run(sandbox: &Sandbox, args: &[&str]) -> Run {
    run_within_deadline(sandbox, sandbox.cmd(args))
}

/// `<data-dir>/decks/` with one good deck in it.
fn deck_folder(sandbox: &Sandbox) -> std::path::PathBuf {
    let decks = sandbox.path().join("decks");
    std::fs::create_dir(&decks).unwrap();
    std::fs::write(decks.join("good.yaml"), GOOD_DECK).unwrap();
    decks
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The line of `decks` that lists the good deck (its words; the column widths follow the longest built-in id):
/// it was loaded despite its neighbours.
const GOOD_LINE: &str = "good 1 Good (<DATA>/decks/good.yaml)";

/// True when `stdout` has the good deck's line, whatever the column widths.
fn lists_good(stdout: &str) -> bool {
    stdout
        .lines()
        .any(|line| line.split_whitespace().collect::<Vec<_>>().join(" ") == GOOD_LINE)
}

#[test]
fn a_fifo_among_the_decks_is_skipped_with_a_warning_instead_of_hanging() {
    let sandbox = Sandbox::new();
    let decks = deck_folder(&sandbox);
    let fifo = decks.join("pipe.yaml");
    mkfifo(&fifo);
    let warning = "<DATA>/decks/pipe.yaml: warning: skipped: it is a FIFO (named pipe), not a regular file\nhelp: portquiz reads decks only from regular files: remove it, or move it out of the deck folder\n";

    let listed = run(&sandbox, &["decks"]);
    assert_eq!((listed.code, listed.stderr.as_str()), (0, warning));
    assert!(lists_good(&listed.stdout), "{}", listed.stdout);

    let checked = run(&sandbox, &["check", decks.to_str().unwrap()]);
    assert_eq!(
        checked.transcript(),
        "exit: 1\n--- stdout\n1 error in 1 deck\nchecked against 20 loaded decks (built-in and data dir decks)\n--- stderr\n<DATA>/decks/pipe.yaml: error: it is a FIFO (named pipe), not a regular file\nhelp: portquiz reads decks only from regular files: remove it, or move it out of the deck folder\n"
    );
    // Named directly, to `check` or `--deck`.
    let named = run(&sandbox, &["check", fifo.to_str().unwrap()]);
    assert_eq!(
        named.transcript(),
        "exit: 1\n--- stdout\n1 error in 1 deck\nchecked against 21 loaded decks (built-in and data dir decks)\n--- stderr\n<DATA>/decks/pipe.yaml: error: it is a FIFO (named pipe), not a regular file\nhelp: portquiz reads decks only from regular files: remove it, or move it out of the deck folder\n"
    );
    let other = sandbox.path().join("other.yaml");
    mkfifo(&other);
    let extra = run(&sandbox, &["--deck", other.to_str().unwrap(), "decks"]);
    assert_eq!(extra.code, 0, "{}", extra.transcript());
    assert_eq!(
        extra.stderr,
        format!(
            "{warning}{}",
            warning.replace("decks/pipe.yaml", "other.yaml")
        )
    );
}

#[test]
fn dangling_and_looping_symbolic_links_are_skipped_with_a_warning() {
    let sandbox = Sandbox::new();
    let decks = deck_folder(&sandbox);
    std::os::unix::fs::symlink(decks.join("missing.yaml"), decks.join("gone.yaml")).unwrap();
    std::os::unix::fs::symlink(decks.join("loop.yaml"), decks.join("loop.yaml")).unwrap();

    let listed = run(&sandbox, &["decks"]);
    assert_eq!(
        (listed.code, listed.stderr.as_str()),
        (
            0,
            "<DATA>/decks/gone.yaml: warning: skipped: it is a symbolic link to <DATA>/decks/missing.yaml, which does not exist\nhelp: remove the link, or point it at a deck file\n\
             <DATA>/decks/loop.yaml: warning: skipped: it is a symbolic link that leads back to itself (a loop)\nhelp: remove the link, or point it at a deck file\n"
        )
    );
    assert!(lists_good(&listed.stdout), "{}", listed.stdout);
    let checked = run(&sandbox, &["check", decks.to_str().unwrap()]);
    assert_eq!(
        (checked.code, checked.stdout.as_str()),
        (
            1,
            "2 errors in 2 decks\nchecked against 20 loaded decks (built-in and data dir decks)\n"
        )
    );
}

/// Whether this process ignores permission bits (root): it can list a directory with mode 000.
fn ignores_permissions(dir: &Path) -> bool {
    let probe = dir.join("probe");
    std::fs::create_dir(&probe).unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let listed = std::fs::read_dir(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_dir(&probe).unwrap();
    listed
}

/// An unreadable subfolder. As root, which ignores permission bits, portquiz runs as `nobody` (uid 65534).
#[test]
fn an_unreadable_subfolder_is_skipped_with_a_warning() {
    let sandbox = Sandbox::new();
    std::fs::set_permissions(sandbox.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let as_nobody = ignores_permissions(sandbox.path());
    if as_nobody && let Err(e) = Command::new("true").uid(65534).gid(65534).status() {
        crate::support::skip(
            "an_unreadable_subfolder_is_skipped_with_a_warning",
            &format!("permission bits do not apply and uid 65534 is not available: {e}"),
        );
        return;
    }
    let decks = deck_folder(&sandbox);
    let locked = decks.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("hidden.yaml"), GOOD_DECK).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let cmd = |args: &[&str]| {
        let mut cmd = sandbox.cmd(args);
        if as_nobody {
            cmd.uid(65534).gid(65534);
        }
        cmd
    };
    let listed = run_within_deadline(&sandbox, cmd(&["decks"]));
    let checked = run_within_deadline(&sandbox, cmd(&["check", decks.to_str().unwrap()]));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();

    assert_eq!(
        (listed.code, listed.stderr.as_str()),
        (
            0,
            "<DATA>/decks/locked: warning: skipped: cannot read this folder: permission denied\nhelp: make the folder readable, or move it out of the deck folder\n"
        )
    );
    assert!(lists_good(&listed.stdout), "{}", listed.stdout);
    assert_eq!(
        checked.transcript(),
        "exit: 1\n--- stdout\n1 error in 1 deck\nchecked against 20 loaded decks (built-in and data dir decks)\n--- stderr\n<DATA>/decks/locked: error: cannot read this folder: permission denied\nhelp: make the folder readable, or move it out of the deck folder\n"
    );
}

#[test]
fn a_second_yaml_document_is_explained_without_the_parsers_hint() {
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("two.yaml");
    std::fs::write(&path, format!("{GOOD_DECK}---\n{GOOD_DECK}")).unwrap();
    let checked = run(&sandbox, &["check", path.to_str().unwrap()]);
    assert_eq!(
        checked.transcript(),
        "exit: 1\n--- stdout\n1 error in 1 deck\nchecked against 20 loaded decks (built-in and data dir decks)\n--- stderr\n<DATA>/two.yaml:11:1: error: the file holds more than one YAML document: a `---` line starts another\n   |\n11 | format: 1\n   | ^\nhelp: a deck file is one document: remove the `---` line, or put each deck in its own file\n"
    );
}

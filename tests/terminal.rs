//! The real terminal front end (dialoguer) driven through a pseudo-terminal, as a person would use it: each key
//! is pressed once the screen shows the prompt it is meant for and the program is reading keys, never after a
//! fixed pause.
use std::fs::File;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Regex};

use crate::support::{PTY_DEADLINE, Sandbox, Test};

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
    Test::pty(sandbox)
        .args(&["study"])
        .args(args)
        .env_remove("NO_COLOR")
        .spawn_pty(80, 24)
}

/// How long one screen or one key read may take to appear.
const DEADLINE: Duration = PTY_DEADLINE;

/// How often [`wait_for_key_read`] looks at the terminal's mode (a poll, not a pause before a key).
const POLL: Duration = Duration::from_millis(1);

/// An active prompt: its label at the start of a row (after a newline or the escape code that cleared or moved to
/// the row); the echo of a finished prompt starts with `›`, so it is not matched again.
pub(crate) const PROMPT: &str = r"(?:\n|\x1b\[[0-9;?]*[A-Za-z])(Your answer|Show the answer|How well did you know it\?|True or false\?|Pick every right option|What now\?)";

/// The terminal of a session (its pty's controlling side), for [`wait_for_key_read`].
pub(crate) fn terminal(session: &OsSession) -> File {
    session
        .get_process()
        .get_raw_handle()
        .expect("the pty's file")
}

/// Waits until the program reads a key: dialoguer draws a prompt in the terminal's normal mode, then reads
/// each key in raw mode (no ISIG) and goes back to normal mode after it. A key typed while the screen is
/// being drawn still reaches the next read, except Ctrl-C: in normal mode the terminal turns it into SIGINT,
/// which the program's handler only acts on during a key read, so it would be lost. A person waits for the
/// prompt; this waits for raw mode (checking the terminal's mode every millisecond until [`DEADLINE`]).
#[allow(unsafe_code)]
pub(crate) fn wait_for_key_read(terminal: &File) {
    use std::os::fd::AsRawFd;
    let deadline = Instant::now() + DEADLINE;
    loop {
        // SAFETY: `termios` is a plain C struct for which all-zero bytes is a valid value.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: the fd is open for the duration of the call (`terminal` is borrowed), and `termios` is a
        // valid, exclusive pointer. On Linux the controlling side of a pty reports the program side's mode.
        let read = unsafe { libc::tcgetattr(terminal.as_raw_fd(), &mut termios) };
        assert_eq!(read, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        if termios.c_lflag & libc::ISIG == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the program did not read a key within {DEADLINE:?}"
        );
        std::thread::sleep(POLL);
    }
}

/// Waits for the next active prompt and for the program to read a key; returns the prompt's label.
fn next_prompt(session: &mut OsSession, terminal: &File) -> String {
    let found = session.expect(Regex(PROMPT)).unwrap();
    let label = String::from_utf8_lossy(found.get(1).unwrap()).to_string();
    wait_for_key_read(terminal);
    label
}

/// Waits for `prompt` and for the program to read a key, then types `keys`.
fn answer_at(session: &mut OsSession, terminal: &File, prompt: &str, keys: &str) {
    session.expect(prompt).unwrap();
    wait_for_key_read(terminal);
    session.send(keys).unwrap();
}

/// At a choice prompt, moves the highlight from the first option to the second and waits for it to be redrawn.
fn move_down(session: &mut OsSession, terminal: &File) {
    session.expect("> 1 ").unwrap(); // the first option, highlighted
    session.send(DOWN).unwrap();
    session.expect("> 2 ").unwrap(); // the redrawn list, the second option highlighted
    wait_for_key_read(terminal);
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
    let cards: serde_json::Value = crate::support::json_unique(&run.stdout);
    cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["card"].as_str().unwrap().to_string(),
                c["reps"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn arrow_keys_answer_a_choice_and_a_flashcard_then_esc_quits() {
    let sandbox = Sandbox::new();
    let mut s = spawn(&sandbox);
    let tty = terminal(&s);
    let (mut choice_answered, mut flashcard_graded, mut grading_flashcard) = (false, false, false);
    loop {
        let prompt = next_prompt(&mut s, &tty);
        if choice_answered && flashcard_graded {
            // Both kinds are answered; Esc at the next prompt ends the session cleanly.
            s.send(ESC).unwrap();
            break;
        }
        match prompt.as_str() {
            "Your answer" => {
                move_down(&mut s, &tty);
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

/// Both cards are answered first (the flashcard graded at its grade prompt, the choice with the highlighted
/// option, graded too when right), then Ctrl-C at the next prompt: both answers are kept.
#[test]
fn ctrl_c_keeps_answers_prints_the_summary_and_exits_130() {
    let sandbox = Sandbox::new();
    let mut s = spawn(&sandbox);
    let tty = terminal(&s);
    let (mut recorded, mut right, mut wrong) = (0, 0, 0);
    loop {
        let prompt = next_prompt(&mut s, &tty);
        if recorded == 2 {
            s.send(CTRL_C).unwrap();
            break;
        }
        s.send(ENTER).unwrap();
        match prompt.as_str() {
            "Your answer" => {
                // Either verdict asks for a grade next (Again, or "I was right", after a wrong one).
                let verdict = s.expect(Regex(r"(Right|Wrong)(: |\. )")).unwrap();
                if verdict.get(1) == Some(b"Right".as_slice()) {
                    right += 1;
                } else {
                    wrong += 1;
                }
            }
            "How well did you know it?" => recorded += 1,
            _ => {} // the flashcard's answer is shown; its grade prompt comes next
        }
    }
    let end = s.expect(Eof).unwrap();
    let end = String::from_utf8_lossy(end.as_bytes()).into_owned();
    // The summary is wrapped to the terminal's width: join its lines back into one sentence.
    let lines: Vec<&str> = end.lines().map(|l| l.trim_end_matches('\r')).collect();
    let start = lines.iter().position(|l| l.starts_with("Session "));
    let mut joined = String::new();
    for line in start.map_or(&[][..], |i| &lines[i..]) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(line);
        if line.ends_with(" s.") {
            break;
        }
    }
    let summary = start.map(|_| joined.as_str());
    // The flashcard (Good, Enter's default) and a right choice are learned; a wrong one (Again) is not.
    let learned = match 1 + right {
        1 => "1 new card".to_string(),
        n => format!("{n} new cards"),
    };
    let summary = summary
        .map(|l| l.trim_end_matches('\r'))
        .unwrap_or_default();
    // The flashcard's Good is right too, passed by the candidate's grade.
    let expected = format!(
        "Session interrupted: 2 answered: {} right, {wrong} wrong (1 of the right passed by your grade); {learned} learned, in ",
        right + 1
    );
    assert!(
        summary.starts_with(&expected) && summary.ends_with(" s."),
        "{summary:?} is not {expected:?}... s.\n{end}"
    );
    assert_eq!(exit_code(&s), 130, "{end}");
    let mut reps = reps(&sandbox);
    reps.sort();
    assert_eq!(
        reps,
        [
            ("port-definition".to_string(), 1),
            ("port-range".to_string(), 1)
        ]
    );
}

/// `portquiz study` in a pseudo-terminal on the fixture deck `tests/decks/good/ID.yaml` (deck id `ID`) alone.
fn spawn_fixture(sandbox: &Sandbox, id: &str) -> OsSession {
    let path = format!("tests/decks/good/{id}.yaml");
    spawn_study(sandbox, &["--deck", &path, "--deck", id])
}

/// Removes escape sequences (colour, cursor moves) from terminal output.
fn plain_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let escapes = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap();
    escapes.replace_all(&text, "").replace('\r', "")
}

/// The text with every run of whitespace (line breaks from wrapping included) made one space.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn enter_with_nothing_marked_in_a_multi_select_asks_again_and_never_undoes() {
    let sandbox = Sandbox::new();
    let mut s = spawn_fixture(&sandbox, "pty-more");
    let tty = terminal(&s);
    answer_at(&mut s, &tty, "Pick every right option", ENTER);
    s.expect("(mark at least one option with Space, then press Enter)")
        .unwrap();
    answer_at(&mut s, &tty, "Pick every right option", ESC);
    let end = s.expect(Eof).unwrap();
    let end = flat(&plain_text(end.as_bytes()));
    assert!(!end.contains("undone"), "{end}");
    assert!(end.contains("Session over: 0 answered"), "{end}");
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn a_question_mark_on_a_typed_card_without_hint_is_not_graded() {
    let sandbox = Sandbox::new();
    let mut s = spawn_fixture(&sandbox, "pty-typed");
    let tty = terminal(&s);
    answer_at(&mut s, &tty, "Your answer (u undo, q quit", "?\r");
    s.expect("(this card has no hint)").unwrap();
    // A quoted q is an answer (wrong here), not quitting.
    answer_at(&mut s, &tty, "Your answer (u undo, q quit", "\"q\"\r");
    s.expect("Not quite. A model answer: 443").unwrap();
    answer_at(&mut s, &tty, "How well did you know it?", ESC);
    let end = s.expect(Eof).unwrap();
    let end = flat(&plain_text(end.as_bytes()));
    assert!(
        end.contains("Session over: 1 answered: 0 right, 1 wrong;"),
        "{end}"
    );
    assert_eq!(exit_code(&s), 0);
}

/// `cards --json` of the pty-typed fixture deck in `sandbox` (its one card's reps say what was recorded).
fn typed_fixture_cards(sandbox: &Sandbox) -> serde_json::Value {
    let run = sandbox.run(&[
        "cards",
        "--json",
        "--deck",
        "tests/decks/good/pty-typed.yaml",
        "--deck",
        "pty-typed",
    ]);
    crate::support::json_unique(&run.stdout)
}

#[test]
fn undo_at_a_grade_prompt_asks_the_same_card_again() {
    let sandbox = Sandbox::new();
    let mut s = spawn_fixture(&sandbox, "pty-typed");
    let tty = terminal(&s);
    answer_at(&mut s, &tty, "Your answer (u undo, q quit", "443\r");
    s.expect("How well did you know it?").unwrap();
    wait_for_key_read(&tty);
    // One key: u.
    s.send("u").unwrap();
    s.expect("› (undo: take this answer back)").unwrap();
    s.expect("pty-typed/https-port · typed · new").unwrap();
    answer_at(&mut s, &tty, "Your answer (u undo, q quit", "q\r");
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
    let cards = typed_fixture_cards(&sandbox);
    assert_eq!(
        cards["cards"][0]["reps"], 0,
        "nothing was recorded: {cards}"
    );
}

#[test]
fn text_wraps_at_word_boundaries_to_a_narrow_terminal() {
    let sandbox = Sandbox::new();
    let mut s = spawn_fixture(&sandbox, "pty-more");
    s.get_process_mut().set_window_size(40, 24).unwrap();
    let tty = terminal(&s);
    let shown = s.expect("Pick every right option").unwrap();
    wait_for_key_read(&tty);
    let screen = plain_text(shown.before());
    // Every line fits the 40 columns, and joining the lines back gives the question whole: no word was cut.
    assert!(screen.lines().all(|l| l.chars().count() <= 40), "{screen}");
    assert!(
        flat(&screen).contains(
            "Which are parts of a socket's address on the wire, as the kernel uses it to find the right socket for an arriving packet? (pick 3)"
        ),
        "{screen}"
    );
    s.send(ESC).unwrap();
    s.expect(Eof).unwrap();
}

#[test]
fn without_colour_the_multi_select_shows_its_cursor_and_marks_as_characters() {
    let sandbox = Sandbox::new();
    let mut s = Test::pty(&sandbox)
        .args(&["study"])
        .deck("tests/decks/good/pty-more.yaml", "pty-more")
        .spawn_pty(80, 24);
    let tty = terminal(&s);
    let shown = s.expect("Pick every right option").unwrap();
    let _ = shown;
    let menu = s.expect(Regex(r"> \[ \] 1 [A-Z]")).unwrap();
    let _ = menu;
    wait_for_key_read(&tty);
    s.send(" ").unwrap();
    s.expect(Regex(r"> \[x\] 1 [A-Z]")).unwrap();
    wait_for_key_read(&tty);
    s.send(ESC).unwrap();
    let end = s.expect(Eof).unwrap();
    // Cursor movement is allowed; colour (SGR `m` codes) is not.
    let sgr = regex::bytes::Regex::new(r"\x1b\[[0-9;]*m").unwrap();
    assert!(
        !sgr.is_match(end.as_bytes()),
        "{}",
        plain_text(end.as_bytes())
    );
}

#[test]
fn term_dumb_gets_the_plain_front_end_with_a_notice() {
    let sandbox = Sandbox::new();
    // Colour is not switched off here: TERM=dumb alone must keep the output free of it.
    let mut s = Test::pty(&sandbox)
        .args(&["study"])
        .deck("tests/decks/good/pty-typed.yaml", "pty-typed")
        .env("TERM", "dumb")
        .env_remove("NO_COLOR")
        .spawn_pty(80, 24);
    s.expect(
        "note: TERM=dumb cannot show menus, so portquiz uses the plain line-based mode (--plain)",
    )
    .unwrap();
    s.expect("your answer (type it, u undo, q quit)> ").unwrap();
    s.send("q\r").unwrap();
    let end = s.expect(Eof).unwrap();
    let sgr = regex::bytes::Regex::new(r"\x1b\[[0-9;]*m").unwrap();
    assert!(
        !sgr.is_match(end.as_bytes()),
        "{}",
        plain_text(end.as_bytes())
    );
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn portquiz_alone_in_a_terminal_starts_studying() {
    let sandbox = Sandbox::new();
    // No arguments at all, and colour as the terminal's default.
    let mut s = Test::pty(&sandbox).env_remove("NO_COLOR").spawn_pty(80, 24);
    let tty = terminal(&s);
    s.expect("cards to study now").unwrap();
    s.expect(" done · ").unwrap();
    s.expect(Regex(
        r"(Your answer|Show the answer|Pick every|True or false)",
    ))
    .unwrap();
    wait_for_key_read(&tty);
    // `q` ends a menu at once; a typed answer's line editor needs Enter after it.
    s.send("q\r").unwrap();
    let end = s.expect(Eof).unwrap();
    assert!(
        flat(&plain_text(end.as_bytes())).contains("Session over: 0 answered"),
        "{}",
        plain_text(end.as_bytes())
    );
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn a_cards_demo_runs_live_from_the_grade_menu() {
    let sandbox = Sandbox::new();
    let mut s = spawn_fixture(&sandbox, "pty-demo");
    let tty = terminal(&s);
    assert_eq!(next_prompt(&mut s, &tty), "Show the answer");
    s.send(ENTER).unwrap();
    assert_eq!(next_prompt(&mut s, &tty), "How well did you know it?");
    // One key: d.
    s.send("d").unwrap();
    s.expect("(live, on loopback, not graded: Port 65536)")
        .unwrap();
    s.expect("=> ").unwrap();
    assert_eq!(next_prompt(&mut s, &tty), "How well did you know it?");
    s.send(ESC).unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}

/// Issue 22: in a terminal, `interview --json` wrote the round's text to stdout before the JSON, and the JSON
/// had `"format"` twice. stdout here is a file (through `sh`), stdin and stderr the terminal.
#[test]
fn interview_json_in_a_terminal_writes_only_the_json_to_stdout_with_one_format_key() {
    let sandbox = Sandbox::new();
    let out = sandbox.path().join("scorecard.json");
    let mut session = Test::pty(&sandbox)
        .wrapper(&["sh", "-c", r#"exec "$0" "$@" > "$SCORECARD""#])
        .args(&["interview", "--json"])
        .deck("tests/decks/good/pty.yaml", "pty")
        .env("SCORECARD", &out.display().to_string())
        .env_remove("NO_COLOR")
        .spawn_pty(80, 24);
    let terminal = terminal(&session);
    // The round talks on the terminal (stderr): the opening, then the first question's menu.
    session.expect("Mock interview").unwrap();
    let shown = session.expect("›").unwrap();
    let screen = plain_text(shown.before());
    assert!(
        screen.contains("[Q1 · ") && screen.contains(" of 25:00] pty/"),
        "{screen}"
    );
    wait_for_key_read(&terminal);
    // `q` at the first question ends the round (a typed answer's line, or a menu): nothing was answered.
    session.send("q\r").unwrap();
    session.expect(Eof).unwrap();
    assert_eq!(exit_code(&session), 0);
    let stdout = std::fs::read_to_string(&out).unwrap();
    assert!(
        stdout.starts_with("{\n  \"format\": 1,\n  \"minutes\": 25,"),
        "{stdout}"
    );
    let json = crate::support::json_unique(&stdout);
    assert_eq!(
        (json["scored"].as_u64(), json["claimed"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(stdout.matches("\"format\"").count(), 1, "{stdout}");
}

/// What the terminal shows: the bytes so far rendered by a VT parser (`vt100`), so a test sees the screen a
/// person sees (rows scrolled away gone, rows cleared by a redraw gone), not the raw stream.
struct Screen {
    parser: vt100::Parser,
}

impl Screen {
    fn new(rows: u16, cols: u16) -> Screen {
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a screen size above zero");
        Screen {
            parser: vt100::Parser::new(size(rows), size(cols), 0),
        }
    }

    /// Waits for `pattern` and renders everything up to and including it.
    fn until(&mut self, session: &mut OsSession, pattern: &str) {
        let found = session.expect(pattern).unwrap();
        self.parser.process(found.before());
        self.parser.process(found.get(0).unwrap_or_default());
    }

    /// The screen's rows, trailing spaces trimmed.
    fn rows(&self) -> Vec<String> {
        self.parser
            .screen()
            .contents()
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    }

    fn text(&self) -> String {
        self.rows().join("\n")
    }
}

/// `portquiz study` over the typed fixture in a pty of `cols` x `rows`, the size set before it starts.
fn spawn_sized(sandbox: &Sandbox, cols: u16, rows: u16, extra_env: &[(&str, &str)]) -> OsSession {
    let mut test = Test::pty(sandbox)
        .args(&["study"])
        .deck("tests/decks/good/pty-typed.yaml", "pty-typed");
    for (key, value) in extra_env {
        test = test.env(key, value);
    }
    test.spawn_pty(cols, rows)
}

/// Issue 26: at 40x12 the card header and the verdict scrolled away before the grade menu opened, and each
/// arrow key left a stale copy of a prompt exactly as wide as the terminal. At 40x12 and 80x24: the grade
/// menu's screen shows the card id and the verdict, arrow keys leave one prompt, and `3` grades Good at once.
#[test]
fn the_grade_menu_keeps_the_card_id_and_verdict_on_screen_and_3_grades_good() {
    for (cols, rows) in [(40u16, 12u16), (80, 24)] {
        let sandbox = Sandbox::new();
        let mut s = spawn_sized(&sandbox, cols, rows, &[]);
        let tty = terminal(&s);
        let mut screen = Screen::new(rows, cols);
        screen.until(&mut s, "Your answer");
        wait_for_key_read(&tty);
        s.send("443\r").unwrap();
        screen.until(&mut s, "How well did you know it?");
        screen.until(&mut s, "quit)");
        wait_for_key_read(&tty);
        let shown = screen.text();
        assert!(
            shown.contains("pty-typed/https-port"),
            "{cols}x{rows}:\n{shown}"
        );
        assert!(
            shown.contains("Right. A model answer: 443"),
            "{cols}x{rows}:\n{shown}"
        );
        // Arrow keys redraw the menu in place: one prompt, one hint line, whatever was pressed.
        for key in [DOWN, "\x1b[A", DOWN] {
            s.send(key).unwrap();
            screen.until(&mut s, "quit)");
            wait_for_key_read(&tty);
        }
        let shown = screen.text();
        assert_eq!(
            shown.matches("How well did you know it?").count(),
            1,
            "{cols}x{rows}:\n{shown}"
        );
        assert!(shown.contains("> 4 Easy"), "{cols}x{rows}:\n{shown}");
        // One key grades: 3 is Good, wherever the cursor is.
        s.send("3").unwrap();
        screen.until(&mut s, "› Good");
        // The card comes back ahead of its step (nothing else is due): quit there.
        screen.until(&mut s, "Your answer");
        wait_for_key_read(&tty);
        s.send("q\r").unwrap();
        s.expect("Session over").unwrap();
        s.expect(Eof).unwrap();
        assert_eq!(exit_code(&s), 0);
        let cards = typed_fixture_cards(&sandbox);
        assert_eq!(cards["cards"][0]["reps"], 1, "{cols}x{rows}");
    }
}

/// Issue 26: a typed answer longer than the line broke mid-word (`TCP or U` / `DP`). The line editor wraps at
/// spaces: joined back, the rows give the answer whole, at 40 and 80 columns.
#[test]
fn a_typed_answer_of_150_characters_never_breaks_a_word() {
    let answer = "the listening socket accepts a connection and the kernel hands back a fresh socket for \
                  it while the old one keeps listening on the same port for peers";
    assert_eq!(answer.chars().count(), 150);
    for (cols, rows) in [(40u16, 12u16), (80, 24)] {
        let sandbox = Sandbox::new();
        let mut s = spawn_sized(&sandbox, cols, rows, &[]);
        let tty = terminal(&s);
        let mut screen = Screen::new(rows, cols);
        screen.until(&mut s, "Your answer");
        wait_for_key_read(&tty);
        s.send(answer).unwrap();
        screen.until(&mut s, "peers");
        wait_for_key_read(&tty);
        let rows_shown = screen.rows();
        let start = rows_shown
            .iter()
            .position(|r| r.starts_with("› "))
            .unwrap_or_else(|| panic!("{}", screen.text()));
        let typed = flat(&rows_shown[start..].join(" "));
        assert_eq!(
            typed.trim_start_matches("› "),
            answer,
            "{cols}x{rows}:\n{}",
            screen.text()
        );
        assert!(
            rows_shown
                .iter()
                .all(|r| r.chars().count() < usize::from(cols)),
            "{}",
            screen.text()
        );
        s.send("\r").unwrap();
        screen.until(&mut s, "How well did you know it?");
        wait_for_key_read(&tty);
        s.send("q").unwrap();
        s.expect(Eof).unwrap();
    }
}

/// Issue 26: plain mode under TERM=dumb did not wrap (`be` / `yond`) and printed explanations twice. It wraps
/// at COLUMNS (one column short, at spaces) and says the explanation once.
#[test]
fn term_dumb_wraps_at_columns_and_prints_each_explanation_once() {
    let sandbox = Sandbox::new();
    let mut s = spawn_sized(&sandbox, 80, 24, &[("TERM", "dumb"), ("COLUMNS", "40")]);
    let mut seen = Vec::new();
    let mut until = |s: &mut OsSession, pattern: &str| {
        let found = s.expect(pattern).unwrap();
        seen.extend_from_slice(found.before());
        seen.extend_from_slice(found.get(0).unwrap_or_default());
    };
    until(&mut s, "quit)>");
    s.send("443\r").unwrap();
    until(&mut s, "quit)>");
    s.send("\r").unwrap();
    // The card comes back ahead of its step: quit there.
    until(&mut s, "quit)>");
    s.send("q\r").unwrap();
    until(&mut s, "Session over");
    let end = s.expect(Eof).unwrap();
    seen.extend_from_slice(end.before());
    assert_eq!(exit_code(&s), 0);
    let text = plain_text(&seen);
    // Every line the program wrote fits 39 columns; after a prompt's `> ` comes what was typed (the
    // pty does not echo it here, so the next output follows on that line).
    let long: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.split(")> ").next().unwrap_or(l).chars().count() + 3
                > 39 + 3 * usize::from(!l.contains(")> "))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}\n{text}");
    assert_eq!(
        flat(&text)
            .matches("HTTPS listens on 443 unless configured otherwise.")
            .count(),
        1,
        "{text}"
    );
    assert!(
        flat(&text).contains("note: TERM=dumb cannot show menus"),
        "{text}"
    );
}

/// A card with progress and no card (renamed) is named before the first question of the day, at the
/// terminal as in plain mode, and the session goes on as usual.
#[test]
fn renamed_cards_are_named_before_the_first_question_at_the_terminal() {
    let sandbox = Sandbox::new();
    let deck = "tests/decks/good/pty.yaml";
    let plain = sandbox.run_with_input(
        &["study", "--plain", "--deck", deck, "--deck", "pty"],
        &[("PORTQUIZ_NOW", "2026-01-05T09:00:00Z")],
        "1\n\n",
    );
    assert_eq!(plain.code, 0, "{}", plain.transcript());
    let conn = rusqlite::Connection::open(sandbox.path().join("portquiz.sqlite3")).unwrap();
    let renamed = conn
        .execute("UPDATE cards SET card = 'old-' || card", [])
        .unwrap();
    assert_eq!(renamed, 1);
    drop(conn);
    let mut s = spawn(&sandbox);
    let tty = terminal(&s);
    s.expect("1 card of deck pty has progress but no card")
        .unwrap();
    next_prompt(&mut s, &tty);
    s.send(ESC).unwrap();
    s.expect("Session over").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}

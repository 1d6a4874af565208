//! Installing like a first-class CLI: the man page, `decks --ids`, and shell completions that offer deck
//! ids after `--deck`, run in the real shells (a shell that is not installed is reported as skipped).
use crate::support::{Sandbox, bin, tool_for};

/// The deck ids `decks --json` lists, in its order.
fn ids_from_json(sandbox: &Sandbox) -> Vec<String> {
    let run = sandbox.run(&["decks", "--json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let json: serde_json::Value = crate::support::json_unique(&run.stdout);
    json["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["deck"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn decks_ids_prints_one_deck_id_per_line() {
    let sandbox = Sandbox::new();
    let run = sandbox.run(&["decks", "--ids"]);
    let mut expected = ids_from_json(&sandbox).join("\n");
    expected.push('\n');
    assert_eq!(
        run.transcript(),
        format!("exit: 0\n--- stdout\n{expected}--- stderr\n")
    );
}

#[test]
fn man_page_is_roff_generated_from_the_cli_definitions() {
    let run = Sandbox::new().run(&["man"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.iter().find(|l| l.starts_with(".TH")).copied(),
        Some(".TH portquiz 1  \"portquiz 0.1.0\" ")
    );
    let name = lines.iter().position(|l| *l == ".SH NAME").unwrap();
    assert_eq!(
        lines[name + 1],
        "portquiz \\- A quiz and flashcard engine for interview prep on network ports and sockets, with FSRS\\-6 scheduling and live socket experiments"
    );
    // Every subcommand has its entry, with its help line.
    let subcommands = lines.iter().position(|l| *l == ".SH SUBCOMMANDS").unwrap();
    let entries: Vec<&str> = lines[subcommands..]
        .windows(2)
        .filter(|w| w[0] == ".TP")
        .map(|w| w[1])
        .collect();
    assert!(entries.contains(&"portquiz\\-man(1)"), "{entries:?}");
    assert!(entries.contains(&"portquiz\\-study(1)"), "{entries:?}");
    assert_eq!(run.stderr, "");
}

/// A fresh sandbox holding `well-my-notes.yaml` (a file name completion should offer) and portquiz's
/// completion script for `shell`, written to `file`; returns both.
fn with_script(shell: &str, file: &str) -> (Sandbox, std::path::PathBuf) {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("well-my-notes.yaml"), "").unwrap();
    let script = sandbox.path().join(file);
    let run = sandbox.run(&["completions", shell]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    std::fs::write(&script, &run.stdout).unwrap();
    (sandbox, script)
}

/// Runs `program` in `shell` (with its first arguments `args`) in the sandbox's environment (data dir,
/// HOME), with the tested binary first on PATH, so a completion's `portquiz decks --ids` runs it against
/// the sandbox. Returns stdout; stderr must be empty.
fn run_shell(sandbox: &Sandbox, shell: &str, args: &[&str], program: &str) -> String {
    let dir = bin().parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let path =
        std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest))).unwrap();
    let probe = sandbox.cmd(&[]);
    let out = std::process::Command::new(shell)
        .args(args)
        .arg(program)
        .envs(probe.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env("PATH", path)
        .current_dir(sandbox.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The built-in deck ids starting with `we`, each followed by `suffix`.
fn we_ids(sandbox: &Sandbox, suffix: &str) -> String {
    let ids: String = ids_from_json(sandbox)
        .into_iter()
        .filter(|id| id.starts_with("we"))
        .map(|id| format!("{id}{suffix}\n"))
        .collect();
    assert!(!ids.is_empty(), "a built-in deck id starts with `we`");
    ids
}

#[test]
fn bash_completes_deck_ids_and_files_after_deck() {
    if !tool_for("bash_completes_deck_ids_and_files_after_deck", "bash") {
        return;
    }
    let (sandbox, script) = with_script("bash", "portquiz.bash");
    let complete = |words: &str| {
        let program = format!(
            "source {}; COMP_WORDS=({} {words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _portquiz \"${{COMP_WORDS[0]}}\" \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            bin().display()
        );
        run_shell(&sandbox, "bash", &["--noprofile", "--norc", "-c"], &program)
    };
    let expected = format!("{}well-my-notes.yaml\n", we_ids(&sandbox, ""));
    assert_eq!(complete("study --deck we"), expected);
    // The global flag before the subcommand too.
    assert_eq!(complete("--deck we"), expected);
}

#[test]
fn fish_completes_deck_ids_and_files_after_deck() {
    if !tool_for("fish_completes_deck_ids_and_files_after_deck", "fish") {
        return;
    }
    let (sandbox, script) = with_script("fish", "portquiz.fish");
    let program = format!(
        "source {}; complete -C 'portquiz study --deck we'",
        script.display()
    );
    assert_eq!(
        run_shell(&sandbox, "fish", &["--no-config", "-c"], &program),
        format!("{}well-my-notes.yaml\n", we_ids(&sandbox, "\tdeck id"))
    );
}

/// Runs the zsh script's deck completer with compsys's functions replaced by ones that print what they
/// would offer (zsh completion needs a terminal to run for real).
#[test]
fn zsh_completes_deck_ids_and_files_after_deck() {
    if !tool_for("zsh_completes_deck_ids_and_files_after_deck", "zsh") {
        return;
    }
    let (sandbox, script) = with_script("zsh", "_portquiz");
    let script = script.to_string_lossy().into_owned();
    assert_eq!(run_shell(&sandbox, "zsh", &["-n"], &script), "");
    let program = format!(
        "compdef() {{}}; source {script}; \
         _alternative() {{ local spec; for spec; do eval \"${{spec#*:*:}}\"; done }}; \
         compadd() {{ [[ $1 == -a ]] && print -l -- ${{(P)2}} }}; _files() {{ print -- '(files)' }}; \
         words=({} --deck we); _portquiz_deck_ids",
        bin().display()
    );
    let mut expected = ids_from_json(&sandbox).join("\n");
    expected.push_str("\n(files)\n");
    assert_eq!(
        run_shell(&sandbox, "zsh", &["-f", "-c"], &program),
        expected
    );
}

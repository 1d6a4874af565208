//! `portquiz completions bash|zsh|fish`: prints a completion script for the shell. The script is
//! clap_complete's, with the values of `--deck` completed from the deck ids of `portquiz decks --ids`
//! (asked of the portquiz being completed, when Tab is pressed) as well as from file names.
use anyhow::{Result, bail};
use clap::CommandFactory;
use clap_complete::{Shell as Target, generate};

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::env::{Env, Exit};

/// Runs `portquiz completions`.
pub fn run(_env: &Env, args: &CompletionsArgs) -> Result<Exit> {
    use std::io::Write;
    let script = script(args.shell)?;
    let mut out = std::io::stdout().lock();
    out.write_all(script.as_bytes())?;
    out.flush()?;
    Ok(Exit::Ok)
}

/// The completion script for `shell`, with deck ids after `--deck`.
pub fn script(shell: Shell) -> Result<String> {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut cmd = Cli::command();
    let mut bytes = Vec::new();
    generate(target, &mut cmd, "portquiz", &mut bytes);
    let generated = String::from_utf8(bytes)?;
    let (script, patched) = match shell {
        Shell::Bash => bash(&generated),
        Shell::Zsh => zsh(&generated),
        Shell::Fish => (format!("{generated}{FISH_DECK_IDS}"), 1),
    };
    if patched == 0 {
        // clap_complete changed its output: say so rather than ship completions without deck ids.
        bail!("internal error: cannot find --deck in the generated {shell:?} completions");
    }
    Ok(script)
}

/// Bash: after `--deck`, the deck ids matching the word, then file names.
const BASH_DECK_IDS: &str = r#"COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" decks --ids 2>/dev/null)" -- "${cur}") $(compgen -f -- "${cur}"))"#;

/// Zsh: a completer offering deck ids and files, defined before the script's last lines run.
const ZSH_DECK_IDS: &str = r#"(( $+functions[_portquiz_deck_ids] )) ||
_portquiz_deck_ids() {
    local -a ids
    ids=(${(f)"$(${words[1]} decks --ids 2>/dev/null)"})
    _alternative 'deck-ids:deck id:compadd -a ids' 'files:deck file:_files'
}

"#;

/// Fish merges every `complete` line that matches: this one offers deck ids and file names (`-r -F`) as
/// the value of `--deck` (with `-f` alone, fish took the ids for arguments of portquiz, not of --deck).
const FISH_DECK_IDS: &str =
    "complete -c portquiz -l deck -r -F -a \"(portquiz decks --ids 2>/dev/null)\" -d 'deck id'\n";

/// Replaces the file-name completion under each `--deck)` case; returns the script and how many.
fn bash(generated: &str) -> (String, usize) {
    let mut out = String::with_capacity(generated.len() + 4096);
    let mut after_deck = false;
    let mut patched = 0;
    for line in generated.lines() {
        let body = line.trim_start();
        if after_deck && body == r#"COMPREPLY=($(compgen -f "${cur}"))"# {
            out.push_str(&line[..line.len() - body.len()]);
            out.push_str(BASH_DECK_IDS);
            patched += 1;
        } else {
            out.push_str(line);
        }
        out.push('\n');
        after_deck = body == "--deck)";
    }
    (out, patched)
}

/// Points each `--deck` spec at [`ZSH_DECK_IDS`]'s completer and defines it.
fn zsh(generated: &str) -> (String, usize) {
    let from = ":ID|PATH:_default'";
    let patched = generated.matches(from).count();
    let script = generated.replace(from, ":ID|PATH:_portquiz_deck_ids'");
    let tail = "if [ \"$funcstack[1]\" = \"_portquiz\" ]; then";
    let script = match script.find(tail) {
        Some(at) => format!("{}{ZSH_DECK_IDS}{}", &script[..at], &script[at..]),
        None => return (script, 0),
    };
    (script, patched)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The lines after each `--deck` of a script, trimmed.
    fn after_deck(script: &str, marker: &str) -> Vec<String> {
        let lines: Vec<&str> = script.lines().collect();
        lines
            .windows(2)
            .filter(|w| w[0].trim() == marker)
            .map(|w| w[1].trim().to_string())
            .collect()
    }

    #[test]
    fn bash_completes_deck_ids_and_files_after_every_deck_flag() {
        let script = script(Shell::Bash).unwrap();
        let after = after_deck(&script, "--deck)");
        assert!(
            after.len() > 20,
            "one --deck case per subcommand: {after:?}"
        );
        for line in after {
            assert_eq!(line, BASH_DECK_IDS);
        }
    }

    #[test]
    fn zsh_completes_deck_ids_with_a_function_defined_before_it_runs() {
        let script = script(Shell::Zsh).unwrap();
        assert!(!script.contains(":ID|PATH:_default'"));
        assert!(script.matches(":ID|PATH:_portquiz_deck_ids'").count() > 20);
        let defined = script.find("_portquiz_deck_ids() {").unwrap();
        let called = script
            .find("if [ \"$funcstack[1]\" = \"_portquiz\" ]; then")
            .unwrap();
        assert!(defined < called);
    }

    #[test]
    fn fish_adds_deck_ids_to_the_deck_flag() {
        let script = script(Shell::Fish).unwrap();
        assert!(script.ends_with(FISH_DECK_IDS));
    }
}

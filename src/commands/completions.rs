//! `portquiz completions bash|zsh|fish`: prints a completion script for the shell.
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::{Shell as Target, generate};

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::env::{Env, Exit};

/// Runs `portquiz completions`.
pub fn run(_env: &Env, args: &CompletionsArgs) -> Result<Exit> {
    let target = match args.shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut cmd = Cli::command();
    generate(target, &mut cmd, "portquiz", &mut std::io::stdout());
    Ok(Exit::Ok)
}

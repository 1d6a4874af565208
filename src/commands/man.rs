//! `portquiz man`: prints the man page, generated from the clap definitions in [`crate::cli`] (so it never
//! drifts from `--help`). Install it with `portquiz man > ~/.local/share/man/man1/portquiz.1`.
use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::env::Exit;

/// Runs `portquiz man`.
pub fn run() -> Result<Exit> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(Exit::Ok)
}

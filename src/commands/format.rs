//! `portquiz format`: prints the deck format reference (decks/README.md, compiled in), so an author has it
//! wherever the binary is; `portquiz new`, `--help` and the man page point here.
use anyhow::Result;

use crate::env::Exit;

/// The deck format reference as shipped in decks/README.md.
pub const REFERENCE: &str = include_str!("../../decks/README.md");

/// Runs `portquiz format`.
pub fn run() -> Result<Exit> {
    crate::out!("{REFERENCE}")?;
    Ok(Exit::Ok)
}

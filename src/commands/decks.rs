//! `portquiz decks`.
use anyhow::Result;

use crate::app::Env;
use crate::cli::JsonArgs;

/// Runs `portquiz decks`.
pub fn run(_env: &Env, _args: &JsonArgs) -> Result<u8> {
    anyhow::bail!("`portquiz decks` is not available in this build yet")
}

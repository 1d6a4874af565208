//! `portquiz cards`.
use anyhow::Result;

use crate::app::Env;
use crate::cli::CardsArgs;

/// Runs `portquiz cards`.
pub fn run(_env: &Env, _args: &CardsArgs) -> Result<u8> {
    anyhow::bail!("`portquiz cards` is not available in this build yet")
}

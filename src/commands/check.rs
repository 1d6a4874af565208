//! `portquiz check`.
use anyhow::Result;

use crate::app::Env;
use crate::cli::CheckArgs;

/// Runs `portquiz check`.
pub fn run(_env: &Env, _args: &CheckArgs) -> Result<u8> {
    anyhow::bail!("`portquiz check` is not available in this build yet")
}

//! `portquiz study`.
use anyhow::Result;

use crate::app::Env;
use crate::cli::StudyArgs;

/// Runs `portquiz study`.
pub fn run(_env: &Env, _args: &StudyArgs) -> Result<u8> {
    anyhow::bail!("`portquiz study` is not available in this build yet")
}

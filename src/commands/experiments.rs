//! `portquiz experiments`.
use anyhow::Result;

use crate::app::Env;
use crate::cli::ExperimentsArgs;

/// Runs `portquiz experiments`.
pub fn run(_env: &Env, _args: &ExperimentsArgs) -> Result<u8> {
    anyhow::bail!("`portquiz experiments` is not available in this build yet")
}

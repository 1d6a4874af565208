//! `portquiz new ID [--out PATH]`: writes a starter deck that passes `portquiz check` as written.
use anyhow::Result;

use super::write::{Overwrite, write_text};
use crate::authoring::starter;
use crate::cli::NewArgs;
use crate::env::Env;

/// Runs `portquiz new`.
pub fn run(env: &Env, args: &NewArgs) -> Result<u8> {
    if !starter::valid_id(&args.id) {
        anyhow::bail!(
            "bad deck id `{}`: ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters; try `{}`",
            args.id,
            crate::deck::slug(&args.id)
        );
    }
    let path = match &args.out {
        Some(path) => path.clone(),
        None => super::import::default_deck_path(env, &args.id)?,
    };
    write_text(&path, &starter::starter_deck(&args.id), Overwrite::Never)?;
    crate::outln!(
        "Wrote {}: edit it, then run `portquiz check {}`",
        path.display(),
        path.display()
    )?;
    Ok(0)
}

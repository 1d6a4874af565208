//! `portquiz new ID [--out PATH]`: writes a starter deck that passes `portquiz check` as written.
use anyhow::Result;

use super::export::write_file;
use crate::authoring::starter;
use crate::cli::NewArgs;
use crate::env::{Env, Exit};

/// Runs `portquiz new`.
pub fn run(env: &Env, args: &NewArgs) -> Result<Exit> {
    if !starter::valid_id(&args.id) {
        anyhow::bail!(
            "bad deck id `{}`: ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters; try `{}`",
            args.id,
            crate::deck::slug(&args.id)
        );
    }
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| env.user_decks_dir().join(format!("{}.yaml", args.id)));
    write_file(&path, &starter::starter_deck(&args.id), false)?;
    crate::outln!(
        "Wrote {}: edit it, then run `portquiz check {}`",
        path.display(),
        path.display()
    )?;
    Ok(Exit::Ok)
}

//! `portquiz new ID [--out PATH]`: writes a starter deck that passes `portquiz check` as written.
use anyhow::Result;

use super::write::{Overwrite, deck_id_arg, default_deck_path, write_text};
use crate::authoring::deck_schema::deck_schema_text;
use crate::authoring::starter;
use crate::cli::NewArgs;
use crate::deck::Cards as _;
use crate::env::{Env, Exit};

/// Runs `portquiz new`.
pub fn run(env: &Env, args: &NewArgs) -> Result<Exit> {
    let id = deck_id_arg(&args.id)?;
    let path = match &args.out {
        Some(path) => path.clone(),
        None => default_deck_path(env, &args.id)?,
    };
    // A taken id would make `study` skip the new deck; an existing file is refused by `write_text` below.
    if !path.exists()
        && let Some(taken) = crate::library::load_heads(env)?
            .iter()
            .find(|d| d.deck_id() == &id)
    {
        anyhow::bail!(
            "the deck id `{id}` is taken by {}; pick another id (progress is kept per deck id)",
            taken.origin()
        );
    }
    write_text(&path, &starter::starter_deck(&id), Overwrite::Never)?;
    let shown = crate::safe::path(&path);
    crate::outln!("Wrote {shown}: edit it, then run `portquiz check {shown}`")?;
    // The deck's first line points editors to `deck.schema.json` beside it: make sure it is there.
    let schema = path.with_file_name("deck.schema.json");
    if schema.exists() {
        crate::outln!(
            "Kept {}: editors check the deck against it",
            crate::safe::path(&schema)
        )?;
    } else {
        write_text(&schema, &deck_schema_text(), Overwrite::Never)?;
        crate::outln!(
            "Wrote {}: editors check the deck against it (`portquiz schema` prints it again)",
            crate::safe::path(&schema)
        )?;
    }
    Ok(Exit::Ok)
}

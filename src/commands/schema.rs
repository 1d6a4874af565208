//! `portquiz schema`: prints the deck format's JSON Schema (shipped as `decks/deck.schema.json`).
use anyhow::Result;

use crate::authoring::deck_schema;
use crate::env::{Env, Exit};

/// Runs `portquiz schema`.
pub fn run(_env: &Env) -> Result<Exit> {
    crate::out!("{}", deck_schema::deck_schema_text())?;
    Ok(Exit::Ok)
}

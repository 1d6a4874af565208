//! `portquiz schema`: prints the deck format's JSON Schema (shipped as `decks/deck.schema.json`).
use anyhow::Result;

use crate::app::Env;
use crate::tools::schema;

/// Runs `portquiz schema`.
pub fn run(_env: &Env) -> Result<u8> {
    crate::out!("{}", schema::deck_schema_text())?;
    Ok(0)
}

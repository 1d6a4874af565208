//! `portquiz check --practicals`: runs every experiment the decks use and reports any that cannot run here.
use anyhow::Result;

use crate::app::Env;
use crate::deck::Deck;

/// Runs the experiments used by `decks`; returns 1 if any errored.
pub fn check(_env: &Env, _decks: &[Deck]) -> Result<u8> {
    anyhow::bail!(
        "`check --practicals` needs the experiment catalogue, which is not in this build yet"
    )
}

//! Help for deck authors beyond the loader itself: the deck format's JSON Schema (for editors) and the
//! starter deck `portquiz new` writes. Pure text; the commands decide where it goes.
pub mod deck_schema;
pub mod renames;
pub mod starter;

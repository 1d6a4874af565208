//! The deck format (YAML, version 1): parsing into a located tree, validation that collects every problem
//! as a located [`Diagnostic`], table expansion, and the checked [`Deck`] model.
//!
//! Everything here is pure except [`load`], the one small module that reads files and the built-in set.
//! The YAML crate is used only in [`yaml`], so it can be swapped.
pub mod cache;
pub mod diag;
pub mod id;
pub mod load;
pub mod model;
pub mod table;
pub mod validate;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use id::{CardId, CardRef, CardType, DeckId, IdError, slug};
pub use model::{Card, CardKind, ChoiceOption, Deck, FORMAT_VERSION, fold};
pub use validate::{Known, parse_deck};

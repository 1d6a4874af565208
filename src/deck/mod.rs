//! The deck format (YAML, version 1): typed ids ([`id`]), parsing into a located tree, validation that
//! collects every problem as a located [`Diagnostic`], table expansion, the checked [`Deck`] model with its card [`kinds`] (what depends on a card's type), and
//! the pipeline that turns deck files into a library: [`load`] reads files, [`compile`] checks them (in
//! parallel, [`par`]), [`cache`] keeps compiled decks between runs; [`warn`] finds what a checked deck
//! should not ship with, [`lint`] and [`guess`] what makes it unfair.
//!
//! Everything here is pure except [`load`] and [`cache`], the only modules that touch the file system
//! (a grep in `.ci/run` keeps it so). The YAML crate is used only in [`yaml`], so it can be swapped.
pub mod answer;
pub mod cache;
pub mod compile;
pub mod diag;
pub mod guess;
pub mod id;
pub mod kinds;
pub mod lines;
pub mod lint;
pub mod lint_text;
pub mod load;
pub mod model;
pub mod par;
pub mod source;
pub mod table;
pub mod validate;
pub mod warn;
mod words;
pub mod yaml;

pub use diag::{Diagnostic, Severity};
pub use id::{CardId, CardRef, CardType, DeckId, IdError, slug};
pub use kinds::Asking;
pub use model::{
    Card, CardHead, CardKind, Cards, ChoiceOption, Deck, DeckHead, FORMAT_VERSION, LabParams, fold,
};
pub use validate::{Known, parse_deck};

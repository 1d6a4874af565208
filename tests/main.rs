//! Integration tests: one binary (`autotests = false`), one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod attack;
mod colour;
mod deck_folders;
mod decks;
mod fuzz_corpus;
mod grading;
mod install;
mod json;
mod practical;
mod robust;
mod schema;
mod store;
mod study;
mod support;
mod terminal;
mod tools;

//! Fuzz target `deck`: arbitrary bytes fed to the deck loader the way a deck file reaches it.
//! The checks live in `fuzz/oracle.rs`, which `tests/fuzz_corpus.rs` replays on stable Rust.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../oracle.rs"]
mod oracle;

fuzz_target!(|bytes: &[u8]| {
    oracle::check_deck_bytes(bytes);
});

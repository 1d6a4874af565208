//! The `portquiz` binary: parse arguments, hand them to the library, turn the result into an exit code.
use std::process::ExitCode;

/// mimalloc instead of the system allocator: loading a large library makes millions of small allocations
/// (each card's texts), and with glibc's `malloc` they were half the start-up at 100,000 cards (first
/// question 257 -> 130 ms, `decks --json` 140 -> 60 ms on the quiet 2-core machine; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    portquiz::run(std::env::args_os())
}

//! The `portquiz` binary: parse arguments, hand them to the library, turn the result into an exit code.
use std::process::ExitCode;

fn main() -> ExitCode {
    portquiz::run(std::env::args_os())
}

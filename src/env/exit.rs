//! How a command ended, and the one place that turns it into a process exit code.
use std::process::ExitCode;

/// How a command ended. Ordered from best to worst, so `a.max(b)` keeps the worse of two outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Ran fine, found nothing wrong: exit 0.
    Ok,
    /// Ran fine, found problems (e.g. `check` found errors, an experiment errored): exit 1.
    Problems,
    /// Could not run: bad arguments, unreadable paths, a database we must not touch: exit 2.
    Failure,
    /// Stopped by Ctrl-C: exit 130, as shells expect.
    Interrupted,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Problems => 1,
            Exit::Failure => 2,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_order() {
        let all = [Exit::Ok, Exit::Problems, Exit::Failure, Exit::Interrupted];
        assert_eq!(all.map(Exit::code), [0, 1, 2, 130]);
        assert_eq!(Exit::Ok.max(Exit::Problems), Exit::Problems);
        assert_eq!(Exit::Failure.max(Exit::Problems), Exit::Failure);
    }
}

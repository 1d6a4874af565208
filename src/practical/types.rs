//! What every experiment is made of and built with: the catalogue entry ([`Experiment`]), what it observes,
//! how it fails, the transcript it writes and the checks it makes on the way.
use std::fmt::Display;
use std::net::SocketAddr;

use serde::Serialize;
use socket2::Socket;

use super::env::Environment;
use super::net;

/// Whether portquiz runs the experiment itself or the candidate acts and portquiz verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// portquiz does the syscalls and decides the right option.
    Experiment,
    /// The candidate does something with real tools; portquiz verifies it.
    Lab,
}

/// One entry of the catalogue.
#[derive(Debug)]
pub struct Experiment {
    /// Stable kebab-case id that decks name.
    pub id: &'static str,
    /// Experiment or lab.
    pub kind: Kind,
    /// Short title for listings.
    pub title: &'static str,
    /// The default question (a deck card may override the wording).
    pub question: &'static str,
    /// The answer options (empty for labs).
    pub options: &'static [&'static str],
    /// What the result shows and why it matters.
    pub explain: &'static str,
    pub(super) runner: Runner,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Runner {
    Experiment(fn(&Environment) -> Res<Observation>),
    Lab(LabKind),
}

/// Which lab an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LabKind {
    StartListener,
    ConnectClient,
    FindServicePort,
}

/// What an experiment did and saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// Indices into the experiment's `options` that this machine decided are right.
    pub correct: Vec<usize>,
    /// One line per step, e.g. "TCP  bind 127.0.0.1:41873   ok, listening".
    pub transcript: Vec<String>,
    /// The answer in one sentence.
    pub conclusion: String,
    /// A remark about this machine, e.g. "you are root here, so port 80 binds".
    pub note: Option<String>,
}

/// Why an experiment stopped early.
#[derive(Debug)]
pub(crate) enum Fail {
    Unavailable(String),
    Errored(String),
}

pub(crate) type Res<T> = Result<T, Fail>;

/// Turns an unexpected io error into [`Fail::Errored`] naming the step; running out of descriptors
/// (EMFILE, ENFILE) is [`Fail::Unavailable`] instead, for every experiment and in every command (`study`,
/// `experiments run`, `check --practicals`): the machine's limits, not the experiment, stopped it.
pub(crate) trait Step<T> {
    fn step(self, what: impl Display) -> Res<T>;
}

impl<T> Step<T> for std::io::Result<T> {
    fn step(self, what: impl Display) -> Res<T> {
        self.map_err(|err| match err.raw_os_error() {
            Some(libc::EMFILE | libc::ENFILE) => Fail::Unavailable(format!(
                "{what} failed with {}: no more files may be opened here (the open-files limit, `ulimit -n`, is too low); try `ulimit -n 1024` before starting portquiz",
                net::errno_name(&err)
            )),
            _ => Fail::Errored(format!(
                "{what} failed unexpectedly: {}",
                net::errno_name(&err)
            )),
        })
    }
}

/// Fails with "expected ..., saw ..." unless `holds`.
pub(crate) fn claim(holds: bool, what: impl FnOnce() -> String) -> Res<()> {
    if holds {
        Ok(())
    } else {
        Err(Fail::Errored(what()))
    }
}

/// "ok" or the errno name of a result.
pub(crate) fn result_text<T>(result: &std::io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_string(),
        Err(err) => net::errno_name(err),
    }
}

/// True when the result is the error with this errno.
pub(crate) fn is_errno<T>(result: &std::io::Result<T>, errno: i32) -> bool {
    matches!(result, Err(err) if err.raw_os_error() == Some(errno))
}

/// Collects transcript lines in a fixed layout.
#[derive(Debug, Default)]
pub(crate) struct Log {
    lines: Vec<String>,
}

impl Log {
    /// "PROTO action   result", columns aligned.
    pub(crate) fn step(&mut self, proto: &str, action: impl Display, result: impl Display) {
        let action = action.to_string();
        self.lines
            .push(format!("{proto:<4} {action:<50}  {result}"));
    }
    /// A new TCP socket with `opts` bound to `addr`, the attempt logged as `action`: the socket (kept open by
    /// the caller as long as it must hold the port) and how the bind went.
    pub(crate) fn try_bind(
        &mut self,
        addr: SocketAddr,
        opts: net::Opts,
        action: impl Display,
    ) -> Res<(Socket, std::io::Result<()>)> {
        let socket = net::tcp_socket(addr, opts).step("TCP socket()")?;
        let bound = net::bind(&socket, addr);
        self.step("TCP", action, result_text(&bound));
        Ok((socket, bound))
    }
    /// A free-form line.
    pub(crate) fn say(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }
    pub(crate) fn observe(
        self,
        correct: usize,
        conclusion: impl Into<String>,
        note: Option<String>,
    ) -> Observation {
        Observation {
            correct: vec![correct],
            transcript: self.lines,
            conclusion: conclusion.into(),
            note,
        }
    }
}

/// Index of `answer` in `options`, or an error when the observation matches no option.
pub(crate) fn option_index(options: &[&str], answer: &str) -> Res<usize> {
    options
        .iter()
        .position(|option| *option == answer)
        .ok_or_else(|| {
            Fail::Errored(format!(
                "the observation {answer:?} is none of the options {options:?}"
            ))
        })
}

pub(super) const YES_NO: &[&str] = &["Yes", "No"];

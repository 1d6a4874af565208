//! The catalogue of live socket experiments and labs (issue 4).
//!
//! An experiment asks what the operating system will do, does it on loopback right now and reports an
//! [`Observation`]: which answer options this machine decided are right, a transcript of the syscalls and what
//! they returned, and a conclusion. A lab asks the candidate to do something with real tools and verifies it live.
//!
//! Rules kept here: every address passes [`guard`] (loopback only; wildcards only as bind-only conflict probes);
//! ports come from binding port 0, except where the question names a port (privileged ports, port 65535, labs);
//! when a failure is the expected outcome the conflicting socket is our own; every connect, accept and read has a
//! deadline; bulk experiments close with SO_LINGER 0; counts come from our own handles, never /proc/net/tcp; what
//! the machine cannot do becomes [`Outcome::Unavailable`], never a wrong grade. This module must not read decks,
//! talk to the user or touch the store.
use std::fmt::Display;

use serde::Serialize;

mod addresses;
mod basics;
mod bulk;
mod connecting;
mod env;
pub mod guard;
mod lab;
mod lifecycle;
mod net;
mod protocols;
mod senior;
mod teardown;

pub use env::{Capability, Environment};
pub use lab::{
    LabResult, LabSetup, prepare_lab, prepare_lab_with, service_instructions, verify_lab,
};

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
    runner: Runner,
}

#[derive(Debug, Clone, Copy)]
enum Runner {
    Experiment(fn(&Environment) -> Res<Observation>),
    Lab(lab::LabKind),
}

/// The result of running an experiment.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    /// It ran; the observation decides the right options.
    Observed(Observation),
    /// This machine cannot run it; say `not available here: <reason>` and do not grade.
    Unavailable {
        /// Why, e.g. `IPv6 is not usable on loopback (bind [::1]:0 gave EADDRNOTAVAIL)`.
        reason: String,
    },
    /// The experiment failed or saw something that contradicts what it teaches.
    Errored {
        /// What broke.
        message: String,
    },
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

/// Ids of the experiments (the `practical` card type), for the deck loader and the schema: derived from
/// [`catalogue`], so the two can never disagree.
pub fn experiment_ids() -> &'static [&'static str] {
    static IDS: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| ids_of(|k| matches!(k, Kind::Experiment)));
    &IDS
}

/// Ids of the labs (the `lab` card type), derived from [`catalogue`].
pub fn lab_ids() -> &'static [&'static str] {
    static IDS: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| ids_of(|k| matches!(k, Kind::Lab)));
    &IDS
}

fn ids_of(keep: impl Fn(&Kind) -> bool) -> Vec<&'static str> {
    catalogue()
        .iter()
        .filter(|e| keep(&e.kind))
        .map(|e| e.id)
        .collect()
}

/// Every experiment and lab, in catalogue order.
pub fn catalogue() -> &'static [Experiment] {
    &CATALOGUE
}

/// The entry with this id.
pub fn find(id: &str) -> Option<&'static Experiment> {
    CATALOGUE.iter().find(|experiment| experiment.id == id)
}

/// Runs an experiment (not a lab) on loopback and reports what happened.
pub fn run(experiment: &Experiment, env: &Environment) -> Outcome {
    let Runner::Experiment(body) = experiment.runner else {
        return Outcome::Errored {
            message: format!(
                "{} is a lab: it is prepared and verified, not run",
                experiment.id
            ),
        };
    };
    if !env.ipv4_loopback.available {
        return Outcome::Unavailable {
            reason: format!(
                "IPv4 loopback does not work here ({})",
                env.ipv4_loopback.detail
            ),
        };
    }
    match body(env) {
        Ok(observation) => Outcome::Observed(observation),
        Err(Fail::Unavailable(reason)) => Outcome::Unavailable { reason },
        Err(Fail::Errored(message)) => Outcome::Errored { message },
    }
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

const YES_NO: &[&str] = &["Yes", "No"];

static CATALOGUE: [Experiment; 37] = [
    basics::DOUBLE_BIND,
    basics::TCP_UDP_SAME_PORT,
    basics::EPHEMERAL_PORT_RANGE,
    basics::WHEN_PORT_ASSIGNED,
    basics::CONNECTION_FOUR_TUPLE,
    basics::ACCEPTED_SOCKET_PORT,
    basics::SERVER_SOCKETS_PER_CLIENT,
    basics::UDP_ONE_SOCKET,
    basics::CONNECTION_REFUSED,
    addresses::ADDRESS_PART_OF_ENDPOINT,
    addresses::CONNECTED_UDP_ICMP,
    addresses::LOOPBACK_VS_WILDCARD,
    addresses::DUAL_STACK_V6ONLY,
    addresses::SHARED_CLIENT_PORT,
    lifecycle::TIME_WAIT_REUSEADDR,
    lifecycle::CLOSE_FREES_PORT,
    lifecycle::SO_REUSEPORT,
    lifecycle::PORT_65536,
    lifecycle::PRIVILEGED_PORTS,
    lifecycle::LISTEN_BACKLOG,
    protocols::HTTP_KEEP_ALIVE,
    protocols::WEBSOCKET_UPGRADE,
    bulk::EPOLL_THOUSAND_CONNECTIONS,
    protocols::STREAM_VS_DATAGRAM,
    teardown::CLOSE_WAIT,
    teardown::RST_VS_FIN,
    teardown::HALF_CLOSE,
    teardown::EPIPE_AFTER_RESET,
    connecting::NONBLOCKING_CONNECT,
    connecting::UNIX_DOMAIN_SOCKET,
    connecting::CONNECTED_NEVER_ACCEPTED,
    lab::START_LISTENER,
    lab::CONNECT_CLIENT,
    lab::FIND_SERVICE_PORT,
    senior::STALE_POOLED_SOCKET,
    senior::TCP_USER_TIMEOUT,
    senior::LOCALHOST_V6_FIRST,
];

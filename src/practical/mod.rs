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
mod types;

pub use env::{Capability, Environment};
pub use lab::{
    LabResult, LabSetup, prepare_lab, prepare_lab_with, service_instructions, verify_lab,
};
pub use types::{Experiment, Kind, Observation};
use types::{Fail, Runner};

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

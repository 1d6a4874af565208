//! P24: one thread, one epoll instance, 1000 connections on one listening port. The only experiment that needs
//! many descriptors: it checks RLIMIT_NOFILE first, raises the soft limit when the hard limit allows (and puts it
//! back), runs one at a time in the process, and closes everything with SO_LINGER 0 so no TIME_WAIT stays behind.
//! The libc calls (epoll, getrlimit, setrlimit) live in the small `sys` module below.
use std::collections::BTreeSet;
use std::os::fd::AsRawFd;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::basics::lo;
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, claim};

/// Connections the experiment holds at once.
pub(crate) const CONNECTIONS: usize = 1000;
/// Descriptors it needs: both ends of every connection, plus room for the rest of the process.
pub(crate) const FDS_NEEDED: u64 = 2 * CONNECTIONS as u64 + 128;
/// The soft limit it raises to when it must (capped by the hard limit): room for the other threads too.
pub(crate) const FDS_RAISED: u64 = 4096;

/// Only one bulk run at a time per process: descriptors and the fd limit are shared by all threads.
static BULK: Mutex<()> = Mutex::new(());

pub(super) const EPOLL_THOUSAND_CONNECTIONS: Experiment = Experiment {
    id: "epoll-thousand-connections",
    kind: Kind::Experiment,
    title: "1000 connections, one port, one thread",
    question: "Can one thread hold 1000 simultaneous TCP connections on one listening port?",
    options: &[
        "Yes, all on the same port",
        "No: each connection needs its own server port",
        "No: one thread serves one connection at a time",
    ],
    explain: "This is how Node serves server.listen(3000): one thread, one epoll instance, and a \
              socket per client, all with the same local port. The limit is not the port but the number of open \
              file descriptors (RLIMIT_NOFILE), since every socket is one.",
    runner: Runner::Experiment(epoll_thousand_connections),
};

fn epoll_thousand_connections(env: &Environment) -> Res<Observation> {
    let fits = |limit: Option<u64>| limit.is_none_or(|limit| limit >= FDS_NEEDED);
    if !fits(env.nofile_hard) {
        return Err(Fail::Unavailable(format!(
            "the open-files limit here is {} (hard {}), and {CONNECTIONS} connections with both ends in one \
             process need about {FDS_NEEDED} descriptors; try `ulimit -n 4096` before starting portquiz",
            env.nofile_soft
                .map_or_else(|| "unlimited".to_string(), |v| v.to_string()),
            env.nofile_hard
                .map_or_else(|| "unlimited".to_string(), |v| v.to_string()),
        )));
    }
    let _one_at_a_time = BULK.lock().unwrap_or_else(PoisonError::into_inner);
    let mut note = None;
    let mut restore = None;
    if !fits(env.nofile_soft) {
        let before = sys::nofile().step("getrlimit(RLIMIT_NOFILE)")?;
        if before.0 < FDS_NEEDED {
            let raised = FDS_RAISED.min(before.1);
            sys::set_nofile_soft(raised, before.1).step("setrlimit(RLIMIT_NOFILE)")?;
            restore = Some(before);
            note = Some(format!(
                "the soft open-files limit here is {}; portquiz raised it to {raised} for this run (hard limit {})",
                before.0, before.1
            ));
        }
    }
    let result = hold_connections(env);
    if let Some((soft, hard)) = restore {
        sys::set_nofile_soft(soft, hard).step("setrlimit(RLIMIT_NOFILE) back")?;
    }
    let (log, port) = result?;
    let note = note.or_else(|| {
        env.nofile_soft.map(|soft| {
            format!("the open-files limit here is {soft}; with `ulimit -n 1024` this many pairs would hit EMFILE")
        })
    });
    Ok(log.observe(
        0,
        format!(
            "yes: one thread accepted {CONNECTIONS} connections, every one on local port {port}"
        ),
        note,
    ))
}

fn hold_connections(env: &Environment) -> Res<(Log, u16)> {
    let mut log = Log::default();
    let backlog = env.somaxconn.map_or(1024, |cap| cap.min(1024));
    let (listener, addr) = net::listener_backlog(
        lo(0),
        Opts::default(),
        i32::try_from(backlog).unwrap_or(128),
    )
    .step("listen")?;
    listener.set_nonblocking(true).step("O_NONBLOCK")?;
    let epoll = sys::Epoll::new().step("epoll_create1")?;
    epoll
        .add_readable(listener.as_raw_fd())
        .step("epoll_ctl(ADD listener)")?;
    log.step("TCP", format!("listen {addr}, epoll_ctl(ADD)"), "ok");

    let mut clients = Vec::with_capacity(CONNECTIONS);
    let mut accepted = Vec::with_capacity(CONNECTIONS);
    let mut wakeups = 0usize;
    let accept_ready =
        |accepted: &mut Vec<socket2::Socket>, wakeups: &mut usize, wait_ms: i32| -> Res<()> {
            if epoll.wait(wait_ms).step("epoll_wait")? > 0 {
                *wakeups += 1;
                loop {
                    match listener.accept() {
                        Ok((socket, _)) => {
                            net::abortive(&socket).step("SO_LINGER")?;
                            accepted.push(socket);
                        }
                        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => break,
                        Err(err) => {
                            return Err(Fail::Errored(format!(
                                "accept gave {}",
                                net::errno_name(&err)
                            )));
                        }
                    }
                }
            }
            Ok(())
        };
    for n in 0..CONNECTIONS {
        let client = net::tcp_socket(addr, Opts::default())
            .step(format!("socket() for client {}", n + 1))?;
        net::abortive(&client).step("SO_LINGER")?;
        net::connect_nonblocking(&client, addr).step(format!("connect client {}", n + 1))?;
        clients.push(client);
        if n % 64 == 63 {
            accept_ready(&mut accepted, &mut wakeups, 0)?;
        }
    }
    log.step(
        "TCP",
        format!("{CONNECTIONS} nonblocking connects"),
        "EINPROGRESS or done",
    );
    let deadline = Instant::now() + Duration::from_secs(2);
    while accepted.len() < CONNECTIONS && Instant::now() < deadline {
        accept_ready(&mut accepted, &mut wakeups, 50)?;
    }
    log.step(
        "TCP",
        "epoll_wait + accept until EAGAIN",
        format!("{} accepted in {wakeups} wakeups", accepted.len()),
    );
    claim(accepted.len() == CONNECTIONS, || {
        format!(
            "expected {CONNECTIONS} accepted connections, got {}",
            accepted.len()
        )
    })?;
    let mut locals = BTreeSet::new();
    let mut peers = BTreeSet::new();
    for socket in &accepted {
        locals.insert(net::local(socket).step("getsockname")?.port());
        peers.insert(net::peer(socket).step("getpeername")?.port());
    }
    log.step(
        "",
        "accepted sockets: local ports / peer ports",
        format!(
            "{} (port {}) / {} distinct",
            locals.len(),
            addr.port(),
            peers.len()
        ),
    );
    claim(
        locals.len() == 1 && locals.contains(&addr.port()) && peers.len() == CONNECTIONS,
        || {
            format!(
                "expected one local port and {CONNECTIONS} peers, saw {} and {}",
                locals.len(),
                peers.len()
            )
        },
    )?;
    log.step("", "close all with SO_LINGER 0", "no TIME_WAIT left");
    drop(clients);
    drop(accepted);
    Ok((log, addr.port()))
}

/// The libc calls std and socket2 do not offer. Each unsafe block is as small as it can be.
mod sys {
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

    /// An epoll instance, closed on drop.
    pub(super) struct Epoll(OwnedFd);

    impl Epoll {
        #[allow(unsafe_code)]
        pub(super) fn new() -> io::Result<Self> {
            // SAFETY: epoll_create1 takes no pointers; it returns a new descriptor or -1.
            let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: fd was just returned by epoll_create1, is valid and owned by nobody else.
            Ok(Epoll(unsafe { OwnedFd::from_raw_fd(fd) }))
        }

        #[allow(unsafe_code)]
        pub(super) fn add_readable(&self, fd: RawFd) -> io::Result<()> {
            let mut event = libc::epoll_event {
                events: libc::EPOLLIN as u32,
                u64: 0,
            };
            // SAFETY: both descriptors are open for the duration of the call; event is a valid, writable struct.
            let rc =
                unsafe { libc::epoll_ctl(self.0.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut event) };
            if rc < 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(())
            }
        }

        /// Waits up to `timeout_ms` and returns how many descriptors are ready.
        #[allow(unsafe_code)]
        pub(super) fn wait(&self, timeout_ms: i32) -> io::Result<usize> {
            let mut events = [libc::epoll_event { events: 0, u64: 0 }; 8];
            // SAFETY: events points to 8 writable epoll_event structs and we pass 8 as the maximum.
            let rc =
                unsafe { libc::epoll_wait(self.0.as_raw_fd(), events.as_mut_ptr(), 8, timeout_ms) };
            match rc {
                n if n >= 0 => Ok(usize::try_from(n).unwrap_or(0)),
                _ => {
                    let err = io::Error::last_os_error();
                    if err.kind() == io::ErrorKind::Interrupted {
                        Ok(0)
                    } else {
                        Err(err)
                    }
                }
            }
        }
    }

    /// (soft, hard) RLIMIT_NOFILE.
    #[allow(unsafe_code)]
    pub(super) fn nofile() -> io::Result<(u64, u64)> {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the rlimit struct we own.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok((limit.rlim_cur, limit.rlim_max))
    }

    /// Sets the soft RLIMIT_NOFILE, keeping the hard one.
    #[allow(unsafe_code)]
    pub(super) fn set_nofile_soft(soft: u64, hard: u64) -> io::Result<()> {
        let limit = libc::rlimit {
            rlim_cur: soft.min(hard),
            rlim_max: hard,
        };
        // SAFETY: setrlimit only reads the rlimit struct we pass.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

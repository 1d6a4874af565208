//! P15-P20: what happens to a port over a socket's life and at the edges: TIME_WAIT and SO_REUSEADDR, closing,
//! SO_REUSEPORT, the 16-bit limit, privileged ports and the listen backlog. Privileged ports and the backlog
//! depend on the environment: the expected answer is computed from [`Environment`] and cross-checked.
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::basics::lo;
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, YES_NO, claim, is_errno,
    option_index, result_text,
};

pub(super) const TIME_WAIT_REUSEADDR: Experiment = Experiment {
    id: "time-wait-reuseaddr",
    kind: Kind::Experiment,
    title: "Restarting a server during TIME_WAIT",
    question: "A server on port P closed a connection first, then exited. It restarts at once and binds P without \
               SO_REUSEADDR. Does bind() succeed?",
    options: &["Yes", "No, EADDRINUSE"],
    explain: "The side that closes a TCP connection first keeps it in TIME_WAIT (60 s on Linux), and that \
              connection still uses the server's port. A socket lives longer than the program's interest in it. \
              SO_REUSEADDR on both the old and the new listener lets a restart bind anyway, which is why servers \
              (and Rust's std TcpListener) set it.",
    runner: Runner::Experiment(time_wait_reuseaddr),
};

/// Listener with `old` options; one connection that the server closes first; then rebinding P with `new`.
fn restart(log: &mut Log, old: Opts, new: Opts) -> Res<io::Result<()>> {
    let (listener, addr) = net::listener(lo(0), old).step("TCP listen on 127.0.0.1:0")?;
    let client = net::connect(addr).step("connect")?;
    let (accepted, _) = net::accept(&listener).step("accept")?;
    drop(accepted);
    // Wait for the server's FIN to reach the client before the client closes, so the server side is the one
    // that closed first.
    let mut buf = [0u8; 8];
    let eof = io::Read::read(&mut &client, &mut buf).step("client read after the server closed")?;
    claim(eof == 0, || {
        format!("expected end of stream at the client, got {eof} bytes")
    })?;
    drop(client);
    drop(listener);
    let fresh = net::tcp_socket(addr, new).step("TCP socket()")?;
    let result = net::bind(&fresh, addr);
    let label = |opts: Opts| {
        if opts.reuse_addr {
            "SO_REUSEADDR"
        } else {
            "no option"
        }
    };
    log.step(
        "TCP",
        format!("old listener {}, restart {}", label(old), label(new)),
        format!("bind {addr}: {}", result_text(&result)),
    );
    Ok(result)
}

fn time_wait_reuseaddr(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    log.say("each row: listen on P, accept, the server closes first, the client closes, the listener exits");
    let plain = restart(&mut log, Opts::default(), Opts::default())?;
    let half = restart(&mut log, Opts::default(), Opts::REUSEADDR)?;
    let reuse_plain = restart(&mut log, Opts::REUSEADDR, Opts::default())?;
    let both = restart(&mut log, Opts::REUSEADDR, Opts::REUSEADDR)?;
    for (what, result) in [
        ("no option then no option", &plain),
        ("no option then SO_REUSEADDR", &half),
    ] {
        claim(is_errno(result, libc::EADDRINUSE), || {
            format!(
                "expected EADDRINUSE for {what}, saw {}",
                result_text(result)
            )
        })?;
    }
    claim(is_errno(&reuse_plain, libc::EADDRINUSE), || {
        format!(
            "expected EADDRINUSE for SO_REUSEADDR then no option, saw {}",
            result_text(&reuse_plain)
        )
    })?;
    claim(both.is_ok(), || {
        format!(
            "expected SO_REUSEADDR on both to bind, saw {}",
            result_text(&both)
        )
    })?;
    Ok(log.observe(
        1,
        "no: the closed connection sits in TIME_WAIT on port P; only SO_REUSEADDR on old and new listener binds",
        Some("the TIME_WAIT entries left by this experiment expire by themselves after 60 s".to_string()),
    ))
}

pub(super) const CLOSE_FREES_PORT: Experiment = Experiment {
    id: "close-frees-port",
    kind: Kind::Experiment,
    title: "Closing frees the port",
    question: "A listener that never had a connection is closed. Can its port be bound again at once, without \
               SO_REUSEADDR?",
    options: YES_NO,
    explain: "The port belongs to the socket, and the socket lives as long as some file descriptor refers to it. \
              Close the last one and the port is free again, unlike a port held by a TIME_WAIT connection. A \
              dup()ed or inherited descriptor keeps the socket, and the port, alive.",
    runner: Runner::Experiment(close_frees_port),
};

fn close_frees_port(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    for _attempt in 0..5 {
        let (listener, addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        drop(listener);
        let tcp = net::listener(addr, Opts::default());
        log.step(
            "TCP",
            format!("listen {addr}, close, bind+listen again"),
            result_text(&tcp),
        );
        let udp_first = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
        let udp_addr = udp_first.local_addr().step("getsockname")?;
        drop(udp_first);
        let udp = net::udp_bind(udp_addr, Opts::default());
        log.step(
            "UDP",
            format!("bind {udp_addr}, close, bind again"),
            result_text(&udp),
        );
        if tcp.is_err() || udp.is_err() {
            claim(
                is_errno(&tcp, libc::EADDRINUSE) || is_errno(&udp, libc::EADDRINUSE),
                || {
                    format!(
                        "rebinding gave {} and {}",
                        result_text(&tcp),
                        result_text(&udp)
                    )
                },
            )?;
            log.say("     (another program took the port in between; trying a fresh port)");
            continue;
        }
        drop((tcp, udp));

        let (original, dup_addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        let duplicate = original.try_clone().step("dup()")?;
        drop(original);
        let (blocked, held) = log.try_bind(
            dup_addr,
            Opts::default(),
            format!("listen {dup_addr}, dup(), close the original, bind"),
        )?;
        claim(is_errno(&held, libc::EADDRINUSE), || {
            format!(
                "expected EADDRINUSE while the dup is open, saw {}",
                result_text(&held)
            )
        })?;
        drop(duplicate);
        let freed = net::bind(&blocked, dup_addr);
        log.step("TCP", "close the dup too, bind again", result_text(&freed));
        claim(freed.is_ok() || is_errno(&freed, libc::EADDRINUSE), || {
            format!(
                "unexpected result after closing the dup: {}",
                result_text(&freed)
            )
        })?;
        return Ok(log.observe(
            0,
            "yes: closing the last descriptor frees the port at once; an open dup keeps it taken",
            None,
        ));
    }
    Err(Fail::Unavailable(
        "five freed ports in a row were taken by other programs at once".to_string(),
    ))
}

pub(super) const SO_REUSEPORT: Experiment = Experiment {
    id: "so-reuseport",
    kind: Kind::Experiment,
    title: "Two listeners on one port with SO_REUSEPORT",
    question: "Can two TCP sockets listen on 127.0.0.1:P at the same time?",
    options: &[
        "Yes, if both set SO_REUSEPORT",
        "No, never: EADDRINUSE",
        "Yes, if both set SO_REUSEADDR",
    ],
    explain: "With SO_REUSEPORT (same user) the kernel lets several listening sockets share one port and spreads \
              new connections between them by a hash of the 4-tuple; nginx's `reuseport` listen option uses this \
              (Node's cluster does not by default: its primary hands out connections round-robin). \
              Without it, or with SO_REUSEADDR alone, the second listener gets EADDRINUSE.",
    runner: Runner::Experiment(so_reuseport),
};

fn so_reuseport(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (a, addr) = net::listener(lo(0), Opts::REUSEPORT).step("TCP listen with SO_REUSEPORT")?;
    log.step("TCP", format!("a: SO_REUSEPORT, listen {addr}"), "ok");
    let b = net::listener(addr, Opts::REUSEPORT);
    log.step(
        "TCP",
        format!("b: SO_REUSEPORT, listen {addr}"),
        result_text(&b),
    );
    let (b, _) = b.step(format!("second SO_REUSEPORT listener on {addr}"))?;
    let (_plain, plain_bind) =
        log.try_bind(addr, Opts::default(), format!("c: no options, bind {addr}"))?;
    let (_reuse, reuse_bind) = log.try_bind(
        addr,
        Opts::REUSEADDR,
        format!("d: SO_REUSEADDR only, bind {addr}"),
    )?;
    claim(
        is_errno(&plain_bind, libc::EADDRINUSE) && is_errno(&reuse_bind, libc::EADDRINUSE),
        || {
            format!(
                "expected EADDRINUSE for c and d, saw {} and {}",
                result_text(&plain_bind),
                result_text(&reuse_bind)
            )
        },
    )?;

    const CLIENTS: usize = 16;
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let client = net::connect(addr).step("connect")?;
        net::abortive(&client).step("SO_LINGER")?;
        clients.push(client);
    }
    a.set_nonblocking(true).step("O_NONBLOCK")?;
    b.set_nonblocking(true).step("O_NONBLOCK")?;
    let (mut on_a, mut on_b) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + net::DEADLINE;
    while on_a.len() + on_b.len() < CLIENTS && Instant::now() < deadline {
        drain(&a, &mut on_a)?;
        drain(&b, &mut on_b)?;
        std::thread::sleep(Duration::from_millis(2));
    }
    log.step(
        "TCP",
        format!("{CLIENTS} clients connect {addr}"),
        format!(
            "a accepted {}, b accepted {} (split by a hash)",
            on_a.len(),
            on_b.len()
        ),
    );
    claim(on_a.len() + on_b.len() == CLIENTS, || {
        format!(
            "expected {CLIENTS} accepted connections, saw {}",
            on_a.len() + on_b.len()
        )
    })?;
    let udp_a = net::udp_bind(lo(0), Opts::REUSEPORT).step("UDP bind with SO_REUSEPORT")?;
    let udp_addr = udp_a.local_addr().step("getsockname")?;
    let udp_b = net::udp_bind(udp_addr, Opts::REUSEPORT);
    log.step(
        "UDP",
        format!("two SO_REUSEPORT sockets bind {udp_addr}"),
        result_text(&udp_b),
    );
    claim(udp_b.is_ok(), || {
        format!(
            "expected two UDP SO_REUSEPORT sockets to share, saw {}",
            result_text(&udp_b)
        )
    })?;
    Ok(log.observe(
        0,
        "yes, with SO_REUSEPORT on both: the kernel spread the connections over the two listeners",
        None,
    ))
}

fn drain(listener: &socket2::Socket, into: &mut Vec<socket2::Socket>) -> Res<()> {
    loop {
        match listener.accept() {
            Ok((socket, _)) => into.push(socket),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "accept gave {}",
                    net::errno_name(&err)
                )));
            }
        }
    }
}

pub(super) const PORT_65536: Experiment = Experiment {
    id: "port-65536",
    kind: Kind::Experiment,
    title: "Port 65536",
    question: "Can a program bind port 65536?",
    options: &["Yes", "No: a port is a 16-bit number, 0-65535"],
    explain: "Ports run from 0 to 65535: the port field in TCP and UDP headers is 16 bits. 65536 cannot \
              even be written into a socket address; and 0 is not a real port but a request for any free one.",
    runner: Runner::Experiment(port_65536),
};

fn port_65536(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let parsed = "127.0.0.1:65536".parse::<SocketAddr>();
    log.step(
        "",
        "parse \"127.0.0.1:65536\" as a socket address",
        match &parsed {
            Ok(addr) => format!("ok: {addr}"),
            Err(err) => format!("error: {err}"),
        },
    );
    claim(parsed.is_err(), || {
        "127.0.0.1:65536 parsed as a socket address".to_string()
    })?;
    let wide: u32 = 65_536;
    let converted = u16::try_from(wide);
    log.step(
        "",
        "u16::try_from(65536)",
        if converted.is_err() {
            "error: out of range"
        } else {
            "ok"
        },
    );
    claim(converted.is_err(), || "65536 fits in a u16".to_string())?;
    #[allow(clippy::cast_possible_truncation)]
    let truncated = wide as u16;
    log.step(
        "",
        "the trap: 65536 as u16 (C's htons does the same)",
        format!("{truncated}, i.e. \"any port\""),
    );
    let top = lo(u16::MAX);
    let socket = net::tcp_socket(top, Opts::default()).step("TCP socket()")?;
    let bound = net::bind(&socket, top);
    let text = match &bound {
        Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {
            "EADDRINUSE: valid, but busy".to_string()
        }
        other => result_text(other),
    };
    log.step("TCP", format!("bind {top} (bind only)"), &text);
    claim(bound.is_ok() || is_errno(&bound, libc::EADDRINUSE), || {
        format!("bind {top} gave {text}")
    })?;
    Ok(log.observe(
        1,
        "no: 65535 is the highest port; 65536 does not fit in 16 bits",
        None,
    ))
}

pub(super) const PRIVILEGED_PORTS: Experiment = Experiment {
    id: "privileged-ports",
    kind: Kind::Experiment,
    title: "Privileged ports",
    question: "Can portquiz, running as you right now, bind 127.0.0.1:80?",
    options: &["Yes", "No, EACCES"],
    explain: "Ports below net.ipv4.ip_unprivileged_port_start (1024 by default) are reserved for root or a \
              process with CAP_NET_BIND_SERVICE; that is why well-known ports (80 HTTP, 443 HTTPS) \
              belong to system services while a Node app picks 3000. The answer depends on who runs the program.",
    runner: Runner::Experiment(privileged_ports),
};

/// One bind attempt of the privileged-ports experiment.
#[derive(Debug)]
pub(crate) struct PortBind {
    pub(crate) proto: &'static str,
    pub(crate) port: u16,
    pub(crate) result: io::Result<()>,
}

fn privileged_ports(env: &Environment) -> Res<Observation> {
    let mut binds = Vec::new();
    for port in [80, 1023, 1024] {
        let addr = lo(port);
        let socket = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
        binds.push(PortBind {
            proto: "TCP",
            port,
            result: net::bind(&socket, addr),
        });
    }
    let udp = net::udp_socket(lo(1023), Opts::default()).step("UDP socket()")?;
    binds.push(PortBind {
        proto: "UDP",
        port: 1023,
        result: net::bind(&udp, lo(1023)),
    });
    judge_privileged(env, &binds)
}

/// Decides the privileged-ports answer from the binds and checks it against what the environment predicts.
pub(crate) fn judge_privileged(env: &Environment, binds: &[PortBind]) -> Res<Observation> {
    let mut log = Log::default();
    let start = env.unprivileged_port_start;
    let privileged = env.may_bind_privileged();
    let mut answer = None;
    for bind in binds {
        let allowed = match &bind.result {
            Ok(()) => true,
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => true,
            Err(err) if err.raw_os_error() == Some(libc::EACCES) => false,
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "bind port {} gave {}",
                    bind.port,
                    net::errno_name(err)
                )));
            }
        };
        let text = match &bind.result {
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {
                "EADDRINUSE: allowed, but busy".to_string()
            }
            other => result_text(other),
        };
        log.step(
            bind.proto,
            format!("bind 127.0.0.1:{} (bind only)", bind.port),
            text,
        );
        let predicted = match (start, privileged) {
            (Some(start), _) if bind.port >= start => Some(true),
            (Some(_), Some(may)) => Some(may),
            _ => None,
        };
        if let Some(predicted) = predicted {
            claim(predicted == allowed, || {
                format!(
                    "port {}: the environment predicts {} but bind gave {}",
                    bind.port,
                    if predicted { "success" } else { "EACCES" },
                    result_text(&bind.result)
                )
            })?;
        }
        if bind.port == 80 && bind.proto == "TCP" {
            answer = Some(allowed);
        }
    }
    let Some(allowed) = answer else {
        return Err(Fail::Errored("port 80 was not tried".to_string()));
    };
    let who = match env.euid {
        Some(0) => "you are root here (euid 0)".to_string(),
        Some(uid) if env.cap_net_bind_service == Some(true) => {
            format!("you are uid {uid} with CAP_NET_BIND_SERVICE")
        }
        Some(uid) => format!("you are uid {uid} without CAP_NET_BIND_SERVICE"),
        None => "your user id could not be read".to_string(),
    };
    let limit = start.map_or_else(
        || "the unprivileged start (unknown here)".to_string(),
        |s| s.to_string(),
    );
    let note = match (start, allowed) {
        (Some(0..=80), true) => format!(
            "ip_unprivileged_port_start is {limit} here (common in containers), so any user may bind port 80; \
             with the usual 1024, an ordinary user gets EACCES"
        ),
        (_, true) => format!(
            "{who}, so port 80 binds; an ordinary user without CAP_NET_BIND_SERVICE gets EACCES below {limit}"
        ),
        (_, false) => format!(
            "{who}, so ports below {limit} give EACCES; root or a process with CAP_NET_BIND_SERVICE may bind them"
        ),
    };
    let conclusion = if allowed {
        "yes: this process may bind port 80 (see the note for why)"
    } else {
        "no: EACCES, port 80 is below the unprivileged start and this process lacks the privilege"
    };
    Ok(log.observe(
        option_index(
            PRIVILEGED_PORTS.options,
            if allowed { "Yes" } else { "No, EACCES" },
        )?,
        conclusion,
        Some(note),
    ))
}

pub(super) const LISTEN_BACKLOG: Experiment = Experiment {
    id: "listen-backlog",
    kind: Kind::Experiment,
    title: "The listen backlog",
    question: "A server calls listen(1) and never calls accept(). Four clients connect. How many complete connect()?",
    options: &["1", "2", "3", "All 4"],
    explain: "The kernel completes the TCP handshake before the program calls accept(): finished connections wait \
              in the accept queue, whose size the backlog sets. Linux lets backlog + 1 in; later clients are not \
              refused, their handshake just waits and retries. Sockets exist before the program ever sees them.",
    runner: Runner::Experiment(listen_backlog),
};

fn listen_backlog(env: &Environment) -> Res<Observation> {
    const BACKLOG: u32 = 1;
    const CLIENTS: usize = 4;
    let mut log = Log::default();
    let effective = env.somaxconn.map_or(BACKLOG, |cap| cap.min(BACKLOG));
    let expected = usize::try_from(effective)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let (listener, addr) = net::listener_backlog(lo(0), Opts::default(), 1).step("listen(1)")?;
    log.step("TCP", format!("bind {addr}, listen(1), never accept"), "ok");
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let client = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
        net::abortive(&client).step("SO_LINGER")?;
        net::connect_nonblocking(&client, addr).step("nonblocking connect")?;
        clients.push(client);
    }
    let start = Instant::now();
    let mut last_change = start;
    let mut connected = 0;
    while last_change.elapsed() < net::QUIET && start.elapsed() < Duration::from_secs(1) {
        let now = clients
            .iter()
            .filter(|client| net::peer(client).is_ok())
            .count();
        if now != connected {
            connected = now;
            last_change = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    for client in &clients {
        if let Ok(Some(err)) = client.take_error() {
            return Err(Fail::Errored(format!(
                "a pending client failed with {}",
                net::errno_name(&err)
            )));
        }
    }
    log.step(
        "TCP",
        format!("{CLIENTS} nonblocking connects, watch until quiet"),
        format!(
            "{connected} connected, {} still waiting",
            CLIENTS - connected
        ),
    );
    drop(listener);
    claim(connected == expected, || {
        format!(
            "expected backlog + 1 = {expected} connected clients (somaxconn {:?}), saw {connected}",
            env.somaxconn
        )
    })?;
    let answer = if connected == CLIENTS {
        "All 4".to_string()
    } else {
        connected.to_string()
    };
    let note = match env.tcp_abort_on_overflow {
        Some(true) => {
            Some("tcp_abort_on_overflow is 1 here: overflowing clients may get a reset".to_string())
        }
        _ => env
            .somaxconn
            .map(|cap| format!("somaxconn is {cap} here; it caps any backlog a program asks for")),
    };
    Ok(log.observe(
        option_index(LISTEN_BACKLOG.options, &answer)?,
        format!("{connected}: Linux completes backlog + 1 handshakes before anyone calls accept()"),
        note,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn eacces() -> io::Result<()> {
        Err(io::Error::from_raw_os_error(libc::EACCES))
    }

    fn user_env(uid: u32, cap: bool, start: u16) -> Environment {
        let mut env = Environment::detect();
        env.euid = Some(uid);
        env.cap_net_bind_service = Some(cap);
        env.unprivileged_port_start = Some(start);
        env
    }

    fn binds(low: fn() -> io::Result<()>) -> Vec<PortBind> {
        vec![
            PortBind {
                proto: "TCP",
                port: 80,
                result: low(),
            },
            PortBind {
                proto: "TCP",
                port: 1023,
                result: low(),
            },
            PortBind {
                proto: "TCP",
                port: 1024,
                result: Ok(()),
            },
            PortBind {
                proto: "UDP",
                port: 1023,
                result: low(),
            },
        ]
    }

    #[test]
    fn ordinary_user_gets_eacces_below_1024() {
        let observation = judge_privileged(&user_env(1000, false, 1024), &binds(eacces)).unwrap();
        assert_eq!(observation.correct, vec![1]);
        assert_eq!(
            observation.note.as_deref(),
            Some(
                "you are uid 1000 without CAP_NET_BIND_SERVICE, so ports below 1024 give EACCES; root or a process \
                 with CAP_NET_BIND_SERVICE may bind them"
            )
        );
        assert_eq!(
            observation.transcript[0],
            "TCP  bind 127.0.0.1:80 (bind only)                       EACCES"
        );
    }

    #[test]
    fn capability_or_low_start_lets_a_user_bind_80() {
        let with_cap = judge_privileged(&user_env(1000, true, 1024), &binds(|| Ok(()))).unwrap();
        assert_eq!(with_cap.correct, vec![0]);
        assert_eq!(
            with_cap.note.as_deref(),
            Some(
                "you are uid 1000 with CAP_NET_BIND_SERVICE, so port 80 binds; an ordinary user without \
                 CAP_NET_BIND_SERVICE gets EACCES below 1024"
            )
        );
        let container = judge_privileged(&user_env(1000, false, 0), &binds(|| Ok(()))).unwrap();
        assert_eq!(container.correct, vec![0]);
        assert!(
            container
                .note
                .unwrap()
                .starts_with("ip_unprivileged_port_start is 0 here")
        );
    }

    #[test]
    fn a_result_that_contradicts_the_environment_is_an_error_not_a_grade() {
        let Err(Fail::Errored(message)) =
            judge_privileged(&user_env(1000, false, 1024), &binds(|| Ok(())))
        else {
            panic!("expected an error");
        };
        assert_eq!(
            message,
            "port 80: the environment predicts EACCES but bind gave ok"
        );
    }
}

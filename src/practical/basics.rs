//! P01-P09: binding, ephemeral ports, the 4-tuple, accepted sockets, UDP's single socket, refused connections.
//! Each function does the syscalls through [`super::net`], checks every claim it makes and reports an
//! [`Observation`]; it must not grade, print or touch anything outside loopback.
use std::collections::BTreeSet;
use std::net::{Ipv6Addr, SocketAddr};

use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, YES_NO, claim, is_errno,
    option_index, result_text,
};

/// 127.0.0.1:port.
pub(crate) fn lo(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// [::1]:port.
pub(crate) fn lo6(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv6Addr::LOCALHOST, port))
}

/// Checks that `port` is inside ip_local_port_range when the range is known.
pub(crate) fn in_range(env: &Environment, port: u16) -> bool {
    env.local_port_range
        .is_none_or(|(lo, hi)| (lo..=hi).contains(&port))
}

pub(super) const DOUBLE_BIND: Experiment = Experiment {
    id: "double-bind",
    kind: Kind::Experiment,
    title: "Two TCP sockets, one address and port",
    question: "A TCP listener already owns 127.0.0.1:P. A second TCP socket calls bind(127.0.0.1:P). What happens?",
    options: &["EADDRINUSE", "It binds fine", "EACCES"],
    explain: "A port is not \"used\" by a program or a number on its own: it is used by a socket, and a socket is \
              protocol + IP address + port. While one TCP socket owns 127.0.0.1:P, no second TCP socket can take the \
              same triple; SO_REUSEADDR does not change that for a live listener.",
    runner: Runner::Experiment(double_bind),
};

fn double_bind(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (first, addr) = net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step(
        "TCP",
        format!("bind {addr} + listen"),
        "ok, listening (socket 1)",
    );
    let (second, result) =
        log.try_bind(addr, Opts::default(), format!("bind {addr} (socket 2)"))?;
    let answer = match &result {
        Ok(()) => "It binds fine",
        Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => "EADDRINUSE",
        Err(err) if err.raw_os_error() == Some(libc::EACCES) => "EACCES",
        Err(err) => {
            return Err(Fail::Errored(format!(
                "second bind gave {}",
                net::errno_name(err)
            )));
        }
    };
    claim(answer == "EADDRINUSE", || {
        format!("expected EADDRINUSE for the second bind of {addr}, saw {answer}")
    })?;
    drop((first, second));

    // SO_REUSEADDR on both sockets does not let a second socket in while the first listens.
    let (reuse_first, reuse_addr) =
        net::listener(lo(0), Opts::REUSEADDR).step("TCP listen with SO_REUSEADDR")?;
    let (reuse_second, reuse) = log.try_bind(
        reuse_addr,
        Opts::REUSEADDR,
        format!("both SO_REUSEADDR, 1st listening: bind {reuse_addr}"),
    )?;
    claim(is_errno(&reuse, libc::EADDRINUSE), || {
        format!(
            "expected EADDRINUSE with SO_REUSEADDR on a listening port, saw {}",
            result_text(&reuse)
        )
    })?;
    drop((reuse_first, reuse_second));

    // Both SO_REUSEADDR, neither listening: both binds work, the second listen() does not.
    let idle_first = net::tcp_socket(lo(0), Opts::REUSEADDR).step("TCP socket()")?;
    net::bind(&idle_first, lo(0)).step("TCP bind 127.0.0.1:0")?;
    let idle_addr = net::local(&idle_first).step("getsockname")?;
    let (idle_second, idle_bind) = log.try_bind(
        idle_addr,
        Opts::REUSEADDR,
        format!("both SO_REUSEADDR, none listening: bind {idle_addr}"),
    )?;
    claim(idle_bind.is_ok(), || {
        format!(
            "expected the second bind to work, saw {}",
            result_text(&idle_bind)
        )
    })?;
    idle_first.listen(16).step("first listen()")?;
    let second_listen = idle_second.listen(16);
    log.step(
        "TCP",
        "  then listen() on both",
        format!("1st ok, 2nd {}", result_text(&second_listen)),
    );
    claim(is_errno(&second_listen, libc::EADDRINUSE), || {
        format!(
            "expected EADDRINUSE from the second listen(), saw {}",
            result_text(&second_listen)
        )
    })?;
    drop((idle_first, idle_second));

    // UDP: the same rule without options, and SO_REUSEADDR on both lets two sockets share.
    let udp_first = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
    let udp_addr = udp_first.local_addr().step("getsockname")?;
    let udp_second = net::udp_bind(udp_addr, Opts::default());
    log.step(
        "UDP",
        format!("bind {udp_addr} twice, no options"),
        result_text(&udp_second),
    );
    claim(is_errno(&udp_second, libc::EADDRINUSE), || {
        format!(
            "expected EADDRINUSE for a second UDP bind, saw {}",
            result_text(&udp_second)
        )
    })?;
    let shared_first = net::udp_bind(lo(0), Opts::REUSEADDR).step("UDP bind with SO_REUSEADDR")?;
    let shared_addr = shared_first.local_addr().step("getsockname")?;
    let shared_second = net::udp_bind(shared_addr, Opts::REUSEADDR);
    log.step(
        "UDP",
        format!("bind {shared_addr} twice, both SO_REUSEADDR"),
        result_text(&shared_second),
    );
    claim(shared_second.is_ok(), || {
        format!(
            "expected two UDP sockets with SO_REUSEADDR to share, saw {}",
            result_text(&shared_second)
        )
    })?;
    let correct = option_index(DOUBLE_BIND.options, answer)?;
    Ok(log.observe(
        correct,
        "EADDRINUSE: a TCP socket already owns 127.0.0.1:P, and one (protocol, address, port) has one owner",
        None,
    ))
}

pub(super) const TCP_UDP_SAME_PORT: Experiment = Experiment {
    id: "tcp-udp-same-port",
    kind: Kind::Experiment,
    title: "TCP and UDP on the same port",
    question: "Can a TCP socket and a UDP socket both bind 127.0.0.1:P at the same time?",
    options: YES_NO,
    explain: "TCP port 53 and UDP port 53 are different endpoints: the protocol is part of a socket, next to the IP \
              address and the port. That is why one number can serve DNS over both protocols at once.",
    runner: Runner::Experiment(tcp_udp_same_port),
};

fn tcp_udp_same_port(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    for _attempt in 0..5 {
        let (listener, addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        log.step("TCP", format!("bind {addr} + listen"), "ok, listening");
        let udp = match net::udp_bind(addr, Opts::default()) {
            Ok(udp) => udp,
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {
                log.step(
                    "UDP",
                    format!("bind {addr}"),
                    "EADDRINUSE: another program holds it for UDP, new port",
                );
                continue;
            }
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "UDP bind {addr} gave {}",
                    net::errno_name(&err)
                )));
            }
        };
        log.step("UDP", format!("bind {addr}"), "ok");
        let sender = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
        net::send_to(&sender, b"hi", addr).step("UDP sendto")?;
        let mut buf = [0u8; 16];
        let (len, _from) = udp.recv_from(&mut buf).step("UDP recvfrom")?;
        log.step(
            "UDP",
            format!("sendto {addr} \"hi\""),
            format!("the UDP socket got {:?}", ascii(&buf[..len])),
        );
        claim(&buf[..len] == b"hi", || {
            "the UDP socket did not receive \"hi\"".to_string()
        })?;
        let client = net::connect(addr).step("TCP connect")?;
        let (_server, peer) = net::accept(&listener).step("TCP accept")?;
        net::abortive(&client).step("SO_LINGER")?;
        log.step(
            "TCP",
            format!("connect {addr}"),
            format!("accepted by the TCP listener (peer {peer})"),
        );
        let correct = option_index(YES_NO, "Yes")?;
        return Ok(log.observe(
            correct,
            "yes: TCP and UDP ports are separate; a socket is protocol + IP + port",
            None,
        ));
    }
    Err(Fail::Unavailable(
        "five fresh ports in a row were already taken for UDP by other programs".to_string(),
    ))
}

pub(crate) fn ascii(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(super) const EPHEMERAL_PORT_RANGE: Experiment = Experiment {
    id: "ephemeral-port-range",
    kind: Kind::Experiment,
    title: "Where port 0 takes its port from",
    question: "A program binds 127.0.0.1:0. Which port does it get?",
    options: &[
        "One of 1-1023, the well-known ports",
        "One from the kernel's ephemeral range (ip_local_port_range)",
        "Any of 1024-65535, all equally likely",
    ],
    explain: "Port 0 means \"any free port\": the kernel hands out an ephemeral port, the kind a client uses for its \
              end of a connection. Linux takes it from net.ipv4.ip_local_port_range; the range differs between \
              systems, so servers use fixed ports and clients use these.",
    runner: Runner::Experiment(ephemeral_port_range),
};

fn ephemeral_port_range(env: &Environment) -> Res<Observation> {
    let Some((low, high)) = env.local_port_range else {
        return Err(Fail::Unavailable(
            "net.ipv4.ip_local_port_range could not be read".to_string(),
        ));
    };
    let mut log = Log::default();
    log.step("", "read ip_local_port_range", format!("{low}-{high}"));
    let mut tcp = Vec::new();
    for _ in 0..20 {
        let socket = net::tcp_socket(lo(0), Opts::default()).step("TCP socket()")?;
        net::bind(&socket, lo(0)).step("TCP bind 127.0.0.1:0")?;
        tcp.push(socket);
    }
    let mut udp = Vec::new();
    for _ in 0..10 {
        udp.push(net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?);
    }
    let mut tcp_ports = Vec::new();
    for socket in &tcp {
        tcp_ports.push(net::local(socket).step("getsockname")?.port());
    }
    let mut udp_ports = Vec::new();
    for socket in &udp {
        udp_ports.push(socket.local_addr().step("getsockname")?.port());
    }
    let tcp_in = tcp_ports
        .iter()
        .filter(|port| in_range(env, **port))
        .count();
    let udp_in = udp_ports
        .iter()
        .filter(|port| in_range(env, **port))
        .count();
    log.step(
        "TCP",
        "bind 127.0.0.1:0 x20",
        format!("{tcp_in}/20 in range, e.g. {}", sample(&tcp_ports)),
    );
    log.step(
        "UDP",
        "bind 127.0.0.1:0 x10",
        format!("{udp_in}/10 in range, e.g. {}", sample(&udp_ports)),
    );
    claim(tcp_in == 20 && udp_in == 10, || {
        format!("ports outside {low}-{high}: TCP {tcp_ports:?}, UDP {udp_ports:?}")
    })?;
    Ok(log.observe(
        1,
        format!("from the ephemeral range: all 30 ports fell in {low}-{high} (ip_local_port_range)"),
        Some(format!(
            "this machine's range is {low}-{high}; other systems use other ranges (IANA suggests 49152-65535)"
        )),
    ))
}

fn sample(ports: &[u16]) -> String {
    ports
        .iter()
        .take(3)
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) const WHEN_PORT_ASSIGNED: Experiment = Experiment {
    id: "when-port-assigned",
    kind: Kind::Experiment,
    title: "When a socket gets its port",
    question: "A program calls socket() and has not yet called bind() or connect(). What is the socket's local port?",
    options: &[
        "0: it has no port yet",
        "A random ephemeral port",
        "The port of the server it will talk to",
    ],
    explain: "Sockets use ports, not the other way round. The socket (a file descriptor) exists first; the port is attached \
              later, by bind(), or automatically by connect(), which picks an ephemeral port.",
    runner: Runner::Experiment(when_port_assigned),
};

fn when_port_assigned(env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, server) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step("TCP", format!("server bind {server} + listen"), "ok");
    let client = net::tcp_socket(server, Opts::default()).step("TCP socket()")?;
    let before = net::local(&client).step("getsockname")?;
    log.step("TCP", "socket(); getsockname", before);
    claim(before.port() == 0, || {
        format!("expected port 0 before connect, saw {before}")
    })?;
    net::connect_socket(&client, server).step("TCP connect")?;
    let after = net::local(&client).step("getsockname")?;
    log.step("TCP", format!("connect {server}; getsockname"), after);
    claim(after.port() != 0 && in_range(env, after.port()), || {
        format!("expected an ephemeral port after connect, saw {after}")
    })?;
    let (_accepted, _peer) = net::accept(&listener).step("TCP accept")?;
    net::abortive(&client).step("SO_LINGER")?;

    let udp = net::udp_socket(server, Opts::default()).step("UDP socket()")?;
    let udp_before = net::local(&udp).step("getsockname")?;
    net::connect_socket(&udp, server).step("UDP connect")?;
    let udp_after = net::local(&udp).step("getsockname")?;
    log.step("UDP", "socket(); getsockname", udp_before);
    log.step("UDP", format!("connect {server}; getsockname"), udp_after);
    claim(udp_before.port() == 0 && udp_after.port() != 0, || {
        format!("expected UDP port 0 then an ephemeral port, saw {udp_before} then {udp_after}")
    })?;
    Ok(log.observe(
        0,
        "0: a new socket has no port; connect() gave it an ephemeral one",
        None,
    ))
}

pub(super) const CONNECTION_FOUR_TUPLE: Experiment = Experiment {
    id: "connection-four-tuple",
    kind: Kind::Experiment,
    title: "The connection 4-tuple from both ends",
    question: "A client connects and the server accepts. Are the client's (local, peer) addresses the server's \
               (peer, local) addresses, swapped?",
    options: &[
        "Yes: the same pair seen from the other end",
        "No: the server sees other numbers",
    ],
    explain: "A pair such as (10.0.0.5:54000) -> (192.168.1.10:3000) is the whole identity of a connection: \
              source IP, source port, destination IP, destination port, plus the protocol. Both ends hold the same \
              four values, mirrored.",
    runner: Runner::Experiment(connection_four_tuple),
};

fn connection_four_tuple(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, server) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let client = net::connect(server).step("TCP connect")?;
    let (accepted, _) = net::accept(&listener).step("TCP accept")?;
    let (c_local, c_peer) = (
        net::local(&client).step("getsockname")?,
        net::peer(&client).step("getpeername")?,
    );
    let (s_local, s_peer) = (
        net::local(&accepted).step("getsockname")?,
        net::peer(&accepted).step("getpeername")?,
    );
    log.step(
        "TCP",
        "client  getsockname -> getpeername",
        format!("{c_local} -> {c_peer}"),
    );
    log.step(
        "TCP",
        "server  getpeername -> getsockname",
        format!("{s_peer} -> {s_local}"),
    );
    let mirror = c_local == s_peer && c_peer == s_local;
    log.step("", "mirror image", if mirror { "yes" } else { "no" });
    net::abortive(&client).step("SO_LINGER")?;
    claim(mirror, || {
        "the two ends disagree about the connection".to_string()
    })?;
    Ok(log.observe(
        0,
        format!("yes: both ends hold ({c_local}, {c_peer}), seen from opposite sides"),
        None,
    ))
}

pub(super) const ACCEPTED_SOCKET_PORT: Experiment = Experiment {
    id: "accepted-socket-port",
    kind: Kind::Experiment,
    title: "The accepted socket's local port",
    question: "A server listens on port P and accept() returns a new socket for a client. What is that socket's \
               local port?",
    options: &["P, the listening port", "A new ephemeral port", "0 (none)"],
    explain: "The server does not move clients to new ports. Every accepted socket keeps the listening port; what \
              tells them apart is the client's address and port. Many clients, many sockets, one port.",
    runner: Runner::Experiment(accepted_socket_port),
};

fn accepted_socket_port(env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, server) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step("TCP", format!("listen {server}"), "ok");
    let client = net::connect(server).step("TCP connect")?;
    let (accepted, peer) = net::accept(&listener).step("TCP accept")?;
    let local = net::local(&accepted).step("getsockname")?;
    log.step(
        "TCP",
        format!("accept -> client {peer}"),
        format!("accepted socket's getsockname: {local}"),
    );
    net::abortive(&client).step("SO_LINGER")?;
    let answer = if local.port() == server.port() {
        "P, the listening port"
    } else if local.port() == 0 {
        "0 (none)"
    } else if in_range(env, local.port()) {
        "A new ephemeral port"
    } else {
        return Err(Fail::Errored(format!(
            "the accepted socket has the unexpected local address {local}"
        )));
    };
    claim(local.port() == server.port(), || {
        format!("expected port {}, saw {local}", server.port())
    })?;
    Ok(log.observe(
        option_index(ACCEPTED_SOCKET_PORT.options, answer)?,
        format!("P: the accepted socket is {local}, the same port the server listens on"),
        None,
    ))
}

pub(super) const SERVER_SOCKETS_PER_CLIENT: Experiment = Experiment {
    id: "server-sockets-per-client",
    kind: Kind::Experiment,
    title: "Server sockets after three clients",
    question: "A TCP server listens on port P; 3 clients connect and are accepted. How many sockets does the server \
               hold for port P?",
    options: &["1", "3", "4", "6"],
    explain: "One listening socket plus one connected socket per client, all on the same local port: many \
              clients, many sockets, one port. Node's server.listen(3000) works exactly like this.",
    runner: Runner::Experiment(server_sockets_per_client),
};

fn server_sockets_per_client(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, server) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step("TCP", format!("listen {server}"), "1 listening socket");
    let mut clients = Vec::new();
    let mut accepted = Vec::new();
    for n in 1..=3 {
        let client = net::connect(server).step("TCP connect")?;
        let (socket, peer) = net::accept(&listener).step("TCP accept")?;
        let local = net::local(&socket).step("getsockname")?;
        log.step(
            "TCP",
            format!("client {n} connects, accept"),
            format!("{local} <- {peer}"),
        );
        clients.push(client);
        accepted.push((socket, local, peer));
    }
    let held = 1 + accepted.len();
    let locals: BTreeSet<u16> = accepted.iter().map(|(_, local, _)| local.port()).collect();
    let peers: BTreeSet<SocketAddr> = accepted.iter().map(|(_, _, peer)| *peer).collect();
    log.step(
        "",
        "server sockets (own handles)",
        format!("{held}: 1 listening + {} connected", accepted.len()),
    );
    log.step(
        "",
        "distinct local ports / peer endpoints",
        format!("{} / {}", locals.len(), peers.len()),
    );
    for client in &clients {
        net::abortive(client).step("SO_LINGER")?;
    }
    claim(
        locals.len() == 1 && locals.contains(&server.port()) && peers.len() == 3,
        || format!("expected one local port and 3 peers, saw {locals:?} and {peers:?}"),
    )?;
    Ok(log.observe(
        option_index(SERVER_SOCKETS_PER_CLIENT.options, &held.to_string())?,
        format!(
            "{held}: 1 listening + 3 connected sockets, all on port {}",
            server.port()
        ),
        None,
    ))
}

pub(super) const UDP_ONE_SOCKET: Experiment = Experiment {
    id: "udp-one-socket",
    kind: Kind::Experiment,
    title: "A UDP server with three clients",
    question: "3 UDP clients send to a server on 127.0.0.1:P. How many sockets does the server need to receive \
               from all of them?",
    options: &["1", "3", "4"],
    explain: "UDP has no connections and no accept(): each datagram carries the sender's address, so one socket \
              serves every client. Per-client sockets are a TCP thing.",
    runner: Runner::Experiment(udp_one_socket),
};

fn udp_one_socket(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let server = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
    let addr = server.local_addr().step("getsockname")?;
    log.step("UDP", format!("server bind {addr}"), "1 socket");
    let mut clients = Vec::new();
    for n in 1..=3u8 {
        let client = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
        net::send_to(&client, &[b'0' + n], addr).step("UDP sendto")?;
        clients.push(client);
    }
    let mut senders = BTreeSet::new();
    let mut buf = [0u8; 16];
    for _ in 0..3 {
        let (len, from) = server.recv_from(&mut buf).step("UDP recvfrom")?;
        log.step(
            "UDP",
            "server recvfrom",
            format!("{:?} from {from}", ascii(&buf[..len])),
        );
        senders.insert(from);
    }
    claim(senders.len() == 3, || {
        format!("expected 3 distinct senders, saw {senders:?}")
    })?;
    Ok(log.observe(
        0,
        "1: one UDP socket received from 3 different client endpoints",
        None,
    ))
}

pub(super) const CONNECTION_REFUSED: Experiment = Experiment {
    id: "connection-refused",
    kind: Kind::Experiment,
    title: "Connecting where nobody listens",
    question: "A socket is bound to 127.0.0.1:P but never called listen(). What does connect(127.0.0.1:P) give?",
    options: &[
        "ECONNREFUSED, at once",
        "It hangs until a timeout",
        "It connects",
    ],
    explain: "A port alone does nothing: without a listening socket the kernel answers the \
              connection attempt with a reset, and connect() fails with ECONNREFUSED right away.",
    runner: Runner::Experiment(connection_refused),
};

fn connection_refused(env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let mut targets = vec![lo(0)];
    if env.ipv6_loopback.available {
        targets.push(lo6(0));
    }
    let mut answer = None;
    for target in targets {
        let reserved = net::tcp_socket(target, Opts::default()).step("TCP socket()")?;
        net::bind(&reserved, target).step(format!("TCP bind {target}"))?;
        let addr = net::local(&reserved).step("getsockname")?;
        log.step("TCP", format!("bind {addr}, no listen()"), "ok, reserved");
        let result = net::connect(addr);
        log.step("TCP", format!("connect {addr}"), result_text(&result));
        let seen = match &result {
            Err(err) if err.raw_os_error() == Some(libc::ECONNREFUSED) => "ECONNREFUSED, at once",
            Err(err) if net::is_timeout(err) || err.raw_os_error() == Some(libc::ETIMEDOUT) => {
                "It hangs until a timeout"
            }
            Ok(_) => "It connects",
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "connect {addr} gave {}",
                    net::errno_name(err)
                )));
            }
        };
        claim(seen == "ECONNREFUSED, at once", || {
            format!("expected ECONNREFUSED from {addr}, saw {seen}")
        })?;
        answer.get_or_insert(seen);
    }
    let note = (!env.ipv6_loopback.available)
        .then(|| "IPv6 is not usable on loopback here, so ::1 was skipped".into());
    Ok(log.observe(
        option_index(CONNECTION_REFUSED.options, answer.unwrap_or("It connects"))?,
        "ECONNREFUSED: with no listening socket the kernel refuses at once",
        note,
    ))
}

//! Labs: the candidate acts with real tools (python3, curl, /etc/services) while portquiz waits, then portquiz
//! verifies live on loopback. [`prepare_lab`] opens what the lab needs and writes the instructions;
//! [`verify_lab`] retries until its wait runs out. Dropping the [`LabSetup`] closes everything portquiz opened.
//! Reading /proc/net/tcp here only names the owning process for display; it never decides a result.
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;
use socket2::Socket;

use super::basics::lo;
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{Experiment, Kind, LabKind, Runner};
use crate::deck::LabParams;

pub(super) const START_LISTENER: Experiment = Experiment {
    id: "lab-start-listener",
    kind: Kind::Lab,
    title: "Lab: start a listener on a port portquiz names",
    question: "Start a TCP listener on the port portquiz names, then let portquiz connect to it.",
    options: &[],
    explain: "A call such as Node's server.listen(3000) makes one listening socket: a process asks the kernel for (TCP, \
              127.0.0.1, P), and from then on connections to that endpoint reach it. portquiz proves the socket \
              exists by connecting, and names the process that owns it.",
    runner: Runner::Lab(LabKind::StartListener),
};

pub(super) const CONNECT_CLIENT: Experiment = Experiment {
    id: "lab-connect-client",
    kind: Kind::Lab,
    title: "Lab: connect to portquiz and see your own 4-tuple",
    question: "portquiz listens on a port; connect to it with python3 or curl and see your connection's 4-tuple.",
    options: &[],
    explain: "You are the client now: your program got an ephemeral port from the kernel the moment \
              it connected, and (your IP:ephemeral port) -> (127.0.0.1:P) is the pair that identifies the connection.",
    runner: Runner::Lab(LabKind::ConnectClient),
};

pub(super) const FIND_SERVICE_PORT: Experiment = Experiment {
    id: "lab-find-service-port",
    kind: Kind::Lab,
    title: "Lab: find a service's port and stand in for it",
    question: "Find the default port of a well-known service with real tools, then listen on it.",
    options: &[],
    explain: "Well-known ports are conventions, recorded in /etc/services: 80 for HTTP, 443 for HTTPS, 3306 for \
              MySQL. The port only says where data should go; any program that listens there receives it.",
    runner: Runner::Lab(LabKind::FindServicePort),
};

/// What [`prepare_lab`] opened and the text to show. Dropping it closes everything.
#[derive(Debug)]
pub struct LabSetup {
    kind: LabKind,
    port: u16,
    service: String,
    /// The service's own port when the candidate listens on a stand-in (`10000 +` a port that cannot be
    /// opened here).
    stands_in_for: Option<u16>,
    /// The lab is about a UDP service: a bound UDP socket is the listener.
    udp: bool,
    instructions: String,
    listener: Option<Socket>,
    range: Option<(u16, u16)>,
}

impl LabSetup {
    /// Multi-line instructions, with the exact command to run.
    pub fn instructions(&self) -> &str {
        &self.instructions
    }

    /// The port the lab is about (the one to listen on, or the one portquiz listens on).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A TCP lab about `port` itself (no stand-in), on this machine's range of local ports.
    fn tcp(
        kind: LabKind,
        port: u16,
        service: &str,
        instructions: String,
        listener: Option<Socket>,
        range: Option<(u16, u16)>,
    ) -> LabSetup {
        LabSetup {
            kind,
            port,
            service: service.to_string(),
            stands_in_for: None,
            udp: false,
            instructions,
            listener,
            range,
        }
    }
}

/// The result of checking a lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabResult {
    /// Whether the candidate did it.
    pub passed: bool,
    /// What portquiz did and saw.
    pub transcript: Vec<String>,
    /// One sentence on what it means, or what to do next.
    pub conclusion: String,
}

/// Opens what the lab needs; `Err` holds the reason it is not available here.
pub fn prepare_lab(lab: &Experiment, env: &Environment) -> Result<LabSetup, String> {
    prepare_lab_with(lab, env, &LabParams::default())
}

/// Like [`prepare_lab`], for a card's `params` (issue 28: only `lab-find-service-port` takes them; empty
/// params keep each lab's default).
pub fn prepare_lab_with(
    lab: &Experiment,
    env: &Environment,
    params: &LabParams,
) -> Result<LabSetup, String> {
    let Runner::Lab(kind) = lab.runner else {
        return Err(format!("{} is an experiment, not a lab", lab.id));
    };
    if !env.ipv4_loopback.available {
        return Err(format!(
            "IPv4 loopback does not work here ({})",
            env.ipv4_loopback.detail
        ));
    }
    match kind {
        LabKind::StartListener => {
            let port = free_port_outside(env.local_port_range)?;
            Ok(LabSetup::tcp(
                kind,
                port,
                "",
                format!(
                    "Start a TCP listener on 127.0.0.1:{port} in another terminal, for example:\n\n    \
                     python3 -m http.server {port} --bind 127.0.0.1\n\n\
                     Wait until it says it is serving, then come back and press Enter: portquiz will connect to it.\n\
                     (Stop it with Ctrl-C afterwards.)"
                ),
                None,
                env.local_port_range,
            ))
        }
        LabKind::ConnectClient => {
            let (listener, addr) = net::listener(lo(0), Opts::default()).map_err(|err| {
                format!(
                    "could not listen on 127.0.0.1:0 ({})",
                    net::errno_name(&err)
                )
            })?;
            listener
                .set_nonblocking(true)
                .map_err(|err| format!("O_NONBLOCK failed ({err})"))?;
            let port = addr.port();
            Ok(LabSetup::tcp(
                kind,
                port,
                "",
                format!(
                    "portquiz is listening on 127.0.0.1:{port}. Connect to it from another terminal, for example:\n\n    \
                     curl http://127.0.0.1:{port}/\n\nor, to keep the connection open and print your own end:\n\n    \
                     python3 -c \"import socket; s = socket.create_connection(('127.0.0.1', {port})); \
                     print('my end:', s.getsockname()); input('press Enter to close ')\"\n\n\
                     Then come back and press Enter: portquiz will show the connection's 4-tuple."
                ),
                Some(listener),
                env.local_port_range,
            ))
        }
        LabKind::FindServicePort if params.service.is_some() => {
            service_lab(kind, params, env.local_port_range)
        }
        LabKind::FindServicePort => {
            let (service, port, lookup) = SERVICES
                .iter()
                .find(|(_, port, _)| port_is_free(*port))
                .copied()
                .ok_or_else(|| {
                    "the ports of MySQL (3306) and Node's usual 3000 are both in use here"
                        .to_string()
                })?;
            Ok(LabSetup::tcp(
                kind,
                port,
                service,
                format!(
                    "Stand in for {service}. Find the port it uses by default; \
                     {lookup}.\nThen start a TCP listener on that port on 127.0.0.1, for example:\n\n    \
                     python3 -m http.server PORT --bind 127.0.0.1\n\n\
                     with PORT replaced by the number you found, and press Enter: portquiz will check that port."
                ),
                None,
                env.local_port_range,
            ))
        }
    }
}

/// Added to a service's port that cannot be opened here (below 1024 without root, or in use).
const STAND_IN_OFFSET: u16 = 10_000;

/// `lab-find-service-port` for the service a card names: the candidate finds its port and listens there
/// (or on [`STAND_IN_OFFSET`] + it when the port cannot be opened here), over the card's protocol.
fn service_lab(
    kind: LabKind,
    params: &LabParams,
    range: Option<(u16, u16)>,
) -> Result<LabSetup, String> {
    let (Some(service), Some(found)) = (params.service.clone(), params.port) else {
        return Err("the card names no service and port".to_string());
    };
    let free = |port: u16| {
        if params.udp {
            std::net::UdpSocket::bind(lo(port)).is_ok()
        } else {
            port_is_free(port)
        }
    };
    let (port, stands_in_for) = if free(found) {
        (found, None)
    } else {
        match found.checked_add(STAND_IN_OFFSET) {
            Some(port) if free(port) => (port, Some(found)),
            _ => {
                return Err(format!(
                    "port {found} and its stand-in cannot be opened here (in use, or below 1024 without root)"
                ));
            }
        }
    };
    Ok(LabSetup {
        kind,
        port,
        instructions: service_instructions(&service, params, stands_in_for.is_some()),
        service,
        stands_in_for,
        udp: params.udp,
        listener: None,
        range,
    })
}

/// The instructions of a service lab: what to stand in for, how to find its port, and the command to
/// start the listener (the card's, or one for the protocol), never the port itself.
pub fn service_instructions(service: &str, params: &LabParams, stand_in: bool) -> String {
    let (proto, command) = if params.udp {
        (
            "UDP",
            "python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); \
             s.bind(('127.0.0.1', PORT)); input('listening; press Enter to stop ')\"",
        )
    } else {
        ("TCP", "python3 -m http.server PORT --bind 127.0.0.1")
    };
    let command = params.command.as_deref().unwrap_or(command);
    let (on, replaced) = if stand_in {
        (
            format!(
                "on 127.0.0.1, on {STAND_IN_OFFSET} + that port (the port itself cannot be opened here: below 1024 it needs root)"
            ),
            format!("with PORT replaced by {STAND_IN_OFFSET} + the number you found"),
        )
    } else {
        (
            "on that port on 127.0.0.1".to_string(),
            "with PORT replaced by the number you found".to_string(),
        )
    };
    format!(
        "Stand in for {service}. Find the port it uses by default with real tools: \
         `getent services NAME`, `grep -i NAME /etc/services`, or your memory.\n\
         Then start a {proto} listener {on}, for example:\n\n    {command}\n\n\
         {replaced}, and press Enter: portquiz will check that port."
    )
}

/// Well-known services whose ports an ordinary user may bind, with how to look them up.
const SERVICES: &[(&str, u16, &str)] = &[
    (
        "MySQL",
        3306,
        "look it up with real tools, `getent services mysql` or `grep -w mysql /etc/services`",
    ),
    (
        "a Node.js app",
        3000,
        "it is a convention rather than a registered service, so recall the usual development-server ports",
    ),
];

/// Checks the lab, retrying every 100 ms until `wait` has passed (at least one attempt).
pub fn verify_lab(setup: &mut LabSetup, wait: Duration) -> LabResult {
    match setup.kind {
        LabKind::FindServicePort if setup.udp => verify_udp(setup, wait),
        LabKind::StartListener | LabKind::FindServicePort => verify_listener(setup, wait),
        LabKind::ConnectClient => verify_client(setup, wait),
    }
}

fn verify_listener(setup: &LabSetup, wait: Duration) -> LabResult {
    let addr = lo(setup.port);
    let deadline = Instant::now() + wait;
    let mut transcript = Vec::new();
    let stream = loop {
        match net::connect(addr) {
            Ok(stream) => break Some(stream),
            Err(err) if Instant::now() < deadline => {
                if transcript.is_empty() {
                    transcript.push(format!(
                        "TCP  connect {addr}   {} (waiting)",
                        net::errno_name(&err)
                    ));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(err) => {
                transcript.push(format!(
                    "TCP  connect {addr}   {} (nobody listens)",
                    net::errno_name(&err)
                ));
                break None;
            }
        }
    };
    let Some(stream) = stream else {
        let conclusion = match setup.kind {
            LabKind::FindServicePort => not_found(setup),
            _ => format!(
                "nothing listens on 127.0.0.1:{}: start the command above, wait until it serves, and try again",
                setup.port
            ),
        };
        return LabResult {
            passed: false,
            transcript,
            conclusion,
        };
    };
    let from = net::local(&stream).map_or_else(|_| "?".to_string(), |a| a.to_string());
    transcript.push(format!("TCP  connect {addr}   ok, from {from}"));
    // Look for the owner while the connection is fresh: a one-shot listener may close after answering.
    let owner = owner_of(setup.port, LISTEN);
    let mut stream: std::net::TcpStream = stream.into();
    let reply = http_probe(&mut stream);
    transcript.push(format!("HTTP GET / HTTP/1.0   {reply}"));
    transcript.push(format!("owner of the listening socket: {owner}"));
    let conclusion = match setup.kind {
        LabKind::FindServicePort => found(setup),
        _ => format!(
            "a listening socket owns 127.0.0.1:{}: your program created it and portquiz reached it",
            setup.port
        ),
    };
    LabResult {
        passed: true,
        transcript,
        conclusion,
    }
}

/// The conclusion of a service lab the candidate did.
fn found(setup: &LabSetup) -> String {
    match setup.stands_in_for {
        Some(own) => format!(
            "you found it: {} uses port {own}, and your listener now owns 127.0.0.1:{} ({STAND_IN_OFFSET} + {own})",
            setup.service, setup.port
        ),
        None => format!(
            "you found it: {} uses port {}, and your listener now owns 127.0.0.1:{}",
            setup.service, setup.port, setup.port
        ),
    }
}

/// The conclusion of a service lab with nothing listening.
fn not_found(setup: &LabSetup) -> String {
    let proto = if setup.udp { "UDP " } else { "" };
    match setup.stands_in_for {
        Some(own) => format!(
            "nothing listens on {proto}127.0.0.1:{0}: {1}'s default port is {own}, so the stand-in is {0}; start the listener there and try again",
            setup.port, setup.service
        ),
        None => format!(
            "nothing listens on {proto}127.0.0.1:{0}: {1}'s default port is {0}; start the listener there and try again",
            setup.port, setup.service
        ),
    }
}

/// A UDP service lab: something holds the port when portquiz cannot bind it (retried until `wait`).
fn verify_udp(setup: &LabSetup, wait: Duration) -> LabResult {
    let addr = lo(setup.port);
    let deadline = Instant::now() + wait;
    let mut transcript = Vec::new();
    loop {
        match std::net::UdpSocket::bind(addr) {
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
                transcript.push(format!("UDP  bind {addr}   EADDRINUSE (a socket holds it)"));
                transcript.push(format!(
                    "owner of the socket: {}",
                    owner_in(
                        &["/proc/net/udp", "/proc/net/udp6"],
                        setup.port,
                        UNCONNECTED
                    )
                ));
                return LabResult {
                    passed: true,
                    transcript,
                    conclusion: found(setup),
                };
            }
            Ok(socket) if Instant::now() < deadline => {
                drop(socket);
                if transcript.is_empty() {
                    transcript.push(format!("UDP  bind {addr}   ok: nobody holds it (waiting)"));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            other => {
                let what = other.map_or_else(|e| net::errno_name(&e), |_| "ok".to_string());
                transcript.push(format!("UDP  bind {addr}   {what} (nobody holds it)"));
                return LabResult {
                    passed: false,
                    transcript,
                    conclusion: not_found(setup),
                };
            }
        }
    }
}

fn http_probe(stream: &mut std::net::TcpStream) -> String {
    if stream
        .write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return "could not send a request (the listener is still fine)".to_string();
    }
    let mut buf = [0u8; 256];
    match stream.read(&mut buf) {
        Ok(len) if buf[..len].starts_with(b"HTTP/") => {
            let text = String::from_utf8_lossy(&buf[..len]).into_owned();
            format!("reply {:?}", text.lines().next().unwrap_or_default())
        }
        Ok(_) | Err(_) => "no HTTP reply (any TCP listener counts)".to_string(),
    }
}

fn verify_client(setup: &mut LabSetup, wait: Duration) -> LabResult {
    let addr = lo(setup.port);
    let mut transcript = vec![format!("TCP  listening on {addr}")];
    let Some(listener) = setup.listener.as_ref() else {
        return LabResult {
            passed: false,
            transcript,
            conclusion: "the lab was not prepared".to_string(),
        };
    };
    let deadline = Instant::now() + wait;
    let accepted = loop {
        match listener.accept() {
            Ok((socket, peer)) => break Ok((socket, peer.as_socket())),
            Err(err)
                if err.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(err) => break Err(err),
        }
    };
    let (socket, peer) = match accepted {
        Ok((socket, Some(peer))) => (socket, peer),
        Ok((_, None)) => {
            return LabResult {
                passed: false,
                transcript,
                conclusion: "the peer had no IP address".to_string(),
            };
        }
        Err(err) => {
            // The accept loop polls a non-blocking socket: running out of time is "nothing came", in words.
            let what = if err.kind() == std::io::ErrorKind::WouldBlock {
                match wait.as_secs() {
                    0 => format!("no connection came in {} ms", wait.as_millis()),
                    secs => format!("no connection came in {secs} s"),
                }
            } else {
                net::errno_name(&err)
            };
            transcript.push(format!("TCP  accept   {what}"));
            return LabResult {
                passed: false,
                transcript,
                conclusion: format!(
                    "no connection arrived on {addr}: run the command above in another terminal, then press Enter"
                ),
            };
        }
    };
    transcript.push(format!("TCP  accept   connection {peer} -> {addr}"));
    transcript.push(format!(
        "the 4-tuple: client {} port {}, server {} port {}",
        peer.ip(),
        peer.port(),
        addr.ip(),
        addr.port()
    ));
    if let Some((low, high)) = setup.range {
        let inside = (low..=high).contains(&peer.port());
        transcript.push(format!(
            "your port {} is {} ip_local_port_range {low}-{high}",
            peer.port(),
            if inside { "inside" } else { "outside" }
        ));
    }
    transcript.push(format!(
        "your process: {}",
        owner_of(peer.port(), ESTABLISHED)
    ));
    answer_if_http(socket, peer, addr);
    LabResult {
        passed: true,
        transcript,
        conclusion: format!(
            "your client got the ephemeral port {} when it connected; ({peer}) -> ({addr}) identifies this connection",
            peer.port()
        ),
    }
}

/// If the client sent an HTTP request (curl), answer it so curl prints something useful.
fn answer_if_http(socket: Socket, peer: SocketAddr, addr: SocketAddr) {
    let _ = socket.set_nonblocking(false);
    let _ = socket.set_read_timeout(Some(Duration::from_millis(300)));
    let mut stream: std::net::TcpStream = socket.into();
    let mut buf = [0u8; 512];
    if let Ok(len) = stream.read(&mut buf)
        && buf[..len].starts_with(b"GET ")
    {
        let body = format!("portquiz saw your connection as {peer} -> {addr}\n");
        let reply = format!(
            "HTTP/1.0 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes());
    }
}

/// A random port in 10000-19999 outside the ephemeral range that nobody holds on 127.0.0.1.
fn free_port_outside(range: Option<(u16, u16)>) -> Result<u16, String> {
    for _ in 0..50 {
        let port: u16 = rand::random_range(10_000..20_000);
        if range.is_some_and(|(low, high)| (low..=high).contains(&port)) {
            continue;
        }
        if port_is_free(port) {
            return Ok(port);
        }
    }
    Err("no free port was found in 10000-19999 outside the ephemeral range".to_string())
}

/// True when a plain TCP bind of 127.0.0.1:port works (so nothing holds it there or on 0.0.0.0).
fn port_is_free(port: u16) -> bool {
    let addr = lo(port);
    net::tcp_socket(addr, Opts::default())
        .and_then(|socket| net::bind(&socket, addr))
        .is_ok()
}

const LISTEN: &str = "0A";
const ESTABLISHED: &str = "01";
/// A bound, unconnected UDP socket (`TCP_CLOSE` in /proc/net/udp).
const UNCONNECTED: &str = "07";

/// Names the process owning a loopback TCP socket on `port` in `state`, for display only.
fn owner_of(port: u16, state: &str) -> String {
    owner_in(&["/proc/net/tcp", "/proc/net/tcp6"], port, state)
}

/// Names the process owning a socket of `tables` (/proc/net files) on `port` in `state`, for display only.
fn owner_in(tables: &[&str], port: u16, state: &str) -> String {
    let mut inodes = Vec::new();
    for table in tables {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(row_state), Some(inode)) =
                (fields.get(1), fields.get(3), fields.get(9))
            else {
                continue;
            };
            let row_port = local
                .rsplit(':')
                .next()
                .and_then(|hex| u16::from_str_radix(hex, 16).ok());
            if row_port == Some(port) && *row_state == state && *inode != "0" {
                inodes.push(format!("socket:[{inode}]"));
            }
        }
    }
    if inodes.is_empty() {
        return "not visible here".to_string();
    }
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return "not visible here".to_string();
    };
    for process in processes.flatten() {
        let pid = process.file_name().to_string_lossy().into_owned();
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(process.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            if inodes
                .iter()
                .any(|inode| target.as_os_str() == inode.as_str())
            {
                let comm = std::fs::read_to_string(process.path().join("comm")).unwrap_or_default();
                return format!("pid {pid} ({})", comm.trim());
            }
        }
    }
    "hidden (another user's process)".to_string()
}

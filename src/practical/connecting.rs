//! Connecting, seen closely: a nonblocking connect() (EINPROGRESS, then SO_ERROR), a client that is connected
//! although the server never accepted it (the accept queue), and a Unix-domain socket, an endpoint with no IP
//! address and no port. The Unix socket's file lives in a private temporary directory that is removed at the end.
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::os::unix::fs::FileTypeExt;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::basics::{ascii, lo};
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, claim, is_errno, result_text,
};

pub(super) const NONBLOCKING_CONNECT: Experiment = Experiment {
    id: "nonblocking-connect",
    kind: Kind::Experiment,
    title: "A nonblocking connect(): EINPROGRESS, then SO_ERROR",
    question: "A nonblocking TCP socket calls connect() to a server that is listening on 127.0.0.1:P. What does \
               connect() return right away?",
    options: &[
        "EINPROGRESS; SO_ERROR gives the result later",
        "0: on loopback the handshake is instant",
        "EAGAIN: call connect() again until it works",
    ],
    explain: "A nonblocking connect() sends the SYN and returns at once with EINPROGRESS, even on loopback, \
              because the handshake has not finished at that instant. The program waits until the socket is \
              writable (poll, epoll) and then reads SO_ERROR: 0 means connected, otherwise it holds the error, \
              such as ECONNREFUSED. This is how event loops connect without blocking their thread.",
    runner: Runner::Experiment(nonblocking_connect),
};

/// Waits until the connect of `socket` to `addr` settles: Ok(()) when connected, or the error SO_ERROR held.
fn settle(socket: &Socket) -> Res<io::Result<()>> {
    let deadline = Instant::now() + net::DEADLINE;
    loop {
        if let Some(err) = socket.take_error().step("getsockopt(SO_ERROR)")? {
            return Ok(Err(err));
        }
        if net::peer(socket).is_ok() {
            return Ok(Ok(()));
        }
        claim(Instant::now() < deadline, || {
            "the nonblocking connect did not settle before the deadline".to_string()
        })?;
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn nonblocking_connect(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let client = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
    net::abortive(&client).step("SO_LINGER")?;
    let started = net::connect_start(&client, addr);
    log.step(
        "TCP",
        format!("nonblocking connect {addr} (listening)"),
        result_text(&started),
    );
    let settled = settle(&client)?;
    log.step(
        "TCP",
        "wait until writable, read SO_ERROR",
        match &settled {
            Ok(()) => "0: connected".to_string(),
            Err(err) => net::errno_name(err),
        },
    );
    claim(
        is_errno(&started, libc::EINPROGRESS) && settled.is_ok(),
        || {
            format!(
                "expected EINPROGRESS and then a connection, saw {} and {}",
                result_text(&started),
                result_text(&settled)
            )
        },
    )?;
    drop((client, listener));

    let reserved = net::tcp_socket(lo(0), Opts::default()).step("TCP socket()")?;
    net::bind(&reserved, lo(0)).step("TCP bind 127.0.0.1:0")?;
    let closed = net::local(&reserved).step("getsockname")?;
    let client = net::tcp_socket(closed, Opts::default()).step("TCP socket()")?;
    let started = net::connect_start(&client, closed);
    log.step(
        "TCP",
        format!("nonblocking connect {closed} (bound, nobody listens)"),
        result_text(&started),
    );
    let refused = if is_errno(&started, libc::EINPROGRESS) {
        settle(&client)?
    } else {
        started
    };
    log.step(
        "TCP",
        "wait until writable, read SO_ERROR",
        result_text(&refused),
    );
    claim(is_errno(&refused, libc::ECONNREFUSED), || {
        format!(
            "expected SO_ERROR to hold ECONNREFUSED, saw {}",
            result_text(&refused)
        )
    })?;
    Ok(log.observe(
        0,
        "EINPROGRESS: the connect finished later, and SO_ERROR told whether it worked",
        None,
    ))
}

pub(super) const CONNECTED_NEVER_ACCEPTED: Experiment = Experiment {
    id: "connected-never-accepted",
    kind: Kind::Experiment,
    title: "Connected, but never accepted",
    question: "A server calls listen(0) but is too busy to call accept(). A client connects and sends its request. \
               What does the client see?",
    options: &[
        "connect() and send() succeed; no reply comes",
        "connect() fails at once with ECONNREFUSED",
        "connect() blocks until the server calls accept()",
    ],
    explain: "The kernel completes the handshake and queues the connection for accept(), so the client's \
              connect() and send() succeed and its request waits in the server's buffer; the client just gets \
              no reply. Once that queue is full, Linux drops new SYNs, so later clients hang in connect() and \
              retry. If the queue fills between the SYN and the final ACK, the client already counts as \
              connected while the server dropped its ACK: it also stalls on its first request. Nobody is refused.",
    runner: Runner::Experiment(connected_never_accepted),
};

fn connected_never_accepted(_env: &Environment) -> Res<Observation> {
    const REQUEST: &[u8] = b"GET / HTTP/1.0\r\n\r\n";
    let mut log = Log::default();
    let (listener, addr) = net::listener_backlog(lo(0), Opts::default(), 0).step("listen(0)")?;
    log.step(
        "TCP",
        format!("bind {addr}, listen(0), no accept() yet"),
        "ok",
    );
    let first = net::connect(addr).step("connect")?;
    net::abortive(&first).step("SO_LINGER")?;
    first
        .set_read_timeout(Some(net::QUIET))
        .step("SO_RCVTIMEO")?;
    let sent = (&mut &first).write(REQUEST);
    log.step(
        "TCP",
        format!("client 1: connect {addr}, send a request"),
        match &sent {
            Ok(len) => format!("connected, sent {len} bytes"),
            Err(err) => net::errno_name(err),
        },
    );
    claim(matches!(sent, Ok(len) if len == REQUEST.len()), || {
        format!(
            "expected the request to be sent, saw {}",
            result_text(&sent)
        )
    })?;
    // Client 2 connects now, so that client 1's wait for a reply is also client 2's wait for its connect
    // (one quiet period instead of two: 8 runs at once took 311 ms p99).
    let second = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
    net::abortive(&second).step("SO_LINGER")?;
    net::connect_nonblocking(&second, addr).step("nonblocking connect")?;
    let mut buf = [0u8; 64];
    let reply = (&mut &first).read(&mut buf);
    log.step(
        "TCP",
        format!("client 1: read, {} ms deadline", net::QUIET.as_millis()),
        match &reply {
            Err(err) if net::is_timeout(err) => "no reply (timed out)".to_string(),
            other => result_text(other),
        },
    );
    claim(matches!(&reply, Err(err) if net::is_timeout(err)), || {
        format!("expected no reply, saw {}", result_text(&reply))
    })?;
    let second_done = net::peer(&second).is_ok();
    log.step(
        "TCP",
        format!("client 2: connect {addr} while the queue is full"),
        if second_done {
            format!("connected within {} ms", net::QUIET.as_millis())
        } else {
            format!(
                "still waiting after {} ms (SYN dropped)",
                net::QUIET.as_millis()
            )
        },
    );
    // listen(0) leaves room for one finished connection whatever somaxconn says, so the second must wait.
    claim(!second_done, || {
        "expected the second client to wait while the accept queue was full".to_string()
    })?;
    listener.set_nonblocking(false).step("O_NONBLOCK")?;
    let (accepted, _) = net::accept(&listener).step("accept")?;
    net::abortive(&accepted).step("SO_LINGER")?;
    let mut request = [0u8; 64];
    let len = (&mut &accepted).read(&mut request).step("server read")?;
    log.step(
        "TCP",
        "server: accept() at last, read",
        format!("{:?} was already waiting", ascii(&request[..len])),
    );
    claim(&request[..len] == REQUEST, || {
        format!(
            "expected the request to be waiting, saw {:?}",
            ascii(&request[..len])
        )
    })?;
    Ok(log.observe(
        0,
        "connect() and send() succeeded before any accept(); the client just waited for a reply",
        None,
    ))
}

pub(super) const UNIX_DOMAIN_SOCKET: Experiment = Experiment {
    id: "unix-domain-socket",
    kind: Kind::Experiment,
    title: "A Unix-domain socket: an endpoint without a port",
    question: "A server listens on a Unix-domain stream socket and a client connects to it. Which port does the \
               server's socket have?",
    options: &[
        "None: its address is a file path",
        "An ephemeral port, as after bind(0)",
        "A port on 127.0.0.1, as it is local",
    ],
    explain: "Ports belong to TCP and UDP. A Unix-domain socket (AF_UNIX) connects processes on one machine and \
              is addressed by a path in the file system (or an abstract name on Linux), so it has neither an IP \
              address nor a port, and the client's end usually has no address at all. It still has listen(), \
              accept() and a byte stream; databases and Docker use one for local clients.",
    runner: Runner::Experiment(unix_domain_socket),
};

fn unix_domain_socket(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let dir = tempfile::Builder::new()
        .prefix("portquiz-")
        .tempdir()
        .map_err(|err| {
            Fail::Unavailable(format!("no temporary directory for the socket file: {err}"))
        })?;
    let path = dir.path().join("quiz.sock");
    let listener = match net::unix_listener(&path) {
        Ok(listener) => listener,
        Err(err) if err.raw_os_error() == Some(libc::EAFNOSUPPORT) => {
            return Err(Fail::Unavailable(
                "Unix-domain sockets are not supported here".to_string(),
            ));
        }
        Err(err) if err.kind() == io::ErrorKind::InvalidInput => {
            return Err(Fail::Unavailable(format!(
                "the temporary path {} is too long for a Unix socket address",
                path.display()
            )));
        }
        Err(err) => {
            return Err(Fail::Errored(format!(
                "bind {}: {}",
                path.display(),
                net::errno_name(&err)
            )));
        }
    };
    let local = listener.local_addr().step("getsockname")?;
    let internet: Option<SocketAddr> = local.as_socket();
    log.step(
        "UNIX",
        "bind <tmp>/quiz.sock + listen; getsockname",
        match (internet, local.as_pathname()) {
            (Some(addr), _) => format!("an internet address {addr}"),
            (None, Some(named)) if named == path => "the path <tmp>/quiz.sock, no port".to_string(),
            (None, Some(named)) => format!("the path {}", named.display()),
            (None, None) => "no path".to_string(),
        },
    );
    claim(
        internet.is_none() && local.as_pathname() == Some(path.as_path()),
        || "expected the listener's address to be its path".to_string(),
    )?;
    let kind = std::fs::symlink_metadata(&path)
        .step("stat the path")?
        .file_type();
    log.step(
        "UNIX",
        "stat <tmp>/quiz.sock",
        if kind.is_socket() {
            "a socket file"
        } else {
            "not a socket file"
        },
    );
    claim(kind.is_socket(), || {
        "expected a socket file at the path".to_string()
    })?;
    let client = net::unix_connect(&path).step("connect")?;
    let (server, _) = listener.accept().step("accept")?;
    server
        .set_read_timeout(Some(net::DEADLINE))
        .step("SO_RCVTIMEO")?;
    let client_addr = client.local_addr().step("getsockname")?;
    log.step(
        "UNIX",
        "client connect, server accept; client getsockname",
        if client_addr.is_unnamed() {
            "unnamed: no address at all"
        } else {
            "an address"
        },
    );
    (&mut &client).write_all(b"hi").step("client write")?;
    let mut buf = [0u8; 8];
    let len = (&mut &server).read(&mut buf).step("server read")?;
    log.step(
        "UNIX",
        "client writes \"hi\", server reads",
        format!("{:?}", ascii(&buf[..len])),
    );
    claim(&buf[..len] == b"hi", || {
        format!("expected \"hi\", saw {:?}", ascii(&buf[..len]))
    })?;
    drop((client, server, listener));
    let removed = dir.close();
    log.step("UNIX", "close all, remove <tmp>", result_text(&removed));
    Ok(log.observe(
        0,
        "none: a Unix-domain socket is addressed by a path; it has no IP address and no port",
        None,
    ))
}

//! How a TCP connection ends, seen from the other side: CLOSE_WAIT (the peer closed, we did not), a reset
//! (SO_LINGER 0) against a normal close, a half-close (shutdown of the sending direction, then still reading
//! the reply) and writing to a peer that is gone (EPIPE). Both ends live in this thread, step by step; the TCP
//! state names come from the kernel's table row for the exact address pair and only cross-check what our own
//! handles show.
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::{Duration, Instant};

use socket2::Socket;

use super::basics::{ascii, lo};
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Kind, Log, Observation, Res, Runner, Step, claim, is_errno, result_text,
};

/// A connected pair on loopback: (client, accepted server socket, client address, server address).
fn connected() -> Res<(Socket, Socket, SocketAddr, SocketAddr)> {
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let client = net::connect(addr).step("connect")?;
    let (server, client_addr) = net::accept(&listener).step("accept")?;
    Ok((client, server, client_addr, addr))
}

/// One read with the socket's deadline: the byte count or the error.
fn read_once(socket: &Socket) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 256];
    let len = (&mut &*socket).read(&mut buf)?;
    Ok(buf[..len].to_vec())
}

/// How a read ended, for the transcript: the bytes, "0 (end of stream)" or the errno.
fn read_text(result: &io::Result<Vec<u8>>) -> String {
    match result {
        Ok(data) if data.is_empty() => "0 (end of stream)".to_string(),
        Ok(data) => format!("{:?}", ascii(data)),
        Err(err) => net::errno_name(err),
    }
}

fn is_eof(result: &io::Result<Vec<u8>>) -> bool {
    matches!(result, Ok(data) if data.is_empty())
}

fn state_text(local: SocketAddr, peer: SocketAddr) -> &'static str {
    net::tcp_state(local, peer).unwrap_or("no row")
}

pub(super) const CLOSE_WAIT: Experiment = Experiment {
    id: "close-wait",
    kind: Kind::Experiment,
    title: "CLOSE_WAIT: the peer closed, this side did not",
    question: "A client closes its connection. The server reads end-of-stream but never calls close() on its socket. \
               What happens to the server's side of the connection?",
    options: &[
        "It stays in CLOSE_WAIT until the server calls close()",
        "It moves to TIME_WAIT and is gone after 60 s",
        "The kernel frees it as soon as the FIN arrives",
    ],
    explain: "A FIN only says the peer will send no more. The kernel acknowledges it and moves this side to \
              CLOSE_WAIT, then waits for the program: only close() (or shutdown) sends this side's FIN. No timer \
              ends CLOSE_WAIT, so a server that forgets to close leaks one socket and one descriptor per client \
              until it hits its open-files limit.",
    runner: Runner::Experiment(close_wait),
};

fn close_wait(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (client, server, client_addr, addr) = connected()?;
    log.step("TCP", format!("connect {addr}, accept"), "ok, ESTABLISHED");
    drop(client);
    let first = read_once(&server);
    log.step("TCP", "client close(); server read", read_text(&first));
    claim(is_eof(&first), || {
        format!(
            "expected end of stream after the client closed, saw {}",
            read_text(&first)
        )
    })?;
    let state = state_text(addr, client_addr);
    log.step("TCP", "server side in the kernel's table", state);
    // Long enough to show nothing changes by itself; shorter than the quiet period the waits for the
    // network use, as nothing here waits for the network (8 runs at once stayed under 200 ms).
    let later_ms = 100;
    std::thread::sleep(std::time::Duration::from_millis(later_ms));
    let later = read_once(&server);
    let peer = net::peer(&server);
    let later_state = state_text(addr, client_addr);
    log.step(
        "TCP",
        format!("{later_ms} ms later: read, getpeername"),
        format!(
            "{}, peer {}",
            read_text(&later),
            peer.as_ref()
                .map_or_else(net::errno_name, ToString::to_string)
        ),
    );
    log.step("TCP", "server side in the kernel's table", later_state);
    claim(is_eof(&later) && peer.is_ok(), || {
        "expected the server's socket to stay open after the client's FIN".to_string()
    })?;
    for seen in [state, later_state] {
        claim(matches!(seen, "CLOSE_WAIT" | "no row"), || {
            format!("expected CLOSE_WAIT for the server side, saw {seen}")
        })?;
    }
    net::abortive(&server).step("SO_LINGER")?;
    drop(server);
    // Freed at once unless another process holds a copy of the descriptor for a moment (a fork elsewhere in
    // this program, between fork and exec): wait for the row to go, with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(500);
    let mut after_close = net::tcp_state(addr, client_addr);
    while after_close.is_some() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        after_close = net::tcp_state(addr, client_addr);
    }
    log.step(
        "TCP",
        "server close()",
        after_close.unwrap_or("gone from the kernel's table"),
    );
    Ok(log.observe(
        0,
        "CLOSE_WAIT: the socket stays, end of stream on every read, until the program closes it",
        Some(
            "`ss -tan state close-wait` lists such sockets; many of them point at code that never closes"
                .to_string(),
        ),
    ))
}

pub(super) const RST_VS_FIN: Experiment = Experiment {
    id: "rst-vs-fin",
    kind: Kind::Experiment,
    title: "A reset (SO_LINGER 0) against a normal close",
    question: "A server turns SO_LINGER on with a timeout of 0 and then closes a connection. What does the \
               client's next read() return?",
    options: &[
        "ECONNRESET",
        "0, end of stream, as after a normal close",
        "Nothing: it blocks until its deadline",
    ],
    explain: "A normal close() sends a FIN: the peer reads whatever is left and then 0, end of stream. With \
              SO_LINGER on and a zero timeout, close() throws away unsent data and sends a reset (RST) instead: \
              the peer's next read fails with ECONNRESET, and this side skips TIME_WAIT. Servers use it to shed \
              bad connections, but data in flight is lost.",
    runner: Runner::Experiment(rst_vs_fin),
};

fn rst_vs_fin(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (client, server, _, addr) = connected()?;
    net::abortive(&client).step("SO_LINGER")?;
    drop(server);
    let normal = read_once(&client);
    log.step(
        "TCP",
        format!("{addr}: server close(); client read"),
        read_text(&normal),
    );
    drop(client);
    let (client, server, _, addr) = connected()?;
    net::abortive(&client).step("SO_LINGER")?;
    net::abortive(&server).step("SO_LINGER")?;
    drop(server);
    let reset = read_once(&client);
    log.step(
        "TCP",
        format!("{addr}: server SO_LINGER 0, close(); client read"),
        read_text(&reset),
    );
    claim(is_eof(&normal), || {
        format!(
            "expected end of stream after a normal close, saw {}",
            read_text(&normal)
        )
    })?;
    claim(is_errno(&reset, libc::ECONNRESET), || {
        format!(
            "expected ECONNRESET after a reset, saw {}",
            read_text(&reset)
        )
    })?;
    Ok(log.observe(
        0,
        "ECONNRESET: SO_LINGER 0 makes close() send a reset; a normal close gives end of stream",
        None,
    ))
}

pub(super) const HALF_CLOSE: Experiment = Experiment {
    id: "half-close",
    kind: Kind::Experiment,
    title: "Half-close: shutdown(SHUT_WR), then read the reply",
    question: "A client sends a request, then calls shutdown(SHUT_WR). Can it still read the server's reply?",
    options: &[
        "Yes: only its sending direction is closed",
        "No: shutdown() closes both directions",
        "No: the server's reply gets a reset",
    ],
    explain: "TCP has two directions, and shutdown(SHUT_WR) closes only the sending one: it sends a FIN, so the \
              server reads the request and then end of stream (\"that is all\"), yet it may still answer on the \
              same socket, and the client still reads. This half-closed state is how tools mark the end of a \
              request without closing the socket.",
    runner: Runner::Experiment(half_close),
};

fn half_close(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (client, server, _, addr) = connected()?;
    net::abortive(&client).step("SO_LINGER")?;
    (&mut &client).write_all(b"ping").step("client write")?;
    client.shutdown(Shutdown::Write).step("shutdown(SHUT_WR)")?;
    log.step(
        "TCP",
        format!("client connect {addr}, write \"ping\", shutdown(SHUT_WR)"),
        "ok",
    );
    let mut request = Vec::new();
    let deadline = Instant::now() + net::DEADLINE;
    let end = loop {
        let chunk = read_once(&server);
        match &chunk {
            Ok(data) if !data.is_empty() => request.extend_from_slice(data),
            _ => break chunk,
        }
        claim(Instant::now() < deadline, || {
            "the server never saw end of stream".to_string()
        })?;
    };
    log.step(
        "TCP",
        "server reads until end of stream",
        format!("{:?}, then {}", ascii(&request), read_text(&end)),
    );
    claim(request == b"ping" && is_eof(&end), || {
        format!(
            "expected \"ping\" then end of stream, saw {:?}",
            ascii(&request)
        )
    })?;
    (&mut &server).write_all(b"pong").step("server write")?;
    drop(server);
    log.step("TCP", "server writes \"pong\", close()", "ok");
    let reply = read_once(&client);
    let after = read_once(&client);
    log.step(
        "TCP",
        "client read, read again",
        format!("{}, then {}", read_text(&reply), read_text(&after)),
    );
    claim(
        matches!(&reply, Ok(data) if data == b"pong") && is_eof(&after),
        || {
            format!(
                "expected \"pong\" then end of stream at the client, saw {} and {}",
                read_text(&reply),
                read_text(&after)
            )
        },
    )?;
    let write_after = client.send_with_flags(b"more", libc::MSG_NOSIGNAL);
    log.step(
        "TCP",
        "client write after its own shutdown",
        result_text(&write_after),
    );
    claim(is_errno(&write_after, libc::EPIPE), || {
        format!(
            "expected EPIPE for a write after SHUT_WR, saw {}",
            result_text(&write_after)
        )
    })?;
    Ok(log.observe(
        0,
        "yes: after shutdown(SHUT_WR) the client still read the whole reply; only writing is over",
        None,
    ))
}

pub(super) const EPIPE_AFTER_RESET: Experiment = Experiment {
    id: "epipe-after-reset",
    kind: Kind::Experiment,
    title: "Writing to a peer that has gone: EPIPE",
    question: "The peer has closed its socket completely. Without reading, your program writes to the connection, \
               waits a moment, and writes again. What do the two writes return?",
    options: &[
        "The first succeeds, a later one fails with EPIPE",
        "The first write already fails with EPIPE",
        "Both succeed; the data is dropped silently",
    ],
    explain: "The peer's FIN only says it sends no more, so the first write succeeds: the bytes go out. The peer \
              has no socket left to take them, so its kernel answers with a reset, and the next write fails with \
              EPIPE. Unless the program ignores SIGPIPE (Rust's runtime does) or sends with MSG_NOSIGNAL, that \
              write also raises SIGPIPE, which kills the process by default.",
    runner: Runner::Experiment(epipe_after_reset),
};

fn epipe_after_reset(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (client, server, _, addr) = connected()?;
    net::abortive(&server).step("SO_LINGER")?;
    drop(client);
    log.step(
        "TCP",
        format!("connect {addr}, accept; client close()"),
        "ok",
    );
    let send = |socket: &Socket| socket.send_with_flags(b"late", libc::MSG_NOSIGNAL);
    let first = send(&server);
    log.step(
        "TCP",
        "server send \"late\" (MSG_NOSIGNAL)",
        result_text(&first),
    );
    claim(first.is_ok(), || {
        format!(
            "expected the first write to succeed, saw {}",
            result_text(&first)
        )
    })?;
    // The peer's reset arrives asynchronously: write again until one fails, within the deadline.
    let deadline = Instant::now() + net::DEADLINE;
    let later = loop {
        std::thread::sleep(Duration::from_millis(5));
        let result = send(&server);
        if result.is_err() || Instant::now() >= deadline {
            break result;
        }
    };
    log.step(
        "TCP",
        "server sends again after the peer's reset",
        result_text(&later),
    );
    claim(is_errno(&later, libc::EPIPE), || {
        format!(
            "expected EPIPE after the peer's reset, saw {}",
            result_text(&later)
        )
    })?;
    Ok(log.observe(
        0,
        "the first write succeeded; the peer answered with a reset, and the next write gave EPIPE",
        Some("MSG_NOSIGNAL kept SIGPIPE away; without it (and without SIG_IGN) the process would die".to_string()),
    ))
}

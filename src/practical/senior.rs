//! The senior experiments (issue 24): a stale pooled keep-alive socket whose server already closed it, a peer
//! that stops reading cut off by TCP_USER_TIMEOUT while the client's data waits in a zero window, and a client
//! that tries `localhost`'s addresses in turn (::1 first) against a server on 127.0.0.1 only. Both ends live in
//! this thread; every wait has a deadline and every claim is checked. It must not grade or print.
use std::io::{self, Read};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::basics::{lo, lo6};
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, claim, is_errno, option_index,
    result_text,
};

/// Connects `client` (options already set) to the listener at `addr`; returns it and the accepted end.
fn pair(listener: &Socket, addr: SocketAddr, client: Socket) -> Res<(Socket, Socket)> {
    net::connect_socket(&client, addr).step(format!("connect {addr}"))?;
    let (server, _) = net::accept(listener).step("accept")?;
    Ok((client, server))
}

/// Polls `socket`'s pending error (SO_ERROR) every 5 ms until one appears or `within` has passed.
fn wait_for_error(socket: &Socket, within: Duration) -> Res<Option<io::Error>> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(err) = socket.take_error().step("getsockopt(SO_ERROR)")? {
            return Ok(Some(err));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn read_text(result: &io::Result<usize>) -> String {
    match result {
        Ok(0) => "0 (end of stream)".to_string(),
        Ok(len) => format!("{len} bytes"),
        Err(err) => net::errno_name(err),
    }
}

const STALE_OPTIONS: &[&str] = &[
    "The write succeeds; the read then returns 0 (end of stream)",
    "The write fails at once with EPIPE",
    "The write succeeds; the read fails with ECONNRESET",
    "The write blocks until the client's own timeout",
];

pub(super) const STALE_POOLED_SOCKET: Experiment = Experiment {
    id: "stale-pooled-socket",
    kind: Kind::Experiment,
    title: "A pooled keep-alive socket the server already closed",
    question: "A client keeps an idle keep-alive connection in its pool. The server's idle timeout closes it (a \
               normal close, with a FIN), and the client does not notice. It then writes its next request on that \
               socket and reads. What does it see on Linux, on loopback?",
    options: STALE_OPTIONS,
    explain: "A FIN says only that the server will send no more; the client's socket sits in CLOSE_WAIT and may \
              still send, so the write lands in its send buffer and succeeds. The server's kernel has no socket \
              that will read the request and answers with a reset. The read finds the FIN first: 0, end of stream \
              (over a real network, a request that crosses the FIN can meet ECONNRESET instead); the reset leaves \
              EPIPE for the next write. Node's HTTP client reports it as \"socket hang up\". Fixes: a client idle \
              timeout shorter than the server's, and retrying only requests that are safe to repeat.",
    runner: Runner::Experiment(stale_pooled_socket),
};

fn stale_pooled_socket(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let socket = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
    let (client, server) = pair(&listener, addr, socket)?;
    net::abortive(&client).step("SO_LINGER")?;
    client
        .send_with_flags(b"GET /1", libc::MSG_NOSIGNAL)
        .step("client send")?;
    let mut buf = [0u8; 64];
    let got = (&mut &server).read(&mut buf).step("server read")?;
    server
        .send_with_flags(b"200 OK", libc::MSG_NOSIGNAL)
        .step("server send")?;
    let answered = (&mut &client).read(&mut buf).step("client read")?;
    log.step(
        "TCP",
        format!("connect {addr}; one request and response"),
        format!("ok, {got} and {answered} bytes; the connection goes idle in the pool"),
    );
    drop(server);
    // The pool has not looked at the socket; wait (with the read deadline) until the FIN has arrived.
    let mut peek = [std::mem::MaybeUninit::<u8>::uninit(); 1];
    let fin = client.peek(&mut peek);
    log.step(
        "TCP",
        "server idle timeout: close(); FIN reaches the client",
        match &fin {
            Ok(0) => "client socket now in CLOSE_WAIT".to_string(),
            other => read_text(other),
        },
    );
    claim(matches!(fin, Ok(0)), || {
        format!(
            "expected the server's FIN to be waiting, saw {}",
            read_text(&fin)
        )
    })?;
    let write = client.send_with_flags(b"GET /2", libc::MSG_NOSIGNAL);
    log.step(
        "TCP",
        "client writes the next request",
        match &write {
            Ok(len) => format!("ok, {len} bytes"),
            Err(err) => net::errno_name(err),
        },
    );
    let read = (&mut &client).read(&mut buf);
    log.step("TCP", "client reads the response", read_text(&read));
    let error = wait_for_error(&client, net::DEADLINE)?;
    log.step(
        "TCP",
        "client SO_ERROR (the server's kernel answered)",
        error
            .as_ref()
            .map_or_else(|| "none".to_string(), net::errno_name),
    );
    let again = client.send_with_flags(b"GET /2", libc::MSG_NOSIGNAL);
    log.step("TCP", "client writes again", result_text(&again));
    claim(write.is_ok(), || {
        format!(
            "expected the first write on the stale socket to succeed, saw {}",
            result_text(&write)
        )
    })?;
    claim(is_errno(&again, libc::EPIPE), || {
        format!(
            "expected EPIPE on the second write, saw {}",
            result_text(&again)
        )
    })?;
    let answer = match &read {
        Ok(0) => STALE_OPTIONS[0],
        Err(err) if err.raw_os_error() == Some(libc::ECONNRESET) => STALE_OPTIONS[2],
        other => {
            return Err(Fail::Errored(format!(
                "expected end of stream or ECONNRESET on the stale socket, saw {}",
                read_text(other)
            )));
        }
    };
    Ok(log.observe(
        option_index(STALE_OPTIONS, answer)?,
        "the write succeeded into a connection the server had closed; the read gave end of stream, and the \
         server's reset made the next write fail with EPIPE",
        Some(
            "an HTTP client sees a response that never comes (\"socket hang up\"); it may retry only requests that \
             are safe to repeat"
                .to_string(),
        ),
    ))
}

const USER_TIMEOUT: Duration = Duration::from_millis(100);
/// How long the aborted connection is awaited: the kernel checks the user timeout when a window probe fires
/// (about 200 ms apart on loopback, backing off), so the abort came after about 350 ms here.
const ABORT_WATCH: Duration = Duration::from_millis(1500);

const USER_TIMEOUT_OPTIONS: &[&str] = &[
    "The client's kernel aborts it with ETIMEDOUT",
    "It stays open: the server's kernel answers every window probe",
    "The server's kernel resets it once its receive buffer is full",
];

pub(super) const TCP_USER_TIMEOUT: Experiment = Experiment {
    id: "tcp-user-timeout",
    kind: Kind::Experiment,
    title: "TCP_USER_TIMEOUT against a peer that stopped reading",
    question: "A client sets TCP_USER_TIMEOUT to 100 ms and writes until its buffers are full, but the server's \
               process hangs and never reads. The server's kernel is fine and still answers. What happens to the \
               client's connection within a second?",
    options: USER_TIMEOUT_OPTIONS,
    explain: "The server's receive buffer fills, its window drops to zero, and the client's data waits unsent \
              while the client's kernel probes the window. The probes are answered, so plain TCP would wait \
              forever (a second connection without the option stays open). tcp(7): TCP_USER_TIMEOUT bounds both \
              how long sent data may stay unacknowledged and how long buffered data may stay unsent because of a \
              zero window; past it the kernel aborts the connection and reports ETIMEDOUT. It is the knob for \
              finding dead or stuck peers in seconds instead of the ~15 minutes of tcp_retries2.",
    runner: Runner::Experiment(tcp_user_timeout),
};

/// A nonblocking client with a 4 KiB send buffer, already connected to `addr`, and the accepted end.
fn small_buffered_pair(
    listener: &Socket,
    addr: SocketAddr,
    user_timeout: Option<Duration>,
) -> Res<(Socket, Socket)> {
    let socket = net::tcp_socket(addr, Opts::default()).step("TCP socket()")?;
    socket.set_send_buffer_size(4096).step("SO_SNDBUF")?;
    socket
        .set_tcp_user_timeout(user_timeout)
        .step("TCP_USER_TIMEOUT")?;
    let (client, server) = pair(listener, addr, socket)?;
    net::abortive(&client).step("SO_LINGER")?;
    client.set_nonblocking(true).step("O_NONBLOCK")?;
    Ok((client, server))
}

/// Writes until the socket would block; returns the bytes the kernel took.
fn fill(client: &Socket) -> Res<usize> {
    let chunk = [b'x'; 16384];
    let mut total = 0;
    // A 4 KiB send buffer and a 4 KiB receive buffer take well under 1 MiB between them.
    for _ in 0..64 {
        match client.send_with_flags(&chunk, libc::MSG_NOSIGNAL) {
            Ok(len) => total += len,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(total),
            Err(err) => return Err(err).step("client send"),
        }
    }
    Err(Fail::Errored(format!(
        "the client could send {total} bytes without the window closing"
    )))
}

fn tcp_user_timeout(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let listener = net::tcp_socket(lo(0), Opts::default()).step("TCP socket()")?;
    listener.set_recv_buffer_size(4096).step("SO_RCVBUF")?;
    net::bind(&listener, lo(0)).step("TCP bind 127.0.0.1:0")?;
    listener.listen(8).step("listen")?;
    let addr = net::local(&listener).step("getsockname")?;
    log.step(
        "TCP",
        format!("listen {addr}, SO_RCVBUF 4096; never read()"),
        "ok",
    );
    let (timed, _timed_server) = small_buffered_pair(&listener, addr, Some(USER_TIMEOUT))?;
    let (plain, _plain_server) = small_buffered_pair(&listener, addr, None)?;
    let timed_bytes = fill(&timed)?;
    let plain_bytes = fill(&plain)?;
    log.step(
        "TCP",
        "client A: TCP_USER_TIMEOUT 100 ms; write until EAGAIN",
        "window closed, data waits unsent",
    );
    log.step(
        "TCP",
        "client B: no TCP_USER_TIMEOUT; write until EAGAIN",
        "window closed, data waits unsent",
    );
    claim(timed_bytes > 0 && plain_bytes > 0, || {
        "expected both clients to send something before the window closed".to_string()
    })?;
    let started = Instant::now();
    let aborted = wait_for_error(&timed, ABORT_WATCH)?;
    let waited = started.elapsed();
    log.step(
        "TCP",
        "client A: wait for SO_ERROR (window probes go on)",
        aborted.as_ref().map_or_else(
            || format!("nothing after {} ms", ABORT_WATCH.as_millis()),
            |err| {
                format!(
                    "{} after about {} ms",
                    net::errno_name(err),
                    waited.as_millis().div_ceil(100) * 100
                )
            },
        ),
    );
    let plain_error = plain.take_error().step("getsockopt(SO_ERROR)")?;
    log.step(
        "TCP",
        "client B: SO_ERROR at the same moment",
        plain_error.as_ref().map_or_else(
            || "none: still open, probes answered".to_string(),
            net::errno_name,
        ),
    );
    let after = timed.send_with_flags(b"x", libc::MSG_NOSIGNAL);
    log.step("TCP", "client A: write again", result_text(&after));
    claim(
        aborted
            .as_ref()
            .is_some_and(|err| err.raw_os_error() == Some(libc::ETIMEDOUT)),
        || {
            format!(
                "expected ETIMEDOUT on the client with TCP_USER_TIMEOUT, saw {}",
                aborted
                    .as_ref()
                    .map_or_else(|| "nothing".to_string(), net::errno_name)
            )
        },
    )?;
    claim(plain_error.is_none(), || {
        "expected the client without TCP_USER_TIMEOUT to stay open".to_string()
    })?;
    Ok(log.observe(
        0,
        "ETIMEDOUT: TCP_USER_TIMEOUT ended the connection whose data waited in a zero window; without it the \
         connection stayed open",
        Some(
            "the kernel checks the timeout when a window probe or retransmission fires, so the abort comes a \
             little after the 100 ms"
                .to_string(),
        ),
    ))
}

const LOCALHOST_OPTIONS: &[&str] = &[
    "::1 is refused at once; the client then connects over 127.0.0.1",
    "The attempt to ::1 hangs until its timeout; then 127.0.0.1 connects",
    "::1 reaches the IPv4 listener through an IPv4-mapped address",
];

pub(super) const LOCALHOST_V6_FIRST: Experiment = Experiment {
    id: "localhost-v6-first",
    kind: Kind::Experiment,
    title: "localhost: ::1 first against a server on 127.0.0.1 only",
    question: "A server listens on 127.0.0.1:P only. A client resolved `localhost` to ::1 and then 127.0.0.1 \
               and tries the addresses in that order, moving on when one fails. What happens?",
    options: LOCALHOST_OPTIONS,
    explain: "Nobody listens on [::1]:P, so the kernel answers the SYN with a reset and connect() fails with \
              ECONNREFUSED at once; the client moves on and 127.0.0.1 connects. A client that tries only the first \
              address stops at ECONNREFUSED ::1, the error Node 17 and later showed for `localhost` until Node 20 \
              turned on autoSelectFamily (Happy Eyeballs, RFC 8305). An IPv4 socket never receives IPv6 \
              connections; only an IPv6 socket can take IPv4 ones, as mapped addresses.",
    runner: Runner::Experiment(localhost_v6_first),
};

fn localhost_v6_first(env: &Environment) -> Res<Observation> {
    if !env.ipv6_loopback.available {
        return Err(Fail::Unavailable(format!(
            "IPv6 loopback is not usable here ({})",
            env.ipv6_loopback.detail
        )));
    }
    let mut log = Log::default();
    for _attempt in 0..5 {
        let (listener, addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        let v6 = lo6(addr.port());
        // Hold [::1]:P ourselves (bound, never listening), so nobody else can be listening there.
        let reserve = net::tcp_socket(v6, Opts::default()).step("TCP socket()")?;
        match net::bind(&reserve, v6) {
            Ok(()) => {}
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {
                log.say("(another program took the port in between; trying a fresh port)");
                continue;
            }
            Err(err) => return Err(err).step(format!("bind {v6}")),
        }
        log.step(
            "TCP",
            format!("listen {addr}; [::1]:P bound, nobody listens"),
            "ok",
        );
        let started = Instant::now();
        let first = net::connect(v6);
        let refused_in = started.elapsed();
        log.step(
            "TCP",
            format!("client: connect {v6} (first address)"),
            match &first {
                Err(err) if err.raw_os_error() == Some(libc::ECONNREFUSED) => {
                    "ECONNREFUSED at once".to_string()
                }
                other => result_text(other),
            },
        );
        claim(
            is_errno(&first, libc::ECONNREFUSED) && refused_in < net::QUIET,
            || {
                format!(
                    "expected ECONNREFUSED at once from {v6}, saw {} after {} ms",
                    result_text(&first),
                    refused_in.as_millis()
                )
            },
        )?;
        let second = net::connect(addr).step(format!("connect {addr}"))?;
        net::abortive(&second).step("SO_LINGER")?;
        let (_accepted, peer) = net::accept(&listener).step("accept")?;
        log.step(
            "TCP",
            format!("client: connect {addr} (next address)"),
            format!("ok, accepted from {peer}"),
        );
        return Ok(log.observe(
            0,
            "::1 was refused at once (nobody listens there); the next address, 127.0.0.1, connected",
            Some(
                "a refusal costs no time, so trying the next address is cheap; Happy Eyeballs' 250 ms delay matters \
                 only when an attempt hangs"
                    .to_string(),
            ),
        ));
    }
    Err(Fail::Errored(
        "[::1]:P was taken by another program five times in a row".to_string(),
    ))
}

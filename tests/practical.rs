//! Integration tests of the practical experiments: each experiment run for real on loopback, injected
//! environments for the branches this machine cannot reach, the loopback guard, labs, the 8-way stress run and
//! the `experiments` command.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use portquiz::practical::{self, Capability, Environment, Kind, Observation, Outcome};

use crate::support;

/// Makes a transcript comparable: port numbers (4 or 5 digits after ":" or "port ") become "P" and runs of
/// spaces used for alignment shrink to two.
fn normalize(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let next = chars.get(i + digits).copied().unwrap_or(' ');
        if (4..=5).contains(&digits)
            && next != '.'
            && (out.ends_with(':') || out.ends_with("port "))
        {
            out.push('P');
            i += digits;
            continue;
        }
        if chars[i] == ' ' && out.ends_with("  ") {
            i += 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The observation as text: normalised transcript, "=> conclusion" and "note: ..." lines.
fn render(observation: &Observation) -> String {
    let mut text = String::new();
    for line in &observation.transcript {
        text.push_str(&normalize(line));
        text.push('\n');
    }
    text.push_str(&format!("=> {}\n", normalize(&observation.conclusion)));
    if let Some(note) = &observation.note {
        text.push_str(&format!("note: {}\n", normalize(note)));
    }
    text
}

fn observe_with(id: &str, env: &Environment) -> Observation {
    let experiment = practical::find(id).unwrap();
    match practical::run(experiment, env) {
        Outcome::Observed(observation) => observation,
        other => panic!("{id}: expected an observation, got {other:?}"),
    }
}

/// True when `line` matches `pattern`, where `*` stands for any text.
fn glob(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (index, part) in parts.iter().enumerate() {
        if index == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Fills the environment-dependent placeholders of an expected transcript from this machine's facts.
fn fill(expected: &str, env: &Environment) -> String {
    let (low, high) = env.local_port_range.unwrap();
    expected
        .replace("{range}", &format!("{low}-{high}"))
        .replace("{somaxconn}", &env.somaxconn.unwrap().to_string())
        .replace(
            "{nofile}",
            &env.nofile_soft
                .map_or_else(|| "unknown".to_string(), |v| v.to_string()),
        )
        .replace(
            "{unprivileged}",
            &env.unprivileged_port_start.unwrap().to_string(),
        )
}

/// Runs the experiment for real and compares its answer and its whole (normalised) transcript.
fn check(id: &str, correct: &[usize], expected: &str) {
    let env = Environment::detect();
    let observation = observe_with(id, &env);
    let expected = fill(expected.strip_prefix('\n').unwrap_or(expected), &env);
    let mut actual = render(&observation);
    // Another test may take a port in the instant it is free; the experiment then says so and retries on a
    // fresh port. Only the attempt that ran through is compared.
    const RETRY: &str = "(another program took the port in between; trying a fresh port)\n";
    if let Some(at) = actual.rfind(RETRY) {
        actual = actual[at + RETRY.len()..].to_string();
    }
    let lines_match = expected.lines().count() == actual.lines().count()
        && expected
            .lines()
            .zip(actual.lines())
            .all(|(pattern, line)| glob(pattern, line));
    assert!(
        lines_match,
        "{id}: transcript differs\n--- expected\n{expected}--- actual\n{actual}"
    );
    assert_eq!(observation.correct, correct, "{id}: correct options");
    let experiment = practical::find(id).unwrap();
    for &index in correct {
        assert!(
            index < experiment.options.len(),
            "{id}: option {index} out of range"
        );
    }
}

// ---- every experiment, for real, on this machine's loopback --------------------------------------------------

#[test]
fn double_bind() {
    check(
        "double-bind",
        &[0],
        r#"
TCP  bind 127.0.0.1:P + listen  ok, listening (socket 1)
TCP  bind 127.0.0.1:P (socket 2)  EADDRINUSE
TCP  both SO_REUSEADDR, 1st listening: bind 127.0.0.1:P  EADDRINUSE
TCP  both SO_REUSEADDR, none listening: bind 127.0.0.1:P  ok
TCP  then listen() on both  1st ok, 2nd EADDRINUSE
UDP  bind 127.0.0.1:P twice, no options  EADDRINUSE
UDP  bind 127.0.0.1:P twice, both SO_REUSEADDR  ok
=> EADDRINUSE: a TCP socket already owns 127.0.0.1:P, and one (protocol, address, port) has one owner
"#,
    );
}

#[test]
fn tcp_udp_same_port() {
    check(
        "tcp-udp-same-port",
        &[0],
        r#"
TCP  bind 127.0.0.1:P + listen  ok, listening
UDP  bind 127.0.0.1:P  ok
UDP  sendto 127.0.0.1:P "hi"  the UDP socket got "hi"
TCP  connect 127.0.0.1:P  accepted by the TCP listener (peer 127.0.0.1:P)
=> yes: TCP and UDP ports are separate; a socket is protocol + IP + port
"#,
    );
}

#[test]
fn ephemeral_port_range() {
    check(
        "ephemeral-port-range",
        &[1],
        r#"
  read ip_local_port_range  {range}
TCP  bind 127.0.0.1:0 x20  20/20 in range, e.g. *
UDP  bind 127.0.0.1:0 x10  10/10 in range, e.g. *
=> from the ephemeral range: all 30 ports fell in {range} (ip_local_port_range)
note: this machine's range is {range}; other systems use other ranges (IANA suggests 49152-65535)
"#,
    );
}

#[test]
fn when_port_assigned() {
    check(
        "when-port-assigned",
        &[0],
        r#"
TCP  server bind 127.0.0.1:P + listen  ok
TCP  socket(); getsockname  0.0.0.0:0
TCP  connect 127.0.0.1:P; getsockname  127.0.0.1:P
UDP  socket(); getsockname  0.0.0.0:0
UDP  connect 127.0.0.1:P; getsockname  127.0.0.1:P
=> 0: a new socket has no port; connect() gave it an ephemeral one
"#,
    );
}

#[test]
fn connection_four_tuple() {
    check(
        "connection-four-tuple",
        &[0],
        r#"
TCP  client  getsockname -> getpeername  127.0.0.1:P -> 127.0.0.1:P
TCP  server  getpeername -> getsockname  127.0.0.1:P -> 127.0.0.1:P
  mirror image  yes
=> yes: both ends hold (127.0.0.1:P, 127.0.0.1:P), seen from opposite sides
"#,
    );
}

#[test]
fn accepted_socket_port() {
    check(
        "accepted-socket-port",
        &[0],
        r#"
TCP  listen 127.0.0.1:P  ok
TCP  accept -> client 127.0.0.1:P  accepted socket's getsockname: 127.0.0.1:P
=> P: the accepted socket is 127.0.0.1:P, the same port the server listens on
"#,
    );
}

#[test]
fn server_sockets_per_client() {
    check(
        "server-sockets-per-client",
        &[2],
        r#"
TCP  listen 127.0.0.1:P  1 listening socket
TCP  client 1 connects, accept  127.0.0.1:P <- 127.0.0.1:P
TCP  client 2 connects, accept  127.0.0.1:P <- 127.0.0.1:P
TCP  client 3 connects, accept  127.0.0.1:P <- 127.0.0.1:P
  server sockets (own handles)  4: 1 listening + 3 connected
  distinct local ports / peer endpoints  1 / 3
=> 4: 1 listening + 3 connected sockets, all on port P
"#,
    );
}

#[test]
fn udp_one_socket() {
    check(
        "udp-one-socket",
        &[0],
        r#"
UDP  server bind 127.0.0.1:P  1 socket
UDP  server recvfrom  "1" from 127.0.0.1:P
UDP  server recvfrom  "2" from 127.0.0.1:P
UDP  server recvfrom  "3" from 127.0.0.1:P
=> 1: one UDP socket received from 3 different client endpoints
"#,
    );
}

#[test]
fn connection_refused() {
    check(
        "connection-refused",
        &[0],
        r#"
TCP  bind 127.0.0.1:P, no listen()  ok, reserved
TCP  connect 127.0.0.1:P  ECONNREFUSED
TCP  bind [::1]:P, no listen()  ok, reserved
TCP  connect [::1]:P  ECONNREFUSED
=> ECONNREFUSED: with no listening socket the kernel refuses at once
"#,
    );
}

#[test]
fn address_part_of_endpoint() {
    check(
        "address-part-of-endpoint",
        &[1],
        r#"
TCP  listen 127.0.0.1:P  ok
TCP  connect 127.0.0.1:P  ok, accepted
TCP  bind 127.0.0.2:P, no listen()  ok, reserved
TCP  connect 127.0.0.2:P  ECONNREFUSED
TCP  bind [::1]:P, no listen()  ok, reserved
TCP  connect [::1]:P  ECONNREFUSED
=> no: only 127.0.0.1:P has a listener; the same port elsewhere is refused
"#,
    );
}

#[test]
fn connected_udp_icmp() {
    check(
        "connected-udp-icmp",
        &[0],
        r#"
UDP  connect 127.0.0.1:P (closed), send  ok
UDP  recv  ECONNREFUSED
UDP  unconnected: sendto 127.0.0.1:P, recvfrom  no error; timed out after 150 ms
=> ECONNREFUSED: the ICMP port-unreachable reached the connected socket on its next recv()
"#,
    );
}

#[test]
fn loopback_vs_wildcard() {
    check(
        "loopback-vs-wildcard",
        &[0],
        r#"
TCP  listen 127.0.0.1:P  ok
TCP  listen 127.0.0.2:P  ok
TCP  connect 127.0.0.2:P  accepted by the 127.0.0.2 socket (127.0.0.2:P)
TCP  bind 0.0.0.0:P (bind only)  EADDRINUSE
=> yes: 127.0.0.1:P and 127.0.0.2:P are different endpoints; the wildcard 0.0.0.0:P collides
"#,
    );
}

#[test]
fn dual_stack_v6only() {
    check(
        "dual-stack-v6only",
        &[1],
        r#"
  read net.ipv6.bindv6only  0
TCP  socket(AF_INET6); getsockopt(IPV6_V6ONLY)  0
TCP  bind 127.0.0.1:P, then [::]:P (no options)  EADDRINUSE (our 127.0.0.1 socket)
TCP  bind 127.0.0.1:P, then [::]:P (IPV6_V6ONLY=1)  ok, both bound
TCP  bind 127.0.0.1:P, then [::]:P (IPV6_V6ONLY=0)  EADDRINUSE (our 127.0.0.1 socket)
TCP  bind 127.0.0.1:P, then [::1]:P (IPV6_V6ONLY=0)  ok, both bound
TCP  listen [::ffff:127.0.0.1]:P; IPv4 client connects  server sees peer [::ffff:127.0.0.1]:P
=> no: IPV6_V6ONLY is off by default here, so [::]:P also claims IPv4 port P (EADDRINUSE)
note: net.ipv6.bindv6only is 0 on this machine; the wildcard was only bound (never listened on), and only after our own 127.0.0.1 socket
"#,
    );
}

#[test]
fn shared_client_port() {
    check(
        "shared-client-port",
        &[0],
        r#"
TCP  two servers listen  L1 127.0.0.1:P, L2 127.0.0.1:P
TCP  c1 SO_REUSEADDR bind 127.0.0.1:P, connect L1  ok
TCP  c2 SO_REUSEADDR bind 127.0.0.1:P, connect L2  ok
TCP  c3 SO_REUSEADDR bind 127.0.0.1:P, connect L1  EADDRNOTAVAIL
TCP  c4 bind 127.0.0.2:P, connect L1  ok
TCP  L1 accepts  peer 127.0.0.2:P: same port, other client IP
=> yes: the 4-tuples differ; only an identical 4-tuple is refused (EADDRNOTAVAIL)
"#,
    );
}

#[test]
fn time_wait_reuseaddr() {
    check(
        "time-wait-reuseaddr",
        &[1],
        r#"
each row: listen on P, accept, the server closes first, the client closes, the listener exits
TCP  old listener no option, restart no option  bind 127.0.0.1:P: EADDRINUSE
TCP  old listener no option, restart SO_REUSEADDR  bind 127.0.0.1:P: EADDRINUSE
TCP  old listener SO_REUSEADDR, restart no option  bind 127.0.0.1:P: EADDRINUSE
TCP  old listener SO_REUSEADDR, restart SO_REUSEADDR  bind 127.0.0.1:P: ok
=> no: the closed connection sits in TIME_WAIT on port P; only SO_REUSEADDR on old and new listener binds
note: the TIME_WAIT entries left by this experiment expire by themselves after 60 s
"#,
    );
}

#[test]
fn close_frees_port() {
    check(
        "close-frees-port",
        &[0],
        r#"
TCP  listen 127.0.0.1:P, close, bind+listen again  ok
UDP  bind 127.0.0.1:P, close, bind again  ok
TCP  listen 127.0.0.1:P, dup(), close the original, bind  EADDRINUSE
TCP  close the dup too, bind again  ok
=> yes: closing the last descriptor frees the port at once; an open dup keeps it taken
"#,
    );
}

#[test]
fn so_reuseport() {
    check(
        "so-reuseport",
        &[0],
        r#"
TCP  a: SO_REUSEPORT, listen 127.0.0.1:P  ok
TCP  b: SO_REUSEPORT, listen 127.0.0.1:P  ok
TCP  c: no options, bind 127.0.0.1:P  EADDRINUSE
TCP  d: SO_REUSEADDR only, bind 127.0.0.1:P  EADDRINUSE
TCP  16 clients connect 127.0.0.1:P  a accepted *, b accepted * (split by a hash)
UDP  two SO_REUSEPORT sockets bind 127.0.0.1:P  ok
=> yes, with SO_REUSEPORT on both: the kernel spread the connections over the two listeners
"#,
    );
}

#[test]
fn port_65536() {
    check(
        "port-65536",
        &[1],
        r#"
  parse "127.0.0.1:P" as a socket address  error: invalid socket address syntax
  u16::try_from(65536)  error: out of range
  the trap: 65536 as u16 (C's htons does the same)  0, i.e. "any port"
TCP  bind 127.0.0.1:P (bind only)  ok
=> no: 65535 is the highest port; 65536 does not fit in 16 bits
"#,
    );
}

#[test]
fn privileged_ports() {
    let env = Environment::detect();
    if env.euid == Some(0) {
        check(
            "privileged-ports",
            &[0],
            r#"
TCP  bind 127.0.0.1:80 (bind only)  ok
TCP  bind 127.0.0.1:P (bind only)  ok
TCP  bind 127.0.0.1:P (bind only)  ok
UDP  bind 127.0.0.1:P (bind only)  ok
=> yes: this process may bind port 80 (see the note for why)
note: you are root here (euid 0), so port 80 binds; an ordinary user without CAP_NET_BIND_SERVICE gets EACCES below {unprivileged}
"#,
        );
    } else if env.may_bind_privileged() == Some(false) && env.unprivileged_port_start == Some(1024)
    {
        // An ordinary user (a developer running the tests): the kernel checks EACCES before EADDRINUSE.
        let uid = env.euid.unwrap();
        check(
            "privileged-ports",
            &[1],
            &format!(
                r#"
TCP  bind 127.0.0.1:80 (bind only)  EACCES
TCP  bind 127.0.0.1:P (bind only)  EACCES
TCP  bind 127.0.0.1:P (bind only)  ok
UDP  bind 127.0.0.1:P (bind only)  EACCES
=> no: EACCES, port 80 is below the unprivileged start and this process lacks the privilege
note: you are uid {uid} without CAP_NET_BIND_SERVICE, so ports below 1024 give EACCES; root or a process with CAP_NET_BIND_SERVICE may bind them
"#
            ),
        );
    } else {
        let observation = observe_with("privileged-ports", &env);
        assert_eq!(observation.correct.len(), 1);
    }
}

#[test]
fn listen_backlog() {
    check(
        "listen-backlog",
        &[1],
        r#"
TCP  bind 127.0.0.1:P, listen(1), never accept  ok
TCP  4 nonblocking connects, watch until quiet  2 connected, 2 still waiting
=> 2: Linux completes backlog + 1 handshakes before anyone calls accept()
note: somaxconn is {somaxconn} here; it caps any backlog a program asks for
"#,
    );
}

#[test]
fn http_keep_alive() {
    check(
        "http-keep-alive",
        &[0],
        r#"
TCP  server listens 127.0.0.1:P  ok
HTTP GET /a HTTP/1.1 from 127.0.0.1:P  HTTP/1.1 200 OK
HTTP GET /b HTTP/1.1 from 127.0.0.1:P  HTTP/1.1 200 OK
  keep-alive: accepted connections  1
HTTP GET /c HTTP/1.1 (close) from 127.0.0.1:P  HTTP/1.1 200 OK, then end of stream
HTTP GET /d HTTP/1.1 (close) from 127.0.0.1:P  HTTP/1.1 200 OK, then end of stream
  Connection: close: accepted connections  2
=> 1 and 2: keep-alive reused one socket; each Connection: close request needed its own connection
"#,
    );
}

#[test]
fn websocket_upgrade() {
    check(
        "websocket-upgrade",
        &[0],
        r#"
TCP  connect 127.0.0.1:P  127.0.0.1:P -> 127.0.0.1:P
HTTP GET /chat, Upgrade: websocket  HTTP/1.1 101 Switching Protocols
WS  Sec-WebSocket-Accept  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= (matches RFC 6455)
WS  client sends a masked text frame  server echoes "portquiz"
TCP  4-tuple after the frames; new connections  127.0.0.1:P -> 127.0.0.1:P; none
=> the same connection: one accept, one 4-tuple before and after the upgrade
"#,
    );
}

#[test]
fn epoll_thousand_connections() {
    check(
        "epoll-thousand-connections",
        &[0],
        r#"
TCP  listen 127.0.0.1:P, epoll_ctl(ADD)  ok
TCP  1000 nonblocking connects  EINPROGRESS or done
TCP  epoll_wait + accept until EAGAIN  1000 accepted in * wakeups
  accepted sockets: local ports / peer ports  1 (port P) / 1000 distinct
  close all with SO_LINGER 0  no TIME_WAIT left
=> yes: one thread accepted 1000 connections, every one on local port P
note: the open-files limit here is {nofile}; with `ulimit -n 1024` this many pairs would hit EMFILE
"#,
    );
}

#[test]
fn stream_vs_datagram() {
    check(
        "stream-vs-datagram",
        &[0],
        r#"
TCP  client writes "a", "b", "c" to 127.0.0.1:P  3 writes
TCP  server: one read(4096)  "abc"
UDP  client sends "a", "b", "c" to 127.0.0.1:P  3 datagrams
UDP  server: recvfrom(4096) until all arrived  ["a", "b", "c"]
=> TCP gave "abc" in one read (a stream); UDP needed three reads (one datagram each)
"#,
    );
}

// ---- the catalogue ---------------------------------------------------------------------------------------------

#[test]
fn close_wait() {
    check(
        "close-wait",
        &[0],
        r#"
TCP  connect 127.0.0.1:P, accept  ok, ESTABLISHED
TCP  client close(); server read  0 (end of stream)
TCP  server side in the kernel's table  CLOSE_WAIT
TCP  100 ms later: read, getpeername  0 (end of stream), peer 127.0.0.1:P
TCP  server side in the kernel's table  CLOSE_WAIT
TCP  server close()  gone from the kernel's table
=> CLOSE_WAIT: the socket stays, end of stream on every read, until the program closes it
note: `ss -tan state close-wait` lists such sockets; many of them point at code that never closes
"#,
    );
}

#[test]
fn rst_vs_fin() {
    check(
        "rst-vs-fin",
        &[0],
        r#"
TCP  127.0.0.1:P: server close(); client read  0 (end of stream)
TCP  127.0.0.1:P: server SO_LINGER 0, close(); client read  ECONNRESET
=> ECONNRESET: SO_LINGER 0 makes close() send a reset; a normal close gives end of stream
"#,
    );
}

#[test]
fn half_close() {
    check(
        "half-close",
        &[0],
        r#"
TCP  client connect 127.0.0.1:P, write "ping", shutdown(SHUT_WR)  ok
TCP  server reads until end of stream  "ping", then 0 (end of stream)
TCP  server writes "pong", close()  ok
TCP  client read, read again  "pong", then 0 (end of stream)
TCP  client write after its own shutdown  EPIPE
=> yes: after shutdown(SHUT_WR) the client still read the whole reply; only writing is over
"#,
    );
}

#[test]
fn epipe_after_reset() {
    check(
        "epipe-after-reset",
        &[0],
        r#"
TCP  connect 127.0.0.1:P, accept; client close()  ok
TCP  server send "late" (MSG_NOSIGNAL)  ok
TCP  server sends again after the peer's reset  EPIPE
=> the first write succeeded; the peer answered with a reset, and the next write gave EPIPE
note: MSG_NOSIGNAL kept SIGPIPE away; without it (and without SIG_IGN) the process would die
"#,
    );
}

#[test]
fn nonblocking_connect() {
    check(
        "nonblocking-connect",
        &[0],
        r#"
TCP  nonblocking connect 127.0.0.1:P (listening)  EINPROGRESS
TCP  wait until writable, read SO_ERROR  0: connected
TCP  nonblocking connect 127.0.0.1:P (bound, nobody listens)  EINPROGRESS
TCP  wait until writable, read SO_ERROR  ECONNREFUSED
=> EINPROGRESS: the connect finished later, and SO_ERROR told whether it worked
"#,
    );
}

#[test]
fn unix_domain_socket() {
    check(
        "unix-domain-socket",
        &[0],
        r#"
UNIX bind <tmp>/quiz.sock + listen; getsockname  the path <tmp>/quiz.sock, no port
UNIX stat <tmp>/quiz.sock  a socket file
UNIX client connect, server accept; client getsockname  unnamed: no address at all
UNIX client writes "hi", server reads  "hi"
UNIX close all, remove <tmp>  ok
=> none: a Unix-domain socket is addressed by a path; it has no IP address and no port
"#,
    );
}

#[test]
fn connected_never_accepted() {
    check(
        "connected-never-accepted",
        &[0],
        r#"
TCP  bind 127.0.0.1:P, listen(0), no accept() yet  ok
TCP  client 1: connect 127.0.0.1:P, send a request  connected, sent 18 bytes
TCP  client 1: read, 150 ms deadline  no reply (timed out)
TCP  client 2: connect 127.0.0.1:P while the queue is full  still waiting after 150 ms (SYN dropped)
TCP  server: accept() at last, read  "GET / HTTP/1.0\r\n\r\n" was already waiting
=> connect() and send() succeeded before any accept(); the client just waited for a reply
"#,
    );
}

#[test]
fn catalogue_has_the_agreed_ids_and_option_counts() {
    let ids: Vec<&str> = practical::catalogue().iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [
            "double-bind",
            "tcp-udp-same-port",
            "ephemeral-port-range",
            "when-port-assigned",
            "connection-four-tuple",
            "accepted-socket-port",
            "server-sockets-per-client",
            "udp-one-socket",
            "connection-refused",
            "address-part-of-endpoint",
            "connected-udp-icmp",
            "loopback-vs-wildcard",
            "dual-stack-v6only",
            "shared-client-port",
            "time-wait-reuseaddr",
            "close-frees-port",
            "so-reuseport",
            "port-65536",
            "privileged-ports",
            "listen-backlog",
            "http-keep-alive",
            "websocket-upgrade",
            "epoll-thousand-connections",
            "stream-vs-datagram",
            "close-wait",
            "rst-vs-fin",
            "half-close",
            "epipe-after-reset",
            "nonblocking-connect",
            "unix-domain-socket",
            "connected-never-accepted",
            "lab-start-listener",
            "lab-connect-client",
            "lab-find-service-port",
            "stale-pooled-socket",
            "tcp-user-timeout",
            "localhost-v6-first",
        ]
    );
    for experiment in practical::catalogue() {
        assert_eq!(
            practical::find(experiment.id).map(|e| e.id),
            Some(experiment.id)
        );
        match experiment.kind {
            Kind::Experiment => assert!(
                (2..=4).contains(&experiment.options.len()),
                "{} has {} options",
                experiment.id,
                experiment.options.len()
            ),
            Kind::Lab => assert!(
                experiment.options.is_empty(),
                "{} is a lab with options",
                experiment.id
            ),
        }
        assert!(
            !experiment.explain.is_empty()
                && !experiment.question.is_empty()
                && !experiment.title.is_empty()
        );
    }
    assert!(practical::find("no-such-experiment").is_none());
}

#[test]
fn running_a_lab_as_an_experiment_is_an_error() {
    let lab = practical::find("lab-start-listener").unwrap();
    let Outcome::Errored { message } = practical::run(lab, &Environment::detect()) else {
        panic!("expected an error")
    };
    assert_eq!(
        message,
        "lab-start-listener is a lab: it is prepared and verified, not run"
    );
}

// ---- the loopback guard ----------------------------------------------------------------------------------------

#[test]
fn guard_lets_only_loopback_through_and_wildcards_only_as_conflict_probes() {
    use portquiz::practical::guard::{Use, check};
    let allowed_everywhere = [
        "127.0.0.1:80",
        "127.0.0.2:0",
        "127.255.255.254:65535",
        "[::1]:443",
        "[::ffff:127.0.0.1]:3000",
    ];
    for text in allowed_everywhere {
        let addr: std::net::SocketAddr = text.parse().unwrap();
        assert_eq!(
            check(addr, Use::Endpoint),
            Ok(addr),
            "{text} as an endpoint"
        );
        assert_eq!(
            check(addr, Use::ConflictProbe),
            Ok(addr),
            "{text} as a probe"
        );
    }
    for text in ["0.0.0.0:8080", "[::]:0"] {
        let addr: std::net::SocketAddr = text.parse().unwrap();
        assert_eq!(check(addr, Use::ConflictProbe), Ok(addr));
        assert_eq!(
            check(addr, Use::Endpoint).unwrap_err().to_string(),
            format!(
                "refused {addr}: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
            )
        );
    }
    let refused = [
        "192.168.1.10:3000",
        "10.0.0.5:54000",
        "8.8.8.8:53",
        "255.255.255.255:9",
        "224.0.0.1:5353",
        "[2001:db8::1]:80",
        "[fe80::1]:22",
        "[::ffff:10.0.0.1]:80",
        "[::ffff:0.0.0.0]:80",
        "[ff02::1]:546",
    ];
    for text in refused {
        let addr: std::net::SocketAddr = text.parse().unwrap();
        assert_eq!(
            check(addr, Use::Endpoint).unwrap_err().to_string(),
            format!(
                "refused {addr}: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
            )
        );
        assert_eq!(
            check(addr, Use::ConflictProbe).unwrap_err().to_string(),
            format!(
                "refused {addr}: a bind-conflict probe may only use loopback or a wildcard address"
            )
        );
    }
}

// ---- injected environments: the branches this machine cannot reach -------------------------------------------

fn without_ipv6() -> Environment {
    let mut env = Environment::detect();
    env.ipv6_loopback = Capability::no("bind [::1]:0 gave EADDRNOTAVAIL");
    env
}

fn without_127_0_0_2() -> Environment {
    let mut env = Environment::detect();
    env.loopback_127_0_0_2 = Capability::no("bind 127.0.0.2:0 gave EADDRNOTAVAIL");
    env
}

fn unavailable(id: &str, env: &Environment) -> String {
    match practical::run(practical::find(id).unwrap(), env) {
        Outcome::Unavailable { reason } => reason,
        other => panic!("{id}: expected Unavailable, got {other:?}"),
    }
}

#[test]
fn without_ipv6_the_ipv6_experiments_are_unavailable_and_the_rest_say_what_they_skipped() {
    let env = without_ipv6();
    assert_eq!(
        unavailable("dual-stack-v6only", &env),
        "IPv6 is not usable on loopback (bind [::1]:0 gave EADDRNOTAVAIL)"
    );
    let refused = observe_with("connection-refused", &env);
    assert_eq!(refused.correct, [0]);
    assert_eq!(
        refused.transcript.len(),
        2,
        "only the IPv4 half runs: {:?}",
        refused.transcript
    );
    assert_eq!(
        refused.note.as_deref(),
        Some("IPv6 is not usable on loopback here, so ::1 was skipped")
    );
    let endpoint = observe_with("address-part-of-endpoint", &env);
    assert_eq!(endpoint.correct, [1]);
    assert!(
        !endpoint
            .transcript
            .iter()
            .any(|line| line.contains("[::1]"))
    );
    assert_eq!(
        endpoint.note.as_deref(),
        Some("IPv6 is not usable on loopback here, so only 127.0.0.2 was tried")
    );
}

#[test]
fn without_127_0_0_2_the_address_experiments_adapt_or_step_aside() {
    let env = without_127_0_0_2();
    assert_eq!(
        unavailable("loopback-vs-wildcard", &env),
        "127.0.0.2 cannot be bound (bind 127.0.0.2:0 gave EADDRNOTAVAIL)"
    );
    let endpoint = observe_with("address-part-of-endpoint", &env);
    assert_eq!(
        endpoint.note.as_deref(),
        Some("127.0.0.2 cannot be bound here, so only ::1 was tried")
    );
    let shared = observe_with("shared-client-port", &env);
    assert_eq!(shared.correct, [0]);
    assert_eq!(
        shared.note.as_deref(),
        Some("127.0.0.2 cannot be bound here (bind 127.0.0.2:0 gave EADDRNOTAVAIL)")
    );

    let mut neither = without_127_0_0_2();
    neither.ipv6_loopback = Capability::no("bind [::1]:0 gave EAFNOSUPPORT");
    assert_eq!(
        unavailable("address-part-of-endpoint", &neither),
        "neither 127.0.0.2 (bind 127.0.0.2:0 gave EADDRNOTAVAIL) nor ::1 (bind [::1]:0 gave EAFNOSUPPORT) can be used here"
    );
}

#[test]
fn without_ipv4_loopback_nothing_runs_and_nothing_is_graded() {
    let mut env = Environment::detect();
    env.ipv4_loopback = Capability::no("listen and connect on 127.0.0.1:0 gave ENETUNREACH");
    for experiment in practical::catalogue()
        .iter()
        .filter(|e| e.kind == Kind::Experiment)
    {
        assert_eq!(
            unavailable(experiment.id, &env),
            "IPv4 loopback does not work here (listen and connect on 127.0.0.1:0 gave ENETUNREACH)"
        );
    }
    let lab = practical::find("lab-connect-client").unwrap();
    assert_eq!(
        practical::prepare_lab(lab, &env).unwrap_err(),
        "IPv4 loopback does not work here (listen and connect on 127.0.0.1:0 gave ENETUNREACH)"
    );
}

#[test]
fn a_low_fd_limit_makes_the_thousand_connections_unavailable() {
    let mut env = Environment::detect();
    env.nofile_soft = Some(1024);
    env.nofile_hard = Some(1024);
    assert_eq!(
        unavailable("epoll-thousand-connections", &env),
        "the open-files limit here is 1024 (hard 1024), and 1000 connections with both ends in one process need \
         about 2128 descriptors; try `ulimit -n 4096` before starting portquiz"
    );
}

#[test]
fn environment_that_contradicts_the_kernel_errors_instead_of_grading() {
    let env = Environment::detect();
    if env.euid != Some(0) {
        return; // the contradiction below needs a process that may bind port 80
    }
    let mut pretend = env.clone();
    pretend.euid = Some(1000);
    pretend.cap_net_bind_service = Some(false);
    pretend.unprivileged_port_start = Some(1024);
    let Outcome::Errored { message } =
        practical::run(practical::find("privileged-ports").unwrap(), &pretend)
    else {
        panic!("expected an error");
    };
    assert_eq!(
        message,
        "port 80: the environment predicts EACCES but bind gave ok"
    );

    let mut flipped = env.clone();
    flipped.bindv6only = env.bindv6only.map(|value| !value);
    let Outcome::Errored { message } =
        practical::run(practical::find("dual-stack-v6only").unwrap(), &flipped)
    else {
        panic!("expected an error");
    };
    let real = u8::from(env.bindv6only.unwrap());
    assert_eq!(
        message,
        format!(
            "net.ipv6.bindv6only={} but a new IPv6 socket starts with IPV6_V6ONLY={real}",
            1 - real
        )
    );
}

#[test]
fn environment_detection_reads_this_machine() {
    let env = Environment::detect();
    assert!(env.ipv4_loopback.available, "{}", env.ipv4_loopback.detail);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let uid_line = status
        .lines()
        .find(|line| line.starts_with("Uid:"))
        .unwrap();
    assert_eq!(
        env.euid,
        uid_line.split_whitespace().nth(2).unwrap().parse().ok()
    );
    let range = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap();
    let mut parts = range.split_whitespace().map(|p| p.parse::<u16>().unwrap());
    assert_eq!(
        env.local_port_range,
        Some((parts.next().unwrap(), parts.next().unwrap()))
    );
    let facts = env.facts();
    let names: Vec<&str> = facts.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "kernel",
            "IPv4 loopback",
            "IPv6 loopback (::1)",
            "127.0.0.2",
            "effective uid",
            "CAP_NET_BIND_SERVICE",
            "ip_unprivileged_port_start",
            "ip_local_port_range",
            "bindv6only",
            "somaxconn",
            "tcp_abort_on_overflow",
            "open files limit (soft/hard)",
        ]
    );
}

// ---- labs ------------------------------------------------------------------------------------------------------

fn this_process() -> String {
    let comm = std::fs::read_to_string("/proc/self/comm").unwrap();
    format!("pid {} ({})", std::process::id(), comm.trim())
}

/// Kills and reaps a child process when dropped, so a failing test leaves nothing running.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn lab_start_listener_waits_for_a_listener_then_names_its_owner() {
    use std::io::{Read, Write};
    let env = Environment::detect();
    let mut setup =
        practical::prepare_lab(practical::find("lab-start-listener").unwrap(), &env).unwrap();
    let port = setup.port();
    assert!((10_000..20_000).contains(&port), "{port}");
    if let Some((low, high)) = env.local_port_range {
        assert!(!(low..=high).contains(&port), "{port} is an ephemeral port");
    }
    assert_eq!(
        setup.instructions(),
        format!(
            "Start a TCP listener on 127.0.0.1:{port} in another terminal, for example:\n\n    \
             python3 -m http.server {port} --bind 127.0.0.1\n\n\
             Wait until it says it is serving, then come back and press Enter: portquiz will connect to it.\n\
             (Stop it with Ctrl-C afterwards.)"
        )
    );
    let missing = practical::verify_lab(&mut setup, Duration::ZERO);
    assert!(!missing.passed);
    assert_eq!(
        missing.transcript,
        [format!(
            "TCP  connect 127.0.0.1:{port}   ECONNREFUSED (nobody listens)"
        )]
    );
    assert_eq!(
        missing.conclusion,
        format!(
            "nothing listens on 127.0.0.1:{port}: start the command above, wait until it serves, and try again"
        )
    );

    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = [0u8; 256];
        let len = stream.read(&mut buf).unwrap();
        stream
            .write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi")
            .unwrap();
        String::from_utf8_lossy(&buf[..len]).into_owned()
    });
    let found = practical::verify_lab(&mut setup, Duration::from_secs(5));
    if !found.passed {
        let _ = std::net::TcpStream::connect(("127.0.0.1", port)); // unblock the server thread
    }
    let request = server.join().unwrap();
    assert!(found.passed, "{found:?}");
    assert_eq!(request, "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(
        normalize(&found.transcript[0]),
        "TCP  connect 127.0.0.1:P  ok, from 127.0.0.1:P"
    );
    assert_eq!(
        found.transcript[1],
        "HTTP GET / HTTP/1.0   reply \"HTTP/1.0 200 OK\""
    );
    assert_eq!(
        found.transcript[2],
        format!("owner of the listening socket: {}", this_process())
    );
    assert_eq!(
        found.conclusion,
        format!(
            "a listening socket owns 127.0.0.1:{port}: your program created it and portquiz reached it"
        )
    );
}

#[test]
fn lab_start_listener_accepts_the_offered_python_command() {
    if !support::tool_for(
        "lab_start_listener_accepts_the_offered_python_command",
        "python3",
    ) {
        return;
    }
    let env = Environment::detect();
    let mut setup =
        practical::prepare_lab(practical::find("lab-start-listener").unwrap(), &env).unwrap();
    let port = setup.port().to_string();
    let child = std::process::Command::new("python3")
        .args(["-m", "http.server", &port, "--bind", "127.0.0.1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let child = Child(child);
    let result = practical::verify_lab(&mut setup, Duration::from_secs(20));
    drop(child);
    assert!(result.passed, "{result:?}");
    assert_eq!(
        result
            .transcript
            .last()
            .map(String::as_str)
            .unwrap_or_default()
            .split(" (")
            .nth(1)
            .map(|s| s.starts_with("python")),
        Some(true),
        "{result:?}"
    );
    assert!(
        result
            .transcript
            .iter()
            .any(|line| line == "HTTP GET / HTTP/1.0   reply \"HTTP/1.0 200 OK\""),
        "{result:?}"
    );
}

#[test]
fn lab_connect_client_shows_the_candidates_own_four_tuple() {
    let env = Environment::detect();
    let lab = practical::find("lab-connect-client").unwrap();
    let mut idle = practical::prepare_lab(lab, &env).unwrap();
    let idle_port = idle.port();
    let nobody = practical::verify_lab(&mut idle, Duration::ZERO);
    assert!(!nobody.passed);
    assert_eq!(
        nobody.transcript,
        [
            format!("TCP  listening on 127.0.0.1:{idle_port}"),
            "TCP  accept   no connection came in 0 ms".to_string()
        ]
    );
    assert_eq!(
        nobody.conclusion,
        format!(
            "no connection arrived on 127.0.0.1:{idle_port}: run the command above in another terminal, then press Enter"
        )
    );
    drop(idle);

    let mut setup = practical::prepare_lab(lab, &env).unwrap();
    let port = setup.port();
    assert!(
        setup
            .instructions()
            .contains(&format!("    curl http://127.0.0.1:{port}/\n"))
    );
    assert!(
        setup
            .instructions()
            .contains(&format!("create_connection(('127.0.0.1', {port}))"))
    );
    let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let ephemeral = client.local_addr().unwrap().port();
    let result = practical::verify_lab(&mut setup, Duration::from_secs(5));
    assert!(result.passed, "{result:?}");
    let (low, high) = env.local_port_range.unwrap();
    assert_eq!(
        result.transcript,
        [
            format!("TCP  listening on 127.0.0.1:{port}"),
            format!("TCP  accept   connection 127.0.0.1:{ephemeral} -> 127.0.0.1:{port}"),
            format!("the 4-tuple: client 127.0.0.1 port {ephemeral}, server 127.0.0.1 port {port}"),
            format!("your port {ephemeral} is inside ip_local_port_range {low}-{high}"),
            format!("your process: {}", this_process()),
        ]
    );
    assert_eq!(
        result.conclusion,
        format!(
            "your client got the ephemeral port {ephemeral} when it connected; (127.0.0.1:{ephemeral}) -> \
             (127.0.0.1:{port}) identifies this connection"
        )
    );
}

#[test]
fn lab_connect_client_answers_curl() {
    if !support::tool_for("lab_connect_client_answers_curl", "curl") {
        return;
    }
    let env = Environment::detect();
    let mut setup =
        practical::prepare_lab(practical::find("lab-connect-client").unwrap(), &env).unwrap();
    let url = format!("http://127.0.0.1:{}/", setup.port());
    let curl = std::process::Command::new("curl")
        .args(["--silent", "--max-time", "10", &url])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let result = practical::verify_lab(&mut setup, Duration::from_secs(10));
    let output = curl.wait_with_output().unwrap();
    assert!(result.passed, "{result:?}");
    let body = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        normalize(&body),
        "portquiz saw your connection as 127.0.0.1:P -> 127.0.0.1:P\n"
    );
}

#[test]
fn lab_find_service_port_checks_the_services_default_port() {
    let env = Environment::detect();
    let mut setup =
        match practical::prepare_lab(practical::find("lab-find-service-port").unwrap(), &env) {
            Ok(setup) => setup,
            Err(reason) => {
                // Both ports are taken on this machine (a real MySQL and a dev server, say): the lab steps aside.
                assert_eq!(
                    reason,
                    "the ports of MySQL (3306) and Node's usual 3000 are both in use here"
                );
                return;
            }
        };
    let port = setup.port();
    let service = if port == 3306 {
        "MySQL"
    } else {
        "a Node.js app"
    };
    assert!([3306, 3000].contains(&port), "{port}");
    assert!(setup.instructions().starts_with(&format!(
        "Stand in for {service}. Find the port it uses by default"
    )));
    if port == 3306 {
        assert_eq!(
            setup.instructions(),
            "Stand in for MySQL. Find the port it uses by default; look it up with real tools, `getent services \
             mysql` or `grep -w mysql /etc/services`.\nThen start a TCP listener on that port on 127.0.0.1, for \
             example:\n\n    python3 -m http.server PORT --bind 127.0.0.1\n\nwith PORT replaced by the number you \
             found, and press Enter: portquiz will check that port."
        );
    }
    assert!(
        !setup.instructions().contains(&port.to_string()),
        "the instructions give the answer away"
    );
    let missing = practical::verify_lab(&mut setup, Duration::ZERO);
    assert!(!missing.passed);
    assert_eq!(
        missing.conclusion,
        format!(
            "nothing listens on 127.0.0.1:{port}: {service}'s default port is {port}; start the listener there and try again"
        )
    );
    // Listening is enough: the connection completes in the backlog without an accept().
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let found = practical::verify_lab(&mut setup, Duration::from_secs(5));
    drop(listener);
    assert!(found.passed, "{found:?}");
    assert_eq!(
        found.transcript[1],
        "HTTP GET / HTTP/1.0   no HTTP reply (any TCP listener counts)"
    );
    assert_eq!(
        found.conclusion,
        format!(
            "you found it: {service} uses port {port}, and your listener now owns 127.0.0.1:{port}"
        )
    );
}

#[test]
fn preparing_an_experiment_as_a_lab_is_refused() {
    let err = practical::prepare_lab(
        practical::find("double-bind").unwrap(),
        &Environment::detect(),
    )
    .unwrap_err();
    assert_eq!(err, "double-bind is an experiment, not a lab");
}

// ---- the whole catalogue, 8 times in parallel, in a process of its own -----------------------------------------

/// Descriptors this process has open, as their link targets, sorted.
fn open_descriptors() -> Vec<String> {
    let mut targets: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .filter_map(|entry| std::fs::read_link(entry.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .collect();
    targets.sort();
    targets
}

#[test]
#[ignore = "runs in a process of its own, started by catalogue_runs_eight_times_in_parallel_without_failures_or_leaks"]
fn stress_child() {
    let env = Environment::detect();
    let experiments: Vec<&practical::Experiment> = practical::catalogue()
        .iter()
        .filter(|e| e.kind == Kind::Experiment)
        .collect();
    let before = open_descriptors();
    let results: Vec<Vec<(&str, Outcome)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|thread| {
                let (env, experiments) = (&env, &experiments);
                scope.spawn(move || {
                    (0..experiments.len())
                        .map(|i| {
                            let experiment = experiments[(i + thread * 3) % experiments.len()];
                            (experiment.id, practical::run(experiment, env))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    let after = open_descriptors();
    let mut answers = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    let mut observed = 0;
    for (id, outcome) in results.iter().flatten() {
        match outcome {
            Outcome::Observed(observation) => {
                observed += 1;
                let first = answers
                    .entry(*id)
                    .or_insert_with(|| observation.correct.clone());
                if *first != observation.correct {
                    problems.push(format!("{id}: answers differ between runs"));
                }
            }
            other => problems.push(format!("{id}: {other:?}")),
        }
    }
    let leaked: Vec<&String> = after
        .iter()
        .filter(|target| !before.contains(target))
        .collect();
    println!(
        "stress: {observed} observed, {} problems, {} leaked descriptors",
        problems.len(),
        leaked.len()
    );
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(after, before, "descriptors leaked: {leaked:?}");
}

#[test]
fn catalogue_runs_eight_times_in_parallel_without_failures_or_leaks() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "practical::stress_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the stress run failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("stress: 272 observed, 0 problems, 0 leaked descriptors\n"),
        "{stdout}"
    );
    assert!(stdout.contains("test result: ok. 1 passed"), "{stdout}");
}

// ---- `portquiz experiments` ------------------------------------------------------------------------------------

fn portquiz(args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_portquiz"))
        .arg("--data-dir")
        .arg(data.path())
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    (output, data)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn experiments_lists_the_catalogue() {
    let (output, _data) = portquiz(&["--color", "never", "experiments"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "double-bind                  experiment Two TCP sockets, one address and port"
    );
    assert_eq!(
        lines[1],
        "    A TCP listener already owns 127.0.0.1:P. A second TCP socket calls bind(127.0.0.1:P). What happens?"
    );
    assert_eq!(
        lines[62],
        "lab-start-listener           lab        Lab: start a listener on a port portquiz names"
    );
    assert_eq!(lines.len(), 37 * 2 + 2);
    assert_eq!(
        lines[75],
        "Run them with `portquiz experiments run [ID...]`; labs are done in `portquiz study`."
    );
    assert!(!stdout.contains('\u{1b}'));
}

#[test]
fn experiments_json_lists_ids_kinds_and_options() {
    let (output, _data) = portquiz(&["experiments", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let rows: serde_json::Value =
        crate::support::json_unique(&String::from_utf8_lossy(&output.stdout));
    let rows = rows["experiments"].as_array().unwrap();
    assert_eq!(rows.len(), 37);
    assert_eq!(
        rows[1],
        serde_json::json!({
            "experiment": "tcp-udp-same-port",
            "kind": "experiment",
            "title": "TCP and UDP on the same port",
            "question": "Can a TCP socket and a UDP socket both bind 127.0.0.1:P at the same time?",
            "options": ["Yes", "No"],
        })
    );
    assert_eq!(rows[33]["kind"], "lab");
    assert_eq!(rows[36]["experiment"], "localhost-v6-first");
}

#[test]
fn experiments_run_prints_transcript_conclusion_and_environment_without_colour() {
    let (output, _data) = portquiz(&[
        "--color",
        "never",
        "experiments",
        "run",
        "port-65536",
        "double-bind",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    let normalized: Vec<String> = stdout.lines().map(normalize).collect();
    assert_eq!(
        normalized[..9],
        [
            "port-65536 (Port 65536)",
            "  Can a program bind port P?",
            "  parse \"127.0.0.1:P\" as a socket address  error: invalid socket address syntax",
            "  u16::try_from(65536)  error: out of range",
            "  the trap: 65536 as u16 (C's htons does the same)  0, i.e. \"any port\"",
            "  TCP  bind 127.0.0.1:P (bind only)  ok",
            "  => no: 65535 is the highest port; 65536 does not fit in 16 bits",
            "  answer: No: a port is a 16-bit number, 0-65535",
            "",
        ]
    );
    assert_eq!(
        normalized[9],
        "double-bind (Two TCP sockets, one address and port)"
    );
    let footer = stdout
        .lines()
        .position(|line| line == "environment")
        .unwrap();
    assert_eq!(stdout.lines().count(), footer + 13);
    assert!(
        stdout
            .lines()
            .nth(footer + 2)
            .unwrap()
            .starts_with("  IPv4 loopback                  yes")
    );

    let (no_color, _data) = portquiz(&["experiments", "run", "port-65536"]);
    assert!(
        !text(&no_color.stdout).contains('\u{1b}'),
        "not a terminal: no colour by default"
    );
    let (forced, _data) = portquiz(&["--color", "always", "experiments", "run", "port-65536"]);
    assert!(text(&forced.stdout).contains("\u{1b}[1mport-65536\u{1b}[0m"));
}

#[test]
fn experiments_run_json_reports_outcomes_and_environment() {
    let (output, _data) = portquiz(&["experiments", "run", "tcp-udp-same-port", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let report: serde_json::Value =
        crate::support::json_unique(&String::from_utf8_lossy(&output.stdout));
    let first = &report["experiments"][0];
    assert_eq!(first["experiment"], "tcp-udp-same-port");
    assert_eq!(first["outcome"], "observed");
    assert_eq!(first["correct"], serde_json::json!([0]));
    assert_eq!(
        first["conclusion"],
        "yes: TCP and UDP ports are separate; a socket is protocol + IP + port"
    );
    assert_eq!(first["transcript"].as_array().unwrap().len(), 4);
    assert_eq!(report["environment"]["ipv4_loopback"]["available"], true);
}

#[test]
fn experiments_run_rejects_unknown_ids_and_labs() {
    let (output, _data) = portquiz(&["experiments", "run", "port-65536", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let valid = practical::catalogue()
        .iter()
        .filter(|e| e.kind == Kind::Experiment)
        .map(|e| e.id)
        .collect::<Vec<_>>()
        .join(", ");
    assert_eq!(
        text(&output.stderr),
        format!("error: unknown experiment \"nope\"; valid ids: {valid}\n")
    );
    let (lab, _data) = portquiz(&["experiments", "run", "lab-connect-client"]);
    assert_eq!(lab.status.code(), Some(2));
    assert_eq!(
        text(&lab.stderr),
        format!(
            "error: lab-connect-client is a lab: it needs you at the keyboard, so study it with `portquiz study`; \
             experiments are: {valid}\n"
        )
    );
}

#[test]
fn run_selected_exits_1_when_an_experiment_errors_and_0_when_one_is_unavailable() {
    use portquiz::commands::experiments::{Format, run_selected};
    use portquiz::env::Exit;
    const PLAIN: Format = Format::Text { color: false };
    let env = Environment::detect();
    let mut out = Vec::new();
    let lab = practical::find("lab-start-listener").unwrap();
    assert_eq!(
        run_selected(&mut out, &[lab], &env, PLAIN).unwrap(),
        Exit::Problems
    );
    assert!(
        text(&out).contains(
            "  error: lab-start-listener is a lab: it is prepared and verified, not run\n"
        )
    );

    let mut out = Vec::new();
    let dual = practical::find("dual-stack-v6only").unwrap();
    assert_eq!(
        run_selected(&mut out, &[dual], &without_ipv6(), PLAIN).unwrap(),
        Exit::Ok
    );
    assert!(text(&out).contains(
        "  not available here: IPv6 is not usable on loopback (bind [::1]:0 gave EADDRNOTAVAIL)\n"
    ));
}

// ---- decks/socket-lab.yaml -------------------------------------------------------------------------------------

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LabDeck {
    format: u32,
    id: String,
    title: String,
    description: String,
    tags: Vec<String>,
    cards: Vec<LabCard>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LabCard {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    experiment: String,
    #[serde(default)]
    prompt: Option<String>,
    explain: String,
    hint: String,
    // The topic tags the practical cards brought along when they left the topic decks (issue 16).
    #[serde(default)]
    #[allow(dead_code)]
    tags: Vec<String>,
    // Where `portquiz interview` digs next after a good answer (issue 17).
    #[serde(default)]
    #[allow(dead_code)]
    follow_up: Vec<String>,
}

#[test]
fn socket_lab_deck_has_a_card_for_every_experiment_and_lab() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/decks/socket-lab.yaml"
    ))
    .unwrap();
    assert!(source.starts_with("# yaml-language-server: $schema=deck.schema.json\n"));
    let deck: LabDeck = serde_saphyr::from_str(&source).unwrap();
    assert_eq!(
        (deck.format, deck.id.as_str(), deck.title.as_str()),
        (1, "socket-lab", "Socket lab")
    );
    assert!(!deck.description.is_empty() && !deck.tags.is_empty());
    let covered: Vec<(&str, &str)> = deck
        .cards
        .iter()
        .map(|c| (c.experiment.as_str(), c.kind.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = practical::catalogue()
        .iter()
        .map(|e| {
            let kind = match e.kind {
                Kind::Experiment => "practical",
                Kind::Lab => "lab",
            };
            (e.id, kind)
        })
        .collect();
    assert_eq!(covered, expected);
    for card in &deck.cards {
        assert_eq!(
            card.id, card.experiment,
            "card ids follow the experiment ids"
        );
        assert!(card.explain.len() > 80, "{}: explain is too thin", card.id);
        assert!(!card.hint.is_empty(), "{}", card.id);
        assert!(
            card.prompt.is_none(),
            "{}: the experiment's own question is used",
            card.id
        );
    }
}

// ---- the fd limit, for real: a child portquiz under `ulimit` ---------------------------------------------------

fn portquiz_under_ulimit(ulimit: &str) -> std::process::Output {
    let data = tempfile::tempdir().unwrap();
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit {ulimit} 1024 && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_portquiz"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "--color",
            "never",
            "experiments",
            "run",
            "epoll-thousand-connections",
        ])
        .output()
        .unwrap()
}

#[test]
fn a_low_soft_fd_limit_is_raised_for_the_run_and_reported() {
    let hard = Environment::detect().nofile_hard;
    if hard.is_some_and(|hard| hard < 4096) {
        return; // this machine's hard limit cannot be raised above; the next test covers that branch
    }
    let output = portquiz_under_ulimit("-Sn");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("  answer: Yes, all on the same port\n"),
        "{stdout}"
    );
    let hard = hard.map_or_else(|| "18446744073709551615".to_string(), |h| h.to_string());
    assert!(
        stdout.contains(&format!(
            "  note: the soft open-files limit here is 1024; portquiz raised it to 4096 for this run (hard limit {hard})\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("  open files limit (soft/hard)   1024/"),
        "{stdout}"
    );
}

#[test]
fn a_low_hard_fd_limit_makes_the_experiment_unavailable_not_failed() {
    let output = portquiz_under_ulimit("-n");
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "  not available here: the open-files limit here is 1024 (hard 1024), and 1000 connections with both \
             ends in one process need about 2128 descriptors; try `ulimit -n 4096` before starting portquiz\n"
        ),
        "{stdout}"
    );
}

#[test]
fn the_id_lists_for_the_deck_loader_match_the_catalogue() {
    let ids = |kind: Kind| -> Vec<&str> {
        practical::catalogue()
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(
        practical::experiment_ids(),
        ids(Kind::Experiment).as_slice()
    );
    assert_eq!(practical::lab_ids(), ids(Kind::Lab).as_slice());
}

// ---- the senior experiments (issue 24) -------------------------------------------------------------------------

#[test]
fn stale_pooled_socket() {
    check(
        "stale-pooled-socket",
        &[0],
        r#"
TCP  connect 127.0.0.1:P; one request and response  ok, 6 and 6 bytes; the connection goes idle in the pool
TCP  server idle timeout: close(); FIN reaches the client  client socket now in CLOSE_WAIT
TCP  client writes the next request  ok, 6 bytes
TCP  client reads the response  0 (end of stream)
TCP  client SO_ERROR (the server's kernel answered)  EPIPE
TCP  client writes again  EPIPE
=> the write succeeded into a connection the server had closed; the read gave end of stream, and the server's reset made the next write fail with EPIPE
note: an HTTP client sees a response that never comes ("socket hang up"); it may retry only requests that are safe to repeat
"#,
    );
}

#[test]
fn tcp_user_timeout() {
    check(
        "tcp-user-timeout",
        &[0],
        r#"
TCP  listen 127.0.0.1:P, SO_RCVBUF 4096; never read()  ok
TCP  client A: TCP_USER_TIMEOUT 100 ms; write until EAGAIN  window closed, data waits unsent
TCP  client B: no TCP_USER_TIMEOUT; write until EAGAIN  window closed, data waits unsent
TCP  client A: wait for SO_ERROR (window probes go on)  ETIMEDOUT after about * ms
TCP  client B: SO_ERROR at the same moment  none: still open, probes answered
TCP  client A: write again  EPIPE
=> ETIMEDOUT: TCP_USER_TIMEOUT ended the connection whose data waited in a zero window; without it the connection stayed open
note: the kernel checks the timeout when a window probe or retransmission fires, so the abort comes a little after the 100 ms
"#,
    );
}

#[test]
fn localhost_v6_first() {
    let env = Environment::detect();
    if !env.ipv6_loopback.available {
        let experiment = practical::find("localhost-v6-first").unwrap();
        assert!(matches!(
            practical::run(experiment, &env),
            Outcome::Unavailable { .. }
        ));
        return;
    }
    check(
        "localhost-v6-first",
        &[0],
        r#"
TCP  listen 127.0.0.1:P; [::1]:P bound, nobody listens  ok
TCP  client: connect [::1]:P (first address)  ECONNREFUSED at once
TCP  client: connect 127.0.0.1:P (next address)  ok, accepted from 127.0.0.1:P
=> ::1 was refused at once (nobody listens there); the next address, 127.0.0.1, connected
note: a refusal costs no time, so trying the next address is cheap; Happy Eyeballs' 250 ms delay matters only when an attempt hangs
"#,
    );
}

#[test]
fn localhost_v6_first_is_unavailable_without_ipv6_loopback() {
    let mut env = Environment::detect();
    env.ipv6_loopback = Capability::no("bind [::1]:0 gave EADDRNOTAVAIL");
    let experiment = practical::find("localhost-v6-first").unwrap();
    match practical::run(experiment, &env) {
        Outcome::Unavailable { reason } => assert_eq!(
            reason,
            "IPv6 loopback is not usable here (bind [::1]:0 gave EADDRNOTAVAIL)"
        ),
        other => panic!("expected unavailable, got {other:?}"),
    }
}

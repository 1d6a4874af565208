//! Integration tests of the practical experiments: each experiment run for real on loopback, injected
//! environments for the branches this machine cannot reach, the loopback guard, labs, the 8-way stress run and
//! the `experiments` command.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use portquiz::practical::{self, Environment, Observation, Outcome};

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
    let actual = render(&observation);
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
TCP  both SO_REUSEADDR, 1st listening: bind 127.0.0.1:P EADDRINUSE
TCP  both SO_REUSEADDR, none listening: bind 127.0.0.1:P ok
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
TCP  bind 0.0.0.0:P first, then 127.0.0.1:P  EADDRINUSE
=> yes: 127.0.0.1:P and 127.0.0.2:P are different endpoints; 0.0.0.0:P collides with both
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
TCP  bind 0.0.0.0:P, then [::]:P (no options)  EADDRINUSE (our 0.0.0.0 socket)
TCP  bind 0.0.0.0:P, then [::]:P (IPV6_V6ONLY=1) ok, both bound
TCP  bind 0.0.0.0:P, then [::]:P (IPV6_V6ONLY=0) EADDRINUSE (our 0.0.0.0 socket)
TCP  listen [::ffff:127.0.0.1]:P; IPv4 client connects server sees peer [::ffff:127.0.0.1]:P
=> no: IPV6_V6ONLY is off by default here, so [::]:P also claims 0.0.0.0:P (EADDRINUSE)
note: net.ipv6.bindv6only is 0 on this machine; the wildcards were only bound, never listened on
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
TCP  listen 127.0.0.1:P, dup(), close the original, bind EADDRINUSE
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

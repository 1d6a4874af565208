//! P10-P14: the address as part of the endpoint, connected UDP and ICMP errors, specific vs wildcard binds,
//! dual stack and IPV6_V6ONLY, and one client port in several connections. Wildcards appear only as bind-only
//! probes ([`super::net::bind_probe`]); nothing here listens on them.
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::basics::{lo, lo6};
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, YES_NO, claim, is_errno,
    option_index, result_text,
};

fn lo2(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 2], port))
}

fn any4(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::UNSPECIFIED, port))
}

fn any6(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv6Addr::UNSPECIFIED, port))
}

fn no_ipv6(env: &Environment) -> Fail {
    Fail::Unavailable(format!(
        "IPv6 is not usable on loopback ({})",
        env.ipv6_loopback.detail
    ))
}

fn no_127_0_0_2(env: &Environment) -> Fail {
    Fail::Unavailable(format!(
        "127.0.0.2 cannot be bound ({})",
        env.loopback_127_0_0_2.detail
    ))
}

pub(super) const ADDRESS_PART_OF_ENDPOINT: Experiment = Experiment {
    id: "address-part-of-endpoint",
    kind: Kind::Experiment,
    title: "Same port, other address",
    question: "A server listens on 127.0.0.1:P only. Does a connect to port P on another loopback address \
               (127.0.0.2 or ::1) reach it?",
    options: &[
        "Yes: the port is what counts",
        "No: ECONNREFUSED, another address is another endpoint",
    ],
    explain: "Think of the IP address as the building and the port as the apartment: apartment P in \
              another building is somewhere else. A socket is IP + port (+ protocol), so 127.0.0.2:P and [::1]:P \
              are endpoints of their own, and nobody listens there.",
    runner: Runner::Experiment(address_part_of_endpoint),
};

fn address_part_of_endpoint(env: &Environment) -> Res<Observation> {
    if !env.loopback_127_0_0_2.available && !env.ipv6_loopback.available {
        return Err(Fail::Unavailable(format!(
            "neither 127.0.0.2 ({}) nor ::1 ({}) can be used here",
            env.loopback_127_0_0_2.detail, env.ipv6_loopback.detail
        )));
    }
    let mut log = Log::default();
    let mut others = Vec::new();
    if env.loopback_127_0_0_2.available {
        others.push(lo2 as fn(u16) -> SocketAddr);
    }
    if env.ipv6_loopback.available {
        others.push(lo6);
    }
    for _attempt in 0..5 {
        let (listener, addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        log.step("TCP", format!("listen {addr}"), "ok");
        let client = net::connect(addr).step(format!("connect {addr}"))?;
        let (_accepted, _) = net::accept(&listener).step("accept")?;
        net::abortive(&client).step("SO_LINGER")?;
        log.step("TCP", format!("connect {addr}"), "ok, accepted");
        let mut reserved = Vec::new();
        let mut taken = false;
        for other in &others {
            let target = other(addr.port());
            let socket = net::tcp_socket(target, Opts::default()).step("TCP socket()")?;
            match net::bind(&socket, target) {
                Ok(()) => reserved.push((socket, target)),
                Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => taken = true,
                Err(err) => {
                    return Err(Fail::Errored(format!(
                        "bind {target} gave {}",
                        net::errno_name(&err)
                    )));
                }
            }
        }
        if taken {
            log.say("     (another program holds port P on another address; trying a fresh port)");
            continue;
        }
        for (_socket, target) in &reserved {
            log.step("TCP", format!("bind {target}, no listen()"), "ok, reserved");
            let result = net::connect(*target);
            log.step("TCP", format!("connect {target}"), result_text(&result));
            claim(is_errno(&result, libc::ECONNREFUSED), || {
                format!(
                    "expected ECONNREFUSED from {target}, saw {}",
                    result_text(&result)
                )
            })?;
        }
        let skipped = if !env.ipv6_loopback.available {
            Some("IPv6 is not usable on loopback here, so only 127.0.0.2 was tried".to_string())
        } else if !env.loopback_127_0_0_2.available {
            Some("127.0.0.2 cannot be bound here, so only ::1 was tried".to_string())
        } else {
            None
        };
        return Ok(log.observe(
            1,
            "no: only 127.0.0.1:P has a listener; the same port elsewhere is refused",
            skipped,
        ));
    }
    Err(Fail::Unavailable(
        "five fresh ports in a row were taken on another loopback address".to_string(),
    ))
}

pub(super) const CONNECTED_UDP_ICMP: Experiment = Experiment {
    id: "connected-udp-icmp",
    kind: Kind::Experiment,
    title: "Connected UDP to a closed port",
    question: "A connected UDP socket sends a datagram to 127.0.0.1:P, where nothing listens. What does its next \
               recv() do?",
    options: &[
        "It fails with ECONNREFUSED",
        "It waits until its timeout",
        "It returns 0 bytes",
    ],
    explain: "UDP has no handshake, so an error can only come back later: the kernel answers with an ICMP \"port \
              unreachable\", and a connected UDP socket reports it on its next call. An unconnected socket (sendto) \
              hears nothing and simply waits.",
    runner: Runner::Experiment(connected_udp_icmp),
};

fn connected_udp_icmp(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    for _attempt in 0..5 {
        // Pick a free UDP port by binding it, then close it: nobody should be there a moment later.
        let closed = net::udp_bind(lo(0), Opts::default())
            .and_then(|socket| socket.local_addr())
            .step("UDP bind 127.0.0.1:0")?;
        let socket = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
        socket
            .set_read_timeout(Some(net::QUIET))
            .step("SO_RCVTIMEO")?;
        net::udp_connect(&socket, closed).step("UDP connect")?;
        socket.send(b"ping").step("UDP send")?;
        log.step("UDP", format!("connect {closed} (closed), send"), "ok");
        let mut buf = [0u8; 16];
        let result = socket.recv(&mut buf);
        log.step("UDP", "recv", result_text(&result));
        match &result {
            Err(err) if err.raw_os_error() == Some(libc::ECONNREFUSED) => {}
            _ => {
                log.say("     (something answered or the port was reused; trying a fresh port)");
                continue;
            }
        }
        let unconnected = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
        unconnected
            .set_read_timeout(Some(net::QUIET))
            .step("SO_RCVTIMEO")?;
        net::send_to(&unconnected, b"ping", closed).step("UDP sendto")?;
        let quiet = unconnected.recv_from(&mut buf);
        let quiet_text = match &quiet {
            Err(err) if net::is_timeout(err) => {
                format!("no error; timed out after {} ms", net::QUIET.as_millis())
            }
            other => result_text(other),
        };
        log.step(
            "UDP",
            format!("unconnected: sendto {closed}, recvfrom"),
            &quiet_text,
        );
        claim(matches!(&quiet, Err(err) if net::is_timeout(err)), || {
            format!("expected the unconnected socket to time out, saw {quiet_text}")
        })?;
        return Ok(log.observe(
            0,
            "ECONNREFUSED: the ICMP port-unreachable reached the connected socket on its next recv()",
            None,
        ));
    }
    Err(Fail::Unavailable(
        "five closed UDP ports in a row did not produce a refusal".to_string(),
    ))
}

pub(super) const LOOPBACK_VS_WILDCARD: Experiment = Experiment {
    id: "loopback-vs-wildcard",
    kind: Kind::Experiment,
    title: "127.0.0.1 vs 127.0.0.2 vs 0.0.0.0",
    question: "One socket listens on 127.0.0.1:P. Can another socket listen on 127.0.0.2:P at the same time?",
    options: YES_NO,
    explain: "A socket is IP + port, so the same port on two different addresses gives two endpoints; Linux puts \
              all of 127.0.0.0/8 on the loopback interface. The wildcard 0.0.0.0 means every address, so it \
              collides with any specific bind on the same port.",
    runner: Runner::Experiment(loopback_vs_wildcard),
};

fn loopback_vs_wildcard(env: &Environment) -> Res<Observation> {
    if !env.loopback_127_0_0_2.available {
        return Err(no_127_0_0_2(env));
    }
    let mut log = Log::default();
    for _attempt in 0..5 {
        let (_first, addr) =
            net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
        log.step("TCP", format!("listen {addr}"), "ok");
        let other = lo2(addr.port());
        let (second, _) = match net::listener(other, Opts::default()) {
            Ok(pair) => pair,
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {
                log.step(
                    "TCP",
                    format!("listen {other}"),
                    "EADDRINUSE from another program; fresh port",
                );
                continue;
            }
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "listen {other} gave {}",
                    net::errno_name(&err)
                )));
            }
        };
        log.step("TCP", format!("listen {other}"), "ok");
        let client = net::connect(other).step(format!("connect {other}"))?;
        let (accepted, _) = net::accept(&second).step("accept")?;
        let landed = net::local(&accepted).step("getsockname")?;
        net::abortive(&client).step("SO_LINGER")?;
        log.step(
            "TCP",
            format!("connect {other}"),
            format!("accepted by the 127.0.0.2 socket ({landed})"),
        );
        claim(landed == other, || {
            format!("expected the connection to land on {other}, saw {landed}")
        })?;

        let probe = net::tcp_socket(any4(0), Opts::default()).step("TCP socket()")?;
        let wildcard = net::bind_probe(probe, any4(addr.port()));
        log.step(
            "TCP",
            format!("bind {} (bind only)", any4(addr.port())),
            result_text(&wildcard),
        );
        claim(is_errno(&wildcard, libc::EADDRINUSE), || {
            format!(
                "expected EADDRINUSE for the wildcard bind, saw {}",
                result_text(&wildcard)
            )
        })?;
        return Ok(log.observe(
            0,
            "yes: 127.0.0.1:P and 127.0.0.2:P are different endpoints; the wildcard 0.0.0.0:P collides",
            None,
        ));
    }
    Err(Fail::Unavailable(
        "five fresh ports in a row were taken on 127.0.0.2 by other programs".to_string(),
    ))
}

pub(super) const DUAL_STACK_V6ONLY: Experiment = Experiment {
    id: "dual-stack-v6only",
    kind: Kind::Experiment,
    title: "Dual stack and IPV6_V6ONLY",
    question: "A socket holds 127.0.0.1:P (IPv4). With no socket options set, can another socket bind the IPv6 \
               wildcard [::]:P at the same time on this machine?",
    options: YES_NO,
    explain: "On Linux an IPv6 socket also serves IPv4 (as ::ffff:a.b.c.d) unless IPV6_V6ONLY is set, and the \
              default comes from net.ipv6.bindv6only. So [::]:P usually claims every IPv4 address on port P too: \
              the classic dual-stack \"address already in use\" between [::] and 0.0.0.0. A specific IPv6 address \
              like ::1 never covers IPv4. The address family is part of the endpoint.",
    runner: Runner::Experiment(dual_stack_v6only),
};

fn dual_stack_v6only(env: &Environment) -> Res<Observation> {
    if !env.ipv6_loopback.available {
        return Err(no_ipv6(env));
    }
    let Some(bindv6only) = env.bindv6only else {
        return Err(Fail::Unavailable(
            "net.ipv6.bindv6only could not be read".to_string(),
        ));
    };
    let mut log = Log::default();
    log.step("", "read net.ipv6.bindv6only", u8::from(bindv6only));
    let fresh = net::tcp_socket(any6(0), Opts::default()).step("TCP socket(AF_INET6)")?;
    let starts_v6only = fresh.only_v6().step("getsockopt(IPV6_V6ONLY)")?;
    drop(fresh);
    log.step(
        "TCP",
        "socket(AF_INET6); getsockopt(IPV6_V6ONLY)",
        u8::from(starts_v6only),
    );
    claim(starts_v6only == bindv6only, || {
        format!(
            "net.ipv6.bindv6only={} but a new IPv6 socket starts with IPV6_V6ONLY={}",
            u8::from(bindv6only),
            u8::from(starts_v6only)
        )
    })?;
    let default = v4_then_v6(&mut log, any6, Opts::default(), "no options", starts_v6only)?;
    claim(default == starts_v6only, || {
        format!(
            "IPV6_V6ONLY={} by default but [::] and 127.0.0.1 coexisting was {default}",
            u8::from(starts_v6only)
        )
    })?;
    let only = v4_then_v6(&mut log, any6, Opts::v6only(true), "IPV6_V6ONLY=1", true)?;
    claim(only, || {
        "expected [::]:P with IPV6_V6ONLY=1 to coexist with 127.0.0.1:P".to_string()
    })?;
    let dual = v4_then_v6(&mut log, any6, Opts::v6only(false), "IPV6_V6ONLY=0", false)?;
    claim(!dual, || {
        "expected [::]:P with IPV6_V6ONLY=0 to collide with 127.0.0.1:P".to_string()
    })?;
    let specific = v4_then_v6(&mut log, lo6, Opts::v6only(false), "IPV6_V6ONLY=0", true)?;
    claim(specific, || {
        "expected [::1]:P to coexist with 127.0.0.1:P".to_string()
    })?;

    // Live: a dual-stack socket on ::ffff:127.0.0.1 takes an IPv4 client.
    let mapped = SocketAddr::from((Ipv4Addr::LOCALHOST.to_ipv6_mapped(), 0));
    let (listener, addr) =
        net::listener(mapped, Opts::v6only(false)).step("TCP listen on [::ffff:127.0.0.1]:0")?;
    let client = net::connect(lo(addr.port())).step("IPv4 connect")?;
    let (_accepted, peer) = net::accept(&listener).step("accept")?;
    net::abortive(&client).step("SO_LINGER")?;
    log.step(
        "TCP",
        format!("listen {addr}; IPv4 client connects"),
        format!("server sees peer {peer}"),
    );
    claim(
        matches!(peer.ip(), IpAddr::V6(v6) if v6.to_ipv4_mapped() == Some(Ipv4Addr::LOCALHOST)),
        || format!("expected an IPv4-mapped peer, saw {peer}"),
    )?;
    let answer = if default { "Yes" } else { "No" };
    let conclusion = if default {
        "yes: bindv6only=1 here, so [::]:P takes IPv6 only and leaves IPv4 alone"
    } else {
        "no: IPV6_V6ONLY is off by default here, so [::]:P also claims IPv4 port P (EADDRINUSE)"
    };
    Ok(log.observe(
        option_index(YES_NO, answer)?,
        conclusion,
        Some(format!(
            "net.ipv6.bindv6only is {} on this machine; the wildcard was only bound (never listened on), \
             and only after our own 127.0.0.1 socket",
            u8::from(bindv6only)
        )),
    ))
}

/// Binds 127.0.0.1:0 (bind only), then `v6(P)` with `opts`; true when both hold the port at once.
/// The wildcard is only ever the second party of the conflict. When a collision is expected it comes from our
/// own socket; when coexisting is expected, a collision means another program holds the IPv6 side, so a fresh
/// port is tried.
fn v4_then_v6(
    log: &mut Log,
    v6: fn(u16) -> SocketAddr,
    opts: Opts,
    label: &str,
    expect_coexist: bool,
) -> Res<bool> {
    let mut last = String::new();
    for _attempt in 0..5 {
        let v4 = net::tcp_socket(lo(0), Opts::default()).step("TCP socket()")?;
        net::bind(&v4, lo(0)).step("TCP bind 127.0.0.1:0")?;
        let port = net::local(&v4).step("getsockname")?.port();
        let target = v6(port);
        let action = format!("bind 127.0.0.1:{port}, then {target} ({label})");
        let socket = net::tcp_socket(target, opts).step("TCP socket(AF_INET6)")?;
        let result = if target.ip().is_unspecified() {
            net::bind_probe(socket, target).map(drop)
        } else {
            net::bind(&socket, target)
        };
        last = result_text(&result);
        match &result {
            Ok(()) => {
                log.step("TCP", action, "ok, both bound");
                return Ok(true);
            }
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) && !expect_coexist => {
                log.step("TCP", action, "EADDRINUSE (our 127.0.0.1 socket)");
                return Ok(false);
            }
            Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE) => {}
            Err(err) => {
                return Err(Fail::Errored(format!(
                    "bind {target} gave {}",
                    net::errno_name(err)
                )));
            }
        }
    }
    Err(Fail::Unavailable(format!(
        "five fresh ports in a row were taken for IPv6 by other programs ({last})"
    )))
}

pub(super) const SHARED_CLIENT_PORT: Experiment = Experiment {
    id: "shared-client-port",
    kind: Kind::Experiment,
    title: "One client port, two connections",
    question: "Every client socket here sets SO_REUSEADDR before it binds 127.0.0.1:C. Two live TCP connections \
               then leave from that same 127.0.0.1:C and go to two different servers. Can they share that client port?",
    options: &[
        "Yes, because the other end differs",
        "No: one client port carries one connection",
    ],
    explain: "The full pair (client IP:port, server IP:port) identifies a connection. \
              Two connections may share any part of it as long as the whole 4-tuple differs; an identical 4-tuple \
              is refused with EADDRNOTAVAIL. Without SO_REUSEADDR the second bind() would already fail with \
              EADDRINUSE.",
    runner: Runner::Experiment(shared_client_port),
};

fn shared_client_port(env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (server_one, one) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let (server_two, two) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step("TCP", "two servers listen", format!("L1 {one}, L2 {two}"));
    let first = net::tcp_socket(lo(0), Opts::REUSEADDR).step("TCP socket()")?;
    net::bind(&first, lo(0)).step("TCP bind 127.0.0.1:0")?;
    let client = net::local(&first).step("getsockname")?;
    net::connect_socket(&first, one).step("connect to L1")?;
    net::accept(&server_one).step("accept on L1")?;
    log.step(
        "TCP",
        format!("c1 SO_REUSEADDR bind {client}, connect L1"),
        "ok",
    );

    let second = net::tcp_socket(client, Opts::REUSEADDR).step("TCP socket()")?;
    net::bind(&second, client).step(format!("TCP bind {client} with SO_REUSEADDR"))?;
    let shared = net::connect_socket(&second, two);
    log.step(
        "TCP",
        format!("c2 SO_REUSEADDR bind {client}, connect L2"),
        result_text(&shared),
    );
    claim(shared.is_ok(), || {
        format!(
            "expected c2 to connect to L2 from {client}, saw {}",
            result_text(&shared)
        )
    })?;
    net::accept(&server_two).step("accept on L2")?;

    let third = net::tcp_socket(client, Opts::REUSEADDR).step("TCP socket()")?;
    net::bind(&third, client).step(format!("TCP bind {client} with SO_REUSEADDR"))?;
    let same = net::connect_socket(&third, one);
    log.step(
        "TCP",
        format!("c3 SO_REUSEADDR bind {client}, connect L1"),
        result_text(&same),
    );
    claim(is_errno(&same, libc::EADDRNOTAVAIL), || {
        format!(
            "expected EADDRNOTAVAIL for an identical 4-tuple, saw {}",
            result_text(&same)
        )
    })?;
    let mut sockets = vec![first, second, third];
    let mut note = None;
    if env.loopback_127_0_0_2.available {
        let other = lo2(client.port());
        let fourth = net::tcp_socket(other, Opts::default()).step("TCP socket()")?;
        match net::bind(&fourth, other) {
            Ok(()) => {
                let result = net::connect_socket(&fourth, one);
                log.step(
                    "TCP",
                    format!("c4 bind {other}, connect L1"),
                    result_text(&result),
                );
                claim(result.is_ok(), || {
                    format!(
                        "expected c4 from {other} to connect, saw {}",
                        result_text(&result)
                    )
                })?;
                let (_accepted, peer) = net::accept(&server_one).step("accept on L1")?;
                log.step(
                    "TCP",
                    "L1 accepts",
                    format!("peer {peer}: same port, other client IP"),
                );
            }
            Err(err) => {
                note = Some(format!(
                    "{other} was busy ({}), so that step was skipped",
                    net::errno_name(&err)
                ))
            }
        }
        sockets.push(fourth);
    } else {
        note = Some(format!(
            "127.0.0.2 cannot be bound here ({})",
            env.loopback_127_0_0_2.detail
        ));
    }
    for socket in &sockets {
        net::abortive(socket).step("SO_LINGER")?;
    }
    Ok(log.observe(
        0,
        "yes: the 4-tuples differ; only an identical 4-tuple is refused (EADDRNOTAVAIL)",
        note,
    ))
}

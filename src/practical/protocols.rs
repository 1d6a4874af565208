//! P22, P23, P25: protocols on top of sockets. HTTP keep-alive vs close, the WebSocket upgrade keeping its TCP
//! connection, and TCP's byte stream vs UDP's datagrams. The "server" side runs in the same thread, step by step,
//! so every exchange is deterministic; nothing here spawns threads or processes.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::basics::{ascii, lo};
use super::env::Environment;
use super::net::{self, Opts};
use super::types::{
    Experiment, Fail, Kind, Log, Observation, Res, Runner, Step, claim, option_index,
};

/// Reads from `stream` until `done(bytes so far)` holds, within [`net::DEADLINE`].
fn read_until(stream: &mut TcpStream, done: impl Fn(&[u8]) -> bool) -> Res<Vec<u8>> {
    let deadline = Instant::now() + net::DEADLINE;
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    while !done(&data) {
        claim(Instant::now() < deadline, || {
            format!("timed out waiting for data, got {:?}", ascii(&data))
        })?;
        let len = stream.read(&mut buf).step("read")?;
        if len == 0 {
            break;
        }
        data.extend_from_slice(&buf[..len]);
    }
    Ok(data)
}

fn header_end(data: &[u8]) -> Option<usize> {
    data.windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|at| at + 4)
}

/// A complete HTTP response with a Content-Length body.
fn response_complete(data: &[u8]) -> bool {
    let Some(end) = header_end(data) else {
        return false;
    };
    let head = ascii(&data[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    data.len() >= end + length
}

fn pair(listener: &socket2::Socket, addr: std::net::SocketAddr) -> Res<(TcpStream, TcpStream)> {
    let client = net::connect(addr).step("connect")?;
    net::abortive(&client).step("SO_LINGER")?;
    let (server, _) = net::accept(listener).step("accept")?;
    Ok((client.into(), server.into()))
}

/// True when no further connection is waiting on the listener.
fn no_more_connections(listener: &socket2::Socket) -> Res<bool> {
    listener.set_nonblocking(true).step("O_NONBLOCK")?;
    let result = match listener.accept() {
        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => true,
        Ok(_) => false,
        Err(err) => {
            return Err(Fail::Errored(format!(
                "accept gave {}",
                net::errno_name(&err)
            )));
        }
    };
    listener.set_nonblocking(false).step("O_NONBLOCK")?;
    Ok(result)
}

pub(super) const HTTP_KEEP_ALIVE: Experiment = Experiment {
    id: "http-keep-alive",
    kind: Kind::Experiment,
    title: "HTTP keep-alive vs Connection: close",
    question: "A client sends two HTTP/1.1 requests with keep-alive, then two with \"Connection: close\". How many \
               connections does the server accept in each case?",
    options: &["1 and 2", "2 and 2", "1 and 1"],
    explain: "HTTP is just bytes written to a TCP socket on the server's port (80 by default). With \
              keep-alive the second request reuses the same socket and 4-tuple; with Connection: close each request \
              costs a new connection: a new client port, a new accepted socket, a new handshake.",
    runner: Runner::Experiment(http_keep_alive),
};

fn serve_one(server: &mut TcpStream, close: bool) -> Res<String> {
    let request = read_until(server, |data| header_end(data).is_some())?;
    let first = ascii(&request)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let connection = if close { "Connection: close\r\n" } else { "" };
    let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n{connection}\r\nok");
    server.write_all(reply.as_bytes()).step("server write")?;
    Ok(first)
}

fn http_keep_alive(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    log.step("TCP", format!("server listens {addr}"), "ok");

    let mut keep_alive_accepts = 0;
    let (mut client, mut server) = pair(&listener, addr)?;
    keep_alive_accepts += 1;
    let client_end = client.local_addr().step("getsockname")?;
    for path in ["/a", "/b"] {
        client
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .step("client write")?;
        let line = serve_one(&mut server, false)?;
        let response = read_until(&mut client, response_complete)?;
        let status = ascii(&response)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        log.step("HTTP", format!("{line} from {client_end}"), status);
        claim(response.starts_with(b"HTTP/1.1 200 OK"), || {
            format!("unexpected response {:?}", ascii(&response))
        })?;
    }
    claim(no_more_connections(&listener)?, || {
        "a keep-alive request opened a new connection".to_string()
    })?;
    log.step("", "keep-alive: accepted connections", keep_alive_accepts);
    drop((client, server));

    let mut close_accepts = 0;
    for path in ["/c", "/d"] {
        let (mut client, mut server) = pair(&listener, addr)?;
        close_accepts += 1;
        let client_end = client.local_addr().step("getsockname")?;
        client
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .step("client write")?;
        let line = serve_one(&mut server, true)?;
        drop(server);
        let response = read_until(&mut client, |_| false)?;
        let status = ascii(&response)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        log.step(
            "HTTP",
            format!("{line} (close) from {client_end}"),
            format!("{status}, then end of stream"),
        );
        claim(response.ends_with(b"ok"), || {
            format!("unexpected response {:?}", ascii(&response))
        })?;
    }
    log.step("", "Connection: close: accepted connections", close_accepts);
    let answer = format!("{keep_alive_accepts} and {close_accepts}");
    claim(answer == "1 and 2", || {
        format!("expected 1 and 2 accepted connections, saw {answer}")
    })?;
    Ok(log.observe(
        option_index(HTTP_KEEP_ALIVE.options, &answer)?,
        "1 and 2: keep-alive reused one socket; each Connection: close request needed its own connection",
        None,
    ))
}

pub(super) const WEBSOCKET_UPGRADE: Experiment = Experiment {
    id: "websocket-upgrade",
    kind: Kind::Experiment,
    title: "The WebSocket upgrade",
    question: "An HTTP request is upgraded to a WebSocket (status 101). Where do the WebSocket frames travel after \
               that?",
    options: &[
        "On the same TCP connection",
        "On a new TCP connection",
        "Over UDP",
    ],
    explain: "A WebSocket starts as an HTTP request on an ordinary TCP socket; after \"101 Switching Protocols\" \
              both ends keep the very same socket and 4-tuple and simply change what bytes they write. One \
              connection, one accepted socket, as long as the chat or game stays open.",
    runner: Runner::Experiment(websocket_upgrade),
};

const WS_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Sec-WebSocket-Accept for a key (RFC 6455 section 4.2.2).
pub(crate) fn websocket_accept(key: &str) -> String {
    base64(&sha1(format!("{key}{WS_GUID}").as_bytes()))
}

fn websocket_upgrade(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let (mut client, mut server) = pair(&listener, addr)?;
    let before = (
        client.local_addr().step("getsockname")?,
        client.peer_addr().step("getpeername")?,
    );
    log.step(
        "TCP",
        format!("connect {addr}"),
        format!("{} -> {}", before.0, before.1),
    );
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    let request = format!(
        "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    );
    client.write_all(request.as_bytes()).step("client write")?;
    let received = read_until(&mut server, |data| header_end(data).is_some())?;
    let received = ascii(&received);
    let sent_key = received
        .lines()
        .find_map(|line| line.strip_prefix("Sec-WebSocket-Key:"))
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let accept = websocket_accept(&sent_key);
    server
        .write_all(
            format!(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Accept: {accept}\r\n\r\n"
            )
            .as_bytes(),
        )
        .step("server write")?;
    let response = read_until(&mut client, |data| header_end(data).is_some())?;
    let response = ascii(&response);
    let status = response.lines().next().unwrap_or_default().to_string();
    log.step("HTTP", "GET /chat, Upgrade: websocket", &status);
    claim(status == "HTTP/1.1 101 Switching Protocols", || {
        format!("unexpected status {status:?}")
    })?;
    claim(
        response.contains(&format!("Sec-WebSocket-Accept: {accept}"))
            && accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        || format!("wrong Sec-WebSocket-Accept {accept}"),
    )?;
    log.step(
        "WS",
        "Sec-WebSocket-Accept",
        format!("{accept} (matches RFC 6455)"),
    );

    // A masked text frame from the client, echoed unmasked by the server, on the same sockets.
    let payload = b"portquiz";
    let mask = [0x12u8, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81, 0x80 | u8::try_from(payload.len()).unwrap_or(0)];
    frame.extend_from_slice(&mask);
    frame.extend(
        payload
            .iter()
            .enumerate()
            .map(|(i, byte)| byte ^ mask[i % 4]),
    );
    client.write_all(&frame).step("client write frame")?;
    let got = read_until(&mut server, |data| data.len() >= frame.len())?;
    claim(got.len() >= frame.len(), || {
        format!(
            "the server got {} of {} frame bytes",
            got.len(),
            frame.len()
        )
    })?;
    let text: Vec<u8> = got[6..]
        .iter()
        .enumerate()
        .map(|(i, byte)| byte ^ got[2 + i % 4])
        .collect();
    let mut echo = vec![0x81, u8::try_from(text.len()).unwrap_or(0)];
    echo.extend_from_slice(&text);
    server.write_all(&echo).step("server write frame")?;
    let back = read_until(&mut client, |data| data.len() >= echo.len())?;
    claim(back.len() >= echo.len(), || {
        format!("the client got {} of {} echo bytes", back.len(), echo.len())
    })?;
    let back_text = ascii(&back[2..]);
    log.step(
        "WS",
        "client sends a masked text frame",
        format!("server echoes {back_text:?}"),
    );
    claim(back_text == "portquiz", || {
        format!("expected the echo \"portquiz\", got {back_text:?}")
    })?;
    let after = (
        client.local_addr().step("getsockname")?,
        client.peer_addr().step("getpeername")?,
    );
    let same = before == after && no_more_connections(&listener)?;
    log.step(
        "TCP",
        "4-tuple after the frames; new connections",
        format!("{} -> {}; none", after.0, after.1),
    );
    claim(same, || {
        "the frames did not travel on the original connection".to_string()
    })?;
    Ok(log.observe(
        0,
        "the same connection: one accept, one 4-tuple before and after the upgrade",
        None,
    ))
}

/// SHA-1 (FIPS 180-4); only for the WebSocket handshake, which RFC 6455 defines with it.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(super) const STREAM_VS_DATAGRAM: Experiment = Experiment {
    id: "stream-vs-datagram",
    kind: Kind::Experiment,
    title: "Stream vs datagram",
    question: "A client sends \"a\", \"b\" and \"c\" as three separate writes. Once all has arrived, the server \
               reads with a 4096-byte buffer. What does TCP return, and how many reads does UDP need?",
    options: &[
        "TCP returns \"abc\"; UDP needs three reads",
        "TCP returns \"a\"; UDP returns \"abc\" in one read",
        "Both return \"abc\" in one read",
    ],
    explain: "A TCP socket carries a byte stream with no message boundaries, so the writes arrive glued together; \
              a UDP socket keeps each datagram whole and separate. The protocol in the socket triple changes what \
              a read means, which is why protocols on TCP (like HTTP) need their own framing.",
    runner: Runner::Experiment(stream_vs_datagram),
};

fn stream_vs_datagram(_env: &Environment) -> Res<Observation> {
    let mut log = Log::default();
    let (listener, addr) =
        net::listener(lo(0), Opts::default()).step("TCP listen on 127.0.0.1:0")?;
    let (mut client, mut server) = pair(&listener, addr)?;
    client.set_nodelay(true).step("TCP_NODELAY")?;
    for part in [b"a", b"b", b"c"] {
        client.write_all(part).step("client write")?;
    }
    log.step(
        "TCP",
        format!("client writes \"a\", \"b\", \"c\" to {addr}"),
        "3 writes",
    );
    let deadline = Instant::now() + net::DEADLINE;
    let mut peek = [0u8; 16];
    while server.peek(&mut peek).step("peek")? < 3 {
        claim(Instant::now() < deadline, || {
            "the three bytes did not arrive in time".to_string()
        })?;
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut buf = [0u8; 4096];
    let len = server.read(&mut buf).step("server read")?;
    let tcp_text = ascii(&buf[..len]);
    log.step("TCP", "server: one read(4096)", format!("{tcp_text:?}"));
    claim(tcp_text == "abc", || {
        format!("expected \"abc\" from one TCP read, got {tcp_text:?}")
    })?;

    let receiver = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
    let udp_addr = receiver.local_addr().step("getsockname")?;
    let sender = net::udp_bind(lo(0), Opts::default()).step("UDP bind 127.0.0.1:0")?;
    for part in [b"a", b"b", b"c"] {
        net::send_to(&sender, part, udp_addr).step("UDP sendto")?;
    }
    log.step(
        "UDP",
        format!("client sends \"a\", \"b\", \"c\" to {udp_addr}"),
        "3 datagrams",
    );
    let mut reads = Vec::new();
    for _ in 0..3 {
        let (len, _) = receiver.recv_from(&mut buf).step("UDP recvfrom")?;
        reads.push(ascii(&buf[..len]));
    }
    log.step(
        "UDP",
        "server: recvfrom(4096) until all arrived",
        format!("{reads:?}"),
    );
    claim(reads == ["a", "b", "c"], || {
        format!("expected three datagrams a, b, c, got {reads:?}")
    })?;
    Ok(log.observe(
        0,
        "TCP gave \"abc\" in one read (a stream); UDP needed three reads (one datagram each)",
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_and_base64_match_known_vectors() {
        assert_eq!(base64(&sha1(b"abc")), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
        assert_eq!(base64(&sha1(b"")), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(
            websocket_accept("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}

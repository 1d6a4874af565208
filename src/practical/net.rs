//! Socket helpers for the experiments. Every address goes through [`super::guard::check`] here, and every blocking
//! call gets a deadline ([`DEADLINE`]). Experiments build on these instead of calling socket2 or std::net with
//! addresses themselves. This module must not decide answers; it only does and reports.
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::guard::{self, Use};

/// Deadline for one connect, accept, read or write.
pub(crate) const DEADLINE: Duration = Duration::from_millis(500);
/// How long "nothing happens" is watched before concluding that it will not.
pub(crate) const QUIET: Duration = Duration::from_millis(150);

/// Socket options set before bind.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Opts {
    pub reuse_addr: bool,
    pub reuse_port: bool,
    pub v6only: Option<bool>,
}

impl Opts {
    pub(crate) const REUSEADDR: Opts = Opts {
        reuse_addr: true,
        reuse_port: false,
        v6only: None,
    };
    pub(crate) const REUSEPORT: Opts = Opts {
        reuse_addr: false,
        reuse_port: true,
        v6only: None,
    };
    pub(crate) fn v6only(v6only: bool) -> Opts {
        Opts {
            v6only: Some(v6only),
            ..Opts::default()
        }
    }
}

/// Linux's name for an error ("EADDRINUSE"), from the raw errno; falls back to the error kind.
pub(crate) fn errno_name(err: &io::Error) -> String {
    let name = match err.raw_os_error() {
        Some(libc::EADDRINUSE) => "EADDRINUSE",
        Some(libc::EADDRNOTAVAIL) => "EADDRNOTAVAIL",
        Some(libc::ECONNREFUSED) => "ECONNREFUSED",
        Some(libc::ECONNRESET) => "ECONNRESET",
        Some(libc::EACCES) => "EACCES",
        Some(libc::EPERM) => "EPERM",
        Some(libc::EINVAL) => "EINVAL",
        Some(libc::EMFILE) => "EMFILE",
        Some(libc::ENFILE) => "ENFILE",
        Some(libc::ENETUNREACH) => "ENETUNREACH",
        Some(libc::ETIMEDOUT) => "ETIMEDOUT",
        Some(libc::EINPROGRESS) => "EINPROGRESS",
        Some(libc::EAGAIN) => "EAGAIN (timed out)",
        Some(libc::EAFNOSUPPORT) => "EAFNOSUPPORT",
        Some(libc::ENOTCONN) => "ENOTCONN",
        Some(libc::EPIPE) => "EPIPE",
        Some(other) => return format!("errno {other}"),
        None if err.kind() == io::ErrorKind::TimedOut => "timed out",
        None => return err.to_string(),
    };
    name.to_string()
}

/// A new TCP socket of `addr`'s family with `opts` applied (nothing is bound yet).
pub(crate) fn tcp_socket(addr: SocketAddr, opts: Opts) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    apply(&socket, opts)?;
    Ok(socket)
}

/// A new UDP socket of `addr`'s family with `opts` applied.
pub(crate) fn udp_socket(addr: SocketAddr, opts: Opts) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    apply(&socket, opts)?;
    Ok(socket)
}

fn apply(socket: &Socket, opts: Opts) -> io::Result<()> {
    if opts.reuse_addr {
        socket.set_reuse_address(true)?;
    }
    if opts.reuse_port {
        socket.set_reuse_port(true)?;
    }
    if let Some(v6only) = opts.v6only {
        socket.set_only_v6(v6only)?;
    }
    socket.set_read_timeout(Some(DEADLINE))?;
    socket.set_write_timeout(Some(DEADLINE))?;
    Ok(())
}

/// bind() on a loopback address.
pub(crate) fn bind(socket: &Socket, addr: SocketAddr) -> io::Result<()> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.bind(&SockAddr::from(addr))
}

/// A bind-only probe on a wildcard or loopback address. It only keeps the port taken while it lives: it has
/// no way to listen, so a wildcard can never receive anything through it.
#[derive(Debug)]
pub(crate) struct Probe {
    _socket: Socket,
}

/// Binds `socket` to `addr` (which may be a wildcard) for a conflict check, and gives it back as a [`Probe`].
pub(crate) fn bind_probe(socket: Socket, addr: SocketAddr) -> io::Result<Probe> {
    let addr = guard::check(addr, Use::ConflictProbe)?;
    socket.bind(&SockAddr::from(addr))?;
    Ok(Probe { _socket: socket })
}

/// The socket's local address.
pub(crate) fn local(socket: &Socket) -> io::Result<SocketAddr> {
    as_socket(socket.local_addr()?)
}

/// The socket's peer address.
pub(crate) fn peer(socket: &Socket) -> io::Result<SocketAddr> {
    as_socket(socket.peer_addr()?)
}

fn as_socket(addr: SockAddr) -> io::Result<SocketAddr> {
    addr.as_socket()
        .ok_or_else(|| io::Error::other("not an internet socket address"))
}

/// A listening TCP socket on `addr` (port 0 picks one) with backlog 128; returns it and its address.
/// accept() on it waits at most [`DEADLINE`].
pub(crate) fn listener(addr: SocketAddr, opts: Opts) -> io::Result<(Socket, SocketAddr)> {
    listener_backlog(addr, opts, 128)
}

/// Like [`listener`] with a chosen backlog.
pub(crate) fn listener_backlog(
    addr: SocketAddr,
    opts: Opts,
    backlog: i32,
) -> io::Result<(Socket, SocketAddr)> {
    let socket = tcp_socket(addr, opts)?;
    bind(&socket, addr)?;
    socket.listen(backlog)?;
    let local = local(&socket)?;
    Ok((socket, local))
}

/// A TCP client connected to `addr` within [`DEADLINE`].
pub(crate) fn connect(addr: SocketAddr) -> io::Result<Socket> {
    let socket = tcp_socket(addr, Opts::default())?;
    connect_socket(&socket, addr)?;
    Ok(socket)
}

/// connect() an existing socket to `addr` within [`DEADLINE`].
pub(crate) fn connect_socket(socket: &Socket, addr: SocketAddr) -> io::Result<()> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.connect_timeout(&SockAddr::from(addr), DEADLINE)
}

/// Starts a nonblocking connect; "in progress" counts as started.
pub(crate) fn connect_nonblocking(socket: &Socket, addr: SocketAddr) -> io::Result<()> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.set_nonblocking(true)?;
    match socket.connect(&SockAddr::from(addr)) {
        Err(err) if err.raw_os_error() == Some(libc::EINPROGRESS) => Ok(()),
        other => other,
    }
}

/// Starts a nonblocking connect and returns what connect() itself said (EINPROGRESS included), unchanged.
pub(crate) fn connect_start(socket: &Socket, addr: SocketAddr) -> io::Result<()> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.set_nonblocking(true)?;
    socket.connect(&SockAddr::from(addr))
}

/// accept() within the listener's deadline; the new socket gets deadlines too.
pub(crate) fn accept(listener: &Socket) -> io::Result<(Socket, SocketAddr)> {
    let (socket, peer) = listener.accept()?;
    socket.set_read_timeout(Some(DEADLINE))?;
    socket.set_write_timeout(Some(DEADLINE))?;
    Ok((socket, as_socket(peer)?))
}

/// Sets SO_LINGER 0, so close() sends a reset and leaves no TIME_WAIT behind.
pub(crate) fn abortive(socket: &Socket) -> io::Result<()> {
    socket.set_linger(Some(Duration::ZERO))
}

/// A UDP socket bound to `addr`, as a std socket with read deadlines.
pub(crate) fn udp_bind(addr: SocketAddr, opts: Opts) -> io::Result<UdpSocket> {
    let socket = udp_socket(addr, opts)?;
    bind(&socket, addr)?;
    Ok(socket.into())
}

/// sendto() a loopback address.
pub(crate) fn send_to(socket: &UdpSocket, data: &[u8], addr: SocketAddr) -> io::Result<usize> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.send_to(data, addr)
}

/// connect() a UDP socket to a loopback address.
pub(crate) fn udp_connect(socket: &UdpSocket, addr: SocketAddr) -> io::Result<()> {
    let addr = guard::check(addr, Use::Endpoint)?;
    socket.connect(addr)
}

/// The TCP state of the connection from `local` to `peer` as the kernel lists it in /proc/net/tcp, for display
/// and as a cross-check only (the row is found by its full address pair, never by scanning for counts); `None`
/// when the table cannot be read or has no such row (e.g. the connection is gone).
pub(crate) fn tcp_state(local: SocketAddr, peer: SocketAddr) -> Option<&'static str> {
    let (SocketAddr::V4(local), SocketAddr::V4(peer)) = (local, peer) else {
        return None;
    };
    // The kernel prints each address as its in-memory 32-bit value and the port in host order.
    let hex = |addr: std::net::SocketAddrV4| {
        format!(
            "{:08X}:{:04X}",
            u32::from_ne_bytes(addr.ip().octets()),
            addr.port()
        )
    };
    let (local, peer) = (hex(local), hex(peer));
    let text = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let code = text.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(1) == Some(&local.as_str()) && fields.get(2) == Some(&peer.as_str()))
            .then(|| fields.get(3).copied())
            .flatten()
    })?;
    Some(match code {
        "01" => "ESTABLISHED",
        "02" => "SYN_SENT",
        "03" => "SYN_RECV",
        "04" => "FIN_WAIT1",
        "05" => "FIN_WAIT2",
        "06" => "TIME_WAIT",
        "07" => "CLOSE",
        "08" => "CLOSE_WAIT",
        "09" => "LAST_ACK",
        "0A" => "LISTEN",
        "0B" => "CLOSING",
        _ => "another state",
    })
}

/// A Unix-domain stream socket listening on `path` (a file in a directory the experiment created), with
/// deadlines on accept and reads. Its address is the path: no IP address, no port.
pub(crate) fn unix_listener(path: &std::path::Path) -> io::Result<Socket> {
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    socket.set_read_timeout(Some(DEADLINE))?;
    socket.set_write_timeout(Some(DEADLINE))?;
    socket.bind(&SockAddr::unix(path)?)?;
    socket.listen(16)?;
    Ok(socket)
}

/// A Unix-domain stream socket connected to `path`, with deadlines.
pub(crate) fn unix_connect(path: &std::path::Path) -> io::Result<Socket> {
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    socket.set_read_timeout(Some(DEADLINE))?;
    socket.set_write_timeout(Some(DEADLINE))?;
    socket.connect_timeout(&SockAddr::unix(path)?, DEADLINE)?;
    Ok(socket)
}

/// True for a read that ran into its deadline.
pub(crate) fn is_timeout(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn helpers_refuse_non_loopback_addresses_before_any_syscall() {
        let outside: SocketAddr = "192.0.2.1:80".parse().unwrap();
        let socket = tcp_socket(outside, Opts::default()).unwrap();
        let err = bind(&socket, outside).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refused 192.0.2.1:80: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
        );
        assert_eq!(connect(outside).unwrap_err().to_string(), err.to_string());
        let wildcard: SocketAddr = "0.0.0.0:0".parse().unwrap();
        assert_eq!(
            listener(wildcard, Opts::default()).unwrap_err().to_string(),
            "refused 0.0.0.0:0: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
        );
        let udp = udp_bind("127.0.0.1:0".parse().unwrap(), Opts::default()).unwrap();
        assert_eq!(
            send_to(&udp, b"x", "10.0.0.5:53".parse().unwrap())
                .unwrap_err()
                .to_string(),
            "refused 10.0.0.5:53: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
        );
        assert_eq!(
            udp_connect(&udp, "[2001:db8::1]:53".parse().unwrap())
                .unwrap_err()
                .to_string(),
            "refused [2001:db8::1]:53: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)"
        );
        let probe_socket = tcp_socket(outside, Opts::default()).unwrap();
        assert_eq!(
            bind_probe(probe_socket, "198.51.100.7:0".parse().unwrap())
                .unwrap_err()
                .to_string(),
            "refused 198.51.100.7:0: a bind-conflict probe may only use loopback or a wildcard address"
        );
    }
}

//! The loopback guard: the one gate every address in [`crate::practical`] passes before a socket touches it.
//!
//! It owns the rule "loopback only": 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104 for anything that binds, listens,
//! connects or sends. The wildcards 0.0.0.0 and :: pass only as [`Use::ConflictProbe`], which the socket helpers
//! offer for a bind that is never followed by listen(); experiments make such a bind only as the second party of a
//! conflict, after their own loopback socket holds the port. It must not open sockets itself.
use std::fmt;
use std::net::{IpAddr, SocketAddr};

/// What an address is about to be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// bind, listen, connect or send: loopback addresses only.
    Endpoint,
    /// A bind-only probe that checks a bind conflict and is never listened on: loopback or a wildcard.
    ConflictProbe,
}

/// An address the guard refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The refused address.
    pub addr: SocketAddr,
    /// What it was going to be used for.
    pub used_as: Use,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.used_as {
            Use::Endpoint => write!(
                f,
                "refused {}: experiments only use loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.1)",
                self.addr
            ),
            Use::ConflictProbe => write!(
                f,
                "refused {}: a bind-conflict probe may only use loopback or a wildcard address",
                self.addr
            ),
        }
    }
}

impl std::error::Error for Refused {}

impl From<Refused> for std::io::Error {
    fn from(refused: Refused) -> Self {
        std::io::Error::new(std::io::ErrorKind::PermissionDenied, refused.to_string())
    }
}

/// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8.
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Lets `addr` through for `used_as`, or refuses it.
pub fn check(addr: SocketAddr, used_as: Use) -> Result<SocketAddr, Refused> {
    let ip = addr.ip();
    let allowed = match used_as {
        Use::Endpoint => is_loopback(ip),
        Use::ConflictProbe => is_loopback(ip) || ip.is_unspecified(),
    };
    if allowed {
        Ok(addr)
    } else {
        Err(Refused { addr, used_as })
    }
}

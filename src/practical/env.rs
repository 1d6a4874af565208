//! Detects the facts about this machine that experiments depend on: loopback families, 127.0.0.2, privileges,
//! sysctls and the fd limit. Detection reads /proc and probes loopback sockets; it never changes anything.
//! Tests build an [`Environment`] by hand (all fields are public) to reach branches this machine cannot.
use std::net::SocketAddr;
use std::path::Path;

use serde::Serialize;

use super::net;

/// Whether something works here, and what was seen when it did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capability {
    /// True when the probe worked.
    pub available: bool,
    /// Empty when available; otherwise what the probe saw, e.g. `bind [::1]:0 gave EADDRNOTAVAIL`.
    pub detail: String,
}

impl Capability {
    /// A capability that works.
    pub fn yes() -> Self {
        Self {
            available: true,
            detail: String::new(),
        }
    }
    /// A capability that does not work, with what was seen.
    pub fn no(detail: impl Into<String>) -> Self {
        Self {
            available: false,
            detail: detail.into(),
        }
    }
}

/// Detected facts about this machine. `None` means "could not be read here".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Environment {
    /// Kernel release (`/proc/sys/kernel/osrelease`).
    pub kernel: Option<String>,
    /// bind, listen and connect on 127.0.0.1 work.
    pub ipv4_loopback: Capability,
    /// bind, listen and connect on `[::1]` work.
    pub ipv6_loopback: Capability,
    /// 127.0.0.2 can be bound (Linux puts all of 127.0.0.0/8 on lo).
    pub loopback_127_0_0_2: Capability,
    /// Effective user id.
    pub euid: Option<u32>,
    /// CAP_NET_BIND_SERVICE (bit 10 of CapEff) is in the effective set.
    pub cap_net_bind_service: Option<bool>,
    /// `net.ipv4.ip_unprivileged_port_start`: ports below need privilege.
    pub unprivileged_port_start: Option<u16>,
    /// `net.ipv4.ip_local_port_range`: where ephemeral ports come from.
    pub local_port_range: Option<(u16, u16)>,
    /// `net.ipv6.bindv6only`: the default of IPV6_V6ONLY.
    pub bindv6only: Option<bool>,
    /// `net.core.somaxconn`: the cap on a listen() backlog.
    pub somaxconn: Option<u32>,
    /// `net.ipv4.tcp_abort_on_overflow`: reset instead of drop when the accept queue is full.
    pub tcp_abort_on_overflow: Option<bool>,
    /// Soft RLIMIT_NOFILE (`None` when unlimited or unknown).
    pub nofile_soft: Option<u64>,
    /// Hard RLIMIT_NOFILE (`None` when unlimited or unknown).
    pub nofile_hard: Option<u64>,
}

impl Environment {
    /// Probes loopback and reads /proc. Takes a few milliseconds.
    pub fn detect() -> Environment {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let (nofile_soft, nofile_hard) = parse_nofile(&limits);
        Environment {
            kernel: read_trimmed("/proc/sys/kernel/osrelease"),
            ipv4_loopback: probe_loopback(SocketAddr::from(([127, 0, 0, 1], 0))),
            ipv6_loopback: probe_loopback(SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0))),
            loopback_127_0_0_2: probe_bind(SocketAddr::from(([127, 0, 0, 2], 0))),
            euid: parse_euid(&status),
            cap_net_bind_service: parse_cap_net_bind_service(&status),
            unprivileged_port_start: read_trimmed("/proc/sys/net/ipv4/ip_unprivileged_port_start")
                .and_then(|text| text.parse().ok()),
            local_port_range: read_trimmed("/proc/sys/net/ipv4/ip_local_port_range")
                .and_then(|t| parse_range(&t)),
            bindv6only: read_flag("/proc/sys/net/ipv6/bindv6only"),
            somaxconn: read_trimmed("/proc/sys/net/core/somaxconn")
                .and_then(|text| text.parse().ok()),
            tcp_abort_on_overflow: read_flag("/proc/sys/net/ipv4/tcp_abort_on_overflow"),
            nofile_soft,
            nofile_hard,
        }
    }

    /// True when this process may bind ports below `unprivileged_port_start`: root or CAP_NET_BIND_SERVICE.
    /// `None` when the facts could not be read.
    pub fn may_bind_privileged(&self) -> Option<bool> {
        match (self.euid, self.cap_net_bind_service) {
            (Some(0), _) | (_, Some(true)) => Some(true),
            (Some(_), Some(false)) => Some(false),
            _ => None,
        }
    }

    /// The facts as `(name, value)` pairs for the "environment" footer.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        fn opt<T: ToString>(value: &Option<T>) -> String {
            value
                .as_ref()
                .map_or_else(|| "unknown".to_string(), ToString::to_string)
        }
        fn cap(c: &Capability) -> String {
            if c.available {
                "yes".to_string()
            } else {
                format!("no ({})", c.detail)
            }
        }
        fn limit(value: Option<u64>) -> String {
            value.map_or_else(|| "unlimited or unknown".to_string(), |v| v.to_string())
        }
        vec![
            ("kernel", opt(&self.kernel)),
            ("IPv4 loopback", cap(&self.ipv4_loopback)),
            ("IPv6 loopback (::1)", cap(&self.ipv6_loopback)),
            ("127.0.0.2", cap(&self.loopback_127_0_0_2)),
            ("effective uid", opt(&self.euid)),
            ("CAP_NET_BIND_SERVICE", opt(&self.cap_net_bind_service)),
            (
                "ip_unprivileged_port_start",
                opt(&self.unprivileged_port_start),
            ),
            (
                "ip_local_port_range",
                self.local_port_range
                    .map_or_else(|| "unknown".to_string(), |(lo, hi)| format!("{lo}-{hi}")),
            ),
            ("bindv6only", opt(&self.bindv6only)),
            ("somaxconn", opt(&self.somaxconn)),
            ("tcp_abort_on_overflow", opt(&self.tcp_abort_on_overflow)),
            (
                "open files limit (soft/hard)",
                format!("{}/{}", limit(self.nofile_soft), limit(self.nofile_hard)),
            ),
        ]
    }
}

fn read_trimmed(path: impl AsRef<Path>) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|text| text.trim().to_string())
}

fn read_flag(path: &str) -> Option<bool> {
    match read_trimmed(path)?.as_str() {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

/// Parses "32768\t60999".
pub(crate) fn parse_range(text: &str) -> Option<(u16, u16)> {
    let mut parts = text.split_whitespace().map(str::parse::<u16>);
    match (parts.next(), parts.next()) {
        (Some(Ok(lo)), Some(Ok(hi))) if lo <= hi => Some((lo, hi)),
        _ => None,
    }
}

/// The effective uid: the second number of the `Uid:` line of /proc/self/status.
pub(crate) fn parse_euid(status: &str) -> Option<u32> {
    let line = status.lines().find(|line| line.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Bit 10 (CAP_NET_BIND_SERVICE) of the `CapEff:` hex mask of /proc/self/status.
pub(crate) fn parse_cap_net_bind_service(status: &str) -> Option<bool> {
    let line = status.lines().find(|line| line.starts_with("CapEff:"))?;
    let mask = u64::from_str_radix(line.split_whitespace().nth(1)?, 16).ok()?;
    Some(mask & (1 << 10) != 0)
}

/// Soft and hard "Max open files" from /proc/self/limits; "unlimited" becomes `None`.
pub(crate) fn parse_nofile(limits: &str) -> (Option<u64>, Option<u64>) {
    let Some(line) = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
    else {
        return (None, None);
    };
    let mut numbers = line["Max open files".len()..]
        .split_whitespace()
        .map(|v| v.parse::<u64>().ok());
    (numbers.next().flatten(), numbers.next().flatten())
}

fn probe_bind(addr: SocketAddr) -> Capability {
    match net::tcp_socket(addr, net::Opts::default()).and_then(|s| net::bind(&s, addr)) {
        Ok(()) => Capability::yes(),
        Err(err) => Capability::no(format!("bind {addr} gave {}", net::errno_name(&err))),
    }
}

fn probe_loopback(addr: SocketAddr) -> Capability {
    let result = net::listener(addr, net::Opts::default()).and_then(|(listener, local)| {
        let client = net::connect(local)?;
        // The client closes first with a reset, so detection leaves no TIME_WAIT behind.
        net::abortive(&client)?;
        let (_server, _peer) = net::accept(&listener)?;
        drop(client);
        Ok(())
    });
    match result {
        Ok(()) => Capability::yes(),
        Err(err) => Capability::no(format!(
            "listen and connect on {addr} gave {}",
            net::errno_name(&err)
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tportquiz\nUid:\t1000\t1001\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n\
                          CapInh:\t0000000000000000\nCapEff:\t0000000000000400\n";

    #[test]
    fn reads_the_effective_uid_and_cap_net_bind_service() {
        assert_eq!(parse_euid(STATUS), Some(1001));
        assert_eq!(parse_cap_net_bind_service(STATUS), Some(true));
        assert_eq!(
            parse_cap_net_bind_service("CapEff:\t00000000000003ff\n"),
            Some(false)
        );
        assert_eq!(
            parse_cap_net_bind_service("CapEff:\t000001fffeffffff\n"),
            Some(true)
        );
        assert_eq!(parse_euid("Name: x\n"), None);
        assert_eq!(parse_cap_net_bind_service("CapEff: zz\n"), None);
    }

    #[test]
    fn reads_ranges_and_fd_limits() {
        assert_eq!(parse_range("32768\t60999\n"), Some((32768, 60999)));
        assert_eq!(parse_range("40000 40009"), Some((40000, 40009)));
        assert_eq!(parse_range("60999 32768"), None);
        assert_eq!(parse_range("70000 80000"), None);
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max open files            1024                 20000                files     \n";
        assert_eq!(parse_nofile(limits), (Some(1024), Some(20000)));
        let unlimited =
            "Max open files            unlimited            unlimited            files     \n";
        assert_eq!(parse_nofile(unlimited), (None, None));
        assert_eq!(parse_nofile(""), (None, None));
    }

    #[test]
    fn privilege_comes_from_root_or_the_capability() {
        let mut env = Environment::detect();
        env.euid = Some(0);
        env.cap_net_bind_service = Some(false);
        assert_eq!(env.may_bind_privileged(), Some(true));
        env.euid = Some(1000);
        assert_eq!(env.may_bind_privileged(), Some(false));
        env.cap_net_bind_service = Some(true);
        assert_eq!(env.may_bind_privileged(), Some(true));
        env.cap_net_bind_service = None;
        assert_eq!(env.may_bind_privileged(), None);
    }
}

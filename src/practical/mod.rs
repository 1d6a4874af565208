//! practical (being built): the experiment catalogue. Until it lands, the fixed list of ids decks may use.

/// Ids of the experiments (the `practical` card type).
pub static EXPERIMENT_IDS: &[&str] = &[
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
];
/// Ids of the labs (the `lab` card type).
pub static LAB_IDS: &[&str] = &[
    "lab-start-listener",
    "lab-connect-client",
    "lab-find-service-port",
];

//! The matcher's rules, one test each, with answers it must accept and answers it must refuse.
use super::text::words;
use super::*;

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Checks every `(answer, right)` pair against a card with `prompt` and `accept`; the failure lists every
/// answer judged the other way.
fn check(prompt: &str, accept: &[&str], cases: &[(&str, bool)]) {
    let accept = list(accept);
    let card = Typed {
        prompt,
        accept: &accept,
        keywords: &[],
        exact: false,
        ordered: false,
        model: None,
    };
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(answer, right)| card.judge(answer).is_right() != *right)
        .map(|(answer, right)| {
            format!(
                "{answer:?} should be {}",
                if *right { "right" } else { "wrong" }
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{prompt}\n{}", wrong.join("\n"));
}

const PORT: &str = "Which port does plain HTTP use by default?";

#[test]
fn case_whitespace_and_trailing_punctuation_do_not_count() {
    check(
        PORT,
        &["80"],
        &[
            ("80", true),
            ("  80. ", true),
            ("80!", true),
            ("\"80\"", true),
            ("`80`", true),
            ("8O", false),
            ("", false),
            (".", false),
        ],
    );
    check(
        "Which constant?",
        &["SOCK_STREAM"],
        &[
            ("sock_stream", true),
            ("Sock_Stream.", true),
            ("SOCK_STREAMS", false),
            ("SOCK_DGRAM", false),
        ],
    );
}

#[test]
fn hyphen_space_and_no_space_are_one() {
    check(
        "How wide is the port field?",
        &["16-bit"],
        &[
            ("16-bit", true),
            ("16 bit", true),
            ("16bit", true),
            ("16bits", true),
            ("16 bytes", false),
            ("6 bit", false),
            ("116 bit", false),
        ],
    );
    check(
        "Name the segment.",
        &["SYN-ACK"],
        &[
            ("syn ack", true),
            ("SYN/ACK", true),
            ("syn", false),
            ("ack syn", false),
        ],
    );
}

#[test]
fn units_are_singular_or_plural() {
    check(
        "How wide is the port field?",
        &["16 bits"],
        &[
            ("16 bit", true),
            ("16 bits.", true),
            ("sixteen bits", true),
            ("16 bytes", false),
            // The card's unit is implied by a bare number.
            ("16", true),
        ],
    );
    check(
        "How long is TIME_WAIT on Linux?",
        &["60 seconds"],
        &[
            ("60 s", true),
            ("60s", true),
            ("60 sec", true),
            ("60 second", true),
            ("60 ms", false),
            ("60 minutes", false),
        ],
    );
}

#[test]
fn number_words_are_numbers() {
    check(
        "How many?",
        &["4"],
        &[
            ("four", true),
            ("Four.", true),
            ("fourteen", false),
            ("forty", false),
            ("four or five", false),
        ],
    );
    check(
        "How many sockets for 100 clients?",
        &["101"],
        &[
            ("one hundred and one", true),
            ("one hundred one", true),
            ("a hundred and one", true),
            ("one hundred", false),
            ("1001", false),
        ],
    );
    check(
        "Which limit?",
        &["65535"],
        &[
            ("65,535", true),
            ("65535", true),
            ("65,53", false),
            ("65 535", false),
        ],
    );
    check(
        "How many?",
        &["21"],
        &[
            ("twenty-one", true),
            ("twenty one", true),
            ("twenty", false),
        ],
    );
}

#[test]
fn an_explanation_after_the_answer_is_allowed() {
    check(
        "After server.listen(3000), three clients connect and are accepted. How many sockets?",
        &["4"],
        &[
            ("4 (1 listening + 3 accepted)", true),
            ("4: one listening, three accepted", true),
            ("4 (or 5)", false),
            ("4 (not 3: the listener counts)", true),
            ("4: maybe", false),
            ("3 (plus the listener)", false),
            ("(4)", true),
        ],
    );
    check(
        "Which errno does accept() fail with?",
        &["EMFILE"],
        &[
            ("EMFILE: too many open files", true),
            ("EMFILE (24)", true),
            ("ENFILE: file table overflow", false),
            ("EMFILE: not sure", false),
        ],
    );
}

#[test]
fn a_transport_next_to_a_port_number_is_allowed() {
    check(
        PORT,
        &["80"],
        &[
            ("tcp/80", true),
            ("80/tcp", true),
            ("TCP 80", true),
            ("80 tcp", true),
            ("tcp/8080", false),
            ("tcp", false),
        ],
    );
    check(
        "DHCP uses two UDP ports. Which one does the server listen on?",
        &["67", "udp 67"],
        &[
            ("udp/67", true),
            ("67/udp", true),
            ("tcp/67", false),
            ("67/tcp", false),
            ("68/udp", false),
        ],
    );
}

#[test]
fn a_language_prefix_on_a_constant_is_allowed() {
    check(
        "Which socket type constant do you pass to socket() for a TCP socket?",
        &["SOCK_STREAM"],
        &[
            ("socket.SOCK_STREAM", true),
            ("libc::SOCK_STREAM", true),
            ("syscall.SOCK_STREAM", true),
            ("socket.SocketKind.SOCK_STREAM", true),
            ("socket.SOCK_DGRAM", false),
            ("socket.SOCK_STREAM | socket.SOCK_NONBLOCK", false),
        ],
    );
}

#[test]
fn a_protocol_prefix_on_a_status_is_allowed() {
    check(
        "Which HTTP status code does a server send to accept a WebSocket upgrade?",
        &["101", "101 switching protocols"],
        &[
            ("HTTP/1.1 101", true),
            ("HTTP/1.1 101 Switching Protocols", true),
            ("http 101", true),
            ("HTTP/1.1 200", false),
            ("HTTP/1.1 101 or 200", false),
            ("http", false),
        ],
    );
}

#[test]
fn words_of_the_question_may_be_repeated() {
    check(
        "Which TCP port does SSH listen on by default?",
        &["22"],
        &[
            ("port 22", true),
            ("ssh port 22", true),
            ("22 by default", true),
            ("port 2222", false),
            ("port", false),
            ("not port 22", false),
        ],
    );
    // A word that changes the meaning stays even when the question used it.
    check(
        "How many values make up the tuple (not counting the protocol)?",
        &["4"],
        &[("4 values", true), ("not 4", false), ("4 or 5", false)],
    );
}

#[test]
fn a_right_token_among_others_is_not_right() {
    check(
        PORT,
        &["80", "port 80", "tcp 80"],
        &[
            ("8080", false),
            ("not 80", false),
            ("80 or 443", false),
            ("80, 443", false),
            ("80 and 443", false),
            ("no 80", false),
            ("port 80 or 8080", false),
        ],
    );
    check(
        "Which status code accepts a WebSocket upgrade?",
        &["101"],
        &[
            ("101 or 200", false),
            ("200", false),
            ("1010", false),
            ("10 1", false),
        ],
    );
}

#[test]
fn exact_cards_fold_only_case_and_spacing() {
    let accept = list(&["Sec-WebSocket-Key"]);
    let card = Typed {
        prompt: "Which header?",
        accept: &accept,
        keywords: &[],
        exact: true,
        ordered: false,
        model: None,
    };
    assert!(card.judge("  sec-websocket-key ").is_right());
    assert!(!card.judge("sec websocket key").is_right());
    assert!(!card.judge("Sec-WebSocket-Key.").is_right());
    assert!(!card.judge("").is_right());
}

fn keywords(groups: &[&[&str]]) -> Vec<Vec<String>> {
    groups.iter().map(|g| list(g)).collect()
}

#[test]
fn keywords_start_words_and_may_not_be_negated() {
    let kw = keywords(&[
        &["event loop", "loop", "event-driven"],
        &["non-blocking", "async"],
    ]);
    let card = Typed {
        prompt: "How does Node handle many sockets?",
        accept: &[],
        keywords: &kw,
        exact: false,
        ordered: false,
        model: None,
    };
    let judged = |a: &str| card.judge(a);
    assert_eq!(
        judged("An event loop with non-blocking I/O").missing,
        Vec::<usize>::new()
    );
    assert!(judged("event loops and asynchronous sockets").is_right());
    assert!(judged("event-driven, non blocking").is_right());
    assert_eq!(
        judged("Node spawns a thread per socket, not an event loop").missing,
        [0, 1]
    );
    assert_eq!(judged("an event loop without async").missing, [1]);
    assert_eq!(
        judged("an event loop instead of non-blocking calls").missing,
        [1]
    );
    assert_eq!(judged("prevent blocking, asynchronously").missing, [0]);
    // A number keyword is only that number.
    let kw = keywords(&[&["80"]]);
    let card = Typed {
        prompt: "p",
        accept: &[],
        keywords: &kw,
        exact: false,
        ordered: false,
        model: None,
    };
    assert!(card.judge("port 80").is_right());
    assert!(!card.judge("port 8080").is_right());
}

#[test]
fn ordered_keywords_must_come_in_order() {
    let kw = keywords(&[&["syn"], &["syn-ack", "synack"], &["ack"]]);
    let card = Typed {
        prompt: "Name the handshake's segments, in order.",
        accept: &[],
        keywords: &kw,
        exact: false,
        ordered: true,
        model: None,
    };
    for (answer, missing) in [
        ("SYN, SYN-ACK, ACK", vec![]),
        ("syn -> syn/ack -> ack", vec![]),
        ("SYN, SYNACK, ACK", vec![]),
        ("ACK, SYN-ACK, SYN", vec![1usize]),
        ("SYN-ACK, SYN, ACK", vec![2]),
        ("SYN, ACK", vec![1]),
        ("SYN, ACK, SYN-ACK", vec![2]),
    ] {
        assert_eq!(card.judge(answer).missing, missing, "{answer}");
        assert_eq!(
            card.judge(answer).is_right(),
            missing.is_empty(),
            "{answer}"
        );
    }
    let unordered = Typed {
        ordered: false,
        ..card
    };
    assert!(unordered.judge("ACK, SYN-ACK, SYN").is_right());
}

#[test]
fn words_are_what_both_sides_are_compared_as() {
    assert_eq!(
        words("The 16bits, four-tuple: 65,535 (1 min)"),
        ["16", "bit", "4", "tuple", "65535", "1", "minute"]
    );
    assert_eq!(words("epoll(7)"), ["epoll", "7"]);
    assert_eq!(words("isn't"), ["isn", "t"]);
}

#[test]
fn an_explanation_suggestion_never_says_good_with_a_negated_idea_and_says_again_when_reversed() {
    let judged = |missing: Vec<usize>, negated: Vec<usize>, reversed| Judgement {
        verdict: Verdict::Wrong,
        missing,
        negated,
        reversed,
        matched: Vec::new(),
        unmatched: Vec::new(),
    };
    assert_eq!(
        judged(vec![], vec![], false).explanation_suggestion(3),
        Suggestion::Good
    );
    assert_eq!(
        judged(vec![2], vec![], false).explanation_suggestion(3),
        Suggestion::Hard
    );
    assert_eq!(
        judged(vec![1, 2], vec![], false).explanation_suggestion(3),
        Suggestion::Again
    );
    assert_eq!(
        judged(vec![], vec![0], false).explanation_suggestion(3),
        Suggestion::Hard
    );
    assert_eq!(
        judged(vec![], vec![], true).explanation_suggestion(3),
        Suggestion::Again
    );
}

// Issue 23: one test per kind of answer, then the sentence around the claim, close verdicts and explanations.

/// A fact card with `accept` (and `keywords`, `ordered`, a model answer) judging each `(answer, verdict)`.
fn verdicts(card: Typed<'_>, cases: &[(&str, Verdict)]) {
    let misjudged: Vec<String> = cases
        .iter()
        .filter(|(answer, v)| card.judge(answer).verdict != *v)
        .map(|(answer, v)| {
            format!(
                "{answer:?} should be {v:?}, is {:?}",
                card.judge(answer).verdict
            )
        })
        .collect();
    assert!(
        misjudged.is_empty(),
        "{}\n{}",
        card.prompt,
        misjudged.join("\n")
    );
}

fn fact<'a>(prompt: &'a str, accept: &'a [String]) -> Typed<'a> {
    Typed {
        prompt,
        accept,
        keywords: &[],
        exact: false,
        ordered: false,
        model: None,
    }
}

use Verdict::{Close, Right, Wrong};

#[test]
fn numbers_convert_units_and_read_arithmetic_and_digit_words() {
    let accept = list(&["8", "8 bytes"]);
    verdicts(
        fact("How many bytes is a UDP header?", &accept),
        &[
            ("64 bits", Right),
            ("8 octets", Right),
            ("8B", Right),
            ("2^3 bytes", Right),
            ("eight", Right),
            ("8 bits", Wrong),
            ("64 bytes", Wrong),
            ("8 kB", Wrong),
            ("8 or 20 bytes", Wrong),
        ],
    );
    let accept = list(&["1472", "1472 bytes"]);
    verdicts(
        fact("Largest UDP payload on a 1500-byte MTU?", &accept),
        &[
            ("1500 - 20 - 8 = 1472", Right),
            ("1500-28 = 1472 bytes", Right),
            ("1,472 bytes", Right),
            ("1500 - 20 = 1480", Wrong),
            ("1472 bits", Wrong),
        ],
    );
    let accept = list(&["443"]);
    verdicts(
        fact("Which port does HTTPS use?", &accept),
        &[
            ("four four three", Right),
            ("four hundred forty-three", Right),
            ("four four", Wrong),
        ],
    );
    let accept = list(&["60", "1 minute"]);
    verdicts(
        fact("How many seconds does TIME_WAIT last?", &accept),
        &[
            ("a minute", Right),
            ("60 s", Right),
            ("60 ms", Wrong),
            ("2 minutes", Wrong),
        ],
    );
}

#[test]
fn a_port_is_read_in_a_sentence_with_its_transport() {
    let accept = list(&["80", "tcp 80"]);
    verdicts(
        fact(PORT, &accept),
        &[
            ("80, not 8080", Right),
            ("I think it's 80", Right),
            ("default is 80", Right),
            ("port 80, same as http", Right),
            ("it uses 80", Right),
            ("443, 80 is plain http", Wrong),
            ("8080, like http", Wrong),
            ("80 or 8080", Wrong),
            ("either 80 or 8080", Wrong),
            ("udp 80", Wrong),
            ("not 80", Wrong),
            ("80 and 443", Wrong),
            ("80, 443", Close),
            ("Port 80 by default, 443 with TLS", Right),
        ],
    );
    let accept = list(&["53", "udp 53", "tcp 53"]);
    verdicts(
        fact("Which port does DNS use?", &accept),
        &[
            ("port 53 udp, tcp for large responses", Right),
            ("53 (udp and tcp)", Right),
        ],
    );
}

#[test]
fn constants_ignore_case_separators_and_prefixes_and_a_typo_is_close() {
    let accept = list(&["EPOLLEXCLUSIVE"]);
    verdicts(
        fact("Which epoll flag?", &accept),
        &[
            ("libc::EPOLLEXCLUSIVE", Right),
            ("select.EPOLLEXCLUSIVE", Right),
            ("epollexclusive", Right),
            ("EPOLLEXCLUSVE", Close),
            ("EPOLL_EXCLUSIVE", Close),
            ("EPOLLONESHOT", Wrong),
            ("EPOLLEXCLUSIVE or EPOLLONESHOT", Wrong),
        ],
    );
    let accept = list(&["FIN_WAIT_2"]);
    verdicts(
        fact(
            "Which state waits for the peer's FIN after its own FIN is acknowledged?",
            &accept,
        ),
        &[
            ("FIN_WAIT_2 state", Right),
            ("TCP_FIN_WAIT2", Right),
            ("FINWAIT2", Close),
            ("FIN_WAIT_1", Wrong),
        ],
    );
    let accept = list(&["EMFILE"]);
    verdicts(
        fact("Which errno?", &accept),
        &[
            ("Error: EMFILE", Right),
            ("EMFIEL", Close),
            ("ENFILE", Wrong),
            ("Error: ENFILE", Wrong),
        ],
    );
    let accept = list(&["TCP_NODELAY"]);
    verdicts(
        fact("Which option turns off Nagle?", &accept),
        &[
            ("setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1)", Right),
            ("setsockopt TCP_NODELAY", Right),
            ("TCP_DELAY", Wrong),
        ],
    );
}

#[test]
fn a_one_letter_answer_and_a_flag_keep_their_letter() {
    let accept = list(&["A"]);
    verdicts(
        fact("Which DNS record maps a name to an IPv4 address?", &accept),
        &[
            ("A", Right),
            ("an A record", Right),
            ("a", Right),
            ("AAAA", Wrong),
            ("the record", Wrong),
        ],
    );
    assert_eq!(words("ulimit -a"), ["ulimit", "a"]);
    assert_eq!(words("an A record"), ["a", "record"]);
    let accept = list(&["ulimit -a"]);
    verdicts(
        fact("Which ulimit invocation prints every limit?", &accept),
        &[
            ("ulimit -a", Right),
            ("ulimit", Wrong),
            ("ulimit -n", Wrong),
        ],
    );
}

#[test]
fn sysctl_keys_take_their_tail_a_value_and_the_proc_file() {
    let accept = list(&["net.ipv4.tcp_syncookies", "tcp_syncookies"]);
    verdicts(
        fact("Which sysctl controls SYN cookies?", &accept),
        &[
            ("net.ipv4.tcp_syncookies=1", Right),
            ("sysctl -w net.ipv4.tcp_syncookies=1", Right),
            ("ipv4.tcp_syncookies", Right),
            ("cat /proc/sys/net/ipv4/tcp_syncookies", Right),
            ("net.ipv4.tcp_syncookie", Close),
            ("net.ipv6.tcp_syncookies", Wrong),
            ("net.ipv4.tcp_synack_retries", Wrong),
        ],
    );
    let accept = list(&["net.core.somaxconn", "somaxconn"]);
    verdicts(
        fact("Which sysctl caps the backlog?", &accept),
        &[
            ("SOMAXCONN=128 in the header", Wrong),
            ("backlog", Wrong),
            ("it's net.core.somaxconn", Right),
        ],
    );
}

#[test]
fn commands_compare_the_program_and_its_set_of_flags() {
    let accept = list(&["ss -ltnp"]);
    verdicts(
        fact("Which ss command?", &accept),
        &[
            ("ss -tlpn", Right),
            ("ss -l -t -n -p", Right),
            ("ss --listening --tcp --numeric --processes", Right),
            ("sudo ss -plnt", Right),
            ("ss -tlnp (needs root)", Right),
            ("`ss -tlnp`", Right),
            ("I'd use ss -tlnp", Right),
            ("ss -tlnp, as root to see every process", Right),
            ("run ss -tln", Wrong),
            ("ss -tlnpa", Close),
            ("ss -tln", Wrong),
            ("netstat -tlnp", Wrong),
        ],
    );
    let accept = list(&["lsof -i :8080"]);
    verdicts(
        fact("Which lsof command?", &accept),
        &[
            ("lsof -i:8080", Right),
            ("lsof -n -P -i :8080", Right),
            ("lsof -i :80", Wrong),
            ("lsof :8080", Wrong),
        ],
    );
    let accept = list(&["sysctl -w net.ipv4.tcp_syncookies=1"]);
    verdicts(
        fact("Which command turns SYN cookies on?", &accept),
        &[
            ("sysctl net.ipv4.tcp_syncookies=1", Right),
            ("sysctl -w net.ipv4.tcp_syncookies = 1", Right),
            ("sysctl -w net.ipv4.tcp_syncookies=0", Wrong),
        ],
    );
    let accept = list(&[
        "setcap cap_net_bind_service=+ep /usr/bin/node",
        "cat /proc/$$/limits",
    ]);
    verdicts(
        fact("Which command?", &accept),
        &[
            ("setcap 'cap_net_bind_service=+ep' /usr/bin/node", Right),
            ("cat /proc/$$/limits", Right),
            ("cat /proc/self/limits", Right),
            ("getcap /usr/bin/node", Wrong),
        ],
    );
}

#[test]
fn a_header_set_needs_every_header_and_its_value() {
    let accept = list(&["Upgrade and Connection"]);
    let card = Typed {
        model: Some("Upgrade: websocket and Connection: Upgrade"),
        ..fact("Which two request headers switch to WebSocket?", &accept)
    };
    verdicts(
        card,
        &[
            ("Connection: Upgrade, Upgrade: websocket", Right),
            ("the Upgrade header and the Connection header", Right),
            ("Sec-WebSocket-Key and Connection: Upgrade", Wrong),
            ("Connection: keep-alive and Upgrade: h2c", Wrong),
            ("Upgrade, Connection and Sec-WebSocket-Key", Close),
        ],
    );
    let judged = card.judge("Upgrade, Connection and Sec-WebSocket-Key");
    assert_eq!(
        (judged.matched, judged.unmatched),
        (
            list(&["upgrade", "connection"]),
            list(&["sec-websocket-key"])
        )
    );
}

#[test]
fn a_sequence_claims_nothing_else_in_between_and_a_part_is_close() {
    let accept = list(&["SYN, SYN-ACK, ACK"]);
    let kw = keywords(&[&["syn"], &["syn-ack", "synack"], &["ack"]]);
    let card = Typed {
        keywords: &kw,
        ordered: true,
        ..fact("Name the handshake's segments, in order.", &accept)
    };
    verdicts(
        card,
        &[
            ("syn -> syn/ack -> ack", Right),
            ("client SYN, server SYNACK, client ACK", Right),
            ("SYN then SYN+ACK then ACK", Right),
            ("SYN, ACK, SYN-ACK, ACK", Wrong),
            ("ACK, SYN-ACK, SYN", Wrong),
            ("SYN, ACK", Wrong),
            ("SYN, SYN-ACK", Close),
            ("SYN, SYN-ACK, ACK, FIN", Close),
        ],
    );
    let judged = card.judge("SYN, SYN-ACK, ACK, FIN");
    assert_eq!(
        (judged.matched, judged.unmatched),
        (list(&["SYN", "SYN-ACK", "ACK"]), list(&["FIN"]))
    );
    let judged = card.judge("SYN, SYN-ACK");
    assert_eq!(judged.unmatched, ["missing: ACK"]);
}

#[test]
fn a_set_of_names_is_read_in_any_order_and_as_a_calls_arguments() {
    let accept = list(&["AF_INET, SOCK_STREAM"]);
    verdicts(
        fact("Which two constants make a TCP/IPv4 socket?", &accept),
        &[
            ("socket(AF_INET, SOCK_STREAM, 0)", Right),
            ("SOCK_STREAM and AF_INET", Right),
            ("AF_INET6, SOCK_STREAM", Wrong),
            ("SOCK_STREAM", Wrong),
        ],
    );
}

#[test]
fn a_close_typo_shows_the_answer_and_what_was_typed() {
    let accept = list(&["EPOLLEXCLUSIVE"]);
    let judged = fact("Which flag?", &accept).judge("EPOLLEXCLUSVE");
    assert_eq!(
        (judged.verdict, judged.matched, judged.unmatched),
        (Close, list(&["EPOLLEXCLUSIVE"]), list(&["EPOLLEXCLUSVE"]))
    );
}

/// The three explanations that were offered Good: a negated idea anywhere in its clause, and the
/// right words with a false meaning (`process ID`).
#[test]
fn a_negated_or_misread_idea_is_never_good() {
    let node = keywords(&[
        &["event loop", "loop", "event-driven"],
        &["non-blocking", "async", "epoll"],
    ]);
    let well_known = keywords(&[
        &["standard", "reserved", "assigned"],
        &["service", "protocol"],
    ]);
    let port = keywords(&[
        &["number", "16-bit"],
        &["service", "application", "process"],
    ]);
    let card = |kw| Typed {
        prompt: "In one line?",
        accept: &[],
        keywords: kw,
        exact: false,
        ordered: false,
        model: None,
    };
    for (kw, answer, negated) in [
        (
            &node,
            "doesn't use an event loop or non-blocking I/O",
            vec![0usize, 1],
        ),
        (
            &well_known,
            "A port that isn't reserved for a standard service.",
            vec![0, 1],
        ),
        (
            &port,
            "a port is the application's process ID number",
            vec![1],
        ),
    ] {
        let judged = card(kw).judge(answer);
        assert_eq!(judged.negated, negated, "{answer}");
        assert_ne!(
            judged.explanation_suggestion(kw.len()),
            Suggestion::Good,
            "{answer}"
        );
    }
    // A negation in another clause does not reach the idea.
    let judged =
        card(&node).judge("It never blocks: an event loop asks epoll which sockets are ready.");
    assert_eq!((judged.missing, judged.negated), (vec![], vec![]));
}

/// An ordered explanation's groups are subject/predicate pairs: what is said of the other subject is reversed.
#[test]
fn a_reversed_relation_is_again() {
    let kw = keywords(&[
        &["port"],
        &["service"],
        &["socket"],
        &["connection", "endpoint"],
    ]);
    let card = Typed {
        prompt: "Port vs socket?",
        accept: &[],
        keywords: &kw,
        exact: false,
        ordered: true,
        model: None,
    };
    let judged = card.judge("A port is a connection and a socket is a service");
    assert!(judged.reversed);
    assert_eq!(judged.explanation_suggestion(4), Suggestion::Again);
    let judged = card.judge("A socket is one end of a connection; a port picks the service.");
    assert!(!judged.reversed);
    assert_eq!(judged.explanation_suggestion(4), Suggestion::Good);
}

/// A pasted megabyte is judged on its first [`ANSWER_BUDGET`] bytes.
#[test]
fn a_huge_answer_is_read_within_the_budget() {
    let accept = list(&["80"]);
    let huge = "tcp/1 0.0.0.0 (a, b) SYN, ".repeat(40_000);
    assert_eq!(fact(PORT, &accept).judge(&huge).verdict, Wrong);
    let huge = format!("80{}", " ".repeat(1 << 20));
    assert_eq!(fact(PORT, &accept).judge(&huge).verdict, Right);
}

/// A row of the README's table: the prompt, the accepted answers, and answers right, close and wrong.
type Row<'a> = (
    &'a str,
    &'a [&'a str],
    &'a [&'a str],
    &'a [&'a str],
    &'a [&'a str],
);

/// The README's table of kinds ("How typed answers are read"), row by row.
#[test]
fn the_readme_examples_hold() {
    let rows: [Row<'_>; 11] = [
        (
            "How many bytes?",
            &["8 bytes"],
            &["64 bits", "8 octets", "8B", "2^3 bytes", "eight"],
            &[],
            &["8 bits", "8 or 20 bytes"],
        ),
        (
            "Largest payload?",
            &["1472"],
            &["1500 - 20 - 8 = 1472", "1,472 bytes"],
            &[],
            &["1500 - 20 = 1480"],
        ),
        (
            PORT,
            &["80", "tcp 80"],
            &["tcp/80", ":80", "port 80, same as http"],
            &[],
            &["udp 80", "8080"],
        ),
        (
            "Which type?",
            &["SOCK_STREAM"],
            &["sock_stream", "libc::SOCK_STREAM", "socket.SOCK_STREAM"],
            &["SOCK_STEAM"],
            &["SOCK_DGRAM"],
        ),
        ("Which record?", &["A"], &["an A record"], &[], &["AAAA"]),
        (
            "Which sysctl?",
            &["net.ipv4.tcp_syncookies"],
            &[
                "tcp_syncookies",
                "sysctl -w net.ipv4.tcp_syncookies=1",
                "/proc/sys/net/ipv4/tcp_syncookies",
            ],
            &["net.ipv4.tcp_syncookie"],
            &["net.ipv6.tcp_syncookies"],
        ),
        (
            "Which command?",
            &["ss -ltnp"],
            &[
                "ss -tlpn",
                "ss -l -t -n -p",
                "ss --listening --tcp --numeric --processes",
                "sudo ss -plnt",
            ],
            &["ss -tlnpa"],
            &["ss -tln"],
        ),
        (
            "Which file?",
            &["/etc/services"],
            &["cat /etc/services"],
            &["/etc/service"],
            &["/etc/hosts"],
        ),
        (
            "Which headers?",
            &["Upgrade and Connection"],
            &["Connection: Upgrade, Upgrade: websocket"],
            &["Upgrade, Connection and Sec-WebSocket-Key"],
            &["Sec-WebSocket-Key and Connection: Upgrade"],
        ),
        (
            "Which NAT?",
            &["carrier-grade NAT"],
            &["carrier grade nat", "it's carrier-grade NAT"],
            &[],
            &["double NAT"],
        ),
        ("Which port?", &["443"], &["four four three"], &[], &[]),
    ];
    for (prompt, accept, right, close, wrong) in rows {
        let accept = list(accept);
        let cases: Vec<(&str, Verdict)> = right
            .iter()
            .map(|a| (*a, Right))
            .chain(close.iter().map(|a| (*a, Close)))
            .chain(wrong.iter().map(|a| (*a, Wrong)))
            .collect();
        verdicts(fact(prompt, &accept), &cases);
    }
    let accept = list(&["TCP_NODELAY"]);
    verdicts(
        fact("Which option?", &accept),
        &[("setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1)", Right)],
    );
    let accept = list(&["FIN_WAIT_2"]);
    verdicts(fact("Which state?", &accept), &[("FINWAIT2", Close)]);
    let accept = list(&["ulimit -a"]);
    verdicts(fact("Which invocation?", &accept), &[("ulimit", Wrong)]);
}

#[test]
fn a_negation_word_inside_an_identifier_negates_nothing() {
    let groups = keywords(&[&["connect", "defer", "later"], &["unique", "share"]]);
    let card = Typed {
        prompt: "Why set IP_BIND_ADDRESS_NO_PORT before bind()?",
        accept: &[],
        keywords: &groups,
        exact: false,
        ordered: false,
        model: None,
    };
    let judged = card
        .judge("IP_BIND_ADDRESS_NO_PORT defers the port choice to connect(), so ports are shared");
    assert_eq!(
        (judged.missing.clone(), judged.negated.clone()),
        (vec![], vec![])
    );
    // A real negation still counts.
    let judged = card.judge("it does not defer the port choice to connect");
    assert_eq!(judged.negated, vec![0]);
}

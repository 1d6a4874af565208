//! The matcher's rules, one test each, with answers it must accept and answers it must refuse.
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

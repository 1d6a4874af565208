//! Answers that are a name: a constant or identifier (`SOCK_STREAM`: case and `_`/`-`/space do not count, nor a
//! library prefix such as `libc::`, `socket.`, `errno.`, nor a namespace prefix such as `TCP_` in
//! `TCP_FIN_WAIT2`), a sysctl key (`net.ipv4.tcp_syncookies`, its tail `tcp_syncookies`, `key=value`, the
//! `/proc/sys/...` file), a path (`/etc/services`), an address (`0.0.0.0`), a one-letter name (the DNS record
//! `A`), and a phrase (`too many open files`). A name one typo away (`EPOLLEXCLUSVE`, `FINWAIT2`) is close.
//! A word written in capitals, or with `_`, is another claim of the same kind (`EMFILE or ENFILE`).

use super::sentence::{Claim, Match};

/// What sort of name an accepted answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Constant,
    Sysctl,
    Path,
    Address,
    /// Several words (`too many open files`): found as a phrase.
    Phrase,
}

/// How an answer is compared with one accepted name.
pub(super) struct NameAnswer {
    expected: String,
    style: Style,
}

/// Capitalised words that name a protocol or the speaker, not an answer.
const NOT_CLAIMS: [&str; 14] = [
    "I", "OS", "TCP", "UDP", "IP", "IPV4", "IPV6", "HTTP", "HTTPS", "TLS", "DNS", "API", "OK", "ID",
];

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '$' | '+')
}

impl NameAnswer {
    /// The accepted answer read as a name; `None` for a number or a command. `sysctl` says the card's
    /// accepted answers include a sysctl key, so a bare lower-case name is a key's tail.
    pub(super) fn new(accepted: &str, sysctl: bool) -> Option<NameAnswer> {
        let mut text = accepted.trim();
        // `epoll(7)`, `emfile (24)`: the part in parentheses is a note.
        if let Some(open) = text.find('(')
            && text.ends_with(')')
        {
            text = text[..open].trim();
        }
        let style = if text.contains(' ') {
            Style::Phrase
        } else if sysctl_key(text).is_some() || (sysctl && !text.chars().any(char::is_uppercase)) {
            Style::Sysctl
        } else if text.contains('/') {
            Style::Path
        } else if text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ':')
        {
            Style::Address
        } else {
            Style::Constant
        };
        if text.is_empty() || (style == Style::Phrase && super::text::words(text).is_empty()) {
            return None;
        }
        Some(NameAnswer {
            expected: text.to_string(),
            style,
        })
    }

    pub(super) fn shown(&self) -> &str {
        &self.expected
    }

    /// The names a clause claims, each compared with the accepted one.
    pub(super) fn claims(&self, clause: &str) -> Vec<Claim> {
        let mut out = Vec::new();
        let several_words = super::text::words(&self.expected).len() > 1;
        let phrase =
            self.style == Style::Phrase || (self.style == Style::Constant && several_words);
        if phrase && let Some((at, end)) = find_phrase(clause, &self.expected) {
            out.push(Claim {
                at,
                end,
                shown: clause[at..end].to_string(),
                found: Match::Right,
            });
        }
        let mut start = None;
        for (i, c) in clause.char_indices().chain([(clause.len(), ' ')]) {
            match (is_token_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    start = None;
                    let raw = clause[s..i].trim_end_matches(['.', ':', '-', '/', '+']);
                    if raw.is_empty() {
                        continue;
                    }
                    let inside_phrase = out
                        .first()
                        .is_some_and(|p: &Claim| p.found == Match::Right && s >= p.at && s < p.end);
                    if inside_phrase {
                        continue;
                    }
                    if let Some(found) = self.compare(raw) {
                        out.push(Claim {
                            at: s,
                            end: s + raw.len(),
                            shown: raw.to_string(),
                            found,
                        });
                    }
                }
                _ => {}
            }
        }
        out.sort_by_key(|c| c.at);
        // A call's other arguments are its parameters, not other answers: `setsockopt(fd, IPPROTO_TCP,
        // TCP_NODELAY, 1)`.
        for (open, close) in calls(clause) {
            let inside = |c: &Claim| c.at > open && c.at < close;
            if out.iter().any(|c| inside(c) && c.found == Match::Right) {
                out.retain(|c| !inside(c) || c.found == Match::Right);
            }
        }
        out
    }

    /// How a token compares, or `None` when it is not a claim of this kind (an ordinary word).
    fn compare(&self, raw: &str) -> Option<Match> {
        match self.style {
            Style::Sysctl => {
                let key = sysctl_key(raw).or_else(|| {
                    (!raw.chars().any(char::is_uppercase)
                        && raw.chars().all(|c| c.is_alphanumeric() || c == '_'))
                    .then(|| raw.to_string())
                })?;
                let expected =
                    sysctl_key(&self.expected).unwrap_or_else(|| self.expected.to_lowercase());
                if key == expected || expected.ends_with(&format!(".{key}")) {
                    Some(Match::Right)
                } else if typo(&key, &expected) {
                    Some(Match::Typo)
                } else if key.contains('_') || key.contains('.') {
                    Some(Match::Other)
                } else {
                    None
                }
            }
            Style::Path => {
                let trimmed = |p: &str| {
                    p.trim_start_matches('/')
                        .trim_end_matches('/')
                        .to_lowercase()
                };
                let (claim, expected) = (trimmed(raw), trimmed(&self.expected));
                if !raw.contains('/') {
                    return None;
                }
                Some(if claim == expected {
                    Match::Right
                } else if typo(&claim, &expected) {
                    Match::Typo
                } else {
                    Match::Other
                })
            }
            Style::Address => {
                let address = raw.contains(['.', ':'])
                    && raw
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':');
                if !address {
                    return None;
                }
                Some(if raw == self.expected {
                    Match::Right
                } else {
                    Match::Other
                })
            }
            Style::Constant | Style::Phrase => {
                let name = without_library(raw);
                let (claim, expected) =
                    (super::text::words(name), super::text::words(&self.expected));
                if self.style == Style::Constant
                    && !expected.is_empty()
                    && (claim == expected
                        || (claim.len() > expected.len()
                            && claim.len() <= expected.len() + 2
                            && claim.ends_with(&expected)
                            && name.contains('_')))
                {
                    return Some(Match::Right);
                }
                if self.style == Style::Constant
                    && self.expected.len() >= 4
                    && typo(name, &self.expected)
                {
                    return Some(Match::Typo);
                }
                constant_like(name).then_some(Match::Other)
            }
        }
    }
}

/// The byte ranges of a call's parentheses in `text`: `name(` ... `)`.
fn calls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        if c == '(' {
            stack.push((i, prev.is_alphanumeric() || prev == '_'));
        } else if c == ')'
            && let Some((open, call)) = stack.pop()
            && call
        {
            out.push((open, i));
        }
        prev = c;
    }
    if let Some(&(open, true)) = stack.first() {
        out.push((open, text.len()));
    }
    out
}

/// `net.ipv4.tcp_syncookies`, `/proc/sys/net/ipv4/tcp_syncookies` -> the key, lower-case; `None` for anything
/// that is not a dotted lower-case key.
pub(super) fn sysctl_key(raw: &str) -> Option<String> {
    let key = raw
        .strip_prefix("/proc/sys/")
        .map(|p| p.replace('/', "."))
        .unwrap_or_else(|| raw.to_string());
    let parts: Vec<&str> = key.split('.').collect();
    let ok = parts.len() >= 2
        && !key.chars().any(char::is_uppercase)
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        && parts.iter().any(|p| p.chars().any(char::is_alphabetic));
    ok.then_some(key)
}

/// `libc::SOCK_STREAM`, `socket.SocketKind.SOCK_STREAM`, `errno.EMFILE` -> the last name.
fn without_library(raw: &str) -> &str {
    if let Some((_, last)) = raw.rsplit_once("::") {
        return last;
    }
    match raw.rsplit_once('.') {
        Some((lib, last))
            if lib.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && last.chars().next().is_some_and(char::is_alphabetic) =>
        {
            last
        }
        _ => raw,
    }
}

/// A word that names a constant, whatever it is: with `_` between letters, in capitals (two letters or more),
/// or a header-like `Sec-WebSocket-Key`.
fn constant_like(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty()
        || NOT_CLAIMS.contains(&name.to_uppercase().as_str()) && !name.contains('_')
    {
        return false;
    }
    let capitals = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let underscored = name.contains('_');
    let header = name
        .split('-')
        .filter(|p| p.chars().next().is_some_and(char::is_uppercase))
        .count()
        >= 2;
    capitals || underscored || header
}

/// One typo away: the same letters without separators (`FINWAIT2`), or one letter added, dropped, or two
/// swapped, after the first; a letter replaced only in longer names (`ENFILE` is another errno, not a typo of `EMFILE`); never
/// a different digit (`FIN_WAIT_1`).
pub(super) fn typo(claim: &str, expected: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '/')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (squash(claim), squash(expected));
    if a.is_empty() || b.len() < 3 {
        return false;
    }
    if a == b {
        return true;
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    // A different first letter is another word (`poll` is not `epoll`).
    if a.chars().next() != b.chars().next()
        || digits(&a) != digits(&b)
        || strsim::osa_distance(&a, &b) != 1
    {
        return false;
    }
    let substitution = a.chars().count() == b.chars().count() && {
        let (mut x, mut y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        x.sort_unstable();
        y.sort_unstable();
        x != y
    };
    !substitution || b.chars().count() >= 8
}

/// The byte range of the phrase `expected` in `clause`, compared as words.
fn find_phrase(clause: &str, expected: &str) -> Option<(usize, usize)> {
    let target = super::text::words(expected);
    // Word starts in the clause, to map a word index back to a byte offset.
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in clause.char_indices() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            starts.push(i);
        }
        in_word = w;
    }
    for (k, &s) in starts.iter().enumerate() {
        for e in starts[k..].iter().map(|&e| Some(e)).skip(1).chain([None]) {
            let piece = &clause[s..e.unwrap_or(clause.len())];
            let words = super::text::words(piece);
            if words == target {
                let end = s + piece
                    .trim_end()
                    .trim_end_matches(|c: char| !c.is_alphanumeric())
                    .len();
                return Some((s, end));
            }
            if words.len() > target.len() {
                break;
            }
        }
    }
    None
}

//! Answers that are a number, perhaps with a unit: a port (`tcp/80`, `:80`), a count, a size (`8 bytes` =
//! `64 bits` = `8 octets` = `8B`), a duration (`2 h` = `7200 s`). Number words are numbers (`sixty`, `twenty-two`,
//! and digit by digit when every word is a digit: `four four three` = 443), `2^10` and simple arithmetic ending
//! in the answer (`1500 - 20 - 8 = 1472`) are their value. A number inside a name (`ipv4`, `HTTP/1.1`) is not
//! a claim. A transport next to a port must be one the card accepts (`udp 80` is not HTTP's port).

use super::sentence::{Claim, Match};

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    Data,
    Time,
}

/// A number as written and, when it has a unit, its value in bits or seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Quantity {
    written: f64,
    unit: Option<(Dimension, f64)>,
}

impl Quantity {
    fn value(&self) -> f64 {
        self.written * self.unit.map_or(1.0, |(_, scale)| scale)
    }
}

/// Units after a number, case-sensitive where it matters (`B` bytes, `b` bits), and their scale.
fn unit(word: &str) -> Option<(Dimension, f64)> {
    use Dimension::{Data, Time};
    let exact = match word {
        "B" => Some((Data, 8.0)),
        "b" => Some((Data, 1.0)),
        "kB" | "KB" => Some((Data, 8000.0)),
        "KiB" => Some((Data, 8192.0)),
        _ => None,
    };
    exact.or(match word.to_lowercase().as_str() {
        "bit" | "bits" => Some((Data, 1.0)),
        "byte" | "bytes" | "octet" | "octets" => Some((Data, 8.0)),
        "kilobyte" | "kilobytes" => Some((Data, 8000.0)),
        "s" | "sec" | "secs" | "second" | "seconds" => Some((Time, 1.0)),
        "ms" | "millisecond" | "milliseconds" => Some((Time, 0.001)),
        "min" | "mins" | "minute" | "minutes" => Some((Time, 60.0)),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some((Time, 3600.0)),
        _ => None,
    })
}

/// The unit a question asks in (`How many bits ...`), given to a bare number on either side.
fn asked_unit(prompt: &str) -> Option<(Dimension, f64)> {
    let words: Vec<&str> = prompt.split(|c: char| !c.is_alphanumeric()).collect();
    words.windows(3).find_map(|w| {
        (w[0].eq_ignore_ascii_case("how") && w[1].eq_ignore_ascii_case("many"))
            .then(|| unit(w[2]))
            .flatten()
    })
}

/// The transports a port may be named with.
const TRANSPORTS: [&str; 3] = ["tcp", "udp", "sctp"];

/// How an answer is compared with one accepted number.
pub(super) struct NumberAnswer {
    expected: Quantity,
    asked: Option<(Dimension, f64)>,
    /// The transports the card's accepted answers name (empty: any).
    transports: Vec<String>,
    shown: String,
}

impl NumberAnswer {
    /// The accepted answer read as a number (`16 bits`, `tcp 80`, `http 101`), or `None` when it is not one.
    pub(super) fn new(
        accepted: &str,
        prompt: &str,
        all_accepted: &[String],
    ) -> Option<NumberAnswer> {
        let words = super::text::words(accepted);
        let first_number = words.iter().position(|w| super::text::is_number(w))?;
        let lead_ok = words[..first_number].iter().all(|w| {
            matches!(
                w.as_str(),
                "tcp" | "udp" | "sctp" | "port" | "http" | "https"
            )
        });
        if !lead_ok {
            return None;
        }
        let (_, _, expected) = *quantities(&normalize(accepted)).first()?;
        let transports = all_accepted
            .iter()
            .flat_map(|a| super::text::words(a))
            .filter(|w| TRANSPORTS.contains(&w.as_str()))
            .collect();
        // A bare accepted number takes the question's unit, or the unit another accepted answer gives the same
        // number (`7200` beside `7200 seconds`); with neither, the author left the unit free.
        let sibling = all_accepted.iter().find_map(|a| {
            quantities(&normalize(a))
                .first()
                .filter(|(_, _, q)| q.written == expected.written)
                .and_then(|(_, _, q)| q.unit)
        });
        Some(NumberAnswer {
            expected,
            asked: asked_unit(prompt).or(sibling),
            transports,
            shown: accepted.to_string(),
        })
    }

    pub(super) fn shown(&self) -> &str {
        &self.shown
    }

    /// The numbers and transports a clause claims.
    pub(super) fn claims(&self, clause: &str) -> Vec<Claim> {
        let mut out: Vec<Claim> = quantities(clause)
            .into_iter()
            .map(|(at, end, q)| Claim {
                at,
                end,
                shown: clause[at..end].trim().to_string(),
                found: if self.same(q) {
                    Match::Right
                } else {
                    Match::Other
                },
            })
            .collect();
        let lower = clause.to_lowercase();
        for t in TRANSPORTS {
            for (at, _) in lower.match_indices(t) {
                let end = at + t.len();
                let bounded = !lower[..at].ends_with(|c: char| c.is_alphanumeric())
                    && !lower[end..].starts_with(|c: char| c.is_alphabetic());
                // A transport the card accepts is no claim of its own (`tcp` alone is not 80); another one
                // contradicts the answer.
                let allowed = self.transports.is_empty() || self.transports.iter().any(|a| a == t);
                if bounded && !allowed {
                    out.push(Claim {
                        at,
                        end,
                        shown: t.to_string(),
                        found: Match::Conflict,
                    });
                }
            }
        }
        out.sort_by_key(|c| c.at);
        out
    }

    fn same(&self, claim: Quantity) -> bool {
        let with_asked = |q: Quantity| Quantity {
            unit: q.unit.or(self.asked),
            ..q
        };
        let (c, e) = (with_asked(claim), with_asked(self.expected));
        match (c.unit, e.unit) {
            (Some((cd, _)), Some((ed, _))) => cd == ed && (c.value() - e.value()).abs() < 1e-9,
            (None, _) | (Some(_), None) => (c.written - e.written).abs() < 1e-9,
        }
    }
}

/// The quantities in `text`, each with its byte range: numbers (digits or words), `2^10`, arithmetic, a unit
/// after them. The value of `a = b` is `b`.
/// `text` must have gone through [`normalize`] (the byte ranges are in it).
fn quantities(text: &str) -> Vec<(usize, usize, Quantity)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some((start, value, next)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        // Arithmetic: number (op number)*, then perhaps `= number`.
        let (mut value, mut j) = (value, next);
        let mut terms = vec![value];
        let mut ops = Vec::new();
        loop {
            let k = skip_spaces(&chars, j);
            let Some(&(_, op)) = chars.get(k) else { break };
            if !matches!(op, '+' | '-' | '*' | 'x' | '×' | '/' | '^' | '=') {
                break;
            }
            let m = skip_spaces(&chars, k + 1);
            let Some((_, v, after)) = number_at(&chars, m) else {
                break;
            };
            if op == '=' {
                terms = vec![v];
                ops.clear();
            } else {
                terms.push(v);
                ops.push(op);
            }
            j = after;
        }
        if !ops.is_empty() || terms.len() == 1 {
            value = evaluate(&terms, &ops);
        }
        // A unit right after the number, or after a space or a hyphen.
        let k = if chars.get(j).is_some_and(|&(_, c)| c == ' ' || c == '-') {
            j + 1
        } else {
            j
        };
        let unit_end = (k..chars.len())
            .find(|&u| !chars[u].1.is_alphabetic())
            .unwrap_or(chars.len());
        let word: String = chars[k..unit_end].iter().map(|&(_, c)| c).collect();
        let glued = k == j && !word.is_empty();
        let (unit, end) = match unit(&word) {
            Some(u) if !word.is_empty() => (Some(u), unit_end),
            // `8O` is not a number; `4-tuple`, `511 connections` are.
            _ if glued => {
                i = unit_end;
                continue;
            }
            _ => (None, j),
        };
        let byte = |idx: usize| chars.get(idx).map_or(text.len(), |&(b, _)| b);
        out.push((
            byte(start),
            byte(end),
            Quantity {
                written: value,
                unit,
            },
        ));
        i = end.max(i + 1);
    }
    out
}

fn skip_spaces(chars: &[(usize, char)], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|&(_, c)| c == ' ') {
        i += 1;
    }
    i
}

/// A number starting at `i`: digits, an optional decimal part; not inside a name (`ipv4`, `epoll_create1`), a
/// version (`HTTP/1.1`) or an address (`0.0.0.0`). Returns (start, value, index after it).
fn number_at(chars: &[(usize, char)], i: usize) -> Option<(usize, f64, usize)> {
    let c = chars.get(i)?.1;
    if !c.is_ascii_digit() {
        return None;
    }
    if let Some(&(_, p)) = i.checked_sub(1).and_then(|p| chars.get(p)) {
        if p.is_alphanumeric() || p == '_' || p == '.' {
            return None;
        }
        // `HTTP/1.1`: a number after a slash is a version, unless a transport comes before it (`tcp/80`).
        if p == '/' {
            // Only the word before the slash is looked at (a long answer must not make this quadratic).
            let before: String = chars[(i - 1).saturating_sub(8)..i - 1]
                .iter()
                .map(|&(_, c)| c)
                .collect();
            let word = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default()
                .to_lowercase();
            if !TRANSPORTS.contains(&word.as_str()) {
                return None;
            }
        }
    }
    let mut j = i;
    while chars.get(j).is_some_and(|&(_, c)| c.is_ascii_digit()) {
        j += 1;
    }
    let mut digits: String = chars[i..j].iter().map(|&(_, c)| c).collect();
    if chars.get(j).is_some_and(|&(_, c)| c == '.')
        && chars.get(j + 1).is_some_and(|&(_, c)| c.is_ascii_digit())
    {
        let mut k = j + 1;
        while chars.get(k).is_some_and(|&(_, c)| c.is_ascii_digit()) {
            k += 1;
        }
        // `0.0.0.0`: an address, not a number.
        if chars.get(k).is_some_and(|&(_, c)| c == '.')
            && chars.get(k + 1).is_some_and(|&(_, c)| c.is_ascii_digit())
        {
            return None;
        }
        digits.extend(chars[j..k].iter().map(|&(_, c)| c));
        j = k;
    }
    if chars.get(j).is_some_and(|&(_, c)| c == '_') {
        return None;
    }
    Some((i, digits.parse().ok()?, j))
}

/// `2^10`, `1500 - 20 - 8`: powers first, then `*` `/`, then `+` `-`, left to right.
fn evaluate(terms: &[f64], ops: &[char]) -> f64 {
    let mut vals = vec![terms[0]];
    let mut pending: Vec<char> = Vec::new();
    for (&op, &t) in ops.iter().zip(&terms[1..]) {
        if op == '^' {
            if let Some(last) = vals.last_mut() {
                *last = last.powf(t);
            }
        } else {
            vals.push(t);
            pending.push(op);
        }
    }
    let mut sums = vec![vals[0]];
    let mut adds: Vec<char> = Vec::new();
    for (&op, &v) in pending.iter().zip(&vals[1..]) {
        match op {
            '*' | 'x' | '×' => {
                if let Some(last) = sums.last_mut() {
                    *last *= v;
                }
            }
            '/' => {
                if let Some(last) = sums.last_mut() {
                    *last /= v;
                }
            }
            _ => {
                sums.push(v);
                adds.push(op);
            }
        }
    }
    let mut total = sums[0];
    for (&op, &v) in adds.iter().zip(&sums[1..]) {
        if op == '-' {
            total -= v;
        } else {
            total += v;
        }
    }
    total
}

/// The answer as numbers are read in it: `65,535` -> `65535`, number words as digits.
pub(super) fn normalize(text: &str) -> String {
    digits_for_words(&super::text::join_thousands(text))
}

/// `fifty-three ports` -> `53 ports`, `four four three` -> `443`: number words replaced by digits, the rest kept.
fn digits_for_words(text: &str) -> String {
    // Pieces: runs of letters, and everything else.
    let mut pieces: Vec<String> = Vec::new();
    for c in text.chars() {
        let letter = c.is_alphabetic();
        match pieces.last_mut() {
            Some(last) if last.chars().next().is_some_and(char::is_alphabetic) == letter => {
                last.push(c)
            }
            _ => pieces.push(c.to_string()),
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < pieces.len() {
        // The words from here, skipping single spaces and hyphens between them.
        let mut idx = Vec::new();
        let mut k = i;
        while k < pieces.len() {
            if pieces[k].chars().next().is_some_and(char::is_alphabetic) {
                idx.push(k);
                k += 1;
                if pieces.get(k).is_some_and(|s| s == " " || s == "-") {
                    k += 1;
                    continue;
                }
            }
            break;
        }
        let words: Vec<&str> = idx.iter().map(|&p| pieces[p].as_str()).collect();
        // A word glued to a digit (`16bits`, `ipv4`) is not a number word.
        let glued = i > 0
            && pieces[i - 1]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_digit() || c == '_');
        // `a minute`, `an hour`: one of the unit.
        let one_unit = words.len() >= 2
            && (words[0].eq_ignore_ascii_case("a") || words[0].eq_ignore_ascii_case("an"))
            && unit(words[1]).is_some();
        if one_unit && !glued {
            out.push('1');
            i = idx[0] + 1;
            continue;
        }
        match super::text::read_number_words(&words).filter(|_| !glued) {
            Some((value, used))
                if used > 0 && !(used == 1 && words[0].eq_ignore_ascii_case("a")) =>
            {
                out.push_str(&value.to_string());
                i = idx[used - 1] + 1;
            }
            _ => {
                out.push_str(&pieces[i]);
                i += 1;
            }
        }
    }
    out
}

//! Answers that are several items: an ordered sequence (`SYN, SYN-ACK, ACK`: the items in order and nothing
//! else claimed in between; the card's keyword groups name each item's spellings), a set of names
//! (`AF_INET, SOCK_STREAM`, in any order, also as a call's arguments), and a set of headers (every named header,
//! `Name: value` checked against the model answer's value when it gives one). The right items followed by more,
//! the first items of a sequence, or one item with a typo make the answer close.

use super::outcome::{Outcome, Verdict};
use super::{name::typo, text::words};

/// Words around a sequence's items that are not items: `client SYN, server SYN-ACK`.
const FILLER: [&str; 12] = [
    "client", "server", "sends", "send", "then", "first", "finally", "segment", "packet", "state",
    "and", "next",
];

/// Cuts a list answer into its items: at `,` `;` `->` `→` `=>` `>` and `then`; a list with none of these is
/// cut at spaces.
fn items(text: &str) -> Vec<String> {
    let marked = text
        .replace("->", ",")
        .replace("=>", ",")
        .replace(['→', '>', ';'], ",")
        .replace(" then ", ",")
        .replace(" and ", ",")
        .replace(" + ", ",");
    let mut parts: Vec<String> = marked
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    if parts.len() == 1 {
        parts = parts[0].split_whitespace().map(str::to_string).collect();
    }
    parts
}

/// An item's words without the filler.
fn item_words(item: &str) -> Vec<String> {
    words(item)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect()
}

/// How an answered item compares with an expected one (given as its spellings).
fn compare(item: &str, spellings: &[String]) -> super::sentence::Match {
    use super::sentence::Match;
    let answered = item_words(item);
    if spellings.iter().any(|s| item_words(s) == answered) {
        Match::Right
    } else if spellings
        .iter()
        .any(|s| typo(&answered.join("_"), &item_words(s).join("_")))
    {
        Match::Typo
    } else {
        Match::Other
    }
}

/// An ordered sequence: `expected[i]` holds the spellings of item `i`.
pub(super) fn judge_sequence(input: &str, expected: &[Vec<String>]) -> Outcome {
    use super::sentence::Match;
    let answered = items(input);
    let found: Vec<Match> = answered
        .iter()
        .enumerate()
        .map(|(i, item)| expected.get(i).map_or(Match::Other, |s| compare(item, s)))
        .collect();
    let prefix = found.iter().take_while(|m| **m == Match::Right).count();
    let shown = |i: usize| expected[i].first().cloned().unwrap_or_default();
    if prefix == expected.len() && answered.len() == expected.len() {
        return Outcome::of(Verdict::Right);
    }
    if prefix == expected.len() {
        // The sequence, then more.
        return Outcome::close(
            (0..prefix).map(shown).collect(),
            answered[prefix..].to_vec(),
        );
    }
    if answered.len() == expected.len() && found.iter().all(|m| *m != Match::Other) {
        let typos = (0..found.len()).filter(|&i| found[i] == Match::Typo);
        return Outcome::close(
            (0..prefix).map(shown).collect(),
            typos.map(|i| answered[i].clone()).collect(),
        );
    }
    if prefix == answered.len() && prefix >= 2 {
        // The first items only.
        return Outcome::close(
            (0..prefix).map(shown).collect(),
            (prefix..expected.len())
                .map(|i| format!("missing: {}", shown(i)))
                .collect(),
        );
    }
    Outcome::wrong()
}

/// A set of names (`AF_INET, SOCK_STREAM`), in any order; a call's arguments count (`socket(AF_INET,
/// SOCK_STREAM, 0)`), numbers do not.
pub(super) fn judge_set(input: &str, expected: &[String]) -> Outcome {
    let tokens: Vec<String> = input
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == ':'))
        .map(|t| {
            let t = t.rsplit("::").next().unwrap_or(t);
            t.rsplit('.').next().unwrap_or(t).to_string()
        })
        .filter(|t| t.contains('_') || (t.len() >= 2 && t.chars().all(|c| c.is_ascii_uppercase())))
        .collect();
    let norm = |s: &str| words(s).join("_");
    let want: Vec<String> = expected.iter().map(|e| norm(e)).collect();
    let have: Vec<String> = tokens.iter().map(|t| norm(t)).collect();
    if want.iter().any(|w| !have.contains(w)) {
        return Outcome::wrong();
    }
    let extra: Vec<String> = tokens
        .iter()
        .filter(|t| !want.contains(&norm(t)))
        .cloned()
        .collect();
    if extra.is_empty() {
        Outcome::of(Verdict::Right)
    } else {
        Outcome::close(expected.to_vec(), extra)
    }
}

/// Headers named in an answer: `Upgrade: websocket and Connection: Upgrade` -> (upgrade, websocket),
/// (connection, upgrade); `the Upgrade header` -> (upgrade, none).
fn headers(text: &str) -> Vec<(String, Option<String>)> {
    text.replace(" and ", ",")
        .replace(['+', ';', '&'], ",")
        .split(',')
        .filter_map(|item| {
            let (name, value) = match item.split_once(':') {
                Some((n, v)) => (n, Some(words(v).join(" "))),
                None => (item, None),
            };
            let name: Vec<String> = words(name)
                .into_iter()
                .filter(|w| {
                    !matches!(
                        w.as_str(),
                        "header" | "headers" | "request" | "field" | "both"
                    )
                })
                .collect();
            (!name.is_empty()).then(|| (name.join("-"), value.filter(|v| !v.is_empty())))
        })
        .collect()
}

/// A set of headers: every accepted header named, each value given matching the model answer's.
pub(super) fn judge_headers(input: &str, accepted: &str, model: Option<&str>) -> Outcome {
    let want = headers(accepted);
    let values = model.map(headers).unwrap_or_default();
    let have = headers(input);
    let named = |n: &str| have.iter().any(|(h, _)| h == n);
    if want.iter().any(|(n, _)| !named(n)) {
        return Outcome::wrong();
    }
    let wrong_value = have.iter().any(|(n, v)| {
        let model_value = values
            .iter()
            .find(|(m, _)| m == n)
            .and_then(|(_, mv)| mv.as_ref());
        matches!((v, model_value), (Some(v), Some(m)) if v != m)
    });
    if wrong_value {
        return Outcome::wrong();
    }
    let extra: Vec<String> = have
        .iter()
        .filter(|(n, _)| !want.iter().any(|(w, _)| w == n))
        .map(|(n, _)| n.clone())
        .collect();
    if extra.is_empty() {
        Outcome::of(Verdict::Right)
    } else {
        Outcome::close(want.into_iter().map(|(n, _)| n).collect(), extra)
    }
}

//! The words of a text as the matcher compares them, on both sides (see [`super`]'s documentation): the rules
//! every kind of answer shares, and the number words they read.

/// A word's singular, good enough to make `bits` and `bit` one word: `-ies` -> `-y`, a final `s` dropped
/// (not from `-ss`).
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
        format!("{stem}y")
    } else if word.len() > 2 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// Unit abbreviations after a number, as the unit's name.
const UNITS: [(&str, &str); 9] = [
    ("s", "second"),
    ("sec", "second"),
    ("secs", "second"),
    ("min", "minute"),
    ("mins", "minute"),
    ("ms", "millisecond"),
    ("h", "hour"),
    ("hr", "hour"),
    ("hrs", "hour"),
];

/// The words of a text as the matcher compares them (see [`super`]'s documentation).
pub(super) fn words(text: &str) -> Vec<String> {
    let text = join_thousands(text);
    // Pieces with their original case (`A` the record, `a` the article), split at digit/letter changes:
    // `16bits` -> `16 bits`; `ipv4` -> `ipv 4` (the same on both sides, so it still matches itself).
    let mut raw: Vec<(String, bool)> = Vec::new();
    for piece in text.split(|c: char| !c.is_alphanumeric() && c != '-') {
        for (k, part) in piece.split('-').enumerate() {
            let dashed = k > 0 || (piece.starts_with('-') && k == 0);
            let mut current = String::new();
            for c in part.chars() {
                if let Some(last) = current.chars().last()
                    && last.is_ascii_digit() != c.is_ascii_digit()
                {
                    raw.push((std::mem::take(&mut current), false));
                }
                current.push(c);
            }
            if !current.is_empty() {
                raw.push((current, dashed));
            }
        }
    }
    let lower: Vec<String> = raw.iter().map(|(w, _)| w.to_lowercase()).collect();
    let mut numbered: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let rest: Vec<&str> = lower[i..].iter().map(String::as_str).collect();
        match read_number_words(&rest) {
            Some((value, used)) if used > 0 && !(used == 1 && rest[0] == "a") => {
                numbered.push((value.to_string(), i));
                i += used;
            }
            _ => {
                numbered.push((lower[i].clone(), i));
                i += 1;
            }
        }
    }
    let count = numbered.len();
    let mut out: Vec<String> = Vec::new();
    for (k, (w, at)) in numbered.into_iter().enumerate() {
        let (original, dashed) = &raw[at];
        // An article before another word is dropped; `A` alone (the record), `-a` (a flag) and a last word stay.
        let article =
            matches!(w.as_str(), "a" | "an" | "the") && original != "A" && !dashed && k + 1 < count;
        if article {
            continue;
        }
        if out.last().is_some_and(|p| is_number(p)) {
            let unit = UNITS
                .iter()
                .find(|(abbr, _)| *abbr == w)
                .map_or_else(|| singular(&w), |(_, name)| (*name).to_string());
            out.push(unit);
        } else {
            out.push(w);
        }
    }
    out
}

pub(super) fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// `65,535` -> `65535`: a comma between a digit and exactly three digits.
pub(super) fn join_thousands(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let thousands = c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() >= i + 4
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && chars.get(i + 4).is_none_or(|n| !n.is_ascii_digit());
        if !thousands {
            out.push(c);
        }
    }
    out
}

const SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn number_word(w: &str) -> Option<u64> {
    let w = w.to_lowercase();
    if let Some(n) = SMALL.iter().position(|s| *s == w) {
        return Some(n as u64);
    }
    TENS.iter()
        .position(|s| *s == w)
        .map(|n| (n as u64 + 2) * 10)
}

/// Reads a run of number words: `four four three` (every word a digit) is 443, `twenty-one` 21, `one hundred
/// and one` 101, `a hundred` 100. Returns the value and how many words it took.
pub(super) fn read_number_words(words: &[&str]) -> Option<(u64, usize)> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let starts = |i: usize| {
        lower.get(i).is_some_and(|w| {
            number_word(w).is_some()
                || matches!(w.as_str(), "hundred" | "thousand")
                || (w == "a"
                    && lower
                        .get(i + 1)
                        .is_some_and(|n| n == "hundred" || n == "thousand"))
        })
    };
    if !starts(0) {
        return None;
    }
    let digits: Vec<u64> = lower
        .iter()
        .map_while(|w| number_word(w).filter(|&n| n < 10))
        .collect();
    if digits.len() >= 2 {
        return Some((digits.iter().fold(0, |acc, d| acc * 10 + d), digits.len()));
    }
    let (mut total, mut current, mut i) = (0u64, 0u64, 0usize);
    while i < lower.len() {
        let w = lower[i].as_str();
        if let Some(n) = number_word(w) {
            current += n;
        } else if w == "hundred" {
            current = current.max(1) * 100;
        } else if w == "thousand" {
            total += current.max(1) * 1000;
            current = 0;
        } else if w == "a" && i == 0 {
            // "a hundred"
        } else if w == "and" && lower.get(i + 1).is_some_and(|n| number_word(n).is_some()) && i > 0
        {
            // "one hundred and one"
        } else {
            break;
        }
        i += 1;
    }
    Some((total + current, i))
}

//! Judging a typed answer the way an interviewer would: the rules that decide whether what the candidate typed
//! says the same fact as one of the card's accepted answers, or contains its keyword groups (in order, when the
//! card asks for an order). Pure text handling: no I/O, no session, no deck format.
//!
//! Both sides are read as a list of words ([`words`]): case, spacing and punctuation do not count, `16bits` is
//! `16 bits`, `four` is `4`, `65,535` is `65535`, a unit after a number is singular (`16 bits` = `16 bit`), and
//! `a`/`an`/`the` are ignored. An answer is then right when its words equal an accepted answer's words, after
//! removing, from the answer only, what the answer rules allow: an explanation in parentheses or after a colon
//! (unless it offers another answer: `80 (or 8080)`), a language prefix on a constant, a protocol prefix on a
//! status, `tcp`/`udp` next to a port number, and words the question itself used. Nothing else is removed, so
//! `8080`, `not 80` or `101 or 200` never equal `80`/`101`.
//!
//! Keywords are found on the same words ([`missing_groups`]): a keyword starts a word, a negated one (`not an
//! event loop`) does not count, and an ordered card needs each group after the one before (`ACK, SYN-ACK, SYN`
//! is not the handshake).

/// A typed card's checking rules, borrowed from the card.
#[derive(Debug, Clone, Copy)]
pub struct Typed<'a> {
    /// The question: words it uses may be repeated in the answer (`port 80` for "Which port ...?").
    pub prompt: &'a str,
    pub accept: &'a [String],
    pub keywords: &'a [Vec<String>],
    /// Compare with `accept` only after folding case and spacing (the author wants this exact spelling).
    pub exact: bool,
    /// The keyword groups must appear in the order given.
    pub ordered: bool,
}

/// The matcher's verdict on a typed answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The answer states the card's fact.
    Right,
    /// Near the fact but not it (a typo, part of a sequence, a right claim with something extra): the candidate is
    /// shown what matched and what did not, and confirms a grade.
    Close,
    /// The answer does not state the fact.
    Wrong,
}

/// What portquiz suggests for an explanation card (the candidate grades it), from the key ideas found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Suggestion {
    Again,
    Hard,
    Good,
}

/// What the matcher decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// The indices of the keyword groups not found (not in order, on an ordered card).
    pub missing: Vec<usize>,
    /// The indices of keyword groups found only negated (`not an event loop`).
    pub negated: Vec<usize>,
    /// An ordered relation of the card stated the wrong way round.
    pub reversed: bool,
    /// For a close verdict: the parts of the answer that matched, and the parts that did not, each a short phrase
    /// for the candidate.
    pub matched: Vec<String>,
    pub unmatched: Vec<String>,
}

impl Judgement {
    /// Whether the verdict is right.
    pub fn is_right(&self) -> bool {
        self.verdict == Verdict::Right
    }

    /// For an explanation card with `groups` key ideas: the grade portquiz suggests. Every idea named: Good; at
    /// least half: Hard; fewer: Again. A negated idea or a reversed relation never gets Good.
    pub fn explanation_suggestion(&self, groups: usize) -> Suggestion {
        let spotted = groups.saturating_sub(self.missing.len());
        let suggestion = if self.missing.is_empty() {
            Suggestion::Good
        } else if spotted * 2 >= groups {
            Suggestion::Hard
        } else {
            Suggestion::Again
        };
        if self.reversed {
            Suggestion::Again
        } else if !self.negated.is_empty() {
            suggestion.min(Suggestion::Hard)
        } else {
            suggestion
        }
    }
}

impl Typed<'_> {
    /// Judges `input`: right when it matches an accepted answer, or (when keywords are given) contains every
    /// keyword group.
    pub fn judge(&self, input: &str) -> Judgement {
        let missing = if self.keywords.is_empty() {
            Vec::new()
        } else {
            missing_groups(self.keywords, self.ordered, input)
        };
        let empty = input.trim().is_empty();
        let right =
            !empty && (self.accepts(input) || (!self.keywords.is_empty() && missing.is_empty()));
        Judgement {
            verdict: if right {
                Verdict::Right
            } else {
                Verdict::Wrong
            },
            missing,
            negated: Vec::new(),
            reversed: false,
            matched: Vec::new(),
            unmatched: Vec::new(),
        }
    }

    /// Whether `input` says the same as one of the accepted answers.
    pub fn accepts(&self, input: &str) -> bool {
        if self.exact {
            let folded = fold(input);
            return !folded.is_empty() && self.accept.iter().any(|a| fold(a) == folded);
        }
        let accepted: Vec<Vec<String>> = self.accept.iter().map(|a| words(a)).collect();
        let context = Context {
            prompt: words(self.prompt).iter().map(|w| singular(w)).collect(),
            protocols: PROTOCOLS
                .iter()
                .copied()
                .filter(|p| accepted.iter().any(|a| a.iter().any(|w| w == p)))
                .collect(),
        };
        variants(input, &context)
            .iter()
            .any(|v| !v.is_empty() && accepted.contains(v))
    }
}

/// Folds text for exact comparison: trimmed, lower-case, runs of whitespace made one space.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What the answer rules may use besides the answer: the question's words, and the transport protocols the
/// accepted answers name (when they name one, only that one may be dropped: `tcp 67` is not `udp 67`).
struct Context {
    prompt: Vec<String>,
    protocols: Vec<&'static str>,
}

const PROTOCOLS: [&str; 3] = ["tcp", "udp", "sctp"];

/// A rule that removes something from an answer's words (never from an accepted answer's).
type Rule = fn(Vec<String>, &Context) -> Vec<String>;

/// The word-level rules, applied in this order, each on the result of the ones before: the answer is compared
/// after each step.
const ANSWER_RULES: [(&str, Rule); 3] = [
    (
        "protocol prefix on a status: HTTP/1.1 101",
        drop_status_prefix,
    ),
    ("transport next to a port: tcp/80, 80/tcp", drop_transport),
    ("words the question used: port 80", drop_echo),
];

/// The word lists an answer may be compared as: the whole answer, and the leading answer before an
/// explanation or the constant without its language prefix; each also after every [`ANSWER_RULES`] step.
fn variants(input: &str, context: &Context) -> Vec<Vec<String>> {
    let mut texts = vec![input.to_string()];
    texts.extend(leading_answer(input));
    texts.extend(constant_name(input));
    let mut out = Vec::new();
    for text in texts {
        let mut w = words(&text);
        out.push(w.clone());
        for (_, rule) in ANSWER_RULES {
            w = rule(w, context);
            out.push(w.clone());
        }
    }
    out
}

/// Words that make what follows an answer a second answer or a doubt, not an explanation (`80 (or 8080)`,
/// `EMFILE: not sure`).
const HEDGES: [&str; 8] = [
    "or", "maybe", "perhaps", "possibly", "probably", "either", "unless", "guess",
];

/// Words that change what an answer means: never dropped as words of the question.
const KEEP: [&str; 6] = ["not", "no", "nor", "never", "and", "without"];

/// `4 (1 listening + 3 accepted)` -> `4`; `EMFILE: too many open files` -> `EMFILE`. The explanation must not
/// offer another answer (`80 (or 8080)`).
fn leading_answer(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let text = input.trim();
    let paren = text.find('(');
    let colon = text
        .char_indices()
        .find(|&(i, c)| c == ':' && text[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map(|(i, _)| i);
    for cut in [paren, colon].into_iter().flatten() {
        let (head, rest) = (&text[..cut], &text[cut + 1..]);
        let rest = words(rest);
        let doubt = rest.first().is_some_and(|w| HEDGES.contains(&w.as_str()))
            || rest.starts_with(&["not".to_string(), "sure".to_string()]);
        if !head.trim().is_empty() && !doubt {
            out.push(head.to_string());
        }
    }
    out
}

/// `socket.SOCK_STREAM`, `libc::SOCK_STREAM`, `errno.EMFILE` -> the constant's own name: a path of
/// identifiers joined by `.` or `::`, nothing else.
fn constant_name(input: &str) -> Option<String> {
    let text = input.trim().replace("::", ".");
    let parts: Vec<&str> = text.split('.').collect();
    let identifier = |p: &&str| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    (parts.len() > 1 && parts.iter().all(identifier)).then(|| parts[parts.len() - 1].to_string())
}

/// `http 1 1 101` (from `HTTP/1.1 101`) -> `101`: a leading `http`/`https` and its version, before a
/// three-digit status.
fn drop_status_prefix(w: Vec<String>, _: &Context) -> Vec<String> {
    if !w.first().is_some_and(|f| f == "http" || f == "https") {
        return w;
    }
    let mut i = 1;
    while i < w.len() && w[i].len() == 1 && is_number(&w[i]) {
        i += 1;
    }
    if w.get(i).is_some_and(|s| s.len() == 3 && is_number(s)) {
        w[i..].to_vec()
    } else {
        w
    }
}

/// `tcp 80`, `80 tcp` -> `80`: a transport protocol right next to a number, when the accepted answers name
/// no other protocol.
fn drop_transport(w: Vec<String>, context: &Context) -> Vec<String> {
    let allowed = |p: &str| {
        PROTOCOLS.contains(&p) && (context.protocols.is_empty() || context.protocols.contains(&p))
    };
    let near_number =
        |i: usize| (i > 0 && is_number(&w[i - 1])) || w.get(i + 1).is_some_and(|n| is_number(n));
    w.iter()
        .enumerate()
        .filter(|&(i, t)| !(allowed(t) && near_number(i)))
        .map(|(_, t)| t.clone())
        .collect()
}

/// `port 80` for "Which port ...?": words the question used, except numbers, [`HEDGES`] and [`KEEP`].
fn drop_echo(w: Vec<String>, context: &Context) -> Vec<String> {
    w.into_iter()
        .filter(|t| {
            is_number(t)
                || HEDGES.contains(&t.as_str())
                || KEEP.contains(&t.as_str())
                || !context.prompt.contains(&singular(t))
        })
        .collect()
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

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

/// The words of a text as the matcher compares them (see the module documentation).
pub fn words(text: &str) -> Vec<String> {
    let text = join_thousands(&text.to_lowercase());
    let mut raw: Vec<String> = Vec::new();
    for piece in text.split(|c: char| !c.is_alphanumeric()) {
        // `16bits` -> `16 bits`; `ipv4` -> `ipv 4` (the same on both sides, so it still matches itself).
        let mut current = String::new();
        for c in piece.chars() {
            if let Some(last) = current.chars().last()
                && last.is_ascii_digit() != c.is_ascii_digit()
            {
                raw.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            raw.push(current);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for w in number_words(raw) {
        if matches!(w.as_str(), "a" | "an" | "the") {
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

/// `65,535` -> `65535`: a comma between a digit and exactly three digits.
fn join_thousands(text: &str) -> String {
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
    if let Some(n) = SMALL.iter().position(|s| *s == w) {
        return Some(n as u64);
    }
    TENS.iter()
        .position(|s| *s == w)
        .map(|n| (n as u64 + 2) * 10)
}

/// `four` -> `4`, `sixty` -> `60`, `one hundred and one` -> `101`, `twenty one` -> `21`.
fn number_words(raw: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let starts =
            number_word(&raw[i]).is_some() || matches!(raw[i].as_str(), "hundred" | "thousand");
        if !starts {
            out.push(raw[i].clone());
            i += 1;
            continue;
        }
        let (mut total, mut current) = (0u64, 0u64);
        while i < raw.len() {
            let w = raw[i].as_str();
            if let Some(n) = number_word(w) {
                current += n;
            } else if w == "hundred" {
                current = current.max(1) * 100;
            } else if w == "thousand" {
                total += current.max(1) * 1000;
                current = 0;
            } else if w == "and" && raw.get(i + 1).is_some_and(|n| number_word(n).is_some()) {
                // "one hundred and one"
            } else {
                break;
            }
            i += 1;
        }
        out.push((total + current).to_string());
    }
    out
}

/// Words that, in the two words before a keyword, say the answer does not mean it (`not an event loop`); `t`
/// is what is left of `isn't`.
const NEGATIONS: [&str; 6] = ["not", "no", "never", "without", "nor", "t"];

/// The keyword groups `input` lacks: a group is present when one of its alternatives starts a word of the
/// answer (its last word may go on: `port` finds `ports`, but a number only itself) and is not negated.
/// When `ordered`, each group must come after the one before it.
pub fn missing_groups(keywords: &[Vec<String>], ordered: bool, input: &str) -> Vec<usize> {
    let text = words(input);
    let mut missing = Vec::new();
    let mut from = 0;
    for (g, group) in keywords.iter().enumerate() {
        let found = group
            .iter()
            .filter_map(|k| find(&text, &words(k), if ordered { from } else { 0 }))
            .min();
        match found {
            Some((start, len)) => {
                if ordered {
                    from = start + len;
                }
            }
            None => missing.push(g),
        }
    }
    missing
}

/// The first place at or after `from` where `needle` starts, not negated: (start, number of words).
fn find(text: &[String], needle: &[String], from: usize) -> Option<(usize, usize)> {
    let (last, head) = needle.split_last()?;
    (from..text.len()).find_map(|i| {
        let window = text.get(i..i + needle.len())?;
        let head_ok = window.iter().zip(head).all(|(t, k)| t == k);
        let end = &window[needle.len() - 1];
        let last_ok = if is_number(last) {
            end == last
        } else {
            end.starts_with(last.as_str())
        };
        // Two words back: `not an event loop` negates `loop` too (the article is already gone).
        let negated = text[i.saturating_sub(2)..i]
            .iter()
            .any(|w| NEGATIONS.contains(&w.as_str()))
            || i > 1
                && matches!(
                    (text[i - 2].as_str(), text[i - 1].as_str()),
                    ("instead", "of") | ("rather", "than")
                );
        (head_ok && last_ok && !negated).then_some((i, needle.len()))
    })
}

#[cfg(test)]
mod tests;

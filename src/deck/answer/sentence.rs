//! Reading a sentence the way an interviewer does, whatever the kind of answer: which parts state the
//! candidate's claim (said), which explain it (an aside in parentheses, after a colon, or a clause opened by
//! `like`, `same as`, `then`...), which offer another answer (`or 8080`, `(maybe 5)`) and which doubt it
//! (`: not sure`). Each kind of answer ([`super::number`], [`super::name`]) finds its claims in the said parts;
//! [`read`] then decides: every claim right is Right, a right claim with others beside it is Close, another
//! answer offered is Wrong. Pure text handling.

use super::outcome::{Outcome, Verdict};

/// What a part of the answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// States the answer (the first clause, and later clauses that are not explanations).
    Said,
    /// After a colon: an explanation, unless nothing before the colon is a claim (`Error: EMFILE`).
    AfterColon,
    /// An explanation: in parentheses, or a clause opened by an explaining word.
    Aside,
    /// Another answer offered (`or 8080`, `(maybe 5)`).
    Alternative,
    /// The candidate doubts the answer (`: maybe`, `: not sure`).
    Doubt,
}

/// A part of the answer and its role.
#[derive(Debug, Clone)]
pub(super) struct Clause {
    pub text: String,
    pub role: Role,
    /// The first clause of the said part.
    pub first: bool,
}

/// Words that open another answer.
const ALTERNATIVE: [&str; 7] = [
    "or", "maybe", "perhaps", "possibly", "probably", "either", "vs",
];

/// Words that open an explanation of the answer, not another claim.
const ASIDE: [&str; 22] = [
    "like", "same", "as", "e", "eg", "such", "unlike", "because", "since", "which", "for", "so",
    "then", "i", "ie", "see", "usually", "that", "because", "while", "whereas", "with",
];

/// Words that say a claim is not the answer: `not 80`, `isn't` (read as `isn t`), `without`.
const NEGATIONS: [&str; 9] = [
    "not", "no", "never", "nor", "without", "t", "neither", "instead", "rather",
];

/// The parts of `input`: parenthesised asides are taken out (a call's arguments, `f(a, b)`, stay in place),
/// a colon ends the said part, and the rest is cut into clauses at `,` `;` ` - ` and sentence ends.
pub(super) fn clauses(input: &str) -> Vec<Clause> {
    let mut text = input.trim();
    if text.starts_with('(') && text.ends_with(')') && text[1..].find(')') == Some(text.len() - 2) {
        text = &text[1..text.len() - 1];
    }
    let mut out = Vec::new();
    let mut top = String::new();
    let mut depth = 0usize;
    let mut call_depth = 0usize;
    let mut group = String::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        match c {
            '(' if depth == 0 && prev.is_some_and(|p| p.is_alphanumeric() || p == '_') => {
                call_depth += 1;
                top.push(c);
            }
            '(' if call_depth > 0 => {
                call_depth += 1;
                top.push(c);
            }
            ')' if call_depth > 0 => {
                call_depth -= 1;
                top.push(c);
            }
            '(' => {
                depth += 1;
                if depth > 1 {
                    group.push(c);
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(aside(&std::mem::take(&mut group)));
                    top.push('\u{1}');
                } else {
                    group.push(c);
                }
            }
            // Commas inside a call are its arguments, not clauses.
            ',' if call_depth > 0 => top.push('\u{2}'),
            _ if depth > 0 => group.push(c),
            _ => top.push(c),
        }
        prev = Some(c);
    }
    if !group.trim().is_empty() {
        out.push(aside(&group));
    }
    let (head, tail) = split_colon(&top);
    if let Some(tail) = tail {
        let words = super::text::words(&tail);
        let doubt = words
            .first()
            .is_some_and(|w| ALTERNATIVE.contains(&w.as_str()))
            || words.starts_with(&["not".to_string(), "sure".to_string()]);
        out.push(Clause {
            text: tail.replace('\u{2}', ","),
            role: if doubt { Role::Doubt } else { Role::AfterColon },
            first: false,
        });
    }
    let mut first = true;
    for part in split_clauses(&head) {
        let part = part.replace('\u{2}', ",");
        if part.trim().is_empty() {
            continue;
        }
        let opener = super::text::words(&part)
            .into_iter()
            .next()
            .unwrap_or_default();
        let role = if first {
            Role::Said
        } else if ALTERNATIVE.contains(&opener.as_str()) {
            Role::Alternative
        } else if ASIDE.contains(&opener.as_str()) {
            Role::Aside
        } else {
            Role::Said
        };
        out.push(Clause {
            text: part,
            role,
            first,
        });
        first = false;
    }
    out
}

fn aside(group: &str) -> Clause {
    let opener = super::text::words(group)
        .into_iter()
        .next()
        .unwrap_or_default();
    Clause {
        text: group.to_string(),
        first: false,
        role: if ALTERNATIVE.contains(&opener.as_str()) {
            Role::Alternative
        } else {
            Role::Aside
        },
    }
}

/// Cuts at the first colon that ends a word (`EMFILE: too many`, `Error: EMFILE`), not `::`, `:8080` or `tcp:80`.
fn split_colon(text: &str) -> (String, Option<String>) {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| bytes[p]);
        if b == b':' && prev != Some(b':') && next.is_none_or(|n| n.is_ascii_whitespace()) && i > 0
        {
            return (text[..i].to_string(), Some(text[i + 1..].to_string()));
        }
    }
    (text.to_string(), None)
}

/// Clause breaks: `,` `;` a paren taken out, ` - `, a sentence end, `but`, `while`, `whereas`.
fn split_clauses(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let thousands = c == ','
            && prev.is_some_and(|p| p.is_ascii_digit())
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && chars.get(i + 4).is_none_or(|d| !d.is_ascii_digit());
        let brk = match c {
            ',' => !thousands,
            ';' | '\u{1}' => true,
            '.' => next.is_none_or(char::is_whitespace),
            // ` - ` between words, not `1500 - 20`.
            '-' => {
                let digit_before = chars[..i]
                    .iter()
                    .rev()
                    .nth(1)
                    .is_some_and(char::is_ascii_digit);
                let digit_after = chars.get(i + 2).is_some_and(char::is_ascii_digit);
                prev == Some(' ') && next == Some(' ') && !(digit_before && digit_after)
            }
            _ => false,
        };
        if brk {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    // `but`, `while`, `whereas` open a new clause too.
    out.into_iter()
        .flat_map(|part| {
            let mut pieces = vec![String::new()];
            for w in part.split(' ') {
                if matches!(w.to_lowercase().as_str(), "but" | "whereas") {
                    pieces.push(String::new());
                }
                if let Some(last) = pieces.last_mut() {
                    if !last.is_empty() {
                        last.push(' ');
                    }
                    last.push_str(w);
                }
            }
            pieces
        })
        .collect()
}

/// Whether the claim at byte `at` of `clause` is negated: a negation word before it in its clause.
pub(super) fn negated(clause: &str, at: usize) -> bool {
    let before = clause.get(..at).unwrap_or(clause);
    super::text::words(before)
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()))
}

/// Whether the words after a claim describe it: `is ...`, `for ...`, `on macOS`.
fn describes(after: &str) -> bool {
    super::text::words(after).first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "is" | "are" | "was" | "for" | "on" | "in" | "uses" | "means" | "with"
        )
    })
}

/// Whether the text between two claims offers the second as another answer (`80 or 8080`).
pub(super) fn offers_another(between: &str) -> bool {
    super::text::words(between)
        .iter()
        .any(|w| ALTERNATIVE.contains(&w.as_str()) || w == "and" || w == "plus")
}

/// A claim found in a clause: where it starts (a byte offset in the clause), what the candidate wrote, and
/// how it compares with the accepted answer.
#[derive(Debug, Clone)]
pub(super) struct Claim {
    pub at: usize,
    pub end: usize,
    pub shown: String,
    pub found: Match,
}

/// How one claim compares with the accepted answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    /// The accepted answer.
    Right,
    /// The accepted answer with a typo.
    Typo,
    /// Something else of the same kind.
    Other,
    /// Something that contradicts the answer outright (`udp` for a TCP port): the answer is wrong.
    Conflict,
}

/// Decides from the claims each clause holds (`find` returns a clause's claims): see the module documentation.
/// `expected` is what the candidate is shown as matching on a close verdict.
pub(super) fn read(input: &str, expected: &str, find: &dyn Fn(&str) -> Vec<Claim>) -> Outcome {
    let parts = clauses(input);
    if parts.iter().any(|c| c.role == Role::Doubt) {
        return Outcome::wrong();
    }
    let mut said: Vec<Claim> = Vec::new();
    let mut others: Vec<Claim> = Vec::new();
    let gather = |roles: &[Role], said: &mut Vec<Claim>, others: &mut Vec<Claim>| {
        for clause in parts.iter().filter(|c| roles.contains(&c.role)) {
            let mut previous_end: Option<usize> = None;
            for claim in find(&clause.text) {
                if negated(&clause.text, claim.at) {
                    continue;
                }
                // In a later clause, a claim that is described (`443, 80 is plain http`) is an explanation.
                if !clause.first && describes(clause.text.get(claim.end..).unwrap_or_default()) {
                    continue;
                }
                let alternative = clause.role == Role::Alternative
                    || previous_end.is_some_and(|end| {
                        offers_another(clause.text.get(end..claim.at).unwrap_or_default())
                    });
                previous_end = Some(claim.end);
                if alternative {
                    others.push(claim);
                } else {
                    said.push(claim);
                }
            }
        }
    };
    gather(&[Role::Said, Role::Alternative], &mut said, &mut others);
    if said.is_empty() && others.is_empty() {
        gather(&[Role::AfterColon], &mut said, &mut others);
    }
    if said.is_empty()
        || said
            .iter()
            .chain(&others)
            .any(|c| c.found == Match::Conflict)
    {
        return Outcome::wrong();
    }
    let all = || said.iter().chain(&others);
    if all().all(|c| c.found == Match::Right) {
        return Outcome::of(Verdict::Right);
    }
    if others.iter().any(|c| c.found != Match::Right) {
        return Outcome::wrong();
    }
    let right: Vec<&Claim> = said.iter().filter(|c| c.found == Match::Right).collect();
    if !right.is_empty() {
        let extra = said
            .iter()
            .filter(|c| c.found != Match::Right)
            .map(|c| c.shown.clone());
        return Outcome::close(
            right.iter().map(|c| c.shown.clone()).collect(),
            extra.collect(),
        );
    }
    if said.len() == 1 && said[0].found == Match::Typo {
        return Outcome::close(vec![expected.to_string()], vec![said[0].shown.clone()]);
    }
    Outcome::wrong()
}

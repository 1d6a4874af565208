//! Key ideas in an explanation (a typed card's `keywords`): a keyword group is found when one of its
//! alternatives starts a word of the answer (its last word may go on: `port` finds `ports`, a number only
//! itself). An idea negated anywhere before it in its clause (`doesn't use an event loop or non-blocking I/O`,
//! `isn't reserved for a standard service`) does not count and is reported as negated; so is an idea named as
//! something else's id (`the application's process ID`). On an ordered card the groups are read as pairs (a
//! subject and what the card says of it: `port` -> `service`, `socket` -> `connection`); what is said of the
//! other subject (`a port is a connection`) reverses the relation. An odd number of ordered groups is a chain
//! (each group after the one before).

use super::text::words;

/// Words that negate the rest of their clause; `t` is what is left of `isn't`, `doesn't`.
const NEGATIONS: [&str; 8] = [
    "not", "no", "never", "nor", "without", "t", "neither", "none",
];

/// Words after a keyword that make it a different thing: `process ID` is not the process.
const MISREAD: [&str; 4] = ["id", "ids", "identifier", "pid"];

/// One word of the answer: the word, and whether a negation before it in its clause covers it.
struct Word {
    text: String,
    negated: bool,
}

/// The answer's words, each marked negated when its clause says `not` (or the like) before it. Clauses end
/// at punctuation and at `but`, `while`, `whereas`, `however`.
fn marked_words(input: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for clause in input.split(['.', ',', ';', ':', '!', '?', '(', ')']) {
        let mut negated = false;
        let clause_words = words(&without_negating_parts(clause));
        for (i, w) in clause_words.iter().enumerate() {
            if matches!(w.as_str(), "but" | "while" | "whereas" | "however") {
                negated = false;
            }
            let two = i > 0
                && matches!(
                    (clause_words[i - 1].as_str(), w.as_str()),
                    ("instead", "of") | ("rather", "than")
                );
            if NEGATIONS.contains(&w.as_str()) || two {
                negated = true;
            }
            out.push(Word {
                text: w.clone(),
                negated,
            });
        }
    }
    out
}

/// `clause` with the negation words inside identifiers left out: the `NO` of `IP_BIND_ADDRESS_NO_PORT` names
/// an option, it does not negate the clause.
fn without_negating_parts(clause: &str) -> String {
    clause
        .split(' ')
        .map(|token| {
            if !token.contains('_') {
                return token.to_string();
            }
            token
                .split('_')
                .filter(|part| !NEGATIONS.contains(&part.to_lowercase().as_str()))
                .collect::<Vec<_>>()
                .join("_")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a keyword occurs: its first word's index, its length, and whether it is negated or misread.
struct Occurrence {
    at: usize,
    len: usize,
    plain: bool,
}

fn occurrences(text: &[Word], keyword: &str) -> Vec<Occurrence> {
    let needle = words(keyword);
    let Some((last, head)) = needle.split_last() else {
        return Vec::new();
    };
    (0..text.len())
        .filter_map(|i| {
            let window = text.get(i..i + needle.len())?;
            let head_ok = window.iter().zip(head).all(|(t, k)| &t.text == k);
            let end = &window[needle.len() - 1].text;
            let last_ok = if super::text::is_number(last) {
                end == last
            } else {
                end.starts_with(last.as_str())
            };
            let misread = text
                .get(i + needle.len())
                .is_some_and(|n| MISREAD.contains(&n.text.as_str()));
            let negated = window.iter().any(|w| w.negated);
            (head_ok && last_ok).then_some(Occurrence {
                at: i,
                len: needle.len(),
                plain: !negated && !misread,
            })
        })
        .collect()
}

/// What the key ideas of an answer came to.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Ideas {
    pub missing: Vec<usize>,
    pub negated: Vec<usize>,
    pub reversed: bool,
}

/// Finds the keyword groups in `input`. `pairs` reads an ordered card's groups as subject/predicate pairs;
/// otherwise `ordered` asks for each group after the one before.
pub(super) fn ideas(keywords: &[Vec<String>], ordered: bool, pairs: bool, input: &str) -> Ideas {
    let text = marked_words(input);
    let found: Vec<Vec<Occurrence>> = keywords
        .iter()
        .map(|group| {
            let mut all: Vec<Occurrence> =
                group.iter().flat_map(|k| occurrences(&text, k)).collect();
            all.sort_by_key(|o| o.at);
            all
        })
        .collect();
    let mut ideas = Ideas::default();
    for (g, occ) in found.iter().enumerate() {
        let plain = occ.iter().any(|o| o.plain);
        let misread = occ
            .iter()
            .any(|o| !o.plain && !text[o.at..o.at + o.len].iter().any(|w| w.negated));
        if !plain {
            ideas.missing.push(g);
        }
        if (!plain && !occ.is_empty()) || misread {
            ideas.negated.push(g);
        }
    }
    if !ordered {
        return ideas;
    }
    if pairs && keywords.len().is_multiple_of(2) {
        pair_order(&found, &mut ideas);
    } else {
        chain_order(&found, &mut ideas);
    }
    ideas.missing.sort_unstable();
    ideas.missing.dedup();
    ideas
}

/// Each group after the one before; a group found only out of order is missing, and every group found but
/// not in order means the order was reversed.
fn chain_order(found: &[Vec<Occurrence>], ideas: &mut Ideas) {
    let mut from = 0;
    let mut out_of_order = false;
    for (g, occ) in found.iter().enumerate() {
        match occ.iter().find(|o| o.plain && o.at >= from) {
            Some(o) => from = o.at + o.len,
            None => {
                if !ideas.missing.contains(&g) {
                    ideas.missing.push(g);
                    out_of_order = true;
                }
            }
        }
    }
    ideas.reversed = out_of_order;
}

/// Subject `2k` and what is said of it, `2k + 1`: what follows a subject, up to the next subject, is said of
/// it. A pair whose predicate is said of another subject is reversed; one never said of its subject is missing.
fn pair_order(found: &[Vec<Occurrence>], ideas: &mut Ideas) {
    let subjects: Vec<(usize, usize)> = {
        let mut s: Vec<(usize, usize)> = (0..found.len())
            .step_by(2)
            .flat_map(|g| found[g].iter().filter(|o| o.plain).map(move |o| (o.at, g)))
            .collect();
        s.sort_unstable();
        s
    };
    let subject_of = |at: usize| {
        subjects
            .iter()
            .rev()
            .find(|(s, _)| *s < at)
            .map(|&(_, g)| g)
    };
    for g in (0..found.len()).step_by(2) {
        let predicate = g + 1;
        let said = |subject: usize| {
            found[predicate]
                .iter()
                .any(|o| o.plain && subject_of(o.at) == Some(subject))
        };
        if found[g].iter().any(|o| o.plain) && found[predicate].iter().any(|o| o.plain) && !said(g)
        {
            if (0..found.len())
                .step_by(2)
                .any(|other| other != g && said(other))
            {
                ideas.reversed = true;
            }
            ideas.missing.push(predicate);
        }
    }
}

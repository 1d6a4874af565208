//! Judging a typed answer the way an interviewer would: the answer is read by the kind of its card's accepted
//! answers, and what the candidate claims is compared with them. Pure text handling: no I/O, no session, no deck
//! format. The kinds, each in its own file:
//!
//! - a number, perhaps with a unit or a transport ([`number`]): `64 bits` = `8 bytes`, `2^10`, `1500 - 20 - 8 =
//!   1472`, `four four three`, `tcp/80`;
//! - a name ([`name`]): a constant (`libc::SOCK_STREAM`), a sysctl key (`sysctl -w net.core.somaxconn=4096`), a
//!   path, an address, a phrase; one typo away is close;
//! - a command ([`command`]): the program and its set of flags (`ss -tlpn` = `ss -l -t -n -p`);
//! - a list ([`list`]): an ordered sequence, a set of names, a set of headers;
//! - an explanation ([`explain`]): key ideas, not negated, in the card's order.
//!
//! A number or a name is found in a sentence ([`sentence`]): hedges and explanations around it do not count
//! (`I think it's 80`, `80, not 8080`, `Error: EMFILE`, `port 53 udp, tcp for large responses`), another claim
//! of the same kind does (`80 or 8080`; `8080, like http`).
//!
//! Both sides are also read as a list of words ([`text::words`]) for the rules the kinds share: case, spacing and
//! punctuation do not count, `16bits` is `16 bits`, `four` is `4`, `65,535` is `65535`, a unit after a number is
//! singular, and `a`/`an`/`the` are ignored when other words follow (so the DNS record `A` and `ulimit -a` keep
//! theirs).

mod command;
mod explain;
mod list;
mod name;
mod number;
mod outcome;
mod sentence;
mod text;

use outcome::Outcome;
pub use outcome::Verdict;

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
    /// The card's model answer: a header set takes the values of its headers from it.
    pub model: Option<&'a str>,
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

/// The kind an accepted answer is read as (see the module documentation).
enum Kind<'a> {
    Sequence(Vec<Vec<String>>),
    Set(Vec<String>),
    Headers(&'a str),
    Command(command::Command),
    Number(number::NumberAnswer),
    Name(name::NameAnswer),
}

impl Typed<'_> {
    /// Judges `input`: an explanation card (key ideas, no accepted answers) by its ideas, any other card by
    /// reading the answer as each accepted answer's kind (Right when one reading is right, Close when one is
    /// close). `missing`, `negated` and `reversed` report the keyword groups whenever the card has some.
    pub fn judge(&self, input: &str) -> Judgement {
        let input = within_budget(input);
        let explanation = self.accept.is_empty();
        let ideas = if self.keywords.is_empty() {
            explain::Ideas::default()
        } else {
            explain::ideas(self.keywords, self.ordered, explanation, input)
        };
        let outcome = if input.trim().is_empty() {
            Outcome::wrong()
        } else if explanation {
            let right = ideas.missing.is_empty() && ideas.negated.is_empty() && !ideas.reversed;
            Outcome::of(if right {
                Verdict::Right
            } else {
                Verdict::Wrong
            })
        } else if self.exact {
            let folded = fold(input);
            Outcome::of(if self.accept.iter().any(|a| fold(a) == folded) {
                Verdict::Right
            } else {
                Verdict::Wrong
            })
        } else {
            self.read(input)
        };
        // Every key idea, in order, is right too, unless an accepted answer is a list: then the keywords only
        // name its items' spellings, and a list needs nothing else claimed (`Sec-WebSocket-Key and Connection:
        // Upgrade` names both keywords but not the Upgrade header).
        let by_ideas = !explanation
            && !self.keywords.is_empty()
            && !input.trim().is_empty()
            && ideas.missing.is_empty()
            && ideas.negated.is_empty()
            && !ideas.reversed
            && !self.accept.iter().any(|a| {
                matches!(
                    self.kind(a),
                    Some(Kind::Sequence(_) | Kind::Set(_) | Kind::Headers(_))
                )
            });
        let outcome = if by_ideas {
            Outcome::of(Verdict::Right)
        } else {
            outcome
        };
        Judgement {
            verdict: outcome.verdict,
            missing: ideas.missing,
            negated: ideas.negated,
            reversed: ideas.reversed,
            matched: outcome.matched,
            unmatched: outcome.unmatched,
        }
    }

    /// Reads `input` as each accepted answer's kind: the best verdict wins.
    fn read(&self, input: &str) -> Outcome {
        let mut best = Outcome::wrong();
        for accepted in self.accept {
            let outcome = match self.kind(accepted) {
                Some(Kind::Sequence(items)) => list::judge_sequence(input, &items),
                Some(Kind::Set(items)) => list::judge_set(input, &items),
                Some(Kind::Headers(accepted)) => list::judge_headers(input, accepted, self.model),
                Some(Kind::Command(command)) => command.judge(input),
                Some(Kind::Number(n)) => {
                    sentence::read(&number::normalize(input), n.shown(), &|c| n.claims(c))
                }
                Some(Kind::Name(n)) => sentence::read(input, n.shown(), &|c| n.claims(c)),
                None => Outcome::wrong(),
            };
            if outcome.verdict == Verdict::Right {
                return outcome;
            }
            if outcome.verdict == Verdict::Close && best.verdict == Verdict::Wrong {
                best = outcome;
            }
        }
        best
    }

    /// The kind `accepted` is read as, given the rest of the card.
    fn kind<'s>(&self, accepted: &'s str) -> Option<Kind<'s>> {
        let items: Vec<String> = accepted
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_string)
            .collect();
        if self.ordered && items.len() >= 2 {
            let aliases = self.keywords.len() == items.len();
            let spellings = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut s = vec![item.clone()];
                    if aliases {
                        s.extend(self.keywords[i].iter().cloned());
                    }
                    s
                })
                .collect();
            return Some(Kind::Sequence(spellings));
        }
        if self.prompt.to_lowercase().contains("header") && accepted.contains(" and ") {
            return Some(Kind::Headers(accepted));
        }
        if items.len() >= 2 {
            return Some(Kind::Set(items));
        }
        let commands = self.accept.iter().any(|a| command::Command::looks_like(a));
        let single_word = accepted
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if command::Command::looks_like(accepted) || (commands && single_word) {
            return command::Command::parse(accepted).map(Kind::Command);
        }
        if let Some(n) = number::NumberAnswer::new(accepted, self.prompt, self.accept) {
            return Some(Kind::Number(n));
        }
        let sysctl = self.accept.iter().any(|a| name::sysctl_key(a).is_some());
        name::NameAnswer::new(accepted, sysctl).map(Kind::Name)
    }
}

/// The longest answer read, in bytes: a typed answer is a line or two; a pasted megabyte is judged on its
/// start, so no rule can turn it into seconds of work.
pub const ANSWER_BUDGET: usize = 4096;

fn within_budget(input: &str) -> &str {
    if input.len() <= ANSWER_BUDGET {
        return input;
    }
    let mut end = ANSWER_BUDGET;
    while !input.is_char_boundary(end) {
        end -= 1;
    }
    &input[..end]
}

/// Folds text for exact comparison: trimmed, lower-case, runs of whitespace made one space.
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests;

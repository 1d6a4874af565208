//! A test-wise guesser (issue 23): how well a candidate who knows nothing about ports does on a deck's choice
//! and true/false cards by surface cues alone, and the warnings `check` gives when that is well above chance.
//!
//! The cues, each a yes/no property of an option (choice) or of the statement (true/false):
//! - length: the option is the longest, the second-longest or the shortest of its card (ties share a rank;
//!   the rank distribution `check` prints leaves out cards whose right option is as long as another);
//!   for a statement, longer than the median statement of the training cards;
//! - detail: the option has the most digits, parentheses and commas of its card (a statement: has any);
//! - overlap: the option shares the most, or the fewest, words with the question;
//! - absolutes ([`ABSOLUTES`]: always, never, only, all, ...), hedges ([`HEDGES`]: can, may, usually, often,
//!   some, ...) and negation ([`NEGATIONS`]: not, no, `n't`, ...).
//!
//! The guesser is a naive Bayes fit of those cues (how much likelier each cue is on a right option than on a
//! wrong one, and for true/false on a true statement than on a false one, with the deck's share of true
//! statements as the prior). It picks the option with the highest score; a tie is scored as a blind pick
//! among the tied options, so the order options are written in (the right one first, often) tells it nothing.
//! A deck's score is cross-validated: the scoreable cards are split into [`FOLDS`] fixed folds by their order
//! (card `i` in fold `i % FOLDS`), and each fold is guessed by a guesser fitted on the other folds only.
//!
//! Multi-answer choice cards count as right when the option the guesser is surest of is a right one; their
//! chance is the share of right options. Pure: a [`Deck`] in, [`Guess`] and [`Diagnostic`]s out.
use serde::Serialize;

use super::diag::{Diagnostic, yaml_lines};
use super::id::CardId;
use super::lint::{related, words};
use super::model::{Card, CardKind, Deck};
use super::yaml::Pos;

/// How many folds the cross-validation uses.
pub const FOLDS: usize = 5;
/// A deck (one kind of its cards) with fewer scoreable cards than this gets its figure but no warning.
pub const MIN_CARDS_TO_JUDGE: usize = 8;
/// The guesser may beat chance by this many percentage points before `check` warns.
pub const MAX_POINTS_OVER_CHANCE: f64 = 10.0;
/// No length rank may hold more than this share of a deck's 4-option cards.
pub const MAX_RANK_SHARE: f64 = 0.4;
/// A true/false cue (hedge, absolute, negation) is unbalanced when the statements that have it are true (or
/// false) more often than this share, counted when at least [`MIN_CUE_STATEMENTS`] statements have it.
pub const MAX_CUE_SHARE: f64 = 0.75;
/// See [`MAX_CUE_SHARE`].
pub const MIN_CUE_STATEMENTS: usize = 4;

/// How many of the cards it gets right a `guessable` warning names.
const SHOWN_HITS: usize = 5;

/// Words that claim something holds without exception.
pub const ABSOLUTES: [&str; 8] = [
    "always",
    "never",
    "only",
    "all",
    "every",
    "none",
    "must",
    "impossible",
];
/// Words that soften a claim.
pub const HEDGES: [&str; 11] = [
    "can",
    "may",
    "might",
    "could",
    "usually",
    "often",
    "some",
    "sometimes",
    "typically",
    "generally",
    "most",
];
/// Words that negate (besides a word ending in `n't`).
pub const NEGATIONS: [&str; 7] = ["not", "no", "cannot", "without", "neither", "nor", "none"];

/// The cues of a choice option, in the order of [`CHOICE_CUES`].
const CHOICE_CUES: [&str; 10] = [
    "longest",
    "second-longest",
    "shortest",
    "most detail",
    "most overlap",
    "least overlap",
    "absolute",
    "hedge",
    "negation",
    "no cue word",
];
/// The cues of a true/false statement.
const STATEMENT_CUES: [&str; 5] = ["long", "detail", "absolute", "hedge", "negation"];

/// What the guesser did on one deck.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guess {
    /// Choice cards with at least 2 options (table cells included).
    pub choice: Score,
    pub true_false: Score,
    /// On single-answer choice cards with 4 options: how many have their right option longest, second-longest,
    /// third and shortest, among those whose right option is not as long as another option.
    pub right_by_length: [usize; 4],
    /// The single-answer 4-option cards whose right option is as long as another (their rank tells nothing).
    pub length_ties: usize,
    /// Each true/false cue: how many statements have it, and how many of those are true.
    #[serde(skip)]
    pub cues: Vec<CueBalance>,
    /// Every scoreable card, in deck order, with what the held-out guesser made of it.
    #[serde(skip)]
    pub cards: Vec<CardGuess>,
}

/// The guesser's score on one kind of card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    pub cards: usize,
    /// The expected number of cards guessed right (a tie among options counts as a blind pick among them).
    #[serde(serialize_with = "two_decimals")]
    pub guessed: f64,
    /// The expected number of cards a blind pick gets right.
    #[serde(serialize_with = "two_decimals")]
    pub chance: f64,
}

/// An expected count as JSON: to two decimals (a sum of shares like 1/3 is not exact anyway).
fn two_decimals<S: serde::Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((value * 100.0).round() / 100.0)
}

impl Score {
    /// The guesser's accuracy in percent (0 without cards).
    pub fn percent(&self) -> f64 {
        share(self.guessed, self.cards) * 100.0
    }

    /// A blind pick's accuracy in percent.
    pub fn chance_percent(&self) -> f64 {
        share(self.chance, self.cards) * 100.0
    }

    /// Whether there are enough cards to warn about.
    pub fn judged(&self) -> bool {
        self.cards >= MIN_CARDS_TO_JUDGE
    }

    /// Whether the guesser beats chance by more than [`MAX_POINTS_OVER_CHANCE`] on enough cards.
    pub fn guessable(&self) -> bool {
        self.judged() && self.percent() - self.chance_percent() > MAX_POINTS_OVER_CHANCE
    }
}

/// How a true/false cue splits between true and false statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueBalance {
    pub cue: &'static str,
    pub statements: usize,
    pub true_ones: usize,
}

/// One scoreable card as the guesser saw it when it was held out.
#[derive(Debug, Clone, PartialEq)]
pub struct CardGuess {
    pub id: CardId,
    /// The expected credit: 1 right, 0 wrong, a fraction on a tie.
    pub credit: f64,
    /// The cues of the guesser's pick that spoke for it, strongest first.
    pub cues: Vec<&'static str>,
}

fn share(part: f64, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part / whole as f64 }
}

/// The sum of `values`, 0 (not the -0 of `Iterator::sum`) when there are none.
fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |a, b| a + b)
}

/// A choice card as cues: each option's cues, and which options are right.
struct ChoiceItem {
    options: Vec<Vec<bool>>,
    right: Vec<bool>,
}

/// A true/false card: its statement's length and cues (length is decided against the training cards).
struct StatementItem {
    chars: usize,
    cues: [bool; 4],
    answer: bool,
}

/// Runs the guesser over `deck` with [`FOLDS`] folds.
pub fn guess(deck: &Deck) -> Guess {
    guess_with_folds(deck, FOLDS)
}

/// Runs the guesser over `deck` with `folds` folds (`folds` at least the number of cards is leave-one-out).
pub fn guess_with_folds(deck: &Deck, folds: usize) -> Guess {
    let mut choices: Vec<(&Card, ChoiceItem)> = Vec::new();
    let mut statements: Vec<(&Card, StatementItem)> = Vec::new();
    let mut right_by_length = [0; 4];
    let mut length_ties = 0;
    for card in &deck.cards {
        match &card.kind {
            CardKind::Choice { options, answers } if options.len() >= 2 => {
                let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
                if let ([right], 4) = (answers.as_slice(), texts.len()) {
                    let len = |i: usize| texts[i].chars().count();
                    if (0..4).any(|i| i != *right && len(i) == len(*right)) {
                        length_ties += 1;
                    } else {
                        right_by_length[length_rank(&texts, *right).min(3)] += 1;
                    }
                }
                let item = ChoiceItem {
                    options: choice_cues(&card.prompt, &texts),
                    right: (0..texts.len()).map(|i| answers.contains(&i)).collect(),
                };
                choices.push((card, item));
            }
            CardKind::TrueFalse { answer } => {
                let item = StatementItem {
                    chars: card.prompt.chars().count(),
                    cues: statement_cues(&card.prompt),
                    answer: *answer,
                };
                statements.push((card, item));
            }
            _ => {}
        }
    }
    let items: Vec<&ChoiceItem> = choices.iter().map(|(_, i)| i).collect();
    let choice_guesses = cross_validate(&items, folds, ChoiceModel::fit, ChoiceModel::guess);
    let items: Vec<&StatementItem> = statements.iter().map(|(_, i)| i).collect();
    let statement_guesses =
        cross_validate(&items, folds, StatementModel::fit, StatementModel::guess);
    let choice = Score {
        cards: choices.len(),
        guessed: total(choice_guesses.iter().map(|g| g.0)),
        chance: total(
            choices
                .iter()
                .map(|(_, i)| share(i.right.iter().filter(|&&r| r).count() as f64, i.right.len())),
        ),
    };
    let true_false = Score {
        cards: statements.len(),
        guessed: total(statement_guesses.iter().map(|g| g.0)),
        chance: statements.len() as f64 / 2.0,
    };
    let cues = [0, 1, 2]
        .iter()
        .map(|&c| {
            let with: Vec<bool> = statements
                .iter()
                .filter(|(_, s)| s.cues[c + 1])
                .map(|(_, s)| s.answer)
                .collect();
            CueBalance {
                cue: STATEMENT_CUES[c + 2],
                statements: with.len(),
                true_ones: with.iter().filter(|&&a| a).count(),
            }
        })
        .collect();
    let cards = choices
        .iter()
        .map(|(c, _)| *c)
        .zip(choice_guesses)
        .chain(statements.iter().map(|(c, _)| *c).zip(statement_guesses))
        .map(|(card, (credit, cues))| CardGuess {
            id: card.id.clone(),
            credit,
            cues,
        })
        .collect();
    Guess {
        choice,
        true_false,
        right_by_length,
        length_ties,
        cues,
        cards,
    }
}

/// Guesses every item with a model fitted on the items of the other folds only: item `i` is in fold
/// `i % folds`. One fit per fold, so a deck costs `folds` fits whatever its size.
fn cross_validate<T: Copy, M, R>(
    items: &[T],
    folds: usize,
    fit: impl Fn(&[T]) -> M,
    guess: impl Fn(&M, T) -> R,
) -> Vec<R> {
    let folds = folds.clamp(2, items.len().max(2));
    let mut out: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for fold in 0..folds {
        let train: Vec<T> = (0..items.len())
            .filter(|j| j % folds != fold)
            .map(|j| items[j])
            .collect();
        let model = fit(&train);
        for i in (fold..items.len()).step_by(folds) {
            out[i] = Some(guess(&model, items[i]));
        }
    }
    out.into_iter().flatten().collect()
}

/// The rank of option `i` by length: 0 for the longest, plus one per option strictly longer.
fn length_rank(texts: &[&str], i: usize) -> usize {
    let len = |t: &str| t.chars().count();
    let own = texts.get(i).map_or(0, |t| len(t));
    texts.iter().filter(|t| len(t) > own).count()
}

/// Digits, parentheses and commas: how detailed a text looks.
fn detail(text: &str) -> usize {
    text.chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '(' | ')' | ','))
        .count()
}

/// The lower-case words of `text`, every word kept (cue words are short).
fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `text` has an absolute, a hedge, a negation.
fn cue_words(text: &str) -> [bool; 3] {
    let words = plain_words(text);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let negated = has(&NEGATIONS)
        || words
            .iter()
            .any(|w| w.ends_with("n't") || w.ends_with("n’t"));
    [has(&ABSOLUTES), has(&HEDGES), negated]
}

/// The cues of each option of a card (see [`CHOICE_CUES`]).
fn choice_cues(prompt: &str, texts: &[&str]) -> Vec<Vec<bool>> {
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let shortest = lengths.iter().copied().min().unwrap_or(0);
    let details: Vec<usize> = texts.iter().map(|t| detail(t)).collect();
    let most_detail = details.iter().copied().max().unwrap_or(0);
    let question = words(prompt);
    let overlaps: Vec<usize> = texts
        .iter()
        .map(|t| {
            words(t)
                .iter()
                .filter(|w| question.iter().any(|q| related(w, q)))
                .count()
        })
        .collect();
    let (least, most) = (
        overlaps.iter().copied().min().unwrap_or(0),
        overlaps.iter().copied().max().unwrap_or(0),
    );
    (0..texts.len())
        .map(|i| {
            let rank = length_rank(texts, i);
            let [absolute, hedge, negation] = cue_words(texts[i]);
            vec![
                rank == 0 && lengths[i] > shortest,
                rank == 1,
                lengths[i] == shortest && rank > 0,
                details[i] == most_detail && most_detail > 0,
                overlaps[i] == most && most > least,
                overlaps[i] == least && most > least,
                absolute,
                hedge,
                negation,
                !(absolute || hedge || negation),
            ]
        })
        .collect()
}

/// A statement's cues after its length: detail, absolute, hedge, negation.
fn statement_cues(text: &str) -> [bool; 4] {
    let [absolute, hedge, negation] = cue_words(text);
    [detail(text) > 0, absolute, hedge, negation]
}

/// How much one cue speaks for (positive) or against a right option: the log-likelihood ratio of having it
/// and of not having it, from counts smoothed by one (so an unseen cue says little).
#[derive(Clone, Copy)]
struct Weight {
    with: f64,
    without: f64,
}

impl Weight {
    fn fit(right_with: usize, right: usize, wrong_with: usize, wrong: usize) -> Self {
        let p = (right_with as f64 + 1.0) / (right as f64 + 2.0);
        let q = (wrong_with as f64 + 1.0) / (wrong as f64 + 2.0);
        Weight {
            with: (p / q).ln(),
            without: ((1.0 - p) / (1.0 - q)).ln(),
        }
    }

    fn of(&self, has: bool) -> f64 {
        if has { self.with } else { self.without }
    }
}

/// The weights of [`CHOICE_CUES`], fitted on options labelled right or wrong.
struct ChoiceModel {
    weights: Vec<Weight>,
}

impl ChoiceModel {
    fn fit(train: &[&ChoiceItem]) -> Self {
        let options = || {
            train
                .iter()
                .flat_map(|item| item.options.iter().zip(&item.right))
        };
        let right = options().filter(|(_, r)| **r).count();
        let wrong = options().count() - right;
        let weights = (0..CHOICE_CUES.len())
            .map(|c| {
                let with =
                    |want: bool| options().filter(|(cues, r)| **r == want && cues[c]).count();
                Weight::fit(with(true), right, with(false), wrong)
            })
            .collect();
        ChoiceModel { weights }
    }

    fn score(&self, cues: &[bool]) -> f64 {
        self.weights.iter().zip(cues).map(|(w, &c)| w.of(c)).sum()
    }

    /// The credit of picking the best-scored option of `item` (a tie: the share of right options among the
    /// tied), and the cues of the pick that speak for it.
    fn guess(&self, item: &ChoiceItem) -> (f64, Vec<&'static str>) {
        let scores: Vec<f64> = item.options.iter().map(|o| self.score(o)).collect();
        let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let tied: Vec<usize> = (0..scores.len())
            .filter(|&i| (scores[i] - best).abs() < 1e-9)
            .collect();
        let right = tied.iter().filter(|&&i| item.right[i]).count();
        let credit = share(right as f64, tied.len());
        let pick = tied.first().and_then(|&i| item.options.get(i));
        (
            credit,
            pick.map_or_else(Vec::new, |cues| self.reasons(cues)),
        )
    }

    fn reasons(&self, cues: &[bool]) -> Vec<&'static str> {
        reasons(&CHOICE_CUES, cues, |c| self.weights[c].with)
    }
}

/// The cues that are present and speak for the pick (positive weight), strongest first.
fn reasons(
    names: &[&'static str],
    cues: &[bool],
    weight: impl Fn(usize) -> f64,
) -> Vec<&'static str> {
    let mut present: Vec<(usize, f64)> = (0..cues.len())
        .filter(|&c| cues[c])
        .map(|c| (c, weight(c)))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    present.sort_by(|a, b| b.1.total_cmp(&a.1));
    present.into_iter().map(|(c, _)| names[c]).collect()
}

/// The prior and the weights of [`STATEMENT_CUES`] for "true", fitted on statements.
struct StatementModel {
    prior: f64,
    /// A statement longer than this many characters is long.
    median: usize,
    weights: Vec<Weight>,
}

impl StatementModel {
    fn fit(train: &[&StatementItem]) -> Self {
        let mut lengths: Vec<usize> = train.iter().map(|s| s.chars).collect();
        lengths.sort_unstable();
        let median = lengths.get(lengths.len() / 2).copied().unwrap_or(0);
        let trues = train.iter().filter(|s| s.answer).count();
        let falses = train.len() - trues;
        let prior = ((trues as f64 + 1.0) / (falses as f64 + 1.0)).ln();
        let weights = (0..STATEMENT_CUES.len())
            .map(|c| {
                let with = |want: bool| {
                    train
                        .iter()
                        .filter(|s| s.answer == want && Self::cues(s, median)[c])
                        .count()
                };
                Weight::fit(with(true), trues, with(false), falses)
            })
            .collect();
        StatementModel {
            prior,
            median,
            weights,
        }
    }

    fn cues(s: &StatementItem, median: usize) -> [bool; 5] {
        let [detail, absolute, hedge, negation] = s.cues;
        [s.chars > median, detail, absolute, hedge, negation]
    }

    /// The credit of saying true when the score is positive, false when negative (0.5 on a tie), and the cues
    /// that speak for that answer.
    fn guess(&self, s: &StatementItem) -> (f64, Vec<&'static str>) {
        let cues = Self::cues(s, self.median);
        let score: f64 = self.prior
            + self
                .weights
                .iter()
                .zip(cues)
                .map(|(w, c)| w.of(c))
                .sum::<f64>();
        if score.abs() < 1e-9 {
            return (0.5, Vec::new());
        }
        let says = score > 0.0;
        let sign = if says { 1.0 } else { -1.0 };
        let credit = if says == s.answer { 1.0 } else { 0.0 };
        (
            credit,
            reasons(&STATEMENT_CUES, &cues, |c| sign * self.weights[c].with),
        )
    }
}

/// The warnings about `deck` (file text `source`) that `guess` calls for: a guesser well above chance, a
/// length rank holding too many 4-option cards, a true/false cue that gives the answer away.
pub fn warnings(deck: &Deck, source: &str, guess: &Guess) -> Vec<Diagnostic> {
    let pos = deck_pos(source);
    let warn = |message: String| Diagnostic::warning(&deck.origin, source, pos, message);
    let mut out = Vec::new();
    // Choice cards come first in `guess.cards`.
    let (choices, statements) = guess
        .cards
        .split_at(guess.choice.cards.min(guess.cards.len()));
    let driving = |cards: &[CardGuess]| {
        let hits: Vec<&CardGuess> = cards.iter().filter(|c| c.credit >= 1.0).collect();
        let mut named: Vec<String> = hits
            .iter()
            .take(SHOWN_HITS)
            .map(|c| match c.cues.as_slice() {
                [] => format!("`{}`", c.id),
                cues => format!("`{}` ({})", c.id, cues.join(", ")),
            })
            .collect();
        if hits.len() > SHOWN_HITS {
            named.push(format!("{} more", hits.len() - SHOWN_HITS));
        }
        named.join(", ")
    };
    for (score, kind, cards, help) in [
        (
            &guess.choice,
            "choice",
            choices,
            "vary which option is right by length, detail and wording: give the distractors the detail and the question's words as often as the right option",
        ),
        (
            &guess.true_false,
            "true/false",
            statements,
            "balance the cues: hedges, absolutes, negations, length and detail as often in false statements as in true ones",
        ),
    ] {
        if score.guessable() {
            out.push(
                warn(format!(
                    "a guesser that knows nothing but surface cues gets {:.0}% of the {} {kind} cards of deck `{}` right (chance {:.0}%); it gets right {}",
                    score.percent(),
                    score.cards,
                    deck.id,
                    score.chance_percent(),
                    driving(cards)
                ))
                .code("guessable")
                .help(format!("{help} (see \"Keeping a deck fair\" in decks/README.md)")),
            );
        }
    }
    let four: usize = guess.right_by_length.iter().sum();
    if four >= MIN_CARDS_TO_JUDGE
        && let Some((rank, &n)) = guess
            .right_by_length
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
        && share(n as f64, four) > MAX_RANK_SHARE
    {
        let name = ["longest", "second-longest", "third-longest", "shortest"][rank];
        out.push(
            warn(format!(
                "the right option is the {name} in {n} of the {four} 4-option cards of deck `{}` whose right option has a length of its own ({:.0}%, more than {:.0}%)",
                deck.id,
                share(n as f64, four) * 100.0,
                MAX_RANK_SHARE * 100.0
            ))
            .code("length-rank")
            .help("spread the right option over every rank by length: lengthen or shorten distractors, not only the answer"),
        );
    }
    if guess.true_false.judged() {
        for cue in &guess.cues {
            let majority = cue.true_ones.max(cue.statements - cue.true_ones);
            if cue.statements >= MIN_CUE_STATEMENTS
                && share(majority as f64, cue.statements) > MAX_CUE_SHARE
            {
                let answer = if cue.true_ones * 2 > cue.statements {
                    "true"
                } else {
                    "false"
                };
                out.push(
                    warn(format!(
                        "{majority} of the {} true/false statements of deck `{}` with a {} word are {answer}: the word gives the answer away",
                        cue.statements, deck.id, cue.cue
                    ))
                    .code("tf-cue-unbalanced")
                    .help(format!("write as many {} statements with such words as {answer} ones", if answer == "true" { "false" } else { "true" })),
                );
            }
        }
    }
    out
}

/// Where the deck's `id:` is written (the warnings are about the whole deck).
fn deck_pos(source: &str) -> Option<Pos> {
    let line = yaml_lines(source).position(|l| l.starts_with("id:"))?;
    let col = yaml_lines(source)
        .nth(line)
        .map_or(0, |l| l.len() - l[3..].trim_start().len());
    Some(Pos {
        line: u32::try_from(line + 1).ok()?,
        col: u32::try_from(col + 1).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::validate::{Known, parse_deck};

    fn deck(cards: &str) -> (Deck, String) {
        let text = format!("format: 1\nid: d\ntitle: D\ncards:\n{cards}");
        let deck = parse_deck(&text, "d.yaml", &Known::default())
            .unwrap_or_else(|d| panic!("{}", d[0].render()));
        (deck, text)
    }

    /// A choice card `c{i}` whose options are `options`, the right one at `right`.
    fn choice(i: usize, options: &[&str], right: usize) -> String {
        let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
        format!(
            "  - id: c{i}\n    type: choice\n    prompt: Which thing {i}?\n    options: [{}]\n    answer: \"{}\"\n    explain: x\n",
            quoted.join(", "),
            options[right]
        )
    }

    fn statement(i: usize, text: &str, answer: bool) -> String {
        format!(
            "  - id: t{i}\n    type: truefalse\n    prompt: {text}\n    answer: {answer}\n    explain: x\n"
        )
    }

    const WORDS: [&str; 12] = [
        "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "inlet", "jetty",
        "knoll", "larch",
    ];

    /// Four options of 5, 11, 17 and 23 characters (one to four words), each card with its own words.
    fn four_options(i: usize) -> Vec<String> {
        (1..=4)
            .map(|n| {
                (0..n)
                    .map(|k| WORDS[(i + k * 3 + n) % WORDS.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn render(ds: &[Diagnostic]) -> String {
        ds.iter().map(Diagnostic::render).collect()
    }

    fn figures(g: &Guess) -> String {
        format!(
            "choice {:.1}/{} (chance {:.1}), true/false {:.1}/{} (chance {:.1}), right by length {:?}, {} tied",
            g.choice.guessed,
            g.choice.cards,
            g.choice.chance,
            g.true_false.guessed,
            g.true_false.cards,
            g.true_false.chance,
            g.right_by_length,
            g.length_ties
        )
    }

    #[test]
    fn a_deck_whose_right_option_is_always_the_longest_is_warned() {
        let cards: String = (0..10)
            .map(|i| {
                let options = four_options(i);
                let options: Vec<&str> = options.iter().map(String::as_str).collect();
                choice(i, &options, 3)
            })
            .collect();
        let (deck, text) = deck(&cards);
        let g = guess(&deck);
        assert_eq!(
            figures(&g),
            "choice 10.0/10 (chance 2.5), true/false 0.0/0 (chance 0.0), right by length [10, 0, 0, 0], 0 tied"
        );
        insta::assert_snapshot!(render(&warnings(&deck, &text, &g)));
    }

    #[test]
    fn a_deck_whose_right_option_takes_every_length_in_turn_is_not_warned() {
        let mut cards: String = (0..12)
            .map(|i| {
                let options = four_options(i);
                let options: Vec<&str> = options.iter().map(String::as_str).collect();
                choice(i, &options, i % 4)
            })
            .collect();
        // Hedges, absolutes and negations as often in true statements as in false ones.
        for (i, (text, answer)) in [
            ("Sockets can be reused.", true),
            ("Sockets can be shared.", false),
            ("Ports are always numbers.", true),
            ("Ports are always free.", false),
            ("A listener is not a client.", true),
            ("A listener is not a socket.", false),
            ("UDP has datagrams.", true),
            ("UDP has a handshake.", false),
        ]
        .iter()
        .enumerate()
        {
            cards.push_str(&statement(i, text, *answer));
        }
        let (deck, text) = deck(&cards);
        let g = guess(&deck);
        assert_eq!(
            figures(&g),
            "choice 0.0/12 (chance 3.0), true/false 0.0/8 (chance 4.0), right by length [3, 3, 3, 3], 0 tied"
        );
        assert_eq!(render(&warnings(&deck, &text, &g)), "");
    }

    #[test]
    fn hedged_statements_that_are_all_true_are_warned() {
        let cards: String = [
            ("A socket can be bound twice with SO_REUSEPORT.", true),
            ("A port may be shared by TCP and UDP.", true),
            ("Connections usually end with FIN.", true),
            ("A server often listens on a fixed port.", true),
            ("A port is a process id.", false),
            ("UDP retransmits lost datagrams.", false),
            ("TCP keeps message boundaries.", false),
            ("Port 0 is a real port to connect to.", false),
        ]
        .iter()
        .enumerate()
        .map(|(i, (text, answer))| statement(i, text, *answer))
        .collect();
        let (deck, text) = deck(&cards);
        let g = guess(&deck);
        assert_eq!(
            figures(&g),
            "choice 0.0/0 (chance 0.0), true/false 8.0/8 (chance 4.0), right by length [0, 0, 0, 0], 0 tied"
        );
        insta::assert_snapshot!(render(&warnings(&deck, &text, &g)));
    }

    #[test]
    fn a_deck_too_small_to_judge_gets_its_figure_but_no_warning() {
        let cards: String = (0..7)
            .map(|i| {
                let options = four_options(i);
                let options: Vec<&str> = options.iter().map(String::as_str).collect();
                choice(i, &options, 3)
            })
            .collect();
        let (deck, text) = deck(&cards);
        let g = guess(&deck);
        assert_eq!(
            figures(&g),
            "choice 7.0/7 (chance 1.8), true/false 0.0/0 (chance 0.0), right by length [7, 0, 0, 0], 0 tied"
        );
        assert!(!g.choice.judged());
        assert_eq!(render(&warnings(&deck, &text, &g)), "");
    }

    /// No model is ever fitted on the item it then guesses.
    #[test]
    fn cross_validation_never_trains_on_the_card_it_guesses() {
        let items: Vec<usize> = (0..13).collect();
        let guessed = cross_validate(&items, 5, <[usize]>::to_vec, |train, item| {
            (item, train.contains(&item), train.len())
        });
        let leaked: Vec<usize> = guessed.iter().filter(|g| g.1).map(|g| g.0).collect();
        assert_eq!(leaked, Vec::<usize>::new());
        let order: Vec<usize> = guessed.iter().map(|g| g.0).collect();
        assert_eq!(order, items);
        // Folds of 3, 3, 3, 2, 2 cards: the rest is trained on.
        let sizes: Vec<usize> = guessed.iter().map(|g| g.2).collect();
        assert_eq!(sizes, [10, 10, 10, 11, 11, 10, 10, 10, 11, 11, 10, 10, 10]);
    }

    /// Ten statements alike in every cue, five true: held out, each one leaves the other answer in the
    /// majority, so the guesser gets every one wrong. A guesser that had seen the card would see a tie (5 of 10).
    #[test]
    fn a_held_out_card_is_guessed_without_its_own_answer() {
        let cards: String = (0..10)
            .map(|i| statement(i, "Statement.", i % 2 == 0))
            .collect();
        let (deck, _) = deck(&cards);
        assert_eq!(guess_with_folds(&deck, 10).true_false.guessed, 0.0);
    }
}

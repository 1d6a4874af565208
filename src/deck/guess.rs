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
//! For choice cards the guesser is a naive Bayes fit of those cues (how much likelier each cue is on a right
//! option than on a wrong one); it picks the option with the highest score, and a tie is scored as a blind
//! pick among the tied options, so the order options are written in (the right one first, often) tells it
//! nothing. For true/false it takes the one cue (or none) whose rule, "the answer most training statements
//! with the same value of this cue have", gets the most training statements right; where those statements are
//! too few or too balanced to say ([`decided`]) it guesses blind (half a card).
//!
//! A deck's score is cross-validated: its scoreable cards are split into [`FOLDS`] fixed folds by their order
//! (card `i` in fold `i % FOLDS`), and each fold is guessed by a guesser fitted on the other folds and on every
//! card of the other decks checked with it ([`guess_all`]), as a candidate who studies them all would learn
//! the cues. The fits use counts that add and subtract, so a fold costs its own size, not the pool's.
//!
//! Multi-answer choice cards count as right when the option the guesser is surest of is a right one; their
//! chance is the share of right options. Pure: a [`Deck`] in, [`Guess`] and [`Diagnostic`]s out.
use serde::Serialize;

use super::diag::{Diagnostic, Lines};
use super::id::CardId;
use super::model::{Card, CardKind, Deck};
use super::par::par_map;
use super::words::{related, words};
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

/// The words of a question and of an option compared for overlap: every pair is compared, so a hostile
/// card of a million words each would otherwise take hours.
const MAX_OVERLAP_WORDS: usize = 64;

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
    /// Every scoreable card with what the held-out guesser made of it: the choice cards, then the statements,
    /// each in deck order.
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

/// The number of [`CHOICE_CUES`].
const NC: usize = CHOICE_CUES.len();

/// A choice card as cues: each option's cues, and which options are right.
struct ChoiceItem {
    options: Vec<[bool; NC]>,
    right: Vec<bool>,
}

/// A true/false card: its statement's length and cues (length is decided against the training cards).
struct StatementItem {
    chars: usize,
    cues: [bool; 4],
    answer: bool,
}

/// The scoreable cards of one deck, as cues.
#[derive(Default)]
struct DeckItems<'a> {
    choices: Vec<(&'a Card, ChoiceItem)>,
    statements: Vec<(&'a Card, StatementItem)>,
    right_by_length: [usize; 4],
    length_ties: usize,
}

/// Runs the guesser over `deck` alone, with [`FOLDS`] folds.
pub fn guess(deck: &Deck) -> Guess {
    guess_all(&[deck])
        .pop()
        .unwrap_or_else(|| score(&DeckItems::default(), Vec::new(), Vec::new()))
}

/// Runs the guesser over `decks` (those checked together), with [`FOLDS`] folds: a deck's cards are guessed
/// by a guesser fitted on the other folds of that deck and on every card of the other decks, as a candidate
/// who studies them all would learn the cues.
pub fn guess_all(decks: &[&Deck]) -> Vec<Guess> {
    // Each deck's cues, then each deck's held-out guesses, spread over the cores (both are per deck; only
    // the pool is summed over every deck, in between).
    let items: Vec<DeckItems> = par_map(decks, |d| deck_items(d));
    let mut choice_pool = ChoiceCounts::default();
    let mut statement_pool = StatementCounts::default();
    for d in &items {
        d.choices.iter().for_each(|(_, i)| choice_pool.add(i, 1));
        d.statements
            .iter()
            .for_each(|(_, i)| statement_pool.add(i, 1));
    }
    par_map(&items, |d| {
        let choices: Vec<&ChoiceItem> = d.choices.iter().map(|(_, i)| i).collect();
        let choice_guesses = cross_validate(
            &choice_pool,
            &choices,
            FOLDS,
            ChoiceModel::fit,
            ChoiceModel::guess,
        );
        let statements: Vec<&StatementItem> = d.statements.iter().map(|(_, i)| i).collect();
        let statement_guesses = cross_validate(
            &statement_pool,
            &statements,
            FOLDS,
            StatementModel::fit,
            StatementModel::guess,
        );
        score(d, choice_guesses, statement_guesses)
    })
}

/// The cues of the scoreable cards of `deck`, and the rank of the right option by length on 4-option cards.
fn deck_items(deck: &Deck) -> DeckItems<'_> {
    let mut items = DeckItems::default();
    for card in &deck.cards {
        match &card.kind {
            CardKind::Choice { options, answers } if options.len() >= 2 => {
                let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
                if let ([right], 4) = (answers.as_slice(), texts.len()) {
                    let len = |i: usize| texts[i].chars().count();
                    if (0..4).any(|i| i != *right && len(i) == len(*right)) {
                        items.length_ties += 1;
                    } else {
                        items.right_by_length[length_rank(&texts, *right).min(3)] += 1;
                    }
                }
                let item = ChoiceItem {
                    options: choice_cues(&card.prompt, &texts),
                    right: (0..texts.len()).map(|i| answers.contains(&i)).collect(),
                };
                items.choices.push((card, item));
            }
            CardKind::TrueFalse { answer } => {
                let item = StatementItem {
                    chars: card.prompt.chars().count(),
                    cues: statement_cues(&card.prompt),
                    answer: *answer,
                };
                items.statements.push((card, item));
            }
            _ => {}
        }
    }
    items
}

/// A deck's [`Guess`] from the held-out guesses of its choice cards and of its statements.
fn score(d: &DeckItems, choice_guesses: Vec<Guessed>, statement_guesses: Vec<Guessed>) -> Guess {
    let choice = Score {
        cards: d.choices.len(),
        guessed: total(choice_guesses.iter().map(|g| g.0)),
        chance: total(
            d.choices
                .iter()
                .map(|(_, i)| share(i.right.iter().filter(|&&r| r).count() as f64, i.right.len())),
        ),
    };
    let true_false = Score {
        cards: d.statements.len(),
        guessed: total(statement_guesses.iter().map(|g| g.0)),
        chance: d.statements.len() as f64 / 2.0,
    };
    let cues = [0, 1, 2]
        .iter()
        .map(|&c| {
            let with: Vec<bool> = d
                .statements
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
    let cards = d
        .choices
        .iter()
        .map(|(c, _)| *c)
        .zip(choice_guesses)
        .chain(d.statements.iter().map(|(c, _)| *c).zip(statement_guesses))
        .map(|(card, (credit, cues))| CardGuess {
            id: card.id.clone(),
            credit,
            cues,
        })
        .collect();
    Guess {
        choice,
        true_false,
        right_by_length: d.right_by_length,
        length_ties: d.length_ties,
        cues,
        cards,
    }
}

/// A held-out guess: its credit and the cues that spoke for it.
type Guessed = (f64, Vec<&'static str>);

/// What a fit needs of its training cards: counts that add and subtract, so that holding a fold out of the
/// whole pool costs the size of the fold, not of the pool.
trait Counts: Clone {
    type Item;
    /// Adds `item` `by` times (-1 takes it out).
    fn add(&mut self, item: &Self::Item, by: i64);
}

/// Guesses every item of one deck with a model `fit` on the `pool` (every deck's items) less the item's own
/// fold: item `i` is in fold `i % folds`. One fit per fold.
fn cross_validate<C: Counts, M, R>(
    pool: &C,
    items: &[&C::Item],
    folds: usize,
    fit: impl Fn(&C) -> M,
    guess: impl Fn(&M, &C::Item) -> R,
) -> Vec<R> {
    let folds = folds.clamp(2, items.len().max(2));
    let mut out: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for fold in 0..folds {
        let mut train = pool.clone();
        for i in (fold..items.len()).step_by(folds) {
            train.add(items[i], -1);
        }
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
fn choice_cues(prompt: &str, texts: &[&str]) -> Vec<[bool; NC]> {
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let shortest = lengths.iter().copied().min().unwrap_or(0);
    let details: Vec<usize> = texts.iter().map(|t| detail(t)).collect();
    let most_detail = details.iter().copied().max().unwrap_or(0);
    let capped = |text: &str| {
        let mut w = words(text);
        w.truncate(MAX_OVERLAP_WORDS);
        w
    };
    let question = capped(prompt);
    let overlaps: Vec<usize> = texts
        .iter()
        .map(|t| {
            capped(t)
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
            [
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
    fn fit(right_with: i64, right: i64, wrong_with: i64, wrong: i64) -> Self {
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

/// The training cards of [`ChoiceModel`]: how many options are right and wrong, and how many of each have
/// each cue.
#[derive(Clone, Default)]
struct ChoiceCounts {
    right: i64,
    wrong: i64,
    right_with: [i64; NC],
    wrong_with: [i64; NC],
}

impl Counts for ChoiceCounts {
    type Item = ChoiceItem;
    fn add(&mut self, item: &ChoiceItem, by: i64) {
        for (cues, &right) in item.options.iter().zip(&item.right) {
            let (n, with) = if right {
                (&mut self.right, &mut self.right_with)
            } else {
                (&mut self.wrong, &mut self.wrong_with)
            };
            *n += by;
            for (w, &c) in with.iter_mut().zip(cues) {
                *w += by * i64::from(c);
            }
        }
    }
}

impl ChoiceModel {
    fn fit(c: &ChoiceCounts) -> Self {
        let weights = (0..NC)
            .map(|i| Weight::fit(c.right_with[i], c.right, c.wrong_with[i], c.wrong))
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

/// A rule for statements: the cue it looks at (one of [`STATEMENT_CUES`], or none: the majority answer),
/// and for each value of it the training statements, false and true. (Rules on two cues were tried: their
/// smaller cells tip against the held-out cards, which made the guesser worse than one cue.)
struct StatementModel {
    /// A statement longer than this many characters is long.
    median: usize,
    /// Indices into [`STATEMENT_CUES`].
    looks_at: Vec<usize>,
    /// Per combination of the cues looked at (bit `k` for `looks_at[k]`): false, true.
    cells: Vec<[i64; 2]>,
}

/// The training cards of [`StatementModel`]: per combination of the cues after length (bits of detail,
/// absolute, hedge, negation) and per length in characters, how many statements are false and true.
#[derive(Clone, Default)]
struct StatementCounts {
    cells: std::collections::BTreeMap<(usize, usize), [i64; 2]>,
}

impl Counts for StatementCounts {
    type Item = StatementItem;
    fn add(&mut self, s: &StatementItem, by: i64) {
        let bits = (0..4).filter(|&k| s.cues[k]).map(|k| 1 << k).sum();
        self.cells.entry((bits, s.chars)).or_default()[usize::from(s.answer)] += by;
    }
}

impl StatementModel {
    /// Of the rules on no cue or one, the one that gets most training statements right (the first such, so
    /// no cue wins a tie).
    fn fit(c: &StatementCounts) -> Self {
        let mut lengths: std::collections::BTreeMap<usize, i64> = Default::default();
        for (&(_, len), [f, t]) in &c.cells {
            *lengths.entry(len).or_default() += f + t;
        }
        let n: i64 = lengths.values().sum();
        // The median length: the first length at which more than half the statements are counted.
        let mut seen = 0;
        let median = lengths
            .iter()
            .find(|(_, count)| {
                seen += **count;
                seen * 2 > n
            })
            .map_or(0, |(&len, _)| len);
        // Every statement's five cues as bits (bit 0: long, then detail, absolute, hedge, negation).
        let mut full = [[0i64; 2]; 32];
        for (&(bits, len), counts) in &c.cells {
            let cell = &mut full[(bits << 1) | usize::from(len > median)];
            cell[0] += counts[0];
            cell[1] += counts[1];
        }
        let cues = STATEMENT_CUES.len();
        let rules = std::iter::once(Vec::new()).chain((0..cues).map(|a| vec![a]));
        let mut best: Option<(i64, StatementModel)> = None;
        for looks_at in rules {
            let mut cells = vec![[0i64; 2]; 1 << looks_at.len()];
            for (bits, counts) in full.iter().enumerate() {
                let cell = &mut cells[project(bits, &looks_at)];
                cell[0] += counts[0];
                cell[1] += counts[1];
            }
            // Twice the training statements the rule gets right (a blind guess gets half of a cell).
            let right: i64 = cells
                .iter()
                .map(|&cell| match decided(cell) {
                    Some(_) => 2 * cell[0].max(cell[1]),
                    None => cell[0] + cell[1],
                })
                .sum();
            if best.as_ref().is_none_or(|(r, _)| right > *r) {
                let model = StatementModel {
                    median,
                    looks_at,
                    cells,
                };
                best = Some((right, model));
            }
        }
        best.map_or(
            StatementModel {
                median,
                looks_at: Vec::new(),
                cells: vec![[0, 0]],
            },
            |(_, m)| m,
        )
    }

    /// The credit of saying the majority answer of the training statements with the same cues (0.5 on a tie),
    /// and the cues it looked at (`no hedge` for one the statement lacks).
    fn guess(&self, s: &StatementItem) -> (f64, Vec<&'static str>) {
        let [detail, absolute, hedge, negation] = s.cues;
        let has = [s.chars > self.median, detail, absolute, hedge, negation];
        let bits = (0..5).filter(|&k| has[k]).map(|k| 1 << k).sum();
        let Some(says) = decided(self.cells[project(bits, &self.looks_at)]) else {
            return (0.5, Vec::new());
        };
        let credit = if says == s.answer { 1.0 } else { 0.0 };
        let reasons = self
            .looks_at
            .iter()
            .map(|&c| {
                if has[c] {
                    STATEMENT_CUES[c]
                } else {
                    NOT_CUES[c]
                }
            })
            .collect();
        (credit, reasons)
    }
}

/// The answer most training statements of a cell (false, true) have, when they are at least
/// [`MIN_CELL`] and that answer holds at least [`MIN_CELL_SHARE`] of them; else the guesser guesses blind. A
/// cell nearly balanced would otherwise be guessed against the held-out card's own answer (taking it out of
/// the training tips the balance the other way), a pessimism a real candidate does not have.
fn decided([f, t]: [i64; 2]) -> Option<bool> {
    let n = f + t;
    let most = f.max(t);
    (n >= MIN_CELL && most as f64 >= n as f64 * MIN_CELL_SHARE).then_some(t > f)
}

/// See [`decided`].
const MIN_CELL: i64 = 4;
/// See [`decided`].
const MIN_CELL_SHARE: f64 = 0.6;

/// The statement cues as absent, for naming a rule's reason.
const NOT_CUES: [&str; 5] = [
    "not long",
    "no detail",
    "no absolute",
    "no hedge",
    "no negation",
];

/// The bits of `bits` at the positions `looks_at`, packed (bit `k` of the result is bit `looks_at[k]`).
fn project(bits: usize, looks_at: &[usize]) -> usize {
    looks_at
        .iter()
        .enumerate()
        .filter(|(_, c)| bits & (1 << **c) != 0)
        .map(|(k, _)| 1 << k)
        .sum()
}

/// The warnings about `deck` (file text `source`) that `guess` calls for: a guesser well above chance, a
/// length rank holding too many 4-option cards, a true/false cue that gives the answer away.
pub fn warnings(deck: &Deck, source: &Lines, guess: &Guess) -> Vec<Diagnostic> {
    let pos = deck_pos(source);
    let warn = |code: &'static str, message: String| {
        Diagnostic::warning(&deck.origin, source, pos, code, message)
    };
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
                warn( "guessable",format!(
                    "a guesser that knows nothing but surface cues gets {:.0}% of the {} {kind} cards of deck `{}` right (chance {:.0}%); it gets right {}",
                    score.percent(),
                    score.cards,
                    deck.id,
                    score.chance_percent(),
                    driving(cards)
                ))
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
            warn( "length-rank",format!(
                "the right option is the {name} in {n} of the {four} 4-option cards of deck `{}` whose right option has a length of its own ({:.0}%, more than {:.0}%)",
                deck.id,
                share(n as f64, four) * 100.0,
                MAX_RANK_SHARE * 100.0
            ))
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
                    warn( "tf-cue-unbalanced",format!(
                        "{majority} of the {} true/false statements of deck `{}` with a {} word are {answer}: the word gives the answer away",
                        cue.statements, deck.id, cue.cue
                    ))
                    .help(format!("write as many {} statements with such words as {answer} ones", if answer == "true" { "false" } else { "true" })),
                );
            }
        }
    }
    out
}

/// Where the deck's `id:` is written (the warnings are about the whole deck).
fn deck_pos(source: &Lines) -> Option<Pos> {
    let (line, text) = (0..source.len())
        .filter_map(|i| Some((i, source.get(i)?)))
        .find(|(_, l)| l.starts_with("id:"))?;
    let col = text.len() - text[3..].trim_start().len();
    Some(Pos {
        line: u32::try_from(line + 1).ok()?,
        col: u32::try_from(col + 1).ok()?,
    })
}

/// The figures in one line, as the tests (here and in [`super::lint`]) read them.
#[cfg(test)]
impl Guess {
    pub(crate) fn figures(&self) -> String {
        format!(
            "choice {:.1} of {} (chance {:.1}), true/false {:.1} of {} (chance {:.1}), right by length {:?}, {} tied",
            self.choice.guessed,
            self.choice.cards,
            self.choice.chance,
            self.true_false.guessed,
            self.true_false.cards,
            self.true_false.chance,
            self.right_by_length,
            self.length_ties
        )
    }
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

    /// `n` choice cards of [`four_options`], card `i`'s right option at `right(i)`.
    fn choices(n: usize, right: impl Fn(usize) -> usize) -> String {
        (0..n)
            .map(|i| {
                let options = four_options(i);
                let options: Vec<&str> = options.iter().map(String::as_str).collect();
                choice(i, &options, right(i))
            })
            .collect()
    }

    /// The deck of `cards` guessed: the guess, and the warnings as rendered.
    fn checked(cards: &str) -> (Guess, String) {
        let (deck, text) = deck(cards);
        let g = guess(&deck);
        let warned = render(&warnings(&deck, &Lines::new(&text), &g));
        (g, warned)
    }

    #[test]
    fn a_deck_whose_right_option_is_always_the_longest_is_warned() {
        let cards: String = choices(10, |_| 3);
        let (g, warned) = checked(&cards);
        assert_eq!(
            g.figures(),
            "choice 10.0 of 10 (chance 2.5), true/false 0.0 of 0 (chance 0.0), right by length [10, 0, 0, 0], 0 tied"
        );
        insta::assert_snapshot!(warned);
    }

    #[test]
    fn a_deck_whose_right_option_takes_every_length_in_turn_is_not_warned() {
        let mut cards: String = choices(12, |i| i % 4);
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
        let (g, warned) = checked(&cards);
        assert_eq!(
            g.figures(),
            "choice 0.0 of 12 (chance 3.0), true/false 2.0 of 8 (chance 4.0), right by length [3, 3, 3, 3], 0 tied"
        );
        assert_eq!(warned, "");
    }

    #[test]
    fn hedged_statements_that_are_all_true_are_warned() {
        let cards: String = [
            ("A socket can be bound twice with SO_REUSEPORT.", true),
            ("A port may be shared by TCP and UDP.", true),
            ("Connections usually end with FIN.", true),
            ("A server often listens on a fixed port.", true),
            ("Some sockets never carry data.", true),
            ("A port is a process id.", false),
            ("UDP retransmits lost datagrams.", false),
            ("TCP keeps message boundaries.", false),
            ("Port 0 is a real port to connect to.", false),
            ("A listening socket sends data.", false),
        ]
        .iter()
        .enumerate()
        .map(|(i, (text, answer))| statement(i, text, *answer))
        .collect();
        let (g, warned) = checked(&cards);
        assert_eq!(
            g.figures(),
            "choice 0.0 of 0 (chance 0.0), true/false 10.0 of 10 (chance 5.0), right by length [0, 0, 0, 0], 0 tied"
        );
        insta::assert_snapshot!(warned);
    }

    #[test]
    fn a_deck_too_small_to_judge_gets_its_figure_but_no_warning() {
        let cards: String = choices(7, |_| 3);
        let (g, warned) = checked(&cards);
        assert_eq!(
            g.figures(),
            "choice 7.0 of 7 (chance 1.8), true/false 0.0 of 0 (chance 0.0), right by length [7, 0, 0, 0], 0 tied"
        );
        assert!(!g.choice.judged());
        assert_eq!(warned, "");
    }

    /// A multi-answer card counts as guessed when the option the guesser is surest of is right; its chance is
    /// the share of right options.
    #[test]
    fn a_multi_answer_card_is_guessed_by_its_surest_option() {
        let cards: String = (0..10)
            .map(|i| {
                let options = four_options(i);
                let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
                format!(
                    "  - id: m{i}\n    type: choice\n    prompt: Which things {i}?\n    options: [{}]\n    answer: [\"{}\", \"{}\"]\n    explain: x\n",
                    quoted.join(", "),
                    options[2],
                    options[3]
                )
            })
            .collect();
        let (deck, _) = deck(&cards);
        assert_eq!(
            guess(&deck).figures(),
            "choice 10.0 of 10 (chance 5.0), true/false 0.0 of 0 (chance 0.0), right by length [0, 0, 0, 0], 0 tied"
        );
    }

    /// A card of 100,000 words in its question and in each option: the overlap compares a budget of words
    /// (all of them, pair by pair, took hours), and the guess still comes out.
    #[test]
    fn a_card_of_a_hundred_thousand_words_is_guessed_within_a_budget() {
        let text = |tag: &str| -> String { (0..100_000).map(|i| format!("{tag}{i} ")).collect() };
        let (prompt, a, b) = (text("word"), text("word"), text("other"));
        let (deck, _) = deck(&format!(
            "  - id: big\n    type: choice\n    prompt: {prompt}\n    options: [{a}, {b}]\n    answer: {a}\n    explain: x\n"
        ));
        let g = guess(&deck);
        assert_eq!(
            g.figures(),
            "choice 0.5 of 1 (chance 0.5), true/false 0.0 of 0 (chance 0.0), right by length [0, 0, 0, 0], 0 tied"
        );
    }

    /// Training counts that remember which items they hold.
    #[derive(Clone, Default)]
    struct Seen(std::collections::BTreeMap<usize, i64>);

    impl Counts for Seen {
        type Item = usize;
        fn add(&mut self, item: &usize, by: i64) {
            *self.0.entry(*item).or_default() += by;
        }
    }

    /// No model is ever fitted on the item it then guesses, and every other item of the pool is trained on.
    #[test]
    fn cross_validation_never_trains_on_the_card_it_guesses() {
        let mut pool = Seen::default();
        (0..20).for_each(|i| pool.add(&i, 1));
        // This deck's items are 0..13; 13..20 are other decks'.
        let items: Vec<usize> = (0..13).collect();
        let refs: Vec<&usize> = items.iter().collect();
        let guessed = cross_validate(
            &pool,
            &refs,
            5,
            |train| (0..20).filter(|i| train.0[i] == 0).collect::<Vec<usize>>(),
            |held_out, &item| (item, held_out.clone()),
        );
        let expected: Vec<(usize, Vec<usize>)> = items
            .iter()
            .map(|&i| (i, (0..13).filter(|j| j % 5 == i % 5).collect()))
            .collect();
        assert_eq!(guessed, expected);
    }

    /// A deck too small to learn from alone is guessed with what the other decks checked with it teach.
    #[test]
    fn the_other_decks_checked_together_are_trained_on() {
        let (small, _) = deck(
            &[
                statement(0, "A socket can be closed twice.", true),
                statement(1, "A port is a process id.", false),
            ]
            .concat(),
        );
        let (other, _) = deck(
            &(0..10)
                .map(|i| match i % 2 {
                    0 => statement(i, "Sockets may be shared.", true),
                    _ => statement(i, "Ports are process ids.", false),
                })
                .collect::<String>(),
        );
        assert_eq!(guess(&small).true_false.guessed, 1.0);
        let both = guess_all(&[&small, &other]);
        assert_eq!(both[0].true_false.guessed, 2.0);
        assert_eq!(both[1].true_false.guessed, 10.0);
    }

    /// Five statements alike in every cue, three true. Held out, a true one leaves 2 true and 2 false (a blind
    /// guess, half a card) and a false one 3 true and 1 false (said true: wrong): 1.5 in all. A guesser that had
    /// seen the card would say true every time (3 of 5) and get 3.
    #[test]
    fn a_held_out_card_is_guessed_without_its_own_answer() {
        let cards: String = (0..5).map(|i| statement(i, "Statement.", i < 3)).collect();
        let (deck, _) = deck(&cards);
        assert_eq!(guess(&deck).true_false.guessed, 1.5);
    }
}

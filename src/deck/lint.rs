//! Fairness lints over a checked deck (issue 13): warnings about options a candidate could pick without
//! knowing the answer, and the figures `check` prints per deck (how often the right option is the longest,
//! how often a true/false answer is true), joined with what the test-wise guesser of [`super::guess`] found.
//! Pure: a [`Deck`] and its source lines in, [`Lint`] out; it never fails a deck (every diagnostic here is a
//! [`Severity::Warning`]) and never prints.
use super::diag::{Diagnostic, Lines, Severity};
use super::guess::{self, Guess};
use super::id::DeckId;
use super::model::{Card, CardKind, Deck};
use super::words::{related, words};
use super::yaml::Pos;

/// A right option at least this many times as long as the longest distractor (and
/// [`LONGER_BY_AT_LEAST`] characters longer) stands out by its length alone.
const LONGER_RATIO: f64 = 1.5;
/// ... and at least this many characters longer, so that `443` against `80` is no warning.
const LONGER_BY_AT_LEAST: usize = 15;

/// What the lints found in one deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Lint {
    pub warnings: Vec<Diagnostic>,
    pub figures: Figures,
    /// What a test-wise guesser makes of the deck ([`super::guess`]); its warnings are in `warnings`.
    pub guess: Guess,
}

/// The fairness figures of one deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub deck: DeckId,
    /// Choice cards with exactly one right option.
    pub single_choice: usize,
    /// Of those, the cards whose right option is strictly longer (in characters) than every distractor.
    pub right_longest: usize,
    /// True/false cards.
    pub true_false: usize,
    /// Of those, the cards whose answer is true.
    pub answer_true: usize,
}

/// `part` of `whole` as a whole percentage (0 when `whole` is 0).
pub fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// Lints `deck`, whose file's lines are `source` (for the excerpts of warnings), with what the test-wise
/// guesser made of it ([`guess::guess_all`] over the decks checked together, or [`guess::guess`]).
pub fn lint(deck: &Deck, source: &Lines, guess: Guess) -> Lint {
    let mut warnings = Vec::new();
    let mut figures = Figures {
        deck: deck.id.clone(),
        single_choice: 0,
        right_longest: 0,
        true_false: 0,
        answer_true: 0,
    };
    for card in &deck.cards {
        match &card.kind {
            CardKind::Choice { options, answers } => {
                let len = |i: usize| options.get(i).map_or(0, |o| o.text.chars().count());
                let right: Vec<usize> = answers.iter().map(|&i| len(i)).collect();
                let longest_wrong = (0..options.len())
                    .filter(|i| !answers.contains(i))
                    .map(len)
                    .max()
                    .unwrap_or(0);
                if let [only] = right.as_slice() {
                    figures.single_choice += 1;
                    if *only > longest_wrong {
                        figures.right_longest += 1;
                    }
                }
                if let Some(&longest_right) = right.iter().max()
                    && much_longer(longest_right, longest_wrong)
                {
                    warnings.push(
                        warning(deck, card, source, format!(
                            "the right option of card `{}` has {longest_right} characters and the longest distractor {longest_wrong}: a candidate can pick it by its length alone",
                            card.id
                        ))
                        .help("move the detail of the right option into `explain`, or give the distractors as much detail"),
                    );
                }
                if card.id.is_cell()
                    && let Some((said, word)) = leaked_word(card)
                {
                    warnings.push(
                        warning(deck, card, source, format!(
                            "the question of table card `{}` says `{said}` and only the right option has `{word}`: the question gives the answer away",
                            card.id
                        ))
                        .help("give the row (or column) a `question:` that does not name the answer"),
                    );
                }
            }
            CardKind::TrueFalse { answer } => {
                figures.true_false += 1;
                figures.answer_true += usize::from(*answer);
            }
            _ => {}
        }
    }
    warnings.extend(guess::warnings(deck, source, &guess));
    Lint {
        warnings,
        figures,
        guess,
    }
}

fn much_longer(right: usize, wrong: usize) -> bool {
    right >= wrong + LONGER_BY_AT_LEAST && right as f64 >= wrong as f64 * LONGER_RATIO
}

/// A warning at the line where `card` starts, the caret on its first key.
fn warning(deck: &Deck, card: &Card, source: &Lines, message: String) -> Diagnostic {
    let line = source.line(card.line).unwrap_or_default();
    let col = line.find(|c: char| c != ' ' && c != '-').unwrap_or(0) + 1;
    let pos = Pos {
        line: card.line,
        col: u32::try_from(col).unwrap_or(1),
    };
    let mut d = Diagnostic::error(&deck.origin, source, Some(pos), message);
    d.severity = Severity::Warning;
    d
}

/// A word of the card's question and the word of its right option it is a form of, when no distractor
/// has that word: such a question gives its answer away.
fn leaked_word(card: &Card) -> Option<(String, String)> {
    let CardKind::Choice { options, answers } = &card.kind else {
        return None;
    };
    let wrong: Vec<String> = (0..options.len())
        .filter(|i| !answers.contains(i))
        .flat_map(|i| words(&options[i].text))
        .collect();
    let question = words(&card.prompt);
    answers
        .iter()
        .filter_map(|&i| options.get(i))
        .flat_map(|o| words(&o.text))
        .filter(|w| !wrong.iter().any(|x| related(w, x)))
        .find_map(|w| {
            question
                .iter()
                .find(|q| related(&w, q))
                .map(|q| (q.clone(), w.clone()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::validate::{Known, parse_deck};

    fn run(text: &str) -> String {
        let deck = parse_deck(text, "d.yaml", &Known::default())
            .unwrap_or_else(|d| panic!("{}", d[0].render()));
        let lint = lint(&deck, &Lines::new(text), guess::guess(&deck));
        let mut out: String = lint.warnings.iter().map(Diagnostic::render).collect();
        let f = &lint.figures;
        out.push_str(&format!(
            "{}: longest {}/{}, true {}/{}\n",
            f.deck, f.right_longest, f.single_choice, f.answer_true, f.true_false
        ));
        out
    }

    #[test]
    fn a_right_option_much_longer_than_every_distractor_is_a_warning() {
        let deck = "format: 1\nid: d\ntitle: D\ncards:\n  - id: long\n    type: choice\n    prompt: What is a socket?\n    options: [A number, An endpoint a program holds to send and receive data, A cable]\n    answer: An endpoint a program holds to send and receive data\n    explain: x\n  - id: fair\n    type: choice\n    prompt: Which port?\n    options: [\"443\", \"80\"]\n    answer: \"443\"\n    explain: x\n  - id: short\n    type: choice\n    prompt: Which?\n    options: [UDP, TCP and more]\n    answer: UDP\n    explain: x\n";
        assert_eq!(
            run(deck),
            "d.yaml:5:5: warning: the right option of card `long` has 52 characters and the longest distractor 8: a candidate can pick it by its length alone\n  |\n5 |   - id: long\n  |     ^\nhelp: move the detail of the right option into `explain`, or give the distractors as much detail\nd: longest 2/3, true 0/0\n"
        );
    }

    #[test]
    fn the_figures_count_single_answer_choices_and_true_answers() {
        let deck = "format: 1\nid: d\ntitle: D\ncards:\n  - id: multi\n    type: choice\n    prompt: Which are TCP?\n    options: [SSH over TCP, DNS, HTTP]\n    answer: [SSH over TCP, HTTP]\n    explain: x\n  - id: t\n    type: truefalse\n    prompt: TCP has a handshake.\n    answer: true\n    explain: x\n  - id: f\n    type: truefalse\n    prompt: UDP has a handshake.\n    answer: false\n    explain: x\n  - id: f2\n    type: truefalse\n    prompt: UDP retransmits.\n    answer: false\n    explain: x\n";
        assert_eq!(run(deck), "d: longest 0/0, true 1/3\n");
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn a_table_question_naming_its_answer_is_a_warning() {
        let deck = "format: 1\nid: d\ntitle: D\ntables:\n  - id: t\n    title: TCP vs UDP\n    columns: [TCP, UDP]\n    rows:\n      - aspect: Unit of data\n        values: [A byte stream, Datagrams]\n      - aspect: Connection model\n        values: [Connection-oriented, Connectionless]\n      - aspect: Default ports\n        question: Which ports does {column} use?\n        values: [80 for tcp, 80 for udp]\n";
        assert_eq!(
            run(deck),
            "d.yaml:9:9: warning: the question of table card `t/unit-of-data/udp` says `data` and only the right option has `datagrams`: the question gives the answer away\n  |\n9 |       - aspect: Unit of data\n  |         ^\nhelp: give the row (or column) a `question:` that does not name the answer\n\
             d.yaml:13:9: warning: the question of table card `t/default-ports/tcp` says `tcp` and only the right option has `tcp`: the question gives the answer away\n   |\n13 |       - aspect: Default ports\n   |         ^\nhelp: give the row (or column) a `question:` that does not name the answer\n\
             d.yaml:13:9: warning: the question of table card `t/default-ports/udp` says `udp` and only the right option has `udp`: the question gives the answer away\n   |\n13 |       - aspect: Default ports\n   |         ^\nhelp: give the row (or column) a `question:` that does not name the answer\n\
             d: longest 2/6, true 0/0\n"
        );
    }

    /// The shipped decks as `check` sees them: the figures, and the warnings content work still has to fix.
    #[test]
    fn the_shipped_decks() {
        let sources = crate::deck::load::builtin_sources();
        let lib = crate::deck::compile::compile(&sources, &crate::library::known());
        let mut out = String::new();
        let decks: Vec<&Deck> = lib.decks.iter().collect();
        for (deck, guess) in lib.decks.iter().zip(guess::guess_all(&decks)) {
            let text = sources
                .iter()
                .find(|s| s.name == deck.origin)
                .and_then(|s| s.text.as_ref().ok())
                .map_or("", String::as_str);
            let lint = lint(deck, &Lines::new(text), guess);
            for w in &lint.warnings {
                out.push_str(&w.render());
            }
            let f = &lint.figures;
            out.push_str(&format!(
                "{}: longest {}/{} ({}%), true {}/{} ({}%)\n",
                f.deck,
                f.right_longest,
                f.single_choice,
                percent(f.right_longest, f.single_choice),
                f.answer_true,
                f.true_false,
                percent(f.answer_true, f.true_false)
            ));
            out.push_str(&format!("  guesser: {}\n", lint.guess.figures()));
        }
        insta::assert_snapshot!(out);
    }
}

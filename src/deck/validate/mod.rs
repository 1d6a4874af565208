//! Validation: walks the located YAML tree of one deck file and builds the checked [`Deck`], collecting
//! every problem as a [`Diagnostic`] instead of stopping at the first. Pure: no file system access.
//!
//! By concern: [`fields`] (keys, values, ids, tags: the building blocks), [`cards`] (a card, its type and
//! the simple answers), [`choice`] (options and answers), [`typed`] (accepted answers and keywords),
//! [`tables`] (tables and rows), [`syntax`] (YAML syntax errors); this file holds the deck itself.
use std::collections::HashMap;

use super::diag::{Diagnostic, Gathered, Lines};
use super::id::{CardId, CardType, DeckId};
use super::model::{Deck, FORMAT_VERSION};
use super::table;
use super::yaml::{self, Node, Pos, SyntaxKind, Value};
pub use follow::{across as check_follow_ups_across, parse_follow_up};

mod cards;
mod choice;
mod fields;
mod follow;
mod syntax;
mod tables;
mod typed;

/// The experiment and lab names a deck may refer to (the built-in catalogue).
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    pub experiments: &'a [&'a str],
    pub labs: &'a [&'a str],
}

const DECK_KEYS: [&str; 7] = [
    "format",
    "id",
    "title",
    "description",
    "tags",
    "cards",
    "tables",
];

/// Parses and validates one deck file. `file` is how the file is named in diagnostics.
///
/// Syntax mistakes do not stop the check: those [`syntax::scan`] knows are repaired, a line the parser
/// still refuses is blanked, and the repaired text is parsed again (a few times at most), so one run
/// reports every syntax error it can and every problem in what can still be read.
pub fn parse_deck(text: &str, file: &str, known: &Known) -> Result<Deck, Vec<Diagnostic>> {
    parse_deck_capped(text, file, known, None)
}

/// Like [`parse_deck`], keeping at most `limit` diagnostics of one kind (code and severity): those first
/// in the file, the last of them counting the rest ([`Diagnostic::more`]). `None` keeps every one.
pub fn parse_deck_capped(
    text: &str,
    file: &str,
    known: &Known,
    limit: Option<usize>,
) -> Result<Deck, Vec<Diagnostic>> {
    // Indexed once: every diagnostic shares it (finding a line per diagnostic by a scan was quadratic).
    let lines = Lines::new(text);
    let (slips, mut work) = syntax::scan(text, &all_keys());
    // The lines with a slip, for the parser's errors below; the slips themselves are moved into their
    // diagnostics (their texts not copied: 30,000 tabs are 30,000 messages).
    let slip_lines: Vec<u32> = slips.iter().map(|s| s.pos.line).collect();
    let mut diags = Gathered::new(limit);
    for s in slips {
        diags.push(
            Diagnostic::error(file, &lines, Some(s.pos), s.message)
                .code(s.code)
                .width(s.width)
                .help(s.help),
        );
    }
    let mut blanked: Vec<u32> = Vec::new();
    let root = loop {
        match yaml::parse(&work) {
            Ok(root) => break Some(root),
            Err(err) => {
                let (message, help) = syntax::syntax_message(&err);
                let mut d = Diagnostic::error(file, &lines, err.pos, message).code("yaml-syntax");
                if let Some(help) = help {
                    d = d.help(help);
                }
                let line = err.pos.map(|p| p.line);
                if !slip_lines.iter().any(|&l| Some(l) == line) {
                    diags.push(d);
                }
                // Only a located error in an ordinary line can be blanked and read past; hostile input
                // and a second document stop here.
                let go_on = matches!(
                    err.kind,
                    SyntaxKind::Indentation
                        | SyntaxKind::ColonInValue
                        | SyntaxKind::Quote
                        | SyntaxKind::Other
                );
                match line {
                    Some(line) if go_on && blanked.len() < 8 && !blanked.contains(&line) => {
                        blanked.push(line);
                        work = std::borrow::Cow::Owned(syntax::blank_line(&work, line));
                    }
                    _ => break None,
                }
            }
        }
    };
    let mut deck = None;
    if let Some(root) = root {
        // A mapping that lost a blanked line does not also report the key it lost.
        let lost: Vec<syntax::Lost> = blanked
            .iter()
            .filter_map(|&line| syntax::Lost::of(&lines, line))
            .collect();
        let mut cx = Cx {
            file,
            text: &work,
            lines: &lines,
            known,
            diags,
            lost,
            deck_id: None,
            follows: Vec::new(),
        };
        deck = cx.deck(&root);
        diags = cx.diags;
    }
    match deck {
        Some(deck) if diags.is_empty() => Ok(deck),
        // In file order, as an author reads the file.
        _ => Err(diags.finish()),
    }
}

/// Every key a deck file uses anywhere, for [`syntax::scan`].
fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = DECK_KEYS.to_vec();
    keys.extend(CardType::COMMON_KEYS);
    keys.extend(CardType::type_only_keys());
    keys.extend(tables::KEYS);
    keys.extend(choice::OPTION_KEYS);
    keys
}

/// The state of one validation: the file, its text (repaired: node spans point into it), its lines as
/// written (for excerpts), the known experiments, and the problems found so far.
struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a Lines,
    known: &'a Known<'a>,
    diags: Gathered,
    /// What the lines blanked to read past a syntax error took with them: problems it covers are not
    /// reported.
    lost: Vec<syntax::Lost>,
    /// The deck's id once read (follow-ups without a deck name it).
    deck_id: Option<DeckId>,
    /// Every follow-up written so far, checked once all cards are known.
    follows: Vec<follow::Follow>,
}

impl Cx<'_> {
    fn deck(&mut self, root: &Node) -> Option<Deck> {
        if matches!(root.value, Value::Null) {
            let d = self.error(None, "the deck file is empty").help(
                "a deck needs at least `format: 1`, an `id`, a `title` and a list of `cards`",
            );
            self.push(d);
            return None;
        }
        if !matches!(root.value, Value::Map(_)) {
            let d = self
                .error(Some(root.pos), format!("expected a deck (a mapping of keys to values), found {}", root.value.kind()))
                .width(self.width(root))
                .help("a deck file starts with `format: 1`, then `id:`, `title:` and `cards:`, each at the start of a line");
            self.push(d);
            return None;
        }
        let fields = self.fields(root, "a deck", &DECK_KEYS, &|_| None)?;
        // A deck of a newer format is read by other rules, so it stops here; a missing or bad format is
        // reported and the rest is checked as format 1, so one run shows every problem.
        let mut format_ok = true;
        match fields.get("format") {
            None => {
                let d = self
                    .error(Some(fields.pos), "the deck has no `format`")
                    .help(format!("add `format: {FORMAT_VERSION}` as the first line"));
                self.push(d);
                format_ok = false;
            }
            Some(node) => match node.value {
                Value::Int(v) if v == FORMAT_VERSION => {}
                // The same number (as JSON Schema's `const` sees it).
                Value::Float(v) if v == FORMAT_VERSION as f64 => {}
                Value::Int(v) if v > FORMAT_VERSION => {
                    let d = self
                        .error(Some(node.pos), format!("this deck uses format {v}, but this portquiz reads format {FORMAT_VERSION} at most"))
                        .width(self.width(node))
                        .help("upgrade portquiz to read this deck");
                    self.push(d);
                    return None;
                }
                _ => {
                    let d = self
                        .error(Some(node.pos), format!("`format` must be {FORMAT_VERSION}"))
                        .width(self.width(node))
                        .help(format!("write `format: {FORMAT_VERSION}`"));
                    self.push(d);
                    format_ok = false;
                }
            },
        }
        let id = self.id(&fields, "the deck", DeckId::new).map(|(id, _)| id);
        self.deck_id = id.clone();
        let title = self.req_text(&fields, "title", "the deck", "A short title");
        let description = self.opt_text(&fields, "description");
        let tags = self.tags(&fields);

        let mut cards = Vec::new();
        let mut seen: HashMap<CardId, Pos> = HashMap::new();
        let mut any_card_written = false;
        if let Some(node) = fields.get("cards") {
            match &node.value {
                Value::Seq(items) if !items.is_empty() => {
                    any_card_written = true;
                    for item in items {
                        if let Some(card) = self.card(item, &tags, &mut seen) {
                            cards.push(card);
                        }
                    }
                }
                Value::Seq(_) | Value::Null => {
                    self.empty_list(node, "cards");
                    any_card_written = true;
                }
                other => {
                    let d = self
                        .error(
                            Some(node.pos),
                            format!("`cards` must be a list of cards, found {}", other.kind()),
                        )
                        .help("start each card with `- id: ...` on its own line under `cards:`");
                    self.push(d);
                    any_card_written = true;
                }
            }
        }
        if let Some(node) = fields.get("tables") {
            match &node.value {
                Value::Seq(items) if !items.is_empty() => {
                    any_card_written = true;
                    let mut table_ids: HashMap<String, Pos> = HashMap::new();
                    for item in items {
                        // Ids as written, so a table with other problems still shows a clash.
                        let (written, pos) = id_of(item);
                        if let Some(id) = written {
                            if let Some(first) = table_ids.get(id) {
                                let width = id.chars().count();
                                self.collision(
                                    [(*first, width), (pos, width)],
                                    &format!(
                                        "two tables have the id `{id}`: their cards would share ids"
                                    ),
                                    "the other table is here",
                                    "give each table its own `id`",
                                );
                                continue;
                            }
                            table_ids.insert(id.to_string(), pos);
                        }
                        if let Some(t) = self.table(item) {
                            match table::expand(&t, &tags) {
                                Ok(expanded) => cards.extend(expanded),
                                Err(err) => {
                                    let d = self
                                        .error(
                                            Some(item.pos),
                                            format!("a cell of table `{}` gets {err}", t.id),
                                        )
                                        .help(
                                            "give every column a name with a letter or digit in it",
                                        );
                                    self.push(d);
                                }
                            }
                        }
                    }
                }
                Value::Seq(_) | Value::Null => {
                    self.empty_list(node, "tables");
                    any_card_written = true;
                }
                other => {
                    let d = self
                        .error(
                            Some(node.pos),
                            format!("`tables` must be a list of tables, found {}", other.kind()),
                        )
                        .help("start each table with `- id: ...` on its own line under `tables:`");
                    self.push(d);
                    any_card_written = true;
                }
            }
        }
        self.check_follows(&cards);
        if !any_card_written {
            let d = self
                .error(
                    Some(fields.key_node("cards").map_or(fields.pos, |n| n.pos)),
                    "the deck has no cards",
                )
                .help("add a `cards:` list (or a `tables:` entry) with at least one card");
            self.push(d);
        }
        if !format_ok {
            return None;
        }
        Some(Deck {
            id: id?,
            title: title?,
            description,
            tags,
            origin: self.file.to_string(),
            cards,
        })
    }
}

impl Cx<'_> {
    /// An empty `cards:` or `tables:`: an error, so the deck file says what it holds.
    fn empty_list(&mut self, node: &Node, key: &str) {
        let d = self
            .error(Some(node.pos), format!("`{key}` is empty"))
            .help(format!(
                "add at least one item under `{key}:`, or remove the key"
            ));
        self.push(d);
    }
}

/// The `id` of a mapping as written (when it is text) and where it is (the mapping itself when it has none).
fn id_of(node: &Node) -> (Option<&str>, Pos) {
    let Value::Map(entries) = &node.value else {
        return (None, node.pos);
    };
    match entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == "id"))
    {
        Some((_, v)) => match &v.value {
            Value::Str(s) => (Some(s.as_str()), v.pos),
            _ => (None, v.pos),
        },
        None => (None, node.pos),
    }
}

#[cfg(test)]
mod test_support {
    use super::{Known, parse_deck};
    use crate::deck::Diagnostic;

    /// Every diagnostic of `text` (a deck file `d.yaml`) rendered, or `ok: N cards`. Knows one experiment
    /// (`tcp-udp-same-port`) and one lab (`lab-start-listener`).
    pub(super) fn check(text: &str) -> String {
        let known = Known {
            experiments: &["tcp-udp-same-port"],
            labs: &["lab-start-listener"],
        };
        match parse_deck(text, "d.yaml", &known) {
            Ok(deck) => format!("ok: {} cards", deck.cards.len()),
            Err(diags) => diags.iter().map(Diagnostic::render).collect(),
        }
    }

    /// [`check`] of a deck whose `cards:` list is `cards` (YAML lines indented by two, from line 5).
    pub(super) fn check_cards(cards: &str) -> String {
        check(&format!("format: 1\nid: d\ntitle: D\ncards:\n{cards}"))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::check;

    #[test]
    fn an_empty_file_says_what_a_deck_needs() {
        assert_eq!(
            check(""),
            "d.yaml: error: the deck file is empty\nhelp: a deck needs at least `format: 1`, an `id`, a `title` and a list of `cards`\n"
        );
    }

    #[test]
    fn the_format_is_required_and_not_newer_than_ours() {
        assert_eq!(
            check("id: d\ntitle: D\n"),
            "d.yaml:1:1: error: the deck has no `format`\n  |\n1 | id: d\n  | ^\nhelp: add `format: 1` as the first line\nd.yaml:1:1: error: the deck has no cards\n  |\n1 | id: d\n  | ^\nhelp: add a `cards:` list (or a `tables:` entry) with at least one card\n"
        );
        assert_eq!(
            check("format: 2\nid: d\n"),
            "d.yaml:1:9: error: this deck uses format 2, but this portquiz reads format 1 at most\n  |\n1 | format: 2\n  |         ^\nhelp: upgrade portquiz to read this deck\n"
        );
        assert_eq!(
            check("format: one\nid: d\n"),
            "d.yaml:1:1: error: the deck is missing the required key `title`\n  |\n1 | format: one\n  | ^\nhelp: add `title: A short title`\nd.yaml:1:1: error: the deck has no cards\n  |\n1 | format: one\n  | ^\nhelp: add a `cards:` list (or a `tables:` entry) with at least one card\nd.yaml:1:9: error: `format` must be 1\n  |\n1 | format: one\n  |         ^^^\nhelp: write `format: 1`\n"
        );
    }

    #[test]
    fn a_deck_is_a_mapping_with_cards() {
        assert_eq!(
            check("- format: 1\n"),
            "d.yaml:1:1: error: expected a deck (a mapping of keys to values), found a list\n  |\n1 | - format: 1\n  | ^\nhelp: a deck file starts with `format: 1`, then `id:`, `title:` and `cards:`, each at the start of a line\n"
        );
        assert_eq!(
            check("format: 1\nid: d\ntitle: D\n"),
            "d.yaml:1:1: error: the deck has no cards\n  |\n1 | format: 1\n  | ^\nhelp: add a `cards:` list (or a `tables:` entry) with at least one card\n"
        );
        assert_eq!(
            check("format: 1\nid: d\ntitle: D\ncards: none\ntables: 3\n"),
            "d.yaml:4:8: error: `cards` must be a list of cards, found a string\n  |\n4 | cards: none\n  |        ^\nhelp: start each card with `- id: ...` on its own line under `cards:`\nd.yaml:5:9: error: `tables` must be a list of tables, found a number\n  |\n5 | tables: 3\n  |         ^\nhelp: start each table with `- id: ...` on its own line under `tables:`\n"
        );
    }

    #[test]
    fn two_tables_with_one_id_are_refused_at_both() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: versions\n    columns: [A, B]\n    rows:\n      - aspect: X\n        values: [a, b]\n  - id: versions\n    columns: [A, B]\n    rows:\n      - aspect: Z\n        values: [c, d]\n"
            ),
            "d.yaml:5:9: error: two tables have the id `versions`: their cards would share ids\n  |\n5 |   - id: versions\n  |         ^^^^^^^^\nd.yaml:10:9: note: the other table is here\nhelp: give each table its own `id`\nd.yaml:10:9: error: two tables have the id `versions`: their cards would share ids\n   |\n10 |   - id: versions\n   |         ^^^^^^^^\nd.yaml:5:9: note: the other table is here\nhelp: give each table its own `id`\n"
        );
    }
}

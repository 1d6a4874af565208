//! Validation: walks the located YAML tree of one deck file and builds the checked [`Deck`], collecting
//! every problem as a [`Diagnostic`] instead of stopping at the first. Pure: no file system access.
//!
//! By concern: [`fields`] (keys, values, ids, tags: the building blocks), [`cards`] (a card, its type and
//! the simple answers), [`choice`] (options and answers), [`typed`] (accepted answers and keywords),
//! [`tables`] (tables and rows), [`syntax`] (YAML syntax errors), [`cx`] (the state they share); this file holds
//! the deck itself.
use std::collections::HashMap;

use super::diag::{Diagnostic, Gathered, Lines};
use super::id::{CardId, CardType, DeckId};
use super::model::{Deck, FORMAT_VERSION};
use super::table;
use super::yaml::{self, Node, Pos, SyntaxKind, Value};
use cx::{Cx, Unsaid};
pub use cx::{Known, Unread};
pub use follow::{across as check_follow_ups_across, parse_follow_up};

mod cards;
mod choice;
mod cut;
mod cx;
mod fields;
mod follow;
mod repeated;
mod syntax;
mod tables;
mod typed;

const DECK_KEYS: [&str; 7] = [
    "format",
    "id",
    "title",
    "description",
    "tags",
    "cards",
    "tables",
];

/// Parses and validates one deck file: the deck, or every problem in it. `file` is how the file is named
/// in diagnostics. See [`check_deck`].
pub fn parse_deck(text: &str, file: &str, known: &Known) -> Result<Deck, Vec<Diagnostic>> {
    let checked = check_deck(text, file, known);
    match checked.deck {
        Some(deck) if checked.diagnostics.is_empty() => Ok(deck),
        _ => Err(checked.diagnostics),
    }
}

/// What validating one deck file found: every problem, and the deck as far as it could be read.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The deck with the cards that validated without a problem. Present with problems too (a deck with
    /// errors is never loaded for study, but `check` runs the warnings and the follow-ups across decks on
    /// what it could read); `None` when not even a valid deck `id` could be read, or the deck is of a newer
    /// format.
    pub deck: Option<Deck>,
    /// The cards written in the file that did not validate ([`Unread`]).
    pub unread: Unread,
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates one deck file, going on past every problem it can.
///
/// Syntax mistakes do not stop the check: those [`syntax::scan`] knows are repaired, a line the parser
/// still refuses is blanked, and the repaired text is parsed again (a few times at most), so one run
/// reports every syntax error it can and every problem in what can still be read. A key written twice is
/// reported and its first value checked ([`repeated`]).
pub fn check_deck(text: &str, file: &str, known: &Known) -> Checked {
    check_deck_capped(text, file, known, None)
}

/// Like [`check_deck`], keeping at most `limit` diagnostics of one kind (code and severity): those first
/// in the file, the last of them counting the rest ([`Diagnostic::more`]). `None` keeps every one.
pub fn check_deck_capped(text: &str, file: &str, known: &Known, limit: Option<usize>) -> Checked {
    // Indexed once: every diagnostic shares it (finding a line per diagnostic by a scan was quadratic).
    let lines = Lines::new(text);
    let (slips, mut work) = syntax::scan(text, &all_keys());
    // The lines with a slip, for the parser's errors below; the slips themselves are moved into their
    // diagnostics (their texts not copied: 30,000 tabs are 30,000 messages).
    let slip_lines: Vec<u32> = slips.iter().map(|s| s.pos.line).collect();
    let mut diags = Gathered::new(limit);
    for s in slips {
        let d = Diagnostic::error(file, &lines, Some(s.pos), s.code, s.message)
            .width(s.width)
            .help(s.help);
        diags.push(match s.note {
            Some((pos, note)) => d.note(file, Some(pos), note),
            None => d,
        });
    }
    let mut blanked: Vec<u32> = Vec::new();
    // Where the text was cut off, if it was, and how many times.
    let mut cut: Option<u32> = None;
    let mut cuts = 0;
    let root = loop {
        match yaml::parse(&work) {
            Ok(root) => break Some(root),
            Err(err) => {
                let (message, help) =
                    syntax::syntax_message(&err, err.pos.and_then(|p| lines.line(p.line)));
                let mut d = Diagnostic::error(file, &lines, err.pos, "yaml-syntax", message);
                if let Some(help) = help {
                    d = d.help(help);
                }
                let line = err.pos.map(|p| p.line);
                let said = |o: &Diagnostic| o.pos == d.pos && o.message == d.message;
                if !slip_lines.iter().any(|&l| Some(l) == line) && !diags.iter().any(said) {
                    diags.push(d);
                }
                // Only a located error in an ordinary line can be blanked and read past; a second
                // document, or an error blanking does not get past, is cut off with the card it is in
                // (a few times at most, each cut above the last); hostile input stops here.
                let go_on = matches!(
                    err.kind,
                    SyntaxKind::Indentation
                        | SyntaxKind::ColonInValue
                        | SyntaxKind::Quote
                        | SyntaxKind::Other
                );
                let cut_here = line
                    .filter(|_| go_on || err.kind == SyntaxKind::MultipleDocuments)
                    .and_then(|line| cut::cut_line(&lines, line, &err.kind))
                    .filter(|&at| cuts < 4 && cut.is_none_or(|c| at < c));
                match line {
                    Some(line) if go_on && blanked.len() < 8 && !blanked.contains(&line) => {
                        blanked.push(line);
                        work = std::borrow::Cow::Owned(syntax::blank_line(&work, line));
                    }
                    _ => match cut_here {
                        Some(at) => {
                            cut = Some(at);
                            cuts += 1;
                            work = std::borrow::Cow::Owned(cut::before(&work, at));
                        }
                        None => break None,
                    },
                }
            }
        }
    };
    let mut deck = None;
    let mut unread = Unread::default();
    if let Some(mut root) = root {
        for r in repeated::take_repeated(&mut root) {
            // A blanked line between the two entries can join two mappings into one: that repetition is
            // the blanked line's, already reported.
            if !blanked.iter().any(|&b| b > r.first.line && b < r.pos.line) {
                diags.push(r.diagnostic(file, &lines));
            }
        }
        // A mapping that lost a blanked line does not also report the key it lost, nor one the cut left
        // open; the cards after the cut are written, just not read ([`Cx::push`] leaves these out).
        let lost: Vec<syntax::Lost> = blanked
            .iter()
            .filter_map(|&line| syntax::Lost::of(&lines, line))
            .collect();
        let open = cut.map_or_else(Vec::new, |at| cut::open_at(&lines, at));
        let mut cx = Cx {
            file,
            text: &work,
            lines: &lines,
            known,
            diags: Gathered::new(limit),
            found: 0,
            unsaid: Unsaid { lost, open, cut },
            deck_id: None,
            follows: Vec::new(),
            unread: Unread::default(),
        };
        if let Some(at) = cut {
            let after = cut::ids_from(&lines, at);
            cx.unread.cards.extend(after.iter().cloned());
            cx.unread.tables.extend(after);
        }
        deck = cx.deck(&root);
        unread = std::mem::take(&mut cx.unread);
        diags.absorb(cx.diags);
    }
    Checked {
        deck,
        unread,
        // In file order, as an author reads the file.
        diagnostics: diags.finish(),
    }
}

/// Every key a deck file uses anywhere, for [`syntax::scan`].
fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = DECK_KEYS.to_vec();
    keys.extend(CardType::COMMON_KEYS);
    keys.extend(CardType::type_only_keys());
    keys.extend(tables::TABLE_KEYS);
    keys.extend(tables::COLUMN_KEYS);
    keys.extend(tables::ROW_KEYS);
    keys.extend(choice::OPTION_KEYS);
    keys
}

impl Cx<'_> {
    /// `cards:` or `tables:` (`key`) written empty or as something else than a list of `item`s.
    fn no_list(&mut self, node: &Node, key: &str, item: &str) {
        if let Value::Seq(_) | Value::Null = node.value {
            self.empty_list(node, key);
            return;
        }
        let d = self
            .error(
                Some(node.pos),
                "not-a-list",
                format!(
                    "`{key}` must be a list of {key}, found {}",
                    node.value.kind()
                ),
            )
            .help(format!(
                "start each {item} with `- id: ...` on its own line under `{key}:`"
            ));
        self.push(d);
    }

    fn deck(&mut self, root: &Node) -> Option<Deck> {
        if matches!(root.value, Value::Null) {
            let d = self
                .error(None, "empty-value", "the deck file is empty")
                .help(
                    "a deck needs at least `format: 1`, an `id`, a `title` and a list of `cards`",
                );
            self.push(d);
            return None;
        }
        if !matches!(root.value, Value::Map(_)) {
            let d = self
                .error(Some(root.pos), "wrong-shape", format!("expected a deck (a mapping of keys to values), found {}", root.value.kind()))
                .width(self.width(root))
                .help("a deck file starts with `format: 1`, then `id:`, `title:` and `cards:`, each at the start of a line");
            self.push(d);
            return None;
        }
        let fields = self.fields(root, "a deck", &DECK_KEYS, &|_| None)?;
        // A deck of a newer format is read by other rules, so it stops here; a missing or bad format is
        // reported and the rest is checked as format 1, so one run shows every problem.
        match fields.get("format") {
            None => {
                let d = self
                    .error(Some(fields.pos), "missing-key", "the deck has no `format`")
                    .help(format!("add `format: {FORMAT_VERSION}` as the first line"));
                self.push(d);
            }
            Some(node) => match node.value {
                Value::Int(v) if v == FORMAT_VERSION => {}
                // The same number (as JSON Schema's `const` sees it).
                Value::Float(v) if v == FORMAT_VERSION as f64 => {}
                Value::Int(v) if v > FORMAT_VERSION => {
                    let d = self
                        .error(Some(node.pos), "format-version", format!("this deck uses format {v}, but this portquiz reads format {FORMAT_VERSION} at most"))
                        .width(self.width(node))
                        .help("upgrade portquiz to read this deck");
                    self.push(d);
                    return None;
                }
                _ => {
                    let d = self
                        .error(
                            Some(node.pos),
                            "format-version",
                            format!("`format` must be {FORMAT_VERSION}"),
                        )
                        .width(self.width(node))
                        .help(format!("write `format: {FORMAT_VERSION}`"));
                    self.push(d);
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
                        let problems = self.found;
                        let card = self.card(item, &tags, &mut seen);
                        if let (Some(id), _) = id_of(item)
                            && (card.is_none() || self.found > problems)
                        {
                            self.unread.cards.push(id.to_string());
                        }
                        cards.extend(card);
                    }
                }
                _ => {
                    self.no_list(node, "cards", "card");
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
                                    "duplicate-id",
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
                        // A table with a problem may still give the cells of its good rows; a
                        // follow-up into any of its cells is left to its own problems (see [`Unread`]).
                        let problems = self.found;
                        let table = self.table(item);
                        if let Some(id) = written
                            && (table.is_none() || self.found > problems)
                        {
                            self.unread.tables.push(id.to_string());
                        }
                        let Some(t) = table else {
                            continue;
                        };
                        match table::expand(&t, &tags) {
                            Ok(expanded) => cards.extend(expanded),
                            Err(err) => {
                                let d = self
                                    .error(
                                        Some(item.pos),
                                        "bad-id",
                                        format!("a cell of table `{}` gets {err}", t.id),
                                    )
                                    .help("give every column a name with a letter or digit in it");
                                self.push(d);
                                self.unread.tables.push(t.id.to_string());
                            }
                        }
                    }
                }
                _ => {
                    self.no_list(node, "tables", "table");
                    any_card_written = true;
                }
            }
        }
        self.check_follows(&cards);
        if !any_card_written {
            let d = self
                .error(
                    Some(fields.key_node("cards").map_or(fields.pos, |n| n.pos)),
                    "missing-key",
                    "the deck has no cards",
                )
                .help("add a `cards:` list (or a `tables:` entry) with at least one card");
            self.push(d);
        }
        // With problems, this is the deck as far as it could be read ([`Checked::deck`]): the cards without
        // a problem of their own (a card's warnings wait for its errors to be fixed, so a warning is never
        // about a card misread).
        if self.found > 0 {
            cards.retain(|c| !self.unread.has(c.id.as_str()));
        }
        Some(Deck {
            id: id?,
            title: title.unwrap_or_default(),
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
            .error(Some(node.pos), "empty-value", format!("`{key}` is empty"))
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::test_support::check;
    use super::{Known, check_deck};

    /// A deck with errors keeps the cards without a problem (for `check`'s warnings and follow-ups), and
    /// names the others: a follow-up into one of them is not one more error.
    #[test]
    fn a_deck_with_errors_keeps_its_good_cards_and_names_the_others() {
        let checked = check_deck(
            "format: 1\nid: d\ntitle: D\ncards:\n  - id: good\n    type: flashcard\n    prompt: P\n    answer: A\n    follow_up: [bad, typo, t/r/a, gone]\n  - id: bad\n    type: flashcrad\n    prompt: P\n    answer: A\n  - id: typo\n    type: flashcard\n    prompt: P\n    answer: A\n    answr: B\ntables:\n  - id: t\n    columns: [A]\n",
            "d.yaml",
            &Known::default(),
        );
        let heads: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| format!("{:?}: {}", d.pos.map(|p| p.line), d.message))
            .collect();
        insta::assert_debug_snapshot!(heads);
        let deck = checked.deck.unwrap();
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["good"]);
        let unread = ["bad", "typo", "t/r/a", "good", "gone"].map(|id| checked.unread.has(id));
        assert_eq!(unread, [true, true, true, false, false]);
    }

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

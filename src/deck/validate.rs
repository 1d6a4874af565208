//! Validation: walks the located YAML tree of one deck file and builds the checked [`Deck`], collecting
//! every problem as a [`Diagnostic`] instead of stopping at the first. Pure: no file system access.
use std::collections::HashMap;

use super::diag::{Diagnostic, suggest};
use super::id::{CardId, CardType, DeckId, IdError, check_id, slug};
use super::model::{Card, CardKind, ChoiceOption, Deck, FORMAT_VERSION, fold};
use super::table;
use super::yaml::{self, Node, Pos, Value};

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
const TABLE_KEYS: [&str; 5] = ["id", "title", "description", "columns", "rows"];
const ROW_KEYS: [&str; 4] = ["id", "aspect", "values", "explain"];
const OPTION_KEYS: [&str; 2] = ["text", "why"];
const MAX_OPTIONS: usize = 8;

/// Parses and validates one deck file. `file` is how the file is named in diagnostics.
pub fn parse_deck(text: &str, file: &str, known: &Known) -> Result<Deck, Vec<Diagnostic>> {
    let mut cx = Cx {
        file,
        text,
        known,
        diags: Vec::new(),
    };
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(err) => {
            let (message, help) = syntax_message(&err.message);
            let mut d = Diagnostic::error(file, text, err.pos, message);
            if let Some(help) = help {
                d = d.help(help);
            }
            return Err(vec![d]);
        }
    };
    let deck = cx.deck(&root);
    match deck {
        Some(deck) if cx.diags.is_empty() => Ok(deck),
        _ => {
            // Report in file order, as an author reads the file.
            cx.diags.sort_by_key(|d| d.pos);
            Err(cx.diags)
        }
    }
}

/// Turns the parser's wording into ours, with a fix where we know one.
fn syntax_message(raw: &str) -> (String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return (
            format!("YAML syntax: key `{key}` appears twice in the same mapping"),
            Some("remove one of them, or check the indentation of the lines above".into()),
        );
    }
    if let Some(detail) = raw.strip_prefix("budget breached: ") {
        let detail = detail.split(" (defined").next().unwrap_or(detail);
        // The parser names the budget as a Rust value (`Nodes { nodes: 250001 }`); say it in words.
        let limit = match detail.split([' ', '{']).next().unwrap_or_default() {
            "Depth" => "it nests deeper than 32 levels",
            "Nodes" => "it holds more than 250,000 YAML values",
            "RecordedAnchorEvents" => "its aliases copy more than 100,000 values",
            "RecordedAnchorBytes" => "its anchors hold more than 1 MB of text",
            "Aliases" | "AliasAnchorRatio" => "it uses too many aliases",
            "Anchors" => "it defines more than 1,000 anchors",
            "ScalarBytes" => "its text, with aliases expanded, passes 16 MB",
            _ => "it is too large or too deeply nested",
        };
        return (
            format!("the file exceeds the limits for a deck file: {limit}"),
            Some("a deck cannot nest deeper than 32 levels, hold more than 250,000 YAML values, copy more than 100,000 values through aliases, or use more than 1,000 aliases; split a large deck into several files".into()),
        );
    }
    if raw.contains("recursion limit exceeded") {
        return (
            "the file nests deeper than a deck file may (recursion limit exceeded)".into(),
            Some("a deck cannot nest deeper than 32 levels; is this the right file?".into()),
        );
    }
    let help =
        if raw.contains("did not find expected key") || raw.contains("expected '-' indicator") {
            Some(
            "check the indentation: keys of one mapping must line up, list items start with `- `"
                .to_string(),
        )
        } else if raw.contains("mapping values are not allowed") {
            Some(
                "a value containing `: ` must be quoted, e.g. prompt: \"Port: what is it?\""
                    .to_string(),
            )
        } else if raw.contains("unclosed quote") || raw.contains("quoted scalar") {
            Some("close the quote, or escape the character".to_string())
        } else {
            None
        };
    (format!("YAML syntax: {raw}"), help)
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    known: &'a Known<'a>,
    diags: Vec<Diagnostic>,
}

/// The entries of a mapping, by key.
struct Fields<'n> {
    pos: Pos,
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }
    fn key_node(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, _)| *k)
    }
}

fn scalar_width(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => s.lines().next().map_or(1, |l| l.chars().count()),
        Value::Int(i) => i.to_string().len(),
        Value::Bool(b) => b.to_string().len(),
        _ => 1,
    }
}

impl<'a> Cx<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn error(&self, pos: Option<Pos>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, self.text, pos, message)
    }

    /// Checks that `node` is a mapping with string keys from `allowed`; reports unknown keys.
    /// `elsewhere` lists keys that are valid in another variant, with a message for them.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
        elsewhere: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Fields<'n>> {
        let Value::Map(entries) = &node.value else {
            let d = self
                .error(
                    Some(node.pos),
                    format!(
                        "expected {what} (a mapping of keys to values), found {}",
                        node.value.kind()
                    ),
                )
                .width(scalar_width(node));
            self.push(d);
            return None;
        };
        let mut fields = Fields {
            pos: node.pos,
            entries: Vec::new(),
        };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                let d = self.error(
                    Some(key.pos),
                    format!("keys in {what} must be names, found {}", key.value.kind()),
                );
                self.push(d);
                continue;
            };
            if allowed.contains(&name.as_str()) {
                fields.entries.push((name.as_str(), key, value));
            } else if let Some(message) = elsewhere(name) {
                let d = self
                    .error(Some(key.pos), message)
                    .width(name.chars().count());
                let d = d.help(format!("remove `{name}`, or change the card's `type`"));
                self.push(d);
            } else {
                let mut d = self
                    .error(Some(key.pos), format!("unknown key `{name}` in {what}"))
                    .width(name.chars().count());
                d = match suggest(name, allowed) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("the keys {what} takes are: {}", allowed.join(", "))),
                };
                self.push(d);
            }
        }
        Some(fields)
    }

    fn missing(&mut self, fields: &Fields, key: &str, what: &str, example: &str) {
        let d = self
            .error(
                Some(fields.pos),
                format!("{what} is missing the required key `{key}`"),
            )
            .help(format!("add `{key}: {example}`"));
        self.push(d);
    }

    /// A text value (numbers are taken as their text, so `accept: [443]` works).
    fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) if s.trim().is_empty() => {
                let d = self
                    .error(Some(node.pos), format!("`{key}` is empty"))
                    .help(format!("write the {key}, or remove the key"));
                self.push(d);
                None
            }
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            other => {
                let mut d = self
                    .error(
                        Some(node.pos),
                        format!("`{key}` must be text, found {}", other.kind()),
                    )
                    .width(scalar_width(node));
                if matches!(other, Value::Bool(_) | Value::Null) {
                    d = d.help("put the text in quotes, e.g. \"yes\"");
                }
                self.push(d);
                None
            }
        }
    }

    fn opt_text(&mut self, fields: &Fields, key: &str) -> Option<String> {
        fields.get(key).and_then(|n| self.text(n, key))
    }

    fn req_text(
        &mut self,
        fields: &Fields,
        key: &str,
        what: &str,
        example: &str,
    ) -> Option<String> {
        match fields.get(key) {
            Some(n) => self.text(n, key),
            None => {
                self.missing(fields, key, what, example);
                None
            }
        }
    }

    fn text_list(&mut self, node: &Node, key: &str) -> Option<Vec<String>> {
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.text(item, key)?);
                }
                Some(out)
            }
            _ => {
                let d = self
                    .error(
                        Some(node.pos),
                        format!("`{key}` must be a list, found {}", node.value.kind()),
                    )
                    .help(format!("write it as a list, e.g. {key}: [a, b]"));
                self.push(d);
                None
            }
        }
    }

    /// The `id` of `fields`, checked by the id rule and made into a `T` by `make` (e.g. [`DeckId::new`]).
    fn id<T>(
        &mut self,
        fields: &Fields,
        what: &str,
        make: fn(String) -> Result<T, IdError>,
    ) -> Option<(T, Pos)> {
        let node = fields.get("id");
        let id = self.req_text(fields, "id", what, "some-kebab-case-id")?;
        let pos = node.map_or(fields.pos, |n| n.pos);
        match make(id) {
            Ok(id) => Some((id, pos)),
            Err(err) => {
                let mut d = self
                    .error(Some(pos), err.to_string())
                    .width(err.text.chars().count());
                let s = slug(&err.text);
                if !s.is_empty() {
                    d = d.help(format!("use `{s}`"));
                }
                self.push(d);
                None
            }
        }
    }

    fn tags(&mut self, fields: &Fields) -> Vec<String> {
        fields
            .get("tags")
            .and_then(|n| self.text_list(n, "tags"))
            .unwrap_or_default()
    }

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
                .width(scalar_width(root))
                .help("a deck file starts with `format: 1`, then `id:`, `title:` and `cards:`, each at the start of a line");
            self.push(d);
            return None;
        }
        let fields = self.fields(root, "a deck", &DECK_KEYS, &|_| None)?;
        // The format decides how to read everything else, so a bad one stops here.
        match fields.get("format") {
            None => {
                let d = self
                    .error(Some(fields.pos), "the deck has no `format`")
                    .help(format!("add `format: {FORMAT_VERSION}` as the first line"));
                self.push(d);
                return None;
            }
            Some(node) => match node.value {
                Value::Int(v) if v == FORMAT_VERSION => {}
                Value::Int(v) if v > FORMAT_VERSION => {
                    let d = self
                        .error(Some(node.pos), format!("this deck uses format {v}, but this portquiz reads format {FORMAT_VERSION} at most"))
                        .width(scalar_width(node))
                        .help("upgrade portquiz to read this deck");
                    self.push(d);
                    return None;
                }
                _ => {
                    let d = self
                        .error(Some(node.pos), format!("`format` must be {FORMAT_VERSION}"))
                        .width(scalar_width(node))
                        .help(format!("write `format: {FORMAT_VERSION}`"));
                    self.push(d);
                    return None;
                }
            },
        }
        let id = self.id(&fields, "the deck", DeckId::new).map(|(id, _)| id);
        let title = self.req_text(&fields, "title", "the deck", "A short title");
        let description = self.opt_text(&fields, "description");
        let tags = self.tags(&fields);

        let mut cards = Vec::new();
        let mut seen: HashMap<CardId, Pos> = HashMap::new();
        let mut any_card_written = false;
        if let Some(node) = fields.get("cards") {
            match &node.value {
                Value::Seq(items) => {
                    any_card_written |= !items.is_empty();
                    for item in items {
                        if let Some(card) = self.card(item, &tags, &mut seen) {
                            cards.push(card);
                        }
                    }
                }
                Value::Null => {}
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
                Value::Seq(items) => {
                    any_card_written |= !items.is_empty();
                    for item in items {
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
                Value::Null => {}
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
        if !any_card_written {
            let d = self
                .error(
                    Some(fields.key_node("cards").map_or(fields.pos, |n| n.pos)),
                    "the deck has no cards",
                )
                .help("add a `cards:` list (or a `tables:` entry) with at least one card");
            self.push(d);
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

    fn card(
        &mut self,
        node: &Node,
        deck_tags: &[String],
        seen: &mut HashMap<CardId, Pos>,
    ) -> Option<Card> {
        let mut all_keys: Vec<&str> = CardType::COMMON_KEYS.to_vec();
        all_keys.extend(CardType::type_only_keys());
        let fields = self.fields(node, "a card", &all_keys, &|_| None)?;

        let id = self.id(&fields, "this card", CardId::written);
        if let Some((id, pos)) = &id {
            if let Some(first) = seen.get(id) {
                let d = self
                    .error(Some(*pos), format!("duplicate card id `{id}`"))
                    .width(id.as_str().chars().count())
                    .note(self.file, Some(*first), format!("`{id}` is first used here"))
                    .help("card ids must be unique within a deck: rename one (progress is kept per deck id + card id)");
                self.push(d);
            } else {
                seen.insert(id.clone(), *pos);
            }
        }
        let type_node = fields.get("type");
        let card_type = match type_node {
            None => {
                self.missing(&fields, "type", "this card", "flashcard");
                None
            }
            Some(n) => match self.text(n, "type") {
                Some(t) => match CardType::from_name(&t) {
                    Some(card_type) => Some(card_type),
                    None => {
                        let names = CardType::names();
                        let mut d = self
                            .error(Some(n.pos), format!("unknown card type `{t}`"))
                            .width(t.chars().count());
                        d = match suggest(&t, &names) {
                            Some(s) => {
                                d.help(format!("did you mean `{s}`? (types: {})", names.join(", ")))
                            }
                            None => d.help(format!("use one of: {}", names.join(", "))),
                        };
                        self.push(d);
                        None
                    }
                },
                None => None,
            },
        };
        // Keys that belong to other card types.
        if let Some(kind) = card_type {
            for key in CardType::type_only_keys() {
                let types = CardType::taking(key);
                if let Some(k) = fields.key_node(key)
                    && !types.contains(&kind)
                {
                    let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
                    let d = self
                        .error(
                            Some(k.pos),
                            format!("`{key}` does not belong on a `{kind}` card"),
                        )
                        .width(key.len())
                        .help(format!(
                            "`{key}` is used by {} cards: remove it, or change `type`",
                            names.join(" and ")
                        ));
                    self.push(d);
                }
            }
        }
        let prompt = if card_type.is_none_or(CardType::needs_prompt) {
            self.req_text(&fields, "prompt", "this card", "The question to ask?")
        } else {
            Some(self.opt_text(&fields, "prompt").unwrap_or_default())
        };
        let explain = self.opt_text(&fields, "explain");
        let hint = self.opt_text(&fields, "hint");
        let mut tags = self.tags(&fields);
        tags.extend(deck_tags.iter().cloned());

        let kind = match card_type? {
            CardType::Flashcard => self
                .req_text(&fields, "answer", "this flashcard", "The back of the card")
                .map(|back| CardKind::Flashcard { back }),
            CardType::Choice => self.choice(&fields),
            CardType::TrueFalse => self.truefalse(&fields),
            CardType::Typed => self.typed(&fields),
            CardType::Practical => self
                .experiment(&fields, false)
                .map(|experiment| CardKind::Practical { experiment }),
            CardType::Lab => self
                .experiment(&fields, true)
                .map(|experiment| CardKind::Lab { experiment }),
        };
        Some(Card {
            id: id?.0,
            prompt: prompt?,
            kind: kind?,
            explain,
            hint,
            tags,
            line: fields.pos.line,
        })
    }

    fn choice(&mut self, fields: &Fields) -> Option<CardKind> {
        let Some(options_node) = fields.get("options") else {
            self.missing(
                fields,
                "options",
                "this choice card",
                "[first, second, third]",
            );
            let _ = self.req_text(fields, "answer", "this choice card", "first");
            return None;
        };
        let Value::Seq(items) = &options_node.value else {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "`options` must be a list, found {}",
                        options_node.value.kind()
                    ),
                )
                .help("write the options as a list, e.g. options: [\"0-65535\", \"1-1024\"]");
            self.push(d);
            return None;
        };
        let mut options: Vec<ChoiceOption> = Vec::new();
        let mut positions: Vec<Pos> = Vec::new();
        let mut ok = true;
        for item in items {
            let option = match &item.value {
                Value::Map(_) => {
                    let Some(f) = self.fields(item, "an option", &OPTION_KEYS, &|_| None) else {
                        ok = false;
                        continue;
                    };
                    let text = self.req_text(&f, "text", "this option", "The option's text");
                    let why = self.opt_text(&f, "why");
                    text.map(|text| ChoiceOption { text, why })
                }
                _ => self
                    .text(item, "options")
                    .map(|text| ChoiceOption { text, why: None }),
            };
            let Some(option) = option else {
                ok = false;
                continue;
            };
            if let Some(first) = options
                .iter()
                .position(|o| fold(&o.text) == fold(&option.text))
            {
                let d = self
                    .error(
                        Some(item.pos),
                        format!("duplicate option `{}`", option.text),
                    )
                    .width(option.text.chars().count())
                    .note(self.file, Some(positions[first]), "first listed here")
                    .help("each option must be different: remove or reword one");
                self.push(d);
                ok = false;
                continue;
            }
            options.push(option);
            positions.push(item.pos);
        }
        if ok && options.len() < 2 {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "a choice card needs at least 2 options, found {}",
                        options.len()
                    ),
                )
                .help("add wrong but plausible options, or use `type: flashcard` or `type: typed`");
            self.push(d);
            ok = false;
        }
        if options.len() > MAX_OPTIONS {
            let d = self
                .error(
                    Some(options_node.pos),
                    format!(
                        "a choice card takes at most {MAX_OPTIONS} options, found {}",
                        options.len()
                    ),
                )
                .help("keep the most plausible distractors, or split the card");
            self.push(d);
            ok = false;
        }
        let Some(answer_node) = fields.get("answer") else {
            self.missing(
                fields,
                "answer",
                "this choice card",
                "the text of the right option",
            );
            return None;
        };
        let answer_nodes: Vec<&Node> = match &answer_node.value {
            Value::Seq(items) if !items.is_empty() => items.iter().collect(),
            Value::Seq(_) => {
                let d = self
                    .error(Some(answer_node.pos), "`answer` is an empty list")
                    .help("name at least one option as the answer");
                self.push(d);
                return None;
            }
            _ => vec![answer_node],
        };
        let mut answers = Vec::new();
        for node in answer_nodes {
            let Some(text) = self.text(node, "answer") else {
                ok = false;
                continue;
            };
            let found = options
                .iter()
                .position(|o| o.text == text)
                .or_else(|| options.iter().position(|o| fold(&o.text) == fold(&text)));
            match found {
                Some(i) if answers.contains(&i) => {
                    let d = self
                        .error(
                            Some(node.pos),
                            format!("`{text}` is listed twice in `answer`"),
                        )
                        .width(text.chars().count());
                    self.push(d);
                    ok = false;
                }
                Some(i) => answers.push(i),
                None => {
                    let texts: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
                    let mut d = self
                        .error(
                            Some(node.pos),
                            format!("the answer `{text}` is not among the options"),
                        )
                        .width(text.chars().count());
                    d = match suggest(&text, &texts) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!(
                            "the answer must be the text of an option: {}",
                            texts
                                .iter()
                                .map(|t| format!("`{t}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    self.push(d);
                    ok = false;
                }
            }
        }
        if ok && answers.len() == options.len() {
            let d = self
                .error(Some(answer_node.pos), "every option is marked as an answer")
                .help("a choice card needs at least one wrong option");
            self.push(d);
            ok = false;
        }
        ok.then_some(CardKind::Choice { options, answers })
    }

    fn truefalse(&mut self, fields: &Fields) -> Option<CardKind> {
        let Some(node) = fields.get("answer") else {
            self.missing(fields, "answer", "this truefalse card", "true");
            return None;
        };
        match &node.value {
            Value::Bool(b) => Some(CardKind::TrueFalse { answer: *b }),
            other => {
                let d = self
                    .error(
                        Some(node.pos),
                        format!(
                            "a truefalse `answer` must be true or false, found {}",
                            other.kind()
                        ),
                    )
                    .width(scalar_width(node))
                    .help("write `answer: true` or `answer: false`, without quotes");
                self.push(d);
                None
            }
        }
    }

    fn typed(&mut self, fields: &Fields) -> Option<CardKind> {
        let accept = match fields.get("accept") {
            None => Some(Vec::new()),
            Some(node) => match &node.value {
                Value::Seq(_) => self.text_list(node, "accept"),
                _ => self.text(node, "accept").map(|t| vec![t]),
            },
        };
        let keywords = match fields.get("keywords") {
            None => Some(Vec::new()),
            Some(node) => self.keywords(node),
        };
        let answer = self.opt_text(fields, "answer");
        let (accept, keywords) = (accept?, keywords?);
        if accept.is_empty() && keywords.is_empty() {
            let d = self
                .error(Some(fields.pos), "a typed card needs `accept` (the accepted answers) or `keywords` (words a right answer contains)")
                .help("add e.g. `accept: [\"443\"]` or `keywords: [port, [ip, address]]`");
            self.push(d);
            return None;
        }
        Some(CardKind::Typed {
            accept,
            keywords,
            answer,
        })
    }

    fn keywords(&mut self, node: &Node) -> Option<Vec<Vec<String>>> {
        let Value::Seq(items) = &node.value else {
            let d = self
                .error(Some(node.pos), format!("`keywords` must be a list, found {}", node.value.kind()))
                .help("write e.g. `keywords: [port, [ip, address]]`: every entry must appear; an inner list holds synonyms");
            self.push(d);
            return None;
        };
        let mut groups = Vec::new();
        for item in items {
            let group = match &item.value {
                Value::Seq(inner) if inner.is_empty() => {
                    let d = self
                        .error(Some(item.pos), "an empty synonym list in `keywords`")
                        .help("remove `[]` or add words to it");
                    self.push(d);
                    None
                }
                Value::Seq(_) => self.text_list(item, "keywords"),
                _ => self.text(item, "keywords").map(|t| vec![t]),
            };
            groups.push(group?);
        }
        Some(groups)
    }

    fn experiment(&mut self, fields: &Fields, lab: bool) -> Option<String> {
        let what = if lab {
            "this lab card"
        } else {
            "this practical card"
        };
        let node = fields.get("experiment");
        let name = self.req_text(fields, "experiment", what, "tcp-udp-same-port")?;
        let pos = node.map(|n| n.pos);
        let (mine, other, other_type) = if lab {
            (self.known.labs, self.known.experiments, "practical")
        } else {
            (self.known.experiments, self.known.labs, "lab")
        };
        if mine.contains(&name.as_str()) {
            return Some(name);
        }
        let d = self
            .error(
                pos,
                format!(
                    "unknown {} `{name}`",
                    if lab { "lab" } else { "experiment" }
                ),
            )
            .width(name.chars().count());
        let d = if other.contains(&name.as_str()) {
            d.help(format!(
                "`{name}` is a {other_type}: use `type: {other_type}`"
            ))
        } else if let Some(s) = suggest(&name, mine) {
            d.help(format!(
                "did you mean `{s}`? (`portquiz experiments` lists them all)"
            ))
        } else {
            d.help("decks can only name portquiz's built-in experiments: `portquiz experiments` lists them")
        };
        self.push(d);
        None
    }

    fn table(&mut self, node: &Node) -> Option<table::Table> {
        let fields = self.fields(node, "a table", &TABLE_KEYS, &|_| None)?;
        let id = self.id(&fields, "this table", check_id).map(|(id, _)| id);
        let title = self.opt_text(&fields, "title");
        let _ = self.opt_text(&fields, "description");
        let columns = match fields.get("columns") {
            None => {
                self.missing(&fields, "columns", "this table", "[First, Second]");
                None
            }
            Some(n) => self.text_list(n, "columns"),
        };
        if let (Some(cols), Some(n)) = (&columns, fields.get("columns"))
            && cols.len() < 2
        {
            let d = self
                .error(
                    Some(n.pos),
                    format!(
                        "a table needs at least 2 columns to compare, found {}",
                        cols.len()
                    ),
                )
                .help("add a column, or write the facts as cards");
            self.push(d);
        }
        let mut rows = Vec::new();
        let mut seen: HashMap<String, Pos> = HashMap::new();
        match fields.get("rows") {
            None => self.missing(
                &fields,
                "rows",
                "this table",
                "[{aspect: ..., values: [...]}]",
            ),
            Some(n) => match &n.value {
                Value::Seq(items) if !items.is_empty() => {
                    for item in items {
                        if let Some(row) = self.row(item, columns.as_deref(), &mut seen) {
                            rows.push(row);
                        }
                    }
                }
                _ => {
                    let d = self
                        .error(Some(n.pos), "`rows` must be a non-empty list of rows")
                        .help("add rows like `- aspect: What it is` with `values: [...]`");
                    self.push(d);
                }
            },
        }
        let id = id?;
        let columns = columns?;
        if columns.len() < 2 {
            return None;
        }
        Some(table::Table {
            title: title.unwrap_or_else(|| id.clone()),
            id,
            columns,
            rows,
        })
    }

    fn row(
        &mut self,
        node: &Node,
        columns: Option<&[String]>,
        seen: &mut HashMap<String, Pos>,
    ) -> Option<table::Row> {
        let fields = self.fields(node, "a table row", &ROW_KEYS, &|_| None)?;
        let aspect = self.req_text(&fields, "aspect", "this row", "What it is");
        let explain = self.opt_text(&fields, "explain");
        let slug = match fields.get("id") {
            Some(_) => self.id(&fields, "this row", check_id).map(|(id, _)| id),
            None => aspect.as_deref().map(slug),
        };
        let values_node = fields.get("values");
        let values = match values_node {
            None => {
                self.missing(&fields, "values", "this row", "[..., ...]");
                None
            }
            Some(n) => match &n.value {
                Value::Seq(items) => {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for item in items {
                        match &item.value {
                            Value::Bool(b) => out.push(table::Cell::Bool(*b)),
                            _ => match self.text(item, "values") {
                                Some(t) => out.push(table::Cell::Text(t)),
                                None => ok = false,
                            },
                        }
                    }
                    ok.then_some(out)
                }
                other => {
                    let d = self
                        .error(
                            Some(n.pos),
                            format!("`values` must be a list, found {}", other.kind()),
                        )
                        .help("give one value per column, e.g. values: [A number, An endpoint]");
                    self.push(d);
                    None
                }
            },
        };
        if let (Some(values), Some(columns), Some(n)) = (&values, columns, values_node)
            && values.len() != columns.len()
        {
            let d = self
                .error(
                    Some(n.pos),
                    format!(
                        "this row has {} but the table has {} columns ({})",
                        super::diag::plural(values.len(), "value"),
                        columns.len(),
                        columns.join(", ")
                    ),
                )
                .help("give exactly one value per column, in column order");
            self.push(d);
            return None;
        }
        let slug = slug?;
        if slug.is_empty() {
            let d = self
                .error(
                    Some(fields.pos),
                    "this row needs an `id`: its aspect has no letters or digits",
                )
                .help("add `id: some-row-id`");
            self.push(d);
            return None;
        }
        if let Some(first) = seen.get(&slug) {
            let d = self
                .error(
                    Some(fields.pos),
                    format!("two rows of this table have the id `{slug}`"),
                )
                .note(self.file, Some(*first), "the other row is here")
                .help("give one of them an explicit `id:`");
            self.push(d);
            return None;
        }
        seen.insert(slug.clone(), fields.pos);
        Some(table::Row {
            slug,
            aspect: aspect?,
            values: values?,
            explain,
            line: fields.pos.line,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> String {
        match parse_deck(text, "d.yaml", &Known::default()) {
            Ok(deck) => format!("ok: {} cards", deck.cards.len()),
            Err(diags) => diags.iter().map(Diagnostic::render).collect(),
        }
    }

    #[test]
    fn a_column_without_letters_or_digits_cannot_name_its_cards() {
        let text = "format: 1\nid: t\ntitle: T\ntables:\n  - id: tab\n    columns: [TCP, \"???\"]\n    rows:\n      - aspect: Connection\n        values: [a, b]\n";
        assert_eq!(
            check(text),
            "d.yaml:5:5: error: a cell of table `tab` gets bad id `tab/connection/`: it is empty; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n5 |   - id: tab\n  |     ^\nhelp: give every column a name with a letter or digit in it\n"
        );
        assert_eq!(check(&text.replace("\"???\"", "UDP")), "ok: 2 cards");
    }

    #[test]
    fn a_written_card_id_is_one_segment() {
        let text = "format: 1\nid: t\ntitle: T\ncards:\n  - id: a/b/c\n    type: truefalse\n    prompt: P\n    answer: true\n";
        assert_eq!(
            check(text),
            "d.yaml:5:9: error: bad id `a/b/c`: it contains '/'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n5 |   - id: a/b/c\n  |         ^^^^^\nhelp: use `a-b-c`\n"
        );
    }
}

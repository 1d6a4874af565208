//! The building blocks every part of a deck is checked with: a mapping's keys (unknown and misplaced ones
//! reported with a suggestion), required and optional values, text and lists of text, ids by the id rule,
//! tags.
use super::Cx;
use crate::deck::diag::{Diagnostic, suggest};
use crate::deck::id::{IdError, slug};
use crate::deck::yaml::{Node, Pos, Value};

/// The entries of a mapping, by key.
pub(super) struct Fields<'n> {
    pub(super) pos: Pos,
    pub(super) entries: Vec<(&'n str, &'n Node, &'n Node)>,
}

impl<'n> Fields<'n> {
    pub(super) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }
    pub(super) fn key_node(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, _)| *k)
    }
}

pub(super) fn scalar_width(node: &Node) -> usize {
    match &node.value {
        Value::Str(s) => s.lines().next().map_or(1, |l| l.chars().count()),
        Value::Int(i) => i.to_string().len(),
        Value::Bool(b) => b.to_string().len(),
        _ => 1,
    }
}

impl Cx<'_> {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub(super) fn error(&self, pos: Option<Pos>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, self.text, pos, message)
    }

    /// Checks that `node` is a mapping with string keys from `allowed`; reports unknown keys.
    /// `elsewhere` lists keys that are valid in another variant, with a message for them.
    pub(super) fn fields<'n>(
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

    pub(super) fn missing(&mut self, fields: &Fields, key: &str, what: &str, example: &str) {
        let d = self
            .error(
                Some(fields.pos),
                format!("{what} is missing the required key `{key}`"),
            )
            .help(format!("add `{key}: {example}`"));
        self.push(d);
    }

    /// A text value (numbers are taken as their text, so `accept: [443]` works).
    pub(super) fn text(&mut self, node: &Node, key: &str) -> Option<String> {
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

    pub(super) fn opt_text(&mut self, fields: &Fields, key: &str) -> Option<String> {
        fields.get(key).and_then(|n| self.text(n, key))
    }

    pub(super) fn req_text(
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

    pub(super) fn text_list(&mut self, node: &Node, key: &str) -> Option<Vec<String>> {
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
    pub(super) fn id<T>(
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

    pub(super) fn tags(&mut self, fields: &Fields) -> Vec<String> {
        fields
            .get("tags")
            .and_then(|n| self.text_list(n, "tags"))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{check, check_cards};

    #[test]
    fn an_unknown_key_gets_the_nearest_known_one() {
        assert_eq!(
            check_cards("  - id: a\n    type: truefalse\n    promt: P\n    answer: true\n"),
            "d.yaml:5:5: error: this card is missing the required key `prompt`\n  |\n5 |   - id: a\n  |     ^\nhelp: add `prompt: The question to ask?`\nd.yaml:7:5: error: unknown key `promt` in a card\n  |\n7 |     promt: P\n  |     ^^^^^\nhelp: did you mean `prompt`?\n"
        );
    }

    #[test]
    fn an_unknown_key_without_a_near_one_lists_the_keys() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: truefalse\n    prompt: P\n    answer: true\n    colour: red\n"
            ),
            "d.yaml:9:5: error: unknown key `colour` in a card\n  |\n9 |     colour: red\n  |     ^^^^^^\nhelp: the keys a card takes are: id, type, prompt, explain, hint, tags, follow_up, options, answer, accept, keywords, exact, ordered, experiment\n"
        );
    }

    #[test]
    fn a_required_key_that_is_missing_is_named_with_an_example() {
        assert_eq!(
            check_cards("  - id: a\n    type: truefalse\n    answer: true\n"),
            "d.yaml:5:5: error: this card is missing the required key `prompt`\n  |\n5 |   - id: a\n  |     ^\nhelp: add `prompt: The question to ask?`\n"
        );
    }

    #[test]
    fn text_of_the_wrong_type_or_empty_is_refused() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: flashcard\n    prompt: [P]\n    answer: yes\n    hint: \"  \"\n"
            ),
            "d.yaml:7:13: error: `prompt` must be text, found a list\n  |\n7 |     prompt: [P]\n  |             ^\nd.yaml:8:13: error: `answer` must be text, found a boolean\n  |\n8 |     answer: yes\n  |             ^^^\nhelp: put the text in quotes, e.g. \"yes\"\nd.yaml:9:11: error: `hint` is empty\n  |\n9 |     hint: \"  \"\n  |           ^\nhelp: write the hint, or remove the key\n"
        );
    }

    #[test]
    fn a_card_that_is_not_a_mapping_is_refused() {
        assert_eq!(
            check_cards("  - just some text\n"),
            "d.yaml:5:5: error: expected a card (a mapping of keys to values), found a string\n  |\n5 |   - just some text\n  |     ^^^^^^^^^^^^^^\n"
        );
    }

    #[test]
    fn tags_must_be_a_list() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: truefalse\n    prompt: P\n    answer: true\n    tags: net\n"
            ),
            "d.yaml:9:11: error: `tags` must be a list, found a string\n  |\n9 |     tags: net\n  |           ^\nhelp: write it as a list, e.g. tags: [a, b]\n"
        );
    }

    #[test]
    fn ids_follow_the_id_rule_and_get_a_suggestion() {
        assert_eq!(
            check(
                "format: 1\nid: My Deck\ntitle: D\ncards:\n  - id: a/b/c\n    type: truefalse\n    prompt: P\n    answer: true\n"
            ),
            "d.yaml:2:5: error: bad id `My Deck`: it contains 'M'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n2 | id: My Deck\n  |     ^^^^^^^\nhelp: use `my-deck`\nd.yaml:5:9: error: bad id `a/b/c`: it contains '/'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n5 |   - id: a/b/c\n  |         ^^^^^\nhelp: use `a-b-c`\n"
        );
    }
}

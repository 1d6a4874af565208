//! The building blocks every part of a deck is checked with: a mapping's keys (unknown and misplaced ones
//! reported with a suggestion), required and optional values, text and lists of text, ids by the id rule,
//! tags.
use super::cx::Cx;
use crate::deck::diag::{Diagnostic, suggest};
use crate::deck::id::{IdError, slug};
use crate::deck::yaml::{Node, Pos, Value};

/// The entries of a mapping, by key.
pub(super) struct Fields<'n> {
    pub(super) pos: Pos,
    pub(super) entries: Vec<(&'n str, &'n Node, &'n Node)>,
    /// Keys an unknown key was reported as a likely typo of (`promt` for `prompt`): a missing one is not
    /// reported again.
    pub(super) typo_of: Vec<String>,
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

/// The key portquiz names what `written` means in other flashcard tools and formats (`back` for a
/// flashcard's `answer`): said as "did you mean" where spelling alone would not find it.
fn synonym(written: &str) -> Option<&'static str> {
    Some(match written {
        "back" | "answers" | "solution" => "answer",
        "front" | "question" | "q" => "prompt",
        "choices" => "options",
        "explanation" | "why" | "note" | "notes" => "explain",
        "hints" => "hint",
        "followup" | "follow-up" | "followups" | "follow_ups" | "next" => "follow_up",
        "tag" => "tags",
        "accepted" | "accepts" | "alternatives" => "accept",
        _ => return None,
    })
}

/// `written` in the quotes that keep it as written: double quotes, or single ones when it holds a `"`.
pub(super) fn quoted(written: &str) -> String {
    if written.contains('"') {
        format!("'{written}'")
    } else {
        format!("\"{written}\"")
    }
}

impl Cx<'_> {
    pub(super) fn push(&mut self, d: Diagnostic) {
        self.found += 1;
        if !self.unsaid.covers(d.pos) {
            self.diags.push(d);
        }
    }

    /// An error at `pos` of the deck being checked, of the kind `code`.
    pub(super) fn error(
        &self,
        pos: Option<Pos>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(self.file, self.lines, pos, code, message)
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
                    "wrong-shape",
                    format!(
                        "expected {what} (a mapping of keys to values), found {}",
                        node.value.kind()
                    ),
                )
                .width(self.width(node));
            self.push(d);
            return None;
        };
        let mut fields = Fields {
            pos: node.pos,
            entries: Vec::new(),
            typo_of: Vec::new(),
        };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                let d = self.error(
                    Some(key.pos),
                    "wrong-value",
                    format!("keys in {what} must be names, found {}", key.value.kind()),
                );
                self.push(d);
                continue;
            };
            if allowed.contains(&name.as_str()) {
                fields.entries.push((name.as_str(), key, value));
            } else if let Some(message) = elsewhere(name) {
                let d = self
                    .error(Some(key.pos), "wrong-type-key", message)
                    .width(name.chars().count());
                let d = d.help(format!("remove `{name}`, or change the card's `type`"));
                self.push(d);
            } else {
                let mut d = self
                    .error(
                        Some(key.pos),
                        "unknown-key",
                        format!("unknown key `{name}` in {what}"),
                    )
                    .width(name.chars().count());
                d = match synonym(name)
                    .filter(|s| allowed.contains(s))
                    .or_else(|| suggest(name, allowed))
                {
                    Some(s) => {
                        fields.typo_of.push(s.to_string());
                        d.help(format!("did you mean `{s}`?"))
                    }
                    None => d.help(format!("the keys {what} takes are: {}", allowed.join(", "))),
                };
                self.push(d);
            }
        }
        Some(fields)
    }

    /// Two places that give one id: an error at each (`width` wide), each with a note pointing at the
    /// other, so the author sees both wherever they look first.
    pub(super) fn collision(
        &mut self,
        places: [(Pos, usize); 2],
        code: &'static str,
        message: &str,
        note: &str,
        help: &str,
    ) {
        for (here, other) in [(places[1], places[0]), (places[0], places[1])] {
            let d = self
                .error(Some(here.0), code, message)
                .width(here.1)
                .note(self.file, Some(other.0), note)
                .help(help);
            self.push(d);
        }
    }

    pub(super) fn missing(&mut self, fields: &Fields, key: &str, what: &str, example: &str) {
        if fields.typo_of.iter().any(|k| k == key) {
            return;
        }
        let d = self
            .error(
                Some(fields.pos),
                "missing-key",
                format!("{what} is missing the required key `{key}`"),
            )
            .help(format!("add `{key}: {example}`"));
        self.push(d);
    }

    /// A text value, kept as written: a number YAML reads without changing it is taken as its text (so
    /// `accept: [443]` works), but a plain value YAML would read as a boolean (`yes`, `on`, `n`) or as a
    /// different number (`0755`, `1.10`) is refused with how it was read and how to quote it.
    pub(super) fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        self.text_or(node, key, None)
    }

    /// [`Self::text`], with `also` added to the help of a misread value (e.g. what else the key takes).
    pub(super) fn text_or(&mut self, node: &Node, key: &str, also: Option<&str>) -> Option<String> {
        match &node.value {
            Value::Str(s) if s.trim().is_empty() => {
                let d = self
                    .error(Some(node.pos), "empty-value", format!("`{key}` is empty"))
                    .width(self.width(node))
                    .help(format!("write the {key}, or remove the key"));
                self.push(d);
                None
            }
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let read = match &node.value {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => String::new(),
                };
                let written = node.written(self.text);
                let is_bool = matches!(node.value, Value::Bool(_));
                // A number whose text YAML keeps (or one whose spelling we cannot see, from an alias of a
                // merge) is the text the author meant.
                // A decimal is refused even when its text is kept (`1.5`): the rule must not depend on digits
                // a JSON Schema cannot see (`1.10` is read 1.1), so decimals in text are quoted.
                let is_float = matches!(node.value, Value::Float(_));
                if !is_bool && !is_float && (read == written || written.is_empty()) {
                    return Some(read);
                }
                let what = if is_bool { "the boolean" } else { "the number" };
                let kept_decimal = is_float && read == written;
                let help = if kept_decimal {
                    format!(
                        "quote decimals in text: {} (YAML reads `1.10` as 1.1, so portquiz takes no unquoted decimal, as JSON Schema tools cannot tell)",
                        quoted(written)
                    )
                } else {
                    format!("quote it to keep it as written: {}", quoted(written))
                };
                let help = match also {
                    Some(also) if is_bool => format!("{help} ({also})"),
                    _ => help,
                };
                let d = self
                    .error(
                        Some(node.pos),
                        "misread-value",
                        if kept_decimal {
                            format!(
                                "`{key}` is text, but YAML reads `{written}` as a decimal number"
                            )
                        } else {
                            format!("`{key}` is text, but YAML reads `{written}` as {what} {read}")
                        },
                    )
                    .width(self.width(node))
                    .help(help);
                self.push(d);
                None
            }
            other => {
                let mut d = self
                    .error(
                        Some(node.pos),
                        "not-text",
                        format!("`{key}` must be text, found {}", other.kind()),
                    )
                    .width(self.width(node));
                if matches!(other, Value::Null) {
                    d = d.help(format!(
                        "write the {key}, or quote it to keep it as written, e.g. \"~\""
                    ));
                }
                self.push(d);
                None
            }
        }
    }

    /// The caret width of `node`: its first line as written, in characters (at least 1).
    pub(super) fn width(&self, node: &Node) -> usize {
        match &node.value {
            Value::Seq(_) | Value::Map(_) => 1,
            _ => node
                .written(self.text)
                .lines()
                .next()
                .map_or(1, |l| l.chars().count()),
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
                // Every item is checked, so each bad one is reported.
                let out: Vec<Option<String>> =
                    items.iter().map(|item| self.text(item, key)).collect();
                out.into_iter().collect()
            }
            _ => {
                let d = self
                    .error(
                        Some(node.pos),
                        "not-a-list",
                        format!("`{key}` must be a list, found {}", node.value.kind()),
                    )
                    .help(format!("write it as a list, e.g. {key}: [a, b]"));
                self.push(d);
                None
            }
        }
    }

    /// The `id` of `fields`, checked by the id rule and made into a `T` by `make` (e.g.
    /// [`DeckId::new`](crate::deck::DeckId::new)).
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
                    .error(Some(pos), "bad-id", err.to_string())
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
            "d.yaml:7:5: error: unknown key `promt` in a card\n  |\n7 |     promt: P\n  |     ^^^^^\nhelp: did you mean `prompt`?\n"
        );
    }

    #[test]
    fn a_key_of_another_tool_gets_the_one_portquiz_names_it_and_no_missing_key_besides() {
        assert_eq!(
            check_cards("  - id: a\n    type: flashcard\n    front: P\n    back: B\n"),
            "d.yaml:7:5: error: unknown key `front` in a card\n  |\n7 |     front: P\n  |     ^^^^^\nhelp: did you mean `prompt`?\n\
             d.yaml:8:5: error: unknown key `back` in a card\n  |\n8 |     back: B\n  |     ^^^^\nhelp: did you mean `answer`?\n"
        );
    }

    #[test]
    fn an_unknown_key_without_a_near_one_lists_the_keys() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: truefalse\n    prompt: P\n    answer: true\n    colour: red\n"
            ),
            "d.yaml:9:5: error: unknown key `colour` in a card\n  |\n9 |     colour: red\n  |     ^^^^^^\nhelp: the keys a card takes are: id, type, prompt, explain, hint, tags, follow_up, demo, options, answer, accept, keywords, exact, ordered, experiment, service, port, protocol, command\n"
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
            "d.yaml:7:13: error: `prompt` must be text, found a list\n  |\n7 |     prompt: [P]\n  |             ^\nd.yaml:8:13: error: `answer` is text, but YAML reads `yes` as the boolean true\n  |\n8 |     answer: yes\n  |             ^^^\nhelp: quote it to keep it as written: \"yes\"\nd.yaml:9:11: error: `hint` is empty\n  |\n9 |     hint: \"  \"\n  |           ^^^^\nhelp: write the hint, or remove the key\n"
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

    #[test]
    fn values_yaml_would_change_are_refused_with_how_they_were_read() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n"
            ),
            "d.yaml:8:14: error: `accept` is text, but YAML reads `0755` as the number 755\n  |\n8 |     accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n  |              ^^^^\nhelp: quote it to keep it as written: \"0755\"\nd.yaml:8:20: error: `accept` is text, but YAML reads `1.10` as the number 1.1\n  |\n8 |     accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n  |                    ^^^^\nhelp: quote it to keep it as written: \"1.10\"\nd.yaml:8:26: error: `accept` is text, but YAML reads `1.0` as the number 1\n  |\n8 |     accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n  |                          ^^^\nhelp: quote it to keep it as written: \"1.0\"\nd.yaml:8:31: error: `accept` is text, but YAML reads `y` as the boolean true\n  |\n8 |     accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n  |                               ^\nhelp: quote it to keep it as written: \"y\"\nd.yaml:8:44: error: `accept` is text, but YAML reads `2.5` as a decimal number\n  |\n8 |     accept: [0755, 1.10, 1.0, y, \"n\", 443, 2.5]\n  |                                            ^^^\nhelp: quote decimals in text: \"2.5\" (YAML reads `1.10` as 1.1, so portquiz takes no unquoted decimal, as JSON Schema tools cannot tell)\n"
        );
        for word in ["yes", "no", "on", "off", "n"] {
            let out = check_cards(&format!(
                "  - id: a\n    type: flashcard\n    prompt: P\n    answer: {word}\n"
            ));
            assert!(
                out.starts_with(&format!(
                    "d.yaml:8:13: error: `answer` is text, but YAML reads `{word}` as the boolean "
                )),
                "{out}"
            );
        }
    }

    #[test]
    fn a_true_false_answer_is_true_or_false_only() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: truefalse\n    prompt: P\n    answer: yes\n  - id: b\n    type: truefalse\n    prompt: P\n    answer: false\n"
            ),
            "d.yaml:8:13: error: a truefalse `answer` is written `true` or `false`; YAML reads `yes` as true\n  |\n8 |     answer: yes\n  |             ^^^\nhelp: write `answer: true`\n"
        );
    }

    #[test]
    fn table_cells_keep_what_was_written() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: versions\n    columns: [Old, New]\n    rows:\n      - aspect: Version\n        values: [1.0, \"1.10\"]\n      - aspect: Encrypted\n        values: [n, true]\n"
            ),
            "d.yaml:9:18: error: `values` is text, but YAML reads `1.0` as the number 1\n  |\n9 |         values: [1.0, \"1.10\"]\n  |                  ^^^\nhelp: quote it to keep it as written: \"1.0\"\nd.yaml:11:18: error: `values` is text, but YAML reads `n` as the boolean false\n   |\n11 |         values: [n, true]\n   |                  ^\nhelp: quote it to keep it as written: \"n\" (a true/false cell is written `true` or `false`)\n"
        );
    }
}

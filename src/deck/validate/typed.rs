//! Typed cards: the accepted answers and the keyword groups (a word, or a list of synonyms) a right answer
//! contains, and the two switches of the matcher: `exact` (compare with `accept` letter for letter, case and
//! spacing aside) and `ordered` (the keyword groups must come in the order given).
use super::cards::is_true_or_false;
use super::cx::Cx;
use super::fields::Fields;
use crate::deck::model::CardKind;
use crate::deck::yaml::{Node, Value};

impl Cx<'_> {
    pub(super) fn typed(&mut self, fields: &Fields) -> Option<CardKind> {
        let accept = match fields.get("accept") {
            None => Some(Vec::new()),
            // A list, never a single value: the schema says so too, and `accept: [a, b]` is one habit.
            Some(node) => match &node.value {
                Value::Seq(items) if items.is_empty() => {
                    let d = self.error(Some(node.pos), "`accept` is empty").help(
                        "list the accepted answers, e.g. accept: [\"443\"], or remove the key",
                    );
                    self.push(d);
                    None
                }
                _ => self.text_list(node, "accept"),
            },
        };
        let keywords = match fields.get("keywords") {
            None => Some(Vec::new()),
            Some(node) => self.keywords(node),
        };
        let answer = self.opt_text(fields, "answer");
        let exact = self.switch(fields, "exact");
        let ordered = self.switch(fields, "ordered");
        let (accept, keywords, exact, ordered) = (accept?, keywords?, exact?, ordered?);
        if accept.is_empty() && keywords.is_empty() {
            let d = self
                .error(Some(fields.pos), "a typed card needs `accept` (the accepted answers) or `keywords` (words a right answer contains)")
                .help("add e.g. `accept: [\"443\"]` or `keywords: [port, [ip, address]]`");
            self.push(d);
            return None;
        }
        for (on, key, needs, empty, help) in [
            (
                exact,
                "exact",
                "accept",
                accept.is_empty(),
                "`exact: true` compares the answer with `accept` letter for letter: add `accept`, or remove `exact`",
            ),
            (
                ordered,
                "ordered",
                "keywords",
                keywords.is_empty(),
                "`ordered: true` asks for the `keywords` in the order given (an `accept` answer is already compared in order): add `keywords`, or remove `ordered`",
            ),
        ] {
            if on && empty {
                let pos = fields.key_node(key).map(|n| n.pos);
                let d = self
                    .error(
                        pos,
                        format!("`{key}` applies to `{needs}`, and this card has none"),
                    )
                    .width(key.len())
                    .help(help);
                self.push(d);
                return None;
            }
        }
        Some(CardKind::Typed {
            accept,
            keywords,
            answer,
            exact,
            ordered,
        })
    }

    /// A `true`/`false` key; absent is `false`.
    fn switch(&mut self, fields: &Fields, key: &str) -> Option<bool> {
        match fields.get(key).map(|n| (n, &n.value)) {
            None => Some(false),
            Some((node, Value::Bool(b))) if is_true_or_false(node.written(self.text)) => Some(*b),
            Some((node, Value::Bool(b))) => {
                let written = node.written(self.text);
                let d = self
                    .error(
                        Some(node.pos),
                        format!(
                            "`{key}` is written `true` or `false`; YAML reads `{written}` as {b}"
                        ),
                    )
                    .width(self.width(node))
                    .code("misread-value")
                    .help(format!("write `{key}: {b}`"));
                self.push(d);
                None
            }
            Some((node, other)) => {
                let d = self
                    .error(
                        Some(node.pos),
                        format!("`{key}` must be true or false, found {}", other.kind()),
                    )
                    .width(self.width(node))
                    .help(format!("write `{key}: true`, without quotes, or remove it"));
                self.push(d);
                None
            }
        }
    }

    pub(super) fn keywords(&mut self, node: &Node) -> Option<Vec<Vec<String>>> {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check_cards;

    #[test]
    fn a_typed_card_needs_accept_or_keywords() {
        assert_eq!(
            check_cards("  - id: a\n    type: typed\n    prompt: P\n    answer: A model answer.\n"),
            "d.yaml:5:5: error: a typed card needs `accept` (the accepted answers) or `keywords` (words a right answer contains)\n  |\n5 |   - id: a\n  |     ^\nhelp: add e.g. `accept: [\"443\"]` or `keywords: [port, [ip, address]]`\n"
        );
    }

    #[test]
    fn keywords_are_words_or_lists_of_synonyms() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    keywords: [port, []]\n  - id: b\n    type: typed\n    prompt: P\n    keywords: port\n"
            ),
            "d.yaml:8:22: error: an empty synonym list in `keywords`\n  |\n8 |     keywords: [port, []]\n  |                      ^\nhelp: remove `[]` or add words to it\nd.yaml:12:15: error: `keywords` must be a list, found a string\n   |\n12 |     keywords: port\n   |               ^\nhelp: write e.g. `keywords: [port, [ip, address]]`: every entry must appear; an inner list holds synonyms\n"
        );
    }

    #[test]
    fn a_switch_is_written_true_or_false() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: [x]\n    exact: on\n"
            ),
            "d.yaml:9:12: error: `exact` is written `true` or `false`; YAML reads `on` as true\n  |\n9 |     exact: on\n  |            ^^\nhelp: write `exact: true`\n"
        );
    }

    #[test]
    fn exact_and_ordered_are_switches_for_accept_and_keywords() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: [x]\n    exact: \"yes\"\n  - id: b\n    type: typed\n    prompt: P\n    accept: [x]\n    ordered: true\n  - id: c\n    type: typed\n    prompt: P\n    keywords: [x]\n    exact: true\n"
            ),
            "d.yaml:9:12: error: `exact` must be true or false, found a string\n  |\n9 |     exact: \"yes\"\n  |            ^^^^^\nhelp: write `exact: true`, without quotes, or remove it\nd.yaml:14:5: error: `ordered` applies to `keywords`, and this card has none\n   |\n14 |     ordered: true\n   |     ^^^^^^^\nhelp: `ordered: true` asks for the `keywords` in the order given (an `accept` answer is already compared in order): add `keywords`, or remove `ordered`\nd.yaml:19:5: error: `exact` applies to `accept`, and this card has none\n   |\n19 |     exact: true\n   |     ^^^^^\nhelp: `exact: true` compares the answer with `accept` letter for letter: add `accept`, or remove `exact`\n"
        );
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: [x]\n    exact: true\n  - id: b\n    type: typed\n    prompt: P\n    keywords: [x, z]\n    ordered: true\n"
            ),
            "ok: 2 cards"
        );
    }

    #[test]
    fn numbers_are_accepted_as_text() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: 443\n  - id: b\n    type: typed\n    prompt: P\n    keywords: [[ip, address], port]\n"
            ),
            "d.yaml:8:13: error: `accept` must be a list, found a number\n  |\n8 |     accept: 443\n  |             ^\nhelp: write it as a list, e.g. accept: [a, b]\n"
        );
    }
}

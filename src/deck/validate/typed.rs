//! Typed cards: the accepted answers and the keyword groups (a word, or a list of synonyms) a right answer
//! contains.
use super::Cx;
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
    fn numbers_are_accepted_as_text() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: typed\n    prompt: P\n    accept: 443\n  - id: b\n    type: typed\n    prompt: P\n    keywords: [[ip, address], port]\n"
            ),
            "d.yaml:8:13: error: `accept` must be a list, found a number\n  |\n8 |     accept: 443\n  |             ^\nhelp: write it as a list, e.g. accept: [a, b]\n"
        );
    }
}

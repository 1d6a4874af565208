//! Keys written twice in one mapping. The parser passes them through ([`crate::deck::yaml::parse`]), so a
//! repeated key is one problem among the others instead of hiding the rest of the file: each later entry
//! is reported and taken out of the tree, and the first value is the one validated.
use std::collections::HashMap;

use crate::deck::diag::{Diagnostic, Lines};
use crate::deck::yaml::{Node, Pos, Value};

/// A key written again in the mapping that already has it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Repeated {
    /// The key as text (`None` for a key that is not text).
    pub(super) key: Option<String>,
    /// Where it is written again, and how wide.
    pub(super) pos: Pos,
    pub(super) width: usize,
    /// Where it is first written (the value that is validated).
    pub(super) first: Pos,
}

impl Repeated {
    /// The error about this key, with a note at its first entry (the value that was checked).
    pub(super) fn diagnostic(&self, file: &str, lines: &Lines) -> Diagnostic {
        let (message, note) = match &self.key {
            Some(key) => (
                format!("YAML syntax: key `{key}` appears twice in the same mapping"),
                format!(
                    "`{key}` is first written here: this value is the one checked, the later one is ignored"
                ),
            ),
            None => (
                "YAML syntax: a key appears twice in the same mapping".to_string(),
                "first written here: this value is the one checked, the later one is ignored"
                    .to_string(),
            ),
        };
        Diagnostic::error(file, lines, Some(self.pos), "duplicate-key", message)
            .width(self.width)
            .note(file, Some(self.first), note)
            .help("remove one of them, or check the indentation of the lines above")
    }
}

/// Takes every repeated key (and its value) out of the mappings of `node`, keeping each key's first entry,
/// and says where each was. In file order.
pub(super) fn take_repeated(node: &mut Node) -> Vec<Repeated> {
    let mut out = Vec::new();
    walk(node, &mut out);
    out.sort_by_key(|r| r.pos);
    out
}

/// The tree nests at most 32 levels ([`crate::deck::yaml::parse`]'s budget), so recursion is bounded.
fn walk(node: &mut Node, out: &mut Vec<Repeated>) {
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|item| walk(item, out)),
        Value::Map(entries) => {
            // By the key's text (a hash map: a mapping may hold 100,000 keys); a list or mapping used as a
            // key is not compared.
            let mut seen: HashMap<String, Pos> = HashMap::new();
            entries.retain(|(key, _)| {
                let Some(name) = identity(&key.value) else {
                    return true;
                };
                match seen.get(&name) {
                    Some(&first) => {
                        let text = match &key.value {
                            Value::Str(s) => Some(s.clone()),
                            _ => None,
                        };
                        out.push(Repeated {
                            width: text.as_deref().map_or(1, |k| k.chars().count().max(1)),
                            key: text,
                            pos: key.pos,
                            first,
                        });
                        false
                    }
                    None => {
                        seen.insert(name, key.pos);
                        true
                    }
                }
            });
            entries.iter_mut().for_each(|(_, value)| walk(value, out));
        }
        _ => {}
    }
}

/// What makes two keys the same key: their text, or for a number, boolean or null its value (`0x1B` and
/// `27` are one key, as the parser read them). `None` for a list or mapping.
fn identity(key: &Value) -> Option<String> {
    match key {
        Value::Str(s) => Some(format!("s{s}")),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null => Some(format!("{key:?}")),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::test_support::check;
    use super::*;
    use crate::deck::yaml::parse;

    /// The repeated key is one error among the others: the rest of the file is still checked.
    #[test]
    fn a_repeated_key_is_named_and_the_rest_still_checked() {
        insta::assert_snapshot!(check(
            "format: 1\nid: a\nid: b\ntitle: T\ncards:\n  - id: c\n    type: flashcard\n    prompt: P\n    answer: A\n    answer: B\n    explain: E\n  - id: d\n    type: flashcard\n    prompt: P\n"
        ));
    }

    #[test]
    fn later_entries_of_a_key_are_taken_out_and_located() {
        let mut node =
            parse("a: 1\nb:\n  - c: x\n    c: y\n    c: z\na: 2\n1: p\n0x1: q\n").unwrap();
        let repeated = take_repeated(&mut node);
        let at = |line, col| Pos { line, col };
        let found: Vec<(Option<&str>, Pos, Pos)> = repeated
            .iter()
            .map(|r| (r.key.as_deref(), r.pos, r.first))
            .collect();
        assert_eq!(
            found,
            [
                (Some("c"), at(4, 5), at(3, 5)),
                (Some("c"), at(5, 5), at(3, 5)),
                (Some("a"), at(6, 1), at(1, 1)),
                (None, at(8, 1), at(7, 1)),
            ]
        );
        // The first value of each key stays.
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        let values: Vec<&Value> = entries.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(values[0], &Value::Int(1));
        assert_eq!(values[2], &Value::Str("p".into()));
        assert_eq!(values.len(), 3);
        let Value::Seq(cards) = values[1] else {
            panic!("{values:?}")
        };
        let Value::Map(card) = &cards[0].value else {
            panic!("{cards:?}")
        };
        assert_eq!(card.len(), 1);
        assert_eq!(card[0].1.value, Value::Str("x".into()));
    }
}

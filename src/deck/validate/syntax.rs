//! YAML syntax errors in our words: each [`SyntaxKind`] the parser reports becomes a message and a fix.
use crate::deck::yaml::{Limit, SyntaxError, SyntaxKind};

/// Says a YAML problem in our words, with a fix where we know one; the parser's words only for kinds we
/// have none for.
pub(super) fn syntax_message(err: &SyntaxError) -> (String, Option<String>) {
    let (message, help) = match &err.kind {
        SyntaxKind::DuplicateKey(key) => (
            match key {
                Some(key) => format!("YAML syntax: key `{key}` appears twice in the same mapping"),
                None => "YAML syntax: a key appears twice in the same mapping".to_string(),
            },
            Some("remove one of them, or check the indentation of the lines above"),
        ),
        SyntaxKind::Limit(limit) => {
            let limit = match limit {
                Limit::Depth => "it nests deeper than 32 levels",
                Limit::Nodes => "it holds more than 250,000 YAML values",
                Limit::AliasCopies => "its aliases copy more than 100,000 values",
                Limit::AnchorBytes => "its anchors hold more than 1 MB of text",
                Limit::Aliases => "it uses too many aliases",
                Limit::Anchors => "it defines more than 1,000 anchors",
                Limit::ScalarBytes => "its text, with aliases expanded, passes 16 MB",
                Limit::Other => "it is too large or too deeply nested",
            };
            (
                format!("the file exceeds the limits for a deck file: {limit}"),
                Some(
                    "a deck cannot nest deeper than 32 levels, hold more than 250,000 YAML values, copy more than 100,000 values through aliases, or use more than 1,000 aliases; split a large deck into several files",
                ),
            )
        }
        SyntaxKind::TooDeep => (
            "the file nests deeper than a deck file may (recursion limit exceeded)".to_string(),
            Some("a deck cannot nest deeper than 32 levels; is this the right file?"),
        ),
        SyntaxKind::MultipleDocuments => (
            "the file holds more than one YAML document: a `---` line starts another".to_string(),
            Some(
                "a deck file is one document: remove the `---` line, or put each deck in its own file",
            ),
        ),
        SyntaxKind::Indentation => (
            format!("YAML syntax: {}", err.parser_message),
            Some(
                "check the indentation: keys of one mapping must line up, list items start with `- `",
            ),
        ),
        SyntaxKind::ColonInValue => (
            format!("YAML syntax: {}", err.parser_message),
            Some("a value containing `: ` must be quoted, e.g. prompt: \"Port: what is it?\""),
        ),
        SyntaxKind::Quote => (
            format!("YAML syntax: {}", err.parser_message),
            Some("close the quote, or escape the character"),
        ),
        SyntaxKind::Other => (format!("YAML syntax: {}", err.parser_message), None),
    };
    (message, help.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check;

    #[test]
    fn a_second_yaml_document_is_explained_in_our_words() {
        assert_eq!(
            check("format: 1\nid: a\n---\nformat: 1\n"),
            "d.yaml:4:1: error: the file holds more than one YAML document: a `---` line starts another\n  |\n4 | format: 1\n  | ^\nhelp: a deck file is one document: remove the `---` line, or put each deck in its own file\n"
        );
    }

    #[test]
    fn a_duplicate_key_is_named() {
        assert_eq!(
            check("format: 1\nid: a\nid: b\n"),
            "d.yaml:3:1: error: YAML syntax: key `id` appears twice in the same mapping\n  |\n3 | id: b\n  | ^\nhelp: remove one of them, or check the indentation of the lines above\n"
        );
    }

    #[test]
    fn bad_indentation_gets_a_hint() {
        assert_eq!(
            check("format: 1\nid: a\ntitle:\n  x: 1\n y: 2\n"),
            "d.yaml:5:2: error: YAML syntax: while parsing a block mapping, did not find expected key\n  |\n5 |  y: 2\n  |  ^\nhelp: check the indentation: keys of one mapping must line up, list items start with `- `\n"
        );
    }

    #[test]
    fn a_colon_in_a_value_gets_a_hint() {
        assert_eq!(
            check("format: 1\nid: a\ntitle: Ports: a primer\n"),
            "d.yaml:3:13: error: YAML syntax: mapping values are not allowed in this context\n  |\n3 | title: Ports: a primer\n  |             ^\nhelp: a value containing `: ` must be quoted, e.g. prompt: \"Port: what is it?\"\n"
        );
    }

    #[test]
    fn too_deep_nesting_names_the_limit() {
        assert_eq!(
            check(&format!(
                "a:\n{}",
                (1..40)
                    .map(|d| format!("{}k:\n", " ".repeat(d)))
                    .collect::<String>()
            )),
            "d.yaml:33:33: error: the file exceeds the limits for a deck file: it nests deeper than 32 levels\n   |\n33 |                                 k:\n   |                                 ^\nhelp: a deck cannot nest deeper than 32 levels, hold more than 250,000 YAML values, copy more than 100,000 values through aliases, or use more than 1,000 aliases; split a large deck into several files\n"
        );
    }
}

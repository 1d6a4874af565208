//! The only place that knows the YAML crate: parses text into a small located tree ([`Node`]) that the
//! validator walks. Keeping the tree generic lets validation report every problem in one pass (unknown keys,
//! missing keys, wrong types) instead of stopping at the first serde error.
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A position in the source text, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
    /// Where the value is written, as a byte range of the source (for an alias: where its anchor's value is).
    pub span: Span,
}

/// A byte range of the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

impl Node {
    /// The text of this value as written in `source` (the text it was parsed from), quotes included.
    pub fn written<'t>(&self, source: &'t str) -> &'t str {
        source
            .get(self.span.start..self.span.start.saturating_add(self.span.len))
            .unwrap_or_default()
    }
}

/// The value of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order, a key written twice included (the validator reports it and checks the
    /// first value: [`parse`] passes duplicates through, so they do not hide the file's other problems).
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A word for error messages: "a string", "a list", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML error: what kind of problem, where it happened, and the parser's own words (shown only for
/// kinds we have no wording of our own for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Option<Pos>,
    pub kind: SyntaxKind,
    /// The parser's message, first line, without its location.
    pub parser_message: String,
}

/// The kinds of YAML problem the validator explains in its own words. Decided from the parser's error
/// types, never from its wording, so a new parser release cannot silently change them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxKind {
    /// A key appears twice in one mapping (`None`: a key that is not text). Not produced while [`parse`]
    /// passes duplicates through to the validator.
    DuplicateKey(Option<String>),
    /// One of the limits [`parse`] sets on hostile input was passed.
    Limit(Limit),
    /// Flow collections (`[[[...`) nested past the parser's own recursion limit.
    TooDeep,
    /// A `---` line started a second document.
    MultipleDocuments,
    /// A key or list item where the indentation says something else was expected.
    Indentation,
    /// A `: ` inside an unquoted value.
    ColonInValue,
    /// An unclosed quote or a bad escape inside quotes.
    Quote,
    /// Anything else: the parser's message says what.
    Other,
}

/// Which budget of [`parse`] a file passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Depth,
    Nodes,
    AliasCopies,
    AnchorBytes,
    Aliases,
    Anchors,
    ScalarBytes,
    Other,
}

fn to_pos(loc: &serde_saphyr::Location) -> Pos {
    Pos {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        col: u32::try_from(loc.column()).unwrap_or(u32::MAX),
    }
}

/// Parses one YAML document into a [`Node`] tree, within budgets that keep hostile input cheap.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    // Each value costs the tree up to a few hundred bytes: at 1,000,000 a flat list of small values (an 8 MB
    // file can hold 4 million) passed 200 MB. 250,000 keeps such a file under 100 MB and still takes a single
    // deck of 20,000+ cards (an Anki import).
    budget.max_nodes = 250_000;
    // Events copied into anchors or replayed inside them: an alias bomb ("billion laughs") hits this after
    // 100,000 copies, a tenth of the event budget, so it is refused in milliseconds and a few MB instead of
    // building a million-node tree first (190 MB). Decks rarely use anchors at all.
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = 1024 * 1024;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Every entry reaches the tree, a repeated key too: the validator reports it as one problem among the
    // others instead of the whole file stopping at it (issue 28).
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    let spanned: Spanned<NodeValue> =
        serde_saphyr::from_str_with_options(text, options).map_err(|err| {
            let pos = err.location().map(|loc| to_pos(&loc));
            SyntaxError {
                pos,
                kind: kind_of(&err),
                parser_message: plain_message(&err),
            }
        })?;
    Ok(from_spanned(spanned))
}

/// The kind of a parser error, from its type (looking through the wrappers that add a snippet or the
/// anchor an alias came from).
fn kind_of(err: &serde_saphyr::Error) -> SyntaxKind {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::granit_parser::ErrorKind as Scan;
    use serde_saphyr::{Error, ExternalMessageSource};
    match err.without_snippet() {
        Error::AliasError { error, .. } => kind_of(error),
        Error::DuplicateMappingKey { key, .. } => SyntaxKind::DuplicateKey(key.clone()),
        Error::MultipleDocuments { .. } => SyntaxKind::MultipleDocuments,
        Error::Budget { breach, .. } => SyntaxKind::Limit(match breach {
            BudgetBreach::Depth { .. } => Limit::Depth,
            BudgetBreach::Nodes { .. } => Limit::Nodes,
            BudgetBreach::RecordedAnchorEvents { .. } => Limit::AliasCopies,
            BudgetBreach::RecordedAnchorBytes { .. } => Limit::AnchorBytes,
            BudgetBreach::Aliases { .. } | BudgetBreach::AliasAnchorRatio { .. } => Limit::Aliases,
            BudgetBreach::Anchors { .. } => Limit::Anchors,
            BudgetBreach::ScalarBytes { .. } => Limit::ScalarBytes,
            _ => Limit::Other,
        }),
        Error::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => match scan.kind() {
                Scan::RecursionLimitExceeded => SyntaxKind::TooDeep,
                Scan::ExpectedBlockMappingKey | Scan::ExpectedBlockSequenceEntry => {
                    SyntaxKind::Indentation
                }
                Scan::MappingValueNotAllowed => SyntaxKind::ColonInValue,
                Scan::UnclosedQuotedScalar
                | Scan::UnknownQuotedScalarEscape
                | Scan::InvalidQuotedScalarHexEscape
                | Scan::InvalidLowSurrogateHexEscape
                | Scan::InvalidLowSurrogate
                | Scan::MissingLowSurrogate
                | Scan::UnpairedLowSurrogate
                | Scan::InvalidUnicodeEscape
                | Scan::InvalidTrailingSingleQuotedScalar
                | Scan::InvalidTrailingDoubleQuotedScalar
                | Scan::InvalidQuotedScalarIndent
                | Scan::DocumentIndicatorInQuotedScalar => SyntaxKind::Quote,
                _ => SyntaxKind::Other,
            },
            _ => SyntaxKind::Other,
        },
        _ => SyntaxKind::Other,
    }
}

fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    // The crate appends " at line X, column Y"; we print locations ourselves.
    let text = match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    text.lines().next().unwrap_or_default().trim().to_string()
}

fn from_spanned(s: Spanned<NodeValue>) -> Node {
    let span = s.defined.span();
    let to_usize = |n: Option<u64>| n.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    Node {
        pos: to_pos(&s.referenced),
        value: s.value.0,
        span: Span {
            start: to_usize(span.byte_offset()),
            len: to_usize(span.byte_len()),
        },
    }
}

/// Deserialization target that keeps positions of every child.
struct NodeValue(Value);

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(NodeValue)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<NodeValue>>()? {
            items.push(from_spanned(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<NodeValue>>()? {
            let value = map.next_value::<Spanned<NodeValue>>()?;
            entries.push((from_spanned(key), from_spanned(value)));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_what_was_written_quotes_included() {
        let text = "a: 0755\nb: \"x y\"\nc: [yes, 'n', 1.10]\nd: &v 1.0\ne: *v\n";
        let node = parse(text).unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        let written: Vec<&str> = entries.iter().map(|(_, v)| v.written(text)).collect();
        assert_eq!(written, ["0755", "\"x y\"", "[", "1.0", "1.0"]);
        let Value::Seq(items) = &entries[2].1.value else {
            panic!()
        };
        let written: Vec<&str> = items.iter().map(|v| v.written(text)).collect();
        assert_eq!(written, ["yes", "'n'", "1.10"]);
    }

    #[test]
    fn positions_of_keys_and_values() {
        let node = parse("a: 1\nb:\n  - x\n  - {c: true}\n").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.value, Value::Int(1));
        assert_eq!(entries[1].0.pos, Pos { line: 2, col: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos { line: 3, col: 5 });
        assert_eq!(items[1].pos, Pos { line: 4, col: 5 });
    }

    /// Each kind the validator words itself, and where the parser puts it.
    #[test]
    fn syntax_errors_have_kinds_and_positions() {
        let at = |line, col| Some(Pos { line, col });
        let cases: [(&str, SyntaxKind, Option<Pos>); 9] = [
            ("a: b: c\n", SyntaxKind::ColonInValue, at(1, 5)),
            ("a:\n  b: 1\n c: 2\n", SyntaxKind::Indentation, at(3, 2)),
            ("- a\nb: c\n", SyntaxKind::Indentation, at(2, 1)),
            ("\"\\x\"", SyntaxKind::Quote, at(1, 1)),
            ("a: \"x\ny", SyntaxKind::Quote, at(1, 4)),
            ("a: 1\n---\nb: 2\n", SyntaxKind::MultipleDocuments, at(3, 1)),
            ("a: [1, 2\n", SyntaxKind::Other, at(1, 4)),
            ("a: *nope\n", SyntaxKind::Other, at(1, 4)),
            (&"[".repeat(300), SyntaxKind::TooDeep, at(1, 256)),
        ];
        for (text, kind, pos) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!((err.kind, err.pos), (kind, pos), "{text:?}");
        }
        let err = parse("a: [1, 2\n").expect_err("unclosed");
        assert_eq!(err.parser_message, "unclosed bracket '['");
    }

    #[test]
    fn hostile_input_hits_the_named_limit() {
        let deep: String = (0..40).map(|d| format!("{}k:\n", " ".repeat(d))).collect();
        let mut anchors = String::new();
        for i in 0..1001 {
            anchors.push_str(&format!("a{i}: &x{i} 1\n"));
        }
        let aliases = format!("a: &x 1\nb: [{}]\n", "*x, ".repeat(1001));
        let mut laughs = String::from("a0: &a0 [l, l, l, l, l, l, l, l, l]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let flat = format!("a: [{}0]\n", "0,".repeat(250_000));
        for (text, limit) in [
            (deep, Limit::Depth),
            (anchors, Limit::Anchors),
            (aliases, Limit::Aliases),
            (laughs, Limit::AliasCopies),
            (flat, Limit::Nodes),
        ] {
            let err = parse(&text).expect_err("over a limit");
            assert_eq!(err.kind, SyntaxKind::Limit(limit), "{}", err.parser_message);
        }
    }
}

//! The JSON Schema (`portquiz schema`, shipped as decks/deck.schema.json) and the loader agree: a real
//! JSON-Schema validator and `parse_deck` give the same verdict on every deck of tests/decks/schema/
//! (`ok-*` valid, `bad-*` invalid), but for the few a YAML 1.1 reader cannot tell apart (listed with their
//! reason, and they must stay refused by the loader); and every key of the schema has a description.
use std::path::Path;

use portquiz::authoring::deck_schema::deck_schema;
use portquiz::deck::parse_deck;
use serde_json::Value;

/// The verdict of the schema on `text` read as YAML (a file that is not YAML is invalid).
fn schema_accepts(validator: &jsonschema::Validator, text: &str) -> bool {
    serde_saphyr::from_str::<Value>(text).is_ok_and(|value| validator.is_valid(&value))
}

/// The decks portquiz refuses that the schema cannot: a YAML 1.1 reader (PyYAML, and serde-saphyr used
/// here) turns the text into a boolean or a number before any schema sees it, so the written form that
/// portquiz refuses (because YAML 1.2 readers read it differently) is gone. `portquiz check` explains each.
const YAML_11_READS_A_BOOLEAN_OR_A_NUMBER: [(&str, &str); 5] = [
    (
        "bad-table-cell-y.yaml",
        "`y` is a boolean to YAML 1.1, text to 1.2",
    ),
    (
        "bad-truefalse-answer-no.yaml",
        "`no` is false to YAML 1.1, text to 1.2",
    ),
    (
        "bad-truefalse-answer-on.yaml",
        "`on` is true to YAML 1.1, text to 1.2",
    ),
    (
        "bad-typed-exact-yes.yaml",
        "`yes` is true to YAML 1.1, text to 1.2",
    ),
    (
        "bad-typed-accept-octal.yaml",
        "`0755` is 493 to YAML 1.1, 755 to 1.2",
    ),
];

#[test]
fn the_schema_and_the_loader_give_one_verdict_on_every_deck_of_the_corpus() {
    let validator = jsonschema::validator_for(&deck_schema()).unwrap();
    let known = portquiz::library::known();
    let dir = Path::new("tests/decks/schema");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 40, "{} decks", files.len());
    let mut wrong = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let want = name.starts_with("ok-");
        let loader = parse_deck(&text, &name, &known).is_ok();
        let schema = schema_accepts(&validator, &text);
        let known = YAML_11_READS_A_BOOLEAN_OR_A_NUMBER
            .iter()
            .any(|(f, _)| *f == name);
        if known && (loader, schema) == (false, true) {
            continue;
        }
        if (loader, schema) != (want, want) || known {
            wrong.push(format!("{name}: loader {loader}, schema {schema}"));
        }
    }
    assert!(wrong.is_empty(), "verdicts differ:\n{}", wrong.join("\n"));
}

#[test]
fn every_key_of_the_schema_has_a_description() {
    fn walk(value: &Value, path: &str, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    for (key, prop) in props {
                        if prop.get("description").is_none() {
                            out.push(format!("{path}.{key}"));
                        }
                    }
                }
                // `allOf` holds the per-type rules, which narrow keys described once above.
                for (key, v) in map.iter().filter(|(k, _)| *k != "allOf") {
                    walk(v, &format!("{path}.{key}"), out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, path, out)),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(&deck_schema(), "", &mut missing);
    assert!(missing.is_empty(), "no description: {missing:?}");
}

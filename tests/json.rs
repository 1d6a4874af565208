//! The `--json` outputs: every one starts with `"format": 1`, speaks one vocabulary (no key called `id`; a
//! `card` always beside its `deck`), and has exactly the keys of its example in the README's "JSON output"
//! section. The README is read here, so the documentation cannot drift from the program; every `--json`
//! flag clap knows must be documented there. `stats` and `optimize` (optimized) need months of history:
//! tests/tools.rs checks them on the histories it already builds, through [`assert_documented`].
use std::collections::{BTreeMap, BTreeSet};

use clap::CommandFactory;
use portquiz::env::Exit;
use portquiz::practical::{self, Capability, Environment};
use serde_json::Value;

use crate::support::{Sandbox, Test, root};

const FIXTURE: &str = "tests/decks/good/study.yaml";

/// Documented outputs whose real output is checked in tests/tools.rs (they need a long history).
const CHECKED_IN_TOOLS: [&str; 2] = [
    "`portquiz stats --json`",
    "`portquiz optimize --json` (optimized)",
];

/// The README's examples, by label: "`portquiz decks --json`", "`portquiz optimize --json` (optimized)".
/// An entry is a line that starts with "`portquiz ", followed by a ```json block.
pub fn documented() -> BTreeMap<String, Value> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("\n### JSON output\n")
        .expect("README has a `### JSON output` section");
    let section = &readme[start + 1..];
    let end = section[4..]
        .find("\n#")
        .map_or(section.len(), |i| i + 4 + 1);
    let mut out = BTreeMap::new();
    let mut label: Option<String> = None;
    let mut lines = section[..end].lines();
    while let Some(line) = lines.next() {
        if line.starts_with("`portquiz ") {
            let close = line[1..].find('`').unwrap() + 2;
            let rest = &line[close..];
            let variant = match rest.strip_prefix(" (") {
                Some(inner) => &rest[..inner.find(')').unwrap() + 3],
                None => "",
            };
            label = Some(format!("{}{variant}", &line[..close]));
        } else if line == "```json" {
            let text: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            let example: Value = serde_json::from_str(&text.join("\n"))
                .unwrap_or_else(|e| panic!("README example after {label:?} is not JSON: {e}"));
            let label = label
                .take()
                .expect("a ```json block without a `portquiz ...` line above");
            assert!(
                out.insert(label.clone(), example).is_none(),
                "{label} twice"
            );
        }
    }
    out
}

/// Every key path of `value`: `decks`, `decks[].deck`, `today.reviews`; array elements are merged.
pub fn key_paths(value: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    out.insert(path.clone());
                    walk(inner, &path, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, "", &mut out);
    out
}

/// The vocabulary: `format` 1, no `id` key, and every object naming a `card` also names its `deck`.
fn assert_vocabulary(label: &str, value: &Value) {
    assert_eq!(value["format"], 1, "{label}: {value}");
    fn walk(label: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                assert!(!map.contains_key("id"), "{label}: a key `id` in {value}");
                assert!(
                    !map.contains_key("card") || map.contains_key("deck"),
                    "{label}: a `card` without its `deck` in {value}"
                );
                map.values().for_each(|v| walk(label, v));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(label, v)),
            _ => {}
        }
    }
    walk(label, value);
}

/// Checks one real output (the text printed) against the README's example labelled `label`: `format` first,
/// the vocabulary, and exactly the same key paths.
pub fn assert_documented(label: &str, stdout: &str) {
    assert!(
        stdout.starts_with("{\n  \"format\": 1,\n"),
        "{label}: `format` must come first:\n{stdout}"
    );
    let actual: Value = crate::support::json_unique(stdout);
    assert_vocabulary(label, &actual);
    let documented = documented();
    let example = documented
        .get(label)
        .unwrap_or_else(|| panic!("README documents no {label}"));
    let (want, got) = (key_paths(example), key_paths(&actual));
    let missing: Vec<&String> = want.difference(&got).collect();
    let undocumented: Vec<&String> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && undocumented.is_empty(),
        "{label}: documented in README but not printed: {missing:?}; printed but not documented: {undocumented:?}"
    );
}

/// The outputs checked here by running the binary: README label and arguments.
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    let decks = ["--deck", FIXTURE, "--deck", "study"];
    let with = |args: &[&'static str]| [args, &decks[..]].concat();
    vec![
        (
            "`portquiz check --json`",
            vec!["check", "--json", "tests/decks/warn/warnings.yaml"],
        ),
        ("`portquiz decks --json`", with(&["decks", "--json"])),
        ("`portquiz cards --json`", with(&["cards", "--json"])),
        (
            "`portquiz simulate --json`",
            with(&["simulate", "--days", "3", "--json"]),
        ),
        (
            "`portquiz optimize --json` (not enough data)",
            vec!["optimize", "--json"],
        ),
        ("`portquiz config --json`", vec!["config", "--json"]),
        (
            "`portquiz experiments --json`",
            vec!["experiments", "--json"],
        ),
    ]
}

#[test]
fn every_documented_output_has_the_documented_keys() {
    let sandbox = Sandbox::new();
    for (label, args) in cases() {
        let run = Test::on(&sandbox).args(&args).run();
        assert_documented(label, &run.stdout);
    }
}

#[test]
fn interview_json_is_the_documented_scorecard_and_stdout_holds_only_it() {
    // The first question (HTTPS's port, an open one) answered wrong and sure: a confident miss; then `q`.
    let run = Test::new()
        .args(&["interview", "--json"])
        .deck(FIXTURE, "study")
        .env("PORTQUIZ_SEED", "5")
        .stdin("80\ns\nq\n")
        .run();
    assert_documented("`portquiz interview --json`", &run.stdout);
}

#[test]
fn experiments_run_json_has_the_documented_keys_for_every_outcome() {
    use portquiz::commands::experiments::{Format, run_selected};
    let mut machine = Environment::detect();
    machine.ipv6_loopback = Capability::no("bind [::1]:0 gave EADDRNOTAVAIL");
    // Observed, not available here (no IPv6), and errored (a lab is not run).
    let chosen = [
        "tcp-udp-same-port",
        "dual-stack-v6only",
        "lab-start-listener",
    ]
    .map(|id| practical::find(id).unwrap());
    let mut out = Vec::new();
    let exit = run_selected(&mut out, &chosen, &machine, Format::Json).unwrap();
    assert_eq!(exit, Exit::Problems);
    let stdout = String::from_utf8(out).unwrap();
    let outcomes: Vec<Value> = crate::support::json_unique(&stdout)["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].clone())
        .collect();
    assert_eq!(outcomes, ["observed", "unavailable", "errored"]);
    assert_documented("`portquiz experiments run --json`", &stdout);
}

#[test]
fn the_readme_documents_every_json_flag_and_nothing_else() {
    // Every command path with a `--json` flag, from clap's definition.
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut BTreeSet<String>) {
        if cmd.get_arguments().any(|a| a.get_id() == "json") {
            out.insert(format!("`portquiz {prefix} --json`"));
        }
        for sub in cmd.get_subcommands() {
            let path = format!("{prefix} {}", sub.get_name());
            walk(sub, path.trim(), out);
        }
    }
    let mut flags = BTreeSet::new();
    walk(&portquiz::cli::Cli::command(), "", &mut flags);
    let documented = documented();
    // A label without its variant: "`portquiz optimize --json` (optimized)" documents `optimize --json`.
    let commands: BTreeSet<String> = documented
        .keys()
        .map(|label| label[..label[1..].find('`').unwrap() + 2].to_string())
        .collect();
    assert_eq!(commands, flags);
    // And every documented example is checked against a real output, here or in tests/tools.rs.
    let mut checked: BTreeSet<String> = cases().iter().map(|(l, _)| l.to_string()).collect();
    checked.insert("`portquiz experiments run --json`".into());
    checked.insert("`portquiz interview --json`".into());
    checked.extend(CHECKED_IN_TOOLS.map(String::from));
    assert_eq!(documented.keys().cloned().collect::<BTreeSet<_>>(), checked);
    // The examples follow the vocabulary too.
    for (label, example) in &documented {
        assert_vocabulary(label, example);
    }
}

#[test]
fn key_paths_merge_array_elements_and_nest() {
    let value = serde_json::json!({"format": 1, "a": [{"b": 1}, {"c": {"d": null}}], "e": [1, 2]});
    let paths: Vec<String> = key_paths(&value).into_iter().collect();
    assert_eq!(paths, ["a", "a[].b", "a[].c", "a[].c.d", "e", "format"]);
}

//! No circles between files under `src/`: reads every file's `crate::`, `super::` and `self::` paths (comments and
//! string literals left out), resolves each to the file that defines the module it names, and fails on a loop
//! of such references. A module file naming its own submodules (`mod x; pub use x::Y;`) is not a reference: a
//! module owns its children. The compiler cannot refuse a circle inside one crate; this test does.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::root;

/// References left out of the check, each `(from, to)`: none (deck/compile.rs -> validate -> follow.rs ->
/// compile::Source ended when `Source` moved to src/deck/source.rs).
const ALLOWED: &[(&str, &str)] = &[];

/// A file's module path (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `src/lib.rs` is the crate root).
fn module_of(path: &str) -> Vec<String> {
    let rel = path.trim_start_matches("src/").trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The text without its unit tests (from `#[cfg(test)]` before a `mod` to the end: tests sit at the end of a
/// file), comments and string literals (a doc link or a message naming a path is not a use).
fn code_only(text: &str) -> String {
    let text = match regex::Regex::new(r"#\[cfg\(test\)\]\s*(#\[[^\]]*\]\s*)*mod \w+ \{")
        .unwrap()
        .find(text)
    {
        Some(tests) => &text[..tests.start()],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            // A char literal holding a quote (`'"'`) must not open a string.
            '\'' if chars.peek() == Some(&'"') => {
                chars.next();
                out.push_str("'_");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The paths a file names, as module paths from the crate root (`a::b::Name`), `use` groups expanded, each
/// with whether it is a re-export (`pub use`): `crate::`, `super::` and `self::` paths, and paths that start
/// with one of the file's own submodules (`mod x;` ... `x::Y`, `x::f()`).
fn references(module: &[String], code: &str) -> Vec<(Vec<String>, bool)> {
    let children: Vec<String> =
        regex::Regex::new(r"(?m)^\s*(?:pub(?:\([a-z]+\))?\s+)?mod ([a-z_0-9]+);")
            .unwrap()
            .captures_iter(code)
            .map(|c| c[1].to_owned())
            .collect();
    let mut heads = String::from("crate|super|self");
    for child in &children {
        heads.push('|');
        heads.push_str(child);
    }
    let path = regex::Regex::new(&format!(
        r"(?:^|[^:A-Za-z0-9_])({heads})((?:::(?:[A-Za-z_][A-Za-z0-9_]*|\{{[^;]*?\}}))+)"
    ))
    .unwrap();
    let reexport = regex::Regex::new(r"^\s*pub(?:\([a-z]+\))?\s+use\b").unwrap();
    let mut found = Vec::new();
    for cap in path.captures_iter(code) {
        let at = cap.get(1).map_or(0, |m| m.start());
        let line = &code[code[..at].rfind('\n').map_or(0, |i| i + 1)..];
        let pub_use = reexport.is_match(line);
        let start: Vec<String> = match &cap[1] {
            "crate" => Vec::new(),
            // In `a/b.rs` and in `a/b/mod.rs` (both module a::b) `super` is `a`.
            "super" => module[..module.len().saturating_sub(1)].to_vec(),
            "self" => module.to_vec(),
            child => [module, &[child.to_owned()]].concat(),
        };
        let mut paths = Vec::new();
        expand(&start, &cap[2], &mut paths);
        found.extend(paths.into_iter().map(|p| (p, pub_use)));
    }
    found
}

/// Expands `::a::{b, c::D}` after `start` into whole paths.
fn expand(start: &[String], rest: &str, out: &mut Vec<Vec<String>>) {
    let mut path = start.to_vec();
    let mut rest = rest;
    while let Some(tail) = rest.strip_prefix("::") {
        if let Some(group) = tail.strip_prefix('{') {
            // Split the group at its top-level commas.
            let inner = &group[..group.rfind('}').unwrap_or(group.len())];
            let (mut depth, mut from) = (0, 0);
            let mut items = Vec::new();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&inner[from..i]);
                        from = i + 1;
                    }
                    _ => {}
                }
            }
            items.push(&inner[from..]);
            for item in items {
                let item = item.trim();
                let item = item.split(" as ").next().unwrap_or(item).trim();
                if item.is_empty() || item == "self" || item == "*" {
                    out.push(path.clone());
                    continue;
                }
                expand(&path, &format!("::{item}"), out);
            }
            return;
        }
        let end = tail.find("::").unwrap_or(tail.len());
        let segment = &tail[..end];
        if segment == "super" {
            path.pop();
        } else if segment != "*" {
            path.push(segment.to_owned());
        }
        rest = &tail[end..];
    }
    out.push(path);
}

#[test]
fn no_circle_between_files_under_src() {
    let src = root().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    // Module path -> file.
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for file in &files {
        modules.insert(module_of(file), file.clone());
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        // The binary sits above everything; unit-test files are not layers.
        if file == "src/main.rs" || file.ends_with("/tests.rs") {
            continue;
        }
        let module = module_of(file);
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for (reference, pub_use) in references(&module, &code_only(&text)) {
            // The longest prefix that is a file's module.
            let target = (0..=reference.len())
                .rev()
                .find_map(|n| modules.get(&reference[..n]))
                .cloned();
            let Some(target) = target else { continue };
            let target_module = module_of(&target);
            // A module handing on a name of its own submodules (`pub use x::Y`) is their face, not a layer
            // above them; the crate root only declares and re-exports.
            if (pub_use || module.is_empty()) && target_module.starts_with(&module) {
                continue;
            }
            let allowed = ALLOWED.contains(&(file.as_str(), target.as_str()));
            if target != *file && !allowed {
                edges.entry(file.clone()).or_default().insert(target);
            }
        }
    }
    let circles = circles(&edges);
    let found: Vec<String> = circles
        .iter()
        .map(|c| {
            let ties: Vec<String> = c
                .iter()
                .flat_map(|a| {
                    edges[a]
                        .iter()
                        .filter(|b| c.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            ties.join(", ")
        })
        .collect();
    assert!(
        found.is_empty(),
        "circles between files under src/:\n{}",
        found.join("\n")
    );
}

/// Every `.rs` file under `dir`, as `src/...` paths.
fn collect(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root()).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
}

/// The strongly connected components of more than one file, each sorted (Tarjan's algorithm).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w.as_str()]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w.as_str()) {
                    let low = self.low[v].min(self.index[w.as_str()]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn the_circle_check_sees_a_use_group_a_super_path_and_not_a_comment() {
    let module = vec!["a".to_owned(), "b".to_owned()];
    let code = code_only(
        "use crate::x::{y::Z, w};\nuse super::c::D;\n// crate::hidden::E\nlet s = \"crate::quoted\";\n",
    );
    let code =
        format!("mod child;\npub use child::F;\nuse child::G;\nfn f() {{ child::g(); }}\n{code}");
    let found: Vec<String> = references(&module, &code)
        .iter()
        .map(|(p, pub_use)| {
            format!(
                "{}{}",
                p.join("::"),
                if *pub_use { " (pub use)" } else { "" }
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "a::b::child::F (pub use)",
            "a::b::child::G",
            "a::b::child::g",
            "x::y::Z",
            "x::w",
            "a::c::D"
        ]
    );
    let mut edges = BTreeMap::new();
    edges.insert("p".to_owned(), BTreeSet::from(["q".to_owned()]));
    edges.insert("q".to_owned(), BTreeSet::from(["p".to_owned()]));
    edges.insert("r".to_owned(), BTreeSet::from(["p".to_owned()]));
    assert_eq!(circles(&edges), [vec!["p".to_owned(), "q".to_owned()]]);
}

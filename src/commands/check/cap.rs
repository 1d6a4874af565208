//! How many diagnostics `check` prints: at most [`PER_KIND`] of one kind (code and severity) per file, in file
//! order, then one line saying how many more of that kind there are; `check --all` prints every one. A
//! generated deck of 50,000 cards without `explain` is 20 excerpts and one line, not 250,000 lines, and the
//! hidden diagnostics are never rendered. Pure: diagnostics in, the text to print out.
use std::collections::HashMap;

use crate::deck::{Diagnostic, Severity};

/// Diagnostics of one kind shown per file.
pub(super) const PER_KIND: usize = 20;

/// What `check` prints of `all` (sorted by file, then position): each diagnostic shown rendered by `render`,
/// and after each file's, an `and N more ...` line per kind with more than `limit` (`None`: no limit).
pub(super) fn shown(
    all: &[&Diagnostic],
    limit: Option<usize>,
    mut render: impl FnMut(&Diagnostic) -> String,
) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < all.len() {
        let file = &all[i].file;
        let end = i + all[i..].iter().take_while(|d| &d.file == file).count();
        // Kinds in the order they first appear in the file, with how many of each.
        let mut seen: HashMap<(&str, Severity), usize> = HashMap::new();
        let mut order: Vec<(&str, Severity)> = Vec::new();
        for d in &all[i..end] {
            let n = seen.entry((d.code, d.severity)).or_insert(0);
            if *n == 0 {
                order.push((d.code, d.severity));
            }
            *n += 1;
            if limit.is_none_or(|l| *n <= l) {
                out.push_str(&render(d));
            }
            // Those of its kind the validator counted without keeping (`Diagnostic::more`).
            *n += d.more;
        }
        if let Some(limit) = limit {
            for kind in order {
                let n = seen.get(&kind).copied().unwrap_or(0);
                if n > limit {
                    out.push_str(&more(file, kind, n - limit));
                }
            }
        }
        i = end;
    }
    out
}

/// `FILE: and 49,980 more cards without `explain` (`check --all` prints every one)`.
fn more(file: &str, (code, severity): (&str, Severity), n: usize) -> String {
    let (one, many) = match code {
        "no-explain" => ("card without `explain`", "cards without `explain`"),
        "yaml-tab" => ("tab in the indentation", "tabs in the indentation"),
        "yaml-unclosed" => ("unclosed bracket", "unclosed brackets"),
        "yaml-missing-space" => ("missing space after a key", "missing spaces after a key"),
        "yaml-syntax" => ("YAML syntax error", "YAML syntax errors"),
        "unknown-key" => ("unknown key", "unknown keys"),
        "missing-key" => ("missing key", "missing keys"),
        "duplicate-id" => ("duplicate id", "duplicate ids"),
        "misread-value" => ("value YAML misreads", "values YAML misreads"),
        "own-answer-wrong" => ("own answer graded wrong", "own answers graded wrong"),
        "why-on-right-option" => ("`why` on a right option", "`why`s on right options"),
        _ => match severity {
            Severity::Error => ("error like these", "errors like these"),
            Severity::Warning => ("warning like these", "warnings like these"),
        },
    };
    format!(
        "{}: and {} more {} (`portquiz check --all` prints every one)\n",
        crate::safe::line(file),
        thousands(n),
        if n == 1 { one } else { many }
    )
}

/// `49980` as `49,980`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::yaml::Pos;

    fn at(file: &str, line: u32, code: &'static str, warning: bool) -> Diagnostic {
        let pos = Some(Pos { line, col: 1 });
        if warning {
            Diagnostic::warning(file, "", pos, code, format!("w{line}"))
        } else {
            Diagnostic::error(file, "", pos, code, format!("e{line}"))
        }
    }

    #[test]
    fn each_kind_is_cut_at_the_limit_per_file_with_a_count_of_the_rest() {
        let mut all: Vec<Diagnostic> = (1..=5)
            .map(|l| at("a.yaml", l, "no-explain", true))
            .collect();
        all.push(at("a.yaml", 6, "deck", false));
        all.extend((7..=9).map(|l| at("a.yaml", l, "deck", false)));
        all.extend((1..=3).map(|l| at("b.yaml", l, "no-explain", true)));
        let refs: Vec<&Diagnostic> = all.iter().collect();
        let line = |d: &Diagnostic| format!("{}:{}\n", d.file, d.message);
        assert_eq!(
            shown(&refs, Some(2), line),
            "a.yaml:w1\na.yaml:w2\na.yaml:e6\na.yaml:e7\n\
             a.yaml: and 3 more cards without `explain` (`portquiz check --all` prints every one)\n\
             a.yaml: and 2 more errors like these (`portquiz check --all` prints every one)\n\
             b.yaml:w1\nb.yaml:w2\n\
             b.yaml: and 1 more card without `explain` (`portquiz check --all` prints every one)\n"
        );
        assert_eq!(shown(&refs, None, line).lines().count(), 12);
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(
            [0, 999, 1000, 49_980, 1_234_567].map(thousands),
            ["0", "999", "1,000", "49,980", "1,234,567"]
        );
    }
}

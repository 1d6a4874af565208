//! Lints for text a deck file holds but the compiled deck lost or cannot use as meant (issue 28, "nothing
//! lost silently"): a ` #` that cut a plain value (YAML reads the rest as a comment), a key-like line
//! swallowed by a block scalar (`explain: >-` taking `hint:` as text), duplicate `follow_up` and `accept`
//! entries, and a choice option whose text is another option's number (`--plain` reads answers by number).
//! Pure and linear in the file size: one pass over the lines, one over the cards. Every diagnostic here is a
//! [`Severity::Warning`]; nothing is printed.
use std::collections::HashSet;

use super::diag::{Diagnostic, Lines, yaml_lines};
use super::id::CardType;
use super::model::{Card, CardKind, Deck};
use super::yaml::Pos;

/// Every warning about text lost or shadowed in `deck`, whose file's lines are `source`.
pub fn lint(deck: &Deck, source: &Lines) -> Vec<Diagnostic> {
    let mut out = scan_text(&deck.origin, source);
    for card in &deck.cards {
        out.extend(duplicates(deck, card, source));
        out.extend(number_options(deck, card, source));
    }
    out
}

/// The keys a card takes: a line of a block scalar that starts with one of them was likely meant as a key.
fn card_keys() -> HashSet<&'static str> {
    CardType::COMMON_KEYS
        .into_iter()
        .chain(CardType::type_only_keys())
        .collect()
}

/// An open block scalar: the indentation its key line had, its key and line, and its content's
/// indentation once the first content line is seen.
struct Block {
    parent: usize,
    key: String,
    line: usize,
    indent: Option<usize>,
}

/// One pass over the lines: ` #` in plain values, and key-like lines inside block scalars.
fn scan_text(file: &str, source: &Lines) -> Vec<Diagnostic> {
    let keys = card_keys();
    let mut out = Vec::new();
    let mut block: Option<Block> = None;
    for (i, line) in yaml_lines(source.text()).enumerate() {
        let number = i + 1;
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(b) = &mut block {
            if blank {
                continue;
            }
            if indent > b.parent {
                let content = *b.indent.get_or_insert(indent);
                let rest = line.trim_start();
                if let Some((key, _)) = key_value(rest)
                    && keys.contains(key)
                    && indent <= content
                {
                    out.push(
                        warning(file, source, number, indent + 1, key.len() + 1, "key-in-block-scalar", format!(
                            "`{key}:` is text of the block scalar `{}` (line {}), not a key: the card has no `{key}`",
                            b.key, b.line
                        ))
                        .help(format!(
                            "to make `{key}` a key, indent it like `{}:` ({} spaces); to keep it as text, rephrase it without the colon",
                            b.key, b.parent
                        )),
                    );
                }
                continue;
            }
            block = None;
        }
        let Some((start, key, value)) = entry(line) else {
            continue;
        };
        let value_trimmed = value.trim_end();
        if is_block_header(value_trimmed) {
            if let Some(key) = key {
                block = Some(Block {
                    parent: start,
                    key: key.to_string(),
                    line: number,
                    indent: None,
                });
            }
            continue;
        }
        if let Some(d) = cut_comment(file, source, number, line, key, value) {
            out.push(d);
        }
    }
    out
}

/// A line's entry: the column (0-based, in bytes) where its key starts, the key (none for a bare list
/// item), and the value text after `key: ` or `- `. `None` for comments, blank lines and other shapes.
fn entry(line: &str) -> Option<(usize, Option<&str>, &str)> {
    let mut rest = line.trim_start_matches(' ');
    let mut item = false;
    while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("-\t")) {
        rest = after.trim_start_matches(' ');
        item = true;
    }
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let start = line.len() - rest.len();
    match key_value(rest) {
        Some((key, value)) => Some((start, Some(key), value)),
        None if item => Some((start, None, rest)),
        None => None,
    }
}

/// `key: value` (or `key:` at the end of the line) with a plain key of letters, digits, `_` and `-`.
fn key_value(text: &str) -> Option<(&str, &str)> {
    let (key, value) = match text.split_once(':') {
        Some((key, value)) if value.is_empty() || value.starts_with([' ', '\t']) => (key, value),
        _ => return None,
    };
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    plain.then(|| (key, value.trim_start_matches([' ', '\t'])))
}

/// Whether a value opens a block scalar: `|` or `>`, with optional chomping and indentation indicators.
fn is_block_header(value: &str) -> bool {
    let value = value.split(" #").next().unwrap_or_default().trim_end();
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// A plain value that ` #` cut: YAML keeps the text before it and drops the rest as a comment.
fn cut_comment(
    file: &str,
    source: &Lines,
    number: usize,
    line: &str,
    key: Option<&str>,
    value: &str,
) -> Option<Diagnostic> {
    // Quoted, flow, alias, tag and other non-plain values: a `#` there is either text or not a cut.
    if value.is_empty()
        || value.starts_with(['"', '\'', '[', '{', '&', '*', '!', '%', '@', '`', '#'])
    {
        return None;
    }
    let cut = value.find(" #").or_else(|| value.find("\t#"))?;
    let kept = value[..cut].trim_end();
    let lost = value[cut + 1..].trim_end();
    // `port: 22  # ssh` and other short notes after two spaces are comments written on purpose.
    if value[..cut].ends_with(' ') || value[..cut].ends_with('\t') || kept.is_empty() {
        return None;
    }
    let offset = line.len() - value.len() + cut + 1;
    let col = line[..offset].chars().count() + 1;
    let whole = value.trim_end();
    let what = key.map_or_else(|| "this list item".to_string(), |k| format!("`{k}`"));
    let quoted = quote(whole);
    let fix = key.map_or_else(|| format!("- {quoted}"), |k| format!("{k}: {quoted}"));
    Some(
        warning(
            file,
            source,
            number,
            col,
            lost.chars().count(),
            "comment-in-value",
            format!("`{lost}` is a YAML comment, not part of {what}, which holds only \"{kept}\""),
        )
        .help(format!(
            "` #` starts a comment in a plain value; quote the value to keep the `#`: {fix}"
        )),
    )
}

/// `text` as a YAML double-quoted scalar (or single-quoted when it has `"` or `\`).
fn quote(text: &str) -> String {
    if text.contains(['"', '\\']) {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        format!("\"{text}\"")
    }
}

/// Duplicate `follow_up` entries and `accept` answers of one card.
fn duplicates(deck: &Deck, card: &Card, source: &Lines) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for to in &card.follow_up {
        if !seen.insert(to) {
            out.push(
                card_warning(
                    deck,
                    card,
                    source,
                    "duplicate-follow-up",
                    format!("card `{}` lists the follow-up `{to}` twice", card.id),
                )
                .help("remove the second one: an interviewer asks each follow-up once"),
            );
        }
    }
    if let CardKind::Typed { accept, .. } = &card.kind {
        let mut seen = HashSet::new();
        for answer in accept {
            if !seen.insert(super::answer::fold(answer)) {
                out.push(
                    card_warning(deck, card, source, "duplicate-accept", format!(
                        "card `{}` accepts `{answer}` twice (answers are compared without case and extra spaces)",
                        card.id
                    ))
                    .help("remove the second one; to accept another spelling, write that spelling"),
                );
            }
        }
    }
    out
}

/// A choice option whose text is the number of another option: `--plain` reads `2` as option 2.
fn number_options(deck: &Deck, card: &Card, source: &Lines) -> Vec<Diagnostic> {
    let CardKind::Choice { options, .. } = &card.kind else {
        return Vec::new();
    };
    options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let n: usize = o.text.trim().parse().ok()?;
            (n >= 1 && n <= options.len() && n != i + 1).then(|| {
                card_warning(deck, card, source, "number-option", format!(
                    "option {} of card `{}` is the number {n}, which is also the number of option {n}: answering `{n}` picks option {n}",
                    i + 1,
                    card.id
                ))
                .help(format!(
                    "`--plain` reads `{n}` as option {n} (the text only in quotes: `\"{n}\"`); reorder the options so that `{n}` is option {n}, or write the option as text (e.g. \"port {n}\")"
                ))
            })
        })
        .collect()
}

/// A warning at `line`:`col` of `file`, underlining `width` characters.
fn warning(
    file: &str,
    source: &Lines,
    line: usize,
    col: usize,
    width: usize,
    code: &'static str,
    message: String,
) -> Diagnostic {
    let pos = Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
    };
    Diagnostic::warning(file, source, Some(pos), code, message).width(width)
}

/// A warning at the start of `card` (its `- id:` line), the caret on its first key.
pub(super) fn card_warning(
    deck: &Deck,
    card: &Card,
    source: &Lines,
    code: &'static str,
    message: String,
) -> Diagnostic {
    let line = source.line(card.line).unwrap_or_default();
    let col = line.find(|c: char| c != ' ' && c != '-').unwrap_or(0) + 1;
    warning(
        &deck.origin,
        source,
        card.line as usize,
        col,
        1,
        code,
        message,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn warnings(text: &str) -> String {
        let known = crate::library::known();
        let deck = crate::deck::parse_deck(text, "t.yaml", &known).unwrap();
        lint(&deck, &Lines::new(text))
            .iter()
            .map(Diagnostic::render)
            .collect()
    }

    const HEAD: &str = "format: 1\nid: t\ntitle: T\ncards:\n";

    #[test]
    fn a_hash_after_one_space_cuts_a_plain_value_and_is_warned_with_a_quoted_fix() {
        let text = format!(
            "{HEAD}  - id: a\n    type: flashcard\n    prompt: Q\n    answer: A semicolon ; not a # like shell comments\n  - id: b\n    type: flashcard\n    prompt: Q\n    answer: 22  # on purpose\n"
        );
        assert_eq!(
            warnings(&text),
            "t.yaml:8:33: warning: `# like shell comments` is a YAML comment, not part of `answer`, which holds only \"A semicolon ; not a\"\n  |\n8 |     answer: A semicolon ; not a # like shell comments\n  |                                 ^^^^^^^^^^^^^^^^^^^^^\nhelp: ` #` starts a comment in a plain value; quote the value to keep the `#`: answer: \"A semicolon ; not a # like shell comments\"\n"
        );
    }

    #[test]
    fn a_key_indented_into_a_block_scalar_is_warned() {
        let text = format!(
            "{HEAD}  - id: a\n    type: flashcard\n    prompt: Q\n    answer: A\n    explain: >-\n      Some text.\n      hint: think # of it\n"
        );
        assert_eq!(
            warnings(&text),
            "t.yaml:11:7: warning: `hint:` is text of the block scalar `explain` (line 9), not a key: the card has no `hint`\n   |\n11 |       hint: think # of it\n   |       ^^^^^\nhelp: to make `hint` a key, indent it like `explain:` (4 spaces); to keep it as text, rephrase it without the colon\n"
        );
    }

    #[test]
    fn duplicate_follow_ups_and_accepts_and_number_options_are_warned() {
        let text = format!(
            "{HEAD}  - id: a\n    type: typed\n    prompt: Q\n    accept: [SSH, ssh]\n    follow_up: [b, b]\n  - id: b\n    type: choice\n    prompt: Q\n    options: [\"2\", \"1\", \"3\"]\n    answer: 1\n"
        );
        let w = warnings(&text);
        let heads: Vec<&str> = w.lines().filter(|l| l.starts_with("t.yaml")).collect();
        assert_eq!(
            heads,
            [
                "t.yaml:5:5: warning: card `a` lists the follow-up `t/b` twice",
                "t.yaml:5:5: warning: card `a` accepts `ssh` twice (answers are compared without case and extra spaces)",
                "t.yaml:10:5: warning: option 1 of card `b` is the number 2, which is also the number of option 2: answering `2` picks option 2",
                "t.yaml:10:5: warning: option 2 of card `b` is the number 1, which is also the number of option 1: answering `1` picks option 1",
            ]
        );
    }
}

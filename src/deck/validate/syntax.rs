//! YAML syntax errors in our words: each [`SyntaxKind`] the parser reports becomes a message and a fix;
//! and the mistakes authors make most ([`scan`]: a tab in the indentation, `prompt:What` without a space,
//! an unclosed `[`), found by reading the lines before the parser does, so that each is reported where it
//! is (the parser notices them a line later, in its own words) and repaired, so the rest of the file can
//! still be checked.
use crate::deck::diag::yaml_lines;
use crate::deck::yaml::{Limit, Pos, SyntaxError, SyntaxKind};

/// A mistake [`scan`] found: where, how wide, what and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Slip {
    pub(super) pos: Pos,
    pub(super) width: usize,
    pub(super) message: String,
    pub(super) help: String,
    pub(super) code: &'static str,
}

/// Reads `text` line by line for the mistakes the parser reports badly, and returns them with the text
/// repaired (same lines, so positions keep): tabs in an indentation become spaces, a missing space after
/// one of `keys` is added, an unclosed `[` or `{` is closed at the end of its last line. Block scalars
/// (`|`, `>`) and quoted text are skipped.
pub(super) fn scan(text: &str, keys: &[&str]) -> (Vec<Slip>, String) {
    let mut lines: Vec<String> = yaml_lines(text).map(str::to_string).collect();
    let unit = lines
        .iter()
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|&n| n > 0 && n <= 8)
        .min()
        .unwrap_or(2);
    let mut slips = Vec::new();
    // Open brackets: (the bracket, its line index, its column), and where each line's content ends.
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    let mut content_end: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut block: Option<usize> = None;
    for i in 0..lines.len() {
        let line = lines[i].clone();
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        content_end.push(line.len());
        if let Some(parent) = block {
            if blank || indent > parent {
                continue;
            }
            block = None;
        }
        if blank {
            continue;
        }
        // A line that starts a key or a list item at or left of an unclosed bracket's line ends it.
        if !open.is_empty() && quote.is_none() {
            let (_, first_line, _) = open[0];
            let opener_indent = lines[first_line].len() - lines[first_line].trim_start().len();
            let rest = line.trim_start();
            if indent <= opener_indent && (rest.starts_with("- ") || key_of(rest).is_some()) {
                close(&mut lines, &mut slips, &mut open, &content_end, i);
            }
        }
        if quote.is_none() && open.is_empty() {
            let lead = &line[..indent];
            if let Some(tab) = lead.find('\t') {
                slips.push(Slip {
                    pos: Pos {
                        line: line_no(i),
                        col: col_no(&line, tab),
                    },
                    width: 1,
                    message: "a tab in the indentation: YAML indents with spaces only".to_string(),
                    help: "replace the tab with spaces".to_string(),
                    code: "yaml-tab",
                });
                // Read on as a sibling of the line above (its key, past any `- `), the likeliest intent.
                let above = (0..i)
                    .rev()
                    .map(|j| lines[j].as_str())
                    .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
                let width =
                    above.map_or(unit, |l| l.len() - l.trim_start_matches([' ', '-']).len());
                lines[i] = format!("{}{}", " ".repeat(width), &line[indent..]);
            }
        }
        let line = lines[i].clone();
        let indent = line.len() - line.trim_start().len();
        // Past the indentation and any `- ` of list items: where a key or a value starts.
        let mut start = indent;
        while quote.is_none() && open.is_empty() && line[start..].starts_with("- ") {
            start += 2 + (line[start + 2..].len() - line[start + 2..].trim_start().len());
        }
        if quote.is_none()
            && open.is_empty()
            && let Some(key) = key_of(&line[start..])
            && keys.contains(&key)
        {
            let colon = start + key.len();
            let after = &line[colon + 1..];
            if !after.is_empty() && !after.starts_with([' ', '\t']) {
                slips.push(Slip {
                    pos: Pos { line: line_no(i), col: col_no(&line, colon) + 1 },
                    width: 1,
                    message: format!("a space is missing after `{key}:`, so YAML reads the line as one piece of text"),
                    help: format!("write `{key}: {after}`"),
                    code: "yaml-missing-space",
                });
                lines[i] = format!("{}: {after}", &line[..colon]);
            }
        }
        let line = lines[i].clone();
        let (end, opens_block) = walk(&line, i, start, &mut quote, &mut open);
        content_end[i] = end;
        if opens_block {
            let key_col = line.len() - line.trim_start_matches([' ', '-']).len();
            block = Some(key_col);
        }
    }
    if !open.is_empty() {
        let last = lines.len();
        close(&mut lines, &mut slips, &mut open, &content_end, last);
    }
    slips.sort_by_key(|s| s.pos);
    let mut repaired = lines.join("\n");
    repaired.push('\n');
    (slips, repaired)
}

/// `text` with line `line` (1-based) made spaces, so the parser can read past it and positions keep.
pub(super) fn blank_line(text: &str, line: u32) -> String {
    let mut out: Vec<String> = yaml_lines(text).map(str::to_string).collect();
    if let Some(l) = out.get_mut(line.saturating_sub(1) as usize) {
        *l = " ".repeat(l.chars().count());
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// Whether a problem at `pos` is only the loss of line `line` of `text` (blanked for the parser): it sits
/// where the mapping that held the line starts, where a missing key is reported.
pub(super) fn lost_with(text: &str, line: u32, pos: Option<Pos>) -> bool {
    let Some(pos) = pos else {
        return false;
    };
    let lines: Vec<&str> = yaml_lines(text).collect();
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let index = line.saturating_sub(1) as usize;
    let Some(indent) = lines.get(index).map(|l| indent_of(l)) else {
        return false;
    };
    // Where the mapping that held the line starts, and the key that holds that mapping (if any).
    let first = lines.iter().position(content).unwrap_or(0);
    let mut start = (first, 1);
    let mut parent = None;
    for j in (0..index).rev() {
        let l = lines[j];
        if !content(&l) || indent_of(l) >= indent {
            continue;
        }
        let rest = l.trim_start();
        if rest.starts_with("- ") {
            let key = indent_of(l) + (rest.len() - rest.trim_start_matches(['-', ' ']).len());
            start = (j, key + 1);
        } else {
            let k = (j + 1..index)
                .find(|&k| content(&lines[k]))
                .unwrap_or(index);
            start = (k, lines.get(k).map_or(indent, |l| indent_of(l)) + 1);
            parent = Some((j, 0));
        }
        break;
    }
    let at = |(line, col): (usize, usize)| pos.line == line_no(line) && pos.col as usize == col;
    // On the key that held the mapping, anything (its value is what was lost) is part of the loss.
    at(start) || parent.is_some_and(|(line, _)| pos.line == line_no(line))
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The 1-based column (in characters, as the parser counts) of byte `byte` of `line`.
fn col_no(line: &str, byte: usize) -> u32 {
    let chars = line.get(..byte).map_or(byte, |l| l.chars().count());
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

/// The key `text` starts with, when it starts like `name:` (letters, digits, `_`, `-`).
fn key_of(text: &str) -> Option<&str> {
    let end = text.find(':')?;
    let key = &text[..end];
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

/// Reports every bracket still open and closes them at the end of the last line with content before
/// line index `before`.
fn close(
    lines: &mut [String],
    slips: &mut Vec<Slip>,
    open: &mut Vec<(char, usize, usize)>,
    content_end: &[usize],
    before: usize,
) {
    let Some(last) = (0..before)
        .rev()
        .find(|&j| !lines[j].trim().is_empty() && !lines[j].trim_start().starts_with('#'))
    else {
        open.clear();
        return;
    };
    let mut closers = String::new();
    for &(bracket, line, byte) in open.iter() {
        let closer = if bracket == '[' { ']' } else { '}' };
        closers.insert(0, closer);
        let (what, example) = if bracket == '[' {
            ("list", "[a, b]")
        } else {
            ("mapping", "{a: 1, b: 2}")
        };
        slips.push(Slip {
            pos: Pos {
                line: line_no(line),
                col: col_no(&lines[line], byte),
            },
            width: 1,
            message: format!("this `{bracket}` is never closed"),
            help: format!("close the {what} with `{closer}`, e.g. {example}"),
            code: "yaml-unclosed",
        });
    }
    let end = content_end
        .get(last)
        .copied()
        .unwrap_or(lines[last].len())
        .min(lines[last].len());
    lines[last].insert_str(end, &closers);
    open.clear();
}

/// Walks one line from `start` (where its value begins), tracking quotes and flow brackets. Returns where
/// its content ends (before a comment) and whether it opens a block scalar (`|`, `>`).
fn walk(
    line: &str,
    index: usize,
    start: usize,
    quote: &mut Option<char>,
    open: &mut Vec<(char, usize, usize)>,
) -> (usize, bool) {
    // A quote or a bracket is an indicator only where a value starts.
    let mut at_value = true;
    let mut prev = ' ';
    let mut chars = line[start..]
        .char_indices()
        .map(|(b, c)| (b + start, c))
        .peekable();
    while let Some((b, c)) = chars.next() {
        match *quote {
            Some(q) => {
                if c == q {
                    if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        *quote = None;
                        at_value = false;
                    }
                } else if q == '"' && c == '\\' {
                    chars.next();
                }
            }
            None => match c {
                '#' if prev == ' ' || prev == '\t' || b == 0 => return (b, false),
                '"' | '\'' if at_value => *quote = Some(c),
                '[' | '{' if at_value || !open.is_empty() => {
                    open.push((c, index, b));
                    at_value = true;
                }
                ']' | '}' if !open.is_empty() => {
                    open.pop();
                    at_value = false;
                }
                ',' if !open.is_empty() => at_value = true,
                ':' if chars.peek().is_none_or(|&(_, n)| n == ' ') => at_value = true,
                '-' if at_value && chars.peek().is_some_and(|&(_, n)| n == ' ') => {}
                '|' | '>' if at_value && open.is_empty() => {
                    let rest = line[b + 1..].trim();
                    let rest = rest.split(" #").next().unwrap_or_default().trim();
                    return (
                        line.len(),
                        rest.chars()
                            .all(|r| r == '+' || r == '-' || r.is_ascii_digit()),
                    );
                }
                ' ' | '\t' => {}
                _ => at_value = false,
            },
        }
        prev = c;
    }
    (line.len(), false)
}

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
    use super::super::test_support::{check, check_cards};

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
            "d.yaml:1:1: error: the deck has no cards\n  |\n1 | format: 1\n  | ^\nhelp: add a `cards:` list (or a `tables:` entry) with at least one card\nd.yaml:5:2: error: YAML syntax: while parsing a block mapping, did not find expected key\n  |\n5 |  y: 2\n  |  ^\nhelp: check the indentation: keys of one mapping must line up, list items start with `- `\n"
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

    #[test]
    fn a_tab_is_pointed_at_and_the_rest_is_checked() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ncards:\n  - id: a\n  \ttype: flashcard\n    prompt: P\n    answer: A\n  - id: B\n    type: flashcard\n    prompt: P\n    answer: A\n"
            ),
            "d.yaml:6:3: error: a tab in the indentation: YAML indents with spaces only\n  |\n6 |    type: flashcard\n  |   ^\nhelp: replace the tab with spaces\nd.yaml:9:9: error: bad id `B`: it contains 'B'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n9 |   - id: B\n  |         ^\nhelp: use `b`\n"
        );
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at_where_it_opens() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ncards:\n  - id: a\n    type: typed\n    prompt: P\n    accept: [a, b\n    explain: E\n  - id: b\n    type: typo\n    prompt: P\n    answer: A\n"
            ),
            "d.yaml:8:13: error: this `[` is never closed\n  |\n8 |     accept: [a, b\n  |             ^\nhelp: close the list with `]`, e.g. [a, b]\nd.yaml:11:11: error: unknown card type `typo`\n   |\n11 |     type: typo\n   |           ^^^^\nhelp: did you mean `typed`? (types: flashcard, choice, truefalse, typed, practical, lab)\n"
        );
    }

    #[test]
    fn a_missing_space_after_a_key_is_pointed_at() {
        assert_eq!(
            check_cards(
                "  - id: a\n    type: flashcard\n    prompt:What is a port?\n    answer: A\n"
            ),
            "d.yaml:7:12: error: a space is missing after `prompt:`, so YAML reads the line as one piece of text\n  |\n7 |     prompt:What is a port?\n  |            ^\nhelp: write `prompt: What is a port?`\n"
        );
    }

    #[test]
    fn every_syntax_error_is_reported_and_what_is_left_is_checked() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: Ports: a primer\ncards:\n  - id: a\n    type: flashcard\n    prompt: \"P\n    answer: A\n  - id: b\n    type: flashcard\n    prompt: P\n    answer: yes\n"
            ),
            "d.yaml:3:13: error: YAML syntax: mapping values are not allowed in this context\n  |\n3 | title: Ports: a primer\n  |             ^\nhelp: a value containing `: ` must be quoted, e.g. prompt: \"Port: what is it?\"\nd.yaml:7:13: error: YAML syntax: unclosed quote\n  |\n7 |     prompt: \"P\n  |             ^\nhelp: close the quote, or escape the character\nd.yaml:12:13: error: `answer` is text, but YAML reads `yes` as the boolean true\n   |\n12 |     answer: yes\n   |             ^^^\nhelp: quote it to keep it as written: \"yes\"\n"
        );
    }
}

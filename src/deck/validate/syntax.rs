//! YAML syntax errors in our words: each [`SyntaxKind`] the parser reports becomes a message and a fix;
//! and the mistakes authors make most ([`scan`]: a tab in the indentation, `prompt:What` without a space,
//! an unclosed `[`), found by reading the lines before the parser does, so that each is reported where it
//! is (the parser notices them a line later, in its own words) and repaired, so the rest of the file can
//! still be checked.
use std::borrow::Cow;
use std::collections::HashSet;

use crate::deck::diag::{Lines, yaml_lines};
use crate::deck::yaml::{Limit, Pos, SyntaxError, SyntaxKind};

/// A mistake [`scan`] found: where, how wide, what and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Slip {
    pub(super) pos: Pos,
    pub(super) width: usize,
    pub(super) message: String,
    pub(super) help: String,
    pub(super) code: &'static str,
    /// A second place that explains it (where the parser would have noticed an unclosed quote).
    pub(super) note: Option<(Pos, String)>,
}

/// Reads `text` line by line for the mistakes the parser reports badly, and returns them with the text
/// repaired (same lines, so positions keep): tabs in an indentation become spaces, a missing space after
/// one of `keys` is added, a key indented under a plain value is lined up with the key above, a value
/// starting with a character YAML reserves is quoted, an unclosed quote is closed at the end of its
/// value, an unclosed `[` or `{` at the end of its last line, and the keys a block scalar (`|`, `>`) took
/// in as text are moved left, out of it. Other block scalars and quoted text are skipped.
///
/// Each repair is reported once, where the mistake is (the quote that opens, not the lines the parser
/// would stumble on after it): the parser, reading the repaired text, reports no errors that follow.
///
/// Linear in the size of the text: each line is read and repaired once, relative to the text as written
/// (never to a line already repaired, whose indentation could grow with every line of a tab-indented file);
/// a block scalar looks ahead one line past a key it holds, and the search for where the parser would
/// notice an unclosed quote resumes where the last one stopped.
pub(super) fn scan<'t>(text: &'t str, keys: &[&str]) -> (Vec<Slip>, Cow<'t, str>) {
    let original: Vec<&str> = yaml_lines(text).collect();
    // The lines as read: as written, but moved left where a block scalar had swallowed them.
    let mut view: Vec<&str> = original.clone();
    // How far each line was moved left (for the columns of the slips on it).
    let mut shift: Vec<usize> = vec![0; original.len()];
    // Repaired lines only are copied: a clean file is read without a copy.
    let mut lines: Vec<Cow<str>> = original.iter().map(|l| Cow::Borrowed(*l)).collect();
    let unit = original
        .iter()
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|&n| n > 0 && n <= 8)
        .min()
        .unwrap_or(2);
    let tabbed = tab_neighbours(&original);
    let mut slips = Vec::new();
    // Open brackets: (the bracket, its line index, its column), and where each line's content ends.
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    let mut content_end: Vec<usize> = Vec::new();
    let mut quote: Option<OpenQuote> = None;
    let mut block: Option<Block> = None;
    // Lines a block scalar swallowed, moved left: by how much, while indented deeper than which column.
    let mut dedent: Option<(usize, usize)> = None;
    let mut anchors: HashSet<String> = HashSet::new();
    let mut finder = QuoteFinder::default();
    // The last line with content before the current one (for a tab's repair and for closing brackets).
    let mut above: Option<usize> = None;
    // The key of the line above and its column, when its value is plain text that ends on that line.
    let mut plain_above: Option<(usize, String)> = None;
    // The key columns of the two lines with content before this one (past any `- `): a key line up with
    // the one before the line above is where it belongs, whatever the line above did.
    let mut cols: [Option<usize>; 2] = [None; 2];
    for i in 0..lines.len() {
        if let Some((by, parent)) = dedent {
            let written = original[i];
            let spaces = written.len() - written.trim_start_matches(' ').len();
            if is_blank(written) || spaces > parent {
                if spaces >= by {
                    view[i] = &written[by..];
                    lines[i] = Cow::Borrowed(view[i]);
                    shift[i] = by;
                }
            } else {
                dedent = None;
            }
        }
        let line = view[i];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let blank = is_blank(line);
        content_end.push(line.len());
        if let Some(b) = &mut block {
            if blank {
                continue;
            }
            if indent > b.parent {
                let content = *b.content.get_or_insert(indent);
                let swallowed = (indent <= content)
                    .then(|| key_line(&line[indent..]))
                    .flatten()
                    .filter(|k| keys.contains(k) && LIST_KEYS.contains(k))
                    .filter(|_| list_follows(&original, i, indent));
                let Some(key) = swallowed else { continue };
                let by = indent - b.parent;
                slips.push(b.swallowed(key, line_no(i), by));
                dedent = Some((by, b.parent));
                view[i] = &line[by..];
                lines[i] = Cow::Borrowed(view[i]);
                shift[i] = by;
            }
            block = None;
        }
        let line = view[i];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if blank {
            continue;
        }
        // A line that starts a key or a list item at or left of the key whose quoted value is still
        // open ends that value: its quote was never closed.
        if let Some(q) = quote
            && indent <= q.key_col
            && starts_entry(&line[indent..])
        {
            if let Some(last) = above {
                let noticed = finder.next(&original, i, q.quote);
                slips.push(close_quote(&mut lines, q, last, noticed, &original));
                content_end[last] = lines[last].len();
            }
            quote = None;
        }
        // A line that starts a key or a list item at or left of an unclosed bracket's line ends it.
        if !open.is_empty() && quote.is_none() {
            let (_, first_line, _) = open[0];
            let opener_indent = lines[first_line].len() - lines[first_line].trim_start().len();
            let rest = line.trim_start();
            if indent <= opener_indent && (rest.starts_with("- ") || key_of(rest).is_some()) {
                close(&mut lines, &mut slips, &mut open, &content_end, above);
            }
        }
        if quote.is_none() && open.is_empty() {
            let lead = &line[..indent];
            if let Some(tab) = lead.find('\t') {
                let mixed = lead.contains(' ');
                let width = if tabbed[i] {
                    // Indented with tabs (a neighbour is too): each tab is a level of TAB_WIDTH columns.
                    lead.chars()
                        .map(|c| if c == '\t' { TAB_WIDTH } else { 1 })
                        .sum()
                } else {
                    // One tab in a file indented with spaces: read on as a sibling of the line above (its
                    // key, past any `- `), the likeliest intent.
                    above.map_or(unit, |j| {
                        let l = view[j];
                        l.len() - l.trim_start_matches([' ', '-']).len()
                    })
                };
                let (message, help, code) = if mixed {
                    (
                        "this indentation mixes spaces and a tab: YAML indents with spaces only",
                        format!(
                            "indent the line with {width} spaces and no tab: `{}` starts at column {}",
                            line[indent..].trim_end(),
                            width + 1
                        ),
                        "yaml-tab-mixed",
                    )
                } else {
                    (
                        "a tab in the indentation: YAML indents with spaces only",
                        "replace the tab with spaces".to_string(),
                        "yaml-tab",
                    )
                };
                slips.push(Slip {
                    pos: Pos {
                        line: line_no(i),
                        col: col_no(line, tab),
                    },
                    width: 1,
                    message: message.to_string(),
                    help,
                    code,
                    note: None,
                });
                lines[i] = Cow::Owned(format!("{}{}", " ".repeat(width), &line[indent..]));
            }
        }
        let mut line = std::mem::take(&mut lines[i]);
        let mut indent = line.len() - line.trim_start().len();
        // A key indented deeper than the key above, whose value is plain text: YAML reads the line as more
        // of that text (and stumbles on its `: `); the author meant a sibling.
        if quote.is_none()
            && open.is_empty()
            && let Some((key_col, above_key)) = plain_above.take()
            && indent > key_col
            && cols[0] != Some(indent)
            && let Some(key) = key_line(&line[indent..])
            && keys.contains(&key)
            && let Some(j) = above
        {
            let fixed = format!("{}{}", " ".repeat(key_col), &line[indent..]);
            slips.push(Slip {
                // In the line as repaired, like every slip after it on this line: moved back below.
                pos: Pos { line: line_no(i), col: col_no(&fixed, key_col) },
                width: key.chars().count(),
                message: format!(
                    "`{key}:` is indented deeper than `{above_key}:` on line {}, so YAML reads it as more text of `{above_key}`",
                    line_no(j)
                ),
                help: format!(
                    "line it up with `{above_key}:` ({key_col} spaces): `{}`",
                    fixed.trim()
                ),
                code: "yaml-indent-deeper",
                note: None,
            });
            shift[i] += indent - key_col;
            line = Cow::Owned(fixed);
            indent = key_col;
        }
        above = Some(i);
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
                    note: None,
                });
                let fixed = format!("{}: {after}", &line[..colon]);
                line = Cow::Owned(fixed);
            }
        }
        cols = [cols[1], Some(start)];
        let was_open = quote.is_some() || !open.is_empty();
        let mut bad = Vec::new();
        let (end, block_at) = walk(
            &line,
            i,
            start,
            &mut quote,
            &mut open,
            &mut anchors,
            &mut bad,
        );
        let mut end = end;
        if !bad.is_empty() {
            // Every value quoted ends before the content does: the content's end moves by what they grew.
            let fixed = quote_values(&line, i, &bad, &mut slips);
            end += fixed.len().saturating_sub(line.len());
            line = Cow::Owned(fixed);
        }
        content_end[i] = end;
        plain_above = None;
        if let Some(at) = block_at {
            block = Some(Block::new(&line, i, at));
        } else if !was_open
            && quote.is_none()
            && open.is_empty()
            && let Some(key) = key_of(&line[start..])
        {
            let value = line
                .get(start + key.len() + 1..end)
                .unwrap_or_default()
                .trim();
            if !value.is_empty() && !value.starts_with(['"', '\'', '[', '{', '&', '*', '!']) {
                plain_above = Some((start, key.to_string()));
            }
        }
        lines[i] = line;
    }
    if let (Some(q), Some(last)) = (quote, above) {
        slips.push(close_quote(&mut lines, q, last, None, &original));
        content_end[last] = lines[last].len();
    }
    if !open.is_empty() {
        close(&mut lines, &mut slips, &mut open, &content_end, above);
    }
    for slip in &mut slips {
        let by = shift.get(slip.pos.line as usize - 1).copied().unwrap_or(0);
        slip.pos.col += u32::try_from(by).unwrap_or(0);
    }
    slips.sort_by_key(|s| s.pos);
    // Every repair is a slip: without one, the text is as written.
    if slips.is_empty() {
        return (slips, Cow::Borrowed(text));
    }
    let mut repaired = lines.join("\n");
    repaired.push('\n');
    (slips, Cow::Owned(repaired))
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

/// What the loss of a blanked line (blanked so the parser can read past it) takes with it: a problem at
/// the start of the mapping that held the line (where a missing key is reported), or on the key that holds
/// that mapping, is only that loss. Found once per blanked line, then asked of every diagnostic.
pub(super) struct Lost {
    /// Line and column (1-based) where the mapping that held the line starts.
    start: (u32, usize),
    /// The line of the key that holds that mapping, if any.
    parent: Option<u32>,
}

impl Lost {
    /// What losing line `line` (1-based) of `lines` (the text as written) takes with it.
    pub(super) fn of(lines: &Lines, line: u32) -> Option<Self> {
        let indent_of = |l: &str| l.len() - l.trim_start().len();
        let index = line.checked_sub(1)? as usize;
        let indent = indent_of(lines.get(index)?);
        let content = |k: usize| lines.get(k).is_some_and(|l| !is_blank(l));
        // Where the mapping that held the line starts, and the key that holds that mapping (if any). The
        // walk up stops at the first line indented less: linear in the lines between, once per blanked line.
        let first = (0..lines.len()).find(|&k| content(k)).unwrap_or(0);
        let mut start = (first, 1);
        let mut parent = None;
        for j in (0..index).rev() {
            let Some(l) = lines.get(j) else { continue };
            if is_blank(l) || indent_of(l) >= indent {
                continue;
            }
            let rest = l.trim_start();
            if rest.starts_with("- ") {
                let key = indent_of(l) + (rest.len() - rest.trim_start_matches(['-', ' ']).len());
                start = (j, key + 1);
            } else {
                let k = (j + 1..index).find(|&k| content(k)).unwrap_or(index);
                start = (k, lines.get(k).map_or(indent, indent_of) + 1);
                parent = Some(line_no(j));
            }
            break;
        }
        Some(Self {
            start: (line_no(start.0), start.1),
            parent,
        })
    }

    /// Whether a problem at `pos` is only this loss.
    pub(super) fn covers(&self, pos: Option<Pos>) -> bool {
        pos.is_some_and(|pos| {
            (pos.line == self.start.0 && pos.col as usize == self.start.1)
                || self.parent == Some(pos.line)
        })
    }
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

/// Reports every bracket still open and closes them at the end of line index `last` (the last line with
/// content before the one that ends them).
fn close(
    lines: &mut [Cow<str>],
    slips: &mut Vec<Slip>,
    open: &mut Vec<(char, usize, usize)>,
    content_end: &[usize],
    last: Option<usize>,
) {
    let Some(last) = last else {
        open.clear();
        return;
    };
    // Innermost first: the closers in the reverse order of their openers.
    let closers: String = open
        .iter()
        .rev()
        .map(|&(bracket, _, _)| if bracket == '[' { ']' } else { '}' })
        .collect();
    let end = content_end
        .get(last)
        .copied()
        .unwrap_or(lines[last].len())
        .min(lines[last].len());
    lines[last].to_mut().insert_str(end, &closers);
    let pasteable = pasteable(&lines[last]);
    // One slip per line: the first bracket on it, with a count of those opened after it on the same line
    // (100,000 `[` on one line are one mistake, not 100,000 diagnostics).
    let mut i = 0;
    while i < open.len() {
        let (bracket, line, byte) = open[i];
        let after = open[i + 1..].iter().take_while(|o| o.1 == line).count();
        i += 1 + after;
        let closer = if bracket == '[' { ']' } else { '}' };
        let what = if bracket == '[' { "list" } else { "mapping" };
        let (message, help) = match after {
            0 => (
                format!(
                    "this `{bracket}` opens a {what} that is never closed: add `{closer}` at the end of the {what} (line {})",
                    line_no(last)
                ),
                match &pasteable {
                    Some(fixed) if line == last => format!("write `{fixed}`"),
                    Some(fixed) => format!("end line {} with `{closer}`: `{fixed}`", line_no(last)),
                    None => format!("end line {} with `{closer}`", line_no(last)),
                },
            ),
            n => (
                format!(
                    "this `{bracket}` is never closed, nor the {} opened after it on this line",
                    if n == 1 {
                        "bracket".to_string()
                    } else {
                        format!("{n} brackets")
                    }
                ),
                "close each bracket, the last opened first: `]` for `[`, `}` for `{`".to_string(),
            ),
        };
        slips.push(Slip {
            pos: Pos {
                line: line_no(line),
                col: col_no(&lines[line], byte),
            },
            width: 1,
            message,
            help,
            code: "yaml-unclosed",
            note: None,
        });
    }
    open.clear();
}

/// Columns a tab stands for in a file indented with tabs: the width of `- `, so that `\t- id:` and
/// `\t\ttype:` line up as the author saw them.
const TAB_WIDTH: usize = 2;

/// Whether a line is blank or only a comment.
fn is_blank(line: &str) -> bool {
    line.trim().is_empty() || line.trim_start().starts_with('#')
}

/// For each line, whether the line with content above it or below it has a tab in its indentation: then
/// the file (or this part of it) is indented with tabs, not one tab slipped into spaces.
fn tab_neighbours(lines: &[&str]) -> Vec<bool> {
    let has_tab = |l: &str| l[..l.len() - l.trim_start_matches([' ', '\t']).len()].contains('\t');
    let mut out = vec![false; lines.len()];
    let mut previous = false;
    for (i, l) in lines.iter().enumerate() {
        out[i] = previous;
        if !is_blank(l) {
            previous = has_tab(l);
        }
    }
    let mut next = false;
    for (i, l) in lines.iter().enumerate().rev() {
        out[i] |= next;
        if !is_blank(l) {
            next = has_tab(l);
        }
    }
    out
}

/// A quoted value still open at the end of a line: its quote, the line index and byte where it opens, and
/// the column of the key (past any `- `) on that line.
#[derive(Debug, Clone, Copy)]
struct OpenQuote {
    quote: char,
    line: usize,
    byte: usize,
    key_col: usize,
}

/// A value that starts with a character YAML reads as an indicator, not text: where it starts and ends
/// (bytes of its line), and that character.
struct BadStart {
    byte: usize,
    end: usize,
    first: char,
    /// The innermost bracket open around it, if any.
    inside: Option<char>,
}

/// Walks one line from `start` (where its value begins), tracking quotes and flow brackets, the anchors
/// defined (`&name`), and the values that start with a character YAML reserves (`bad`). Returns where its
/// content ends (before a comment) and, when it opens a block scalar, the byte of its `|` or `>`.
fn walk(
    line: &str,
    index: usize,
    start: usize,
    quote: &mut Option<OpenQuote>,
    open: &mut Vec<(char, usize, usize)>,
    anchors: &mut HashSet<String>,
    bad: &mut Vec<BadStart>,
) -> (usize, Option<usize>) {
    // A quote or a bracket is an indicator only where a value starts.
    let mut at_value = true;
    let mut prev = ' ';
    // Found once: whether a `#` inside `[...]` has more of the list after it.
    let last_closer = line.rfind([',', ']', '}']);
    let mut chars = line[start..]
        .char_indices()
        .map(|(b, c)| (b + start, c))
        .peekable();
    while let Some((b, c)) = chars.next() {
        match *quote {
            Some(q) => {
                if c == q.quote {
                    if c == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        *quote = None;
                        at_value = false;
                    }
                } else if q.quote == '"' && c == '\\' {
                    chars.next();
                }
            }
            None if at_value
                && let Some(end) =
                    bad_value(line, b, c, prev, !open.is_empty(), anchors, last_closer) =>
            {
                bad.push(BadStart {
                    byte: b,
                    end,
                    first: c,
                    inside: open.last().map(|o| o.0),
                });
                while chars.next_if(|&(n, _)| n < end).is_some() {}
                at_value = false;
            }
            None => match c {
                '#' if prev == ' ' || prev == '\t' || b == 0 => return (b, None),
                '"' | '\'' if at_value => {
                    *quote = Some(OpenQuote {
                        quote: c,
                        line: index,
                        byte: b,
                        key_col: line.len() - line.trim_start_matches([' ', '-']).len(),
                    })
                }
                '&' if at_value => {
                    let end = name_end(line, b + 1);
                    anchors.insert(line[b + 1..end].to_string());
                    while chars.next_if(|&(n, _)| n < end).is_some() {}
                }
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
                    let opens = rest
                        .chars()
                        .all(|r| r == '+' || r == '-' || r.is_ascii_digit());
                    return (line.len(), opens.then_some(b));
                }
                ' ' | '\t' => {}
                _ => at_value = false,
            },
        }
        prev = c;
    }
    (line.len(), None)
}

/// Where a value ends that starts at byte `b` of `line` with `c`, a character YAML reads as an indicator
/// there, not as text: `*` (an alias to an anchor the file has not defined), `@` and a backquote
/// (reserved), `%` (directives), and `#` inside `[...]` when more of the list follows it on the line
/// (`last_closer`) or it is glued to what is before it (`prev`). `None` for any other value.
fn bad_value(
    line: &str,
    b: usize,
    c: char,
    prev: char,
    in_flow: bool,
    anchors: &HashSet<String>,
    last_closer: Option<usize>,
) -> Option<usize> {
    let bad = match c {
        '#' => in_flow && (!matches!(prev, ' ' | '\t') || last_closer.is_some_and(|k| k > b)),
        '*' => !anchors.contains(&line[b + 1..name_end(line, b + 1)]),
        '@' | '`' | '%' => true,
        _ => false,
    };
    bad.then(|| value_end(line, b, in_flow))
}

/// Where an anchor's or alias's name that starts at byte `from` of `line` ends.
fn name_end(line: &str, from: usize) -> usize {
    line[from..]
        .find([' ', '\t', ',', '[', ']', '{', '}'])
        .map_or(line.len(), |k| from + k)
}

/// Where a plain value that starts at byte `from` of `line` ends: before a comment, and inside `[...]`
/// before the next `,`, `]` or `}`; trailing blanks left out.
fn value_end(line: &str, from: usize, in_flow: bool) -> usize {
    let rest = &line[from..];
    let mut end = rest.len();
    if in_flow && let Some(k) = rest[1..].find([',', ']', '}']) {
        end = k + 1;
    }
    if let Some(k) = rest[..end].find(" #").or_else(|| rest[..end].find("\t#")) {
        end = k;
    }
    from + rest[..end].trim_end().len()
}

/// `line` with each of the `bad` values quoted, and a slip for each, whose fix is the repaired line.
fn quote_values(line: &str, index: usize, bad: &[BadStart], slips: &mut Vec<Slip>) -> String {
    // One pass, left to right (a line of 100,000 such values is read once).
    let mut fixed = String::with_capacity(line.len() + 2 * bad.len());
    let mut copied = 0;
    for b in bad {
        fixed.push_str(&line[copied..b.byte]);
        fixed.push('"');
        for c in line[b.byte..b.end].chars() {
            if c == '\\' || c == '"' {
                fixed.push('\\');
            }
            fixed.push(c);
        }
        fixed.push('"');
        copied = b.end;
    }
    fixed.push_str(&line[copied..]);
    let pasteable = pasteable(&fixed);
    for b in bad {
        let value = &line[b.byte..b.end];
        let (message, code) = match b.first {
            '*' => (
                format!(
                    "`{value}` starts with `*`, so YAML reads it as an alias (a reference to an `&anchor`), and the file has no anchor `&{}`",
                    &value[1..]
                ),
                "yaml-alias",
            ),
            '%' => (
                "a value cannot start with `%` unquoted: YAML reserves it for directives (`%YAML 1.2`)"
                    .to_string(),
                "yaml-directive",
            ),
            '#' => {
                let brackets = if b.inside == Some('{') {
                    "`{...}`"
                } else {
                    "`[...]`"
                };
                (
                    format!("inside {brackets}, a `#` starts a comment, so `{value}` is not read as a value"),
                    "yaml-comment-in-flow",
                )
            }
            '`' => (
                "a value cannot start with a backquote unquoted: YAML reserves the character"
                    .to_string(),
                "yaml-reserved",
            ),
            first => (
                format!("a value cannot start with `{first}` unquoted: YAML reserves the character"),
                "yaml-reserved",
            ),
        };
        slips.push(Slip {
            pos: Pos {
                line: line_no(index),
                col: col_no(line, b.byte),
            },
            width: value.chars().count(),
            message,
            help: match &pasteable {
                Some(fixed) if fixed.contains('`') => format!("quote the value: {fixed}"),
                Some(fixed) => format!("quote the value: `{fixed}`"),
                None => format!("quote the value: \"{value}\""),
            },
            code,
            note: None,
        });
    }
    fixed
}

/// A repaired line as a fix to paste (past its indentation and any `- `), when it is short enough to show
/// in a help line.
fn pasteable(line: &str) -> Option<String> {
    let fixed = line.trim().trim_start_matches("- ").trim_start();
    (fixed.len() <= 160).then(|| fixed.to_string())
}

/// Whether `text` (a line past its indentation) starts a list item or a key.
fn starts_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ") || key_line(text).is_some()
}

/// The key `text` starts with when it is `key:` followed by a space or nothing: a key, not text with a
/// colon in it.
fn key_line(text: &str) -> Option<&str> {
    let key = key_of(text)?;
    let after = &text[key.len() + 1..];
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(key)
}

/// The keys that hold a list: a block of text that takes in one of them with a list under it swallowed
/// the deck's structure, not text that happens to have a colon in it.
const LIST_KEYS: [&str; 9] = [
    "cards",
    "tables",
    "options",
    "accept",
    "keywords",
    "tags",
    "follow_up",
    "rows",
    "values",
];

/// Whether the first line with content after line index `i` is a list item (`- `) indented at least
/// `indent`: the list a key at line `i` holds.
fn list_follows(lines: &[&str], i: usize, indent: usize) -> bool {
    let Some(l) = lines
        .get(i + 1..)
        .and_then(|rest| rest.iter().find(|l| !is_blank(l)))
    else {
        return false;
    };
    let rest = l.trim_start_matches(' ');
    l.len() - rest.len() >= indent && (rest == "-" || rest.starts_with("- "))
}

/// Closes the unclosed quote `q` at the end of line index `last` (its value's last line) and says so
/// where it opens; `noticed` is where the parser, without the repair, would end the value instead.
fn close_quote(
    lines: &mut [Cow<str>],
    q: OpenQuote,
    last: usize,
    noticed: Option<(usize, usize)>,
    original: &[&str],
) -> Slip {
    let closer = q.quote;
    let fixed = lines[last].to_mut();
    let backslashes = fixed.len() - fixed.trim_end_matches('\\').len();
    if closer == '"' && backslashes % 2 == 1 {
        fixed.push('\\');
    }
    fixed.push(closer);
    let pasteable = pasteable(fixed);
    let kind = if closer == '"' { "double" } else { "single" };
    let note = match noticed {
        Some((l, b)) => (
            Pos {
                line: line_no(l),
                col: col_no(original[l], b),
            },
            format!(
                "without it, YAML reads the value on to this `{closer}`, and the lines after it as errors"
            ),
        ),
        None => (
            Pos {
                line: line_no(original.len().saturating_sub(1)),
                col: 1,
            },
            "without it, YAML reads the value on to the end of the file".to_string(),
        ),
    };
    Slip {
        pos: Pos {
            line: line_no(q.line),
            col: col_no(&lines[q.line], q.byte),
        },
        width: 1,
        message: format!(
            "this `{closer}` opens a {kind}-quoted value that is never closed: add `{closer}` at the end of the value (line {})",
            line_no(last)
        ),
        help: match pasteable {
            Some(fixed) if q.line == last => format!("write `{fixed}`"),
            Some(fixed) => format!("end line {} with `{closer}`: `{fixed}`", line_no(last)),
            None => format!("end line {} with `{closer}`", line_no(last)),
        },
        code: "yaml-unclosed-quote",
        note: Some(note),
    }
}

/// Finds where the parser would end an unclosed quoted value: the next quote of its kind. Each search
/// resumes from the last one's answer when that is still ahead, so the searches of many unclosed quotes
/// read each line once.
#[derive(Default)]
struct QuoteFinder {
    /// For `"` and `'`: the line a search started from and what it found (`None`: the end of the file).
    last: [Option<(usize, Option<Spot>)>; 2],
}

/// A place in the text: line index and byte.
type Spot = (usize, usize);

impl QuoteFinder {
    /// The next `quote` from line index `from` on, as (line index, byte).
    fn next(&mut self, lines: &[&str], from: usize, quote: char) -> Option<(usize, usize)> {
        let slot = usize::from(quote == '\'');
        if let Some((started, found)) = self.last[slot]
            && started <= from
            && found.is_none_or(|(l, _)| l >= from)
        {
            return found;
        }
        let found = lines.iter().enumerate().skip(from).find_map(|(l, text)| {
            let mut chars = text.char_indices().peekable();
            while let Some((b, c)) = chars.next() {
                if quote == '"' && c == '\\' {
                    chars.next();
                } else if c == quote {
                    if quote == '\'' && chars.next_if(|&(_, n)| n == '\'').is_some() {
                        continue;
                    }
                    return Some((l, b));
                }
            }
            None
        });
        self.last[slot] = Some((from, found));
        found
    }
}

/// An open block scalar: its key's column (past any `- `), its key (if any), where its `|` or `>` is, and
/// its content's indentation once its first line is read.
struct Block {
    parent: usize,
    key: Option<String>,
    at: Pos,
    indicator: char,
    content: Option<usize>,
}

impl Block {
    /// The block scalar whose indicator is byte `at` of `line` (line index `index`).
    fn new(line: &str, index: usize, at: usize) -> Self {
        let parent = line.len() - line.trim_start_matches([' ', '-']).len();
        Self {
            parent,
            key: key_of(&line[parent..]).map(str::to_string),
            at: Pos {
                line: line_no(index),
                col: col_no(line, at),
            },
            indicator: line[at..].chars().next().unwrap_or('|'),
            content: None,
        }
    }

    /// The slip for a `key:` (at line `line`, with lines under it) that this block took in as text,
    /// moved `by` columns left to be read as a key.
    fn swallowed(&self, key: &str, line: u32, by: usize) -> Slip {
        let indicator = self.indicator;
        let (of, like) = match &self.key {
            Some(k) => (format!(" of `{k}`"), format!("`{k}:`")),
            None => (String::new(), "the line of the `-`".to_string()),
        };
        Slip {
            pos: self.at,
            width: 1,
            message: format!(
                "this `{indicator}` starts a block of text that takes in `{key}:` (line {line}) and the lines under it: they are read as text{of}, not as keys"
            ),
            help: format!(
                "a block of text ends at the first line indented no deeper than its key: move `{key}:` and the lines under it {by} spaces left, to line up with {like}; indent the block's own text deeper"
            ),
            code: "yaml-block-swallows",
            note: Some((
                Pos {
                    line,
                    col: u32::try_from(self.parent + by + 1).unwrap_or(u32::MAX),
                },
                format!("`{key}:` is here, indented as text of the block"),
            )),
        }
    }
}

/// Says a YAML problem in our words, with a fix where we know one; the parser's words only for kinds we
/// have none for.
/// `line` is the line the parser stopped at, when known.
pub(super) fn syntax_message(err: &SyntaxError, line: Option<&str>) -> (String, Option<String>) {
    // A `: ` right after the word that starts the line: a key YAML read as more of the value above it.
    let key_at_start = line.zip(err.pos).and_then(|(line, pos)| {
        let rest = line.trim_start_matches(' ');
        let key = key_line(rest)?;
        let indent = line.len() - rest.len();
        (pos.col as usize == indent + key.chars().count() + 1).then_some(key)
    });
    if let (SyntaxKind::ColonInValue, Some(key)) = (&err.kind, key_at_start) {
        return (
            format!(
                "YAML syntax: `{key}:` is read as more text of the value above it, not as a key"
            ),
            Some(format!(
                "if `{key}` is a key, indent it exactly like the key above it; if it is text, quote the value it belongs to"
            )),
        );
    }
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
    fn a_key_indented_under_a_value_is_not_told_to_quote_its_colon() {
        // `promt` is no key the scan knows (so it does not line it up): the parser's error, in our words.
        assert_eq!(
            check_cards(
                "  - id: a\n    type: flashcard\n    prompt: P\n      promt: Q\n    answer: A\n"
            ),
            "d.yaml:8:12: error: YAML syntax: `promt:` is read as more text of the value above it, not as a key\n  |\n8 |       promt: Q\n  |            ^\nhelp: if `promt` is a key, indent it exactly like the key above it; if it is text, quote the value it belongs to\n"
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
            "d.yaml:6:3: error: this indentation mixes spaces and a tab: YAML indents with spaces only\n  |\n6 |    type: flashcard\n  |   ^\nhelp: indent the line with 4 spaces and no tab: `type: flashcard` starts at column 5\nd.yaml:9:9: error: bad id `B`: it contains 'B'; ids are kebab-case (a-z, 0-9 and single dashes), at most 64 characters\n  |\n9 |   - id: B\n  |         ^\nhelp: use `b`\n"
        );
    }

    #[test]
    fn an_unclosed_bracket_is_pointed_at_where_it_opens() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ncards:\n  - id: a\n    type: typed\n    prompt: P\n    accept: [a, b\n    explain: E\n  - id: b\n    type: typo\n    prompt: P\n    answer: A\n"
            ),
            "d.yaml:8:13: error: this `[` opens a list that is never closed: add `]` at the end of the list (line 8)\n  |\n8 |     accept: [a, b\n  |             ^\nhelp: write `accept: [a, b]`\nd.yaml:11:11: error: unknown card type `typo`\n   |\n11 |     type: typo\n   |           ^^^^\nhelp: did you mean `typed`? (types: flashcard, choice, truefalse, typed, practical, lab)\n"
        );
    }

    #[test]
    fn a_deck_indented_with_tabs_is_read_as_if_indented_with_spaces() {
        // Each line repaired once from the text as written (a tab is two columns), so the cards line up and
        // only the tabs are reported; before, each line was indented relative to the repaired one above it,
        // which grew by two columns per card (11 s and 754 MB for 6,000 cards).
        let deck = "format: 1\nid: d\ntitle: D\ncards:\n\t- id: a\n\t\ttype: flashcard\n\t\tprompt: P\n\t\tanswer: A\n\t- id: b\n\t  type: flashcard\n\t  prompt: P\n\t  answer: A\n";
        let text = check(deck);
        let tabs: Vec<&str> = text.lines().filter(|l| l.contains(": error: ")).collect();
        assert_eq!(tabs.len(), 8, "{text}");
        // Lines 10-12 (a tab, then spaces to line up under `id`) mix both.
        let mixed: Vec<bool> = tabs
            .iter()
            .map(|l| {
                l.ends_with(
                    "error: this indentation mixes spaces and a tab: YAML indents with spaces only",
                )
            })
            .collect();
        assert_eq!(
            mixed,
            [false, false, false, false, false, true, true, true],
            "{text}"
        );
        assert!(
            tabs.iter()
                .all(|l| l.ends_with("YAML indents with spaces only")),
            "{text}"
        );
        let (_, repaired) = super::scan(deck, &["id", "type", "prompt", "answer"]);
        assert_eq!(
            repaired,
            "format: 1\nid: d\ntitle: D\ncards:\n  - id: a\n    type: flashcard\n    prompt: P\n    answer: A\n  - id: b\n    type: flashcard\n    prompt: P\n    answer: A\n"
        );
    }

    #[test]
    fn many_unclosed_brackets_on_one_line_are_one_mistake() {
        // The first on each line is pointed at (its column in characters), with a count of the others.
        let (slips, repaired) = super::scan("cards: [é, {ü: [\n  - [a, [\nx: 1\n", &["cards"]);
        let at: Vec<(u32, u32, &str)> = slips
            .iter()
            .map(|s| (s.pos.line, s.pos.col, s.message.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (
                    1,
                    8,
                    "this `[` is never closed, nor the 2 brackets opened after it on this line"
                ),
                (
                    2,
                    5,
                    "this `[` is never closed, nor the bracket opened after it on this line"
                ),
            ]
        );
        assert_eq!(repaired, "cards: [é, {ü: [\n  - [a, []]]}]\nx: 1\n");
        let (slips, repaired) = super::scan("cards: [é, {ü: [\n", &["cards"]);
        assert_eq!((slips.len(), slips[0].pos.col), (1, 8));
        assert_eq!(repaired, "cards: [é, {ü: []}]\n");
    }

    #[test]
    fn what_the_new_repairs_leave_alone_is_read_as_written() {
        // A quoted value over several lines, an alias to an anchor the file defines, a comment after an
        // item of a list over several lines, and a block of text with `key:` lines that hold no list.
        let cards = "  - id: a\n    type: flashcard\n    prompt: \"Which port\n      does DNS use?\"\n    answer: &port '53'\n    explain: |\n      In a compose file:\n      command:\n        - dnsmasq\n  - id: b\n    type: typed\n    prompt: P\n    accept: [\n      *port,  # the same\n      domain]\n    explain: E\n";
        assert_eq!(check_cards(cards), "ok: 2 cards");
        let text = format!("format: 1\nid: d\ntitle: D\ncards:\n{cards}");
        let (slips, repaired) =
            super::scan(&text, &["prompt", "answer", "explain", "accept", "command"]);
        assert_eq!(
            (
                slips.len(),
                matches!(repaired, std::borrow::Cow::Borrowed(_))
            ),
            (0, true)
        );
    }

    #[test]
    fn each_repair_is_made_where_the_mistake_is() {
        let text = "cards:\n  - prompt: \"P\n    answer: *.example.com # wildcard\n    tags: [#a, 'b', @c]\n    hint: H\n      explain: `x`\n  - prompt: 'Q\n";
        let (slips, repaired) = super::scan(
            text,
            &["cards", "prompt", "answer", "tags", "hint", "explain"],
        );
        let at: Vec<(u32, u32, &str)> = slips
            .iter()
            .map(|s| (s.pos.line, s.pos.col, s.code))
            .collect();
        assert_eq!(
            at,
            [
                (2, 13, "yaml-unclosed-quote"),
                (3, 13, "yaml-alias"),
                (4, 12, "yaml-comment-in-flow"),
                (4, 21, "yaml-reserved"),
                (6, 7, "yaml-indent-deeper"),
                (6, 16, "yaml-reserved"),
                (7, 13, "yaml-unclosed-quote"),
            ]
        );
        assert_eq!(
            repaired,
            "cards:\n  - prompt: \"P\"\n    answer: \"*.example.com\" # wildcard\n    tags: [\"#a\", 'b', \"@c\"]\n    hint: H\n    explain: \"`x`\"\n  - prompt: 'Q'\n"
        );
        // Where the parser would have ended each unclosed value: the next quote of its kind (none here: the
        // quotes the repairs added are not in the text as written), so the end of the file.
        let notes: Vec<Option<(u32, u32)>> = slips
            .iter()
            .map(|s| s.note.as_ref().map(|(p, _)| (p.line, p.col)))
            .collect();
        assert_eq!((notes[0], notes[6]), (Some((7, 1)), Some((7, 1))));
    }

    #[test]
    fn a_block_of_text_that_swallows_the_cards_gives_them_back() {
        let text = "format: 1\nid: d\ntitle: D\ndescription: >\n  About ports.\n  cards:\n    - id: a\n      type: flashcard\n      prompt: P\n      answer: A\n      explain: E\n";
        assert_eq!(
            check(text),
            "d.yaml:4:14: error: this `>` starts a block of text that takes in `cards:` (line 6) and the lines under it: they are read as text of `description`, not as keys\n  |\n4 | description: >\n  |              ^\nd.yaml:6:3: note: `cards:` is here, indented as text of the block\nhelp: a block of text ends at the first line indented no deeper than its key: move `cards:` and the lines under it 2 spaces left, to line up with `description:`; indent the block's own text deeper\n"
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
            "d.yaml:3:13: error: YAML syntax: mapping values are not allowed in this context\n  |\n3 | title: Ports: a primer\n  |             ^\nhelp: a value containing `: ` must be quoted, e.g. prompt: \"Port: what is it?\"\nd.yaml:7:13: error: this `\"` opens a double-quoted value that is never closed: add `\"` at the end of the value (line 7)\n  |\n7 |     prompt: \"P\n  |             ^\nd.yaml:12:1: note: without it, YAML reads the value on to the end of the file\nhelp: write `prompt: \"P\"`\nd.yaml:12:13: error: `answer` is text, but YAML reads `yes` as the boolean true\n   |\n12 |     answer: yes\n   |             ^^^\nhelp: quote it to keep it as written: \"yes\"\n"
        );
    }
}

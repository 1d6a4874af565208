//! Where the parser cannot go on (a second document, or a syntax error that blanking its line does not
//! get past), the text is cut before the card or table it stopped in, and what comes before is validated:
//! the problems of the cards above a late syntax error are reported in the same run. What the cut leaves
//! open (the `cards:` list, the deck) is not reported as missing anything, and the cards after the cut
//! are not unknown follow-ups: they are written, just not read.
use crate::deck::diag::Lines;
use crate::deck::yaml::{Pos, SyntaxKind};

/// The line (1-based) to cut the text at for a parser error at `line` of kind `kind`: the `---` line that
/// starts a second document, or the first line of the list item (a card, a table, a row) holding `line`,
/// so that the item is left out whole. `None` when nothing would be left.
pub(super) fn cut_line(lines: &Lines, line: u32, kind: &SyntaxKind) -> Option<u32> {
    let index = line.checked_sub(1)? as usize;
    let at = if *kind == SyntaxKind::MultipleDocuments {
        (0..=index)
            .rev()
            .find(|&i| lines.get(i).is_some_and(|l| l.starts_with("---")))
            .unwrap_or(index)
    } else {
        item_start(lines, index)
    };
    (at > 0).then(|| line_no(at))
}

/// The index of the first line of the outermost list item below the deck's own keys that holds line
/// `index` (a card or a table: a row of a table is left out with its table), or `index` itself when it
/// is in none.
fn item_start(lines: &Lines, index: usize) -> usize {
    let mut want = lines.get(index).map_or(usize::MAX, indent_of);
    let mut start = index;
    for j in (0..index).rev() {
        let Some(l) = lines.get(j) else { continue };
        if is_blank(l) || indent_of(l) >= want {
            continue;
        }
        want = indent_of(l);
        if l.trim_start().starts_with("- ") || l.trim() == "-" {
            start = j;
        }
        if want == 0 {
            break;
        }
    }
    start
}

/// The text before line `line` (1-based), each line kept as it was.
pub(super) fn before(text: &str, line: u32) -> String {
    let keep = line.saturating_sub(1) as usize;
    let mut out = String::new();
    for l in text.split_inclusive('\n').take(keep) {
        out.push_str(l);
    }
    out
}

/// Where a problem is only the cut: the start of each mapping left open at line `line` (where a missing
/// key is reported), innermost first, and the deck's own start.
pub(super) fn open_at(lines: &Lines, line: u32) -> Vec<Pos> {
    let index = line.saturating_sub(1) as usize;
    let mut want = lines.get(index).map_or(usize::MAX, indent_of);
    let mut out = Vec::new();
    // The line with content just below the one looked at: where a mapping opened by a `key:` line starts.
    let mut below = index;
    for j in (0..index).rev() {
        let Some(l) = lines.get(j) else { continue };
        if is_blank(l) {
            continue;
        }
        if indent_of(l) < want {
            want = indent_of(l);
            let rest = l.trim_start();
            if rest.starts_with("- ") {
                let key = rest.len() - rest.trim_start_matches(['-', ' ']).len();
                out.push(pos(j, want + key));
            } else if let Some(b) = lines.get(below) {
                out.push(pos(below, indent_of(b)));
            }
        }
        below = j;
    }
    if let Some(first) = (0..lines.len()).find(|&k| lines.get(k).is_some_and(|l| !is_blank(l))) {
        out.push(pos(first, 0));
    }
    out
}

/// The ids written at or after line `line` (1-based): every `id:` of a card or table the cut left out.
pub(super) fn ids_from(lines: &Lines, line: u32) -> Vec<String> {
    lines
        .from(line.saturating_sub(1) as usize)
        .filter_map(|(_, l)| {
            let rest = l.trim_start().trim_start_matches(['-', ' ']);
            let value = rest.strip_prefix("id:")?.trim();
            let value = value.split(" #").next().unwrap_or(value).trim();
            let value = value.trim_matches(['"', '\'']);
            (!value.is_empty()).then(|| value.to_string())
        })
        .collect()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty() || line.trim_start().starts_with('#')
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// The position of byte column `col` (0-based, in the indentation: spaces) of line index `index`.
fn pos(index: usize, col: usize) -> Pos {
    Pos {
        line: line_no(index),
        col: u32::try_from(col + 1).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "format: 1\nid: d\ntitle: T\ncards:\n  - id: a\n    type: flashcard\n\n  - id: b\n    prompt: \"x\n    answer: A\n";

    #[test]
    fn the_cut_leaves_out_the_whole_card_the_parser_stopped_in() {
        let lines = Lines::new(DECK);
        assert_eq!(cut_line(&lines, 9, &SyntaxKind::Quote), Some(8));
        assert_eq!(cut_line(&lines, 8, &SyntaxKind::Other), Some(8));
        assert_eq!(cut_line(&lines, 3, &SyntaxKind::Other), Some(3));
        assert_eq!(cut_line(&lines, 1, &SyntaxKind::Other), None);
        let docs = Lines::new("format: 1\n---\n- a\n");
        assert_eq!(cut_line(&docs, 3, &SyntaxKind::MultipleDocuments), Some(2));
        assert_eq!(
            before(DECK, 8),
            "format: 1\nid: d\ntitle: T\ncards:\n  - id: a\n    type: flashcard\n\n"
        );
    }

    #[test]
    fn what_the_cut_leaves_open_and_the_ids_it_leaves_out() {
        let lines = Lines::new(DECK);
        let at = |line, col| Pos { line, col };
        // In card `b`: the card, the list under `cards:`, the deck.
        assert_eq!(open_at(&lines, 9), [at(8, 5), at(5, 3), at(1, 1)]);
        assert_eq!(open_at(&lines, 8), [at(5, 3), at(1, 1)]);
        assert_eq!(ids_from(&lines, 8), ["b"]);
        assert_eq!(ids_from(&Lines::new("- id: 'x' # c\nid:\n"), 1), ["x"]);
    }
}

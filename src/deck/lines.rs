//! The line index of a deck file: where each line starts and ends, as YAML counts lines (`\n`, `\r\n` and a
//! lone `\r` each end one). Built once per file and shared (cheaply cloned) by every diagnostic about it, so
//! finding a diagnostic's line costs the same in a file of ten lines and of a million. Pure; below every
//! other deck module (it imports none of them).
use std::sync::Arc;

/// A text and its line index. Cloning shares both.
#[derive(Clone)]
pub struct Lines(Arc<Index>);

struct Index {
    text: Box<str>,
    /// Byte range of each line (without its line break) in `text`.
    spans: Vec<(usize, usize)>,
    /// Line number (0-based) of the first line of `text`: not 0 for a single line cut from a larger file.
    first: usize,
}

impl Lines {
    /// Indexes `text` (one pass; the text is copied once, so diagnostics can outlive it).
    pub fn new(text: &str) -> Self {
        // Each line is a slice of `text`: its offset is its address minus the text's.
        let spans = yaml_lines(text)
            .map(|line| {
                let at = line.as_ptr() as usize - text.as_ptr() as usize;
                (at, at + line.len())
            })
            .collect();
        Self(Arc::new(Index {
            text: text.into(),
            spans,
            first: 0,
        }))
    }

    /// Only line `line` (1-based) of a text, cut from it by a scan: for a one-off diagnostic made from a
    /// text without an index (it keeps a copy of that one line, not of the text).
    pub fn one(text: &str, line: u32) -> Option<Self> {
        let index = (line as usize).checked_sub(1)?;
        let cut = yaml_lines(text).nth(index)?;
        Some(Self(Arc::new(Index {
            text: cut.into(),
            spans: vec![(0, cut.len())],
            first: index,
        })))
    }

    /// Line `line` (1-based), without its line break.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.get((line as usize).checked_sub(1)?)
    }

    /// Line `index` (0-based), without its line break.
    pub fn get(&self, index: usize) -> Option<&str> {
        let &(start, end) = self.0.spans.get(index.checked_sub(self.0.first)?)?;
        self.0.text.get(start..end)
    }

    /// Number of lines (as [`yaml_lines`] counts them), counting from the first line of the file.
    pub fn len(&self) -> usize {
        self.0.first + self.0.spans.len()
    }

    /// Whether the text has no line.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lines from index `from` (0-based) on, with their indices.
    pub fn from(&self, from: usize) -> impl Iterator<Item = (usize, &str)> {
        (from.max(self.0.first)..self.len()).filter_map(|i| Some((i, self.get(i)?)))
    }

    /// The whole text indexed.
    pub fn text(&self) -> &str {
        &self.0.text
    }
}

impl PartialEq for Lines {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.first == other.0.first && self.0.text == other.0.text)
    }
}

impl Eq for Lines {}

impl std::fmt::Debug for Lines {
    // Not the text: a diagnostic printed in a test failure would print the whole file with it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lines({} lines)", self.len())
    }
}

/// The lines of `text` as YAML (and the positions in diagnostics) count them: `\n`, `\r\n` and a lone `\r`
/// each end a line. Otherwise like [`str::lines`]: no empty line after a final line break.
pub fn yaml_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let t = rest?;
        let Some(i) = memchr::memchr2(b'\n', b'\r', t.as_bytes()) else {
            rest = None;
            return Some(t);
        };
        let next = &t[i + if t[i..].starts_with("\r\n") { 2 } else { 1 }..];
        rest = Some(next).filter(|n| !n.is_empty());
        Some(&t[..i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_by_number_as_yaml_counts_them() {
        let lines = Lines::new("a\rb\r\r\nc\n\nd");
        let all: Vec<_> = (1..=6).map(|n| lines.line(n)).collect();
        let expected = ["a", "b", "", "c", "", "d"].map(Some);
        assert_eq!(all, expected);
        assert_eq!(lines.len(), 6);
        assert_eq!(lines.line(0), None);
        assert_eq!(lines.line(7), None);
        assert_eq!(Lines::new("").len(), 0);
    }

    #[test]
    fn one_line_cut_from_a_text_answers_only_for_that_line() {
        let one = Lines::one("a\nb\nc\n", 2).unwrap_or_else(|| panic!("line 2 exists"));
        assert_eq!(
            (one.line(1), one.line(2), one.line(3)),
            (None, Some("b"), None)
        );
        assert_eq!(Lines::one("a\n", 2), None);
        assert_eq!(Lines::one("a\n", 0), None);
    }
}

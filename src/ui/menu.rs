//! The terminal front end's own menu and line editor, on `console::Term::read_key` (dialoguer's `Select`
//! takes no custom keys, and counts its rows by newlines, so a prompt exactly as wide as the terminal left a
//! stale copy per redraw). What this module owns: the screen rows a menu or a typed line takes, and the keys.
//!
//! Screen rules: every row is cut or wrapped to one column less than the terminal's width, so no row ever
//! wraps by itself and a redraw clears exactly the rows it drew. Widths are display widths (unicode-width).
//! A menu that does not fit under the lines since the card header shows its extras (undo, quit, ...) only in
//! its hint line, where each has a key ("compact"), and, when even that does not fit, a one-line recap of the
//! card header and verdict above the question, so both stay on the screen that shows the menu.
use console::{Key, Term};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// One entry of a menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the row says.
    pub label: String,
    /// The key that picks it at once (also shown in the hint line, with `word`).
    pub key: Option<char>,
    /// What the hint line says beside the key (`grade`, `undo`, ...).
    pub word: String,
    /// An action beside the answers (hint, undo, quit, ...): a row of its own only when there is room.
    pub extra: bool,
}

impl Entry {
    /// An answer (an option, a grade) with an optional key.
    pub fn main(label: impl Into<String>, key: Option<char>) -> Entry {
        Entry {
            label: label.into(),
            key,
            word: String::new(),
            extra: false,
        }
    }

    /// An action beside the answers: its row label, its key and the hint line's word for it.
    pub fn extra(label: impl Into<String>, key: char, word: impl Into<String>) -> Entry {
        Entry {
            label: label.into(),
            key: Some(key),
            word: word.into(),
            extra: true,
        }
    }
}

/// What a menu is asked to show.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The question above the entries.
    pub prompt: String,
    pub entries: Vec<Entry>,
    /// Where the cursor starts (Enter picks it).
    pub default: usize,
    /// Marks several answers (Space or a digit marks, Enter answers).
    pub multi: bool,
    /// What the hint line says first (e.g. `1-4 grade`), before the extras' keys.
    pub keys: String,
    /// The entry Esc picks (quit).
    pub escape: Option<usize>,
}

/// What the candidate did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// An entry (by index in `Spec::entries`).
    Entry(usize),
    /// The answers marked in a multi menu (indices of main entries), Enter pressed.
    Marks(Vec<usize>),
}

/// What the screen is like around a menu.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    /// Terminal rows and columns.
    pub rows: usize,
    pub cols: usize,
    /// Rows written since the card header, the header included.
    pub since_header: usize,
    /// The card header and the verdict, to recap when they would scroll away.
    pub recap: Vec<String>,
}

/// `text` cut to `width` display columns, with `…` when something was cut.
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Wrapping at spaces only: a card id (`tcp-vs-udp/udp-no-handshake`) or a hyphenated word stays whole.
pub fn options(width: usize, indent: &str) -> textwrap::Options<'_> {
    textwrap::Options::new(width)
        .subsequent_indent(indent)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// `text` wrapped at word boundaries to `width` columns (continuation rows indented by `indent`), one
/// `String` per screen row; a word longer than a row is broken, as nothing else fits.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let options = options(width.max(4), indent);
    text.lines()
        .flat_map(|line| {
            textwrap::wrap(line, &options)
                .into_iter()
                .map(|l| l.into_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A line of columns (a live transcript: cells separated by two or more spaces) fitted to `width`: when it is
/// too wide, its last column wraps under itself (a hanging indent), so the columns before it stay in place.
/// Other lines wrap at spaces as usual.
pub fn columns(line: &str, width: usize) -> Vec<String> {
    if line.width() <= width {
        return vec![line.to_string()];
    }
    let last_gap = line.trim_end().rfind("  ");
    let start = last_gap.map(|gap| {
        gap + line[gap..]
            .find(|c: char| c != ' ')
            .unwrap_or(line.len() - gap)
    });
    match start {
        Some(start) if start < line.len() && line[..start].width() + 10 <= width => {
            let offset = line[..start].width();
            let mut rows = wrap(&line[start..], width - offset, "");
            if rows.is_empty() {
                rows.push(String::new());
            }
            let pad = " ".repeat(offset);
            rows.iter()
                .enumerate()
                .map(|(n, r)| {
                    if n == 0 {
                        format!("{}{r}", &line[..start])
                    } else {
                        format!("{pad}{r}")
                    }
                })
                .collect()
        }
        _ => wrap(line, width, ""),
    }
}

/// The rows a menu draws, and the entries the arrow keys move over (those with a row of their own).
pub fn layout(
    spec: &Spec,
    screen: &Screen,
    cursor: usize,
    marks: &[bool],
) -> (Vec<String>, Vec<usize>) {
    let width = screen.cols.saturating_sub(1).max(10);
    let entry_rows = |e: &Entry, i: usize| -> Vec<String> {
        let pointer = if i == cursor { "> " } else { "  " };
        let mark = if spec.multi && !e.extra {
            if marks.get(i).copied().unwrap_or(false) {
                "[x] "
            } else {
                "[ ] "
            }
        } else {
            ""
        };
        let key = match e.key {
            Some(k) => format!("{k} "),
            None => String::new(),
        };
        let head = format!("{pointer}{mark}{key}");
        let indent = " ".repeat(head.width());
        let mut rows = wrap(&e.label, width.saturating_sub(head.width()), "");
        if rows.is_empty() {
            rows.push(String::new());
        }
        rows.iter()
            .enumerate()
            .map(|(n, r)| {
                if n == 0 {
                    format!("{head}{r}")
                } else {
                    format!("{indent}{r}")
                }
            })
            .collect()
    };
    let prompt = wrap(&spec.prompt, width, "");
    let limit = screen.rows.saturating_sub(1).max(4);
    let main: Vec<usize> = (0..spec.entries.len())
        .filter(|&i| !spec.entries[i].extra)
        .collect();
    let all: Vec<usize> = (0..spec.entries.len()).collect();
    let rows_of = |ids: &[usize]| -> usize {
        ids.iter()
            .map(|&i| entry_rows(&spec.entries[i], i).len())
            .sum()
    };
    let hint_of = |compact: bool| -> Vec<String> {
        let mut parts: Vec<String> = Vec::new();
        if !spec.keys.is_empty() {
            parts.push(spec.keys.clone());
        }
        if compact || spec.multi {
            parts.extend(
                spec.entries
                    .iter()
                    .filter(|e| e.extra)
                    .filter_map(|e| e.key.map(|k| format!("{k} {}", e.word))),
            );
        }
        if parts.is_empty() {
            return Vec::new();
        }
        wrap(&format!("({})", parts.join(" · ")), width, " ")
    };
    // Full when everything fits under the header; compact (extras only in the hint line) when the answers do;
    // else compact with a recap of the header and verdict, and the answers paged around the cursor.
    let full_height = prompt.len() + rows_of(&all) + hint_of(false).len();
    let compact_height = prompt.len() + rows_of(&main) + hint_of(true).len();
    let (shown, hint, recap) = if screen.since_header + full_height <= limit {
        (all, hint_of(false), Vec::new())
    } else if screen.since_header + compact_height <= limit {
        (main, hint_of(true), Vec::new())
    } else {
        // At most two rows per line recapped (the header's card id is what must stay readable).
        let recap: Vec<String> = screen
            .recap
            .iter()
            .flat_map(|r| {
                // What comes after the card id (its kind, `new`) is left out rather than cutting the id.
                let mut rows = wrap(r, width, "  ");
                rows.truncate(2);
                rows
            })
            .collect();
        (main, hint_of(true), recap)
    };
    let room = limit
        .saturating_sub(recap.len() + prompt.len() + hint.len())
        .max(1);
    // The window of entries around the cursor that fits in `room` rows.
    let focus = shown.iter().position(|&i| i == cursor).unwrap_or(0);
    let (mut start, mut end, mut used) = (focus, focus + 1, rows_of(&shown[focus..focus + 1]));
    loop {
        let mut grew = false;
        if end < shown.len() && used + rows_of(&shown[end..end + 1]) <= room {
            used += rows_of(&shown[end..end + 1]);
            end += 1;
            grew = true;
        }
        if start > 0 && used + rows_of(&shown[start - 1..start]) <= room {
            start -= 1;
            used += rows_of(&shown[start..start + 1]);
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let mut out = recap;
    let mut prompt = prompt;
    if (start > 0 || end < shown.len())
        && let Some(last) = prompt.last_mut()
    {
        let more = format!(" [{}-{} of {}]", start + 1, end, shown.len());
        *last = format!("{}{more}", cut(last, width.saturating_sub(more.width())));
    }
    out.extend(prompt);
    for &i in &shown[start..end] {
        out.extend(entry_rows(&spec.entries[i], i));
    }
    out.extend(hint);
    (out, shown)
}

/// Runs a menu on `term` (stderr): draws it, reads keys until one picks, clears every row it drew.
pub fn run(term: &Term, spec: &Spec, screen: &Screen) -> std::io::Result<Picked> {
    let mut cursor = spec.default.min(spec.entries.len().saturating_sub(1));
    let mut marks = vec![false; spec.entries.len()];
    let mut drawn = 0;
    term.hide_cursor()?;
    let picked = loop {
        let (rows, shown) = layout(spec, screen, cursor, &marks);
        if drawn > 0 {
            term.clear_last_lines(drawn)?;
        }
        for row in &rows {
            term.write_line(row)?;
        }
        drawn = rows.len();
        let key = match term.read_key() {
            Ok(key) => key,
            Err(err) => {
                term.clear_last_lines(drawn)?;
                term.show_cursor()?;
                return Err(err);
            }
        };
        let pos = shown.iter().position(|&i| i == cursor).unwrap_or(0);
        match key {
            Key::ArrowUp | Key::BackTab => {
                cursor = shown[(pos + shown.len() - 1) % shown.len()];
            }
            Key::ArrowDown | Key::Tab => cursor = shown[(pos + 1) % shown.len()],
            Key::Home | Key::PageUp => cursor = shown[0],
            Key::End | Key::PageDown => cursor = shown[shown.len() - 1],
            Key::Escape => {
                if let Some(i) = spec.escape {
                    break Picked::Entry(i);
                }
            }
            Key::CtrlC => {
                term.clear_last_lines(drawn)?;
                term.show_cursor()?;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            Key::Enter => {
                if spec.multi && !spec.entries[cursor].extra {
                    let picked: Vec<usize> = (0..marks.len()).filter(|&i| marks[i]).collect();
                    break Picked::Marks(picked);
                }
                break Picked::Entry(cursor);
            }
            Key::Char(' ') if spec.multi && !spec.entries[cursor].extra => {
                marks[cursor] = !marks[cursor];
            }
            Key::Char(c) => {
                let c = c.to_ascii_lowercase();
                if let Some(i) = spec.entries.iter().position(|e| e.key == Some(c)) {
                    if spec.multi && !spec.entries[i].extra {
                        marks[i] = !marks[i];
                        cursor = i;
                    } else {
                        break Picked::Entry(i);
                    }
                }
            }
            _ => {}
        }
    };
    term.clear_last_lines(drawn)?;
    term.show_cursor()?;
    Ok(picked)
}

/// Reads a typed line on `term`, echoing it wrapped at word boundaries after `lead` (a long answer never
/// breaks a word across rows, at any width): Backspace deletes, Ctrl-U clears, Enter ends. The rows it drew
/// are cleared; the caller echoes the answer.
pub fn read_line(term: &Term, lead: &str, cols: usize) -> std::io::Result<String> {
    let width = cols.saturating_sub(1).max(10);
    let mut text = String::new();
    let mut drawn = 0;
    loop {
        let rows = wrap(&format!("{lead}{text}"), width, "  ");
        let rows = if rows.is_empty() {
            vec![lead.to_string()]
        } else {
            rows
        };
        if drawn > 0 {
            term.clear_last_lines(drawn)?;
        }
        for row in &rows {
            term.write_line(row)?;
        }
        drawn = rows.len();
        match term.read_key() {
            Ok(Key::Enter) => break,
            Ok(Key::Backspace) => {
                text.pop();
            }
            Ok(Key::Char('\u{15}')) => text.clear(),
            Ok(Key::Char(c)) if !c.is_control() => text.push(c),
            Ok(Key::CtrlC) => {
                term.clear_last_lines(drawn)?;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            Ok(_) => {}
            Err(err) => {
                term.clear_last_lines(drawn)?;
                return Err(err);
            }
        }
    }
    term.clear_last_lines(drawn)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grade_spec() -> Spec {
        let mut entries: Vec<Entry> = ["Again (1m)", "Hard (6m)", "Good (10m)", "Easy (8d)"]
            .iter()
            .zip(['1', '2', '3', '4'])
            .map(|(l, k)| Entry::main(*l, Some(k)))
            .collect();
        entries.push(Entry::extra(
            "(undo: take this answer back and answer again)",
            'u',
            "undo",
        ));
        entries.push(Entry::extra("(quit)", 'q', "quit"));
        Spec {
            prompt: "How well did you know it?".into(),
            entries,
            default: 2,
            multi: false,
            keys: "1-4 grade".into(),
            escape: Some(5),
        }
    }

    #[test]
    fn a_roomy_screen_shows_every_entry_and_no_recap() {
        let screen = Screen {
            rows: 24,
            cols: 80,
            since_header: 3,
            recap: vec!["[0 done · 3 left] deck/card".into()],
        };
        assert_eq!(
            layout(&grade_spec(), &screen, 2, &[]).0,
            [
                "How well did you know it?",
                "  1 Again (1m)",
                "  2 Hard (6m)",
                "> 3 Good (10m)",
                "  4 Easy (8d)",
                "  u (undo: take this answer back and answer again)",
                "  q (quit)",
                "(1-4 grade)",
            ]
        );
    }

    #[test]
    fn a_small_screen_keeps_one_row_per_grade_the_extras_behind_keys_and_recaps_the_header() {
        let screen = Screen {
            rows: 12,
            cols: 40,
            since_header: 8,
            recap: vec![
                "[0 done · 3 left] tcp-vs-udp/udp-no-handshake · truefalse".into(),
                "Right: it is false.".into(),
            ],
        };
        let rows = layout(&grade_spec(), &screen, 2, &[]).0;
        assert_eq!(
            rows,
            [
                "[0 done · 3 left]",
                "  tcp-vs-udp/udp-no-handshake ·",
                "Right: it is false.",
                "How well did you know it?",
                "  1 Again (1m)",
                "  2 Hard (6m)",
                "> 3 Good (10m)",
                "  4 Easy (8d)",
                "(1-4 grade · u undo · q quit)",
            ]
        );
        assert!(rows.iter().all(|r| r.width() < 40));
    }

    #[test]
    fn long_items_wrap_at_words_and_pages_say_where_they_are() {
        let mut spec = grade_spec();
        spec.entries[0].label =
            "Whoever opened the TCP connection last, whatever the protocol".into();
        let screen = Screen {
            rows: 8,
            cols: 30,
            since_header: 0,
            recap: Vec::new(),
        };
        assert_eq!(
            layout(&spec, &screen, 0, &[]).0,
            [
                "How well did you … [1-3 of 4]",
                "> 1 Whoever opened the TCP",
                "    connection last, whatever",
                "    the protocol",
                "  2 Hard (6m)",
                "  3 Good (10m)",
                "(1-4 grade · u undo · q quit)",
            ]
        );
    }

    #[test]
    fn a_transcript_row_wraps_its_last_column_under_itself() {
        let line = "TCP  connect 127.0.0.1:57081; getsockname     connection refused by the peer";
        assert_eq!(
            columns(line, 60),
            [
                "TCP  connect 127.0.0.1:57081; getsockname     connection",
                "                                              refused by the",
                "                                              peer",
            ]
        );
        assert_eq!(columns("short  line", 60), ["short  line"]);
    }

    #[test]
    fn cut_counts_display_width() {
        assert_eq!(cut("日本語テキスト", 7), "日本語…");
        assert_eq!(cut("short", 7), "short");
    }
}

//! Text from outside portquiz (decks, Anki imports, another machine's database, file names) made safe to
//! print. Decks are shared between people, so their text is data, never terminal markup: an escape sequence
//! in a prompt could clear the screen or write the clipboard (OSC 52), a bidi override could reverse what the
//! reader sees. Every such character is shown visibly instead, as Rust writes it (`\u{1b}`).
//!
//! Pure: no I/O. Shown escaped: C0 controls (except `\n` and `\t` in [`block`]), DEL, C1 controls, and the
//! bidi formatting characters (embeddings, overrides, isolates, marks).
use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw. `keep_layout`: `\n` and `\t` pass (multi-line blocks).
fn unsafe_char(c: char, keep_layout: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_layout,
        // C0, DEL and C1.
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi: Arabic letter mark, LRM/RLM, embeddings and overrides, isolates.
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

fn escape(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| unsafe_char(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c, keep_layout) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` for one line of output: every control character, line breaks and tabs included, and every bidi
/// formatting character shown as `\u{..}`.
pub fn line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// `text` for a block that may span lines: like [`line`], but `\n` and `\t` keep their meaning.
pub fn block(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// A path for one line of output (success and warning lines), as [`line`] shows text: a file name may hold
/// any byte but `/` and NUL, escapes included.
pub fn path(path: &std::path::Path) -> String {
    line(&path.display().to_string()).into_owned()
}

/// How many characters [`line`] shows for `c` (1, or the length of its escape).
pub fn shown_width(c: char) -> usize {
    if unsafe_char(c, false) {
        c.escape_unicode().count()
    } else {
        1
    }
}

/// `value` as pretty JSON in which the characters [`line`] escapes are JSON escapes (`\u007f`, `\u202e`):
/// the same JSON value, safe to print. serde_json already escapes C0; DEL, C1 and bidi it writes raw.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value)?;
    // The serializer writes whole UTF-8 characters, and every escape is ASCII.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

/// [`json`], written to `out` as it is made (`cards --json` at 100,000 cards is 19 MB: built whole and
/// then scanned, it was a third of the command).
pub fn write_json<W: std::io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let formatter = SafeFormatter(serde_json::ser::PrettyFormatter::new());
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
}

/// serde_json's pretty layout, with the characters it leaves raw in strings written as `\uXXXX`. Outside
/// strings JSON has only ASCII punctuation, digits, letters and whitespace, so strings are all there is to
/// escape, and `\uXXXX` means the same character there (all of them are in the BMP).
struct SafeFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeFormatter<'_> {
    fn write_string_fragment<W: std::io::Write + ?Sized>(
        &mut self,
        out: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Every character escaped here is DEL or beyond ASCII: most fragments are written at once.
        if !fragment.bytes().any(|b| b >= 0x7f) {
            return out.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| unsafe_char(c, true)) {
            out.write_all(&rest.as_bytes()[..i])?;
            write!(out, "\\u{:04x}", u32::from(c))?;
            rest = &rest[i + c.len_utf8()..];
        }
        out.write_all(rest.as_bytes())
    }

    fn begin_array<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.begin_array(out)
    }
    fn end_array<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_array(out)
    }
    fn begin_array_value<W: std::io::Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(out, first)
    }
    fn end_array_value<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(out)
    }
    fn begin_object<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.begin_object(out)
    }
    fn end_object<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_object(out)
    }
    fn begin_object_key<W: std::io::Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(out, first)
    }
    fn begin_object_value<W: std::io::Write + ?Sized>(
        &mut self,
        out: &mut W,
    ) -> std::io::Result<()> {
        self.0.begin_object_value(out)
    }
    fn end_object_value<W: std::io::Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_overrides_are_shown_visibly() {
        let hostile = "a\u{1b}]52;c;cm0gLXJmIC8K\u{7}b\u{1b}[2J\u{202e}txt\u{9b}\u{7f}\u{2066}\u{200f}\u{61c}\r";
        assert_eq!(
            line(hostile),
            "a\\u{1b}]52;c;cm0gLXJmIC8K\\u{7}b\\u{1b}[2J\\u{202e}txt\\u{9b}\\u{7f}\\u{2066}\\u{200f}\\u{61c}\\u{d}"
        );
    }

    #[test]
    fn blocks_keep_line_breaks_and_tabs_lines_do_not() {
        assert_eq!(block("one\n\ttwo\u{1b}"), "one\n\ttwo\\u{1b}");
        assert_eq!(line("one\n\ttwo"), "one\\u{a}\\u{9}two");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "Port 443 — HTTPS, «ok», 日本語, emoji 🙂";
        assert!(matches!(line(text), Cow::Borrowed(t) if t == text));
        assert_eq!(shown_width('a'), 1);
        assert_eq!(shown_width('\u{1b}'), 6);
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw_and_means_the_same() {
        let value = vec!["\u{1b}[2J\u{7f}\u{202e}x\u{85}"];
        let text = json(&value).unwrap();
        assert_eq!(text, "[\n  \"\\u001b[2J\\u007f\\u202ex\\u0085\"\n]");
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);

        // Keys too, around serde_json's own escapes; other characters beyond ASCII stay as they are.
        let value =
            std::collections::BTreeMap::from([("k\u{2066}\"é", "日本 \"q\"\u{7f}\\ \u{200f}end")]);
        let text = json(&value).unwrap();
        assert_eq!(
            text,
            "{\n  \"k\\u2066\\\"é\": \"日本 \\\"q\\\"\\u007f\\\\ \\u200fend\"\n}"
        );
        let back: std::collections::BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.into_iter().collect::<Vec<_>>(),
            [(
                "k\u{2066}\"é".to_string(),
                "日本 \"q\"\u{7f}\\ \u{200f}end".to_string()
            )]
        );
    }
}

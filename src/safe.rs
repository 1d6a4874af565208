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
    let text = serde_json::to_string_pretty(value)?;
    // Every character escaped here is DEL or beyond ASCII: a byte scan clears most output at once (19 MB
    // of `cards --json` at 100,000 cards: the character scan was a tenth of the command).
    if !text.bytes().any(|b| b >= 0x7f) || !text.chars().any(|c| unsafe_char(c, true)) {
        return Ok(text);
    }
    // Outside strings JSON has only ASCII punctuation, digits, letters and whitespace, so every such
    // character sits inside a string, where `\uXXXX` means the same character (all are in the BMP).
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c, true) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Ok(out)
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
    }
}

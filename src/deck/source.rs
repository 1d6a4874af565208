//! A deck file's text as the pipeline sees it: [`Source`] (a display name and the text, or the diagnostic
//! that explains why there is none) and [`decode`], which checks a file's bytes. Pure: [`super::load`]
//! reads the bytes. Below the compiler and the validator, so both can use it without importing each other.
use super::diag::Diagnostic;
use super::yaml::Pos;

/// A deck source: its display name and its text (or the diagnostic that explains why there is no text).
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Result<String, Diagnostic>,
}

/// Checks the encoding of a deck file's bytes.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let pos = end_pos(&prefix);
            return Err(Diagnostic::error(
                name,
                prefix.as_ref(),
                Some(pos),
                "not-utf8",
                "the file is not valid UTF-8 text",
            )
            .help("deck files must be saved as UTF-8; is this a binary file?"));
        }
    };
    if let Some(i) = text.find('\0') {
        let pos = end_pos(&text[..i]);
        return Err(Diagnostic::error(
            name,
            "",
            Some(pos),
            "nul-byte",
            "the file contains a NUL byte",
        )
        .help("deck files are plain text; is this a binary file?"));
    }
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Position just after `prefix` (where the next character would be).
fn end_pos(prefix: &str) -> Pos {
    // Line breaks as YAML counts them (see `diag::yaml_lines`): \n, \r\n and a lone \r.
    let breaks = prefix.matches('\n').count() + prefix.matches('\r').count()
        - prefix.matches("\r\n").count();
    let line = breaks + 1;
    let col = prefix
        .rsplit(['\n', '\r'])
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col).unwrap_or(u32::MAX),
    }
}

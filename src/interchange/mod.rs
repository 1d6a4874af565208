//! Moving progress and decks in and out of portquiz: Anki text files (both ways) and the review-log CSV that
//! FSRS tools read. Pure: text and logs in, text and logs out; the commands do the file and database I/O
//! (`portquiz merge`, which unites two review logs, is all in [`crate::commands`]).
pub mod anki;
pub mod revlog;

/// The characters a spreadsheet reads a cell starting with as a formula (OWASP's CSV injection).
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// A CSV or TSV cell a spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`), prefixed
/// with `'` as OWASP recommends; any other cell as it is.
pub(crate) fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell [`neutralised`] wrote, as it was: the `'` before a formula character taken off.
pub(crate) fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_quote_that_reading_takes_off() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("ok", "ok"),
            ("'quoted", "'quoted"),
            ("", ""),
        ] {
            assert_eq!(neutralised(cell), written);
            assert_eq!(unneutralised(written), cell);
        }
    }
}

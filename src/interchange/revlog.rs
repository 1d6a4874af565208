//! The review log as the CSV FSRS tools read (`card_id,review_time,review_rating,review_state,
//! review_duration`, times in milliseconds). Pure: rows in, text out; the store reads them.
use crate::review::Review;

/// A CSV field: control and bidi characters shown visibly ([`crate::safe::line`]), a cell a spreadsheet
/// would read as a formula (starting with `=`, `+`, `-` or `@`) prefixed with `'` as OWASP recommends, and
/// quoted when needed. Only `card_id` is text, and ids portquiz writes never start so (kebab-case): only an
/// id put in the database by other means is changed, and FSRS tools read it as an opaque key anyway.
fn csv_field(text: &str) -> String {
    let text = crate::safe::line(text);
    let text = super::neutralised(&text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The review log as CSV for FSRS tools: `card_id` is `deck/card`, `review_time` milliseconds since the
/// Unix epoch, `review_rating` 1-4, `review_state` 0 new, 1 learning, 2 review, 3 relearning,
/// `review_duration` milliseconds. Rows in time order.
pub fn to_csv(log: &[Review]) -> String {
    let mut rows: Vec<&Review> = log.iter().collect();
    rows.sort_by_key(|r| (r.time, r.deck.clone(), r.card.clone()));
    let mut out = String::from(CSV_HEADER);
    for r in rows {
        out.push_str(&csv_row(r));
    }
    out
}

/// The first line of [`to_csv`].
pub const CSV_HEADER: &str = "card_id,review_time,review_rating,review_state,review_duration\n";

/// One line of [`to_csv`], for writing a log as it is read.
pub fn csv_row(r: &Review) -> String {
    format!(
        "{},{},{},{},{}\n",
        csv_field(&format!("{}/{}", r.deck, r.card)),
        r.time.as_millisecond(),
        r.rating.as_u8(),
        r.state_before.as_u8(),
        r.duration_ms
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::{Rating, State};
    use Rating::{Again, Easy, Good};

    fn r(card: &str, at: &str, rating: Rating, state_before: State) -> Review {
        Review {
            state_before,
            duration_ms: 4200,
            ..Review::answered("ports", card, at, rating)
        }
    }

    #[test]
    fn csv_has_the_fsrs_columns_in_milliseconds() {
        let mut b = r("b", "2026-01-02T00:00:00.5Z", Again, State::Review);
        b.duration_ms = 0;
        b.deck = "odd,deck".into();
        let log = vec![
            b,
            r("a", "2026-01-01T00:00:00Z", Good, State::New),
            r("c", "2026-01-03T00:00:00Z", Easy, State::Relearning),
            r("d", "2026-01-04T00:00:00Z", Rating::Hard, State::Learning),
        ];
        assert_eq!(
            to_csv(&log),
            "card_id,review_time,review_rating,review_state,review_duration\n\
             ports/a,1767225600000,3,0,4200\n\
             \"odd,deck/b\",1767312000500,1,2,0\n\
             ports/c,1767398400000,4,3,4200\n\
             ports/d,1767484800000,2,1,4200\n"
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_prefixed() {
        let log: Vec<Review> = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "ok"]
            .iter()
            .enumerate()
            .map(|(i, deck)| Review {
                deck: (*deck).into(),
                ..r(&format!("c{i}"), "2026-01-01T00:00:00Z", Good, State::New)
            })
            .collect();
        // Rows come in time order, then by deck: `+` `-` `=` `@` `o`.
        let csv = to_csv(&log);
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        let cells: Vec<&str> = rows
            .iter()
            .map(|row| row.rsplitn(5, ',').last().unwrap())
            .collect();
        assert_eq!(
            cells,
            [
                "'+1/c1",
                "'-2/c2",
                "\"'=HYPERLINK(\"\"x\"\")/c0\"",
                "'@SUM(A1)/c3",
                "ok/c4"
            ]
        );
    }
}

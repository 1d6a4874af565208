//! Writing decks as one Anki text file: Anki's header lines (`#separator`, `#html`, `#notetype`,
//! `#columns`...), one note per card with HTML fields, the deck in a column and a portquiz GUID so a
//! re-import keeps the ids. Pure: decks in, text out.
use super::{EXPLAIN_MARK, GUID_PREFIX, HINT_MARK};
use crate::deck::{Card, CardKind, Deck};

/// The result of an export: the file text and the cards that have no Anki equivalent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    pub notes: usize,
    /// `deck/card` of practical and lab cards, which need portquiz to run.
    pub skipped: Vec<String>,
}

/// Front and back of a card as Anki shows it, or `None` for cards only portquiz can check live.
pub fn front_back(card: &Card) -> Option<(String, String)> {
    let back = card.kind.plain_back()?;
    let mut front = card.prompt.clone();
    if let CardKind::Choice { options, .. } = &card.kind {
        let order = shuffled(options.len(), card.id.as_str());
        for (shown, &i) in order.iter().enumerate() {
            front.push_str(&format!("\n{}. {}", shown + 1, options[i].text));
        }
    }
    Some((front, back))
}

/// The positions `0..n` in an order fixed by `seed_text` (a card id): Anki shows options as written, and
/// decks list the right answer first more often than not (it was option 1 in all 122 exported
/// single-answer choice cards), so the export shuffles them, the same way on every run. FNV-1a of the id
/// seeds a SplitMix64 generator for a Fisher-Yates shuffle: both are fixed algorithms, so the order does
/// not change with a library's version.
fn shuffled(n: usize, seed_text: &str) -> Vec<usize> {
    let mut state = seed_text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = usize::try_from(next() % (i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

/// The back of an exported note as HTML: the answer, then the explanation and the hint after their marks,
/// which the import reads back into `explain` and `hint`.
fn back_html(back: &str, card: &Card) -> String {
    let mut out = html(back);
    if let Some(explain) = card.explain.as_deref().filter(|e| !e.trim().is_empty()) {
        out.push_str(EXPLAIN_MARK);
        out.push_str(&html(explain));
    }
    if let Some(hint) = card.hint.as_deref().filter(|h| !h.trim().is_empty()) {
        out.push_str(HINT_MARK);
        out.push_str(&html(hint));
    }
    out
}

/// `text` as an HTML field (the export says `#html:true`): `&`, `<`, `>` and `"` escaped, so text such as
/// `<port>` shows as written, and each line break a `<br>`, so Anki shows options and explanations on their
/// own lines instead of run together.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// A field that begins a cell, made safe to begin one: Anki reads a line starting with `#` as a comment or
/// a header (`#deck:`, `#separator:`), so the note vanished or the import changed; a spreadsheet reads a
/// cell starting with `=`, `+`, `-`, `@` or a tab as a formula (OWASP's CSV injection). The first character
/// is then written as its HTML entity (`&#35;`): Anki shows the same character (fields are HTML), and the
/// cell no longer starts with it. OWASP's `'` prefix would show in every such card.
fn cell(html: String) -> String {
    match html.chars().next() {
        Some(c @ ('#' | '=' | '+' | '-' | '@' | '\t')) => {
            format!("&#{};{}", u32::from(c), &html[c.len_utf8()..])
        }
        _ => html,
    }
}

/// Quotes a field when it holds a tab, a newline or a double quote (quotes doubled), as Anki reads it.
/// Other control characters and bidi overrides are written visibly ([`crate::safe::block`]).
fn field(text: &str) -> String {
    let text = crate::safe::block(text);
    if text.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Exports decks as one Anki text file (tab-separated, HTML fields, Basic note type). Each deck becomes the
/// Anki deck `portquiz::<deck id>` through the deck column; tags are joined by spaces, and a tags cell a
/// spreadsheet would read as a formula gets OWASP's `'` in front (tags are not HTML, so [`cell`]'s entity
/// would stay in the tag; Anki keeps the `'` on the first tag, portquiz's import takes it off).
pub fn export(decks: &[Deck]) -> Export {
    let mut text = String::from(
        "#separator:tab\n#html:true\n#notetype:Basic\n#columns:Front\tBack\tTags\tDeck\tGUID\n#tags column:3\n#deck column:4\n#guid column:5\n",
    );
    let mut notes = 0;
    let mut skipped = Vec::new();
    for deck in decks {
        for card in &deck.cards {
            let Some((front, back)) = front_back(card) else {
                skipped.push(format!("{}/{}", deck.id, card.id));
                continue;
            };
            let tags: Vec<String> = card
                .tags
                .iter()
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
                .collect();
            text.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                field(&cell(html(&front))),
                field(&cell(back_html(&back, card))),
                field(&crate::interchange::neutralised(&tags.join(" "))),
                field(&format!("portquiz::{}", deck.id)),
                field(&format!("{GUID_PREFIX}{}/{}", deck.id, card.id)),
            ));
            notes += 1;
        }
    }
    Export {
        text,
        notes,
        skipped,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::fixtures::{deck, flash};
    use super::*;

    #[test]
    fn a_tags_cell_a_spreadsheet_would_run_gets_a_quote_in_front() {
        let d = deck(vec![
            flash("sum", "Sum?", "two", &["=SUM(A1)", "ok"]),
            flash("plus", "Plus?", "one", &["+x"]),
            flash("minus", "Minus?", "one", &["-x", "=later"]),
            flash("at", "At?", "one", &["@x"]),
            flash("plain", "Plain?", "one", &["ok", "=later"]),
        ]);
        let tags: Vec<String> = export(&[d])
            .text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').nth(2).unwrap().to_string())
            .collect();
        assert_eq!(
            tags,
            ["'=SUM(A1) ok", "'+x", "'-x =later", "'@x", "ok =later"]
        );
    }

    #[test]
    fn export_writes_headers_and_quotes_awkward_fields() {
        let mut lab = flash("lab", "Start a listener", "", &[]);
        lab.kind = CardKind::Lab {
            experiment: "lab-start-listener".into(),
            params: crate::deck::LabParams::default(),
        };
        let d = deck(vec![
            flash(
                "port",
                "What is a port?",
                "A number",
                &["basics", "two words"],
            ),
            flash("quote", "Say \"hi\"\ttab", "line one\nline two", &[]),
            flash("markup", "Is <b> bold & safe?", "a < b > c", &[]),
            lab,
        ]);
        let out = export(&[d]);
        assert_eq!(
            out.text,
            "#separator:tab\n#html:true\n#notetype:Basic\n#columns:Front\tBack\tTags\tDeck\tGUID\n#tags column:3\n#deck column:4\n#guid column:5\n\
             What is a port?\tA number\tbasics two_words\tportquiz::ports\tportquiz:ports/port\n\
             \"Say &quot;hi&quot;\ttab\"\tline one<br>line two\t\tportquiz::ports\tportquiz:ports/quote\n\
             Is &lt;b&gt; bold &amp; safe?\ta &lt; b &gt; c\t\tportquiz::ports\tportquiz:ports/markup\n"
        );
        assert_eq!(out.notes, 3);
        assert_eq!(out.skipped, vec!["ports/lab".to_string()]);
    }

    #[test]
    fn choice_truefalse_typed_become_front_and_back() {
        let mut c = flash("c", "Which range?", "", &[]);
        c.kind = CardKind::Choice {
            options: vec![
                crate::deck::ChoiceOption {
                    text: "0-65535".into(),
                    why: None,
                },
                crate::deck::ChoiceOption {
                    text: "1-1024".into(),
                    why: None,
                },
            ],
            answers: vec![0],
        };
        c.explain = Some("16 bits.".into());
        assert_eq!(
            front_back(&c).unwrap(),
            (
                // The order is fixed by the card id (`c` puts the second option first).
                "Which range?\n1. 1-1024\n2. 0-65535".to_string(),
                "0-65535".to_string()
            )
        );
        c.kind = CardKind::TrueFalse { answer: false };
        c.explain = None;
        assert_eq!(front_back(&c).unwrap().1, "False");
        c.kind = CardKind::Typed {
            accept: vec!["443".into()],
            keywords: vec![],
            answer: None,
            exact: false,
            ordered: false,
        };
        assert_eq!(front_back(&c).unwrap().1, "443");
    }

    #[test]
    fn options_are_shuffled_by_a_fixed_algorithm_and_cells_never_start_with_a_trigger() {
        assert_eq!(shuffled(3, "port-range"), [2, 1, 0]);
        assert_eq!(shuffled(2, "x"), [0, 1]);
        let mut order = shuffled(10, "many");
        order.sort_unstable();
        assert_eq!(order, (0..10).collect::<Vec<_>>());
        let cells: Vec<String> = ["#deck:x", "=1", "+1", "-1", "@a", "\tt", "ok #", "é"]
            .iter()
            .map(|t| cell((*t).to_string()))
            .collect();
        assert_eq!(
            cells,
            [
                "&#35;deck:x",
                "&#61;1",
                "&#43;1",
                "&#45;1",
                "&#64;a",
                "&#9;t",
                "ok #",
                "é"
            ]
        );
    }
}

//! Anki text files: exporting decks in Anki's text-import format (with its `#separator`, `#html`,
//! `#notetype`, `#deck`, `#columns` header lines) and turning an Anki text export (front/back per line)
//! into a portquiz deck YAML text. Pure: text in, text out; the command does the file I/O and writes
//! nothing when any line is malformed.
use std::collections::HashSet;
use std::fmt;

use crate::deck::Diagnostic;
use crate::deck::id::MAX_ID_LEN;
use crate::deck::yaml::Pos;
use crate::deck::{Card, CardKind, Deck, DeckId, slug};

/// Prefix of the GUID column portquiz writes, so a re-import keeps the card ids: `portquiz:DECK/CARD`.
const GUID_PREFIX: &str = "portquiz:";

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
    let back = match &card.kind {
        CardKind::Flashcard { back } => back.clone(),
        CardKind::Choice { options, answers } => {
            let mut front = card.prompt.clone();
            for (i, option) in options.iter().enumerate() {
                front.push_str(&format!("\n{}. {}", i + 1, option.text));
            }
            let back = answers
                .iter()
                .filter_map(|&i| options.get(i).map(|o| o.text.clone()))
                .collect::<Vec<_>>()
                .join("; ");
            return Some((front, back));
        }
        CardKind::TrueFalse { answer } => if *answer { "True" } else { "False" }.to_string(),
        CardKind::Typed { accept, answer, .. } => answer
            .clone()
            .or_else(|| accept.first().cloned())
            .unwrap_or_default(),
        CardKind::Practical { .. } | CardKind::Lab { .. } => return None,
    };
    Some((card.prompt.clone(), back))
}

/// Where the answer ends on the back of an exported note and the explanation starts (a rule in Anki).
const EXPLAIN_MARK: &str = "<hr id=explain>";
/// Where the hint starts on the back of an exported note.
const HINT_MARK: &str = "<hr id=hint>Hint: ";

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

/// A back as [`back_html`] writes it, split into the answer, the explanation and the hint (still HTML).
fn split_back(back: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, hint) = match back.split_once(HINT_MARK) {
        Some((rest, hint)) => (rest, Some(hint)),
        None => (back, None),
    };
    match rest.split_once(EXPLAIN_MARK) {
        Some((answer, explain)) => (answer, Some(explain), hint),
        None => (rest, None, hint),
    }
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
/// Anki deck `portquiz::<deck id>` through the deck column; tags are joined by spaces.
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
                field(&html(&front)),
                field(&back_html(&back, card)),
                field(&tags.join(" ")),
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

/// A problem in an Anki text file, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    /// The problem as a deck-style diagnostic on `file` (whose whole text is `text`), so that it is rendered
    /// like every other problem: location, the offending line underlined, the message.
    pub fn to_diagnostic(&self, file: &str, text: &str) -> Diagnostic {
        let line = u32::try_from(self.line).unwrap_or(u32::MAX);
        let d = Diagnostic::error(file, text, Some(Pos { line, col: 1 }), &self.message);
        let width = d.source_line().map_or(1, |l| l.chars().count());
        d.width(width)
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One note read from an Anki text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    /// The card id from a portquiz GUID, when the file came from `export anki`.
    pub id: Option<String>,
    /// The explanation and the hint `export anki` put on the back, after their marks.
    pub explain: Option<String>,
    pub hint: Option<String>,
    /// Images (`<img>`) dropped from the note: a deck holds text only.
    pub images: usize,
    /// A "Basic (type in the answer)" note: it becomes a typed card.
    pub typed: bool,
    /// Line where the note starts.
    pub line: usize,
}

#[derive(Debug, Default)]
struct Headers {
    separator: Option<char>,
    html: bool,
    deck: Option<String>,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
    deck_column: Option<usize>,
    notetype: Option<String>,
    notetype_column: Option<usize>,
    /// 1-based columns that are not note fields (notetype, deck, tags, guid).
    meta_columns: Vec<usize>,
}

/// The byte offset in `text` where its line `n` (0-based) starts, or the end of `text`.
fn offset_of_line(text: &str, n: usize) -> usize {
    text.split_inclusive('\n').take(n).map(str::len).sum()
}

fn separator_value(value: &str) -> Option<char> {
    match value.trim().to_ascii_lowercase().as_str() {
        "tab" | "\\t" => Some('\t'),
        "comma" => Some(','),
        "semicolon" => Some(';'),
        "space" => Some(' '),
        "pipe" => Some('|'),
        "colon" => Some(':'),
        other => {
            let mut chars = value.chars();
            match (chars.next(), chars.next(), other.is_empty()) {
                (Some(c), None, false) if c.is_ascii() => Some(c),
                _ => None,
            }
        }
    }
}

const UNCLOSED_QUOTE: &str = "a quoted field is never closed (add the closing \")";
const TEXT_AFTER_QUOTE: &str =
    "text follows a closing quote; double a quote inside a quoted field (\"\")";

/// The records of `body` (the file after its header lines, which start on line `first_line`), read by
/// the `csv` crate: `sep` between fields, quoted fields that may span lines and double their quotes, no
/// header row, records of any length. Each record comes with the 1-based line it starts on; blank records
/// are skipped. Stops at the first error or quoting mistake (see [`quoting_mistake`]), as an unclosed quote
/// swallows the rest of the file.
fn records(
    body: &str,
    first_line: usize,
    sep: u8,
) -> (Vec<(usize, Vec<String>)>, Option<LineError>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .comment(None)
        .from_reader(body.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().clone();
        let more = match reader.read_record(&mut record) {
            Ok(more) => more,
            Err(e) => {
                let at = e.position().map_or(start.line(), csv::Position::line);
                let line = first_line + usize::try_from(at).unwrap_or(1).saturating_sub(1);
                let message = e.to_string();
                return (out, Some(LineError { line, message }));
            }
        };
        if !more {
            return (out, None);
        }
        let begin = usize::try_from(start.byte()).unwrap_or(usize::MAX);
        let end = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
        let raw = body.get(begin..end).unwrap_or_default();
        // csv skips empty lines itself; count the ones before this record to find its first line.
        let blank = raw.len() - raw.trim_start_matches(['\r', '\n']).len();
        let skipped = raw[..blank].matches('\n').count();
        let line =
            first_line + usize::try_from(start.line()).unwrap_or(1).saturating_sub(1) + skipped;
        if let Some(message) = quoting_mistake(&raw[blank..], sep) {
            let message = message.into();
            return (out, Some(LineError { line, message }));
        }
        if raw.trim().is_empty() {
            continue;
        }
        out.push((
            line,
            record.iter().map(|f| f.replace("\r\n", "\n")).collect(),
        ));
    }
}

/// A quoting mistake in one record's raw text that the `csv` crate reads leniently instead of refusing:
/// text after a closing quote (csv appends it to the field) or a quote never closed (csv reads to the
/// end of the file). Anki refuses both, so the import says where they are.
fn quoting_mistake(raw: &str, sep: u8) -> Option<&'static str> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut at_field_start = true;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        if at_field_start && b == b'"' {
            loop {
                match (bytes.get(i), bytes.get(i + 1)) {
                    (None, _) => return Some(UNCLOSED_QUOTE),
                    (Some(b'"'), Some(b'"')) => i += 2,
                    (Some(b'"'), _) => break,
                    _ => i += 1,
                }
            }
            i += 1;
            match bytes.get(i) {
                None | Some(b'\r' | b'\n') => return None,
                Some(&next) if next == sep => {}
                Some(_) => return Some(TEXT_AFTER_QUOTE),
            }
            i += 1;
            continue;
        }
        at_field_start = b == sep;
    }
    None
}

/// Turns HTML from an Anki export into plain text: line breaks (`<br>`, block ends, each list item on its
/// own line), tags dropped, every entity decoded (`html-escape`: `&mdash;`, `&#x27;`, `&#8212;`). Counts
/// the images dropped into `images`.
fn strip_html(text: &str, images: &mut usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) => {
                let tag = rest[start + 1..start + end].trim().to_ascii_lowercase();
                let name = tag.split_whitespace().next().unwrap_or_default();
                match name {
                    "img" | "img/" => *images += 1,
                    "li" => out.push_str("\n- "),
                    _ if name.starts_with("br")
                        || ["/div", "/p", "ul", "/ul", "ol", "/ol"].contains(&name) =>
                    {
                        out.push('\n')
                    }
                    _ => {}
                }
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out).replace('\u{a0}', " ");
    // Runs of blank lines left by nested blocks become one.
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim_end) {
        if !(line.is_empty() && lines.last().is_some_and(|l| l.is_empty())) {
            lines.push(line);
        }
    }
    lines.join("\n").trim().to_string()
}

/// A cloze note (`{{c1::443}}`, `{{c1::443::port}}`) as a question and its answer: each deletion shown as
/// `[...]` (or `[hint]`), the answer the deleted texts in order. `None` for text without a deletion.
fn cloze(text: &str) -> Option<(String, String)> {
    let mut front = String::new();
    let mut answers = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        let mut parts = inner.splitn(3, "::");
        let (Some(number), Some(answer)) = (parts.next(), parts.next()) else {
            break;
        };
        if !number[1..].chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        front.push_str(&rest[..start]);
        match parts.next() {
            Some(hint) => front.push_str(&format!("[{hint}]")),
            None => front.push_str("[...]"),
        }
        answers.push(answer.to_string());
        rest = &rest[start + len + 2..];
    }
    front.push_str(rest);
    (!answers.is_empty()).then(|| (front, answers.join("; ")))
}

/// Reads an Anki text export: header lines (`#key:value`) first, then one note per record. Without a
/// `#separator` header, a tab on the first record means tabs, else `;`, else `,` (as Anki guesses).
/// Every malformed record is reported with its line number.
pub fn parse(text: &str) -> Result<(Option<String>, Vec<Note>), Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut headers = Headers::default();
    let mut errors = Vec::new();
    let mut start = 0;
    while start < lines.len() && lines[start].starts_with('#') {
        let line = &lines[start][1..];
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim_end_matches('\r');
            let column = || value.trim().parse::<usize>().ok().filter(|&c| c > 0);
            match key.as_str() {
                "separator" => match separator_value(value) {
                    Some(c) => headers.separator = Some(c),
                    None => errors.push(LineError {
                        line: start + 1,
                        message: format!(
                            "unknown separator {value:?}; use tab, comma, semicolon, space, pipe, colon or one character"
                        ),
                    }),
                },
                "html" => headers.html = value.trim().eq_ignore_ascii_case("true"),
                "deck" => headers.deck = Some(value.trim().to_string()),
                "tags column" | "guid column" | "notetype column" | "deck column" => {
                    // A column that is not a note field: where it is, and that it is not front or back.
                    let slot = match key.as_str() {
                        "tags column" => &mut headers.tags_column,
                        "guid column" => &mut headers.guid_column,
                        "notetype column" => &mut headers.notetype_column,
                        _ => &mut headers.deck_column,
                    };
                    *slot = column();
                    headers.meta_columns.extend(column());
                }
                "notetype" => headers.notetype = Some(value.trim().to_string()),
                _ => {} // #columns, #if matches, #tags: nothing to do for a deck.
            }
        }
        start += 1;
    }
    let sep = headers.separator.unwrap_or_else(|| {
        let first = lines[start..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .copied()
            .unwrap_or("");
        if first.contains('\t') {
            '\t'
        } else if first.contains(';') {
            ';'
        } else {
            ','
        }
    });
    let body = &text[offset_of_line(text, start)..];
    // `separator_value` and the guess give ASCII only, which csv takes as one byte.
    let (records, quoting) = records(body, start + 1, u8::try_from(sep).unwrap_or(b','));
    let mut notes = Vec::new();
    for (line_no, fields) in records {
        let tags: Vec<String> = headers
            .tags_column
            .and_then(|c| fields.get(c - 1))
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        // A portquiz GUID gives back the card id; Anki's own GUID an id made from its bytes, so that
        // fixing a typo in Anki and importing again keeps the card (and its progress).
        let id = headers
            .guid_column
            .and_then(|c| fields.get(c - 1))
            .filter(|g| !g.trim().is_empty())
            .and_then(|g| match g.strip_prefix(GUID_PREFIX) {
                Some(ours) => ours.split_once('/').map(|(_, card)| card.to_string()),
                None => Some(format!(
                    "anki-{}",
                    g.trim()
                        .bytes()
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                )),
            });
        if headers.deck.is_none() {
            headers.deck = headers
                .deck_column
                .and_then(|c| fields.get(c - 1))
                .filter(|d| !d.trim().is_empty())
                .cloned();
        }
        let typed = headers
            .notetype_column
            .and_then(|c| fields.get(c - 1))
            .or(headers.notetype.as_ref())
            .is_some_and(|t| t.to_lowercase().contains("type in the answer"));
        let note_fields: Vec<&String> = fields
            .iter()
            .enumerate()
            .filter(|(n, _)| !headers.meta_columns.contains(&(n + 1)))
            .map(|(_, f)| f)
            .collect();
        let mut images = 0;
        let mut clean = |s: &str| {
            if headers.html {
                strip_html(s, &mut images)
            } else {
                s.trim().to_string()
            }
        };
        let (front, back) = match note_fields.as_slice() {
            [front, back, ..] => (clean(front), back.as_str()),
            // A cloze note may have its text alone (no Extra field).
            [front] if cloze(front).is_some() => (clean(front), ""),
            _ => {
                errors.push(LineError {
                    line: line_no,
                    message: format!(
                        "expected a front and a back separated by {}, found one field",
                        describe_sep(sep)
                    ),
                });
                continue;
            }
        };
        // Only an HTML export can carry the marks (in plain text they would be the author's own words).
        let (back, explain, hint) = if headers.html {
            split_back(back)
        } else {
            (back, None, None)
        };
        let (mut front, mut back, explain, hint) = (
            front,
            clean(back),
            explain.map(&mut clean).filter(|e| !e.is_empty()),
            hint.map(&mut clean).filter(|h| !h.is_empty()),
        );
        // A cloze note asks its text with each deletion blanked; the answer is what was deleted, then
        // its Extra field.
        if let Some((question, answer)) = cloze(&front) {
            back = if back.is_empty() {
                answer
            } else {
                format!("{answer}\n\n{back}")
            };
            front = question;
        }
        if front.is_empty() || back.is_empty() {
            errors.push(LineError {
                line: line_no,
                message: format!(
                    "the {} is empty; every card needs a front and a back",
                    if front.is_empty() { "front" } else { "back" }
                ),
            });
            continue;
        }
        notes.push(Note {
            front,
            back,
            tags,
            id,
            explain,
            hint,
            images,
            typed,
            line: line_no,
        });
    }
    errors.extend(quoting);
    if notes.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: lines.len().max(1),
            message: "the file holds no cards".into(),
        });
    }
    if errors.is_empty() {
        Ok((headers.deck, notes))
    } else {
        Err(errors)
    }
}

fn describe_sep(sep: char) -> String {
    match sep {
        '\t' => "a tab".into(),
        ' ' => "a space".into(),
        c => format!("{c:?}"),
    }
}

/// A YAML double-quoted scalar: JSON string escapes are valid YAML. Control and bidi characters are
/// written as escapes ([`crate::safe::json`]), so the deck file shows them to whoever opens it.
fn quoted(text: &str) -> String {
    // Serialising a string cannot fail.
    crate::safe::json(text).unwrap_or_default()
}

/// Builds the deck YAML text for imported notes: flashcards with kebab-case ids made unique from the
/// front text (or kept from a portquiz GUID).
pub fn to_deck_yaml(id: &DeckId, title: &str, notes: &[Note]) -> String {
    let mut out = format!(
        "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\nid: {id}\ntitle: {}\ncards:\n",
        quoted(title)
    );
    // Ids from portquiz GUIDs first (table cells `t/row/col` become `t-row-col`), so a round trip keeps
    // them; then ids from the front text, avoiding those. Duplicates (several decks in one file) get `-2`...
    let mut seen: HashSet<String> = HashSet::new();
    let mut ids: Vec<Option<String>> = notes
        .iter()
        .map(|n| {
            n.id.as_deref()
                .filter(|id| !slug(id).is_empty())
                .map(|id| unique_id(id, &mut seen))
        })
        .collect();
    for (note, id) in notes.iter().zip(ids.iter_mut()) {
        if id.is_none() {
            *id = Some(unique_id(&note.front, &mut seen));
        }
    }
    for (note, card_id) in notes.iter().zip(ids.into_iter().flatten()) {
        out.push_str(&if note.typed {
            format!(
                "  - id: {card_id}\n    type: typed\n    prompt: {}\n    accept: [{}]\n",
                quoted(&note.front),
                quoted(&note.back)
            )
        } else {
            format!(
                "  - id: {card_id}\n    type: flashcard\n    prompt: {}\n    answer: {}\n",
                quoted(&note.front),
                quoted(&note.back)
            )
        });
        for (key, value) in [("explain", &note.explain), ("hint", &note.hint)] {
            if let Some(value) = value {
                out.push_str(&format!("    {key}: {}\n", quoted(value)));
            }
        }
        if !note.tags.is_empty() {
            let tags: Vec<String> = note.tags.iter().map(|t| quoted(t)).collect();
            out.push_str(&format!("    tags: [{}]\n", tags.join(", ")));
        }
    }
    out
}

/// An id from `text` by the id rule ([`slug`]; at most 60 characters, so a short suffix still fits), with
/// `-2`, `-3`... added until unused (the stem shortened further when a long suffix would pass
/// [`MAX_ID_LEN`]).
fn unique_id(text: &str, seen: &mut HashSet<String>) -> String {
    let mut base = slug(text);
    if base.len() > 60 {
        base = stem(&base, 60).to_string();
    }
    if base.is_empty() {
        base = "card".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while seen.contains(&id) {
        let suffix = format!("-{n}");
        id = format!("{}{suffix}", stem(&base, MAX_ID_LEN - suffix.len()));
        n += 1;
    }
    seen.insert(id.clone());
    id
}

/// `slug` cut to at most `len` bytes (it is ASCII), without a dash at the end.
fn stem(slug: &str, len: usize) -> &str {
    slug.get(..len.min(slug.len()))
        .unwrap_or(slug)
        .trim_end_matches('-')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::deck::{CardId, Known, parse_deck};

    fn deck_id(text: &str) -> DeckId {
        DeckId::new(text).unwrap()
    }

    fn flash(id: &str, prompt: &str, back: &str, tags: &[&str]) -> Card {
        Card {
            id: CardId::new(id).unwrap(),
            prompt: prompt.into(),
            kind: CardKind::Flashcard { back: back.into() },
            explain: None,
            hint: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            line: 1,
            follow_up: vec![],
            demo: None,
        }
    }

    fn deck(cards: Vec<Card>) -> Deck {
        Deck {
            id: deck_id("ports"),
            title: "Ports".into(),
            description: None,
            tags: vec![],
            origin: "test".into(),
            cards,
        }
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
                "Which range?\n1. 0-65535\n2. 1-1024".to_string(),
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
    fn explain_and_hint_go_on_the_back_and_come_back() {
        let mut card = flash("port", "What is a port?", "A number", &[]);
        card.explain = Some("It picks the socket.\nNot the host.".into());
        card.hint = Some("16 bits".into());
        let out = export(&[deck(vec![card])]);
        assert_eq!(
            out.text.lines().last().unwrap(),
            "What is a port?\tA number<hr id=explain>It picks the socket.<br>Not the host.<hr id=hint>Hint: 16 bits\t\tportquiz::ports\tportquiz:ports/port"
        );
        let (_, notes) = parse(&out.text).unwrap();
        assert_eq!(
            (
                notes[0].back.as_str(),
                notes[0].explain.as_deref(),
                notes[0].hint.as_deref()
            ),
            (
                "A number",
                Some("It picks the socket.\nNot the host."),
                Some("16 bits")
            )
        );
        assert_eq!(
            to_deck_yaml(&deck_id("ports"), "Ports", &notes),
            "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\nid: ports\ntitle: \"Ports\"\ncards:\n  - id: port\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"A number\"\n    explain: \"It picks the socket.\\nNot the host.\"\n    hint: \"16 bits\"\n"
        );
    }

    #[test]
    fn import_decodes_every_entity_keeps_list_items_apart_counts_images_and_reads_cloze() {
        let text = "#separator:tab\n#html:true\n<ul><li>GET</li><li>HEAD</li></ul>Which are safe?\tBoth &mdash; &#x27;safe&#x27; &#8212; yes<img src=\"a.png\">\n{{c1::443}} is the port of {{c2::HTTPS::a protocol}}\t\n";
        let (_, notes) = parse(text).unwrap();
        let got: Vec<(&str, &str, usize)> = notes
            .iter()
            .map(|n| (n.front.as_str(), n.back.as_str(), n.images))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "- GET\n- HEAD\nWhich are safe?",
                    "Both \u{2014} 'safe' \u{2014} yes",
                    1
                ),
                ("[...] is the port of [a protocol]", "443; HTTPS", 0),
            ]
        );
    }

    /// What Anki's own "Notes in Plain Text" export carries: a GUID, note type and deck column.
    #[test]
    fn anki_guids_note_types_and_deck_column_are_used() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\nx/Fq!2\tBasic (type in the answer)\tOps::Networking::Ports\tHTTPS port?\t443\nb9Z\tBasic\tOps::Networking::Ports\tWhat is a port?\tA number\n";
        let (deck, notes) = parse(text).unwrap();
        assert_eq!(deck.as_deref(), Some("Ops::Networking::Ports"));
        assert_eq!(
            to_deck_yaml(&deck_id("ports"), "Ports", &notes),
            "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\nid: ports\ntitle: \"Ports\"\ncards:\n  - id: anki-782f46712132\n    type: typed\n    prompt: \"HTTPS port?\"\n    accept: [\"443\"]\n  - id: anki-62395a\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"A number\"\n"
        );
    }

    #[test]
    fn round_trip_keeps_cards() {
        let d = deck(vec![
            flash("port", "What is a port?", "A number", &["basics"]),
            flash("quote", "Say \"hi\"\ttab", "line one\nline two", &[]),
            flash("markup", "Is <b> bold & safe?", "a < b > c", &[]),
        ]);
        let out = export(std::slice::from_ref(&d));
        let (_, notes) = parse(&out.text).unwrap();
        let yaml = to_deck_yaml(&deck_id("ports"), "Ports", &notes);
        let back = parse_deck(&yaml, "ports.yaml", &Known::default()).unwrap();
        let strip = |d: &Deck| {
            d.cards
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.prompt.clone(),
                        c.kind.clone(),
                        c.tags.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&back), strip(&d));
    }

    #[test]
    fn import_plain_anki_export_makes_unique_ids_and_honours_separator() {
        let text = "#separator:Pipe\n#html:true\n#deck:Networking\nWhat is a port?|A <b>number</b><br>16 bits\nWhat is a port?|Again &amp; again\n\n!!!|punctuation only\n";
        let (title, notes) = parse(text).unwrap();
        assert_eq!(title.as_deref(), Some("Networking"));
        assert_eq!(notes[0].back, "A number\n16 bits");
        assert_eq!(notes[1].back, "Again & again");
        let yaml = to_deck_yaml(&deck_id("net"), "Networking", &notes);
        assert_eq!(
            yaml,
            "# Imported from an Anki text file by `portquiz import anki`.\nformat: 1\nid: net\ntitle: \"Networking\"\ncards:\n\
             \x20 - id: what-is-a-port\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"A number\\n16 bits\"\n\
             \x20 - id: what-is-a-port-2\n    type: flashcard\n    prompt: \"What is a port?\"\n    answer: \"Again & again\"\n\
             \x20 - id: card\n    type: flashcard\n    prompt: \"!!!\"\n    answer: \"punctuation only\"\n"
        );
        let d = parse_deck(&yaml, "net.yaml", &Known::default()).unwrap();
        assert_eq!(d.cards.len(), 3);
    }

    #[test]
    fn malformed_lines_are_reported_with_their_numbers() {
        let text =
            "#separator:tab\nfront\tback\nno separator here\n\tempty front\nok\t\"never closed\n";
        let errors = parse(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "line 3: expected a front and a back separated by a tab, found one field",
                "line 4: the front is empty; every card needs a front and a back",
                "line 5: a quoted field is never closed (add the closing \")",
            ]
        );
        assert_eq!(
            parse("#separator:wat\na\tb\n").unwrap_err()[0].to_string(),
            "line 1: unknown separator \"wat\"; use tab, comma, semicolon, space, pipe, colon or one character"
        );
        assert_eq!(
            parse("#html:false\n").unwrap_err()[0].to_string(),
            "line 1: the file holds no cards"
        );
    }

    #[test]
    fn guid_ids_of_table_cells_and_several_decks_stay_unique_and_valid() {
        let mut a = deck(vec![
            flash("port", "What is a port?", "A number", &[]),
            flash("t/row/port", "Table: row - Port?", "A number", &[]),
        ]);
        a.id = deck_id("one");
        let mut b = deck(vec![flash("port", "Port, again?", "Yes", &[])]);
        b.id = deck_id("two");
        let (_, notes) = parse(&export(&[a, b]).text).unwrap();
        let yaml = to_deck_yaml(&deck_id("both"), "Both", &notes);
        let d = parse_deck(&yaml, "both.yaml", &Known::default()).unwrap();
        let ids: Vec<&str> = d.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["port", "t-row-port", "port-2"]);
    }

    #[test]
    fn separator_is_guessed_without_a_header() {
        let (_, notes) = parse("a,b\nc,\"d, e\"\n").unwrap();
        assert_eq!(notes[1].back, "d, e");
        let (_, notes) = parse("a\tb;c\n").unwrap();
        assert_eq!(notes[0].back, "b;c");
        let (_, notes) = parse("#separator:Semicolon\na;b,c\n").unwrap();
        assert_eq!(notes[0].back, "b,c");
    }

    #[test]
    fn quoted_fields_span_lines_double_quotes_and_mistakes_are_located() {
        let text =
            "#separator:tab\r\n\r\n\r\n\"say \"\"hi\"\"\r\nthere\"\tback\r\n\r\nnext\tone\r\n";
        let (_, notes) = parse(text).unwrap();
        let got: Vec<(usize, &str, &str)> = notes
            .iter()
            .map(|n| (n.line, n.front.as_str(), n.back.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(4, "say \"hi\"\nthere", "back"), (7, "next", "one")]
        );
        let shown: Vec<String> = parse("a\tb\n\n\"c\"d\te\nf\tg\n")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            vec![
                "line 3: text follows a closing quote; double a quote inside a quoted field (\"\")"
            ]
        );
        assert_eq!(
            parse("#separator:\u{a7}\na\u{a7}b\n").unwrap_err()[0].to_string(),
            "line 1: unknown separator \"\u{a7}\"; use tab, comma, semicolon, space, pipe, colon or one character"
        );
    }
}

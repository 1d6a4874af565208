//! Reading an Anki text export (its header lines, quoted fields, HTML, media, GUID/notetype/deck/tags
//! columns) into cards as Anki makes them from notes (cloze numbers, reversed cards, custom notetypes'
//! fields), splitting them by subdeck, and turning cards into a portquiz deck YAML text with unique ids.
//! Pure: text in, text out. A note that cannot be a card is a warning on its line; only what spoils the
//! whole file is an error, and then the command writes nothing.
use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{EXPLAIN_MARK, GUID_PREFIX, HINT_MARK};
use crate::deck::Diagnostic;
use crate::deck::id::MAX_ID_LEN;
use crate::deck::yaml::Pos;
use crate::deck::{DeckId, slug};

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
        let d = Diagnostic::error(
            file,
            text,
            Some(Pos { line, col: 1 }),
            "anki-note",
            &self.message,
        );
        let width = d.source_line().map_or(1, |l| l.chars().count());
        d.width(width)
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One card read from an Anki text file (a note makes one card, or several: a cloze note one per cloze
/// number, a reversed note two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub front: String,
    pub back: String,
    pub tags: Vec<String>,
    /// The card id from a portquiz GUID, or made from Anki's GUID.
    pub id: Option<String>,
    /// The explanation (and the note's fields after the back, by name) and the hint `export anki` put
    /// on the back, after their marks.
    pub explain: Option<String>,
    pub hint: Option<String>,
    /// A "Basic (type in the answer)" note: it becomes a typed card.
    pub typed: bool,
    /// Line where the note starts.
    pub line: usize,
    /// The Anki deck of the note (`Parent::Child`), from the deck column or the `#deck` header.
    pub deck: Option<String>,
    /// The text the card id is made from without a GUID: the note's front (a cloze note's text with every
    /// deletion shown), the same for every card of the note.
    pub key: String,
    /// What tells the cards of one note apart in their ids: empty, `-reverse`, `-c1`, `-c2`...
    pub suffix: String,
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
    /// The `#columns` header as written (names split by the separator once it is known).
    columns: Option<String>,
    /// The `#tags` header: tags of every note.
    tags: Vec<String>,
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

/// A piece of a cloze note's text: plain text, or a deletion (`{{c2::answer::hint}}`).
enum Piece<'a> {
    Text(&'a str),
    Deletion {
        number: u32,
        answer: &'a str,
        hint: Option<&'a str>,
    },
}

/// The most cloze numbers one note may have: each number is a card holding the whole text, so a note
/// with thousands of them would make the deck quadratic in the note's size.
const MAX_CLOZES: usize = 100;

/// The pieces of a cloze note's text, or `None` for text without a deletion.
fn cloze_pieces(text: &str) -> Option<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let inner = &rest[start + 2..start + len];
        let mut parts = inner.splitn(3, "::");
        let (Some(tag), Some(answer)) = (parts.next(), parts.next()) else {
            break;
        };
        let Some(number) = tag
            .strip_prefix('c')
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            break;
        };
        pieces.push(Piece::Text(&rest[..start]));
        pieces.push(Piece::Deletion {
            number,
            answer,
            hint: parts.next(),
        });
        rest = &rest[start + len + 2..];
    }
    if pieces.is_empty() {
        return None;
    }
    pieces.push(Piece::Text(rest));
    Some(pieces)
}

/// A cloze note (`{{c1::443}}`, `{{c2::HTTPS::a protocol}}`) as Anki makes its cards: one per cloze number,
/// in order, asking the text with that number's deletions blanked as `[...]` (or `[hint]`) and the other
/// deletions shown, answered by that number's deleted texts. First the text with every deletion shown
/// (what names the note's cards).
fn cloze(pieces: &[Piece<'_>]) -> (String, Vec<(u32, String, String)>) {
    let mut numbers: Vec<u32> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Deletion { number, .. } => Some(*number),
            Piece::Text(_) => None,
        })
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let shown: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => *t,
            Piece::Deletion { answer, .. } => answer,
        })
        .collect();
    let cards = numbers
        .into_iter()
        .map(|n| {
            let mut prompt = String::new();
            let mut answers = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Text(t) => prompt.push_str(t),
                    Piece::Deletion {
                        number,
                        answer,
                        hint,
                    } if *number == n => {
                        match hint {
                            Some(hint) => prompt.push_str(&format!("[{hint}]")),
                            None => prompt.push_str("[...]"),
                        }
                        answers.push(answer.trim());
                    }
                    Piece::Deletion { answer, .. } => prompt.push_str(answer),
                }
            }
            (n, prompt.trim().to_string(), answers.join("; "))
        })
        .collect();
    (shown, cards)
}

/// `text` without its `[sound:file.mp3]` references (a deck holds text only), counted into `sounds`.
fn strip_sounds(text: &str, sounds: &mut usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[sound:") {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        out.push_str(&rest[..start]);
        *sounds += 1;
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// A field that reads as Anki tags: words of letters, digits and `_-:./`, none ending in a full stop.
fn looks_like_tags(field: &str) -> bool {
    field.split_whitespace().all(|t| {
        !t.ends_with('.')
            && t.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '/'))
    })
}

/// In a file without column headers, the last column when it holds tags (as Anki's exports before the
/// headers put them): every record has the same 3 or more fields, every last field reads as tags and
/// at least one is not empty. A third field of prose (a custom notetype's) is kept as a field.
fn trailing_tags_column(records: &[(usize, Vec<String>)]) -> Option<usize> {
    let n = records.first()?.1.len();
    let all = records
        .iter()
        .all(|(_, f)| f.len() == n && f.last().is_some_and(|t| looks_like_tags(t)));
    let some = records
        .iter()
        .any(|(_, f)| f.last().is_some_and(|t| !t.trim().is_empty()));
    (n >= 3 && all && some).then_some(n)
}

/// What [`parse`] read: the cards of the notes, and the notes it left out or shortened (each a warning
/// on its line, so one bad note does not refuse the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub cards: Vec<Note>,
    pub warnings: Vec<LineError>,
}

/// "1 image and 2 sounds" dropped from a note, or `None`.
fn dropped(images: usize, sounds: usize) -> Option<String> {
    let parts: Vec<String> = [(images, "image"), (sounds, "sound")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| crate::text::plural(n, what))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// Reads an Anki text export: header lines (`#key:value`) first, then one note per record. Without a
/// `#separator` header, a tab on the first record means tabs, else `;`, else `,` (as Anki guesses).
/// A note becomes its cards as Anki makes them: a cloze note one per cloze number, a "Basic (and reversed
/// card)" note two; fields after the second go to `explain` under their `#columns` names. A note that
/// cannot be a card (an empty front) is left out with a warning; only what spoils the whole file (an
/// unknown separator, a quote never closed, no card at all) is an error.
pub fn parse(text: &str) -> Result<Parsed, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut headers = Headers::default();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
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
                "tags" => headers
                    .tags
                    .extend(value.split_whitespace().map(str::to_string)),
                "columns" => headers.columns = Some(value.to_string()),
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
                _ => {} // #if matches and the like: nothing to do for a deck.
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
    let headerless =
        headers.columns.is_none() && headers.meta_columns.is_empty() && headers.notetype.is_none();
    if headerless && let Some(n) = trailing_tags_column(&records) {
        headers.tags_column = Some(n);
        headers.meta_columns.push(n);
    }
    // The names of the note fields (the columns that are not notetype, deck, tags or GUID).
    let names: Vec<String> = headers
        .columns
        .as_deref()
        .map(|c| {
            c.split(sep)
                .enumerate()
                .filter(|(n, _)| !headers.meta_columns.contains(&(n + 1)))
                .map(|(_, name)| name.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut cards = Vec::new();
    for (line_no, fields) in records {
        let meta = |column: Option<usize>| {
            column
                .and_then(|c| fields.get(c - 1))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let mut tags = headers.tags.clone();
        // portquiz's export puts `'` before a tags cell a spreadsheet would read as a formula.
        for tag in crate::interchange::unneutralised(meta(headers.tags_column).unwrap_or_default())
            .split_whitespace()
        {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        // A portquiz GUID gives back the card id; Anki's own GUID an id made from its bytes, so that
        // fixing a typo in Anki and importing again keeps the card (and its progress).
        let id = meta(headers.guid_column).and_then(|g| match g.strip_prefix(GUID_PREFIX) {
            Some(ours) => ours.split_once('/').map(|(_, card)| card.to_string()),
            None => Some(format!(
                "anki-{}",
                g.bytes().map(|b| format!("{b:02x}")).collect::<String>()
            )),
        });
        let deck = meta(headers.deck_column)
            .map(str::to_string)
            .or_else(|| headers.deck.clone().filter(|d| !d.is_empty()));
        let notetype = meta(headers.notetype_column)
            .or(headers.notetype.as_deref())
            .unwrap_or_default()
            .to_lowercase();
        let typed = notetype.contains("type in the answer");
        let note_fields: Vec<&String> = fields
            .iter()
            .enumerate()
            .filter(|(n, _)| !headers.meta_columns.contains(&(n + 1)))
            .map(|(_, f)| f)
            .collect();
        let (mut images, mut sounds) = (0, 0);
        let mut clean = |s: &str| {
            let text = if headers.html {
                strip_html(s, &mut images)
            } else {
                s.trim().to_string()
            };
            strip_sounds(&text, &mut sounds)
        };
        let (front, back, extra) = match note_fields.as_slice() {
            [front, back, extra @ ..] => (clean(front), back.as_str(), extra),
            // A cloze note may have its text alone (no Extra field).
            [front] => (clean(front), "", &[][..]),
            [] => continue,
        };
        // "Basic (optional reversed card)": the third field asks for the reverse card.
        let optional = notetype.contains("optional reversed");
        let reverse = if optional {
            extra.first().is_some_and(|f| !f.trim().is_empty())
        } else {
            notetype.contains("reversed")
        };
        let extra_from = 2 + usize::from(optional);
        // Only an HTML export can carry the marks (in plain text they would be the author's own words).
        let (back, explain, hint) = if headers.html {
            split_back(back)
        } else {
            (back, None, None)
        };
        let back = clean(back);
        let mut explained: Vec<String> = explain
            .map(&mut clean)
            .filter(|e| !e.is_empty())
            .into_iter()
            .collect();
        for (n, value) in extra.iter().enumerate().skip(extra_from - 2) {
            let value = clean(value);
            if value.is_empty() {
                continue;
            }
            explained.push(match names.get(n + 2).filter(|name| !name.is_empty()) {
                Some(name) => format!("{name}: {value}"),
                None => value,
            });
        }
        let explain = (!explained.is_empty()).then(|| explained.join("\n\n"));
        let hint = hint.map(&mut clean).filter(|h| !h.is_empty());
        if let Some(what) = dropped(images, sounds) {
            warnings.push(LineError {
                line: line_no,
                message: format!("dropped {what}: a deck holds text only"),
            });
        }
        let card = |front: String, back: String, key: &str, suffix: String| Note {
            front,
            back,
            tags: tags.clone(),
            id: id.clone(),
            explain: explain.clone(),
            hint: hint.clone(),
            typed,
            line: line_no,
            deck: deck.clone(),
            key: key.to_string(),
            suffix,
        };
        let skip = |what: &str| LineError {
            line: line_no,
            message: format!(
                "the {what} is empty, so this note is left out (every card needs a front and a back)"
            ),
        };
        if let Some(pieces) = cloze_pieces(&front) {
            // A cloze note asks its text once per cloze number; the answer is what was deleted, then
            // its Extra field.
            let (shown, clozes) = cloze(&pieces);
            if clozes.len() > MAX_CLOZES {
                warnings.push(LineError {
                    line: line_no,
                    message: format!(
                        "{} cloze numbers, over the {MAX_CLOZES} a note may have, so this note is left out",
                        clozes.len()
                    ),
                });
                continue;
            }
            for (n, prompt, answer) in clozes {
                if answer.is_empty() {
                    warnings.push(LineError {
                        line: line_no,
                        message: format!("cloze c{n} deletes nothing, so its card is left out"),
                    });
                    continue;
                }
                let answer = if back.is_empty() {
                    answer
                } else {
                    format!("{answer}\n\n{back}")
                };
                cards.push(card(prompt, answer, &shown, format!("-c{n}")));
            }
            continue;
        }
        if note_fields.len() < 2 {
            warnings.push(LineError {
                line: line_no,
                message: format!(
                    "expected a front and a back separated by {}, found one field, so this note is left out",
                    describe_sep(sep)
                ),
            });
            continue;
        }
        if front.is_empty() || back.is_empty() {
            warnings.push(skip(if front.is_empty() { "front" } else { "back" }));
            continue;
        }
        cards.push(card(front.clone(), back.clone(), &front, String::new()));
        if reverse {
            cards.push(card(back, front.clone(), &front, "-reverse".into()));
        }
    }
    errors.extend(quoting);
    if cards.is_empty() && errors.is_empty() {
        // Nothing to import: the notes left out are why.
        errors.append(&mut warnings);
        errors.push(LineError {
            line: lines.len().max(1),
            message: "the file holds no cards".into(),
        });
    }
    if errors.is_empty() {
        Ok(Parsed { cards, warnings })
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
    let mut unique = UniqueIds::default();
    let mut ids: Vec<Option<String>> = notes
        .iter()
        .map(|n| {
            n.id.as_deref()
                .filter(|id| !slug(id).is_empty())
                .map(|id| unique.id(id, &note_suffix(n)))
        })
        .collect();
    for (note, id) in notes.iter().zip(ids.iter_mut()) {
        if id.is_none() {
            *id = Some(unique.id(&note.key, &note_suffix(note)));
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

/// A card's id suffix as the id rule spells it (`-c1`, `-reverse`).
fn note_suffix(note: &Note) -> String {
    let suffix = slug(&note.suffix);
    if suffix.is_empty() {
        suffix
    } else {
        format!("-{suffix}")
    }
}

/// One deck an import makes: its id, its title and its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: DeckId,
    pub title: String,
    pub cards: Vec<Note>,
}

/// Splits cards by their Anki deck. The deck every card is under (the common start of their `::`
/// paths) becomes the deck `id`, titled by its last part (`id` when Anki named none); each subdeck below it
/// becomes its own deck `ID-SUBDECK-PATH` titled by its path below the root (`Net::Ports`), or, with
/// `as_tags`, stays in the one deck with that path as a tag on its cards. Decks come in the order their
/// first card does.
pub fn split_decks(id: &DeckId, cards: Vec<Note>, as_tags: bool) -> Vec<Imported> {
    let path = |card: &Note| -> Vec<String> {
        card.deck
            .as_deref()
            .unwrap_or_default()
            .split("::")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut root: Option<Vec<String>> = None;
    for card in &cards {
        let p = path(card);
        root = Some(match root {
            None => p,
            Some(mut r) => {
                let same = r.iter().zip(&p).take_while(|(a, b)| a == b).count();
                r.truncate(same);
                r
            }
        });
    }
    let root = root.unwrap_or_default();
    let title = root.last().cloned().unwrap_or_else(|| id.to_string());
    let mut decks: Vec<Imported> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut deck_ids = UniqueIds::default();
    deck_ids.seen.insert(id.to_string());
    for mut card in cards {
        let below = path(&card).get(root.len()..).unwrap_or_default().join("::");
        let (deck_id, deck_title) = if below.is_empty() {
            (id.clone(), title.clone())
        } else if as_tags {
            if !card.tags.contains(&below) {
                card.tags.push(below.clone());
            }
            (id.clone(), title.clone())
        } else {
            let wanted = match index.get(&below) {
                Some(&i) => decks[i].id.to_string(),
                None => deck_ids.id(&format!("{id} {below}"), ""),
            };
            // A slug after a valid id is a valid id; were it not, the card stays in the root deck.
            match DeckId::new(&wanted) {
                Ok(d) => (d, below.clone()),
                Err(_) => (id.clone(), title.clone()),
            }
        };
        let key = if below.is_empty() || as_tags {
            String::new()
        } else {
            below
        };
        let i = *index.entry(key).or_insert_with(|| {
            decks.push(Imported {
                id: deck_id,
                title: deck_title,
                cards: Vec::new(),
            });
            decks.len() - 1
        });
        decks[i].cards.push(card);
    }
    decks
}

/// The ids given so far, and per base the next suffix to try: 20,000 notes with one front probe each
/// suffix once in all (probing from `-2` for every note was quadratic: 24 s).
#[derive(Default)]
struct UniqueIds {
    seen: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueIds {
    /// An id from `text` by the id rule ([`slug`]; at most 60 characters with `suffix`, so a short
    /// number still fits), with `-2`, `-3`... added until unused (the stem shortened further when a long
    /// number would pass [`MAX_ID_LEN`]).
    fn id(&mut self, text: &str, suffix: &str) -> String {
        let room = 60usize.saturating_sub(suffix.len());
        let mut base = slug(text);
        if base.len() > room {
            base = stem(&base, room).to_string();
        }
        if base.is_empty() {
            base = "card".into();
        }
        base.push_str(suffix);
        let mut id = base.clone();
        if self.seen.contains(&id) {
            let n = self.next.entry(base.clone()).or_insert(2);
            while self.seen.contains(&id) {
                let suffix = format!("-{n}");
                id = format!("{}{suffix}", stem(&base, MAX_ID_LEN - suffix.len()));
                *n += 1;
            }
        }
        self.seen.insert(id.clone());
        id
    }
}

/// `slug` cut to at most `len` bytes (it is ASCII), without a dash at the end.
fn stem(slug: &str, len: usize) -> &str {
    slug.get(..len.min(slug.len()))
        .unwrap_or(slug)
        .trim_end_matches('-')
}

/// A back as `back_html` (in export.rs) writes it, split into the answer, the explanation and the hint (still
/// HTML).
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::export;
    use super::super::fixtures::{deck, deck_id, flash};
    use super::*;
    use crate::deck::{Deck, Known, parse_deck};

    /// Why `text` is refused, each error as shown.
    fn refused(text: &str) -> Vec<String> {
        match parse(text) {
            Ok(parsed) => panic!("{} notes read, no error", parsed.cards.len()),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    /// Each note's front, back and id suffix.
    fn sides(notes: &[Note]) -> Vec<(&str, &str, &str)> {
        notes
            .iter()
            .map(|n| (n.front.as_str(), n.back.as_str(), n.suffix.as_str()))
            .collect()
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
        let notes = parse(&out.text).unwrap().cards;
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
    fn import_decodes_every_entity_keeps_list_items_apart_warns_of_images_and_reads_cloze() {
        let text = "#separator:tab\n#html:true\n<ul><li>GET</li><li>HEAD</li></ul>Which are safe?\tBoth &mdash; &#x27;safe&#x27; &#8212; yes<img src=\"a.png\">\n{{c1::443}} is the port of {{c2::HTTPS::a protocol}}\t\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            sides(&parsed.cards),
            [
                (
                    "- GET\n- HEAD\nWhich are safe?",
                    "Both \u{2014} 'safe' \u{2014} yes",
                    ""
                ),
                ("[...] is the port of HTTPS", "443", "-c1"),
                ("443 is the port of [a protocol]", "HTTPS", "-c2"),
            ]
        );
        let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            ["line 3: dropped 1 image: a deck holds text only"]
        );
    }

    #[test]
    fn tags_header_and_a_headerless_tags_column_are_read_and_prose_stays_a_field() {
        let notes = parse("#separator:tab\n#tags:net  ports\nA\tB\n")
            .unwrap()
            .cards;
        assert_eq!(notes[0].tags, ["net", "ports"]);
        // Anki's exports before the headers: the last column holds tags.
        let notes = parse("A\tB\tdns ports::udp\nC\tD\t\n").unwrap().cards;
        let got: Vec<(&str, Vec<String>, Option<&str>)> = notes
            .iter()
            .map(|n| (n.back.as_str(), n.tags.clone(), n.explain.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("B", vec!["dns".to_string(), "ports::udp".to_string()], None),
                ("D", vec![], None)
            ]
        );
        // A third field of prose is a field of a custom notetype: kept in `explain`.
        let notes = parse("A\tB\tSee RFC 6335.\n").unwrap().cards;
        assert_eq!(
            (notes[0].tags.len(), notes[0].explain.as_deref()),
            (0, Some("See RFC 6335."))
        );
    }

    #[test]
    fn optional_reversed_notes_make_the_reverse_card_only_when_asked_and_sounds_are_dropped() {
        let text = "#separator:tab\n#notetype:Basic (optional reversed card)\nA [sound:a.mp3]\tB\ty\tmore\nC\tD\t\t\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            sides(&parsed.cards),
            [("A", "B", ""), ("B", "A", "-reverse"), ("C", "D", "")]
        );
        let explains: Vec<Option<&str>> =
            parsed.cards.iter().map(|n| n.explain.as_deref()).collect();
        assert_eq!(explains, [Some("more"), Some("more"), None]);
        assert_eq!(
            parsed.warnings[0].to_string(),
            "line 3: dropped 1 sound: a deck holds text only"
        );
        let yaml = to_deck_yaml(&deck_id("r"), "R", &parsed.cards);
        let ids: Vec<&str> = yaml
            .lines()
            .filter_map(|l| l.strip_prefix("  - id: "))
            .collect();
        assert_eq!(ids, ["a", "a-reverse", "c"]);
    }

    #[test]
    fn subdecks_split_under_their_common_root_or_become_tags() {
        let text =
            "#separator:tab\n#deck column:1\nA::B\tq1\ta1\nA::B::C\tq2\ta2\nA::B::D E\tq3\ta3\n";
        let cards = parse(text).unwrap().cards;
        let shown = |decks: Vec<Imported>| -> Vec<(String, String, usize)> {
            decks
                .into_iter()
                .map(|d| (d.id.to_string(), d.title, d.cards.len()))
                .collect()
        };
        assert_eq!(
            shown(split_decks(&deck_id("mine"), cards.clone(), false)),
            [
                ("mine".to_string(), "B".to_string(), 1),
                ("mine-c".to_string(), "C".to_string(), 1),
                ("mine-d-e".to_string(), "D E".to_string(), 1)
            ]
        );
        let one = split_decks(&deck_id("mine"), cards, true);
        let tags: Vec<Vec<String>> = one[0].cards.iter().map(|c| c.tags.clone()).collect();
        assert_eq!(
            tags,
            [vec![], vec!["C".to_string()], vec!["D E".to_string()]]
        );
    }

    /// What Anki's own "Notes in Plain Text" export carries: a GUID, note type and deck column.
    #[test]
    fn anki_guids_note_types_and_deck_column_are_used() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\nx/Fq!2\tBasic (type in the answer)\tOps::Networking::Ports\tHTTPS port?\t443\nb9Z\tBasic\tOps::Networking::Ports\tWhat is a port?\tA number\n";
        let notes = parse(text).unwrap().cards;
        assert_eq!(notes[0].deck.as_deref(), Some("Ops::Networking::Ports"));
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
            flash("formula", "-1 or +1?", "=1", &["=cmd|'/C_calc'!A0", "@ok"]),
        ]);
        let out = export(std::slice::from_ref(&d));
        let notes = parse(&out.text).unwrap().cards;
        let yaml = to_deck_yaml(&deck_id("ports"), "Ports", &notes);
        let back = parse_deck(&yaml, "ports.yaml", &Known::default()).unwrap();
        // What a card is, as far as an Anki note can carry it.
        let carried = |d: &Deck| -> Vec<String> {
            d.cards
                .iter()
                .map(|c| format!("{} {:?} {:?} {:?}", c.id, c.prompt, c.kind, c.tags))
                .collect()
        };
        assert_eq!(carried(&back), carried(&d));
    }

    #[test]
    fn import_plain_anki_export_makes_unique_ids_and_honours_separator() {
        let text = "#separator:Pipe\n#html:true\n#deck:Networking\nWhat is a port?|A <b>number</b><br>16 bits\nWhat is a port?|Again &amp; again\n\n!!!|punctuation only\n";
        let notes = parse(text).unwrap().cards;
        assert_eq!(notes[0].deck.as_deref(), Some("Networking"));
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
    fn a_bad_note_is_a_warning_and_a_quoting_mistake_an_error() {
        let text = "#separator:tab\nfront\tback\nno separator here\n\tempty front\nback\t\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.cards.len(), 1);
        let shown: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "line 3: expected a front and a back separated by a tab, found one field, so this note is left out",
                "line 4: the front is empty, so this note is left out (every card needs a front and a back)",
                "line 5: the back is empty, so this note is left out (every card needs a front and a back)",
            ]
        );
        let errors = parse("#separator:tab\nfront\tback\nok\t\"never closed\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "line 3: a quoted field is never closed (add the closing \")"
        );
        // Only notes left out: the warnings are why the file holds no card.
        assert_eq!(
            refused("a\t\n"),
            [
                "line 1: the back is empty, so this note is left out (every card needs a front and a back)",
                "line 1: the file holds no cards"
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
        let notes = parse(&export(&[a, b]).text).unwrap().cards;
        let yaml = to_deck_yaml(&deck_id("both"), "Both", &notes);
        let d = parse_deck(&yaml, "both.yaml", &Known::default()).unwrap();
        let ids: Vec<&str> = d.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["port", "t-row-port", "port-2"]);
    }

    #[test]
    fn separator_is_guessed_without_a_header() {
        let notes = parse("a,b\nc,\"d, e\"\n").unwrap().cards;
        assert_eq!(notes[1].back, "d, e");
        let notes = parse("a\tb;c\n").unwrap().cards;
        assert_eq!(notes[0].back, "b;c");
        let notes = parse("#separator:Semicolon\na;b,c\n").unwrap().cards;
        assert_eq!(notes[0].back, "b,c");
    }

    #[test]
    fn quoted_fields_span_lines_double_quotes_and_mistakes_are_located() {
        let text =
            "#separator:tab\r\n\r\n\r\n\"say \"\"hi\"\"\r\nthere\"\tback\r\n\r\nnext\tone\r\n";
        let notes = parse(text).unwrap().cards;
        let got: Vec<(usize, &str, &str)> = notes
            .iter()
            .map(|n| (n.line, n.front.as_str(), n.back.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(4, "say \"hi\"\nthere", "back"), (7, "next", "one")]
        );
        assert_eq!(
            refused("a\tb\n\n\"c\"d\te\nf\tg\n"),
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

//! Comparison tables and their expansion into cards (version 2). Expansion is deterministic and ids come
//! from slugs or explicit ids (`<table-id>/<row>/<column>`), so fixing a typo in a cell, or rewording an
//! aspect or column that has an `id:`, keeps the card's history.
//!
//! A table has a shape ([`Compare`]): it compares its columns (each column a thing, each row an aspect of
//! it: distractors come from the same row) or its rows (each row a thing, each column an attribute:
//! distractors come from the same column). Text cells become choice cards whose question is written from a
//! template ([`Template`]); a row of true/false values in a table of columns becomes ONE true/false
//! statement about which columns it holds for. Pure: no I/O.
use super::id::{CardId, IdError};
use super::model::{Card, CardKind, ChoiceOption, fold};

/// A validated table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub compare: Compare,
    /// The question for text cells, unless a row or column has its own.
    pub question: Option<Template>,
}

/// What a table compares, which decides where a card's distractors come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// Each column is a thing and each row an aspect of it (`TCP vs UDP`): distractors from the same row.
    Columns,
    /// Each row is a thing and each column an attribute (`Port ranges`): distractors from the same column.
    Rows,
}

impl Compare {
    /// The `compare:` names, in the order the schema lists them.
    pub const NAMES: [&'static str; 2] = ["columns", "rows"];

    /// The shape written as `name`.
    pub fn from_name(name: &str) -> Option<Compare> {
        match name {
            "columns" => Some(Compare::Columns),
            "rows" => Some(Compare::Rows),
            _ => None,
        }
    }

    /// The shape of a table without a `compare:` hint: its columns when a row holds true/false values (a
    /// property each column has or lacks) or the title says "vs", else its rows.
    pub fn guess(title: &str, rows: &[Row]) -> Compare {
        let title = format!(" {} ", title.to_lowercase());
        let versus = title.contains(" vs ") || title.contains(" vs. ");
        if versus || rows.iter().any(Row::is_bool) {
            Compare::Columns
        } else {
            Compare::Rows
        }
    }
}

/// A column: its name as shown, the id its cards use, and an optional question for its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub id: String,
    pub name: String,
    pub question: Option<Template>,
}

/// One row: an aspect and one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub slug: String,
    pub aspect: String,
    pub values: Vec<Cell>,
    pub explain: Option<String>,
    /// The question for this row's text cells, or the statement of its true/false row.
    pub question: Option<Template>,
    pub line: u32,
}

impl Row {
    /// Whether every cell is true or false (and there is at least one).
    pub fn is_bool(&self) -> bool {
        !self.values.is_empty() && self.values.iter().all(|c| matches!(c, Cell::Bool(_)))
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Bool(bool),
}

/// A question template: text with placeholders in braces. Parsed once, so a bad placeholder is reported
/// where the author wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Template(Vec<Piece>);

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Slot(Slot),
}

/// A placeholder of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// `{title}`: the table's title.
    Title,
    /// `{column}`: the cell's column name, mid-sentence ([`mid_sentence`]); `{Column}` keeps it as written.
    Column { as_written: bool },
    /// `{aspect}`: the row's aspect, mid-sentence; `{Aspect}` keeps it as written (`Linux ...`).
    Aspect { as_written: bool },
    /// `{who}`: in a true/false row's statement, the columns it is said to hold for ("only TCP", "each of
    /// TCP and UDP", "neither TCP nor UDP").
    Who,
    /// `{cell:ID}`: the same row's value in the column with id `ID`.
    Cell(String),
}

impl Slot {
    fn name(&self) -> String {
        match self {
            Slot::Title => "{title}".into(),
            Slot::Column { as_written: false } => "{column}".into(),
            Slot::Column { as_written: true } => "{Column}".into(),
            Slot::Aspect { as_written: false } => "{aspect}".into(),
            Slot::Aspect { as_written: true } => "{Aspect}".into(),
            Slot::Who => "{who}".into(),
            Slot::Cell(id) => format!("{{cell:{id}}}"),
        }
    }
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("a `{{` is not closed by `}}`")]
    Unclosed,
    #[error(
        "`{{{0}}}` is not a placeholder: use {{title}}, {{column}}, {{aspect}} ({{Column}}, {{Aspect}} as written), {{cell:COLUMN-ID}} or, in a true/false row, {{who}}"
    )]
    Unknown(String),
    #[error("`{0}` has no meaning here: {1}")]
    NotHere(String, &'static str),
    #[error("`{{cell:{0}}}` names no column of this table (its column ids: {1})")]
    NoSuchColumn(String, String),
}

/// Where a template is used, which decides the placeholders it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// The question of a text cell (or of a true/false cell in a table of rows).
    Cell,
    /// The statement of a true/false row in a table of columns.
    Statement,
}

impl Template {
    /// Parses `text`, without checking which placeholders fit where (see [`Template::check`]).
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or(TemplateError::Unclosed)?;
            let name = after[..close].trim();
            let slot = match name {
                "title" => Slot::Title,
                "column" => Slot::Column { as_written: false },
                "Column" => Slot::Column { as_written: true },
                "aspect" => Slot::Aspect { as_written: false },
                "Aspect" => Slot::Aspect { as_written: true },
                "who" => Slot::Who,
                _ => match name.strip_prefix("cell:") {
                    Some(id) if !id.trim().is_empty() => Slot::Cell(id.trim().to_string()),
                    _ => return Err(TemplateError::Unknown(name.to_string())),
                },
            };
            pieces.push(Piece::Slot(slot));
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template(pieces))
    }

    /// Checks that every placeholder means something where the template is used.
    pub fn check(&self, used: Use, columns: &[Column]) -> Result<(), TemplateError> {
        for piece in &self.0 {
            let Piece::Slot(slot) = piece else { continue };
            match (slot, used) {
                (Slot::Who, Use::Cell) => {
                    return Err(TemplateError::NotHere(
                        slot.name(),
                        "only a row of true/false values has columns it holds for",
                    ));
                }
                (Slot::Column { .. } | Slot::Cell(_), Use::Statement) => {
                    return Err(TemplateError::NotHere(
                        slot.name(),
                        "a true/false row makes one statement about all columns; use {who}",
                    ));
                }
                (Slot::Cell(id), Use::Cell) if !columns.iter().any(|c| c.id == *id) => {
                    let ids: Vec<&str> = columns.iter().map(|c| c.id.as_str()).collect();
                    return Err(TemplateError::NoSuchColumn(id.clone(), ids.join(", ")));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The text with every placeholder filled in mid-sentence form (see [`mid_sentence`]), its first letter
    /// made upper-case.
    fn render(&self, fill: &dyn Fn(&Slot) -> String) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(slot) => out.push_str(&fill(slot)),
            }
        }
        sentence_start(&out)
    }
}

/// The default question of a text cell in a table of columns.
const COLUMNS_QUESTION: &str = "What is {column}'s {aspect}?";
/// The default question of a text cell in a table of rows.
const ROWS_QUESTION: &str = "What is the {column} of {aspect}?";
/// The default statement of a true/false row in a table of columns.
const ROW_STATEMENT: &str = "\"{aspect}\" is true of {who}.";
/// The default statement of a true/false cell in a table of rows.
const CELL_STATEMENT: &str = "\"{column}\" is true of {aspect}.";
/// The default statement of a true/false cell in a row of a table of columns that also holds text.
const MIXED_STATEMENT: &str = "\"{aspect}\" is true of {column}.";

const MAX_DISTRACTORS: usize = 3;

fn default_template(text: &str) -> Template {
    // The defaults are constants with known placeholders; an empty template cannot happen.
    Template::parse(text).unwrap_or(Template(Vec::new()))
}

/// Expands a table into cards. Text cells become choice cards (distractors of the same kind: the same row
/// in a table of columns, the same column in a table of rows; a flashcard when there is none); a true/false
/// row of a table of columns becomes one statement with the first column's id; a true/false cell of a
/// table of rows (or of a row that also holds text) becomes a statement about that cell. Fails when a cell's id breaks the id rule.
pub fn expand(table: &Table, deck_tags: &[String]) -> Result<Vec<Card>, IdError> {
    let mut cards = Vec::new();
    let mut tags = vec!["table".to_string()];
    tags.extend(deck_tags.iter().cloned());
    let mut bool_rows = 0usize;
    for (r, row) in table.rows.iter().enumerate() {
        let explain = row
            .explain
            .clone()
            .unwrap_or_else(|| row_summary(table, row));
        let card = |id: CardId, prompt: String, kind: CardKind| Card {
            id,
            prompt,
            kind,
            explain: Some(explain.clone()),
            hint: None,
            tags: tags.clone(),
            line: row.line,
            follow_up: Vec::new(),
            demo: None,
        };
        if table.compare == Compare::Columns && row.is_bool() {
            let Some(first) = table.columns.first() else {
                continue;
            };
            let id = CardId::cell(&table.id, &row.slug, &first.id)?;
            // Alternate the true and the false statement down the table, so that "always true" scores half.
            let truthful = bool_rows.is_multiple_of(2);
            bool_rows += 1;
            let (prompt, answer) = statement(table, row, truthful);
            cards.push(card(id, prompt, CardKind::TrueFalse { answer }));
            continue;
        }
        for (col, (column, cell)) in table.columns.iter().zip(&row.values).enumerate() {
            let id = CardId::cell(&table.id, &row.slug, &column.id)?;
            let fill = |slot: &Slot| fill_cell(table, row, column, slot);
            let (prompt, kind) = match cell {
                Cell::Bool(b) => {
                    // A column's question in a table of columns asks for its text cells, so a true/false cell
                    // of a mixed row keeps the default statement.
                    let template = match table.compare {
                        Compare::Columns => default_template(MIXED_STATEMENT),
                        Compare::Rows => column
                            .question
                            .clone()
                            .unwrap_or_else(|| default_template(CELL_STATEMENT)),
                    };
                    (template.render(&fill), CardKind::TrueFalse { answer: *b })
                }
                Cell::Text(text) => {
                    // The template of the cell's kind wins: the row's in a table of columns (each row one
                    // aspect), the column's in a table of rows (each column one attribute).
                    let (kind, other) = match table.compare {
                        Compare::Columns => (&row.question, &column.question),
                        Compare::Rows => (&column.question, &row.question),
                    };
                    let template = kind
                        .as_ref()
                        .or(other.as_ref())
                        .or(table.question.as_ref())
                        .cloned()
                        .unwrap_or_else(|| {
                            default_template(match table.compare {
                                Compare::Columns => COLUMNS_QUESTION,
                                Compare::Rows => ROWS_QUESTION,
                            })
                        });
                    let prompt = template.render(&fill);
                    let distractors = distractors(table, r, col, text);
                    if distractors.is_empty() {
                        (prompt, CardKind::Flashcard { back: text.clone() })
                    } else {
                        let options = std::iter::once(text.clone())
                            .chain(distractors)
                            .map(|text| ChoiceOption { text, why: None })
                            .collect();
                        (
                            prompt,
                            CardKind::Choice {
                                options,
                                answers: vec![0],
                            },
                        )
                    }
                }
            };
            cards.push(card(id, prompt, kind));
        }
    }
    Ok(cards)
}

fn fill_cell(table: &Table, row: &Row, column: &Column, slot: &Slot) -> String {
    match slot {
        Slot::Title => table.title.clone(),
        Slot::Column { as_written } => written(&column.name, *as_written),
        Slot::Aspect { as_written } => written(&row.aspect, *as_written),
        Slot::Who => String::new(),
        Slot::Cell(id) => table
            .columns
            .iter()
            .position(|c| c.id == *id)
            .and_then(|i| row.values.get(i))
            .map(|cell| match cell {
                Cell::Text(t) => t.clone(),
                Cell::Bool(true) => "yes".into(),
                Cell::Bool(false) => "no".into(),
            })
            .unwrap_or_default(),
    }
}

/// The one statement of a true/false row, and whether it is true. The true statement names exactly the
/// columns the row holds for; the false one changes one column: with two columns of which one holds, the
/// other one (so "only" appears in true and false statements alike), else the last column.
fn statement(table: &Table, row: &Row, truthful: bool) -> (String, bool) {
    let mut holds: Vec<bool> = row
        .values
        .iter()
        .map(|c| matches!(c, Cell::Bool(true)))
        .collect();
    if !truthful {
        let count = holds.iter().filter(|h| **h).count();
        if holds.len() == 2 && count == 1 {
            holds.iter_mut().for_each(|h| *h = !*h);
        } else if let Some(last) = holds.last_mut() {
            *last = !*last;
        }
    }
    let who = who(&table.columns, &holds);
    let template = row
        .question
        .clone()
        .unwrap_or_else(|| default_template(ROW_STATEMENT));
    let text = template.render(&|slot| match slot {
        Slot::Who => who.clone(),
        Slot::Title => table.title.clone(),
        Slot::Aspect { as_written } => written(&row.aspect, *as_written),
        Slot::Column { .. } | Slot::Cell(_) => String::new(),
    });
    (text, truthful)
}

/// Names the columns a statement holds for, always as the subject of a sentence with a singular verb:
/// "only TCP", "each of TCP and UDP", "neither TCP nor UDP", "none of A, B and C", "each of A and B but
/// not C" (not "only A and B", which takes a plural verb).
fn who(columns: &[Column], holds: &[bool]) -> String {
    let names: Vec<String> = columns.iter().map(|c| mid_sentence(&c.name)).collect();
    let chosen: Vec<String> = names
        .iter()
        .zip(holds)
        .filter(|(_, h)| **h)
        .map(|(n, _)| n.clone())
        .collect();
    if chosen.len() == names.len() {
        format!("each of {}", and_list(&names))
    } else if chosen.is_empty() {
        match names.as_slice() {
            [a, b] => format!("neither {a} nor {b}"),
            _ => format!("none of {}", and_list(&names)),
        }
    } else if let [one] = chosen.as_slice() {
        format!("only {one}")
    } else {
        let others: Vec<String> = names
            .iter()
            .zip(holds)
            .filter(|(_, h)| !**h)
            .map(|(n, _)| n.clone())
            .collect();
        format!("each of {} but not {}", and_list(&chosen), or_list(&others))
    }
}

fn or_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn written(text: &str, as_written: bool) -> String {
    if as_written {
        text.to_string()
    } else {
        mid_sentence(text)
    }
}

/// A name as written in the middle of a sentence: a first word that is only capitalised (`Port`, `Thread`,
/// the article `A`) is lower-cased; acronyms, inner capitals and names with digits (`TCP`, `WebSocket`,
/// `HTTP/1.1`, `Do53`) stay as written.
pub fn mid_sentence(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    let mut chars = first_word.chars();
    let capitalised = chars.next().is_some_and(char::is_uppercase)
        && (first_word.chars().count() > 1 || first_word == "A")
        && chars.all(|c| !c.is_uppercase() && !c.is_ascii_digit());
    if !capitalised {
        return text.to_string();
    }
    let mut out = String::new();
    let mut chars = text.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_lowercase());
    }
    out.extend(chars);
    out
}

/// `text` with its first letter upper-case (after any opening quote).
fn sentence_start(text: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for c in text.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            if !done && c.is_alphanumeric() {
                done = true;
            }
            out.push(c);
        }
    }
    out
}

/// Up to [`MAX_DISTRACTORS`] other text cells of the same kind as the answer at (`row`, `col`): the same
/// row for a table of columns, the same column for a table of rows (the rows after this one first, going
/// round), never equal to the answer or to each other after folding.
fn distractors(table: &Table, row: usize, col: usize, answer: &str) -> Vec<String> {
    let candidates: Vec<&Cell> = match table.compare {
        Compare::Columns => table.rows[row]
            .values
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != col)
            .map(|(_, v)| v)
            .collect(),
        Compare::Rows => {
            let n = table.rows.len();
            (1..n)
                .filter_map(|k| table.rows[(row + k) % n].values.get(col))
                .collect()
        }
    };
    let mut out: Vec<String> = Vec::new();
    for cell in candidates {
        if let Cell::Text(t) = cell
            && fold(t) != fold(answer)
            && !out.iter().any(|o| fold(o) == fold(t))
        {
            out.push(t.clone());
            if out.len() == MAX_DISTRACTORS {
                break;
            }
        }
    }
    out
}

fn row_summary(table: &Table, row: &Row) -> String {
    let cells: Vec<String> = table
        .columns
        .iter()
        .zip(&row.values)
        .map(|(c, v)| match v {
            Cell::Text(t) => format!("{}: {t}", c.name),
            Cell::Bool(true) => format!("{}: yes", c.name),
            Cell::Bool(false) => format!("{}: no", c.name),
        })
        .collect();
    format!("{} - {}.", row.aspect, cells.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 28: "Which port does do53 use?" and "Only DoT and DoH encrypts ...".
    #[test]
    fn names_with_digits_keep_their_case_and_who_is_always_a_singular_subject() {
        assert_eq!(mid_sentence("Do53"), "Do53");
        assert_eq!(mid_sentence("Port"), "port");
        let columns: Vec<Column> = ["Do53", "DoT", "DoH"]
            .iter()
            .map(|n| Column {
                id: n.to_lowercase(),
                name: (*n).to_string(),
                question: None,
            })
            .collect();
        let who_of = |holds: [bool; 3]| who(&columns, &holds);
        assert_eq!(
            who_of([false, true, true]),
            "each of DoT and DoH but not Do53"
        );
        assert_eq!(who_of([false, true, false]), "only DoT");
        assert_eq!(who_of([true, true, true]), "each of Do53, DoT and DoH");
        assert_eq!(who_of([false, false, false]), "none of Do53, DoT and DoH");
        assert_eq!(who(&columns[..2], &[false, false]), "neither Do53 nor DoT");
    }

    fn column(name: &str) -> Column {
        Column {
            id: crate::deck::slug(name),
            name: name.into(),
            question: None,
        }
    }

    fn row(aspect: &str, values: Vec<Cell>) -> Row {
        Row {
            slug: crate::deck::slug(aspect),
            aspect: aspect.into(),
            values,
            explain: None,
            question: None,
            line: 1,
        }
    }

    fn text(t: &str) -> Cell {
        Cell::Text(t.into())
    }

    fn seen(cards: &[Card]) -> String {
        cards
            .iter()
            .map(|c| match &c.kind {
                CardKind::Choice { options, .. } => {
                    let o: Vec<&str> = options.iter().map(|o| o.text.as_str()).collect();
                    format!("{} | {} [{}]\n", c.id, c.prompt, o.join(" / "))
                }
                CardKind::TrueFalse { answer } => format!("{} | {} ({answer})\n", c.id, c.prompt),
                CardKind::Flashcard { back } => format!("{} | {} -> {back}\n", c.id, c.prompt),
                _ => String::new(),
            })
            .collect()
    }

    fn tcp_udp() -> Table {
        Table {
            id: "t".into(),
            title: "TCP vs UDP".into(),
            columns: vec![column("TCP"), column("UDP")],
            rows: vec![
                row(
                    "Connection model",
                    vec![text("Connection-oriented"), text("Connectionless")],
                ),
                row(
                    "Handshake before data",
                    vec![Cell::Bool(true), Cell::Bool(false)],
                ),
                row(
                    "Retransmits lost data",
                    vec![Cell::Bool(true), Cell::Bool(false)],
                ),
                row("Has ports", vec![Cell::Bool(true), Cell::Bool(true)]),
                row("Broadcast", vec![Cell::Bool(false), Cell::Bool(false)]),
            ],
            compare: Compare::Columns,
            question: None,
        }
    }

    #[test]
    fn a_table_of_columns_asks_each_cell_with_its_row_as_distractors_and_one_statement_per_boolean_row()
     {
        let mut table = tcp_udp();
        table.rows[2].question = Template::parse("{who} retransmits lost data.").ok();
        assert_eq!(
            seen(&expand(&table, &[]).unwrap_or_default()),
            "t/connection-model/tcp | What is TCP's connection model? [Connection-oriented / Connectionless]\n\
             t/connection-model/udp | What is UDP's connection model? [Connectionless / Connection-oriented]\n\
             t/handshake-before-data/tcp | \"Handshake before data\" is true of only TCP. (true)\n\
             t/retransmits-lost-data/tcp | Only UDP retransmits lost data. (false)\n\
             t/has-ports/tcp | \"Has ports\" is true of each of TCP and UDP. (true)\n\
             t/broadcast/tcp | \"Broadcast\" is true of only UDP. (false)\n"
        );
    }

    #[test]
    fn a_table_of_rows_takes_distractors_from_the_same_column() {
        let table = Table {
            id: "ranges".into(),
            title: "Port ranges".into(),
            columns: vec![column("Range"), column("Used for")],
            rows: vec![
                row(
                    "Well-known ports",
                    vec![text("0-1023"), text("Standard services")],
                ),
                row(
                    "Registered ports",
                    vec![text("1024-49151"), text("Registered services")],
                ),
                row(
                    "Dynamic ports",
                    vec![text("49152-65535"), text("Client ports")],
                ),
            ],
            compare: Compare::Rows,
            question: None,
        };
        let mut table = table;
        table.columns[1].question = Template::parse("What are ports {cell:range} used for?").ok();
        // In a table of rows the column's template wins over the row's.
        table.rows[0].question = Template::parse("Which {column} do the {aspect} have?").ok();
        assert_eq!(
            seen(&expand(&table, &[]).unwrap_or_default()),
            "ranges/well-known-ports/range | Which range do the well-known ports have? [0-1023 / 1024-49151 / 49152-65535]\n\
             ranges/well-known-ports/used-for | What are ports 0-1023 used for? [Standard services / Registered services / Client ports]\n\
             ranges/registered-ports/range | What is the range of registered ports? [1024-49151 / 49152-65535 / 0-1023]\n\
             ranges/registered-ports/used-for | What are ports 1024-49151 used for? [Registered services / Client ports / Standard services]\n\
             ranges/dynamic-ports/range | What is the range of dynamic ports? [49152-65535 / 0-1023 / 1024-49151]\n\
             ranges/dynamic-ports/used-for | What are ports 49152-65535 used for? [Client ports / Standard services / Registered services]\n"
        );
    }

    #[test]
    fn a_row_mixing_true_false_and_text_makes_a_statement_per_true_false_cell() {
        let mut table = tcp_udp();
        table.columns.push(column("QUIC"));
        table.columns[0].question = Template::parse("Which is {column}'s {aspect}?").ok();
        table.rows = vec![row(
            "Ordered",
            vec![Cell::Bool(true), Cell::Bool(false), text("Per stream")],
        )];
        assert_eq!(
            seen(&expand(&table, &[]).unwrap_or_default()),
            "t/ordered/tcp | \"Ordered\" is true of TCP. (true)\n\
             t/ordered/udp | \"Ordered\" is true of UDP. (false)\n\
             t/ordered/quic | What is QUIC's ordered? -> Per stream\n"
        );
    }

    #[test]
    fn a_cell_without_a_distractor_becomes_a_flashcard() {
        let mut table = tcp_udp();
        table.rows = vec![row("Header checksum", vec![text("Yes"), text("yes")])];
        assert_eq!(
            seen(&expand(&table, &[]).unwrap_or_default()),
            "t/header-checksum/tcp | What is TCP's header checksum? -> Yes\nt/header-checksum/udp | What is UDP's header checksum? -> yes\n"
        );
    }

    #[test]
    fn templates_refuse_placeholders_that_mean_nothing_where_they_are_used() {
        let columns = [column("TCP"), column("UDP")];
        let check = |text: &str, used| {
            Template::parse(text)
                .and_then(|t| t.check(used, &columns))
                .map_err(|e| e.to_string())
        };
        assert_eq!(check("Which is {column}'s {aspect}?", Use::Cell), Ok(()));
        assert_eq!(
            check("{who} has it", Use::Cell),
            Err("`{who}` has no meaning here: only a row of true/false values has columns it holds for".into())
        );
        assert_eq!(
            check("{column} has it", Use::Statement),
            Err("`{column}` has no meaning here: a true/false row makes one statement about all columns; use {who}".into())
        );
        assert_eq!(
            check("What about {cell:quic}?", Use::Cell),
            Err("`{cell:quic}` names no column of this table (its column ids: tcp, udp)".into())
        );
        assert_eq!(
            check("What is {colum}?", Use::Cell),
            Err("`{colum}` is not a placeholder: use {title}, {column}, {aspect} ({Column}, {Aspect} as written), {cell:COLUMN-ID} or, in a true/false row, {who}".into())
        );
        assert_eq!(
            check("What is {column?", Use::Cell),
            Err("a `{` is not closed by `}`".into())
        );
    }

    #[test]
    fn names_are_written_mid_sentence_and_questions_start_upper_case() {
        assert_eq!(mid_sentence("Port"), "port");
        assert_eq!(
            mid_sentence("Thread per connection"),
            "thread per connection"
        );
        assert_eq!(mid_sentence("TCP"), "TCP");
        assert_eq!(mid_sentence("WebSocket"), "WebSocket");
        assert_eq!(mid_sentence("HTTP/1.1"), "HTTP/1.1");
        assert_eq!(mid_sentence("A port"), "a port");
        assert_eq!(mid_sentence("N clients"), "N clients");
        assert_eq!(sentence_start("\"handshake\" is"), "\"Handshake\" is");
        assert_eq!(sentence_start("443 is"), "443 is");
    }

    #[test]
    fn the_shape_is_guessed_from_booleans_and_vs() {
        let text_row = row("Range", vec![text("a"), text("b")]);
        let bool_row = row("Open", vec![Cell::Bool(true), Cell::Bool(false)]);
        assert_eq!(
            Compare::guess("Port ranges", std::slice::from_ref(&text_row)),
            Compare::Rows
        );
        assert_eq!(
            Compare::guess("TCP vs UDP", std::slice::from_ref(&text_row)),
            Compare::Columns
        );
        assert_eq!(
            Compare::guess("Ports", &[text_row, bool_row]),
            Compare::Columns
        );
    }

    /// Every card the shipped tables make, as the candidate sees it: the question, then the options (the
    /// right one marked `*`; the session shuffles them) or the answer.
    #[test]
    fn every_card_of_the_shipped_tables() {
        let lib = crate::deck::compile::compile(
            &crate::deck::load::builtin_sources(),
            &crate::library::known(),
        );
        assert_eq!(lib.diagnostics, vec![]);
        let mut out = String::new();
        for deck in &lib.decks {
            for card in deck.cards.iter().filter(|c| c.id.is_cell()) {
                out.push_str(&format!("{}/{}\n  {}\n", deck.id, card.id, card.prompt));
                match &card.kind {
                    CardKind::Choice { options, answers } => {
                        for (i, o) in options.iter().enumerate() {
                            let mark = if answers.contains(&i) { "*" } else { " " };
                            out.push_str(&format!("  {mark} {}\n", o.text));
                        }
                    }
                    CardKind::TrueFalse { answer } => out.push_str(&format!("  -> {answer}\n")),
                    CardKind::Flashcard { back } => out.push_str(&format!("  -> {back}\n")),
                    other => out.push_str(&format!("  ({})\n", other.name())),
                }
            }
        }
        insta::assert_snapshot!(out);
    }
}

//! Comparison tables and their expansion into cards. Expansion is deterministic and ids come from slugs
//! (`<table-id>/<row>/<column>`), so fixing a typo in a cell keeps the card's history.
use super::id::{CardId, IdError, slug};
use super::model::{Card, CardKind, ChoiceOption, fold};

/// A validated table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row: an aspect and one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub slug: String,
    pub aspect: String,
    pub values: Vec<Cell>,
    pub explain: Option<String>,
    pub line: u32,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Bool(bool),
}

const MAX_DISTRACTORS: usize = 3;

/// Expands a table into cards: text cells become choice cards (distractors from the other cells, the same
/// row first), boolean cells become true/false statements. Fails when a cell's id `table/row/column` breaks
/// the id rule (a column whose name has no letter or digit).
pub fn expand(table: &Table, deck_tags: &[String]) -> Result<Vec<Card>, IdError> {
    let mut cards = Vec::new();
    let mut tags = vec!["table".to_string()];
    tags.extend(deck_tags.iter().cloned());
    for row in &table.rows {
        let explain = row
            .explain
            .clone()
            .unwrap_or_else(|| row_summary(table, row));
        for (col, (column, cell)) in table.columns.iter().zip(&row.values).enumerate() {
            let id = CardId::cell(&table.id, &row.slug, &slug(column))?;
            let (prompt, kind) = match cell {
                Cell::Bool(b) => (
                    format!("{}: {} - {}", table.title, column, row.aspect),
                    CardKind::TrueFalse { answer: *b },
                ),
                Cell::Text(text) => {
                    let distractors = distractors(table, row, col, text);
                    if distractors.is_empty() {
                        (
                            format!(
                                "{}: {} - what is it for {}?",
                                table.title, row.aspect, column
                            ),
                            CardKind::Flashcard { back: text.clone() },
                        )
                    } else {
                        let mut options = vec![ChoiceOption {
                            text: text.clone(),
                            why: None,
                        }];
                        options.extend(
                            distractors
                                .into_iter()
                                .map(|t| ChoiceOption { text: t, why: None }),
                        );
                        (
                            format!("{}: {} - which one is {}?", table.title, row.aspect, column),
                            CardKind::Choice {
                                options,
                                answers: vec![0],
                            },
                        )
                    }
                }
            };
            cards.push(Card {
                id,
                prompt,
                kind,
                explain: Some(explain.clone()),
                hint: None,
                tags: tags.clone(),
                line: row.line,
                follow_up: Vec::new(),
            });
        }
    }
    Ok(cards)
}

fn distractors(table: &Table, row: &Row, col: usize, answer: &str) -> Vec<String> {
    let same_row = row
        .values
        .iter()
        .enumerate()
        .filter(|(c, _)| *c != col)
        .map(|(_, v)| v);
    let same_column = table
        .rows
        .iter()
        .filter(|r| r.slug != row.slug)
        .filter_map(|r| r.values.get(col));
    let elsewhere = table.rows.iter().flat_map(|r| r.values.iter());
    let mut out: Vec<String> = Vec::new();
    for cell in same_row.chain(same_column).chain(elsewhere) {
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
            Cell::Text(t) => format!("{c}: {t}"),
            Cell::Bool(true) => format!("{c}: yes"),
            Cell::Bool(false) => format!("{c}: no"),
        })
        .collect();
    format!("{} - {}.", row.aspect, cells.join("; "))
}

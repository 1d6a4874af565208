//! Comparison tables: columns (a name, or a mapping with an `id` and a `question`), rows (an aspect and one
//! value per column; row ids unique), the table's shape (`compare:`) and question templates, checked here
//! and then expanded into cards by [`crate::deck::table`].
use std::collections::HashMap;

use super::cards::is_true_or_false;
use super::cx::Cx;
use crate::deck::id::{check_id, slug};
use crate::deck::table::{self, Compare, Template, Use};
use crate::deck::yaml::{Node, Pos, Value};

pub(super) const TABLE_KEYS: [&str; 7] = [
    "id",
    "title",
    "description",
    "compare",
    "question",
    "columns",
    "rows",
];
pub(super) const COLUMN_KEYS: [&str; 3] = ["name", "id", "question"];
pub(super) const ROW_KEYS: [&str; 5] = ["id", "aspect", "values", "explain", "question"];

/// A template as written, with where it was written, until the table's shape says how it is used.
type Placed = Option<(Template, Pos)>;

impl Cx<'_> {
    pub(super) fn table(&mut self, node: &Node) -> Option<table::Table> {
        let fields = self.fields(node, "a table", &TABLE_KEYS, &|_| None)?;
        let id = self.id(&fields, "this table", check_id).map(|(id, _)| id);
        let title = self.opt_text(&fields, "title");
        let _ = self.opt_text(&fields, "description");
        let question = self.template(fields.get("question"));
        let compare = self.compare(fields.get("compare"));
        let columns = match fields.get("columns") {
            None => {
                self.missing(&fields, "columns", "this table", "[First, Second]");
                None
            }
            Some(n) => self.columns(n),
        };
        if let (Some(cols), Some(n)) = (&columns, fields.get("columns"))
            && cols.len() < 2
        {
            let d = self
                .error(
                    Some(n.pos),
                    format!(
                        "a table needs at least 2 columns to compare, found {}",
                        cols.len()
                    ),
                )
                .help("add a column, or write the facts as cards");
            self.push(d);
        }
        let columns_ok = match (&columns, fields.get("columns")) {
            (Some(cols), Some(n)) => self.column_ids(cols, n),
            _ => true,
        };
        let names: Option<Vec<String>> = columns
            .as_ref()
            .map(|cols| cols.iter().map(|(c, _)| c.name.clone()).collect());
        let mut rows = Vec::new();
        let mut seen: HashMap<String, Pos> = HashMap::new();
        match fields.get("rows") {
            None => self.missing(
                &fields,
                "rows",
                "this table",
                "[{aspect: ..., values: [...]}]",
            ),
            Some(n) => match &n.value {
                Value::Seq(items) if !items.is_empty() => {
                    for item in items {
                        if let Some(row) = self.row(item, names.as_deref(), &mut seen) {
                            rows.push(row);
                        }
                    }
                }
                _ => {
                    let d = self
                        .error(Some(n.pos), "`rows` must be a non-empty list of rows")
                        .help("add rows like `- aspect: What it is` with `values: [...]`");
                    self.push(d);
                }
            },
        }
        let id = id?;
        let columns = columns?;
        if columns.len() < 2 || !columns_ok {
            return None;
        }
        let title = title.unwrap_or_else(|| id.clone());
        let compare = compare?;
        let (rows, row_questions): (Vec<table::Row>, Vec<Placed>) = rows.into_iter().unzip();
        let compare = compare.unwrap_or_else(|| Compare::guess(&title, &rows));
        let (columns, column_questions): (Vec<table::Column>, Vec<Placed>) =
            columns.into_iter().unzip();
        let mut ok = self.check_template(&question, Use::Cell, &columns);
        for placed in &column_questions {
            ok &= self.check_template(placed, Use::Cell, &columns);
        }
        for (row, placed) in rows.iter().zip(&row_questions) {
            let used = if compare == Compare::Columns && row.is_bool() {
                Use::Statement
            } else {
                Use::Cell
            };
            ok &= self.check_template(placed, used, &columns);
        }
        let strip = |p: Placed| p.map(|(t, _)| t);
        let columns = columns
            .into_iter()
            .zip(column_questions)
            .map(|(c, q)| table::Column {
                question: strip(q),
                ..c
            })
            .collect();
        let rows = rows
            .into_iter()
            .zip(row_questions)
            .map(|(r, q)| table::Row {
                question: strip(q),
                ..r
            })
            .collect();
        ok.then(|| table::Table {
            title,
            id,
            columns,
            rows,
            compare,
            question: strip(question),
        })
    }

    /// The `compare:` hint: `Some(None)` when absent, `None` when wrong (reported).
    fn compare(&mut self, node: Option<&Node>) -> Option<Option<Compare>> {
        let Some(node) = node else {
            return Some(None);
        };
        if let Value::Str(s) = &node.value
            && let Some(c) = Compare::from_name(s)
        {
            return Some(Some(c));
        }
        let d = self
            .error(
                Some(node.pos),
                "`compare` must be `columns` (each column is a thing, each row an aspect of it) or `rows` (each row is a thing, each column an attribute)",
            )
            .width(self.width(node))
            .help("write `compare: columns` or `compare: rows`, or leave it out to let portquiz decide");
        self.push(d);
        None
    }

    /// A `question:` template, parsed (its placeholders are checked once the table's shape is known).
    fn template(&mut self, node: Option<&Node>) -> Placed {
        let node = node?;
        let text = self.text(node, "question")?;
        match Template::parse(&text) {
            Ok(t) => Some((t, node.pos)),
            Err(err) => {
                let d = self
                    .error(Some(node.pos), err.to_string())
                    .width(self.width(node))
                    .help("see \"Tables\" in decks/README.md for the placeholders");
                self.push(d);
                None
            }
        }
    }

    fn check_template(&mut self, placed: &Placed, used: Use, columns: &[table::Column]) -> bool {
        let Some((template, pos)) = placed else {
            return true;
        };
        match template.check(used, columns) {
            Ok(()) => true,
            Err(err) => {
                let d = self
                    .error(Some(*pos), err.to_string())
                    .help("see \"Tables\" in decks/README.md for the placeholders");
                self.push(d);
                false
            }
        }
    }

    /// The columns: each a name, or a mapping with a `name` and optionally an `id` (kept when the name is
    /// reworded, so the cards keep their progress) and a `question`.
    fn columns(&mut self, node: &Node) -> Option<Vec<(table::Column, Placed)>> {
        let Value::Seq(items) = &node.value else {
            let d = self
                .error(
                    Some(node.pos),
                    format!("`columns` must be a list, found {}", node.value.kind()),
                )
                .help("write it as a list, e.g. columns: [TCP, UDP]");
            self.push(d);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            if let Value::Map(_) = item.value {
                let Some(fields) = self.fields(item, "a column", &COLUMN_KEYS, &|_| None) else {
                    ok = false;
                    continue;
                };
                let name = self.req_text(&fields, "name", "this column", "TCP");
                let id = match fields.get("id") {
                    Some(_) => self.id(&fields, "this column", check_id).map(|(id, _)| id),
                    None => name.as_deref().map(slug),
                };
                let question = self.template(fields.get("question"));
                match (name, id) {
                    (Some(name), Some(id)) => out.push((
                        table::Column {
                            id,
                            name,
                            question: None,
                        },
                        question,
                    )),
                    _ => ok = false,
                }
            } else {
                match self.text(item, "columns") {
                    Some(name) => out.push((
                        table::Column {
                            id: slug(&name),
                            name,
                            question: None,
                        },
                        None,
                    )),
                    None => ok = false,
                }
            }
        }
        ok.then_some(out)
    }

    /// Checks that every column names its cards: `table/row/<column slug>` needs a slug, and one no other
    /// column has. `node` is the `columns` list, for positions.
    fn column_ids(&mut self, columns: &[(table::Column, Placed)], node: &Node) -> bool {
        let Value::Seq(items) = &node.value else {
            return true;
        };
        let mut ok = true;
        let mut seen: Vec<(String, &str, Pos, usize)> = Vec::new();
        for ((column, _), item) in columns.iter().zip(items) {
            let (id, column) = (column.id.clone(), column.name.as_str());
            if id.is_empty() {
                let d = self
                    .error(
                        Some(item.pos),
                        format!(
                            "the column `{column}` has no letter or digit to name its cards by"
                        ),
                    )
                    .width(column.chars().count())
                    .help("give the column a name with a letter or digit in it");
                self.push(d);
                ok = false;
            } else if let Some((_, first, pos, width)) = seen.iter().find(|(s, ..)| *s == id) {
                let places = [(*pos, *width), (item.pos, self.width(item))];
                let message = format!(
                    "the columns `{first}` and `{column}` would give their cards the same id `{id}`"
                );
                self.collision(
                    places,
                    &message,
                    "the other column is here",
                    "rename one of the columns",
                );
                ok = false;
            } else {
                seen.push((id, column, item.pos, self.width(item)));
            }
        }
        ok
    }

    pub(super) fn row(
        &mut self,
        node: &Node,
        columns: Option<&[String]>,
        seen: &mut HashMap<String, Pos>,
    ) -> Option<(table::Row, Placed)> {
        let fields = self.fields(node, "a table row", &ROW_KEYS, &|_| None)?;
        let aspect = self.req_text(&fields, "aspect", "this row", "What it is");
        let explain = self.opt_text(&fields, "explain");
        let question = self.template(fields.get("question"));
        let slug = match fields.get("id") {
            Some(_) => self.id(&fields, "this row", check_id).map(|(id, _)| id),
            None => aspect.as_deref().map(slug),
        };
        let values_node = fields.get("values");
        let values = match values_node {
            None => {
                self.missing(&fields, "values", "this row", "[..., ...]");
                None
            }
            Some(n) => match &n.value {
                Value::Seq(items) => {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for item in items {
                        match &item.value {
                            Value::Bool(b) if is_true_or_false(item.written(self.text)) => {
                                out.push(table::Cell::Bool(*b));
                            }
                            _ => match self.text_or(
                                item,
                                "values",
                                Some("a true/false cell is written `true` or `false`"),
                            ) {
                                Some(t) => out.push(table::Cell::Text(t)),
                                None => ok = false,
                            },
                        }
                    }
                    ok.then_some(out)
                }
                other => {
                    let d = self
                        .error(
                            Some(n.pos),
                            format!("`values` must be a list, found {}", other.kind()),
                        )
                        .help("give one value per column, e.g. values: [A number, An endpoint]");
                    self.push(d);
                    None
                }
            },
        };
        let written = match values_node.map(|n| &n.value) {
            Some(Value::Seq(items)) => Some(items.len()),
            _ => None,
        };
        if let (Some(count), Some(columns), Some(n)) = (written, columns, values_node)
            && count != columns.len()
        {
            let d = self
                .error(
                    Some(n.pos),
                    format!(
                        "this row has {} but the table has {} columns ({})",
                        crate::text::plural(count, "value"),
                        columns.len(),
                        columns.join(", ")
                    ),
                )
                .help("give exactly one value per column, in column order");
            self.push(d);
            return None;
        }
        let slug = slug?;
        if slug.is_empty() {
            let d = self
                .error(
                    Some(fields.pos),
                    "this row needs an `id`: its aspect has no letters or digits",
                )
                .help("add `id: some-row-id`");
            self.push(d);
            return None;
        }
        if let Some(first) = seen.get(&slug) {
            self.collision(
                [(*first, 1), (fields.pos, 1)],
                &format!("two rows of this table have the id `{slug}`"),
                "the other row is here",
                "give one of them an explicit `id:`",
            );
            return None;
        }
        seen.insert(slug.clone(), fields.pos);
        let row = table::Row {
            slug,
            aspect: aspect?,
            values: values?,
            explain,
            question: None,
            line: fields.pos.line,
        };
        Some((row, question))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::check;

    #[test]
    fn a_column_without_letters_or_digits_cannot_name_its_cards() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, \"???\"]\n    rows:\n      - aspect: Connection\n        values: [a, b]\n"
            ),
            "d.yaml:6:20: error: the column `???` has no letter or digit to name its cards by\n  |\n6 |     columns: [TCP, \"???\"]\n  |                    ^^^\nhelp: give the column a name with a letter or digit in it\n"
        );
    }

    #[test]
    fn two_columns_cannot_share_a_card_id() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, tcp]\n    rows:\n      - aspect: Connection\n        values: [a, b]\n"
            ),
            "d.yaml:6:15: error: the columns `TCP` and `tcp` would give their cards the same id `tcp`\n  |\n6 |     columns: [TCP, tcp]\n  |               ^^^\nd.yaml:6:20: note: the other column is here\nhelp: rename one of the columns\nd.yaml:6:20: error: the columns `TCP` and `tcp` would give their cards the same id `tcp`\n  |\n6 |     columns: [TCP, tcp]\n  |                    ^^^\nd.yaml:6:15: note: the other column is here\nhelp: rename one of the columns\n"
        );
    }

    #[test]
    fn columns_that_slug_alike_are_refused_at_both() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [\"HTTP/1.1\", \"HTTP 1.1\", a, a]\n    rows:\n      - aspect: Connection\n        values: [a, b, c, d]\n"
            ),
            "d.yaml:6:15: error: the columns `HTTP/1.1` and `HTTP 1.1` would give their cards the same id `http-1-1`\n  |\n6 |     columns: [\"HTTP/1.1\", \"HTTP 1.1\", a, a]\n  |               ^^^^^^^^^^\nd.yaml:6:27: note: the other column is here\nhelp: rename one of the columns\nd.yaml:6:27: error: the columns `HTTP/1.1` and `HTTP 1.1` would give their cards the same id `http-1-1`\n  |\n6 |     columns: [\"HTTP/1.1\", \"HTTP 1.1\", a, a]\n  |                           ^^^^^^^^^^\nd.yaml:6:15: note: the other column is here\nhelp: rename one of the columns\nd.yaml:6:39: error: the columns `a` and `a` would give their cards the same id `a`\n  |\n6 |     columns: [\"HTTP/1.1\", \"HTTP 1.1\", a, a]\n  |                                       ^\nd.yaml:6:42: note: the other column is here\nhelp: rename one of the columns\nd.yaml:6:42: error: the columns `a` and `a` would give their cards the same id `a`\n  |\n6 |     columns: [\"HTTP/1.1\", \"HTTP 1.1\", a, a]\n  |                                          ^\nd.yaml:6:39: note: the other column is here\nhelp: rename one of the columns\n"
        );
    }

    #[test]
    fn a_table_needs_two_columns_and_rows() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP]\n    rows: []\n"
            ),
            "d.yaml:6:14: error: a table needs at least 2 columns to compare, found 1\n  |\n6 |     columns: [TCP]\n  |              ^\nhelp: add a column, or write the facts as cards\nd.yaml:7:11: error: `rows` must be a non-empty list of rows\n  |\n7 |     rows: []\n  |           ^\nhelp: add rows like `- aspect: What it is` with `values: [...]`\n"
        );
    }

    #[test]
    fn each_row_has_one_value_per_column() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, UDP]\n    rows:\n      - aspect: Connection\n        values: [One, Two, Three]\n"
            ),
            "d.yaml:9:17: error: this row has 3 values but the table has 2 columns (TCP, UDP)\n  |\n9 |         values: [One, Two, Three]\n  |                 ^\nhelp: give exactly one value per column, in column order\n"
        );
    }

    #[test]
    fn row_ids_are_unique_and_need_letters() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, UDP]\n    rows:\n      - aspect: Connection\n        values: [a, b]\n      - aspect: connection!\n        values: [c, d]\n      - aspect: \"???\"\n        values: [e, f]\n"
            ),
            "d.yaml:8:9: error: two rows of this table have the id `connection`\n  |\n8 |       - aspect: Connection\n  |         ^\nd.yaml:10:9: note: the other row is here\nhelp: give one of them an explicit `id:`\nd.yaml:10:9: error: two rows of this table have the id `connection`\n   |\n10 |       - aspect: connection!\n   |         ^\nd.yaml:8:9: note: the other row is here\nhelp: give one of them an explicit `id:`\nd.yaml:12:9: error: this row needs an `id`: its aspect has no letters or digits\n   |\n12 |       - aspect: \"???\"\n   |         ^\nhelp: add `id: some-row-id`\n"
        );
    }

    #[test]
    fn a_table_expands_into_cards() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, UDP]\n    rows:\n      - aspect: Connection\n        values: [Connection-oriented, Connectionless]\n      - aspect: Reliable\n        values: [true, false]\n"
            ),
            "ok: 3 cards"
        );
    }

    #[test]
    fn columns_take_ids_and_templates_are_checked_where_they_are_written() {
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    compare: colums\n    question: \"Which is {colum}?\"\n    columns: [TCP, {name: UDP, id: u, question: \"{who} is it\"}]\n    rows:\n      - aspect: Reliable\n        values: [true, false]\n        question: \"{column} is reliable\"\n"
            ),
            "d.yaml:6:14: error: `compare` must be `columns` (each column is a thing, each row an aspect of it) or `rows` (each row is a thing, each column an attribute)\n  |\n6 |     compare: colums\n  |              ^^^^^^\nhelp: write `compare: columns` or `compare: rows`, or leave it out to let portquiz decide\nd.yaml:7:15: error: `{colum}` is not a placeholder: use {title}, {column}, {aspect} ({Column}, {Aspect} as written), {cell:COLUMN-ID} or, in a true/false row, {who}\n  |\n7 |     question: \"Which is {colum}?\"\n  |               ^^^^^^^^^^^^^^^^^^^\nhelp: see \"Tables\" in decks/README.md for the placeholders\n"
        );
        assert_eq!(
            check(
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, {name: UDP, id: u, question: \"{who} is it\"}]\n    rows:\n      - aspect: Reliable\n        values: [true, false]\n        question: \"{column} is reliable\"\n"
            ),
            "d.yaml:6:49: error: `{who}` has no meaning here: only a row of true/false values has columns it holds for\n  |\n6 |     columns: [TCP, {name: UDP, id: u, question: \"{who} is it\"}]\n  |                                                 ^\nhelp: see \"Tables\" in decks/README.md for the placeholders\nd.yaml:10:19: error: `{column}` has no meaning here: a true/false row makes one statement about all columns; use {who}\n   |\n10 |         question: \"{column} is reliable\"\n   |                   ^\nhelp: see \"Tables\" in decks/README.md for the placeholders\n"
        );
    }
}

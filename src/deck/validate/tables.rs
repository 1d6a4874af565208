//! Comparison tables: columns, rows (an aspect and one value per column; row ids unique), checked here and
//! then expanded into cards by [`crate::deck::table`].
use std::collections::HashMap;

use super::Cx;
use super::cards::is_true_or_false;
use crate::deck::id::{check_id, slug};
use crate::deck::table;
use crate::deck::yaml::{Node, Pos, Value};

const TABLE_KEYS: [&str; 5] = ["id", "title", "description", "columns", "rows"];
const ROW_KEYS: [&str; 4] = ["id", "aspect", "values", "explain"];
/// The keys of tables and rows.
pub(super) const KEYS: [&str; 8] = [
    "title",
    "description",
    "columns",
    "rows",
    "id",
    "aspect",
    "values",
    "explain",
];

impl Cx<'_> {
    pub(super) fn table(&mut self, node: &Node) -> Option<table::Table> {
        let fields = self.fields(node, "a table", &TABLE_KEYS, &|_| None)?;
        let id = self.id(&fields, "this table", check_id).map(|(id, _)| id);
        let title = self.opt_text(&fields, "title");
        let _ = self.opt_text(&fields, "description");
        let columns = match fields.get("columns") {
            None => {
                self.missing(&fields, "columns", "this table", "[First, Second]");
                None
            }
            Some(n) => self.text_list(n, "columns"),
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
                        if let Some(row) = self.row(item, columns.as_deref(), &mut seen) {
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
        Some(table::Table {
            title: title.unwrap_or_else(|| id.clone()),
            id,
            columns,
            rows,
        })
    }

    /// Checks that every column names its cards: `table/row/<column slug>` needs a slug, and one no other
    /// column has. `node` is the `columns` list, for positions.
    fn column_ids(&mut self, columns: &[String], node: &Node) -> bool {
        let Value::Seq(items) = &node.value else {
            return true;
        };
        let mut ok = true;
        let mut seen: Vec<(String, &str, Pos, usize)> = Vec::new();
        for (column, item) in columns.iter().zip(items) {
            let id = slug(column);
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
    ) -> Option<table::Row> {
        let fields = self.fields(node, "a table row", &ROW_KEYS, &|_| None)?;
        let aspect = self.req_text(&fields, "aspect", "this row", "What it is");
        let explain = self.opt_text(&fields, "explain");
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
        Some(table::Row {
            slug,
            aspect: aspect?,
            values: values?,
            explain,
            line: fields.pos.line,
        })
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
                "format: 1\nid: d\ntitle: D\ntables:\n  - id: tab\n    columns: [TCP, UDP]\n    rows:\n      - aspect: Connection\n        values: [Yes, No, Maybe]\n"
            ),
            "d.yaml:9:17: error: this row has 3 values but the table has 2 columns (TCP, UDP)\n  |\n9 |         values: [Yes, No, Maybe]\n  |                 ^\nhelp: give exactly one value per column, in column order\nd.yaml:9:18: error: `values` is text, but YAML reads `Yes` as the boolean true\n  |\n9 |         values: [Yes, No, Maybe]\n  |                  ^^^\nhelp: quote it to keep it as written: \"Yes\" (a true/false cell is written `true` or `false`)\nd.yaml:9:23: error: `values` is text, but YAML reads `No` as the boolean false\n  |\n9 |         values: [Yes, No, Maybe]\n  |                       ^^\nhelp: quote it to keep it as written: \"No\" (a true/false cell is written `true` or `false`)\n"
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
            "ok: 4 cards"
        );
    }
}

//! The data behind a chart as an accessible HTML table and as CSV (RFC 4180).

use super::{DrawContext, Series, words};
use crate::escape::html as escape;
use crate::text::Text;

/// One cell: what the table shows (formatted for the language) and what the CSV holds.
#[derive(Debug, Clone)]
pub struct Cell {
    pub shown: String,
    pub raw: String,
    /// Numbers are ours, not author text: no CSV-injection guard, right-aligned in the table.
    pub numeric: bool,
}

impl Cell {
    pub fn number(shown: String, raw: String) -> Cell {
        Cell {
            shown,
            raw,
            numeric: true,
        }
    }

    pub fn text(s: String) -> Cell {
        Cell {
            raw: s.clone(),
            shown: s,
            numeric: false,
        }
    }
}

/// Rows of cells under a header row; the first cell of each row is its header (`th scope=row`).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// One row per category: its name, then each series' value; the first heading is the
    /// chart's category label or "Category".
    pub(crate) fn by_category(cx: &DrawContext, categories: &[Text], series: &[Series]) -> Table {
        let mut head = vec![
            cx.category_label
                .clone()
                .unwrap_or_else(|| words::category(cx.lang).into()),
        ];
        head.extend(series.iter().map(|s| cx.text(&s.name)));
        let rows = categories
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let mut row = vec![Cell::text(cx.text(c))];
                row.extend(series.iter().map(|s| {
                    let v = &s.values[j];
                    Cell::number(cx.label(v), v.raw())
                }));
                row
            })
            .collect();
        Table { head, rows }
    }

    pub fn html(&self, caption: &str) -> String {
        let mut out = String::from("<table class=\"chart-table\">\n");
        out.push_str(&format!(
            "<caption>{}</caption>\n<thead><tr>",
            escape(caption)
        ));
        for h in &self.head {
            out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let text = escape(&cell.shown);
                if i == 0 {
                    out.push_str(&format!("<th scope=\"row\">{text}</th>"));
                } else if cell.numeric {
                    out.push_str(&format!("<td class=\"num\">{text}</td>"));
                } else {
                    out.push_str(&format!("<td>{text}</td>"));
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    pub fn csv(&self) -> String {
        let mut out = String::new();
        let head: Vec<String> = self.head.iter().map(|h| csv_text(h)).collect();
        push_record(&mut out, &head);
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    if c.numeric {
                        csv_quote(&c.raw)
                    } else {
                        csv_text(&c.raw)
                    }
                })
                .collect();
            push_record(&mut out, &cells);
        }
        out
    }
}

fn push_record(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// Author text in a CSV cell: a leading `=`, `+`, `-`, `@`, tab or CR would make a spreadsheet
/// read it as a formula, so it gets a leading `'`.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_quote(&format!("'{s}"))
    } else {
        csv_quote(s)
    }
}

/// Quote a cell when it holds a comma, a quote or a line break; quotes are doubled.
fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let t = Table {
            head: vec!["name".into(), "value".into()],
            rows: vec![
                vec![
                    Cell::text("=HYPERLINK(\"x\")".into()),
                    Cell::number("−3".into(), "-3".into()),
                ],
                vec![
                    Cell::text("a, b".into()),
                    Cell::number("1".into(), "1".into()),
                ],
                vec![
                    Cell::text("\tx".into()),
                    Cell::number("2".into(), "2".into()),
                ],
            ],
        };
        assert_eq!(
            t.csv(),
            "name,value\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\n\"a, b\",1\r\n'\tx,2\r\n"
        );
    }

    #[test]
    fn html_escapes_and_scopes() {
        let t = Table {
            head: vec!["<b>".into(), "v".into()],
            rows: vec![vec![
                Cell::text("a & \"b\"".into()),
                Cell::number("$1".into(), "1".into()),
            ]],
        };
        let h = t.html("T's");
        assert!(h.contains("<caption>T&#39;s</caption>"));
        assert!(h.contains("<th scope=\"col\">&lt;b&gt;</th>"));
        assert!(
            h.contains("<th scope=\"row\">a &amp; &quot;b&quot;</th><td class=\"num\">$1</td>")
        );
    }
}

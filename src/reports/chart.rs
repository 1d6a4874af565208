//! Terminal bar charts: horizontal (one line per bar) and vertical (one column per bar), written to any
//! `impl Write`. Colour is the caller's decision (a bool); without it bars are plain `#` characters so the
//! output reads the same under `NO_COLOR`, in logs and in screen readers. No I/O beyond the writer.
use std::io::{self, Write};

use anstyle::{AnsiColor, Style as Paint};

/// One bar: a label and a non-negative value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

impl Bar {
    /// A bar with the given label and value.
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Self {
            label: label.into(),
            value,
        }
    }
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Coloured blocks (`true`) or plain `#` characters (`false`).
    pub color: bool,
    /// Horizontal: the longest bar's length in characters. Vertical: the tallest column's height in rows.
    pub size: usize,
    /// Decimal places of the printed values.
    pub decimals: usize,
}

const BLOCK: &str = "█";
const PLAIN: &str = "#";
const BAR_PAINT: Paint = AnsiColor::Cyan.on_default();

fn bar_cells(color: bool, n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    if color {
        // The caller's bool decides (it knows the stream), so the escape codes are written here.
        format!("{BAR_PAINT}{}{BAR_PAINT:#}", BLOCK.repeat(n))
    } else {
        PLAIN.repeat(n)
    }
}

/// Scales `value` to `0..=size` cells against `max`; a positive value always gets at least one cell.
fn scale(value: f64, max: f64, size: usize) -> usize {
    if value.is_nan() || max.is_nan() || value <= 0.0 || max <= 0.0 {
        return 0;
    }
    let cells = (value / max * size as f64).round() as usize;
    cells.clamp(1, size.max(1))
}

fn max_value(bars: &[Bar]) -> f64 {
    bars.iter()
        .map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// Writes one line per bar: the label padded to the widest, the bar, then the value.
///
/// ```text
/// today     ###### 3
/// tomorrow  ############ 6
/// ```
pub fn horizontal(out: &mut impl Write, bars: &[Bar], style: Style) -> io::Result<()> {
    let label_width = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let max = max_value(bars);
    for bar in bars {
        let cells = scale(bar.value, max, style.size);
        let pad = label_width - bar.label.chars().count();
        let sep = if cells == 0 { "" } else { " " };
        writeln!(
            out,
            "{}{} {}{}{:.*}",
            bar.label,
            " ".repeat(pad),
            bar_cells(style.color, cells),
            sep,
            style.decimals,
            bar.value
        )?;
    }
    Ok(())
}

/// Writes a column chart: a y axis marked with the maximum and 0, one column per bar (two characters
/// apart), and under the axis the label of every `label_every`-th bar where it fits.
///
/// ```text
/// 6 |   #
///   | # #
/// 0 +------
///    0 1 2
/// ```
pub fn vertical(
    out: &mut impl Write,
    bars: &[Bar],
    style: Style,
    label_every: usize,
) -> io::Result<()> {
    let max = max_value(bars);
    let top = format!("{:.*}", style.decimals, max);
    let zero = format!("{:.*}", style.decimals, 0.0);
    let axis_width = top.len().max(zero.len());
    let heights: Vec<usize> = bars
        .iter()
        .map(|b| scale(b.value, max, style.size))
        .collect();
    let rows = style.size.max(1);
    for row in (1..=rows).rev() {
        let mark = if row == rows { top.as_str() } else { "" };
        let mut line = format!("{mark:>axis_width$} |");
        for &h in &heights {
            line.push(' ');
            if h >= row {
                line.push_str(&bar_cells(style.color, 1));
            } else {
                line.push(' ');
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{zero:>axis_width$} +{}", "-".repeat(bars.len() * 2))?;
    // Labels: bar i is drawn at column axis_width + 3 + 2i.
    let mut labels = String::new();
    let every = label_every.max(1);
    for (i, bar) in bars.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let col = axis_width + 3 + 2 * i;
        let len = labels.chars().count();
        if len > col {
            continue; // the previous label (and its trailing space) still occupies this column
        }
        labels.push_str(&" ".repeat(col - len));
        labels.push_str(&bar.label);
        labels.push(' ');
    }
    writeln!(out, "{}", labels.trim_end())?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn render(f: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn bars() -> Vec<Bar> {
        vec![
            Bar::new("today", 3.0),
            Bar::new("tomorrow", 6.0),
            Bar::new("later", 0.0),
            Bar::new("tiny", 0.1),
        ]
    }

    #[test]
    fn horizontal_plain_scales_to_the_longest_bar() {
        let style = Style {
            color: false,
            size: 12,
            decimals: 0,
        };
        let text = render(|w| horizontal(w, &bars(), style));
        assert_eq!(
            text,
            "today    ###### 3\n\
             tomorrow ############ 6\n\
             later    0\n\
             tiny     # 0\n"
        );
    }

    #[test]
    fn horizontal_colour_uses_ansi_blocks() {
        let style = Style {
            color: true,
            size: 4,
            decimals: 1,
        };
        let text = render(|w| horizontal(w, &[Bar::new("a", 2.0), Bar::new("bb", 4.0)], style));
        assert_eq!(
            text,
            "a  \u{1b}[36m██\u{1b}[0m 2.0\nbb \u{1b}[36m████\u{1b}[0m 4.0\n"
        );
    }

    #[test]
    fn vertical_plain_draws_columns_axis_and_labels() {
        let style = Style {
            color: false,
            size: 3,
            decimals: 0,
        };
        let data: Vec<Bar> = [0.0, 1.0, 3.0, 2.0, 12.0, 0.0]
            .iter()
            .enumerate()
            .map(|(i, v)| Bar::new(i.to_string(), *v))
            .collect();
        let text = render(|w| vertical(w, &data, style, 2));
        assert_eq!(
            text,
            "12 |         #\n   |         #\n   |   # # # #\n 0 +------------\n     0   2   4\n"
        );
    }

    #[test]
    fn vertical_colour_and_all_zero() {
        let style = Style {
            color: true,
            size: 2,
            decimals: 0,
        };
        let text = render(|w| vertical(w, &[Bar::new("x", 1.0)], style, 1));
        assert_eq!(
            text,
            "1 | \u{1b}[36m█\u{1b}[0m\n  | \u{1b}[36m█\u{1b}[0m\n0 +--\n    x\n"
        );
        let zero = render(|w| vertical(w, &[Bar::new("x", 0.0), Bar::new("y", 0.0)], style, 1));
        assert_eq!(zero, "0 |\n  |\n0 +----\n    x y\n");
    }

    #[test]
    fn long_labels_do_not_overlap() {
        let style = Style {
            color: false,
            size: 1,
            decimals: 0,
        };
        let data = vec![
            Bar::new("Mon 1", 1.0),
            Bar::new("Tue 2", 1.0),
            Bar::new("Wed 3", 1.0),
            Bar::new("Thu 4", 1.0),
        ];
        let text = render(|w| vertical(w, &data, style, 1));
        assert_eq!(text, "1 | # # # #\n0 +--------\n    Mon 1 Thu 4\n");
    }
}

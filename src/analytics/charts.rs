//! Charts drawn on the server as inline SVG: no script, readable by screen readers (`<title>`,
//! `<desc>`, `role="img"`), printable, and always placed above the table they are drawn from.
//! Bars are drawn from the cells as shown, so a withheld count ("<5") never gets a bar whose
//! length would give it away.

use std::fmt::Write;

use serde::Serialize;

use super::table::{Cell, Table};

/// A chart ready for the template: `svg` is trusted markup built here, every text escaped.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub svg: String,
}

/// Escapes text for SVG/XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// Colours and sizes are presentation attributes (not styles, which the CSP would refuse
/// inline), so a chart reads the same without the stylesheet, in print and in a saved page.
const INK: &str = "#1b1f24";
const SERIES: [&str; 2] = ["#0b4f9c", "#c77c00"];

fn open_svg(out: &mut String, id: &str, title: &str, description: &str, width: u32, height: u32) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" preserveAspectRatio=\"xMinYMin meet\" \
         font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"{INK}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
}

/// One horizontal bar per row of `table`, for the values in `column`.
pub fn bars(id: &str, title: &str, description: &str, table: &Table, column: usize) -> Chart {
    let rows: Vec<(&str, &Cell)> = table
        .rows
        .iter()
        .filter_map(|r| r.cells.get(column).map(|c| (r.label.as_str(), c)))
        .collect();
    let max = rows
        .iter()
        .filter_map(|(_, c)| c.number())
        .fold(0.0_f64, f64::max);
    let (label_w, bar_w, row_h, top) = (230.0, 380.0, 26.0, 8.0);
    let height = (top * 2.0 + row_h * rows.len().max(1) as f64) as u32;
    let mut svg = String::new();
    open_svg(&mut svg, id, title, description, 700, height);
    for (i, (label, cell)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let value = cell.number().unwrap_or(0.0);
        let width = if max > 0.0 { value / max * bar_w } else { 0.0 };
        let _ = write!(
            svg,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" class=\"chart-label\">{}</text>",
            label_w - 8.0,
            y + 17.0,
            escape(&shorten(label, 30))
        );
        if width > 0.0 {
            let _ = write!(
                svg,
                "<rect x=\"{label_w:.0}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" class=\"chart-bar\" fill=\"{}\"/>",
                y + 4.0,
                row_h - 8.0,
                SERIES[0]
            );
        }
        let shown = match cell {
            Cell::Blank => "—".to_string(),
            other => other.text(),
        };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-value\">{}</text>",
            label_w + width + 6.0,
            y + 17.0,
            escape(&shown)
        );
    }
    svg.push_str("</svg>");
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        description: description.to_string(),
        svg,
    }
}

/// Vertical columns per row of `table` (a month each) for two series (`columns`), with a
/// legend naming them.
pub fn columns(
    id: &str,
    title: &str,
    description: &str,
    table: &Table,
    series: [(usize, &str); 2],
) -> Chart {
    let max = series
        .iter()
        .flat_map(|(col, _)| {
            table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(*col)?.number())
        })
        .fold(0.0_f64, f64::max);
    let n = table.rows.len().max(1) as f64;
    let (left, right, top, plot_h, bottom) = (52.0, 10.0, 30.0, 180.0, 40.0);
    let width = 700.0;
    let slot = (width - left - right) / n;
    let bar = (slot * 0.38).min(22.0);
    let height = (top + plot_h + bottom) as u32;
    let mut svg = String::new();
    open_svg(&mut svg, id, title, description, width as u32, height);
    // Legend.
    for (i, (_, name)) in series.iter().enumerate() {
        let x = left + 200.0 * i as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x:.0}\" y=\"6\" width=\"12\" height=\"12\" class=\"chart-series-{i}\" fill=\"{}\"/>\
             <text x=\"{:.0}\" y=\"17\" class=\"chart-label\">{}</text>",
            SERIES[i],
            x + 18.0,
            escape(name)
        );
    }
    // Axis with the maximum marked.
    let base = top + plot_h;
    let _ = write!(
        svg,
        "<line x1=\"{left:.0}\" y1=\"{base:.0}\" x2=\"{:.0}\" y2=\"{base:.0}\" class=\"chart-axis\" stroke=\"{INK}\"/>\
         <text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\" class=\"chart-value\">{}</text>",
        width - right,
        left - 4.0,
        top + 10.0,
        escape(&format!("{max:.0}"))
    );
    for (i, row) in table.rows.iter().enumerate() {
        let x0 = left + slot * i as f64 + (slot - 2.0 * bar) / 2.0;
        for (s, (col, _)) in series.iter().enumerate() {
            let Some(cell) = row.cells.get(*col) else {
                continue;
            };
            let value = cell.number().unwrap_or(0.0);
            let h = if max > 0.0 { value / max * plot_h } else { 0.0 };
            let x = x0 + bar * s as f64;
            if h > 0.0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" class=\"chart-series-{s}\" fill=\"{}\"/>",
                    base - h,
                    SERIES[s]
                );
            } else if matches!(cell, Cell::Small) {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"chart-small\">&lt;5</text>",
                    x + bar / 2.0,
                    base - 3.0
                );
            }
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"chart-tick\">{}</text>",
            left + slot * i as f64 + slot / 2.0,
            base + 16.0,
            escape(&row.label.chars().take(7).collect::<String>())
        );
    }
    svg.push_str("</svg>");
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        description: description.to_string(),
        svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::table::Row;

    fn table() -> Table {
        let mut t = Table::new("t", "T".into(), vec!["u".into(), "n".into()]);
        for (label, cell) in [
            ("A <script>", Cell::Count(10)),
            ("B", Cell::Small),
            ("C", Cell::Count(5)),
        ] {
            t.rows.push(Row {
                label: label.into(),
                link: None,
                cells: vec![cell],
                suppressed: true,
            });
        }
        t
    }

    #[test]
    fn a_withheld_count_gets_no_bar_and_text_is_escaped() {
        let chart = bars("c", "Title & more", "Desc", &table(), 0);
        assert_eq!(chart.svg.matches("<rect").count(), 2, "A and C only");
        assert!(chart.svg.contains("&lt;5"));
        assert!(chart.svg.contains("A &lt;script&gt;"));
        assert!(chart
            .svg
            .contains("<title id=\"c-title\">Title &amp; more</title>"));
        assert!(!chart.svg.contains("<script"));
    }

    #[test]
    fn columns_draw_both_series_with_a_legend() {
        let mut t = table();
        for row in &mut t.rows {
            row.cells.push(Cell::Count(1));
        }
        let chart = columns("m", "Months", "Desc", &t, [(0, "received"), (1, "closed")]);
        assert!(chart.svg.contains("chart-series-0") && chart.svg.contains("chart-series-1"));
        assert!(chart.svg.contains(">received<"));
    }
}

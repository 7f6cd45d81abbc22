//! `--format csv`: one row per finding, for a spreadsheet: UTF-8 with a BOM
//! (so Excel reads accents right), a header row, and every text that a
//! spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`,
//! tab or carriage return) prefixed with `'`.

use std::io::{self, Write};

use super::RenderOptions;
use crate::Report;
use crate::rules;

/// The header row.
pub const COLUMNS: [&str; 12] = [
    "file", "sheet", "row", "column", "cell", "field", "value", "severity", "code", "title",
    "message", "help",
];

/// `text` made safe to open in a spreadsheet: a leading `'` when it starts
/// with a character that would make it a formula (OWASP's CSV injection
/// advice).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Writes the findings as CSV (the first `--max-diagnostics` of them).
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(COLUMNS)?;
    for d in opts.shown(report).0 {
        let l = &d.location;
        let row = l.row.or(l.line).map(|r| r.to_string()).unwrap_or_default();
        let column = l
            .column
            .clone()
            .or_else(|| l.col.map(|c| c.to_string()))
            .unwrap_or_default();
        let title = rules::find(d.code).map_or("", |m| m.title);
        let text = |s: Option<&str>| neutralise(s.unwrap_or_default()).into_owned();
        w.write_record([
            text(Some(&l.file)),
            text(l.sheet.as_deref()),
            row,
            column,
            text(l.cell.as_deref()),
            text(l.field.as_deref()),
            text(l.value.as_deref()),
            d.severity.as_str().to_string(),
            d.code.to_string(),
            text(Some(title)),
            text(Some(&d.message)),
            text(d.help.as_deref()),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for s in ["+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(neutralise(s).starts_with('\''), "{s}");
        }
        assert_eq!(neutralise("2027-01-01"), "2027-01-01");
        assert_eq!(neutralise("é"), "é");
    }
}

//! Where a value came from: file, sheet and cell, or XML line and column.

use serde::Serialize;

/// The place a diagnostic points at. Absent parts are `None` (JSON `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path of the input file as given on the command line.
    pub file: String,
    /// Sheet name (spreadsheets only).
    pub sheet: Option<String>,
    /// 1-based spreadsheet row; for CSV, the record's row as a spreadsheet
    /// shows the file.
    pub row: Option<u32>,
    /// Column letter(s), e.g. `H`.
    pub column: Option<String>,
    /// Cell reference, e.g. `H12`.
    pub cell: Option<String>,
    /// EMA field name, e.g. `LicenseRightsDescription`.
    pub field: Option<String>,
    /// The offending value as written in the file.
    pub value: Option<String>,
    /// 1-based XML line; for CSV, the file line the record starts on.
    pub line: Option<u32>,
    /// 1-based XML column (in characters).
    pub col: Option<u32>,
    /// Byte span `[start, end)` in an XML file, for rendering.
    #[serde(skip)]
    pub span: Option<(usize, usize)>,
}

impl Location {
    /// A location naming only a file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Default::default()
        }
    }

    /// `Sheet!Cell` when both are known, else the sheet name, else the XML
    /// `line:col`, else a CSV cell or line, else nothing.
    pub fn short(&self) -> Option<String> {
        match (&self.sheet, &self.cell, self.row, self.line) {
            (Some(s), Some(c), _, _) => Some(format!("{s}!{c}")),
            (Some(s), None, Some(r), _) => Some(format!("{s}!{r}:{r}")),
            (Some(s), None, None, _) => Some(s.clone()),
            // CSV: a cell (`B5`) or a row, as a spreadsheet shows the file.
            (None, Some(c), _, _) => Some(c.clone()),
            (None, None, Some(r), _) => Some(r.to_string()),
            // XML.
            (None, None, None, Some(l)) => Some(format!("{l}:{}", self.col.unwrap_or(1))),
            (None, None, None, None) => None,
        }
    }

    /// `file:Sheet!Cell` or `file:line:col`, the form used in one-line summaries.
    pub fn display(&self) -> String {
        match self.short() {
            Some(s) => format!("{}:{s}", self.file),
            None => self.file.clone(),
        }
    }
}

/// Spreadsheet column letters for a 0-based column index (0 → `A`, 27 → `AB`).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(77), "BZ");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn csv_places_are_named() {
        // Without them, two CSV rows in one message read as the same file.
        let mut row = Location::file("a.csv");
        row.row = Some(5);
        assert_eq!(row.display(), "a.csv:5");
        let mut cell = row.clone();
        cell.cell = Some("B5".into());
        assert_eq!(cell.display(), "a.csv:B5");
        assert_eq!(Location::file("a.csv").display(), "a.csv");
    }
}

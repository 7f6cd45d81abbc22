//! CSV exports of one EMA sheet (UTF-8 with or without BOM; UTF-16 and
//! Windows-1252 are decoded with a warning).

use super::sheet::{RawRow, SheetInput, SheetOutcome, build};
use super::text::decode_lenient;
use super::{Note, NoteKind, ReadError, ReadOptions, ReadOutput};
use crate::model::avail::Interner;
use crate::model::{Cell, CellKind, Location, SourceKind};

/// Reads a CSV file as one sheet.
pub fn read(
    bytes: &[u8],
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let mut notes = Vec::new();
    let (text, encoding) = decode_lenient(bytes);
    if let Some(enc) = encoding {
        notes.push(Note {
            kind: NoteKind::Encoding,
            location: Location::file(file),
            message: format!("the file is not UTF-8; it was decoded as {enc}"),
            help: Some("save the CSV as UTF-8 (Excel: File › Save As › CSV UTF-8) so every system reads the same characters".into()),
        });
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut interner = Interner::default();
    let mut places = RecordPlaces::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i as u64 + 1, |p| p.line());
            ReadError::UnknownFormat(format!("is not valid CSV at line {line}: {e}"))
        })?;
        let (row, line) = places.next(&text, &record);
        let cells: Vec<Cell> = record
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(col, v)| {
                Cell::new(col, interner.intern(v), CellKind::Text)
                    .with_formula(v.starts_with('=').then(|| v.to_string()))
            })
            .collect();
        if !cells.is_empty() {
            rows.push(RawRow {
                row,
                line,
                cells,
                hidden: false,
            });
        }
    }
    let input = SheetInput {
        file,
        file_index,
        sheet: None,
        sheet_index: 0,
        source: SourceKind::Csv,
        rows: Box::new(rows.into_iter()),
        faq_version: None,
        hidden: false,
        merged: Vec::new(),
        forced: false,
    };
    let mut sheets = Vec::new();
    match build(input, opts, &mut notes) {
        SheetOutcome::Data(s) => sheets.push(s),
        SheetOutcome::Skipped(n) => {
            return Err(ReadError::UnknownFormat(format!(
                "is a text file but not an EMA avails CSV: {}",
                n.message.replace("sheet not checked", "nothing to check")
            )));
        }
        SheetOutcome::UnknownVersion(e) => return Err(ReadError::UnknownVersion(e)),
    }
    Ok(ReadOutput {
        source: SourceKind::Csv,
        sheets,
        notes,
        text: None,
        avails: Vec::new(),
    })
}

/// Where the records of a CSV text are: each record's row as a spreadsheet
/// shows the file (one row per record, blank lines included, whatever line
/// breaks its quoted cells hold) and the file line the record starts on.
/// Line breaks are counted as the csv crate reads them: `\r\n`, `\n` or a
/// lone `\r`.
#[derive(Default)]
pub(super) struct RecordPlaces {
    /// The last record's row.
    row: u64,
    /// Bytes of the text looked at so far (up to the last record's start).
    scanned: usize,
    /// Line breaks in the text before `scanned`.
    breaks: u64,
}

impl RecordPlaces {
    /// (row, line) of `record` in `text`, the record after the last one.
    pub(super) fn next(&mut self, text: &str, record: &::csv::StringRecord) -> (u32, u32) {
        let bytes = text.as_bytes();
        // The csv crate places a record where it began reading it, before
        // the blank lines it skipped.
        let at = record
            .position()
            .map_or(self.scanned, |p| {
                usize::try_from(p.byte()).unwrap_or(usize::MAX)
            })
            .clamp(self.scanned, bytes.len());
        // The last record's own line breaks and its end.
        self.breaks += line_breaks(bytes, self.scanned, at);
        let mut start = at;
        // The `\n` of a `\r\n` whose `\r` ended the last record.
        if at > 0 && bytes[at - 1] == b'\r' && bytes.get(at) == Some(&b'\n') {
            start += 1;
            self.breaks += 1;
        }
        let mut blank = 0;
        while let Some(&b) = bytes.get(start) {
            match b {
                b'\r' if bytes.get(start + 1) == Some(&b'\n') => start += 2,
                b'\r' | b'\n' => start += 1,
                _ => break,
            }
            blank += 1;
        }
        self.breaks += blank;
        self.scanned = start;
        // Blank lines are rows too.
        self.row += 1 + blank;
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        (small(self.row), small(self.breaks + 1))
    }
}

/// Line breaks in `bytes[from..to]` (`\r\n` is one).
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
    (from..to)
        .filter(|&i| match bytes[i] {
            b'\n' => true,
            b'\r' => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        })
        .count() as u64
}

fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().take(3).collect::<String>();
    let count = |c: char| first.matches(c).count();
    if count(';') > count(',') && count(';') > count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (row, line) of every record of `text`.
    fn places(text: &str) -> Vec<(u32, u32)> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut p = RecordPlaces::default();
        reader
            .records()
            .map(|r| p.next(text, &r.unwrap()))
            .collect()
    }

    #[test]
    fn rows_are_records_and_lines_count_every_break() {
        assert_eq!(places("a\nb\nc\n"), [(1, 1), (2, 2), (3, 3)]);
        assert_eq!(places("a\r\nb\r\n\r\nc\r\n"), [(1, 1), (2, 2), (4, 4)]);
        // A lone CR ends a line too (old Mac files).
        assert_eq!(places("a\rb\rc"), [(1, 1), (2, 2), (3, 3)]);
        // A quoted cell with line breaks is one row over several lines.
        assert_eq!(places("a\n\"x\r\ny\ny\"\nb\n"), [(1, 1), (2, 2), (3, 5)]);
        // Leading blank lines.
        assert_eq!(places("\n\na\n"), [(3, 3)]);
        for text in [
            "a\rb\r\n\rc",
            "\"\r\"\r\n\r\"\n\"",
            "\n\r\n\r",
            "a\r\n\r\nb",
        ] {
            for (row, line) in places(text) {
                assert!(line >= row, "{text:?}: row {row}, line {line}");
            }
        }
    }
}

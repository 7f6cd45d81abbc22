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
#[derive(Default)]
pub(super) struct RecordPlaces {
    /// The last record's row.
    row: u64,
    /// The file line the last record ends on.
    end_line: u64,
}

impl RecordPlaces {
    /// (row, line) of `record` in `text`, the record after the last one.
    pub(super) fn next(&mut self, text: &str, record: &::csv::StringRecord) -> (u32, u32) {
        let line = record.position().map_or(self.end_line + 1, |p| {
            p.line() + blank_lines_at(text, p.byte())
        });
        // Blank lines between records are rows too.
        self.row += line.saturating_sub(self.end_line).max(1);
        let breaks: usize = record.iter().map(|f| f.matches('\n').count()).sum();
        self.end_line = line + breaks as u64;
        let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        (small(self.row), small(line))
    }
}

/// Blank lines starting at `byte`: the csv crate skips them but gives the
/// record the position where they start.
fn blank_lines_at(text: &str, byte: u64) -> u64 {
    let rest = text.as_bytes().get(byte as usize..).unwrap_or_default();
    let blank = rest
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .count();
    // Count only complete blank lines (up to the last `\n`).
    rest[..blank].iter().filter(|b| **b == b'\n').count() as u64
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

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
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i as u64 + 1, |p| p.line());
            ReadError::UnknownFormat(format!("is not valid CSV at line {line}: {e}"))
        })?;
        let line = record
            .position()
            .map_or(i as u64 + 1, |p| p.line() + blank_lines_at(&text, p.byte()))
            as u32;
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
            rows.push(RawRow { row: line, cells });
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

/// Blank lines starting at `byte`: the csv crate skips them but gives the
/// record the position where they start, so its line number would be short.
pub(super) fn blank_lines_at(text: &str, byte: u64) -> u64 {
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

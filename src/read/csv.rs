//! CSV exports of one EMA sheet (UTF-8 with or without BOM; UTF-16 and
//! Windows-1252 are decoded with a warning).

use super::sheet::{RawRow, SheetInput, SheetOutcome, build};
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
    let (text, encoding) = decode(bytes);
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
            rows.push(RawRow {
                row: line,
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
    })
}

/// Decodes the bytes; the second value names a non-UTF-8 encoding used.
fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), None);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (
            utf16(rest, u16::from_le_bytes),
            Some("UTF-16 (little-endian)"),
        );
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), Some("UTF-16 (big-endian)"));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => (
            bytes.iter().map(|&b| windows_1252(b)).collect(),
            Some("Windows-1252"),
        ),
    }
}

fn utf16(bytes: &[u8], f: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").0, "a,b");
        assert_eq!(decode(b"caf\xE9 \x80").0, "café €");
        assert_eq!(decode(b"caf\xE9").1, Some("Windows-1252"));
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0, b',', 0]).0, "a,");
    }
}

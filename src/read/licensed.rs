//! `--licensed` reference files: any supported avails file, or a plain CSV
//! with columns `title_id,territory,start,end` (Licensed SVOD windows known
//! from elsewhere, e.g. Amazon's partner operations).

use std::path::Path;
use std::sync::Arc;

use super::{ReadError, ReadOptions, ReadOutput, SheetRows};
use crate::model::avail::{Column, SheetSource, Text};
use crate::model::{
    Avail, Cell, CellKind, Field, SheetInfo, SheetKind, SourceKind, TemplateVersion, column_letter,
};

/// The columns of the plain windows CSV and the fields they stand for.
pub const WINDOW_COLUMNS: [(&str, Field); 4] = [
    ("title_id", Field::ALID),
    ("territory", Field::Territory),
    ("start", Field::Start),
    ("end", Field::End),
];

/// Reads a licensed-windows reference file.
pub fn read_path(
    path: &Path,
    display: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let bytes = super::read_file(path)?;
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).ok();
    let first_line = text
        .and_then(|t| t.lines().next())
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Columns are looked up by name (any order); a missing one is reported.
    if first_line.split(',').any(|c| c.trim() == "title_id") {
        return windows_csv(text.unwrap_or_default(), display, file_index);
    }
    super::read_bytes(bytes, display, file_index, opts)
}

fn windows_csv(text: &str, file: &str, file_index: usize) -> Result<ReadOutput, ReadError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ReadError::UnknownFormat(format!("is not valid CSV: {e}")))?;
    let header_record = header.clone();
    let headers: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut columns = Vec::new();
    let mut source_col = Vec::new();
    for (name, field) in WINDOW_COLUMNS {
        let Some(i) = headers.iter().position(|h| h == name) else {
            return Err(ReadError::UnknownFormat(format!(
                "is a licensed-windows CSV without a `{name}` column (expected title_id,territory,start,end)"
            )));
        };
        columns.push(Column {
            letter: column_letter(i),
            header: name.to_string(),
            field: Some(field),
            category: String::new(),
        });
        source_col.push(i);
    }
    let at = SheetSource {
        file: file.to_string(),
        file_index,
        sheet: None,
        sheet_index: 0,
        source: SourceKind::Csv,
        hidden: false,
        merged: Vec::new(),
    };
    let info = Arc::new(SheetInfo::new(
        at,
        TemplateVersion::V1_7_3,
        SheetKind::Movies,
        columns,
        1,
    ));
    let mut rows = Vec::new();
    let mut places = super::csv::RecordPlaces::default();
    places.next(text, start_of(&header_record));
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            ReadError::UnknownFormat(format!("is not valid CSV at record {}: {e}", i + 2))
        })?;
        let (row, line) = places.next(text, start_of(&record));
        let cells = source_col
            .iter()
            .enumerate()
            .filter_map(|(col, &src)| {
                let v = record.get(src)?.trim();
                (!v.is_empty()).then(|| Cell::new(col, Text::from(v), CellKind::Text))
            })
            .collect();
        rows.push(Avail::new(Arc::clone(&info), row, cells).with_line(line));
    }
    Ok(ReadOutput {
        source: SourceKind::Csv,
        sheets: vec![SheetRows { info, rows }],
        notes: Vec::new(),
        text: None,
        avails: Vec::new(),
    })
}

/// The byte a csv crate record starts at.
fn start_of(record: &::csv::StringRecord) -> Option<usize> {
    record
        .position()
        .and_then(|p| usize::try_from(p.byte()).ok())
}

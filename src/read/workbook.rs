//! Workbooks (.xlsx, .xlsb, .xls, .ods) through calamine.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{
    Data, DataRef, Ods, Range, Reader, SheetType, Xls, Xlsb, Xlsx, open_workbook_from_rs,
};

use super::sheet::{RawRow, SheetInput, SheetOutcome, build};
use super::{Note, ReadError, ReadOptions, ReadOutput};
use crate::model::avail::Interner;
use crate::model::{Cell, CellKind, SourceKind, Text};

/// Sheets whose names contain these words are documentation, not data
/// (Google's emavalidator skips the same ones).
const NON_DATA_SHEETS: [&str; 3] = ["dictionary", "faq", "instructions"];

type Cur = Cursor<Vec<u8>>;

/// Reads every data sheet of a workbook.
pub fn read(
    bytes: Vec<u8>,
    kind: SourceKind,
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let cursor = Cursor::new(bytes);
    let what = kind.as_str();
    let fail = |e: String| ReadError::Workbook(workbook_error(what, &e));
    match kind {
        SourceKind::Xlsx => {
            let wb: Xlsx<Cur> = open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsxError| fail(e.to_string()))?;
            read_sheets(Streamed(wb), kind, file, file_index, opts)
        }
        SourceKind::Xlsb => {
            let wb: Xlsb<Cur> = open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsbError| fail(e.to_string()))?;
            read_sheets(Ranged(wb), kind, file, file_index, opts)
        }
        SourceKind::Xls => {
            let wb: Xls<Cur> = open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsError| fail(e.to_string()))?;
            read_sheets(Ranged(wb), kind, file, file_index, opts)
        }
        SourceKind::Ods => {
            let wb: Ods<Cur> = open_workbook_from_rs(cursor)
                .map_err(|e: calamine::OdsError| fail(e.to_string()))?;
            read_sheets(Ranged(wb), kind, file, file_index, opts)
        }
        SourceKind::Csv | SourceKind::Xml => unreachable!("not a workbook kind"),
    }
}

fn workbook_error(what: &str, e: &str) -> String {
    if e.to_ascii_lowercase().contains("password") {
        return "is a password-protected workbook; remove the password in Excel and save again"
            .into();
    }
    format!(
        "looks like an {what} workbook but cannot be opened ({e}); it may be truncated or corrupt — open it in Excel and save it again"
    )
}

/// A workbook that can hand out its sheets' rows one at a time.
trait RowSource {
    /// `(name, is a worksheet)` in workbook order.
    fn sheet_list(&self) -> Vec<(String, bool)>;
    /// A whole sheet as a range (used for the small instructions sheet).
    fn range(&mut self, name: &str) -> Option<Range<Data>>;
    /// The rows of a sheet in order; a read error mid-sheet is put in `err`.
    fn rows<'s>(
        &'s mut self,
        name: &str,
        err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String>;
}

/// .xls, .xlsb, .ods: calamine materialises each sheet as a range.
struct Ranged<R>(R);

impl<R> RowSource for Ranged<R>
where
    R: Reader<Cur>,
    R::Error: std::fmt::Display,
{
    fn sheet_list(&self) -> Vec<(String, bool)> {
        sheet_list(self.0.sheets_metadata())
    }

    fn range(&mut self, name: &str) -> Option<Range<Data>> {
        self.0.worksheet_range(name).ok()
    }

    fn rows<'s>(
        &'s mut self,
        name: &str,
        _err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String> {
        let range = self.0.worksheet_range(name).map_err(|e| e.to_string())?;
        let formulas = self.0.worksheet_formula(name).ok();
        Ok(Box::new(raw_rows(&range, formulas.as_ref()).into_iter()))
    }
}

/// .xlsx: cells stream from the sheet XML with their formulas, one row at a
/// time, so memory does not grow with the sheet (no range is built).
struct Streamed(Xlsx<Cur>);

impl RowSource for Streamed {
    fn sheet_list(&self) -> Vec<(String, bool)> {
        sheet_list(self.0.sheets_metadata())
    }

    fn range(&mut self, name: &str) -> Option<Range<Data>> {
        self.0.worksheet_range(name).ok()
    }

    fn rows<'s>(
        &'s mut self,
        name: &str,
        err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String> {
        let mut cells = self
            .0
            .worksheet_cells_reader(name)
            .map_err(|e| e.to_string())?;
        let mut pending: Option<RawRow> = None;
        let mut done = false;
        let mut text = CellText::default();
        // Rows of a sheet are mostly the same width: sized once, not grown.
        let mut width = 0;
        Ok(Box::new(std::iter::from_fn(move || {
            while !done {
                match cells.next_cell_with_formula() {
                    Ok(Some(c)) => {
                        let (r, col) = c.pos;
                        let formula = c.formula.filter(|f| !f.is_empty());
                        let Some((text, kind)) = text.render(c.value).or_else(|| {
                            formula.as_ref().map(|_| (Text::default(), CellKind::Text))
                        }) else {
                            continue;
                        };
                        let cell = Cell::new(col as usize, text, kind).with_formula(formula);
                        match &mut pending {
                            Some(p) if p.row == r + 1 => p.cells.push(cell),
                            _ => {
                                let mut cells = Vec::with_capacity(width.max(1));
                                cells.push(cell);
                                let next = RawRow { row: r + 1, cells };
                                if let Some(done_row) = pending.replace(next) {
                                    width = done_row.cells.len();
                                    return Some(done_row);
                                }
                            }
                        }
                    }
                    Ok(None) => done = true,
                    Err(e) => {
                        *err = Some(e.to_string());
                        done = true;
                    }
                }
            }
            pending.take()
        })))
    }
}

/// Renders a streamed sheet's values, sharing equal texts.
#[derive(Default)]
struct CellText {
    interner: Interner,
    /// Shared-string table entries already rendered, by address and length:
    /// the table does not change while a sheet is read, so the same entry
    /// always has the same address, and no text needs hashing.
    shared: rustc_hash::FxHashMap<(usize, usize), Option<Text>>,
    /// Native numbers, dates and booleans already rendered, by kind and bits:
    /// a sheet repeats the same few dates on many rows.
    native: rustc_hash::FxHashMap<(u8, u64), (Text, CellKind)>,
}

impl CellText {
    /// [`render`] for the streaming reader's borrowed values; `None` for blank cells.
    fn render(&mut self, d: DataRef<'_>) -> Option<(Text, CellKind)> {
        let (text, kind) = match d {
            DataRef::SharedString(s) => {
                let interner = &mut self.interner;
                let text = self
                    .shared
                    .entry((s.as_ptr() as usize, s.len()))
                    .or_insert_with(|| (!s.trim().is_empty()).then(|| interner.intern(s)));
                return Some((text.clone()?, CellKind::Text));
            }
            DataRef::String(s) if s.trim().is_empty() => return None,
            DataRef::String(s) => return Some((self.interner.intern(&s), CellKind::Text)),
            DataRef::DateTimeIso(s) => render(&Data::DateTimeIso(s))?,
            DataRef::DurationIso(s) => render(&Data::DurationIso(s))?,
            DataRef::Empty => return None,
            DataRef::Error(e) => render(&Data::Error(e))?,
            DataRef::Int(i) => return Some(self.native((0, i as u64), Data::Int(i))),
            DataRef::Float(f) => return Some(self.native((1, f.to_bits()), Data::Float(f))),
            DataRef::Bool(b) => return Some(self.native((2, u64::from(b)), Data::Bool(b))),
            DataRef::DateTime(dt) => {
                let kind = if dt.is_duration() { 4 } else { 3 };
                return Some(self.native((kind, dt.as_f64().to_bits()), Data::DateTime(dt)));
            }
        };
        Some((self.interner.intern(&text), kind))
    }

    /// A native value's text, rendered the first time its `key` is seen.
    fn native(&mut self, key: (u8, u64), data: Data) -> (Text, CellKind) {
        let interner = &mut self.interner;
        self.native
            .entry(key)
            .or_insert_with(|| {
                let (text, kind) = render(&data).unwrap_or_default();
                (interner.intern(&text), kind)
            })
            .clone()
    }
}

fn sheet_list(meta: &[calamine::Sheet]) -> Vec<(String, bool)> {
    meta.iter()
        .map(|s| (s.name.clone(), matches!(s.typ, SheetType::WorkSheet)))
        .collect()
}

fn read_sheets(
    mut wb: impl RowSource,
    kind: SourceKind,
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let sheets = wb.sheet_list();
    let faq_version = sheets
        .iter()
        .filter(|(n, _)| is_documentation(n))
        .find_map(|(n, _)| wb.range(n).and_then(|r| faq_version(&r)));
    let mut notes: Vec<Note> = Vec::new();
    let mut out = Vec::new();
    let mut version_errors = Vec::new();
    if let Some(missing) = opts
        .sheets
        .iter()
        .find(|n| !sheets.iter().any(|(s, _)| s == *n))
    {
        let names: Vec<String> = sheets.iter().map(|(n, _)| format!("`{n}`")).collect();
        return Err(ReadError::UnknownFormat(format!(
            "has no sheet `{missing}` (named with --sheet); its sheets are {}",
            names.join(", ")
        )));
    }
    for (index, (name, is_worksheet)) in sheets.iter().enumerate() {
        let forced = opts.sheets.iter().any(|n| n == name);
        if !forced && (!opts.sheets.is_empty() || !is_worksheet || is_documentation(name)) {
            continue;
        }
        let mut err = None;
        let cannot = |e: String| ReadError::Workbook(format!("sheet `{name}` cannot be read: {e}"));
        let rows = wb.rows(name, &mut err).map_err(cannot)?;
        let input = SheetInput {
            file,
            file_index,
            sheet: Some(name),
            sheet_index: index,
            source: kind,
            rows,
            faq_version: faq_version.clone(),
            forced,
        };
        let outcome = build(input, opts, &mut notes);
        if let Some(e) = err {
            return Err(cannot(e));
        }
        match outcome {
            SheetOutcome::Data(s) => out.push(s),
            SheetOutcome::Skipped(n) => notes.push(*n),
            SheetOutcome::UnknownVersion(e) => version_errors.push(format!("sheet `{name}`: {e}")),
        }
    }
    if !version_errors.is_empty() {
        return Err(ReadError::UnknownVersion(version_errors.join("; ")));
    }
    if out.is_empty() {
        // Nothing was checked: refuse the file (as a CSV without a header
        // is) instead of passing it with exit 0.
        let skipped: Vec<String> = notes
            .iter()
            .map(|n| {
                let sheet = n.location.sheet.as_deref().unwrap_or_default();
                format!("sheet `{sheet}`: {}", n.message)
            })
            .collect();
        let why = if skipped.is_empty() {
            "it has no worksheet besides documentation sheets".to_string()
        } else {
            skipped.join("; ")
        };
        return Err(ReadError::UnknownFormat(format!(
            "is a workbook without an EMA avails sheet ({why})"
        )));
    }
    Ok(ReadOutput {
        source: kind,
        sheets: out,
        notes,
        text: None,
        avails: Vec::new(),
    })
}

fn is_documentation(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    NON_DATA_SHEETS.iter().any(|w| lower.contains(w))
}

/// The "Template Version" / "Version Number" cell of an instructions sheet.
fn faq_version(range: &Range<Data>) -> Option<String> {
    for row in range.rows().take(60) {
        for (i, cell) in row.iter().enumerate() {
            let label = cell.to_string().to_ascii_lowercase();
            if (label.contains("template version") || label.contains("version number"))
                && let Some(v) = row[i + 1..]
                    .iter()
                    .map(|c| c.to_string())
                    .find(|s| !s.trim().is_empty())
            {
                return Some(v.trim().to_string());
            }
        }
    }
    None
}

fn raw_rows(range: &Range<Data>, formulas: Option<&Range<String>>) -> Vec<RawRow> {
    let Some((r0, c0)) = range.start() else {
        return Vec::new();
    };
    let formula_at: HashMap<(u32, u32), &String> = formulas
        .and_then(|f| f.start().map(|s| (f, s)))
        .map(|(f, (fr, fc))| {
            f.used_cells()
                .filter(|(_, _, s)| !s.is_empty())
                .map(|(r, c, s)| ((fr + r as u32, fc + c as u32), s))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut interner = Interner::default();
    for (i, row) in range.rows().enumerate() {
        let abs_row = r0 + i as u32;
        let cells: Vec<Cell> = row
            .iter()
            .enumerate()
            .filter_map(|(j, d)| {
                let abs_col = c0 + j as u32;
                let (text, kind) = render(d)?;
                Some(
                    Cell::new(abs_col as usize, interner.intern(&text), kind)
                        .with_formula(formula_at.get(&(abs_row, abs_col)).map(|s| s.to_string())),
                )
            })
            .collect();
        if !cells.is_empty() {
            out.push(RawRow {
                row: abs_row + 1,
                cells,
            });
        }
    }
    out
}

/// A cell as the user sees it: dates through their number format
/// (date → `YYYY-MM-DD`, time of day → `HH:MM:SS`, both → `YYYY-MM-DDTHH:MM:SS`),
/// and what it held. `None` for empty cells.
pub fn render(d: &Data) -> Option<(String, CellKind)> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) if s.trim().is_empty() => return None,
        Data::String(s) => (s.clone(), CellKind::Text),
        Data::Int(i) => (i.to_string(), CellKind::Number),
        Data::Float(f) => (format_number(*f), CellKind::Number),
        Data::Bool(b) => (
            if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellKind::Boolean,
        ),
        Data::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_duration() || (0.0..1.0).contains(&v) {
                let secs = (v * 86_400.0).round() as i64;
                let text = format!(
                    "{:02}:{:02}:{:02}",
                    secs / 3600,
                    secs % 3600 / 60,
                    secs % 60
                );
                (text, CellKind::Time)
            } else {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                if v.fract() == 0.0 {
                    (format!("{y:04}-{mo:02}-{d:02}"), CellKind::Date)
                } else {
                    let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
                    (text, CellKind::DateTime)
                }
            }
        }
        Data::DateTimeIso(s) if s.contains('T') => (s.clone(), CellKind::DateTime),
        Data::DateTimeIso(s) => (s.clone(), CellKind::Date),
        Data::DurationIso(s) => (s.clone(), CellKind::Time),
        Data::Error(e) => (format!("{e}"), CellKind::Error),
    })
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

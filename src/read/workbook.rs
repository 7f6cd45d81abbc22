//! Workbooks: .xlsx through our own streaming reader ([`super::xlsx`]);
//! .xlsb, .xls and .ods through calamine's ranges.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{
    Data, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, open_workbook_from_rs,
};

use super::guard::guarded;
use super::sheet::{RawRow, SheetInput, SheetOutcome, build};
use super::xlsx::{self, CellValue, Package, SheetState, format_number};
use super::{Note, ReadError, ReadOptions, ReadOutput};
use crate::model::avail::{Interner, MergedRange};
use crate::model::{Cell, CellKind, SourceKind, Text};

/// Sheets whose names contain these words are documentation, not data
/// (Google's emavalidator skips the same ones).
const NON_DATA_SHEETS: [&str; 3] = ["dictionary", "faq", "instructions"];

/// Rows of an instructions sheet searched for its version cell.
const FAQ_ROWS: u32 = 60;

type Cur = Cursor<Vec<u8>>;

/// Reads every data sheet of a workbook.
pub fn read(
    bytes: Vec<u8>,
    kind: SourceKind,
    file: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let what = kind.as_str();
    let fail = |e: String| ReadError::Workbook(workbook_error(what, &e));
    let damaged = |panic: String| {
        fail(format!(
            "its records are damaged (the reader stopped: {panic})"
        ))
    };
    match kind {
        SourceKind::Xlsx => {
            let pkg = Package::open(bytes).map_err(|e| fail(e.to_string()))?;
            read_sheets(Streamed(pkg), kind, file, file_index, opts)
        }
        SourceKind::Xlsb => {
            let wb: Xlsb<Cur> = guarded(|| open_workbook_from_rs(Cursor::new(bytes)))
                .map_err(&damaged)?
                .map_err(|e: calamine::XlsbError| fail(e.to_string()))?;
            read_sheets(Ranged(wb, HashMap::new()), kind, file, file_index, opts)
        }
        SourceKind::Xls => {
            // Formats are read only from a file calamine could open.
            let wb: Xls<Cur> = guarded(|| open_workbook_from_rs(Cursor::new(bytes.clone())))
                .map_err(&damaged)?
                .map_err(|e: calamine::XlsError| fail(e.to_string()))?;
            let date_times = super::xls_times::date_time_cells(&bytes);
            read_sheets(Ranged(wb, date_times), kind, file, file_index, opts)
        }
        SourceKind::Ods => {
            let midnight = super::ods_times::midnight_times(&bytes);
            let wb: Ods<Cur> = guarded(|| open_workbook_from_rs(Cursor::new(bytes)))
                .map_err(&damaged)?
                .map_err(|e: calamine::OdsError| fail(e.to_string()))?;
            read_sheets(Ranged(wb, midnight), kind, file, file_index, opts)
        }
        SourceKind::Csv | SourceKind::Xml => unreachable!("not a workbook kind"),
    }
}

/// Why a workbook of kind `what` cannot be opened, from the reader's error `e`.
pub(super) fn workbook_error(what: &str, e: &str) -> String {
    if e.to_ascii_lowercase().contains("password") {
        return "is a password-protected workbook; remove the password in Excel and save again"
            .into();
    }
    format!(
        "looks like an {what} workbook but cannot be opened ({e}); it may be truncated or corrupt — open it in Excel and save it again"
    )
}

/// One sheet of a workbook, as listed in it.
struct SheetMeta {
    name: String,
    /// A worksheet (cells), not a chart or macro sheet.
    is_worksheet: bool,
    /// Hidden or very hidden.
    hidden: bool,
}

/// A workbook that can hand out its sheets' rows one at a time. Sheets are
/// named by their index in [`RowSource::sheet_list`].
trait RowSource {
    /// The sheets in workbook order.
    fn sheet_list(&self) -> Vec<SheetMeta>;
    /// The version written on an instructions sheet, if any.
    fn faq_version(&mut self, sheet: usize) -> Option<String>;
    /// The sheet's merged ranges.
    fn merged(&mut self, sheet: usize) -> Result<Vec<MergedRange>, String>;
    /// The rows of a sheet in order; a read error mid-sheet is put in `err`.
    fn rows<'s>(
        &'s mut self,
        sheet: usize,
        err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String>;
}

/// .xls, .xlsb, .ods: calamine materialises each sheet as a range.
///
/// What cannot be known through it: for .xls and .xlsb a date cell comes
/// as a serial flagged date-or-duration, without its number format's code,
/// so a date-time format cannot be told from a date format; a whole-day
/// serial reads as a date and one with a time of day as a date-time (a
/// date-time format at midnight would read as a date; tafia/calamine#400):
/// `xls_times` reads which cells have a date-time format. .ods dates come
/// as ISO text, and a time part makes a date-time; LibreOffice leaves the
/// time out at midnight, and `ods_times` finds those cells by their style.
/// Either way the second field lists the date cells that show a time. No reader here says which rows
/// are hidden or which cells are merged.
struct Ranged<R>(R, HashMap<String, TimedCells>);

impl<R> Ranged<R>
where
    R: Reader<Cur>,
{
    fn name(&self, sheet: usize) -> String {
        self.0
            .sheets_metadata()
            .get(sheet)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
}

impl<R> RowSource for Ranged<R>
where
    R: Reader<Cur>,
    R::Error: std::fmt::Display,
{
    fn sheet_list(&self) -> Vec<SheetMeta> {
        self.0
            .sheets_metadata()
            .iter()
            .map(|s| SheetMeta {
                name: s.name.clone(),
                is_worksheet: matches!(s.typ, SheetType::WorkSheet),
                hidden: s.visible != SheetVisible::Visible,
            })
            .collect()
    }

    fn faq_version(&mut self, sheet: usize) -> Option<String> {
        let name = self.name(sheet);
        guarded(|| self.0.worksheet_range(&name))
            .ok()?
            .ok()
            .and_then(|r| faq_version_of_range(&r))
    }

    /// calamine gives merged cells for .xlsx only; none are reported here.
    fn merged(&mut self, _sheet: usize) -> Result<Vec<MergedRange>, String> {
        Ok(Vec::new())
    }

    fn rows<'s>(
        &'s mut self,
        sheet: usize,
        _err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String> {
        let name = self.name(sheet);
        let failed = |panic: String| {
            format!(
                "its records are damaged (the reader stopped: {panic}); open it in Excel and save it again"
            )
        };
        let range = guarded(|| self.0.worksheet_range(&name))
            .map_err(failed)?
            .map_err(|e| e.to_string())?;
        let formulas = guarded(|| self.0.worksheet_formula(&name))
            .map_err(failed)?
            .ok();
        let midnight = self.1.get(&name);
        Ok(Box::new(
            raw_rows(&range, formulas.as_ref(), midnight).into_iter(),
        ))
    }
}

/// The date cells of a sheet that show a time (0-based row and column):
/// single cells, and blocks of repeated ones (an .ods row or cell repeated
/// N times), kept as blocks so a repeat cannot blow memory up.
#[derive(Debug, Default)]
pub struct TimedCells {
    cells: HashSet<(u32, u32)>,
    /// (first row, last row, first column, last column), inclusive.
    blocks: Vec<(u32, u32, u32, u32)>,
}

impl TimedCells {
    /// Most blocks kept (each date cell is looked up in all of them).
    const MAX_BLOCKS: usize = 1024;

    /// Adds `rows` × `columns` cells from (`row`, `column`).
    pub fn insert(&mut self, row: u32, column: u32, rows: u32, columns: u32) {
        if rows <= 1 && columns <= 1 {
            self.cells.insert((row, column));
        } else if self.blocks.len() < Self::MAX_BLOCKS {
            let last = |first: u32, n: u32| first.saturating_add(n.max(1) - 1);
            self.blocks
                .push((row, last(row, rows), column, last(column, columns)));
        }
    }

    /// True when the cell at (`row`, `column`) shows a time.
    pub fn contains(&self, row: u32, column: u32) -> bool {
        self.cells.contains(&(row, column))
            || self
                .blocks
                .iter()
                .any(|&(r0, r1, c0, c1)| (r0..=r1).contains(&row) && (c0..=c1).contains(&column))
    }

    /// True when no cell shows a time.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.blocks.is_empty()
    }
}

/// .xlsx: cells stream from the sheet's part with their formulas and number
/// formats, one row at a time, so memory does not grow with the sheet.
struct Streamed(Package);

impl RowSource for Streamed {
    fn sheet_list(&self) -> Vec<SheetMeta> {
        self.0
            .sheets()
            .iter()
            .map(|s| SheetMeta {
                name: s.name.clone(),
                is_worksheet: s.is_worksheet,
                hidden: s.state != SheetState::Visible,
            })
            .collect()
    }

    fn faq_version(&mut self, sheet: usize) -> Option<String> {
        let mut err = None;
        let rows = self.rows(sheet, &mut err).ok()?;
        let mut first = None;
        let rows = rows.take_while(|r| {
            let first = *first.get_or_insert(r.row);
            r.row < first + FAQ_ROWS
        });
        faq_version(rows)
    }

    fn merged(&mut self, sheet: usize) -> Result<Vec<MergedRange>, String> {
        self.0.merged_ranges(sheet).map_err(|e| e.to_string())
    }

    fn rows<'s>(
        &'s mut self,
        sheet: usize,
        err: &'s mut Option<String>,
    ) -> Result<Box<dyn Iterator<Item = RawRow> + 's>, String> {
        let mut text = CellText::new(self.0.shared_strings().len(), self.0.date1904());
        let mut cells = self.0.cells(sheet).map_err(|e| e.to_string())?;
        let mut pending: Option<RawRow> = None;
        let mut done = false;
        // Rows of a sheet are mostly the same width: sized once, not grown.
        let mut width = 0;
        Ok(Box::new(std::iter::from_fn(move || {
            while !done {
                match cells.next_cell() {
                    Ok(Some(c)) => {
                        let Some((text, kind)) = text
                            .render(c.value)
                            .or_else(|| c.formula.map(|_| (Text::default(), CellKind::Text)))
                        else {
                            continue;
                        };
                        let formula = c.formula.map(str::to_string);
                        let cell = Cell::new(c.column as usize, text, kind).with_formula(formula);
                        match &mut pending {
                            Some(p) if p.row == c.row => p.cells.push(cell),
                            _ => {
                                let mut cells = Vec::with_capacity(width.max(1));
                                cells.push(cell);
                                let next = RawRow {
                                    row: c.row,
                                    line: 0,
                                    cells,
                                    hidden: c.row_hidden,
                                };
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
struct CellText {
    interner: Interner,
    /// Shared-string table entries already rendered, by index (`None`: not
    /// yet; `Some(None)`: blank): each is interned once, and no text needs hashing.
    shared: Vec<Option<Option<Text>>>,
    /// Numbers and booleans already rendered, by format class and bits: a
    /// sheet repeats the same few dates on many rows.
    native: rustc_hash::FxHashMap<(u8, u64), (Text, CellKind)>,
    date1904: bool,
}

impl CellText {
    fn new(shared_strings: usize, date1904: bool) -> Self {
        CellText {
            interner: Interner::default(),
            shared: vec![None; shared_strings],
            native: rustc_hash::FxHashMap::default(),
            date1904,
        }
    }

    /// A cell value's text and kind; `None` for blank cells.
    fn render(&mut self, value: CellValue<'_>) -> Option<(Text, CellKind)> {
        match value {
            CellValue::Empty => None,
            CellValue::Shared(index, s) => {
                let slot = &mut self.shared[index];
                let interner = &mut self.interner;
                let text = slot
                    .get_or_insert_with(|| (!s.trim().is_empty()).then(|| interner.intern(s)))
                    .clone()?;
                Some((text, CellKind::Text))
            }
            CellValue::Text(s) if s.trim().is_empty() => None,
            CellValue::Text(s) => Some((self.interner.intern(s), CellKind::Text)),
            CellValue::Number(n, class) => {
                let date1904 = self.date1904;
                Some(self.native((class as u8, n.to_bits()), || {
                    xlsx::render_number(n, class, date1904)
                }))
            }
            CellValue::Bool(b) => Some(self.native((u8::MAX, u64::from(b)), || {
                let text = if b { "TRUE" } else { "FALSE" };
                (text.to_string(), CellKind::Boolean)
            })),
            CellValue::Error(e) => Some((self.interner.intern(e), CellKind::Error)),
            CellValue::Iso(s) => {
                let kind = if s.contains('T') {
                    CellKind::DateTime
                } else {
                    CellKind::Date
                };
                Some((self.interner.intern(s), kind))
            }
        }
    }

    /// A native value's text, rendered the first time its `key` is seen.
    fn native(
        &mut self,
        key: (u8, u64),
        render: impl FnOnce() -> (String, CellKind),
    ) -> (Text, CellKind) {
        let interner = &mut self.interner;
        self.native
            .entry(key)
            .or_insert_with(|| {
                let (text, kind) = render();
                (interner.intern(&text), kind)
            })
            .clone()
    }
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
        .enumerate()
        .filter(|(_, s)| is_documentation(&s.name))
        .find_map(|(i, _)| wb.faq_version(i));
    let mut notes: Vec<Note> = Vec::new();
    let mut out = Vec::new();
    let mut version_errors = Vec::new();
    if let Some(missing) = opts
        .sheets
        .iter()
        .find(|n| !sheets.iter().any(|s| &s.name == *n))
    {
        let names: Vec<String> = sheets.iter().map(|s| format!("`{}`", s.name)).collect();
        return Err(ReadError::UnknownFormat(format!(
            "has no sheet `{missing}` (named with --sheet); its sheets are {}",
            names.join(", ")
        )));
    }
    for (index, meta) in sheets.iter().enumerate() {
        let name = &meta.name;
        let forced = opts.sheets.iter().any(|n| n == name);
        if !forced && (!opts.sheets.is_empty() || !meta.is_worksheet || is_documentation(name)) {
            continue;
        }
        let mut err = None;
        let cannot = |e: String| ReadError::Workbook(format!("sheet `{name}` cannot be read: {e}"));
        let merged = wb.merged(index).map_err(cannot)?;
        let rows = wb.rows(index, &mut err).map_err(cannot)?;
        let input = SheetInput {
            file,
            file_index,
            sheet: Some(name),
            sheet_index: index,
            source: kind,
            rows,
            faq_version: faq_version.clone(),
            hidden: meta.hidden,
            merged,
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

/// The "Template Version" / "Version Number" cell of an instructions
/// sheet's rows: the first non-blank cell right of the label.
fn faq_version(rows: impl Iterator<Item = RawRow>) -> Option<String> {
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate() {
            let label = cell.text.to_ascii_lowercase();
            if (label.contains("template version") || label.contains("version number"))
                && let Some(v) = row.cells[i + 1..]
                    .iter()
                    .map(|c| c.text.trim())
                    .find(|s| !s.is_empty())
            {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// [`faq_version`] of a calamine range.
fn faq_version_of_range(range: &Range<Data>) -> Option<String> {
    for row in range.rows().take(FAQ_ROWS as usize) {
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

fn raw_rows(
    range: &Range<Data>,
    formulas: Option<&Range<String>>,
    midnight: Option<&TimedCells>,
) -> Vec<RawRow> {
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
                let (mut text, mut kind) = render(d)?;
                // An .ods date-time at midnight comes without its time.
                if kind == CellKind::Date && midnight.is_some_and(|m| m.contains(abs_row, abs_col))
                {
                    text.push_str("T00:00:00");
                    kind = CellKind::DateTime;
                }
                Some(
                    Cell::new(abs_col as usize, interner.intern(&text), kind)
                        .with_formula(formula_at.get(&(abs_row, abs_col)).map(|s| formula_text(s))),
                )
            })
            .collect();
        if !cells.is_empty() {
            out.push(RawRow {
                row: abs_row + 1,
                line: 0,
                cells,
                // calamine's ranges do not say which rows are hidden.
                hidden: false,
            });
        }
    }
    out
}

/// A formula as calamine gives it, without OpenDocument's `of:` namespace
/// and leading `=` (ods gives `of:=TRUE()`; xls and xlsb give `TRUE()`).
fn formula_text(formula: &str) -> String {
    let f = formula.strip_prefix("of:").unwrap_or(formula);
    f.strip_prefix('=').unwrap_or(f).to_string()
}

/// An ISO 8601 duration (`PT12H30M00S`, `P1DT2H`; how ods stores times) as
/// `HH:MM:SS`, rounded to the second; `None` when it is not one.
fn iso_duration_clock(s: &str) -> Option<String> {
    let (negative, rest) = match s.trim().strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.trim()),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut seconds = 0.0;
    if !days.is_empty() {
        seconds += days.strip_suffix('D')?.parse::<f64>().ok()? * 86_400.0;
    }
    let mut number = String::new();
    for c in time.chars() {
        let unit = match c {
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            c if c.is_ascii_digit() || c == '.' => {
                number.push(c);
                continue;
            }
            _ => return None,
        };
        seconds += number.parse::<f64>().ok()? * unit;
        number.clear();
    }
    if !number.is_empty() || !seconds.is_finite() || seconds > 1e12 {
        return None;
    }
    let secs = seconds.round() as i64;
    let sign = if negative && secs > 0 { "-" } else { "" };
    Some(format!(
        "{sign}{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
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
        // ods dates: a date-value with a time part (`2027-04-01T00:00:00`)
        // is a date-time, even at midnight; one without is a date.
        Data::DateTimeIso(s) if s.contains('T') => (s.clone(), CellKind::DateTime),
        Data::DateTimeIso(s) => (s.clone(), CellKind::Date),
        // ods times (`PT12H30M00S`) as a time of day or duration.
        Data::DurationIso(s) => (
            iso_duration_clock(s).unwrap_or_else(|| s.clone()),
            CellKind::Time,
        ),
        Data::Error(e) => (format!("{e}"), CellKind::Error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_formulas_lose_their_namespace_and_equals_sign() {
        assert_eq!(formula_text("of:=TRUE()"), "TRUE()");
        assert_eq!(formula_text("of:=[.A1]+1"), "[.A1]+1");
        assert_eq!(formula_text("SUM(A1:A2)"), "SUM(A1:A2)");
    }

    #[test]
    fn ods_times_and_dates() {
        assert_eq!(
            iso_duration_clock("PT12H30M00S").as_deref(),
            Some("12:30:00")
        );
        assert_eq!(
            iso_duration_clock("PT01H02M03.6S").as_deref(),
            Some("01:02:04")
        );
        assert_eq!(iso_duration_clock("P1DT2H").as_deref(), Some("26:00:00"));
        assert_eq!(iso_duration_clock("-PT1H").as_deref(), Some("-01:00:00"));
        assert_eq!(iso_duration_clock("12:30"), None);
        assert_eq!(iso_duration_clock("PT1X"), None);
        let shown = |d: Data| render(&d).unwrap();
        assert_eq!(
            shown(Data::DurationIso("PT23H59M00S".into())),
            ("23:59:00".into(), CellKind::Time)
        );
        assert_eq!(
            shown(Data::DateTimeIso("2027-04-01T00:00:00".into())),
            ("2027-04-01T00:00:00".into(), CellKind::DateTime)
        );
        assert_eq!(
            shown(Data::DateTimeIso("2027-04-01".into())),
            ("2027-04-01".into(), CellKind::Date)
        );
    }
}

//! Turns a grid of cells (from any workbook or CSV) into a checked-ready
//! sheet: finds the header, the template version and the data rows.

use std::collections::HashMap;
use std::sync::Arc;

use super::detect::detect_version;
use super::{Note, NoteKind, ReadOptions, RowCollector, SheetRows};
use crate::model::avail::{Column, MergedRange, SheetSource};
use crate::model::{
    Avail, Cell, CellKind, Dictionary, Field, FieldColumns, FieldSet, Location, Requirement,
    SheetInfo, SheetKind, SourceKind, TemplateVersion, Text, column_letter,
};

/// One row as read from the container.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based row number.
    pub row: u32,
    /// For CSV, the file line the row's record starts on (0 otherwise).
    pub line: u32,
    /// Non-empty cells in column order; text shared through the reader's
    /// [`Interner`](crate::model::avail::Interner).
    pub cells: Vec<Cell>,
    /// The row is hidden (`<row hidden="1">`); false for CSV.
    pub hidden: bool,
}

impl RawRow {
    fn first_text(&self) -> Option<&str> {
        self.cells.iter().map(Cell::value).find(|t| !t.is_empty())
    }

    fn cell(&self, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| c.column() == col)
    }
}

/// A sheet to interpret.
pub struct SheetInput<'a> {
    /// Input path as given.
    pub file: &'a str,
    /// Position of the file among inputs.
    pub file_index: usize,
    /// Sheet name (`None` for CSV).
    pub sheet: Option<&'a str>,
    /// Position of the sheet in the workbook.
    pub sheet_index: usize,
    /// Container kind.
    pub source: SourceKind,
    /// The grid, row by row in order (rows without cells may be absent).
    pub rows: Box<dyn Iterator<Item = RawRow> + 'a>,
    /// Version text from the workbook's instructions sheet, if any.
    pub faq_version: Option<String>,
    /// The sheet is hidden in its workbook (false for CSV).
    pub hidden: bool,
    /// The sheet's merged cell ranges (none for CSV).
    pub merged: Vec<MergedRange>,
    /// Named with `--sheet`: checked even when its header does not look like
    /// an EMA template's.
    pub forced: bool,
}

/// What reading one sheet gave.
pub enum SheetOutcome {
    /// A data sheet.
    Data(SheetRows),
    /// Not a data sheet (no header found, empty).
    Skipped(Box<Note>),
    /// A data sheet whose version cannot be determined.
    UnknownVersion(String),
}

/// Columns of a sheet: Excel's grid ends at XFD. A header cell past it gets
/// no column (a damaged file could otherwise ask for millions) and is
/// reported instead.
pub const MAX_COLUMNS: usize = 16_384;

const MIN_KNOWN_HEADERS: usize = 3;
/// The header row is looked for in this many first rows.
const HEADER_SEARCH_ROWS: u32 = 10;

/// Interprets a grid as an EMA avails sheet.
pub fn build(input: SheetInput<'_>, opts: &ReadOptions, notes: &mut Vec<Note>) -> SheetOutcome {
    let sheet_loc = || {
        let mut l = Location::file(input.file);
        l.sheet = input.sheet.map(str::to_string);
        l
    };
    let row_loc = |row: u32| {
        let mut l = sheet_loc();
        l.row = Some(row);
        l
    };
    // Only the first rows are kept to find the header; the rest stream through.
    let mut stream = input.rows.peekable();
    let mut head: Vec<RawRow> = Vec::new();
    while let Some(r) = stream.next_if(|r| r.row <= HEADER_SEARCH_ROWS) {
        head.push(r);
    }
    if head.is_empty() && stream.peek().is_none() {
        return SheetOutcome::Skipped(Box::new(Note {
            kind: NoteKind::SheetSkipped,
            location: sheet_loc(),
            message: "sheet is empty; nothing to check".into(),
            help: None,
        }));
    }
    let by_number: HashMap<u32, &RawRow> = head.iter().map(|r| (r.row, r)).collect();
    let known = |row: u32| {
        by_number.get(&row).map_or(0, |r| {
            r.cells
                .iter()
                .filter(|c| Field::from_header(c.text.trim()).is_some())
                .count()
        })
    };
    let header_row = if known(2) >= MIN_KNOWN_HEADERS {
        2
    } else if known(1) >= MIN_KNOWN_HEADERS {
        1
    } else {
        match (1..=HEADER_SEARCH_ROWS).map(|r| (known(r), r)).max() {
            Some((n, r)) if n >= MIN_KNOWN_HEADERS => r,
            _ => {
                return SheetOutcome::Skipped(Box::new(Note {
                    kind: NoteKind::SheetSkipped,
                    location: sheet_loc(),
                    message: "no EMA header row found in the first 10 rows (row 2 should hold field names such as DisplayName, Territory, LicenseType); sheet not checked".into(),
                    help: None,
                }));
            }
        }
    };
    let header = by_number[&header_row];
    if !input.forced
        && let Some(skip) = not_a_template(header, header_row)
    {
        return SheetOutcome::Skipped(Box::new(Note {
            kind: NoteKind::SheetSkipped,
            location: sheet_loc(),
            message: skip,
            help: input.sheet.map(|name| {
                format!("if it holds avails, check it with --sheet '{name}' (repeatable; only the named sheets are checked)")
            }),
        }));
    }
    // Said only of a sheet that is checked.
    if header_row == 1 && known(2) < MIN_KNOWN_HEADERS {
        notes.push(Note {
            kind: NoteKind::HeaderLayout,
            location: row_loc(1),
            message: "field names are in row 1 and there is no category row; EMA templates have categories in row 1, field names in row 2 and comments in row 3. Data is read from row 2".into(),
            help: Some("start from the official EMA template so Amazon's ingest finds the header where it expects it".into()),
        });
    }
    let categories = header_row.checked_sub(1).and_then(|r| by_number.get(&r));
    let mut beyond = header.cells.iter().filter(|c| c.column() >= MAX_COLUMNS);
    if let Some(first) = beyond.next() {
        let more = beyond.count();
        // Past XFD no column letters fit a report's `column` and `cell`
        // (one to three letters): the message names the cell.
        let mut location = header_cell(
            input.file,
            input.sheet,
            header_row,
            first.column(),
            first.text.trim(),
        );
        (location.column, location.cell) = (None, None);
        notes.push(Note {
            kind: NoteKind::BeyondLastColumn,
            location,
            message: format!(
                "header cell {}{header_row} is past column XFD, the last of the {MAX_COLUMNS} columns a sheet has{}; its column is not checked",
                column_letter(first.column()),
                match more {
                    0 => String::new(),
                    1 => " (and 1 more header cell)".to_string(),
                    n => format!(" (and {n} more header cells)"),
                }
            ),
            help: Some("move the column inside A to XFD, or export the sheet again: no spreadsheet application shows it".into()),
        });
    }
    let width = header
        .cells
        .iter()
        .map(|c| c.column() + 1)
        .filter(|&w| w <= MAX_COLUMNS)
        .max()
        .unwrap_or(0);
    let mut columns: Vec<Column> = (0..width)
        .map(|i| Column {
            letter: column_letter(i),
            header: String::new(),
            field: None,
            category: String::new(),
        })
        .collect();
    let mut header_fields: Vec<Field> = Vec::new();
    // Each header's first column, by field (or header text when unknown).
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for c in header.cells.iter().filter(|c| c.column() < width) {
        let name = c.text.trim();
        let field = Field::from_header(name);
        let col = &mut columns[c.column()];
        col.header = name.to_string();
        col.category = categories
            .and_then(|r| r.cell(c.column()))
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        col.field = field;
        if name.is_empty() {
            continue;
        }
        let shown: &str = field.map_or(name, |f| f.name());
        if let Some(&first) = first_of.get(shown) {
            notes.push(Note {
                kind: NoteKind::DuplicateColumn,
                location: header_cell(input.file, input.sheet, header_row, c.column(), name),
                message: format!(
                    "field `{shown}` appears again in column {} (first in column {}); only the first column is checked",
                    column_letter(c.column()),
                    column_letter(first)
                ),
                help: Some("delete the duplicate column".into()),
            });
        } else {
            first_of.insert(shown, c.column());
            header_fields.extend(field);
        }
    }
    let fields = FieldColumns::new(columns.iter().map(|c| c.field)).present();
    let a3 = by_number
        .get(&3)
        .and_then(|r| r.cell(0))
        .map(|c| c.text.trim().to_string());
    let detected = match detect_version(
        opts.template_version,
        a3.as_deref(),
        &header_fields,
        input.faq_version.as_deref(),
    ) {
        Ok(d) => d,
        Err(e) => return SheetOutcome::UnknownVersion(e),
    };
    let (sheet_kind, mixed) = sheet_kind(detected.version, input.sheet, fields);
    let at = SheetSource {
        file: input.file.to_string(),
        file_index: input.file_index,
        sheet: input.sheet.map(str::to_string),
        sheet_index: input.sheet_index,
        source: input.source,
        hidden: input.hidden,
        merged: input.merged,
    };
    let info = Arc::new(SheetInfo::new(
        at,
        detected.version,
        sheet_kind,
        columns,
        header_row,
    ));
    notes.push(Note {
        kind: NoteKind::VersionUsed,
        location: sheet_loc(),
        message: version_used(&info, mixed, &detected.reason),
        help: None,
    });

    let mut rows = RowCollector::new(opts);
    let mut boolean_formulas = 0usize;
    let mut outside = OutsideHeader::default();
    let mut empty_run: Vec<u32> = Vec::new();
    let mut skipped_empty: Vec<u32> = Vec::new();
    let mut last = header_row;
    for raw in head
        .into_iter()
        .chain(stream)
        .filter(|r| r.row > header_row)
    {
        // Rows calamine does not return at all are empty too.
        empty_run.extend(last + 1..raw.row);
        last = raw.row;
        if input.source == SourceKind::Csv {
            // A quoted CSV value may span lines; they are not empty rows.
            last += raw
                .cells
                .iter()
                .map(|c| c.text.matches('\n').count() as u32)
                .sum::<u32>();
        }
        let first = raw.first_text();
        if first.is_none() {
            empty_run.push(raw.row);
            continue;
        }
        if header_row == 2 && raw.row > 3 {
            empty_run.retain(|&r| r > 3);
        }
        if header_row == 2 && raw.row == 3 {
            // Row 3 holds `//` notes, and the version in A3 on 1.8/1.9.
            // A version in A3 marks the template's own row 3 even when a note
            // lacks its `//` (MovieLabs' 1.8 TV template has `/REQ` in AF3).
            let version_in_a3 = raw.cell(0).is_some_and(|c| {
                c.text
                    .trim()
                    .parse::<crate::model::TemplateVersion>()
                    .is_ok()
            });
            let is_comment_or_version =
                version_in_a3 || raw.cells.iter().all(|c| c.text.trim().starts_with("//"));
            empty_run.clear();
            if !is_comment_or_version {
                notes.push(Note {
                    kind: NoteKind::Row3NotComment,
                    location: row_loc(3),
                    message: "row 3 holds data, but EMA reserves it for `//` comments; it is not checked as an avail".into(),
                    help: Some("start data at row 4 and keep row 3 for comments".into()),
                });
            }
            continue;
        }
        if first.is_some_and(|t| t.starts_with("//")) {
            continue;
        }
        skipped_empty.append(&mut empty_run);
        let mut cells = raw.cells;
        for cell in &mut cells {
            if let Some(b) = cell.formula().and_then(constant_boolean) {
                *cell = Cell::new(cell.column(), Text::from(b), CellKind::Boolean);
                boolean_formulas += 1;
            }
        }
        outside.note(raw.row, &cells, info.columns.len());
        // Blank cells are no cells; a formula without a cached value is one.
        cells.retain(|c| {
            c.column() < info.columns.len() && (!c.value().is_empty() || c.formula().is_some())
        });
        // Sized exactly: a sheet holds many rows.
        cells.shrink_to_fit();
        let mut avail = Avail::new(Arc::clone(&info), raw.row, cells).with_line(raw.line);
        avail.hidden = raw.hidden;
        rows.push(avail);
    }
    let rows = rows.finish();
    outside.report(&info, notes);
    if boolean_formulas > 0 {
        notes.push(Note {
            kind: NoteKind::BooleanFormulas,
            location: sheet_loc(),
            message: format!(
                "{boolean_formulas} cell{} hold the constant formula =TRUE() or =FALSE() (how LibreOffice saves Excel booleans); they were read as TRUE and FALSE",
                if boolean_formulas == 1 { "" } else { "s" }
            ),
            help: Some("type the booleans as values (or Yes/No) so every tool reads them the same".into()),
        });
    }
    if let Some(&first) = skipped_empty.first() {
        notes.push(Note {
            kind: NoteKind::EmptyRowsSkipped,
            location: row_loc(first),
            message: format!(
                "{} empty row{} between data rows skipped (first at row {first}); reading continued to the end of the sheet",
                skipped_empty.len(),
                if skipped_empty.len() == 1 { " was" } else { "s were" }
            ),
            help: None,
        });
    }
    SheetOutcome::Data(SheetRows { info, rows })
}

/// Data cells right of the last header column, which belong to no field:
/// per column, the first such cell (row and text) and how many there are.
#[derive(Default)]
struct OutsideHeader(std::collections::BTreeMap<usize, (u32, Text, usize)>);

impl OutsideHeader {
    /// Notes the cells of data row `row` at or right of column `width`.
    fn note(&mut self, row: u32, cells: &[Cell], width: usize) {
        for c in cells
            .iter()
            .filter(|c| c.column() >= width && !c.value().is_empty())
        {
            self.0
                .entry(c.column())
                .or_insert_with(|| (row, c.text.clone(), 0))
                .2 += 1;
        }
    }

    /// One note per column, naming its first cell; neighbouring columns
    /// whose first cell is in the same row with the same text, and that
    /// hold as many such cells, share one note (a value filled across a
    /// row, or an .ods cell repeated over thousands of columns, is one
    /// finding).
    fn report(self, info: &SheetInfo, notes: &mut Vec<Note>) {
        let last = info
            .columns
            .len()
            .checked_sub(1)
            .map(|c| format!(" ({})", column_letter(c)))
            .unwrap_or_default();
        let mut columns = self.0.into_iter().peekable();
        while let Some((column, (row, text, count))) = columns.next() {
            let mut to = column;
            while columns
                .next_if(|(c, n)| *c == to + 1 && n.0 == row && n.1 == text && n.2 == count)
                .is_some()
            {
                to += 1;
            }
            let letter = column_letter(column);
            let mut location = info.location();
            location.row = Some(row);
            // Past XFD (a damaged .xls or .ods) no letters fit a report's
            // `column` and `cell`: the message names the cell.
            if column < MAX_COLUMNS {
                location.column = Some(letter.clone());
                location.cell = Some(format!("{letter}{row}"));
            }
            location.value = Some(text.to_string());
            let value = crate::model::value::escape_invisible(&text);
            let message = if to == column {
                let more = match count {
                    1 => String::new(),
                    n => format!(" (column {letter} holds {n} such cells)"),
                };
                format!(
                    "cell {letter}{row} holds `{value}` right of the header's last column{last}; it belongs to no field and is not checked{more}"
                )
            } else {
                let n = to - column + 1;
                let more = match count {
                    1 => String::new(),
                    k => format!(" (each of these {n} columns holds {k} such cells)"),
                };
                format!(
                    "cells {letter}{row}:{}{row} ({n} cells) hold `{value}` right of the header's last column{last}; they belong to no field and are not checked{more}",
                    column_letter(to)
                )
            };
            notes.push(Note {
                kind: NoteKind::CellOutsideHeader,
                location,
                message,
                help: Some(format!(
                    "name the column's field in row {} or clear the cell; MovieLabs' converter drops it",
                    info.header_row
                )),
            });
        }
    }
}

/// The AVC001 message: the version and kind a sheet is checked as, and
/// why; from 1.8, that each row is checked with its WorkType's dictionary.
fn version_used(info: &SheetInfo, mixed: bool, reason: &str) -> String {
    let kind = if mixed {
        "AllAvails (Movies and TV)"
    } else {
        info.sheet_kind.title()
    };
    let mut message = format!(
        "checked as EMA Avails {} {kind} sheet: {reason}",
        info.version
    );
    if info.per_row() {
        let kinds: Vec<String> = info
            .layouts()
            .iter()
            .map(|l| {
                let work_types = l
                    .dictionary
                    .field(Field::WorkType)
                    .map(|f| f.values.join("/"))
                    .unwrap_or_default();
                format!("{work_types}: {}", l.kind.title())
            })
            .collect();
        message.push_str(&format!(
            "; each row with the dictionary of its WorkType ({})",
            kinds.join("; ")
        ));
    }
    message
}

/// Why the header row `row` does not look like an EMA template's, or
/// `None` when it does: it must name more than half of the fields every row
/// of some template version and sheet kind needs (a helper sheet such as a
/// pivot or a list of allowed values names only a few).
fn not_a_template(header: &RawRow, row: u32) -> Option<String> {
    let fields: FieldSet = header
        .cells
        .iter()
        .filter_map(|c| Field::from_header(c.value()))
        .collect();
    let (covered, needed, dictionary) = Dictionary::all()
        .map(|d| {
            let needed: Vec<Field> = d
                .fields
                .iter()
                .filter(|f| f.required == Requirement::Always)
                .map(|f| f.field)
                .collect();
            let covered = needed.iter().filter(|f| fields.contains(**f)).count();
            (covered, needed, d)
        })
        .max_by_key(|(covered, needed, _)| (covered * 1000) / needed.len().max(1))?;
    if covered * 2 > needed.len() {
        return None;
    }
    let named: Vec<&str> = fields.iter().map(Field::name).collect();
    let missing: Vec<&str> = needed
        .iter()
        .filter(|f| !fields.contains(**f))
        .map(|f| f.name())
        .take(6)
        .collect();
    Some(format!(
        "not an avails sheet: its header (row {row}: {}) names {covered} of the {} fields every EMA {} {} row needs (it lacks {}…); sheet not checked",
        named.join(", "),
        needed.len(),
        dictionary.version,
        dictionary.sheet,
        missing.join(", ")
    ))
}

/// `TRUE` or `FALSE` when `formula` is a constant boolean: `=TRUE()`,
/// `TRUE`, LibreOffice's `of:=FALSE()`, in any case.
fn constant_boolean(formula: &str) -> Option<&'static str> {
    let f = formula.trim();
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f).trim();
    let f = f.strip_suffix("()").unwrap_or(f);
    if f.eq_ignore_ascii_case("TRUE") {
        Some("TRUE")
    } else if f.eq_ignore_ascii_case("FALSE") {
        Some("FALSE")
    } else {
        None
    }
}

fn header_cell(file: &str, sheet: Option<&str>, row: u32, col: usize, value: &str) -> Location {
    let mut l = Location::file(file);
    l.sheet = sheet.map(str::to_string);
    l.row = Some(row);
    l.column = Some(column_letter(col));
    l.cell = Some(format!("{}{row}", column_letter(col)));
    l.field = Some(
        Field::from_header(value)
            .map_or(value, |f| f.name())
            .to_string(),
    );
    l.value = Some(value.to_string());
    l
}

/// The kind the header says, and whether it is the single-sheet
/// `AllAvails` layout of 1.8 and 1.9
/// ([`is_all_avails`](super::detect::is_all_avails)). The kind is the one
/// whose dictionary (of `version`) has the most of the header's fields that
/// another kind lacks (Movies before Bonus, which has all of its fields).
/// The sheet's name decides only between Movies and TV when the header
/// fits both alike ("Movies & TV" or "Movies TVOD" says nothing).
pub fn sheet_kind(
    version: TemplateVersion,
    name: Option<&str>,
    fields: FieldSet,
) -> (SheetKind, bool) {
    let dictionaries: Vec<&Dictionary> = Dictionary::kinds_of(version)
        .map(|k| Dictionary::for_version(version, k))
        .collect();
    let own = |d: &Dictionary| {
        fields
            .iter()
            .filter(|f| d.has(*f) && dictionaries.iter().any(|o| !o.has(*f)))
            .count()
    };
    let scores: Vec<(SheetKind, usize)> = dictionaries.iter().map(|d| (d.kind(), own(d))).collect();
    let best = scores.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let top: Vec<SheetKind> = scores
        .iter()
        .filter(|(_, n)| *n == best)
        .map(|(k, _)| *k)
        .collect();
    let mixed = super::detect::is_all_avails(version, &fields.iter().collect::<Vec<_>>());
    let kind = if top.contains(&SheetKind::Movies) && top.contains(&SheetKind::Tv) {
        let lower = name.unwrap_or_default().to_ascii_lowercase();
        if lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "tv")
        {
            SheetKind::Tv
        } else {
            SheetKind::Movies
        }
    } else {
        top.first().copied().unwrap_or(SheetKind::Movies)
    };
    (kind, mixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::avail::{CellKind, Interner};

    /// A template header: fields enough for a sheet to be read as 1.7.3.
    const HEADER: [&str; 15] = [
        "DisplayName",
        "StoreLanguage",
        "Territory",
        "WorkType",
        "EntryType",
        "TitleInternalAlias",
        "LicenseType",
        "LicenseRightsDescription",
        "FormatProfile",
        "Start",
        "End",
        "PriceType",
        "PriceValue",
        "ContentID",
        "TerritoryExclusion",
    ];

    /// Builds sheet `Movies` of `file` from `header` (row 1) and `data`
    /// (row 2), cells given as (column, text); gives its notes.
    fn notes_of(
        file: &str,
        source: SourceKind,
        header: &[(usize, &str)],
        data: &[(usize, &str)],
    ) -> Vec<Note> {
        let mut text = Interner::default();
        let mut cells = |cells: &[(usize, &str)]| -> Vec<Cell> {
            cells
                .iter()
                .map(|&(c, t)| Cell::new(c, text.intern(t), CellKind::Text))
                .collect()
        };
        let row = |row, cells| RawRow {
            row,
            line: 0,
            cells,
            hidden: false,
        };
        let rows = vec![row(1, cells(header)), row(2, cells(data))];
        let input = SheetInput {
            file,
            file_index: 0,
            sheet: Some("Movies"),
            sheet_index: 0,
            source,
            rows: Box::new(rows.into_iter()),
            faq_version: None,
            hidden: false,
            merged: Vec::new(),
            forced: false,
        };
        let mut notes = Vec::new();
        let outcome = build(input, &ReadOptions::default(), &mut notes);
        assert!(matches!(outcome, SheetOutcome::Data(_)), "{notes:?}");
        notes
    }

    /// The template header, one cell per column from A.
    fn header() -> Vec<(usize, &'static str)> {
        HEADER.into_iter().enumerate().collect()
    }

    /// A header cell past column XFD (a damaged ods or xls can hold one) is
    /// dropped with AVC020 naming it; the sheet is read without it. No
    /// letters past XFD fit a report's `column` and `cell`: the message
    /// names the cell.
    #[test]
    fn a_header_cell_past_xfd_is_a_note_not_a_column() {
        let mut header = header();
        header.push((5_765_397, "Territory"));
        let notes = notes_of("damaged.ods", SourceKind::Ods, &header, &[(0, "A title")]);
        let note = notes
            .iter()
            .find(|n| n.kind == NoteKind::BeyondLastColumn)
            .expect("AVC020");
        assert!(note.message.contains("past column XFD"), "{}", note.message);
        let at = &note.location;
        assert_eq!((at.column.as_deref(), at.cell.as_deref()), (None, None));
        assert_eq!(at.row, Some(1));
    }

    /// A data cell past column XFD is noted as outside the header, named in
    /// the message only.
    #[test]
    fn a_data_cell_past_xfd_is_named_in_the_message_only() {
        let data = [(0, "US"), (20_000, "far")];
        let notes = notes_of("damaged.xls", SourceKind::Xls, &header(), &data);
        let note = notes
            .iter()
            .find(|n| n.kind == NoteKind::CellOutsideHeader)
            .unwrap_or_else(|| panic!("no note of a cell outside the header: {notes:?}"));
        assert!(
            note.message.contains("cell ACOG2 holds `far`"),
            "{}",
            note.message
        );
        let at = &note.location;
        assert_eq!((at.column.as_deref(), at.cell.as_deref()), (None, None));
        assert_eq!(at.row, Some(2));
    }
}

//! One avail row (a spreadsheet row or an XML Transaction) and the sheet it
//! belongs to.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::diagnostic::RowExcerpt;
use super::dictionary::{Condition, Dictionary, FieldDef, FieldKind, Requirement};
use super::field::{Field, FieldColumns, FieldSet};
use super::location::Location;
use super::source::SourceText;
use super::value::{escape_invisible, is_error_value, trim_value};
use super::version::{SheetKind, TemplateVersion};

/// The container a file was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// Office Open XML workbook.
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97-2003 workbook (CFB container).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Comma-separated export of one sheet.
    Csv,
    /// MovieLabs Avails XML.
    Xml,
}

impl SourceKind {
    /// Lower-case name used in reports (`xlsx`, `csv`, `xml`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Xlsb => "xlsb",
            Self::Xls => "xls",
            Self::Ods => "ods",
            Self::Csv => "csv",
            Self::Xml => "xml",
        }
    }
}

/// One header column of a sheet.
#[derive(Debug, Clone)]
pub struct Column {
    /// Column letters (`H`), or for XML the last step of the element path.
    pub letter: String,
    /// The field name exactly as written in the header row; for XML the
    /// element the field is read from, as messages name it (`<RunLength>`).
    pub header: String,
    /// The EMA field the header names (aliases resolved), `None` when unknown.
    pub field: Option<Field>,
    /// The row-1 category (`AvailTrans`), empty when absent.
    pub category: String,
}

/// Where a sheet comes from: its file and its place in it.
#[derive(Debug, Clone)]
pub struct SheetSource {
    /// Input path as given.
    pub file: String,
    /// Position of the file among all inputs (for deterministic ordering).
    pub file_index: usize,
    /// Sheet name; `None` for XML documents and CSV files.
    pub sheet: Option<String>,
    /// Position of the sheet in its workbook.
    pub sheet_index: usize,
    /// Container kind.
    pub source: SourceKind,
    /// The sheet is hidden in its workbook (`state="hidden"` or
    /// `"veryHidden"`); always false for CSV and XML.
    pub hidden: bool,
    /// The sheet's merged cell ranges (`<mergeCell ref>`); empty for CSV and XML.
    pub merged: Vec<MergedRange>,
}

/// A block of merged cells: shown as one cell, its value held by the top-left one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergedRange {
    /// 1-based first row.
    pub first_row: u32,
    /// 1-based last row.
    pub last_row: u32,
    /// 0-based first column (as [`Cell::column`]).
    pub first_column: u32,
    /// 0-based last column.
    pub last_column: u32,
}

impl MergedRange {
    /// True when the range covers the cell at 1-based `row`, 0-based `column`.
    pub fn contains(&self, row: u32, column: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_column..=self.last_column).contains(&column)
    }
}

/// One dictionary laid over a sheet's header: each column's field
/// definition and the tables rules walk, worked out once per sheet.
#[derive(Debug)]
pub struct Layout {
    /// The dictionary's sheet kind.
    pub kind: SheetKind,
    /// The field dictionary.
    pub dictionary: &'static Dictionary,
    /// Per column: its field's definition when it is the field's first column.
    defs: Vec<Option<&'static FieldDef>>,
    /// Per dictionary field (in dictionary order): its column.
    dictionary_columns: Vec<Option<usize>>,
    /// Per value kind: the defined columns of that kind, in column order.
    by_kind: Vec<Vec<(&'static FieldDef, usize)>>,
    /// The defined columns of list fields with their separators.
    lists: Vec<(&'static FieldDef, usize, char)>,
    /// The dictionary's required and conditional fields with their columns.
    required: Vec<RequiredField>,
    /// The distinct conditions of the required fields, resolved to the sheet.
    conditions: Vec<ConditionAt>,
}

/// A required or conditional field of a [`Layout`]: its column and the
/// conditions of its requirement, as positions in [`Layout::conditions`].
#[derive(Debug)]
pub struct RequiredField {
    /// The field's definition.
    pub def: &'static FieldDef,
    /// The sheet's column for it.
    pub column: Option<usize>,
    /// Its `required_unless` conditions (the field is not required when
    /// one holds), those on single values first.
    pub unless: Vec<usize>,
    /// Its `required_when` conditions (it is required when all hold),
    /// those on single values first.
    pub when: Vec<usize>,
}

/// A requirement condition resolved to a sheet: where the field it looks
/// at is, and the list separator its values split on in the layout's
/// dictionary (`None`: not a list there).
#[derive(Debug)]
pub struct ConditionAt {
    /// The condition, as the dictionary writes it.
    pub condition: &'static Condition,
    /// The sheet's column of the condition's field.
    pub column: Option<usize>,
    /// The field's list separator.
    pub separator: Option<char>,
}

impl Layout {
    /// `dictionary` over a header whose columns hold `columns`' fields.
    fn new(dictionary: &'static Dictionary, columns: &[Column], fields: &FieldColumns) -> Self {
        let defs: Vec<Option<&'static FieldDef>> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let f = c.field?;
                (fields.get(f) == Some(i))
                    .then(|| dictionary.field(f))
                    .flatten()
            })
            .collect();
        let dictionary_columns: Vec<Option<usize>> = dictionary
            .fields
            .iter()
            .map(|f| fields.get(f.field))
            .collect();
        // Fields share conditions (PriceType and PriceValue are required
        // unless LicenseType is SVOD): each distinct one is resolved once.
        let mut conditions: Vec<ConditionAt> = Vec::new();
        let mut place = |condition: &'static Condition| {
            conditions
                .iter()
                .position(|c| c.condition == condition)
                .unwrap_or_else(|| {
                    conditions.push(ConditionAt {
                        condition,
                        column: fields.get(condition.field),
                        separator: dictionary
                            .field(condition.field)
                            .and_then(FieldDef::separator),
                    });
                    conditions.len() - 1
                })
        };
        let mut required: Vec<RequiredField> = dictionary
            .fields
            .iter()
            .zip(&dictionary_columns)
            .filter(|(f, _)| f.required != Requirement::Optional)
            .map(|(def, column)| RequiredField {
                def,
                column: *column,
                unless: def.required_unless.iter().map(&mut place).collect(),
                when: def.required_when.iter().map(&mut place).collect(),
            })
            .collect();
        // Conditions on single values first: they are cheaper to decide
        // than those on lists, and the outcome does not depend on the order.
        for r in &mut required {
            for list in [&mut r.unless, &mut r.when] {
                list.sort_by_key(|&i| conditions[i].separator.is_some());
            }
        }
        let lists = defs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((d.as_ref().copied()?, i)))
            .filter_map(|(d, i)| Some((d, i, d.separator()?)))
            .collect();
        let mut by_kind: Vec<Vec<(&'static FieldDef, usize)>> = vec![Vec::new(); FieldKind::COUNT];
        for (i, d) in defs.iter().enumerate() {
            if let Some(d) = d {
                by_kind[d.kind as usize].push((d, i));
            }
        }
        Layout {
            kind: dictionary.kind(),
            dictionary,
            defs,
            dictionary_columns,
            by_kind,
            lists,
            required,
            conditions,
        }
    }

    /// The definition of the field in `column`, when that column is the
    /// field's first (duplicate and unknown columns have none).
    pub fn field_def_at(&self, column: usize) -> Option<&'static FieldDef> {
        self.defs.get(column).copied().flatten()
    }

    /// Every dictionary field with the sheet's column for it, in dictionary order.
    pub fn dictionary_columns(
        &self,
    ) -> impl Iterator<Item = (&'static FieldDef, Option<usize>)> + '_ {
        self.dictionary
            .fields
            .iter()
            .zip(self.dictionary_columns.iter().copied())
    }

    /// The dictionary's required and conditional fields, with the sheet's
    /// column and the conditions of each.
    pub fn required_fields(&self) -> &[RequiredField] {
        &self.required
    }

    /// The distinct conditions of [`Layout::required_fields`], resolved to
    /// the sheet; fields name them by position.
    pub fn conditions(&self) -> &[ConditionAt] {
        &self.conditions
    }

    /// The sheet's columns of list fields, with their definitions and
    /// separators, in column order.
    pub fn list_columns(&self) -> &[(&'static FieldDef, usize, char)] {
        &self.lists
    }

    /// The sheet's columns of dictionary fields of `kind`, with their
    /// definitions, in column order.
    pub fn columns_of_kind(&self, kind: FieldKind) -> &[(&'static FieldDef, usize)] {
        &self.by_kind[kind as usize]
    }
}

/// Everything rows of one sheet (or one XML document) share.
#[derive(Debug)]
pub struct SheetInfo {
    /// Input path as given.
    pub file: String,
    /// Position of the file among all inputs (for deterministic ordering).
    pub file_index: usize,
    /// Sheet name; `None` for XML documents.
    pub sheet: Option<String>,
    /// Position of the sheet in its workbook.
    pub sheet_index: usize,
    /// Container kind.
    pub source: SourceKind,
    /// The sheet is hidden in its workbook (see [`SheetSource::hidden`]).
    pub hidden: bool,
    /// The sheet's merged cell ranges, in file order.
    pub merged: Vec<MergedRange>,
    /// Template version used to check this sheet.
    pub version: TemplateVersion,
    /// The kind the header says (Movies, TV or Bonus): the dictionary of
    /// rows whose WorkType names no other.
    pub sheet_kind: SheetKind,
    /// Header columns in file order.
    pub columns: Vec<Column>,
    /// 1-based row of the field-name header (0 for XML).
    pub header_row: u32,
    /// Each field's (first) column.
    field_columns: FieldColumns,
    /// The dictionaries rows may be checked with, laid over the header: the
    /// header's kind first. One for XML and templates before 1.8; from 1.8
    /// (whose templates consolidate Movies, TV, Collections and, in 1.9,
    /// Bonus into one layout) every kind of the version, chosen per row by
    /// its WorkType.
    layouts: Vec<Layout>,
    /// The WorkType values that choose a layout other than the first, with
    /// its position.
    work_types: Vec<(&'static str, u8)>,
    /// Fields whose value syntax the container's own schema types and the
    /// reader checked (see [`SheetInfo::with_schema_checked`]).
    schema_checked: FieldSet,
    /// An XML document's text, where its rows' [`XmlPos`] spans are.
    text: Option<Arc<SourceText>>,
}

impl SheetInfo {
    /// A sheet of `version` and `kind` whose header is `columns`; field
    /// lookups are worked out here, once.
    pub fn new(
        at: SheetSource,
        version: TemplateVersion,
        sheet_kind: SheetKind,
        columns: Vec<Column>,
        header_row: u32,
    ) -> Self {
        let field_columns = FieldColumns::new(columns.iter().map(|c| c.field));
        let first = Dictionary::for_version(version, sheet_kind);
        let per_row = at.source != SourceKind::Xml
            && matches!(version, TemplateVersion::V1_8 | TemplateVersion::V1_9);
        let others = Dictionary::kinds_of(version)
            .filter(|k| per_row && *k != first.kind())
            .map(|k| Dictionary::for_version(version, k));
        let layouts: Vec<Layout> = std::iter::once(first)
            .chain(others)
            .map(|d| Layout::new(d, &columns, &field_columns))
            .collect();
        let work_types = layouts
            .iter()
            .enumerate()
            .skip(1)
            .flat_map(|(i, l)| {
                let values = l.dictionary.field(Field::WorkType).map(|f| &f.values);
                let i = u8::try_from(i).expect("a few layouts");
                values.into_iter().flatten().map(move |v| (v.as_str(), i))
            })
            .collect();
        SheetInfo {
            file: at.file,
            file_index: at.file_index,
            sheet: at.sheet,
            sheet_index: at.sheet_index,
            source: at.source,
            hidden: at.hidden,
            merged: at.merged,
            version,
            sheet_kind: first.kind(),
            columns,
            header_row,
            field_columns,
            layouts,
            work_types,
            schema_checked: FieldSet::default(),
            text: None,
        }
    }

    /// The sheet of an XML document whose text is `text`.
    pub fn with_text(mut self, text: Arc<SourceText>) -> Self {
        self.text = Some(text);
        self
    }

    /// The 1-based line and column of `pos`, an [`XmlPos`] of this
    /// sheet's document (line 1 when the sheet has no text).
    pub fn line_col(&self, pos: XmlPos) -> (u32, u32) {
        match &self.text {
            Some(text) => text.line_col(pos.span.0),
            None => (1, u32::try_from(pos.span.0 + 1).unwrap_or(u32::MAX)),
        }
    }

    /// Sets `loc`'s line, column and byte span to `pos`, an [`XmlPos`] of
    /// this sheet's document.
    pub fn place(&self, loc: &mut Location, pos: XmlPos) {
        let (line, col) = self.line_col(pos);
        loc.line = Some(line);
        loc.col = Some(col);
        loc.span = Some(pos.span);
    }

    /// The sheet, saying that the values of `fields` are typed by the
    /// container's own schema and that the reader checked their syntax
    /// (Avails XML: xs:dateTime, xs:duration, xs:decimal, xs:boolean): rules
    /// of value syntax leave them alone, so that a value gets one fix, in
    /// the schema's terms.
    pub fn with_schema_checked(mut self, fields: FieldSet) -> Self {
        self.schema_checked = fields;
        self
    }

    /// True when the reader checked the syntax of `field`'s values against
    /// the container's schema (see [`SheetInfo::with_schema_checked`]).
    pub fn schema_checked(&self, field: Field) -> bool {
        self.schema_checked.contains(field)
    }

    /// How messages name `field` in this sheet: for Avails XML the element
    /// it is read from (the header of its column, e.g. `<RunLength>` for
    /// TotalRunTime), else its EMA name (its column).
    pub fn label(&self, field: Field) -> String {
        match self.column_of(field) {
            Some(c) if self.source == SourceKind::Xml => self.columns[c].header.clone(),
            _ => field.name().to_string(),
        }
    }

    /// Column index of a field, if the sheet has it (its first column).
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.field_columns.get(field)
    }

    /// The fields the header has a column for.
    pub fn fields(&self) -> FieldSet {
        self.field_columns.present()
    }

    /// The header's own layout: its kind's dictionary (see [`Avail::layout`]
    /// for a row's).
    pub fn layout(&self) -> &Layout {
        &self.layouts[0]
    }

    /// Every layout rows of the sheet may have, the header's first.
    pub fn layouts(&self) -> &[Layout] {
        &self.layouts
    }

    /// True when rows choose their dictionary by WorkType (1.8 and later).
    pub fn per_row(&self) -> bool {
        self.layouts.len() > 1
    }

    /// The position in [`SheetInfo::layouts`] of the layout a WorkType
    /// chooses: the one whose dictionary lists it (in any case); `None` when
    /// none does (rows then take the header's, the first).
    pub fn layout_for(&self, work_type: &str) -> Option<u8> {
        if self.layouts[0]
            .dictionary
            .field(Field::WorkType)
            .is_some_and(|f| f.values.iter().any(|v| v == work_type))
        {
            return Some(0);
        }
        let by = |same: fn(&str, &str) -> bool| {
            self.work_types
                .iter()
                .find(|(v, _)| same(v, work_type))
                .map(|(_, i)| *i)
        };
        by(|a, b| a == b).or_else(|| by(|a, b| a.eq_ignore_ascii_case(b)))
    }

    /// A location naming the header cell of `column`.
    pub fn header_location(&self, column: usize) -> Location {
        let col = &self.columns[column];
        let mut loc = Location::file(&self.file);
        loc.sheet = self.sheet.clone();
        if self.header_row > 0 {
            loc.row = Some(self.header_row);
            loc.column = Some(col.letter.clone());
            loc.cell = Some(format!("{}{}", col.letter, self.header_row));
        }
        loc.field = Some(
            col.field
                .map_or_else(|| col.header.clone(), |f| f.name().to_string()),
        );
        loc.value = Some(col.header.clone());
        loc
    }

    /// A location naming the sheet (or XML document) as a whole.
    pub fn location(&self) -> Location {
        let mut loc = Location::file(&self.file);
        loc.sheet = self.sheet.clone();
        loc
    }
}

/// Where an XML value sits in its file: its byte span, whose line and
/// column [`SheetInfo::line_col`] works out (only for what is reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlPos {
    /// Byte span of the element or text.
    pub span: (usize, usize),
}

impl XmlPos {
    /// The position of the bytes `span`.
    pub fn at(span: (usize, usize)) -> Self {
        XmlPos { span }
    }
}

/// One non-empty value of a row. Kept small (16 bytes, text shared through
/// [`Interner`]) because a large sheet holds millions of them.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The value as the user sees it (dates rendered through their number format).
    pub text: Text,
    /// Column index into [`SheetInfo::columns`] (see [`Cell::column`]).
    column: u32,
    /// What the container held: text, or a native number, date, boolean or
    /// error value rendered as text.
    pub kind: CellKind,
}

/// What a cell held in its container, beyond the text it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellKind {
    /// Text: a string cell, and every CSV and XML value.
    #[default]
    Text,
    /// A number.
    Number,
    /// A date (a serial number with a date-only number format).
    Date,
    /// A date and time (a date format with a time part, even at midnight).
    DateTime,
    /// A time of day or a duration.
    Time,
    /// TRUE or FALSE.
    Boolean,
    /// An Excel error value such as `#N/A`, as a value or a formula's result.
    Error,
}

impl CellKind {
    /// True for values rendered from a native number, date, boolean or
    /// error cell rather than written as text.
    pub fn is_native(self) -> bool {
        self != CellKind::Text
    }
}

impl Cell {
    /// A cell of `column` showing `text`.
    pub fn new(column: usize, text: Text, kind: CellKind) -> Self {
        Cell {
            text,
            column: u32::try_from(column).expect("fewer than 2^32 columns"),
            kind,
        }
    }

    /// Records the formula the cell holds.
    pub fn with_formula(mut self, formula: Option<String>) -> Self {
        if let Some(f) = formula {
            self.text = Text(Arc::new(TextInner {
                text: self.text.0.text.clone(),
                formula: Some(f.into_boxed_str()),
                error: self.text.0.error,
                clean: AtomicUsize::new(0),
            }));
        }
        self
    }

    /// Column index into [`SheetInfo::columns`].
    pub fn column(&self) -> usize {
        self.column as usize
    }

    /// The cell's formula, when it holds one.
    pub fn formula(&self) -> Option<&str> {
        self.text.0.formula.as_deref()
    }

    /// The value the cell's text stands for: without leading and trailing
    /// spaces and invisible characters ([`trim_value`]).
    pub fn value(&self) -> &str {
        trim_value(&self.text)
    }

    /// True when the cell holds a spreadsheet error value (`#N/A`, ...), as
    /// a native error or as the text an export wrote: not a value.
    pub fn is_error(&self) -> bool {
        self.kind == CellKind::Error || self.text.0.error
    }
}

/// A cell's text: one pointer wide, and shared by equal cells through
/// [`Interner`]. Compares, hashes and reads as its `str`.
#[derive(Clone, Default)]
pub struct Text(Arc<TextInner>);

/// What a [`Text`] points to. The formula rides along with the text (rare:
/// a formula cell gets its own copy) so cells need no field for it.
#[derive(Default)]
struct TextInner {
    text: Box<str>,
    formula: Option<Box<str>>,
    /// The text is an error value ([`is_error_value`]): found once per
    /// distinct text, asked of every cell by every rule.
    error: bool,
    /// The last [`Text::mark_clean`] key: checks that depend only on the
    /// value and the field need not run again for the cells sharing it.
    clean: AtomicUsize,
}

impl Text {
    fn new(text: &str) -> Self {
        Text(Arc::new(TextInner {
            text: text.into(),
            formula: None,
            error: is_error_value(text),
            clean: AtomicUsize::new(0),
        }))
    }

    /// True when this text was found clean under `key` (see
    /// [`Text::mark_clean`]).
    pub fn is_clean(&self, key: usize) -> bool {
        key != 0 && self.0.clean.load(Ordering::Relaxed) == key
    }

    /// Remembers that the checks identified by `key` (non-zero; e.g. a
    /// field definition's address) found nothing in this text. One key is
    /// kept: a value shared by several fields is checked again when its
    /// field changes.
    pub fn mark_clean(&self, key: usize) {
        self.0.clean.store(key, Ordering::Relaxed);
    }

    /// True when both are one shared text, so equal without comparing.
    pub fn ptr_eq(a: &Text, b: &Text) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0.text
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::new(text)
    }
}

/// Shares the text of repeated short values (`SVOD`, `US`, `Full Extract`,
/// dates) between cells, so a sheet's memory grows with its distinct values.
#[derive(Debug, Default)]
pub struct Interner {
    seen: rustc_hash::FxHashSet<Text>,
}

impl Interner {
    /// Values longer than this are not worth sharing.
    const MAX_LEN: usize = 64;

    /// The shared copy of `text`.
    pub fn intern(&mut self, text: &str) -> Text {
        if text.len() > Self::MAX_LEN {
            return Text::new(text);
        }
        if let Some(a) = self.seen.get(text) {
            return a.clone();
        }
        let a = Text::new(text);
        self.seen.insert(a.clone());
        a
    }
}

/// One avail: a spreadsheet data row or one XML Transaction with its Avail's data.
#[derive(Debug, Clone)]
pub struct Avail {
    /// The sheet this row belongs to.
    pub sheet: Arc<SheetInfo>,
    /// 1-based spreadsheet row; for XML, the line of the Transaction element.
    pub row: u32,
    /// The row's layout, by position in [`SheetInfo::layouts`].
    layout: u8,
    /// The spreadsheet row is hidden (`<row hidden="1">`); false for CSV and XML.
    pub hidden: bool,
    /// What the row's cells hold beyond text, found when it was built.
    holds: Holds,
    /// Non-empty cells sorted by column (XML may repeat a column for repeated
    /// elements, in document order).
    cells: Box<[Cell]>,
    /// Column → 1 + position of its first cell (0: none), so a field is found
    /// with one load instead of a search; empty when the row is too wide
    /// (then [`Avail::cells_of`] searches).
    first: Box<[u8]>,
    /// Where the row is beyond its number: a CSV record's line, or the
    /// XML positions.
    place: RowPlace,
}

/// Where a row is beyond its number (one field: a row is either).
#[derive(Debug, Clone)]
enum RowPlace {
    /// For CSV, the file line the row's record starts on (a quoted cell may
    /// hold line breaks, so it can differ from the row); 0 otherwise.
    Line(u32),
    /// For XML, the Transaction element's position, then each cell's in the
    /// order of the row's cells (one allocation per row).
    Xml(Box<[XmlPos]>),
}

/// Whether any of a row's cells is an error value, holds a formula or is a
/// native number: found once, when the row is built (before any trim), so
/// that rules looking for these rare cells pass over the rows without them.
/// One bit each.
#[derive(Debug, Clone, Copy, Default)]
struct Holds(u8);

impl Holds {
    const ERRORS: u8 = 1;
    const FORMULAS: u8 = 2;
    const NUMBERS: u8 = 4;

    /// Takes in `cell`, one of the row's.
    fn add(&mut self, cell: &Cell) {
        self.0 |= (u8::from(cell.is_error()) * Self::ERRORS)
            | (u8::from(cell.formula().is_some()) * Self::FORMULAS)
            | (u8::from(cell.kind == CellKind::Number) * Self::NUMBERS);
    }

    /// True when bit `bit` is set.
    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

impl Avail {
    /// A row of `sheet` from its non-blank cells, in any order (readers
    /// leave blank cells out, so a present cell always holds a value).
    pub fn new(sheet: Arc<SheetInfo>, row: u32, cells: Vec<Cell>) -> Self {
        Self::build(sheet, row, cells, RowPlace::Line(0))
    }

    /// An XML row from its cells, sorted by column, and `places`: the
    /// Transaction element's position, then each cell's (`places[i + 1]`
    /// is where `cells[i]` is).
    pub fn with_positions(
        sheet: Arc<SheetInfo>,
        row: u32,
        cells: Vec<Cell>,
        places: Vec<XmlPos>,
    ) -> Self {
        debug_assert_eq!(cells.len() + 1, places.len(), "a position per cell");
        debug_assert!(
            cells.is_sorted_by_key(Cell::column),
            "XML rows come sorted by column"
        );
        let place = RowPlace::Xml(places.into_boxed_slice());
        Self::build(sheet, row, cells, place)
    }

    fn build(sheet: Arc<SheetInfo>, row: u32, mut cells: Vec<Cell>, place: RowPlace) -> Self {
        debug_assert!(
            cells
                .iter()
                .all(|c| !c.value().is_empty() || c.formula().is_some()),
            "readers leave blank cells out"
        );
        // One pass for what the row holds, its order and its widest column.
        let (mut holds, mut sorted, mut last) = (Holds::default(), true, 0);
        for c in &cells {
            holds.add(c);
            sorted &= last <= c.column();
            last = last.max(c.column());
        }
        if !sorted {
            debug_assert!(
                matches!(place, RowPlace::Line(_)),
                "positions come sorted with their cells"
            );
            // Stable: repeated XML elements keep their document order.
            cells.sort_by_key(Cell::column);
        }
        let width = sheet.columns.len();
        let mut first = Box::default();
        if cells.len() < usize::from(u8::MAX)
            && width <= Self::INDEXED_COLUMNS
            && (cells.is_empty() || last < width)
        {
            let mut index = vec![0u8; width];
            for (i, c) in cells.iter().enumerate().rev() {
                index[c.column()] = i as u8 + 1;
            }
            first = index.into_boxed_slice();
        }
        let layout = match sheet.column_of(Field::WorkType) {
            Some(col) if sheet.per_row() => cells
                .iter()
                .find(|c| c.column() == col)
                .and_then(|c| sheet.layout_for(c.value()))
                .unwrap_or(0),
            _ => 0,
        };
        Avail {
            sheet,
            row,
            layout,
            hidden: false,
            holds,
            cells: cells.into_boxed_slice(),
            first,
            place,
        }
    }

    /// The row with the CSV file line its record starts on (0: none).
    pub fn with_line(mut self, line: u32) -> Self {
        if let RowPlace::Line(l) = &mut self.place {
            *l = line;
        }
        self
    }

    /// Keeps only the cells `keep` says yes to (with their XML positions),
    /// in order, to hold less memory once the row rules are done. The
    /// column index is dropped too: a trimmed row has few cells and finds
    /// them by a binary search.
    pub fn retain_cells(&mut self, mut keep: impl FnMut(&Cell) -> bool) {
        let mut cells = std::mem::take(&mut self.cells).into_vec();
        match &mut self.place {
            RowPlace::Line(_) => cells.retain(|c| keep(c)),
            RowPlace::Xml(x) => {
                // `retain` visits each cell once, in order: the positions
                // follow, moved down in place (after the Transaction's).
                let mut places = std::mem::take(x).into_vec();
                let (mut read, mut write) = (1, 1);
                cells.retain(|c| {
                    let yes = keep(c);
                    if yes && read < places.len() {
                        places.copy_within(read..read + 1, write);
                        write += 1;
                    }
                    read += 1;
                    yes
                });
                places.truncate(write);
                *x = places.into_boxed_slice();
            }
        }
        self.cells = cells.into_boxed_slice();
        self.first = Box::default();
    }

    /// True when one of the row's cells (as read, before any trim) is an
    /// error value ([`Cell::is_error`]).
    pub fn has_error_values(&self) -> bool {
        self.holds.has(Holds::ERRORS)
    }

    /// True when one of the row's cells (as read) holds a formula.
    pub fn has_formulas(&self) -> bool {
        self.holds.has(Holds::FORMULAS)
    }

    /// True when one of the row's cells (as read) is a native number
    /// ([`CellKind::Number`]).
    pub fn has_numbers(&self) -> bool {
        self.holds.has(Holds::NUMBERS)
    }

    /// The dictionary this row is checked with, laid over its sheet's
    /// header: from 1.8 the one of its WorkType's kind, else the sheet's.
    pub fn layout(&self) -> &Layout {
        &self.sheet.layouts[usize::from(self.layout)]
    }

    /// The position of [`Avail::layout`] in its sheet's layouts.
    pub fn layout_index(&self) -> u8 {
        self.layout
    }

    /// For XML rows, the Transaction element's position.
    pub fn xml(&self) -> Option<XmlPos> {
        self.xml_places().map(|p| p[0])
    }

    /// For XML rows, the Transaction's position, then each cell's.
    fn xml_places(&self) -> Option<&[XmlPos]> {
        match &self.place {
            RowPlace::Xml(places) => Some(places),
            RowPlace::Line(_) => None,
        }
    }

    /// The row's cells with their XML positions (`None` for spreadsheets),
    /// in one pass.
    pub fn cells_with_positions(&self) -> impl Iterator<Item = (&Cell, Option<XmlPos>)> + '_ {
        let places = self.xml_places().map(|p| &p[1..]);
        self.cells
            .iter()
            .enumerate()
            .map(move |(i, c)| (c, places.and_then(|p| p.get(i).copied())))
    }

    /// Exact XML position of one of this row's cells (XML sources only).
    pub fn position_of(&self, cell: &Cell) -> Option<XmlPos> {
        // Only asked when reporting, so a scan is fine.
        let i = self.cells.iter().position(|c| std::ptr::eq(c, cell))?;
        self.xml_places()?.get(i + 1).copied()
    }

    /// Widest sheet whose rows get a column index (real avails sheets have
    /// about 100 columns; a hostile one may have 16,384).
    const INDEXED_COLUMNS: usize = 1024;

    /// The row's non-empty cells, sorted by column.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The cells of column `col` (empty when the row has none).
    pub fn cells_of(&self, col: usize) -> &[Cell] {
        // The cells `from..to` are of the column; more may follow.
        let (from, mut to) = if self.first.is_empty() {
            let from = self.cells.partition_point(|c| c.column() < col);
            (from, from)
        } else {
            match self.first.get(col) {
                Some(&i) if i > 0 => (usize::from(i) - 1, usize::from(i)),
                _ => return &[],
            }
        };
        // Most columns hold one cell (XML repeats some elements).
        while to < self.cells.len() && self.cells[to].column() == col {
            to += 1;
        }
        &self.cells[from..to]
    }

    /// True when the row has a cell in column `col`.
    pub fn has_cell(&self, col: usize) -> bool {
        match self.first.get(col) {
            Some(&i) => i > 0,
            None => !self.cells_of(col).is_empty(),
        }
    }

    /// The first cell of a field.
    pub fn get(&self, field: Field) -> Option<&Cell> {
        self.get_all(field).next()
    }

    /// Every cell of a field holding a value (XML repeats elements such as
    /// Territory); error values are no values.
    pub fn get_all(&self, field: Field) -> impl Iterator<Item = &Cell> + '_ {
        self.field_cells(field).iter().filter(|c| !c.is_error())
    }

    /// The cells of a field's column, error values included.
    fn field_cells(&self, field: Field) -> &[Cell] {
        match self.sheet.column_of(field) {
            Some(col) => self.cells_of(col),
            None => &[],
        }
    }

    /// Each cell with its dictionary definition (cells of unknown or
    /// duplicate columns are left out): rules that check values by kind walk
    /// the row's cells once instead of every dictionary field.
    pub fn defined_cells(&self) -> impl Iterator<Item = (&'static FieldDef, &Cell)> + '_ {
        let layout = self.layout();
        self.cells
            .iter()
            .filter_map(move |c| Some((layout.field_def_at(c.column())?, c)))
    }

    /// The cells of the sheet's fields of `kind`, with their definitions.
    pub fn cells_of_kind(
        &self,
        kind: FieldKind,
    ) -> impl Iterator<Item = (&'static FieldDef, &Cell)> + '_ {
        self.layout()
            .columns_of_kind(kind)
            .iter()
            .flat_map(move |&(def, col)| self.cells_of(col).iter().map(move |c| (def, c)))
    }

    /// The value of a field ([`Cell::value`]), `""` when absent.
    pub fn text(&self, field: Field) -> &str {
        self.get(field).map_or("", Cell::value)
    }

    /// True when the sheet has a column for `field`.
    pub fn has_column(&self, field: Field) -> bool {
        self.sheet.column_of(field).is_some()
    }

    /// The list separator of `field` in this row's dictionary, `None` when
    /// the field is not a list there.
    pub fn separator(&self, field: Field) -> Option<char> {
        self.layout()
            .dictionary
            .field(field)
            .and_then(FieldDef::separator)
    }

    /// Items of a field: each cell split on the field's list separator (per
    /// the dictionary of the sheet's version and kind; a field that is not a
    /// list there is one item), trimmed, empty items dropped, with the cell
    /// each came from.
    pub fn items(&self, field: Field) -> impl Iterator<Item = (&Cell, &str)> + '_ {
        let sep = self.separator(field);
        self.get_all(field)
            .flat_map(move |c| split_items(&c.text, sep).map(move |s| (c, s)))
    }

    /// The territories the row covers: `Territory` items minus
    /// `TerritoryExclusion` items, each with the cell it came from.
    pub fn territories(&self) -> impl Iterator<Item = (&Cell, &str)> + '_ {
        // Asked of every row: the exclusions' cells and separator are found
        // once, not per territory (most rows have none).
        let excluded = self.field_cells(Field::TerritoryExclusion);
        let separator = match excluded.is_empty() {
            true => None,
            false => self.separator(Field::TerritoryExclusion),
        };
        self.items(Field::Territory).filter(move |(_, t)| {
            !(excluded.iter().filter(|c| !c.is_error()))
                .any(|c| split_items(&c.text, separator).any(|x| x == *t))
        })
    }

    /// Location of a cell of this row.
    pub fn cell_location(&self, cell: &Cell) -> Location {
        let col = &self.sheet.columns[cell.column()];
        let mut loc = self.row_location();
        loc.field = Some(
            col.field
                .map_or_else(|| col.header.clone(), |f| f.name().to_string()),
        );
        loc.value = Some(cell.text.to_string());
        if let Some(x) = self.position_of(cell) {
            self.sheet.place(&mut loc, x);
        } else {
            loc.column = Some(col.letter.clone());
            loc.cell = Some(format!("{}{}", col.letter, self.row));
        }
        loc
    }

    /// Location of a field of this row: its cell when present, else the
    /// (empty) cell where the column is, else the row.
    pub fn location(&self, field: Field) -> Location {
        if let Some(cell) = self.get(field) {
            return self.cell_location(cell);
        }
        let mut loc = self.row_location();
        loc.field = Some(field.name().to_string());
        if let Some(col) = self.sheet.column_of(field)
            && self.xml().is_none()
        {
            let letter = &self.sheet.columns[col].letter;
            loc.column = Some(letter.clone());
            loc.cell = Some(format!("{letter}{}", self.row));
        }
        loc
    }

    /// Location of the row as a whole.
    pub fn row_location(&self) -> Location {
        let mut loc = self.sheet.location();
        match self.xml() {
            Some(x) => self.sheet.place(&mut loc, x),
            None => {
                loc.row = Some(self.row);
                if let RowPlace::Line(line) = self.place {
                    loc.line = (line > 0).then_some(line);
                }
            }
        }
        loc
    }

    /// The row's values, for showing the row in a human report.
    pub fn excerpt(&self) -> RowExcerpt {
        RowExcerpt {
            cells: self
                .cells
                .iter()
                .map(|c| {
                    let col = &self.sheet.columns[c.column()];
                    (
                        col.letter.clone(),
                        col.field
                            .map_or_else(|| col.header.clone(), |f| f.name().to_string()),
                        escape_invisible(&c.text).into_owned(),
                    )
                })
                .collect(),
        }
    }

    /// The title identity used for windows and consistency: ALID; on 1.6
    /// AltID (Movies) or the episode/season AltID (TV).
    pub fn title_id(&self) -> Option<&Cell> {
        // 1.6 has no ALID: the key is the AltID of the row's own level, so an
        // episode never borrows its season's ID (or the reverse).
        use Field::*;
        let order: &[Field] = match self.text(WorkType) {
            "Episode" => &[ALID, EpisodeAltID, EpisodeContentID],
            "Season" => &[ALID, SeasonAltID, SeasonContentID],
            "Series" => &[ALID, SeriesAltID, SeriesContentID],
            _ => &[ALID, AltID, ContentID],
        };
        order
            .iter()
            .find_map(|f| self.get(*f).filter(|c| !c.value().is_empty()))
    }
}

/// The items of a list value: `text` split on `separator` (one item when the
/// field is no list), trimmed of spaces and invisible characters, empty
/// items dropped.
pub fn split_items(text: &str, separator: Option<char>) -> impl Iterator<Item = &str> {
    // No separator: `splitn(1, _)` yields the whole text.
    let n = if separator.is_some() { usize::MAX } else { 1 };
    let separator = separator.unwrap_or(',');
    // A one-char array, not a `char` pattern: values are short, and a char
    // pattern sets up a memchr search for each item.
    text.splitn(n, [separator])
        .map(trim_value)
        .filter(|s| !s.is_empty())
}

/// A 1.7.3 Movies sheet whose header row holds `headers`, for tests; names
/// outside the EMA dictionary get no field.
#[cfg(test)]
pub(crate) fn test_sheet(headers: &[&str]) -> Arc<SheetInfo> {
    let columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, n)| Column {
            letter: super::column_letter(i),
            header: n.to_string(),
            field: Field::from_header(n),
            category: String::new(),
        })
        .collect();
    let at = SheetSource {
        file: "t.xlsx".into(),
        file_index: 0,
        sheet: Some("Movies".into()),
        sheet_index: 0,
        source: SourceKind::Xlsx,
        hidden: false,
        merged: Vec::new(),
    };
    Arc::new(SheetInfo::new(
        at,
        TemplateVersion::V1_7_3,
        SheetKind::Movies,
        columns,
        2,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Field::{LicenseType, Start, Territory};

    fn sheet() -> Arc<SheetInfo> {
        test_sheet(&["Territory", "LicenseType", "Territory", "Bogus"])
    }

    fn cell(col: usize, text: &str) -> Cell {
        Cell::new(col, Text::from(text), CellKind::Text)
    }

    #[test]
    fn cells_are_sorted_and_repeats_keep_their_order() {
        let row = Avail::new(
            sheet(),
            3,
            vec![cell(1, "SVOD"), cell(0, "US"), cell(3, "x"), cell(0, "GB")],
        );
        let cols: Vec<usize> = row.cells().iter().map(Cell::column).collect();
        assert_eq!(cols, [0, 0, 1, 3]);
        let t: Vec<&str> = row.get_all(Territory).map(|c| &*c.text).collect();
        assert_eq!(t, ["US", "GB"]);
        assert_eq!(row.text(LicenseType), "SVOD");
        assert!(row.cells_of(2).is_empty());
        assert!(row.get(Start).is_none());
    }

    #[test]
    fn lists_split_on_the_dictionarys_separator() {
        let row = Avail::new(sheet(), 3, vec![cell(0, " US, GB ,"), cell(0, "US|DE")]);
        let items: Vec<&str> = row.items(Territory).map(|(_, t)| t).collect();
        assert_eq!(
            items,
            ["US", "GB", "US|DE"],
            "1.7.3 Territory lists use `,`"
        );
        let one: Vec<&str> = split_items(" en, fr ", None).collect();
        assert_eq!(one, ["en, fr"], "a field that is no list is one item");
    }

    /// Territories repeated (as XML repeats them), listed, and excluded in
    /// lists and across cells.
    #[test]
    fn territories_are_territory_items_minus_exclusions() {
        let sheet = test_sheet(&["Territory", "TerritoryExclusion"]);
        // Each case: its cells (column, text), then the territories.
        type Case<'a> = (&'a [(usize, &'a str)], &'a [&'a str]);
        let cases: [Case; 6] = [
            (&[(0, "US")], &["US"]),
            (&[(0, "US"), (0, "GB"), (1, "GB")], &["US"]),
            (&[(0, "US, GB,, DE "), (1, "DE,US")], &["GB"]),
            (&[(0, "US"), (1, "US")], &[]),
            (&[(0, "\u{a0}FR\u{a0}, ES"), (1, "XX"), (1, "ES")], &["FR"]),
            (&[(1, "US")], &[]),
        ];
        for (cells, expected) in cases {
            let cells = (cells.iter())
                .map(|(c, t)| Cell::new(*c, Text::from(*t), CellKind::Text))
                .collect();
            let row = Avail::new(sheet.clone(), 4, cells);
            let got: Vec<&str> = row.territories().map(|(_, t)| t).collect();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn a_cell_stays_small() {
        // A 60,000-row sheet holds millions of cells.
        assert_eq!(std::mem::size_of::<Cell>(), 16);
        // And a sheet holds many rows: one cache line each (the CSV line
        // shares a field with the XML positions, the flags are bits).
        assert!(std::mem::size_of::<Avail>() <= 64);
    }

    #[test]
    fn rows_too_wide_to_index_are_searched() {
        let mut cells: Vec<Cell> = (0..300).map(|i| cell(0, &format!("T{i}"))).collect();
        cells.push(cell(1, "SVOD"));
        cells.push(cell(9, "beyond the header"));
        let row = Avail::new(sheet(), 3, cells);
        assert_eq!(row.get_all(Territory).count(), 300);
        assert_eq!(
            row.get_all(Territory).nth(299).map(|c| &*c.text),
            Some("T299")
        );
        assert_eq!(row.text(LicenseType), "SVOD");
        assert_eq!(row.cells_of(9).len(), 1);
        assert!(row.cells_of(2).is_empty());
    }

    #[test]
    fn only_a_fields_first_column_is_defined() {
        let info = sheet();
        let info = info.layout();
        assert_eq!(info.field_def_at(0).map(|f| f.field), Some(Territory));
        assert!(info.field_def_at(2).is_none(), "duplicate column");
        assert!(info.field_def_at(3).is_none(), "unknown column");
        let license = info
            .dictionary_columns()
            .find(|(f, _)| f.field == LicenseType)
            .expect("1.7.3 has LicenseType");
        assert_eq!(license.1, Some(1));
        assert!(
            info.dictionary_columns()
                .any(|(f, c)| f.field == Start && c.is_none())
        );
    }
}

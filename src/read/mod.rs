//! Readers: one per input kind, all producing the same model ([`SheetRows`] of
//! [`Avail`]s). A reader knows nothing of rules; what it noticed while reading
//! (the version it chose, skipped rows, odd headers) it reports as [`Note`]s.

pub mod csv;
pub mod detect;
pub mod guard;
pub mod licensed;
pub mod limits;
pub mod ods_times;
pub mod precheck;
pub mod sheet;
pub mod text;
pub mod workbook;
pub mod xls_times;
pub mod xlsx;
pub mod xml;

use std::path::Path;
use std::sync::Arc;

use crate::model::structure::AvailTree;
use crate::model::{Avail, Location, SheetInfo, SourceKind, SourceText, TemplateVersion};

pub use detect::{Format, sniff};

/// Largest input read (bytes). Larger files are refused rather than risk memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Options every reader honours.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--template-version`: skip detection and use this version.
    pub template_version: Option<TemplateVersion>,
    /// `--sheet`: check only these sheets of a workbook, as avails sheets
    /// whatever their header looks like (empty: every avails sheet).
    pub sheets: Vec<String>,
    /// Receives finished rows while the rest of the sheet is still being
    /// read, so a caller can work on them meanwhile (every checked input
    /// kind); the sheets then come back without rows.
    pub row_sink: Option<RowSink>,
}

/// Takes finished rows while the rest of the sheet is still being read:
/// each chunk is complete, in order, and the receiver owns it (the reader
/// keeps no copy, so the sheet's `rows` come back empty).
#[derive(Clone)]
pub struct RowSink(pub Arc<dyn Fn(Vec<Avail>) + Send + Sync>);

impl std::fmt::Debug for RowSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowSink")
    }
}

/// Rows per chunk given to a [`RowSink`].
pub const SINK_CHUNK_ROWS: usize = 1024;

/// Collects one sheet's rows, handing each full chunk to the sink (if any)
/// as soon as it fills; [`RowCollector::finish`] gives back the rows it
/// kept: all of them without a sink, none with one.
pub(crate) struct RowCollector<'a> {
    sink: Option<&'a RowSink>,
    rows: Vec<Avail>,
    pushed: usize,
}

impl<'a> RowCollector<'a> {
    /// A collector sending to the sink of `opts`.
    pub(crate) fn new(opts: &'a ReadOptions) -> Self {
        RowCollector {
            sink: opts.row_sink.as_ref(),
            rows: Vec::new(),
            pushed: 0,
        }
    }

    /// How many rows were pushed (sent or kept).
    pub(crate) fn pushed(&self) -> usize {
        self.pushed
    }

    /// Adds the next row.
    pub(crate) fn push(&mut self, row: Avail) {
        self.pushed += 1;
        self.rows.push(row);
        if self.rows.len() == SINK_CHUNK_ROWS {
            self.send();
        }
    }

    fn send(&mut self) {
        if let Some(sink) = self.sink
            && !self.rows.is_empty()
        {
            let rows = std::mem::replace(&mut self.rows, Vec::with_capacity(SINK_CHUNK_ROWS));
            (sink.0)(rows);
        }
    }

    /// The rows kept: every row without a sink; with one, the last chunk
    /// is sent and nothing is kept.
    pub(crate) fn finish(mut self) -> Vec<Avail> {
        self.send();
        if self.sink.is_some() {
            Vec::new()
        } else {
            self.rows
        }
    }
}

/// Something a reader noticed that a user should hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteKind {
    /// The template version used for a sheet and why.
    VersionUsed,
    /// Empty rows were skipped inside the data.
    EmptyRowsSkipped,
    /// A sheet was skipped (empty, dictionary, no header).
    SheetSkipped,
    /// Row 3 held data; it is reserved for comments and was not checked.
    Row3NotComment,
    /// The header is not laid out as the template says (single header row, category mismatch).
    HeaderLayout,
    /// The text was not UTF-8 and was decoded another way.
    Encoding,
    /// The same field appears in two columns; the first is used.
    DuplicateColumn,
    /// A structural problem in XML (missing/empty required element, order, syntax).
    XmlStructure,
    /// Constant boolean formulas (`=TRUE()`) were read as the booleans.
    BooleanFormulas,
    /// A header cell lies past the last column a sheet has (XFD).
    BeyondLastColumn,
    /// A data cell right of the header's last column (no field).
    CellOutsideHeader,
    /// Avails XML that its XSD does not accept.
    Xsd(XsdKind),
}

/// What an Avails XML document breaks of its XSD (each kind has its own
/// code, `XSD001` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XsdKind {
    /// An element the schema does not have there.
    UnknownElement,
    /// A child of the parent's type, in the wrong place.
    Order,
    /// A child repeated that the schema allows once there.
    Repeated,
    /// A required child missing.
    MissingElement,
    /// An attribute the element's type does not declare.
    UnknownAttribute,
    /// A required attribute missing.
    MissingAttribute,
    /// A value not in its built-in type's syntax (xs:dateTime, xs:language, …).
    Syntax,
    /// A value not among its type's enumerated (or fixed) values.
    Enumeration,
    /// A value not matching its type's pattern.
    Pattern,
    /// Text inside an element that holds only elements.
    Text,
    /// An md (or mdmec) namespace of another version than the avails one imports.
    MdVersion,
    /// An element of a namespace availcheck has no schema for, where the XSD
    /// requires a declared one.
    NoSchema,
}

/// A reader's observation, turned into a diagnostic by the pipeline.
#[derive(Debug, Clone)]
pub struct Note {
    /// What kind of observation.
    pub kind: NoteKind,
    /// Where.
    pub location: Location,
    /// Full sentence for the user.
    pub message: String,
    /// How to act on it, when there is something to do.
    pub help: Option<String>,
}

/// The data rows of one sheet (or one XML document part) with its header.
#[derive(Debug)]
pub struct SheetRows {
    /// Header, version and dictionary shared by the rows.
    pub info: Arc<SheetInfo>,
    /// Data rows in file order.
    pub rows: Vec<Avail>,
}

/// Everything read from one input file.
#[derive(Debug)]
pub struct ReadOutput {
    /// Container kind.
    pub source: SourceKind,
    /// Data sheets in workbook order.
    pub sheets: Vec<SheetRows>,
    /// Observations.
    pub notes: Vec<Note>,
    /// The decoded text, when locations point into it by byte span (XML).
    pub text: Option<Arc<SourceText>>,
    /// The parts of each `Avail` of an Avails XML document, for the rules
    /// of how they fit together; empty for spreadsheets, whose rows stand
    /// for their parts ([`AvailTree::of_row`]).
    pub avails: Vec<AvailTree>,
}

/// Why a file could not be read at all. Each message names what was found and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist.
    #[error("no such file")]
    NotFound,
    /// The path is a directory where a file was expected.
    #[error(
        "is a folder with no avails files in it (.xlsx, .xls, .xlsb, .ods, .csv, .xml); give the files, or a folder that holds them"
    )]
    IsDirectory,
    /// The OS refused to read it.
    #[error("cannot be read: {0}")]
    Io(#[source] std::io::Error),
    /// Too large to check safely.
    #[error("is {0} bytes; availcheck reads files up to {MAX_FILE_BYTES} bytes")]
    TooLarge(u64),
    /// Empty file.
    #[error("is empty (0 bytes); export the avails again")]
    Empty,
    /// Not a spreadsheet, CSV or Avails XML.
    #[error("{0}")]
    UnknownFormat(String),
    /// A workbook container that could not be opened.
    #[error("{0}")]
    Workbook(String),
    /// No sheet's template version could be determined.
    #[error("{0}")]
    UnknownVersion(String),
    /// Malformed or refused XML, with its position.
    #[error("{message} (line {line}, column {col})")]
    Xml {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// What is wrong and what to do.
        message: String,
    },
}

/// Reads one input file of any supported kind.
pub fn read_path(
    path: &Path,
    display: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    let bytes = read_file(path)?;
    read_bytes(bytes, display, file_index, opts)
}

/// The bytes of an input file: read-only (never written or locked), with
/// missing paths, folders and oversized files refused.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(meta.len()));
    }
    std::fs::read(path).map_err(ReadError::Io)
}

/// Reads an input held in memory (the format is sniffed from the bytes).
pub fn read_bytes(
    bytes: Vec<u8>,
    display: &str,
    file_index: usize,
    opts: &ReadOptions,
) -> Result<ReadOutput, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match sniff(&bytes)? {
        Format::Workbook(kind) => {
            if kind != crate::model::SourceKind::Xls {
                limits::check_zip(&bytes)?;
            }
            precheck::check(&bytes, kind)?;
            workbook::read(bytes, kind, display, file_index, opts)
        }
        Format::Csv => csv::read(&bytes, display, file_index, opts),
        Format::Xml => xml::read(bytes, display, file_index, opts),
    }
}

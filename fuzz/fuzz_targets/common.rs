//! Shared by the reader targets: read the bytes, run every rule, and check
//! what came out. Everything the targets know about availcheck's API and
//! internals is here, so a change of the library's API is mended in one file.
//!
//! For every input:
//! * read and check it twice; the two reports must be identical (files,
//!   diagnostics with their locations, messages and order);
//! * for an input that reads, every diagnostic (and related) location must
//!   point inside the input: the file is the input; a spreadsheet or CSV
//!   `row` is a row the reader read (the header row or a data row), except
//!   for the reader notes that name another row on purpose (see
//!   [`row_is_known`]); a CSV row is at most the input's line count; an XML
//!   `line` is within the text, its byte `span` is inside the text on
//!   character boundaries and `line`/`col` are where the span starts;
//! * an XML read error's line is within the input.
//!
//! For a sample of inputs (a hash of the input, 1 in [`RENDER_ONE_IN`];
//! every input with `AVAILCHECK_FUZZ_RENDER=all`), the report is also
//! rendered in every format, and the JSON report must be identical for both
//! reads and validate against `schemas/report.schema.json`. Rendering
//! (SARIF above all, which carries every rule's docs) costs more than
//! reading a small input, so doing it for every input would cut the
//! executions per second several times.

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::sync::{Once, OnceLock};
use std::time::Duration;

use availcheck::model::{Diagnostic, Location, SourceKind};
use availcheck::read::{ReadError, ReadOptions, ReadOutput};
use availcheck::report::{Format, RenderOptions};
use availcheck::rules::Settings;
use availcheck::{Loaded, Report, check_loaded};

/// Which reader a target drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Format sniffing, then the matching reader (`read_bytes`).
    Sniffed,
    /// The CSV reader only.
    Csv,
    /// The Avails XML reader only.
    Xml,
}

/// One sampled input in this many is rendered in every format.
pub const RENDER_ONE_IN: u64 = 128;

/// The check time: fixed, so that reports do not change with the clock.
const AS_OF: &str = "2026-11-22T00:00:00Z";

/// The rule settings every input is checked with: the CPH profile with a
/// partner, territories and a minimum lead time, so every rule has work.
fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings {
        partner: Some("acme".into()),
        territories: Some(["US".to_string(), "GB".to_string()].into_iter().collect()),
        as_of: AS_OF.parse().expect("AS_OF is a date-time"),
        min_lead: Some(chrono::Duration::days(14)),
        ..Settings::default()
    })
}

/// The path the input is known by in reports (never opened: readers get
/// the bytes, and the human report shows XML lines from the decoded text).
fn path() -> &'static str {
    "fuzz-input"
}

/// Rayon on the calling thread only: `check_loaded` runs its rules with
/// rayon, and handing each small input to a pool thread and back costs more
/// than the rules themselves.
fn single_thread() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global();
    });
}

fn render_all() -> bool {
    static ALL: OnceLock<bool> = OnceLock::new();
    *ALL.get_or_init(|| std::env::var("AVAILCHECK_FUZZ_RENDER").is_ok_and(|v| v == "all"))
}

/// FNV-1a of the input: which inputs are rendered depends on the input only,
/// so a crash in a renderer reproduces from the input alone.
fn sampled(data: &[u8]) -> bool {
    if render_all() {
        return true;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h.is_multiple_of(RENDER_ONE_IN)
}

fn read(data: &[u8], reader: Reader) -> Result<ReadOutput, ReadError> {
    let opts = ReadOptions::default();
    match reader {
        Reader::Sniffed => availcheck::read::read_bytes(data.to_vec(), path(), 0, &opts),
        Reader::Csv => availcheck::read::csv::read(data, path(), 0, &opts),
        Reader::Xml => availcheck::read::xml::read(data, path(), 0, &opts),
    }
}

/// Reads `data` and checks it with every rule.
fn read_and_check(data: &[u8], reader: Reader) -> (Loaded, Report) {
    let loaded = vec![Loaded {
        path: path().to_string(),
        result: read(data, reader),
        elapsed: Duration::ZERO,
        role: availcheck::Role::Checked,
    }];
    let report = check_loaded(&loaded, settings());
    let loaded = loaded.into_iter().next().expect("one input");
    (loaded, report)
}

/// Reads, checks and verifies one input (see the module docs).
pub fn check(data: &[u8], reader: Reader) {
    single_thread();
    let (loaded, report) = read_and_check(data, reader);
    match &loaded.result {
        Ok(out) => Input::new(data, out).check(&report),
        Err(e) => check_error(data, e),
    }
    let (_, again) = read_and_check(data, reader);
    assert_same(&report, &again);
    if sampled(data) {
        render(&report, &again);
    }
}

/// Renders in every format; the JSON must validate and match the second read's.
fn render(report: &Report, again: &Report) {
    let opts = RenderOptions::default();
    let mut out = Vec::new();
    for &format in Format::all() {
        out.clear();
        availcheck::report::render(report, format, opts, &mut out)
            .unwrap_or_else(|e| panic!("{format:?} report is not written: {e}"));
        match format {
            Format::Json => {
                let doc: serde_json::Value =
                    serde_json::from_slice(&out).expect("the JSON report is JSON");
                let errors: Vec<String> = schema()
                    .iter_errors(&doc)
                    .map(|e| format!("{e} at {}", e.instance_path))
                    .collect();
                assert!(
                    errors.is_empty(),
                    "the JSON report does not validate against schemas/report.schema.json: {errors:#?}\n{doc:#}"
                );
                let mut second = Vec::new();
                availcheck::report::render(again, format, opts, &mut second)
                    .expect("JSON report is written");
                assert!(
                    out == second,
                    "reading the same bytes twice gave different JSON reports:\n{}\n{}",
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&second)
                );
            }
            Format::Sarif => {
                serde_json::from_slice::<serde_json::Value>(&out)
                    .expect("the SARIF report is JSON");
            }
            _ => {}
        }
    }
}

fn schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/report.schema.json"))
                .expect("the report schema is JSON");
        jsonschema::validator_for(&schema).expect("the report schema compiles")
    })
}

/// Two reports of the same bytes are the same, field by field: everything
/// the JSON report holds, and the byte spans and sort keys besides.
fn assert_same(a: &Report, b: &Report) {
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        let key = |f: &availcheck::FileReport| {
            (
                f.path.clone(),
                f.kind,
                f.template_version.clone(),
                f.sheets.clone(),
                f.rows,
                (f.errors, f.warnings, f.infos),
                f.error.clone(),
                f.role,
            )
        };
        assert_eq!(
            key(x),
            key(y),
            "reading the same bytes twice gave different file reports"
        );
    }
    assert_eq!(
        a.diagnostics.len(),
        b.diagnostics.len(),
        "reading the same bytes twice gave a different number of diagnostics"
    );
    for (x, y) in a.diagnostics.iter().zip(&b.diagnostics) {
        let key = |d: &Diagnostic| {
            (
                d.code,
                d.severity,
                d.message.clone(),
                d.help.clone(),
                d.location.clone(),
                d.related.clone(),
                d.order,
            )
        };
        assert_eq!(
            key(x),
            key(y),
            "reading the same bytes twice gave different diagnostics"
        );
    }
}

/// Newlines in the raw bytes, plus one: at least the number of lines of the
/// text in any encoding the readers decode (UTF-8, Windows-1252, UTF-16,
/// where every `\n` holds a 0x0A byte).
fn max_lines(data: &[u8]) -> usize {
    // `\r\n`, `\n` and a lone `\r` each end a line (CSV and XML alike).
    let lone_cr = data
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(data.last() == Some(&b'\r'));
    data.iter().filter(|b| **b == b'\n').count() + lone_cr + 1
}

fn check_error(data: &[u8], e: &ReadError) {
    if let ReadError::Xml { line, col, .. } = e {
        assert!(
            (*line as usize) <= max_lines(data),
            "XML error at line {line} of an input of {} lines: {e}",
            max_lines(data)
        );
        assert!(*line >= 1 && *col >= 1, "XML error at {line}:{col}: {e}");
    }
}

/// What a read input holds, to check locations against.
struct Input<'a> {
    kind: SourceKind,
    /// [`max_lines`] of the input.
    lines: usize,
    /// Per sheet name (`None` for CSV): rows read (the header row and data rows).
    rows: HashMap<Option<&'a str>, Sheet>,
    /// XML only: the text the reader parsed, and where its lines start.
    xml: Option<XmlText>,
}

#[derive(Default)]
struct Sheet {
    header_rows: HashSet<u32>,
    data_rows: HashSet<u32>,
    last_data_row: u32,
}

struct XmlText {
    text: String,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
    /// Characters before each byte offset (non-ASCII text only).
    chars_before: Option<Vec<u32>>,
}

impl XmlText {
    /// The text the XML reader parses: UTF-16 with a BOM decoded (without
    /// the BOM; an odd last byte padded with 0), else the bytes as they are
    /// (a UTF-8 BOM kept, so that spans are file offsets).
    fn new(data: &[u8]) -> Self {
        let text = if data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]) {
            let le = data[0] == 0xFF;
            let units = data[2..].chunks(2).map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .expect("UTF-16 that the XML reader read decodes")
        } else {
            String::from_utf8(data.to_vec()).expect("XML that the reader read is UTF-8")
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let chars_before = (!text.is_ascii()).then(|| {
            let mut v = vec![0u32; text.len() + 1];
            let mut n = 0;
            for (i, b) in text.bytes().enumerate() {
                v[i] = n;
                if b & 0xC0 != 0x80 {
                    n += 1;
                }
            }
            v[text.len()] = n;
            v
        });
        XmlText {
            text,
            line_starts,
            chars_before,
        }
    }

    fn lines(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|s| *s <= offset);
        let start = self.line_starts[line - 1];
        let col = match &self.chars_before {
            Some(c) => c[offset] - c[start],
            None => (offset - start) as u32,
        };
        (line as u32, col + 1)
    }
}

impl<'a> Input<'a> {
    fn new(data: &'a [u8], out: &'a ReadOutput) -> Self {
        let mut rows: HashMap<Option<&str>, Sheet> = HashMap::new();
        for s in &out.sheets {
            let sheet = rows.entry(s.info.sheet.as_deref()).or_default();
            if s.info.header_row > 0 {
                sheet.header_rows.insert(s.info.header_row);
            }
            for r in &s.rows {
                sheet.data_rows.insert(r.row);
                sheet.last_data_row = sheet.last_data_row.max(r.row);
            }
        }
        let xml = (out.source == SourceKind::Xml).then(|| XmlText::new(data));
        let input = Input {
            kind: out.source,
            lines: max_lines(data),
            rows,
            xml,
        };
        input.check_rows(out);
        input
    }

    /// The rows themselves: a CSV row is a line of the file; an XML row's
    /// Transaction position is where its span starts.
    fn check_rows(&self, out: &ReadOutput) {
        for s in &out.sheets {
            for r in &s.rows {
                if self.kind == SourceKind::Csv {
                    assert!(
                        (r.row as usize) <= self.lines,
                        "CSV data row {} of an input of {} lines",
                        r.row,
                        self.lines
                    );
                }
                if let (Some(x), Some(text)) = (r.xml(), &self.xml) {
                    let (line, col) = s.info.line_col(x);
                    self.check_span(text, x.span, line, Some(col), "an XML row's Transaction");
                    assert_eq!(
                        r.row, line,
                        "an XML row's number is not the line of its Transaction"
                    );
                }
            }
        }
    }

    fn check(&self, report: &Report) {
        let file = &report.files[0];
        assert_eq!(
            file.errors + file.warnings + file.infos,
            report.diagnostics.len(),
            "the file's counts do not add up to its diagnostics"
        );
        for d in &report.diagnostics {
            self.check_location(d, &d.location);
            for r in &d.related {
                self.check_location(d, &r.location);
            }
        }
    }

    fn check_location(&self, d: &Diagnostic, loc: &Location) {
        let what = || format!("{} {:?} at {loc:?}", d.code, d.message);
        assert_eq!(loc.file, path(), "{}: not the input's path", what());
        if let Some(cell) = &loc.cell {
            // `cell` is `column` then `row` (compared without formatting: this runs for every finding).
            let row = loc
                .column
                .as_deref()
                .and_then(|c| cell.strip_prefix(c))
                .filter(|r| r.bytes().all(|b| b.is_ascii_digit()) && !r.starts_with('0'));
            assert!(
                row.is_some() && row.and_then(|r| r.parse().ok()) == loc.row,
                "{}: the cell is not its column and row",
                what()
            );
        }
        match self.kind {
            SourceKind::Xml => {
                assert!(
                    loc.row.is_none() && loc.cell.is_none() && loc.column.is_none(),
                    "{}: an XML finding with a spreadsheet row, column or cell",
                    what()
                );
                let text = self.xml.as_ref().expect("XML text");
                if let Some(line) = loc.line {
                    assert!(
                        line >= 1 && (line as usize) <= text.lines(),
                        "{}: line {line} of a text of {} lines",
                        what(),
                        text.lines()
                    );
                }
                if let Some(span) = loc.span {
                    let line = loc
                        .line
                        .unwrap_or_else(|| panic!("{}: span without a line", what()));
                    self.check_span(text, span, line, loc.col, &what());
                }
            }
            _ => {
                // CSV findings on a row also give the line its record starts on.
                let csv_line = self.kind == SourceKind::Csv && loc.row.is_some();
                assert!(
                    (loc.line.is_none() || csv_line) && loc.col.is_none() && loc.span.is_none(),
                    "{}: an XML position in a {} input",
                    what(),
                    self.kind.as_str()
                );
                if let (Some(line), Some(row)) = (loc.line, loc.row) {
                    assert!(
                        line >= row && (line as usize) <= self.lines,
                        "{}: CSV record of row {row} starts on line {line} of {}",
                        what(),
                        self.lines
                    );
                }
                if let Some(row) = loc.row {
                    assert!(
                        self.row_is_known(d, loc.sheet.as_deref(), row),
                        "{}: row {row} is neither the header nor a data row of its sheet (rows read: {:?})",
                        what(),
                        self.rows.get(&loc.sheet.as_deref()).map(|s| {
                            let mut v: Vec<u32> =
                                s.header_rows.iter().chain(&s.data_rows).copied().collect();
                            v.sort_unstable();
                            v
                        })
                    );
                    if self.kind == SourceKind::Csv {
                        assert!(
                            (row as usize) <= self.lines,
                            "{}: CSV row {row} of an input of {} lines",
                            what(),
                            self.lines
                        );
                    }
                }
            }
        }
    }

    /// Whether `row` of `sheet` is a row the reader read: the header row or
    /// a data row; or one of the rows a reader note names on purpose:
    /// AVC002 the first empty row skipped between the header and the last
    /// data row, AVC004 row 3 (not a data row) under a row-2 header.
    fn row_is_known(&self, d: &Diagnostic, sheet: Option<&str>, row: u32) -> bool {
        let Some(s) = self.rows.get(&sheet) else {
            return false;
        };
        if s.header_rows.contains(&row) || s.data_rows.contains(&row) {
            return true;
        }
        match d.code {
            "AVC002" => s.header_rows.iter().any(|h| *h < row) && row < s.last_data_row,
            "AVC004" => row == 3 && s.header_rows.contains(&2),
            _ => false,
        }
    }

    /// A byte span is inside the text on character boundaries, and `line`
    /// and `col` are where it starts.
    fn check_span(
        &self,
        text: &XmlText,
        span: (usize, usize),
        line: u32,
        col: Option<u32>,
        what: &str,
    ) {
        let (start, end) = span;
        let len = text.text.len();
        assert!(
            start <= end && end <= len,
            "{what}: span {start}..{end} outside a text of {len} bytes"
        );
        assert!(
            text.text.is_char_boundary(start) && text.text.is_char_boundary(end),
            "{what}: span {start}..{end} splits a character"
        );
        let (l, c) = text.line_col(start);
        assert_eq!(
            (line, col.unwrap_or(c)),
            (l, c),
            "{what}: line:col is not where span {start}..{end} starts"
        );
    }
}

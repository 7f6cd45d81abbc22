//! .xlsx workbooks, read straight from their Office Open XML package (the
//! `zip` crate for the package, quick-xml for its parts):
//! * `xl/workbook.xml`: the sheets in order with their `state`, and
//!   `workbookPr date1904`; its relationships give each sheet's part;
//! * `xl/sharedStrings.xml`: the shared-string table;
//! * `xl/styles.xml`: each cell format's number format, classified as
//!   number, text, date, date-time, time of day or elapsed time;
//! * a worksheet's `<sheetData>`, streamed cell by cell from its zip entry
//!   (never inflated whole), and its `<mergeCells>`.
//!
//! `<dimension>` is ignored: cells carry their own positions (or follow the
//! previous one). Hostile parts are refused, never expanded: a DOCTYPE, an
//! undefined entity, nesting deeper than [`MAX_DEPTH`] elements, or one tag
//! or text longer than [`MAX_EVENT_BYTES`], ends the read with an
//! [`XlsxError`] naming the part. The caller bounds the inflated sizes first
//! ([`super::limits::check_zip`]).

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use rustc_hash::FxHashMap;
use zip::ZipArchive;
use zip::read::ZipFile;

use crate::model::avail::MergedRange;
use crate::model::{CellKind, column_letter};

/// Deepest element nesting accepted in a part (SpreadsheetML needs about 8).
pub const MAX_DEPTH: usize = 128;
/// Longest single tag, text or comment accepted in a part (an Excel cell
/// holds at most 32,767 characters).
pub const MAX_EVENT_BYTES: usize = 16 << 20;
/// Columns of an Excel sheet (`A` to `XFD`).
pub const MAX_COLUMNS: u32 = 16_384;
/// Rows of an Excel sheet.
pub const MAX_ROWS: u32 = 1_048_576;
/// Read buffer of a part.
const BUF_BYTES: usize = 64 << 10;

type Zip = ZipArchive<Cursor<Vec<u8>>>;
type Entry<'z> = ZipFile<'z, Cursor<Vec<u8>>>;

/// Why a package or one of its parts cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxError {
    /// The part (zip entry) at fault; empty for the package itself.
    pub part: String,
    /// What is wrong with it.
    pub message: String,
}

impl XlsxError {
    fn new(part: &str, message: impl Into<String>) -> Self {
        XlsxError {
            part: part.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.part.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "part `{}` {}", self.part, self.message)
        }
    }
}

impl std::error::Error for XlsxError {}

type Result<T> = std::result::Result<T, XlsxError>;

/// Whether a sheet shows in Excel's tab bar (`<sheet state>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SheetState {
    /// Shown (no `state`, or `state="visible"`).
    #[default]
    Visible,
    /// `state="hidden"`: unhidden from Excel's menu.
    Hidden,
    /// `state="veryHidden"`: only a macro can show it.
    VeryHidden,
}

/// One `<sheet>` of the workbook part.
#[derive(Debug, Clone)]
pub struct SheetEntry {
    /// Tab name.
    pub name: String,
    /// Hidden or shown.
    pub state: SheetState,
    /// A worksheet (cells), not a chartsheet, dialog sheet or macro sheet.
    pub is_worksheet: bool,
    /// The sheet's part in the package, when its relationship names one.
    part: Option<String>,
}

/// What a cell's number format shows a number as (ECMA-376 §18.8.30/31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum FormatClass {
    /// `General` and every number, currency, percent or fraction format.
    #[default]
    Number,
    /// `@`: text (a number typed in such a cell still shows as a number).
    Text,
    /// A calendar date without a time of day (`yyyy-mm-dd`, `dd/mm/yyyy`).
    Date,
    /// A date with a time of day (`yyyy-mm-dd hh:mm`), even at midnight.
    DateTime,
    /// A time of day (`h:mm`, `hh:mm:ss AM/PM`, `mm:ss`).
    Time,
    /// Elapsed time past 24 hours (`[h]:mm:ss`).
    Elapsed,
}

/// The workbook's shared-string table, in one buffer.
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl SharedStrings {
    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the table is empty or absent.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string at `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        Some(&self.text[start..end])
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }
}

/// An opened .xlsx package: its sheets, shared strings and number formats;
/// worksheets are read one at a time with [`Package::cells`].
pub struct Package {
    zip: Zip,
    sheets: Vec<SheetEntry>,
    date1904: bool,
    shared: SharedStrings,
    /// Each cell format's (`cellXfs` entry's) number format class.
    formats: Vec<FormatClass>,
}

impl Package {
    /// Opens a package held in memory and reads its workbook, shared
    /// strings and styles.
    pub fn open(bytes: Vec<u8>) -> Result<Package> {
        let mut zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| XlsxError::new("", format!("is not a readable zip package ({e})")))?;
        let workbook = office_document(&mut zip)?;
        let rels = relationships(&mut zip, &workbook)?;
        let (listed, date1904) = read_workbook(&mut zip, &workbook)?;
        let sheets = listed
            .into_iter()
            .map(|(name, state, id)| {
                let rel = rels.iter().find(|r| Some(&r.id) == id.as_ref());
                SheetEntry {
                    name,
                    state,
                    // A sheet without a relationship is read as a worksheet
                    // so the error names its missing part.
                    is_worksheet: rel.is_none_or(|r| r.kind == "worksheet"),
                    part: rel.map(|r| r.target.clone()),
                }
            })
            .collect();
        let part_of = |kind: &str, fallback: &str| {
            rels.iter()
                .find(|r| r.kind == kind)
                .map_or_else(|| fallback.to_string(), |r| r.target.clone())
        };
        let shared =
            read_shared_strings(&mut zip, &part_of("sharedStrings", "xl/sharedStrings.xml"))?;
        let formats = read_styles(&mut zip, &part_of("styles", "xl/styles.xml"))?;
        Ok(Package {
            zip,
            sheets,
            date1904,
            shared,
            formats,
        })
    }

    /// The workbook's sheets in tab order.
    pub fn sheets(&self) -> &[SheetEntry] {
        &self.sheets
    }

    /// True when serial dates count from 1904-01-01 (`date1904`) rather than 1900.
    pub fn date1904(&self) -> bool {
        self.date1904
    }

    /// The shared-string table.
    pub fn shared_strings(&self) -> &SharedStrings {
        &self.shared
    }

    /// The number format class of cell format `style` (a cell's `s`).
    pub fn format_class(&self, style: usize) -> FormatClass {
        self.formats.get(style).copied().unwrap_or_default()
    }

    /// Streams the cells of worksheet `sheet` (an index into [`Package::sheets`]).
    pub fn cells(&mut self, sheet: usize) -> Result<SheetCells<'_>> {
        let Package {
            zip,
            sheets,
            shared,
            formats,
            ..
        } = self;
        let (part, entry) = sheet_entry(zip, sheets, sheet)?;
        Ok(SheetCells::new(part, entry, shared, formats))
    }

    /// The merged ranges of worksheet `sheet`. `<mergeCells>` follows the
    /// cells, so this reads the sheet's part once more; a part without the
    /// word `mergeCell` (most) is only inflated and searched, not parsed.
    pub fn merged_ranges(&mut self, sheet: usize) -> Result<Vec<MergedRange>> {
        let (part, mut entry) = sheet_entry(&mut self.zip, &self.sheets, sheet)?;
        if !contains_word(&mut entry, b"mergeCell").map_err(|e| read_error(&part, &e))? {
            return Ok(Vec::new());
        }
        drop(entry);
        let (part, entry) = sheet_entry(&mut self.zip, &self.sheets, sheet)?;
        let mut xml = Xml::new(&part, BufReader::with_capacity(BUF_BYTES, entry));
        let mut out = Vec::new();
        loop {
            match xml.next()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                    // A malformed ref is skipped: merges only inform messages.
                    if let Some(range) =
                        attr(&e, "ref").ok().flatten().and_then(|r| parse_range(&r))
                    {
                        out.push(range);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The zip entry of sheet `sheet`, with its part name.
fn sheet_entry<'z>(
    zip: &'z mut Zip,
    sheets: &[SheetEntry],
    sheet: usize,
) -> Result<(String, Entry<'z>)> {
    let Some(s) = sheets.get(sheet) else {
        return Err(XlsxError::new("", format!("has no sheet {sheet}")));
    };
    let Some(part) = s.part.clone() else {
        return Err(XlsxError::new(
            "xl/_rels/workbook.xml.rels",
            format!("has no relationship for sheet `{}`", s.name),
        ));
    };
    match open_entry(zip, &part)? {
        Some(entry) => Ok((part, entry)),
        None => Err(XlsxError::new(&part, "is missing from the package")),
    }
}

fn read_error(part: &str, e: &io::Error) -> XlsxError {
    XlsxError::new(part, format!("cannot be inflated ({e})"))
}

/// True when `word` occurs in the inflated `entry` (read in chunks).
fn contains_word(entry: &mut impl Read, word: &[u8]) -> io::Result<bool> {
    let finder = memchr::memmem::Finder::new(word);
    let mut buf = vec![0u8; BUF_BYTES];
    let mut kept = 0;
    loop {
        let n = match entry.read(&mut buf[kept..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(false);
        }
        let end = kept + n;
        if finder.find(&buf[..end]).is_some() {
            return Ok(true);
        }
        // Keep a tail shorter than the word: it may continue in the next chunk.
        kept = (word.len() - 1).min(end);
        buf.copy_within(end - kept..end, 0);
    }
}

/// A zip entry by name; names are compared ignoring ASCII case when the
/// exact name is absent (OPC part names are case-insensitive).
fn open_entry<'z>(zip: &'z mut Zip, name: &str) -> Result<Option<Entry<'z>>> {
    let index = zip.index_for_name(name).or_else(|| {
        (0..zip.len()).find(|&i| {
            zip.name_for_index(i)
                .and_then(|n| n.ok())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    });
    match index {
        None => Ok(None),
        Some(i) => zip
            .by_index(i)
            .map(Some)
            .map_err(|e| XlsxError::new(name, format!("cannot be opened ({e})"))),
    }
}

/// The workbook part named by the package relationships (`_rels/.rels`),
/// `xl/workbook.xml` when they name none.
fn office_document(zip: &mut Zip) -> Result<String> {
    let rels = read_rels(zip, "_rels/.rels", "")?;
    Ok(rels
        .into_iter()
        .find(|r| r.kind == "officeDocument")
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.target))
}

/// One `<Relationship>`: its id, the last segment of its `Type`
/// (`worksheet`, `sharedStrings`, ...) and its target part.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// The relationships of `part` (from `dir/_rels/name.rels`).
fn relationships(zip: &mut Zip, part: &str) -> Result<Vec<Relationship>> {
    let (dir, name) = part.rsplit_once('/').unwrap_or(("", part));
    let rels = if dir.is_empty() {
        format!("_rels/{name}.rels")
    } else {
        format!("{dir}/_rels/{name}.rels")
    };
    read_rels(zip, &rels, dir)
}

fn read_rels(zip: &mut Zip, rels: &str, dir: &str) -> Result<Vec<Relationship>> {
    let Some(entry) = open_entry(zip, rels)? else {
        return Ok(Vec::new());
    };
    let mut xml = Xml::new(rels, BufReader::new(entry));
    let mut out = Vec::new();
    loop {
        match xml.next()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let at = |k| attr(&e, k).map_err(|m| XlsxError::new(rels, m));
                if at("TargetMode")?.is_some_and(|m| m.eq_ignore_ascii_case("External")) {
                    continue;
                }
                let (Some(id), Some(kind), Some(target)) = (at("Id")?, at("Type")?, at("Target")?)
                else {
                    continue;
                };
                out.push(Relationship {
                    id: id.into_owned(),
                    kind: kind.rsplit('/').next().unwrap_or_default().to_string(),
                    target: resolve_target(dir, &target),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// A relationship target as a package path: relative to `dir`, or from the
/// package root when it starts with `/`; `.` and `..` segments resolved.
fn resolve_target(dir: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if dir.is_empty() => target.to_string(),
        None => format!("{dir}/{target}"),
    };
    for s in joined.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

type ListedSheet = (String, SheetState, Option<String>);

/// The `<sheet>`s (name, state, relationship id) and `date1904` of the workbook part.
fn read_workbook(zip: &mut Zip, part: &str) -> Result<(Vec<ListedSheet>, bool)> {
    let Some(entry) = open_entry(zip, part)? else {
        return Err(XlsxError::new(part, "is missing from the package"));
    };
    let mut xml = Xml::new(part, BufReader::new(entry));
    let mut sheets = Vec::new();
    let mut date1904 = false;
    loop {
        match xml.next()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "workbookPr" => {
                    date1904 = attr(&e, "date1904")
                        .map_err(|m| XlsxError::new(part, m))?
                        .is_some_and(|v| is_true(&v));
                }
                "sheet" => {
                    let at = |k| attr(&e, k).map_err(|m| XlsxError::new(part, m));
                    let Some(name) = at("name")? else {
                        return Err(XlsxError::new(part, "has a <sheet> without a name"));
                    };
                    let state = match at("state")?.as_deref() {
                        Some("hidden") => SheetState::Hidden,
                        Some("veryHidden") => SheetState::VeryHidden,
                        _ => SheetState::Visible,
                    };
                    // `r:id`: the only namespaced `id` of <sheet>.
                    let id = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.prefix().is_some() && a.key.local_name().as_ref() == "id")
                        .map(|a| a.value.into_owned());
                    sheets.push((name.into_owned(), state, id));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((sheets, date1904))
}

/// The shared-string table (empty when the part is absent).
fn read_shared_strings(zip: &mut Zip, part: &str) -> Result<SharedStrings> {
    let mut table = SharedStrings::default();
    let Some(entry) = open_entry(zip, part)? else {
        return Ok(table);
    };
    let mut xml = Xml::new(part, BufReader::with_capacity(BUF_BYTES, entry));
    let (mut item, mut run) = (String::new(), String::new());
    loop {
        let is_item = match xml.next()? {
            Event::Start(e) => e.local_name().as_ref() == "si",
            Event::Empty(e) => {
                if e.local_name().as_ref() == "si" {
                    table.push("");
                }
                false
            }
            Event::Eof => break,
            _ => false,
        };
        if is_item {
            item.clear();
            xml.rich_text(&mut item, &mut run)?;
            table.push(&item);
        }
    }
    Ok(table)
}

/// Each `cellXfs` entry's number format class (empty when the part is absent).
fn read_styles(zip: &mut Zip, part: &str) -> Result<Vec<FormatClass>> {
    let Some(entry) = open_entry(zip, part)? else {
        return Ok(Vec::new());
    };
    let mut xml = Xml::new(part, BufReader::new(entry));
    let mut custom: FxHashMap<u32, FormatClass> = FxHashMap::default();
    let mut xf_formats: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match xml.next()? {
            Event::Start(e) | Event::Empty(e) => {
                let at = |k| attr(&e, k).map_err(|m| XlsxError::new(part, m));
                match e.local_name().as_ref() {
                    "numFmt" => {
                        if let (Some(id), Some(code)) = (at("numFmtId")?, at("formatCode")?)
                            && let Ok(id) = id.trim().parse::<u32>()
                        {
                            custom.insert(id, classify_format_code(&code));
                        }
                    }
                    "cellXfs" => in_cell_xfs = true,
                    "xf" if in_cell_xfs => {
                        let id = at("numFmtId")?.and_then(|v| v.trim().parse().ok());
                        xf_formats.push(id.unwrap_or(0));
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(xf_formats
        .into_iter()
        .map(|id| custom.get(&id).copied().unwrap_or(builtin_format(id)))
        .collect())
}

/// The class of a built-in number format id (ECMA-376 §18.8.30).
pub fn builtin_format(id: u32) -> FormatClass {
    match id {
        // m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy
        14..=17 => FormatClass::Date,
        // h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss
        18..=21 => FormatClass::Time,
        // m/d/yyyy h:mm
        22 => FormatClass::DateTime,
        // mm:ss, mmss.0
        45 | 47 => FormatClass::Time,
        // [h]:mm:ss
        46 => FormatClass::Elapsed,
        // @
        49 => FormatClass::Text,
        // East Asian formats vary by locale; classed as ECMA-376 lists them
        // for ja-JP: 32 and 33 are times, the rest dates.
        32 | 33 => FormatClass::Time,
        27..=31 | 34..=36 | 50..=58 => FormatClass::Date,
        _ => FormatClass::Number,
    }
}

/// The class of a number format code: its first section's date and time
/// tokens, ignoring quoted text, escaped characters (`\x`, `_x`, `*x`),
/// bracketed sections (`[Red]`, `[$-409]`, `[<100]`) except elapsed
/// `[h]`/`[m]`/`[s]`, `General`, and exponents (`E+`). `m` is a minute next
/// to `h` or `s`, else a month; `AM/PM` and `A/P` are times.
pub fn classify_format_code(code: &str) -> FormatClass {
    // Tokens: b'y' a year, era or day; b'm' a month or minute (resolved
    // below); b'h', b's'; b'n' an elapsed minute `[m]`; b'a' AM/PM.
    let mut tokens: Vec<u8> = Vec::new();
    let (mut elapsed, mut text) = (false, false);
    let mut chars = code.chars().peekable();
    let starts = |rest: &std::iter::Peekable<std::str::Chars<'_>>, word: &str| {
        let mut r = rest.clone();
        word.chars()
            .all(|w| r.next().is_some_and(|c| c.eq_ignore_ascii_case(&w)))
    };
    while let Some(c) = chars.next() {
        match c.to_ascii_lowercase() {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for b in chars.by_ref() {
                    if b == ']' {
                        break;
                    }
                    inner.push(b.to_ascii_lowercase());
                }
                let first = inner.chars().next();
                if let Some(f @ ('h' | 'm' | 's')) = first
                    && inner.chars().all(|x| x == f)
                {
                    elapsed = true;
                    tokens.push(if f == 'm' { b'n' } else { f as u8 });
                }
            }
            'g' if starts(&chars, "eneral") => {
                for _ in 0..6 {
                    chars.next();
                }
            }
            'e' if matches!(chars.peek(), Some('+' | '-')) => {
                chars.next();
            }
            'a' if starts(&chars, "m/pm") => {
                for _ in 0..4 {
                    chars.next();
                }
                tokens.push(b'a');
            }
            'a' if starts(&chars, "/p") => {
                chars.next();
                chars.next();
                tokens.push(b'a');
            }
            '@' => text = true,
            l @ ('y' | 'd' | 'e' | 'g' | 'h' | 's' | 'm') => {
                // A run of one letter is one token (`yyyy`, `mm`).
                while chars.peek().is_some_and(|n| n.eq_ignore_ascii_case(&l)) {
                    chars.next();
                }
                tokens.push(match l {
                    'y' | 'd' | 'e' | 'g' => b'y',
                    other => other as u8,
                });
            }
            _ => {}
        }
    }
    let (mut date, mut time) = (false, elapsed);
    for (i, &t) in tokens.iter().enumerate() {
        match t {
            b'y' => date = true,
            b'h' | b's' | b'n' | b'a' => time = true,
            _ => {
                let prev = tokens[..i].iter().rev().find(|&&p| p != b'a');
                let next = tokens[i + 1..].iter().find(|&&n| n != b'a');
                if prev == Some(&b'h') || next == Some(&b's') {
                    time = true;
                } else {
                    date = true;
                }
            }
        }
    }
    match (date, time) {
        (true, true) => FormatClass::DateTime,
        (true, false) => FormatClass::Date,
        (false, true) if elapsed => FormatClass::Elapsed,
        (false, true) => FormatClass::Time,
        (false, false) if text => FormatClass::Text,
        (false, false) => FormatClass::Number,
    }
}

/// The value of an attribute (entities expanded), `Err` with a message when
/// it holds an undefined entity.
fn attr<'a>(e: &'a BytesStart<'_>, key: &str) -> std::result::Result<Option<Cow<'a, str>>, String> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("has a malformed attribute ({err})"))?;
        if a.key.as_ref() == key {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(Some)
                .map_err(|err| format!("has attribute `{key}` that cannot be read ({err}); availcheck expands only the five predefined XML entities"));
        }
    }
    Ok(None)
}

/// An XML boolean (`1`, `true`).
fn is_true(v: &str) -> bool {
    matches!(v.trim(), "1" | "true")
}

/// A part's byte stream that fails once one XML event (a tag, a text, a
/// comment) runs past [`MAX_EVENT_BYTES`], so a hostile part cannot grow
/// the event buffer without bound. [`Xml::next`] resets the count.
struct Bounded<R> {
    inner: R,
    used: usize,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.used > MAX_EVENT_BYTES {
            return Err(io::Error::other(format!(
                "one tag or text runs past {MAX_EVENT_BYTES} bytes"
            )));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.used += n;
        self.inner.consume(n);
    }
}

/// One part's XML events, with the checks every part gets.
struct Xml<R> {
    reader: Reader<Bounded<R>>,
    buf: Vec<u8>,
    part: String,
    /// Elements open at the last event.
    depth: usize,
}

impl<R: BufRead> Xml<R> {
    fn new(part: &str, source: R) -> Self {
        let mut reader = Reader::from_reader(Bounded {
            inner: source,
            used: 0,
        });
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        Xml {
            reader,
            buf: Vec::with_capacity(1024),
            part: part.to_string(),
            depth: 0,
        }
    }

    /// The next event. Refuses DOCTYPEs, nesting past [`MAX_DEPTH`] and a
    /// part that ends inside an element.
    fn next(&mut self) -> Result<Event<'_>> {
        self.buf.clear();
        self.reader.get_mut().used = 0;
        let at = self.reader.buffer_position();
        match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => {
                match &event {
                    Event::Start(_) => {
                        self.depth += 1;
                        if self.depth > MAX_DEPTH {
                            return Err(XlsxError::new(
                                &self.part,
                                format!(
                                    "nests elements deeper than {MAX_DEPTH} at byte {at}; the file is malformed or hostile"
                                ),
                            ));
                        }
                    }
                    Event::End(_) => self.depth -= 1,
                    Event::DocType(_) => {
                        return Err(XlsxError::new(
                            &self.part,
                            format!(
                                "has a DOCTYPE at byte {at}; Office never writes one, and availcheck refuses DOCTYPEs and entity declarations"
                            ),
                        ));
                    }
                    Event::Eof if self.depth > 0 => {
                        return Err(XlsxError::new(
                            &self.part,
                            "ends inside an element; the file is truncated or damaged",
                        ));
                    }
                    _ => {}
                }
                Ok(event)
            }
            Err(e) => Err(XlsxError::new(
                &self.part,
                format!(
                    "is not well-formed XML at byte {} ({e})",
                    self.reader.error_position()
                ),
            )),
        }
    }

    /// Reads past the end of the element whose start was the last event.
    fn skip(&mut self) -> Result<()> {
        let depth = self.depth;
        while self.depth >= depth {
            if matches!(self.next()?, Event::Eof) {
                break;
            }
        }
        Ok(())
    }

    /// Appends the text of the element whose start was the last event
    /// (entities expanded, line ends normalized, child elements skipped)
    /// and reads past its end.
    fn text(&mut self, out: &mut String) -> Result<()> {
        let depth = self.depth;
        loop {
            let nested = self.depth > depth;
            let step = match self.next()? {
                Event::Text(t) if !nested => {
                    out.push_str(&t.xml10_content());
                    Step::Go
                }
                Event::CData(t) if !nested => {
                    out.push_str(&t.xml10_content());
                    Step::Go
                }
                Event::GeneralRef(r) if !nested => match push_ref(&r, out) {
                    Ok(()) => Step::Go,
                    Err(message) => Step::Bad(message),
                },
                Event::End(_) => Step::End,
                Event::Eof => Step::Eof,
                _ => Step::Go,
            };
            match step {
                Step::End if self.depth < depth => return Ok(()),
                Step::Eof => return Ok(()),
                Step::Bad(message) => return Err(XlsxError::new(&self.part, message)),
                _ => {}
            }
        }
    }

    /// Appends the text of the `<si>` or `<is>` whose start was the last
    /// event: its `<t>`, or its rich text runs' `<t>`s, without phonetic
    /// runs (`<rPh>`). A `<t>` without `xml:space="preserve"` loses its
    /// leading and trailing ASCII whitespace, as in Excel; `_xHHHH_` escapes
    /// are decoded. `run` is scratch space.
    fn rich_text(&mut self, out: &mut String, run: &mut String) -> Result<()> {
        let depth = self.depth;
        loop {
            let step = match self.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "t" => Step::Text(
                        attr(&e, "xml:space")
                            .ok()
                            .flatten()
                            .is_some_and(|v| v == "preserve"),
                    ),
                    // A run: its <t> comes next.
                    "r" => Step::Go,
                    // <rPh> (a phonetic run), <rPr>, <phoneticPr>, extensions.
                    _ => Step::Skip,
                },
                Event::End(_) => Step::End,
                Event::Eof => Step::Eof,
                _ => Step::Go,
            };
            match step {
                Step::Text(preserve) => {
                    run.clear();
                    self.text(run)?;
                    let kept = if preserve {
                        run.as_str()
                    } else {
                        run.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    decode_escapes(kept, out);
                }
                Step::Skip => self.skip()?,
                Step::End if self.depth < depth => return Ok(()),
                Step::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

/// What an event asks of a reading loop, found while the event borrows the buffer.
enum Step {
    Go,
    End,
    Eof,
    Skip,
    /// A `<t>`, and whether it keeps its whitespace.
    Text(bool),
    Bad(String),
}

/// Appends the character of an entity or character reference; only the
/// five predefined entities exist in Office parts.
fn push_ref(r: &BytesRef<'_>, out: &mut String) -> std::result::Result<(), String> {
    let c = if r.is_char_ref() {
        match r.resolve_char_ref() {
            Ok(Some(c)) => c,
            _ => {
                return Err(format!(
                    "has `&{};`, which is not a valid character reference",
                    &**r
                ));
            }
        }
    } else {
        match &**r {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            other => {
                return Err(format!(
                    "has the undefined entity `&{other};`; availcheck expands only the five predefined XML entities"
                ));
            }
        }
    };
    out.push(c);
    Ok(())
}

/// Appends `s` with Excel's `_xHHHH_` escapes decoded (a UTF-16 unit each,
/// so characters past U+FFFF come as a surrogate pair; `_x005F_` is `_`).
/// A lone surrogate becomes U+FFFD.
pub fn decode_escapes(s: &str, out: &mut String) {
    let unit_at = |s: &str, i: usize| -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = s[i..].find("_x") {
        let at = i + found;
        let Some(unit) = unit_at(s, at) else {
            i = at + 2;
            continue;
        };
        out.push_str(&s[copied..at]);
        let mut next = at + 7;
        let c = match unit {
            0xD800..=0xDBFF => match unit_at(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(code)
                }
                _ => None,
            },
            u => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        i = next;
    }
    out.push_str(&s[copied..]);
}

/// A cell's value as stored, before it is rendered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellValue<'c> {
    /// No value (a formula without a cached result).
    Empty,
    /// `t="s"`: entry `index` of the shared-string table, and its text.
    Shared(usize, &'c str),
    /// `t="str"` (a formula's text result) or `t="inlineStr"`.
    Text(&'c str),
    /// A number, with the class of the cell's number format.
    Number(f64, FormatClass),
    /// `t="b"`.
    Bool(bool),
    /// `t="e"`: an error value as written (`#N/A`, `#REF!`, ...).
    Error(&'c str),
    /// `t="d"`: an ISO 8601 date or date-time.
    Iso(&'c str),
}

/// One cell of a worksheet.
#[derive(Debug, Clone, Copy)]
pub struct XlsxCell<'c> {
    /// 1-based row.
    pub row: u32,
    /// 0-based column.
    pub column: u32,
    /// Its row is hidden (`<row hidden="1">`).
    pub row_hidden: bool,
    /// The value, or its cached result for a formula.
    pub value: CellValue<'c>,
    /// The formula, without its leading `=`, when the cell holds one.
    pub formula: Option<&'c str>,
}

/// Where the cell stream is in the sheet part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    BeforeData,
    InData,
    InRow,
    Done,
}

/// `<c t>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellType {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    Date,
    Unknown,
}

/// What a start tag of the sheet part means at the stream's place.
enum Tag {
    Worksheet,
    SheetData,
    Row {
        r: Option<u32>,
        hidden: bool,
    },
    Cell {
        r: Option<(u32, Option<u32>)>,
        style: usize,
        kind: CellType,
    },
    Other,
}

/// `<f>` attributes.
#[derive(Default)]
struct FormulaAttrs {
    shared: bool,
    data_table: bool,
    si: Option<u32>,
    has_ref: bool,
    r1: Option<String>,
    r2: Option<String>,
}

/// A shared formula's anchor: its text and cell.
struct SharedFormula {
    text: String,
    row: u32,
    column: u32,
}

/// The cells of one worksheet, streamed from its part in file order; blank
/// cells (no value, no formula) are left out.
pub struct SheetCells<'p> {
    xml: Xml<BufReader<Entry<'p>>>,
    shared: &'p SharedStrings,
    formats: &'p [FormatClass],
    place: Place,
    /// The current `<row>`'s number and hidden flag.
    row: u32,
    row_hidden: bool,
    /// The column of the next cell without `r`.
    next_column: u32,
    value: String,
    formula: String,
    scratch: String,
    shared_formulas: FxHashMap<u32, SharedFormula>,
}

impl<'p> SheetCells<'p> {
    fn new(
        part: String,
        entry: Entry<'p>,
        shared: &'p SharedStrings,
        formats: &'p [FormatClass],
    ) -> Self {
        SheetCells {
            xml: Xml::new(&part, BufReader::with_capacity(BUF_BYTES, entry)),
            shared,
            formats,
            place: Place::BeforeData,
            row: 0,
            row_hidden: false,
            next_column: 0,
            value: String::new(),
            formula: String::new(),
            scratch: String::new(),
            shared_formulas: FxHashMap::default(),
        }
    }

    fn error(&self, message: impl Into<String>) -> XlsxError {
        XlsxError::new(&self.xml.part, message)
    }

    /// The next cell holding a value or a formula; `None` after `</sheetData>`.
    pub fn next_cell(&mut self) -> Result<Option<XlsxCell<'_>>> {
        loop {
            if self.place == Place::Done {
                return Ok(None);
            }
            let place = self.place;
            let (tag, empty) = match self.xml.next()? {
                Event::Start(e) => (tag(&e, place), false),
                Event::Empty(e) => (tag(&e, place), true),
                Event::End(_) => {
                    self.place = match self.place {
                        Place::InRow => Place::InData,
                        _ => Place::Done,
                    };
                    continue;
                }
                Event::Eof => {
                    self.place = Place::Done;
                    continue;
                }
                _ => continue,
            };
            match tag {
                Tag::Worksheet => {}
                Tag::SheetData => {
                    self.place = if empty { Place::Done } else { Place::InData };
                }
                Tag::Row { r, hidden } => {
                    self.row = match r {
                        Some(r) => r,
                        None => self.row + 1,
                    };
                    if self.row == 0 || self.row > MAX_ROWS {
                        return Err(self.error(format!(
                            "has a row numbered {} outside Excel's 1 to {MAX_ROWS}",
                            self.row
                        )));
                    }
                    self.row_hidden = hidden;
                    self.next_column = 0;
                    if !empty {
                        self.place = Place::InRow;
                    }
                }
                Tag::Cell { r, style, kind } => {
                    let (column, row) = match r {
                        Some((column, row)) => (column, row.unwrap_or(self.row)),
                        None => (self.next_column, self.row),
                    };
                    if column >= MAX_COLUMNS || row == 0 || row > MAX_ROWS {
                        return Err(self.error(format!(
                            "has a cell outside Excel's grid (row {row}, column {})",
                            column + 1
                        )));
                    }
                    // A row without `r` takes the number its cells give.
                    self.row = row;
                    self.next_column = column + 1;
                    if empty {
                        continue;
                    }
                    self.read_cell(row, column, kind)?;
                    // Blank cells are left out (decided before the value
                    // borrows `self` for the return).
                    if self.formula.is_empty() && self.value.trim().is_empty() {
                        continue;
                    }
                    let value = self.value_of(row, column, style, kind)?;
                    let formula = (!self.formula.is_empty()).then_some(self.formula.as_str());
                    return Ok(Some(XlsxCell {
                        row,
                        column,
                        row_hidden: self.row_hidden,
                        value,
                        formula,
                    }));
                }
                Tag::Other => {
                    if !empty {
                        self.xml.skip()?;
                    }
                }
            }
        }
    }

    /// Reads a cell's children (its start was the last event): its value
    /// (`<v>` or `<is>`) into `value`, its formula into `formula`.
    fn read_cell(&mut self, row: u32, column: u32, kind: CellType) -> Result<()> {
        self.value.clear();
        self.formula.clear();
        self.scratch.clear();
        let mut formula: Option<FormulaAttrs> = None;
        loop {
            enum Child {
                Value,
                Inline,
                Formula(FormulaAttrs, bool),
                Skip,
            }
            let child = match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "v" => Child::Value,
                    "is" => Child::Inline,
                    "f" => Child::Formula(formula_attrs(&e), false),
                    _ => Child::Skip,
                },
                Event::Empty(e) if e.local_name().as_ref() == "f" => {
                    Child::Formula(formula_attrs(&e), true)
                }
                Event::End(_) => break,
                Event::Eof => return Err(self.error("ends inside a cell")),
                _ => continue,
            };
            match child {
                Child::Value => {
                    self.value.clear();
                    self.xml.text(&mut self.value)?;
                    if kind == CellType::Str {
                        self.scratch.clear();
                        decode_escapes(&self.value, &mut self.scratch);
                        std::mem::swap(&mut self.scratch, &mut self.value);
                    }
                }
                Child::Inline => {
                    self.value.clear();
                    self.xml.rich_text(&mut self.value, &mut self.scratch)?;
                }
                Child::Formula(attrs, empty) => {
                    self.formula.clear();
                    if !empty {
                        self.xml.text(&mut self.formula)?;
                    }
                    formula = Some(attrs);
                }
                Child::Skip => self.xml.skip()?,
            }
        }
        if let Some(attrs) = formula {
            self.resolve_formula(attrs, row, column);
        }
        Ok(())
    }

    /// Completes `formula`: a shared formula's anchor is remembered, a
    /// dependent gets its anchor's text moved to its own cell (or a
    /// placeholder when the anchor was not seen); a data table gets `TABLE()`.
    fn resolve_formula(&mut self, attrs: FormulaAttrs, row: u32, column: u32) {
        if attrs.data_table {
            self.formula = format!(
                "TABLE({},{})",
                attrs.r1.unwrap_or_default(),
                attrs.r2.unwrap_or_default()
            );
            return;
        }
        if !attrs.shared {
            return;
        }
        let Some(si) = attrs.si else {
            return;
        };
        if attrs.has_ref && !self.formula.is_empty() {
            self.shared_formulas.insert(
                si,
                SharedFormula {
                    text: self.formula.clone(),
                    row,
                    column,
                },
            );
            return;
        }
        if !self.formula.is_empty() {
            return;
        }
        match self.shared_formulas.get(&si) {
            Some(anchor) => shift_formula(
                &anchor.text,
                i64::from(row) - i64::from(anchor.row),
                i64::from(column) - i64::from(anchor.column),
                &mut self.formula,
            ),
            None => {
                self.formula = format!("(shared formula {si}; its first cell was not found)");
            }
        }
    }

    /// The cell's value from the text read by [`SheetCells::read_cell`].
    fn value_of(
        &self,
        row: u32,
        column: u32,
        style: usize,
        kind: CellType,
    ) -> Result<CellValue<'_>> {
        let v = self.value.as_str();
        Ok(match kind {
            CellType::Shared => {
                let v = v.trim();
                if v.is_empty() {
                    return Ok(CellValue::Empty);
                }
                let text = v
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| Some((i, self.shared.get(i)?)));
                match text {
                    Some((i, text)) => CellValue::Shared(i, text),
                    None => {
                        return Err(XlsxError::new(
                            &self.xml.part,
                            format!(
                                "has cell {}{row} pointing to shared string `{v}`, but the table holds {} strings",
                                column_letter(column as usize),
                                self.shared.len()
                            ),
                        ));
                    }
                }
            }
            CellType::Str | CellType::Inline => CellValue::Text(v),
            CellType::Bool => match v.trim() {
                "" => CellValue::Empty,
                "1" | "true" | "TRUE" => CellValue::Bool(true),
                "0" | "false" | "FALSE" => CellValue::Bool(false),
                other => {
                    return Err(XlsxError::new(
                        &self.xml.part,
                        format!(
                            "has boolean cell {}{row} holding `{other}` (not 0 or 1)",
                            column_letter(column as usize)
                        ),
                    ));
                }
            },
            CellType::Error if v.trim().is_empty() => CellValue::Empty,
            CellType::Error => CellValue::Error(v.trim()),
            CellType::Date if v.trim().is_empty() => CellValue::Empty,
            CellType::Date => CellValue::Iso(v.trim()),
            CellType::Number => {
                let t = v.trim();
                if t.is_empty() {
                    CellValue::Empty
                } else {
                    match t.parse::<f64>() {
                        Ok(n) if n.is_finite() => CellValue::Number(
                            n,
                            self.formats.get(style).copied().unwrap_or_default(),
                        ),
                        // Not a number: shown as written.
                        _ => CellValue::Text(v),
                    }
                }
            }
            CellType::Unknown => {
                return Err(XlsxError::new(
                    &self.xml.part,
                    format!(
                        "has cell {}{row} of an unknown type",
                        column_letter(column as usize)
                    ),
                ));
            }
        })
    }
}

/// What start tag `e` means at `place` (attributes read only for rows and cells).
fn tag(e: &BytesStart<'_>, place: Place) -> Tag {
    let name = e.local_name();
    match (place, name.as_ref()) {
        (Place::BeforeData, "worksheet") => Tag::Worksheet,
        (Place::BeforeData, "sheetData") => Tag::SheetData,
        (Place::InData, "row") => {
            let (mut r, mut hidden) = (None, false);
            for a in e.attributes().with_checks(false).flatten() {
                match a.key.as_ref() {
                    "r" => r = a.value.trim().parse().ok(),
                    "hidden" => hidden = is_true(&a.value),
                    _ => {}
                }
            }
            Tag::Row { r, hidden }
        }
        (Place::InRow, "c") => {
            let (mut r, mut style, mut kind) = (None, 0, CellType::Number);
            for a in e.attributes().with_checks(false).flatten() {
                match a.key.as_ref() {
                    "r" => r = parse_cell_ref(&a.value),
                    "s" => style = a.value.trim().parse().unwrap_or(0),
                    "t" => {
                        kind = match &*a.value {
                            "s" => CellType::Shared,
                            "n" => CellType::Number,
                            "str" => CellType::Str,
                            "inlineStr" => CellType::Inline,
                            "b" => CellType::Bool,
                            "e" => CellType::Error,
                            "d" => CellType::Date,
                            _ => CellType::Unknown,
                        }
                    }
                    _ => {}
                }
            }
            Tag::Cell { r, style, kind }
        }
        _ => Tag::Other,
    }
}

fn formula_attrs(e: &BytesStart<'_>) -> FormulaAttrs {
    let mut f = FormulaAttrs::default();
    for a in e.attributes().with_checks(false).flatten() {
        match a.key.as_ref() {
            "t" => {
                f.shared = &*a.value == "shared";
                f.data_table = &*a.value == "dataTable";
            }
            "si" => f.si = a.value.trim().parse().ok(),
            "ref" => f.has_ref = true,
            "r1" => f.r1 = Some(a.value.into_owned()),
            "r2" => f.r2 = Some(a.value.into_owned()),
            _ => {}
        }
    }
    f
}

/// A cell reference `B7` (or `B`, `$B$7`): 0-based column and 1-based row.
pub fn parse_cell_ref(s: &str) -> Option<(u32, Option<u32>)> {
    let s = s.trim().as_bytes();
    let mut i = 0;
    if s.first() == Some(&b'$') {
        i += 1;
    }
    let mut column: u32 = 0;
    let letters = i;
    while let Some(&c) = s.get(i).filter(|c| c.is_ascii_alphabetic()) {
        column = column
            .checked_mul(26)?
            .checked_add(u32::from(c.to_ascii_uppercase() - b'A') + 1)?;
        if column > MAX_COLUMNS {
            return None;
        }
        i += 1;
    }
    if i == letters {
        return None;
    }
    if s.get(i) == Some(&b'$') {
        i += 1;
    }
    if i == s.len() {
        return Some((column - 1, None));
    }
    let row: u32 = std::str::from_utf8(&s[i..]).ok()?.parse().ok()?;
    Some((column - 1, Some(row)))
}

/// A `<mergeCell ref>` (`A1:C2`, or one cell).
fn parse_range(s: &str) -> Option<MergedRange> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (c1, r1) = parse_cell_ref(a)?;
    let (c2, r2) = parse_cell_ref(b)?;
    let (r1, r2) = (r1?, r2?);
    Some(MergedRange {
        first_row: r1.min(r2),
        last_row: r1.max(r2),
        first_column: c1.min(c2),
        last_column: c1.max(c2),
    })
}

/// Writes `template` (a shared formula's text at its first cell) as it
/// reads `rows` down and `columns` right: relative cell, column and row
/// references move, `$`-fixed parts do not; text in quotes, quoted sheet
/// names, brackets and function names are copied as they are. A
/// reference moved off the grid becomes `#REF!`.
pub fn shift_formula(template: &str, rows: i64, columns: i64, out: &mut String) {
    out.clear();
    let mut token = String::new();
    let mut chars = template.chars().peekable();
    let flush = |token: &mut String, out: &mut String, next: Option<char>| {
        if !token.is_empty() {
            if next == Some('(') {
                out.push_str(token);
            } else {
                shift_reference(token, rows, columns, out);
            }
            token.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || matches!(c, '$' | ':' | '_' | '.') {
            token.push(c);
            continue;
        }
        flush(&mut token, out, Some(c));
        out.push(c);
        match c {
            '"' | '\'' => {
                // Up to the closing quote; a doubled quote is two toggles.
                for q in chars.by_ref() {
                    out.push(q);
                    if q == c {
                        break;
                    }
                }
            }
            '[' => {
                let mut depth = 1;
                for q in chars.by_ref() {
                    out.push(q);
                    match q {
                        '[' => depth += 1,
                        ']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    flush(&mut token, out, None);
}

/// One token of a formula: moved when it is a cell reference (`B7`,
/// `$B7`), or a range of cells, whole columns (`B:D`) or whole rows (`3:5`);
/// copied otherwise.
fn shift_reference(token: &str, rows: i64, columns: i64, out: &mut String) {
    #[derive(PartialEq)]
    enum Kind {
        Cell,
        Column,
        Row,
    }
    // (fixed column, column, fixed row, row)
    type Part = (bool, Option<i64>, bool, Option<i64>);
    let parse = |s: &str| -> Option<(Kind, Part)> {
        let b = s.as_bytes();
        let mut i = 0;
        let col_fixed = b.first() == Some(&b'$');
        i += usize::from(col_fixed);
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
        }
        let letters = &s[start..i];
        let row_fixed = b.get(i) == Some(&b'$');
        i += usize::from(row_fixed);
        let digits = &s[i..];
        if !digits.bytes().all(|d| d.is_ascii_digit()) {
            return None;
        }
        let column = if letters.is_empty() {
            None
        } else if letters.len() <= 3 {
            Some(i64::from(parse_cell_ref(letters)?.0))
        } else {
            return None;
        };
        let row = if digits.is_empty() {
            None
        } else {
            Some(digits.parse::<i64>().ok()?)
        };
        let kind = match (column, row) {
            (Some(_), Some(_)) => Kind::Cell,
            (Some(_), None) if !row_fixed => Kind::Column,
            (None, Some(_)) if !col_fixed || letters.is_empty() => Kind::Row,
            _ => return None,
        };
        Some((kind, (col_fixed, column, row_fixed, row)))
    };
    let write = |(col_fixed, column, row_fixed, row): Part, out: &mut String| -> bool {
        if let Some(c) = column {
            let c = if col_fixed { c } else { c + columns };
            if !(0..i64::from(MAX_COLUMNS)).contains(&c) {
                return false;
            }
            if col_fixed {
                out.push('$');
            }
            out.push_str(&column_letter(c as usize));
        }
        if let Some(r) = row {
            let r = if row_fixed { r } else { r + rows };
            if !(1..=i64::from(MAX_ROWS)).contains(&r) {
                return false;
            }
            if row_fixed {
                out.push('$');
            }
            out.push_str(&r.to_string());
        }
        true
    };
    let parts: Vec<&str> = token.split(':').collect();
    let parsed: Option<Vec<(Kind, Part)>> = match parts.len() {
        1 => parse(parts[0])
            .filter(|(k, _)| *k == Kind::Cell)
            .map(|p| vec![p]),
        2 => match (parse(parts[0]), parse(parts[1])) {
            (Some(a), Some(b)) if a.0 == b.0 => Some(vec![a, b]),
            _ => None,
        },
        _ => None,
    };
    let Some(parsed) = parsed else {
        out.push_str(token);
        return;
    };
    let mark = out.len();
    for (i, (_, part)) in parsed.into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        if !write(part, out) {
            out.truncate(mark);
            out.push_str("#REF!");
            return;
        }
    }
}

/// A number as it shows in a cell of format class `class`: dates as
/// `YYYY-MM-DD`, date-times as `YYYY-MM-DDTHH:MM:SS` (midnight included),
/// times of day as `HH:MM:SS`, elapsed times as `H:MM:SS` past 24 hours;
/// anything else as a plain number. Serials are rounded to the second.
/// Serials under 1 in the 1900 date system are no date (day 0 is
/// `1900-01-00`) and show as times; serials off the calendar as numbers.
pub fn render_number(value: f64, class: FormatClass, date1904: bool) -> (String, CellKind) {
    let number = || (format_number(value), CellKind::Number);
    let seconds = (value * 86_400.0).round();
    if !seconds.is_finite() || seconds.abs() > 1e15 {
        return number();
    }
    let seconds = seconds as i64;
    let clock = |s: i64| format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
    match class {
        FormatClass::Number | FormatClass::Text => number(),
        FormatClass::Elapsed if seconds < 0 => (format!("-{}", clock(-seconds)), CellKind::Time),
        FormatClass::Elapsed => (clock(seconds), CellKind::Time),
        FormatClass::Time if seconds < 0 => number(),
        FormatClass::Time => (clock(seconds.rem_euclid(86_400)), CellKind::Time),
        FormatClass::Date | FormatClass::DateTime => {
            if !date1904 && (0.0..1.0).contains(&value) {
                return (clock(seconds.min(86_399)), CellKind::Time);
            }
            let Some((y, m, d)) = serial_date(seconds.div_euclid(86_400), date1904) else {
                return number();
            };
            if class == FormatClass::Date {
                (format!("{y:04}-{m:02}-{d:02}"), CellKind::Date)
            } else {
                let s = seconds.rem_euclid(86_400);
                (
                    format!("{y:04}-{m:02}-{d:02}T{}", clock(s)),
                    CellKind::DateTime,
                )
            }
        }
    }
}

/// The calendar date of serial day `day`: in the 1900 system day 1 is
/// 1900-01-01 and day 60 the 1900-02-29 Excel keeps from Lotus 1-2-3; in
/// the 1904 system day 0 is 1904-01-01. `None` before day 1 (day 0 in
/// 1904) and after 9999-12-31.
fn serial_date(day: i64, date1904: bool) -> Option<(i64, u32, u32)> {
    // Days from 1899-12-30 (the epoch that makes day 61 1900-03-01).
    let from_1899_12_30 = if date1904 {
        day + 1462
    } else if day == 60 {
        return Some((1900, 2, 29));
    } else if day < 60 {
        day + 1
    } else {
        day
    };
    if !(2..=2_958_465).contains(&from_1899_12_30) {
        return None;
    }
    // Howard Hinnant's civil_from_days, from 1970-01-01.
    let z = from_1899_12_30 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some((y, m, d))
}

/// A number as Excel's `General` format shows it when it fits: integers
/// without a decimal point, others with the fewest digits that round-trip.
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

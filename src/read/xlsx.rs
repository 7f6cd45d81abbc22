//! .xlsx workbooks, read straight from their Office Open XML package with
//! the `zip` crate:
//! * `xl/workbook.xml`: the sheets in order with their `state`, and
//!   `workbookPr date1904`; its relationships give each sheet's part;
//! * `xl/sharedStrings.xml`: the shared-string table;
//! * `xl/styles.xml`: each cell format's number format, classified as
//!   number, text, date, date-time, time of day or elapsed time;
//! * a worksheet's `<sheetData>`, streamed cell by cell from its zip entry
//!   (never inflated whole), and its `<mergeCells>`.
//!
//! The small structural parts (workbook, relationships, styles, what
//! follows a sheet's cells) are parsed with quick-xml; the big regular ones
//! (the cells, the shared strings) with [`Scanner`], a chunked tokenizer
//! that costs a fraction of quick-xml's per-event price.
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
    /// `state="hidden"`: shown again from Excel's Unhide menu.
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
    /// The sheet's part in the package, or, when no relationship names
    /// one, the relationships part that should.
    part: std::result::Result<String, String>,
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
                    part: rel
                        .map(|r| r.target.clone())
                        .ok_or_else(|| rels_part(&workbook)),
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
    /// cells, so this inflates the sheet's part once more, keeps only what
    /// follows `</sheetData>` (a few elements) and parses that when it
    /// mentions `mergeCell`.
    pub fn merged_ranges(&mut self, sheet: usize) -> Result<Vec<MergedRange>> {
        let (part, mut entry) = sheet_entry(&mut self.zip, &self.sheets, sheet)?;
        let tail = after_sheet_data(&mut entry).map_err(|e| XlsxError::new(&part, e))?;
        let Some(tail) = tail.filter(|t| memchr::memmem::find(t, b"mergeCell").is_some()) else {
            return Ok(Vec::new());
        };
        let text = std::str::from_utf8(&tail)
            .map_err(|_| XlsxError::new(&part, "has text that is not UTF-8 after its cells"))?;
        let mut reader = Reader::from_str(text);
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        // The tail starts inside <worksheet>: its end tag closes nothing seen.
        cfg.allow_unmatched_ends = true;
        let mut out = Vec::new();
        loop {
            let event = reader.read_event().map_err(|e| {
                XlsxError::new(
                    &part,
                    format!("is not well-formed XML after its cells ({e})"),
                )
            })?;
            match event {
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

/// What follows the worksheet's `</sheetData>` (or `<sheetData/>`) in
/// `entry`, read in chunks; `None` when the part has no sheet data.
fn after_sheet_data(entry: &mut impl Read) -> std::result::Result<Option<Vec<u8>>, String> {
    // Longest tag looked for, with a namespace prefix and spaces.
    const OVERLAP: usize = 64;
    let mut chunk = vec![0u8; BUF_BYTES];
    // Until the end of the sheet data is found: the last bytes read, for a
    // tag cut by a chunk's end; then everything after it.
    let mut carry: Vec<u8> = Vec::new();
    let mut tail: Option<Vec<u8>> = None;
    loop {
        let n = match entry.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot be inflated ({e})")),
        };
        let data = &chunk[..n];
        match &mut tail {
            Some(tail) => {
                let from = tail.len().saturating_sub(OVERLAP);
                tail.extend_from_slice(data);
                if let Some(end) = sheet_data_end(&tail[from..]) {
                    tail.drain(..from + end);
                }
                if tail.len() > MAX_EVENT_BYTES {
                    return Err(format!(
                        "has more than {MAX_EVENT_BYTES} bytes after its cells; the file is malformed or hostile"
                    ));
                }
            }
            None => {
                let joint_len = carry.len();
                carry.extend_from_slice(&data[..n.min(OVERLAP)]);
                let end = sheet_data_end(data)
                    .or_else(|| sheet_data_end(&carry).and_then(|e| e.checked_sub(joint_len)));
                if let Some(end) = end {
                    tail = Some(data[end..].to_vec());
                }
                // The last bytes of all read so far.
                if n >= OVERLAP {
                    carry.clear();
                    carry.extend_from_slice(&data[n - OVERLAP..]);
                } else {
                    carry.drain(..carry.len().saturating_sub(OVERLAP));
                }
            }
        }
    }
    Ok(tail)
}

/// Where the last `</sheetData>` or `<sheetData/>` in `text` ends (a
/// namespace prefix and spaces allowed).
fn sheet_data_end(text: &[u8]) -> Option<usize> {
    let name = b"sheetData";
    let mut last = None;
    for at in memchr::memmem::find_iter(text, name) {
        // Back over a prefix (`x:`) to the `<` or `</`.
        let mut start = at;
        if start > 0 && text[start - 1] == b':' {
            start -= 1;
            while start > 0 && text[start - 1].is_ascii_alphanumeric() {
                start -= 1;
            }
        }
        let closing = text[..start].ends_with(b"</");
        if !closing && !text[..start].ends_with(b"<") {
            continue;
        }
        let mut end = at + name.len();
        while text.get(end).is_some_and(u8::is_ascii_whitespace) {
            end += 1;
        }
        match (closing, text.get(end), text.get(end + 1)) {
            (true, Some(b'>'), _) => last = Some(end + 1),
            (false, Some(b'/'), Some(b'>')) => last = Some(end + 2),
            _ => {}
        }
    }
    last
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
    let part = match &s.part {
        Ok(part) => part.clone(),
        Err(rels) => {
            return Err(XlsxError::new(
                rels,
                format!("has no relationship for sheet `{}`", s.name),
            ));
        }
    };
    match open_entry(zip, &part)? {
        Some(entry) => Ok((part, entry)),
        None => Err(XlsxError::new(&part, "is missing from the package")),
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

/// The relationships part of `part` (`dir/_rels/name.rels`).
fn rels_part(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The relationships of `part`.
fn relationships(zip: &mut Zip, part: &str) -> Result<Vec<Relationship>> {
    let dir = part.rsplit_once('/').map_or("", |(dir, _)| dir);
    read_rels(zip, &rels_part(part), dir)
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
    let mut in_sheets = false;
    loop {
        match xml.next()? {
            Event::Start(e) if e.local_name().as_ref() == "sheets" => in_sheets = true,
            Event::End(e) if e.local_name().as_ref() == "sheets" => in_sheets = false,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "workbookPr" => {
                    date1904 = attr(&e, "date1904")
                        .map_err(|m| XlsxError::new(part, m))?
                        .is_some_and(|v| is_true(&v));
                }
                "sheet" if in_sheets => {
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
    let mut xml = Scanner::new(part, entry);
    let (mut item, mut run) = (String::new(), String::new());
    loop {
        match xml.next()? {
            Tok::Start { name, empty, .. } if xml.bytes(name) == b"si" => {
                item.clear();
                if !empty {
                    xml.rich_text(&mut item, &mut run)?;
                }
                table.push(&item);
            }
            Tok::Eof => break,
            _ => {}
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
                    // Checked wherever they are, read or not.
                    Event::GeneralRef(r) => {
                        if let Err(message) = push_ref(r, &mut String::new()) {
                            return Err(XlsxError::new(&self.part, message));
                        }
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
}

/// Appends the character of an entity or character reference; only the
/// five predefined entities exist in Office parts.
fn push_ref(r: &BytesRef<'_>, out: &mut String) -> std::result::Result<(), String> {
    out.push(resolve_reference(r)?);
    Ok(())
}

/// The character of reference `&name;`: one of the five predefined
/// entities, or a character reference (`#38`, `#x26`).
fn resolve_reference(name: &str) -> std::result::Result<char, String> {
    let c = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => match name.strip_prefix('#') {
            Some(num) => {
                let code = match num.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                let c = code.and_then(char::from_u32).filter(|&c| c != '\0');
                if c.is_none() {
                    return Err(format!(
                        "has `&{name};`, which is not a valid character reference"
                    ));
                }
                c
            }
            None => None,
        },
    };
    c.ok_or_else(|| {
        format!(
            "has the undefined entity `&{name};`; availcheck expands only the five predefined XML entities"
        )
    })
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

/// A place in a [`Scanner`]'s buffer, valid until its next token.
type Span = (usize, usize);

/// A token of [`Scanner`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A start tag: its local name and its attributes; `empty` for `<x/>`.
    Start {
        name: Span,
        attrs: Span,
        empty: bool,
    },
    /// An end tag (its name is the open element's).
    End,
    /// Character data as written (references not yet expanded).
    Text(Span),
    /// A CDATA section's content.
    CData(Span),
    /// The end of the part.
    Eof,
}

/// A streaming XML tokenizer for the big, regular parts: a worksheet's
/// cells and the shared strings. quick-xml spends about 450 instructions
/// on an event, and a cell is five events; this reads the part in chunks
/// from its zip entry and hands out positions in its buffer, never copying
/// a token. It knows tags, attributes, text, entity and character
/// references, CDATA, comments and processing instructions; it refuses a
/// DOCTYPE, checks that end tags match their start, and bounds nesting
/// ([`MAX_DEPTH`]) and the size of one token ([`MAX_EVENT_BYTES`]). Text
/// is checked to be UTF-8 and its references resolved when it is read.
struct Scanner<R> {
    src: R,
    part: String,
    buf: Vec<u8>,
    /// The next unread byte, and the end of the bytes read.
    pos: usize,
    len: usize,
    /// The source is read to its end.
    eof: bool,
    /// The part's offset of `buf[0]`.
    base: u64,
    /// The open elements' names, back to back, and where each starts.
    names: Vec<u8>,
    starts: Vec<usize>,
    /// Nothing was read yet (a byte order mark may come).
    fresh: bool,
}

impl<R: Read> Scanner<R> {
    fn new(part: &str, src: R) -> Self {
        Scanner {
            src,
            part: part.to_string(),
            buf: vec![0; BUF_BYTES],
            pos: 0,
            len: 0,
            eof: false,
            base: 0,
            names: Vec::new(),
            starts: Vec::new(),
            fresh: true,
        }
    }

    fn error(&self, message: impl Into<String>) -> XlsxError {
        XlsxError::new(&self.part, message)
    }

    /// The part's offset of the next unread byte.
    fn at(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Elements open.
    fn depth(&self) -> usize {
        self.starts.len()
    }

    /// The bytes of a span.
    fn bytes(&self, span: Span) -> &[u8] {
        &self.buf[span.0..span.1]
    }

    /// Reads more of the part, keeping the unread bytes; false at its end.
    fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.base += self.pos as u64;
            self.len -= self.pos;
            self.pos = 0;
        }
        // Bytes left unread here are one token cut off by the buffer's end.
        if self.len >= MAX_EVENT_BYTES {
            return Err(self.error(format!(
                "has one tag or text that runs past {MAX_EVENT_BYTES} bytes at byte {}",
                self.base
            )));
        }
        if self.len == self.buf.len() {
            self.buf
                .resize((self.buf.len() * 2).min(MAX_EVENT_BYTES), 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.error(format!("cannot be inflated ({e})"))),
            }
        }
    }

    /// Reads more for markup cut off at the end of the buffer.
    fn more(&mut self) -> Result<Option<Tok>> {
        // At the part's end the markup is looked at once more, then refused.
        if self.eof {
            return Err(self.error(format!(
                "ends inside markup that starts at byte {}; the file is truncated or damaged",
                self.at()
            )));
        }
        self.fill()?;
        Ok(None)
    }

    /// The next token; comments, processing instructions and the XML
    /// declaration are passed over.
    fn next(&mut self) -> Result<Tok> {
        if self.fresh {
            self.fresh = false;
            while self.len < 3 && self.fill()? {}
            let head = &self.buf[..self.len];
            if head.starts_with(b"\xEF\xBB\xBF") {
                self.pos = 3;
            } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
                return Err(
                    self.error("is UTF-16; availcheck reads UTF-8 parts (as Excel writes them)")
                );
            }
        }
        loop {
            if self.pos == self.len && !self.fill()? {
                if !self.starts.is_empty() {
                    return Err(
                        self.error("ends inside an element; the file is truncated or damaged")
                    );
                }
                return Ok(Tok::Eof);
            }
            let rest = &self.buf[self.pos..self.len];
            if rest[0] != b'<' {
                match memchr::memchr(b'<', rest) {
                    Some(n) => {
                        let span = (self.pos, self.pos + n);
                        self.pos += n;
                        return Ok(Tok::Text(span));
                    }
                    // The text may go on in the part's next bytes.
                    None if !self.eof => {
                        self.fill()?;
                    }
                    None => {
                        let span = (self.pos, self.len);
                        self.pos = self.len;
                        return Ok(Tok::Text(span));
                    }
                }
                continue;
            }
            if let Some(tok) = self.markup()? {
                return Ok(tok);
            }
        }
    }

    /// The markup at the next unread byte (a `<`): a token, or `None` when
    /// it was passed over or cut off (then more was read).
    fn markup(&mut self) -> Result<Option<Tok>> {
        let rest = &self.buf[self.pos..self.len];
        if rest.len() < 2 {
            return self.more();
        }
        match rest[1] {
            b'/' => {
                let Some(gt) = memchr::memchr(b'>', rest) else {
                    return self.more();
                };
                let name = rest[2..gt].trim_ascii_end();
                let Some(&start) = self.starts.last() else {
                    return Err(self.error(format!(
                        "closes an element that is not open at byte {}",
                        self.at()
                    )));
                };
                if self.names[start..] != *name {
                    return Err(self.error(format!(
                        "closes <{}> with </{}> at byte {}; the file is damaged",
                        String::from_utf8_lossy(&self.names[start..]),
                        String::from_utf8_lossy(name),
                        self.at()
                    )));
                }
                self.names.truncate(start);
                self.starts.pop();
                self.pos += gt + 1;
                Ok(Some(Tok::End))
            }
            b'!' => {
                if rest.len() < 9 && !self.eof {
                    return self.more();
                }
                if rest.starts_with(b"<!--") {
                    let Some(end) = memchr::memmem::find(&rest[4..], b"-->") else {
                        return self.more();
                    };
                    self.pos += 4 + end + 3;
                    Ok(None)
                } else if rest.starts_with(b"<![CDATA[") {
                    let Some(end) = memchr::memmem::find(&rest[9..], b"]]>") else {
                        return self.more();
                    };
                    let span = (self.pos + 9, self.pos + 9 + end);
                    self.pos += 9 + end + 3;
                    Ok(Some(Tok::CData(span)))
                } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
                    Err(self.error(format!(
                        "has a DOCTYPE at byte {}; Office never writes one, and availcheck refuses DOCTYPEs and entity declarations",
                        self.at()
                    )))
                } else {
                    Err(self.error(format!(
                        "has `<!` markup that is no comment or CDATA at byte {}",
                        self.at()
                    )))
                }
            }
            b'?' => {
                let Some(end) = memchr::memmem::find(&rest[2..], b"?>") else {
                    return self.more();
                };
                self.pos += 2 + end + 2;
                Ok(None)
            }
            _ => {
                // The name, then attributes up to `>` outside quotes.
                let mut i = 1;
                while i < rest.len()
                    && !matches!(rest[i], b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>')
                {
                    i += 1;
                }
                let name_end = i;
                loop {
                    while i < rest.len() && !matches!(rest[i], b'>' | b'"' | b'\'') {
                        i += 1;
                    }
                    let Some(&c) = rest.get(i) else {
                        return self.more();
                    };
                    if c == b'>' {
                        break;
                    }
                    // A quoted value may hold `>`.
                    match rest[i + 1..].iter().position(|&b| b == c) {
                        Some(n) => i += n + 2,
                        None => return self.more(),
                    }
                }
                if name_end == 1 {
                    return Err(self.error(format!(
                        "has a `<` that starts no tag at byte {}",
                        self.at()
                    )));
                }
                let empty = rest[i - 1] == b'/' && i > name_end;
                let attrs = (self.pos + name_end, self.pos + i - usize::from(empty));
                let qname = &rest[1..name_end];
                let local = match memchr::memrchr(b':', qname) {
                    Some(c) => (self.pos + 2 + c, self.pos + name_end),
                    None => (self.pos + 1, self.pos + name_end),
                };
                if !empty {
                    if self.starts.len() >= MAX_DEPTH {
                        return Err(self.error(format!(
                            "nests elements deeper than {MAX_DEPTH} at byte {}; the file is malformed or hostile",
                            self.at()
                        )));
                    }
                    self.starts.push(self.names.len());
                    self.names.extend_from_slice(qname);
                }
                self.pos += i + 1;
                Ok(Some(Tok::Start {
                    name: local,
                    attrs,
                    empty,
                }))
            }
        }
    }

    /// The attributes in `span`: `(name, value as written)`; `Err` when malformed.
    fn attrs(&self, span: Span) -> Attrs<'_> {
        Attrs {
            rest: self.bytes(span),
        }
    }

    /// Appends `raw` (text or an attribute value) with its references
    /// expanded (not for CDATA) and its line ends normalized to `\n`.
    fn push_raw(&self, raw: &[u8], out: &mut String, cdata: bool) -> Result<()> {
        // Short ASCII text without references (cell values, mostly) as it is.
        if raw.len() <= 16 && raw.iter().all(|&b| b.is_ascii() && b != b'&' && b != b'\r') {
            out.extend(raw.iter().map(|&b| char::from(b)));
            return Ok(());
        }
        let text = std::str::from_utf8(raw).map_err(|_| {
            self.error(format!(
                "has text that is not UTF-8 near byte {}",
                self.at()
            ))
        })?;
        let special = |b: &u8| *b == b'\r' || (!cdata && *b == b'&');
        if !raw.iter().any(special) {
            out.push_str(text);
            return Ok(());
        }
        let mut rest = text;
        while let Some(i) = rest.bytes().position(|b| special(&b)) {
            out.push_str(&rest[..i]);
            if rest.as_bytes()[i] == b'\r' {
                out.push('\n');
                rest = &rest[i + 1..];
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            } else {
                let Some(semi) = rest[i..].find(';').filter(|&n| n <= 12) else {
                    return Err(self.error(format!(
                        "has a `&` that starts no reference near byte {}",
                        self.at()
                    )));
                };
                out.push(resolve_reference(&rest[i + 1..i + semi]).map_err(|m| self.error(m))?);
                rest = &rest[i + semi + 1..];
            }
        }
        out.push_str(rest);
        Ok(())
    }

    /// Reads past the end of the element whose start was the last token.
    fn skip(&mut self) -> Result<()> {
        let depth = self.depth();
        while self.depth() >= depth {
            if self.next()? == Tok::Eof {
                break;
            }
        }
        Ok(())
    }

    /// Appends the text of the element whose start was the last token
    /// (child elements skipped) and reads past its end.
    fn text(&mut self, out: &mut String) -> Result<()> {
        // Most often plain text, then the element's end tag: read at once.
        let rest = &self.buf[self.pos..self.len];
        if let Some(&start) = self.starts.last()
            && let Some(lt) = memchr::memchr(b'<', rest)
            && rest.get(lt + 1) == Some(&b'/')
        {
            let name = &self.names[start..];
            let after = lt + 2 + name.len();
            if rest.get(lt + 2..after) == Some(name) && rest.get(after) == Some(&b'>') {
                self.push_raw(&rest[..lt], out, false)?;
                self.names.truncate(start);
                self.starts.pop();
                self.pos += after + 1;
                return Ok(());
            }
        }
        let depth = self.depth();
        loop {
            match self.next()? {
                Tok::Text(span) => self.push_raw(self.bytes(span), out, false)?,
                Tok::CData(span) => self.push_raw(self.bytes(span), out, true)?,
                Tok::Start { empty: false, .. } => self.skip()?,
                Tok::Start { .. } => {}
                Tok::End if self.depth() < depth => return Ok(()),
                Tok::End => {}
                Tok::Eof => return Ok(()),
            }
        }
    }

    /// Appends the text of the `<si>` or `<is>` whose start was the last
    /// token: its `<t>`, or its rich text runs' `<t>`s, without phonetic
    /// runs (`<rPh>`). A `<t>` without `xml:space="preserve"` loses its
    /// leading and trailing ASCII whitespace, as in Excel; `_xHHHH_` escapes
    /// are decoded. `run` is scratch space.
    fn rich_text(&mut self, out: &mut String, run: &mut String) -> Result<()> {
        let depth = self.depth();
        loop {
            let (name, attrs) = match self.next()? {
                Tok::Start {
                    name,
                    attrs,
                    empty: false,
                } => (name, attrs),
                Tok::End if self.depth() < depth => return Ok(()),
                Tok::Eof => return Ok(()),
                _ => continue,
            };
            match self.bytes(name) {
                b"t" => {
                    let preserve = self
                        .attrs(attrs)
                        .flatten()
                        .any(|(k, v)| k == b"xml:space" && v == b"preserve");
                    run.clear();
                    self.text(run)?;
                    let kept = if preserve {
                        run.as_str()
                    } else {
                        run.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    decode_escapes(kept, out);
                }
                // A run: its <t> comes next.
                b"r" => {}
                // <rPh> (a phonetic run), <rPr>, <phoneticPr>, extensions.
                _ => self.skip()?,
            }
        }
    }
}

/// The attributes of a start tag, as [`Scanner::attrs`] gives them.
struct Attrs<'b> {
    rest: &'b [u8],
}

impl<'b> Iterator for Attrs<'b> {
    type Item = std::result::Result<(&'b [u8], &'b [u8]), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_ascii_start();
        if s.is_empty() {
            return None;
        }
        let parsed = (|| {
            let eq = s.iter().position(|&b| b == b'=')?;
            let key = s[..eq].trim_ascii_end();
            let v = s[eq + 1..].trim_ascii_start();
            let quote = *v.first().filter(|&&q| q == b'"' || q == b'\'')?;
            let close = v[1..].iter().position(|&b| b == quote)?;
            Some((key, &v[1..1 + close], &v[close + 2..]))
        })();
        match parsed {
            Some((key, value, rest)) if !key.is_empty() => {
                self.rest = rest;
                Some(Ok((key, value)))
            }
            _ => {
                self.rest = &[];
                Some(Err(()))
            }
        }
    }
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

/// What a start tag of the sheet part means where the stream is.
enum Tag {
    Worksheet,
    SheetData,
    Row {
        r: Option<u32>,
        hidden: bool,
    },
    Cell {
        /// `r`: absent, or `Some(None)` when it is no cell reference.
        r: Option<std::result::Result<(u32, Option<u32>), String>>,
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
    xml: Scanner<Entry<'p>>,
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
            xml: Scanner::new(&part, entry),
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
        self.xml.error(message)
    }

    /// The next cell holding a value or a formula; `None` after `</sheetData>`.
    pub fn next_cell(&mut self) -> Result<Option<XlsxCell<'_>>> {
        loop {
            let (name, attrs, empty) = match self.xml.next()? {
                Tok::Start { name, attrs, empty } => (name, attrs, empty),
                Tok::End => {
                    // Other elements are read to their end, so this ends a
                    // row, the sheet data or the worksheet.
                    self.place = match self.place {
                        Place::InRow => Place::InData,
                        _ => Place::Done,
                    };
                    if self.place == Place::Done {
                        return Ok(None);
                    }
                    continue;
                }
                Tok::Eof => {
                    self.place = Place::Done;
                    return Ok(None);
                }
                Tok::Text(_) | Tok::CData(_) => continue,
            };
            let tag = match (self.place, self.xml.bytes(name)) {
                (Place::BeforeData, b"worksheet") => Tag::Worksheet,
                (Place::BeforeData, b"sheetData") => Tag::SheetData,
                (Place::InData, b"row") => self.row_tag(attrs)?,
                (Place::InRow, b"c") => self.cell_tag(attrs)?,
                _ => Tag::Other,
            };
            match tag {
                Tag::Worksheet => {}
                Tag::SheetData if empty => {
                    self.place = Place::Done;
                    return Ok(None);
                }
                Tag::SheetData => self.place = Place::InData,
                Tag::Row { r, hidden } => {
                    self.row = match r {
                        Some(r) => r,
                        None => self.row.saturating_add(1),
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
                        Some(Ok((column, row))) => (column, row.unwrap_or(self.row)),
                        Some(Err(text)) => {
                            return Err(self.error(format!(
                                "has a cell `{text}` that is no cell of Excel's grid (columns A to XFD, rows 1 to {MAX_ROWS}; after row {})",
                                self.row
                            )));
                        }
                        None => (self.next_column, self.row),
                    };
                    if column >= MAX_COLUMNS || row == 0 || row > MAX_ROWS {
                        return Err(self.error(format!(
                            "has a cell outside Excel's grid (row {row}, column {}; the grid is {MAX_ROWS} rows by {MAX_COLUMNS} columns)",
                            u64::from(column) + 1
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
                    if self.formula.is_empty() && self.value.trim_ascii().is_empty() {
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

    /// `<row r hidden>`.
    fn row_tag(&self, attrs: Span) -> Result<Tag> {
        let (mut r, mut hidden) = (None, false);
        for a in self.xml.attrs(attrs) {
            let (key, value) = a.map_err(|()| self.error("has a malformed <row> tag"))?;
            match key {
                b"r" => r = parse_number(value),
                b"hidden" => hidden = matches!(value.trim_ascii(), b"1" | b"true"),
                _ => {}
            }
        }
        Ok(Tag::Row { r, hidden })
    }

    /// `<c r s t>`.
    fn cell_tag(&self, attrs: Span) -> Result<Tag> {
        let (mut r, mut style, mut kind) = (None, 0, CellType::Number);
        for a in self.xml.attrs(attrs) {
            let (key, value) = a.map_err(|()| self.error("has a malformed <c> tag"))?;
            match key {
                b"r" => {
                    r =
                        Some(parse_cell_ref(value).ok_or_else(|| {
                            String::from_utf8_lossy(value).chars().take(20).collect()
                        }))
                }
                b"s" => style = parse_number(value).unwrap_or(0) as usize,
                b"t" => {
                    kind = match value {
                        b"s" => CellType::Shared,
                        b"n" => CellType::Number,
                        b"str" => CellType::Str,
                        b"inlineStr" => CellType::Inline,
                        b"b" => CellType::Bool,
                        b"e" => CellType::Error,
                        b"d" => CellType::Date,
                        _ => CellType::Unknown,
                    }
                }
                _ => {}
            }
        }
        Ok(Tag::Cell { r, style, kind })
    }

    /// `<f t si ref r1 r2>`.
    fn formula_attrs(&self, attrs: Span) -> Result<FormulaAttrs> {
        let mut f = FormulaAttrs::default();
        for a in self.xml.attrs(attrs) {
            let (key, value) = a.map_err(|()| self.error("has a malformed <f> tag"))?;
            let text = || -> Result<String> {
                let mut out = String::new();
                self.xml.push_raw(value, &mut out, false)?;
                Ok(out)
            };
            match key {
                b"t" => {
                    f.shared = value == b"shared";
                    f.data_table = value == b"dataTable";
                }
                b"si" => f.si = parse_number(value),
                b"ref" => f.has_ref = true,
                b"r1" => f.r1 = Some(text()?),
                b"r2" => f.r2 = Some(text()?),
                _ => {}
            }
        }
        Ok(f)
    }

    /// Reads a cell's children (its start was the last token): its value
    /// (`<v>` or `<is>`) into `value`, its formula into `formula`.
    fn read_cell(&mut self, row: u32, column: u32, kind: CellType) -> Result<()> {
        self.value.clear();
        self.formula.clear();
        let mut formula: Option<FormulaAttrs> = None;
        loop {
            enum Child {
                Value,
                Inline,
                Formula(Span, bool),
                Skip,
                Empty,
            }
            let child = match self.xml.next()? {
                Tok::Start { name, attrs, empty } => match self.xml.bytes(name) {
                    b"f" => Child::Formula(attrs, empty),
                    _ if empty => Child::Empty,
                    b"v" => Child::Value,
                    b"is" => Child::Inline,
                    _ => Child::Skip,
                },
                Tok::End => break,
                Tok::Eof => return Err(self.error("ends inside a cell")),
                Tok::Text(_) | Tok::CData(_) => continue,
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
                    let attrs = self.formula_attrs(attrs)?;
                    self.formula.clear();
                    if !empty {
                        self.xml.text(&mut self.formula)?;
                    }
                    formula = Some(attrs);
                }
                Child::Skip => self.xml.skip()?,
                Child::Empty => {}
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
                let v = v.trim_ascii();
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
            CellType::Bool => match v.trim_ascii() {
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
            CellType::Error if v.trim_ascii().is_empty() => CellValue::Empty,
            CellType::Error => CellValue::Error(v.trim_ascii()),
            CellType::Date if v.trim_ascii().is_empty() => CellValue::Empty,
            CellType::Date => CellValue::Iso(v.trim_ascii()),
            CellType::Number => {
                let t = v.trim_ascii();
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

/// A cell reference `B7` (or `B`, `$B$7`): 0-based column and 1-based
/// row; `None` when it is no reference (the grid's bounds are not checked).
pub fn parse_cell_ref(s: &[u8]) -> Option<(u32, Option<u32>)> {
    let s = s.trim_ascii();
    let mut i = usize::from(s.first() == Some(&b'$'));
    let letters = i;
    let mut column: u32 = 0;
    while let Some(&c) = s.get(i) {
        let digit = c.to_ascii_uppercase().wrapping_sub(b'A');
        if digit >= 26 {
            break;
        }
        // Four letters already pass Excel's last column, XFD.
        if i - letters == 4 {
            return None;
        }
        column = column * 26 + u32::from(digit) + 1;
        i += 1;
    }
    if i == letters {
        return None;
    }
    i += usize::from(s.get(i) == Some(&b'$'));
    if i == s.len() {
        return Some((column - 1, None));
    }
    Some((column - 1, Some(parse_number(&s[i..])?)))
}

/// A decimal number without sign, as attributes hold them (`r`, `s`, `si`).
fn parse_number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 10 {
        return parse_number_slow(s);
    }
    let mut n: u64 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return parse_number_slow(s);
        }
        n = n * 10 + u64::from(d);
    }
    u32::try_from(n).ok()
}

/// [`parse_number`] of a number with surrounding whitespace.
#[cold]
fn parse_number_slow(s: &[u8]) -> Option<u32> {
    let t = s.trim_ascii();
    (t.len() != s.len() && !t.is_empty())
        .then(|| parse_number(t))
        .flatten()
}

/// A `<mergeCell ref>` (`A1:C2`, or one cell).
fn parse_range(s: &str) -> Option<MergedRange> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (c1, r1) = parse_cell_ref(a.as_bytes())?;
    let (c2, r2) = parse_cell_ref(b.as_bytes())?;
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
            Some(i64::from(parse_cell_ref(letters.as_bytes())?.0))
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

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    use std::io::{Read, Write};

    /// The package with part `name` replaced by `edit` of its text.
    fn edit(bytes: &[u8], name: &str, mut edit: impl FnMut(&str) -> String) -> Vec<u8> {
        let mut zin = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        let mut found = false;
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).expect("entry");
            let n = f.name().expect("name").to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            if n == name {
                found = true;
                let new = edit(std::str::from_utf8(&data).expect("UTF-8"));
                assert_ne!(new.as_bytes(), data, "the edit of {name} changed nothing");
                data = new.into_bytes();
            }
            out.start_file(n, opts).expect("start");
            out.write_all(&data).expect("write");
        }
        assert!(found, "no part {name}");
        out.finish().expect("finish").into_inner()
    }

    /// The text of part `name`.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut zin = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        zin.by_name(name)
            .expect("part")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    /// A workbook written by rust_xlsxwriter: `fill` writes its first sheet.
    fn book(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        fill(wb.add_worksheet());
        wb.save_to_buffer().expect("save")
    }

    /// A workbook whose first sheet's `<sheetData>` is `data` (shared
    /// strings `zero`, `one`; cell format 1 is `yyyy-mm-dd`).
    fn with_sheet_data(data: &str) -> Vec<u8> {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let bytes = book(|ws| {
            ws.write_string(0, 0, "zero").unwrap();
            ws.write_string(0, 1, "one").unwrap();
            ws.write_number_with_format(1, 0, 1.0, &date).unwrap();
        });
        edit(&bytes, "xl/worksheets/sheet1.xml", |s| {
            let start = s.find("<sheetData>").expect("sheetData");
            let end = s.find("</sheetData>").expect("/sheetData") + "</sheetData>".len();
            format!("{}<sheetData>{data}</sheetData>{}", &s[..start], &s[end..])
        })
    }

    /// One cell as read: (reference, text as shown, kind, formula, row hidden).
    type Seen = (String, String, CellKind, Option<String>, bool);

    fn show(value: CellValue<'_>, date1904: bool) -> (String, CellKind) {
        match value {
            CellValue::Empty => (String::new(), CellKind::Text),
            CellValue::Shared(_, s) | CellValue::Text(s) => (s.to_string(), CellKind::Text),
            CellValue::Number(n, class) => render_number(n, class, date1904),
            CellValue::Bool(b) => (if b { "TRUE" } else { "FALSE" }.into(), CellKind::Boolean),
            CellValue::Error(e) => (e.to_string(), CellKind::Error),
            CellValue::Iso(s) => (s.to_string(), CellKind::Date),
        }
    }

    fn sheet_cells(bytes: Vec<u8>, sheet: usize) -> Result<Vec<Seen>> {
        let mut pkg = Package::open(bytes)?;
        let date1904 = pkg.date1904();
        let mut cells = pkg.cells(sheet)?;
        let mut out = Vec::new();
        while let Some(c) = cells.next_cell()? {
            let (text, kind) = show(c.value, date1904);
            let at = format!("{}{}", column_letter(c.column as usize), c.row);
            out.push((at, text, kind, c.formula.map(str::to_string), c.row_hidden));
        }
        Ok(out)
    }

    fn cells(bytes: Vec<u8>) -> Vec<Seen> {
        sheet_cells(bytes, 0).expect("readable")
    }

    /// `(reference, text)` of every cell.
    fn texts(bytes: Vec<u8>) -> Vec<(String, String)> {
        cells(bytes).into_iter().map(|c| (c.0, c.1)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn date(s: &str) -> ExcelDateTime {
        ExcelDateTime::parse_from_str(s).expect("date")
    }

    #[test]
    fn a_rows_only_dimension_or_none_is_ignored() {
        let bytes = book(|ws| {
            ws.write_string(0, 0, "a").unwrap();
            ws.write_string(2, 3, "d3").unwrap();
        });
        assert!(part(&bytes, "xl/worksheets/sheet1.xml").contains(r#"<dimension ref="A1:D3"/>"#));
        let want = pairs(&[("A1", "a"), ("D3", "d3")]);
        // As LibreOffice writes it (calamine fails the sheet on it).
        let rows_only = edit(&bytes, "xl/worksheets/sheet1.xml", |s| {
            s.replace(r#"<dimension ref="A1:D3"/>"#, r#"<dimension ref="1:12"/>"#)
        });
        assert_eq!(texts(rows_only), want);
        let none = edit(&bytes, "xl/worksheets/sheet1.xml", |s| {
            s.replace(r#"<dimension ref="A1:D3"/>"#, "")
        });
        assert_eq!(texts(none), want);
    }

    #[test]
    fn the_number_format_decides_date_or_date_time() {
        let date_only = Format::new().set_num_format("yyyy-mm-dd");
        let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let bytes = book(|ws| {
            ws.write_datetime_with_format(0, 0, date("2027-04-01"), &date_only)
                .unwrap();
            ws.write_datetime_with_format(0, 1, date("2027-04-01T12:30:00"), &date_only)
                .unwrap();
            ws.write_datetime_with_format(0, 2, date("2027-04-01"), &date_time)
                .unwrap();
            ws.write_datetime_with_format(0, 3, date("2027-04-01T12:30:00"), &date_time)
                .unwrap();
        });
        let got: Vec<(String, CellKind)> = cells(bytes).into_iter().map(|c| (c.1, c.2)).collect();
        assert_eq!(
            got,
            [
                ("2027-04-01".to_string(), CellKind::Date),
                ("2027-04-01".to_string(), CellKind::Date),
                ("2027-04-01T00:00:00".to_string(), CellKind::DateTime),
                ("2027-04-01T12:30:00".to_string(), CellKind::DateTime),
            ]
        );
    }

    #[test]
    fn custom_and_builtin_formats_render_by_class() {
        let fmt = |code: &str| Format::new().set_num_format(code);
        let bytes = book(|ws| {
            let d = date("2027-04-01T06:05:04");
            ws.write_datetime_with_format(0, 0, &d, &fmt("yyyy-mm-dd hh:mm"))
                .unwrap();
            ws.write_datetime_with_format(0, 1, &d, &fmt("dd/mm/yyyy"))
                .unwrap();
            ws.write_number_with_format(0, 2, 1.5, &fmt("[h]:mm:ss"))
                .unwrap();
            ws.write_datetime_with_format(0, 3, &d, &fmt("\"Date: \"yyyy"))
                .unwrap();
            ws.write_number_with_format(0, 4, 0.75, &fmt("h:mm AM/PM"))
                .unwrap();
            ws.write_number_with_format(0, 5, 1234.5, &fmt("#,##0.00"))
                .unwrap();
            ws.write_datetime_with_format(0, 6, &d, &Format::new().set_num_format_index(22))
                .unwrap();
            ws.write_datetime_with_format(0, 7, &d, &Format::new().set_num_format_index(14))
                .unwrap();
            ws.write_number_with_format(0, 8, 42.0, &fmt("@")).unwrap();
        });
        let got: Vec<(String, CellKind)> = cells(bytes).into_iter().map(|c| (c.1, c.2)).collect();
        let want = [
            ("2027-04-01T06:05:04", CellKind::DateTime),
            ("2027-04-01", CellKind::Date),
            ("36:00:00", CellKind::Time),
            ("2027-04-01", CellKind::Date),
            ("18:00:00", CellKind::Time),
            ("1234.5", CellKind::Number),
            ("2027-04-01T06:05:04", CellKind::DateTime),
            ("2027-04-01", CellKind::Date),
            ("42", CellKind::Number),
        ];
        let want: Vec<(String, CellKind)> = want.iter().map(|(t, k)| (t.to_string(), *k)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn format_codes_are_classified() {
        use FormatClass::*;
        for (code, class) in [
            ("General", Number),
            ("GENERAL", Number),
            ("0", Number),
            ("0.00E+00", Number),
            ("#,##0 ;[Red](#,##0)", Number),
            ("_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)", Number),
            ("[$€-407] #,##0.00", Number),
            ("@", Text),
            ("yyyy-mm-dd", Date),
            ("YYYY\\-MM\\-DD", Date),
            ("dd/mm/yyyy", Date),
            ("\"Date: \"yyyy", Date),
            ("[$-409]mmmm d, yyyy;@", Date),
            ("mmm", Date),
            ("[Red]d-mmm", Date),
            ("yyyy-mm-dd hh:mm", DateTime),
            ("yyyy-mm-dd\\Thh:mm:ss", DateTime),
            ("m/d/yy h:mm AM/PM", DateTime),
            ("h:mm", Time),
            ("H:MM:SS", Time),
            ("mm:ss", Time),
            ("mmss.0", Time),
            ("[$-409]h:mm AM/PM", Time),
            ("h:mm A/P", Time),
            ("[h]:mm:ss", Elapsed),
            ("[mm]:ss", Elapsed),
            ("[s]", Elapsed),
            ("\"h\"0", Number),
            ("0\\h", Number),
        ] {
            assert_eq!(classify_format_code(code), class, "{code}");
        }
        assert_eq!(builtin_format(0), Number);
        assert_eq!(builtin_format(14), Date);
        assert_eq!(builtin_format(20), Time);
        assert_eq!(builtin_format(22), DateTime);
        assert_eq!(builtin_format(46), Elapsed);
        assert_eq!(builtin_format(49), Text);
    }

    #[test]
    fn fractional_serials_round_to_the_second() {
        // 2025-01-01 23:59:00 as a file stores it (15 significant digits):
        // just under the minute, so cutting off the fraction gives 23:58:59.
        let serial: f64 = 45_658.999_305_555_5;
        assert_ne!((serial * 86_400.0).floor(), (serial * 86_400.0).round());
        let fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        let bytes = book(|ws| {
            ws.write_number_with_format(0, 0, serial, &fmt).unwrap();
            ws.write_number_with_format(0, 1, 45_658.999_999_9, &fmt)
                .unwrap();
        });
        assert_eq!(
            texts(bytes),
            pairs(&[("A1", "2025-01-01T23:59:00"), ("B1", "2025-01-02T00:00:00")])
        );
    }

    #[test]
    fn serial_dates_follow_excels_calendar() {
        let d = |v: f64| render_number(v, FormatClass::Date, false).0;
        assert_eq!(d(1.0), "1900-01-01");
        assert_eq!(d(59.0), "1900-02-28");
        assert_eq!(d(60.0), "1900-02-29", "Excel's Lotus 1-2-3 leap day");
        assert_eq!(d(61.0), "1900-03-01");
        assert_eq!(d(45_658.0), "2025-01-01");
        assert_eq!(d(2_958_465.0), "9999-12-31");
        assert_eq!(
            render_number(2_958_466.0, FormatClass::Date, false),
            ("2958466".into(), CellKind::Number)
        );
        assert_eq!(
            render_number(-1.0, FormatClass::Date, false),
            ("-1".into(), CellKind::Number)
        );
        assert_eq!(
            render_number(0.5, FormatClass::Date, false),
            ("12:00:00".into(), CellKind::Time)
        );
        let d1904 = |v: f64| render_number(v, FormatClass::Date, true).0;
        assert_eq!(d1904(0.0), "1904-01-01");
        assert_eq!(d1904(45_658.0 - 1462.0), "2025-01-01");
        assert_eq!(
            render_number(-0.25, FormatClass::Elapsed, false).0,
            "-06:00:00"
        );
        assert_eq!(render_number(1.25, FormatClass::Time, false).0, "06:00:00");
        assert_eq!(render_number(1.5, FormatClass::Number, false).0, "1.5");
    }

    #[test]
    fn the_1904_date_system() {
        let fmt = Format::new().set_num_format("yyyy-mm-dd");
        let bytes = book(|ws| {
            ws.write_number_with_format(0, 0, 0.0, &fmt).unwrap();
            ws.write_number_with_format(0, 1, 45_658.0 - 1462.0, &fmt)
                .unwrap();
        });
        let bytes = edit(&bytes, "xl/workbook.xml", |s| {
            s.replace("<workbookPr ", r#"<workbookPr date1904="1" "#)
        });
        assert!(Package::open(bytes.clone()).unwrap().date1904());
        assert_eq!(
            texts(bytes.clone()),
            pairs(&[("A1", "1904-01-01"), ("B1", "2025-01-01")])
        );
        // LibreOffice writes the attribute even when false.
        let off = edit(&bytes, "xl/workbook.xml", |s| {
            s.replace(r#"date1904="1""#, r#"date1904="false""#)
        });
        assert!(!Package::open(off).unwrap().date1904());
    }

    #[test]
    fn shared_strings_keep_rich_text_and_preserved_space() {
        let bold = Format::new().set_bold();
        let plain = Format::new();
        let bytes = book(|ws| {
            ws.write_rich_string(0, 0, &[(&plain, "Rich "), (&bold, "text")])
                .unwrap();
            ws.write_string(0, 1, "  padded  ").unwrap();
            ws.write_string(0, 2, "phonetic").unwrap();
            ws.write_string(0, 3, "line\r\nend").unwrap();
            ws.write_string(0, 5, "raw").unwrap();
            ws.write_string(0, 4, "trimmed").unwrap();
        });
        let sst = part(&bytes, "xl/sharedStrings.xml");
        assert!(sst.contains("<r>"), "{sst}");
        assert!(
            sst.contains(r#"<t xml:space="preserve">  padded  </t>"#),
            "{sst}"
        );
        // A phonetic run is no part of the text; a <t> without
        // xml:space="preserve" loses its outer whitespace.
        let bytes = edit(&bytes, "xl/sharedStrings.xml", |s| {
            s.replace(
                "<t>phonetic</t>",
                "<t>phonetic</t><rPh sb=\"0\" eb=\"1\"><t>フォネティック</t></rPh><phoneticPr fontId=\"1\"/>",
            )
            .replace("<t>trimmed</t>", "<t>\n  trimmed </t>")
            .replace("<t>raw</t>", "<t>raw\r\nline</t>")
        });
        assert_eq!(
            texts(bytes),
            pairs(&[
                ("A1", "Rich text"),
                ("B1", "  padded  "),
                ("C1", "phonetic"),
                ("D1", "line\r\nend"),
                ("E1", "trimmed"),
                ("F1", "raw\nline"),
            ])
        );
    }

    #[test]
    fn excel_escapes_and_entities_are_decoded() {
        let mut out = String::new();
        decode_escapes(
            "a_x000D_b_x005F_x000D_c_xD83D__xDE00_d_xD83D_e_x12_",
            &mut out,
        );
        assert_eq!(out, "a\rb_x000D_c\u{1F600}d\u{FFFD}e_x12_");
        let bytes = with_sheet_data(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Tom &amp; Jerry &#x263A; &lt;3</t></is></c></row>"#,
        );
        assert_eq!(texts(bytes), pairs(&[("A1", "Tom & Jerry \u{263A} <3")]));
    }

    #[test]
    fn inline_strings_are_read() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet_with_constant_memory();
        ws.write_string(0, 0, "inline").unwrap();
        ws.write_string(0, 1, " spaced ").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert!(part(&bytes, "xl/worksheets/sheet1.xml").contains("inlineStr"));
        assert_eq!(texts(bytes), pairs(&[("A1", "inline"), ("B1", " spaced ")]));
        let rich = with_sheet_data(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><r><t>a </t></r><r><rPr><b/></rPr><t xml:space="preserve"> b</t></r></is></c></row>"#,
        );
        assert_eq!(texts(rich), pairs(&[("A1", "a b")]));
    }

    #[test]
    fn booleans_are_true_or_false() {
        let bytes = book(|ws| {
            ws.write_boolean(0, 0, true).unwrap();
            ws.write_boolean(0, 1, false).unwrap();
            ws.write_formula(0, 2, Formula::new("=TRUE()").set_result("TRUE"))
                .unwrap();
        });
        let got = cells(bytes);
        let shown: Vec<(&str, CellKind, Option<&str>)> = got
            .iter()
            .map(|c| (c.1.as_str(), c.2, c.3.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("TRUE", CellKind::Boolean, None),
                ("FALSE", CellKind::Boolean, None),
                ("TRUE", CellKind::Boolean, Some("TRUE()")),
            ]
        );
    }

    const ERRORS: [&str; 8] = [
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#GETTING_DATA",
    ];

    #[test]
    fn error_values_as_values_and_as_formula_results() {
        let bytes = book(|ws| {
            for (i, e) in ERRORS.iter().enumerate() {
                ws.write_formula(0, i as u16, Formula::new("=NA()").set_result(*e))
                    .unwrap();
                ws.write_formula(1, i as u16, Formula::new("=NA()").set_result(*e))
                    .unwrap();
            }
        });
        // Row 2's cells hold the error values without their formulas.
        let bytes = edit(&bytes, "xl/worksheets/sheet1.xml", |s| {
            let at = s.find("<row r=\"2\"").expect("row 2");
            format!("{}{}", &s[..at], s[at..].replace("<f>NA()</f>", ""))
        });
        let got = cells(bytes);
        assert_eq!(got.len(), 16);
        for (i, e) in ERRORS.iter().enumerate() {
            let (f, v) = (&got[i], &got[8 + i]);
            assert_eq!(
                (f.1.as_str(), f.2, f.3.as_deref()),
                (*e, CellKind::Error, Some("NA()"))
            );
            assert_eq!(
                (v.1.as_str(), v.2, v.3.as_deref()),
                (*e, CellKind::Error, None)
            );
        }
    }

    #[test]
    fn a_formula_without_a_cached_value_is_still_a_cell() {
        let bytes = book(|ws| {
            ws.write_formula(0, 0, Formula::new("=B1+1")).unwrap();
        });
        let bytes = edit(&bytes, "xl/worksheets/sheet1.xml", |s| {
            s.replace("<f>B1+1</f><v>0</v>", "<f>B1+1</f>")
        });
        let got = cells(bytes);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].1.as_str(), got[0].3.as_deref()), ("", Some("B1+1")));
    }

    #[test]
    fn shared_formulas_give_each_dependent_its_own_text() {
        let bytes = with_sheet_data(concat!(
            r#"<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:C3" si="0">A1*2+$A$1+SUM(A$1:A1)&amp;"A1"</f><v>2</v></c>"#,
            r#"<c r="C1"><f t="shared" si="0"/><v>4</v></c></row>"#,
            r#"<row r="2"><c r="B2"><f t="shared" si="0"/><v>4</v></c>"#,
            r#"<c r="D2"><f t="shared" si="7"/><v>0</v></c>"#,
            r#"<c r="E2"><f t="array" ref="E2:E3">{1;2}</f><v>1</v></c></row>"#,
        ));
        let formulas: Vec<(String, Option<String>)> =
            cells(bytes).into_iter().map(|c| (c.0, c.3)).collect();
        let want = [
            ("A1", None),
            ("B1", Some(r#"A1*2+$A$1+SUM(A$1:A1)&"A1""#)),
            ("C1", Some(r#"B1*2+$A$1+SUM(B$1:B1)&"A1""#)),
            ("B2", Some(r#"A2*2+$A$1+SUM(A$1:A2)&"A1""#)),
            (
                "D2",
                Some("(shared formula 7; its first cell was not found)"),
            ),
            ("E2", Some("{1;2}")),
        ];
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(a, f)| (a.to_string(), f.map(str::to_string)))
            .collect();
        assert_eq!(formulas, want);
    }

    #[test]
    fn shifted_references() {
        let shift = |f: &str, r: i64, c: i64| {
            let mut out = String::new();
            shift_formula(f, r, c, &mut out);
            out
        };
        assert_eq!(shift("A1+$B2+C$3+$D$4", 1, 1), "B2+$B3+D$3+$D$4");
        assert_eq!(
            shift("SUM(A:B)+SUM(1:2)+LOG10(A1)", 2, 1),
            "SUM(B:C)+SUM(3:4)+LOG10(B3)"
        );
        assert_eq!(
            shift("'My A1'!A1&\"B2\"&Table1[[#This Row],[C1]]", 1, 0),
            "'My A1'!A2&\"B2\"&Table1[[#This Row],[C1]]"
        );
        assert_eq!(shift("Sheet2!A1*1.5", 0, 2), "Sheet2!C1*1.5");
        assert_eq!(shift("A1", -1, 0), "#REF!");
        assert_eq!(shift("TRUE()+ABCD1", 3, 3), "TRUE()+ABCD1");
    }

    #[test]
    fn cells_without_r_follow_the_previous_one() {
        let bytes = with_sheet_data(concat!(
            r#"<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c r="E2" t="s"><v>0</v></c><c t="s"><v>1</v></c></row>"#,
            r#"<row><c t="s"><v>0</v></c></row>"#,
            r#"<row><c r="C7" t="s"><v>1</v></c></row>"#,
            r#"<row><c t="s"><v>0</v></c></row>"#,
        ));
        assert_eq!(
            texts(bytes),
            pairs(&[
                ("A2", "zero"),
                ("B2", "one"),
                ("E2", "zero"),
                ("F2", "one"),
                ("A3", "zero"),
                ("C7", "one"),
                ("A8", "zero"),
            ])
        );
    }

    #[test]
    fn blank_cells_and_unknown_children_are_skipped() {
        let bytes = with_sheet_data(concat!(
            r#"<row r="1" spans="1:4"><c r="A1" s="1"/><c r="B1" t="s"><v>1</v><extLst><ext><x/></ext></extLst></c>"#,
            r#"<c r="C1" t="str"><v>  </v></c><c r="D1" s="1"><v>2</v></c></row>"#,
        ));
        assert_eq!(texts(bytes), pairs(&[("B1", "one"), ("D1", "1900-01-02")]));
    }

    #[test]
    fn hidden_rows_hidden_sheets_and_merged_ranges() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "shown").unwrap();
        ws.write_string(1, 0, "hidden").unwrap();
        ws.set_row_hidden(1).unwrap();
        ws.merge_range(2, 1, 3, 2, "merged", &Format::new())
            .unwrap();
        ws.merge_range(5, 0, 5, 3, "wide", &Format::new()).unwrap();
        wb.add_worksheet()
            .set_name("Hidden")
            .unwrap()
            .set_hidden(true);
        wb.add_worksheet()
            .set_name("VeryHidden")
            .unwrap()
            .set_hidden(true);
        let bytes = wb.save_to_buffer().unwrap();
        let bytes = edit(&bytes, "xl/workbook.xml", |s| {
            s.replace(
                r#"<sheet name="VeryHidden" sheetId="3" state="hidden""#,
                r#"<sheet name="VeryHidden" sheetId="3" state="veryHidden""#,
            )
        });
        let mut pkg = Package::open(bytes.clone()).unwrap();
        let states: Vec<(&str, SheetState)> = pkg
            .sheets()
            .iter()
            .map(|s| (s.name.as_str(), s.state))
            .collect();
        assert_eq!(
            states,
            [
                ("Sheet1", SheetState::Visible),
                ("Hidden", SheetState::Hidden),
                ("VeryHidden", SheetState::VeryHidden),
            ]
        );
        let range = |first_row, last_row, first_column, last_column| MergedRange {
            first_row,
            last_row,
            first_column,
            last_column,
        };
        assert_eq!(
            pkg.merged_ranges(0).unwrap(),
            [range(3, 4, 1, 2), range(6, 6, 0, 3)]
        );
        assert_eq!(pkg.merged_ranges(1).unwrap(), []);
        let hidden: Vec<(String, bool)> = cells(bytes)
            .into_iter()
            .filter(|c| c.0.starts_with('A'))
            .map(|c| (c.1, c.4))
            .collect();
        assert_eq!(
            hidden,
            [
                ("shown".to_string(), false),
                ("hidden".to_string(), true),
                ("wide".to_string(), false)
            ]
        );
    }

    #[test]
    fn the_end_of_the_sheet_data_is_found_across_chunks() {
        assert_eq!(sheet_data_end(b"<row/></sheetData><m/>"), Some(18));
        assert_eq!(sheet_data_end(b"</x:sheetData >"), Some(15));
        assert_eq!(sheet_data_end(b"<sheetData/>"), Some(12));
        assert_eq!(sheet_data_end(b"<sheetData>"), None);
        assert_eq!(sheet_data_end(b"<t>sheetData</t>"), None);
        for cut in [BUF_BYTES - 14, BUF_BYTES - 5, BUF_BYTES] {
            let mut part = vec![b' '; cut];
            part.extend_from_slice(
                b"</sheetData><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells>",
            );
            let tail = after_sheet_data(&mut &part[..]).unwrap().unwrap();
            assert!(
                tail.starts_with(b"<mergeCells>"),
                "{}",
                String::from_utf8_lossy(&tail)
            );
        }
        assert_eq!(after_sheet_data(&mut &b"<worksheet/>"[..]).unwrap(), None);
        let part = b"<worksheet><sheetData><row/></x:sheetData><mergeCells/></worksheet>";
        for step in 1..12 {
            let tail = after_sheet_data(&mut Trickle { data: part, step }).unwrap();
            assert_eq!(
                tail.as_deref(),
                Some(&b"<mergeCells/></worksheet>"[..]),
                "step {step}"
            );
        }
    }

    #[test]
    fn sheet_parts_are_found_through_relationships() {
        let bytes = book(|ws| {
            ws.write_string(0, 0, "moved").unwrap();
        });
        // A sheet part elsewhere, named from the workbook's folder with `..`.
        let moved = {
            let mut zin = ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
            let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for i in 0..zin.len() {
                let mut f = zin.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                let name = match &*f.name().unwrap() {
                    "xl/worksheets/sheet1.xml" => "data/Sheet One.xml".to_string(),
                    "xl/_rels/workbook.xml.rels" => {
                        let s = String::from_utf8(data.clone()).unwrap();
                        data = s
                            .replace("worksheets/sheet1.xml", "../data/Sheet One.xml")
                            .into_bytes();
                        "xl/_rels/workbook.xml.rels".to_string()
                    }
                    n => n.to_string(),
                };
                out.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                out.write_all(&data).unwrap();
            }
            out.finish().unwrap().into_inner()
        };
        assert_eq!(texts(moved), pairs(&[("A1", "moved")]));
    }

    /// Every malformed or hostile package fails with the part at fault.
    #[test]
    fn malformed_packages_are_errors_naming_the_part() {
        let sheet = "xl/worksheets/sheet1.xml";
        let base = with_sheet_data(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (
                edit(&base, sheet, |s| {
                    s.replacen(
                        "<worksheet",
                        "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet",
                        1,
                    )
                }),
                sheet,
                "DOCTYPE",
            ),
            (
                with_sheet_data(
                    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&bomb;</t></is></c></row>"#,
                ),
                sheet,
                "undefined entity",
            ),
            (
                edit(&base, sheet, |s| {
                    s[..s.find("</sheetData>").unwrap()].to_string()
                }),
                sheet,
                "ends inside",
            ),
            (
                with_sheet_data(&format!(
                    r#"<row r="1"><c r="A1" t="s"><v>0</v><extLst>{}{}</extLst></c></row>"#,
                    "<x>".repeat(200),
                    "</x>".repeat(200)
                )),
                sheet,
                "deeper than",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="A1" t="s"><v>99</v></c></row>"#),
                sheet,
                "shared string `99`",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="A1" t="b"><v>maybe</v></c></row>"#),
                sheet,
                "boolean",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="A1" t="q"><v>1</v></c></row>"#),
                sheet,
                "unknown type",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#),
                sheet,
                "outside Excel's grid",
            ),
            (
                with_sheet_data(r#"<row r="1048577"><c><v>1</v></c></row>"#),
                sheet,
                "outside Excel's 1 to",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="1A"><v>1</v></c></row>"#),
                sheet,
                "`1A` that is no cell",
            ),
            (
                with_sheet_data(r#"<row r="1"><c r="A1"><v>1</v></c></x></row>"#),
                sheet,
                "closes <row> with </x>",
            ),
            (
                edit(&base, "xl/sharedStrings.xml", |s| {
                    s.replace("<t>zero</t>", "<t>zero</u>")
                }),
                "xl/sharedStrings.xml",
                "closes <t> with </u>",
            ),
            (
                edit(&base, "xl/workbook.xml", |s| {
                    s.replace("<sheets>", "<sheets>&#xFFFFFFFF;")
                }),
                "xl/workbook.xml",
                "not a valid character reference",
            ),
        ];
        for (bytes, at, what) in cases {
            let Err(err) = sheet_cells(bytes, 0) else {
                panic!("read although {what}");
            };
            assert_eq!(err.part, at, "{err}");
            assert!(err.to_string().contains(what), "{what}: {err}");
        }
        let err = Package::open(b"PK\x03\x04 not really".to_vec())
            .err()
            .expect("not a zip");
        assert!(err.to_string().contains("zip"), "{err}");
    }

    #[test]
    fn a_huge_single_text_is_refused() {
        let big = "x".repeat(MAX_EVENT_BYTES);
        let bytes = with_sheet_data(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{big}</t></is></c></row>"#
        ));
        let Err(err) = sheet_cells(bytes, 0) else {
            panic!("a text over {MAX_EVENT_BYTES} bytes was read");
        };
        assert!(err.to_string().contains("runs past"), "{err}");
    }

    /// A source handing out at most `step` bytes a read, so tokens are cut
    /// at every place a chunk boundary can fall.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// The tokens of `xml` as [`Scanner`] reads it `step` bytes at a time:
    /// `<name attrs>` (`/>` when empty), `</>`, and the text between tags
    /// (references expanded, line ends normalized, CDATA included).
    fn scanned(xml: &[u8], step: usize) -> Result<Vec<String>> {
        let mut sc = Scanner::new("t.xml", Trickle { data: xml, step });
        let (mut out, mut text) = (Vec::new(), String::new());
        loop {
            let tok = sc.next()?;
            match tok {
                Tok::Text(span) => sc.push_raw(sc.bytes(span), &mut text, false)?,
                Tok::CData(span) => sc.push_raw(sc.bytes(span), &mut text, true)?,
                _ => {
                    if !text.is_empty() {
                        out.push(format!("T{text:?}"));
                        text.clear();
                    }
                    match tok {
                        Tok::Start { name, attrs, empty } => {
                            let attrs: Vec<String> = sc
                                .attrs(attrs)
                                .map(|a| {
                                    let (k, v) = a.expect("attribute");
                                    format!(
                                        "{}={}",
                                        String::from_utf8_lossy(k),
                                        String::from_utf8_lossy(v)
                                    )
                                })
                                .collect();
                            let name = String::from_utf8_lossy(sc.bytes(name));
                            let close = if empty { "/" } else { "" };
                            out.push(format!("<{name} {}{close}>", attrs.join(" ")));
                        }
                        Tok::End => out.push("</>".into()),
                        _ => return Ok(out),
                    }
                }
            }
        }
    }

    /// The same tokens as quick-xml reads them.
    fn quick(xml: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(false);
        let (mut out, mut text) = (Vec::new(), String::new());
        loop {
            let event = reader.read_event().expect("well-formed");
            let tag = match &event {
                Event::Text(t) => {
                    text.push_str(&t.xml10_content());
                    continue;
                }
                Event::CData(t) => {
                    text.push_str(&t.xml10_content());
                    continue;
                }
                Event::GeneralRef(r) => {
                    text.push(resolve_reference(r).expect("reference"));
                    continue;
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
                Event::Start(e) | Event::Empty(e) => {
                    let attrs: Vec<String> = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            format!("{}={}", a.key.as_ref(), a.value)
                        })
                        .collect();
                    let close = if matches!(event, Event::Empty(_)) {
                        "/"
                    } else {
                        ""
                    };
                    let name = e.local_name();
                    Some(format!("<{} {}{close}>", name.as_ref(), attrs.join(" ")))
                }
                Event::End(_) => Some("</>".to_string()),
                Event::Eof => None,
                Event::DocType(_) => panic!("no DOCTYPE is generated"),
            };
            if !text.is_empty() {
                out.push(format!("T{text:?}"));
                text.clear();
            }
            match tag {
                Some(t) => out.push(t),
                None => return out,
            }
        }
    }

    /// A well-formed document of random elements (some prefixed, some
    /// empty), attributes (quotes and `>` inside values), text with
    /// references and line ends, comments, CDATA and processing instructions.
    fn random_document(seed: u64) -> String {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut pick = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        const NAMES: [&str; 5] = ["a", "x:b", "row", "c", "t"];
        const VALUES: [&str; 6] = [
            "\"1\"",
            "'a>b'",
            "\"it's\"",
            "'say \"hi\"'",
            "\"&amp;&#65;\"",
            "\" \"",
        ];
        const TEXTS: [&str; 9] = [
            "plain",
            " ",
            "a &amp; b &lt;c&gt;",
            "&#65;&#x42;&#x65E5;",
            "line\r\nend",
            "cr\ronly",
            "é ü 日本",
            ">",
            "&quot;&apos;",
        ];
        const OTHER: [&str; 3] = [
            "<!-- note <x> & -->",
            "<![CDATA[<raw> & ]]]]>",
            "<?pi some data?>",
        ];
        fn element(out: &mut String, depth: usize, pick: &mut dyn FnMut(usize) -> usize) {
            let name = NAMES[pick(NAMES.len())];
            out.push('<');
            out.push_str(name);
            for i in 0..pick(4) {
                out.push_str(&format!(" k{i}={}", VALUES[pick(VALUES.len())]));
            }
            if depth > 3 || pick(5) == 0 {
                out.push_str(if pick(2) == 0 { "/>" } else { " />" });
                return;
            }
            out.push('>');
            for _ in 0..pick(5) {
                match pick(6) {
                    0 | 1 => element(out, depth + 1, pick),
                    2 => out.push_str(OTHER[pick(OTHER.len())]),
                    _ => out.push_str(TEXTS[pick(TEXTS.len())]),
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        let mut out = String::new();
        if pick(2) == 0 {
            out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        out.push_str("<root>");
        element(&mut out, 0, &mut pick);
        out.push_str("</root>");
        out
    }

    #[test]
    fn the_scanner_reads_as_quick_xml_does_wherever_chunks_end() {
        for seed in 0..300 {
            let doc = random_document(seed);
            let want = quick(&doc);
            for step in [1, 2, 3, 5, 8, 64, 1 << 16] {
                let got = scanned(doc.as_bytes(), step).unwrap_or_else(|e| panic!("{e}\n{doc}"));
                assert_eq!(got, want, "step {step}\n{doc}");
            }
            // A byte order mark is passed over.
            let bom = [b"\xEF\xBB\xBF".as_slice(), doc.as_bytes()].concat();
            assert_eq!(scanned(&bom, 7).unwrap(), want);
        }
    }

    #[test]
    fn the_scanner_refuses_what_is_not_well_formed() {
        for seed in 0..40 {
            let doc = random_document(seed);
            let root = doc.find("<root>").unwrap();
            // Every cut inside the root element is an error, never a panic.
            for cut in root + 1..doc.len() {
                assert!(
                    scanned(&doc.as_bytes()[..cut], 3).is_err(),
                    "cut at {cut}:\n{doc}"
                );
            }
        }
        for (doc, what) in [
            ("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>", "DOCTYPE"),
            ("<r><a></b></r>", "closes <a> with </b>"),
            ("<r></r></r>", "not open"),
            ("<r>&bomb;</r>", "undefined entity"),
            ("<r>&#0;</r>", "not a valid character reference"),
            ("<r>a & b</r>", "starts no reference"),
            ("<r><!x></r>", "no comment or CDATA"),
            ("<r>< a/></r>", "starts no tag"),
            ("\u{FEFF}<r/>", ""),
        ] {
            let err = scanned(doc.as_bytes(), 2).err();
            match err {
                Some(e) => assert!(
                    !what.is_empty() && e.to_string().contains(what),
                    "{doc}: {e}"
                ),
                None => assert!(what.is_empty(), "{doc} read"),
            }
        }
        let utf16: Vec<u8> = [0xFF, 0xFE, b'<', 0, b'r', 0, b'/', 0, b'>', 0].to_vec();
        let err = scanned(&utf16, 4).expect_err("UTF-16");
        assert!(err.to_string().contains("UTF-16"), "{err}");
        let err = scanned(b"<r>\xFF\xFE</r>", 4).expect_err("not UTF-8");
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn damaged_parts_are_errors_or_read_never_a_panic() {
        let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let base = book(|ws| {
            for r in 0..20 {
                ws.write_string(r, 0, format!("title {r} & co")).unwrap();
                ws.write_number_with_format(r, 1, 45_000.5 + f64::from(r), &date)
                    .unwrap();
                ws.write_formula(r, 2, Formula::new("=A1&B1").set_result("x"))
                    .unwrap();
                ws.write_boolean(r, 3, r % 2 == 0).unwrap();
            }
            ws.merge_range(21, 0, 22, 3, "merged", &Format::new())
                .unwrap();
        });
        const PIECES: [&str; 12] = [
            "<",
            ">",
            "/>",
            "&",
            "&amp;",
            "\"",
            "<c r=\"ZZZZ1\">",
            "<row r=\"0\">",
            "</row>",
            "<f t=\"shared\" si=\"4294967295\"/>",
            "<![CDATA[",
            "\u{FFFD}",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut pick = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for round in 0..200 {
            let name = if round % 3 == 0 {
                "xl/sharedStrings.xml"
            } else {
                "xl/worksheets/sheet1.xml"
            };
            let damaged = edit(&base, name, |s| {
                let mut s = s.to_string();
                for _ in 0..1 + pick(3) {
                    let mut at = pick(s.len());
                    while !s.is_char_boundary(at) {
                        at -= 1;
                    }
                    if pick(2) == 0 && at < s.len() {
                        let mut end = (at + 1 + pick(40)).min(s.len());
                        while !s.is_char_boundary(end) {
                            end += 1;
                        }
                        s.replace_range(at..end, "");
                    } else {
                        s.insert_str(at, PIECES[pick(PIECES.len())]);
                    }
                }
                s
            });
            // An error or cells: both fine; a panic fails the test.
            let _ = sheet_cells(damaged.clone(), 0);
            if let Ok(mut pkg) = Package::open(damaged) {
                let _ = pkg.merged_ranges(0);
            }
        }
    }
}

//! Checks of a workbook package that calamine 0.38 relies on without making
//! them: on a package (or .xls compound file) that fails one, it panics or
//! loops forever. Each runs
//! before calamine opens the workbook and refuses the file, saying what is
//! damaged. They mirror calamine's own reading of the same parts, so a
//! package that passes reads exactly as before. (Neither bug was filed
//! upstream when these were written: tafia/calamine issues, November 2026.)

use std::collections::HashSet;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use quick_xml::name::QName;
use zip::ZipArchive;

use super::ReadError;
use super::workbook::workbook_error;
use crate::model::SourceKind;

/// Refuses an .xlsb or .ods package that calamine cannot read safely;
/// other kinds pass.
pub fn check(bytes: &[u8], kind: SourceKind) -> Result<(), ReadError> {
    let damage = match kind {
        SourceKind::Xlsb => xlsb_sheet_list(bytes),
        SourceKind::Ods => ods_content(bytes),
        SourceKind::Xls => xls_compound_file(bytes),
        _ => None,
    };
    match damage {
        Some(why) => Err(ReadError::Workbook(workbook_error(kind.as_str(), &why))),
        None => Ok(()),
    }
}

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// The whole of an entry, or as much of it as inflates (calamine reads up
/// to the damage too).
fn entry(zip: &mut Zip<'_>, name: &str) -> Option<Vec<u8>> {
    let mut file = zip.by_name(name).ok()?;
    let mut data = Vec::new();
    let _ = file.read_to_end(&mut data);
    Some(data)
}

// ------------------------------------------------------------------ xlsb

/// `BrtWbProp`, the workbook properties, read for the 1904 flag.
const BRT_WB_PROP: u16 = 0x0099;
/// `BrtBundleSh`, one sheet of the sheet list.
const BRT_BUNDLE_SH: u16 = 0x009C;
/// `BrtEndBundleShs`, the end of the sheet list.
const BRT_END_BUNDLE_SHS: u16 = 0x0090;

/// What in the sheet list of `xl/workbook.bin` calamine's
/// `Xlsb::read_workbook` (xlsb/mod.rs:292) would index past or look up in
/// vain, panicking: an empty `BrtWbProp`, a `BrtBundleSh` too short for its
/// relationship id, or a relationship id that
/// `xl/_rels/workbook.bin.rels` does not hold. Records are framed and the
/// buffer kept as calamine does; `None` when nothing is wrong (or calamine
/// stops with an error of its own first).
fn xlsb_sheet_list(bytes: &[u8]) -> Option<String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let ids = xlsb_relationship_ids(&mut zip)?;
    // calamine finds the part through its lower-case path map (the last
    // entry of each lower-case name wins).
    let mut path = "xl/workbook.bin".to_string();
    for name in zip.file_names() {
        // A name that does not decode stops calamine before the sheet list.
        let name = name.ok()?;
        if name
            .replace('\\', "/")
            .eq_ignore_ascii_case("xl/workbook.bin")
        {
            path = name.to_string();
        }
    }
    let data = entry(&mut zip, &path)?;
    let mut records = Records { data: &data };
    let mut buf = Vec::new();
    loop {
        let kind = records.kind()?;
        let len = records.body(&mut buf)?;
        match kind {
            BRT_WB_PROP if len == 0 => {
                return Some("its workbook properties record is empty".into());
            }
            BRT_BUNDLE_SH => {
                let Some(rel_len) = buf.get(8..12) else {
                    return Some(format!(
                        "a sheet's record in xl/workbook.bin is {len} bytes, too short to name the sheet's part"
                    ));
                };
                let rel_len = u32::from_le_bytes(rel_len.try_into().ok()?);
                if rel_len != u32::MAX {
                    let Some(id) = buf.get(12..12 + rel_len as usize * 2) else {
                        return Some(format!(
                            "a sheet's record in xl/workbook.bin names a relationship id of {rel_len} characters in {len} bytes"
                        ));
                    };
                    let id = encoding_rs::UTF_16LE.decode(id).0;
                    if !ids.contains(&*id) {
                        return Some(format!(
                            "a sheet's relationship id `{id}` is not in xl/_rels/workbook.bin.rels, so the sheet's part cannot be found"
                        ));
                    }
                }
            }
            BRT_END_BUNDLE_SHS => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The relationship ids calamine's `Xlsb::read_relationships` keeps: the
/// `Id` of each `<Relationship>` start tag that has an `Id` and a `Target`,
/// read with calamine's reader settings and its attribute scan (the first
/// two of the attributes named `Id` or `Target` count). `None` when calamine
/// would stop with an error there.
fn xlsb_relationship_ids(zip: &mut Zip<'_>) -> Option<HashSet<String>> {
    let mut ids = HashSet::new();
    let Some(rels) = entry(zip, "xl/_rels/workbook.bin.rels") else {
        return Some(ids);
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(rels.as_slice()));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.name() == QName("Relationship") => {
                let (mut id, mut target) = (None, None);
                let mut found = 0;
                for (key, value) in raw_attributes(e.attributes_raw()) {
                    match key? {
                        "Id" => id = Some(value),
                        "Target" => target = Some(value),
                        _ => continue,
                    }
                    found += 1;
                    if found == 2 {
                        break;
                    }
                }
                if let (Some(id), Some(_)) = (id, target) {
                    ids.insert(id.to_string());
                }
            }
            Event::Eof => return Some(ids),
            _ => {}
        }
        buf.clear();
    }
}

/// Attributes as calamine's `RawAttrIter` scans them: a key runs to `=`,
/// the value between quotes; `None` for the key of a malformed attribute,
/// after which nothing follows.
fn raw_attributes(raw: &str) -> impl Iterator<Item = (Option<&str>, &str)> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let s = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if s.is_empty() {
            return None;
        }
        let Some((key, after)) = s.split_once('=') else {
            rest = "";
            return Some((None, ""));
        };
        let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            rest = "";
            return Some((None, ""));
        };
        let value = &after[1..];
        let (value, tail) = value.split_once(quote).unwrap_or((value, ""));
        rest = tail;
        Some((
            Some(key.trim_end_matches(|c: char| c.is_ascii_whitespace())),
            value,
        ))
    })
}

/// BIFF12 records as calamine's `RecordIter` frames them.
struct Records<'a> {
    data: &'a [u8],
}

impl Records<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.data.split_first()?;
        self.data = rest;
        Some(b)
    }

    /// A record type: one byte, or two when the first has its high bit set.
    fn kind(&mut self) -> Option<u16> {
        let b = self.byte()?;
        if b & 0x80 == 0 {
            return Some(u16::from(b));
        }
        Some(u16::from(b & 0x7F) + (u16::from(self.byte()? & 0x7F) << 7))
    }

    /// Reads a record's body into `buf` as calamine does (growing it to the
    /// body's length, never shrinking it) and gives the body's length.
    fn body(&mut self, buf: &mut Vec<u8>) -> Option<usize> {
        let mut b = self.byte()?;
        let mut len = usize::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            b = self.byte()?;
            len += usize::from(b & 0x7F) << (7 * i);
        }
        if buf.len() < len {
            buf.resize(len, 0);
        }
        let body = self.data.get(..len)?;
        buf[..len].copy_from_slice(body);
        self.data = &self.data[len..];
        Some(len)
    }
}

// ------------------------------------------------------------------- xls

/// What is damaged in an .xls compound file, if anything: calamine 0.38's
/// sector reader (cfb.rs:320) slices past its buffer when a stream's chain
/// names a sector past the end of a truncated file. The cfb crate reads
/// every stream of the file through its checked chains first; a file it
/// cannot read through is refused. (A panic inside cfb is caught and
/// refuses the file the same way.)
fn xls_compound_file(bytes: &[u8]) -> Option<String> {
    let readable = super::guard::guarded(|| -> Result<Option<String>, String> {
        let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let streams: Vec<String> = file
            .walk()
            .filter(|e| e.is_stream())
            .map(|e| e.path().to_string_lossy().into_owned())
            .collect();
        let limit = bytes.len() as u64 * 2;
        // Every stream is read through; the Workbook stream is kept for the
        // size of its sheets, the others are not (the file is in memory).
        let mut workbook = Vec::new();
        for path in streams {
            let mut stream = file
                .open_stream(&path)
                .map_err(|e| format!("{path}: {e}"))?
                .take(limit);
            let read = if path == "/Workbook" {
                stream.read_to_end(&mut workbook).map(|_| ())
            } else {
                std::io::copy(&mut stream, &mut std::io::sink()).map(|_| ())
            };
            read.map_err(|e| format!("{path}: {e}"))?;
        }
        // The rectangle calamine builds for each sheet.
        Ok(super::xls_times::sheet_areas(&workbook)
            .into_iter()
            .find(|(_, cells)| *cells > MAX_SHEET_CELLS)
            .map(|(name, cells)| too_large(&name, cells)))
    });
    match readable {
        Ok(Ok(None)) => None,
        Ok(Ok(Some(too_large))) => Some(too_large),
        Ok(Err(why)) => Some(format!("its compound file (OLE2) is damaged: {why}")),
        Err(_) => Some("its compound file (OLE2) is damaged".to_string()),
    }
}

/// Why a sheet of `cells` cells is not read.
fn too_large(name: &str, cells: u64) -> String {
    format!(
        "its sheet `{name}` spans {cells} cells from its first to its last value (repeated rows and cells, or the dimensions it declares, counted), more than the {MAX_SHEET_CELLS} availcheck reads; delete the empty rows and columns between its values, or save it as .xlsx"
    )
}

// ------------------------------------------------------------------- ods

/// What in content.xml would keep calamine's `ods::read_table` (ods.rs:448)
/// or its cell annotation loop reading past the end forever: the XML ends
/// inside an element, or an end tag does not match its start. `None` when
/// content.xml is well nested (or absent, which calamine reports itself).
/// Every entry named content.xml is checked, whichever one calamine reads.
fn ods_content(bytes: &[u8]) -> Option<String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    for index in 0..zip.len() {
        let Ok(mut file) = zip.by_index(index) else {
            continue;
        };
        if file.name().ok().as_deref() != Some("content.xml") {
            continue;
        }
        let mut data = Vec::new();
        if file.read_to_end(&mut data).is_err() {
            // calamine cannot inflate it either, and stops there.
            continue;
        }
        if let Some(why) = unbalanced(&data) {
            return Some(format!("its content.xml {why}"));
        }
        if let Some(why) = too_large_a_table(&data) {
            return Some(why);
        }
    }
    None
}

/// Most cells an .ods or .xls sheet may span for calamine to read it:
/// calamine builds the rectangle from the first to the last cell with
/// content, empty cells and repeated rows included (an .ods up to 100
/// million cells, several GB), and copies it when asked for it, so a few
/// repeat counts, or one cell at a far column, in a small file ask for
/// gigabytes. 12 million cells is 100,000 rows of 120 columns.
const MAX_SHEET_CELLS: u64 = 12_000_000;

/// Why a table of content.xml is too large to read: the rectangle from its
/// first to its last cell with content (repeats counted) exceeds
/// [`MAX_SHEET_CELLS`]. A cell has content when it has a value type or
/// child elements (its text).
fn too_large_a_table(xml: &[u8]) -> Option<String> {
    // Per table: (first row, last row, first column, last column).
    let mut area: Option<(String, [u64; 4])> = None;
    let mut found = None;
    super::ods_times::walk_cells(xml, &mut |cell| {
        if cell.empty && cell.attr("office:value-type").is_none() {
            return true;
        }
        let (r0, c0) = (u64::from(cell.row), u64::from(cell.column));
        let (r1, c1) = (
            r0 + u64::from(cell.rows) - 1,
            c0 + u64::from(cell.columns) - 1,
        );
        let a = match &mut area {
            Some((table, a)) if table == cell.table => a,
            _ => &mut area.insert((cell.table.to_string(), [r0, r1, c0, c1])).1,
        };
        *a = [a[0].min(r0), a[1].max(r1), a[2].min(c0), a[3].max(c1)];
        let cells = (a[1] - a[0] + 1).saturating_mul(a[3] - a[2] + 1);
        if cells > MAX_SHEET_CELLS {
            found = Some(too_large(cell.table, cells));
            return false;
        }
        true
    });
    found
}

/// How an XML document fails to close what it opens, if it does (read as
/// calamine reads it, but with end tags matched to their start tags).
fn unbalanced(xml: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    reader.config_mut().check_comments = false;
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth == 0 => return None,
            Ok(Event::Eof) => {
                return Some(format!(
                    "ends inside {depth} open element{} (the part is cut short)",
                    if depth == 1 { "" } else { "s" }
                ));
            }
            Err(e) => {
                return Some(format!(
                    "is not well-formed XML at byte {}: {e}",
                    reader.error_position()
                ));
            }
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_scanned_as_calamine_does() {
        let got: Vec<_> = raw_attributes(r#" Id="rId1"  Target = 'a"b' Type"#).collect();
        assert_eq!(
            got,
            [(Some("Id"), "rId1"), (Some("Target"), "a\"b"), (None, "")]
        );
        assert_eq!(raw_attributes("Id=rId1").collect::<Vec<_>>(), [(None, "")]);
    }

    #[test]
    fn unbalanced_xml_is_named() {
        assert_eq!(unbalanced(b"<a><b/></a>"), None);
        assert!(unbalanced(b"<a><b>").unwrap().contains("2 open elements"));
        assert!(unbalanced(b"<a></b>").unwrap().contains("not well-formed"));
    }
}

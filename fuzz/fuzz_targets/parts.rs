//! Structure-aware inputs: the parts of a workbook package, packed into a
//! valid zip so that mutations land inside the sheet instead of breaking the
//! container.
//!
//! An input is split at `0xFF` bytes (a byte that never occurs in UTF-8, so
//! XML text is never split by accident). The first part holds flags (its
//! first byte); missing parts are empty.
//!
//! `xlsx_parts`: `flags ÿ sheetData ÿ sst ÿ numFmts ÿ cellXfs ÿ names ÿ dimension ÿ other`
//!
//! * `sheetData`: what goes inside `<sheetData>` of the first sheet (rows and
//!   cells), or with flag bit 4 the whole sheet document.
//! * `sst`: what goes inside `<sst>` (`<si><t>…</t></si>` items), or with
//!   flag bit 5 the whole shared-strings document.
//! * `numFmts`, `cellXfs`: what goes inside the styles' `<numFmts>` and
//!   `<cellXfs>` (`<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>`, `<xf numFmtId="164"/>`).
//! * `names`: the workbook's sheet names, one per line (at most 8; none → `Sheet1`).
//! * `dimension`: the `ref` of the first sheet's `<dimension>` (e.g. `A1:Z9`).
//! * `other`: the `<sheetData>` of the second and later sheets.
//!
//! Flags: bit 0 deflate (else stored), bit 1 no `sharedStrings.xml`, bit 2 no
//! `styles.xml`, bit 3 the 1904 date system, bits 4 and 5 above.
//!
//! `ods_parts`: `flags ÿ automatic-styles ÿ spreadsheet`
//!
//! * `automatic-styles`: what goes inside `<office:automatic-styles>` of content.xml.
//! * `spreadsheet`: what goes inside `<office:spreadsheet>` (`<table:table>`s),
//!   or with flag bit 2 the whole content.xml.
//!
//! Flags: bit 0 deflate content.xml (else stored), bit 1 no manifest. The
//! `mimetype` entry is always first and stored, as ODF requires.

#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Separates the parts of a structure-aware input.
pub const SEP: u8 = 0xFF;

/// Most sheets an `xlsx_parts` input makes.
pub const MAX_SHEETS: usize = 8;

/// The parts of an input, `n` of them (missing ones empty).
fn split<const N: usize>(data: &[u8]) -> [&[u8]; N] {
    let mut out = [&data[..0]; N];
    for (slot, part) in out.iter_mut().zip(data.splitn(N, |b| *b == SEP)) {
        *slot = part;
    }
    out
}

/// Joins parts into one input (the inverse of `split` for parts without `0xFF`).
pub fn join(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.extend_from_slice(p);
    }
    out
}

/// Text with `& < > " '` escaped, for an attribute value.
pub fn escape(s: &[u8]) -> String {
    let s = String::from_utf8_lossy(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An in-memory zip of `(name, bytes, deflate)` entries, in order.
fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, deflate) in entries {
        let opts = if *deflate {
            SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(1))
        } else {
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
        };
        w.start_file(*name, opts).expect("zip entry starts");
        w.write_all(bytes).expect("zip entry is written");
    }
    w.finish().expect("zip is finished").into_inner()
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The xlsx package an `xlsx_parts` input describes.
pub fn xlsx(data: &[u8]) -> Vec<u8> {
    let [
        flags,
        sheet,
        sst,
        num_fmts,
        cell_xfs,
        names,
        dimension,
        other,
    ] = split::<8>(data);
    let flags = flags.first().copied().unwrap_or(0);
    let deflate = flags & 1 != 0;
    let with_sst = flags & 2 == 0;
    let with_styles = flags & 4 == 0;
    let date1904 = flags & 8 != 0;
    let whole_sheet = flags & 16 != 0;
    let whole_sst = flags & 32 != 0;

    let mut names: Vec<&[u8]> = names
        .split(|b| *b == b'\n')
        .filter(|n| !n.is_empty())
        .take(MAX_SHEETS)
        .collect();
    if names.is_empty() {
        names.push(b"Sheet1");
    }

    let mut content_types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr{}/><sheets>"#,
        if date1904 { r#" date1904="1""# } else { "" }
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut sheets: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(name)
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        content_types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        let body = if i == 0 && whole_sheet {
            sheet.to_vec()
        } else if i == 0 {
            worksheet(sheet, dimension)
        } else {
            worksheet(other, b"")
        };
        sheets.push((format!("xl/worksheets/sheet{n}.xml"), body));
    }
    workbook.push_str("</sheets></workbook>");
    let base = names.len();
    if with_sst {
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>"#,
            base + 1
        ));
        content_types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
    }
    if with_styles {
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{REL_NS}/styles" Target="styles.xml"/>"#,
            base + 2
        ));
        content_types.push_str(r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#);
    }
    rels.push_str("</Relationships>");
    content_types.push_str("</Types>");

    let package_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let sst = if whole_sst {
        sst.to_vec()
    } else {
        wrap(
            sst,
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN_NS}">"#
            ),
            "</sst>",
        )
    };
    let styles = styles(num_fmts, cell_xfs);

    let mut entries: Vec<(&str, &[u8], bool)> = vec![
        ("[Content_Types].xml", content_types.as_bytes(), deflate),
        ("_rels/.rels", package_rels.as_bytes(), deflate),
        ("xl/workbook.xml", workbook.as_bytes(), deflate),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes(), deflate),
    ];
    for (name, body) in &sheets {
        entries.push((name, body, deflate));
    }
    if with_sst {
        entries.push(("xl/sharedStrings.xml", &sst, deflate));
    }
    if with_styles {
        entries.push(("xl/styles.xml", &styles, deflate));
    }
    zip(&entries)
}

/// `body` inside `open … close`.
fn wrap(body: &[u8], open: &str, close: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(open.len() + body.len() + close.len());
    out.extend_from_slice(open.as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(close.as_bytes());
    out
}

fn worksheet(body: &[u8], dimension: &[u8]) -> Vec<u8> {
    let dimension = if dimension.is_empty() {
        String::new()
    } else {
        format!(r#"<dimension ref="{}"/>"#, escape(dimension))
    };
    wrap(
        body,
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{dimension}<sheetData>"#
        ),
        "</sheetData></worksheet>",
    )
}

fn styles(num_fmts: &[u8], cell_xfs: &[u8]) -> Vec<u8> {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}"><numFmts>"#
    )
    .into_bytes();
    out.extend_from_slice(num_fmts);
    out.extend_from_slice(b"</numFmts><cellXfs>");
    out.extend_from_slice(cell_xfs);
    out.extend_from_slice(b"</cellXfs></styleSheet>");
    out
}

/// The ODF spreadsheet mimetype (the `mimetype` entry's whole content).
pub const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The ods package an `ods_parts` input describes.
pub fn ods(data: &[u8]) -> Vec<u8> {
    let [flags, auto_styles, spreadsheet] = split::<3>(data);
    let flags = flags.first().copied().unwrap_or(0);
    let deflate = flags & 1 != 0;
    let with_manifest = flags & 2 == 0;
    let content = if flags & 4 != 0 {
        spreadsheet.to_vec()
    } else {
        let mut c = Vec::with_capacity(spreadsheet.len() + auto_styles.len() + 1024);
        c.extend_from_slice(
            br#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.3"><office:automatic-styles>"#,
        );
        c.extend_from_slice(auto_styles);
        c.extend_from_slice(b"</office:automatic-styles><office:body><office:spreadsheet>");
        c.extend_from_slice(spreadsheet);
        c.extend_from_slice(b"</office:spreadsheet></office:body></office:document-content>");
        c
    };
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut entries: Vec<(&str, &[u8], bool)> = vec![
        ("mimetype", ODS_MIMETYPE, false),
        ("content.xml", &content, deflate),
    ];
    if with_manifest {
        entries.push(("META-INF/manifest.xml", manifest, deflate));
    }
    zip(&entries)
}

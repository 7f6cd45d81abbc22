//! `--annotate OUT.xlsx`: a copy of the checked workbook in which every
//! cell with a finding is filled (red error, amber warning, blue info) and
//! carries a comment with code, message and fix, and whose first sheet,
//! "availcheck", lists every finding with a link to its cell.
//!
//! The package is edited at the zip and XML level, so everything else is
//! kept byte for byte: parts that need no change are copied raw (still
//! compressed), and the parts that change (the annotated sheets, their
//! relationships, styles, workbook, content types) keep every byte outside
//! the elements touched. A fill is a new cell format cloned from the cell's
//! own (number format, font, border, alignment kept). Comments are the
//! legacy kind Excel and LibreOffice both show: a comments part and a VML
//! drawing, added to those a sheet already has.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::Report;
use crate::model::{Diagnostic, Severity};
use crate::rules;

/// Why no annotated copy was written.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// The checked file is not an xlsx workbook.
    #[error(
        "--annotate needs an .xlsx workbook: `{path}` is {kind}; check the .xlsx the {kind} was made from, or save it as .xlsx"
    )]
    NotXlsx {
        /// The input.
        path: String,
        /// What it is.
        kind: String,
    },
    /// Not exactly one file was checked.
    #[error("--annotate needs exactly one checked workbook; {0} files were checked")]
    NotOne(usize),
    /// The workbook could not be read, or its package is not as expected.
    #[error("cannot annotate `{path}`: {why}")]
    Package {
        /// The input.
        path: String,
        /// What went wrong.
        why: String,
    },
    /// Writing the copy failed.
    #[error("cannot write the annotated copy to {}: {source}", path.display())]
    Write {
        /// The output.
        path: std::path::PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// What an annotated copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Findings listed on the "availcheck" sheet.
    pub findings: usize,
    /// Cells filled and commented.
    pub cells: usize,
    /// The name of the findings sheet.
    pub sheet: String,
}

/// Writes the annotated copy of the one workbook `report` checked to
/// `output` (atomically; the caller has made sure with
/// [`super::guard_output`] that `output` is not an input).
pub fn write(report: &Report, output: &Path) -> Result<Summary, AnnotateError> {
    let checked: Vec<(usize, &crate::FileReport)> = report
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.role == crate::Role::Checked)
        .collect();
    let [(index, file)] = checked[..] else {
        return Err(AnnotateError::NotOne(checked.len()));
    };
    let package = |why: String| AnnotateError::Package {
        path: file.path.clone(),
        why,
    };
    if let Some(e) = &file.error {
        return Err(package(e.clone()));
    }
    if file.kind != Some("xlsx") {
        return Err(AnnotateError::NotXlsx {
            path: file.path.clone(),
            kind: match file.kind {
                Some(k) => format!("an {k} file").replace("an csv", "a csv"),
                None => "not a workbook".into(),
            },
        });
    }
    let input = std::fs::read(&file.path).map_err(|e| package(e.to_string()))?;
    let findings: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.order.0 == index)
        .collect();
    let (bytes, summary) = annotate(&input, &findings).map_err(package)?;
    super::write_atomically(output, |w| w.write_all(&bytes)).map_err(|source| {
        AnnotateError::Write {
            path: output.to_path_buf(),
            source,
        }
    })?;
    Ok(summary)
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_COMMENTS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const REL_SHEET: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const CT_SHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_COMMENTS: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";
const AUTHOR: &str = "availcheck";

/// Fill colours per severity (Excel's "Bad" and "Neutral" tones, and blue).
fn fill_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "FFFFC7CE",
        Severity::Warning => "FFFFEB9C",
        Severity::Info => "FFDDEBF7",
    }
}

/// Builds the annotated copy of the xlsx `input` for `findings` (the
/// diagnostics of that file).
pub fn annotate(input: &[u8], findings: &[&Diagnostic]) -> Result<(Vec<u8>, Summary), String> {
    let mut zip = ZipArchive::new(Cursor::new(input)).map_err(|e| e.to_string())?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(std::borrow::Cow::into_owned))
        .collect();
    let mut part = |name: &str| -> Result<Option<String>, String> {
        let Ok(mut f) = zip.by_name(name) else {
            return Ok(None);
        };
        let mut s = String::new();
        f.read_to_string(&mut s)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(Some(s))
    };
    let need = |p: Option<String>, name: &str| p.ok_or_else(|| format!("it has no {name} part"));

    let root_rels = need(part("_rels/.rels")?, "_rels/.rels")?;
    let workbook_path = relationships(&root_rels)?
        .into_iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_string(), |r| resolve("", &r.target));
    let workbook = need(part(&workbook_path)?, &workbook_path)?;
    let workbook_rels_path = rels_path(&workbook_path);
    let workbook_rels = need(part(&workbook_rels_path)?, &workbook_rels_path)?;
    let wb_dir = dir_of(&workbook_path);
    let wb_rels = relationships(&workbook_rels)?;
    let styles_path = wb_rels
        .iter()
        .find(|r| r.kind.ends_with("/styles"))
        .map(|r| resolve(&wb_dir, &r.target))
        .ok_or("the workbook has no styles part")?;
    let styles = need(part(&styles_path)?, &styles_path)?;
    let content_types = need(part("[Content_Types].xml")?, "[Content_Types].xml")?;
    let sheets = workbook_sheets(&workbook)?;

    // Findings per sheet, by cell.
    let mut by_sheet: BTreeMap<String, BTreeMap<(u32, u32), Vec<&Diagnostic>>> = BTreeMap::new();
    for d in findings {
        let (Some(sheet), Some(cell)) = (&d.location.sheet, &d.location.cell) else {
            continue;
        };
        if let Some(at) = parse_cell(cell) {
            by_sheet
                .entry(sheet.clone())
                .or_default()
                .entry(at)
                .or_default()
                .push(d);
        }
    }

    let mut styles_edit = Styles::read(&styles)?;
    let mut changed: HashMap<String, Vec<u8>> = HashMap::new();
    let mut added: Vec<(String, Vec<u8>)> = Vec::new();
    let mut overrides: Vec<(String, &str)> = Vec::new();
    let taken: HashSet<String> = names.iter().cloned().collect();
    let fresh = |stem: &str, ext: &str, added: &[(String, Vec<u8>)]| -> String {
        (1..)
            .map(|i| format!("{stem}{i}.{ext}"))
            .find(|n| !taken.contains(n) && !added.iter().any(|(a, _)| a == n))
            .expect("a free name")
    };
    let mut vml_block = names
        .iter()
        .filter(|n| n.ends_with(".vml"))
        .filter_map(|n| part(n).ok().flatten())
        .map(|v| max_idmap(&v))
        .max()
        .unwrap_or(0)
        + 1;
    let mut cells = 0;
    for (sheet_name, flagged) in &by_sheet {
        let Some((_, rid)) = sheets.iter().find(|(n, _)| n == sheet_name) else {
            continue;
        };
        let Some(target) = wb_rels.iter().find(|r| &r.id == rid) else {
            continue;
        };
        let sheet_path = resolve(&wb_dir, &target.target);
        let sheet_xml = need(part(&sheet_path)?, &sheet_path)?;
        let sheet_rels_path = rels_path(&sheet_path);
        let sheet_rels = part(&sheet_rels_path)?;
        let rels = match &sheet_rels {
            Some(r) => relationships(r)?,
            None => Vec::new(),
        };
        let sheet_dir = dir_of(&sheet_path);
        let notes: BTreeMap<(u32, u32), String> = flagged
            .iter()
            .map(|(at, ds)| (*at, comment_text(ds)))
            .collect();
        let severities: BTreeMap<(u32, u32), Severity> = flagged
            .iter()
            .map(|(at, ds)| (*at, ds.iter().map(|d| d.severity).max().expect("one")))
            .collect();
        cells += severities.len();
        let existing = rels.iter().find(|r| r.kind == REL_COMMENTS);
        let existing_vml = rels.iter().find(|r| r.kind == REL_VML);
        let legacy_rid = match (existing, existing_vml) {
            (Some(c), Some(v)) => {
                // Add to the sheet's own comments.
                let c_path = resolve(&sheet_dir, &c.target);
                let v_path = resolve(&sheet_dir, &v.target);
                let comments = need(part(&c_path)?, &c_path)?;
                let vml = need(part(&v_path)?, &v_path)?;
                let (comments, new_cells) = merge_comments(&comments, &notes)?;
                changed.insert(c_path, comments.into_bytes());
                changed.insert(v_path, merge_vml(&vml, &new_cells).into_bytes());
                None
            }
            _ => {
                let c_name = fresh("xl/comments", "xml", &added);
                added.push((c_name.clone(), new_comments(&notes).into_bytes()));
                let v_name = fresh("xl/drawings/vmlDrawing", "vml", &added);
                let cells: Vec<(u32, u32)> = notes.keys().copied().collect();
                let blocks = cells.len() / 1024 + 1;
                added.push((v_name.clone(), new_vml(&cells, vml_block).into_bytes()));
                vml_block += blocks as u32;
                overrides.push((format!("/{c_name}"), CT_COMMENTS));
                let ids: Vec<&str> = rels.iter().map(|r| r.id.as_str()).collect();
                let c_id = free_id(&ids, "rIdAvc");
                let v_id = free_id(&[ids.clone(), vec![c_id.as_str()]].concat(), "rIdAvc");
                let new_rels = format!(
                    "<Relationship Id=\"{c_id}\" Type=\"{REL_COMMENTS}\" Target=\"{}\"/>\
                     <Relationship Id=\"{v_id}\" Type=\"{REL_VML}\" Target=\"{}\"/>",
                    relative(&sheet_dir, &c_name),
                    relative(&sheet_dir, &v_name)
                );
                let rels_xml = match &sheet_rels {
                    Some(r) => insert_before_last(r, "</Relationships>", &new_rels)?,
                    None => format!(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
                         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{new_rels}</Relationships>"
                    ),
                };
                changed.insert(sheet_rels_path.clone(), rels_xml.into_bytes());
                Some(v_id)
            }
        };
        let sheet_xml = rewrite_sheet(
            &sheet_xml,
            &severities,
            &mut styles_edit,
            legacy_rid.as_deref(),
        )?;
        changed.insert(sheet_path, sheet_xml.into_bytes());
    }

    // The findings sheet, first in the workbook.
    let sheet_name = {
        let names: HashSet<String> = sheets.iter().map(|(n, _)| n.to_lowercase()).collect();
        std::iter::once("availcheck".to_string())
            .chain((2..).map(|i| format!("availcheck ({i})")))
            .find(|n| !names.contains(n))
            .expect("a free sheet name")
    };
    let list_path = fresh("xl/worksheets/availcheck", "xml", &added);
    added.push((
        list_path.clone(),
        findings_sheet(findings, &mut styles_edit).into_bytes(),
    ));
    overrides.push((format!("/{list_path}"), CT_SHEET));
    let wb_ids: Vec<&str> = wb_rels.iter().map(|r| r.id.as_str()).collect();
    let list_rid = free_id(&wb_ids, "rIdAvc");
    changed.insert(
        workbook_rels_path,
        insert_before_last(
            &workbook_rels,
            "</Relationships>",
            &format!(
                "<Relationship Id=\"{list_rid}\" Type=\"{REL_SHEET}\" Target=\"{}\"/>",
                relative(&wb_dir, &list_path)
            ),
        )?
        .into_bytes(),
    );
    changed.insert(
        workbook_path,
        add_first_sheet(&workbook, &sheet_name, &list_rid)?.into_bytes(),
    );
    changed.insert(styles_path, styles_edit.write(&styles)?.into_bytes());
    changed.insert(
        "[Content_Types].xml".into(),
        content_types_with(&content_types, &overrides)?.into_bytes(),
    );

    // Unchanged parts are copied raw, in their order; then the new ones.
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(input.len() + 64 * 1024)));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| e.to_string())?;
        let name = f.name().map_err(|e| e.to_string())?.into_owned();
        match changed.remove(&name) {
            Some(bytes) => {
                drop(f);
                out.start_file(name.as_str(), options)
                    .map_err(|e| e.to_string())?;
                out.write_all(&bytes).map_err(|e| e.to_string())?;
            }
            None => out.raw_copy_file(f).map_err(|e| e.to_string())?,
        }
    }
    // Parts that did not exist (a sheet's first relationships part).
    let mut rest: Vec<(String, Vec<u8>)> = changed.into_iter().collect();
    rest.sort();
    for (name, bytes) in rest.into_iter().chain(added) {
        out.start_file(name.as_str(), options)
            .map_err(|e| e.to_string())?;
        out.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    let bytes = out.finish().map_err(|e| e.to_string())?.into_inner();
    Ok((
        bytes,
        Summary {
            findings: findings.len(),
            cells,
            sheet: sheet_name,
        },
    ))
}

/// One relationship of a `.rels` part.
struct Rel {
    id: String,
    kind: String,
    target: String,
}

fn relationships(xml: &str) -> Result<Vec<Rel>, String> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                out.push(Rel {
                    id: attr(&e, "Id").unwrap_or_default(),
                    kind: attr(&e, "Type").unwrap_or_default(),
                    target: attr(&e, "Target").unwrap_or_default(),
                });
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The value of the attribute whose local name is `name` (unescaped).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.as_ref();
        let local = key.rsplit(':').next().unwrap_or(key);
        (local == name).then(|| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// The sheets of workbook.xml: (name, relationship id), in order.
fn workbook_sheets(xml: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                out.push((
                    attr(&e, "name").unwrap_or_default(),
                    attr(&e, "id").unwrap_or_default(),
                ));
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`.
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

fn dir_of(part: &str) -> String {
    part.rsplit_once('/')
        .map_or_else(String::new, |(d, _)| d.to_string())
}

/// A relationship target resolved against the folder of its source part.
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The target of `part` relative to the folder `dir`.
fn relative(dir: &str, part: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = part.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

fn free_id(ids: &[&str], stem: &str) -> String {
    (1..)
        .map(|i| format!("{stem}{i}"))
        .find(|c| !ids.contains(&c.as_str()))
        .expect("a free id")
}

fn insert_before_last(xml: &str, closing: &str, insert: &str) -> Result<String, String> {
    let at = xml
        .rfind(closing)
        .ok_or_else(|| format!("no {closing} in the part"))?;
    Ok(format!("{}{insert}{}", &xml[..at], &xml[at..]))
}

/// `M4` → (row 4, 0-based column 12).
pub fn parse_cell(cell: &str) -> Option<(u32, u32)> {
    let digits = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, row) = cell.split_at(digits);
    let col = super::column_number(letters)?;
    let row: u32 = row.parse().ok()?;
    (row > 0 && col > 0).then_some((row, col - 1))
}

fn cell_name(row: u32, col: u32) -> String {
    format!("{}{row}", crate::model::column_letter(col as usize))
}

/// Text safe in XML content and attributes: escaped, and without the
/// control characters XML 1.0 forbids.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A start tag rebuilt with some attributes set (added when absent); the
/// others keep their raw (escaped) values.
fn with_attrs(e: &BytesStart<'_>, set: &[(&str, String)], empty: bool) -> String {
    let name = e.name().as_ref().to_string();
    let mut out = format!("<{name}");
    let mut done = vec![false; set.len()];
    for a in e.attributes().with_checks(false).flatten() {
        let key = a.key.as_ref().to_string();
        let raw = a.value.to_string();
        match set.iter().position(|(k, _)| *k == key) {
            Some(i) => {
                done[i] = true;
                out.push_str(&format!(" {key}=\"{}\"", set[i].1));
            }
            None if raw.contains('"') => out.push_str(&format!(" {key}='{raw}'")),
            None => out.push_str(&format!(" {key}=\"{raw}\"")),
        }
    }
    for (i, (k, v)) in set.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!(" {k}=\"{v}\""));
        }
    }
    out.push_str(if empty { "/>" } else { ">" });
    out
}

/// The comment of one cell: each finding's code, severity, message and fix.
fn comment_text(ds: &[&Diagnostic]) -> String {
    let mut out = String::new();
    for d in ds {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!(
            "{} {}: {}",
            d.code,
            d.severity.as_str(),
            d.message
        ));
        if let Some(h) = &d.help {
            out.push_str(&format!("\nFix: {h}"));
        }
    }
    out
}

/// The cell formats of styles.xml, and the ones added.
struct Styles {
    /// Fills and fonts before ours.
    fills: usize,
    fonts: usize,
    /// Each existing `<xf>` of cellXfs, as written.
    xfs: Vec<String>,
    /// Added formats, as written, and their key.
    added: Vec<String>,
    keys: HashMap<(u32, Option<Severity>, u8), u32>,
}

/// Our fonts after the existing ones: bold, link.
const FONT_BOLD: u8 = 1;
const FONT_LINK: u8 = 2;

impl Styles {
    fn read(xml: &str) -> Result<Styles, String> {
        let mut reader = Reader::from_str(xml);
        let mut path: Vec<String> = Vec::new();
        let (mut fills, mut fonts) = (0, 0);
        let mut xfs = Vec::new();
        let mut xf_start: Option<usize> = None;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| e.to_string())?;
            let after = reader.buffer_position() as usize;
            let parent = path.last().map(String::as_str);
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name().as_ref().to_string();
                    match (parent, name.as_str()) {
                        (Some("fills"), "fill") => fills += 1,
                        (Some("fonts"), "font") => fonts += 1,
                        (Some("cellXfs"), "xf") => {
                            if matches!(event, Event::Empty(_)) {
                                xfs.push(xml[before..after].to_string());
                            } else {
                                xf_start = Some(before);
                            }
                        }
                        _ => {}
                    }
                    if matches!(event, Event::Start(_)) {
                        path.push(name);
                    }
                }
                Event::End(e) => {
                    path.pop();
                    if e.local_name().as_ref() == "xf"
                        && path.last().map(String::as_str) == Some("cellXfs")
                        && let Some(s) = xf_start.take()
                    {
                        xfs.push(xml[s..after].to_string());
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if xfs.is_empty() {
            return Err("styles.xml has no cell formats (cellXfs)".into());
        }
        Ok(Styles {
            fills,
            fonts,
            xfs,
            added: Vec::new(),
            keys: HashMap::new(),
        })
    }

    /// The format of `base` with the fill of `severity` and/or one of our
    /// fonts (0: the base's own).
    fn derived(&mut self, base: u32, severity: Option<Severity>, font: u8) -> u32 {
        let base = if (base as usize) < self.xfs.len() {
            base
        } else {
            0
        };
        let key = (base, severity, font);
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let raw = &self.xfs[base as usize];
        let mut set = Vec::new();
        if let Some(s) = severity {
            let fill = self.fills
                + match s {
                    Severity::Error => 0,
                    Severity::Warning => 1,
                    Severity::Info => 2,
                };
            set.push(("fillId", fill.to_string()));
            set.push(("applyFill", "1".to_string()));
        }
        if font > 0 {
            set.push(("fontId", (self.fonts + usize::from(font) - 1).to_string()));
            set.push(("applyFont", "1".to_string()));
        }
        let mut reader = Reader::from_str(raw);
        let xf = match reader.read_event() {
            Ok(Event::Start(e)) => {
                let end = reader.buffer_position() as usize;
                format!("{}{}", with_attrs(&e, &set, false), &raw[end..])
            }
            Ok(Event::Empty(e)) => with_attrs(&e, &set, true),
            _ => "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>".into(),
        };
        self.added.push(xf);
        let index = (self.xfs.len() + self.added.len() - 1) as u32;
        self.keys.insert(key, index);
        index
    }

    /// styles.xml with our fills, fonts and formats appended to their lists.
    fn write(&self, xml: &str) -> Result<String, String> {
        let fills: String = [Severity::Error, Severity::Warning, Severity::Info]
            .iter()
            .map(|s| {
                format!(
                    "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{}\"/><bgColor indexed=\"64\"/></patternFill></fill>",
                    fill_colour(*s)
                )
            })
            .collect();
        let fonts = "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font>\
                     <font><u/><sz val=\"11\"/><color rgb=\"FF0563C1\"/><name val=\"Calibri\"/></font>";
        let xfs: String = self.added.concat();
        let counts = [
            ("fills", self.fills + 3, fills.as_str()),
            ("fonts", self.fonts + 2, fonts),
            ("cellXfs", self.xfs.len() + self.added.len(), xfs.as_str()),
        ];
        let mut out = String::with_capacity(xml.len() + 4096);
        let mut reader = Reader::from_str(xml);
        let mut copied = 0;
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| e.to_string())?;
            let after = reader.buffer_position() as usize;
            match &event {
                Event::Start(e) | Event::Empty(e) => {
                    let local = e.local_name().as_ref().to_string();
                    if let Some((_, n, items)) = counts.iter().find(|(k, ..)| *k == local) {
                        out.push_str(&xml[copied..before]);
                        let start = with_attrs(e, &[("count", n.to_string())], false);
                        out.push_str(&start);
                        if matches!(event, Event::Empty(_)) {
                            let prefix = prefix_of(e);
                            out.push_str(items);
                            out.push_str(&format!("</{prefix}{local}>"));
                        }
                        copied = after;
                    }
                }
                Event::End(e) => {
                    let local = e.local_name().as_ref().to_string();
                    if let Some((_, _, items)) = counts.iter().find(|(k, ..)| *k == local) {
                        out.push_str(&xml[copied..before]);
                        out.push_str(items);
                        copied = before;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out.push_str(&xml[copied..]);
        Ok(out)
    }
}

/// `x:` of `<x:name>`, or nothing.
fn prefix_of(e: &BytesStart<'_>) -> String {
    let name = e.name().as_ref().to_string();
    name.rsplit_once(':')
        .map_or_else(String::new, |(p, _)| format!("{p}:"))
}

/// Elements that follow `legacyDrawing` in a worksheet.
const AFTER_LEGACY: [&str; 8] = [
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// The sheet with the flagged cells' formats replaced by filled ones
/// (cells that are not in the sheet added, empty), and a `legacyDrawing`
/// pointing at relationship `legacy` when given.
fn rewrite_sheet(
    xml: &str,
    flagged: &BTreeMap<(u32, u32), Severity>,
    styles: &mut Styles,
    legacy: Option<&str>,
) -> Result<String, String> {
    let mut pending: BTreeMap<u32, BTreeMap<u32, Severity>> = BTreeMap::new();
    for (&(r, c), &s) in flagged {
        pending.entry(r).or_default().insert(c, s);
    }
    let mut out = String::with_capacity(xml.len() + flagged.len() * 32);
    let mut reader = Reader::from_str(xml);
    let mut copied = 0;
    let mut depth = 0usize;
    let mut prefix = String::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_cells: BTreeMap<u32, Severity> = BTreeMap::new();
    let mut legacy_done = legacy.is_none();
    let new_cell = |styles: &mut Styles, prefix: &str, r: u32, c: u32, s: Severity| {
        format!(
            "<{prefix}c r=\"{}\" s=\"{}\"/>",
            cell_name(r, c),
            styles.derived(0, Some(s), 0)
        )
    };
    let rows_before = |out: &mut String,
                       styles: &mut Styles,
                       pending: &mut BTreeMap<u32, BTreeMap<u32, Severity>>,
                       prefix: &str,
                       limit: Option<u32>| {
        while let Some((&r, _)) = pending.first_key_value() {
            if limit.is_some_and(|l| r >= l) {
                break;
            }
            let cells = pending.remove(&r).expect("present");
            out.push_str(&format!("<{prefix}row r=\"{r}\">"));
            for (c, s) in cells {
                out.push_str(&new_cell(styles, prefix, r, c, s));
            }
            out.push_str(&format!("</{prefix}row>"));
        }
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let after = reader.buffer_position() as usize;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name().as_ref().to_string();
                if depth == 0 {
                    prefix = prefix_of(e);
                }
                if depth == 1 && !legacy_done && AFTER_LEGACY.contains(&local.as_str()) {
                    out.push_str(&xml[copied..before]);
                    out.push_str(&legacy_element(&prefix, legacy.expect("not done")));
                    legacy_done = true;
                    copied = before;
                }
                match local.as_str() {
                    "sheetData" if depth == 1 && empty => {
                        out.push_str(&xml[copied..before]);
                        out.push_str(&format!("<{prefix}sheetData>"));
                        rows_before(&mut out, styles, &mut pending, &prefix, None);
                        out.push_str(&format!("</{prefix}sheetData>"));
                        copied = after;
                    }
                    "row" if depth == 2 => {
                        row = attr(e, "r").and_then(|r| r.parse().ok()).unwrap_or(row + 1);
                        col = 0;
                        out.push_str(&xml[copied..before]);
                        rows_before(&mut out, styles, &mut pending, &prefix, Some(row));
                        row_cells = pending.remove(&row).unwrap_or_default();
                        if empty && !row_cells.is_empty() {
                            out.push_str(&with_attrs(e, &[], false));
                            for (c, s) in std::mem::take(&mut row_cells) {
                                out.push_str(&new_cell(styles, &prefix, row, c, s));
                            }
                            out.push_str(&format!("</{prefix}row>"));
                            copied = after;
                        } else {
                            copied = before;
                        }
                    }
                    "c" if depth == 3 => {
                        let c = attr(e, "r")
                            .and_then(|r| parse_cell(&r))
                            .map_or(col, |(_, c)| c);
                        col = c + 1;
                        out.push_str(&xml[copied..before]);
                        let earlier: Vec<u32> = row_cells.range(..c).map(|(k, _)| *k).collect();
                        for k in earlier {
                            let s = row_cells.remove(&k).expect("present");
                            out.push_str(&new_cell(styles, &prefix, row, k, s));
                        }
                        if let Some(s) = row_cells.remove(&c) {
                            let base = attr(e, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                            let style = styles.derived(base, Some(s), 0);
                            out.push_str(&with_attrs(e, &[("s", style.to_string())], empty));
                            copied = after;
                        } else {
                            copied = before;
                        }
                    }
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let local = e.local_name().as_ref().to_string();
                match local.as_str() {
                    "row" if depth == 2 => {
                        out.push_str(&xml[copied..before]);
                        for (c, s) in std::mem::take(&mut row_cells) {
                            out.push_str(&new_cell(styles, &prefix, row, c, s));
                        }
                        copied = before;
                    }
                    "sheetData" if depth == 1 => {
                        out.push_str(&xml[copied..before]);
                        rows_before(&mut out, styles, &mut pending, &prefix, None);
                        copied = before;
                    }
                    "worksheet" if depth == 0 && !legacy_done => {
                        out.push_str(&xml[copied..before]);
                        out.push_str(&legacy_element(&prefix, legacy.expect("not done")));
                        legacy_done = true;
                        copied = before;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.push_str(&xml[copied..]);
    Ok(out)
}

fn legacy_element(prefix: &str, rid: &str) -> String {
    format!("<{prefix}legacyDrawing xmlns:r=\"{REL_NS}\" r:id=\"{rid}\"/>")
}

fn comment_xml(cell: &str, author: usize, text: &str) -> String {
    format!(
        "<comment ref=\"{cell}\" authorId=\"{author}\"><text><r><rPr><sz val=\"9\"/><rFont val=\"Tahoma\"/></rPr><t xml:space=\"preserve\">{}</t></r></text></comment>",
        xml_text(text)
    )
}

fn new_comments(notes: &BTreeMap<(u32, u32), String>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<comments xmlns=\"{MAIN_NS}\"><authors><author>{AUTHOR}</author></authors><commentList>"
    );
    for (&(r, c), text) in notes {
        out.push_str(&comment_xml(&cell_name(r, c), 0, text));
    }
    out.push_str("</commentList></comments>");
    out
}

/// Adds our notes to a sheet's comments part: a new author, a comment for
/// each cell without one, and our text after the existing text of a cell
/// that has one. Gives the cells that got a new comment (they need a VML
/// shape).
fn merge_comments(
    xml: &str,
    notes: &BTreeMap<(u32, u32), String>,
) -> Result<(String, Vec<(u32, u32)>), String> {
    let mut reader = Reader::from_str(xml);
    let mut authors = 0;
    let mut out = String::with_capacity(xml.len() + notes.len() * 256);
    let mut copied = 0;
    let mut current: Option<(u32, u32)> = None;
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut new_cells = Vec::new();
    let mut prefix = String::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "comments" => prefix = prefix_of(e),
                "author" => authors += 1,
                "comment" => {
                    current = attr(e, "ref").and_then(|r| parse_cell(&r));
                    if let Some(at) = current {
                        seen.insert(at);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "authors" => {
                    out.push_str(&xml[copied..before]);
                    out.push_str(&format!("<{prefix}author>{AUTHOR}</{prefix}author>"));
                    copied = before;
                }
                "text" => {
                    if let Some(note) = current.and_then(|at| notes.get(&at)) {
                        out.push_str(&xml[copied..before]);
                        out.push_str(&format!(
                            "<{prefix}r><{prefix}t xml:space=\"preserve\">\n\navailcheck: {}</{prefix}t></{prefix}r>",
                            xml_text(note)
                        ));
                        copied = before;
                    }
                }
                "comment" => current = None,
                "commentList" => {
                    out.push_str(&xml[copied..before]);
                    for (at, text) in notes.iter().filter(|(at, _)| !seen.contains(at)) {
                        let c = comment_xml(&cell_name(at.0, at.1), authors, text);
                        out.push_str(&if prefix.is_empty() {
                            c
                        } else {
                            c.replace('<', &format!("<{prefix}"))
                                .replace(&format!("<{prefix}/"), &format!("</{prefix}"))
                        });
                        new_cells.push(*at);
                    }
                    copied = before;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out.push_str(&xml[copied..]);
    Ok((out, new_cells))
}

const VML_SHAPETYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn vml_shape(id: u32, (row, col): (u32, u32)) -> String {
    let r0 = row - 1;
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:240pt;height:90pt;z-index:{id};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">\
<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>\
<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>\
<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{}, 15, {}, 10, {}, 15, {}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{r0}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>",
        col + 1,
        r0.saturating_sub(1),
        col + 5,
        r0 + 5
    )
}

fn new_vml(cells: &[(u32, u32)], block: u32) -> String {
    let blocks = cells.len() as u32 / 1024 + 1;
    let data: Vec<String> = (block..block + blocks).map(|b| b.to_string()).collect();
    let mut out = format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\
<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{}\"/></o:shapelayout>{VML_SHAPETYPE}",
        data.join(",")
    );
    for (i, at) in cells.iter().enumerate() {
        out.push_str(&vml_shape(block * 1024 + 1 + i as u32, *at));
    }
    out.push_str("</xml>");
    out
}

/// The highest shape-id block an existing VML part claims.
fn max_idmap(vml: &str) -> u32 {
    vml.match_indices("data=\"")
        .flat_map(|(i, m)| {
            let rest = &vml[i + m.len()..];
            rest[..rest.find('"').unwrap_or(0)]
                .split(',')
                .filter_map(|n| n.trim().parse::<u32>().ok())
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or(0)
}

/// Adds shapes for `cells` to an existing VML part (not always
/// well-formed XML, so edited as text).
fn merge_vml(vml: &str, cells: &[(u32, u32)]) -> String {
    let last_id = vml
        .match_indices("_x0000_s")
        .filter_map(|(i, m)| {
            let rest = &vml[i + m.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse::<u32>().ok()
        })
        .max()
        .unwrap_or(max_idmap(vml).max(1) * 1024);
    let mut shapes = String::new();
    if !vml.contains("_x0000_t202") {
        shapes.push_str(VML_SHAPETYPE);
    }
    for (i, at) in cells.iter().enumerate() {
        shapes.push_str(&vml_shape(last_id + 1 + i as u32, *at));
    }
    match vml.rfind("</xml>") {
        Some(at) => format!("{}{shapes}{}", &vml[..at], &vml[at..]),
        None => format!("{vml}{shapes}"),
    }
}

/// The "availcheck" sheet: one row per finding, with a link to its cell.
fn findings_sheet(findings: &[&Diagnostic], styles: &mut Styles) -> String {
    let header = styles.derived(0, None, FONT_BOLD);
    let link = styles.derived(0, None, FONT_LINK);
    let columns = [
        ("severity", 10),
        ("code", 9),
        ("cell", 16),
        ("field", 22),
        ("value", 28),
        ("message", 90),
        ("fix", 60),
        ("rule", 50),
    ];
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>"
    );
    for (i, (_, w)) in columns.iter().enumerate() {
        out.push_str(&format!(
            "<col min=\"{0}\" max=\"{0}\" width=\"{w}\" customWidth=\"1\"/>",
            i + 1
        ));
    }
    out.push_str("</cols><sheetData><row r=\"1\">");
    let text_cell = |r: usize, c: usize, s: u32, text: &str| {
        format!(
            "<c r=\"{}{r}\" s=\"{s}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            crate::model::column_letter(c),
            xml_text(text)
        )
    };
    for (c, (name, _)) in columns.iter().enumerate() {
        out.push_str(&text_cell(1, c, header, name));
    }
    out.push_str("</row>");
    let mut links = String::new();
    for (i, d) in findings.iter().enumerate() {
        let r = i + 2;
        let l = &d.location;
        let place = super::cell_ref(l).unwrap_or_default();
        let target = match (&l.sheet, &l.cell) {
            (Some(s), Some(c)) => Some(format!("'{}'!{c}", s.replace('\'', "''"))),
            (Some(s), None) => Some(format!(
                "'{}'!A{}",
                s.replace('\'', "''"),
                l.row.unwrap_or(1)
            )),
            _ => None,
        };
        let sev = styles.derived(0, Some(d.severity), 0);
        let title = rules::find(d.code).map_or("", |m| m.title);
        out.push_str(&format!("<row r=\"{r}\">"));
        out.push_str(&text_cell(r, 0, sev, d.severity.as_str()));
        out.push_str(&text_cell(r, 1, 0, d.code));
        out.push_str(&text_cell(
            r,
            2,
            if target.is_some() { link } else { 0 },
            &place,
        ));
        for (c, v) in [
            (3, l.field.as_deref()),
            (4, l.value.as_deref()),
            (5, Some(d.message.as_str())),
            (6, d.help.as_deref()),
            (7, Some(title)),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                out.push_str(&text_cell(r, c, 0, v));
            }
        }
        out.push_str("</row>");
        if let Some(t) = target {
            links.push_str(&format!(
                "<hyperlink ref=\"C{r}\" location=\"{}\" display=\"{}\"/>",
                xml_text(&t),
                xml_text(&place)
            ));
        }
    }
    out.push_str("</sheetData>");
    if !links.is_empty() {
        out.push_str(&format!("<hyperlinks>{links}</hyperlinks>"));
    }
    out.push_str("</worksheet>");
    out
}

/// workbook.xml with the findings sheet first: sheet-scoped names and the
/// active and first tabs shift by one, so they keep naming their sheets.
fn add_first_sheet(xml: &str, name: &str, rid: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() + 256);
    let mut copied = 0;
    let mut max_id = 0u32;
    let mut r_prefix = "r".to_string();
    // Sheet ids first: the new one must be unused.
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                max_id = max_id.max(
                    attr(&e, "sheetId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                );
                for a in e.attributes().flatten() {
                    let key = a.key.as_ref().to_string();
                    if let Some((p, "id")) = key.split_once(':') {
                        r_prefix = p.to_string();
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut reader = Reader::from_str(xml);
    let shift = |v: Option<String>| {
        v.and_then(|v| v.parse::<u32>().ok())
            .map(|n| (n + 1).to_string())
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let after = reader.buffer_position() as usize;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name().as_ref().to_string();
                match local.as_str() {
                    "sheets" => {
                        let prefix = prefix_of(e);
                        out.push_str(&xml[copied..after]);
                        let sheet = format!(
                            "<{prefix}sheet name=\"{}\" sheetId=\"{}\" {r_prefix}:id=\"{rid}\"/>",
                            xml_text(name),
                            max_id + 1
                        );
                        out.push_str(&sheet);
                        if empty {
                            return Err("the workbook lists no sheets".into());
                        }
                        copied = after;
                    }
                    "definedName" => {
                        if let Some(n) = shift(attr(e, "localSheetId")) {
                            out.push_str(&xml[copied..before]);
                            out.push_str(&with_attrs(e, &[("localSheetId", n)], empty));
                            copied = after;
                        }
                    }
                    "workbookView" => {
                        let active = shift(attr(e, "activeTab")).unwrap_or_else(|| "1".into());
                        let mut set = vec![("activeTab", active)];
                        if let Some(first) = attr(e, "firstSheet").filter(|v| v != "0") {
                            set.push(("firstSheet", shift(Some(first)).unwrap_or_default()));
                        }
                        out.push_str(&xml[copied..before]);
                        out.push_str(&with_attrs(e, &set, empty));
                        copied = after;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.push_str(&xml[copied..]);
    Ok(out)
}

/// `[Content_Types].xml` with the new parts (and VML as a default).
fn content_types_with(xml: &str, overrides: &[(String, &str)]) -> Result<String, String> {
    let mut add = String::new();
    if !xml.to_ascii_lowercase().contains("extension=\"vml\"") {
        add.push_str(&format!(
            "<Default Extension=\"vml\" ContentType=\"{CT_VML}\"/>"
        ));
    }
    for (part, kind) in overrides {
        add.push_str(&format!(
            "<Override PartName=\"{}\" ContentType=\"{kind}\"/>",
            xml_text(part)
        ));
    }
    insert_before_last(xml, "</Types>", &add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_and_relate() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(resolve("xl", "/xl/styles.xml"), "xl/styles.xml");
        assert_eq!(
            relative("xl/worksheets", "xl/comments1.xml"),
            "../comments1.xml"
        );
        assert_eq!(relative("xl", "xl/worksheets/a.xml"), "worksheets/a.xml");
        assert_eq!(rels_path("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }

    #[test]
    fn cells_parse() {
        assert_eq!(parse_cell("M4"), Some((4, 12)));
        assert_eq!(parse_cell("AA10"), Some((10, 26)));
        assert_eq!(parse_cell("4"), None);
        assert_eq!(parse_cell("A0"), None);
    }

    #[test]
    fn sheet_cells_get_formats_and_missing_ones_are_added_in_order() {
        let styles = "<styleSheet><fonts count=\"1\"><font/></fonts><fills count=\"2\"><fill/><fill/></fills>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"><alignment wrapText=\"1\"/></xf></cellXfs></styleSheet>";
        let mut st = Styles::read(styles).unwrap();
        let sheet = "<worksheet><sheetData><row r=\"2\"><c r=\"B2\" s=\"1\"><v>1</v></c></row><row r=\"5\"><c r=\"C5\"/></row></sheetData><pageMargins/></worksheet>";
        let flagged = BTreeMap::from([
            ((2, 0), Severity::Warning),
            ((2, 1), Severity::Error),
            ((3, 3), Severity::Info),
            ((9, 0), Severity::Error),
        ]);
        let out = rewrite_sheet(sheet, &flagged, &mut st, Some("rIdAvc2")).unwrap();
        assert_eq!(
            out,
            "<worksheet><sheetData><row r=\"2\"><c r=\"A2\" s=\"2\"/><c r=\"B2\" s=\"3\"><v>1</v></c></row>\
<row r=\"3\"><c r=\"D3\" s=\"4\"/></row><row r=\"5\"><c r=\"C5\"/></row><row r=\"9\"><c r=\"A9\" s=\"5\"/></row></sheetData>\
<pageMargins/><legacyDrawing xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rIdAvc2\"/></worksheet>"
        );
        let written = st.write(styles).unwrap();
        assert!(written.contains("<fills count=\"5\">"), "{written}");
        assert!(written.contains("<cellXfs count=\"6\">"), "{written}");
        // The date format's clone keeps its number format and alignment.
        assert!(written.contains(
            "<xf numFmtId=\"14\" fontId=\"0\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFill=\"1\"><alignment wrapText=\"1\"/></xf>"
        ), "{written}");
    }

    #[test]
    fn first_sheet_shifts_sheet_indices() {
        let wb = "<workbook xmlns:r=\"x\"><bookViews><workbookView activeTab=\"1\"/></bookViews><sheets><sheet name=\"A\" sheetId=\"3\" r:id=\"rId1\"/></sheets><definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">A!$A$1</definedName></definedNames></workbook>";
        let out = add_first_sheet(wb, "availcheck", "rIdAvc1").unwrap();
        assert_eq!(
            out,
            "<workbook xmlns:r=\"x\"><bookViews><workbookView activeTab=\"2\"/></bookViews><sheets><sheet name=\"availcheck\" sheetId=\"4\" r:id=\"rIdAvc1\"/><sheet name=\"A\" sheetId=\"3\" r:id=\"rId1\"/></sheets><definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"1\" hidden=\"1\">A!$A$1</definedName></definedNames></workbook>"
        );
    }
}

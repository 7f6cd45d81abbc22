//! `--annotate OUT.xlsx`: the copy read back. Every value of every sheet is
//! the original's (calamine), every part that needs no change is byte for
//! byte the original's, the sheet keeps its column widths, data validation
//! and hidden state, each finding's cell has a fill of its severity (cloned
//! from its own format) and a comment with code, message and fix, and the
//! first sheet lists every finding with a link to its cell. The input is
//! never written; inputs that are not xlsx are refused with a clear message.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use common::{AS_OF, movies_1_7_3, run_raw};
use quick_xml::events::Event;
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Note, Workbook};
use serde_json::Value;

/// A 1.7.3 Movies workbook with what an annotated copy must keep: a date
/// cell with its number format, column widths, data validation, an
/// existing note, and a hidden second sheet. Row 5 has a bad FormatProfile
/// and a DisplayName that is not the alias; row 6 a past Start.
fn workbook(path: &Path) {
    let rec = movies_1_7_3();
    let fields = rec.fields();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    for (c, f) in fields.iter().enumerate() {
        ws.write_string(0, c as u16, "AvailTrans").unwrap();
        ws.write_string(1, c as u16, f).unwrap();
        ws.set_column_width(c as u16, 14 + c as u16 % 5).unwrap();
    }
    ws.write_string(2, 0, "// annotate test").unwrap();
    let col = |f: &str| fields.iter().position(|x| x == f).unwrap() as u16;
    let rows = [
        rec.clone(),
        rec.clone()
            .set("FormatProfile", "4K")
            .set("DisplayName", "Acme Films")
            .set("ALID", "md:alid:org:acme:movie-0002"),
        rec.clone()
            .set("Start", "2020-01-01T00:00:00Z")
            .set("ALID", "md:alid:org:acme:movie-0003"),
    ];
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        for (c, f) in fields.iter().enumerate() {
            let v = r.get(f).unwrap();
            if f == "SuppressionLiftDate" {
                let d = ExcelDateTime::parse_from_str("2031-06-30").unwrap();
                ws.write_datetime_with_format(row, c as u16, &d, &date)
                    .unwrap();
            } else if !v.is_empty() {
                ws.write_string(row, c as u16, v).unwrap();
            }
        }
    }
    let dv = DataValidation::new()
        .allow_list_strings(&["SVOD", "EST"])
        .unwrap();
    ws.add_data_validation(3, col("LicenseType"), 100, col("LicenseType"), &dv)
        .unwrap();
    // An existing note on a cell that gets a finding, and one on another.
    ws.insert_note(
        4,
        col("DisplayName"),
        &Note::new("studio note: check alias"),
    )
    .unwrap();
    ws.insert_note(1, 0, &Note::new("header note")).unwrap();
    let hidden = wb.add_worksheet();
    hidden.set_name("Lists").unwrap();
    hidden.write_string(0, 0, "SVOD").unwrap();
    hidden.set_hidden(true);
    wb.save(path).unwrap();
}

fn annotate(input: &Path, out: &Path) -> common::Run {
    run_raw(
        &[
            "check".as_ref(),
            input.as_os_str(),
            "--partner".as_ref(),
            "acme".as_ref(),
            "--territories".as_ref(),
            "US".as_ref(),
            "--as-of".as_ref(),
            AS_OF.as_ref(),
            "--json".as_ref(),
            "--annotate".as_ref(),
            out.as_os_str(),
        ],
        &[],
    )
}

/// Every part of a package, decompressed.
fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"))
            .clone(),
    )
    .unwrap()
}

/// (attribute map) of each element named `local` in `xml`, in order.
fn elements(xml: &str, local: &str) -> Vec<HashMap<String, String>> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => {
                out.push(
                    e.attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            let v = a.normalized_value(quick_xml::XmlVersion::Implicit1_0);
                            (a.key.as_ref().to_string(), v.unwrap().into_owned())
                        })
                        .collect(),
                );
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// The text of each `<comment>` by its cell.
fn comments(xml: &str) -> BTreeMap<String, String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = BTreeMap::new();
    let mut cell = None;
    let mut buf = String::new();
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "comment" => {
                cell = e
                    .attributes()
                    .map(|a| a.unwrap())
                    .find(|a| a.key.as_ref() == "ref")
                    .map(|a| a.value.to_string());
                buf.clear();
            }
            Event::Text(t) if cell.is_some() => {
                buf.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0))
            }
            Event::GeneralRef(g) if cell.is_some() => {
                let s = match g.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                };
                buf.push_str(s);
            }
            Event::End(e) if e.local_name().as_ref() == "comment" => {
                out.insert(cell.take().unwrap(), buf.clone());
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// The part a sheet's relationship of `kind` points to.
fn sheet_part(parts: &BTreeMap<String, Vec<u8>>, sheet: &str, kind: &str) -> String {
    let rels = text(parts, &format!("xl/worksheets/_rels/{sheet}.rels"));
    let rel = elements(&rels, "Relationship")
        .into_iter()
        .find(|r| r["Type"].ends_with(kind))
        .unwrap_or_else(|| panic!("{sheet} has no {kind}"));
    let target = &rel["Target"];
    format!("xl/{}", target.trim_start_matches("../"))
}

#[test]
fn annotated_copy_keeps_the_workbook_and_marks_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("avails.xlsx");
    workbook(&input);
    let original = std::fs::read(&input).unwrap();
    let out = dir.path().join("avails-annotated.xlsx");
    let run = annotate(&input, &out);
    let report = run.json();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("annotated copy"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&input).unwrap(),
        original,
        "the input was written"
    );

    // Every value of every original sheet, identical.
    let mut a: Xlsx<_> = open_workbook(&input).unwrap();
    let mut b: Xlsx<_> = open_workbook(&out).unwrap();
    let names = a.sheet_names();
    assert_eq!(b.sheet_names()[0], "availcheck");
    assert_eq!(b.sheet_names()[1..], names[..]);
    for name in &names {
        let ra = a.worksheet_range(name).unwrap();
        let rb = b.worksheet_range(name).unwrap();
        assert_eq!(ra.start(), rb.start(), "{name}");
        let va: Vec<&Data> = ra.cells().map(|(_, _, v)| v).collect();
        let vb: Vec<&Data> = rb
            .cells()
            .map(|(_, _, v)| v)
            .filter(|v| **v != Data::Empty)
            .collect();
        let va: Vec<&Data> = va.into_iter().filter(|v| **v != Data::Empty).collect();
        assert_eq!(va, vb, "values of {name} changed");
    }

    let before = parts(&input);
    let after = parts(&out);
    // Parts that need no change are the original bytes.
    let changed = [
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
    ];
    for (name, bytes) in &before {
        if !changed.contains(&name.as_str()) {
            assert_eq!(after.get(name), Some(bytes), "{name} changed");
        }
    }
    // The hidden sheet stays hidden; the sheet keeps widths and validation.
    let wb = text(&after, "xl/workbook.xml");
    let sheets = elements(&wb, "sheet");
    assert_eq!(sheets[0]["name"], "availcheck");
    let lists = sheets.iter().find(|s| s["name"] == "Lists").unwrap();
    assert_eq!(lists.get("state").map(String::as_str), Some("hidden"));
    let (s0, s1) = (
        text(&before, "xl/worksheets/sheet1.xml"),
        text(&after, "xl/worksheets/sheet1.xml"),
    );
    for part in ["cols", "dataValidations", "sheetViews"] {
        let open = format!("<{part}");
        let close = format!("</{part}>");
        let grab = |s: &str| {
            let i = s.find(&open).unwrap();
            s[i..s.find(&close).unwrap()].to_string()
        };
        assert_eq!(grab(&s0), grab(&s1), "{part} changed");
    }

    // Each finding's cell: a fill of its severity on a clone of its format.
    let styles = text(&after, "xl/styles.xml");
    let old_styles = text(&before, "xl/styles.xml");
    let xfs = |s: &str| {
        let i = s.find("<cellXfs").unwrap();
        elements(&s[i..s.find("</cellXfs>").unwrap()], "xf")
    };
    let (xfs_after, xfs_before) = (xfs(&styles), xfs(&old_styles));
    let fills = elements(&styles, "fgColor");
    let cells_after: HashMap<String, HashMap<String, String>> = elements(&s1, "c")
        .into_iter()
        .map(|c| (c["r"].clone(), c))
        .collect();
    let cells_before: HashMap<String, HashMap<String, String>> = elements(&s0, "c")
        .into_iter()
        .map(|c| (c["r"].clone(), c))
        .collect();
    let notes = comments(&text(
        &after,
        &sheet_part(&after, "sheet1.xml", "/comments"),
    ));
    let diags = report["diagnostics"].as_array().unwrap();
    let on_cells: Vec<&Value> = diags
        .iter()
        .filter(|d| d["location"]["cell"].is_string())
        .collect();
    assert!(on_cells.len() >= 3, "{diags:?}");
    for d in &on_cells {
        let cell = d["location"]["cell"].as_str().unwrap();
        let style: usize = cells_after[cell]["s"].parse().unwrap();
        let xf = &xfs_after[style];
        let fill: usize = xf["fillId"].parse().unwrap();
        let want = match d["severity"].as_str().unwrap() {
            "error" => "FFFFC7CE",
            "warning" => "FFFFEB9C",
            _ => "FFDDEBF7",
        };
        // fgColor elements: one per fill (the first two fills have none).
        let rgb = fills
            .iter()
            .filter_map(|f| f.get("rgb"))
            .nth(fill - 2)
            .unwrap();
        assert_eq!(rgb, want, "{cell}");
        if let Some(old) = cells_before.get(cell).and_then(|c| c.get("s")) {
            let old = &xfs_before[old.parse::<usize>().unwrap()];
            assert_eq!(
                xf["numFmtId"], old["numFmtId"],
                "{cell}: number format lost"
            );
        }
        let note = &notes[cell];
        let code = d["code"].as_str().unwrap();
        assert!(note.contains(code), "{cell}: {note}");
        assert!(
            note.contains(d["message"].as_str().unwrap()),
            "{cell}: {note}"
        );
        if let Some(help) = d["help"].as_str() {
            assert!(note.contains(&format!("Fix: {help}")), "{cell}: {note}");
        }
    }
    // The studio's notes are kept, ours added to the one on a flagged cell.
    assert!(notes["A2"].ends_with("header note"), "{}", notes["A2"]);
    assert!(!notes["A2"].contains("availcheck"), "{}", notes["A2"]);
    let ours = notes["A5"].find("availcheck:").expect("our text added");
    assert!(
        notes["A5"][..ours].contains("studio note: check alias"),
        "{}",
        notes["A5"]
    );
    assert!(notes["A5"].contains("CPH007"), "{}", notes["A5"]);

    // The findings sheet: every finding, each cell a link to its place.
    let list = b.worksheet_range("availcheck").unwrap();
    assert_eq!(list.height(), diags.len() + 1);
    let header: Vec<String> = (0..8)
        .map(|c| list.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "severity", "code", "cell", "field", "value", "message", "fix", "rule"
        ]
    );
    for (i, d) in diags.iter().enumerate() {
        assert_eq!(
            list.get((i + 1, 1)).unwrap().to_string(),
            d["code"].as_str().unwrap()
        );
        assert_eq!(
            list.get((i + 1, 5)).unwrap().to_string(),
            d["message"].as_str().unwrap()
        );
    }
    let list_part = elements(&wb, "sheet")[0]["r:id"].clone();
    let wb_rels = text(&after, "xl/_rels/workbook.xml.rels");
    let target = elements(&wb_rels, "Relationship")
        .into_iter()
        .find(|r| r["Id"] == list_part)
        .unwrap()["Target"]
        .clone();
    let links = elements(&text(&after, &format!("xl/{target}")), "hyperlink");
    for d in &on_cells {
        let cell = d["location"]["cell"].as_str().unwrap();
        assert!(
            links
                .iter()
                .any(|l| l["location"] == format!("'Movies'!{cell}")),
            "no link to {cell}"
        );
    }
}

#[test]
fn annotate_never_writes_an_input_and_needs_an_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("avails.xlsx");
    workbook(&input);
    let original = std::fs::read(&input).unwrap();
    let run = annotate(&input, &input);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("refusing to write the annotated copy"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&input).unwrap(), original);

    let csv = dir.path().join("avails.csv");
    let rec = movies_1_7_3();
    let header = rec.fields().join(",");
    let row = rec.values_for(&rec.fields()).join(",");
    std::fs::write(&csv, format!("{header}\n{row}\n")).unwrap();
    let out = dir.path().join("out.xlsx");
    let run = annotate(&csv, &out);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--annotate needs an .xlsx workbook")
            && run.stderr.contains("avails.csv"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

//! .xlsx workbooks end to end: what the streaming reader hands the model
//! (cell text and kind, formulas, hidden rows and sheets, merged ranges)
//! and what the checker reports. Every workbook is written here with
//! rust_xlsxwriter; where no writer produces a case (a rows-only
//! `<dimension>`, a formula without a cached value, shared formulas, the
//! 1904 date system, `veryHidden`), the package is edited with `zip`.

mod common;

use std::io::{Cursor, Read, Write};

use availcheck::model::{Avail, CellKind, MergedRange};
use availcheck::read::xlsx::{CellValue, Package};
use availcheck::read::{ReadOptions, ReadOutput, read_bytes};
use common::*;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};

/// Writes an EMA 1.7.3 Movies sheet named `name` (categories in row 1,
/// fields in row 2, a `//` note in row 3, `recs` from row 4) and returns it
/// with its field names for more cells.
fn movies_sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    recs: &[Rec],
) -> (&'a mut Worksheet, Vec<String>) {
    let fields = recs[0].fields();
    let ws = wb.add_worksheet();
    ws.set_name(name).expect("name");
    for (c, f) in fields.iter().enumerate() {
        ws.write_string(0, c as u16, "AvailTrans").expect("write");
        ws.write_string(1, c as u16, f).expect("write");
    }
    ws.write_string(2, 0, "// written by availcheck tests")
        .expect("write");
    for (r, rec) in recs.iter().enumerate() {
        for (c, v) in rec.values_for(&fields).iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + r as u32, c as u16, v).expect("write");
            }
        }
    }
    (ws, fields)
}

/// The column of `field`.
fn col(fields: &[String], field: &str) -> u16 {
    fields.iter().position(|f| f == field).expect("field") as u16
}

/// The package with part `name` replaced by `edit` of its text.
fn edit(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let n = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("inflate");
        if n == name {
            let new = edit(std::str::from_utf8(&data).expect("UTF-8"));
            assert_ne!(new.as_bytes(), data, "the edit of {name} changed nothing");
            data = new.into_bytes();
        }
        out.start_file(n, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

const SHEET1: &str = "xl/worksheets/sheet1.xml";

/// Reads a workbook held in memory, rows kept.
fn read(bytes: Vec<u8>) -> ReadOutput {
    read_bytes(bytes, "t.xlsx", 0, &ReadOptions::default()).expect("readable")
}

/// The first data row of the first sheet.
fn first_row(out: &ReadOutput) -> &Avail {
    &out.sheets[0].rows[0]
}

/// A cell of `row` in column `c`: (text, kind, formula).
fn cell(row: &Avail, c: u16) -> (String, CellKind, Option<String>) {
    let cell = row.cells_of(usize::from(c)).first().expect("cell");
    (
        cell.text.to_string(),
        cell.kind,
        cell.formula().map(str::to_string),
    )
}

/// Runs the checker on bytes saved as `name`.
fn check_bytes(bytes: &[u8], name: &str, profile: &str) -> (i32, serde_json::Value, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    check(&path, profile, &[])
}

#[test]
fn libreoffice_workbooks_with_a_rows_only_dimension_are_read() {
    // calamine failed these (exit 2): "Range is missing the expected column component".
    // The single-sheet AllAvails layout of the Volume files is 1.8 (MovieLabs' mapping).
    let dir = samples_dir().join("../mddf-suite/xlsx");
    for (file, rows, version) in [
        ("Movies_v1.7.2_Bundle.xlsx", 4, "1.7.2"),
        ("Movies_v1.7.2_Collection.xlsx", 12, "1.7.2"),
        ("Avails_Volume_v1.8.xlsx", 9, "1.8"),
        ("Avails_w_Volume_v1.8.xlsx", 33, "1.8"),
    ] {
        let path = dir.join(file);
        let mut head = String::new();
        zip::ZipArchive::new(std::fs::File::open(&path).expect("sample"))
            .expect("zip")
            .by_name(SHEET1)
            .expect("sheet")
            .take(2000)
            .read_to_string(&mut head)
            .ok();
        assert!(head.contains("<dimension ref=\"1:"), "{file}: {head}");
        let (code, report, stderr) = check(&path, "ema", &[]);
        assert!(code == 0 || code == 1, "{file}: exit {code}\n{stderr}");
        let f = &report["files"][0];
        assert!(f["error"].is_null(), "{file}: {f}");
        assert_eq!(f["kind"], "xlsx", "{file}");
        assert_eq!(f["rows"], rows, "{file}");
        assert_eq!(f["template_version"], version, "{file}");
    }
}

#[test]
fn a_rows_only_or_missing_dimension_reads_as_the_original() {
    let mut wb = Workbook::new();
    movies_sheet(&mut wb, "Movies", &[movies_1_7_3(), movies_1_7_3()]);
    let bytes = wb.save_to_buffer().expect("save");
    let (code, report, _) = check_bytes(&bytes, "t.xlsx", "cph-svod");
    let sheet = String::from_utf8(read_part(&bytes, SHEET1)).unwrap();
    let dimension = &sheet[sheet.find("<dimension").unwrap()..];
    let dimension = &dimension[..dimension.find("/>").unwrap() + 2];
    for edited in [
        edit(&bytes, SHEET1, |s| {
            s.replace(dimension, "<dimension ref=\"1:5\"/>")
        }),
        edit(&bytes, SHEET1, |s| s.replace(dimension, "")),
    ] {
        let (c, r, stderr) = check_bytes(&edited, "t.xlsx", "cph-svod");
        assert_eq!(c, code, "{stderr}");
        assert_eq!(all_diags(&r), all_diags(&report));
        assert_eq!(r["files"][0]["rows"], 2);
    }
}

fn read_part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = Vec::new();
    zin.by_name(name)
        .expect("part")
        .read_to_end(&mut out)
        .expect("read");
    out
}

#[test]
fn number_formats_decide_date_date_time_and_time() {
    // 2030-01-01 is serial 47484; 2031-12-31 is 48213.
    let mut wb = Workbook::new();
    let rec = movies_1_7_3().with(&[("TotalRunTime", ""), ("ReleaseYear", "")]);
    let (ws, fields) = movies_sheet(&mut wb, "Movies", &[rec]);
    let fmt = |code: &str| Format::new().set_num_format(code);
    let (start, end) = (col(&fields, "Start"), col(&fields, "End"));
    ws.write_number_with_format(3, start, 47_484.0, &fmt("yyyy-mm-dd hh:mm"))
        .unwrap();
    ws.write_number_with_format(3, end, 48_213.75, &fmt("dd/mm/yyyy"))
        .unwrap();
    ws.write_number_with_format(3, col(&fields, "TotalRunTime"), 1.5, &fmt("[h]:mm:ss"))
        .unwrap();
    ws.write_number_with_format(
        3,
        col(&fields, "ReleaseYear"),
        47_484.0,
        &fmt("\"Year \"yyyy"),
    )
    .unwrap();
    let out = read(wb.save_to_buffer().unwrap());
    let row = first_row(&out);
    assert_eq!(
        cell(row, start),
        ("2030-01-01T00:00:00".into(), CellKind::DateTime, None),
        "a date-time format keeps its time at midnight"
    );
    assert_eq!(
        cell(row, end),
        ("2031-12-31".into(), CellKind::Date, None),
        "a date format shows the date only"
    );
    assert_eq!(
        cell(row, col(&fields, "TotalRunTime")),
        ("36:00:00".into(), CellKind::Time, None)
    );
    assert_eq!(
        cell(row, col(&fields, "ReleaseYear")),
        ("2030-01-01".into(), CellKind::Date, None)
    );
}

#[test]
fn a_serial_just_under_a_minute_and_the_1904_calendar() {
    let mut wb = Workbook::new();
    let (ws, fields) = movies_sheet(&mut wb, "Movies", &[movies_1_7_3()]);
    let fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    // 2030-01-01 23:59:00 as a file stores it: just under the minute.
    ws.write_number_with_format(3, col(&fields, "Start"), 47_484.999_305_555_5, &fmt)
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let start = col(&fields, "Start");
    let row = read(bytes.clone());
    assert_eq!(cell(first_row(&row), start).0, "2030-01-01T23:59:00");
    // The same serial counted from 1904-01-01 is 1462 days later.
    let b1904 = edit(&bytes, "xl/workbook.xml", |s| {
        s.replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
    });
    assert_eq!(
        cell(first_row(&read(b1904)), start).0,
        "2034-01-02T23:59:00"
    );
}

#[test]
fn formulas_are_reported_with_or_without_a_cached_value() {
    let mut wb = Workbook::new();
    let (ws, fields) = movies_sheet(
        &mut wb,
        "Movies",
        &[movies_1_7_3(), movies_1_7_3(), movies_1_7_3()],
    );
    let (start, end) = (col(&fields, "Start"), col(&fields, "End"));
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    ws.write_formula_with_format(
        3,
        start,
        Formula::new("=DATE(2030,1,1)").set_result("47484"),
        &date_time,
    )
    .unwrap();
    // End = Start + 730 on every row: one shared formula once edited.
    for r in 3..6 {
        let f = format!("={}{}+730", common::column_letter(start as usize), r + 1);
        ws.write_formula(r, end, Formula::new(f).set_result("48214"))
            .unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let e = common::column_letter(end as usize);
    let s = common::column_letter(start as usize);
    let bytes = edit(&bytes, SHEET1, |x| {
        x.replace(
            &format!("<f>{s}4+730</f>"),
            &format!("<f t=\"shared\" ref=\"{e}4:{e}6\" si=\"0\">{s}4+730</f>"),
        )
        .replace(&format!("<f>{s}5+730</f>"), "<f t=\"shared\" si=\"0\"/>")
        // Row 6's dependent was saved without a cached value.
        .replace(
            &format!("<f>{s}6+730</f><v>48214</v>"),
            "<f t=\"shared\" si=\"0\"/>",
        )
    });
    let (_, report, _) = check_bytes(&bytes, "t.xlsx", "ema");
    let mut messages: Vec<(String, String)> = with_code(&report, "EMA011")
        .iter()
        .map(|d| {
            (
                d["location"]["cell"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    messages.sort();
    let mut want = vec![
        (
            format!("{e}4"),
            format!("cell holds the formula `={s}4+730` (shown as `48214`)"),
        ),
        (
            format!("{e}5"),
            format!("cell holds the formula `={s}5+730` (shown as `48214`)"),
        ),
        (
            format!("{e}6"),
            format!("cell holds the formula `={s}6+730` (shown as ``)"),
        ),
        (
            format!("{s}4"),
            "cell holds the formula `=DATE(2030,1,1)` (shown as `2030-01-01T00:00:00`)".to_string(),
        ),
    ];
    want.sort();
    assert_eq!(messages, want);
    // The dependent without a cached value: a cell with its formula and no value.
    let mut pkg = Package::open(bytes).expect("package");
    let mut cells = pkg.cells(0).expect("sheet");
    let mut found = None;
    while let Some(c) = cells.next_cell().expect("cell") {
        if (c.row, c.column) == (6, u32::from(end)) {
            found = Some((c.value == CellValue::Empty, c.formula.map(str::to_string)));
        }
    }
    assert_eq!(found, Some((true, Some(format!("{s}6+730")))));
}

#[test]
fn error_values_booleans_and_inline_strings() {
    let mut wb = Workbook::new();
    let rec = movies_1_7_3().with(&[
        ("PriceValue", ""),
        ("SuppressionLiftDate", ""),
        ("CaptionIncluded", ""),
    ]);
    let (ws, fields) = movies_sheet(&mut wb, "Movies", &[rec]);
    let price = col(&fields, "PriceValue");
    ws.write_formula(3, price, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    ws.write_formula(
        3,
        col(&fields, "SuppressionLiftDate"),
        Formula::new("=NA()").set_result("#N/A"),
    )
    .unwrap();
    ws.write_boolean(3, col(&fields, "CaptionIncluded"), true)
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // The #N/A is a plain value, without its formula; the title an inline string.
    let title = common::column_letter(col(&fields, "TitleInternalAlias") as usize);
    let bytes = edit(&bytes, SHEET1, |s| {
        let shared = s.find(&format!("<c r=\"{title}4\"")).unwrap();
        let end = shared + s[shared..].find("</c>").unwrap() + 4;
        format!(
            "{}<c r=\"{title}4\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Inline Title</t></is></c>{}",
            &s[..shared],
            &s[end..]
        )
        .replace("<f>NA()</f>", "")
    });
    let out = read(bytes);
    let row = first_row(&out);
    assert_eq!(
        cell(row, price),
        ("#DIV/0!".into(), CellKind::Error, Some("1/0".into()))
    );
    assert_eq!(
        cell(row, col(&fields, "SuppressionLiftDate")),
        ("#N/A".into(), CellKind::Error, None)
    );
    assert_eq!(
        cell(row, col(&fields, "CaptionIncluded")),
        ("TRUE".into(), CellKind::Boolean, None)
    );
    assert_eq!(
        cell(row, col(&fields, "TitleInternalAlias")),
        ("Inline Title".into(), CellKind::Text, None)
    );
}

#[test]
fn hidden_rows_hidden_sheets_and_merged_ranges_reach_the_model() {
    let mut wb = Workbook::new();
    let recs = [movies_1_7_3(), movies_1_7_3(), movies_1_7_3()];
    let (ws, _) = movies_sheet(&mut wb, "Movies", &recs);
    ws.set_row_hidden(4).unwrap();
    // Row 1's category cells A1:C1 merged, as templates do.
    ws.merge_range(0, 0, 0, 2, "AvailTrans", &Format::new())
        .unwrap();
    let (hidden, _) = movies_sheet(&mut wb, "Movies hidden", &recs);
    hidden.set_hidden(true);
    let (very, _) = movies_sheet(&mut wb, "Movies very hidden", &recs);
    very.set_hidden(true);
    let bytes = wb.save_to_buffer().unwrap();
    let bytes = edit(&bytes, "xl/workbook.xml", |s| {
        s.replace(
            "<sheet name=\"Movies very hidden\" sheetId=\"3\" state=\"hidden\"",
            "<sheet name=\"Movies very hidden\" sheetId=\"3\" state=\"veryHidden\"",
        )
    });
    let out = read(bytes);
    let sheets: Vec<(Option<&str>, bool, usize)> = out
        .sheets
        .iter()
        .map(|s| (s.info.sheet.as_deref(), s.info.hidden, s.rows.len()))
        .collect();
    assert_eq!(
        sheets,
        [
            (Some("Movies"), false, 3),
            (Some("Movies hidden"), true, 3),
            (Some("Movies very hidden"), true, 3),
        ]
    );
    assert_eq!(
        out.sheets[0].info.merged,
        [MergedRange {
            first_row: 1,
            last_row: 1,
            first_column: 0,
            last_column: 2
        }]
    );
    assert!(out.sheets[1].info.merged.is_empty());
    let hidden_rows: Vec<(u32, bool)> = out.sheets[0]
        .rows
        .iter()
        .map(|r| (r.row, r.hidden))
        .collect();
    assert_eq!(hidden_rows, [(4, false), (5, true), (6, false)]);
}

#[test]
fn cells_without_a_reference_follow_the_previous_one() {
    // Every cell written (no blank gap), as generators that leave out `r` do.
    let rec = Rec(movies_1_7_3()
        .0
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect());
    let mut wb = Workbook::new();
    let (_, fields) = movies_sheet(&mut wb, "Movies", std::slice::from_ref(&rec));
    let bytes = wb.save_to_buffer().unwrap();
    // Row 4 written as some generators do: no `r` on the row or its cells.
    let bytes = edit(&bytes, SHEET1, |s| {
        let start = s.find("<row r=\"4\"").unwrap();
        let end = start + s[start..].find("</row>").unwrap();
        let row = &s[start..end];
        let row = regex::Regex::new(r#" r="[A-Z]*4""#)
            .unwrap()
            .replace_all(row, "");
        let row = row.replacen("<row r=\"4\"", "<row", 1);
        format!("{}{row}{}", &s[..start], &s[end..])
    });
    assert!(
        !String::from_utf8(read_part(&bytes, SHEET1))
            .unwrap()
            .contains("A4")
    );
    let out = read(bytes);
    let row = first_row(&out);
    assert_eq!(row.row, 4);
    for (i, f) in fields.iter().enumerate() {
        assert_eq!(cell(row, i as u16).0, rec.get(f).unwrap(), "{f}");
    }
}

#[test]
fn every_sample_workbook_is_read() {
    for dir in ["ema", "mddf-suite/xlsx"] {
        let mut paths: Vec<_> = std::fs::read_dir(samples_dir().join("..").join(dir))
            .expect("samples")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .collect();
        paths.sort();
        assert!(!paths.is_empty());
        for path in paths {
            let bytes = std::fs::read(&path).expect("sample");
            let out = read_bytes(bytes, "s.xlsx", 0, &ReadOptions::default());
            let out = out.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!out.sheets.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn a_damaged_sheet_part_is_an_error_naming_it() {
    let mut wb = Workbook::new();
    movies_sheet(&mut wb, "Movies", &[movies_1_7_3()]);
    let bytes = wb.save_to_buffer().unwrap();
    let truncated = edit(&bytes, SHEET1, |s| {
        s[..s.find("</sheetData>").unwrap()].to_string()
    });
    let (code, report, _) = check_bytes(&truncated, "t.xlsx", "ema");
    assert_eq!(code, 2);
    let error = report["files"][0]["error"].as_str().unwrap();
    assert!(error.contains("sheet `Movies` cannot be read"), "{error}");
    assert!(error.contains(SHEET1), "{error}");
    let doctype = edit(&bytes, "xl/workbook.xml", |s| {
        s.replacen(
            "<workbook",
            "<!DOCTYPE w [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><workbook",
            1,
        )
    });
    let (code, report, _) = check_bytes(&doctype, "t.xlsx", "ema");
    assert_eq!(code, 2);
    let error = report["files"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("xl/workbook.xml") && error.contains("DOCTYPE"),
        "{error}"
    );
}

#[test]
fn the_instructions_sheet_names_the_version_when_the_header_cannot() {
    // Fields every template has: the header alone names no version.
    let rec = Rec::new(&[
        ("DisplayName", "acme"),
        ("Territory", "US"),
        ("WorkType", "Movie"),
        ("EntryType", "Full Extract"),
        ("TitleInternalAlias", "The Example Movie"),
        ("LicenseType", "SVOD"),
        ("FormatProfile", "HD"),
        ("Start", "2030-01-01"),
        ("End", "2031-12-31"),
    ]);
    let mut wb = Workbook::new();
    movies_sheet(&mut wb, "Movies", &[rec]);
    let faq = wb.add_worksheet();
    faq.set_name("General Instructions and FAQ").unwrap();
    faq.write_string(0, 0, "EMA Avails").unwrap();
    // The label, an empty cell, then the version (as the 1.7.2 template).
    faq.write_string(6, 1, "Template Version:").unwrap();
    faq.write_string(6, 3, "v1.7.2").unwrap();
    let (_, report, stderr) = check_bytes(&wb.save_to_buffer().unwrap(), "t.xlsx", "ema");
    assert_eq!(report["files"][0]["template_version"], "1.7.2", "{stderr}");
    let used = one(&report, "AVC001");
    assert!(
        used["message"]
            .as_str()
            .unwrap()
            .contains("the instructions sheet names template version `v1.7.2`"),
        "{used}"
    );
}

/// A one-table OpenDocument spreadsheet of rows of `(attributes, text)` cells.
fn ods(rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for (attrs, text) in row {
            table.push_str(&format!(
                "<table:table-cell {attrs}><text:p>{text}</text:p></table:table-cell>"
            ));
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
            r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
            r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
            r#"<office:body><office:spreadsheet><table:table table:name="Movies">{}</table:table>"#,
            r#"</office:spreadsheet></office:body></office:document-content>"#
        ),
        table
    );
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    out.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    out.write_all(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
            r#"<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
            r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
            r#"</manifest:manifest>"#
        )
        .as_bytes(),
    )
    .unwrap();
    out.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

#[test]
fn ods_formulas_and_date_times() {
    // Formulas come as `of:=...`; the reader drops the namespace and `=`.
    let rec = movies_1_7_3();
    let fields = rec.fields();
    let mut rows: Vec<Vec<(&str, &str)>> = vec![
        fields
            .iter()
            .map(|_| (r#"office:value-type="string""#, "AvailTrans"))
            .collect(),
        fields
            .iter()
            .map(|f| (r#"office:value-type="string""#, f.as_str()))
            .collect(),
        vec![(r#"office:value-type="string""#, "// note")],
    ];
    let values = rec.values_for(&fields);
    let mut data: Vec<(&str, &str)> = values
        .iter()
        .map(|v| (r#"office:value-type="string""#, v.as_str()))
        .collect();
    let (start, caption) = (
        col(&fields, "Start") as usize,
        col(&fields, "CaptionIncluded") as usize,
    );
    data[start] = (
        r#"office:value-type="date" office:date-value="2030-01-01T00:00:00""#,
        "01/01/30 00:00",
    );
    // How LibreOffice saves an Excel boolean.
    data[caption] = (
        r#"table:formula="of:=TRUE()" office:value-type="boolean" office:boolean-value="true""#,
        "TRUE",
    );
    let price = col(&fields, "PriceValue") as usize;
    data[price] = (
        r#"table:formula="of:=[.A4]&amp;&quot;x&quot;" office:value-type="string" office:string-value="acmex""#,
        "acmex",
    );
    rows.push(data);
    let bytes = ods(&rows);
    let out = read(bytes.clone());
    let row = first_row(&out);
    assert_eq!(
        cell(row, start as u16),
        ("2030-01-01T00:00:00".into(), CellKind::DateTime, None)
    );
    // A constant boolean formula is read as the boolean (with a note).
    assert_eq!(
        cell(row, caption as u16),
        ("TRUE".into(), CellKind::Boolean, None)
    );
    assert_eq!(
        cell(row, price as u16),
        ("acmex".into(), CellKind::Text, Some("[.A4]&\"x\"".into()))
    );
    let (_, report, _) = check_bytes(&bytes, "t.ods", "ema");
    let formula = one(&report, "EMA011");
    assert_eq!(
        formula["message"],
        "cell holds the formula `=[.A4]&\"x\"` (shown as `acmex`)"
    );
}

/// Findings on hidden rows and sheets say so; an empty cell inside merged
/// cells gets told to unmerge and repeat the value.
#[test]
fn findings_on_hidden_rows_and_sheets_and_in_merged_cells_say_so() {
    let bad = movies_1_7_3().set("Territory", "XX");
    let recs = [movies_1_7_3(), bad.clone(), movies_1_7_3(), movies_1_7_3()];
    let mut wb = Workbook::new();
    let (ws, fields) = movies_sheet(&mut wb, "Movies", &recs);
    // Row 5 (the bad one) hidden.
    ws.set_row_hidden(4).unwrap();
    // LicenseType of rows 6 and 7 merged: row 7 shows it, holds nothing.
    let lt = col(&fields, "LicenseType");
    ws.merge_range(5, lt, 6, lt, "EST", &Format::new()).unwrap();
    let (hidden, _) = movies_sheet(&mut wb, "Movies 2", &[bad]);
    hidden.set_hidden(true);
    let bytes = wb.save_to_buffer().unwrap();
    let (_, report, _) = check_bytes(&bytes, "hidden.xlsx", "ema");
    let bad_territory: Vec<(String, String)> = with_code(&report, "EMA005")
        .iter()
        .map(|d| {
            (
                format!(
                    "{}!{}",
                    d["location"]["sheet"].as_str().unwrap(),
                    d["location"]["cell"].as_str().unwrap()
                ),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let territory = column_letter(usize::from(col(&fields, "Territory")));
    assert_eq!(bad_territory.len(), 2, "{bad_territory:?}");
    assert_eq!(bad_territory[0].0, format!("Movies!{territory}5"));
    assert!(
        bad_territory[0]
            .1
            .ends_with("(row 5 is hidden; Amazon reads hidden rows)"),
        "{bad_territory:?}"
    );
    assert_eq!(bad_territory[1].0, format!("Movies 2!{territory}4"));
    assert!(
        bad_territory[1]
            .1
            .ends_with("(sheet `Movies 2` is hidden; Amazon reads hidden sheets)"),
        "{bad_territory:?}"
    );
    let letter = column_letter(usize::from(lt));
    // (EST rows need a price too: EMA003 on PriceType and PriceValue.)
    let empty: Vec<&serde_json::Value> = with_code(&report, "EMA003")
        .into_iter()
        .filter(|d| d["location"]["field"] == "LicenseType")
        .collect();
    assert_eq!(empty.len(), 1, "{}", report["diagnostics"]);
    assert_eq!(empty[0]["location"]["cell"], format!("{letter}7"));
    let help = empty[0]["help"].as_str().unwrap();
    assert!(
        help.ends_with(&format!(
            "{letter}7 is one of the merged cells {letter}6:{letter}7, whose value only {letter}6 holds: unmerge them and write the value in every row"
        )),
        "{help}"
    );
}

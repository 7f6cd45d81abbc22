//! The same avails as .xlsx, .ods, .xls and .csv give the same findings.
//!
//! `fixtures/cross-format/avails.xlsx` is written by the ignored test below
//! (rust_xlsxwriter: native date-times, numbers, an error value, a boolean
//! formula, a hidden row, a non-breaking space); the .ods, .xls and .csv
//! were saved from it once by LibreOffice 7.4 (`soffice --headless
//! --convert-to ods|xls|csv`, CSV as UTF-8) and are committed as they came.
//! What a container cannot hold differs in the messages only (CSV has no
//! hidden rows and no formulas, so a finding there says less), and the
//! (code, severity, row, field) of each finding is the same, but for one
//! difference the test names: a CSV holds the text a date-time cell showed
//! (`2030-01-01 00:00:00`, a local form EMA008 asks to write in ISO 8601).

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn dir() -> PathBuf {
    fixtures_dir().join("cross-format")
}

/// (code, severity, row, field) of every finding.
type Finding = (String, String, Option<u64>, Option<String>);

fn findings_of(name: &str) -> BTreeSet<Finding> {
    let path = dir().join(name);
    let (code, report, stderr) = check(
        &path,
        "cph-svod",
        &["--territories", "US,GB", "--partner", "acme"],
    );
    assert_eq!(code, 1, "{name}: {stderr}");
    assert!(report["files"][0]["error"].is_null(), "{name}: {report}");
    diagnostics(&report)
        .iter()
        .map(|d| {
            let l = &d["location"];
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                l["row"].as_u64(),
                l["field"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn every_container_gives_the_same_findings() {
    let xlsx = findings_of("avails.xlsx");
    let f = |code: &str, severity: &str, row: u64, field: &str| -> Finding {
        (code.into(), severity.into(), Some(row), Some(field.into()))
    };
    let want: BTreeSet<Finding> = [
        ("AVC001".to_string(), "info".to_string(), None, None),
        // Row 6: `US` and a non-breaking space.
        f("EMA016", "warning", 6, "Territory"),
        // Row 7: ContentID is #N/A.
        f("EMA015", "error", 7, "ContentID"),
        // Row 8: a price written with a decimal comma.
        f("EMA018", "error", 8, "PriceValue"),
        // Row 9 (hidden): a 1.6 FormatProfile.
        f("EMA004", "error", 9, "FormatProfile"),
        // Row 10: End at midnight, before a Start at noon the same day.
        f("EMA010", "error", 10, "End"),
    ]
    .into_iter()
    .collect();
    assert_eq!(xlsx, want, "xlsx");
    // LibreOffice writes the midnight End of row 10 without its time; the
    // cell's style shows it, and the reader keeps it.
    assert_eq!(findings_of("avails.ods"), xlsx, "ods");
    // .xls: calamine gives dates without their format; the reader reads
    // the cells' formats itself (read::xls_times), so midnight stays a time.
    assert_eq!(findings_of("avails.xls"), xlsx, "xls");
    // CSV: the native date-times of rows 5 and 10 are text in a local form,
    // and the End of row 10 is no longer compared with its Start.
    let mut csv = xlsx.clone();
    csv.remove(&f("EMA010", "error", 10, "End"));
    for row in [5, 10] {
        csv.insert(f("EMA008", "error", row, "Start"));
        csv.insert(f("EMA008", "error", row, "End"));
    }
    assert_eq!(findings_of("avails.csv"), csv, "csv");
}

/// Writes fixtures/cross-format/avails.xlsx. Convert it again by hand after
/// a change (see the module comment).
#[test]
#[ignore = "writes fixtures/; run explicitly, then convert with LibreOffice"]
fn write_the_fixture() {
    let base = movies_1_7_3();
    let fields = base.fields();
    let col = |name: &str| fields.iter().position(|f| f == name).unwrap() as u16;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    for (c, f) in fields.iter().enumerate() {
        ws.write_string(0, c as u16, "AvailTrans").unwrap();
        ws.write_string(1, c as u16, f).unwrap();
    }
    ws.write_string(2, 0, "// cross-format fixture").unwrap();
    let alid = |n: u32| format!("md:alid:org:acme:movie-{n:04}");
    let mut rows: Vec<common::Rec> = (0..7)
        .map(|i| {
            base.clone()
                .set("ALID", &alid(i + 1))
                .set("ContentID", &format!("md:cid:org:acme:movie-{:04}", i + 1))
                .set("TitleInternalAlias", &format!("Movie {}", i + 1))
                .set("TitleDisplayUnlimited", &format!("Movie {}", i + 1))
        })
        .collect();
    // Row 6: a non-breaking space after US.
    rows[2] = rows[2].clone().set("Territory", "US\u{a0}");
    // Row 8: an EST row priced with a decimal comma.
    rows[4] = rows[4]
        .clone()
        .set("GroupIdentity", "")
        .set("LicenseType", "EST")
        .set("PriceType", "WSP")
        .set("PriceValue", "4,99")
        .set("PriceCurrency", "USD");
    // Row 9 (hidden): 4K is a 1.6 FormatProfile.
    rows[5] = rows[5].clone().set("FormatProfile", "4K");
    for (r, rec) in rows.iter().enumerate() {
        for (c, v) in rec.values_for(&fields).iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(3 + r as u32, c as u16, v).unwrap();
            }
        }
    }
    // Row 5: Start and End as native date-times (midnight keeps its time).
    let dt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let at = |y, m, d, h, min| {
        ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(h, min, 0)
            .unwrap()
    };
    ws.write_datetime_with_format(4, col("Start"), at(2030, 1, 1, 0, 0), &dt)
        .unwrap();
    ws.write_datetime_with_format(4, col("End"), at(2031, 12, 31, 23, 59), &dt)
        .unwrap();
    // Row 7: ContentID holds #N/A, a formula's result.
    ws.write_formula(
        6,
        col("ContentID"),
        Formula::new("=NA()").set_result("#N/A"),
    )
    .unwrap();
    ws.set_row_hidden(8).unwrap();
    // Row 10: Start at noon, End at midnight of the same day, native.
    ws.write_datetime_with_format(9, col("Start"), at(2030, 6, 1, 12, 0), &dt)
        .unwrap();
    ws.write_datetime_with_format(9, col("End"), at(2030, 6, 1, 0, 0), &dt)
        .unwrap();
    std::fs::create_dir_all(dir()).unwrap();
    wb.save(dir().join("avails.xlsx")).unwrap();
}

//! Which sheets of a workbook are avails sheets: classified by their header,
//! not their name; helper sheets skipped with a note; `--sheet` to choose.

mod common;

use common::*;
use serde_json::Value;

fn helper_sheets() -> Vec<SheetSpec> {
    vec![
        // A data-validation list of allowed values.
        SheetSpec::new(
            "1.7.3",
            "Lists",
            &[
                "LicenseType",
                "WorkType",
                "EntryType",
                "FormatProfile",
                "Territory",
            ],
            vec![
                vec!["SVOD", "Movie", "Full Extract", "HD", "US"],
                vec!["EST", "Short", "Full Delete", "UHD", "GB"],
            ],
        ),
        // A pivot of the avails.
        SheetSpec::new(
            "1.7.3",
            "Summary",
            &["Territory", "LicenseType", "WorkType", "Count"],
            vec![
                vec!["US", "SVOD", "Movie", "12"],
                vec!["GB", "SVOD", "Movie", "7"],
            ],
        ),
        // A change log.
        SheetSpec::new(
            "1.7.3",
            "Change log",
            &["Date", "Territory", "Start", "End"],
            vec![vec!["2026-11-01", "UK", "soon", "later"]],
        ),
    ]
}

fn codes_by_sheet(report: &Value, code: &str) -> Vec<String> {
    diagnostics(report)
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            d["location"]["sheet"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// Helper sheets are skipped with an info naming why and how to force
/// them; the avails sheet is checked (before: "cannot tell the template
/// version", exit 2, and with --template-version 13 false errors).
#[test]
fn helper_sheets_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = Book::one(SheetSpec::from_recs("Movies", &[movies_1_7_3()]));
    for s in helper_sheets() {
        book = book.sheet(s);
    }
    book.write(&path);
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["files"][0]["sheets"], serde_json::json!(["Movies"]));
    let mut skipped = codes_by_sheet(&report, "AVC003");
    skipped.sort();
    assert_eq!(skipped, ["Change log", "Lists", "Summary"]);
    let summary = diagnostics(&report)
        .iter()
        .find(|d| d["code"] == "AVC003" && d["location"]["sheet"] == "Summary")
        .unwrap();
    let m = summary["message"].as_str().unwrap();
    assert!(
        m.starts_with("not an avails sheet: its header (row 2: "),
        "{m}"
    );
    assert!(
        m.contains("LicenseType, Territory, WorkType) names 3 of the 1"),
        "{m}"
    );
    assert!(
        summary["help"]
            .as_str()
            .unwrap()
            .contains("--sheet 'Summary'"),
        "{summary:#}"
    );
    // `--sheet` checks only the named sheets, whatever they look like.
    let (_, report, _) = check(&path, "ema", &["--sheet", "Movies"]);
    assert_eq!(report["files"][0]["sheets"], serde_json::json!(["Movies"]));
    assert!(codes_by_sheet(&report, "AVC003").is_empty(), "{report:#}");
    let (code, report, _) = check(
        &path,
        "ema",
        &["--sheet", "Change log", "--template-version", "1.7.3"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        report["files"][0]["sheets"],
        serde_json::json!(["Change log"])
    );
    // A sheet that does not exist: exit 2 naming the sheets there are.
    let (code, report, _) = check(&path, "ema", &["--sheet", "Movie"]);
    assert_eq!(code, 2);
    let error = report["files"][0]["error"].as_str().unwrap();
    assert!(
        error.contains(
            "has no sheet `Movie` (named with --sheet); its sheets are `Movies`, `Lists`"
        ),
        "{error}"
    );
}

/// A workbook without any avails sheet is unreadable, and the message says
/// what each sheet looked like.
#[test]
fn no_avails_sheet_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("helpers.xlsx");
    let mut book = Book::default();
    for s in helper_sheets() {
        book = book.sheet(s);
    }
    book.write(&path);
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 2);
    let error = report["files"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("is a workbook without an EMA avails sheet"),
        "{error}"
    );
    for name in ["`Lists`", "`Summary`", "`Change log`"] {
        assert!(error.contains(name), "{error}");
    }
}

/// A sheet's kind comes from its header, not its name (before: "Movies &
/// TV" and "Movies TVOD" were read with the TV dictionary).
#[test]
fn sheet_kind_from_the_header() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["Movies & TV", "Movies TVOD", "TV"] {
        let path = dir.path().join("kind.xlsx");
        Book::one(SheetSpec::from_recs(name, &[movies_1_7_3()])).write(&path);
        let (code, report, _) = check(&path, "ema", &[]);
        assert_eq!(code, 0, "{name}: {report:#}");
        let version = one(&report, "AVC001")["message"].as_str().unwrap();
        assert!(version.contains("1.7.3 Movies sheet"), "{name}: {version}");
    }
    let path = dir.path().join("tv.xlsx");
    Book::one(SheetSpec::from_recs("Movies", &[tv_1_7_3()])).write(&path);
    let (_, report, _) = check(&path, "ema", &[]);
    let version = one(&report, "AVC001")["message"].as_str().unwrap();
    assert!(version.contains("1.7.3 TV sheet"), "{version}");
}

//! The MovieLabs validator's own test workbooks
//! (`fixtures/upstream/samples/mddf-suite/xlsx/`, see its README.md), one test each:
//! the exact set of (code, severity, place) availcheck reports with
//! `--profile ema`, infos included. Each test quotes what upstream (mddf
//! 2.0.9) expects of the file — its JUnit assertion where it has one, and
//! what it printed when run (fatal/error/warning) — and says why availcheck
//! differs where it does.
//!
//! A place is `Sheet!Cell`, or `Sheet!row field` for a header finding, or
//! the sheet for a sheet-wide one.
//!
//! Four workbooks were saved by LibreOffice with a rows-only
//! `<dimension ref="1:12"/>` (calamine rejected them; our xlsx reader does
//! not). Each is checked as it is and as a copy whose `<dimension>` is
//! removed at the zip level: both give the same findings.

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// `(code, severity, place)` of one diagnostic.
type Found = (String, String, String);

fn suite(file: &str) -> PathBuf {
    samples_dir().join("../mddf-suite/xlsx").join(file)
}

fn place(d: &Value) -> String {
    let l = &d["location"];
    let sheet = l["sheet"].as_str().unwrap_or_default();
    match (l["cell"].as_str(), l["row"].as_u64()) {
        (Some(cell), _) => format!("{sheet}!{cell}"),
        (None, Some(row)) => format!("{sheet}!{row} {}", l["field"].as_str().unwrap_or_default()),
        (None, None) => sheet.to_string(),
    }
}

/// Every diagnostic of `path` checked with `--profile ema`.
fn found(path: &Path) -> BTreeSet<Found> {
    let (code, report, stderr) = check(path, "ema", &[]);
    assert!(
        [0, 1].contains(&code),
        "{}: exit {code}\n{stderr}\n{report:#}",
        path.display()
    );
    assert!(report["files"][0]["error"].is_null(), "{report:#}");
    diagnostics(&report)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                place(d),
            )
        })
        .collect()
}

/// One expected diagnostic.
fn f(code: &str, severity: &str, place: &str) -> Found {
    (code.to_string(), severity.to_string(), place.to_string())
}

/// The same diagnostic on each row of `rows` in column `column`.
fn rows(
    code: &str,
    severity: &str,
    sheet: &str,
    column: &str,
    rows: impl IntoIterator<Item = u32>,
) -> Vec<Found> {
    rows.into_iter()
        .map(|r| f(code, severity, &format!("{sheet}!{column}{r}")))
        .collect()
}

#[track_caller]
fn expect(path: &Path, want: Vec<Found>) {
    let got = found(path);
    let want: BTreeSet<Found> = want.into_iter().collect();
    let missing: Vec<&Found> = want.difference(&got).collect();
    let extra: Vec<&Found> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{}\nmissing: {missing:#?}\nunexpected: {extra:#?}",
        path.display()
    );
}

/// A copy of `file` without its sheets' `<dimension>` elements (in `dir`).
fn without_dimension(file: &str, dir: &Path) -> PathBuf {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(suite(file)).unwrap()).unwrap();
    let out = dir.join(file);
    let mut w = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let text = String::from_utf8(bytes).unwrap();
            let start = text.find("<dimension ").expect("a <dimension>");
            let end = start + text[start..].find("/>").unwrap() + 2;
            bytes = format!("{}{}", &text[..start], &text[end..]).into_bytes();
        }
        w.start_file(name, opts).unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
    out
}

/// The AVC001 info of each sheet.
fn version_used(sheets: &[&str]) -> Vec<Found> {
    sheets.iter().map(|s| f("AVC001", "info", s)).collect()
}

// ------------------------------------------------- 1.7 and 1.7.2 workbooks

#[test]
fn movies_v1_7() {
    // Upstream: conversion clean; run: VALID 0/0/0.
    // availcheck: no error. Two header warnings upstream keeps quiet about:
    // `FixedEndDate` (MovieLabs' own 1.7 mapping has it, the 1.7 Movies
    // dictionary does not) and the stray `AvailTrans/Avail/AvailID` in BE2.
    let mut want = version_used(&["Movies"]);
    want.push(f("EMA002", "warning", "Movies!AJ2"));
    want.push(f("EMA002", "warning", "Movies!BE2"));
    expect(&suite("Movies_v1.7.xlsx"), want);
}

#[test]
fn movies_v1_7_2() {
    // Upstream: conversion clean; run: VALID 0/0/0. availcheck: clean.
    expect(&suite("Movies_v1.7.2.xlsx"), version_used(&["Movies"]));
}

/// Upstream: no assertion; run: VALID 0/0/0 (read only after fixing the
/// rows-only `<dimension>`). availcheck: clean — the `Collection` row with
/// its `;` list of BundledALIDs is a Movies row.
fn movies_v1_7_2_bundle(path: &Path) {
    expect(path, version_used(&["Movies"]));
}

#[test]
fn movies_v1_7_2_bundle_as_written() {
    movies_v1_7_2_bundle(&suite("Movies_v1.7.2_Bundle.xlsx"));
}

#[test]
fn movies_v1_7_2_bundle_dimension_removed() {
    let dir = tempfile::tempdir().unwrap();
    movies_v1_7_2_bundle(&without_dimension("Movies_v1.7.2_Bundle.xlsx", dir.path()));
}

/// Upstream: no assertion; run: VALID 0/0/0 (after fixing the rows-only
/// `<dimension>`). availcheck: clean.
fn movies_v1_7_2_collection(path: &Path) {
    expect(path, version_used(&["Movies"]));
}

#[test]
fn movies_v1_7_2_collection_as_written() {
    movies_v1_7_2_collection(&suite("Movies_v1.7.2_Collection.xlsx"));
}

#[test]
fn movies_v1_7_2_collection_dimension_removed() {
    let dir = tempfile::tempdir().unwrap();
    movies_v1_7_2_collection(&without_dimension(
        "Movies_v1.7.2_Collection.xlsx",
        dir.path(),
    ));
}

#[test]
fn avails_no_errors_v2_3_v1_7_2() {
    // Upstream: run 0/0/1. The warning is the rating: rows 6–7 rate a US
    // avail with FSK, and MovieLabs' converter makes the row's Territory the
    // rating's Region, so "RatingSystem not used in specified Region" —
    // availcheck's EMA043 on each row.
    // availcheck also: rows 10–11 list BundledALIDs with commas, but the
    // dictionary separates them with `;` (and upstream's converter splits on
    // `;` only, making one bundled ALID `33483_OV, 33600_OV, …` that names no
    // avail): EMA014, an error upstream never looks for. FixedEndDate is not
    // a 1.7.2 Movies field (EMA002; upstream's mapping has it).
    // The EST rows 4–5 have no PriceType but an SRP: priced (no EMA003).
    let mut want = version_used(&["Movies", "TV"]);
    want.push(f("EMA002", "warning", "Movies!AQ2"));
    want.extend(rows("EMA043", "warning", "Movies", "Z", [6, 7]));
    want.extend(rows("EMA014", "error", "Movies", "C", [10, 11]));
    expect(&suite("Avails_noErrors_v2.3_v1.7.2.xlsx"), want);
}

// ---------------------------------------------------------- 1.7.3 workbooks

#[test]
fn avails_no_errors_v2_3_v1_7_3() {
    // Upstream: run 0/0/13 (warnings). availcheck: the FSK rating of US rows
    // 6–7 (EMA043, as upstream) and the comma lists of BundledALIDs (EMA014,
    // see avails_no_errors_v2_3_v1_7_2).
    let mut want = version_used(&["Movies", "TV"]);
    want.extend(rows("EMA043", "warning", "Movies", "AC", [6, 7]));
    want.extend(rows("EMA014", "error", "Movies", "C", [10, 11]));
    expect(&suite("Avails_noErrors_v2.3_v1.7.3.xlsx"), want);
}

#[test]
fn movies_v1_7_3() {
    // Upstream: conversion clean; run 0/6/1. The 6 errors are upstream's own
    // bug: 1.7.3 allows `lang:asset` suffixes (`es:subdub`) and comma lists,
    // which its converter copies into XML unsplit. The warning is "Ignoring
    // cell BZ in row 7: out of bounds" — availcheck's EMA045 on BZ7.
    // availcheck also warns about the stray `Avail/AvailID` header (BY2).
    let mut want = version_used(&["Movies"]);
    want.push(f("EMA002", "warning", "Movies!BY2"));
    want.push(f("EMA045", "warning", "Movies!BZ7"));
    expect(&suite("Movies_v1.7.3.xlsx"), want);
}

#[test]
fn tv_v1_7_3() {
    // Upstream: conversion clean; run 0/16/0, all its own bug (`EN, FR, ES`
    // in AssetLanguage is a 1.7.3 comma list). availcheck: clean.
    expect(&suite("TV_v1.7.3.xlsx"), version_used(&["TV"]));
}

// ---------------------------------------- 1.8 single-sheet (AllAvails) layout

#[test]
fn movies_v1_7_2_v1_8() {
    // Upstream: run 0/0/0 — the 1.8 single-sheet `AllAvails` layout holding
    // Movie rows. availcheck: clean (each row is checked with the Movies
    // dictionary its WorkType names; the sheet was read as a TV sheet before,
    // with 81 errors).
    expect(
        &suite("Movies_v1.7.2_v1.8.xlsx"),
        version_used(&["AllAvails"]),
    );
}

#[test]
fn avails_no_errors_v2_3_v1_8() {
    // Upstream: run 0/0/1 (1.8 single-sheet layout). availcheck: the header
    // has no VolumeContentID, which 1.8 TV Volume rows need (EMA013, a
    // warning); the FSK rating of US rows 6–7 (EMA043, as upstream); the
    // comma lists of BundledALIDs (EMA014, see avails_no_errors_v2_3_v1_7_2).
    let mut want = version_used(&["AllAvails"]);
    want.push(f("EMA013", "warning", "AllAvails!2 VolumeContentID"));
    want.extend(rows("EMA043", "warning", "AllAvails", "AN", [6, 7]));
    want.extend(rows("EMA014", "error", "AllAvails", "C", [10, 11]));
    expect(&suite("Avails_noErrors_v2.3_v1.8.xlsx"), want);
}

#[test]
fn avails_no_errors_v2_3_v1_8_toplevel() {
    // Upstream: run 0/0/1 (the copy one folder up in upstream's tree; its
    // header has the Volume columns). availcheck: EMA043 and EMA014 as above.
    let mut want = version_used(&["AllAvails"]);
    want.extend(rows("EMA043", "warning", "AllAvails", "AO", [6, 7]));
    want.extend(rows("EMA014", "error", "AllAvails", "C", [10, 11]));
    expect(&suite("Avails_noErrors_v2.3_v1.8__toplevel.xlsx"), want);
}

#[test]
fn avails_no_errors_v2_3_v1_7_3_v1_8() {
    // Upstream: run 0/2/0 — its converter throws on the empty WorkType of
    // row 20, a stub row (ALID, AvailID, EntryType, DisplayName only).
    // availcheck: row 20 lacks what every avail needs, whatever its kind
    // (WorkType, Territory, LicenseType, Start, End, FormatProfile, price):
    // EMA003 on each; no kind-specific field is asked for since no WorkType
    // says the kind. Plus EMA013, EMA043 and EMA014 as in the other copies.
    let mut want = version_used(&["AllAvails"]);
    want.push(f("EMA013", "warning", "AllAvails!2 VolumeContentID"));
    want.extend(rows("EMA043", "warning", "AllAvails", "AN", [16, 17]));
    want.extend(rows("EMA014", "error", "AllAvails", "C", [8, 9]));
    for column in ["W", "BU", "BZ", "CE", "CJ", "CK", "CP", "CS"] {
        want.push(f("EMA003", "error", &format!("AllAvails!{column}20")));
    }
    expect(&suite("Avails_noErrors_v2.3_v1.7.3_v1.8.xlsx"), want);
}

#[test]
fn avails_volume_no_err_v2_4_v1_8() {
    // Upstream: run 0/2/0, both its own errors: `KRFS:V01` and `KRFS:V02`
    // (VolumeDistributionNumber) are strings in the XSD, which availcheck
    // accepts. availcheck: the seven Episode rows leave SeasonNumber empty,
    // which the 1.8 TV template marks //REQ (the XML twin has an empty
    // `<SeasonNumber/>`, which its XSD allows): EMA003 on each. Volume rules
    // (an episode in two Volumes) are the mddf branch's; this file has none
    // to break.
    let mut want = version_used(&["AllAvails"]);
    want.extend(rows(
        "EMA003",
        "error",
        "AllAvails",
        "BE",
        [4, 5, 6, 7, 9, 11, 12],
    ));
    expect(&suite("Avails_Volume_no-err_v2.4_v1.8.xlsx"), want);
}

/// Upstream: no assertion; run 0/2/0 (after fixing the rows-only
/// `<dimension>`): the same string DistributionNumbers. availcheck: the
/// Episode rows 6–12 without SeasonNumber (EMA003), as in
/// avails_volume_no_err_v2_4_v1_8.
fn avails_volume_v1_8(path: &Path) {
    let mut want = version_used(&["AllAvails"]);
    want.extend(rows("EMA003", "error", "AllAvails", "BE", 6..=12));
    expect(path, want);
}

#[test]
fn avails_volume_v1_8_as_written() {
    avails_volume_v1_8(&suite("Avails_Volume_v1.8.xlsx"));
}

#[test]
fn avails_volume_v1_8_dimension_removed() {
    let dir = tempfile::tempdir().unwrap();
    avails_volume_v1_8(&without_dimension("Avails_Volume_v1.8.xlsx", dir.path()));
}

/// Upstream: no assertion; run 0/2/0 (after fixing the rows-only
/// `<dimension>`). availcheck: the FSK rating of US rows 6–7 (EMA043), the
/// comma lists of BundledALIDs (EMA014), and the Episode rows 30–36 without
/// SeasonNumber (EMA003).
fn avails_w_volume_v1_8(path: &Path) {
    let mut want = version_used(&["AllAvails"]);
    want.extend(rows("EMA043", "warning", "AllAvails", "AO", [6, 7]));
    want.extend(rows("EMA014", "error", "AllAvails", "C", [10, 11]));
    want.extend(rows("EMA003", "error", "AllAvails", "BE", 30..=36));
    expect(path, want);
}

#[test]
fn avails_w_volume_v1_8_as_written() {
    avails_w_volume_v1_8(&suite("Avails_w_Volume_v1.8.xlsx"));
}

#[test]
fn avails_w_volume_v1_8_dimension_removed() {
    let dir = tempfile::tempdir().unwrap();
    avails_w_volume_v1_8(&without_dimension("Avails_w_Volume_v1.8.xlsx", dir.path()));
}

// ------------------------------------------------- 1.8 official templates

#[test]
fn all_v1_8() {
    // Upstream: run 0/1/0 — it reads only the first sheet, the empty
    // `Template-Collections`; the data is on the other two.
    // availcheck reads all three: Template-Movies rows 16–30 have no
    // ContentID (EMA003), and rows 16–21 set ExceptionFlag `Yes` where the
    // first row of the same ALID leaves it empty (EMA012; ExceptionFlag is
    // one value per Avail). Template-TV: Episode rows 6–7 without
    // EpisodeContentID and Season rows 24–25 without ALID (EMA003). The
    // `=TRUE()` cells are read as booleans (AVC009).
    let mut want = version_used(&["Template-Collections", "Template-Movies", "Template-TV"]);
    want.push(f("AVC009", "info", "Template-Movies"));
    want.push(f("AVC009", "info", "Template-TV"));
    want.extend(rows("EMA003", "error", "Template-Movies", "AL", 16..=30));
    want.extend(rows("EMA012", "error", "Template-Movies", "AY", 16..=21));
    want.extend(rows("EMA003", "error", "Template-TV", "BH", [6, 7]));
    want.extend(rows("EMA003", "error", "Template-TV", "AF", [24, 25]));
    expect(&suite("All_v1.8.xlsx"), want);
}

#[test]
fn movies_v1_8() {
    // Upstream: conversion clean; run 0/3/0 — "missing ContentID (an Asset
    // without contentID)", counted once per Avail (three ALIDs).
    // availcheck: the same gap, on each of the 15 rows without ContentID.
    let mut want = version_used(&["Template-Movies"]);
    want.extend(rows("EMA003", "error", "Template-Movies", "AL", 16..=30));
    expect(&suite("Movies_v1.8.xlsx"), want);
}

#[test]
fn tv_v1_8() {
    // Upstream: conversion clean; run 0/2/0 — missing ContentID, and Season
    // rows without ALID. availcheck: Episode rows 6–7 without
    // EpisodeContentID and Season rows 24–25 without ALID (EMA003 each).
    let mut want = version_used(&["Template-TV"]);
    want.extend(rows("EMA003", "error", "Template-TV", "BH", [6, 7]));
    want.extend(rows("EMA003", "error", "Template-TV", "AF", [24, 25]));
    expect(&suite("TV_v1.8.xlsx"), want);
}

// ------------------------------------------------------------ 1.9 workbooks

#[test]
fn movies_v1_9() {
    // Upstream: conversion clean; run 0/0/24 — its warnings are the booleans
    // stored as `=TRUE()` / `=FALSE()` (how LibreOffice saves Excel
    // booleans). availcheck reads them as the booleans: one AVC009 info.
    let mut want = version_used(&["Template-Movies"]);
    want.push(f("AVC009", "info", "Template-Movies"));
    expect(&suite("Movies_v1.9.xlsx"), want);
}

#[test]
fn tv_v1_9() {
    // Upstream: conversion clean; run VALID 0/0/0. availcheck: clean (the
    // template's `VolumeDistributinoNumber` header is a known misspelling).
    let mut want = version_used(&["Template-TV_v1.9"]);
    want.push(f("AVC009", "info", "Template-TV_v1.9"));
    expect(&suite("TV_v1.9.xlsx"), want);
}

#[test]
fn tpt_test_v1_9() {
    // Upstream: conversion clean; run VALID 0/0/0. availcheck: clean; the
    // 1.9 TPRType (`Conditional`) and CampaignID columns are fields of the
    // 1.9 dictionary.
    expect(
        &suite("TPT-test_v1.9.xlsx"),
        version_used(&["Template-Movies"]),
    );
}

#[test]
fn tpt_test_v1_9_v2_5_v1_9() {
    // Upstream: conversion clean; run VALID 0/0/0. availcheck: clean — the
    // 1.9 single-sheet layout with AssociatedALID, CampaignID and TPRType.
    expect(
        &suite("TPT-test_v1.9_v2.5_v1.9.xlsx"),
        version_used(&["AllAvails"]),
    );
}

#[test]
fn bonus_v1_9() {
    // Upstream: conversion clean; run 0/4/0 — Territory `0` on both rows,
    // and LicenseType empty on both. WorkType `Supplemental` is valid (the
    // Bonus sheet's; Common Metadata vocabulary), and so are the Reference
    // columns (RefALID, RefTerritory, RefLicenseType, …).
    // availcheck: the same four errors.
    let mut want = version_used(&["Bonus"]);
    want.extend(rows("EMA005", "error", "Bonus", "J", [4, 5]));
    want.extend(rows("EMA003", "error", "Bonus", "U", [4, 5]));
    expect(&suite("Bonus_v1.9.xlsx"), want);
}

/// Every workbook of the suite has its test above.
#[test]
fn every_suite_workbook_is_tested() {
    let source = include_str!("mddf_workbooks.rs");
    let mut files: Vec<String> = std::fs::read_dir(suite(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 23);
    for file in files {
        assert!(
            source.contains(&format!("\"{file}\"")),
            "{file} has no test"
        );
    }
}

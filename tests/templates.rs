//! The 1.8 and 1.9 templates in full, end to end (workbooks built in code,
//! checked with `--profile ema`): every sheet kind — the single-sheet
//! `AllAvails` layout, Movies, TV, Collections and the 1.9 Bonus sheet —
//! with each row checked by the dictionary of its WorkType; the 1.9 fields
//! and the Bonus sheet's Reference columns; a data cell right of the
//! header (EMA045); SRP as a row's price; DistributionNumber as a string.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

/// `(code, field, cell)` of every error and warning.
fn found(report: &Value) -> BTreeSet<(String, String, String)> {
    diagnostics(report)
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| {
            let l = &d["location"];
            (
                d["code"].as_str().unwrap().to_string(),
                l["field"].as_str().unwrap_or_default().to_string(),
                l["cell"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(c, f, l)| (c.to_string(), f.to_string(), l.to_string()))
        .collect()
}

/// Writes `sheet` and checks it with `--profile ema`.
fn ema(sheet: SheetSpec) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    Book::one(sheet).write(&path);
    check(&path, "ema", &[]).1
}

/// A clean 1.9 Movie row (no CPH marker: these are EMA tests).
fn movie() -> Rec {
    movies_1_7_3().without("GroupIdentity")
}

/// A clean 1.9 Episode row.
fn episode() -> Rec {
    tv_1_7_3().without("GroupIdentity")
}

/// The fields of both records, Movie's first: the single-sheet layout
/// (from 1.8 with the VolumeContentID of Volume rows).
fn all_avails(version: &str, rows: &[Rec]) -> SheetSpec {
    let mut fields = movie().fields();
    for f in episode().fields() {
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    if version != "1.7.3" {
        fields.push("VolumeContentID".into());
    }
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut sheet = SheetSpec::new(version, "AllAvails", &names, Vec::new());
    for r in rows {
        sheet = sheet.push(r);
    }
    sheet
}

#[test]
fn all_avails_rows_are_checked_with_their_worktypes_dictionary() {
    let sheet = all_avails(
        "1.8",
        &[
            movie().set("ContentID", ""),
            episode().set("EpisodeNumber", ""),
            movie(),
            episode(),
        ],
    );
    let content = sheet.letter("ContentID");
    let number = sheet.letter("EpisodeNumber");
    let report = ema(sheet);
    // The Movie row needs its ContentID, the Episode row its EpisodeNumber;
    // neither is asked for the other kind's fields (SeriesContentID, …).
    assert_eq!(
        found(&report),
        set(&[
            ("EMA003", "ContentID", &format!("{content}4")),
            ("EMA003", "EpisodeNumber", &format!("{number}5")),
        ]),
        "{report:#}"
    );
    let version = one(&report, "AVC001")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        version.contains("1.8 AllAvails (Movies and TV) sheet")
            && version.contains("each row with the dictionary of its WorkType"),
        "{version}"
    );
}

/// The single-sheet layout is new in 1.8: a header with every column of a
/// 1.7.3 Movies row and of a 1.7.3 TV row (and none newer) is read as 1.8.
#[test]
fn a_header_of_both_kinds_is_the_1_8_single_sheet() {
    let mut sheet = all_avails("1.7.3", &[movie(), episode()]);
    sheet.row3 = None;
    let report = ema(sheet);
    assert_eq!(report["files"][0]["template_version"], "1.8");
    let version = one(&report, "AVC001")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        version.contains("the single-sheet layout (AllAvails) is new in 1.8"),
        "{version}"
    );
    // Only the Volume column 1.8 TV rows may need is missing (a warning).
    assert_eq!(
        found(&report),
        set(&[("EMA013", "VolumeContentID", "")]),
        "{report:#}"
    );
}

/// A row whose WorkType names no kind is asked only for what every kind
/// requires; the WorkType itself is reported with every kind's values.
#[test]
fn a_row_without_a_known_worktype_is_asked_what_every_kind_needs() {
    let sheet = all_avails(
        "1.9",
        &[movie()
            .set("WorkType", "Movies")
            .set("ContentID", "")
            .set("FormatProfile", "")],
    );
    let work_type = sheet.letter("WorkType");
    let format = sheet.letter("FormatProfile");
    let report = ema(sheet);
    assert_eq!(
        found(&report),
        set(&[
            ("EMA004", "WorkType", &format!("{work_type}4")),
            ("EMA003", "FormatProfile", &format!("{format}4")),
        ]),
        "{report:#}"
    );
    let bad = one(&report, "EMA004");
    assert_eq!(
        bad["message"], "`Movies` is not a valid WorkType in EMA 1.9",
        "{bad:#}"
    );
    let help = bad["help"].as_str().unwrap();
    assert!(
        help.starts_with("did you mean `Movie`?")
            && help.contains("Episode")
            && help.contains("Supplemental"),
        "{help}"
    );
}

/// From 1.8 the templates are one layout: an Episode row on the Movies
/// template is checked as a TV row, and the TV columns it needs are
/// missing from the header (EMA001, once each).
#[test]
fn an_episode_on_the_movies_template_is_a_tv_row() {
    let mut sheet = SheetSpec::from_recs(
        "Template-Movies",
        &[
            movie(),
            movie().set("WorkType", "Episode").set("ContentID", ""),
        ],
    );
    sheet.row3 = Some("1.8".into());
    let report = ema(sheet);
    let missing: BTreeSet<String> = with_code(&report, "EMA001")
        .iter()
        .map(|d| d["location"]["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        missing,
        ["SeriesContentID", "SeriesTitleInternalAlias"]
            .map(String::from)
            .into(),
        "{report:#}"
    );
    assert!(
        with_code(&report, "EMA001")[0]["message"]
            .as_str()
            .unwrap()
            .contains("which EMA 1.8 tv rows require"),
        "{report:#}"
    );
    // The Episode row lacks what a TV Episode needs (its columns required
    // only for Episodes are EMA013 at the header, EMA003 on the row), and
    // not the Movies ContentID it leaves empty.
    assert!(!with_code(&report, "EMA013").is_empty(), "{report:#}");
    let empty: BTreeSet<(String, u64)> = with_code(&report, "EMA003")
        .iter()
        .map(|d| {
            let l = &d["location"];
            (
                l["field"].as_str().unwrap().to_string(),
                l["row"].as_u64().unwrap(),
            )
        })
        .collect();
    let episode_fields = [
        "CaptionIncluded",
        "EpisodeContentID",
        "EpisodeNumber",
        "EpisodeTitleInternalAlias",
        "SeasonContentID",
        "SeasonNumber",
    ];
    assert_eq!(
        empty,
        episode_fields.map(|f| (f.to_string(), 5)).into(),
        "{report:#}"
    );
    // 1.7.3 keeps its separate sheets: there an Episode is no Movies WorkType.
    let mut old = SheetSpec::from_recs("Movies", &[movie().set("WorkType", "Episode")]);
    old.row3 = Some("// 1.7.3".into());
    let report = ema(old);
    assert_eq!(
        one(&report, "EMA004")["message"],
        "`Episode` is not a valid WorkType in EMA 1.7.3 movies",
    );
}

/// The 1.8 `Template-Collections` sheet: the Movies columns without
/// StoreType and PackageLabel; its `Collection` rows are Movies rows.
#[test]
fn collections_sheet() {
    let row = movie()
        .set("WorkType", "Collection")
        .set("BundledALIDs", "md:alid:org:acme:a;md:alid:org:acme:b");
    let mut sheet = SheetSpec::from_recs("Template-Collections", &[row]);
    sheet.row3 = Some("1.8".into());
    let report = ema(sheet);
    assert_clean(&report);
}

/// A clean 1.9 Bonus row: the Movies columns and the Reference columns.
fn bonus() -> Rec {
    movie().with(&[
        ("RefALID", "md:alid:org:acme:movie-0001"),
        ("RefTerritory", "US"),
        ("RefTerritoryExcluded", ""),
        ("RefLicenseType", "EST"),
        ("RefFormatProfile", "HD"),
        ("RefAvailID", ""),
        ("WorkType", "Supplemental"),
    ])
}

fn bonus_sheet(rows: &[Rec]) -> SheetSpec {
    let mut sheet = SheetSpec::from_recs("Bonus", rows);
    sheet.row3 = Some("1.9".into());
    sheet
}

#[test]
fn bonus_sheet_reference_columns_are_fields() {
    let report = ema(bonus_sheet(&[bonus()]));
    assert_clean(&report);
    let version = one(&report, "AVC001")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(version.contains("1.9 Bonus sheet"), "{version}");
    // Their values are checked: the enumerations of LicenseType and
    // FormatProfile, territories, and RefALID and RefLicenseType are required.
    let sheet = bonus_sheet(&[bonus()
        .set("RefLicenseType", "Rental")
        .set("RefFormatProfile", "4K")
        .set("RefTerritory", "XX")
        .set("RefALID", "")]);
    let letter = |f: &str| format!("{}4", sheet.letter(f));
    let want = set(&[
        ("EMA004", "RefLicenseType", &letter("RefLicenseType")),
        ("EMA004", "RefFormatProfile", &letter("RefFormatProfile")),
        ("EMA005", "RefTerritory", &letter("RefTerritory")),
        ("EMA003", "RefALID", &letter("RefALID")),
    ]);
    assert_eq!(found(&ema(sheet)), want);
}

/// A Movie row on the Bonus sheet is a Movies row (no Reference needed);
/// the Bonus sheet without RefALID lacks a column its rows require.
#[test]
fn bonus_sheet_rows_by_worktype() {
    let report = ema(bonus_sheet(&[
        bonus(),
        bonus()
            .set("WorkType", "Movie")
            .set("ALID", "md:alid:org:acme:movie-0002")
            .set("ContentID", "md:cid:org:acme:movie-0002")
            .set("RefALID", "")
            .set("RefLicenseType", ""),
    ]));
    assert_clean(&report);
    let without = bonus_sheet(&[bonus().without("RefALID")]);
    let report = ema(without);
    let missing = one(&report, "EMA001");
    assert_eq!(missing["location"]["field"], "RefALID");
}

/// TPRType is checked against its 1.9 values wherever its column is: on the
/// single-sheet layout too (where it used to be an unknown column, so
/// `Bogus` passed). CampaignID and AssociatedALID are fields.
#[test]
fn tpr_type_on_the_single_sheet() {
    let rows = [
        movie().with(&[
            ("TPRType", "Bogus"),
            ("CampaignID", "spring-sale"),
            ("AssociatedALID", "md:alid:org:acme:a;md:alid:org:acme:b"),
        ]),
        episode().with(&[("TPRType", "unconditional")]),
    ];
    let mut fields = all_avails("1.9", &[]).fields;
    fields.extend(["TPRType", "CampaignID", "AssociatedALID"].map(String::from));
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut sheet = SheetSpec::new("1.9", "AllAvails", &names, Vec::new());
    for r in &rows {
        sheet = sheet.push(r);
    }
    let tpr = sheet.letter("TPRType");
    let report = ema(sheet);
    // `unconditional` passes: MovieLabs compares TPRType in any case.
    assert_eq!(
        found(&report),
        set(&[("EMA004", "TPRType", &format!("{tpr}4"))]),
        "{report:#}"
    );
}

/// DistributionNumber and VolumeDistributionNumber are strings in the XSD
/// (`KRFS:V01` in MovieLabs' own Volume sample).
#[test]
fn distribution_numbers_are_strings() {
    let rows = [episode().with(&[
        ("DistributionNumber", "KRFS:E01"),
        ("VolumeDistributinoNumber", "KRFS:V01"),
        ("VolumeContentID", ""),
    ])];
    let mut sheet = SheetSpec::from_recs("Template-TV_v1.9", &rows);
    sheet.row3 = Some("1.9".into());
    assert_clean(&ema(sheet));
}

/// A row priced only by its SRP (no PriceType/PriceValue) is priced, as
/// MovieLabs' pricing rule counts SRP's Money term; without SRP either,
/// PriceType and PriceValue are required.
#[test]
fn srp_prices_a_row() {
    let est = movie().with(&[("LicenseType", "EST"), ("SRP", "9.99")]);
    let mut sheet = SheetSpec::from_recs("Template-Movies", &[est.clone(), est.set("SRP", "")]);
    sheet.row3 = Some("1.9".into());
    let (price_type, price_value) = (sheet.letter("PriceType"), sheet.letter("PriceValue"));
    let report = ema(sheet);
    assert_eq!(
        found(&report),
        set(&[
            ("EMA003", "PriceType", &format!("{price_type}5")),
            ("EMA003", "PriceValue", &format!("{price_value}5")),
        ]),
        "{report:#}"
    );
    assert!(
        one_at(&report, "PriceType")["message"]
            .as_str()
            .unwrap()
            .ends_with("(required unless LicenseType is SVOD or SRP has a value)")
    );
}

fn one_at<'a>(report: &'a Value, field: &str) -> &'a Value {
    with_code(report, "EMA003")
        .into_iter()
        .find(|d| d["location"]["field"] == field)
        .expect("a finding")
}

/// A value filled across the row right of the header (or an .ods cell
/// repeated over many columns): one warning naming the range, not one per
/// cell; a different value next to it is its own warning.
#[test]
fn ema045_a_value_filled_across_columns_is_one_warning() {
    let rec = movie();
    let width = rec.fields().len();
    let mut sheet = SheetSpec::from_recs("Movies", &[rec.clone(), rec]);
    sheet.row3 = Some("// 1.7.3".into());
    sheet.rows[0].extend(["fill".into(), "fill".into(), "fill".into(), "other".into()]);
    let report = ema(sheet);
    let warnings = with_code(&report, "EMA045");
    let (first, last, other) = (
        column_letter(width),
        column_letter(width + 2),
        column_letter(width + 3),
    );
    let mut cells: Vec<&str> = warnings
        .iter()
        .map(|d| d["location"]["cell"].as_str().unwrap())
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [format!("{first}4"), format!("{other}4")],
        "{report:#}"
    );
    let fill = warnings
        .iter()
        .find(|d| d["location"]["cell"] == format!("{first}4").as_str())
        .unwrap();
    let message = fill["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "cells {first}4:{last}4 (3 cells) hold `fill` right of the header's last column ({})",
            column_letter(width - 1)
        )),
        "{message}"
    );
}

/// A data cell right of the header's last column: one warning per column,
/// at its first cell, saying how many it holds; `//` comment rows do not
/// count.
#[test]
fn ema045_cells_right_of_the_header() {
    let rec = movie();
    let width = rec.fields().len();
    let mut sheet = SheetSpec::from_recs("Movies", &[rec.clone(), rec.clone(), rec]);
    sheet.row3 = Some("// 1.7.3".into());
    for row in &mut sheet.rows[..2] {
        row.push("note".into());
    }
    sheet.rows[2].extend(["".into(), "".into(), "x".into()]);
    sheet = sheet.push_raw(&[
        "//e.g. a comment",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "stray",
    ]);
    let near = column_letter(width);
    let far = column_letter(width + 2);
    let report = ema(sheet);
    let warnings = with_code(&report, "EMA045");
    let cells: Vec<(&str, &str)> = warnings
        .iter()
        .map(|d| {
            (
                d["location"]["cell"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            (&*format!("{near}4"), "warning"),
            (&*format!("{far}6"), "warning")
        ],
        "{report:#}"
    );
    let first = warnings[0]["message"].as_str().unwrap();
    assert!(
        first.contains(&format!(
            "cell {near}4 holds `note` right of the header's last column ({})",
            column_letter(width - 1)
        )) && first.ends_with(&format!("(column {near} holds 2 such cells)")),
        "{first}"
    );
    assert_eq!(
        found(&report)
            .into_iter()
            .filter(|f| f.0 != "EMA045")
            .count(),
        0,
        "{report:#}"
    );
}

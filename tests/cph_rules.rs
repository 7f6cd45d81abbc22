//! CPH SVOD rules (CPH001–CPH011) end to end, against
//! /work/shared/reference/cph-svod-rules.md. Each test builds a workbook in
//! code (tests/common), runs `availcheck check --profile cph-svod --json
//! --as-of 2026-11-22T00:00:00Z`, and asserts the report's exact set of
//! (code, severity, sheet, row, field) for errors and warnings.
//!
//! Column letters: in `movies_1_7_3()` Territory is C, GroupIdentity I,
//! LicenseRightsDescription K, Start M, End N; in `movies_1_6()`
//! LicenseRightsDescription is I, Start K, End L. Data starts in row 4.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

const AGREEMENT: [&str; 4] = ["--territories", "US,GB", "--partner", "acme"];

fn set(v: &[Tuple]) -> BTreeSet<Tuple> {
    v.iter().cloned().collect()
}

fn cell(d: &Value) -> &str {
    d["location"]["cell"].as_str().unwrap_or("")
}

/// Checks records as one sheet with the CPH profile and `flags`.
fn cph(sheet: &str, recs: &[Rec], flags: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", sheet, recs);
    let (code, report, _) = check(&path, "cph-svod", flags);
    (code, report)
}

/// A Licensed SVOD row (SVOD without the marker) of the same title as
/// `movies_1_7_3()`, ending at `end`.
fn licensed_1_7_3(end: &str) -> Rec {
    movies_1_7_3().with(&[
        ("GroupIdentity", ""),
        ("Start", "2027-01-01T00:00:00Z"),
        ("End", end),
    ])
}

fn alid(n: u32) -> String {
    format!("md:alid:org:acme:movie-{n:04}")
}

// ------------------------------------------------------------ multi-row workbooks

#[test]
fn multi_row_1_7_3_movies_exact_findings() {
    let recs = vec![
        // 4: clean CPH row.
        movies_1_7_3(),
        // 5: IN outside the agreement (comma list on 1.7.3).
        movies_1_7_3().with(&[("Territory", "US, GB, IN"), ("ALID", &alid(5))]),
        // 6: partner alias is not one lower-case word.
        movies_1_7_3().with(&[("DisplayName", "Acme Films"), ("ALID", &alid(6))]),
        // 7: a condition is not a forward-looking Start.
        movies_1_7_3().with(&[("Start", "Immediate"), ("ALID", &alid(7))]),
        // 8: Start in the past.
        movies_1_7_3().with(&[("Start", "2026-01-01T00:00:00Z"), ("ALID", &alid(8))]),
        // 9: a Licensed SVOD row (no marker) of title 1 ending exactly one
        //    minute before row 4's CPH Start: continuous, nothing reported.
        licensed_1_7_3("2029-12-31T23:59:00Z"),
        // 10: DAB on a CPH row of 1.7.3 is fine.
        movies_1_7_3().with(&[("LicenseRightsDescription", "DAB"), ("ALID", &alid(10))]),
        // 11: anything else in LicenseRightsDescription of a 1.7.3 CPH row warns.
        movies_1_7_3().with(&[("LicenseRightsDescription", "Library"), ("ALID", &alid(11))]),
        // 12: an EST row is not CPH; nothing CPH-specific applies except the alias.
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("LicenseType", "EST"),
            ("PriceType", "WSP"),
            ("PriceValue", "9.99"),
            ("PriceCurrency", "USD"),
            ("ALID", &alid(12)),
        ]),
    ];
    let (code, report) = cph("Movies", &recs, &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH003", "error", "Movies", 5, "Territory"),
            // The alias is also not `acme`: one diagnostic per distinct value.
            at("CPH007", "error", "Movies", 6, "DisplayName"),
            at("CPH004", "error", "Movies", 7, "Start"),
            at("CPH004", "error", "Movies", 8, "Start"),
            at(
                "CPH012",
                "warning",
                "Movies",
                11,
                "LicenseRightsDescription"
            ),
        ]),
        "{report:#}"
    );
    let india = one(&report, "CPH003");
    assert_eq!(cell(india), "C5");
    assert!(india["message"].as_str().unwrap().contains("`IN`"));
    assert!(
        india["help"].as_str().unwrap().contains("India"),
        "{india:#}"
    );
    assert_eq!(cell(with_code(&report, "CPH012")[0]), "K11");
}

#[test]
fn multi_row_1_6_movies_exact_findings() {
    let id = |n: u32| format!("acme-movie-{n:04}");
    let recs = vec![
        // 4: clean CPH row (title 1).
        movies_1_6(),
        // 5: Licensed SVOD row of title 1 (no marker) ending one second
        //    before row 4's Start → CPH015 warning at row 4's Start.
        movies_1_6().with(&[
            ("LicenseRightsDescription", ""),
            ("Start", "2027-01-01"),
            ("End", "2029-12-31T23:59:59Z"),
        ]),
        // 6: two territories in one 1.6 cell → EMA005 (both are in the
        //    agreement, so no CPH003).
        movies_1_6().with(&[("Territory", "US, GB"), ("AltID", &id(6))]),
        // 7: UHD is not a 1.6 FormatProfile → EMA004.
        movies_1_6().with(&[("FormatProfile", "UHD"), ("AltID", &id(7))]),
        // 8: Start in the past and End before Start → CPH004 and EMA010.
        movies_1_6().with(&[
            ("Start", "2026-06-01T00:00:00Z"),
            ("End", "2026-05-01T00:00:00Z"),
            ("AltID", &id(8)),
        ]),
        // 9: a VOD row carrying the 1.6 marker → CPH001 at LicenseType, and
        //    EMA003 for the missing prices (required unless SVOD).
        movies_1_6().with(&[("LicenseType", "VOD"), ("AltID", &id(9))]),
        // 10: a Licensed SVOD row in GB (title 10), not related to any CPH row.
        movies_1_6().with(&[
            ("LicenseRightsDescription", ""),
            ("Territory", "GB"),
            ("AltID", &id(10)),
        ]),
    ];
    let (code, report) = cph("Movies", &recs, &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH015", "warning", "Movies", 4, "Start"),
            at("EMA005", "error", "Movies", 6, "Territory"),
            at("EMA004", "error", "Movies", 7, "FormatProfile"),
            at("CPH004", "error", "Movies", 8, "Start"),
            at("EMA010", "error", "Movies", 8, "End"),
            at("CPH001", "error", "Movies", 9, "LicenseType"),
            at("EMA003", "error", "Movies", 9, "PriceType"),
            at("EMA003", "error", "Movies", 9, "PriceValue"),
        ]),
        "{report:#}"
    );
    let gap = one(&report, "CPH015");
    assert_eq!(cell(gap), "K4");
    assert_eq!(gap["related"][0]["location"]["cell"], "L5");
    assert!(
        gap["message"].as_str().unwrap().contains("1 second"),
        "{gap:#}"
    );
}

#[test]
fn multi_row_1_6_tv_exact_findings() {
    let ep = |n: &str| {
        tv_1_6().with(&[
            ("EpisodeNumber", n),
            ("EpisodeAltID", &format!("acme-series-01-s1e{n}")),
        ])
    };
    let recs = vec![
        // 4: clean CPH episode.
        ep("1"),
        // 5: DAB beside the CPH marker on 1.6 → CPH002 error.
        ep("2").set("LicenseRightsDescription", "CPH, DAB"),
        // 6: ZZ is never permitted for CPH.
        ep("3").set("Territory", "ZZ"),
        // 7: GB is in the agreement, 1.6 one territory per row.
        ep("4").set("Territory", "GB"),
        // 8: DAB alone on a 1.6 SVOD row (a Licensed SVOD row) → CPH002 error.
        ep("5").set("LicenseRightsDescription", "DAB"),
        // 9: a second CPH window for episode 1 in US overlapping row 4.
        ep("1").with(&[
            ("Start", "2031-01-01T00:00:00Z"),
            ("End", "2032-12-31T23:59:59Z"),
        ]),
    ];
    let (code, report) = cph("TV", &recs, &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH002", "error", "TV", 5, "LicenseRightsDescription"),
            at("CPH003", "error", "TV", 6, "Territory"),
            at("CPH002", "error", "TV", 8, "LicenseRightsDescription"),
            at("CPH006", "error", "TV", 9, "Start"),
        ]),
        "{report:#}"
    );
    let dab = &with_code(&report, "CPH002")[0];
    assert!(
        dab["message"]
            .as_str()
            .unwrap()
            .contains("doesn't support DAB CPH SVOD content"),
        "{dab:#}"
    );
    assert!(dab["help"].as_str().unwrap().contains("1.7.3"));
    let overlap = one(&report, "CPH006");
    assert_eq!(overlap["related"][0]["location"]["row"], 4);
}

#[test]
fn multi_row_1_7_3_tv_exact_findings() {
    let ep = |n: &str| {
        tv_1_7_3().with(&[
            ("EpisodeNumber", n),
            ("ALID", &format!("md:alid:org:acme:series-01-s1e{n}")),
            (
                "EpisodeContentID",
                &format!("md:cid:org:acme:series-01-s1e{n}"),
            ),
        ])
    };
    let recs = vec![
        ep("1"),
        // 5: ES needs Spanish, the row lists only English → CPH010 warning.
        ep("2").set("Territory", "US, ES"),
        // 6: EMA error on a CPH row: Episode without EpisodeNumber.
        ep("3").set("EpisodeNumber", ""),
        // 7: LicenseType `svod` with the marker → EMA004 and CPH001.
        ep("4").set("LicenseType", "svod"),
    ];
    let (code, report) = cph(
        "TV",
        &recs,
        &["--territories", "US,GB,ES", "--partner", "acme"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH010", "warning", "TV", 5, "Territory"),
            at("EMA003", "error", "TV", 6, "EpisodeNumber"),
            at("EMA004", "error", "TV", 7, "LicenseType"),
            at("CPH001", "error", "TV", 7, "LicenseType"),
            // `svod` is not SVOD, so prices are required too.
            at("EMA003", "error", "TV", 7, "PriceType"),
            at("EMA003", "error", "TV", 7, "PriceValue"),
        ]),
        "{report:#}"
    );
    let d = one(&report, "CPH001");
    assert!(
        d["help"].as_str().unwrap().contains("exactly, upper-case"),
        "{d:#}"
    );
}

// ------------------------------------------------------------ CPH001

#[test]
fn cph001_marker_in_the_wrong_field_on_1_7_3() {
    let rec = movies_1_7_3().with(&[("GroupIdentity", ""), ("LicenseRightsDescription", "CPH")]);
    let (code, report) = cph("Movies", &[rec], &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH001", "error", "Movies", 4, "LicenseRightsDescription"),
            // Not recognised as CPH, so the file has no CPH row.
            t("CPH011", "warning", None, None, None),
        ]),
        "{report:#}"
    );
    let d = one(&report, "CPH001");
    assert_eq!(cell(d), "K4");
    assert!(
        d["help"].as_str().unwrap().contains("GroupIdentity"),
        "{d:#}"
    );
}

#[test]
fn cph001_cph_row_on_1_7_2() {
    // A 1.7.2 sheet: ALID and AltID, no 1.7.3-only columns.
    let rec = movies_1_7_3()
        .without("GroupIdentity")
        .without("TerritoryExclusion")
        .with(&[
            ("LicenseRightsDescription", "CPH"),
            ("AltID", "acme-movie-0001"),
            // `:audio` suffixes only exist from 1.7.3 (EMA006 otherwise).
            ("AssetLanguage", "en"),
        ]);
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", "Movies", &[rec]);
    let (code, report, _) = check(&path, "cph-svod", &AGREEMENT);
    assert_eq!(report["files"][0]["template_version"], "1.7.2");
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH001", "error", "Movies", 4, "LicenseType")]),
        "{report:#}"
    );
    assert!(
        one(&report, "CPH001")["help"]
            .as_str()
            .unwrap()
            .contains("use 1.7.3")
    );
    // The same file under the EMA profile is clean.
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH002

#[test]
fn cph002_dab_by_version() {
    // DAB on a 1.6 SVOD row: error.
    let (code, report) = cph(
        "Movies",
        &[movies_1_6().set("LicenseRightsDescription", "CPH, DAB")],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at(
            "CPH002",
            "error",
            "Movies",
            4,
            "LicenseRightsDescription"
        )])
    );
    assert_eq!(cell(one(&report, "CPH002")), "I4");
    // DAB on a 1.7.3 CPH row: clean.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("LicenseRightsDescription", "DAB")],
        &AGREEMENT,
    );
    assert_eq!(code, 0);
    assert_clean(&report);
    // `Library` on a 1.7.3 CPH row: warning.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("LicenseRightsDescription", "Library")],
        &AGREEMENT,
    );
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report),
        set(&[at(
            "CPH012",
            "warning",
            "Movies",
            4,
            "LicenseRightsDescription"
        )])
    );
    // The EMA profile runs no CPH rule.
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(
        dir.path(),
        "t.xlsx",
        "Movies",
        &[movies_1_6().set("LicenseRightsDescription", "CPH DAB")],
    );
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH003

#[test]
fn cph003_worldwide_with_exclusion_is_an_error() {
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "ZZ"), ("TerritoryExclusion", "IN")])],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH003", "error", "Movies", 4, "Territory")])
    );
    assert!(
        one(&report, "CPH003")["message"]
            .as_str()
            .unwrap()
            .contains("ZZ")
    );
}

#[test]
fn cph003_exclusion_is_subtracted() {
    // US, GB, IN minus IN: only agreement territories remain.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "US, GB, IN"), ("TerritoryExclusion", "IN")])],
        &AGREEMENT,
    );
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn cph003_india_outside_the_agreement() {
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "US, GB, IN")],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH003", "error", "Movies", 4, "Territory")])
    );
    let d = one(&report, "CPH003");
    assert_eq!(d["location"]["value"], "US, GB, IN");
    assert!(d["help"].as_str().unwrap().contains("India"), "{d:#}");
    // Another territory gets the generic help naming the permitted list.
    let (_, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "US, DE")],
        &AGREEMENT,
    );
    let d = one(&report, "CPH003");
    assert!(d["help"].as_str().unwrap().contains("GB, US"), "{d:#}");
}

/// A territory in the wrong case gets one coherent answer: EMA005 asks for
/// the capitals, and CPH003 does not tell to remove a territory of the
/// agreement; a code that is no territory at all is EMA005's alone.
#[test]
fn cph003_agrees_with_ema005_on_case_and_bad_codes() {
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "gb")],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA005", "error", "Movies", 4, "Territory")]),
        "{report:#}"
    );
    assert!(
        one(&report, "EMA005")["help"]
            .as_str()
            .unwrap()
            .contains("GB")
    );
    let (_, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "UK")],
        &AGREEMENT,
    );
    assert_eq!(
        findings(&report),
        set(&[at("EMA005", "error", "Movies", 4, "Territory")]),
        "{report:#}"
    );
    // Outside the agreement in either case: CPH003 as written.
    let (_, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "de")],
        &AGREEMENT,
    );
    assert_eq!(
        one(&report, "CPH003")["message"],
        "territory `de` is not in your CPH agreement (GB, US)"
    );
}

#[test]
fn cph003_no_agreement_territories_gives_one_warning() {
    let recs = [
        movies_1_7_3(),
        // CA is not in any list, but no list is configured (and CA takes en).
        movies_1_7_3().with(&[("Territory", "CA"), ("ALID", &alid(2))]),
    ];
    let (code, report) = cph("Movies", &recs, &["--partner", "acme"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[t("CPH013", "warning", None, None, None)])
    );
    assert!(
        one(&report, "CPH013")["help"]
            .as_str()
            .unwrap()
            .contains("--territories")
    );
}

// ------------------------------------------------------------ CPH004

#[test]
fn cph004_start_equal_to_as_of_is_an_error() {
    let (code, report) = cph("Movies", &[movies_1_7_3().set("Start", AS_OF)], &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH004", "error", "Movies", 4, "Start")])
    );
    assert_eq!(cell(one(&report, "CPH004")), "M4");
    // One second later is forward-looking; a date-only Start means 00:00:00
    // in its territory's eastern-most zone: in GB (UTC in November) the
    // check time itself, in the US (New York) five hours later.
    let (code, report) = cph(
        "Movies",
        &[
            movies_1_7_3().set("Start", "2026-11-22T00:00:01Z"),
            movies_1_7_3().with(&[
                ("Start", "2026-11-22"),
                ("Territory", "GB"),
                ("ALID", &alid(2)),
            ]),
            movies_1_7_3().with(&[("Start", "2026-11-23"), ("ALID", &alid(3))]),
            movies_1_7_3().with(&[("Start", "2026-11-22"), ("ALID", &alid(4))]),
        ],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH004", "error", "Movies", 5, "Start")])
    );
}

#[test]
fn cph004_condition_is_not_forward_looking() {
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Start", "Immediate")],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH004", "error", "Movies", 4, "Start")])
    );
    assert!(
        one(&report, "CPH004")["message"]
            .as_str()
            .unwrap()
            .contains("condition")
    );
}

#[test]
fn cph004_min_lead_warns() {
    let recs = [
        movies_1_7_3().set("Start", "2026-11-30T00:00:00Z"),
        // One second short of 14 days: warning.
        movies_1_7_3().with(&[("Start", "2026-12-05T23:59:59Z"), ("ALID", &alid(2))]),
        // Exactly 14 days: enough.
        movies_1_7_3().with(&[("Start", "2026-12-06T00:00:00Z"), ("ALID", &alid(3))]),
    ];
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--min-lead", "14d"]);
    let (code, report) = cph("Movies", &recs, &flags);
    assert_eq!(code, 0, "warnings only");
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH014", "warning", "Movies", 4, "Start"),
            at("CPH014", "warning", "Movies", 5, "Start"),
        ])
    );
    let d = &with_code(&report, "CPH014")[0];
    assert!(d["message"].as_str().unwrap().contains("8 days"), "{d:#}");
    assert!(
        d["help"].as_str().unwrap().contains("2026-12-06T00:00:00Z"),
        "{d:#}"
    );
    // Without --min-lead nothing is said.
    let (code, report) = cph("Movies", &recs, &AGREEMENT);
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH005

/// CPH row 4 (Start 2030-01-01T00:00:00Z) and Licensed SVOD row 5 ending `end`.
fn licensed_case(end: &str) -> (i32, Value) {
    cph("Movies", &[movies_1_7_3(), licensed_1_7_3(end)], &AGREEMENT)
}

#[test]
fn cph005_exactly_one_minute_before_is_continuous() {
    let (code, report) = licensed_case("2029-12-31T23:59:00Z");
    assert_eq!(code, 0);
    assert_clean(&report);
    // The same instant written with an offset.
    let (code, report) = licensed_case("2030-01-01T00:59:00+01:00");
    assert_eq!(code, 0);
    assert_clean(&report);
}

#[test]
fn cph005_gaps_are_warnings() {
    // The fix is written as the licensed End is: in UTC, or for a date in
    // US local time (New York, where the date is read).
    for (end, gap, fix) in [
        // 61 s before the CPH Start 2030-01-01T00:00:00Z.
        (
            "2029-12-31T23:58:59Z",
            "1 minute 1 second",
            "2029-12-31T23:59:00Z",
        ),
        ("2029-12-31T23:59:01Z", "59 seconds", "2029-12-31T23:59:00Z"),
        // Date-only: 23:59:59 in New York, 04:59:59 UTC.
        ("2029-12-30", "19 hours 1 second", "2029-12-31T18:59:00"),
        ("2029-06-30T00:00:00Z", "185 days", "2029-12-31T23:59:00Z"),
    ] {
        let (code, report) = licensed_case(end);
        assert_eq!(code, 0, "{end}: {report:#}");
        assert_eq!(
            findings(&report),
            set(&[at("CPH015", "warning", "Movies", 4, "Start")]),
            "{end}"
        );
        let d = one(&report, "CPH015");
        let m = d["message"].as_str().unwrap();
        assert!(m.contains(gap), "{end}: {m}");
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .contains(&format!("set the licensed End to {fix} ")),
            "{d:#}"
        );
        assert_eq!(d["related"][0]["location"]["cell"], "N5");
        if end.len() == 10 {
            assert!(m.contains("23:59:59"), "{m}");
        }
    }
}

#[test]
fn cph005_overlaps_are_errors() {
    for end in ["2030-01-01T00:00:00Z", "Open", "2030-06-01T00:00:00Z"] {
        let (code, report) = licensed_case(end);
        assert_eq!(code, 1, "{end}");
        assert_eq!(
            findings(&report),
            set(&[at("CPH005", "error", "Movies", 4, "Start")]),
            "{end}: {report:#}"
        );
        let d = one(&report, "CPH005");
        assert_eq!(cell(d), "M4");
        assert_eq!(d["related"][0]["location"]["row"], 5);
        assert_eq!(d["related"][0]["location"]["field"], "End");
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .contains("set the licensed End to 2029-12-31T23:59:00Z"),
            "{d:#}"
        );
    }
}

#[test]
fn cph005_other_title_or_territory_does_not_conflict() {
    let other = licensed_1_7_3("Open").set("ALID", &alid(99));
    let de = licensed_1_7_3("Open").set("Territory", "DE");
    let (code, report) = cph("Movies", &[movies_1_7_3(), other, de], &AGREEMENT);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn cph005_worldwide_licensed_window_respects_exclusions() {
    // Regression: a licensed ZZ window excluding US does not cover the US
    // CPH row (it used to be reported as an overlap).
    let zz = |excl: &str, end: &str| {
        licensed_1_7_3(end).with(&[("Territory", "ZZ"), ("TerritoryExclusion", excl)])
    };
    let (code, report) = cph("Movies", &[movies_1_7_3(), zz("US", "Open")], &AGREEMENT);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
    // Excluding another territory, it does.
    let (code, report) = cph("Movies", &[movies_1_7_3(), zz("DE", "Open")], &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH005", "error", "Movies", 4, "Start")])
    );
    // A ZZ CPH row against a ZZ licensed window: one CPH005 (it used to be
    // reported twice), besides the CPH003 for ZZ itself.
    let (_, report) = cph(
        "Movies",
        &[movies_1_7_3().set("Territory", "ZZ"), zz("", "Open")],
        &AGREEMENT,
    );
    assert_eq!(with_code(&report, "CPH005").len(), 1, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH003", "error", "Movies", 4, "Territory"),
            at("CPH005", "error", "Movies", 4, "Start"),
        ])
    );
}

#[test]
fn cph005_licensed_windows_csv() {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook(dir.path(), "cph.xlsx", "Movies", &[movies_1_7_3()]);
    let csv = dir.path().join("licensed.csv");
    std::fs::write(
        &csv,
        format!(
            "title_id,territory,start,end\n\
             {other},US,2027-01-01T00:00:00Z,Open\n\
             {id},US,2027-01-01T00:00:00Z,2030-06-01T00:00:00Z\n",
            id = alid(1),
            other = alid(77)
        ),
    )
    .unwrap();
    let mut flags = AGREEMENT.to_vec();
    let csv_s = csv.display().to_string();
    flags.extend(["--licensed", &csv_s]);
    let (code, report, _) = check(&book, "cph-svod", &flags);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH005", "error", "Movies", 4, "Start")]),
        "{report:#}"
    );
    let d = one(&report, "CPH005");
    let rel = &d["related"][0]["location"];
    assert_eq!(rel["file"], csv_s.as_str());
    assert_eq!(rel["row"], 3, "{d:#}");
    assert_eq!(rel["field"], "End");
    assert_eq!(rel["cell"], "D3");
    // The CSV is listed as a licensed reference file, not checked.
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1]["role"], "licensed");
    assert_eq!(report["summary"]["files"], 1);

    // The continuous End in the CSV: clean.
    std::fs::write(
        &csv,
        format!(
            "title_id,territory,start,end\n{},US,2027-01-01,2029-12-31T23:59:00Z\n",
            alid(1)
        ),
    )
    .unwrap();
    let (code, report, _) = check(&book, "cph-svod", &flags);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

/// Checks the clean 1.7.3 CPH row with the agreement and `--licensed` set to
/// a CSV file holding `text`.
fn check_licensed_csv(text: String) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook(dir.path(), "cph.xlsx", "Movies", &[movies_1_7_3()]);
    let csv = dir.path().join("licensed.csv");
    std::fs::write(&csv, text).unwrap();
    let csv_s = csv.display().to_string();
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--licensed", &csv_s]);
    check(&book, "cph-svod", &flags)
}

#[test]
fn cph005_licensed_csv_line_numbers_count_blank_lines() {
    // Regression: the csv crate skips blank lines, and the related location
    // pointed one line too early after one.
    let (_, report, _) = check_licensed_csv(format!(
        "title_id,territory,start,end\r\n\r\n{},US,2027-01-01,Open\r\n",
        alid(1)
    ));
    let rel = &one(&report, "CPH005")["related"][0]["location"];
    assert_eq!(rel["row"], 3, "{report:#}");
    assert_eq!(rel["cell"], "D3");
}

#[test]
fn cph005_licensed_csv_columns_in_any_order() {
    // The reader looks the four columns up by name; a file whose first
    // column is not title_id used to be refused as "not an EMA avails CSV".
    let (code, report, _) = check_licensed_csv(format!(
        "Territory,Title_ID,Start,End\nUS,{},2027-01-01,Open\n",
        alid(1)
    ));
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[at("CPH005", "error", "Movies", 4, "Start")])
    );
    assert_eq!(
        one(&report, "CPH005")["related"][0]["location"]["cell"],
        "D2"
    );
}

#[test]
fn cph005_licensed_file_can_be_an_avails_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook(dir.path(), "cph.xlsx", "Movies", &[movies_1_7_3()]);
    let lic = workbook(
        dir.path(),
        "licensed.xlsx",
        "Movies",
        &[licensed_1_7_3("2029-12-30T00:00:00Z")],
    );
    let lic_s = lic.display().to_string();
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--licensed", &lic_s]);
    let (code, report, _) = check(&book, "cph-svod", &flags);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report),
        set(&[at("CPH015", "warning", "Movies", 4, "Start")])
    );
    let rel = &one(&report, "CPH015")["related"][0]["location"];
    assert_eq!(rel["file"], lic_s.as_str());
    assert_eq!(rel["cell"], "N4");
}

// ------------------------------------------------------------ CPH006

#[test]
fn cph006_discrete_windows() {
    let recs = [
        movies_1_7_3().set("End", "2030-12-31T23:59:59Z"),
        // 5: overlaps row 4 (same title, territory, kind, format).
        movies_1_7_3().with(&[
            ("Start", "2030-06-01T00:00:00Z"),
            ("End", "2031-06-01T00:00:00Z"),
        ]),
        // 6: SD is another offer.
        movies_1_7_3().set("FormatProfile", "SD"),
        // 7: discrete: starts after row 5 ends.
        movies_1_7_3().with(&[
            ("Start", "2031-07-01T00:00:00Z"),
            ("End", "2031-12-31T23:59:59Z"),
        ]),
        // 8: exact duplicate of row 7.
        movies_1_7_3().with(&[
            ("Start", "2031-07-01T00:00:00Z"),
            ("End", "2031-12-31T23:59:59Z"),
        ]),
    ];
    let (code, report) = cph("Movies", &recs, &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("CPH006", "error", "Movies", 5, "Start"),
            at("CPH006", "error", "Movies", 8, "Start"),
        ]),
        "{report:#}"
    );
    let v = with_code(&report, "CPH006");
    assert_eq!(v[0]["related"][0]["location"]["cell"], "M4");
    assert!(v[0]["message"].as_str().unwrap().contains("overlaps"));
    assert_eq!(v[1]["related"][0]["location"]["cell"], "M7");
    assert!(v[1]["message"].as_str().unwrap().contains("duplicates"));
}

/// License kinds are separate offers: two Licensed SVOD windows are
/// compared with each other, not with the CPH window or a TVOD window.
#[test]
fn cph006_compares_windows_of_one_license_kind() {
    let recs = [
        // 4: CPH from 2030 (open).
        movies_1_7_3(),
        // 5, 6: Licensed SVOD, ending one minute before the CPH Start; 6
        // overlaps 5.
        licensed_1_7_3("2029-12-31T23:59:00Z"),
        licensed_1_7_3("2029-12-31T23:59:00Z").set("Start", "2028-01-01T00:00:00Z"),
        // 7: TVOD over the same years.
        licensed_1_7_3("2029-12-31T23:59:00Z").set("LicenseType", "TVOD"),
    ];
    let (_, report) = cph("Movies", &recs, &AGREEMENT);
    let overlaps: Vec<_> = with_code(&report, "CPH006")
        .iter()
        .map(|d| d["location"]["cell"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(overlaps, ["M6"], "{report:#}");
}

// ------------------------------------------------------------ CPH007

#[test]
fn cph007_partner_alias() {
    let recs = [
        movies_1_7_3().set("DisplayName", "Acme Films"),
        movies_1_7_3().with(&[("DisplayName", "Acme Films"), ("Territory", "GB")]),
    ];
    // Without --partner: not one lower-case word; reported once, with the count.
    let (code, report) = cph("Movies", &recs, &["--territories", "US,GB"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH007", "error", "Movies", 4, "DisplayName")])
    );
    let d = one(&report, "CPH007");
    assert!(d["message"].as_str().unwrap().contains("(2 rows)"), "{d:#}");
    assert!(d["help"].as_str().unwrap().contains("`acmefilms`"), "{d:#}");

    // --partner other: `acme` is a well-formed alias but not yours.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3()],
        &["--territories", "US,GB", "--partner", "other"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("CPH007", "error", "Movies", 4, "DisplayName")])
    );
    assert!(
        one(&report, "CPH007")["help"]
            .as_str()
            .unwrap()
            .contains("`other`")
    );
    // Without --partner a lower-case word is fine.
    let (code, report) = cph("Movies", &[movies_1_7_3()], &["--territories", "US,GB"]);
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH008

#[test]
fn cph008_entry_type() {
    // On 1.9, `Update` is valid EMA but not accepted by Prime Video. A 1.9
    // CPH row is also a CPH001 error (Amazon documents CPH for 1.6/1.7.3 only).
    let rec = movies_1_7_3().set("EntryType", "Update");
    let mut sheet = SheetSpec::from_recs("Movies", &[rec]);
    sheet.row3 = Some("1.9".into());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    Book::one(sheet).write(&path);
    let (code, report, _) = check(&path, "cph-svod", &AGREEMENT);
    assert_eq!(report["files"][0]["template_version"], "1.9");
    assert_eq!(code, 1);
    let f = findings(&report);
    assert!(
        f.contains(&at("CPH008", "error", "Movies", 4, "EntryType")),
        "{f:#?}"
    );
    assert!(
        f.contains(&at("CPH001", "error", "Movies", 4, "LicenseType")),
        "{f:#?}"
    );
    // On 1.7.3 `Update` is not EMA at all: EMA004 only, no CPH008.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("EntryType", "Update")],
        &AGREEMENT,
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA004", "error", "Movies", 4, "EntryType")])
    );
    // Full Delete is accepted.
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().set("EntryType", "Full Delete")],
        &AGREEMENT,
    );
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH009

#[test]
fn cph009_row_limit_from_config() {
    let dir = tempfile::tempdir().unwrap();
    let recs: Vec<Rec> = (1..=4)
        .map(|i| movies_1_7_3().set("ALID", &alid(i)))
        .collect();
    let path = workbook(dir.path(), "t.xlsx", "Movies", &recs);
    let config = dir.path().join("availcheck.toml");
    std::fs::write(&config, "max_rows = 3\n").unwrap();
    let cfg = config.display().to_string();
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--config", &cfg]);
    let (code, report, _) = check(&path, "cph-svod", &flags);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[t("CPH009", "error", None, None, None)])
    );
    let d = one(&report, "CPH009");
    assert!(
        d["message"].as_str().unwrap().starts_with("4 avail rows"),
        "{d:#}"
    );
    assert_eq!(d["help"], "split the avails into 2 files");
    // Exactly at the limit: fine.
    let path3 = workbook(dir.path(), "t3.xlsx", "Movies", &recs[..3]);
    let (code, report, _) = check(&path3, "cph-svod", &flags);
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ------------------------------------------------------------ CPH010

#[test]
fn cph010_localization() {
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "ES"), ("AssetLanguage", "en:audio")])],
        &["--territories", "ES", "--partner", "acme"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report),
        set(&[at("CPH010", "warning", "Movies", 4, "Territory")])
    );
    let d = one(&report, "CPH010");
    assert!(d["message"].as_str().unwrap().contains("es"), "{d:#}");
    // Spanish listed: nothing. No languages listed: one info per territory.
    let (_, report) = cph(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "ES"), ("AssetLanguage", "es:subtitle")])],
        &["--territories", "ES", "--partner", "acme"],
    );
    assert!(with_code(&report, "CPH010").is_empty(), "{report:#}");
    let (code, report) = cph(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "ES, US"), ("AssetLanguage", "")])],
        &["--territories", "ES,US", "--partner", "acme"],
    );
    assert_eq!(code, 0);
    assert_clean(&report);
    let infos: Vec<&Value> = with_code(&report, "CPH017");
    assert_eq!(infos.len(), 2);
    assert!(infos.iter().all(|d| d["severity"] == "info"));
}

// ------------------------------------------------------------ CPH011

#[test]
fn cph011_no_cph_rows() {
    // Only a Licensed SVOD row.
    let (code, report) = cph(
        "Movies",
        &[licensed_1_7_3("2030-01-01T00:00:00Z")],
        &AGREEMENT,
    );
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report),
        set(&[t("CPH011", "warning", None, None, None)])
    );
    let m = one(&report, "CPH011")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(m.contains("GroupIdentity = CPH"), "{m}");
    // On 1.6 the marker field is LicenseRightsDescription.
    let (_, report) = cph(
        "Movies",
        &[movies_1_6().set("LicenseRightsDescription", "")],
        &AGREEMENT,
    );
    let m = one(&report, "CPH011")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(m.contains("LicenseRightsDescription = CPH"), "{m}");
}

// ------------------------------------------------------------ config, determinism

#[test]
fn malformed_config_is_exit_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", "Movies", &[movies_1_7_3()]);
    let config = dir.path().join("availcheck.toml");
    std::fs::write(&config, "partner = \"acme\"\nterritories = US\n").unwrap();
    let r = run_check(
        &[
            path.display().to_string(),
            "--config".into(),
            config.display().to_string(),
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let want = format!("{}:2:", config.display());
    assert!(
        r.stderr.contains(&want),
        "stderr lacks {want}: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));

    // An unknown key is refused the same way.
    std::fs::write(&config, "partnr = \"acme\"\n").unwrap();
    let r = run_check(
        &[
            path.display().to_string(),
            "--config".into(),
            config.display().to_string(),
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(":1:1"), "{}", r.stderr);
}

#[test]
fn config_file_supplies_territories_and_partner() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(
        dir.path(),
        "t.xlsx",
        "Movies",
        &[movies_1_7_3().set("Territory", "US, GB")],
    );
    let config = dir.path().join("cfg.toml");
    std::fs::write(
        &config,
        "profile = \"cph-svod\"\npartner = \"acme\"\nterritories = [\"US\", \"GB\"]\n",
    )
    .unwrap();
    let (code, report, _) = run(&[
        path.display().to_string(),
        "--config".into(),
        config.display().to_string(),
    ]);
    assert_eq!(report["profile"], "cph-svod");
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

fn noisy_workbook(dir: &Path) -> std::path::PathBuf {
    let mut recs = Vec::new();
    for i in 0..40u32 {
        let mut r = movies_1_7_3().set("ALID", &alid(i % 7));
        if i % 3 == 0 {
            r = r.set("Territory", "US, GB, IN");
        }
        if i % 4 == 0 {
            r = r.set("Start", "Immediate");
        }
        if i % 5 == 0 {
            r = r.set("DisplayName", &format!("Acme {i}"));
        }
        if i % 6 == 0 {
            r = r.with(&[("GroupIdentity", ""), ("End", "Open")]);
        }
        recs.push(r);
    }
    let path = dir.join("noisy.xlsx");
    Book::one(SheetSpec::from_recs("Movies", &recs))
        .sheet(SheetSpec::from_recs(
            "TV",
            &[tv_1_7_3(), tv_1_7_3().set("Territory", "UK")],
        ))
        .write(&path);
    path
}

#[test]
fn output_order_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let path = noisy_workbook(dir.path());
    let args: Vec<String> = vec![
        path.display().to_string(),
        path.display().to_string(),
        "--profile".into(),
        "cph-svod".into(),
        "--territories".into(),
        "US,GB".into(),
    ];
    let (_, a, _) = run(&args);
    let (_, b, _) = run(&args);
    let (_, one_thread, _) = run_env(&args, &[("RAYON_NUM_THREADS", "1")]);
    let (_, two_threads, _) = run_env(&args, &[("RAYON_NUM_THREADS", "2")]);
    assert!(diagnostics(&a).len() > 20, "{a:#}");
    assert_eq!(a["diagnostics"], b["diagnostics"]);
    assert_eq!(a["diagnostics"], one_thread["diagnostics"]);
    assert_eq!(a["diagnostics"], two_threads["diagnostics"]);
    // Sorted by file, then sheet, then row.
    let keys: Vec<(String, String, u64)> = diagnostics(&a)
        .iter()
        .filter(|d| d["location"]["row"].is_u64())
        .map(|d| {
            let l = &d["location"];
            (
                l["file"].as_str().unwrap().to_string(),
                l["sheet"].as_str().unwrap_or("").to_string(),
                l["row"].as_u64().unwrap(),
            )
        })
        .collect();
    let movies_rows: Vec<u64> = keys
        .iter()
        .filter(|k| k.1 == "Movies")
        .map(|k| k.2)
        .collect();
    // Both inputs are the same file, so rows restart once for the second copy.
    assert!(
        movies_rows.windows(2).filter(|w| w[1] < w[0]).count() <= 1,
        "{movies_rows:?}"
    );
}

/// Regression: on 1.6 TV, EpisodeAltID is optional; an episode row without
/// it must not take its season's SeasonAltID as its title, or every episode
/// of a season becomes a "duplicate" of the first (CPH006) and EMA012
/// compares episodes with the Season row.
#[test]
fn episodes_without_episode_altid_are_not_duplicates_on_1_6() {
    let ep = |n: &str| {
        tv_1_6().with(&[
            ("EpisodeNumber", n),
            ("EpisodeAltID", ""),
            ("EpisodeTitleInternalAlias", &format!("Episode {n}")),
        ])
    };
    let (code, report) = cph("TV", &[ep("1"), ep("2"), ep("3")], &AGREEMENT);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn cph005_unusable_licensed_reference_rows_are_reported() {
    // A reference file's window that cannot be compared is an error (the
    // conflict check did not run), with what is wrong with its cells.
    let (code, report, _) = check_licensed_csv(format!(
        "title_id,territory,start,end\n{id},US,2027-01-01,2027-13-01\n{id},,2027-01-01,2027-06-01\n",
        id = alid(1)
    ));
    assert_eq!(code, 1, "{report:#}");
    let skipped: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "CPH016")
        .map(|d| {
            assert_eq!(d["severity"], "error");
            (
                d["location"]["field"].as_str().unwrap().to_string(),
                d["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![("End".to_string(), 2), ("Territory".to_string(), 3)]
    );
    let bad_date = one(&report, "EMA008");
    assert_eq!(bad_date["location"]["cell"], "D2", "{bad_date:#}");
}

/// Licensed windows are never skipped silently: `us` is compared as US,
/// `UK` is an error naming GB, an End in a local form is an error with its
/// cell, and the summary counts the licensed windows compared (before: the
/// first two were never compared and the third was a warning: exit 0).
#[test]
fn licensed_reference_rows_are_read_like_checked_ones() {
    let (code, report, _) = check_licensed_csv(format!(
        "title_id,territory,start,end\n{id},us,2025-01-01,Open\n{id},UK,2025-01-01,Open\n{id},US,2025-01-01,30/06/2030\n",
        id = alid(1)
    ));
    assert_eq!(code, 1, "{report:#}");
    let licensed = |code: &str| -> Vec<(String, String)> {
        with_code(&report, code)
            .iter()
            .map(|d| {
                (
                    d["location"]["cell"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // `us` overlaps the CPH window of the same title in US.
    assert_eq!(licensed("CPH005").len(), 1, "{report:#}");
    let uk = licensed("EMA005");
    assert!(
        uk.iter()
            .any(|(cell, m)| cell == "B3" && m.contains("`UK`")),
        "{uk:?}"
    );
    assert!(
        with_code(&report, "EMA005")
            .iter()
            .any(|d| d["help"].as_str().unwrap().contains("`GB`")),
        "{report:#}"
    );
    // `us` is read as US, with the same finding a checked file gets.
    assert!(
        uk.iter()
            .any(|(cell, m)| cell == "B2" && m.contains("upper-case"))
    );
    let end = licensed("EMA008");
    assert!(
        end.iter()
            .any(|(cell, m)| cell == "D4" && m.contains("`2030-06-30`")),
        "{end:?}"
    );
    assert!(licensed("CPH016").iter().any(|(cell, _)| cell == "D4"));
    // Only `us` meets a CPH window: UK has none, and the third End is unusable.
    assert_eq!(report["summary"]["licensed_compared"], 1, "{report:#}");
}

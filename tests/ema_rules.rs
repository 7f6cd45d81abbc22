//! EMA rules (EMA001–EMA012) and reader findings (AVC001–AVC007), end to end:
//! every workbook is built in code (tests/common), checked by the binary with
//! `--profile ema` (unless said otherwise), and the JSON report's
//! (code, severity, sheet, row, field) — and cell where it matters — asserted.
//!
//! Column letters used below: in `movies_1_6()` Territory is C, FormatProfile
//! J, Start K, End L; in `movies_1_7_3()` AssetLanguage is B, Territory C,
//! WorkType E, FormatProfile L, Start M, End N, PriceCurrency Q. Data starts
//! in row 4.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

/// Checks records written as one sheet with `--profile ema`.
fn ema(sheet: &str, recs: &[Rec]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", sheet, recs);
    let (code, report, _) = check(&path, "ema", &[]);
    (code, report)
}

/// Checks a prepared sheet with `--profile ema`.
fn ema_sheet(sheet: SheetSpec) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    Book::one(sheet).write(&path);
    let (code, report, _) = check(&path, "ema", &[]);
    (code, report)
}

fn set(v: &[Tuple]) -> BTreeSet<Tuple> {
    v.iter().cloned().collect()
}

fn cell(d: &Value) -> &str {
    d["location"]["cell"].as_str().unwrap_or("")
}

fn base_cases() -> Vec<(&'static str, &'static str, Rec)> {
    vec![
        ("1.6", "Movies", movies_1_6()),
        ("1.6", "TV", tv_1_6()),
        ("1.7.3", "Movies", movies_1_7_3()),
        ("1.7.3", "TV", tv_1_7_3()),
    ]
}

#[test]
fn clean_workbooks_have_no_findings_under_both_profiles() {
    let dir = tempfile::tempdir().unwrap();
    for (version, sheet, rec) in base_cases() {
        let path = workbook(
            dir.path(),
            &format!("{version}-{sheet}.xlsx"),
            sheet,
            &[rec],
        );
        let (code, report, _) = check(&path, "ema", &[]);
        assert_eq!(code, 0, "{version} {sheet}: {report:#}");
        assert_clean(&report);
        // The only diagnostic is the AVC001 info naming the version used.
        let info = one(&report, "AVC001");
        let msg = info["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!("EMA Avails {version} {sheet}")),
            "{msg}"
        );
        assert_eq!(report["files"][0]["template_version"], version);

        let (code, report, _) = check(
            &path,
            "cph-svod",
            &["--territories", "US", "--partner", "acme"],
        );
        assert_eq!(code, 0, "{version} {sheet} cph: {report:#}");
        assert_clean(&report);
    }
}

#[test]
fn clean_multi_row_workbooks_with_all_worktypes() {
    // 1.7.3 TV with Series, Season and Episode rows; 1.6 TV with Season and Episode.
    let series = tv_1_7_3().with(&[
        ("WorkType", "Series"),
        ("SeasonNumber", ""),
        ("EpisodeNumber", ""),
        ("SeasonContentID", ""),
        ("EpisodeContentID", ""),
        ("CaptionIncluded", ""),
        ("ALID", "md:alid:org:acme:series-01"),
    ]);
    let season = tv_1_7_3().with(&[
        ("WorkType", "Season"),
        ("EpisodeNumber", ""),
        ("EpisodeContentID", ""),
        ("CaptionIncluded", ""),
        ("ALID", "md:alid:org:acme:series-01-s1"),
    ]);
    let (code, report) = ema("TV", &[series, season, tv_1_7_3()]);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
    assert_eq!(report["summary"]["rows"], 3);

    let season16 = tv_1_6().with(&[
        ("WorkType", "Season"),
        ("EpisodeNumber", ""),
        ("EpisodeAltID", ""),
        ("CaptionIncluded", ""),
    ]);
    let (code, report) = ema("TV", &[season16, tv_1_6()]);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

// ---------------------------------------------------------------- EMA001

#[test]
fn ema001_missing_required_column() {
    let (code, report) = ema("Movies", &[movies_1_7_3().without("ContentID")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA001", "error", "Movies", 2, "ContentID")])
    );
    let d = one(&report, "EMA001");
    assert!(d["help"].as_str().unwrap().contains("ContentID"));
}

#[test]
fn ema013_missing_conditional_column_is_a_warning() {
    // A Season row does not need EpisodeNumber: the missing column is only a
    // header-level warning.
    let season = tv_1_7_3()
        .with(&[
            ("WorkType", "Season"),
            ("EpisodeContentID", ""),
            ("CaptionIncluded", ""),
        ])
        .without("EpisodeNumber");
    let (code, report) = ema("TV", &[season]);
    assert_eq!(code, 0, "warnings only: {report:#}");
    assert_eq!(
        findings(&report),
        set(&[at("EMA013", "warning", "TV", 2, "EpisodeNumber")])
    );
    assert!(
        one(&report, "EMA013")["message"]
            .as_str()
            .unwrap()
            .contains("WorkType is Episode")
    );
    // An Episode row without the column is also an EMA003 error on its row.
    let (code, report) = ema("TV", &[tv_1_7_3().without("EpisodeNumber")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA013", "warning", "TV", 2, "EpisodeNumber"),
            at("EMA003", "error", "TV", 4, "EpisodeNumber"),
        ])
    );
}

// ---------------------------------------------------------------- EMA002

#[test]
fn ema002_unknown_column_with_did_you_mean() {
    // Renaming Territory to the typo loses the column: EMA001 (error) for the
    // missing Territory and EMA002 (warning) at the misspelled header cell C2.
    let rec = movies_1_7_3();
    let fields: Vec<String> = rec
        .fields()
        .into_iter()
        .map(|f| {
            if f == "Territory" {
                "Teritory".into()
            } else {
                f
            }
        })
        .collect();
    let values = rec.values_for(&rec.fields());
    let sheet = SheetSpec {
        name: "Movies".into(),
        fields,
        rows: vec![values],
        categories: None,
        row3: None,
    };
    let (code, report) = ema_sheet(sheet);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA001", "error", "Movies", 2, "Territory"),
            at("EMA002", "warning", "Movies", 2, "Teritory"),
        ])
    );
    let d = one(&report, "EMA002");
    assert_eq!(cell(d), "C2");
    assert_eq!(d["location"]["value"], "Teritory");
    assert_eq!(d["help"], "did you mean `Territory`?");
}

// ---------------------------------------------------------------- EMA003

#[test]
fn ema003_episode_without_episode_number() {
    let (code, report) = ema("TV", &[tv_1_7_3().set("EpisodeNumber", "")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA003", "error", "TV", 4, "EpisodeNumber")])
    );
    let d = one(&report, "EMA003");
    let m = d["message"].as_str().unwrap();
    assert!(m.contains("required when WorkType is Episode"), "{m}");
    // The empty cell is still located (column I in tv_1_7_3()).
    assert_eq!(cell(d), "I4");
}

#[test]
fn ema003_season_row_does_not_need_episode_number() {
    let season = tv_1_6().with(&[
        ("WorkType", "Season"),
        ("EpisodeNumber", ""),
        ("EpisodeAltID", ""),
        ("CaptionIncluded", ""),
    ]);
    let (code, report) = ema("TV", &[season]);
    assert_eq!(code, 0);
    assert_clean(&report);
}

#[test]
fn ema003_required_values_and_svod_price_exception() {
    // Row 4: Territory empty (always required). Row 5: a VOD row without a
    // price (PriceType/PriceValue are required unless SVOD). Row 6: US episode
    // without CaptionIncluded.
    let a = movies_1_6().set("Territory", "");
    let b = movies_1_6().with(&[("LicenseType", "VOD"), ("LicenseRightsDescription", "")]);
    let (code, report) = ema("Movies", &[a, b]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA003", "error", "Movies", 4, "Territory"),
            at("EMA003", "error", "Movies", 5, "PriceType"),
            at("EMA003", "error", "Movies", 5, "PriceValue"),
        ])
    );
    let (_, report) = ema("TV", &[tv_1_6().set("CaptionIncluded", "")]);
    assert_eq!(
        findings(&report),
        set(&[at("EMA003", "error", "TV", 4, "CaptionIncluded")])
    );
}

// ---------------------------------------------------------------- EMA004

#[test]
fn ema004_enumerations_per_version() {
    // UHD is not a 1.6 FormatProfile (1.6 has 4K) ...
    let (code, report) = ema("Movies", &[movies_1_6().set("FormatProfile", "UHD")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA004", "error", "Movies", 4, "FormatProfile")])
    );
    let d = one(&report, "EMA004");
    assert_eq!(cell(d), "J4");
    assert!(
        d["message"].as_str().unwrap().contains("valid in 1.7"),
        "{d:#}"
    );
    // ... and 4K is valid there.
    let (code, report) = ema("Movies", &[movies_1_6().set("FormatProfile", "4K")]);
    assert_eq!(code, 0);
    assert_clean(&report);

    // 4K is not a 1.7.3 FormatProfile; UHD is.
    let (code, report) = ema("Movies", &[movies_1_7_3().set("FormatProfile", "4K")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA004", "error", "Movies", 4, "FormatProfile")])
    );
    assert_eq!(cell(one(&report, "EMA004")), "L4");
    let (code, report) = ema("Movies", &[movies_1_7_3().set("FormatProfile", "UHD")]);
    assert_eq!(code, 0);
    assert_clean(&report);
}

#[test]
fn ema004_worktype_movies_suggests_movie() {
    let (code, report) = ema("Movies", &[movies_1_7_3().set("WorkType", "Movies")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA004", "error", "Movies", 4, "WorkType")])
    );
    let d = one(&report, "EMA004");
    assert_eq!(cell(d), "E4");
    assert_eq!(d["location"]["value"], "Movies");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `Movie`?"),
        "{d:#}"
    );
}

#[test]
fn ema004_license_type_and_booleans() {
    // `svod` (lower case) is not an EMA LicenseType; `Yes`/`Y`/`1` are all
    // accepted for Yes/No fields, `Maybe` is not.
    let a = movies_1_7_3().with(&[("LicenseType", "svod"), ("GroupIdentity", "")]);
    let b = tv_1_7_3().set("CaptionIncluded", "Y");
    let (_, report) = ema("Movies", &[a]);
    // `svod` is not SVOD, so the price fields become required as well.
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA004", "error", "Movies", 4, "LicenseType"),
            at("EMA003", "error", "Movies", 4, "PriceType"),
            at("EMA003", "error", "Movies", 4, "PriceValue"),
        ])
    );
    let (code, report) = ema("TV", &[b]);
    assert_eq!(code, 0);
    assert_clean(&report);
    let (_, report) = ema("TV", &[tv_1_7_3().set("CaptionIncluded", "Maybe")]);
    assert_eq!(
        findings(&report),
        set(&[at("EMA004", "error", "TV", 4, "CaptionIncluded")])
    );
}

// ---------------------------------------------------------------- EMA005

#[test]
fn ema005_territories() {
    let (code, report) = ema(
        "Movies",
        &[
            movies_1_6().set("Territory", "UK"),
            movies_1_6().with(&[("Territory", "us"), ("AltID", "acme-movie-0002")]),
            movies_1_6().with(&[("Territory", "ZZ"), ("AltID", "acme-movie-0003")]),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA005", "error", "Movies", 4, "Territory"),
            at("EMA005", "error", "Movies", 5, "Territory"),
        ])
    );
    let v = with_code(&report, "EMA005");
    assert_eq!(cell(v[0]), "C4");
    assert_eq!(v[0]["help"], "the United Kingdom is `GB`");
    assert_eq!(cell(v[1]), "C5");
    assert!(
        v[1]["help"].as_str().unwrap().contains("`US`"),
        "{:#}",
        v[1]
    );
}

#[test]
fn ema005_comma_list_valid_on_1_7_3_invalid_on_1_6() {
    let (code, report) = ema("Movies", &[movies_1_7_3().set("Territory", "US, GB")]);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);

    let (code, report) = ema("Movies", &[movies_1_6().set("Territory", "US, GB")]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA005", "error", "Movies", 4, "Territory")])
    );
    let d = one(&report, "EMA005");
    assert!(
        d["message"].as_str().unwrap().contains("2 territories"),
        "{d:#}"
    );
    assert!(d["help"].as_str().unwrap().contains("1.7.3"));
}

#[test]
fn ema005_territory_exclusion_is_checked_too() {
    let (_, report) = ema(
        "Movies",
        &[movies_1_7_3().with(&[("Territory", "ZZ"), ("TerritoryExclusion", "XX")])],
    );
    assert_eq!(
        findings(&report),
        set(&[at("EMA005", "error", "Movies", 4, "TerritoryExclusion")])
    );
}

// ---------------------------------------------------------------- EMA006

#[test]
fn ema006_languages() {
    let bad = ["QQ", "de-yy", "FRe"];
    let recs: Vec<Rec> = bad
        .iter()
        .enumerate()
        .map(|(i, l)| {
            movies_1_7_3().with(&[
                ("AssetLanguage", l),
                ("ALID", &format!("md:alid:org:acme:lang-{i}")),
            ])
        })
        .collect();
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA006", "error", "Movies", 4, "AssetLanguage"),
            at("EMA006", "error", "Movies", 5, "AssetLanguage"),
            at("EMA006", "error", "Movies", 6, "AssetLanguage"),
        ])
    );
    let cells: Vec<&str> = with_code(&report, "EMA006").into_iter().map(cell).collect();
    assert_eq!(cells, ["B4", "B5", "B6"]);

    let good = ["es-419", "zh-Hant", "pt-BR", "en:audio, es-419:subtitle"];
    let recs: Vec<Rec> = good
        .iter()
        .enumerate()
        .map(|(i, l)| {
            movies_1_7_3().with(&[
                ("AssetLanguage", l),
                ("ALID", &format!("md:alid:org:acme:lang-{i}")),
            ])
        })
        .collect();
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn ema006_store_language_on_1_6_and_suffix_rules() {
    let (_, report) = ema("Movies", &[movies_1_6().set("StoreLanguage", "QQ")]);
    assert_eq!(
        findings(&report),
        set(&[at("EMA006", "error", "Movies", 4, "StoreLanguage")])
    );
    // 1.7.3 asset suffixes must be audio/subtitle/subdub.
    let (_, report) = ema("Movies", &[movies_1_7_3().set("AssetLanguage", "en:video")]);
    assert_eq!(
        findings(&report),
        set(&[at("EMA006", "error", "Movies", 4, "AssetLanguage")])
    );
}

// ---------------------------------------------------------------- EMA007

#[test]
fn ema007_currency() {
    let (code, report) = ema(
        "Movies",
        &[
            movies_1_7_3().set("PriceCurrency", "usd"),
            movies_1_7_3().with(&[("PriceCurrency", "US$"), ("ALID", "md:alid:org:acme:2")]),
            movies_1_7_3().with(&[("PriceCurrency", "EUR"), ("ALID", "md:alid:org:acme:3")]),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA007", "error", "Movies", 4, "PriceCurrency"),
            at("EMA007", "error", "Movies", 5, "PriceCurrency"),
        ])
    );
    let v = with_code(&report, "EMA007");
    assert_eq!(cell(v[0]), "Q4");
    assert!(
        v[0]["help"].as_str().unwrap().contains("`USD`"),
        "{:#}",
        v[0]
    );
}

// ---------------------------------------------------------------- EMA008

#[test]
fn ema008_dates() {
    // Row 4: text date (valid). Row 5: real Excel date cells (valid).
    // Row 6: real date-time cell (valid). Row 7: `2026-01-05 10:00` (space, invalid).
    // Row 8: a plain number in a number cell (invalid). Row 9: `1/20/2031`.
    // Row 10: row 8's number as a date cell (valid): the reader renders each
    // distinct native value once, and a date must not take a number's text.
    let id = |i: u32| format!("md:alid:org:acme:d{i}");
    let recs = vec![
        movies_1_7_3().with(&[("Start", "2030-01-01"), ("End", "2031-12-31")]),
        movies_1_7_3().with(&[
            ("Start", "@date:2030-01-01"),
            ("End", "@date:2031-12-31"),
            ("ALID", &id(5)),
        ]),
        movies_1_7_3().with(&[("Start", "@datetime:2030-01-01T10:00:00"), ("ALID", &id(6))]),
        movies_1_7_3().with(&[("Start", "2026-01-05 10:00"), ("ALID", &id(7))]),
        movies_1_7_3().with(&[("End", "@num:47848"), ("ALID", &id(8))]),
        movies_1_7_3().with(&[("End", "1/20/2031"), ("ALID", &id(9))]),
        movies_1_7_3().with(&[("End", "@date:2030-12-31"), ("ALID", &id(10))]),
    ];
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA008", "error", "Movies", 7, "Start"),
            at("EMA008", "error", "Movies", 8, "End"),
            at("EMA008", "error", "Movies", 9, "End"),
        ])
    );
    let v = with_code(&report, "EMA008");
    assert_eq!(cell(v[0]), "M7");
    assert!(
        v[0]["message"]
            .as_str()
            .unwrap()
            .contains("local form; write `2026-01-05T10:00:00`"),
        "{:#}",
        v[0]
    );
    assert_eq!(cell(v[1]), "N8");
    assert_eq!(v[1]["location"]["value"], "47848");
    assert!(
        v[1]["message"].as_str().unwrap().contains("plain number"),
        "{:#}",
        v[1]
    );
    assert!(
        v[1]["help"].as_str().unwrap().contains("2030-12-31"),
        "{:#}",
        v[1]
    );
    assert!(
        v[2]["message"]
            .as_str()
            .unwrap()
            .contains("local form; write `2031-01-20`")
    );
}

#[test]
fn ema008_conditions_are_valid_start_and_end() {
    let (code, report) = ema(
        "Movies",
        &[movies_1_7_3().with(&[("Start", "Immediate"), ("End", "Open")])],
    );
    assert_eq!(code, 0);
    assert_clean(&report);
}

// ---------------------------------------------------------------- EMA009

#[test]
fn ema009_number_formats() {
    let (code, report) = ema(
        "TV",
        &[tv_1_7_3().with(&[
            ("SeasonNumber", "one"),
            ("SRP", "$4.99"),
            ("WindowDuration", "180 days"),
        ])],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA009", "error", "TV", 4, "SeasonNumber"),
            at("EMA009", "error", "TV", 4, "SRP"),
            at("EMA009", "error", "TV", 4, "WindowDuration"),
        ])
    );
}

// ---------------------------------------------------------------- EMA010

#[test]
fn ema010_end_before_start() {
    let (code, report) = ema(
        "Movies",
        &[
            movies_1_7_3().with(&[("Start", "2030-05-01"), ("End", "2030-04-30")]),
            // A date-only End means 23:59:59: the same day is a valid one-day window.
            movies_1_7_3().with(&[
                ("Start", "2030-05-01"),
                ("End", "2030-05-01"),
                ("ALID", "md:alid:org:acme:2"),
            ]),
            movies_1_7_3().with(&[
                ("Start", "2030-05-01T00:00:00Z"),
                ("End", "2030-05-01T00:00:00Z"),
                ("ALID", "md:alid:org:acme:3"),
            ]),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA010", "error", "Movies", 4, "End"),
            at("EMA010", "error", "Movies", 6, "End"),
        ])
    );
    let d = &with_code(&report, "EMA010")[0];
    assert_eq!(cell(d), "N4");
    assert_eq!(d["related"][0]["location"]["cell"], "M4");
}

// ---------------------------------------------------------------- EMA011

#[test]
fn ema011_formula() {
    let (code, report) = ema(
        "Movies",
        &[movies_1_7_3().set("TitleDisplayUnlimited", "@formula:=G4|The Example Movie")],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA011", "error", "Movies", 4, "TitleDisplayUnlimited")])
    );
    let d = one(&report, "EMA011");
    assert_eq!(cell(d), "H4");
    assert!(d["message"].as_str().unwrap().contains("=G4"), "{d:#}");
}

// ---------------------------------------------------------------- EMA012

#[test]
fn ema012_inconsistent_display_name_for_same_alid() {
    let (code, report) = ema(
        "Movies",
        &[
            movies_1_7_3(),
            movies_1_7_3().with(&[("DisplayName", "acmefilms"), ("Territory", "GB")]),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[at("EMA012", "error", "Movies", 5, "DisplayName")])
    );
    let d = one(&report, "EMA012");
    assert_eq!(cell(d), "A5");
    assert_eq!(d["related"][0]["location"]["cell"], "A4");
}

#[test]
fn ema012_uses_altid_on_1_6() {
    let (_, report) = ema(
        "Movies",
        &[
            movies_1_6(),
            movies_1_6().with(&[("WorkType", "Short"), ("Territory", "GB")]),
        ],
    );
    assert_eq!(
        findings(&report),
        set(&[at("EMA012", "error", "Movies", 5, "WorkType")])
    );
}

// ---------------------------------------------------------------- AVC001–AVC007

#[test]
fn avc001_version_used_is_reported_per_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.xlsx");
    Book::one(SheetSpec::from_recs("Movies", &[movies_1_7_3()]))
        .sheet(SheetSpec::from_recs("TV", &[tv_1_7_3()]))
        .write(&path);
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        all_diags(&report),
        set(&[
            t("AVC001", "info", Some("Movies"), None, None),
            t("AVC001", "info", Some("TV"), None, None),
        ])
    );
    assert_eq!(
        report["files"][0]["sheets"],
        serde_json::json!(["Movies", "TV"])
    );
    // --template-version overrides detection and says so.
    let (_, report, _) = check(&path, "ema", &["--template-version", "1.7.3"]);
    assert!(
        with_code(&report, "AVC001")[0]["message"]
            .as_str()
            .unwrap()
            .contains("--template-version")
    );
}

#[test]
fn avc002_empty_rows_skipped_and_data_after_the_gap_is_checked() {
    // Rows 4, (5, 6 empty), 7: the row after the gap is read and checked.
    let sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3()])
        .gap()
        .gap()
        .push(&movies_1_7_3().with(&[("Territory", "UK"), ("ALID", "md:alid:org:acme:2")]));
    let (code, report) = ema_sheet(sheet);
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["rows"], 2);
    assert_eq!(
        all_diags(&report),
        set(&[
            t("AVC001", "info", Some("Movies"), None, None),
            t("AVC002", "info", Some("Movies"), Some(5), None),
            at("EMA005", "error", "Movies", 7, "Territory"),
        ])
    );
    assert!(
        one(&report, "AVC002")["message"]
            .as_str()
            .unwrap()
            .starts_with("2 empty rows")
    );
}

#[test]
fn avc002_comment_rows_are_not_avails() {
    let sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3()])
        .push_raw(&["// a comment row", "anything"])
        .push(&movies_1_7_3().with(&[("Territory", "GB"), ("ALID", "md:alid:org:acme:2")]));
    let (code, report) = ema_sheet(sheet);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
    assert_eq!(report["summary"]["rows"], 2);
}

#[test]
fn avc003_sheet_without_header_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let notes = SheetSpec {
        name: "Notes".into(),
        fields: vec!["just".into(), "some".into(), "text".into()],
        rows: vec![],
        categories: None,
        row3: None,
    };
    Book::one(SheetSpec::from_recs("Movies", &[movies_1_7_3()]))
        .sheet(notes)
        .write(&path);
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        all_diags(&report),
        set(&[
            t("AVC001", "info", Some("Movies"), None, None),
            t("AVC003", "info", Some("Notes"), None, None),
        ])
    );
}

#[test]
fn workbook_without_any_avails_sheet_is_refused() {
    // Regression: a workbook whose only sheet has no EMA header was "checked"
    // with 0 rows and exit 0 (only an AVC003 info), even under cph-svod. Like
    // a CSV without a header, it is now unreadable: exit 2 with the reason.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prices.xlsx");
    let sheet = SheetSpec {
        name: "Sheet1".into(),
        fields: vec!["Name".into(), "Price".into()],
        rows: vec![vec!["a".into(), "1".into()]],
        categories: None,
        row3: None,
    };
    Book::one(sheet).write(&path);
    for profile in ["ema", "cph-svod"] {
        let r = run_check(
            &[
                path.display().to_string(),
                "--profile".into(),
                profile.into(),
            ],
            &[],
        );
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr.contains("without an EMA avails sheet"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("Sheet1"), "{}", r.stderr);
        assert_eq!(r.json()["summary"]["unreadable"], 1);
    }
}

#[test]
fn avc004_row3_holds_data() {
    // Rows 3 and 4 both hold avails: row 3 is reserved for `//` comments, so
    // it is reported and not checked (its UK territory gives no EMA005).
    let mut sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3().set("Territory", "UK")]);
    sheet.rows.push(movies_1_7_3().values_for(&sheet.fields));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    write_with_row3(&path, &sheet);
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[t("AVC004", "warning", Some("Movies"), Some(3), None)])
    );
    assert_eq!(report["summary"]["rows"], 1);
}

#[test]
fn avc004_not_for_a_version_row_with_sloppy_notes() {
    // 1.8/1.9 templates hold the version in A3; a note without `//` beside it
    // (as in MovieLabs' TV_v1.8.xlsx) does not make row 3 a data row.
    let mut sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3()]);
    sheet.row3 = None;
    let mut r3 = vec![String::new(); sheet.fields.len()];
    r3[0] = "1.8".into();
    r3[1] = "/REQ".into();
    r3[2] = "REQUIRED for pre-orders".into();
    sheet.rows.insert(0, r3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    write_with_row3(&path, &sheet);
    let (_, report, _) = check(&path, "ema", &[]);
    assert!(with_code(&report, "AVC004").is_empty(), "{report:#}");
    assert_eq!(report["files"][0]["template_version"], "1.8");
    assert_eq!(report["summary"]["rows"], 1);
}

/// Writes `sheet` with its first row in row 3 (no comment row).
fn write_with_row3(path: &std::path::Path, sheet: &SheetSpec) {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&sheet.name).unwrap();
    for (c, f) in sheet.fields.iter().enumerate() {
        ws.write_string(0, c as u16, "AvailTrans").unwrap();
        ws.write_string(1, c as u16, f).unwrap();
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(2 + i as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn avc005_single_header_row_csv() {
    // Field names in line 1, no categories, data from line 2.
    let rec = movies_1_7_3();
    let header = rec.fields().join(",");
    let values = rec.values_for(&rec.fields()).join(",");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("single.csv");
    std::fs::write(&path, format!("{header}\n{values}\n")).unwrap();
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[t("AVC005", "warning", None, Some(1), None)])
    );
    assert_eq!(report["summary"]["rows"], 1);
    assert_eq!(report["files"][0]["kind"], "csv");
}

fn csv_text(recs: &[Rec]) -> String {
    let fields = recs[0].fields();
    let mut s = String::new();
    s.push_str(&vec!["AvailTrans"; fields.len()].join(","));
    s.push('\n');
    s.push_str(&fields.join(","));
    s.push('\n');
    s.push_str("// comments\n");
    for r in recs {
        let vals: Vec<String> = r
            .values_for(&fields)
            .into_iter()
            .map(|v| {
                if v.contains(',') {
                    format!("\"{v}\"")
                } else {
                    v
                }
            })
            .collect();
        s.push_str(&vals.join(","));
        s.push('\n');
    }
    s
}

#[test]
fn csv_utf8_with_bom_is_read_like_a_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.csv");
    let text = csv_text(&[
        movies_1_7_3().set("TitleInternalAlias", "Amélie"),
        movies_1_7_3().with(&[("Territory", "UK"), ("ALID", "md:alid:org:acme:2")]),
    ]);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    std::fs::write(&path, bytes).unwrap();
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 1);
    // No sheet name for CSV; rows are lines.
    assert_eq!(
        findings(&report),
        set(&[t("EMA005", "error", None, Some(5), Some("Territory"))])
    );
    assert_eq!(cell(one(&report, "EMA005")), "C5");
    assert_eq!(report["files"][0]["kind"], "csv");
    assert_eq!(report["summary"]["rows"], 2);
}

#[test]
fn avc006_windows_1252_csv_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cp1252.csv");
    let text = csv_text(&[movies_1_7_3().set("TitleInternalAlias", "Amelie XX")]);
    // é in Windows-1252 is 0xE9 (invalid as UTF-8).
    let bytes: Vec<u8> = text
        .replace("Amelie XX", "Am\u{1}lie")
        .bytes()
        .map(|b| if b == 1 { 0xE9 } else { b })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[t("AVC006", "warning", None, None, None)])
    );
    assert!(
        one(&report, "AVC006")["message"]
            .as_str()
            .unwrap()
            .contains("Windows-1252")
    );
}

#[test]
fn avc007_duplicate_column() {
    let mut sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3()]);
    sheet.fields.push("Territory".into());
    sheet.rows[0].push("GB".into());
    let col = column_letter(sheet.fields.len() - 1);
    let (code, report) = ema_sheet(sheet);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        findings(&report),
        set(&[at("AVC007", "warning", "Movies", 2, "Territory")])
    );
    assert_eq!(cell(one(&report, "AVC007")), format!("{col}2"));
}

#[test]
fn csv_formula_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.csv");
    std::fs::write(
        &path,
        csv_text(&[movies_1_7_3().set("TitleDisplayUnlimited", "=G4")]),
    )
    .unwrap();
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[t(
            "EMA011",
            "error",
            None,
            Some(4),
            Some("TitleDisplayUnlimited")
        )])
    );
}

#[test]
fn csv_multiline_value_is_not_an_empty_row() {
    // Regression: a quoted value spanning lines 4–5 made line 5 count as an
    // empty row (AVC002) although the next record follows directly.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ml.csv");
    let text = csv_text(&[
        movies_1_7_3().set("TitleDisplayUnlimited", "Two\nLines"),
        movies_1_7_3().with(&[("Territory", "UK"), ("ALID", "md:alid:org:acme:2")]),
    ])
    .replace("Two\nLines", "\"Two\nLines\"");
    std::fs::write(&path, text).unwrap();
    let (code, report, _) = check(&path, "ema", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        all_diags(&report),
        set(&[
            t("AVC001", "info", None, None, None),
            // A line break inside a title is itself worth a warning.
            t(
                "EMA016",
                "warning",
                None,
                Some(4),
                Some("TitleDisplayUnlimited")
            ),
            t("EMA005", "error", None, Some(6), Some("Territory")),
        ])
    );
    // A real blank line between records is still reported.
    let second = csv_text(&[movies_1_7_3().set("ALID", "x")]);
    let text = csv_text(&[movies_1_7_3()]) + "\n" + second.lines().last().unwrap() + "\n";
    std::fs::write(&path, text).unwrap();
    let (_, report, _) = check(&path, "ema", &[]);
    assert_eq!(one(&report, "AVC002")["location"]["row"], 5, "{report:#}");
}

// ---------------------------------------------------------------- one vocabulary

/// A 1.9 header with the 1.9 additions is detected as 1.9 by those fields,
/// and the same fields are fields of 1.9: no EMA002 on them, and TPRType is
/// checked against its enumeration (before: AVC001 said "TPRType (new in
/// 1.9)" while EMA002 said TPRType is no 1.9 field, and `Bogus` passed).
#[test]
fn the_1_9_additions_are_1_9_fields() {
    let dir = tempfile::tempdir().unwrap();
    let rec = movies_1_7_3()
        .without("GroupIdentity")
        .with(&[("TPRType", "Bogus"), ("CampaignID", "spring-sale")]);
    let mut sheet = SheetSpec::from_recs("Template-Movies", &[rec]);
    // No A3 version: the header alone says 1.9.
    sheet.row3 = None;
    let path = dir.path().join("tpr.xlsx");
    Book::one(sheet).write(&path);
    let (_, report, _) = check(&path, "ema", &[]);
    let version = one(&report, "AVC001");
    assert!(
        version["message"]
            .as_str()
            .unwrap()
            .contains("EMA Avails 1.9 Movies sheet: header has `TPRType` (new in 1.9)"),
        "{version:#}"
    );
    assert!(with_code(&report, "EMA002").is_empty(), "{report:#}");
    let bogus = one(&report, "EMA004");
    assert_eq!(bogus["location"]["field"], "TPRType");
    assert!(
        bogus["help"].as_str().unwrap().contains("Unconditional"),
        "{bogus:#}"
    );
}

/// Lists split on the dictionary's separator: `US|GB` and `en|fr` on 1.7.3
/// are an error naming the comma (before: no finding, while `en fr` was
/// flagged); `en fr` is still an invalid language.
#[test]
fn ema014_list_with_another_separator() {
    let recs = [
        movies_1_7_3().with(&[("Territory", "US|GB")]),
        movies_1_7_3().with(&[("AssetLanguage", "en|fr"), ("ALID", "md:alid:org:acme:m2")]),
        movies_1_7_3().with(&[("AssetLanguage", "en fr"), ("ALID", "md:alid:org:acme:m3")]),
        movies_1_7_3().with(&[("Territory", "US, GB"), ("ALID", "md:alid:org:acme:m4")]),
    ];
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA014", "error", "Movies", 4, "Territory"),
            at("EMA014", "error", "Movies", 5, "AssetLanguage"),
            at("EMA006", "error", "Movies", 6, "AssetLanguage"),
        ]),
        "{report:#}"
    );
    let territory = &with_code(&report, "EMA014")[0];
    assert!(
        territory["message"]
            .as_str()
            .unwrap()
            .contains("a comma (`,`)"),
        "{territory:#}"
    );
    assert_eq!(territory["help"], "write `US, GB`");
}

// ---------------------------------------------------------------- values as the partner sees them

/// An error value is a finding of its own code, never a filled value and
/// never a second finding on its cell (before: `#N/A` in ContentID passed,
/// elsewhere it was an ordinary bad value).
#[test]
fn ema015_error_values() {
    let recs = [
        movies_1_7_3().with(&[("ContentID", "#N/A")]),
        movies_1_7_3().with(&[("Territory", "#REF!"), ("ALID", "md:alid:org:acme:m2")]),
        movies_1_7_3().with(&[
            ("TitleDisplayUnlimited", "#VALUE!"),
            ("ALID", "md:alid:org:acme:m3"),
        ]),
    ];
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA015", "error", "Movies", 4, "ContentID"),
            at("EMA015", "error", "Movies", 5, "Territory"),
            at("EMA015", "error", "Movies", 6, "TitleDisplayUnlimited"),
        ]),
        "{report:#}"
    );
    let d = &with_code(&report, "EMA015")[0];
    assert!(d["message"].as_str().unwrap().contains("`#N/A`"), "{d:#}");
}

/// Invisible characters: a warning naming the character and where it is,
/// shown escaped; the value is read without them at the edges, and a value
/// made only of them is empty (before: `US` + no-break space passed, a
/// zero-width title counted as filled, and messages showed them invisibly).
#[test]
fn ema016_invisible_characters() {
    let recs = [
        movies_1_7_3().with(&[("Territory", "US\u{a0}")]),
        movies_1_7_3().with(&[
            ("EntryType", "Full\u{200b}Extract"),
            ("ALID", "md:alid:org:acme:m2"),
        ]),
        movies_1_7_3().with(&[
            ("TitleInternalAlias", "\u{200b}"),
            ("ALID", "md:alid:org:acme:m3"),
        ]),
        movies_1_7_3().with(&[
            ("TitleDisplayUnlimited", " The Example "),
            ("ALID", "md:alid:org:acme:m4"),
        ]),
    ];
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA016", "warning", "Movies", 4, "Territory"),
            at("EMA016", "warning", "Movies", 5, "EntryType"),
            at("EMA004", "error", "Movies", 5, "EntryType"),
            at("EMA003", "error", "Movies", 6, "TitleInternalAlias"),
            at("EMA016", "warning", "Movies", 7, "TitleDisplayUnlimited"),
        ]),
        "{report:#}"
    );
    let nbsp = &with_code(&report, "EMA016")[0];
    assert_eq!(
        nbsp["message"],
        "Territory `US\\u{a0}` holds U+00A0 (no-break space) at the end"
    );
    let entry = one(&report, "EMA004");
    let m = entry["message"].as_str().unwrap();
    assert!(m.contains("`Full\\u{200b}Extract`"), "escaped: {m}");
    assert!(!m.contains('\u{200b}'));
    let spaces = &with_code(&report, "EMA016")[2];
    assert!(
        spaces["message"]
            .as_str()
            .unwrap()
            .contains("U+0020 (space) at the start, U+0020 (space) at the end"),
        "{spaces:#}"
    );
}

/// A number of more than 15 digits in an ID field has been rounded by Excel
/// (before: silent).
#[test]
fn ema017_rounded_numbers() {
    let recs = [
        movies_1_7_3().with(&[("ContentID", "@num:1234567890123456789")]),
        movies_1_7_3().with(&[
            ("ContentID", "@num:123456789012345"),
            ("ALID", "md:alid:org:acme:m2"),
        ]),
    ];
    let (_, report) = ema("Movies", &recs);
    assert_eq!(
        findings(&report),
        set(&[at("EMA017", "warning", "Movies", 4, "ContentID")]),
        "{report:#}"
    );
}

/// PriceValue is a decimal amount when PriceType needs one (before: `4,99`,
/// `$4.99`, `4.99 USD` and `Tier 1` with WSP passed).
#[test]
fn ema018_price_values() {
    let est = |value: &str, n: usize| {
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("LicenseType", "EST"),
            ("PriceType", "WSP"),
            ("PriceValue", value),
            ("PriceCurrency", "USD"),
            ("ALID", &format!("md:alid:org:acme:m{n}")),
        ])
    };
    let recs = [
        est("4,99", 1),
        est("$4.99", 2),
        est("4.99 USD", 3),
        est("Tier 1", 4),
        est("4.99", 5),
        est("@num:4.99", 6),
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("LicenseType", "EST"),
            ("PriceType", "Tier"),
            ("PriceValue", "Tier 1"),
            ("ALID", "md:alid:org:acme:m7"),
        ]),
    ];
    let (_, report) = ema("Movies", &recs);
    assert_eq!(
        findings(&report),
        set(&[
            at("EMA018", "error", "Movies", 4, "PriceValue"),
            at("EMA018", "error", "Movies", 5, "PriceValue"),
            at("EMA018", "error", "Movies", 6, "PriceValue"),
            at("EMA018", "error", "Movies", 7, "PriceValue"),
        ]),
        "{report:#}"
    );
    assert_eq!(
        with_code(&report, "EMA018")[0]["help"]
            .as_str()
            .unwrap()
            .split(' ')
            .nth(1),
        Some("`4.99`")
    );
}

/// Constant boolean formulas are read as the booleans, with one info per
/// sheet; any other formula stays EMA011 (before: each was an EMA011 error).
#[test]
fn constant_boolean_formulas_are_booleans() {
    let recs = [
        movies_1_7_3().with(&[
            ("HDR", "@formula:=TRUE()|TRUE"),
            ("WCG", "@formula:FALSE()|FALSE"),
        ]),
        movies_1_7_3().with(&[
            ("HDR", "@formula:=TRUE|TRUE"),
            ("ALID", "md:alid:org:acme:m2"),
        ]),
        movies_1_7_3().with(&[
            ("WCG", "@formula:=NOT(TRUE())|FALSE"),
            ("ALID", "md:alid:org:acme:m3"),
        ]),
    ];
    let (code, report) = ema("Movies", &recs);
    assert_eq!(code, 1);
    assert_eq!(
        all_diags(&report),
        set(&[
            t("AVC001", "info", Some("Movies"), None, None),
            t("AVC009", "info", Some("Movies"), None, None),
            t("EMA011", "error", Some("Movies"), Some(6), Some("WCG")),
        ]),
        "{report:#}"
    );
    assert!(
        one(&report, "AVC009")["message"]
            .as_str()
            .unwrap()
            .starts_with("3 cells hold the constant formula")
    );
}

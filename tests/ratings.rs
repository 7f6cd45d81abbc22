//! Ratings against MovieLabs' Common Metadata Ratings (EMA040–EMA044), end
//! to end on workbooks built in code (`--profile ema`). Avails XML ratings
//! (each with its own `md:Region`) are checked on MovieLabs'
//! `Avails_withErrors.xml` in tests/xml.rs and below.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

/// `(code, severity, field, row)` of every rating finding.
fn ratings(report: &Value) -> BTreeSet<(String, String, String, u64)> {
    diagnostics(report)
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("EMA04"))
        .map(|d| {
            let l = &d["location"];
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                l["field"].as_str().unwrap_or_default().to_string(),
                l["row"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn r(code: &str, severity: &str, field: &str, row: u64) -> (String, String, String, u64) {
    (code.into(), severity.into(), field.into(), row)
}

/// A 1.7.3 Movies row rated `system`/`value`/`reason` for `territory`.
fn rated(territory: &str, system: &str, value: &str, reason: &str) -> Rec {
    movies_1_7_3().without("GroupIdentity").with(&[
        ("Territory", territory),
        ("RatingSystem", system),
        ("RatingValue", value),
        ("RatingReason", reason),
    ])
}

fn check_rows(rows: &[Rec]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "r.xlsx", "Movies", rows);
    check(&path, "ema", &[]).1
}

#[test]
fn valid_ratings_pass() {
    let report = check_rows(&[
        rated("US", "MPAA", "PG-13", "violence, language"),
        rated("ZA", "FPB", "7-9-PG", "V,L"),
        rated("DE", "FSK", "12", ""),
        // `Film` names the boards of many countries: CZ's has `15`.
        rated("CZ", "Film", "15", ""),
        // A province's board is used in its country.
        rated("CA", "MFCB", "PG", ""),
        // Any system, as MovieLabs' validator has it.
        rated("US", "MPAA", "UNRATED", ""),
        // Private systems are nobody's to check.
        rated("US", "Custom:Acme", "Kids", ""),
        // No country to look up.
        rated("ZZ", "MPAA", "R", ""),
        movies_1_7_3().without("GroupIdentity").with(&[
            ("RatingSystem", ""),
            ("RatingValue", ""),
            ("RatingReason", ""),
        ]),
    ]);
    assert_clean(&report);
}

#[test]
fn each_rating_rule() {
    let report = check_rows(&[
        // 4: a misspelt system.
        rated("US", "MPAAA", "PG", ""),
        // 5: MPAA has no rating `6` (MovieLabs' error sample, line 42).
        rated("US", "MPAA", "6", ""),
        // 6: FPB's reasons are codes; `Sex` is none (the sample's line 147).
        rated("ZA", "FPB", "7-9-PG", "S, Sex"),
        // 7: MPAA in Germany (the sample's line 135), a warning.
        rated("DE", "MPAA", "PG", ""),
        // 8: a deprecated rating, a warning.
        rated("US", "MPAA", "X", ""),
        // 9: a value without a system; 10: a system without a value.
        rated("US", "", "PG", ""),
        rated("US", "MPAA", "", ""),
        // 11: `12` is not a rating of the Czech board, whose `Film` it is.
        rated("CZ", "Film", "K-12", ""),
    ]);
    assert_eq!(
        ratings(&report),
        [
            r("EMA040", "error", "RatingSystem", 4),
            r("EMA041", "error", "RatingValue", 5),
            r("EMA042", "error", "RatingReason", 6),
            r("EMA043", "warning", "RatingSystem", 7),
            r("EMA044", "warning", "RatingValue", 8),
            r("EMA040", "error", "RatingSystem", 9),
            r("EMA041", "error", "RatingValue", 10),
            r("EMA041", "error", "RatingValue", 11),
        ]
        .into(),
        "{report:#}"
    );
    let message = |code: &str, row: u64| {
        let d = with_code(&report, code)
            .into_iter()
            .find(|d| d["location"]["row"] == row)
            .unwrap();
        (
            d["message"].as_str().unwrap().to_string(),
            d["help"].as_str().unwrap_or_default().to_string(),
        )
    };
    let (m, h) = message("EMA040", 4);
    assert_eq!(
        m,
        "`MPAAA` is not a rating system of the MovieLabs Common Metadata Ratings"
    );
    // MPAAT (MPAA's trailer ratings) is one edit away too.
    assert_eq!(h, "did you mean `MPAAT` or `MPAA`?");
    let (m, h) = message("EMA041", 5);
    assert_eq!(m, "`6` is not a rating of MPAA");
    assert!(h.contains("G, PG, M, GP, PG-13, R, NC-17, X"), "{h}");
    let (m, h) = message("EMA042", 6);
    assert_eq!(
        m,
        "`Sex` is not a FPB reason code; FPB defines its reasons as codes"
    );
    assert!(h.contains("S, SV, V"), "{h}");
    let (m, h) = message("EMA043", 7);
    assert_eq!(
        m,
        "rating system MPAA is not used in DE (the row's territory; MPAA is used in US)"
    );
    assert_eq!(h, "DE uses FSF, FSK");
    let (m, _) = message("EMA044", 8);
    assert_eq!(m, "MPAA no longer gives the rating `X` (deprecated)");
    let (m, _) = message("EMA040", 9);
    assert_eq!(m, "RatingValue `PG` has no RatingSystem");
    let (m, h) = message("EMA041", 11);
    assert_eq!(m, "`K-12` is not a rating of Film");
    assert_eq!(
        h, "use one of the Film ratings: U, 12, 14, 15, 18",
        "the Czech board's"
    );
}

/// Several territories: MPAA is used in the US only.
#[test]
fn a_system_used_in_some_of_the_rows_territories() {
    let report = check_rows(&[rated("US, CA, MX", "MPAA", "PG", "")]);
    let d = one(&report, "EMA043");
    assert_eq!(
        d["message"],
        "rating system MPAA is not used in CA, MX (the row's territory; MPAA is used in US)"
    );
}

/// MovieLabs' own error sample: the three rating findings at its lines.
#[test]
fn xml_error_sample() {
    let path = samples_dir().join("../mddf-suite/xml/Avails_withErrors.xml");
    let (_, report, _) = check(&path, "ema", &[]);
    let found: BTreeSet<(String, String, u64, String)> = diagnostics(&report)
        .iter()
        .filter(|d| d["code"].as_str().unwrap().starts_with("EMA04"))
        .map(|d| {
            let l = &d["location"];
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                l["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("EMA041", "error", 42, "6"),
            ("EMA042", "error", 147, "Sex"),
            ("EMA043", "warning", 135, "DE"),
        ]
        .map(|(c, s, l, v)| (c.to_string(), s.to_string(), l, v.to_string()))
        .into(),
        "{report:#}"
    );
}

//! Times as Amazon reads them (issue 14): "content is published at the
//! start of the day in the eastern-most time zone of the territory
//! indicated (e.g., at 12:01 a.m. Eastern time in the US)". A date, or a
//! date-time without offset, is read in its territory's eastern-most zone
//! (schemas/codes/territory-zones.json) unless `--time-zone` forces one;
//! the forward-looking Start and the one-minute handover use those
//! instants, and messages show them in the territory's zone and in UTC.
//! Checked at 2026-11-22T00:00:00Z (tests/common).

mod common;

use common::*;
use serde_json::Value;

fn cph_row(territory: &str, start: &str) -> Rec {
    movies_1_7_3().with(&[("Territory", territory), ("Start", start)])
}

fn check_rows(recs: &[Rec], extra: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", "Movies", recs);
    let mut flags = vec!["--territories", "US,GB,DE", "--partner", "acme"];
    flags.extend(extra);
    let (code, report, _) = check(&path, "cph-svod", &flags);
    (code, report)
}

fn codes_by_row(report: &Value, code: &str) -> Vec<u64> {
    with_code(report, code)
        .iter()
        .map(|d| d["location"]["row"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_start_date_is_the_start_of_the_day_in_its_territory() {
    // The check time is midnight UTC on 2026-11-22: in New York the day
    // has not begun, in London it begins now, in Berlin it began an hour ago.
    let rows = [
        cph_row("US", "2026-11-22"),
        cph_row("GB", "2026-11-22"),
        cph_row("DE", "2026-11-22"),
    ];
    let (code, report) = check_rows(&rows, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes_by_row(&report, "CPH004"), vec![5, 6], "{report:#}");
    let berlin = with_code(&report, "CPH004")[1]["message"].as_str().unwrap();
    assert!(
        berlin.contains(
            "CPH Start `2026-11-22` (2026-11-21T23:00:00Z, 2026-11-22T00:00:00+01:00 in Europe/Berlin)"
        ),
        "{berlin}"
    );

    // --time-zone forces one zone for every territory.
    let (_, report) = check_rows(&rows, &["--time-zone", "UTC"]);
    assert_eq!(codes_by_row(&report, "CPH004"), vec![4, 5, 6], "{report:#}");
    let (_, report) = check_rows(&rows, &["--time-zone", "America/Los_Angeles"]);
    assert!(codes_by_row(&report, "CPH004").is_empty(), "{report:#}");

    // An offset in the value places it whatever the territory.
    let (_, report) = check_rows(&[cph_row("US", "2026-11-22T00:00:00Z")], &[]);
    assert_eq!(codes_by_row(&report, "CPH004"), vec![4], "{report:#}");
}

#[test]
fn a_row_in_several_territories_starts_first_where_the_day_starts_first() {
    let (_, report) = check_rows(&[cph_row("US, DE", "2026-11-22")], &[]);
    let d = one(&report, "CPH004");
    assert!(
        d["message"].as_str().unwrap().contains("in Europe/Berlin"),
        "{d:#}"
    );
}

/// The CPH row of `movies_1_7_3()` starting `start` after a Licensed SVOD
/// window of the same title in `territory` ending `end`.
fn handover(territory: &str, end: &str, start: &str) -> Value {
    let rows = [
        movies_1_7_3().with(&[
            ("Territory", territory),
            ("GroupIdentity", ""),
            ("Start", "2025-01-01"),
            ("End", end),
        ]),
        cph_row(territory, start).with(&[("End", "2031-12-31")]),
    ];
    check_rows(&rows, &[]).1
}

#[test]
fn the_one_minute_handover_is_judged_in_the_territory_s_zone() {
    // Both local: continuous in any territory.
    for territory in ["US", "GB", "DE"] {
        let report = handover(territory, "2029-12-31T23:59:00", "2030-01-01");
        assert!(
            with_code(&report, "CPH005").is_empty() && with_code(&report, "CPH015").is_empty(),
            "{territory}: {report:#}"
        );
    }
    // The licensed End in UTC, the CPH Start a US date: the Start is 05:00
    // UTC, so five hours and a minute are missing.
    let report = handover("US", "2029-12-31T23:59:00Z", "2030-01-01");
    let d = one(&report, "CPH015");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("5 hours 1 minute before the CPH Start `2030-01-01`"),
        "{d:#}"
    );
    // The fix is written as the licensed End is: in UTC.
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("set the licensed End to 2030-01-01T04:59:00Z"),
        "{d:#}"
    );
    // In London the two are the same instants in winter: continuous.
    let report = handover("GB", "2029-12-31T23:59:00Z", "2030-01-01");
    assert!(with_code(&report, "CPH015").is_empty(), "{report:#}");
    // A licensed date-only End in Berlin overlapping a UTC CPH Start:
    // 2029-12-31T23:59:59+01:00 is before 2030-01-01T00:00:00Z, a gap of
    // an hour and a second.
    let report = handover("DE", "2029-12-31", "2030-01-01T00:00:00Z");
    let d = one(&report, "CPH015");
    assert!(
        d["message"].as_str().unwrap().contains("1 hour 1 second"),
        "{d:#}"
    );
    // Local End, local fix: written without offset, read back in Berlin.
    let report = handover("DE", "2029-12-30T23:59:00", "2030-01-01");
    let d = one(&report, "CPH015");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("set the licensed End to 2029-12-31T23:59:00 "),
        "{d:#}"
    );
}

#[test]
fn the_time_zone_setting_accepts_iana_names_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(dir.path(), "t.xlsx", "Movies", &[movies_1_7_3()]);
    let path = path.display().to_string();
    let run = run_check(&[path.as_str(), "--time-zone", "Mars/Olympus"], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--time-zone: `Mars/Olympus` is not a time zone")
            && run.stderr.contains("Europe/London"),
        "{}",
        run.stderr
    );
    let config = dir.path().join("availcheck.toml");
    std::fs::write(&config, "time_zone = \"Europe/London\"\n").unwrap();
    let config = config.display().to_string();
    let run = run_check(
        &[
            path.as_str(),
            "--config",
            &config,
            "--territories",
            "US",
            "--partner",
            "acme",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

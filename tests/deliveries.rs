//! Deliveries (issue 14): a file is checked as a change to what Amazon
//! already has (`--previous`), folders hold more than avails, and CPH006
//! compares the windows of one delivered file. Each test builds the
//! previous and current deliveries in code and runs the binary with
//! `--as-of 2026-11-22T00:00:00Z` (tests/common).
//!
//! Columns of `movies_1_7_3()`: GroupIdentity I, Start M, End N; data
//! starts in row 4.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const AGREEMENT: [&str; 4] = ["--territories", "US,GB", "--partner", "acme"];

/// A CPH window live at the check time (started before 2026-11-22).
const LIVE_START: &str = "2026-01-01T00:00:00Z";

fn cph_row(start: &str, end: &str) -> Rec {
    movies_1_7_3().with(&[("Start", start), ("End", end)])
}

fn licensed_row(start: &str, end: &str) -> Rec {
    movies_1_7_3().with(&[("GroupIdentity", ""), ("Start", start), ("End", end)])
}

/// Checks `current` against `previous` (both written into one temp folder)
/// under cph-svod with the agreement; returns (exit, report).
fn delivery(previous: &[Rec], current: &[Rec], extra: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let prev = workbook(dir.path(), "2026-10.xlsx", "Movies", previous);
    let cur = workbook(dir.path(), "2026-11.xlsx", "Movies", current);
    let prev_s = prev.display().to_string();
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--previous", &prev_s]);
    flags.extend(extra);
    let (code, report, _) = check(&cur, "cph-svod", &flags);
    (code, report)
}

fn codes_at(report: &Value) -> Vec<(String, String, Option<u64>)> {
    diagnostics(report)
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["location"]["row"].as_u64(),
            )
        })
        .collect()
}

fn finding(code: &str, severity: &str, row: u64) -> (String, String, Option<u64>) {
    (code.to_string(), severity.to_string(), Some(row))
}

#[test]
fn an_unchanged_live_cph_window_keeps_its_past_start() {
    let live = cph_row(LIVE_START, FUTURE_END);
    // Without --previous: CPH004, and its help says how to exempt it.
    let dir = tempfile::tempdir().unwrap();
    let cur = workbook(
        dir.path(),
        "cur.xlsx",
        "Movies",
        std::slice::from_ref(&live),
    );
    let (code, report, _) = check(&cur, "cph-svod", &AGREEMENT);
    assert_eq!(code, 1);
    assert_eq!(codes_at(&report), vec![finding("CPH004", "error", 4)]);
    assert!(
        one(&report, "CPH004")["help"]
            .as_str()
            .unwrap()
            .contains("--previous"),
        "{report:#}"
    );
    assert!(report["summary"]["exempted"].is_null(), "{report:#}");

    // With the previous delivery that has it: exempt, and counted.
    let (code, report) = delivery(
        std::slice::from_ref(&live),
        std::slice::from_ref(&live),
        &[],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
    assert_eq!(report["summary"]["exempted"], 1, "{report:#}");
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[1]["role"], "previous", "{report:#}");
}

#[test]
fn a_live_window_extended_keeps_its_start_but_a_moved_start_is_checked() {
    // Amazon's FAQ: no need to update the Start when only extending the End.
    let (code, report) = delivery(
        &[cph_row(LIVE_START, "2027-06-30T23:59:59Z")],
        &[cph_row(LIVE_START, FUTURE_END)],
        &[],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["exempted"], 1);

    // A new past Start is a change Amazon cannot make forward-looking.
    let (code, report) = delivery(
        &[cph_row(LIVE_START, FUTURE_END)],
        &[cph_row("2026-06-01T00:00:00Z", FUTURE_END)],
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(codes_at(&report), vec![finding("CPH004", "error", 4)]);
    assert_eq!(report["summary"]["exempted"], 0);
}

#[test]
fn a_full_extract_that_drops_a_licensed_window_names_it() {
    // Previous: the Licensed SVOD window. Current: only the CPH window of
    // the same title, territory and LicenseType (the same scope).
    let (code, report) = delivery(
        &[licensed_row("2025-01-01T00:00:00Z", "Open")],
        &[cph_row(FUTURE_START, FUTURE_END)],
        &[],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes_at(&report), vec![finding("CPH018", "error", 4)]);
    let d = one(&report, "CPH018");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("Licensed SVOD window `2025-01-01T00:00:00Z – Open`")
            && message.contains("2026-10.xlsx")
            && message.contains("replaces every window"),
        "{message}"
    );
    let related = &d["related"][0]["location"];
    assert!(related["file"].as_str().unwrap().ends_with("2026-10.xlsx"));
    assert_eq!(related["cell"], "M4", "{d:#}");
    assert!(d["help"].as_str().unwrap().contains("send its row again"));

    // Re-sent, ending one minute before the CPH Start: clean.
    let (code, report) = delivery(
        &[licensed_row("2025-01-01T00:00:00Z", "Open")],
        &[
            licensed_row("2025-01-01T00:00:00Z", "2029-12-31T23:59:00Z"),
            cph_row(FUTURE_START, FUTURE_END),
        ],
        &[],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn scopes_the_file_does_not_mention_are_untouched() {
    let other = licensed_row("2025-01-01T00:00:00Z", "Open").with(&[
        ("ALID", "md:alid:org:acme:movie-0002"),
        ("ContentID", "md:cid:org:acme:movie-0002"),
    ]);
    let (code, report) = delivery(&[other], &[cph_row(FUTURE_START, FUTURE_END)], &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_clean(&report);
}

#[test]
fn a_previous_licensed_window_of_a_scope_not_resent_still_conflicts() {
    // The previous delivery's Licensed SVOD window is another licensor's
    // scope, which this file does not send again: Amazon keeps it, so the
    // CPH window must hand over to it (CPH005), not drop it (CPH018).
    let other_licensor =
        licensed_row("2025-01-01T00:00:00Z", "Open").with(&[("DisplayName", "acme-pictures")]);
    let (code, report) = delivery(
        std::slice::from_ref(&other_licensor),
        &[cph_row(FUTURE_START, FUTURE_END)],
        &[],
    );
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(codes_at(&report), vec![finding("CPH005", "error", 4)]);
    let related = &one(&report, "CPH005")["related"][0]["location"];
    assert!(related["file"].as_str().unwrap().ends_with("2026-10.xlsx"));
    assert_eq!(report["summary"]["licensed_compared"], 1, "{report:#}");

    // In another territory it is never compared, and the summary says so.
    let (code, report) = delivery(
        &[other_licensor.with(&[("Territory", "GB")])],
        &[cph_row(FUTURE_START, FUTURE_END)],
        &[],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["licensed_compared"], 0, "{report:#}");
}

#[test]
fn a_full_delete_of_a_live_scope_is_a_warning_quoting_amazon() {
    let (code, report) = delivery(
        &[cph_row(LIVE_START, FUTURE_END)],
        &[cph_row(LIVE_START, FUTURE_END).with(&[("EntryType", "Full Delete")])],
        &[],
    );
    let found = codes_at(&report);
    assert!(
        found.contains(&finding("CPH019", "warning", 4)),
        "{report:#}"
    );
    let d = one(&report, "CPH019");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("Full Delete can only be used if assets/metadata have not been delivered"),
        "{d:#}"
    );
    assert!(code == 0 || code == 1);

    // A Full Delete of a scope whose window never went live: nothing.
    let (_, report) = delivery(
        &[cph_row(FUTURE_START, FUTURE_END)],
        &[cph_row(FUTURE_START, FUTURE_END).with(&[("EntryType", "Full Delete")])],
        &[],
    );
    assert!(with_code(&report, "CPH019").is_empty(), "{report:#}");
}

#[test]
fn an_end_moved_into_the_past_says_what_amazon_will_do() {
    // A live window whose End moves before the check time: expires now.
    let (_, report) = delivery(
        &[cph_row(LIVE_START, FUTURE_END)],
        &[cph_row(LIVE_START, "2026-11-01T00:00:00Z")],
        &[],
    );
    let d = one(&report, "CPH020");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("ends the window Amazon has live now"),
        "{d:#}"
    );
    // A future window moved wholly into the past: never published.
    let (_, report) = delivery(
        &[cph_row(FUTURE_START, FUTURE_END)],
        &[cph_row("2026-01-01T00:00:00Z", "2026-06-30T23:59:59Z")],
        &[],
    );
    let d = one(&report, "CPH020");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("Amazon will never publish it"),
        "{d:#}"
    );
}

#[test]
fn the_previous_delivery_may_be_avails_xml() {
    // The previous delivery as Avails XML, the current one a workbook.
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("previous.xml");
    std::fs::write(&xml, avails_xml(LIVE_START, "2031-12-31T23:59:59Z")).unwrap();
    let cur = workbook(
        dir.path(),
        "current.xlsx",
        "Movies",
        &[cph_row(LIVE_START, FUTURE_END)],
    );
    let xml_s = xml.display().to_string();
    let mut flags = AGREEMENT.to_vec();
    flags.extend(["--previous", &xml_s]);
    let (code, report, _) = check(&cur, "cph-svod", &flags);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["exempted"], 1, "{report:#}");

    // And the current one as XML too.
    let cur_xml = dir.path().join("current.xml");
    std::fs::write(&cur_xml, avails_xml(LIVE_START, "2031-12-31T23:59:59Z")).unwrap();
    let (code, report, _) = check(&cur_xml, "cph-svod", &flags);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["exempted"], 1, "{report:#}");
}

/// A v2.3 Avails document with one CPH avail of `movies_1_7_3()`'s title in US.
fn avails_xml(start: &str, end: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<avails:AvailList xmlns:avails="http://www.movielabs.com/schema/avails/v2.3/avails" xmlns:md="http://www.movielabs.com/schema/md/v2.6/md">
  <avails:Avail>
    <avails:ALID>md:alid:org:acme:movie-0001</avails:ALID>
    <avails:Disposition><avails:EntryType>Full Extract</avails:EntryType></avails:Disposition>
    <avails:Licensor><md:DisplayName>acme</md:DisplayName></avails:Licensor>
    <avails:AvailType>single</avails:AvailType>
    <avails:ShortDescription>availcheck test</avails:ShortDescription>
    <avails:Asset contentID="md:cid:org:acme:movie-0001">
      <avails:WorkType>Movie</avails:WorkType>
      <avails:Metadata>
        <avails:TitleInternalAlias>The Example Movie</avails:TitleInternalAlias>
        <avails:GroupingEntity><md:Type>channel</md:Type><md:GroupIdentity>CPH</md:GroupIdentity><md:DisplayName>CPH</md:DisplayName></avails:GroupingEntity>
      </avails:Metadata>
    </avails:Asset>
    <avails:Transaction TransactionID="t1">
      <avails:LicenseType>SVOD</avails:LicenseType>
      <avails:Territory><md:country>US</md:country></avails:Territory>
      <avails:Start>{start}</avails:Start>
      <avails:End>{end}</avails:End>
      <avails:AssetLanguage>en</avails:AssetLanguage>
      <avails:FormatProfile>HD</avails:FormatProfile>
      <avails:Term termName="NA"><avails:Text>NA</avails:Text></avails:Term>
    </avails:Transaction>
  </avails:Avail>
</avails:AvailList>
"#
    )
}

// ------------------------------------------------------------------ folders

/// A folder with two monthly deliveries re-sending the same window.
fn two_deliveries(dir: &Path) -> PathBuf {
    let avails = dir.join("avails");
    std::fs::create_dir(&avails).unwrap();
    let row = cph_row(FUTURE_START, FUTURE_END);
    workbook(
        &avails,
        "2026-10.xlsx",
        "Movies",
        std::slice::from_ref(&row),
    );
    workbook(&avails, "2026-11.xlsx", "Movies", &[row]);
    avails
}

#[test]
fn two_deliveries_in_one_folder_do_not_overlap_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let avails = two_deliveries(dir.path());
    let avails_s = avails.display().to_string();
    let mut args = vec![avails_s.as_str(), "--profile", "cph-svod"];
    args.extend(AGREEMENT);
    let (code, report, _) = run(&args);
    assert_eq!(code, 0, "{report:#}");
    assert!(with_code(&report, "CPH006").is_empty(), "{report:#}");
    assert_eq!(report["summary"]["files"], 2);

    // The same file named twice is checked once.
    let file = avails.join("2026-10.xlsx").display().to_string();
    let mut args = vec![file.as_str(), file.as_str(), "--profile", "cph-svod"];
    args.extend(AGREEMENT);
    let (code, report, _) = run(&args);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["files"].as_array().unwrap().len(), 1, "{report:#}");
}

#[test]
fn a_licensed_csv_inside_the_checked_folder_is_not_an_avails_file() {
    let dir = tempfile::tempdir().unwrap();
    let avails = dir.path().join("avails");
    std::fs::create_dir(&avails).unwrap();
    workbook(
        &avails,
        "2026-11.xlsx",
        "Movies",
        &[cph_row(FUTURE_START, FUTURE_END)],
    );
    let csv = avails.join("licensed-windows.csv");
    std::fs::write(
        &csv,
        "title_id,territory,start,end\nmd:alid:org:acme:movie-0001,US,2025-01-01,2029-12-31T23:59:00Z\n",
    )
    .unwrap();
    let avails_s = avails.display().to_string();
    let csv_s = csv.display().to_string();

    // Passed with --licensed: read once, as the reference; exit 0.
    let mut args = vec![
        avails_s.as_str(),
        "--profile",
        "cph-svod",
        "--licensed",
        &csv_s,
    ];
    args.extend(AGREEMENT);
    let (code, report, _) = run(&args);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(report["summary"]["licensed_compared"], 1, "{report:#}");

    // Not passed: skipped with an info telling to pass it; never exit 2.
    let mut args = vec![avails_s.as_str(), "--profile", "cph-svod"];
    args.extend(AGREEMENT);
    let (code, report, _) = run(&args);
    assert_eq!(code, 0, "{report:#}");
    let skipped = one(&report, "AVC010");
    assert!(
        skipped["message"].as_str().unwrap().contains("--licensed"),
        "{skipped:#}"
    );
}

#[test]
fn a_report_written_into_the_checked_folder_does_not_change_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let avails = two_deliveries(dir.path());
    let avails_s = avails.display().to_string();
    for (format, name) in [("junit", "junit.xml"), ("csv", "findings.csv")] {
        let out = avails.join(name).display().to_string();
        let run_once = || {
            run_raw(
                &[
                    "check",
                    &avails_s,
                    "--profile",
                    "cph-svod",
                    "--territories",
                    "US,GB",
                    "--partner",
                    "acme",
                    "--as-of",
                    AS_OF,
                    "--format",
                    format,
                    "-o",
                    &out,
                ],
                &[],
            )
        };
        let first = run_once();
        assert_eq!(first.code, 0, "{first:?}");
        let written = std::fs::read_to_string(&out).unwrap();
        let second = run_once();
        assert_eq!(second.code, 0, "{second:?}");
        // Same report, timings aside.
        let strip = |s: &str| {
            s.lines()
                .filter(|l| !l.contains("time="))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            strip(&written),
            strip(&std::fs::read_to_string(&out).unwrap()),
            "{format}"
        );
    }
    // And the JSON run names the reports it skipped.
    let (code, report, _) = run(&[
        avails_s.as_str(),
        "--profile",
        "cph-svod",
        "--territories",
        "US,GB",
        "--partner",
        "acme",
    ]);
    assert_eq!(code, 0, "{report:#}");
    let skipped: Vec<&str> = with_code(&report, "AVC010")
        .iter()
        .map(|d| d["location"]["file"].as_str().unwrap())
        .collect();
    assert!(
        skipped.iter().any(|f| f.ends_with("junit.xml"))
            && skipped.iter().any(|f| f.ends_with("findings.csv")),
        "{skipped:?}"
    );
}

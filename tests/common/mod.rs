//! Shared helpers for availcheck's end-to-end tests.
//!
//! * [`Book`] / [`SheetSpec`] write an EMA workbook with rust_xlsxwriter:
//!   row 1 categories, row 2 field names, row 3 a `//` comment (or the
//!   version in A3 for 1.8/1.9, or blank), rows 4+ data.
//!   Cell values are plain text unless they use one of these prefixes:
//!   `@date:2030-01-01` (a real Excel date cell, number format `yyyy-mm-dd`),
//!   `@datetime:2030-01-01T10:00:00` (a real date-time cell),
//!   `@num:45000` (a number cell), `@formula:=A4&"x"|cached` (a formula with
//!   its cached result). An empty row (`Vec::new()` or all-empty values)
//!   leaves a gap in the sheet.
//! * [`Rec`] is one avail row as `(field, value)` pairs; [`movies_1_6`],
//!   [`tv_1_6`], [`movies_1_7_3`], [`tv_1_7_3`] are complete, clean CPH rows
//!   (alias `acme`, territory US, Start 2030-01-01T00:00:00Z).
//! * [`run`] / [`check`] run the binary (always with `--json` and
//!   `--as-of 2026-11-22T00:00:00Z` for `check`) in an empty working
//!   directory, so no stray `availcheck.toml` is picked up.
//! * [`findings`] / [`all_diags`] turn the JSON report into a set of
//!   `(code, severity, sheet, row, field)` tuples.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;

/// The check time every test uses.
pub const AS_OF: &str = "2026-11-22T00:00:00Z";

/// A Start safely after [`AS_OF`].
pub const FUTURE_START: &str = "2030-01-01T00:00:00Z";
/// The End paired with [`FUTURE_START`].
pub const FUTURE_END: &str = "2031-12-31T23:59:59Z";

/// One avail row: field → value, in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rec(pub Vec<(String, String)>);

impl Rec {
    /// Builds a record from pairs.
    pub fn new(pairs: &[(&str, &str)]) -> Self {
        Rec(pairs
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect())
    }

    /// Sets a field (appends the field when the record has no such column).
    pub fn set(mut self, field: &str, value: &str) -> Self {
        match self.0.iter_mut().find(|(f, _)| f == field) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.0.push((field.to_string(), value.to_string())),
        }
        self
    }

    /// Sets several fields.
    pub fn with(self, pairs: &[(&str, &str)]) -> Self {
        pairs.iter().fold(self, |r, (f, v)| r.set(f, v))
    }

    /// Removes a field (and so its column, when used as the header source).
    pub fn without(mut self, field: &str) -> Self {
        self.0.retain(|(f, _)| f != field);
        self
    }

    /// The value of a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    /// Field names in order.
    pub fn fields(&self) -> Vec<String> {
        self.0.iter().map(|(f, _)| f.clone()).collect()
    }

    /// Values laid out for `fields` (missing fields are empty).
    pub fn values_for(&self, fields: &[String]) -> Vec<String> {
        fields
            .iter()
            .map(|f| self.get(f).unwrap_or_default().to_string())
            .collect()
    }
}

/// Complete, clean EMA 1.6 Movies CPH row (LicenseRightsDescription = CPH).
pub fn movies_1_6() -> Rec {
    Rec::new(&[
        ("DisplayName", "acme"),
        ("StoreLanguage", "en"),
        ("Territory", "US"),
        ("WorkType", "Movie"),
        ("EntryType", "Full Extract"),
        ("TitleInternalAlias", "The Example Movie"),
        ("TitleDisplayUnlimited", "The Example Movie"),
        ("LicenseType", "SVOD"),
        ("LicenseRightsDescription", "CPH"),
        ("FormatProfile", "HD"),
        ("Start", FUTURE_START),
        ("End", FUTURE_END),
        ("PriceType", ""),
        ("PriceValue", ""),
        ("AltID", "acme-movie-0001"),
        ("SuppressionLiftDate", ""),
        ("CaptionIncluded", ""),
        ("CaptionExemption", ""),
    ])
}

/// Complete, clean EMA 1.6 TV CPH episode row.
pub fn tv_1_6() -> Rec {
    Rec::new(&[
        ("DisplayName", "acme"),
        ("StoreLanguage", "en"),
        ("Territory", "US"),
        ("WorkType", "Episode"),
        ("EntryType", "Full Extract"),
        ("SeriesTitleInternalAlias", "Example Series"),
        ("SeasonNumber", "1"),
        ("EpisodeNumber", "1"),
        ("EpisodeTitleInternalAlias", "Pilot"),
        ("SeriesAltID", "acme-series-01"),
        ("SeasonAltID", "acme-series-01-s1"),
        ("EpisodeAltID", "acme-series-01-s1e1"),
        ("LicenseType", "SVOD"),
        ("LicenseRightsDescription", "CPH"),
        ("FormatProfile", "HD"),
        ("Start", FUTURE_START),
        ("End", FUTURE_END),
        ("PriceType", ""),
        ("PriceValue", ""),
        ("SuppressionLiftDate", ""),
        ("CaptionIncluded", "Yes"),
        ("CaptionExemption", ""),
    ])
}

/// Complete, clean EMA 1.7.3 Movies CPH row (GroupIdentity = CPH).
pub fn movies_1_7_3() -> Rec {
    Rec::new(&[
        ("DisplayName", "acme"),
        ("AssetLanguage", "en:audio"),
        ("Territory", "US"),
        ("TerritoryExclusion", ""),
        ("WorkType", "Movie"),
        ("EntryType", "Full Extract"),
        ("TitleInternalAlias", "The Example Movie"),
        ("TitleDisplayUnlimited", "The Example Movie"),
        ("GroupIdentity", "CPH"),
        ("LicenseType", "SVOD"),
        ("LicenseRightsDescription", ""),
        ("FormatProfile", "HD"),
        ("Start", FUTURE_START),
        ("End", FUTURE_END),
        ("PriceType", ""),
        ("PriceValue", ""),
        ("PriceCurrency", ""),
        ("ContentID", "md:cid:org:acme:movie-0001"),
        ("ALID", "md:alid:org:acme:movie-0001"),
        ("SuppressionLiftDate", ""),
        ("CaptionIncluded", ""),
        ("CaptionExemption", ""),
    ])
}

/// Complete, clean EMA 1.7.3 TV CPH episode row.
pub fn tv_1_7_3() -> Rec {
    Rec::new(&[
        ("DisplayName", "acme"),
        ("AssetLanguage", "en:audio"),
        ("Territory", "US"),
        ("TerritoryExclusion", ""),
        ("WorkType", "Episode"),
        ("EntryType", "Full Extract"),
        ("SeriesTitleInternalAlias", "Example Series"),
        ("SeasonNumber", "1"),
        ("EpisodeNumber", "1"),
        ("EpisodeTitleInternalAlias", "Pilot"),
        ("ALID", "md:alid:org:acme:series-01-s1e1"),
        ("GroupIdentity", "CPH"),
        ("LicenseType", "SVOD"),
        ("LicenseRightsDescription", ""),
        ("FormatProfile", "HD"),
        ("Start", FUTURE_START),
        ("End", FUTURE_END),
        ("PriceType", ""),
        ("PriceValue", ""),
        ("PriceCurrency", ""),
        ("SeriesContentID", "md:cid:org:acme:series-01"),
        ("SeasonContentID", "md:cid:org:acme:series-01-s1"),
        ("EpisodeContentID", "md:cid:org:acme:series-01-s1e1"),
        ("SuppressionLiftDate", ""),
        ("CaptionIncluded", "Yes"),
        ("CaptionExemption", ""),
    ])
}

/// One sheet to write.
#[derive(Debug, Clone)]
pub struct SheetSpec {
    /// Sheet name (`Movies`, `TV`).
    pub name: String,
    /// Row-2 field names.
    pub fields: Vec<String>,
    /// Data rows from row 4; an empty row leaves a gap.
    pub rows: Vec<Vec<String>>,
    /// Row-1 categories; `None` writes `AvailTrans` over every column.
    pub categories: Option<Vec<String>>,
    /// Row 3: `Some(text)` writes it in A3, `None` leaves the row blank.
    pub row3: Option<String>,
}

impl SheetSpec {
    /// A sheet from field names and rows of text (the shape of an EMA template).
    /// `version` decides row 3: `1.8`/`1.9` put the version in A3 (as the
    /// official templates do), others a `//` comment.
    pub fn new(version: &str, name: &str, fields: &[&str], rows: Vec<Vec<&str>>) -> Self {
        let row3 = if version == "1.8" || version == "1.9" {
            version.to_string()
        } else {
            format!("// test workbook, EMA {version}")
        };
        SheetSpec {
            name: name.to_string(),
            fields: fields.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(str::to_string).collect())
                .collect(),
            categories: None,
            row3: Some(row3),
        }
    }

    /// A sheet whose header is the first record's fields; every record is a row.
    pub fn from_recs(name: &str, recs: &[Rec]) -> Self {
        let fields = recs.first().map(Rec::fields).unwrap_or_default();
        let rows = recs.iter().map(|r| r.values_for(&fields)).collect();
        SheetSpec {
            name: name.to_string(),
            fields,
            rows,
            categories: None,
            row3: Some("// generated by availcheck tests".into()),
        }
    }

    /// Adds an empty row (a gap) after the rows so far.
    pub fn gap(mut self) -> Self {
        self.rows.push(Vec::new());
        self
    }

    /// Appends a record laid out on this sheet's fields.
    pub fn push(mut self, rec: &Rec) -> Self {
        self.rows.push(rec.values_for(&self.fields));
        self
    }

    /// Appends a raw row of text.
    pub fn push_raw(mut self, row: &[&str]) -> Self {
        self.rows.push(row.iter().map(|s| s.to_string()).collect());
        self
    }

    /// Spreadsheet column letter of a field (A, B, ...).
    pub fn letter(&self, field: &str) -> String {
        let i = self
            .fields
            .iter()
            .position(|f| f == field)
            .unwrap_or_else(|| panic!("no field {field} in sheet {}", self.name));
        column_letter(i)
    }
}

/// A workbook of one or more sheets.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Sheets in order.
    pub sheets: Vec<SheetSpec>,
}

impl Book {
    /// A workbook with one sheet.
    pub fn one(sheet: SheetSpec) -> Self {
        Book {
            sheets: vec![sheet],
        }
    }

    /// Adds a sheet.
    pub fn sheet(mut self, sheet: SheetSpec) -> Self {
        self.sheets.push(sheet);
        self
    }

    /// Writes the workbook to `path`.
    pub fn write(&self, path: &Path) {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let datetime = Format::new().set_num_format("yyyy-mm-dd\\Thh:mm:ss");
        for s in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(&s.name).expect("sheet name");
            for (c, f) in s.fields.iter().enumerate() {
                let cat = s
                    .categories
                    .as_ref()
                    .and_then(|v| v.get(c).cloned())
                    .unwrap_or_else(|| "AvailTrans".to_string());
                if !cat.is_empty() {
                    ws.write_string(0, c as u16, &cat).expect("write");
                }
                ws.write_string(1, c as u16, f).expect("write");
            }
            if let Some(t) = &s.row3 {
                ws.write_string(2, 0, t).expect("write");
            }
            for (i, row) in s.rows.iter().enumerate() {
                let r = 3 + i as u32;
                for (c, v) in row.iter().enumerate() {
                    let c = c as u16;
                    if v.is_empty() {
                        continue;
                    }
                    if let Some(d) = v.strip_prefix("@date:") {
                        let dt = ExcelDateTime::parse_from_str(d).expect("date");
                        ws.write_datetime_with_format(r, c, &dt, &date)
                            .expect("write");
                    } else if let Some(d) = v.strip_prefix("@datetime:") {
                        let dt = ExcelDateTime::parse_from_str(d).expect("datetime");
                        ws.write_datetime_with_format(r, c, &dt, &datetime)
                            .expect("write");
                    } else if let Some(n) = v.strip_prefix("@num:") {
                        ws.write_number(r, c, n.parse::<f64>().expect("number"))
                            .expect("write");
                    } else if let Some(f) = v.strip_prefix("@formula:") {
                        let (formula, cached) = f.split_once('|').unwrap_or((f, ""));
                        ws.write_formula(r, c, Formula::new(formula).set_result(cached))
                            .expect("write");
                    } else {
                        ws.write_string(r, c, v).expect("write");
                    }
                }
            }
        }
        wb.save(path).expect("save workbook");
    }
}

/// Writes a one-sheet EMA workbook: `version` (decides row 3), sheet name,
/// field names in row 2, and data rows from row 4.
pub fn write_workbook(
    path: &Path,
    version: &str,
    sheet: &str,
    fields: &[&str],
    rows: Vec<Vec<&str>>,
) {
    Book::one(SheetSpec::new(version, sheet, fields, rows)).write(path);
}

/// Writes records as a one-sheet workbook in `dir/name` and returns the path.
pub fn workbook(dir: &Path, name: &str, sheet: &str, recs: &[Rec]) -> PathBuf {
    let path = dir.join(name);
    Book::one(SheetSpec::from_recs(sheet, recs)).write(&path);
    path
}

/// Spreadsheet column letters for a 0-based index (written independently of
/// the library's, so cell references in reports are checked, not echoed).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The JSON report on stdout.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout: {}\nstderr: {}",
                self.code, self.stdout, self.stderr
            )
        })
    }
}

/// Path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_availcheck")
}

/// Runs the binary with exactly these arguments, in an empty working directory.
pub fn run_raw<S: AsRef<std::ffi::OsStr>>(args: &[S], envs: &[(&str, &str)]) -> Run {
    let cwd = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(bin());
    cmd.args(args).current_dir(cwd.path()).env("NO_COLOR", "1");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run availcheck");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `availcheck check ARGS --json --as-of AS_OF`; returns (exit code, report, stderr).
pub fn run<S: AsRef<str>>(args: &[S]) -> (i32, Value, String) {
    run_env(args, &[])
}

/// [`run`] with extra environment variables.
pub fn run_env<S: AsRef<str>>(args: &[S], envs: &[(&str, &str)]) -> (i32, Value, String) {
    let r = run_check(args, envs);
    let v = r.json();
    (r.code, v, r.stderr)
}

/// Runs `check ARGS --json --as-of AS_OF` and returns the raw outcome.
pub fn run_check<S: AsRef<str>>(args: &[S], envs: &[(&str, &str)]) -> Run {
    let mut all: Vec<String> = vec!["check".into()];
    all.extend(args.iter().map(|s| s.as_ref().to_string()));
    all.push("--json".into());
    all.push("--as-of".into());
    all.push(AS_OF.into());
    run_raw(&all, envs)
}

/// Checks one file with a profile and extra flags.
pub fn check(path: &Path, profile: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args: Vec<String> = vec![
        path.display().to_string(),
        "--profile".into(),
        profile.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

/// `(code, severity, sheet, row, field)` of one diagnostic.
pub type Tuple = (String, String, Option<String>, Option<u64>, Option<String>);

/// Builds a tuple for comparisons.
pub fn t(
    code: &str,
    severity: &str,
    sheet: Option<&str>,
    row: Option<u64>,
    field: Option<&str>,
) -> Tuple {
    (
        code.to_string(),
        severity.to_string(),
        sheet.map(str::to_string),
        row,
        field.map(str::to_string),
    )
}

/// Shorthand for an error/warning at `sheet`, `row`, `field`.
pub fn at(code: &str, severity: &str, sheet: &str, row: u64, field: &str) -> Tuple {
    t(code, severity, Some(sheet), Some(row), Some(field))
}

/// The diagnostics array of a report.
pub fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().expect("diagnostics array")
}

fn tuple(d: &Value) -> Tuple {
    let l = &d["location"];
    (
        d["code"].as_str().unwrap_or_default().to_string(),
        d["severity"].as_str().unwrap_or_default().to_string(),
        l["sheet"].as_str().map(str::to_string),
        l["row"].as_u64(),
        l["field"].as_str().map(str::to_string),
    )
}

/// Every diagnostic as a tuple, infos included.
pub fn all_diags(report: &Value) -> BTreeSet<Tuple> {
    diagnostics(report).iter().map(tuple).collect()
}

/// Errors and warnings as tuples (infos left out).
pub fn findings(report: &Value) -> BTreeSet<Tuple> {
    diagnostics(report)
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(tuple)
        .collect()
}

/// Codes of errors and warnings, sorted and deduplicated.
pub fn codes(report: &Value) -> BTreeSet<String> {
    findings(report).into_iter().map(|t| t.0).collect()
}

/// Diagnostics with a given code.
pub fn with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    diagnostics(report)
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// The single diagnostic with a code (panics, showing the report, otherwise).
pub fn one<'a>(report: &'a Value, code: &str) -> &'a Value {
    let v = with_code(report, code);
    assert_eq!(
        v.len(),
        1,
        "expected one {code}, got {}: {report:#}",
        v.len()
    );
    v[0]
}

/// Errors + warnings in the summary.
pub fn problems(report: &Value) -> u64 {
    report["summary"]["errors"].as_u64().unwrap() + report["summary"]["warnings"].as_u64().unwrap()
}

/// Asserts the report has no errors or warnings, printing them otherwise.
#[track_caller]
pub fn assert_clean(report: &Value) {
    let f = findings(report);
    assert!(
        f.is_empty(),
        "expected no errors or warnings, got {f:#?}\n{report:#}"
    );
}

/// Directory of the public EMA sample files (copied byte for byte from
/// `../shared/samples/ema`, so a clone alone runs every test).
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/upstream/samples/ema")
}

/// Directory of the committed fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

//! The fuzzers' findings (fuzz/regressions/, see fuzz/README.md), each run
//! through the binary next to a clean workbook, with the outcome it must
//! have: the exit code, the file's error or finding naming what is wrong, the
//! clean workbook still checked, no panic, and memory bounded. Each input is
//! a few hundred bytes, so the fixed reader finishes in milliseconds; a
//! watchdog kills a run that is still going after a minute, so that a hang
//! fails the test instead of stalling it.
//!
//! `*_parts` inputs are packed into their workbook by the fuzz targets' own
//! packer (fuzz/fuzz_targets/parts.rs), as the targets do.

#[path = "../fuzz/fuzz_targets/parts.rs"]
mod parts;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A run still going after this long is a hang.
const WATCHDOG: Duration = Duration::from_secs(60);
/// Peak memory any run may use: the binary and two small workbooks take a
/// few MB; the column blow-up took 676 MB.
const MAX_RSS_MB: f64 = 256.0;

/// What a run of `availcheck check --json` gave.
struct Outcome {
    code: i32,
    json: Value,
    stderr: String,
}

fn regression(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(path)
}

fn clean_workbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cph-1.7.3-movies.xlsx")
}

/// The workbook an `xlsx_parts` or `ods_parts` input makes, written to `dir`.
fn packed(dir: &Path, input: &str, name: &str) -> PathBuf {
    let data = std::fs::read(regression(input)).unwrap();
    let bytes = match name.rsplit('.').next() {
        Some("xlsx") => parts::xlsx(&data),
        Some("ods") => parts::ods(&data),
        other => panic!("no packer for {other:?}"),
    };
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs `availcheck check --json` on `input` and the clean workbook, under
/// the watchdog, and checks what every run must: it ended by itself, did
/// not panic, stayed within [`MAX_RSS_MB`], printed one JSON report, and
/// checked the clean workbook.
fn run(input: &Path, extra: &[&str]) -> Outcome {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args(["check", "--json", "--profile", "ema"])
        .args(["--as-of", "2026-11-22T00:00:00Z"])
        .arg(input)
        .arg(clean_workbook())
        .args(extra)
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: rusage is plain old data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert_ne!(done, -1, "wait4 failed");
        if done == pid {
            break;
        }
        if started.elapsed() > WATCHDOG {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            unsafe { libc::waitpid(pid, &mut status, 0) };
            panic!("{} did not finish in {WATCHDOG:?}: a hang", input.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::mem::forget(child);
    let stdout = std::fs::read_to_string(out.path()).unwrap();
    let stderr = std::fs::read_to_string(err.path()).unwrap();
    assert!(
        libc::WIFEXITED(status),
        "killed by a signal; stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let rss_mb = usage.ru_maxrss as f64 / 1024.0;
    assert!(rss_mb < MAX_RSS_MB, "used {rss_mb:.0} MB");
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON report ({e}): {stdout}"));
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{json}");
    let clean = &files[1];
    assert!(clean["error"].is_null(), "{clean}");
    assert!(
        clean["rows"].as_u64() > Some(0),
        "the clean workbook was checked: {clean}"
    );
    Outcome {
        code: libc::WEXITSTATUS(status),
        json,
        stderr,
    }
}

/// Asserts the input was refused as unreadable (exit 2) with an error that
/// names it and says `why`.
fn assert_unreadable(o: &Outcome, input: &Path, why: &str) {
    assert_eq!(o.code, 2, "{}", o.json);
    let err = o.json["files"][0]["error"].as_str().unwrap_or_default();
    assert!(
        err.starts_with(&input.display().to_string()),
        "error does not name the file: {err}"
    );
    assert!(err.contains(why), "`{why}` not in: {err}");
    assert!(
        o.stderr.contains(&input.display().to_string()),
        "{}",
        o.stderr
    );
    assert_eq!(o.json["summary"]["unreadable"], 1);
}

/// A header cell at column LLLLL (5,765,398) asked for a column entry for
/// every column before it (676 MB). The xlsx reader refuses a cell outside
/// Excel's grid (Excel does not open such a file either) and names it; the
/// readers of other containers drop such a header cell with AVC020
/// (`read::sheet`'s unit tests).
fn assert_column_past_xfd(o: &Outcome, input: &Path) {
    assert_unreadable(
        o,
        input,
        "has a cell `LLLLL2` that is no cell of Excel's grid",
    );
}

#[test]
fn huge_column_header_is_a_finding_not_an_allocation() {
    let input = regression("spreadsheet/huge-column-header-oom.xlsx");
    assert_column_past_xfd(&run(&input, &[]), &input);
}

#[test]
fn huge_column_header_parts() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(dir.path(), "xlsx_parts/huge-column-header-oom", "oom.xlsx");
    assert_column_past_xfd(&run(&input, &[]), &input);
}

/// `<dimension ref="vresusH"/>`: calamine's reference parser overflowed on
/// seven column letters (a panic where overflow is checked). The sheet has
/// no cells, so whichever reader reads it, the file is refused.
#[test]
fn dimension_with_seven_column_letters() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(
        dir.path(),
        "xlsx_parts/dimension-column-overflow-panic",
        "dimension.xlsx",
    );
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "Sheet1");
}

/// An xlsb whose sheet's relationship id is missing from
/// xl/_rels/workbook.bin.rels: calamine panicked, and the CLI exited 101
/// without reporting the other file.
#[test]
fn xlsb_sheet_without_relationship() {
    let input = regression("spreadsheet/xlsb-sheet-without-relationship-panic");
    let o = run(&input, &[]);
    assert_unreadable(
        &o,
        &input,
        "relationship id `rId1` is not in xl/_rels/workbook.bin.rels",
    );
}

/// A truncated .xls whose FAT names sectors past the end of the file:
/// calamine's sector reader sliced past its buffer (cfb.rs:320) and
/// panicked. Found by the spreadsheet target in the campaign of issue 18.
#[test]
fn xls_sector_past_the_end() {
    let input = regression("spreadsheet/xls-sector-past-end-panic.xls");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "its compound file (OLE2) is damaged");
}

/// An ods whose content.xml ends inside a `<table:table>`: calamine read
/// past the end forever.
#[test]
fn ods_unclosed_table() {
    let input = regression("spreadsheet/ods-unclosed-table-hang.ods");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "content.xml is not well-formed XML");
}

#[test]
fn ods_unclosed_table_parts() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(dir.path(), "ods_parts/ods-unclosed-table-hang", "hang.ods");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "content.xml is not well-formed XML");
}

/// An .ods whose sheet repeats two rows 524,284 times around values, with
/// cells repeated across all 16,384 columns: calamine expanded the
/// rectangle between the values (4 GB). Found by the ods_parts target.
#[test]
fn ods_repeated_rows_are_refused_before_calamine_expands_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(dir.path(), "ods_parts/repeated-rows-oom", "oom.ods");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "from its first to its last value");
}

/// An .xls whose cell records reach a far row and column: calamine built
/// the rectangle between them and copied it (6.6 GB). Found by the
/// spreadsheet target.
#[test]
fn xls_far_cell_is_refused_before_calamine_builds_the_sheet() {
    let input = regression("spreadsheet/xls-far-cell-oom.xls");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "from its first to its last value");
}

/// An .ods whose header repeats one unknown name over 16,344 columns: the
/// ods_parts target timed out on it (over 10 s) on the shared machine, where
/// each input is read twice and its 32,000 findings validated against the
/// report schema. Alone it takes a quarter of a second: a finding per
/// column (EMA002, AVC007), checked here well within the watchdog (20 s
/// for a debug build on a busy machine).
#[test]
fn ods_header_of_sixteen_thousand_columns_is_checked_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(dir.path(), "ods_parts/wide-header-timeout", "wide.ods");
    let started = Instant::now();
    let o = run(&input, &[]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(o.code, 1, "{}", o.json["summary"]);
    let file = &o.json["files"][0];
    assert!(file["error"].is_null(), "{file}");
    assert!(file["warnings"].as_u64() > Some(30_000), "{file}");
}

/// A sheet skipped as not an avails sheet (`Instructioqs`, its header in
/// row 1) still got the AVC005 note on where its header is, a note about a
/// sheet that is not read (the ods_parts target's location invariant: row
/// 1 of a sheet with no rows read). The note is now said only of checked
/// sheets.
#[test]
fn a_skipped_sheet_gets_no_header_layout_note() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(
        dir.path(),
        "ods_parts/skipped-sheet-header-note",
        "skipped.ods",
    );
    let o = run(&input, &[]);
    let on = |code: &str| -> Vec<String> {
        o.json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code && d["location"]["file"] == input.display().to_string())
            .map(|d| {
                d["location"]["sheet"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(on("AVC003"), ["Instructioqs"], "{}", o.json);
    assert_eq!(on("AVC005"), ["Movies"], "{}", o.json);
}

/// An .xls whose DIMENSIONS record declares trillions of cells: calamine
/// reserved room for them and the allocation aborted the process (no panic
/// to catch). Found by the spreadsheet target; the precheck counts the
/// declared rectangle as calamine does.
#[test]
fn xls_declared_dimensions_are_refused_before_calamine_reserves_them() {
    let input = regression("spreadsheet/xls-declared-dimensions-abort.xls");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "from its first to its last value");
}

/// An .xlsb whose cell names a shared string past the end of the table:
/// calamine indexed past it (xlsb/cells_reader.rs:151) and panicked. Found
/// by the spreadsheet target; calamine's reading is now guarded.
#[test]
fn xlsb_shared_string_index_past_the_table() {
    let input = regression("spreadsheet/xlsb-shared-string-index-panic.xlsb");
    let o = run(&input, &[]);
    assert_unreadable(&o, &input, "its records are damaged");
}

/// A CSV whose records end with `\r\n` (and hold lone `\r`s): each
/// finding's record started on a line before its row (the csv crate ends a
/// record at the `\r` and counts lines at `\n` only). Found by the csv and
/// spreadsheet targets' location invariant; `read::csv`'s unit test holds
/// the counting.
#[test]
fn csv_record_lines_are_never_before_their_rows() {
    let input = regression("csv/crlf-record-line-before-row.csv");
    let data = std::fs::read(&input).unwrap();
    let breaks = data.iter().filter(|b| **b == b'\n').count()
        + data
            .windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count();
    let o = run(
        &input,
        &[
            "--profile",
            "cph-svod",
            "--partner",
            "acme",
            "--territories",
            "US,GB",
        ],
    );
    let mut rows = 0;
    for d in o.json["diagnostics"].as_array().unwrap() {
        let l = &d["location"];
        if !l["file"].as_str().unwrap().ends_with(".csv") {
            continue;
        }
        if let (Some(row), Some(line)) = (l["row"].as_u64(), l["line"].as_u64()) {
            rows += 1;
            assert!(line >= row && line as usize <= breaks + 1, "{d}");
        }
    }
    assert!(rows > 0, "{}", o.json);
}

/// An .ods row whose value is repeated over 16,372 columns right of the
/// header: one EMA045 per column made 16,372 warnings (98,000 lines of
/// human output) and took the ods_parts target 2.4 s an input (over 10 s
/// on the busy machine). Neighbouring columns with the same value are now
/// one finding naming the range.
#[test]
fn ods_value_repeated_across_columns_is_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let input = packed(
        dir.path(),
        "ods_parts/value-repeated-across-columns",
        "repeated.ods",
    );
    let o = run(&input, &[]);
    let outside: Vec<&str> = o.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "EMA045")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert!(
        outside[0].starts_with("cells M4:XFD4 (16372 cells) hold `md:alid:Dates`"),
        "{}",
        outside[0]
    );
}

/// An .xls whose header has a cell at column CJYX (past XFD): AVC020 named
/// it in its location's `column` and `cell`, which the report schema holds
/// to one to three letters (the `spreadsheet` target's schema invariant).
/// The location now names the sheet, row and field; the message, the cell.
#[test]
fn xls_header_cell_past_xfd_keeps_the_report_schema() {
    let input = regression("spreadsheet/xls-header-past-xfd-schema.xls");
    let o = run(&input, &[]);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&o.json)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let diagnostics = o.json["diagnostics"].as_array().unwrap();
    let past = diagnostics
        .iter()
        .find(|d| d["code"] == "AVC020")
        .unwrap_or_else(|| panic!("no AVC020: {}", o.json));
    assert!(
        past["message"]
            .as_str()
            .unwrap()
            .contains("header cell CJYX2 is past column XFD"),
        "{past}"
    );
    assert!(past["location"]["cell"].is_null(), "{past}");
    assert_eq!(past["location"]["row"], 2, "{past}");
    assert_eq!(past["location"]["field"], "Licensee", "{past}");
}

//! `availcheck diff PREVIOUS CURRENT` end to end: golden human and JSON
//! outputs (tests/golden/diff.*; `UPDATE_GOLDEN=1 cargo test --test diff`
//! rewrites them), the JSON validated against schemas/diff.schema.json,
//! and the exit codes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn alid(n: u32) -> (String, String) {
    (
        format!("md:alid:org:acme:movie-{n:04}"),
        format!("md:cid:org:acme:movie-{n:04}"),
    )
}

/// A 1.7.3 Movies row of title `n` in `territory`: CPH unless `licensed`.
fn row(n: u32, territory: &str, licensed: bool, start: &str, end: &str) -> Rec {
    let (alid, cid) = alid(n);
    movies_1_7_3().with(&[
        ("ALID", &alid),
        ("ContentID", &cid),
        ("Territory", territory),
        ("GroupIdentity", if licensed { "" } else { "CPH" }),
        ("Start", start),
        ("End", end),
    ])
}

/// Writes the two deliveries of the worked example into `dir`.
fn example(dir: &Path) {
    let previous = [
        // A Licensed SVOD window live in US, which the CPH window replaces.
        row(1, "US", true, "2025-01-01T00:00:00Z", "Open"),
        // A future CPH window in GB, extended.
        row(
            1,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
        // A live CPH window, deleted.
        row(
            2,
            "US",
            false,
            "2026-01-01T00:00:00Z",
            "2031-12-31T23:59:59Z",
        ),
        // A title the new delivery does not mention: untouched.
        row(
            3,
            "US",
            false,
            "2028-01-01T00:00:00Z",
            "2028-12-31T23:59:59Z",
        ),
    ];
    let current = [
        row(
            1,
            "US",
            false,
            "2030-01-01T00:00:00Z",
            "2031-12-31T23:59:59Z",
        ),
        row(
            1,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2028-12-31T23:59:59Z",
        ),
        row(
            2,
            "US",
            false,
            "2026-01-01T00:00:00Z",
            "2031-12-31T23:59:59Z",
        )
        .with(&[("EntryType", "Full Delete")]),
        row(
            4,
            "DE",
            false,
            "2027-03-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
    ];
    workbook(dir, "previous.xlsx", "Movies", &previous);
    workbook(dir, "current.xlsx", "Movies", &current);
}

/// Runs `availcheck diff ARGS --as-of AS_OF` in `dir`.
fn diff(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .arg("diff")
        .args(args)
        .args(["--as-of", AS_OF])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run availcheck");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file, or rewrites it under UPDATE_GOLDEN.
fn assert_golden(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(
        actual,
        expected,
        "{} differs (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

#[test]
fn the_worked_example_human() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    let run = diff(dir.path(), &["previous.xlsx", "current.xlsx"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_golden("diff.txt", &run.stdout);
}

#[test]
fn the_worked_example_json_follows_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    let run = diff(
        dir.path(),
        &["previous.xlsx", "current.xlsx", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_golden("diff.json", &run.stdout);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let schema = |name: &str| -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    // Windows' locations are the check report's (report.schema.json).
    let report = schema("report.schema.json");
    let report_id = report["$id"].as_str().unwrap().to_string();
    let validator = jsonschema::options()
        .with_resource(
            report_id,
            jsonschema::Resource::from_contents(report).expect("a 2020-12 schema"),
        )
        .build(&schema("diff.schema.json"))
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The facts the golden holds, stated once more in words.
    let t = &doc["totals"];
    assert_eq!(
        (
            t["added"].as_u64(),
            t["changed"].as_u64(),
            t["removed"].as_u64()
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(t["removed_live"], 2);
    assert_eq!(t["deleted_scopes"], 1);
    assert_eq!(t["previous_windows"], 4);
    let us = doc["territories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["territory"] == "US")
        .unwrap();
    assert_eq!(
        (us["added"].as_u64(), us["removed"].as_u64()),
        (Some(1), Some(2))
    );
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path());
    // Accepted by a person: exit 0, same output.
    let run = diff(
        dir.path(),
        &["previous.xlsx", "current.xlsx", "--fail-on", "never"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("Review before sending: removes 2 windows live at Amazon.")
    );

    // The same delivery twice changes nothing.
    let run = diff(dir.path(), &["previous.xlsx", "previous.xlsx"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("No window live at Amazon is removed or ended."),
        "{}",
        run.stdout
    );

    // Only the future GB window extended: 25% of 4 windows change; a
    // --max-change below that is a concern.
    let prev = [
        row(
            1,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
        row(
            2,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
        row(
            3,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
        row(
            4,
            "GB",
            false,
            "2027-01-01T00:00:00Z",
            "2027-12-31T23:59:59Z",
        ),
    ];
    let mut cur = prev.to_vec();
    cur[0] = row(
        1,
        "GB",
        false,
        "2027-01-01T00:00:00Z",
        "2028-12-31T23:59:59Z",
    );
    workbook(dir.path(), "a.xlsx", "Movies", &prev);
    workbook(dir.path(), "b.xlsx", "Movies", &cur);
    let run = diff(dir.path(), &["a.xlsx", "b.xlsx"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("25.0% of the previous delivery's 4 windows"),
        "{}",
        run.stdout
    );
    let run = diff(dir.path(), &["a.xlsx", "b.xlsx", "--max-change", "20"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(
            "changes 25.0% of the previous delivery's 4 windows, more than --max-change 20%"
        ),
        "{}",
        run.stdout
    );
    let run = diff(dir.path(), &["a.xlsx", "b.xlsx", "--max-change=-5"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--max-change"), "{}", run.stderr);

    // A live window moved to start later: Amazon stops showing it now.
    let live = [row(
        1,
        "US",
        false,
        "2026-01-01T00:00:00Z",
        "2031-12-31T23:59:59Z",
    )];
    let later = [row(
        1,
        "US",
        false,
        "2027-01-01T00:00:00Z",
        "2031-12-31T23:59:59Z",
    )];
    workbook(dir.path(), "live.xlsx", "Movies", &live);
    workbook(dir.path(), "later.xlsx", "Movies", &later);
    let run = diff(dir.path(), &["live.xlsx", "later.xlsx"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout
            .contains("CPH HD, Start moved: Amazon stops showing it now"),
        "{}",
        run.stdout
    );

    // An unreadable file: exit 2 naming it, nothing on stdout.
    std::fs::write(dir.path().join("bad.xlsx"), "not a workbook").unwrap();
    let run = diff(dir.path(), &["bad.xlsx", "current.xlsx"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("bad.xlsx"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    // -o may not overwrite either delivery.
    let run = diff(
        dir.path(),
        &["previous.xlsx", "current.xlsx", "-o", "current.xlsx"],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        std::fs::read(dir.path().join("current.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
}

/// README's worked example is what the tool prints on the bundled deliveries.
#[test]
fn the_readme_example_is_what_diff_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ availcheck diff 2026-10.xlsx 2026-11.xlsx --as-of 2026-11-22\n";
    let start = readme.find(command).expect("README shows the diff command") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = Command::new(bin())
        .args([
            "diff",
            "2026-10.xlsx",
            "2026-11.xlsx",
            "--as-of",
            "2026-11-22",
        ])
        .current_dir(root.join("fixtures/deliveries"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), shown);

    // And `check --previous` of the same pair passes, exempting the GB window.
    let out = Command::new(bin())
        .args([
            "check",
            "2026-11.xlsx",
            "--previous",
            "2026-10.xlsx",
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--as-of",
            "2026-11-22",
            "--json",
        ])
        .current_dir(root.join("fixtures/deliveries"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["exempted"], 1);
    assert_eq!(report["summary"]["licensed_compared"], 1);
}

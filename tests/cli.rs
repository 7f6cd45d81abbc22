//! The command line as a whole: the JSON report against
//! schemas/report.schema.json, `rules`, `explain`, exit codes, directory
//! arguments, and the committed fixtures.
//!
//! Fixtures: `fixtures/cph-1.7.3-movies.xlsx` (clean) and
//! `fixtures/cph-1.7.3-problems.xlsx` (deliberate problems) are written by
//! the ignored test `generate_fixtures` below. Regenerate them with
//!
//! ```text
//! cargo test --test cli -- --ignored generate_fixtures
//! ```
//!
//! and commit the two files (their bytes change on every run because the
//! workbook records its creation time; their content does not).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Value, json};

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema JSON")
}

#[track_caller]
fn assert_valid(report: &Value) {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match the schema: {errors:#?}\n{report:#}"
    );
}

// ------------------------------------------------------------ JSON schema

#[test]
fn json_reports_match_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let clean = workbook(dir.path(), "clean.xlsx", "Movies", &[movies_1_7_3()]);
    let problems = fixtures_dir().join("cph-1.7.3-problems.xlsx");
    let csv = dir.path().join("licensed.csv");
    std::fs::write(
        &csv,
        "title_id,territory,start,end\nmd:alid:org:acme:movie-0001,US,2027-01-01,Open\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.xlsx");
    let xml = samples_dir().join("mddf_Avails_withErrors.xml");
    let tv16 = samples_dir().join("v1.6e2_EMA_Avails_Movies-TV_template__pivotshare.xlsx");
    let s = |p: &Path| p.display().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec![s(&clean), "--profile".into(), "ema".into()],
        vec![
            s(&clean),
            "--territories".into(),
            "US,GB".into(),
            "--partner".into(),
            "acme".into(),
        ],
        vec![
            s(&problems),
            "--licensed".into(),
            s(&csv),
            "--territories".into(),
            "US,GB".into(),
        ],
        vec![s(&missing), s(&clean)],
        vec![s(&xml), s(&tv16), "--profile".into(), "cph-svod".into()],
        vec![s(&tv16), "--max-diagnostics".into(), "3".into()],
        // XSD findings have their own code prefix.
        vec![s(&fixtures_dir().join("xml/structure_errors_v2.3.xml"))],
    ];
    let mut saw_related = false;
    let mut saw_unreadable = false;
    for args in &runs {
        let r = run_check(args, &[]);
        assert!([0, 1, 2].contains(&r.code), "{args:?}: {r:?}");
        let report = r.json();
        assert_valid(&report);
        saw_related |= diagnostics(&report)
            .iter()
            .any(|d| !d["related"].as_array().unwrap().is_empty());
        saw_unreadable |= report["summary"]["unreadable"] != 0;
    }
    assert!(
        saw_related && saw_unreadable,
        "the runs should cover related locations and unreadable files"
    );
}

#[test]
fn schema_rejects_broken_reports() {
    let dir = tempfile::tempdir().unwrap();
    let clean = workbook(dir.path(), "clean.xlsx", "Movies", &[movies_1_7_3()]);
    let (_, report, _) = check(&clean, "ema", &[]);
    let schema = schema();
    let v = jsonschema::validator_for(&schema).unwrap();
    assert!(v.is_valid(&report));
    // Additions are allowed at the top level ...
    let mut added = report.clone();
    added["generator"] = json!("availcheck");
    assert!(v.is_valid(&added));
    // ... but required keys and enums are enforced.
    let mut no_summary = report.clone();
    no_summary.as_object_mut().unwrap().remove("summary");
    assert!(!v.is_valid(&no_summary));
    let mut bad_severity = report.clone();
    bad_severity["diagnostics"][0]["severity"] = json!("fatal");
    assert!(!v.is_valid(&bad_severity));
    let mut bad_version = report.clone();
    bad_version["schema_version"] = json!(2);
    assert!(!v.is_valid(&bad_version));
    let mut no_line = report.clone();
    no_line["diagnostics"][0]["location"]
        .as_object_mut()
        .unwrap()
        .remove("line");
    assert!(!v.is_valid(&no_line));
}

// ------------------------------------------------------------ rules / explain

const ALL_CODES: [&str; 81] = [
    "AVC001", "AVC002", "AVC003", "AVC004", "AVC005", "AVC006", "AVC007", "AVC008", "AVC009",
    "AVC010", "AVC020", "CPH001", "CPH002", "CPH003", "CPH004", "CPH005", "CPH006", "CPH007",
    "CPH008", "CPH009", "CPH010", "CPH011", "CPH012", "CPH013", "CPH014", "CPH015", "CPH016",
    "CPH017", "CPH018", "CPH019", "CPH020", "EMA001", "EMA002", "EMA003", "EMA004", "EMA005",
    "EMA006", "EMA007", "EMA008", "EMA009", "EMA010", "EMA011", "EMA012", "EMA013", "EMA014",
    "EMA015", "EMA016", "EMA017", "EMA018", "EMA019", "EMA020", "EMA021", "EMA022", "EMA023",
    "EMA024", "EMA025", "EMA026", "EMA027", "EMA028", "EMA029", "EMA030", "EMA031", "EMA032",
    "EMA040", "EMA041", "EMA042", "EMA043", "EMA044", "EMA045", "XSD001", "XSD002", "XSD003",
    "XSD004", "XSD005", "XSD006", "XSD007", "XSD008", "XSD009", "XSD010", "XSD011", "XSD012",
];

/// Each code's severity as `availcheck rules` lists it.
fn listed_severities() -> std::collections::HashMap<String, String> {
    let r = run_raw(&["rules"], &[]);
    r.stdout
        .lines()
        .map(|l| {
            let mut w = l.split_whitespace();
            (w.next().unwrap().to_string(), w.next().unwrap().to_string())
        })
        .collect()
}

/// Every finding fires with the one severity `availcheck rules` lists for
/// its code (so SARIF rule levels, JUnit and the summary tell the truth).
#[test]
fn findings_fire_with_their_codes_severity() {
    let listed = listed_severities();
    let dir = tempfile::tempdir().unwrap();
    let licensed = dir.path().join("licensed.csv");
    std::fs::write(
        &licensed,
        // 2029-12-30 ends at 23:59:59 New York time, a gap before the
        // fixtures' CPH Start 2030-01-01T00:00:00Z (CPH015).
        "title_id,territory,start,end\nmd:alid:org:acme:movie-0001,US,2027-01-01,2029-12-30\n,US,2027-01-01,Open\nmd:alid:x,US,2027-01-01,30/06/2030\n",
    )
    .unwrap();
    let tv = workbook(
        dir.path(),
        "tv.xlsx",
        "TV",
        &[tv_1_7_3().without("EpisodeNumber").without("AssetLanguage")],
    );
    let mut inputs: Vec<PathBuf> = vec![
        fixture("cph-1.7.3-problems.xlsx"),
        fixture("cph-1.7.3-movies.xlsx"),
        tv,
    ];
    for dir in ["ema", "mddf-suite/xlsx", "mddf-suite/xml"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(samples_dir().join("..").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx" || x == "xml"))
            .collect();
        found.sort();
        inputs.extend(found);
    }
    let mut seen = std::collections::BTreeSet::new();
    for input in &inputs {
        for extra in [
            vec!["--profile", "ema"],
            vec!["--territories", "US", "--min-lead", "9999d"],
            vec![],
        ] {
            let mut args = vec![input.display().to_string()];
            args.extend(extra.iter().map(|s| s.to_string()));
            args.extend(["--licensed".to_string(), licensed.display().to_string()]);
            let (_, report, _) = run(&args);
            for d in diagnostics(&report) {
                let code = d["code"].as_str().unwrap();
                assert_eq!(
                    listed.get(code).map(String::as_str),
                    d["severity"].as_str(),
                    "{code} fired as {} on {}",
                    d["severity"],
                    input.display()
                );
                seen.insert(code.to_string());
            }
        }
    }
    // The codes that split a rule's findings by severity all fired here.
    for code in ["EMA013", "CPH013", "CPH014", "CPH015", "CPH016", "CPH017"] {
        assert!(seen.contains(code), "{code} never fired: {seen:?}");
    }
}

#[test]
fn rules_lists_every_code() {
    let r = run_raw(&["rules"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let listed: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, ALL_CODES, "{}", r.stdout);
    for line in r.stdout.lines() {
        let sev = line.split_whitespace().nth(1).unwrap();
        assert!(["error", "warning", "info"].contains(&sev), "{line}");
    }
}

#[test]
fn explain_prints_docs() {
    let r = run_raw(&["explain", "CPH005"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("CPH005 "), "{}", r.stdout);
    assert!(r.stdout.contains("## What it does"));
    assert!(r.stdout.contains("one minute"), "{}", r.stdout);
    // Case-insensitive code, or the rule's name.
    let r = run_raw(&["explain", "cph005"], &[]);
    assert_eq!(r.code, 0);
    let r = run_raw(&["explain", "partner-alias"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("CPH007"), "{}", r.stdout);
    for code in ALL_CODES {
        let r = run_raw(&["explain", code], &[]);
        assert_eq!(r.code, 0, "{code}");
        assert!(r.stdout.contains("## What it does"), "{code}");
    }
}

#[test]
fn explain_unknown_code_is_exit_2() {
    let r = run_raw(&["explain", "NOPE"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NOPE"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

// ------------------------------------------------------------ exit codes

#[test]
fn missing_file_is_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-avails.xlsx");
    let r = run_check(&[missing.display().to_string()], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains(&missing.display().to_string()),
        "stderr should name the path: {}",
        r.stderr
    );
    let report = r.json();
    assert_eq!(report["summary"]["unreadable"], 1);
    assert!(
        report["files"][0]["error"]
            .as_str()
            .unwrap()
            .contains("no such file")
    );
    // Human output too.
    let r = run_raw(&["check", &missing.display().to_string()], &[]);
    assert_eq!(r.code, 2);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("no-such-avails.xlsx"),
        "{r:?}"
    );
}

#[test]
fn missing_licensed_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let clean = workbook(dir.path(), "clean.xlsx", "Movies", &[movies_1_7_3()]);
    let missing = dir.path().join("no-licensed.csv");
    let r = run_check(
        &[
            clean.display().to_string(),
            "--licensed".into(),
            missing.display().to_string(),
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("no-licensed.csv"), "{}", r.stderr);
    let report = r.json();
    assert_valid(&report);
    assert_eq!(report["files"][1]["role"], "licensed");
}

#[test]
fn usage_errors_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let clean = workbook(dir.path(), "clean.xlsx", "Movies", &[movies_1_7_3()]);
    let p = clean.display().to_string();
    for bad in [
        vec!["check", p.as_str(), "--territories", "UK"],
        vec!["check", p.as_str(), "--as-of", "yesterday"],
        vec!["check", p.as_str(), "--min-lead", "two weeks"],
        vec!["check", p.as_str(), "--profile", "netflix"],
        vec!["check", p.as_str(), "--template-version", "1.5"],
        vec!["check"],
    ] {
        let r = run_raw(&bad, &[]);
        assert_eq!(r.code, 2, "{bad:?}: {r:?}");
        assert!(!r.stderr.is_empty(), "{bad:?}");
    }
}

#[test]
fn not_an_avails_file_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("avails.xlsx");
    std::fs::write(&pdf, b"%PDF-1.4 not really").unwrap();
    let r = run_check(&[pdf.display().to_string()], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("PDF"), "{}", r.stderr);
    assert_valid(&r.json());
}

#[test]
fn directory_argument_recurses() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    workbook(dir.path(), "top.xlsx", "Movies", &[movies_1_7_3()]);
    workbook(
        &nested,
        "deep.xlsx",
        "TV",
        &[tv_1_7_3().set("Territory", "UK")],
    );
    std::fs::write(dir.path().join("notes.txt"), "not avails").unwrap();
    // Excel lock files are skipped.
    std::fs::write(nested.join("~$deep.xlsx"), "lock").unwrap();
    let (code, report, _) = run(&[
        dir.path().display().to_string(),
        "--profile".into(),
        "ema".into(),
    ]);
    assert_eq!(code, 1);
    let paths: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    // Sorted, so runs are reproducible: a/b/deep.xlsx before top.xlsx.
    assert!(
        paths[0].ends_with("deep.xlsx") && paths[1].ends_with("top.xlsx"),
        "{paths:?}"
    );
    assert_eq!(
        findings(&report),
        [at("EMA005", "error", "TV", 4, "Territory")]
            .into_iter()
            .collect()
    );
}

#[test]
fn fail_on_levels() {
    let dir = tempfile::tempdir().unwrap();
    // Warnings only: an unknown column (EMA002).
    let mut sheet = SheetSpec::from_recs("Movies", &[movies_1_7_3()]);
    sheet.fields.push("Teritory".into());
    sheet.rows[0].push("US".into());
    let warn = dir.path().join("warn.xlsx");
    Book::one(sheet).write(&warn);
    let errs = workbook(
        dir.path(),
        "err.xlsx",
        "Movies",
        &[movies_1_7_3().set("Territory", "UK")],
    );
    let w = warn.display().to_string();
    let e = errs.display().to_string();
    let code = |args: &[&str]| run(args).0;
    assert_eq!(code(&[&w, "--profile", "ema"]), 0);
    assert_eq!(code(&[&w, "--profile", "ema", "--fail-on", "error"]), 0);
    assert_eq!(code(&[&w, "--profile", "ema", "--fail-on", "warning"]), 1);
    assert_eq!(code(&[&w, "--profile", "ema", "--fail-on", "never"]), 0);
    assert_eq!(code(&[&e, "--profile", "ema"]), 1);
    assert_eq!(code(&[&e, "--profile", "ema", "--fail-on", "never"]), 0);
    let (_, report, _) = run(&[&w, "--profile", "ema"]);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 1);
}

#[test]
fn default_profile_is_cph_svod() {
    let dir = tempfile::tempdir().unwrap();
    let clean = workbook(dir.path(), "clean.xlsx", "Movies", &[movies_1_7_3()]);
    let (code, report, _) = run(&[clean.display().to_string()]);
    assert_eq!(report["profile"], "cph-svod");
    // No --territories: the one CPH013 warning.
    assert_eq!(code, 0);
    assert_eq!(codes(&report), ["CPH013".to_string()].into_iter().collect());
}

// ------------------------------------------------------------ fixtures

fn fixture(name: &str) -> PathBuf {
    fixtures_dir().join(name)
}

/// The clean fixture's rows: CPH rows in US and GB starting 2030-01-01, and
/// a Licensed SVOD row of the first title ending one minute before.
fn clean_fixture_rows() -> Vec<Rec> {
    let second = [
        ("ALID", "md:alid:org:acme:movie-0002"),
        ("ContentID", "md:cid:org:acme:movie-0002"),
        ("TitleInternalAlias", "Second Example, The"),
        ("TitleDisplayUnlimited", "The Second Example"),
    ];
    vec![
        movies_1_7_3(),
        movies_1_7_3().set("Territory", "GB"),
        movies_1_7_3()
            .with(&second)
            .with(&[("Territory", "US, GB"), ("FormatProfile", "UHD")]),
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("Start", "2027-01-01T00:00:00Z"),
            ("End", "2029-12-31T23:59:00Z"),
        ]),
    ]
}

/// Deliberate problems, one per row.
fn problem_fixture_rows() -> Vec<Rec> {
    let id = |n: u32| format!("md:alid:org:acme:movie-{n:04}");
    vec![
        // 4: CPH row overlapping the open Licensed SVOD row 5 (CPH005).
        movies_1_7_3(),
        // 5: Licensed SVOD window of the same title with End `Open`.
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("Start", "2027-01-01T00:00:00Z"),
            ("End", "Open"),
        ]),
        // 6: worldwide CPH row (CPH003).
        movies_1_7_3().with(&[("Territory", "ZZ"), ("ALID", &id(6))]),
        // 7: Start is a condition (CPH004).
        movies_1_7_3().with(&[("Start", "Immediate"), ("ALID", &id(7))]),
        // 8: 4K is not a 1.7.3 FormatProfile (EMA004).
        movies_1_7_3().with(&[("FormatProfile", "4K"), ("ALID", &id(8))]),
        // 9: the marker in LicenseRightsDescription instead of GroupIdentity (CPH001).
        movies_1_7_3().with(&[
            ("GroupIdentity", ""),
            ("LicenseRightsDescription", "CPH"),
            ("ALID", &id(9)),
        ]),
        // 10: DisplayName is not the alias (CPH007).
        movies_1_7_3().with(&[("DisplayName", "Acme Films"), ("ALID", &id(10))]),
    ]
}

/// Writes the fixtures. Run with `cargo test --test cli -- --ignored generate_fixtures`.
#[test]
#[ignore = "writes fixtures/; run explicitly to regenerate them"]
fn generate_fixtures() {
    std::fs::create_dir_all(fixtures_dir()).unwrap();
    Book::one(SheetSpec::from_recs("Movies", &clean_fixture_rows()))
        .write(&fixture("cph-1.7.3-movies.xlsx"));
    Book::one(SheetSpec::from_recs("Movies", &problem_fixture_rows()))
        .write(&fixture("cph-1.7.3-problems.xlsx"));
}

#[test]
fn clean_fixture_passes_with_the_agreement() {
    let (code, report, _) = check(
        &fixture("cph-1.7.3-movies.xlsx"),
        "cph-svod",
        &["--territories", "US,GB", "--partner", "acme"],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    assert_eq!(report["summary"]["rows"], 4);
    assert_eq!(report["files"][0]["template_version"], "1.7.3");
    // --fail-on warning passes as well.
    let (code, _, _) = check(
        &fixture("cph-1.7.3-movies.xlsx"),
        "cph-svod",
        &[
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(code, 0);
}

#[test]
fn problem_fixture_gives_its_deliberate_problems() {
    let (code, report, _) = check(
        &fixture("cph-1.7.3-problems.xlsx"),
        "cph-svod",
        &["--territories", "US,GB", "--partner", "acme"],
    );
    assert_eq!(code, 1);
    let want = [
        at("CPH005", "error", "Movies", 4, "Start"),
        at("CPH003", "error", "Movies", 6, "Territory"),
        at("CPH004", "error", "Movies", 7, "Start"),
        at("EMA004", "error", "Movies", 8, "FormatProfile"),
        at("CPH001", "error", "Movies", 9, "LicenseRightsDescription"),
        at("CPH007", "error", "Movies", 10, "DisplayName"),
    ];
    assert_eq!(findings(&report), want.into_iter().collect(), "{report:#}");
}

#[test]
fn fixtures_are_what_the_generator_writes() {
    // The committed workbooks hold exactly the generator's rows (compared
    // through availcheck's own reading: row count and a clean/problem run above).
    let dir = tempfile::tempdir().unwrap();
    let fresh = workbook(dir.path(), "fresh.xlsx", "Movies", &clean_fixture_rows());
    let flags = ["--territories", "US,GB", "--partner", "acme"];
    let (_, a, _) = check(&fresh, "cph-svod", &flags);
    let (_, b, _) = check(&fixture("cph-1.7.3-movies.xlsx"), "cph-svod", &flags);
    let strip = |v: &Value| {
        let mut d = v["diagnostics"].clone();
        for x in d.as_array_mut().unwrap() {
            x["location"]["file"] = json!("");
        }
        d
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(a["summary"], b["summary"]);
}

#[test]
fn agreement_territories_are_case_insensitive_and_checked() {
    let (code, report, _) = check(
        &fixture("cph-1.7.3-movies.xlsx"),
        "cph-svod",
        &["--territories", "us, gb", "--partner", "acme"],
    );
    assert_eq!(code, 0, "{report:#}");
    let r = run_check(
        &[
            fixture("cph-1.7.3-movies.xlsx")
                .display()
                .to_string()
                .as_str(),
            "--territories",
            "UK",
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`UK` is not an ISO 3166-1") && r.stderr.contains("GB"),
        "{}",
        r.stderr
    );
}

#[test]
fn negative_time_zone_offsets_are_values_not_flags() {
    let r = run_check(
        &[
            fixture("cph-1.7.3-movies.xlsx")
                .display()
                .to_string()
                .as_str(),
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--time-zone",
            "-05:00",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

// ------------------------------------------------------------ output safety

/// `-o` naming an input (the same path, another spelling, a hard link, a
/// file inside a checked folder, a `--licensed` file) is exit 2 naming both,
/// and the input keeps its bytes.
#[test]
fn output_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook(dir.path(), "acme.xlsx", "Movies", &[movies_1_7_3()]);
    let licensed = dir.path().join("licensed.csv");
    std::fs::write(&licensed, "title_id,territory,start,end\n").unwrap();
    let link = dir.path().join("same-file.xlsx");
    std::fs::hard_link(&book, &link).unwrap();
    let before = std::fs::read(&book).unwrap();
    let licensed_before = std::fs::read(&licensed).unwrap();
    let s = |p: &Path| p.display().to_string();
    let dotted = dir.path().join(".").join("acme.xlsx");
    let folder = dir.path().join("sub");
    std::fs::create_dir(&folder).unwrap();
    let inner = workbook(&folder, "inner.xlsx", "Movies", &[movies_1_7_3()]);
    let inner_before = std::fs::read(&inner).unwrap();
    let cases: Vec<(Vec<String>, &Path)> = vec![
        (vec![s(&book), "-o".into(), s(&book)], &book),
        (vec![s(&book), "-o".into(), s(&dotted)], &book),
        (vec![s(&book), "-o".into(), s(&link)], &book),
        (vec![s(&folder), "-o".into(), s(&inner)], &inner),
        (
            vec![
                s(&book),
                "--licensed".into(),
                s(&licensed),
                "-o".into(),
                s(&licensed),
            ],
            &licensed,
        ),
    ];
    for (args, input) in cases {
        let r = run_check(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("refusing to write the report"),
            "{}",
            r.stderr
        );
        let out = args.last().unwrap();
        assert!(
            r.stderr.contains(out.as_str()),
            "names the output: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&input.display().to_string()),
            "names the input: {}",
            r.stderr
        );
    }
    assert_eq!(std::fs::read(&book).unwrap(), before);
    assert_eq!(std::fs::read(&licensed).unwrap(), licensed_before);
    assert_eq!(std::fs::read(&inner).unwrap(), inner_before);
    // Another path is written as before.
    let report = dir.path().join("report.json");
    let r = run_check(&[s(&book), "-o".into(), s(&report)], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(report.exists());
}

/// A marker field availcheck.toml misspells is exit 2 naming the file,
/// line and column, with a did-you-mean (before: it loaded without a word
/// and the clean fixture got three CPH001 errors).
#[test]
fn config_marker_fields_are_checked_against_the_dictionary() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("availcheck.toml");
    std::fs::write(
        &config,
        "territories = [\"US\", \"GB\"]\n[markers.\"1.7.3\"]\nfields = [\"GroupIdentiy\"]\nvalue = \"CPH\"\n",
    )
    .unwrap();
    let r = run_check(
        &[
            fixture("cph-1.7.3-movies.xlsx").display().to_string(),
            "--config".into(),
            config.display().to_string(),
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    let expected = format!(
        "error: {}:3:11: [markers.\"1.7.3\"]: `GroupIdentiy` is not a field of EMA 1.7.3; did you mean `GroupIdentity`?",
        config.display()
    );
    assert_eq!(r.stderr.trim(), expected);
    assert!(r.stdout.is_empty(), "no report: {}", r.stdout);
}

/// `--annotate` and `-o` refuse every file the run reads — a checked file
/// under another name, a file of a checked folder, a `--licensed` and a
/// `--previous` file — naming both, and leave it as it was.
#[test]
fn no_output_option_overwrites_a_file_the_run_reads() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.display().to_string();
    let book = workbook(dir.path(), "acme.xlsx", "Movies", &[movies_1_7_3()]);
    let link = dir.path().join("same-file.xlsx");
    std::fs::hard_link(&book, &link).unwrap();
    let licensed = dir.path().join("licensed.csv");
    std::fs::write(&licensed, "title_id,territory,start,end\n").unwrap();
    let previous = workbook(dir.path(), "previous.xlsx", "Movies", &[movies_1_7_3()]);
    let folder = dir.path().join("sub");
    std::fs::create_dir(&folder).unwrap();
    let inner = workbook(&folder, "inner.xlsx", "Movies", &[movies_1_7_3()]);
    let before: Vec<Vec<u8>> = [&book, &licensed, &previous, &inner]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    for (option, what) in [("-o", "the report"), ("--annotate", "the annotated copy")] {
        let cases: Vec<(Vec<String>, &Path, &Path)> = vec![
            (vec![s(&book)], &link, &book),
            (vec![s(&folder)], &inner, &inner),
            (
                vec![s(&book), "--licensed".into(), s(&licensed)],
                &licensed,
                &licensed,
            ),
            (
                vec![s(&book), "--previous".into(), s(&previous)],
                &previous,
                &previous,
            ),
        ];
        for (mut args, output, input) in cases {
            args.extend([option.to_string(), s(output)]);
            let r = run_check(&args, &[]);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains(&format!("refusing to write {what}"))
                    && r.stderr.contains(&s(output))
                    && r.stderr.contains(&s(input)),
                "{args:?}: {}",
                r.stderr
            );
        }
    }
    let after: Vec<Vec<u8>> = [&book, &licensed, &previous, &inner]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(before == after, "an input was written");
}

// ------------------------------------------------------------ small things

/// `availcheck acme.xlsx` is taken for a subcommand: the error says how to
/// check it, with the rest of the command line.
#[test]
fn a_file_in_place_of_a_command_gets_the_check_command_line() {
    let r = run_raw(&["acme avails.xlsx", "--territories", "US,GB"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("availcheck check 'acme avails.xlsx' --territories US,GB"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // Anything else is clap's own error.
    let r = run_raw(&["frobnicate"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unrecognized subcommand"), "{}", r.stderr);
}

/// `check -` says that standard input is not read, instead of "no such file".
#[test]
fn standard_input_is_refused_with_a_reason() {
    let r = run_raw(&["check", "-"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: `-` (standard input) cannot be checked")
            && r.stderr.contains("./-"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("no such file"), "{}", r.stderr);
}

/// An output into a missing folder names the folder, before any check.
#[test]
fn an_output_into_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let book = fixture("cph-1.7.3-movies.xlsx").display().to_string();
    let missing = dir.path().join("reports/2027");
    for option in ["-o", "--annotate"] {
        let out = missing.join("out.xlsx").display().to_string();
        let r = run_raw(&["check", &book, option, &out], &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "the folder `{}` does not exist",
                missing.display()
            )),
            "{}",
            r.stderr
        );
        assert!(
            !r.stderr.contains(".out.xlsx."),
            "no temporary file: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "nothing was checked: {}", r.stdout);
    }
}

/// An Avails XML version given for a workbook does not apply to it: the
/// version is detected and AVC001 says why the flag was not used.
#[test]
fn an_xml_template_version_is_explained_for_a_workbook() {
    let (code, report, _) = check(
        &fixture("cph-1.7.3-movies.xlsx"),
        "cph-svod",
        &[
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--template-version",
            "2.3",
        ],
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["files"][0]["template_version"], "1.7.3");
    let avc001 = one(&report, "AVC001")["message"].as_str().unwrap();
    assert!(
        avc001.contains(
            "--template-version 2.3 is an Avails XML version and does not apply to spreadsheets"
        ),
        "{avc001}"
    );
}

/// An empty folder is an unreadable input, not "Checked 1 file".
#[test]
fn an_empty_folder_is_not_counted_as_a_checked_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("avails");
    std::fs::create_dir(&empty).unwrap();
    let r = run_raw(&["check", &empty.display().to_string()], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("is a folder with no avails files in it"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Checked 0 files, 0 rows in")
            && r.stdout.contains("1 input could not be read."),
        "{}",
        r.stdout
    );
}

/// Settings problems already on main, end to end: an empty or worldwide
/// agreement, a date for --as-of, and a bad value in availcheck.toml named
/// by file, line and column.
#[test]
fn agreement_and_as_of_settings_give_the_expected_messages() {
    let book = fixture("cph-1.7.3-movies.xlsx").display().to_string();
    for (value, says) in [
        ("", "--territories: no territory given"),
        (
            "ZZ",
            "--territories: `ZZ` (worldwide) is never a CPH territory",
        ),
    ] {
        let r = run_raw(&["check", &book, "--territories", value], &[]);
        assert_eq!(r.code, 2, "{value:?}: {r:?}");
        assert!(
            r.stderr.starts_with(&format!("error: {says}")),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    let r = run_raw(
        &[
            "check",
            &book,
            "--territories",
            "US,GB",
            "--partner",
            "acme",
            "--as-of",
            "2027-01-01",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{r:?}");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("availcheck.toml");
    std::fs::write(&config, "partner = \"acme\"\nterritories = [\"UK\"]\n").unwrap();
    let r = run_raw(
        &["check", &book, "--config", &config.display().to_string()],
        &[],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "error: {}:2:16: territories: `UK` is not an ISO 3166-1 alpha-2 code (the United Kingdom is GB)",
            config.display()
        )
    );
}

/// Files that are clearly not avails: skipped with AVC010 in folders and
/// with --skip-unrecognized; named on the command line without it, exit 2.
#[test]
fn files_that_are_not_avails_are_skipped_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let pom = dir.path().join("pom.xml");
    std::fs::write(
        &pom,
        "<?xml version=\"1.0\"?>\n<project><modelVersion>4.0.0</modelVersion></project>\n",
    )
    .unwrap();
    let budget = dir.path().join("budget.csv");
    std::fs::write(&budget, "Date,Amount,Category\n2024-01-01,100,Food\n").unwrap();
    let book = dir.path().join("acme-avails.xlsx");
    std::fs::copy(fixture("cph-1.7.3-movies.xlsx"), &book).unwrap();
    let s = |p: &Path| p.display().to_string();
    let agreement = ["--territories", "US,GB", "--partner", "acme"].map(String::from);
    let named: Vec<String> = [s(&pom), s(&budget), s(&book)]
        .into_iter()
        .chain(agreement.clone())
        .collect();
    let r = run_check(&named, &[]);
    assert_eq!(r.code, 2, "named files are read: {}", r.stderr);
    let mut skip = named.clone();
    skip.push("--skip-unrecognized".into());
    let (code, report, _) = run(&skip);
    assert_eq!(code, 0, "{report:#}");
    let skipped: Vec<&str> = with_code(&report, "AVC010")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped[0].contains("root element is <project>"),
        "{skipped:?}"
    );
    assert!(skipped[1].contains("no EMA field names"), "{skipped:?}");
    assert_eq!(report["summary"]["files"], 1);
    // A folder scan screens its files the same way, without the flag.
    let folder: Vec<String> = [s(dir.path())].into_iter().chain(agreement).collect();
    let (code, report, _) = run(&folder);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(with_code(&report, "AVC010").len(), 2);
}

/// The man pages: every option with its value in the synopsis, no
/// reference to a page nothing installs, EXAMPLES; `man check` prints the
/// subcommand's page.
#[test]
fn man_pages_document_options_with_values_and_examples() {
    let main = run_raw(&["man"], &[]);
    assert_eq!(main.code, 0);
    let page = &main.stdout;
    assert!(
        !page.contains("availcheck\\-check(1)"),
        "dangling reference"
    );
    for expected in [
        ".SH SYNOPSIS",
        "[\\fB\\-o\\fR|\\fB\\-\\-output\\fR \\fIFILE\\fR]",
        "[\\fB\\-\\-licensed\\fR \\fIFILE\\fR]...",
        "[\\fB\\-\\-format\\fR \\fIFORMAT\\fR]",
        "\\fIPATHS\\fR...",
        "\\fBavailcheck explain\\fR \\fICODE\\fR",
        ".SH \"CHECK OPTIONS\"",
        ".SH \"EXIT STATUS\"",
        ".SH EXAMPLES",
        "availcheck check avails.xlsx \\-\\-territories US,GB \\-\\-partner acme",
    ] {
        assert!(page.contains(expected), "{expected} missing:\n{page}");
    }
    let check = run_raw(&["man", "check"], &[]);
    assert_eq!(check.code, 0);
    assert!(
        check.stdout.contains(".TH availcheck-check 1"),
        "{}",
        check.stdout
    );
    for page in [&main.stdout, &check.stdout] {
        assert_eq!(
            page.matches(".ds Aq \\(aq").count(),
            1,
            "one preamble: {page}"
        );
    }
    assert!(
        check
            .stdout
            .contains("\\fBavailcheck check\\fR [\\fB\\-\\-profile\\fR \\fIPROFILE\\fR]"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains(".SH EXAMPLES"));
    assert!(check.stdout.contains("\\-\\-no\\-group"));
    let r = run_raw(&["man", "nope"], &[]);
    assert_eq!(r.code, 2);
    // groff (with preconv, as man runs it) reads both pages without a
    // warning, when it is installed.
    if std::process::Command::new("groff")
        .arg("-v")
        .output()
        .is_ok()
    {
        for text in [&main.stdout, &check.stdout] {
            let mut child = std::process::Command::new("groff")
                .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
                .stdin(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            let warnings = String::from_utf8_lossy(&out.stderr);
            assert!(warnings.trim().is_empty(), "groff: {warnings}");
        }
    }
}

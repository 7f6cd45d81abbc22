//! Every `--format` of `availcheck check`, each parsed back by an
//! independent parser (serde_json, quick-xml, a line regex), and the
//! `--output` atomic-write guarantees.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use regex::Regex;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

const AS_OF: &str = "2026-11-22T00:00:00Z";

const FIELDS: [&str; 12] = [
    "DisplayName",
    "Territory",
    "WorkType",
    "EntryType",
    "TitleInternalAlias",
    "LicenseType",
    "FormatProfile",
    "Start",
    "End",
    "ALID",
    "ContentID",
    "GroupIdentity",
];

/// A small EMA 1.7.3 movie sheet: row 1 categories, row 2 field names, row 3
/// blank, data from row 4. Row 4 has Territory `UK` and FormatProfile `4K`.
fn workbook(dir: &Path) -> PathBuf {
    let path = dir.join("avails.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Movies").unwrap();
    let categories = [
        (0, "Avail"),
        (1, "Avail"),
        (2, "Avail"),
        (3, "Avail"),
        (4, "Asset"),
        (5, "Terms"),
        (6, "Terms"),
        (7, "Terms"),
        (8, "Terms"),
        (9, "Avail"),
        (10, "Asset"),
        (11, "Avail"),
    ];
    for (c, cat) in categories {
        ws.write_string(0, c, cat).unwrap();
    }
    for (c, f) in FIELDS.iter().enumerate() {
        ws.write_string(1, c as u16, *f).unwrap();
    }
    let rows: [[&str; 12]; 3] = [
        [
            "acmestudios",
            "UK",
            "Movie",
            "Full Extract",
            "The First Film",
            "SVOD",
            "4K",
            "2027-01-01",
            "2027-12-31",
            "md:alid:eidr-s:1111-2222-3333-4444-5555-C",
            "md:cid:eidr-s:1111-2222-3333-4444-5555-C",
            "CPH",
        ],
        [
            "acmestudios",
            "US",
            "Movie",
            "Full Extract",
            "The Second Film",
            "SVOD",
            "HD",
            "2027-01-01",
            "2027-12-31",
            "md:alid:eidr-s:AAAA-BBBB-CCCC-DDDD-EEEE-C",
            "md:cid:eidr-s:AAAA-BBBB-CCCC-DDDD-EEEE-C",
            "CPH",
        ],
        [
            "acmestudios",
            "DE",
            "Movie",
            "Full Extract",
            "The Third Film",
            "SVOD",
            "SD",
            "2027-02-01",
            "2027-11-30",
            "md:alid:eidr-s:9999-8888-7777-6666-5555-C",
            "md:cid:eidr-s:9999-8888-7777-6666-5555-C",
            "CPH",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

fn availcheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_availcheck"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run availcheck")
}

fn check(file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", file.to_str().unwrap(), "--as-of", AS_OF];
    args.extend_from_slice(extra);
    availcheck(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_report(file: &Path) -> Value {
    let o = check(file, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// Validates a `--format json` document against `schemas/report.schema.json`.
fn assert_schema_valid(doc: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    if let Err(e) = jsonschema::validate(&schema, doc) {
        panic!(
            "report does not match its schema: {e} at {}",
            e.instance_path
        );
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn find_diag<'a>(diags: &'a [Value], code: &str, cell: &str) -> &'a Value {
    diags
        .iter()
        .find(|d| d["code"] == code && d["location"]["cell"] == cell)
        .unwrap_or_else(|| panic!("no {code} at {cell} in {diags:#?}"))
}

#[test]
fn json_contract_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json_report(&workbook(dir.path()));
    assert_eq!(
        keys(&doc),
        [
            "diagnostics",
            "files",
            "profile",
            "schema_version",
            "summary"
        ]
    );
    assert_eq!(doc["schema_version"], 1);
    assert_schema_valid(&doc);
    assert_eq!(
        keys(&doc["summary"]),
        ["errors", "files", "infos", "rows", "unreadable", "warnings"],
        "no `omitted` unless --max-diagnostics leaves some out"
    );
    assert_eq!(
        keys(&doc["files"][0]),
        [
            "error",
            "errors",
            "kind",
            "path",
            "role",
            "rows",
            "sheets",
            "template_version",
            "warnings"
        ]
    );
    let diags = doc["diagnostics"].as_array().unwrap();
    for d in diags {
        assert_eq!(
            keys(d),
            ["code", "help", "location", "message", "related", "severity"]
        );
        assert_eq!(
            keys(&d["location"]),
            [
                "cell", "col", "column", "field", "file", "line", "row", "sheet", "value"
            ]
        );
    }
    let uk = find_diag(diags, "EMA005", "B4");
    assert_eq!(uk["severity"], "error");
    assert_eq!(uk["location"]["sheet"], "Movies");
    assert_eq!(uk["location"]["row"], 4);
    assert_eq!(uk["location"]["value"], "UK");
    find_diag(diags, "EMA004", "G4");
    assert_eq!(doc["summary"]["rows"], 3);
    assert!(doc["summary"]["errors"].as_u64().unwrap() >= 2);

    // --json is still an alias of --format json.
    let file = dir.path().join("avails.xlsx");
    let alias: Value = serde_json::from_slice(&check(&file, &["--json"]).stdout).unwrap();
    assert_eq!(alias, doc);
    // …and conflicts with another --format.
    let both = check(&file, &["--json", "--format", "sarif"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn jsonl_is_the_json_diagnostics_then_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let doc = json_report(&file);
    let o = check(&file, &["--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let (last, diags) = lines.split_last().unwrap();
    assert_eq!(keys(last), ["summary"]);
    assert_eq!(last["summary"], doc["summary"]);
    assert_eq!(diags, doc["diagnostics"].as_array().unwrap().as_slice());
    assert!(text.ends_with('\n'));
}

#[test]
fn sarif_is_2_1_0_with_cell_locations() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let doc = json_report(&file);
    let o = check(&file, &["--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let sarif: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "availcheck");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "one rule entry per code");
    for r in rules {
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(r["fullDescription"]["text"].is_string());
        assert!(r["help"]["text"].is_string());
        assert!(r["name"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), doc["diagnostics"].as_array().unwrap().len());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        let phys = &r["locations"][0]["physicalLocation"];
        assert!(
            phys["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("avails.xlsx")
        );
        // GitHub code scanning rejects a region without startLine >= 1.
        assert!(phys["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let at = |code: &str, fqn: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == code
                    && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == fqn
            })
            .unwrap_or_else(|| panic!("no {code} at {fqn}"))
    };
    let uk = at("EMA005", "Movies!B4");
    assert_eq!(uk["level"], "error");
    let region = &uk["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 4);
    assert_eq!(region["startColumn"], 2);
    let fp = at("EMA004", "Movies!G4");
    assert_eq!(
        fp["locations"][0]["physicalLocation"]["region"]["startColumn"],
        7
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

/// testsuites → testsuite → testcase → failure, read with quick-xml.
#[derive(Debug, Default)]
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    cases: Vec<(String, Option<String>)>,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .map(|a| a.unwrap())
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned()
        })
}

fn parse_junit(xml: &str) -> (usize, usize, Vec<Suite>) {
    let mut reader = Reader::from_str(xml);
    let (mut total, mut total_failures) = (None, None);
    let mut suites: Vec<Suite> = Vec::new();
    let mut in_failure = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testsuites" => {
                    total = attr(&e, "tests").map(|v| v.parse().unwrap());
                    total_failures = attr(&e, "failures").map(|v| v.parse().unwrap());
                }
                "testsuite" => suites.push(Suite {
                    name: attr(&e, "name").unwrap(),
                    tests: attr(&e, "tests").unwrap().parse().unwrap(),
                    failures: attr(&e, "failures").unwrap().parse().unwrap(),
                    cases: Vec::new(),
                }),
                "testcase" => suites
                    .last_mut()
                    .expect("testcase inside testsuite")
                    .cases
                    .push((attr(&e, "name").unwrap(), None)),
                "failure" => {
                    let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                    case.1 = Some(attr(&e, "message").unwrap_or_default() + "\n");
                    in_failure = true;
                }
                _ => {}
            },
            Event::Text(t) if in_failure => {
                let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                let text = t.xml10_content().into_owned();
                case.1.as_mut().unwrap().push_str(&text);
            }
            Event::GeneralRef(r) if in_failure => {
                let case = suites.last_mut().unwrap().cases.last_mut().unwrap();
                let text = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .expect("only predefined entities")
                            .to_string()
                    }
                };
                case.1.as_mut().unwrap().push_str(&text);
            }
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (
        total.expect("testsuites has tests"),
        total_failures.expect("testsuites has failures"),
        suites,
    )
}

#[test]
fn junit_has_one_testcase_per_rule_and_failures_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let o = check(&file, &["--format", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let xml = stdout(&o);
    let (tests, failures, suites) = parse_junit(&xml);
    assert_eq!(suites.len(), 1);
    let suite = &suites[0];
    assert!(suite.name.ends_with("avails.xlsx"));
    assert_eq!(suite.tests, suite.cases.len());
    assert_eq!(tests, suite.tests);
    let failed: Vec<&(String, Option<String>)> =
        suite.cases.iter().filter(|c| c.1.is_some()).collect();
    assert_eq!(suite.failures, failed.len());
    assert_eq!(failures, failed.len());
    let names: Vec<&str> = suite.cases.iter().map(|c| c.0.as_str()).collect();
    let mut codes: Vec<&str> = names.iter().map(|n| &n[..6]).collect();
    codes.dedup();
    assert_eq!(codes.len(), names.len(), "one testcase per rule code");
    let failure = |code: &str| {
        failed
            .iter()
            .find(|c| c.0.starts_with(code))
            .and_then(|c| c.1.clone())
            .unwrap_or_else(|| panic!("{code} did not fail: {names:?}"))
    };
    assert!(failure("EMA005").contains("Movies!B4"));
    assert!(failure("EMA004").contains("Movies!G4"));
    // Below --fail-on nothing fails.
    let o = check(&file, &["--format", "junit", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let (_, failures, suites) = parse_junit(&stdout(&o));
    assert_eq!(failures, 0);
    assert_eq!(suites[0].cases.len(), suite.cases.len());
}

#[test]
fn github_annotations_are_workflow_commands() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let doc = json_report(&file);
    let o = check(&file, &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let line_re = Regex::new(
        r"^::(error|warning|notice) file=([^,:\r\n]+)(?:,line=(\d+)(?:,col=(\d+))?)?,title=([A-Z]+[0-9]+)::(\S.*)$",
    )
    .unwrap();
    let text = stdout(&o);
    let mut n = 0;
    let mut seen_uk = false;
    for l in text.lines() {
        let c = line_re
            .captures(l)
            .unwrap_or_else(|| panic!("not a workflow command: {l}"));
        assert!(!c[6].contains('\n') && !c[6].contains('\r'));
        if &c[5] == "EMA005" && c[6].contains("Movies!B4") {
            assert_eq!(&c[1], "error");
            assert_eq!(c.get(3).map(|m| m.as_str()), Some("4"));
            assert_eq!(c.get(4).map(|m| m.as_str()), Some("2"));
            seen_uk = true;
        }
        n += 1;
    }
    assert!(seen_uk, "{text}");
    assert_eq!(n, doc["diagnostics"].as_array().unwrap().len());
    // Messages with help are one line, newlines escaped.
    assert!(text.contains("%0Ahelp: "));
}

#[test]
fn max_diagnostics_caps_listings_but_not_counts() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let doc = json_report(&file);
    let total = doc["diagnostics"].as_array().unwrap().len();
    assert!(total > 2);

    let o = check(&file, &["--max-diagnostics", "2"]);
    assert_eq!(o.status.code(), Some(1));
    let human = stdout(&o);
    assert!(
        human.contains(&format!("{} more diagnostics not shown", total - 2)),
        "{human}"
    );
    assert!(human.contains(&format!(
        "{} errors",
        doc["summary"]["errors"].as_u64().unwrap()
    )));

    let o = check(&file, &["--format", "github", "--max-diagnostics", "2"]);
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with("::notice title=availcheck::"));
    assert!(lines[2].contains(&format!("{} more", total - 2)));

    let o = check(&file, &["--format", "json", "--max-diagnostics", "2"]);
    let capped: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(capped["diagnostics"].as_array().unwrap().len(), 2);
    assert_eq!(capped["summary"]["omitted"], total - 2);
    assert_schema_valid(&capped);
    assert_eq!(capped["summary"]["errors"], doc["summary"]["errors"]);
    assert_eq!(o.status.code(), Some(1), "exit code counts everything");
}

#[test]
fn output_writes_the_whole_report_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let out_dir = dir.path().join("reports");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("availcheck.sarif");
    std::fs::write(&target, "stale").unwrap();
    let o = check(
        &file,
        &["--format", "sarif", "--output", target.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "the report goes to the file only");
    let err = stderr(&o);
    assert!(err.contains("INVALID"), "human summary on stderr: {err}");
    assert!(err.contains("Checked 1 file"));
    let sarif: Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let from_stdout: Value =
        serde_json::from_slice(&check(&file, &["--format", "sarif"]).stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"],
        from_stdout["runs"][0]["results"]
    );
    assert_eq!(files_in(&out_dir), ["availcheck.sarif"]);

    // Quiet: the summary line only.
    let o = check(
        &file,
        &[
            "--format",
            "jsonl",
            "-q",
            "--output",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("Checked 1 file"));
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.lines().last().unwrap().starts_with("{\"summary\""));
    assert_eq!(files_in(&out_dir), ["availcheck.sarif"]);
}

#[test]
fn output_into_a_missing_directory_fails_with_exit_2_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let before = files_in(dir.path());
    let target = dir.path().join("missing").join("report.json");
    let o = check(&file, &["--format", "json", "-o", target.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot write the report"));
    assert!(!target.exists());
    assert_eq!(files_in(dir.path()), before);
}

#[test]
fn a_failed_write_never_leaves_a_partial_report_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    // The final rename cannot replace a non-empty directory: the report is
    // rendered completely into the temporary file, then the write fails at
    // the last step. Nothing may be left behind, and the target is intact.
    let target = dir.path().join("report.xml");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), "x").unwrap();
    let before = files_in(dir.path());
    let o = check(
        &file,
        &["--format", "junit", "-o", target.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(files_in(dir.path()), before, "no temporary file left");
    assert_eq!(files_in(&target), ["keep"]);
}

#[cfg(unix)]
#[test]
fn output_into_a_read_only_directory_fails_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions; nothing to test then.
    let probe = locked.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        eprintln!("skipped: running as a user that may write into read-only directories");
        return;
    }
    let target = locked.join("report.sarif");
    let o = check(
        &file,
        &["--format", "sarif", "-o", target.to_str().unwrap()],
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(files_in(&locked).is_empty());
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let o = check(&file, &["--quiet", "--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    let o = check(&file, &["--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("Checked 1 file, 3 rows"));
}

#[test]
fn color_honours_no_color_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook(dir.path());
    let has_escape = |o: &Output| o.stdout.contains(&0x1b);
    assert!(!has_escape(&check(&file, &["--color", "auto"])));
    assert!(!has_escape(&check(&file, &["--color", "never"])));
    assert!(has_escape(&check(&file, &["--color", "always"])));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = availcheck(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = stdout(&o);
        assert!(text.contains("availcheck"), "{shell}");
        assert!(text.contains("max-diagnostics"), "{shell}");
    }
    let o = availcheck(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie") || page.contains(".TH availcheck"),
        "{page}"
    );
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH \"CHECK OPTIONS\""), "{page}");
    assert!(page.contains("\\-\\-max\\-diagnostics"), "{page}");
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
    let o = availcheck(&["man", "check"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH availcheck-check"), "{page}");
    assert!(page.contains("max\\-diagnostics"), "{page}");
    assert_eq!(availcheck(&["man", "nope"]).status.code(), Some(2));
}

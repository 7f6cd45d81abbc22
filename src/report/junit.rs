//! `--format junit`: JUnit XML for CI test reports (Jenkins, GitLab, Azure
//! Pipelines), written with `quick-junit` (cargo-nextest's serializer, the
//! Jenkins flavour of the format).
//!
//! - One `<testsuite>` per checked file (named by its path).
//! - One `<testcase>` per rule code that fired in that file (name
//!   `CODE title`, classname the file path); it fails when the rule's worst
//!   severity is at or above `--fail-on`, with a `<failure>` whose text lists
//!   every location, message and fix. Below `--fail-on` the test case passes
//!   and lists its findings in `<system-out>`.
//! - A file without findings has one passing test case `availcheck`; an
//!   unreadable file has one test case `read` with an `<error>`.
//! - With `--max-diagnostics N` at most N locations are listed in all; every
//!   test case still exists and the counts stay complete.

use std::collections::BTreeMap;
use std::io::Write;

use quick_junit::{
    NonSuccessKind, Property, Report as JunitReport, TestCase, TestCaseStatus, TestSuite,
};

use super::RenderOptions;
use crate::model::{Diagnostic, Severity};
use crate::rules;
use crate::{Report, Role};

fn line(d: &Diagnostic) -> String {
    let loc = &d.location;
    let mut s = format!("{}: {}", d.severity.as_str(), loc.display());
    if let Some(f) = &loc.field {
        s.push_str(&format!(" [{f}]"));
    }
    if let Some(v) = &loc.value {
        s.push_str(&format!(" value {v:?}"));
    }
    s.push_str(&format!(": {}", d.message));
    if let Some(h) = &d.help {
        s.push_str(&format!("\n  help: {h}"));
    }
    for r in &d.related {
        s.push_str(&format!("\n  {}: {}", r.message, r.location.display()));
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes one JUnit XML document.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let mut junit = JunitReport::new("availcheck");
    junit.set_time(report.elapsed);
    let mut budget = opts.max_diagnostics.unwrap_or(usize::MAX);
    for (index, f) in report.files.iter().enumerate() {
        let mine = || {
            report
                .diagnostics
                .iter()
                .filter(move |d| d.order.0 == index)
        };
        if f.role != Role::Checked && f.error.is_none() && mine().next().is_none() {
            continue;
        }
        let mut suite = TestSuite::new(f.path.as_str());
        suite.set_time(f.elapsed);
        suite.add_property(Property::new("profile", opts.profile));
        suite.add_property(Property::new("rows", f.rows.to_string()));
        if let Some(k) = f.kind {
            suite.add_property(Property::new("kind", k));
        }
        if let Some(v) = &f.template_version {
            suite.add_property(Property::new("template_version", v.as_str()));
        }
        if let Some(e) = &f.error {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(e.as_str()).set_type("unreadable");
            let mut case = TestCase::new("read", status);
            case.set_classname(f.path.as_str());
            suite.add_test_case(case);
            junit.add_test_suite(suite);
            continue;
        }
        let mut by_code: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in mine() {
            by_code.entry(d.code).or_default().push(d);
        }
        if by_code.is_empty() {
            let mut case = TestCase::new("availcheck", TestCaseStatus::success());
            case.set_classname(f.path.as_str());
            suite.add_test_case(case);
        }
        for (code, diags) in by_code {
            let title = rules::find(code).map_or("", |m| m.title);
            let worst = diags
                .iter()
                .map(|d| d.severity)
                .max()
                .unwrap_or(Severity::Info);
            let mut text: Vec<String> = Vec::new();
            let take = diags.len().min(budget);
            budget -= take;
            text.extend(diags[..take].iter().map(|d| line(d)));
            if take < diags.len() {
                text.push(format!(
                    "… {} more not shown (--max-diagnostics); use --format json for all",
                    diags.len() - take
                ));
            }
            let body = text.join("\n");
            let counts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .filter_map(|s| {
                    let n = diags.iter().filter(|d| d.severity == s).count();
                    (n > 0).then(|| format!("{n} {}{}", s.as_str(), plural(n)))
                })
                .collect();
            let summary = format!("{}: {}", counts.join(", "), diags[0].message);
            let name = if title.is_empty() {
                code.to_string()
            } else {
                format!("{code} {title}")
            };
            let mut case = if opts.fails(worst) {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_message(summary)
                    .set_type(code)
                    .set_description(body);
                TestCase::new(name, status)
            } else {
                let mut case = TestCase::new(name, TestCaseStatus::success());
                case.set_system_out(format!("{summary}\n{body}"));
                case
            };
            case.set_classname(f.path.as_str());
            case.set_assertions(diags.len());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit
        .serialize(&mut *out)
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::FileReport;
    use crate::model::Location;

    fn file(path: &str, error: Option<&str>) -> FileReport {
        FileReport {
            path: path.into(),
            kind: Some("csv"),
            template_version: Some("1.7.3".into()),
            sheets: Vec::new(),
            rows: 2,
            errors: 0,
            warnings: 0,
            infos: 0,
            error: error.map(str::to_string),
            role: crate::Role::Checked,
            elapsed: Duration::from_millis(5),
            source: None,
        }
    }

    fn xml(report: &Report, opts: RenderOptions) -> String {
        let mut out = Vec::new();
        render(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn clean_file_has_one_passing_case_and_unreadable_an_error() {
        let report = Report {
            files: vec![
                file("clean.csv", None),
                file("bad.csv", Some("bad.csv: no such file")),
            ],
            diagnostics: Vec::new(),
            elapsed: Duration::from_millis(9),
            ..Report::default()
        };
        let x = xml(&report, RenderOptions::default());
        assert!(
            x.contains(r#"<testcase name="availcheck" classname="clean.csv"/>"#),
            "{x}"
        );
        assert!(
            x.contains(r#"<error message="bad.csv: no such file" type="unreadable"/>"#),
            "{x}"
        );
        assert!(
            x.contains(r#"tests="2""#) && x.contains(r#"errors="1""#),
            "{x}"
        );
    }

    #[test]
    fn budget_lists_at_most_n_locations() {
        let diags = (1..=5)
            .map(|r| {
                Diagnostic::new(
                    "EMA005",
                    Severity::Error,
                    format!("bad {r}"),
                    Location {
                        row: Some(r + 3),
                        ..Location::file("a.csv")
                    },
                )
            })
            .collect();
        let report = Report {
            files: vec![file("a.csv", None)],
            diagnostics: diags,
            elapsed: Duration::ZERO,
            ..Report::default()
        };
        let x = xml(
            &report,
            RenderOptions {
                max_diagnostics: Some(2),
                ..RenderOptions::default()
            },
        );
        assert!(x.contains("bad 2") && !x.contains("bad 3"), "{x}");
        assert!(x.contains("3 more not shown"), "{x}");
        assert!(x.contains(r#"message="5 errors: bad 1""#), "{x}");
    }
}

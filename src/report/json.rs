//! `--format json`: one document, schema `schemas/report.schema.json`.
//! Fields may be added in later versions; none is renamed or removed
//! without a new `schema_version`.

use std::io::Write;

use serde::Serialize;

use super::RenderOptions;
use crate::model::{Diagnostic, Severity};
use crate::{Report, Role};

/// Version of the JSON report contract.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    profile: &'a str,
    files: Vec<File<'a>>,
    diagnostics: &'a [Diagnostic],
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    kind: Option<&'a str>,
    template_version: Option<&'a str>,
    sheets: &'a [String],
    rows: usize,
    errors: usize,
    warnings: usize,
    error: Option<&'a str>,
    role: &'static str,
}

/// Totals over the whole run; also the last line of `--format jsonl`.
#[derive(Serialize)]
pub(crate) struct Summary {
    files: usize,
    rows: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unreadable: usize,
    /// Diagnostics left out by `--max-diagnostics` (absent when none were).
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
    /// CPH windows exempt from the forward-looking Start as Amazon has
    /// them (with `--previous` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    exempted: Option<usize>,
    /// Licensed SVOD windows compared with CPH windows (when there were any).
    #[serde(skip_serializing_if = "Option::is_none")]
    licensed_compared: Option<usize>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The summary object of the JSON report.
pub(crate) fn summary(report: &Report, opts: &RenderOptions) -> Summary {
    Summary {
        files: report
            .files
            .iter()
            .filter(|f| f.role == Role::Checked)
            .count(),
        rows: report.rows(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        infos: report.count(Severity::Info),
        unreadable: report.files.iter().filter(|f| f.error.is_some()).count(),
        omitted: opts.shown(report).1,
        exempted: report.exempt_windows,
        licensed_compared: report.licensed_compared,
    }
}

/// Writes the report as one JSON document and a newline. With
/// `--max-diagnostics N` only the first N diagnostics are listed and
/// `summary.omitted` counts the rest; the other counts cover everything.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = Doc {
        schema_version: SCHEMA_VERSION,
        profile: opts.profile,
        files: report
            .files
            .iter()
            .map(|f| File {
                path: &f.path,
                kind: f.kind,
                template_version: f.template_version.as_deref(),
                sheets: &f.sheets,
                rows: f.rows,
                errors: f.errors,
                warnings: f.warnings,
                error: f.error.as_deref(),
                role: f.role.as_str(),
            })
            .collect(),
        diagnostics: opts.shown(report).0,
        summary: summary(report, &opts),
    };
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)
}

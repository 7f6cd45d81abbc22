//! `--format sarif`: SARIF 2.1.0 (OASIS), built with the `serde-sarif`
//! data model. Accepted by GitHub code scanning (`github/codeql-action/
//! upload-sarif`), Azure DevOps and SARIF viewers.
//!
//! - `tool.driver.rules`: one entry per rule code (`id`, `name`,
//!   `shortDescription` = title, `fullDescription` = the docs' first
//!   paragraph, `help` = the whole docs as text and Markdown,
//!   `defaultConfiguration.level`).
//! - `results`: `ruleId`/`ruleIndex`, `level` (error, warning, note),
//!   `message`, one location whose `physicalLocation` has the file as a
//!   relative URI and a `region` with `startLine` = sheet row or XML line
//!   (1 when unknown: code scanning requires it) and `startColumn` = the
//!   column number (A = 1) or XML column; `logicalLocations` carry
//!   `fullyQualifiedName` = `Sheet!Cell` (or the EMA field for XML).
//! - `partialFingerprints."availcheck/v1"`: a hash of code, file, place,
//!   field and value, so code scanning can track an alert across runs even
//!   in binary workbooks it cannot read.
//! - Unreadable files are `toolExecutionNotifications` of the invocation.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location as SarifLocation, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use super::{RenderOptions, cell_ref, line_col};
use crate::Report;
use crate::model::{Diagnostic, Location, Severity};
use crate::rules;

/// `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// A path as a URI reference: relative paths stay relative (`/`-separated,
/// percent-encoded), absolute ones become `file:` URIs.
pub fn file_uri(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    let drive = p.len() >= 2 && p.as_bytes()[0].is_ascii_alphabetic() && p.as_bytes()[1] == b':';
    let (prefix, rest) = if drive {
        ("file:///", p.as_str())
    } else if p.starts_with('/') {
        ("file://", p.as_str())
    } else {
        ("", p.as_str())
    };
    let mut out = String::from(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (drive && i == 1 && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// FNV-1a, 64 bit: small, stable across Rust versions and platforms.
fn fingerprint(d: &Diagnostic) -> String {
    let loc = &d.location;
    let parts = [
        d.code,
        loc.file.as_str(),
        &loc.short().unwrap_or_default(),
        loc.field.as_deref().unwrap_or(""),
        loc.value.as_deref().unwrap_or(""),
    ];
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn props(map: BTreeMap<String, Value>) -> PropertyBag {
    PropertyBag::builder().additional_properties(map).build()
}

fn location(loc: &Location, message: Option<&str>) -> SarifLocation {
    let (line, col) = line_col(loc);
    let mut region = Region::builder()
        .start_line(i64::from(line.unwrap_or(1).max(1)))
        .build();
    region.start_column = col.map(|c| i64::from(c.max(1)));
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(file_uri(&loc.file)).build())
        .region(region)
        .build();
    let logical = match (&loc.sheet, loc.short(), &loc.field) {
        (Some(sheet), Some(short), _) => Some(
            LogicalLocation::builder()
                .fully_qualified_name(short.clone())
                .name(match (&loc.cell, loc.row) {
                    (Some(c), _) => c.clone(),
                    (None, Some(_)) => short,
                    (None, None) => sheet.clone(),
                })
                .kind(match (&loc.cell, loc.row) {
                    (Some(_), _) => "cell",
                    (None, Some(_)) => "row",
                    (None, None) => "sheet",
                })
                .build(),
        ),
        (None, _, Some(field)) if loc.line.is_some() && loc.row.is_none() => Some(
            LogicalLocation::builder()
                .fully_qualified_name(field.clone())
                .name(field.clone())
                .kind("element")
                .build(),
        ),
        (None, _, _) if loc.cell.is_some() => Some(
            LogicalLocation::builder()
                .fully_qualified_name(loc.cell.clone().unwrap_or_default())
                .name(loc.cell.clone().unwrap_or_default())
                .kind("cell")
                .build(),
        ),
        _ => None,
    };
    let mut l = SarifLocation::builder().physical_location(physical).build();
    l.logical_locations = logical.map(|x| vec![x]);
    l.message = message.map(Message::from);
    l
}

fn result(d: &Diagnostic, rule_index: Option<usize>) -> SarifResult {
    let loc = &d.location;
    let mut message = d.message.clone();
    if let Some(place) = cell_ref(loc) {
        message = format!("{place}: {message}");
    }
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut p = BTreeMap::new();
    for (k, v) in [
        ("sheet", &loc.sheet),
        ("cell", &loc.cell),
        ("field", &loc.field),
        ("value", &loc.value),
        ("help", &d.help),
    ] {
        if let Some(v) = v {
            p.insert(k.to_string(), json!(v));
        }
    }
    let fingerprints = BTreeMap::from([("availcheck/v1".to_string(), fingerprint(d))]);
    let related: Vec<SarifLocation> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut l = location(&r.location, Some(&r.message));
            l.id = Some(i as i64);
            l
        })
        .collect();
    let mut r = SarifResult::builder()
        .rule_id(d.code)
        .level(level(d.severity))
        .message(Message::from(&message))
        .locations(vec![location(loc, None)])
        .partial_fingerprints(fingerprints)
        .properties(props(p))
        .build();
    if let Some(i) = rule_index {
        r.rule_index = Some(i as i64);
    }
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    r
}

/// The first paragraph of a rule's docs (what it does), unwrapped.
fn first_paragraph(docs: &str) -> Option<String> {
    let lines: Vec<&str> = docs
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'))
        .take_while(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn descriptor(m: &rules::RuleMeta) -> ReportingDescriptor {
    let level = match m.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let docs = m.documentation();
    let docs = docs.trim();
    let docs = if docs.is_empty() { m.title } else { docs };
    let full = first_paragraph(docs).unwrap_or_else(|| m.title.to_string());
    ReportingDescriptor::builder()
        .id(m.code)
        .name(m.name)
        .short_description(text(m.title))
        .full_description(text(full))
        .help(
            MultiformatMessageString::builder()
                .text(docs.to_string())
                .markdown(docs.to_string())
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level))
                .build(),
        )
        .build()
}

/// Writes one SARIF log with one run. With `--max-diagnostics N` only the
/// N most severe results are listed (`run.properties.omitted` counts the rest).
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rules_list: Vec<ReportingDescriptor> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for m in rules::all_meta() {
        index.insert(m.code, rules_list.len());
        rules_list.push(descriptor(m));
    }
    let shown = opts.shown(report);
    let (shown, hidden) = (shown.diagnostics, shown.hidden.total());
    for d in &shown {
        if !index.contains_key(d.code) {
            index.insert(d.code, rules_list.len());
            rules_list.push(ReportingDescriptor::builder().id(d.code).build());
        }
    }
    let results: Vec<SarifResult> = shown
        .iter()
        .map(|d| result(d, index.get(d.code).copied()))
        .collect();
    let driver = ToolComponent::builder()
        .name("availcheck")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules_list)
        .build();
    let notifications: Vec<Notification> = report
        .files
        .iter()
        .filter_map(|f| {
            let e = f.error.as_deref()?;
            Some(
                Notification::builder()
                    .message(Message::from(e))
                    .level(json!("error"))
                    .locations(vec![location(&Location::file(f.path.clone()), None)])
                    .build(),
            )
        })
        .collect();
    let invocation = if notifications.is_empty() {
        Invocation::builder().execution_successful(true).build()
    } else {
        Invocation::builder()
            .execution_successful(false)
            .tool_execution_notifications(notifications)
            .build()
    };
    let mut run_props = BTreeMap::new();
    run_props.insert("profile".to_string(), json!(opts.profile));
    run_props.insert(
        "summary".to_string(),
        serde_json::to_value(super::json::summary(report, &opts))?,
    );
    if hidden > 0 {
        run_props.insert("omitted".to_string(), json!(hidden));
    }
    let run = Run::builder()
        .tool(Tool::from(driver))
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .properties(props(run_props))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(file_uri("avails/Q4 2026.xlsx"), "avails/Q4%202026.xlsx");
        assert_eq!(file_uri("./a.xml"), "a.xml");
        assert_eq!(file_uri("/tmp/a#1.csv"), "file:///tmp/a%231.csv");
        assert_eq!(file_uri(r"C:\av\a.xlsx"), "file:///C:/av/a.xlsx");
    }

    #[test]
    fn rule_summary_is_the_first_paragraph() {
        let docs = "## What it does\nChecks a\nthing.\n\n## Why\nBecause.";
        assert_eq!(first_paragraph(docs).as_deref(), Some("Checks a thing."));
        assert_eq!(first_paragraph("## Only a heading"), None);
    }
}

//! `--format html`: one self-contained page for the person who fixes the
//! workbook. A headline per file and the settings (HTML written here), then
//! every finding in a table that filters, sorts, searches and pages, and
//! window timelines drawn as inline SVG on demand (by the script in
//! `html/page.js`, from data embedded as JSON). No external resources; the
//! script inserts text with `textContent` only.
//!
//! The windows' relations (overlap, gap, one-minute handover) are worked
//! out here with [`time::relations`], the rules' own judgement; the script
//! only draws them. A `--previous` delivery's windows are drawn next to the
//! current ones; those of a scope the delivery re-sends relate to none (it
//! replaces them), the others stay at Amazon and relate like its own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::RenderOptions;
use crate::model::time::{self, Bar, Lane, Relation};
use crate::model::zone::Zone;
use crate::model::{RowExcerpt, Severity};
use crate::rules;
use crate::{Report, Role};

/// Findings whose rows are drawn on a timeline.
pub const WINDOW_CODES: [&str; 6] = ["CPH005", "CPH006", "CPH015", "CPH018", "CPH019", "CPH020"];

/// Window findings against the previous delivery (CPH018 and the findings
/// of its comparison): drawn for the title and territory whose previous
/// windows they name.
const DELIVERY_CODES: [&str; 3] = ["CPH018", "CPH019", "CPH020"];

const CSS: &str = include_str!("html/page.css");
const JS: &str = include_str!("html/page.js");

/// Writes the report as one HTML page.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let data = Data::of(report, &opts);
    let json = serde_json::to_string(&data).map_err(io::Error::other)?;
    let mut page = String::with_capacity(json.len() + CSS.len() + JS.len() + 8192);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing may be loaded from anywhere: the page is one file.
    page.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    page.push_str("<title>availcheck report</title>\n<style>\n");
    page.push_str(CSS);
    page.push_str("</style>\n</head>\n<body>\n");
    headline(report, &opts, &mut page);
    settings(report, &opts, &mut page);
    page.push_str(FINDINGS_SECTION);
    page.push_str(TIMELINES_SECTION);
    page.push_str("<script type=\"application/json\" id=\"availcheck-data\">");
    page.push_str(&script_json(&json));
    page.push_str("</script>\n<script>\n");
    page.push_str(JS);
    page.push_str("</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

const FINDINGS_SECTION: &str = r#"<section id="findings">
<h2>Findings</h2>
<form id="filters" class="filters" autocomplete="off">
<label>Severity <select id="f-severity"><option value="">all</option></select></label>
<label>Code <select id="f-code"><option value="">all</option></select></label>
<label>File <select id="f-file"><option value="">all</option></select></label>
<label>Sheet <select id="f-sheet"><option value="">all</option></select></label>
<label>Field <select id="f-field"><option value="">all</option></select></label>
<label>Search <input id="f-search" type="search" placeholder="message, value, cell…"></label>
</form>
<p id="count" class="count">Findings need the page's script (JavaScript) to show.</p>
<table id="findings-table">
<thead><tr>
<th data-sort="severity" scope="col">Severity</th>
<th data-sort="code" scope="col">Code</th>
<th data-sort="place" scope="col">File and cell</th>
<th data-sort="field" scope="col">Field</th>
<th scope="col">Finding</th>
</tr></thead>
<tbody id="findings-body"></tbody>
</table>
<nav class="pager" aria-label="pages of findings">
<button type="button" id="page-prev">&larr; previous</button>
<span id="page-info"></span>
<button type="button" id="page-next">next &rarr;</button>
</nav>
</section>
"#;

const TIMELINES_SECTION: &str = r#"<section id="timelines">
<h2>Window timelines</h2>
<p class="legend"><span class="key licensed"></span> Licensed SVOD
<span class="key cph"></span> CPH
<span class="key other"></span> other LicenseType
<span class="key previous"></span> previous delivery (what Amazon has; outlined; related only when this delivery does not re-send its scope)
<span class="key overlap"></span> overlap (error)
<span class="key gap"></span> gap (warning)
<span class="key handover"></span> one-minute handover (good).
An open end runs off the edge with an arrow. Hover a bar for its file, cell, Start and End.
Overlaps, gaps and handovers are among the windows of the files checked and the previous windows they do not replace.</p>
<div id="tl-involved"></div>
<h3>Any title</h3>
<form id="tl-form" class="filters" autocomplete="off">
<label>Title id <input id="tl-search" type="search" placeholder="ALID or AltID (part of it)"></label>
<button type="submit">Draw</button>
</form>
<div id="tl-results"></div>
</section>
"#;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON text made safe inside a `<script>` element: `<`, `>` and `&` (so no
/// `</script>` or `<!--` can appear) and U+2028/U+2029 as `\u` escapes,
/// which JSON allows only inside strings, where they mean the same.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The headline: one card per file.
fn headline(report: &Report, opts: &RenderOptions, page: &mut String) {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let verdict = if report.has_unreadable() {
        "UNREADABLE INPUT"
    } else if opts.run_fails(report) {
        "FAILED"
    } else {
        "PASSED"
    };
    page.push_str(&format!(
        "<header>\n<h1>availcheck report</h1>\n<p class=\"run\"><strong class=\"verdict {}\">{verdict}</strong> \
         {} checked, {} rows: {}, {}, {} in {:.2} s.</p>\n</header>\n<section id=\"files\">\n",
        if verdict == "PASSED" { "ok" } else { "bad" },
        plural(report.files.iter().filter(|f| f.role == Role::Checked).count(), "file"),
        report.rows(),
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(report.count(Severity::Info), "info"),
        report.elapsed.as_secs_f64(),
    ));
    for f in &report.files {
        let (class, status) = match (&f.error, f.role) {
            (Some(_), _) => ("invalid", "UNREADABLE"),
            (None, Role::Licensed) => ("ref", "LICENSED REFERENCE"),
            (None, Role::Previous) => ("ref", "PREVIOUS DELIVERY"),
            (None, Role::Checked) if f.errors > 0 => ("invalid", "INVALID"),
            (None, Role::Checked) => ("valid", "VALID"),
        };
        page.push_str(&format!(
            "<article class=\"file {class}\">\n<h2><span class=\"status\">{status}</span> {}</h2>\n<dl>\n",
            escape(&f.path)
        ));
        let mut item = |k: &str, v: String| {
            page.push_str(&format!("<dt>{k}</dt><dd>{}</dd>\n", escape(&v)));
        };
        if let Some(e) = &f.error {
            item("error", e.clone());
        }
        item("rows", f.rows.to_string());
        if f.role == Role::Checked {
            item("errors", f.errors.to_string());
            item("warnings", f.warnings.to_string());
            item("infos", f.infos.to_string());
        }
        item(
            "template version",
            f.template_version.clone().unwrap_or_else(|| "–".into()),
        );
        item("kind", f.kind.unwrap_or("–").to_string());
        if !f.sheets.is_empty() {
            item("sheets", f.sheets.join(", "));
        }
        item("time", format!("{:.2} s", f.elapsed.as_secs_f64()));
        page.push_str("</dl>\n</article>\n");
    }
    page.push_str("</section>\n");
}

/// The settings the files were checked with.
fn settings(report: &Report, opts: &RenderOptions, page: &mut String) {
    let s = &report.settings;
    let of_role = |role: Role| -> Vec<&str> {
        report
            .files
            .iter()
            .filter(|f| f.role == role)
            .map(|f| f.path.as_str())
            .collect()
    };
    let licensed = of_role(Role::Licensed);
    let previous = of_role(Role::Previous);
    let rows: [(&str, String); 9] = [
        ("profile", opts.profile.to_string()),
        (
            "territories",
            s.territories.as_ref().map_or_else(
                || "not set (CPH013)".into(),
                |t| t.iter().cloned().collect::<Vec<_>>().join(", "),
            ),
        ),
        (
            "partner",
            s.partner.clone().unwrap_or_else(|| "not set".into()),
        ),
        ("as of", Zone::UTC.format(s.as_of)),
        ("dates without offset read in", s.zones.to_string()),
        (
            "minimum lead",
            s.min_lead
                .map_or_else(|| "none".into(), time::human_duration),
        ),
        (
            "licensed windows from",
            if licensed.is_empty() {
                "no --licensed file".into()
            } else {
                licensed.join(", ")
            },
        ),
        (
            "previous delivery",
            if previous.is_empty() {
                "no --previous file".into()
            } else {
                previous.join(", ")
            },
        ),
        (
            "fails on",
            opts.fail_on
                .map_or_else(|| "never".into(), |f| f.as_str().to_string()),
        ),
    ];
    page.push_str("<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"settings\">\n");
    for (k, v) in rows {
        page.push_str(&format!(
            "<tr><th scope=\"row\">{k}</th><td>{}</td></tr>\n",
            escape(&v)
        ));
    }
    page.push_str("</table>\n</section>\n");
}

/// Everything the script needs, embedded as JSON.
#[derive(Serialize)]
struct Data<'a> {
    files: Vec<&'a str>,
    rules: BTreeMap<&'static str, RuleDoc>,
    /// Row excerpts, each shared by the findings of its row.
    rows: Vec<Vec<[&'a str; 3]>>,
    findings: Vec<Finding<'a>>,
    /// Findings left out by `--max-diagnostics`.
    omitted: usize,
    timelines: Timelines<'a>,
}

#[derive(Serialize)]
struct RuleDoc {
    title: &'static str,
    docs: String,
}

#[derive(Serialize)]
struct Finding<'a> {
    severity: &'static str,
    code: &'static str,
    file: usize,
    sheet: Option<&'a str>,
    /// `Sheet!Cell`, `line:col`, or nothing for a whole file.
    place: Option<String>,
    column: Option<&'a str>,
    field: Option<&'a str>,
    value: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    /// Index into [`Data::rows`].
    row: Option<usize>,
    related: Vec<[String; 2]>,
    /// Indices into [`Timelines::groups`].
    timelines: Vec<u32>,
}

/// Timeline data: sources, a string table, windows as arrays, and the
/// groups (title, territory) with their relations.
#[derive(Serialize)]
struct Timelines<'a> {
    /// The codes of the findings drawn ([`WINDOW_CODES`]).
    codes: [&'static str; 6],
    /// `[file, sheet, Start column, End column, xml, previous delivery]`.
    sources: Vec<SourceData<'a>>,
    /// Titles, LicenseTypes and Starts and Ends as written.
    strings: Vec<&'a str>,
    /// `[title, lane (0 licensed, 1 CPH, 2 other), start s, end s, source,
    /// row, Start text, End text, LicenseType]`; `null` times are open.
    bars: Vec<BarData>,
    /// `[title, territory, [bar…], [relation…]]`; relations only among
    /// the bars of checked files.
    groups: Vec<GroupData<'a>>,
    /// Groups of the window findings, in order.
    involved: Vec<u32>,
}

/// `[file, sheet, Start column, End column, xml, previous delivery]`.
type SourceData<'a> = (
    usize,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
    bool,
);

/// `[title, lane, start, end, source, row, Start text, End text, LicenseType]`.
type BarData = (u32, u8, Option<i64>, Option<i64>, u32, u32, u32, u32, u32);

/// `[title, territory, [bar…], [relation…]]`.
type GroupData<'a> = (u32, &'a str, Vec<u32>, Vec<RelationData>);

/// `[0, a, b, from s, to s]` overlap, `[1, licensed, cph, length]` gap,
/// `[2, licensed, cph]` handover; indices into the group's bars.
#[derive(Serialize)]
#[serde(untagged)]
enum RelationData {
    Overlap(u8, usize, usize, i64, Option<i64>),
    Gap(u8, usize, usize, String),
    Handover(u8, usize, usize),
}

impl<'a> Data<'a> {
    fn of(report: &'a Report, opts: &RenderOptions) -> Self {
        let shown = opts.shown(report);
        let (shown, omitted) = (shown.diagnostics, shown.hidden.total());
        let (timelines, mut groups_of_finding) = Timelines::of(report, &shown);
        let mut rules_used = BTreeMap::new();
        let mut rows = Vec::new();
        let mut row_index: HashMap<*const RowExcerpt, usize> = HashMap::new();
        let findings = shown
            .iter()
            .zip(groups_of_finding.iter_mut())
            .map(|(d, groups)| {
                rules_used.entry(d.code).or_insert_with(|| {
                    let meta = rules::find(d.code);
                    RuleDoc {
                        title: meta.map_or("", |m| m.title),
                        docs: meta.map(|m| m.documentation()).unwrap_or_default(),
                    }
                });
                let row = d.excerpt.as_ref().map(|e| {
                    *row_index.entry(Arc::as_ptr(e)).or_insert_with(|| {
                        rows.push(
                            e.cells
                                .iter()
                                .map(|(l, f, v)| [l.as_str(), f.as_str(), v.as_str()])
                                .collect(),
                        );
                        rows.len() - 1
                    })
                });
                let loc = &d.location;
                Finding {
                    severity: d.severity.as_str(),
                    code: d.code,
                    file: d.order.0,
                    sheet: loc.sheet.as_deref(),
                    place: super::cell_ref(loc).or_else(|| loc.short()),
                    column: loc.column.as_deref(),
                    field: loc.field.as_deref(),
                    value: loc.value.as_deref(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    row,
                    related: d
                        .related
                        .iter()
                        .map(|r| [r.message.clone(), r.location.display()])
                        .collect(),
                    timelines: std::mem::take(groups),
                }
            })
            .collect();
        Data {
            files: report.files.iter().map(|f| f.path.as_str()).collect(),
            rules: rules_used,
            rows,
            findings,
            omitted,
            timelines,
        }
    }
}

/// (file index, sheet name, row) of a row (XML: its Transaction's line).
type RowKey<'a> = (usize, Option<&'a str>, u32);

/// The row a window finding is about: its file and row from its sort key
/// (CPH018's key has no sheet index), its sheet from its location.
fn row_key(d: &crate::model::Diagnostic) -> RowKey<'_> {
    (d.order.0, d.location.sheet.as_deref(), d.order.2)
}

impl<'a> Timelines<'a> {
    /// The timeline data of every title and territory, and the groups of
    /// each finding of `shown` (none unless it is a window finding).
    fn of(report: &'a Report, shown: &[&'a crate::model::Diagnostic]) -> (Self, Vec<Vec<u32>>) {
        let w = &report.windows;
        let mut strings: Vec<&'a str> = Vec::new();
        let mut string_index: HashMap<&'a str, u32> = HashMap::new();
        let mut intern = |s: &'a str| -> u32 {
            *string_index.entry(s).or_insert_with(|| {
                strings.push(s);
                (strings.len() - 1) as u32
            })
        };
        let secs = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.timestamp());
        let mut bars = Vec::with_capacity(w.rows.len());
        let mut groups: Vec<GroupData<'a>> = Vec::new();
        let mut group_index: HashMap<(&'a str, &'a str), u32> = HashMap::new();
        for (i, r) in w.rows.iter().enumerate() {
            let title = intern(r.title());
            bars.push((
                title,
                match r.lane {
                    Lane::Licensed => 0,
                    Lane::Cph => 1,
                    Lane::Other => 2,
                },
                secs(r.start),
                secs(r.end),
                r.sheet,
                r.row,
                intern(r.written.0.trim()),
                intern(r.written.1.trim()),
                intern(r.kind.trim()),
            ));
            for t in &r.territories {
                let g = *group_index.entry((r.title(), t)).or_insert_with(|| {
                    groups.push((title, t, Vec::new(), Vec::new()));
                    (groups.len() - 1) as u32
                });
                groups[g as usize].2.push(i as u32);
            }
        }
        // Worldwide (ZZ) licensed windows count in every territory of their
        // title that they do not exclude, as CPH005 compares them.
        let mut worldwide: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, r) in w.rows.iter().enumerate() {
            if r.lane == Lane::Licensed && r.territories.iter().any(|t| &**t == "ZZ") {
                worldwide.entry(r.title()).or_default().push(i as u32);
            }
        }
        let mut imported: HashSet<(u32, u32)> = HashSet::new();
        if !worldwide.is_empty() {
            for (g, group) in groups.iter_mut().enumerate() {
                if group.1 == "ZZ" {
                    continue;
                }
                let Some(zz) = worldwide.get(strings[group.0 as usize]) else {
                    continue;
                };
                for &b in zz {
                    let row = &w.rows[b as usize];
                    if !row.excluded.iter().any(|x| **x == *group.1) && !group.2.contains(&b) {
                        group.2.push(b);
                        imported.insert((g as u32, b));
                    }
                }
            }
        }
        let is_previous = |b: u32| w.sheets[w.rows[b as usize].sheet as usize].previous;
        for (g, group) in groups.iter_mut().enumerate() {
            // The previous delivery's windows of a scope (licensor, title,
            // territory, LicenseType) the checked files re-send are replaced
            // by them and relate to nothing; those of a scope not re-sent
            // stay at Amazon, and relate like the checked files' (CPH005
            // compares them).
            let scope = |b: u32| {
                let r = &w.rows[b as usize];
                (r.licensor.trim(), r.kind.trim())
            };
            let same = |a: (&str, &str), b: (&str, &str)| {
                a.0.eq_ignore_ascii_case(b.0) && a.1.eq_ignore_ascii_case(b.1)
            };
            let replaced = |b: u32| {
                is_previous(b)
                    && group
                        .2
                        .iter()
                        .any(|&c| !is_previous(c) && same(scope(c), scope(b)))
            };
            let current: Vec<usize> = (0..group.2.len())
                .filter(|&i| !replaced(group.2[i]))
                .collect();
            let local: Vec<Bar> = current
                .iter()
                .map(|&i| {
                    let b = group.2[i];
                    let r = &w.rows[b as usize];
                    Bar {
                        lane: r.lane,
                        // A worldwide window is another offer's (CPH006 keys
                        // on the territory as written).
                        offer: r.offer.filter(|_| !imported.contains(&(g as u32, b))),
                        start: r.start,
                        end: r.end,
                    }
                })
                .collect();
            group.3 = time::relations(&local)
                .into_iter()
                .map(|rel| match rel {
                    Relation::Overlap { a, b, from, to } => {
                        RelationData::Overlap(0, current[a], current[b], from.timestamp(), secs(to))
                    }
                    Relation::Gap {
                        licensed,
                        cph,
                        length,
                    } => RelationData::Gap(
                        1,
                        current[licensed],
                        current[cph],
                        time::human_duration(length),
                    ),
                    Relation::Handover { licensed, cph } => {
                        RelationData::Handover(2, current[licensed], current[cph])
                    }
                })
                .collect();
        }
        // The groups of the rows with a window finding.
        let wanted: HashSet<RowKey> = shown
            .iter()
            .filter(|d| WINDOW_CODES.contains(&d.code))
            .map(|d| row_key(d))
            .collect();
        let mut groups_of_row: HashMap<RowKey, Vec<u32>> = HashMap::new();
        if !wanted.is_empty() {
            for r in &w.rows {
                let s = &w.sheets[r.sheet as usize];
                let key = (s.file, s.sheet.as_deref(), r.row);
                if s.previous || !wanted.contains(&key) {
                    continue;
                }
                let mine = groups_of_row.entry(key).or_default();
                for t in &r.territories {
                    if let Some(&g) = group_index.get(&(r.title(), &**t))
                        && !mine.contains(&g)
                    {
                        mine.push(g);
                    }
                }
            }
        }
        // A finding against the previous delivery is about the scopes of
        // its row that the previous delivery has windows in.
        let with_previous = |g: &u32| groups[*g as usize].2.iter().any(|&b| is_previous(b));
        let groups_of = |d: &crate::model::Diagnostic| -> Vec<u32> {
            let all = groups_of_row.get(&row_key(d)).cloned().unwrap_or_default();
            if !DELIVERY_CODES.contains(&d.code) || !all.iter().any(with_previous) {
                return all;
            }
            all.into_iter().filter(with_previous).collect()
        };
        let mut involved: Vec<u32> = Vec::new();
        let of_finding: Vec<Vec<u32>> = shown
            .iter()
            .map(|d| {
                if !WINDOW_CODES.contains(&d.code) {
                    return Vec::new();
                }
                let mine = groups_of(d);
                for &g in &mine {
                    if !involved.contains(&g) {
                        involved.push(g);
                    }
                }
                mine
            })
            .collect();
        let sources = w
            .sheets
            .iter()
            .map(|s| {
                (
                    s.file,
                    s.sheet.as_deref(),
                    s.columns.0.as_deref(),
                    s.columns.1.as_deref(),
                    s.xml,
                    s.previous,
                )
            })
            .collect();
        (
            Timelines {
                codes: WINDOW_CODES,
                sources,
                strings,
                bars,
                groups,
                involved,
            },
            of_finding,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Diagnostic;

    #[test]
    fn script_json_cannot_close_the_script() {
        let json = serde_json::to_string("</script><!-- & \u{2028}").unwrap();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- & \u{2028}");
    }

    /// A report whose windows are a Licensed SVOD window open since 2025
    /// (sheet 0) and a CPH window from 2030 (sheet 1), both of one title in
    /// US; `previous` puts the licensed one in a `--previous` delivery.
    fn licensed_then_cph(previous: bool) -> Report {
        use crate::model::Location;
        use crate::{WindowRow, WindowSheet, Windows};
        let at = |s: &str| Some(s.parse::<chrono::DateTime<chrono::Utc>>().unwrap());
        let sheet = |file, previous| WindowSheet {
            file,
            sheet: Some("Movies".into()),
            columns: (Some("M".into()), Some("N".into())),
            xml: false,
            previous,
        };
        let row = |sheet, lane, offer, start: &str, end| WindowRow {
            sheet,
            row: 4,
            title: "md:alid:x".into(),
            territories: vec!["US".into()].into(),
            excluded: Box::default(),
            lane,
            kind: "SVOD".into(),
            licensor: "acme".into(),
            offer,
            start: at(start),
            end,
            written: (start.into(), "Open".into()),
        };
        let mut cur = Location::file("cur.xlsx");
        cur.sheet = Some("Movies".into());
        cur.row = Some(4);
        Report {
            windows: Windows {
                sheets: vec![sheet(1, previous), sheet(0, false)],
                rows: vec![
                    row(0, Lane::Licensed, None, "2025-01-01T00:00:00Z", None),
                    row(1, Lane::Cph, Some(0), "2030-01-01T00:00:00Z", None),
                ],
            },
            diagnostics: ["CPH005", "CPH018"]
                .into_iter()
                .map(|code| {
                    Diagnostic::new(code, Severity::Error, "m", cur.clone())
                        .with_order((0, 0, 4, 0))
                })
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn previous_windows_are_drawn_but_never_related() {
        // The same two windows: related when both are current...
        let report = licensed_then_cph(false);
        let shown: Vec<&Diagnostic> = report.diagnostics.iter().collect();
        let (t, _) = Timelines::of(&report, &shown);
        assert_eq!(t.groups.len(), 1);
        assert!(
            matches!(t.groups[0].3[..], [RelationData::Overlap(0, 0, 1, _, None)]),
            "the open licensed window overlaps the CPH window"
        );
        // ...and in one group, with no relation, when the licensed one is
        // the previous delivery's.
        let report = licensed_then_cph(true);
        let shown: Vec<&Diagnostic> = report.diagnostics.iter().collect();
        let (t, of_finding) = Timelines::of(&report, &shown);
        assert_eq!(t.groups.len(), 1);
        assert_eq!(t.groups[0].2, [0, 1], "both windows are drawn");
        assert!(
            t.groups[0].3.is_empty(),
            "a previous window relates to none"
        );
        assert!(t.sources[0].5 && !t.sources[1].5);
        // CPH018 on the current row gets the group with the previous window.
        assert_eq!(of_finding, [vec![0], vec![0]]);
        assert_eq!(t.involved, [0]);
    }

    /// A previous delivery's window of a scope the checked file does not
    /// re-send stays at Amazon: it relates (CPH005 compares it too).
    #[test]
    fn a_previous_window_of_a_scope_not_resent_relates() {
        let mut report = licensed_then_cph(true);
        // The previous Licensed SVOD window is another licensor's: its scope
        // is not re-sent.
        report.windows.rows[0].licensor = "acme-pictures".into();
        let shown: Vec<&Diagnostic> = report.diagnostics.iter().collect();
        let (t, _) = Timelines::of(&report, &shown);
        assert_eq!(t.groups.len(), 1);
        assert!(!t.groups[0].3.is_empty(), "the previous window relates");
    }

    /// Whatever the windows, a relation's bars are never a previous
    /// delivery's window that the checked files replace.
    #[test]
    fn no_relation_touches_a_previous_window() {
        let mut report = licensed_then_cph(true);
        let w = &mut report.windows;
        // Every lane, current and previous, open and bounded, overlapping.
        let lanes = [Lane::Licensed, Lane::Cph, Lane::Other];
        for (i, lane) in lanes.into_iter().cycle().take(12).enumerate() {
            let mut r = w.rows[i % 2].clone();
            r.sheet = (i % 2) as u32;
            r.lane = lane;
            r.offer = (i % 2 == 1).then_some(0);
            r.start = r.start.map(|s| s + chrono::Duration::days(30 * i as i64));
            r.end = (i % 3 == 0).then(|| r.start.unwrap() + chrono::Duration::days(400));
            w.rows.push(r);
        }
        let shown: Vec<&Diagnostic> = report.diagnostics.iter().collect();
        let (t, _) = Timelines::of(&report, &shown);
        let previous = |b: usize| t.sources[t.bars[b].4 as usize].5;
        let mut relations = 0;
        for (_, _, bars, rels) in &t.groups {
            for r in rels {
                let (a, b) = match *r {
                    RelationData::Overlap(_, a, b, ..)
                    | RelationData::Gap(_, a, b, _)
                    | RelationData::Handover(_, a, b) => (a, b),
                };
                relations += 1;
                assert!(!previous(bars[a] as usize) && !previous(bars[b] as usize));
            }
        }
        assert!(relations > 0, "the current windows relate to each other");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b a="1" c='2'>&"#),
            "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;"
        );
    }
}

//! Human output: one miette report per diagnostic (file, `Sheet!Cell`, the
//! row with the bad cell underlined, the message and a `help:` line), then a
//! summary per file and per rule.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::RenderOptions;
use crate::model::{Diagnostic, RowExcerpt, Severity, SourceText};
use crate::rules;
use crate::{Report, Role};

/// Cells shown either side of the bad one.
const CONTEXT_CELLS: usize = 3;
/// Longest value shown in a row excerpt.
const MAX_VALUE_CHARS: usize = 40;

/// One spreadsheet row rendered as a single line, numbered as its real row.
struct RowSource {
    name: String,
    text: String,
    row: usize,
}

impl SourceCode for RowSource {
    fn read_span<'a>(
        &'a self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.row.saturating_sub(1),
            0,
            1,
        )))
    }
}

/// An XML file under one of its findings. miette finds a span's lines by
/// scanning its source from the start, which made a report of a large file
/// quadratic; it is given only the lines around the span instead, numbered
/// from the line index of the text the reader decoded.
struct XmlSource {
    name: String,
    /// The file's text and line index, shared by its findings.
    file: Arc<SourceText>,
}

impl SourceCode for XmlSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.file;
        let text = file.text();
        let bytes = text.as_bytes();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        // Where the line holding `p` starts, and just past its end (its `\n`
        // included), from the index.
        let line_start = |p: usize| file.line_start(file.line_of(p));
        let line_end = |p: usize| file.line_end(file.line_of(p));
        let mut lo = line_start(start);
        for _ in 0..before {
            if lo == 0 {
                break;
            }
            lo = line_start(lo - 1);
        }
        let mut hi = line_end(end);
        for _ in 0..after {
            if hi >= bytes.len() {
                break;
            }
            hi = line_end(hi);
        }
        let window = &text[lo..hi];
        let inner = window.read_span(
            &SourceSpan::new((start - lo).into(), span.len()),
            before,
            after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            (inner.span().offset() + lo, inner.span().len()).into(),
            inner.line() + file.line_of(lo),
            inner.column(),
            inner.line_count(),
        )))
    }
}

enum Source {
    Row(RowSource),
    Xml(XmlSource),
}

struct Human<'a> {
    d: &'a Diagnostic,
    source: Option<Source>,
    label: Option<(usize, usize)>,
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.d.location;
        let field = loc
            .field
            .as_deref()
            .map(|f| format!(" [{f}]"))
            .unwrap_or_default();
        write!(f, "{}{field}: {}", loc.display(), self.d.message)
    }
}

impl std::error::Error for Human<'_> {}

impl miette::Diagnostic for Human<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.d.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut text = self.d.help.clone()?;
        for r in &self.d.related {
            text.push_str(&format!("\n{}: {}", r.message, r.location.display()));
        }
        Some(Box::new(text))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self.source.as_ref()? {
            Source::Row(r) => Some(r),
            Source::Xml(x) => Some(x),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, len) = self.label?;
        let label = self
            .d
            .location
            .field
            .clone()
            .unwrap_or_else(|| "here".into());
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            start,
            len,
        ))))
    }
}

/// Renders the row around the focus column; returns the text and the focus span.
fn row_line(excerpt: &RowExcerpt, focus: Option<&str>) -> (String, Option<(usize, usize)>) {
    let cells = &excerpt.cells;
    let at = focus.and_then(|f| cells.iter().position(|(letter, _, _)| letter == f));
    let (from, to) = match at {
        Some(i) => (
            i.saturating_sub(CONTEXT_CELLS),
            (i + CONTEXT_CELLS + 1).min(cells.len()),
        ),
        None => (0, cells.len().min(2 * CONTEXT_CELLS + 1)),
    };
    let mut text = String::new();
    let mut span = None;
    if from > 0 {
        text.push_str("… │ ");
    }
    for (i, (letter, field, value)) in cells.iter().enumerate().take(to).skip(from) {
        if i > from {
            text.push_str(" │ ");
        }
        let mut v: String = value.replace(['\n', '\r', '\t'], " ");
        if v.chars().count() > MAX_VALUE_CHARS {
            v = v.chars().take(MAX_VALUE_CHARS - 1).collect::<String>() + "…";
        }
        text.push_str(&format!("{letter} {field}: "));
        let start = text.len();
        text.push_str(&v);
        if Some(i) == at {
            span = Some((start, v.len().max(1)));
        }
    }
    if to < cells.len() {
        text.push_str(" │ …");
    }
    (text, span)
}

/// Longest XML line shown under a finding. A longer one (a whole document
/// saved on one line) is unreadable, and miette cannot pad past 65,535
/// columns; the header still names the line and column.
const MAX_SOURCE_LINE: usize = 2_000;

/// True when the line of `text` holding byte `at` is longer than `max`
/// bytes; looks at most `max + 1` bytes either way, so a document on one
/// line is not scanned whole for every finding.
fn line_longer_than(text: &str, at: usize, max: usize) -> bool {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let lo = at.saturating_sub(max + 1);
    let start = match bytes[lo..at].iter().rposition(|&b| b == b'\n') {
        Some(i) => lo + i + 1,
        None if lo > 0 => return true,
        None => 0,
    };
    let hi = (start + max + 1).min(bytes.len());
    !bytes[at..hi].contains(&b'\n') && hi - start > max
}

fn build<'a>(d: &'a Diagnostic, sources: &HashMap<&str, &Arc<SourceText>>) -> Human<'a> {
    let loc = &d.location;
    if let (Some((start, end)), Some(_)) = (loc.span, loc.line)
        && let Some(&file) = sources.get(loc.file.as_str())
    {
        let text = file.text();
        if end <= text.len()
            && text.is_char_boundary(start)
            && !line_longer_than(text, start, MAX_SOURCE_LINE)
        {
            return Human {
                d,
                source: Some(Source::Xml(XmlSource {
                    name: loc.file.clone(),
                    file: Arc::clone(file),
                })),
                label: Some((start, end.saturating_sub(start).max(1))),
            };
        }
    }
    if let (Some(excerpt), Some(row)) = (&d.excerpt, loc.row) {
        let (text, span) = row_line(excerpt, loc.column.as_deref());
        if !text.is_empty() {
            let name = match loc.short() {
                Some(s) => format!("{}:{s}", loc.file),
                None => loc.file.clone(),
            };
            return Human {
                d,
                source: Some(Source::Row(RowSource {
                    name,
                    text,
                    row: row as usize,
                })),
                label: span,
            };
        }
    }
    Human {
        d,
        source: None,
        label: None,
    }
}

/// Writes every diagnostic (at most `--max-diagnostics`) and the summary.
/// With `--quiet`, only unreadable files and the last summary line, and
/// nothing at all when the run passes.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    if opts.quiet {
        return quiet(report, opts, out);
    }
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(120);
    // The text each file was read from (the first of a path given twice).
    let mut sources = HashMap::new();
    for f in &report.files {
        if let Some(text) = &f.source {
            sources.entry(f.path.as_str()).or_insert(text);
        }
    }
    for f in report.files.iter().filter(|f| f.error.is_some()) {
        writeln!(
            out,
            "error[read]: {}\n",
            f.error.as_deref().unwrap_or_default()
        )?;
    }
    let (shown, hidden) = opts.shown(report);
    for d in shown {
        let h = build(d, &sources);
        let mut s = String::new();
        if handler.render_report(&mut s, &h).is_err() {
            s = format!("{}[{}]: {h}\n", d.severity.as_str(), d.code);
        }
        writeln!(out, "{s}")?;
    }
    if hidden > 0 {
        writeln!(
            out,
            "… {hidden} more diagnostic{} not shown (--max-diagnostics {}); use --format json for all\n",
            plural(hidden),
            shown.len()
        )?;
    }
    summary(report, opts, out)
}

/// `--quiet`: unreadable files and the totals line, only when the run fails.
fn quiet(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let unreadable = report.has_unreadable();
    if !unreadable && !opts.run_fails(report) {
        return Ok(());
    }
    for f in report.files.iter().filter_map(|f| f.error.as_deref()) {
        writeln!(out, "error[read]: {f}")?;
    }
    totals(report, out)
}

/// The per-file headlines, the table by rule and the totals line (what
/// `--output` prints to stderr).
pub fn summary(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    if opts.quiet {
        return quiet(report, opts, out);
    }
    writeln!(out, "Summary ({} profile)", opts.profile)?;
    for f in &report.files {
        if f.role != Role::Checked {
            let status = if f.error.is_some() {
                "UNREADABLE"
            } else {
                "read"
            };
            writeln!(
                out,
                "  {}: {}, {status}, {} rows",
                f.path,
                if f.role == Role::Licensed {
                    "licensed windows reference"
                } else {
                    "previous delivery"
                },
                f.rows
            )?;
            continue;
        }
        if f.error.is_some() {
            writeln!(out, "  {}: UNREADABLE", f.path)?;
            continue;
        }
        let verdict = if f.errors > 0 { "INVALID" } else { "VALID" };
        writeln!(
            out,
            "  {}: {verdict} — {} error{}, {} warning{} in {} row{} ({:.2} s) [{} {}{}]",
            f.path,
            f.errors,
            plural(f.errors),
            f.warnings,
            plural(f.warnings),
            f.rows,
            plural(f.rows),
            f.elapsed.as_secs_f64(),
            f.kind.unwrap_or("?"),
            f.template_version
                .as_deref()
                .map(|v| format!("template {v}"))
                .unwrap_or_default(),
            if f.sheets.is_empty() {
                String::new()
            } else {
                format!("; sheets {}", f.sheets.join(", "))
            },
        )?;
    }
    let mut by_rule: BTreeMap<&str, (Severity, usize, &Diagnostic)> = BTreeMap::new();
    for d in &report.diagnostics {
        let e = by_rule.entry(d.code).or_insert((d.severity, 0, d));
        e.0 = e.0.max(d.severity);
        e.1 += 1;
    }
    if !by_rule.is_empty() {
        writeln!(
            out,
            "\n  {:<8} {:<8} {:>6}  {:<40} title",
            "code", "severity", "count", "first location"
        )?;
        for (code, (sev, n, first)) in &by_rule {
            let title = rules::find(code).map_or("", |m| m.title);
            writeln!(
                out,
                "  {code:<8} {:<8} {n:>6}  {:<40} {title}",
                sev.as_str(),
                first.location.display()
            )?;
        }
    }
    if let Some(n) = report.licensed_compared {
        writeln!(out, "Licensed SVOD windows compared with CPH windows: {n}")?;
    }
    if let Some(n) = report.exempt_windows {
        writeln!(
            out,
            "CPH windows the previous delivery has (a past Start is fine): {n}"
        )?;
    }
    writeln!(out)?;
    totals(report, out)
}

/// `Checked N files, R rows in T s: E errors, W warnings, I infos.`
fn totals(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let checked = report
        .files
        .iter()
        .filter(|f| f.role == Role::Checked)
        .count();
    writeln!(
        out,
        "Checked {checked} file{}, {} row{} in {:.2} s: {e} error{}, {w} warning{}, {i} info{}.",
        plural(checked),
        report.rows(),
        plural(report.rows()),
        report.elapsed.as_secs_f64(),
        plural(e),
        plural(w),
        plural(i)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::line_longer_than;

    #[test]
    fn long_lines_are_found_without_reading_them_whole() {
        let text = "ab\ncdef\ng";
        assert!(!line_longer_than(text, 0, 2));
        assert!(line_longer_than(text, 4, 3));
        assert!(!line_longer_than(text, 4, 4));
        assert!(!line_longer_than(text, 8, 1));
        let one_line = "x".repeat(10_000);
        assert!(line_longer_than(&one_line, 9_000, 2_000));
        assert!(line_longer_than(&one_line, 10, 2_000));
    }
}

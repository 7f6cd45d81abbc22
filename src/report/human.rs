//! Human output: one miette report per finding (file, `Sheet!Cell`, the
//! row with the bad cell underlined, the message and a `help:` line), the
//! most severe first, then a summary per file and per rule.
//!
//! Every line fits [`RenderOptions::width`]: messages wrap at spaces and
//! after the `/` of a path (a word is cut only when it is longer than a
//! whole line), and the row or XML line under a finding is cut around the
//! bad value so that its underline sits right under it. Without
//! [`RenderOptions::unicode`] only ASCII is drawn.
//!
//! **The same finding** on many rows is reported once with the number of
//! rows and its first cells (`on 1,240 rows: Movies!L8, L9, L12, L15, L20 …
//! and 1,235 more`). Two findings are the same when they are in the same
//! file and sheet and have the same code, field, message and help, and
//! neither points at another place (a finding with related locations is
//! about a pair of rows and is shown on its own). Messages quote the value
//! but never the cell, so one bad value repeated down a column is one
//! finding, while two different bad values are two.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Write;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents, ThemeCharacters, ThemeStyles,
};
use owo_colors::{OwoColorize, Style};
use textwrap::core::{Word, display_width};

use super::{Hidden, RenderOptions, most_severe};
use crate::model::{Diagnostic, RowExcerpt, Severity, SourceText};
use crate::rules;
use crate::{Report, Role};

/// Cells shown at most either side of the bad one.
const CONTEXT_CELLS: usize = 3;
/// Longest value shown in a row excerpt.
const MAX_VALUE_CHARS: usize = 40;
/// Narrowest layout: a narrower terminal still gets 40 columns.
pub const MIN_WIDTH: usize = 40;
/// Cells listed for a grouped finding before `… and N more`.
const GROUP_CELLS: usize = 5;

/// How the output is drawn: glyphs, colours and width.
struct Look {
    width: usize,
    unicode: bool,
    color: bool,
    styles: ThemeStyles,
}

impl Look {
    fn new(opts: &RenderOptions) -> Look {
        Look {
            width: opts.width.max(MIN_WIDTH),
            unicode: opts.unicode,
            color: opts.color,
            styles: if opts.color {
                ThemeStyles::ansi()
            } else {
                ThemeStyles::none()
            },
        }
    }

    fn theme(&self) -> GraphicalTheme {
        GraphicalTheme {
            characters: if self.unicode {
                ThemeCharacters::unicode()
            } else {
                ThemeCharacters::ascii()
            },
            styles: self.styles.clone(),
        }
    }

    fn ellipsis(&self) -> &'static str {
        if self.unicode { "…" } else { "..." }
    }

    /// Between two cells of a row excerpt.
    fn separator(&self) -> &'static str {
        if self.unicode { " │ " } else { " | " }
    }

    fn dash(&self) -> &'static str {
        if self.unicode { "—" } else { "-" }
    }

    /// The style of VALID (`true`) or INVALID.
    fn verdict(&self, valid: bool) -> Style {
        match (self.color, valid) {
            (false, _) => Style::new(),
            (true, true) => Style::new().green().bold(),
            (true, false) => self.styles.error.bold(),
        }
    }

    fn severity_style(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.styles.error,
            Severity::Warning => self.styles.warning,
            Severity::Info => self.styles.advice,
        }
    }

    /// `text` wrapped to the width: `first` before the first line, `rest`
    /// before the others.
    fn wrap(&self, text: &str, first: &str, rest: &str) -> String {
        textwrap::fill(text, self.wrap_options(self.width, first, rest))
    }

    fn wrap_options<'a>(
        &self,
        width: usize,
        first: &'a str,
        rest: &'a str,
    ) -> textwrap::Options<'a> {
        textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::Custom(words))
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true)
    }

    /// The miette handler for one finding.
    fn handler(&self) -> GraphicalReportHandler {
        GraphicalReportHandler::new_themed(self.theme())
            .with_links(false)
            .with_width(self.width)
            .without_primary_span_start()
            .with_word_separator(textwrap::WordSeparator::Custom(words))
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_break_words(true)
    }
}

/// Splits a line into the pieces it may break between: after spaces, and
/// after the `/` or `\` of a path. A date (`2027-01-01T00:00:00Z`) or a
/// hyphenated name is one piece.
fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut rest = line;
    Box::new(std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let b = rest.as_bytes();
        let mut end = 0;
        while end < b.len() && b[end] != b' ' {
            end += 1;
            if matches!(b[end - 1], b'/' | b'\\') && end < b.len() && b[end] != b' ' {
                break;
            }
        }
        while end < b.len() && b[end] == b' ' {
            end += 1;
        }
        // Split at ASCII bytes only, so at char boundaries.
        let (piece, r) = rest.split_at(end);
        rest = r;
        Some(Word::from(piece))
    }))
}

/// A few lines cut to fit the width, numbered as in the file: a
/// spreadsheet row as one line, or the XML lines around a finding.
struct Snippet {
    name: String,
    text: String,
    /// 0-based number of the first line.
    first_line: usize,
}

impl SourceCode for Snippet {
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
            self.first_line,
            0,
            self.text.lines().count().max(1),
        )))
    }
}

/// One report: a finding, and the other rows of the same finding.
struct Human<'a> {
    d: &'a Diagnostic,
    /// `on 3 rows: Movies!L8, L9, L12`, for a group.
    rows: Option<String>,
    source: Option<Snippet>,
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
        write!(f, "{}{field}: {}", loc.display(), self.d.message)?;
        if let Some(rows) = &self.rows {
            write!(f, "\n{rows}")?;
        }
        Ok(())
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
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // No label text: the field is named in the header and in the cell,
        // and a label could run past the width.
        let (start, len) = self.label?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            None, start, len,
        ))))
    }
}

/// Columns miette puts before a source line numbered `line` (1-based):
/// ` 12 │ `.
fn gutter(line: usize) -> usize {
    line.to_string().len() + 4
}

/// `value` cut to `max` columns, ending in `ellipsis` when cut.
fn cut(value: &str, max: usize, ellipsis: &str) -> String {
    if display_width(value) <= max {
        return value.to_string();
    }
    let room = max.saturating_sub(display_width(ellipsis));
    let mut out = String::new();
    for c in value.chars() {
        if display_width(&out) + display_width(c.encode_utf8(&mut [0; 4])) > room {
            break;
        }
        out.push(c);
    }
    out.push_str(ellipsis);
    out
}

/// The row around the focus column as one line of at most `room` columns:
/// the focus cell and as many neighbours as fit (at most
/// [`CONTEXT_CELLS`] each side). Gives the text and the focus value's span.
fn row_line(
    excerpt: &RowExcerpt,
    focus: Option<&str>,
    room: usize,
    look: &Look,
) -> (String, Option<(usize, usize)>) {
    let cells = &excerpt.cells;
    if cells.is_empty() {
        return (String::new(), None);
    }
    let at = focus.and_then(|f| cells.iter().position(|(letter, _, _)| letter == f));
    let (sep, ell) = (look.separator(), look.ellipsis());
    let clean = |v: &str| cut(&v.replace(['\n', '\r', '\t'], " "), MAX_VALUE_CHARS, ell);
    let mut values: Vec<String> = cells.iter().map(|(_, _, v)| clean(v)).collect();
    let labels: Vec<String> = cells.iter().map(|(l, f, _)| format!("{l} {f}: ")).collect();
    let left = format!("{ell}{sep}").trim_start().to_string();
    let right = format!("{sep}{ell}").trim_end().to_string();
    let width = |from: usize, to: usize, values: &[String], labels: &[String]| {
        let cells: usize = (from..=to)
            .map(|i| display_width(&labels[i]) + display_width(&values[i]))
            .sum();
        cells
            + (to - from) * display_width(sep)
            + if from > 0 { display_width(&left) } else { 0 }
            + if to + 1 < values.len() {
                display_width(&right)
            } else {
                0
            }
    };
    let f = at.unwrap_or(0);
    let mut labels = labels;
    // The focus cell alone must fit: shorten its value, then drop its field name.
    if width(f, f, &values, &labels) > room {
        labels[f] = format!("{}: ", cells[f].0);
        let other = width(f, f, &values, &labels) - display_width(&values[f]);
        values[f] = cut(&values[f], room.saturating_sub(other).max(1), ell);
    }
    let (mut from, mut to) = (f, f);
    loop {
        let mut grew = false;
        if to + 1 < cells.len()
            && to < f + CONTEXT_CELLS
            && width(from, to + 1, &values, &labels) <= room
        {
            to += 1;
            grew = true;
        }
        if from > 0 && from + CONTEXT_CELLS > f && width(from - 1, to, &values, &labels) <= room {
            from -= 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let mut text = String::new();
    let mut span = None;
    if from > 0 {
        text.push_str(&left);
    }
    for i in from..=to {
        if i > from {
            text.push_str(sep);
        }
        text.push_str(&labels[i]);
        let start = text.len();
        text.push_str(&values[i]);
        if Some(i) == at {
            span = Some((start, values[i].len().max(1)));
        }
    }
    if to + 1 < cells.len() {
        text.push_str(&right);
    }
    (text, span)
}

/// Longest XML line shown under a finding. A longer one (a whole document
/// saved on one line) is not scanned for every finding; the header still
/// names the line and column.
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

/// The XML lines around byte span `[start, end)` (one before, one after),
/// each cut to the same columns so that the span shows within `room`
/// columns. Gives the text, the 0-based number of its first line, and the
/// span within the text (cut to the end of its first line).
fn xml_lines(
    file: &SourceText,
    (start, end): (usize, usize),
    room: usize,
    look: &Look,
) -> (String, usize, (usize, usize)) {
    let text = file.text();
    let line = file.line_of(start);
    let last = file.line_of(text.len());
    // The lines either side, unless one is too long to show (the finding's
    // own line is short enough: see `build`).
    let short = |k: usize| file.line_end(k) - file.line_start(k) <= MAX_SOURCE_LINE;
    let first = if line > 0 && short(line - 1) {
        line - 1
    } else {
        line
    };
    let after = if line < last && short(line + 1) {
        line + 1
    } else {
        line
    };
    let line_text = |k: usize| {
        let s = &text[file.line_start(k)..file.line_end(k)];
        s.trim_end_matches(['\n', '\r'])
    };
    let here = line_text(line);
    let here_start = file.line_start(line);
    let col = display_width(&here[..start - here_start]);
    let span_end = end.min(here_start + here.len()).max(start);
    let span_width = display_width(&text[start..span_end]).max(1);
    let ell = look.ellipsis();
    let longest = (first..=after)
        .map(|k| display_width(line_text(k)))
        .max()
        .unwrap_or(0);
    // Columns [lo, lo + visible) of each line are shown.
    let (lo, visible) = if longest <= room {
        (0, room)
    } else {
        let visible = room.saturating_sub(2 * display_width(ell)).max(1);
        let shown = span_width.min(visible);
        if col + shown <= visible || col <= visible / 3 {
            (0, visible)
        } else {
            let before = visible.saturating_sub(shown) / 3;
            (col.saturating_sub(before), visible)
        }
    };
    let mut out = String::new();
    let mut span = (0, 1);
    for k in first..=after {
        let full = line_text(k).replace('\t', " ");
        let mut shown = String::new();
        let mut x = 0;
        let mut skipped = false;
        let mut more = false;
        let mut span_at = None;
        for (i, c) in full.char_indices() {
            let w = display_width(c.encode_utf8(&mut [0; 4]));
            if x < lo {
                x += w;
                skipped = true;
                continue;
            }
            if x + w > lo + visible {
                more = true;
                break;
            }
            if k == line && here_start + i == start {
                span_at = Some(shown.len());
            }
            shown.push(c);
            x += w;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let prefix = if skipped && lo > 0 { ell } else { "" };
        out.push_str(prefix);
        if let Some(at) = span_at {
            let len = text[start..span_end].len().min(shown.len() - at).max(1);
            span = (out.len() + at, len);
        } else if k == line {
            span = (out.len(), 1);
        }
        out.push_str(&shown);
        if more {
            out.push_str(ell);
        }
    }
    (out, first, span)
}

/// The report of `d` (with `rows` for a group), its source cut to fit.
fn build<'a>(
    d: &'a Diagnostic,
    rows: Option<String>,
    sources: &HashMap<&str, &Arc<SourceText>>,
    look: &Look,
) -> Human<'a> {
    let loc = &d.location;
    let name = cut(
        &loc.short().unwrap_or_default(),
        look.width.saturating_sub(12),
        look.ellipsis(),
    );
    if let (Some((start, end)), Some(line)) = (loc.span, loc.line)
        && let Some(&file) = sources.get(loc.file.as_str())
    {
        let text = file.text();
        if end <= text.len()
            && start <= end
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
            && !line_longer_than(text, start, MAX_SOURCE_LINE)
        {
            let room = look.width.saturating_sub(gutter(line as usize + 1));
            let (snippet, first_line, span) = xml_lines(file, (start, end), room, look);
            return Human {
                d,
                rows,
                source: Some(Snippet {
                    name,
                    text: snippet,
                    first_line,
                }),
                label: Some(span),
            };
        }
    }
    if let (Some(excerpt), Some(row)) = (&d.excerpt, loc.row) {
        let room = look.width.saturating_sub(gutter(row as usize));
        let (text, span) = row_line(excerpt, loc.column.as_deref(), room, look);
        if !text.is_empty() {
            return Human {
                d,
                rows,
                source: Some(Snippet {
                    name,
                    text,
                    first_line: (row as usize).saturating_sub(1),
                }),
                label: span,
            };
        }
    }
    Human {
        d,
        rows,
        source: None,
        label: None,
    }
}

/// What makes two findings the same (see the module documentation).
type SameKey<'a> = (
    usize,
    Option<&'a str>,
    &'static str,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
);

fn same_key(d: &Diagnostic) -> Option<SameKey<'_>> {
    d.related.is_empty().then_some((
        d.order.0,
        d.location.sheet.as_deref(),
        d.code,
        d.location.field.as_deref(),
        d.message.as_str(),
        d.help.as_deref(),
    ))
}

/// The findings as reports: each a finding and the others that are the
/// same (with `group`), in report order.
fn grouped(diagnostics: &[Diagnostic], group: bool) -> Vec<Vec<&Diagnostic>> {
    let mut out: Vec<Vec<&Diagnostic>> = Vec::new();
    let mut index: HashMap<SameKey<'_>, usize> = HashMap::new();
    for d in diagnostics {
        match same_key(d).filter(|_| group) {
            Some(key) => {
                let i = *index.entry(key).or_insert_with(|| {
                    out.push(Vec::new());
                    out.len() - 1
                });
                out[i].push(d);
            }
            None => out.push(vec![d]),
        }
    }
    out
}

/// `on 1,240 rows: Movies!L8, L9, L12, L15, L20 … and 1,235 more`.
fn rows_line(group: &[&Diagnostic], look: &Look) -> String {
    let mut places = Vec::new();
    let mut sheet: Option<&str> = None;
    for d in group.iter().take(GROUP_CELLS) {
        let loc = &d.location;
        let place = match (&loc.sheet, &loc.cell) {
            (Some(s), Some(c)) if sheet == Some(s.as_str()) => c.clone(),
            _ => loc.short().unwrap_or_else(|| loc.file.clone()),
        };
        sheet = loc.sheet.as_deref();
        places.push(place);
    }
    let mut line = format!("on {} rows: {}", thousands(group.len()), places.join(", "));
    if group.len() > GROUP_CELLS {
        line.push_str(&format!(
            " {} and {} more",
            look.ellipsis(),
            thousands(group.len() - GROUP_CELLS)
        ));
    }
    line
}

/// `1237` → `1,237`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes the findings, the most severe first (at most
/// `--max-diagnostics` reports, a group counting once), and the summary.
/// With `--quiet`, only unreadable files and the last summary line, and
/// nothing at all when the run passes.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    if opts.quiet {
        return quiet(report, opts, out);
    }
    let look = Look::new(&opts);
    let handler = look.handler();
    // The text each file was read from (the first of a path given twice).
    let mut sources = HashMap::new();
    for f in &report.files {
        if let Some(text) = &f.source {
            sources.entry(f.path.as_str()).or_insert(text);
        }
    }
    for f in report.files.iter().filter_map(|f| f.error.as_deref()) {
        let head = format!("{}: ", "error[read]".style(look.styles.error));
        writeln!(out, "{}\n", look.wrap(f, &head, "  "))?;
    }
    let mut reports = grouped(&report.diagnostics, opts.group);
    // Most severe first; each severity in report order.
    reports.sort_by_key(|g| std::cmp::Reverse(g[0].severity));
    let (kept, hidden) = most_severe(&reports, |g| g[0].severity, Vec::len, opts.max_diagnostics);
    for &i in &kept {
        let group = &reports[i];
        let rows = (group.len() > 1).then(|| rows_line(group, &look));
        let h = build(group[0], rows, &sources, &look);
        let mut s = String::new();
        if handler.render_report(&mut s, &h).is_err() {
            s = look.wrap(
                &format!("{}[{}]: {h}", group[0].severity.as_str(), group[0].code),
                "",
                "  ",
            );
        }
        writeln!(out, "{s}")?;
    }
    if hidden != Hidden::default() {
        let sentence = hidden.sentence(kept.len(), look.ellipsis());
        writeln!(out, "{}\n", look.wrap(&sentence, "", "  "))?;
    }
    summary(report, opts, out)
}

/// `--quiet`: unreadable files and the totals line, only when the run fails.
fn quiet(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let unreadable = report.has_unreadable();
    if !unreadable && !opts.run_fails(report) {
        return Ok(());
    }
    let look = Look::new(&opts);
    for f in report.files.iter().filter_map(|f| f.error.as_deref()) {
        writeln!(out, "{}", look.wrap(&format!("error[read]: {f}"), "", "  "))?;
    }
    totals(report, &look, out)
}

/// The per-file headlines, the table by rule and the totals line (what
/// `--output` prints to stderr).
pub fn summary(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    if opts.quiet {
        return quiet(report, opts, out);
    }
    let look = Look::new(&opts);
    writeln!(out, "Summary ({} profile)", opts.profile)?;
    for f in &report.files {
        let line = if f.role != Role::Checked {
            let status = if f.error.is_some() {
                "UNREADABLE".style(look.styles.error).to_string()
            } else {
                "read".to_string()
            };
            format!(
                "{}: {}, {status}, {} rows",
                f.path,
                if f.role == Role::Licensed {
                    "licensed windows reference"
                } else {
                    "previous delivery"
                },
                f.rows
            )
        } else if f.error.is_some() {
            format!("{}: {}", f.path, "UNREADABLE".style(look.styles.error))
        } else {
            let valid = f.errors == 0;
            let verdict = if valid { "VALID" } else { "INVALID" };
            let verdict = verdict.style(look.verdict(valid)).to_string();
            format!(
                "{}: {verdict} {} {} error{}, {} warning{} in {} row{} ({:.2} s) [{} {}{}]",
                f.path,
                look.dash(),
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
            )
        };
        writeln!(out, "{}", look.wrap(&line, "  ", "    "))?;
    }
    rule_table(report, &look, out)?;
    if let Some(n) = report.licensed_compared {
        let line = format!("Licensed SVOD windows compared with CPH windows: {n}");
        writeln!(out, "{}", look.wrap(&line, "", "  "))?;
    }
    if let Some(n) = report.exempt_windows {
        let line = format!("CPH windows the previous delivery has (a past Start is fine): {n}");
        writeln!(out, "{}", look.wrap(&line, "", "  "))?;
    }
    writeln!(out)?;
    totals(report, &look, out)
}

/// The table by rule and severity fired: code, severity, count, first
/// location, title; columns aligned, the last two wrapped to fit.
fn rule_table(report: &Report, look: &Look, out: &mut dyn Write) -> std::io::Result<()> {
    // Keyed by the severity each finding fired with, not the rule's default.
    let mut by_rule: BTreeMap<(&str, std::cmp::Reverse<Severity>), (usize, &Diagnostic)> =
        BTreeMap::new();
    for d in &report.diagnostics {
        by_rule
            .entry((d.code, std::cmp::Reverse(d.severity)))
            .or_insert((0, d))
            .0 += 1;
    }
    if by_rule.is_empty() {
        return Ok(());
    }
    let one_file = report.files.len() == 1;
    let head = ["code", "severity", "count", "first location", "title"].map(String::from);
    let rows: Vec<(Severity, [String; 5])> = by_rule
        .iter()
        .map(|((code, sev), (n, first))| {
            let loc = &first.location;
            let place = match loc.short() {
                Some(s) if one_file => s,
                _ => loc.display(),
            };
            let title = rules::find(code).map_or("", |m| m.title).to_string();
            (
                sev.0,
                [
                    code.to_string(),
                    sev.0.as_str().to_string(),
                    thousands(*n),
                    place,
                    title,
                ],
            )
        })
        .collect();
    let natural: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .map(|(_, r)| display_width(&r[c]))
                .chain([display_width(&head[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    const INDENT: usize = 2;
    const GAP: usize = 2;
    let fixed = INDENT + natural[0] + natural[1] + natural[2] + 4 * GAP;
    let room = look.width.saturating_sub(fixed).max(2);
    let (place_w, title_w) = if natural[3] + natural[4] <= room {
        (natural[3], natural[4])
    } else {
        let place = natural[3].min((room / 2).max(room.saturating_sub(natural[4])));
        (place.max(1), room.saturating_sub(place).max(1))
    };
    let widths = [natural[0], natural[1], natural[2], place_w, title_w];
    writeln!(out)?;
    let mut line = |cols: &[String; 5], severity: Option<Severity>| -> std::io::Result<()> {
        let place = textwrap::wrap(&cols[3], look.wrap_options(place_w, "", ""));
        let title = textwrap::wrap(&cols[4], look.wrap_options(title_w, "", ""));
        for k in 0..place.len().max(title.len()).max(1) {
            let mut text = " ".repeat(INDENT);
            for (c, width) in widths.iter().enumerate() {
                let cell = match (c, k) {
                    (0..=2, 0) => cols[c].clone(),
                    (0..=2, _) => String::new(),
                    (3, _) => place.get(k).map(|s| s.to_string()).unwrap_or_default(),
                    _ => title.get(k).map(|s| s.to_string()).unwrap_or_default(),
                };
                let pad = width.saturating_sub(display_width(&cell));
                let cell = match (c, severity) {
                    (1, Some(s)) if k == 0 => cell.style(look.severity_style(s)).to_string(),
                    _ => cell,
                };
                if c == 2 {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(&cell);
                } else if c == 4 {
                    text.push_str(&cell);
                } else {
                    text.push_str(&cell);
                    text.push_str(&" ".repeat(pad));
                }
                if c < 4 {
                    text.push_str(&" ".repeat(GAP));
                }
            }
            writeln!(out, "{}", text.trim_end())?;
        }
        Ok(())
    };
    line(&head, None)?;
    for (severity, cols) in &rows {
        line(cols, Some(*severity))?;
    }
    Ok(())
}

/// `Checked N files, R rows in T s: E errors, W warnings, I infos.` (and
/// how many inputs could not be read). Counts the checked files read.
fn totals(report: &Report, look: &Look, out: &mut dyn Write) -> std::io::Result<()> {
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let checked = report
        .files
        .iter()
        .filter(|f| f.role == Role::Checked && f.error.is_none())
        .count();
    let unreadable = report.files.iter().filter(|f| f.error.is_some()).count();
    let mut line = format!(
        "Checked {checked} file{}, {} row{} in {:.2} s: {e} error{}, {w} warning{}, {i} info{}.",
        plural(checked),
        report.rows(),
        plural(report.rows()),
        report.elapsed.as_secs_f64(),
        plural(e),
        plural(w),
        plural(i)
    );
    if unreadable > 0 {
        line.push_str(&format!(
            " {unreadable} input{} could not be read.",
            plural(unreadable)
        ));
    }
    writeln!(out, "{}", look.wrap(&line, "", "  "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn look(width: usize, unicode: bool) -> Look {
        Look::new(&RenderOptions {
            width,
            unicode,
            ..RenderOptions::default()
        })
    }

    #[test]
    fn paths_and_dates_break_at_separators_only() {
        let look = look(40, true);
        let text = "/work/deliveries/2027/EMA_Avails_Movies-TV_template.xlsx:Movies!M4 \
                    starts 2027-01-01T00:00:00Z";
        let wrapped = look.wrap(text, "", "");
        for line in wrapped.lines() {
            assert!(display_width(line) <= 40, "{line:?}");
        }
        // A line ends at a `/` or a space, never inside a name or a date.
        assert!(wrapped.contains("2027-01-01T00:00:00Z"), "{wrapped}");
        assert!(
            wrapped.contains("EMA_Avails_Movies-TV_template.xlsx"),
            "{wrapped}"
        );
        for line in wrapped.lines().take(wrapped.lines().count() - 1) {
            assert!(line.ends_with('/') || !line.contains('/'), "{wrapped}");
        }
        // A word longer than a line is cut, as a last resort.
        let long = "x".repeat(100);
        assert!(look.wrap(&long, "", "").lines().all(|l| l.len() <= 40));
    }

    #[test]
    fn row_excerpts_fit_and_keep_the_bad_cell() {
        let excerpt = RowExcerpt {
            cells: (0..20)
                .map(|i| {
                    let letter = crate::model::location::column_letter(i);
                    (letter, format!("Field{i}"), format!("value number {i}"))
                })
                .collect(),
        };
        for room in [20, 40, 74, 114] {
            for unicode in [true, false] {
                let look = look(room + 6, unicode);
                let (text, span) = row_line(&excerpt, Some("J"), room, &look);
                assert!(display_width(&text) <= room, "{room}: {text}");
                let (start, len) = span.unwrap();
                assert!(
                    "value number 9"
                        .starts_with(text[start..start + len].trim_end_matches(['…', '.'])),
                    "{room}: {text}"
                );
                assert_eq!(text.is_ascii(), !unicode || text.is_ascii());
            }
        }
        // At most three cells either side, when they fit.
        let look = look(260, true);
        let (text, _) = row_line(&excerpt, Some("J"), 254, &look);
        assert!(
            text.starts_with("… │ G Field6: value number 6 │ "),
            "{text}"
        );
        assert!(
            text.ends_with(" │ M Field12: value number 12 │ …"),
            "{text}"
        );
    }

    #[test]
    fn numbers_have_thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_237), "1,237");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}

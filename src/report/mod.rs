//! Renderers: each formats a [`Report`]; none decides anything.
//!
//! One module per format, one `render` function per module, all fed the same
//! [`Report`] (the layout of oxlint's `output_formatter`).
//!
//! Stability: `json`, `jsonl`, `sarif` and `junit` are machine-readable
//! contracts (fields may be added, never renamed or removed without a new
//! `schema_version`); `github` follows GitHub's workflow-command syntax;
//! `csv` keeps its columns; `human` and `html` are for people and may change
//! at any time: do not parse them. `annotate` is not a format: it writes an
//! annotated copy of a checked workbook (`--annotate`).

pub mod annotate;
pub mod csv;
pub mod diff;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod sarif;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::Report;
use crate::model::{Diagnostic, Location, Severity};

/// Output formats of `check`: one variant and one module each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style reports and a summary (for people; do not parse).
    Human,
    /// One JSON document (schemas/report.schema.json).
    Json,
    /// One JSON object per diagnostic per line, then a {"summary": …} line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// JUnit XML: one testsuite per file, one testcase per rule that fired.
    Junit,
    /// GitHub Actions annotations (::error file=…,line=…::…).
    Github,
    /// One self-contained HTML page: findings table and window timelines.
    Html,
    /// One CSV row per finding (UTF-8 with BOM, formulas neutralised).
    Csv,
}

impl Format {
    /// Every format, in `--format` order.
    pub fn all() -> &'static [Format] {
        <Format as clap::ValueEnum>::value_variants()
    }

    /// True for a format that draws the rows' windows
    /// ([`crate::Report::windows`]): only then are they collected.
    pub fn draws_windows(self) -> bool {
        self == Format::Html
    }
}

/// The lowest severity that fails a run (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// Exit 1 when there is an error.
    #[default]
    Error,
    /// Exit 1 when there is an error or a warning.
    Warning,
    /// Always exit 0 unless an input is unreadable.
    Never,
}

impl FailOn {
    /// The lowest failing severity; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Never => None,
        }
    }
}

/// Options shared by renderers.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use colour (human only).
    pub color: bool,
    /// Human: draw with Unicode glyphs (box lines, `…`); `false` gives
    /// ASCII only (`--color never`, `TERM=dumb`).
    pub unicode: bool,
    /// Human: the most columns a line may take (the terminal's width).
    pub width: usize,
    /// Human: report the same finding on many rows once (`--no-group`
    /// turns it off). Other formats always list every finding.
    pub group: bool,
    /// Profile name, for the summary.
    pub profile: &'static str,
    /// Show at most this many diagnostics (`--max-diagnostics`), the most
    /// severe first; `None` shows all. Summaries and counts always cover
    /// every diagnostic.
    pub max_diagnostics: Option<usize>,
    /// Human: print only the summary line, and nothing when the run passes.
    pub quiet: bool,
    /// Lowest severity that fails the run (`--fail-on`); `None` for `never`.
    /// JUnit marks a rule's test case failed at or above it.
    pub fail_on: Option<Severity>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            unicode: true,
            width: 100,
            group: true,
            profile: "cph-svod",
            max_diagnostics: None,
            quiet: false,
            fail_on: Some(Severity::Error),
        }
    }
}

/// How many findings of each severity a listing left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Errors left out.
    pub errors: usize,
    /// Warnings left out.
    pub warnings: usize,
    /// Infos left out.
    pub infos: usize,
}

impl Hidden {
    /// Counts one more left-out finding of `severity`.
    pub fn add(&mut self, severity: Severity, n: usize) {
        match severity {
            Severity::Error => self.errors += n,
            Severity::Warning => self.warnings += n,
            Severity::Info => self.infos += n,
        }
    }

    /// All findings left out.
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// `3 errors, 1 info`: the non-zero counts, most severe first.
    pub fn breakdown(&self) -> String {
        [
            (self.errors, "error"),
            (self.warnings, "warning"),
            (self.infos, "info"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// The sentence under a capped listing: `… 5 more diagnostics not shown
    /// (--max-diagnostics 1): 4 errors, 1 info; use --format json for all`.
    pub fn sentence(&self, shown: usize, ellipsis: &str) -> String {
        let n = self.total();
        format!(
            "{ellipsis} {n} more diagnostic{} not shown (--max-diagnostics {shown}): {}; use --format json for all",
            if n == 1 { "" } else { "s" },
            self.breakdown()
        )
    }
}

/// The diagnostics a capped listing shows.
#[derive(Debug, Clone, Default)]
pub struct Shown<'a> {
    /// The shown diagnostics, in report order (file, sheet, row, column).
    pub diagnostics: Vec<&'a Diagnostic>,
    /// What was left out.
    pub hidden: Hidden,
}

/// The most severe `max` of `items` (all of them when `max` is `None`):
/// the errors, then the warnings, then the infos, each in the order given,
/// until `max` are taken. Gives the indices taken, in the order given, and
/// what was left out (each item counts `weight` findings).
pub fn most_severe<T>(
    items: &[T],
    severity: impl Fn(&T) -> Severity,
    weight: impl Fn(&T) -> usize,
    max: Option<usize>,
) -> (Vec<usize>, Hidden) {
    let Some(max) = max.filter(|m| *m < items.len()) else {
        return ((0..items.len()).collect(), Hidden::default());
    };
    let mut taken = vec![false; items.len()];
    let mut budget = max;
    for level in [Severity::Error, Severity::Warning, Severity::Info] {
        for (i, item) in items.iter().enumerate() {
            if budget == 0 {
                break;
            }
            if severity(item) == level {
                taken[i] = true;
                budget -= 1;
            }
        }
    }
    let mut hidden = Hidden::default();
    let mut kept = Vec::with_capacity(max);
    for (i, item) in items.iter().enumerate() {
        if taken[i] {
            kept.push(i);
        } else {
            hidden.add(severity(item), weight(item));
        }
    }
    (kept, hidden)
}

impl RenderOptions {
    /// The diagnostics to list: with `--max-diagnostics N`, the N most
    /// severe (errors, then warnings, then infos, each in report order),
    /// listed in report order; otherwise all.
    pub fn shown<'a>(&self, report: &'a Report) -> Shown<'a> {
        let all = &report.diagnostics;
        let (kept, hidden) = most_severe(all, |d| d.severity, |_| 1, self.max_diagnostics);
        Shown {
            diagnostics: kept.into_iter().map(|i| &all[i]).collect(),
            hidden,
        }
    }

    /// True when `severity` is at or above `--fail-on`.
    pub fn fails(&self, severity: Severity) -> bool {
        self.fail_on.is_some_and(|f| severity >= f)
    }

    /// True when the run fails under `--fail-on` (ignoring unreadable files).
    pub fn run_fails(&self, report: &Report) -> bool {
        report.diagnostics.iter().any(|d| self.fails(d.severity))
    }
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, opts, out),
        Format::Json => json::render(report, opts, out),
        Format::Jsonl => jsonl::render(report, opts, out),
        Format::Sarif => sarif::render(report, opts, out),
        Format::Junit => junit::render(report, opts, out),
        Format::Github => github::render(report, opts, out),
        Format::Html => html::render(report, opts, out),
        Format::Csv => csv::render(report, opts, out),
    }
}

/// An output path that names an input: writing there would destroy it.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to write the report to `{}`: it is the input `{}`{}; inputs are never written (choose another output path)",
    output.display(),
    input.display(),
    if output == input { "" } else { " under another name" }
)]
pub struct OutputIsInput {
    /// The output path as given.
    pub output: PathBuf,
    /// The input it names, as given.
    pub input: PathBuf,
}

/// Refuses an output path that is one of `inputs`: the same path, the same
/// path spelt another way (`./a.xlsx`, a symlink, `..` segments), or the
/// same file under another name (a hard link; compared by file identity).
/// `inputs` are the files read by the run: checked files as expanded from
/// folders, and reference files (`--licensed`).
pub fn guard_output(output: &Path, inputs: &[PathBuf]) -> Result<(), OutputIsInput> {
    let out_exists = output.exists();
    let out_norm = normalized(output);
    for input in inputs {
        let same = if out_exists && input.exists() {
            same_file::is_same_file(output, input).unwrap_or(false)
        } else {
            // Not both present: same only if both paths lead to one place.
            out_norm.is_some() && out_norm == normalized(input)
        };
        if same {
            return Err(OutputIsInput {
                output: output.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// The absolute path `path` leads to: its folder canonicalized (symlinks and
/// `..` resolved) joined with its file name; `None` when the folder does not
/// exist.
fn normalized(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(path.file_name()?))
}

/// The folder an output file goes into (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An error when `path` cannot be an output file because its folder is
/// missing or is not a folder, naming that folder (not the temporary file
/// the write would have used).
pub fn check_output_folder(path: &Path) -> io::Result<()> {
    let dir = folder_of(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("`{}` is not a folder", dir.display()),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the folder `{}` does not exist; create it first (mkdir -p {})",
                dir.display(),
                dir.display()
            ),
        )),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("the folder `{}` cannot be used: {e}", dir.display()),
        )),
    }
}

/// Writes `path` atomically: `write` fills a temporary file in the same
/// directory, which is flushed, fsynced and renamed over `path`. On any error
/// the temporary file is removed and `path` is left as it was (absent, or
/// its previous content); a half-written report is never in place. A
/// missing folder is an error naming it.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    check_output_folder(path)?;
    let dir = folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A report is an ordinary file: keep the mode of the one it replaces,
    // else 0666 less the umask (tempfile's default would be 0600).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    // Dropping `tmp` on any early return deletes the temporary file.
    let tmp = builder.tempfile_in(dir)?;
    {
        let mut buf = io::BufWriter::new(tmp.as_file());
        write(&mut buf)?;
        buf.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable (best effort: not every platform can
    // open a directory).
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The place inside a spreadsheet (`Sheet!Cell`, `Sheet!4:4`, or a CSV
/// `Cell`), for formats that point at a file and a line only; `None` for XML
/// (its line and column say it all) and for whole-file findings.
pub fn cell_ref(loc: &Location) -> Option<String> {
    match (&loc.sheet, &loc.cell) {
        (Some(_), _) => loc.short(),
        (None, Some(c)) => Some(c.clone()),
        (None, None) => None,
    }
}

/// 1-based column number of a column letter (`A` → 1, `AB` → 28).
pub fn column_number(letters: &str) -> Option<u32> {
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    letters.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })
}

/// The line and column a location maps to in line-based tools: the sheet row
/// (for CSV, the file line the record starts on) and column number (A = 1),
/// or the XML line and column. Either may be unknown.
pub fn line_col(loc: &Location) -> (Option<u32>, Option<u32>) {
    if let Some(row) = loc.row {
        let row = loc.line.unwrap_or(row);
        let col = loc.column.as_deref().and_then(column_number).or_else(|| {
            loc.cell
                .as_deref()
                .and_then(|c| column_number(c.trim_end_matches(|ch: char| ch.is_ascii_digit())))
        });
        return (Some(row), col);
    }
    (loc.line, loc.line.and(loc.col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_numbers() {
        assert_eq!(column_number("A"), Some(1));
        assert_eq!(column_number("Z"), Some(26));
        assert_eq!(column_number("AB"), Some(28));
        assert_eq!(column_number("XFD"), Some(16384));
        assert_eq!(column_number(""), None);
        assert_eq!(column_number("A1"), None);
    }

    #[test]
    fn line_col_from_cell_or_xml() {
        let sheet = Location {
            row: Some(4),
            cell: Some("C4".into()),
            ..Location::file("a.xlsx")
        };
        assert_eq!(line_col(&sheet), (Some(4), Some(3)));
        let xml = Location {
            line: Some(12),
            col: Some(7),
            ..Location::file("a.xml")
        };
        assert_eq!(line_col(&xml), (Some(12), Some(7)));
        assert_eq!(line_col(&Location::file("a.csv")), (None, None));
    }

    #[test]
    fn the_most_severe_are_kept_in_their_order() {
        use Severity::*;
        let items = [Info, Error, Warning, Error, Info, Warning];
        let (kept, hidden) = most_severe(&items, |s| *s, |_| 1, Some(3));
        assert_eq!(kept, [1, 2, 3]);
        assert_eq!(
            hidden,
            Hidden {
                errors: 0,
                warnings: 1,
                infos: 2
            }
        );
        assert_eq!(hidden.breakdown(), "1 warning, 2 infos");
        let (kept, hidden) = most_severe(&items, |s| *s, |_| 2, Some(1));
        assert_eq!(kept, [1]);
        assert_eq!(hidden.total(), 10, "each item weighs 2");
        let (kept, hidden) = most_severe(&items, |s| *s, |_| 1, None);
        assert_eq!(kept.len(), 6);
        assert_eq!(hidden, Hidden::default());
    }

    #[test]
    fn format_names_round_trip() {
        use clap::ValueEnum;
        for f in Format::value_variants() {
            let name = f.to_possible_value().unwrap();
            assert_eq!(Format::from_str(name.get_name(), false), Ok(*f));
        }
        assert!(Format::from_str("xml", false).is_err());
    }

    fn temp_leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, |w: &mut dyn Write| w.write_all(b"new report\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new report\n");
        assert!(temp_leftovers(dir.path()).is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh.json");
            write_atomically(&fresh, |w: &mut dyn Write| w.write_all(b"{}")).unwrap();
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
            assert_ne!(mode & 0o044, 0, "readable like any new file, not 0600");
        }
    }

    #[test]
    fn failed_write_leaves_nothing_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.sarif");
        let existing = dir.path().join("existing.sarif");
        std::fs::write(&existing, "previous complete report").unwrap();
        for path in [&fresh, &existing] {
            let err = write_atomically(path, |w: &mut dyn Write| {
                w.write_all(&vec![b'x'; 100_000])?;
                Err(io::Error::other("renderer failed half way"))
            })
            .unwrap_err();
            assert_eq!(err.to_string(), "renderer failed half way");
        }
        assert!(!fresh.exists());
        assert_eq!(
            std::fs::read_to_string(&existing).unwrap(),
            "previous complete report"
        );
        assert!(temp_leftovers(dir.path()).is_empty());
    }

    #[test]
    fn output_naming_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("acme.xlsx");
        std::fs::write(&input, "workbook").unwrap();
        let inputs = vec![input.clone()];
        // The same path, another spelling of it, and a hard link.
        let dotted = dir.path().join(".").join("acme.xlsx");
        let link = dir.path().join("link.xlsx");
        std::fs::hard_link(&input, &link).unwrap();
        for out in [&input, &dotted, &link] {
            let err = guard_output(out, &inputs).unwrap_err();
            assert_eq!(err.input, input);
        }
        #[cfg(unix)]
        {
            let sym = dir.path().join("sym.xlsx");
            std::os::unix::fs::symlink(&input, &sym).unwrap();
            assert!(guard_output(&sym, &inputs).is_err());
        }
        // A missing input is still an input: its path is not a report's.
        let missing = dir.path().join("missing.xlsx");
        assert!(guard_output(&missing, std::slice::from_ref(&missing)).is_err());
        assert!(guard_output(&dir.path().join("report.json"), &inputs).is_ok());
        assert_eq!(std::fs::read(&input).unwrap(), b"workbook");
    }

    #[test]
    fn missing_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/report.xml");
        let err = write_atomically(&path, |w: &mut dyn Write| w.write_all(b"x")).unwrap_err();
        let folder = dir.path().join("no/such/dir");
        assert!(
            err.to_string()
                .starts_with(&format!("the folder `{}` does not exist", folder.display())),
            "{err}"
        );
        assert!(
            !err.to_string().contains(".report.xml"),
            "no temporary file: {err}"
        );
        assert!(!dir.path().join("no").exists());
    }
}

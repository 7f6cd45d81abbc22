//! availcheck: validate EMA Avails (spreadsheets and Avails XML) against the
//! EMA data dictionary and Amazon Prime Video's CPH SVOD rules.
//!
//! The pipeline runs one way: **read** every input into the model
//! ([`read`]), **check** the rows with the active rules ([`rules`]; row
//! rules in parallel with rayon, on chunks of rows while the rest of a
//! sheet is still being read; cross-row rules over one index by title and
//! territory), and hand a [`Report`] to a renderer ([`report`]).

pub mod config;
pub mod model;
pub mod read;
pub mod report;
pub mod rules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::model::{Diagnostic, Field, Severity};
use crate::read::{ReadError, ReadOptions, ReadOutput, SheetRows};
use crate::rules::{Context, RowFacts, RuleInput, Settings};

/// File extensions picked up when a directory is given.
pub const AVAILS_EXTENSIONS: [&str; 6] = ["xlsx", "xls", "xlsb", "ods", "csv", "xml"];

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files or directories (directories are searched recursively).
    pub paths: Vec<PathBuf>,
    /// Reader options.
    pub read: ReadOptions,
    /// Profile and its settings.
    pub settings: Settings,
    /// Reference files of Licensed SVOD windows (`--licensed`).
    pub licensed: Vec<PathBuf>,
    /// Counts files as they finish reading, for a progress display.
    pub progress: Option<Arc<AtomicUsize>>,
}

/// The outcome for one input file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path as given (or as found under a directory).
    pub path: String,
    /// Container kind (`xlsx`, `csv`, `xml`), when it could be read.
    pub kind: Option<&'static str>,
    /// Template version of the first data sheet.
    pub template_version: Option<String>,
    /// Data sheets checked.
    pub sheets: Vec<String>,
    /// Avail rows checked.
    pub rows: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Info diagnostics.
    pub infos: usize,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
    /// True for `--licensed` reference files (read for windows, not checked).
    pub licensed_reference: bool,
    /// Time spent reading and checking it.
    pub elapsed: Duration,
}

/// Everything a renderer needs.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per input file, in input order.
    pub files: Vec<FileReport>,
    /// Every diagnostic, sorted by file, sheet, row, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of the whole check.
    pub elapsed: Duration,
    /// The settings the files were checked with.
    pub settings: Settings,
    /// The windows of the checked and `--licensed` files, for reports that
    /// draw them (not part of the JSON contract).
    pub windows: Windows,
}

/// The rows of the checked and `--licensed` files that have a window: a
/// title, a territory, and an End that is a date, a date-time or a
/// condition (open).
#[derive(Debug, Clone, Default)]
pub struct Windows {
    /// The sheets the rows are on.
    pub sheets: Vec<WindowSheet>,
    /// One entry per row, in file, sheet and row order.
    pub rows: Vec<WindowRow>,
}

/// A sheet (or XML document) holding windows.
#[derive(Debug, Clone)]
pub struct WindowSheet {
    /// Index of its file in [`Report::files`].
    pub file: usize,
    /// Sheet name; `None` for XML and CSV.
    pub sheet: Option<String>,
    /// Position of the sheet in its workbook.
    pub index: usize,
    /// Column letters of Start and End (`None` for XML, or no such column).
    pub columns: (Option<String>, Option<String>),
    /// True for XML: rows are the lines of their Transactions.
    pub xml: bool,
}

/// One row with a window. Texts share the cells' text (no copy).
#[derive(Debug, Clone)]
pub struct WindowRow {
    /// Index into [`Windows::sheets`].
    pub sheet: u32,
    /// 1-based row (XML: the Transaction's line).
    pub row: u32,
    /// The title id cell's text ([`model::Avail::title_id`]), untrimmed.
    pub title: model::Text,
    /// Territories covered (Territory items minus TerritoryExclusion).
    pub territories: Box<[Box<str>]>,
    /// TerritoryExclusion items, which matter for a `ZZ` row.
    pub excluded: Box<[Box<str>]>,
    /// Lane: CPH, Licensed SVOD or another LicenseType.
    pub lane: model::time::Lane,
    /// LicenseType as written.
    pub kind: model::Text,
    /// Windows of one offer must be discrete (CPH006); `None` for
    /// `--licensed` rows.
    pub offer: Option<u32>,
    /// Start instant; `None` when it is a condition or empty.
    pub start: Option<chrono::DateTime<chrono::Utc>>,
    /// End instant; `None` when open-ended.
    pub end: Option<chrono::DateTime<chrono::Utc>>,
    /// Start and End as written.
    pub written: (model::Text, model::Text),
}

impl WindowRow {
    /// The title id, trimmed.
    pub fn title(&self) -> &str {
        self.title.trim()
    }
}

impl Report {
    /// Count of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Avail rows checked in all files.
    pub fn rows(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.licensed_reference)
            .map(|f| f.rows)
            .sum()
    }

    /// True when some input could not be read.
    pub fn has_unreadable(&self) -> bool {
        self.files.iter().any(|f| f.error.is_some())
    }
}

/// Lists the files to check: given files as they are, directories searched
/// recursively for avails extensions (sorted, so runs are reproducible). A
/// directory without any is listed itself, so it is reported as unreadable.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, 0);
            found.sort();
            if found.is_empty() {
                // Reported as unreadable: a folder with nothing to check is a mistake.
                out.push(p.clone());
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            walk(&path, out, depth + 1);
        } else if kind.is_file()
            && path
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| AVAILS_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
            && !path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("~$"))
        {
            out.push(path);
        }
    }
}

/// One input as read, before checking.
pub struct Loaded {
    /// Path as shown in reports.
    pub path: String,
    /// What the reader gave.
    pub result: Result<ReadOutput, ReadError>,
    /// Time spent reading.
    pub elapsed: Duration,
    /// True for `--licensed` reference files.
    pub licensed_reference: bool,
}

fn load(
    paths: &[PathBuf],
    first_index: usize,
    opts: &ReadOptions,
    licensed: bool,
    progress: Option<&AtomicUsize>,
) -> Vec<Loaded> {
    paths
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let t = Instant::now();
            let display = p.display().to_string();
            let result = if licensed {
                read::licensed::read_path(p, &display, first_index + i, opts)
            } else {
                read::read_path(p, &display, first_index + i, opts)
            };
            if let Some(p) = progress {
                p.fetch_add(1, Ordering::Relaxed);
            }
            Loaded {
                path: display,
                result,
                elapsed: t.elapsed(),
                licensed_reference: licensed,
            }
        })
        .collect()
}

/// Reads and checks every input; never fails as a whole (unreadable files are
/// reported in their [`FileReport`]).
pub fn check(opts: &CheckOptions) -> Report {
    let started = Instant::now();
    let inputs = expand_paths(&opts.paths);
    let progress = opts.progress.as_deref();
    let active = rules::active(opts.settings.profile);
    let ctx = Context::new(&opts.settings);
    // Row rules run on chunks of rows while the rest of the file is still
    // being read (readers hand finished chunks to the sink); the checked
    // rows keep only what the set rules read.
    let (tx, rx) = mpsc::channel::<Vec<model::Avail>>();
    let mut read = opts.read.clone();
    read.row_sink = Some(read::RowSink(Arc::new(move |chunk| {
        let _ = tx.send(chunk);
    })));
    let (mut loaded, mut early) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            // Its own rayon pool, one thread smaller than the machine: the
            // reader keeps a core busy, and more threads would slow it down.
            let threads = rayon::current_num_threads().saturating_sub(1).max(1);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .ok();
            let mut early = Early::default();
            for mut chunk in rx {
                let Some(first) = chunk.first() else { continue };
                let key = (first.sheet.file_index, first.sheet.sheet_index);
                let kept = rules::kept_columns(&active, &opts.settings, &first.sheet);
                let mut work = || {
                    let (mut facts, found) = check_rows(&chunk, &active, &ctx);
                    chunk
                        .par_iter_mut()
                        .zip(&mut facts)
                        .for_each(|(row, facts)| rules::RowChecker::trim(row, facts, &kept));
                    (facts, found)
                };
                let (facts, found) = match &pool {
                    Some(p) => p.install(work),
                    None => work(),
                };
                // A sheet's chunks arrive in order.
                let sheet = early.sheets.entry(key).or_default();
                sheet.0.extend(chunk);
                sheet.1.extend(facts);
                early.diagnostics.extend(found);
            }
            early
        });
        let mut loaded = load(&inputs, 0, &read, false, progress);
        drop(read); // closes the channel: the checker ends with the last chunk
        loaded.extend(load(
            &opts.licensed,
            inputs.len(),
            &opts.read,
            true,
            progress,
        ));
        (
            loaded,
            checker.join().expect("the row checker does not panic"),
        )
    });
    // The sheets come back without their rows: the checker has them.
    for out in loaded.iter_mut().filter_map(|l| l.result.as_mut().ok()) {
        for sheet in &mut out.sheets {
            let key = (sheet.info.file_index, sheet.info.sheet_index);
            if let Some((rows, facts)) = early.sheets.remove(&key) {
                sheet.rows = rows;
                early.facts.insert(key, facts);
            }
        }
    }
    let mut report = check_loaded_with(&loaded, &opts.settings, early);
    report.elapsed = started.elapsed();
    // Freeing millions of cells takes tens of milliseconds: done on the
    // side while the caller renders the report (inline if no thread starts).
    let _ = std::thread::Builder::new().spawn(move || drop(loaded));
    report
}

/// Runs every row rule over `rows` in parallel; gives each row's facts for
/// the cross-row rules, in row order, and the findings.
fn check_rows(
    rows: &[model::Avail],
    active: &[&dyn rules::Rule],
    ctx: &Context<'_>,
) -> (Vec<RowFacts>, Vec<Diagnostic>) {
    let Some(first) = rows.first() else {
        return (Vec::new(), Vec::new());
    };
    // A chunk's rows are of one sheet.
    let checker = rules::RowChecker::new(active, &first.sheet);
    let (facts, found): (Vec<RowFacts>, Vec<Vec<Diagnostic>>) = rows
        .par_iter()
        .map(|row| {
            let facts = RowFacts::of(row, ctx.settings);
            let mut out = Vec::new();
            checker.check(row, &facts, ctx, &mut out);
            (facts, out)
        })
        .unzip();
    (facts, found.into_iter().flatten().collect())
}

/// Row findings and facts worked out while files were still being read.
#[derive(Default)]
struct Early {
    diagnostics: Vec<Diagnostic>,
    /// Each streamed sheet's checked (and trimmed) rows with their facts,
    /// keyed by (file index, sheet index), until they go back to the sheet.
    sheets: HashMap<(usize, usize), (Vec<model::Avail>, Vec<RowFacts>)>,
    /// Facts of each sheet's rows, keyed by (file index, sheet index).
    facts: HashMap<(usize, usize), Vec<RowFacts>>,
}

/// Checks inputs that are already read (their position is their file index).
pub fn check_loaded(loaded: &[Loaded], settings: &Settings) -> Report {
    check_loaded_with(loaded, settings, Early::default())
}

/// [`check_loaded`], given what was found on the sheets whose rows were
/// checked while they were read.
fn check_loaded_with(loaded: &[Loaded], settings: &Settings, early: Early) -> Report {
    let started = Instant::now();
    let ctx = Context::new(settings);
    let active = rules::active(settings.profile);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut checked: Vec<&SheetRows> = Vec::new();
    let mut licensed: Vec<&SheetRows> = Vec::new();
    for (index, l) in loaded.iter().enumerate() {
        let Ok(out) = &l.result else { continue };
        if l.licensed_reference {
            licensed.extend(out.sheets.iter());
            continue;
        }
        for note in &out.notes {
            let sheet_index = note
                .location
                .sheet
                .as_ref()
                .and_then(|s| {
                    out.sheets
                        .iter()
                        .find(|x| x.info.sheet.as_ref() == Some(s))
                        .map(|x| x.info.sheet_index)
                })
                .unwrap_or(0);
            let row = note.location.row.or(note.location.line).unwrap_or(0);
            diagnostics.push(rules::reader::diagnostic(
                note,
                (index, sheet_index, row, 0),
            ));
        }
        checked.extend(out.sheets.iter());
    }
    for sheet in &checked {
        for rule in &active {
            rule.check_sheet(sheet, &ctx, &mut diagnostics);
        }
    }
    // Rows of a file that then failed to read are not reported on.
    diagnostics.extend(
        early
            .diagnostics
            .into_iter()
            .filter(|d| loaded.get(d.order.0).is_some_and(|l| l.result.is_ok())),
    );
    let mut early_facts = early.facts;
    let known: Vec<Option<Vec<RowFacts>>> = checked
        .iter()
        .map(|s| early_facts.remove(&(s.info.file_index, s.info.sheet_index)))
        .collect();
    let (facts, row_diags): (Vec<Vec<RowFacts>>, Vec<Vec<Diagnostic>>) = checked
        .par_iter()
        .zip(known)
        .map(|(s, known)| {
            let Some(facts) = known else {
                return check_rows(&s.rows, &active, &ctx);
            };
            debug_assert_eq!(facts.len(), s.rows.len(), "chunks are the sheet's rows");
            if facts.len() == s.rows.len() {
                (facts, Vec::new())
            } else {
                // Never expected; the findings are in, only the facts are redone.
                let facts = s.rows.iter().map(|r| RowFacts::of(r, settings)).collect();
                (facts, Vec::new())
            }
        })
        .unzip();
    diagnostics.extend(row_diags.into_iter().flatten());
    let input = RuleInput {
        sheets: &checked,
        facts: &facts,
        licensed: &licensed,
    };
    let (set_diags, windows): (Vec<Diagnostic>, Windows) = rayon::join(
        || {
            active
                .par_iter()
                .flat_map_iter(|rule| {
                    let mut out = Vec::new();
                    rule.check_set(&input, &ctx, &mut out);
                    out
                })
                .collect()
        },
        || collect_windows(&input, settings),
    );
    diagnostics.extend(set_diags);
    diagnostics.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });

    let files = loaded
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let mine = diagnostics.iter().filter(|d| d.order.0 == index);
            let (mut errors, mut warnings, mut infos) = (0, 0, 0);
            for d in mine {
                match d.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                    Severity::Info => infos += 1,
                }
            }
            match &l.result {
                Ok(out) => FileReport {
                    path: l.path.clone(),
                    kind: Some(out.source.as_str()),
                    template_version: out.sheets.first().map(|s| s.info.version.to_string()),
                    sheets: out
                        .sheets
                        .iter()
                        .filter_map(|s| s.info.sheet.clone())
                        .collect(),
                    rows: out.sheets.iter().map(|s| s.rows.len()).sum(),
                    errors,
                    warnings,
                    infos,
                    error: None,
                    licensed_reference: l.licensed_reference,
                    elapsed: l.elapsed,
                },
                Err(e) => FileReport {
                    path: l.path.clone(),
                    kind: None,
                    template_version: None,
                    sheets: Vec::new(),
                    rows: 0,
                    errors,
                    warnings,
                    infos,
                    error: Some(format!("{}: {e}", l.path)),
                    licensed_reference: l.licensed_reference,
                    elapsed: l.elapsed,
                },
            }
        })
        .collect();
    Report {
        files,
        diagnostics,
        elapsed: started.elapsed(),
        settings: settings.clone(),
        windows,
    }
}

/// The windows of the checked rows (with their facts) and of the
/// `--licensed` rows (facts worked out here), for [`Report::windows`].
fn collect_windows(input: &RuleInput<'_>, settings: &Settings) -> Windows {
    use model::time::Lane;
    use rules::{End, RowClass};
    let mut out = Windows::default();
    let mut offers: rustc_hash::FxHashMap<(&str, &str, &str), u32> = Default::default();
    let sources = input
        .with_facts()
        .map(|(s, f)| (s, Some(f)))
        .chain(input.licensed.iter().map(|s| (*s, None)));
    for (sheet, known) in sources {
        let info = &sheet.info;
        let sheet_index = u32::try_from(out.sheets.len()).expect("fewer than 2^32 sheets");
        let mut used = false;
        for (i, row) in sheet.rows.iter().enumerate() {
            let worked_out;
            let facts = match known {
                Some(f) => &f[i],
                None => {
                    worked_out = RowFacts::of(row, settings);
                    &worked_out
                }
            };
            let Some(title) = facts.title_cell(row) else {
                continue;
            };
            let end = match facts.end {
                End::Open => None,
                End::At(t) => Some(t),
                End::Unusable => continue,
            };
            let territories: Box<[Box<str>]> = facts.territories(row).map(Box::from).collect();
            if territories.is_empty() {
                continue;
            }
            let reference = known.is_none();
            let lane = match facts.class {
                RowClass::Cph => Lane::Cph,
                RowClass::LicensedSvod => Lane::Licensed,
                // Reference rows may have no LicenseType: they are licensed.
                RowClass::Other if reference && !row.has_column(Field::LicenseType) => {
                    Lane::Licensed
                }
                _ => Lane::Other,
            };
            let text = |f: Field| row.get(f).map(|c| c.text.clone()).unwrap_or_default();
            // CPH006's key: licensor, license kind, FormatProfile (title and
            // territory are the timeline's own).
            let offer = (!reference && facts.class != RowClass::MisplacedCph).then(|| {
                let kind = match facts.class {
                    RowClass::Cph => "SVOD (CPH)",
                    _ => row.text(Field::LicenseType),
                };
                let key = (
                    row.text(Field::DisplayName),
                    kind,
                    row.text(Field::FormatProfile),
                );
                let next = u32::try_from(offers.len()).expect("fewer than 2^32 offers");
                *offers.entry(key).or_insert(next)
            });
            out.rows.push(WindowRow {
                sheet: sheet_index,
                row: row.row,
                title: title.text.clone(),
                territories,
                excluded: row
                    .items(Field::TerritoryExclusion)
                    .map(|(_, t)| Box::from(t))
                    .collect(),
                lane,
                kind: text(Field::LicenseType),
                offer,
                start: facts.start,
                end,
                written: (text(Field::Start), text(Field::End)),
            });
            used = true;
        }
        if used {
            let letter = |f: Field| {
                info.column_of(f)
                    .filter(|_| info.source != model::SourceKind::Xml)
                    .map(|c| info.columns[c].letter.clone())
            };
            out.sheets.push(WindowSheet {
                file: info.file_index,
                sheet: info.sheet.clone(),
                index: info.sheet_index,
                columns: (letter(Field::Start), letter(Field::End)),
                xml: info.source == model::SourceKind::Xml,
            });
        }
    }
    out
}

//! availcheck: validate EMA Avails (spreadsheets and Avails XML) against the
//! EMA data dictionary and Amazon Prime Video's CPH SVOD rules.
//!
//! The pipeline runs one way: **read** every input into the model
//! ([`read`]), **check** the rows with the active rules ([`rules`]; row
//! rules in parallel with rayon, on chunks of rows while the rest of a
//! sheet is still being read; cross-row rules over one index by title and
//! territory), and hand a [`Report`] to a renderer ([`report`]).

pub mod config;
pub mod inputs;
pub mod model;
pub mod read;
pub mod report;
pub mod rules;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::model::{Diagnostic, Field, Severity};
use crate::read::{ReadError, ReadOptions, ReadOutput, SheetRows};
use crate::rules::{Context, RowFacts, RuleInput, Settings, SheetFacts, Stats};

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
    /// Files the run writes (`-o`): never read as inputs.
    pub outputs: Vec<PathBuf>,
    /// What Amazon already has (`--previous`): earlier deliveries.
    pub previous: Vec<PathBuf>,
    /// Skip files named in `paths` that are clearly not avails, as files
    /// found in folders are (`--skip-unrecognized`; see [`inputs::discover`]).
    pub skip_unrecognized: bool,
    /// Counts files as they finish reading, for a progress display.
    pub progress: Option<Arc<AtomicUsize>>,
    /// Collect the rows' windows ([`Report::windows`]) for a report that
    /// draws them ([`report::Format::draws_windows`]); left empty otherwise.
    pub windows: bool,
    /// The caller exits once the report is rendered (the command line): the
    /// rows are left for the operating system to take back rather than freed
    /// cell by cell, as compilers do (clang's `-disable-free`). Off, they are
    /// freed on a side thread while the caller renders.
    pub exits_after_report: bool,
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
    /// Why the file was read: checked, or a reference file.
    pub role: Role,
    /// Time spent reading and checking it.
    pub elapsed: Duration,
    /// The text the file was read from, when its findings point into it by
    /// byte span (XML), for showing their lines; not serialized.
    pub source: Option<Arc<model::SourceText>>,
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
    /// CPH windows exempt from the forward-looking Start because the
    /// previous delivery has them (`None` without `--previous`).
    pub exempt_windows: Option<usize>,
    /// Licensed SVOD windows compared with CPH windows (`None` when the run
    /// had none to compare).
    pub licensed_compared: Option<usize>,
    /// The settings the files were checked with.
    pub settings: Settings,
    /// The windows of the checked, `--licensed` and `--previous` files, for
    /// reports that draw them (not part of the JSON contract).
    pub windows: Windows,
}

/// The rows of the checked, `--licensed` and `--previous` files that have
/// a window: a title, a territory, and an End that is a date, a date-time
/// or a condition (open).
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
    /// Column letters of Start and End (`None` for XML, or no such column).
    pub columns: (Option<String>, Option<String>),
    /// True for XML: rows are the lines of their Transactions.
    pub xml: bool,
    /// True for a sheet of a `--previous` delivery: its windows are what
    /// Amazon has, drawn for comparison; those of a scope the checked files
    /// re-send are replaced and related to no other window.
    pub previous: bool,
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
    /// Territories covered (Territory items minus TerritoryExclusion) whose
    /// dates are read in one zone (a row in several zones has an entry each).
    pub territories: Box<[Box<str>]>,
    /// TerritoryExclusion items, which matter for a `ZZ` row.
    pub excluded: Box<[Box<str>]>,
    /// Lane: CPH, Licensed SVOD or another LicenseType.
    pub lane: model::time::Lane,
    /// LicenseType as written.
    pub kind: model::Text,
    /// The licensor (DisplayName) as written: with the title, territory and
    /// LicenseType it makes Amazon's scope.
    pub licensor: model::Text,
    /// Windows of one offer must be discrete (CPH006); `None` for
    /// `--licensed` and `--previous` rows.
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
            .filter(|f| f.role == Role::Checked)
            .map(|f| f.rows)
            .sum()
    }

    /// True when some input could not be read.
    pub fn has_unreadable(&self) -> bool {
        self.files.iter().any(|f| f.error.is_some())
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
    /// Why the file was read.
    pub role: Role,
}

/// Why a file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// An input: checked.
    #[default]
    Checked,
    /// A `--licensed` file: its Licensed SVOD windows, not itself checked.
    Licensed,
    /// A `--previous` file: what Amazon already has.
    Previous,
}

impl Role {
    /// The name in the JSON report (`role`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Checked => "checked",
            Role::Licensed => "licensed",
            Role::Previous => "previous",
        }
    }
}

fn load(
    paths: &[PathBuf],
    first_index: usize,
    opts: &ReadOptions,
    role: Role,
    progress: Option<&AtomicUsize>,
) -> Vec<Loaded> {
    paths
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let t = Instant::now();
            let display = p.display().to_string();
            let result = match role {
                Role::Checked => read::read_path(p, &display, first_index + i, opts),
                Role::Licensed | Role::Previous => {
                    read::licensed::read_path(p, &display, first_index + i, opts)
                }
            };
            if let Some(p) = progress {
                p.fetch_add(1, Ordering::Relaxed);
            }
            Loaded {
                path: display,
                result,
                elapsed: t.elapsed(),
                role,
            }
        })
        .collect()
}

/// What `availcheck diff` compares: the delivery Amazon has and the one
/// about to be sent.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Files (or folders) of the previous delivery.
    pub previous: Vec<PathBuf>,
    /// Files (or folders) of the current delivery.
    pub current: Vec<PathBuf>,
    /// How files are read.
    pub read: ReadOptions,
    /// The check time (live windows) and how dates are read.
    pub settings: Settings,
}

/// A file `availcheck diff` could not read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {error}")]
pub struct DiffError {
    /// The file.
    pub path: String,
    /// Why.
    pub error: ReadError,
}

/// What the current delivery changes at Amazon, against the previous one
/// (see [`rules::delivery::DeliveryDiff`]). Fails on the first file that
/// cannot be read: a diff of part of a delivery would mislead.
pub fn diff(opts: &DiffOptions) -> Result<rules::delivery::DeliveryDiff, DiffError> {
    use rules::delivery::{Delivery, DeliveryDiff};
    let files = |paths: &[PathBuf]| inputs::discover(paths, &[], &[], false).checked;
    let previous = files(&opts.previous);
    let current = files(&opts.current);
    let mut loaded = load(&previous, 0, &opts.read, Role::Previous, None);
    loaded.extend(load(
        &current,
        previous.len(),
        &opts.read,
        Role::Checked,
        None,
    ));
    if let Some(i) = loaded.iter().position(|l| l.result.is_err()) {
        let l = loaded.swap_remove(i);
        if let Err(error) = l.result {
            return Err(DiffError {
                path: l.path,
                error,
            });
        }
    }
    let settings = &opts.settings;
    Ok(DeliveryDiff::new(
        &Delivery::of_loaded(&loaded, Role::Previous, settings),
        &Delivery::of_loaded(&loaded, Role::Checked, settings),
        settings.as_of,
    ))
}

/// Reads and checks every input; never fails as a whole (unreadable files are
/// reported in their [`FileReport`]).
pub fn check(opts: &CheckOptions) -> Report {
    let started = Instant::now();
    let references: Vec<PathBuf> = opts
        .licensed
        .iter()
        .chain(&opts.previous)
        .cloned()
        .collect();
    let found = inputs::discover(
        &opts.paths,
        &references,
        &opts.outputs,
        opts.skip_unrecognized,
    );
    let inputs = found.checked;
    let progress = opts.progress.as_deref();
    let active = rules::active(opts.settings.profile);
    let stats = Stats::default();
    // The previous deliveries first: row rules compare with them.
    let first_previous = inputs.len() + opts.licensed.len();
    let previous_loaded = load(
        &opts.previous,
        first_previous,
        &opts.read,
        Role::Previous,
        progress,
    );
    let previous =
        rules::delivery::Delivery::of_loaded(&previous_loaded, Role::Previous, &opts.settings);
    let mut ctx = Context::new(&opts.settings, &stats);
    ctx.previous = (!opts.previous.is_empty()).then_some(&previous);
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
            // What each sheet's chunks share, worked out at its first chunk.
            let mut sheets = HashMap::new();
            for mut chunk in rx {
                let Some(first) = chunk.first() else { continue };
                let key = (first.sheet.file_index, first.sheet.sheet_index);
                let (kept, checker, facts_of) = sheets.entry(key).or_insert_with(|| {
                    let sheet = &first.sheet;
                    (
                        rules::kept_columns(&active, &opts.settings, sheet),
                        rules::RowChecker::new(&active, sheet, &opts.settings),
                        SheetFacts::new(&opts.settings, sheet),
                    )
                });
                let mut work = || {
                    let (mut facts, found) = check_rows_with(&chunk, checker, facts_of, &ctx);
                    chunk
                        .par_iter_mut()
                        .zip(&mut facts)
                        .for_each(|(row, facts)| rules::RowChecker::trim(row, facts, kept));
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
        let mut loaded = load(&inputs, 0, &read, Role::Checked, progress);
        drop(read); // closes the channel: the checker ends with the last chunk
        loaded.extend(load(
            &opts.licensed,
            inputs.len(),
            &opts.read,
            Role::Licensed,
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
    loaded.extend(previous_loaded);
    let mut report = check_loaded_with(&loaded, &ctx, early, opts.windows);
    for (i, skipped) in found.skipped.iter().enumerate() {
        report.diagnostics.push(
            rules::reader::skipped_file(&skipped.path.display().to_string(), &skipped.reason)
                .with_order((loaded.len() + i, 0, 0, 0)),
        );
    }
    report.elapsed = started.elapsed();
    // Freeing millions of cells takes tens of milliseconds: skipped when the
    // process is about to exit, else done on the side while the caller
    // renders the report (inline if no thread starts).
    if opts.exits_after_report {
        std::mem::forget(loaded);
    } else {
        let _ = std::thread::Builder::new().spawn(move || drop(loaded));
    }
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
    let checker = rules::RowChecker::new(active, &first.sheet, ctx.settings);
    let sheet = SheetFacts::new(ctx.settings, &first.sheet);
    check_rows_with(rows, &checker, &sheet, ctx)
}

/// [`check_rows`] with the checker and the [`SheetFacts`] of the rows' sheet.
fn check_rows_with(
    rows: &[model::Avail],
    checker: &rules::RowChecker<'_>,
    sheet: &SheetFacts<'_>,
    ctx: &Context<'_>,
) -> (Vec<RowFacts>, Vec<Diagnostic>) {
    let (facts, found): (Vec<RowFacts>, Vec<Vec<Diagnostic>>) = rows
        .par_iter()
        .map_init(
            || sheet.clone(),
            |sheet, row| {
                let facts = RowFacts::of_with(row, sheet);
                let mut out = Vec::new();
                checker.check(row, &facts, ctx, &mut out);
                (facts, out)
            },
        )
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

/// Checks inputs that are already read (their position is their file
/// index); reference files among them are used as their role says. The
/// report has every row's window ([`Report::windows`]).
pub fn check_loaded(loaded: &[Loaded], settings: &Settings) -> Report {
    let stats = Stats::default();
    let previous = rules::delivery::Delivery::of_loaded(loaded, Role::Previous, settings);
    let mut ctx = Context::new(settings, &stats);
    if loaded.iter().any(|l| l.role == Role::Previous) {
        ctx.previous = Some(&previous);
    }
    check_loaded_with(loaded, &ctx, Early::default(), true)
}

/// [`check_loaded`], given what was found on the sheets whose rows were
/// checked while they were read; the windows only when `windows`.
fn check_loaded_with(loaded: &[Loaded], ctx: &Context<'_>, early: Early, windows: bool) -> Report {
    let started = Instant::now();
    let settings = ctx.settings;
    let active = rules::active(settings.profile);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut checked: Vec<&SheetRows> = Vec::new();
    let mut licensed: Vec<&SheetRows> = Vec::new();
    let mut previous: Vec<&SheetRows> = Vec::new();
    let mut avails: Vec<&model::structure::AvailTree> = Vec::new();
    for (index, l) in loaded.iter().enumerate() {
        let Ok(out) = &l.result else { continue };
        match l.role {
            Role::Licensed => {
                licensed.extend(out.sheets.iter());
                continue;
            }
            Role::Previous => {
                previous.extend(out.sheets.iter());
                continue;
            }
            Role::Checked => {}
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
        avails.extend(out.avails.iter());
    }
    for sheet in &checked {
        for rule in &active {
            rule.check_sheet(sheet, ctx, &mut diagnostics);
        }
    }
    // Licensed windows are read with the checks that place them on a
    // timeline (territories, dates, error values).
    let reference_rules: Vec<&dyn rules::Rule> = active
        .iter()
        .copied()
        .filter(|r| r.checks_references())
        .collect();
    for sheet in &licensed {
        let checker = rules::RowChecker::new(&reference_rules, &sheet.info, settings);
        for row in &sheet.rows {
            let facts = RowFacts::of(row, settings);
            checker.check(row, &facts, ctx, &mut diagnostics);
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
                return check_rows(&s.rows, &active, ctx);
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
        previous: &previous,
        avails: &rules::structure::AvailSet::new(avails),
    };
    diagnostics.par_extend(active.par_iter().flat_map_iter(|rule| {
        let mut out = Vec::new();
        rule.check_set(&input, ctx, &mut out);
        out
    }));
    // After the set rules, not beside them: their working sets and the
    // windows would add up in memory.
    let windows = if windows {
        collect_windows(&input, settings)
    } else {
        Windows::default()
    };
    diagnostics.sort_by(|a, b| {
        a.order
            .cmp(&b.order)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
    report_once(&mut diagnostics);

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
                    role: l.role,
                    elapsed: l.elapsed,
                    source: out.text.clone(),
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
                    role: l.role,
                    elapsed: l.elapsed,
                    source: None,
                },
            }
        })
        .collect();
    let licensed_windows = settings.profile == rules::Profile::CphSvod
        && (!licensed.is_empty()
            || !previous.is_empty()
            || facts
                .iter()
                .flatten()
                .any(|f| f.class == rules::RowClass::LicensedSvod));
    Report {
        files,
        diagnostics,
        elapsed: started.elapsed(),
        exempt_windows: ctx.previous.map(|_| {
            ctx.stats
                .exempt_windows
                .load(std::sync::atomic::Ordering::Relaxed)
        }),
        licensed_compared: licensed_windows.then(|| {
            ctx.stats
                .licensed_compared
                .load(std::sync::atomic::Ordering::Relaxed)
        }),
        settings: settings.clone(),
        windows,
    }
}

/// Keeps the first of findings that say the same about the same place of
/// an XML document: the rows of an Avail's Transactions share its values
/// (and its first Asset's), so a row rule finds a problem of such a value
/// once per Transaction; it is reported once.
fn report_once(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = rustc_hash::FxHashSet::default();
    diagnostics.retain(|d| {
        let Some(span) = d.location.span.filter(|_| d.location.line.is_some()) else {
            return true;
        };
        seen.insert((
            d.order.0,
            span,
            d.code,
            d.message.clone(),
            d.location.field.clone(),
        ))
    });
}

/// The windows of the checked rows (with their facts) and of the
/// `--licensed` and `--previous` rows (facts worked out here), for
/// [`Report::windows`].
fn collect_windows(input: &RuleInput<'_>, settings: &Settings) -> Windows {
    use model::time::Lane;
    use rules::{End, RowClass};
    let mut out = Windows::default();
    let mut offers: rustc_hash::FxHashMap<(&str, &str, &str), u32> = Default::default();
    let sources = input
        .with_facts()
        .map(|(s, f)| (s, Some(f), Role::Checked))
        .chain(input.licensed.iter().map(|s| (*s, None, Role::Licensed)))
        .chain(input.previous.iter().map(|s| (*s, None, Role::Previous)));
    for (sheet, known, role) in sources {
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
            if facts.end == End::Unusable {
                continue;
            }
            // One entry per zone the row's territories read dates in (most
            // rows: one territory, one entry), so each is drawn where its
            // rules judge it.
            let mut by_zone: Vec<(model::zone::Zone, Vec<Box<str>>)> = Vec::new();
            for t in facts.territories(row) {
                let zone = settings.zones.of(t);
                match by_zone.iter_mut().find(|(z, _)| *z == zone) {
                    Some((_, list)) => list.push(t.into()),
                    None => by_zone.push((zone, vec![t.into()])),
                }
            }
            if by_zone.is_empty() {
                continue;
            }
            let lane = match facts.class {
                RowClass::Cph => Lane::Cph,
                RowClass::LicensedSvod => Lane::Licensed,
                // Reference rows may have no LicenseType: they are licensed.
                RowClass::Other
                    if role == Role::Licensed && !row.has_column(Field::LicenseType) =>
                {
                    Lane::Licensed
                }
                _ => Lane::Other,
            };
            let text = |f: Field| row.get(f).map(|c| c.text.clone()).unwrap_or_default();
            // CPH006's key: licensor, license kind, FormatProfile (title and
            // territory are the timeline's own).
            let offer =
                (role == Role::Checked && facts.class != RowClass::MisplacedCph).then(|| {
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
            for (zone, territories) in by_zone {
                out.rows.push(WindowRow {
                    sheet: sheet_index,
                    row: row.row,
                    title: title.text.clone(),
                    territories: territories.into(),
                    excluded: row
                        .items(Field::TerritoryExclusion)
                        .map(|(_, t)| Box::from(t))
                        .collect(),
                    lane,
                    kind: text(Field::LicenseType),
                    licensor: text(Field::DisplayName),
                    offer,
                    start: facts.start.and_then(|s| s.in_zone(zone)),
                    end: facts.end.in_zone(zone),
                    written: (text(Field::Start), text(Field::End)),
                });
            }
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
                columns: (letter(Field::Start), letter(Field::End)),
                xml: info.source == model::SourceKind::Xml,
                previous: role == Role::Previous,
            });
        }
    }
    out
}

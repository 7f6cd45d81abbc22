//! availcheck command line: parse arguments, call the library, choose the
//! renderer and the exit code (0 clean, 1 findings, 2 usage or unreadable input).

mod man;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use availcheck::config::CheckFlags;
use availcheck::report::{self, FailOn, Format, RenderOptions, human};
use availcheck::rules;
use availcheck::{CheckOptions, read::ReadOptions};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Validate EMA Avails for Amazon Prime Video CPH SVOD before upload.
#[derive(Parser)]
#[command(name = "availcheck", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run")]
enum Command {
    /// Check avails files (or folders of them).
    ///
    /// Exit codes: 0 no errors (or nothing at the --fail-on level), 1 findings
    /// at or above --fail-on, 2 usage error, unreadable or unsupported input.
    /// An option given twice takes its last value (repeatable ones add up).
    #[command(args_override_self = true)]
    Check(CheckArgs),
    /// Show what a delivery changes at Amazon: per scope (licensor, title,
    /// territory, LicenseType) the windows added, changed and removed, and
    /// the scopes deleted, with counts per territory.
    ///
    /// Exit codes: 0 nothing live removed or ended, 1 the delivery removes
    /// or ends a window live at Amazon or changes more than --max-change
    /// (unless --fail-on never), 2 usage error or unreadable file.
    Diff(DiffArgs),
    /// List every rule: code, severity, title.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// Rule code (e.g. CPH005) or name.
        code: String,
    },
    /// Print a shell completion script (e.g. `availcheck completions bash > /etc/bash_completion.d/availcheck`).
    Completions {
        /// Shell to generate completions for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of availcheck, or of one subcommand.
    Man {
        /// Subcommand (e.g. `check`) for its own page `availcheck-check(1)`.
        subcommand: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour (even with NO_COLOR).
    Always,
    /// Never colour.
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Avails files or folders (.xlsx .xls .xlsb .ods .csv .xml).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// What is checked and how (each overrides availcheck.toml).
    #[command(flatten)]
    flags: CheckFlags,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the report to FILE instead of stdout, atomically (a temporary
    /// file in the same folder, fsynced and renamed into place when
    /// complete; never a half-written report), and print the human summary
    /// on stderr. `-` means stdout. FILE may not be an input.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write a copy of the checked .xlsx workbook in which every cell
    /// with a finding is filled (red error, amber warning, blue info) and
    /// commented, with a first sheet "availcheck" listing every finding
    /// with a link to its cell. Needs exactly one .xlsx input; OUT may not
    /// be an input, and is written atomically.
    #[arg(long, value_name = "OUT.xlsx")]
    annotate: Option<PathBuf>,
    /// Show at most N findings, the most severe: errors, then warnings,
    /// then infos, each in file order. Human output counts a group of the
    /// same finding once and says how many of each severity it hid; junit
    /// lists at most N locations (every rule still gets its test case);
    /// json, jsonl and sarif list N and count the rest in
    /// `summary.omitted` (sarif: `run.properties.omitted`). Summaries,
    /// counts and the exit code always cover everything.
    #[arg(long, visible_alias = "max-errors", value_name = "N")]
    max_diagnostics: Option<usize>,
    /// Human output: report each finding on its own, instead of the same
    /// finding on many rows once with its number of rows and first cells.
    #[arg(long)]
    no_group: bool,
    /// Skip, with an AVC010 info, files that are clearly not avails: an XML
    /// document whose root is not an Avails element, a CSV with neither EMA
    /// field names nor licensed-windows columns. Files found in folders are
    /// always screened so; without this flag a file named on the command
    /// line that is not avails is an unreadable input (exit 2). For
    /// pre-commit hooks and scans of whole repositories.
    #[arg(long)]
    skip_unrecognized: bool,
    /// Human output (and the stderr summary of --output): only the totals
    /// line, and nothing when the check passes.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Colour the human output (auto honours NO_COLOR and TERM=dumb).
    /// `never`, like TERM=dumb, also draws with ASCII only.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorArg,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error", value_name = "LEVEL")]
    fail_on: FailOn,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The delivery Amazon has (avails file or folder).
    previous: PathBuf,
    /// The delivery about to be sent (avails file or folder).
    current: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: report::diff::DiffFormat,
    /// When to exit 1.
    #[arg(long, value_enum, default_value = "concern")]
    fail_on: report::diff::DiffFailOn,
    /// Exit 1 when more than PERCENT of the previous delivery's windows are
    /// added, changed or removed.
    #[arg(long, value_name = "PERCENT")]
    max_change: Option<f64>,
    /// Time the live windows are judged at: RFC 3339 or a date [default: now].
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Zone for date-times without offset (see `check --time-zone`).
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    time_zone: Option<String>,
    /// Config file for CPH markers and the time zone [default:
    /// ./availcheck.toml if present].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write the diff to FILE instead of stdout, atomically.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(hint) = check_hint(&e) {
                eprintln!("{hint}");
                return ExitCode::from(2);
            }
            e.exit()
        }
    };
    match cli.command {
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for m in rules::all_meta() {
                let _ = writeln!(
                    out,
                    "{:<8} {:<8} {:<28} {}",
                    m.code,
                    m.severity.as_str(),
                    m.name,
                    m.title
                );
            }
            ExitCode::SUCCESS
        }
        Command::Explain { code } => match rules::find(&code) {
            Some(m) => {
                println!(
                    "{} {} ({}, severity {})\n\n# {}\n\n{}",
                    m.code,
                    m.name,
                    m.family.as_str(),
                    m.severity.as_str(),
                    m.title,
                    m.documentation().trim_end()
                );
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no rule `{code}`; `availcheck rules` lists them");
                ExitCode::from(2)
            }
        },
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "availcheck", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man { subcommand } => {
            let page = match man::page(Cli::command(), subcommand.as_deref()) {
                Ok(Some(page)) => page,
                Ok(None) => {
                    eprintln!(
                        "error: no subcommand `{}`",
                        subcommand.as_deref().unwrap_or_default()
                    );
                    return ExitCode::from(2);
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let mut out = std::io::stdout().lock();
            match out.write_all(&page).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Diff(args) => match run_diff(args) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => match run(args) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
    }
}

/// For `availcheck file.xlsx …`: the command line that checks it, when the
/// unknown subcommand looks like a file.
fn check_hint(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidSubcommand {
        return None;
    }
    let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand) else {
        return None;
    };
    let path = std::path::Path::new(word);
    let avails_like = path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
        availcheck::inputs::AVAILS_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
    });
    if !avails_like && !path.exists() {
        return None;
    }
    let args: Vec<String> = std::env::args().skip(1).map(|a| shell_word(&a)).collect();
    Some(format!(
        "error: `{word}` is not a command; to check it, run:\n\n    availcheck check {}\n\n`availcheck --help` lists the commands.",
        args.join(" ")
    ))
}

/// `arg` as a shell would need it typed: quoted when it holds anything
/// but letters, digits and `-_./,:=@+%`.
fn shell_word(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=@+%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// A progress bar on stderr, shown only when stderr is a terminal and the
/// check has run for more than [`Progress::DELAY`]; never on stdout.
struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    const DELAY: Duration = Duration::from_secs(2);

    fn start(files: usize, done: Arc<AtomicUsize>) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress { stop, thread: None };
        }
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            while started.elapsed() < Self::DELAY {
                if flag.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // The clock starts with the check, not with the bar.
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr())
                    .with_elapsed(started.elapsed());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} reading {pos}/{len} files, then checking… {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            while !flag.load(Ordering::Relaxed) {
                bar.set_position(done.load(Ordering::Relaxed) as u64);
                bar.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress {
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(args: CheckArgs) -> Result<ExitCode, String> {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err("`-` (standard input) cannot be checked: workbooks are zip archives read out of order, and a report names the file it is about; save the avails to a file and name it (a file called `-` is `./-`)".into());
    }
    let resolved = args.flags.resolve().map_err(|e| e.to_string())?;
    let output = args.output.clone().filter(|p| p.as_os_str() != "-");
    // The output may not be any file the run would read (checked first, so
    // an avails file named as the output is refused, not skipped).
    let references: Vec<PathBuf> = resolved
        .licensed
        .iter()
        .chain(&resolved.previous)
        .cloned()
        .collect();
    let inputs =
        availcheck::inputs::discover(&args.paths, &references, &[], args.skip_unrecognized).checked;
    let files = inputs.len() + references.len();
    let read: Vec<PathBuf> = inputs.iter().chain(&references).cloned().collect();
    if let Some(path) = &output {
        report::guard_output(path, &read).map_err(|e| e.to_string())?;
    }
    if let Some(path) = &args.annotate {
        report::guard_output(path, &read).map_err(|e| {
            e.to_string()
                .replacen("the report", "the annotated copy", 1)
        })?;
        if args.output.as_ref().is_some_and(|o| o == path) {
            return Err("--annotate and --output name the same file".into());
        }
    }
    // A missing folder is found before the check, not after it.
    for (path, what) in [
        (&output, "the report"),
        (&args.annotate, "the annotated copy"),
    ] {
        if let Some(path) = path {
            report::check_output_folder(path)
                .map_err(|e| format!("cannot write {what} to {}: {e}", path.display()))?;
        }
    }
    let done = Arc::new(AtomicUsize::new(0));
    let format = if args.json { Format::Json } else { args.format };
    let opts = CheckOptions {
        paths: args.paths.clone(),
        read: ReadOptions {
            template_version: resolved.template_version,
            sheets: resolved.sheets,
            ..Default::default()
        },
        settings: resolved.settings,
        licensed: resolved.licensed,
        previous: resolved.previous,
        outputs: output.iter().cloned().collect(),
        skip_unrecognized: args.skip_unrecognized,
        progress: Some(Arc::clone(&done)),
        windows: format.draws_windows(),
        // The process ends after the report, but a report that draws the
        // windows needs memory while it renders: the rows are freed beside it.
        exits_after_report: !format.draws_windows(),
    };
    let progress = Progress::start(files, done);
    let report = availcheck::check(&opts);
    progress.finish();
    let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-");
    let render = RenderOptions {
        color: use_color(args.color, to_stdout && std::io::stdout().is_terminal()),
        unicode: args.color != ColorArg::Never && !dumb_terminal(),
        width: output_width(if to_stdout {
            terminal_size::terminal_size_of(std::io::stdout())
        } else {
            terminal_size::terminal_size_of(std::io::stderr())
        }),
        group: !args.no_group,
        profile: opts.settings.profile.as_str(),
        max_diagnostics: args.max_diagnostics,
        quiet: args.quiet,
        fail_on: args.fail_on.threshold(),
    };
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    if let Some(path) = output {
        if let Err(e) =
            report::write_atomically(path, |w| report::render(&report, format, render, w))
        {
            eprintln!("error: cannot write the report to {}: {e}", path.display());
            return Ok(ExitCode::from(2));
        }
        let summary = RenderOptions {
            color: false,
            ..render
        };
        let mut stderr = std::io::stderr().lock();
        let _ = human::summary(&report, summary, &mut stderr).and_then(|()| stderr.flush());
    } else {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) =
            report::render(&report, format, render, &mut stdout).and_then(|()| stdout.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write the report: {e}");
            return Ok(ExitCode::from(2));
        }
    }
    if let Some(path) = &args.annotate {
        match report::annotate::write(&report, path) {
            Ok(s) => eprintln!(
                "annotated copy: {} ({} findings, {} cells marked; list on sheet \"{}\")",
                path.display(),
                s.findings,
                s.cells,
                s.sheet
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    if report.has_unreadable() {
        if format != Format::Human || output.is_some() {
            for f in report.files.iter().filter_map(|f| f.error.as_deref()) {
                eprintln!("error: {f}");
            }
        }
        return Ok(ExitCode::from(2));
    }
    Ok(if render.run_fails(&report) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_diff(args: DiffArgs) -> Result<ExitCode, String> {
    if let Some(max) = args.max_change.filter(|m| !m.is_finite() || *m < 0.0) {
        return Err(format!(
            "--max-change: `{max}` is not a percentage (0 or more)"
        ));
    }
    let flags = CheckFlags {
        as_of: args.as_of,
        time_zone: args.time_zone,
        config: args.config,
        ..CheckFlags::default()
    };
    let resolved = flags.resolve().map_err(|e| e.to_string())?;
    let output = args.output.filter(|p| p.as_os_str() != "-");
    if let Some(path) = &output {
        report::guard_output(path, &[args.previous.clone(), args.current.clone()])
            .map_err(|e| e.to_string())?;
    }
    let opts = availcheck::DiffOptions {
        previous: vec![args.previous],
        current: vec![args.current],
        read: ReadOptions::default(),
        settings: resolved.settings,
    };
    let diff = availcheck::diff(&opts).map_err(|e| e.to_string())?;
    let view = report::diff::DiffView {
        schema_version: report::diff::SCHEMA_VERSION,
        previous: &opts.previous,
        current: &opts.current,
        max_change: args.max_change,
        concerns: diff.concerns(args.max_change),
        diff: &diff,
    };
    let written = match &output {
        Some(path) => {
            report::write_atomically(path, |w| report::diff::render(&view, args.format, w))
                .map_err(|e| format!("cannot write the diff to {}: {e}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match report::diff::render(&view, args.format, &mut stdout)
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the diff: {e}"))
                }
                _ => Ok(()),
            }
        }
    };
    written?;
    let fails = args.fail_on == report::diff::DiffFailOn::Concern && !view.concerns.is_empty();
    Ok(if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--color`: `auto` colours a terminal unless NO_COLOR is set (and not
/// empty, as no-color.org says) or TERM is `dumb`; `always` and `never` are
/// unconditional.
fn use_color(choice: ColorArg, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && !dumb_terminal()
        }
    }
}

/// True when TERM is `dumb`: no colour, and ASCII only.
fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// Columns of human output: `COLUMNS` when it is a number, else the
/// terminal's width, else 100 (a file or a pipe).
fn output_width(terminal: Option<(terminal_size::Width, terminal_size::Height)>) -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or_else(|| terminal.map(|(w, _)| usize::from(w.0)).filter(|&w| w > 0))
        .unwrap_or(100)
}

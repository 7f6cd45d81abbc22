//! availcheck command line: parse arguments, call the library, choose the
//! renderer and the exit code (0 clean, 1 findings, 2 usage or unreadable input).

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use availcheck::config::Config;
use availcheck::model::Severity;
use availcheck::model::time::{parse_lead, parse_offset};
use availcheck::report::{self, Format, RenderOptions, human};
use availcheck::rules::{self, Profile, Settings};
use availcheck::{CheckOptions, read::ReadOptions};
use chrono::{DateTime, Utc};
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
    Check(CheckArgs),
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

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    /// EMA data dictionary rules only.
    Ema,
    /// EMA plus Amazon CPH SVOD rules.
    CphSvod,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
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
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Junit => Format::Junit,
            FormatArg::Github => Format::Github,
        }
    }
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Exit 1 when there is an error.
    Error,
    /// Exit 1 when there is an error or a warning.
    Warning,
    /// Always exit 0 unless an input is unreadable.
    Never,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Avails files or folders (.xlsx .xls .xlsb .ods .csv .xml).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Rule profile [default: cph-svod, or `profile` in availcheck.toml].
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// Use this template version instead of detecting it: 1.6, 1.7, 1.7.2, 1.7.3, 1.8, 1.9, or an Avails XML version 2.1 … 2.7 for XML inputs.
    #[arg(long, value_name = "VERSION")]
    template_version: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the report to FILE instead of stdout, atomically (a temporary
    /// file in the same folder, fsynced and renamed into place when
    /// complete; never a half-written report), and print the human summary
    /// on stderr. `-` means stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Show at most N diagnostics, the first N in file, sheet, row, column
    /// order. Human and github then say "K more not shown"; junit lists at
    /// most N locations (every rule still gets its test case); json, jsonl
    /// and sarif list N and count the rest in `summary.omitted`
    /// (sarif: `run.properties.omitted`). Summaries, counts and the exit code
    /// always cover everything. Without it every format shows all.
    #[arg(long, visible_alias = "max-errors", value_name = "N")]
    max_diagnostics: Option<usize>,
    /// Human output (and the stderr summary of --output): only the totals
    /// line, and nothing when the check passes.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Colour the human output (auto honours NO_COLOR).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorArg,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Config file [default: ./availcheck.toml if present].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Territories of your CPH agreement, comma-separated (e.g. US,GB,DE).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    territories: Option<Vec<String>>,
    /// Your Prime Video partner alias; DisplayName must equal it.
    #[arg(long, value_name = "ALIAS")]
    partner: Option<String>,
    /// Check time for forward-looking Starts (RFC 3339) [default: now].
    #[arg(long, value_name = "TIME")]
    as_of: Option<String>,
    /// Warn when a CPH Start is sooner than this after --as-of (e.g. 14d, 36h).
    #[arg(long, value_name = "DURATION")]
    min_lead: Option<String>,
    /// Licensed SVOD windows from another file (avails file, or CSV title_id,territory,start,end). Repeatable.
    #[arg(long, value_name = "FILE")]
    licensed: Vec<PathBuf>,
    /// Zone for date-times without offset: UTC or +hh:mm [default: UTC].
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    time_zone: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
            let page = match man_page(subcommand.as_deref()) {
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
        Command::Check(args) => match run(args) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
    }
}

/// The roff man page: `availcheck(1)` with the options of `check` and the
/// exit status, or `availcheck-SUB(1)` for one subcommand (`None` if there
/// is no such subcommand).
fn man_page(subcommand: Option<&str>) -> std::io::Result<Option<Vec<u8>>> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    if let Some(name) = subcommand {
        let Some(sub) = cmd.find_subcommand(name) else {
            return Ok(None);
        };
        // clap wants a &'static str; the process ends right after.
        let full: &'static str =
            Box::leak(format!("availcheck-{}", sub.get_name()).into_boxed_str());
        clap_mangen::Man::new(sub.clone().name(full)).render(&mut page)?;
        return Ok(Some(page));
    }
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    let mut extra = Vec::new();
    if let Some(check) = cmd.find_subcommand("check") {
        clap_mangen::Man::new(check.clone()).render_options_section(&mut extra)?;
    }
    let extra = String::from_utf8_lossy(&extra).replacen(".SH OPTIONS", ".SH \"CHECK OPTIONS\"", 1);
    let exit = ".SH \"EXIT STATUS\"\n.TP\n0\nNo finding at or above \\-\\-fail\\-on (default: error).\n\
                .TP\n1\nFindings at or above \\-\\-fail\\-on.\n\
                .TP\n2\nUsage error, unreadable or unsupported input, or the report could not be written.\n";
    let text = String::from_utf8_lossy(&page).into_owned();
    let at = text.find(".SH VERSION").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len() + exit.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(exit);
    out.push_str(&text[at..]);
    Ok(Some(out.into_bytes()))
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
            let bar =
                ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
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
    let config = Config::load(args.config.as_deref())
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    let settings = settings(&args, &config)?;
    let template_version = args
        .template_version
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: String| format!("--template-version: {e}"))?;
    let mut licensed = config.licensed_paths();
    licensed.extend(args.licensed.iter().cloned());
    let inputs = availcheck::expand_paths(&args.paths);
    let files = inputs.len() + licensed.len();
    if let Some(path) = args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        let read: Vec<PathBuf> = inputs.iter().chain(&licensed).cloned().collect();
        report::guard_output(path, &read).map_err(|e| e.to_string())?;
    }
    let done = Arc::new(AtomicUsize::new(0));
    let opts = CheckOptions {
        paths: args.paths.clone(),
        read: ReadOptions {
            template_version,
            ..Default::default()
        },
        settings,
        licensed,
        progress: Some(Arc::clone(&done)),
    };
    let progress = Progress::start(files, done);
    let report = availcheck::check(&opts);
    progress.finish();
    let format = if args.json {
        Format::Json
    } else {
        Format::from(args.format)
    };
    let fail_on = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let render = RenderOptions {
        color: use_color(
            args.color,
            args.output.as_ref().is_none_or(|p| p.as_os_str() == "-")
                && std::io::stdout().is_terminal(),
        ),
        profile: opts.settings.profile.as_str(),
        max_diagnostics: args.max_diagnostics,
        quiet: args.quiet,
        fail_on,
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

/// `--color`: `auto` colours a terminal unless NO_COLOR is set (and not
/// empty, as no-color.org says); `always` and `never` are unconditional.
fn use_color(choice: ColorArg, terminal: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn settings(args: &CheckArgs, config: &Config) -> Result<Settings, String> {
    let mut s = Settings::default();
    let at = |key: &str| format!("{} `{key}`", config.shown());
    s.profile = match (args.profile, config.profile.as_deref()) {
        (Some(ProfileArg::Ema), _) => Profile::Ema,
        (Some(ProfileArg::CphSvod), _) => Profile::CphSvod,
        (None, Some("ema")) => Profile::Ema,
        (None, Some("cph-svod") | None) => Profile::CphSvod,
        (None, Some(other)) => {
            return Err(format!(
                "{}: unknown profile `{other}` (ema or cph-svod)",
                at("profile")
            ));
        }
    };
    s.partner = args.partner.clone().or_else(|| config.partner.clone());
    let territories = args
        .territories
        .clone()
        .or_else(|| config.territories.clone());
    // `--territories us,gb` means US and GB: the list is the user's, not file data.
    s.territories = territories.map(|t| {
        t.iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect::<BTreeSet<String>>()
    });
    if let Some(t) = &s.territories
        && let Some(bad) = t
            .iter()
            .find(|c| availcheck::model::codes::territory_name(c).is_none())
    {
        let hint = if bad == "UK" {
            " (the United Kingdom is GB)"
        } else {
            ""
        };
        return Err(format!(
            "--territories: `{bad}` is not an ISO 3166-1 alpha-2 code{hint}"
        ));
    }
    if let Some(zone) = args.time_zone.as_deref().or(config.time_zone.as_deref()) {
        s.zone = parse_offset(zone)
            .ok_or_else(|| format!("time zone `{zone}`: use UTC or an offset such as +01:00"))?;
    }
    if let Some(t) = &args.as_of {
        s.as_of = DateTime::parse_from_rfc3339(t)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| format!("--as-of `{t}`: {e} (use RFC 3339, e.g. 2026-11-22T00:00:00Z)"))?;
    }
    if let Some(l) = args.min_lead.as_deref().or(config.min_lead.as_deref()) {
        s.min_lead =
            Some(parse_lead(l).ok_or_else(|| {
                format!("min lead `{l}`: use a number and d, h, w or m (e.g. 14d)")
            })?);
    }
    if let Some(n) = config.max_rows {
        s.max_rows = n;
    }
    s.markers = config.markers().map_err(|e| e.to_string())?;
    Ok(s)
}

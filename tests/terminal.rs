//! The human report on a terminal: it fits the width, underlines each bad
//! value on the value's own line, breaks paths at separators, shows the
//! most severe findings first, groups the same finding on many rows, and is
//! ASCII only when asked.
//!
//! Golden files: `tests/golden/problems-80.txt` and `problems-120.txt` are
//! the human report of `fixtures/cph-1.7.3-problems.xlsx` at 80 and 120
//! columns (times replaced by `0.00 s`). After a deliberate change to the
//! human output, rewrite them with
//!
//! ```text
//! AVAILCHECK_BLESS=1 cargo test --test terminal
//! ```
//!
//! and review the difference with `git diff tests/golden/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

/// The flags every run here uses with the problems fixture.
const AGREEMENT: [&str; 6] = [
    "--territories",
    "US,GB",
    "--partner",
    "acme",
    "--as-of",
    AS_OF,
];

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs availcheck in `cwd` with a clean terminal environment (no
/// COLUMNS, NO_COLOR or TERM unless `envs` sets them).
fn human(cwd: &Path, args: &[&str], envs: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("TERM");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run availcheck");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A folder holding a copy of the problems fixture, so that reports name
/// it by a short relative path.
fn problems_here() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures_dir().join("cph-1.7.3-problems.xlsx"),
        dir.path().join("cph-1.7.3-problems.xlsx"),
    )
    .unwrap();
    dir
}

/// Times vary from run to run.
fn without_times(text: &str) -> String {
    let re = regex::Regex::new(r"\d+\.\d\d s\b").unwrap();
    re.replace_all(text, "0.00 s").into_owned()
}

/// Every line is at most `width` columns (all glyphs drawn are one column wide).
#[track_caller]
fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "a line of {} columns at width {width}:\n{line}\n\n{text}",
            line.chars().count()
        );
    }
}

/// Each underline (`───` or `^^^`) is right under a value on the line
/// above: the underlined text follows `Field: ` there and is one of the
/// report's values (or its start, cut with an ellipsis). Gives how many
/// underlines were seen.
#[track_caller]
fn assert_underlines_under_values(text: &str, values: &[String]) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let under = regex::Regex::new(r"^ +[·:] +([─^]+) *$").unwrap();
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(m) = under.captures(line).and_then(|c| c.get(1)) else {
            continue;
        };
        let above: Vec<char> = lines[i - 1].chars().collect();
        let from = line[..m.start()].chars().count();
        let len = m.as_str().chars().count();
        assert!(
            from + len <= above.len(),
            "underline past its line:\n{}\n{line}",
            lines[i - 1]
        );
        let value: String = above[from..from + len].iter().collect();
        let before: String = above[..from].iter().collect();
        assert!(
            before.ends_with(": "),
            "not under a value:\n{}\n{line}",
            lines[i - 1]
        );
        let known = values.iter().any(|v| {
            *v == value
                || value
                    .strip_suffix('…')
                    .or_else(|| value.strip_suffix("..."))
                    .is_some_and(|start| v.starts_with(start))
        });
        assert!(
            known,
            "`{value}` is no finding's value:\n{}\n{line}",
            lines[i - 1]
        );
        seen += 1;
    }
    seen
}

/// The values of the problems fixture's findings, from its JSON report.
fn problem_values(dir: &Path) -> Vec<String> {
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx", "--json"];
    args.extend(AGREEMENT);
    let out = human(dir, &args, &[]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    diagnostics(&report)
        .iter()
        .filter_map(|d| d["location"]["value"].as_str().map(String::from))
        .collect()
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn problems_report_matches_its_golden_text_at_80_and_120_columns() {
    let dir = problems_here();
    let values = problem_values(dir.path());
    for width in [80, 120] {
        let columns = width.to_string();
        let mut args = vec!["check", "cph-1.7.3-problems.xlsx"];
        args.extend(AGREEMENT);
        let out = human(
            dir.path(),
            &args,
            &[("COLUMNS", &columns), ("TERM", "xterm-256color")],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        let text = without_times(&out.stdout);
        assert_fits(&text, width);
        assert_eq!(assert_underlines_under_values(&text, &values), 6, "{text}");
        let path = golden(&format!("problems-{width}.txt"));
        if std::env::var_os("AVAILCHECK_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            text == want,
            "the human report at {width} columns differs from {} (AVAILCHECK_BLESS=1 rewrites it):\n{text}",
            path.display()
        );
    }
}

#[test]
fn every_width_fits_and_keeps_underlines_on_their_values() {
    let dir = problems_here();
    let values = problem_values(dir.path());
    for width in [40, 60, 80, 100, 160] {
        let columns = width.to_string();
        let mut args = vec!["check", "cph-1.7.3-problems.xlsx"];
        args.extend(AGREEMENT);
        for term in ["xterm", "dumb"] {
            let out = human(dir.path(), &args, &[("COLUMNS", &columns), ("TERM", term)]);
            assert_fits(&out.stdout, width);
            assert_eq!(assert_underlines_under_values(&out.stdout, &values), 6);
        }
    }
    // Not a terminal and no COLUMNS: 100 columns.
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[]);
    assert_fits(&out.stdout, 100);
    assert!(
        out.stdout.lines().any(|l| l.chars().count() > 80),
        "uses the 100 columns:\n{}",
        out.stdout
    );
}

#[test]
fn xml_lines_are_cut_to_the_width_around_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let xml = fixtures_dir().join("xml/structure_errors_v2.3.xml");
    let xml = xml.display().to_string();
    for width in [40, 60, 80] {
        let columns = width.to_string();
        let out = human(
            dir.path(),
            &["check", &xml, "--as-of", AS_OF, "--no-group"],
            &[("COLUMNS", &columns), ("TERM", "xterm")],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_fits(&out.stdout, width);
        assert!(
            out.stdout.contains(" │ "),
            "source lines are shown:\n{}",
            out.stdout
        );
    }
}

#[test]
fn long_paths_break_at_separators_and_the_table_stays_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("deliveries-for-prime-video/2027-01-quarterly/acme-studios");
    std::fs::create_dir_all(&deep).unwrap();
    let name = "v1.7.3_EMA_Avails_Movies-TV_template_acme-2027-01.xlsx";
    std::fs::copy(
        fixtures_dir().join("cph-1.7.3-problems.xlsx"),
        deep.join(name),
    )
    .unwrap();
    let other = dir.path().join("b.xlsx");
    std::fs::copy(fixtures_dir().join("cph-1.7.3-problems.xlsx"), &other).unwrap();
    let path = deep.join(name).display().to_string();
    let mut args = vec!["check", path.as_str(), "b.xlsx"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[("COLUMNS", "80"), ("TERM", "xterm")]);
    assert_fits(&out.stdout, 80);
    // Each piece of the path is whole on some line: breaks are at `/`.
    for piece in path.split('/').filter(|p| !p.is_empty()) {
        assert!(
            out.stdout.contains(piece),
            "`{piece}` broken:\n{}",
            out.stdout
        );
    }
    for line in out.stdout.lines() {
        if let Some(at) = line.find("deliveries-for-prime-video") {
            let rest = &line[at..];
            assert!(
                rest.contains(name) || rest.trim_end().ends_with('/'),
                "a path broken inside a name:\n{line}"
            );
        }
    }
    // The table: every row's count ends in the same column, however long
    // the first locations.
    let table: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("code "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() > 3, "{}", out.stdout);
    let count_end = table[0].find("count").unwrap() + "count".len();
    let codes = regex::Regex::new(r"^  [A-Z]{3}\d{3} ").unwrap();
    for row in table.iter().filter(|r| codes.is_match(r)) {
        let before: String = row.chars().take(count_end).collect();
        assert!(
            before.ends_with(|c: char| c.is_ascii_digit()),
            "count not aligned:\n{}",
            table.join("\n")
        );
    }
}

#[test]
fn the_table_shows_the_severity_each_finding_fired_with() {
    let dir = problems_here();
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx", "--json"];
    args.extend(AGREEMENT);
    let report: Value = serde_json::from_str(&human(dir.path(), &args, &[]).stdout).unwrap();
    args.retain(|a| *a != "--json");
    let out = human(dir.path(), &args, &[("COLUMNS", "200")]);
    let mut want = std::collections::BTreeMap::new();
    for d in diagnostics(&report) {
        *want
            .entry((
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            ))
            .or_insert(0) += 1;
    }
    let row = regex::Regex::new(r"(?m)^  ([A-Z]{3}\d{3}) +(error|warning|info) +(\d+) ").unwrap();
    let got: std::collections::BTreeMap<(String, String), i32> = row
        .captures_iter(&out.stdout)
        .map(|c| ((c[1].to_string(), c[2].to_string()), c[3].parse().unwrap()))
        .collect();
    assert_eq!(got, want, "{}", out.stdout);
}

#[test]
fn max_diagnostics_shows_the_most_severe_and_counts_what_it_hid() {
    let dir = problems_here();
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx", "--max-diagnostics", "1"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert_eq!(out.code, 1);
    // The first error in file order (row 4), not the AVC001 info.
    assert!(out.stdout.starts_with("CPH005\n"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("checked as EMA Avails"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "… 6 more diagnostics not shown (--max-diagnostics 1): 5 errors, 1 info; use --format json for all"
        ),
        "{}",
        out.stdout
    );
    // The machine formats take the same most severe findings.
    args.push("--json");
    let report: Value = serde_json::from_str(&human(dir.path(), &args, &[]).stdout).unwrap();
    let listed = diagnostics(&report);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["code"], "CPH005");
    assert_eq!(report["summary"]["omitted"], 6);
    // Without a cap every finding is shown, errors before the info.
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx"];
    args.extend(AGREEMENT);
    let all = human(dir.path(), &args, &[]).stdout;
    let order: Vec<&str> = all
        .lines()
        .filter(|l| regex::Regex::new(r"^[A-Z]{3}\d{3}$").unwrap().is_match(l))
        .collect();
    assert_eq!(
        order,
        [
            "CPH005", "CPH003", "CPH004", "EMA004", "CPH001", "CPH007", "AVC001"
        ]
    );
}

#[test]
fn the_same_finding_on_many_rows_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let recs: Vec<Rec> = (1..=12)
        .map(|n| {
            movies_1_7_3().with(&[
                ("FormatProfile", "4K"),
                ("ALID", &format!("md:alid:org:acme:movie-{n:04}")),
            ])
        })
        .collect();
    workbook(dir.path(), "many.xlsx", "Movies", &recs);
    let mut args = vec!["check", "many.xlsx"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[("COLUMNS", "100"), ("TERM", "xterm")]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout.lines().filter(|l| *l == "EMA004").count(),
        1,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("on 12 rows: Movies!L4, L5, L6, L7, L8 … and 7 more"),
        "{}",
        out.stdout
    );
    assert!(
        regex::Regex::new(r"(?m)^  EMA004 +error +12 ")
            .unwrap()
            .is_match(&out.stdout),
        "the table counts every row: {}",
        out.stdout
    );
    args.push("--no-group");
    let each = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert_eq!(
        each.stdout.lines().filter(|l| *l == "EMA004").count(),
        12,
        "{}",
        each.stdout
    );
    // A group counts once against --max-diagnostics; the machine formats keep every finding.
    args.retain(|a| *a != "--no-group");
    args.extend(["--max-diagnostics", "1"]);
    let one = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert!(one.stdout.contains("on 12 rows"), "{}", one.stdout);
    assert!(
        one.stdout.contains("1 more diagnostic not shown"),
        "{}",
        one.stdout
    );
    args.retain(|a| *a != "--max-diagnostics" && *a != "1");
    args.push("--json");
    let report: Value = serde_json::from_str(&human(dir.path(), &args, &[]).stdout).unwrap();
    assert_eq!(with_code(&report, "EMA004").len(), 12);
}

#[test]
fn dumb_terminals_and_color_never_get_ascii_only() {
    let dir = problems_here();
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx"];
    args.extend(AGREEMENT);
    let dumb = human(dir.path(), &args, &[("TERM", "dumb")]);
    assert!(dumb.stdout.is_ascii(), "{}", dumb.stdout);
    args.extend(["--color", "never"]);
    let never = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert!(never.stdout.is_ascii(), "{}", never.stdout);
    assert_eq!(without_times(&never.stdout), without_times(&dumb.stdout));
    // Otherwise box glyphs, and no colour when stdout is not a terminal.
    args.truncate(args.len() - 2);
    let plain = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert!(plain.stdout.contains('╭') && !plain.stdout.contains('\x1b'));
}

#[test]
fn colour_marks_the_verdict_and_the_severities() {
    let dir = problems_here();
    let mut args = vec!["check", "cph-1.7.3-problems.xlsx", "--color", "always"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[("TERM", "xterm")]);
    let coloured = |word: &str| {
        regex::Regex::new(&format!(r"\x1b\[[0-9;]*m{word}\x1b\[0m"))
            .unwrap()
            .is_match(&out.stdout)
    };
    assert!(coloured("INVALID"), "{}", out.stdout);
    assert!(coloured("error"), "{}", out.stdout);
    assert!(coloured("info"), "{}", out.stdout);
    let clean = fixtures_dir().join("cph-1.7.3-movies.xlsx");
    let clean = clean.display().to_string();
    let mut args = vec!["check", clean.as_str(), "--color", "always"];
    args.extend(AGREEMENT);
    let out = human(dir.path(), &args, &[("TERM", "xterm")]);
    assert!(
        regex::Regex::new(r"\x1b\[[0-9;]*mVALID\x1b\[0m")
            .unwrap()
            .is_match(&out.stdout),
        "{}",
        out.stdout
    );
    // TERM=dumb turns auto colour off even on a terminal; NO_COLOR too
    // (tests/formats.rs): here, no terminal, so only --color always colours.
    let out = human(dir.path(), &args, &[("TERM", "dumb")]);
    assert!(out.stdout.contains('\x1b'), "--color always wins");
}

/// The progress bar appears on a terminal after 2 s and counts from the
/// start of the check: its first reading is 2 s or more, never `0s`.
#[cfg(target_os = "linux")]
#[test]
fn the_progress_bar_counts_from_the_start_of_the_check() {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    use std::process::Stdio;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    // The only input is a FIFO that gets its rows after 3 s: the check
    // takes that long, however fast the machine.
    let fifo = dir.path().join("slow.csv");
    let name = std::ffi::CString::new(fifo.display().to_string()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    // stderr is a pseudo-terminal of 100 columns.
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty");
    let (mut master, slave) = unsafe {
        (
            std::fs::File::from_raw_fd(master),
            std::fs::File::from_raw_fd(slave),
        )
    };
    let mut child = {
        let mut cmd = Command::new(bin());
        cmd.args(["check", "--json", "--as-of", AS_OF])
            .arg(&fifo)
            .current_dir(dir.path())
            .env("TERM", "xterm")
            .stdout(Stdio::null())
            .stderr(Stdio::from(slave));
        cmd.spawn().unwrap()
        // The command, and the parent's end of the terminal with it, is dropped here.
    };
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        // Ends with EIO once the child has exited.
        while let Ok(n) = master.read(&mut chunk) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&seen).into_owned()
    });
    std::thread::sleep(Duration::from_millis(3_500));
    let rec = movies_1_7_3();
    let csv = format!(
        "{}\n{}\n",
        rec.fields().join(","),
        rec.values_for(&rec.fields()).join(",")
    );
    std::fs::write(&fifo, csv).unwrap();
    let status = child.wait().unwrap();
    assert!(status.code().is_some(), "{status:?}");
    let drawn = reader.join().unwrap();
    let elapsed = regex::Regex::new(r"then checking… (\d+)s").unwrap();
    let seconds: Vec<u64> = elapsed
        .captures_iter(&drawn)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert!(!seconds.is_empty(), "no progress bar: {drawn:?}");
    assert!(
        seconds.iter().all(|&s| s >= 2),
        "the bar read {seconds:?}: {drawn:?}"
    );
}

//! `availcheck man`: the roff man pages, built from the command line's
//! clap definition (clap_mangen for the NAME, DESCRIPTION, OPTIONS and
//! VERSION sections) with a SYNOPSIS that shows every option's value, and
//! the EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES sections.

/// Examples for the man pages: what each does, and the command.
const EXAMPLES: [(&str, &str); 8] = [
    (
        "Check a workbook against your CPH agreement:",
        "availcheck check avails.xlsx --territories US,GB --partner acme",
    ),
    (
        "Check a folder (searched recursively), errors first, at most 20 findings:",
        "availcheck check deliveries/ --max-diagnostics 20",
    ),
    (
        "Write a SARIF report for code scanning; the summary goes to stderr:",
        "availcheck check avails/ --format sarif -o availcheck.sarif",
    ),
    (
        "Compare with the Licensed SVOD windows of another file:",
        "availcheck check avails.xlsx --licensed licensed-windows.csv",
    ),
    (
        "Check this month's Full Extract against what Amazon already has:",
        "availcheck check 2026-11.xlsx --previous 2026-10.xlsx",
    ),
    (
        "See what a delivery changes at Amazon, scope by scope:",
        "availcheck diff 2026-10.xlsx 2026-11.xlsx",
    ),
    (
        "Give the person who fixes the workbook an annotated copy:",
        "availcheck check avails.xlsx --annotate avails-checked.xlsx",
    ),
    (
        "Install the man pages:",
        "availcheck man > ~/.local/share/man/man1/availcheck.1\navailcheck man check > ~/.local/share/man/man1/availcheck-check.1",
    ),
];

/// `text` with roff's special characters escaped.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    // A line starting with `.` or `'` would be a request.
    match text.chars().next() {
        Some('.' | '\'') => format!("\\&{text}"),
        _ => text,
    }
}

/// The SYNOPSIS line of `cmd` run as `name`: every option with its value
/// (`[-o|--output FILE]`, `[--licensed FILE]...`), then the operands.
fn synopsis(cmd: &clap::Command, name: &str) -> String {
    let mut parts = vec![format!("\\fB{}\\fR", roff(name))];
    let mut operands = Vec::new();
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| arg.get_id().as_str().to_uppercase(), |v| v.to_string());
        let many = matches!(arg.get_action(), clap::ArgAction::Append)
            || arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        if arg.is_positional() {
            let op = format!("\\fI{}\\fR{}", roff(&value), if many { "..." } else { "" });
            operands.push(if arg.is_required_set() {
                op
            } else {
                format!("[{op}]")
            });
            continue;
        }
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("\\fB\\-{s}\\fR|\\fB\\-\\-{}\\fR", roff(l)),
            (None, Some(l)) => format!("\\fB\\-\\-{}\\fR", roff(l)),
            (Some(s), None) => format!("\\fB\\-{s}\\fR"),
            (None, None) => continue,
        };
        let value = if arg.get_action().takes_values() {
            format!(" \\fI{}\\fR", roff(&value))
        } else {
            String::new()
        };
        let repeat = if matches!(arg.get_action(), clap::ArgAction::Append) {
            "..."
        } else {
            ""
        };
        parts.push(format!("[{flag}{value}]{repeat}"));
    }
    parts.extend(operands);
    parts.join(" ")
}

/// The sections every page ends with: exit status, environment, files,
/// examples.
fn man_tail() -> String {
    let mut out = String::from(
        ".SH \"EXIT STATUS\"\n.TP\n0\nNo finding at or above \\-\\-fail\\-on (default: error).\n\
         .TP\n1\nFindings at or above \\-\\-fail\\-on.\n\
         .TP\n2\nUsage error, bad availcheck.toml, unreadable or unsupported input, or the report could not be written.\n\
         .SH ENVIRONMENT\n.TP\nCOLUMNS\nWidth of the human output (else the terminal's, else 100).\n\
         .TP\nNO_COLOR\nWhen set and not empty, \\-\\-color auto does not colour.\n\
         .TP\nTERM\n\\fBdumb\\fR: no colour, ASCII only.\n\
         .SH FILES\n.TP\navailcheck.toml\nSettings read from the working directory (or \\-\\-config FILE); flags override them.\n\
         .SH EXAMPLES\n",
    );
    for (what, command) in EXAMPLES {
        out.push_str(&format!(
            ".PP\n{}\n.PP\n.RS 4\n.nf\n{}\n.fi\n.RE\n",
            roff(what),
            roff(command)
        ));
    }
    out
}

/// The roff man page of `cmd` (availcheck's command line):
/// `availcheck(1)` with every command and every option of `check`, or the
/// page of one subcommand (`None` if there is no such subcommand). Neither
/// points to a page that is not installed.
pub fn page(cmd: clap::Command, subcommand: Option<&str>) -> std::io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    let mut tail = Vec::new();
    let synopsis_text;
    if let Some(name) = subcommand {
        let Some(sub) = cmd.find_subcommand(name) else {
            return Ok(None);
        };
        // clap wants a &'static str; the process ends right after.
        let full: &'static str =
            Box::leak(format!("availcheck-{}", sub.get_name()).into_boxed_str());
        let page = sub.clone().name(full).version(env!("CARGO_PKG_VERSION"));
        let man = clap_mangen::Man::new(page.clone());
        man.render_title(&mut head)?;
        man.render_name_section(&mut head)?;
        synopsis_text = synopsis(&page, &format!("availcheck {}", sub.get_name()));
        man.render_description_section(&mut body)?;
        if page.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut body)?;
        }
        man.render_version_section(&mut tail)?;
    } else {
        let man = clap_mangen::Man::new(cmd.clone());
        man.render_title(&mut head)?;
        man.render_name_section(&mut head)?;
        let lines: Vec<String> = cmd
            .get_subcommands()
            .filter(|s| s.get_name() != "help")
            .map(|s| synopsis(s, &format!("availcheck {}", s.get_name())))
            .collect();
        synopsis_text = lines.join("\n.br\n");
        man.render_description_section(&mut body)?;
        body.extend_from_slice(b".SH COMMANDS\n");
        for s in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let about = s.get_about().map(ToString::to_string).unwrap_or_default();
            body.extend_from_slice(
                format!(
                    ".TP\n\\fBavailcheck {}\\fR\n{}\n",
                    s.get_name(),
                    roff(&about)
                )
                .as_bytes(),
            );
        }
        if let Some(check) = cmd.find_subcommand("check") {
            let mut options = Vec::new();
            clap_mangen::Man::new(check.clone()).render_options_section(&mut options)?;
            body.extend_from_slice(
                String::from_utf8_lossy(&options)
                    .replacen(".SH OPTIONS", ".SH \"CHECK OPTIONS\"", 1)
                    .as_bytes(),
            );
        }
        man.render_version_section(&mut tail)?;
    }
    let mut out = String::from_utf8_lossy(&head).into_owned();
    out.push_str(&format!(".SH SYNOPSIS\n{synopsis_text}\n"));
    out.push_str(&String::from_utf8_lossy(&body));
    out.push_str(&man_tail());
    out.push_str(&String::from_utf8_lossy(&tail));
    // clap_mangen starts each section it renders with the same two-line
    // preamble; once is enough.
    let mut seen = std::collections::HashSet::new();
    let out: Vec<&str> = out
        .lines()
        .filter(|l| {
            !(l.starts_with(".ie \\n(.g") || l.starts_with(".el .ds Aq")) || seen.insert(*l)
        })
        .collect();
    Ok(Some((out.join("\n") + "\n").into_bytes()))
}

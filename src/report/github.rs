//! `--format github`: GitHub Actions workflow commands, one per diagnostic:
//! `::error file=PATH,line=L,col=C,title=CODE::message` (`warning` →
//! `::warning`, `info` → `::notice`). GitHub turns them into annotations on
//! the run summary (and on the diff for text files such as CSV and XML).
//!
//! Escaping follows GitHub's toolkit (`@actions/core` `command.ts`): in the
//! message `%` → `%25`, `\r` → `%0D`, `\n` → `%0A`; in property values also
//! `:` → `%3A` and `,` → `%2C`.

use std::io::Write;

use super::{RenderOptions, cell_ref, line_col};
use crate::Report;
use crate::model::{Diagnostic, Severity};

/// Escapes a command's message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`, …): a message's escapes
/// plus `:` and `,`, which separate properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Writes one workflow command for a diagnostic.
fn write_one(d: &Diagnostic, out: &mut dyn Write) -> std::io::Result<()> {
    let loc = &d.location;
    let mut props = vec![format!("file={}", escape_property(&loc.file))];
    let (line, col) = line_col(loc);
    if let Some(l) = line {
        props.push(format!("line={l}"));
        if let Some(c) = col {
            props.push(format!("col={c}"));
        }
    }
    props.push(format!("title={}", escape_property(d.code)));
    // Binary workbooks get no inline annotation, so the message names the cell.
    let mut message = cell_ref(loc).unwrap_or_default();
    if let Some(f) = &loc.field {
        if !message.is_empty() {
            message.push(' ');
        }
        message.push_str(&format!("[{f}]"));
    }
    if !message.is_empty() {
        message.push_str(": ");
    }
    message.push_str(&d.message);
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    for r in &d.related {
        message.push_str(&format!("\n{}: {}", r.message, r.location.display()));
    }
    writeln!(
        out,
        "::{} {}::{}",
        command(d.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Writes the unreadable files, then the diagnostics (at most
/// `--max-diagnostics`, then a notice of how many were left out).
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    for f in &report.files {
        if let Some(e) = &f.error {
            writeln!(
                out,
                "::error file={},title=unreadable::{}",
                escape_property(&f.path),
                escape_data(e)
            )?;
        }
    }
    let shown = opts.shown(report);
    for d in &shown.diagnostics {
        write_one(d, out)?;
    }
    if shown.hidden.total() > 0 {
        writeln!(
            out,
            "::notice title=availcheck::{}",
            escape_data(&shown.hidden.sentence(shown.diagnostics.len(), "…"))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("dir,x/a:b%.xlsx\n"),
            "dir%2Cx/a%3Ab%25.xlsx%0A"
        );
    }
}

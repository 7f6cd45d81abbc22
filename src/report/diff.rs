//! `availcheck diff` output: what a delivery changes at Amazon, for people
//! (human) and for programs (json, schemas/diff.schema.json).

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::model::time::format_instant;
use crate::rules::delivery::{Change, DeliveryDiff, Offer, Scope, Seen, Window};

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// Changed scopes, counts per territory and totals (for people; do not parse).
    #[default]
    Human,
    /// One JSON document (schemas/diff.schema.json).
    Json,
}

/// When `diff` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFailOn {
    /// Exit 1 when the delivery removes or ends a window live at Amazon, or
    /// changes more than --max-change.
    #[default]
    Concern,
    /// Always exit 0 unless a file is unreadable.
    Never,
}

/// Version of the JSON document's layout (schemas/diff.schema.json).
pub const SCHEMA_VERSION: u32 = 1;

/// A diff with what a renderer shows besides it.
#[derive(Debug, Serialize)]
pub struct DiffView<'a> {
    /// Layout version.
    pub schema_version: u32,
    /// The previous delivery's files, as given.
    pub previous: &'a [PathBuf],
    /// The current delivery's files, as given.
    pub current: &'a [PathBuf],
    /// `--max-change`, in percent.
    pub max_change: Option<f64>,
    /// Why the delivery needs a person's yes ([`DeliveryDiff::concerns`]).
    pub concerns: Vec<String>,
    /// The diff.
    #[serde(flatten)]
    pub diff: &'a DeliveryDiff,
}

/// Renders `view` in `format`.
pub fn render(view: &DiffView<'_>, format: DiffFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        DiffFormat::Human => human(view, out),
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, view)?;
            writeln!(out)
        }
    }
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CPH HD` or `TVOD SD`: the offer, or the LicenseType, and the format.
fn offer(scope: &Scope, w: &Window) -> String {
    let offer = match w.offer {
        Offer::Other => scope.license.as_str(),
        o => o.describe(),
    };
    format!("{offer} {}", w.format).trim_end().to_string()
}

fn change(c: Change) -> &'static str {
    match c {
        Change::EndMoved => "End moved",
        Change::StartMoved => "Start moved",
        Change::Moved | Change::New | Change::Unchanged => "Start and End moved",
    }
}

fn live(s: &Seen) -> &'static str {
    if s.live { ", live" } else { "" }
}

/// `  - removed  Licensed SVOD HD, live  (previous.xlsx:Movies!4:4)`
fn entry(out: &mut dyn Write, sign: char, verb: &str, what: &str, w: &Window) -> io::Result<()> {
    writeln!(out, "  {sign} {verb:<8} {what}  ({})", w.location.display())
}

fn human(view: &DiffView<'_>, out: &mut dyn Write) -> io::Result<()> {
    let d = view.diff;
    writeln!(
        out,
        "What {} changes at Amazon\n  against {}, live windows as of {}",
        names(view.current),
        names(view.previous),
        format_instant(d.as_of, chrono::FixedOffset::east_opt(0).expect("UTC"))
    )?;
    for s in &d.scopes {
        writeln!(out, "\n{}", s.scope.describe())?;
        if s.deleted {
            writeln!(out, "  x Full Delete: every window of the scope is removed")?;
        }
        for w in &s.removed {
            let what = format!("{}{}", offer(&s.scope, &w.window), live(w));
            entry(out, '-', "removed", &what, &w.window)?;
            writeln!(out, "      {}", w.window.span())?;
        }
        for m in &s.changed {
            let what = format!(
                "{}, {}{}",
                offer(&s.scope, &m.after.window),
                change(m.change),
                if m.ends_live {
                    ": Amazon stops showing it now"
                } else {
                    ""
                }
            );
            entry(out, '~', "changed", &what, &m.after.window)?;
            writeln!(out, "      was  {}", m.before.window.span())?;
            writeln!(out, "      now  {}", m.after.window.span())?;
        }
        for w in &s.added {
            entry(out, '+', "added", &offer(&s.scope, &w.window), &w.window)?;
            writeln!(out, "      {}", w.window.span())?;
        }
        if s.unchanged > 0 {
            writeln!(out, "  = {} unchanged", s.unchanged)?;
        }
    }
    if !d.territories.is_empty() {
        let width = d
            .territories
            .iter()
            .map(|t| t.territory.len())
            .max()
            .unwrap_or(0)
            .max("territory".len());
        writeln!(
            out,
            "\n{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
            "territory", "added", "changed", "removed", "deleted"
        )?;
        for t in &d.territories {
            writeln!(
                out,
                "{:<width$}  {:>7}  {:>7}  {:>7}  {:>7}",
                t.territory, t.added, t.changed, t.removed, t.deleted
            )?;
        }
    }
    let t = &d.totals;
    writeln!(
        out,
        "\n{} added, {} changed, {} removed ({} live), {} scope{} deleted, {} unchanged:\n{:.1}% of the previous delivery's {} windows change.",
        t.added,
        t.changed,
        t.removed,
        t.removed_live,
        t.deleted_scopes,
        if t.deleted_scopes == 1 { "" } else { "s" },
        t.unchanged,
        t.change_percent,
        t.previous_windows
    )?;
    if view.concerns.is_empty() {
        writeln!(out, "No window live at Amazon is removed or ended.")
    } else {
        writeln!(out, "Review before sending: {}.", view.concerns.join("; "))
    }
}

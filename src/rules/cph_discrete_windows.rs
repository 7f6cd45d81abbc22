//! CPH006: discrete windows per Licensor–title–Territory–license kind.

use std::hash::BuildHasher;

use chrono::{DateTime, Utc};

use super::{Context, End, Family, RowClass, RuleInput, RuleMeta};
use crate::model::time;
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "CPH006",
    name: "overlapping-windows",
    title: "Duplicate or overlapping windows for the same Licensor, title, territory and license kind",
    severity: Severity::Error,
    family: Family::Cph,
    docs: r#"## What it does
Groups every row of the checked files by Licensor (`DisplayName`), title
(ALID; AltID on 1.6), territory, license kind and FormatProfile, and reports
windows that duplicate or overlap an earlier one of the group. CPH and
Licensed SVOD are different license kinds (CPH005 compares those); other
rows use their LicenseType. Rows that differ only in FormatProfile are
separate offers (EMA's one-row-per-format rule), so FormatProfile is part of
the key. Open Ends run forever. Sorting per group; no pairwise scan.

## Why is this bad?
Amazon: "We don't accept duplicate or overlapping windows for the same
Licensor-ALID-Territory-LicenseType. Please send discrete windows for all
avails submitted."

## How to fix
Merge the rows or make their windows discrete (End of one before Start of the next).

## Source and assumptions
Amazon Video Central "Content rights" page. Including FormatProfile in the
key is availcheck's reading of EMA's one-row-per-format rule.
"#,
};

/// See [`META`].
pub struct Rule;

struct Window<'a> {
    row: &'a Avail,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Window<'_> {
    fn span(&self) -> time::Window {
        time::Window {
            start: self.start,
            end: self.end,
        }
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // (Licensor, title, territory, license kind, FormatProfile), borrowed from the rows.
        type Key<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);
        // One entry per row and territory, sorted so each key's windows are
        // adjacent and in Start order: no per-group allocation.
        // Each key's hash leads the sort, so keys are compared as strings only when equal.
        let mut entries: Vec<(u64, Key<'_>, Window<'_>)> = Vec::new();
        for (row, facts) in input.rows() {
            let kind = match facts.class {
                RowClass::Cph => "SVOD (CPH)",
                RowClass::MisplacedCph => continue,
                _ => row.text("LicenseType"),
            };
            let Some(id) = facts.title(row) else { continue };
            let Some(start) = facts.start else { continue };
            let end = match facts.end {
                End::Open => None,
                End::At(e) => Some(e),
                End::Unusable => continue,
            };
            for (_, t) in row.territories() {
                let key = (
                    row.text("DisplayName"),
                    id,
                    t,
                    kind,
                    row.text("FormatProfile"),
                );
                entries.push((
                    rustc_hash::FxBuildHasher.hash_one(key),
                    key,
                    Window { row, start, end },
                ));
            }
        }
        entries.sort_unstable_by(|(ha, ka, a), (hb, kb, b)| {
            (ha, ka).cmp(&(hb, kb)).then_with(|| {
                (
                    a.start,
                    a.row.sheet.file_index,
                    a.row.sheet.sheet_index,
                    a.row.row,
                )
                    .cmp(&(
                        b.start,
                        b.row.sheet.file_index,
                        b.row.sheet.sheet_index,
                        b.row.row,
                    ))
            })
        });
        for group in entries.chunk_by(|(_, a, _), (_, b, _)| a == b) {
            if group.len() < 2 {
                continue;
            }
            let (_, title, territory, kind, _) = group[0].1;
            let windows: Vec<&Window<'_>> = group.iter().map(|(_, _, w)| w).collect();
            // The window reaching furthest so far.
            let mut reach: Option<usize> = None;
            for i in 0..windows.len() {
                if let Some(p) = reach {
                    let prev = &windows[p];
                    let cur = &windows[i];
                    if prev.span().overlaps(&cur.span()) {
                        let what = if prev.start == cur.start && prev.end == cur.end {
                            "duplicates"
                        } else {
                            "overlaps"
                        };
                        out.push(
                            META.at_field(
                                cur.row,
                                "Start",
                                format!(
                                    "{kind} window for `{title}` in {territory} ({} – {}) {what} the window of {}",
                                    cur.row.text("Start"),
                                    cur.row.text("End"),
                                    prev.row.row_location().display()
                                ),
                            )
                            .with_related("the earlier window", prev.row.location("Start"))
                            .with_help("send discrete windows: end one before the next starts, or merge the rows"),
                        );
                    }
                }
                let further = match reach {
                    None => true,
                    Some(p) => match (windows[p].end, windows[i].end) {
                        (None, _) => false,
                        (Some(_), None) => true,
                        (Some(a), Some(b)) => b > a,
                    },
                };
                if further {
                    reach = Some(i);
                }
            }
        }
    }
}

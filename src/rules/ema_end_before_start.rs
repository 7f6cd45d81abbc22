//! EMA010: End is not after Start.

use super::{Context, Family, RuleMeta};
use crate::model::time::{When, format_instant};
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "EMA010",
    name: "end-not-after-start",
    title: "End is not after Start",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Compares a row's `Start` and `End` when both are dates or date-times (a
date-only Start means 00:00:00, a date-only End 23:59:59). The End must be
later than the Start.

## Why is this bad?
An empty or reversed window publishes nothing; MovieLabs does not check this,
Amazon rejects it.

## Example
`Start = 2026-05-01`, `End = 2026-04-30`.

## How to fix
Swap or correct the dates.

## Source
Google's emavalidator `StartLessEnd`; ema-avails-format.md §3.2 "Not checked by mddf".
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let zone = ctx.settings.zone;
        let start = When::parse(row.text("Start")).start_instant(zone);
        let end = When::parse(row.text("End")).end_instant(zone);
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            out.push(
                META.at_field(
                    row,
                    "End",
                    format!(
                        "End `{}` ({}) is not after Start `{}` ({})",
                        row.text("End"),
                        format_instant(e, zone),
                        row.text("Start"),
                        format_instant(s, zone)
                    ),
                )
                .with_related("Start of this row", row.location("Start"))
                .with_help("correct the dates so that End is later than Start"),
            );
        }
    }
}

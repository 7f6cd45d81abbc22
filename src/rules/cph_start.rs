//! CPH004: forward-looking Start.

use super::{Context, Family, RowClass, RuleMeta};
use crate::model::time::{When, format_instant, human_duration};
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "CPH004",
    name: "start-not-forward-looking",
    title: "CPH Start is not a forward-looking date and time",
    severity: Severity::Error,
    family: Family::Cph,
    docs: r#"## What it does
A CPH row's `Start` must be a date or date-time strictly later than the check
time (`--as-of`, RFC 3339; default: now, UTC). A date without time means
`T00:00:00`; a date-time without offset is read in the configured time zone
(`time_zone` in availcheck.toml, default UTC). A condition (`Immediate`,
`Open`, ...) is not forward-looking. With `--min-lead 14d`, a Start sooner
than that after the check time is a **warning** (publishing can take up to
14 days).

## Why is this bad?
Amazon: deliver CPH avails "with a forward-looking date and timestamp in the
Start field" so new rights windows are captured by its workflows.

## How to fix
Set Start to a future date-time, e.g. `2026-12-01T00:00:00Z`.

## Source and assumptions
Amazon "Cost Per Hour SVOD" page. The 14-day lead is advisory, off by default.
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let s = ctx.settings;
        if ctx.class(row) != RowClass::Cph {
            return;
        }
        let text = row.text("Start");
        // Formatted only for a message: this runs for every CPH row.
        let as_of = || format_instant(s.as_of, s.zone);
        let start = match When::parse(text) {
            When::Condition(c) => {
                out.push(
                    META.at_field(
                        row,
                        "Start",
                        format!(
                            "CPH Start `{c}` is a condition, not a forward-looking date and time"
                        ),
                    )
                    .with_help(format!("write a date-time later than {}", as_of())),
                );
                return;
            }
            w => match w.start_instant(s.zone) {
                Some(t) => t,
                None => return, // empty or invalid: EMA003/EMA008 report it
            },
        };
        if start <= s.as_of {
            out.push(
                META.at_field(
                    row,
                    "Start",
                    format!(
                        "CPH Start `{text}` ({}) is not after the check time {}",
                        format_instant(start, s.zone),
                        as_of()
                    ),
                )
                .with_help("CPH avails need a forward-looking Start; set a future date and time"),
            );
        } else if let Some(lead) = s.min_lead
            && start - s.as_of < lead
        {
            let mut d = META
                    .at_field(
                        row,
                        "Start",
                        format!(
                            "CPH Start `{text}` is only {} after {}, sooner than the minimum lead of {}",
                            human_duration(start - s.as_of),
                            as_of(),
                            human_duration(lead)
                        ),
                    )
                    .with_help(format!(
                        "publishing can take up to 14 days; start at {} or later",
                        s.as_of.checked_add_signed(lead).map_or_else(|| "a later date".to_string(), |t| format_instant(t, s.zone))
                    ));
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
}

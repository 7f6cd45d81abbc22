//! CPH003: only the territories of the CPH agreement.

use std::collections::BTreeSet;

use super::{Context, Family, RowClass, RuleInput, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "CPH003",
    name: "territory-not-permitted",
    title: "CPH territory is outside the CPH agreement",
    severity: Severity::Error,
    family: Family::Cph,
    docs: r#"## What it does
Every territory of a CPH row — the `Territory` cell (a comma list on 1.7.3)
minus `TerritoryExclusion` — must be one of the agreement's territories, set
with `--territories US,GB,...` or `territories = [...]` in availcheck.toml.
`ZZ` (worldwide) is never permitted. `IN` outside the list gets its own help:
India needs an additional agreement with Prime Video. With no list
configured, one warning per file says the check was skipped.

## Why is this bad?
Amazon: "Only submit avails for territories supported by your CPH agreement
with Amazon — we won't accept avail scopes for territories outside this
agreement. Some territories, like India, require an additional agreement."

## How to fix
Remove the territory from the row, or ask your Prime Video Content
Acquisition Manager to add it to the agreement.

## Source and assumptions
Amazon "Cost Per Hour SVOD" page. The list is yours: availcheck cannot know
your agreement.
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
        for (cell, t) in row.territories() {
            if t == "ZZ" {
                out.push(
                    META.at_row_loc(row, row.cell_location(cell), "CPH rows cannot use `ZZ` (worldwide); Amazon accepts only the territories of your CPH agreement")
                        .with_help("list the permitted territories instead of ZZ"),
                );
                continue;
            }
            let Some(allowed) = &s.territories else {
                continue;
            };
            if allowed.contains(t) {
                continue;
            }
            let list = allowed.iter().cloned().collect::<Vec<_>>().join(", ");
            let help = if t == "IN" {
                "India requires an additional agreement with Prime Video to avail titles under CPH terms; contact your Prime Video Content Acquisition Manager".to_string()
            } else {
                format!("remove `{t}`, or get it added to your CPH agreement (permitted: {list})")
            };
            out.push(
                META.at_row_loc(
                    row,
                    row.cell_location(cell),
                    format!("territory `{t}` is not in your CPH agreement ({list})"),
                )
                .with_help(help),
            );
        }
    }

    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.territories.is_some() {
            return;
        }
        let mut warned = BTreeSet::new();
        for (sheet, facts) in input.with_facts() {
            let info = &sheet.info;
            if warned.contains(&info.file_index) {
                continue;
            }
            if facts.iter().any(|f| f.class == RowClass::Cph) {
                warned.insert(info.file_index);
                let mut d = META
                    .diag(
                        crate::model::Location::file(&info.file),
                        "CPH territories were not checked: no agreement territories are configured",
                    )
                    .with_help("pass --territories US,GB,... or set `territories = [\"US\", ...]` in availcheck.toml")
                    .with_order((info.file_index, 0, 0, 0));
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
}

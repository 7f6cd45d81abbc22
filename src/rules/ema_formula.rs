//! EMA011: a cell holds an Excel formula.

use super::{Context, Family, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity};

static META: RuleMeta = RuleMeta {
    code: "EMA011",
    name: "excel-formula",
    title: "Cell holds an Excel formula",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Flags every data cell that holds a formula (`=A4+30`, `=TODAY()`), and CSV
values starting with `=`.

## Why is this bad?
MovieLabs reports "Excel Formulas not supported"; ingest systems read the
formula or a stale cached value, not what you see.

## Example
`End = =L4+365`.

## How to fix
Copy the column and paste it back as values (Paste Special › Values).

## Source
MovieLabs `AbstractRowHelper.usesFormula` (ema-avails-format.md §1.2, §3.2 A.4).
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for cell in row.cells().iter().filter(|c| c.formula().is_some()) {
            let formula = cell.formula().unwrap_or_default();
            let shown = if formula.starts_with('=') {
                formula.to_string()
            } else {
                format!("={formula}")
            };
            out.push(
                META.at_row_loc(
                    row,
                    row.cell_location(cell),
                    format!(
                        "cell holds the formula `{shown}` (shown as `{}`)",
                        cell.text.trim()
                    ),
                )
                .with_help(
                    "replace the formula with its value (copy, then Paste Special › Values)",
                ),
            );
        }
    }
}

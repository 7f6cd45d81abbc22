//! EMA011: a cell holds an Excel formula.

use super::{Context, RowFacts, Rule};
use crate::model::{Avail, Diagnostic};

super::declare_rule! {
    /// ## What it does
    /// Flags every data cell that holds a formula (`=A4+30`, `=TODAY()`), and
    /// CSV values starting with `=`.
    ///
    /// ## Why is this bad?
    /// MovieLabs reports "Excel Formulas not supported"; ingest systems read
    /// the formula or a stale cached value, not what you see.
    ///
    /// ## Example
    /// ```text
    /// End = =L4+365        (shown as 2027-12-31)
    /// ```
    /// Fixed:
    /// ```text
    /// End = 2027-12-31
    /// ```
    ///
    /// ## How to fix
    /// Copy the column and paste it back as values (Paste Special › Values).
    ///
    /// ## Source
    /// MovieLabs `AbstractRowHelper.usesFormula` (ema-avails-format.md §1.2,
    /// §3.2 A.4).
    pub struct ExcelFormula = ("EMA011", "excel-formula", Error, Ema,
        "Cell holds an Excel formula");
}

impl Rule for ExcelFormula {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if !row.has_formulas() {
            return;
        }
        // A formula giving an error value is EMA015's finding.
        for cell in row
            .cells()
            .iter()
            .filter(|c| c.formula().is_some() && !c.is_error())
        {
            let formula = cell.formula().unwrap_or_default();
            let shown = if formula.starts_with('=') {
                formula.to_string()
            } else {
                format!("={formula}")
            };
            out.push(
                Self::META
                    .at_cell(
                        row,
                        cell,
                        format!(
                            "cell holds the formula `{shown}` (shown as `{}`)",
                            cell.value()
                        ),
                    )
                    .with_help(
                        "replace the formula with its value (copy, then Paste Special › Values)",
                    ),
            );
        }
    }
}

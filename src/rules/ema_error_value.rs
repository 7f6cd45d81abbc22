//! EMA015: a cell holds a spreadsheet error value.

use super::{Context, RowFacts, Rule};
use crate::model::{Avail, Diagnostic};

super::declare_rule! {
    /// ## What it does
    /// Flags every cell holding an Excel error value — `#N/A`, `#REF!`,
    /// `#VALUE!`, `#DIV/0!`, `#NAME?`, `#NULL!`, `#NUM!`, `#GETTING_DATA` —
    /// as a value, as a formula's result, or as the text a CSV export wrote.
    /// An error value is no value: the cell counts as neither filled nor
    /// empty, and no other rule reports on it.
    ///
    /// ## Why is this bad?
    /// The error text is delivered as the value: a `#N/A` ContentID or
    /// PriceValue matches nothing at Amazon, and a lookup that failed in the
    /// sheet usually means the row is incomplete.
    ///
    /// ## Example
    /// ```text
    /// ContentID = =VLOOKUP(B4, Titles!A:B, 2, FALSE)   (shows #N/A)
    /// ```
    /// Fixed:
    /// ```text
    /// ContentID = md:cid:org:acme:movie-0001
    /// ```
    ///
    /// ## How to fix
    /// Fix the formula or the data it looks up, then replace the formulas
    /// with their values (Paste Special › Values).
    ///
    /// ## Source
    /// ECMA-376 §18.17.8 (error values); MovieLabs reads them as text
    /// (ema-avails-format.md §1.2).
    pub struct ErrorValue = ("EMA015", "error-value", Error, Ema,
        "Cell holds a spreadsheet error value such as #N/A");
}

impl Rule for ErrorValue {
    fn checks_rows(&self) -> bool {
        true
    }

    fn checks_references(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if !row.has_error_values() {
            return;
        }
        for cell in row.cells().iter().filter(|c| c.is_error()) {
            let shown = cell.value();
            let field = row.sheet.columns[cell.column()].field.map_or_else(
                || row.sheet.columns[cell.column()].header.clone(),
                |f| f.name().to_string(),
            );
            let message = match cell.formula() {
                Some(f) => format!(
                    "{field} holds the error value `{shown}`, the result of the formula `{}`; it is no value",
                    if f.starts_with('=') {
                        f.to_string()
                    } else {
                        format!("={f}")
                    }
                ),
                None => format!("{field} holds the error value `{shown}`; it is no value"),
            };
            out.push(Self::META.at_cell(row, cell, message).with_help(
                "fix the formula or the data it looks up, then paste the values (Paste Special › Values)",
            ));
        }
    }
}

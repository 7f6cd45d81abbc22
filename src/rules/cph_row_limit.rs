//! CPH009: at most 60,000 avail rows per file.

use std::collections::BTreeMap;

use super::{Context, Rule, RuleInput};
use crate::model::{Diagnostic, Location};

super::declare_rule! {
    /// ## What it does
    /// Counts the avail rows (XML: Transactions) of each file, all sheets
    /// together, and reports files over 60,000 rows (`max_rows` in
    /// availcheck.toml).
    ///
    /// ## Why is this bad?
    /// Amazon: "The maximum size of EMA 1.6, 1.7.2, and 1.7.3 avails
    /// supported by Prime Video is 60,000 rows."
    ///
    /// ## Example
    /// ```text
    /// avails.xlsx: 75,000 rows
    /// ```
    /// Fixed:
    /// ```text
    /// avails-1.xlsx: 40,000 rows   avails-2.xlsx: 35,000 rows
    /// ```
    ///
    /// ## How to fix
    /// Split the delivery into several files.
    ///
    /// ## Source
    /// Amazon Video Central "Content rights" page.
    pub struct RowLimit = ("CPH009", "row-limit", Error, Cph,
        "File has more avail rows than Amazon accepts");
}

impl Rule for RowLimit {
    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut counts: BTreeMap<usize, (&str, usize)> = BTreeMap::new();
        for sheet in input.sheets {
            counts
                .entry(sheet.info.file_index)
                .or_insert((&sheet.info.file, 0))
                .1 += sheet.rows.len();
        }
        let max = ctx.settings.max_rows;
        for (index, (file, n)) in counts {
            if n > max {
                out.push(
                    Self::META
                        .diag(
                            Location::file(file),
                            format!(
                                "{n} avail rows; Prime Video accepts at most {max} rows per file"
                            ),
                        )
                        .with_help(format!("split the avails into {} files", n.div_ceil(max)))
                        .with_order((index, 0, 0, 0)),
                );
            }
        }
    }
}

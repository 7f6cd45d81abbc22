//! CPH008: EntryType Full Extract / Full Delete only.

use super::{Context, RowFacts, Rule};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Under the CPH profile, `EntryType` must be `Full Extract` or `Full
    /// Delete`. EMA 1.9 adds `Create`, `Update`, `Delete`, which are valid EMA
    /// (so EMA004 accepts them) but not accepted by Prime Video. Other invalid
    /// values are reported by EMA004.
    ///
    /// ## Why is this bad?
    /// Amazon: "EntryType Rules: Only Full Extract and Full Delete
    /// submissions are accepted."
    ///
    /// ## Example
    /// A 1.9 row:
    /// ```text
    /// EntryType = Update
    /// ```
    /// Fixed:
    /// ```text
    /// EntryType = Full Extract
    /// ```
    ///
    /// ## How to fix
    /// Send `Full Extract` (with End dates to expire offers); `Full Delete`
    /// only for scopes that were never published.
    ///
    /// ## Source
    /// Amazon Video Central "Content rights" page.
    pub struct EntryType = ("CPH008", "entry-type", Error, Cph,
        "Amazon accepts only Full Extract and Full Delete");
}

/// The EntryTypes Prime Video accepts.
const ACCEPTED: [&str; 2] = ["Full Extract", "Full Delete"];

impl Rule for EntryType {
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
        let v = row.text(Field::EntryType);
        if v.is_empty() || ACCEPTED.contains(&v) {
            return;
        }
        let ema_valid = row
            .layout()
            .dictionary
            .field(Field::EntryType)
            .is_some_and(|f| f.values.iter().any(|a| a == v));
        if ema_valid || row.sheet.version.is_xml() {
            out.push(
                Self::META.at_field(row, Field::EntryType, format!("EntryType `{v}` is valid EMA but Prime Video accepts only Full Extract and Full Delete"))
                    .with_help("use `Full Extract` (send the full scope with End dates)"),
            );
        }
    }
}

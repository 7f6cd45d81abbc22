//! EMA013: a conditionally required column is missing from the header.

use super::ema_missing_column::missing_columns;
use super::{Context, Rule};
use crate::model::{Diagnostic, Requirement};
use crate::read::SheetRows;

super::declare_rule! {
    /// ## What it does
    /// Warns when the header lacks a column that the data dictionary
    /// requires only under a condition, such as `EpisodeNumber` for
    /// `Episode` rows or `CaptionExemption` when captions are not included
    /// in the US. EMA003 then reports each row that meets the condition.
    ///
    /// ## Why is this bad?
    /// Rows that meet the condition cannot carry the value; whether that
    /// matters depends on the rows, so this is a warning.
    ///
    /// ## Example
    /// A 1.7.3 TV header without `EpisodeNumber`:
    /// ```text
    /// row 2: DisplayName | Territory | WorkType | SeasonNumber | ...
    /// ```
    /// Fixed:
    /// ```text
    /// row 2: DisplayName | Territory | WorkType | SeasonNumber | EpisodeNumber | ...
    /// ```
    ///
    /// ## Source
    /// EMA Avails data dictionaries 1.6–1.9, "REQ for Episodes" and similar
    /// conditions (ema-avails-format.md §1.3–1.7).
    pub struct MissingConditionalColumn = ("EMA013", "missing-conditional-column", Warning, Ema,
        "Column required under a condition is missing from the header");
}

impl Rule for MissingConditionalColumn {
    fn check_sheet(&self, sheet: &SheetRows, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        missing_columns(sheet, Requirement::Conditional, &Self::META, out);
    }
}

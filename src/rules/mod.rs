//! Rules: one file per rule, each with a stable code, title, severity and its
//! own documentation (`availcheck explain CODE` prints it). A rule sees only
//! the model (avail rows and sheet headers), never xlsx or XML.
//!
//! Three scopes: sheet rules (headers), row rules (run in parallel) and set
//! rules (cross-row: they build one hash index over all rows).

pub mod facts;
pub mod profile;

mod cph_dab;
mod cph_discrete_windows;
mod cph_entry_type;
mod cph_inputs;
mod cph_licensed_window;
mod cph_localization;
mod cph_no_rows;
mod cph_partner_alias;
mod cph_row_limit;
mod cph_start;
mod cph_territory;
mod ema_currency;
mod ema_end_before_start;
mod ema_enum;
mod ema_formula;
mod ema_inconsistent_title;
mod ema_language;
mod ema_missing_column;
mod ema_required_value;
mod ema_territory;
mod ema_unknown_column;
mod ema_value_format;
pub mod reader;

use std::sync::Arc;

use crate::model::{Avail, Diagnostic, Location, Severity};
use crate::read::SheetRows;

pub use facts::{End, RowFacts};
pub use profile::{Profile, RowClass, Settings};

/// Which rules a rule belongs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// What the readers noticed (version used, layout); always on.
    Reader,
    /// EMA data-dictionary rules; always on.
    Ema,
    /// Amazon CPH SVOD rules; on with `--profile cph-svod`.
    Cph,
}

/// Fixed facts about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code (`EMA003`, `CPH005`).
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Default severity (a rule may emit other severities where its docs say so).
    pub severity: Severity,
    /// Family.
    pub family: Family,
    /// Markdown documentation: what, why, example, fix, source.
    pub docs: &'static str,
}

impl RuleMeta {
    /// A diagnostic of this rule at a location, with the default severity.
    pub fn diag(&'static self, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, message, location)
    }

    /// A diagnostic about `field` of `row` (its cell, or where the cell would be).
    pub fn at_field(
        &'static self,
        row: &Avail,
        field: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let loc = row.location(field);
        self.at_row_loc(row, loc, message)
    }

    /// A diagnostic about `row` at a given location inside it.
    pub fn at_row_loc(
        &'static self,
        row: &Avail,
        loc: Location,
        message: impl Into<String>,
    ) -> Diagnostic {
        let col = match (loc.col, &loc.column) {
            (Some(c), _) => c as usize,
            (None, Some(letter)) => row
                .sheet
                .columns
                .iter()
                .position(|c| &c.letter == letter)
                .unwrap_or(0),
            _ => 0,
        };
        let mut d = self.diag(loc, message).with_order((
            row.sheet.file_index,
            row.sheet.sheet_index,
            row.row,
            col,
        ));
        d.excerpt = Some(Arc::new(row.excerpt()));
        d
    }
}

/// What rules may consult besides the rows.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Profile and its settings.
    pub settings: &'a Settings,
    /// For row rules: the class of the row being checked, classified once
    /// for all rules ([`Context::class`]).
    pub row_class: Option<RowClass>,
}

impl<'a> Context<'a> {
    /// A context without a row.
    pub fn new(settings: &'a Settings) -> Self {
        Context {
            settings,
            row_class: None,
        }
    }

    /// The context for checking a row of class `class`.
    pub fn for_row(self, class: RowClass) -> Self {
        Context {
            row_class: Some(class),
            ..self
        }
    }

    /// The class of the row being checked (row rules only see that row).
    pub fn class(&self, row: &Avail) -> RowClass {
        self.row_class
            .unwrap_or_else(|| self.settings.classify(row))
    }
}

/// All rows of all inputs, for cross-row rules.
pub struct RuleInput<'a> {
    /// Sheets of the files being checked, in input order.
    pub sheets: &'a [&'a SheetRows],
    /// The facts of every row of `sheets`, in the same order (see [`RuleInput::with_facts`]).
    pub facts: &'a [Vec<RowFacts>],
    /// Sheets of `--licensed` reference files (windows only; not themselves checked).
    pub licensed: &'a [&'a SheetRows],
}

impl<'a> RuleInput<'a> {
    /// Each checked sheet with the facts of its rows.
    pub fn with_facts(&self) -> impl Iterator<Item = (&'a SheetRows, &'a [RowFacts])> + 'a {
        self.sheets
            .iter()
            .copied()
            .zip(self.facts.iter().map(Vec::as_slice))
    }

    /// Every checked row with its facts.
    pub fn rows(&self) -> impl Iterator<Item = (&'a Avail, &'a RowFacts)> + 'a {
        self.with_facts()
            .flat_map(|(s, facts)| s.rows.iter().zip(facts))
    }

    /// Every checked row of a class, with its facts.
    pub fn rows_of(&self, class: RowClass) -> impl Iterator<Item = (&'a Avail, &'a RowFacts)> + 'a {
        self.rows().filter(move |(_, f)| f.class == class)
    }
}

/// A check. Implement the scope(s) the rule needs.
pub trait Rule: Sync + Send {
    /// The rule's fixed facts.
    fn meta(&self) -> &'static RuleMeta;

    /// Header-level check of one sheet.
    fn check_sheet(&self, _sheet: &SheetRows, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Check of one row (called in parallel across rows).
    fn check_row(&self, _row: &Avail, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}

    /// Cross-row check over every row at once.
    fn check_set(&self, _input: &RuleInput<'_>, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Every rule, in code order. The one table mapping codes to rules.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &ema_missing_column::Rule,
        &ema_unknown_column::Rule,
        &ema_required_value::Rule,
        &ema_enum::Rule,
        &ema_territory::Rule,
        &ema_language::Rule,
        &ema_currency::Rule,
        &ema_value_format::DateRule,
        &ema_value_format::FormatRule,
        &ema_end_before_start::Rule,
        &ema_formula::Rule,
        &ema_inconsistent_title::Rule,
        &cph_inputs::Rule,
        &cph_dab::Rule,
        &cph_territory::Rule,
        &cph_start::Rule,
        &cph_licensed_window::Rule,
        &cph_discrete_windows::Rule,
        &cph_partner_alias::Rule,
        &cph_entry_type::Rule,
        &cph_row_limit::Rule,
        &cph_localization::Rule,
        &cph_no_rows::Rule,
    ]
}

/// Every rule's metadata, reader findings included, sorted by code.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = registry().iter().map(|r| r.meta()).collect();
    v.extend(reader::METAS.iter());
    v.sort_by_key(|m| m.code);
    v
}

/// Looks a rule up by code (case-insensitive) or name.
pub fn find(code: &str) -> Option<&'static RuleMeta> {
    all_meta()
        .into_iter()
        .find(|m| m.code.eq_ignore_ascii_case(code) || m.name.eq_ignore_ascii_case(code))
}

/// The rules a profile runs.
pub fn active(profile: Profile) -> Vec<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .filter(|r| match r.meta().family {
            Family::Cph => profile == Profile::CphSvod,
            _ => true,
        })
        .collect()
}

/// Levenshtein distance, for did-you-mean suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small distance.
pub(crate) fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (value.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(value, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let metas = all_meta();
        let mut codes: Vec<&str> = metas.iter().map(|m| m.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), metas.len(), "duplicate rule code");
        for m in metas {
            assert!(m.docs.contains("## What it does"), "{} lacks docs", m.code);
            assert!(!m.title.is_empty());
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("Teritory", ["Territory", "Start"]),
            Some("Territory")
        );
        assert_eq!(did_you_mean("Zzzzzzz", ["Territory"]), None);
    }
}

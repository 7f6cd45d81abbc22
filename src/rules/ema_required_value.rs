//! EMA003: a required cell is empty.

use super::{Context, RowFacts, Rule};
use crate::model::dictionary::Condition;
use crate::model::{Avail, Diagnostic, Requirement};

super::declare_rule! {
    /// ## What it does
    /// Checks that every field the data dictionary requires has a value in
    /// each row, per template version and WorkType: always-required fields
    /// (Territory, LicenseType, Start, End, ...), fields required except for
    /// SVOD (PriceType, PriceValue), and conditional ones (EpisodeNumber for
    /// `Episode` rows, CaptionIncluded for US episodes, CaptionExemption when
    /// captions are not included in the US, SuppressionLiftDate for POEST).
    ///
    /// Spreadsheets only: what an Avails XML document must hold is its
    /// schema's business (AVC008 and the XSD checks) and MovieLabs'
    /// structure rules' (pricing Terms EMA019, an episode's number EMA025, a
    /// pre-order's SuppressionLiftDate EMA029). XML has no PriceType
    /// column — a Term prices a transaction — and an empty
    /// `<SeasonNumber/>` is valid there (its `md:Number` is optional).
    ///
    /// ## Why is this bad?
    /// A row without a required value cannot be turned into an avail; Amazon
    /// rejects it.
    ///
    /// ## Example
    /// A 1.7.3 TV row:
    /// ```text
    /// WorkType = Episode   EpisodeNumber = (empty)
    /// ```
    /// Fixed:
    /// ```text
    /// WorkType = Episode   EpisodeNumber = 3
    /// ```
    ///
    /// ## How to fix
    /// Fill the cell. The message names the condition that made it required.
    ///
    /// ## Source
    /// EMA data dictionaries (ema-avails-format.md §1.3–1.8); the SVOD
    /// exception for prices follows MovieLabs' structure rules (§3.2 B.9).
    pub struct RequiredValue = ("EMA003", "required-value", Error, Ema,
        "Required value is empty");
}

/// True when an item of `cond.field` in `row` is one of `cond.values`.
fn holds(row: &Avail, cond: &Condition) -> bool {
    let is = |v: &str| cond.values.iter().any(|c| c == v);
    match row.separator(cond.field) {
        None => row.get_all(cond.field).any(|c| is(c.value())),
        Some(_) => row.items(cond.field).any(|(_, v)| is(v)),
    }
}

impl Rule for RequiredValue {
    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let info = &row.sheet;
        if info.version.is_xml() {
            return;
        }
        for &(f, column) in info.required_columns() {
            // Readers leave blank cells out: a cell in the column is a value.
            let filled = column.is_some_and(|c| row.has_cell(c));
            // A missing column is reported once at the header (EMA001), not per row.
            if filled || (column.is_none() && f.required == Requirement::Always) {
                continue;
            }
            let why = match f.required {
                Requirement::Optional => continue,
                Requirement::Always => match &f.required_unless {
                    Some(c) if holds(row, c) => continue,
                    Some(c) => format!(" (required unless {} is {})", c.field, c.values.join("/")),
                    None => String::new(),
                },
                Requirement::Conditional => {
                    if f.required_when.is_empty() || !f.required_when.iter().all(|c| holds(row, c))
                    {
                        continue;
                    }
                    format!(
                        " (required when {})",
                        f.required_when
                            .iter()
                            .map(|c| format!("{} is {}", c.field, c.values.join("/")))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    )
                }
            };
            out.push(
                Self::META
                    .at_field(row, f.field, format!("`{}` is empty{why}", f.name()))
                    .with_help(format!("fill `{}` for this row", f.name())),
            );
        }
    }
}

//! EMA003: a required cell is empty.

use super::{Context, RowFacts, Rule};
use crate::model::dictionary::Condition;
use crate::model::{Avail, Diagnostic, Field, FieldDef, Requirement};

super::declare_rule! {
    /// ## What it does
    /// Checks that every field the data dictionary requires has a value in
    /// each row, per template version and WorkType: always-required fields
    /// (Territory, LicenseType, Start, End, ...), fields required except for
    /// SVOD or a row priced by its SRP (PriceType, PriceValue), and
    /// conditional ones (EpisodeNumber for `Episode` rows, CaptionIncluded
    /// for US episodes, CaptionExemption when captions are not included in
    /// the US, SuppressionLiftDate for POEST). From 1.8 a row is checked with
    /// the dictionary of its WorkType's kind; a row whose WorkType names no
    /// kind is asked only for what every kind requires.
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
    /// exception for prices follows MovieLabs' structure rules (§3.2 B.9),
    /// and so does the SRP one: SRP becomes `Term termName="SRP"` with
    /// Money, which MovieLabs' pricing rule counts as a price.
    pub struct RequiredValue = ("EMA003", "required-value", Error, Ema,
        "Required value is empty");
}

/// True when an item of `cond.field` in `row` is one of `cond.values` (or,
/// for a `filled` condition, when the field has a value).
fn holds(row: &Avail, cond: &Condition) -> bool {
    // Readers leave blank cells out: no cell, no value.
    if !row.has_column(cond.field) || row.get_all(cond.field).next().is_none() {
        return false;
    }
    if cond.filled {
        return true;
    }
    let is = |v: &str| cond.values.iter().any(|c| c == v);
    match row.separator(cond.field) {
        None => row.get_all(cond.field).any(|c| is(c.value())),
        Some(_) => row.items(cond.field).any(|(_, v)| is(v)),
    }
}

/// The conditions decided so far for one row: fields share them (PriceType
/// and PriceValue are both required unless LicenseType is SVOD, and two
/// caption fields ask whether a territory is US).
#[derive(Default)]
struct Decided<'c> {
    seen: [Option<(&'c Condition, bool)>; 8],
}

impl<'c> Decided<'c> {
    /// [`holds`], decided once per row for equal conditions.
    fn holds(&mut self, row: &Avail, cond: &'c Condition) -> bool {
        for slot in &mut self.seen {
            match slot {
                Some((c, decided)) if *c == cond => return *decided,
                Some(_) => {}
                None => {
                    let decided = holds(row, cond);
                    *slot = Some((cond, decided));
                    return decided;
                }
            }
        }
        holds(row, cond)
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
        // From 1.8 a row's WorkType chooses its dictionary; without one that
        // does, only what every kind requires is required.
        let unsure = info.per_row() && info.layout_for(row.text(Field::WorkType)).is_none();
        let everywhere = |f: &FieldDef| {
            info.layouts().iter().all(|l| {
                l.dictionary
                    .field(f.field)
                    .is_some_and(|d| d.required == f.required && d.required_when == f.required_when)
            })
        };
        let mut decided = Decided::default();
        for &(f, column) in row.layout().required_columns() {
            if unsure && !everywhere(f) {
                continue;
            }
            // Readers leave blank cells out: a cell in the column is a value.
            let filled = column.is_some_and(|c| row.has_cell(c));
            // A missing column is reported once at the header (EMA001), not per row.
            if filled || (column.is_none() && f.required == Requirement::Always) {
                continue;
            }
            let why = match f.required {
                Requirement::Optional => continue,
                Requirement::Always if f.required_unless.iter().any(|c| decided.holds(row, c)) => {
                    continue;
                }
                Requirement::Always if f.required_unless.is_empty() => String::new(),
                Requirement::Always => {
                    let unless: Vec<String> =
                        f.required_unless.iter().map(ToString::to_string).collect();
                    format!(" (required unless {})", unless.join(" or "))
                }
                Requirement::Conditional => {
                    if f.required_when.is_empty()
                        || !f.required_when.iter().all(|c| decided.holds(row, c))
                    {
                        continue;
                    }
                    format!(
                        " (required when {})",
                        f.required_when
                            .iter()
                            .map(ToString::to_string)
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

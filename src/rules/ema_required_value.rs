//! EMA003: a required cell is empty.

use super::{Context, RowFacts, Rule, Settings};
use crate::model::avail::{ConditionAt, split_items};
use crate::model::{Avail, Diagnostic, Field, FieldDef, Requirement, SheetInfo};

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

/// True when an item of the condition's field in `row` is one of its
/// values (or, for a `filled` condition, when the field has a value).
fn holds(row: &Avail, at: &ConditionAt) -> bool {
    let Some(column) = at.column else {
        return false;
    };
    // Readers leave blank cells out; an error value is no value.
    let mut cells = row.cells_of(column).iter().filter(|c| !c.is_error());
    let cond = at.condition;
    if cond.filled {
        return cells.next().is_some();
    }
    let is = |v: &str| cond.values.iter().any(|c| c == v);
    match at.separator {
        None => cells.any(|c| is(c.value())),
        Some(sep) => cells.any(|c| split_items(&c.text, Some(sep)).any(is)),
    }
}

/// The conditions of a layout decided so far for one row, by position:
/// fields share them, so each is worked out once.
#[derive(Default)]
struct Decided {
    known: u64,
    held: u64,
}

impl Decided {
    /// [`holds`] for the layout's condition at `i`.
    fn holds(&mut self, row: &Avail, conditions: &[ConditionAt], i: usize) -> bool {
        let bit = 1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX));
        match bit {
            Some(b) if self.known & b != 0 => self.held & b != 0,
            Some(b) => {
                let held = holds(row, &conditions[i]);
                self.known |= b;
                if held {
                    self.held |= b;
                }
                held
            }
            None => holds(row, &conditions[i]),
        }
    }
}

impl Rule for RequiredValue {
    fn checks_rows(&self) -> bool {
        true
    }

    fn checks_rows_of(&self, sheet: &SheetInfo, _settings: &Settings) -> bool {
        !sheet.version.is_xml()
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let info = &row.sheet;
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
        let layout = row.layout();
        let conditions = layout.conditions();
        let mut decided = Decided::default();
        for required in layout.required_fields() {
            let (f, column) = (required.def, required.column);
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
                Requirement::Always
                    if (required.unless.iter()).any(|&c| decided.holds(row, conditions, c)) =>
                {
                    continue;
                }
                Requirement::Always if f.required_unless.is_empty() => String::new(),
                Requirement::Always => {
                    let unless: Vec<String> =
                        f.required_unless.iter().map(ToString::to_string).collect();
                    format!(" (required unless {})", unless.join(" or "))
                }
                Requirement::Conditional => {
                    if required.when.is_empty()
                        || !(required.when.iter()).all(|&c| decided.holds(row, conditions, c))
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

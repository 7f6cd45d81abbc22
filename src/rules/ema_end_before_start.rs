//! EMA010: End is not after Start.

use super::{Context, End, RowFacts, Rule};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Compares a row's `Start` and `End` when both are dates or date-times
    /// (a date-only Start means 00:00:00, a date-only End 23:59:59). The End
    /// must be later than the Start.
    ///
    /// ## Why is this bad?
    /// An empty or reversed window publishes nothing; MovieLabs does not check
    /// this, Amazon rejects it.
    ///
    /// ## Example
    /// ```text
    /// Start = 2026-05-01   End = 2026-04-30
    /// ```
    /// Fixed:
    /// ```text
    /// Start = 2026-04-01   End = 2026-04-30
    /// ```
    ///
    /// ## How to fix
    /// Swap or correct the dates.
    ///
    /// ## Source
    /// Google's emavalidator `StartLessEnd`; ema-avails-format.md §3.2 "Not
    /// checked by mddf".
    pub struct EndNotAfterStart = ("EMA010", "end-not-after-start", Error, Ema,
        "End is not after Start");
}

impl Rule for EndNotAfterStart {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &RowFacts,
        ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        // Most windows are long: decided without placing their dates.
        let (Some(start), End::At(end)) = (facts.start, facts.end) else {
            return;
        };
        if start.surely_before(end) {
            return;
        }
        // Both read in the first territory's zone: one zone for both.
        let territory = facts.first_territory(row);
        let zones = ctx.settings.zones;
        if let (Some(s), Some(e)) = (
            facts.start_in(territory, zones),
            facts.end_in(territory, zones),
        ) && e <= s
        {
            let zone = facts.start_zone(territory, zones);
            out.push(
                Self::META
                    .at_field(
                        row,
                        Field::End,
                        format!(
                            "{} `{}` ({}) is not after {} `{}` ({})",
                            row.sheet.label(Field::End),
                            row.text(Field::End),
                            zone.format(e),
                            row.sheet.label(Field::Start),
                            row.text(Field::Start),
                            zone.format(s)
                        ),
                    )
                    .with_related("Start of this row", row.location(Field::Start))
                    .with_help("correct the dates so that End is later than Start"),
            );
        }
    }
}

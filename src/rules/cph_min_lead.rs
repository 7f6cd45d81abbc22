//! CPH014: a CPH Start sooner than the minimum lead.

use super::cph_start::earliest_start;
use super::{Context, RowClass, RowFacts, Rule, Settings};
use crate::model::time::human_duration;
use crate::model::zone::Zone;
use crate::model::{Avail, Diagnostic, Field, SheetInfo};

super::declare_rule! {
    /// ## What it does
    /// With `--min-lead 14d` (or `min_lead` in availcheck.toml), warns when a
    /// CPH row's Start is after the check time but sooner than the lead.
    /// Off by default.
    ///
    /// ## Why is this bad?
    /// Publishing can take up to 14 days; a window that starts sooner may go
    /// live late.
    ///
    /// ## Example
    /// Checked on 2026-11-22 with `--min-lead 14d`, a CPH row:
    /// ```text
    /// Start = 2026-11-25T00:00:00Z
    /// ```
    /// Fixed:
    /// ```text
    /// Start = 2026-12-06T00:00:00Z
    /// ```
    ///
    /// ## Source
    /// Amazon's avails help (publishing "can take up to 14 days").
    /// Assumption: setting `min_lead` (advisory).
    pub struct StartWithinLead = ("CPH014", "start-within-min-lead", Warning, Cph,
        "CPH Start is sooner than the minimum lead");
}

impl Rule for StartWithinLead {
    fn checks_rows(&self) -> bool {
        true
    }

    fn checks_rows_of(&self, _sheet: &SheetInfo, settings: &Settings) -> bool {
        settings.min_lead.is_some()
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &RowFacts,
        ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let s = ctx.settings;
        let Some(lead) = s.min_lead else { return };
        if facts.class != RowClass::Cph {
            return;
        }
        let Some((territory, start)) = earliest_start(row, facts, s) else {
            return;
        };
        if start <= s.as_of || start - s.as_of >= lead {
            return;
        }
        let as_of = Zone::UTC.format(s.as_of);
        let zone = facts.start_zone(territory, s.zones);
        out.push(
            Self::META
                .at_field(
                    row,
                    Field::Start,
                    format!(
                        "CPH Start `{}` is only {} after {as_of}, sooner than the minimum lead of {}",
                        row.text(Field::Start),
                        human_duration(start - s.as_of),
                        human_duration(lead)
                    ),
                )
                .with_help(format!(
                    "publishing can take up to 14 days; start at {} or later",
                    s.as_of.checked_add_signed(lead).map_or_else(
                        || "a later date".to_string(),
                        |t| zone.format(t)
                    )
                )),
        );
    }
}

//! CPH004: forward-looking Start.

use super::delivery::{Change, Scope, Window};
use super::facts::Form;
use super::{Context, RowClass, RowFacts, Rule, Settings, Stats};
use crate::model::time::Stamp;
use crate::model::zone::Zone;
use crate::model::{Avail, Diagnostic, Field};
use chrono::{DateTime, Utc};

super::declare_rule! {
    /// ## What it does
    /// A CPH row's `Start` must be a date or date-time strictly later than
    /// the check time (`--as-of`, RFC 3339; default: now, UTC). A date
    /// without time means `T00:00:00`; a date or date-time without offset
    /// is read in the eastern-most zone of each of the row's territories,
    /// where Amazon publishes (or in `time_zone` when set), and the
    /// territory whose day starts first decides. A condition (`Immediate`,
    /// `Open`, ...) is not forward-looking.
    /// A Start sooner than `--min-lead` is CPH014. With `--previous`, a
    /// window Amazon already has with this Start (unchanged, or only its
    /// End moved) is exempt: a live window keeps its past Start.
    ///
    /// ## Why is this bad?
    /// Amazon: deliver CPH avails "with a forward-looking date and timestamp
    /// in the Start field" so new rights windows are captured by its
    /// workflows.
    ///
    /// ## Example
    /// Checked on 2026-11-22, a CPH row:
    /// ```text
    /// Start = Immediate        (or 2026-11-01)
    /// ```
    /// Fixed:
    /// ```text
    /// Start = 2026-12-01T00:00:00Z
    /// ```
    ///
    /// ## How to fix
    /// Set Start to a future date-time.
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page; `cph-svod-rules.md` rule 4; Amazon's
    /// Avails FAQ ("no need to update the start date when you are only
    /// extending the end date").
    /// Amazon's Content rights page: "content is published at the start of
    /// the day in the eastern-most time zone of the territory indicated"
    /// (the zones: `schemas/codes/territory-zones.json`). Setting
    /// `time_zone` overrides them.
    pub struct StartNotForward = ("CPH004", "start-not-forward-looking", Error, Cph,
        "CPH Start is not a forward-looking date and time");
}

/// True when Amazon has this window already with this Start, in each of
/// the row's territories (a live window keeps its past Start when only its
/// End moves); counted as exempt.
fn already_delivered(row: &Avail, facts: &RowFacts, ctx: &Context<'_>) -> bool {
    let (Some(previous), Some(title)) = (ctx.previous, facts.title(row)) else {
        return false;
    };
    let mut territories = 0;
    for t in facts.territories(row) {
        territories += 1;
        let window = Window::of(row, facts, t, ctx.settings.zones);
        let kept = previous
            .matching(&Scope::of(row, title, t), &window)
            .is_some_and(|(_, change)| matches!(change, Change::Unchanged | Change::EndMoved));
        if !kept {
            return false;
        }
    }
    Stats::add(&ctx.stats.exempt_windows, territories);
    territories > 0
}

/// The row's Start where it comes first: in the territory whose day starts
/// earliest (in UTC when the row has no territory), with that territory.
pub(crate) fn earliest_start<'a>(
    row: &'a Avail,
    facts: &RowFacts,
    s: &Settings,
) -> Option<(&'a str, DateTime<Utc>)> {
    let stamp = facts.start?;
    let mut earliest: Option<(&str, DateTime<Utc>)> = None;
    for t in facts.territories(row) {
        if let Some(at) = stamp.in_territory(t, s.zones)
            && earliest.is_none_or(|(_, e)| at < e)
        {
            earliest = Some((t, at));
        }
    }
    earliest.or_else(|| Some(("", stamp.in_zone(Zone::UTC)?)))
}

impl Rule for StartNotForward {
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
        let s = ctx.settings;
        if facts.class != RowClass::Cph {
            return;
        }
        // Days ahead in any zone: no need to place it (nor to read its text).
        if let Some(start) = facts.start
            && Stamp::At(s.as_of).surely_before(start)
        {
            return;
        }
        let text = row.text(Field::Start);
        // Formatted only for a message: this runs for every CPH row.
        let as_of = || Zone::UTC.format(s.as_of);
        if facts.start_form == Form::Condition {
            out.push(
                Self::META
                    .at_field(
                        row,
                        Field::Start,
                        format!(
                            "CPH Start `{}` is a condition, not a forward-looking date and time",
                            crate::model::time::When::parse(text)
                                .condition()
                                .unwrap_or(text)
                        ),
                    )
                    .with_help(format!("write a date-time later than {}", as_of())),
            );
            return;
        }
        // Empty or invalid: EMA003/EMA008 report it.
        let Some((territory, start)) = earliest_start(row, facts, s) else {
            return;
        };
        if start <= s.as_of && already_delivered(row, facts, ctx) {
            return;
        }
        if start <= s.as_of {
            out.push(
                Self::META
                    .at_field(
                        row,
                        Field::Start,
                        format!(
                            "CPH Start `{text}` ({}) is not after the check time {}",
                            facts.start_zone(territory, s.zones).describe(start),
                            as_of()
                        ),
                    )
                    .with_help(if ctx.previous.is_some() {
                        "CPH avails need a forward-looking Start; set a future date and time (Amazon does not have this window with this Start)"
                    } else {
                        "CPH avails need a forward-looking Start; set a future date and time — or, if Amazon already has this window live, pass the previous delivery with --previous: an unchanged live window keeps its past Start"
                    }),
            );
        }
    }
}

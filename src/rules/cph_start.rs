//! CPH004: forward-looking Start.

use super::facts::Form;
use super::{Context, RowClass, RowFacts, Rule};
use crate::model::time::format_instant;
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// A CPH row's `Start` must be a date or date-time strictly later than
    /// the check time (`--as-of`, RFC 3339; default: now, UTC). A date
    /// without time means `T00:00:00`; a date-time without offset is read in
    /// the configured time zone (`time_zone` in availcheck.toml, default
    /// UTC). A condition (`Immediate`, `Open`, ...) is not forward-looking.
    /// A Start sooner than `--min-lead` is CPH014.
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
    /// Amazon "Cost Per Hour SVOD" page; `cph-svod-rules.md` rule 4.
    /// Assumption: setting `time_zone` for date-times without offset.
    pub struct StartNotForward = ("CPH004", "start-not-forward-looking", Error, Cph,
        "CPH Start is not a forward-looking date and time");
}

impl Rule for StartNotForward {
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
        let text = row.text(Field::Start);
        // Formatted only for a message: this runs for every CPH row.
        let as_of = || format_instant(s.as_of, s.zone);
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
        let Some(start) = facts.start else { return };
        if start <= s.as_of {
            out.push(
                Self::META
                    .at_field(
                        row,
                        Field::Start,
                        format!(
                            "CPH Start `{text}` ({}) is not after the check time {}",
                            format_instant(start, s.zone),
                            as_of()
                        ),
                    )
                    .with_help(
                        "CPH avails need a forward-looking Start; set a future date and time",
                    ),
            );
        }
    }
}

//! CPH003: only the territories of the CPH agreement.

use super::ema_territory::territory_problem;
use super::{Context, RowClass, RowFacts, Rule};
use crate::model::{Avail, Diagnostic};

super::declare_rule! {
    /// ## What it does
    /// Every territory of a CPH row — the `Territory` cell (a comma list on
    /// 1.7.3) minus `TerritoryExclusion` — must be one of the agreement's
    /// territories, set with `--territories US,GB,...` or
    /// `territories = [...]` in availcheck.toml. `ZZ` (worldwide) is never
    /// permitted. `IN` outside the list gets its own help: India needs an
    /// additional agreement with Prime Video. With no list configured, the
    /// check is skipped and CPH013 says so. A code is compared upper-cased
    /// (`gb` is GB: EMA005 asks for the capitals), and a code that is no
    /// territory at all (`UK`) is left to EMA005, so one cell never gets
    /// two answers that disagree.
    ///
    /// ## Why is this bad?
    /// Amazon: "Only submit avails for territories supported by your CPH
    /// agreement with Amazon — we won't accept avail scopes for territories
    /// outside this agreement. Some territories, like India, require an
    /// additional agreement."
    ///
    /// ## Example
    /// With `--territories US,GB`, a CPH row:
    /// ```text
    /// Territory = US, DE
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = US
    /// ```
    ///
    /// ## How to fix
    /// Remove the territory from the row, or ask your Prime Video Content
    /// Acquisition Manager to add it to the agreement.
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page. Assumption: setting `territories` —
    /// the list is your agreement's; availcheck cannot know it.
    pub struct TerritoryNotPermitted = ("CPH003", "territory-not-permitted", Error, Cph,
        "CPH territory is outside the CPH agreement");
}

impl Rule for TerritoryNotPermitted {
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
        for (cell, t) in facts.territory_cells(row) {
            // A cell holding a list where none is allowed, or another
            // separator, is EMA005's or EMA014's finding.
            if t.contains([',', ';', '|']) {
                continue;
            }
            // Codes are upper case; a copy only for one that is not.
            let upper;
            let code = if t.bytes().any(|b| b.is_ascii_lowercase()) {
                upper = t.to_ascii_uppercase();
                upper.as_str()
            } else {
                t
            };
            if code == "ZZ" {
                out.push(
                    Self::META.at_cell(row, cell, "CPH rows cannot use `ZZ` (worldwide); Amazon accepts only the territories of your CPH agreement")
                        .with_help("list the permitted territories instead of ZZ"),
                );
                continue;
            }
            let Some(allowed) = &s.territories else {
                continue;
            };
            if allowed.contains(code) || territory_problem(code).is_some() {
                continue;
            }
            let list = allowed.iter().cloned().collect::<Vec<_>>().join(", ");
            let help = if code == "IN" {
                "India requires an additional agreement with Prime Video to avail titles under CPH terms; contact your Prime Video Content Acquisition Manager".to_string()
            } else {
                format!("remove `{t}`, or get it added to your CPH agreement (permitted: {list})")
            };
            out.push(
                Self::META
                    .at_cell(
                        row,
                        cell,
                        format!("territory `{t}` is not in your CPH agreement ({list})"),
                    )
                    .with_help(help),
            );
        }
    }
}

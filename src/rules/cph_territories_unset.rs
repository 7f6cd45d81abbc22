//! CPH013: no agreement territories are configured.

use std::collections::BTreeSet;

use super::{Context, RowClass, Rule, RuleInput};
use crate::model::{Diagnostic, Location};

super::declare_rule! {
    /// ## What it does
    /// When a file has CPH rows but no agreement territories are configured
    /// (`--territories` or `territories` in availcheck.toml), says once per
    /// file that CPH003 could not check the rows' territories.
    ///
    /// ## Why is this bad?
    /// Amazon refuses CPH avails for territories outside the agreement; an
    /// unchecked file may carry such a territory.
    ///
    /// ## Example
    /// ```text
    /// availcheck check avails.xlsx
    /// ```
    /// Fixed:
    /// ```text
    /// availcheck check avails.xlsx --territories US,GB
    /// ```
    ///
    /// ## Source
    /// `cph-svod-rules.md` rule 3. Assumption: setting `territories`.
    pub struct TerritoriesUnset = ("CPH013", "territories-unset", Warning, Cph,
        "CPH territories were not checked: no agreement territories are configured");
}

impl Rule for TerritoriesUnset {
    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.settings.territories.is_some() {
            return;
        }
        let mut warned = BTreeSet::new();
        for (sheet, facts) in input.with_facts() {
            let info = &sheet.info;
            if warned.contains(&info.file_index) {
                continue;
            }
            if facts.iter().any(|f| f.class == RowClass::Cph) {
                warned.insert(info.file_index);
                out.push(
                    Self::META
                        .diag(
                            Location::file(&info.file),
                            "CPH territories were not checked: no agreement territories are configured",
                        )
                        .with_help("pass --territories US,GB,... or set `territories = [\"US\", ...]` in availcheck.toml")
                        .with_order((info.file_index, 0, 0, 0)),
                );
            }
        }
    }
}

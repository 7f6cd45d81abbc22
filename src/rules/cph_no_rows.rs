//! CPH011: a file checked as CPH has no CPH row.

use std::collections::BTreeMap;

use super::{Context, RowClass, Rule, RuleInput};
use crate::model::{Diagnostic, Location, TemplateVersion};

super::declare_rule! {
    /// ## What it does
    /// With the `cph-svod` profile, a file in which no row is a CPH row gets
    /// one warning naming the marker field and value looked for.
    ///
    /// ## Why is this bad?
    /// Usually the marker is missing or misspelled, so none of the CPH rules
    /// ran. If the file is not a CPH delivery, check it with `--profile ema`.
    ///
    /// ## Example
    /// A 1.7.3 file whose SVOD rows have:
    /// ```text
    /// GroupIdentity = Cost Per Hour
    /// ```
    /// Fixed:
    /// ```text
    /// GroupIdentity = CPH
    /// ```
    ///
    /// ## How to fix
    /// Put the marker in the field named (or configure `[markers]` in
    /// availcheck.toml).
    ///
    /// ## Source
    /// `cph-svod-rules.md` "Which rows are CPH rows". Assumption: setting
    /// `[markers]`.
    pub struct NoCphRows = ("CPH011", "no-cph-rows", Warning, Cph,
        "No CPH row found");
}

impl Rule for NoCphRows {
    fn check_set(&self, input: &RuleInput<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut files: BTreeMap<usize, (&str, TemplateVersion, bool)> = BTreeMap::new();
        for (sheet, facts) in input.with_facts() {
            let has = facts.iter().any(|f| f.class == RowClass::Cph);
            let e = files.entry(sheet.info.file_index).or_insert((
                &sheet.info.file,
                sheet.info.version,
                false,
            ));
            e.2 |= has;
        }
        for (index, (file, version, has)) in files {
            if has {
                continue;
            }
            let looked = match ctx.settings.markers.for_version(version) {
                Some(m) => format!("LicenseType = SVOD and {}", m.describe()),
                None => format!("a CPH marker (EMA {version} has no CPH inputs; use 1.7.3)"),
            };
            out.push(
                Self::META
                    .diag(
                        Location::file(file),
                        format!("no CPH row found (looked for {looked})"),
                    )
                    .with_help(
                        "mark CPH rows as described, or check non-CPH files with --profile ema",
                    )
                    .with_order((index, 0, 0, 0)),
            );
        }
    }
}

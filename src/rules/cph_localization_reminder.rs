//! CPH017: a reminder of the localization each CPH territory needs.

use std::collections::BTreeSet;

use super::cph_localization::{LANGUAGE_FIELDS, lists_languages};
use super::{Context, RowClass, Rule, RuleInput};
use crate::model::codes::territory_languages;
use crate::model::{Diagnostic, Field, Location};

super::declare_rule! {
    /// ## What it does
    /// When a CPH row lists no languages, availcheck cannot tell whether its
    /// territories get localized audio or captions (CPH010): one info per
    /// territory per file reminds you which languages are needed.
    ///
    /// ## Why is this bad?
    /// Amazon: "You must provide localized audio or captions for each
    /// published territory."
    ///
    /// ## Example
    /// A CPH row without language columns:
    /// ```text
    /// Territory = DE
    /// ```
    /// Checked instead of reminded:
    /// ```text
    /// Territory = DE   AssetLanguage = de:audio
    /// ```
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page. Assumption: the territory →
    /// language table in `schemas/codes/territory-languages.json`.
    pub struct LocalizationReminder = ("CPH017", "localization-reminder", Info, Cph,
        "CPH titles need localized audio or captions in each territory");
}

impl Rule for LocalizationReminder {
    fn set_fields(&self) -> &'static [Field] {
        &LANGUAGE_FIELDS
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut reminded: BTreeSet<(usize, String)> = BTreeSet::new();
        for (row, facts) in input.rows_of(RowClass::Cph) {
            if lists_languages(row) {
                continue;
            }
            for t in facts.territories(row) {
                if t == "ZZ" || !reminded.insert((row.sheet.file_index, t.to_string())) {
                    continue;
                }
                let langs = territory_languages(t)
                    .map(|l| l.join("/"))
                    .unwrap_or_else(|| "its language".into());
                out.push(
                    Self::META
                        .diag(
                            Location::file(&row.sheet.file),
                            format!("CPH titles published in {t} need localized audio or captions in {langs}"),
                        )
                        .with_help("make sure the localized assets are delivered; list them in AssetLanguage so availcheck can check")
                        .with_order((row.sheet.file_index, 0, 0, 0)),
                );
            }
        }
    }
}

//! CPH010: localized audio or captions per CPH territory.

use std::collections::BTreeSet;

use super::{Context, RowClass, RowFacts, Rule};
use crate::model::avail::split_items;
use crate::model::codes::{territory_languages, territory_name};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Each CPH territory needs audio or captions in its language (publishing
    /// to Spain needs Spanish). When a CPH row lists languages
    /// (`AssetLanguage`, `AllowedLanguages`, 1.6 `StoreLanguage`) and none
    /// matches a language of a territory (table in
    /// `schemas/codes/territory-languages.json`), it warns. A row that lists
    /// no languages gets CPH017's reminder instead.
    ///
    /// ## Why is this bad?
    /// Amazon: "You must provide localized audio or captions for each
    /// published territory." Titles without them are not published there.
    ///
    /// ## Example
    /// A CPH row:
    /// ```text
    /// Territory = ES   AssetLanguage = en:audio
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = ES   AssetLanguage = en:audio, es:subtitle
    /// ```
    ///
    /// ## How to fix
    /// Deliver the localized assets, and list the language (e.g. `es:audio`).
    ///
    /// ## Source
    /// Amazon "Cost Per Hour SVOD" page. Assumption: the territory →
    /// language table is curated and not exhaustive; unlisted territories
    /// only get the reminder.
    pub struct Localization = ("CPH010", "localization", Warning, Cph,
        "CPH territory needs localized audio or captions");
}

/// The fields whose languages count as the row's localization.
pub(super) const LANGUAGE_FIELDS: [Field; 3] = [
    Field::AssetLanguage,
    Field::AllowedLanguages,
    Field::StoreLanguage,
];

/// Calls `f` with the primary subtag of each language the row lists (`es`
/// of `es-419:audio`, as written: compare case-insensitively) until it
/// returns true; true when it did. Plain loops rather than an iterator: it
/// runs for every CPH row.
fn any_primary<'a>(row: &'a Avail, mut f: impl FnMut(&'a str) -> bool) -> bool {
    for field in LANGUAGE_FIELDS {
        let separator = row.separator(field);
        for cell in row.get_all(field) {
            for item in split_items(&cell.text, separator) {
                // Up to the first subtag or asset type, whichever comes
                // first (both ASCII: found without decoding characters).
                let end = item.bytes().position(|b| b == b':' || b == b'-');
                let primary = item[..end.unwrap_or(item.len())].trim();
                if !primary.is_empty() && f(primary) {
                    return true;
                }
            }
        }
    }
    false
}

/// True when the row lists a language in one of [`LANGUAGE_FIELDS`].
pub(super) fn lists_languages(row: &Avail) -> bool {
    any_primary(row, |_| true)
}

impl Rule for Localization {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if facts.class != RowClass::Cph {
            return;
        }
        for (cell, t) in facts.territory_cells(row) {
            let Some(needed) = territory_languages(t) else {
                continue;
            };
            let mut lists = false;
            if any_primary(row, |p| {
                lists = true;
                needed.iter().any(|l| p.eq_ignore_ascii_case(l))
            }) {
                continue;
            }
            // A row that lists no language is CPH017's reminder.
            if !lists {
                return;
            }
            let mut listed = BTreeSet::new();
            any_primary(row, |p| {
                listed.insert(p.to_ascii_lowercase());
                false
            });
            out.push(
                Self::META.at_cell(
                    row,
                    cell,
                    format!(
                        "CPH territory {t} ({}) needs audio or captions in {}, but the row lists only {}",
                        territory_name(t).unwrap_or("?"),
                        needed.join("/"),
                        listed.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
                .with_help(format!("deliver {} audio or captions and list them (e.g. `{}:audio`)", needed[0], needed[0])),
            );
        }
    }
}

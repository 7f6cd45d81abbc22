//! CPH010: localized audio or captions per CPH territory.

use std::collections::BTreeSet;

use super::{Context, RowClass, RowFacts, Rule};
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

/// The primary subtag of each language the row lists (`es` of `es-419:audio`),
/// as written; compare case-insensitively.
fn listed_primaries(row: &Avail) -> impl Iterator<Item = &str> {
    LANGUAGE_FIELDS.iter().flat_map(|f| {
        row.items(*f).filter_map(|(_, item)| {
            // Up to the first subtag or asset type, whichever comes first.
            let p = item.split([':', '-']).next().unwrap_or(item).trim();
            (!p.is_empty()).then_some(p)
        })
    })
}

/// True when the row lists a language in one of [`LANGUAGE_FIELDS`].
pub(super) fn lists_languages(row: &Avail) -> bool {
    LANGUAGE_FIELDS.iter().any(|f| row.get(*f).is_some()) && listed_primaries(row).next().is_some()
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
            if listed_primaries(row)
                .inspect(|_| lists = true)
                .any(|p| needed.iter().any(|l| p.eq_ignore_ascii_case(l)))
            {
                continue;
            }
            // A row that lists no language is CPH017's reminder.
            if !lists {
                return;
            }
            let listed: BTreeSet<String> =
                listed_primaries(row).map(str::to_ascii_lowercase).collect();
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

//! CPH010: localized audio or captions per CPH territory.

use std::collections::BTreeSet;

use super::{Context, Family, RowClass, RuleInput, RuleMeta};
use crate::model::codes::{territory_languages, territory_name};
use crate::model::{Avail, Diagnostic, Location, Severity};

static META: RuleMeta = RuleMeta {
    code: "CPH010",
    name: "localization",
    title: "CPH territory needs localized audio or captions",
    severity: Severity::Warning,
    family: Family::Cph,
    docs: r#"## What it does
Each CPH territory needs audio or captions in its language (publishing to
Spain needs Spanish). When a CPH row lists languages (`AssetLanguage`,
`AllowedLanguages`, 1.6 `StoreLanguage`) and none matches a language of a
territory (table in `schemas/codes/territory-languages.json`), it warns.
When a row lists no languages, availcheck cannot tell: one **info** per
territory per file reminds you.

## Why is this bad?
Amazon: "You must provide localized audio or captions for each published
territory." Titles without them are not published there.

## How to fix
Deliver the localized assets, and list the language (e.g. `es:audio`).

## Source and assumptions
Amazon "Cost Per Hour SVOD" page. The territory → language table is curated
and not exhaustive; unlisted territories only get the reminder.
"#,
};

/// See [`META`].
pub struct Rule;

const LANGUAGE_FIELDS: [&str; 3] = ["AssetLanguage", "AllowedLanguages", "StoreLanguage"];

/// The primary subtag of each language the row lists (`es` of `es-419:audio`),
/// as written; compare case-insensitively.
fn listed_primaries(row: &Avail) -> impl Iterator<Item = &str> {
    LANGUAGE_FIELDS.iter().flat_map(|f| {
        row.get_all(f).flat_map(|c| {
            c.text.split([',', '|']).filter_map(|item| {
                let tag = item.split(':').next().unwrap_or(item);
                let p = tag.split('-').next().unwrap_or(tag).trim();
                (!p.is_empty()).then_some(p)
            })
        })
    })
}

fn lists_languages(row: &Avail) -> bool {
    listed_primaries(row).next().is_some()
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if ctx.class(row) != RowClass::Cph {
            return;
        }
        if !lists_languages(row) {
            return;
        }
        for (cell, t) in row.territories() {
            let Some(needed) = territory_languages(t) else {
                continue;
            };
            if listed_primaries(row).any(|p| needed.iter().any(|l| p.eq_ignore_ascii_case(l))) {
                continue;
            }
            let listed: BTreeSet<String> =
                listed_primaries(row).map(str::to_ascii_lowercase).collect();
            out.push(
                META.at_row_loc(
                    row,
                    row.cell_location(cell),
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

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut reminded: BTreeSet<(usize, String)> = BTreeSet::new();
        for (row, _) in input.rows_of(RowClass::Cph) {
            if lists_languages(row) {
                continue;
            }
            for (_, t) in row.territories() {
                if t == "ZZ" || !reminded.insert((row.sheet.file_index, t.to_string())) {
                    continue;
                }
                let langs = territory_languages(t)
                    .map(|l| l.join("/"))
                    .unwrap_or_else(|| "its language".into());
                let mut d = META
                        .diag(
                            Location::file(&row.sheet.file),
                            format!("CPH titles published in {t} need localized audio or captions in {langs}"),
                        )
                        .with_help("make sure the localized assets are delivered; list them in AssetLanguage so availcheck can check")
                        .with_order((row.sheet.file_index, 0, 0, 0));
                d.severity = Severity::Info;
                out.push(d);
            }
        }
    }
}

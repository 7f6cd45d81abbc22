//! EMA006: a language is not a registered RFC 5646 tag.

use super::{Context, Family, RuleMeta};
use crate::model::codes::{LANGUAGE_ASSETS, check_language};
use crate::model::{Avail, Diagnostic, FieldKind, Severity};

static META: RuleMeta = RuleMeta {
    code: "EMA006",
    name: "invalid-language",
    title: "Language is not a valid RFC 5646 tag",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks every language field (StoreLanguage, AssetLanguage, AllowedLanguages,
HoldbackLanguage, HoldbackExclusionLanguage, RequiredFulfillmentLanguages)
against RFC 5646 and the IANA Language Subtag Registry — not just the shape:
every subtag must be registered. From 1.7.3 an item may carry an asset
suffix `:audio`, `:subtitle` or `:subdub` (`es:subdub`).

## Why is this bad?
MovieLabs validates language subtags against ISO 639 and the registry; an
unregistered tag matches no audio or subtitle track.

## Example
`QQ`, `de-yy` (no region YY), `FRe` (ISO 639-2/B `fre` is not in the
registry; use `fr`) are invalid, and so are private-use regions such as
`fr-xx` (registry ranges XA–XZ, QM–QZ name no country). `es-419`, `zh-Hant`, `pt-BR` are valid.

## How to fix
Use the registered tag: a two-letter ISO 639-1 language where one exists,
optionally with a region (`-BR`) or script (`-Hant`).

## Source
ema-avails-format.md §1.8 (Languages); IANA Language Subtag Registry, through
the `language-tags` crate.
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let info = &row.sheet;
        for f in info
            .dictionary
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Language)
        {
            for (cell, item) in row.items(&f.name) {
                let (tag, suffix) = match item.split_once(':') {
                    Some((t, s)) => (t.trim(), Some(s.trim())),
                    None => (item, None),
                };
                if let Some(s) = suffix {
                    if !f.asset_suffix {
                        out.push(
                            META.at_row_loc(
                                row,
                                row.cell_location(cell),
                                format!("`{item}`: asset suffixes such as `:{s}` are only allowed from EMA 1.7.3"),
                            )
                            .with_help(format!("write `{tag}` alone")),
                        );
                        continue;
                    }
                    if !LANGUAGE_ASSETS.contains(&s) {
                        out.push(
                            META.at_row_loc(
                                row,
                                row.cell_location(cell),
                                format!("`{item}`: `{s}` is not a language asset"),
                            )
                            .with_help(format!(
                                "use `{tag}:audio`, `{tag}:subtitle` or `{tag}:subdub`"
                            )),
                        );
                        continue;
                    }
                }
                if let Err(why) = check_language(tag) {
                    out.push(
                        META.at_row_loc(row, row.cell_location(cell), format!("{}: `{tag}` is {why}", f.name))
                            .with_help("use a registered RFC 5646 tag such as `en`, `es-419`, `pt-BR`, `zh-Hant`"),
                    );
                }
            }
        }
    }
}

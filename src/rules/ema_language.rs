//! EMA006: a language is not a registered RFC 5646 tag.

use super::Rule;
use super::ema_list_separator::has_foreign_separator;
use crate::model::avail::split_items;
use crate::model::codes::{LANGUAGE_ASSETS, check_language};
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Checks every language field (StoreLanguage, AssetLanguage,
    /// AllowedLanguages, HoldbackLanguage, HoldbackExclusionLanguage,
    /// RequiredFulfillmentLanguages) against RFC 5646 and the IANA Language
    /// Subtag Registry — not just the shape: every subtag must be registered.
    /// From 1.7.3 an item may carry an asset suffix `:audio`, `:subtitle` or
    /// `:subdub` (`es:subdub`). Lists split on the field's separator (EMA014
    /// reports another one).
    ///
    /// ## Why is this bad?
    /// MovieLabs validates language subtags against ISO 639 and the registry;
    /// an unregistered tag matches no audio or subtitle track.
    ///
    /// ## Example
    /// `QQ`, `de-yy` (no region YY), `FRe` (ISO 639-2/B `fre` is not in the
    /// registry; use `fr`) are invalid, and so are private-use regions such
    /// as `fr-xx` (registry ranges XA–XZ, QM–QZ name no country). `es-419`,
    /// `zh-Hant`, `pt-BR` are valid.
    /// ```text
    /// AssetLanguage = en, FRe:audio
    /// ```
    /// Fixed:
    /// ```text
    /// AssetLanguage = en, fr:audio
    /// ```
    ///
    /// ## How to fix
    /// Use the registered tag: a two-letter ISO 639-1 language where one
    /// exists, optionally with a region (`-BR`) or script (`-Hant`).
    ///
    /// ## Source
    /// ema-avails-format.md §1.8 (Languages); IANA Language Subtag Registry,
    /// through the `language-tags` crate.
    pub struct InvalidLanguage = ("EMA006", "invalid-language", Error, Ema,
        "Language is not a valid RFC 5646 tag");
}

impl Rule for InvalidLanguage {
    fn value_kinds(&self) -> &'static [FieldKind] {
        &[FieldKind::Language]
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let sep = f.separator();
        for item in split_items(&cell.text, sep) {
            // A foreign separator is EMA014's finding.
            if sep.is_some_and(|s| has_foreign_separator(item, s)) {
                continue;
            }
            let (tag, suffix) = match item.split_once(':') {
                Some((t, s)) => (t.trim(), Some(s.trim())),
                None => (item, None),
            };
            let xml = row.sheet.version.is_xml();
            if let Some(s) = suffix {
                // In XML the suffix is the `asset` attribute, which every
                // version from 2.2 has.
                if !f.asset_suffix && !xml {
                    out.push(
                        Self::META.at_cell(
                            row,
                            cell,
                            format!("`{item}`: asset suffixes such as `:{s}` are only allowed from EMA 1.7.3"),
                        )
                        .with_help(format!("write `{tag}` alone")),
                    );
                    continue;
                }
                if !LANGUAGE_ASSETS.contains(&s) {
                    let (message, help) = if xml {
                        let label = row.sheet.label(f.field);
                        (
                            format!("{label} `{tag}`: @asset `{s}` is not a language asset"),
                            "write asset=\"audio\", \"subtitle\" or \"subdub\"".to_string(),
                        )
                    } else {
                        (
                            format!("`{item}`: `{s}` is not a language asset"),
                            format!("use `{tag}:audio`, `{tag}:subtitle` or `{tag}:subdub`"),
                        )
                    };
                    out.push(Self::META.at_cell(row, cell, message).with_help(help));
                    continue;
                }
            }
            if let Err(why) = check_language(tag) {
                out.push(
                    Self::META.at_cell(row, cell, format!("{}: `{tag}` is {why}", row.sheet.label(f.field)))
                        .with_help("use a registered RFC 5646 tag such as `en`, `es-419`, `pt-BR`, `zh-Hant`"),
                );
            }
        }
    }
}

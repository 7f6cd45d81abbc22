//! EMA005: Territory / TerritoryExclusion is not an ISO 3166-1 code.

use super::Rule;
use super::ema_list_separator::{has_foreign_separator, split_any};
use crate::model::avail::split_items;
use crate::model::codes::territory_name;
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Checks `Territory` and `TerritoryExclusion` against the real ISO
    /// 3166-1 alpha-2 list (embedded from `schemas/codes/iso3166-1.json`),
    /// plus EMA's `ZZ` (worldwide), `EU` and `419`. Codes must be upper-case.
    /// From 1.7.3 a cell may hold a comma-separated list (EMA014 reports
    /// another separator); before 1.7.3 one territory per row. ISO 3166-2
    /// subdivisions (`US-CA`) are accepted where the country part is valid
    /// (XML `countryRegion`).
    ///
    /// ## Why is this bad?
    /// An unknown code matches no storefront; MovieLabs' schema requires
    /// `[A-Z][A-Z]`.
    ///
    /// ## Example
    /// ```text
    /// Territory = UK        (1.6: Territory = US, CA)
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = GB        (1.6: one row with US, one with CA)
    /// ```
    ///
    /// ## How to fix
    /// Use the upper-case ISO 3166-1 alpha-2 code; split lists into rows
    /// before 1.7.3.
    ///
    /// ## Source
    /// ema-avails-format.md §1.8 (Territory), MovieLabs `ISO3166-1.properties`.
    pub struct InvalidTerritory = ("EMA005", "invalid-territory", Error, Ema,
        "Territory is not an ISO 3166-1 alpha-2 code");
}

/// Why a territory code is not valid, or `None` when it is.
pub fn territory_problem(code: &str) -> Option<(String, Option<String>)> {
    if territory_name(code).is_some() {
        return None;
    }
    if let Some((country, sub)) = code.split_once('-')
        && territory_name(country).is_some()
        && (1..=3).contains(&sub.len())
        && sub.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let upper = code.to_ascii_uppercase();
    if let Some(name) = territory_name(&upper) {
        return Some((
            format!("`{code}` must be upper-case"),
            Some(format!("write `{upper}` ({name})")),
        ));
    }
    if upper == "UK" {
        return Some((
            "`UK` is not an ISO 3166-1 code".into(),
            Some("the United Kingdom is `GB`".into()),
        ));
    }
    Some((
        format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
        Some("use a two-letter ISO 3166-1 code such as US, GB, DE, or ZZ for worldwide".into()),
    ))
}

impl Rule for InvalidTerritory {
    fn checks_references(&self) -> bool {
        true
    }

    fn value_kinds(&self) -> &'static [FieldKind] {
        &[FieldKind::Territory]
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let info = &row.sheet;
        let Some(sep) = f.separator() else {
            // One territory per cell: more than one is reported once.
            let n = split_any(&cell.text).count();
            if n > 1 && !info.version.is_xml() {
                out.push(
                    Self::META
                        .at_cell(
                            row,
                            cell,
                            format!(
                                "`{}` holds {n} territories; EMA {} allows one territory per row",
                                f.name(),
                                info.version
                            ),
                        )
                        .with_help("put each territory on its own row, or deliver on 1.7.3, which accepts comma lists"),
                );
                return;
            }
            check(row, f, cell, cell.value(), out);
            return;
        };
        for code in split_items(&cell.text, Some(sep)) {
            // A foreign separator is EMA014's finding.
            if !has_foreign_separator(code, sep) {
                check(row, f, cell, code, out);
            }
        }
    }
}

/// Reports `code`, an item of `cell`, when it is no territory code.
fn check(row: &Avail, f: &FieldDef, cell: &Cell, code: &str, out: &mut Vec<Diagnostic>) {
    if code.is_empty() {
        return;
    }
    if let Some((message, help)) = territory_problem(code) {
        let label = row.sheet.label(f.field);
        let mut d = InvalidTerritory::META.at_cell(row, cell, format!("{label}: {message}"));
        if let Some(help) = help {
            d = d.with_help(help);
        }
        out.push(d);
    }
}

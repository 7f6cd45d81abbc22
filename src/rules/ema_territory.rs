//! EMA005: Territory / TerritoryExclusion is not an ISO 3166-1 code.

use super::{Context, Family, RuleMeta};
use crate::model::codes::territory_name;
use crate::model::{Avail, Diagnostic, FieldKind, Severity};

static META: RuleMeta = RuleMeta {
    code: "EMA005",
    name: "invalid-territory",
    title: "Territory is not an ISO 3166-1 alpha-2 code",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks `Territory` and `TerritoryExclusion` against the real ISO 3166-1
alpha-2 list (embedded from `schemas/codes/iso3166-1.json`), plus EMA's `ZZ`
(worldwide), `EU` and `419`. Codes must be upper-case. From 1.7.3 a cell may
hold a comma-separated list; before 1.7.3 one territory per row. ISO 3166-2
subdivisions (`US-CA`) are accepted where the country part is valid (XML
`countryRegion`).

## Why is this bad?
An unknown code matches no storefront; MovieLabs' schema requires `[A-Z][A-Z]`.

## Example
`UK` → the ISO code for the United Kingdom is `GB`. `us` → `US`.
`US, CA` on a 1.6 sheet → one row per territory.

## How to fix
Use the upper-case ISO 3166-1 alpha-2 code; split lists into rows before 1.7.3.

## Source
ema-avails-format.md §1.8 (Territory), MovieLabs `ISO3166-1.properties`.
"#,
};

/// See [`META`].
pub struct Rule;

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
            .filter(|f| f.kind == FieldKind::Territory)
        {
            let items = row.items(&f.name);
            for cell in row.get_all(&f.name) {
                let n = cell
                    .text
                    .split([',', '|'])
                    .filter(|s| !s.trim().is_empty())
                    .count();
                if n > 1 && !f.list && !info.version.is_xml() {
                    out.push(
                        META.at_row_loc(
                            row,
                            row.cell_location(cell),
                            format!("`{}` holds {n} territories; EMA {} allows one territory per row", f.name, info.version),
                        )
                        .with_help("put each territory on its own row, or deliver on 1.7.3, which accepts comma lists"),
                    );
                }
            }
            for (cell, code) in items {
                if let Some((message, help)) = territory_problem(code) {
                    let mut d = META.at_row_loc(
                        row,
                        row.cell_location(cell),
                        format!("{}: {message}", f.name),
                    );
                    d.help = help;
                    out.push(d);
                }
            }
        }
    }
}

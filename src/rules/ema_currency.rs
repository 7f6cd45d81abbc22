//! EMA007: PriceCurrency is not an ISO 4217 code.

use super::{Context, Family, RuleMeta};
use crate::model::codes::currency_name;
use crate::model::{Avail, Diagnostic, FieldKind, Severity};

static META: RuleMeta = RuleMeta {
    code: "EMA007",
    name: "invalid-currency",
    title: "Currency is not an ISO 4217 code",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks currency fields (`PriceCurrency`; XML `Money/@currency`) against the
real ISO 4217 list (embedded from `schemas/codes/iso4217.json`), upper-case.

## Why is this bad?
MovieLabs rejects unknown currencies; Amazon cannot price the offer.

## Example
`US$` or `usd` → `USD`.

## How to fix
Use the three-letter upper-case ISO 4217 code.

## Source
ema-avails-format.md §1.8 (PriceCurrency), MovieLabs `ISO4217.properties`.
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_row(&self, row: &Avail, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (_, cell) in row
            .defined_cells()
            .filter(|(f, _)| f.kind == FieldKind::Currency)
        {
            {
                let v = cell.text.trim();
                if v.is_empty() || currency_name(v).is_some() {
                    continue;
                }
                let upper = v.to_ascii_uppercase();
                let help = match currency_name(&upper) {
                    Some(name) => format!("write `{upper}` ({name})"),
                    None => "use a three-letter ISO 4217 code such as USD, EUR, GBP".into(),
                };
                out.push(
                    META.at_row_loc(
                        row,
                        row.cell_location(cell),
                        format!("`{v}` is not an ISO 4217 currency code"),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

//! EMA007: PriceCurrency is not an ISO 4217 code.

use super::Rule;
use crate::model::codes::currency_name;
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Checks currency fields (`PriceCurrency`; XML `Money/@currency`)
    /// against the real ISO 4217 list (embedded from
    /// `schemas/codes/iso4217.json`), upper-case.
    ///
    /// ## Why is this bad?
    /// MovieLabs rejects unknown currencies; Amazon cannot price the offer.
    ///
    /// ## Example
    /// ```text
    /// PriceCurrency = US$
    /// ```
    /// Fixed:
    /// ```text
    /// PriceCurrency = USD
    /// ```
    ///
    /// ## How to fix
    /// Use the three-letter upper-case ISO 4217 code.
    ///
    /// ## Source
    /// ema-avails-format.md §1.8 (PriceCurrency), MovieLabs
    /// `ISO4217.properties`.
    pub struct InvalidCurrency = ("EMA007", "invalid-currency", Error, Ema,
        "Currency is not an ISO 4217 code");
}

impl Rule for InvalidCurrency {
    fn value_kinds(&self) -> &'static [FieldKind] {
        &[FieldKind::Currency]
    }

    fn check_value(
        &self,
        row: &Avail,
        _def: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let v = cell.value();
        if v.is_empty() || currency_name(v).is_some() {
            return;
        }
        let upper = v.to_ascii_uppercase();
        let help = match currency_name(&upper) {
            Some(name) => format!("write `{upper}` ({name})"),
            None => "use a three-letter ISO 4217 code such as USD, EUR, GBP".into(),
        };
        out.push(
            Self::META
                .at_cell(row, cell, format!("`{v}` is not an ISO 4217 currency code"))
                .with_help(help),
        );
    }
}

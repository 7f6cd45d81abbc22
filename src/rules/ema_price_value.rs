//! EMA018: PriceValue is a decimal amount when PriceType needs one.

use super::ema_value_format::is_number;
use super::{Context, RowFacts, Rule, Settings};
use crate::model::{Avail, Diagnostic, Field, SheetInfo};

super::declare_rule! {
    /// ## What it does
    /// When PriceType names an amount (WSP, DMRP, SMRP and their `TPR-`
    /// forms; WSP and SRP on 1.6 — the `decimal_when` condition of
    /// PriceValue in `schemas/dictionaries/`), PriceValue must be a decimal
    /// number: digits with a `.` decimal point, no currency sign, no
    /// thousands separator, no words. Tier, Category, LicenseFee and NA
    /// prices are names and are not checked here. Spreadsheets only: in
    /// Avails XML the amount is `Term/Money`, checked by its schema type.
    ///
    /// ## Why is this bad?
    /// An amount becomes `Term/Money`, an xs:decimal: `4,99`, `$4.99`,
    /// `4.99 USD` and `Tier 1` fail the schema and the price is lost.
    ///
    /// ## Example
    /// ```text
    /// PriceType = WSP   PriceValue = $4,99
    /// ```
    /// Fixed:
    /// ```text
    /// PriceType = WSP   PriceValue = 4.99   PriceCurrency = USD
    /// ```
    ///
    /// ## Source
    /// EMA data dictionaries (PriceValue: "WSP/DMRP/SMRP values must be
    /// decimals"); ema-avails-format.md §1.8 (PriceValue → Term/Money).
    pub struct PriceValue = ("EMA018", "price-value", Error, Ema,
        "PriceValue is not a decimal amount although PriceType needs one");
}

impl Rule for PriceValue {
    fn checks_rows(&self) -> bool {
        true
    }

    // In Avails XML the amount is Term/Money, an xs:decimal the structure
    // check (AVC008) reads.
    fn checks_rows_of(&self, sheet: &SheetInfo, _settings: &Settings) -> bool {
        !sheet.version.is_xml()
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(when) = row
            .layout()
            .dictionary
            .field(Field::PriceValue)
            .and_then(|f| f.decimal_when.as_ref())
        else {
            return;
        };
        let price_type = row.text(when.field);
        if !when.values.iter().any(|v| v == price_type) {
            return;
        }
        let Some(cell) = row.get(Field::PriceValue) else {
            return;
        };
        let v = cell.value();
        if is_number(v, true) {
            return;
        }
        let digits: String = v
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .collect();
        let guess = digits.replace(',', ".");
        let help = if !guess.is_empty() && is_number(&guess, true) {
            format!(
                "write `{guess}` (a `.` decimal point, no currency sign or words); the currency goes in PriceCurrency"
            )
        } else {
            format!(
                "write the {price_type} amount as a decimal number such as 4.99; names such as tiers go with PriceType Tier"
            )
        };
        out.push(
            Self::META
                .at_cell(
                    row,
                    cell,
                    format!("PriceValue `{v}` is not a decimal amount, which PriceType `{price_type}` needs"),
                )
                .with_help(help),
        );
    }
}

//! EMA017: a long number in a text or ID field, rounded by Excel.

use super::{Context, RowFacts, Rule};
use crate::model::{Avail, CellKind, Diagnostic, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Warns when a text or identifier field holds a number cell of more than
    /// 15 significant digits. Excel keeps 15 digits of a number: a longer ID
    /// typed into a number cell has already lost its last digits.
    ///
    /// ## Why is this bad?
    /// The delivered ID is not the partner's ID (`1234567890123456789`
    /// becomes `1234567890123456800`), so it matches no title.
    ///
    /// ## Example
    /// ```text
    /// AltID = 1234567890123456800      (a number cell)
    /// ```
    /// Fixed:
    /// ```text
    /// AltID = 1234567890123456789      (a text cell: format the column as Text, or type '1234567890123456789)
    /// ```
    ///
    /// ## Source
    /// Excel specifications and limits: "Number precision: 15 digits".
    pub struct RoundedNumber = ("EMA017", "rounded-number", Warning, Ema,
        "A long number in a text or ID field has been rounded by Excel");
}

/// Significant digits of a rendered number (`1234567890123456800` → 17).
fn significant_digits(v: &str) -> usize {
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    digits
        .trim_end_matches('0')
        .len()
        .max(if digits.is_empty() { 0 } else { 1 })
}

impl Rule for RoundedNumber {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if !row.has_numbers() {
            return;
        }
        for cell in row.cells().iter().filter(|c| c.kind == CellKind::Number) {
            let Some(def) = row.layout().field_def_at(cell.column()) else {
                continue;
            };
            if !matches!(def.kind, FieldKind::Text | FieldKind::Id) {
                continue;
            }
            let v = cell.value();
            // Rendered whole: trailing zeros stand for digits Excel dropped.
            let length = v.trim_start_matches('-').len();
            if length <= 15 || significant_digits(v) == 0 {
                continue;
            }
            out.push(
                Self::META
                    .at_cell(
                        row,
                        cell,
                        format!(
                            "{} `{v}` is a number of {length} digits; Excel keeps 15, so its last digits are lost",
                            def.name()
                        ),
                    )
                    .with_help("format the column as Text and type the ID again (or start it with an apostrophe)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits() {
        assert_eq!(super::significant_digits("1234567890123456800"), 17);
        assert_eq!(super::significant_digits("1000"), 1);
        assert_eq!(super::significant_digits("0"), 0);
    }
}

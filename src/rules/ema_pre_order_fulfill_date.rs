//! EMA028: a PreOrderFulfillDate on a transaction that is not POEST.

use super::structure::{self, Violation};
use super::{Context, Rule, RuleInput};
use crate::model::structure::{AvailTree, NodeId, Part};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// The pre-order fulfil date belongs to pre-orders: a `<Term
    /// termName="PreOrderFulfillDate">` (spreadsheets:
    /// SpecialPreOrderFulfillDate) is allowed only on a transaction whose
    /// LicenseType is `POEST`.
    ///
    /// ## Why is this bad?
    /// MovieLabs rejects it ("PreOrderFulfillDate term is only allowed if
    /// LicenseType='POEST'"): on other licenses the date has no meaning,
    /// and it usually means the LicenseType is wrong.
    ///
    /// ## Example
    /// ```text
    /// LicenseType = EST     SpecialPreOrderFulfillDate = 2026-03-01
    /// ```
    /// Fixed:
    /// ```text
    /// LicenseType = POEST   SpecialPreOrderFulfillDate = 2026-03-01
    /// ```
    ///
    /// ## How to fix
    /// Make the transaction a POEST, or remove the date.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json`, requirement
    /// `PreOrderFulfillDate`; spreadsheet rows are checked with the file of
    /// the XML version their template converts to.
    pub struct PreOrderFulfillDate = ("EMA028", "pre-order-fulfill-date", Error, Ema,
        "A PreOrderFulfillDate on a transaction that is not POEST");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["PreOrderFulfillDate"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let trans = tree.node(v.at).parent.unwrap_or(0);
    let license = tree
        .children_of(trans, Part::LicenseType)
        .next()
        .map(|l| format!("{} is `{}`", tree.label(l), tree.value(l)))
        .unwrap_or_else(|| "LicenseType is not given".to_string());
    (
        v.at,
        format!(
            "{} is on a transaction whose {license}; it is allowed only with LicenseType `POEST`",
            structure::subject(tree, v.at)
        ),
        "make the transaction a POEST (pre-order), or remove the pre-order fulfil date".to_string(),
    )
}

impl Rule for PreOrderFulfillDate {
    fn checks_rows(&self) -> bool {
        true
    }

    fn row_fields(&self) -> &'static [Field] {
        &[Field::SpecialPreOrderFulfillDate]
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &super::RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if row.get(Field::SpecialPreOrderFulfillDate).is_some() {
            structure::report_row(&Self::META, row, REQUIREMENTS, say, out);
        }
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

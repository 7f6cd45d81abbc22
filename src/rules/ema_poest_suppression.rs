//! EMA029: a POEST transaction without exactly one SuppressionLiftDate Term
//! (Avails XML).

use super::structure::{self, Violation};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId};

super::declare_rule! {
    /// ## What it does
    /// A pre-order (`LicenseType` `POEST`) needs the date the title may be
    /// sold from: exactly one `<Term termName="SuppressionLiftDate">` in
    /// its Transaction. Spreadsheets are not checked here: EMA003 asks for
    /// SuppressionLiftDate on POEST rows, as the template does.
    ///
    /// ## Why is this bad?
    /// Without it the retailer does not know when the pre-order turns
    /// into a sale; with two it cannot tell which applies.
    ///
    /// ## Example
    /// ```xml
    /// <Transaction><LicenseType>POEST</LicenseType> … </Transaction>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Transaction><LicenseType>POEST</LicenseType> …
    ///   <Term termName="SuppressionLiftDate"><Event>2026-03-01</Event></Term>
    /// </Transaction>
    /// ```
    ///
    /// ## How to fix
    /// Give the transaction one SuppressionLiftDate Term.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json`, requirement `POEST`.
    pub struct PoestSuppressionLiftDate = ("EMA029", "poest-suppression-lift-date", Error, Ema,
        "A POEST transaction needs exactly one SuppressionLiftDate Term");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["POEST"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let (message, help) = structure::counted(tree, v);
    (v.at, message, help)
}

impl Rule for PoestSuppressionLiftDate {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

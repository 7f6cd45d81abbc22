//! EMA019: a transaction that is not SVOD has no pricing Term (Avails XML).

use super::structure::{self, Violation, describe};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId};

super::declare_rule! {
    /// ## What it does
    /// In Avails XML a price is a `Term`: a Transaction whose `LicenseType`
    /// is not `SVOD` should hold a pricing Term — one named `Tier`,
    /// `Category` or `LicenseFee`, or any Term holding `Money` (such as
    /// `SRP`, `WSP`, `DMRP`). Without one, this warns (as MovieLabs does).
    /// Avails XML has no PriceType or PriceValue element: `<Term
    /// termName="SRP">` with Money prices a transaction on its own.
    /// Spreadsheets are not checked here: their PriceType and PriceValue
    /// cells are required as the template says (EMA003).
    ///
    /// ## Why is this bad?
    /// A retailer cannot sell an EST or VOD title without a price or a
    /// price tier.
    ///
    /// ## Example
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType> …
    ///   <Term termName="SuppressionLiftDate"><Event>2026-03-01</Event></Term>
    /// </Transaction>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType> …
    ///   <Term termName="SRP"><Money currency="USD">14.99</Money></Term>
    /// </Transaction>
    /// ```
    ///
    /// ## How to fix
    /// Add the Term that prices the transaction: a Tier or Category, a
    /// LicenseFee, or an amount in Money.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.4.json` (and 2.5–2.6.1), requirement
    /// `Trans-Price`, severity Warning. For avails 2.3 availcheck uses the
    /// 2.4 definition, which also counts LicenseFee (the 2.3 file does not;
    /// mddf's ChangeLog 1.5.2: LicenseFee satisfies it). The 2.2 files have
    /// no such requirement (a Transaction needed a Term anyway).
    pub struct TermPricing = ("EMA019", "term-pricing", Warning, Ema,
        "A transaction that is not SVOD has no pricing Term");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["Trans-Price"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let what: Vec<String> = v.paths().iter().map(describe).collect();
    (
        v.at,
        format!(
            "{} `{}` has no pricing Term: no {}",
            tree.label(v.at),
            tree.value(v.at),
            what.join(" and no ")
        ),
        "price it with a Term, e.g. <Term termName=\"SRP\"><Money currency=\"USD\">14.99</Money></Term> or <Term termName=\"Tier\"><Text>…</Text></Term>".to_string(),
    )
}

impl Rule for TermPricing {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

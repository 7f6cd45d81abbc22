//! EMA022: a RefALID in an Avail that is not a promotion or supplement.

use super::structure::{self, Violation, quoted};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId, Part};

super::declare_rule! {
    /// ## What it does
    /// A Transaction's `RefALID` names the title a supplement or promotion
    /// goes with; MovieLabs allows it only in Avails whose AvailType is
    /// `promotion` or `supplement`.
    ///
    /// ## Why is this bad?
    /// On any other Avail the reference means nothing a retailer can act
    /// on, and MovieLabs rejects it.
    ///
    /// ## Example
    /// ```xml
    /// <AvailType>single</AvailType> …
    /// <Transaction> … <RefALID>md:alid:eidr-x:0344-…-R</RefALID> …</Transaction>
    /// ```
    /// Fixed (a bonus title referring to its feature):
    /// ```xml
    /// <AvailType>supplement</AvailType> …
    /// <Transaction> … <RefALID>md:alid:eidr-x:0344-…-R</RefALID> …</Transaction>
    /// ```
    ///
    /// ## How to fix
    /// Remove the RefALID, or make the Avail a supplement or promotion.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json`, requirement `RefALID`
    /// (docRef AVAIL:struc03).
    pub struct RefAlid = ("EMA022", "ref-alid", Error, Ema,
        "RefALID in an Avail that is not a promotion or supplement");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["RefALID"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let allowed = v
        .paths()
        .iter()
        .filter_map(|p| p.last()?.pred.as_ref()?.values())
        .flatten()
        .collect::<Vec<_>>();
    let avail_type = tree.child_value(0, Part::AvailType);
    (
        v.at,
        format!(
            "{} is in an Avail whose <AvailType> is `{avail_type}`; it is allowed only when <AvailType> is {}",
            structure::subject(tree, v.at),
            quoted(&allowed)
        ),
        format!(
            "remove it, or make the Avail one of {} (with the Asset that AvailType needs)",
            quoted(&allowed)
        ),
    )
}

impl Rule for RefAlid {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

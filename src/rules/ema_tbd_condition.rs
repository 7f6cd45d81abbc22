//! EMA030: a `TBD` Start or End condition (Avails XML 2.5 on).

use super::structure::{self, Violation};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId};

super::declare_rule! {
    /// ## What it does
    /// From avails 2.5 the condition `TBD` belongs to Offer Status
    /// documents: a `<StartCondition>` or `<EndCondition>` of an avail may
    /// not be `TBD`.
    ///
    /// ## Why is this bad?
    /// An avail offers a window; a window whose start or end is to be
    /// decided is not an offer yet, and MovieLabs rejects it ("Condition
    /// 'TBD' is only valid for OfferStatus").
    ///
    /// ## Example
    /// ```xml
    /// <StartCondition>TBD</StartCondition>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Start>2026-03-01T00:00:00Z</Start>
    /// ```
    ///
    /// ## How to fix
    /// Give the date, or leave the transaction out until it is known.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.5.json` (and 2.6, 2.6.1), requirement
    /// `StartEndCondition`.
    pub struct TbdCondition = ("EMA030", "tbd-condition", Error, Ema,
        "A Start or End condition is TBD");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["StartEndCondition"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let at = v.found.first().copied().unwrap_or(v.at);
    (
        at,
        format!(
            "{} is only valid in Offer Status documents, not in an avail",
            structure::subject(tree, at)
        ),
        "give the date (<Start>/<End>), or leave the transaction out until it is known".to_string(),
    )
}

impl Rule for TbdCondition {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

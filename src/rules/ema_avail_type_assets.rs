//! EMA021: an Avail's Assets do not fit its AvailType (Avails XML).

use super::structure::{self, Violation, counted};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId};

super::declare_rule! {
    /// ## What it does
    /// Checks that the Assets of each Avail fit its AvailType, as
    /// MovieLabs' structure rules say: `single` needs exactly one `Movie`
    /// or `Short` Asset and no Collection, Franchise, Series or Season;
    /// `episode`, `season` one Episode or Season Asset; `series` and
    /// `miniseries` one Series Asset; `collection` two or more Assets or
    /// BundledAssets; `bundle` one Collection Asset with BundledAssets and
    /// Metadata; `supplement` and `promotion` a Supplemental or Promotion
    /// Asset and a `RefALID` in their Transactions. Spreadsheets are not
    /// checked here: MovieLabs derives the AvailType from the row's
    /// WorkType, so the two cannot disagree.
    ///
    /// ## Why is this bad?
    /// The AvailType tells the retailer how to read the Assets; an Avail
    /// whose Assets do not fit is rejected.
    ///
    /// ## Example
    /// ```xml
    /// <AvailType>single</AvailType> …
    /// <Asset contentID="md:cid:x:1"><WorkType>Episode</WorkType> …</Asset>
    /// ```
    /// Fixed:
    /// ```xml
    /// <AvailType>episode</AvailType> …
    /// <Asset contentID="md:cid:x:1"><WorkType>Episode</WorkType> …</Asset>
    /// ```
    ///
    /// ## How to fix
    /// Give the Avail the Assets its AvailType needs, or use the AvailType
    /// that fits its Assets.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json` of the document's version,
    /// requirements `single-AvailType`, `episode-AvailType`,
    /// `season-AvailType`, `series-AvailType`, `miniseries-AvailType`,
    /// `collection-AvailType`, `bundle-AvailType`, `supplement-AvailType`,
    /// `promotion-AvailType` (docRef AVAIL:struc01).
    pub struct AvailTypeAssets = ("EMA021", "avail-type-assets", Error, Ema,
        "An Avail's Assets do not fit its AvailType");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &[
    "single-AvailType",
    "episode-AvailType",
    "season-AvailType",
    "series-AvailType",
    "miniseries-AvailType",
    "collection-AvailType",
    "bundle-AvailType",
    "supplement-AvailType",
    "promotion-AvailType",
];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let (message, help) = counted(tree, v);
    (v.at, message, help)
}

impl Rule for AvailTypeAssets {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

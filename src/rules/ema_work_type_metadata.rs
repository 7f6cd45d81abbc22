//! EMA025: an Asset lacks the metadata its WorkType needs (Avails XML).

use super::structure::{self, Violation, counted};
use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId};

super::declare_rule! {
    /// ## What it does
    /// Checks that each Asset carries the metadata its WorkType needs, as
    /// MovieLabs' structure rules say: `Movie` and `Short` a `Metadata`,
    /// `Series` a `SeriesMetadata`, `Season` a `SeasonMetadata`, `Episode`
    /// an `EpisodeMetadata` with exactly one `EpisodeNumber/md:Number`, in
    /// an Avail whose AvailType is `episode` (avails 2.2 also asks an
    /// episode for one or two of AltIdentifier and EditEIDR-URN).
    /// Spreadsheets are not checked here: a row always carries its
    /// metadata columns, and EMA003 asks for EpisodeNumber on Episode rows.
    ///
    /// ## Why is this bad?
    /// Without its metadata the retailer cannot build the title's page or
    /// place an episode in its season.
    ///
    /// ## Example
    /// ```xml
    /// <Asset contentID="md:cid:x:1"><WorkType>Movie</WorkType></Asset>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Asset contentID="md:cid:x:1"><WorkType>Movie</WorkType>
    ///   <Metadata><TitleInternalAlias>The Title</TitleInternalAlias></Metadata>
    /// </Asset>
    /// ```
    ///
    /// ## How to fix
    /// Add the metadata element the message names (or correct the
    /// WorkType).
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json` of the document's version,
    /// requirements `Non-Episodic-WT`, `Series-WT`, `Season-WT`,
    /// `Episode-WT`.
    pub struct WorkTypeMetadata = ("EMA025", "work-type-metadata", Error, Ema,
        "An Asset lacks the metadata its WorkType needs");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["Non-Episodic-WT", "Series-WT", "Season-WT", "Episode-WT"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let (message, help) = counted(tree, v);
    (v.at, message, help)
}

impl Rule for WorkTypeMetadata {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

//! EMA023: a BundledAsset (BundledALIDs) on an Asset that is not a Collection.

use super::structure::{self, Violation, quoted};
use super::{Context, Rule, RuleInput};
use crate::model::structure::{AvailTree, NodeId, Part};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// Bundled assets belong to collections: in Avails XML a `BundledAsset`
    /// is allowed only in an Asset whose WorkType is `Collection`; in a
    /// spreadsheet, `BundledALIDs` only on a `Collection` row.
    ///
    /// ## Why is this bad?
    /// A movie or episode does not bundle other titles; MovieLabs rejects
    /// the Asset ("BundledAsset only allowed when WorkType is
    /// 'Collection'"), and the 1.7.2 dictionary says Collection "is used
    /// exclusively for bundles and BundleALID should be populated".
    ///
    /// ## Example
    /// ```text
    /// WorkType = Movie   BundledALIDs = md:alid:x:1;md:alid:x:2
    /// ```
    /// Fixed:
    /// ```text
    /// WorkType = Collection   BundledALIDs = md:alid:x:1;md:alid:x:2
    /// ```
    ///
    /// ## How to fix
    /// Make the row (Asset) a Collection, or remove the bundled ALIDs.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.x.json`, requirement `BundledAsset`
    /// (docRef AVAIL:struc01); spreadsheet rows are checked with the file
    /// of the XML version their template converts to.
    pub struct BundledAsset = ("EMA023", "bundled-asset", Error, Ema,
        "Bundled assets on an Asset that is not a Collection");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["BundledAsset"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let allowed: Vec<&str> = v
        .paths()
        .iter()
        .filter_map(|p| p.last()?.pred.as_ref()?.values())
        .flatten()
        .collect();
    let asset = tree.node(v.at).parent.unwrap_or(0);
    let work_type = tree
        .children_of(asset, Part::WorkType)
        .next()
        .map(|w| format!("{} is `{}`", tree.label(w), tree.value(w)))
        .unwrap_or_else(|| "WorkType is not given".to_string());
    (
        v.at,
        format!(
            "{} on an Asset whose {work_type}; bundled assets are allowed only when WorkType is {}",
            structure::subject(tree, v.at),
            quoted(&allowed)
        ),
        "make the Asset a Collection, or remove its bundled ALIDs".to_string(),
    )
}

impl Rule for BundledAsset {
    fn checks_rows(&self) -> bool {
        true
    }

    fn row_fields(&self) -> &'static [Field] {
        &[Field::BundledALIDs]
    }

    fn check_row(
        &self,
        row: &Avail,
        _facts: &super::RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        if row.get(Field::BundledALIDs).is_some() {
            structure::report_row(&Self::META, row, REQUIREMENTS, say, out);
        }
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

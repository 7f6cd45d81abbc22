//! EMA024: the `sequence` numbers of an Asset's BundledAssets are not a run
//! without gaps or repeats (Avails XML).

use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId, Part};

super::declare_rule! {
    /// ## What it does
    /// When the BundledAssets of an Asset are numbered with `@sequence`
    /// (avails 2.4 on), the numbers must be integers and, sorted, run
    /// without repeats or gaps (`0 1 2`, `1 2 3`). A BundledAsset without
    /// the attribute among numbered ones counts as 0, as MovieLabs reads
    /// it.
    ///
    /// ## Why is this bad?
    /// The sequence is the order of the bundle's titles; a gap or a repeat
    /// leaves the order undefined, and MovieLabs rejects it.
    ///
    /// ## Example
    /// ```xml
    /// <BundledAsset sequence="1">…</BundledAsset>
    /// <BundledAsset sequence="3">…</BundledAsset>
    /// ```
    /// Fixed:
    /// ```xml
    /// <BundledAsset sequence="1">…</BundledAsset>
    /// <BundledAsset sequence="2">…</BundledAsset>
    /// ```
    ///
    /// ## How to fix
    /// Number the BundledAssets one after the other.
    ///
    /// ## Source
    /// MovieLabs `AvailValidator.validateConstraints` (avails 2.4 to 2.6.1:
    /// `validateIndexing("BundledAsset", "sequence", …)`, unique and
    /// continuous, negative numbers allowed); avails-v2.4.xsd
    /// `AvailBundledAsset-type/@sequence` (xs:integer).
    pub struct BundledAssetSequence = ("EMA024", "bundled-asset-sequence", Error, Ema,
        "BundledAsset sequence numbers repeat, leave a gap or are not integers");
}

/// The problems of the numbered BundledAssets of `asset`: (the BundledAsset,
/// message, help).
fn problems(tree: &AvailTree, asset: NodeId) -> Vec<(NodeId, String, String)> {
    let bundled: Vec<NodeId> = tree.children_of(asset, Part::BundledAsset).collect();
    if !bundled.iter().any(|b| tree.node(*b).attr.is_some()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut numbers: Vec<(i64, NodeId)> = Vec::new();
    for b in bundled {
        let raw = tree.node(b).attr.as_deref().unwrap_or("0");
        match raw.parse::<i64>() {
            Ok(n) => numbers.push((n, b)),
            Err(_) => out.push((
                b,
                format!("<BundledAsset @sequence> `{raw}` is not an integer"),
                "number the BundledAssets 0, 1, 2, … (or 1, 2, 3, …)".to_string(),
            )),
        }
    }
    numbers.sort();
    for pair in numbers.windows(2) {
        let ((a, _), (b, at)) = (pair[0], pair[1]);
        if b == a {
            out.push((
                at,
                format!("<BundledAsset @sequence> `{b}` repeats a number of its <Asset>"),
                "give each BundledAsset its own number".to_string(),
            ));
        } else if b != a + 1 {
            out.push((
                at,
                format!(
                    "<BundledAsset @sequence> `{b}` follows `{a}` in its <Asset>: the numbers skip {}",
                    if b == a + 2 {
                        (a + 1).to_string()
                    } else {
                        format!("{}–{}", a + 1, b - 1)
                    }
                ),
                "number the BundledAssets one after the other".to_string(),
            ));
        }
    }
    out.sort_by_key(|(at, ..)| *at);
    out
}

impl Rule for BundledAssetSequence {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for tree in input.avails {
            for asset in tree.children_of(0, Part::Asset) {
                for (at, message, help) in problems(tree, asset) {
                    out.push(
                        Self::META
                            .diag(tree.location(at), message)
                            .with_help(help)
                            .with_order(tree.order(at)),
                    );
                }
            }
        }
    }
}

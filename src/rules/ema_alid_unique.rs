//! EMA026: two Avails of one document share an ALID (Avails XML).

use rustc_hash::FxHashMap;

use super::{Context, Rule, RuleInput};
use crate::model::Diagnostic;
use crate::model::structure::{AvailTree, NodeId, Part};

super::declare_rule! {
    /// ## What it does
    /// In Avails XML each `Avail` is one title's offer and its `ALID`
    /// identifies it: two Avail elements of one document with the same
    /// ALID are reported at the later one. (In a spreadsheet the rows of
    /// one ALID are the Transactions of one Avail, so a repeated ALID is
    /// how they belong together; EMA012 checks that they agree.)
    ///
    /// ## Why is this bad?
    /// The retailer keys avails by ALID: the second Avail replaces or
    /// merges into the first, and which one wins is undefined.
    ///
    /// ## Example
    /// ```xml
    /// <Avail><ALID>md:alid:eidr-x:0344-…-Q</ALID> … </Avail>
    /// <Avail><ALID>md:alid:eidr-x:0344-…-Q</ALID> … </Avail>
    /// ```
    /// Fixed: one Avail with both Transactions, or two ALIDs.
    ///
    /// ## How to fix
    /// Merge the Avails (their Transactions go in one Avail), or give the
    /// second title its own ALID.
    ///
    /// ## Source
    /// MovieLabs `AvailValidator.validateIdSet` (`validateId("ALID", …)`:
    /// "ID ALID is not unique").
    pub struct AlidUnique = ("EMA026", "alid-not-unique", Error, Ema,
        "Two Avails of one document have the same ALID");
}

impl Rule for AlidUnique {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut first: FxHashMap<(usize, &str), (&AvailTree, NodeId)> = FxHashMap::default();
        for tree in input.avails {
            for id in tree.children_of(0, Part::Alid) {
                let alid = tree.value(id);
                if alid.is_empty() {
                    continue;
                }
                match first.entry((tree.sheet.file_index, alid)) {
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert((tree, id));
                    }
                    std::collections::hash_map::Entry::Occupied(e) => {
                        let (head, head_id) = *e.get();
                        let line = head.location(head_id).line.unwrap_or(0);
                        out.push(
                            Self::META
                                .diag(
                                    tree.location(id),
                                    format!(
                                        "<ALID> `{alid}` is also the ALID of the Avail at line {line}; each Avail needs its own"
                                    ),
                                )
                                .with_related("the first Avail with this ALID", head.location(0))
                                .with_help("put both Avails' Transactions in one Avail, or give this title its own ALID")
                                .with_order(tree.order(id)),
                        );
                    }
                }
            }
        }
    }
}

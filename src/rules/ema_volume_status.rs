//! EMA032: a Volume's Status is not in the avails vocabulary (Avails XML).

use super::{Context, Rule, RuleInput, did_you_mean};
use crate::model::Diagnostic;
use crate::model::structure::Part;

super::declare_rule! {
    /// ## What it does
    /// Checks the `Status` of each `VolumeMetadata` (avails 2.4 on) against
    /// the VolumeStatus vocabulary of the document's version (`Partial`),
    /// spelt exactly.
    ///
    /// ## Why is this bad?
    /// The status says the Volume does not hold all its episodes yet; a
    /// value outside the vocabulary means nothing to the retailer.
    ///
    /// ## Example
    /// ```xml
    /// <Status>InComplete</Status>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Status>Partial</Status>
    /// ```
    ///
    /// ## How to fix
    /// Use a value of the list in the message, or leave the Status out
    /// when the Volume is complete.
    ///
    /// ## Source
    /// MovieLabs `vocab_avail_v2.4.json` and later (`VolumeStatus`); mddf
    /// `AvailValidator.validateAvailVocab` (an error); avails-v2.4.xsd
    /// `AvailVolumeMetadata-type/Status`.
    pub struct VolumeStatus = ("EMA032", "volume-status", Error, Ema,
        "A Volume's Status is not in the avails vocabulary");
}

impl Rule for VolumeStatus {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tree, allowed) in input.avails.with_vocabulary("avail:VolumeStatus") {
            let version = tree.sheet.version;
            let metas = tree
                .children_of(0, Part::Asset)
                .flat_map(|a| tree.children_of(a, Part::VolumeMetadata));
            for meta in metas {
                for id in tree.children_of(meta, Part::VolumeStatus) {
                    let v = tree.value(id);
                    if v.is_empty() || allowed.iter().any(|a| a == v) {
                        continue;
                    }
                    let list = allowed.join(", ");
                    let help = match did_you_mean(v, allowed.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`? Allowed: {list}"),
                        None => format!(
                            "use one of: {list} (or leave it out when the Volume is complete)"
                        ),
                    };
                    out.push(
                        Self::META
                            .diag(
                                tree.location(id),
                                format!(
                                    "<VolumeMetadata/Status> `{v}` is not a VolumeStatus of Avails {version}"
                                ),
                            )
                            .with_help(help)
                            .with_order(tree.order(id)),
                    );
                }
            }
        }
    }
}

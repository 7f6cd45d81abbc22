//! EMA027: a transaction that is not SVOD has more than one AssetLanguage.

use super::structure::{self, Violation};
use super::{Context, Rule, RuleInput};
use crate::model::structure::{AvailTree, NodeId};
use crate::model::{Avail, Diagnostic, Field};

super::declare_rule! {
    /// ## What it does
    /// A transaction whose LicenseType is not `SVOD` (EST, VOD, POEST, …)
    /// sells one language version: it may hold at most one AssetLanguage.
    /// Avails XML: at most one `<AssetLanguage>` in such a Transaction;
    /// spreadsheets (1.7.3 on, where AssetLanguage takes a comma list): at
    /// most one item in such a row's AssetLanguage. Avails 2.3 on (EMA
    /// 1.7.3 on).
    ///
    /// ## Why is this bad?
    /// MovieLabs rejects it: "A TVOD License limits Transaction to 1
    /// AssetLanguage". A purchase delivers one language version; several
    /// need one transaction each.
    ///
    /// ## Example
    /// ```text
    /// LicenseType = EST   AssetLanguage = en, fr, es
    /// ```
    /// Fixed: one row per language:
    /// ```text
    /// LicenseType = EST   AssetLanguage = en
    /// LicenseType = EST   AssetLanguage = fr
    /// ```
    ///
    /// ## How to fix
    /// Split the transaction: one per AssetLanguage.
    ///
    /// ## Source
    /// MovieLabs `structure_avail_v2.3.json` (and later), requirement
    /// `SVOD-AssetLanguage`; spreadsheet rows are checked with the file of
    /// the XML version their template converts to.
    pub struct TvodAssetLanguage = ("EMA027", "tvod-asset-language", Error, Ema,
        "A transaction that is not SVOD has more than one AssetLanguage");
}

/// The structure requirements this rule reports.
pub const REQUIREMENTS: &[&str] = &["SVOD-AssetLanguage"];

fn say(tree: &AvailTree, v: &Violation<'_>) -> (NodeId, String, String) {
    let langs: Vec<String> = v
        .found
        .iter()
        .map(|l| format!("`{}`", tree.value(*l)))
        .collect();
    let max = v.constraint().max.unwrap_or(1);
    let surplus = v.found.get(max as usize).copied().unwrap_or(v.at);
    (
        surplus,
        format!(
            "{} `{}` allows {} AssetLanguage, this has {}: {}",
            tree.label(v.at),
            tree.value(v.at),
            structure::how_many(None, Some(max)),
            v.found.len(),
            langs.join(", ")
        ),
        "give each language its own transaction (a transaction that is not SVOD sells one language version)".to_string(),
    )
}

impl Rule for TvodAssetLanguage {
    fn checks_rows(&self) -> bool {
        true
    }

    fn check_row(
        &self,
        row: &Avail,
        facts: &super::RowFacts,
        _ctx: &Context<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        // The requirement's target: a LicenseType that is not `SVOD`.
        if !facts.svod && row.items(Field::AssetLanguage).nth(1).is_some() {
            structure::report_row(&Self::META, row, REQUIREMENTS, say, out);
        }
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        structure::report(&Self::META, input.avails, REQUIREMENTS, say, out);
    }
}

//! EMA020: an AvailType that is not in the avails vocabulary (Avails XML).

use super::{Context, Rule, RuleInput, did_you_mean};
use crate::model::Diagnostic;
use crate::model::structure::Part;

super::declare_rule! {
    /// ## What it does
    /// Checks `<AvailType>` against the AvailType vocabulary of the
    /// document's avails version: `single`, `episode`, `season`, `series`,
    /// `miniseries`, `collection` (2.1), then `bundle`, `supplement`,
    /// `promotion` (2.2 on) and `volume` (2.4 on), spelt exactly.
    /// Spreadsheets have no AvailType (MovieLabs derives it from WorkType).
    ///
    /// ## Why is this bad?
    /// The AvailType says what the Avail offers and which Assets it must
    /// hold (EMA021); an unknown one cannot be ingested.
    ///
    /// ## Example
    /// ```xml
    /// <AvailType>Movie</AvailType>
    /// ```
    /// Fixed:
    /// ```xml
    /// <AvailType>single</AvailType>
    /// ```
    ///
    /// ## How to fix
    /// Use a value of the list in the message.
    ///
    /// ## Source
    /// MovieLabs `vocab_avail_v2.x.json` (`AvailType`), per avails version;
    /// mddf `AvailValidator.validateAvailVocab` (an error).
    pub struct AvailType = ("EMA020", "avail-type", Error, Ema,
        "AvailType is not in the avails vocabulary");
}

impl Rule for AvailType {
    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (tree, allowed) in input.avails.with_vocabulary("avail:AvailType") {
            let version = tree.sheet.version;
            for id in tree.children_of(0, Part::AvailType) {
                let v = tree.value(id);
                if v.is_empty() || allowed.iter().any(|a| a == v) {
                    continue;
                }
                let list = allowed.join(", ");
                let help = match did_you_mean(v, allowed.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`? Allowed: {list}"),
                    None => format!("use one of: {list}"),
                };
                out.push(
                    Self::META
                        .diag(
                            tree.location(id),
                            format!("<AvailType> `{v}` is not an AvailType of Avails {version}"),
                        )
                        .with_help(help)
                        .with_order(tree.order(id)),
                );
            }
        }
    }
}

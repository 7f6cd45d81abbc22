//! EMA014: a list uses another separator than its field's.

use super::Rule;
use crate::model::avail::split_items;
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Each list field splits on its own separator, per the data dictionary
    /// of the sheet's template version and kind: `,` for Territory,
    /// TerritoryExclusion and the language fields from 1.7.3, `|` for the
    /// 1.6 TV language lists, `;` for BundledALIDs and AssociatedALID. An
    /// item holding another of `,` `;` `|` means the list was written with
    /// the wrong separator.
    ///
    /// ## Why is this bad?
    /// The whole cell is then read as one value: `US|GB` is no territory, so
    /// the title is available in neither country.
    ///
    /// ## Example
    /// A 1.7.3 row:
    /// ```text
    /// Territory = US|GB    AssetLanguage = en;fr
    /// ```
    /// Fixed:
    /// ```text
    /// Territory = US, GB   AssetLanguage = en, fr
    /// ```
    ///
    /// ## How to fix
    /// Separate the items with the separator named in the message.
    ///
    /// ## Source
    /// `separator` of each list field in `schemas/dictionaries/`
    /// (ema-avails-format.md §1.8 "Lists", §1.10).
    pub struct ListSeparator = ("EMA014", "list-separator", Error, Ema,
        "List uses another separator than its field's");
}

/// Characters that separate list items in some EMA field.
const SEPARATORS: [char; 3] = [',', ';', '|'];

/// True when `item`, an item split on `own`, holds another list separator.
pub fn has_foreign_separator(item: &str, own: char) -> bool {
    item.contains(|c: char| c != own && SEPARATORS.contains(&c))
}

/// `text` split on any list separator, trimmed, empty items dropped.
pub fn split_any(text: &str) -> impl Iterator<Item = &str> {
    text.split(SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The separator's name for messages.
fn name(sep: char) -> &'static str {
    match sep {
        ',' => "a comma (`,`)",
        ';' => "a semicolon (`;`)",
        '|' => "a vertical bar (`|`)",
        _ => "its separator",
    }
}

impl Rule for ListSeparator {
    fn value_kinds(&self) -> &'static [FieldKind] {
        // The dictionaries say which fields are lists, of whatever kind.
        &FieldKind::ALL
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(sep) = f.separator() else { return };
        let Some(bad) = split_items(&cell.text, Some(sep)).find(|i| has_foreign_separator(i, sep))
        else {
            return;
        };
        let fixed: Vec<&str> = split_any(&cell.text).collect();
        let joined = fixed.join(&format!("{sep} "));
        out.push(
            Self::META
                .at_cell(
                    row,
                    cell,
                    format!(
                        "{} `{bad}` is separated with another character than {}, the separator of {} lists in EMA {} {}",
                        f.name(),
                        name(sep),
                        f.name(),
                        row.sheet.version,
                        row.layout().kind.as_str()
                    ),
                )
                .with_help(format!("write `{joined}`")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_separators() {
        assert!(has_foreign_separator("US|GB", ','));
        assert!(has_foreign_separator("en;fr", ','));
        assert!(!has_foreign_separator("en fr", ','));
        assert!(!has_foreign_separator("md:alid:x", ';'));
        assert!(has_foreign_separator("a,b", ';'));
        assert_eq!(
            split_any(" US| GB ,DE;").collect::<Vec<_>>(),
            ["US", "GB", "DE"]
        );
    }
}

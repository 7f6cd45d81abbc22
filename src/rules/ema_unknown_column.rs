//! EMA002: a header names no field of the template version.

use std::collections::{HashMap, HashSet};

use super::{Context, Rule, did_you_mean};
use crate::model::{Diagnostic, Field};
use crate::read::SheetRows;

super::declare_rule! {
    /// ## What it does
    /// Flags row-2 headers that are not fields of the sheet's template
    /// version, with a did-you-mean when a field is spelled nearly the same.
    /// Known official misspellings (`BundleALIDs`, `ExceptionsFlag`,
    /// `VolumeDistributinoNumber`) are accepted as aliases.
    ///
    /// ## Why is this bad?
    /// MovieLabs' tools and Amazon's ingest ignore unknown columns silently:
    /// a typo such as `Teritory` loses the whole column's data.
    ///
    /// ## Example
    /// ```text
    /// row 2: DisplayName | Teritory | WorkType
    /// ```
    /// Fixed:
    /// ```text
    /// row 2: DisplayName | Territory | WorkType
    /// ```
    ///
    /// ## How to fix
    /// Rename the header to the exact field name, or delete the column.
    ///
    /// ## Source
    /// ema-avails-format.md §3.2 ("unknown or misspelled column headers are
    /// just ignored"); the field lists of `schemas/dictionaries/`.
    pub struct UnknownColumn = ("EMA002", "unknown-column", Warning, Ema,
        "Column header is not a field of this template version");
}

impl Rule for UnknownColumn {
    fn check_sheet(&self, sheet: &SheetRows, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let info = &sheet.info;
        if info.version.is_xml() {
            return;
        }
        // From 1.8 a row's WorkType chooses its dictionary: a column of any
        // of them is known.
        let known = |f: Field| info.layouts().iter().any(|l| l.dictionary.has(f));
        let kinds: Vec<&str> = info.layouts().iter().map(|l| l.kind.as_str()).collect();
        // The layouts' fields, each name once (from 1.8 the kinds share
        // most), listed when the first unknown header needs them.
        let mut names: Option<Vec<&str>> = None;
        // A header may repeat an unknown name across thousands of columns:
        // each distinct name is looked up once.
        let mut suggestions: HashMap<&str, Option<String>> = HashMap::new();
        for (i, col) in info.columns.iter().enumerate() {
            if col.header.is_empty() || col.field.is_some_and(known) {
                continue;
            }
            let suggestion = suggestions.entry(&col.header).or_insert_with(|| {
                let names = names.get_or_insert_with(|| {
                    let mut seen = HashSet::new();
                    info.layouts()
                        .iter()
                        .flat_map(|l| l.dictionary.fields.iter().map(|f| f.name()))
                        .filter(|n| seen.insert(*n))
                        .collect()
                });
                did_you_mean(&col.header, names.iter().copied()).map(str::to_owned)
            });
            let d = Self::META
                .diag(
                    info.header_location(i),
                    format!(
                        "`{}` is not a field of EMA {} {}; its column is not checked",
                        col.header,
                        info.version,
                        kinds.join(" or ")
                    ),
                )
                .with_order((info.file_index, info.sheet_index, info.header_row, i));
            out.push(d.with_help(match suggestion.as_deref() {
                Some(s) => format!("did you mean `{s}`?"),
                None => "rename it to a field of the template or delete the column".into(),
            }));
        }
    }
}

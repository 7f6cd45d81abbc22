//! EMA012: rows of the same ALID/AltID disagree with the first such row.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::{Context, Rule, RuleInput};
use crate::model::{Avail, Diagnostic, Field, Text};

super::declare_rule! {
    /// ## What it does
    /// Groups the rows of each file by title (ALID; AltID on 1.6) and
    /// compares `DisplayName`, `WorkType`, `ServiceProvider` and
    /// `ExceptionFlag` with the first row of the group.
    ///
    /// Spreadsheets only: in Avails XML the rows of one title are the
    /// Transactions of one Avail and share its values; two Avails with the
    /// same ALID are EMA026.
    ///
    /// ## Why is this bad?
    /// All rows of one ALID become one Avail; MovieLabs reports "Inconsistent
    /// specification; value does not match 1st definition of referenced
    /// Avail" and Amazon cannot tell which value is meant.
    ///
    /// ## Example
    /// ```text
    /// row 4: ALID = md:alid:x:1   WorkType = Movie
    /// row 9: ALID = md:alid:x:1   WorkType = Short
    /// ```
    /// Fixed:
    /// ```text
    /// row 4: ALID = md:alid:x:1   WorkType = Movie
    /// row 9: ALID = md:alid:x:1   WorkType = Movie
    /// ```
    ///
    /// ## How to fix
    /// Make the values agree, or give the rows different ALIDs if they are
    /// different titles.
    ///
    /// ## Source
    /// MovieLabs `StreamingXmlBuilder.getAvailElement` (ema-avails-format.md
    /// §2.3, §3.2 A.6).
    pub struct InconsistentTitle = ("EMA012", "inconsistent-title", Error, Ema,
        "Rows of the same title disagree on DisplayName or WorkType");
}

/// The fields every row of a title must agree on.
const FIELDS: [Field; 4] = [
    Field::DisplayName,
    Field::WorkType,
    Field::ServiceProvider,
    Field::ExceptionFlag,
];

/// A value as a message quotes it: `` `Movie` ``, or `(empty)`.
fn shown(value: &str) -> String {
    if value.trim().is_empty() {
        "(empty)".to_string()
    } else {
        format!("`{value}`")
    }
}

impl Rule for InconsistentTitle {
    fn set_fields(&self) -> &'static [Field] {
        &FIELDS
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // The first row of each title.
        let mut first: FxHashMap<(usize, &str), &Avail> = FxHashMap::default();
        for (row, facts) in input.rows() {
            // The rows of an XML Avail share its values; two Avails with one
            // ALID are EMA026's finding.
            if row.xml().is_some() {
                continue;
            }
            let Some(id) = facts.title(row) else { continue };
            let head = match first.entry((row.sheet.file_index, id)) {
                Entry::Occupied(e) => *e.get(),
                Entry::Vacant(e) => {
                    e.insert(row);
                    continue;
                }
            };
            for field in FIELDS {
                if !head.has_column(field) || !row.has_column(field) {
                    continue;
                }
                // Repeated short values share one text: the same text needs no comparing.
                if let (Some(a), Some(b)) = (head.get(field), row.get(field))
                    && Text::ptr_eq(&a.text, &b.text)
                {
                    continue;
                }
                let (a, b) = (head.text(field), row.text(field));
                if a != b {
                    out.push(
                        Self::META.at_field(
                                row,
                                field,
                                format!(
                                    "{field} {} differs from {} in the first row of the same title `{id}`",
                                    shown(b),
                                    shown(a)
                                ),
                            )
                        .with_related(format!("first row of `{id}`"), head.location(field))
                        .with_help(format!("use the same {field} on every row of this title")),
                    );
                }
            }
        }
    }
}

//! EMA012: rows of the same ALID/AltID disagree with the first such row.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::{Context, Family, RuleInput, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity, Text};

static META: RuleMeta = RuleMeta {
    code: "EMA012",
    name: "inconsistent-title",
    title: "Rows of the same title disagree on DisplayName or WorkType",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Groups the rows of each file by title (ALID; AltID on 1.6) and compares
`DisplayName`, `WorkType`, `ServiceProvider` and `ExceptionFlag` with the
first row of the group.

## Why is this bad?
All rows of one ALID become one Avail; MovieLabs reports "Inconsistent
specification; value does not match 1st definition of referenced Avail" and
Amazon cannot tell which value is meant.

## Example
Row 4: ALID `md:alid:x:1`, WorkType `Movie`; row 9: same ALID, WorkType `Short`.

## How to fix
Make the values agree, or give the rows different ALIDs if they are different titles.

## Source
MovieLabs `StreamingXmlBuilder.getAvailElement` (ema-avails-format.md §2.3, §3.2 A.6).
"#,
};

const FIELDS: [&str; 4] = [
    "DisplayName",
    "WorkType",
    "ServiceProvider",
    "ExceptionFlag",
];

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_set(&self, input: &RuleInput<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // The first row of each title, with its sheet's columns of FIELDS.
        type Head<'a> = (&'a Avail, [Option<usize>; 4]);
        let mut first: FxHashMap<(usize, &str), Head<'_>> = FxHashMap::default();
        for (sheet, facts) in input.with_facts() {
            let columns = FIELDS.map(|f| sheet.info.column_of(f));
            for (row, facts) in sheet.rows.iter().zip(facts) {
                let Some(id) = facts.title(row) else { continue };
                let (head, head_columns) = match first.entry((row.sheet.file_index, id)) {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        e.insert((row, columns));
                        continue;
                    }
                };
                for (k, field) in FIELDS.into_iter().enumerate() {
                    let (hc, c) = (head_columns[k], columns[k]);
                    // Repeated short values share one text: the same text needs no comparing.
                    if let (Some(a), Some(b)) = (head.cell_in(hc), row.cell_in(c))
                        && Text::ptr_eq(&a.text, &b.text)
                    {
                        continue;
                    }
                    let (a, b) = (head.text_in(hc), row.text_in(c));
                    if a != b && hc.is_some() && c.is_some() {
                        out.push(
                            META.at_field(
                                row,
                                field,
                                format!(
                                    "{field} `{b}` differs from `{a}` in the first row of the same title `{id}`"
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
}

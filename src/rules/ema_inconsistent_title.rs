//! EMA012: rows of the same ALID/AltID disagree with the first such row.

use rustc_hash::FxHashMap;

use super::{Context, Family, RuleInput, RuleMeta};
use crate::model::{Avail, Diagnostic, Severity};

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
        let mut first: FxHashMap<(usize, &str), &Avail> = FxHashMap::default();
        for (row, facts) in input.rows() {
            let Some(id) = facts.title(row) else { continue };
            let key = (row.sheet.file_index, id);
            let Some(&head) = first.get(&key) else {
                first.insert(key, row);
                continue;
            };
            for field in FIELDS {
                let (a, b) = (head.text(field), row.text(field));
                if a != b && head.has_column(field) && row.has_column(field) {
                    out.push(
                            META.at_field(
                                row,
                                field,
                                format!(
                                    "{field} `{b}` differs from `{a}` in the first row of the same title `{}`",
                                    id
                                ),
                            )
                            .with_related(format!("first row of `{}`", id), head.location(field))
                            .with_help(format!("use the same {field} on every row of this title")),
                        );
                }
            }
        }
    }
}

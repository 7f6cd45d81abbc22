//! EMA001: a required column is missing from the header.

use super::{Context, Family, RuleMeta};
use crate::model::{Diagnostic, Requirement, Severity};
use crate::read::SheetRows;

static META: RuleMeta = RuleMeta {
    code: "EMA001",
    name: "missing-required-column",
    title: "Required column missing from the header",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks that the header row (row 2) of each data sheet has a column for every
field the template version's data dictionary marks as required
(`schemas/dictionaries/`). Conditionally required fields (e.g. `EpisodeNumber`
for episodes, `CaptionExemption` in the US) are reported as warnings.

## Why is this bad?
Every row of the sheet then lacks that value; Amazon rejects the whole file.
Columns are matched by their row-2 field name, not by position, so a renamed
or misspelled header counts as missing (see EMA002 for a did-you-mean).

## Example
A 1.7.3 Movies sheet without a `ContentID` column.

## How to fix
Add the column with the exact field name in row 2 (copy it from the official
template), and fill it for every row.

## Source
EMA Avails data dictionaries 1.6–1.9 (ema-avails-format.md §1.3–1.7).
"#,
};

/// See [`META`].
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_sheet(&self, sheet: &SheetRows, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let info = &sheet.info;
        // XML documents have no header: element presence is checked structurally.
        if info.version.is_xml() {
            return;
        }
        let mut loc = info.location();
        if info.header_row > 0 {
            loc.row = Some(info.header_row);
        }
        let missing: Vec<_> = info
            .dictionary
            .fields
            .iter()
            .filter(|f| f.required != Requirement::Optional && info.column_of(&f.name).is_none())
            .collect();
        for f in missing {
            let mut l = loc.clone();
            l.field = Some(f.name.clone());
            let (severity, when) = match f.required {
                Requirement::Conditional => (
                    Severity::Warning,
                    format!(
                        " (needed when {})",
                        f.required_when
                            .iter()
                            .map(|c| format!("{} is {}", c.field, c.values.join("/")))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                ),
                _ => (Severity::Error, String::new()),
            };
            let mut d = META
                .diag(
                    l,
                    format!(
                        "the header has no `{}` column, which EMA {} {} requires{when}",
                        f.name,
                        info.version,
                        info.sheet_kind.as_str()
                    ),
                )
                .with_help(format!(
                    "add a column with `{}` in row {} (category `{}` in row {})",
                    f.name,
                    info.header_row.max(2),
                    f.category,
                    info.header_row.max(2) - 1
                ))
                .with_order((info.file_index, info.sheet_index, info.header_row, 0));
            d.severity = severity;
            out.push(d);
        }
    }
}

//! EMA001: a required column is missing from the header.

use super::{Context, Rule};
use crate::model::{Diagnostic, FieldDef, FieldSet, Layout, Requirement, SheetInfo};
use crate::read::SheetRows;

super::declare_rule! {
    /// ## What it does
    /// Checks that the header row (row 2) of each data sheet has a column for
    /// every field the template version's data dictionary marks as required
    /// (`schemas/dictionaries/`). Columns that are required only under a
    /// condition are EMA013.
    ///
    /// ## Why is this bad?
    /// Every row of the sheet then lacks that value; Amazon rejects the whole
    /// file. Columns are matched by their row-2 field name, not by position,
    /// so a renamed or misspelled header counts as missing (see EMA002 for a
    /// did-you-mean).
    ///
    /// ## Example
    /// A 1.7.3 Movies header without `ContentID`:
    /// ```text
    /// row 2: DisplayName | Territory | WorkType | ... | ALID
    /// ```
    /// Fixed: the header has the column, filled on every row:
    /// ```text
    /// row 2: DisplayName | Territory | WorkType | ... | ContentID | ALID
    /// ```
    ///
    /// ## How to fix
    /// Add the column with the exact field name in row 2 (copy it from the
    /// official template), and fill it for every row.
    ///
    /// ## Source
    /// EMA Avails data dictionaries 1.6–1.9 (ema-avails-format.md §1.3–1.7).
    pub struct MissingColumn = ("EMA001", "missing-required-column", Error, Ema,
        "Required column missing from the header");
}

impl Rule for MissingColumn {
    fn check_sheet(&self, sheet: &SheetRows, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        missing_columns(sheet, Requirement::Always, &Self::META, out);
    }
}

/// Reports each field of `requirement` that the header of `sheet` lacks, as
/// a finding of `meta` (EMA001 or EMA013): the fields of the dictionary of
/// every kind its rows are checked with (the header's own when it has no
/// rows), each field once.
pub(super) fn missing_columns(
    sheet: &SheetRows,
    requirement: Requirement,
    meta: &'static super::RuleMeta,
    out: &mut Vec<Diagnostic>,
) {
    let info = &sheet.info;
    // XML documents have no header: element presence is checked structurally.
    if info.version.is_xml() {
        return;
    }
    let mut used = vec![false; info.layouts().len()];
    used[0] = sheet.rows.is_empty();
    for row in &sheet.rows {
        used[usize::from(row.layout_index())] = true;
    }
    let mut reported = FieldSet::default();
    for (layout, _) in info.layouts().iter().zip(used).filter(|(_, u)| *u) {
        let missing = layout
            .dictionary_columns()
            .filter(|(f, column)| f.required == requirement && column.is_none());
        for (f, _) in missing {
            if reported.contains(f.field) {
                continue;
            }
            reported.insert(f.field);
            out.push(missing_column(info, layout, f, meta));
        }
    }
}

/// The finding that the header of `info` lacks `f`, which `layout` requires.
fn missing_column(
    info: &SheetInfo,
    layout: &Layout,
    f: &FieldDef,
    meta: &'static super::RuleMeta,
) -> Diagnostic {
    let mut l = info.location();
    if info.header_row > 0 {
        l.row = Some(info.header_row);
    }
    l.field = Some(f.name().to_string());
    let rows = if info.per_row() { " rows" } else { "" };
    meta.diag(
        l,
        format!(
            "the header has no `{}` column, which EMA {} {}{rows} require{}{}",
            f.name(),
            info.version,
            layout.kind.as_str(),
            if info.per_row() { "" } else { "s" },
            condition(f)
        ),
    )
    .with_help(format!(
        "add a column with `{}` in row {} (category `{}` in row {})",
        f.name(),
        info.header_row.max(2),
        f.category,
        info.header_row.max(2) - 1
    ))
    .with_order((info.file_index, info.sheet_index, info.header_row, 0))
}

/// ` (needed when A is x and B is y)` for a conditional field, else nothing.
fn condition(f: &FieldDef) -> String {
    if f.required != Requirement::Conditional {
        return String::new();
    }
    let parts: Vec<String> = f.required_when.iter().map(ToString::to_string).collect();
    format!(" (needed when {})", parts.join(" and "))
}

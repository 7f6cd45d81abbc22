//! EMA008: a date or date-time is not valid.

use super::Rule;
use crate::model::time::{When, excel_serial_date, parse_date};
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Checks date fields: `Start` and `End` take `YYYY-MM-DD`, an ISO 8601
    /// date-time `YYYY-MM-DDThh:mm:ss` with optional `Z` or `±hh:mm`, or a
    /// condition (`Open`, `Immediate`, `ESTStart`, ...); other date fields
    /// (SuppressionLiftDate, AnnounceDate, ReleaseHistory*, ...) take
    /// `YYYY-MM-DD`. Real Excel date cells are read through their number
    /// format, so a date cell is always fine; a plain number is not.
    ///
    /// ## Why is this bad?
    /// MovieLabs' converter turns anything else that starts with four digits
    /// into an empty string, and `1/20/2018` into a bogus condition; Amazon
    /// rejects the row.
    ///
    /// ## Example
    /// ```text
    /// Start = 2026-1-5     End = 2026-01-05 10:00
    /// ```
    /// Fixed:
    /// ```text
    /// Start = 2026-01-05   End = 2026-01-05T10:00:00Z
    /// ```
    ///
    /// ## How to fix
    /// Write `2026-01-05` or `2026-01-05T10:00:00Z`, or format the cell as a
    /// date.
    ///
    /// ## Source
    /// ema-avails-format.md §1.8 (Value formats), MovieLabs `FormatConverter`.
    pub struct InvalidDate = ("EMA008", "invalid-date", Error, Ema,
        "Date or date-time is not valid");
}

/// Why `v`, a value of a `Date` field, is not a date.
fn date_problem(v: &str) -> Option<String> {
    if parse_date(v).is_some() {
        return None;
    }
    match When::parse(v) {
        When::DateTime(..) => None,
        When::Invalid(why) => Some(why),
        _ => Some(format!("`{v}` is not a YYYY-MM-DD date")),
    }
}

fn report(row: &Avail, f: &FieldDef, cell: &Cell, why: String, out: &mut Vec<Diagnostic>) {
    let v = cell.value();
    let xml = row.sheet.version.is_xml();
    let help = if xml && f.kind != FieldKind::Date {
        let e = row.sheet.label(f.field);
        let element = e.trim_start_matches('<').trim_end_matches('>');
        format!(
            "write an xs:dateTime YYYY-MM-DDThh:mm:ss with optional Z or ±hh:mm in {e}, or a condition such as Open or Immediate in <{element}Condition>"
        )
    } else if f.kind == FieldKind::Date {
        "write YYYY-MM-DD (e.g. 2026-03-01) or give the cell a date format".to_string()
    } else if let Some(d) = excel_serial_date(v).filter(|_| cell.kind.is_native()) {
        format!("format the cell as a date (this serial is {d})")
    } else {
        "write YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ, or a condition such as Open or Immediate"
            .to_string()
    };
    out.push(
        InvalidDate::META
            .at_cell(
                row,
                cell,
                format!("{} `{v}` is not valid: {why}", row.sheet.label(f.field)),
            )
            .with_help(help),
    );
}

impl Rule for InvalidDate {
    fn checks_references(&self) -> bool {
        true
    }

    fn value_kinds(&self) -> &'static [FieldKind] {
        &[FieldKind::Start, FieldKind::End, FieldKind::Date]
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let v = cell.value();
        if v.is_empty() || f.also.iter().any(|a| a.eq_ignore_ascii_case(v)) {
            return;
        }
        let why = match f.kind {
            FieldKind::Date => date_problem(v),
            _ => match When::parse(v) {
                When::Invalid(why) => Some(why),
                _ => None,
            },
        };
        if let Some(why) = why {
            report(row, f, cell, why, out);
        }
    }
}

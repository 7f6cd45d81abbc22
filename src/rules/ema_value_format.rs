//! EMA009: numbers, durations and run times: value syntax per field kind.

use super::Rule;
use crate::model::time::is_iso_duration;
use crate::model::{Avail, Cell, Diagnostic, FieldDef, FieldKind};

super::declare_rule! {
    /// ## What it does
    /// Checks the syntax of non-date typed fields: whole numbers
    /// (SeasonNumber, EpisodeNumber, ...), decimals (SRP; no currency symbol
    /// or thousands separator), four-digit years (ReleaseYear), ISO 8601
    /// durations (StartLag, EndLag, WindowDuration: `P180D`, `-P5DT10H`),
    /// hours (RentalDuration, WatchDuration: `720` or `hh:mm:ss`) and run
    /// times (TotalRunTime `HH:MM:SS`).
    ///
    /// ## Why is this bad?
    /// These map to typed XML (xs:decimal, xs:duration, ...); the MovieLabs
    /// schema and Amazon reject other spellings.
    ///
    /// ## Example
    /// ```text
    /// SRP = $4.99    WindowDuration = 180 days
    /// ```
    /// Fixed:
    /// ```text
    /// SRP = 4.99     WindowDuration = P180D
    /// ```
    ///
    /// In Avails XML the values whose schema type the reader checks
    /// (xs:duration of RunLength, WindowDuration, `@lag`, a Term's
    /// Duration; xs:decimal Money; xs:boolean) are left to that check
    /// (AVC008), so that a value gets one fix: `<RunLength>` takes an
    /// ISO 8601 duration (`PT1H52M30S`), not `HH:MM:SS`.
    ///
    /// ## How to fix
    /// Write the value in the format named in the message.
    ///
    /// ## Source
    /// ema-avails-format.md §1.8 (Value formats).
    pub struct InvalidValueFormat = ("EMA009", "invalid-value-format", Error, Ema,
        "Number, duration or run time is not in the required format");
}

/// Kinds whose syntax this rule checks.
const KINDS: [FieldKind; 6] = [
    FieldKind::Integer,
    FieldKind::Decimal,
    FieldKind::Year,
    FieldKind::Duration,
    FieldKind::Hours,
    FieldKind::Runtime,
];

/// A plain number: digits, an optional `-`, and with `allow_fraction` one `.`
/// followed by digits (no currency sign, no thousands separator).
pub(super) fn is_number(v: &str, allow_fraction: bool) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let mut parts = body.split('.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    parts.next().is_none()
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && match frac {
            None => true,
            Some(f) => allow_fraction && !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()),
        }
}

/// `h:mm` or `h:mm:ss` (hours up to three digits; minutes and seconds under 60).
fn is_clock(v: &str) -> bool {
    let mut parts = 0;
    for (i, p) in v.split(':').enumerate() {
        parts += 1;
        let digits = !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits || parts > 3 || (i > 0 && p.parse::<u32>().is_ok_and(|n| n >= 60)) {
            return false;
        }
    }
    parts >= 2
}

fn format_problem(kind: FieldKind, v: &str) -> Option<&'static str> {
    let ok = match kind {
        FieldKind::Integer => is_number(v, false),
        // "4.0" from a numeric cell is still a whole number.
        FieldKind::Decimal => is_number(v, true),
        FieldKind::Year => v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()),
        FieldKind::Duration => is_iso_duration(v),
        FieldKind::Hours => is_number(v, true) || is_clock(v) || is_iso_duration(v),
        FieldKind::Runtime => is_clock(v) || is_iso_duration(v),
        _ => true,
    };
    if ok {
        return None;
    }
    Some(match kind {
        FieldKind::Integer => "a whole number (e.g. 3)",
        FieldKind::Decimal => {
            "a decimal number without currency symbol or thousands separator (e.g. 4.99)"
        }
        FieldKind::Year => "a four-digit year (e.g. 2019)",
        FieldKind::Duration => "an ISO 8601 duration (e.g. P180D, -P5DT10H, PT12H)",
        FieldKind::Hours => "a number of hours (e.g. 720) or hh:mm:ss",
        FieldKind::Runtime => "a run time HH:MM:SS (e.g. 01:52:30)",
        _ => unreachable!("kinds without a format are always ok"),
    })
}

impl Rule for InvalidValueFormat {
    fn value_kinds(&self) -> &'static [FieldKind] {
        &KINDS
    }

    fn check_value(
        &self,
        row: &Avail,
        f: &'static FieldDef,
        cell: &Cell,
        out: &mut Vec<Diagnostic>,
    ) {
        let v = cell.value();
        // A value the XML reader checked against its schema type
        // (xs:duration, xs:decimal, …) gets that check's fix, not a
        // spreadsheet format's.
        if v.is_empty()
            || f.also.iter().any(|a| a.eq_ignore_ascii_case(v))
            || row.sheet.schema_checked(f.field)
        {
            return;
        }
        if let Some(expected) = format_problem(f.kind, v) {
            let label = row.sheet.label(f.field);
            out.push(
                Self::META
                    .at_cell(row, cell, format!("{label} `{v}` is not {expected}"))
                    .with_help(format!("write {expected}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(format_problem(FieldKind::Decimal, "4.99").is_none());
        assert!(format_problem(FieldKind::Decimal, "$4.99").is_some());
        assert!(format_problem(FieldKind::Decimal, "4,99").is_some());
        assert!(format_problem(FieldKind::Integer, "3").is_none());
        assert!(format_problem(FieldKind::Integer, "3.5").is_some());
        assert!(format_problem(FieldKind::Runtime, "1:52:30").is_none());
        assert!(format_problem(FieldKind::Runtime, "1:75:30").is_some());
        assert!(format_problem(FieldKind::Duration, "180 days").is_some());
        assert!(format_problem(FieldKind::Hours, "720").is_none());
        assert!(format_problem(FieldKind::Year, "19").is_some());
    }
}

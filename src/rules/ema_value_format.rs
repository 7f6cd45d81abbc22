//! EMA008 (dates) and EMA009 (numbers, durations): value syntax per field kind.

use super::{Context, Family, RuleMeta};
use crate::model::time::{When, excel_serial_date, is_iso_duration, parse_date};
use crate::model::{Avail, Diagnostic, FieldKind, Severity};

static DATE_META: RuleMeta = RuleMeta {
    code: "EMA008",
    name: "invalid-date",
    title: "Date or date-time is not valid",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks date fields: `Start` and `End` take `YYYY-MM-DD`, an ISO 8601
date-time `YYYY-MM-DDThh:mm:ss` with optional `Z` or `±hh:mm`, or a
condition (`Open`, `Immediate`, `ESTStart`, ...); other date fields
(SuppressionLiftDate, AnnounceDate, ReleaseHistory*, ...) take `YYYY-MM-DD`.
Real Excel date cells are read through their number format, so a date cell
is always fine; a plain number is not.

## Why is this bad?
MovieLabs' converter turns anything else that starts with four digits into an
empty string, and `1/20/2018` into a bogus condition; Amazon rejects the row.

## Example
`2026-1-5`, `2026-01-05 10:00` (space instead of `T`), `1/20/2018`, `2026-02-30`.

## How to fix
Write `2026-01-05` or `2026-01-05T10:00:00Z`, or format the cell as a date.

## Source
ema-avails-format.md §1.8 (Value formats), MovieLabs `FormatConverter`.
"#,
};

static FORMAT_META: RuleMeta = RuleMeta {
    code: "EMA009",
    name: "invalid-value-format",
    title: "Number, duration or run time is not in the required format",
    severity: Severity::Error,
    family: Family::Ema,
    docs: r#"## What it does
Checks the syntax of non-date typed fields: whole numbers (SeasonNumber,
EpisodeNumber, ...), decimals (SRP; no currency symbol or thousands
separator), four-digit years (ReleaseYear), ISO 8601 durations (StartLag,
EndLag, WindowDuration: `P180D`, `-P5DT10H`), hours (RentalDuration,
WatchDuration: `720` or `hh:mm:ss`) and run times (TotalRunTime `HH:MM:SS`).

## Why is this bad?
These map to typed XML (xs:decimal, xs:duration, ...); the MovieLabs schema
and Amazon reject other spellings.

## Example
`SRP = $4.99` → `4.99`. `WindowDuration = 180 days` → `P180D`.

## How to fix
Write the value in the format named in the message.

## Source
ema-avails-format.md §1.8 (Value formats).
"#,
};

/// EMA008.
pub struct DateRule;
/// EMA009.
pub struct FormatRule;

fn date_problem(kind: FieldKind, v: &str, also: &[String]) -> Option<String> {
    if also.iter().any(|a| a.eq_ignore_ascii_case(v)) {
        return None;
    }
    match kind {
        FieldKind::Start | FieldKind::End => match When::parse(v) {
            When::Invalid(why) => Some(why),
            _ => None,
        },
        FieldKind::Date => {
            if parse_date(v).is_some() || matches!(When::parse(v), When::DateTime(..)) {
                None
            } else if let When::Invalid(why) = When::parse(v) {
                Some(why)
            } else {
                Some(format!("`{v}` is not a YYYY-MM-DD date"))
            }
        }
        _ => None,
    }
}

fn is_number(v: &str, allow_fraction: bool) -> bool {
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

fn is_clock(v: &str) -> bool {
    let parts: Vec<&str> = v.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[1..]
            .iter()
            .all(|p| p.parse::<u32>().is_ok_and(|n| n < 60))
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

impl super::Rule for DateRule {
    fn meta(&self) -> &'static RuleMeta {
        &DATE_META
    }

    fn check_row(&self, row: &Avail, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (f, cell) in row.defined_cells() {
            if !matches!(f.kind, FieldKind::Start | FieldKind::End | FieldKind::Date) {
                continue;
            }
            {
                let v = cell.text.trim();
                if v.is_empty() {
                    continue;
                }
                if let Some(why) = date_problem(f.kind, v, &f.also) {
                    let example = if f.kind == FieldKind::Date {
                        "write YYYY-MM-DD (e.g. 2026-03-01) or give the cell a date format"
                            .to_string()
                    } else if let Some(d) = excel_serial_date(v).filter(|_| cell.native) {
                        format!("format the cell as a date (this serial is {d})")
                    } else {
                        "write YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ, or a condition such as Open or Immediate".to_string()
                    };
                    out.push(
                        DATE_META
                            .at_row_loc(
                                row,
                                row.cell_location(cell),
                                format!("{} `{v}` is not valid: {why}", f.name),
                            )
                            .with_help(example),
                    );
                }
            }
        }
    }
}

impl super::Rule for FormatRule {
    fn meta(&self) -> &'static RuleMeta {
        &FORMAT_META
    }

    fn check_row(&self, row: &Avail, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (f, cell) in row.defined_cells() {
            {
                let v = cell.text.trim();
                if v.is_empty() || f.also.iter().any(|a| a.eq_ignore_ascii_case(v)) {
                    continue;
                }
                if let Some(expected) = format_problem(f.kind, v) {
                    out.push(
                        FORMAT_META
                            .at_row_loc(
                                row,
                                row.cell_location(cell),
                                format!("{} `{v}` is not {expected}", f.name),
                            )
                            .with_help(format!("write {expected}")),
                    );
                }
            }
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

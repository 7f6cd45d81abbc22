//! The lexical spaces of the XML Schema 1.0 built-in types that the avails
//! and md XSDs use (xs:dateTime, xs:duration, xs:language, …), as
//! [`lexical`] checks them, and the few values the reader itself reads
//! (xs:boolean).

use super::xsd::Builtin;
#[cfg(doc)]
use crate::model::time::When;

/// xs:boolean: `true`, `false`, `1`, `0` (whitespace collapsed).
pub(super) fn boolean(v: &str) -> Option<bool> {
    match v.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// True when `v` (whitespace already collapsed where the type collapses it)
/// is in the lexical space of `builtin`.
pub(super) fn lexical(builtin: Builtin, v: &str) -> bool {
    match builtin {
        Builtin::String | Builtin::AnySimpleType | Builtin::AnyUri | Builtin::Union => true,
        Builtin::Boolean => matches!(v, "true" | "false" | "1" | "0"),
        Builtin::Decimal => is_decimal(v) && !v.contains(char::is_whitespace),
        Builtin::Integer => integer(v).is_some(),
        Builtin::Int => integer(v).is_some_and(|(neg, digits)| {
            let n: i64 = digits.parse().unwrap_or(i64::MAX);
            digits.len() <= 10 && if neg { n <= 1 << 31 } else { n < 1 << 31 }
        }),
        Builtin::PositiveInteger => {
            integer(v).is_some_and(|(neg, digits)| !neg && digits.bytes().any(|b| b != b'0'))
        }
        Builtin::DateTime => match v.split_once('T') {
            Some((date, time)) => date_part(date, 3).is_some() && time_part(time),
            None => false,
        },
        Builtin::Date => date_part(v, 3).is_some_and(zone),
        Builtin::GYearMonth => date_part(v, 2).is_some_and(zone),
        Builtin::GYear => date_part(v, 1).is_some_and(zone),
        Builtin::Time => time_part(v),
        Builtin::Duration => is_xs_duration(v),
        Builtin::Language => is_language(v),
    }
}

/// An xs:integer: (negative, digits).
fn integer(v: &str) -> Option<(bool, &str)> {
    let (neg, digits) = match v.as_bytes().first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some((neg, digits))
}

/// The year, month and day fields of an XSD date form with `parts` fields
/// (1: `YYYY`, 2: `YYYY-MM`, 3: `YYYY-MM-DD`), and what follows them.
/// Years have four or more digits (no leading zero beyond four), an
/// optional `-`, and are never 0000; the day exists in its month.
fn date_part(v: &str, parts: usize) -> Option<&str> {
    let b = v.as_bytes();
    let start = usize::from(b.first() == Some(&b'-'));
    let digits = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits < 4 || (digits > 4 && b[start] == b'0') {
        return None;
    }
    let year_text = &v[start..start + digits];
    if year_text.bytes().all(|c| c == b'0') {
        return None;
    }
    let year: u64 = year_text.parse().unwrap_or(0);
    let mut rest = &b[start + digits..];
    let mut month = 0;
    for field in 1..parts {
        let [b'-', d1, d2, tail @ ..] = rest else {
            return None;
        };
        let n = number(&[*d1, *d2])?;
        if field == 1 {
            if !(1..=12).contains(&n) {
                return None;
            }
            month = n;
        } else if n == 0 || n > days_in_month((year % 400) as u32, month) {
            return None;
        }
        rest = tail;
    }
    v.get(v.len() - rest.len()..)
}

/// `hh:mm:ss[.s+]` (24:00:00 allowed), then an optional time zone.
fn time_part(v: &str) -> bool {
    let b = v.as_bytes();
    let [h1, h2, b':', m1, m2, b':', s1, s2, rest @ ..] = b else {
        return false;
    };
    let (Some(h), Some(m), Some(s)) = (
        number(&[*h1, *h2]),
        number(&[*m1, *m2]),
        number(&[*s1, *s2]),
    ) else {
        return false;
    };
    let mut rest = rest;
    let mut fraction_zero = true;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        fraction_zero = tail[..digits].iter().all(|d| *d == b'0');
        rest = &tail[digits..];
    }
    let time_ok = (h <= 23 && m <= 59 && s <= 59) || (h == 24 && m == 0 && s == 0 && fraction_zero);
    time_ok && zone(std::str::from_utf8(rest).unwrap_or("?"))
}

/// An optional time zone: nothing, `Z`, or `±hh:mm` up to 14:00.
fn zone(v: &str) -> bool {
    match v.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            matches!((number(&[*h1, *h2]), number(&[*m1, *m2])), (Some(h), Some(m)) if m <= 59 && (h < 14 || (h == 14 && m == 0)))
        }
        _ => false,
    }
}

/// xs:duration: `-?P` then years, months, days and a `T` part of hours,
/// minutes and seconds (only seconds take a fraction); at least one part,
/// and a `T` only with a time part after it.
pub(super) fn is_xs_duration(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let Some(body) = v.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match body.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (body, None),
    };
    fn parts(s: &str, units: &[u8], fraction_unit: Option<u8>) -> Option<usize> {
        let b = s.as_bytes();
        let (mut i, mut next_unit, mut count) = (0, 0, 0);
        while i < b.len() {
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let mut j = i + digits;
            let mut fraction = false;
            if b.get(j) == Some(&b'.') {
                let more = b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if more == 0 {
                    return None;
                }
                fraction = true;
                j += 1 + more;
            }
            if digits == 0 {
                return None;
            }
            let unit = *b.get(j)?;
            let pos = units[next_unit..].iter().position(|u| *u == unit)? + next_unit;
            if fraction && Some(unit) != fraction_unit {
                return None;
            }
            next_unit = pos + 1;
            count += 1;
            i = j + 1;
        }
        Some(count)
    }
    let Some(date_parts) = parts(date, b"YMD", None) else {
        return false;
    };
    let time_parts = match time {
        Some(t) => match parts(t, b"HMS", Some(b'S')) {
            Some(0) | None => return false,
            Some(n) => n,
        },
        None => 0,
    };
    date_parts + time_parts > 0
}

/// xs:language: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
pub(super) fn is_language(v: &str) -> bool {
    let mut first = true;
    for part in v.split('-') {
        let ok_len = (1..=8).contains(&part.len());
        let ok_chars = if first {
            part.bytes().all(|b| b.is_ascii_alphabetic())
        } else {
            part.bytes().all(|b| b.is_ascii_alphanumeric())
        };
        if !ok_len || !ok_chars {
            return false;
        }
        first = false;
    }
    true
}

/// xs:decimal: optional sign, digits, optional fraction; no exponent.
pub(super) fn is_decimal(v: &str) -> bool {
    let v = v.trim();
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()))
}

/// The number `digits` (ASCII) write, `None` when one is not a digit.
#[inline(always)]
fn number(digits: &[u8]) -> Option<u32> {
    let mut n = 0;
    for c in digits {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u32::from(d);
    }
    Some(n)
}

/// Days in `month` (1–12) of `year` (proleptic Gregorian).
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xs_syntax() {
        use Builtin::*;
        let cases: &[(Builtin, &[&str], &[&str])] = &[
            (
                DateTime,
                &[
                    "2026-03-01T00:00:00",
                    "2026-03-01T00:00:00Z",
                    "2026-03-01T00:00:00.5+01:00",
                    "2024-02-29T23:59:59.1234567890",
                    "2026-12-31T24:00:00",
                    "-0044-03-15T12:00:00",
                    "12026-01-01T00:00:00",
                    "2026-01-01T00:00:00+14:00",
                ],
                &[
                    "2026-03-01",
                    "2026-02-30T00:00:00",
                    "2026-01-01T00:00:0\u{e9}",
                    "0000-01-01T00:00:00",
                    "02026-01-01T00:00:00",
                    "2026-01-01T24:00:01",
                    "2026-01-01T00:00:00+14:01",
                    "2026-01-01T00:00:00+0100",
                    "2026-1-01T00:00:00",
                    "2026-01-01 00:00:00",
                    "",
                ],
            ),
            (
                Date,
                &["2026-03-01", "2026-03-01Z", "2026-03-01-05:00"],
                &["2026-03-01T00:00:00", "2026-13-01"],
            ),
            (GYear, &["1958", "1958Z"], &["58", "1958-01"]),
            (GYearMonth, &["1958-07"], &["1958", "1958-7"]),
            (Time, &["10:00:00", "10:00:00.5Z"], &["10:00", "25:00:00"]),
            (
                Duration,
                &["P1D", "PT2H30M", "-P5DT10H", "P1Y2M3DT4H5M6.7S", "PT0S"],
                &[
                    "P", "PT", "P1DT", "P1W", "P1.5D", "PT1.S", "P1M1Y", "2 days", " P1D",
                ],
            ),
            (
                Decimal,
                &["4.99", "-0.5", ".5", "5."],
                &["$4.99", "4,99", "1e3", ""],
            ),
            (Boolean, &["true", "false", "1", "0"], &["Yes", "TRUE", ""]),
            (Integer, &["1", "-1", "+007"], &["1.0", "", "-"]),
            (
                Int,
                &["2147483647", "-2147483648"],
                &["2147483648", "-2147483649"],
            ),
            (PositiveInteger, &["1", "+2"], &["0", "-1"]),
            (
                Language,
                &["en", "es-419", "zh-Hant-TW", "x-klingon"],
                &["es:subdub", "EN, FR, ES", "", "en-", "toolonglang"],
            ),
        ];
        for (builtin, good, bad) in cases {
            for v in *good {
                assert!(lexical(*builtin, v), "{builtin:?} {v}");
            }
            for v in *bad {
                assert!(!lexical(*builtin, v), "{builtin:?} {v}");
            }
        }
        assert!(is_decimal("4.99"));
        assert_eq!(boolean("true"), Some(true));
        assert_eq!(boolean("Yes"), None);
    }
}

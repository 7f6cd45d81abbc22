//! The XML Schema value syntaxes the reader checks: xs:boolean,
//! xs:decimal, xs:dateTime and xs:duration.

use crate::model::time::{When, is_iso_duration};

/// xs:boolean: `true`, `false`, `1`, `0` (whitespace collapsed).
pub(super) fn boolean(v: &str) -> Option<bool> {
    match v.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
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

/// xs:dateTime: `YYYY-MM-DDThh:mm:ss[.s+][Z|±hh:mm]`, a real date and time.
pub(super) fn is_date_time(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let Some(rest) = v.get(19..) else {
        return false;
    };
    let rest = match rest.strip_prefix('.') {
        Some(r) => {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &r[digits..]
        }
        None => rest,
    };
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    zone_ok && matches!(When::parse(v), When::DateTime(..))
}

/// xs:duration (ISO 8601), surrounding whitespace aside.
pub(super) fn is_duration(v: &str) -> bool {
    is_iso_duration(v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xs_syntax() {
        assert!(is_date_time("2026-03-01T00:00:00"));
        assert!(is_date_time("2026-03-01T00:00:00Z"));
        assert!(is_date_time("2026-03-01T00:00:00.5+01:00"));
        assert!(!is_date_time("2026-03-01"));
        assert!(!is_date_time("2026-02-30T00:00:00"));
        assert!(!is_date_time("2026-01-01T00:00:0\u{e9}"));
        assert!(is_decimal("4.99"));
        assert!(!is_decimal("$4.99"));
        assert!(!is_decimal("4,99"));
        assert_eq!(boolean("true"), Some(true));
        assert_eq!(boolean("Yes"), None);
        assert!(is_duration(" P1D "));
        assert!(!is_duration("2 days"));
    }
}

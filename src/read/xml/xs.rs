//! The XML Schema value syntaxes the reader checks: xs:boolean,
//! xs:decimal, xs:dateTime and xs:duration.

#[cfg(doc)]
use crate::model::time::When;
use crate::model::time::is_iso_duration;

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

/// xs:dateTime: `YYYY-MM-DDThh:mm:ss[.s+][Z|±hh:mm]`, a real date and time
/// (at most nine fraction digits, as [`When::parse`] reads).
pub(super) fn is_date_time(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(h), Some(m), Some(s)) = (
        number(&b[0..4]),
        number(&b[5..7]),
        number(&b[8..10]),
        number(&b[11..13]),
        number(&b[14..16]),
        number(&b[17..19]),
    ) else {
        return false;
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if h > 23 || m > 59 || s > 59 {
        return false;
    }
    let mut rest = &b[19..];
    if let [b'.', fraction @ ..] = rest {
        let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            matches!((number(&[*h1, *h2]), number(&[*m1, *m2])), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
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

    /// The reading before this one: its own syntax check, then the
    /// Start/End parser.
    fn reference(v: &str) -> bool {
        use crate::model::time::When;
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

    #[test]
    fn date_times_as_the_start_end_parser_reads_them() {
        let good = "2024-02-29T23:59:59.123456789+14:59";
        let alphabet = b"0123456789-:T.Z+z 9\xc3";
        let mut seed = 0x1234_5678_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let bases = [
            good,
            "2023-02-29T00:00:00",
            "2000-02-29T12:00:00Z",
            "1900-02-29T12:00:00",
            "0000-02-29T00:00:00-00:00",
            "2026-12-31T24:00:00",
            "2026-04-31T10:60:00",
            "2026-01-01T00:00:60",
            "2026-01-01T00:00:00.1234567890",
            "2026-01-01T00:00:00+24:00",
            "2026-01-01T00:00:00+01:60",
            "2026-01-01T00:00:00+0100",
            "2026-01-01T0-:00:00+01:00",
        ];
        for base in bases {
            assert_eq!(is_date_time(base), reference(base), "{base}");
            for _ in 0..3000 {
                let mut bytes = base.as_bytes().to_vec();
                for _ in 0..1 + next() % 3 {
                    let at = next() as usize % (bytes.len() + 1);
                    let c = alphabet[next() as usize % alphabet.len()];
                    match next() % 3 {
                        0 if at < bytes.len() => bytes[at] = c,
                        1 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        _ => bytes.insert(at.min(bytes.len()), c),
                    }
                }
                let v = String::from_utf8_lossy(&bytes);
                assert_eq!(is_date_time(&v), reference(&v), "{v}");
            }
        }
    }
}

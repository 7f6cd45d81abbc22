//! Start/End values, instants and windows: the date arithmetic of EMA avails.
//!
//! A date-only Start means `T00:00:00` and a date-only End `T23:59:59`
//! (EMA 1.7.2 dictionary; MovieLabs `FormatConverter.dateTimeToXml`). A
//! date or date-time without offset is a local [`Stamp`], placed on the
//! time line in its territory's zone ([`super::zone`]).

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::zone::{Zone, Zones};

/// Conditions EMA allows in Start/End instead of a date (XML vocab 2.1–2.5).
pub const CONDITIONS: [&str; 9] = [
    "Open",
    "Immediate",
    "ESTStart",
    "EST",
    "Broadcast",
    "Completed",
    "Theatrical",
    "TBD",
    "Close",
];

/// A parsed Start or End cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// `YYYY-MM-DD`.
    Date(NaiveDate),
    /// `YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]`.
    DateTime(NaiveDateTime, Option<FixedOffset>),
    /// A condition word such as `Open` or `Immediate` (canonical spelling).
    Condition(&'static str),
    /// Anything else, with the reason it is not a date.
    Invalid(String),
}

impl When {
    /// Parses a Start/End value.
    pub fn parse(text: &str) -> When {
        let s = text.trim();
        // Dates start with a digit, conditions with a letter.
        if !s.starts_with(|c: char| c.is_ascii_digit())
            && let Some(c) = CONDITIONS.iter().find(|c| c.eq_ignore_ascii_case(s))
        {
            return When::Condition(c);
        }
        if let Some(d) = parse_date(s) {
            return When::Date(d);
        }
        if let Some((dt, off)) = parse_date_time(s) {
            return When::DateTime(dt, off);
        }
        When::Invalid(invalid_reason(s))
    }

    /// Where a Start is on the time line (a date means its `T00:00:00`).
    pub fn start_stamp(&self) -> Option<Stamp> {
        self.stamp(NaiveTime::MIN)
    }

    /// Where an End is on the time line (a date means its `T23:59:59`).
    pub fn end_stamp(&self) -> Option<Stamp> {
        self.stamp(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"))
    }

    fn stamp(&self, date_time: NaiveTime) -> Option<Stamp> {
        match self {
            When::Date(d) => Some(Stamp::Local(d.and_time(date_time))),
            When::DateTime(dt, None) => Some(Stamp::Local(*dt)),
            When::DateTime(dt, Some(off)) => off
                .from_local_datetime(dt)
                .single()
                .map(|t| Stamp::At(t.with_timezone(&Utc))),
            _ => None,
        }
    }

    /// The condition word (canonical spelling), for a condition.
    pub fn condition(&self) -> Option<&str> {
        match self {
            When::Condition(c) => Some(c),
            _ => None,
        }
    }

    /// True for a date-only value.
    pub fn is_date_only(&self) -> bool {
        matches!(self, When::Date(_))
    }
}

/// A Start or End as far as its cell places it on the time line: an
/// instant when it has an offset, else a local date-time that its
/// territory's zone (or the `time_zone` setting) places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// An instant (the value had `Z` or an offset).
    At(DateTime<Utc>),
    /// A local date-time (a date, or a date-time without offset).
    Local(NaiveDateTime),
}

impl Stamp {
    /// The instant, reading a local value in `zone`.
    pub fn in_zone(self, zone: Zone) -> Option<DateTime<Utc>> {
        match self {
            Stamp::At(t) => Some(t),
            Stamp::Local(local) => zone.instant(local),
        }
    }

    /// The instant, reading a local value in the zone that `zones` gives
    /// `territory` (looked up only for a local value).
    pub fn in_territory(self, territory: &str, zones: Zones) -> Option<DateTime<Utc>> {
        match self {
            Stamp::At(t) => Some(t),
            Stamp::Local(local) => zones.of(territory).instant(local),
        }
    }

    /// `t` written the way this value is: a local date-time without offset
    /// (read back in `zone`, it is `t`) for a local value, UTC with `Z`
    /// otherwise. For suggestions a user copies into a cell.
    pub fn write_like(self, t: DateTime<Utc>, zone: Zone) -> String {
        match self {
            Stamp::At(_) => Zone::UTC.format(t),
            Stamp::Local(_) => zone.local_text(t),
        }
    }

    /// True when `self` is before `later` in any zones: their readings
    /// (local, or UTC for an instant) are more than three days apart, and
    /// placing a local value moves it by less than a day and an hour (an
    /// offset, and a skipped hour).
    pub fn surely_before(self, later: Stamp) -> bool {
        later.reading().signed_duration_since(self.reading()) > Duration::days(3)
    }

    /// The date-time as written: local, or UTC for an instant.
    fn reading(self) -> NaiveDateTime {
        match self {
            Stamp::At(t) => t.naive_utc(),
            Stamp::Local(local) => local,
        }
    }

    /// The zone a message shows the instant in: `zone` for a local value,
    /// UTC for one written with an offset.
    pub fn shown_in(self, zone: Zone) -> Zone {
        match self {
            Stamp::At(_) => Zone::UTC,
            Stamp::Local(_) => zone,
        }
    }
}

/// How a Licensed SVOD window's End meets a CPH Start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// The licensed window is open-ended or ends at or after the CPH Start.
    Overlap,
    /// The licensed End is exactly one minute before the CPH Start.
    Continuous,
    /// The licensed End is earlier than the CPH Start by this much (not 60 s).
    Gap(Duration),
}

/// Classifies a licensed End (`None` = open-ended) against a CPH Start:
/// Amazon wants the licensed End exactly one minute before the CPH Start.
pub fn handover(licensed_end: Option<DateTime<Utc>>, cph_start: DateTime<Utc>) -> Handover {
    let Some(end) = licensed_end.filter(|end| *end < cph_start) else {
        return Handover::Overlap;
    };
    match cph_start - end {
        gap if gap == Duration::minutes(1) => Handover::Continuous,
        gap => Handover::Gap(gap),
    }
}

/// A window from `start` to `end` inclusive; `end: None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First instant.
    pub start: DateTime<Utc>,
    /// Last instant, `None` when open-ended.
    pub end: Option<DateTime<Utc>>,
}

impl Window {
    /// True when the two windows share at least one instant.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.end.is_none_or(|e| other.start <= e) && other.end.is_none_or(|e| self.start <= e)
    }
}

/// The lane a window is drawn in on a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// A Licensed SVOD window: an SVOD row without the CPH marker, or a
    /// row of a `--licensed` file.
    Licensed,
    /// A CPH SVOD window.
    Cph,
    /// A window of another LicenseType (EST, TVOD, ...).
    Other,
}

/// One window of a title and territory, as a timeline draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    /// Its lane.
    pub lane: Lane,
    /// Windows of one offer (licensor, license kind, FormatProfile) must be
    /// discrete (CPH006); `None` is not compared (`--licensed` rows).
    pub offer: Option<u32>,
    /// First instant; `None` when unknown (drawn open to the left).
    pub start: Option<DateTime<Utc>>,
    /// Last instant; `None` when open-ended.
    pub end: Option<DateTime<Utc>>,
}

/// How two windows of one title and territory meet, as CPH005, CPH015 and
/// CPH006 judge them. Indices are into the slice given to [`relations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `a` and `b` share the instants from `from` to `to` (`None`: open).
    Overlap {
        /// The earlier (licensed, or reaching further) window.
        a: usize,
        /// The later (CPH, or overlapping) window.
        b: usize,
        /// First shared instant.
        from: DateTime<Utc>,
        /// Last shared instant; `None` when both are open-ended.
        to: Option<DateTime<Utc>>,
    },
    /// The licensed window ends `length` before the CPH window starts (not
    /// exactly one minute): the offer is not continuous.
    Gap {
        /// The licensed window.
        licensed: usize,
        /// The CPH window.
        cph: usize,
        /// CPH Start minus licensed End.
        length: Duration,
    },
    /// The licensed window ends exactly one minute before the CPH Start.
    Handover {
        /// The licensed window.
        licensed: usize,
        /// The CPH window.
        cph: usize,
    },
}

/// The relations among the windows of one title and territory: for each CPH
/// window with a Start, every licensed window overlapping it, and how the
/// latest licensed window ending before it hands over ([`handover`]; a
/// licensed window starting after the CPH window ends is not compared);
/// then, per offer, each window that overlaps the one reaching furthest
/// before it in Start order. The same judgement as the rules, for drawing.
pub fn relations(bars: &[Bar]) -> Vec<Relation> {
    let mut out = Vec::new();
    for (c, cph) in bars.iter().enumerate() {
        let (Lane::Cph, Some(cph_start)) = (cph.lane, cph.start) else {
            continue;
        };
        let mut nearest: Option<(usize, Duration)> = None;
        for (l, lic) in bars.iter().enumerate() {
            if lic.lane != Lane::Licensed
                || matches!((lic.start, cph.end), (Some(s), Some(e)) if s > e)
            {
                continue;
            }
            let gap = match handover(lic.end, cph_start) {
                Handover::Overlap => {
                    let from = lic.start.map_or(cph_start, |s| s.max(cph_start));
                    out.push(Relation::Overlap {
                        a: l,
                        b: c,
                        from,
                        to: earlier_end(lic.end, cph.end),
                    });
                    continue;
                }
                Handover::Continuous => Duration::minutes(1),
                Handover::Gap(g) => g,
            };
            if nearest.is_none_or(|(_, best)| gap < best) {
                nearest = Some((l, gap));
            }
        }
        match nearest {
            Some((licensed, g)) if g == Duration::minutes(1) => {
                out.push(Relation::Handover { licensed, cph: c });
            }
            Some((licensed, length)) => out.push(Relation::Gap {
                licensed,
                cph: c,
                length,
            }),
            None => {}
        }
    }
    let mut order: Vec<usize> = (0..bars.len())
        .filter(|&i| bars[i].offer.is_some() && bars[i].start.is_some())
        .collect();
    order.sort_by_key(|&i| (bars[i].offer, bars[i].start, i));
    for offer in order.chunk_by(|&a, &b| bars[a].offer == bars[b].offer) {
        // The window reaching furthest so far, as CPH006 keeps it.
        let mut reach: Option<usize> = None;
        for &i in offer {
            let cur = &bars[i];
            let span = |b: &Bar| Window {
                start: b.start.expect("filtered on a Start"),
                end: b.end,
            };
            if let Some(p) = reach {
                let prev = &bars[p];
                if span(prev).overlaps(&span(cur)) {
                    out.push(Relation::Overlap {
                        a: p,
                        b: i,
                        from: span(cur).start.max(span(prev).start),
                        to: earlier_end(prev.end, cur.end),
                    });
                }
            }
            let further = reach.is_none_or(|p| match (bars[p].end, cur.end) {
                (None, _) => false,
                (Some(_), None) => true,
                (Some(a), Some(b)) => b > a,
            });
            if further {
                reach = Some(i);
            }
        }
    }
    out
}

/// The earlier of two Ends, `None` being open-ended.
fn earlier_end(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (x, None) | (None, x) => x,
    }
}

/// Strict `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[r];
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn parse_date_time(s: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    if s.len() < 16 || s.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let date = parse_date(&s[..10])?;
    let rest = &s[11..];
    let (time_part, offset) = split_offset(rest)?;
    let time = parse_clock(time_part)?;
    Some((date.and_time(time), offset))
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff` (hand-parsed: this runs for every date cell).
fn parse_clock(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (h, l) = (*b.get(i)?, *b.get(i + 1)?);
        (h.is_ascii_digit() && l.is_ascii_digit()).then(|| u32::from((h - b'0') * 10 + (l - b'0')))
    };
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let (h, m) = (two(0)?, two(3)?);
    let (sec, nano) = match b.len() {
        5 => (0, 0),
        8 if b[5] == b':' => (two(6)?, 0),
        n if n > 9 && b[5] == b':' && b[8] == b'.' => {
            let frac = &s[9..];
            if !frac.bytes().all(|c| c.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            let nano: u32 = format!("{frac:0<9}").parse().ok()?;
            (two(6)?, nano)
        }
        _ => return None,
    };
    NaiveTime::from_hms_nano_opt(h, m, sec, nano)
}

fn split_offset(rest: &str) -> Option<(&str, Option<FixedOffset>)> {
    if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        return Some((t, FixedOffset::east_opt(0)));
    }
    if let Some(pos) = rest.rfind(['+', '-']) {
        let (t, off) = rest.split_at(pos);
        return Some((t, Some(parse_offset(off)?)));
    }
    Some((rest, None))
}

/// Parses `Z`, `UTC`, `+hh:mm`, `-hhmm` into a fixed offset.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn invalid_reason(s: &str) -> String {
    if s.is_empty() {
        return "it is empty".into();
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && s.len() <= 8 {
        if let Some(d) = excel_serial_date(s) {
            return format!(
                "it is a plain number; as an Excel date serial it would be {d}: give the cell a date format or write `{d}`"
            );
        }
        return "it is a plain number, not a date".into();
    }
    if let Some(iso) = local_date(s) {
        return format!("it is written in a local form; write {iso}");
    }
    if s.get(..4)
        .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return "not a valid YYYY-MM-DD date or YYYY-MM-DDThh:mm:ss date-time".into();
    }
    format!(
        "`{s}` is neither a date nor a known condition ({})",
        CONDITIONS.join(", ")
    )
}

/// The ISO value a date written in a local form stands for, quoted for a
/// message: `2027-01-01 00:00` → `` `2027-01-01T00:00:00` ``, `31/12/2027`
/// → `` `2027-12-31` ``, and both readings of an ambiguous `1/2/2027`.
/// `None` when `s` is no such form.
pub fn local_date(s: &str) -> Option<String> {
    let s = s.trim();
    // `2027-01-01 00:00[:00]`: a space instead of `T`.
    if let (Some(d), Some(b' ')) = (s.get(..10).and_then(parse_date), s.as_bytes().get(10)) {
        let time = s[11..].trim();
        let t = NaiveTime::parse_from_str(time, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
            .ok()?;
        return Some(format!("`{}T{}`", d, t.format("%H:%M:%S")));
    }
    // `2027/01/01`.
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y/%m/%d") {
        return Some(format!("`{d}`"));
    }
    // `1-Jan-27`, `01-Jan-2027`, `1 Jan 2027`, `Jan 1, 2027`.
    for f in [
        "%d-%b-%y",
        "%d-%b-%Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%d %B %Y",
        "%B %d, %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(format!("`{d}`"));
        }
    }
    // `31.12.2027` (day first, as written in Europe).
    if let Ok(d) = NaiveDate::parse_from_str(s, "%d.%m.%Y") {
        return Some(format!("`{d}`"));
    }
    // `1/2/2027`: month first (US) or day first (most elsewhere).
    let parts: Vec<&str> = s.split('/').collect();
    if let [a, b, y] = parts[..]
        && y.len() == 4
    {
        let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
        let month_first = NaiveDate::from_ymd_opt(y, a, b);
        let day_first = NaiveDate::from_ymd_opt(y, b, a);
        return match (month_first, day_first) {
            (Some(m), Some(d)) if m != d => Some(format!(
                "`{m}` if it means month/day, or `{d}` if it means day/month"
            )),
            (Some(m), _) => Some(format!("`{m}`")),
            (None, Some(d)) => Some(format!("`{d}`")),
            (None, None) => None,
        };
    }
    None
}

/// Converts an Excel 1900-system serial (`41439`) to a date, for hints.
pub fn excel_serial_date(s: &str) -> Option<NaiveDate> {
    let v: f64 = s.parse().ok()?;
    if !(1.0..=2_958_465.0).contains(&v) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(v.floor() as i64))
}

/// True for an ISO 8601 duration such as `P180D`, `-P5DT10H`, `PT1H30M`.
pub fn is_iso_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(body) = s.strip_prefix('P') else {
        return false;
    };
    if body.is_empty() {
        return false;
    }
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return false;
            }
            (d, Some(t))
        }
        None => (body, None),
    };
    fn parts(s: &str, units: &[u8]) -> bool {
        let mut num = String::new();
        let mut last = 0usize;
        for ch in s.chars() {
            if ch.is_ascii_digit() || ch == '.' {
                num.push(ch);
            } else {
                let Some(pos) = units.iter().position(|u| *u as char == ch) else {
                    return false;
                };
                if num.is_empty() || pos < last || num.parse::<f64>().is_err() {
                    return false;
                }
                last = pos + 1;
                num.clear();
            }
        }
        num.is_empty()
    }
    parts(date, b"YMWD") && time.is_none_or(|t| parts(t, b"HMS"))
}

/// Parses a lead time such as `14d`, `36h`, `2w`, `90m` (minutes).
pub fn parse_lead(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    // The checked constructors: a huge number is refused, not a panic.
    match unit {
        "w" => Duration::try_weeks(n),
        "d" => Duration::try_days(n),
        "h" => Duration::try_hours(n),
        "m" | "min" => Duration::try_minutes(n),
        _ => None,
    }
}

/// Formats an instant the way a user would write it back into an End cell.
pub fn format_instant(t: DateTime<Utc>, zone: FixedOffset) -> String {
    let local = t.with_timezone(&zone);
    if zone.local_minus_utc() == 0 {
        local.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// Human text for a span of time (`3 days 2 hours`, `59 seconds`).
pub fn human_duration(d: Duration) -> String {
    let mut secs = d.num_seconds().abs();
    let mut parts = Vec::new();
    for (unit, size) in [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        let n = secs / size;
        secs %= size;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `surely_before` says holds in the zones furthest apart.
    #[test]
    fn surely_before_holds_in_any_zones() {
        let local = |s: &str| When::parse(s).start_stamp().expect("a date-time");
        let (kiritimati, baker) = (
            Zone::Named(chrono_tz::Pacific::Kiritimati),
            Zone::Fixed(FixedOffset::west_opt(12 * 3600).expect("offset")),
        );
        for (a, b) in [
            ("2026-03-01T00:00:00", "2026-03-04T00:00:01"),
            ("2026-03-01T00:00:00Z", "2026-03-04T00:00:01"),
        ] {
            let (a, b) = (local(a), local(b));
            assert!(a.surely_before(b));
            for (za, zb) in [(kiritimati, baker), (baker, kiritimati)] {
                assert!(a.in_zone(za) < b.in_zone(zb));
            }
        }
        assert!(!local("2026-03-01T00:00:00").surely_before(local("2026-03-04T00:00:00")));
        assert!(!local("2026-03-04T00:00:00").surely_before(local("2026-03-01T00:00:00")));
    }

    #[test]
    fn parses_start_end_forms() {
        assert!(matches!(When::parse("2026-01-31"), When::Date(_)));
        assert!(matches!(
            When::parse("2026-01-31T10:00:00"),
            When::DateTime(_, None)
        ));
        assert!(matches!(
            When::parse("2026-01-31T10:00:00Z"),
            When::DateTime(_, Some(_))
        ));
        assert!(matches!(
            When::parse("2026-01-31T10:00:00+02:00"),
            When::DateTime(_, Some(_))
        ));
        assert!(matches!(
            When::parse("2026-01-31T10:00"),
            When::DateTime(_, None)
        ));
        assert_eq!(When::parse("open"), When::Condition("Open"));
        assert!(matches!(When::parse("2026-02-30"), When::Invalid(_)));
        assert!(matches!(When::parse("2026-1-5"), When::Invalid(_)));
        assert!(matches!(When::parse("1/20/2018"), When::Invalid(_)));
        assert!(matches!(When::parse("2026-01-31 10:00"), When::Invalid(_)));
    }

    #[test]
    fn date_only_end_is_last_second() {
        let in_utc = |s: Option<Stamp>| s.unwrap().in_zone(Zone::UTC).unwrap().to_rfc3339();
        assert_eq!(
            in_utc(When::parse("2026-01-31").end_stamp()),
            "2026-01-31T23:59:59+00:00"
        );
        assert_eq!(
            in_utc(When::parse("2026-01-31").start_stamp()),
            "2026-01-31T00:00:00+00:00"
        );
        // An offset places the value whatever the zone.
        let off = When::parse("2026-01-31T10:00:00+02:00")
            .start_stamp()
            .unwrap();
        assert!(matches!(off, Stamp::At(_)));
        assert_eq!(
            off.in_zone(Zone::Named(chrono_tz::Tz::Asia__Tokyo))
                .unwrap()
                .to_rfc3339(),
            "2026-01-31T08:00:00+00:00"
        );
        // A local value is read in the zone given.
        let local = When::parse("2026-01-31T10:00:00").start_stamp().unwrap();
        assert_eq!(
            local
                .in_zone(Zone::Named(chrono_tz::Tz::Asia__Tokyo))
                .unwrap()
                .to_rfc3339(),
            "2026-01-31T01:00:00+00:00"
        );
    }

    #[test]
    fn durations_and_leads() {
        for ok in ["P180D", "-P5DT10H", "PT1H30M", "P1Y2M3DT4H5M6.5S"] {
            assert!(is_iso_duration(ok), "{ok}");
        }
        for bad in ["P", "PT", "180D", "P1H", "PT1D"] {
            assert!(!is_iso_duration(bad), "{bad}");
        }
        assert_eq!(parse_lead("14d"), Some(Duration::days(14)));
        assert_eq!(parse_lead("14"), None);
        // Fuzz crash: minutes beyond chrono's range panicked.
        assert_eq!(parse_lead("232300000300000311m"), None);
        assert_eq!(human_duration(Duration::seconds(61)), "1 minute 1 second");
    }

    #[test]
    fn local_dates_name_their_iso_value() {
        assert_eq!(
            local_date("2027-01-01 00:00").as_deref(),
            Some("`2027-01-01T00:00:00`")
        );
        assert_eq!(local_date("31/12/2027").as_deref(), Some("`2027-12-31`"));
        assert_eq!(local_date("12/31/2027").as_deref(), Some("`2027-12-31`"));
        assert_eq!(
            local_date("1/2/2027").as_deref(),
            Some("`2027-01-02` if it means month/day, or `2027-02-01` if it means day/month")
        );
        assert_eq!(local_date("1/1/2027").as_deref(), Some("`2027-01-01`"));
        assert_eq!(local_date("01.01.2027").as_deref(), Some("`2027-01-01`"));
        assert_eq!(local_date("1-Jan-27").as_deref(), Some("`2027-01-01`"));
        assert_eq!(local_date("2027/01/31").as_deref(), Some("`2027-01-31`"));
        assert_eq!(local_date("soon"), None);
        assert!(matches!(When::parse("1/20/2018"), When::Invalid(w) if w.contains("`2018-01-20`")));
    }

    #[test]
    fn multibyte_text_never_splits_a_character() {
        // Fuzz crashes: slicing at byte 4 or 10 inside a multi-byte character.
        for s in [
            "\0\n\r-а1\0-а1\0-",
            "\u{2}\0&ٮ.",
            "а\0а\0.\0\0.\0\0\u{e}",
            "2026-01-3Ж 10:00",
        ] {
            assert!(matches!(When::parse(s), When::Invalid(_)), "{s:?}");
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn bar(lane: Lane, offer: Option<u32>, start: &str, end: Option<&str>) -> Bar {
        Bar {
            lane,
            offer,
            start: Some(at(start)),
            end: end.map(at),
        }
    }

    #[test]
    fn relations_mirror_the_window_rules() {
        let cph = bar(Lane::Cph, Some(0), "2027-01-01T00:00:00Z", None);
        // Open licensed window: overlap from the CPH Start, open.
        let open = bar(Lane::Licensed, Some(1), "2025-01-01T00:00:00Z", None);
        assert_eq!(
            relations(&[open, cph]),
            [Relation::Overlap {
                a: 0,
                b: 1,
                from: at("2027-01-01T00:00:00Z"),
                to: None
            }]
        );
        // One minute before: a handover; a day before: a gap of a day.
        let handed = bar(
            Lane::Licensed,
            Some(1),
            "2025-01-01T00:00:00Z",
            Some("2026-12-31T23:59:00Z"),
        );
        assert_eq!(
            relations(&[handed, cph]),
            [Relation::Handover {
                licensed: 0,
                cph: 1
            }]
        );
        let early = bar(
            Lane::Licensed,
            Some(1),
            "2025-01-01T00:00:00Z",
            Some("2026-12-31T00:00:00Z"),
        );
        assert_eq!(
            relations(&[early, cph]),
            [Relation::Gap {
                licensed: 0,
                cph: 1,
                length: Duration::hours(24)
            }]
        );
        // Only the latest licensed window before the CPH Start hands over
        // (the two licensed windows are other offers: they overlap).
        let other = Bar {
            offer: Some(2),
            ..early
        };
        assert_eq!(
            relations(&[other, handed, cph]),
            [Relation::Handover {
                licensed: 1,
                cph: 2
            }]
        );
        // A licensed window after a bounded CPH window is not compared.
        let bounded = bar(
            Lane::Cph,
            Some(0),
            "2027-01-01T00:00:00Z",
            Some("2027-06-30T23:59:59Z"),
        );
        let later = bar(Lane::Licensed, Some(1), "2028-01-01T00:00:00Z", None);
        assert!(relations(&[bounded, later]).is_empty());
    }

    #[test]
    fn windows_of_one_offer_must_be_discrete() {
        let a = bar(
            Lane::Cph,
            Some(0),
            "2027-01-01T00:00:00Z",
            Some("2027-06-30T23:59:59Z"),
        );
        let b = bar(
            Lane::Cph,
            Some(0),
            "2027-06-01T00:00:00Z",
            Some("2027-12-31T23:59:59Z"),
        );
        let other_offer = Bar {
            offer: Some(1),
            ..b
        };
        assert_eq!(
            relations(&[b, a]),
            [Relation::Overlap {
                a: 1,
                b: 0,
                from: at("2027-06-01T00:00:00Z"),
                to: Some(at("2027-06-30T23:59:59Z"))
            }]
        );
        assert!(relations(&[a, other_offer]).is_empty());
        let unkeyed = Bar { offer: None, ..b };
        assert!(relations(&[a, unkeyed]).is_empty());
    }

    #[test]
    fn serial_hint() {
        assert_eq!(
            excel_serial_date("41439"),
            NaiveDate::from_ymd_opt(2013, 6, 14)
        );
    }
}

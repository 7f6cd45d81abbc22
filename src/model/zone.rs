//! Time zones: where a Start or End without an offset is placed on the time
//! line. Amazon publishes "at the start of the day in the eastern-most time
//! zone of the territory indicated (e.g., at 12:01 a.m. Eastern time in the
//! US)", so by default each territory reads its dates in its eastern-most
//! zone (`schemas/codes/territory-zones.json`); the `time_zone` setting
//! forces one zone for everything.

use std::cell::Cell;
use std::fmt;
use std::sync::{OnceLock, RwLock};

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use rustc_hash::{FxBuildHasher, FxHashMap};
use serde::Deserialize;

/// How local dates and date-times are placed on the time line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zones {
    /// Each territory's eastern-most zone (Amazon's rule); UTC for a code
    /// the table does not know.
    #[default]
    ByTerritory,
    /// One zone for every territory (`time_zone` / `--time-zone`).
    Forced(Zone),
}

impl Zones {
    /// The zone local values of `territory` are read in.
    pub fn of(self, territory: &str) -> Zone {
        match self {
            Zones::Forced(z) => z,
            Zones::ByTerritory => territory_zone(territory).map_or(Zone::UTC, Zone::Named),
        }
    }

    /// Parses a `time_zone` setting: `UTC`, an offset (`+01:00`), an IANA
    /// name (`Europe/London`), or `territory` for the default.
    pub fn parse(s: &str) -> Option<Zones> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("territory") {
            return Some(Zones::ByTerritory);
        }
        if let Some(offset) = super::time::parse_offset(s) {
            return Some(Zones::Forced(Zone::Fixed(offset)));
        }
        s.parse::<Tz>()
            .ok()
            .map(|tz| Zones::Forced(Zone::Named(tz)))
    }
}

impl fmt::Display for Zones {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zones::ByTerritory => f.write_str("each territory's eastern-most zone"),
            Zones::Forced(z) => write!(f, "{z}"),
        }
    }
}

/// The offset of a named zone all through one local day (keyed by
/// [`day_key`]), or `None` on a day its offset changes: what any thread has
/// worked out from the zone's rules (a binary search of its transitions).
/// Asked only when [`RECENT_DAYS`] misses, so threads seldom take its lock.
static DAY_OFFSETS: RwLock<FxHashMap<u64, Option<FixedOffset>>> =
    RwLock::new(FxHashMap::with_hasher(FxBuildHasher));

/// Slots of [`RECENT_DAYS`] (a power of two).
const RECENT_SLOTS: usize = 1024;

thread_local! {
    /// The day offsets this thread looked up last, one per slot picked by
    /// zone and day: avails repeat a few dates in a few zones, and several
    /// rules read a row's Start and End in turn, so most look-ups end here
    /// without a lock. A slot holds its key (0: empty) and the offset.
    static RECENT_DAYS: [Cell<(u64, Option<FixedOffset>)>; RECENT_SLOTS] =
        const { [const { Cell::new((0, None)) }; RECENT_SLOTS] };
}

/// Zone `tz` and local day `day` as one number, never 0: the zone, the
/// year (chrono's fit in 20 bits) and the day of the year.
fn day_key(tz: Tz, day: NaiveDate) -> u64 {
    1 << 63
        | (tz as u64) << 32
        | u64::from(day.year() as u32 & 0xF_FFFF) << 9
        | u64::from(day.ordinal())
}

/// The offset of `tz` all through local day `day` (see [`DAY_OFFSETS`]).
fn day_offset(tz: Tz, day: NaiveDate) -> Option<FixedOffset> {
    let key = day_key(tz, day);
    let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_SLOTS.ilog2())) as usize;
    let (recent, offset) = RECENT_DAYS.with(|r| r[slot].get());
    if recent == key {
        return offset;
    }
    let known = DAY_OFFSETS
        .read()
        .ok()
        .and_then(|days| days.get(&key).copied());
    let offset = known.unwrap_or_else(|| {
        let at =
            |t: Option<NaiveDateTime>| tz.offset_from_local_datetime(&t?).single().map(|o| o.fix());
        let first = at(day.and_hms_opt(0, 0, 0));
        let offset = first.filter(|_| first == at(day.and_hms_opt(23, 59, 59)));
        if let Ok(mut days) = DAY_OFFSETS.write() {
            days.insert(key, offset);
        }
        offset
    });
    RECENT_DAYS.with(|r| r[slot].set((key, offset)));
    offset
}

/// One time zone: a fixed offset or a named IANA zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset from UTC.
    Fixed(FixedOffset),
    /// An IANA zone, with its daylight-saving rules.
    Named(Tz),
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone::Named(Tz::UTC);

    /// The instant `local` names in this zone. A local time that does not
    /// exist (skipped by a daylight-saving change, e.g. midnight in
    /// America/Santiago in September) is the first instant after the gap,
    /// where the day starts; a repeated one is its first occurrence.
    pub fn instant(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(o) => o.from_local_datetime(&local).single().map(|t| t.to_utc()),
            Zone::Named(tz) => day_offset(tz, local.date())
                .and_then(|offset| local.checked_sub_offset(offset))
                .map(|utc| utc.and_utc())
                .or_else(|| Self::named_instant(tz, local)),
        }
    }

    /// [`Zone::instant`] in `tz` by its rules (a binary search of its
    /// transitions).
    fn named_instant(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        tz.from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                // Gaps are at most an hour in the zones the table names.
                tz.from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.to_utc())
    }

    /// True when the zone is UTC all year.
    pub fn is_utc(self) -> bool {
        match self {
            Zone::Fixed(o) => o.local_minus_utc() == 0,
            Zone::Named(tz) => matches!(tz, Tz::UTC | Tz::Etc__UTC | Tz::GMT | Tz::Etc__GMT),
        }
    }

    /// `t` as a local date-time with its offset (`2027-01-01T00:00:00-05:00`).
    pub fn format(self, t: DateTime<Utc>) -> String {
        let offset: FixedOffset = match self {
            Zone::Fixed(o) => o,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&t.naive_utc()).fix(),
        };
        super::time::format_instant(t, offset)
    }

    /// `t` as a local date-time in this zone without its offset
    /// (`2026-12-31T23:59:00`).
    pub fn local_text(self, t: DateTime<Utc>) -> String {
        let local = match self {
            Zone::Fixed(o) => t.with_timezone(&o).naive_local(),
            Zone::Named(tz) => t.with_timezone(&tz).naive_local(),
        };
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// `t` for a message: UTC, and the local time in this zone when that
    /// differs (`2027-01-01T05:00:00Z, 2027-01-01T00:00:00-05:00 in
    /// America/New_York`).
    pub fn describe(self, t: DateTime<Utc>) -> String {
        let utc = Zone::UTC.format(t);
        let local = self.format(t);
        if local == utc {
            utc
        } else {
            format!("{utc}, {local} in {self}")
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Fixed(o) if o.local_minus_utc() == 0 => f.write_str("UTC"),
            Zone::Fixed(o) => write!(f, "UTC{o}"),
            Zone::Named(tz) => f.write_str(tz.name()),
        }
    }
}

#[derive(Deserialize)]
struct TerritoryZones {
    zones: FxHashMap<String, String>,
}

/// The eastern-most zone of a territory code (exact case), from
/// `schemas/codes/territory-zones.json`.
pub fn territory_zone(territory: &str) -> Option<Tz> {
    /// Two upper-case letters (every ISO 3166-1 code): their place in a
    /// 26 × 26 table, looked up without hashing (rules ask for every row).
    fn slot(code: &str) -> Option<usize> {
        match code.as_bytes() {
            &[a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
                Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
            }
            _ => None,
        }
    }
    static TABLE: OnceLock<Vec<Option<Tz>>> = OnceLock::new();
    if let Some(i) = slot(territory) {
        let table = TABLE.get_or_init(|| {
            let mut table = vec![None; 26 * 26];
            for (code, tz) in zones() {
                if let Some(i) = slot(code) {
                    table[i] = Some(*tz);
                }
            }
            table
        });
        return table[i];
    }
    zones().get(territory).copied()
}

/// The territory-zone table, by code.
fn zones() -> &'static FxHashMap<String, Tz> {
    static MAP: OnceLock<FxHashMap<String, Tz>> = OnceLock::new();
    MAP.get_or_init(|| {
        let table: TerritoryZones = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/territory-zones.json"
        )))
        .expect("embedded territory zones are valid JSON");
        table
            .zones
            .into_iter()
            .map(|(code, name)| {
                let tz = name.parse::<Tz>().unwrap_or_else(|_| {
                    panic!("territory-zones.json: `{name}` ({code}) is not a zone chrono-tz knows")
                });
                (code, tz)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-day offsets give what the zone's own rules give, on every
    /// half hour of two years, across gaps, repeats and midnight changes:
    /// worked out, then again from this thread's recent days (more days
    /// than it has slots, so some come from the shared table), and from a
    /// thread that has only the shared table.
    #[test]
    fn day_offsets_agree_with_the_zone_rules() {
        fn check() {
            let zones = [
                Tz::America__New_York,
                Tz::Europe__London,
                Tz::America__Santiago,
                Tz::Australia__Lord_Howe,
                Tz::Asia__Kolkata,
            ];
            let start = NaiveDate::from_ymd_opt(2025, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            for tz in zones {
                for step in 0..(2 * 366 * 48) {
                    let local = start + Duration::minutes(30 * step);
                    assert_eq!(
                        Zone::Named(tz).instant(local),
                        Zone::named_instant(tz, local),
                        "{tz} {local}"
                    );
                }
            }
        }
        check();
        check();
        std::thread::spawn(check).join().unwrap();
    }

    #[test]
    fn the_letter_table_agrees_with_the_zone_file() {
        for (code, tz) in zones() {
            assert_eq!(territory_zone(code), Some(*tz), "{code}");
        }
        assert_eq!(territory_zone("us"), None, "codes are upper case");
        assert_eq!(territory_zone("QQ"), None);
        assert_eq!(territory_zone("U"), None);
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn every_territory_has_a_zone_chrono_tz_knows() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/iso3166-1.json"
        ));
        let codes: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut missing = Vec::new();
        for section in ["codes", "ema_extras"] {
            for code in codes[section].as_object().unwrap().keys() {
                if territory_zone(code).is_none() {
                    missing.push(code.clone());
                }
            }
        }
        // Territories without a zone of their own in the tz database's
        // zone.tab: Bouvet Island (uninhabited) and Heard and McDonald
        // Islands; their dates are read in UTC.
        missing.sort();
        assert_eq!(missing, ["BV", "HM"]);
    }

    #[test]
    fn amazon_s_example_and_the_eastern_most_zones() {
        // "12:01 a.m. Eastern time in the US".
        let us = Zones::ByTerritory.of("US");
        assert_eq!(us.to_string(), "America/New_York");
        assert_eq!(
            us.instant(local(2027, 1, 1, 0, 1)).unwrap().to_rfc3339(),
            "2027-01-01T05:01:00+00:00"
        );
        // Summer time.
        assert_eq!(
            us.instant(local(2027, 7, 1, 0, 0)).unwrap().to_rfc3339(),
            "2027-07-01T04:00:00+00:00"
        );
        assert_eq!(Zones::ByTerritory.of("GB").to_string(), "Europe/London");
        assert_eq!(Zones::ByTerritory.of("CA").to_string(), "America/St_Johns");
        assert_eq!(
            Zones::ByTerritory.of("ZZ").to_string(),
            "Pacific/Kiritimati"
        );
        // Unknown codes (EMA005 reports them) are read in UTC.
        assert!(Zones::ByTerritory.of("UK").is_utc());
    }

    #[test]
    fn a_skipped_midnight_is_where_the_day_starts() {
        // America/Santiago skips 2026-09-06T00:00 (clocks go to 01:00, -03).
        let cl = Zone::Named(Tz::America__Santiago);
        assert_eq!(
            cl.instant(local(2026, 9, 6, 0, 0)).unwrap().to_rfc3339(),
            "2026-09-06T04:00:00+00:00"
        );
        // A repeated hour: the first one.
        let ny = Zone::Named(Tz::America__New_York);
        assert_eq!(
            ny.instant(local(2026, 11, 1, 1, 30)).unwrap().to_rfc3339(),
            "2026-11-01T05:30:00+00:00"
        );
    }

    #[test]
    fn settings_and_messages() {
        assert_eq!(Zones::parse("territory"), Some(Zones::ByTerritory));
        assert_eq!(Zones::parse("UTC").map(|z| z.of("US").is_utc()), Some(true));
        assert_eq!(Zones::parse("+01:00").unwrap().to_string(), "UTC+01:00");
        assert_eq!(
            Zones::parse("Europe/Paris").unwrap().of("US").to_string(),
            "Europe/Paris"
        );
        assert_eq!(Zones::parse("CET+1"), None);
        let t = DateTime::parse_from_rfc3339("2027-01-01T05:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            Zones::ByTerritory.of("US").describe(t),
            "2027-01-01T05:00:00Z, 2027-01-01T00:00:00-05:00 in America/New_York"
        );
        assert_eq!(Zone::UTC.describe(t), "2027-01-01T05:00:00Z");
        // London in winter is UTC: said once.
        assert_eq!(
            Zones::ByTerritory.of("GB").describe(t),
            "2027-01-01T05:00:00Z"
        );
    }
}

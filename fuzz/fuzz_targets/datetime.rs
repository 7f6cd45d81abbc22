//! Strings through the Start/End, duration, offset and lead-time parsers,
//! the dates read in a fixed offset and in named zones with DST gaps.
#![no_main]

use availcheck::model::time::{When, handover, is_iso_duration, parse_lead, parse_offset};
use availcheck::model::zone::Zones;
use libfuzzer_sys::fuzz_target;

/// UTC, an offset, a zone with DST gaps and folds, and the eastern-most one.
const ZONES: [&str; 4] = ["UTC", "+05:30", "America/New_York", "Pacific/Kiritimati"];

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let w = When::parse(s);
    for name in ZONES {
        let zone = Zones::parse(name).expect("a known zone").of("US");
        let start = w.start_stamp().and_then(|t| t.in_zone(zone));
        let end = w.end_stamp().and_then(|t| t.in_zone(zone));
        if let (Some(a), Some(b)) = (start, end) {
            assert!(a <= b, "a date's start is not after its end in {name}");
            let _ = handover(Some(a), b);
            let _ = zone.describe(a);
            if let Some(stamp) = w.start_stamp() {
                let _ = stamp.write_like(a, zone);
            }
        }
    }
    let _ = is_iso_duration(s);
    let _ = parse_lead(s);
    let _ = parse_offset(s);
});

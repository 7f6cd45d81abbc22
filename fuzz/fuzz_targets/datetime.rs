//! Strings through the Start/End, duration, offset and lead-time parsers.
#![no_main]

use availcheck::model::time::{When, handover, is_iso_duration, parse_lead, parse_offset};
use chrono::FixedOffset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let utc = FixedOffset::east_opt(0).unwrap();
    let w = When::parse(s);
    let start = w.start_instant(utc);
    let end = w.end_instant(utc);
    if let (Some(a), Some(b)) = (start, end) {
        assert!(a <= b, "a date's start is not after its end");
        let _ = handover(Some(a), b);
    }
    let _ = is_iso_duration(s);
    let _ = parse_lead(s);
    let _ = parse_offset(s);
});

//! Property tests of the window arithmetic behind CPH005 and CPH006, against
//! a brute-force minute-by-minute model on small ranges.

use availcheck::model::time::{Handover, Window, handover};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap() + Duration::minutes(minute)
}

/// Every minute a window covers, for windows inside 0..HORIZON (open = to HORIZON).
const HORIZON: i64 = 120;

fn minutes(w: &Window) -> Vec<i64> {
    (0..HORIZON)
        .filter(|m| at(*m) >= w.start && w.end.is_none_or(|e| at(*m) <= e))
        .collect()
}

fn window() -> impl Strategy<Value = Window> {
    (0..HORIZON, prop::option::of(0..HORIZON)).prop_map(|(s, len)| Window {
        start: at(s),
        end: len.map(|l| at((s + l).min(HORIZON - 1))),
    })
}

proptest! {
    #[test]
    fn overlap_is_symmetric(a in window(), b in window()) {
        prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
    }

    #[test]
    fn overlap_matches_minute_model(a in window(), b in window()) {
        let (ma, mb) = (minutes(&a), minutes(&b));
        let shared = ma.iter().any(|m| mb.contains(m));
        prop_assert_eq!(a.overlaps(&b), shared);
    }

    #[test]
    fn handover_matches_minute_model(end in prop::option::of(0..HORIZON), start in 0..HORIZON) {
        let h = handover(end.map(at), at(start));
        match end {
            // Open-ended licensed windows overlap any later CPH start.
            None => prop_assert_eq!(h, Handover::Overlap),
            Some(e) if e >= start => prop_assert_eq!(h, Handover::Overlap),
            Some(e) if start - e == 1 => prop_assert_eq!(h, Handover::Continuous),
            Some(e) => prop_assert_eq!(h, Handover::Gap(Duration::minutes(start - e))),
        }
    }

    #[test]
    fn continuous_handover_never_overlaps(start in 1..HORIZON) {
        let licensed = Window { start: at(0), end: Some(at(start) - Duration::minutes(1)) };
        let cph = Window { start: at(start), end: None };
        prop_assert_eq!(handover(licensed.end, cph.start), Handover::Continuous);
        prop_assert!(!licensed.overlaps(&cph));
    }

    #[test]
    fn seconds_off_the_minute_are_gaps(start in 1..HORIZON, secs in 1i64..120) {
        prop_assume!(secs != 60);
        let end = at(start) - Duration::seconds(secs);
        prop_assert_eq!(handover(Some(end), at(start)), Handover::Gap(Duration::seconds(secs)));
    }
}

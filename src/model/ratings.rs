//! MovieLabs' Common Metadata Ratings (CMR): every rating system with its
//! ratings, reason codes and the regions that use it, embedded from
//! `schemas/codes/cmr-ratings.json` (generated from
//! `CMR_Ratings_v2.5.1.xml` by `tests/ratings_data.rs`).

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

/// One rating system of the CMR list. An ID may name several systems (each
/// of its own country): `Film` is the film board of a dozen countries.
#[derive(Debug, Deserialize)]
pub struct RatingSystem {
    /// The system's ID, as `RatingSystem` / `md:System` holds it (`MPAA`).
    pub system: String,
    /// The country the system belongs to.
    pub region: String,
    /// The countries (ISO 3166-1) and subdivisions (ISO 3166-2, `CA-QC`)
    /// that use it.
    pub used_in: Vec<String>,
    /// Its ratings (`PG-13`), in the CMR file's order.
    pub ratings: Vec<String>,
    /// The ratings it no longer gives.
    pub deprecated: Vec<String>,
    /// Its reason codes; empty when reasons are free text.
    pub reasons: Vec<String>,
}

impl RatingSystem {
    /// True when `territory` uses the system: a country that uses it or
    /// one of whose subdivisions does (`CA` for a system of `CA-QC`), or a
    /// subdivision that does.
    pub fn is_used_in(&self, territory: &str) -> bool {
        self.used_in.iter().any(|r| {
            r == territory
                || r.strip_prefix(territory)
                    .is_some_and(|rest| rest.starts_with('-'))
        })
    }

    /// True when `value` is one of its ratings.
    pub fn has_rating(&self, value: &str) -> bool {
        self.ratings.iter().any(|r| r == value)
    }

    /// True when `value` is one of its deprecated ratings.
    pub fn is_deprecated(&self, value: &str) -> bool {
        self.deprecated.iter().any(|r| r == value)
    }

    /// True when its reasons are codes (`V`, `L`) rather than free text.
    pub fn has_reason_codes(&self) -> bool {
        !self.reasons.is_empty()
    }

    /// True when `reason` is one of its reason codes.
    pub fn has_reason(&self, reason: &str) -> bool {
        self.reasons.iter().any(|r| r == reason)
    }
}

#[derive(Deserialize)]
struct Cmr {
    any_system: Vec<String>,
    systems: Vec<RatingSystem>,
    #[serde(skip)]
    by_id: HashMap<String, Vec<usize>>,
}

fn cmr() -> &'static Cmr {
    static CMR: OnceLock<Cmr> = OnceLock::new();
    CMR.get_or_init(|| {
        let mut cmr: Cmr = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/cmr-ratings.json"
        )))
        .expect("embedded ratings list is valid JSON");
        for (i, s) in cmr.systems.iter().enumerate() {
            cmr.by_id.entry(s.system.clone()).or_default().push(i);
        }
        cmr
    })
}

/// The systems an ID names (none: not a CMR rating system), exact case.
pub fn systems(id: &str) -> impl Iterator<Item = &'static RatingSystem> {
    let cmr = cmr();
    cmr.by_id
        .get(id)
        .into_iter()
        .flatten()
        .map(|&i| &cmr.systems[i])
}

/// Every system ID, in the CMR file's order (an ID once).
pub fn system_ids() -> impl Iterator<Item = &'static str> {
    let cmr = cmr();
    cmr.systems
        .iter()
        .enumerate()
        .filter(|(i, s)| cmr.by_id[&s.system][0] == *i)
        .map(|(_, s)| s.system.as_str())
}

/// The IDs of the systems `territory` uses ([`RatingSystem::is_used_in`]).
pub fn used_in(territory: &str) -> Vec<&'static str> {
    let mut ids: Vec<&str> = cmr()
        .systems
        .iter()
        .filter(|s| s.is_used_in(territory))
        .map(|s| s.system.as_str())
        .collect();
    ids.dedup();
    ids
}

/// True for the values MovieLabs' validator accepts in any system
/// (`ALL`, `UNRATED`, `ADULT`).
pub fn is_any_system_value(value: &str) -> bool {
    cmr().any_system.iter().any(|v| v == value)
}

/// True for a private system (`Custom:…`), which no list describes.
pub fn is_custom(id: &str) -> bool {
    id.starts_with("Custom:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systems_by_id_and_region() {
        let mpaa: Vec<_> = systems("MPAA").collect();
        assert_eq!(mpaa.len(), 1);
        assert!(mpaa[0].has_rating("PG-13") && !mpaa[0].has_rating("6"));
        assert!(mpaa[0].is_used_in("US") && !mpaa[0].is_used_in("DE"));
        assert!(mpaa[0].is_deprecated("X"));
        assert!(systems("MPAAA").next().is_none());
        assert!(systems("Film").count() > 5);
        assert_eq!(system_ids().filter(|s| *s == "Film").count(), 1);
        let fpb = systems("FPB").next().unwrap();
        assert!(fpb.has_reason_codes() && fpb.has_reason("S") && !fpb.has_reason("Sex"));
        assert!(used_in("DE").contains(&"FSK"));
        // Provincial boards: used in Canada through its provinces.
        let mfcb = systems("MFCB").next().unwrap();
        assert!(mfcb.is_used_in("CA") && mfcb.is_used_in("CA-NS") && !mfcb.is_used_in("C"));
        assert!(is_any_system_value("UNRATED") && !is_any_system_value("unrated"));
        assert!(is_custom("Custom:Acme"));
    }
}

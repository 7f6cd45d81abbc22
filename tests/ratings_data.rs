//! `schemas/codes/cmr-ratings.json` is generated from MovieLabs' Common
//! Metadata Ratings (`fixtures/upstream/movielabs/CMR_Ratings_v2.5.1.xml`)
//! by this file. The test fails when the committed file is not what the
//! generator writes; regenerate it with
//!
//! ```text
//! AVAILCHECK_BLESS=1 cargo test --test ratings_data
//! ```
//!
//! Per rating system (`mdcr:RatingSystem`, in file order): its ID
//! (`RatingSystemID/System`; the same ID names systems of several countries,
//! e.g. `Film`), the country it belongs to (`RatingSystemID/Region`), the
//! countries and subdivisions that use it (`AdoptiveRegion`), its ratings
//! (`Rating/@ratingID`), the deprecated ones (`Rating/Deprecated`), and its
//! reason codes (`Reason/@reasonID`; none: the system's reasons are free
//! text).

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

/// The CMR file the data comes from.
const CMR: &str = "CMR_Ratings_v2.5.1.xml";

/// The generated file.
const OUT: &str = "schemas/codes/cmr-ratings.json";

/// Values MovieLabs' validator accepts in every system
/// (`CMValidator.specialRatings`, mddf 2.0.9).
const ANY_SYSTEM: [&str; 3] = ["ALL", "UNRATED", "ADULT"];

#[derive(Default)]
struct System {
    system: String,
    region: String,
    used_in: Vec<String>,
    ratings: Vec<String>,
    deprecated: Vec<String>,
    reasons: Vec<String>,
}

/// The local name of a qualified XML name (`mdcr:Rating` → `Rating`).
fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or_default().to_string()
}

/// The rating systems of a CMR document.
fn parse(xml: &str) -> Vec<System> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut systems: Vec<System> = Vec::new();
    let mut text = String::new();
    loop {
        let event = reader
            .read_event()
            .expect("the CMR file is well-formed XML");
        match event {
            Event::Start(e) => {
                let name = local(e.name().0);
                let attr = |key: &str| {
                    e.attributes()
                        .filter_map(Result::ok)
                        .find(|a| local(a.key.0) == key)
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("attribute")
                                .into_owned()
                        })
                };
                let parent = path.last().map(String::as_str);
                match (parent, name.as_str()) {
                    (Some("RatingSystemSet"), "RatingSystem") => systems.push(System::default()),
                    (Some("RatingSystem"), "Rating") => {
                        let s = systems.last_mut().expect("inside a system");
                        s.ratings.push(attr("ratingID").expect("ratingID"));
                    }
                    (Some("RatingSystem"), "Reason") => {
                        let s = systems.last_mut().expect("inside a system");
                        s.reasons.push(attr("reasonID").expect("reasonID"));
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.into_inner()),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = text.trim().to_string();
                let parents: Vec<&str> = path.iter().rev().map(String::as_str).collect();
                if let Some(s) = systems.last_mut() {
                    match (name.as_str(), parents.as_slice()) {
                        ("System", ["RatingSystemID", "RatingSystem", ..]) => s.system = value,
                        ("country", ["Region", "RatingSystemID", "RatingSystem", ..]) => {
                            s.region = value
                        }
                        ("country" | "countryRegion", ["AdoptiveRegion", "RatingSystem", ..])
                            if !s.used_in.contains(&value) =>
                        {
                            s.used_in.push(value)
                        }
                        ("Deprecated", ["Rating", "RatingSystem", ..]) if value == "true" => {
                            let id = s.ratings.last().expect("inside a rating").clone();
                            s.deprecated.push(id)
                        }
                        _ => {}
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    systems
}

fn list(items: &[String]) -> String {
    serde_json::to_string(items).expect("strings")
}

/// The JSON file for `systems`: one system per line, so a change in the CMR
/// file shows as a change of its systems' lines.
fn render(systems: &[System]) -> String {
    let mut out = String::new();
    out.push_str("{\n");
    out.push_str(&format!(
        "  \"source\": {},\n",
        serde_json::to_string(&format!(
            "MovieLabs Common Metadata Ratings, {CMR} (mdcr v1.1); generated by tests/ratings_data.rs"
        ))
        .expect("string")
    ));
    out.push_str(&format!(
        "  \"any_system\": {},\n",
        serde_json::to_string(&ANY_SYSTEM).expect("strings")
    ));
    out.push_str("  \"systems\": [\n");
    for (i, s) in systems.iter().enumerate() {
        out.push_str(&format!(
            "    {{\"system\": {}, \"region\": {}, \"used_in\": {}, \"ratings\": {}, \"deprecated\": {}, \"reasons\": {}}}{}\n",
            serde_json::to_string(&s.system).expect("string"),
            serde_json::to_string(&s.region).expect("string"),
            list(&s.used_in),
            list(&s.ratings),
            list(&s.deprecated),
            list(&s.reasons),
            if i + 1 < systems.len() { "," } else { "" }
        ));
    }
    out.push_str("  ]\n}\n");
    out
}

#[test]
fn cmr_ratings_json_is_generated_from_the_cmr_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = root.join("fixtures/upstream/movielabs").join(CMR);
    let xml =
        std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let systems = parse(&xml);
    assert_eq!(systems.len(), 110, "rating systems in {CMR}");
    assert!(
        systems
            .iter()
            .all(|s| !s.system.is_empty() && !s.ratings.is_empty())
    );
    let generated = render(&systems);
    let out = root.join(OUT);
    if std::env::var_os("AVAILCHECK_BLESS").is_some() {
        std::fs::write(&out, &generated).expect("write the ratings file");
    }
    let committed = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        committed == generated,
        "{OUT} is not what {CMR} gives; regenerate it with AVAILCHECK_BLESS=1 cargo test --test ratings_data"
    );
}

#[test]
fn systems_read_as_the_cmr_file_has_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let xml = std::fs::read_to_string(root.join("fixtures/upstream/movielabs").join(CMR))
        .expect("the CMR file");
    let systems = parse(&xml);
    let mpaa = systems.iter().find(|s| s.system == "MPAA").expect("MPAA");
    assert_eq!(mpaa.region, "US");
    assert_eq!(mpaa.used_in, ["US"]);
    assert!(mpaa.ratings.iter().any(|r| r == "PG-13"));
    assert_eq!(mpaa.deprecated, ["M", "GP", "X"]);
    assert!(mpaa.reasons.is_empty(), "MPAA reasons are free text");
    let fpb = systems.iter().find(|s| s.system == "FPB").expect("FPB");
    assert!(fpb.reasons.iter().any(|r| r == "S") && !fpb.reasons.iter().any(|r| r == "Sex"));
    let films: Vec<&str> = systems
        .iter()
        .filter(|s| s.system == "Film")
        .map(|s| s.region.as_str())
        .collect();
    assert!(films.len() > 5 && films.contains(&"CZ"), "{films:?}");
    let mfcb = systems.iter().find(|s| s.system == "MFCB").expect("MFCB");
    assert!(mfcb.used_in.iter().all(|r| r.starts_with("CA-")));
}

//! Code lists: ISO 3166-1 territories, ISO 4217 currencies (both embedded from
//! `schemas/codes/`), RFC 5646 language tags (checked against the IANA subtag
//! registry by the `language-tags` crate), and the languages of each territory.

use std::sync::OnceLock;

use language_tags::LanguageTag;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

#[derive(Deserialize)]
struct CodeList {
    #[serde(default)]
    ema_extras: HashMap<String, String>,
    codes: HashMap<String, String>,
}

fn load(src: &'static str) -> CodeList {
    serde_json::from_str(src).expect("embedded code list is valid JSON")
}

fn countries() -> &'static CodeList {
    static LIST: OnceLock<CodeList> = OnceLock::new();
    LIST.get_or_init(|| {
        load(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/iso3166-1.json"
        )))
    })
}

fn currencies() -> &'static CodeList {
    static LIST: OnceLock<CodeList> = OnceLock::new();
    LIST.get_or_init(|| {
        load(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/iso4217.json"
        )))
    })
}

/// The name of a territory code (ISO 3166-1 alpha-2 or EMA's ZZ/EU/419), exact case.
pub fn territory_name(code: &str) -> Option<&'static str> {
    let list = countries();
    list.codes
        .get(code)
        .or_else(|| list.ema_extras.get(code))
        .map(String::as_str)
}

/// The name of an ISO 4217 currency code, exact case.
pub fn currency_name(code: &str) -> Option<&'static str> {
    currencies().codes.get(code).map(String::as_str)
}

/// Checks an RFC 5646 tag (well-formed and every subtag registered with IANA).
/// A trailing `:audio` / `:subtitle` / `:subdub` asset suffix is not part of the tag.
pub fn check_language(tag: &str) -> Result<(), String> {
    // A sheet repeats a handful of tags on every row: remember the answers
    // (per thread, bounded so a hostile file cannot grow it without limit).
    const CACHED: usize = 1024;
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Result<(), String>>> =
            Default::default();
    }
    if let Some(r) = SEEN.with_borrow(|m| m.get(tag).cloned()) {
        return r;
    }
    let r = check_language_uncached(tag);
    SEEN.with_borrow_mut(|m| {
        if m.len() < CACHED {
            m.insert(tag.into(), r.clone());
        }
    });
    r
}

fn check_language_uncached(tag: &str) -> Result<(), String> {
    let parsed =
        LanguageTag::parse(tag).map_err(|e| format!("not a well-formed language tag ({e})"))?;
    // The crate treats any primary subtag sorting between `qaa` and `qtz`
    // (e.g. `qq`) as private use; only three-letter ones are.
    let primary = parsed.primary_language();
    if primary.len() != 3 && ("qaa"..="qtz").contains(&primary.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "not a registered language tag (`{primary}` is not in the IANA registry)"
        ));
    }
    // Private-use regions (QM–QZ, XA–XZ) pass the registry check but name no
    // storefront's audience; MovieLabs' own error sample uses `fr-xx`.
    if let Some(region) = parsed.region() {
        let r = region.to_ascii_uppercase();
        if ("QM"..="QZ").contains(&r.as_str()) || ("XA"..="XZ").contains(&r.as_str()) {
            return Err(format!(
                "not usable in avails (`{region}` is a private-use region, not a country)"
            ));
        }
    }
    parsed
        .validate()
        .map_err(|e| format!("not a registered language tag ({e})"))
}

/// Asset suffixes allowed after a language in 1.7.3+ (`es:subdub`).
pub const LANGUAGE_ASSETS: [&str; 3] = ["audio", "subtitle", "subdub"];

#[derive(Deserialize)]
struct TerritoryLanguages {
    territories: HashMap<String, Vec<String>>,
}

/// Primary languages a territory's audience needs (for the localization
/// reminder), from `schemas/codes/territory-languages.json`.
pub fn territory_languages(territory: &str) -> Option<&'static [String]> {
    static MAP: OnceLock<TerritoryLanguages> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/schemas/codes/territory-languages.json"
        )))
        .expect("embedded territory languages are valid JSON")
    })
    .territories
    .get(territory)
    .map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn territories() {
        assert_eq!(territory_name("US"), Some("United States"));
        assert!(territory_name("ZZ").is_some());
        assert!(territory_name("419").is_some());
        assert!(territory_name("UK").is_none());
        assert!(territory_name("us").is_none());
    }

    #[test]
    fn currencies_are_real() {
        assert!(currency_name("USD").is_some());
        assert!(currency_name("EUR").is_some());
        assert!(currency_name("ABC").is_none());
    }

    #[test]
    fn languages_against_registry() {
        for ok in [
            "en", "es-419", "zh-Hant", "en-US", "fr-CA", "pt-BR", "yue", "EN", "de-DE",
        ] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in ["QQ", "de-yy", "FRe", "english", "e", "", "fr-xx", "en-QM"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn remembered_answers_match_fresh_ones() {
        for tag in ["en", "fr-xx", "QQ", "es-419"] {
            let fresh = check_language_uncached(tag);
            assert_eq!(check_language(tag), fresh, "{tag}");
            assert_eq!(check_language(tag), fresh, "{tag}, answered from memory");
        }
    }
}

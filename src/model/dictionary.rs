//! EMA field dictionaries, loaded from `schemas/dictionaries/*.json` (embedded
//! at build time). Rules look fields up here; no field list lives in code.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::version::{SheetKind, TemplateVersion};

/// Whether a field must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// Every data row needs a value (subject to `required_unless`).
    Always,
    /// Needed only when every `required_when` condition holds.
    Conditional,
    /// Never required.
    Optional,
}

/// `field` has one of `values` (for list fields: any item does).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Condition {
    /// Canonical field name.
    pub field: String,
    /// Accepted values.
    #[serde(rename = "in")]
    pub values: Vec<String>,
}

/// The value kind of a field; each kind has one syntax check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// One of `values`.
    Enum,
    /// ISO 3166-1 alpha-2 (plus EMA's ZZ, EU, 419).
    Territory,
    /// RFC 5646 language tag.
    Language,
    /// ISO 4217 currency code.
    Currency,
    /// `YYYY-MM-DD`.
    Date,
    /// Start: date, date-time or condition.
    Start,
    /// End: date, date-time or condition.
    End,
    /// ISO 8601 duration.
    Duration,
    /// A number of hours (or `hh:mm:ss`).
    Hours,
    /// `HH:MM:SS` run time.
    Runtime,
    /// Four-digit year.
    Year,
    /// Whole number.
    Integer,
    /// Decimal number.
    Decimal,
    /// Yes/No.
    Boolean,
    /// Identifier: free-form, non-empty.
    Id,
}

/// One field of a dictionary.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    /// Canonical row-2 name.
    pub name: String,
    /// Row-1 category in the official template.
    #[serde(default)]
    pub category: String,
    /// Requirement level.
    pub required: Requirement,
    /// Conditions that make a conditional field required (all must hold).
    #[serde(default)]
    pub required_when: Vec<Condition>,
    /// Condition that lifts an `always` requirement.
    #[serde(default)]
    pub required_unless: Option<Condition>,
    /// Value kind.
    pub kind: FieldKind,
    /// Allowed values of an enum.
    #[serde(default)]
    pub values: Vec<String>,
    /// Enum compares case-insensitively.
    #[serde(default)]
    pub case_insensitive: bool,
    /// Allowed enum prefixes (`TPR-`).
    #[serde(default)]
    pub pattern_values: Vec<String>,
    /// The cell may hold a list.
    #[serde(default)]
    pub list: bool,
    /// List separator (`,` unless stated).
    #[serde(default)]
    pub separator: Option<String>,
    /// Language items may carry `:audio`, `:subtitle`, `:subdub`.
    #[serde(default)]
    pub asset_suffix: bool,
    /// Extra literal values accepted besides the kind's syntax (`N/A`).
    #[serde(default)]
    pub also: Vec<String>,
    /// Caveat from the reference.
    #[serde(default)]
    pub note: Option<String>,
}

impl FieldDef {
    /// The list separator, when the field is a list.
    pub fn separator(&self) -> Option<&str> {
        self.list.then(|| self.separator.as_deref().unwrap_or(","))
    }
}

/// The fields of one template version and sheet kind.
#[derive(Debug, Deserialize)]
pub struct Dictionary {
    /// Template version, e.g. `1.7.3`.
    pub version: String,
    /// `movies` or `tv`.
    pub sheet: String,
    /// Where the field list comes from.
    #[serde(default)]
    pub source: String,
    /// Fields in template order.
    pub fields: Vec<FieldDef>,
    #[serde(skip)]
    index: rustc_hash::FxHashMap<String, usize>,
}

impl Dictionary {
    /// A field by canonical name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.index.get(name).map(|&i| &self.fields[i])
    }

    /// The dictionary for a version and sheet kind (XML uses its spreadsheet equivalent).
    pub fn for_version(version: TemplateVersion, kind: SheetKind) -> &'static Dictionary {
        let stem = version
            .sheet_equivalent()
            .dictionary_stem()
            .expect("sheet_equivalent is a spreadsheet version");
        let all = all();
        all.iter()
            .find(|d| stem == format!("ema-{}", d.version) && d.sheet == kind.as_str())
            .expect("a dictionary exists for every version and sheet kind")
    }

    /// Every dictionary, for header signature checks.
    pub fn all() -> &'static [Dictionary] {
        all()
    }
}

macro_rules! dictionaries {
    ($($file:literal),* $(,)?) => {
        [$(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/dictionaries/", $file))),*]
    };
}

const SOURCES: [&str; 12] = dictionaries!(
    "ema-1.6-movies.json",
    "ema-1.6-tv.json",
    "ema-1.7-movies.json",
    "ema-1.7-tv.json",
    "ema-1.7.2-movies.json",
    "ema-1.7.2-tv.json",
    "ema-1.7.3-movies.json",
    "ema-1.7.3-tv.json",
    "ema-1.8-movies.json",
    "ema-1.8-tv.json",
    "ema-1.9-movies.json",
    "ema-1.9-tv.json",
);

const ALIASES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schemas/dictionaries/aliases.json"
));

fn all() -> &'static [Dictionary] {
    static ALL: OnceLock<Vec<Dictionary>> = OnceLock::new();
    ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|src| {
                let mut d: Dictionary =
                    serde_json::from_str(src).expect("embedded dictionary is valid JSON");
                d.index = d
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.clone(), i))
                    .collect();
                d
            })
            .collect()
    })
}

/// The canonical name of a header (known misspellings resolved).
pub fn canonical_field(header: &str) -> &str {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        #[derive(Deserialize)]
        struct Aliases {
            aliases: HashMap<String, String>,
        }
        serde_json::from_str::<Aliases>(ALIASES)
            .expect("embedded aliases are valid JSON")
            .aliases
    });
    map.get(header).map_or(header, String::as_str)
}

/// True when `name` is a field of any known dictionary.
pub fn is_known_field(name: &str) -> bool {
    all().iter().any(|d| d.field(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dictionary_loads() {
        for v in TemplateVersion::SPREADSHEET {
            for k in [SheetKind::Movies, SheetKind::Tv] {
                let d = Dictionary::for_version(v, k);
                assert!(d.field("Territory").is_some(), "{v} {k:?}");
                assert!(d.field("LicenseType").is_some(), "{v} {k:?}");
                for f in &d.fields {
                    if f.kind == FieldKind::Enum {
                        assert!(!f.values.is_empty(), "{v} {} has no values", f.name);
                    }
                }
            }
        }
    }

    #[test]
    fn aliases_resolve() {
        assert_eq!(canonical_field("BundleALIDs"), "BundledALIDs");
        assert_eq!(canonical_field("ExceptionsFlag"), "ExceptionFlag");
        assert_eq!(
            canonical_field("VolumeDistributinoNumber"),
            "VolumeDistributionNumber"
        );
        assert_eq!(canonical_field("Territory"), "Territory");
    }
}

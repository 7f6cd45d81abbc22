//! EMA field dictionaries, loaded from `schemas/dictionaries/*.json` (embedded
//! at build time, whitespace stripped by build.rs). Rules look fields up
//! here; no field list lives in code.

use std::sync::OnceLock;

use serde::Deserialize;

use super::field::{Field, FieldSet};
use super::movielabs;
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

/// `field` has one of `values` (for list fields: any item does), or, when
/// `filled`, any value at all.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Condition {
    /// The field the condition looks at.
    pub field: Field,
    /// Accepted values.
    #[serde(rename = "in", default)]
    pub values: Vec<String>,
    /// The condition holds when the field has any value (`values` unused).
    #[serde(default)]
    pub filled: bool,
}

impl std::fmt::Display for Condition {
    /// `LicenseType is SVOD`, `SRP has a value`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.filled {
            write!(f, "{} has a value", self.field)
        } else {
            write!(f, "{} is {}", self.field, self.values.join("/"))
        }
    }
}

/// The value kind of a field; each kind has one syntax check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
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

impl FieldKind {
    /// How many kinds there are.
    pub const COUNT: usize = FieldKind::Id as usize + 1;

    /// Every kind.
    pub const ALL: [FieldKind; FieldKind::COUNT] = [
        FieldKind::Text,
        FieldKind::Enum,
        FieldKind::Territory,
        FieldKind::Language,
        FieldKind::Currency,
        FieldKind::Date,
        FieldKind::Start,
        FieldKind::End,
        FieldKind::Duration,
        FieldKind::Hours,
        FieldKind::Runtime,
        FieldKind::Year,
        FieldKind::Integer,
        FieldKind::Decimal,
        FieldKind::Boolean,
        FieldKind::Id,
    ];
}

/// One field of a dictionary.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    /// The field (its row-2 name in the template).
    #[serde(rename = "name")]
    pub field: Field,
    /// Row-1 category in the official template.
    #[serde(default)]
    pub category: String,
    /// Requirement level.
    pub required: Requirement,
    /// Conditions that make a conditional field required (all must hold).
    #[serde(default)]
    pub required_when: Vec<Condition>,
    /// Conditions that lift an `always` requirement (any one does).
    #[serde(default)]
    pub required_unless: Vec<Condition>,
    /// Value kind.
    pub kind: FieldKind,
    /// Allowed values of an enum.
    #[serde(default)]
    pub values: Vec<String>,
    /// The enum takes the values of another field of the same dictionary
    /// (the Bonus sheet's `RefLicenseType` those of `LicenseType`); filled
    /// into `values` at load.
    #[serde(default)]
    pub values_of: Option<Field>,
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
    pub separator: Option<char>,
    /// Language items may carry `:audio`, `:subtitle`, `:subdub`.
    #[serde(default)]
    pub asset_suffix: bool,
    /// When this condition holds, the value is a decimal amount (PriceValue
    /// of a money PriceType such as WSP).
    #[serde(default)]
    pub decimal_when: Option<Condition>,
    /// Extra literal values accepted besides the kind's syntax (`N/A`).
    #[serde(default)]
    pub also: Vec<String>,
    /// Caveat from the reference.
    #[serde(default)]
    pub note: Option<String>,
    /// An enum of two Yes/No or True/False values (worked out at load).
    #[serde(skip)]
    pub boolean: bool,
}

impl FieldDef {
    /// The list separator, when the field is a list.
    pub fn separator(&self) -> Option<char> {
        self.list.then(|| self.separator.unwrap_or(','))
    }

    /// The field's name as in the template.
    pub fn name(&self) -> &'static str {
        self.field.name()
    }

    /// True when `v` is a value of this enum (booleans also in MovieLabs'
    /// other spellings: `Y`/`N`, `T`/`F`, `1`/`0`); false for other kinds.
    pub fn allows(&self, v: &str) -> bool {
        if self.kind != FieldKind::Enum {
            return false;
        }
        (self.boolean && is_boolean_word(v))
            || self.values.iter().any(|a| {
                if self.case_insensitive {
                    a.eq_ignore_ascii_case(v)
                } else {
                    a == v
                }
            })
            || self
                .pattern_values
                .iter()
                .any(|p| v.starts_with(p.as_str()) && v.len() > p.len())
    }
}

/// The fields of one template version and sheet kind.
#[derive(Debug, Clone, Deserialize)]
pub struct Dictionary {
    /// Template version, e.g. `1.7.3`.
    pub version: String,
    /// `movies`, `tv` or `bonus` ([`SheetKind::as_str`]).
    pub sheet: String,
    /// Where the field list comes from.
    #[serde(default)]
    pub source: String,
    /// The sheet kind of the same version whose fields this dictionary
    /// starts from: its `fields` then replace the base's fields of the same
    /// name in place and add the others at the end (the 1.9 Bonus sheet is
    /// the Movies sheet with a few more columns).
    #[serde(default)]
    based_on: Option<String>,
    /// Fields in template order.
    pub fields: Vec<FieldDef>,
    /// Each field's position in `fields` (`u8::MAX`: not in this dictionary).
    #[serde(skip)]
    index: Vec<u8>,
}

impl Dictionary {
    /// The definition of `field`, when this dictionary has it.
    pub fn field(&self, field: Field) -> Option<&FieldDef> {
        match self.index.get(field as usize) {
            Some(&i) if i != u8::MAX => self.fields.get(usize::from(i)),
            _ => None,
        }
    }

    /// True when this dictionary has `field`.
    pub fn has(&self, field: Field) -> bool {
        self.field(field).is_some()
    }

    /// The sheet kind this dictionary is for.
    pub fn kind(&self) -> SheetKind {
        SheetKind::from_name(&self.sheet).expect("dictionaries name a known sheet kind")
    }

    /// The dictionary of a version and sheet kind (Avails XML: its
    /// spreadsheet equivalent's fields with its own vocabularies, see
    /// [`Dictionary::for_xml`]), when the version has that kind: every version has
    /// Movies and TV, only 1.9 has Bonus.
    pub fn get(version: TemplateVersion, kind: SheetKind) -> Option<&'static Dictionary> {
        if let Some(d) = Dictionary::for_xml(version, kind) {
            return Some(d);
        }
        let v = version.sheet_equivalent();
        let at = TemplateVersion::SPREADSHEET.iter().position(|s| *s == v)?;
        let i = index()[at][kind as usize]?;
        Some(load(usize::from(i)))
    }

    /// The Movies or TV dictionary of a version (see [`Dictionary::get`]);
    /// a kind the version lacks gives its Movies dictionary.
    pub fn for_version(version: TemplateVersion, kind: SheetKind) -> &'static Dictionary {
        Self::get(version, kind)
            .or_else(|| Self::get(version, SheetKind::Movies))
            .expect("every spreadsheet version has a Movies dictionary")
    }

    /// The sheet kinds a version has dictionaries for, in [`SheetKind::ALL`] order.
    pub fn kinds_of(version: TemplateVersion) -> impl Iterator<Item = SheetKind> {
        SheetKind::ALL
            .into_iter()
            .filter(move |k| Self::get(version, *k).is_some())
    }

    /// The dictionary of Avails XML `version`: the fields of its
    /// spreadsheet equivalent, with the values of each enumerated field
    /// that a MovieLabs vocabulary of that version lists (WorkType from
    /// Common Metadata, EntryType, LicenseType, … from the avails
    /// vocabulary; `schemas/movielabs/versions.json`). `None` for
    /// spreadsheet versions.
    pub fn for_xml(version: TemplateVersion, kind: SheetKind) -> Option<&'static Dictionary> {
        // Each version's Movies and TV dictionaries are made when first asked for.
        type Pair = [OnceLock<Dictionary>; 2];
        static XML: OnceLock<Vec<(TemplateVersion, Pair)>> = OnceLock::new();
        let x = movielabs::xml(version)?;
        let all = XML.get_or_init(|| {
            movielabs::xml_versions()
                .into_iter()
                .map(|v| (v, Default::default()))
                .collect()
        });
        let v = x.version;
        let (_, pair) = all.iter().find(|(listed, _)| *listed == v)?;
        let kind = if kind == SheetKind::Tv {
            SheetKind::Tv
        } else {
            SheetKind::Movies
        };
        Some(pair[usize::from(kind == SheetKind::Tv)].get_or_init(|| {
            let base = Dictionary::for_version(v.sheet_equivalent(), kind);
            with_vocabularies(base, x)
        }))
    }

    /// True when `value` is allowed for enum `field` in the dictionary of
    /// `version` and `kind` ([`Dictionary::get`]; false when it has no
    /// such field). For Avails XML this reads the version's vocabulary and,
    /// only for a value it lists, the spreadsheet equivalent's field,
    /// without making the whole dictionary: asking every version (a hint)
    /// stays cheap.
    pub fn allows(version: TemplateVersion, kind: SheetKind, field: Field, value: &str) -> bool {
        let Some(x) = movielabs::xml(version) else {
            return Self::get(version, kind)
                .and_then(|d| d.field(field))
                .is_some_and(|f| f.allows(value));
        };
        // A field the vocabulary gives takes its values and no others (or,
        // no enum in this version, none): see `with_vocabularies`.
        if let Some((_, values)) = x.enumeration(field)
            && !values.iter().any(|a| a == value)
        {
            return false;
        }
        let kind = if kind == SheetKind::Tv {
            SheetKind::Tv
        } else {
            SheetKind::Movies
        };
        let Some(f) = Self::for_version(x.version.sheet_equivalent(), kind).field(field) else {
            return false;
        };
        // When the vocabulary applies, it lists the value.
        vocabulary_of(f, x).is_some() || f.allows(value)
    }

    /// Every dictionary: each spreadsheet version's, oldest first.
    pub fn all() -> impl Iterator<Item = &'static Dictionary> {
        (0..SOURCES.len()).map(load)
    }

    /// The fields of every sheet kind of a spreadsheet version.
    pub fn fields_of(version: TemplateVersion) -> FieldSet {
        Self::kinds_of(version)
            .flat_map(|k| Dictionary::for_version(version, k).fields.iter())
            .map(|f| f.field)
            .collect()
    }
}

macro_rules! dictionaries {
    ($($file:literal),* $(,)?) => {
        [$(($file, include_str!(concat!(env!("OUT_DIR"), "/dictionaries/", $file)))),*]
    };
}

/// Every dictionary file (`ema-{version}-{sheet}.json`) with its text,
/// oldest version first.
const SOURCES: [(&str, &str); 13] = dictionaries!(
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
    "ema-1.9-bonus.json",
);

/// The version and sheet kind a dictionary file is for, from its name.
fn named(file: &str) -> (&str, &str) {
    file.strip_prefix("ema-")
        .and_then(|f| f.strip_suffix(".json"))
        .and_then(|f| f.rsplit_once('-'))
        .expect("dictionary files are named ema-{version}-{sheet}.json")
}

/// Dictionary `i` of [`SOURCES`], read when first asked for (a document
/// needs the dictionaries of its own version only).
fn load(i: usize) -> &'static Dictionary {
    static EACH: [OnceLock<Dictionary>; SOURCES.len()] = [const { OnceLock::new() }; SOURCES.len()];
    EACH[i].get_or_init(|| {
        let mut d: Dictionary =
            serde_json::from_str(SOURCES[i].1).expect("embedded dictionary is valid JSON");
        if let Some(base) = d.based_on.clone() {
            let at = SOURCES
                .iter()
                .position(|(file, _)| named(file) == (d.version.as_str(), base.as_str()))
                .expect("a dictionary's base is a dictionary of its version");
            let own = std::mem::replace(&mut d.fields, load(at).fields.clone());
            for f in own {
                match d.fields.iter_mut().find(|b| b.field == f.field) {
                    Some(b) => *b = f,
                    None => d.fields.push(f),
                }
            }
        }
        let values_of: Vec<(usize, Vec<String>)> = d
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let of = f.values_of?;
                let source = d.fields.iter().find(|s| s.field == of);
                Some((
                    i,
                    source
                        .expect("values_of names a field of the dictionary")
                        .values
                        .clone(),
                ))
            })
            .collect();
        for (i, values) in values_of {
            d.fields[i].values = values;
        }
        for f in &mut d.fields {
            f.boolean = f.kind == FieldKind::Enum
                && f.values.len() == 2
                && f.values.iter().all(|v| is_boolean_word(v));
        }
        d.index = vec![u8::MAX; Field::COUNT];
        for (i, f) in d.fields.iter().enumerate() {
            let slot = &mut d.index[f.field as usize];
            if *slot == u8::MAX {
                *slot = u8::try_from(i).expect("fewer than 255 fields");
            }
        }
        d
    })
}

/// Per spreadsheet version (in [`TemplateVersion::SPREADSHEET`] order) and
/// sheet kind: the position of its dictionary in [`SOURCES`].
fn index() -> &'static [[Option<u8>; SheetKind::ALL.len()]] {
    static INDEX: OnceLock<Vec<[Option<u8>; SheetKind::ALL.len()]>> = OnceLock::new();
    INDEX.get_or_init(|| {
        TemplateVersion::SPREADSHEET
            .iter()
            .map(|v| {
                let name = v.to_string();
                SheetKind::ALL.map(|k| {
                    SOURCES
                        .iter()
                        .position(|(file, _)| named(file) == (name.as_str(), k.as_str()))
                        .map(|i| u8::try_from(i).expect("fewer than 256 dictionaries"))
                })
            })
            .collect()
    })
}

/// `base` (a spreadsheet dictionary) for Avails XML `x`: each enumerated
/// field a vocabulary of `x` gives takes that vocabulary's values, spelt
/// exactly, and no others.
fn with_vocabularies(base: &Dictionary, x: &movielabs::XmlVersion) -> Dictionary {
    let mut d = base.clone();
    d.version = x.avails.clone();
    let mut files = Vec::new();
    for f in &mut d.fields {
        if let Some((key, values)) = vocabulary_of(f, x) {
            f.values = values.to_vec();
            f.case_insensitive = false;
            f.boolean = false;
            f.pattern_values.clear();
            let file = x.vocabulary_file(key);
            if !files.iter().any(|s: &String| s == file) {
                files.push(file.to_string());
            }
        }
    }
    d.source = format!(
        "Avails XML {}: the EMA {} {} dictionary, with the enumerations of {}",
        x.avails,
        base.version,
        base.sheet,
        files.join(" and ")
    );
    d
}

/// The vocabulary key and values that enumerated field `f` takes in Avails
/// XML `x`, when a vocabulary of `x` gives them.
fn vocabulary_of<'x>(
    f: &FieldDef,
    x: &'x movielabs::XmlVersion,
) -> Option<(&'x str, &'x [String])> {
    if f.kind == FieldKind::Enum {
        x.enumeration(f.field)
    } else {
        None
    }
}

/// Spellings MovieLabs' converter turns into xs:boolean
/// (`FormatConverter.booleanToXml`), compared case-insensitively.
const BOOLEAN_WORDS: [&str; 10] = ["yes", "y", "true", "t", "1", "no", "n", "false", "f", "0"];

/// True when `v` is one of [`BOOLEAN_WORDS`] in any case.
pub fn is_boolean_word(v: &str) -> bool {
    BOOLEAN_WORDS.iter().any(|w| w.eq_ignore_ascii_case(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dictionary_loads() {
        // Files are found by name: each names its own version and sheet.
        for ((file, _), d) in SOURCES.iter().zip(Dictionary::all()) {
            assert_eq!(named(file), (d.version.as_str(), d.sheet.as_str()));
        }
        for v in TemplateVersion::SPREADSHEET {
            for k in Dictionary::kinds_of(v) {
                let d = Dictionary::for_version(v, k);
                assert_eq!(d.version, v.to_string());
                assert_eq!(d.sheet, k.as_str());
                assert!(d.has(Field::Territory), "{v} {k:?}");
                assert!(d.has(Field::LicenseType), "{v} {k:?}");
                for f in &d.fields {
                    if f.kind == FieldKind::Enum {
                        assert!(!f.values.is_empty(), "{v} {} has no values", f.name());
                    }
                }
            }
        }
        assert_eq!(
            Dictionary::kinds_of(TemplateVersion::V1_8).collect::<Vec<_>>(),
            [SheetKind::Movies, SheetKind::Tv]
        );
        assert!(Dictionary::get(TemplateVersion::V1_9, SheetKind::Bonus).is_some());
    }

    #[test]
    fn the_bonus_sheet_is_the_movies_sheet_with_its_references() {
        let movies = Dictionary::for_version(TemplateVersion::V1_9, SheetKind::Movies);
        let bonus = Dictionary::for_version(TemplateVersion::V1_9, SheetKind::Bonus);
        assert_eq!(bonus.kind(), SheetKind::Bonus);
        for f in &movies.fields {
            assert!(bonus.has(f.field), "{}", f.name());
        }
        let work_type = bonus.field(Field::WorkType).expect("WorkType");
        assert_eq!(work_type.values, ["Supplemental"]);
        let license = |d: &Dictionary, f| d.field(f).map(|f| f.values.clone());
        assert_eq!(
            license(bonus, Field::RefLicenseType),
            license(movies, Field::LicenseType),
            "RefLicenseType takes LicenseType's values"
        );
        assert!(bonus.has(Field::RefALID) && !movies.has(Field::RefALID));
    }

    #[test]
    fn allows_answers_as_the_dictionary_does() {
        // Every version (and XML versions between listed ones), kind and
        // field, with every value any dictionary or vocabulary gives it,
        // other spellings of them and values extending a prefix.
        let mut versions = TemplateVersion::SPREADSHEET.to_vec();
        versions.extend(movielabs::xml_versions());
        versions.extend([TemplateVersion::Xml(5, 1), TemplateVersion::Xml(9, 0)]);
        let xml: Vec<_> = versions.iter().filter_map(|v| movielabs::xml(*v)).collect();
        for field in Field::ALL {
            let mut values: Vec<String> = BOOLEAN_WORDS.map(String::from).to_vec();
            for f in Dictionary::all().filter_map(|d| d.field(field)) {
                values.extend(f.values.iter().cloned());
                for p in &f.pattern_values {
                    values.extend([p.clone(), format!("{p}x")]);
                }
            }
            for x in &xml {
                if let Some((_, v)) = x.enumeration(field) {
                    values.extend(v.iter().cloned());
                }
            }
            values.extend(values.clone().iter().map(|v| v.to_uppercase()));
            for v in &versions {
                for k in SheetKind::ALL {
                    for value in &values {
                        let dictionary = Dictionary::get(*v, k)
                            .and_then(|d| d.field(field))
                            .is_some_and(|f| f.allows(value));
                        assert_eq!(
                            Dictionary::allows(*v, k, field, value),
                            dictionary,
                            "{v} {k:?} {field} `{value}`"
                        );
                    }
                }
            }
        }
    }
}

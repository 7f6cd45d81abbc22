//! The MovieLabs data files of `schemas/movielabs/`, embedded at build time
//! (whitespace stripped by build.rs): for each Avails XML version, its
//! Common Metadata version, its vocabularies (`vocab_avail_v*.json`,
//! `vocab_cm_v*.json`) and its structure rules (`structure_avail_v*.json`),
//! as `versions.json` pairs them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::field::Field;
use super::version::TemplateVersion;

macro_rules! files {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!(env!("OUT_DIR"), "/movielabs/", $file))),)*]
    };
}

/// Every embedded data file, by name.
const FILES: &[(&str, &str)] = files!(
    "versions.json",
    "structure_avail_v2.2.json",
    "structure_avail_v2.2.2.json",
    "structure_avail_v2.3.json",
    "structure_avail_v2.4.json",
    "structure_avail_v2.5.json",
    "structure_avail_v2.6.json",
    "structure_avail_v2.6.1.json",
    "vocab_avail_v2.1.json",
    "vocab_avail_v2.2.json",
    "vocab_avail_v2.2.2.json",
    "vocab_avail_v2.3.json",
    "vocab_avail_v2.4.json",
    "vocab_avail_v2.5.json",
    "vocab_avail_v2.6.json",
    "vocab_avail_v2.6.1.json",
    "vocab_avail_v2.7.json",
    "vocab_cm_v2.4.json",
    "vocab_cm_v2.5.json",
    "vocab_cm_v2.6.json",
    "vocab_cm_v2.7.json",
    "vocab_cm_v2.8.json",
    "vocab_cm_v2.9.json",
    "vocab_cm_v2.10.json",
    "vocab_cm_v2.11.json",
    "vocab_cm_v2.12.json",
);

fn file(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("schemas/movielabs/{name} is embedded"))
}

/// What `versions.json` says of one avails version.
#[derive(Debug, Deserialize)]
struct Row {
    md: String,
    vocab_avail: String,
    structure: String,
}

#[derive(Debug, Deserialize)]
struct Correction {
    version: String,
    requirement: String,
    #[serde(rename = "use")]
    from: String,
    why: String,
}

#[derive(Debug, Deserialize)]
struct Versions {
    versions: BTreeMap<String, Row>,
    enumerations: BTreeMap<String, String>,
    corrections: Vec<Correction>,
}

/// One constraint of a structure requirement, as the file writes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Constraint {
    /// XPaths whose matches, counted together, must lie in `min..=max`.
    #[serde(deserialize_with = "one_or_many")]
    pub xpath: Vec<String>,
    /// Fewest matches (`"0"` when absent).
    #[serde(default, deserialize_with = "number")]
    pub min: Option<u32>,
    /// Most matches (no limit when absent).
    #[serde(default, deserialize_with = "number")]
    pub max: Option<u32>,
    /// `Error` (the default) or `Warning`.
    #[serde(default)]
    pub severity: Option<String>,
    /// MovieLabs' message.
    #[serde(default)]
    pub msg: Option<String>,
}

/// One structure requirement: the elements it applies to and what must
/// hold for each.
#[derive(Debug, Clone, Deserialize)]
pub struct Requirement {
    /// Its name in the file (`RefALID`, `single-AvailType`).
    #[serde(skip)]
    pub key: String,
    /// The structure file it comes from (`structure_avail_v2.4.json`).
    #[serde(skip)]
    pub file: String,
    /// XPath of the elements it applies to.
    #[serde(rename = "targetPath")]
    pub target: String,
    /// What must hold for each of them.
    pub constraint: Vec<Constraint>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let s = String::deserialize(d)?;
    s.trim().parse().map(Some).map_err(serde::de::Error::custom)
}

/// The data of one avails version.
#[derive(Debug)]
pub struct XmlVersion {
    /// The avails version as `versions.json` names it (`2.3`).
    pub avails: String,
    /// The same version, parsed.
    pub version: TemplateVersion,
    /// Its Common Metadata version (`2.6`).
    pub md: String,
    /// The structure file it uses (`structure_avail_v2.3.json`).
    pub structure_file: String,
    /// The avails vocabulary file (`vocab_avail_v2.3.json`).
    pub vocab_avail_file: String,
    /// The Common Metadata vocabulary file (`vocab_cm_v2.6.json`).
    pub vocab_cm_file: String,
    vocab_avail: &'static Vocabulary,
    vocab_cm: &'static Vocabulary,
    /// Its structure requirements and their corrections, read when first
    /// asked for (enumeration hints read only the vocabularies).
    structure: OnceLock<Structure>,
}

/// A version's structure requirements, corrections applied.
#[derive(Debug)]
struct Structure {
    requirements: Vec<Requirement>,
    corrections: Vec<(String, String)>,
}

impl XmlVersion {
    /// Its structure requirements, in key order (corrections applied).
    pub fn requirements(&self) -> &[Requirement] {
        &self.structure().requirements
    }

    /// Requirements taken from a later file, with why.
    pub fn corrections(&self) -> &[(String, String)] {
        &self.structure().corrections
    }

    fn structure(&self) -> &Structure {
        self.structure.get_or_init(|| {
            let mut requirements = structure_file_cached(&self.structure_file).clone();
            let mut corrections = Vec::new();
            for c in versions()
                .corrections
                .iter()
                .filter(|c| c.version == self.avails)
            {
                let from = format!("structure_avail_v{}.json", c.from);
                let later = structure_file_cached(&from)
                    .iter()
                    .find(|r| r.key == c.requirement)
                    .unwrap_or_else(|| panic!("{from} has {}", c.requirement));
                if let Some(r) = requirements.iter_mut().find(|r| r.key == c.requirement) {
                    *r = later.clone();
                }
                corrections.push((c.requirement.clone(), format!("{from}: {}", c.why)));
            }
            Structure {
                requirements,
                corrections,
            }
        })
    }

    /// The values of vocabulary `key`: `avail:AvailType` (the avails
    /// vocabulary) or `cm:WorkType` (Common Metadata).
    pub fn vocabulary(&self, key: &str) -> Option<&[String]> {
        let (book, key) = key.split_once(':')?;
        let book = match book {
            "avail" => self.vocab_avail,
            "cm" => self.vocab_cm,
            _ => return None,
        };
        book.values().get(key).map(Vec::as_slice)
    }

    /// The file a vocabulary key (`avail:…`, `cm:…`) comes from.
    pub fn vocabulary_file(&self, key: &str) -> &str {
        if key.starts_with("cm:") {
            &self.vocab_cm_file
        } else {
            &self.vocab_avail_file
        }
    }

    /// The values of `field` in Avails XML of this version, with the
    /// vocabulary key they come from, when a vocabulary gives them.
    pub fn enumeration(&self, field: Field) -> Option<(&str, &[String])> {
        let key = versions().enumerations.get(field.name())?;
        Some((key.as_str(), self.vocabulary(key)?))
    }
}

fn versions() -> &'static Versions {
    static V: OnceLock<Versions> = OnceLock::new();
    V.get_or_init(|| serde_json::from_str(file("versions.json")).expect("versions.json is valid"))
}

/// The values of each key of a vocabulary file.
type Book = BTreeMap<String, Vec<String>>;

/// A vocabulary file, parsed when first asked for: versions that use the
/// same file share it, and a version's other file is not read for a key of
/// this one.
#[derive(Debug)]
struct Vocabulary {
    file: &'static str,
    book: OnceLock<Book>,
}

impl Vocabulary {
    /// The embedded vocabulary file `name`.
    fn named(name: &str) -> &'static Vocabulary {
        static ALL: OnceLock<Vec<Vocabulary>> = OnceLock::new();
        ALL.get_or_init(|| {
            FILES
                .iter()
                .filter(|(n, _)| n.starts_with("vocab_"))
                .map(|(file, _)| Vocabulary {
                    file,
                    book: OnceLock::new(),
                })
                .collect()
        })
        .iter()
        .find(|v| v.file == name)
        .unwrap_or_else(|| panic!("schemas/movielabs/{name} is embedded"))
    }

    /// Its keys and values: the file is `{ "avail": { key: [values] } }`
    /// or `{ "cm": … }`.
    fn values(&self) -> &Book {
        self.book.get_or_init(|| {
            let name = self.file;
            let file: BTreeMap<String, Book> =
                serde_json::from_str(file(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut books = file.into_values();
            match (books.next(), books.next()) {
                (Some(book), None) => book,
                _ => panic!("{name} holds one vocabulary object"),
            }
        })
    }
}

/// The requirements of a structure file, in the order of their keys.
fn structure_file(name: &str) -> Vec<Requirement> {
    /// A structure file: its requirements by key (in key order).
    #[derive(Deserialize)]
    struct File {
        #[serde(rename = "StrucRqmts")]
        requirements: BTreeMap<String, Requirement>,
    }
    let parsed: File = serde_json::from_str(file(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    parsed
        .requirements
        .into_iter()
        .map(|(key, mut r)| {
            r.key = key;
            r.file = name.to_string();
            r
        })
        .collect()
}

/// A version `versions.json` lists, with its data, read when a document
/// of it is: one, usually.
struct Listed {
    version: TemplateVersion,
    key: &'static str,
    data: OnceLock<XmlVersion>,
}

/// Every listed version, oldest first.
fn listed() -> &'static [Listed] {
    static ALL: OnceLock<Vec<Listed>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Listed> = versions()
            .versions
            .keys()
            .filter_map(|key| match key.parse() {
                Ok(version @ TemplateVersion::Xml(..)) => Some(Listed {
                    version,
                    key: key.as_str(),
                    data: OnceLock::new(),
                }),
                _ => None,
            })
            .collect();
        all.sort_by_key(|l| l.version);
        all
    })
}

/// The data of Avails XML `version`: the listed version itself, else the
/// closest listed one below it (`None` for spreadsheet versions and
/// versions below 2.1).
pub fn xml(version: TemplateVersion) -> Option<&'static XmlVersion> {
    if !version.is_xml() {
        return None;
    }
    let listed = listed().iter().rev().find(|l| l.version <= version)?;
    Some(listed.data.get_or_init(|| {
        let row = &versions().versions[listed.key];
        let structure_file = format!("structure_avail_v{}.json", row.structure);
        let vocab_avail_file = format!("vocab_avail_v{}.json", row.vocab_avail);
        let vocab_cm_file = format!("vocab_cm_v{}.json", row.md);
        XmlVersion {
            avails: listed.key.to_string(),
            version: listed.version,
            md: row.md.clone(),
            vocab_avail: Vocabulary::named(&vocab_avail_file),
            vocab_cm: Vocabulary::named(&vocab_cm_file),
            structure_file,
            vocab_avail_file,
            vocab_cm_file,
            structure: OnceLock::new(),
        }
    }))
}

/// Each structure file, parsed once.
fn structure_file_cached(name: &str) -> &'static Vec<Requirement> {
    /// A structure file's name and its requirements, once parsed.
    type File = (&'static str, OnceLock<Vec<Requirement>>);
    static FILES_PARSED: OnceLock<Vec<File>> = OnceLock::new();
    let (name, parsed) = FILES_PARSED
        .get_or_init(|| {
            FILES
                .iter()
                .filter(|(n, _)| n.starts_with("structure_avail_"))
                .map(|(n, _)| (*n, OnceLock::new()))
                .collect()
        })
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("{name} is embedded"));
    parsed.get_or_init(|| structure_file(name))
}

/// Every avails version `versions.json` lists, oldest first.
pub fn xml_versions() -> Vec<TemplateVersion> {
    listed().iter().map(|l| l.version).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_has_its_files() {
        for v in xml_versions() {
            let x = xml(v).expect("listed");
            assert!(!x.requirements().is_empty(), "{v}");
            assert!(x.vocabulary("avail:AvailType").is_some(), "{v}");
            assert!(x.vocabulary("cm:WorkType").is_some(), "{v}");
            for field in versions().enumerations.keys() {
                let field = Field::from_name(field).expect("an EMA field");
                // TitleStatus and TPRType have vocabularies from 2.3 and 2.5.
                if v >= TemplateVersion::Xml(5, 0) {
                    assert!(x.enumeration(field).is_some(), "{v} {field}");
                }
            }
        }
    }

    #[test]
    fn versions_between_listed_ones_use_the_one_below() {
        assert_eq!(xml(TemplateVersion::Xml(5, 1)).unwrap().avails, "2.5");
        assert_eq!(xml(TemplateVersion::Xml(2, 0)).unwrap().avails, "2.2");
        assert_eq!(xml(TemplateVersion::Xml(9, 0)).unwrap().avails, "2.7");
        assert!(xml(TemplateVersion::V1_9).is_none());
        assert_eq!(
            xml(TemplateVersion::Xml(4, 0)).unwrap().md,
            "2.7",
            "avails 2.4 imports md 2.7"
        );
    }

    #[test]
    fn the_2_3_pricing_rule_counts_license_fees() {
        let x = xml(TemplateVersion::Xml(3, 0)).unwrap();
        let price = x
            .requirements()
            .iter()
            .find(|r| r.key == "Trans-Price")
            .unwrap();
        assert!(price.constraint[0].xpath[0].contains("LicenseFee"));
        assert_eq!(x.corrections().len(), 1);
    }
}

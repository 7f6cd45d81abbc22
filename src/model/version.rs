//! Template versions (EMA spreadsheet 1.6 … 1.9, Avails XML 2.x) and sheet kinds.

use std::fmt;
use std::str::FromStr;

/// Which EMA template a sheet follows, or which Avails XML schema a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TemplateVersion {
    /// EMA Avails spreadsheet 1.6 (1.6e2).
    V1_6,
    /// EMA Avails spreadsheet 1.7.
    V1_7,
    /// EMA Avails spreadsheet 1.7.2.
    V1_7_2,
    /// EMA Avails spreadsheet 1.7.3 (adds GroupIdentity, comma lists, DAB use).
    V1_7_3,
    /// EMA Avails spreadsheet 1.8.
    V1_8,
    /// EMA Avails spreadsheet 1.9.
    V1_9,
    /// Avails XML, schema version `2.major.minor` (e.g. 2.3 is `Xml(3, 0)`, 2.2.2 is `Xml(2, 2)`).
    Xml(u8, u8),
}

impl TemplateVersion {
    /// Every spreadsheet version availcheck knows, oldest first.
    pub const SPREADSHEET: [TemplateVersion; 6] = [
        Self::V1_6,
        Self::V1_7,
        Self::V1_7_2,
        Self::V1_7_3,
        Self::V1_8,
        Self::V1_9,
    ];

    /// True for Avails XML versions.
    pub fn is_xml(self) -> bool {
        matches!(self, Self::Xml(..))
    }

    /// True when the template carries 1.7.3-era features: comma lists in
    /// Territory/language cells, GroupIdentity, DAB in LicenseRightsDescription.
    /// For XML that is schema 2.3 and later.
    pub fn at_least_1_7_3(self) -> bool {
        match self {
            Self::Xml(major, _) => major >= 3,
            v => v >= Self::V1_7_3,
        }
    }

    /// The dictionary file stem used in `schemas/dictionaries/` (`ema-1.7.3`).
    pub fn dictionary_stem(self) -> Option<&'static str> {
        Some(match self {
            Self::V1_6 => "ema-1.6",
            Self::V1_7 => "ema-1.7",
            Self::V1_7_2 => "ema-1.7.2",
            Self::V1_7_3 => "ema-1.7.3",
            Self::V1_8 => "ema-1.8",
            Self::V1_9 => "ema-1.9",
            Self::Xml(..) => return None,
        })
    }

    /// The spreadsheet version whose dictionary an XML version corresponds to
    /// (MovieLabs: 2.2→1.7, 2.2.2→1.7.2, 2.3→1.7.3, 2.4→1.8, 2.5+→1.9; 2.1→1.6).
    pub fn sheet_equivalent(self) -> TemplateVersion {
        match self {
            Self::Xml(1, _) | Self::Xml(0, _) => Self::V1_6,
            Self::Xml(2, m) if m >= 2 => Self::V1_7_2,
            Self::Xml(2, _) => Self::V1_7,
            Self::Xml(3, _) => Self::V1_7_3,
            Self::Xml(4, _) => Self::V1_8,
            Self::Xml(..) => Self::V1_9,
            v => v,
        }
    }

    /// The Avails XML version MovieLabs converts a spreadsheet version to
    /// (1.6→2.1, 1.7→2.2, 1.7.2→2.2.2, 1.7.3→2.3, 1.8→2.4, 1.9→2.5): the
    /// one whose structure rules apply to its rows. XML versions are
    /// themselves.
    pub fn xml_equivalent(self) -> TemplateVersion {
        match self {
            Self::V1_6 => Self::Xml(1, 0),
            Self::V1_7 => Self::Xml(2, 0),
            Self::V1_7_2 => Self::Xml(2, 2),
            Self::V1_7_3 => Self::Xml(3, 0),
            Self::V1_8 => Self::Xml(4, 0),
            Self::V1_9 => Self::Xml(5, 0),
            v => v,
        }
    }
}

impl fmt::Display for TemplateVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::V1_6 => f.write_str("1.6"),
            Self::V1_7 => f.write_str("1.7"),
            Self::V1_7_2 => f.write_str("1.7.2"),
            Self::V1_7_3 => f.write_str("1.7.3"),
            Self::V1_8 => f.write_str("1.8"),
            Self::V1_9 => f.write_str("1.9"),
            Self::Xml(major, 0) => write!(f, "2.{major}"),
            Self::Xml(major, minor) => write!(f, "2.{major}.{minor}"),
        }
    }
}

impl FromStr for TemplateVersion {
    type Err = String;

    /// Parses `1.6`, `v1.7.3`, `1.6e2`, `1.7.3a`, or an XML version `2.3`, `2.2.2`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_start_matches(['v', 'V']);
        // Drop an edition suffix such as "e2" or "a" ("1.6e2", "1.7.3a").
        let core: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        Ok(match core.trim_end_matches('.') {
            "1.6" => Self::V1_6,
            "1.7" => Self::V1_7,
            "1.7.2" => Self::V1_7_2,
            "1.7.3" => Self::V1_7_3,
            "1.8" => Self::V1_8,
            "1.9" => Self::V1_9,
            other => {
                let parts: Vec<&str> = other.split('.').collect();
                match parts.as_slice() {
                    ["2", major] => Self::Xml(major.parse().map_err(|_| bad(s))?, 0),
                    ["2", major, minor] => Self::Xml(
                        major.parse().map_err(|_| bad(s))?,
                        minor.parse().map_err(|_| bad(s))?,
                    ),
                    _ => return Err(bad(s)),
                }
            }
        })
    }
}

fn bad(s: &str) -> String {
    format!(
        "unknown template version `{s}` (expected 1.6, 1.7, 1.7.2, 1.7.3, 1.8, 1.9 or an XML version 2.x)"
    )
}

/// Which dictionary of a version applies to a row: Movies, TV or (1.9) Bonus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetKind {
    /// Movies sheet (`Movies`, `Template-Movies`, the 1.8 `Template-Collections`):
    /// one row per movie, short or collection.
    Movies,
    /// TV sheet (`TV`, `Template-TV`): series, season, episode and volume rows.
    Tv,
    /// The 1.9 `Bonus` sheet: supplemental material, with the `Ref*`
    /// columns naming the avail it belongs to.
    Bonus,
}

impl SheetKind {
    /// Every kind, in the order a sheet's header is matched against them.
    pub const ALL: [SheetKind; 3] = [Self::Movies, Self::Tv, Self::Bonus];

    /// Lower-case name used in dictionary file names and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Movies => "movies",
            Self::Tv => "tv",
            Self::Bonus => "bonus",
        }
    }

    /// The kind named `s` in a dictionary's `sheet` (`movies`, `tv`, `bonus`).
    pub fn from_name(s: &str) -> Option<SheetKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The name used in messages (`Movies`, `TV`, `Bonus`).
    pub fn title(self) -> &'static str {
        match self {
            Self::Movies => "Movies",
            Self::Tv => "TV",
            Self::Bonus => "Bonus",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions_and_editions() {
        assert_eq!("1.6e2".parse(), Ok(TemplateVersion::V1_6));
        assert_eq!("v1.7.3a".parse(), Ok(TemplateVersion::V1_7_3));
        assert_eq!("2.2.2".parse(), Ok(TemplateVersion::Xml(2, 2)));
        assert_eq!(TemplateVersion::Xml(3, 0).to_string(), "2.3");
        assert!("1.5".parse::<TemplateVersion>().is_err());
    }

    #[test]
    fn xml_maps_to_sheet_versions() {
        assert_eq!(
            TemplateVersion::Xml(3, 0).sheet_equivalent(),
            TemplateVersion::V1_7_3
        );
        assert!(TemplateVersion::Xml(3, 0).at_least_1_7_3());
        for v in TemplateVersion::SPREADSHEET {
            assert_eq!(v.xml_equivalent().sheet_equivalent(), v);
        }
        assert!(!TemplateVersion::Xml(2, 2).at_least_1_7_3());
    }
}

//! Profiles and their settings; which rows are CPH rows.
//!
//! Defaults follow `cph-svod-rules.md`. Amazon's exact marker values are not
//! published ("Required inputs" tables lost), so every one is a setting.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use crate::model::zone::Zones;
use crate::model::{Avail, Field, SheetInfo, TemplateVersion};

/// Which rule set runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Profile {
    /// EMA data dictionary rules only.
    Ema,
    /// EMA plus Amazon CPH SVOD rules.
    #[default]
    CphSvod,
}

impl Profile {
    /// Name as on the command line (clap's name of the variant; a test
    /// holds them equal).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ema => "ema",
            Self::CphSvod => "cph-svod",
        }
    }
}

/// Where the CPH marker is looked for in one template family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Fields any of which may hold the marker.
    pub fields: Vec<Field>,
    /// The marker value (compared case-insensitively after trimming).
    pub value: String,
}

impl Marker {
    fn new(fields: &[Field], value: &str) -> Self {
        Marker {
            fields: fields.to_vec(),
            value: value.to_string(),
        }
    }

    /// The marker fields, `A or B`, for messages.
    pub fn field_names(&self) -> String {
        let names: Vec<&str> = self.fields.iter().map(|f| f.name()).collect();
        names.join(" or ")
    }

    /// `GroupIdentity = CPH` (or `A or B = CPH`), for messages.
    pub fn describe(&self) -> String {
        format!("{} = {}", self.field_names(), self.value)
    }

    /// The first of the marker's fields in which `row` carries the marker.
    pub fn found_in(&self, row: &Avail) -> Option<Field> {
        self.fields
            .iter()
            .copied()
            .find(|f| is_marker(row, *f, &self.value))
    }
}

/// Marker settings per template family (`markers` in availcheck.toml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markers {
    /// EMA 1.6 (default `LicenseRightsDescription = CPH`).
    pub v1_6: Marker,
    /// EMA 1.7.3 (default `GroupIdentity = CPH`).
    pub v1_7_3: Marker,
    /// Avails XML 2.1–2.2.x (default `LicenseRightsDescription = CPH`).
    pub xml_2_1: Marker,
    /// Avails XML 2.3+ (default GroupingEntity channel DisplayName, read as
    /// `GroupIdentity`, or `ContractID` = CPH).
    pub xml_2_3: Marker,
}

impl Default for Markers {
    fn default() -> Self {
        Markers {
            v1_6: Marker::new(&[Field::LicenseRightsDescription], "CPH"),
            v1_7_3: Marker::new(&[Field::GroupIdentity], "CPH"),
            xml_2_1: Marker::new(&[Field::LicenseRightsDescription], "CPH"),
            xml_2_3: Marker::new(&[Field::GroupIdentity, Field::ContractID], "CPH"),
        }
    }
}

impl Markers {
    /// The marker of a version; versions Amazon documents no CPH inputs for
    /// (1.7, 1.7.2, 1.8, 1.9) get `None`.
    pub fn for_version(&self, v: TemplateVersion) -> Option<&Marker> {
        match v {
            TemplateVersion::V1_6 => Some(&self.v1_6),
            TemplateVersion::V1_7_3 => Some(&self.v1_7_3),
            TemplateVersion::Xml(major, _) if major >= 3 => Some(&self.xml_2_3),
            TemplateVersion::Xml(..) => Some(&self.xml_2_1),
            _ => None,
        }
    }

    /// The marker of a family key of availcheck.toml (`1.6`, `1.7.3`,
    /// `xml-2.1`, `xml-2.3`) and the spreadsheet versions whose fields it may
    /// name (XML versions by their spreadsheet equivalents).
    pub fn family_mut(&mut self, key: &str) -> Option<(&mut Marker, &'static [TemplateVersion])> {
        use TemplateVersion::*;
        Some(match key {
            "1.6" => (&mut self.v1_6, &[V1_6]),
            "1.7.3" => (&mut self.v1_7_3, &[V1_7_3]),
            "xml-2.1" => (&mut self.xml_2_1, &[V1_6, V1_7, V1_7_2]),
            "xml-2.3" => (&mut self.xml_2_3, &[V1_7_3, V1_8, V1_9]),
            _ => return None,
        })
    }

    /// Every (field, value) pair any version uses, to spot a misplaced marker.
    pub fn all(&self) -> [&Marker; 4] {
        [&self.v1_6, &self.v1_7_3, &self.xml_2_1, &self.xml_2_3]
    }
}

/// The settings rules read (flags override availcheck.toml, which overrides defaults).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Active profile.
    pub profile: Profile,
    /// Partner alias (`--partner`); DisplayName must equal it when set.
    pub partner: Option<String>,
    /// Territories of the CPH agreement (`--territories`); `None` = not configured.
    pub territories: Option<BTreeSet<String>>,
    /// The check time (`--as-of`, default now).
    pub as_of: DateTime<Utc>,
    /// Where dates and date-times without offset are placed: each
    /// territory's eastern-most zone unless `time_zone` forces one.
    pub zones: Zones,
    /// Warn when a CPH Start is sooner than this after `as_of`.
    pub min_lead: Option<Duration>,
    /// CPH markers.
    pub markers: Markers,
    /// Most avail rows Amazon accepts in one file.
    pub max_rows: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            profile: Profile::default(),
            partner: None,
            territories: None,
            as_of: Utc::now(),
            zones: Zones::ByTerritory,
            min_lead: None,
            markers: Markers::default(),
            max_rows: 60_000,
        }
    }
}

/// What a row is under the CPH profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowClass {
    /// SVOD with the version's marker: checked as CPH.
    Cph,
    /// SVOD without any marker: a Licensed SVOD window.
    LicensedSvod,
    /// Carries a CPH marker, but not where this version wants it, or not on
    /// an SVOD row (reported by CPH001, not treated as licensed).
    MisplacedCph,
    /// Anything else.
    Other,
}

/// True when a cell of `field` holds the marker `value` (alone or among
/// comma-separated words, as in `CPH, DAB`).
fn is_marker(row: &Avail, field: Field, value: &str) -> bool {
    row.get_all(field).any(|c| {
        c.text
            .split(',')
            .any(|t| trim(t).eq_ignore_ascii_case(trim(value)))
    })
}

/// `s.trim()`, without decoding characters for the usual word that starts
/// and ends with a visible ASCII character (this runs for every row).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

impl Settings {
    /// Where the rows of `sheet` may carry a CPH marker, for
    /// [`RowClasses::classify`]: worked out once per sheet, not per row.
    pub fn row_classes<'a>(&'a self, sheet: &SheetInfo) -> RowClasses<'a> {
        let present = |m: &'a Marker| -> Vec<(Field, &'a str)> {
            let fields = m.fields.iter().copied();
            (fields.filter(|&f| sheet.column_of(f).is_some()))
                .map(|f| (f, m.value.as_str()))
                .collect()
        };
        let own = self.markers.for_version(sheet.version).map(present);
        let mut others: Vec<(Field, &'a str)> = Vec::new();
        for pair in self.markers.all().into_iter().flat_map(present) {
            // A marker of its own the row lacks is no other marker either.
            if !own.iter().flatten().chain(&others).any(|p| *p == pair) {
                others.push(pair);
            }
        }
        RowClasses { own, others }
    }
}

/// Where the rows of one sheet may carry a CPH marker ([`Settings::row_classes`]):
/// the marker fields the sheet has a column for, each with its value.
#[derive(Debug, Clone)]
pub struct RowClasses<'a> {
    /// The version's own marker; `None` when the version has none.
    own: Option<Vec<(Field, &'a str)>>,
    /// The other versions' markers (none of `own`'s).
    others: Vec<(Field, &'a str)>,
}

impl RowClasses<'_> {
    /// Classifies a row of the sheet per `cph-svod-rules.md` "Which rows
    /// are CPH rows"; `svod`: its LicenseType is `SVOD`.
    pub fn classify(&self, row: &Avail, svod: bool) -> RowClass {
        let found = |markers: &[(Field, &str)]| markers.iter().any(|&(f, v)| is_marker(row, f, v));
        let has_own = self.own.as_deref().is_some_and(found);
        // Only rows without their own marker need the wider search.
        let has_any = has_own || found(&self.others);
        match (svod, has_own, has_any) {
            (true, true, _) => RowClass::Cph,
            // 1.7/1.7.2/1.8/1.9 have no marker of their own: any marker makes it a CPH row (reported by CPH001).
            (true, false, true) if self.own.is_none() => RowClass::Cph,
            (_, _, true) => RowClass::MisplacedCph,
            (true, false, false) => RowClass::LicensedSvod,
            _ => RowClass::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "CPH",
            " CPH ",
            "\u{a0}CPH",
            "CPH\t",
            "é",
            " é ",
            "a b",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn profile_names_are_clap_names() {
        use clap::ValueEnum;
        for p in Profile::value_variants() {
            assert_eq!(p.to_possible_value().unwrap().get_name(), p.as_str());
        }
    }
}

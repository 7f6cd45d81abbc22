//! Settings of a check: the `check` flags, `availcheck.toml` (profile
//! settings a partner keeps with its deliveries) and how they combine.
//! Flags override the file; the file overrides built-in defaults. Every
//! value is checked here, and a bad one names its flag, or its file, line
//! and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use toml::Spanned;

use crate::model::time::parse_lead;
use crate::model::zone::Zones;
use crate::model::{Dictionary, Field, FieldSet, TemplateVersion};
use crate::rules::profile::{Marker, Markers, Profile, Settings};

/// Name of the config file looked for in the working directory.
pub const FILE_NAME: &str = "availcheck.toml";

/// The file's contents. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `ema` or `cph-svod`.
    pub profile: Option<Spanned<String>>,
    /// Prime Video partner alias.
    pub partner: Option<String>,
    /// Territories of the CPH agreement.
    pub territories: Option<Spanned<Vec<Spanned<String>>>>,
    /// Zone for dates and date-times without offset, for every territory:
    /// an IANA name, `UTC` or `+hh:mm` (default: each territory's own).
    pub time_zone: Option<Spanned<String>>,
    /// Minimum lead before a CPH Start (`14d`).
    pub min_lead: Option<Spanned<String>>,
    /// Licensed SVOD reference files (relative to the config file).
    #[serde(default)]
    pub licensed: Vec<PathBuf>,
    /// Previous deliveries, what Amazon already has (relative to the config file).
    #[serde(default)]
    pub previous: Vec<PathBuf>,
    /// Row limit per file (default 60000).
    pub max_rows: Option<usize>,
    /// CPH markers by template family: `1.6`, `1.7.3`, `xml-2.1`, `xml-2.3`.
    #[serde(default)]
    pub markers: BTreeMap<String, MarkerConfig>,
    /// Where the file was read from (not a key).
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// The file's text, to place errors found after parsing (not a key).
    #[serde(skip)]
    text: String,
}

/// One `[markers."1.7.3"]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerConfig {
    /// Field(s) that may hold the marker, with their place in the file.
    pub fields: Vec<Spanned<String>>,
    /// Marker value.
    pub value: String,
}

/// A setting that cannot be used: where it came from (a flag, or a place in
/// the config file) and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The config file cannot be read.
    #[error("{path}: cannot be read: {source}")]
    Io {
        /// File.
        path: String,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// Malformed TOML, an unknown key, or a bad value in the file.
    #[error("{path}:{line}:{col}: {message}")]
    File {
        /// File.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A bad command-line value.
    #[error("{flag}: {message}")]
    Flag {
        /// The flag, e.g. `--territories`.
        flag: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// The `check` flags that decide what is checked and how. Each overrides
/// its key in availcheck.toml, which overrides the default.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckFlags {
    /// Rule profile [default: cph-svod, or `profile` in availcheck.toml].
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,
    /// Use this template version instead of detecting it: 1.6, 1.7, 1.7.2,
    /// 1.7.3, 1.8, 1.9, or an Avails XML version 2.1 … 2.7 for XML inputs.
    #[arg(long, value_name = "VERSION")]
    pub template_version: Option<String>,
    /// Config file [default: ./availcheck.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Territories of your CPH agreement, comma-separated (e.g. US,GB,DE).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub territories: Option<Vec<String>>,
    /// Your Prime Video partner alias; DisplayName must equal it.
    #[arg(long, value_name = "ALIAS")]
    pub partner: Option<String>,
    /// Check time for forward-looking Starts: RFC 3339
    /// (2026-11-22T00:00:00Z) or a date (midnight UTC) [default: now].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Warn when a CPH Start is sooner than this after --as-of (e.g. 14d, 36h).
    #[arg(long, value_name = "DURATION")]
    pub min_lead: Option<String>,
    /// Licensed SVOD windows from another file (avails file, or CSV
    /// title_id,territory,start,end). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub licensed: Vec<PathBuf>,
    /// The previous delivery: what Amazon already has (any avails file).
    /// Unchanged live windows are then exempt from the forward-looking
    /// Start, and a Full Extract that drops a window is an error. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub previous: Vec<PathBuf>,
    /// Read dates and date-times without offset in ZONE for every territory:
    /// an IANA name (Europe/London), UTC, or +hh:mm [default: each
    /// territory's eastern-most zone, where Amazon publishes].
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub time_zone: Option<String>,
    /// Check only this sheet of a workbook, as an avails sheet whatever its
    /// header looks like. Repeatable.
    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,
}

/// Everything the flags and the config file decide.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Profile and rule settings.
    pub settings: Settings,
    /// `--template-version`, when given.
    pub template_version: Option<TemplateVersion>,
    /// `--sheet` names.
    pub sheets: Vec<String>,
    /// Licensed SVOD reference files: the config file's, then the flags'.
    pub licensed: Vec<PathBuf>,
    /// Previous deliveries: the config file's, then the flags'.
    pub previous: Vec<PathBuf>,
}

impl CheckFlags {
    /// Loads the config file the flags name (or ./availcheck.toml when
    /// present) and resolves the settings.
    pub fn resolve(&self) -> Result<Resolved, SettingsError> {
        let config = Config::load(self.config.as_deref())?;
        self.resolve_with(config.as_ref())
    }

    /// Resolves the settings: each flag over its key in `config`, over the
    /// default; every value checked.
    pub fn resolve_with(&self, config: Option<&Config>) -> Result<Resolved, SettingsError> {
        let empty = Config::default();
        let file = config.unwrap_or(&empty);
        let profile = match (self.profile, &file.profile) {
            (Some(p), _) => p,
            (None, None) => Profile::default(),
            (None, Some(name)) => <Profile as clap::ValueEnum>::from_str(name.get_ref(), false)
                .map_err(|_| {
                    file.error_at(
                        name.span().start,
                        format!("unknown profile `{}` (ema or cph-svod)", name.get_ref()),
                    )
                })?,
        };
        let mut s = Settings {
            profile,
            ..Settings::default()
        };
        s.partner = self.partner.clone().or_else(|| file.partner.clone());
        s.territories = match (&self.territories, &file.territories) {
            (Some(list), _) => Some(territories(list).map_err(|message| SettingsError::Flag {
                flag: "--territories",
                message,
            })?),
            (None, Some(list)) => {
                let mut out = BTreeSet::new();
                for t in list.get_ref() {
                    let one = territories(std::slice::from_ref(t.get_ref()))
                        .map_err(|m| file.error_at(t.span().start, format!("territories: {m}")))?;
                    out.extend(one);
                }
                if out.is_empty() {
                    return Err(file.error_at(
                        list.span().start,
                        format!("territories: {}", territories(&[]).unwrap_err()),
                    ));
                }
                Some(out)
            }
            (None, None) => None,
        };
        match (&self.time_zone, &file.time_zone) {
            (Some(zone), _) => {
                s.zones = Zones::parse(zone).ok_or_else(|| SettingsError::Flag {
                    flag: "--time-zone",
                    message: zone_help(zone),
                })?;
            }
            (None, Some(zone)) => {
                s.zones = Zones::parse(zone.get_ref()).ok_or_else(|| {
                    file.error_at(
                        zone.span().start,
                        format!("time_zone: {}", zone_help(zone.get_ref())),
                    )
                })?;
            }
            (None, None) => {}
        }
        if let Some(t) = &self.as_of {
            s.as_of = parse_as_of(t).ok_or_else(|| SettingsError::Flag {
                flag: "--as-of",
                message: format!(
                    "`{t}` is not a time; use RFC 3339 such as 2026-11-22T00:00:00Z, or a date such as 2026-11-22"
                ),
            })?;
        }
        match (&self.min_lead, &file.min_lead) {
            (Some(l), _) => {
                s.min_lead = Some(parse_lead(l).ok_or_else(|| SettingsError::Flag {
                    flag: "--min-lead",
                    message: lead_help(l),
                })?);
            }
            (None, Some(l)) => {
                s.min_lead = Some(parse_lead(l.get_ref()).ok_or_else(|| {
                    file.error_at(
                        l.span().start,
                        format!("min_lead: {}", lead_help(l.get_ref())),
                    )
                })?);
            }
            (None, None) => {}
        }
        if let Some(n) = file.max_rows {
            s.max_rows = n;
        }
        s.markers = file.markers()?;
        let template_version = self
            .template_version
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|message| SettingsError::Flag {
                flag: "--template-version",
                message,
            })?;
        let mut licensed = file.relative_paths(&file.licensed);
        licensed.extend(self.licensed.iter().cloned());
        let mut previous = file.relative_paths(&file.previous);
        previous.extend(self.previous.iter().cloned());
        Ok(Resolved {
            settings: s,
            template_version,
            sheets: self.sheets.clone(),
            licensed,
            previous,
        })
    }
}

/// The agreement's territories from a list of codes: trimmed, upper-cased
/// (`us` means US: the list is the user's, not file data), each an ISO
/// 3166-1 code other than ZZ, at least one.
fn territories(list: &[String]) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    for code in list {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() {
            continue;
        }
        if code == "ZZ" {
            return Err(
                "`ZZ` (worldwide) is never a CPH territory; list the countries of your agreement"
                    .into(),
            );
        }
        if crate::model::codes::territory_name(&code).is_none() {
            let hint = if code == "UK" {
                " (the United Kingdom is GB)"
            } else {
                ""
            };
            return Err(format!("`{code}` is not an ISO 3166-1 alpha-2 code{hint}"));
        }
        out.insert(code);
    }
    if out.is_empty() {
        return Err(
            "no territory given; list the territories of your CPH agreement, e.g. US,GB (is a variable unset?)"
                .into(),
        );
    }
    Ok(out)
}

/// `--as-of`: an RFC 3339 time, or a date meaning its midnight UTC.
fn parse_as_of(t: &str) -> Option<DateTime<Utc>> {
    let t = t.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()?;
    Utc.from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()
}

fn zone_help(zone: &str) -> String {
    format!(
        "`{zone}` is not a time zone; use an IANA name such as Europe/London, UTC, an offset such as +01:00, or `territory` (each territory's eastern-most zone, the default)"
    )
}

fn lead_help(lead: &str) -> String {
    format!("`{lead}` is not a duration; use a number and d, h, w or m (e.g. 14d)")
}

impl Config {
    /// Loads `explicit`, or `availcheck.toml` in the working directory if present.
    pub fn load(explicit: Option<&Path>) -> Result<Option<Config>, SettingsError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from(FILE_NAME);
                if !p.is_file() {
                    return Ok(None);
                }
                p
            }
        };
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| SettingsError::Io {
            path: shown.clone(),
            source,
        })?;
        let mut config = Self::parse(&text, &shown)?;
        config.path = Some(path);
        Ok(Some(config))
    }

    /// Parses TOML text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Config, SettingsError> {
        let mut config = toml::from_str::<Config>(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            SettingsError::File {
                path: path.to_string(),
                line,
                col,
                message: e.message().to_string(),
            }
        })?;
        config.text = text.to_string();
        config.path = Some(PathBuf::from(path));
        Ok(config)
    }

    /// An error at byte `offset` of the file.
    fn error_at(&self, offset: usize, message: String) -> SettingsError {
        let (line, col) = line_col(&self.text, offset);
        SettingsError::File {
            path: self.shown(),
            line,
            col,
            message,
        }
    }

    /// The markers with this file's overrides applied. Each marker field
    /// must be a field of the family's template versions.
    pub fn markers(&self) -> Result<Markers, SettingsError> {
        let mut m = Markers::default();
        for (key, v) in &self.markers {
            let Some((slot, versions)) = m.family_mut(key) else {
                return Err(self.error_at(
                    self.text.find(&format!("\"{key}\"")).unwrap_or(0),
                    format!(
                        "[markers.\"{key}\"]: unknown template family; use \"1.6\", \"1.7.3\", \"xml-2.1\" or \"xml-2.3\""
                    ),
                ));
            };
            let known: FieldSet = versions
                .iter()
                .flat_map(|v| Dictionary::fields_of(*v).iter().collect::<Vec<_>>())
                .collect();
            let mut fields = Vec::new();
            for name in &v.fields {
                match Field::from_header(name.get_ref()).filter(|f| known.contains(*f)) {
                    Some(f) => fields.push(f),
                    None => {
                        let names: Vec<&str> = known.iter().map(Field::name).collect();
                        let hint = match crate::rules::did_you_mean(name.get_ref(), names) {
                            Some(s) => format!("; did you mean `{s}`?"),
                            None => String::new(),
                        };
                        let family = versions
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(self.error_at(
                            name.span().start,
                            format!(
                                "[markers.\"{key}\"]: `{}` is not a field of EMA {family}{hint}",
                                name.get_ref()
                            ),
                        ));
                    }
                }
            }
            *slot = Marker {
                fields,
                value: v.value.clone(),
            };
        }
        Ok(m)
    }

    /// `paths` of this file, resolved against its folder.
    pub fn relative_paths(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        paths
            .iter()
            .map(|p| {
                if p.is_absolute() {
                    p.clone()
                } else {
                    base.join(p)
                }
            })
            .collect()
    }

    /// The file's path for messages.
    pub fn shown(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| FILE_NAME.to_string(), |p| p.display().to_string())
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> CheckFlags {
        CheckFlags::default()
    }

    fn file(text: &str) -> Config {
        Config::parse(text, "availcheck.toml").unwrap()
    }

    #[test]
    fn parses_and_locates_errors() {
        let c = file(
            "partner = \"acme\"\nterritories = [\"US\", \"GB\"]\n[markers.\"1.7.3\"]\nfields = [\"ContractID\"]\nvalue = \"CPH\"\n",
        );
        assert_eq!(c.partner.as_deref(), Some("acme"));
        assert_eq!(c.markers().unwrap().v1_7_3.fields, vec![Field::ContractID]);
        let e = Config::parse("partner = \"acme\"\nterritories = US\n", "t").unwrap_err();
        assert!(matches!(e, SettingsError::File { line: 2, .. }), "{e}");
        let e = Config::parse("partnr = \"acme\"\n", "t").unwrap_err();
        assert!(e.to_string().starts_with("t:1:1"), "{e}");
    }

    #[test]
    fn marker_fields_are_checked_against_their_versions() {
        let text = "[markers.\"1.7.3\"]\nfields = [\"GroupIdentiy\"]\nvalue = \"CPH\"\n";
        let e = file(text).markers().unwrap_err();
        assert_eq!(
            e.to_string(),
            "availcheck.toml:2:11: [markers.\"1.7.3\"]: `GroupIdentiy` is not a field of EMA 1.7.3; did you mean `GroupIdentity`?"
        );
        // GroupIdentity is no 1.6 field.
        let text = "[markers.\"1.6\"]\nfields = [\"GroupIdentity\"]\nvalue = \"CPH\"\n";
        let e = file(text).markers().unwrap_err();
        assert!(e.to_string().starts_with("availcheck.toml:2:11:"), "{e}");
        let text =
            "[markers.\"xml-2.3\"]\nfields = [\"ContractID\", \"GroupIdentity\"]\nvalue = \"x\"\n";
        let m = file(text).markers().unwrap();
        assert_eq!(m.xml_2_3.fields, [Field::ContractID, Field::GroupIdentity]);
        let e = file("[markers.\"2.0\"]\nfields = []\nvalue = \"x\"\n")
            .markers()
            .unwrap_err();
        assert!(e.to_string().starts_with("availcheck.toml:1:10:"), "{e}");
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let c = file(
            "profile = \"ema\"\npartner = \"acme\"\nterritories = [\"us\", \"GB\"]\ntime_zone = \"+01:00\"\nmin_lead = \"14d\"\nmax_rows = 10\n",
        );
        let r = flags().resolve_with(Some(&c)).unwrap();
        assert_eq!(r.settings.profile, Profile::Ema);
        assert_eq!(r.settings.partner.as_deref(), Some("acme"));
        let t: Vec<&str> = r
            .settings
            .territories
            .as_ref()
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(t, ["GB", "US"]);
        assert_eq!(r.settings.zones.to_string(), "UTC+01:00");
        assert_eq!(r.settings.min_lead, Some(chrono::Duration::days(14)));
        assert_eq!(r.settings.max_rows, 10);
        let f = CheckFlags {
            profile: Some(Profile::CphSvod),
            partner: Some("mgm".into()),
            territories: Some(vec!["de".into()]),
            time_zone: Some("UTC".into()),
            min_lead: Some("2d".into()),
            as_of: Some("2027-01-01".into()),
            template_version: Some("1.6".into()),
            ..flags()
        };
        let r = f.resolve_with(Some(&c)).unwrap();
        assert_eq!(r.settings.profile, Profile::CphSvod);
        assert_eq!(r.settings.partner.as_deref(), Some("mgm"));
        assert_eq!(
            r.settings.territories,
            Some(["DE".to_string()].into_iter().collect())
        );
        assert!(r.settings.zones.of("US").is_utc());
        assert_eq!(r.settings.min_lead, Some(chrono::Duration::days(2)));
        assert_eq!(r.settings.as_of.to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert_eq!(r.template_version, Some(TemplateVersion::V1_6));
        let r = flags().resolve_with(None).unwrap();
        assert_eq!(r.settings.profile, Profile::CphSvod);
        assert!(r.settings.territories.is_none());
    }

    #[test]
    fn bad_values_name_their_flag_or_place() {
        let bad = |f: CheckFlags| f.resolve_with(None).unwrap_err().to_string();
        let t = |v: &[&str]| CheckFlags {
            territories: Some(v.iter().map(|s| s.to_string()).collect()),
            ..flags()
        };
        assert_eq!(
            bad(t(&["UK"])),
            "--territories: `UK` is not an ISO 3166-1 alpha-2 code (the United Kingdom is GB)"
        );
        assert!(bad(t(&[""])).starts_with("--territories: no territory given"));
        assert!(bad(t(&["ZZ"])).starts_with("--territories: `ZZ` (worldwide) is never"));
        let e = bad(CheckFlags {
            as_of: Some("tomorrow".into()),
            ..flags()
        });
        assert!(e.starts_with("--as-of: `tomorrow` is not a time"), "{e}");
        let e = bad(CheckFlags {
            template_version: Some("2.x".into()),
            ..flags()
        });
        assert!(
            e.starts_with("--template-version: unknown template version"),
            "{e}"
        );
        let in_file = |text: &str| {
            flags()
                .resolve_with(Some(&file(text)))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            in_file("partner = \"acme\"\nterritories = [\"US\", \"UK\"]\n"),
            "availcheck.toml:2:22: territories: `UK` is not an ISO 3166-1 alpha-2 code (the United Kingdom is GB)"
        );
        assert!(
            in_file("territories = []\n")
                .starts_with("availcheck.toml:1:15: territories: no territory"),
        );
        assert!(
            in_file("profile = \"cph\"\n")
                .starts_with("availcheck.toml:1:11: unknown profile `cph`")
        );
        assert!(
            in_file("time_zone = \"Mars/Olympus\"\n")
                .starts_with("availcheck.toml:1:13: time_zone:")
        );
        assert!(
            in_file("min_lead = \"two weeks\"\n").starts_with("availcheck.toml:1:12: min_lead:")
        );
    }

    #[test]
    fn io_errors_keep_their_source() {
        let e = Config::load(Some(Path::new("/no/such/availcheck.toml"))).unwrap_err();
        let source = std::error::Error::source(&e).expect("the io::Error");
        assert!(source.downcast_ref::<std::io::Error>().is_some());
    }
}

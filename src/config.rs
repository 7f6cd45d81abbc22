//! `availcheck.toml`: profile settings a partner keeps with its deliveries.
//! Flags override the file; the file overrides built-in defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{Dictionary, Field, FieldSet};
use crate::rules::profile::{Marker, Markers};

/// Name of the config file looked for in the working directory.
pub const FILE_NAME: &str = "availcheck.toml";

/// The file's contents. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `ema` or `cph-svod`.
    pub profile: Option<String>,
    /// Prime Video partner alias.
    pub partner: Option<String>,
    /// Territories of the CPH agreement.
    pub territories: Option<Vec<String>>,
    /// Zone for date-times without offset: `UTC` or `+hh:mm`.
    pub time_zone: Option<String>,
    /// Minimum lead before a CPH Start (`14d`).
    pub min_lead: Option<String>,
    /// Licensed SVOD reference files (relative to the config file).
    #[serde(default)]
    pub licensed: Vec<PathBuf>,
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
    pub fields: Vec<toml::Spanned<String>>,
    /// Marker value.
    pub value: String,
}

/// A config file that cannot be used, with its position.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("{path}: cannot be read: {message}")]
    Io {
        /// File.
        path: String,
        /// OS message.
        message: String,
    },
    /// Malformed TOML or an unknown key.
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        /// File.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// A value of the right type but not usable.
    #[error("{path}: {message}")]
    Value {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Loads `explicit`, or `availcheck.toml` in the working directory if present.
    pub fn load(explicit: Option<&Path>) -> Result<Option<Config>, ConfigError> {
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
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Io {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let mut config = Self::parse(&text, &shown)?;
        config.path = Some(path);
        Ok(Some(config))
    }

    /// Parses TOML text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let mut config = toml::from_str::<Config>(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            ConfigError::Syntax {
                path: path.to_string(),
                line,
                col,
                message: e.message().to_string(),
            }
        })?;
        config.text = text.to_string();
        if config.path.is_none() {
            config.path = Some(PathBuf::from(path));
        }
        Ok(config)
    }

    /// An error at byte `offset` of the file.
    fn error_at(&self, offset: usize, message: String) -> ConfigError {
        let (line, col) = line_col(&self.text, offset);
        ConfigError::Syntax {
            path: self.shown(),
            line,
            col,
            message,
        }
    }

    /// The markers with this file's overrides applied. Each marker field
    /// must be a field of the family's template versions.
    pub fn markers(&self) -> Result<Markers, ConfigError> {
        let mut m = Markers::default();
        for (key, v) in &self.markers {
            let Some((slot, versions)) = m.family_mut(key) else {
                return Err(ConfigError::Value {
                    path: self.shown(),
                    message: format!(
                        "[markers.\"{key}\"]: unknown template family; use \"1.6\", \"1.7.3\", \"xml-2.1\" or \"xml-2.3\""
                    ),
                });
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

    /// Licensed files, resolved against the config file's folder.
    pub fn licensed_paths(&self) -> Vec<PathBuf> {
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        self.licensed
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
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_locates_errors() {
        let c = Config::parse("partner = \"acme\"\nterritories = [\"US\", \"GB\"]\n[markers.\"1.7.3\"]\nfields = [\"ContractID\"]\nvalue = \"CPH\"\n", "t").unwrap();
        assert_eq!(c.partner.as_deref(), Some("acme"));
        assert_eq!(c.markers().unwrap().v1_7_3.fields, vec![Field::ContractID]);
        let e = Config::parse("partner = \"acme\"\nterritories = US\n", "t").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 2, .. }), "{e}");
        let e = Config::parse("partnr = \"acme\"\n", "t").unwrap_err();
        assert!(e.to_string().starts_with("t:1:1"), "{e}");
    }

    #[test]
    fn marker_fields_are_checked_against_their_versions() {
        let text = "[markers.\"1.7.3\"]\nfields = [\"GroupIdentiy\"]\nvalue = \"CPH\"\n";
        let e = Config::parse(text, "availcheck.toml")
            .unwrap()
            .markers()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "availcheck.toml:2:11: [markers.\"1.7.3\"]: `GroupIdentiy` is not a field of EMA 1.7.3; did you mean `GroupIdentity`?"
        );
        // GroupIdentity is no 1.6 field.
        let text = "[markers.\"1.6\"]\nfields = [\"GroupIdentity\"]\nvalue = \"CPH\"\n";
        let e = Config::parse(text, "t").unwrap().markers().unwrap_err();
        assert!(e.to_string().starts_with("t:2:11:"), "{e}");
        let text =
            "[markers.\"xml-2.3\"]\nfields = [\"ContractID\", \"GroupIdentity\"]\nvalue = \"x\"\n";
        let m = Config::parse(text, "t").unwrap().markers().unwrap();
        assert_eq!(m.xml_2_3.fields, [Field::ContractID, Field::GroupIdentity]);
    }
}

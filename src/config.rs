//! `availcheck.toml`: profile settings a partner keeps with its deliveries.
//! Flags override the file; the file overrides built-in defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

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
}

/// One `[markers."1.7.3"]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerConfig {
    /// Field(s) that may hold the marker.
    pub fields: Vec<String>,
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
        toml::from_str::<Config>(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            ConfigError::Syntax {
                path: path.to_string(),
                line,
                col,
                message: e.message().to_string(),
            }
        })
    }

    /// The markers with this file's overrides applied.
    pub fn markers(&self) -> Result<Markers, ConfigError> {
        let mut m = Markers::default();
        for (key, v) in &self.markers {
            let marker = Marker {
                fields: v.fields.clone(),
                value: v.value.clone(),
            };
            match key.as_str() {
                "1.6" => m.v1_6 = marker,
                "1.7.3" => m.v1_7_3 = marker,
                "xml-2.1" => m.xml_2_1 = marker,
                "xml-2.3" => m.xml_2_3 = marker,
                other => {
                    return Err(ConfigError::Value {
                        path: self.shown(),
                        message: format!(
                            "[markers.\"{other}\"]: unknown template family; use \"1.6\", \"1.7.3\", \"xml-2.1\" or \"xml-2.3\""
                        ),
                    });
                }
            }
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
        assert_eq!(c.markers().unwrap().v1_7_3.fields, vec!["ContractID"]);
        let e = Config::parse("partner = \"acme\"\nterritories = US\n", "t").unwrap_err();
        assert!(matches!(e, ConfigError::Syntax { line: 2, .. }), "{e}");
        let e = Config::parse("partnr = \"acme\"\n", "t").unwrap_err();
        assert!(e.to_string().starts_with("t:1:1"), "{e}");
    }
}

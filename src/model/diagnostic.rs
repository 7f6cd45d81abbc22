//! Diagnostics: what every rule produces and every renderer formats.

use std::sync::Arc;

use serde::Serialize;

use super::location::Location;

/// `text` with invisible characters escaped: a message quotes values, and a
/// value's no-break space or zero-width character must show.
fn escaped(text: String) -> String {
    match super::value::escape_invisible(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(e) => e,
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: what availcheck decided or assumed.
    Info,
    /// Likely a problem; Amazon may accept it.
    Warning,
    /// Amazon or the EMA format rejects this.
    Error,
}

impl Severity {
    /// Lower-case name as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A second place a diagnostic refers to (e.g. the licensed row an overlap hits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What this place is.
    pub message: String,
    /// Where it is.
    pub location: Location,
}

/// The values of the row a diagnostic is about, so a report can show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowExcerpt {
    /// `(column letter, field, value)` of each non-empty cell, in column order.
    pub cells: Vec<(String, String, String)>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `EMA007`.
    pub code: &'static str,
    /// Severity after profile adjustments.
    pub severity: Severity,
    /// What is wrong, specific to this place.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where.
    pub location: Location,
    /// Other places involved.
    pub related: Vec<Related>,
    /// The offending row's values, for human output.
    #[serde(skip)]
    pub excerpt: Option<Arc<RowExcerpt>>,
    /// Sort key: (file index, sheet index, row, column index).
    #[serde(skip)]
    pub order: (usize, usize, u32, usize),
}

impl Diagnostic {
    /// A diagnostic at `location`; order defaults to the file start.
    pub fn new(
        code: &'static str,
        severity: Severity,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: escaped(message.into()),
            help: None,
            location,
            related: Vec::new(),
            excerpt: None,
            order: (0, 0, 0, 0),
        }
    }

    /// Adds the fix hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(escaped(help.into()));
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, message: impl Into<String>, location: Location) -> Self {
        self.related.push(Related {
            message: message.into(),
            location,
        });
        self
    }

    /// Sets the sort key.
    pub fn with_order(mut self, order: (usize, usize, u32, usize)) -> Self {
        self.order = order;
        self
    }
}

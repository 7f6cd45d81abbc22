//! Renderers: each formats a [`Report`]; none decides anything.

pub mod human;
pub mod json;

use std::io::Write;

use crate::Report;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// miette reports and a summary, for people.
    Human,
    /// One JSON document (schema `schemas/report.schema.json`).
    Json,
}

/// Options shared by renderers.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use colour (human only).
    pub color: bool,
    /// Profile name, for the summary.
    pub profile: &'static str,
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render(report, opts, out),
        Format::Json => json::render(report, opts, out),
    }
}

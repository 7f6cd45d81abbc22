//! Shared by the fuzz targets: read bytes with one reader, then run every rule.

use std::time::Duration;

use availcheck::read::{ReadError, ReadOutput};
use availcheck::rules::Settings;
use availcheck::{Loaded, check_loaded};

/// Checks what a reader produced with every rule (CPH profile, territories set).
pub fn check(result: Result<ReadOutput, ReadError>) {
    let mut settings = Settings::default();
    settings.territories = Some(["US".to_string(), "GB".to_string()].into_iter().collect());
    let loaded = vec![Loaded {
        path: "fuzz".into(),
        result,
        elapsed: Duration::ZERO,
        role: availcheck::Role::Checked,
    }];
    let report = check_loaded(&loaded, &settings);
    // Rendering must not panic either.
    let mut out = Vec::new();
    let opts = availcheck::report::RenderOptions::default();
    for format in [availcheck::report::Format::Json, availcheck::report::Format::Sarif] {
        out.clear();
        let _ = availcheck::report::render(&report, format, opts, &mut out);
    }
}

//! `--format jsonl`: one JSON object per diagnostic per line (the same shape
//! as an element of `diagnostics` in `--format json`), then one last line
//! `{"summary": {…}}` with the same object as the JSON report's `summary`.
//! Streams well into `jq -c`, log shippers and line-oriented tools.

use std::io::Write;

use serde::Serialize;

use super::RenderOptions;
use super::json;
use crate::Report;

#[derive(Serialize)]
struct Last {
    summary: json::Summary,
}

/// Writes one line per diagnostic (at most `--max-diagnostics`) and the summary line.
pub fn render(report: &Report, opts: RenderOptions, out: &mut dyn Write) -> std::io::Result<()> {
    for d in opts.shown(report).diagnostics {
        serde_json::to_writer(&mut *out, d)?;
        out.write_all(b"\n")?;
    }
    serde_json::to_writer(
        &mut *out,
        &Last {
            summary: json::summary(report, &opts),
        },
    )?;
    out.write_all(b"\n")
}

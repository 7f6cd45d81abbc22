//! Structure-aware ods: the input is content.xml's automatic styles and
//! spreadsheet body (see parts.rs), packed into a valid ods package (mimetype
//! first, stored), then read like any file and checked with every rule.
#![no_main]

#[path = "common.rs"]
mod common;
#[path = "parts.rs"]
mod parts;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(&parts::ods(data), common::Reader::Sniffed);
});

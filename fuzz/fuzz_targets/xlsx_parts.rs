//! Structure-aware xlsx: the input is the parts of a workbook (sheet XML,
//! shared strings, number formats, cell formats, sheet names, dimension; see
//! parts.rs), packed into a valid xlsx package, then read like any file and
//! checked with every rule.
#![no_main]

#[path = "common.rs"]
mod common;
#[path = "parts.rs"]
mod parts;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(&parts::xlsx(data), common::Reader::Sniffed);
});

//! Bytes through the CSV reader, then every rule.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(data, common::Reader::Csv);
});

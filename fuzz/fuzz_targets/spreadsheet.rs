//! Any bytes through format sniffing and the matching reader (xlsx, xls, xlsb, ods, csv, xml), then every rule.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(data, common::Reader::Sniffed);
});

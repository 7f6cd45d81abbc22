//! Bytes through the Avails XML reader, then every rule.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(data, common::Reader::Xml);
});

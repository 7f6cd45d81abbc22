//! Bytes through the Avails XML reader, then every rule.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = availcheck::read::ReadOptions::default();
    common::check(availcheck::read::xml::read(data, "fuzz", 0, &opts));
});

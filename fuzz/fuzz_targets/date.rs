//! `cargo +nightly fuzz run date`: the date parsers must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = tintuc::extract::parse_date(s);
        let _ = tintuc::extract::html::dates::parse_machine(s);
        let _ = tintuc::extract::html::dates::find_visible(s, true);
        let _ = tintuc::extract::html::dates::from_url(s);
    }
});

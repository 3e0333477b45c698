//! `cargo +nightly fuzz run html`: the HTML extractor must never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses whether a URL and a Content-Type are given.
    let (flags, page) = data.split_first().map_or((0, data), |(f, rest)| (*f, rest));
    let url = (flags & 1 != 0).then_some("https://vnexpress.net/2026/03/07/bai-viet-20260307080054340.htm");
    let ct = (flags & 2 != 0).then_some("text/html; charset=windows-1258");
    if let Ok(a) = tintuc::extract::html::extract(page, url, ct) {
        assert!(!a.id.is_empty());
    }
});

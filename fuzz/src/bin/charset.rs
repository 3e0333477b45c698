//! The charset/encoding detector: `analysis::encoding::decode` (with and without a
//! label hint), `charset_label`, and the crawler's `fetch::charset::to_utf8`.
use honggfuzz::fuzz;

const HINTS: [&str; 6] = ["windows-1258", "utf-8", "utf-16le", "tcvn3", "vni", "bogus"];

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let (f, bytes) = tintuc_fuzz::flags(data);
            let hint = (f & 8 != 0).then(|| HINTS[usize::from(f & 7) % HINTS.len()]);
            let d = tintuc::analysis::encoding::decode(bytes, hint);
            assert!(!d.encoding.is_empty());
            let _ = tintuc::analysis::encoding::charset_label(bytes);
            let ct = (f & 16 != 0).then_some("text/html; charset=windows-1258");
            let _ = tintuc::fetch::charset::to_utf8(bytes, ct);
            let _ = tintuc::fetch::charset::meta_charset(bytes);
        });
    }
}

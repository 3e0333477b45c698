//! The text-dump reader: bytes decoded as `read_inputs` does, then `extract::text::parse_text`.
use honggfuzz::fuzz;

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let decoded = tintuc::analysis::encoding::decode(data, None);
            let a = tintuc::extract::text::parse_text(&decoded.text);
            let _ = tintuc::extract::guess_language(&a);
        });
    }
}

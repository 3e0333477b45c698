//! The JSON Lines reader (`extract::jsonl::JsonlReader`) over any bytes, with a small
//! line limit so the too-long path is reached too.
use honggfuzz::fuzz;
use std::io::Cursor;

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let (f, bytes) = tintuc_fuzz::flags(data);
            let max_line = if f & 1 != 0 { 64 } else { 1 << 20 };
            let reader = tintuc::extract::jsonl::JsonlReader::new(Cursor::new(bytes), "fuzz", max_line);
            for item in reader.take(10_000) {
                if let Ok(r) = item {
                    assert!(!r.article.id.is_empty(), "a read article has an id");
                }
            }
            let _ = tintuc::extract::jsonl::parse_article(bytes);
        });
    }
}

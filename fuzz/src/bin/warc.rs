//! The WARC reader (`extract::warc::WarcArticles`, through `WarcRecordReader` and the
//! HTTP response parser, then the HTML extractor) over any bytes.
use honggfuzz::fuzz;
use std::io::Cursor;

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let (f, bytes) = tintuc_fuzz::flags(data);
            let max_body = if f & 1 != 0 { 256 } else { 1 << 20 };
            let articles = tintuc::extract::warc::WarcArticles::new(Cursor::new(bytes), "fuzz", max_body);
            for item in articles.take(10_000) {
                let _ = item;
            }
            let _ = tintuc::extract::warc::parse_http_response(bytes, max_body);
        });
    }
}

//! The HTML extractor (`extract::html::extract_page`) on any bytes, with or without a
//! URL and a Content-Type: it returns an article or an error, never panics.
use honggfuzz::fuzz;

const URLS: [&str; 4] = [
    "https://vnexpress.net/2026/03/07/bai-viet-20260307080054340.htm",
    "https://baomientay.vn/tin-tuc/sat-lo-song-tien-a1234.html",
    "http://example.vn/",
    "https://xn--bo-mi-pta.vn/2013/06/16/%E1%BA%A1.html?id=1#x",
];
const TYPES: [&str; 4] = [
    "text/html; charset=windows-1258",
    "text/html; charset=utf-8",
    "text/html",
    "application/xhtml+xml; charset=\"x-bogus\"",
];

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let (f, page) = tintuc_fuzz::flags(data);
            let url = (f & 4 != 0).then(|| URLS[usize::from(f & 3)]);
            let ct = (f & 32 != 0).then(|| TYPES[usize::from((f >> 3) & 3)]);
            if let Ok(e) = tintuc::extract::html::extract_page(page, url, ct) {
                assert!(!e.article.id.is_empty(), "an extracted article has an id");
            }
        });
    }
}

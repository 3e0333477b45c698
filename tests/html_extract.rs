//! The HTML extractor end to end on a fixture page, and on bad input.

use proptest::prelude::*;
use tintuc::article::format_date;
use tintuc::extract::html::{ExtractError, MAX_PAGE_BYTES, extract, extract_page};

const FIXTURE: &[u8] = include_bytes!("fixtures/html_article_vi.html");
const URL: &str =
    "https://nongthon.vn/kinh-te/nong-dan-trung-mua-lua-20130616200900123.htm?utm_source=x";

#[test]
fn vietnamese_fixture_every_field() {
    let e = extract_page(FIXTURE, Some(URL), Some("text/html; charset=utf-8")).expect("an article");
    let a = &e.article;
    assert_eq!(a.title.as_deref(), Some("Nông dân trúng mùa lúa & giá cao"));
    assert_eq!(
        a.lead.as_deref(),
        Some(
            "Vụ đông xuân năm nay, nông dân đồng bằng sông Cửu Long vừa trúng mùa vừa được giá, lãi cao nhất trong nhiều năm."
        )
    );
    let lines: Vec<&str> = a.body.lines().collect();
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines[0].starts_with("Theo Sở Nông nghiệp"));
    assert_eq!(lines[2], "Lo khâu bảo quản");
    assert!(lines[4].starts_with("Ngành nông nghiệp"));
    for noise in [
        "Trang chủ",
        "Chia sẻ",
        "Giá lúa tăng mạnh",
        "Bạn đọc A",
        "Đọc nhiều",
        "Giấy phép",
        "Ảnh: NGUYỄN HUY",
    ] {
        assert!(!a.body.contains(noise), "body contains {noise:?}");
    }
    assert_eq!(a.author.as_deref(), Some("Nguyễn Huy"));
    assert_eq!(
        a.date.map(format_date).as_deref(),
        Some("2013-06-16T20:09:00+07:00")
    );
    assert_eq!(
        e.page_date.map(|d| d.to_iso()).as_deref(),
        Some("2013-06-16T20:09:00")
    );
    assert_eq!(a.category.as_deref(), Some("Kinh tế"));
    assert_eq!(a.language.as_deref(), Some("vi"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://nongthon.vn/kinh-te/nong-dan-trung-mua-lua-20130616200900123.htm")
    );
    assert_eq!(
        a.id,
        "https://nongthon.vn/kinh-te/nong-dan-trung-mua-lua-20130616200900123.htm"
    );
    assert_eq!(a.source.as_deref(), Some("nongthon.vn"));
}

#[test]
fn gzipped_page_is_read() {
    use std::io::Write;
    let mut gz = Vec::new();
    let mut w = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::fast());
    w.write_all(FIXTURE).unwrap();
    w.finish().unwrap();
    let a = extract(&gz, None, None).expect("gzip is decompressed");
    assert!(a.body.contains("Theo Sở Nông nghiệp"));
}

#[test]
fn publication_date_beats_modified_and_related_dates() {
    let page = r#"<html><head><meta property="article:modified_time" content="2020-01-05T10:00:00+07:00"></head><body>
        <ul class="related"><li><a href="/x">Bài cũ <span class="time">01/01/2019</span></a></li></ul>
        <article><h1>Tiêu đề</h1><div class="date">Cập nhật: 07/03/2026 08:06</div>
        <div class="post-date">Đăng lúc 06/03/2026 20:15</div>
        <p>Đây là một đoạn văn dài của bài báo, có đủ chữ để được xem là nội dung chính của trang.</p>
        <p>Một đoạn văn dài khác của bài báo, cũng có đủ chữ để được xem là nội dung chính.</p></article></body></html>"#;
    let a = extract(page.as_bytes(), None, None).unwrap();
    assert_eq!(
        a.date.map(format_date).as_deref(),
        Some("2026-03-06T20:15:00+07:00")
    );
}

#[test]
fn bad_inputs_give_clear_errors() {
    assert!(matches!(
        extract(b"", None, None),
        Err(ExtractError::NoArticle)
    ));
    assert!(matches!(
        extract(b"   \n ", None, None),
        Err(ExtractError::NoArticle)
    ));
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    assert!(matches!(
        extract(&binary, None, None),
        Err(ExtractError::NotHtml(_))
    ));
    let truncated_gz = [0x1f, 0x8b, 0x08, 0x00, 0x00];
    assert!(matches!(
        extract(&truncated_gz, None, None),
        Err(ExtractError::Gzip(_))
    ));
    let no_article = b"<html><body><nav><a href=/>Home</a><a href=/b>Blog</a></nav></body></html>";
    assert!(matches!(
        extract(no_article, None, None),
        Err(ExtractError::NoArticle)
    ));
    // A 50 MB page is refused before any parsing.
    let huge = vec![b'a'; 50 * 1024 * 1024];
    let err = extract(&huge, None, None).unwrap_err();
    assert!(
        matches!(err, ExtractError::TooLarge { size, limit } if size == huge.len() && limit == MAX_PAGE_BYTES)
    );
    assert!(err.to_string().contains("too large"));
    // Truncated HTML still yields what is there.
    let cut = &FIXTURE[..FIXTURE.len() * 2 / 3];
    let a = extract(cut, None, None).expect("a truncated page still has text");
    assert!(a.body.contains("Theo Sở Nông nghiệp"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = extract(&bytes, None, None);
    }

    #[test]
    fn damaged_pages_never_panic(cut in 0usize..FIXTURE.len(), junk in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut page = FIXTURE[..cut].to_vec();
        page.extend_from_slice(&junk);
        page.extend_from_slice(&FIXTURE[cut..]);
        let _ = extract(&page, Some("not a url"), Some("text/html; charset=bogus"));
    }
}

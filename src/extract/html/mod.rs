//! HTML pages → [`Article`]: charset, main text, lead, title, author, date, category,
//! language and canonical URL.
//!
//! ```
//! let page = r#"<html lang="vi"><head><title>Giá vàng giảm - Báo X</title>
//!   <meta property="article:published_time" content="2026-03-07T08:07:18+07:00"></head>
//!   <body><nav><a href="/">Trang chủ</a> <a href="/kd">Kinh doanh</a></nav>
//!   <article><h1>Giá vàng giảm</h1>
//!   <p>Sáng 7/3, giá vàng miếng SJC giảm mạnh, nhưng vẫn cao hơn giá thế giới gần 20 triệu đồng mỗi lượng.</p>
//!   <p>Các doanh nghiệp cho biết lượng khách mua vào giảm so với tuần trước, trong khi người bán tăng lên.</p>
//!   </article></body></html>"#;
//! let a = tintuc::extract::html::extract(page.as_bytes(), Some("https://baox.vn/gia-vang.htm"), None).unwrap();
//! assert_eq!(a.title.as_deref(), Some("Giá vàng giảm"));
//! assert!(a.body.starts_with("Sáng 7/3") && !a.body.contains("Trang chủ"));
//! assert_eq!(a.body.lines().count(), 2);
//! assert_eq!(a.language.as_deref(), Some("vi"));
//! assert_eq!(tintuc::article::format_date(a.date.unwrap()), "2026-03-07T08:07:18+07:00");
//! ```
//!
//! Submodules: [`charset`] (bytes → text), `dom` (compact tree), `hints` (class/id
//! words), `content` (main text), `metadata` (title, author, date, category,
//! language), [`dates`] (date forms).

pub mod charset;
mod content;
pub mod dates;
mod depth;
mod dom;
mod hints;
mod metadata;
mod pubdate;
mod strip;

pub use dates::PageDate;

use crate::article::Article;

/// Largest page accepted (after gzip decompression): 32 MiB. Larger pages are
/// refused with [`ExtractError::TooLarge`]; within the limit work and memory are
/// linear in the page size.
pub const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The page has no article text (a listing, login or empty page).
    #[error("no article text found in the page")]
    NoArticle,
    /// The page is larger than [`MAX_PAGE_BYTES`].
    #[error("page too large: {size} bytes (limit {limit})")]
    TooLarge { size: usize, limit: usize },
    /// The bytes are not an HTML or text page (binary data).
    #[error("not an HTML page: {0}")]
    NotHtml(&'static str),
    /// A gzipped page that could not be decompressed.
    #[error("broken gzip data: {0}")]
    Gzip(String),
}

/// Everything extracted from a page: the [`Article`] plus details the article type
/// does not keep.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub article: Article,
    /// The publication date as the page wrote it (civil date, time and offset).
    pub page_date: Option<PageDate>,
    /// The authors, one name each (`article.author` joins them with `, `).
    pub authors: Vec<String>,
    /// The encoding the page was decoded with.
    pub encoding: &'static str,
}

/// Extracts the article from an HTML page; `url` is where it came from and
/// `content_type` the HTTP header (for the charset), when known.
pub fn extract(
    bytes: &[u8],
    url: Option<&str>,
    content_type: Option<&str>,
) -> Result<Article, ExtractError> {
    extract_page(bytes, url, content_type).map(|e| e.article)
}

/// Like [`extract`], with the page's own date form and the author list.
pub fn extract_page(
    bytes: &[u8],
    url: Option<&str>,
    content_type: Option<&str>,
) -> Result<Extraction, ExtractError> {
    let too_large = |size| ExtractError::TooLarge {
        size,
        limit: MAX_PAGE_BYTES,
    };
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(too_large(bytes.len()));
    }
    let unzipped;
    let bytes = if charset::is_gzip(bytes) {
        unzipped = charset::gunzip(bytes, MAX_PAGE_BYTES).map_err(ExtractError::Gzip)?;
        if unzipped.len() > MAX_PAGE_BYTES {
            return Err(too_large(unzipped.len()));
        }
        &unzipped[..]
    } else {
        bytes
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::NoArticle);
    }
    if charset::looks_binary(bytes) {
        return Err(ExtractError::NotHtml("binary data"));
    }
    let hint = content_type
        .and_then(charset::from_content_type)
        .or_else(|| charset::from_markup(bytes));
    let decoded = crate::analysis::encoding::decode(bytes, hint.as_deref());
    let stripped = strip::strip_raw_text(&decoded.text);
    let doc = scraper::Html::parse_document(&depth::cap_depth(&stripped));
    let mut dom = dom::Dom::build(&doc);
    drop(doc);

    let ld = metadata::JsonLd::read(&dom.head.json_ld);
    let site = metadata::meta(&dom, &["og:site_name", "application-name"])
        .map(str::to_string)
        .or_else(|| ld.site_name.clone());
    let title = metadata::title(&dom, &ld, site.as_deref());
    let mut content = content::extract(&mut dom, title.as_deref());
    if content.lead.is_none()
        && let Some(desc) = metadata::meta(&dom, &["description", "og:description"])
    {
        content::lead_from_description(&dom, &mut content, desc);
    }
    if content.paragraphs.is_empty() && content.lead.is_none() {
        return Err(ExtractError::NoArticle);
    }
    let language = metadata::language(&dom, &ld);
    let page_date = pubdate::date(
        &dom,
        &ld,
        &content,
        url,
        pubdate::date_language(
            dom.head.lang.as_deref(),
            metadata::meta(&dom, &["og:locale"]),
        ),
        title.as_deref(),
        &decoded.text,
    );
    let host_name = url.and_then(host);
    let byline = metadata::authors(&dom, &ld, &content, site.as_deref(), host_name.as_deref());
    let category = metadata::category(&dom, &ld, title.as_deref());
    let canonical = canonical_url(dom.head.canonical.as_deref(), url);
    let page_url = canonical.or_else(|| url.map(str::to_string));
    let source = page_url.as_deref().and_then(host);
    // A Vietnamese page (a UTC stamp is then shown at UTC+7): its language, else its
    // address or letters only Vietnamese uses in its title.
    let vietnamese = language.as_deref().map_or_else(
        || {
            host_name.as_deref().is_some_and(|h| h.ends_with(".vn"))
                || article_title_is_vietnamese(title.as_deref())
        },
        |l| l.eq_ignore_ascii_case("vi"),
    );
    let mut article = Article {
        url: page_url,
        source,
        title,
        lead: content.lead.clone(),
        body: content.paragraphs.join("\n"),
        author: byline.joined(),
        authors: byline.authors.clone(),
        credit: byline.credit.clone(),
        category,
        date: page_date.and_then(|d| d.pub_date(vietnamese)),
        language,
        ..Default::default()
    };
    article.ensure_id();
    Ok(Extraction {
        article,
        page_date,
        authors: byline.authors,
        encoding: decoded.encoding,
    })
}

/// Letters of Vietnamese that no other Latin-script language of the news uses.
fn article_title_is_vietnamese(title: Option<&str>) -> bool {
    title.is_some_and(|t| {
        t.chars()
            .filter(|c| {
                "ăắằẳẵặơớờởỡợưứừửữựđạảẹẻẽệịỉọỏộụủỳỷỹỵ"
                    .contains(c.to_lowercase().next().unwrap_or(*c))
            })
            .count()
            >= 2
    })
}

/// For debugging the content pass: the best-scoring blocks of a page, one line each.
#[doc(hidden)]
pub fn explain_content(bytes: &[u8], find: Option<&str>) -> Vec<String> {
    let hint = charset::from_markup(bytes);
    let decoded = crate::analysis::encoding::decode(bytes, hint.as_deref());
    let stripped = strip::strip_raw_text(&decoded.text);
    let doc = scraper::Html::parse_document(&depth::cap_depth(&stripped));
    let mut dom = dom::Dom::build(&doc);
    content::explain(&mut dom, find)
}

/// For debugging the content pass: the page's whole text and its chosen container's text.
#[doc(hidden)]
pub fn explain_texts(bytes: &[u8]) -> (String, String) {
    let hint = charset::from_markup(bytes);
    let decoded = crate::analysis::encoding::decode(bytes, hint.as_deref());
    let stripped = strip::strip_raw_text(&decoded.text);
    let doc = scraper::Html::parse_document(&depth::cap_depth(&stripped));
    let mut dom = dom::Dom::build(&doc);
    let c = content::extract(&mut dom, None);
    (dom.subtree_text(0), dom.subtree_text(c.container))
}

/// The canonical URL, resolved against the page URL; ignored when it points to
/// another site or to a site's front page while the page is deeper.
fn canonical_url(canonical: Option<&str>, page: Option<&str>) -> Option<String> {
    let c = canonical?.trim();
    if c.is_empty() {
        return None;
    }
    let base = page.and_then(|p| url::Url::parse(p).ok());
    let resolved = match &base {
        Some(b) => b.join(c).ok()?,
        None => url::Url::parse(c).ok()?,
    };
    if !matches!(resolved.scheme(), "http" | "https") {
        return None;
    }
    if let Some(b) = &base {
        let strip = |h: &str| h.trim_start_matches("www.").to_string();
        if b.host_str().map(strip) != resolved.host_str().map(strip) {
            return None;
        }
        if resolved.path() == "/" && b.path() != "/" {
            return None;
        }
    }
    Some(resolved.to_string())
}

/// The site of a URL without `www.` (`https://www.vnexpress.net/x` → `vnexpress.net`).
fn host(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u).ok()?;
    let h = parsed.host_str()?;
    Some(h.trim_start_matches("www.").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_is_resolved_and_checked() {
        let page = Some("https://www.a.vn/x/bai-1.htm?utm=1");
        assert_eq!(
            canonical_url(Some("/x/bai-1.htm"), page).as_deref(),
            Some("https://www.a.vn/x/bai-1.htm")
        );
        assert_eq!(canonical_url(Some("https://other.vn/x"), page), None);
        assert_eq!(canonical_url(Some("https://a.vn/"), page), None);
        assert_eq!(canonical_url(Some("javascript:void(0)"), page), None);
        assert_eq!(
            host("https://www.vnexpress.net/a").as_deref(),
            Some("vnexpress.net")
        );
    }

    #[test]
    fn bad_input_gives_errors_not_panics() {
        assert!(matches!(
            extract(b"", None, None),
            Err(ExtractError::NoArticle)
        ));
        assert!(matches!(
            extract(b"\x00\x01\x02\x03binary", None, None),
            Err(ExtractError::NotHtml(_))
        ));
        assert!(matches!(
            extract(b"\x1f\x8b\x08\x00trunc", None, None),
            Err(ExtractError::Gzip(_))
        ));
        assert!(matches!(
            extract(b"<html><body><a href=/>Home</a></body></html>", None, None),
            Err(ExtractError::NoArticle)
        ));
        let big = vec![b' '; MAX_PAGE_BYTES + 1];
        assert!(matches!(
            extract(&big, None, None),
            Err(ExtractError::TooLarge { .. })
        ));
        // Invalid UTF-8 and truncated markup still give an article.
        let mut page = b"<html><body><div><p>".to_vec();
        let sentence = "Một đoạn văn đủ dài để là nội dung của bài báo, có dấu câu và nhiều chữ. ";
        for i in 0..4 {
            page.extend_from_slice(sentence.as_bytes());
            if i == 1 {
                page.push(0xff); // one invalid byte in a UTF-8 page
            }
        }
        let a = extract(&page, None, None).unwrap();
        assert!(a.body.contains("Một đoạn văn"), "{:?} {:?}", a.body, a.lead);
    }

    #[test]
    fn a_shown_description_is_the_lead() {
        let para = "Một đoạn văn đủ dài để là nội dung của bài báo, có dấu câu và nhiều chữ. ";
        let desc =
            "Giá xăng dầu tăng lần thứ ba liên tiếp trong tháng, theo quyết định của liên bộ.";
        let body = format!("<p>{}</p><p>{}</p>", para.repeat(3), para.repeat(2));
        // Shown under the headline in an unmarked block: it is the lead.
        let page = format!(
            "<html><head><meta name=description content='{desc}'></head><body>\
             <h1>Tiêu đề</h1><div class=x>\n  {desc}\n</div><article>{body}</article></body></html>"
        );
        let a = extract(page.as_bytes(), None, None).unwrap();
        assert_eq!(a.lead.as_deref(), Some(desc));
        assert!(!a.body.contains("Giá xăng"), "{}", a.body);
        // In the page header, outside the article container.
        let page = format!(
            "<html><head><meta name=description content='{desc}'></head><body>\
             <nav><a href=/>Trang chủ</a></nav><main><header><h1>Tiêu đề</h1>\
             <div class=x-3>{desc}</div><div class=byline>Tác giả</div></header>\
             <div class=article-body>{body}</div></main></body></html>"
        );
        let a = extract(page.as_bytes(), None, None).unwrap();
        assert_eq!(a.lead.as_deref(), Some(desc));
        assert!(!a.body.contains("Giá xăng"), "{}", a.body);
        // Only in the head: not part of the article.
        let page = format!(
            "<html><head><meta name=description content='{desc}'></head><body>\
             <h1>Tiêu đề</h1><article>{body}</article></body></html>"
        );
        let a = extract(page.as_bytes(), None, None).unwrap();
        assert_eq!(a.lead, None);
    }

    #[test]
    fn a_page_of_captions_keeps_them_rather_than_losing_the_article() {
        let cap = "Warning: Use of undefined constant comments, assumed to be a string, in /var/www/wp-content/plugins/recent.php on line 928";
        let page = format!(
            "<html><head><title>Bài viết</title><meta property='article:published_time' content='2015-08-03T10:00:00+02:00'></head>\
             <body><article><p>{cap}</p><p>{cap}</p><p>{cap}</p></article></body></html>"
        );
        let a = extract(page.as_bytes(), None, None).unwrap();
        assert!(a.body.contains("on line 928"), "{:?}", a.body);
        assert!(a.date.is_some());
    }
}

//! HTML pages → [`Article`]. (Skeleton: `<title>` and all text; the extraction work replaces it.)

use crate::article::Article;

/// Why a page gave no article.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no article text found")]
    NoArticle,
}

/// Extracts the article from an HTML page; `url` is where it came from and
/// `content_type` the HTTP header (for the charset), when known.
pub fn extract(
    bytes: &[u8],
    url: Option<&str>,
    content_type: Option<&str>,
) -> Result<Article, ExtractError> {
    let _ = content_type;
    let text = crate::analysis::encoding::decode(bytes, None).text;
    let doc = scraper::Html::parse_document(&text);
    let sel = scraper::Selector::parse("title").expect("static selector");
    let title = doc
        .select(&sel)
        .next()
        .map(|t| t.text().collect::<String>());
    let body_sel = scraper::Selector::parse("p").expect("static selector");
    let body: Vec<String> = doc
        .select(&body_sel)
        .map(|p| p.text().collect::<String>())
        .filter(|t| !t.trim().is_empty())
        .collect();
    if body.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    let mut a = Article {
        url: url.map(str::to_string),
        title,
        body: body.join("\n"),
        ..Default::default()
    };
    a.ensure_id();
    Ok(a)
}

//! Discovery: turning feeds, sitemaps, URL lists and listing pages into the
//! article URLs to fetch ([`Candidate`]s, with the date the source gives, if any).
//!
//! The parsers here are pure (bytes in, candidates out); the crawler fetches the
//! documents and decides what to do with what they list.

pub mod feed;
pub mod links;
pub mod sitemap;

use jiff::Timestamp;
use url::Url;

use super::FetchError;

/// An article URL found by discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub url: Url,
    /// The date the feed or sitemap gives (publication, else last change).
    pub date: Option<Timestamp>,
}

impl Candidate {
    /// A candidate without a date.
    pub fn new(url: Url) -> Candidate {
        Candidate { url, date: None }
    }

    /// True when the source dates it before `since` (undated candidates are kept).
    pub fn older_than(&self, since: Option<Timestamp>) -> bool {
        matches!((self.date, since), (Some(d), Some(s)) if d < s)
    }
}

/// Normalizes a found URL for fetching and deduplication: only http(s), no `#fragment`.
pub fn clean_url(mut url: Url) -> Option<Url> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// Parses a URL list (one URL a line; blank lines and `#` comments skipped). Each
/// bad line is an error naming `path` and the line; the others are kept.
pub fn url_list(text: &str, path: &str) -> Vec<Result<Candidate, FetchError>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(n, l)| {
            let t = l.trim();
            match Url::parse(t) {
                Ok(u) => clean_url(u)
                    .map(Candidate::new)
                    .ok_or_else(|| FetchError::Line {
                        path: path.to_string(),
                        line: n as u64 + 1,
                        message: format!("{t}: only http and https URLs are fetched"),
                    }),
                Err(e) => Err(FetchError::Line {
                    path: path.to_string(),
                    line: n as u64 + 1,
                    message: format!("{t}: not a valid URL ({e})"),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_list_reports_bad_lines() {
        let text = "# comment\nhttps://a.vn/x#frag\n\nftp://b\nnope\n http://c.vn/y \n";
        let got = url_list(text, "urls.txt");
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].as_ref().unwrap().url.as_str(), "https://a.vn/x");
        let e = got[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("urls.txt:4: ftp://b"), "{e}");
        let e = got[2].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("urls.txt:5: nope"), "{e}");
        assert_eq!(got[3].as_ref().unwrap().url.as_str(), "http://c.vn/y");
    }

    #[test]
    fn since_keeps_undated() {
        let u = Url::parse("http://a.vn/").unwrap();
        let since: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        let mut c = Candidate::new(u);
        assert!(!c.older_than(Some(since)));
        c.date = Some("2026-02-01T00:00:00Z".parse().unwrap());
        assert!(c.older_than(Some(since)));
        assert!(!c.older_than(None));
    }
}

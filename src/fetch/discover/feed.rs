//! RSS 2.0, Atom (and RSS 1.0, JSON Feed) with `feed-rs`: the entries' links and dates.

use jiff::Timestamp;
use url::Url;

use super::{Candidate, clean_url};

/// The article links of a feed at `base`, in feed order, with each entry's
/// publication date (else its update date).
pub fn parse(bytes: &[u8], base: &Url) -> Result<Vec<Candidate>, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("not a feed: {e}"))?;
    let mut out = Vec::new();
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone())
            .or_else(|| {
                (entry.id.starts_with("http://") || entry.id.starts_with("https://"))
                    .then(|| entry.id.clone())
            });
        let Some(link) = link else { continue };
        let Some(url) = base.join(link.trim()).ok().and_then(clean_url) else {
            continue;
        };
        let date = entry
            .published
            .or(entry.updated)
            .and_then(|d| Timestamp::from_second(d.timestamp()).ok());
        out.push(Candidate { url, date });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom() {
        let base = Url::parse("http://127.0.0.1:1/rss/tin-moi.rss").unwrap();
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tin mới</title>
<item><title>Giá vàng</title><link>http://127.0.0.1:1/gia-vang-5047363.html</link>
<pubDate>Sat, 07 Mar 2026 08:07:18 +0700</pubDate></item>
<item><title>Không ngày</title><link>/khong-ngay-123456.htm</link></item>
</channel></rss>"#
            .as_bytes();
        let c = parse(rss, &base).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].url.as_str(),
            "http://127.0.0.1:1/gia-vang-5047363.html"
        );
        assert_eq!(c[0].date, Some("2026-03-07T01:07:18Z".parse().unwrap()));
        assert_eq!(
            c[1].url.as_str(),
            "http://127.0.0.1:1/khong-ngay-123456.htm"
        );
        assert_eq!(c[1].date, None);

        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2026-03-07T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><link rel="alternate" href="http://127.0.0.1:1/a-1234567.html"/>
<updated>2026-03-06T00:00:00Z</updated><published>2026-03-05T00:00:00Z</published></entry></feed>"#;
        let c = parse(atom, &base).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].date, Some("2026-03-05T00:00:00Z".parse().unwrap()));
        assert!(parse(b"<html>no</html>", &base).is_err());
    }
}

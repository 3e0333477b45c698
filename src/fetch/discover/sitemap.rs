//! Sitemaps (sitemaps.org 0.9, Google News sitemaps), plain or gzipped, with
//! `quick-xml`: either an index of further sitemaps or a list of page URLs, each
//! with its date (`news:publication_date`, else `lastmod`).

use std::io::Read;

use jiff::Timestamp;
use quick_xml::events::Event;
use url::Url;

use super::{Candidate, clean_url};
use crate::extract::parse_date;

/// Largest sitemap read after decompression (the protocol's limit is 50 MB).
pub const MAX_SITEMAP_BYTES: u64 = 50 * 1024 * 1024;

/// What a sitemap document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A sitemap index: further sitemaps, with their `lastmod`.
    Index(Vec<Candidate>),
    /// Page URLs.
    Urls(Vec<Candidate>),
}

/// Decompresses a gzipped body (by its magic bytes), reading at most `cap` bytes;
/// other bodies are returned as they are.
pub fn maybe_gunzip(bytes: &[u8], cap: u64) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("bad gzip data: {e}"))?;
    if out.len() as u64 > cap {
        return Err(format!("larger than {cap} bytes after decompression"));
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Parses a sitemap or sitemap index found at `base` (gzipped or not).
pub fn parse(bytes: &[u8], base: &Url) -> Result<Sitemap, String> {
    let data = maybe_gunzip(bytes, MAX_SITEMAP_BYTES)?;
    let mut reader = quick_xml::Reader::from_reader(&data[..]);
    let mut buf = Vec::new();
    let mut is_index: Option<bool> = None;
    let mut out = Vec::new();
    // The element whose text is being read, and the current entry's values.
    let mut field: Option<&'static str> = None;
    let mut text = String::new();
    let (mut loc, mut lastmod, mut published): (Option<String>, Option<String>, Option<String>) =
        (None, None, None);
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("not a sitemap: {e}"))?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "sitemapindex" if is_index.is_none() => is_index = Some(true),
                    "urlset" if is_index.is_none() => is_index = Some(false),
                    "url" | "sitemap" => {
                        loc = None;
                        lastmod = None;
                        published = None;
                    }
                    "loc" => field = Some("loc"),
                    "lastmod" => field = Some("lastmod"),
                    "publication_date" => field = Some("published"),
                    _ => {}
                }
                text.clear();
            }
            Event::Text(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if field.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    match &*r {
                        "amp" => text.push('&'),
                        "lt" => text.push('<'),
                        "gt" => text.push('>'),
                        "quot" => text.push('"'),
                        "apos" => text.push('\''),
                        _ => {}
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    "loc" | "lastmod" | "publication_date" => {
                        let v = Some(text.trim().to_string());
                        match field.take() {
                            Some("loc") => loc = v,
                            Some("lastmod") => lastmod = v,
                            Some("published") => published = v,
                            _ => {}
                        }
                        text.clear();
                    }
                    "url" | "sitemap" => {
                        if let Some(u) = loc
                            .take()
                            .and_then(|l| base.join(&l).ok())
                            .and_then(clean_url)
                        {
                            let date: Option<Timestamp> = published
                                .take()
                                .and_then(|d| parse_date(&d))
                                .or_else(|| lastmod.take().and_then(|d| parse_date(&d)));
                            out.push(Candidate { url: u, date });
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    match is_index {
        Some(true) => Ok(Sitemap::Index(out)),
        Some(false) => Ok(Sitemap::Urls(out)),
        None => Err("not a sitemap: no <urlset> or <sitemapindex>".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9/sitemap.xml").unwrap()
    }

    #[test]
    fn index_with_lastmod() {
        let x = br#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://127.0.0.1:9/s1.xml.gz</loc><lastmod>2026-03-07</lastmod></sitemap>
  <sitemap><loc>/s2.xml</loc></sitemap>
</sitemapindex>"#;
        let Sitemap::Index(s) = parse(x, &base()).unwrap() else {
            panic!("index expected")
        };
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].url.as_str(), "http://127.0.0.1:9/s1.xml.gz");
        // A date without an offset is Vietnam time.
        assert_eq!(s[0].date, Some("2026-03-06T17:00:00Z".parse().unwrap()));
        assert_eq!(s[1].url.as_str(), "http://127.0.0.1:9/s2.xml");
        assert_eq!(s[1].date, None);
    }

    #[test]
    fn news_sitemap_gzipped_with_entities() {
        let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>http://127.0.0.1:9/a?x=1&amp;y=2</loc><lastmod>2026-03-07T09:00:00+07:00</lastmod>
  <news:news><news:publication_date>2026-03-06T08:00:00+07:00</news:publication_date><news:title>Giá &lt;vàng&gt;</news:title></news:news></url>
 <url><loc><![CDATA[http://127.0.0.1:9/b-1234567.htm]]></loc><lastmod>2026-03-05T10:00:00Z</lastmod></url>
 <url><loc>mailto:x@y.vn</loc></url>
</urlset>"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(x.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let Sitemap::Urls(u) = parse(&gz, &base()).unwrap() else {
            panic!("urlset expected")
        };
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].url.as_str(), "http://127.0.0.1:9/a?x=1&y=2");
        assert_eq!(u[0].date, Some("2026-03-06T01:00:00Z".parse().unwrap()));
        assert_eq!(u[1].url.as_str(), "http://127.0.0.1:9/b-1234567.htm");
        assert_eq!(u[1].date, Some("2026-03-05T10:00:00Z".parse().unwrap()));
    }

    #[test]
    fn rejects_non_sitemaps_and_bombs() {
        assert!(parse(b"<html><body>x</body></html>", &base()).is_err());
        assert!(parse(b"\x1f\x8bnot gzip", &base()).is_err());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&vec![b' '; 2_000_000]).unwrap();
        let gz = gz.finish().unwrap();
        assert!(maybe_gunzip(&gz, 1_000_000).unwrap_err().contains("larger"));
    }
}

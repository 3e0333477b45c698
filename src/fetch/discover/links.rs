//! Listing pages (`--follow`): which links on a section or home page are articles,
//! and which lead to the next page of the listing.
//!
//! The rules, tuned on the listing pages of eight Vietnamese sites (VnExpress,
//! Tuổi Trẻ, Dân trí, Người Lao Động, VietNamNet, CafeF, Báo Đầu tư, Báo Chính phủ):
//! - same site only: same host (a leading `www.` ignored) and port;
//! - never `#...`, `javascript:`, `mailto:`, `tel:`, or paths under tag, search,
//!   author, topic, event and account sections ([`SKIPPED_SECTIONS`]);
//! - an article's last path segment carries an id: a run of at least six digits
//!   (`...-5047363.html`, `...-d538952.html`, `...-188260306225629255.chn`), or the
//!   path holds a `/YYYY/MM/` date and a slug of three words or more; category
//!   roots (`/kinh-doanh.htm`, `/the-gioi/quan-su`, and long ones such as
//!   `/chi-dao-quyet-dinh-cua-chinh-phu-thu-tuong-chinh-phu.htm`) have neither;
//! - pagination (`?page=2`, `/trang-2.htm`, `/page/2`, `-p2`, `-page2`, `/p2`, and
//!   `rel="next"`) is never an article; it is followed only with `--pages N`.

use scraper::{Html, Selector};
use url::Url;

use super::clean_url;
use crate::fetch::charset;

/// First path segments (and any segment) that never hold articles.
pub const SKIPPED_SECTIONS: &[&str] = &[
    "tag",
    "tags",
    "tim-kiem",
    "search",
    "tac-gia",
    "author",
    "chu-de",
    "topic",
    "event",
    "collection",
    "dang-nhap",
    "dang-ky",
    "login",
    "lien-he",
    "contact",
    "rss",
    "feed",
    "thong-tin-tai-khoan",
];

/// What a listing page links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Article links on the same site, in page order, without duplicates.
    pub articles: Vec<Url>,
    /// Further pages of the listing (`rel="next"` first, then by page number).
    pub next_pages: Vec<Url>,
}

/// True when `a` and `b` are on the same site: the same host (a leading `www.`
/// ignored) and the same explicit port (`http` and `https` on their default ports
/// count as one site, since sites mix them in their links).
pub fn same_site(a: &Url, b: &Url) -> bool {
    let h = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    h(a).is_some() && h(a) == h(b) && a.port() == b.port()
}

fn stem(segment: &str) -> &str {
    let lower_ext = [
        ".html", ".htm", ".chn", ".shtml", ".aspx", ".php", ".ldo", ".amp", ".vn",
    ];
    for e in lower_ext {
        if segment.len() > e.len() && segment[segment.len() - e.len()..].eq_ignore_ascii_case(e) {
            return &segment[..segment.len() - e.len()];
        }
    }
    segment
}

fn small_number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The page number when `url` is a page of a listing (`?page=2`, `/trang-2.htm`,
/// `/page/2`, `-p2`, `-page2`, `/p2`).
pub fn pagination_number(url: &Url) -> Option<u32> {
    for (k, v) in url.query_pairs() {
        if matches!(k.as_ref(), "page" | "p" | "trang" | "pg" | "paged")
            && let Some(n) = small_number(&v)
        {
            return Some(n);
        }
    }
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let last = *segs.last()?;
    if segs.len() >= 2
        && matches!(segs[segs.len() - 2], "page" | "trang")
        && let Some(n) = small_number(stem(last))
    {
        return Some(n);
    }
    let s = stem(last).to_ascii_lowercase();
    for prefix in ["trang-", "trang", "page-", "page", "p"] {
        if let Some(n) = s.strip_prefix(prefix).and_then(small_number) {
            return Some(n);
        }
    }
    for suffix in ["-trang-", "-trang", "-page-", "-page", "-p"] {
        if let Some(pos) = s.rfind(suffix)
            && let Some(n) = small_number(&s[pos + suffix.len()..])
        {
            return Some(n);
        }
    }
    None
}

fn longest_digit_run(s: &str) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

fn has_date_path(segs: &[&str]) -> bool {
    segs.windows(2).any(|w| {
        w[0].len() == 4
            && w[0].bytes().all(|b| b.is_ascii_digit())
            && (w[0].starts_with("19") || w[0].starts_with("20"))
            && small_number(w[1]).is_some_and(|m| (1..=12).contains(&m))
    })
}

/// True when `url` looks like an article page (see the module rules).
pub fn is_article_url(url: &Url) -> bool {
    if !matches!(url.scheme(), "http" | "https") {
        return false;
    }
    let Some(segs) = url.path_segments() else {
        return false;
    };
    let segs: Vec<&str> = segs.filter(|s| !s.is_empty()).collect();
    let Some(last) = segs.last() else {
        return false;
    };
    if segs
        .iter()
        .any(|s| SKIPPED_SECTIONS.contains(&stem(&s.to_ascii_lowercase())))
    {
        return false;
    }
    if pagination_number(url).is_some() {
        return false;
    }
    let st = stem(last);
    let words = st.split(['-', '_']).filter(|w| !w.is_empty()).count();
    if longest_digit_run(st) >= 6 {
        return true;
    }
    if has_date_path(&segs) && words >= 3 {
        return true;
    }
    // `/news.php?id=1234567`-style ids.
    url.query_pairs().any(|(k, v)| {
        matches!(
            k.to_ascii_lowercase().as_str(),
            "id" | "newsid" | "news_id" | "aid" | "articleid" | "article_id" | "nid"
        ) && v.len() >= 6
            && v.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The article links and further listing pages of the listing page at `base`.
pub fn listing_links(html: &[u8], content_type: Option<&str>, base: &Url) -> Listing {
    let (bytes, _) = charset::to_utf8(html, content_type);
    let text = String::from_utf8_lossy(&bytes);
    let doc = Html::parse_document(&text);
    let sel = |s: &str| Selector::parse(s).ok();
    let base = sel("base[href]")
        .and_then(|s| doc.select(&s).next())
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| base.join(h.trim()).ok())
        .unwrap_or_else(|| base.clone());
    let resolve = |href: &str| -> Option<Url> {
        let h = href.trim();
        let lower = h.to_ascii_lowercase();
        if h.is_empty()
            || h.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("mailto:")
            || lower.starts_with("tel:")
        {
            return None;
        }
        let u = clean_url(base.join(h).ok()?)?;
        same_site(&u, &base).then_some(u)
    };
    let mut out = Listing::default();
    let mut seen = std::collections::HashSet::new();
    let mut pages: Vec<(u32, Url)> = Vec::new();
    if let Some(s) = sel("link[rel~=next][href], a[rel~=next][href]") {
        for e in doc.select(&s) {
            if let Some(u) = e.value().attr("href").and_then(resolve)
                && u != base
                && seen.insert(u.to_string())
            {
                out.next_pages.push(u);
            }
        }
    }
    if let Some(s) = sel("a[href]") {
        for e in doc.select(&s) {
            let Some(u) = e.value().attr("href").and_then(resolve) else {
                continue;
            };
            if u == base || !seen.insert(u.to_string()) {
                continue;
            }
            if let Some(n) = pagination_number(&u) {
                pages.push((n, u));
            } else if is_article_url(&u) {
                out.articles.push(u);
            }
        }
    }
    pages.sort_by_key(|(n, _)| *n);
    out.next_pages.extend(pages.into_iter().map(|(_, u)| u));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn article_urls_of_vietnamese_sites() {
        for a in [
            "https://vnexpress.net/cach-cac-nuoc-doi-pho-cu-soc-nang-luong-tu-trung-dong-5047363.html",
            "https://tuoitre.vn/chien-su-day-gia-hoa-nhap-khau-dip-8-3-tang-manh-20260307075519174.htm",
            "https://dantri.com.vn/kinh-doanh/gia-vang-giam-20260307080054340.htm",
            "https://baodautu.vn/xu-phat-giam-doc-d538952.html",
            "https://cafef.vn/thoi-diem-nang-hang-188260306225629255.chn",
            "https://vietnamnet.vn/co-phieu-flc-duoc-giao-dich-tro-lai-2495349.html",
            "https://example.vn/2026/03/07/gia-vang-giam-manh/",
            "https://example.vn/news.php?id=1234567",
        ] {
            assert!(is_article_url(&u(a)), "{a}");
        }
        for n in [
            "https://vnexpress.net/kinh-doanh",
            "https://baochinhphu.vn/kinh-te/ngan-hang.htm",
            "https://dantri.com.vn/event/nguoi-viet-tai-israel-va-cac-nuoc-vung-vinh-8377.htm",
            "https://baochinhphu.vn/chu-de/quyet-tam-thuc-hien-thang-loi-nghi-quyet-dai-hoi-xiv-cua-dang-206.htm",
            "https://vnexpress.net/tag/gia-vang-1234567",
            "https://tuoitre.vn/tim-kiem.htm?keywords=vang-1234567",
            "https://vnexpress.net/kinh-doanh-p2",
            "https://vietnamnet.vn/kinh-doanh-page1",
            "https://baodautu.vn/tai-chinh-chung-khoan-d6/p5",
            "https://nld.com.vn/kinh-te/trang-2.htm",
            "https://vietnamnet.vn/du-lich/chuyen-cua-nhung-dong-song-sk0008F1.html",
            "https://vnexpress.net/",
        ] {
            assert!(!is_article_url(&u(n)), "{n}");
        }
    }

    #[test]
    fn pagination_forms() {
        assert_eq!(pagination_number(&u("http://a.vn/x?page=3")), Some(3));
        assert_eq!(pagination_number(&u("http://a.vn/x/trang-2.htm")), Some(2));
        assert_eq!(pagination_number(&u("http://a.vn/x/page/4/")), Some(4));
        assert_eq!(pagination_number(&u("http://a.vn/kinh-doanh-p2")), Some(2));
        assert_eq!(
            pagination_number(&u("http://a.vn/kinh-doanh-page1")),
            Some(1)
        );
        assert_eq!(pagination_number(&u("http://a.vn/d6/p10")), Some(10));
        assert_eq!(
            pagination_number(&u("http://a.vn/gia-vang-5047363.html")),
            None
        );
    }

    #[test]
    fn same_site_ignores_www_but_not_ports_or_subdomains() {
        assert!(same_site(&u("https://www.a.vn/x"), &u("http://a.vn/y")));
        assert!(same_site(&u("https://www.a.vn/x"), &u("https://a.vn/y")));
        assert!(!same_site(&u("https://video.a.vn/x"), &u("https://a.vn/y")));
        assert!(!same_site(
            &u("http://127.0.0.1:1/x"),
            &u("http://127.0.0.1:2/x")
        ));
    }

    #[test]
    fn small_listing() {
        let html = br##"<html><head><link rel="next" href="/kinh-doanh-p2"></head><body>
<a href="/kinh-doanh">Kinh doanh</a>
<a href="/gia-vang-giam-5047363.html">A</a>
<a href="https://vnexpress.net/gia-vang-giam-5047363.html#box_comment">A again</a>
<a href="https://other.vn/tin-khac-5047000.html">other site</a>
<a href="/tag/vang-123456">tag</a><a href="javascript:;">js</a><a href="#top">top</a>
<a href="mailto:a@b.vn">mail</a><a href="/kinh-doanh-p3">3</a><a href="/kinh-doanh-p2">2</a>
<a href="/co-phieu-tang-5047364.html">B</a></body></html>"##;
        let l = listing_links(
            html,
            Some("text/html"),
            &u("https://vnexpress.net/kinh-doanh"),
        );
        let arts: Vec<&str> = l.articles.iter().map(Url::as_str).collect();
        assert_eq!(
            arts,
            [
                "https://vnexpress.net/gia-vang-giam-5047363.html",
                "https://vnexpress.net/co-phieu-tang-5047364.html"
            ]
        );
        let pages: Vec<&str> = l.next_pages.iter().map(Url::as_str).collect();
        assert_eq!(
            pages,
            [
                "https://vnexpress.net/kinh-doanh-p2",
                "https://vnexpress.net/kinh-doanh-p3"
            ]
        );
    }

    #[test]
    fn real_listing_pages() {
        let Some(shared) = crate::test_support::shared_dir("real_listing_pages") else {
            return;
        };
        let dir = shared.join("html-vi");
        let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
        let mut sites = 0;
        for line in manifest.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.get(6) != Some(&"list") {
                continue;
            }
            let site = cols[1];
            let html = std::fs::read(dir.join(cols[0])).unwrap();
            let doc = String::from_utf8_lossy(&html);
            // The page's own canonical URL is its base.
            let canon = doc
                .split("rel=\"canonical\"")
                .nth(1)
                .and_then(|r| r.split("href=\"").nth(1))
                .and_then(|r| r.split('"').next())
                .unwrap();
            let base = u(canon);
            let l = listing_links(&html, Some("text/html"), &base);
            assert!(
                l.articles.len() >= 10,
                "{site}: only {} article links",
                l.articles.len()
            );
            for a in &l.articles {
                assert!(same_site(a, &base), "{site}: {a}");
                assert!(a.fragment().is_none());
                assert!(longest_digit_run(a.path()) >= 6, "{site}: {a}");
            }
            sites += 1;
        }
        assert_eq!(sites, 8);
    }
}

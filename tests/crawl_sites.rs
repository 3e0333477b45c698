//! `tintuc crawl` over the real pages of eight Vietnamese news sites
//! (`../shared/html-vi/`), served on 127.0.0.1: feeds, sitemap indexes (gzipped,
//! `lastmod`, `--since`), robots.txt, resuming, conditional requests, and listing
//! pages (`--follow`, `--pages`).

mod common;
mod crawl_support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use crawl_support::*;

struct Page {
    site: String,
    file: PathBuf,
    title: String,
    kind: String,
}

fn pages(test: &str) -> Option<Vec<Page>> {
    let dir = common::shared_dir(test)?.join("html-vi");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).ok()?;
    Some(
        manifest
            .lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split('\t').collect();
                Some(Page {
                    site: c.get(1)?.to_string(),
                    file: dir.join(c.first()?),
                    title: c.get(3)?.to_string(),
                    kind: c.get(6)?.to_string(),
                })
            })
            .collect(),
    )
}

fn gz(s: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(s.as_bytes()).unwrap();
    e.finish().unwrap()
}

/// Serves the article pages under `/<site>/<file>`, a feed, a sitemap index and
/// a robots.txt that disallows `/nld.com.vn/`. Article pages carry an ETag and
/// answer 304 to a matching If-None-Match.
fn site_server(articles: &[Page]) -> (TestServer, Vec<String>) {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut paths = Vec::new();
    for p in articles {
        let name = p.file.file_name().unwrap().to_string_lossy();
        let path = format!("/{}/{}", p.site, name);
        files.insert(path.clone(), std::fs::read(&p.file).unwrap());
        paths.push(path);
    }
    let files = std::sync::Arc::new(files);
    let listed = paths.clone();
    let server = TestServer::start(move |hit| {
        let path = hit.path.as_str();
        if let Some(body) = files.get(path) {
            if hit.header("if-none-match") == Some("\"v1\"") {
                return Reply::Full {
                    status: 304,
                    headers: vec![("ETag".into(), "\"v1\"".into())],
                    body: Vec::new(),
                };
            }
            return Reply::html(body.clone()).header("ETag", "\"v1\"");
        }
        let host = hit.header("host").unwrap_or("127.0.0.1");
        let base = format!("http://{host}");
        match path {
            "/robots.txt" => {
                Reply::with(200, "text/plain", "User-agent: *\nDisallow: /nld.com.vn/\n")
            }
            "/feed.rss" => {
                let mut items = String::new();
                for p in &listed {
                    items.push_str(&format!(
                        "<item><title>t</title><link>{base}{p}</link><pubDate>Sat, 07 Mar 2026 08:00:00 +0700</pubDate></item>\n"
                    ));
                }
                items.push_str(&format!(
                    "<item><title>old</title><link>{base}/old-1234567.html</link><pubDate>Mon, 06 Jan 2020 08:00:00 +0700</pubDate></item>\n"
                ));
                Reply::with(
                    200,
                    "application/rss+xml",
                    format!(
                        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Tin</title>{items}</channel></rss>"
                    ),
                )
            }
            "/sitemap_index.xml" => Reply::with(
                200,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <sitemap><loc>{base}/sitemap-2026.xml.gz</loc><lastmod>2026-03-07T09:00:00+07:00</lastmod></sitemap>\
                     <sitemap><loc>{base}/sitemap-2020.xml</loc><lastmod>2020-01-06</lastmod></sitemap>\
                     </sitemapindex>"
                ),
            ),
            "/sitemap-2026.xml.gz" => {
                let mut x = String::from(
                    "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
                );
                for p in &listed {
                    x.push_str(&format!(
                        "<url><loc>{base}{p}</loc><lastmod>2026-03-07</lastmod></url>"
                    ));
                }
                x.push_str("</urlset>");
                Reply::with(200, "application/gzip", gz(&x))
            }
            "/sitemap-2020.xml" => Reply::with(
                200,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{base}/old-1234567.html</loc></url></urlset>"
                ),
            ),
            _ => Reply::status(404),
        }
    });
    (server, paths)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn feed_since_and_robots_on_real_pages() {
    let Some(all) = pages("feed_since_and_robots_on_real_pages") else {
        return;
    };
    let articles: Vec<Page> = all.into_iter().filter(|p| p.kind == "article").collect();
    assert_eq!(articles.len(), 9);
    let (server, paths) = site_server(&articles);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = crawl(
        &index,
        &[
            "--feed",
            &server.url("/feed.rss"),
            "--since",
            "2026-03-01",
            "--rate",
            "0",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let rep = report(&out);
    // 9 articles, 1 denied by robots (nld), 1 dated 2020 skipped by --since.
    assert_eq!(counts(&rep), (8, 8, 0, 1, 0, 1), "{rep}\n{stderr}");
    let want: BTreeSet<String> = paths
        .iter()
        .filter(|p| !p.starts_with("/nld.com.vn/"))
        .map(|p| server.url(p))
        .collect();
    let got: BTreeSet<String> = indexed_ids(&index).into_iter().collect();
    assert_eq!(got, want);
    assert!(server.hits_for("/old-1234567.html").is_empty(), "--since");
    assert!(
        server.hits_for("/nld.com.vn/nld_article.html").is_empty(),
        "robots.txt"
    );
    // The stored articles are the pages' articles: each has its title somewhere.
    let archive = tintuc::index::Archive::open(&index).unwrap();
    for p in articles.iter().filter(|p| p.site != "nld.com.vn") {
        let name = p.file.file_name().unwrap().to_string_lossy();
        let a = archive
            .get(&server.url(&format!("/{}/{}", p.site, name)))
            .unwrap()
            .unwrap();
        let text = squash(&format!(
            "{} {} {}",
            a.title.as_deref().unwrap_or(""),
            a.lead.as_deref().unwrap_or(""),
            a.body
        ));
        assert!(text.contains(&squash(&p.title)), "{}: {}", p.site, p.title);
        assert!(a.fetched.is_some());
    }
}

#[test]
fn sitemap_index_resume_and_conditional_requests() {
    let Some(all) = pages("sitemap_index_resume_and_conditional_requests") else {
        return;
    };
    let articles: Vec<Page> = all.into_iter().filter(|p| p.kind == "article").collect();
    let (server, _) = site_server(&articles);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let sitemap = server.url("/sitemap_index.xml");
    let args = [
        "--sitemap",
        sitemap.as_str(),
        "--since",
        "2026-03-01",
        "--rate",
        "0",
    ];
    let out = crawl(&index, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(counts(&report(&out)), (8, 8, 0, 0, 0, 1), "{stderr}");
    assert_eq!(server.hits_for("/sitemap-2026.xml.gz").len(), 1);
    assert!(
        server.hits_for("/sitemap-2020.xml").is_empty(),
        "old child sitemap skipped"
    );
    assert_eq!(indexed_ids(&index).len(), 8);

    // Again: everything is done, nothing is fetched.
    let before = server.hits().len();
    let out = crawl(&index, &args);
    assert!(out.status.success());
    assert_eq!(counts(&report(&out)), (0, 0, 0, 8, 0, 1));
    let again: Vec<String> = crawl_support::paths(&server.hits()[before..]);
    assert!(
        again
            .iter()
            .all(|p| !p.ends_with(".html") || p.contains("nld")),
        "no article fetched twice: {again:?}"
    );

    // --refresh: conditional requests, all answered 304.
    let before = server.hits().len();
    let mut refresh = args.to_vec();
    refresh.push("--refresh");
    let out = crawl(&index, &refresh);
    assert!(out.status.success());
    assert_eq!(counts(&report(&out)), (8, 0, 8, 0, 0, 1));
    let cond: Vec<Hit> = server.hits()[before..]
        .iter()
        .filter(|h| h.path.ends_with(".html"))
        .cloned()
        .collect();
    assert_eq!(cond.len(), 8);
    assert!(
        cond.iter()
            .all(|h| h.header("if-none-match") == Some("\"v1\""))
    );
    assert_eq!(indexed_ids(&index).len(), 8);
}

#[test]
fn follow_listing_pages() {
    let Some(all) = pages("follow_listing_pages") else {
        return;
    };
    // One server per site, so that "same host" means that site; absolute links
    // to the site are rewritten to the server.
    let mut servers = Vec::new();
    for list in all.iter().filter(|p| p.kind == "list") {
        let article = all
            .iter()
            .find(|p| p.kind == "article" && p.site == list.site)
            .unwrap();
        let raw = std::fs::read_to_string(&list.file).unwrap();
        let art = std::fs::read(&article.file).unwrap();
        let site = list.site.clone();
        let listing = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
        let l2 = listing.clone();
        let server = TestServer::start(move |hit| {
            let p = hit.path.as_str();
            if p == "/list" || p == "/kinh-doanh-p2" {
                return Reply::html(l2.get().cloned().unwrap_or_default());
            }
            let digits = p.split(|c: char| !c.is_ascii_digit()).any(|r| r.len() >= 6);
            if digits {
                Reply::html(art.clone())
            } else {
                Reply::status(404)
            }
        });
        let base = server.base();
        let html = raw
            .replace(&format!("https://www.{site}"), &base)
            .replace(&format!("https://{site}"), &base)
            .replace(&format!("http://{site}"), &base)
            .replace(&format!("//{site}"), &base);
        let _ = listing.set(html);
        servers.push((list.site.clone(), server, listing));
    }
    assert_eq!(servers.len(), 8);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let mut args: Vec<String> = Vec::new();
    for (_, s, _) in &servers {
        args.push("--follow".into());
        args.push(s.url("/list"));
    }
    args.extend(["--rate", "0", "--concurrency", "8"].map(String::from));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = crawl(&index, &argv);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let rep = report(&out);
    let mut total = 0;
    for (site, s, listing) in &servers {
        let html = listing.get().unwrap();
        let base: url::Url = s.url("/list").parse().unwrap();
        let expected: BTreeSet<String> =
            tintuc::fetch::discover::links::listing_links(html.as_bytes(), None, &base)
                .articles
                .iter()
                .map(|u| {
                    let mut p = u.path().to_string();
                    if let Some(q) = u.query() {
                        p.push('?');
                        p.push_str(q);
                    }
                    p
                })
                .collect();
        let seen: Vec<String> = paths(&s.hits())
            .into_iter()
            .filter(|p| p != "/list" && p != "/robots.txt")
            .collect();
        let seen_set: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(seen.len(), seen_set.len(), "{site}: a page fetched twice");
        assert_eq!(seen_set, expected, "{site}");
        assert!(seen.len() >= 10, "{site}: {} article links", seen.len());
        assert!(
            !seen
                .iter()
                .any(|p| p.contains("/tag/") || p.ends_with("-p2")),
            "{site}"
        );
        assert_eq!(s.hits_for("/list").len(), 1);
        total += seen.len() as u64;
    }
    assert_eq!(rep["fetched"].as_u64(), Some(total), "{rep}");
    assert_eq!(rep["errors"].as_u64(), Some(0), "{rep}\n{stderr}");

    // --pages 2 follows VnExpress's rel="next" to /kinh-doanh-p2.
    let (_, vne, _) = servers
        .iter()
        .find(|(s, _, _)| s == "vnexpress.net")
        .unwrap();
    assert!(vne.hits_for("/kinh-doanh-p2").is_empty());
    let index2 = dir.path().join("index2");
    let list = vne.url("/list");
    let out = crawl(&index2, &["--follow", &list, "--pages", "2", "--rate", "0"]);
    assert!(out.status.success());
    assert_eq!(vne.hits_for("/kinh-doanh-p2").len(), 1);

    // --max-pages caps the article pages fetched.
    let index3 = dir.path().join("index3");
    let out = crawl(
        &index3,
        &["--follow", &list, "--max-pages", "3", "--rate", "0"],
    );
    assert!(out.status.success());
    assert_eq!(report(&out)["fetched"].as_u64(), Some(3));
}

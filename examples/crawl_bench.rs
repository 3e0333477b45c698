//! Crawl throughput: a local server serves N synthetic Vietnamese article pages
//! (text from `../shared/corpus/sample-1k.jsonl` when present), and the crawler
//! fetches, extracts and indexes them into a temporary index with the rate limit
//! lifted (`rate = 0`). Prints pages/s and the resident memory along the way.
//!
//! ```text
//! cargo run --release --example crawl_bench -- [PAGES=10000] [CONCURRENCY=8]
//! ```

#[path = "../src/fetch/test_server.rs"]
#[allow(dead_code)]
mod test_server;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use test_server::{Reply, TestServer};
use tintuc::fetch::{CrawlOptions, Crawler, Observer, Progress, Source};

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Title and paragraphs of real articles, or a fixed text when the corpus is absent.
fn texts() -> Vec<(String, Vec<String>)> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/sample-1k.jsonl");
    let mut out = Vec::new();
    if let Ok(data) = std::fs::read_to_string(&path) {
        for line in data.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let title = v["title"].as_str().unwrap_or("Tin tức").to_string();
            let body = v["body"].as_str().unwrap_or("");
            let paras: Vec<String> = body
                .split('\n')
                .filter(|p| !p.trim().is_empty())
                .map(str::to_string)
                .collect();
            if !paras.is_empty() {
                out.push((title, paras));
            }
        }
    } else {
        eprintln!("{} is absent: using a fixed text", path.display());
    }
    if out.is_empty() {
        out.push((
            "Giá vàng tăng mạnh".into(),
            vec![
                "Sáng nay, giá vàng miếng trong nước tăng mạnh theo thế giới.".into();
                8
            ],
        ));
    }
    out
}

struct Sampler {
    samples: Mutex<Vec<(u64, u64)>>,
}

impl Observer for Sampler {
    fn progress(&self, p: &Progress) {
        let mut s = self.samples.lock().unwrap();
        let step = s.last().map_or(0, |l| l.0 / 1000);
        if p.report.fetched / 1000 > step || s.is_empty() {
            s.push((p.report.fetched, rss_kb("VmRSS:")));
        }
    }
}

fn main() {
    // As `tintuc crawl` does.
    tintuc::malloc::limit_slack();
    let mut args = std::env::args().skip(1);
    let pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let texts = Arc::new(texts());
    let t2 = texts.clone();
    let server = TestServer::start(move |hit| {
        let n: usize = hit
            .path
            .strip_prefix("/tin/bai-")
            .and_then(|r| r.strip_suffix("-2026.html"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(usize::MAX);
        if n == usize::MAX {
            return Reply::status(404);
        }
        let (title, paras) = &t2[n % t2.len()];
        let mut html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{} ({n})</title></head><body><nav><a href=\"/\">Trang chủ</a></nav><article><h1>{} ({n})</h1>",
            escape(title),
            escape(title)
        );
        for p in paras {
            html.push_str(&format!("<p>{}</p>", escape(p)));
        }
        html.push_str(&format!("<p>Bài số {n}.</p></article></body></html>"));
        Reply::html(html)
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let list: Vec<String> = (0..pages)
        .map(|i| server.url(&format!("/tin/bai-{i}-2026.html")))
        .collect();
    let archive = tintuc::index::Archive::open_or_create(&index).expect("index");
    let mut writer = archive.writer(100).expect("writer");
    let mut opts = CrawlOptions::for_index(&index);
    opts.fetch.rate = 0.0;
    opts.fetch.concurrency = concurrency;
    opts.commit_every = 2000;
    let sampler = Arc::new(Sampler {
        samples: Mutex::new(Vec::new()),
    });
    let crawler = Crawler::new(opts).with_observer(sampler.clone());
    let start = Instant::now();
    let report = crawler
        .run(vec![Source::Urls(list)], &mut writer)
        .expect("crawl");
    let secs = start.elapsed().as_secs_f64();
    let warc: u64 = std::fs::read_dir(index.join("raw"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "pages {pages}, concurrency {concurrency}: {secs:.1} s, {:.0} pages/s fetched+extracted+indexed",
        report.fetched as f64 / secs
    );
    println!(
        "report: {}",
        serde_json::to_string(&report).unwrap_or_default()
    );
    println!("WARC bytes: {warc}");
    let samples = sampler.samples.lock().unwrap();
    let line: Vec<String> = samples
        .iter()
        .map(|(f, r)| format!("{f}:{}MB", r / 1024))
        .collect();
    println!("RSS by pages fetched: {}", line.join(" "));
    println!("peak RSS (VmHWM): {} MB", rss_kb("VmHWM:") / 1024);
}

//! HTML extraction throughput on real pages (one thread):
//!
//! ```text
//! cargo bench --bench extract
//! ```
//!
//! Pages come from `../shared/extract-dev/*/html/*.html.gz` (decompressed before
//! timing) and `../shared/html-vi/`; without `../shared` a generated page is used.
//! Divan reports time per page; pages/s = 1 / time. The `all_pages` benchmark runs the
//! whole set once per iteration and counts pages as items, so it reports pages/s too.

use std::io::Read;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    std::env::var_os("TINTUC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn read_page(p: &Path) -> Option<Vec<u8>> {
    let raw = std::fs::read(p).ok()?;
    if p.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    } else {
        Some(raw)
    }
}

/// Every benchmark page (capped by `TINTUC_BENCH_PAGES`, default all).
fn pages() -> Vec<Vec<u8>> {
    let root = shared();
    let mut files: Vec<PathBuf> = Vec::new();
    for bench in [
        "extract-dev/wcxb_test_articles/html",
        "extract-dev/trafilatura/html",
    ] {
        if let Ok(rd) = std::fs::read_dir(root.join(bench)) {
            files.extend(rd.flatten().map(|e| e.path()));
        }
    }
    if let Ok(rd) = std::fs::read_dir(root.join("html-vi")) {
        for site in rd.flatten() {
            if let Ok(inner) = std::fs::read_dir(site.path()) {
                files.extend(
                    inner
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "html")),
                );
            }
        }
    }
    files.sort();
    let cap = std::env::var("TINTUC_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut out: Vec<Vec<u8>> = files
        .iter()
        .take(cap)
        .filter_map(|p| read_page(p))
        .collect();
    if out.is_empty() {
        eprintln!("../shared is absent: benchmarking a generated page");
        out.push(generated_page(200));
    }
    out
}

fn generated_page(paragraphs: usize) -> Vec<u8> {
    let mut s = String::from("<html lang=vi><head><title>Bài mẫu - Báo</title></head><body><nav>");
    for i in 0..50 {
        s.push_str(&format!("<a href=/m{i}>Mục {i}</a> "));
    }
    s.push_str("</nav><article><h1>Bài mẫu</h1>");
    for i in 0..paragraphs {
        s.push_str(&format!("<p>Đoạn {i}: giá vàng miếng SJC giảm mạnh, nhưng vẫn cao hơn thế giới gần 20 triệu đồng mỗi lượng.</p>"));
    }
    s.push_str("</article></body></html>");
    s.into_bytes()
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn all_pages(b: divan::Bencher) {
    let pages = pages();
    b.counter(divan::counter::ItemsCount::new(pages.len()))
        .bench(|| {
            for p in &pages {
                let _ = divan::black_box(tintuc::extract::html::extract(p, None, None));
            }
        });
}

/// A 20 MB page (many paragraphs): time and, with a heap profiler, memory stay linear.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn page_20mb(b: divan::Bencher) {
    let page = generated_page(180_000);
    b.counter(divan::counter::BytesCount::new(page.len()))
        .bench(|| divan::black_box(tintuc::extract::html::extract(&page, None, None)).is_ok());
}

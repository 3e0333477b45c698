//! Helpers shared by the `crawl_*` end-to-end tests: the local test server (the same
//! file the library's unit tests use), running `tintuc crawl`, reading the index.
#![allow(dead_code)]

#[path = "../../src/fetch/test_server.rs"]
pub mod test_server;

use std::path::Path;
use std::process::{Command, Output};

pub use test_server::{Hit, Reply, TestServer};

/// Runs `tintuc --index INDEX crawl ARGS... --json --quiet` and returns the output.
pub fn crawl(index: &Path, args: &[&str]) -> Output {
    Command::new(crate::common::bin())
        .arg("--index")
        .arg(index)
        .arg("crawl")
        .args(args)
        .args(["--json", "--quiet"])
        .output()
        .expect("run tintuc")
}

/// The JSON summary a crawl printed.
pub fn report(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no summary; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The counts as `(fetched, indexed, unchanged, skipped, errors, robots_denied)`.
pub fn counts(v: &serde_json::Value) -> (u64, u64, u64, u64, u64, u64) {
    let g = |k: &str| {
        v[k].as_u64()
            .unwrap_or_else(|| panic!("missing {k} in {v}"))
    };
    (
        g("fetched"),
        g("indexed"),
        g("unchanged"),
        g("skipped"),
        g("errors"),
        g("robots_denied"),
    )
}

/// The ids of every article in the index, sorted.
pub fn indexed_ids(index: &Path) -> Vec<String> {
    use tantivy::schema::Value;
    let archive = tintuc::index::Archive::open(index).expect("open index");
    let searcher = archive.searcher();
    let addrs = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("search");
    let mut ids = Vec::new();
    for addr in addrs {
        // The id is not stored on its own: it is read from the stored article.
        let doc: tantivy::TantivyDocument = searcher.doc(addr).expect("doc");
        let bytes = doc
            .get_first(archive.fields().doc)
            .and_then(|v| v.as_bytes())
            .expect("stored article");
        let a: tintuc::Article = serde_json::from_slice(bytes).expect("stored article JSON");
        ids.push(a.id);
    }
    ids.sort();
    ids
}

/// A small article page with Vietnamese text, unique per `n`.
pub fn article_page(n: usize) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bài số {n}</title></head>\
         <body><h1>Bài số {n}</h1><p>Giá vàng hôm nay tăng mạnh lần thứ {n}, người dân Hà Nội xếp hàng mua.</p>\
         <p>Ngân hàng Nhà nước cho biết sẽ theo dõi sát diễn biến thị trường.</p></body></html>"
    )
}

/// The paths requested, in order.
pub fn paths(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.path.clone()).collect()
}

/// Writes `urls` one a line into `dir/name` and returns the path as a string.
pub fn url_file(dir: &Path, name: &str, urls: &[String]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, urls.join("\n")).expect("write url file");
    p.display().to_string()
}

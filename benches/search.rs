//! Search latency on the real corpus, measured in-process exactly as `--batch`
//! reports `took_ms` (parse, plan, search, hits with snippets).
//!
//! ```sh
//! nice cargo bench --bench search                       # indexes ../shared/corpus/dev.jsonl.gz first
//! TINTUC_BENCH_INDEX=target/releval/tintuc cargo bench --bench search   # an index built before
//! ```
//!
//! The query mix comes from `../shared/eval/relevance/dev/queries.jsonl` (100 of each):
//! titles, titles without accents, keyword pairs, keyword pairs without accents, the
//! keyword pairs as quoted phrases, short two-word queries, titles with
//! `--accents loose`; then the whole mix again with a date range
//! (`--from 2013 --to 2021`), sorted by newest, and with a month histogram. Prints
//! p50/p95/p99/max per kind and over all, and the time to open the index. Timings on
//! a shared machine are noisy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tintuc::extract::{Format, read_inputs};
use tintuc::index::Archive;
use tintuc::index::ingest::{IngestOptions, ingest};
use tintuc::search::{Accents, DateFilter, Interval, SearchRequest, Sort, dates, search};

fn shared() -> PathBuf {
    std::env::var_os("TINTUC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((p / 100.0 * v.len() as f64).ceil() as usize).max(1) - 1;
    v[i.min(v.len() - 1)]
}

/// The query mix: (kind, query text, accents).
fn queries(path: &Path) -> Vec<(String, String, Accents)> {
    let text = std::fs::read_to_string(path).expect("queries.jsonl");
    let mut out = Vec::new();
    let mut count = std::collections::HashMap::new();
    let mut take = |kind: &str, q: String, a: Accents, out: &mut Vec<(String, String, Accents)>| {
        let n = count.entry(kind.to_string()).or_insert(0);
        if *n < 100 {
            *n += 1;
            out.push((kind.to_string(), q, a));
        }
    };
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let q = v["query"].as_str().unwrap_or_default().to_string();
        let kind = v["type"].as_str().unwrap_or_default();
        match kind {
            "title" => {
                take("title", q.clone(), Accents::Strict, &mut out);
                take("title loose", q.clone(), Accents::Loose, &mut out);
                let two: Vec<&str> = q.split_whitespace().take(2).collect();
                take("two words", two.join(" "), Accents::Strict, &mut out);
            }
            "keywords" => {
                let w: Vec<&str> = q.split_whitespace().collect();
                if w.len() == 4 {
                    let phrase = format!("\"{} {}\" \"{} {}\"", w[0], w[1], w[2], w[3]);
                    take("phrases", phrase, Accents::Strict, &mut out);
                }
                take("keywords", q, Accents::Strict, &mut out);
            }
            "title_noaccent" | "keywords_noaccent" => take(kind, q, Accents::Strict, &mut out),
            _ => {}
        }
    }
    out
}

fn main() {
    let qpath = shared().join("eval/relevance/dev/queries.jsonl");
    let corpus = shared().join("corpus/dev.jsonl.gz");
    if !qpath.is_file() {
        eprintln!("skipping the search bench: {} is absent", qpath.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = match std::env::var_os("TINTUC_BENCH_INDEX") {
        Some(p) => PathBuf::from(p),
        None => {
            if !corpus.is_file() {
                eprintln!("skipping the search bench: {} is absent", corpus.display());
                return;
            }
            let dir = tmp.path().join("index");
            let archive = Archive::open_or_create(&dir).expect("create index");
            let mut w = archive.writer(256).expect("writer");
            let t0 = Instant::now();
            let items = read_inputs(&[corpus.display().to_string()], Format::Jsonl);
            let r = ingest(&mut w, items, &IngestOptions::default(), &mut |_| {}).expect("ingest");
            println!(
                "indexed {} articles in {:.1} s",
                r.added,
                t0.elapsed().as_secs_f64()
            );
            dir
        }
    };
    let t0 = Instant::now();
    let archive = Archive::open(&index).expect("open index");
    println!("open index: {:.2} ms", t0.elapsed().as_secs_f64() * 1e3);

    let mix = queries(&qpath);
    let range = DateFilter::between(
        Some(dates::parse_period("2013").expect("date")),
        Some(dates::parse_period("2021").expect("date")),
    )
    .expect("range");
    let mut all = Vec::new();
    let mut first = None;
    for suffix in ["", " +dates", " +newest", " +histogram"] {
        let mut by_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
        for (kind, q, accents) in &mix {
            let mut req = SearchRequest::new(q.clone());
            req.accents = *accents;
            match suffix {
                " +dates" => req.dates = range,
                " +newest" => req.sort = Sort::Newest,
                " +histogram" => req.histogram = Some(Interval::Month),
                _ => {}
            }
            let r = search(&archive, &req).expect("search");
            let ms = r.took.as_secs_f64() * 1e3;
            first.get_or_insert(Duration::from_secs_f64(ms / 1e3));
            by_kind
                .entry(format!("{kind}{suffix}"))
                .or_default()
                .push(ms);
            all.push(ms);
        }
        for (k, mut v) in by_kind {
            println!(
                "{k:<32} n={:<4} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
                v.len(),
                pct(&mut v, 50.0),
                pct(&mut v, 95.0),
                pct(&mut v, 99.0),
                pct(&mut v, 100.0)
            );
        }
    }
    println!(
        "{:<32} n={:<4} p50 {:>6.2} ms  p95 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
        "all",
        all.len(),
        pct(&mut all, 50.0),
        pct(&mut all, 95.0),
        pct(&mut all, 99.0),
        pct(&mut all, 100.0)
    );
    if let Some(f) = first {
        println!("first query (cold): {:.2} ms", f.as_secs_f64() * 1e3);
    }
}

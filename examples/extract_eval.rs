//! Writes prediction lines for `../shared/eval/score_extract.py`:
//!
//! ```text
//! cargo run --release --example extract_eval -- ../shared/extract-dev/wcxb_test_articles > pred.jsonl
//! python3 ../shared/eval/score_extract.py --bench ../shared/extract-dev/wcxb_test_articles --pred pred.jsonl
//! ```
//!
//! One line per page of the benchmark's `ground-truth.json`:
//! `{"id","articleBody","title","date","authors"}`; `articleBody` is the lead and the
//! body, `date` the publication date as the page wrote it. The page URL from the
//! ground truth is passed to the extractor (as a crawler would know it). Extraction
//! time (decompressed bytes → article, one thread) is printed to standard error.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: extract_eval BENCH_DIR")?,
    );
    let gt: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("ground-truth.json"))?)?;
    let mut ids: Vec<&String> = gt.keys().collect();
    ids.sort();
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut spent = Duration::ZERO;
    let (mut pages, mut bytes_total, mut errors) = (0usize, 0usize, 0usize);
    for id in ids {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        let url = gt[id.as_str()]
            .get("url")
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty());
        let t = Instant::now();
        let r = tintuc::extract::html::extract_page(&bytes, url, None);
        spent += t.elapsed();
        pages += 1;
        bytes_total += bytes.len();
        let line = match r {
            Ok(e) => {
                let a = &e.article;
                let body = match &a.lead {
                    Some(l) if !a.body.is_empty() => format!("{l}\n{}", a.body),
                    Some(l) => l.clone(),
                    None => a.body.clone(),
                };
                serde_json::json!({
                    "id": id, "articleBody": body, "title": a.title,
                    "date": e.page_date.map(|d| d.to_iso()), "authors": e.authors,
                })
            }
            Err(err) => {
                errors += 1;
                eprintln!("{}: {err}", path.display());
                serde_json::json!({"id": id, "articleBody": "", "title": null, "date": null, "authors": []})
            }
        };
        writeln!(out, "{line}")?;
    }
    let secs = spent.as_secs_f64();
    eprintln!(
        "{pages} pages, {errors} errors, {:.1} MB in {secs:.2} s: {:.0} pages/s, {:.1} MB/s",
        bytes_total as f64 / 1e6,
        pages as f64 / secs,
        bytes_total as f64 / 1e6 / secs
    );
    Ok(())
}

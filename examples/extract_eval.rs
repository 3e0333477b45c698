//! Writes prediction lines for `../shared/eval/score_extract.py`:
//!
//! ```text
//! cargo run --release --example extract_eval -- ../shared/extract-dev/wcxb_test_articles > pred.jsonl
//! python3 ../shared/eval/score_extract.py --bench ../shared/extract-dev/wcxb_test_articles --pred pred.jsonl
//! ```
//!
//! One line per page of the benchmark's `ground-truth.json`:
//! `{"id","articleBody","title","date","authors"}`; `articleBody` is the lead and the
//! body, `date` the article's date (with the publisher's offset; only the day when the
//! page gave no time). The page URL from the
//! ground truth is passed to the extractor (as a crawler would know it). Extraction
//! time (decompressed bytes → article, one thread) is printed to standard error, as
//! wall time and as the thread's CPU time (the figure to use on a loaded machine).

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
    let mut cpu = Duration::ZERO;
    let (mut pages, mut bytes_total, mut errors) = (0usize, 0usize, 0usize);
    // `EXTRACT_EVAL_SLOW=N` lists the N pages that took the most CPU time.
    let slow_n: usize = std::env::var("EXTRACT_EVAL_SLOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut per_page: Vec<(Duration, usize, &String)> = Vec::new();
    for id in ids {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        let url = gt[id.as_str()]
            .get("url")
            .and_then(|u| u.as_str())
            .filter(|u| !u.is_empty());
        let t = Instant::now();
        let c = thread_cpu();
        let r = tintuc::extract::html::extract_page(&bytes, url, None);
        let used = thread_cpu().saturating_sub(c);
        cpu += used;
        if slow_n > 0 {
            per_page.push((used, bytes.len(), id));
        }
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
                    "date": day_or_date(&e), "authors": e.authors,
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
    per_page.sort_by_key(|p| std::cmp::Reverse(p.0));
    for (d, len, id) in per_page.iter().take(slow_n) {
        eprintln!("{:8.2} ms {:9} bytes {id}", d.as_secs_f64() * 1e3, len);
    }
    let secs = spent.as_secs_f64();
    let cpu_secs = cpu.as_secs_f64();
    eprintln!(
        "{pages} pages, {errors} errors, {:.1} MB; wall {secs:.2} s: {:.0} pages/s, {:.1} MB/s; \
         cpu {cpu_secs:.2} s: {:.0} pages/s, {:.1} MB/s",
        bytes_total as f64 / 1e6,
        pages as f64 / secs,
        bytes_total as f64 / 1e6 / secs,
        pages as f64 / cpu_secs,
        bytes_total as f64 / 1e6 / cpu_secs,
    );
    Ok(())
}

/// The article's date as tintuc gives it (RFC 3339 with the publisher's offset), or
/// only its day when the page gave no time of day.
fn day_or_date(e: &tintuc::extract::html::Extraction) -> Option<String> {
    let d = e.article.date?;
    Some(match e.page_date {
        Some(p) if !p.has_time => d.day().to_string(),
        _ => d.to_string(),
    })
}

/// CPU time used by the calling thread so far.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

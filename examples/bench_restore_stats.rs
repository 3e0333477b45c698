//! Measures what archive learning costs at ingest: the CPU time of building each
//! article's stream ([`tintuc::index::restore_stats::article_stream`]) and of
//! counting it ([`tintuc::analysis::restore::archive::Counts::add`]), then freezing
//! and writing the counts, over a JSON Lines corpus.
//!
//! ```text
//! cargo run --release --example bench_restore_stats -- ../shared/corpus/dev.jsonl.gz [--limit N]
//! ```
//!
//! Reading and parsing the corpus is not timed. Times are the process's CPU time
//! (user + system, from `/proc/self/stat`), so a loaded machine changes them little.

use std::io::{BufRead, BufReader};

use tintuc::analysis::restore::archive::{Counts, Limits};
use tintuc::index::restore_stats::article_stream;

/// The process's CPU time in seconds (user + system; 0 where `/proc` is missing).
fn cpu_secs() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the command name (which is in parentheses)
    let rest = s.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 (1-based), 11 and 12 after the name
    (tick(11) + tick(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut limit = usize::MAX;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--limit" => limit = args.next().ok_or("--limit needs a value")?.parse()?,
            _ => path = Some(a),
        }
    }
    let path = path.ok_or("usage: bench_restore_stats CORPUS.jsonl.gz [--limit N]")?;
    let r = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(path)?));
    let mut articles = Vec::new();
    for l in r.lines().take(limit) {
        let v: serde_json::Value = serde_json::from_str(&l?)?;
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        articles.push(tintuc::Article {
            title: text("title"),
            lead: text("lead"),
            body: text("body").unwrap_or_default(),
            ..Default::default()
        });
    }
    let t0 = cpu_secs();
    let streams: Vec<_> = articles.iter().map(article_stream).collect();
    let t1 = cpu_secs();
    let held: usize = streams.iter().map(|s| s.heap_bytes()).sum();
    let text: usize = articles
        .iter()
        .map(|a| {
            a.title.as_ref().map_or(0, |t| t.len())
                + a.lead.as_ref().map_or(0, |t| t.len())
                + a.body.len()
        })
        .sum();
    println!("text {text} bytes, streams hold {held} bytes");
    let mut counts = Counts::new(Limits::default());
    for s in &streams {
        counts.add(s);
    }
    let t2 = cpu_secs();
    println!("counts hold (forms, pairs) {:?} bytes", counts.heap_bytes());
    let stats = counts.freeze();
    let bytes = stats.to_bytes();
    let t3 = cpu_secs();
    println!(
        "articles {}  syllables {}  forms {}  pairs {}  file {} bytes",
        articles.len(),
        stats.tokens(),
        stats.len(),
        stats.bigrams(),
        bytes.len()
    );
    println!(
        "cpu: stream {:.2}s  count {:.2}s  freeze+write {:.2}s  total {:.2}s",
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t3 - t0
    );
    Ok(())
}

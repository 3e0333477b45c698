//! Development tool for the search module: runs the known-item and date checks of
//! `../shared/eval/relevance` in-process (for tuning [`Weights`] quickly, without a
//! process per query), shows the rank of one article for one query, and times the
//! tokenizer the snippets use.
//!
//! ```sh
//! cargo build --release
//! target/release/tintuc --index target/devidx ingest --format jsonl ../shared/corpus/dev.jsonl.gz
//! cargo run --release --example search_dev -- eval target/devidx ../shared/eval/relevance/dev/queries.jsonl [title=2,cover=100] [--loose] [--misses] [--nosnip]
//! cargo run --release --example search_dev -- dates target/devidx ../shared/eval/relevance/dev/dates.jsonl
//! cargo run --release --example search_dev -- debug target/devidx "QUERY" TARGET_ID [weights]
//! ```

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use tintuc::index::Archive;
use tintuc::search::{Accents, DateFilter, SearchRequest, Weights, dates, search};

fn lines(path: &str) -> Box<dyn Iterator<Item = String>> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let r: Box<dyn BufRead> = if path.ends_with(".gz") {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            f,
        )))
    } else {
        Box::new(std::io::BufReader::new(f))
    };
    Box::new(
        r.lines()
            .map_while(Result::ok)
            .filter(|l| !l.trim().is_empty()),
    )
}

fn weights(spec: Option<&str>) -> Weights {
    let mut w = Weights::default();
    for kv in spec.unwrap_or("").split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').expect("k=v");
        let v: f32 = v.parse().expect("number");
        match k {
            "title" => w.title = v,
            "kicker" => w.kicker = v,
            "lead" => w.lead = v,
            "body" => w.body = v,
            "named" => w.named = v,
            "exact_bonus" => w.exact_bonus = v,
            "pair_title" => w.pair_title = v,
            "pair_body" => w.pair_body = v,
            "word_title" => w.word_title = v,
            "word_body" => w.word_body = v,
            "cover" => w.cover = v,
            "rescore_window" => w.rescore_window = v as usize,
            "restore_pair_title" => w.restore_pair_title = v,
            "restore_pair_body" => w.restore_pair_body = v,
            "restore_term" => w.restore_term = v,
            "restore_min_conf" => w.restore_min_conf = v,
            _ => panic!("unknown weight {k}"),
        }
    }
    w
}

/// CPU time of this thread, in milliseconds (robust to other processes' load).
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0 * v.len() as f64).ceil() as usize).max(1) - 1;
    v[i.min(v.len() - 1)]
}

fn eval(
    index: &str,
    queries: &str,
    spec: Option<&str>,
    loose: bool,
    show_misses: bool,
    nosnip: bool,
    range: Option<DateFilter>,
) {
    let archive = Archive::open(Path::new(index)).expect("open index");
    let w = weights(spec);
    // TINTUC_DEV_NO_RESTORE=1: searches as with `--no-restore` (to time restoration)
    let no_restore = std::env::var_os("TINTUC_DEV_NO_RESTORE").is_some();
    #[derive(Default)]
    struct Acc {
        rr: f64,
        n: usize,
        r1: usize,
        lat: Vec<f64>,
        cpu: Vec<f64>,
    }
    let mut by: BTreeMap<String, Acc> = BTreeMap::new();
    for line in lines(queries) {
        let q: serde_json::Value = serde_json::from_str(&line).expect("json");
        let text = q["query"].as_str().unwrap_or_default();
        let target = q["target_id"].as_str().unwrap_or_default();
        let kind = q["type"].as_str().unwrap_or_default().to_string();
        let mut req = SearchRequest::new(text);
        req.weights = w.clone();
        if loose {
            req.accents = Accents::Loose;
        }
        if nosnip {
            req.snippet_chars = 0;
        }
        req.restore = !no_restore;
        if let Some(d) = range {
            req.dates = d;
        }
        let c0 = thread_cpu_ms();
        let result = search(&archive, &req);
        let cpu = thread_cpu_ms() - c0;
        let (ids, took) = match result {
            Ok(r) => (
                r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>(),
                r.took.as_secs_f64() * 1000.0,
            ),
            Err(e) => {
                eprintln!("{text}: {e}");
                (Vec::new(), 0.0)
            }
        };
        let rank = ids.iter().position(|i| i == target).map(|p| p + 1);
        if show_misses && rank != Some(1) {
            println!("{kind}\t{rank:?}\t{text}\t{target}\t{:?}", ids.first());
        }
        for k in [kind.as_str(), "all"] {
            let a = by.entry(k.to_string()).or_default();
            a.n += 1;
            a.rr += rank.map_or(0.0, |r| 1.0 / r as f64);
            a.r1 += usize::from(rank == Some(1));
            a.lat.push(took);
            a.cpu.push(cpu);
        }
    }
    println!(
        "| type | n | MRR@10 | R@1 | p50 ms | p95 ms | p99 ms | cpu p50 | cpu p95 | cpu p99 |"
    );
    for (k, mut a) in by {
        let n = a.n as f64;
        println!(
            "| {k} | {} | {:.3} | {:.3} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            a.n,
            a.rr / n,
            a.r1 as f64 / n,
            pct(&mut a.lat, 50.0),
            pct(&mut a.lat, 95.0),
            pct(&mut a.lat, 99.0),
            pct(&mut a.cpu, 50.0),
            pct(&mut a.cpu, 95.0),
            pct(&mut a.cpu, 99.0)
        );
    }
}

fn date_checks(index: &str, checks: &str) {
    let archive = Archive::open(Path::new(index)).expect("open index");
    let (mut n, mut exact, mut exact_folded, mut by_rule) = (0, 0, 0, 0);
    let mut lat = Vec::new();
    for line in lines(checks) {
        let c: serde_json::Value = serde_json::from_str(&line).expect("json");
        let set = |k: &str| -> HashSet<String> {
            c[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let from = dates::parse_period(c["from"].as_str().unwrap_or_default()).expect("from");
        let to = dates::parse_period(c["to"].as_str().unwrap_or_default()).expect("to");
        let mut req = SearchRequest::new(c["query"].as_str().unwrap_or_default());
        req.dates = DateFilter::between(Some(from), Some(to)).expect("range");
        req.limit = 100_000;
        let r = search(&archive, &req).expect("search");
        lat.push(r.took.as_secs_f64() * 1000.0);
        let got: HashSet<String> = r.hits.into_iter().map(|h| h.id).collect();
        assert_eq!(got.len() as u64, r.total.min(100_000));
        n += 1;
        let (e, ef) = (set("expected_ids"), set("expected_ids_folded"));
        exact += usize::from(got == e);
        exact_folded += usize::from(got == ef);
        // The accent rule: a syllable typed without accents matches every accented form.
        let q = c["query"].as_str().unwrap_or_default();
        let rule = if tintuc::analysis::has_diacritics(q) {
            &e
        } else {
            &ef
        };
        by_rule += usize::from(&got == rule);
        if got != e && got != ef {
            println!(
                "{} {:?} {}..{}: got {} expected {} (folded {}); extra {:?} missing {:?}",
                c["cid"],
                c["query"],
                c["from"],
                c["to"],
                got.len(),
                e.len(),
                ef.len(),
                got.difference(&e).take(3).collect::<Vec<_>>(),
                e.difference(&got).take(3).collect::<Vec<_>>()
            );
        }
    }
    println!(
        "date checks: {n}, exact {exact} ({:.3}), equal to the folded set {exact_folded}, equal to the set the accent rule defines {by_rule} ({:.3}), p50 {:.2} ms p99 {:.2} ms",
        exact as f64 / n as f64,
        by_rule as f64 / n as f64,
        pct(&mut lat, 50.0),
        pct(&mut lat, 99.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |i: usize| args.get(i).map(String::as_str);
    match (get(1), get(2), get(3)) {
        (Some("eval"), Some(index), Some(q)) => {
            let flags: Vec<&str> = args[4..].iter().map(String::as_str).collect();
            let spec = flags.iter().find(|f| f.contains('=')).copied();
            eval(
                index,
                q,
                spec,
                flags.contains(&"--loose"),
                flags.contains(&"--misses"),
                flags.contains(&"--nosnip"),
                flags.contains(&"--dates").then(|| {
                    DateFilter::between(
                        dates::parse_period("2013").ok(),
                        dates::parse_period("2021").ok(),
                    )
                    .expect("range")
                }),
            )
        }
        (Some("dates"), Some(index), Some(d)) => date_checks(index, d),
        (Some("debug"), Some(index), Some(q)) => {
            let archive = Archive::open(Path::new(index)).expect("open index");
            let mut req = SearchRequest::new(q);
            req.limit = 100_000;
            req.snippet_chars = 0;
            req.weights = weights(get(5));
            let r = search(&archive, &req).expect("search");
            println!(
                "total {} relaxed {:?} took {:?}",
                r.total, r.relaxed, r.took
            );
            let target = get(4).unwrap_or("");
            for (i, h) in r.hits.iter().enumerate() {
                if i < 5 || h.id == target {
                    println!("{:>5} {:8.3} {} {:?}", i + 1, h.score, h.id, h.title);
                }
            }
        }
        (Some("tok"), Some(corpus), _) => {
            let texts: Vec<String> = lines(corpus)
                .take(2000)
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(&l).expect("json");
                    v["body"].as_str().unwrap_or_default().to_string()
                })
                .collect();
            let bytes: usize = texts.iter().map(String::len).sum();
            let t0 = Instant::now();
            let n: usize = texts
                .iter()
                .map(|t| tintuc::analysis::tokenize(t).len())
                .sum();
            let dt = t0.elapsed().as_secs_f64();
            println!(
                "{n} tokens, {bytes} bytes in {dt:.3}s: {:.1} MB/s, {:.0} ns/token",
                bytes as f64 / dt / 1e6,
                dt * 1e9 / n as f64
            );
        }
        _ => eprintln!(
            "usage: search_dev eval INDEX QUERIES [k=v,...] [--loose] [--misses] | dates INDEX CHECKS | debug INDEX QUERY TARGET [weights] | tok CORPUS"
        ),
    }
}

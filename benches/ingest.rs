//! Ingest throughput on the real corpus, tintuc's analyzers against tantivy's `default`
//! tokenizer over the same documents and the same field layout.
//!
//! ```sh
//! nice cargo bench --bench ingest            # ../shared/corpus/dev.jsonl.gz
//! TINTUC_BENCH_CORPUS=FILE cargo bench --bench ingest
//! ```
//!
//! Prints, for the same articles (read once into memory beforehand):
//! - `tokenize`: one thread running each analyzer over every text field (exact and
//!   folded fields both);
//! - `index`: building the documents and indexing them into a fresh index with the
//!   writer's default budget (256 MB, one indexing thread per core), commit and merges
//!   included — once with tantivy's `default` tokenizer in every text field, once with
//!   tintuc's `vi_exact`/`vi_folded`; the ratio of the two times is the analyzers' cost;
//! - `ingest`: tintuc's whole pipeline ([`tintuc::index::ingest::ingest`]: reading
//!   thread, "unchanged?" lookups, bounded queue, commits) into a fresh index.
//!
//! `TINTUC_BENCH_QUICK=1` stops before the indexing runs.
//!
//! MB/s count input bytes (JSON lines) and, separately, article text (title, kicker,
//! lead, body, author, category, source). Timings on a shared machine are noisy.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tintuc::Article;
use tintuc::analysis::tantivy::{EXACT, FOLDED, register};
use tintuc::extract::{Format, Record, read_inputs};
use tintuc::index::fingerprint::fingerprint;
use tintuc::index::ingest::{IngestOptions, ingest};
use tintuc::index::schema::build_with_tokenizers;
use tintuc::index::{Archive, TextField, WriterOptions, to_document};

fn corpus() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TINTUC_BENCH_CORPUS") {
        return Some(PathBuf::from(p));
    }
    let shared = std::env::var_os("TINTUC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let p = shared.join("corpus/dev.jsonl.gz");
    p.is_file().then_some(p)
}

fn text_bytes(a: &Article) -> u64 {
    TextField::ALL
        .iter()
        .filter_map(|f| f.text(a))
        .map(|t| t.len() as u64)
        .sum()
}

/// CPU seconds used by this process so far (all threads; Linux `/proc`, else 0).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Wall time and CPU time of a phase.
struct Timer(Instant, f64);

impl Timer {
    fn start() -> Timer {
        Timer(Instant::now(), cpu_seconds())
    }
    fn stop(&self) -> (Duration, f64) {
        (self.0.elapsed(), cpu_seconds() - self.1)
    }
}

fn rate(label: &str, (d, cpu): (Duration, f64), input: u64, text: u64, n: usize) {
    let s = d.as_secs_f64();
    println!(
        "{label:<32} {s:>6.2} s wall {cpu:>6.2} s CPU  {:>6.2} MB/s input  {:>6.2} MB/s text  {:>6.0} art/s  {:>6.2} MB text per CPU-s",
        input as f64 / 1e6 / s,
        text as f64 / 1e6 / s,
        n as f64 / s,
        text as f64 / 1e6 / cpu.max(1e-3)
    );
}

/// Tokenizes every text field of every article with `exact` then `folded`.
fn tokenize_all(articles: &[Article], exact: &mut TextAnalyzer, folded: &mut TextAnalyzer) -> u64 {
    let mut tokens = 0u64;
    for a in articles {
        for f in TextField::ALL {
            if let Some(t) = f.text(a) {
                for an in [&mut *exact, &mut *folded] {
                    let mut s = an.token_stream(t);
                    while s.advance() {
                        tokens += 1;
                    }
                }
            }
        }
    }
    tokens
}

/// Builds the documents and indexes them into a fresh index whose text fields use
/// the given tokenizers; returns the time taken.
fn index_with(articles: &[Article], exact: &str, folded: &str) -> (Duration, f64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (schema, fields) = build_with_tokenizers(exact, folded);
    let index = Index::create_in_dir(dir.path(), schema).expect("index");
    register(index.tokenizers());
    let (threads, heap, _) = WriterOptions::default().budgets();
    let timer = Timer::start();
    let mut writer: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, heap)
        .expect("writer");
    for a in articles {
        writer
            .add_document(to_document(a, &fields, a.content_hash()))
            .expect("add");
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
    timer.stop()
}

fn main() {
    let Some(path) = corpus() else {
        println!(
            "skipping the ingest bench: ../shared/corpus/dev.jsonl.gz is absent (set TINTUC_SHARED or TINTUC_BENCH_CORPUS)"
        );
        return;
    };
    let timer = Timer::start();
    let mut records: Vec<Record> = Vec::new();
    let mut errors = 0;
    for r in read_inputs(&[path.display().to_string()], Format::Jsonl) {
        match r {
            Ok(r) => records.push(r),
            Err(_) => errors += 1,
        }
    }
    let read = timer.stop();
    let input: u64 = records.iter().map(|r| r.bytes).sum();
    let articles: Vec<Article> = records.iter().map(|r| r.article.clone()).collect();
    let text: u64 = articles.iter().map(text_bytes).sum();
    let n = articles.len();
    let (threads, heap, _) = WriterOptions::default().budgets();
    println!(
        "corpus {}: {n} articles ({errors} unreadable), {:.1} MB input, {:.1} MB text; {threads} indexing threads, {} MB heap",
        path.display(),
        input as f64 / 1e6,
        text as f64 / 1e6,
        heap / 1_000_000
    );
    rate("read + parse (readers, 1 thread)", read, input, text, n);

    let mgr = tantivy::tokenizer::TokenizerManager::default();
    register(&mgr);
    let get = |name: &str| mgr.get(name).expect("registered tokenizer");
    let t = Timer::start();
    let tok_default = tokenize_all(&articles, &mut get("default"), &mut get("default"));
    let d_default = t.stop();
    let t = Timer::start();
    let tok_tintuc = tokenize_all(&articles, &mut get(EXACT), &mut get(FOLDED));
    let d_tintuc = t.stop();
    rate("tokenize, default (1 thread)", d_default, input, text, n);
    rate("tokenize, vi_exact+vi_folded", d_tintuc, input, text, n);
    println!(
        "  tokens: default {tok_default}, tintuc {tok_tintuc}; CPU time ratio tintuc/default {:.2}",
        d_tintuc.1 / d_default.1
    );

    let t = Timer::start();
    let nonzero = articles.iter().filter(|a| fingerprint(a) != 0).count();
    rate("fingerprints only", t.stop(), input, text, n);
    println!("  {nonzero} of {n} articles long enough for a fingerprint");
    let t = Timer::start();
    let json: usize = articles
        .iter()
        .map(|a| serde_json::to_vec(a).map_or(0, |v| v.len()))
        .sum();
    rate("stored JSON only", t.stop(), input, text, n);
    println!("  {:.1} MB of JSON", json as f64 / 1e6);

    let (_, fields) = build_with_tokenizers(EXACT, FOLDED);
    let t = Timer::start();
    let mut fingerprinted = 0;
    for a in &articles {
        let d = to_document(a, &fields, a.content_hash());
        fingerprinted += usize::from(tantivy::Document::iter_fields_and_values(&d).count() > 0);
    }
    rate(
        "documents (hash, fingerprint, JSON)",
        t.stop(),
        input,
        text,
        fingerprinted,
    );

    if std::env::var_os("TINTUC_BENCH_QUICK").is_some() {
        println!("TINTUC_BENCH_QUICK set: indexing runs skipped");
        return;
    }
    let d_default = index_with(&articles, "default", "default");
    rate("index, default tokenizer", d_default, input, text, n);
    let d_tintuc = index_with(&articles, EXACT, FOLDED);
    rate("index, tintuc analyzers", d_tintuc, input, text, n);
    println!(
        "  ratio tintuc/default: wall time {:.2}, CPU time {:.2} (target: at most 1.3)",
        d_tintuc.0.as_secs_f64() / d_default.0.as_secs_f64(),
        d_tintuc.1 / d_default.1
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let timer = Timer::start();
    let archive = Archive::open_or_create(dir.path()).expect("archive");
    let mut writer = archive.writer(256).expect("writer");
    let report = ingest(
        &mut writer,
        records.into_iter().map(Ok),
        &IngestOptions::default(),
        &mut |_| {},
    )
    .expect("ingest");
    writer.finish().expect("finish");
    let d_ingest = timer.stop();
    let segments = archive.searcher().segment_readers().len();
    rate("ingest pipeline (tintuc, all)", d_ingest, input, text, n);
    println!(
        "  added {}, unchanged {}, skipped {}, {segments} segments; ratio to index/default: wall {:.2}, CPU {:.2}",
        report.added,
        report.unchanged,
        report.skipped,
        d_ingest.0.as_secs_f64() / d_default.0.as_secs_f64(),
        d_ingest.1 / d_default.1
    );
}

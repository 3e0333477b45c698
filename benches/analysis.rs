//! Throughput of the analysis pipeline over real news text.
//!
//! `cargo bench --bench analysis` (release build). Reads the title, lead and body of
//! every article in `../shared/corpus/sample-1k.jsonl` (or `$TINTUC_SHARED/corpus/…`);
//! skips with a message when the corpus is absent. Divan reports the throughput in
//! bytes of original text per second of wall-clock time.
//!
//! Wall-clock figures suffer when other processes share the cores, so `main` first
//! prints the same throughput measured in CPU time of the benchmark thread
//! (`CLOCK_THREAD_CPUTIME_ID`), over a few passes of the whole sample (set
//! `TINTUC_BENCH_NO_CPU=1` to skip that, e.g. under a profiler).

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tintuc::analysis::tantivy::VietTokenizer;
use tintuc::analysis::{Analyzer, encoding, normalize, tokenize};

fn corpus_path() -> PathBuf {
    std::env::var_os("TINTUC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("corpus/sample-1k.jsonl")
}

/// The article texts (title, lead, body) of the sample corpus.
fn texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let raw = std::fs::read_to_string(corpus_path()).unwrap_or_default();
        let mut out = Vec::new();
        for line in raw.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            for key in ["title", "lead", "body"] {
                if let Some(s) = v.get(key).and_then(|s| s.as_str()) {
                    out.push(s.to_string());
                }
            }
        }
        out
    })
}

fn total_bytes() -> usize {
    texts().iter().map(String::len).sum()
}

fn main() {
    let path = corpus_path();
    if !path.is_file() {
        eprintln!(
            "skipping the analysis benchmarks: {} is absent (set TINTUC_SHARED to the shared data folder)",
            path.display()
        );
        return;
    }
    eprintln!(
        "{} texts, {:.1} MB of UTF-8 from {}",
        texts().len(),
        total_bytes() as f64 / 1e6,
        path.display()
    );
    if std::env::var_os("TINTUC_BENCH_NO_CPU").is_none() {
        cpu_time_report();
    }
    divan::main();
}

/// CPU seconds used by this thread so far.
#[cfg(unix)]
fn thread_cpu_seconds() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass, which we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

#[cfg(not(unix))]
fn thread_cpu_seconds() -> Option<f64> {
    None
}

/// Throughput of `pass` (one run over the whole sample) in MB of text per CPU second.
fn cpu_throughput(passes: usize, mut pass: impl FnMut() -> usize) -> Option<f64> {
    black_box(pass()); // warm up
    let start = thread_cpu_seconds()?;
    for _ in 0..passes {
        black_box(pass());
    }
    let secs = thread_cpu_seconds()? - start;
    Some((total_bytes() * passes) as f64 / secs / 1e6)
}

fn cpu_time_report() {
    let passes = 20;
    let mut analyzer = Analyzer::new().with_joined(true);
    let stream = cpu_throughput(passes, || {
        let mut n = 0;
        for text in texts() {
            let mut tokens = analyzer.tokens(text);
            while let Some(t) = tokens.next_token() {
                n += t.normalized.len() + t.folded.len();
            }
        }
        n
    });
    let mut exact = VietTokenizer::exact();
    let tantivy = cpu_throughput(passes, || {
        let mut n = 0;
        for text in texts() {
            let mut stream = exact.token_stream(text);
            while stream.advance() {
                n += stream.token().text.len();
            }
        }
        n
    });
    let vec = cpu_throughput(passes, || texts().iter().map(|t| tokenize(t).len()).sum());
    match (stream, tantivy, vec) {
        (Some(s), Some(t), Some(v)) => eprintln!(
            "CPU-time throughput over {passes} passes (one thread): analyzer_stream {s:.1} MB/s, \
             tantivy_exact {t:.1} MB/s, tokenize_vec {v:.1} MB/s"
        ),
        _ => eprintln!("CPU-time throughput: no thread CPU clock on this system"),
    }
}

/// Normalization + tokenization + folding with the reusable streaming analyzer: the
/// index's hot path.
#[divan::bench]
fn analyzer_stream(b: Bencher) {
    let mut analyzer = Analyzer::new().with_joined(true);
    b.counter(BytesCount::new(total_bytes())).bench_local(|| {
        let mut n = 0usize;
        for text in texts() {
            let mut tokens = analyzer.tokens(text);
            while let Some(t) = tokens.next_token() {
                n += t.normalized.len() + t.folded.len();
            }
        }
        black_box(n)
    });
}

/// The exact tantivy tokenizer (what indexing one field costs).
#[divan::bench]
fn tantivy_exact(b: Bencher) {
    let mut tokenizer = VietTokenizer::exact();
    b.counter(BytesCount::new(total_bytes())).bench_local(|| {
        let mut n = 0usize;
        for text in texts() {
            let mut stream = tokenizer.token_stream(text);
            while stream.advance() {
                n += stream.token().text.len();
            }
        }
        black_box(n)
    });
}

/// The convenient API: owned `Vec<Token>` per text.
#[divan::bench]
fn tokenize_vec(b: Bencher) {
    b.counter(BytesCount::new(total_bytes())).bench_local(|| {
        let mut n = 0usize;
        for text in texts() {
            n += tokenize(text).len();
        }
        black_box(n)
    });
}

/// `normalize` over whole texts.
#[divan::bench]
fn normalize_text(b: Bencher) {
    b.counter(BytesCount::new(total_bytes())).bench_local(|| {
        let mut n = 0usize;
        for text in texts() {
            n += normalize(text).len();
        }
        black_box(n)
    });
}

/// `encoding::decode` of UTF-8 bytes (the common case when reading files).
#[divan::bench]
fn decode_utf8(b: Bencher) {
    b.counter(BytesCount::new(total_bytes())).bench_local(|| {
        let mut n = 0usize;
        for text in texts() {
            n += encoding::decode(text.as_bytes(), None).text.len();
        }
        black_box(n)
    });
}

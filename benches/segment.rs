//! Word segmentation throughput over real news text (`../shared/corpus/sample-1k.jsonl`).
//!
//! `cargo bench --bench segment` — reports syllables per second (word-like pieces of the
//! text, as `tintuc segment` counts them). Skips with a message when the corpus is absent.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use divan::counter::ItemsCount;
use tintuc::analysis::segment::{Workspace, pretok};
use tintuc::analysis::{Segmenter, Token, tokenize};

struct Data {
    lines: Vec<String>,
    syllables: usize,
    /// Lines with their analysis tokens (for `segment_tokens`).
    tokenized: Vec<(String, Vec<Token>)>,
    tokens: usize,
}

fn data() -> Option<&'static Data> {
    static D: OnceLock<Option<Data>> = OnceLock::new();
    D.get_or_init(|| {
        let dir = std::env::var_os("TINTUC_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
        let path = dir.join("corpus/sample-1k.jsonl");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping segment benches: {} is absent", path.display());
            return None;
        };
        let mut lines = Vec::new();
        for l in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(l) else {
                continue;
            };
            for f in ["title", "lead", "body"] {
                if let Some(s) = v.get(f).and_then(|x| x.as_str()) {
                    lines.extend(
                        s.lines()
                            .filter(|x| !x.trim().is_empty())
                            .map(str::to_string),
                    );
                }
            }
        }
        let mut pieces = Vec::new();
        let mut syllables = 0;
        for l in &lines {
            pretok::pieces(l, &mut pieces);
            syllables += pieces.iter().filter(|p| p.word).count();
        }
        let tokenized: Vec<(String, Vec<Token>)> = lines
            .iter()
            .take(2000)
            .map(|l| (l.clone(), tokenize(l)))
            .collect();
        let tokens = tokenized.iter().map(|(_, t)| t.len()).sum();
        Some(Data {
            lines,
            syllables,
            tokenized,
            tokens,
        })
    })
    .as_ref()
}

fn main() {
    // load (and warm the model) before timing
    if let Some(d) = data() {
        let _ = Segmenter::global().segment_line("khởi động");
        eprintln!(
            "segment bench: {} lines, {} syllables",
            d.lines.len(),
            d.syllables
        );
    }
    divan::main();
}

/// `segment_line_into` over every line: the `tintuc segment` path.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn segment_lines(bencher: Bencher) {
    let Some(d) = data() else {
        return;
    };
    let seg = Segmenter::global();
    let mut ws = Workspace::default();
    let mut out = String::new();
    bencher
        .counter(ItemsCount::new(d.syllables))
        .bench_local(|| {
            for l in &d.lines {
                out.clear();
                seg.segment_line_into(l, &mut ws, &mut out);
            }
            out.len()
        });
}

/// `segment_tokens` over already tokenized lines: the indexing and query path.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn segment_tokens(bencher: Bencher) {
    let Some(d) = data() else {
        return;
    };
    let seg = Segmenter::global();
    bencher.counter(ItemsCount::new(d.tokens)).bench_local(|| {
        let mut n = 0;
        for (l, toks) in &d.tokenized {
            n += seg.segment_tokens(l, toks).len();
        }
        n
    });
}

/// Loading the embedded model (first use).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn load_model() -> Segmenter {
    Segmenter::embedded().unwrap_or_default()
}

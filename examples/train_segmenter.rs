//! Trains the word segmentation model that `tintuc` embeds.
//!
//! ```text
//! cargo run --release --example train_segmenter -- [--shared ../shared] \
//!     [--out src/analysis/segment/data/model.bin] [--epochs N] [--dev-pred FILE]
//! ```
//!
//! Reads `corpus/dev.jsonl.gz` (unlabeled news text: syllable and pair statistics),
//! `lexicon/pyvi/words.txt` and `lexicon/underthesea/Viet74K.txt` (word lists) and
//! `seg/train.txt` (the gold treebank split it learns from). When `seg/dev.txt` is
//! present it reports dev F1 after every epoch (for choosing hyper-parameters only; dev
//! is never learned from). The result is deterministic.

use std::path::PathBuf;
use std::time::Instant;

use tintuc::analysis::segment::features::LAYOUT_HASH;
use tintuc::analysis::segment::train::{self, Config, CorpusStats};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut shared = PathBuf::from("../shared");
    let mut out = PathBuf::from("src/analysis/segment/data/model.bin");
    let mut cfg = Config::default();
    let mut dev_pred: Option<PathBuf> = None;
    let mut corpus_limit: Option<usize> = None;
    let mut stats_cache: Option<PathBuf> = None;
    let mut runs = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--shared" => shared = val()?.into(),
            "--out" => out = val()?.into(),
            "--epochs" => cfg.epochs = val()?.parse()?,
            "--vocab-min" => cfg.vocab_min = val()?.parse()?,
            "--pair-min" => cfg.pair_min = val()?.parse()?,
            "--seed" => cfg.seed = val()?.parse()?,
            "--dropout" => cfg.dropout = val()?.parse()?,
            "--margin" => cfg.margin = val()?.parse()?,
            "--corpus-limit" => corpus_limit = Some(val()?.parse()?),
            "--dev-pred" => dev_pred = Some(val()?.into()),
            "--stats-cache" => stats_cache = Some(val()?.into()),
            "--runs" => runs = val()?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: train_segmenter [--shared DIR] [--out FILE] [--epochs N] [--vocab-min N] [--pair-min N] [--seed N] [--corpus-limit N] [--dev-pred FILE] [--stats-cache FILE]"
                );
                return Ok(());
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let t = Instant::now();
    let cached = stats_cache
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| CorpusStats::from_bytes(&b));
    let stats = match cached {
        Some(s) => s,
        None => {
            let mut stats = CorpusStats::default();
            let docs = stats.add_jsonl(&shared.join("corpus/dev.jsonl.gz"), corpus_limit)?;
            eprintln!("corpus: {docs} articles read");
            if let Some(p) = &stats_cache {
                std::fs::write(p, stats.to_bytes())?;
            }
            stats
        }
    };
    let (ns, np) = stats.sizes();
    eprintln!(
        "corpus: {} tokens, {ns} syllables, {np} pairs ({:.1}s)",
        stats.total(),
        t.elapsed().as_secs_f64()
    );
    let lex_a = train::read_lexicon(&shared.join("lexicon/pyvi/words.txt"))?;
    let lex_b = train::read_lexicon(&shared.join("lexicon/underthesea/Viet74K.txt"))?;
    eprintln!(
        "lexicons: pyvi {} entries, Viet74K {} entries",
        lex_a.len(),
        lex_b.len()
    );
    let vn = train::read_syllables(&shared.join("lexicon/pyvi/words.txt"))?;
    let gold = train::read_gold(&shared.join("seg/train.txt"))?;
    let chains: Vec<_> = gold.iter().flat_map(train::gold_chains).collect();
    eprintln!("train: {} sentences, {} chains", gold.len(), chains.len());
    let mut model = train::build_model(&stats, &lex_a, &lex_b, &vn, &chains, &cfg)?;
    let (s, p, l) = model.sizes();
    eprintln!(
        "model: {s} syllables, {p} pairs, {l} long entries, {} weights",
        model.weights.len()
    );
    let dev: Option<Vec<String>> = std::fs::read_to_string(shared.join("seg/dev.txt"))
        .ok()
        .map(|t| t.lines().map(str::to_string).collect());
    let mut sum = vec![0f64; model.weights.len()];
    for run in 0..runs {
        let mut m = model.clone();
        let cfg = Config {
            seed: cfg.seed + run as u64 * 1000,
            ..cfg.clone()
        };
        train::train(&mut m, &chains, &cfg, |r, m| {
            let dev_f1 = dev
                .as_ref()
                .filter(|_| runs == 1 || r.epoch == cfg.epochs)
                .map(|d| train::evaluate(m, d).0);
            match dev_f1 {
                Some((p, r_, f)) => eprintln!(
                    "run {run} epoch {:2}: {} / {} chains wrong; dev P {p:.2} R {r_:.2} F1 {f:.2}",
                    r.epoch, r.errors, r.chains
                ),
                None => eprintln!(
                    "run {run} epoch {:2}: {} / {} chains wrong",
                    r.epoch, r.errors, r.chains
                ),
            }
        });
        for (s, w) in sum.iter_mut().zip(&m.weights) {
            *s += *w as f64;
        }
    }
    if runs > 0 {
        for (w, s) in model.weights.iter_mut().zip(&sum) {
            *w = (*s / runs as f64) as f32;
        }
    }
    if let (true, Some(d)) = (runs > 1, dev.as_ref()) {
        let (p, r, f) = train::evaluate(&model, d).0;
        eprintln!("averaged {runs} runs: dev P {p:.2} R {r:.2} F1 {f:.2}");
    }
    let bytes = model.to_bytes(LAYOUT_HASH);
    std::fs::write(&out, &bytes)?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    if let (Some(path), Some(d)) = (dev_pred, dev.as_ref()) {
        // score what the saved model does (read back from its bytes)
        let saved = tintuc::analysis::segment::model::Model::from_bytes(&bytes, LAYOUT_HASH)?;
        let ((p, r, f), pred) = train::evaluate(&saved, d);
        std::fs::write(&path, pred.join("\n") + "\n")?;
        eprintln!(
            "saved model on dev: P {p:.2} R {r:.2} F1 {f:.2}; predictions in {}",
            path.display()
        );
    }
    Ok(())
}

//! Measures accent restoration on held-out text.
//!
//! ```text
//! cargo run --release --example eval_restore -- --lines ../shared/seg/dev.raw.txt
//! cargo run --release --example eval_restore -- --dev ../shared/corpus/dev.jsonl.gz --field title
//! cargo run --release --example eval_restore -- --dev ../shared/corpus/dev.jsonl.gz --field lead
//! ```
//!
//! Each line (a VTB sentence; an article's title; the first sentence of its lead) is
//! stripped of its diacritics (combining marks removed, `đ`→`d`, case kept), restored
//! by the embedded model and compared syllable by syllable with the original under
//! the index's normalization (tone placement ignored: `hoà` = `hòa`). Prints syllable
//! and whole-line accuracy, restoration speed, and with `--errors N` the first N
//! wrong syllables with their context; `--model FILE` measures another model file.
//!
//! Archive statistics ([`tintuc::analysis::restore::archive`]): `--stats FILE` reads
//! a `restore-stats.bin` (from an index's generation folder); `--stats-from
//! CORPUS.jsonl.gz` counts one as `ingest` would (title, lead, body of every
//! article, `--stats-limit N` articles), `--save-stats FILE` writes it;
//! `--base-weight X` sets the model's interpolation weight.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use std::sync::Arc;

use tintuc::analysis::restore::archive::{Counts, Limits};
use tintuc::analysis::restore::{ArchiveStats, Model, Restorer, Workspace};
use tintuc::analysis::{TokenKind, tokenize};
use unicode_normalization::UnicodeNormalization;

fn strip(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lines: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    let mut errors = 0usize;
    let (mut dev, mut field, mut limit) = (None, "title".to_string(), usize::MAX);
    let mut file = None;
    let mut model: Option<String> = None;
    let (mut stats, mut stats_from, mut save_stats) = (None, None, None);
    let mut stats_limit = usize::MAX;
    let mut base_weight: Option<f32> = None;
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--lines" => file = Some(val()?),
            "--dev" => dev = Some(val()?),
            "--field" => field = val()?,
            "--limit" => limit = val()?.parse()?,
            "--errors" => errors = val()?.parse()?,
            "--model" => model = Some(val()?),
            "--stats" => stats = Some(val()?),
            "--stats-from" => stats_from = Some(val()?),
            "--stats-limit" => stats_limit = val()?.parse()?,
            "--save-stats" => save_stats = Some(val()?),
            "--base-weight" => base_weight = Some(val()?.parse()?),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    if let Some(f) = file {
        lines = std::fs::read_to_string(f)?
            .lines()
            .map(String::from)
            .collect();
    }
    if let Some(d) = dev {
        let r = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(d)?));
        for l in r.lines() {
            let v: serde_json::Value = serde_json::from_str(&l?)?;
            if let Some(s) = v.get(field.as_str()).and_then(|x| x.as_str()) {
                let s = if field == "lead" {
                    first_sentence(s)
                } else {
                    s
                };
                let s = s.trim();
                if !s.is_empty() {
                    lines.push(s.to_string());
                }
            }
        }
    }
    lines.truncate(limit);
    let inputs: Vec<String> = lines.iter().map(|l| strip(l)).collect();
    let owned;
    let r = match &model {
        Some(p) => {
            owned = Restorer::from_model(Model::from_bytes(&std::fs::read(p)?)?);
            &owned
        }
        None => Restorer::global(),
    };
    let mut archive: Option<ArchiveStats> = match &stats {
        Some(p) => Some(ArchiveStats::from_bytes(&std::fs::read(p)?)?),
        None => None,
    };
    if let Some(p) = &stats_from {
        let t = Instant::now();
        let r = BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(p)?));
        let mut counts = Counts::new(Limits::default());
        for l in r.lines().take(stats_limit) {
            let v: serde_json::Value = serde_json::from_str(&l?)?;
            let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
            let a = tintuc::Article {
                title: text("title"),
                lead: text("lead"),
                body: text("body").unwrap_or_default(),
                ..Default::default()
            };
            counts.add(&tintuc::index::restore_stats::article_stream(&a));
        }
        let s = counts.freeze();
        eprintln!(
            "archive statistics: {} forms, {} pairs, {} syllables, {} bytes ({:.1}s)",
            s.len(),
            s.bigrams(),
            s.tokens(),
            s.to_bytes().len(),
            t.elapsed().as_secs_f64()
        );
        archive = Some(s);
    }
    if let (Some(p), Some(s)) = (&save_stats, &archive) {
        std::fs::write(p, s.to_bytes())?;
    }
    let with;
    let r = match archive {
        Some(s) => {
            let t = Instant::now();
            let mut x = r.with_archive(Arc::new(s));
            if let Some(w) = base_weight {
                x = x.with_base_weight(w);
            }
            with = x;
            eprintln!("with archive statistics ({:?})", t.elapsed());
            &with
        }
        None => r,
    };
    let mut ws = Workspace::default();
    let mut outs = Vec::with_capacity(inputs.len());
    let t = Instant::now();
    for l in &inputs {
        let mut o = String::new();
        r.restore_into(l, &mut ws, &mut o);
        outs.push(o);
    }
    let secs = t.elapsed().as_secs_f64();
    let (mut syl, mut ok, mut lines_ok, mut shown) = (0usize, 0usize, 0usize, 0usize);
    for (gold, out) in lines.iter().zip(&outs) {
        let g: Vec<_> = tokenize(gold)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let o: Vec<_> = tokenize(out)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .collect();
        let mut all = g.len() == o.len();
        for (i, gt) in g.iter().enumerate() {
            syl += 1;
            match o.get(i) {
                Some(ot) if ot.normalized == gt.normalized => ok += 1,
                _ => {
                    all = false;
                    if shown < errors {
                        shown += 1;
                        println!(
                            "{} -> {}\t| {}",
                            gt.normalized,
                            o.get(i).map(|t| t.normalized.as_str()).unwrap_or("?"),
                            out
                        );
                    }
                }
            }
        }
        if all {
            lines_ok += 1;
        }
    }
    println!(
        "lines {}  syllables {syl}  syllable accuracy {:.2}%  line accuracy {:.2}%  {:.0} syllables/s",
        lines.len(),
        100.0 * ok as f64 / syl.max(1) as f64,
        100.0 * lines_ok as f64 / lines.len().max(1) as f64,
        syl as f64 / secs
    );
    // what a search pays: `analyze` (the path plus each syllable's alternatives)
    let t = Instant::now();
    let mut n_alt = 0usize;
    for l in &inputs {
        n_alt += r
            .analyze(l)
            .iter()
            .map(|s| s.alternatives.len())
            .sum::<usize>();
    }
    let a = t.elapsed().as_secs_f64();
    println!(
        "restore {:.1} µs a line, analyze {:.1} µs a line ({n_alt} alternatives)",
        1e6 * secs / inputs.len().max(1) as f64,
        1e6 * a / inputs.len().max(1) as f64
    );
    Ok(())
}

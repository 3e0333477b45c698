//! Training the segmentation model (used by `examples/train_segmenter.rs`).
//!
//! 1. [`CorpusStats`]: syllable and adjacent-pair counts over unlabeled news text
//!    (`../shared/corpus/dev.jsonl.gz`), with how often each is capitalised inside a
//!    sentence.
//! 2. [`read_lexicon`]: the word lists (`../shared/lexicon/`), each entry keyed
//!    syllable by syllable with [`super::key::key_of`] (so tone placement and case do
//!    not matter).
//! 3. [`build_model`]: the vocabulary (corpus syllables seen at least `vocab_min`
//!    times, plus every lexicon and treebank syllable), pair statistics binned (PMI,
//!    count, conditional probabilities, capitalisation), lexicon flags, and one
//!    lexicalised weight slot per treebank syllable and syllable pair.
//! 4. [`train`]: an averaged structured perceptron over the treebank's training split,
//!    decoding with the same Viterbi as segmentation.
//!
//! Everything is deterministic (sorted tables, fixed shuffling seed), so the same
//! inputs give the same model file.

use std::io::{BufRead, BufReader};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use super::decode::Decoder;
use super::features::{self, CTX_PUNCT, CTX_START, CTX_WORD, Chain, MAX_LEN, Unit};
use super::key::{Shape, key_of};
use super::model::{Model, N_FREQ, NO_SLOT, PMI_UNSEEN, PairInfo, SylInfo, lex, seq_hash};
use super::pretok::{Piece, pieces};
use super::{ChainBufs, Segmenter, for_each_chain};

/// Errors while reading training data.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Model(#[from] super::model::ModelError),
    #[error("{path}:{line}: {msg}")]
    Parse {
        path: String,
        line: usize,
        msg: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> TrainError + '_ {
    move |source| TrainError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Corpus syllables seen fewer times are left out of the vocabulary (unless in a lexicon).
    pub vocab_min: u32,
    /// Corpus pairs seen fewer times get no statistics (they count as unseen).
    pub pair_min: u32,
    /// Perceptron passes over the training split.
    pub epochs: usize,
    /// Shuffling seed.
    pub seed: u64,
    /// Per mille of lexicalised feature occurrences dropped while training.
    pub dropout: u32,
    /// Score bonus for wrong words while training (cost-augmented decoding).
    pub margin: f32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            vocab_min: 2,
            pair_min: 5,
            epochs: 14,
            seed: 7,
            dropout: 300,
            margin: 0.0,
        }
    }
}

/// Syllable and pair counts over unlabeled text.
#[derive(Debug, Default)]
pub struct CorpusStats {
    index: FxHashMap<u64, u32>,
    keys: Vec<u64>,
    count: Vec<u32>,
    /// Occurrences not at the start of a sentence, and how many of those capitalised.
    inner: Vec<u32>,
    inner_cap: Vec<u32>,
    /// (a << 32 | b) -> (count, both capitalised)
    pairs: FxHashMap<u64, (u32, u32)>,
    total: u64,
    pieces: Vec<Piece>,
}

fn capish(s: Shape) -> bool {
    matches!(s, Shape::Cap | Shape::Initial | Shape::Upper)
}

impl CorpusStats {
    /// Counts one line of text.
    pub fn add_line(&mut self, line: &str) {
        let mut ps = std::mem::take(&mut self.pieces);
        pieces(line, &mut ps);
        let mut ctx = CTX_START;
        let mut prev: Option<(u32, bool)> = None;
        for p in &ps {
            let text = &line[p.start..p.end];
            if !p.word {
                ctx = features::punct_ctx(text);
                prev = None;
                continue;
            }
            let k = key_of(text);
            let next = self.keys.len() as u32;
            let id = *self.index.entry(k.key).or_insert(next);
            if id == next {
                self.keys.push(k.key);
                self.count.push(0);
                self.inner.push(0);
                self.inner_cap.push(0);
            }
            let i = id as usize;
            self.count[i] = self.count[i].saturating_add(1);
            self.total += 1;
            let cap = capish(k.shape);
            if ctx == CTX_WORD || ctx == CTX_PUNCT {
                self.inner[i] = self.inner[i].saturating_add(1);
                self.inner_cap[i] = self.inner_cap[i].saturating_add(cap as u32);
            }
            if let Some((a, acap)) = prev {
                let e = self
                    .pairs
                    .entry(((a as u64) << 32) | id as u64)
                    .or_insert((0, 0));
                e.0 = e.0.saturating_add(1);
                e.1 = e.1.saturating_add((acap && cap) as u32);
            }
            prev = Some((id, cap));
            ctx = CTX_WORD;
        }
        self.pieces = ps;
    }

    /// Counts the title, lead and body of every article of a JSON Lines file (gzip if `.gz`).
    /// Returns the number of articles read.
    pub fn add_jsonl(&mut self, path: &Path, limit: Option<usize>) -> Result<usize, TrainError> {
        #[derive(serde::Deserialize)]
        struct Doc {
            title: Option<String>,
            lead: Option<String>,
            body: Option<String>,
        }
        let f = std::fs::File::open(path).map_err(io_err(path))?;
        let r: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(BufReader::new(flate2::read::GzDecoder::new(f)))
        } else {
            Box::new(BufReader::new(f))
        };
        let mut n = 0;
        for (i, line) in r.lines().enumerate() {
            if limit.is_some_and(|l| n >= l) {
                break;
            }
            let line = line.map_err(io_err(path))?;
            if line.trim().is_empty() {
                continue;
            }
            let doc: Doc = serde_json::from_str(&line).map_err(|e| TrainError::Parse {
                path: path.display().to_string(),
                line: i + 1,
                msg: e.to_string(),
            })?;
            for field in [doc.title, doc.lead, doc.body].into_iter().flatten() {
                for l in field.lines() {
                    self.add_line(l);
                }
            }
            n += 1;
        }
        Ok(n)
    }

    /// Total word-like tokens counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Distinct syllables and pairs counted.
    pub fn sizes(&self) -> (usize, usize) {
        (self.keys.len(), self.pairs.len())
    }

    /// Serializes the counts (a cache for repeated training runs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.keys.len() * 20 + self.pairs.len() * 16 + 16);
        out.extend_from_slice(&self.total.to_le_bytes());
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for i in 0..self.keys.len() {
            out.extend_from_slice(&self.keys[i].to_le_bytes());
            out.extend_from_slice(&self.count[i].to_le_bytes());
            out.extend_from_slice(&self.inner[i].to_le_bytes());
            out.extend_from_slice(&self.inner_cap[i].to_le_bytes());
        }
        let mut pairs: Vec<_> = self.pairs.iter().collect();
        pairs.sort_unstable();
        out.extend_from_slice(&(pairs.len() as u64).to_le_bytes());
        for (k, (c, cc)) in pairs {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&c.to_le_bytes());
            out.extend_from_slice(&cc.to_le_bytes());
        }
        out
    }

    /// Reads counts written by [`CorpusStats::to_bytes`]; `None` if malformed.
    pub fn from_bytes(b: &[u8]) -> Option<CorpusStats> {
        let mut at = 0usize;
        let u64_ = |at: &mut usize| -> Option<u64> {
            let v = u64::from_le_bytes(b.get(*at..*at + 8)?.try_into().ok()?);
            *at += 8;
            Some(v)
        };
        let u32_ = |at: &mut usize| -> Option<u32> {
            let v = u32::from_le_bytes(b.get(*at..*at + 4)?.try_into().ok()?);
            *at += 4;
            Some(v)
        };
        let mut s = CorpusStats {
            total: u64_(&mut at)?,
            ..CorpusStats::default()
        };
        let n = u64_(&mut at)? as usize;
        for i in 0..n {
            let k = u64_(&mut at)?;
            s.index.insert(k, i as u32);
            s.keys.push(k);
            s.count.push(u32_(&mut at)?);
            s.inner.push(u32_(&mut at)?);
            s.inner_cap.push(u32_(&mut at)?);
        }
        let n = u64_(&mut at)? as usize;
        s.pairs.reserve(n);
        for _ in 0..n {
            let k = u64_(&mut at)?;
            let c = u32_(&mut at)?;
            let cc = u32_(&mut at)?;
            s.pairs.insert(k, (c, cc));
        }
        (at == b.len()).then_some(s)
    }

    fn count_of(&self, key: u64) -> u32 {
        self.index.get(&key).map_or(0, |&i| self.count[i as usize])
    }
}

/// Reads a word list (one entry a line) into syllable-key sequences of 2..=MAX_LEN
/// syllables; entries with punctuation inside or of other lengths are left out.
pub fn read_lexicon(path: &Path) -> Result<Vec<Vec<u64>>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    let mut out = Vec::new();
    let mut ps = Vec::new();
    for line in text.lines() {
        pieces(line, &mut ps);
        if ps.len() < 2 || ps.len() > MAX_LEN || ps.iter().any(|p| !p.word) {
            continue;
        }
        out.push(
            ps.iter()
                .map(|p| key_of(&line[p.start..p.end]).key)
                .collect(),
        );
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The syllables of every entry of a word list (to tell Vietnamese syllables from others).
pub fn read_syllables(path: &Path) -> Result<FxHashSet<u64>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    let mut out = FxHashSet::default();
    let mut ps = Vec::new();
    for line in text.lines() {
        pieces(line, &mut ps);
        out.extend(
            ps.iter()
                .filter(|p| p.word)
                .map(|p| key_of(&line[p.start..p.end]).key),
        );
    }
    Ok(out)
}

/// One gold sentence: the unsegmented text and where its words end.
#[derive(Debug, Clone)]
pub struct GoldLine {
    /// Syllables separated by single spaces.
    pub raw: String,
    /// Offsets (in characters, not counting whitespace) where gold words end.
    pub ends: FxHashSet<usize>,
}

/// Reads a gold file (words separated by spaces, syllables joined by `_`).
pub fn read_gold(path: &Path) -> Result<Vec<GoldLine>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    Ok(text.lines().map(gold_line).collect())
}

/// Parses one gold line.
pub fn gold_line(line: &str) -> GoldLine {
    let mut raw = String::with_capacity(line.len());
    let mut ends = FxHashSet::default();
    let mut pos = 0usize;
    for w in line.split_whitespace() {
        for s in w.split('_').filter(|s| !s.is_empty()) {
            if !raw.is_empty() {
                raw.push(' ');
            }
            raw.push_str(s);
            pos += s.chars().count();
        }
        ends.insert(pos);
    }
    GoldLine { raw, ends }
}

/// Character offset (not counting whitespace) at the end of each piece.
fn piece_ends(line: &str, ps: &[Piece]) -> Vec<usize> {
    let mut out = Vec::with_capacity(ps.len());
    let mut pos = 0usize;
    let mut at = 0usize;
    for p in ps {
        pos += line[at..p.start]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        pos += line[p.start..p.end].chars().count();
        at = p.end;
        out.push(pos);
    }
    out
}

/// A training chain: its units and the gold word lengths.
#[derive(Debug, Clone)]
pub struct GoldChain {
    pub units: Vec<Unit>,
    pub gold: Vec<u8>,
}

/// The chains of a gold line with their gold word lengths (words cut at punctuation
/// and at [`MAX_LEN`]).
pub fn gold_chains(g: &GoldLine) -> Vec<GoldChain> {
    let mut ps = Vec::new();
    pieces(&g.raw, &mut ps);
    let ends = piece_ends(&g.raw, &ps);
    let mut out = Vec::new();
    let (mut units, mut syls, mut idx) = (Vec::new(), Vec::new(), Vec::new());
    let mut bufs = ChainBufs {
        units: &mut units,
        syls: &mut syls,
        idx: &mut idx,
        keys: &mut super::key::KeyCache::default(),
        lookups: &mut super::lookup::Lookups::default(),
    };
    for_each_chain(
        &g.raw,
        &ps,
        &mut bufs,
        &Model::default(),
        usize::MAX,
        |units, idx, _| {
            let Some((units, _)) = units else {
                return;
            };
            let mut gold = Vec::new();
            let mut len = 0u8;
            for (j, &pi) in idx.iter().enumerate() {
                len += 1;
                let last = j + 1 == idx.len();
                if last || g.ends.contains(&ends[pi]) || len as usize == MAX_LEN {
                    gold.push(len);
                    len = 0;
                }
            }
            out.push(GoldChain {
                units: units.to_vec(),
                gold,
            });
        },
    );
    out
}

/// Word-level precision, recall and F1 (percent) of predicted lines against gold lines,
/// by character spans as `../shared/eval/score_seg.py` computes them.
pub fn score(gold: &[&str], pred: &[&str]) -> (f64, f64, f64) {
    fn spans(line: &str) -> FxHashSet<(usize, usize)> {
        let mut out = FxHashSet::default();
        let mut pos = 0;
        for w in line.split_whitespace() {
            let n: usize = w.split('_').map(|s| s.chars().count()).sum();
            let n = if n == 0 { w.chars().count() } else { n };
            out.insert((pos, pos + n));
            pos += n;
        }
        out
    }
    let (mut tp, mut ng, mut np) = (0usize, 0usize, 0usize);
    for (g, p) in gold.iter().zip(pred) {
        let (gs, ps) = (spans(g), spans(p));
        tp += gs.intersection(&ps).count();
        ng += gs.len();
        np += ps.len();
    }
    let p = if np > 0 { tp as f64 / np as f64 } else { 0.0 };
    let r = if ng > 0 { tp as f64 / ng as f64 } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

fn freq_bin(c: u32) -> u8 {
    const T: [u32; 7] = [1, 3, 10, 30, 100, 1000, 10000];
    let b = T.iter().take_while(|&&t| c >= t).count() as u8;
    b.min(N_FREQ as u8 - 1)
}

fn ratio_bin(n: u32, k: u32, min: u32) -> u32 {
    if n < min {
        return 0;
    }
    let r = k as f64 / n as f64;
    if r < 0.05 {
        1
    } else if r < 0.5 {
        2
    } else if r < 0.95 {
        3
    } else {
        4
    }
}

fn pmi_bin(pmi: f64) -> u32 {
    const T: [f64; 12] = [
        -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0,
    ];
    3 + T.iter().take_while(|&&t| pmi >= t).count() as u32
}

fn cond_bin(p: f64) -> u32 {
    const T: [f64; 5] = [0.5, 0.2, 0.05, 0.01, 0.001];
    T.iter().take_while(|&&t| p < t).count() as u32
}

fn cnt_bin(c: u32) -> u32 {
    (32 - c.leading_zeros()).min(15)
}

/// Builds a model (zero weights) from corpus statistics, word lists (A: pyvi, B:
/// Viet74K), the syllables counted as Vietnamese (`vn`: those of the pyvi list) and the
/// training chains (for the lexicalised slots).
pub fn build_model(
    stats: &CorpusStats,
    lex_a: &[Vec<u64>],
    lex_b: &[Vec<u64>],
    vn: &FxHashSet<u64>,
    train: &[GoldChain],
    cfg: &Config,
) -> Result<Model, TrainError> {
    // vocabulary
    let mut keys: FxHashSet<u64> = FxHashSet::default();
    for (i, &k) in stats.keys.iter().enumerate() {
        if stats.count[i] >= cfg.vocab_min {
            keys.insert(k);
        }
    }
    for e in lex_a.iter().chain(lex_b) {
        keys.extend(e.iter().copied());
    }
    keys.extend(vn.iter().copied());
    let mut train_keys: FxHashSet<u64> = FxHashSet::default();
    for c in train {
        for u in &c.units {
            keys.insert(u.key);
            train_keys.insert(u.key);
        }
    }
    let mut keys: Vec<u64> = keys.into_iter().collect();
    keys.sort_unstable();
    let id_of: FxHashMap<u64, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (k, i as u32))
        .collect();
    // uni slots: treebank syllables in key order
    let mut tk: Vec<u64> = train_keys.into_iter().collect();
    tk.sort_unstable();
    let uni_slot: FxHashMap<u64, u32> =
        tk.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
    let syls: Vec<(u64, SylInfo)> = keys
        .iter()
        .map(|&k| {
            let (count, inner, inner_cap) = match stats.index.get(&k) {
                Some(&i) => {
                    let i = i as usize;
                    (stats.count[i], stats.inner[i], stats.inner_cap[i])
                }
                None => (0, 0, 0),
            };
            (
                k,
                SylInfo {
                    freq: freq_bin(count),
                    capb: ratio_bin(inner, inner_cap, 3) as u8,
                    vn: vn.contains(&k),
                    slot: uni_slot.get(&k).copied().unwrap_or(NO_SLOT),
                },
            )
        })
        .collect();
    // pairs: lexicon flags
    let mut lexf: FxHashMap<(u32, u32), u8> = FxHashMap::default();
    let mut long: FxHashMap<u64, u8> = FxHashMap::default();
    for (list, word, prefix) in [
        (lex_a, lex::WORD_A, lex::PREFIX_A),
        (lex_b, lex::WORD_B, lex::PREFIX_B),
    ] {
        for e in list {
            let ids: Vec<u32> = e.iter().map(|k| id_of[k]).collect();
            for len in 2..=ids.len() {
                let flag = if len == ids.len() { word } else { prefix };
                if len == 2 {
                    *lexf.entry((ids[0], ids[1])).or_insert(0) |= flag;
                } else {
                    *long.entry(seq_hash(&ids[..len])).or_insert(0) |= flag;
                }
            }
        }
    }
    // pair slots: treebank pairs
    let mut tp: Vec<(u32, u32)> = Vec::new();
    for c in train {
        for w in c.units.windows(2) {
            tp.push((id_of[&w[0].key], id_of[&w[1].key]));
        }
    }
    tp.sort_unstable();
    tp.dedup();
    let pair_slot: FxHashMap<(u32, u32), u32> =
        tp.iter().enumerate().map(|(i, &p)| (p, i as u32)).collect();
    // all pairs to store
    let mut want: FxHashSet<(u32, u32)> = FxHashSet::default();
    want.extend(lexf.keys().copied());
    want.extend(tp.iter().copied());
    let n = stats.total as f64;
    let mut corpus_pairs: FxHashMap<(u32, u32), (u32, u32)> = FxHashMap::default();
    for (&k, &(c, capc)) in &stats.pairs {
        if c < cfg.pair_min {
            continue;
        }
        let (a, b) = (
            stats.keys[(k >> 32) as usize],
            stats.keys[(k & 0xFFFF_FFFF) as usize],
        );
        let (Some(&ia), Some(&ib)) = (id_of.get(&a), id_of.get(&b)) else {
            continue;
        };
        corpus_pairs.insert((ia, ib), (c, capc));
        want.insert((ia, ib));
    }
    let mut want: Vec<(u32, u32)> = want.into_iter().collect();
    want.sort_unstable();
    let pairs: Vec<((u32, u32), PairInfo)> = want
        .into_iter()
        .map(|(a, b)| {
            let lf = lexf.get(&(a, b)).copied().unwrap_or(0);
            let stat = match corpus_pairs.get(&(a, b)) {
                Some(&(c, capc)) => {
                    let ca = stats.count_of(keys[a as usize]).max(1) as f64;
                    let cb = stats.count_of(keys[b as usize]).max(1) as f64;
                    let c64 = c as f64;
                    let pmi = (c64 * n / (ca * cb)).ln();
                    PairInfo::pack(
                        pmi_bin(pmi),
                        cnt_bin(c),
                        cond_bin(c64 / ca),
                        cond_bin(c64 / cb),
                        ratio_bin(c, capc, 3),
                        lf,
                    )
                }
                None => PairInfo::pack(PMI_UNSEEN, 0, 6, 6, 0, lf),
            };
            (
                (a, b),
                PairInfo {
                    stat,
                    slot: pair_slot.get(&(a, b)).copied().unwrap_or(NO_SLOT),
                },
            )
        })
        .collect();
    let mut long: Vec<(u64, u8)> = long.into_iter().collect();
    long.sort_unstable();
    let weights = vec![0.0; features::n_weights(tk.len(), tp.len())];
    Ok(Model::from_parts(syls, pairs, long, weights)?)
}

/// Progress of training, reported after each epoch.
#[derive(Debug, Clone, Copy)]
pub struct EpochReport {
    pub epoch: usize,
    /// Chains whose prediction differed from gold during the epoch.
    pub errors: usize,
    pub chains: usize,
}

/// Trains `model`'s weights on the chains with an averaged structured perceptron.
/// `on_epoch` sees each epoch's report and the averaged model so far.
pub fn train(
    model: &mut Model,
    chains: &[GoldChain],
    cfg: &Config,
    mut on_epoch: impl FnMut(EpochReport, &Model),
) {
    let prepared: Vec<(Chain, &[u8])> = chains
        .iter()
        .map(|c| {
            let mut ch = Chain::default();
            ch.prepare(model, &c.units);
            (ch, c.gold.as_slice())
        })
        .collect();
    let nw = model.weights.len();
    let mut w = vec![0f32; nw];
    let mut u = vec![0f64; nw]; // Σ c·Δ
    let mut c = 1f64;
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = cfg.seed.max(1);
    let mut dec = Decoder::default();
    let mut pred = Vec::new();
    let mut gold_start: Vec<u8> = Vec::new();
    for epoch in 1..=cfg.epochs {
        // Fisher-Yates with xorshift
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0;
        for &ix in &order {
            let (ch, gold) = &prepared[ix];
            pred.clear();
            // lexicalised-feature dropout: each occurrence kept with probability 1 - p
            let salt = (epoch as u64) << 40 ^ (ix as u64) << 8;
            let keep = |f: usize, g: usize| {
                f < features::DENSE || {
                    let h = ((f as u64) ^ salt ^ ((g as u64) << 20))
                        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    ((h >> 40) % 1000) as u32 >= cfg.dropout
                }
            };
            dec.set_gap_scores((0..ch.n.saturating_sub(1)).map(|g| {
                let mut sc = 0.0f32;
                ch.gap_features(g, |f| {
                    if keep(f, g) {
                        sc += w[f]
                    }
                });
                sc
            }));
            // cost-augmented decoding: every word that is not a gold word earns `margin`
            gold_start.clear();
            gold_start.resize(ch.n + 1, 0);
            let mut at = 0;
            for &k in gold.iter() {
                gold_start[at] = k;
                at += k as usize;
            }
            dec.decode_scored(
                ch,
                |s, k| {
                    let mut sc = 0.0f32;
                    ch.word_features(s, k, |f| sc += w[f]);
                    if gold_start[s] as usize != k {
                        sc += cfg.margin;
                    }
                    sc
                },
                &mut pred,
            );
            if pred.as_slice() != *gold {
                errors += 1;
                let mut upd = |f: usize, d: f32| {
                    w[f] += d;
                    u[f] += c * d as f64;
                };
                for (lens, d) in [(*gold, 1.0f32), (pred.as_slice(), -1.0)] {
                    let mut s = 0;
                    for &k in lens {
                        let k = k as usize;
                        ch.word_features(s, k, |f| upd(f, d));
                        for g in s..s + k - 1 {
                            ch.gap_features(g, |f| {
                                if keep(f, g) {
                                    upd(f, d)
                                }
                            });
                        }
                        s += k;
                    }
                }
            }
            c += 1.0;
        }
        for i in 0..nw {
            model.weights[i] = (w[i] as f64 - u[i] / c) as f32;
        }
        on_epoch(
            EpochReport {
                epoch,
                errors,
                chains: prepared.len(),
            },
            model,
        );
    }
}

/// Segments the raw side of gold lines with `model` and scores them: (P, R, F1).
pub fn evaluate(model: &Model, gold: &[String]) -> ((f64, f64, f64), Vec<String>) {
    let seg = Segmenter::from_model(model.clone()).unwrap_or_default();
    let pred: Vec<String> = gold
        .iter()
        .map(|g| seg.segment_line(&gold_line(g).raw))
        .collect();
    let gs: Vec<&str> = gold.iter().map(String::as_str).collect();
    let ps: Vec<&str> = pred.iter().map(String::as_str).collect();
    (score(&gs, &ps), pred)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_chains_follow_gold_words_and_punctuation() {
        let g = gold_line("Trả_lời phỏng_vấn , ông Lộc nói : TP._HCM");
        assert_eq!(g.raw, "Trả lời phỏng vấn , ông Lộc nói : TP. HCM");
        let ch = gold_chains(&g);
        assert_eq!(ch.len(), 3);
        assert_eq!(ch[0].gold, [2, 2]);
        assert_eq!(ch[1].gold, [1, 1, 1]);
        assert_eq!(ch[2].gold, [2]);
        assert_eq!(ch[1].units[0].ctx, CTX_PUNCT);
        assert_eq!(ch[0].units[0].ctx, CTX_START);
    }

    #[test]
    fn scoring_matches_the_reference_definition() {
        let (p, r, f) = score(&["a_b c"], &["a b c"]);
        assert!((p - 100.0 / 3.0).abs() < 1e-9);
        assert!((r - 50.0).abs() < 1e-9);
        assert!(f > 39.9 && f < 40.1);
    }

    #[test]
    fn a_tiny_model_learns_a_word() {
        let mut stats = CorpusStats::default();
        for _ in 0..5 {
            stats.add_line("công ty xây dựng nhà cửa");
        }
        let lines = [
            "công_ty xây_dựng nhà_cửa",
            "xây_dựng công_ty",
            "nhà_cửa công_ty",
        ];
        let chains: Vec<GoldChain> = lines
            .iter()
            .flat_map(|l| gold_chains(&gold_line(l)))
            .collect();
        let cfg = Config {
            epochs: 5,
            ..Config::default()
        };
        let mut m = build_model(&stats, &[], &[], &FxHashSet::default(), &chains, &cfg).unwrap();
        train(&mut m, &chains, &cfg, |_, _| {});
        let seg = Segmenter::from_model(m).unwrap();
        assert_eq!(seg.segment_line("xây dựng nhà cửa"), "xây_dựng nhà_cửa");
    }
}

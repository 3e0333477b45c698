//! Building a restoration model from text: syllable counts, cleaned candidate lists,
//! an interpolated modified Kneser-Ney trigram model (three discounts per order;
//! bigrams and unigrams estimated from continuation counts, except the bigrams after
//! the sentence boundary), pruned by count (`Config`) and quantized to 256-value
//! codebooks.
//!
//! Used by `examples/train_restore.rs`; the text is cut into chunks exactly as the
//! decoder cuts its input (its chunks).

use std::collections::HashMap;

use super::model::{BOUNDARY, FIRST_WORD, MAX_VOCAB, NUM, Parts, UNK, group_hash};
use super::{CAP, Piece, for_each_piece};
use crate::analysis::fold;
use crate::analysis::tokenize::Analyzer;

/// Training settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// A syllable seen fewer times is not a candidate (one-off typos).
    pub min_count: u64,
    /// A form seen less than this share of its folded group's most frequent form is
    /// not a candidate (`ngưòi`-style slips of common words).
    pub rel_min: f64,
    /// Most syllables kept.
    pub max_vocab: usize,
    /// Bigrams and trigrams seen fewer times are pruned.
    pub bi_min: u32,
    pub tri_min: u32,
    /// Weighted-difference pruning: an n-gram is kept only when its count times the
    /// log ratio of its probability to the backoff estimate reaches this.
    pub bi_wd: f64,
    pub tri_wd: f64,
    /// Modified Kneser-Ney: three discounts per order (counts 1, 2 and 3+), not one.
    pub mkn: bool,
    /// Kneser-Ney bigrams: estimated from the number of distinct syllables before
    /// each pair (how many contexts it continues), not its count, except after the
    /// sentence boundary (the bigram level is otherwise the trigrams' backoff).
    pub kn_bi: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            min_count: 3,
            rel_min: 0.0005,
            max_vocab: MAX_VOCAB,
            bi_min: 2,
            tri_min: 1,
            bi_wd: 0.0,
            tri_wd: 0.0,
            mkn: true,
            kn_bi: true,
        }
    }
}

const SEP: u32 = u32::MAX;
const NUM_TOKEN: u32 = u32::MAX - 1;

/// Text statistics being gathered.
#[derive(Debug, Default)]
pub struct Trainer {
    intern: HashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u64>,
    stream: Vec<u32>,
    analyzer: Analyzer,
    unmarked: usize,
}

/// A text of at least this many syllables is read only if more than a tenth of
/// them carry a diacritic (or `đ`): fewer is text typed without its marks, whose
/// plain forms would otherwise be learned as sure contexts (`xin chao cac ban`
/// after a single such comment) and then chosen for exactly the input the model is
/// there to restore. Ordinary Vietnamese has about half of its syllables marked;
/// English and other unmarked text is left out with it.
const UNMARKED_MIN_WORDS: usize = 5;

/// Summary of a build, for the trainer's log.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub tokens: usize,
    pub distinct: usize,
    pub vocab: usize,
    pub groups: usize,
    pub bigrams_seen: usize,
    pub trigrams_seen: usize,
    pub bigrams: usize,
    pub trigrams: usize,
    pub d2: f64,
    pub d3: f64,
}

impl Trainer {
    /// Adds one text (a title, a paragraph: chunks never cross texts).
    pub fn add_text(&mut self, text: &str) {
        let (mut n, mut marked) = (0usize, 0usize);
        for_each_piece(&mut self.analyzer, text, true, |p| {
            if let Piece::Word {
                normalized, folded, ..
            } = p
            {
                n += 1;
                marked += usize::from(normalized != folded);
            }
        });
        if n >= UNMARKED_MIN_WORDS && marked * 10 <= n {
            self.unmarked += 1;
            return;
        }
        let mut open = false;
        let Trainer {
            intern,
            words,
            counts,
            stream,
            analyzer,
            ..
        } = self;
        let mut key = String::new();
        for_each_piece(analyzer, text, true, |p| match p {
            Piece::Break => {
                if open {
                    stream.push(SEP);
                    open = false;
                }
            }
            Piece::Number { .. } => {
                stream.push(NUM_TOKEN);
                open = true;
            }
            Piece::Word {
                normalized, cap, ..
            } => {
                key.clear();
                if cap {
                    key.push(CAP);
                }
                key.push_str(normalized);
                let id = match intern.get(key.as_str()) {
                    Some(&i) => i,
                    None => {
                        let i = words.len() as u32;
                        intern.insert(key.clone(), i);
                        words.push(key.clone());
                        counts.push(0);
                        i
                    }
                };
                counts[id as usize] += 1;
                stream.push(id);
                open = true;
            }
        });
        if open {
            stream.push(SEP);
        }
    }

    /// Texts left out as typed without diacritics (see `UNMARKED_MIN_WORDS`).
    pub fn unmarked_texts(&self) -> usize {
        self.unmarked
    }

    /// Tokens read so far.
    pub fn tokens(&self) -> usize {
        self.stream.len()
    }

    /// Builds the model.
    pub fn build(&self, cfg: &Config) -> (Parts, BuildReport) {
        let mut report = BuildReport {
            tokens: self.stream.iter().filter(|&&t| t != SEP).count(),
            distinct: self.words.len(),
            ..Default::default()
        };
        // 1. Candidates: frequent enough, and not a rare variant within its group.
        let mut groups: HashMap<String, Vec<(u64, u32)>> = HashMap::new();
        for (i, w) in self.words.iter().enumerate() {
            let c = self.counts[i];
            if c >= cfg.min_count {
                groups.entry(fold(w)).or_default().push((c, i as u32));
            }
        }
        let mut kept: Vec<(u64, u32, u64)> = Vec::new(); // (count, intern id, group hash)
        for (f, mut members) in groups {
            members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let top = members[0].0 as f64;
            let h = group_hash(&f);
            for (c, i) in members {
                if c as f64 >= cfg.rel_min * top {
                    kept.push((c, i, h));
                }
            }
        }
        let room = cfg.max_vocab.min(MAX_VOCAB) - FIRST_WORD as usize;
        if kept.len() > room {
            kept.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            kept.truncate(room);
        }
        // ids group by group (ascending hash), most frequent first
        kept.sort_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)).then(a.1.cmp(&b.1)));
        let mut map = vec![UNK; self.words.len()];
        let mut words: Vec<String> = ["<s>", "<unk>", "<num>"].map(String::from).to_vec();
        let mut group_list: Vec<(u64, u32)> = Vec::new();
        for (_, i, h) in &kept {
            let id = words.len() as u16;
            map[*i as usize] = id;
            words.push(self.words[*i as usize].clone());
            if group_list.last().is_none_or(|g| g.0 != *h) {
                group_list.push((*h, id as u32));
            }
        }
        let n = words.len();
        report.vocab = n;
        report.groups = group_list.len();
        // 2. The id stream, chunks framed by the boundary.
        let mut ids: Vec<u16> = Vec::with_capacity(self.stream.len() + 1);
        ids.push(BOUNDARY);
        for &t in &self.stream {
            ids.push(match t {
                SEP => BOUNDARY,
                NUM_TOKEN => NUM,
                i => map[i as usize],
            });
        }
        // 3. Bigram and trigram counts (never across a boundary as context).
        let mut bi: Vec<u32> = Vec::with_capacity(ids.len());
        let mut tri: Vec<u64> = Vec::with_capacity(ids.len());
        for i in 1..ids.len() {
            let (v, w) = (ids[i - 1], ids[i]);
            if v == BOUNDARY && w == BOUNDARY {
                continue;
            }
            bi.push((v as u32) << 16 | w as u32);
            if i >= 2 && v != BOUNDARY {
                let u = ids[i - 2];
                tri.push((u as u64) << 32 | (v as u64) << 16 | w as u64);
            }
        }
        drop(ids);
        bi.sort_unstable();
        tri.sort_unstable();
        let bi = run_counts(&bi);
        let tri = run_counts(&tri);
        report.bigrams_seen = bi.len();
        report.trigrams_seen = tri.len();
        // the counts the bigram level is estimated from (pruning reads the raw ones):
        // with `kn_bi`, the number of distinct syllables before each pair (its
        // trigrams are distinct, and every pair not after the boundary ends one)
        let bi_est: std::borrow::Cow<[(u32, u32)]> = if cfg.kn_bi {
            let mut cont: HashMap<u32, u32> = HashMap::with_capacity(bi.len());
            for (k, _) in &tri {
                *cont.entry((k & 0xFFFF_FFFF) as u32).or_default() += 1;
            }
            bi.iter()
                .map(|&(k, c)| match k >> 16 {
                    0 => (k, c),
                    _ => (k, cont.get(&k).copied().unwrap_or(c)),
                })
                .collect::<Vec<_>>()
                .into()
        } else {
            (&bi[..]).into()
        };
        let d2 = discounts(bi_est.iter().map(|x| x.1), cfg.mkn);
        let d3 = discounts(tri.iter().map(|x| x.1), cfg.mkn);
        report.d2 = d2[0];
        report.d3 = d3[0];
        // 4. Unigram continuation probabilities.
        let mut cont = vec![0u64; n];
        for (k, _) in &bi {
            cont[(k & 0xFFFF) as usize] += 1;
        }
        let total_cont: u64 = cont.iter().sum();
        let p1: Vec<f64> = cont
            .iter()
            .map(|&c| (c as f64 + 0.5) / (total_cont as f64 + 0.5 * n as f64))
            .collect();
        // 5. Bigram level.
        let mut ctx_count = vec![0u64; n];
        // the discount mass of each context: sum of D(c) over its bigrams; with one
        // discount it is D times the types, computed so (not as a sum) to keep the
        // one-discount model byte for byte what it was
        let mut ctx_mass = vec![0f64; n];
        let mut ctx_types = vec![0u64; n];
        for (k, c) in bi_est.iter() {
            let v = (k >> 16) as usize;
            ctx_count[v] += *c as u64;
            ctx_mass[v] += d_of(&d2, *c);
            ctx_types[v] += 1;
        }
        let gamma2: Vec<f64> = (0..n)
            .map(|v| {
                if ctx_count[v] == 0 {
                    1.0
                } else if cfg.mkn {
                    ctx_mass[v] / ctx_count[v] as f64
                } else {
                    d2[0] * ctx_types[v] as f64 / ctx_count[v] as f64
                }
            })
            .collect();
        let p2 = |v: usize, w: usize, c: u32| -> f64 {
            (c as f64 - d_of(&d2, c)).max(0.0) / ctx_count[v].max(1) as f64 + gamma2[v] * p1[w]
        };
        // kept bigrams: key → (log p, log backoff of the context (u, v))
        let mut kept_bi: HashMap<u32, (f64, f64)> = HashMap::new();
        for (&(k, seen), &(_, c)) in bi.iter().zip(bi_est.iter()) {
            if seen < cfg.bi_min {
                continue;
            }
            let (v, w) = ((k >> 16) as usize, (k & 0xFFFF) as usize);
            let p = p2(v, w, c);
            if (c as f64) * (p / (gamma2[v] * p1[w])).ln().abs() < cfg.bi_wd {
                continue;
            }
            kept_bi.insert(k, (p.ln(), 0.0));
        }
        let bi_count: HashMap<u32, u32> = bi_est.iter().copied().collect();
        // 6. Trigram level, context by context (the list is sorted by (u, v)); the
        // context bigram of a kept trigram is kept too.
        let mut trigrams: Vec<(u32, u16, f64)> = Vec::new(); // (context key, w, log p)
        let mut i = 0;
        while i < tri.len() {
            let ctx = tri[i].0 >> 16;
            let mut j = i;
            let (mut cc, mut mass, mut types) = (0u64, 0f64, 0u64);
            while j < tri.len() && tri[j].0 >> 16 == ctx {
                cc += tri[j].1 as u64;
                mass += d_of(&d3, tri[j].1);
                types += 1;
                j += 1;
            }
            let (u, v) = ((ctx >> 16) as u32, (ctx & 0xFFFF) as u32);
            let key = u << 16 | v;
            let g3 = if cfg.mkn {
                mass / cc as f64
            } else {
                d3[0] * types as f64 / cc as f64
            };
            let mut any = false;
            for &(k, c) in &tri[i..j] {
                if c < cfg.tri_min {
                    continue;
                }
                let w = (k & 0xFFFF) as usize;
                let p2w = match kept_bi.get(&(v << 16 | w as u32)) {
                    Some(x) => x.0.exp(),
                    None => gamma2[v as usize] * p1[w],
                };
                let back = g3 * p2w;
                let p = (c as f64 - d_of(&d3, c)).max(0.0) / cc as f64 + back;
                if (c as f64) * (p / back).ln().abs() < cfg.tri_wd {
                    continue;
                }
                trigrams.push((key, w as u16, p.ln()));
                any = true;
            }
            if any || kept_bi.contains_key(&key) {
                let c = bi_count.get(&key).copied().unwrap_or(1);
                let e = kept_bi
                    .entry(key)
                    .or_insert_with(|| (p2(u as usize, v as usize, c).ln(), 0.0));
                e.1 = g3.ln();
            }
            i = j;
        }
        let mut keys: Vec<u32> = kept_bi.keys().copied().collect();
        keys.sort_unstable();
        let index: HashMap<u32, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        let bigrams: Vec<(u16, u16, f64, f64)> = keys
            .iter()
            .map(|k| {
                let (p, b) = kept_bi[k];
                ((k >> 16) as u16, (k & 0xFFFF) as u16, p, b)
            })
            .collect();
        let mut trigrams: Vec<(u32, u16, f64)> = trigrams
            .into_iter()
            .map(|(k, w, p)| (index[&k], w, p))
            .collect();
        trigrams.sort_by_key(|t| (t.0, t.1));
        report.bigrams = bigrams.len();
        report.trigrams = trigrams.len();
        // 7. Quantize.
        let mut probs: Vec<f64> = p1.iter().map(|p| p.ln()).collect();
        probs.extend(bigrams.iter().map(|b| b.2));
        probs.extend(trigrams.iter().map(|t| t.2));
        let prob_book = codebook(&mut probs);
        let mut bows: Vec<f64> = gamma2.iter().map(|g| g.ln()).collect();
        bows.extend(bigrams.iter().map(|b| b.3));
        let bow_book = codebook(&mut bows);
        let q = |book: &[f32], x: f64| nearest(book, x as f32);
        let parts = Parts {
            uni_prob: p1.iter().map(|p| q(&prob_book, p.ln())).collect(),
            uni_bow: gamma2.iter().map(|g| q(&bow_book, g.ln())).collect(),
            bigrams: bigrams
                .iter()
                .map(|b| (b.0, b.1, q(&prob_book, b.2), q(&bow_book, b.3)))
                .collect(),
            trigrams: trigrams
                .iter()
                .map(|t| (t.0, t.1, q(&prob_book, t.2)))
                .collect(),
            words,
            groups: group_list,
            prob_book,
            bow_book,
        };
        (parts, report)
    }
}

/// (key, count) of each run of equal keys in a sorted list.
fn run_counts<T: Copy + PartialEq>(sorted: &[T]) -> Vec<(T, u32)> {
    let mut out: Vec<(T, u32)> = Vec::new();
    for &k in sorted {
        match out.last_mut() {
            Some((last, c)) if *last == k => *c += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

/// The discount of an n-gram seen `c` times.
#[inline]
fn d_of(d: &[f64; 3], c: u32) -> f64 {
    d[(c.max(1) as usize - 1).min(2)]
}

/// Discounts for counts 1, 2 and 3+ from the counts of counts: one absolute
/// discount Y = n1 / (n1 + 2 n2) for all three, or with `modified` those of
/// modified Kneser-Ney (Chen and Goodman): D_k = k - (k + 1) Y n_{k+1} / n_k.
fn discounts(counts: impl Iterator<Item = u32>, modified: bool) -> [f64; 3] {
    let mut n = [0u64; 5];
    for c in counts {
        if (1..=4).contains(&c) {
            n[c as usize] += 1;
        }
    }
    if n[1] + n[2] == 0 {
        return [0.5; 3];
    }
    let y = (n[1] as f64 / (n[1] as f64 + 2.0 * n[2] as f64)).clamp(0.1, 0.9);
    if !modified || n[2] == 0 || n[3] == 0 {
        return [y; 3];
    }
    let d = |k: usize| {
        let k_f = k as f64;
        (k_f - (k_f + 1.0) * y * n[k + 1] as f64 / n[k] as f64).clamp(0.1, k_f)
    };
    [d(1), d(2), d(3)]
}

/// 256 values spread over the quantiles of `values` (sorted ascending).
fn codebook(values: &mut [f64]) -> Vec<f32> {
    values.sort_by(|a, b| a.total_cmp(b));
    let mut book: Vec<f32> = (0..256)
        .map(|i| {
            if values.is_empty() {
                0.0
            } else {
                let at = ((i as f64 + 0.5) / 256.0 * values.len() as f64) as usize;
                values[at.min(values.len() - 1)] as f32
            }
        })
        .collect();
    book.sort_by(|a, b| a.total_cmp(b));
    book
}

/// Index of the codebook value closest to `x`.
fn nearest(book: &[f32], x: f32) -> u8 {
    let i = book.partition_point(|&v| v < x);
    let best = if i == 0 {
        0
    } else if i >= book.len() {
        book.len() - 1
    } else if (book[i] - x).abs() < (x - book[i - 1]).abs() {
        i
    } else {
        i - 1
    };
    best as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_codebooks() {
        assert_eq!(
            run_counts(&[1, 1, 2, 3, 3, 3]),
            vec![(1, 2), (2, 1), (3, 3)]
        );
        let book = codebook(&mut [-3.0, -2.0, -1.0]);
        assert_eq!(book.len(), 256);
        assert_eq!(nearest(&book, -3.5), 0);
        assert_eq!(nearest(&book, 0.0), 255);
        // n1 = 4, n2 = 2, n3 = 1, n4 = 1: Y = 4 / (4 + 2 * 2) = 0.5
        let counts = [1, 1, 1, 1, 2, 2, 3, 4, 9];
        assert_eq!(discounts(counts.into_iter(), false), [0.5; 3]);
        // D1 = 1 - 2 Y n2/n1, D2 = 2 - 3 Y n3/n2, D3 = 3 - 4 Y n4/n3
        assert_eq!(discounts(counts.into_iter(), true), [0.5, 1.25, 1.0]);
        assert_eq!(d_of(&[0.5, 1.25, 1.0], 1), 0.5);
        assert_eq!(d_of(&[0.5, 1.25, 1.0], 2), 1.25);
        assert_eq!(d_of(&[0.5, 1.25, 1.0], 7), 1.0);
    }

    /// Kneser-Ney bigrams: a pair that always follows the same syllable continues
    /// fewer contexts than one that follows many, so at the same count it is less
    /// likely as a backoff estimate; counted bigrams make them equal.
    #[test]
    fn bigrams_follow_continuation_counts() {
        let mut t = Trainer::default();
        for _ in 0..4 {
            t.add_text("bốn vàng mười");
        }
        for q in ["một", "hai", "ba", "năm"] {
            t.add_text(&format!("{q} vàng bạc"));
            t.add_text(q);
            t.add_text(q);
        }
        let p2 = |cfg: &Config, w: &str| {
            let (parts, _) = t.build(cfg);
            let id = |s: &str| parts.words.iter().position(|x| x == s).unwrap() as u16;
            let (v, w) = (id("vàng"), id(w));
            let b = parts.bigrams.iter().find(|b| (b.0, b.1) == (v, w)).unwrap();
            parts.prob_book[b.2 as usize]
        };
        let kn = Config::default();
        assert!(kn.kn_bi);
        assert!(p2(&kn, "bạc") > p2(&kn, "mười"));
        let counted = Config {
            kn_bi: false,
            ..Config::default()
        };
        assert_eq!(p2(&counted, "bạc"), p2(&counted, "mười"));
    }

    /// A text typed without its diacritics teaches nothing: after it, `xin chao cac
    /// ban` would be a sure context for its own plain forms.
    #[test]
    fn texts_typed_without_diacritics_are_left_out() {
        let mut t = Trainer::default();
        t.add_text("xin chao cac ban, hom nay troi dep qua");
        assert_eq!((t.unmarked_texts(), t.tokens()), (1, 0));
        // English too; a short text and ordinary Vietnamese are read
        t.add_text("The quick brown fox jumps over the lazy dog");
        assert_eq!(t.unmarked_texts(), 2);
        t.add_text("xin chao");
        assert_eq!(t.tokens(), 3, "2 syllables and the text's end");
        t.add_text("Xin chào các bạn, hôm nay trời đẹp quá");
        assert_eq!(t.unmarked_texts(), 2);
        // 9 syllables, the comma's break and the text's end
        assert_eq!(t.tokens(), 3 + 11);
    }
}

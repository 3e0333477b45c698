//! Archive statistics for accent restoration: syllable unigram and bigram counts of
//! an archive's own text, so that its names and topics restore well.
//!
//! # Gathering ([`Counts`])
//!
//! Each article's text is read exactly as the restorer reads its input
//! ([`super::for_each_piece`]): a text becomes a *stream* ([`stream`]) of canonical
//! forms (a capitalized word inside a sentence as `^` + form, a number as `#`),
//! chunks ended at every gap holding more than white space. [`Counts::add_stream`]
//! counts each form and each pair of neighbours inside a chunk, the chunk's start and
//! end included (as pairs with the boundary).
//!
//! **Bounded.** At most [`Limits::max_forms`] forms and [`Limits::max_bigrams`]
//! pairs are kept: when a table grows past twice its bound (in memory) or past its
//! bound (when written), the entries with the lowest counts go. A pair that keeps
//! coming back re-enters with a count short by what it had when it was dropped (the
//! error of lossy counting); pairs that matter for restoration are frequent ones.
//!
//! # Using ([`ArchiveStats`])
//!
//! The frozen, sorted form ([`Counts::freeze`], [`ArchiveStats::to_bytes`],
//! [`ArchiveStats::from_bytes`]) looks forms, groups (forms by folded form, most
//! frequent first) and pairs up by binary search. [`ArchiveStats::prob`] is the
//! archive's bigram estimate, Dirichlet-smoothed toward its unigram estimate:
//! `P(w | v) = (c(v w) + β P(w)) / (c(v) + β)`, `P(w) = (c(w) + ½) / (N + ½ V)`. The
//! restorer interpolates it with the base model ([`super::Restorer::with_archive`]).
//!
//! File layout (version 1, little endian):
//! ```text
//! "TTRAS" 1:u8 0:u16  checksum:u64 (xxh3-64 of every byte after it)
//! n_forms n_groups n_bigrams n_text : u32   chunks tokens : u64
//! count      n_forms × u32          ids group by group, most frequent first; id 0 is the boundary
//! text off   (n_forms + 1) × u32
//! group hash n_groups × u64         xxh3-64 of the group key, ascending
//! group start (n_groups + 1) × u32
//! form hash  n_forms × u64, form id n_forms × u32   sorted by hash
//! bigram key n_bigrams × u64 (a << 32 | b), ascending;  bigram count n_bigrams × u32
//! text       n_text bytes
//! ```

use std::collections::HashMap;
use std::ops::Range;

use super::model::group_hash;
use super::{CAP, Piece, for_each_piece};
use crate::analysis::fold;
use crate::analysis::tokenize::Analyzer;

/// The id of the chunk boundary (start context and end event).
pub const BOUNDARY: u32 = 0;
/// The form of a number in a stream.
pub const NUM_FORM: &str = "#";

/// How much [`Counts`] keeps.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_forms: usize,
    pub max_bigrams: usize,
}

impl Default for Limits {
    /// 200,000 forms and 1,000,000 pairs: at most about 17 MB on disk (8.5 MB for
    /// 20,000 news articles, 15 MB for 60,000).
    fn default() -> Limits {
        Limits {
            max_forms: 200_000,
            max_bigrams: 1_000_000,
        }
    }
}

/// Why an archive statistics file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveStatsError {
    #[error("accent restoration statistics: {0}")]
    Corrupt(&'static str),
}

/// Appends the stream of `text` to `out`: forms separated by spaces, each chunk
/// ended by a newline (see the module docs).
pub fn stream(an: &mut Analyzer, text: &str, out: &mut String) {
    let mut open = false;
    for_each_piece(an, text, true, |p| match p {
        Piece::Break => {
            if open {
                out.push('\n');
                open = false;
            }
        }
        Piece::Number { .. } => {
            if open {
                out.push(' ');
            }
            out.push_str(NUM_FORM);
            open = true;
        }
        Piece::Word {
            normalized, cap, ..
        } => {
            if open {
                out.push(' ');
            }
            if cap {
                out.push(CAP);
            }
            out.push_str(normalized);
            open = true;
        }
    });
    if open {
        out.push('\n');
    }
}

/// Counts being gathered (the writing side).
#[derive(Debug)]
pub struct Counts {
    ids: HashMap<String, u32>,
    forms: Vec<String>,
    uni: Vec<u64>,
    bi: HashMap<u64, u32>,
    limits: Limits,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts::new(Limits::default())
    }
}

#[inline]
fn key(a: u32, b: u32) -> u64 {
    (a as u64) << 32 | b as u64
}

impl Counts {
    /// Empty counts with these bounds.
    pub fn new(limits: Limits) -> Counts {
        Counts {
            ids: HashMap::new(),
            forms: vec![String::new()],
            uni: vec![0],
            bi: HashMap::new(),
            limits,
        }
    }

    /// Counts to go on from (a file read back).
    pub fn from_stats(s: &ArchiveStats, limits: Limits) -> Counts {
        let mut c = Counts::new(limits);
        c.uni[0] = s.count(BOUNDARY) as u64;
        for id in 1..s.len() as u32 {
            let f = s.text(id).to_string();
            c.ids.insert(f.clone(), id);
            c.forms.push(f);
            c.uni.push(s.count(id) as u64);
        }
        c.bi.reserve(s.bi_keys.len());
        for (k, n) in s.bi_keys.iter().zip(&s.bi_counts) {
            c.bi.insert(*k, *n);
        }
        c
    }

    fn id(&mut self, form: &str) -> u32 {
        if let Some(&i) = self.ids.get(form) {
            return i;
        }
        let i = self.forms.len() as u32;
        self.ids.insert(form.to_string(), i);
        self.forms.push(form.to_string());
        self.uni.push(0);
        i
    }

    /// Counts one stream ([`stream`]).
    pub fn add_stream(&mut self, s: &str) {
        for chunk in s.split('\n').filter(|c| !c.is_empty()) {
            let mut prev = BOUNDARY;
            self.uni[0] += 1;
            for f in chunk.split(' ').filter(|f| !f.is_empty()) {
                let id = self.id(f);
                self.uni[id as usize] += 1;
                *self.bi.entry(key(prev, id)).or_insert(0) += 1;
                prev = id;
            }
            *self.bi.entry(key(prev, BOUNDARY)).or_insert(0) += 1;
        }
        if self.forms.len() > 2 * self.limits.max_forms
            || self.bi.len() > 2 * self.limits.max_bigrams
        {
            self.prune();
        }
    }

    /// Forms and pairs held.
    pub fn sizes(&self) -> (usize, usize) {
        (self.forms.len(), self.bi.len())
    }

    /// Drops the rarest entries beyond the bounds (see the module docs).
    pub fn prune(&mut self) {
        let max_forms = self.limits.max_forms.max(1);
        if self.forms.len() > max_forms {
            let mut c: Vec<u64> = self.uni[1..].to_vec();
            let k = max_forms - 1;
            c.select_nth_unstable_by(k, |a, b| b.cmp(a));
            let t = c[k];
            // keep counts above the k-th largest (ties at it go: the bound holds)
            let mut map = vec![u32::MAX; self.forms.len()];
            map[0] = 0;
            let mut forms = vec![String::new()];
            let mut uni = vec![self.uni[0]];
            for (i, slot) in map.iter_mut().enumerate().skip(1) {
                if self.uni[i] > t {
                    *slot = forms.len() as u32;
                    forms.push(std::mem::take(&mut self.forms[i]));
                    uni.push(self.uni[i]);
                }
            }
            self.ids = forms
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, f)| (f.clone(), i as u32))
                .collect();
            self.forms = forms;
            self.uni = uni;
            let old = std::mem::take(&mut self.bi);
            self.bi = old
                .into_iter()
                .filter_map(|(k, n)| {
                    let (a, b) = (map[(k >> 32) as usize], map[(k & 0xFFFF_FFFF) as usize]);
                    (a != u32::MAX && b != u32::MAX).then(|| (key(a, b), n))
                })
                .collect();
        }
        let max_bi = self.limits.max_bigrams.max(1);
        if self.bi.len() > max_bi {
            let mut c: Vec<u32> = self.bi.values().copied().collect();
            let k = max_bi - 1;
            c.select_nth_unstable_by(k, |a, b| b.cmp(a));
            let t = c[k];
            self.bi.retain(|_, n| *n > t);
        }
    }

    /// The sorted, frozen statistics (pruned to the bounds first).
    pub fn freeze(&mut self) -> ArchiveStats {
        if self.forms.len() > self.limits.max_forms || self.bi.len() > self.limits.max_bigrams {
            self.prune();
        }
        // ids group by group (ascending hash), most frequent first
        let mut order: Vec<(u64, u64, u32)> = (1..self.forms.len() as u32)
            .map(|i| {
                let f = &self.forms[i as usize];
                (group_hash(&group_key(f)), self.uni[i as usize], i)
            })
            .collect();
        order.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut map = vec![0u32; self.forms.len()];
        let mut counts = vec![sat(self.uni[0])];
        let mut text = String::new();
        let mut text_off = vec![0u32, 0];
        let mut group_hash_v = Vec::new();
        let mut group_start = Vec::new();
        for (h, c, i) in &order {
            let id = counts.len() as u32;
            map[*i as usize] = id;
            counts.push(sat(*c));
            text.push_str(&self.forms[*i as usize]);
            text_off.push(text.len() as u32);
            if group_hash_v.last() != Some(h) {
                group_hash_v.push(*h);
                group_start.push(id);
            }
        }
        group_start.push(counts.len() as u32);
        let mut form_hash: Vec<(u64, u32)> = (1..counts.len() as u32)
            .map(|id| {
                let s = text_off[id as usize] as usize;
                let e = text_off[id as usize + 1] as usize;
                (group_hash(&text[s..e]), id)
            })
            .collect();
        form_hash.sort_unstable();
        let mut bi: Vec<(u64, u32)> = self
            .bi
            .iter()
            .map(|(k, n)| {
                let (a, b) = (map[(k >> 32) as usize], map[(k & 0xFFFF_FFFF) as usize]);
                (key(a, b), *n)
            })
            .collect();
        bi.sort_unstable();
        let tokens = self.uni[1..].iter().sum();
        let bi_keys: Vec<u64> = bi.iter().map(|x| x.0).collect();
        let (bi_start, bi_second) = pair_index(&bi_keys, counts.len());
        ArchiveStats {
            bi_start,
            bi_second,
            tokens,
            counts,
            text_off,
            text,
            group_hash: group_hash_v,
            group_start,
            form_hash: form_hash.iter().map(|x| x.0).collect(),
            form_id: form_hash.iter().map(|x| x.1).collect(),
            bi_keys,
            bi_counts: bi.iter().map(|x| x.1).collect(),
        }
    }
}

fn sat(c: u64) -> u32 {
    c.min(u32::MAX as u64) as u32
}

/// The group of a form: its folded form, `^`-prefixed forms kept apart.
fn group_key(form: &str) -> String {
    match form.strip_prefix(CAP) {
        Some(f) => format!("{CAP}{}", fold(f)),
        None => fold(form),
    }
}

/// Frozen archive statistics (the reading side; see the module docs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArchiveStats {
    tokens: u64,
    counts: Vec<u32>,
    text_off: Vec<u32>,
    text: String,
    group_hash: Vec<u64>,
    group_start: Vec<u32>,
    form_hash: Vec<u64>,
    form_id: Vec<u32>,
    bi_keys: Vec<u64>,
    bi_counts: Vec<u32>,
    /// Derived at load: the pairs starting with id `a` are `bi_start[a]..bi_start[a + 1]`,
    /// their second ids `bi_second` (a short, dense range to search).
    bi_start: Vec<u32>,
    bi_second: Vec<u32>,
}

/// `bi_start` and `bi_second` of sorted pair keys.
fn pair_index(keys: &[u64], n_forms: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n_forms + 1];
    for k in keys {
        let a = (k >> 32) as usize;
        if a < n_forms {
            start[a + 1] += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    (start, keys.iter().map(|k| *k as u32).collect())
}

const MAGIC: &[u8; 5] = b"TTRAS";
const VERSION: u8 = 1;
const PRE: usize = 16;
const HEADER: usize = PRE + 4 * 4 + 8 * 2;

/// Pseudo-count of the bigram estimate's prior.
const BETA: f64 = 4.0;

impl ArchiveStats {
    /// Number of ids (the boundary included).
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.len() <= 1
    }

    /// Syllables counted.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Pairs kept.
    pub fn bigrams(&self) -> usize {
        self.bi_keys.len()
    }

    /// Count of an id (for the boundary: chunks).
    pub fn count(&self, id: u32) -> u32 {
        self.counts.get(id as usize).copied().unwrap_or(0)
    }

    /// The form of an id (`""` for the boundary and out of range).
    pub fn text(&self, id: u32) -> &str {
        let i = id as usize;
        match (self.text_off.get(i), self.text_off.get(i + 1)) {
            (Some(&s), Some(&e)) => self.text.get(s as usize..e as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// The id of a form (`^`-prefixed for a name inside a sentence).
    pub fn id(&self, form: &str) -> Option<u32> {
        let h = group_hash(form);
        let mut i = self.form_hash.partition_point(|&x| x < h);
        while i < self.form_hash.len() && self.form_hash[i] == h {
            let id = self.form_id[i];
            if self.text(id) == form {
                return Some(id);
            }
            i += 1;
        }
        None
    }

    /// The ids of a group key (folded form, `^` + folded form for names), most
    /// frequent first.
    pub fn group(&self, key: &str) -> Range<u32> {
        let h = group_hash(key);
        let i = self.group_hash.partition_point(|&x| x < h);
        if i >= self.group_hash.len() || self.group_hash[i] != h {
            return 0..0;
        }
        let s = self.group_start[i];
        let e = self.group_start.get(i + 1).copied().unwrap_or(s);
        s..e.max(s)
    }

    /// Count of the pair (a, b).
    #[inline]
    pub fn pair(&self, a: u32, b: u32) -> u32 {
        let (Some(&s), Some(&e)) = (
            self.bi_start.get(a as usize),
            self.bi_start.get(a as usize + 1),
        ) else {
            return 0;
        };
        let r = self
            .bi_second
            .get(s as usize..e as usize)
            .unwrap_or_default();
        match r.binary_search(&b) {
            Ok(i) => self.bi_counts.get(s as usize + i).copied().unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// The unigram estimate of an id (`None`: a form the archive never saw).
    pub fn prob1(&self, w: Option<u32>) -> f64 {
        let c = w.map_or(0, |w| self.count(w)) as f64;
        (c + 0.5) / (self.tokens as f64 + 0.5 * self.counts.len() as f64)
    }

    /// The bigram estimate P(w | v) (see the module docs).
    pub fn prob(&self, v: Option<u32>, w: Option<u32>) -> f64 {
        let p1 = self.prob1(w);
        let (Some(v), Some(w)) = (v, w) else {
            return p1;
        };
        let cv = self.count(v) as f64;
        (self.pair(v, w) as f64 + BETA * p1) / (cv + BETA)
    }

    /// Serializes (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            HEADER + self.counts.len() * 20 + self.bi_keys.len() * 12 + self.text.len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[VERSION, 0, 0]);
        out.extend_from_slice(&[0; 8]);
        for n in [
            self.counts.len(),
            self.group_hash.len(),
            self.bi_keys.len(),
            self.text.len(),
        ] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        out.extend_from_slice(&(self.counts[0] as u64).to_le_bytes());
        out.extend_from_slice(&self.tokens.to_le_bytes());
        let u32s = |v: &[u32], out: &mut Vec<u8>| {
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        let u64s = |v: &[u64], out: &mut Vec<u8>| {
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        u32s(&self.counts, &mut out);
        u32s(&self.text_off, &mut out);
        u64s(&self.group_hash, &mut out);
        u32s(&self.group_start, &mut out);
        u64s(&self.form_hash, &mut out);
        u32s(&self.form_id, &mut out);
        u64s(&self.bi_keys, &mut out);
        u32s(&self.bi_counts, &mut out);
        out.extend_from_slice(self.text.as_bytes());
        let sum = xxhash_rust::xxh3::xxh3_64(&out[PRE..]);
        out[8..16].copy_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a file written by [`ArchiveStats::to_bytes`], checking its checksum and
    /// structure (every later lookup stays in bounds).
    pub fn from_bytes(b: &[u8]) -> Result<ArchiveStats, ArchiveStatsError> {
        let bad = ArchiveStatsError::Corrupt;
        if b.len() < HEADER || &b[..5] != MAGIC {
            return Err(bad("not a statistics file"));
        }
        if b[5] != VERSION {
            return Err(bad("unknown version"));
        }
        if xxhash_rust::xxh3::xxh3_64(&b[PRE..]).to_le_bytes() != b[8..16] {
            return Err(bad("checksum mismatch"));
        }
        let mut at = PRE;
        let mut take = |n: usize| -> Result<&[u8], ArchiveStatsError> {
            let s = b
                .get(at..at + n)
                .ok_or(bad("shorter than its header says"))?;
            at += n;
            Ok(s)
        };
        let mut hdr = [0usize; 4];
        for h in hdr.iter_mut() {
            *h = u32::from_le_bytes(take(4)?.try_into().map_err(|_| bad("header"))?) as usize;
        }
        let [n_forms, n_groups, n_bi, n_text] = hdr;
        // chunks: the header's copy of the boundary's count, which `counts[0]` holds
        take(8)?;
        let tokens = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad("header"))?);
        if n_forms == 0 || n_forms.max(n_groups).max(n_bi).max(n_text) > b.len() {
            return Err(bad("sizes"));
        }
        let rd32 = |s: &[u8]| -> Vec<u32> {
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        };
        let rd64 = |s: &[u8]| -> Vec<u64> {
            s.chunks_exact(8)
                .map(|c| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(c);
                    u64::from_le_bytes(a)
                })
                .collect()
        };
        let counts = rd32(take(4 * n_forms)?);
        let text_off = rd32(take(4 * (n_forms + 1))?);
        let group_hash = rd64(take(8 * n_groups)?);
        let group_start = rd32(take(4 * (n_groups + 1))?);
        let form_hash = rd64(take(8 * (n_forms - 1))?);
        let form_id = rd32(take(4 * (n_forms - 1))?);
        let bi_keys = rd64(take(8 * n_bi)?);
        let bi_counts = rd32(take(4 * n_bi)?);
        let text = std::str::from_utf8(take(n_text)?)
            .map_err(|_| bad("text not UTF-8"))?
            .to_string();
        if at != b.len() {
            return Err(bad("size does not match the header"));
        }
        let ascending = |v: &[u32], max: usize| {
            v.windows(2).all(|w| w[0] <= w[1]) && v.last().is_none_or(|&x| x as usize <= max)
        };
        if !ascending(&text_off, n_text)
            || !text_off.iter().all(|&o| text.is_char_boundary(o as usize))
            || !ascending(&group_start, n_forms)
            || form_id.iter().any(|&i| i as usize >= n_forms)
            || !bi_keys.windows(2).all(|w| w[0] < w[1])
            || !form_hash.windows(2).all(|w| w[0] <= w[1])
            || !group_hash.windows(2).all(|w| w[0] < w[1])
        {
            return Err(bad("tables out of order"));
        }
        if bi_keys.iter().any(|k| (k >> 32) as usize >= n_forms) {
            return Err(bad("pair of an unknown form"));
        }
        let (bi_start, bi_second) = pair_index(&bi_keys, n_forms);
        Ok(ArchiveStats {
            bi_start,
            bi_second,
            tokens,
            counts,
            text_off,
            text,
            group_hash,
            group_start,
            form_hash,
            form_id,
            bi_keys,
            bi_counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts_of(texts: &[&str], limits: Limits) -> Counts {
        let mut an = Analyzer::default();
        let mut c = Counts::new(limits);
        for t in texts {
            let mut s = String::new();
            stream(&mut an, t, &mut s);
            c.add_stream(&s);
        }
        c
    }

    #[test]
    fn streams_follow_the_restorer_pieces() {
        let mut an = Analyzer::default();
        let mut s = String::new();
        stream(&mut an, "Ông Nguyễn Văn Thọ nói, ngày 22", &mut s);
        assert_eq!(s, "ông ^nguyễn ^văn ^thọ nói\nngày #\n");
    }

    #[test]
    fn counts_round_trip_and_lookups() {
        let mut c = counts_of(&["Ông Thọ nói", "ông Thọ về", "thơ hay"], Limits::default());
        let s = c.freeze();
        let back = ArchiveStats::from_bytes(&s.to_bytes()).unwrap();
        assert_eq!(back, s);
        let tho = s.id("^thọ").unwrap();
        let ong = s.id("ông").unwrap();
        assert_eq!(s.count(tho), 2);
        assert_eq!(s.pair(ong, tho), 2);
        assert_eq!(s.pair(tho, ong), 0);
        assert_eq!(s.pair(BOUNDARY, ong), 2);
        assert_eq!(s.count(BOUNDARY), 3);
        assert_eq!(s.tokens(), 8);
        let g: Vec<&str> = s.group("^tho").map(|i| s.text(i)).collect();
        assert_eq!(g, ["^thọ"]);
        assert_eq!(s.text(s.group("tho").start), "thơ");
        assert!(s.prob(Some(ong), Some(tho)) > s.prob(Some(ong), s.id("thơ")));
        // going on from the file gives the same counts
        let mut again = Counts::from_stats(&back, Limits::default());
        assert_eq!(again.freeze(), s);
    }

    #[test]
    fn bounds_drop_the_rarest() {
        let mut c = counts_of(
            &["a b a b a b", "c d", "e f"],
            Limits {
                max_forms: 3,
                max_bigrams: 2,
            },
        );
        let s = c.freeze();
        assert!(s.len() <= 3, "{}", s.len());
        assert!(s.bigrams() <= 2);
        let (a, b) = (s.id("a").unwrap(), s.id("b").unwrap());
        assert_eq!(s.pair(a, b), 3);
        assert!(s.id("c").is_none());
    }

    #[test]
    fn damaged_files_are_errors() {
        let mut c = counts_of(&["xin chào"], Limits::default());
        let bytes = c.freeze().to_bytes();
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(ArchiveStats::from_bytes(&bad).is_err());
        assert!(ArchiveStats::from_bytes(&bytes[..n - 1]).is_err());
        assert!(ArchiveStats::from_bytes(b"TTRAS").is_err());
        assert!(ArchiveStats::from_bytes(&[]).is_err());
    }
}

//! Archive statistics for accent restoration: syllable unigram and bigram counts of
//! an archive's own text, so that its names and topics restore well.
//!
//! # Gathering ([`Counts`])
//!
//! Each article's text is read exactly as the restorer reads its input
//! (`for_each_piece`): a text becomes a *stream* ([`stream`]) of canonical
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
//! **Cheap at ingest.** [`Words`] reads an article's text (on any thread) into its
//! raw words, each a header byte (length, whether it starts a sentence) and its
//! bytes, with chunk breaks and numbers as one byte: no normalization, no
//! allocation per word. [`Counts::add`] maps
//! each raw word to its form ids through a cache of raw words (the analyzer reads a
//! raw word once, the first time it is seen), so counting is two hash-table
//! probes per word. The counts are those of [`stream`] and [`Counts::add_stream`]
//! (a unit test compares them), except that a number with dots or commas between
//! digit groups (`16.6.2013`) is one number.
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

use std::ops::Range;

use rustc_hash::FxHashMap;

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

/// Header byte of a chunk break in [`Words`].
const W_BREAK: u8 = 0xF0;
/// Header byte of a number.
const W_NUM: u8 = 0xF1;
/// Header byte of a word longer than [`KEY_BYTES`] (`Words::long`, its index in
/// the 4 bytes after); `| 1`: it starts a sentence.
const W_LONG: u8 = 0xF2;
/// Header bit of a word (of at most [`KEY_BYTES`] bytes, the low bits) that starts
/// a sentence.
const W_SENTENCE: u8 = 0x10;
/// Raw bytes a cache key holds.
const KEY_BYTES: usize = 15;

/// An article's words, read for counting ([`Counts::add`]): each raw word as a
/// header byte (its length, whether it starts a sentence) and its bytes; chunk
/// breaks and numbers as one header byte. Built on any thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    bytes: Vec<u8>,
    long: Vec<Box<str>>,
    words: usize,
}

/// Whether `c` continues (or starts) a raw word: letters, digits and combining marks.
#[inline]
fn word_char(c: char) -> bool {
    c.is_alphanumeric()
        || crate::analysis::normalize::starts_run(c)
        || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether the character at byte `i` of `text` continues a raw word, and its length
/// (Vietnamese letters without a table lookup).
#[inline]
fn class_at(text: &str, i: usize) -> Option<(bool, usize)> {
    let b = text.as_bytes();
    let c = *b.get(i)?;
    if c < 0x80 {
        return Some((c.is_ascii_alphanumeric(), 1));
    }
    let c1 = b.get(i + 1).copied().unwrap_or(0);
    match c {
        // U+00C0..U+027F: Latin-1 letters (but × and ÷), Latin Extended-A and B
        0xC3..=0xC9 => {
            let cp = ((c as u32 & 0x1F) << 6) | (c1 as u32 & 0x3F);
            return Some((cp != 0xD7 && cp != 0xF7, 2));
        }
        // U+0300..U+036F: combining marks
        0xCC => return Some((true, 2)),
        0xCD if c1 < 0xB0 => return Some((true, 2)),
        // U+1E00..U+1EFF: Latin Extended Additional (ạ, ế, ữ …)
        0xE1 if (0xB8..=0xBB).contains(&c1) => return Some((true, 3)),
        _ => {}
    }
    let ch = text.get(i..)?.chars().next()?;
    Some((word_char(ch), ch.len_utf8()))
}

impl Words {
    /// No words.
    pub fn new() -> Words {
        Words::default()
    }

    /// Whether no word was read.
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    /// Words read (numbers included).
    pub fn len(&self) -> usize {
        self.words
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.long.iter().map(|l| l.len()).sum::<usize>()
    }

    /// Reads one text: its start, each line break and each gap holding more than
    /// white space end a chunk, as [`stream`] of each line does.
    pub fn push_text(&mut self, text: &str) {
        let b = text.as_bytes();
        self.bytes.reserve(b.len() + 1);
        self.bytes.push(W_BREAK);
        let mut i = 0;
        let mut prev_end = 0;
        let mut first = true;
        while i < b.len() {
            let c0 = b[i];
            let Some((starts, clen)) = class_at(text, i) else {
                break;
            };
            if !starts {
                i += clen;
                continue;
            }
            // the run of word characters from i
            let digits_only_start = c0.is_ascii_digit();
            let mut j = i;
            let mut digits = true;
            while j < b.len() {
                let c = b[j];
                if c < 0x80 {
                    if c.is_ascii_digit() {
                        j += 1;
                    } else if c.is_ascii_alphabetic() {
                        digits = false;
                        j += 1;
                    } else if digits
                        && (c == b'.' || c == b',')
                        && b.get(j + 1).is_some_and(u8::is_ascii_digit)
                    {
                        j += 2;
                    } else {
                        break;
                    }
                } else {
                    match class_at(text, j) {
                        Some((true, n)) => {
                            digits = false;
                            j += n;
                        }
                        _ => break,
                    }
                }
            }
            // the gap before it
            let sentence = if first {
                true
            } else {
                let gap = &b[prev_end..i];
                if gap.iter().all(|&g| g == b' ') {
                    false
                } else {
                    let gap = text.get(prev_end..i).unwrap_or("");
                    if gap.contains('\n') {
                        self.bytes.push(W_BREAK);
                        true
                    } else if gap.chars().all(char::is_whitespace) {
                        false
                    } else {
                        self.bytes.push(W_BREAK);
                        gap.chars().any(super::ends_sentence)
                    }
                }
            };
            first = false;
            prev_end = j;
            let raw = &b[i..j];
            i = j;
            self.words += 1;
            if digits && digits_only_start {
                self.bytes.push(W_NUM);
            } else if raw.len() <= KEY_BYTES {
                let s = if sentence { W_SENTENCE } else { 0 };
                self.bytes.push(s | raw.len() as u8);
                self.bytes.extend_from_slice(raw);
            } else {
                self.bytes.push(W_LONG | sentence as u8);
                self.bytes
                    .extend_from_slice(&(self.long.len() as u32).to_le_bytes());
                self.long
                    .push(String::from_utf8_lossy(raw).into_owned().into_boxed_str());
            }
        }
    }
}

/// What a raw word counts as: one form (`plain` at a sentence's start, `cap`
/// inside one) or, for a raw word the analyzer reads as several tokens, runs of
/// [`Counts::many`].
#[derive(Debug, Clone, Copy)]
enum Entry {
    One { plain: u32, cap: u32 },
    Many { start: u32, plain: u16, cap: u16 },
}

/// Counts being gathered (the writing side).
#[derive(Debug)]
pub struct Counts {
    ids: FxHashMap<String, u32>,
    forms: Vec<String>,
    uni: Vec<u64>,
    /// Pair counts merged so far, sorted by key; `pending`: keys counted since,
    /// merged in batches ([`Counts::flush`]: a radix sort and a merge are far cheaper
    /// than a hash-table probe, a cache miss, per pair).
    bi: Vec<(u64, u32)>,
    pending: Vec<u64>,
    scratch: Vec<u64>,
    /// The merge's output buffer, kept (allocating a new one each batch fragments
    /// the heap).
    spare: Vec<(u64, u32)>,
    limits: Limits,
    /// Raw words seen (their bytes, zero-padded) and their forms.
    raw: FxHashMap<u128, Entry>,
    many: Vec<u32>,
    an: Analyzer,
    /// Ids in use by a chunk being counted.
    buf: Vec<u32>,
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
            ids: FxHashMap::default(),
            forms: vec![String::new()],
            uni: vec![0],
            bi: Vec::new(),
            pending: Vec::new(),
            scratch: Vec::new(),
            spare: Vec::new(),
            limits,
            raw: FxHashMap::default(),
            many: Vec::new(),
            an: Analyzer::default(),
            buf: Vec::new(),
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
        c.bi = s.pair_keys().zip(s.bi_counts.iter().copied()).collect();
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

    /// The form ids of one raw word: at a sentence's start (`plain`) and inside one
    /// (`cap`), read as [`stream`] reads them.
    fn resolve(&mut self, raw: &str) -> Entry {
        let mut forms: Vec<String> = Vec::with_capacity(2);
        let read = |an: &mut Analyzer, text: &str, skip: usize, forms: &mut Vec<String>| {
            let mut n = 0;
            for_each_piece(an, text, true, |p| {
                n += 1;
                if n <= skip {
                    return;
                }
                match p {
                    Piece::Break => {}
                    Piece::Number { .. } => forms.push(NUM_FORM.to_string()),
                    Piece::Word {
                        normalized, cap, ..
                    } => forms.push(match cap {
                        true => format!("{CAP}{normalized}"),
                        false => normalized.to_string(),
                    }),
                }
            });
        };
        read(&mut self.an, raw, 0, &mut forms);
        let n_plain = forms.len();
        // inside a sentence: after a word and a space
        let inside = format!("a {raw}");
        read(&mut self.an, &inside, 1, &mut forms);
        let ids: Vec<u32> = forms.iter().map(|f| self.id(f)).collect();
        match (n_plain, ids.as_slice()) {
            (1, &[plain, cap]) => Entry::One { plain, cap },
            _ => {
                let start = self.many.len() as u32;
                self.many.extend_from_slice(&ids);
                Entry::Many {
                    start,
                    plain: n_plain.min(u16::MAX as usize) as u16,
                    cap: (ids.len() - n_plain).min(u16::MAX as usize) as u16,
                }
            }
        }
    }

    /// Counts one article's words ([`Words`]); the same counts as [`Counts::add_stream`]
    /// of its [`stream`].
    pub fn add(&mut self, w: &Words) {
        let mut open = false;
        let mut prev = BOUNDARY;
        let num = self.id(NUM_FORM);
        let step = |c: &mut Counts, open: &mut bool, prev: &mut u32, id: u32| {
            if !*open {
                c.uni[0] += 1;
                *prev = BOUNDARY;
                *open = true;
            }
            c.uni[id as usize] += 1;
            c.pending.push(key(*prev, id));
            *prev = id;
        };
        let b = &w.bytes;
        let mut i = 0;
        while let Some(&h) = b.get(i) {
            i += 1;
            match h {
                W_BREAK => {
                    if open {
                        self.pending.push(key(prev, BOUNDARY));
                        open = false;
                    }
                }
                W_NUM => step(self, &mut open, &mut prev, num),
                _ => {
                    let (entry, sentence) = if h & !1 == W_LONG {
                        let at = b.get(i..i + 4).and_then(|x| x.first_chunk::<4>());
                        i += 4;
                        let ix = at.map_or(u32::MAX, |x| u32::from_le_bytes(*x));
                        let raw = w.long.get(ix as usize).map_or("", |s| &**s);
                        (self.resolve(raw), h & 1 != 0)
                    } else {
                        let n = (h & 0x0F) as usize;
                        let raw = b.get(i..i + n).unwrap_or_default();
                        i += n;
                        let mut k = [0u8; 16];
                        k[..raw.len()].copy_from_slice(raw);
                        let rk = u128::from_le_bytes(k);
                        let e = match self.raw.get(&rk) {
                            Some(e) => *e,
                            None => {
                                let e = self.resolve(std::str::from_utf8(raw).unwrap_or(""));
                                self.raw.insert(rk, e);
                                e
                            }
                        };
                        (e, h & W_SENTENCE != 0)
                    };
                    match entry {
                        Entry::One { plain, cap } => step(
                            self,
                            &mut open,
                            &mut prev,
                            if sentence { plain } else { cap },
                        ),
                        Entry::Many { start, plain, cap } => {
                            let (s, n) = match sentence {
                                true => (start as usize, plain as usize),
                                false => (start as usize + plain as usize, cap as usize),
                            };
                            let mut buf = std::mem::take(&mut self.buf);
                            buf.clear();
                            buf.extend_from_slice(self.many.get(s..s + n).unwrap_or_default());
                            for &id in &buf {
                                step(self, &mut open, &mut prev, id);
                            }
                            self.buf = buf;
                        }
                    }
                }
            }
        }
        if open {
            self.pending.push(key(prev, BOUNDARY));
        }
        if self.raw.len() > 4 * self.limits.max_forms.max(1) {
            self.raw.clear();
            self.many.clear();
        }
        self.check_bounds();
    }

    /// Counts one stream ([`stream`]).
    pub fn add_stream(&mut self, s: &str) {
        for chunk in s.split('\n').filter(|c| !c.is_empty()) {
            let mut prev = BOUNDARY;
            self.uni[0] += 1;
            for f in chunk.split(' ').filter(|f| !f.is_empty()) {
                let id = self.id(f);
                self.uni[id as usize] += 1;
                self.pending.push(key(prev, id));
                prev = id;
            }
            self.pending.push(key(prev, BOUNDARY));
        }
        self.check_bounds();
    }

    /// Merges the pending pairs when there are many, and prunes past twice the bounds.
    fn check_bounds(&mut self) {
        if self.pending.capacity() < FLUSH {
            // an article's pairs past the batch fit without doubling
            self.pending
                .reserve_exact((FLUSH + FLUSH / 4).saturating_sub(self.pending.len()));
        }
        if self.pending.len() >= FLUSH {
            self.flush();
        }
        if self.forms.len() > 2 * self.limits.max_forms
            || self.bi.len() > 2 * self.limits.max_bigrams
        {
            self.prune();
        }
    }

    /// Approximate bytes held on the heap: (forms and raw-word cache, pairs and buffers).
    pub fn heap_bytes(&self) -> (usize, usize) {
        let forms = self.forms.iter().map(|f| f.capacity() + 24).sum::<usize>()
            + self.ids.capacity() * 40
            + self.uni.capacity() * 8
            + self.raw.capacity() * 33
            + self.many.capacity() * 4;
        let pairs = (self.bi.capacity() + self.spare.capacity()) * 16
            + (self.pending.capacity() + self.scratch.capacity()) * 8;
        (forms, pairs)
    }

    /// Merges the pending pair keys into the sorted counts.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let bits = (u32::BITS - (self.forms.len() as u32).leading_zeros()).max(1);
        radix_sort(&mut self.pending, &mut self.scratch, bits);
        let old = std::mem::take(&mut self.bi);
        let p = &self.pending;
        let mut out = std::mem::take(&mut self.spare);
        out.clear();
        // exact: both buffers stay near the table's size
        out.reserve_exact(old.len() + p.len());
        let (mut i, mut j) = (0, 0);
        while j < p.len() {
            let k = p[j];
            let mut n = 0u32;
            while j < p.len() && p[j] == k {
                n = n.saturating_add(1);
                j += 1;
            }
            while i < old.len() && old[i].0 < k {
                out.push(old[i]);
                i += 1;
            }
            if i < old.len() && old[i].0 == k {
                out.push((k, old[i].1.saturating_add(n)));
                i += 1;
            } else {
                out.push((k, n));
            }
        }
        out.extend_from_slice(old.get(i..).unwrap_or_default());
        self.bi = out;
        self.spare = old;
        self.pending.clear();
    }

    /// Drops the rarest entries beyond the bounds (see the module docs).
    pub fn prune(&mut self) {
        self.flush();
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
            // the raw words' ids are stale
            self.raw.clear();
            self.many.clear();
            // the kept forms keep their order: the remapped keys stay sorted
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
            let mut c: Vec<u32> = self.bi.iter().map(|x| x.1).collect();
            let k = max_bi - 1;
            c.select_nth_unstable_by(k, |a, b| b.cmp(a));
            let t = c[k];
            self.bi.retain(|x| x.1 > t);
        }
    }

    /// The sorted, frozen statistics (pruned to the bounds first).
    pub fn freeze(&mut self) -> ArchiveStats {
        self.flush();
        if self.forms.len() > self.limits.max_forms || self.bi.len() > self.limits.max_bigrams {
            self.prune();
        }
        // ids group by group (ascending hash), most frequent first
        // (a form read but never counted, a raw word's unused reading, is left out)
        let mut order: Vec<(u64, u64, u32)> = (1..self.forms.len() as u32)
            .filter(|&i| self.uni[i as usize] > 0)
            .map(|i| {
                let f = &self.forms[i as usize];
                // The group is the folded form: `fold` keeps the `^` of a capitalised
                // form, so those stay apart (as the model's groups, `train.rs`).
                (group_hash(&fold(f)), self.uni[i as usize], i)
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
        let (bi_start, bi_second) = pair_index(bi.iter().map(|x| x.0), counts.len());
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
            bi_counts: bi.iter().map(|x| x.1).collect(),
        }
    }
}

/// Pending pair keys merged at a time.
const FLUSH: usize = 1 << 18;

/// Sorts pair keys `a << 32 | b` (`a` and `b` below 2^`bits`) ascending: a least
/// significant digit first radix sort, 11 bits a pass, over the bits in use.
fn radix_sort(v: &mut Vec<u64>, tmp: &mut Vec<u64>, bits: u32) {
    const D: u32 = 11;
    const MASK: u64 = (1 << D) - 1;
    let bits = bits.min(32);
    let shifts = (0..bits)
        .step_by(D as usize)
        .chain((32..32 + bits).step_by(D as usize));
    tmp.clear();
    tmp.reserve_exact(v.len());
    tmp.resize(v.len(), 0);
    let mut counts = vec![0usize; 1 << D];
    for sh in shifts {
        counts.fill(0);
        for &k in v.iter() {
            counts[((k >> sh) & MASK) as usize] += 1;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &k in v.iter() {
            let d = ((k >> sh) & MASK) as usize;
            tmp[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(v, tmp);
    }
}

fn sat(c: u64) -> u32 {
    c.min(u32::MAX as u64) as u32
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
    /// The pairs, sorted by (first, second) id: those starting with id `a` are
    /// `bi_start[a]..bi_start[a + 1]` (derived at load from the file's keys
    /// `a << 32 | b`, which are not kept), their second ids `bi_second` and counts
    /// `bi_counts`.
    bi_counts: Vec<u32>,
    bi_start: Vec<u32>,
    bi_second: Vec<u32>,
}

/// `bi_start` and `bi_second` of sorted pair keys.
fn pair_index(keys: impl ExactSizeIterator<Item = u64>, n_forms: usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n_forms + 1];
    let mut second = Vec::with_capacity(keys.len());
    for k in keys {
        let a = (k >> 32) as usize;
        if a < n_forms {
            start[a + 1] += 1;
        }
        second.push(k as u32);
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    (start, second)
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
        self.bi_second.len()
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

    /// Where the pairs starting with `a` begin, and their second ids (ascending).
    #[inline]
    fn seconds_of(&self, a: u32) -> Option<(u32, &[u32])> {
        let s = *self.bi_start.get(a as usize)?;
        let e = *self.bi_start.get(a as usize + 1)?;
        Some((
            s,
            self.bi_second
                .get(s as usize..e as usize)
                .unwrap_or_default(),
        ))
    }

    /// Count of the pair (a, b).
    #[inline]
    pub fn pair(&self, a: u32, b: u32) -> u32 {
        let Some((s, r)) = self.seconds_of(a) else {
            return 0;
        };
        match r.binary_search(&b) {
            Ok(i) => self.bi_counts.get(s as usize + i).copied().unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// The pair keys `a << 32 | b`, ascending (as the file holds them).
    fn pair_keys(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        let mut a = 0usize;
        (0..self.bi_second.len()).map(move |i| {
            while self.bi_start.get(a + 1).is_some_and(|&e| e as usize <= i) {
                a += 1;
            }
            key(a as u32, self.bi_second[i])
        })
    }

    /// The pairs (a, b) with `lo <= b <= hi`: a range for [`ArchiveStats::pair_in`]
    /// (the candidates of one syllable are mostly one group, a short id range, so
    /// their pairs with `a` are found by one search instead of one each).
    #[inline]
    pub fn pair_range(&self, a: u32, lo: u32, hi: u32) -> Range<u32> {
        let Some((s, r)) = self.seconds_of(a) else {
            return 0..0;
        };
        let from = r.partition_point(|&x| x < lo);
        let to = from
            + r.get(from..)
                .unwrap_or_default()
                .partition_point(|&x| x <= hi);
        s + from as u32..s + to as u32
    }

    /// Count of the pair (a, b) given the range of [`ArchiveStats::pair_range`] of
    /// `a` around `b` (the same as [`ArchiveStats::pair`] when `b` is inside it).
    #[inline]
    pub fn pair_in(&self, r: Range<u32>, b: u32) -> u32 {
        let (s, e) = (r.start as usize, r.end as usize);
        let ids = self.bi_second.get(s..e).unwrap_or_default();
        match ids.binary_search(&b) {
            Ok(i) => self.bi_counts.get(s + i).copied().unwrap_or(0),
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

    /// [`ArchiveStats::prob`] of two known ids given `cv`, the count of `v`, and
    /// `p1`, the unigram estimate of `w` (computed once per candidate by the decoder).
    #[inline]
    pub fn prob_given(&self, v: u32, cv: f32, w: u32, p1: f32) -> f32 {
        Self::prob_of_count(self.pair(v, w), cv, p1)
    }

    /// [`ArchiveStats::prob_given`] of the pair's count `n`.
    #[inline]
    pub fn prob_of_count(n: u32, cv: f32, p1: f32) -> f32 {
        (n as f32 + BETA as f32 * p1) / (cv + BETA as f32)
    }

    /// Serializes (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            HEADER + self.counts.len() * 20 + self.bi_second.len() * 12 + self.text.len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[VERSION, 0, 0]);
        out.extend_from_slice(&[0; 8]);
        for n in [
            self.counts.len(),
            self.group_hash.len(),
            self.bi_second.len(),
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
        for k in self.pair_keys() {
            out.extend_from_slice(&k.to_le_bytes());
        }
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
        // The pair keys are read once, into the pair index, without a copy of their own.
        let bi_bytes = take(8 * n_bi)?;
        let bi_keys = || {
            bi_bytes.chunks_exact(8).map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_le_bytes(a)
            })
        };
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
            || !bi_keys().zip(bi_keys().skip(1)).all(|(a, b)| a < b)
            || !form_hash.windows(2).all(|w| w[0] <= w[1])
            || !group_hash.windows(2).all(|w| w[0] < w[1])
        {
            return Err(bad("tables out of order"));
        }
        if bi_keys().any(|k| (k >> 32) as usize >= n_forms) {
            return Err(bad("pair of an unknown form"));
        }
        let (bi_start, bi_second) = pair_index(bi_keys(), n_forms);
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
            bi_counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups are keyed by `fold`, which keeps the `^` of a capitalised form: `Thọ`
    /// (a name) and `thọ` fall in different groups.
    #[test]
    fn capitalised_forms_group_apart() {
        assert_eq!(fold(&format!("{CAP}thọ")), format!("{CAP}tho"));
        assert_ne!(group_hash(&fold("^thọ")), group_hash(&fold("thọ")));
    }

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

    /// Counts of `texts` read as [`Words`] and as the analyzer's [`stream`] of each line.
    fn both_ways(texts: &[&str]) -> (ArchiveStats, ArchiveStats) {
        let mut fast = Counts::default();
        let mut slow = Counts::default();
        let mut an = Analyzer::default();
        for t in texts {
            let mut w = Words::new();
            w.push_text(t);
            fast.add(&w);
            let mut s = String::new();
            for line in t.split('\n') {
                stream(&mut an, line, &mut s);
            }
            slow.add_stream(&s);
        }
        (fast.freeze(), slow.freeze())
    }

    #[test]
    fn words_count_as_the_analyzer_reads() {
        let texts = [
            "Ông Nguyễn Văn Thọ nói, ngày 22 tháng 6: \"Giá vàng tăng\".",
            "Thủ tướng Chính phủ\nđã ký quyết định  số 1234/QĐ-TTg về COVID-19 và H5N1.",
            "TP.HCM – Đà Nẵng… iPhone 15 Pro giá 1.234.567 đồng (tăng 3,5%)!",
            "HÀ NỘI: Trường ĐH Bách khoa; \u{201c}Hòa bình\u{201d} hoà, Thuỷ thủy",
            "Xin chào\n\n\nThế giới\tmới  ",
            "supercalifragilisticexpialidocious Nghiêng nghiêng, Quốc hội",
            "hoa\u{300} decomposed",
            "",
            "   ",
            ".,;",
        ];
        let (fast, slow) = both_ways(&texts);
        assert_eq!(fast, slow);
        assert!(fast.id("^thọ").is_some());
        // a number with groups is one number here (the analyzer may read several)
        let (fast, _) = both_ways(&["ngày 16.6.2013 tại"]);
        let num = fast.id(NUM_FORM).unwrap();
        assert_eq!(fast.pair(fast.id("ngày").unwrap(), num), 1);
        assert_eq!(fast.pair(num, fast.id("tại").unwrap()), 1);
    }

    #[test]
    fn radix_sort_sorts_pair_keys() {
        let mut v: Vec<u64> = (0..5000u64)
            .map(|i| key((i * 7919 % 3001) as u32, (i * 104_729 % 2999) as u32))
            .collect();
        let mut want = v.clone();
        want.sort_unstable();
        let mut tmp = Vec::new();
        radix_sort(&mut v, &mut tmp, 12);
        assert_eq!(v, want);
    }

    #[test]
    fn pending_pairs_merge_in_batches() {
        // more pairs than one batch: counts as one pass would
        let mut c = Counts::default();
        let mut w = Words::new();
        w.push_text(&"ông thọ về quê ".repeat(FLUSH / 3));
        c.add(&w);
        assert!(c.pending.len() < FLUSH, "merged once past a batch");
        c.add(&w);
        let s = c.freeze();
        let (ong, tho) = (s.id("ông").unwrap(), s.id("thọ").unwrap());
        assert_eq!(s.pair(ong, tho), 2 * (FLUSH / 3) as u32);
        assert_eq!(s.pair(BOUNDARY, ong), 2);
    }

    #[test]
    fn words_are_send_and_counts_survive_pruning() {
        fn send<T: Send>(_: &T) {}
        let mut w = Words::new();
        w.push_text("Ông Thọ về quê, ông Thọ đi làm");
        send(&w);
        assert_eq!(w.len(), 8);
        assert!(!w.is_empty());
        assert!(Words::new().is_empty());
        // pruning remaps ids: the raw cache must not keep stale ones
        let mut c = Counts::new(Limits {
            max_forms: 4,
            max_bigrams: 100,
        });
        for t in ["a b c d e f g h i j", "ông thọ ông thọ", "ông thọ về"] {
            let mut w = Words::new();
            w.push_text(t);
            c.add(&w);
        }
        c.prune();
        let mut w = Words::new();
        w.push_text("ông thọ");
        c.add(&w);
        let s = c.freeze();
        let (ong, tho) = (s.id("ông").unwrap(), s.id("thọ").unwrap());
        assert_eq!(s.text(ong), "ông");
        assert_eq!(s.pair(ong, tho), 4);
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
    fn pair_ranges_give_the_pair_counts() {
        let mut c = counts_of(
            &["ông Thọ nói, ông Thơ về", "thơ hay, thọ lâu", "ông ông thơ"],
            Limits::default(),
        );
        let s = c.freeze();
        let n = s.len() as u32;
        for a in 0..n {
            for (lo, hi) in [(0, n), (1, 3), (2, 2), (3, n + 5)] {
                let r = s.pair_range(a, lo, hi);
                for b in 0..n + 2 {
                    let want = if (lo..=hi).contains(&b) {
                        s.pair(a, b)
                    } else {
                        0
                    };
                    assert_eq!(s.pair_in(r.clone(), b), want, "{a} {b} {lo}..={hi}");
                }
            }
        }
        assert_eq!(s.pair_in(s.pair_range(n + 7, 0, n), 1), 0);
        // the keys derived back are the file's
        let keys: Vec<u64> = s.pair_keys().collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(keys.len(), s.bigrams());
        for k in keys {
            assert!(s.pair((k >> 32) as u32, k as u32) > 0);
        }
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

//! The restoration model: accented syllable vocabulary grouped by folded form, and a
//! pruned, quantized syllable trigram language model (interpolated Kneser-Ney style,
//! stored in backoff form), in one byte buffer used in place.
//!
//! Layout (version 1, little endian; nothing needs alignment, every read is a bounded
//! byte-slice read):
//! ```text
//! "TTRST" 1:u8 0:u16   checksum:u64 (xxh3-64 of every byte after it)
//! n_vocab n_group n_bi n_tri n_text : u32
//! prob codebook  256 × f32            natural-log probabilities
//! bow codebook   256 × f32            natural-log backoff weights
//! group hash     n_group × u64        xxh3-64 of the folded form, ascending
//! group start    (n_group + 1) × u32  ids of group g: start[g] .. start[g+1]
//! text offset    (n_vocab + 1) × u32  canonical form of id i: text[off[i] .. off[i+1]]
//! bi start       (n_vocab + 1) × u32  bigrams (v, ·): bi_start[v] .. bi_start[v+1]
//! tri start      (n_bi + 1) × u32     trigrams (u, v, ·) of bigram b
//! bi word        n_bi × u16           second syllable, ascending within v
//! tri word       n_tri × u16          third syllable, ascending within b
//! uni prob       n_vocab × u8         log P1(w) (codebook index)
//! uni bow        n_vocab × u8         backoff of context v to the unigrams
//! bi prob        n_bi × u8            log P2(w | v)
//! bi bow         n_bi × u8            backoff of context (u, v) to the bigrams
//! tri prob       n_tri × u8           log P3(w | u, v)
//! text           n_text bytes         canonical forms, UTF-8
//! ```
//! Ids 0, 1 and 2 are the sentence boundary, an unknown syllable and a number; every
//! other id belongs to exactly one group, and ids are numbered group by group with the
//! most frequent form first, so a folded form's candidates are one id range.

use std::borrow::Cow;
use std::ops::Range;

/// Sentence boundary (start context and end event).
pub const BOUNDARY: u16 = 0;
/// A syllable the model does not know.
pub const UNK: u16 = 1;
/// A number.
pub const NUM: u16 = 2;
/// First id of a real syllable.
pub const FIRST_WORD: u16 = 3;
/// Most ids (they are `u16`).
pub const MAX_VOCAB: usize = u16::MAX as usize;

const MAGIC: &[u8; 5] = b"TTRST";
const VERSION: u8 = 1;
const PRE: usize = 16;
const HEADER: usize = PRE + 5 * 4;
const CODEBOOK: usize = 256;

/// Why a restoration model could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RestoreModelError {
    #[error("restoration model: {0}")]
    Corrupt(&'static str),
}

/// Byte ranges of the sections.
#[derive(Debug, Clone, Default)]
struct Layout {
    prob_book: usize,
    bow_book: usize,
    group_hash: usize,
    group_start: usize,
    text_off: usize,
    bi_start: usize,
    tri_start: usize,
    bi_word: usize,
    tri_word: usize,
    uni_prob: usize,
    uni_bow: usize,
    bi_prob: usize,
    bi_bow: usize,
    tri_prob: usize,
    text: usize,
    end: usize,
}

impl Layout {
    fn new(n_vocab: usize, n_group: usize, n_bi: usize, n_tri: usize, n_text: usize) -> Layout {
        let mut at = HEADER;
        let mut take = |n: usize| {
            let s = at;
            at += n;
            s
        };
        let prob_book = take(CODEBOOK * 4);
        let bow_book = take(CODEBOOK * 4);
        let group_hash = take(n_group * 8);
        let group_start = take((n_group + 1) * 4);
        let text_off = take((n_vocab + 1) * 4);
        let bi_start = take((n_vocab + 1) * 4);
        let tri_start = take((n_bi + 1) * 4);
        let bi_word = take(n_bi * 2);
        let tri_word = take(n_tri * 2);
        let uni_prob = take(n_vocab);
        let uni_bow = take(n_vocab);
        let bi_prob = take(n_bi);
        let bi_bow = take(n_bi);
        let tri_prob = take(n_tri);
        let text = take(n_text);
        Layout {
            prob_book,
            bow_book,
            group_hash,
            group_start,
            text_off,
            bi_start,
            tri_start,
            bi_word,
            tri_word,
            uni_prob,
            uni_bow,
            bi_prob,
            bi_bow,
            tri_prob,
            text,
            end: at,
        }
    }
}

/// A loaded restoration model.
#[derive(Debug, Clone)]
pub struct Model {
    bytes: Cow<'static, [u8]>,
    l: Layout,
    n_vocab: usize,
    n_group: usize,
    n_bi: usize,
    n_tri: usize,
    prob: [f32; CODEBOOK],
    bow: [f32; CODEBOOK],
    /// The codebooks as probabilities (`exp` of the above), for the decoder's
    /// products.
    prob_p: [f32; CODEBOOK],
    bow_p: [f32; CODEBOOK],
}

/// Hash of a folded form (the group key).
#[inline]
pub fn group_hash(folded: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(folded.as_bytes())
}

#[inline(always)]
fn u16_at(b: &[u8], at: usize) -> u16 {
    match b.get(at..).and_then(|s| s.first_chunk::<2>()) {
        Some(c) => u16::from_le_bytes(*c),
        None => 0,
    }
}

#[inline(always)]
fn u32_at(b: &[u8], at: usize) -> u32 {
    match b.get(at..).and_then(|s| s.first_chunk::<4>()) {
        Some(c) => u32::from_le_bytes(*c),
        None => 0,
    }
}

#[inline(always)]
fn u64_at(b: &[u8], at: usize) -> u64 {
    match b.get(at..).and_then(|s| s.first_chunk::<8>()) {
        Some(c) => u64::from_le_bytes(*c),
        None => 0,
    }
}

#[inline(always)]
fn u8_at(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

/// Everything a model file holds, in memory (the training side builds this).
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// Canonical forms by id (ids 0..3 are the special tokens; their text is unused).
    pub words: Vec<String>,
    /// Group hash and start id, ascending by hash, covering ids 3.. contiguously.
    pub groups: Vec<(u64, u32)>,
    pub uni_prob: Vec<u8>,
    pub uni_bow: Vec<u8>,
    /// Bigrams (v, w, prob, bow), sorted by (v, w).
    pub bigrams: Vec<(u16, u16, u8, u8)>,
    /// Trigrams (bigram index, w, prob), sorted.
    pub trigrams: Vec<(u32, u16, u8)>,
    pub prob_book: Vec<f32>,
    pub bow_book: Vec<f32>,
}

impl Parts {
    /// Serializes (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let n_vocab = self.words.len();
        let n_group = self.groups.len();
        let n_bi = self.bigrams.len();
        let n_tri = self.trigrams.len();
        let n_text: usize = self.words.iter().map(|w| w.len()).sum();
        let l = Layout::new(n_vocab, n_group, n_bi, n_tri, n_text);
        let mut out = Vec::with_capacity(l.end);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[VERSION, 0, 0]);
        out.extend_from_slice(&[0; 8]);
        for n in [n_vocab, n_group, n_bi, n_tri, n_text] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for book in [&self.prob_book, &self.bow_book] {
            for i in 0..CODEBOOK {
                let v = book.get(i).copied().unwrap_or(0.0);
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        for (h, _) in &self.groups {
            out.extend_from_slice(&h.to_le_bytes());
        }
        for (_, s) in &self.groups {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend_from_slice(&(n_vocab as u32).to_le_bytes());
        let mut off = 0u32;
        for w in &self.words {
            out.extend_from_slice(&off.to_le_bytes());
            off += w.len() as u32;
        }
        out.extend_from_slice(&off.to_le_bytes());
        // bi start
        let mut starts = vec![0u32; n_vocab + 1];
        for (v, ..) in &self.bigrams {
            starts[*v as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        for s in &starts {
            out.extend_from_slice(&s.to_le_bytes());
        }
        let mut tstarts = vec![0u32; n_bi + 1];
        for (b, ..) in &self.trigrams {
            tstarts[*b as usize + 1] += 1;
        }
        for i in 1..tstarts.len() {
            tstarts[i] += tstarts[i - 1];
        }
        for s in &tstarts {
            out.extend_from_slice(&s.to_le_bytes());
        }
        for (_, w, ..) in &self.bigrams {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for (_, w, _) in &self.trigrams {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&self.uni_prob);
        out.extend_from_slice(&self.uni_bow);
        out.extend(self.bigrams.iter().map(|b| b.2));
        out.extend(self.bigrams.iter().map(|b| b.3));
        out.extend(self.trigrams.iter().map(|t| t.2));
        for w in &self.words {
            out.extend_from_slice(w.as_bytes());
        }
        debug_assert_eq!(out.len(), l.end);
        let sum = xxhash_rust::xxh3::xxh3_64(&out[PRE..]);
        out[8..16].copy_from_slice(&sum.to_le_bytes());
        out
    }
}

impl Model {
    /// Reads a model, copying it, after checking its structure and checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, RestoreModelError> {
        if bytes.len() < HEADER {
            return Err(RestoreModelError::Corrupt("shorter than its header"));
        }
        if xxhash_rust::xxh3::xxh3_64(&bytes[PRE..]) != u64_at(bytes, 8) {
            return Err(RestoreModelError::Corrupt("checksum mismatch"));
        }
        Model::parse(Cow::Owned(bytes.to_vec()), true)
    }

    /// Uses a model compiled into the binary in place: its header and size are
    /// checked, not its checksum nor the order of its offsets (a unit test checks
    /// the embedded bytes in full with [`Model::from_bytes`]; those checks read the
    /// whole 40 MB and were 50 M instructions, three quarters of a one-word search
    /// from the command line). Lookups stay in bounds whatever the bytes.
    pub fn from_static(bytes: &'static [u8]) -> Result<Model, RestoreModelError> {
        Model::parse(Cow::Borrowed(bytes), false)
    }

    /// Whether the checksum of a model file matches its contents.
    pub fn checksum_ok(bytes: &[u8]) -> bool {
        bytes.len() >= HEADER && xxhash_rust::xxh3::xxh3_64(&bytes[PRE..]) == u64_at(bytes, 8)
    }

    /// Reads the header; with `full`, also checks every offset and the text.
    fn parse(bytes: Cow<'static, [u8]>, full: bool) -> Result<Model, RestoreModelError> {
        let b: &[u8] = &bytes;
        if b.len() < HEADER {
            return Err(RestoreModelError::Corrupt("shorter than its header"));
        }
        if &b[..5] != MAGIC {
            return Err(RestoreModelError::Corrupt("bad magic"));
        }
        if b[5] != VERSION || b[6..8] != [0, 0] {
            return Err(RestoreModelError::Corrupt("unknown version"));
        }
        let n = |i: usize| u32_at(b, PRE + 4 * i) as usize;
        let (n_vocab, n_group, n_bi, n_tri, n_text) = (n(0), n(1), n(2), n(3), n(4));
        if n_vocab > MAX_VOCAB || n_vocab < FIRST_WORD as usize {
            return Err(RestoreModelError::Corrupt("vocabulary size"));
        }
        let l = Layout::new(n_vocab, n_group, n_bi, n_tri, n_text);
        if l.end != b.len() {
            return Err(RestoreModelError::Corrupt("size does not match the header"));
        }
        let mut prob = [0f32; CODEBOOK];
        let mut bow = [0f32; CODEBOOK];
        for i in 0..CODEBOOK {
            prob[i] = f32::from_le_bytes(u32_at(b, l.prob_book + 4 * i).to_le_bytes());
            bow[i] = f32::from_le_bytes(u32_at(b, l.bow_book + 4 * i).to_le_bytes());
        }
        if prob.iter().chain(&bow).any(|v| !v.is_finite()) {
            return Err(RestoreModelError::Corrupt("codebook value not finite"));
        }
        if full {
            Model::check_sections(b, &l, n_vocab, n_group, n_bi, n_tri, n_text)?;
        }
        Ok(Model {
            bytes,
            l,
            n_vocab,
            n_group,
            n_bi,
            n_tri,
            prob,
            bow,
            prob_p: prob.map(f32::exp),
            bow_p: bow.map(f32::exp),
        })
    }

    /// Offsets ascending and in range, so that every range read is what the
    /// trainer wrote; the text UTF-8, cut on character boundaries.
    fn check_sections(
        b: &[u8],
        l: &Layout,
        n_vocab: usize,
        n_group: usize,
        n_bi: usize,
        n_tri: usize,
        n_text: usize,
    ) -> Result<(), RestoreModelError> {
        let ascending = |at: usize, count: usize, max: usize| {
            let mut prev = 0u32;
            (0..count).all(|i| {
                let v = u32_at(b, at + 4 * i);
                let ok = v >= prev && v as usize <= max;
                prev = v;
                ok
            })
        };
        if !ascending(l.group_start, n_group + 1, n_vocab)
            || !ascending(l.text_off, n_vocab + 1, n_text)
            || !ascending(l.bi_start, n_vocab + 1, n_bi)
            || !ascending(l.tri_start, n_bi + 1, n_tri)
        {
            return Err(RestoreModelError::Corrupt("offsets out of order"));
        }
        let text = &b[l.text..l.end];
        if std::str::from_utf8(text).is_err() {
            return Err(RestoreModelError::Corrupt("text not UTF-8"));
        }
        // every text offset must fall on a character boundary
        let t = unsafe_free_str(text);
        if !(0..=n_vocab).all(|i| t.is_char_boundary(u32_at(b, l.text_off + 4 * i) as usize)) {
            return Err(RestoreModelError::Corrupt("text offset inside a character"));
        }
        Ok(())
    }

    /// Number of ids (special tokens included).
    pub fn vocab_len(&self) -> usize {
        self.n_vocab
    }

    /// Sizes: groups, bigrams, trigrams, bytes.
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        (self.n_group, self.n_bi, self.n_tri, self.bytes.len())
    }

    /// The candidate ids of a folded form (most frequent first), empty when unknown.
    pub fn group(&self, folded: &str) -> Range<u16> {
        let h = group_hash(folded);
        let b: &[u8] = &self.bytes;
        let (mut lo, mut hi) = (0usize, self.n_group);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let v = u64_at(b, self.l.group_hash + 8 * mid);
            if v < h {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo >= self.n_group || u64_at(b, self.l.group_hash + 8 * lo) != h {
            return 0..0;
        }
        let s = u32_at(b, self.l.group_start + 4 * lo) as usize;
        let e = u32_at(b, self.l.group_start + 4 * (lo + 1)) as usize;
        let e = e.min(self.n_vocab);
        (s.min(e) as u16)..(e as u16)
    }

    /// The canonical form of an id ("" for the special ones and out of range).
    pub fn text(&self, id: u16) -> &str {
        let b: &[u8] = &self.bytes;
        let i = id as usize;
        if i >= self.n_vocab {
            return "";
        }
        let s = u32_at(b, self.l.text_off + 4 * i) as usize;
        let e = u32_at(b, self.l.text_off + 4 * (i + 1)) as usize;
        let t = b.get(self.l.text + s..self.l.text + e).unwrap_or_default();
        std::str::from_utf8(t).unwrap_or("")
    }

    /// Finds `w` in the ascending `u16` list at `at` (`len` entries); its index.
    #[inline]
    fn find(&self, at: usize, start: usize, end: usize, w: u16) -> Option<usize> {
        let b: &[u8] = &self.bytes;
        let (mut lo, mut hi) = (start, end);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let v = u16_at(b, at + 2 * mid);
            match v.cmp(&w) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The first index in `lo..end` of the ascending `u16` list at `at` whose entry
    /// is at least `w` (`end` if none), galloping from `lo`: ids looked up in
    /// ascending order cost a few steps each when they lie close together.
    #[inline]
    fn lower_bound_from(&self, at: usize, lo: usize, end: usize, w: u16) -> usize {
        let b: &[u8] = &self.bytes;
        let (mut lo, mut step) = (lo, 1);
        // gallop: every entry before `lo` is below `w`
        let mut hi = loop {
            let probe = lo + step - 1;
            if probe >= end {
                break end;
            }
            if u16_at(b, at + 2 * probe) >= w {
                break probe;
            }
            lo = probe + 1;
            step *= 2;
        };
        while lo < hi {
            let mid = (lo + hi) / 2;
            if u16_at(b, at + 2 * mid) < w {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// [`Model::find`] for each of the ascending `ws` at once, into `out`
    /// ([`u32::MAX`] where absent).
    #[inline]
    fn find_sorted(&self, at: usize, start: usize, end: usize, ws: &[u16], out: &mut [u32]) {
        let b: &[u8] = &self.bytes;
        let mut lo = start;
        for (w, o) in ws.iter().zip(out.iter_mut()) {
            lo = self.lower_bound_from(at, lo, end, *w);
            *o = if lo < end && u16_at(b, at + 2 * lo) == *w {
                lo as u32
            } else {
                u32::MAX
            };
        }
    }

    /// log P2(w | v) ([`Model::bi`]) for each of the ascending ids `ws`, into
    /// `out` (as long as `ws`); `found` is scratch of the same length.
    pub fn bi_row(&self, v: u16, ws: &[u16], found: &mut [u32], out: &mut [f32]) {
        self.bi_row_in(v, ws, found, out, &self.prob, &self.bow, |bow, p1| bow + p1);
    }

    /// [`Model::bi_row`] as probabilities (products of the codebooks' `exp`, not
    /// `exp` of the sums: equal up to rounding).
    pub fn bi_row_p(&self, v: u16, ws: &[u16], found: &mut [u32], out: &mut [f32]) {
        self.bi_row_in(v, ws, found, out, &self.prob_p, &self.bow_p, |bow, p1| {
            bow * p1
        });
    }

    /// log P3(w | u, v) ([`Model::tri`]) for the stored bigram `uv` and each of the
    /// ascending ids `ws`, given log P2(w | v) of each in `bi`, into `out`; `found`
    /// is scratch.
    pub fn tri_row(&self, uv: u32, ws: &[u16], bi: &[f32], found: &mut [u32], out: &mut [f32]) {
        self.tri_row_in(uv, ws, bi, found, out, &self.prob, &self.bow, |bow, p2| {
            bow + p2
        });
    }

    /// [`Model::tri_row`] as probabilities, given P2(w | v) of each in `bi`.
    pub fn tri_row_p(&self, uv: u32, ws: &[u16], bi: &[f32], found: &mut [u32], out: &mut [f32]) {
        self.tri_row_in(
            uv,
            ws,
            bi,
            found,
            out,
            &self.prob_p,
            &self.bow_p,
            |bow, p2| bow * p2,
        );
    }

    /// The rows above, in the domain of the codebooks `prob` and `bow` (log
    /// probabilities or probabilities) with `back` combining a backoff weight and
    /// the lower order's estimate.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn bi_row_in(
        &self,
        v: u16,
        ws: &[u16],
        found: &mut [u32],
        out: &mut [f32],
        prob: &[f32; CODEBOOK],
        bow: &[f32; CODEBOOK],
        back: impl Fn(f32, f32) -> f32,
    ) {
        let b: &[u8] = &self.bytes;
        let i = v as usize;
        if i < self.n_vocab {
            let s = u32_at(b, self.l.bi_start + 4 * i) as usize;
            let e = u32_at(b, self.l.bi_start + 4 * (i + 1)) as usize;
            self.find_sorted(self.l.bi_word, s, e, ws, found);
        } else {
            found.fill(u32::MAX);
        }
        let bow = bow[u8_at(b, self.l.uni_bow + i) as usize];
        for ((w, f), o) in ws.iter().zip(found.iter()).zip(out.iter_mut()) {
            *o = match *f {
                u32::MAX => back(bow, prob[u8_at(b, self.l.uni_prob + *w as usize) as usize]),
                x => prob[u8_at(b, self.l.bi_prob + x as usize) as usize],
            };
        }
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn tri_row_in(
        &self,
        uv: u32,
        ws: &[u16],
        bi: &[f32],
        found: &mut [u32],
        out: &mut [f32],
        prob: &[f32; CODEBOOK],
        bow: &[f32; CODEBOOK],
        back: impl Fn(f32, f32) -> f32,
    ) {
        let b: &[u8] = &self.bytes;
        let i = uv as usize;
        let s = u32_at(b, self.l.tri_start + 4 * i) as usize;
        let e = u32_at(b, self.l.tri_start + 4 * (i + 1)) as usize;
        self.find_sorted(self.l.tri_word, s, e, ws, found);
        let bow = bow[u8_at(b, self.l.bi_bow + i) as usize];
        for ((f, p2), o) in found.iter().zip(bi).zip(out.iter_mut()) {
            *o = match *f {
                u32::MAX => back(bow, *p2),
                x => prob[u8_at(b, self.l.tri_prob + x as usize) as usize],
            };
        }
    }

    /// The index of bigram (u, v), if stored.
    #[inline]
    pub fn bigram(&self, u: u16, v: u16) -> Option<u32> {
        let b: &[u8] = &self.bytes;
        let i = u as usize;
        if i >= self.n_vocab {
            return None;
        }
        let s = u32_at(b, self.l.bi_start + 4 * i) as usize;
        let e = u32_at(b, self.l.bi_start + 4 * (i + 1)) as usize;
        self.find(self.l.bi_word, s, e, v).map(|x| x as u32)
    }

    /// log P1(w).
    #[inline]
    pub fn uni(&self, w: u16) -> f32 {
        self.prob[u8_at(&self.bytes, self.l.uni_prob + w as usize) as usize]
    }

    /// log P2(w | v).
    #[inline]
    pub fn bi(&self, v: u16, w: u16) -> f32 {
        self.bi_at(v, w, self.bigram(v, w))
    }

    /// [`Model::bi`] given `vw`, the index of bigram (v, w) ([`Model::bigram`]).
    #[inline]
    pub fn bi_at(&self, v: u16, w: u16, vw: Option<u32>) -> f32 {
        match vw {
            Some(i) => self.prob[u8_at(&self.bytes, self.l.bi_prob + i as usize) as usize],
            None => {
                self.bow[u8_at(&self.bytes, self.l.uni_bow + v as usize) as usize] + self.uni(w)
            }
        }
    }

    /// log P3(w | u, v) given the index of bigram (u, v) (`None`: not stored, so the
    /// bigram estimate is used).
    #[inline]
    pub fn tri(&self, uv: Option<u32>, v: u16, w: u16) -> f32 {
        self.tri_or(uv, w, || self.bi(v, w))
    }

    /// [`Model::tri`] with `bi` giving log P2(w | v) when it is needed (a caller that
    /// reads many (u, v, w) with the same (v, w) computes it once).
    #[inline]
    pub fn tri_or(&self, uv: Option<u32>, w: u16, bi: impl FnOnce() -> f32) -> f32 {
        let Some(b_ix) = uv else {
            return bi();
        };
        let b: &[u8] = &self.bytes;
        let i = b_ix as usize;
        let s = u32_at(b, self.l.tri_start + 4 * i) as usize;
        let e = u32_at(b, self.l.tri_start + 4 * (i + 1)) as usize;
        match self.find(self.l.tri_word, s, e, w) {
            Some(x) => self.prob[u8_at(b, self.l.tri_prob + x) as usize],
            None => self.bow[u8_at(b, self.l.bi_bow + i) as usize] + bi(),
        }
    }
}

/// The text section as `&str` (checked to be UTF-8 when the model was parsed; a
/// damaged section reads as empty).
fn unsafe_free_str(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups `dang` (đang, đảng), `vien` (viên), `di` (đi); one bigram đảng viên.
    pub(crate) fn tiny() -> (Parts, u16, u16) {
        let mut groups: Vec<(u64, Vec<&str>)> = vec![
            (group_hash("dang"), vec!["đang", "đảng"]),
            (group_hash("vien"), vec!["viên"]),
            (group_hash("di"), vec!["đi"]),
        ];
        groups.sort();
        let mut words: Vec<String> = ["<s>", "<unk>", "<num>"].map(String::from).to_vec();
        let mut starts = Vec::new();
        for (h, ws) in &groups {
            starts.push((*h, words.len() as u32));
            words.extend(ws.iter().map(|w| w.to_string()));
        }
        let id = |w: &str| words.iter().position(|x| x == w).unwrap() as u16;
        let (dang, vien) = (id("đảng"), id("viên"));
        let n = words.len();
        let parts = Parts {
            uni_prob: (0..n).map(|i| 10 + i as u8).collect(),
            uni_bow: vec![1; n],
            bigrams: vec![(dang, vien, 2, 1)],
            trigrams: vec![],
            prob_book: (0..256).map(|i| -(i as f32) * 0.1).collect(),
            bow_book: (0..256).map(|i| -(i as f32) * 0.01).collect(),
            words,
            groups: starts,
        };
        (parts, dang, vien)
    }

    #[test]
    fn round_trip_and_lookups() {
        let (p, dang, vien) = tiny();
        let bytes = p.to_bytes();
        assert!(Model::checksum_ok(&bytes));
        let m = Model::from_bytes(&bytes).unwrap();
        assert_eq!(m.text(dang), "đảng");
        assert_eq!(m.text(999), "");
        let g: Vec<&str> = m.group("dang").map(|i| m.text(i)).collect();
        assert_eq!(g, ["đang", "đảng"]);
        assert!(m.group("zzz").is_empty());
        assert!(m.bigram(dang, vien).is_some());
        assert!(m.bigram(vien, dang).is_none());
        // stored bigram: its own probability; otherwise backoff + unigram
        assert_eq!(m.bi(dang, vien), -0.2);
        let want = -0.01 - (10.0 + dang as f32) * 0.1;
        assert!((m.bi(vien, dang) - want).abs() < 1e-4);
        // no trigram context: the bigram estimate
        assert_eq!(m.tri(None, dang, vien), m.bi(dang, vien));
    }

    #[test]
    fn damaged_bytes_are_errors() {
        let bytes = tiny().0.to_bytes();
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(Model::from_bytes(&bad).is_err());
        assert!(Model::from_bytes(&bytes[..n - 1]).is_err());
        assert!(Model::from_bytes(b"TTRST").is_err());
        let mut magic = bytes.clone();
        magic[0] = b'X';
        assert!(Model::from_bytes(&magic).is_err());
    }
}

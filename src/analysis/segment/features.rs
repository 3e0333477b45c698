//! Features of the segmentation model, shared by training and segmentation.
//!
//! A *chain* is a run of word-like tokens separated only by whitespace (punctuation
//! ends a chain: no word crosses it). A segmentation of a chain is scored as
//!
//! ```text
//! Σ over joined gaps g  (Σ gap features of g)  +  Σ over words w  (Σ word features of w)
//! ```
//!
//! and decoded exactly by a semi-Markov Viterbi over word lengths 1..=[`MAX_LEN`].
//!
//! Gap features (between token i and i+1): the shapes of the tokens around it, the
//! corpus statistics of the pair and its neighbours (PMI, counts, conditional
//! probabilities, capitalisation), lexicon structure around it for each word list
//! (longest word covering the gap, ending before it, starting after it; forward and
//! backward longest matching), and lexicalised weights for the syllables and syllable
//! pairs seen in the training treebank. Word features: length × lexicon membership,
//! length × capitalisation pattern, length × weakest inner PMI, and for one-syllable
//! words shape × frequency.
//!
//! Every feature is an index into one weight vector; all but the lexicalised ones are
//! small dense tables, so scoring a gap is a handful of array loads.

use super::key::{SHAPES, Shape};
use super::lookup::Lookups;
use super::model::{
    Model, N_CAPB, N_CNT, N_COND, N_FREQ, N_PCAP, N_PMI, NO_SLOT, PMI_EDGE, PairInfo, SylInfo, UNK,
    lex,
};

/// Longest word the segmenter forms.
pub const MAX_LEN: usize = 6;
/// Longest word formed without lexicon or capitalisation support.
pub const FREE_LEN: usize = 4;

/// What precedes a token: the start of the line.
pub const CTX_START: u8 = 0;
/// ... sentence-final punctuation (`.`, `!`, `?`, `…`).
pub const CTX_SENT: u8 = 1;
/// ... opening punctuation (quotes, brackets, `:`, dashes).
pub const CTX_OPEN: u8 = 2;
/// ... other punctuation (`,`, `;`, symbols).
pub const CTX_PUNCT: u8 = 3;
/// ... another word-like token, after whitespace (same chain).
pub const CTX_WORD: u8 = 4;
const N_CTX: usize = 5;

/// The context a punctuation piece gives to the token after it.
pub fn punct_ctx(p: &str) -> u8 {
    if p == "LBKT" {
        return CTX_OPEN;
    }
    match p.chars().next_back() {
        Some('.' | '!' | '?' | '…') => CTX_SENT,
        Some(
            '"' | '“' | '”' | '\'' | '‘' | '’' | '«' | '»' | '(' | '[' | '{' | ':' | '-' | '–'
            | '—' | '•' | '*' | '>' | '/',
        ) => CTX_OPEN,
        _ => CTX_PUNCT,
    }
}

/// One word-like token, ready for the model.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    /// Syllable key ([`super::key::key_of`]).
    pub key: u64,
    pub shape: Shape,
    /// What precedes it ([`CTX_WORD`] = joinable to the previous unit).
    pub ctx: u8,
}

const N_SH: usize = SHAPES;
const N_LL: usize = MAX_LEN; // lexicon length codes: 0 none, k-1 for k >= 2

// Dense template offsets.
const G_BIAS: usize = 0;
const G_SH2: usize = G_BIAS + 1;
const G_CNT: usize = G_SH2 + N_SH * N_SH * N_CTX;
const G_LEXA: usize = G_CNT + N_CNT * 3;
const G_LEXB: usize = G_LEXA + N_LL * N_LL * N_LL;
const G_LEXAB: usize = G_LEXB + N_LL * N_LL * N_LL;
const G_CAP: usize = G_LEXAB + N_LL * N_LL * 4;
const G_PCAP: usize = G_CAP + N_CAPB * N_CAPB * 4 * 4 * 2;
const G_PMI2: usize = G_PCAP + N_PCAP * 2 * N_CTX;
const G_LEXCAP: usize = G_PMI2 + 2 * N_PMI * N_PMI;
const G_VN: usize = G_LEXCAP + 2 * 2 * 4 * 4 * 2;
const W_LEX: usize = G_VN + 2 * 2 * 4 * 4;
const W_CAP: usize = W_LEX + MAX_LEN * 4;
const W_PMI: usize = W_CAP + MAX_LEN * 5 * N_CTX;
const W_LEXCAP: usize = W_PMI + MAX_LEN * N_PMI;
const W_VN: usize = W_LEXCAP + MAX_LEN * 4 * 5 * 2;
const W_ONE: usize = W_VN + MAX_LEN * 5 * 3;
/// First lexicalised weight: UNI_W per syllable slot, then 3 per pair slot.
pub const DENSE: usize = W_ONE + N_SH * N_FREQ;

/// Identifies the feature layout; stored in the model file.
pub const LAYOUT_HASH: u64 = {
    // FNV-1a over the layout numbers
    let parts = [
        1u64,
        DENSE as u64,
        MAX_LEN as u64,
        FREE_LEN as u64,
        N_PMI as u64,
        N_COND as u64,
        N_FREQ as u64,
        N_CAPB as u64,
        SHAPES as u64,
    ];
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut i = 0;
    while i < parts.len() {
        h = (h ^ parts[i]).wrapping_mul(0x100_0000_01b3);
        i += 1;
    }
    h
};

const UNI_W: usize = 4;

/// Number of weights for a model with the given lexicalised slot counts.
pub fn n_weights(uni_slots: usize, pair_slots: usize) -> usize {
    DENSE + UNI_W * uni_slots + 3 * pair_slots
}

/// Per-chain working data, reused between chains.
#[derive(Debug, Default, Clone)]
pub struct Chain {
    pub n: usize,
    ids: Vec<u32>,
    info: Vec<SylInfo>,
    shape: Vec<u8>,
    ctx: Vec<u8>,
    /// pair[g]: tokens g and g+1.
    pair: Vec<PairInfo>,
    /// Lexicon words starting at i: bit k-2 for length k (A in the low byte, B in the high).
    starts: Vec<u16>,
    /// Lexicon words ending at i: bit k-2 for length k.
    ends: Vec<u16>,
    /// Longest word covering gap g: A in the low byte, B in the high byte.
    cover: Vec<u16>,
    /// Capitalised-ish tokens before i (prefix counts).
    capish: Vec<u16>,
    /// Lowercase-then-capitalised gaps before gap g (prefix counts): no word has one.
    lowcap: Vec<u16>,
    /// Per token: [`F_CAPISH`], [`F_NUMERIC`], [`F_VN`], [`F_LOWCAP`] (for decoding).
    flags: Vec<u8>,
    /// Uni slot base (after the dense block) and pair slot base.
    uni_base: usize,
    pair_base: usize,
}

/// Token flag: capitalised-ish ([`is_capish`]); must stay bit 0 (counted by masking).
const F_CAPISH: u8 = 1;
/// Token flag: a number.
const F_NUMERIC: u8 = 2;
/// Token flag: a syllable of the Vietnamese word list.
const F_VN: u8 = 4;
/// Token flag: capitalised-ish after a lowercase token (no word spans that gap).
const F_LOWCAP: u8 = 8;

#[inline]
fn sclass(shape: u8) -> usize {
    const CLASS: [u8; 256] = {
        let mut t = [3u8; 256];
        t[Shape::Lower as usize] = 0;
        t[Shape::Cap as usize] = 1;
        t[Shape::Initial as usize] = 1;
        t[Shape::Upper as usize] = 2;
        t
    };
    CLASS[shape as usize] as usize
}

#[inline]
fn is_capish(shape: u8) -> bool {
    shape == Shape::Cap as u8 || shape == Shape::Initial as u8 || shape == Shape::Upper as u8
}

#[inline]
fn lenc(bits: u8) -> usize {
    // longest length in a bit set (bit k-2 = length k) as a code 0..MAX_LEN-1:
    // highest bit index + 1 = k - 1, 0 for none
    (u8::BITS - bits.leading_zeros()) as usize
}

impl Chain {
    /// Prepares the chain of `units` (all but the first have `ctx == CTX_WORD`).
    pub fn prepare(&mut self, model: &Model, units: &[Unit]) {
        let n = units.len();
        self.n = n;
        self.ids.clear();
        self.info.clear();
        self.shape.clear();
        self.ctx.clear();
        for u in units {
            model.prefetch_syl(u.key);
        }
        for u in units {
            let (id, info) = model.syl(u.key);
            self.ids.push(id);
            self.info.push(info);
            self.shape.push(u.shape as u8);
            self.ctx.push(u.ctx);
        }
        self.prepare_rest(model, &mut Lookups::default(), true);
    }

    /// Like [`Chain::prepare`], with what the model knows of each unit already looked
    /// up (`syls[i]` = [`Model::syl`] of `units[i].key`) and pair and long-word lookups
    /// through `lookups` (enabled for `model` here). The caller should have prefetched
    /// the pairs ([`Lookups::prefetch_pair`]) while reading the units: the result is
    /// the same either way, only slower without.
    pub fn prepare_known(
        &mut self,
        model: &Model,
        units: &[Unit],
        syls: &[(u32, SylInfo)],
        lookups: &mut Lookups,
    ) {
        let n = units.len().min(syls.len());
        let (units, syls) = (&units[..n], &syls[..n]);
        self.n = n;
        self.ids.clear();
        self.ids.extend(syls.iter().map(|s| s.0));
        self.info.clear();
        self.info.extend(syls.iter().map(|s| s.1));
        self.shape.clear();
        self.shape.extend(units.iter().map(|u| u.shape as u8));
        self.ctx.clear();
        self.ctx.extend(units.iter().map(|u| u.ctx));
        lookups.enable(model);
        self.prepare_rest(model, lookups, false);
    }

    /// The rest of [`Chain::prepare`]; `prefetch`: start loading the pairs first (else
    /// the caller did, as in [`super::for_each_chain`]).
    fn prepare_rest(&mut self, model: &Model, lookups: &mut Lookups, prefetch: bool) {
        let n = self.n;
        self.uni_base = DENSE;
        self.pair_base = DENSE + UNI_W * model.n_uni_slots();
        self.pair.clear();
        if prefetch {
            for w in self.ids.windows(2) {
                lookups.prefetch_pair(model, w[0], w[1]);
            }
        }
        self.pair
            .extend(self.ids.windows(2).map(|w| lookups.pair(model, w[0], w[1])));
        // lexicon matches
        self.starts.clear();
        self.starts.resize(n, 0);
        self.ends.clear();
        self.ends.resize(n, 0);
        for i in 0..n.saturating_sub(1) {
            let f = self.pair[i].lex();
            let mut bits = word_bits(f, 0);
            let mut pre = f;
            let mut k = 3;
            while pre & (lex::PREFIX_A | lex::PREFIX_B) != 0 && k <= MAX_LEN && i + k <= n {
                let f = lookups.long(model, &self.ids[i..i + k]);
                bits |= word_bits(f, k - 2);
                pre = f;
                k += 1;
            }
            self.starts[i] = bits;
            let mut b = bits;
            while b != 0 {
                let t = b.trailing_zeros() as usize; // list*8 + (k-2)
                let k = (t & 7) + 2;
                self.ends[i + k - 1] |= 1 << t;
                b &= b - 1;
            }
        }
        // cover
        self.cover.clear();
        self.cover.resize(n.saturating_sub(1), 0);
        for s in 0..n {
            let bits = self.starts[s];
            if bits == 0 {
                continue;
            }
            for list in 0..2 {
                let lb = (bits >> (8 * list)) as u8;
                if lb == 0 {
                    continue;
                }
                let code = lenc(lb) as u16; // longest word from s, length code+1
                let k = code as usize + 1;
                for g in s..s + k - 1 {
                    let c = &mut self.cover[g];
                    let cur = (*c >> (8 * list)) & 0xFF;
                    if code > cur {
                        *c = (*c & !(0xFF << (8 * list))) | (code << (8 * list));
                    }
                }
            }
        }
        self.capish.clear();
        self.capish.push(0);
        let mut c = 0u16;
        self.capish.extend(self.shape.iter().map(|&s| {
            c += is_capish(s) as u16;
            c
        }));
        self.lowcap.clear();
        self.lowcap.push(0);
        let mut c = 0u16;
        self.lowcap.extend(self.shape.windows(2).map(|w| {
            c += (w[0] == Shape::Lower as u8 && is_capish(w[1])) as u16;
            c
        }));
        self.flags.clear();
        let mut prev_lower = false;
        self.flags
            .extend(self.shape.iter().zip(&self.info).map(|(&sh, info)| {
                let mut f = 0u8;
                if is_capish(sh) {
                    f |= F_CAPISH;
                    if prev_lower {
                        f |= F_LOWCAP;
                    }
                }
                if is_numeric(sh) {
                    f |= F_NUMERIC;
                }
                if info.vn {
                    f |= F_VN;
                }
                prev_lower = sh == Shape::Lower as u8;
                f
            }));
    }

    #[inline]
    fn pmi_at(&self, g: isize) -> usize {
        if g < 0 || g as usize + 1 >= self.n {
            PMI_EDGE as usize
        } else {
            self.pair[g as usize].pmi()
        }
    }

    /// Calls `f` with each feature index of joining gap `g` (tokens g and g+1).
    #[inline]
    pub fn gap_features(&self, g: usize, mut f: impl FnMut(usize)) {
        let i = g as isize;
        let (s1, s2) = (self.shape[g] as usize, self.shape[g + 1] as usize);
        let ctx = self.ctx[g] as usize;
        let p = self.pair[g];
        f(G_BIAS);
        f(G_SH2 + (s1 * N_SH + s2) * N_CTX + ctx);
        let (pml, pm, pmr) = (self.pmi_at(i - 1), p.pmi(), self.pmi_at(i + 1));
        let (c1, c2) = (sclass(s1 as u8), sclass(s2 as u8));
        let pclass = match (c1, c2) {
            (0, 0) => 0,
            (1 | 2, 1 | 2) => 1,
            _ => 2,
        };
        f(G_CNT + p.cnt() * 3 + pclass);
        let cover = self.cover[g];
        let (ea, eb) = (self.ends[g] as u8, (self.ends[g] >> 8) as u8);
        let (sa, sb) = (self.starts[g + 1] as u8, (self.starts[g + 1] >> 8) as u8);
        let (ca, cb) = ((cover & 0xFF) as usize, (cover >> 8) as usize);
        f(G_LEXA + (ca * N_LL + lenc(ea)) * N_LL + lenc(sa));
        f(G_LEXB + (cb * N_LL + lenc(eb)) * N_LL + lenc(sb));
        let pl = p.lex();
        f(G_LEXAB
            + (ca * N_LL + cb) * 4
            + (pl & lex::WORD_A != 0) as usize
            + 2 * (pl & lex::WORD_B != 0) as usize);
        let (ia, ib) = (self.info[g], self.info[g + 1]);
        let initial = (ctx != CTX_WORD as usize) as usize;
        f(G_CAP
            + (((ia.capb as usize * N_CAPB + ib.capb as usize) * 4 + c1) * 4 + c2) * 2
            + initial);
        f(G_PCAP + (p.pcap() * 2 + (pclass == 1) as usize) * N_CTX + ctx);
        f(G_PMI2 + pml * N_PMI + pm);
        f(G_PMI2 + N_PMI * N_PMI + pm * N_PMI + pmr);
        let pw = (pl & (lex::WORD_A | lex::WORD_B) != 0) as usize;
        let cv = (cover != 0) as usize;
        f(G_LEXCAP + (((pw * 2 + cv) * 4 + c1) * 4 + c2) * 2 + initial);
        f(G_VN + ((ia.vn as usize * 2 + ib.vn as usize) * 4 + c1) * 4 + c2);
        // lexicalised
        let ub = self.uni_base;
        if ia.slot != NO_SLOT {
            f(ub + UNI_W * ia.slot as usize);
        }
        if ib.slot != NO_SLOT {
            f(ub + UNI_W * ib.slot as usize + 1);
        }
        if g > 0 {
            let s = self.info[g - 1].slot;
            if s != NO_SLOT {
                f(ub + UNI_W * s as usize + 2);
            }
            let ps = self.pair[g - 1].slot;
            if ps != NO_SLOT {
                f(self.pair_base + 3 * ps as usize + 1);
            }
        }
        if g + 2 < self.n {
            let s = self.info[g + 2].slot;
            if s != NO_SLOT {
                f(ub + UNI_W * s as usize + 3);
            }
            let ps = self.pair[g + 1].slot;
            if ps != NO_SLOT {
                f(self.pair_base + 3 * ps as usize + 2);
            }
        }
        if p.slot != NO_SLOT {
            f(self.pair_base + 3 * p.slot as usize);
        }
    }

    /// The gap scores of the chain (`out[g]`: the sum of the weights of
    /// [`Chain::gap_features`] of gap g, added in the same order, so bit for bit the
    /// same), with the first three features read from `wt`'s folded table.
    pub fn gap_scores(&self, weights: &[f32], wt: &WordTable, out: &mut Vec<f32>) {
        out.clear();
        let n = self.n;
        if n < 2 {
            return;
        }
        let w = weights;
        let shape = &self.shape[..n];
        let info = &self.info[..n];
        let pair = &self.pair[..n - 1];
        let starts = &self.starts[..n];
        let ends = &self.ends[..n];
        let cover = &self.cover[..n - 1];
        let (ub, pb) = (self.uni_base, self.pair_base);
        let mut pml = PMI_EDGE as usize;
        for g in 0..n - 1 {
            let (s1, s2) = (shape[g] as usize, shape[g + 1] as usize);
            let ctx = self.ctx[g] as usize;
            let p = pair[g];
            let pm = p.pmi();
            let pmr = if g + 2 < n {
                pair[g + 1].pmi()
            } else {
                PMI_EDGE as usize
            };
            let (c1, c2) = (sclass(s1 as u8), sclass(s2 as u8));
            let pclass = match (c1, c2) {
                (0, 0) => 0,
                (1 | 2, 1 | 2) => 1,
                _ => 2,
            };
            let mut sc = wt.gap_head[((s1 * N_SH + s2) * N_CTX + ctx) * N_CNT + p.cnt()];
            let cv = cover[g];
            let (ea, eb) = (ends[g] as u8, (ends[g] >> 8) as u8);
            let (sa, sb) = (starts[g + 1] as u8, (starts[g + 1] >> 8) as u8);
            let (ca, cb) = ((cv & 0xFF) as usize, (cv >> 8) as usize);
            sc += w[G_LEXA + (ca * N_LL + lenc(ea)) * N_LL + lenc(sa)];
            sc += w[G_LEXB + (cb * N_LL + lenc(eb)) * N_LL + lenc(sb)];
            let pl = p.lex();
            sc += w[G_LEXAB
                + (ca * N_LL + cb) * 4
                + (pl & lex::WORD_A != 0) as usize
                + 2 * (pl & lex::WORD_B != 0) as usize];
            let (ia, ib) = (info[g], info[g + 1]);
            let initial = (ctx != CTX_WORD as usize) as usize;
            sc += w[G_CAP
                + (((ia.capb as usize * N_CAPB + ib.capb as usize) * 4 + c1) * 4 + c2) * 2
                + initial];
            sc += w[G_PCAP + (p.pcap() * 2 + (pclass == 1) as usize) * N_CTX + ctx];
            sc += w[G_PMI2 + pml * N_PMI + pm];
            sc += w[G_PMI2 + N_PMI * N_PMI + pm * N_PMI + pmr];
            let pw = (pl & (lex::WORD_A | lex::WORD_B) != 0) as usize;
            let cvr = (cv != 0) as usize;
            sc += w[G_LEXCAP + (((pw * 2 + cvr) * 4 + c1) * 4 + c2) * 2 + initial];
            sc += w[G_VN + ((ia.vn as usize * 2 + ib.vn as usize) * 4 + c1) * 4 + c2];
            if ia.slot != NO_SLOT {
                sc += w[ub + UNI_W * ia.slot as usize];
            }
            if ib.slot != NO_SLOT {
                sc += w[ub + UNI_W * ib.slot as usize + 1];
            }
            if g > 0 {
                let s = info[g - 1].slot;
                if s != NO_SLOT {
                    sc += w[ub + UNI_W * s as usize + 2];
                }
                let ps = pair[g - 1].slot;
                if ps != NO_SLOT {
                    sc += w[pb + 3 * ps as usize + 1];
                }
            }
            if g + 2 < n {
                let s = info[g + 2].slot;
                if s != NO_SLOT {
                    sc += w[ub + UNI_W * s as usize + 3];
                }
                let ps = pair[g + 1].slot;
                if ps != NO_SLOT {
                    sc += w[pb + 3 * ps as usize + 2];
                }
            }
            if p.slot != NO_SLOT {
                sc += w[pb + 3 * p.slot as usize];
            }
            out.push(sc);
            pml = pm;
        }
    }

    /// Lexicon bits (bit 0: list A, bit 1: list B) of the word `[s, s+k)`.
    #[inline]
    fn word_lex(&self, s: usize, k: usize) -> usize {
        if k < 2 {
            return 0;
        }
        let b = self.starts[s] >> (k - 2);
        (b & 1) as usize | (((b >> 8) & 1) << 1) as usize
    }

    /// Whether the decoder considers the word `[s, s+k)`.
    #[inline]
    pub fn allowed(&self, s: usize, k: usize) -> bool {
        if self.lowcap[s + k - 1] != self.lowcap[s] {
            return false;
        }
        if self.word_lex(s, k) != 0 {
            return true;
        }
        if k > FREE_LEN {
            return false;
        }
        // without lexicon support, three syllables or more only as lowercase or
        // capitalised runs (names), never with numbers or mixed capitalisation
        k < 3 || {
            let caps = (self.capish[s + k] - self.capish[s]) as usize;
            let numeric = self.shape[s..s + k].iter().any(|&sh| is_numeric(sh));
            cap_pattern(k, caps, numeric, is_capish(self.shape[s])) < 3
        }
    }

    /// Calls `f` with each feature index of the word `[s, s+k)`.
    #[inline]
    pub fn word_features(&self, s: usize, k: usize, mut f: impl FnMut(usize)) {
        let kc = k - 1;
        f(W_LEX + kc * 4 + self.word_lex(s, k));
        let caps = (self.capish[s + k] - self.capish[s]) as usize;
        let numeric = self.shape[s..s + k].iter().any(|&sh| is_numeric(sh));
        let pattern = cap_pattern(k, caps, numeric, is_capish(self.shape[s]));
        f(W_CAP + (kc * 5 + pattern) * N_CTX + self.ctx[s] as usize);
        let initial = (self.ctx[s] != CTX_WORD) as usize;
        f(W_LEXCAP + ((kc * 4 + self.word_lex(s, k)) * 5 + pattern) * 2 + initial);
        let vn = self.info[s..s + k].iter().filter(|i| i.vn).count();
        f(W_VN + (kc * 5 + pattern) * 3 + vn_mix(k, vn));
        if k == 1 {
            f(W_ONE + self.shape[s] as usize * N_FREQ + self.info[s].freq as usize);
        } else {
            let mut m = N_PMI - 1;
            for g in s..s + k - 1 {
                m = m.min(self.pair[g].pmi());
            }
            f(W_PMI + kc * N_PMI + m);
        }
    }

    /// Best segmentation given the gap scores (`gap[g]`: joining gap g) and the folded
    /// word weights; appends word lengths to `out`. Same result as
    /// [`super::decode::Decoder::decode_scored`] with [`Chain::word_features`].
    pub fn viterbi(
        &self,
        gap: &[f32],
        wt: &WordTable,
        best: &mut Vec<f32>,
        back: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) {
        let n = self.n;
        if n == 0 || gap.len() + 1 < n {
            return;
        }
        best.clear();
        best.resize(n + 1, f32::NEG_INFINITY);
        back.clear();
        back.resize(n + 1, 1);
        best[0] = 0.0;
        let flags = &self.flags[..n];
        let info = &self.info[..n];
        let pair = &self.pair[..n - 1];
        let gap = &gap[..n - 1];
        let starts = &self.starts[..n];
        for s in 0..n {
            let base = best[s];
            let table = wt.for_ctx(self.ctx[s] as usize);
            let f0 = flags[s];
            let sh0 = self.shape[s];
            // one-syllable word
            let first_capish = f0 & F_CAPISH != 0;
            let pattern1 = cap_pattern(1, first_capish as usize, f0 & F_NUMERIC != 0, false);
            let vn0 = (f0 & F_VN != 0) as usize;
            let sc = base
                + table[(pattern1 * 3 + vn_mix(1, vn0)) * N_PMI]
                + wt.one[sh0 as usize * N_FREQ + info[s].freq as usize];
            if sc >= best[s + 1] {
                best[s + 1] = sc;
                back[s + 1] = 1;
            }
            let kmax = MAX_LEN.min(n - s);
            if kmax < 2 {
                continue;
            }
            let mut caps = first_capish as usize;
            // bit 1: a number so far; bit 0: the first token is capitalised-ish
            let mut num_first = (f0 & F_NUMERIC) as usize | first_capish as usize;
            let mut vn = vn0;
            let mut inner = 0.0f32;
            let mut minp = N_PMI - 1;
            let lexbits = starts[s];
            // word [s, s+k) for k = 2..=kmax: its last token t = s+k-1, the gap t-1 before it
            let last = s + kmax;
            let ends = flags[s + 1..last]
                .iter()
                .zip(&gap[s..last - 1])
                .zip(&pair[s..last - 1])
                .zip(best[s + 2..=last].iter_mut().zip(&mut back[s + 2..=last]));
            for (j, (((&f, &gv), p), (bk, kb))) in ends.enumerate() {
                let k = j + 2;
                if f & F_LOWCAP != 0 {
                    break;
                }
                inner += gv;
                minp = minp.min(p.pmi());
                caps += (f & F_CAPISH) as usize;
                num_first |= (f & F_NUMERIC) as usize;
                vn += (f & F_VN != 0) as usize;
                let b = lexbits >> (k - 2);
                let lx = (b & 1) as usize | (((b >> 8) & 1) << 1) as usize;
                let e = WORD_SHAPE
                    .get(((j * (MAX_LEN + 1) + caps) * (MAX_LEN + 1) + vn) * 4 + num_first)
                    .copied()
                    .unwrap_or(NEEDS_LEX);
                if lx == 0 && e & NEEDS_LEX != 0 {
                    // not allowed (see `allowed`); a longer lexicon word may still be
                    if (b >> 1) & 0x7F7F == 0 {
                        break;
                    }
                    continue;
                }
                let sc = base + inner + table[((e & !NEEDS_LEX) as usize + lx * 15) * N_PMI + minp];
                // `>=`: on ties the shorter last word wins, as in `decode_scored`
                if sc >= *bk {
                    *bk = sc;
                    *kb = k as u8;
                }
            }
        }
        let at = out.len();
        let mut j = n;
        while j > 0 {
            let k = back[j].max(1);
            out.push(k);
            j -= k as usize;
        }
        out[at..].reverse();
    }
}

/// Marks a [`WORD_SHAPE`] entry whose word is only formed with lexicon support.
const NEEDS_LEX: u16 = 1 << 15;

/// For words of k = 2..=[`MAX_LEN`] syllables, by `[k-2][caps][vn][numeric * 2 +
/// first capitalised]` (counts of capitalised-ish and word-list syllables): the
/// [`WordTable`] row `(k-1) * 60 + pattern * 3 + vn mix` (add `lexicon bits * 15`),
/// with [`NEEDS_LEX`] when [`Chain::allowed`] refuses the word without lexicon support.
static WORD_SHAPE: [u16; (MAX_LEN - 1) * (MAX_LEN + 1) * (MAX_LEN + 1) * 4] = {
    let mut t = [0u16; (MAX_LEN - 1) * (MAX_LEN + 1) * (MAX_LEN + 1) * 4];
    let mut i = 0;
    while i < t.len() {
        let nf = i % 4;
        let vn = (i / 4) % (MAX_LEN + 1);
        let caps = (i / 4 / (MAX_LEN + 1)) % (MAX_LEN + 1);
        let k = i / 4 / (MAX_LEN + 1) / (MAX_LEN + 1) + 2;
        let pattern = cap_pattern(k, caps, nf & 2 != 0, nf & 1 != 0);
        let mut e = ((k - 1) * 60 + pattern * 3 + vn_mix(k, vn)) as u16;
        if k > FREE_LEN || (k >= 3 && pattern >= 3) {
            e |= NEEDS_LEX;
        }
        t[i] = e;
        i += 1;
    }
    t
};

#[inline]
fn is_numeric(shape: u8) -> bool {
    matches!(shape, 5..=7)
}

/// 0: every syllable in the word list, 1: none, 2: some.
#[inline]
const fn vn_mix(k: usize, vn: usize) -> usize {
    if vn == k {
        0
    } else if vn == 0 {
        1
    } else {
        2
    }
}

/// Capitalisation pattern of a word of `k` syllables: 0 lowercase, 1 all capitalised,
/// 2 only the first, 3 with a number, 4 other.
#[inline]
const fn cap_pattern(k: usize, caps: usize, numeric: bool, first_capish: bool) -> usize {
    if numeric {
        3
    } else if caps == 0 {
        0
    } else if caps == k {
        1
    } else if caps == 1 && first_capish {
        2
    } else {
        4
    }
}

/// Entries of a [`WordTable`] for one context.
const WT_CTX: usize = MAX_LEN * 4 * 5 * 3 * N_PMI;

/// The word features folded into one table for segmentation (training uses
/// [`Chain::word_features`]; both give the same scores).
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    /// [ctx][k-1][lex][pattern][vn mix][min inner PMI bin]
    t: Vec<f32>,
    /// One-syllable words: [shape * N_FREQ + freq]
    one: Vec<f32>,
    /// The first three gap features summed as [`Chain::gap_features`] sums them:
    /// [shape 1][shape 2][ctx][count bin].
    gap_head: Vec<f32>,
}

impl WordTable {
    /// Folds the word-feature weights of `weights`.
    pub fn new(weights: &[f32]) -> WordTable {
        let w = |i: usize| weights.get(i).copied().unwrap_or(0.0);
        let mut t = Vec::with_capacity(N_CTX * WT_CTX);
        for ctx in 0..N_CTX {
            let initial = (ctx != CTX_WORD as usize) as usize;
            for kc in 0..MAX_LEN {
                for lx in 0..4 {
                    for pattern in 0..5 {
                        for mix in 0..3 {
                            let base = w(W_LEX + kc * 4 + lx)
                                + w(W_CAP + (kc * 5 + pattern) * N_CTX + ctx)
                                + w(W_LEXCAP + ((kc * 4 + lx) * 5 + pattern) * 2 + initial)
                                + w(W_VN + (kc * 5 + pattern) * 3 + mix);
                            for m in 0..N_PMI {
                                let pmi = if kc == 0 {
                                    0.0
                                } else {
                                    w(W_PMI + kc * N_PMI + m)
                                };
                                t.push(base + pmi);
                            }
                        }
                    }
                }
            }
        }
        let one = (0..N_SH * N_FREQ).map(|i| w(W_ONE + i)).collect();
        let mut gap_head = Vec::with_capacity(N_SH * N_SH * N_CTX * N_CNT);
        for s1 in 0..N_SH {
            for s2 in 0..N_SH {
                let pclass = match (sclass(s1 as u8), sclass(s2 as u8)) {
                    (0, 0) => 0,
                    (1 | 2, 1 | 2) => 1,
                    _ => 2,
                };
                for ctx in 0..N_CTX {
                    for cnt in 0..N_CNT {
                        // the order of `gap_features`, from 0.0 as the decoders start
                        let mut s = 0.0f32;
                        s += w(G_BIAS);
                        s += w(G_SH2 + (s1 * N_SH + s2) * N_CTX + ctx);
                        s += w(G_CNT + cnt * 3 + pclass);
                        gap_head.push(s);
                    }
                }
            }
        }
        WordTable { t, one, gap_head }
    }

    /// The part of the table for words after context `ctx`.
    #[inline]
    fn for_ctx(&self, ctx: usize) -> &[f32] {
        &self.t[ctx * WT_CTX..(ctx + 1) * WT_CTX]
    }
}

#[inline]
fn word_bits(f: u8, shift: usize) -> u16 {
    ((f & lex::WORD_A != 0) as u16) << shift | ((f & lex::WORD_B != 0) as u16) << (8 + shift)
}

/// Whether the id is known (for training statistics).
pub fn is_known(id: u32) -> bool {
    id != UNK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_codes() {
        assert_eq!(lenc(0), 0);
        assert_eq!(lenc(1), 1); // length 2
        assert_eq!(lenc(0b10), 2); // length 3
        assert_eq!(lenc(0b10001), 5); // length 6
    }

    #[test]
    fn punct_contexts() {
        assert_eq!(punct_ctx("."), CTX_SENT);
        assert_eq!(punct_ctx("..."), CTX_SENT);
        assert_eq!(punct_ctx("“"), CTX_OPEN);
        assert_eq!(punct_ctx(","), CTX_PUNCT);
    }
}

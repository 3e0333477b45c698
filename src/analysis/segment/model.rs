//! The segmentation model: syllable vocabulary, syllable-pair statistics, lexicon
//! and feature weights, with a compact binary form that the binary embeds.
//!
//! The file holds the lookup tables exactly as they are in memory, so that loading
//! is checking a header: the embedded model is used in place ([`Model::from_static`]),
//! a model from elsewhere is copied ([`Model::from_bytes`]). Layout (version 2, little
//! endian, every number a `u64`):
//! ```text
//! "TTSEG" 2:u8 0:u16  layout_hash  checksum (xxh3-64 of every byte after it)
//! n_syl n_uni n_pair                     syllables; lexicalised syllable and pair slots
//! cap len  ×4                            slots and entries of the four tables below
//! n_weights
//! vocab       cap × (key, value)         syllable key → id, bins, slot (`pack_syl`)
//! pairs       cap × (pair << 24 | stat)  pair = (id a << 20 | id b) + 1
//! pair slots  cap × (pair << 24 | slot)  pairs with a lexicalised weight slot
//! long words  cap × (hash, flags)        lexicon words of 3+ syllables (`seq_hash`)
//! weights     n_weights × f32
//! ```
//! Tables are open-addressing with linear probing ([`super::table`]); the hash and
//! probing scheme are part of the format (change them, change the version).
//! Syllable ids are positions in the key-sorted syllable list.

use super::table::{KeyTable, PackedTable};
use std::borrow::Cow;

/// No lexicalised weight slot.
pub const NO_SLOT: u32 = u32::MAX;
/// Id of a syllable that is not in the vocabulary.
pub const UNK: u32 = u32::MAX;

/// Lexicon flags (pair table `stat` high bits, long table values).
pub mod lex {
    /// The syllables form a word of the pyvi list.
    pub const WORD_A: u8 = 1;
    /// The syllables form a word of the Viet74K list.
    pub const WORD_B: u8 = 2;
    /// The syllables begin a longer word of the pyvi list.
    pub const PREFIX_A: u8 = 4;
    /// The syllables begin a longer word of the Viet74K list.
    pub const PREFIX_B: u8 = 8;
}

/// What the model knows of one syllable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SylInfo {
    /// Corpus frequency bin (0: unknown).
    pub freq: u8,
    /// How often it is capitalised inside a sentence (0: too rare to say).
    pub capb: u8,
    /// A syllable of the Vietnamese word list (not a foreign or garbled one).
    pub vn: bool,
    /// Lexicalised weight slot, or [`NO_SLOT`].
    pub slot: u32,
}

impl SylInfo {
    /// An unknown syllable.
    pub const UNKNOWN: SylInfo = SylInfo {
        freq: 0,
        capb: 0,
        vn: false,
        slot: NO_SLOT,
    };
}

/// What the model knows of two adjacent syllables, packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairInfo {
    /// Bits 0-3 PMI bin, 4-7 count bin, 8-10 P(b|a) bin, 11-13 P(a|b) bin,
    /// 14-16 both-capitalised bin, 17-20 lexicon flags ([`lex`]).
    pub stat: u32,
    /// Lexicalised weight slot, or [`NO_SLOT`].
    pub slot: u32,
}

/// PMI bin of a pair at the edge of a chain (no pair).
pub const PMI_EDGE: u32 = 0;
/// PMI bin of a pair with an unknown syllable.
pub const PMI_UNK: u32 = 1;
/// PMI bin of two known syllables never (or too rarely) seen together.
pub const PMI_UNSEEN: u32 = 2;
/// Number of PMI bins.
pub const N_PMI: usize = 16;
/// Number of count bins.
pub const N_CNT: usize = 16;
/// Number of conditional-probability bins (the last: unseen).
pub const N_COND: usize = 7;
/// Number of pair-capitalisation bins.
pub const N_PCAP: usize = 5;
/// Number of syllable frequency bins.
pub const N_FREQ: usize = 8;
/// Number of syllable capitalisation bins.
pub const N_CAPB: usize = 5;

impl PairInfo {
    /// Packs the parts.
    pub fn pack(pmi: u32, cnt: u32, cf: u32, cb: u32, pcap: u32, lexf: u8) -> u32 {
        pmi | (cnt << 4) | (cf << 8) | (cb << 11) | (pcap << 14) | (((lexf & 15) as u32) << 17)
    }
    /// The PMI bin.
    #[inline]
    pub fn pmi(self) -> usize {
        (self.stat & 15) as usize
    }
    /// The count bin.
    #[inline]
    pub fn cnt(self) -> usize {
        ((self.stat >> 4) & 15) as usize
    }
    /// The P(b|a) bin.
    #[inline]
    pub fn cond_fwd(self) -> usize {
        ((self.stat >> 8) & 7) as usize
    }
    /// The P(a|b) bin.
    #[inline]
    pub fn cond_bwd(self) -> usize {
        ((self.stat >> 11) & 7) as usize
    }
    /// The both-capitalised bin.
    #[inline]
    pub fn pcap(self) -> usize {
        ((self.stat >> 14) & 7) as usize
    }
    /// Lexicon flags.
    #[inline]
    pub fn lex(self) -> u8 {
        ((self.stat >> 17) & 15) as u8
    }
}

/// Bits of a pair's packed statistics (bit 21 marks a lexicalised slot).
const STAT_BITS: u32 = (1 << 21) - 1;
const HAS_SLOT: u32 = 1 << 21;
/// Syllable ids stay below this (pair keys pack two ids in 40 bits).
pub const MAX_SYLLABLES: usize = (1 << 20) - 1;

/// The model: vocabulary, pair statistics, lexicon, weights.
#[derive(Debug, Default, Clone)]
pub struct Model {
    vocab: KeyTable,
    n_syl: usize,
    pairs: PackedTable,
    pair_slot: PackedTable,
    long: KeyTable,
    /// Feature weights (see `features`).
    pub weights: Vec<f32>,
    n_uni: usize,
    n_pair: usize,
    /// Identifies the lookup tables (not the weights) for caches of lookups: 0 for
    /// the empty tables of `Model::default()`, a new number for each model read or built.
    uid: u64,
}

/// A new model identity (see `Model::uid`).
fn next_uid() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Why an embedded or saved model could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("segmentation model: {0}")]
    Corrupt(&'static str),
    #[error("segmentation model: built for another feature layout (retrain it)")]
    Layout,
    #[error("segmentation model: too many syllables or pairs")]
    TooLarge,
}

/// Hash of a syllable-id sequence (lexicon words of three or more syllables).
#[inline]
pub fn seq_hash(ids: &[u32]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &id in ids {
        h = (h.rotate_left(23) ^ (id as u64 + 1)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h ^ (h >> 29)).max(1)
}

#[inline]
fn pair_key(a: u32, b: u32) -> u64 {
    (((a as u64) << 20) | b as u64) + 1
}

/// Vocabulary value: id (20 bits), frequency bin (3), capitalisation bin (3), slot + 1
/// (32), Vietnamese-syllable flag (bit 63).
#[inline]
fn pack_syl(id: u32, s: SylInfo) -> u64 {
    id as u64
        | (s.freq as u64 & 7) << 20
        | (s.capb as u64 & 7) << 23
        | (s.slot.wrapping_add(1) as u64) << 26
        | (s.vn as u64) << 63
}

/// Unpacks a vocabulary value; bins and slots out of range (a damaged model) are
/// clamped, so that every feature index stays inside the weights.
#[inline]
fn unpack_syl(v: u64, n_uni: usize) -> (u32, SylInfo) {
    let slot = (((v >> 26) & 0xFFFF_FFFF) as u32).wrapping_sub(1);
    (
        (v & 0xF_FFFF) as u32,
        SylInfo {
            freq: ((v >> 20) & 7) as u8,
            capb: (((v >> 23) & 7) as u8).min(N_CAPB as u8 - 1),
            vn: v >> 63 != 0,
            slot: if (slot as usize) < n_uni {
                slot
            } else {
                NO_SLOT
            },
        },
    )
}

/// File format version (2: tables stored as they are in memory).
const VERSION: u8 = 2;
/// Header bytes before the checksummed part.
const PRE: usize = 24;
/// Header bytes: magic, version, layout hash, checksum, 12 numbers.
const HEADER: usize = PRE + 12 * 8;

/// The sections of a model file, after the header checks.
struct Sections<'a> {
    n_syl: usize,
    n_uni: usize,
    n_pair: usize,
    /// vocab, pairs, pair slots, long words: (slot bytes, capacity, entries)
    tables: [(&'a [u8], usize, usize); 4],
    weights: Vec<f32>,
    checksum: u64,
    /// The checksummed bytes.
    body: &'a [u8],
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    match b.get(at..).and_then(|s| s.first_chunk::<8>()) {
        Some(c) => u64::from_le_bytes(*c),
        None => 0,
    }
}

fn parse(bytes: &[u8], layout_hash: u64) -> Result<Sections<'_>, ModelError> {
    if bytes.len() < HEADER {
        return Err(ModelError::Corrupt("shorter than its header"));
    }
    if &bytes[..5] != b"TTSEG" {
        return Err(ModelError::Corrupt("bad magic"));
    }
    if bytes[5] != VERSION || bytes[6..8] != [0, 0] {
        return Err(ModelError::Corrupt("unknown version"));
    }
    if u64_at(bytes, 8) != layout_hash {
        return Err(ModelError::Layout);
    }
    let checksum = u64_at(bytes, 16);
    let num = |i: usize| -> Result<usize, ModelError> {
        usize::try_from(u64_at(bytes, PRE + 8 * i)).map_err(|_| ModelError::TooLarge)
    };
    let (n_syl, n_uni, n_pair) = (num(0)?, num(1)?, num(2)?);
    if n_syl > MAX_SYLLABLES {
        return Err(ModelError::TooLarge);
    }
    let mut at = HEADER;
    let mut take = |n: Option<usize>| -> Result<&[u8], ModelError> {
        let end = n
            .and_then(|n| at.checked_add(n))
            .ok_or(ModelError::Corrupt("section size"))?;
        let s = bytes
            .get(at..end)
            .ok_or(ModelError::Corrupt("unexpected end"))?;
        at = end;
        Ok(s)
    };
    let mut tables = [(&[][..], 0, 0); 4];
    for (t, (i, words)) in tables.iter_mut().zip([(3, 2), (5, 1), (7, 1), (9, 2)]) {
        let (cap, len) = (num(i)?, num(i + 1)?);
        if len > cap {
            return Err(ModelError::Corrupt("table fuller than its capacity"));
        }
        *t = (take(cap.checked_mul(8 * words))?, cap, len);
    }
    let n_w = num(11)?;
    let weights: Vec<f32> = take(n_w.checked_mul(4))?
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    if at != bytes.len() {
        return Err(ModelError::Corrupt("trailing bytes"));
    }
    if weights.iter().any(|w| !w.is_finite()) {
        return Err(ModelError::Corrupt("weight not finite"));
    }
    Ok(Sections {
        n_syl,
        n_uni,
        n_pair,
        tables,
        weights,
        checksum,
        body: &bytes[PRE..],
    })
}

impl Model {
    /// Id and info of a syllable key.
    #[inline]
    pub fn syl(&self, key: u64) -> (u32, SylInfo) {
        match self.vocab.get(key) {
            Some(v) => unpack_syl(v, self.n_uni),
            None => (UNK, SylInfo::UNKNOWN),
        }
    }

    /// Starts loading what [`Model::syl`] needs for `key` into the cache.
    #[inline]
    pub fn prefetch_syl(&self, key: u64) {
        self.vocab.prefetch(key);
    }

    /// Starts loading what [`Model::pair`] needs for `(a, b)` into the cache.
    #[inline]
    pub fn prefetch_pair(&self, a: u32, b: u32) {
        if a != UNK && b != UNK {
            self.pairs.prefetch(pair_key(a, b));
        }
    }

    /// Statistics of two adjacent syllables.
    #[inline]
    pub fn pair(&self, a: u32, b: u32) -> PairInfo {
        if a == UNK || b == UNK {
            return PairInfo {
                stat: PairInfo::pack(PMI_UNK, 0, 6, 6, 0, 0),
                slot: NO_SLOT,
            };
        }
        let key = pair_key(a, b);
        match self.pairs.get(key) {
            Some(v) => {
                let mut stat = v & STAT_BITS;
                if (stat >> 14) & 7 >= N_PCAP as u32 {
                    stat &= !(7 << 14); // damaged model: keep indices in range
                }
                let slot = if v & HAS_SLOT != 0 {
                    match self.pair_slot.get(key) {
                        Some(s) if (s as usize) < self.n_pair => s,
                        _ => NO_SLOT,
                    }
                } else {
                    NO_SLOT
                };
                PairInfo { stat, slot }
            }
            None => PairInfo {
                stat: PairInfo::pack(PMI_UNSEEN, 0, 6, 6, 0, 0),
                slot: NO_SLOT,
            },
        }
    }

    /// Lexicon flags of a sequence of three or more syllable ids.
    #[inline]
    pub fn long(&self, ids: &[u32]) -> u8 {
        self.long_hashed(seq_hash(ids))
    }

    /// [`Model::long`] of the sequence whose [`seq_hash`] is `h`.
    #[inline]
    pub fn long_hashed(&self, h: u64) -> u8 {
        self.long.get(h).unwrap_or(0) as u8
    }

    /// Identity of the lookup tables: two models with the same uid give the same
    /// [`Model::syl`], [`Model::pair`] and [`Model::long`] answers (the tables cannot
    /// change after construction), so caches of lookups can be keyed by it.
    #[inline]
    pub fn uid(&self) -> u64 {
        self.uid
    }

    /// Number of syllables with a lexicalised weight slot (slots are 0..n).
    #[inline]
    pub fn n_uni_slots(&self) -> usize {
        self.n_uni
    }

    /// Number of syllable pairs with a lexicalised weight slot (slots are 0..n).
    pub fn n_pair_slots(&self) -> usize {
        self.n_pair
    }

    /// Number of syllables, pairs and long lexicon entries.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.n_syl, self.pairs.len(), self.long.len())
    }

    /// Approximate bytes of the model's tables and weights (in the binary's read-only
    /// data for the embedded model, on the heap otherwise).
    pub fn heap_bytes(&self) -> usize {
        self.vocab.heap_bytes()
            + self.pairs.heap_bytes()
            + self.pair_slot.heap_bytes()
            + self.long.heap_bytes()
            + self.weights.len() * 4
    }

    /// Id of a syllable key, if known.
    pub fn id_of(&self, key: u64) -> Option<u32> {
        self.vocab.get(key).map(|v| unpack_syl(v, self.n_uni).0)
    }

    /// Builds a model from its parts: syllables in key order (their ids are their
    /// positions), pairs of ids with their statistics, long-word hashes with flags.
    pub fn from_parts(
        syls: Vec<(u64, SylInfo)>,
        pairs: Vec<((u32, u32), PairInfo)>,
        long: Vec<(u64, u8)>,
        weights: Vec<f32>,
    ) -> Result<Model, ModelError> {
        if syls.len() > MAX_SYLLABLES {
            return Err(ModelError::TooLarge);
        }
        if syls
            .iter()
            .any(|(_, s)| s.freq as usize >= N_FREQ || s.capb as usize >= N_CAPB)
        {
            return Err(ModelError::Corrupt("syllable bin out of range"));
        }
        let n_syl = syls.len();
        let n_uni = syls
            .iter()
            .filter(|s| s.1.slot != NO_SLOT)
            .map(|s| s.1.slot as usize + 1)
            .max()
            .unwrap_or(0);
        let mut vocab = KeyTable::with_capacity(n_syl);
        for (i, (k, s)) in syls.into_iter().enumerate() {
            if k == 0 || !vocab.insert(k, pack_syl(i as u32, s)) {
                return Err(ModelError::Corrupt("bad syllable key"));
            }
        }
        let n_slots = pairs.iter().filter(|p| p.1.slot != NO_SLOT).count();
        let mut table = PackedTable::with_capacity(pairs.len());
        let mut slots = PackedTable::with_capacity(n_slots);
        let mut n_pair = 0usize;
        for ((a, b), p) in pairs {
            if a as usize >= n_syl || b as usize >= n_syl {
                return Err(ModelError::Corrupt("pair of unknown syllables"));
            }
            if p.cond_fwd() >= N_COND || p.cond_bwd() >= N_COND || p.pcap() >= N_PCAP {
                return Err(ModelError::Corrupt("pair bin out of range"));
            }
            let key = pair_key(a, b);
            let mut v = p.stat & STAT_BITS;
            if p.slot != NO_SLOT {
                v |= HAS_SLOT;
                if !slots.insert(key, p.slot) {
                    return Err(ModelError::TooLarge);
                }
                n_pair = n_pair.max(p.slot as usize + 1);
            }
            if !table.insert(key, v) {
                return Err(ModelError::TooLarge);
            }
        }
        let mut lt = KeyTable::with_capacity(long.len());
        for (h, f) in long {
            if h == 0 || !lt.insert(h, f as u64) {
                return Err(ModelError::Corrupt("bad long-word hash"));
            }
        }
        Ok(Model {
            vocab,
            n_syl,
            pairs: table,
            pair_slot: slots,
            long: lt,
            weights,
            n_uni,
            n_pair,
            uid: next_uid(),
        })
    }

    /// Serializes the model (see the module docs for the layout).
    pub fn to_bytes(&self, layout_hash: u64) -> Vec<u8> {
        let tables: [(&[u8], usize, usize); 4] = [
            (
                self.vocab.as_bytes(),
                self.vocab.capacity(),
                self.vocab.len(),
            ),
            (
                self.pairs.as_bytes(),
                self.pairs.capacity(),
                self.pairs.len(),
            ),
            (
                self.pair_slot.as_bytes(),
                self.pair_slot.capacity(),
                self.pair_slot.len(),
            ),
            (self.long.as_bytes(), self.long.capacity(), self.long.len()),
        ];
        let size =
            HEADER + tables.iter().map(|t| t.0.len()).sum::<usize>() + 4 * self.weights.len();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(b"TTSEG");
        out.extend_from_slice(&[VERSION, 0, 0]);
        out.extend_from_slice(&layout_hash.to_le_bytes());
        out.extend_from_slice(&[0; 8]); // checksum, below
        let mut nums = vec![self.n_syl, self.n_uni, self.n_pair];
        for t in &tables {
            nums.extend([t.1, t.2]);
        }
        nums.push(self.weights.len());
        for n in nums {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        for t in &tables {
            out.extend_from_slice(t.0);
        }
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let sum = xxhash_rust::xxh3::xxh3_64(&out[PRE..]);
        out[16..PRE].copy_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model written by [`Model::to_bytes`] (copying it), checking its
    /// structure and checksum.
    pub fn from_bytes(bytes: &[u8], layout_hash: u64) -> Result<Model, ModelError> {
        let s = parse(bytes, layout_hash)?;
        if xxhash_rust::xxh3::xxh3_64(s.body) != s.checksum {
            return Err(ModelError::Corrupt("checksum mismatch"));
        }
        Model::assemble(s, |b| Cow::Owned(b.to_vec()))
    }

    /// Like [`Model::from_bytes`], using the tables in place (nothing is copied but the
    /// weights) and without the checksum pass, for a model compiled into the binary:
    /// loading costs microseconds and the tables are paged in as lookups touch them.
    /// The structure is still checked, and lookups stay in bounds whatever the bytes.
    pub fn from_static(bytes: &'static [u8], layout_hash: u64) -> Result<Model, ModelError> {
        Model::assemble(parse(bytes, layout_hash)?, Cow::Borrowed)
    }

    /// Builds the model from its parsed sections, each table's slots given by `slots`
    /// (copied or borrowed).
    fn assemble<'a>(
        s: Sections<'a>,
        slots: impl Fn(&'a [u8]) -> Cow<'static, [u8]>,
    ) -> Result<Model, ModelError> {
        let [v, p, ps, l] = s.tables;
        let bad = || ModelError::Corrupt("table size");
        Ok(Model {
            vocab: KeyTable::from_slots(slots(v.0), v.1, v.2).ok_or_else(bad)?,
            n_syl: s.n_syl,
            pairs: PackedTable::from_slots(slots(p.0), p.1, p.2).ok_or_else(bad)?,
            pair_slot: PackedTable::from_slots(slots(ps.0), ps.1, ps.2).ok_or_else(bad)?,
            long: KeyTable::from_slots(slots(l.0), l.1, l.2).ok_or_else(bad)?,
            weights: s.weights,
            n_uni: s.n_uni,
            n_pair: s.n_pair,
            uid: next_uid(),
        })
    }

    /// Whether the checksum of a model file matches its contents.
    pub fn checksum_ok(bytes: &[u8], layout_hash: u64) -> bool {
        parse(bytes, layout_hash).is_ok_and(|s| xxhash_rust::xxh3::xxh3_64(s.body) == s.checksum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Model {
        let syls = vec![
            (
                5u64,
                SylInfo {
                    freq: 3,
                    capb: 1,
                    vn: true,
                    slot: 0,
                },
            ),
            (
                900,
                SylInfo {
                    freq: 7,
                    capb: 0,
                    vn: false,
                    slot: NO_SLOT,
                },
            ),
            (u64::MAX - 3, SylInfo::UNKNOWN),
        ];
        let pairs = vec![
            (
                (0, 1),
                PairInfo {
                    stat: PairInfo::pack(5, 3, 1, 2, 0, lex::WORD_A),
                    slot: 4,
                },
            ),
            (
                (1, 2),
                PairInfo {
                    stat: 77,
                    slot: NO_SLOT,
                },
            ),
            ((2, 0), PairInfo { stat: 78, slot: 1 }),
        ];
        let long = vec![(seq_hash(&[0, 1, 2]), lex::WORD_B)];
        Model::from_parts(syls, pairs, long, vec![0.5, -1.0, 0.25]).unwrap()
    }

    fn same(a: &Model, b: &Model) {
        for k in [5, 900, u64::MAX - 3, 6, 0] {
            assert_eq!(a.syl(k), b.syl(k));
        }
        for x in 0..4 {
            for y in 0..4 {
                assert_eq!(a.pair(x, y), b.pair(x, y));
            }
        }
        assert_eq!(a.long(&[0, 1, 2]), b.long(&[0, 1, 2]));
        assert_eq!(a.long(&[0, 1, 1]), b.long(&[0, 1, 1]));
        assert_eq!(a.sizes(), b.sizes());
        assert_eq!(a.n_uni_slots(), b.n_uni_slots());
        assert_eq!(a.n_pair_slots(), b.n_pair_slots());
        assert_eq!(a.weights, b.weights);
    }

    #[test]
    fn round_trip() {
        let m = small();
        let bytes = m.to_bytes(42);
        let back = Model::from_bytes(&bytes, 42).unwrap();
        same(&m, &back);
        let fixed: &'static [u8] = Vec::leak(bytes.clone());
        same(&m, &Model::from_static(fixed, 42).unwrap());
        assert!(Model::checksum_ok(&bytes, 42));
        assert_eq!(back.to_bytes(42), bytes);
        assert_eq!(back.syl(5).1.freq, 3);
        assert!(back.syl(5).1.vn);
        assert_eq!(back.pair(2, 0).slot, 1);
        assert_eq!(back.pair(1, 2).slot, NO_SLOT);
        assert_eq!(back.n_pair_slots(), 5);
        assert_eq!(back.n_uni_slots(), 1);
        assert_eq!(back.long(&[0, 1, 2]), lex::WORD_B);
        assert_eq!(back.pair(0, 1).lex(), lex::WORD_A);
        assert_eq!(back.pair(0, 1).pmi(), 5);
        assert_eq!(back.weights, [0.5, -1.0, 0.25]);
    }

    #[test]
    fn damaged_files_are_errors() {
        let bytes = small().to_bytes(42);
        assert!(matches!(
            Model::from_bytes(&bytes, 43),
            Err(ModelError::Layout)
        ));
        for n in [0, 5, HEADER - 1, HEADER, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..n], 42).is_err(), "cut at {n}");
            let cut: &'static [u8] = Vec::leak(bytes[..n].to_vec());
            assert!(Model::from_static(cut, 42).is_err(), "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Model::from_bytes(&longer, 42).is_err());
        // any flipped bit is caught by the checksum or the header checks
        for at in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            assert!(Model::from_bytes(&b, 42).is_err(), "bit flipped at {at}");
        }
        // huge counts are refused, not allocated
        let mut b = bytes.clone();
        b[PRE + 3 * 8..PRE + 4 * 8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(Model::from_bytes(&b, 42).is_err());
    }

    /// A damaged model used in place (no checksum pass) gives wrong answers, never a
    /// panic or a feature index outside the weights.
    #[test]
    fn damaged_tables_stay_in_bounds() {
        let bytes = small().to_bytes(42);
        for at in HEADER..bytes.len() - 12 {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut b = bytes.clone();
                b[at] ^= flip;
                let b: &'static [u8] = Vec::leak(b);
                let Ok(m) = Model::from_static(b, 42) else {
                    continue;
                };
                for k in [5, 900, u64::MAX - 3, 6] {
                    let (_, s) = m.syl(k);
                    assert!(s.slot == NO_SLOT || (s.slot as usize) < m.n_uni_slots());
                    assert!((s.capb as usize) < N_CAPB && (s.freq as usize) < N_FREQ);
                }
                for x in 0..4 {
                    for y in 0..4 {
                        let p = m.pair(x, y);
                        assert!(p.slot == NO_SLOT || (p.slot as usize) < m.n_pair_slots());
                        assert!(p.pcap() < N_PCAP);
                    }
                }
                m.long(&[0, 1, 2]);
            }
        }
    }
}

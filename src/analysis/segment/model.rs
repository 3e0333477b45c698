//! The segmentation model: syllable vocabulary, syllable-pair statistics, lexicon
//! and feature weights, with a compact binary form that the binary embeds.
//!
//! File layout (little endian; `v` = LEB128 varint):
//! ```text
//! "TTSEG" version:u8  layout_hash:u64
//! n_syl:v   then per syllable, sorted by key: key delta:v  freq:u8 capb|vn<<7:u8 slot+1:v
//! n_pair:v  then per pair, sorted by (a, b): a delta:v  b (delta if same a, else value):v  stat:u32  slot+1:v
//! n_long:v  then per entry, sorted: hash delta:v  flags:u8
//! n_w:v     scale:f32  then per weight: i16
//! ```
//! Syllable ids are positions in the sorted syllable list.

use super::table::{KeyTable, PackedTable};

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
    syl: Vec<SylInfo>,
    pairs: PackedTable,
    pair_slot: PackedTable,
    long: KeyTable,
    /// Feature weights (see `features`).
    pub weights: Vec<f32>,
    n_uni: usize,
    n_pair: usize,
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

/// Vocabulary value: id (20 bits), frequency bin (3), capitalisation bin (3), slot + 1.
#[inline]
fn pack_syl(id: u32, s: SylInfo) -> u64 {
    id as u64
        | (s.freq as u64 & 7) << 20
        | (s.capb as u64 & 7) << 23
        | (s.slot.wrapping_add(1) as u64) << 26
        | (s.vn as u64) << 63
}

#[inline]
fn unpack_syl(v: u64) -> (u32, SylInfo) {
    (
        (v & 0xF_FFFF) as u32,
        SylInfo {
            freq: ((v >> 20) & 7) as u8,
            capb: ((v >> 23) & 7) as u8,
            vn: v >> 63 != 0,
            slot: (((v >> 26) & 0xFFFF_FFFF) as u32).wrapping_sub(1),
        },
    )
}

fn pair_of(key: u64) -> (u32, u32) {
    let k = key - 1;
    ((k >> 20) as u32, (k & 0xF_FFFF) as u32)
}

impl Model {
    /// Id and info of a syllable key.
    #[inline]
    pub fn syl(&self, key: u64) -> (u32, SylInfo) {
        match self.vocab.get(key) {
            Some(v) => unpack_syl(v),
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
            Some(v) => PairInfo {
                stat: v & STAT_BITS,
                slot: if v & HAS_SLOT != 0 {
                    self.pair_slot.get(key).unwrap_or(NO_SLOT)
                } else {
                    NO_SLOT
                },
            },
            None => PairInfo {
                stat: PairInfo::pack(PMI_UNSEEN, 0, 6, 6, 0, 0),
                slot: NO_SLOT,
            },
        }
    }

    /// Lexicon flags of a sequence of three or more syllable ids.
    #[inline]
    pub fn long(&self, ids: &[u32]) -> u8 {
        self.long.get(seq_hash(ids)).unwrap_or(0) as u8
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
        (self.syl.len(), self.pairs.len(), self.long.len())
    }

    /// Approximate heap bytes of the loaded model.
    pub fn heap_bytes(&self) -> usize {
        self.vocab.heap_bytes()
            + self.syl.len() * std::mem::size_of::<SylInfo>()
            + self.pairs.heap_bytes()
            + self.pair_slot.heap_bytes()
            + self.long.heap_bytes()
            + self.weights.len() * 4
    }

    /// Id of a syllable key, if known.
    pub fn id_of(&self, key: u64) -> Option<u32> {
        self.vocab.get(key).map(|v| unpack_syl(v).0)
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
        let mut vocab = KeyTable::with_capacity(syls.len());
        let mut syl = Vec::with_capacity(syls.len());
        for (i, (k, s)) in syls.into_iter().enumerate() {
            if k == 0 || !vocab.insert(k, pack_syl(i as u32, s)) {
                return Err(ModelError::Corrupt("bad syllable key"));
            }
            syl.push(s);
        }
        let n_slots = pairs.iter().filter(|p| p.1.slot != NO_SLOT).count();
        let mut table = PackedTable::with_capacity(pairs.len());
        let mut slots = PackedTable::with_capacity(n_slots);
        let mut n_pair = 0usize;
        for ((a, b), p) in pairs {
            if a as usize >= syl.len() || b as usize >= syl.len() {
                return Err(ModelError::Corrupt("pair of unknown syllables"));
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
        let n_uni = syl
            .iter()
            .filter(|s| s.slot != NO_SLOT)
            .map(|s| s.slot as usize + 1)
            .max()
            .unwrap_or(0);
        if syl
            .iter()
            .any(|s| s.freq as usize >= N_FREQ || s.capb as usize >= N_CAPB)
        {
            return Err(ModelError::Corrupt("syllable bin out of range"));
        }
        Ok(Model {
            vocab,
            syl,
            pairs: table,
            pair_slot: slots,
            long: lt,
            weights,
            n_uni,
            n_pair,
        })
    }

    /// Serializes the model (see the module docs for the layout).
    pub fn to_bytes(&self, layout_hash: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"TTSEG");
        out.push(1);
        out.extend_from_slice(&layout_hash.to_le_bytes());
        // syllables sorted by key; ids must already be in key order
        let mut keys: Vec<(u64, u32)> = self
            .vocab
            .iter()
            .map(|(k, v)| (k, unpack_syl(v).0))
            .collect();
        keys.sort_unstable();
        debug_assert!(
            keys.iter()
                .enumerate()
                .all(|(i, &(_, id))| id as usize == i)
        );
        put_v(&mut out, keys.len() as u64);
        let mut prev = 0u64;
        for &(k, id) in &keys {
            put_v(&mut out, k - prev);
            prev = k;
            let s = self.syl[id as usize];
            out.push(s.freq);
            out.push(s.capb | (s.vn as u8) << 7);
            put_v(&mut out, s.slot.wrapping_add(1) as u64);
        }
        let mut pairs: Vec<((u32, u32), PairInfo)> = self
            .pairs
            .iter()
            .map(|(k, _)| {
                let (a, b) = pair_of(k);
                ((a, b), self.pair(a, b))
            })
            .collect();
        pairs.sort_unstable_by_key(|p| p.0);
        put_v(&mut out, pairs.len() as u64);
        let mut pa = 0u64;
        let mut pb = 0u64;
        for ((a, b), p) in pairs {
            let (a, b) = (a as u64, b as u64);
            put_v(&mut out, a - pa);
            if a == pa {
                put_v(&mut out, b - pb);
            } else {
                put_v(&mut out, b);
            }
            pa = a;
            pb = b;
            out.extend_from_slice(&p.stat.to_le_bytes());
            put_v(&mut out, p.slot.wrapping_add(1) as u64);
        }
        let mut long: Vec<(u64, u8)> = self.long.iter().map(|(k, f)| (k, f as u8)).collect();
        long.sort_unstable();
        put_v(&mut out, long.len() as u64);
        let mut prev = 0u64;
        for (k, f) in long {
            put_v(&mut out, k - prev);
            prev = k;
            out.push(f);
        }
        put_v(&mut out, self.weights.len() as u64);
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        out.extend_from_slice(&scale.to_le_bytes());
        for w in &self.weights {
            let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8], layout_hash: u64) -> Result<Model, ModelError> {
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(5)? != b"TTSEG" {
            return Err(ModelError::Corrupt("bad magic"));
        }
        if r.take(1)?[0] != 1 {
            return Err(ModelError::Corrupt("unknown version"));
        }
        let lh = u64::from_le_bytes(
            r.take(8)?
                .try_into()
                .map_err(|_| ModelError::Corrupt("eof"))?,
        );
        if lh != layout_hash {
            return Err(ModelError::Layout);
        }
        let n = r.v()? as usize;
        if n > MAX_SYLLABLES {
            return Err(ModelError::TooLarge);
        }
        let mut syls = Vec::with_capacity(n);
        let mut k = 0u64;
        for _ in 0..n {
            k = k.wrapping_add(r.v()?);
            let f = r.take(2)?;
            let slot = (r.v()? as u32).wrapping_sub(1);
            syls.push((
                k,
                SylInfo {
                    freq: f[0],
                    capb: f[1] & 0x7F,
                    vn: f[1] & 0x80 != 0,
                    slot,
                },
            ));
        }
        let n = r.v()? as usize;
        let mut pairs = Vec::with_capacity(n.min(bytes.len()));
        let (mut a, mut b) = (0u64, 0u64);
        for _ in 0..n {
            let da = r.v()?;
            let db = r.v()?;
            if da == 0 {
                b = b.wrapping_add(db);
            } else {
                a = a.wrapping_add(da);
                b = db;
            }
            let stat = u32::from_le_bytes(
                r.take(4)?
                    .try_into()
                    .map_err(|_| ModelError::Corrupt("eof"))?,
            );
            let slot = (r.v()? as u32).wrapping_sub(1);
            let p = PairInfo { stat, slot };
            if p.cond_fwd() >= N_COND || p.cond_bwd() >= N_COND || p.pcap() >= N_PCAP {
                return Err(ModelError::Corrupt("pair bin out of range"));
            }
            if a > u32::MAX as u64 || b > u32::MAX as u64 {
                return Err(ModelError::Corrupt("pair id out of range"));
            }
            pairs.push(((a as u32, b as u32), p));
        }
        let n = r.v()? as usize;
        let mut long = Vec::with_capacity(n.min(bytes.len()));
        let mut h = 0u64;
        for _ in 0..n {
            h = h.wrapping_add(r.v()?);
            long.push((h, r.take(1)?[0]));
        }
        let n = r.v()? as usize;
        let scale = f32::from_le_bytes(
            r.take(4)?
                .try_into()
                .map_err(|_| ModelError::Corrupt("eof"))?,
        );
        let raw = r.take(n.checked_mul(2).ok_or(ModelError::Corrupt("size"))?)?;
        let weights = raw
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 * scale)
            .collect();
        if r.at != bytes.len() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        Model::from_parts(syls, pairs, long, weights)
    }
}

fn put_v(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Corrupt("size"))?;
        let s = self
            .b
            .get(self.at..end)
            .ok_or(ModelError::Corrupt("unexpected end"))?;
        self.at = end;
        Ok(s)
    }
    fn v(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            v |= ((byte & 0x7F) as u64) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt("bad varint"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
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
        let m = Model::from_parts(syls, pairs, long, vec![0.5, -1.0, 0.25]).unwrap();
        let bytes = m.to_bytes(42);
        let back = Model::from_bytes(&bytes, 42).unwrap();
        assert_eq!(back.syl, m.syl);
        for k in [5, 900, u64::MAX - 3, 6] {
            assert_eq!(back.syl(k), m.syl(k));
        }
        for (a, b) in [(0, 1), (1, 2), (2, 0), (0, 2), (5, 5)] {
            assert_eq!(back.pair(a, b), m.pair(a, b));
        }
        assert_eq!(back.pair(2, 0).slot, 1);
        assert_eq!(back.pair(1, 2).slot, NO_SLOT);
        assert_eq!(back.n_pair_slots(), 5);
        assert_eq!(back.long(&[0, 1, 2]), lex::WORD_B);
        assert_eq!(back.pair(0, 1).lex(), lex::WORD_A);
        assert_eq!(back.pair(0, 1).pmi(), 5);
        assert!((back.weights[1] + 1.0).abs() < 1e-4);
        assert!(matches!(
            Model::from_bytes(&bytes, 43),
            Err(ModelError::Layout)
        ));
        assert!(Model::from_bytes(&bytes[..bytes.len() - 1], 42).is_err());
    }
}

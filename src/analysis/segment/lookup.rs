//! A per-workspace cache of the model's syllable-pair and long-word lookups.
//!
//! The model's tables are megabytes and each lookup is a cache miss; news text
//! repeats a few thousand pairs, so a small direct-mapped copy of recent answers
//! (exact: keyed by the whole pair or word hash, and by the model's
//! [`Model::uid`]) answers most lookups from the processor's cache.

use super::model::{Model, PairInfo, UNK, seq_hash};

/// Slots of the pair cache (a power of two).
const PAIR_BITS: u32 = 12;
/// Slots of the long-word cache (a power of two).
const LONG_BITS: u32 = 11;
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;
/// Pair-cache key of an empty slot (real keys are below 2^52).
const EMPTY: u64 = u64::MAX;

#[derive(Debug, Clone, Copy)]
struct PairSlot {
    key: u64,
    info: PairInfo,
}

/// Cached [`Model::pair`] and [`Model::long`] answers; an empty (default) cache
/// passes every lookup to the model.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    uid: u64,
    pairs: Vec<PairSlot>,
    /// (word hash, flags); hash 0 = empty (`seq_hash` is never 0).
    long: Vec<(u64, u8)>,
}

#[inline]
fn pair_index(key: u64, bits: u32) -> usize {
    (key.wrapping_mul(MUL) >> (64 - bits)) as usize
}

impl Lookups {
    /// Readies the cache for `model` (allocating it on first use, emptying it when
    /// the model changed).
    pub fn enable(&mut self, model: &Model) {
        if self.pairs.is_empty() || self.uid != model.uid() {
            let empty = PairSlot {
                key: EMPTY,
                info: PairInfo { stat: 0, slot: 0 },
            };
            self.pairs.clear();
            self.pairs.resize(1 << PAIR_BITS, empty);
            self.long.clear();
            self.long.resize(1 << LONG_BITS, (0, 0));
            self.uid = model.uid();
        }
    }

    /// Starts loading what [`Lookups::pair`] needs, unless it is cached.
    #[inline]
    pub fn prefetch_pair(&self, model: &Model, a: u32, b: u32) {
        if a == UNK || b == UNK {
            return;
        }
        let key = (a as u64) << 32 | b as u64;
        match self.pairs.get(pair_index(key, PAIR_BITS)) {
            Some(s) if s.key == key => {}
            _ => model.prefetch_pair(a, b),
        }
    }

    /// [`Model::pair`], from the cache when it holds it.
    #[inline]
    pub fn pair(&mut self, model: &Model, a: u32, b: u32) -> PairInfo {
        if a == UNK || b == UNK {
            return model.pair(a, b);
        }
        let key = (a as u64) << 32 | b as u64;
        match self.pairs.get_mut(pair_index(key, PAIR_BITS)) {
            Some(s) if s.key == key => s.info,
            Some(s) => {
                let info = model.pair(a, b);
                *s = PairSlot { key, info };
                info
            }
            None => model.pair(a, b),
        }
    }

    /// [`Model::long`], from the cache when it holds it.
    #[inline]
    pub fn long(&mut self, model: &Model, ids: &[u32]) -> u8 {
        let h = seq_hash(ids);
        match self.long.get_mut(pair_index(h, LONG_BITS)) {
            Some(s) if s.0 == h => s.1,
            Some(s) => {
                let f = model.long_hashed(h);
                *s = (h, f);
                f
            }
            None => model.long_hashed(h),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::segment::{MODEL_BYTES, features};

    #[test]
    fn cached_answers_are_the_models() {
        let model = Model::from_static(MODEL_BYTES, features::LAYOUT_HASH).expect("model");
        let mut off = Lookups::default();
        let mut on = Lookups::default();
        on.enable(&model);
        let n = model.sizes().0 as u32;
        for round in 0..3u32 {
            for i in 0..20_000u32 {
                let a = (i * 7919 + round) % n;
                let b = (i * 104_729) % n;
                let want = model.pair(a, b);
                assert_eq!(on.pair(&model, a, b), want);
                assert_eq!(off.pair(&model, a, b), want);
                let ids = [a, b, i % n];
                assert_eq!(on.long(&model, &ids), model.long(&ids));
            }
        }
        assert_eq!(on.pair(&model, UNK, 3), model.pair(UNK, 3));
        // another model: the cache starts over
        let other = Model::from_static(MODEL_BYTES, features::LAYOUT_HASH).expect("model");
        on.enable(&other);
        assert_ne!(on.uid, model.uid());
        assert!(on.pairs.iter().all(|s| s.key == EMPTY));
    }
}

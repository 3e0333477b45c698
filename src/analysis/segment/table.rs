//! Compact open-addressing hash tables for the model (linear probing, multiplicative
//! hashing mapped onto any capacity, key 0 = empty).
//!
//! A table's slots are little-endian `u64` words in one byte buffer, which is exactly
//! what the model file stores: a model embedded in the binary is used in place
//! ([`KeyTable::from_slots`] with borrowed bytes), without decoding or rehashing anything. Tables built in
//! memory (training) own their buffer. Lookups never panic and always end, whatever the
//! bytes: a read outside the buffer is an empty slot and probing stops after one lap.

use std::borrow::Cow;

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// Number of slots for `n` entries: at most two thirds full.
pub fn capacity_for(n: usize) -> usize {
    n + n / 2 + 1
}

/// Home slot of `key` in a table of `cap` slots (high bits of the product).
#[inline(always)]
fn home(key: u64, cap: usize) -> usize {
    ((key.wrapping_mul(MUL) as u128 * cap as u128) >> 64) as usize
}

/// Word `i` of `b` (little endian), or 0 outside it.
#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    match b
        .get(i.wrapping_mul(8)..)
        .and_then(|s| s.first_chunk::<8>())
    {
        Some(c) => u64::from_le_bytes(*c),
        None => 0,
    }
}

#[inline]
fn set_word(b: &mut [u8], i: usize, v: u64) {
    if let Some(s) = b.get_mut(i * 8..i * 8 + 8) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

/// Hints the CPU to load the cache line at `p` (no-op off x86-64).
#[inline(always)]
pub(crate) fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Slot storage shared by both tables: `cap` slots of `W` words.
#[derive(Debug, Clone)]
struct Slots<const W: usize> {
    bytes: Cow<'static, [u8]>,
    cap: usize,
    len: usize,
}

impl<const W: usize> Slots<W> {
    fn with_capacity(n: usize) -> Slots<W> {
        let cap = capacity_for(n);
        Slots {
            bytes: Cow::Owned(vec![0; cap * W * 8]),
            cap,
            len: 0,
        }
    }

    /// Slots over `bytes`, which must hold exactly `cap` slots, `len` of them used.
    fn from_bytes(bytes: Cow<'static, [u8]>, cap: usize, len: usize) -> Option<Slots<W>> {
        let want = cap.checked_mul(W * 8)?;
        (bytes.len() == want && len <= cap).then_some(Slots { bytes, cap, len })
    }

    #[inline(always)]
    fn next(&self, i: usize) -> usize {
        if i + 1 >= self.cap { 0 } else { i + 1 }
    }

    /// Room for one more entry (at most 90% full).
    fn has_room(&self) -> bool {
        (self.len + 1) * 10 <= self.cap * 9
    }

    /// Starts loading the home slot of `key` and the cache line after it (a probe
    /// that misses goes on there).
    #[inline]
    fn prefetch(&self, key: u64) {
        let p = self
            .bytes
            .as_ptr()
            .wrapping_add(home(key, self.cap).wrapping_mul(W * 8));
        prefetch(p);
        prefetch(p.wrapping_add(64));
    }
}

/// `u64` key (non-zero) → `u64` value, key and value side by side.
#[derive(Debug, Clone)]
pub struct KeyTable(Slots<2>);

impl Default for KeyTable {
    fn default() -> KeyTable {
        KeyTable::with_capacity(0)
    }
}

impl KeyTable {
    /// A table for up to `n` entries.
    pub fn with_capacity(n: usize) -> KeyTable {
        KeyTable(Slots::with_capacity(n))
    }

    /// A table over the slots written by [`KeyTable::as_bytes`]: borrowed bytes (an
    /// embedded model) are used in place, owned ones kept. `None` when the length does
    /// not fit `cap` and `len`.
    pub fn from_slots(bytes: Cow<'static, [u8]>, cap: usize, len: usize) -> Option<KeyTable> {
        Slots::from_bytes(bytes, cap, len).map(KeyTable)
    }

    /// The slots as stored in a model file.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// Number of slots.
    pub fn capacity(&self) -> usize {
        self.0.cap
    }

    /// Inserts or replaces; returns false for key 0 or when the table is full.
    pub fn insert(&mut self, key: u64, val: u64) -> bool {
        if key == 0 {
            return false;
        }
        let mut i = home(key, self.0.cap);
        for _ in 0..self.0.cap {
            let k = word(&self.0.bytes, 2 * i);
            if k == key || k == 0 {
                if k == 0 {
                    if !self.0.has_room() {
                        return false;
                    }
                    self.0.len += 1;
                }
                let b = self.0.bytes.to_mut();
                set_word(b, 2 * i, key);
                set_word(b, 2 * i + 1, val);
                return true;
            }
            i = self.0.next(i);
        }
        false
    }

    /// Starts loading the slot of `key` into the cache.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        self.0.prefetch(key);
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u64> {
        let b: &[u8] = &self.0.bytes;
        let mut i = home(key, self.0.cap);
        for _ in 0..self.0.cap {
            let k = word(b, 2 * i);
            if k == key {
                return Some(word(b, 2 * i + 1));
            }
            if k == 0 {
                return None;
            }
            i = self.0.next(i);
        }
        None
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// Entries in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.0
            .bytes
            .chunks_exact(16)
            .map(|c| (word(c, 0), word(c, 1)))
            .filter(|s| s.0 != 0)
    }

    /// Bytes of the slots.
    pub fn heap_bytes(&self) -> usize {
        self.0.bytes.len()
    }
}

/// Key (non-zero, below 2^40) and 24-bit value packed in one `u64` slot.
#[derive(Debug, Clone)]
pub struct PackedTable(Slots<1>);

impl Default for PackedTable {
    fn default() -> PackedTable {
        PackedTable::with_capacity(0)
    }
}

/// Largest key a [`PackedTable`] holds.
pub const PACKED_KEY_MAX: u64 = (1 << 40) - 1;
/// Largest value a [`PackedTable`] holds.
pub const PACKED_VAL_MAX: u32 = (1 << 24) - 1;

impl PackedTable {
    /// A table for up to `n` entries.
    pub fn with_capacity(n: usize) -> PackedTable {
        PackedTable(Slots::with_capacity(n))
    }

    /// A table over the slots written by [`PackedTable::as_bytes`]: borrowed bytes (an
    /// embedded model) are used in place, owned ones kept. `None` when the length does
    /// not fit `cap` and `len`.
    pub fn from_slots(bytes: Cow<'static, [u8]>, cap: usize, len: usize) -> Option<PackedTable> {
        Slots::from_bytes(bytes, cap, len).map(PackedTable)
    }

    /// The slots as stored in a model file.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0.bytes
    }

    /// Number of slots.
    pub fn capacity(&self) -> usize {
        self.0.cap
    }

    /// Inserts or replaces. Returns false when the key or value is out of range or the
    /// table is full.
    pub fn insert(&mut self, key: u64, val: u32) -> bool {
        if key == 0 || key > PACKED_KEY_MAX || val > PACKED_VAL_MAX {
            return false;
        }
        let mut i = home(key, self.0.cap);
        for _ in 0..self.0.cap {
            let s = word(&self.0.bytes, i);
            if s >> 24 == key || s == 0 {
                if s == 0 {
                    if !self.0.has_room() {
                        return false;
                    }
                    self.0.len += 1;
                }
                set_word(self.0.bytes.to_mut(), i, (key << 24) | val as u64);
                return true;
            }
            i = self.0.next(i);
        }
        false
    }

    /// Starts loading the slot of `key` into the cache.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        self.0.prefetch(key);
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        let b: &[u8] = &self.0.bytes;
        let mut i = home(key, self.0.cap);
        for _ in 0..self.0.cap {
            let s = word(b, i);
            if s >> 24 == key {
                return Some((s & PACKED_VAL_MAX as u64) as u32);
            }
            if s == 0 {
                return None;
            }
            i = self.0.next(i);
        }
        None
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// Entries in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.0
            .bytes
            .chunks_exact(8)
            .map(|c| word(c, 0))
            .filter(|s| *s != 0)
            .map(|s| (s >> 24, (s & PACKED_VAL_MAX as u64) as u32))
    }

    /// Bytes of the slots.
    pub fn heap_bytes(&self) -> usize {
        self.0.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_table() {
        let mut t = KeyTable::with_capacity(100);
        for k in 1..=100u64 {
            assert!(t.insert(k * 7919, k));
        }
        assert!(!t.insert(0, 1));
        assert!(t.insert(7919, 5));
        assert_eq!(t.len(), 100);
        assert_eq!(t.get(7919), Some(5));
        assert_eq!(t.get(7919 * 50), Some(50));
        assert_eq!(t.get(3), None);
        assert_eq!(t.iter().count(), 100);
        assert_eq!(KeyTable::default().get(1), None);
        let mut full = KeyTable::with_capacity(3);
        let mut n = 0;
        for k in 1..=10u64 {
            n += full.insert(k, k) as usize;
        }
        assert!(n < 10 && full.len() == n);
    }

    #[test]
    fn packed_table() {
        let mut t = PackedTable::with_capacity(1000);
        for k in 1..=1000u64 {
            assert!(t.insert(k << 20 | (k * 3), (k * 11) as u32));
        }
        assert_eq!(t.get(5 << 20 | 15), Some(55));
        assert_eq!(t.get(5 << 20 | 16), None);
        assert!(!t.insert(0, 1));
        assert!(!t.insert(PACKED_KEY_MAX + 1, 1));
        assert!(!t.insert(1, PACKED_VAL_MAX + 1));
        assert!(t.insert(PACKED_KEY_MAX, PACKED_VAL_MAX));
        assert_eq!(t.get(PACKED_KEY_MAX), Some(PACKED_VAL_MAX));
        assert_eq!(t.len(), 1001);
        assert_eq!(PackedTable::default().get(7), None);
    }

    #[test]
    fn tables_round_trip_through_their_bytes() {
        let mut k = KeyTable::with_capacity(50);
        let mut p = PackedTable::with_capacity(50);
        for i in 1..=50u64 {
            k.insert(i * 1_000_003, i + 7);
            p.insert(i * 31, i as u32);
        }
        let kb: &'static [u8] = Vec::leak(k.as_bytes().to_vec());
        let owned = |b: &[u8]| Cow::Owned(b.to_vec());
        let k2 = KeyTable::from_slots(Cow::Borrowed(kb), k.capacity(), k.len()).unwrap();
        let k3 = KeyTable::from_slots(owned(kb), k.capacity(), k.len()).unwrap();
        let p2 = PackedTable::from_slots(owned(p.as_bytes()), p.capacity(), p.len()).unwrap();
        for i in 0..=60u64 {
            assert_eq!(k2.get(i * 1_000_003), k.get(i * 1_000_003));
            assert_eq!(k3.get(i * 1_000_003), k.get(i * 1_000_003));
            assert_eq!(p2.get(i * 31), p.get(i * 31));
        }
        assert_eq!(k2.iter().count(), 50);
        // wrong lengths are refused
        assert!(KeyTable::from_slots(owned(&kb[1..]), k.capacity(), k.len()).is_none());
        assert!(KeyTable::from_slots(owned(kb), k.capacity() + 1, k.len()).is_none());
        assert!(KeyTable::from_slots(owned(kb), k.capacity(), k.capacity() + 1).is_none());
        assert!(PackedTable::from_slots(owned(p.as_bytes()), usize::MAX, 0).is_none());
    }

    #[test]
    fn lookups_end_on_any_bytes() {
        // every slot used: probing must stop after one lap
        let bytes: Vec<u8> = (1..=64u8).collect();
        let k = KeyTable::from_slots(Cow::Owned(bytes.clone()), 4, 4).unwrap();
        assert_eq!(k.get(u64::MAX), None);
        let p = PackedTable::from_slots(Cow::Owned(bytes), 8, 8).unwrap();
        assert_eq!(p.get(12345), None);
        let empty = PackedTable::from_slots(Cow::Borrowed(&[]), 0, 0).unwrap();
        assert_eq!(empty.get(1), None);
    }
}

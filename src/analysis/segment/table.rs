//! Compact open-addressing hash tables for the model (linear probing, Fibonacci
//! hashing, key 0 = empty). Built once at load time; lookups touch one cache line in
//! the common case.

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

fn shift_for(n: usize) -> u32 {
    // at most half full
    let cap = (n * 2).next_power_of_two().max(16);
    64 - cap.trailing_zeros()
}

/// Hints the CPU to load the cache line at `p` (no-op off x86-64).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// `u64` key (non-zero) → `u64` value, key and value side by side.
#[derive(Debug, Clone)]
pub struct KeyTable {
    slots: Vec<[u64; 2]>,
    shift: u32,
    len: usize,
}

impl Default for KeyTable {
    fn default() -> KeyTable {
        KeyTable::with_capacity(0)
    }
}

impl KeyTable {
    /// A table for up to `n` entries.
    pub fn with_capacity(n: usize) -> KeyTable {
        let shift = shift_for(n);
        KeyTable {
            slots: vec![[0, 0]; 1usize << (64 - shift)],
            shift,
            len: 0,
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(MUL) >> self.shift) as usize
    }

    /// Inserts or replaces; returns false for key 0 or when the table is full.
    pub fn insert(&mut self, key: u64, val: u64) -> bool {
        if key == 0 {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        for _ in 0..self.slots.len() {
            if self.slots[i][0] == key {
                self.slots[i][1] = val;
                return true;
            }
            if self.slots[i][0] == 0 {
                if (self.len + 1) * 10 > self.slots.len() * 9 {
                    return false;
                }
                self.slots[i] = [key, val];
                self.len += 1;
                return true;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// Starts loading the slot of `key` into the cache.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(self.slots.as_ptr().wrapping_add(self.slot(key)));
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u64> {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let [k, v] = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.slots
            .iter()
            .filter(|s| s[0] != 0)
            .map(|s| (s[0], s[1]))
    }

    /// Heap bytes used.
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 16
    }
}

/// Key (non-zero, below 2^40) and 24-bit value packed in one `u64` slot.
#[derive(Debug, Clone)]
pub struct PackedTable {
    slots: Vec<u64>,
    shift: u32,
    len: usize,
}

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
        let shift = shift_for(n);
        PackedTable {
            slots: vec![0; 1usize << (64 - shift)],
            shift,
            len: 0,
        }
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(MUL) >> self.shift) as usize
    }

    /// Inserts or replaces. Returns false when the key or value is out of range or the
    /// table is full.
    pub fn insert(&mut self, key: u64, val: u32) -> bool {
        if key == 0 || key > PACKED_KEY_MAX || val > PACKED_VAL_MAX {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        for _ in 0..self.slots.len() {
            let s = self.slots[i];
            if s >> 24 == key {
                self.slots[i] = (key << 24) | val as u64;
                return true;
            }
            if s == 0 {
                if (self.len + 1) * 10 > self.slots.len() * 9 {
                    return false;
                }
                self.slots[i] = (key << 24) | val as u64;
                self.len += 1;
                return true;
            }
            i = (i + 1) & mask;
        }
        false
    }

    /// Starts loading the slot of `key` into the cache.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(self.slots.as_ptr().wrapping_add(self.slot(key)));
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            let s = self.slots[i];
            if s >> 24 == key {
                return Some((s & PACKED_VAL_MAX as u64) as u32);
            }
            if s == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.slots
            .iter()
            .filter(|s| **s != 0)
            .map(|&s| (s >> 24, (s & PACKED_VAL_MAX as u64) as u32))
    }

    /// Heap bytes used.
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 8
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
}

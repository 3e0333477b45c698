//! Syllable keys and shapes: how the segmenter recognises a syllable.
//!
//! A syllable's *key* is a 64-bit number that is the same for every spelling the
//! segmenter should treat alike: any letter case, NFC or NFD, and any tone-mark
//! placement (`hoà` and `hòa`, `thuý` and `thúy`). The key is built from the
//! lowercase letters with their tone mark removed, plus the tone itself; it does not
//! depend on where the tone mark sits, so the shipped model does not depend on which
//! placement [`crate::analysis::normalize()`] calls canonical.
//!
//! Ordinary Vietnamese syllables (at most nine letters or digits and one tone) are
//! packed into the key exactly (6 bits a letter, 3 bits the tone); anything else is
//! hashed (xxh3, top bit set).
//!
//! The *shape* ([`Shape`]) says what the token looks like in the original text
//! (lowercase, capitalised, all caps, a number, an abbreviation...).

use super::model::{Model, SylInfo, UNK};
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;

/// Letters of the packed alphabet, code = index + 1. Digits follow (codes 34..=43).
const LETTERS: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];
const DIGIT_CODE: u16 = 34;
/// Code points covered by the table (ASCII to the end of Latin Extended Additional).
const TABLE_LEN: usize = 0x1F00;
const UPPER_BIT: u16 = 1 << 9;
const HASHED: u64 = 1 << 63;

/// Per code point: bits 0-2 tone (0 none, 1 grave, 2 acute, 3 hook, 4 tilde, 5 dot),
/// bits 3-8 letter code (0: not a packable letter), bit 9 uppercase.
/// The letter table (see [`is_table_letter`]): bits 3-8 non-zero for letters and digits.
#[inline]
pub(crate) fn letter_table() -> &'static [u16] {
    table()
}

#[inline]
fn table() -> &'static [u16] {
    match TABLE.get() {
        Some(t) => t,
        None => init_table(),
    }
}

static TABLE: OnceLock<Vec<u16>> = OnceLock::new();

/// Code points that can be letters of the packed alphabet (Basic Latin to Latin
/// Extended-B, Latin Extended Additional); the rest of the table stays 0. A test checks
/// that no other code point below [`TABLE_LEN`] has an entry.
const LETTER_RANGES: [std::ops::Range<usize>; 2] = [0..0x250, 0x1E00..TABLE_LEN];

#[cold]
fn init_table() -> &'static [u16] {
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; TABLE_LEN];
        for cp in LETTER_RANGES.into_iter().flatten() {
            t[cp] = entry(cp);
        }
        t
    })
}

/// The table entry of code point `cp`.
fn entry(cp: usize) -> u16 {
    use unicode_normalization::UnicodeNormalization;
    let Some(c) = char::from_u32(cp as u32) else {
        return 0;
    };
    if c.is_ascii_digit() {
        return (DIGIT_CODE + (c as u16 - '0' as u16)) << 3;
    }
    let mut lower = c.to_lowercase();
    let (Some(l), None) = (lower.next(), lower.next()) else {
        return 0;
    };
    let l = if l == 'ð' { 'đ' } else { l };
    let mut tone = 0u16;
    let mut base = String::new();
    for d in std::iter::once(l).nfd() {
        match d {
            '\u{300}' => tone = 1,
            '\u{301}' => tone = 2,
            '\u{309}' => tone = 3,
            '\u{303}' => tone = 4,
            '\u{323}' => tone = 5,
            d => base.push(d),
        }
    }
    let base: String = base.nfc().collect();
    let mut chars = base.chars();
    let (Some(b), None) = (chars.next(), chars.next()) else {
        return 0;
    };
    match LETTERS.iter().position(|&x| x == b) {
        Some(i) => {
            let upper = if c.is_uppercase() { UPPER_BIT } else { 0 };
            ((i as u16 + 1) << 3) | tone | upper
        }
        None => 0,
    }
}

/// True for a Latin letter of the Vietnamese alphabet (any case, tone) or an ASCII digit.
#[inline]
pub fn is_table_letter(c: char) -> bool {
    let cp = c as usize;
    cp < TABLE_LEN && (table()[cp] >> 3) & 0x3F != 0
}

/// What a token looks like; used as a feature (names are capitalised, numbers are digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Shape {
    /// Only lowercase letters: `nhà`.
    Lower = 0,
    /// Capitalised: `Lộc`.
    Cap = 1,
    /// One capital letter: `A`.
    Initial = 2,
    /// Two or more capitals: `HCM`.
    Upper = 3,
    /// Other letter case: `iPhone`.
    Mixed = 4,
    /// Digits only: `2004`.
    Digits = 5,
    /// A number with separators or a percent sign: `2.000`, `30/11`, `7,5%`.
    Number = 6,
    /// Letters and digits: `A5`, `m3`, `U30`.
    Alnum = 7,
    /// Letters then a full stop: `TP.`, `H.`.
    Abbrev = 8,
    /// Anything else (`knock-out`, `www.a.vn`, other scripts).
    Other = 9,
}

/// Number of [`Shape`] values.
pub const SHAPES: usize = 10;

/// The key and shape of one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyed {
    /// Case-, normalization- and tone-placement-independent key.
    pub key: u64,
    pub shape: Shape,
}

/// Computes the key and shape of a token (a syllable, number or other word-like piece).
///
/// ```
/// use tintuc::analysis::segment::key::key_of;
/// assert_eq!(key_of("Hoà").key, key_of("hòa").key);
/// assert_ne!(key_of("hoa").key, key_of("hòa").key);
/// ```
pub fn key_of(token: &str) -> Keyed {
    let t = table();
    let mut key = 0u64;
    let mut tone = 0u16;
    let mut n = 0usize;
    let mut packable = true;
    let (mut upper, mut lower, mut digits, mut other) = (0usize, 0usize, 0usize, 0usize);
    let mut first_upper = false;
    let mut last = ' ';
    for c in token.chars() {
        let cp = c as usize;
        let e = if cp < TABLE_LEN { t[cp] } else { 0 };
        let code = (e >> 3) & 0x3F;
        if code == 0 {
            if cp >= 0x300 && is_combining_mark(c) {
                return slow_keyed(token);
            }
            packable = false;
            if c.is_uppercase() {
                first_upper |= upper + lower + digits + other == 0;
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            } else {
                other += 1;
            }
        } else {
            if code >= DIGIT_CODE {
                digits += 1;
            } else if e & UPPER_BIT != 0 {
                first_upper |= upper + lower + digits + other == 0;
                upper += 1;
            } else {
                lower += 1;
            }
            if packable {
                let tn = e & 7;
                if n == 9 || (tn != 0 && tone != 0) {
                    packable = false;
                } else {
                    if tn != 0 {
                        tone = tn;
                    }
                    key = (key << 6) | code as u64;
                    n += 1;
                }
            }
        }
        last = c;
    }
    let shape = classify(upper, lower, digits, other, first_upper, last);
    let key = if packable && n > 0 {
        (key << 3) | tone as u64
    } else {
        slow_key(token)
    };
    Keyed { key, shape }
}

/// Slots of a [`KeyCache`] (a power of two).
const CACHE_BITS: u32 = 14;
/// Longest token (in bytes) a [`KeyCache`] holds.
const CACHE_MAX: usize = 16;

/// A small direct-mapped cache of [`key_of`] results, keyed by the token's bytes
/// (exact: a hit gives what [`key_of`] gives). News text repeats a few thousand
/// syllables, so most lookups hit and skip the per-character work.
///
/// ```
/// use tintuc::analysis::segment::key::{KeyCache, key_of};
/// let mut cache = KeyCache::default();
/// assert_eq!(cache.get("Hoà"), key_of("Hoà"));
/// assert_eq!(cache.get("Hoà"), key_of("Hoà"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeyCache {
    slots: Vec<CacheSlot>,
    /// [`Model::uid`] of the model whose answers the slots hold (`known`).
    uid: u64,
}

#[derive(Debug, Clone, Copy)]
struct CacheSlot {
    bytes: [u64; 2],
    key: u64,
    /// The model's answer for `key` (valid when `known`).
    info: SylInfo,
    id: u32,
    /// Token length in bytes; 0 for an empty slot.
    len: u8,
    shape: Shape,
    /// `id` and `info` hold the answer of the model [`KeyCache::uid`].
    known: bool,
}

const EMPTY_SLOT: CacheSlot = CacheSlot {
    bytes: [0; 2],
    key: 0,
    info: SylInfo::UNKNOWN,
    id: UNK,
    len: 0,
    shape: Shape::Other,
    known: false,
};

impl KeyCache {
    /// The key and shape of `token`, as [`key_of`] computes them.
    #[inline]
    pub fn get(&mut self, token: &str) -> Keyed {
        match self.slot(token) {
            Some(slot) => Keyed {
                key: slot.key,
                shape: slot.shape,
            },
            None => key_of(token),
        }
    }

    /// The key and shape of `token` and what `model` knows of it
    /// ([`Model::syl`] of the key), both remembered.
    ///
    /// ```
    /// use tintuc::analysis::segment::key::{KeyCache, key_of};
    /// use tintuc::analysis::segment::model::Model;
    /// let model = Model::default();
    /// let mut cache = KeyCache::default();
    /// let (k, id, info) = cache.get_syl("Hoà", &model);
    /// assert_eq!(k, key_of("Hoà"));
    /// assert_eq!((id, info), model.syl(k.key));
    /// ```
    #[inline]
    pub fn get_syl(&mut self, token: &str, model: &Model) -> (Keyed, u32, SylInfo) {
        if self.uid != model.uid() {
            for s in &mut self.slots {
                s.known = false;
            }
            self.uid = model.uid();
        }
        match self.slot(token) {
            Some(slot) => {
                let k = Keyed {
                    key: slot.key,
                    shape: slot.shape,
                };
                if !slot.known {
                    (slot.id, slot.info) = model.syl(slot.key);
                    slot.known = true;
                }
                (k, slot.id, slot.info)
            }
            None => {
                let k = key_of(token);
                let (id, info) = model.syl(k.key);
                (k, id, info)
            }
        }
    }

    /// Starts loading the slot of `token` into the processor's cache (a hint: call it
    /// a few tokens ahead of [`KeyCache::get_syl`]).
    #[inline]
    pub fn prefetch(&self, token: &str) {
        let b = token.as_bytes();
        if b.is_empty() || b.len() > CACHE_MAX {
            return;
        }
        if let Some(s) = self.slots.get(slot_of(b).1) {
            super::table::prefetch((s as *const CacheSlot).cast());
        }
    }

    /// The slot holding `token` (filled with its key and shape on a miss), or `None`
    /// for tokens the cache does not hold.
    #[inline]
    fn slot(&mut self, token: &str) -> Option<&mut CacheSlot> {
        let b = token.as_bytes();
        if b.is_empty() || b.len() > CACHE_MAX {
            return None;
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY_SLOT; 1 << CACHE_BITS];
        }
        let (w, i) = slot_of(b);
        let slot = self.slots.get_mut(i)?;
        if !(slot.len as usize == b.len() && slot.bytes == w) {
            let k = key_of(token);
            *slot = CacheSlot {
                bytes: w,
                key: k.key,
                len: b.len() as u8,
                shape: k.shape,
                ..EMPTY_SLOT
            };
        }
        Some(slot)
    }
}

/// The packed bytes of a token of 1 to [`CACHE_MAX`] bytes and its slot index.
#[inline]
fn slot_of(b: &[u8]) -> ([u64; 2], usize) {
    let w = pack16(b);
    let h = (w[0] ^ w[1].rotate_left(23) ^ b.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (w, (h >> (64 - CACHE_BITS)) as usize)
}

/// Packs 1 to 16 bytes into two words, without copying byte by byte; for a given
/// length, different bytes give different words.
#[inline]
fn pack16(b: &[u8]) -> [u64; 2] {
    let n = b.len();
    let read8 = |at: usize| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&b[at..at + 8]);
        u64::from_le_bytes(a)
    };
    let read4 = |at: usize| {
        let mut a = [0u8; 4];
        a.copy_from_slice(&b[at..at + 4]);
        u32::from_le_bytes(a) as u64
    };
    if n >= 8 {
        [read8(0), read8(n - 8)]
    } else if n >= 4 {
        [read4(0) | (read4(n - 4) << 32), 0]
    } else {
        [
            b[0] as u64 | (b[n / 2] as u64) << 8 | (b[n - 1] as u64) << 16,
            0,
        ]
    }
}

/// Key and shape of a token with combining marks (NFD or unusual input).
fn slow_keyed(token: &str) -> Keyed {
    let n = crate::analysis::normalize(token);
    let key = fast_key(&n).unwrap_or_else(|| slow_key(&n));
    Keyed {
        key,
        shape: shape_of(token),
    }
}

/// Packs a token of table letters with at most one tone; `None` when it does not fit.
fn fast_key(token: &str) -> Option<u64> {
    let t = table();
    let mut key = 0u64;
    let mut tone = 0u16;
    let mut n = 0;
    for c in token.chars() {
        let e = *t.get(c as usize)?;
        let code = (e >> 3) & 0x3F;
        if code == 0 || n == 9 {
            return None;
        }
        let tn = e & 7;
        if tn != 0 {
            if tone != 0 {
                return None;
            }
            tone = tn;
        }
        key = (key << 6) | code as u64;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    Some((key << 3) | tone as u64)
}

/// Hashes any token: lowercase letters without tone marks, then the sorted tones.
fn slow_key(token: &str) -> u64 {
    use unicode_normalization::UnicodeNormalization;
    let t = table();
    let mut base = String::with_capacity(token.len() + 4);
    let mut tones: Vec<u8> = Vec::new();
    for c in token.nfc() {
        match t.get(c as usize).copied().filter(|e| (e >> 3) & 0x3F != 0) {
            Some(e) => {
                let code = ((e >> 3) & 0x3F) as usize;
                if code >= DIGIT_CODE as usize {
                    base.push(char::from(b'0' + (code - DIGIT_CODE as usize) as u8));
                } else {
                    base.push(LETTERS[code - 1]);
                }
                if e & 7 != 0 {
                    tones.push((e & 7) as u8);
                }
            }
            None => base.extend(c.to_lowercase()),
        }
    }
    tones.sort_unstable();
    base.push('\u{0}');
    for tn in tones {
        base.push(char::from(b'0' + tn));
    }
    xxhash_rust::xxh3::xxh3_64(base.as_bytes()) | HASHED
}

/// The shape of a token as written.
pub fn shape_of(token: &str) -> Shape {
    let mut upper = 0usize;
    let mut lower = 0usize;
    let mut digits = 0usize;
    let mut other = 0usize;
    let mut first_upper = false;
    let mut n = 0usize;
    let mut last = ' ';
    for c in token.chars() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_uppercase() {
            if n == 0 {
                first_upper = true;
            }
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        } else {
            other += 1;
        }
        last = c;
        n += 1;
    }
    classify(upper, lower, digits, other, first_upper, last)
}

fn classify(
    upper: usize,
    lower: usize,
    digits: usize,
    other: usize,
    first_upper: bool,
    last: char,
) -> Shape {
    let letters = upper + lower;
    if other == 0 {
        if letters == 0 {
            return Shape::Digits;
        }
        if digits > 0 {
            return Shape::Alnum;
        }
        return match (upper, lower) {
            (0, _) => Shape::Lower,
            (1, 0) => Shape::Initial,
            (_, 0) => Shape::Upper,
            (1, _) if first_upper => Shape::Cap,
            _ => Shape::Mixed,
        };
    }
    if letters == 0 && digits > 0 {
        return Shape::Number;
    }
    if other == 1 && last == '.' && digits == 0 && letters > 0 {
        return Shape::Abbrev;
    }
    Shape::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_table_needs_only_its_ranges() {
        assert_eq!(table().len(), TABLE_LEN);
        for (cp, &e) in table().iter().enumerate() {
            assert_eq!(e, entry(cp), "U+{cp:04X}");
        }
    }

    #[test]
    fn tone_placement_and_case_do_not_matter() {
        assert_eq!(key_of("hoà").key, key_of("hòa").key);
        assert_eq!(key_of("THUÝ").key, key_of("thúy").key);
        assert_eq!(key_of("Đảng").key, key_of("đảng").key);
        assert_eq!(key_of("Ðảng").key, key_of("đảng").key);
        // NFD input
        assert_eq!(key_of("Vie\u{302}\u{323}t").key, key_of("Việt").key);
        assert_eq!(key_of("Hoa\u{300}").key, key_of("hòa").key);
    }

    #[test]
    fn different_syllables_differ() {
        let words = [
            "a",
            "à",
            "á",
            "ả",
            "ã",
            "ạ",
            "ă",
            "â",
            "da",
            "đa",
            "ma",
            "mà",
            "nghiêng",
            "nghiềng",
            "ngh",
            "hoa",
            "hao",
            "2",
            "20",
            "200",
            "a2",
        ];
        let keys: std::collections::HashSet<u64> = words.iter().map(|w| key_of(w).key).collect();
        assert_eq!(keys.len(), words.len());
    }

    #[test]
    fn long_and_foreign_tokens_are_hashed_consistently() {
        let a = key_of("International").key;
        assert_ne!(a & HASHED, 0);
        assert_eq!(a, key_of("INTERNATIONAL").key);
        assert_eq!(key_of("TP.").key, key_of("tp.").key);
        assert_ne!(key_of("TP.").key, key_of("TP").key);
        assert_eq!(key_of("中国").key, key_of("中国").key);
        // two tones: hashed, placement-independent
        assert_eq!(key_of("àá").key, key_of("àá").key);
    }

    #[test]
    fn fast_and_slow_keys_agree_on_normalized_text() {
        for w in [
            "Nguyễn", "thuở", "khuya", "quý", "gì", "Trương", "ĐẮK", "hoà",
        ] {
            let fast = key_of(w).key;
            let norm = crate::analysis::normalize(w);
            let nfd: String = {
                use unicode_normalization::UnicodeNormalization;
                norm.nfd().collect()
            };
            assert_eq!(fast, key_of(&norm).key, "{w}");
            assert_eq!(fast, key_of(&nfd).key, "{w}");
        }
    }

    #[test]
    fn cache_gives_what_key_of_gives() {
        let mut cache = KeyCache::default();
        let words = [
            "nhà",
            "Nhà",
            "NHÀ",
            "Lộc",
            "2.000",
            "",
            "a",
            "nghiêng",
            "nghiềng",
            "International",
            "Vie\u{302}\u{323}t",
            "ĐẮK",
            "xxxxxxxxxxxxxxxx",
            "xxxxxxxxxxxxxxxy",
            "中国",
        ];
        for _ in 0..3 {
            for w in words {
                assert_eq!(cache.get(w), key_of(w), "{w}");
            }
        }
        // many distinct tokens: slots are overwritten, results stay exact
        for i in 0..20_000u32 {
            let w = format!("t{i}");
            assert_eq!(cache.get(&w), key_of(&w));
            assert_eq!(cache.get("nhà"), key_of("nhà"));
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape_of("nhà"), Shape::Lower);
        assert_eq!(shape_of("Lộc"), Shape::Cap);
        assert_eq!(shape_of("Đ"), Shape::Initial);
        assert_eq!(shape_of("HCM"), Shape::Upper);
        assert_eq!(shape_of("iPhone"), Shape::Mixed);
        assert_eq!(shape_of("2004"), Shape::Digits);
        assert_eq!(shape_of("2.000"), Shape::Number);
        assert_eq!(shape_of("7,5%"), Shape::Number);
        assert_eq!(shape_of("A5"), Shape::Alnum);
        assert_eq!(shape_of("TP."), Shape::Abbrev);
        assert_eq!(shape_of("knock-out"), Shape::Other);
        assert_eq!(shape_of("Vie\u{302}\u{323}t"), Shape::Cap);
        for t in [
            "nhà",
            "Lộc",
            "Đ",
            "HCM",
            "iPhone",
            "2004",
            "2.000",
            "7,5%",
            "A5",
            "TP.",
            "x-y",
            "中国",
            "Ωmega",
            "²",
            "ÐẠI",
            "ǅ",
            "Vie\u{302}\u{323}t",
            "",
        ] {
            assert_eq!(key_of(t).shape, shape_of(t), "{t}");
        }
    }
}

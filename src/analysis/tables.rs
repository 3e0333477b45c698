//! Lookup tables for Vietnamese letters, built at compile time.
//!
//! A Vietnamese vowel letter is a *base vowel* (one of the twelve `a ă â e ê i o ô ơ u ư y`,
//! which already carry their vowel marks) plus one of six *tones* (none, grave, acute,
//! hook above, tilde, dot below). [`lookup`] takes any precomposed Vietnamese letter,
//! upper or lower case, to its base vowel, tone and case in one table read; [`compose`]
//! goes back. Together they let the tokenizer normalize, move tone marks and fold a
//! syllable in one pass without calling Unicode normalization.

/// Number of base vowels.
pub(crate) const N_VOWELS: usize = 12;

/// The base vowels, lower case, by vowel id.
#[cfg(test)]
pub(crate) const VOWELS: [char; N_VOWELS] =
    ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];

/// Vowel ids used by the tone-placement rule.
pub(crate) const V_A: u8 = 0;
pub(crate) const V_A_BREVE: u8 = 1;
pub(crate) const V_A_CIRC: u8 = 2;
pub(crate) const V_E: u8 = 3;
pub(crate) const V_E_CIRC: u8 = 4;
pub(crate) const V_I: u8 = 5;
pub(crate) const V_O: u8 = 6;
pub(crate) const V_O_CIRC: u8 = 7;
pub(crate) const V_O_HORN: u8 = 8;
pub(crate) const V_U: u8 = 9;
pub(crate) const V_U_HORN: u8 = 10;
pub(crate) const V_Y: u8 = 11;

/// The folded (unmarked ASCII) letter of each base vowel.
pub(crate) const FOLD_VOWEL: [char; N_VOWELS] =
    ['a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'];

/// [`FOLD_VOWEL`] as bytes.
pub(crate) const FOLD_VOWEL_BYTE: [u8; N_VOWELS] = *b"aaaeeiooouuy";

/// True for the base vowels that carry a vowel mark (ă â ê ô ơ ư).
pub(crate) const MARKED_VOWEL: [bool; N_VOWELS] = [
    false, true, true, false, true, false, false, true, true, false, true, false,
];

/// Tones, in the order of [`COMPOSE`]'s columns.
pub(crate) const TONE_NONE: u8 = 0;
/// Grave (huyền).
pub(crate) const TONE_GRAVE: u8 = 1;
/// Acute (sắc).
pub(crate) const TONE_ACUTE: u8 = 2;
/// Hook above (hỏi).
pub(crate) const TONE_HOOK: u8 = 3;
/// Tilde (ngã).
pub(crate) const TONE_TILDE: u8 = 4;
/// Dot below (nặng).
pub(crate) const TONE_DOT: u8 = 5;

/// Precomposed lower-case letter for each base vowel (row) and tone (column).
pub(crate) const COMPOSE: [[char; 6]; N_VOWELS] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// The lower-case precomposed letter for a base vowel and tone.
#[inline]
pub(crate) fn compose(vowel: u8, tone: u8) -> char {
    COMPOSE
        .get(usize::from(vowel))
        .and_then(|row| row.get(usize::from(tone)))
        .copied()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The upper-case form of a lower-case letter of [`COMPOSE`] (they pair up regularly:
/// Latin-1 letters 0x20 apart, the others are adjacent code points).
const fn upper_of(lower: u32) -> u32 {
    if lower < 0x100 {
        lower - 0x20
    } else {
        lower - 1
    }
}

/// Letter id stored in a table entry's low four bits: `1 + vowel id` for vowels.
pub(crate) const ID_D_STROKE: u8 = 13;
/// Entry flag: the letter is upper case.
pub(crate) const UPPER: u8 = 0x80;

const LATIN_LO: u32 = 0xC0;
const LATIN_HI: u32 = 0x1B0;
const EXT_LO: u32 = 0x1EA0;
const EXT_HI: u32 = 0x1EF9;
const LATIN_LEN: usize = (LATIN_HI - LATIN_LO + 1) as usize;
const EXT_LEN: usize = (EXT_HI - EXT_LO + 1) as usize;

const fn entry(vowel: usize, tone: usize, upper: bool) -> u8 {
    (1 + vowel as u8) | ((tone as u8) << 4) | if upper { UPPER } else { 0 }
}

const fn build<const N: usize>(lo: u32) -> [u8; N] {
    let mut t = [0u8; N];
    let hi = lo + N as u32;
    let mut v = 0;
    while v < N_VOWELS {
        let mut tone = 0;
        while tone < 6 {
            let lower = COMPOSE[v][tone] as u32;
            let upper = upper_of(lower);
            if lower >= lo && lower < hi {
                t[(lower - lo) as usize] = entry(v, tone, false);
            }
            if upper >= lo && upper < hi {
                t[(upper - lo) as usize] = entry(v, tone, true);
            }
            tone += 1;
        }
        v += 1;
    }
    // đ and its look-alikes: Đ (U+0110), Ð (U+00D0, eth), ð (U+00F0), Ɖ (U+0189).
    let ds: [(u32, bool); 5] = [
        (0x0111, false),
        (0x0110, true),
        (0x00D0, true),
        (0x00F0, false),
        (0x0189, true),
    ];
    let mut i = 0;
    while i < ds.len() {
        let (c, upper) = ds[i];
        if c >= lo && c < hi {
            t[(c - lo) as usize] = ID_D_STROKE | if upper { UPPER } else { 0 };
        }
        i += 1;
    }
    t
}

static LATIN: [u8; LATIN_LEN] = build::<LATIN_LEN>(LATIN_LO);
static EXT: [u8; EXT_LEN] = build::<EXT_LEN>(EXT_LO);

/// Table entry of a non-ASCII letter: 0 when it is not a precomposed Vietnamese letter;
/// otherwise low four bits = letter id (`1 + vowel id`, or [`ID_D_STROKE`]),
/// bits 4–6 = tone, bit 7 = [`UPPER`].
#[inline]
pub(crate) fn lookup(c: char) -> u8 {
    let u = c as u32;
    if (LATIN_LO..=LATIN_HI).contains(&u) {
        LATIN[(u - LATIN_LO) as usize]
    } else if (EXT_LO..=EXT_HI).contains(&u) {
        EXT[(u - EXT_LO) as usize]
    } else {
        0
    }
}

/// [`lookup`] straight from UTF-8 bytes: the entry of the character whose encoding
/// starts with `b0 b1 b2` (`b0` ≥ 0x80, a lead byte of valid UTF-8) and its length in
/// bytes; the entry is 0 when the character is not a precomposed Vietnamese letter.
#[inline]
pub(crate) fn lookup_utf8(b0: u8, b1: u8, b2: u8) -> (u8, usize) {
    match b0 {
        0xC3..=0xC6 => {
            let cp = (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F);
            let e = LATIN.get((cp - LATIN_LO) as usize).copied().unwrap_or(0);
            (e, 2)
        }
        0xE1 if b1 == 0xBA || b1 == 0xBB => {
            let cp = 0x1000 | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            let e = cp
                .checked_sub(EXT_LO)
                .and_then(|k| EXT.get(k as usize))
                .copied()
                .unwrap_or(0);
            (e, 3)
        }
        _ => (0, 0),
    }
}

/// A combining mark that Vietnamese text uses (NFD, Windows-1258, typed input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// A tone mark ([`TONE_GRAVE`] ..= [`TONE_DOT`]).
    Tone(u8),
    /// U+0302 combining circumflex.
    Circumflex,
    /// U+0306 combining breve.
    Breve,
    /// U+031B combining horn.
    Horn,
}

/// The Vietnamese meaning of a combining mark, if it has one.
#[inline]
pub(crate) fn vietnamese_mark(c: char) -> Option<Mark> {
    Some(match c {
        '\u{0300}' | '\u{0340}' => Mark::Tone(TONE_GRAVE),
        '\u{0301}' | '\u{0341}' => Mark::Tone(TONE_ACUTE),
        '\u{0309}' => Mark::Tone(TONE_HOOK),
        '\u{0303}' => Mark::Tone(TONE_TILDE),
        '\u{0323}' => Mark::Tone(TONE_DOT),
        '\u{0302}' => Mark::Circumflex,
        '\u{0306}' => Mark::Breve,
        '\u{031B}' => Mark::Horn,
        _ => return None,
    })
}

/// The base vowel that a vowel mark makes of `vowel`, if that combination exists.
#[inline]
pub(crate) fn apply_vowel_mark(vowel: u8, mark: Mark) -> Option<u8> {
    match (vowel, mark) {
        (V_A, Mark::Circumflex) => Some(V_A_CIRC),
        (V_A, Mark::Breve) => Some(V_A_BREVE),
        (V_E, Mark::Circumflex) => Some(V_E_CIRC),
        (V_O, Mark::Circumflex) => Some(V_O_CIRC),
        (V_O, Mark::Horn) => Some(V_O_HORN),
        (V_U, Mark::Horn) => Some(V_U_HORN),
        _ => None,
    }
}

/// Vowel id of an ASCII byte, or [`NOT_VOWEL`].
pub(crate) const NOT_VOWEL: u8 = u8::MAX;

/// Vowel id of each ASCII byte (either case), or [`NOT_VOWEL`].
pub(crate) static ASCII_VOWEL: [u8; 128] = {
    let mut t = [NOT_VOWEL; 128];
    let pairs = [
        (b'a', V_A),
        (b'e', V_E),
        (b'i', V_I),
        (b'o', V_O),
        (b'u', V_U),
        (b'y', V_Y),
    ];
    let mut k = 0;
    while k < pairs.len() {
        t[pairs[k].0 as usize] = pairs[k].1;
        t[(pairs[k].0 - 0x20) as usize] = pairs[k].1;
        k += 1;
    }
    t
};

/// Vowel id of an ASCII letter (either case), or `None` for consonants.
#[inline]
pub(crate) fn ascii_vowel(b: u8) -> Option<u8> {
    match b | 0x20 {
        b'a' => Some(V_A),
        b'e' => Some(V_E),
        b'i' => Some(V_I),
        b'o' => Some(V_O),
        b'u' => Some(V_U),
        b'y' => Some(V_Y),
        _ => None,
    }
}

/// Combining marks that folding removes: the general diacritic blocks (not the vowel
/// signs of other scripts, which are letters there).
#[inline]
pub(crate) fn is_foldable_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters skipped inside a word without splitting it: soft hyphen, zero-width
/// (non-)joiners, word joiner, zero-width no-break space.
#[inline]
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_precomposed_letter_round_trips_in_both_cases() {
        for (v, row) in COMPOSE.iter().enumerate() {
            for (tone, &lower) in row.iter().enumerate() {
                let upper = lower.to_uppercase().next().unwrap();
                assert_eq!(upper as u32, upper_of(lower as u32), "{lower}");
                for (c, is_upper) in [(lower, false), (upper, true)] {
                    if c.is_ascii() {
                        assert_eq!(ascii_vowel(c as u8), Some(v as u8));
                        continue;
                    }
                    let e = lookup(c);
                    assert_eq!(e & 0x0F, 1 + v as u8, "{c}");
                    assert_eq!((e >> 4) & 0x07, tone as u8, "{c}");
                    assert_eq!(e & UPPER != 0, is_upper, "{c}");
                    assert_eq!(compose(v as u8, tone as u8), lower);
                    assert_eq!(COMPOSE[v][0], VOWELS[v]);
                }
            }
        }
    }

    #[test]
    fn byte_lookup_agrees_with_char_lookup() {
        for cp in 0x80..0x2000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let (e, len) = lookup_utf8(
                b[0],
                b.get(1).copied().unwrap_or(0),
                b.get(2).copied().unwrap_or(0),
            );
            assert_eq!(e, lookup(c), "{c:?}");
            if e != 0 {
                assert_eq!(len, c.len_utf8());
            }
        }
    }

    #[test]
    fn d_stroke_and_look_alikes() {
        for c in ['đ', 'ð'] {
            assert_eq!(lookup(c), ID_D_STROKE);
        }
        for c in ['Đ', 'Ð', 'Ɖ'] {
            assert_eq!(lookup(c), ID_D_STROKE | UPPER);
        }
    }

    #[test]
    fn other_letters_are_not_vietnamese() {
        for c in ['ä', 'ç', 'ñ', 'ß', 'ø', 'Ü', 'ł', 'ș', 'я', '中'] {
            assert_eq!(lookup(c), 0, "{c}");
        }
    }

    #[test]
    fn combining_marks() {
        assert_eq!(vietnamese_mark('\u{0323}'), Some(Mark::Tone(TONE_DOT)));
        assert_eq!(vietnamese_mark('\u{0341}'), Some(Mark::Tone(TONE_ACUTE)));
        assert_eq!(vietnamese_mark('\u{0308}'), None);
        assert_eq!(apply_vowel_mark(V_U, Mark::Horn), Some(V_U_HORN));
        assert_eq!(apply_vowel_mark(V_E, Mark::Breve), None);
    }
}

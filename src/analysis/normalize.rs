//! Normalization and folding: the canonical and the accent-free form of a syllable.
//!
//! # Canonical form ([`normalize`])
//!
//! Every letter run (a syllable, or any other run of letters; see
//! [`tokenize`](mod@super::tokenize) for what a run is) is brought to one form, so that
//! the same word typed in any of its usual ways gives the same index term:
//!
//! 1. **Unicode NFC.** Decomposed text (NFD, Windows-1258 style base letter + combining
//!    tone mark, macOS file names) becomes precomposed. Vietnamese letters are composed
//!    from their tables directly, in any order of the marks (`e` + U+0323 + U+0302 and
//!    `e` + U+0302 + U+0323 both give `ệ`); any other combining mark sends the run
//!    through `unicode-normalization`'s NFC.
//! 2. **Look-alike letters.** `Ð` (U+00D0, eth), `ð` (U+00F0) and `Ɖ` (U+0189) read as
//!    `đ`.
//! 3. **Lower case**, including `Đ`→`đ` and every precomposed Vietnamese capital.
//! 4. **One tone-mark placement** (below).
//! 5. Soft hyphens and zero-width (non-)joiners inside a word are dropped.
//!
//! Spelling variants that are not about mark placement (`kỹ`/`kĩ`, `lý`/`lí`) are
//! different words here; so are digits with and without leading zeros.
//!
//! # Tone-mark placement
//!
//! Vietnamese has two customs for where the tone mark goes in an open syllable with
//! the rhymes *oa*, *oe*, *uy*: the traditional ("old") style puts it on the first
//! vowel (`hòa`, `khỏe`, `thủy`), the reformed ("new") style on the main vowel, which
//! is the second (`hoà`, `khoẻ`, `thuỷ`). tintuc's canonical form is the **new style,
//! tone on the main vowel**: it is the linguistic rule, and it is also what most of our
//! news corpus uses (`hoà` 11,118 times against `hòa` 1,561; `thuỷ` 1,534 against
//! `thủy` 825). The old style and misplaced marks (`qúy`, `gìa`) are moved. The full
//! rule, applied to every syllable that has exactly one tone mark and one contiguous
//! group of vowels (`a ă â e ê i o ô ơ u ư y`):
//!
//! 1. After a `q` the `u` belongs to the onset (`qu`), and after a leading `g` an `i`
//!    followed by another vowel belongs to the onset (`gi`): they never carry the
//!    tone (`qúy`→`quý`, `gìa`→`già`, `giữa`).
//! 2. If the remaining vowel group has one vowel, the tone goes on it.
//! 3. Otherwise, if it has a vowel with a vowel mark (`ă â ê ô ơ u ư`), the tone goes on
//!    it; on the last one if there are two (`ươ`: `người`, `được`; `uô`: `muốn`;
//!    `iê`/`yê`: `tiếng`, `yếu`; `ưu`: `cứu`).
//! 4. Otherwise, if a consonant follows the vowels, on the last vowel (`hoàn`, `toán`,
//!    `huỳnh`, `xoóng`).
//! 5. Otherwise, with three vowels, on the middle one (`ngoài`, `xoáy`, `khuỷu`).
//! 6. Otherwise (two vowels, open syllable): on the second vowel for `oa`, `oe`, `uy`
//!    (`hoà`, `khoẻ`, `thuỷ`), on the first for every other pair (`tài`, `sáo`, `mía`,
//!    `múa`, `túi`, `gửi`).
//!
//! A run with several tone marks, vowels in more than one group (`café`, `José`) or
//! letters from outside the Vietnamese alphabet keeps its marks where they are.
//!
//! # Folded form ([`fold`])
//!
//! The canonical form without tone marks and without vowel marks, `đ`→`d`
//! (`Đảng ủy` → `dang uy`, `Nguyễn` → `nguyen`). Letters of other languages lose their
//! diacritics the same way (canonical decomposition, combining diacritics dropped:
//! `é`→`e`, `ñ`→`n`); letters without a decomposition stay (`ø`, `ß`, `ł`).
//!
//! [`has_diacritics`] tells whether a text's canonical and folded forms differ: true
//! when it has any tone or vowel mark or `đ`. The search planner uses it to send a
//! query term to the exact field (it has marks) or the folded field (it has none).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::tables::{
    self, FOLD_VOWEL, ID_D_STROKE, MARKED_VOWEL, Mark, TONE_NONE, V_A, V_E, V_I, V_O, V_U, V_Y,
};

/// `Letter::vowel` of a letter that is not a vowel.
const NO_VOWEL: u8 = tables::NOT_VOWEL;

/// One letter of the run being normalized.
#[derive(Debug, Clone, Copy)]
struct Letter {
    /// Lower-case letter (for a vowel: unused, see `vowel`).
    ch: char,
    /// Folded letter, or `'\0'` when folding drops it.
    fold: char,
    /// Base vowel id, or [`NO_VOWEL`].
    vowel: u8,
    /// Tone of a vowel.
    tone: u8,
}

impl Letter {
    #[inline]
    fn consonant(ch: char, fold: char) -> Letter {
        Letter {
            ch,
            fold,
            vowel: NO_VOWEL,
            tone: TONE_NONE,
        }
    }
    #[inline]
    fn vowel(vowel: u8, tone: u8) -> Letter {
        Letter {
            ch: '\0',
            fold: '\0',
            vowel,
            tone,
        }
    }
}

/// Reusable state for normalizing letter runs without allocating per run.
#[derive(Debug, Default, Clone)]
pub(crate) struct RunNormalizer {
    letters: Vec<Letter>,
    scratch: String,
    /// What the last [`scan`](Self::scan) found about its letters.
    state: State,
}

/// What the quick scan over a run found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Only ASCII and Vietnamese letters and marks, all understood.
    #[default]
    Vietnamese,
    /// Some letters outside the Vietnamese alphabet (no tone moving then).
    Foreign,
    /// A combining mark that only full NFC can place.
    NeedsNfc,
}

/// What [`RunNormalizer::scan`] found: the extent of one letter run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunScan {
    /// End of the last letter or mark (trailing ignorables excluded).
    pub end: usize,
    /// Where scanning stopped (after trailing ignorables).
    pub next: usize,
    /// The run is pure ASCII.
    pub ascii: bool,
    /// The run has more letters than the scan's limit (its letters were not all read).
    pub overflow: bool,
}

/// True for a character that starts a letter run.
#[inline]
pub(crate) fn starts_run(c: char) -> bool {
    c.is_ascii_alphabetic() || tables::lookup(c) != 0 || is_run_letter(c)
}

/// Letter count and case of a letter run: (letters, first is upper case, all are).
pub(crate) fn run_shape(run: &str) -> (usize, bool, bool) {
    let mut letters = 0;
    let mut first_upper = false;
    let mut all_upper = true;
    for c in run.chars() {
        let e = tables::lookup(c);
        let upper = if e != 0 {
            e & tables::UPPER != 0
        } else if c.is_alphanumeric() {
            c.is_uppercase()
        } else {
            continue;
        };
        if letters == 0 {
            first_upper = upper;
        }
        all_upper &= upper;
        letters += 1;
    }
    (letters, first_upper, all_upper)
}

/// Decodes the non-ASCII character starting at `i` (a character boundary of valid
/// UTF-8): the character and its length.
#[inline]
fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0) & 0x3F);
    let b0 = u32::from(bytes.get(i).copied().unwrap_or(0));
    let (cp, len) = if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | b(1), 2)
    } else if b0 < 0xF0 {
        (((b0 & 0x0F) << 12) | (b(1) << 6) | b(2), 3)
    } else {
        (((b0 & 0x07) << 18) | (b(1) << 12) | (b(2) << 6) | b(3), 4)
    };
    (
        char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER),
        len,
    )
}

impl RunNormalizer {
    /// Scans the letter run that starts at `start` in `text` (where a letter is) and
    /// reads its letters, at most `limit` of them: a longer run is only scanned to its
    /// end and flagged [`RunScan::overflow`]. [`write`](Self::write) then gives its forms.
    pub(crate) fn scan(&mut self, text: &str, start: usize, limit: usize) -> RunScan {
        let bytes = text.as_bytes();
        let mut i = start;
        // Pure ASCII runs, the common case, are only lowercased: no letters to read.
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] < 0x80 {
            return RunScan {
                end: i,
                next: i,
                ascii: true,
                overflow: i - start > limit,
            };
        }
        self.letters.clear();
        self.state = State::Vietnamese;
        let mut overflow = i - start > limit;
        if !overflow {
            bytes[start..i].iter().for_each(|&b| self.push_ascii(b));
        }
        let mut end = i;
        while i < bytes.len() {
            let b = bytes[i];
            let letter = b.is_ascii_alphabetic();
            if letter || b >= 0x80 {
                overflow |= self.letters.len() >= limit;
            }
            if b < 0x80 {
                if !letter {
                    break;
                }
                if !overflow {
                    self.push_ascii(b);
                }
                i += 1;
                end = i;
                continue;
            }
            let (c, len) = decode_at(bytes, i);
            let e = tables::lookup(c);
            if e != 0 {
                if !overflow {
                    let id = e & 0x0F;
                    self.letters.push(if id == ID_D_STROKE {
                        Letter::consonant('đ', 'd')
                    } else {
                        Letter::vowel(id - 1, (e >> 4) & 0x07)
                    });
                }
                i += len;
                end = i;
            } else if let Some(m) = tables::vietnamese_mark(c) {
                if !overflow && !absorb(&mut self.letters, m) {
                    self.state = State::NeedsNfc;
                }
                i += len;
                end = i;
            } else if is_run_letter(c) {
                if !overflow {
                    if self.state == State::Vietnamese {
                        self.state = State::Foreign;
                    }
                    push_foreign(c, &mut self.letters);
                }
                i += len;
                end = i;
            } else if is_combining_mark(c) {
                self.state = State::NeedsNfc;
                i += len;
                end = i;
            } else if tables::is_ignorable(c) {
                i += len;
            } else {
                break;
            }
        }
        RunScan {
            end,
            next: i,
            ascii: false,
            overflow,
        }
    }

    #[inline]
    fn push_ascii(&mut self, b: u8) {
        let v = tables::ASCII_VOWEL[usize::from(b & 0x7F)];
        self.letters.push(if v != NO_VOWEL {
            Letter::vowel(v, TONE_NONE)
        } else {
            let l = b.to_ascii_lowercase() as char;
            Letter::consonant(l, l)
        });
    }

    /// Appends the canonical and folded forms of the run last [`scan`](Self::scan)ned
    /// to `norm` and `fold`; `run` is its text (`start..scan.end`).
    pub(crate) fn write(
        &mut self,
        run: &str,
        scan: &RunScan,
        norm: &mut String,
        fold: &mut String,
    ) {
        if scan.ascii {
            push_ascii_lower(run, norm);
            push_ascii_lower(run, fold);
            return;
        }
        let foreign = match self.state {
            State::Vietnamese => false,
            State::Foreign => {
                self.nfc_pass(run);
                true
            }
            State::NeedsNfc => self.nfc_pass(run),
        };
        if !foreign {
            place_tone(&mut self.letters);
        }
        for l in &self.letters {
            if l.vowel != NO_VOWEL {
                norm.push(tables::compose(l.vowel, l.tone));
                fold.push(FOLD_VOWEL[l.vowel as usize]);
            } else {
                norm.push(l.ch);
                if l.fold != '\0' {
                    fold.push(l.fold);
                }
            }
        }
    }

    /// Appends the canonical and the folded form of `run`, a letter run as
    /// [`pieces`] gives it, to `norm` and `fold`.
    pub(crate) fn run(&mut self, run: &str, norm: &mut String, fold: &mut String) {
        if run.is_empty() {
            return;
        }
        let scan = self.scan(run, 0, usize::MAX);
        self.write(&run[..scan.end], &scan, norm, fold);
    }

    /// Redoes the letters from the NFC form of the lower-cased `run` without ignorable
    /// characters (lower case first: lower-casing can undo NFC, `İ` → `i` + U+0307); true when some letters are
    /// foreign (outside the Vietnamese alphabet) or marks stay uncomposed.
    fn nfc_pass(&mut self, run: &str) -> bool {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.extend(
            run.chars()
                .filter(|&c| !tables::is_ignorable(c))
                .flat_map(char::to_lowercase)
                .nfc(),
        );
        self.letters.clear();
        let foreign = lenient_pass(&scratch, &mut self.letters);
        self.scratch = scratch;
        foreign
    }
}

#[inline]
fn push_ascii_lower(s: &str, out: &mut String) {
    let start = out.len();
    out.push_str(s);
    out[start..].make_ascii_lowercase();
}

/// Adds a Vietnamese combining mark to the last letter; false when it does not fit.
#[inline]
fn absorb(letters: &mut [Letter], mark: Mark) -> bool {
    let Some(last) = letters.last_mut() else {
        return false;
    };
    if last.vowel == NO_VOWEL {
        return false;
    }
    match mark {
        Mark::Tone(t) if last.tone == TONE_NONE => {
            last.tone = t;
            true
        }
        Mark::Tone(_) => false,
        m => match tables::apply_vowel_mark(last.vowel, m) {
            Some(v) => {
                last.vowel = v;
                true
            }
            None => false,
        },
    }
}

/// Pushes the lower-case letter(s) of a non-Vietnamese, non-ASCII character.
#[inline]
fn push_foreign(c: char, letters: &mut Vec<Letter>) {
    for lc in c.to_lowercase() {
        letters.push(Letter::consonant(lc, fold_foreign(lc)));
    }
}

/// Pushes an ASCII or precomposed Vietnamese letter; false when `c` is neither.
#[inline]
fn push_vietnamese(c: char, letters: &mut Vec<Letter>) -> bool {
    if c.is_ascii() {
        let b = c as u8;
        let l = b.to_ascii_lowercase() as char;
        letters.push(match tables::ascii_vowel(b) {
            Some(v) if b.is_ascii_alphabetic() => Letter::vowel(v, TONE_NONE),
            _ => Letter::consonant(l, l),
        });
        return true;
    }
    let e = tables::lookup(c);
    if e == 0 {
        return false;
    }
    let id = e & 0x0F;
    letters.push(if id == ID_D_STROKE {
        Letter::consonant('đ', 'd')
    } else {
        Letter::vowel(id - 1, (e >> 4) & 0x07)
    });
    true
}

/// The pass over NFC text: marks that fit nothing are kept as they are. Returns
/// whether any letter is foreign or any mark was kept.
fn lenient_pass(run: &str, letters: &mut Vec<Letter>) -> bool {
    let mut foreign = false;
    for c in run.chars() {
        if push_vietnamese(c, letters) {
            continue;
        }
        if let Some(m) = tables::vietnamese_mark(c)
            && absorb(letters, m)
        {
            continue;
        }
        if tables::is_ignorable(c) {
            continue;
        }
        foreign = true;
        if is_combining_mark(c) {
            let f = if tables::is_foldable_mark(c) { '\0' } else { c };
            letters.push(Letter::consonant(c, f));
        } else {
            push_foreign(c, letters);
        }
    }
    foreign
}

/// Folded form of a lower-case letter outside the Vietnamese tables: its canonical
/// decomposition without combining diacritics when that leaves one character.
fn fold_foreign(c: char) -> char {
    if tables::is_foldable_mark(c) {
        return '\0';
    }
    let mut first = None;
    let mut count = 0;
    decompose_canonical(c, |d| {
        if !tables::is_foldable_mark(d) {
            count += 1;
            first.get_or_insert(d);
        }
    });
    match (count, first) {
        (1, Some(f)) => f,
        _ => c,
    }
}

/// Moves the single tone mark of a Vietnamese syllable to its canonical vowel
/// (rules in the module documentation).
fn place_tone(letters: &mut [Letter]) {
    let onset = letters
        .first()
        .map_or(0, |l| if l.ch.is_ascii() { l.ch as u8 } else { 0 });
    if let Some((from, to)) = tone_move(
        letters.len(),
        |i| letters[i].vowel,
        |i| letters[i].tone,
        onset,
    ) {
        letters[to].tone = letters[from].tone;
        letters[from].tone = TONE_NONE;
    }
}

/// The tone-placement rule over a syllable of `n` letters, given each letter's vowel id
/// ([`NO_VOWEL`] for consonants) and tone, and the first letter (lower-case ASCII, or 0):
/// `Some((from, to))` when the tone must move from letter `from` to letter `to`.
#[inline]
fn tone_move(
    n: usize,
    vowel: impl Fn(usize) -> u8,
    tone: impl Fn(usize) -> u8,
    onset: u8,
) -> Option<(usize, usize)> {
    let mut toned = None;
    let mut first_vowel = None;
    let mut end_vowels = 0;
    for i in 0..n {
        if vowel(i) == NO_VOWEL {
            continue;
        }
        if tone(i) != TONE_NONE {
            if toned.is_some() {
                return None; // several tone marks
            }
            toned = Some(i);
        }
        match first_vowel {
            None => first_vowel = Some(i),
            Some(_) if end_vowels != i => return None, // a second vowel group
            Some(_) => {}
        }
        end_vowels = i + 1;
    }
    let (t, mut vs) = (toned?, first_vowel?);
    let ve = end_vowels;
    if vs == 1 && ve - vs >= 2 {
        let v = vowel(1);
        if (onset == b'q' && v == V_U) || (onset == b'g' && v == V_I) {
            vs += 1;
        }
    }
    let coda = ve < n;
    let len = ve - vs;
    let target = if len == 1 {
        vs
    } else if let Some(k) = (vs..ve)
        .rev()
        .find(|&k| MARKED_VOWEL.get(usize::from(vowel(k))) == Some(&true))
    {
        k
    } else if coda {
        ve - 1
    } else if len == 3 {
        vs + 1
    } else if len == 2 {
        match (vowel(vs), vowel(vs + 1)) {
            (V_O, V_A) | (V_O, V_E) | (V_U, V_Y) => vs + 1,
            _ => vs,
        }
    } else {
        return None;
    };
    (target != t).then_some((t, target))
}

/// Most letters the fast path takes (longer runs go the general way).
const FAST_LETTERS: usize = 24;

/// Marker in the fast path's letter codes: `đ`.
const CODE_D_STROKE: u8 = 0xFE;

/// The fast path for the common run: ASCII letters and precomposed Vietnamese letters
/// only, at most [`FAST_LETTERS`] of them. Appends the canonical and folded forms and
/// returns the end of the run, or returns `None` (appending nothing) when the run needs
/// the general path ([`RunNormalizer::scan`] and [`RunNormalizer::write`]). Both paths
/// give the same result.
#[inline]
pub(crate) fn fast_run(
    text: &str,
    start: usize,
    norm: &mut String,
    fold: &mut String,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let fold_start = fold.len();
    // Per letter: vowel id | tone << 4, NO_VOWEL for a consonant (its folded letter is
    // in `fold`), CODE_D_STROKE for `đ`.
    let mut codes = [NO_VOWEL; FAST_LETTERS];
    let mut n = 0;
    let mut lower = true;
    let mut vowels = 0u32;
    let mut tones = 0u32;
    let mut ascii = true;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        let Some(slot) = codes.get_mut(n) else {
            fold.truncate(fold_start);
            return None;
        };
        if b < 0x80 {
            if !b.is_ascii_alphabetic() {
                break;
            }
            let l = b | 0x20;
            lower &= b == l;
            let v = tables::ASCII_VOWEL[usize::from(l & 0x7F)];
            vowels += u32::from(v != NO_VOWEL);
            *slot = v;
            fold.push(char::from(l));
            i += 1;
        } else {
            ascii = false;
            let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
            let (e, len) = tables::lookup_utf8(b, at(1), at(2));
            if e == 0 {
                let (c, _) = decode_at(bytes, i);
                if starts_run(c) || is_combining_mark(c) || tables::is_ignorable(c) {
                    fold.truncate(fold_start);
                    return None;
                }
                break;
            }
            lower &= e & tables::UPPER == 0;
            let id = e & 0x0F;
            if id == ID_D_STROKE {
                // Only `đ` itself is canonical; `Đ`, `ð`, `Ð`, `Ɖ` are rewritten.
                lower &= b == 0xC4 && at(1) == 0x91;
                *slot = CODE_D_STROKE;
                fold.push('d');
            } else {
                let v = id - 1;
                *slot = v | (e & 0x70);
                vowels += 1;
                tones += u32::from(e & 0x70 != 0);
                fold.push(char::from(tables::FOLD_VOWEL_BYTE[usize::from(v)]));
            }
            i += len;
        }
        n += 1;
    }
    if ascii {
        // Pure ASCII words (English, codes, Vietnamese without marks): `fold` already
        // holds the lower-cased word.
        if lower {
            norm.push_str(text.get(start..i).unwrap_or_default());
        } else {
            norm.push_str(fold.get(fold_start..).unwrap_or_default());
        }
        return Some(i);
    }
    let folded = &fold.as_bytes()[fold_start..];
    let moved = if tones == 1 && vowels >= 2 {
        let vowel = |k: usize| {
            let c = codes[k];
            if c >= CODE_D_STROKE {
                NO_VOWEL
            } else {
                c & 0x0F
            }
        };
        let tone = |k: usize| {
            let c = codes[k];
            if c >= CODE_D_STROKE {
                TONE_NONE
            } else {
                c >> 4
            }
        };
        let onset = if codes[0] == NO_VOWEL { folded[0] } else { 0 };
        tone_move(n, vowel, tone, onset)
    } else {
        None
    };
    if lower && moved.is_none() {
        norm.push_str(text.get(start..i).unwrap_or_default());
    } else {
        if let Some((from, to)) = moved {
            codes[to] = (codes[to] & 0x0F) | (codes[from] & 0x70);
            codes[from] &= 0x0F;
        }
        for (&c, &f) in codes[..n].iter().zip(folded) {
            match c {
                NO_VOWEL => norm.push(char::from(f)),
                CODE_D_STROKE => norm.push('đ'),
                c => norm.push(tables::compose(c & 0x0F, c >> 4)),
            }
        }
    }
    Some(i)
}

/// A span of `text` that is a letter run (normalized) or lies between runs (kept).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    Run(&'a str),
    Gap(&'a str),
}

/// True for characters that start or continue a letter run (besides ASCII letters).
#[inline]
pub(crate) fn is_run_letter(c: char) -> bool {
    !c.is_ascii_digit() && c.is_alphanumeric()
}

/// Splits `text` into letter runs and gaps, the way the tokenizer sees them.
pub(crate) fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let in_run = starts_run(first);
        let mut end = rest.len();
        for (i, c) in rest.char_indices().skip(1) {
            let stop = if in_run {
                !(starts_run(c) || is_combining_mark(c) || tables::is_ignorable(c))
            } else {
                starts_run(c)
            };
            if stop {
                end = i;
                break;
            }
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(if in_run {
            Piece::Run(piece)
        } else {
            Piece::Gap(piece)
        })
    })
}

/// Canonical form of a text: NFC, `Ð`→`đ`, lower case, tone marks in their canonical
/// place (module documentation). Characters between letter runs are kept (in NFC).
///
/// ```
/// use tintuc::analysis::normalize;
/// assert_eq!(normalize("Thủy"), "thuỷ");
/// assert_eq!(normalize("Hòa bình"), normalize("hoà bình"));
/// assert_eq!(normalize("qúy"), "quý");
/// assert_eq!(normalize("ÐẢNG"), "đảng");
/// assert_eq!(normalize("Vie\u{0323}\u{0302}t"), "việt");
/// ```
pub fn normalize(text: &str) -> String {
    let mut rn = RunNormalizer::default();
    let mut norm = String::with_capacity(text.len());
    let mut sink = String::new();
    for p in pieces(text) {
        match p {
            Piece::Run(run) => {
                rn.run(run, &mut norm, &mut sink);
                sink.clear();
            }
            Piece::Gap(g) if g.is_ascii() => norm.push_str(g),
            Piece::Gap(g) => norm.extend(g.nfc()),
        }
    }
    norm
}

/// Folded form of a text: [`normalize`]d, then without tone or vowel marks, `đ`→`d`.
///
/// ```
/// use tintuc::analysis::fold;
/// assert_eq!(fold("Đảng ủy"), "dang uy");
/// assert_eq!(fold("Nguyễn Thị Ánh"), "nguyen thi anh");
/// ```
pub fn fold(text: &str) -> String {
    let mut rn = RunNormalizer::default();
    let mut out = String::with_capacity(text.len());
    let mut sink = String::new();
    for p in pieces(text) {
        match p {
            Piece::Run(run) => {
                rn.run(run, &mut sink, &mut out);
                sink.clear();
            }
            Piece::Gap(g) if g.is_ascii() => out.push_str(g),
            Piece::Gap(g) => out.extend(g.nfc().filter(|&c| !tables::is_foldable_mark(c))),
        }
    }
    out
}

/// True when the text has any diacritic (tone or vowel mark) or `đ`, i.e. when its
/// [`normalize`]d and [`fold`]ed forms differ.
///
/// ```
/// use tintuc::analysis::has_diacritics;
/// assert!(has_diacritics("Đà Nẵng"));
/// assert!(has_diacritics("đi"));
/// assert!(!has_diacritics("Da Nang"));
/// ```
pub fn has_diacritics(text: &str) -> bool {
    !text.is_ascii() && normalize(text) != fold(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s)
    }

    #[test]
    fn old_and_new_tone_placement_meet() {
        for (old, new) in [
            ("hòa", "hoà"),
            ("hóa", "hoá"),
            ("thủy", "thuỷ"),
            ("khỏe", "khoẻ"),
            ("lũy", "luỹ"),
            ("Thụy", "thuỵ"),
            ("tòa", "toà"),
            ("xòe", "xoè"),
            ("qúy", "quý"),
            ("gìa", "già"),
            ("ngòai", "ngoài"),
            ("khủyu", "khuỷu"),
            ("hoàn", "hoàn"),
            ("hòan", "hoàn"),
            ("tóan", "toán"),
            ("hùynh", "huỳnh"),
            ("ngừơi", "người"),
            ("đựơc", "được"),
            ("mùôn", "muồn"),
            ("tíêng", "tiếng"),
            ("ýêu", "yếu"),
            ("cúu", "cúu"),
            ("cứu", "cứu"),
            ("quốc", "quốc"),
            ("giữa", "giữa"),
            ("gíup", "giúp"),
            ("thuở", "thuở"),
            ("mía", "mía"),
            ("múa", "múa"),
            ("tài", "tài"),
            ("gửi", "gửi"),
        ] {
            assert_eq!(n(old), new, "{old}");
            assert_eq!(n(new), new, "{new}");
        }
    }

    #[test]
    fn nfd_and_marks_in_any_order() {
        let nfc = "Nghị quyết Trung ương Đảng";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(n(&nfd), n(nfc));
        assert_eq!(n(&nfd), "nghị quyết trung ương đảng");
        assert_eq!(n("e\u{0302}\u{0323}"), "ệ");
        assert_eq!(n("e\u{0323}\u{0302}"), "ệ");
        assert_eq!(n("o\u{031B}\u{0300}"), "ờ");
        // Windows-1258 style: precomposed base letter + combining tone.
        assert_eq!(n("ng\u{01B0}\u{01A1}\u{0300}i"), "người");
        // Deprecated tone-mark code points.
        assert_eq!(n("to\u{0341}i"), "tói");
    }

    #[test]
    fn look_alikes_and_case() {
        assert_eq!(n("ÐÀ NẴNG"), "đà nẵng");
        assert_eq!(n("ðảng"), "đảng");
        assert_eq!(n("ƉẢNG"), "đảng");
        assert_eq!(n("ĐẢNG ỦY"), "đảng uỷ");
        assert_eq!(fold("ĐẢNG ỦY"), "dang uy");
    }

    #[test]
    fn foreign_words_keep_their_marks() {
        assert_eq!(n("Café"), "café");
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(n("José"), "josé");
        assert_eq!(n("Müller"), "müller");
        assert_eq!(n("Mu\u{0308}ller"), "müller");
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("Straße Øresund"), "straße øresund");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(n("Москва"), "москва");
        assert_eq!(n("北京"), "北京");
        // Two tone marks: not a Vietnamese syllable, nothing moves.
        assert_eq!(n("hòá"), "hòá");
    }

    #[test]
    fn odd_mark_sequences_do_not_break() {
        assert_eq!(n("a\u{0301}\u{0300}"), "á\u{0300}");
        assert_eq!(fold("a\u{0301}\u{0300}"), "a");
        assert_eq!(n("\u{0301}a"), "\u{0301}a");
        assert_eq!(n("n\u{0301}"), "ń");
        assert_eq!(fold("n\u{0301}"), "n");
        assert_eq!(n("Vi\u{00AD}ệt"), "việt");
        // Compatibility characters are normalized canonically only.
        assert_eq!(n("\u{212B}"), "å");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Đảng ủy"), "dang uy");
        assert_eq!(fold("Trường Sa, Hoàng Sa!"), "truong sa, hoang sa!");
        assert_eq!(fold("ăâêôơưđ"), "aaeooud");
        assert_eq!(fold("ĂÂÊÔƠƯĐ"), "aaeooud");
    }

    #[test]
    fn diacritics() {
        assert!(has_diacritics("ủy"));
        assert!(has_diacritics("Đi"));
        assert!(has_diacritics("ơ"));
        assert!(has_diacritics("u\u{031B}"));
        assert!(!has_diacritics("uy ban"));
        assert!(!has_diacritics(""));
        assert!(!has_diacritics("北京"));
    }

    #[test]
    fn text_between_runs_is_kept() {
        assert_eq!(
            n("TP.HCM, 22,06% (2012-2015)"),
            "tp.hcm, 22,06% (2012-2015)"
        );
        assert_eq!(n("  "), "  ");
        assert_eq!(n(""), "");
        assert_eq!(n("😀 Hà"), "😀 hà");
    }
}

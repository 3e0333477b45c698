//! Normalization and folding: the canonical and the accent-free form of a syllable.
//!
//! # Canonical form ([`normalize`])
//!
//! Every letter run (a syllable, or any other run of letters; see
//! [`tokenize`](super::tokenize) for what a run is) is brought to one form, so that
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

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::tables::{
    self, FOLD_VOWEL, ID_D_STROKE, MARKED_VOWEL, Mark, TONE_NONE, V_A, V_E, V_I, V_O, V_U, V_Y,
};

/// `Letter::vowel` of a letter that is not a vowel.
const NO_VOWEL: u8 = u8::MAX;

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
}

/// Why the quick pass over a run gave up.
enum Quick {
    /// Every letter was understood; `foreign` when some are outside the Vietnamese
    /// alphabet (no tone moving then).
    Done { foreign: bool },
    /// A combining mark that only full NFC can place.
    NeedsNfc,
}

impl RunNormalizer {
    /// Appends the canonical and the folded form of `run` to `norm` and `fold`.
    ///
    /// `run` is one letter run: letters, combining marks and ignorable characters
    /// (no spaces, punctuation or ASCII digits are expected, but any text is accepted).
    /// `ascii` tells that `run` is pure ASCII (then it is only lowercased).
    pub(crate) fn run(&mut self, run: &str, ascii: bool, norm: &mut String, fold: &mut String) {
        if ascii {
            push_ascii_lower(run, norm);
            push_ascii_lower(run, fold);
            return;
        }
        self.letters.clear();
        let foreign = match quick_pass(run, &mut self.letters) {
            Quick::Done { foreign: false } => false,
            Quick::Done { foreign: true } => {
                if !matches!(is_nfc_quick(run.chars()), IsNormalized::Yes) {
                    self.nfc_pass(run);
                }
                true
            }
            Quick::NeedsNfc => self.nfc_pass(run),
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

    /// Redoes the letters from the NFC form of `run`; true when some letters are
    /// foreign (outside the Vietnamese alphabet) or marks stay uncomposed.
    fn nfc_pass(&mut self, run: &str) -> bool {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.extend(run.nfc());
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

/// The fast pass: Vietnamese letters and marks from the tables, other letters lowercased.
fn quick_pass(run: &str, letters: &mut Vec<Letter>) -> Quick {
    let mut foreign = false;
    for c in run.chars() {
        if push_vietnamese(c, letters) {
            continue;
        }
        if let Some(m) = tables::vietnamese_mark(c) {
            if !absorb(letters, m) {
                return Quick::NeedsNfc;
            }
        } else if tables::is_ignorable(c) {
        } else if is_combining_mark(c) {
            return Quick::NeedsNfc;
        } else {
            foreign = true;
            push_foreign(c, letters);
        }
    }
    Quick::Done { foreign }
}

/// The pass over NFC text: marks that fit nothing are kept as they are. Returns
/// whether any letter is foreign or any mark was kept.
fn lenient_pass(run: &str, letters: &mut Vec<Letter>) -> bool {
    let mut foreign = false;
    for c in run.chars() {
        if push_vietnamese(c, letters) {
            continue;
        }
        if let Some(m) = tables::vietnamese_mark(c) {
            if absorb(letters, m) {
                continue;
            }
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
    let mut toned = None;
    let mut first_vowel = None;
    let mut end_vowels = 0;
    for (i, l) in letters.iter().enumerate() {
        if l.vowel == NO_VOWEL {
            continue;
        }
        if l.tone != TONE_NONE {
            if toned.is_some() {
                return;
            }
            toned = Some(i);
        }
        match first_vowel {
            None => first_vowel = Some(i),
            Some(_) if end_vowels != i => return, // a second vowel group
            Some(_) => {}
        }
        end_vowels = i + 1;
    }
    let (Some(t), Some(mut vs)) = (toned, first_vowel) else {
        return;
    };
    let ve = end_vowels;
    if vs == 1 && ve - vs >= 2 {
        let onset = letters[0].ch;
        let v = letters[1].vowel;
        if (onset == 'q' && v == V_U) || (onset == 'g' && v == V_I) {
            vs += 1;
        }
    }
    let nucleus = &letters[vs..ve];
    let coda = ve < letters.len();
    let target = match nucleus.len() {
        1 => vs,
        n => {
            if let Some(k) = nucleus.iter().rposition(|l| MARKED_VOWEL[l.vowel as usize]) {
                vs + k
            } else if coda {
                ve - 1
            } else if n == 3 {
                vs + 1
            } else if n == 2 {
                match (nucleus[0].vowel, nucleus[1].vowel) {
                    (V_O, V_A) | (V_O, V_E) | (V_U, V_Y) => vs + 1,
                    _ => vs,
                }
            } else {
                return;
            }
        }
    };
    if target != t {
        letters[target].tone = letters[t].tone;
        letters[t].tone = TONE_NONE;
    }
}

/// A span of `text` that is a letter run (normalized) or lies between runs (kept).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece<'a> {
    Run { text: &'a str, ascii: bool },
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
        if rest.is_empty() {
            return None;
        }
        let mut in_run = None::<bool>;
        let mut ascii = true;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            let letter = c.is_ascii_alphabetic() || is_run_letter(c);
            let cont = letter || ((is_combining_mark(c) || tables::is_ignorable(c)) && i > 0);
            match in_run {
                None => in_run = Some(letter),
                Some(true) if !cont => {
                    end = i;
                    break;
                }
                Some(false) if letter => {
                    end = i;
                    break;
                }
                _ => {}
            }
            ascii &= c.is_ascii();
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(if in_run == Some(true) {
            Piece::Run { text: piece, ascii }
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
            Piece::Run { text, ascii } => {
                rn.run(text, ascii, &mut norm, &mut sink);
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
            Piece::Run { text, ascii } => {
                rn.run(text, ascii, &mut sink, &mut out);
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

//! Bytes → text: UTF-8, UTF-16, Windows-1258 and the legacy Vietnamese font encodings.
//!
//! [`decode`] turns any bytes into Unicode text and says which encoding it used. It
//! never fails and never panics: at worst some bytes become U+FFFD and
//! [`Decoded::lossy`] is set. The decision, in order:
//!
//! 1. A byte-order mark wins: UTF-8, UTF-16LE or UTF-16BE.
//! 2. A `hint` naming TCVN3 or VNI (`tcvn3`, `abc`, `vni`, …; see
//!    [`Legacy::for_label`]) decodes with it.
//! 3. Valid UTF-8 is UTF-8, whatever the hint says (a legacy 8-bit Vietnamese text
//!    is practically never valid UTF-8).
//! 4. Any other hint `encoding_rs` knows is trusted — except the Latin-1 family
//!    (`iso-8859-1`, `windows-1252`, `us-ascii`), which 2000s Vietnamese sites declared
//!    over TCVN3 and VNI text, and a `utf-8` hint on bytes that are not UTF-8: those go
//!    on to detection.
//! 5. Text that is UTF-8 apart from a few broken sequences (at most one invalid sequence
//!    per 20 valid non-ASCII characters) is UTF-8, lossy.
//! 6. UTF-16 without a mark is recognized by its zero bytes.
//! 7. Otherwise the first 64 KiB are decoded as Windows-1258, TCVN3, VNI and as the
//!    encoding `chardetng` guesses, and each reading is scored by how many of its
//!    non-ASCII words are well-formed Vietnamese syllables, against how many are not
//!    and how many stray symbols (`¶ ¸ ¾ ¬ µ` …) and control characters it has. The best
//!    Vietnamese reading is taken when it is clearly Vietnamese (at least two good
//!    words, more than twice as many good as bad ones) and beats the others; otherwise
//!    `chardetng`'s guess is taken.
//!
//! Legacy single-byte text is returned in NFC (Windows-1258 writes tone marks as
//! combining characters).

pub mod legacy;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

pub use legacy::Legacy;

use super::normalize::{Piece, pieces};
use super::tables;

/// Text decoded from bytes, with the encoding that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text (NFC when it came from a legacy 8-bit encoding).
    pub text: String,
    /// Name of the encoding (`UTF-8`, `UTF-16LE`, `windows-1258`, `TCVN3`, `VNI`, or
    /// another `encoding_rs` name such as `windows-1252`).
    pub encoding: &'static str,
    /// True when bytes had to be replaced (U+FFFD) because they were invalid.
    pub lossy: bool,
}

/// How much of the input detection looks at.
const SAMPLE: usize = 64 * 1024;

/// Decodes `bytes`; `hint` is a declared charset (HTTP header, `<meta charset>`), if any.
/// See the module documentation for how the encoding is chosen.
///
/// ```
/// use tintuc::analysis::encoding::decode;
/// assert_eq!(decode("Việt Nam".as_bytes(), None).text, "Việt Nam");
/// // TCVN3 bytes, declared as Latin-1 as old sites did.
/// let d = decode(b"\xA7\xB6ng \xF1y Kh\xE8i", Some("iso-8859-1"));
/// assert_eq!((d.text.as_str(), d.encoding), ("Đảng ủy Khối", "TCVN3"));
/// ```
pub fn decode(bytes: &[u8], hint: Option<&str>) -> Decoded {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return with_encoding(enc, bytes.get(bom..).unwrap_or_default());
    }
    let hint = hint.map(str::trim).filter(|h| !h.is_empty());
    if let Some(l) = hint.and_then(Legacy::for_label) {
        return with_legacy(l, bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_owned(),
            encoding: UTF_8.name(),
            lossy: false,
        };
    }
    match hint.and_then(|h| Encoding::for_label(h.as_bytes())) {
        Some(enc) if enc == UTF_8 || enc == WINDOWS_1252 => {}
        Some(enc) => return with_encoding(enc, bytes),
        None => {}
    }
    if mostly_utf8(bytes) {
        return with_encoding(UTF_8, bytes);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return with_encoding(enc, bytes);
    }
    detect(bytes)
}

/// Finds the charset label in a `Content-Type` value (`text/html; charset=TCVN3`) or
/// in the head of an HTML page (`<meta charset="windows-1258">`, `<meta
/// http-equiv="Content-Type" content="text/html; charset=VNI">`): the first `charset=`
/// within the first 4 KiB. Pass the result to [`decode`] as its hint.
///
/// ```
/// use tintuc::analysis::encoding::charset_label;
/// assert_eq!(charset_label(b"text/html; Charset=\"UTF-8\"").as_deref(), Some("UTF-8"));
/// assert_eq!(charset_label(b"<head><meta charset=tcvn3>").as_deref(), Some("tcvn3"));
/// assert_eq!(charset_label(b"<p>no label</p>"), None);
/// ```
pub fn charset_label(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let key = b"charset";
    let mut from = 0;
    while let Some(k) = head
        .get(from..)?
        .windows(key.len())
        .position(|w| w.eq_ignore_ascii_case(key))
    {
        let mut i = from + k + key.len();
        from = i;
        while head.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if head.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while head
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            i += 1;
        }
        let end = head[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
            .map_or(head.len(), |p| i + p);
        if end > i {
            return std::str::from_utf8(&head[i..end]).ok().map(str::to_owned);
        }
    }
    None
}

/// Decodes with an `encoding_rs` encoding (no BOM handling), NFC for single-byte ones.
fn with_encoding(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, lossy) = enc.decode_without_bom_handling(bytes);
    let text = if enc.is_single_byte() {
        text.nfc().collect()
    } else {
        text.into_owned()
    };
    Decoded {
        text,
        encoding: enc.name(),
        lossy,
    }
}

fn with_legacy(l: Legacy, bytes: &[u8]) -> Decoded {
    Decoded {
        text: l.decode(bytes).nfc().collect(),
        encoding: l.name(),
        lossy: false,
    }
}

/// UTF-8 with at most one invalid sequence per 20 valid non-ASCII characters (in the
/// sample), and at least one valid one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut rest = &bytes[..bytes.len().min(SAMPLE)];
    let (mut valid, mut invalid) = (0usize, 0usize);
    let non_ascii = |s: &str| s.chars().filter(|c| !c.is_ascii()).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += non_ascii(s);
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good).map_or(0, non_ascii);
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = &after[n..];
                    }
                    None => break, // cut at the end of the sample
                }
            }
        }
    }
    valid > 0 && invalid * 20 <= valid
}

/// UTF-16 without a byte-order mark: many zero bytes on one side of each pair only.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |odd: usize| {
        sample
            .iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 3 && even * 20 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// A candidate reading of unknown 8-bit bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    Rs(&'static Encoding),
    Legacy(Legacy),
}

impl Reading {
    fn decode(self, bytes: &[u8]) -> Decoded {
        match self {
            Reading::Rs(enc) => with_encoding(enc, bytes),
            Reading::Legacy(l) => with_legacy(l, bytes),
        }
    }
}

fn detect(bytes: &[u8]) -> Decoded {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = Reading::Rs(detector.guess(None, Utf8Detection::Deny));
    let mut readings = vec![
        Reading::Rs(WINDOWS_1258),
        Reading::Legacy(Legacy::Tcvn3),
        Reading::Legacy(Legacy::Vni),
    ];
    if !readings.contains(&guess) {
        readings.push(guess);
    }
    let scored: Vec<(Reading, Score)> = readings
        .into_iter()
        .map(|r| (r, Score::of(&r.decode(sample).text)))
        .collect();
    let best = scored
        .iter()
        .copied()
        .max_by_key(|(_, s)| s.value())
        .filter(|(_, s)| s.is_vietnamese());
    let chosen = match best {
        Some((r, s))
            if scored
                .iter()
                .filter(|(_, o)| o.value() >= s.value())
                .count()
                == 1 =>
        {
            r
        }
        _ => guess,
    };
    chosen.decode(bytes)
}

/// How Vietnamese a decoded text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Score {
    /// Words with non-ASCII letters that are well-formed Vietnamese syllables.
    good: i64,
    /// Words with non-ASCII letters that are not, plus stray symbols and controls.
    bad: i64,
}

impl Score {
    fn of(text: &str) -> Score {
        let mut s = Score::default();
        for piece in pieces(text) {
            match piece {
                Piece::Run(run) if !run.is_ascii() => {
                    if is_vietnamese_syllable(run) {
                        s.good += 1;
                    } else {
                        s.bad += 1;
                    }
                }
                Piece::Run(_) => {}
                Piece::Gap(gap) => s.bad += gap.chars().filter(|&c| is_stray(c)).count() as i64,
            }
        }
        s
    }

    fn value(self) -> i64 {
        self.good - 2 * self.bad
    }

    fn is_vietnamese(self) -> bool {
        self.good >= 2 && self.good > 2 * self.bad
    }
}

/// Characters that appear in text only when it was decoded with the wrong table.
fn is_stray(c: char) -> bool {
    matches!(
        c,
        '\u{0080}'
            ..='\u{009F}'
                | '\u{FFFD}'
                | '¢'
                | '£'
                | '¤'
                | '¥'
                | '¦'
                | '¨'
                | 'ª'
                | '¬'
                | '±'
                | '²'
                | '³'
                | '´'
                | 'µ'
                | '¶'
                | '¸'
                | '¹'
                | 'º'
                | '¼'
                | '½'
                | '¾'
                | '¿'
                | '×'
                | '÷'
    )
}

/// Consonant onsets of Vietnamese syllables (`q` stands for `qu`).
const ONSETS: [&str; 27] = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "q", "r", "s", "t", "th", "tr", "v",
];
/// Final consonants.
const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// True when `word` is a well-formed Vietnamese syllable: a known onset, one to three
/// vowels with at most one tone mark, a known final consonant.
fn is_vietnamese_syllable(word: &str) -> bool {
    let word = super::normalize(word);
    let mut onset = String::new();
    let mut coda = String::new();
    let (mut vowels, mut tones) = (0, 0);
    for c in word.chars() {
        let vowel = if c.is_ascii() {
            tables::ascii_vowel(c as u8).filter(|_| c.is_ascii_alphabetic())
        } else {
            let e = tables::lookup(c);
            let id = e & 0x0F;
            if e == 0 {
                return false;
            }
            tones += u32::from(e >> 4 & 0x07 != 0);
            (id != tables::ID_D_STROKE).then(|| id - 1)
        };
        match vowel {
            Some(_) if !coda.is_empty() => return false,
            Some(_) => vowels += 1,
            None if !"bcdđghklmnpqrstvx".contains(c) => return false,
            None if vowels == 0 => onset.push(c),
            None => coda.push(c),
        }
    }
    (1..=3).contains(&vowels)
        && tones <= 1
        && ONSETS.contains(&onset.as_str())
        && CODAS.contains(&coda.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "Theo kế hoạch, cuối tháng 6 năm 2013, Ban Thường vụ Đảng ủy Khối \
        sẽ tổ chức các đoàn giám sát kết quả thực hiện các giải pháp khắc phục khuyết điểm.";

    /// Windows-1258 bytes of `text`: tone marks as combining characters after the base
    /// letter (with its vowel mark), as Windows writes it.
    fn cp1258(text: &str) -> Vec<u8> {
        let mut split = String::new();
        for c in text.chars() {
            let e = tables::lookup(c);
            let id = e & 0x0F;
            let tone = e >> 4 & 0x07;
            if e != 0 && id != tables::ID_D_STROKE && tone != 0 {
                let base = tables::compose(id - 1, 0);
                let base = if e & tables::UPPER != 0 {
                    base.to_uppercase().next().unwrap()
                } else {
                    base
                };
                split.push(base);
                split.push(
                    ['\u{0300}', '\u{0301}', '\u{0309}', '\u{0303}', '\u{0323}']
                        [usize::from(tone - 1)],
                );
            } else {
                split.push(c);
            }
        }
        let (bytes, _, unmappable) = WINDOWS_1258.encode(&split);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(SENTENCE.as_bytes(), None);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.lossy),
            (SENTENCE, "UTF-8", false)
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SENTENCE.as_bytes());
        assert_eq!(decode(&bom, Some("windows-1258")).text, SENTENCE);
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        let mut bare = Vec::new();
        for u in SENTENCE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
            bare.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, None).text, SENTENCE);
        assert_eq!(decode(&be, None).encoding, "UTF-16BE");
        assert_eq!(decode(&be, None).text, SENTENCE);
        let d = decode(&bare, None);
        assert_eq!((d.text.as_str(), d.encoding), (SENTENCE, "UTF-16LE"));
    }

    #[test]
    fn windows_1258_is_detected_and_composed() {
        let bytes = cp1258(SENTENCE);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes, None);
        assert_eq!((d.text.as_str(), d.encoding), (SENTENCE, "windows-1258"));
        // Hand-checked: "Việt Nam" = V i ê(EA) U+0323(F2) t.
        assert_eq!(
            decode(b"Vi\xEA\xF2t Nam", Some("windows-1258")).text,
            "Việt Nam"
        );
    }

    #[test]
    fn tcvn3_and_vni_are_detected() {
        for l in [Legacy::Tcvn3, Legacy::Vni] {
            let bytes = l.encode(SENTENCE).unwrap();
            for hint in [None, Some("iso-8859-1"), Some("windows-1252")] {
                let d = decode(&bytes, hint);
                assert_eq!(
                    (d.text.as_str(), d.encoding),
                    (SENTENCE, l.name()),
                    "{hint:?}"
                );
            }
            assert_eq!(
                decode(&bytes, Some(&l.name().to_lowercase())).text,
                SENTENCE
            );
        }
    }

    #[test]
    fn other_languages_keep_chardetng_guess() {
        let french = "Le café est très bon à la crème, dit-on à Besançon, où l'été est doux.";
        let (bytes, _, _) = WINDOWS_1252.encode(french);
        let d = decode(&bytes, None);
        assert_eq!(d.text, french);
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn mostly_utf8_stays_utf8() {
        let mut bytes = SENTENCE.as_bytes().to_vec();
        bytes.push(0xFF);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.lossy);
        assert!(d.text.starts_with(SENTENCE));
    }

    #[test]
    fn trusted_hints() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет, мир");
        assert_eq!(decode(&bytes, Some("windows-1251")).text, "Привет, мир");
    }

    #[test]
    fn never_panics_on_junk() {
        let junk: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        for hint in [
            None,
            Some("utf-8"),
            Some("tcvn3"),
            Some("vni"),
            Some("bogus"),
            Some(""),
        ] {
            let _ = decode(&junk, hint);
            let _ = decode(&junk[..1], hint);
            let _ = decode(&[], hint);
        }
    }

    #[test]
    fn charset_labels() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=VNI-Windows\"></head>";
        assert_eq!(charset_label(page).as_deref(), Some("VNI-Windows"));
        assert_eq!(
            charset_label(b"charset = 'windows-1258' ").as_deref(),
            Some("windows-1258")
        );
        assert_eq!(charset_label(b"charset"), None);
        assert_eq!(charset_label(b"charset="), None);
        assert_eq!(
            charset_label(b"the charset is; charset=utf-8").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_label(&[0xFF; 10]), None);
    }

    #[test]
    fn syllables() {
        for w in ["người", "Đảng", "quốc", "khuyết", "giữa", "thuở", "à"] {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
        for w in ["crème", "Besançon", "été", "ViÖt", "hòá", "ngườii"] {
            assert!(!is_vietnamese_syllable(w), "{w}");
        }
    }
}

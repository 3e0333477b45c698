//! The legacy Vietnamese 8-bit font encodings that `encoding_rs` does not have:
//! TCVN3 ("ABC", TCVN 5712:1993 VN3) and VNI (VNI-Windows).
//!
//! * **TCVN3** is a single-byte table: bytes 0xA1–0xFF are Vietnamese letters (all the
//!   lower-case ones, the capitals `Ă Â Ê Ô Ơ Ư Đ`, and the few capitals TCVN 5712 puts
//!   there), 0xB0–0xB4 are the combining tone marks, 0x01–0x17 hold the capitals TCVN
//!   5712 VN1 puts in the control range. Bytes 0x80–0x9F are read as Windows-1252
//!   (smart quotes, dashes): Windows documents in ABC fonts keep that punctuation there.
//!   Converters that lack upper-case tone letters write a capital base letter followed
//!   by the lower-case toned letter (`Aµ` for `À`); such pairs are merged back.
//! * **VNI** writes a toned vowel as its ASCII base letter followed by one mark byte
//!   (`a` + `ù` = `á`, `a` + `á` = `ấ`, `a` + `é` = `ắ`); `ô` = `ơ`, `ö` = `ư`, `ñ` = `đ`,
//!   and `í ì æ ó ò î` are `í ì ỉ ĩ ị ỵ` on their own. Capitals use the upper-case bytes.
//!   Any other byte ≥ 0x80 is read as Windows-1252.
//!
//! Every byte decodes to something: these decoders never fail. The encoders exist to
//! produce test data and sample files.

use super::super::tables::{self, ID_D_STROKE, TONE_NONE, UPPER};

/// Which legacy encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    /// TCVN3 / ABC.
    Tcvn3,
    /// VNI-Windows.
    Vni,
}

impl Legacy {
    /// The name [`super::decode`] reports (`TCVN3`, `VNI`).
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
        }
    }

    /// The encoding named by a charset label (`tcvn3`, `abc`, `vni`, …), if it is one.
    pub fn for_label(label: &str) -> Option<Legacy> {
        let l = label.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match l.as_str() {
            "tcvn3" | "tcvn-3" | "tcvn" | "abc" | "vn3" | "tcvn5712" | "tcvn-5712"
            | "tcvn5712-1" | "tcvn5712-3" | "x-viet-tcvn5712" | "x-viet-tcvn" => {
                Some(Legacy::Tcvn3)
            }
            "vni" | "vni-windows" | "x-viet-vni" | "vniwin" => Some(Legacy::Vni),
            _ => None,
        }
    }

    /// Decodes `bytes` (never fails; see the module documentation).
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Legacy::Tcvn3 => decode_tcvn3(bytes),
            Legacy::Vni => decode_vni(bytes),
        }
    }

    /// Encodes `text`; `None` when it has a character the encoding cannot write.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Legacy::Tcvn3 => encode_tcvn3(text),
            Legacy::Vni => encode_vni(text),
        }
    }
}

/// Windows-1252 for bytes 0x80–0x9F (0 where undefined: kept as the C1 control).
const CP1252_C1: [u16; 32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
];

/// Windows-1252 reading of a byte.
fn cp1252(b: u8) -> char {
    let cp = match b {
        0x80..=0x9F => u32::from(CP1252_C1[usize::from(b - 0x80)]),
        _ => u32::from(b),
    };
    char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// TCVN3 bytes 0xA0–0xFF.
const TCVN3_HIGH: [u16; 96] = [
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, // A0
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0, // A8
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, // B0
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4, // B8
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, // C0
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD, // C8
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, // D0
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2, // D8
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, // E0
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9, // E8
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, // F0
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0, // F8
];

/// TCVN 5712 capitals in the control range (byte, letter).
const TCVN3_CONTROL: [(u8, char); 12] = [
    (0x01, 'Ú'),
    (0x02, 'Ụ'),
    (0x04, 'Ừ'),
    (0x05, 'Ử'),
    (0x06, 'Ữ'),
    (0x11, 'Ứ'),
    (0x12, 'Ự'),
    (0x13, 'Ỳ'),
    (0x14, 'Ỷ'),
    (0x15, 'Ỹ'),
    (0x16, 'Ý'),
    (0x17, 'Ỵ'),
];

/// The character a TCVN3 byte stands for.
pub fn tcvn3_char(b: u8) -> char {
    match b {
        0xA0..=0xFF => char::from_u32(u32::from(TCVN3_HIGH[usize::from(b - 0xA0)]))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        0x80..=0x9F => cp1252(b),
        0x01..=0x17 => TCVN3_CONTROL
            .iter()
            .find(|&&(k, _)| k == b)
            .map_or(char::from(b), |&(_, c)| c),
        _ => char::from(b),
    }
}

/// Base vowel id, tone and case of a Vietnamese vowel letter (ASCII or precomposed).
fn vowel_parts(c: char) -> Option<(u8, u8, bool)> {
    if c.is_ascii() {
        let v = tables::ascii_vowel(c as u8)?;
        return c
            .is_ascii_alphabetic()
            .then_some((v, TONE_NONE, c.is_ascii_uppercase()));
    }
    let e = tables::lookup(c);
    let id = e & 0x0F;
    if e == 0 || id == ID_D_STROKE {
        return None;
    }
    Some((id - 1, (e >> 4) & 0x07, e & UPPER != 0))
}

/// The letter for a base vowel, tone and case.
fn vowel_char(v: u8, tone: u8, upper: bool) -> char {
    let c = tables::compose(v, tone);
    if upper {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

fn decode_tcvn3(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut prev: Option<char> = None;
    for &b in bytes {
        let c = tcvn3_char(b);
        // `A` + `à` written for `À`: a capital base vowel followed by the same base
        // vowel in lower case with a tone.
        if let (Some(p), Some((v, tone, false))) = (prev, vowel_parts(c))
            && let Some((pv, TONE_NONE, true)) = vowel_parts(p)
            && pv == v
            && tone != TONE_NONE
        {
            out.pop();
            let merged = vowel_char(v, tone, true);
            out.push(merged);
            prev = Some(merged);
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn encode_tcvn3(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let b = (0xA0..=0xFFu8)
            .find(|&b| tcvn3_char(b) == c)
            .or_else(|| {
                TCVN3_CONTROL
                    .iter()
                    .find(|&&(_, k)| k == c)
                    .map(|&(b, _)| b)
            })
            .or_else(|| (0x80..=0x9Fu8).find(|&b| cp1252(b) == c));
        match b {
            Some(b) => out.push(b),
            None => {
                // A capital toned vowel TCVN3 lacks: capital base + lower-case toned.
                let (v, tone, true) = vowel_parts(c)? else {
                    return None;
                };
                let base = vowel_char(v, TONE_NONE, true);
                let low = vowel_char(v, tone, false);
                out.extend(encode_tcvn3(&format!("{base}{low}"))?);
            }
        }
    }
    Some(out)
}

/// What a VNI byte ≥ 0x80 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VniByte {
    /// A letter on its own (lower-case form; the byte's case gives the case).
    Letter(char),
    /// Marks for the preceding vowel: vowel mark (circumflex or breve) and tone.
    Marks(Option<tables::Mark>, u8),
    /// Nothing Vietnamese: read as Windows-1252.
    Other,
}

fn vni_byte(b: u8) -> VniByte {
    use VniByte::*;
    use tables::Mark::{Breve, Circumflex};
    // Upper-case bytes are 0x20 below the lower-case ones.
    let lower = if (0xC0..=0xDF).contains(&b) && b != 0xD7 {
        b + 0x20
    } else {
        b
    };
    match lower {
        0xF9 => Marks(None, tables::TONE_ACUTE),
        0xF8 => Marks(None, tables::TONE_GRAVE),
        0xFB => Marks(None, tables::TONE_HOOK),
        0xF5 => Marks(None, tables::TONE_TILDE),
        0xEF => Marks(None, tables::TONE_DOT),
        0xE2 => Marks(Some(Circumflex), TONE_NONE),
        0xE1 => Marks(Some(Circumflex), tables::TONE_ACUTE),
        0xE0 => Marks(Some(Circumflex), tables::TONE_GRAVE),
        0xE5 => Marks(Some(Circumflex), tables::TONE_HOOK),
        0xE3 => Marks(Some(Circumflex), tables::TONE_TILDE),
        0xE4 => Marks(Some(Circumflex), tables::TONE_DOT),
        0xEA => Marks(Some(Breve), TONE_NONE),
        0xE9 => Marks(Some(Breve), tables::TONE_ACUTE),
        0xE8 => Marks(Some(Breve), tables::TONE_GRAVE),
        0xFA => Marks(Some(Breve), tables::TONE_HOOK),
        0xFC => Marks(Some(Breve), tables::TONE_TILDE),
        0xEB => Marks(Some(Breve), tables::TONE_DOT),
        0xF4 => Letter('ơ'),
        0xF6 => Letter('ư'),
        0xF1 => Letter('đ'),
        0xED => Letter('í'),
        0xEC => Letter('ì'),
        0xE6 => Letter('ỉ'),
        0xF3 => Letter('ĩ'),
        0xF2 => Letter('ị'),
        0xEE => Letter('ỵ'),
        _ => Other,
    }
}

fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
    for &b in bytes {
        if b < 0x80 {
            out.push(char::from(b));
            continue;
        }
        let upper_byte = (0xC0..=0xDF).contains(&b);
        match vni_byte(b) {
            VniByte::Letter(l) => {
                out.push(if upper_byte {
                    l.to_uppercase().next().unwrap_or(l)
                } else {
                    l
                });
            }
            VniByte::Marks(mark, tone) => {
                let applied =
                    out.chars()
                        .next_back()
                        .and_then(vowel_parts)
                        .and_then(|(v, t, upper)| {
                            let v = match mark {
                                Some(m) => tables::apply_vowel_mark(v, m)?,
                                None => v,
                            };
                            let t = match (t, tone) {
                                (t, TONE_NONE) => t,
                                (TONE_NONE, tone) => tone,
                                _ => return None,
                            };
                            Some(vowel_char(v, t, upper))
                        });
                match applied {
                    Some(c) => {
                        out.pop();
                        out.push(c);
                    }
                    None => out.push(cp1252(b)),
                }
            }
            VniByte::Other => out.push(cp1252(b)),
        }
    }
    out
}

fn encode_vni(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        // Letters written with one byte.
        if let Some(b) = (0xC0..=0xFFu8).find(|&b| {
            let upper = (0xC0..=0xDF).contains(&b);
            matches!(vni_byte(b), VniByte::Letter(l)
                if (if upper { l.to_uppercase().next().unwrap_or(l) } else { l }) == c)
        }) {
            out.push(b);
            continue;
        }
        if let Some(b) = (0x80..=0x9Fu8).find(|&b| cp1252(b) == c) {
            out.push(b);
            continue;
        }
        let (v, tone, upper) = vowel_parts(c)?;
        let case = |b: u8| if upper { b - 0x20 } else { b };
        use tables::{V_A_BREVE, V_A_CIRC, V_E_CIRC, V_O_CIRC, V_O_HORN, V_U_HORN};
        // Base letter byte and the vowel mark to add.
        let (base, mark) = match v {
            V_A_CIRC => (b'a', Some(tables::Mark::Circumflex)),
            V_A_BREVE => (b'a', Some(tables::Mark::Breve)),
            V_E_CIRC => (b'e', Some(tables::Mark::Circumflex)),
            V_O_CIRC => (b'o', Some(tables::Mark::Circumflex)),
            V_O_HORN => (0xF4, None),
            V_U_HORN => (0xF6, None),
            v => (tables::FOLD_VOWEL_BYTE[usize::from(v)], None),
        };
        out.push(if base < 0x80 && upper {
            base.to_ascii_uppercase()
        } else {
            case(base)
        });
        if mark.is_none() && tone == TONE_NONE {
            continue;
        }
        let b = (0xE0..=0xFFu8).find(|&b| vni_byte(b) == VniByte::Marks(mark, tone))?;
        out.push(case(b));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_hand_checked_bytes() {
        // "Bảo Thắng", "Mường Khương", "Bát Xát" as TCVN3 bytes.
        assert_eq!(decode_tcvn3(b"B\xB6o Th\xBEng"), "Bảo Thắng");
        assert_eq!(decode_tcvn3(b"M\xAD\xEAng Kh\xAD\xACng"), "Mường Khương");
        assert_eq!(decode_tcvn3(b"B\xB8t X\xB8t"), "Bát Xát");
        assert_eq!(decode_tcvn3(b"\xA7\xB6ng"), "Đảng");
        assert_eq!(decode_tcvn3(b"\x93A\xB8\x94"), "“Á”");
    }

    #[test]
    fn vni_hand_checked_bytes() {
        assert_eq!(
            decode_vni(b"Xin cha\xF8o ca\xF9c ba\xEFn"),
            "Xin chào các bạn"
        );
        assert_eq!(decode_vni(b"Vie\xE4t Nam"), "Việt Nam");
        assert_eq!(decode_vni(b"\xD1a\xFBng u\xFBy"), "Đảng ủy");
        assert_eq!(decode_vni(b"a\xE0m"), "ầm");
        assert_eq!(decode_vni(b"ng\xF6\xF4\xF8i"), "người");
        assert_eq!(decode_vni(b"NG\xD6\xD4\xD8I"), "NGƯỜI");
        assert_eq!(decode_vni(b"ch\xEDnh tr\xF2"), "chính trị");
        // Mark bytes with nothing to mark stay Windows-1252.
        assert_eq!(decode_vni(b"caf\xE9 \xF9"), "caf\u{00E9} ù");
    }

    #[test]
    fn round_trips() {
        let text = "Đảng ủy Khối Cơ quan Dân chính Đảng TP Cần Thơ: người được giao \
                    nhiệm vụ khuyết điểm, thuở ấy, khuỷu tay, Ấn Độ, ỨNG XỬ";
        for enc in [Legacy::Tcvn3, Legacy::Vni] {
            let bytes = enc.encode(text).unwrap();
            assert_eq!(enc.decode(&bytes), text, "{enc:?}");
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Legacy::for_label(" TCVN3 "), Some(Legacy::Tcvn3));
        assert_eq!(Legacy::for_label("ABC"), Some(Legacy::Tcvn3));
        assert_eq!(Legacy::for_label("VNI-Windows"), Some(Legacy::Vni));
        assert_eq!(Legacy::for_label("utf-8"), None);
    }

    #[test]
    fn every_byte_decodes() {
        let all: Vec<u8> = (0..=255).collect();
        for enc in [Legacy::Tcvn3, Legacy::Vni] {
            let s = enc.decode(&all);
            assert!(!s.contains('\u{FFFD}'), "{enc:?}");
        }
    }
}

//! Input-method slips: words typed in Telex (`vieetj`, `ddaf`, `nawngx`) or VNI
//! (`vie65t`, `d9a2`) with the input method off.
//!
//! [`decode_telex`] and [`decode_vni`] read the keys of one word the way the input
//! methods do (the structural part, without any word list); [`decode_slips`] decides
//! which words of a text to replace: a word is decoded only when it is **not** a
//! syllable the model knows as typed and its decoding **is** one, so `iphone`, `gas`,
//! `bus`, `Trump`, codes in capitals (`NQTW4`, `COVID-19`, `U23`) and every ordinary
//! syllable stay as typed.
//!
//! Telex: `aa ee oo` → `â ê ô`, `aw ow uw` → `ă ơ ư` (`uow` → `ươ`, a `w` after the
//! vowels marks the last `a`/`o`/`u`, a `w` without a vowel is `ư`), `dd` → `đ`, and
//! after a vowel `s f r x j` are the five tones (the last one typed wins; Vietnamese
//! has no final `s f r x j`). VNI: `1`–`5` the tones, `6` circumflex, `7` horn, `8`
//! breve, `9` `đ`; a VNI word has letters and digits, at most one tone digit, and at
//! least two letters (so `A1`, `F1`, `G7` stay).

use super::Restorer;
use crate::analysis::normalize;

/// A word the model knows as typed is decoded only when the decoding is this much
/// more likely (natural log of the unigram probability ratio: 100 times).
const MIN_GAIN: f32 = 4.6;

/// Longest word read as Telex or VNI keys, in bytes: a syllable is at most 7 letters
/// (`nghiêng`), its keys at most about 10 (`nghieengf`). Longer words are not slips,
/// and reading one key at a time over the whole word would be quadratic in its length
/// (a pasted 60 KiB run of letters took seconds).
pub const MAX_KEYS: usize = 16;

const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// The vowels of the last vowel group of `out` (indices).
fn last_vowel_group(out: &[char]) -> std::ops::Range<usize> {
    let mut end = out.len();
    while end > 0 && !is_vowel(out[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_vowel(out[start - 1]) {
        start -= 1;
    }
    start..end
}

/// Horn or breve on the last vowel group: `uo` → `ươ`, else the last `a o u`.
fn hook(out: &mut [char]) -> bool {
    let g = last_vowel_group(out);
    if g.is_empty() {
        return false;
    }
    for i in g.start..g.end.saturating_sub(1) {
        if out[i] == 'u' && out[i + 1] == 'o' {
            out[i] = 'ư';
            out[i + 1] = 'ơ';
            return true;
        }
    }
    for i in g.rev() {
        let m = match out[i] {
            'a' => 'ă',
            'o' => 'ơ',
            'u' => 'ư',
            _ => continue,
        };
        out[i] = m;
        return true;
    }
    false
}

/// Circumflex on the last `a e o` of the last vowel group.
fn hat(out: &mut [char], only: Option<char>) -> bool {
    let g = last_vowel_group(out);
    for i in g.rev() {
        let m = match out[i] {
            'a' => 'â',
            'e' => 'ê',
            'o' => 'ô',
            _ => continue,
        };
        if only.is_some_and(|c| c != out[i]) {
            continue;
        }
        out[i] = m;
        return true;
    }
    false
}

/// Puts the tone after the last vowel group and normalizes (placement, NFC).
fn compose(out: &[char], tone: Option<char>) -> String {
    let g = last_vowel_group(out);
    let mut s = String::with_capacity(out.len() * 3);
    for (i, &c) in out.iter().enumerate() {
        s.push(c);
        if i + 1 == g.end
            && let Some(t) = tone
        {
            s.push(t);
        }
    }
    normalize(&s)
}

/// The word a lower-case ASCII word typed in Telex stands for (canonical form), or
/// `None` when it has no Telex key.
pub fn decode_telex(word: &str) -> Option<String> {
    if word.is_empty() || word.len() > MAX_KEYS || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut out: Vec<char> = Vec::with_capacity(word.len());
    let mut tone = None;
    let mut keys = false;
    for c in word.chars() {
        let has_vowel = out.iter().any(|&c| is_vowel(c));
        match c {
            's' | 'f' | 'r' | 'x' | 'j' if has_vowel => {
                tone = Some(match c {
                    's' => ACUTE,
                    'f' => GRAVE,
                    'r' => HOOK,
                    'x' => TILDE,
                    _ => DOT,
                });
                keys = true;
            }
            'w' => {
                if !hook(&mut out) {
                    out.push('ư');
                }
                keys = true;
            }
            'a' | 'e' | 'o' if out.last() == Some(&c) => {
                hat(&mut out, Some(c));
                keys = true;
            }
            'd' if out == ['d'] => {
                out[0] = 'đ';
                keys = true;
            }
            c => out.push(c),
        }
    }
    keys.then(|| compose(&out, tone))
}

/// The word a lower-case ASCII word typed in VNI stands for, or `None` when it is not
/// VNI (no digit, a digit that marks nothing, two tone digits, fewer than two letters).
pub fn decode_vni(word: &str) -> Option<String> {
    if word.len() > MAX_KEYS
        || !word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        || word.bytes().filter(u8::is_ascii_alphabetic).count() < 2
        || !word.bytes().any(|b| b.is_ascii_digit())
        || word.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut out: Vec<char> = Vec::with_capacity(word.len());
    let mut tone = None;
    for c in word.chars() {
        let ok = match c {
            '1'..='5' => {
                if tone.is_some() || !out.iter().any(|&c| is_vowel(c)) {
                    false
                } else {
                    tone = Some([ACUTE, GRAVE, HOOK, TILDE, DOT][c as usize - '1' as usize]);
                    true
                }
            }
            '6' => hat(&mut out, None),
            '7' => {
                let g = last_vowel_group(&out);
                let has = out[g].iter().any(|&c| c == 'u' || c == 'o');
                has && hook(&mut out)
            }
            '8' => {
                let g = last_vowel_group(&out);
                match out[g.clone()].iter().rposition(|&c| c == 'a') {
                    Some(i) => {
                        out[g.start + i] = 'ă';
                        true
                    }
                    None => false,
                }
            }
            '9' => match out.iter().position(|&c| c == 'd') {
                Some(i) => {
                    out[i] = 'đ';
                    true
                }
                None => false,
            },
            '0' => false,
            c => {
                out.push(c);
                true
            }
        };
        if !ok {
            return None;
        }
    }
    Some(compose(&out, tone))
}

/// `text` with its Telex and VNI slips decoded (case kept by the word's shape), or
/// `None` when no word is one. Only ASCII words are read; a word in capitals (two or
/// more, no lower case) is a code and stays, unless the whole text is in capitals.
pub fn decode_slips(r: &Restorer, text: &str) -> Option<String> {
    let b = text.as_bytes();
    let all_caps =
        text.bytes().any(|b| b.is_ascii_uppercase()) && !text.chars().any(char::is_lowercase);
    let mut out = String::new();
    let mut at = 0;
    let mut i = 0;
    let mut changed = false;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        // a run inside a longer word (letters outside ASCII next to it) is not a word
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '\u{300}');
        if glued(text[..s].chars().next_back()) || glued(text[i..].chars().next()) {
            continue;
        }
        let word = &text[s..i];
        if word.len() > MAX_KEYS {
            continue;
        }
        let upper = word.bytes().filter(u8::is_ascii_uppercase).count();
        if upper >= 2 && !word.bytes().any(|b| b.is_ascii_lowercase()) && !all_caps {
            continue;
        }
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.bytes().any(|b| b.is_ascii_digit()) {
            decode_vni(&lower)
        } else {
            decode_telex(&lower)
        };
        let Some(d) = decoded.filter(|d| d != &lower) else {
            continue;
        };
        // the decoding must be a known syllable, much more frequent than the word
        // as typed (a known English word, a name or a rare typo stays)
        let Some(fd) = r.frequency(&d) else {
            continue;
        };
        if r.frequency(&lower).is_some_and(|ft| fd - ft < MIN_GAIN) {
            continue;
        }
        out.push_str(&text[at..s]);
        super::apply_case(word, &d, &mut out);
        at = i;
        changed = true;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telex_keys() {
        for (typed, want) in [
            ("vieetj", "việt"),
            ("vieejt", "việt"),
            ("ddaf", "đà"),
            ("nawngx", "nẵng"),
            ("nguowif", "người"),
            ("nguoiwf", "người"),
            ("dduwowngf", "đường"),
            ("hoaf", "hoà"),
            ("tw", "tư"),
            ("thuyr", "thuỷ"),
            ("quoocs", "quốc"),
        ] {
            assert_eq!(decode_telex(typed).as_deref(), Some(want), "{typed}");
        }
        assert_eq!(decode_telex("nam"), None);
        assert_eq!(decode_telex("Nam"), None);
    }

    #[test]
    fn long_words_are_not_keys_and_cost_little() {
        // Found by the query fuzz target: a run of 69,000 letters took seconds, one key
        // at a time over the whole word (quadratic). Longer than MAX_KEYS is no slip.
        for long in [
            "c".repeat(200_000),
            "w".repeat(200_000),
            "a9".repeat(100_000),
        ] {
            assert_eq!(decode_telex(&long), None);
            assert_eq!(decode_vni(&long), None);
            let text = format!("vieetj {long} nam");
            let r = Restorer::global();
            assert_eq!(decode_slips(r, &text), Some(format!("việt {long} nam")));
        }
        let longest = "nghieengf";
        assert!(longest.len() <= MAX_KEYS);
        assert_eq!(decode_telex(longest).as_deref(), Some("nghiềng"));
        assert_eq!(decode_telex(&"b".repeat(MAX_KEYS + 1)), None);
    }

    #[test]
    fn vni_keys() {
        for (typed, want) in [
            ("vie65t", "việt"),
            ("vie6t5", "việt"),
            ("d9a2", "đà"),
            ("na8ng4", "nẵng"),
            ("ngu7o7i2", "người"),
            ("nguoi72", "người"),
            ("hoa2", "hoà"),
        ] {
            assert_eq!(decode_vni(typed).as_deref(), Some(want), "{typed}");
        }
        for typed in ["h5n1", "u23", "a1", "nam", "f1", "2020", "g7", "22h30"] {
            assert_eq!(decode_vni(typed), None, "{typed}");
        }
    }

    /// Real slips (Telex and VNI, as typed with the input method off) and what they
    /// stand for.
    const SLIPS: &[(&str, &str)] = &[
        ("vieetj nam", "việt nam"),
        ("ddaf nawngx", "đà nẵng"),
        ("vie65t nam", "việt nam"),
        ("covid vieetj nam", "covid việt nam"),
        ("haf nooij", "hà nội"),
        ("thur tuowngs", "thủ tướng"),
        ("chinhs phur", "chính phủ"),
        ("quoocs hooij", "quốc hội"),
        ("giaos ducj", "giáo dục"),
        ("kinh tees", "kinh tế"),
        ("bongs ddas", "bóng đá"),
        ("thowif tieets", "thời tiết"),
        ("giaf vangf", "già vàng"),
        ("ddaij hocj", "đại học"),
        ("sinh vieen", "sinh viên"),
        ("beenhj vieenj", "bệnh viện"),
        ("coong an", "công an"),
        ("tai nanj", "tai nạn"),
        ("giao thoong", "giao thông"),
        ("chuwngs khoans", "chứng khoán"),
        ("ngaan hangf", "ngân hàng"),
        ("xax hooij", "xã hội"),
        ("duwj baos", "dự báo"),
        ("tinhf hinhf", "tình hình"),
        ("phats trieenr", "phát triển"),
        ("ddieeuf tra", "điều tra"),
        ("dduwowngf", "đường"),
        ("truwowngf", "trường"),
        ("nuwowcs", "nước"),
        ("ddoongf baof", "đồng bào"),
        ("luaatj", "luật"),
        ("hieenf", "hiền"),
        ("ddieeuf trij", "điều trị"),
        ("bieenr", "biển"),
        ("ddaor", "đảo"),
        ("muaf muwa", "mùa mưa"),
        ("cuoocj soongs", "cuộc sống"),
        ("thaanf", "thần"),
        ("quaanf aos", "quần áo"),
        ("xuaats khaaur", "xuất khẩu"),
        ("nhaapj khaaur", "nhập khẩu"),
        ("ddaauf tuw", "đầu tư"),
        ("doanh nghieepj", "doanh nghiệp"),
        ("thij truwowngf", "thị trường"),
        ("gias vangf", "giá vàng"),
        ("vie65t", "việt"),
        ("d9a2 na8ng4", "đà nẵng"),
        ("ha2 no65i", "hà nội"),
        ("thu3 tu7o71ng", "thủ tướng"),
        ("chi1nh phu3", "chính phủ"),
        ("quo61c ho65i", "quốc hội"),
        ("gia1o du5c", "giáo dục"),
        ("Vieetj Nam", "Việt Nam"),
        ("VIEETJ NAM", "VIỆT NAM"),
    ];

    /// Words that must stay as typed (English, codes, names, ordinary syllables).
    const KEEP: &[&str] = &[
        "iphone",
        "NQTW4",
        "COVID-19",
        "covid",
        "facebook",
        "google",
        "gas",
        "bus",
        "taxi",
        "Trump",
        "Obama",
        "internet",
        "online",
        "email",
        "video",
        "game",
        "show",
        "top",
        "U23",
        "H5N1",
        "F1",
        "G7",
        "A1",
        "2020",
        "22h30",
        "5km",
        "BOT",
        "UBND",
        "TP",
        "HCM",
        "nam",
        "viet",
        "dang",
        "hoa",
        "thuy",
        "nguoi",
        "duong",
        "truong",
        "nuoc",
        "cho",
        "ban",
        "chu",
        "co",
        "khong",
        "mot",
        "hai",
        "ba",
        "bon",
        "nam",
        "sau",
        "bay",
        "tam",
        "chin",
        "muoi",
        "tram",
        "nghin",
        "trieu",
        "ty",
        "USD",
        "VND",
        "Apple",
        "Samsung",
        "Messi",
        "Ronaldo",
        "smartphone",
        "marketing",
        "startup",
        "AI",
        "IT",
        "the",
        "covid19",
        "COVID",
        "UBND VN",
        "iPhone 15",
    ];

    #[test]
    fn slip_table() {
        let r = Restorer::global();
        assert!(SLIPS.len() >= 50 && KEEP.len() >= 50);
        let mut bad = Vec::new();
        for (typed, want) in SLIPS {
            let got = decode_slips(r, typed).unwrap_or_else(|| typed.to_string());
            if got != *want {
                bad.push(format!("{typed} -> {got} (want {want})"));
            }
        }
        for typed in KEEP {
            if let Some(got) = decode_slips(r, typed) {
                bad.push(format!("{typed} -> {got} (want it kept)"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

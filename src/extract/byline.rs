//! Bylines: who wrote an article (people or a named desk) and which source it credits.
//!
//! [`parse_byline`] reads one byline string, whatever reader found it (HTML metadata,
//! the closing line of a page, the last line of a text dump, a JSON Lines `author`
//! field), into a [`Byline`]: the authors and, apart, the credited source.
//!
//! The forms, as Vietnamese (and English, German, French) newsrooms print them:
//! - role prefixes go: `Bài, ảnh: NGUYỄN HUY`, `Bài và ảnh:`, `Tác giả:`, `By`, `Von`,
//!   `Text:`; names in capitals are title-cased (`Nguyễn Huy`);
//! - several names: `,` `;` `/` `&` `-` (between names) `và` `and` `und`;
//! - `Thu Hà (theo Reuters)`: the author, and the source in parentheses as the credit;
//!   `Minh Anh (t/h)`, `(tổng hợp)`, `(lược dịch)`: the author only (compiled, translated);
//! - `Theo TTXVN`, `Theo Reuters`, `Nguồn: VTV`: a source, not a person → credit; but
//!   `Theo Hồ Hương` (a Vietnamese full name after `Theo`) is a person;
//! - `Nhóm PV`, `Nhóm phóng viên`, `PV`, `Ban Thời sự`: a named desk, kept as the author.
//!
//! ```
//! use tintuc::extract::byline::parse_byline;
//! let b = parse_byline("Thu Hà (theo Reuters)");
//! assert_eq!(b.authors, ["Thu Hà"]);
//! assert_eq!(b.credit.as_deref(), Some("Reuters"));
//! let b = parse_byline("Theo TTXVN");
//! assert!(b.authors.is_empty());
//! assert_eq!(b.credit.as_deref(), Some("TTXVN"));
//! ```

use super::date::fold_word;

/// What a byline says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Byline {
    /// People or named desks, in the order written, without duplicates.
    pub authors: Vec<String>,
    /// The source credited (`TTXVN`, `Reuters`), when the byline names one.
    pub credit: Option<String>,
}

impl Byline {
    /// True when the byline says nothing.
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty() && self.credit.is_none()
    }

    /// The authors joined with `, ` (the `author` field), `None` when there are none.
    pub fn joined(&self) -> Option<String> {
        (!self.authors.is_empty()).then(|| self.authors.join(", "))
    }
}

/// At most this many authors are read from one byline.
const MAX_AUTHORS: usize = 8;

/// Role prefixes before the names (folded: lower case, no diacritics), longest first.
const ROLE_PREFIXES: &[&str] = &[
    "bai va anh:",
    "bai, anh:",
    "bai - anh:",
    "bai/anh:",
    "bai anh:",
    "bai:",
    "anh:",
    "tac gia:",
    "thuc hien:",
    "nhom thuc hien:",
    "written by",
    "posted by",
    "reported by",
    "veroffentlicht von",
    "eingestellt von",
    "geschrieben von",
    "verfasst von",
    "ein beitrag von",
    "publie par",
    "interview:",
    "text und fotos von",
    "text von",
    "ein artikel von",
    "gespeichert von",
    "uber",
    "by:",
    "by",
    "von",
    "author:",
    "autor:",
    "autorin:",
    "text:",
    "texte:",
    "par",
];

/// Prefixes that name a source, not a person (`Theo TTXVN`, `Nguồn: VTV`), folded.
const SOURCE_PREFIXES: &[&str] = &["nguon:", "nguon", "source:", "quelle:", "via"];

/// Parenthesised notes that say the text was compiled or translated (folded).
const COMPILED: &[&str] = &[
    "t/h",
    "th",
    "tong hop",
    "tong hop, bien dich",
    "luoc dich",
    "dich",
    "bien dich",
    "theo",
];

/// Words of named desks, kept as authors (folded).
const DESKS: &[&str] = &["nhom pv", "nhom phong vien", "pv", "ban ", "nhom "];

/// Words that make a phrase a publication or agency rather than a person (folded).
const SOURCE_WORDS: &[&str] = &[
    "bao ",
    "tap chi",
    "dai ",
    "thong tan",
    "cong thong tin",
    "kenh ",
    "tv",
    "news",
    "press",
    "times",
    "post",
    "online",
    ".vn",
    ".com",
    ".net",
    "agency",
];

/// Reads one byline. See the module documentation for the forms.
pub fn parse_byline(s: &str) -> Byline {
    let mut out = Byline::default();
    let s = collapse(s);
    let s = s
        .trim()
        .trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '|' | '*'));
    let s = s.trim();
    if s.is_empty() || s.contains("://") || s.starts_with("www.") || s.chars().count() > 200 {
        return out;
    }
    let mut rest = strip_prefix_folded(s, ROLE_PREFIXES).unwrap_or(s).trim();
    // `Theo TTXVN`, `Nguồn: VTV`: a source, unless a person's name follows `Theo`.
    if let Some(src) = strip_prefix_folded(rest, &["theo"]) {
        let src = src.trim().trim_start_matches(':').trim();
        let (name, tail) = split_paren(src);
        if looks_like_person(name) {
            rest = src;
        } else {
            out.credit = clean_source(name);
            if let Some(t) = tail {
                push_names(&mut out, t);
            }
            return out;
        }
    }
    if let Some(src) = strip_prefix_folded(rest, SOURCE_PREFIXES) {
        out.credit = clean_source(src.trim().trim_start_matches(':'));
        return out;
    }
    // `Thu Hà (theo Reuters)`, `Minh Anh (t/h)`, `Lê An (TTXVN)`.
    let mut names = String::new();
    let mut cur = rest;
    while let Some(open) = cur.find('(') {
        names.push_str(&cur[..open]);
        let Some(close) = cur[open..].find(')').map(|c| open + c) else {
            cur = &cur[open + 1..];
            continue;
        };
        let inner = cur[open + 1..close].trim();
        let f = fold_word(inner);
        if let Some(src) = strip_prefix_folded(inner, &["theo", "nguon:", "nguon", "via"]) {
            if out.credit.is_none() {
                out.credit = clean_source(src.trim().trim_start_matches(':'));
            }
        } else if !COMPILED.contains(&f.as_str()) && out.credit.is_none() && !f.is_empty() {
            // A bare source in parentheses (`Lê An (TTXVN)`).
            out.credit = clean_source(inner);
        }
        names.push(' ');
        cur = &cur[close + 1..];
    }
    names.push_str(cur);
    push_names(&mut out, &names);
    out
}

/// Splits `s` into names and adds the plausible ones.
fn push_names(out: &mut Byline, s: &str) {
    for part in s.split([',', ';', '/', '|', '&', '–', '—']) {
        for p in split_words(part) {
            let p = p.trim().trim_matches(|c: char| !c.is_alphanumeric());
            let p = strip_prefix_folded(p, ROLE_PREFIXES).unwrap_or(p).trim();
            let p = strip_date_tail(cut_date_tail(p));
            if !plausible(p) || is_label(p) || out.authors.len() >= MAX_AUTHORS {
                continue;
            }
            let name = title_case(p);
            let key = fold_word(&name);
            if !out.authors.iter().any(|a| fold_word(a) == key) {
                out.authors.push(name);
            }
        }
    }
}

/// Words that label a field rather than name anyone (folded).
const LABELS: &[&str] = &[
    "name",
    "posted",
    "author",
    "autor",
    "text",
    "anonymous",
    "anonym",
];

/// Weekdays (folded; abbreviations such as `Thu` or `Mi` are also names): a date after
/// a name, or a date line.
const WEEKDAYS: &[&str] = &[
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A field label (`Name`), a weekday, or a commenter's line (`Tanya sagt`,
/// `Mike says`).
fn is_label(p: &str) -> bool {
    let f = fold_word(p);
    LABELS.contains(&f.as_str())
        || WEEKDAYS.contains(&f.as_str())
        || [" sagt", " says", " said", " schreibt", " meint"]
            .iter()
            .any(|s| f.ends_with(s))
}

/// A name without a trailing date (`Von R. R. am 12.05.2012`, `MORITZ GATHMANN am 21.
/// April`, `Jane Doe on 5 March`): cut at ` am `/` on `/` le ` before a digit.
fn cut_date_tail(p: &str) -> &str {
    for sep in [" am ", " on ", " le ", " el "] {
        if let Some(i) = p.find(sep)
            && p[i + sep.len()..].starts_with(|c: char| c.is_ascii_digit())
        {
            return p[..i].trim_end();
        }
    }
    p
}

/// A name without a trailing weekday (`Isabella am Samstag`).
fn strip_date_tail(p: &str) -> &str {
    if let Some(i) = p.rfind(' ')
        && WEEKDAYS.contains(&fold_word(&p[i + 1..]).as_str())
    {
        let head = p[..i].trim_end();
        let head = head.strip_suffix(" am").unwrap_or(head).trim_end();
        if head.contains(char::is_alphabetic) {
            return head;
        }
    }
    p
}

/// Splits at ` và `, ` and `, ` und `, ` et ` and at ` - ` between names.
fn split_words(s: &str) -> Vec<&str> {
    let mut parts = vec![s];
    for sep in [" và ", " and ", " und ", " et ", " - ", " – "] {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
}

/// A name: letters, 2 to 60 characters, at most 6 words, no e-mail or address.
fn plausible(a: &str) -> bool {
    let n = a.chars().count();
    (2..=60).contains(&n)
        && a.split_whitespace().count() <= 6
        && !a.contains('@')
        && !a.contains("://")
        && a.chars().any(char::is_alphabetic)
        && !a.chars().any(|c| c.is_ascii_digit())
}

/// Whether a phrase after `Theo` is a person's name: two to four words, each
/// capitalized (or all in capitals), none of them a publication word, and the phrase
/// has diacritics or several words of Vietnamese syllable shape.
fn looks_like_person(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let folded = format!("{} ", fold_word(s));
    if SOURCE_WORDS.iter().any(|w| folded.contains(w)) {
        return false;
    }
    words.iter().all(|w| {
        let mut cs = w.chars();
        let first_upper = cs.next().is_some_and(char::is_uppercase);
        let rest: Vec<char> = cs.collect();
        let all_caps = rest.iter().all(|c| !c.is_lowercase());
        let mixed = rest.iter().any(|c| c.is_uppercase()) && !all_caps;
        first_upper && !mixed && w.chars().all(char::is_alphabetic) && w.chars().count() <= 7
    })
}

/// A source name: trimmed, without closing punctuation, at most 60 characters.
fn clean_source(s: &str) -> Option<String> {
    let t = s.trim().trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '(' | ')')
    });
    (!t.is_empty() && t.chars().count() <= 60 && t.chars().any(char::is_alphabetic))
        .then(|| t.to_string())
}

/// `(name, Some(rest))` when `s` has a parenthesis, else `(s, None)`.
fn split_paren(s: &str) -> (&str, Option<&str>) {
    match s.find('(') {
        Some(i) => (s[..i].trim(), Some(&s[i..])),
        None => (s, None),
    }
}

/// `s` without the first of `prefixes` it starts with (compared folded; a prefix not
/// ending in `:` must be followed by a space or `:`).
fn strip_prefix_folded<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    // Fold the first few characters only (a prefix is short).
    let head: String = s.chars().take(24).collect();
    let folded = fold_word(&head);
    for p in prefixes {
        if !folded.starts_with(p) {
            continue;
        }
        // The same number of characters in the original (folding keeps the count of
        // precomposed letters; a decomposed input simply does not match).
        let n = p.chars().count();
        let cut = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
        let rest = &s[cut..];
        // `Veröffentlicht vonChris Jung`: markup joined a long prefix to the name.
        let glued = p.contains(' ') && rest.starts_with(char::is_uppercase);
        if p.ends_with(':') || rest.is_empty() || rest.starts_with([' ', ':']) || glued {
            if fold_word(&s[..cut]) != *p {
                continue;
            }
            return Some(rest.trim_start_matches(':').trim_start());
        }
    }
    None
}

/// Whether a string is a named desk (`Nhóm PV`), kept as an author.
pub fn is_desk(s: &str) -> bool {
    let f = fold_word(s.trim());
    DESKS
        .iter()
        .any(|d| f == d.trim() || (d.ends_with(' ') && f.starts_with(d)))
}

/// Title-cases an all-capitals name (`NGUYỄN HUY` → `Nguyễn Huy`); desks such as
/// `Nhóm PV` and mixed-case names are kept.
pub fn title_case(s: &str) -> String {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || letters.iter().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    if letters.len() <= 3 {
        // `PV`, `TTXVN`-like short capitals stay.
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authors(s: &str) -> Vec<String> {
        parse_byline(s).authors
    }

    #[test]
    fn role_prefixes_go_and_capitals_are_title_cased() {
        assert_eq!(authors("Bài, ảnh: NGUYỄN HUY"), ["Nguyễn Huy"]);
        assert_eq!(authors("Bài và ảnh: Lê An"), ["Lê An"]);
        assert_eq!(authors("Tác giả: Trần Minh"), ["Trần Minh"]);
        assert_eq!(
            authors("By Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(authors("Von Max Muster"), ["Max Muster"]);
    }

    #[test]
    fn several_names() {
        assert_eq!(authors("NHẬT XUÂN - NGHI VŨ"), ["Nhật Xuân", "Nghi Vũ"]);
        assert_eq!(
            authors("Thu Hà, Minh Anh và Lê An"),
            ["Thu Hà", "Minh Anh", "Lê An"]
        );
        assert_eq!(authors("Thu Hà; Thu Hà"), ["Thu Hà"]);
    }

    #[test]
    fn sources_are_credits_not_people() {
        let b = parse_byline("Thu Hà (theo Reuters)");
        assert_eq!(
            (b.authors, b.credit.as_deref()),
            (vec!["Thu Hà".to_string()], Some("Reuters"))
        );
        let b = parse_byline("Minh Anh (t/h)");
        assert_eq!((b.authors, b.credit), (vec!["Minh Anh".to_string()], None));
        let b = parse_byline("Hà Thu (tổng hợp)");
        assert_eq!((b.authors, b.credit), (vec!["Hà Thu".to_string()], None));
        let b = parse_byline("Lê An (TTXVN)");
        assert_eq!(
            (b.authors, b.credit.as_deref()),
            (vec!["Lê An".to_string()], Some("TTXVN"))
        );
        for (s, src) in [
            ("Theo TTXVN", "TTXVN"),
            ("Theo Reuters", "Reuters"),
            ("Theo báo Tuổi Trẻ", "báo Tuổi Trẻ"),
            ("Nguồn: VTV", "VTV"),
            ("Theo VnExpress", "VnExpress"),
        ] {
            let b = parse_byline(s);
            assert!(b.authors.is_empty(), "{s}: {:?}", b.authors);
            assert_eq!(b.credit.as_deref(), Some(src), "{s}");
        }
        // A full name after `Theo` is a person.
        assert_eq!(authors("Theo Hồ Hương"), ["Hồ Hương"]);
    }

    #[test]
    fn labels_commenters_and_date_tails_go() {
        assert!(authors("Name").is_empty());
        assert!(authors("Tanya sagt").is_empty());
        assert!(authors("Michael F Dougherty says").is_empty());
        assert_eq!(authors("Isabella DiBiase am Samstag"), ["Isabella DiBiase"]);
        assert_eq!(authors("Hà Thu"), ["Hà Thu"]);
        assert_eq!(authors("Veröffentlicht von Chris Jung"), ["Chris Jung"]);
        assert_eq!(authors("Veröffentlicht vonChris Jung"), ["Chris Jung"]);
        assert_eq!(authors("Eingestellt von der Michel"), ["der Michel"]);
        assert_eq!(authors("Über Creeny"), ["Creeny"]);
        assert_eq!(
            authors("VON MORITZ GATHMANN am 21. April 2020"),
            ["Moritz Gathmann"]
        );
        assert_eq!(authors("Gespeichert von rasos am 24. Juli 2017"), ["rasos"]);
        assert_eq!(authors("Text von Christian Seiler"), ["Christian Seiler"]);
    }

    #[test]
    fn desks_are_authors_and_junk_is_nothing() {
        assert_eq!(authors("Nhóm PV"), ["Nhóm PV"]);
        assert!(is_desk("Nhóm PV") && is_desk("PV") && !is_desk("Phạm Văn"));
        assert!(parse_byline("https://facebook.com/x").is_empty());
        assert!(parse_byline("  ").is_empty());
        assert!(authors("info@x.vn").is_empty());
    }
}

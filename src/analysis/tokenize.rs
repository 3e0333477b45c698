//! The tokenizer: text → syllables and numbers with byte offsets and positions.
//!
//! # Token rules
//!
//! The text is read as it is (any Unicode: NFC, NFD, mixed); nothing is copied or
//! normalized before tokenizing, so every token's `start..end` are byte offsets into the
//! caller's text, always on character boundaries.
//!
//! * **Words.** A *letter run* is a maximal run of letters (ASCII letters, precomposed
//!   Vietnamese letters, any other alphabetic or numeric character except the ASCII
//!   digits), with the combining marks and ignorable characters (soft hyphen, zero-width
//!   joiners) that follow a letter. Each run is one token of kind
//!   [`TokenKind::Word`]: in Vietnamese text, one syllable. Its `normalized` and `folded`
//!   forms come from [`normalize`](mod@super::normalize) (see there for the rules).
//! * **Numbers.** A run of ASCII digits is a [`TokenKind::Number`]. Digit groups joined
//!   by single `.` or `,` stay one token when they read as one number: one separator
//!   (`22,06`, `3.5`, `16.6`), or thousands groups (`1.234.567`, `10,159`, `1.234.567,89`:
//!   a first group of 1–3 digits, then groups of exactly 3 digits with one separator,
//!   and at most one final group after the other separator). Any other dotted digit
//!   sequence is split into its groups (`16.6.2013` → `16` `6` `2013`;
//!   `192.168.1.1` → four numbers). Numbers keep their separators and leading zeros
//!   (`06` ≠ `6`), so a user typing `22,06` finds exactly `22,06`.
//! * **Letters and digits split.** `COVID19`, `H5N1`, `22h30`, `5km`, `NQTW4` → `covid`
//!   `19`, `h` `5` `n` `1`, `22` `h` `30`, `5` `km`, `nqtw` `4`. Written with or without
//!   a hyphen or dot, a code gives the same consecutive tokens (`COVID-19` = `COVID19`,
//!   `U.23` = `U23`), so a phrase query finds every spelling.
//! * **Everything else separates tokens and is never a token**: spaces, punctuation,
//!   quotes, `%`, `-`, `/`, `@`, symbols, emoji. So `2012-2015` → `2012` `2015`,
//!   `16/06/2013` → `16` `06` `2013`, `98%` → `98`, URLs and e-mail addresses → their
//!   word parts (`https` `vnexpress` `net` …).
//! * **Positions** count tokens: 0, 1, 2, … with no gaps, so phrase queries match
//!   across punctuation (`TP.HCM` → `tp`@0 `hcm`@1, exactly like `TP HCM`).
//! * **Long runs.** A word or number whose canonical form is longer than
//!   [`MAX_TOKEN_BYTES`] bytes is dropped (it takes no position): a 10 MB line without
//!   spaces yields no giant term, tantivy's term limit is never reached, and the same
//!   word in NFC or NFD is kept or dropped alike.
//! * **Joined abbreviations** (index side only, [`Analyzer::with_joined`]): two or more
//!   runs of at most 5 letters joined by single dots, the first capitalized and the
//!   others all capitals (`TP.HCM`, `Tp.HCM`, `U.S.A`), also give one
//!   [`TokenKind::Joined`] token of the parts run together (`tphcm`), spanning the whole
//!   abbreviation, at the position of its first part. So the query `tphcm` finds
//!   `TP.HCM`, while `tp hcm` finds it through the parts. [`tokenize`] leaves joined
//!   tokens out: its tokens cover the text once, in order, as word segmentation and
//!   query planning need.
//!
//! Any change to these rules changes index terms and must bump
//! [`ANALYZER_VERSION`](super::ANALYZER_VERSION).
//!
//! # APIs
//!
//! [`tokenize`] returns owned [`Token`]s: convenient for queries and tools. For bulk
//! text, [`Analyzer`] keeps its buffers between texts and [`Tokens`] hands out borrowed
//! [`TokenRef`]s one at a time, without allocating per token; the tantivy tokenizers
//! ([`super::tantivy`]) run on it.

use super::normalize::{RunNormalizer, RunScan, fast_run, run_shape, starts_run};
use super::tables;

/// Longest word or number kept, in bytes of the original text.
pub const MAX_TOKEN_BYTES: usize = 64;

/// Most letters in one part of a joined abbreviation (`TP.HCM`).
const MAX_ABBREVIATION_PART: usize = 5;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A syllable or other run of letters.
    Word,
    /// A number (digits, with `.`/`,` separators).
    Number,
    /// The parts of a dotted abbreviation run together (`TP.HCM` → `tphcm`), at the
    /// position of its first part; emitted only by an [`Analyzer::with_joined`].
    Joined,
}

impl TokenKind {
    /// Lower-case name (`word`, `number`, `joined`), as printed by `tintuc analyze`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Joined => "joined",
        }
    }
}

/// One token: a syllable, a number or a piece of a code/URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Token position (0, 1, 2, ...); phrase queries need consecutive positions.
    pub position: u32,
    /// Canonical form ([`normalize()`](super::normalize())).
    pub normalized: String,
    /// Folded form ([`fold`](super::fold)).
    pub folded: String,
    /// Word, number or joined abbreviation.
    pub kind: TokenKind,
}

/// A token borrowed from a [`Tokens`] stream (valid until the next advance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Token position.
    pub position: u32,
    /// Canonical form.
    pub normalized: &'a str,
    /// Folded form.
    pub folded: &'a str,
    /// Word, number or joined abbreviation.
    pub kind: TokenKind,
}

impl TokenRef<'_> {
    /// An owned copy.
    pub fn to_token(&self) -> Token {
        Token {
            start: self.start,
            end: self.end,
            position: self.position,
            normalized: self.normalized.to_owned(),
            folded: self.folded.to_owned(),
            kind: self.kind,
        }
    }
}

/// Reusable tokenizer state: buffers kept from one text to the next.
///
/// ```
/// use tintuc::analysis::tokenize::Analyzer;
/// let mut analyzer = Analyzer::new();
/// let mut tokens = analyzer.tokens("Đảng ủy TP.HCM");
/// let mut folded = Vec::new();
/// while let Some(t) = tokens.next_token() {
///     folded.push(t.folded.to_string());
/// }
/// assert_eq!(folded, ["dang", "uy", "tp", "hcm"]);
/// ```
#[derive(Debug, Default, Clone)]
pub struct Analyzer {
    runs: RunNormalizer,
    norm: String,
    fold: String,
    joined: bool,
}

impl Analyzer {
    /// An analyzer producing the tokens of [`tokenize`].
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Also emit [`TokenKind::Joined`] tokens for dotted abbreviations (the index does).
    pub fn with_joined(mut self, joined: bool) -> Analyzer {
        self.joined = joined;
        self
    }

    /// The token stream over `text`.
    pub fn tokens<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        self.norm.clear();
        self.fold.clear();
        Tokens {
            text,
            cursor: 0,
            next_position: 0,
            join_until: 0,
            split_until: 0,
            an: self,
            start: 0,
            end: 0,
            position: 0,
            kind: TokenKind::Word,
        }
    }
}

/// A stream of tokens over one text; see [`Analyzer::tokens`].
#[derive(Debug)]
pub struct Tokens<'a> {
    text: &'a str,
    cursor: usize,
    next_position: u32,
    /// Runs starting before this offset are parts of an abbreviation already joined.
    join_until: usize,
    /// Numbers starting before this offset are groups of a split number.
    split_until: usize,
    an: &'a mut Analyzer,
    start: usize,
    end: usize,
    position: u32,
    kind: TokenKind,
}

impl<'a> Tokens<'a> {
    /// Moves to the next token; false at the end of the text.
    pub fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut i = self.cursor;
        while let Some(&b) = bytes.get(i) {
            let starts = if b.is_ascii_alphabetic() {
                Some(true)
            } else if b.is_ascii_digit() {
                Some(false)
            } else if b < 0x80 {
                None
            } else {
                let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
                let (e, _) = tables::lookup_utf8(b, at(1), at(2));
                if e != 0 {
                    Some(true)
                } else {
                    let c = self.text.get(i..).and_then(|t| t.chars().next());
                    match c {
                        Some(c) if starts_run(c) => Some(true),
                        Some(c) => {
                            i += c.len_utf8();
                            continue;
                        }
                        None => break,
                    }
                }
            };
            match starts {
                Some(word) => {
                    let emitted = if word { self.word(i) } else { self.number(i) };
                    if emitted {
                        return true;
                    }
                    i = self.cursor;
                }
                None => i += 1,
            }
        }
        self.cursor = bytes.len();
        false
    }

    /// Advances and returns the new current token, or `None` at the end.
    pub fn next_token(&mut self) -> Option<TokenRef<'_>> {
        if self.advance() {
            Some(self.token())
        } else {
            None
        }
    }

    /// The current token (after a successful [`advance`](Self::advance)).
    pub fn token(&self) -> TokenRef<'_> {
        TokenRef {
            start: self.start,
            end: self.end,
            position: self.position,
            normalized: &self.an.norm,
            folded: &self.an.fold,
            kind: self.kind,
        }
    }

    /// Canonical form of the current token.
    pub fn normalized(&self) -> &str {
        &self.an.norm
    }

    /// Folded form of the current token.
    pub fn folded(&self) -> &str {
        &self.an.fold
    }

    /// Byte offsets of the current token in the text.
    pub fn offsets(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Position of the current token.
    pub fn position(&self) -> u32 {
        self.position
    }

    /// Kind of the current token.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// Emits the word starting at `s`, or skips it; true when a token was emitted.
    fn word(&mut self, s: usize) -> bool {
        let an = &mut *self.an;
        an.norm.clear();
        an.fold.clear();
        let run = match fast_run(self.text, s, &mut an.norm, &mut an.fold) {
            Some(end) => RunScan {
                end,
                next: end,
                ascii: false,
                overflow: false,
            },
            None => {
                let run = an.runs.scan(self.text, s, MAX_TOKEN_BYTES + 1);
                if !run.overflow {
                    an.runs
                        .write(&self.text[s..run.end], &run, &mut an.norm, &mut an.fold);
                }
                run
            }
        };
        self.cursor = run.next;
        if run.overflow || an.norm.len() > MAX_TOKEN_BYTES {
            return false;
        }
        if an.joined
            && s >= self.join_until
            && self.text.as_bytes().get(run.end) == Some(&b'.')
            && let Some(end) = self.abbreviation(s, &run)
        {
            if self.emit_joined(s, end) {
                self.join_until = end;
                self.cursor = s;
                return true;
            }
            // Too long to join: the word as it is, scanned again.
            let an = &mut *self.an;
            an.norm.clear();
            an.fold.clear();
            let run = an.runs.scan(self.text, s, MAX_TOKEN_BYTES + 1);
            an.runs
                .write(&self.text[s..run.end], &run, &mut an.norm, &mut an.fold);
        }
        self.set(s, run.end, TokenKind::Word);
        true
    }

    /// End of the dotted abbreviation starting with `first` at `s`, if it is one.
    /// (Scans the following parts, so the first part's letters must be scanned again.)
    fn abbreviation(&mut self, s: usize, first: &RunScan) -> Option<usize> {
        let (letters, first_upper, _) = run_shape(&self.text[s..first.end]);
        if !first_upper || letters > MAX_ABBREVIATION_PART || first.next != first.end {
            return None;
        }
        let bytes = self.text.as_bytes();
        let mut end = first.end;
        let mut parts = 1;
        while bytes.get(end) == Some(&b'.') {
            let p = end + 1;
            if !self
                .text
                .get(p..)
                .and_then(|t| t.chars().next())
                .is_some_and(starts_run)
            {
                break;
            }
            let run = self.an.runs.scan(self.text, p, MAX_TOKEN_BYTES);
            let (letters, _, all_upper) = run_shape(&self.text[p..run.end]);
            if !all_upper || letters > MAX_ABBREVIATION_PART || run.next != run.end {
                break;
            }
            end = run.end;
            parts += 1;
        }
        (parts >= 2).then_some(end)
    }

    /// Emits the joined form of the abbreviation `s..end` (the caller leaves the cursor
    /// at `s`, so its parts follow, the first at the same position); false when the
    /// joined form would be too long.
    fn emit_joined(&mut self, s: usize, end: usize) -> bool {
        let an = &mut *self.an;
        an.norm.clear();
        an.fold.clear();
        let mut p = s;
        while p < end {
            let run = an.runs.scan(self.text, p, MAX_TOKEN_BYTES);
            an.runs
                .write(&self.text[p..run.end], &run, &mut an.norm, &mut an.fold);
            p = run.end + 1;
        }
        if an.norm.len() > MAX_TOKEN_BYTES {
            return false;
        }
        self.start = s;
        self.end = end;
        self.position = self.next_position;
        self.kind = TokenKind::Joined;
        true
    }

    /// Emits the number starting at `s` (or its first group), or skips it.
    fn number(&mut self, s: usize) -> bool {
        let bytes = self.text.as_bytes();
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let first_end = digits(s);
        let mut end = first_end;
        // Shape of the groups after the first: one number when there are two groups,
        // or thousands groups with an optional decimal part.
        let mut groups = 1;
        let mut thousands = first_end - s <= 3;
        let mut thousands_sep = None;
        let mut decimal = false;
        while let (Some(&sep), Some(d)) = (bytes.get(end), bytes.get(end + 1)) {
            if !(sep == b'.' || sep == b',') || !d.is_ascii_digit() {
                break;
            }
            let group_end = digits(end + 1);
            let len = group_end - end - 1;
            groups += 1;
            if decimal {
                thousands = false; // nothing may follow the decimal part
            } else {
                match thousands_sep {
                    None if len == 3 => thousands_sep = Some(sep),
                    None => decimal = true,
                    Some(t) if t == sep => thousands &= len == 3,
                    Some(_) => decimal = true,
                }
            }
            end = group_end;
        }
        let one_token = groups <= 2 || thousands;
        let (tok_end, next) = if s < self.split_until || !one_token {
            if s >= self.split_until {
                self.split_until = end;
            }
            (first_end, first_end)
        } else {
            (end, end)
        };
        self.cursor = next;
        if tok_end - s > MAX_TOKEN_BYTES {
            return false;
        }
        let an = &mut *self.an;
        an.norm.clear();
        an.fold.clear();
        an.norm.push_str(&self.text[s..tok_end]);
        an.fold.push_str(&self.text[s..tok_end]);
        self.set(s, tok_end, TokenKind::Number);
        true
    }

    fn set(&mut self, start: usize, end: usize, kind: TokenKind) {
        self.start = start;
        self.end = end;
        self.kind = kind;
        self.position = self.next_position;
        self.next_position = self.next_position.saturating_add(1);
    }
}

/// Splits `text` into tokens with offsets into `text` (the rules are in the module
/// documentation). Joined abbreviation forms are not included.
///
/// ```
/// use tintuc::analysis::tokenize;
/// let t = tokenize("Đảng ủy TP.HCM: 22,06%");
/// let n: Vec<_> = t.iter().map(|t| t.normalized.as_str()).collect();
/// assert_eq!(n, ["đảng", "uỷ", "tp", "hcm", "22,06"]);
/// assert_eq!(t[1].folded, "uy");
/// assert_eq!((t[1].start, t[1].end, t[1].position), (8, 12, 1));
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut analyzer = Analyzer::new();
    let mut tokens = analyzer.tokens(text);
    let mut out = Vec::new();
    while let Some(t) = tokens.next_token() {
        out.push(t.to_token());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// (original text, normalized, folded, start, end, position) of each token.
    fn toks(text: &str) -> Vec<(String, String, String, usize, usize, u32)> {
        tokenize(text)
            .into_iter()
            .map(|t| {
                (
                    text[t.start..t.end].to_string(),
                    t.normalized,
                    t.folded,
                    t.start,
                    t.end,
                    t.position,
                )
            })
            .collect()
    }

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.normalized).collect()
    }

    fn joined(text: &str) -> Vec<(String, u32, TokenKind, usize, usize)> {
        let mut an = Analyzer::new().with_joined(true);
        let mut ts = an.tokens(text);
        let mut out = Vec::new();
        while let Some(t) = ts.next_token() {
            out.push((t.normalized.to_string(), t.position, t.kind, t.start, t.end));
        }
        out
    }

    fn t(
        s: &str,
        n: &str,
        f: &str,
        a: usize,
        b: usize,
        p: u32,
    ) -> (String, String, String, usize, usize, u32) {
        (s.into(), n.into(), f.into(), a, b, p)
    }

    #[test]
    fn vietnamese_sentence_exact() {
        assert_eq!(
            toks("Đảng ủy Khối, TP Cần Thơ."),
            vec![
                t("Đảng", "đảng", "dang", 0, 7, 0),
                t("ủy", "uỷ", "uy", 8, 12, 1),
                t("Khối", "khối", "khoi", 13, 19, 2),
                t("TP", "tp", "tp", 21, 23, 3),
                t("Cần", "cần", "can", 24, 29, 4),
                t("Thơ", "thơ", "tho", 30, 34, 5),
            ]
        );
    }

    #[test]
    fn nfd_offsets_point_into_the_nfd_text() {
        let nfc = "Nghị quyết Đảng";
        let nfd: String = nfc.nfd().collect();
        let a = tokenize(nfc);
        let b = tokenize(&nfd);
        assert_eq!(a.len(), 3);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.normalized, y.normalized);
            assert_eq!(x.folded, y.folded);
            assert_eq!(x.position, y.position);
            // Each NFD token covers its base letters and all their marks.
            assert_eq!(
                nfd[y.start..y.end].nfc().collect::<String>(),
                nfc[x.start..x.end]
            );
        }
        assert_eq!(b[0].start, 0);
        assert_eq!(b[2].end, nfd.len());
    }

    #[test]
    fn nfd_exact_offsets() {
        // "Việt Nam" in NFD: V i e U+0323 U+0302 t, then "Nam".
        let text = "Vie\u{0323}\u{0302}t Nam";
        assert_eq!(
            toks(text),
            vec![
                t("Vie\u{0323}\u{0302}t", "việt", "viet", 0, 8, 0),
                t("Nam", "nam", "nam", 9, 12, 1),
            ]
        );
    }

    #[test]
    fn old_style_tone_marks_and_eth() {
        assert_eq!(norms("hòa thủy khỏe qúy"), ["hoà", "thuỷ", "khoẻ", "quý"]);
        assert_eq!(toks("ÐẢNG"), vec![t("ÐẢNG", "đảng", "dang", 0, 7, 0)]);
    }

    #[test]
    fn numbers() {
        assert_eq!(norms("98%"), ["98"]);
        assert_eq!(norms("22,06%"), ["22,06"]);
        assert_eq!(norms("1.234.567 đồng"), ["1.234.567", "đồng"]);
        assert_eq!(norms("1,234,567.89"), ["1,234,567.89"]);
        assert_eq!(norms("1.234.567,89"), ["1.234.567,89"]);
        assert_eq!(norms("10.159 tỉ"), ["10.159", "tỉ"]);
        assert_eq!(
            toks("2012-2015"),
            vec![
                t("2012", "2012", "2012", 0, 4, 0),
                t("2015", "2015", "2015", 5, 9, 1)
            ]
        );
        assert_eq!(
            toks("16/06/2013"),
            vec![
                t("16", "16", "16", 0, 2, 0),
                t("06", "06", "06", 3, 5, 1),
                t("2013", "2013", "2013", 6, 10, 2),
            ]
        );
        assert_eq!(norms("16.6.2013"), ["16", "6", "2013"]);
        assert_eq!(norms("192.168.1.1"), ["192", "168", "1", "1"]);
        assert_eq!(norms("ngày 16.6 và 3.5"), ["ngày", "16.6", "và", "3.5"]);
        assert_eq!(norms("năm 2013."), ["năm", "2013"]);
        assert_eq!(norms("9-2017"), ["9", "2017"]);
        assert_eq!(norms("-5,5"), ["5,5"]);
        assert!(
            tokenize("16.6.2013")
                .iter()
                .all(|t| t.kind == TokenKind::Number)
        );
    }

    #[test]
    fn codes_and_abbreviations() {
        assert_eq!(norms("COVID-19"), ["covid", "19"]);
        assert_eq!(norms("COVID19"), ["covid", "19"]);
        assert_eq!(norms("NQTW4"), ["nqtw", "4"]);
        assert_eq!(norms("(NQTW4)"), ["nqtw", "4"]);
        assert_eq!(norms("BTV"), ["btv"]);
        assert_eq!(norms("TP.HCM"), ["tp", "hcm"]);
        assert_eq!(norms("TP. HCM"), ["tp", "hcm"]);
        assert_eq!(norms("H5N1"), ["h", "5", "n", "1"]);
        assert_eq!(norms("22h30"), ["22", "h", "30"]);
        assert_eq!(norms("U.23"), norms("U23"));
        let kinds: Vec<_> = tokenize("COVID-19").iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Word, TokenKind::Number]);
    }

    #[test]
    fn joined_abbreviations_are_index_side_only() {
        use TokenKind::*;
        assert_eq!(
            joined("ở TP.HCM hôm"),
            vec![
                ("ở".into(), 0, Word, 0, 3),
                ("tphcm".into(), 1, Joined, 4, 10),
                ("tp".into(), 1, Word, 4, 6),
                ("hcm".into(), 2, Word, 7, 10),
                ("hôm".into(), 3, Word, 11, 15),
            ]
        );
        assert_eq!(joined("Tp.HCM")[0].0, "tphcm");
        assert_eq!(joined("U.S.A.")[0], ("usa".into(), 0, Joined, 0, 5));
        assert_eq!(joined("U.S.A.").len(), 4);
        // Not abbreviations: sentence ends without a space, lower case, URLs.
        assert!(joined("Hà Nội.Hôm nay").iter().all(|t| t.2 == Word));
        assert!(joined("vnexpress.net").iter().all(|t| t.2 == Word));
        assert!(joined("NGUYEN.VAN").iter().all(|t| t.2 == Word));
        assert!(joined("TP.HCM").len() == 3 && tokenize("TP.HCM").len() == 2);
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(
            norms("https://vnexpress.net/thoi-su/abc-123.html?x=1"),
            [
                "https",
                "vnexpress",
                "net",
                "thoi",
                "su",
                "abc",
                "123",
                "html",
                "x",
                "1"
            ]
        );
        assert_eq!(
            norms("Liên hệ: toasoan@tuoitre.com.vn"),
            ["liên", "hệ", "toasoan", "tuoitre", "com", "vn"]
        );
    }

    #[test]
    fn punctuation_quotes_and_emoji_are_never_tokens() {
        assert_eq!(
            toks("“Một số vấn đề” (NQTW4) — ok! 👍🏽 ✓"),
            vec![
                t("Một", "một", "mot", 3, 8, 0),
                t("số", "số", "so", 9, 13, 1),
                t("vấn", "vấn", "van", 14, 19, 2),
                t("đề", "đề", "de", 20, 25, 3),
                t("NQTW", "nqtw", "nqtw", 30, 34, 4),
                t("4", "4", "4", 34, 35, 5),
                t("ok", "ok", "ok", 41, 43, 6),
            ]
        );
        assert!(tokenize("!!! ... --- 👨‍👩‍👧 🇻🇳").is_empty());
    }

    #[test]
    fn hyphenated_and_mixed_language() {
        assert_eq!(norms("e-mail Wi-Fi"), ["e", "mail", "wi", "fi"]);
        assert_eq!(
            norms("Apple's iPhone ra mắt tại Việt Nam"),
            ["apple", "s", "iphone", "ra", "mắt", "tại", "việt", "nam"]
        );
        assert_eq!(norms("Café Müller"), ["café", "müller"]);
        assert_eq!(norms("Москва 北京"), ["москва", "北京"]);
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \t\n\r\u{00A0}\u{3000} ").is_empty());
        assert!(tokenize("\u{0301}\u{0300}").is_empty());
    }

    #[test]
    fn soft_hyphen_inside_word() {
        assert_eq!(
            toks("Vi\u{00AD}ệt\u{00AD} "),
            vec![t("Vi\u{00AD}ệt", "việt", "viet", 0, 8, 0)]
        );
    }

    #[test]
    fn long_runs_are_dropped_without_a_position() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        let ok = "b".repeat(MAX_TOKEN_BYTES);
        let text = format!("x {long} {ok} y");
        let n = tokenize(&text);
        assert_eq!(n.len(), 3);
        assert_eq!(n[1].normalized, ok);
        assert_eq!((n[2].normalized.as_str(), n[2].position), ("y", 2));
        assert!(tokenize(&"7".repeat(100)).is_empty());
    }

    #[test]
    fn ten_megabyte_line() {
        let line = "Đảng".repeat(10 * 1024 * 1024 / 7 + 1);
        assert!(line.len() >= 10 * 1024 * 1024);
        assert!(tokenize(&line).is_empty());
        let spaced = "Đảng ủy, 2015 ".repeat(10 * 1024 * 1024 / 16);
        let n = tokenize(&spaced);
        assert_eq!(n.len(), 3 * (10 * 1024 * 1024 / 16));
        let last = n.last().unwrap();
        assert_eq!(last.position as usize, n.len() - 1);
        assert_eq!(&spaced[last.start..last.end], "2015");
    }

    #[test]
    fn streaming_matches_tokenize_and_reuses_buffers() {
        let mut an = Analyzer::new();
        for text in ["Đảng ủy", "", "COVID-19 tại TP.HCM", "hòa"] {
            let mut ts = an.tokens(text);
            let mut got = Vec::new();
            while let Some(t) = ts.next_token() {
                got.push(t.to_token());
            }
            assert_eq!(got, tokenize(text));
        }
    }
}

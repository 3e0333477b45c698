//! Splits a line into word-like pieces and punctuation for `tintuc segment`.
//!
//! Rules (a *chunk* is a run of non-whitespace):
//! - A chunk without any letter or digit is one punctuation piece (`...`, `);`).
//! - Otherwise leading and trailing punctuation is split off, one piece per character
//!   (runs of one character stay together: `...`, `!!`); emoji modifiers and joiners
//!   stay with the character before them.
//! - Inside, `.`, `-`, `/`, `'`, `’`, `&`, `_`, `+`, `@` are kept (`2.000`, `30/11`,
//!   `GD-ĐT`, `www.tuoitre.vn`), and `,` `:` `–` between digits (`7,5`, `10:30`);
//!   other punctuation splits the chunk (`Nội,Việt` → `Nội` `,` `Việt`).
//! - A `%`, `‰` or `°` right after a digit stays (`22,06%`); a leading `.` before a letter stays
//!   (`.NET`); a final `.` stays on a short abbreviation that is not the last chunk of the
//!   line (`TP.`, `Th.`, `H.`, `V.H.`, `tp.`).
//! - A chunk that looks like a URL or an e-mail address is one piece (minus trailing punctuation).
//! - U+FFFD (a byte that was not UTF-8) counts as a letter, so a damaged syllable stays whole.
//! - The VTB treebank's bracket placeholders `LBKT` and `RBKT` are punctuation.

use unicode_normalization::char::is_combining_mark;

/// One piece of a line: a word-like token (syllable, number, code) or punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// True for word-like pieces (they may be joined into words), false for punctuation.
    pub word: bool,
}

#[inline]
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    super::key::is_table_letter(c)
        || c.is_alphanumeric()
        || is_combining_mark(c)
        || c == char::REPLACEMENT_CHARACTER
}

/// Characters that attach to the punctuation or symbol before them.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{20E3}' | '\u{E0020}'..='\u{E007F}')
        || is_combining_mark(c)
}

const ABBREV_LOWER: &[&str] = &[
    "tp", "q", "p", "h", "tt", "tx", "ts", "gs", "pgs", "ths", "bs", "ks", "th", "tr",
];

/// Splits `line` into pieces, appending to `out` (cleared first).
///
/// ```
/// use tintuc::analysis::segment::pretok::pieces;
/// let line = "Giá tăng 22,06% (TP. HCM).";
/// let mut out = Vec::new();
/// pieces(line, &mut out);
/// let texts: Vec<&str> = out.iter().map(|p| &line[p.start..p.end]).collect();
/// assert_eq!(texts, ["Giá", "tăng", "22,06%", "(", "TP.", "HCM", ")", "."]);
/// ```
pub fn pieces(line: &str, out: &mut Vec<Piece>) {
    out.clear();
    // Each chunk is processed once the next one is found, so that the last is known.
    // Whether a chunk is letters and digits only is found on the way.
    let t = super::key::letter_table();
    let mut pending: Option<(usize, usize, bool)> = None;
    let bytes = line.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    'line: loop {
        // whitespace before a chunk
        let start = loop {
            let Some(&x) = bytes.get(i) else {
                break 'line;
            };
            let (space, len) = if x < 0x80 {
                (ASCII_CLASS[x as usize] & A_SPACE != 0, 1)
            } else {
                let (cp, len) = decode_at(bytes, i, x);
                (classify(cp, t).0, len)
            };
            if !space {
                break i;
            }
            i += len;
        };
        // the chunk: up to the next whitespace
        let mut alnum = true;
        while let Some(&x) = bytes.get(i) {
            if x < 0x80 {
                let c = ASCII_CLASS[x as usize];
                if c & A_SPACE != 0 {
                    break;
                }
                alnum &= c & A_ALNUM != 0;
                i += 1;
            } else {
                let (cp, len) = decode_at(bytes, i, x);
                let (space, letter) = classify(cp, t);
                if space {
                    break;
                }
                alnum &= letter;
                i += len;
            }
        }
        if let Some((ps, pe, pa)) = pending.replace((start, i.min(n), alnum)) {
            chunk(line, ps, pe, pa, false, out);
        }
    }
    if let Some((ps, pe, pa)) = pending {
        chunk(line, ps, pe, pa, true, out);
    }
}

/// [`ASCII_CLASS`] bit: whitespace.
const A_SPACE: u8 = 1;
/// [`ASCII_CLASS`] bit: a letter or digit.
const A_ALNUM: u8 = 2;

/// Whitespace and letter-or-digit bits of ASCII bytes.
static ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut x = 0;
    while x < 128 {
        let b = x as u8;
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
            t[x] = A_SPACE;
        } else if b.is_ascii_alphanumeric() {
            t[x] = A_ALNUM;
        }
        x += 1;
    }
    t
};

/// Whether a non-ASCII code point is whitespace, and whether it is a letter or digit
/// ([`is_alnum`]); `t` is the letter table.
#[inline]
fn classify(cp: u32, t: &[u16]) -> (bool, bool) {
    let i = cp as usize;
    if i < t.len() && (t[i] >> 3) & 0x3F != 0 {
        (false, true)
    } else {
        let c = char::from_u32(cp).unwrap_or(' ');
        (c.is_whitespace(), is_alnum_slow(c))
    }
}

/// The code point of the character that starts with byte `x` at `i` of `b` (valid
/// UTF-8, `x >= 0x80`) and its length in bytes.
#[inline]
fn decode_at(b: &[u8], i: usize, x: u8) -> (u32, usize) {
    let c = |k: usize| (b.get(i + k).copied().unwrap_or(0x80) & 0x3F) as u32;
    if x < 0xE0 {
        (((x & 0x1F) as u32) << 6 | c(1), 2)
    } else if x < 0xF0 {
        (((x & 0x0F) as u32) << 12 | c(1) << 6 | c(2), 3)
    } else {
        (((x & 0x07) as u32) << 18 | c(1) << 12 | c(2) << 6 | c(3), 4)
    }
}

/// [`is_alnum`] for characters outside ASCII and the letter table.
#[inline]
fn is_alnum_slow(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || c == char::REPLACEMENT_CHARACTER
}

/// Bracket placeholders of the VTB treebank (its text writes `(` `)` this way).
const BRACKET_WORDS: &[&str] = &["LBKT", "RBKT"];

/// One chunk `[s, e)`; `all_alnum`: every character is a letter, digit or combining mark.
fn chunk(line: &str, s: usize, e: usize, all_alnum: bool, last: bool, out: &mut Vec<Piece>) {
    let text = &line[s..e];
    // common case: letters and digits only
    if all_alnum && !(text.len() == 4 && BRACKET_WORDS.contains(&text)) {
        out.push(Piece {
            start: s,
            end: e,
            word: true,
        });
        return;
    }
    // next most common: letters and digits with one ASCII punctuation mark before or
    // after them; the pieces `split_word` gives for these, found directly
    if let [first, .., lastb] = *text.as_bytes() {
        if matches!(lastb, b',' | b';' | b':' | b')' | b'"' | b'?' | b'!' | b'.')
            && text[..text.len() - 1].chars().all(is_alnum)
        {
            let core = &text[..text.len() - 1];
            // a final '.' stays on an abbreviation that does not end the line
            if lastb == b'.' && !last && is_abbrev(core) {
                out.push(Piece {
                    start: s,
                    end: e,
                    word: true,
                });
            } else {
                out.push(Piece {
                    start: s,
                    end: e - 1,
                    word: true,
                });
                out.push(Piece {
                    start: e - 1,
                    end: e,
                    word: false,
                });
            }
            return;
        }
        if matches!(first, b'(' | b'"') && text[1..].chars().all(is_alnum) {
            out.push(Piece {
                start: s,
                end: s + 1,
                word: false,
            });
            out.push(Piece {
                start: s + 1,
                end: e,
                word: true,
            });
            return;
        }
    }
    if !text.chars().any(is_alnum) || BRACKET_WORDS.contains(&text) {
        out.push(Piece {
            start: s,
            end: e,
            word: false,
        });
        return;
    }
    if looks_like_url(text) {
        let core_end = s + last_alnum_end(text);
        let core_start = s + first_alnum(text);
        punct_run(line, s, core_start, out);
        out.push(Piece {
            start: core_start,
            end: core_end,
            word: true,
        });
        punct_run(line, core_end, e, out);
        return;
    }
    split_word(line, s, e, last, out);
}

fn first_alnum(text: &str) -> usize {
    text.char_indices()
        .find(|&(_, c)| is_alnum(c))
        .map_or(text.len(), |(i, _)| i)
}

fn last_alnum_end(text: &str) -> usize {
    text.char_indices()
        .rev()
        .find(|&(_, c)| is_alnum(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn looks_like_url(text: &str) -> bool {
    let b = text.as_bytes();
    if text.contains("://") || (b.len() > 4 && b[..4].eq_ignore_ascii_case(b"www.")) {
        return true;
    }
    // e-mail: letters@letters.letters
    if let Some(at) = text.find('@') {
        let (a, b) = (&text[..at], &text[at + 1..]);
        return a.chars().any(is_alnum) && b.contains('.') && b.chars().any(is_alnum);
    }
    false
}

/// A word-like span `[s, e)` that contains at least one letter or digit.
fn split_word(line: &str, s: usize, e: usize, last: bool, out: &mut Vec<Piece>) {
    let text = &line[s..e];
    let mut core_start = s + first_alnum(text);
    let mut core_end = s + last_alnum_end(text);
    // a leading '.' right before a letter stays (".NET")
    if core_start == s + 1 && text.starts_with('.') {
        core_start = s;
    }
    // suffixes that stay
    let core = &line[core_start..core_end];
    let trailing = &line[core_end..e];
    let last_core = core.chars().next_back().unwrap_or(' ');
    if let Some(c) = trailing.chars().next() {
        if matches!(c, '%' | '‰' | '°') && last_core.is_ascii_digit() {
            core_end += c.len_utf8();
        } else if c == '.'
            && !trailing.starts_with("..")
            && !last
            && hard_split_at(core).is_none()
            && is_abbrev(core)
        {
            core_end += 1;
        }
    }
    punct_run(line, s, core_start, out);
    let core = &line[core_start..core_end];
    match hard_split_at(core) {
        None => out.push(Piece {
            start: core_start,
            end: core_end,
            word: true,
        }),
        Some((a, b)) => {
            // [core_start, a) has an alnum (a hard char is never first); [a, b) is punctuation
            let (a, b) = (core_start + a, core_start + b);
            split_word(line, core_start, a, false, out);
            punct_run(line, a, b, out);
            split_word(line, b, core_end, last, out);
        }
    }
    punct_run(line, core_end, e, out);
}

/// Whether `core` (letters, maybe with inner dots) is a short abbreviation.
fn is_abbrev(core: &str) -> bool {
    let mut first = true;
    let mut run = 0;
    let mut dotted = false;
    let mut upper_first = false;
    for c in core.chars() {
        if c == '.' {
            if run == 0 {
                return false;
            }
            dotted = true;
            run = 0;
            continue;
        }
        if !c.is_alphabetic() && !is_combining_mark(c) {
            return false;
        }
        if first {
            upper_first = c.is_uppercase();
            first = false;
        }
        run += 1;
        if run > 3 {
            return false;
        }
    }
    if upper_first {
        return true;
    }
    !dotted && ABBREV_LOWER.contains(&core)
}

/// The first run of punctuation inside `core` that splits it, as byte offsets into `core`.
fn hard_split_at(core: &str) -> Option<(usize, usize)> {
    let mut prev: Option<char> = None;
    let mut it = core.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_alnum(c) {
            let next = it.peek().map(|&(_, n)| n);
            let soft = match c {
                '.' | '-' | '‐' | '/' | '\'' | '’' | '&' | '_' | '+' | '@' => true,
                ',' | ':' | '–' => {
                    prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit())
                }
                _ => false,
            };
            let soft = soft && prev.is_some() && next.is_some_and(is_alnum);
            if !soft && prev.is_some() {
                // the hard run: this char and following non-alnum chars
                let mut j = i + c.len_utf8();
                for (k, d) in core[j..].char_indices() {
                    if is_alnum(d) {
                        break;
                    }
                    j = i + c.len_utf8() + k + d.len_utf8();
                }
                if j >= core.len() {
                    return None; // only trailing punctuation (kept suffix)
                }
                return Some((i, j));
            }
        }
        prev = Some(c);
    }
    None
}

/// Punctuation `[s, e)`: one piece per character, runs of one character together,
/// joiners and modifiers with the character before them.
fn punct_run(line: &str, s: usize, e: usize, out: &mut Vec<Piece>) {
    let mut cur: Option<(usize, char)> = None;
    let mut end = s;
    for (k, c) in line[s..e].char_indices() {
        let i = s + k;
        match cur {
            Some((_, p)) if p == c || is_joiner(c) => {}
            _ => {
                if let Some((st, _)) = cur {
                    out.push(Piece {
                        start: st,
                        end: i,
                        word: false,
                    });
                }
                cur = Some((i, c));
            }
        }
        end = i + c.len_utf8();
    }
    if let Some((st, _)) = cur {
        out.push(Piece {
            start: st,
            end,
            word: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        pieces(line, &mut out);
        out.iter()
            .map(|p| {
                let t = &line[p.start..p.end];
                if p.word {
                    t.to_string()
                } else {
                    format!("<{t}>")
                }
            })
            .collect()
    }

    #[test]
    fn punctuation_is_split_off() {
        assert_eq!(
            split("Trả lời phỏng vấn, ông Lộc nói: \"bán\"."),
            [
                "Trả", "lời", "phỏng", "vấn", "<,>", "ông", "Lộc", "nói", "<:>", "<\">", "bán",
                "<\">", "<.>"
            ]
        );
        assert_eq!(
            split("Hà Nội,Việt Nam"),
            ["Hà", "Nội", "<,>", "Việt", "Nam"]
        );
        assert_eq!(split("(“Ôi”)"), ["<(>", "<“>", "Ôi", "<”>", "<)>"]);
        assert_eq!(split("chờ..."), ["chờ", "<...>"]);
        assert_eq!(split("vậy ?!"), ["vậy", "<?!>"]);
    }

    #[test]
    fn numbers_dates_and_codes_stay_whole() {
        assert_eq!(
            split("tăng 22,06% ngày 16/06/2013"),
            ["tăng", "22,06%", "ngày", "16/06/2013"]
        );
        assert_eq!(
            split("lúc 10:30, 2.000 đồng"),
            ["lúc", "10:30", "<,>", "2.000", "đồng"]
        );
        assert_eq!(split("GD-ĐT A5 54N-7"), ["GD-ĐT", "A5", "54N-7"]);
        assert_eq!(split("1,2,3"), ["1,2,3"]);
        assert_eq!(split("a,b"), ["a", "<,>", "b"]);
    }

    #[test]
    fn abbreviations_keep_their_dot_except_at_line_end() {
        assert_eq!(split("TP. HCM"), ["TP.", "HCM"]);
        assert_eq!(split("ông V.H. Nam"), ["ông", "V.H.", "Nam"]);
        assert_eq!(split("q.1 tp. Huế"), ["q.1", "tp.", "Huế"]);
        assert_eq!(split("ở đó. Sau"), ["ở", "đó", "<.>", "Sau"]);
        assert_eq!(split("đến TP."), ["đến", "TP", "<.>"]);
        assert_eq!(split(".NET"), [".NET"]);
    }

    #[test]
    fn urls_emails_and_emoji() {
        assert_eq!(
            split("xem https://tuoitre.vn/a-b.htm, hoặc www.x.org."),
            [
                "xem",
                "https://tuoitre.vn/a-b.htm",
                "<,>",
                "hoặc",
                "www.x.org",
                "<.>"
            ]
        );
        assert_eq!(split("gửi a.b@c.vn"), ["gửi", "a.b@c.vn"]);
        assert_eq!(split("vui😀👍🏽 quá"), ["vui", "<😀>", "<👍🏽>", "quá"]);
        assert_eq!(split("中国 và Việt"), ["中国", "và", "Việt"]);
    }

    #[test]
    fn whitespace_and_empty() {
        assert!(split("").is_empty());
        assert!(split(" \t\u{a0} ").is_empty());
        assert_eq!(split("  a \t b  "), ["a", "b"]);
        assert_eq!(split("..."), ["<...>"]);
        assert_eq!(split(");"), ["<);>"]);
        assert_eq!(split("LBKT Huế RBKT"), ["<LBKT>", "Huế", "<RBKT>"]);
    }

    #[test]
    fn pieces_cover_all_non_space_characters() {
        for line in [
            "a,b.c!d?(e)",
            "x--y",
            "'a'",
            "%5",
            "5%%",
            "...a...",
            "a.",
            "A.B.C.D.E",
            "ê\u{301}",
        ] {
            let mut out = Vec::new();
            pieces(line, &mut out);
            let joined: String = out.iter().map(|p| &line[p.start..p.end]).collect();
            let expect: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(joined, expect, "{line}");
            for w in out.windows(2) {
                assert!(w[0].end <= w[1].start);
            }
        }
    }
}

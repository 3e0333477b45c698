//! Publication dates in the forms Vietnamese (and English, German) news pages print,
//! found inside longer strings such as bylines.
//!
//! [`parse_date`] reads one date (with an optional time of day and UTC offset) out of a
//! string; [`find_date`] says where it was and whether a time and offset were present;
//! [`date_from_url`] reads the date many news sites put in their article URLs.
//!
//! Rules:
//! - Numeric dates are **day first** (`16/06/2013`, `16-06-2013`, `16.06.2013`), as
//!   Vietnamese and European pages write them, except when the year comes first
//!   (`2013-06-16`, `2021/03/05`). When day-first is impossible but month-first is
//!   not (`03/16/2021`), the month-first reading is taken.
//! - A date or time without an offset is Vietnam time (UTC+7), or the offset given to
//!   [`parse_date_with`]. Explicit offsets (`+07:00`, `+0700`, `Z`, `GMT+7`, `(GMT+7)`,
//!   `UTC`, `ICT`, RFC 2822 zone names) are honoured.
//! - Impossible dates (`31/02/2013`) and years before 1900 or after next year are
//!   rejected.
//! - A string made only of digits is read as a compact date (`20130616`,
//!   `201306162009`, `20130616200900`) or, with 10 or 13 digits, as Unix epoch seconds
//!   or milliseconds.
//!
//! The calendar math is [`jiff`]'s; only the tokenizing of these forms is written here
//! (no maintained crate reads Vietnamese forms such as `ngày 16 tháng 6 năm 2013`).
//!
//! ```
//! use tintuc::extract::date::{parse_date, find_date};
//! use tintuc::article::format_date;
//! let ts = parse_date("Cập nhật: 07/03/2026 08:06").unwrap();
//! assert_eq!(format_date(ts), "2026-03-07T08:06:00+07:00");
//! let m = find_date("Thứ tư, 22/10/2025, 19:25 (GMT+7)", tintuc::article::vn_offset()).unwrap();
//! assert!(m.has_time && m.has_offset);
//! ```

use std::ops::Range;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use unicode_normalization::UnicodeNormalization;

use crate::article::{PubDate, vn_offset};

/// The earliest year accepted.
pub const MIN_YEAR: i16 = 1900;

/// Only this many bytes of a string are searched for a date (bylines are short; this
/// bounds the work on a string that is a whole page by mistake).
pub const MAX_SCAN_BYTES: usize = 64 * 1024;

/// The latest year accepted: next year (dates further ahead are typos or ids).
pub fn max_year() -> i16 {
    static MAX: OnceLock<i16> = OnceLock::new();
    *MAX.get_or_init(|| {
        Timestamp::now()
            .to_zoned_datetime(crate::article::vn_tz())
            .year()
            .saturating_add(1)
    })
}

/// A date found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    /// The instant (a date without a time is midnight at the offset used).
    pub timestamp: Timestamp,
    /// True when a time of day was given.
    pub has_time: bool,
    /// True when the string gave its own UTC offset (or zone name).
    pub has_offset: bool,
    /// The offset the date was read at: its own, else the default one.
    pub offset: Offset,
    /// Byte range of the matched date (with its time and offset) in the input.
    pub span: Range<usize>,
}

impl DateMatch {
    /// The date with the offset it was read at (the string's own, else the default).
    pub fn pub_date(&self) -> PubDate {
        PubDate::new(self.timestamp, self.offset)
    }
}

/// Like [`parse_date_with`], keeping the offset: the string's own, else
/// `default_offset`.
///
/// ```
/// use tintuc::extract::date::parse_pub_date;
/// let d = parse_pub_date("2026-03-02T20:09:00+01:00", tintuc::article::vn_offset()).unwrap();
/// assert_eq!(d.to_string(), "2026-03-02T20:09:00+01:00");
/// let d = parse_pub_date("02/03/2026 20:09", tintuc::article::vn_offset()).unwrap();
/// assert_eq!(d.to_string(), "2026-03-02T20:09:00+07:00");
/// ```
pub fn parse_pub_date(s: &str, default_offset: Offset) -> Option<PubDate> {
    find_date(s, default_offset).map(|m| m.pub_date())
}

/// Parses the first date in `s`; a date or time without an offset is Vietnam time
/// (UTC+7).
///
/// ```
/// use tintuc::extract::parse_date;
/// let a = parse_date("16/06/2013 - 20:09").unwrap();
/// let b = parse_date("2013-06-16T13:09:00Z").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(parse_date("31/02/2013"), None);
/// ```
pub fn parse_date(s: &str) -> Option<Timestamp> {
    parse_date_with(s, vn_offset())
}

/// Like [`parse_date`], with the offset to assume when the string gives none.
pub fn parse_date_with(s: &str, default_offset: Offset) -> Option<Timestamp> {
    find_date(s, default_offset).map(|m| m.timestamp)
}

/// Finds the first date in `s` and says where it is and what it gave.
pub fn find_date(s: &str, default_offset: Offset) -> Option<DateMatch> {
    let s = clip(s, MAX_SCAN_BYTES);
    let trimmed = s.trim();
    let lead = trimmed.as_ptr() as usize - s.as_ptr() as usize;
    let whole = lead..lead + trimmed.len();
    if trimmed.is_empty() {
        return None;
    }
    if let Some(m) = whole_string(trimmed, default_offset) {
        return Some(DateMatch { span: whole, ..m });
    }
    let toks = lex(s);
    (0..toks.len()).find_map(|i| match_at(&toks, i, default_offset))
}

/// Reads the date an article URL carries: `/2013/06/16/` folders, `2013-06-16` in the
/// path, or the numeric ids of CMSs that start with the creation time
/// (`-20260307080054340.htm`: `YYYYMMDDhhmmss…`; `-196260307071308923.htm`: three
/// digits then `YYMMDDhhmmss…`). Times are Vietnam time. The query and fragment are
/// ignored.
///
/// ```
/// use tintuc::extract::date::date_from_url;
/// use tintuc::article::format_date;
/// let u = "https://dantri.com.vn/kinh-doanh/gia-vang-20260307080054340.htm";
/// assert_eq!(format_date(date_from_url(u).unwrap()), "2026-03-07T08:00:54+07:00");
/// assert_eq!(date_from_url("https://vnexpress.net/a-5047363.html"), None);
/// ```
pub fn date_from_url(url: &str) -> Option<Timestamp> {
    let url = clip(url, MAX_SCAN_BYTES);
    let rest = match url.find("://") {
        Some(p) => {
            let after = &url[p + 3..];
            &after[after.find('/').unwrap_or(after.len())..]
        }
        None => url,
    };
    // A Wayback Machine copy (`/web/20190717140047/http://…`): the archived URL's
    // date, not the capture time.
    if let Some(inner) = rest.strip_prefix("/web/")
        && let Some((stamp, archived)) = inner.split_once('/')
        && stamp.len() >= 4
        && stamp.bytes().take(4).all(|b| b.is_ascii_digit())
    {
        return date_from_url(archived);
    }
    let path = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let off = vn_offset();

    // `/YYYY/MM/DD` folders.
    let segs: Vec<&str> = path.split('/').collect();
    for w in segs.windows(3) {
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if w.iter().all(|s| all_digits(s))
            && w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && (1..=2).contains(&w[2].len())
        {
            let (y, m, d) = (num(w[0]), num(w[1]), num(w[2]));
            if let Some(date) = make_date(y, m, d) {
                return to_ts(date, None, off);
            }
        }
    }
    // `YYYY-MM-DD` (or `_`) inside the path.
    let toks = lex(path);
    for i in 0..toks.len() {
        if let Some((date, _)) = ymd_numeric(&toks, i) {
            return to_ts(date, None, off);
        }
    }
    // Numeric ids, the last first (the article id ends the path).
    let runs: Vec<&str> = path
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| r.len() >= 8)
        .collect();
    for run in runs.iter().rev() {
        if let Some(ts) = compact_id(run, off) {
            return Some(ts);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Whole-string forms.

fn whole_string(s: &str, default_offset: Offset) -> Option<DateMatch> {
    let exact = |timestamp: Timestamp, has_time: bool, offset: Option<Offset>| {
        year_ok(timestamp).then_some(DateMatch {
            timestamp,
            has_time,
            has_offset: offset.is_some(),
            offset: offset.unwrap_or(default_offset),
            span: 0..s.len(),
        })
    };
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return digits_only(s, default_offset).and_then(|(ts, t)| exact(ts, t, None));
    }
    // RFC 3339 / ISO 8601 with an offset.
    if s.len() >= 20
        && s.as_bytes()[0].is_ascii_digit()
        && let Ok(ts) = s.parse::<Timestamp>()
    {
        let off = jiff::fmt::temporal::Pieces::parse(s)
            .ok()
            .and_then(|p| p.to_numeric_offset())
            .unwrap_or(Offset::UTC);
        return exact(ts, true, Some(off));
    }
    // RFC 2822 (feeds, mail headers).
    if s.len() >= 20
        && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric()
        && let Ok(z) = jiff::fmt::rfc2822::DateTimeParser::new().parse_zoned_datetime(s)
    {
        return exact(z.timestamp(), true, Some(z.offset()));
    }
    None
}

/// A string of digits: compact dates or Unix epochs. Returns the instant and whether
/// it has a time of day.
fn digits_only(s: &str, off: Offset) -> Option<(Timestamp, bool)> {
    let b = s.as_bytes();
    let field = |r: Range<usize>| num(&s[r]);
    if matches!(b.len(), 10 | 13) && b[0] == b'0' {
        return None;
    }
    match b.len() {
        8 => make_date(field(0..4), field(4..6), field(6..8))
            .and_then(|d| to_ts(d, None, off))
            .map(|t| (t, false)),
        12 | 14 => {
            let d = make_date(field(0..4), field(4..6), field(6..8))?;
            let sec = if b.len() == 14 { field(12..14) } else { 0 };
            let t = make_time(field(8..10), field(10..12), sec, 0)?;
            to_ts(d, Some(t), off).map(|t| (t, true))
        }
        10 => {
            let n: i64 = s.parse().ok()?;
            Timestamp::from_second(n).ok().map(|t| (t, true))
        }
        13 => {
            let n: i64 = s.parse().ok()?;
            Timestamp::from_millisecond(n).ok().map(|t| (t, true))
        }
        _ => None,
    }
}

/// A numeric URL id that starts with its creation time.
fn compact_id(run: &str, off: Offset) -> Option<Timestamp> {
    let f = |r: Range<usize>| num(&run[r]);
    let full = |base: usize, year: u32| -> Option<Timestamp> {
        let d = make_date(year, f(base + 2..base + 4), f(base + 4..base + 6))?;
        let t = make_time(
            f(base + 6..base + 8),
            f(base + 8..base + 10),
            f(base + 10..base + 12),
            0,
        )?;
        to_ts(d, Some(t), off)
    };
    let n = run.len();
    if n >= 14
        && let Some(ts) = full(2, f(0..4)).filter(|_| f(0..4) >= 1990)
    {
        return Some(ts);
    }
    if (17..=18).contains(&n)
        && let Some(ts) = full(3, 2000 + f(3..5))
    {
        return Some(ts);
    }
    if n == 12 {
        let d = make_date(f(0..4), f(4..6), f(6..8)).filter(|_| f(0..4) >= 1990)?;
        let t = make_time(f(8..10), f(10..12), 0, 0)?;
        return to_ts(d, Some(t), off);
    }
    if n == 8 {
        let d = make_date(f(0..4), f(4..6), f(6..8)).filter(|_| f(0..4) >= 1990)?;
        return to_ts(d, None, off);
    }
    None
}

// ---------------------------------------------------------------------------
// Tokens.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Num,
    Word,
    Sym(char),
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
    start: usize,
    end: usize,
    /// Whitespace came right before this token.
    space_before: bool,
    /// Words: lowercase without diacritics (`Tháng` → `thang`, `März` → `marz`).
    folded: String,
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// Lowercase without diacritics (`Tháng` → `thang`, `Đ` → `d`).
pub(crate) fn fold_word(w: &str) -> String {
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    w.nfd()
        .filter(|c| !is_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

fn lex(s: &str) -> Vec<Tok<'_>> {
    #[derive(PartialEq, Clone, Copy)]
    enum C {
        Digit,
        Letter,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_ascii_digit() {
            C::Digit
        } else if c.is_alphabetic() || is_mark(c) {
            C::Letter
        } else if c.is_whitespace() {
            C::Space
        } else {
            C::Other
        }
    };
    let mut toks = Vec::new();
    let mut space = false;
    let mut it = s.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        let cl = class(c);
        match cl {
            C::Space => {
                space = true;
                continue;
            }
            C::Other => {
                toks.push(Tok {
                    kind: Kind::Sym(c),
                    text: &s[start..start + c.len_utf8()],
                    start,
                    end: start + c.len_utf8(),
                    space_before: space,
                    folded: String::new(),
                });
            }
            C::Digit | C::Letter => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, n)) = it.peek() {
                    if class(n) != cl {
                        break;
                    }
                    end = i + n.len_utf8();
                    it.next();
                }
                let text = &s[start..end];
                let (kind, folded) = if cl == C::Digit {
                    (Kind::Num, String::new())
                } else {
                    (Kind::Word, fold_word(text))
                };
                toks.push(Tok {
                    kind,
                    text,
                    start,
                    end,
                    space_before: space,
                    folded,
                });
            }
        }
        space = false;
    }
    toks
}

/// Parses a short run of ASCII digits (callers check the length); longer runs give 0.
fn num(s: &str) -> u32 {
    if s.len() > 9 {
        return 0;
    }
    s.bytes()
        .fold(0u32, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
}

fn num_tok(t: &[Tok], i: usize, min: usize, max: usize) -> Option<u32> {
    let tok = t.get(i)?;
    (tok.kind == Kind::Num && (min..=max).contains(&tok.text.len())).then(|| num(tok.text))
}

fn sym_tok(t: &[Tok], i: usize, set: &[char]) -> Option<char> {
    match t.get(i)?.kind {
        Kind::Sym(c) if set.contains(&c) => Some(c),
        _ => None,
    }
}

fn word_tok(t: &[Tok], i: usize, set: &[&str]) -> bool {
    t.get(i)
        .is_some_and(|tok| tok.kind == Kind::Word && set.contains(&tok.folded.as_str()))
}

fn adjacent(t: &[Tok], i: usize) -> bool {
    t.get(i).is_some_and(|tok| !tok.space_before)
}

// ---------------------------------------------------------------------------
// Dates.

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janner", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("march", 3),
    ("mar", 3),
    ("marz", 3),
    ("maerz", 3),
    ("mrz", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("mai", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    // Spanish, French, Italian, Portuguese, Dutch, Polish (genitive).
    ("enero", 1),
    ("ene", 1),
    ("janvier", 1),
    ("janv", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("stycznia", 1),
    ("febrero", 2),
    ("fevrier", 2),
    ("fevr", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("februari", 2),
    ("lutego", 2),
    ("marzo", 3),
    ("mars", 3),
    ("marco", 3),
    ("maart", 3),
    ("mrt", 3),
    ("marca", 3),
    ("abril", 4),
    ("abr", 4),
    ("avril", 4),
    ("avr", 4),
    ("aprile", 4),
    ("kwietnia", 4),
    ("mayo", 5),
    ("maggio", 5),
    ("maio", 5),
    ("mei", 5),
    ("maja", 5),
    ("junio", 6),
    ("juin", 6),
    ("giugno", 6),
    ("giu", 6),
    ("junho", 6),
    ("czerwca", 6),
    ("julio", 7),
    ("juillet", 7),
    ("juil", 7),
    ("luglio", 7),
    ("lug", 7),
    ("julho", 7),
    ("lipca", 7),
    ("agosto", 8),
    ("ago", 8),
    ("aout", 8),
    ("augustus", 8),
    ("sierpnia", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("septembre", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("set", 9),
    ("wrzesnia", 9),
    ("octubre", 10),
    ("octobre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("outubro", 10),
    ("out", 10),
    ("pazdziernika", 10),
    ("noviembre", 11),
    ("novembre", 11),
    ("novembro", 11),
    ("listopada", 11),
    ("diciembre", 12),
    ("dic", 12),
    ("decembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("grudnia", 12),
    // Swedish and Danish, Czech (genitive), Turkish.
    ("maj", 5),
    ("augusti", 8),
    ("ledna", 1),
    ("unora", 2),
    ("brezna", 3),
    ("dubna", 4),
    ("kvetna", 5),
    ("cervna", 6),
    ("cervence", 7),
    ("srpna", 8),
    ("zari", 9),
    ("rijna", 10),
    ("listopadu", 11),
    ("prosince", 12),
    ("ocak", 1),
    ("subat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayis", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("agustos", 8),
    ("eylul", 9),
    ("ekim", 10),
    ("kasim", 11),
    ("aralik", 12),
    // Russian (genitive, nominative, abbreviated) and Ukrainian (genitive), folded
    // (`май` → `маи`).
    ("января", 1),
    ("январь", 1),
    ("янв", 1),
    ("февраля", 2),
    ("февраль", 2),
    ("фев", 2),
    ("марта", 3),
    ("март", 3),
    ("мар", 3),
    ("апреля", 4),
    ("апрель", 4),
    ("апр", 4),
    ("мая", 5),
    ("маи", 5),
    ("июня", 6),
    ("июнь", 6),
    ("июн", 6),
    ("июля", 7),
    ("июль", 7),
    ("июл", 7),
    ("августа", 8),
    ("август", 8),
    ("авг", 8),
    ("сентября", 9),
    ("сентябрь", 9),
    ("сен", 9),
    ("сент", 9),
    ("октября", 10),
    ("октябрь", 10),
    ("окт", 10),
    ("ноября", 11),
    ("ноябрь", 11),
    ("ноя", 11),
    ("декабря", 12),
    ("декабрь", 12),
    ("дек", 12),
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
];

fn month_tok(t: &[Tok], i: usize) -> Option<u32> {
    let tok = t.get(i)?;
    if tok.kind != Kind::Word {
        return None;
    }
    month_folded(&tok.folded)
}

fn month_folded(folded: &str) -> Option<u32> {
    MONTHS.iter().find(|(n, _)| *n == folded).map(|&(_, m)| m)
}

/// The month (1–12) a month name or abbreviation stands for, in any case, with or
/// without accents or a final dot (`März`, `févr.`, `Sept`, `agosto`).
pub(crate) fn month_number(name: &str) -> Option<u32> {
    month_folded(&fold_word(name.trim_end_matches('.')))
}

const ORDINALS: &[&str] = &["st", "nd", "rd", "th", "er"];

/// Words between the parts of a written date (`4 de mayo de 2022`, `5th of March`).
const DATE_LINKS: &[&str] = &["de", "del", "of"];

/// A four-digit year, or a two-digit one when `short` (`19` → 2019, `98` → 1998).
fn year_tok(t: &[Tok], i: usize, short: bool) -> Option<u32> {
    if let Some(y) = num_tok(t, i, 4, 4) {
        return Some(y);
    }
    if !short {
        return None;
    }
    let yy = num_tok(t, i, 2, 2)?;
    // Not the start of a time (`16/06/13:45`).
    if sym_tok(t, i + 1, &[':']).is_some() && adjacent(t, i + 1) {
        return None;
    }
    let y = 2000 + yy;
    Some(if y as i64 > i64::from(max_year()) {
        y - 100
    } else {
        y
    })
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (also `_` in URLs).
fn ymd_numeric(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let y = num_tok(t, i, 4, 4)?;
    let s = sym_tok(t, i + 1, &['-', '/', '.', '_'])?;
    let m = num_tok(t, i + 2, 1, 2)?;
    sym_tok(t, i + 3, &[s])?;
    let d = num_tok(t, i + 4, 1, 2)?;
    if !(1..=4).all(|k| adjacent(t, i + k)) {
        return None;
    }
    Some((make_date(y, m, d)?, i + 5))
}

/// `16/06/2013`, `16-06-2013`, `16.06.2013`, `7/3/2026` (day first; month first only
/// when day first is impossible).
fn dmy_numeric(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let a = num_tok(t, i, 1, 2)?;
    let s = sym_tok(t, i + 1, &['-', '/', '.'])?;
    let b = num_tok(t, i + 2, 1, 2)?;
    sym_tok(t, i + 3, &[s])?;
    // Two-digit years only with `.` and `/` (`19.10.19`, `11/08/23`).
    let y = year_tok(t, i + 4, s != '-')?;
    if !(1..=4).all(|k| adjacent(t, i + k)) {
        return None;
    }
    // `1.2.2013.5` or `16/06/2013/` followed by more digits is not a date.
    if sym_tok(t, i + 5, &[s]).is_some() && adjacent(t, i + 5) && num_tok(t, i + 6, 1, 9).is_some()
    {
        return None;
    }
    let date = make_date(y, b, a).or_else(|| if b > 12 { make_date(y, a, b) } else { None })?;
    Some((date, i + 5))
}

/// `ngày 16 tháng 6 năm 2013`, `16 tháng 6, 2013`, `16 tháng 06/2013`.
fn vi_words(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let d = num_tok(t, i, 1, 2)?;
    if !word_tok(t, i + 1, &["thang"]) {
        return None;
    }
    let m = num_tok(t, i + 2, 1, 2)?;
    let mut k = i + 3;
    if sym_tok(t, k, &[',', '/', '-']).is_some() || word_tok(t, k, &["nam"]) {
        k += 1;
    }
    let y = num_tok(t, k, 4, 4)?;
    Some((make_date(y, m, d)?, k + 1))
}

/// `March 5, 2021`, `Mar. 5th 2021`, `mayo 11, 2022`.
fn month_first(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let m = month_tok(t, i)?;
    let mut k = i + 1;
    if sym_tok(t, k, &['.']).is_some() {
        k += 1;
    }
    let d = num_tok(t, k, 1, 2)?;
    k += 1;
    if word_tok(t, k, ORDINALS) && adjacent(t, k) {
        k += 1;
    }
    if sym_tok(t, k, &[',']).is_some() {
        k += 1;
    }
    let y = num_tok(t, k, 4, 4)?;
    Some((make_date(y, m, d)?, k + 1))
}

/// `2023 Jan 7`, `2023. március 7`.
fn year_month_day(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let y = num_tok(t, i, 4, 4)?;
    let mut k = i + 1;
    if sym_tok(t, k, &['.', ',', '-']).is_some() {
        k += 1;
    }
    let m = month_tok(t, k)?;
    k += 1;
    if sym_tok(t, k, &['.', '-']).is_some() {
        k += 1;
    }
    let d = num_tok(t, k, 1, 2)?;
    // Not `2021 March 5:30` (a time) nor a longer number.
    if sym_tok(t, k + 1, &[':']).is_some() {
        return None;
    }
    Some((make_date(y, m, d)?, k + 1))
}

/// C `asctime` / `date` output: `Oct 11 14:57:21 CEST 2021` (after a weekday).
fn asctime(t: &[Tok], i: usize, default_offset: Offset) -> Option<DateMatch> {
    let m = month_tok(t, i)?;
    let d = num_tok(t, i + 1, 1, 2)?;
    let (time, mut k) = time_at(t, i + 2)?;
    let offset = offset_at(t, k).map(|(o, next)| {
        k = next;
        o
    });
    let y = num_tok(t, k, 4, 4)?;
    let ts = to_ts(
        make_date(y, m, d)?,
        Some(time),
        offset.unwrap_or(default_offset),
    )?;
    year_ok(ts).then(|| DateMatch {
        timestamp: ts,
        has_time: true,
        has_offset: offset.is_some(),
        offset: offset.unwrap_or(default_offset),
        span: t[i].start..t[k].end,
    })
}

/// `5 March 2021`, `07 Mar 2026`, `5. März 2021`, `5th of March, 2021`,
/// `4 de mayo de 2022`, `1er mars 2020`, `04 DEC 19`.
fn day_first_name(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    let d = num_tok(t, i, 1, 2)?;
    let mut k = i + 1;
    if (sym_tok(t, k, &['.']).is_some() || word_tok(t, k, ORDINALS)) && adjacent(t, k) {
        k += 1;
    }
    if word_tok(t, k, DATE_LINKS) {
        k += 1;
    }
    let m = month_tok(t, k)?;
    k += 1;
    if sym_tok(t, k, &['.']).is_some() {
        k += 1;
    }
    if sym_tok(t, k, &[',', '-']).is_some() {
        k += 1;
    }
    if word_tok(t, k, DATE_LINKS) {
        k += 1;
    }
    // `04 DEC 19`: a two-digit year right after the month name.
    let y = year_tok(t, k, true)?;
    Some((make_date(y, m, d)?, k + 1))
}

fn date_at(t: &[Tok], i: usize) -> Option<(Date, usize)> {
    match t.get(i)?.kind {
        Kind::Num => ymd_numeric(t, i)
            .or_else(|| dmy_numeric(t, i))
            .or_else(|| vi_words(t, i))
            .or_else(|| day_first_name(t, i))
            .or_else(|| year_month_day(t, i)),
        Kind::Word => month_first(t, i),
        Kind::Sym(_) => None,
    }
}

// ---------------------------------------------------------------------------
// Times and offsets.

/// `20:09`, `08:52:11.000`, `8:06 AM`, `10h30`, `20h`. Returns the time and the index
/// after it.
fn time_at(t: &[Tok], i: usize) -> Option<(Time, usize)> {
    let h = num_tok(t, i, 1, 2)?;
    let (mut min, mut sec, mut nanos) = (0, 0, 0);
    let mut k;
    if sym_tok(t, i + 1, &[':']).is_some() && adjacent(t, i + 1) && adjacent(t, i + 2) {
        min = num_tok(t, i + 2, 2, 2)?;
        k = i + 3;
        if sym_tok(t, k, &[':']).is_some()
            && adjacent(t, k)
            && adjacent(t, k + 1)
            && let Some(v) = num_tok(t, k + 1, 2, 2)
        {
            sec = v;
            k += 2;
            if sym_tok(t, k, &['.', ',']).is_some()
                && adjacent(t, k)
                && adjacent(t, k + 1)
                && let Some(frac) = t.get(k + 1).filter(|x| x.kind == Kind::Num)
            {
                let digits = &frac.text[..frac.text.len().min(9)];
                nanos = num(digits) * 10u32.pow(9 - digits.len() as u32);
                k += 2;
            }
        }
    } else if word_tok(t, i + 1, &["h", "g"]) && adjacent(t, i + 1) {
        k = i + 2;
        if let Some(m) = num_tok(t, k, 2, 2).filter(|_| adjacent(t, k)) {
            min = m;
            k += 1;
        } else if t[i + 1].folded == "g" {
            return None;
        }
    } else {
        return None;
    }
    let mut hour = h;
    // AM/PM (SA/CH in Vietnamese: sáng / chiều).
    let ampm = if word_tok(t, k, &["am", "sa"]) {
        k += 1;
        Some(false)
    } else if word_tok(t, k, &["pm", "ch"]) {
        k += 1;
        Some(true)
    } else if word_tok(t, k, &["a", "p"])
        && sym_tok(t, k + 1, &['.']).is_some()
        && word_tok(t, k + 2, &["m"])
    {
        let pm = t[k].folded == "p";
        k += 3;
        if sym_tok(t, k, &['.']).is_some() && adjacent(t, k) {
            k += 1;
        }
        Some(pm)
    } else {
        None
    };
    if let Some(pm) = ampm {
        if !(1..=12).contains(&h) {
            return None;
        }
        hour = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    // German `10:00 Uhr`.
    if word_tok(t, k, &["uhr"]) {
        k += 1;
    }
    Some((make_time(hour, min, sec.min(59), nanos)?, k))
}

const NAMED_ZONES: &[(&str, i32)] = &[
    ("z", 0),
    ("gmt", 0),
    ("utc", 0),
    ("ut", 0),
    ("ict", 7 * 60),
    ("est", -5 * 60),
    ("edt", -4 * 60),
    ("cst", -6 * 60),
    ("cdt", -5 * 60),
    ("mst", -7 * 60),
    ("mdt", -6 * 60),
    ("pst", -8 * 60),
    ("pdt", -7 * 60),
    ("cet", 60),
    ("cest", 2 * 60),
];

/// `+07:00`, `+0700`, `+07`, `Z`, `GMT+7`, `(GMT+7)`, `UTC`, `ICT`. Returns the offset
/// and the index after it.
fn offset_at(t: &[Tok], i: usize) -> Option<(Offset, usize)> {
    let mut k = i;
    let paren = sym_tok(t, k, &['(', '[']).is_some();
    if paren {
        k += 1;
    }
    let mut minutes: Option<i32> = None;
    if let Some(tok) = t.get(k).filter(|x| x.kind == Kind::Word) {
        let z = NAMED_ZONES.iter().find(|(n, _)| *n == tok.folded)?;
        // A lone `Z` must touch the time (`08:06:00Z`).
        if z.0 == "z" && (tok.space_before || paren) {
            return None;
        }
        minutes = Some(z.1);
        k += 1;
        if matches!(z.0, "gmt" | "utc" | "ut")
            && let Some((m, next)) = signed_offset(t, k)
        {
            minutes = Some(m);
            k = next;
        }
    } else if let Some((m, next)) = signed_offset(t, k) {
        minutes = Some(m);
        k = next;
    }
    let minutes = minutes?;
    if paren && sym_tok(t, k, &[')', ']']).is_some() {
        k += 1;
    }
    let off = Offset::from_seconds(minutes.checked_mul(60)?).ok()?;
    Some((off, k))
}

/// `+07:00`, `+0700`, `+7`, `-05`: sign, then digits touching it.
fn signed_offset(t: &[Tok], i: usize) -> Option<(i32, usize)> {
    let sign = match sym_tok(t, i, &['+', '-', '\u{2212}'])? {
        '+' => 1,
        _ => -1,
    };
    if !adjacent(t, i + 1) {
        return None;
    }
    let tok = t.get(i + 1).filter(|x| x.kind == Kind::Num)?;
    let mut k = i + 2;
    let (h, m) = match tok.text.len() {
        4 => (num(&tok.text[..2]), num(&tok.text[2..])),
        1 | 2 => {
            let h = num(tok.text);
            if sym_tok(t, k, &[':']).is_some() && adjacent(t, k) {
                let m = num_tok(t, k + 1, 2, 2)?;
                k += 2;
                (h, m)
            } else {
                (h, 0)
            }
        }
        _ => return None,
    };
    // `20:09 -16/06/2013` is a time then a date, not an offset.
    if sym_tok(t, k, &['/', '.', '-']).is_some()
        && adjacent(t, k)
        && num_tok(t, k + 1, 1, 9).is_some()
    {
        return None;
    }
    if h > 14 || m > 59 {
        return None;
    }
    Some((sign * (h as i32 * 60 + m as i32), k))
}

/// Separators allowed between a date and the time after it.
fn glue_after(t: &[Tok], i: usize) -> bool {
    sym_tok(t, i, &[',', '-', '–', '—', '|', '/', '·', '•', '(', ';']).is_some()
        || word_tok(
            t,
            i,
            &[
                "luc", "at", "um", "t", "vao", "gio", "o", "a", "las", "alle", "om", "as", "godz",
            ],
        )
}

/// Words and separators allowed between a time and the date after it (`20:09 - 16/06/2013`,
/// `08:06 thứ Bảy, 07/03/2026`).
fn glue_before(t: &[Tok], i: usize) -> bool {
    sym_tok(t, i, &[',', '-', '–', '—', '|', '·', '•', ';']).is_some()
        || word_tok(
            t,
            i,
            &[
                "ngay",
                "thu",
                "hai",
                "ba",
                "tu",
                "nam",
                "sau",
                "bay",
                "chu",
                "nhat",
                "cn",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "mon",
                "tue",
                "wed",
                "thu",
                "fri",
                "sat",
                "sun",
                "on",
            ],
        )
}

fn match_at(t: &[Tok], i: usize, default_offset: Offset) -> Option<DateMatch> {
    if let Some(m) = asctime(t, i, default_offset) {
        return Some(m);
    }
    let (date, date_end) = date_at(t, i)?;
    let mut end = date_end;
    let mut start = i;
    let mut time = None;
    // A time after the date, over at most three separators.
    for skip in 0..=3 {
        let j = date_end + skip;
        if skip > 0 && !glue_after(t, j - 1) {
            break;
        }
        if let Some((tm, next)) = time_at(t, j) {
            time = Some(tm);
            end = next;
            break;
        }
    }
    let mut offset = None;
    // Else a time (and offset) before it (`20:09 16/06/2013`, `08:39 GMT, 28 September 2020`).
    if time.is_none() {
        let mut g = i;
        while g > 0 && i - g < 4 && glue_before(t, g - 1) {
            g -= 1;
        }
        'outer: for glue_start in (g..=i).rev() {
            for from in glue_start.saturating_sub(10)..glue_start {
                let Some((tm, next)) = time_at(t, from) else {
                    continue;
                };
                let (off, next) = match offset_at(t, next) {
                    Some((o, n)) => (Some(o), n),
                    None => (None, next),
                };
                if next == glue_start {
                    time = Some(tm);
                    offset = off;
                    start = from;
                    break 'outer;
                }
            }
        }
    }
    if time.is_some() && offset.is_none() {
        let mut j = end;
        // `19:25 (GMT+7)`, `08:06 - GMT+7`.
        if sym_tok(t, j, &['-', '|', ',']).is_some()
            && t.get(j + 1).is_some_and(|x| x.kind == Kind::Word)
        {
            j += 1;
        }
        if let Some((o, next)) = offset_at(t, j) {
            offset = Some(o);
            end = next;
        }
    }
    let ts = to_ts(date, time, offset.unwrap_or(default_offset))?;
    if !year_ok(ts) {
        return None;
    }
    Some(DateMatch {
        timestamp: ts,
        has_time: time.is_some(),
        has_offset: offset.is_some(),
        offset: offset.unwrap_or(default_offset),
        span: t[start].start..t[end - 1].end,
    })
}

// ---------------------------------------------------------------------------
// Calendar (jiff).

fn make_date(y: u32, m: u32, d: u32) -> Option<Date> {
    let y = i16::try_from(y).ok()?;
    if !(MIN_YEAR..=max_year()).contains(&y) {
        return None;
    }
    Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn make_time(h: u32, m: u32, s: u32, nanos: u32) -> Option<Time> {
    Time::new(
        i8::try_from(h).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(s).ok()?,
        i32::try_from(nanos).ok()?,
    )
    .ok()
}

fn to_ts(date: Date, time: Option<Time>, off: Offset) -> Option<Timestamp> {
    let dt = DateTime::from_parts(date, time.unwrap_or(Time::midnight()));
    off.to_timestamp(dt).ok()
}

fn year_ok(ts: Timestamp) -> bool {
    let y = ts.to_zoned_datetime(crate::article::vn_tz()).year();
    (MIN_YEAR..=max_year()).contains(&y)
}

/// `s` cut to at most `max` bytes at a character boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::format_date;

    /// Parses and shows the instant at UTC+7, or `None`.
    fn p(s: &str) -> Option<String> {
        parse_date(s).map(format_date)
    }

    fn m(s: &str) -> DateMatch {
        find_date(s, vn_offset()).unwrap_or_else(|| panic!("no date in {s:?}"))
    }

    #[test]
    fn month_names_in_any_case_and_accents() {
        for (name, want) in [
            ("März", 3),
            ("févr.", 2),
            ("Février", 2),
            ("août", 8),
            ("Sept", 9),
            ("março", 3),
            ("DECEMBER", 12),
            ("agosto", 8),
        ] {
            assert_eq!(month_number(name), Some(want), "{name}");
        }
        for name in ["", ".", "tháng", "monday", "xyz"] {
            assert_eq!(month_number(name), None, "{name}");
        }
    }

    #[test]
    fn rfc3339_and_iso() {
        assert_eq!(
            p("2013-06-16T13:09:00Z").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("2026-03-07T08:07:18+07:00").as_deref(),
            Some("2026-03-07T08:07:18+07:00")
        );
        assert_eq!(
            p("2026-03-07T01:07:18.123456Z").as_deref(),
            Some("2026-03-07T08:07:18+07:00")
        );
        assert_eq!(
            p("2026-03-07 01:07:18Z").as_deref(),
            Some("2026-03-07T08:07:18+07:00")
        );
        assert_eq!(
            p("2026-03-07T08:52:11.000 +07:00").as_deref(),
            Some("2026-03-07T08:52:11+07:00")
        );
        assert_eq!(
            p("2026-03-07T08:52:11+0700").as_deref(),
            Some("2026-03-07T08:52:11+07:00")
        );
        assert_eq!(
            p("2026-03-07T02:52:11-0500").as_deref(),
            Some("2026-03-07T14:52:11+07:00")
        );
        // Without an offset: Vietnam time.
        assert_eq!(
            p("2018-10-17T00:00:00").as_deref(),
            Some("2018-10-17T00:00:00+07:00")
        );
        assert_eq!(
            p("2013-06-16 20:09").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("2021-04-26").as_deref(),
            Some("2021-04-26T00:00:00+07:00")
        );
        assert_eq!(
            p("2021/03/05").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        let f = m("2026-03-07T08:52:11.5+07:00");
        assert!(f.has_time && f.has_offset);
        assert_eq!(f.timestamp.subsec_nanosecond(), 500_000_000);
        let f = m("2021-04-26");
        assert!(!f.has_time && !f.has_offset);
        let f = m("2018-10-17T00:00:00");
        assert!(f.has_time && !f.has_offset);
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            p("Sat, 07 Mar 2026 08:06:00 +0700").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("Sat, 07 Mar 2026 01:06:00 GMT").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("7 Mar 2026 01:06 +0000").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        // A wrong weekday is still read by the tokenizer.
        assert_eq!(
            p("Mon, 07 Mar 2026 08:06:00 +0700").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("Fri, 06 Mar 2026 20:06:00 EST").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
    }

    #[test]
    fn vietnamese_numeric() {
        assert_eq!(
            p("16/06/2013 - 20:09").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("16/06/2013 20:09").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("16-06-2013").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            p("16.06.2013").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            p("Cập nhật: 07/03/2026 08:06").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("Thứ Bảy, 7/3/2026 - 08:06").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("20:09 16/06/2013").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("20:09 - 16/06/2013").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("08:06 Thứ bảy, ngày 07/03/2026").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("7/3/2026 8:06 AM").as_deref(),
            Some("2026-03-07T08:06:00+07:00")
        );
        assert_eq!(
            p("7/3/2026 8:06 PM").as_deref(),
            Some("2026-03-07T20:06:00+07:00")
        );
        assert_eq!(
            p("7/3/2026 12:06 AM").as_deref(),
            Some("2026-03-07T00:06:00+07:00")
        );
        assert_eq!(
            p("7/3/2026 12:06 PM").as_deref(),
            Some("2026-03-07T12:06:00+07:00")
        );
        assert_eq!(
            p("7/3/2026 8:06 CH").as_deref(),
            Some("2026-03-07T20:06:00+07:00")
        );
        assert_eq!(
            p("Đăng lúc 10h30 ngày 16/06/2013").as_deref(),
            Some("2013-06-16T10:30:00+07:00")
        );
        assert_eq!(
            p("16/06/2013 lúc 20h").as_deref(),
            Some("2013-06-16T20:00:00+07:00")
        );
        let f = m("Thứ tư, 22/10/2025, 19:25 (GMT+7)");
        assert_eq!(format_date(f.timestamp), "2025-10-22T19:25:00+07:00");
        assert!(f.has_offset && f.has_time);
        assert_eq!(
            &"Thứ tư, 22/10/2025, 19:25 (GMT+7)"[f.span],
            "22/10/2025, 19:25 (GMT+7)"
        );
        let f = m("Thứ tư, 22/10/2025, 19:25 (GMT+9)");
        assert_eq!(format_date(f.timestamp), "2025-10-22T17:25:00+07:00");
        assert_eq!(
            p("22/10/2025 19:25 GMT+07:00").as_deref(),
            Some("2025-10-22T19:25:00+07:00")
        );
        assert_eq!(
            p("22/10/2025 12:25 UTC").as_deref(),
            Some("2025-10-22T19:25:00+07:00")
        );
        assert_eq!(
            p("22/10/2025 - 12:25 - GMT").as_deref(),
            Some("2025-10-22T19:25:00+07:00")
        );
        let f = m("Cập nhật: 07/03/2026 08:06");
        assert_eq!(
            f.span,
            "Cập nhật: ".len().."Cập nhật: 07/03/2026 08:06".len()
        );
    }

    #[test]
    fn vietnamese_words() {
        assert_eq!(
            p("ngày 16 tháng 6 năm 2013").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            p("Ngày 16 Tháng 06 Năm 2013").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            p("16 tháng 6, 2013").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            p("Hà Nội, 16 tháng 6 năm 2013 lúc 20:09").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        // Decomposed (NFD) input folds the same way.
        let nfd: String = "ngày 16 tháng 6 năm 2013".nfd().collect();
        assert_eq!(p(&nfd).as_deref(), Some("2013-06-16T00:00:00+07:00"));
    }

    #[test]
    fn english_and_german() {
        assert_eq!(
            p("March 5, 2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("Published on March 5th, 2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("5 March 2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("5th of March, 2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("Mar 5, 2021 10:00 AM").as_deref(),
            Some("2021-03-05T10:00:00+07:00")
        );
        assert_eq!(
            p("Mar. 5, 2021 at 10:00 p.m.").as_deref(),
            Some("2021-03-05T22:00:00+07:00")
        );
        assert_eq!(
            p("By Jane Doe | Sept 15, 2020").as_deref(),
            Some("2020-09-15T00:00:00+07:00")
        );
        assert_eq!(
            p("5. März 2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("5. Maerz 2021, 14:30 Uhr").as_deref(),
            Some("2021-03-05T14:30:00+07:00")
        );
        assert_eq!(
            p("05.03.2021").as_deref(),
            Some("2021-03-05T00:00:00+07:00")
        );
        assert_eq!(
            p("12. Dezember 2019").as_deref(),
            Some("2019-12-12T00:00:00+07:00")
        );
        // Month-first only when day-first is impossible.
        assert_eq!(
            p("03/16/2021").as_deref(),
            Some("2021-03-16T00:00:00+07:00")
        );
        assert_eq!(
            p("03/04/2021").as_deref(),
            Some("2021-04-03T00:00:00+07:00")
        );
    }

    #[test]
    fn other_languages_and_layouts() {
        assert_eq!(
            p("4 de mayo de 2022 - 00:38").as_deref(),
            Some("2022-05-04T00:38:00+07:00")
        );
        assert_eq!(
            p("Miércoles, 4 de Mayo de  2022 a las 07:46hrs.").as_deref(),
            Some("2022-05-04T07:46:00+07:00")
        );
        assert_eq!(
            p("sabado 07 de mayo del 2022").as_deref(),
            Some("2022-05-07T00:00:00+07:00")
        );
        assert_eq!(
            p("5 mayo, 2022, 6:12 pm").as_deref(),
            Some("2022-05-05T18:12:00+07:00")
        );
        assert_eq!(
            p("mayo 11, 2022").as_deref(),
            Some("2022-05-11T00:00:00+07:00")
        );
        assert_eq!(
            p("4 de maio de 2022, 05:34 h").as_deref(),
            Some("2022-05-04T05:34:00+07:00")
        );
        assert_eq!(
            p("1er mars 2020").as_deref(),
            Some("2020-03-01T00:00:00+07:00")
        );
        assert_eq!(
            p("11 février 2020").as_deref(),
            Some("2020-02-11T00:00:00+07:00")
        );
        assert_eq!(
            p("06 Novembre 2019").as_deref(),
            Some("2019-11-06T00:00:00+07:00")
        );
        assert_eq!(
            p("4 maja 2021 21:30").as_deref(),
            Some("2021-05-04T21:30:00+07:00")
        );
        assert_eq!(
            p("12 maart 2021 om 10:00").as_deref(),
            Some("2021-03-12T10:00:00+07:00")
        );
        assert_eq!(
            p("2023 Jan 7").as_deref(),
            Some("2023-01-07T00:00:00+07:00")
        );
        assert_eq!(p("04 DEC 19").as_deref(), Some("2019-12-04T00:00:00+07:00"));
        assert_eq!(
            p("22.09.20 | 12:45").as_deref(),
            Some("2020-09-22T12:45:00+07:00")
        );
        assert_eq!(
            p("Veröffentlicht am 19.10.19 um 14:34 Uhr").as_deref(),
            Some("2019-10-19T14:34:00+07:00")
        );
        assert_eq!(
            p("11/08/23 5:19pm").as_deref(),
            Some("2023-08-11T17:19:00+07:00")
        );
        assert_eq!(p("16/06/98").as_deref(), Some("1998-06-16T00:00:00+07:00"));
        assert_eq!(p("16-06-13"), None);
        assert_eq!(
            p("Mon Oct 11 14:57:21 CEST 2021").as_deref(),
            Some("2021-10-11T19:57:21+07:00")
        );
        assert_eq!(
            p("Tue Jan 28 15:28:56 2020").as_deref(),
            Some("2020-01-28T15:28:56+07:00")
        );
        assert_eq!(
            p("08:39 GMT, 28 September 2020").as_deref(),
            Some("2020-09-28T15:39:00+07:00")
        );
        assert_eq!(p("Nov 13"), None);
        assert_eq!(p("2019-06"), None);
    }

    #[test]
    fn epochs_and_compact() {
        assert_eq!(
            p("1615000000").as_deref(),
            Some("2021-03-06T10:06:40+07:00")
        );
        assert_eq!(
            p("1615000000000").as_deref(),
            Some("2021-03-06T10:06:40+07:00")
        );
        assert_eq!(p("20130616").as_deref(), Some("2013-06-16T00:00:00+07:00"));
        assert_eq!(
            p("201306162009").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        assert_eq!(
            p("20130616200901").as_deref(),
            Some("2013-06-16T20:09:01+07:00")
        );
        // Not clearly an epoch or a date.
        assert_eq!(p("123456"), None);
        assert_eq!(p("0615000000"), None);
        assert_eq!(p("9999999999"), None);
        assert_eq!(p("12345678901234567890123"), None);
    }

    #[test]
    fn impossible_and_garbage() {
        for s in [
            "",
            "   ",
            "31/02/2013",
            "29/02/2013",
            "16/13/2013",
            "32/01/2013",
            "16/06/1899",
            "16/06/2999",
            "2013-13-01",
            "2013-02-30",
            "hôm qua",
            "Giá vàng giảm 20 triệu đồng/lượng",
            "1.234.567 đồng",
            "16/06",
            "tháng 6",
            "March 2021",
            "31 February 2021",
            "0/0/0000",
            "\u{0}\u{1}💥",
            "::::////----....",
        ] {
            assert_eq!(p(s), None, "{s:?}");
        }
        assert!(parse_date("29/02/2012").is_some());
        // Invalid time after a valid date: the date stands alone.
        assert_eq!(
            p("16/06/2013 25:61").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        // Not an offset: the date after a time.
        assert_eq!(
            p("20:09 -16/06/2013").as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
    }

    #[test]
    fn default_offset_is_honoured() {
        let utc = parse_date_with("16/06/2013 20:09", Offset::UTC).unwrap();
        assert_eq!(utc.to_string(), "2013-06-16T20:09:00Z");
        let explicit = parse_date_with("16/06/2013 20:09 +07:00", Offset::UTC).unwrap();
        assert_eq!(explicit.to_string(), "2013-06-16T13:09:00Z");
    }

    #[test]
    fn long_strings_are_bounded() {
        let mut s = "x ".repeat(MAX_SCAN_BYTES);
        s.push_str("16/06/2013");
        assert_eq!(parse_date(&s), None);
        let s = format!("{}16/06/2013", "é".repeat(100));
        assert!(parse_date(&s).is_some());
    }

    #[test]
    fn urls() {
        let u = |s: &str| date_from_url(s).map(format_date);
        assert_eq!(
            u("https://dantri.com.vn/kinh-doanh/gia-vang-giam-20260307080054340.htm").as_deref(),
            Some("2026-03-07T08:00:54+07:00")
        );
        assert_eq!(
            u("https://tuoitre.vn/chien-su-day-gia-hoa-20260307075519174.htm").as_deref(),
            Some("2026-03-07T07:55:19+07:00")
        );
        assert_eq!(
            u("https://nld.com.vn/nhung-sai-sot-196260307071308923.htm").as_deref(),
            Some("2026-03-07T07:13:08+07:00")
        );
        assert_eq!(
            u("https://cafef.vn/thoi-diem-nang-hang-18826030622484142.chn").as_deref(),
            Some("2026-03-06T22:48:41+07:00")
        );
        assert_eq!(
            u("https://example.com/news/2013/06/16/some-story").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            u("https://example.com/2013-06-16/story.html").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            u("/tin/20130616/abc.html").as_deref(),
            Some("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(u("https://vnexpress.net/cach-cac-nuoc-5047363.html"), None);
        assert_eq!(u("https://vietnamnet.vn/co-phieu-flc-2495349.html"), None);
        assert_eq!(
            u("http://www.baomoi.com/Home/TheGioi/songmoi.vn/Phot-lo/12235122.epi"),
            None
        );
        assert_eq!(u("https://a.vn/x?d=2013-06-16"), None);
        assert_eq!(u("https://2013-06-16.example.com/"), None);
        assert_eq!(u(""), None);
        assert_eq!(
            u("https://web.archive.org/web/20190717140047/http://www.a.de/2014/01/27/x").as_deref(),
            Some("2014-01-27T00:00:00+07:00")
        );
        assert_eq!(
            u("https://web.archive.org/web/20130307194448id_/a.net/2008/05/x.html"),
            None
        );
        assert_eq!(u("https://a.vn/2013/02/30/x"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = parse_date(&s);
            let _ = date_from_url(&s);
        }

        #[test]
        fn never_panics_on_date_like(s in "[0-9 /:.,+\\-a-zA-ZàáảãạăâđêôơưTZ()]{0,60}") {
            if let Some(m) = find_date(&s, vn_offset()) {
                proptest::prop_assert!(s.get(m.span.clone()).is_some());
                proptest::prop_assert!(year_ok(m.timestamp));
            }
            let _ = date_from_url(&s);
        }

        #[test]
        fn numeric_dates_round_trip(y in 1900i16..2026, mo in 1i8..=12, d in 1i8..=28, h in 0i8..24, mi in 0i8..60) {
            let s = format!("{d:02}/{mo:02}/{y} {h:02}:{mi:02}");
            let ts = parse_date(&s).unwrap();
            let z = ts.to_zoned_datetime(crate::article::vn_tz());
            proptest::prop_assert_eq!((z.year(), z.month(), z.day(), z.hour(), z.minute()), (y, mo, d, h, mi));
        }
    }
}

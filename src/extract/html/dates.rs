//! Dates as a page writes them: machine-readable values (JSON-LD, `<meta>`,
//! `<time datetime>`) and visible text (`16/06/2013 - 20:09`,
//! `Thứ tư, 22/10/2025, 19:25 (GMT+7)`, `ngày 16 tháng 6 năm 2013`, `October 16, 2019`,
//! `16. Oktober 2019`), and dates in URLs.
//!
//! A [`PageDate`] keeps the civil date and time *as written* plus the offset when the
//! page gave one, so the calendar day a page shows is never shifted by a time-zone
//! conversion; [`PageDate::timestamp`] reads a date without an offset as Vietnam time
//! (UTC+7), the project's rule. Strings this module does not recognize go to
//! [`crate::extract::parse_date`] (the readers' parser).

use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use regex::Regex;

use crate::article::PubDate;

/// A publication date as the page wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDate {
    /// The civil date and time (midnight when the page gave no time).
    pub civil: DateTime,
    /// The UTC offset the page gave, if any.
    pub offset: Option<Offset>,
    /// Whether the page gave a time of day.
    pub has_time: bool,
}

impl PageDate {
    /// The instant: with the page's offset, else read as Vietnam time (UTC+7).
    pub fn timestamp(&self) -> Option<Timestamp> {
        let off = self.offset.unwrap_or_else(crate::article::vn_offset);
        off.to_timestamp(self.civil).ok()
    }

    /// The date with the publisher's offset: the page's own; a date written without one
    /// is read as Vietnam time (UTC+7), which keeps its written day; a UTC stamp (`Z`)
    /// on a Vietnamese page (`vietnamese`) is shown at UTC+7, the newsroom's time.
    pub fn pub_date(&self, vietnamese: bool) -> Option<PubDate> {
        let vn = crate::article::vn_offset();
        match self.offset {
            Some(o) if o.seconds() == 0 && vietnamese => {
                PubDate::from_civil(self.civil, o).map(|d| d.with_offset(vn))
            }
            Some(o) => PubDate::from_civil(self.civil, o),
            None => PubDate::from_civil(self.civil, vn),
        }
    }

    /// ISO 8601 as written: `2019-10-16`, `2019-10-16T10:00:00`, or with `+02:00`.
    pub fn to_iso(&self) -> String {
        let d = self.civil.date();
        if !self.has_time {
            return d.to_string();
        }
        let t = self.civil.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        match self.offset {
            Some(o) => {
                let secs = o.seconds();
                let sign = if secs < 0 { '-' } else { '+' };
                let a = secs.unsigned_abs();
                format!("{t}{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
            }
            None => t,
        }
    }
}

/// Today's date in Vietnam time (read once per process).
fn today() -> Date {
    static TODAY: std::sync::OnceLock<Date> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| {
        Timestamp::now()
            .to_zoned_datetime(crate::article::vn_tz())
            .date()
    })
}

/// From 1990 up to next year: a later year is a review or expiry date, not a
/// publication.
fn plausible(d: Date) -> bool {
    (1990..=crate::extract::date::max_year()).contains(&d.year())
}

fn make(
    y: i64,
    m: i64,
    d: i64,
    time: Option<(i64, i64, i64)>,
    offset: Option<Offset>,
) -> Option<PageDate> {
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    if !plausible(date) {
        return None;
    }
    let (t, has_time) = match time {
        Some((h, mi, s)) => (
            Time::new(
                i8::try_from(h).ok()?,
                i8::try_from(mi).ok()?,
                i8::try_from(s.min(59)).ok()?,
                0,
            )
            .ok()?,
            true,
        ),
        None => (Time::midnight(), false),
    };
    Some(PageDate {
        civil: date.to_datetime(t),
        offset: if has_time { offset } else { None },
        has_time,
    })
}

fn offset_of(s: &str) -> Option<Offset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") {
        return Some(Offset::UTC);
    }
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

fn num(c: Option<regex::Match<'_>>) -> Option<i64> {
    c.and_then(|m| m.as_str().parse().ok())
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}(?:(?-u:\b)|$))?)?",
    )
    .expect("static regex")
});

/// Parses a machine-readable date (ISO 8601 / RFC 3339 and near forms, as found in
/// JSON-LD, `<meta>` and `datetime` attributes); falls back to visible forms and then
/// to [`crate::extract::parse_date`].
pub fn parse_machine(s: &str) -> Option<PageDate> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Some(c) = ISO.captures(s)
        && c.get(0).map(|m| m.start()) < Some(3)
    {
        let time = match (num(c.get(4)), num(c.get(5))) {
            (Some(h), Some(m)) => Some((h, m, num(c.get(6)).unwrap_or(0))),
            _ => None,
        };
        let off = c.get(7).and_then(|m| offset_of(m.as_str()));
        if let Some(d) = make(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, time, off) {
            return Some(d);
        }
    }
    // A date with its own offset in another form (`Tue Feb 20 2018 01:00:00 GMT+0100
    // (Central European Standard Time)`, JavaScript's `Date.toString()`): the visible
    // forms below would read its wall-clock time and drop the offset.
    if let Some(m) = crate::extract::find_date(s, crate::article::vn_offset())
        && m.has_offset
        && m.has_time
        && m.span.start < 16
    {
        let civil = m.offset.to_datetime(m.timestamp);
        // (the same years as above: `1970-01-01T01:00:00+01:00` is a zero timestamp)
        return plausible(civil.date()).then_some(PageDate {
            civil,
            offset: Some(m.offset),
            has_time: true,
        });
    }
    if let Some(d) = find_visible(s, true) {
        return Some(d);
    }
    let ts = crate::extract::parse_date(s)?;
    let z = ts.to_zoned_datetime(crate::article::vn_tz());
    plausible(z.date()).then(|| PageDate {
        civil: z.datetime(),
        offset: Some(crate::article::vn_offset()),
        has_time: true,
    })
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(\d{1,2})[:hg](\d{2})(?::(\d{2}))?\s*(?:\(?\s*(?:GMT|UTC)\s*([+-]\s*\d{1,2}(?::?\d{2})?)\s*\)?)?[^\d]{0,6})?(?-u:\b)(\d{1,2})(?:[/-]|\.\s?)(\d{1,2})(?:[/-]|\.\s?)(\d{4})(?-u:\b)(?:[^\d]{0,6}(\d{1,2})[:hg](\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\b\.?)?(?:\s*(?:\(?\s*(?:GMT|UTC)\s*([+-]\s*\d{1,2}(?::?\d{2})?)\s*\)?))?)?",
    )
    .expect("static regex")
});

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?-u:\b)(?:[^\d]{0,3}(\d{1,2}):(\d{2}))?",
    )
    .expect("static regex")
});

static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    // `23.09.22`, `2.11.22`: day, month (two digits) and a two-digit year, with dots only and nothing numeric
    // around (not a version number or an address).
    Regex::new(r"(?:^|[^\d.,])(\d{1,2})\.(\d{2})\.(\d{2})(?:$|[^\d.,:]|[.,](?:\s|$))")
        .expect("static regex")
});

static LABELLED_SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    // `Published on 01/25/26`, `Updated: 9/12/25`, `Ngày đăng: 07/03/26`: slashes and a
    // two-digit year, only right after a date label (a bare `10/10/10` may be anything).
    Regex::new(
        r"(?i)\b(?:published|updated|posted|modified|created|reviewed|on|ngày|đăng|cập nhật)\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{2})(?:$|[^\d/.:]|\.(?:\s|$))",
    )
    .expect("static regex")
});

static VI_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})").expect("static regex")
});

fn month(name: &str) -> Option<i64> {
    crate::extract::date::month_number(name).map(i64::from)
}

static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^a-zA-ZÀ-ÖØ-öø-ɏЀ-ӿ])([a-zA-ZÀ-ÖØ-öø-ɏЀ-ӿ]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?-u:\b)(?:[^\d]{0,6}(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?)?")
        .expect("static regex")
});

static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?([a-zA-ZÀ-ÖØ-öø-ɏЀ-ӿ]{3,10})\.?,?\s+(?:de\s+|del\s+)?(\d{4})(?-u:\b)(?:[^\d]{0,6}(\d{1,2}):(\d{2}))?")
        .expect("static regex")
});

/// (day, month) of numeric date `a/b/y`: in the page's order, unless only the other
/// order is a date, or the page's order puts an ambiguous date after `today` and the
/// other does not (`12/03/2026` on an English page written day first).
fn day_month(y: i64, a: i64, b: i64, dmy: bool, today: Date) -> (i64, i64) {
    let (d, m) = match (dmy, a > 12, b > 12) {
        (true, false, true) | (false, false, _) => (b, a),
        _ => (a, b),
    };
    let date = |d: i64, m: i64| {
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
    };
    if d <= 12 && date(d, m).is_some_and(|x| x > today) && date(m, d).is_some_and(|x| x <= today) {
        return (m, d);
    }
    (d, m)
}

/// Finds the first date written in visible text. `dmy`: read `01/02/2020` as day/month
/// (Vietnamese, European) rather than month/day (US English).
pub fn find_visible(text: &str, dmy: bool) -> Option<PageDate> {
    if text.len() > 2000 {
        return find_visible(truncate(text, 2000), dmy);
    }
    // Every form has at least five ASCII digits (`May 1, 2022`): most lines have
    // fewer and never reach the patterns.
    if text.bytes().filter(u8::is_ascii_digit).count() < 5 {
        return None;
    }
    let mut best: Option<(usize, PageDate)> = None;
    let mut consider = |pos: usize, d: Option<PageDate>| {
        if let Some(d) = d
            && best.as_ref().is_none_or(|(p, _)| pos < *p)
        {
            best = Some((pos, d));
        }
    };
    if let Some(c) = NUMERIC.captures(text) {
        let (a, b) = (num(c.get(5)), num(c.get(6)));
        let y = num(c.get(7));
        let (time, tz) = match (num(c.get(8)), num(c.get(9))) {
            (Some(h), Some(m)) => {
                let h = twelve_hour(h, c.get(11).map(|m| m.as_str()));
                (Some((h, m, num(c.get(10)).unwrap_or(0))), c.get(12))
            }
            _ => match (num(c.get(1)), num(c.get(2))) {
                (Some(h), Some(m)) => (Some((h, m, num(c.get(3)).unwrap_or(0))), c.get(4)),
                _ => (None, None),
            },
        };
        let off = tz.and_then(|m| offset_of(&m.as_str().replace(' ', "")));
        if let (Some(a), Some(b), Some(y)) = (a, b, y) {
            // (day, month): the page's order, unless only the other order is a date.
            let (d, m) = day_month(y, a, b, dmy, today());
            consider(c.get(5).map_or(0, |m| m.start()), make(y, m, d, time, off));
        }
    }
    if let Some(c) = VI_WORDS.captures(text) {
        consider(
            c.get(0).map_or(0, |m| m.start()),
            make(num(c.get(3))?, num(c.get(2))?, num(c.get(1))?, None, None),
        );
    }
    if let Some(c) = YMD.captures(text) {
        let time = match (num(c.get(4)), num(c.get(5))) {
            (Some(h), Some(m)) => Some((h, m, 0)),
            _ => None,
        };
        consider(
            c.get(0).map_or(0, |m| m.start()),
            num(c.get(1)).and_then(|y| make(y, num(c.get(2))?, num(c.get(3))?, time, None)),
        );
    }
    for c in MONTH_FIRST.captures_iter(text).take(3) {
        if let Some(m) = c.get(1).and_then(|m| month(m.as_str())) {
            let time = match (num(c.get(4)), num(c.get(5))) {
                (Some(h), Some(mi)) => {
                    let pm = c
                        .get(6)
                        .is_some_and(|x| x.as_str().to_ascii_lowercase().starts_with('p'));
                    let h = if pm && h < 12 {
                        h + 12
                    } else if !pm && c.get(6).is_some() && h == 12 {
                        0
                    } else {
                        h
                    };
                    Some((h, mi, 0))
                }
                _ => None,
            };
            consider(
                c.get(0).map_or(0, |m| m.start()),
                num(c.get(3)).and_then(|y| make(y, m, num(c.get(2))?, time, None)),
            );
            break;
        }
    }
    for c in DAY_FIRST.captures_iter(text).take(3) {
        if let Some(m) = c.get(2).and_then(|m| month(m.as_str())) {
            let time = match (num(c.get(4)), num(c.get(5))) {
                (Some(h), Some(mi)) => Some((h, mi, 0)),
                _ => None,
            };
            consider(
                c.get(0).map_or(0, |m| m.start()),
                num(c.get(3)).and_then(|y| make(y, m, num(c.get(1))?, time, None)),
            );
            break;
        }
    }
    if best.is_none()
        && dmy
        && let Some(c) = SHORT_YEAR.captures(text)
    {
        let y = short_year(num(c.get(3)).unwrap_or(0));
        return make(y, num(c.get(2))?, num(c.get(1))?, None, None);
    }
    if best.is_none()
        && let Some(c) = LABELLED_SHORT_YEAR.captures(text)
    {
        let y = short_year(num(c.get(3))?);
        let (d, m) = day_month(y, num(c.get(1))?, num(c.get(2))?, dmy, today());
        return make(y, m, d, None, None);
    }
    best.map(|(_, d)| d)
}

/// The 24-hour hour of `h` followed by `a`/`p` (AM/PM), or `h` without one.
fn twelve_hour(h: i64, half: Option<&str>) -> i64 {
    match half.map(|x| x.eq_ignore_ascii_case("p")) {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    }
}

/// `22` → 2022, `98` → 1998: the latest year not past [`max_year`](crate::extract::date::max_year).
fn short_year(yy: i64) -> i64 {
    if 2000 + yy > i64::from(crate::extract::date::max_year()) {
        1900 + yy
    } else {
        2000 + yy
    }
}

fn truncate(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])?(?:/|[_-]|$)")
        .expect("static regex")
});

static URL_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    // Vietnamese news ids: `...-20260307075519174.htm` (yyyymmddHHMMSS + more digits).
    Regex::new(r"[-/]((?:19|20)\d{2})(0[1-9]|1[0-2])([0-2]\d|3[01])([01]\d|2[0-3])([0-5]\d)([0-5]\d)\d*\.(?:html?|chn|ldo|vn)(?-u:\b)")
        .expect("static regex")
});

/// A date in a URL path: `/2019/10/16/`, `/2019-10-16-`, `/20191016/`, or a Vietnamese
/// news id that starts with a time stamp (`-20260307075519174.htm`). A month without
/// a day gives no date.
pub fn from_url(url: &str) -> Option<PageDate> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.find("://").map_or(path, |i| &path[i + 3..]);
    if let Some(c) = URL_STAMP.captures(path) {
        let time = Some((num(c.get(4))?, num(c.get(5))?, num(c.get(6))?));
        if let Some(d) = make(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, time, None) {
            return Some(d);
        }
    }
    if let Some(c) = URL_DATE.captures(path)
        && let Some(d) = make(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, None, None)
    {
        return Some(d);
    }
    if let Some(c) = URL_SLASHED.captures(path)
        && let Some(d) = make(num(c.get(1))?, num(c.get(2))?, num(c.get(3))?, None, None)
    {
        return Some(d);
    }
    let c = URL_DMY.captures(path)?;
    make(num(c.get(3))?, num(c.get(2))?, num(c.get(1))?, None, None)
}

static URL_DMY: LazyLock<Regex> = LazyLock::new(|| {
    // `/meldungen/29-10-2021`: day, month, year as a whole path segment.
    Regex::new(r"/(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d{2})(?:/|$|\.html?$)")
        .expect("static regex")
});

static URL_SLASHED: LazyLock<Regex> = LazyLock::new(|| {
    // `/2017/7/12/`: one-digit month or day between slashes.
    Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)").expect("static regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pub_date_keeps_the_written_day_and_offset() {
        let civil = jiff::civil::date(2026, 3, 2).at(20, 9, 0, 0);
        let at = |offset| PageDate {
            civil,
            offset,
            has_time: true,
        };
        let berlin = at(Some(Offset::constant(1))).pub_date(false).unwrap();
        assert_eq!(berlin.to_string(), "2026-03-02T20:09:00+01:00");
        // Written without an offset: its day, at UTC+7.
        let plain = at(None).pub_date(false).unwrap();
        assert_eq!(plain.to_string(), "2026-03-02T20:09:00+07:00");
        // A UTC stamp: kept on a foreign page, at UTC+7 on a Vietnamese one.
        let z = at(Some(Offset::UTC));
        assert_eq!(
            z.pub_date(false).unwrap().to_string(),
            "2026-03-02T20:09:00+00:00"
        );
        assert_eq!(
            z.pub_date(true).unwrap().to_string(),
            "2026-03-03T03:09:00+07:00"
        );
    }

    fn iso(d: Option<PageDate>) -> String {
        d.map(|d| d.to_iso()).unwrap_or_default()
    }

    #[test]
    fn machine_forms_keep_the_written_day_and_offset() {
        assert_eq!(iso(parse_machine("2019-10-16")), "2019-10-16");
        assert_eq!(
            iso(parse_machine("2019-10-16T22:10:00-04:00")),
            "2019-10-16T22:10:00-04:00"
        );
        assert_eq!(
            iso(parse_machine("2026-03-07T08:52:11.000 +07:00")),
            "2026-03-07T08:52:11+07:00"
        );
        assert_eq!(
            iso(parse_machine("2019-10-16T10:00:00+0200")),
            "2019-10-16T10:00:00+02:00"
        );
        assert_eq!(
            iso(parse_machine("2019-10-16T10:00:00Z")),
            "2019-10-16T10:00:00+00:00"
        );
        assert_eq!(
            iso(parse_machine("2026-03-07T08:47:00")),
            "2026-03-07T08:47:00"
        );
        assert_eq!(parse_machine("not a date"), None);
        assert_eq!(parse_machine("2019-13-45"), None);
    }

    #[test]
    fn javascript_dates_keep_their_offset_and_zero_stamps_are_none() {
        // `Date.toString()` in a `<meta>` (wevolver.com): the offset was dropped and
        // the wall-clock time read as Vietnam time
        assert_eq!(
            iso(parse_machine(
                "Tue Feb 20 2018 01:00:00 GMT+0100 (Central European Standard Time)"
            )),
            "2018-02-20T01:00:00+01:00"
        );
        assert_eq!(
            iso(parse_machine("Mon May 03 2022 22:41:00 GMT-0400")),
            "2022-05-03T22:41:00-04:00"
        );
        // a date without its own offset is read as before
        assert_eq!(
            iso(parse_machine("10/05/2022 05:22 pm")),
            "2022-05-10T17:22:00"
        );
        // the Unix epoch in a page's JSON-LD (portalspozywczy.pl) is an empty field
        assert_eq!(parse_machine("1970-01-01T01:00:00+01:00"), None);
        assert_eq!(parse_machine("Thu Jan 01 1970 01:00:00 GMT+0100"), None);
    }

    #[test]
    fn russian_ukrainian_and_turkish_months_and_thin_spaces() {
        let iso = |s: &str| find_visible(s, true).map(|d| d.to_iso());
        assert_eq!(
            iso("15 августа 2016, 13:43").as_deref(),
            Some("2016-08-15T13:43:00")
        );
        assert_eq!(iso("3 мая 2021").as_deref(), Some("2021-05-03"));
        assert_eq!(iso("12 листопада 2020").as_deref(), Some("2020-11-12"));
        assert_eq!(iso("7 Ekim 2019").as_deref(), Some("2019-10-07"));
        // `4.&thinsp;2.&thinsp;2022` and `4. 2. 2022`.
        assert_eq!(
            iso("Von DTB 4.\u{2009}2.\u{2009}2022.").as_deref(),
            Some("2022-02-04")
        );
        assert_eq!(iso("am 4. 2. 2022").as_deref(), Some("2022-02-04"));
    }

    #[test]
    fn visible_vietnamese_forms() {
        assert_eq!(
            iso(find_visible("16/06/2013 - 20:09", true)),
            "2013-06-16T20:09:00"
        );
        assert_eq!(
            iso(find_visible("Thứ tư, 22/10/2025, 19:25 (GMT+7)", true)),
            "2025-10-22T19:25:00+07:00"
        );
        assert_eq!(
            iso(find_visible("Cập nhật: 07/03/2026 08:06", true)),
            "2026-03-07T08:06:00"
        );
        assert_eq!(
            iso(find_visible("08:06 07/03/2026", true)),
            "2026-03-07T08:06:00"
        );
        assert_eq!(
            iso(find_visible("Hà Nội, ngày 16 tháng 6 năm 2013", true)),
            "2013-06-16"
        );
    }

    #[test]
    fn visible_english_and_german_forms() {
        assert_eq!(
            iso(find_visible("Published October 16, 2019", false)),
            "2019-10-16"
        );
        assert_eq!(
            iso(find_visible("Oct. 6, 2019 at 5:30 p.m.", false)),
            "2019-10-06T17:30:00"
        );
        assert_eq!(iso(find_visible("16 October 2019", false)), "2019-10-16");
        assert_eq!(
            iso(find_visible("16. Oktober 2019, 10:00 Uhr", true)),
            "2019-10-16T10:00:00"
        );
        assert_eq!(iso(find_visible("16.10.2019", true)), "2019-10-16");
        assert_eq!(iso(find_visible("10/16/2019", false)), "2019-10-16");
        assert_eq!(find_visible("Mayor 12 2019 votes", false), None);
        assert_eq!(iso(find_visible("Dezember 29, 2021", true)), "2021-12-29");
    }

    #[test]
    fn visible_romance_month_names() {
        assert_eq!(iso(find_visible("20 janvier 2020", true)), "2020-01-20");
        assert_eq!(iso(find_visible("1er février 2019", true)), "2019-02-01");
        assert_eq!(iso(find_visible("3 de mayo de 2022", true)), "2022-05-03");
        assert_eq!(
            iso(find_visible("11 maggio 2022, 10:30", true)),
            "2022-05-11T10:30:00"
        );
        assert_eq!(iso(find_visible("5 de março de 2021", true)), "2021-03-05");
    }

    #[test]
    fn two_digit_years_and_future_dates() {
        assert_eq!(
            iso(find_visible("Hochgeladen 23.09.22 - Wohnen", true)),
            "2022-09-23"
        );
        assert_eq!(iso(find_visible("<a>10.12.19</a>", true)), "2019-12-10");
        assert_eq!(iso(find_visible("Kultur, 2.11.22", true)), "2022-11-02");
        // A 12-hour time after a numeric date (eluniversal.com's `article:published_time`).
        assert_eq!(
            iso(parse_machine("10/05/2022 05:22 pm")),
            "2022-05-10T17:22:00"
        );
        assert_eq!(
            iso(find_visible("10/05/2022 12:05 a.m. GMT+2", true)),
            "2022-05-10T00:05:00+02:00"
        );
        assert_eq!(
            iso(find_visible("10/05/2022 05:22 pmx", true)),
            "2022-05-10T05:22:00"
        );
        assert_eq!(find_visible("Kultur, 2.1.22", true), None);
        // Version numbers and addresses are not dates.
        assert_eq!(find_visible("Version 1.10.12.19 ist da", true), None);
        assert_eq!(find_visible("dd.mm.yy 10.12.19", false), None);
        // Slashes and a two-digit year after a label, in the page's order
        // (thespruce.com and the other Dotdash Meredith sites print `Published on MM/DD/YY`).
        assert_eq!(
            iso(find_visible("Published on 01/25/26", false)),
            "2026-01-25"
        );
        assert_eq!(
            iso(find_visible("Updated on 09/12/25", false)),
            "2025-09-12"
        );
        assert_eq!(iso(find_visible("Ngày đăng: 07/03/26", true)), "2026-03-07");
        // Without a label, or followed by more of a number, it is not a date.
        assert_eq!(find_visible("Score 10/10/10 in the test", false), None);
        // A label is a whole word (`on` is not the end of `Version`).
        assert_eq!(find_visible("Version 10/12/19", false), None);
        assert_eq!(find_visible("Published on 01/25/2601", false), None);
        assert_eq!(find_visible("Published on 1/25/26/4", false), None);
        // A review due in a later year is no publication date.
        let next = crate::extract::date::max_year() + 2;
        assert_eq!(
            find_visible(&format!("Next review due: 11 Jan {next}"), true),
            None
        );
    }

    #[test]
    fn ambiguous_numeric_order_never_gives_a_future_date() {
        let today = jiff::civil::date(2026, 11, 26);
        // Month first (US English) unless that is after today.
        assert_eq!(super::day_month(2026, 3, 10, false, today), (10, 3));
        assert_eq!(super::day_month(2026, 12, 3, false, today), (12, 3));
        assert_eq!(super::day_month(2025, 12, 3, false, today), (3, 12));
        // Day first: the same rule the other way round.
        assert_eq!(super::day_month(2026, 3, 12, true, today), (12, 3));
        assert_eq!(super::day_month(2026, 12, 3, true, today), (12, 3));
        // Unambiguous dates keep their only reading.
        assert_eq!(super::day_month(2026, 13, 12, false, today), (13, 12));
    }

    #[test]
    fn url_day_month_year_segment() {
        assert_eq!(
            iso(from_url("https://x.de/media-news/meldungen/29-10-2021")),
            "2021-10-29"
        );
        assert_eq!(from_url("https://x.de/shop/29-10-2021-item"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            iso(from_url("https://x.com/2019/10/16/story")),
            "2019-10-16"
        );
        assert_eq!(
            iso(from_url("https://x.com/news/2019-10-16-story.html")),
            "2019-10-16"
        );
        assert_eq!(
            iso(from_url(
                "https://tuoitre.vn/chien-su-day-gia-hoa-20260307075519174.htm"
            )),
            "2026-03-07T07:55:19"
        );
        assert_eq!(
            iso(from_url("https://x.de/home/2017/7/12/unter-uns")),
            "2017-07-12"
        );
        assert_eq!(from_url("https://x.com/2019/10/"), None);
        assert_eq!(from_url("https://x.com/item/12345"), None);
    }

    #[test]
    fn timestamp_reads_missing_offset_as_vietnam_time() {
        let d = find_visible("16/06/2013 - 20:09", true).unwrap();
        assert_eq!(d.timestamp().unwrap().to_string(), "2013-06-16T13:09:00Z");
    }
}

//! Date filters: the `DATE` forms users type, turned into calendar periods of the
//! publisher's calendar.
//!
//! A [`Period`] is a calendar year, month or day *as each article's publisher counts
//! it*: an article printed at 20:09 on 2 March in Berlin (`+01:00`) is on 2 March, one
//! printed at 08:00 on 3 March in Hà Nội on 3 March. The bounds are wall-clock times
//! read as UTC, compared with the index's `local` field
//! ([`crate::article::PubDate::local_seconds`]). `--from D` starts at the first moment
//! of `D`'s period, `--to D` ends after its last (so `--to 2013` includes all of 2013),
//! `--on D` is exactly `D`'s period.
//!
//! ```
//! use tintuc::search::dates::{parse_period, DateFilter};
//! let june = parse_period("2013-06").unwrap();
//! let day = parse_period("16/06/2013").unwrap();
//! assert_eq!(day.to_string(), "2013-06-16");
//! let f = DateFilter::between(Some(june), Some(day)).unwrap();
//! assert_eq!(f.start.unwrap().to_string(), "2013-06-01T00:00:00Z");
//! assert_eq!(f.end.unwrap().to_string(), "2013-06-17T00:00:00Z");
//! let berlin = "2013-06-16T23:30:00+02:00".parse().unwrap();
//! assert!(DateFilter::on(day).contains(berlin));
//! ```

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::article::PubDate;

/// How much of the calendar a typed date covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A calendar year, month or day (of each article's own calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day of the period.
    pub first: Date,
    pub precision: Precision,
}

/// A date the user typed that is not one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "`{0}` is not a date: use 2013, 2013-06, 2013-06-16, 16/06/2013 or 06/2013 (days as each publisher dates them)"
    )]
    Format(String),
    #[error("`{input}` is not a valid date: {message}")]
    Invalid { input: String, message: String },
    #[error("the date range is empty: --from {from} is after --to {to}")]
    Reversed { from: String, to: String },
}

impl Period {
    /// The period's first wall-clock moment (its first midnight), read as UTC.
    pub fn start(&self) -> Timestamp {
        midnight(self.first)
    }

    /// The first wall-clock moment after the period, read as UTC.
    pub fn end(&self) -> Timestamp {
        let next = match self.precision {
            Precision::Year => self.first.checked_add(jiff::Span::new().years(1)),
            Precision::Month => self.first.checked_add(jiff::Span::new().months(1)),
            Precision::Day => self.first.tomorrow(),
        };
        match next {
            Ok(d) => midnight(d),
            // After 9999-12-31: the end of representable time.
            Err(_) => Timestamp::MAX,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first;
        match self.precision {
            Precision::Year => write!(f, "{:04}", d.year()),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

fn midnight(d: Date) -> Timestamp {
    jiff::tz::Offset::UTC
        .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::MIN)
}

/// Parses a typed date: `2013`, `2013-06`, `2013-06-16`, `16/06/2013`, `16-06-2013`,
/// `16.06.2013` or `06/2013` (one-digit days and months allowed).
pub fn parse_period(input: &str) -> Result<Period, DateError> {
    let s = input.trim();
    let format = || DateError::Format(input.to_string());
    let num = |p: &str| -> Result<i16, DateError> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format());
        }
        p.parse::<i16>().map_err(|_| format())
    };
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let year_first = parts.first().is_some_and(|p| p.len() == 4);
    let (y, m, d, precision) = match (parts.as_slice(), year_first) {
        ([y], true) => (num(y)?, 1, 1, Precision::Year),
        ([y, m], true) if s.contains('-') => (num(y)?, num(m)?, 1, Precision::Month),
        ([y, m, d], true) if !s.contains('.') => (num(y)?, num(m)?, num(d)?, Precision::Day),
        ([m, y], false) if y.len() == 4 && m.len() <= 2 => (num(y)?, num(m)?, 1, Precision::Month),
        ([d, m, y], false) if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            (num(y)?, num(m)?, num(d)?, Precision::Day)
        }
        _ => return Err(format()),
    };
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(DateError::Invalid {
            input: input.to_string(),
            message: "year, month or day out of range".into(),
        });
    }
    let first = Date::new(y, m as i8, d as i8).map_err(|e| DateError::Invalid {
        input: input.to_string(),
        message: e.to_string(),
    })?;
    Ok(Period { first, precision })
}

/// A half-open range `[start, end)` of wall-clock times (read as UTC, like the index's
/// `local` field); `None` leaves a side open.
///
/// Articles without a date never match a filter that has a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateFilter {
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
}

impl DateFilter {
    /// From the start of `from`'s period to the end of `to`'s period (both inclusive).
    pub fn between(from: Option<Period>, to: Option<Period>) -> Result<DateFilter, DateError> {
        let f = DateFilter {
            start: from.map(|p| p.start()),
            end: to.map(|p| p.end()),
        };
        if let (Some(a), Some(b), Some(from), Some(to)) = (f.start, f.end, from, to)
            && a >= b
        {
            return Err(DateError::Reversed {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        Ok(f)
    }

    /// Exactly one period.
    pub fn on(p: Period) -> DateFilter {
        DateFilter {
            start: Some(p.start()),
            end: Some(p.end()),
        }
    }

    /// True when the filter has no bound (everything, dated or not, passes).
    pub fn is_open(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }

    /// True when the publisher's wall-clock time of `d` is inside the filter.
    pub fn contains(&self, d: PubDate) -> bool {
        let t = d.local_seconds();
        self.start.is_none_or(|s| t >= s.as_second()) && self.end.is_none_or(|e| t < e.as_second())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        parse_period(s).unwrap()
    }

    #[test]
    fn every_form_parses() {
        assert_eq!(p("2013").to_string(), "2013");
        assert_eq!(p("2013-06").to_string(), "2013-06");
        assert_eq!(p("2013-6").to_string(), "2013-06");
        assert_eq!(p("2013-06-16").to_string(), "2013-06-16");
        assert_eq!(p("2013/06/16").to_string(), "2013-06-16");
        assert_eq!(p("16/06/2013").to_string(), "2013-06-16");
        assert_eq!(p("6/6/2013").to_string(), "2013-06-06");
        assert_eq!(p("16-06-2013").to_string(), "2013-06-16");
        assert_eq!(p("16.06.2013").to_string(), "2013-06-16");
        assert_eq!(p("06/2013").to_string(), "2013-06");
        assert_eq!(p(" 2013 ").precision, Precision::Year);
    }

    #[test]
    fn bad_dates_are_errors_not_panics() {
        for s in [
            "",
            "abc",
            "13",
            "2013-13",
            "2013-02-30",
            "32/01/2013",
            "2013-06-16T10:00",
            "0000",
            "2013--06",
            "99999",
            "1/2/3",
            "-2013",
            "２０１３",
        ] {
            assert!(parse_period(s).is_err(), "{s:?} should not parse");
        }
    }

    #[test]
    fn periods_are_calendar_units_of_wall_clock_time() {
        // A day is midnight to midnight of the wall clock (compared with `local`).
        let d = p("2013-06-16");
        assert_eq!(d.start().to_string(), "2013-06-16T00:00:00Z");
        assert_eq!(d.end().to_string(), "2013-06-17T00:00:00Z");
        // Months have their real lengths.
        assert_eq!(p("2013-02").end().to_string(), "2013-03-01T00:00:00Z");
        assert_eq!(p("2012-02").end().to_string(), "2012-03-01T00:00:00Z");
        assert_eq!(p("2013-12").end().to_string(), "2014-01-01T00:00:00Z");
        assert_eq!(p("2013").end().to_string(), "2014-01-01T00:00:00Z");
        assert_eq!(p("9999").end(), Timestamp::MAX);
    }

    #[test]
    fn days_are_the_publishers_days() {
        let on = DateFilter::on(p("2026-03-02"));
        // 20:09 in Berlin and in California is 3 March in Vietnam, 2 March for them.
        for s in [
            "2026-03-02T20:09:00+01:00",
            "2026-03-02T20:09:00-08:00",
            "2026-03-02T00:00:00+07:00",
            "2026-03-02T23:59:59+07:00",
        ] {
            assert!(on.contains(s.parse().unwrap()), "{s}");
        }
        for s in ["2026-03-03T02:09:00+07:00", "2026-03-01T23:59:59-05:00"] {
            assert!(!on.contains(s.parse().unwrap()), "{s}");
        }
    }

    #[test]
    fn filters_include_both_ends() {
        let f = DateFilter::between(Some(p("2013-06-16")), Some(p("2013-06-16"))).unwrap();
        let inside: PubDate = "2013-06-16T23:59:59+07:00".parse().unwrap();
        let first: PubDate = "2013-06-16T00:00:00+07:00".parse().unwrap();
        let before: PubDate = "2013-06-15T23:59:59+07:00".parse().unwrap();
        let after: PubDate = "2013-06-17T00:00:00+07:00".parse().unwrap();
        assert!(f.contains(inside) && f.contains(first));
        assert!(!f.contains(before) && !f.contains(after));
        assert!(DateFilter::between(Some(p("2014")), Some(p("2013"))).is_err());
        assert!(DateFilter::between(Some(p("2013-06")), Some(p("2013"))).is_ok());
        assert!(DateFilter::between(None, None).unwrap().is_open());
        assert!(!DateFilter::on(p("2013")).is_open());
    }
}

//! The one record every input becomes: [`Article`], its id rules and its date type.
//!
//! Every reader (HTML, text dumps, JSON Lines, WARC, the web fetcher) produces an
//! [`Article`]; the index stores it (also as the original JSON, so the index can be
//! rebuilt) and search returns parts of it.
//!
//! A publication date is a [`PubDate`]: the instant *and* the UTC offset the publisher
//! printed it with, so the article's calendar day is the publisher's day (a Berlin
//! page at 20:09 `+02:00` stays on its day; it is not moved to the next day at UTC+7).
//! A date written without an offset is read as Vietnam time (UTC+7,
//! [`VN_OFFSET_HOURS`]), which keeps its written day. Dates are shown in RFC 3339 with
//! their own offset; other instants (fetch times, index statistics) at UTC+7.
//!
//! ```
//! use tintuc::article::{Article, PubDate, format_date};
//! let mut a = Article::default();
//! a.title = Some("Giá vàng giảm".into());
//! a.body = "Sáng 7/3, giá vàng miếng giảm.".into();
//! a.ensure_id();
//! assert!(a.id.starts_with("h:"));
//! let ts: jiff::Timestamp = "2013-06-16T13:09:00Z".parse().unwrap();
//! assert_eq!(format_date(ts), "2013-06-16T20:09:00+07:00");
//! let berlin: PubDate = "2013-06-16T20:09:00+02:00".parse().unwrap();
//! assert_eq!(format_date(berlin), "2013-06-16T20:09:00+02:00");
//! assert_eq!(berlin.day().to_string(), "2013-06-16");
//! ```

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

/// Vietnam's UTC offset in hours: dates without an offset are read in it, days are cut in it.
pub const VN_OFFSET_HOURS: i8 = 7;

/// The fixed UTC+7 offset (Vietnam has no daylight saving time).
pub fn vn_offset() -> Offset {
    Offset::constant(VN_OFFSET_HOURS)
}

/// The fixed UTC+7 time zone.
pub fn vn_tz() -> TimeZone {
    TimeZone::fixed(vn_offset())
}

/// Formats a date as RFC 3339 with its own offset (`2013-06-16T20:09:00+02:00`); a bare
/// instant ([`Timestamp`]) is shown at UTC+7 (`2013-06-16T20:09:00+07:00`).
pub fn format_date(d: impl Into<PubDate>) -> String {
    d.into().to_string()
}

/// A publication date: an instant and the UTC offset the publisher gave it with.
///
/// Ordered by instant (then offset). [`PubDate::day`] and [`PubDate::local`] are the
/// publisher's calendar day and wall-clock time; [`Timestamp`]s convert at UTC+7.
/// Parsing (`FromStr`, serde) reads RFC 3339 and keeps the offset (`Z` is `+00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PubDate {
    instant: Timestamp,
    offset: Offset,
}

impl PubDate {
    /// The instant `instant` as printed at `offset`.
    pub fn new(instant: Timestamp, offset: Offset) -> PubDate {
        PubDate { instant, offset }
    }

    /// The wall-clock time `civil` at `offset` (`None` when out of range).
    pub fn from_civil(civil: DateTime, offset: Offset) -> Option<PubDate> {
        offset
            .to_timestamp(civil)
            .ok()
            .map(|instant| PubDate { instant, offset })
    }

    /// The UTC instant.
    pub fn instant(&self) -> Timestamp {
        self.instant
    }

    /// The publisher's UTC offset.
    pub fn offset(&self) -> Offset {
        self.offset
    }

    /// Seconds since the Unix epoch (of the instant).
    pub fn as_second(&self) -> i64 {
        self.instant.as_second()
    }

    /// The same instant at another offset.
    pub fn with_offset(self, offset: Offset) -> PubDate {
        PubDate { offset, ..self }
    }

    /// The publisher's wall-clock date and time.
    pub fn local(&self) -> DateTime {
        self.offset.to_datetime(self.instant)
    }

    /// The publisher's calendar day: what day filters and histograms use.
    pub fn day(&self) -> Date {
        self.local().date()
    }

    /// The wall-clock time as seconds since 1970-01-01T00:00 *as if it were UTC*: the
    /// index's `local` field, on which calendar days are plain 86,400-second spans.
    pub fn local_seconds(&self) -> i64 {
        self.as_second() + i64::from(self.offset.seconds())
    }
}

impl From<Timestamp> for PubDate {
    /// An instant without an offset of its own is shown at UTC+7.
    fn from(instant: Timestamp) -> PubDate {
        PubDate::new(instant, vn_offset())
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.local();
        let secs = self.offset.seconds();
        let sign = if secs < 0 { '-' } else { '+' };
        let a = secs.unsigned_abs();
        write!(
            f,
            "{}{sign}{:02}:{:02}",
            local.strftime("%Y-%m-%dT%H:%M:%S"),
            a / 3600,
            (a % 3600) / 60
        )
    }
}

/// A date string that is not an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an RFC 3339 date with an offset")]
pub struct PubDateError(String);

impl FromStr for PubDate {
    type Err = PubDateError;

    fn from_str(s: &str) -> Result<PubDate, PubDateError> {
        let s = s.trim();
        let err = || PubDateError(s.chars().take(64).collect());
        let instant: Timestamp = s.parse().map_err(|_| err())?;
        let offset = jiff::fmt::temporal::Pieces::parse(s)
            .ok()
            .and_then(|p| p.to_numeric_offset())
            .unwrap_or(Offset::UTC);
        Ok(PubDate::new(instant, offset))
    }
}

/// One news article, whatever it was read from.
///
/// `body` is the main text with paragraphs separated by `\n`, without the lead.
/// Absent values are `None` (and `null` in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// Stable identifier: the given id, else the canonical URL, else `h:` + a content hash.
    pub id: String,
    pub url: Option<String>,
    /// Publisher or data set name (`vnexpress.net`, `vietnews`).
    pub source: Option<String>,
    pub title: Option<String>,
    /// Kicker / subtitle printed above or below the title.
    pub kicker: Option<String>,
    /// Lead (sapo): the summary paragraph before the body.
    pub lead: Option<String>,
    pub body: String,
    /// The authors joined with `, ` (kept for compatibility; [`Article::authors`] is
    /// the list).
    pub author: Option<String>,
    /// The authors, one person or named desk each (`["Thu Hà", "Minh Anh"]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The source the article credits (`TTXVN`, `Reuters`), not a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    pub category: Option<String>,
    /// Publication date with the publisher's offset, serialized as RFC 3339 with it.
    #[serde(with = "pub_date_serde")]
    pub date: Option<PubDate>,
    /// BCP 47 language tag when known (`vi`, `en`).
    pub language: Option<String>,
    /// When the page was fetched (WARC date / crawl time), kept apart from `date`.
    #[serde(with = "date_serde", skip_serializing_if = "Option::is_none")]
    pub fetched: Option<Timestamp>,
}

impl Article {
    /// Fills `id` when empty: the canonical URL (without `#fragment`), else (no URL, or
    /// one that is only a fragment) `h:` and a 64-bit hash of title, lead and body in hex.
    pub fn ensure_id(&mut self) {
        if !self.id.trim().is_empty() {
            let trimmed = self.id.trim();
            if trimmed.len() != self.id.len() {
                self.id = trimmed.to_string();
            }
            return;
        }
        // A URL that is only a fragment (`#x`) names nothing: the hash is used instead.
        let url = self
            .url
            .as_deref()
            .and_then(|u| u.split('#').next())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        if let Some(url) = url {
            self.id = url.to_string();
            return;
        }
        self.id = format!("h:{:016x}", self.content_hash());
    }

    /// A stable 64-bit hash (xxh3) of everything an article says (not its id or fetch
    /// time): equal hashes mean an unchanged article.
    pub fn content_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let authors = self.authors.join("\u{1f}");
        let parts: [Option<&str>; 11] = [
            self.url.as_deref(),
            self.source.as_deref(),
            self.title.as_deref(),
            self.kicker.as_deref(),
            self.lead.as_deref(),
            Some(self.body.as_str()),
            self.author.as_deref(),
            self.category.as_deref(),
            self.language.as_deref(),
            (!self.authors.is_empty()).then_some(authors.as_str()),
            self.credit.as_deref(),
        ];
        for p in parts {
            match p {
                Some(s) => {
                    h.update(&[1]);
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                None => h.update(&[0]),
            }
        }
        match self.date {
            Some(d) => {
                h.update(&[1]);
                h.update(&d.as_second().to_le_bytes());
                h.update(&d.offset().seconds().to_le_bytes());
            }
            None => h.update(&[0]),
        }
        h.digest()
    }

    /// True when the article has no text at all (no title, lead or body).
    pub fn is_empty(&self) -> bool {
        self.body.trim().is_empty()
            && self.title.as_deref().is_none_or(|t| t.trim().is_empty())
            && self.lead.as_deref().is_none_or(|t| t.trim().is_empty())
    }
}

/// Serde for `Option<PubDate>` as RFC 3339 with the date's own offset; reading keeps
/// the offset written (`Z` is `+00:00`) and takes `null` or `""` as no date.
pub mod pub_date_serde {
    use super::PubDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<PubDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PubDate>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => s.parse().map(Some).map_err(serde::de::Error::custom),
        }
    }
}

/// Serde for `Option<Timestamp>` as RFC 3339 at UTC+7; reading accepts any RFC 3339
/// instant (with offset) and `null`.
pub mod date_serde {
    use super::format_date;
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(ts) => s.serialize_str(&format_date(*ts)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => s
                .trim()
                .parse::<Timestamp>()
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefers_given_then_url_then_hash() {
        let mut a = Article {
            id: "  x1 ".into(),
            url: Some("https://a.vn/b#c".into()),
            ..Default::default()
        };
        a.ensure_id();
        assert_eq!(a.id, "x1");
        a.id.clear();
        a.ensure_id();
        assert_eq!(a.id, "https://a.vn/b");
        a.id.clear();
        a.url = None;
        a.body = "nội dung".into();
        a.ensure_id();
        assert_eq!(a.id, format!("h:{:016x}", a.content_hash()));
    }

    /// Found by the `jsonl` fuzz target: `"url": "#ttps://…#comments"` without an id
    /// gave the article an empty id.
    #[test]
    fn a_url_that_is_only_a_fragment_falls_back_to_the_hash() {
        for url in ["#ttps://vnexpress.net/tin.html#comments", " #x", "#", "  "] {
            let mut a = Article {
                url: Some(url.into()),
                body: "nội dung".into(),
                ..Default::default()
            };
            a.ensure_id();
            assert_eq!(a.id, format!("h:{:016x}", a.content_hash()), "{url:?}");
        }
    }

    #[test]
    fn content_hash_sees_every_field() {
        let a = Article {
            body: "x".into(),
            ..Default::default()
        };
        let mut b = a.clone();
        b.author = Some("x".into());
        assert_ne!(a.content_hash(), b.content_hash());
        let mut c = a.clone();
        c.id = "other".into();
        assert_eq!(a.content_hash(), c.content_hash());
    }

    #[test]
    fn pub_dates_keep_the_publishers_offset_and_day() {
        let berlin: PubDate = "2026-03-02T20:09:00+01:00".parse().unwrap();
        // The same instant is 3 March at UTC+7; the publisher's day is 2 March.
        assert_eq!(format_date(berlin.instant()), "2026-03-03T02:09:00+07:00");
        assert_eq!(berlin.day().to_string(), "2026-03-02");
        assert_eq!(berlin.to_string(), "2026-03-02T20:09:00+01:00");
        let la: PubDate = "2026-03-02T20:09:00-08:00".parse().unwrap();
        assert_eq!(la.day().to_string(), "2026-03-02");
        assert_eq!(la.local_seconds() % 86_400, 20 * 3600 + 9 * 60);
        let z: PubDate = "2026-03-02T20:09:00Z".parse().unwrap();
        assert_eq!(z.to_string(), "2026-03-02T20:09:00+00:00");
        assert!("2026-03-02".parse::<PubDate>().is_err());
        let civil = jiff::civil::date(2026, 3, 2).at(20, 9, 0, 0);
        assert_eq!(
            PubDate::from_civil(civil, vn_offset()).unwrap().day(),
            civil.date()
        );
        // Ordered by instant: 20:09 in Los Angeles is after 20:09 in Berlin.
        assert!(la > berlin);
    }

    #[test]
    fn authors_and_credit_round_trip_and_change_the_hash() {
        let a = Article {
            id: "1".into(),
            author: Some("Thu Hà, Minh Anh".into()),
            authors: vec!["Thu Hà".into(), "Minh Anh".into()],
            credit: Some("Reuters".into()),
            date: Some("2013-06-16T20:09:00+02:00".parse().unwrap()),
            ..Default::default()
        };
        let j = serde_json::to_string(&a).unwrap();
        assert!(j.contains(r#""authors":["Thu Hà","Minh Anh"]"#), "{j}");
        assert!(j.contains(r#""credit":"Reuters""#), "{j}");
        assert!(j.contains(r#""date":"2013-06-16T20:09:00+02:00""#), "{j}");
        let back: Article = serde_json::from_str(&j).unwrap();
        assert_eq!(back, a);
        let mut b = a.clone();
        b.credit = None;
        assert_ne!(a.content_hash(), b.content_hash());
        let mut c = a.clone();
        c.date = c.date.map(|d| d.with_offset(vn_offset()));
        assert_ne!(a.content_hash(), c.content_hash());
    }

    #[test]
    fn json_round_trip_keeps_a_vietnam_date_at_utc7() {
        let a = Article {
            id: "1".into(),
            date: Some(PubDate::from(
                "2013-06-16T13:09:00Z".parse::<Timestamp>().unwrap(),
            )),
            ..Default::default()
        };
        let j = serde_json::to_string(&a).unwrap();
        assert!(j.contains("\"date\":\"2013-06-16T20:09:00+07:00\""), "{j}");
        assert!(j.contains("\"title\":null"));
        let back: Article = serde_json::from_str(&j).unwrap();
        assert_eq!(back, a);
    }
}

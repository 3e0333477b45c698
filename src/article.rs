//! The one record every input becomes: [`Article`], its id rules and its date type.
//!
//! Every reader (HTML, text dumps, JSON Lines, WARC, the web fetcher) produces an
//! [`Article`]; the index stores it (also as the original JSON, so the index can be
//! rebuilt) and search returns parts of it.
//!
//! Dates are [`jiff::Timestamp`]s, UTC instants. A date written without an offset is
//! read as Vietnam time (UTC+7, [`VN_OFFSET_HOURS`]); dates are shown in RFC 3339 at
//! UTC+7, the time a Vietnamese newsroom printed.
//!
//! ```
//! use tintuc::article::{Article, format_date};
//! let mut a = Article::default();
//! a.title = Some("Giá vàng giảm".into());
//! a.body = "Sáng 7/3, giá vàng miếng giảm.".into();
//! a.ensure_id();
//! assert!(a.id.starts_with("h:"));
//! let ts: jiff::Timestamp = "2013-06-16T13:09:00Z".parse().unwrap();
//! assert_eq!(format_date(ts), "2013-06-16T20:09:00+07:00");
//! ```

use jiff::Timestamp;
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

/// Formats an instant as RFC 3339 at UTC+7, e.g. `2013-06-16T20:09:00+07:00`.
pub fn format_date(ts: Timestamp) -> String {
    ts.to_zoned_datetime(vn_tz())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
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
    pub author: Option<String>,
    pub category: Option<String>,
    /// Publication date (UTC instant), serialized as RFC 3339 at UTC+7.
    #[serde(with = "date_serde")]
    pub date: Option<Timestamp>,
    /// BCP 47 language tag when known (`vi`, `en`).
    pub language: Option<String>,
    /// When the page was fetched (WARC date / crawl time), kept apart from `date`.
    #[serde(with = "date_serde", skip_serializing_if = "Option::is_none")]
    pub fetched: Option<Timestamp>,
}

impl Article {
    /// Fills `id` when empty: the canonical URL (without `#fragment`), else `h:` and
    /// a 64-bit hash of title, lead and body in hex.
    pub fn ensure_id(&mut self) {
        if !self.id.trim().is_empty() {
            let trimmed = self.id.trim();
            if trimmed.len() != self.id.len() {
                self.id = trimmed.to_string();
            }
            return;
        }
        if let Some(url) = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            let url = url.split('#').next().unwrap_or(url);
            self.id = url.to_string();
            return;
        }
        self.id = format!("h:{:016x}", self.content_hash());
    }

    /// A stable 64-bit hash (xxh3) of everything an article says (not its id or fetch
    /// time): equal hashes mean an unchanged article.
    pub fn content_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let parts: [Option<&str>; 9] = [
            self.url.as_deref(),
            self.source.as_deref(),
            self.title.as_deref(),
            self.kicker.as_deref(),
            self.lead.as_deref(),
            Some(self.body.as_str()),
            self.author.as_deref(),
            self.category.as_deref(),
            self.language.as_deref(),
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
    fn json_round_trip_keeps_date_at_utc7() {
        let a = Article {
            id: "1".into(),
            date: Some("2013-06-16T13:09:00Z".parse().unwrap()),
            ..Default::default()
        };
        let j = serde_json::to_string(&a).unwrap();
        assert!(j.contains("\"date\":\"2013-06-16T20:09:00+07:00\""), "{j}");
        assert!(j.contains("\"title\":null"));
        let back: Article = serde_json::from_str(&j).unwrap();
        assert_eq!(back, a);
    }
}

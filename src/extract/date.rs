//! Publication dates in the forms Vietnamese news uses. (Skeleton: RFC 3339 and
//! `YYYY-MM-DD`; the readers work replaces it.)

use jiff::Timestamp;

/// Parses a date; a date or time without an offset is Vietnam time (UTC+7).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let d: jiff::civil::Date = s.get(..10)?.parse().ok()?;
    d.to_zoned_datetime(crate::article::vn_tz())
        .ok()
        .map(|z| z.timestamp())
}

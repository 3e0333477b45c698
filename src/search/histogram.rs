//! Match counts over time: calendar years, months or days of each publisher's calendar.
//!
//! [`DayCounts`] is a tantivy collector reading the `local` fast field (the publisher's
//! wall-clock time read as UTC) of every matching document and counting per calendar
//! day, so a Berlin article of 20:09 on 2 March counts on 2 March; [`Histogram::from_days`]
//! then groups the days into calendar years or months (real month lengths, not fixed
//! intervals).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

/// Bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Year,
    Month,
    Day,
}

impl Interval {
    /// `year`, `month` or `day`.
    pub fn name(self) -> &'static str {
        match self {
            Interval::Year => "year",
            Interval::Month => "month",
            Interval::Day => "day",
        }
    }
}

/// One bucket: `2013`, `2013-06` or `2013-06-16`, and how many matches fall in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub key: String,
    pub count: u64,
}

/// Counts per bucket, sorted by key (only non-empty buckets), and the matches
/// without a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub interval: Interval,
    pub buckets: Vec<Bucket>,
    pub undated: u64,
}

/// Day number (days since 1970-01-01) of a wall-clock time read as UTC (the `local`
/// field, [`crate::article::PubDate::local_seconds`]).
pub fn local_day(local_seconds: i64) -> i64 {
    local_seconds.div_euclid(86_400)
}

/// Counts of matching documents per publisher's calendar day, plus the undated ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayCountsFruit {
    pub days: HashMap<i64, u64>,
    pub undated: u64,
}

/// Collector of [`DayCountsFruit`] over a date fast field holding wall-clock times
/// (`local`).
pub struct DayCounts {
    pub field: String,
}

impl Collector for DayCounts {
    type Fruit = DayCountsFruit;
    type Child = DaySegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<DaySegment> {
        Ok(DaySegment {
            column: reader.fast_fields().date(&self.field)?,
            fruit: DayCountsFruit::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DayCountsFruit>) -> tantivy::Result<DayCountsFruit> {
        let mut out = DayCountsFruit::default();
        for f in fruits {
            out.undated += f.undated;
            for (d, n) in f.days {
                *out.days.entry(d).or_default() += n;
            }
        }
        Ok(out)
    }
}

/// Per-segment part of [`DayCounts`].
pub struct DaySegment {
    column: Column<DateTime>,
    fruit: DayCountsFruit,
}

impl SegmentCollector for DaySegment {
    type Fruit = DayCountsFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.column.first(doc) {
            Some(d) => {
                *self
                    .fruit
                    .days
                    .entry(local_day(d.into_timestamp_secs()))
                    .or_default() += 1
            }
            None => self.fruit.undated += 1,
        }
    }

    fn harvest(self) -> DayCountsFruit {
        self.fruit
    }
}

impl Histogram {
    /// Groups day counts into calendar buckets.
    pub fn from_days(fruit: &DayCountsFruit, interval: Interval) -> Histogram {
        let mut keyed: HashMap<String, u64> = HashMap::new();
        for (&day, &n) in &fruit.days {
            let Ok(ts) = Timestamp::from_second(day.saturating_mul(86_400)) else {
                continue;
            };
            let d = ts.to_zoned_datetime(TimeZone::UTC).date();
            let key = match interval {
                Interval::Year => format!("{:04}", d.year()),
                Interval::Month => format!("{:04}-{:02}", d.year(), d.month()),
                Interval::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            };
            *keyed.entry(key).or_default() += n;
        }
        let mut buckets: Vec<Bucket> = keyed
            .into_iter()
            .map(|(key, count)| Bucket { key, count })
            .collect();
        buckets.sort_by(|a, b| a.key.cmp(&b.key));
        Histogram {
            interval,
            buckets,
            undated: fruit.undated,
        }
    }

    /// The same counts in coarser buckets (`2013-06-16` → `2013-06` → `2013`): a
    /// histogram can only be coarsened, a finer `interval` returns it unchanged.
    pub fn coarsened(&self, interval: Interval) -> Histogram {
        let len = match interval {
            Interval::Year => 4,
            Interval::Month => 7,
            Interval::Day => 10,
        };
        let mut keyed: std::collections::BTreeMap<&str, u64> = Default::default();
        for b in &self.buckets {
            *keyed.entry(b.key.get(..len).unwrap_or(&b.key)).or_default() += b.count;
        }
        Histogram {
            interval: interval.max_coarse(self.interval),
            buckets: keyed
                .into_iter()
                .map(|(k, count)| Bucket {
                    key: k.to_string(),
                    count,
                })
                .collect(),
            undated: self.undated,
        }
    }

    /// A day histogram in the unit that suits its span for a chart: days up to about
    /// three months, months up to six years, years beyond.
    pub fn auto(&self) -> Histogram {
        let day =
            |b: Option<&Bucket>| b.and_then(|b| b.key.get(..10)?.parse::<jiff::civil::Date>().ok());
        let span = match (day(self.buckets.first()), day(self.buckets.last())) {
            (Some(a), Some(b)) => (b - a).get_days(),
            _ => 0,
        };
        self.coarsened(if self.interval != Interval::Day || span > 6 * 366 {
            Interval::Year
        } else if span > 92 {
            Interval::Month
        } else {
            Interval::Day
        })
    }

    /// The buckets from the first to the last with the empty ones in between (for
    /// charts), or `None` when that would be more than `max` buckets.
    pub fn filled(&self, max: usize) -> Option<Vec<Bucket>> {
        let (first, last) = (self.buckets.first()?, self.buckets.last()?);
        let parse = |k: &str| -> Option<jiff::civil::Date> {
            match self.interval {
                Interval::Year => jiff::civil::Date::new(k.parse().ok()?, 1, 1).ok(),
                Interval::Month => format!("{k}-01").parse().ok(),
                Interval::Day => k.parse().ok(),
            }
        };
        let (mut d, end) = (parse(&first.key)?, parse(&last.key)?);
        let step = match self.interval {
            Interval::Year => jiff::Span::new().years(1),
            Interval::Month => jiff::Span::new().months(1),
            Interval::Day => jiff::Span::new().days(1),
        };
        let counts: HashMap<&str, u64> = self
            .buckets
            .iter()
            .map(|b| (b.key.as_str(), b.count))
            .collect();
        let mut out = Vec::new();
        while d <= end {
            if out.len() >= max {
                return None;
            }
            let key = match self.interval {
                Interval::Year => format!("{:04}", d.year()),
                Interval::Month => format!("{:04}-{:02}", d.year(), d.month()),
                Interval::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            };
            let count = counts.get(key.as_str()).copied().unwrap_or(0);
            out.push(Bucket { key, count });
            d = d.checked_add(step).ok()?;
        }
        Some(out)
    }
}

impl Interval {
    /// The coarser of two intervals.
    fn max_coarse(self, other: Interval) -> Interval {
        let rank = |i: Interval| match i {
            Interval::Year => 0,
            Interval::Month => 1,
            Interval::Day => 2,
        };
        if rank(self) <= rank(other) {
            self
        } else {
            other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day_of(s: &str) -> i64 {
        local_day(
            s.parse::<crate::article::PubDate>()
                .unwrap()
                .local_seconds(),
        )
    }

    #[test]
    fn days_are_the_publishers_days() {
        // 20:09 on 2 March in Berlin and California: 3 March in Vietnam, 2 March there.
        let d = day_of("2026-03-02T12:00:00+07:00");
        assert_eq!(day_of("2026-03-02T20:09:00+01:00"), d);
        assert_eq!(day_of("2026-03-02T20:09:00-08:00"), d);
        assert_eq!(day_of("2026-03-03T02:09:00+07:00"), d + 1);
    }

    #[test]
    fn days_are_cut_at_midnight_vietnam_time() {
        assert_eq!(
            day_of("2013-06-16T00:00:00+07:00"),
            day_of("2013-06-16T23:59:59+07:00")
        );
        assert_eq!(
            day_of("2013-06-15T23:59:59+07:00") + 1,
            day_of("2013-06-16T00:00:00+07:00")
        );
        assert_eq!(
            day_of("1960-01-01T00:00:00+07:00") + 1,
            day_of("1960-01-02T00:00:00+07:00")
        );
    }

    #[test]
    fn buckets_are_calendar_units() {
        let mut f = DayCountsFruit::default();
        for (s, n) in [
            ("2013-01-31T12:00:00+07:00", 1),
            ("2013-02-01T00:00:00+07:00", 2),
            ("2013-02-28T23:00:00+07:00", 3),
            ("2013-03-01T00:30:00+07:00", 4),
            ("2014-01-01T00:00:00+07:00", 5),
        ] {
            *f.days.entry(day_of(s)).or_default() += n;
        }
        f.undated = 7;
        let m = Histogram::from_days(&f, Interval::Month);
        let got: Vec<(&str, u64)> = m
            .buckets
            .iter()
            .map(|b| (b.key.as_str(), b.count))
            .collect();
        assert_eq!(
            got,
            [
                ("2013-01", 1),
                ("2013-02", 5),
                ("2013-03", 4),
                ("2014-01", 5)
            ]
        );
        assert_eq!(m.undated, 7);
        let y = Histogram::from_days(&f, Interval::Year);
        assert_eq!(y.buckets.len(), 2);
        assert_eq!(y.buckets[0].count, 10);
        let d = Histogram::from_days(&f, Interval::Day);
        assert_eq!(d.buckets[0].key, "2013-01-31");
        let filled = m.filled(100).unwrap();
        assert_eq!(filled.len(), 13);
        assert_eq!(filled[3].key, "2013-04");
        assert_eq!(filled[3].count, 0);
        assert!(d.filled(10).is_none());
        // Coarsening a day histogram gives the month and year ones; never finer.
        assert_eq!(d.coarsened(Interval::Month), m);
        assert_eq!(d.coarsened(Interval::Year), y);
        assert_eq!(y.coarsened(Interval::Day), y);
        // 2013-01-31 to 2014-01-01 spans a year: months.
        assert_eq!(d.auto(), m);
    }

    #[test]
    fn auto_picks_days_for_a_short_span_and_years_for_a_long_one() {
        let mut f = DayCountsFruit::default();
        f.days.insert(day_of("2013-06-16T12:00:00+07:00"), 1);
        f.days.insert(day_of("2013-06-20T12:00:00+07:00"), 1);
        let d = Histogram::from_days(&f, Interval::Day);
        assert_eq!(d.auto().interval, Interval::Day);
        f.days.insert(day_of("2025-01-01T12:00:00+07:00"), 1);
        let d = Histogram::from_days(&f, Interval::Day);
        assert_eq!(d.auto().interval, Interval::Year);
        assert_eq!(d.auto().buckets.len(), 2);
    }
}

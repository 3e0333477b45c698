//! The JSON shape of a search: one definition for `tintuc search --json`, `--batch`
//! and the HTTP API (`/api/search`), so both emit the same keys.
//!
//! `{"query", "total", "took_ms", "hits": [{"id", "url", "source", "title", "date",
//! "score", "snippet", "highlights"}], "relaxed"}` plus `"matched_words"` and
//! `"query_words"` when relaxed, `"histogram": [{"key", "count"}]`, `"interval"`
//! (`year`, `month`, `day`) and `"undated"` with a histogram, `"facets": {"source": [{"key", "count"}], "category": [...]}`
//! when facets were asked for, `"warnings"` when the query was repaired,
//! `"duplicates"` on a hit with collapse, `"restored"` (the query as understood) when
//! accent restoration changed a word, `"suggestion"` (a corrected query, not applied)
//! when nothing or only a relaxed match was found. `snippet` is plain text; `highlights` are
//! its matched words as `[start, end)` offsets in characters (Unicode scalar values),
//! as are `title_highlights` (present when the title has matched words).
//!
//! A key added to the response belongs here: the CLI and the server serialize
//! [`Response`] and pick it up without a change of their own.

use serde::Serialize;

use super::{QueryError, SearchResponse};
use crate::article::format_date;

/// One hit.
#[derive(Debug, Serialize)]
pub struct Hit<'a> {
    pub id: &'a str,
    pub url: Option<&'a str>,
    pub source: Option<&'a str>,
    pub title: Option<&'a str>,
    pub date: Option<String>,
    pub score: f32,
    pub snippet: &'a str,
    pub highlights: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub title_highlights: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub duplicates: &'a [String],
}

/// A `{"key", "count"}` pair: a histogram bucket or a facet value.
#[derive(Debug, Serialize)]
pub struct Bucket<'a> {
    pub key: &'a str,
    pub count: u64,
}

/// Facet counts by field.
#[derive(Debug, Serialize)]
pub struct Facets<'a> {
    pub source: Vec<Bucket<'a>>,
    pub category: Vec<Bucket<'a>>,
}

/// The object of a search response.
#[derive(Debug, Serialize)]
pub struct Response<'a> {
    pub query: &'a str,
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit<'a>>,
    pub relaxed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_words: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_words: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Vec<Bucket<'a>>>,
    /// `year`, `month` or `day`: the unit of the histogram's buckets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub warnings: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<&'a str>,
}

/// Character offsets of byte ranges of `text`.
pub fn char_ranges(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<[usize; 2]> {
    let mut out = Vec::with_capacity(ranges.len());
    let (mut chars, mut at) = (0, 0);
    for r in ranges {
        let (Some(gap), Some(word)) = (text.get(at..r.start), text.get(r.start..r.end)) else {
            continue;
        };
        chars += gap.chars().count();
        let len = word.chars().count();
        out.push([chars, chars + len]);
        chars += len;
        at = r.end;
    }
    out
}

fn buckets(b: &[super::Bucket]) -> Vec<Bucket<'_>> {
    b.iter()
        .map(|b| Bucket {
            key: &b.key,
            count: b.count,
        })
        .collect()
}

/// The JSON object of a response.
pub fn response(r: &SearchResponse) -> Response<'_> {
    Response {
        query: &r.query,
        total: r.total,
        took_ms: r.took.as_secs_f64() * 1000.0,
        hits: r
            .hits
            .iter()
            .map(|h| Hit {
                id: &h.id,
                url: h.url.as_deref(),
                source: h.source.as_deref(),
                title: h.title.as_deref(),
                date: h.date.map(format_date),
                score: h.score,
                snippet: &h.snippet.text,
                highlights: h.snippet.char_highlights(),
                title_highlights: h
                    .title
                    .as_deref()
                    .map(|t| char_ranges(t, &h.title_highlights))
                    .unwrap_or_default(),
                duplicates: &h.duplicates,
            })
            .collect(),
        relaxed: r.relaxed.is_some(),
        matched_words: r.relaxed.map(|x| x.matched),
        query_words: r.relaxed.map(|x| x.of),
        histogram: r.histogram.as_ref().map(|h| buckets(&h.buckets)),
        interval: r.histogram.as_ref().map(|h| h.interval.name()),
        undated: r.histogram.as_ref().map(|h| h.undated),
        facets: r.facets.as_ref().map(|f| Facets {
            source: buckets(&f.source),
            category: buckets(&f.category),
        }),
        warnings: &r.warnings,
        restored: r.restored.as_deref(),
        suggestion: r.suggestion.as_deref(),
    }
}

/// The object of a query that could not run (in `--batch`).
#[derive(Debug, Serialize)]
pub struct Error<'a> {
    pub query: &'a str,
    pub error: String,
    pub total: u64,
    pub took_ms: f64,
    pub hits: [(); 0],
}

/// The JSON object of a query that could not run.
pub fn error<'a>(query: &'a str, e: &QueryError) -> Error<'a> {
    Error {
        query,
        error: e.to_string(),
        total: 0,
        took_ms: 0.0,
        hits: [],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_ranges_count_characters_and_skip_bad_ranges() {
        let t = "Giá vàng tăng";
        // `vàng` is bytes 5..10 (à is two bytes), characters 4..8.
        let vang = std::ops::Range { start: 5, end: 10 };
        assert_eq!(char_ranges(t, std::slice::from_ref(&vang)), [[4, 8]]);
        assert_eq!(char_ranges(t, &[0..4, 5..10]), [[0, 3], [4, 8]]);
        // A range inside `á` (bytes 2..4) is skipped.
        let inside = std::ops::Range { start: 3, end: 4 };
        assert_eq!(
            char_ranges(t, std::slice::from_ref(&inside)),
            Vec::<[usize; 2]>::new()
        );
    }
}

//! What an index holds: live articles, date range, articles per source, size on disk.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::{Archive, IndexError, tantivy_err};

/// A summary of an index; serialized as
/// `{"articles","date_min","date_max","sources":{name: n},"bytes"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Live (not deleted) articles.
    pub articles: u64,
    /// Earliest publication date (RFC 3339 at UTC+7 in JSON; `null` when none is dated).
    #[serde(with = "crate::article::date_serde")]
    pub date_min: Option<Timestamp>,
    /// Latest publication date.
    #[serde(with = "crate::article::date_serde")]
    pub date_max: Option<Timestamp>,
    /// Articles per source name; articles without a source are not listed.
    pub sources: BTreeMap<String, u64>,
    /// Size of the index folder on disk, in bytes.
    pub bytes: u64,
    /// Articles with a date.
    #[serde(skip)]
    pub dated: u64,
    /// tantivy segments in the last commit.
    #[serde(skip)]
    pub segments: usize,
}

impl Archive {
    /// Counts live articles, dates and sources over the last commit, and measures
    /// the folder.
    pub fn stats(&self) -> Result<Stats, IndexError> {
        let searcher = self.searcher();
        let mut s = Stats {
            articles: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            bytes: folder_size(self.dir()),
            ..Default::default()
        };
        let (mut min, mut max) = (i64::MAX, i64::MIN);
        let mut name = String::new();
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let dates = ff.date("date").map_err(|e| tantivy_err(self.dir(), e))?;
            let sources = ff
                .str("source_key")
                .map_err(|e| tantivy_err(self.dir(), e))?;
            let mut counts = vec![0u64; sources.as_ref().map_or(0, |c| c.num_terms())];
            for doc in seg.doc_ids_alive() {
                if let Some(d) = dates.first(doc) {
                    let secs = d.into_timestamp_secs();
                    min = min.min(secs);
                    max = max.max(secs);
                    s.dated += 1;
                }
                if let Some(col) = &sources {
                    for ord in col.term_ords(doc) {
                        if let Some(c) = counts.get_mut(ord as usize) {
                            *c += 1;
                        }
                    }
                }
            }
            if let Some(col) = &sources {
                for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    name.clear();
                    if col
                        .ord_to_str(ord as u64, &mut name)
                        .map_err(|e| self.io_err(e))?
                    {
                        *s.sources.entry(name.clone()).or_default() += n;
                    }
                }
            }
        }
        if s.dated > 0 {
            s.date_min = Timestamp::from_second(min).ok();
            s.date_max = Timestamp::from_second(max).ok();
        }
        Ok(s)
    }
}

/// Total size of the files under `dir` (0 for what cannot be read).
pub fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use crate::article::Article;
    use crate::index::Archive;

    fn art(id: &str, source: Option<&str>, date: Option<&str>) -> Article {
        Article {
            id: id.into(),
            source: source.map(Into::into),
            date: date.map(|d| d.parse().unwrap()),
            body: format!("bài {id}"),
            ..Default::default()
        }
    }

    #[test]
    fn empty_index() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let s = a.stats().unwrap();
        assert_eq!(s.articles, 0);
        assert_eq!(s.date_min, None);
        assert!(s.sources.is_empty());
        assert!(s.bytes > 0);
        let j = serde_json::to_value(&s).unwrap();
        let keys: Vec<_> = j.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["articles", "bytes", "date_max", "date_min", "sources"]
        );
        assert!(j["date_min"].is_null());
    }

    #[test]
    fn counts_live_articles_only() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        w.upsert(&art("1", Some("a.vn"), Some("2010-05-01T00:00:00Z")))
            .unwrap();
        w.upsert(&art("2", Some("a.vn"), Some("2020-05-01T00:00:00Z")))
            .unwrap();
        w.upsert(&art("3", Some("b.vn"), None)).unwrap();
        w.upsert(&art("4", None, Some("2015-01-01T00:00:00Z")))
            .unwrap();
        w.commit().unwrap();
        w.delete("2").unwrap();
        w.commit().unwrap();
        let s = a.stats().unwrap();
        assert_eq!(s.articles, 3);
        assert_eq!(s.dated, 2);
        assert_eq!(s.date_min, Some("2010-05-01T00:00:00Z".parse().unwrap()));
        assert_eq!(s.date_max, Some("2015-01-01T00:00:00Z".parse().unwrap()));
        assert_eq!(s.sources.get("a.vn"), Some(&1));
        assert_eq!(s.sources.get("b.vn"), Some(&1));
        assert_eq!(s.sources.len(), 2);
        let j = serde_json::to_string(&s).unwrap();
        assert!(
            j.contains("\"date_min\":\"2010-05-01T07:00:00+07:00\""),
            "{j}"
        );
    }
}

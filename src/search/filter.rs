//! A filter (the date range) materialized per segment, so it can lead intersections.
//!
//! tantivy answers a range on a fast field by scanning the column, and reports a cost
//! close to the segment size: an intersection with a few-word query then walks the
//! words and seeks the scan, even when the range holds a handful of articles. Here the
//! range is read once per segment into a sorted list of documents whose cost is its
//! true length, so a narrow range (`--on 2013-06-16`) drives the search. Scores are 0.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;

use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, TantivyError,
};

/// Matches what `inner` matches, with score 0, from a per-segment list.
pub struct MaterializedFilter {
    inner: Box<dyn Query>,
}

impl MaterializedFilter {
    pub fn new(inner: Box<dyn Query>) -> MaterializedFilter {
        MaterializedFilter { inner }
    }
}

impl Clone for MaterializedFilter {
    fn clone(&self) -> Self {
        MaterializedFilter {
            inner: self.inner.box_clone(),
        }
    }
}

impl std::fmt::Debug for MaterializedFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("MaterializedFilter")
            .field(&self.inner)
            .finish()
    }
}

impl Query for MaterializedFilter {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let schema = enable_scoring.schema();
        let inner = self
            .inner
            .weight(EnableScoring::disabled_from_schema(schema))?;
        Ok(Box::new(FilterWeight { inner }))
    }
}

struct FilterWeight {
    inner: Box<dyn Weight>,
}

impl Weight for FilterWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut s = self.inner.scorer(reader, 1.0)?;
        let mut docs = Vec::new();
        let mut d = s.doc();
        while d != TERMINATED {
            docs.push(d);
            d = s.advance();
        }
        Ok(Box::new(ConstScorer::new(DocList::new(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) == doc {
            Ok(Explanation::new("filter", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )))
        }
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

/// Exactly the given documents, with score 0: restricts a second, costlier scoring
/// pass to the candidates of a first one.
#[derive(Clone, Debug)]
pub struct DocsFilter {
    by_segment: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl DocsFilter {
    /// The documents `docs` of `searcher`'s segments.
    pub fn new(searcher: &Searcher, docs: &[DocAddress]) -> DocsFilter {
        let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for d in docs {
            let id = searcher.segment_reader(d.segment_ord).segment_id();
            by_segment.entry(id).or_default().push(d.doc_id);
        }
        for v in by_segment.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        DocsFilter {
            by_segment: Arc::new(by_segment),
        }
    }
}

impl Query for DocsFilter {
    fn weight(&self, _enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocsFilter {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self
            .by_segment
            .get(&reader.segment_id())
            .cloned()
            .unwrap_or_default();
        Ok(Box::new(ConstScorer::new(DocList::new(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) == doc {
            Ok(Explanation::new("candidate", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )))
        }
    }
}

/// A sorted list of documents as a [`DocSet`] (seeks by binary search).
struct DocList {
    docs: Vec<DocId>,
    at: usize,
}

impl DocList {
    fn new(docs: Vec<DocId>) -> DocList {
        DocList { docs, at: 0 }
    }
}

impl DocSet for DocList {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|&d| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::RangeQuery;
    use tantivy::schema::{FAST, INDEXED, Schema};
    use tantivy::{Index, Term, doc};

    #[test]
    fn same_documents_as_the_range() {
        let mut b = Schema::builder();
        let n = b.add_u64_field("n", INDEXED | FAST);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..1000u64 {
            w.add_document(doc!(n => i)).unwrap();
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let range = || {
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(n, 100)),
                std::ops::Bound::Excluded(Term::from_field_u64(n, 150)),
            ))
        };
        let f = MaterializedFilter::new(range());
        assert_eq!(s.search(&f, &Count).unwrap(), 50);
        let top = s
            .search(&f, &TopDocs::with_limit(100).order_by_score())
            .unwrap();
        assert_eq!(top.len(), 50);
        assert!(top.iter().all(|(score, _)| *score == 0.0));
    }

    #[test]
    fn docs_filter_keeps_exactly_the_candidates() {
        let mut b = Schema::builder();
        let n = b.add_u64_field("n", INDEXED | FAST);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..100u64 {
            w.add_document(doc!(n => i)).unwrap();
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let picked: Vec<DocAddress> = [7u32, 3, 50, 3]
            .iter()
            .map(|&d| DocAddress::new(0, d))
            .collect();
        let f = DocsFilter::new(&s, &picked);
        let mut got: Vec<u32> = s
            .search(&f, &TopDocs::with_limit(10).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, a)| a.doc_id)
            .collect();
        got.sort();
        assert_eq!(got, [3, 7, 50]);
        assert_eq!(s.search(&DocsFilter::new(&s, &[]), &Count).unwrap(), 0);
    }

    #[test]
    fn doc_list_walks_and_seeks() {
        let mut d = DocList::new(vec![2, 5, 9, 40]);
        assert_eq!(d.doc(), 2);
        assert_eq!(d.seek(3), 5);
        assert_eq!(d.seek(5), 5);
        assert_eq!(d.advance(), 9);
        assert_eq!(d.seek(41), TERMINATED);
        assert_eq!(d.advance(), TERMINATED);
        assert_eq!(DocList::new(Vec::new()).doc(), TERMINATED);
    }
}

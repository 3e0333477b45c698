//! A union that seeks its parts lazily: one word searched in several fields.
//!
//! tantivy's union of optional clauses (`BufferedUnionScorer`) fills a window of 4,096
//! documents from every part whenever it is sought past its window. Inside an
//! intersection led by a rare word, each seek then reads thousands of postings of
//! the common words. [`FieldUnionQuery`] keeps each part on its own document and
//! seeks only the parts behind the target (skip lists), which suits the few parts
//! (one per field) of a word. Scores are summed.
//!
//! With a minimum ([`FieldUnionQuery::at_least`]) it matches the documents where at
//! least that many parts match: the relaxed form of a query when no article has every
//! word, cheap also under a sparse filter (a date range) that drives it by seeks.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError};

/// Matches when any part matches (or at least `min` parts); the score is the sum of
/// the matching parts' scores.
pub struct FieldUnionQuery {
    parts: Vec<Box<dyn Query>>,
    min: usize,
}

impl FieldUnionQuery {
    /// Any part.
    pub fn new(parts: Vec<Box<dyn Query>>) -> FieldUnionQuery {
        FieldUnionQuery { parts, min: 1 }
    }

    /// At least `min` parts (at least one).
    pub fn at_least(parts: Vec<Box<dyn Query>>, min: usize) -> FieldUnionQuery {
        FieldUnionQuery {
            parts,
            min: min.max(1),
        }
    }
}

impl Clone for FieldUnionQuery {
    fn clone(&self) -> Self {
        FieldUnionQuery {
            parts: self.parts.iter().map(|q| q.box_clone()).collect(),
            min: self.min,
        }
    }
}

impl fmt::Debug for FieldUnionQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.parts.iter()).finish()
    }
}

impl Query for FieldUnionQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(UnionWeight {
            parts,
            min: self.min,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for q in &self.parts {
            q.query_terms(visitor);
        }
    }
}

struct UnionWeight {
    parts: Vec<Box<dyn Weight>>,
    min: usize,
}

impl Weight for UnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for w in &self.parts {
            let s = w.scorer(reader, boost)?;
            if s.doc() != TERMINATED {
                parts.push(s);
            }
        }
        Ok(Box::new(UnionScorer::new(parts, self.min)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        let mut e = Explanation::new("sum of the fields' scores", s.score());
        for w in &self.parts {
            if let Ok(x) = w.explain(reader, doc) {
                e.add_detail(x);
            }
        }
        Ok(e)
    }
}

/// With `min > 1`, the `parts.len() - min + 1` cheapest parts come first (`lead`):
/// a document with at least `min` matching parts matches one of them (it misses at
/// most `len - min` parts), so only they are walked; the others are sought.
struct UnionScorer {
    parts: Vec<Box<dyn Scorer>>,
    doc: DocId,
    min: usize,
    lead: usize,
}

impl UnionScorer {
    fn new(mut parts: Vec<Box<dyn Scorer>>, min: usize) -> UnionScorer {
        let lead = if min > 1 && min <= parts.len() {
            parts.sort_by_key(|p| p.cost());
            parts.len() - min + 1
        } else {
            parts.len()
        };
        let mut u = UnionScorer {
            parts,
            doc: 0,
            min,
            lead,
        };
        if u.min > u.parts.len() {
            u.doc = TERMINATED;
        } else {
            let first = u.lead_doc();
            u.doc = u.settle(first);
        }
        u
    }

    /// Smallest document among the lead parts.
    fn lead_doc(&self) -> DocId {
        self.parts[..self.lead]
            .iter()
            .map(|p| p.doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// From `doc` (the smallest lead document), the first document where at least
    /// `min` parts match; the other parts are sought there.
    fn settle(&mut self, mut doc: DocId) -> DocId {
        if self.min <= 1 {
            return doc;
        }
        while doc != TERMINATED {
            let mut n = 0;
            for p in self.parts.iter_mut() {
                let d = if p.doc() < doc { p.seek(doc) } else { p.doc() };
                n += usize::from(d == doc);
            }
            if n >= self.min {
                return doc;
            }
            for p in self.parts[..self.lead].iter_mut() {
                if p.doc() == doc {
                    p.advance();
                }
            }
            doc = self.lead_doc();
        }
        TERMINATED
    }
}

impl DocSet for UnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        for p in self.parts[..self.lead].iter_mut() {
            if p.doc() == doc {
                p.advance();
            }
        }
        let next = self.lead_doc();
        self.doc = self.settle(next);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for p in self.parts[..self.lead].iter_mut() {
            if p.doc() < target {
                p.seek(target);
            }
        }
        let next = self.lead_doc();
        self.doc = self.settle(next);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts[..self.lead]
            .iter()
            .map(|p| p.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.parts[..self.lead].iter().map(|p| p.cost()).sum()
    }
}

impl Scorer for UnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.parts
            .iter_mut()
            .filter(|p| p.doc() == doc)
            .map(|p| p.score())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, Term, doc};

    #[test]
    fn same_matches_and_scores_as_a_boolean_union() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let g = b.add_text_field("g", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..300u32 {
            let a = match (i % 3, i % 2) {
                (0, _) => "x y",
                (_, 0) => "y",
                _ => "w",
            };
            let c = if i % 5 == 0 { "x x" } else { "z" };
            w.add_document(doc!(f => a, g => c)).unwrap();
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let tq = |fld, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(fld, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let ours = FieldUnionQuery::new(vec![tq(f, "x"), tq(g, "x")]);
        let theirs = BooleanQuery::new(vec![
            (Occur::Should, tq(f, "x")),
            (Occur::Should, tq(g, "x")),
        ]);
        assert_eq!(s.search(&ours, &Count).unwrap(), 140);
        assert_eq!(s.search(&theirs, &Count).unwrap(), 140);
        let a = s
            .search(&ours, &TopDocs::with_limit(300).order_by_score())
            .unwrap();
        let b = s
            .search(&theirs, &TopDocs::with_limit(300).order_by_score())
            .unwrap();
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert!((x.0 - y.0).abs() < 1e-4);
        }
        // Inside an intersection (seeks).
        let and = |u: Box<dyn Query>| {
            BooleanQuery::new(vec![(Occur::Must, u), (Occur::Must, tq(f, "y"))])
        };
        let expected = (0..300u32)
            .filter(|i| i % 3 == 0 || (i % 5 == 0 && i % 2 == 0))
            .count();
        assert_eq!(s.search(&and(Box::new(ours)), &Count).unwrap(), expected);
        assert_eq!(s.search(&and(Box::new(theirs)), &Count).unwrap(), expected);
        let empty = FieldUnionQuery::new(vec![tq(f, "nope")]);
        assert_eq!(s.search(&empty, &Count).unwrap(), 0);
        // At least two of three parts.
        let two = || FieldUnionQuery::at_least(vec![tq(f, "x"), tq(g, "x"), tq(f, "y")], 2);
        let expected2 = (0..300u32)
            .filter(|i| {
                let n = [i % 3 == 0, i % 5 == 0, i % 3 == 0 || i % 2 == 0]
                    .iter()
                    .filter(|b| **b)
                    .count();
                n >= 2
            })
            .count();
        assert_eq!(s.search(&two(), &Count).unwrap(), expected2);
        let and_two = BooleanQuery::new(vec![
            (Occur::Must, Box::new(two()) as Box<dyn Query>),
            (Occur::Must, tq(g, "z")),
        ]);
        let expected_and = (0..300u32)
            // g:z means no g:x; then f:x and f:y are both needed, and f:x implies f:y.
            .filter(|i| i % 5 != 0 && i % 3 == 0)
            .count();
        assert_eq!(s.search(&and_two, &Count).unwrap(), expected_and);
    }
}

//! A phrase query whose words come from different fields that share positions.
//!
//! Every text field is indexed twice with the same positions (`<name>_x` exact,
//! `<name>_f` folded). A phrase typed partly with accents (`"xay dựng"`) must match
//! `dựng` exactly and `xay` in any accented form, at consecutive positions. tantivy's
//! `PhraseQuery` needs all its terms in one field, so this query intersects the
//! postings of terms from several fields and checks their positions itself.
//! Scoring is BM25 over the phrase frequency, with statistics from the folded terms.

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// Terms at relative positions, each in its own field; all fields share positions.
#[derive(Clone)]
pub struct MixedPhraseQuery {
    /// `(offset, term)`, sorted by offset.
    terms: Vec<(u32, Term)>,
    /// Terms for the BM25 statistics: the same words, all in one field (the folded one).
    stats_terms: Vec<Term>,
}

impl fmt::Debug for MixedPhraseQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MixedPhraseQuery")
            .field("terms", &self.terms)
            .finish()
    }
}

impl MixedPhraseQuery {
    /// A phrase of `terms` (offset from the first word, term); `stats_terms` are the
    /// same words in one field, used for scoring and field lengths (at least one).
    pub fn new(mut terms: Vec<(u32, Term)>, stats_terms: Vec<Term>) -> MixedPhraseQuery {
        terms.sort_by_key(|t| t.0);
        MixedPhraseQuery { terms, stats_terms }
    }
}

impl MixedPhraseQuery {
    /// The weight, as its concrete type (for [`super::rescore`]).
    pub fn phrase_weight(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<MixedPhraseWeight> {
        let bm25 = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } if !self.stats_terms.is_empty() => Some(Bm25Weight::for_terms(
                statistics_provider,
                &self.stats_terms,
            )?),
            _ => None,
        };
        Ok(MixedPhraseWeight {
            terms: self.terms.clone(),
            norm_field: self.stats_terms.first().map(|t| t.field()),
            bm25,
        })
    }
}

impl Query for MixedPhraseQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.phrase_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (_, t) in &self.terms {
            visitor(t, true);
        }
    }
}

/// Weight of a [`MixedPhraseQuery`].
pub struct MixedPhraseWeight {
    terms: Vec<(u32, Term)>,
    norm_field: Option<Field>,
    bm25: Option<Bm25Weight>,
}

impl MixedPhraseWeight {
    /// A probe scoring the phrase in given documents of a segment (`None` when a
    /// term is absent from the segment).
    pub fn probe(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<PhraseProbe>> {
        Ok(self.phrase_scorer(reader, boost, false)?.map(PhraseProbe))
    }

    /// What `ProbeSource::open` needs to open probes of this phrase in a segment
    /// again and again without looking its terms up each time (`None` when a term is
    /// absent from the segment).
    pub fn probe_source(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<ProbeSource>> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for (offset, term) in &self.terms {
            let inverted = reader.inverted_index(term.field())?;
            match inverted.get_term_info(term)? {
                Some(info) => terms.push((*offset, term.clone(), inverted, info)),
                None => return Ok(None),
            }
        }
        if terms.is_empty() {
            return Ok(None);
        }
        let fieldnorms = match (self.norm_field, &self.bm25) {
            (Some(f), Some(_)) => reader.fieldnorms_readers().get_field(f)?,
            _ => None,
        }
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1));
        Ok(Some(ProbeSource {
            terms,
            fieldnorms,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }

    /// The largest score a probe opened with `boost` can give one document.
    pub fn max_score(&self, boost: Score) -> Score {
        match &self.bm25 {
            Some(w) => w.boost_by(boost).max_score(),
            None => 1.0,
        }
    }

    /// The scorer; `settle` positions it on its first match (a probe does not).
    fn phrase_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
        settle: bool,
    ) -> tantivy::Result<Option<MixedPhraseScorer>> {
        let Some(source) = self.probe_source(reader, boost)? else {
            return Ok(None);
        };
        let mut s = source.scorer()?;
        if settle {
            let first = s.postings[0].1.doc();
            s.settle(first);
        }
        Ok(Some(s))
    }
}

/// A phrase's terms looked up in one segment: opens [`PhraseProbe`]s on them.
pub struct ProbeSource {
    terms: Vec<(
        u32,
        Term,
        std::sync::Arc<tantivy::InvertedIndexReader>,
        tantivy::postings::TermInfo,
    )>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl ProbeSource {
    fn scorer(&self) -> tantivy::Result<MixedPhraseScorer> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for (offset, _, inverted, info) in &self.terms {
            let p = inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)?;
            postings.push((*offset, p));
        }
        Ok(MixedPhraseScorer {
            postings,
            fieldnorms: self.fieldnorms.clone(),
            bm25: self.bm25.clone(),
            doc: 0,
            count: 0,
            left: Vec::new(),
            right: Vec::new(),
        })
    }
}

impl Weight for MixedPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.phrase_scorer(reader, boost, true)? {
            Some(s) => Box::new(s),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let Some(mut s) = self.phrase_scorer(reader, 1.0, true)?
            && s.seek(doc) == doc
        {
            return Ok(Explanation::new_with_string(
                format!("mixed-field phrase, {} occurrences", s.count),
                s.score(),
            ));
        }
        Err(TantivyError::InvalidArgument(format!(
            "document #{doc} does not match"
        )))
    }
}

struct MixedPhraseScorer {
    postings: Vec<(u32, SegmentPostings)>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
    doc: DocId,
    /// Occurrences of the phrase in the current document.
    count: u32,
    left: Vec<u32>,
    right: Vec<u32>,
}

impl MixedPhraseScorer {
    /// Moves to the first document at or after `target` that has every term at
    /// consecutive positions (or to TERMINATED).
    fn settle(&mut self, mut target: DocId) -> DocId {
        'outer: loop {
            if target == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            for (_, p) in self.postings.iter_mut() {
                let d = if p.doc() < target {
                    p.seek(target)
                } else {
                    p.doc()
                };
                if d > target {
                    target = d;
                    continue 'outer;
                }
            }
            // Every posting list is on `target`.
            self.count = self.phrase_count();
            if self.count > 0 {
                self.doc = target;
                return target;
            }
            target = self.postings[0].1.advance();
        }
    }

    /// Number of start positions where every term sits at its offset.
    fn phrase_count(&mut self) -> u32 {
        let (first, rest) = self.postings.split_at_mut(1);
        let (o0, p0) = &mut first[0];
        p0.positions(&mut self.left);
        // Start positions of the phrase according to the first term.
        self.left.retain(|&p| p >= *o0);
        for v in self.left.iter_mut() {
            *v -= *o0;
        }
        for (o, p) in rest.iter_mut() {
            if self.left.is_empty() {
                break;
            }
            p.positions(&mut self.right);
            let o = *o;
            let mut j = 0;
            let right = &self.right;
            self.left.retain(|&start| {
                let want = start + o;
                while j < right.len() && right[j] < want {
                    j += 1;
                }
                j < right.len() && right[j] == want
            });
        }
        self.left.len() as u32
    }
}

/// Scores a phrase in documents visited in increasing order, without enumerating
/// the phrase's own matches: each call seeks the terms' postings to one document.
pub struct PhraseProbe(MixedPhraseScorer);

impl PhraseProbe {
    /// The phrase's BM25 score in `doc` (0 when the phrase is not there). Calls must
    /// come with non-decreasing `doc`.
    pub fn score_at(&mut self, doc: DocId) -> Score {
        let s = &mut self.0;
        for (_, p) in s.postings.iter_mut() {
            let d = if p.doc() < doc { p.seek(doc) } else { p.doc() };
            if d != doc {
                return 0.0;
            }
        }
        s.doc = doc;
        s.count = s.phrase_count();
        if s.count == 0 { 0.0 } else { s.score() }
    }
}

/// Several phrases probed together in one segment, in documents visited in
/// increasing order: each distinct term's postings are sought, and its positions
/// read, once per document, however many of the phrases hold it (the boosts of a
/// query share their words: pairs, words, title and body). Phrase `i` scores as a
/// [`PhraseProbe`] of source `i` would.
pub struct SharedProbes {
    terms: Vec<SharedTerm>,
    phrases: Vec<SharedPhrase>,
    left: Vec<u32>,
}

struct SharedTerm {
    postings: SegmentPostings,
    /// The document whose positions `positions` holds.
    positions_of: DocId,
    positions: Vec<u32>,
}

struct SharedPhrase {
    /// `(offset, index in terms)`, sorted by offset.
    terms: Vec<(u32, usize)>,
    fieldnorms: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl SharedProbes {
    /// Probes of `sources`, at the start of their segment.
    pub fn open<'a>(
        sources: impl IntoIterator<Item = &'a ProbeSource>,
    ) -> tantivy::Result<SharedProbes> {
        let mut index: std::collections::HashMap<&Term, usize> = Default::default();
        let mut terms = Vec::new();
        let mut phrases = Vec::new();
        for s in sources {
            let mut pt = Vec::with_capacity(s.terms.len());
            for (offset, term, inverted, info) in &s.terms {
                let i = match index.get(term) {
                    Some(&i) => i,
                    None => {
                        let postings = inverted.read_postings_from_terminfo(
                            info,
                            IndexRecordOption::WithFreqsAndPositions,
                        )?;
                        terms.push(SharedTerm {
                            postings,
                            positions_of: TERMINATED,
                            positions: Vec::new(),
                        });
                        index.insert(term, terms.len() - 1);
                        terms.len() - 1
                    }
                };
                pt.push((*offset, i));
            }
            phrases.push(SharedPhrase {
                terms: pt,
                fieldnorms: s.fieldnorms.clone(),
                bm25: s.bm25.clone(),
            });
        }
        Ok(SharedProbes {
            terms,
            phrases,
            left: Vec::new(),
        })
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// True without phrases.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Phrase `i`'s BM25 score in `doc` (0 when the phrase is not there). Calls must
    /// come with non-decreasing `doc`.
    pub fn score_at(&mut self, i: usize, doc: DocId) -> Score {
        let phrase = &self.phrases[i];
        for &(_, t) in &phrase.terms {
            let p = &mut self.terms[t].postings;
            let d = if p.doc() < doc { p.seek(doc) } else { p.doc() };
            if d != doc {
                return 0.0;
            }
        }
        for &(_, t) in &phrase.terms {
            let st = &mut self.terms[t];
            if st.positions_of != doc {
                st.postings.positions(&mut st.positions);
                st.positions_of = doc;
            }
        }
        // As `MixedPhraseScorer::phrase_count`.
        let (o0, t0) = phrase.terms[0];
        self.left.clear();
        self.left.extend(
            self.terms[t0]
                .positions
                .iter()
                .filter(|&&p| p >= o0)
                .map(|p| p - o0),
        );
        for &(o, t) in &phrase.terms[1..] {
            if self.left.is_empty() {
                break;
            }
            let right = &self.terms[t].positions;
            let mut j = 0;
            self.left.retain(|&start| {
                let want = start + o;
                while j < right.len() && right[j] < want {
                    j += 1;
                }
                j < right.len() && right[j] == want
            });
        }
        let count = self.left.len() as u32;
        if count == 0 {
            return 0.0;
        }
        match &phrase.bm25 {
            Some(w) => w.score(phrase.fieldnorms.fieldnorm_id(doc), count),
            None => 1.0,
        }
    }
}

impl DocSet for MixedPhraseScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let next = self.postings[0].1.advance();
        self.settle(next)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.settle(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|(_, p)| p.size_hint())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for MixedPhraseScorer {
    fn score(&mut self) -> Score {
        match &self.bm25 {
            Some(w) => w.score(self.fieldnorms.fieldnorm_id(self.doc), self.count),
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, doc};

    fn index() -> (Index, Field, Field) {
        let mut b = Schema::builder();
        let a = b.add_text_field("a", TEXT);
        let c = b.add_text_field("c", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Field `a` and `c` hold different words at the same positions.
        w.add_document(doc!(a => "x1 y1 z1", c => "x2 y2 z2"))
            .unwrap();
        w.add_document(doc!(a => "x1 q y1", c => "x2 q y2"))
            .unwrap();
        w.add_document(doc!(a => "y1 x1", c => "y2 x2")).unwrap();
        w.add_document(doc!(a => "q q x1 y1 x1 y1", c => "q q x2 y2 x2 y2"))
            .unwrap();
        w.commit().unwrap();
        (index, a, c)
    }

    fn t(f: Field, s: &str) -> Term {
        Term::from_field_text(f, s)
    }

    #[test]
    fn matches_consecutive_positions_across_fields() {
        let (index, a, c) = index();
        let s = index.reader().unwrap().searcher();
        let q = MixedPhraseQuery::new(
            vec![(0, t(a, "x1")), (1, t(c, "y2"))],
            vec![t(a, "x1"), t(a, "y1")],
        );
        assert_eq!(s.search(&q, &Count).unwrap(), 2);
        let top = s
            .search(&q, &TopDocs::with_limit(10).order_by_score())
            .unwrap();
        let docs: Vec<u32> = top.iter().map(|(_, d)| d.doc_id).collect();
        assert!(docs.contains(&0) && docs.contains(&3), "{docs:?}");
        // Three words, one missing in between: no match.
        let q3 = MixedPhraseQuery::new(
            vec![(0, t(a, "x1")), (1, t(c, "y2")), (2, t(a, "z1"))],
            vec![t(a, "x1")],
        );
        assert_eq!(s.search(&q3, &Count).unwrap(), 1);
        // A term that does not exist: nothing.
        let none = MixedPhraseQuery::new(vec![(0, t(a, "x1")), (1, t(c, "nope"))], vec![]);
        assert_eq!(s.search(&none, &Count).unwrap(), 0);
        // Gaps in offsets are honoured.
        let gap = MixedPhraseQuery::new(vec![(0, t(a, "x1")), (2, t(c, "y2"))], vec![]);
        assert_eq!(s.search(&gap, &Count).unwrap(), 1);
    }
}

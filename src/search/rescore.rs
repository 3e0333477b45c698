//! Proximity boosts that cost only what the main query matches.
//!
//! A boost phrase as an optional clause of a tantivy `BooleanQuery` is evaluated as a
//! union: every phrase scorer enumerates all its own matches (for common syllable
//! pairs, most of the index), with position checks. [`BoostedQuery`] instead walks
//! the main query's matches and, for each, probes every boost phrase in that
//! document only ([`PhraseProbe::score_at`]): seeks on the postings, positions read
//! only when all the words are in the document. Matching is the main query's alone.
//!
//! Each boost also says which query tokens it covers: a document where more of the
//! query's tokens sit next to a neighbour from the query (in any field) gets a
//! *coverage* bonus, `cover_weight × covered / tokens`. For `rằng cơ năng vẫn` this
//! prefers the article with both `rằng cơ` and `năng vẫn` over one with the longer
//! `rằng cơ năng` but a lone `vẫn`.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader};

use super::mixed_phrase::{MixedPhraseQuery, MixedPhraseWeight, PhraseProbe};

/// Most query tokens tracked for coverage.
pub const MAX_COVER: u32 = 128;

/// A phrase adding `weight × BM25(phrase)` where it occurs, covering query tokens
/// `covers` (indices in the query's runs of plain words).
#[derive(Debug, Clone)]
pub struct Boost {
    pub weight: Score,
    pub phrase: MixedPhraseQuery,
    pub covers: std::ops::Range<u32>,
}

/// The main query, plus weighted phrases that add to the score of its matches.
pub struct BoostedQuery {
    main: Box<dyn Query>,
    boosts: Vec<Boost>,
    cover_weight: Score,
    cover_tokens: u32,
}

impl Clone for BoostedQuery {
    fn clone(&self) -> Self {
        BoostedQuery {
            main: self.main.box_clone(),
            boosts: self.boosts.clone(),
            cover_weight: self.cover_weight,
            cover_tokens: self.cover_tokens,
        }
    }
}

impl fmt::Debug for BoostedQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoostedQuery")
            .field("main", &self.main)
            .field("boosts", &self.boosts.len())
            .finish()
    }
}

impl BoostedQuery {
    /// `main` with `boosts`; `cover_tokens` query tokens can be covered, each full
    /// coverage worth `cover_weight`.
    pub fn new(
        main: Box<dyn Query>,
        boosts: Vec<Boost>,
        cover_weight: Score,
        cover_tokens: u32,
    ) -> BoostedQuery {
        BoostedQuery {
            main,
            boosts,
            cover_weight,
            cover_tokens: cover_tokens.min(MAX_COVER),
        }
    }
}

/// Bit mask of the covered tokens `r` (those below [`MAX_COVER`]).
fn mask(r: &std::ops::Range<u32>) -> u128 {
    let (a, b) = (r.start.min(MAX_COVER), r.end.min(MAX_COVER));
    let upto = |n: u32| {
        if n >= 128 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        }
    };
    upto(b) & !upto(a)
}

impl Query for BoostedQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let main = self.main.weight(enable_scoring)?;
        let boosts = if enable_scoring.is_scoring_enabled() {
            self.boosts
                .iter()
                .map(|b| {
                    Ok((
                        b.weight,
                        b.phrase.phrase_weight(enable_scoring)?,
                        mask(&b.covers),
                    ))
                })
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let per_token = if self.cover_tokens > 0 {
            self.cover_weight / self.cover_tokens as Score
        } else {
            0.0
        };
        Ok(Box::new(BoostedWeight {
            main,
            boosts,
            per_token,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.main.query_terms(visitor);
    }
}

struct BoostedWeight {
    main: Box<dyn Weight>,
    boosts: Vec<(Score, MixedPhraseWeight, u128)>,
    per_token: Score,
}

impl Weight for BoostedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let main = self.main.scorer(reader, boost)?;
        // No match in this segment: no postings to open for the boosts.
        if self.boosts.is_empty() || main.doc() == tantivy::TERMINATED {
            return Ok(main);
        }
        let mut probes = Vec::with_capacity(self.boosts.len());
        for (w, b, m) in &self.boosts {
            if let Some(p) = b.probe(reader, boost * w)? {
                probes.push((p, *m));
            }
        }
        Ok(Box::new(BoostedScorer {
            main,
            probes,
            per_token: self.per_token * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut e = self.main.explain(reader, doc)?;
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) == doc {
            e = Explanation::new_with_string("main query plus proximity boosts".into(), s.score())
                .tap_detail(e);
        }
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.main.count(reader)
    }
}

trait TapDetail {
    fn tap_detail(self, child: Explanation) -> Explanation;
}

impl TapDetail for Explanation {
    fn tap_detail(mut self, child: Explanation) -> Explanation {
        self.add_detail(child);
        self
    }
}

struct BoostedScorer {
    main: Box<dyn Scorer>,
    probes: Vec<(PhraseProbe, u128)>,
    per_token: Score,
}

impl DocSet for BoostedScorer {
    fn advance(&mut self) -> DocId {
        self.main.advance()
    }
    fn seek(&mut self, target: DocId) -> DocId {
        self.main.seek(target)
    }
    fn doc(&self) -> DocId {
        self.main.doc()
    }
    fn size_hint(&self) -> u32 {
        self.main.size_hint()
    }
}

impl Scorer for BoostedScorer {
    fn score(&mut self) -> Score {
        let doc = self.main.doc();
        let mut s = self.main.score();
        let mut covered = 0u128;
        for (p, m) in self.probes.iter_mut() {
            let x = p.score_at(doc);
            if x > 0.0 {
                s += x;
                covered |= *m;
            }
        }
        s + self.per_token * covered.count_ones() as Score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, Term, doc};

    #[test]
    fn boosts_reorder_without_changing_matches() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(f => "dựng xây nhà xây")).unwrap();
        w.add_document(doc!(f => "xây dựng")).unwrap();
        w.add_document(doc!(f => "dựng cờ")).unwrap();
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let t = |x: &str| Term::from_field_text(f, x);
        let main = Box::new(TermQuery::new(t("xây"), IndexRecordOption::WithFreqs));
        let phrase = MixedPhraseQuery::new(
            vec![(0, t("xây")), (1, t("dựng"))],
            vec![t("xây"), t("dựng")],
        );
        let plain = s
            .search(main.as_ref(), &TopDocs::with_limit(3).order_by_score())
            .unwrap();
        let q = BoostedQuery::new(
            main,
            vec![Boost {
                weight: 10.0,
                phrase,
                covers: 0..2,
            }],
            0.0,
            2,
        );
        assert_eq!(s.search(&q, &Count).unwrap(), 2);
        let top = s
            .search(&q, &TopDocs::with_limit(3).order_by_score())
            .unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].1.doc_id, 1, "{top:?}");
        // Without the boost the document with two `xây` ranks first.
        assert_eq!(plain[0].1.doc_id, 0, "{plain:?}");
    }

    #[test]
    fn coverage_masks() {
        assert_eq!(mask(&(0..2)), 0b11);
        assert_eq!(mask(&(2..4)), 0b1100);
        assert_eq!(mask(&(127..200)).count_ones(), 1);
        assert_eq!(mask(&(200..300)), 0);
    }
}

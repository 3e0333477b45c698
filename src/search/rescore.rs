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

use std::collections::HashMap;
use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader};

use super::mixed_phrase::{
    MixedPhraseQuery, MixedPhraseWeight, PhraseProbe, ProbeSource, SharedProbes,
};

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

/// A boost's weight, its phrase's weight and the mask of the tokens it covers.
type WeightedPhrase = (Score, MixedPhraseWeight, u128);

impl BoostedQuery {
    /// The boosts' weights (none without scoring) and the coverage bonus per token.
    fn boost_weights(
        &self,
        enable_scoring: EnableScoring<'_>,
    ) -> tantivy::Result<(Vec<WeightedPhrase>, Score)> {
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
        Ok((boosts, per_token))
    }

    /// A [`Rescorer`] of this query's boosts (for candidates whose main score is known).
    pub fn rescorer(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Rescorer> {
        let (boosts, per_token) = self.boost_weights(enable_scoring)?;
        Ok(Rescorer { boosts, per_token })
    }
}

impl Query for BoostedQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let main = self.main.weight(enable_scoring)?;
        let (boosts, per_token) = self.boost_weights(enable_scoring)?;
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
        let main = self.main.score();
        let found = self.probes.iter_mut().map(|(p, m)| (p.score_at(doc), *m));
        with_boosts(main, found, self.per_token)
    }
}

/// The boosts of a [`BoostedQuery`] added to candidates whose main (BM25) score is
/// known already, without running the main query again: each candidate's score is
/// exactly what [`BoostedQuery`] gives it (same additions in the same order).
///
/// Candidates come best BM25 first and are rescored in growing chunks. A boost adds
/// at most its phrase's largest BM25 score, and the coverage bonus at most
/// `per_token` per coverable token, so once the next candidate's BM25 score plus
/// that bound is below the `want`-th rescored score, no later candidate can reach
/// the first `want` places and the rest are left out: the first `want` are those
/// of rescoring every candidate.
pub struct Rescorer {
    boosts: Vec<WeightedPhrase>,
    per_token: Score,
}

/// First chunk of candidates rescored: at least this many (or twice the page).
const FIRST_CHUNK: usize = 64;

impl Rescorer {
    /// The most the boosts can add to one document's score, with a margin for
    /// rounding (an overestimate only rescores more).
    pub fn bound(&self) -> Score {
        let mut covered = 0u128;
        let mut sum: Score = 0.0;
        for (w, b, m) in &self.boosts {
            sum += b.max_score(*w).max(0.0);
            covered |= *m;
        }
        let cover = self.per_token.max(0.0) * covered.count_ones() as Score;
        (sum + cover) * 1.001 + 1e-3
    }

    /// Rescores `candidates` (`(BM25 score, address)`, best first) for a page
    /// ending at `want`: the rescored candidates, best first (ties by address, as
    /// tantivy's `TopDocs`), holding at least the `want` best of all of them.
    ///
    /// Boosts only add, so the `want`-th rescored score is at least the `want`-th
    /// BM25 score: a candidate below that minus [`Rescorer::bound`] is never
    /// rescored. The best `FIRST_CHUNK` (or twice `want`) are rescored first; of
    /// the others, only those whose BM25 score plus the bound reaches the
    /// `want`-th rescored score so far.
    pub fn rescore(
        &self,
        searcher: &Searcher,
        candidates: &[(Score, DocAddress)],
        want: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let bound = self.bound();
        let mut sources = HashMap::new();
        let reach = |from: usize, floor: Score| {
            from + candidates[from..].partition_point(|c| c.0 + bound >= floor)
        };
        let n = match want {
            0 => candidates.len(),
            w if w >= candidates.len() => candidates.len(),
            w => reach(0, candidates[w - 1].0),
        };
        let first = n.min(FIRST_CHUNK.max(want.saturating_mul(2)));
        let mut done = self.score_all(searcher, &candidates[..first], &mut sources)?;
        let upto = match done.get(want.wrapping_sub(1)) {
            Some(kth) if want > 0 => reach(first, kth.0).min(n),
            _ => n,
        };
        if upto > first {
            let more = self.score_all(searcher, &candidates[first..upto], &mut sources)?;
            done.extend(more);
            sort(&mut done);
        }
        Ok(done)
    }

    /// `candidates` rescored, best first.
    fn score_all(
        &self,
        searcher: &Searcher,
        candidates: &[(Score, DocAddress)],
        sources: &mut HashMap<u32, Vec<(ProbeSource, u128)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut part = candidates.to_vec();
        part.sort_unstable_by_key(|(_, a)| *a);
        let mut i = 0;
        while i < part.len() {
            let ord = part[i].1.segment_ord;
            let j = i + part[i..]
                .iter()
                .take_while(|(_, a)| a.segment_ord == ord)
                .count();
            if let std::collections::hash_map::Entry::Vacant(e) = sources.entry(ord) {
                let reader = searcher.segment_reader(ord);
                let mut v = Vec::with_capacity(self.boosts.len());
                for (w, b, m) in &self.boosts {
                    if let Some(s) = b.probe_source(reader, *w)? {
                        v.push((s, *m));
                    }
                }
                e.insert(v);
            }
            let list = &sources[&ord];
            let mut probes = SharedProbes::open(list.iter().map(|(s, _)| s))?;
            for (score, addr) in part[i..j].iter_mut() {
                let doc = addr.doc_id;
                let found = list
                    .iter()
                    .enumerate()
                    .map(|(k, (_, m))| (probes.score_at(k, doc), *m));
                *score = with_boosts(*score, found, self.per_token);
            }
            i = j;
        }
        sort(&mut part);
        Ok(part)
    }
}

/// Best score first, ties by address (the order of tantivy's `TopDocs`).
fn sort(v: &mut [(Score, DocAddress)]) {
    v.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// `main` plus each boost `found` in the document (its score there, and the mask of the
/// tokens it covers) and the coverage bonus: the one sum of [`BoostedScorer`] and
/// [`Rescorer`], so that both give the same score bit for bit.
fn with_boosts(
    main: Score,
    found: impl IntoIterator<Item = (Score, u128)>,
    per_token: Score,
) -> Score {
    let mut s = main;
    let mut covered = 0u128;
    for (x, m) in found {
        if x > 0.0 {
            s += x;
            covered |= m;
        }
    }
    s + per_token * covered.count_ones() as Score
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
    fn rescorer_ranks_as_the_boosted_query() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let g = b.add_text_field("g", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["xây", "dựng", "nhà", "cửa", "mới"];
        for i in 0..400usize {
            // Varied texts: some with the phrases, in one field or the other.
            let a: Vec<&str> = (0..(3 + i % 7))
                .map(|k| words[(i * 7 + k * 3) % 5])
                .collect();
            let c: Vec<&str> = (0..(2 + i % 5)).map(|k| words[(i + k * k) % 5]).collect();
            w.add_document(doc!(f => a.join(" "), g => c.join(" ")))
                .unwrap();
            if i % 50 == 0 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        assert!(s.segment_readers().len() > 1);
        let t = |fl, x: &str| Term::from_field_text(fl, x);
        let main = || -> Box<dyn Query> {
            Box::new(TermQuery::new(t(f, "xây"), IndexRecordOption::WithFreqs))
        };
        let phrase = |fl, a: &str, b: &str| {
            MixedPhraseQuery::new(vec![(0, t(fl, a)), (1, t(fl, b))], vec![t(fl, a), t(fl, b)])
        };
        // Shared terms (`dựng` in three phrases), a repeated term, two fields.
        let boosts = [
            Boost {
                weight: 2.0,
                phrase: phrase(f, "xây", "dựng"),
                covers: 0..2,
            },
            Boost {
                weight: 1.0,
                phrase: phrase(f, "dựng", "nhà"),
                covers: 1..3,
            },
            Boost {
                weight: 0.5,
                phrase: phrase(g, "xây", "dựng"),
                covers: 0..2,
            },
            Boost {
                weight: 0.3,
                phrase: phrase(f, "nhà", "nhà"),
                covers: 0..0,
            },
            Boost {
                weight: 1.5,
                phrase: phrase(f, "dựng", "nhà"),
                covers: 0..0,
            },
        ];
        for (scale, cover) in [(1.0, 0.0), (1.0, 3.0), (1.0, 100.0), (0.01, 0.0)] {
            let boosts: Vec<Boost> = boosts
                .iter()
                .map(|b| Boost {
                    weight: b.weight * scale,
                    ..b.clone()
                })
                .collect();
            let q = BoostedQuery::new(main(), boosts, cover, 3);
            let n = s.search(&q, &Count).unwrap();
            let expected = s
                .search(&q, &TopDocs::with_limit(n).order_by_score())
                .unwrap();
            let bm25 = s
                .search(main().as_ref(), &TopDocs::with_limit(n).order_by_score())
                .unwrap();
            let r = q
                .rescorer(EnableScoring::enabled_from_searcher(&s))
                .unwrap();
            for want in [1, 3, 10, n] {
                let got = r.rescore(&s, &bm25, want).unwrap();
                assert!(got.len() >= want.min(n));
                // Exactly the boosted query's first `want`, scores bit for bit.
                assert_eq!(
                    &got[..want],
                    &expected[..want],
                    "cover {cover}, want {want}"
                );
                if scale < 1.0 && want == 1 {
                    // Boosts small beside the BM25 spread: candidates left out.
                    assert!(got.len() < n, "{} of {n}", got.len());
                }
            }
        }
    }

    #[test]
    fn coverage_masks() {
        assert_eq!(mask(&(0..2)), 0b11);
        assert_eq!(mask(&(2..4)), 0b1100);
        assert_eq!(mask(&(127..200)).count_ones(), 1);
        assert_eq!(mask(&(200..300)), 0);
    }
}

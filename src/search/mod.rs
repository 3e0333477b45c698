//! Search: query grammar → plan → tantivy → hits, snippets, histograms.
//!
//! ```text
//! query text ─▶ parse (grammar, repairs) ─▶ plan (analysis, accent rule, fields, boosts)
//!            ─▶ tantivy (count + top docs + day counts, one pass) ─▶ hits with snippets
//! ```
//!
//! [`search`] runs one [`SearchRequest`] on an [`Archive`] and returns a
//! [`SearchResponse`]; it knows nothing of the terminal (the CLI renders it).
//!
//! * Every word is required; when no article has them all, the articles that have the
//!   most of them are returned, and [`SearchResponse::relaxed`] says how many words
//!   they share.
//! * `total` is the exact number of matching articles (after the date filter, before
//!   `--collapse`).
//! * Sorting by date puts articles without a date last; ties are broken by relevance.
//! * An empty query sorted by date lists the archive (browsing), under the filters.
//! * [`SearchRequest::facets`] asks for the articles per source and per category
//!   over the whole match set, counted in the same pass ([`facets`]).

pub mod collapse;
pub mod dates;
pub mod facets;
pub mod filter;
pub mod histogram;
pub mod json;
pub mod mixed_phrase;
pub mod parse;
pub mod plan;
pub mod rescore;
pub mod snippet;
pub mod suggest;
pub mod union;
pub mod view;

use std::collections::HashMap;
use std::ops::Bound;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, DocAddress, Order, Searcher, Term};

use crate::analysis::restore::Restorer;
use crate::article::Article;
use crate::index::{Archive, Fields, TextField};

pub use dates::{DateError, DateFilter, Period};
pub use facets::Facets;
pub use histogram::{Bucket, Histogram, Interval};
pub use parse::{Query, parse};
pub use plan::Weights;
pub use snippet::Snippet;

/// How accents in the query are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Accents {
    /// Per syllable: typed with a diacritic → that exact word; without → any accents.
    #[default]
    Strict,
    /// Every syllable matches any accents; exact-accent matches rank higher.
    Loose,
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// What went wrong with a search.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty: type some words to search for")]
    Empty,
    #[error("the query `{query}` has no words to search for")]
    NothingToSearch { query: String },
    #[error("the query is longer than {max} bytes")]
    TooLong { max: usize },
    #[error(transparent)]
    Date(#[from] DateError),
    #[error("searching the index at {index}: {source}")]
    Search {
        index: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("stored article in {index} is unreadable: {message}")]
    Corrupt { index: PathBuf, message: String },
}

impl QueryError {
    /// True when the user's input is at fault (exit code 2), not the index.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            QueryError::Empty
                | QueryError::NothingToSearch { .. }
                | QueryError::TooLong { .. }
                | QueryError::Date(_)
        )
    }
}

/// One search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    pub dates: DateFilter,
    pub sort: Sort,
    /// Hits to return (0: only count).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    pub accents: Accents,
    pub histogram: Option<Interval>,
    /// Fold near-duplicate articles (syndicated copies) into the first one.
    pub collapse: bool,
    /// Snippet length in characters (0: no snippet).
    pub snippet_chars: usize,
    pub weights: Weights,
    /// Values per facet field to return (0: no facets).
    pub facets: usize,
    /// Only articles of this exact source (as in the facets).
    pub source: Option<String>,
    /// Only articles of this exact category (as in the facets).
    pub category: Option<String>,
    /// Rank the restored reading of words typed without diacritics first (accent
    /// restoration, [`crate::analysis::restore`]); matching is unchanged.
    pub restore: bool,
}

impl SearchRequest {
    /// A request with the defaults: relevance, 10 hits, strict accents.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            dates: DateFilter::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            accents: Accents::Strict,
            histogram: None,
            collapse: false,
            snippet_chars: 200,
            weights: Weights::default(),
            facets: 0,
            source: None,
            category: None,
            restore: true,
        }
    }
}

/// When no article has every word: how many of the words the returned ones have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relaxed {
    pub matched: usize,
    pub of: usize,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub date: Option<crate::article::PubDate>,
    /// Relevance score (also when sorted by date).
    pub score: f32,
    pub snippet: Snippet,
    /// Byte ranges of the matched words in `title`.
    pub title_highlights: Vec<std::ops::Range<usize>>,
    /// Ids of near-duplicates folded into this hit (with `collapse`).
    pub duplicates: Vec<String>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResponse {
    pub query: String,
    /// Exact number of matching articles.
    pub total: u64,
    /// Time spent in [`search`]: parsing, planning, searching, snippets.
    pub took: Duration,
    pub hits: Vec<Hit>,
    pub relaxed: Option<Relaxed>,
    pub histogram: Option<Histogram>,
    /// Articles per source and category (when asked for).
    pub facets: Option<Facets>,
    /// Repairs made to the query, for the user.
    pub warnings: Vec<String>,
    /// The query as understood, when accent restoration changed a word typed
    /// without diacritics (`gia vang` → `giá vàng`).
    pub restored: Option<String>,
    /// When nothing (or only a relaxed match) was found: the closest query whose
    /// every word is in the index (`nguyn nhan` → `nguyen nhan`), never applied.
    pub suggestion: Option<String>,
}

/// Longest query searched, in bytes (the CLI's `--batch` line limit too): a longer
/// one is a [`QueryError::TooLong`], before any work.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;

/// Runs a search.
///
/// ```no_run
/// use tintuc::index::Archive;
/// use tintuc::search::{search, SearchRequest};
/// let archive = Archive::open(std::path::Path::new("index")).unwrap();
/// let r = search(&archive, &SearchRequest::new("giá vàng")).unwrap();
/// println!("{} articles", r.total);
/// ```
pub fn search(archive: &Archive, req: &SearchRequest) -> Result<SearchResponse, QueryError> {
    let started = Instant::now();
    if req.query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong {
            max: MAX_QUERY_BYTES,
        });
    }
    if req.query.trim().is_empty() && req.sort != Sort::Relevance {
        return browse(archive, req, started);
    }
    // Words typed in Telex or VNI with the input method off are searched decoded.
    let decoded = match req.restore {
        true => Restorer::global().decode_slips(&req.query),
        false => None,
    };
    let parsed = parse::parse(decoded.as_deref().unwrap_or(&req.query))?;
    let fields = archive.fields();
    let load = || archive.restorer();
    let planner = plan::Planner {
        fields,
        accents: req.accents,
        weights: &req.weights,
        restore: req.restore,
        restorer: plan::RestorerSource::lazy(&load),
    };
    let plan = planner.plan(&parsed.query);
    let mut warnings = parsed.warnings;
    warnings.extend(plan.warnings.iter().cloned());
    if plan.positives.is_empty() && plan.negatives.is_empty() {
        return Err(QueryError::NothingToSearch {
            query: req.query.clone(),
        });
    }
    let searcher = archive.searcher();
    let ctx = Ctx {
        archive,
        stats: StatsCache::new(searcher.clone()),
        searcher,
        fields,
        req,
    };
    let filter = filter_query(fields, req);
    let mut relaxed = None;
    let copy = |f: &Option<Box<dyn TQuery>>| f.as_ref().map(|f| f.box_clone());
    let mut found = ctx.collect(&ctx.queries(&plan, None, copy(&filter)))?;
    if found.total == 0 && plan.positives.len() >= 2 {
        let best = ctx.best_coverage(&plan, &filter)?;
        if best >= 1 && best < plan.positives.len() {
            found = ctx.collect(&ctx.queries(&plan, Some(best), filter))?;
            relaxed = Some(Relaxed {
                matched: best,
                of: plan.positives.len(),
            });
        }
    }
    let hits = ctx.hits(&found.top, &plan.needles)?;
    let suggestion = if found.total == 0 || relaxed.is_some() {
        let text = decoded.as_deref().unwrap_or(&req.query);
        suggest::suggest(&ctx.searcher, fields, planner.restorer.get(), text)
    } else {
        None
    };
    let mut response = respond(req, found, hits, relaxed, warnings, started);
    response.restored = plan.restored.clone().or(decoded);
    response.suggestion = suggestion;
    Ok(response)
}

/// The response of a finished search (with no restored reading or suggestion).
fn respond(
    req: &SearchRequest,
    found: Found,
    hits: Vec<Hit>,
    relaxed: Option<Relaxed>,
    warnings: Vec<String>,
    started: Instant,
) -> SearchResponse {
    let histogram = match (req.histogram, &found.days) {
        (Some(i), Some(d)) => Some(Histogram::from_days(d, i)),
        _ => None,
    };
    SearchResponse {
        query: req.query.clone(),
        total: found.total,
        took: started.elapsed(),
        hits,
        relaxed,
        histogram,
        facets: found.facets.map(|f| Facets::top(&f, req.facets)),
        warnings,
        restored: None,
        suggestion: None,
    }
}

/// An empty query sorted by date: every article under the filters, newest or
/// oldest first, with the start of its text as the snippet.
fn browse(
    archive: &Archive,
    req: &SearchRequest,
    started: Instant,
) -> Result<SearchResponse, QueryError> {
    let fields = archive.fields();
    let searcher = archive.searcher();
    let ctx = Ctx {
        archive,
        stats: StatsCache::new(searcher.clone()),
        searcher,
        fields,
        req,
    };
    let all: Box<dyn TQuery> = Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0));
    let main: Box<dyn TQuery> = match filter_query(fields, req) {
        Some(f) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, all),
            (Occur::Must, f),
        ])),
        None => all,
    };
    let found = ctx.collect(&Queries {
        main,
        boosted: None,
    })?;
    let hits = ctx.hits(&found.top, &[])?;
    Ok(respond(req, found, hits, None, Vec::new(), started))
}

/// The date, source and category filters as one query (`None` when open).
fn filter_query(fields: &Fields, req: &SearchRequest) -> Option<Box<dyn TQuery>> {
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    if let Some(d) = date_query(fields, &req.dates) {
        clauses.push((Occur::Must, d));
    }
    let exact = |field, value: &str| -> Box<dyn TQuery> {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )),
            0.0,
        ))
    };
    if let Some(s) = &req.source {
        clauses.push((Occur::Must, exact(fields.source_key, s)));
    }
    if let Some(c) = &req.category {
        // An index without the category field has no article of any category.
        let q = match fields.category_key {
            Some(f) => exact(f, c),
            None => Box::new(tantivy::query::EmptyQuery),
        };
        clauses.push((Occur::Must, q));
    }
    match clauses.len() {
        0 => None,
        1 => clauses.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(clauses))),
    }
}

/// The date filter as a range query (`None` when open).
fn date_query(fields: &Fields, f: &DateFilter) -> Option<Box<dyn TQuery>> {
    if f.is_open() {
        return None;
    }
    let term = |ts: Timestamp| {
        Term::from_field_date_for_search(
            fields.local,
            crate::index::schema::date_value(ts.as_second()),
        )
    };
    let lower = f
        .start
        .map_or(Bound::Unbounded, |s| Bound::Included(term(s)));
    let upper = f.end.map_or(Bound::Unbounded, |e| Bound::Excluded(term(e)));
    Some(Box::new(filter::MaterializedFilter::new(Box::new(
        RangeQuery::new(lower, upper),
    ))))
}

struct Ctx<'a> {
    archive: &'a Archive,
    searcher: Searcher,
    fields: &'a Fields,
    req: &'a SearchRequest,
    stats: StatsCache,
}

/// BM25 statistics of the searcher, each looked up once per search: the main, the
/// coverage and the relaxed passes, and the boost phrases, share their words.
struct StatsCache {
    searcher: Searcher,
    docs: std::cell::Cell<Option<u64>>,
    tokens: std::cell::RefCell<HashMap<tantivy::schema::Field, u64>>,
    freqs: std::cell::RefCell<HashMap<Term, u64>>,
}

impl StatsCache {
    fn new(searcher: Searcher) -> StatsCache {
        StatsCache {
            searcher,
            docs: Default::default(),
            tokens: Default::default(),
            freqs: Default::default(),
        }
    }
}

impl Bm25StatisticsProvider for StatsCache {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        if let Some(n) = self.tokens.borrow().get(&field) {
            return Ok(*n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        if let Some(n) = self.docs.get() {
            return Ok(n);
        }
        let n = self.searcher.total_num_docs()?;
        self.docs.set(Some(n));
        Ok(n)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = self.freqs.borrow().get(term) {
            return Ok(*n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.freqs.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

/// The query in two forms: what matches with BM25 scores, and (for relevance order)
/// with the proximity boosts, computed only for the best BM25 candidates.
struct Queries {
    main: Box<dyn TQuery>,
    boosted: Option<rescore::BoostedQuery>,
}

/// A ranked document: relevance score and address.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f32,
    addr: DocAddress,
}

struct Found {
    total: u64,
    /// The requested page (after offset, collapse applied), with folded duplicates.
    top: Vec<(Ranked, Vec<DocAddress>)>,
    days: Option<histogram::DayCountsFruit>,
    facets: Option<facets::FacetsFruit>,
}

/// What is counted over every match besides the total: days (for a histogram) and
/// facet values.
#[derive(Default)]
struct Tally {
    days: Option<histogram::DayCounts>,
    facets: Option<facets::FacetCounts>,
}

/// The fruits of a [`Tally`].
type Tallied = (
    Option<histogram::DayCountsFruit>,
    Option<facets::FacetsFruit>,
);

impl Ctx<'_> {
    fn err(&self, source: tantivy::TantivyError) -> QueryError {
        QueryError::Search {
            index: self.archive.dir().to_path_buf(),
            source,
        }
    }

    fn date_field_name(&self) -> String {
        self.searcher
            .schema()
            .get_field_name(self.fields.date)
            .to_string()
    }

    /// Counts the matches (with their days, for a histogram) and ranks documents
    /// `[offset, offset + limit)` in the requested order, in one pass.
    fn run(
        &self,
        q: &dyn TQuery,
        offset: usize,
        limit: usize,
        tally: Tally,
    ) -> Result<(u64, Vec<Ranked>, Tallied), QueryError> {
        // TopDocs allocates for `limit`: never more than the index holds.
        let limit = limit.min((self.searcher.num_docs() as usize).saturating_sub(offset));
        let top = (limit > 0).then(|| TopDocs::with_limit(limit).and_offset(offset));
        let date = self.date_field_name();
        let Tally { days, facets } = tally;
        let (count, ranked, tallied) = match self.req.sort {
            Sort::Relevance => {
                let (count, top, days, facets) = self
                    .searcher
                    .search_with_statistics_provider(
                        q,
                        &(Count, top.map(|t| t.order_by_score()), days, facets),
                        &self.stats,
                    )
                    .map_err(|e| self.err(e))?;
                let ranked = top
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(score, addr)| Ranked { score, addr })
                    .collect();
                (count, ranked, (days, facets))
            }
            Sort::Newest | Sort::Oldest => {
                let order = if self.req.sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let top = top.map(|t| {
                    t.order_by((
                        (SortByStaticFastValue::<DateTime>::for_field(&date), order),
                        (SortBySimilarityScore, Order::Desc),
                    ))
                });
                let (count, top, days, facets) = self
                    .searcher
                    .search_with_statistics_provider(q, &(Count, top, days, facets), &self.stats)
                    .map_err(|e| self.err(e))?;
                let ranked = top
                    .unwrap_or_default()
                    .into_iter()
                    .map(|((_, score), addr)| Ranked { score, addr })
                    .collect();
                (count, ranked, (days, facets))
            }
        };
        Ok((count as u64, ranked, tallied))
    }

    /// The queries of `plan` for this request (boosts only when ranking by relevance).
    fn queries(
        &self,
        plan: &plan::Plan,
        min_positives: Option<usize>,
        filter: Option<Box<dyn TQuery>>,
    ) -> Queries {
        let main = plan.main_query(min_positives, filter);
        let boosted = (self.req.sort == Sort::Relevance && !plan.boosts.is_empty()).then(|| {
            rescore::BoostedQuery::new(
                main.box_clone(),
                plan.boosts.clone(),
                plan.cover_weight,
                plan.cover_tokens,
            )
        });
        Queries { main, boosted }
    }

    /// Like [`Ctx::run`], with the boosts: the BM25 pass counts and keeps the best
    /// `rescore_window` candidates (at least `offset + limit`), whose BM25 scores the
    /// boosts are then added to ([`rescore::Rescorer`]: best BM25 first, stopping once
    /// no later candidate can reach the page). With fewer matches than the window,
    /// every match is a candidate.
    fn rank(
        &self,
        qs: &Queries,
        offset: usize,
        limit: usize,
        tally: Tally,
    ) -> Result<(u64, Vec<Ranked>, Tallied), QueryError> {
        let Some(boosted) = &qs.boosted else {
            return self.run(qs.main.as_ref(), offset, limit, tally);
        };
        let window = if limit == 0 {
            0
        } else {
            self.req
                .weights
                .rescore_window
                .max(offset.saturating_add(limit))
        };
        let (total, candidates, tallied) = self.run(qs.main.as_ref(), 0, window, tally)?;
        if candidates.is_empty() {
            return Ok((total, candidates, tallied));
        }
        let scoring = tantivy::query::EnableScoring::enabled_from_statistics_provider(
            &self.stats,
            &self.searcher,
        );
        let rescorer = boosted.rescorer(scoring).map_err(|e| self.err(e))?;
        let scored: Vec<(f32, DocAddress)> = candidates.iter().map(|r| (r.score, r.addr)).collect();
        // The window holds the page, so the page is among the rescored candidates.
        let ranked = rescorer
            .rescore(&self.searcher, &scored, offset.saturating_add(limit))
            .map_err(|e| self.err(e))?
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(score, addr)| Ranked { score, addr })
            .collect();
        Ok((total, ranked, tallied))
    }

    /// Counts every match (and their days, for a histogram) and ranks the page.
    fn collect(&self, qs: &Queries) -> Result<Found, QueryError> {
        let name = |f| self.searcher.schema().get_field_name(f).to_string();
        let tally = Tally {
            days: self.req.histogram.map(|_| histogram::DayCounts {
                field: name(self.fields.local),
            }),
            facets: (self.req.facets > 0).then(|| facets::FacetCounts {
                source_field: name(self.fields.source_key),
                category_field: self.fields.category_key.map(name),
            }),
        };
        if !self.req.collapse {
            let (total, ranked, (days, facets)) =
                self.rank(qs, self.req.offset, self.req.limit, tally)?;
            let top = ranked.into_iter().map(|r| (r, Vec::new())).collect();
            return Ok(Found {
                total,
                top,
                days,
                facets,
            });
        }
        let (total, _, (days, facets)) = self.run(qs.main.as_ref(), 0, 0, tally)?;
        let limit = self
            .req
            .limit
            .min((total as usize).saturating_sub(self.req.offset));
        let top = self.collapsed(qs, limit)?;
        Ok(Found {
            total,
            top,
            days,
            facets,
        })
    }

    /// The page with near-duplicates folded into the best-ranked copy.
    fn collapsed(
        &self,
        qs: &Queries,
        limit: usize,
    ) -> Result<Vec<(Ranked, Vec<DocAddress>)>, QueryError> {
        let want = self.req.offset.saturating_add(limit);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let max = self.searcher.num_docs() as usize;
        let mut fetch = want.saturating_mul(2).saturating_add(16).min(max.max(1));
        let fp_name = self
            .searcher
            .schema()
            .get_field_name(self.fields.fingerprint)
            .to_string();
        loop {
            let (_, ranked, _) = self.rank(qs, 0, fetch, Tally::default())?;
            let exhausted = ranked.len() < fetch;
            let mut columns = HashMap::new();
            let mut fps = Vec::with_capacity(ranked.len());
            for r in &ranked {
                let ord = r.addr.segment_ord;
                if let std::collections::hash_map::Entry::Vacant(e) = columns.entry(ord) {
                    let col = self
                        .searcher
                        .segment_reader(ord)
                        .fast_fields()
                        .u64(&fp_name)
                        .map_err(|e| self.err(e))?;
                    e.insert(col);
                }
                fps.push(columns[&ord].first(r.addr.doc_id).unwrap_or(0));
            }
            let groups = collapse::group(&fps);
            if groups.len() >= want || exhausted || fetch >= max {
                return Ok(groups
                    .into_iter()
                    .skip(self.req.offset)
                    .take(limit)
                    .map(|g| {
                        (
                            ranked[g.first],
                            g.others.iter().map(|&i| ranked[i].addr).collect(),
                        )
                    })
                    .collect());
            }
            fetch = fetch.saturating_mul(4).min(max);
        }
    }

    /// The largest number of the plan's positive clauses any document matches (under
    /// the filter and the negatives). `n - 1` and `n - 2` are tried first as counts of
    /// "at least k" queries, each led by its rarest words (one word missing is the
    /// usual case); otherwise one pass over every document with any word.
    fn best_coverage(
        &self,
        plan: &plan::Plan,
        filter: &Option<Box<dyn TQuery>>,
    ) -> Result<usize, QueryError> {
        let n = plan.positives.len();
        for k in (n.saturating_sub(2).max(1)..n).rev() {
            let q = plan.main_query(Some(k), filter.as_ref().map(|f| f.box_clone()));
            let count = self
                .searcher
                .search(q.as_ref(), &Count)
                .map_err(|e| self.err(e))?;
            if count > 0 {
                return Ok(k);
            }
        }
        self.max_coverage(
            plan.coverage_query(filter.as_ref().map(|f| f.box_clone()))
                .as_ref(),
        )
    }

    /// The largest number of positive clauses any document matches.
    fn max_coverage(&self, q: &dyn TQuery) -> Result<usize, QueryError> {
        let top = self
            .searcher
            .search_with_statistics_provider(
                q,
                &TopDocs::with_limit(1).order_by_score(),
                &self.stats,
            )
            .map_err(|e| self.err(e))?;
        Ok(top.first().map_or(0, |(s, _)| s.round() as usize))
    }

    fn article(&self, addr: DocAddress) -> Result<Article, QueryError> {
        // Only the stored JSON, not a whole `TantivyDocument` (`index::stored`).
        let stored: crate::index::stored::StoredJson =
            self.searcher.doc(addr).map_err(|e| self.err(e))?;
        // Vietnamese text is mostly multi-byte: serde_json's own UTF-8 check of each
        // string (the body above all) was 7% of a title query; simdutf8 checks the
        // whole record at once, and a `&str` is not checked again.
        let corrupt = |message: String| QueryError::Corrupt {
            index: self.archive.dir().to_path_buf(),
            message,
        };
        let text = simdutf8::basic::from_utf8(&stored.0)
            .map_err(|_| corrupt("a stored article is not UTF-8".into()))?;
        serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))
    }

    fn hits(
        &self,
        top: &[(Ranked, Vec<DocAddress>)],
        needles: &[plan::Needle],
    ) -> Result<Vec<Hit>, QueryError> {
        let accents = self.req.accents;
        let title_needles: Vec<&plan::Needle> = needles
            .iter()
            .filter(|n| snippet::applies(n, TextField::Title))
            .collect();
        let mut out = Vec::with_capacity(top.len());
        for (r, dups) in top {
            let a = self.article(r.addr)?;
            let snippet = if self.req.snippet_chars == 0 {
                Snippet::default()
            } else {
                let mut texts = Vec::with_capacity(3);
                if let Some(l) = a.lead.as_deref() {
                    texts.push((TextField::Lead, l));
                }
                texts.push((TextField::Body, a.body.as_str()));
                if let Some(k) = a.kicker.as_deref() {
                    texts.push((TextField::Kicker, k));
                }
                snippet::make_snippet_of(&texts, needles, accents, self.req.snippet_chars)
            };
            let title_highlights = a
                .title
                .as_deref()
                .map(|t| snippet::highlight_all(t, &title_needles, accents))
                .unwrap_or_default();
            let mut duplicates = Vec::with_capacity(dups.len());
            for d in dups {
                duplicates.push(self.article(*d)?.id);
            }
            out.push(Hit {
                id: a.id,
                url: a.url,
                source: a.source,
                title: a.title,
                date: a.date,
                score: r.score,
                snippet,
                title_highlights,
                duplicates,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, body: &str, date: Option<&str>) -> Article {
        Article {
            id: id.into(),
            title: Some(title.into()),
            body: body.into(),
            date: date.map(|d| d.parse().expect("date")),
            ..Default::default()
        }
    }

    /// An index of `articles` in a temporary folder.
    fn index(articles: &[Article]) -> (tempfile::TempDir, Archive) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let archive = Archive::open_or_create(&tmp.path().join("index")).expect("index");
        {
            let mut w = archive.writer(32).expect("writer");
            for a in articles {
                w.upsert(a).expect("upsert");
            }
            w.commit().expect("commit");
        }
        archive.reload().expect("reload");
        (tmp, archive)
    }

    fn ids(r: &SearchResponse) -> Vec<&str> {
        r.hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn adjacent_query_words_rank_first_and_the_window_only_reorders() {
        let (_t, a) = index(&[
            // Long `rằng cơ năng` but a lone `vẫn`.
            article(
                "x",
                "Tin",
                "ông nói rằng cơ năng tốt, sau đó vẫn đi tiếp rồi về",
                None,
            ),
            // Both pairs of the query, the words far from each other otherwise.
            article(
                "t",
                "Tin",
                "chị bảo rằng cơ thể khỏe và khả năng vẫn còn",
                None,
            ),
            article("o", "Tin", "năng lực cơ bắp vẫn rằng là không", None),
        ]);
        let mut req = SearchRequest::new("rằng cơ năng vẫn");
        let r = search(&a, &req).expect("search");
        assert_eq!(r.total, 3);
        assert_eq!(ids(&r)[0], "t", "{:?}", ids(&r));
        assert_eq!(ids(&r)[2], "o", "{:?}", ids(&r));
        // A window of one candidate: same total, same set of hits, boosts only for the first.
        req.weights.rescore_window = 1;
        let w = search(&a, &req).expect("search");
        assert_eq!(w.total, 3);
        let mut all = ids(&w);
        all.sort();
        assert_eq!(all, ["o", "t", "x"]);
    }

    #[test]
    fn relaxed_results_have_the_most_words() {
        let (_t, a) = index(&[
            article("two", "giá vàng", "hôm nay", None),
            article("one", "giá dầu", "hôm qua", None),
        ]);
        let r = search(&a, &SearchRequest::new("giá vàng tăng")).expect("search");
        assert_eq!(r.relaxed, Some(Relaxed { matched: 2, of: 3 }));
        assert_eq!(ids(&r), ["two"]);
        assert_eq!(r.total, 1);
        let none = search(&a, &SearchRequest::new("bitcoin ethereum")).expect("search");
        assert_eq!((none.total, none.relaxed), (0, None));
    }

    #[test]
    fn dates_sort_and_limits() {
        let (_t, a) = index(&[
            article("old", "báo", "x", Some("2013-06-16T00:00:00+07:00")),
            article("new", "báo", "x", Some("2020-01-01T12:00:00+07:00")),
            article("none", "báo", "x", None),
        ]);
        let mut req = SearchRequest::new("báo");
        req.sort = Sort::Oldest;
        assert_eq!(
            ids(&search(&a, &req).expect("search")),
            ["old", "new", "none"]
        );
        req.sort = Sort::Newest;
        assert_eq!(
            ids(&search(&a, &req).expect("search")),
            ["new", "old", "none"]
        );
        req.dates = DateFilter::on(dates::parse_period("2013-06-16").expect("day"));
        let r = search(&a, &req).expect("search");
        assert_eq!((r.total, ids(&r)), (1, vec!["old"]));
        req.dates = DateFilter::default();
        req.limit = 0;
        let r = search(&a, &req).expect("search");
        assert_eq!((r.total, r.hits.len()), (3, 0));
        req.limit = usize::MAX;
        req.offset = 2;
        let r = search(&a, &req).expect("search");
        assert_eq!(ids(&r), ["none"]);
        req.offset = usize::MAX;
        assert!(search(&a, &req).expect("search").hits.is_empty());
    }

    #[test]
    fn long_queries_are_bounded() {
        let (_t, a) = index(&[article("c", "cà phê", "ccc cà phê", None)]);
        // Found by the query fuzz target (timed out): a quote and 69,000 letters; the
        // Telex/VNI slip decoder read it one key at a time over the whole word.
        let word = "c".repeat(MAX_QUERY_BYTES - 8);
        let r = search(&a, &SearchRequest::new(format!("cà '{word}"))).expect("search");
        assert_eq!(r.total, 1);
        let r = search(
            &a,
            &SearchRequest::new(format!("{} cà", "w".repeat(60_000))),
        );
        assert_eq!(r.expect("search").total, 1);
        let e = search(&a, &SearchRequest::new(format!("cà '{word}cccc"))).expect_err("long");
        assert!(
            matches!(e, QueryError::TooLong { .. }) && e.is_usage(),
            "{e}"
        );
    }

    #[test]
    fn usage_errors_are_told_apart() {
        let (_t, a) = index(&[]);
        for q in ["", "()", "!!!", "-"] {
            let e = search(&a, &SearchRequest::new(q)).expect_err(q);
            assert!(e.is_usage(), "{q:?}: {e}");
        }
        // Only an exclusion: every article without it (none here).
        let r = search(&a, &SearchRequest::new("-vàng")).expect("search");
        assert_eq!(r.total, 0);
    }

    #[test]
    fn accented_queries_do_not_load_the_archive_restorer() {
        // Regression: every search read the archive's restoration statistics (15 MB
        // at 100,000 articles, tens of ms at start-up), even when nothing was restored.
        let (_t, a) = index(&[article("v", "Giá vàng tăng", "giá vàng tăng mạnh", None)]);
        let r = search(&a, &SearchRequest::new("giá vàng")).expect("search");
        assert_eq!((r.total, r.restored.as_deref()), (1, None));
        assert!(!a.restorer_loaded());
        let r = search(&a, &SearchRequest::new("gia vang")).expect("search");
        assert_eq!((r.total, r.restored.as_deref()), (1, Some("giá vàng")));
        assert!(a.restorer_loaded());
    }

    /// The `VmFlags` of this process's mappings of files under `dir`.
    #[cfg(target_os = "linux")]
    fn mapping_flags(dir: &std::path::Path) -> Vec<(String, String)> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let dir = dir.to_string_lossy().into_owned();
        let mut out = Vec::new();
        let mut file = None;
        for line in smaps.lines() {
            if let Some(flags) = line.strip_prefix("VmFlags:") {
                if let Some(f) = file.take() {
                    out.push((f, flags.trim().to_string()));
                }
            } else if line
                .split_whitespace()
                .nth(5)
                .is_some_and(|p| p.starts_with(&dir))
            {
                file = line.split_whitespace().nth(5).map(str::to_string);
            }
        }
        out
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn searching_maps_the_index_for_random_access() {
        // Regression: a first search from a cold page cache read 141 MB of a 100k
        // index, the kernel's read-ahead (8 MiB here) around every page it touched.
        let (t, writer_side) = index(&[article("v", "Giá vàng tăng", "giá vàng tăng mạnh", None)]);
        drop(writer_side);
        let a = Archive::open(&t.path().join("index")).expect("open");
        let r = search(&a, &SearchRequest::new("giá vàng")).expect("search");
        assert_eq!(r.total, 1);
        let maps = mapping_flags(&std::fs::canonicalize(t.path()).expect("path"));
        assert!(!maps.is_empty(), "no index file is mapped");
        for (file, flags) in &maps {
            assert!(flags.split(' ').any(|f| f == "rr"), "{file}: {flags}");
        }
    }
}

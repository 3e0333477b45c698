//! Planning: a parsed [`Query`] becomes tantivy queries.
//!
//! Rules (see `ARCHITECTURE.md` for the why):
//!
//! * **Analysis.** Every word and phrase goes through [`crate::analysis::tokenize()`], the
//!   same function the index uses; a word that gives several tokens is a phrase.
//! * **Accents, per syllable.** A token typed with any diacritic or `đ` matches the
//!   `<field>_x` field with its normalized form (exact: `hoà` = `hòa`, NFD = NFC); a
//!   token typed without any matches `<field>_f` with its folded form (every accented
//!   form). A phrase mixing both is a [`MixedPhraseQuery`]. With [`Accents::Loose`]
//!   every token matches the folded field, and accented tokens add an exact-match boost.
//! * **Fields.** A word without a `field:` prefix is searched in title, kicker, lead and
//!   body (weighted by [`Weights`]); `author`, `category` and `source` are only searched
//!   when named, so metadata never inflates counts.
//! * **Required words.** The top-level words are all required (`positives`); `-x`
//!   clauses are `negatives`. The relaxed form (when nothing has every word) is built by
//!   the caller from the same parts with a minimum number of matching words.
//! * **Proximity boosts** (optional clauses that only reorder): each pair of
//!   consecutive query syllables as a phrase in title, lead and body, and each
//!   multi-syllable word found by [`crate::analysis::Segmenter`] as a phrase.

use std::cell::OnceCell;
use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::restore::Restorer;
use crate::analysis::{Segmenter, Token, tokenize};
use crate::index::{Fields, TextField};

use super::Accents;
use super::mixed_phrase::MixedPhraseQuery;
use super::parse::Query;
use super::rescore::{Boost, BoostedQuery};
use super::union::FieldUnionQuery;

/// Ranking weights. The defaults were tuned on the dev known-item set
/// (`../shared/eval/relevance`); they only reorder results, never change what matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub title: f32,
    pub kicker: f32,
    pub lead: f32,
    pub body: f32,
    /// Fields searched only when named (`author:`, `category:`, `source:`).
    pub named: f32,
    /// With [`Accents::Loose`]: added once per query word matched with its exact
    /// accents, so exact matches rank above the others.
    pub exact_bonus: f32,
    /// Two consecutive query syllables next to each other in the title / lead+body.
    pub pair_title: f32,
    pub pair_body: f32,
    /// A multi-syllable word of the query (segmenter) next to each other, title / lead+body.
    pub word_title: f32,
    pub word_body: f32,
    /// All query tokens next to a query neighbour somewhere in the article (scaled
    /// by the fraction covered).
    pub cover: f32,
    /// The boosts are computed for this many best documents by BM25 (or for every
    /// match when there are fewer); the rest keep their BM25 order after them.
    pub rescore_window: usize,
    /// Accent restoration of words typed without diacritics: two consecutive query
    /// syllables in their restored reading as a phrase in the title / lead+body, and
    /// one restored syllable anywhere; each times the restorer's confidence. Small on
    /// purpose: on the dev known-item set larger weights lower `keywords_noaccent`
    /// (its queries are rare syllable pairs cut out of phrases, which restoration
    /// reads as the common phrase), so the restored reading breaks near-ties.
    pub restore_pair_title: f32,
    pub restore_pair_body: f32,
    pub restore_term: f32,
    /// Restored syllables less sure than this get no boost.
    pub restore_min_conf: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            title: 2.0,
            kicker: 1.2,
            lead: 1.2,
            body: 1.0,
            named: 1.0,
            exact_bonus: 150.0,
            pair_title: 1.0,
            pair_body: 1.0,
            word_title: 1.0,
            word_body: 0.5,
            cover: 100.0,
            rescore_window: 3000,
            restore_pair_title: 0.3,
            restore_pair_body: 0.0,
            restore_term: 0.0,
            restore_min_conf: 0.9,
        }
    }
}

/// One analyzed query token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QTok {
    pub normalized: String,
    pub folded: String,
    /// Typed with a diacritic or `đ`.
    pub accented: bool,
    /// Position relative to the leaf's first token.
    pub offset: u32,
}

impl QTok {
    fn from_tokens(tokens: &[Token]) -> Vec<QTok> {
        let base = tokens.first().map(|t| t.position).unwrap_or(0);
        tokens
            .iter()
            .map(|t| QTok {
                accented: t.normalized != t.folded,
                normalized: t.normalized.clone(),
                folded: t.folded.clone(),
                offset: t.position.saturating_sub(base),
            })
            .collect()
    }
}

/// What the snippet and highlighter look for: one entry per positive word or phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    pub field: Option<TextField>,
    pub tokens: Vec<QTok>,
}

/// The planned query, in parts the executor combines.
pub struct Plan {
    /// Top-level clauses that must all match (the required words).
    pub positives: Vec<Box<dyn TQuery>>,
    /// Top-level clauses that must not match.
    pub negatives: Vec<Box<dyn TQuery>>,
    /// Weighted phrases that only add to the score of matching documents.
    pub boosts: Vec<Boost>,
    /// Query tokens the boosts can cover (see [`BoostedQuery`]).
    pub cover_tokens: u32,
    /// Weight of full coverage.
    pub cover_weight: f32,
    /// The words to highlight.
    pub needles: Vec<Needle>,
    /// What was left out of a too long query, for the user.
    pub warnings: Vec<String>,
    /// The query as understood when accent restoration changed a word of it.
    pub restored: Option<String>,
}

impl Plan {
    /// The full query: [`Plan::main_query`] with the boosts.
    pub fn query(
        &self,
        min_positives: Option<usize>,
        filter: Option<Box<dyn TQuery>>,
    ) -> Box<dyn TQuery> {
        self.boosted(self.main_query(min_positives, filter))
    }

    /// `main` with the proximity boosts added to its matches' scores.
    pub fn boosted(&self, main: Box<dyn TQuery>) -> Box<dyn TQuery> {
        if self.boosts.is_empty() {
            main
        } else {
            Box::new(BoostedQuery::new(
                main,
                self.boosts.clone(),
                self.cover_weight,
                self.cover_tokens,
            ))
        }
    }

    /// What matches, scored by BM25 only: every positive (or at least
    /// `min_positives` of them), no negative, the `filter` (which must score 0).
    pub fn main_query(
        &self,
        min_positives: Option<usize>,
        filter: Option<Box<dyn TQuery>>,
    ) -> Box<dyn TQuery> {
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        match min_positives {
            Some(k) if k < self.positives.len() => {
                let alts = self.positives.iter().map(|q| q.box_clone()).collect();
                clauses.push((Occur::Must, Box::new(FieldUnionQuery::at_least(alts, k))));
            }
            _ => clauses.extend(self.positives.iter().map(|q| (Occur::Must, q.box_clone()))),
        }
        if self.positives.is_empty() {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
            ));
        }
        clauses.extend(
            self.negatives
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        if let Some(f) = filter {
            clauses.push((Occur::Must, f));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A query whose score is the number of positives a document has (no boosts):
    /// finds how many words the best documents share when none has them all. The
    /// union seeks its parts lazily, so a sparse filter (a date range) drives it.
    pub fn coverage_query(&self, filter: Option<Box<dyn TQuery>>) -> Box<dyn TQuery> {
        let parts: Vec<Box<dyn TQuery>> = self
            .positives
            .iter()
            .map(|q| Box::new(ConstScoreQuery::new(q.box_clone(), 1.0)) as Box<dyn TQuery>)
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> =
            vec![(Occur::Must, Box::new(FieldUnionQuery::new(parts)))];
        clauses.extend(
            self.negatives
                .iter()
                .map(|q| (Occur::MustNot, q.box_clone())),
        );
        if let Some(f) = filter {
            clauses.push((Occur::Must, f));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Turns parsed queries into [`Plan`]s for one index schema.
pub struct Planner<'a> {
    pub fields: &'a Fields,
    pub accents: Accents,
    pub weights: &'a Weights,
    /// Boost the restored reading of words typed without diacritics.
    pub restore: bool,
    /// The restorer (an archive's, with its statistics, or the embedded one),
    /// loaded the first time a query needs it.
    pub restorer: RestorerSource<'a>,
}

/// Where a [`Planner`] takes its restorer from. An archive's restorer reads the
/// archive's statistics file (megabytes) on first use, so it is asked for only when a
/// query has words typed without diacritics (or finds nothing and wants a
/// suggestion), never for a query typed with accents.
pub struct RestorerSource<'a> {
    load: Option<&'a dyn Fn() -> Arc<Restorer>>,
    loaded: OnceCell<Arc<Restorer>>,
}

impl<'a> RestorerSource<'a> {
    /// The embedded model alone.
    pub fn embedded() -> RestorerSource<'a> {
        RestorerSource {
            load: None,
            loaded: OnceCell::new(),
        }
    }

    /// The restorer `load` gives, called at most once, on first use.
    pub fn lazy(load: &'a dyn Fn() -> Arc<Restorer>) -> RestorerSource<'a> {
        RestorerSource {
            load: Some(load),
            loaded: OnceCell::new(),
        }
    }

    /// Whether the restorer was asked for (loaded) yet.
    pub fn is_loaded(&self) -> bool {
        self.loaded.get().is_some()
    }

    /// The restorer, loading it on the first call.
    pub fn get(&self) -> &Restorer {
        match self.load {
            Some(load) => self.loaded.get_or_init(load),
            None => Restorer::global(),
        }
    }
}

/// A leaf after analysis: its field and tokens.
struct Leaf {
    field: Option<TextField>,
    tokens: Vec<QTok>,
}

impl Planner<'_> {
    fn restorer(&self) -> &Restorer {
        self.restorer.get()
    }

    /// Plans a parsed query.
    pub fn plan(&self, q: &Query) -> Plan {
        let mut plan = Plan {
            positives: Vec::new(),
            negatives: Vec::new(),
            boosts: Vec::new(),
            cover_tokens: 0,
            cover_weight: self.weights.cover,
            needles: Vec::new(),
            warnings: Vec::new(),
            restored: None,
        };
        let top: Vec<&Query> = match q {
            Query::And(v) => v.iter().collect(),
            q => vec![q],
        };
        for item in &top {
            match item {
                Query::Not(inner) => plan.negatives.extend(self.node(inner)),
                q => plan.positives.extend(self.node(q)),
            }
        }
        let mut all = Vec::new();
        all_leaves(q, &mut all);
        if all
            .iter()
            .any(|l| leaf_text(l).is_some_and(|t| tokenize(t).len() > MAX_PHRASE_TOKENS))
        {
            plan.warnings.push(format!(
                "a phrase or word is long: only its first {MAX_PHRASE_TOKENS} words are used"
            ));
        }
        let mut leaves = Vec::new();
        q.positive_leaves(&mut leaves);
        for l in leaves {
            if let Some(leaf) = analyze_leaf(l) {
                plan.needles.push(Needle {
                    field: leaf.field,
                    tokens: leaf.tokens,
                });
            }
        }
        // A query typed with accents anywhere is taken as typed: its words without
        // marks are meant that way (`trong`, `cho`), and nothing is restored.
        let typed_with_accents = plan
            .needles
            .iter()
            .any(|n| n.tokens.iter().any(|t| t.accented));
        let mut runs: Vec<(String, String)> = Vec::new();
        let restore = self.restore && !typed_with_accents;
        plan.cover_tokens = self.boosts(&top, &mut plan.boosts, restore, &mut runs);
        if runs.iter().any(|(run, restored)| run != restored) {
            let text = query_text(q);
            // one run of plain words (the usual query): its restored text is known
            let restored = match runs.as_slice() {
                [(run, restored)] if *run == text => restored.clone(),
                _ => self.restorer().restore(&text),
            };
            plan.restored = Some(restored);
        }
        plan
    }

    /// The tantivy query of one node, or `None` when it has nothing to search for
    /// (a word of punctuation only).
    fn node(&self, q: &Query) -> Option<Box<dyn TQuery>> {
        match q {
            Query::Word { .. } | Query::Phrase { .. } => {
                let leaf = analyze_leaf(q)?;
                Some(self.leaf(&leaf))
            }
            Query::And(v) => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                let mut positive = false;
                for c in v {
                    match c {
                        Query::Not(inner) => {
                            if let Some(x) = self.node(inner) {
                                clauses.push((Occur::MustNot, x));
                            }
                        }
                        c => {
                            if let Some(x) = self.node(c) {
                                positive = true;
                                clauses.push((Occur::Must, x));
                            }
                        }
                    }
                }
                if !positive {
                    if clauses.is_empty() {
                        return None;
                    }
                    clauses.push((Occur::Must, all()));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Query::Or(v) => {
                let alts: Vec<(Occur, Box<dyn TQuery>)> = v
                    .iter()
                    .filter_map(|c| self.node(c))
                    .map(|x| (Occur::Should, x))
                    .collect();
                match alts.len() {
                    0 => None,
                    1 => alts.into_iter().next().map(|(_, x)| x),
                    _ => Some(Box::new(BooleanQuery::new(alts))),
                }
            }
            Query::Not(inner) => {
                // A negation inside OR: everything without it.
                let x = self.node(inner)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, all()),
                    (Occur::MustNot, x),
                ])))
            }
        }
    }

    /// The fields a leaf is searched in, with their weights.
    fn leaf_fields(&self, field: Option<TextField>) -> Vec<(TextField, f32)> {
        let w = self.weights;
        match field {
            None => vec![
                (TextField::Title, w.title),
                (TextField::Kicker, w.kicker),
                (TextField::Lead, w.lead),
                (TextField::Body, w.body),
            ],
            Some(f @ (TextField::Author | TextField::Category | TextField::Source)) => {
                vec![(f, w.named)]
            }
            Some(f) => vec![(f, 1.0)],
        }
    }

    fn leaf(&self, leaf: &Leaf) -> Box<dyn TQuery> {
        let fields = self.leaf_fields(leaf.field);
        let per_field = |m: &dyn Fn(TextField) -> Box<dyn TQuery>| {
            union(fields.iter().map(|&(f, w)| boost(m(f), w)).collect())
        };
        match self.accents {
            Accents::Strict => per_field(&|f| self.strict(f, &leaf.tokens)),
            Accents::Loose => {
                let folded = per_field(&|f| self.folded_only(f, &leaf.tokens));
                if !leaf.tokens.iter().any(|t| t.accented) {
                    return folded;
                }
                // An exact-accent match anywhere puts the article in a higher tier.
                let exact = per_field(&|f| self.strict(f, &leaf.tokens));
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, folded),
                    (
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(exact, self.weights.exact_bonus)),
                    ),
                ]))
            }
        }
    }

    /// Accented tokens exact, others folded.
    fn strict(&self, f: TextField, tokens: &[QTok]) -> Box<dyn TQuery> {
        let (x, fo) = (self.fields.exact(f), self.fields.folded(f));
        let term = |t: &QTok| {
            if t.accented {
                Term::from_field_text(x, &t.normalized)
            } else {
                Term::from_field_text(fo, &t.folded)
            }
        };
        if tokens.len() == 1 {
            return Box::new(TermQuery::new(
                term(&tokens[0]),
                IndexRecordOption::WithFreqs,
            ));
        }
        let all_accented = tokens.iter().all(|t| t.accented);
        let none_accented = tokens.iter().all(|t| !t.accented);
        if all_accented || none_accented {
            Box::new(PhraseQuery::new_with_offset(
                tokens
                    .iter()
                    .map(|t| (t.offset as usize, term(t)))
                    .collect(),
            ))
        } else {
            Box::new(MixedPhraseQuery::new(
                tokens.iter().map(|t| (t.offset, term(t))).collect(),
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(fo, &t.folded))
                    .collect(),
            ))
        }
    }

    /// Every token folded.
    fn folded_only(&self, f: TextField, tokens: &[QTok]) -> Box<dyn TQuery> {
        phrase_or_term(
            self.fields.folded(f),
            tokens.iter().map(|t| (t.offset, t.folded.as_str())),
        )
    }

    /// Proximity boosts over the runs of plain top-level words; returns the number of
    /// tokens in those runs.
    fn boosts(
        &self,
        top: &[&Query],
        out: &mut Vec<Boost>,
        restore: bool,
        runs: &mut Vec<(String, String)>,
    ) -> u32 {
        let mut run: Vec<&str> = Vec::new();
        let mut base = 0;
        for q in top {
            match q {
                Query::Word { field: None, text } => run.push(text),
                _ => {
                    base += self.run_boosts(&run.join(" "), base, out, restore, runs);
                    run.clear();
                }
            }
        }
        base + self.run_boosts(&run.join(" "), base, out, restore, runs)
    }

    /// Boosts for one run of words whose first token is query token `base`; returns
    /// the run's token count. Sets `changed` when restoration changed a word.
    fn run_boosts(
        &self,
        text: &str,
        base: u32,
        out: &mut Vec<Boost>,
        restore: bool,
        runs: &mut Vec<(String, String)>,
    ) -> u32 {
        let mut tokens = tokenize(text);
        tokens.truncate(MAX_BOOST_TOKENS.saturating_sub(base) as usize);
        let n = tokens.len() as u32;
        let w = self.weights;
        let q = QTok::from_tokens(&tokens);
        if restore
            && n > 0
            && let Some(r) = self.restore_boosts(text, &q, out)
        {
            runs.push((text.to_string(), r));
        }
        if n < 2 {
            return n;
        }
        for (i, pair) in q.windows(2).enumerate() {
            if pair[1].offset != pair[0].offset + 1 {
                continue;
            }
            let pair = [
                QTok {
                    offset: 0,
                    ..pair[0].clone()
                },
                QTok {
                    offset: 1,
                    ..pair[1].clone()
                },
            ];
            let at = base + i as u32;
            self.phrase_boost(&pair, w.pair_title, w.pair_body, at..at + 2, out);
        }
        let words = Segmenter::global().segment_tokens(text, &tokens);
        for r in words {
            if r.len() < 2 || r.end > q.len() {
                continue;
            }
            let first = q[r.start].offset;
            let covers = base + r.start as u32..base + r.end as u32;
            let word: Vec<QTok> = q[r]
                .iter()
                .map(|t| QTok {
                    offset: t.offset - first,
                    ..t.clone()
                })
                .collect();
            self.phrase_boost(&word, w.word_title, w.word_body, covers, out);
        }
        n
    }

    /// Boosts for the restored reading of a run's words typed without diacritics
    /// (`q`, the tokens of `text`): each restored syllable in its accented form, and
    /// each pair of consecutive syllables with at least one restored one as an exact
    /// phrase, weighted by the restorer's confidence. They only reorder, and cover no
    /// token (the coverage bonus stays the folded words'). Returns the run as restored when a word changed.
    fn restore_boosts(&self, text: &str, q: &[QTok], out: &mut Vec<Boost>) -> Option<String> {
        if q.iter().all(|t| t.accented) {
            return None;
        }
        let syl = self.restorer().analyze(text);
        if syl.len() < q.len() {
            return None;
        }
        let w = self.weights;
        let mut changed = false;
        // (token in its restored reading, confidence; 0 when not restored)
        let reading: Vec<(QTok, f32)> = q
            .iter()
            .zip(&syl)
            .map(|(t, s)| {
                if t.accented || !s.open || s.choices < 2 {
                    return (t.clone(), 0.0);
                }
                changed |= s.changed;
                if s.confidence < w.restore_min_conf {
                    return (t.clone(), 0.0);
                }
                (
                    QTok {
                        normalized: s.form.clone(),
                        accented: true,
                        ..t.clone()
                    },
                    s.confidence,
                )
            })
            .collect();
        // only syllables in a pair the model knows are boosted: a restoration that is
        // sure of single syllables but has never seen them together (keywords picked
        // from an article, not a phrase) is not trusted
        let known = |i: usize| {
            syl.get(i).is_some_and(|s| s.known_pair) || syl.get(i + 1).is_some_and(|s| s.known_pair)
        };
        let reading: Vec<(QTok, f32)> = reading
            .into_iter()
            .enumerate()
            .map(|(i, (t, c))| if known(i) { (t, c) } else { (t, 0.0) })
            .collect();
        for (t, c) in &reading {
            if *c > 0.0 && w.restore_term > 0.0 {
                let one = [QTok {
                    offset: 0,
                    ..t.clone()
                }];
                let wt = w.restore_term * c;
                self.exact_boost(&one, wt, wt, out);
            }
        }
        for (i, pair) in reading.windows(2).enumerate() {
            let ((a, ca), (b, cb)) = (&pair[0], &pair[1]);
            if b.offset != a.offset + 1 || (*ca == 0.0 && *cb == 0.0) || !syl[i + 1].known_pair {
                continue;
            }
            let conf = if *ca == 0.0 {
                *cb
            } else if *cb == 0.0 {
                *ca
            } else {
                ca * cb
            };
            let two = [
                QTok {
                    offset: 0,
                    ..a.clone()
                },
                QTok {
                    offset: 1,
                    ..b.clone()
                },
            ];
            self.exact_boost(
                &two,
                w.restore_pair_title * conf,
                w.restore_pair_body * conf,
                out,
            );
        }
        // the run with each changed syllable replaced, for the `restored` message
        changed.then(|| {
            let mut r = String::with_capacity(text.len() + text.len() / 2);
            let mut at = 0;
            for x in syl.iter().filter(|x| x.changed) {
                r.push_str(&text[at..x.start]);
                r.push_str(&x.restored);
                at = x.end;
            }
            r.push_str(&text[at..]);
            r
        })
    }

    /// A phrase under the per-term accent rule (accented tokens exact, whatever
    /// [`Accents`] says) in the title (weight `wt`) or the lead or body (`wb`),
    /// covering no query token.
    fn exact_boost(&self, tokens: &[QTok], wt: f32, wb: f32, out: &mut Vec<Boost>) {
        for (f, w) in [
            (TextField::Title, wt),
            (TextField::Lead, wb),
            (TextField::Body, wb),
        ] {
            if w <= 0.0 {
                continue;
            }
            let (x, fo) = (self.fields.exact(f), self.fields.folded(f));
            let folded: Vec<Term> = tokens
                .iter()
                .map(|t| Term::from_field_text(fo, &t.folded))
                .collect();
            let phrase = strict_phrase(tokens, x, fo, folded);
            out.push(Boost {
                weight: w,
                phrase,
                covers: 0..0,
            });
        }
    }

    /// A phrase in the title (weight `wt`) or the lead or body (weight `wb`), under
    /// the accent rule (with [`Accents::Loose`]: folded, plus the exact bonus).
    fn phrase_boost(
        &self,
        tokens: &[QTok],
        wt: f32,
        wb: f32,
        covers: std::ops::Range<u32>,
        out: &mut Vec<Boost>,
    ) {
        let mut push = |weight: f32, phrase: MixedPhraseQuery| {
            out.push(Boost {
                weight,
                phrase,
                covers: covers.clone(),
            })
        };
        for (f, w) in [
            (TextField::Title, wt),
            (TextField::Lead, wb),
            (TextField::Body, wb),
        ] {
            if w <= 0.0 {
                continue;
            }
            let (x, fo) = (self.fields.exact(f), self.fields.folded(f));
            let folded_terms: Vec<Term> = tokens
                .iter()
                .map(|t| Term::from_field_text(fo, &t.folded))
                .collect();
            let strict = strict_phrase(tokens, x, fo, folded_terms.clone());
            match self.accents {
                Accents::Strict => push(w, strict),
                Accents::Loose => {
                    let folded = MixedPhraseQuery::new(
                        tokens
                            .iter()
                            .zip(&folded_terms)
                            .map(|(t, term)| (t.offset, term.clone()))
                            .collect(),
                        folded_terms.clone(),
                    );
                    push(w, folded);
                    if tokens.iter().any(|t| t.accented) {
                        push(w, strict);
                    }
                }
            }
        }
    }
}

/// Most tokens of one word or phrase that are searched; the rest are dropped (with a
/// warning), which bounds the work of a pasted paragraph in quotes.
pub const MAX_PHRASE_TOKENS: usize = 32;

/// Most query tokens given proximity boosts.
pub const MAX_BOOST_TOKENS: u32 = 64;

fn analyze_leaf(q: &Query) -> Option<Leaf> {
    let (field, text) = match q {
        Query::Word { field, text } | Query::Phrase { field, text } => (*field, text),
        _ => return None,
    };
    let mut tokens = tokenize(text);
    if tokens.is_empty() {
        return None;
    }
    tokens.truncate(MAX_PHRASE_TOKENS);
    Some(Leaf {
        field,
        tokens: QTok::from_tokens(&tokens),
    })
}

/// The query's words and phrases as text, in order (what restoration reads for the
/// `restored` message): exclusions and operators are left out.
fn query_text(q: &Query) -> String {
    let mut leaves = Vec::new();
    q.positive_leaves(&mut leaves);
    leaves
        .iter()
        .filter_map(|l| leaf_text(l))
        .collect::<Vec<_>>()
        .join(" ")
}

fn leaf_text(q: &Query) -> Option<&str> {
    match q {
        Query::Word { text, .. } | Query::Phrase { text, .. } => Some(text),
        _ => None,
    }
}

/// Every word and phrase, also under exclusions.
fn all_leaves<'a>(q: &'a Query, out: &mut Vec<&'a Query>) {
    match q {
        Query::Word { .. } | Query::Phrase { .. } => out.push(q),
        Query::And(v) | Query::Or(v) => v.iter().for_each(|c| all_leaves(c, out)),
        Query::Not(c) => all_leaves(c, out),
    }
}

fn phrase_or_term<'a>(field: Field, toks: impl Iterator<Item = (u32, &'a str)>) -> Box<dyn TQuery> {
    let terms: Vec<(usize, Term)> = toks
        .map(|(o, s)| (o as usize, Term::from_field_text(field, s)))
        .collect();
    if terms.len() == 1 {
        let t = terms
            .into_iter()
            .next()
            .map(|x| x.1)
            .unwrap_or_else(|| Term::from_field_text(field, ""));
        Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

fn all() -> Box<dyn TQuery> {
    Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0))
}

fn boost(q: Box<dyn TQuery>, w: f32) -> Box<dyn TQuery> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

fn union(mut qs: Vec<Box<dyn TQuery>>) -> Box<dyn TQuery> {
    if qs.len() == 1 {
        return qs.remove(0);
    }
    Box::new(FieldUnionQuery::new(qs))
}

/// `tokens` as a phrase under the accent rule: an accented syllable matches the exact
/// field `x`, a plain one the folded field `fo`; `folded` are the folded terms the
/// phrase's positions are checked against.
fn strict_phrase(tokens: &[QTok], x: Field, fo: Field, folded: Vec<Term>) -> MixedPhraseQuery {
    MixedPhraseQuery::new(
        tokens
            .iter()
            .map(|t| {
                let term = if t.accented {
                    Term::from_field_text(x, &t.normalized)
                } else {
                    Term::from_field_text(fo, &t.folded)
                };
                (t.offset, term)
            })
            .collect(),
        folded,
    )
}

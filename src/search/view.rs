//! One stored article for reading: the article, the query's words in it, and its
//! syndicated copies.
//!
//! [`view`] finds the article by id; with a query it marks the query's words in the
//! title, kicker, lead and body (the snippet rules: accents, fields), and it lists the
//! other articles whose fingerprint says they are copies of the same story
//! ([`crate::index::near_duplicate`]), found by one pass over the `fingerprint` fast
//! field. Serialized, a [`View`] is the `get --json` object plus `"highlights"` (when a
//! query was given: `{"title": [[start, end]], "kicker", "lead", "body"}` in
//! characters) and `"copies"` (`[{"id", "url", "source", "title", "date"}]`).

use serde::Serialize;
use tantivy::DocAddress;

use super::{Accents, QueryError, Weights, json, parse, plan, snippet};
use crate::article::Article;
use crate::index::{Archive, TextField, near_duplicate};

/// Most copies listed.
pub const MAX_COPIES: usize = 20;

/// Character ranges of the query's words in each text field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Highlights {
    pub title: Vec<[usize; 2]>,
    pub kicker: Vec<[usize; 2]>,
    pub lead: Vec<[usize; 2]>,
    pub body: Vec<[usize; 2]>,
}

/// Another article with the same story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Syndicated {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    #[serde(with = "crate::article::pub_date_serde")]
    pub date: Option<crate::article::PubDate>,
}

/// An article as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    #[serde(flatten)]
    pub article: Article,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Highlights>,
    pub copies: Vec<Syndicated>,
}

fn err(archive: &Archive, source: tantivy::TantivyError) -> QueryError {
    QueryError::Search {
        index: archive.dir().to_path_buf(),
        source,
    }
}

fn corrupt(archive: &Archive, e: impl std::fmt::Display) -> QueryError {
    QueryError::Corrupt {
        index: archive.dir().to_path_buf(),
        message: e.to_string(),
    }
}

/// The article `id` (`None` when there is none), with the words of `query` marked
/// when it is given and not blank.
pub fn view(
    archive: &Archive,
    id: &str,
    query: Option<&str>,
    accents: Accents,
) -> Result<Option<View>, QueryError> {
    let searcher = archive.searcher();
    let fields = archive.fields();
    let Some(addr) =
        crate::index::find_id(&searcher, fields, id).map_err(|e| corrupt(archive, e))?
    else {
        return Ok(None);
    };
    let article = read(archive, &searcher, addr)?;
    let highlights = match query.filter(|q| !q.trim().is_empty()) {
        Some(q) => Some(highlight(archive, &article, q, accents)?),
        None => None,
    };
    let copies = copies(archive, &searcher, addr)?;
    Ok(Some(View {
        article,
        highlights,
        copies,
    }))
}

fn read(
    archive: &Archive,
    searcher: &tantivy::Searcher,
    addr: DocAddress,
) -> Result<Article, QueryError> {
    let stored: crate::index::stored::StoredJson =
        searcher.doc(addr).map_err(|e| err(archive, e))?;
    serde_json::from_slice(&stored.0).map_err(|e| corrupt(archive, e))
}

/// The query's words in the article's title, kicker, lead and body.
pub fn highlight(
    archive: &Archive,
    a: &Article,
    query: &str,
    accents: Accents,
) -> Result<Highlights, QueryError> {
    let parsed = parse::parse(query)?;
    let weights = Weights::default();
    let planner = plan::Planner {
        fields: archive.fields(),
        accents,
        weights: &weights,
        restore: false,
        restorer: plan::RestorerSource::embedded(),
    };
    let needles = planner.plan(&parsed.query).needles;
    let mark = |field: TextField, text: Option<&str>| {
        let Some(text) = text else {
            return Vec::new();
        };
        let mine: Vec<&plan::Needle> = needles
            .iter()
            .filter(|n| snippet::applies(n, field))
            .collect();
        json::char_ranges(text, &snippet::highlight_all(text, &mine, accents))
    };
    Ok(Highlights {
        title: mark(TextField::Title, a.title.as_deref()),
        kicker: mark(TextField::Kicker, a.kicker.as_deref()),
        lead: mark(TextField::Lead, a.lead.as_deref()),
        body: mark(TextField::Body, Some(&a.body)),
    })
}

/// The other live articles whose fingerprint is a near duplicate of `addr`'s.
fn copies(
    archive: &Archive,
    searcher: &tantivy::Searcher,
    addr: DocAddress,
) -> Result<Vec<Syndicated>, QueryError> {
    let name = searcher
        .schema()
        .get_field_name(archive.fields().fingerprint)
        .to_string();
    let fp_of = |ord: u32| {
        searcher
            .segment_reader(ord)
            .fast_fields()
            .u64(&name)
            .map_err(|e| err(archive, e))
    };
    let Some(mine) = fp_of(addr.segment_ord)?.first(addr.doc_id) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    'segments: for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let col = fp_of(ord as u32)?;
        for doc in seg.doc_ids_alive() {
            let here = DocAddress::new(ord as u32, doc);
            if here != addr && col.first(doc).is_some_and(|fp| near_duplicate(mine, fp)) {
                found.push(here);
                if found.len() == MAX_COPIES {
                    break 'segments;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for a in found {
        let a = read(archive, searcher, a)?;
        out.push(Syndicated {
            id: a.id,
            url: a.url,
            source: a.source,
            title: a.title,
            date: a.date,
        });
    }
    Ok(out)
}

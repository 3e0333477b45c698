//! Where a crawl puts its articles: the [`Sink`] trait, and [`MemorySink`] for tests.
//!
//! The crawler calls a sink from one thread only, so a sink needs neither `Send`
//! nor locks; the index's writer implements it (see [`super::index_sink`]).

use std::collections::BTreeMap;

use crate::article::Article;

/// What [`Sink::put`] did with an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Added,
    Updated,
    Unchanged,
}

/// A sink failure (the index could not store or commit).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);

/// The store a crawl writes into.
pub trait Sink {
    /// Stores (or replaces, by id) one article; visible after the next [`commit`](Sink::commit).
    fn put(&mut self, article: &Article) -> Result<Stored, SinkError>;
    /// Makes everything put so far durable. The crawl marks URLs done only after this succeeds.
    fn commit(&mut self) -> Result<(), SinkError>;
}

/// An in-memory sink: committed and pending articles by id.
///
/// ```
/// use tintuc::fetch::{MemorySink, Sink, Stored};
/// let mut s = MemorySink::default();
/// let a = tintuc::Article { id: "x".into(), body: "b".into(), ..Default::default() };
/// assert_eq!(s.put(&a).unwrap(), Stored::Added);
/// assert_eq!(s.put(&a).unwrap(), Stored::Unchanged);
/// assert!(s.committed.is_empty());
/// s.commit().unwrap();
/// assert_eq!(s.committed.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct MemorySink {
    /// Articles as of the last commit.
    pub committed: BTreeMap<String, Article>,
    /// Articles put since the last commit.
    pub pending: BTreeMap<String, Article>,
    /// Number of commits made.
    pub commits: usize,
}

impl Sink for MemorySink {
    fn put(&mut self, article: &Article) -> Result<Stored, SinkError> {
        let old = self
            .pending
            .get(&article.id)
            .or_else(|| self.committed.get(&article.id));
        let res = match old {
            Some(o) if o.content_hash() == article.content_hash() => return Ok(Stored::Unchanged),
            Some(_) => Stored::Updated,
            None => Stored::Added,
        };
        self.pending.insert(article.id.clone(), article.clone());
        Ok(res)
    }

    fn commit(&mut self) -> Result<(), SinkError> {
        self.committed.append(&mut self.pending);
        self.commits += 1;
        Ok(())
    }
}

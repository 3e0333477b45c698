//! The tantivy index: schema, ingest (upsert by id), dedup fingerprints, stats, reindex.
//!
//! [`Archive`] opens or creates an index folder; [`ArchiveWriter`] upserts articles
//! (an article with the same id replaces the old one only when its content changed).
//! (First version; the index work hardens it: parallel ingest, fingerprints, stats.)

pub mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, TantivyDocument, Term};

use crate::analysis::ANALYZER_VERSION;
use crate::article::Article;
pub use schema::{Fields, TextField};

/// What went wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} (run `tintuc ingest` first)")]
    Missing(PathBuf),
    #[error("index at {0} is locked by another writer (an ingest or crawl is running)")]
    Locked(PathBuf),
    #[error(
        "index at {path} was built by analyzer version {found}, this tintuc uses {expected}: run `tintuc reindex`"
    )]
    AnalyzerVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("index at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("stored article {id} is unreadable: {message}")]
    Corrupt { id: String, message: String },
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Updated,
    Unchanged,
}

/// An open index folder.
pub struct Archive {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    reader: IndexReader,
}

impl Archive {
    /// Opens the index in `dir`, or creates it (and the folder).
    pub fn open_or_create(dir: &Path) -> Result<Archive, IndexError> {
        if dir.join("meta.json").exists() {
            return Archive::open(dir);
        }
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(dir, schema).map_err(|e| tantivy_err(dir, e))?;
        Archive::from_index(dir, index)
    }

    /// Opens an existing index.
    pub fn open(dir: &Path) -> Result<Archive, IndexError> {
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir).map_err(|e| tantivy_err(dir, e))?;
        Archive::from_index(dir, index)
    }

    fn from_index(dir: &Path, index: Index) -> Result<Archive, IndexError> {
        crate::analysis::tantivy::register(index.tokenizers());
        let (_, fields) = schema::build();
        let reader = index.reader().map_err(|e| tantivy_err(dir, e))?;
        let _ = ANALYZER_VERSION;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn index(&self) -> &Index {
        &self.index
    }
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
    /// A searcher over the last commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Takes the index's writer lock.
    pub fn writer(&self, memory_mb: usize) -> Result<ArchiveWriter<'_>, IndexError> {
        let writer = self
            .index
            .writer(memory_mb.max(15) * 1_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked(self.dir.clone()),
                e => tantivy_err(&self.dir, e),
            })?;
        Ok(ArchiveWriter {
            archive: self,
            writer,
            pending: HashMap::new(),
        })
    }

    /// The stored article with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<Article>, IndexError> {
        let searcher = self.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| tantivy_err(&self.dir, e))?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*addr).map_err(|e| tantivy_err(&self.dir, e))?;
        let bytes = doc
            .get_first(self.fields.doc)
            .and_then(|v| v.as_bytes())
            .unwrap_or_default();
        serde_json::from_slice(bytes)
            .map(Some)
            .map_err(|e| IndexError::Corrupt {
                id: id.to_string(),
                message: e.to_string(),
            })
    }

    fn stored_hash(&self, id: &str) -> Result<Option<u64>, IndexError> {
        Ok(self.get(id)?.map(|a| a.content_hash()))
    }
}

/// The single writer of an [`Archive`]; changes become visible at [`commit`](Self::commit).
pub struct ArchiveWriter<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    /// Content hashes of ids written since the last commit.
    pending: HashMap<String, u64>,
}

impl ArchiveWriter<'_> {
    /// Adds the article, replaces the stored one with the same id if its content
    /// changed, or does nothing if it did not.
    pub fn upsert(&mut self, article: &Article) -> Result<Upsert, IndexError> {
        let hash = article.content_hash();
        let previous = match self.pending.get(&article.id) {
            Some(h) => Some(*h),
            None => self.archive.stored_hash(&article.id)?,
        };
        if previous == Some(hash) {
            return Ok(Upsert::Unchanged);
        }
        let f = &self.archive.fields;
        if previous.is_some() {
            self.writer
                .delete_term(Term::from_field_text(f.id, &article.id));
        }
        self.writer
            .add_document(to_document(article, f, hash))
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        self.pending.insert(article.id.clone(), hash);
        Ok(if previous.is_some() {
            Upsert::Updated
        } else {
            Upsert::Added
        })
    }

    /// Deletes the article with this id; true when it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, IndexError> {
        let existed = self.pending.remove(id).is_some() || self.archive.get(id)?.is_some();
        self.writer
            .delete_term(Term::from_field_text(self.archive.fields.id, id));
        Ok(existed)
    }

    /// Makes every change so far durable and visible to new searchers.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer
            .commit()
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        self.archive
            .reader
            .reload()
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        self.pending.clear();
        Ok(())
    }
}

/// The tantivy document for an article.
pub fn to_document(a: &Article, f: &Fields, hash: u64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &a.id);
    if let Some(u) = &a.url {
        d.add_text(f.url, u);
    }
    if let Some(s) = &a.source {
        d.add_text(f.source_key, s);
    }
    if let Some(ts) = a.date {
        d.add_date(f.date, DateTime::from_timestamp_secs(ts.as_second()));
    }
    d.add_u64(f.hash, hash);
    d.add_u64(f.fingerprint, 0);
    d.add_bytes(f.doc, serde_json::to_vec(a).unwrap_or_default().as_slice());
    for (tf, x, fo) in &f.text {
        if let Some(t) = tf.text(a).filter(|t| !t.is_empty()) {
            d.add_text(*x, t);
            d.add_text(*fo, t);
        }
    }
    d
}

fn tantivy_err(dir: &Path, source: tantivy::TantivyError) -> IndexError {
    IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    }
}

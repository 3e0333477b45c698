//! The tantivy index: schema, ingest (upsert by id), near-duplicate fingerprints,
//! stats and reindex.
//!
//! An index folder (`index/` by default) looks like this:
//!
//! ```text
//! index/
//!   tintuc.json   analyzer and schema versions, and which generation is current (meta)
//!   .lock         the writer lock (ingest, crawl, delete, reindex); readers never take it
//!   gen-1/        the tantivy index of the current generation (meta.json, segments)
//! ```
//!
//! [`Archive`] opens a folder (searching needs nothing else); [`Archive::writer`] takes
//! the lock and gives an [`ArchiveWriter`], which upserts articles by id: an article
//! with the same id replaces the old one only when its
//! [`content_hash`](crate::Article::content_hash) changed. Changes become visible,
//! and durable, at each [`commit`](ArchiveWriter::commit); a process killed at any
//! moment leaves the index at its last commit. [`ingest()`](ingest::ingest) runs the
//! whole pipeline (reading thread, bounded queues, periodic commits),
//! [`stats`](Archive::stats) summarizes, [`reindex()`](reindex::reindex) rebuilds every
//! article from the stored originals into a new generation and swaps it in atomically.

pub mod fingerprint;
pub mod ingest;
pub mod lock;
pub mod meta;
pub mod prefetch;
pub mod reindex;
pub mod restore_stats;
pub mod schema;
pub mod stats;
pub mod stored;
mod writer;

use std::path::{Path, PathBuf};

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Index, IndexReader, ReloadPolicy, Searcher, TERMINATED, Term};

use crate::article::Article;
pub use fingerprint::near_duplicate;
pub use ingest::{IngestOptions, IngestReport};
pub use meta::{IndexMeta, SCHEMA_VERSION};
pub use schema::{Fields, TextField};
pub use stats::Stats;
pub use writer::{ArchiveWriter, Prepared, RESERVED, Upsert, WriterOptions, to_document};

/// What went wrong with the index. Every variant names the index folder (or the
/// article) and the problem.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} (run `tintuc ingest` first)")]
    Missing(PathBuf),
    #[error(
        "index at {0} is locked by another writer (an ingest, crawl, delete or reindex is running)"
    )]
    Locked(PathBuf),
    #[error(
        "index at {path} was built by analyzer version {found}, this tintuc uses {expected}: run `tintuc reindex`"
    )]
    AnalyzerVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "index at {path} has schema version {found}, this tintuc uses {expected}: run `tintuc reindex`"
    )]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "index at {path}: {} is damaged ({message}): re-ingest the sources into a new index, or restore the file from a backup",
        meta::META_FILE
    )]
    BadMeta { path: PathBuf, message: String },
    /// The generation folder named by `tintuc.json` does not open (a deleted or cut
    /// file): its stored originals are unreadable too, so `reindex` cannot help.
    #[error(
        "index at {path} is damaged ({data}: {message}): re-ingest the sources into a new index (crawled pages are kept in {path}/raw), or restore the folder from a backup"
    )]
    Damaged {
        path: PathBuf,
        data: String,
        message: String,
    },
    #[error("index at {0} was rebuilt by another process meanwhile; run the command again")]
    Changed(PathBuf),
    #[error("index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    /// Writing the index failed part-way (a full disk, a file size limit, a
    /// device error): nothing of the failed commit is kept.
    #[error("index at {path}: writing failed ({cause}); the index stays at its last commit")]
    WriteFailed { path: PathBuf, cause: String },
    #[error("index at {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("stored article {id} is unreadable: {message}")]
    Corrupt { id: String, message: String },
}

/// An open index folder, at its last commit.
pub struct Archive {
    dir: PathBuf,
    meta: IndexMeta,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    restore: restore_stats::StatsCache,
}

/// How an archive's files are read: by searches (a few pages here and there) or by a
/// writer (whose merges read whole segments).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    Search,
    Write,
}

/// Opens a generation's tantivy index. For searching, its files are mapped with
/// `MADV_RANDOM`: a page fault then reads that page, not the kernel's read-ahead window
/// around it (which some systems set to megabytes). A first search from a cold page
/// cache at 100,000 articles read 141 MB of index files with read-ahead (8 MiB here)
/// and 1.3 MB without. Writers keep read-ahead for their merges.
fn open_data(data_dir: &Path, access: Access) -> tantivy::Result<Index> {
    match access {
        Access::Search => Index::open(prefetch::PrefetchDirectory::new(
            tantivy::directory::MmapDirectory::open_with_madvice(
                data_dir,
                tantivy::directory::Advice::Random,
            )?,
        )),
        Access::Write => Index::open_in_dir(data_dir),
    }
}

impl Archive {
    /// Opens the index in `dir`, or creates an empty one (and the folder).
    pub fn open_or_create(dir: &Path) -> Result<Archive, IndexError> {
        if IndexMeta::read(dir)?.is_none() {
            let _lock = lock::DirLock::acquire(dir)?;
            if IndexMeta::read(dir)?.is_none() {
                create_generation(dir, 1)?.write(dir)?;
            }
        }
        Archive::open_inner(dir, true, Access::Write)
    }

    /// Opens an existing index; fails with [`IndexError::Missing`] when there is none
    /// and with [`IndexError::AnalyzerVersion`] / [`IndexError::SchemaVersion`] when
    /// another tintuc built it (`tintuc reindex` rebuilds it). Opened for searching:
    /// the files are mapped for random access ([`Archive::open_or_create`] is the
    /// writers' open).
    pub fn open(dir: &Path) -> Result<Archive, IndexError> {
        Archive::open_inner(dir, true, Access::Search)
    }

    /// Opens an existing index whatever analyzer built it (for `stats`, `get` and
    /// `delete`, which do not analyze text); [`Archive::check_version`] tells.
    pub fn open_any_version(dir: &Path) -> Result<Archive, IndexError> {
        Archive::open_inner(dir, false, Access::Search)
    }

    fn open_inner(dir: &Path, check: bool, access: Access) -> Result<Archive, IndexError> {
        // A reindex may swap generations between reading tintuc.json and opening the
        // data: read again and retry then.
        let mut last_err = None;
        for _ in 0..3 {
            let meta = IndexMeta::read(dir)?.ok_or_else(|| IndexError::Missing(dir.into()))?;
            if check {
                meta.check(dir)?;
            }
            let opened = open_data(&meta.data_dir(dir), access)
                .map_err(|e| damaged(dir, &meta, e))
                .and_then(|index| Archive::from_index(dir, meta.clone(), index));
            match opened {
                Ok(archive) => return Ok(archive),
                Err(e) => {
                    let now = IndexMeta::read(dir)?;
                    if now.as_ref() == Some(&meta) {
                        return Err(e);
                    }
                    last_err = Some(e);
                }
            }
        }
        Err(last_err.unwrap_or_else(|| IndexError::Changed(dir.into())))
    }

    fn from_index(dir: &Path, meta: IndexMeta, index: Index) -> Result<Archive, IndexError> {
        crate::analysis::tantivy::register(index.tokenizers());
        let fields =
            Fields::from_schema(&index.schema()).map_err(|_| IndexError::SchemaVersion {
                path: dir.to_path_buf(),
                found: meta.schema_version,
                expected: SCHEMA_VERSION,
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damaged(dir, &meta, e))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            meta,
            index,
            fields,
            reader,
            restore: Default::default(),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The folder's `tintuc.json` as read at open.
    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }
    /// `Err` when the index was built by another analyzer or schema version.
    pub fn check_version(&self) -> Result<(), IndexError> {
        self.meta.check(&self.dir)
    }
    /// The tantivy index (its tokenizers are tintuc's).
    pub fn index(&self) -> &Index {
        &self.index
    }
    /// The schema's field handles.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
    /// A searcher over the last commit (as of opening, or of this process's last commit).
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Takes the index's writer lock ([`IndexError::Locked`] if another writer holds
    /// it) with a memory budget of `memory_mb` megabytes and one indexing thread per core.
    pub fn writer(&self, memory_mb: usize) -> Result<ArchiveWriter<'_>, IndexError> {
        self.writer_with(&WriterOptions {
            memory_mb,
            ..WriterOptions::default()
        })
    }

    /// [`Archive::writer`] with every option.
    pub fn writer_with(&self, opts: &WriterOptions) -> Result<ArchiveWriter<'_>, IndexError> {
        let lock = lock::DirLock::acquire(&self.dir)?;
        if IndexMeta::read(&self.dir)?.as_ref() != Some(&self.meta) {
            return Err(IndexError::Changed(self.dir.clone()));
        }
        remove_stale_generations(&self.dir, &self.meta);
        ArchiveWriter::new(self, lock, opts)
    }

    /// The stored article with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<Article>, IndexError> {
        let searcher = self.searcher();
        let Some(addr) = find_id(&searcher, &self.fields, id).map_err(|e| self.io_err(e))? else {
            return Ok(None);
        };
        let stored: stored::StoredJson =
            searcher.doc(addr).map_err(|e| tantivy_err(&self.dir, e))?;
        serde_json::from_slice(&stored.0)
            .map(Some)
            .map_err(|e| IndexError::Corrupt {
                id: id.to_string(),
                message: e.to_string(),
            })
    }

    /// Where the live document with this id is in [`searcher`](Self::searcher)'s
    /// view, if any (its fast fields, e.g. `fingerprint`, are read from there).
    pub fn address(&self, id: &str) -> Result<Option<DocAddress>, IndexError> {
        find_id(&self.searcher(), &self.fields, id).map_err(|e| self.io_err(e))
    }

    /// Re-reads the last commit (after another process wrote to the index).
    pub fn reload(&self) -> Result<(), IndexError> {
        self.restore.invalidate();
        self.reader.reload().map_err(|e| tantivy_err(&self.dir, e))
    }

    /// The accent restorer for this archive: the embedded model with the archive's
    /// own statistics ([`restore_stats`]), read on first use after each reload.
    pub fn restorer(&self) -> std::sync::Arc<crate::analysis::restore::Restorer> {
        self.restore.restorer(&self.meta.data_dir(&self.dir))
    }

    /// Whether [`Archive::restorer`] was asked for since the last reload.
    #[cfg(test)]
    pub(crate) fn restorer_loaded(&self) -> bool {
        self.restore.is_loaded()
    }

    fn io_err(&self, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: self.dir.clone(),
            source,
        }
    }
}

/// Where the live document with this id is, if any.
pub(crate) fn find_id(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> std::io::Result<Option<DocAddress>> {
    let term = Term::from_field_text(fields.id, id);
    for (ord, seg) in searcher.segment_readers().iter().enumerate() {
        let inverted = seg
            .inverted_index(fields.id)
            .map_err(std::io::Error::other)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !seg.is_deleted(doc) {
                return Ok(Some(DocAddress::new(ord as u32, doc)));
            }
            doc = postings.advance();
        }
    }
    Ok(None)
}

/// Creates generation folder `n` with an empty index of the current schema, and
/// returns its meta (not yet written).
fn create_generation(dir: &Path, n: u64) -> Result<IndexMeta, IndexError> {
    let meta = IndexMeta::current(n);
    let data = meta.data_dir(dir);
    if data.exists() {
        std::fs::remove_dir_all(&data).map_err(|source| IndexError::Io {
            path: data.clone(),
            source,
        })?;
    }
    std::fs::create_dir_all(&data).map_err(|source| IndexError::Io {
        path: data.clone(),
        source,
    })?;
    let (schema, _) = schema::build();
    Index::builder()
        .schema(schema)
        .settings(schema::settings())
        .create_in_dir(&data)
        .map_err(|e| tantivy_err(dir, e))?;
    Ok(meta)
}

/// Removes generation folders other than the current one: leftovers of a reindex
/// that was interrupted, or of one that swapped but could not clean up. Only called
/// with the writer lock held (only lock holders create generations).
fn remove_stale_generations(dir: &Path, current: &IndexMeta) {
    for (_, path) in meta::generations(dir) {
        if path != current.data_dir(dir) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// A generation that does not open: [`IndexError::Damaged`], with tantivy's message
/// on one line (it repeats its own cause; the first statement is enough).
pub(super) fn damaged(dir: &Path, meta: &IndexMeta, e: tantivy::TantivyError) -> IndexError {
    if matches!(e, tantivy::TantivyError::LockFailure(..)) {
        return tantivy_err(dir, e);
    }
    use tantivy::directory::error::OpenReadError;
    let first_sentence = |s: String| -> String {
        let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let cut = one.find(". ").map_or(one.as_str(), |i| &one[..i]);
        cut.chars().take(200).collect()
    };
    let message = match &e {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(p)) => {
            format!("{} is missing", p.display())
        }
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!(
                "{}: {}",
                filepath.display(),
                first_sentence(io_error.to_string())
            )
        }
        _ => first_sentence(e.to_string()),
    };
    IndexError::Damaged {
        path: dir.to_path_buf(),
        data: meta.data.clone(),
        message,
    }
}

fn tantivy_err(dir: &Path, source: tantivy::TantivyError) -> IndexError {
    use tantivy::TantivyError as E;
    let cause = match &source {
        // tantivy's indexing threads stop on an I/O error and keep only this message.
        E::ErrorInThread(_) => {
            Some("an indexing thread stopped on an I/O error: is the disk full?".to_string())
        }
        E::IoError(e) => write_cause(e),
        // Some of tantivy's writers (field norms, for one) keep only the I/O error's text.
        E::InternalError(m) => write_cause_in_text(m),
        _ => None,
    };
    match (source, cause) {
        (E::LockFailure(..), _) => IndexError::Locked(dir.to_path_buf()),
        (_, Some(cause)) => IndexError::WriteFailed {
            path: dir.to_path_buf(),
            cause,
        },
        (source, None) => IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        },
    }
}

/// What a write-time I/O error means for the user, when it is one of the errors a
/// writer meets on a healthy index (a full disk, a quota, a file size limit).
fn write_cause(e: &std::io::Error) -> Option<String> {
    use std::io::ErrorKind;
    let cause = match e.kind() {
        ErrorKind::StorageFull => "the disk is full",
        ErrorKind::FileTooLarge => "a file grew past the file size limit",
        ErrorKind::QuotaExceeded => "the disk quota is exceeded",
        _ => return None,
    };
    Some(cause.into())
}

/// [`write_cause`] for an error of which only the text is left (`... (os error 28)`):
/// the OS code gives the kind.
fn write_cause_in_text(message: &str) -> Option<String> {
    let code = message.rsplit_once("(os error ")?.1.split_once(')')?.0;
    write_cause(&std::io::Error::from_raw_os_error(
        code.trim().parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_time_io_errors_name_their_cause() {
        let dir = Path::new("/srv/idx");
        let msg = |e: tantivy::TantivyError| tantivy_err(dir, e).to_string();
        let io = |code| tantivy::TantivyError::from(std::io::Error::from_raw_os_error(code));
        assert_eq!(
            msg(io(28)),
            "index at /srv/idx: writing failed (the disk is full); the index stays at its last commit"
        );
        assert!(msg(io(27)).contains("writing failed (a file grew past the file size limit)"));
        // Only the text is left: the field norms writer's way (the CI failure of stop 16).
        let text = tantivy::TantivyError::InternalError("File too large (os error 27)".into());
        assert!(msg(text).contains("writing failed (a file grew past the file size limit)"));
        let thread = tantivy::TantivyError::ErrorInThread("x".into());
        assert!(msg(thread).contains("writing failed (an indexing thread stopped"));
        // Other errors are not dressed up as a full disk.
        let denied = io(13);
        assert!(!msg(denied).contains("writing failed"));
        let other = tantivy::TantivyError::InternalError("bad state (os error 2)".into());
        assert!(!msg(other).contains("writing failed"));
        assert!(write_cause_in_text("(os error 28").is_none());
    }

    pub(crate) fn article(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: Some(format!("Tiêu đề {id}")),
            source: Some("baomau.vn".into()),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn missing_folder_is_missing_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope");
        assert!(matches!(Archive::open(&path), Err(IndexError::Missing(_))));
        assert!(!path.exists());
        // A folder without tintuc.json (like the repo's index/ with its README) too.
        std::fs::write(dir.path().join("README.md"), "x").unwrap();
        assert!(matches!(
            Archive::open(dir.path()),
            Err(IndexError::Missing(_))
        ));
    }

    #[test]
    fn create_then_open_layout() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        assert_eq!(a.meta().data, "gen-1");
        assert!(dir.path().join("tintuc.json").is_file());
        assert!(dir.path().join("gen-1/meta.json").is_file());
        assert_eq!(a.searcher().num_docs(), 0);
        drop(a);
        let b = Archive::open(dir.path()).unwrap();
        assert!(b.check_version().is_ok());
    }

    #[test]
    fn upsert_get_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        let one = article("1", "Hà Nội mưa to");
        assert_eq!(w.upsert(&one).unwrap(), Upsert::Added);
        // Before the commit, a second copy is already known.
        assert_eq!(w.upsert(&one).unwrap(), Upsert::Unchanged);
        w.commit().unwrap();
        assert_eq!(a.get("1").unwrap(), Some(one.clone()));
        assert_eq!(w.upsert(&one).unwrap(), Upsert::Unchanged);
        let mut changed = one.clone();
        changed.body.push_str(" suốt đêm");
        assert_eq!(w.upsert(&changed).unwrap(), Upsert::Updated);
        assert_eq!(w.upsert(&changed).unwrap(), Upsert::Unchanged);
        w.commit().unwrap();
        assert_eq!(a.searcher().num_docs(), 1);
        assert_eq!(a.get("1").unwrap(), Some(changed));
        assert!(w.delete("1").unwrap());
        assert!(!w.delete("1").unwrap());
        assert!(!w.delete("2").unwrap());
        w.commit().unwrap();
        assert_eq!(a.get("1").unwrap(), None);
        assert_eq!(a.searcher().num_docs(), 0);
        // Re-adding a deleted id is an addition.
        assert_eq!(w.upsert(&one).unwrap(), Upsert::Added);
    }

    #[test]
    fn second_writer_is_locked_reader_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(32).unwrap();
        w.upsert(&article("x", "nội dung")).unwrap();
        w.commit().unwrap();
        let other = Archive::open(dir.path()).unwrap();
        assert!(matches!(other.writer(32), Err(IndexError::Locked(_))));
        assert_eq!(other.get("x").unwrap().map(|a| a.id), Some("x".into()));
        drop(w);
        assert!(other.writer(32).is_ok());
    }

    #[test]
    fn old_analyzer_version_is_refused_but_readable() {
        let dir = tempfile::tempdir().unwrap();
        drop(Archive::open_or_create(dir.path()).unwrap());
        let mut m = IndexMeta::read(dir.path()).unwrap().unwrap();
        m.analyzer_version = 0;
        m.write(dir.path()).unwrap();
        let e = Archive::open(dir.path()).err().unwrap();
        assert!(
            matches!(e, IndexError::AnalyzerVersion { found: 0, .. }),
            "{e}"
        );
        assert!(Archive::open_or_create(dir.path()).is_err());
        let any = Archive::open_any_version(dir.path()).unwrap();
        assert!(any.check_version().is_err());
    }
}

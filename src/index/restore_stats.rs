//! The archive's own accent-restoration statistics ([`crate::analysis::restore::archive`]),
//! kept with each generation as `gen-N/restore-stats.bin`.
//!
//! * **Incremental.** Each article an upsert *adds* or *updates* has its text counted
//!   (title, lead, body; [`article_stream`], computed with the tantivy document);
//!   an unchanged re-ingest counts nothing. An updated article's earlier version is
//!   not taken away: a correction repeats most of its n-grams, which are then counted
//!   twice, so the drift is bounded by the number of updates (rare in a news archive)
//!   and `reindex`, which rebuilds the generation article by article, counts exactly.
//!   Deleted articles are not taken away either.
//! * **Bounded.** The counts keep at most [`Limits::default`] forms and pairs (the
//!   rarest go first), at most about 17 MB on disk.
//! * **Crash-safe.** Written at each [`ArchiveWriter::commit`](super::ArchiveWriter::commit),
//!   after tantivy's commit, to a temporary file that is synced and renamed over the
//!   old one. A crash between the two loses that commit's articles from the
//!   statistics only (their re-ingest is then unchanged); a damaged or missing file
//!   reads as empty statistics and restoration falls back to the embedded model.
//! * **Read lazily.** `StatsCache` loads the file the first time a search needs a
//!   restorer and forgets it when the archive reloads (a new commit).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::IndexError;
use crate::analysis::restore::archive::{Counts, Limits, Words};
use crate::analysis::restore::{ArchiveStats, Restorer};
use crate::article::Article;

/// File name inside the generation folder.
pub const FILE: &str = "restore-stats.bin";

/// What [`article_stream`] gives and `StatsWriter::add` counts (`Send`).
pub type ArticleStream = Words;

/// The words of an article's title, lead and body ([`Words`]: raw words, read
/// without normalizing or copying the text; built on any thread).
pub fn article_stream(a: &Article) -> ArticleStream {
    let mut w = Words::new();
    let texts = [a.title.as_deref(), a.lead.as_deref(), Some(a.body.as_str())];
    for t in texts.into_iter().flatten() {
        w.push_text(t);
    }
    w
}

/// Reads the statistics of a generation folder (`None`: no file, or a damaged one).
pub fn read(data_dir: &Path) -> Option<ArchiveStats> {
    let file = std::fs::File::open(data_dir.join(FILE)).ok()?;
    // Mapped, not read: reading copied the whole file (15 MB at 20,000 articles)
    // into a fresh buffer, a third of a one-word command-line search's time.
    // SAFETY: the file is written under a temporary name and renamed into place
    // (`StatsWriter::commit`, `meta::write_atomic`), never changed after, and the
    // map lives only while `from_bytes` decodes it; like tantivy's own mapped index
    // files, it must not be truncated by another program meanwhile.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    ArchiveStats::from_bytes(&map).ok()
}

/// The writer's side: counts of the generation being written, loaded on the first
/// article counted.
pub(crate) struct StatsWriter {
    dir: PathBuf,
    counts: Option<Counts>,
    dirty: bool,
}

impl StatsWriter {
    pub(crate) fn new(data_dir: &Path) -> StatsWriter {
        StatsWriter {
            dir: data_dir.to_path_buf(),
            counts: None,
            dirty: false,
        }
    }

    /// Counts one article's words.
    pub(crate) fn add(&mut self, stream: &ArticleStream) {
        if stream.is_empty() {
            return;
        }
        let dir = &self.dir;
        let counts = self.counts.get_or_insert_with(|| match read(dir) {
            Some(s) => Counts::from_stats(&s, Limits::default()),
            None => Counts::new(Limits::default()),
        });
        counts.add(stream);
        self.dirty = true;
    }

    /// Writes the counts ([`super::meta::write_atomic`]) when anything was added.
    pub(crate) fn commit(&mut self) -> Result<(), IndexError> {
        let Some(counts) = self.counts.as_mut().filter(|_| self.dirty) else {
            return Ok(());
        };
        let bytes = counts.freeze().to_bytes();
        super::meta::write_atomic(&self.dir, FILE, &bytes)?;
        self.dirty = false;
        Ok(())
    }
}

/// The restorer of an open archive: the embedded model with the archive's
/// statistics, loaded on first use, dropped on reload.
#[derive(Default)]
pub(crate) struct StatsCache {
    slot: Mutex<Option<Arc<Restorer>>>,
}

impl StatsCache {
    /// The restorer for the generation in `data_dir`.
    pub(crate) fn restorer(&self, data_dir: &Path) -> Arc<Restorer> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = slot.as_ref() {
            return Arc::clone(r);
        }
        let base = Restorer::global();
        let r = Arc::new(match read(data_dir) {
            Some(s) => base.with_archive(Arc::new(s)),
            None => base.clone(),
        });
        *slot = Some(Arc::clone(&r));
        r
    }

    /// Whether the restorer is loaded (for tests of when it is asked for).
    #[cfg(test)]
    pub(crate) fn is_loaded(&self) -> bool {
        self.slot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Forgets the loaded statistics (the next use reads the file again).
    pub(crate) fn invalidate(&self) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Archive;

    fn art(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: Some("Ông Thọ về quê".into()),
            body: body.into(),
            ..Default::default()
        }
    }

    fn stats_of(a: &Archive) -> ArchiveStats {
        read(&a.meta().data_dir(a.dir())).expect("statistics file")
    }

    #[test]
    fn counted_at_commit_once_per_article_and_rebuilt_by_reindex() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        w.upsert(&art("1", "Ông Thọ nói.")).unwrap();
        w.upsert(&art("2", "Bà Thơ hát.")).unwrap();
        assert!(
            read(&a.meta().data_dir(a.dir())).is_none(),
            "nothing before the commit"
        );
        w.commit().unwrap();
        let s = stats_of(&a);
        let tho = s.id("^thọ").unwrap();
        assert_eq!(s.count(tho), 3);
        assert_eq!(s.pair(s.id("ông").unwrap(), tho), 3);
        // the same articles again: unchanged, not counted again
        w.upsert(&art("1", "Ông Thọ nói.")).unwrap();
        w.upsert(&art("2", "Bà Thơ hát.")).unwrap();
        w.commit().unwrap();
        assert_eq!(stats_of(&a), s);
        // a new writer goes on from the file
        drop(w);
        let mut w = a.writer(64).unwrap();
        w.upsert(&art("3", "Ông Thọ đi.")).unwrap();
        w.finish().unwrap();
        let s3 = stats_of(&a);
        assert_eq!(s3.count(s3.id("^thọ").unwrap()), 5);
        assert!(
            !a.meta()
                .data_dir(a.dir())
                .join(format!("{FILE}.tmp"))
                .exists()
        );
        // reindex counts the live articles into the new generation
        crate::index::reindex::reindex(dir.path(), &Default::default(), &mut |_| {}).unwrap();
        let b = Archive::open(dir.path()).unwrap();
        assert_ne!(b.meta().data, a.meta().data);
        assert_eq!(stats_of(&b), s3);
        // the archive's restorer uses them: `tho` after `ong` is the name
        let r = b.restorer();
        assert!(r.archive().is_some());
        assert_eq!(r.restore("ong Tho ve que"), "ông Thọ về quê");
    }

    #[test]
    fn damaged_file_reads_as_no_statistics() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        w.upsert(&art("1", "Ông Thọ nói.")).unwrap();
        w.commit().unwrap();
        drop(w);
        let f = a.meta().data_dir(a.dir()).join(FILE);
        std::fs::write(&f, b"TTRAS garbage").unwrap();
        a.reload().unwrap();
        assert!(a.restorer().archive().is_none());
        // the next writer starts counting afresh
        let mut w = a.writer(64).unwrap();
        w.upsert(&art("2", "Bà Thơ hát.")).unwrap();
        w.commit().unwrap();
        assert!(a.restorer().archive().is_some());
        // ... from nothing: both titles hold `Thọ`, but the damaged file's count of
        // article 1 is not carried over.
        let s = stats_of(&a);
        let count = |form: &str| s.id(form).map(|i| s.count(i));
        assert_eq!(count("^thọ"), Some(1));
        assert_eq!(count("^thơ"), Some(1));
    }
}

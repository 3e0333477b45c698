//! The index as it changes: the server's current [`Archive`], followed while other
//! processes write to it.
//!
//! Each [`Archive`] the server holds is a snapshot that never changes: its reader is
//! never reloaded. [`Live::refresh`] (run every [`REFRESH`] by the server) re-reads
//! `tintuc.json` and tantivy's `meta.json`; when a `reindex` swapped in another
//! generation, or an `ingest` or `crawl` running beside it committed (the last
//! commit's segments or deletes differ from the snapshot's), it opens a new
//! [`Archive`] and swaps it in with the next [`Snapshot::version`]. An idle index
//! keeps its snapshot (and the searcher's caches). A request takes one
//! [`Snapshot`] when it starts, so it finishes on the state it began with, and the
//! version names exactly that state (what the response cache keys on).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::index::{Archive, IndexError, IndexMeta};

/// How often the index is checked for new commits and generations.
pub const REFRESH: Duration = Duration::from_millis(500);

/// The current archive of an index folder.
pub struct Live {
    dir: PathBuf,
    current: RwLock<Snapshot>,
}

/// One state of the index: an archive that is never reloaded, and its number.
#[derive(Clone)]
pub struct Snapshot {
    pub archive: Arc<Archive>,
    /// 0 for the state the server started with, one more for each later one.
    pub version: u64,
}

/// What a refresh found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// Nothing changed since the last refresh.
    Unchanged,
    /// A commit was made since the last refresh: a new snapshot holds it.
    Reloaded,
    /// Another generation was opened (after a `reindex`).
    Swapped,
}

impl Live {
    /// Opens the index in `dir` (it must exist and be of this tintuc's versions).
    pub fn open(dir: &Path) -> Result<Live, IndexError> {
        let archive = Archive::open(dir)?;
        Ok(Live {
            dir: dir.to_path_buf(),
            current: RwLock::new(Snapshot {
                archive: Arc::new(archive),
                version: 0,
            }),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current state.
    pub fn snapshot(&self) -> Snapshot {
        // A poisoned lock still holds a valid snapshot (writers only replace it).
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// The current archive.
    pub fn get(&self) -> Arc<Archive> {
        self.snapshot().archive
    }

    /// Follows the folder: a new snapshot when another generation was swapped in or
    /// a commit was made since the current one.
    pub fn refresh(&self) -> Result<Refreshed, IndexError> {
        let now = self.snapshot();
        let meta =
            IndexMeta::read(&self.dir)?.ok_or_else(|| IndexError::Missing(self.dir.clone()))?;
        let found = if &meta != now.archive.meta() {
            Refreshed::Swapped
        } else if committed_since(&now.archive) {
            Refreshed::Reloaded
        } else {
            return Ok(Refreshed::Unchanged);
        };
        let next = Snapshot {
            archive: Arc::new(Archive::open(&self.dir)?),
            version: now.version + 1,
        };
        // Only this (one) refresher writes, so the version grows by one each time.
        match self.current.write() {
            Ok(mut g) => *g = next,
            Err(p) => *p.into_inner() = next,
        }
        Ok(found)
    }
}

/// Whether the index's last commit holds other segments (or deletes) than the
/// archive's searcher sees. An unreadable `meta.json` counts as a change, so that
/// opening the index reports the error.
fn committed_since(archive: &Archive) -> bool {
    let Ok(metas) = archive.index().searchable_segment_metas() else {
        return true;
    };
    let committed: BTreeMap<_, _> = metas.iter().map(|m| (m.id(), m.delete_opstamp())).collect();
    &committed != archive.searcher().generation().segments()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Article;
    use crate::index::WriterOptions;

    fn article(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            title: Some(format!("Tin {id}")),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn sees_commits_of_another_writer_and_a_reindex_swap() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("index");
        {
            let a = Archive::open_or_create(&dir).expect("create");
            let mut w = a.writer(32).expect("writer");
            w.upsert(&article("1", "mưa to")).expect("upsert");
            w.commit().expect("commit");
        }
        let live = Live::open(&dir).expect("open");
        let before = live.get();
        assert_eq!(before.searcher().num_docs(), 1);
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Unchanged);
        assert_eq!(live.snapshot().version, 0);
        // Another "process" (its own Archive) commits.
        {
            let other = Archive::open(&dir).expect("open");
            let mut w = other.writer(32).expect("writer");
            w.upsert(&article("2", "nắng nóng")).expect("upsert");
            w.commit().expect("commit");
        }
        assert_eq!(live.get().searcher().num_docs(), 1, "not before a refresh");
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Reloaded);
        assert_eq!(live.snapshot().version, 1);
        assert_eq!(live.get().searcher().num_docs(), 2);
        assert_eq!(before.searcher().num_docs(), 1, "a snapshot never changes");
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Unchanged);
        // A delete is a change too.
        {
            let other = Archive::open(&dir).expect("open");
            let mut w = other.writer(32).expect("writer");
            assert!(w.delete("1").expect("delete"));
            w.commit().expect("commit");
        }
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Reloaded);
        assert_eq!(live.get().searcher().num_docs(), 1);
        assert_eq!(live.snapshot().version, 2);
        // A reindex swaps the generation; a searcher taken before keeps working.
        let old = live.get().searcher();
        let opts = WriterOptions {
            memory_mb: 32,
            ..WriterOptions::default()
        };
        crate::index::reindex::reindex(&dir, &opts, &mut |_| {}).expect("reindex");
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Swapped);
        assert_eq!(live.snapshot().version, 3);
        let now = live.get();
        assert_ne!(now.meta(), before.meta());
        assert_eq!(now.searcher().num_docs(), 1);
        assert_eq!(old.num_docs(), 1);
        assert!(now.get("2").expect("get").is_some());
    }
}

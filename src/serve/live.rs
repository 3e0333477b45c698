//! The index as it changes: the server's current [`Archive`], followed while other
//! processes write to it.
//!
//! [`Live::refresh`] (run every [`REFRESH`] by the server) re-reads `tintuc.json`:
//! when a `reindex` swapped in another generation it opens that one and swaps the
//! [`Arc`]; otherwise it reloads the tantivy reader, which sees the last commit of an
//! `ingest` or `crawl` running beside it. A request takes one [`Arc<Archive>`] (and
//! one searcher) when it starts, so it finishes on the snapshot it began with.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::index::{Archive, IndexError, IndexMeta};

/// How often the index is checked for new commits and generations.
pub const REFRESH: Duration = Duration::from_millis(500);

/// The current archive of an index folder.
pub struct Live {
    dir: PathBuf,
    current: RwLock<Arc<Archive>>,
}

/// What a refresh found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// The reader was reloaded (it may or may not have seen a new commit).
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
            current: RwLock::new(Arc::new(archive)),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current archive.
    pub fn get(&self) -> Arc<Archive> {
        // A poisoned lock still holds a valid Arc (writers only replace it).
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Follows the folder: a new generation is opened, otherwise the reader reloads.
    pub fn refresh(&self) -> Result<Refreshed, IndexError> {
        let archive = self.get();
        let meta =
            IndexMeta::read(&self.dir)?.ok_or_else(|| IndexError::Missing(self.dir.clone()))?;
        if &meta != archive.meta() {
            let next = Arc::new(Archive::open(&self.dir)?);
            match self.current.write() {
                Ok(mut g) => *g = next,
                Err(p) => *p.into_inner() = next,
            }
            return Ok(Refreshed::Swapped);
        }
        archive.reload()?;
        Ok(Refreshed::Reloaded)
    }
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
        // Another "process" (its own Archive) commits.
        {
            let other = Archive::open(&dir).expect("open");
            let mut w = other.writer(32).expect("writer");
            w.upsert(&article("2", "nắng nóng")).expect("upsert");
            w.commit().expect("commit");
        }
        assert_eq!(live.get().searcher().num_docs(), 1, "not before a refresh");
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Reloaded);
        assert_eq!(live.get().searcher().num_docs(), 2);
        // A reindex swaps the generation; a searcher taken before keeps working.
        let old = live.get().searcher();
        let opts = WriterOptions {
            memory_mb: 32,
            ..WriterOptions::default()
        };
        crate::index::reindex::reindex(&dir, &opts, &mut |_| {}).expect("reindex");
        assert_eq!(live.refresh().expect("refresh"), Refreshed::Swapped);
        let now = live.get();
        assert_ne!(now.meta(), before.meta());
        assert_eq!(now.searcher().num_docs(), 2);
        assert_eq!(old.num_docs(), 2);
        assert!(now.get("2").expect("get").is_some());
    }
}

//! `reindex`: rebuild every article from the stored originals (after an analyzer or
//! schema change), into a new generation swapped in atomically.
//!
//! With the writer lock held: read every live document's stored `doc` JSON from the
//! current generation (`gen-N`, whatever schema or analyzer built it), upsert it into
//! a fresh `gen-N+1` built with this tintuc's schema and analyzers, commit, then
//! rewrite `tintuc.json` to point at `gen-N+1` (one atomic rename) and delete
//! `gen-N`. Searches running meanwhile keep reading `gen-N`; a reindex killed before
//! the swap leaves the old index untouched (its half-built generation is removed by
//! the next writer).

use std::path::Path;
use std::time::{Duration, Instant};

use tantivy::Index;

use super::stored::StoredJson;

use super::lock::DirLock;
use super::meta::{self, IndexMeta};
use super::{
    Archive, ArchiveWriter, IndexError, WriterOptions, create_generation, damaged, tantivy_err,
};
use crate::article::Article;

/// What a reindex did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReindexReport {
    /// Articles rebuilt.
    pub articles: u64,
    /// Stored documents that could not be read back (reported, left out).
    pub errors: u64,
}

/// What a reindex tells its caller while it runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// `done` of `total` documents read.
    Progress { done: u64, total: u64 },
    /// A stored document could not be rebuilt.
    Error(&'a str),
}

/// Commit cadence inside the new generation (keeps the writer's pending map small).
const COMMIT_EVERY: u64 = 100_000;

/// Rebuilds the index in `dir` (see the module docs).
pub fn reindex(
    dir: &Path,
    opts: &WriterOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<ReindexReport, IndexError> {
    // Checked before taking the lock, which would create the folder.
    IndexMeta::read(dir)?.ok_or_else(|| IndexError::Missing(dir.into()))?;
    let lock = DirLock::acquire(dir)?;
    let old_meta = IndexMeta::read(dir)?.ok_or_else(|| IndexError::Missing(dir.into()))?;
    let old_dir = old_meta.data_dir(dir);
    let old = Index::open_in_dir(&old_dir).map_err(|e| damaged(dir, &old_meta, e))?;
    // The stored originals are what a rebuild reads.
    old.schema()
        .get_field("doc")
        .map_err(|_| IndexError::Corrupt {
            id: "(every article)".into(),
            message: format!(
                "the index at {} keeps no original articles to rebuild from; delete it and ingest the sources again",
                dir.display()
            ),
        })?;
    let searcher = old
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| damaged(dir, &old_meta, e))?
        .searcher();

    // Leftovers of an interrupted reindex go; the new generation comes after all.
    let mut next = old_meta.generation().unwrap_or(0);
    for (n, path) in meta::generations(dir) {
        if path != old_dir {
            let _ = std::fs::remove_dir_all(&path);
        }
        next = next.max(n);
    }
    let new_meta = create_generation(dir, next + 1)?;
    let new_index = Index::open_in_dir(new_meta.data_dir(dir)).map_err(|e| tantivy_err(dir, e))?;
    let archive = Archive::from_index(dir, new_meta.clone(), new_index)?;
    let mut writer = ArchiveWriter::new(&archive, lock, opts)?;

    let total = searcher.num_docs();
    let mut report = ReindexReport::default();
    let mut done = 0u64;
    let mut last_event = Instant::now();
    for seg in searcher.segment_readers() {
        let store = seg.get_store_reader(1).map_err(|source| IndexError::Io {
            path: old_dir.clone(),
            source,
        })?;
        for doc in store.iter::<StoredJson>(seg.alive_bitset()) {
            done += 1;
            let article = doc.map_err(|e| e.to_string()).and_then(|d| {
                if d.0.is_empty() {
                    return Err("no stored article".to_string());
                }
                serde_json::from_slice::<Article>(&d.0).map_err(|e| e.to_string())
            });
            match article {
                Ok(mut a) => {
                    a.ensure_id();
                    writer.upsert(&a)?;
                    report.articles += 1;
                    if report.articles % COMMIT_EVERY == 0 {
                        writer.commit()?;
                    }
                }
                Err(message) => {
                    report.errors += 1;
                    let msg = format!(
                        "{}: stored document {done} is unreadable: {message}",
                        old_dir.display()
                    );
                    on_event(Event::Error(&msg));
                }
            }
            if last_event.elapsed() >= Duration::from_millis(200) {
                on_event(Event::Progress { done, total });
                last_event = Instant::now();
            }
        }
    }
    let lock = writer.finish_keep_lock()?;
    drop(archive);
    drop(searcher);
    new_meta.write(dir)?;
    let _ = std::fs::remove_dir_all(&old_dir);
    on_event(Event::Progress { done, total });
    drop(lock);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::TextField;
    use tantivy::collector::Count;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;

    #[test]
    fn rebuilds_an_old_version_index_and_swaps() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        for i in 0..30 {
            w.upsert(&Article {
                id: format!("id{i}"),
                title: Some(format!("Bài số {i}")),
                body: "Thủy điện xả lũ".into(),
                ..Default::default()
            })
            .unwrap();
        }
        w.delete("id3").unwrap();
        w.finish().unwrap();
        drop(a);
        let mut m = IndexMeta::read(dir.path()).unwrap().unwrap();
        m.analyzer_version = 0;
        m.write(dir.path()).unwrap();
        assert!(Archive::open(dir.path()).is_err());

        let r = reindex(dir.path(), &WriterOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(
            r,
            ReindexReport {
                articles: 29,
                errors: 0
            }
        );
        let a = Archive::open(dir.path()).unwrap();
        assert_eq!(a.meta().data, "gen-2");
        assert!(!dir.path().join("gen-1").exists());
        assert_eq!(a.searcher().num_docs(), 29);
        assert_eq!(a.get("id3").unwrap(), None);
        assert_eq!(
            a.get("id7").unwrap().unwrap().title.as_deref(),
            Some("Bài số 7")
        );
        // Searchable under the current analyzers.
        let q = TermQuery::new(
            tantivy::Term::from_field_text(a.fields().folded(TextField::Body), "thuy"),
            IndexRecordOption::Basic,
        );
        assert_eq!(a.searcher().search(&q, &Count).unwrap(), 29);
    }

    #[test]
    fn leftovers_of_an_interrupted_reindex_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        drop(Archive::open_or_create(dir.path()).unwrap());
        std::fs::create_dir_all(dir.path().join("gen-5/junk")).unwrap();
        reindex(dir.path(), &WriterOptions::default(), &mut |_| {}).unwrap();
        let m = IndexMeta::read(dir.path()).unwrap().unwrap();
        assert_eq!(m.data, "gen-6");
        let gens: Vec<_> = meta::generations(dir.path())
            .into_iter()
            .map(|g| g.0)
            .collect();
        assert_eq!(gens, [6]);
    }

    #[test]
    fn missing_index_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = reindex(
            &dir.path().join("none"),
            &WriterOptions::default(),
            &mut |_| {},
        );
        assert!(matches!(e, Err(IndexError::Missing(_))));
    }
}

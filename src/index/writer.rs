//! [`ArchiveWriter`]: upsert by id, delete, commit; and the tantivy document of an article.
//!
//! **Is it unchanged?** Each upsert looks the id up in the term dictionary of the
//! last commit (one FST lookup per segment) and reads the stored `hash` fast field
//! of the live document; ids written since the last commit are in a small map that
//! each commit empties. Memory therefore stays flat as the archive grows (no id map
//! of the whole archive).
//!
//! **Bounded memory.** tantivy's indexing threads buffer postings up to their heap
//! budget, then flush a segment. Documents waiting for them are counted against a
//! second budget: [`ArchiveWriter::upsert`] blocks while too many bytes of documents
//! are queued, and a document gives its bytes back once tantivy has indexed (and
//! dropped) it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::document::DeserializeError;
use tantivy::schema::document::{Document, DocumentDeserialize, DocumentDeserializer};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::lock::DirLock;
use super::schema::TextField;
use super::{Archive, Fields, IndexError, find_id, fingerprint, tantivy_err};
use crate::article::Article;

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new id.
    Added,
    /// A known id whose content changed: the old article was replaced.
    Updated,
    /// A known id with the same content: nothing was written.
    Unchanged,
}

/// How a writer uses the machine.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// Memory budget in megabytes (tantivy's indexing heap plus queued documents).
    pub memory_mb: usize,
    /// Indexing threads; 0 means one per core (at most 8).
    pub threads: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            memory_mb: 256,
            threads: 0,
        }
    }
}

/// tantivy's smallest heap per indexing thread.
const MIN_THREAD_HEAP: usize = 15_000_000;

impl WriterOptions {
    /// `(threads, tantivy heap bytes, queued-document bytes)`. [`RESERVED`] of the
    /// budget is left for what does not scale with it (reading, merging, buffers);
    /// of the rest, 5/6 goes to tantivy's heap (at least 15 MB a thread, fewer threads
    /// when short) and 1/6 to documents waiting to be indexed.
    pub fn budgets(&self) -> (usize, usize, usize) {
        let total = (self.memory_mb.max(1) * 1_000_000).saturating_sub(RESERVED);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let wanted = if self.threads == 0 {
            cores.min(8)
        } else {
            self.threads
        };
        let heap = (total / 6 * 5).max(MIN_THREAD_HEAP);
        let threads = wanted.clamp(1, (heap / MIN_THREAD_HEAP).max(1));
        let heap = heap.max(threads * MIN_THREAD_HEAP);
        let queued = (total / 6).max(2_000_000);
        (threads, heap, queued)
    }
}

/// Memory left outside tantivy's heap and the document queue: measured peaks over
/// the dev corpus were about 40 MB above those two (reading batches, segment
/// merges, allocator slack).
pub const RESERVED: usize = 40_000_000;

/// An article turned into its tantivy document, ready for [`ArchiveWriter::upsert_prepared`]
/// (built on any thread).
pub struct Prepared {
    /// The article's id.
    pub id: String,
    /// Its [`content_hash`](Article::content_hash).
    pub hash: u64,
    doc: TantivyDocument,
    cost: usize,
    /// The article's text for the restoration statistics ([`super::restore_stats`]).
    restore: super::restore_stats::ArticleStream,
}

impl Prepared {
    /// Builds the document of `a` (content hash, fingerprint, stored JSON).
    pub fn new(a: &Article, fields: &Fields) -> Prepared {
        let hash = a.content_hash();
        let doc = to_document(a, fields, hash);
        let text: usize = super::TextField::ALL
            .iter()
            .filter_map(|f| f.text(a))
            .map(str::len)
            .sum();
        Prepared {
            id: a.id.clone(),
            hash,
            doc,
            restore: super::restore_stats::article_stream(a),
            // Each text twice (exact and folded) and the JSON copy, plus overhead.
            cost: text * 3 + 512,
        }
    }
}

/// The single writer of an [`Archive`] (it holds the folder's lock); changes become
/// visible and durable at [`commit`](Self::commit).
pub struct ArchiveWriter<'a> {
    archive: &'a Archive,
    writer: IndexWriter<QueuedDoc>,
    _lock: DirLock,
    budget: Arc<Budget>,
    restore_stats: super::restore_stats::StatsWriter,
    /// The last commit, for "is it unchanged?" lookups.
    searcher: Searcher,
    /// The `hash` column of each of its segments.
    hashes: Vec<Column<u64>>,
    /// Ids written (`Some(hash)`) or deleted (`None`) since the last commit.
    pending: HashMap<String, Option<u64>>,
    dirty: bool,
    /// The segments the index had when this writer opened (left alone by the final merge).
    segments_at_open: HashSet<SegmentId>,
}

impl<'a> ArchiveWriter<'a> {
    pub(super) fn new(
        archive: &'a Archive,
        lock: DirLock,
        opts: &WriterOptions,
    ) -> Result<ArchiveWriter<'a>, IndexError> {
        let (threads, heap, queued) = opts.budgets();
        let writer = archive
            .index
            .writer_with_num_threads::<QueuedDoc>(threads, heap)
            .map_err(|e| tantivy_err(&archive.dir, e))?;
        archive.reload()?;
        let segments_at_open = archive
            .index
            .searchable_segment_ids()
            .map_err(|e| tantivy_err(&archive.dir, e))?
            .into_iter()
            .collect();
        let mut w = ArchiveWriter {
            archive,
            writer,
            _lock: lock,
            budget: Arc::new(Budget::new(queued)),
            restore_stats: super::restore_stats::StatsWriter::new(
                &archive.meta.data_dir(&archive.dir),
            ),
            searcher: archive.searcher(),
            hashes: Vec::new(),
            pending: HashMap::new(),
            dirty: false,
            segments_at_open,
        };
        w.refresh()?;
        Ok(w)
    }

    /// The archive written to.
    pub fn archive(&self) -> &Archive {
        self.archive
    }

    /// Adds the article, replaces the stored one with the same id if its content
    /// changed, or does nothing if it did not.
    pub fn upsert(&mut self, article: &Article) -> Result<Upsert, IndexError> {
        self.upsert_prepared(Prepared::new(article, &self.archive.fields))
    }

    /// [`upsert`](Self::upsert) of a document built beforehand (possibly on another thread).
    pub fn upsert_prepared(&mut self, p: Prepared) -> Result<Upsert, IndexError> {
        let previous = self.previous(&p.id)?;
        if previous == Some(p.hash) {
            return Ok(Upsert::Unchanged);
        }
        if previous.is_some() {
            self.writer
                .delete_term(Term::from_field_text(self.archive.fields.id, &p.id));
        }
        let permit = Budget::take(&self.budget, p.cost);
        self.writer
            .add_document(QueuedDoc {
                doc: p.doc,
                _permit: permit,
            })
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        self.restore_stats.add(&p.restore);
        self.pending.insert(p.id, Some(p.hash));
        self.dirty = true;
        Ok(if previous.is_some() {
            Upsert::Updated
        } else {
            Upsert::Added
        })
    }

    /// Deletes the article with this id; true when it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, IndexError> {
        let existed = self.previous(id)?.is_some();
        if existed {
            self.writer
                .delete_term(Term::from_field_text(self.archive.fields.id, id));
            self.pending.insert(id.to_string(), None);
            self.dirty = true;
        }
        Ok(existed)
    }

    /// Makes every change so far durable and visible to new searchers (a no-op when
    /// nothing changed since the last commit).
    pub fn commit(&mut self) -> Result<(), IndexError> {
        if !self.dirty {
            return Ok(());
        }
        self.writer
            .commit()
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        self.restore_stats.commit()?;
        self.archive.reload()?;
        self.pending.clear();
        self.dirty = false;
        self.refresh()
    }

    /// Commits, waits for background segment merges to end, merges the segments
    /// written since this writer opened into one, and releases the lock.
    pub fn finish(self) -> Result<(), IndexError> {
        self.finish_keep_lock().map(drop)
    }

    /// [`finish`](Self::finish), handing the folder's lock back instead of releasing it.
    pub(super) fn finish_keep_lock(mut self) -> Result<DirLock, IndexError> {
        self.commit()?;
        let archive = self.archive;
        let ArchiveWriter {
            writer,
            _lock,
            segments_at_open: before,
            ..
        } = self;
        writer
            .wait_merging_threads()
            .map_err(|e| tantivy_err(&archive.dir, e))?;
        merge_new_segments(archive, &before)?;
        archive.reload()?;
        Ok(_lock)
    }

    /// The content hash stored (or written since the last commit) for this id.
    fn previous(&self, id: &str) -> Result<Option<u64>, IndexError> {
        if let Some(p) = self.pending.get(id) {
            return Ok(*p);
        }
        let Some(addr) = find_id(&self.searcher, &self.archive.fields, id)
            .map_err(|e| self.archive.io_err(e))?
        else {
            return Ok(None);
        };
        // A document without a hash (never written by tintuc) counts as changed.
        Ok(Some(
            self.hashes
                .get(addr.segment_ord as usize)
                .and_then(|c| c.first(addr.doc_id))
                .unwrap_or(0),
        ))
    }

    fn refresh(&mut self) -> Result<(), IndexError> {
        self.searcher = self.archive.searcher();
        self.hashes = self
            .searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("hash"))
            .collect::<Result<_, _>>()
            .map_err(|e| tantivy_err(&self.archive.dir, e))?;
        Ok(())
    }
}

/// Merges the segments that are not in `before` (those this writer's flushes and
/// tantivy's merges made) into one, when there are several.
///
/// An archive is read far more than it is written: a bulk ingest that leaves one
/// segment instead of tantivy's log-merge tiers (7 segments for 100,000 articles)
/// looks every query term up once instead of once per segment, and its term
/// dictionaries are half the size. Segments an earlier ingest left are not rewritten,
/// so a small daily ingest into a large archive costs a merge of its own articles
/// only; tantivy's log-merge policy still folds such small segments together as they
/// accumulate.
fn merge_new_segments(archive: &Archive, before: &HashSet<SegmentId>) -> Result<(), IndexError> {
    let err = |e| tantivy_err(&archive.dir, e);
    let new: Vec<SegmentId> = archive
        .index
        .searchable_segment_ids()
        .map_err(err)?
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    if new.len() < 2 {
        return Ok(());
    }
    let mut w = archive
        .index
        .writer_with_num_threads::<TantivyDocument>(1, MIN_THREAD_HEAP)
        .map_err(err)?;
    w.set_merge_policy(Box::new(NoMergePolicy));
    w.merge(&new).wait().map_err(err)?;
    w.wait_merging_threads().map_err(err)
}

/// The tantivy document for an article: raw `id`, `url`, `source_key`, `category_key`; `date`;
/// `hash` (the given content hash) and `fingerprint`; the article as JSON in `doc`;
/// and every text field under both analyzers.
pub fn to_document(a: &Article, f: &Fields, hash: u64) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &a.id);
    if let Some(u) = &a.url {
        d.add_text(f.url, u);
    }
    if let Some(s) = &a.source {
        d.add_text(f.source_key, s);
    }
    if let (Some(field), Some(c)) = (f.category_key, &a.category) {
        d.add_text(field, c);
    }
    if let Some(ts) = a.date {
        d.add_date(f.date, super::schema::date_value(ts.as_second()));
        d.add_date(f.local, super::schema::date_value(ts.local_seconds()));
    }
    d.add_u64(f.hash, hash);
    d.add_u64(f.fingerprint, fingerprint::fingerprint(a));
    // Serializing an Article (strings, numbers, an RFC 3339 date) cannot fail.
    let json = serde_json::to_vec(a).unwrap_or_default();
    d.add_bytes(f.doc, json.as_slice());
    for (tf, x, fo) in &f.text {
        // Each author is a value of its own: a phrase never runs from one name into the
        // next (`author:"Hà Minh"` does not match `Thu Hà, Minh Anh`).
        if *tf == TextField::Author && !a.authors.is_empty() {
            for t in a.authors.iter().filter(|t| !t.trim().is_empty()) {
                d.add_text(*x, t);
                d.add_text(*fo, t);
            }
            continue;
        }
        if let Some(t) = tf.text(a).filter(|t| !t.trim().is_empty()) {
            d.add_text(*x, t);
            d.add_text(*fo, t);
        }
    }
    d
}

/// A document on its way to tantivy's indexing threads, holding its share of the
/// queue budget until tantivy drops it.
struct QueuedDoc {
    doc: TantivyDocument,
    _permit: Permit,
}

impl Document for QueuedDoc {
    type Value<'v> = <TantivyDocument as Document>::Value<'v>;
    type FieldsValuesIter<'v> = <TantivyDocument as Document>::FieldsValuesIter<'v>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

impl DocumentDeserialize for QueuedDoc {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(d: D) -> Result<Self, DeserializeError> {
        Ok(QueuedDoc {
            doc: TantivyDocument::deserialize(d)?,
            _permit: Permit {
                budget: None,
                bytes: 0,
            },
        })
    }
}

/// A byte budget shared by the producer and tantivy's threads.
struct Budget {
    limit: usize,
    used: Mutex<usize>,
    freed: Condvar,
}

/// Bytes taken from a [`Budget`], given back on drop.
struct Permit {
    budget: Option<Arc<Budget>>,
    bytes: usize,
}

/// How long a producer waits without any document being indexed before going on
/// over budget (tantivy's threads may have stopped on an error, which the next
/// `add_document` reports).
const STALL: Duration = Duration::from_secs(30);

impl Budget {
    fn new(limit: usize) -> Budget {
        Budget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit (a single document larger than the budget waits
    /// until the queue is empty), then takes them.
    fn take(budget: &Arc<Budget>, bytes: usize) -> Permit {
        let mut used = budget.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut last_change = Instant::now();
        while *used > 0 && *used + bytes > budget.limit && last_change.elapsed() < STALL {
            let before = *used;
            used = budget
                .freed
                .wait_timeout(used, Duration::from_millis(200))
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
            if *used != before {
                last_change = Instant::now();
            }
        }
        *used += bytes;
        Permit {
            budget: Some(Arc::clone(budget)),
            bytes,
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(b) = &self.budget {
            let mut used = b.used.lock().unwrap_or_else(|e| e.into_inner());
            *used = used.saturating_sub(self.bytes);
            b.freed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_respect_tantivy_minimum() {
        let (t, heap, queued) = WriterOptions {
            memory_mb: 256,
            threads: 2,
        }
        .budgets();
        assert_eq!(t, 2);
        assert_eq!(heap, 180_000_000);
        assert_eq!(queued, 36_000_000);
        let (t, heap, _) = WriterOptions {
            memory_mb: 20,
            threads: 4,
        }
        .budgets();
        assert_eq!(t, 1);
        assert!(heap >= MIN_THREAD_HEAP);
    }

    #[test]
    fn budget_blocks_until_bytes_come_back() {
        let b = Arc::new(Budget::new(100));
        let p1 = Budget::take(&b, 60);
        let b2 = Arc::clone(&b);
        let t = std::thread::spawn(move || {
            let _p2 = Budget::take(&b2, 60);
            *b2.used.lock().unwrap()
        });
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(*b.used.lock().unwrap(), 60, "second take must wait");
        drop(p1);
        assert_eq!(t.join().unwrap(), 60);
        assert_eq!(*b.used.lock().unwrap(), 0);
        // Larger than the whole budget: goes through when the queue is empty.
        let big = Budget::take(&b, 1000);
        assert_eq!(*b.used.lock().unwrap(), 1000);
        drop(big);
    }

    fn numbered(i: usize) -> Article {
        Article {
            id: format!("a{i}"),
            title: Some(format!("Tin số {i}")),
            body: format!("Nội dung bài {i}"),
            ..Default::default()
        }
    }

    #[test]
    fn finish_merges_the_segments_it_wrote_and_only_those() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        assert!(matches!(
            a.index().settings().docstore_compression,
            tantivy::store::Compressor::Zstd(_)
        ));
        let segments = |a: &Archive| a.index().searchable_segment_ids().unwrap();
        let mut w = a.writer(64).unwrap();
        for i in 0..3 {
            w.upsert(&numbered(i)).unwrap();
            w.commit().unwrap();
        }
        // One segment per commit: tantivy's log-merge policy waits for 8.
        assert_eq!(segments(&a).len(), 3);
        w.finish().unwrap();
        let first = segments(&a);
        assert_eq!(first.len(), 1);
        let mut w = a.writer(64).unwrap();
        for i in 3..5 {
            w.upsert(&numbered(i)).unwrap();
            w.commit().unwrap();
        }
        w.finish().unwrap();
        let second = segments(&a);
        assert_eq!(
            second.len(),
            2,
            "the earlier segment stays, the new ones are one"
        );
        assert!(second.contains(&first[0]));
        assert_eq!(a.searcher().num_docs(), 5);
        for i in 0..5 {
            assert_eq!(a.get(&format!("a{i}")).unwrap(), Some(numbered(i)));
        }
        // Nothing written: nothing merged.
        a.writer(64).unwrap().finish().unwrap();
        assert_eq!(segments(&a), second);
    }

    #[test]
    fn document_holds_every_field() {
        let (schema, f) = super::super::schema::build();
        let a = Article {
            id: "a1".into(),
            url: Some("https://baomau.vn/a1".into()),
            source: Some("baomau.vn".into()),
            category: Some("Kinh tế".into()),
            title: Some("Tiêu đề".into()),
            body: "Thân bài".into(),
            date: Some("2020-01-02T03:04:05Z".parse().unwrap()),
            ..Default::default()
        };
        let d = to_document(&a, &f, 42);
        let json = tantivy::Document::to_json(&d, &schema);
        for name in [
            "\"id\"",
            "\"url\"",
            "\"source_key\"",
            "\"category_key\"",
            "\"date\"",
            "\"hash\":[42]",
            "\"fingerprint\"",
            "\"doc\"",
            "\"title_x\"",
            "\"title_f\"",
            "\"body_x\"",
            "\"source_f\"",
        ] {
            assert!(json.contains(name), "{name} missing in {json}");
        }
        assert!(!json.contains("kicker_x"), "absent fields are not added");
    }
}

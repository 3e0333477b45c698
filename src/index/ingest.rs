//! The ingest pipeline: records from the readers → upserts → periodic commits.
//!
//! ```text
//! reading thread (readers: files, gzip, JSON, HTML)  ──batches, 2 in flight──▶
//! preparing thread (content hash, fingerprint, document, restoration stream: each
//!   batch's articles on rayon's pool, kept in order)  ──batches, 1 in flight──▶
//! this thread ("unchanged?" lookup, upsert, restoration counts, commits)  ──▶
//! tantivy's indexing threads (tokenizing with tintuc's analyzers, one per core)
//! ```
//!
//! Preparing an article ([`Prepared::new`]) depends on the article alone, so doing
//! it ahead on other threads changes nothing in what is written: the upserts, the
//! "unchanged" decisions and the commits happen on this thread in input order.
//!
//! Every queue is bounded (batches of at most [`BATCH_RECORDS`] records or
//! [`BATCH_BYTES`] bytes, documents by the writer's byte budget), so memory stays
//! flat whatever the input size. The writer commits every
//! [`IngestOptions::commit_every`] articles, [`IngestOptions::commit_bytes`] input
//! bytes or [`IngestOptions::commit_interval`], and at the end: a process killed at
//! any moment leaves the index at its last commit, and running the same ingest again
//! completes it (what was committed is then `unchanged`).
//!
//! One bad input never stops the run: it is reported through the event callback and
//! counted as `errors`; records that are not articles (no text) count as `skipped`.

use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use serde::Serialize;

use rayon::prelude::*;

use super::{ArchiveWriter, IndexError, Prepared, Upsert};
use crate::extract::{ReadError, Record};

/// Most records per batch handed from the reading thread.
pub const BATCH_RECORDS: usize = 256;
/// Most input bytes per batch handed from the reading thread.
pub const BATCH_BYTES: u64 = 4 << 20;
/// A batch is handed over at least this often, so slow inputs still show progress.
const BATCH_LATENCY: Duration = Duration::from_millis(250);

/// When an ingest commits.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Commit after this many articles read.
    pub commit_every: u64,
    /// Commit after this many input bytes read.
    pub commit_bytes: u64,
    /// Commit at least this often.
    pub commit_interval: Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            commit_every: 100_000,
            commit_bytes: 512 << 20,
            commit_interval: Duration::from_secs(60),
        }
    }
}

/// What an ingest did; serialized as `{"added","updated","unchanged","skipped","errors"}`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// New ids.
    pub added: u64,
    /// Known ids whose content changed.
    pub updated: u64,
    /// Known ids with the same content (nothing written).
    pub unchanged: u64,
    /// Inputs that are not articles (no text, hidden or binary files).
    pub skipped: u64,
    /// Inputs that failed (unreadable file, bad JSON line, ...).
    pub errors: u64,
}

impl IngestReport {
    /// Articles read (added, updated or unchanged).
    pub fn articles(&self) -> u64 {
        self.added + self.updated + self.unchanged
    }

    /// True when there were failures and nothing else: the run failed as a whole.
    pub fn all_failed(&self) -> bool {
        self.errors > 0 && self.articles() + self.skipped == 0
    }

    /// Adds another report's counts.
    pub fn add(&mut self, o: &IngestReport) {
        self.added += o.added;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.skipped += o.skipped;
        self.errors += o.errors;
    }
}

/// Where an ingest stands.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Counts so far.
    pub report: IngestReport,
    /// Input bytes read so far ([`Record::bytes`]).
    pub bytes: u64,
    /// Since the start.
    pub elapsed: Duration,
}

/// What an ingest tells its caller while it runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// After each batch.
    Progress(&'a Progress),
    /// An input was passed over (counted in `skipped`); the message names it.
    Skipped(&'a str),
    /// An input failed (counted in `errors`); the message names it and the problem.
    Error(&'a str),
    /// Everything so far is committed.
    Committed(&'a Progress),
}

/// Reads `items` (from [`crate::extract::read_inputs`]) on a thread of its own and
/// upserts every article through `writer`, committing as [`IngestOptions`] says and
/// at the end. `Err` only for index failures (the index stays at its last commit);
/// input failures are counted and reported through `on_event`.
pub fn ingest<I>(
    writer: &mut ArchiveWriter<'_>,
    items: I,
    opts: &IngestOptions,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<IngestReport, IndexError>
where
    I: IntoIterator<Item = Result<Record, ReadError>>,
    I::IntoIter: Send + 'static,
{
    let start = Instant::now();
    let mut items = items.into_iter();
    let (tx, rx) = sync_channel::<Vec<Result<Record, ReadError>>>(2);
    std::thread::Builder::new()
        .name("tintuc-read".into())
        .spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0u64;
            let mut since = Instant::now();
            for item in items.by_ref() {
                if let Ok(r) = &item {
                    bytes += r.bytes;
                }
                batch.push(item);
                if batch.len() >= BATCH_RECORDS
                    || bytes >= BATCH_BYTES
                    || since.elapsed() >= BATCH_LATENCY
                {
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        return;
                    }
                    bytes = 0;
                    since = Instant::now();
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        })
        .map_err(|source| IndexError::Io {
            path: writer.archive().dir().to_path_buf(),
            source,
        })?;

    let fields = writer.archive().fields().clone();
    let (ready_tx, ready_rx) = sync_channel::<Vec<Ready>>(1);
    let preparing = std::thread::Builder::new()
        .name("tintuc-prepare".into())
        .spawn(move || {
            for batch in rx {
                let ready: Vec<Ready> = batch
                    .into_par_iter()
                    .map(|item| Ready::new(item, &fields))
                    .collect();
                if ready_tx.send(ready).is_err() {
                    return;
                }
            }
        })
        .map_err(|source| IndexError::Io {
            path: writer.archive().dir().to_path_buf(),
            source,
        })?;

    let mut progress = Progress::default();
    let mut since_commit = (0u64, 0u64, Instant::now());
    for batch in ready_rx.iter() {
        for item in batch {
            match item {
                Ready::Article { bytes, prepared } => {
                    progress.bytes += bytes;
                    since_commit.1 += bytes;
                    since_commit.0 += 1;
                    match writer.upsert_prepared(*prepared)? {
                        Upsert::Added => progress.report.added += 1,
                        Upsert::Updated => progress.report.updated += 1,
                        Upsert::Unchanged => progress.report.unchanged += 1,
                    }
                }
                Ready::Empty { bytes, message } => {
                    progress.bytes += bytes;
                    since_commit.1 += bytes;
                    progress.report.skipped += 1;
                    on_event(Event::Skipped(&message));
                }
                Ready::Failed(e) if e.is_skip() => {
                    progress.report.skipped += 1;
                    on_event(Event::Skipped(&e.to_string()));
                }
                Ready::Failed(e) => {
                    progress.report.errors += 1;
                    on_event(Event::Error(&e.to_string()));
                }
            }
        }
        progress.elapsed = start.elapsed();
        on_event(Event::Progress(&progress));
        if since_commit.0 >= opts.commit_every
            || since_commit.1 >= opts.commit_bytes
            || since_commit.2.elapsed() >= opts.commit_interval
        {
            writer.commit()?;
            since_commit = (0, 0, Instant::now());
            on_event(Event::Committed(&progress));
        }
    }
    // The preparing thread ends when the reading thread does; a panic there (a bug)
    // is not an end of input: it is raised here, before the final commit.
    drop(ready_rx);
    if let Err(panic) = preparing.join() {
        std::panic::resume_unwind(panic);
    }
    writer.commit()?;
    progress.elapsed = start.elapsed();
    on_event(Event::Committed(&progress));
    Ok(progress.report)
}

/// One input, prepared for the writer (off its thread).
enum Ready {
    /// An article with text, its document built.
    Article { bytes: u64, prepared: Box<Prepared> },
    /// An article without text (skipped), with the message naming it.
    Empty { bytes: u64, message: String },
    /// An input that failed or was passed over.
    Failed(ReadError),
}

impl Ready {
    fn new(item: Result<Record, ReadError>, fields: &super::Fields) -> Ready {
        match item {
            Ok(mut rec) => {
                if rec.article.is_empty() {
                    return Ready::Empty {
                        bytes: rec.bytes,
                        message: format!(
                            "{}: article {} has no text (skipped)",
                            rec.file, rec.article.id
                        ),
                    };
                }
                rec.article.ensure_id();
                Ready::Article {
                    bytes: rec.bytes,
                    prepared: Box::new(Prepared::new(&rec.article, fields)),
                }
            }
            Err(e) => Ready::Failed(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::Archive;

    fn rec(id: &str, body: &str) -> Result<Record, ReadError> {
        Ok(Record {
            file: "t.jsonl".into(),
            article: Article {
                id: id.into(),
                body: body.into(),
                ..Default::default()
            },
            bytes: body.len() as u64,
        })
    }

    #[test]
    fn counts_everything_and_commits() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        let items = vec![
            rec("1", "một"),
            rec("2", "hai"),
            Err(ReadError::Line {
                path: "t.jsonl".into(),
                line: 3,
                message: "bad json".into(),
            }),
            rec("3", "  "),
            Err(ReadError::Skipped {
                path: "d/.hidden".into(),
                reason: "hidden".into(),
            }),
            rec("1", "một"),
            rec("2", "hai đã sửa"),
        ];
        let mut events = Vec::new();
        let r = ingest(&mut w, items, &IngestOptions::default(), &mut |e| {
            events.push(match e {
                Event::Error(m) => format!("E {m}"),
                Event::Skipped(m) => format!("S {m}"),
                Event::Progress(_) => "P".into(),
                Event::Committed(_) => "C".into(),
            })
        })
        .unwrap();
        assert_eq!(
            r,
            IngestReport {
                added: 2,
                updated: 1,
                unchanged: 1,
                skipped: 2,
                errors: 1
            }
        );
        assert!(
            events.contains(&"E t.jsonl:3: bad json".to_string()),
            "{events:?}"
        );
        assert!(events.iter().any(|e| e.starts_with("S t.jsonl: article 3")));
        assert!(
            events.contains(&"S d/.hidden: skipped (hidden)".to_string()),
            "{events:?}"
        );
        assert_eq!(events.last().map(String::as_str), Some("C"));
        assert_eq!(a.searcher().num_docs(), 2);
        assert_eq!(a.get("2").unwrap().unwrap().body, "hai đã sửa");
    }

    #[test]
    fn commits_periodically() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        let items: Vec<_> = (0..20).map(|i| rec(&i.to_string(), "nội dung")).collect();
        let opts = IngestOptions {
            commit_every: 1,
            ..Default::default()
        };
        let mut commits = 0;
        let r = ingest(&mut w, items, &opts, &mut |e| {
            if matches!(e, Event::Committed(_)) {
                commits += 1;
            }
        })
        .unwrap();
        assert_eq!(r.added, 20);
        // At least one commit per batch, plus the final one.
        assert!(commits >= 2, "{commits}");
        assert!(!r.all_failed());
        assert!(
            IngestReport {
                errors: 1,
                ..Default::default()
            }
            .all_failed()
        );
    }

    #[test]
    fn many_batches_keep_input_order() {
        // More records than one batch: the same id several times (the last version
        // wins, and a repeat of the same content is unchanged), empty articles and
        // errors in between, reported in input order.
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::open_or_create(dir.path()).unwrap();
        let mut w = a.writer(64).unwrap();
        let n = BATCH_RECORDS * 3 + 17;
        let mut items = Vec::new();
        let mut expected_events = Vec::new();
        for i in 0..n {
            match i % 97 {
                5 => {
                    items.push(rec(&format!("e{i}"), " "));
                    expected_events.push(format!("S t.jsonl: article e{i} has no text (skipped)"));
                }
                6 => {
                    items.push(Err(ReadError::Line {
                        path: "t.jsonl".into(),
                        line: i as u64,
                        message: "bad json".into(),
                    }));
                    expected_events.push(format!("E t.jsonl:{i}: bad json"));
                }
                _ => items.push(rec(&(i % 300).to_string(), &format!("bài {}", i % 450))),
            }
        }
        let mut events = Vec::new();
        let r = ingest(&mut w, items, &IngestOptions::default(), &mut |e| match e {
            Event::Error(m) => events.push(format!("E {m}")),
            Event::Skipped(m) => events.push(format!("S {m}")),
            _ => {}
        })
        .unwrap();
        assert_eq!(events, expected_events);
        assert_eq!(r.added, 300);
        assert_eq!(r.articles() + r.skipped + r.errors, n as u64);
        assert_eq!(a.searcher().num_docs(), 300);
        // Each id holds its last version.
        for id in [0usize, 1, 150, 299] {
            let last = (0..n)
                .rfind(|i| i % 300 == id && !matches!(i % 97, 5 | 6))
                .unwrap();
            let body = a.get(&id.to_string()).unwrap().unwrap().body;
            assert_eq!(body, format!("bài {}", last % 450), "id {id}");
        }
    }
}

//! Crawl state for resuming and conditional requests: what is done, per URL.
//!
//! Stored as `index/crawl/state.jsonl`, an append-only log of JSON lines (one
//! [`UrlState`] each; a later line for the same URL replaces an earlier one),
//! compacted when it is opened and has grown to more than twice its live entries.
//! A line is appended only after the index commit holding that page succeeded, so a
//! killed crawl at worst fetches its uncommitted tail again; a torn last line (a
//! kill during a write) is ignored. JSON lines were chosen over an embedded
//! key-value store because the state is small (about 150 bytes a URL, held in
//! memory), needs no transactions beyond "append after commit", and stays readable
//! with `grep` and `jq`.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::client::Validators;

/// What is known about one URL that is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlState {
    pub url: String,
    /// The final HTTP status (200, 304, 404, ...; 0 when no request was answered).
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Id of the article stored from it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Content hash (hex) of that article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// When it was fetched.
    pub at: Timestamp,
}

impl UrlState {
    /// The validators for a conditional request.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// The state of every URL done, with its log file.
#[derive(Debug, Default)]
pub struct CrawlState {
    path: Option<PathBuf>,
    map: HashMap<String, UrlState>,
    log: Option<BufWriter<File>>,
}

impl CrawlState {
    /// A state kept in memory only.
    pub fn memory() -> CrawlState {
        CrawlState::default()
    }

    /// Opens (or creates) the state log at `path`, compacting it when worthwhile.
    pub fn open(path: &Path) -> std::io::Result<CrawlState> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut map = HashMap::new();
        let mut lines = 0usize;
        if path.exists() {
            let r = BufReader::new(File::open(path)?);
            for line in r.split(b'\n') {
                let line = line?;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                lines += 1;
                // A torn line from a kill mid-write is skipped.
                if let Ok(s) = serde_json::from_slice::<UrlState>(&line) {
                    map.insert(s.url.clone(), s);
                }
            }
        }
        let mut state = CrawlState {
            path: Some(path.to_path_buf()),
            map,
            log: None,
        };
        if lines > 1000 && lines > 2 * state.map.len() {
            state.compact()?;
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        if ends_mid_line(&mut f)? {
            // Start after the torn line, not inside it.
            f.write_all(b"\n")?;
        }
        state.log = Some(BufWriter::new(f));
        Ok(state)
    }

    fn compact(&mut self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let tmp = path.with_extension("jsonl.tmp");
        {
            let mut w = BufWriter::new(File::create(&tmp)?);
            for s in self.map.values() {
                serde_json::to_writer(&mut w, s)?;
                w.write_all(b"\n")?;
            }
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }

    /// The state of `url`, when it is done.
    pub fn get(&self, url: &str) -> Option<&UrlState> {
        self.map.get(url)
    }

    /// Number of URLs done.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no URL is done.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Marks URLs done and makes that durable (append, flush, fsync).
    pub fn record(&mut self, entries: Vec<UrlState>) -> std::io::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        if let Some(w) = &mut self.log {
            for s in &entries {
                serde_json::to_writer(&mut *w, s)?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
            w.get_ref().sync_data()?;
        }
        for s in entries {
            self.map.insert(s.url.clone(), s);
        }
        Ok(())
    }
}

fn ends_mid_line(f: &mut File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8];
    f.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, status: u16) -> UrlState {
        UrlState {
            url: url.into(),
            status,
            etag: Some("\"e1\"".into()),
            last_modified: None,
            id: Some(url.into()),
            hash: Some("00ff".into()),
            at: "2026-03-07T01:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn survives_reopen_and_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("crawl/state.jsonl");
        let mut s = CrawlState::open(&p).unwrap();
        s.record(vec![entry("http://a/1", 200), entry("http://a/2", 404)])
            .unwrap();
        s.record(vec![entry("http://a/1", 304)]).unwrap();
        drop(s);
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"{\"url\":\"http://a/3\",\"sta").unwrap();
        drop(f);
        let mut s = CrawlState::open(&p).unwrap();
        assert_eq!(s.len(), 2);
        s.record(vec![entry("http://a/4", 200)]).unwrap();
        drop(s);
        let s = CrawlState::open(&p).unwrap();
        assert_eq!(s.len(), 3, "an entry after a torn line is kept");
        assert_eq!(s.get("http://a/1").unwrap().status, 304);
        assert_eq!(
            s.get("http://a/1").unwrap().validators().etag.as_deref(),
            Some("\"e1\"")
        );
        assert!(s.get("http://a/3").is_none());
    }

    #[test]
    fn compacts_a_long_log() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.jsonl");
        let mut s = CrawlState::open(&p).unwrap();
        for _ in 0..3 {
            let batch = (0..600)
                .map(|i| entry(&format!("http://a/{i}"), 200))
                .collect();
            s.record(batch).unwrap();
        }
        drop(s);
        let s = CrawlState::open(&p).unwrap();
        assert_eq!(s.len(), 600);
        let lines = std::fs::read_to_string(&p).unwrap().lines().count();
        assert_eq!(lines, 600);
    }
}

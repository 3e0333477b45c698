//! The raw archive: every article page fetched, kept as WARC/1.1 beside the index
//! (`index/raw/*.warc.gz`), so pages can be extracted again without fetching.
//!
//! Each file starts with a `warcinfo` record; each fetch adds a `request` and a
//! `response` record (also for each redirect hop), every record its own gzip member
//! (the usual `.warc.gz` layout that `warcio`, `pywb` and other tools read). Files
//! rotate at a size limit. The response block is the HTTP response as received,
//! except that the body is stored decoded: `Content-Encoding` and
//! `Transfer-Encoding` are dropped and `Content-Length` is the stored length.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use jiff::Timestamp;

use super::client::Response;

/// Default size at which a WARC file is closed and the next begun (1 GiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

/// A fresh `<urn:uuid:...>` record id (random, version 4).
pub fn record_id() -> String {
    let mut b = [0u8; 16];
    fastrand::fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn warc_date(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One WARC record as a gzip member.
fn record(out: &mut Vec<u8>, fields: &[(&str, &str)], block: &[&[u8]]) {
    let len: usize = block.iter().map(|b| b.len()).sum();
    let mut head = String::from("WARC/1.1\r\n");
    for (k, v) in fields {
        // Header values never carry line breaks into the record.
        let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    let mut gz = GzEncoder::new(std::mem::take(out), Compression::fast());
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(head.as_bytes());
    for b in block {
        let _ = gz.write_all(b);
    }
    let _ = gz.write_all(b"\r\n\r\n");
    *out = gz.finish().unwrap_or_default();
}

fn request_block(r: &Response) -> Vec<u8> {
    let mut target = r.url.path().to_string();
    if let Some(q) = r.url.query() {
        target.push('?');
        target.push_str(q);
    }
    let version = if r.version.starts_with("HTTP/2") {
        "HTTP/1.1"
    } else {
        r.version.as_str()
    };
    let mut s = format!("GET {target} {version}\r\n");
    for (k, v) in &r.request_headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn response_head(r: &Response) -> Vec<u8> {
    let reason = reqwest::StatusCode::from_u16(r.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let version = if r.version.starts_with("HTTP/2") {
        "HTTP/1.1"
    } else {
        r.version.as_str()
    };
    let mut s = format!("{version} {} {reason}\r\n", r.status).into_bytes();
    for (k, v) in &r.headers {
        let name = k.as_str();
        if matches!(
            name,
            "transfer-encoding" | "content-encoding" | "content-length"
        ) {
            continue;
        }
        s.extend_from_slice(name.as_bytes());
        s.extend_from_slice(b": ");
        s.extend(v.as_bytes().iter().filter(|b| **b != b'\r' && **b != b'\n'));
        s.extend_from_slice(b"\r\n");
    }
    s.extend_from_slice(format!("content-length: {}\r\n\r\n", r.body.len()).as_bytes());
    s
}

fn exchange(out: &mut Vec<u8>, r: &Response) {
    let uri = r.url.as_str();
    let date = warc_date(r.date);
    let resp_id = record_id();
    let req_id = record_id();
    let mut member = Vec::new();
    record(
        &mut member,
        &[
            ("WARC-Type", "request"),
            ("WARC-Target-URI", uri),
            ("WARC-Date", &date),
            ("WARC-Record-ID", &req_id),
            ("WARC-Concurrent-To", &resp_id),
            ("Content-Type", "application/http; msgtype=request"),
        ],
        &[&request_block(r)],
    );
    out.extend_from_slice(&member);
    member.clear();
    record(
        &mut member,
        &[
            ("WARC-Type", "response"),
            ("WARC-Target-URI", uri),
            ("WARC-Date", &date),
            ("WARC-Record-ID", &resp_id),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        &[&response_head(r), &r.body],
    );
    out.extend_from_slice(&member);
}

/// The gzip members (request and response records) for a response and the
/// redirects before it, ready for [`WarcWriter::append`]. Built by the page tasks,
/// in parallel, so the writer only copies bytes.
pub fn encode(r: &Response) -> Vec<u8> {
    let mut out = Vec::with_capacity(r.body.len() / 4 + 1024);
    for hop in &r.redirects {
        exchange(&mut out, hop);
    }
    exchange(&mut out, r);
    out
}

/// Appends encoded records to `dir/tintuc-<time>-<pid>-<n>.warc.gz`, rotating by size.
#[derive(Debug)]
pub struct WarcWriter {
    dir: PathBuf,
    max_file_bytes: u64,
    current: Option<(BufWriter<File>, u64)>,
    seq: u32,
    stamp: String,
    files: Vec<PathBuf>,
}

impl WarcWriter {
    /// A writer into `dir` (created when missing); files close at `max_file_bytes`.
    pub fn open(dir: &Path, max_file_bytes: u64) -> std::io::Result<WarcWriter> {
        std::fs::create_dir_all(dir)?;
        Ok(WarcWriter {
            dir: dir.to_path_buf(),
            max_file_bytes: max_file_bytes.max(1),
            current: None,
            seq: 0,
            stamp: Timestamp::now().strftime("%Y%m%d%H%M%S").to_string(),
            files: Vec::new(),
        })
    }

    /// The files written so far.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        if let Some((mut w, _)) = self.current.take() {
            w.flush()?;
            w.get_ref().sync_data()?;
        }
        let (path, name) = loop {
            self.seq += 1;
            let name = format!(
                "tintuc-{}-{}-{:05}.warc.gz",
                self.stamp,
                std::process::id(),
                self.seq
            );
            let p = self.dir.join(&name);
            if !p.exists() {
                break (p, name);
            }
        };
        let f = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)?;
        let mut w = BufWriter::with_capacity(256 * 1024, f);
        let info = format!(
            "software: tintuc/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            env!("CARGO_PKG_VERSION")
        );
        let mut member = Vec::new();
        let date = warc_date(Timestamp::now());
        let id = record_id();
        record(
            &mut member,
            &[
                ("WARC-Type", "warcinfo"),
                ("WARC-Date", &date),
                ("WARC-Filename", &name),
                ("WARC-Record-ID", &id),
                ("Content-Type", "application/warc-fields"),
            ],
            &[info.as_bytes()],
        );
        w.write_all(&member)?;
        self.current = Some((w, member.len() as u64));
        self.files.push(path);
        Ok(())
    }

    /// Appends records made by [`encode`].
    pub fn append(&mut self, members: &[u8]) -> std::io::Result<()> {
        if members.is_empty() {
            return Ok(());
        }
        let full = self
            .current
            .as_ref()
            .is_none_or(|(_, n)| *n >= self.max_file_bytes);
        if full {
            self.rotate()?;
        }
        if let Some((w, n)) = &mut self.current {
            w.write_all(members)?;
            *n += members.len() as u64;
        }
        Ok(())
    }

    /// Writes buffered records through to disk (called before each index commit).
    pub fn flush(&mut self) -> std::io::Result<()> {
        if let Some((w, _)) = &mut self.current {
            w.flush()?;
            w.get_ref().sync_data()?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};
    use std::io::Read;

    /// One parsed record: WARC headers (lowercased names) and block.
    pub(crate) type Rec = (Vec<(String, String)>, Vec<u8>);

    /// A strict reader for the tests: every record must be well formed.
    pub(crate) fn read_all(path: &Path) -> Vec<Rec> {
        let mut data = Vec::new();
        flate2::read::MultiGzDecoder::new(File::open(path).unwrap())
            .read_to_end(&mut data)
            .unwrap();
        let mut out = Vec::new();
        let mut rest = &data[..];
        while !rest.is_empty() {
            let end = memchr::memmem::find(rest, b"\r\n\r\n").expect("header end");
            let head = std::str::from_utf8(&rest[..end]).unwrap();
            let mut lines = head.split("\r\n");
            assert_eq!(lines.next(), Some("WARC/1.1"));
            let fields: Vec<(String, String)> = lines
                .map(|l| {
                    let (k, v) = l.split_once(": ").unwrap();
                    (k.to_ascii_lowercase(), v.to_string())
                })
                .collect();
            let len: usize = fields
                .iter()
                .find(|(k, _)| k == "content-length")
                .unwrap()
                .1
                .parse()
                .unwrap();
            let block = rest[end + 4..end + 4 + len].to_vec();
            assert_eq!(&rest[end + 4 + len..end + 8 + len], b"\r\n\r\n");
            rest = &rest[end + 8 + len..];
            out.push((fields, block));
        }
        out
    }

    pub(crate) fn field<'a>(r: &'a Rec, name: &str) -> Option<&'a str> {
        r.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn response(url: &str, status: u16, body: &[u8]) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("text/html"));
        headers.insert("transfer-encoding", HeaderValue::from_static("chunked"));
        Response {
            requested: url.parse().unwrap(),
            url: url.parse().unwrap(),
            status,
            version: "HTTP/1.1".into(),
            headers,
            body: body.to_vec(),
            date: "2026-03-07T01:02:03Z".parse().unwrap(),
            request_headers: vec![("User-Agent".into(), "tintuc".into())],
            redirects: vec![],
        }
    }

    #[test]
    fn records_are_well_formed_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcWriter::open(dir.path(), 600).unwrap();
        let mut r = response("http://127.0.0.1/tin-a?x=1", 200, "Giá vàng".as_bytes());
        r.redirects.push(response("http://127.0.0.1/old", 301, b""));
        w.append(&encode(&r)).unwrap();
        w.append(&encode(&response("http://127.0.0.1/b", 200, b"<p>b</p>")))
            .unwrap();
        w.flush().unwrap();
        assert_eq!(w.files().len(), 2, "rotated past 600 bytes");
        let recs = read_all(&w.files()[0]);
        let types: Vec<&str> = recs
            .iter()
            .map(|r| field(r, "warc-type").unwrap())
            .collect();
        assert_eq!(
            types,
            ["warcinfo", "request", "response", "request", "response"]
        );
        let resp = &recs[4];
        assert_eq!(
            field(resp, "warc-target-uri"),
            Some("http://127.0.0.1/tin-a?x=1")
        );
        assert_eq!(field(resp, "warc-date"), Some("2026-03-07T01:02:03Z"));
        assert!(
            field(resp, "warc-record-id")
                .unwrap()
                .starts_with("<urn:uuid:")
        );
        assert_eq!(
            field(&recs[3], "warc-concurrent-to"),
            field(resp, "warc-record-id")
        );
        let block = String::from_utf8(resp.1.clone()).unwrap();
        assert!(block.starts_with("HTTP/1.1 200 OK\r\n"), "{block}");
        assert!(!block.contains("transfer-encoding"));
        assert!(
            block.ends_with("content-length: 10\r\n\r\nGiá vàng"),
            "{block}"
        );
        let req = String::from_utf8(recs[3].1.clone()).unwrap();
        assert!(req.starts_with("GET /tin-a?x=1 HTTP/1.1\r\n"), "{req}");
        let second = read_all(&w.files()[1]);
        assert_eq!(second.len(), 3);
        assert_eq!(field(&second[0], "warc-type"), Some("warcinfo"));
    }
}

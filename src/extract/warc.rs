//! WARC files (`.warc`, `.warc.gz` with one gzip member per record or one for the
//! whole file): a bounded record reader, a small writer, and the reader of articles
//! from `response` (and `resource`) records with an HTML payload.
//!
//! Hand-written rather than the `warc` crate (0.4): that crate reads header and body
//! lines without a bound (a file without newlines is read whole into memory), ends
//! silently on a record cut short in its headers, needs CRLF line ends, and brings
//! chrono, nom, uuid 0.8 and libflate where this crate already has jiff and flate2.
//! The format is a header block and `Content-Length` bytes; HTTP heads are parsed with
//! `httparse`.
//!
//! ```
//! use tintuc::extract::warc::{WarcRecord, WarcRecordReader, write_record};
//! let rec = WarcRecord::response(
//!     "https://a.vn/x.html",
//!     "2026-03-07T01:00:00Z".parse().unwrap(),
//!     "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Xin chào</p>".as_bytes(),
//! );
//! let mut file = Vec::new();
//! write_record(&mut file, &rec, true).unwrap(); // one gzip member
//! let gz = flate2::read::MultiGzDecoder::new(&file[..]);
//! let back: Vec<_> = WarcRecordReader::new(std::io::BufReader::new(gz), 1 << 20).collect();
//! assert_eq!(back[0].as_ref().unwrap().header("warc-target-uri"), Some("https://a.vn/x.html"));
//! ```

use std::io::{self, BufRead, Read, Write};

use jiff::Timestamp;

use super::jsonl::{Line, io_message, read_line_bounded};
use super::{ReadError, Record, finish_article};

/// Longest header line accepted (bytes).
const MAX_HEADER_LINE: usize = 64 * 1024;
/// Most header lines in one record.
const MAX_HEADER_LINES: usize = 1000;

/// Why a WARC record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("not a WARC record (expected `WARC/1.x`, found {0:?})")]
    NotWarc(String),
    #[error("record cut short in its headers")]
    TruncatedHeader,
    #[error("record cut short: {got} of {want} content bytes")]
    TruncatedBody { got: u64, want: u64 },
    #[error("bad header: {0}")]
    BadHeader(String),
    #[error("missing or invalid Content-Length")]
    NoLength,
    #[error("record content too large ({0} bytes), skipped")]
    TooLarge(u64),
    #[error("{}", io_message(.0))]
    Io(#[from] io::Error),
}

impl WarcError {
    /// True when reading can go on with the next record.
    pub fn recoverable(&self) -> bool {
        matches!(self, WarcError::TooLarge(_))
    }
}

/// The value of the first field named `name` (case-insensitive) in `headers`.
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// One WARC record: version, named header fields in order, and the content block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// Header fields as written (names keep their case).
    pub headers: Vec<(String, String)>,
    /// The content block (`Content-Length` bytes).
    pub content: Vec<u8>,
}

impl WarcRecord {
    /// The value of a header field (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `warcinfo`, …).
    pub fn warc_type(&self) -> String {
        self.header("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// A `response` record for `uri` fetched at `fetched`, whose content is the HTTP
    /// response as received (status line, headers, blank line, body). The record id is
    /// derived from the uri, time and content.
    pub fn response(uri: &str, fetched: Timestamp, http: &[u8]) -> Self {
        let id = record_id(uri, fetched, http);
        WarcRecord {
            version: "WARC/1.1".into(),
            headers: vec![
                ("WARC-Type".into(), "response".into()),
                ("WARC-Record-ID".into(), id),
                ("WARC-Date".into(), fetched.to_string()),
                ("WARC-Target-URI".into(), uri.into()),
                (
                    "Content-Type".into(),
                    "application/http; msgtype=response".into(),
                ),
            ],
            content: http.to_vec(),
        }
    }
}

/// A `<urn:uuid:…>` made from a hash of the inputs (version-8 UUID layout).
fn record_id(uri: &str, t: Timestamp, content: &[u8]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(uri.as_bytes());
    h.update(&t.as_nanosecond().to_le_bytes());
    h.update(content);
    let v = h.digest128();
    let v = (v & !(0xF << 76) | (0x8 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let x = format!("{v:032x}");
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

/// Writes one record (adding `Content-Length`), as its own gzip member when `gzip`.
/// Returns the bytes written (compressed size when `gzip`).
pub fn write_record<W: Write>(w: &mut W, rec: &WarcRecord, gzip: bool) -> io::Result<u64> {
    let mut raw = Vec::with_capacity(rec.content.len() + 512);
    raw.extend_from_slice(rec.version.as_bytes());
    raw.extend_from_slice(b"\r\n");
    for (n, v) in &rec.headers {
        if n.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let clean = |s: &str| s.replace(['\r', '\n'], " ");
        raw.extend_from_slice(format!("{}: {}\r\n", clean(n), clean(v)).as_bytes());
    }
    raw.extend_from_slice(format!("Content-Length: {}\r\n\r\n", rec.content.len()).as_bytes());
    raw.extend_from_slice(&rec.content);
    raw.extend_from_slice(b"\r\n\r\n");
    if gzip {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&raw)?;
        let bytes = gz.finish()?;
        w.write_all(&bytes)?;
        Ok(bytes.len() as u64)
    } else {
        w.write_all(&raw)?;
        Ok(raw.len() as u64)
    }
}

/// Reads WARC records one at a time; content blocks larger than `max_content` bytes
/// are read through and reported ([`WarcError::TooLarge`]) without being kept.
/// After an error that is not [`recoverable`](WarcError::recoverable) it ends.
pub struct WarcRecordReader<R> {
    reader: R,
    max_content: usize,
    done: bool,
    /// Decompressed bytes consumed so far.
    pub position: u64,
}

impl<R: BufRead> WarcRecordReader<R> {
    /// Reads records from `reader` (already decompressed).
    pub fn new(reader: R, max_content: usize) -> Self {
        Self {
            reader,
            max_content,
            done: false,
            position: 0,
        }
    }

    fn line(&mut self, buf: &mut Vec<u8>) -> Result<Option<()>, WarcError> {
        match read_line_bounded(&mut self.reader, buf, MAX_HEADER_LINE)? {
            Line::Eof => Ok(None),
            Line::Read(n) => {
                self.position += n;
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                Ok(Some(()))
            }
            Line::TooLong(n) => Err(WarcError::BadHeader(format!("header line of {n} bytes"))),
        }
    }

    fn read_record(&mut self) -> Option<Result<WarcRecord, WarcError>> {
        let mut buf = Vec::new();
        // Skip the blank lines between records.
        loop {
            match self.line(&mut buf) {
                Ok(None) => return None,
                Ok(Some(())) if buf.is_empty() => continue,
                Ok(Some(())) => break,
                Err(e) => return Some(Err(e)),
            }
        }
        if !buf.starts_with(b"WARC/") {
            let shown: String = String::from_utf8_lossy(&buf).chars().take(40).collect();
            return Some(Err(WarcError::NotWarc(shown)));
        }
        let version = String::from_utf8_lossy(&buf).trim().to_string();
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            match self.line(&mut buf) {
                Ok(None) => return Some(Err(WarcError::TruncatedHeader)),
                Ok(Some(())) if buf.is_empty() => break,
                Ok(Some(())) => {}
                Err(e) => return Some(Err(e)),
            }
            if headers.len() >= MAX_HEADER_LINES {
                return Some(Err(WarcError::BadHeader("too many header lines".into())));
            }
            let text = String::from_utf8_lossy(&buf);
            if text.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(text.trim());
                }
                continue;
            }
            match text.split_once(':') {
                Some((n, v)) if !n.trim().is_empty() => {
                    headers.push((n.trim().to_string(), v.trim().to_string()))
                }
                _ => return Some(Err(WarcError::BadHeader(text.chars().take(60).collect()))),
            }
        }
        let len = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<u64>().ok());
        let Some(len) = len else {
            return Some(Err(WarcError::NoLength));
        };
        if len > self.max_content as u64 {
            let got = match io::copy(&mut (&mut self.reader).take(len), &mut io::sink()) {
                Ok(n) => n,
                Err(e) => return Some(Err(e.into())),
            };
            self.position += got;
            if got < len {
                return Some(Err(WarcError::TruncatedBody { got, want: len }));
            }
            self.skip_record_end();
            return Some(Err(WarcError::TooLarge(len)));
        }
        let mut content = Vec::new();
        if let Err(e) = (&mut self.reader).take(len).read_to_end(&mut content) {
            return Some(Err(e.into()));
        }
        self.position += content.len() as u64;
        if (content.len() as u64) < len {
            return Some(Err(WarcError::TruncatedBody {
                got: content.len() as u64,
                want: len,
            }));
        }
        self.skip_record_end();
        Some(Ok(WarcRecord {
            version,
            headers,
            content,
        }))
    }

    /// Consumes the `\r\n\r\n` after a record (leniently: any run of CR/LF).
    fn skip_record_end(&mut self) {
        for _ in 0..4 {
            match self.reader.fill_buf() {
                Ok([b'\r' | b'\n', ..]) => {
                    self.reader.consume(1);
                    self.position += 1;
                }
                _ => break,
            }
        }
    }
}

impl<R: BufRead> Iterator for WarcRecordReader<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.read_record();
        match &r {
            None => self.done = true,
            Some(Err(e)) if !e.recoverable() => self.done = true,
            _ => {}
        }
        r
    }
}

/// An HTTP response split into its parts.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header fields in order.
    pub headers: Vec<(String, String)>,
    /// The body as stored (after de-chunking and content decoding).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// Parses an HTTP response block (as stored in a `response` record): the head with
/// `httparse`, then de-chunks (`Transfer-Encoding: chunked`) and decodes
/// `Content-Encoding: gzip/deflate` bodies, at most `max_body` bytes out.
pub fn parse_http_response(block: &[u8], max_body: usize) -> Result<HttpResponse, String> {
    let mut hdrs = [httparse::EMPTY_HEADER; 128];
    let mut resp = httparse::Response::new(&mut hdrs);
    let head_len = match resp.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("HTTP head cut short".into()),
        Err(e) => return Err(format!("bad HTTP head: {e}")),
    };
    let status = resp.code.unwrap_or(0);
    let headers: Vec<(String, String)> = resp
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let mut out = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let mut body = block[head_len..].to_vec();
    if out
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        && let Some(d) = dechunk(&body)
    {
        body = d;
    }
    let encoding = out
        .header("content-encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    body = match encoding.trim() {
        "" | "identity" | "none" => body,
        "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
            inflate(flate2::read::MultiGzDecoder::new(&body[..]), max_body)?
        }
        "deflate" if !body.starts_with(b"<") => {
            // Zlib-wrapped per the RFC; some servers send raw deflate.
            inflate(flate2::read::ZlibDecoder::new(&body[..]), max_body)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&body[..]), max_body))?
        }
        // Already decoded by the client that wrote the record.
        "gzip" | "x-gzip" | "deflate" => body,
        other => return Err(format!("unsupported Content-Encoding {other:?}")),
    };
    out.body = body;
    Ok(out)
}

fn inflate<R: Read>(r: R, max: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("bad compressed body: {}", io_message(&e)))?;
    if out.len() > max {
        return Err(format!("body larger than {max} bytes once decompressed"));
    }
    Ok(out)
}

/// Removes HTTP/1.1 chunked framing; `None` when the body is not chunked after all.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let eol = memchr::memmem::find(b, b"\r\n")?;
        let size_txt = std::str::from_utf8(&b[..eol]).ok()?;
        let size_txt = size_txt.split(';').next()?.trim();
        let size = usize::from_str_radix(size_txt, 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        let take = size.min(b.len());
        out.extend_from_slice(&b[..take]);
        if take < size {
            return Some(out); // cut short: keep what is there
        }
        b = &b[size..];
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
        if b.is_empty() {
            return Some(out);
        }
    }
}

/// True for HTML media types.
fn is_html_type(ct: &str) -> bool {
    let t = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(t.as_str(), "text/html" | "application/xhtml+xml")
}

/// Reads the articles of a WARC stream: one per `response` record with a 2xx HTML
/// payload (and per `resource` record of type `text/html`). Other records are passed
/// over silently; bad records are errors naming the record number (1-based) and URI.
pub struct WarcArticles<R> {
    records: WarcRecordReader<R>,
    path: String,
    n: u64,
    max_body: usize,
}

impl<R: BufRead> WarcArticles<R> {
    /// Reads `reader` (already decompressed), naming `path` in records and errors.
    pub fn new(reader: R, path: impl Into<String>, max_body: usize) -> Self {
        Self {
            records: WarcRecordReader::new(reader, max_body.saturating_add(64 * 1024)),
            path: path.into(),
            n: 0,
            max_body,
        }
    }

    fn article(&self, rec: &WarcRecord) -> Option<Result<crate::Article, String>> {
        let ty = rec.warc_type();
        let ct = rec.header("Content-Type").unwrap_or("");
        let (payload, content_type): (std::borrow::Cow<[u8]>, Option<String>) = match ty.as_str() {
            "response"
                if ct.to_ascii_lowercase().starts_with("application/http") || ct.is_empty() =>
            {
                let resp = match parse_http_response(&rec.content, self.max_body) {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                if !(200..300).contains(&resp.status) {
                    return None;
                }
                let ctype = resp.header("content-type").map(str::to_string);
                let html = match &ctype {
                    Some(t) => is_html_type(t),
                    None => super::detect::sniff(&resp.body) == super::Format::Html,
                };
                if !html {
                    return None;
                }
                (resp.body.into(), ctype)
            }
            "resource" if is_html_type(ct) => ((&rec.content[..]).into(), Some(ct.to_string())),
            _ => return None,
        };
        let uri = rec
            .header("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']));
        let mut a = match super::html::extract(&payload, uri, content_type.as_deref()) {
            Ok(a) => a,
            Err(e) => return Some(Err(e.to_string())),
        };
        if a.url.is_none() {
            a.url = uri.map(str::to_string);
        }
        a.fetched = rec
            .header("WARC-Date")
            .and_then(|d| d.parse::<Timestamp>().ok());
        if a.date.is_none() {
            a.date = a
                .url
                .as_deref()
                .and_then(super::date_from_url)
                .map(crate::article::PubDate::from);
        }
        if a.language.is_none() {
            a.language = super::guess_language(&a);
        }
        Some(finish_article(a).map_err(str::to_string))
    }
}

impl<R: BufRead> Iterator for WarcArticles<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let start = self.records.position;
            let rec = self.records.next()?;
            self.n += 1;
            let err = |url: Option<&str>, message: String| ReadError::Record {
                path: self.path.clone(),
                record: self.n,
                url: url.map(str::to_string),
                message,
            };
            let rec = match rec {
                Ok(r) => r,
                Err(e) => return Some(Err(err(None, e.to_string()))),
            };
            let url = rec.header("WARC-Target-URI");
            match self.article(&rec) {
                None => continue,
                Some(Err(m)) => return Some(Err(err(url, m))),
                Some(Ok(article)) => {
                    return Some(Ok(Record {
                        file: self.path.clone(),
                        article,
                        bytes: self.records.position - start,
                    }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    const PAGE: &str = "<html><head><title>Giá vàng giảm</title></head><body><article><p>Sáng 7/3, giá vàng miếng giảm mạnh so với hôm qua.</p></article></body></html>";

    fn http(body: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    fn t() -> Timestamp {
        "2026-03-07T01:00:00Z".parse().unwrap()
    }

    fn file(records: &[WarcRecord], gzip: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for r in records {
            write_record(&mut out, r, gzip).unwrap();
        }
        out
    }

    fn articles(bytes: Vec<u8>) -> Vec<Result<Record, ReadError>> {
        let r: Box<dyn BufRead> = if bytes.starts_with(&[0x1f, 0x8b]) {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(
                Cursor::new(bytes),
            )))
        } else {
            Box::new(Cursor::new(bytes))
        };
        WarcArticles::new(r, "t.warc", 1 << 20).collect()
    }

    fn warcinfo() -> WarcRecord {
        WarcRecord {
            version: "WARC/1.0".into(),
            headers: vec![("WARC-Type".into(), "warcinfo".into())],
            content: b"software: test\r\n".to_vec(),
        }
    }

    #[test]
    fn round_trip_plain_and_gzip() {
        let recs = vec![
            warcinfo(),
            WarcRecord::response("https://a.vn/tin-20260307080054340.htm", t(), &http(PAGE)),
        ];
        for gzip in [false, true] {
            let out = articles(file(&recs, gzip));
            assert_eq!(out.len(), 1, "{out:?}");
            let r = out[0].as_ref().unwrap();
            assert_eq!(
                r.article.url.as_deref(),
                Some("https://a.vn/tin-20260307080054340.htm")
            );
            assert_eq!(r.article.id, "https://a.vn/tin-20260307080054340.htm");
            assert_eq!(r.article.fetched, Some(t()));
            assert!(r.article.body.contains("giá vàng miếng"));
            assert!(r.bytes > PAGE.len() as u64);
        }
    }

    #[test]
    fn non_html_and_non_2xx_are_passed_over() {
        let img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n<a href=/x>x</a>";
        let recs = vec![
            WarcRecord::response("https://a.vn/a.png", t(), img),
            WarcRecord::response("https://a.vn/old", t(), redirect),
            WarcRecord::response("https://a.vn/ok", t(), &http(PAGE)),
        ];
        let out = articles(file(&recs, true));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().article.id, "https://a.vn/ok");
    }

    #[test]
    fn chunked_and_gzip_bodies() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(PAGE.as_bytes()).unwrap();
        let z = gz.finish().unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        let (a, b) = z.split_at(10);
        for part in [a, b] {
            block.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            block.extend_from_slice(part);
            block.extend_from_slice(b"\r\n");
        }
        block.extend_from_slice(b"0\r\n\r\n");
        let resp = parse_http_response(&block, 1 << 20).unwrap();
        assert_eq!(resp.body, PAGE.as_bytes());
        let bomb = parse_http_response(&block, 10).unwrap_err();
        assert!(bomb.contains("larger than"), "{bomb}");
        let br = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx";
        assert!(parse_http_response(br, 100).unwrap_err().contains("br"));
        assert!(
            parse_http_response(b"HTTP/1.1 200 OK\r\nX: y", 100)
                .unwrap_err()
                .contains("cut short")
        );
        assert!(parse_http_response(b"garbage\r\n\r\n", 100).is_err());
    }

    #[test]
    fn truncated_record_is_one_error() {
        let recs = vec![
            WarcRecord::response("https://a.vn/1", t(), &http(PAGE)),
            WarcRecord::response("https://a.vn/2", t(), &http(PAGE)),
        ];
        let bytes = file(&recs, false);
        let cut = bytes[..bytes.len() - 40].to_vec();
        let out = articles(cut);
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("t.warc: record 2: record cut short"), "{e}");
        // Cut inside the headers.
        let head_cut = bytes[..30].to_vec();
        let out = articles(head_cut);
        assert_eq!(out.len(), 1);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("cut short in its headers")
        );
        // Truncated gzip stream.
        let gz = file(&recs, true);
        let out = articles(gz[..gz.len() - 30].to_vec());
        assert!(out[0].is_ok());
        assert!(out.last().unwrap().is_err(), "{out:?}");
    }

    #[test]
    fn oversized_records_are_skipped_and_reading_goes_on() {
        let big = format!("<html><body><p>{}</p></body></html>", "x".repeat(3 << 20));
        let recs = vec![
            WarcRecord::response("https://a.vn/big", t(), &http(&big)),
            WarcRecord::response("https://a.vn/ok", t(), &http(PAGE)),
        ];
        let out = articles(file(&recs, true));
        assert_eq!(out.len(), 2);
        let e = out[0].as_ref().unwrap_err().to_string();
        assert!(e.contains("record 1") && e.contains("too large"), "{e}");
        assert_eq!(out[1].as_ref().unwrap().article.id, "https://a.vn/ok");
    }

    #[test]
    fn garbage_and_lf_only_files() {
        let out = articles(b"hello\nworld\n".to_vec());
        assert_eq!(out.len(), 1);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("not a WARC record")
        );
        let lf = format!(
            "WARC/1.0\nWARC-Type: resource\nWARC-Target-URI: https://a.vn/r\nContent-Type: text/html\nContent-Length: {}\n\n{PAGE}\n\n",
            PAGE.len()
        );
        let out = articles(lf.into_bytes());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().article.id, "https://a.vn/r");
        let no_len = b"WARC/1.0\r\nWARC-Type: response\r\n\r\nabc".to_vec();
        assert!(
            articles(no_len)[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("Content-Length")
        );
        let endless = vec![b'W'; 200_000];
        assert_eq!(articles(endless).len(), 1);
    }

    #[test]
    fn record_ids_look_like_uuids() {
        let id = record_id("u", t(), b"x");
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&id[24..25], "8");
        assert_ne!(id, record_id("v", t(), b"x"));
    }
}

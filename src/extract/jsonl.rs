//! JSON Lines → [`Article`]s, streaming, with bounded lines, parsed in parallel chunks
//! (output order is the input order).
//!
//! One object a line with the fields `id`, `url`, `source`, `title`, `kicker`, `lead`,
//! `body`, `author`, `authors`, `credit`, `category`, `date`, `language`, `fetched`;
//! unknown fields are ignored. Leniency where harmless:
//! - a number `id` becomes a string; `body` may be an array of paragraphs and
//!   `author` an array of names; `authors` (else `author`) entries are read as bylines
//!   ([`super::byline`]: `Thu Hà (theo Reuters)` is the author `Thu Hà` and the credit
//!   `Reuters`), `author` becomes the names joined with `, `;
//! - `date` is any form [`parse_date`](super::parse_date) reads, or epoch seconds /
//!   milliseconds as a number, keeping the offset written (none: UTC+7; a UTC `Z` of
//!   an article in Vietnamese or of unknown language: shown at UTC+7); a date that
//!   cannot be read is dropped (the article is kept);
//! - `source` falls back to `dataset` (the research corpora name their data set there);
//! - empty strings are absent values; body paragraphs are trimmed, blank ones dropped.
//!
//! A line with the wrong types (`"title": 5`) or broken JSON is one error naming the
//! line; reading goes on with the next line. A file whose first character is `[` is
//! read as one JSON array of such objects (bounded by
//! [`ReadOptions::max_doc_bytes`](super::ReadOptions)).

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use rayon::prelude::*;
use serde::Deserialize;

use super::{ReadError, Record, finish_article};
use crate::article::{Article, PubDate};

/// Lines read before a chunk is parsed (in parallel).
const CHUNK_LINES: usize = 256;
/// Bytes read before a chunk is parsed.
const CHUNK_BYTES: usize = 4 << 20;

/// String-or-number JSON scalar.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Str(String),
    Num(serde_json::Number),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Str(s) => s,
            Scalar::Num(n) => n.to_string(),
        }
    }
}

/// A string or a list of strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<Option<String>>),
}

impl OneOrMany {
    /// The non-blank strings.
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v.into_iter().flatten().collect(),
        }
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect()
    }

    fn join(self, sep: &str) -> String {
        match self {
            OneOrMany::One(s) => s,
            OneOrMany::Many(v) => v
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(sep),
        }
    }
}

/// The JSON shape of one article line.
#[derive(Deserialize)]
struct JsonArticle {
    #[serde(default)]
    id: Option<Scalar>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    dataset: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    kicker: Option<String>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    body: Option<OneOrMany>,
    #[serde(default)]
    author: Option<OneOrMany>,
    #[serde(default)]
    authors: Option<OneOrMany>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    date: Option<Scalar>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    fetched: Option<Scalar>,
}

fn opt(s: Option<String>) -> Option<String> {
    s.and_then(|s| {
        let t = s.trim();
        if t.is_empty() {
            None
        } else if t.len() == s.len() {
            Some(s)
        } else {
            Some(t.to_string())
        }
    })
}

/// Body text: trimmed paragraphs joined by `\n`, blank ones dropped.
pub(crate) fn tidy_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

fn date_of(v: Option<Scalar>) -> Option<jiff::Timestamp> {
    pub_date_of(v, None).map(|d| d.instant())
}

/// The publication date with its offset: the one written, else UTC+7; a UTC stamp
/// (`Z`) of an article in Vietnamese (or of unknown language) is shown at UTC+7.
fn pub_date_of(v: Option<Scalar>, language: Option<&str>) -> Option<PubDate> {
    let vn = crate::article::vn_offset();
    let d = match v? {
        Scalar::Str(s) => super::date::parse_pub_date(&s, vn),
        Scalar::Num(n) => super::date::parse_pub_date(&n.as_u64()?.to_string(), vn),
    }?;
    let vietnamese =
        language.is_none_or(|l| l.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("vi")));
    Some(if d.offset().seconds() == 0 && vietnamese {
        d.with_offset(vn)
    } else {
        d
    })
}

impl JsonArticle {
    fn into_article(self) -> Article {
        // `authors` (a list, as tintuc writes it) else `author` (one string or a list),
        // each entry read as a byline: names apart, sources to the credit.
        let given = self.authors.or(self.author);
        let mut byline = crate::extract::byline::Byline::default();
        let mut raw = Vec::new();
        for entry in given.map(OneOrMany::into_vec).unwrap_or_default() {
            let b = crate::extract::byline::parse_byline(&entry);
            for a in b.authors {
                if !byline.authors.contains(&a) {
                    byline.authors.push(a);
                }
            }
            byline.credit = byline.credit.or(b.credit);
            raw.push(entry);
        }
        // An entry read as nothing at all (no name, no source) is kept as written.
        let author = byline.joined().or_else(|| {
            if byline.credit.is_none() {
                opt(Some(raw.join(", ")))
            } else {
                None
            }
        });
        Article {
            id: self.id.map(Scalar::into_string).unwrap_or_default(),
            url: opt(self.url),
            source: opt(self.source).or_else(|| opt(self.dataset)),
            title: opt(self.title),
            kicker: opt(self.kicker),
            lead: opt(self.lead),
            body: self
                .body
                .map(|b| tidy_body(&b.join("\n")))
                .unwrap_or_default(),
            author,
            authors: byline.authors,
            credit: opt(self.credit).or(byline.credit),
            category: opt(self.category),
            date: pub_date_of(self.date, self.language.as_deref()),
            language: opt(self.language),
            fetched: date_of(self.fetched),
        }
    }
}

/// Parses one JSON object into an [`Article`] (without filling its id); the error
/// names the field when a type is wrong.
///
/// ```
/// use tintuc::extract::jsonl::parse_article;
/// let a = parse_article(r#"{"id": 7, "title": "Giá vàng", "body": "x", "extra": true}"#.as_bytes()).unwrap();
/// assert_eq!(a.id, "7");
/// let e = parse_article(br#"{"title": 5}"#).unwrap_err();
/// assert!(e.contains("title"), "{e}");
/// ```
pub fn parse_article(bytes: &[u8]) -> Result<Article, String> {
    match serde_json::from_slice::<JsonArticle>(bytes) {
        Ok(j) => Ok(j.into_article()),
        Err(e) => Err(explain(bytes, e)),
    }
}

/// A readable message for a JSON error, naming the field when there is one.
fn explain(bytes: &[u8], e: serde_json::Error) -> String {
    if !e.is_data() {
        return format!("invalid JSON: {e}");
    }
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return "expected a JSON object".to_string();
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, JsonArticle>(de) {
        Err(pe) => {
            let path = pe.path().to_string();
            let inner = pe.into_inner();
            let msg = inner.to_string();
            // Untagged enums say little; say what the field takes.
            let msg = if msg.starts_with("data did not match any variant") {
                match path.split('.').next().unwrap_or("") {
                    "id" | "date" | "fetched" => "expected a string or a number".to_string(),
                    _ => "expected a string or a list of strings".to_string(),
                }
            } else {
                msg
            };
            if path.is_empty() || path == "." {
                format!("wrong type: {msg}")
            } else {
                format!("field `{path}`: {msg}")
            }
        }
        Ok(_) => format!("invalid JSON: {e}"),
    }
}

/// The outcome of reading one bounded line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// End of input, nothing read.
    Eof,
    /// A line is in the buffer (without its `\n`); the count is the bytes consumed.
    Read(u64),
    /// The line was longer than the limit and was skipped; the count is its length.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first), keeping at most `max` bytes in memory:
/// a longer line is read through and dropped.
pub(crate) fn read_line_bounded<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(if total == 0 {
                Line::Eof
            } else if too_long {
                Line::TooLong(total)
            } else {
                Line::Read(total)
            });
        }
        let (take, done) = match memchr::memchr(b'\n', avail) {
            Some(p) => (p + 1, true),
            None => (avail.len(), false),
        };
        if !too_long {
            let content = if done { take - 1 } else { take };
            if buf.len() + content > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&avail[..content]);
            }
        }
        total += take as u64;
        r.consume(take);
        if done {
            return Ok(if too_long {
                Line::TooLong(total)
            } else {
                Line::Read(total)
            });
        }
    }
}

enum Pending {
    Line { n: u64, bytes: Vec<u8>, size: u64 },
    Err(ReadError),
}

/// Streams [`Record`]s out of a JSON Lines input.
pub struct JsonlReader<R> {
    reader: R,
    path: String,
    line: u64,
    max_line: usize,
    out: VecDeque<Result<Record, ReadError>>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    /// Reads `reader`, naming `path` in records and errors; lines longer than
    /// `max_line` bytes are errors.
    pub fn new(reader: R, path: impl Into<String>, max_line: usize) -> Self {
        Self {
            reader,
            path: path.into(),
            line: 0,
            max_line,
            out: VecDeque::new(),
            done: false,
        }
    }

    /// Reads the next chunk of lines and parses them.
    fn fill(&mut self) {
        let mut chunk: Vec<Pending> = Vec::new();
        let mut bytes = 0usize;
        while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
            let mut buf = Vec::new();
            let got = read_line_bounded(&mut self.reader, &mut buf, self.max_line);
            self.line += 1;
            match got {
                Ok(Line::Eof) => {
                    self.done = true;
                    break;
                }
                Ok(Line::Read(size)) => {
                    bytes += buf.len();
                    chunk.push(Pending::Line {
                        n: self.line,
                        bytes: buf,
                        size,
                    });
                }
                Ok(Line::TooLong(len)) => chunk.push(Pending::Err(ReadError::Line {
                    path: self.path.clone(),
                    line: self.line,
                    message: format!(
                        "line too long ({len} bytes; the limit is {} bytes), skipped",
                        self.max_line
                    ),
                })),
                Err(e) => {
                    chunk.push(Pending::Err(ReadError::Line {
                        path: self.path.clone(),
                        line: self.line,
                        message: io_message(&e),
                    }));
                    self.done = true;
                    break;
                }
            }
        }
        let path = &self.path;
        let parse = |p: Pending| -> Option<Result<Record, ReadError>> {
            match p {
                Pending::Err(e) => Some(Err(e)),
                Pending::Line { n, bytes, size } => {
                    let text = trim_line(&bytes, n == 1);
                    if text.is_empty() {
                        return None;
                    }
                    Some(line_record(text, path, n, size))
                }
            }
        };
        if chunk.len() > 16 {
            let parsed: Vec<_> = chunk.into_par_iter().filter_map(parse).collect();
            self.out.extend(parsed);
        } else {
            self.out.extend(chunk.into_iter().filter_map(parse));
        }
    }
}

/// The line without surrounding whitespace (and a BOM on the first line).
fn trim_line(bytes: &[u8], first: bool) -> &[u8] {
    let b = if first {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    };
    b.trim_ascii()
}

fn line_record(text: &[u8], path: &str, n: u64, size: u64) -> Result<Record, ReadError> {
    let err = |message: String| ReadError::Line {
        path: path.to_string(),
        line: n,
        message,
    };
    let article = parse_article(text).map_err(err)?;
    let article = finish_article(article).map_err(|m| err(m.to_string()))?;
    Ok(Record {
        file: path.to_string(),
        article,
        bytes: size,
    })
}

/// A one-line description of a read failure.
pub(crate) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "input cut short (truncated file or gzip stream)".into(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("corrupt data: {e}")
        }
        _ => e.to_string(),
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(x) = self.out.pop_front() {
                return Some(x);
            }
            if self.done {
                return None;
            }
            self.fill();
        }
    }
}

/// Reads a file holding one JSON array of article objects (or several objects one
/// after another, pretty-printed), at most `max` bytes.
pub(crate) fn read_json_document<R: Read>(
    reader: R,
    path: &str,
    max: usize,
) -> Vec<Result<Record, ReadError>> {
    let mut bytes = Vec::new();
    let invalid = |message: String| ReadError::Invalid {
        path: path.to_string(),
        message,
    };
    if let Err(e) = reader.take(max as u64 + 1).read_to_end(&mut bytes) {
        return vec![Err(invalid(io_message(&e)))];
    }
    if bytes.len() > max {
        return vec![Err(invalid(format!(
            "JSON document larger than {max} bytes; write one object a line (JSON Lines)"
        )))];
    }
    let body = trim_line(&bytes, true);
    let mut values: Vec<Result<serde_json::Value, String>> = Vec::new();
    if body.first() == Some(&b'[') {
        match serde_json::from_slice::<Vec<serde_json::Value>>(body) {
            Ok(v) => values.extend(v.into_iter().map(Ok)),
            Err(e) => return vec![Err(invalid(format!("invalid JSON: {e}")))],
        }
    } else {
        for v in serde_json::Deserializer::from_slice(body).into_iter::<serde_json::Value>() {
            match v {
                Ok(v) => values.push(Ok(v)),
                Err(e) => {
                    values.push(Err(format!("invalid JSON: {e}")));
                    break;
                }
            }
        }
    }
    let share = bytes.len() as u64 / values.len().max(1) as u64;
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let err = |message: String| ReadError::Record {
                path: path.to_string(),
                record: i as u64 + 1,
                url: None,
                message,
            };
            let v = v.map_err(err)?;
            let text = serde_json::to_vec(&v).map_err(|e| err(e.to_string()))?;
            let article = parse_article(&text).map_err(err)?;
            let article = finish_article(article).map_err(|m| err(m.to_string()))?;
            Ok(Record {
                file: path.to_string(),
                article,
                bytes: share,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::format_date;
    use std::io::Cursor;

    fn read_all(input: &str, max_line: usize) -> Vec<Result<Record, ReadError>> {
        JsonlReader::new(Cursor::new(input.as_bytes().to_vec()), "t.jsonl", max_line).collect()
    }

    #[test]
    fn fields_and_leniency() {
        let a = parse_article(
            r#"{"id": 12, "dataset": "vietnews", "source": null, "url": null, "title": " Tiêu đề ",
                 "date": "16/06/2013 - 20:09", "category": "", "lead": "Sapo.", "body": "A\n\n  B  \n",
                 "author": ["Minh", null, "Hà"], "unknown": {"x": [1, 2]}}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(a.id, "12");
        assert_eq!(a.source.as_deref(), Some("vietnews"));
        assert_eq!(a.title.as_deref(), Some("Tiêu đề"));
        assert_eq!(a.category, None);
        assert_eq!(a.body, "A\nB");
        assert_eq!(a.author.as_deref(), Some("Minh, Hà"));
        assert_eq!(a.authors, ["Minh", "Hà"]);
        let d = parse_article(
            r#"{"body": "x", "author": "Thu Hà (theo Reuters)", "date": "2026-03-02T20:09:00+01:00"}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(d.authors, ["Thu Hà"]);
        assert_eq!(d.credit.as_deref(), Some("Reuters"));
        assert_eq!(
            d.date.map(format_date).as_deref(),
            Some("2026-03-02T20:09:00+01:00")
        );
        // A UTC stamp of an article of unknown language is shown at UTC+7; of an English one, kept.
        let e = parse_article(br#"{"body": "x", "date": "2026-03-02T20:09:00Z"}"#).unwrap();
        assert_eq!(
            e.date.map(format_date).as_deref(),
            Some("2026-03-03T03:09:00+07:00")
        );
        let e =
            parse_article(br#"{"body": "x", "date": "2026-03-02T20:09:00Z", "language": "en"}"#)
                .unwrap();
        assert_eq!(
            e.date.map(format_date).as_deref(),
            Some("2026-03-02T20:09:00+00:00")
        );
        // tintuc's own JSON reads back the same.
        let f = parse_article(
            r#"{"body": "x", "author": "Thu Hà, Minh Anh", "authors": ["Thu Hà", "Minh Anh"], "credit": "TTXVN"}"#
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(f.authors, ["Thu Hà", "Minh Anh"]);
        assert_eq!(f.author.as_deref(), Some("Thu Hà, Minh Anh"));
        assert_eq!(f.credit.as_deref(), Some("TTXVN"));
        assert_eq!(
            a.date.map(format_date).as_deref(),
            Some("2013-06-16T20:09:00+07:00")
        );
        let b = parse_article(br#"{"body": ["p1", "p2"], "date": 1615000000, "source": "vnexpress.net", "dataset": "x"}"#)
            .unwrap();
        assert_eq!(b.body, "p1\np2");
        assert_eq!(b.source.as_deref(), Some("vnexpress.net"));
        assert!(b.date.is_some());
        let c = parse_article(br#"{"body": "x", "date": "not a date"}"#).unwrap();
        assert_eq!(c.date, None);
    }

    #[test]
    fn wrong_types_name_the_field() {
        let e = parse_article(br#"{"title": 5, "body": "x"}"#).unwrap_err();
        assert!(e.contains("`title`") && e.contains("integer"), "{e}");
        let e = parse_article(br#"{"id": true}"#).unwrap_err();
        assert!(e.contains("`id`"), "{e}");
        let e = parse_article(br#"{"body": {"a": 1}}"#).unwrap_err();
        assert!(e.contains("`body`"), "{e}");
        let e = parse_article(br#"[1, 2]"#).unwrap_err();
        assert_eq!(e, "expected a JSON object");
        let e = parse_article(br#"{"title": "x""#).unwrap_err();
        assert!(e.starts_with("invalid JSON"), "{e}");
    }

    #[test]
    fn bad_lines_are_errors_and_reading_goes_on() {
        let input = "{\"id\":\"a\",\"body\":\"x\"}\n\n{\"title\": 5}\nnot json\n{}\n{\"id\":\"b\",\"title\":\"t\"}";
        let out = read_all(input, 1 << 20);
        let summary: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(r) => format!("ok {}", r.article.id),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(summary.len(), 5, "{summary:?}");
        assert_eq!(summary[0], "ok a");
        assert!(
            summary[1].starts_with("t.jsonl:3: field `title`"),
            "{summary:?}"
        );
        assert!(
            summary[2].starts_with("t.jsonl:4: invalid JSON"),
            "{summary:?}"
        );
        assert!(
            summary[3].starts_with("t.jsonl:5: empty article"),
            "{summary:?}"
        );
        assert_eq!(summary[4], "ok b");
    }

    #[test]
    fn invalid_utf8_line_is_one_error() {
        let mut input = b"{\"id\":\"a\",\"body\":\"ok\"}\n{\"id\":\"b\",\"body\":\"".to_vec();
        input.extend_from_slice(&[0xFF, 0xC3, 0x28]);
        input.extend_from_slice(b"\"}\n{\"id\":\"c\",\"body\":\"ok\"}\n");
        let out: Vec<_> = JsonlReader::new(Cursor::new(input), "u.jsonl", 1 << 20).collect();
        assert_eq!(out.len(), 3);
        assert!(out[0].is_ok() && out[2].is_ok());
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(
            e.starts_with("u.jsonl:2: invalid JSON") && e.contains("unicode"),
            "{e}"
        );
    }

    #[test]
    fn long_lines_are_capped() {
        let long = format!("{{\"body\": \"{}\"}}", "x".repeat(5000));
        let input = format!("{long}\n{{\"id\":\"ok\",\"body\":\"y\"}}\n{long}");
        let out = read_all(&input, 1000);
        assert_eq!(out.len(), 3);
        let e = out[0].as_ref().unwrap_err().to_string();
        assert!(e.contains(":1: line too long"), "{e}");
        assert_eq!(out[1].as_ref().unwrap().article.id, "ok");
        assert!(
            out[2]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains(":3: line too long")
        );
    }

    #[test]
    fn bounded_line_reader() {
        let mut r = Cursor::new(b"abc\ndefghij\n\nxy".to_vec());
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Read(4)
        );
        assert_eq!(buf, b"abc");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::TooLong(8)
        );
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Read(1)
        );
        assert_eq!(buf, b"");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 5).unwrap(),
            Line::Read(2)
        );
        assert_eq!(buf, b"xy");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 5).unwrap(), Line::Eof);
    }

    #[test]
    fn order_is_kept_across_parallel_chunks() {
        let input: String = (0..2000)
            .map(|i| format!("{{\"id\":\"{i}\",\"body\":\"b{i}\"}}\n"))
            .collect();
        let ids: Vec<String> = read_all(&input, 1 << 20)
            .into_iter()
            .map(|r| r.unwrap().article.id)
            .collect();
        let want: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
        assert_eq!(ids, want);
    }

    #[test]
    fn bytes_count_the_line() {
        let out = read_all("{\"id\":\"a\",\"body\":\"x\"}\r\n", 1 << 20);
        assert_eq!(out[0].as_ref().unwrap().bytes, 23);
    }

    #[test]
    fn json_documents() {
        let arr = br#"[{"id":"a","body":"x"}, {"title": 5}, {"id":"c","title":"t"}]"#;
        let out = read_json_document(&arr[..], "a.json", 1 << 20);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().unwrap().article.id, "a");
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("record 2") && e.contains("`title`"), "{e}");
        let pretty =
            b"{\n  \"id\": \"p\",\n  \"body\": \"x\"\n}\n{\n \"id\": \"q\", \"body\": \"y\"}\n";
        let out = read_json_document(&pretty[..], "p.json", 1 << 20);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].as_ref().unwrap().article.id, "q");
        let out = read_json_document(&pretty[..], "p.json", 10);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("larger than")
        );
    }

    #[test]
    fn real_corpus_sample_reads_cleanly() {
        let Some(dir) = crate::test_support::shared_dir("real_corpus_sample_reads_cleanly") else {
            return;
        };
        let f = std::fs::File::open(dir.join("corpus/sample-1k.jsonl")).unwrap();
        let out: Vec<_> = JsonlReader::new(io::BufReader::new(f), "sample", 64 << 20).collect();
        assert_eq!(out.len(), 1000);
        let ok: Vec<&Record> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 1000, "{:?}", out.iter().find(|r| r.is_err()));
        assert!(
            ok.iter()
                .all(|r| !r.article.id.is_empty() && r.article.source.is_some())
        );
        assert_eq!(ok[0].article.id, "vietnews:train:082361");
        assert_eq!(ok[0].article.source.as_deref(), Some("vietnews"));
    }
}

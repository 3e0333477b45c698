//! Readers: every input (HTML pages, plain-text dumps, JSON Lines, WARC, folders,
//! standard input) becomes [`Article`]s.
//!
//! [`read_inputs`] is the entry point: it walks the given paths and yields one
//! `Result<Record, ReadError>` per article or per failure, in input order, never
//! stopping on one bad input. Files are read as streams (JSON Lines and WARC never
//! whole); gzip is recognized by its magic bytes whatever the name.
//!
//! Format choice ([`Format::Auto`]): the name (`.html/.htm`, `.txt`,
//! `.jsonl/.ndjson/.json`, `.warc`, each optionally `.gz`), else the first bytes
//! (`WARC/` → WARC, `<` → HTML, `{`/`[` → JSON Lines, else text). A forced format
//! chooses the parser for every file (also inside folders); decompression and the
//! binary check still apply. Standard input is JSON Lines unless its first bytes say
//! WARC or HTML (or a format is forced).
//!
//! In folders, hidden entries and binary files are passed over with a
//! [`ReadError::Skipped`] note (see [`ReadError::is_skip`]): count those as skipped,
//! not as errors. A binary file named directly is an error.
//!
//! Ids: the given id, else the URL, else a content hash ([`Article::ensure_id`]).
//!
//! ```no_run
//! use tintuc::extract::{read_inputs, Format};
//! for item in read_inputs(&["../shared/corpus/sample-1k.jsonl".into()], Format::Auto) {
//!     match item {
//!         Ok(rec) => println!("{} {:?}", rec.article.id, rec.article.title),
//!         Err(e) if e.is_skip() => eprintln!("skipped: {e}"),
//!         Err(e) => eprintln!("error: {e}"),
//!     }
//! }
//! ```

pub mod byline;
pub mod date;
pub mod detect;
pub mod html;
pub mod jsonl;
pub mod text;
pub mod walk;
pub mod warc;

pub use date::{DateMatch, date_from_url, find_date, parse_date, parse_date_with};

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use crate::article::{Article, PubDate};
use walk::{Entry, Walk};

/// Input format; `Auto` detects it from the name and the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Html,
    Text,
    Jsonl,
    Warc,
}

impl Format {
    /// The names accepted by [`FromStr`] (and `--format`).
    pub const NAMES: [&'static str; 5] = ["auto", "html", "text", "jsonl", "warc"];

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Html => "html",
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    /// ```
    /// use tintuc::extract::Format;
    /// assert_eq!("JSONL".parse::<Format>(), Ok(Format::Jsonl));
    /// assert!("pdf".parse::<Format>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "html" | "htm" => Ok(Format::Html),
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "json" | "ndjson" => Ok(Format::Jsonl),
            "warc" => Ok(Format::Warc),
            _ => Err(format!(
                "unknown format {s:?} (expected one of: {})",
                Format::NAMES.join(", ")
            )),
        }
    }
}

/// One article read, with where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    /// The input it was read from (a path, or `-` for standard input).
    pub file: String,
    pub article: Article,
    /// Size of the input this article took (bytes, after decompression), for
    /// throughput figures.
    pub bytes: u64,
}

/// A reader failure, naming the input (and line or record) and the problem.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The input could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// One line of a JSON Lines input (1-based).
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: u64,
        message: String,
    },
    /// One record of a WARC file or element of a JSON array (1-based).
    #[error("{path}: record {record}{}: {message}", url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())]
    Record {
        path: String,
        record: u64,
        url: Option<String>,
        message: String,
    },
    /// The whole input gave no article.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// Passed over on purpose (hidden or binary file in a folder); not a failure.
    #[error("{path}: skipped ({reason})")]
    Skipped { path: String, reason: String },
}

impl ReadError {
    /// True for [`ReadError::Skipped`]: count it as skipped, not as an error.
    pub fn is_skip(&self) -> bool {
        matches!(self, ReadError::Skipped { .. })
    }

    /// The input named by the error.
    pub fn path(&self) -> &str {
        match self {
            ReadError::Io { path, .. }
            | ReadError::Line { path, .. }
            | ReadError::Record { path, .. }
            | ReadError::Invalid { path, .. }
            | ReadError::Skipped { path, .. } => path,
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub format: Format,
    /// The page's URL, for a single HTML or text input (ignored by JSON Lines and
    /// WARC, whose records carry their own).
    pub url: Option<String>,
    /// Longest JSON line kept in memory; longer lines are errors (default 64 MiB).
    pub max_line_bytes: usize,
    /// Largest HTML page, text dump, JSON document or WARC payload read, after
    /// decompression (default 16 MiB).
    pub max_doc_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            format: Format::Auto,
            url: None,
            max_line_bytes: 64 << 20,
            max_doc_bytes: 16 << 20,
        }
    }
}

type Items = Box<dyn Iterator<Item = Result<Record, ReadError>> + Send>;

/// Reads every input in order: files, folders (recursively) and `-` (standard input).
pub fn read_inputs(inputs: &[String], format: Format) -> Items {
    read_inputs_with(
        inputs,
        ReadOptions {
            format,
            ..Default::default()
        },
    )
}

/// [`read_inputs`] with every option.
pub fn read_inputs_with(inputs: &[String], opts: ReadOptions) -> Items {
    Box::new(Inputs {
        walk: Walk::new(inputs),
        current: None,
        opts,
    })
}

struct Inputs {
    walk: Walk,
    current: Option<Items>,
    opts: ReadOptions,
}

impl Iterator for Inputs {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(cur) = &mut self.current {
                match cur.next() {
                    Some(x) => return Some(x),
                    None => self.current = None,
                }
            }
            match self.walk.next()? {
                Entry::Note(e) => return Some(Err(e)),
                Entry::Stdin => {
                    let r: Box<dyn Read + Send> = Box::new(io::stdin());
                    self.current = Some(open_stream(r, "-".into(), None, false, &self.opts));
                }
                Entry::File { path, in_folder } => {
                    let name = path.display().to_string();
                    if in_folder
                        && self.opts.format == Format::Auto
                        && detect::is_binary_name(&name)
                    {
                        return Some(Err(ReadError::Skipped {
                            path: name,
                            reason: "binary file".into(),
                        }));
                    }
                    match std::fs::File::open(&path) {
                        Ok(f) => {
                            let r: Box<dyn Read + Send> = Box::new(f);
                            self.current =
                                Some(open_stream(r, name, Some(&path), in_folder, &self.opts));
                        }
                        Err(source) => return Some(Err(ReadError::Io { path: name, source })),
                    }
                }
            }
        }
    }
}

fn one(item: Result<Record, ReadError>) -> Items {
    Box::new(std::iter::once(item))
}

/// Reads up to `n` bytes (fewer only at the end of the input).
fn read_head<R: Read>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Reads up to `n` bytes, keeping what was read before an error: the error is
/// returned to be raised again where the data stops.
fn read_head_partial<R: Read>(r: &mut R, n: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = vec![0u8; n];
    let mut len = 0;
    while len < n {
        match r.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(k) => len += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                head.truncate(len);
                return (head, Some(e));
            }
        }
    }
    head.truncate(len);
    (head, None)
}

/// A reader that fails with a stored error (then with one of the same kind).
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(self
            .0
            .take()
            .unwrap_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "input cut short")))
    }
}

/// Opens one input: undoes gzip, picks the format, returns its records.
fn open_stream(
    mut raw: Box<dyn Read + Send>,
    name: String,
    path: Option<&Path>,
    in_folder: bool,
    opts: &ReadOptions,
) -> Items {
    let invalid = |name: &str, message: String| {
        one(Err(ReadError::Invalid {
            path: name.to_string(),
            message,
        }))
    };
    let head = match read_head(&mut raw, 2) {
        Ok(h) => h,
        Err(source) => return one(Err(ReadError::Io { path: name, source })),
    };
    let gzip = detect::is_gzip(&head);
    let joined = io::Cursor::new(head).chain(raw);
    let mut reader: Box<dyn Read + Send> = if gzip {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            256 << 10,
            joined,
        )))
    } else {
        Box::new(joined)
    };
    let (head, failure) = read_head_partial(&mut reader, detect::SNIFF_BYTES);
    if let Some(e) = failure {
        if head.is_empty() {
            return invalid(&name, jsonl::io_message(&e));
        }
        reader = Box::new(Failing(Some(e)));
    }
    if head.is_empty() {
        return Box::new(std::iter::empty());
    }
    let format = match opts.format {
        Format::Auto => path
            .and_then(|p| detect::format_from_name(&p.to_string_lossy()))
            .unwrap_or_else(|| match detect::sniff(&head) {
                Format::Text if path.is_none() => Format::Jsonl,
                f => f,
            }),
        f => f,
    };
    if format != Format::Warc && detect::looks_binary(&head) {
        return if in_folder {
            one(Err(ReadError::Skipped {
                path: name,
                reason: "binary file".into(),
            }))
        } else {
            invalid(
                &name,
                "binary data, not text, HTML, JSON Lines or WARC".into(),
            )
        };
    }
    let stream = BufReader::with_capacity(256 << 10, io::Cursor::new(head.clone()).chain(reader));
    match format {
        Format::Jsonl => {
            let first = head
                .iter()
                .find(|b| !b.is_ascii_whitespace() && **b != 0xEF);
            let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
            if first == Some(&b'[') || first_line.trim_ascii() == b"{" {
                Box::new(jsonl::read_json_document(stream, &name, opts.max_doc_bytes).into_iter())
            } else {
                Box::new(jsonl::JsonlReader::new(stream, name, opts.max_line_bytes))
            }
        }
        Format::Warc => Box::new(warc::WarcArticles::new(stream, name, opts.max_doc_bytes)),
        Format::Html | Format::Text | Format::Auto => {
            one(read_document(stream, name, format, opts))
        }
    }
}

/// Reads a whole HTML page or text dump (bounded).
fn read_document<R: BufRead>(
    r: R,
    name: String,
    format: Format,
    opts: &ReadOptions,
) -> Result<Record, ReadError> {
    let invalid = |message: String| ReadError::Invalid {
        path: name.clone(),
        message,
    };
    let mut bytes = Vec::new();
    r.take(opts.max_doc_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| invalid(jsonl::io_message(&e)))?;
    if bytes.len() > opts.max_doc_bytes {
        return Err(invalid(format!(
            "too large (over {} MiB), skipped",
            opts.max_doc_bytes >> 20
        )));
    }
    let url = opts.url.as_deref();
    let mut article = if format == Format::Html {
        let mut a = html::extract(&bytes, url, None).map_err(|e| invalid(e.to_string()))?;
        if a.url.is_none() {
            a.url = url.map(str::to_string);
        }
        if a.date.is_none() {
            a.date = a.url.as_deref().and_then(date_from_url).map(PubDate::from);
        }
        a
    } else {
        let decoded = crate::analysis::encoding::decode(&bytes, None);
        if decoded.lossy {
            let bad = decoded.text.chars().filter(|&c| c == '\u{FFFD}').count();
            if bad * 100 > decoded.text.chars().count() {
                return Err(invalid(format!(
                    "not valid text: {bad} characters could not be decoded ({})",
                    decoded.encoding
                )));
            }
        }
        let mut a = text::parse_text(&decoded.text);
        a.url = url.map(str::to_string);
        if a.date.is_none() {
            a.date = url.and_then(date_from_url).map(PubDate::from);
        }
        a
    };
    if article.language.is_none() {
        article.language = guess_language(&article);
    }
    let article = finish_article(article).map_err(|m| invalid(m.to_string()))?;
    Ok(Record {
        file: name,
        article,
        bytes: bytes.len() as u64,
    })
}

/// `vi` when the title, lead and start of the body use letters only Vietnamese
/// writes (ơ, ư, ă, đ, ạ, ả, ế, …); `None` otherwise.
pub fn guess_language(a: &Article) -> Option<String> {
    let sample = a
        .title
        .iter()
        .chain(a.lead.iter())
        .map(String::as_str)
        .chain(std::iter::once(a.body.as_str()))
        .flat_map(str::chars)
        .take(2000);
    let (mut letters, mut vi) = (0usize, 0usize);
    for c in sample {
        if c.is_alphabetic() {
            letters += 1;
            if is_vietnamese_letter(c) {
                vi += 1;
            }
        }
    }
    (letters >= 20 && vi * 20 >= letters).then(|| "vi".to_string())
}

fn is_vietnamese_letter(c: char) -> bool {
    let c = c.to_lowercase().next().unwrap_or(c);
    matches!(c, 'ă' | 'ơ' | 'ư' | 'đ' | 'ạ'..='ỹ') || "âêôàáảãèéẻẽìíỉĩòóỏõùúủũỳýỷỹ".contains(c)
}

/// Final checks shared by the readers: an article must have some text; fills its id.
pub(crate) fn finish_article(mut a: Article) -> Result<Article, &'static str> {
    if a.is_empty() {
        return Err("empty article (no title, lead or body)");
    }
    a.ensure_id();
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn summary(inputs: &[String], format: Format) -> Vec<String> {
        read_inputs(inputs, format)
            .map(|r| match r {
                Ok(r) => format!("ok {} {}", r.file.rsplit('/').next().unwrap(), r.article.id),
                Err(e) if e.is_skip() => format!("skip {}", e.path().rsplit('/').next().unwrap()),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    #[test]
    fn folders_in_order_with_skips() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        write(
            p,
            "b.jsonl",
            b"{\"id\":\"j1\",\"body\":\"x\"}\n{\"id\":\"j2\",\"body\":\"y\"}\n",
        );
        write(p, "a.txt", "Tiêu đề\nThân bài.".as_bytes());
        write(p, "c/d.json.gz", &gz(b"{\"id\":\"g1\",\"body\":\"z\"}\n"));
        write(
            p,
            "c/e.html",
            "<html><title>T</title><body><p>Sáng nay, mưa lớn kéo dài khiến nhiều tuyến đường \
              ở trung tâm thành phố ngập sâu, giao thông ùn tắc nhiều giờ.</p></body></html>"
                .as_bytes(),
        );
        write(p, ".hidden/x.jsonl", b"{\"id\":\"no\"}\n");
        write(p, ".x.txt", b"no");
        write(p, "img.png", b"\x89PNG\r\n\x1a\n");
        write(p, "blob", &[0u8, 159, 146, 150, 0, 0, 1, 2]);
        write(p, "empty.txt", b"");
        write(p, "notes", "Ghi chú\nnội dung".as_bytes());
        let got = summary(&[p.display().to_string()], Format::Auto);
        let id_txt = &got[2];
        assert_eq!(got[0], "skip .hidden");
        assert_eq!(got[1], "skip .x.txt");
        assert!(id_txt.starts_with("ok a.txt h:"), "{got:?}");
        assert_eq!(got[3], "ok b.jsonl j1");
        assert_eq!(got[4], "ok b.jsonl j2");
        assert_eq!(got[5], "skip blob");
        assert_eq!(got[6], "ok d.json.gz g1");
        assert!(got[7].starts_with("ok e.html "), "{got:?}");
        assert_eq!(got[8], "skip img.png");
        assert!(got[9].starts_with("ok notes h:"), "{got:?}");
        assert_eq!(got.len(), 10, "{got:?}");
    }

    #[test]
    fn missing_and_binary_named_files_are_errors() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "blob.bin", &[0u8, 1, 2, 3, 0, 0, 0, 9]);
        let inputs = vec![
            d.path().join("nope.jsonl").display().to_string(),
            d.path().join("blob.bin").display().to_string(),
        ];
        let got = summary(&inputs, Format::Auto);
        assert_eq!(got.len(), 2);
        assert!(
            got[0].starts_with("err ") && got[0].contains("nope.jsonl"),
            "{got:?}"
        );
        assert!(got[1].contains("blob.bin: binary data"), "{got:?}");
    }

    #[test]
    fn forced_format_and_sniffing() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "x.dat", b"{\"id\":\"s\",\"body\":\"x\"}\n");
        write(d.path(), "y.jsonl", "Tiêu đề\nThân".as_bytes());
        let x = d.path().join("x.dat").display().to_string();
        let y = d.path().join("y.jsonl").display().to_string();
        assert_eq!(
            summary(std::slice::from_ref(&x), Format::Auto),
            ["ok x.dat s"]
        );
        let forced = summary(std::slice::from_ref(&x), Format::Text);
        assert!(forced[0].starts_with("ok x.dat h:"), "{forced:?}");
        let wrong = summary(std::slice::from_ref(&y), Format::Auto);
        assert!(wrong[0].contains("y.jsonl:1: invalid JSON"), "{wrong:?}");
        assert!(summary(&[y], Format::Text)[0].starts_with("ok y.jsonl h:"));
    }

    #[test]
    fn truncated_gzip_and_invalid_text() {
        let d = tempfile::tempdir().unwrap();
        let lines: String = (0..3000)
            .map(|i| format!("{{\"id\":\"{i}\",\"body\":\"nội dung {i}\"}}\n"))
            .collect();
        let z = gz(lines.as_bytes());
        write(d.path(), "cut.jsonl.gz", &z[..z.len() / 2]);
        // UTF-16LE with unpaired surrogates: undecodable whatever the decoder.
        write(
            d.path(),
            "bad.txt",
            b"\xFF\xFE\x00\xD8\x00\xD8\x00\xD8A\x00",
        );
        let got = summary(&[d.path().display().to_string()], Format::Auto);
        let errs: Vec<_> = got.iter().filter(|s| s.starts_with("err")).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].contains("bad.txt: not valid text"), "{errs:?}");
        assert!(
            errs[1].contains("cut.jsonl.gz:") && errs[1].contains("cut short"),
            "{errs:?}"
        );
        assert!(got.iter().filter(|s| s.starts_with("ok")).count() > 100);
    }

    #[test]
    fn small_truncated_gzip_keeps_what_was_read() {
        let z = gz(b"{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"b\",\"body\":\"y\"}\n");
        let cut = z[..z.len() - 6].to_vec();
        let got: Vec<_> = open_stream(
            Box::new(io::Cursor::new(cut)),
            "s.jsonl.gz".into(),
            None,
            false,
            &ReadOptions::default(),
        )
        .collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1].as_ref().unwrap().article.id, "b");
        assert!(
            got[2]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("cut short")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            prefix in proptest::sample::select(vec![&b""[..], b"WARC/1.0\r\n", b"{\"", b"<html>", b"\x1f\x8b"]),
        ) {
            let mut input = prefix.to_vec();
            input.extend_from_slice(&bytes);
            for format in [Format::Auto, Format::Html, Format::Text, Format::Jsonl, Format::Warc] {
                let opts = ReadOptions { format, max_line_bytes: 256, max_doc_bytes: 1024, ..Default::default() };
                for item in open_stream(Box::new(io::Cursor::new(input.clone())), "p".into(), None, false, &opts) {
                    if let Err(e) = item {
                        proptest::prop_assert!(!e.to_string().contains('\n'), "one line: {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn size_limits() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "big.html", &vec![b'<'; 2 << 20]);
        let opts = ReadOptions {
            max_doc_bytes: 1 << 20,
            ..Default::default()
        };
        let got: Vec<_> =
            read_inputs_with(&[d.path().join("big.html").display().to_string()], opts).collect();
        assert_eq!(got.len(), 1);
        assert!(
            got[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
    }

    #[test]
    fn url_option_sets_the_id_and_date() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "a.txt", "Tiêu đề\nThân bài.".as_bytes());
        let opts = ReadOptions {
            url: Some("https://dantri.com.vn/x-20260307080054340.htm".into()),
            ..Default::default()
        };
        let got: Vec<_> =
            read_inputs_with(&[d.path().join("a.txt").display().to_string()], opts).collect();
        let a = &got[0].as_ref().unwrap().article;
        assert_eq!(a.id, "https://dantri.com.vn/x-20260307080054340.htm");
        assert!(a.date.is_some());
    }

    #[test]
    fn language_guess() {
        let a = Article {
            title: Some("Giá vàng giảm mạnh trong phiên sáng nay".into()),
            ..Default::default()
        };
        assert_eq!(guess_language(&a).as_deref(), Some("vi"));
        let b = Article {
            title: Some("Gold prices fall sharply this morning".into()),
            ..Default::default()
        };
        assert_eq!(guess_language(&b), None);
    }
}

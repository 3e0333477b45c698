//! Readers: every input (HTML pages, plain-text dumps, JSON Lines, WARC, folders,
//! standard input) becomes [`Article`]s.
//!
//! [`read_inputs`] is the entry point: it walks the given paths and yields one
//! `Result<Record, ReadError>` per article or per failure, never stopping on one
//! bad input.

pub mod date;
pub mod html;

pub use date::{DateMatch, date_from_url, find_date, parse_date, parse_date_with};

use std::io::BufRead;
use std::path::PathBuf;

use crate::article::Article;

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

/// One article read, with where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    /// The input it was read from (a path, or `-` for standard input).
    pub file: String,
    pub article: Article,
    /// Size of the input this article took (bytes), for throughput figures.
    pub bytes: u64,
}

/// A reader failure, naming the input (and line or record) and the problem.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// Reads every input in order: files, folders (recursively) and `-` (standard input).
pub fn read_inputs(
    inputs: &[String],
    format: Format,
) -> Box<dyn Iterator<Item = Result<Record, ReadError>> + Send> {
    let _ = format;
    let mut paths: Vec<PathBuf> = Vec::new();
    for i in inputs {
        for e in walkdir::WalkDir::new(i)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                paths.push(e.into_path());
            }
        }
    }
    Box::new(paths.into_iter().flat_map(|p| {
        let name = p.display().to_string();
        let file = match std::fs::File::open(&p) {
            Ok(f) => f,
            Err(source) => return vec![Err(ReadError::Io { path: name, source })],
        };
        let reader: Box<dyn BufRead> = if name.ends_with(".gz") {
            Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
                file,
            )))
        } else {
            Box::new(std::io::BufReader::new(file))
        };
        let mut out = Vec::new();
        for (n, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(l) => l,
                Err(source) => {
                    out.push(Err(ReadError::Io {
                        path: name.clone(),
                        source,
                    }));
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let bytes = line.len() as u64 + 1;
            match serde_json::from_str::<Article>(&line) {
                Ok(mut article) => {
                    article.ensure_id();
                    out.push(Ok(Record {
                        file: name.clone(),
                        article,
                        bytes,
                    }))
                }
                Err(e) => out.push(Err(ReadError::Line {
                    path: name.clone(),
                    line: n as u64 + 1,
                    message: e.to_string(),
                })),
            }
        }
        out
    }))
}

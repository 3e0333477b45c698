//! `tintuc search`: one query, or `--batch FILE` (one query a line, JSON Lines out).

mod render;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use tintuc::index::Archive;
use tintuc::search::{self, Accents, DateFilter, Interval, QueryError, SearchRequest, Sort, dates};

use super::UsageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Most recent first (undated articles last).
    Newest,
    /// Oldest first (undated articles last).
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AccentsArg {
    /// A word typed with accents matches only that word; without, any accents.
    Strict,
    /// Every word matches any accents; exact accents rank first.
    Loose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntervalArg {
    Year,
    Month,
    Day,
}

/// Search the index.
///
/// Query language: words (all required), "phrases", -word to exclude, OR,
/// field:word (title, author, source, category, kicker, lead, body), parentheses.
/// A word typed with accents matches exactly that word (hoà = hòa); a word typed
/// without accents matches every accented form (dang finds Đảng, đang, dáng).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query; several arguments are joined with spaces. Quote it when it has
    /// `-word` or `"phrases"`; put `--` before a query that starts with `-`.
    #[arg(
        value_name = "QUERY",
        num_args = 1..,
        required_unless_present = "batch",
        conflicts_with = "batch"
    )]
    pub query: Vec<String>,

    /// Run one query per line of FILE (`-` for standard input) and print one JSON
    /// object per line, in order.
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,

    /// Only articles published on or after DATE (2013, 2013-06, 2013-06-16 or 16/06/2013; Vietnam time).
    #[arg(long, value_name = "DATE", conflicts_with = "on")]
    pub from: Option<String>,

    /// Only articles published on or before DATE (the whole year, month or day).
    #[arg(long, value_name = "DATE", conflicts_with = "on")]
    pub to: Option<String>,

    /// Only articles published on DATE (a year, month or day).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,

    /// Result order.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,

    /// Number of results to show.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,

    /// Number of results to skip.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,

    /// How accents in the query match.
    #[arg(long, value_enum, default_value_t = AccentsArg::Strict)]
    pub accents: AccentsArg,

    /// Also count the matches per year, month or day (calendar units, Vietnam time).
    #[arg(long, value_enum, value_name = "INTERVAL")]
    pub histogram: Option<IntervalArg>,

    /// Fold near-duplicate (syndicated) articles into the best-ranked copy.
    #[arg(long)]
    pub collapse: bool,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    /// Do not restore the accents of words typed without them (by default the
    /// likely accented reading ranks first and is shown as "Hiểu là"; what matches
    /// is the same either way).
    #[arg(long)]
    pub no_restore: bool,
}

impl Args {
    /// The request options shared by every query (everything but the text).
    fn request(&self) -> Result<SearchRequest, UsageError> {
        let period = |s: &Option<String>| -> Result<Option<dates::Period>, UsageError> {
            s.as_deref()
                .map(dates::parse_period)
                .transpose()
                .map_err(|e| UsageError(e.to_string()))
        };
        let dates = match period(&self.on)? {
            Some(p) => DateFilter::on(p),
            None => DateFilter::between(period(&self.from)?, period(&self.to)?)
                .map_err(|e| UsageError(e.to_string()))?,
        };
        let mut r = SearchRequest::new(String::new());
        r.dates = dates;
        r.sort = match self.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        };
        r.limit = self.limit;
        r.offset = self.offset;
        r.accents = match self.accents {
            AccentsArg::Strict => Accents::Strict,
            AccentsArg::Loose => Accents::Loose,
        };
        r.histogram = self.histogram.map(|h| match h {
            IntervalArg::Year => Interval::Year,
            IntervalArg::Month => Interval::Month,
            IntervalArg::Day => Interval::Day,
        });
        r.collapse = self.collapse;
        r.restore = !self.no_restore;
        Ok(r)
    }
}

pub fn run(index: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let base = args.request()?;
    if let Some(file) = &args.batch {
        return batch(index, file, &base);
    }
    let mut req = base;
    req.query = args.query.join(" ");
    if req.query.trim().is_empty() {
        return Err(UsageError(QueryError::Empty.to_string()).into());
    }
    let archive = Archive::open(index)?;
    let resp = match search::search(&archive, &req) {
        Ok(r) => r,
        Err(e) if e.is_usage() => return Err(UsageError(e.to_string()).into()),
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &search::json::response(&resp))?;
        writeln!(out)?;
        out.flush()?;
    } else {
        let mut out = anstream::stdout().lock();
        render::terminal(&mut out, &resp, &req)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Longest query line read by `--batch` (the library's bound on a query); a longer
/// line gets an error object.
const MAX_QUERY_BYTES: usize = search::MAX_QUERY_BYTES;

/// Reads one line (without its `\n`) into `buf`, keeping at most `max` bytes; `None`
/// at the end of the input, `Some(true)` when the line was longer than `max`.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut cut = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(cut));
        }
        any = true;
        let (line, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], i + 1),
            None => (chunk, chunk.len()),
        };
        let room = max.saturating_sub(buf.len());
        cut |= line.len() > room;
        buf.extend_from_slice(&line[..line.len().min(room)]);
        let ended = done > line.len();
        r.consume(done);
        if ended {
            return Ok(Some(cut));
        }
    }
}

/// `--batch`: open the index once, one JSON object per input line.
fn batch(index: &Path, file: &Path, base: &SearchRequest) -> anyhow::Result<ExitCode> {
    let input: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(file)
            .with_context(|| format!("cannot read the batch file {}", file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let archive = Archive::open(index)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut input = input;
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        n += 1;
        let Some(cut) = read_line(&mut input, &mut line, MAX_QUERY_BYTES)
            .with_context(|| format!("{}: line {n}", file.display()))?
        else {
            break;
        };
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let mut req = base.clone();
        req.query = text.to_string();
        if cut {
            let e = QueryError::TooLong {
                max: MAX_QUERY_BYTES,
            };
            serde_json::to_writer(&mut out, &search::json::error(&req.query, &e))?;
            writeln!(out)?;
            continue;
        }
        match search::search(&archive, &req) {
            Ok(resp) => serde_json::to_writer(&mut out, &search::json::response(&resp))?,
            Err(e) if e.is_usage() => {
                serde_json::to_writer(&mut out, &search::json::error(&req.query, &e))?
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(format!(
                    "{}: line {}",
                    file.display(),
                    n + 1
                )));
            }
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

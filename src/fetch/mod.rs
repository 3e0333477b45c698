//! Fetching news from the web: an HTTP client with limits, `robots.txt`, per-host
//! politeness, retries, discovery (feeds, sitemaps, listing pages), a WARC archive
//! of what was fetched, and a resumable crawl state.
//!
//! The data flow of a crawl:
//!
//! ```text
//! Source (feed, sitemap, URL list, listing page)
//!   └─ discover ─▶ Candidate {url, date} ─▶ dispatcher (dedup, --since, --max-pages,
//!                                            per-host round robin, rate slots)
//!        └─ page task: robots ─▶ GET (retries, redirects, caps) ─▶ charset ─▶ extract
//!             └─ store thread: WARC append ─▶ Sink::put ─▶ every N pages: WARC flush,
//!                Sink::commit, then the crawl state marks those URLs done
//! ```
//!
//! [`Crawler`] runs it; [`Sink`] is where articles go (the index in the CLI, a
//! [`MemorySink`] in tests); [`Observer`] receives progress and one-line notes
//! about each failed or skipped input. Nothing here talks to the terminal.
//!
//! The rules live in: [`config`] (defaults: 8 connections, 1 request/s/host,
//! 30 s timeout, 3 tries, 10 redirects, 20 MB cap), [`politeness`] (per-host
//! slots, `Crawl-delay`, `Retry-After` pauses), [`robots`], [`client`] (retries,
//! redirects, caps, content types), [`discover`] (what counts as an article link),
//! [`state`] (what is done), [`warc`] (the archive format).

pub mod charset;
pub mod client;
pub mod config;
pub mod crawler;
pub mod discover;
pub mod index_sink;
pub mod politeness;
pub mod robots;
pub mod sink;
pub mod state;
pub mod warc;

#[cfg(test)]
#[allow(dead_code)]
pub(crate) mod test_server;

pub use client::{Client, Response};
pub use config::{DEFAULT_USER_AGENT, FetchConfig};
pub use crawler::{
    Cancel, CrawlOptions, CrawlReport, Crawler, Event, Observer, Progress, Source, fetch_urls,
};
pub use sink::{MemorySink, Sink, SinkError, Stored};

/// A fetch failure, naming the URL (or file) and the problem.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: not a valid URL ({message})")]
    InvalidUrl { url: String, message: String },
    #[error("{url}: only http and https URLs are fetched")]
    UnsupportedScheme { url: String },
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirect loop")]
    RedirectLoop { url: String },
    #[error("{url}: redirect without a usable Location header")]
    BadRedirect { url: String },
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: connection failed: {message}")]
    Connect { url: String, message: String },
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{url}: disallowed by robots.txt")]
    RobotsDenied { url: String },
    #[error("{url}: not HTML ({content_type}), skipped")]
    NotHtml { url: String, content_type: String },
    #[error("{url}: {message}")]
    Discovery { url: String, message: String },
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
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("{0}")]
    Sink(#[from] SinkError),
}

impl FetchError {
    /// True for failures worth another try: timeouts, connection errors, 5xx and 429.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Connect { .. } => true,
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            FetchError::Http { .. } => true,
            _ => false,
        }
    }
}

//! The crawl: discovery, dispatch, fetch, extract, store, commit, resume.
//!
//! [`Crawler::run`] is blocking. It starts a tokio runtime for the network side
//! (discovery task, dispatcher, page tasks) and runs the store loop on the calling
//! thread, which alone touches the [`Sink`], the WARC writer and the crawl state:
//!
//! - the **dispatcher** keeps one queue per host and hands out URLs round robin,
//!   only for hosts whose next rate slot is due, at most `concurrency` at a time;
//!   it drops duplicates, URLs the state says are done (unless `refresh`), URLs
//!   dated before `since`, and stops after `max_pages`;
//! - a **page task** fetches (robots, retries, redirects, caps), then on a blocking
//!   thread turns the charset into UTF-8, extracts the article and encodes the WARC
//!   records;
//! - the **store loop** appends WARC records, puts articles into the sink, and every
//!   `commit_every` pages or `commit_interval` flushes the WARC file, commits the
//!   sink, and only then records those URLs as done in the state.
//!
//! [`Cancel`] (Ctrl-C in the CLI) stops dispatching, lets pages in flight finish for
//! a moment, and commits what was stored.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;
use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use super::FetchError;
use super::charset;
use super::client::{Client, GetOptions, Response, parse_url};
use super::config::FetchConfig;
use super::discover::{self, Candidate, feed, links, sitemap};
use super::politeness::host_key;
use super::sink::{Sink, Stored};
use super::state::{CrawlState, UrlState};
use super::warc::{self, WarcWriter};
use crate::article::Article;

/// Where article URLs come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// An RSS or Atom feed.
    Feed(String),
    /// A sitemap or sitemap index (also `.xml.gz`).
    Sitemap(String),
    /// A file with one URL a line (`-` for standard input).
    UrlFile(PathBuf),
    /// URLs given directly.
    Urls(Vec<String>),
    /// A listing page whose article links are fetched, following up to `pages`
    /// listing pages (1: only this one).
    Follow { url: String, pages: usize },
}

/// Everything a crawl needs besides its sources.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    pub fetch: FetchConfig,
    /// Skip entries dated (by their feed or sitemap) before this.
    pub since: Option<Timestamp>,
    /// Fetch at most this many article pages.
    pub max_pages: Option<u64>,
    /// Fetch again what the state says is done (with `If-None-Match` / `If-Modified-Since`).
    pub refresh: bool,
    /// Commit after this many pages...
    pub commit_every: usize,
    /// ...or after this long, whichever comes first.
    pub commit_interval: Duration,
    /// Folder of the WARC archive (`None`: no archive).
    pub warc_dir: Option<PathBuf>,
    /// Size at which a WARC file is closed and the next one begun.
    pub warc_max_bytes: u64,
    /// The crawl state log (`None`: kept in memory only).
    pub state_path: Option<PathBuf>,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            fetch: FetchConfig::default(),
            since: None,
            max_pages: None,
            refresh: false,
            commit_every: 500,
            commit_interval: Duration::from_secs(30),
            warc_dir: None,
            warc_max_bytes: warc::DEFAULT_MAX_FILE_BYTES,
            state_path: None,
        }
    }
}

impl CrawlOptions {
    /// The options for crawling into the index at `index_dir`: WARC files in
    /// `index_dir/raw`, the state in `index_dir/crawl/state.jsonl`.
    pub fn for_index(index_dir: &Path) -> CrawlOptions {
        CrawlOptions {
            warc_dir: Some(index_dir.join("raw")),
            state_path: Some(index_dir.join("crawl").join("state.jsonl")),
            ..CrawlOptions::default()
        }
    }
}

/// The counts of a crawl (`--json` prints this object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CrawlReport {
    /// Article pages answered with 2xx or 304.
    pub fetched: u64,
    /// Articles added or changed in the index.
    pub indexed: u64,
    /// Pages unchanged (304, or the same content as stored).
    pub unchanged: u64,
    /// URLs not fetched or not indexed on purpose: done before, dated before
    /// `--since`, not HTML, no article text.
    pub skipped: u64,
    /// Failures: HTTP errors, timeouts, too large, bad URLs, unreadable feeds.
    pub errors: u64,
    /// URLs `robots.txt` forbids.
    pub robots_denied: u64,
    /// Of `indexed`: new articles.
    pub added: u64,
    /// Of `indexed`: articles whose content changed.
    pub updated: u64,
}

/// A snapshot for a live progress line.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub report: CrawlReport,
    /// Pages being fetched or extracted now.
    pub in_flight: u64,
    /// URLs waiting, over all hosts.
    pub queued: u64,
    /// The longest per-host queues: `(host, waiting)`, longest first (at most 3).
    pub hosts: Vec<(String, usize)>,
    pub elapsed: Duration,
}

impl Progress {
    /// Article pages fetched per second so far.
    pub fn pages_per_sec(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.report.fetched as f64 / s
        } else {
            0.0
        }
    }
}

/// What an [`Event`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Error,
    Skipped,
    RobotsDenied,
    Committed,
}

/// One thing worth a line: a failed or skipped input, or a commit.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    /// The input concerned (URL or file), empty for commits.
    pub url: String,
    /// One line naming the input and the problem.
    pub message: String,
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Receives progress and events (the CLI draws the live line and prints notes).
pub trait Observer: Send + Sync {
    /// Called about four times a second and once at the end.
    fn progress(&self, _p: &Progress) {}
    /// Called for each failed or skipped input and each commit.
    fn event(&self, _e: &Event) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct Quiet;
impl Observer for Quiet {}

/// Stops a running crawl gracefully (from another thread, e.g. a Ctrl-C handler).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<(AtomicBool, Notify)>);

impl Cancel {
    /// Asks the crawl to stop: no new pages, pages in flight get a moment, then commit.
    pub fn cancel(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }
    /// True once [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }
    async fn cancelled(&self) {
        loop {
            let n = self.0.1.notified();
            tokio::pin!(n);
            n.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            n.await;
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    fetched: AtomicU64,
    added: AtomicU64,
    updated: AtomicU64,
    unchanged: AtomicU64,
    skipped: AtomicU64,
    errors: AtomicU64,
    robots_denied: AtomicU64,
    in_flight: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Counters {
    fn report(&self) -> CrawlReport {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        CrawlReport {
            fetched: g(&self.fetched),
            indexed: g(&self.added) + g(&self.updated),
            unchanged: g(&self.unchanged),
            skipped: g(&self.skipped),
            errors: g(&self.errors),
            robots_denied: g(&self.robots_denied),
            added: g(&self.added),
            updated: g(&self.updated),
        }
    }
}

struct Ctx {
    client: Client,
    opts: CrawlOptions,
    state: Mutex<CrawlState>,
    counters: Counters,
    observer: Arc<dyn Observer>,
    cancel: Cancel,
    started: Instant,
}

impl Ctx {
    fn note(&self, kind: EventKind, url: &str, message: String) {
        match kind {
            EventKind::Error => bump(&self.counters.errors),
            EventKind::Skipped => bump(&self.counters.skipped),
            EventKind::RobotsDenied => bump(&self.counters.robots_denied),
            EventKind::Committed => {}
        }
        self.observer.event(&Event {
            kind,
            url: url.to_string(),
            message,
        });
    }

    fn fail(&self, e: &FetchError) {
        let url = match e {
            FetchError::InvalidUrl { url, .. }
            | FetchError::UnsupportedScheme { url }
            | FetchError::Status { url, .. }
            | FetchError::Timeout { url }
            | FetchError::TooLarge { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Http { url, .. }
            | FetchError::Discovery { url, .. } => url.clone(),
            FetchError::Line { path, .. } | FetchError::Io { path, .. } => path.clone(),
            _ => String::new(),
        };
        match e {
            FetchError::RobotsDenied { url } => {
                self.note(EventKind::RobotsDenied, url, e.to_string())
            }
            FetchError::NotHtml { url, .. } => self.note(EventKind::Skipped, url, e.to_string()),
            _ => self.note(EventKind::Error, &url, e.to_string()),
        }
    }

    fn state_of(&self, url: &str) -> Option<UrlState> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(url)
            .cloned()
    }
}

/// A page result on its way to the store loop.
struct Done {
    /// Marked done in the state once committed (`None`: try again next run).
    state: Option<UrlState>,
    article: Option<Article>,
    /// Encoded WARC records (empty: nothing to archive).
    warc: Vec<u8>,
}

/// Runs crawls. See the module documentation for the moving parts.
pub struct Crawler {
    opts: CrawlOptions,
    observer: Arc<dyn Observer>,
    cancel: Cancel,
}

impl Crawler {
    /// A crawler with these options, reporting to nobody.
    pub fn new(opts: CrawlOptions) -> Crawler {
        Crawler {
            opts,
            observer: Arc::new(Quiet),
            cancel: Cancel::default(),
        }
    }

    /// Reports progress and events to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Crawler {
        self.observer = observer;
        self
    }

    /// A handle that stops this crawler's runs.
    pub fn cancel_handle(&self) -> Cancel {
        self.cancel.clone()
    }

    /// Crawls `sources` into `sink` and returns the counts. Fails only when the
    /// crawl itself cannot go on (client, state or archive cannot be opened, the
    /// sink cannot commit); each bad page or source is counted and reported instead.
    pub fn run<S: Sink>(
        &self,
        sources: Vec<Source>,
        sink: &mut S,
    ) -> Result<CrawlReport, FetchError> {
        let client = Client::new(self.opts.fetch.clone())?;
        let state = match &self.opts.state_path {
            Some(p) => CrawlState::open(p).map_err(|source| FetchError::Io {
                path: p.display().to_string(),
                source,
            })?,
            None => CrawlState::memory(),
        };
        let mut warc = match &self.opts.warc_dir {
            Some(d) => Some(
                WarcWriter::open(d, self.opts.warc_max_bytes).map_err(|source| FetchError::Io {
                    path: d.display().to_string(),
                    source,
                })?,
            ),
            None => None,
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| FetchError::Client(format!("cannot start the async runtime: {e}")))?;
        let ctx = Arc::new(Ctx {
            client,
            opts: self.opts.clone(),
            state: Mutex::new(state),
            counters: Counters::default(),
            observer: self.observer.clone(),
            cancel: self.cancel.clone(),
            started: Instant::now(),
        });
        let (tx, rx) = mpsc::channel::<Done>(self.opts.fetch.concurrency.max(1) * 2 + 4);
        let result = std::thread::scope(|scope| {
            let actx = ctx.clone();
            let net = scope.spawn(move || rt.block_on(crawl_async(actx, sources, tx)));
            let stored = store_loop(&ctx, rx, sink, warc.as_mut());
            if stored.is_err() {
                ctx.cancel.cancel();
            }
            let _ = net.join();
            stored
        });
        result?;
        let report = ctx.counters.report();
        ctx.observer.progress(&Progress {
            report: report.clone(),
            elapsed: ctx.started.elapsed(),
            ..Progress::default()
        });
        Ok(report)
    }
}

/// Fetches and stores the given article URLs (what `tintuc ingest URL...` does):
/// like a crawl of a URL list, but URLs done before are fetched again, conditionally.
pub fn fetch_urls<S: Sink>(
    urls: &[String],
    mut opts: CrawlOptions,
    sink: &mut S,
    observer: Arc<dyn Observer>,
) -> Result<CrawlReport, FetchError> {
    opts.refresh = true;
    Crawler::new(opts)
        .with_observer(observer)
        .run(vec![Source::Urls(urls.to_vec())], sink)
}

fn store_loop<S: Sink>(
    ctx: &Ctx,
    mut rx: mpsc::Receiver<Done>,
    sink: &mut S,
    mut warc: Option<&mut WarcWriter>,
) -> Result<(), FetchError> {
    let mut pending_state: Vec<UrlState> = Vec::new();
    let mut pending = 0usize;
    let mut last_commit = Instant::now();
    let c = &ctx.counters;
    while let Some(done) = rx.blocking_recv() {
        if let Some(w) = warc.as_deref_mut() {
            w.append(&done.warc).map_err(|source| FetchError::Io {
                path: "WARC archive".into(),
                source,
            })?;
        }
        let mut st = done.state;
        if let Some(a) = done.article {
            match sink.put(&a) {
                Ok(stored) => {
                    match stored {
                        Stored::Added => bump(&c.added),
                        Stored::Updated => bump(&c.updated),
                        Stored::Unchanged => bump(&c.unchanged),
                    }
                    if let Some(s) = &mut st {
                        s.id = Some(a.id.clone());
                        s.hash = Some(format!("{:016x}", a.content_hash()));
                    }
                }
                Err(e) => {
                    let url = a.url.clone().unwrap_or(a.id.clone());
                    ctx.note(EventKind::Error, &url, format!("{url}: cannot store: {e}"));
                    st = None;
                }
            }
        }
        pending_state.extend(st);
        pending += 1;
        if pending >= ctx.opts.commit_every.max(1)
            || last_commit.elapsed() >= ctx.opts.commit_interval
        {
            commit(ctx, sink, warc.as_deref_mut(), &mut pending_state, pending)?;
            pending = 0;
            last_commit = Instant::now();
        }
    }
    if pending > 0 {
        commit(ctx, sink, warc, &mut pending_state, pending)?;
    }
    Ok(())
}

fn commit<S: Sink>(
    ctx: &Ctx,
    sink: &mut S,
    warc: Option<&mut WarcWriter>,
    pending_state: &mut Vec<UrlState>,
    pages: usize,
) -> Result<(), FetchError> {
    if let Some(w) = warc {
        w.flush().map_err(|source| FetchError::Io {
            path: "WARC archive".into(),
            source,
        })?;
    }
    sink.commit()?;
    let path = ctx
        .opts
        .state_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    ctx.state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .record(std::mem::take(pending_state))
        .map_err(|source| FetchError::Io { path, source })?;
    ctx.note(EventKind::Committed, "", format!("committed {pages} pages"));
    Ok(())
}

async fn crawl_async(ctx: Arc<Ctx>, sources: Vec<Source>, tx: mpsc::Sender<Done>) {
    let (cand_tx, cand_rx) = mpsc::channel::<Candidate>(1024);
    let disc = tokio::spawn(discover_all(ctx.clone(), sources, cand_tx));
    dispatch(ctx.clone(), cand_rx, tx).await;
    disc.abort();
    let _ = disc.await;
}

/// Sends every candidate of every source; returns early when the dispatcher stops listening.
async fn discover_all(ctx: Arc<Ctx>, sources: Vec<Source>, tx: mpsc::Sender<Candidate>) {
    for source in sources {
        if ctx.cancel.is_cancelled() {
            return;
        }
        let go_on = match source {
            Source::Urls(list) => send_list(&ctx, &tx, list.join("\n"), "command line").await,
            Source::UrlFile(path) => {
                let name = path.display().to_string();
                let stdin = name == "-";
                let text = tokio::task::spawn_blocking(move || {
                    if stdin {
                        std::io::read_to_string(std::io::stdin())
                    } else {
                        std::fs::read_to_string(&path)
                    }
                })
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
                match text {
                    Ok(t) => send_list(&ctx, &tx, t, &name).await,
                    Err(source) => {
                        ctx.fail(&FetchError::Io { path: name, source });
                        true
                    }
                }
            }
            Source::Feed(u) => discover_feed(&ctx, &tx, &u).await,
            Source::Sitemap(u) => discover_sitemaps(&ctx, &tx, &u).await,
            Source::Follow { url, pages } => discover_listing(&ctx, &tx, &url, pages).await,
        };
        if !go_on {
            return;
        }
    }
}

async fn send_list(ctx: &Ctx, tx: &mpsc::Sender<Candidate>, text: String, name: &str) -> bool {
    for item in discover::url_list(&text, name) {
        match item {
            Ok(c) => {
                if tx.send(c).await.is_err() {
                    return false;
                }
            }
            Err(e) => ctx.fail(&e),
        }
    }
    true
}

/// Fetches a discovery document (feed, sitemap, listing page).
async fn fetch_doc(ctx: &Ctx, url: &str) -> Option<Response> {
    let url = match parse_url(url) {
        Ok(u) => u,
        Err(e) => {
            ctx.fail(&e);
            return None;
        }
    };
    match ctx.client.get(&url, GetOptions::default()).await {
        Ok(r) if !r.not_modified() => Some(r),
        Ok(_) => None,
        Err(e) => {
            ctx.fail(&e);
            None
        }
    }
}

async fn send_candidates(ctx: &Ctx, tx: &mpsc::Sender<Candidate>, list: Vec<Candidate>) -> bool {
    for c in list {
        if c.older_than(ctx.opts.since) {
            bump(&ctx.counters.skipped);
            continue;
        }
        if tx.send(c).await.is_err() {
            return false;
        }
    }
    true
}

async fn discover_feed(ctx: &Ctx, tx: &mpsc::Sender<Candidate>, url: &str) -> bool {
    let Some(r) = fetch_doc(ctx, url).await else {
        return true;
    };
    match feed::parse(&r.body, &r.url) {
        Ok(list) => send_candidates(ctx, tx, list).await,
        Err(m) => {
            ctx.fail(&FetchError::Discovery {
                url: r.url.to_string(),
                message: m,
            });
            true
        }
    }
}

/// Sitemap indexes nest at most this deep.
const MAX_SITEMAP_DEPTH: usize = 4;
/// Most sitemap documents (indexes and lists) fetched for one `--sitemap`: a wide
/// index of indexes could otherwise ask for 50,000^4 fetches.
pub const MAX_SITEMAP_FETCHES: usize = 1000;

async fn discover_sitemaps(ctx: &Ctx, tx: &mpsc::Sender<Candidate>, url: &str) -> bool {
    let mut stack: Vec<(String, usize)> = vec![(url.to_string(), 0)];
    let mut visited = HashSet::new();
    while let Some((u, depth)) = stack.pop() {
        if ctx.cancel.is_cancelled() || tx.is_closed() {
            return false;
        }
        if !visited.insert(u.clone()) {
            continue;
        }
        if visited.len() > MAX_SITEMAP_FETCHES {
            ctx.fail(&FetchError::Discovery {
                url: url.to_string(),
                message: format!(
                    "stopped after {MAX_SITEMAP_FETCHES} sitemaps: the rest of this sitemap \
                     index is not read (--since skips the old ones)"
                ),
            });
            return true;
        }
        let Some(r) = fetch_doc(ctx, &u).await else {
            continue;
        };
        match sitemap::parse(&r.body, &r.url) {
            Ok(sitemap::Sitemap::Urls(list)) => {
                if !send_candidates(ctx, tx, list).await {
                    return false;
                }
            }
            Ok(sitemap::Sitemap::Index(children)) => {
                if depth + 1 > MAX_SITEMAP_DEPTH {
                    ctx.fail(&FetchError::Discovery {
                        url: r.url.to_string(),
                        message: format!("sitemap indexes nested deeper than {MAX_SITEMAP_DEPTH}"),
                    });
                    continue;
                }
                // A child sitemap last changed before `since` lists nothing newer.
                let keep = children
                    .into_iter()
                    .filter(|c| !c.older_than(ctx.opts.since));
                // Reversed so the stack pops them in document order.
                let mut kids: Vec<(String, usize)> =
                    keep.map(|c| (c.url.to_string(), depth + 1)).collect();
                kids.reverse();
                stack.extend(kids);
            }
            Err(m) => ctx.fail(&FetchError::Discovery {
                url: r.url.to_string(),
                message: m,
            }),
        }
    }
    true
}

async fn discover_listing(
    ctx: &Ctx,
    tx: &mpsc::Sender<Candidate>,
    url: &str,
    pages: usize,
) -> bool {
    let mut todo: VecDeque<String> = VecDeque::from([url.to_string()]);
    let mut visited = HashSet::new();
    let mut done_pages = 0;
    while let Some(u) = todo.pop_front() {
        if done_pages >= pages.max(1) || ctx.cancel.is_cancelled() || tx.is_closed() {
            break;
        }
        if !visited.insert(u.clone()) {
            continue;
        }
        let Some(r) = fetch_doc(ctx, &u).await else {
            done_pages += 1;
            continue;
        };
        done_pages += 1;
        let found = links::listing_links(&r.body, r.content_type(), &r.url);
        if !send_candidates(
            ctx,
            tx,
            found.articles.into_iter().map(Candidate::new).collect(),
        )
        .await
        {
            return false;
        }
        for next in found.next_pages {
            todo.push_back(next.to_string());
        }
    }
    true
}

const MAX_QUEUED: usize = 10_000;

struct Queues {
    by_host: HashMap<String, VecDeque<Candidate>>,
    ring: VecDeque<String>,
    len: usize,
    seen: HashSet<u64>,
}

impl Queues {
    fn accept(&mut self, ctx: &Ctx, c: Candidate) {
        let key = xxhash_rust::xxh3::xxh3_64(c.url.as_str().as_bytes());
        if !self.seen.insert(key) {
            return;
        }
        if c.older_than(ctx.opts.since) {
            bump(&ctx.counters.skipped);
            return;
        }
        if !ctx.opts.refresh && ctx.state_of(c.url.as_str()).is_some() {
            bump(&ctx.counters.skipped);
            return;
        }
        let host = host_key(&c.url);
        let q = self.by_host.entry(host.clone()).or_default();
        if q.is_empty() {
            self.ring.push_back(host);
        }
        q.push_back(c);
        self.len += 1;
    }

    fn clear(&mut self) {
        self.by_host.clear();
        self.ring.clear();
        self.len = 0;
    }

    fn longest(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = self
            .by_host
            .iter()
            .map(|(h, q)| (h.clone(), q.len()))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(3);
        v
    }
}

fn progress(ctx: &Ctx, q: &Queues) -> Progress {
    Progress {
        report: ctx.counters.report(),
        in_flight: ctx.counters.in_flight.load(Ordering::Relaxed),
        queued: q.len as u64,
        hosts: q.longest(),
        elapsed: ctx.started.elapsed(),
    }
}

async fn dispatch(ctx: Arc<Ctx>, mut rx: mpsc::Receiver<Candidate>, tx: mpsc::Sender<Done>) {
    let permits = Arc::new(Semaphore::new(ctx.opts.fetch.concurrency.max(1)));
    let mut q = Queues {
        by_host: HashMap::new(),
        ring: VecDeque::new(),
        len: 0,
        seen: HashSet::new(),
    };
    let mut open = true;
    let mut dispatched: u64 = 0;
    let mut tasks: JoinSet<String> = JoinSet::new();
    // Pages in flight per host: until a host's robots.txt is known (and with it its
    // Crawl-delay), only one of its pages is in flight.
    let mut busy: HashMap<String, usize> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let limit = ctx.opts.max_pages.unwrap_or(u64::MAX);
    loop {
        if ctx.cancel.is_cancelled() {
            break;
        }
        while open && q.len < MAX_QUEUED {
            match rx.try_recv() {
                Ok(c) => q.accept(&ctx, c),
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => open = false,
            }
        }
        // Hand out URLs of hosts whose slot is due, round robin.
        let mut wake: Option<Instant> = None;
        let mut turns = q.ring.len();
        while turns > 0 && permits.available_permits() > 0 && dispatched < limit {
            turns -= 1;
            let Some(host) = q.ring.pop_front() else {
                break;
            };
            if busy.get(&host).is_some_and(|n| *n > 0) && !ctx.client.robots_known(&host) {
                q.ring.push_back(host);
                continue;
            }
            let ready = ctx.client.limiter().ready_at(&host);
            if ready > Instant::now() {
                wake = Some(wake.map_or(ready, |w: Instant| w.min(ready)));
                q.ring.push_back(host);
                continue;
            }
            let Some(queue) = q.by_host.get_mut(&host) else {
                continue;
            };
            let Some(c) = queue.pop_front() else {
                q.by_host.remove(&host);
                continue;
            };
            q.len -= 1;
            if queue.is_empty() {
                q.by_host.remove(&host);
            } else {
                q.ring.push_back(host.clone());
            }
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                break;
            };
            let at = ctx.client.limiter().reserve(&host);
            dispatched += 1;
            *busy.entry(host.clone()).or_default() += 1;
            let (tctx, ttx) = (ctx.clone(), tx.clone());
            tasks.spawn(async move {
                page_task(tctx, c, (host.clone(), at), ttx).await;
                drop(permit);
                host
            });
        }
        if dispatched >= limit && (open || q.len > 0) {
            // --max-pages reached: discovery stops, the queue is dropped.
            open = false;
            rx.close();
            q.clear();
        }
        if !open && q.len == 0 && tasks.is_empty() {
            break;
        }
        let can_take = open && q.len < MAX_QUEUED;
        let can_wake = wake.is_some() && permits.available_permits() > 0;
        let wake_at = wake.unwrap_or_else(Instant::now);
        tokio::select! {
            _ = ctx.cancel.cancelled() => {}
            Some(r) = tasks.join_next(), if !tasks.is_empty() => release(&mut busy, r),
            c = rx.recv(), if can_take => match c {
                Some(c) => q.accept(&ctx, c),
                None => open = false,
            },
            _ = tokio::time::sleep_until(wake_at), if can_wake => {}
            _ = tick.tick() => ctx.observer.progress(&progress(&ctx, &q)),
        }
        while let Some(r) = tasks.try_join_next() {
            release(&mut busy, r);
        }
    }
    if ctx.cancel.is_cancelled() {
        // Pages in flight get a moment to finish; the rest is fetched next run.
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    q.clear();
    ctx.observer.progress(&progress(&ctx, &q));
}

fn release(busy: &mut HashMap<String, usize>, done: Result<String, tokio::task::JoinError>) {
    if let Ok(host) = done
        && let Some(n) = busy.get_mut(&host)
    {
        *n = n.saturating_sub(1);
        if *n == 0 {
            busy.remove(&host);
        }
    }
}

/// HTTP statuses after which a URL is done (asking again will not help).
fn permanent(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 425 | 429)
}

async fn page_task(ctx: Arc<Ctx>, c: Candidate, slot: (String, Instant), tx: mpsc::Sender<Done>) {
    ctx.counters.in_flight.fetch_add(1, Ordering::Relaxed);
    let url = c.url.to_string();
    let prior = if ctx.opts.refresh {
        ctx.state_of(&url)
    } else {
        None
    };
    let opts = GetOptions {
        validators: prior
            .as_ref()
            .map(UrlState::validators)
            .filter(|v| !v.is_empty()),
        slot: Some(slot),
        html_only: true,
    };
    let res = ctx.client.get(&c.url, opts).await;
    let done = match res {
        Ok(r) if r.not_modified() => {
            bump(&ctx.counters.fetched);
            bump(&ctx.counters.unchanged);
            let v = r.validators();
            let prior = prior.unwrap_or_else(|| new_state(&url, 304, r.date));
            Some(Done {
                state: Some(UrlState {
                    status: 304,
                    etag: v.etag.or(prior.etag.clone()),
                    last_modified: v.last_modified.or(prior.last_modified.clone()),
                    at: r.date,
                    ..prior
                }),
                article: None,
                warc: Vec::new(),
            })
        }
        Ok(r) => {
            bump(&ctx.counters.fetched);
            let pctx = ctx.clone();
            match tokio::task::spawn_blocking(move || process(&pctx, &url, r)).await {
                Ok(d) => Some(d),
                Err(e) => {
                    ctx.note(
                        EventKind::Error,
                        c.url.as_str(),
                        format!("{}: extraction failed: {e}", c.url),
                    );
                    None
                }
            }
        }
        Err(e) => {
            ctx.fail(&e);
            match e {
                FetchError::NotHtml { .. } => Some(Done {
                    state: Some(new_state(&url, 200, Timestamp::now())),
                    article: None,
                    warc: Vec::new(),
                }),
                FetchError::Status { status, .. } if permanent(status) => Some(Done {
                    state: Some(new_state(&url, status, Timestamp::now())),
                    article: None,
                    warc: Vec::new(),
                }),
                _ => None,
            }
        }
    };
    if let Some(d) = done {
        let _ = tx.send(d).await;
    }
    ctx.counters.in_flight.fetch_sub(1, Ordering::Relaxed);
}

fn new_state(url: &str, status: u16, at: Timestamp) -> UrlState {
    UrlState {
        url: url.to_string(),
        status,
        etag: None,
        last_modified: None,
        id: None,
        hash: None,
        at,
    }
}

/// Charset, extraction and WARC encoding of a fetched page (on a blocking thread).
fn process(ctx: &Ctx, url: &str, r: Response) -> Done {
    let warc = if ctx.opts.warc_dir.is_some() {
        warc::encode(&r)
    } else {
        Vec::new()
    };
    let v = r.validators();
    let state = UrlState {
        etag: v.etag,
        last_modified: v.last_modified,
        ..new_state(url, r.status, r.date)
    };
    let (bytes, ctype) = charset::to_utf8(&r.body, r.content_type());
    let final_url = r.url.as_str();
    match crate::extract::html::extract(&bytes, Some(final_url), ctype.as_deref()) {
        Ok(mut a) => {
            a.fetched = Some(r.date);
            if a.url.is_none() {
                a.url = Some(final_url.to_string());
            }
            if a.source.is_none() {
                a.source = r
                    .url
                    .host_str()
                    .map(|h| h.trim_start_matches("www.").to_string());
            }
            a.ensure_id();
            Done {
                state: Some(state),
                article: Some(a),
                warc,
            }
        }
        Err(e) => {
            ctx.note(EventKind::Skipped, url, format!("{url}: skipped: {e}"));
            Done {
                state: Some(state),
                article: None,
                warc,
            }
        }
    }
}

/// Checks that `url` names something fetchable (for the CLI's argument checks).
pub fn check_url(url: &str) -> Result<Url, FetchError> {
    parse_url(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::sink::MemorySink;
    use crate::fetch::test_server::{Reply, TestServer};
    use std::sync::atomic::AtomicUsize;

    fn page(n: usize) -> String {
        let para = "Giá vàng miếng trong nước sáng nay tăng mạnh theo đà đi lên của thế giới, \
                    người dân Hà Nội xếp hàng dài trước các cửa hàng để mua vàng tích trữ.";
        format!(
            "<html><head><title>Tin {n}</title></head><body><article><h1>Tin {n}</h1>\
             <p>{para} Bài {n}.</p><p>{para}</p><p>{para}</p><p>{para}</p></article></body></html>"
        )
    }

    #[test]
    fn crawls_into_a_memory_sink_and_resumes_from_state() {
        let first = Arc::new(AtomicUsize::new(0));
        let f = first.clone();
        let server = TestServer::start(move |hit| match hit.path.as_str() {
            "/a-1234567.html" => Reply::html(page(1)),
            "/b-1234568.html" => Reply::html(page(2)),
            "/flaky-1234569.html" => {
                if f.fetch_add(1, Ordering::SeqCst) == 0 {
                    Reply::status(503)
                } else {
                    Reply::html(page(3))
                }
            }
            _ => Reply::status(404),
        });
        let dir = tempfile::tempdir().unwrap();
        let mut opts = CrawlOptions {
            state_path: Some(dir.path().join("state.jsonl")),
            commit_every: 2,
            ..CrawlOptions::default()
        };
        opts.fetch.rate = 0.0;
        opts.fetch.backoff = Duration::from_millis(20);
        let urls: Vec<String> = [
            "/a-1234567.html",
            "/b-1234568.html",
            "/flaky-1234569.html",
            "/nope",
        ]
        .iter()
        .map(|p| server.url(p))
        .collect();
        let mut sink = MemorySink::default();
        let report = Crawler::new(opts.clone())
            .run(vec![Source::Urls(urls.clone())], &mut sink)
            .unwrap();
        assert_eq!(report.fetched, 3);
        assert_eq!(report.added, 3);
        assert_eq!(report.errors, 1);
        assert!(sink.pending.is_empty(), "everything committed");
        assert!(sink.commits >= 2);
        let ids: Vec<&String> = sink.committed.keys().collect();
        assert_eq!(ids, [&urls[0], &urls[1], &urls[2]]);
        assert_eq!(server.hits_for("/flaky-1234569.html").len(), 2);

        // Second run: all four are done (the 404 too), nothing is requested.
        let before = server.hits().len();
        let report = Crawler::new(opts)
            .run(vec![Source::Urls(urls)], &mut sink)
            .unwrap();
        assert_eq!(report.skipped, 4);
        assert_eq!(report.fetched, 0);
        assert_eq!(server.hits().len(), before);
    }
}

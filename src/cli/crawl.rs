//! `tintuc crawl`: discover and fetch articles from feeds, sitemaps, URL lists and
//! listing pages into the index; also the fetch path of `tintuc ingest URL...`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tintuc::fetch::crawler::EventKind;
use tintuc::fetch::{
    CrawlOptions, CrawlReport, Crawler, DEFAULT_USER_AGENT, Event, Observer, Progress, Source,
};
use tintuc::index::{Archive, ArchiveWriter};

use super::UsageError;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    tintuc crawl --feed https://vnexpress.net/rss/tin-moi-nhat.rss\n  \
    tintuc crawl --sitemap https://tuoitre.vn/sitemap.xml --since 2026-03-01 --max-pages 500\n  \
    tintuc crawl --follow https://dantri.com.vn/kinh-doanh.htm --pages 3\n\n\
    Every fetched page is archived in INDEX/raw/*.warc.gz; the crawl state (for resuming and\n\
    conditional requests) is INDEX/crawl/state.jsonl. Ctrl-C stops after committing.")]
pub struct Args {
    /// An RSS or Atom feed whose entries are fetched (repeatable).
    #[arg(long = "feed", value_name = "URL")]
    pub feeds: Vec<String>,
    /// A sitemap or sitemap index, also `.xml.gz` and news sitemaps (repeatable).
    #[arg(long = "sitemap", value_name = "URL")]
    pub sitemaps: Vec<String>,
    /// A file with one URL a line, `-` for standard input (repeatable).
    #[arg(long = "urls", value_name = "FILE")]
    pub urls: Vec<PathBuf>,
    /// A listing page whose article links (same host) are fetched (repeatable).
    #[arg(long = "follow", value_name = "URL")]
    pub follow: Vec<String>,
    /// With --follow: listing pages to read, following pagination.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub pages: usize,
    /// Skip feed and sitemap entries dated before this (e.g. 2026-03-01).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Fetch at most this many article pages.
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
    /// Requests in flight over all hosts.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub concurrency: usize,
    /// Requests per second per host; 0 lifts the limit (robots.txt Crawl-delay still applies).
    #[arg(long, value_name = "R", default_value_t = 1.0)]
    pub rate: f64,
    /// The User-Agent header (its first word is the name looked up in robots.txt).
    #[arg(long, value_name = "UA", default_value = DEFAULT_USER_AGENT)]
    pub user_agent: String,
    /// Timeout per request: seconds, or with a unit (500ms, 30s, 2m).
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub timeout: String,
    /// Attempts per request on 5xx, 429, timeouts and connection errors.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub tries: u32,
    /// Fetch again what is already done (conditionally, with ETag / Last-Modified).
    #[arg(long)]
    pub refresh: bool,
    /// Commit the index after this many pages (and at least every 30 s).
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub commit_every: usize,
    /// Size in MB at which a WARC file is closed and the next one begun.
    #[arg(long, value_name = "MB", default_value_t = 1024)]
    pub warc_size: u64,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// No live progress line and no notes on skipped pages (errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parses `500ms`, `30s`, `2m` or a plain number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v > 0.0).then(|| Duration::from_secs_f64(v * mult))
}

fn sources(a: &Args) -> Vec<Source> {
    let mut s = Vec::new();
    s.extend(a.feeds.iter().cloned().map(Source::Feed));
    s.extend(a.sitemaps.iter().cloned().map(Source::Sitemap));
    s.extend(a.urls.iter().cloned().map(Source::UrlFile));
    s.extend(a.follow.iter().map(|u| Source::Follow {
        url: u.clone(),
        pages: a.pages,
    }));
    s
}

fn options(index: &Path, a: &Args) -> anyhow::Result<CrawlOptions> {
    let mut o = CrawlOptions::for_index(index);
    o.fetch.timeout = parse_duration(&a.timeout).ok_or_else(|| {
        UsageError(format!(
            "--timeout {}: expected a duration such as 30s or 500ms",
            a.timeout
        ))
    })?;
    if !(a.rate >= 0.0 && a.rate.is_finite()) {
        return Err(UsageError(format!("--rate {}: expected 0 or more", a.rate)).into());
    }
    if a.concurrency == 0 {
        return Err(UsageError("--concurrency must be at least 1".into()).into());
    }
    o.fetch.rate = a.rate;
    o.fetch.concurrency = a.concurrency;
    o.fetch.tries = a.tries.max(1);
    o.fetch.user_agent = a.user_agent.clone();
    o.refresh = a.refresh;
    o.max_pages = a.max_pages;
    o.commit_every = a.commit_every.max(1);
    o.warc_max_bytes = a.warc_size.max(1) * 1024 * 1024;
    if let Some(s) = &a.since {
        o.since = Some(
            tintuc::extract::parse_date(s)
                .ok_or_else(|| UsageError(format!("--since {s}: not a date (try 2026-03-01)")))?,
        );
    }
    Ok(o)
}

/// Draws the live line on a terminal and prints one line per problem.
struct CliObserver {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl CliObserver {
    fn new(quiet: bool) -> CliObserver {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        CliObserver { bar, quiet }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Observer for CliObserver {
    fn progress(&self, p: &Progress) {
        let Some(b) = &self.bar else { return };
        let r = &p.report;
        let mut msg = format!(
            "fetched {} · indexed {} · unchanged {} · skipped {} · errors {} · robots {} · {:.1} pages/s · in flight {} · queued {}",
            r.fetched,
            r.indexed,
            r.unchanged,
            r.skipped,
            r.errors,
            r.robots_denied,
            p.pages_per_sec(),
            p.in_flight,
            p.queued
        );
        if !p.hosts.is_empty() {
            let hosts: Vec<String> = p.hosts.iter().map(|(h, n)| format!("{h} {n}")).collect();
            msg.push_str(&format!(" ({})", hosts.join(", ")));
        }
        b.set_message(msg);
    }

    fn event(&self, e: &Event) {
        if e.kind == EventKind::Committed || (self.quiet && e.kind != EventKind::Error) {
            return;
        }
        let line = match e.kind {
            EventKind::Error => format!("error: {e}"),
            EventKind::Skipped => format!("note: {e}"),
            _ => format!("note: {e}"),
        };
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }
}

fn print_summary(r: &CrawlReport, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(r)?);
    } else {
        println!(
            "fetched {}, indexed {} ({} new, {} changed), unchanged {}, skipped {}, errors {}, robots.txt denied {}",
            r.fetched,
            r.indexed,
            r.added,
            r.updated,
            r.unchanged,
            r.skipped,
            r.errors,
            r.robots_denied
        );
    }
    Ok(())
}

/// Runs a crawl of `sources` through `writer` (the index at `index`), with Ctrl-C
/// stopping it gracefully (a second Ctrl-C exits at once). Returns the counts and
/// whether it was interrupted.
pub fn crawl_with_writer(
    writer: &mut ArchiveWriter<'_>,
    sources: Vec<Source>,
    opts: CrawlOptions,
    quiet: bool,
) -> anyhow::Result<(CrawlReport, bool)> {
    let observer = Arc::new(CliObserver::new(quiet));
    let crawler = Crawler::new(opts).with_observer(observer.clone());
    let cancel = crawler.cancel_handle();
    let handler_cancel = cancel.clone();
    // Fails only when a handler is already set (a second crawl in one process).
    let _ = ctrlc::set_handler(move || {
        if handler_cancel.is_cancelled() {
            std::process::exit(130);
        }
        eprintln!(
            "\ninterrupted: finishing pages in flight and committing (Ctrl-C again to quit now)"
        );
        handler_cancel.cancel();
    });
    let res = crawler.run(sources, writer);
    observer.finish();
    let report = res?;
    Ok((report, cancel.is_cancelled()))
}

/// The fetch path of `tintuc ingest URL...`: fetches these article pages through
/// `writer` (again, conditionally, when already known), archiving them and keeping
/// the crawl state of the index at `index` like `tintuc crawl`.
pub fn ingest_urls(
    index: &Path,
    writer: &mut ArchiveWriter<'_>,
    urls: &[String],
) -> anyhow::Result<CrawlReport> {
    let mut opts = CrawlOptions::for_index(index);
    opts.refresh = true;
    let (report, _) = crawl_with_writer(writer, vec![Source::Urls(urls.to_vec())], opts, false)?;
    Ok(report)
}

pub fn run(index: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let sources = sources(&args);
    if sources.is_empty() {
        return Err(UsageError(
            "nothing to crawl: give --feed, --sitemap, --urls or --follow".into(),
        )
        .into());
    }
    for u in args.feeds.iter().chain(&args.sitemaps).chain(&args.follow) {
        tintuc::fetch::crawler::check_url(u).map_err(|e| UsageError(e.to_string()))?;
    }
    let opts = options(index, &args)?;
    let archive = Archive::open_or_create(index)
        .with_context(|| format!("cannot open the index at {}", index.display()))?;
    let mut writer = archive.writer(100)?;
    let (report, interrupted) = crawl_with_writer(&mut writer, sources, opts, args.quiet)?;
    writer
        .finish()
        .with_context(|| format!("finishing the crawl into {}", index.display()))?;
    print_summary(&report, args.json)?;
    if interrupted {
        return Ok(ExitCode::from(130));
    }
    let nothing_worked = report.fetched == 0 && report.errors > 0;
    Ok(if nothing_worked {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("0"), None);
        assert_eq!(parse_duration("soon"), None);
    }
}

//! `tintuc ingest`: read files, folders, `-` or URLs and index the articles.
//!
//! Prints one line per failed or skipped input on stderr (`tintuc: FILE:LINE: problem`),
//! a progress bar on stderr when it is a terminal, and a summary on stdout
//! (`--json`: `{"added","updated","unchanged","skipped","errors"}`). Exit code 1 when
//! every input failed, or the index cannot be written (locked, I/O).

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use tintuc::extract::{Format, read_inputs};
use tintuc::index::ingest::{Event, IngestOptions, IngestReport, ingest};
use tintuc::index::{Archive, WriterOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders (read recursively), `-` for standard input, or URLs.
    #[arg(required = true, value_name = "PATH|URL|-")]
    pub inputs: Vec<String>,
    /// Input format: auto, html, text, jsonl or warc (auto: from the name and first bytes).
    #[arg(long, default_value = "auto")]
    pub format: Format,
    /// Memory budget in megabytes (indexing buffers and queues).
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(32..=65_536))]
    pub memory_mb: u64,
    /// Indexing threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Commit after this many articles (a killed ingest keeps everything up to its last commit).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

pub fn run(index: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let (urls, paths): (Vec<String>, Vec<String>) =
        args.inputs.into_iter().partition(|i| is_url(i));
    let archive = Archive::open_or_create(index)?;
    let mut writer = archive.writer_with(&WriterOptions {
        memory_mb: args.memory_mb as usize,
        threads: args.threads,
    })?;

    let bar = progress_bar(input_size(&paths));
    let mut report = IngestReport::default();
    let started = std::time::Instant::now();
    let mut bytes = 0;
    if !paths.is_empty() {
        let opts = IngestOptions {
            commit_every: args.commit_every,
            ..IngestOptions::default()
        };
        let items = read_inputs(&paths, args.format);
        let r = ingest(&mut writer, items, &opts, &mut |e| match e {
            Event::Progress(p) => {
                bar.set_position(p.bytes);
                bar.set_message(rate_message(p.report.articles(), p.bytes, p.elapsed));
                bytes = p.bytes;
            }
            Event::Skipped(m) | Event::Error(m) => bar.suspend(|| eprintln!("tintuc: {m}")),
            Event::Committed(_) => {}
        })
        .with_context(|| format!("ingest into {} stopped", index.display()))?;
        report.add(&r);
    }
    // URL inputs: fetched (robots, rate, retries, WARC archive, crawl state) by
    // `tintuc::fetch` through the same writer; see `cli::crawl::ingest_urls`.
    if !urls.is_empty() {
        let r = bar.suspend(|| super::crawl::ingest_urls(index, &mut writer, &urls))?;
        report.added += r.added;
        report.updated += r.updated;
        report.unchanged += r.unchanged;
        report.skipped += r.skipped;
        report.errors += r.errors + r.robots_denied;
    }
    writer
        .finish()
        .with_context(|| format!("finishing the ingest into {}", index.display()))?;
    bar.finish_and_clear();

    if args.json {
        emit(&format!("{}\n", serde_json::to_string(&report)?))?;
    } else {
        emit(&format!(
            "added {}, updated {}, unchanged {}, skipped {}, errors {} ({})\n",
            report.added,
            report.updated,
            report.unchanged,
            report.skipped,
            report.errors,
            rate_message(report.articles(), bytes, started.elapsed())
        ))?;
    }
    Ok(if report.all_failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes `text` to standard output; a closed pipe (`tintuc stats | head`) is not an error.
pub(super) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// `N articles, X MB in T s (A articles/s, B MB/s)`.
pub(super) fn rate_message(articles: u64, bytes: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let mb = bytes as f64 / 1e6;
    format!(
        "{articles} articles, {mb:.1} MB in {secs:.1} s: {:.0} articles/s, {:.1} MB/s",
        articles as f64 / secs,
        mb / secs
    )
}

/// A progress bar on stderr when it is a terminal (hidden otherwise): bytes with an
/// ETA when the total is known, a spinner otherwise.
pub(super) fn progress_bar(total: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(t) => ProgressBar::new(t).with_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {percent:>3}% {msg} · ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Total size of the inputs when all are files or folders (a gzip file counts its
/// uncompressed size as its trailer gives it); `None` with standard input.
fn input_size(paths: &[String]) -> Option<u64> {
    let mut total = 0u64;
    for p in paths {
        if p == "-" {
            return None;
        }
        for e in walkdir::WalkDir::new(p).into_iter().flatten() {
            if e.file_type().is_file() {
                total += file_size(e.path());
            }
        }
    }
    Some(total)
}

fn file_size(path: &Path) -> u64 {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gz {
        gzip_isize(path).filter(|&n| n >= len).unwrap_or(len)
    } else {
        len
    }
}

/// The uncompressed size (mod 2^32) in a gzip file's last four bytes.
fn gzip_isize(path: &Path) -> Option<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    f.seek(SeekFrom::End(-4)).ok()?;
    let mut b = [0u8; 4];
    f.read_exact(&mut b).ok()?;
    Some(u32::from_le_bytes(b) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_urls() {
        assert!(is_url("https://vnexpress.net/a"));
        assert!(is_url("HTTP://x"));
        assert!(!is_url("samples/a.html"));
        assert!(!is_url("-"));
    }

    #[test]
    fn gzip_size_is_the_uncompressed_size() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl.gz");
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&p).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(&[b'x'; 10_000]).unwrap();
        enc.finish().unwrap();
        assert_eq!(file_size(&p), 10_000);
        assert_eq!(input_size(&[p.display().to_string()]), Some(10_000));
        assert_eq!(input_size(&["-".into()]), None);
    }
}

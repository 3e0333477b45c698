//! `tintuc extract`: print the articles read from files, folders or `-`.
//!
//! With `--json`, one JSON object a line with the keys `file`, `id`, `url`, `source`,
//! `title`, `kicker`, `lead`, `body`, `author` (the authors joined with `, `),
//! `authors` (a list), `credit` (the source credited, or `null`), `category`, `date`
//! (RFC 3339 with the publisher's offset), `language` (and `fetched` for WARC records); otherwise a readable rendering. Errors go to stderr one
//! a line, then a summary `N articles, M errors[, K skipped]`. Exit status 1 only when
//! no article could be read and something failed or was skipped.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use tintuc::article::{Article, format_date};
use tintuc::extract::{Format, ReadOptions, Record, read_inputs_with};

use super::UsageError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page's URL, when a single HTML or text file is read.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Input format: auto, html, text, jsonl or warc (forces the parser for every file).
    #[arg(long, default_value = "auto", value_parser = parse_format, value_name = "auto|html|text|jsonl|warc")]
    pub format: Format,

    /// Print JSON Lines, one object per article.
    #[arg(long)]
    pub json: bool,

    /// Files, folders (read recursively) or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// The JSON shape of one extracted article (the CLI contract).
#[derive(Serialize)]
struct JsonOut<'a> {
    file: &'a str,
    id: &'a str,
    url: Option<&'a str>,
    source: Option<&'a str>,
    title: Option<&'a str>,
    kicker: Option<&'a str>,
    lead: Option<&'a str>,
    body: &'a str,
    author: Option<&'a str>,
    authors: &'a [String],
    credit: Option<&'a str>,
    category: Option<&'a str>,
    date: Option<String>,
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched: Option<String>,
}

impl<'a> JsonOut<'a> {
    fn new(file: &'a str, a: &'a Article) -> Self {
        JsonOut {
            file,
            id: &a.id,
            url: a.url.as_deref(),
            source: a.source.as_deref(),
            title: a.title.as_deref(),
            kicker: a.kicker.as_deref(),
            lead: a.lead.as_deref(),
            body: &a.body,
            author: a.author.as_deref(),
            authors: &a.authors,
            credit: a.credit.as_deref(),
            category: a.category.as_deref(),
            date: a.date.map(format_date),
            language: a.language.as_deref(),
            fetched: a.fetched.map(format_date),
        }
    }
}

fn render_text(out: &mut impl Write, r: &Record, first: bool) -> io::Result<()> {
    let a = &r.article;
    if !first {
        writeln!(out)?;
    }
    writeln!(out, "── {} ──", r.file)?;
    let date = a.date.map(format_date);
    let fetched = a.fetched.map(format_date);
    let fields: [(&str, Option<&str>); 11] = [
        ("id", Some(a.id.as_str())),
        ("url", a.url.as_deref()),
        ("source", a.source.as_deref()),
        ("date", date.as_deref()),
        ("fetched", fetched.as_deref()),
        ("author", a.author.as_deref()),
        ("credit", a.credit.as_deref()),
        ("category", a.category.as_deref()),
        ("language", a.language.as_deref()),
        ("kicker", a.kicker.as_deref()),
        ("title", a.title.as_deref()),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            writeln!(out, "{k:<9} {v}")?;
        }
    }
    if let Some(lead) = &a.lead {
        writeln!(out, "\n{lead}")?;
    }
    if !a.body.is_empty() {
        writeln!(out)?;
        for p in a.body.lines() {
            writeln!(out, "{p}")?;
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.url.is_some() {
        let single = args.paths.len() == 1
            && (args.paths[0] == "-" || !std::path::Path::new(&args.paths[0]).is_dir());
        if !single {
            return Err(UsageError("--url applies to a single file".into()).into());
        }
    }
    let opts = ReadOptions {
        format: args.format,
        url: args.url,
        ..Default::default()
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (mut articles, mut errors, mut skipped) = (0u64, 0u64, 0u64);
    for item in read_inputs_with(&args.paths, opts) {
        let written = match item {
            Ok(rec) => {
                articles += 1;
                if args.json {
                    serde_json::to_writer(&mut out, &JsonOut::new(&rec.file, &rec.article))
                        .map_err(io::Error::from)
                        .and_then(|()| out.write_all(b"\n"))
                } else {
                    render_text(&mut out, &rec, articles == 1)
                }
            }
            Err(e) if e.is_skip() => {
                skipped += 1;
                eprintln!("skipped: {e}");
                Ok(())
            }
            Err(e) => {
                errors += 1;
                eprintln!("error: {e}");
                Ok(())
            }
        };
        match written {
            Ok(()) => {}
            // The reader went away (`| head`): stop quietly.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Err(e) => return Err(e).context("writing to standard output"),
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        r => r.context("writing to standard output")?,
    }
    // Always this shape (also for 1), so scripts can read it.
    let mut summary = format!("{articles} articles, {errors} errors");
    if skipped > 0 {
        summary.push_str(&format!(", {skipped} skipped"));
    }
    eprintln!("{summary}");
    Ok(if articles == 0 && errors + skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

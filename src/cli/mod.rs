//! The command line: clap definitions, rendering, exit codes. The library does the
//! work; this module only talks to the terminal.
//!
//! Exit codes: 0 success (also with zero hits), 1 failure at run time, 2 bad usage
//! or a query that cannot be parsed.

mod analyze;
mod completions;
mod crawl;
mod extract;
mod index_cmds;
mod ingest;
mod restore;
mod search;
mod segment;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Full-text search for Vietnamese news archives.
#[derive(Debug, Parser)]
#[command(name = "tintuc", version, about, propagate_version = true)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "TINTUC_INDEX", default_value = "index")]
    pub index: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles from files, folders, `-` (stdin) or URLs and index them.
    Ingest(ingest::Args),
    /// Discover and fetch articles from feeds, sitemaps, URL lists or listing pages.
    Crawl(crawl::Args),
    /// Search the index.
    Search(search::Args),
    /// Print the articles read from files (without indexing them).
    Extract(extract::Args),
    /// Segment text into Vietnamese words (one line out per line in).
    Segment(segment::Args),
    /// Put back the diacritics of text typed without them (one line out per line in).
    Restore(restore::Args),
    /// Show how a text is analyzed into tokens and words.
    Analyze(analyze::Args),
    /// Show what the index holds.
    Stats(index_cmds::StatsArgs),
    /// Print one stored article.
    Get(index_cmds::GetArgs),
    /// Delete articles by id.
    Delete(index_cmds::DeleteArgs),
    /// Rebuild every article from the stored originals (after an analyzer change).
    Reindex(index_cmds::ReindexArgs),
    /// Serve the search page and the JSON API (http://127.0.0.1:8080 by default).
    Serve(serve::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the man page (or write every command's page with --dir).
    Man(completions::ManArgs),
}

/// An error that is the user's to fix (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Parses the arguments, runs the command and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tintuc: {}", one_line(&e));
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// The error and its causes on one line, `outer: inner: ...`, leaving out a cause
/// whose text the line already ends with (library errors often print their
/// source inside their own message as well as exposing it as the source).
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        let text = text.trim();
        if text.is_empty() || line.ends_with(text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(text);
    }
    line.replace(['\n', '\r'], " ")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let index = cli.index;
    // the long, many-threaded commands (see `tintuc::malloc`)
    if matches!(
        cli.command,
        Command::Ingest(_) | Command::Crawl(_) | Command::Reindex(_)
    ) {
        tintuc::malloc::limit_slack();
    }
    match cli.command {
        Command::Ingest(a) => ingest::run(&index, a),
        Command::Crawl(a) => crawl::run(&index, a),
        Command::Search(a) => search::run(&index, a),
        Command::Extract(a) => extract::run(a),
        Command::Segment(a) => segment::run(a),
        Command::Restore(a) => restore::run(&index, a),
        Command::Analyze(a) => analyze::run(a),
        Command::Stats(a) => index_cmds::stats(&index, a),
        Command::Get(a) => index_cmds::get(&index, a),
        Command::Delete(a) => index_cmds::delete(&index, a),
        Command::Reindex(a) => index_cmds::reindex(&index, a),
        Command::Serve(a) => serve::run(&index, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[derive(Debug, thiserror::Error)]
    #[error("index at /i: {source}")]
    struct Wrapping {
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_in_the_message_is_printed_once() {
        let inner = std::io::Error::other("File too large (os error 27)");
        let e = anyhow::Error::new(Wrapping { source: inner }).context("ingest into /i stopped");
        assert_eq!(
            one_line(&e),
            "ingest into /i stopped: index at /i: File too large (os error 27)"
        );
        let plain = anyhow::anyhow!("line one\nline two").context("reading q.txt");
        assert_eq!(one_line(&plain), "reading q.txt: line one line two");
    }
}

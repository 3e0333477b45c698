//! `tintuc serve`: the search page and the JSON API (the work is in `tintuc::serve`).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

/// Serve the search page and the JSON API over the index (read-only).
///
/// Endpoints: `/` (the page), `/api/search`, `/api/articles/{id}`, `/api/stats`,
/// `/healthz`. The index is followed while `ingest`, `crawl` or `reindex` change it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; `0.0.0.0:PORT` serves other machines too (port 0: any free port).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Let pages from ORIGIN (e.g. http://localhost:3000) call the API (CORS; off by default).
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,

    /// Memory for the cache of API answers, in MiB (0: no cache). A repeated request
    /// is answered from it until the index changes.
    #[arg(long, value_name = "MIB", default_value_t = tintuc::serve::DEFAULT_CACHE_MB)]
    pub cache_mb: usize,
}

pub fn run(index: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let opts = tintuc::serve::Options {
        addr: args.addr,
        index: index.to_path_buf(),
        cors: args.cors,
        cache_mb: args.cache_mb,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(tintuc::serve::serve(opts, |addr| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "tintuc: serving {} on http://{addr}", index.display());
        let _ = out.flush();
    }))?;
    Ok(ExitCode::SUCCESS)
}

//! `tintuc ingest`.

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_index: &std::path::Path, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc ingest` is not built yet")
}

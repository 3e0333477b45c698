//! `tintuc search`.

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_index: &std::path::Path, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc search` is not built yet")
}

//! `tintuc stats`, `get`, `delete`, `reindex`.

use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {}
#[derive(Debug, clap::Args)]
pub struct GetArgs {}
#[derive(Debug, clap::Args)]
pub struct DeleteArgs {}
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {}

pub fn stats(_index: &Path, _a: StatsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc stats` is not built yet")
}
pub fn get(_index: &Path, _a: GetArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc get` is not built yet")
}
pub fn delete(_index: &Path, _a: DeleteArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc delete` is not built yet")
}
pub fn reindex(_index: &Path, _a: ReindexArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`tintuc reindex` is not built yet")
}

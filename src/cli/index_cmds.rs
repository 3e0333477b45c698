//! `tintuc stats`, `get`, `delete`, `reindex`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use tintuc::Article;
use tintuc::article::format_date;
use tintuc::index::reindex::{Event, reindex as rebuild};
use tintuc::index::{Archive, WriterOptions};

use std::fmt::Write as _;

use tintuc::index::{IndexMeta, Stats};

use super::ingest::{emit, progress_bar};

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print `{"articles","date_min","date_max","sources":{name: n},"bytes"}`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct GetArgs {
    /// The article's id.
    pub id: String,
    /// Print the stored article as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct DeleteArgs {
    /// Ids of the articles to delete.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// Print `{"deleted","missing"}`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    /// Memory budget in megabytes.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(32..=65_536))]
    pub memory_mb: u64,
    /// Print `{"articles","errors"}`.
    #[arg(long)]
    pub json: bool,
}

/// Opens the index for a command that does not analyze text: an index built by
/// another analyzer is still readable, with a warning.
fn open_readable(index: &Path) -> anyhow::Result<Archive> {
    let archive = Archive::open_any_version(index)?;
    if let Err(e) = archive.check_version() {
        eprintln!("tintuc: warning: {e}");
    }
    Ok(archive)
}

pub fn stats(index: &Path, a: StatsArgs) -> anyhow::Result<ExitCode> {
    let archive = open_readable(index)?;
    let s = archive.stats()?;
    if a.json {
        emit(&format!("{}\n", serde_json::to_string(&s)?))?;
    } else {
        emit(&render_stats(index, archive.meta(), &s))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The readable `stats`: folder, article count and date range, sources by count.
fn render_stats(index: &Path, m: &IndexMeta, s: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "index     {} ({}, analyzer version {}, schema version {}, {} segments, {})",
        index.display(),
        m.data,
        m.analyzer_version,
        m.schema_version,
        s.segments,
        human_bytes(s.bytes)
    );
    let day = |t: Option<jiff::Timestamp>| t.map(|t| format_date(t)[..10].to_string());
    let _ = match (day(s.date_min), day(s.date_max)) {
        (Some(lo), Some(hi)) => writeln!(
            out,
            "articles  {} ({} dated, {lo} to {hi})",
            s.articles, s.dated
        ),
        _ => writeln!(out, "articles  {} (none dated)", s.articles),
    };
    let named: u64 = s.sources.values().sum();
    let _ = writeln!(
        out,
        "sources   {} ({} articles without a source)",
        s.sources.len(),
        s.articles.saturating_sub(named)
    );
    let mut by_count: Vec<_> = s.sources.iter().collect();
    by_count.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    let width = by_count
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (name, n) in by_count {
        let _ = writeln!(out, "  {name:<width$}  {n}");
    }
    out
}

pub fn get(index: &Path, a: GetArgs) -> anyhow::Result<ExitCode> {
    let archive = open_readable(index)?;
    let Some(article) = archive.get(&a.id)? else {
        anyhow::bail!("no article with id {:?} in {}", a.id, index.display());
    };
    if a.json {
        emit(&format!("{}\n", serde_json::to_string(&article)?))?;
    } else {
        emit(&render(&article))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A readable rendering of an article: title, then date · source · author, URL, id,
/// kicker, lead and body.
fn render(a: &Article) -> String {
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(a.title.as_deref().unwrap_or("(no title)"));
    let meta: Vec<String> = [
        a.date.map(format_date),
        a.source.clone(),
        a.author.clone(),
        a.category.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        line(&meta.join(" · "));
    }
    if let Some(u) = &a.url {
        line(u);
    }
    line(&format!("id: {}", a.id));
    for part in [&a.kicker, &a.lead].into_iter().flatten() {
        line("");
        line(part);
    }
    if !a.body.is_empty() {
        line("");
        line(&a.body.replace('\n', "\n\n"));
    }
    out
}

pub fn delete(index: &Path, a: DeleteArgs) -> anyhow::Result<ExitCode> {
    let archive = open_readable(index)?;
    let mut writer = archive.writer(64)?;
    let (mut deleted, mut missing) = (0u64, 0u64);
    for id in &a.ids {
        if writer.delete(id)? {
            deleted += 1;
        } else {
            missing += 1;
            eprintln!("tintuc: no article with id {id:?}");
        }
    }
    writer
        .finish()
        .with_context(|| format!("deleting from {}", index.display()))?;
    if a.json {
        emit(&format!(
            "{}\n",
            serde_json::json!({"deleted": deleted, "missing": missing})
        ))?;
    } else {
        emit(&format!("deleted {deleted}, missing {missing}\n"))?;
    }
    Ok(if deleted == 0 && missing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn reindex(index: &Path, a: ReindexArgs) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let bar = progress_bar(None);
    let opts = WriterOptions {
        memory_mb: a.memory_mb as usize,
        ..WriterOptions::default()
    };
    let report = rebuild(index, &opts, &mut |e| match e {
        Event::Progress { done, total } => {
            bar.set_message(format!("{done} of {total} articles"));
        }
        Event::Error(m) => bar.suspend(|| eprintln!("tintuc: {m}")),
    })
    .with_context(|| format!("reindexing {}", index.display()))?;
    bar.finish_and_clear();
    if a.json {
        emit(&format!("{}\n", serde_json::to_string(&report)?))?;
    } else {
        emit(&format!(
            "reindexed {} articles, errors {} ({:.1} s)\n",
            report.articles,
            report.errors,
            started.elapsed().as_secs_f64()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_shows_every_part() {
        let a = Article {
            id: "x1".into(),
            title: Some("Tiêu đề".into()),
            lead: Some("Sapo.".into()),
            body: "Đoạn một.\nĐoạn hai.".into(),
            source: Some("baomau.vn".into()),
            date: Some("2013-06-16T20:09:00+07:00".parse().unwrap()),
            ..Default::default()
        };
        let r = render(&a);
        assert!(
            r.starts_with("Tiêu đề\n2013-06-16T20:09:00+07:00 · baomau.vn\nid: x1\n"),
            "{r}"
        );
        assert!(r.contains("\nSapo.\n"));
        assert!(r.contains("Đoạn một.\n\nĐoạn hai.\n"));
        assert_eq!(human_bytes(2048), "2.0 KiB");
    }
}

//! Rendering search results on the terminal (the JSON shape, shared with the HTTP
//! API, is [`tintuc::search::json`]).
//!
//! Terminal: bold/colour only when stdout is a terminal and `NO_COLOR` is unset
//! (`anstream` strips the styles otherwise).

use std::io::Write;

use anstyle::{AnsiColor, Style};
use tintuc::article::format_date;
use tintuc::search::{Histogram, Interval, SearchRequest, SearchResponse};

const HL: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const TITLE: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const NUM: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

/// Writes `text` with the byte ranges `hl` (sorted) in the highlight style.
fn marked(
    out: &mut dyn Write,
    text: &str,
    hl: &[std::ops::Range<usize>],
    base: Style,
) -> std::io::Result<()> {
    let mut at = 0;
    for r in hl {
        if r.start < at || r.end > text.len() {
            continue;
        }
        write!(out, "{base}{}{base:#}", &text[at..r.start])?;
        write!(out, "{HL}{}{HL:#}", &text[r.clone()])?;
        at = r.end;
    }
    write!(out, "{base}{}{base:#}", &text[at..])
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The human-readable listing.
pub fn terminal(
    out: &mut dyn Write,
    r: &SearchResponse,
    req: &SearchRequest,
) -> std::io::Result<()> {
    for w in &r.warnings {
        writeln!(out, "{DIM}note: {w}{DIM:#}")?;
    }
    let ms = r.took.as_secs_f64() * 1000.0;
    if r.total == 0 {
        writeln!(out, "No articles found for “{}” ({ms:.1} ms)", r.query)?;
    } else {
        let noun = if r.total == 1 { "article" } else { "articles" };
        writeln!(
            out,
            "{} {noun} for “{}” ({ms:.1} ms)",
            thousands(r.total),
            r.query
        )?;
    }
    if let Some(x) = &r.restored {
        writeln!(out, "Hiểu là: {x}")?;
    }
    if let Some(x) = &r.suggestion {
        writeln!(out, "Did you mean: {x}")?;
    }
    if let Some(x) = r.relaxed {
        writeln!(
            out,
            "No article has all {} words; showing those with {} of them.",
            x.of, x.matched
        )?;
    }
    if let Some(h) = &r.histogram {
        writeln!(out)?;
        histogram(out, h)?;
    }
    for (i, h) in r.hits.iter().enumerate() {
        writeln!(out)?;
        let n = req.offset + i + 1;
        write!(out, "{NUM}{n:>3}.{NUM:#} ")?;
        match &h.title {
            Some(t) if !t.trim().is_empty() => marked(out, t, &h.title_highlights, TITLE)?,
            _ => write!(out, "{TITLE}(no title){TITLE:#}")?,
        }
        writeln!(out)?;
        let mut meta = Vec::new();
        meta.push(match h.date {
            Some(d) => format_date(d).get(..10).unwrap_or_default().to_string(),
            None => "no date".to_string(),
        });
        if let Some(s) = &h.source {
            meta.push(s.clone());
        }
        meta.push(h.url.clone().unwrap_or_else(|| h.id.clone()));
        if !h.duplicates.is_empty() {
            meta.push(format!("+{} similar", h.duplicates.len()));
        }
        writeln!(out, "     {DIM}{}{DIM:#}", meta.join(" · "))?;
        if !h.snippet.text.is_empty() {
            write!(out, "     ")?;
            marked(out, &h.snippet.text, &h.snippet.highlights, Style::new())?;
            writeln!(out)?;
        }
    }
    let shown = r.hits.len() as u64;
    if shown > 0 && (req.offset as u64 + shown) < r.total && !req.collapse {
        writeln!(
            out,
            "\n{DIM}{}–{} of {}; --offset {} for more{DIM:#}",
            req.offset + 1,
            req.offset as u64 + shown,
            thousands(r.total),
            req.offset as u64 + shown
        )?;
    }
    Ok(())
}

/// A horizontal bar chart, one row per year/month/day.
fn histogram(out: &mut dyn Write, h: &Histogram) -> std::io::Result<()> {
    const WIDTH: usize = 50;
    let rows = h.filled(400).unwrap_or_else(|| h.buckets.clone());
    let max = rows.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let key_width = match h.interval {
        Interval::Year => 4,
        Interval::Month => 7,
        Interval::Day => 10,
    };
    for b in &rows {
        let eighths = (b.count as f64 / max as f64 * (WIDTH * 8) as f64).round() as usize;
        let eighths = if b.count > 0 { eighths.max(1) } else { 0 };
        let mut bar = "█".repeat(eighths / 8);
        const PART: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
        bar.push_str(PART[eighths % 8]);
        writeln!(
            out,
            "{:<key_width$} │{NUM}{bar}{NUM:#} {}",
            b.key,
            thousands(b.count)
        )?;
    }
    if h.undated > 0 {
        writeln!(out, "{DIM}({} without a date){DIM:#}", thousands(h.undated))?;
    }
    Ok(())
}

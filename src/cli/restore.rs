//! `tintuc restore [FILE]`: puts back the diacritics of text typed without them, one
//! line out per line in; `--json` prints one object per line with every syllable's
//! alternatives and probabilities. Streams in constant memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use tintuc::analysis::restore::{Restorer, Workspace};

/// Longest piece of a line restored at once; a longer line is cut at white space
/// (the language model's context restarts there) so memory stays bounded.
const MAX_PIECE: usize = 1 << 20;
/// Invalid-UTF-8 lines reported one by one before only counting them.
const MAX_REPORTS: usize = 10;
/// Alternatives printed per syllable with `--json`.
const MAX_ALTERNATIVES: usize = 5;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text file to restore (default or `-`: standard input).
    pub file: Option<PathBuf>,
    /// One JSON object per line: the restored text and, per syllable, the
    /// alternatives with their probabilities.
    #[arg(long)]
    pub json: bool,
    /// Also use the index's own statistics (its names and topics), as `search`
    /// and `serve` do: the index given by `--index DIR`.
    #[arg(long)]
    pub archive: bool,
}

pub fn run(index: &std::path::Path, args: Args) -> anyhow::Result<ExitCode> {
    let restorer = match args.archive {
        true => Some(tintuc::index::Archive::open(index)?.restorer()),
        false => None,
    };
    let r: &Restorer = restorer.as_deref().unwrap_or_else(|| Restorer::global());
    let (input, name): (Box<dyn Read>, String) = match &args.file {
        Some(p) if p.as_os_str() != "-" => (
            Box::new(File::open(p).with_context(|| format!("cannot open {}", p.display()))?),
            p.display().to_string(),
        ),
        _ => (Box::new(io::stdin().lock()), "<stdin>".to_string()),
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let res = restore_stream(
        BufReader::with_capacity(1 << 16, input),
        &mut out,
        &name,
        args.json,
        r,
    )
    .and_then(|()| out.flush().map_err(StreamError::Write));
    match res {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(StreamError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        Err(StreamError::Write(e)) => Err(e).context("cannot write the output"),
        Err(StreamError::Read(e)) => Err(e).with_context(|| format!("cannot read {name}")),
    }
}

enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

/// Reads the next piece: up to a newline (which is removed, with a `\r`) or
/// [`MAX_PIECE`] bytes cut after the last white space. Returns the piece and whether
/// it ends its line, or `None` at the end of the input.
fn next_piece(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    carry: &mut Vec<u8>,
) -> io::Result<Option<bool>> {
    buf.clear();
    buf.append(carry);
    if !buf.contains(&b'\n') {
        let room = (MAX_PIECE + 1).saturating_sub(buf.len()) as u64;
        input.take(room).read_until(b'\n', buf)?;
    }
    if buf.is_empty() {
        return Ok(None);
    }
    if let Some(i) = memchr::memchr(b'\n', buf) {
        carry.extend_from_slice(&buf[i + 1..]);
        buf.truncate(i);
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Some(true));
    }
    if buf.len() <= MAX_PIECE {
        return Ok(Some(true)); // the input ended without a newline
    }
    let cut = match buf.iter().rposition(|b| b.is_ascii_whitespace()) {
        Some(i) if i > 0 => i + 1,
        _ => buf
            .iter()
            .rposition(|&b| b & 0xC0 != 0x80)
            .unwrap_or(buf.len()),
    };
    carry.extend_from_slice(&buf[cut..]);
    buf.truncate(cut);
    Ok(Some(false))
}

fn restore_stream(
    mut input: impl BufRead,
    out: &mut impl Write,
    name: &str,
    json: bool,
    r: &Restorer,
) -> Result<(), StreamError> {
    let mut ws = Workspace::default();
    let (mut buf, mut carry) = (Vec::with_capacity(4096), Vec::new());
    let mut line = String::with_capacity(4096);
    let (mut line_no, mut bad_lines, mut mid_line) = (0usize, 0usize, false);
    while let Some(ends_line) =
        next_piece(&mut input, &mut buf, &mut carry).map_err(StreamError::Read)?
    {
        if !mid_line {
            line_no += 1;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                bad_lines += 1;
                if bad_lines <= MAX_REPORTS {
                    eprintln!(
                        "tintuc: {name}:{line_no}: invalid UTF-8, bad bytes replaced by U+FFFD"
                    );
                }
                String::from_utf8_lossy(&buf)
            }
        };
        if json {
            let v = json_line(r, &text);
            serde_json::to_writer(&mut *out, &v).map_err(|e| StreamError::Write(e.into()))?;
        } else {
            line.clear();
            r.restore_into(&text, &mut ws, &mut line);
            out.write_all(line.as_bytes()).map_err(StreamError::Write)?;
        }
        // a JSON object per piece; text pieces of one long line are joined
        if ends_line || json {
            out.write_all(b"\n").map_err(StreamError::Write)?;
        }
        mid_line = !ends_line;
    }
    if bad_lines > MAX_REPORTS {
        eprintln!("tintuc: {name}: {bad_lines} lines with invalid UTF-8 in all");
    }
    Ok(())
}

/// `{"text", "restored", "syllables": [{"text", "restored", "confidence",
/// "alternatives": [{"form", "p"}]}]}`.
fn json_line(r: &Restorer, text: &str) -> serde_json::Value {
    let syl = r.analyze(text);
    let mut restored = String::with_capacity(text.len() + text.len() / 2);
    let mut at = 0;
    let mut items = Vec::with_capacity(syl.len());
    for s in &syl {
        restored.push_str(text.get(at..s.start).unwrap_or(""));
        restored.push_str(&s.restored);
        at = s.end;
        let alts: Vec<serde_json::Value> = s
            .alternatives
            .iter()
            .take(MAX_ALTERNATIVES)
            .map(|(f, p)| serde_json::json!({"form": f, "p": round(*p)}))
            .collect();
        items.push(serde_json::json!({
            "text": text.get(s.start..s.end).unwrap_or(""),
            "restored": s.restored,
            "changed": s.changed,
            "confidence": round(s.confidence),
            "alternatives": alts,
        }));
    }
    restored.push_str(text.get(at..).unwrap_or(""));
    serde_json::json!({"text": text, "restored": restored, "syllables": items})
}

fn round(x: f32) -> f64 {
    (x as f64 * 10_000.0).round() / 10_000.0
}

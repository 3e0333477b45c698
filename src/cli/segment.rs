//! `tintuc segment [FILE]`: one line out per line in, words separated by spaces,
//! syllables of a word joined by `_`. Streams in constant memory.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use tintuc::analysis::Segmenter;
use tintuc::analysis::segment::Workspace;

/// Longest piece of a line segmented at once; longer lines are cut at whitespace
/// (a word boundary is forced there) so memory stays bounded.
const MAX_PIECE: usize = 1 << 20;
/// Invalid-UTF-8 lines reported one by one before only counting them.
const MAX_REPORTS: usize = 10;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Text file to segment (default or `-`: standard input).
    pub file: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (input, name): (Box<dyn Read>, String) = match &args.file {
        Some(p) if p.as_os_str() != "-" => (
            Box::new(File::open(p).with_context(|| format!("cannot open {}", p.display()))?),
            p.display().to_string(),
        ),
        _ => (Box::new(io::stdin().lock()), "<stdin>".to_string()),
    };
    let stdout = io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    match segment_stream(BufReader::with_capacity(1 << 16, input), &mut out, &name) {
        Ok(()) => {}
        Err(StreamError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS);
        }
        Err(StreamError::Write(e)) => return Err(e).context("cannot write the output"),
        Err(StreamError::Read(e)) => return Err(e).with_context(|| format!("cannot read {name}")),
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        r => {
            r.context("cannot write the output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

/// Segments `input` line by line into `out`.
fn segment_stream(
    mut input: impl BufRead,
    out: &mut impl Write,
    name: &str,
) -> Result<(), StreamError> {
    let seg = Segmenter::global();
    let mut ws = Workspace::default();
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut line_out = String::with_capacity(4096);
    let mut line_no = 0usize;
    let mut bad_lines = 0usize;
    let mut mid_line = false; // part of the current line already written
    loop {
        // read up to a newline, or MAX_PIECE bytes
        let (done, eof) = {
            let avail = match input.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::Read(e)),
            };
            if avail.is_empty() {
                (true, true)
            } else {
                let room = MAX_PIECE.saturating_sub(buf.len()).max(1);
                let window = &avail[..avail.len().min(room)];
                match memchr::memchr(b'\n', window) {
                    Some(i) => {
                        buf.extend_from_slice(&window[..=i]);
                        input.consume(i + 1);
                        (true, false)
                    }
                    None => {
                        let n = window.len();
                        buf.extend_from_slice(window);
                        input.consume(n);
                        (false, false)
                    }
                }
            }
        };
        if eof && buf.is_empty() {
            if mid_line {
                out.write_all(b"\n").map_err(StreamError::Write)?;
            }
            break;
        }
        let complete = done; // a newline was found, or input ended
        let rest = if complete {
            Vec::new()
        } else if buf.len() >= MAX_PIECE {
            // cut at the last ASCII whitespace so no syllable is split
            // (or, without whitespace, at the last character boundary)
            let cut = match buf.iter().rposition(|b| b.is_ascii_whitespace()) {
                Some(i) if i > 0 => i + 1,
                _ => buf.iter().rposition(|&b| b & 0xC0 != 0x80).unwrap_or(0),
            };
            if cut == 0 {
                Vec::new()
            } else {
                buf.split_off(cut)
            }
        } else {
            continue;
        };
        if !mid_line {
            line_no += 1;
        }
        let mut bytes: &[u8] = &buf;
        if complete {
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                bad_lines += 1;
                if bad_lines <= MAX_REPORTS {
                    eprintln!(
                        "tintuc: {name}:{line_no}: invalid UTF-8, bad bytes replaced by U+FFFD"
                    );
                }
                String::from_utf8_lossy(bytes)
            }
        };
        line_out.clear();
        seg.segment_line_into(&text, &mut ws, &mut line_out);
        if mid_line && !line_out.is_empty() {
            out.write_all(b" ").map_err(StreamError::Write)?;
        }
        out.write_all(line_out.as_bytes())
            .map_err(StreamError::Write)?;
        if complete {
            out.write_all(b"\n").map_err(StreamError::Write)?;
            mid_line = false;
        } else {
            mid_line = true;
        }
        buf.clear();
        buf.extend_from_slice(&rest);
        if eof {
            if mid_line {
                out.write_all(b"\n").map_err(StreamError::Write)?;
            }
            break;
        }
    }
    if bad_lines > MAX_REPORTS {
        eprintln!("tintuc: {name}: {bad_lines} lines with invalid UTF-8 in all");
    }
    Ok(())
}

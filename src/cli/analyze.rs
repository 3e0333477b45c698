//! `tintuc analyze`: shows how a text becomes index terms.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use tintuc::analysis::{
    ANALYZER_VERSION, Analyzer, Segmenter, Token, TokenKind, encoding, tokenize,
};

const JSON_HELP: &str = "\
With --json, one JSON object:
  text              the analyzed text
  encoding          how standard input was decoded (only when TEXT is -)
  analyzer_version  the analysis version stored with an index
  tokens            [{text, normalized, folded, start, end, position, kind}]
                    text = the original characters, start/end = byte offsets
                    into text (end exclusive), kind = word | number
  joined            extra index-only tokens of dotted abbreviations (TP.HCM ->
                    tphcm), same keys, kind = joined, at the position of the
                    abbreviation's first part
  words             [{text, normalized, start, end, tokens}] from word
                    segmentation; tokens = indices into the tokens array,
                    normalized = the syllables joined by _";

/// Arguments of `tintuc analyze`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = JSON_HELP)]
pub struct Args {
    /// Text to analyze; `-` reads standard input (any encoding `tintuc` can decode).
    pub text: String,
    /// Print one JSON object (keys in `--help`) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    normalized: &'a str,
    folded: &'a str,
    start: usize,
    end: usize,
    position: u32,
    kind: &'static str,
}

impl<'a> TokenOut<'a> {
    fn new(text: &'a str, t: &'a Token) -> Self {
        TokenOut {
            text: text.get(t.start..t.end).unwrap_or_default(),
            normalized: &t.normalized,
            folded: &t.folded,
            start: t.start,
            end: t.end,
            position: t.position,
            kind: t.kind.as_str(),
        }
    }
}

#[derive(Serialize)]
struct WordOut<'a> {
    text: &'a str,
    normalized: String,
    start: usize,
    end: usize,
    tokens: Vec<usize>,
}

#[derive(Serialize)]
struct Output<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'a str>,
    analyzer_version: u32,
    tokens: Vec<TokenOut<'a>>,
    joined: Vec<TokenOut<'a>>,
    words: Vec<WordOut<'a>>,
}

/// Runs `tintuc analyze`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (text, encoding) = if args.text == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        let d = encoding::decode(&bytes, None);
        (d.text, Some(d.encoding))
    } else {
        (args.text, None)
    };
    let tokens = tokenize(&text);
    let joined = joined_tokens(&text);
    let words: Vec<WordOut> = Segmenter::global()
        .segment_tokens(&text, &tokens)
        .into_iter()
        .filter_map(|r| {
            let first = tokens.get(r.start)?;
            let last = tokens.get(r.end.checked_sub(1)?)?;
            Some(WordOut {
                text: text.get(first.start..last.end).unwrap_or_default(),
                normalized: tokens[r.clone()]
                    .iter()
                    .map(|t| t.normalized.as_str())
                    .collect::<Vec<_>>()
                    .join("_"),
                start: first.start,
                end: last.end,
                tokens: r.collect(),
            })
        })
        .collect();
    let out = Output {
        text: &text,
        encoding,
        analyzer_version: ANALYZER_VERSION,
        tokens: tokens.iter().map(|t| TokenOut::new(&text, t)).collect(),
        joined: joined.iter().map(|t| TokenOut::new(&text, t)).collect(),
        words,
    };
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut stdout, &out).context("writing JSON")?;
        writeln!(stdout)?;
    } else {
        print_table(&mut stdout, &out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The joined abbreviation tokens the index adds (see `Analyzer::with_joined`).
fn joined_tokens(text: &str) -> Vec<Token> {
    let mut analyzer = Analyzer::new().with_joined(true);
    let mut stream = analyzer.tokens(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next_token() {
        if t.kind == TokenKind::Joined {
            out.push(t.to_token());
        }
    }
    out
}

/// A table cell: control characters and other invisibles shown escaped.
fn cell(s: &str) -> String {
    s.chars()
        .flat_map(char::escape_debug)
        .collect::<String>()
        .replace("\\'", "'")
}

/// Display width of a cell: characters, not counting combining marks.
fn width(s: &str) -> usize {
    s.chars()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
        .count()
}

fn print_table(w: &mut impl Write, out: &Output) -> anyhow::Result<()> {
    if let Some(enc) = out.encoding {
        writeln!(w, "encoding: {enc}")?;
    }
    let header = ["#", "text", "normalized", "folded", "bytes", "pos", "kind"];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for (i, t) in out.tokens.iter().enumerate() {
        rows.push(row(i.to_string(), t));
    }
    for t in &out.joined {
        rows.push(row("+".into(), t));
    }
    let mut widths = header.map(width);
    for r in &rows {
        for (k, c) in r.iter().enumerate() {
            widths[k] = widths[k].max(width(c));
        }
    }
    let line = |w: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut s = String::new();
        for (k, c) in cells.iter().enumerate() {
            s.push_str(c);
            if k + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[k] - width(c) + 2));
            }
        }
        writeln!(w, "{}", s.trim_end())
    };
    line(w, &header.map(String::from))?;
    for r in &rows {
        line(w, r)?;
    }
    if out.tokens.is_empty() {
        writeln!(w, "(no tokens)")?;
    }
    let words: Vec<String> = out
        .words
        .iter()
        .map(|wd| {
            cell(wd.text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("_")
        })
        .collect();
    if !words.is_empty() {
        writeln!(w, "words: {}", words.join(" | "))?;
    }
    Ok(())
}

fn row(index: String, t: &TokenOut) -> [String; 7] {
    [
        index,
        cell(t.text),
        cell(t.normalized),
        cell(t.folded),
        format!("{}..{}", t.start, t.end),
        t.position.to_string(),
        t.kind.to_string(),
    ]
}

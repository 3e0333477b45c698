//! Debugging aid for the HTML extractor: prints the best-scoring blocks of one page
//! and the extracted fields.
//!
//! ```text
//! cargo run --release --example extract_debug -- page.html[.gz] [URL]
//! EXTRACT_DEBUG_FIND='some text' ...   # also the ancestors of the text
//! EXTRACT_DEBUG_TEXTS=1 ...   # one JSON line: page text, container text
//! ```

use std::io::{Read, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: extract_debug PAGE [URL]")?;
    let url = args.next();
    let raw = std::fs::read(&path)?;
    let mut bytes = Vec::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut bytes)?;
    } else {
        bytes = raw;
    }
    let mut out = std::io::stdout().lock();
    if std::env::var_os("EXTRACT_DEBUG_TEXTS").is_some() {
        // One JSON line: the page's text and the chosen container's text.
        let (page, container) = tintuc::extract::html::explain_texts(&bytes);
        let line = serde_json::json!({"page": page, "container": container});
        writeln!(out, "{line}")?;
        return Ok(());
    }
    for line in tintuc::extract::html::explain_content(
        &bytes,
        std::env::var("EXTRACT_DEBUG_FIND").ok().as_deref(),
    ) {
        if writeln!(out, "{line}").is_err() {
            return Ok(());
        }
    }
    match tintuc::extract::html::extract_page(&bytes, url.as_deref(), None) {
        Ok(e) => {
            let a = &e.article;
            let _ = writeln!(
                out,
                "title: {:?}\ndate: {:?}\nauthors: {:?}\nkicker: {:?}\nlead: {:?}\n---\n{}",
                a.title,
                e.page_date.map(|d| d.to_iso()),
                e.authors,
                a.kicker,
                a.lead,
                a.body
            );
        }
        Err(err) => {
            let _ = writeln!(out, "error: {err}");
        }
    }
    Ok(())
}

//! Prints the article extracted from one HTML file (optionally gzipped) as JSON:
//! `cargo run --example extract_one -- PAGE.html [URL]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: extract_one PAGE [URL]")?;
    let url = args.next();
    let bytes = std::fs::read(&path)?;
    let e = tintuc::extract::html::extract_page(&bytes, url.as_deref(), None)?;
    println!("{}", serde_json::to_string_pretty(&e.article)?);
    println!(
        "page date: {:?}, authors: {:?}",
        e.page_date.map(|d| d.to_iso()),
        e.authors
    );
    Ok(())
}

//! Hostile inputs that fuzzers rarely reach, each run through the real binary under an
//! address-space cap and a deadline (`hostile_support`): the answer is a clear one-line
//! error or a bounded result, never a panic, a stack overflow, a hang or unbounded
//! memory. Inputs are generated on the fly into temporary folders (large ones sparse or
//! streamed), nothing is committed.

mod common;
mod crawl_support;
mod hostile_support;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crawl_support::{Reply, TestServer};
use hostile_support::{Limits, Run, run_limited, tintuc};

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

fn limits() -> Limits {
    Limits::default()
}

fn run(index: &Path, args: &[&str]) -> Run {
    let mut c = tintuc(index);
    c.args(args);
    run_limited(c, limits(), None)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// `tintuc extract --json FILE` on one generated file.
fn extract(file: &Path) -> Run {
    let tmp = file.parent().expect("parent");
    run(&tmp.join("no-index"), &["extract", "--json", s(file)])
}

/// Ingests `file` into a fresh index under `dir` and returns the run.
fn ingest(dir: &Path, file: &Path) -> (PathBuf, Run) {
    let idx = dir.join("index");
    let r = run(&idx, &["ingest", "--json", s(file)]);
    (idx, r)
}

fn write_file(path: &Path, parts: &mut dyn FnMut(&mut dyn Write)) {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).expect("create"));
    parts(&mut w);
    w.flush().expect("flush");
}

/// A page whose body is `middle`.
fn page(path: &Path, middle: &mut dyn FnMut(&mut dyn Write)) {
    write_file(path, &mut |w| {
        w.write_all(
            b"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
              <title>Trang thu nghiem</title></head><body>",
        )
        .unwrap();
        middle(w);
        w.write_all(b"</body></html>").unwrap();
    });
}

const PROSE: &str =
    "Sáng nay mưa lớn kéo dài ở nhiều tỉnh miền Trung khiến giao thông bị ách tắc. ";

#[test]
fn html_nested_100000_levels() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, open, close) in [
        ("div", "<div>", "</div>"),
        ("mixed", "<div><span><b>", "</b></span></div>"),
        ("unclosed", "<span>", ""),
        ("table", "<table><tr><td>", "</td></tr></table>"),
    ] {
        let f = tmp.path().join(format!("nested-{name}.html"));
        page(&f, &mut |w| {
            for _ in 0..100_000 {
                w.write_all(open.as_bytes()).unwrap();
            }
            write!(w, "<p>{PROSE}{PROSE}</p>").unwrap();
            for _ in 0..100_000 {
                w.write_all(close.as_bytes()).unwrap();
            }
        });
        let r = extract(&f);
        r.no_crash().one_line_errors();
        // Either the text is found or the page is refused in one line.
        if r.code() == 0 {
            let a = r.json();
            assert!(
                a["body"].as_str().unwrap_or("").contains("giao thông"),
                "{name}: {a}"
            );
        } else {
            assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
            assert!(r.stderr.contains(s(&f)), "{name}: {}", r.stderr);
        }
    }
}

/// A sparse file of `len` bytes starting with `head` (the rest reads as zeros).
fn sparse(path: &Path, head: &[u8], len: u64) {
    let mut f = File::create(path).unwrap();
    f.write_all(head).unwrap();
    f.set_len(len).unwrap();
}

#[test]
fn html_file_of_1_gb_is_refused_without_reading_it_all() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("huge.html");
    let mut head = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>".to_vec();
    // Text up to the sniffing window, then (sparse) zeros to 1 GB.
    while head.len() < 64 * 1024 {
        head.extend_from_slice(PROSE.as_bytes());
    }
    sparse(&f, &head, GIB);
    for r in [extract(&f), ingest(tmp.path(), &f).1] {
        r.no_crash().one_line_errors();
        assert_eq!(r.code(), 1);
        assert!(
            r.stderr.contains("huge.html") && r.stderr.contains("too large"),
            "{}",
            r.stderr
        );
        assert!(r.max_rss_kib < 512 * 1024, "peak RSS {} KiB", r.max_rss_kib);
    }
}

#[test]
fn text_node_of_200_mb_is_refused_and_one_of_15_mb_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let prose = PROSE.as_bytes();
    let big = tmp.path().join("big-node.html");
    page(&big, &mut |w| {
        w.write_all(b"<p>").unwrap();
        for _ in 0..(200 * MIB as usize / prose.len()) {
            w.write_all(prose).unwrap();
        }
        w.write_all(b"</p>").unwrap();
    });
    let r = extract(&big);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr.contains("big-node.html") && r.stderr.contains("too large"),
        "{}",
        r.stderr
    );

    // Just under the reader's 16 MiB page limit: read, bounded.
    let ok = tmp.path().join("node-15mb.html");
    page(&ok, &mut |w| {
        w.write_all(b"<article><h1>Mua lon</h1><p>").unwrap();
        for _ in 0..(15 * MIB as usize / prose.len()) {
            w.write_all(prose).unwrap();
        }
        w.write_all(b"</p></article>").unwrap();
    });
    let (idx, r) = ingest(tmp.path(), &ok);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    assert_eq!(r.json()["added"], 1, "{}", r.stdout);
    let hits = run(&idx, &["search", "--json", "ách tắc"]);
    hits.no_crash();
    assert_eq!(hits.json()["total"], 1);
}

#[test]
fn page_of_1_000_000_links() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("links.html");
    page(&f, &mut |w| {
        write!(w, "<p>{PROSE}</p>").unwrap();
        for i in 0..1_000_000u32 {
            // 16 bytes a link: the page stays under the reader's 16 MiB limit.
            write!(w, "<a href=#{}>x</a>", i % 10).unwrap();
        }
    });
    let r = extract(&f);
    r.no_crash().one_line_errors();
    // Read (not refused for its size): the article, or "no article text" in one line.
    assert!(!r.stderr.contains("too large"), "{}", r.stderr);
    // The parser sees at most `MAX_ELEMENTS` start tags (about 200 MiB here; the whole
    // million took 402 MiB before that bound).
    assert!(r.max_rss_kib < 320 * 1024, "peak RSS {} KiB", r.max_rss_kib);
    eprintln!("1,000,000 links: exit {}, {}", r.code(), r.stderr.trim());
}

#[test]
fn attributes_of_10_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let big = "x".repeat(10 * MIB as usize);
    for (name, tag) in [
        (
            "class",
            format!("<div class=\"{big}\"><p>{PROSE}</p></div>"),
        ),
        (
            "href",
            format!("<a href=\"https://e.vn/{big}\">lien ket</a><p>{PROSE}</p>"),
        ),
        (
            "meta",
            format!("<meta name=\"description\" content=\"{big}\"><p>{PROSE}</p>"),
        ),
        ("style", format!("<p style=\"{big}\">{PROSE}</p>")),
    ] {
        let f = tmp.path().join(format!("attr-{name}.html"));
        page(&f, &mut |w| w.write_all(tag.as_bytes()).unwrap());
        let r = extract(&f);
        r.no_crash().one_line_errors();
        if r.code() == 0 {
            let a = r.json();
            let all = a.to_string();
            assert!(
                all.len() < 12 * MIB as usize,
                "{name}: {} bytes out",
                all.len()
            );
        }
    }
}

#[test]
fn invalid_utf8_and_nul_bytes_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    let mut noisy = |text: &str| -> Vec<u8> {
        let mut out = Vec::new();
        for b in text.bytes() {
            out.push(b);
            match rng.u8(..) {
                0..=20 => out.push(0),
                21..=40 => out.push(0xFF),
                41..=50 => out.extend_from_slice(&[0xC3, 0x28]),
                51..=55 => out.extend_from_slice(&[0xE2, 0x82]),
                _ => {}
            }
        }
        out
    };
    let html = noisy(&format!(
        "<html><head><meta charset=\"utf-8\"><title>Tiêu đề</title></head><body><p>{PROSE}</p></body></html>"
    ));
    let text = noisy(&format!(
        "16/06/2013 - 20:09\n\nTiêu đề\n\n{PROSE}\n\n{PROSE}\n"
    ));
    let mut jsonl = Vec::new();
    for i in 0..20 {
        let mut line =
            format!("{{\"id\":\"nul-{i}\",\"title\":\"Tiêu đề {i}\",\"body\":\"").into_bytes();
        line.extend(
            noisy(PROSE)
                .into_iter()
                .filter(|b| *b != b'"' && *b != b'\\'),
        );
        line.extend_from_slice(b"\\u0000 \"}\n");
        jsonl.extend(line);
    }
    // A raw NUL and a lone surrogate escape in otherwise valid lines.
    jsonl.extend_from_slice(b"{\"id\":\"raw-nul\",\"title\":\"a\0b\",\"body\":\"c\"}\n");
    jsonl.extend_from_slice(b"{\"id\":\"surrogate\",\"title\":\"\\ud800\",\"body\":\"c\"}\n");
    // The same noise past the first 64 KiB, where the binary sniffing does not look.
    let clean_head = |ext: &str| -> Vec<u8> {
        let mut v = match ext {
            "html" => "<html><head><meta charset=\"utf-8\"><title>Tiêu đề</title></head><body><p>"
                .as_bytes()
                .to_vec(),
            "txt" => "16/06/2013 - 20:09\n\nTiêu đề muộn\n\n".as_bytes().to_vec(),
            _ => Vec::new(),
        };
        while v.len() < 70_000 {
            if ext == "jsonl" {
                let line = format!(
                    "{{\"id\":\"late-{}\",\"title\":\"Tiêu đề\",\"body\":\"{PROSE}\"}}\n",
                    v.len()
                );
                v.extend(line.bytes());
            } else {
                v.extend(PROSE.bytes());
            }
        }
        v
    };
    let late = |ext: &str, noise: &[u8]| -> Vec<u8> {
        let mut v = clean_head(ext);
        v.extend_from_slice(noise);
        v
    };
    let files = [
        ("late.html", late("html", &html)),
        ("late.txt", late("txt", &text)),
        ("late.jsonl", late("jsonl", &jsonl)),
        ("noisy.html", html),
        ("noisy.txt", text),
        ("noisy.jsonl", jsonl),
    ];
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    for (name, bytes) in &files {
        let f = inputs.join(name);
        std::fs::write(&f, bytes).unwrap();
        let r = extract(&f);
        r.no_crash().one_line_errors();
        if name.starts_with("late") {
            assert_eq!(r.code(), 0, "{name}: {}", r.stderr);
        } else {
            assert!(r.stderr.contains("binary data"), "{name}: {}", r.stderr);
        }
    }
    let idx = tmp.path().join("index");
    let r = run(&idx, &["ingest", "--json", s(&inputs)]);
    r.no_crash().one_line_errors();
    let stats = run(&idx, &["stats", "--json"]);
    stats.no_crash();
    let total = stats.json()["articles"].as_u64().unwrap_or(0);
    assert!(total >= 1, "{}", r.stderr);
    // The stored articles come back as valid JSON and search works on them.
    run(&idx, &["search", "--json", "tieu de"]).no_crash();
    // Queries with NUL bytes and invalid UTF-8 (a command line cannot hold a NUL).
    let batch = tmp.path().join("queries.txt");
    std::fs::write(
        &batch,
        b"a\0b \xff\xfe ti\xc3\n\0\0\0\n\xc3\x28 \xe2\x82 \\u0000\n",
    )
    .unwrap();
    let r = run(&idx, &["search", "--json", "--batch", s(&batch)]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
}

/// A gzip stream of `total` bytes made of `block` repeated (concatenated members, so
/// generating it is cheap while the reader still has to inflate every byte).
fn gzip_bomb(path: &Path, prefix: &[u8], block: &[u8], total: u64) -> u64 {
    use flate2::{Compression, write::GzEncoder};
    let member = |data: &[u8]| {
        let mut e = GzEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let mut chunk = Vec::with_capacity(64 << 20);
    while chunk.len() < (64 << 20) {
        chunk.extend_from_slice(block);
    }
    let body = member(&chunk);
    let mut f = BufWriter::new(File::create(path).unwrap());
    f.write_all(&member(prefix)).unwrap();
    let mut written = prefix.len() as u64;
    while written < total {
        f.write_all(&body).unwrap();
        written += chunk.len() as u64;
    }
    f.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn gzip_bombs_in_jsonl_gz_and_warc_gz() {
    let tmp = tempfile::tempdir().unwrap();
    // One JSON line of 1 GB after a good one.
    let jl = tmp.path().join("bomb.jsonl.gz");
    let size = gzip_bomb(
        &jl,
        b"{\"id\":\"ok-1\",\"title\":\"Bai tot\",\"body\":\"Noi dung tot.\"}\n{\"id\":\"bomb\",\"body\":\"",
        b"aaaaaaaaaaaaaaaa",
        GIB,
    );
    eprintln!("bomb.jsonl.gz: {size} bytes for 1 GiB");
    let (idx, r) = ingest(tmp.path(), &jl);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    assert_eq!(r.json()["added"], 1);
    assert!(
        r.stderr.contains("bomb.jsonl.gz:2: line too long"),
        "{}",
        r.stderr
    );
    assert!(
        r.max_rss_kib < 1024 * 1024,
        "peak RSS {} KiB",
        r.max_rss_kib
    );
    drop(idx);

    // A WARC record claiming (and holding) 1 GB of payload.
    let wf = tmp.path().join("bomb.warc.gz");
    let head = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://e.vn/bomb\r\n\
         WARC-Date: 2026-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>",
        GIB + 64
    );
    gzip_bomb(&wf, head.as_bytes(), b"<p>bom</p><p>bom</p>", GIB);
    let r = extract(&wf);
    r.no_crash().one_line_errors();
    assert!(r.stderr.contains("bomb.warc.gz: record 1"), "{}", r.stderr);
    assert!(
        r.max_rss_kib < 1024 * 1024,
        "peak RSS {} KiB",
        r.max_rss_kib
    );
}

fn warc_record(ty: &str, uri: &str, length: &str, block: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "WARC/1.1\r\nWARC-Type: {ty}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    v.extend_from_slice(block);
    v.extend_from_slice(b"\r\n\r\n");
    v
}

fn http_page(n: usize) -> Vec<u8> {
    let body = format!(
        "<html><head><title>Bai {n}</title></head><body><article><h1>Bai {n}</h1><p>{PROSE} So {n}.</p></article></body></html>"
    );
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}").into_bytes()
}

#[test]
fn warc_content_length_that_lies() {
    let tmp = tempfile::tempdir().unwrap();
    let good = |n| {
        let p = http_page(n);
        warc_record(
            "response",
            &format!("https://e.vn/{n}"),
            &p.len().to_string(),
            &p,
        )
    };
    let cases: Vec<(&str, String)> = vec![
        ("too-long", "100000".into()),
        ("too-short", "40".into()),
        ("negative", "-5".into()),
        ("2pow63", (1u128 << 63).to_string()),
        ("2pow64", (1u128 << 64).to_string()),
        ("u64max", u64::MAX.to_string()),
        ("garbage", "12abc".into()),
    ];
    for (name, length) in cases {
        let mut bytes = good(1);
        let p = http_page(2);
        bytes.extend(warc_record("response", "https://e.vn/liar", &length, &p));
        bytes.extend(good(3));
        let f = tmp.path().join(format!("{name}.warc"));
        std::fs::write(&f, &bytes).unwrap();
        let r = extract(&f);
        r.no_crash().one_line_errors();
        // The record before the liar is always read; the error names the file.
        assert!(r.stdout.contains("https://e.vn/1"), "{name}: {}", r.stdout);
        if name != "too-long" && name != "too-short" {
            assert!(
                r.stderr.contains(&format!("{name}.warc: record 2")),
                "{name}: {}",
                r.stderr
            );
        }
        assert!(
            r.max_rss_kib < 512 * 1024,
            "{name}: peak RSS {} KiB",
            r.max_rss_kib
        );
    }
}

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "EXTERNAL">
]>
"#;

/// A local site serving a hostile feed and sitemaps; every request is logged.
fn hostile_site() -> TestServer {
    TestServer::start(move |hit| {
        let base = format!("http://{}", hit.header("host").unwrap_or("127.0.0.1"));
        let ext = format!("{base}/external-secret");
        let doc = |body: String| {
            Reply::with(
                200,
                "application/xml",
                LAUGHS.replace("EXTERNAL", &ext) + &body,
            )
        };
        match hit.path.as_str() {
            "/robots.txt" => Reply::status(404),
            "/feed.xml" => doc(format!(
                "<rss version=\"2.0\"><channel><title>&lol9;</title><link>{base}/</link>\
                 <item><title>&lol9; &xxe;</title><link>{base}/tin-1.html</link>\
                 <description>&xxe;</description></item></channel></rss>"
            )),
            "/atom.xml" => doc(format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&lol9;</title>\
                 <entry><title>&xxe;</title><link href=\"{base}/tin-2.html\"/><id>&lol9;</id></entry></feed>"
            )),
            "/sitemap.xml" => doc(format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                 <url><loc>{base}/tin-3.html</loc><lastmod>&lol9;</lastmod></url>\
                 <url><loc>&xxe;</loc></url></urlset>"
            )),
            "/self-index.xml" => Reply::with(
                200,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <sitemap><loc>{base}/self-index.xml</loc></sitemap>\
                     <sitemap><loc>{base}/self-index.xml#again</loc></sitemap>\
                     <sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap></sitemapindex>"
                ),
            ),
            "/sitemap-pages.xml" => Reply::with(
                200,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <url><loc>{base}/tin-4.html</loc></url></urlset>"
                ),
            ),
            // An index of 40 indexes of 40 lists each: 1,641 sitemaps in all.
            "/wide.xml" => Reply::with(200, "application/xml", index_of(&base, "wide", 40)),
            p if p.starts_with("/wide-") => {
                let name = p.trim_start_matches('/').trim_end_matches(".xml");
                Reply::with(200, "application/xml", index_of(&base, name, 40))
            }
            p if p.starts_with("/list-") => {
                // The first list names one article, the others none.
                let entry = match p {
                    "/list-wide-0-0.xml" => format!("<url><loc>{base}/tin-5.html</loc></url>"),
                    _ => String::new(),
                };
                Reply::with(
                    200,
                    "application/xml",
                    format!(
                        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{entry}</urlset>"
                    ),
                )
            }
            p if p.starts_with("/tin-") => Reply::html(crawl_support::article_page(p.len())),
            _ => Reply::status(404),
        }
    })
}

/// A sitemap index named `name` of `n` children: further indexes under `/wide.xml`,
/// lists under its children.
fn index_of(base: &str, name: &str, n: usize) -> String {
    let kids: String = (0..n)
        .map(|i| {
            let child = if name == "wide" {
                format!("{base}/wide-{i}.xml")
            } else {
                format!("{base}/list-{name}-{i}.xml")
            };
            format!("<sitemap><loc>{child}</loc></sitemap>")
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{kids}</sitemapindex>"
    )
}

fn crawl(idx: &Path, args: &[&str]) -> Run {
    let mut c = tintuc(idx);
    c.arg("crawl")
        .args(args)
        .args(["--json", "--quiet", "--rate", "1000"]);
    run_limited(
        c,
        Limits {
            deadline: Duration::from_secs(120),
            ..limits()
        },
        None,
    )
}

#[test]
fn feeds_and_sitemaps_with_entity_expansion_and_external_entities() {
    let server = hostile_site();
    let tmp = tempfile::tempdir().unwrap();
    for (flag, path) in [
        ("--feed", "/feed.xml"),
        ("--feed", "/atom.xml"),
        ("--sitemap", "/sitemap.xml"),
    ] {
        let idx = tmp.path().join(path.trim_start_matches('/'));
        let r = crawl(&idx, &[flag, &server.url(path)]);
        r.no_crash().one_line_errors();
        assert!(
            r.max_rss_kib < 512 * 1024,
            "{path}: peak RSS {} KiB",
            r.max_rss_kib
        );
        // A one-line error for the document, or its entries without the expansion.
        let out = format!("{}{}", r.stdout, r.stderr);
        assert!(!out.contains("lollollol"), "{path}: entities were expanded");
    }
    let external = server.hits_for("/external-secret");
    assert!(
        external.is_empty(),
        "an external entity was resolved: {external:?}"
    );
}

#[test]
fn sitemap_index_pointing_at_itself() {
    let server = hostile_site();
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let r = crawl(&idx, &["--sitemap", &server.url("/self-index.xml")]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let fetched = server.hits_for("/self-index.xml").len();
    assert!(
        fetched <= 2,
        "the self-referencing index was fetched {fetched} times"
    );
    assert_eq!(server.hits_for("/tin-4.html").len(), 1);
    assert_eq!(crawl_support::counts(&r.json()).1, 1, "{}", r.stdout);
}

#[test]
fn sitemap_index_of_indexes_too_wide_is_cut_off() {
    let server = hostile_site();
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let r = crawl(&idx, &["--sitemap", &server.url("/wide.xml")]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let sitemaps = server
        .hits()
        .iter()
        .filter(|h| h.path.starts_with("/wide") || h.path.starts_with("/list-"))
        .count();
    let max = tintuc::fetch::crawler::MAX_SITEMAP_FETCHES;
    assert_eq!(sitemaps, max, "{} sitemaps fetched of 1641", sitemaps);
    assert!(
        r.stderr.contains(&format!("stopped after {max} sitemaps")),
        "{}",
        r.stderr
    );
    assert_eq!(server.hits_for("/tin-5.html").len(), 1);
    eprintln!(
        "wide sitemap index: {sitemaps} of 1641 sitemaps fetched, peak RSS {} MiB",
        r.max_rss_kib / 1024
    );
}

/// An index with the sample articles, for the query tests.
fn sample_index(dir: &Path) -> PathBuf {
    let idx = dir.join("index");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles");
    let r = run(&idx, &["ingest", "--json", samples]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    idx
}

#[test]
fn queries_of_100000_terms_10000_parentheses_and_10000_quotes() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = sample_index(tmp.path());
    let terms: Vec<String> = (0..100_000).map(|i| format!("t{}", i % 977)).collect();
    let parens = format!("{}giá vàng{}", "(".repeat(10_000), ")".repeat(10_000));
    let unbalanced = format!("{}giá", "(".repeat(10_000));
    let quotes = "\"giá ".repeat(10_000);
    let nots = "-(".repeat(5_000) + "vàng";
    let ors = vec!["cần OR"; 10_000].join(" ") + " thơ";
    // Found by the query fuzz target (it timed out): long runs of letters, which the
    // Telex/VNI slip decoder read in quadratic time; and one past the query limit.
    let letters = format!("'{} thơ", "c".repeat(60_000));
    let hooks = format!("{} thơ", "w".repeat(60_000));
    let too_long = "cần ".repeat(20_000);
    // 100,000 words as 100,000 arguments (one argument is capped by the OS at 128 KiB).
    let mut args = vec!["search", "--json", "--"];
    args.extend(terms.iter().map(String::as_str));
    let r = run(&idx, &args);
    r.no_crash().one_line_errors();
    for q in [&parens, &unbalanced, &quotes, &nots, &ors, &letters, &hooks] {
        let r = run(&idx, &["search", "--json", "--", q]);
        r.no_crash().one_line_errors();
        if r.code() == 0 {
            r.json();
        }
    }
    for q in [&letters, &hooks] {
        let r = run(&idx, &["search", "--json", "--", q]);
        assert_eq!(r.code(), 0, "{}", r.stderr);
        assert!(
            r.json()["total"].as_u64().is_some_and(|n| n >= 1),
            "{}",
            r.stdout
        );
    }
    let r = run(&idx, &["search", "--json", "--", &too_long]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 2, "{}", r.stderr);
    assert!(r.stderr.contains("longer than"), "{}", r.stderr);
    // The same through --batch, one object per line.
    let batch = tmp.path().join("queries.txt");
    std::fs::write(
        &batch,
        format!(
            "{}\n{parens}\n{unbalanced}\n{quotes}\n{nots}\n{ors}\n",
            terms.join(" ")
        ),
    )
    .unwrap();
    let r = run(&idx, &["search", "--json", "--batch", s(&batch)]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 6);
}

#[test]
fn date_like_99999999_99_99() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("a.txt"),
        format!("99999999/99/99\n\nTiêu đề lạ\n\n{PROSE}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("b.html"),
        format!(
            "<html><head><meta property=\"article:published_time\" content=\"99999999-99-99T99:99:99+99:99\">\
             <title>Trang</title></head><body><time datetime=\"99999999/99/99\">99999999/99/99</time>\
             <article><p>{PROSE}</p><p>Ngày 99/99/99999999, lúc 99:99</p></article></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("c.jsonl"),
        "{\"id\":\"d1\",\"title\":\"x\",\"body\":\"y\",\"date\":\"99999999/99/99\"}\n\
         {\"id\":\"d2\",\"title\":\"x\",\"body\":\"y\",\"date\":\"-99999999-01-01T00:00:00Z\"}\n\
         {\"id\":\"d3\",\"title\":\"x\",\"body\":\"y\",\"date\":99999999999999999999}\n",
    )
    .unwrap();
    let idx = d.join("index");
    let r = run(&idx, &["ingest", "--json", s(d)]);
    r.no_crash().one_line_errors();
    for args in [
        &["search", "--json", "--from", "99999999/99/99", "tieu"][..],
        &["search", "--json", "--on", "99999999/99/99", "tieu"],
        &["search", "--json", "--to", "99999999", "tieu"],
        &["search", "--json", "--from", "9999-99", "tieu"],
    ] {
        let r = run(&idx, args);
        r.no_crash().one_line_errors();
        assert_eq!(r.code(), 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("99"), "{}", r.stderr);
    }
}

#[test]
fn batch_file_of_one_1_gb_line() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = sample_index(tmp.path());
    let f = tmp.path().join("one-line.txt");
    let mut head = Vec::new();
    while head.len() < 1 << 20 {
        head.extend_from_slice("giá vàng ".as_bytes());
    }
    sparse(&f, &head, GIB);
    let r = run(&idx, &["search", "--json", "--batch", s(&f)]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert!(
        v["error"].as_str().unwrap_or("").contains("longer than"),
        "{v}"
    );
    assert!(r.max_rss_kib < 512 * 1024, "peak RSS {} KiB", r.max_rss_kib);
}

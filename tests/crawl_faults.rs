//! `tintuc crawl` against a local server with faulty endpoints: what is indexed,
//! what the server saw (robots obeyed, rate respected, retries bounded), caps.

mod common;
mod crawl_support;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crawl_support::*;
use unicode_normalization::UnicodeNormalization;

/// 200 MB of zeros gzipped (about 200 KB): a gzip bomb.
fn gzip_bomb() -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap()
}

/// Vietnamese in Windows-1258: precomposed ê/ơ/ư/â/à plus combining tone marks
/// (0xF2 dot below, 0xEC acute, 0xCC grave).
fn page_1258() -> Vec<u8> {
    let mut p = b"<html><head><title>Tin Vi\xEA\xF2t Nam</title></head><body>".to_vec();
    p.extend_from_slice(b"<p>Vi\xEA\xF2t Nam v\xE0 th\xEA\xEC gi\xF5\xECi.</p>");
    for _ in 0..6 {
        p.extend_from_slice(b"<p>Ng\xFD\xF5\xCCi d\xE2n H\xE0 N\xF4\xF2i v\xE0 Vi\xEA\xF2t Nam v\xE0 th\xEA\xEC gi\xF5\xECi.</p>");
    }
    p.extend_from_slice(b"</body></html>");
    p
}

#[test]
fn faulty_endpoints() {
    let flaky = Arc::new(AtomicUsize::new(0));
    let throttled = Arc::new(AtomicUsize::new(0));
    let bomb = gzip_bomb();
    let (f, t) = (flaky.clone(), throttled.clone());
    let server = TestServer::start(move |hit| match hit.path.as_str() {
        "/robots.txt" => Reply::with(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/ok-1234567.html" => Reply::html(article_page(1)),
        "/private/secret-1234567.html" => Reply::html(article_page(2)),
        "/gone" => Reply::status(404),
        "/flaky" => {
            if f.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::status(500)
            } else {
                Reply::html(article_page(3))
            }
        }
        "/throttled" => {
            if t.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::status(429).header("Retry-After", "1")
            } else {
                Reply::html(article_page(4))
            }
        }
        "/stall" => Reply::Stall(Duration::from_secs(4)),
        "/loop-a" => Reply::redirect(302, "/loop-b"),
        "/loop-b" => Reply::redirect(302, "/loop-a"),
        "/moved" => Reply::redirect(301, "/ok-1234567.html?via=moved"),
        "/ok-1234567.html?via=moved" => Reply::html(article_page(5)),
        "/huge" => Reply::Huge {
            len: 100 * 1024 * 1024,
            content_type: "text/html".into(),
            declare: true,
        },
        "/huge-stream" => Reply::Huge {
            len: 100 * 1024 * 1024,
            content_type: "text/html".into(),
            declare: false,
        },
        "/bomb" => Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "text/html".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: bomb.clone(),
        },
        "/doc.pdf" => Reply::Huge {
            len: 5 * 1024 * 1024,
            content_type: "application/pdf".into(),
            declare: true,
        },
        "/vn1258" => Reply::with(200, "text/html; charset=windows-1258", page_1258()),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let list: Vec<String> = [
        "/ok-1234567.html",
        "/private/secret-1234567.html",
        "/gone",
        "/flaky",
        "/throttled",
        "/stall",
        "/loop-a",
        "/moved",
        "/huge",
        "/huge-stream",
        "/bomb",
        "/doc.pdf",
        "/vn1258",
        "ftp://127.0.0.1/x",
    ]
    .iter()
    .map(|p| {
        if p.starts_with("ftp") {
            p.to_string()
        } else {
            server.url(p)
        }
    })
    .collect();
    let urls = url_file(dir.path(), "urls.txt", &list);
    let out = crawl(
        &index,
        &[
            "--urls",
            &urls,
            "--rate",
            "20",
            "--timeout",
            "1s",
            "--concurrency",
            "4",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}\n{out:?}");
    let rep = report(&out);
    // fetched: ok, flaky, throttled, moved, vn1258 (pdf is refused before its body).
    // errors: gone, stall, loop, huge, huge-stream, bomb, ftp line. skipped: pdf.
    assert_eq!(counts(&rep), (5, 5, 0, 1, 7, 1), "{rep}\n{stderr}");

    let ids = indexed_ids(&index);
    let want: Vec<String> = {
        let mut w: Vec<String> = [
            "/flaky",
            "/ok-1234567.html",
            "/ok-1234567.html?via=moved",
            "/throttled",
            "/vn1258",
        ]
        .iter()
        .map(|p| server.url(p))
        .collect();
        w.sort();
        w
    };
    assert_eq!(ids, want);

    // What the server saw.
    let hits = server.hits();
    assert_eq!(server.hits_for("/robots.txt").len(), 1, "robots.txt cached");
    assert!(server.hits_for("/private/secret-1234567.html").is_empty());
    assert_eq!(server.hits_for("/gone").len(), 1, "404 is not retried");
    assert_eq!(server.hits_for("/flaky").len(), 2, "500 then 200");
    assert_eq!(server.hits_for("/stall").len(), 3, "3 tries on timeouts");
    assert_eq!(server.hits_for("/loop-a").len(), 1);
    assert_eq!(server.hits_for("/loop-b").len(), 1);
    let th = server.hits_for("/throttled");
    assert_eq!(th.len(), 2);
    let waited = th[1].at - th[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 honoured, waited {waited:?}"
    );
    assert_eq!(server.hits_for("/doc.pdf").len(), 1);
    for h in &hits {
        let ua = h.header("user-agent").unwrap_or("");
        assert!(ua.starts_with("tintuc/"), "{ua}");
    }
    // Rate: never two requests within 1/20 s (arrival times jitter with connection
    // setup and scheduling, hence the tolerance; unlimited would be ~0 ms apart).
    let mut times: Vec<_> = hits.iter().map(|h| h.at).collect();
    times.sort();
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(35),
            "requests {:?} apart",
            w[1] - w[0]
        );
    }
    // The caps stopped the downloads early: far less than the 100 MB bodies and the PDF were sent.
    assert!(
        server.body_bytes_sent() < 60 * 1024 * 1024,
        "sent {}",
        server.body_bytes_sent()
    );
    assert!(stderr.contains("/bomb: response larger than"), "{stderr}");
    assert!(stderr.contains("/loop-a: redirect loop"), "{stderr}");
    assert!(
        stderr.contains("urls.txt:14: ftp://127.0.0.1/x"),
        "{stderr}"
    );

    // The Windows-1258 page was decoded.
    let archive = tintuc::index::Archive::open(&index).unwrap();
    let a = archive.get(&server.url("/vn1258")).unwrap().unwrap();
    let text: String = format!("{} {}", a.title.unwrap_or_default(), a.body)
        .nfc()
        .collect();
    assert!(text.contains("Việt Nam và thế giới"), "{text}");
    assert!(text.contains("Người dân Hà Nội"), "{text}");

    // Every fetched article page is in the WARC archive.
    let raw: Vec<_> = std::fs::read_dir(index.join("raw"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(raw.len(), 1);
    let mut data = Vec::new();
    use std::io::Read;
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&raw[0]).unwrap())
        .read_to_end(&mut data)
        .unwrap();
    let text = String::from_utf8_lossy(&data);
    assert!(text.starts_with("WARC/1.1\r\nWARC-Type: warcinfo"));
    for p in [
        "/flaky",
        "/throttled",
        "/vn1258",
        "/ok-1234567.html?via=moved",
    ] {
        assert!(
            text.contains(&format!("WARC-Target-URI: {}\r\n", server.url(p))),
            "{p} archived"
        );
    }
    assert!(
        text.contains("HTTP/1.1 301 Moved Permanently"),
        "redirect hop archived"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = crawl(&index, &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = crawl(&index, &["--feed", "file:///etc/passwd"]);
    assert_eq!(out.status.code(), Some(2));
    let out = crawl(
        &index,
        &["--feed", "http://127.0.0.1:9/x", "--since", "yesterday-ish"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ingest_url_fetches_and_refetches_conditionally() {
    let server = TestServer::start(|hit| match hit.path.as_str() {
        "/tin-1234567.html" => {
            if hit.header("if-none-match") == Some("\"e1\"") {
                Reply::Full {
                    status: 304,
                    headers: vec![],
                    body: vec![],
                }
            } else {
                Reply::html(article_page(7)).header("ETag", "\"e1\"")
            }
        }
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let ingest = |urls: &[String]| {
        std::process::Command::new(common::bin())
            .arg("--index")
            .arg(&index)
            .arg("ingest")
            .args(urls)
            .arg("--json")
            .output()
            .unwrap()
    };
    let good = server.url("/tin-1234567.html");
    let out = ingest(&[good.clone(), server.url("/missing")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = report(&out);
    assert_eq!(
        (r["added"].as_u64(), r["errors"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("/missing: HTTP status 404"));
    let out = ingest(std::slice::from_ref(&good));
    let r = report(&out);
    assert_eq!(
        (r["added"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(1)),
        "{r}"
    );
    let hits = server.hits_for("/tin-1234567.html");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[1].header("if-none-match"), Some("\"e1\""));
    assert_eq!(indexed_ids(&index), vec![good]);
}

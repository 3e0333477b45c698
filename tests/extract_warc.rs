//! `tintuc extract` on WARC files written with the library's writer (as the fetcher
//! writes them): articles from HTML responses, fetch dates apart, cut records.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use jiff::Timestamp;
use serde_json::Value;
use tintuc::extract::warc::{WarcRecord, write_record};

const PAGE: &str = "<html><head><title>Giá xăng tăng</title><meta property=\"article:published_time\" content=\"2026-03-06T20:00:00+07:00\"></head><body><article><h1>Giá xăng tăng</h1><p>Từ 15h chiều nay, giá xăng RON95 tăng thêm 500 đồng mỗi lít, theo liên bộ Công Thương - Tài chính.</p><p>Đây là lần tăng thứ ba liên tiếp.</p></article></body></html>";

fn http(status: &str, ctype: &str, body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

fn fetched() -> Timestamp {
    "2026-03-07T01:30:00Z".parse().unwrap()
}

fn warc_file(dir: &Path, name: &str, gzip: bool, cut: usize) -> String {
    let recs = [
        WarcRecord {
            version: "WARC/1.1".into(),
            headers: vec![("WARC-Type".into(), "warcinfo".into())],
            content: b"software: tintuc-test\r\n".to_vec(),
        },
        WarcRecord::response(
            "https://vnexpress.net/gia-xang-tang-5047363.html",
            fetched(),
            &http("200 OK", "text/html; charset=utf-8", PAGE.as_bytes()),
        ),
        WarcRecord::response(
            "https://vnexpress.net/logo.png",
            fetched(),
            &http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
        ),
        WarcRecord::response(
            "https://vnexpress.net/empty",
            fetched(),
            &http("200 OK", "text/html", b"<html><body></body></html>"),
        ),
        WarcRecord::response(
            "https://tuoitre.vn/tin-20260307075519174.htm",
            fetched(),
            &http(
                "200 OK",
                "text/html",
                PAGE.replace("<meta property=\"article:published_time\" content=\"2026-03-06T20:00:00+07:00\">", "")
                    .as_bytes(),
            ),
        ),
    ];
    let mut bytes = Vec::new();
    for r in &recs {
        write_record(&mut bytes, r, gzip).unwrap();
    }
    bytes.truncate(bytes.len() - cut);
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn extract(args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("extract")
        .args(args)
        .output()
        .unwrap()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn warc_gz_reads_html_responses() {
    let d = tempfile::tempdir().unwrap();
    let f = warc_file(d.path(), "crawl.warc.gz", true, 0);
    let out = extract(&["--json", &f]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v = json_lines(&out);
    assert_eq!(v.len(), 2, "{err}");
    assert_eq!(
        v[0]["url"],
        "https://vnexpress.net/gia-xang-tang-5047363.html"
    );
    assert_eq!(
        v[0]["id"],
        "https://vnexpress.net/gia-xang-tang-5047363.html"
    );
    assert_eq!(v[0]["fetched"], "2026-03-07T08:30:00+07:00");
    assert_ne!(v[0]["date"], v[0]["fetched"], "publication date kept apart");
    assert!(v[0]["body"].as_str().unwrap().contains("RON95"));
    // No date in the page: the one in its URL.
    assert_eq!(v[1]["date"], "2026-03-07T07:55:19+07:00");
    // The empty page is one error naming the record and URL.
    assert!(
        err.contains("crawl.warc.gz: record 4 (https://vnexpress.net/empty): "),
        "{err}"
    );
    assert!(err.contains("2 articles, 1 errors"), "{err}");
}

#[test]
fn plain_warc_by_sniffing() {
    let d = tempfile::tempdir().unwrap();
    let f = warc_file(d.path(), "crawl.dat", false, 0);
    let out = extract(&["--json", &f]);
    assert_eq!(json_lines(&out).len(), 2);
}

#[test]
fn cut_record_is_one_error() {
    let d = tempfile::tempdir().unwrap();
    for gzip in [false, true] {
        let f = warc_file(
            d.path(),
            if gzip { "cut.warc.gz" } else { "cut.warc" },
            gzip,
            50,
        );
        let out = extract(&["--json", &f]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert_eq!(json_lines(&out).len(), 1, "{err}");
        assert!(err.contains("record 5"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn forced_warc_on_other_data() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("x.txt");
    std::fs::write(&p, "không phải WARC").unwrap();
    let out = extract(&["--format", "warc", &p.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a WARC record"));
}

//! `tintuc extract` end to end: text dumps, JSON Lines, folders, stdin, bad input.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn extract(args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("extract")
        .args(args)
        .output()
        .expect("run tintuc")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

const KEYS: [&str; 14] = [
    "file", "id", "url", "source", "title", "kicker", "lead", "body", "author", "authors",
    "credit", "category", "date", "language",
];

#[test]
fn seed_dump_as_json() {
    let out = extract(&["--json", &fixture("seed_000_1171500456b67287.txt")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    let a = &v[0];
    let mut keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = KEYS.to_vec();
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want);
    // Printed in the contract's order.
    let line = String::from_utf8_lossy(&out.stdout);
    let pos: Vec<usize> = KEYS
        .iter()
        .map(|k| line.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert_eq!(a["date"], "2013-06-16T20:09:00+07:00");
    assert_eq!(
        a["kicker"],
        "Các cấp ủy Đảng Khối Cơ quan Dân chính Đảng TP Cần Thơ"
    );
    assert_eq!(
        a["title"],
        "Tập trung khắc phục hạn chế, khuyết điểm, thực hiện thắng lợi nhiệm vụ được giao"
    );
    assert_eq!(a["author"], "Nguyễn Huy");
    assert_eq!(a["authors"], serde_json::json!(["Nguyễn Huy"]));
    assert!(a["credit"].is_null());
    assert_eq!(a["url"], Value::Null);
    assert_eq!(a["language"], "vi");
    let lead = a["lead"].as_str().unwrap();
    let body = a["body"].as_str().unwrap();
    assert!(lead.starts_with("Lãnh đạo Đảng ủy Khối"));
    assert!(!body.contains(lead), "the body must not repeat the lead");
    assert!(body.starts_with("Theo kế hoạch"));
    assert!(!body.contains("Chia sẻ bài viết") && !body.contains("Bài, ảnh"));
    assert!(a["id"].as_str().unwrap().starts_with("h:"));
    assert!(
        stderr(&out).contains("1 articles, 0 errors"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ids_are_stable_across_runs() {
    let f = fixture("seed_000_1171500456b67287.txt");
    let a = json_lines(&extract(&["--json", &f]));
    let b = json_lines(&extract(&["--json", &f]));
    assert_eq!(a[0]["id"], b[0]["id"]);
}

#[test]
fn readable_rendering() {
    let out = extract(&[&fixture("extract_dump_weekday.txt")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("title     Hà Nội mưa lớn, nhiều tuyến phố ngập sâu"),
        "{text}"
    );
    assert!(
        text.contains("date      2025-10-22T19:25:00+07:00"),
        "{text}"
    );
    assert!(text.contains("author    Minh Anh"), "{text}");
    assert!(text.contains("\nChiều 22/10, mưa lớn"), "{text}");
    assert!(!text.contains("Bình luận"), "{text}");
}

#[test]
fn other_text_is_title_then_body() {
    let out = extract(&["--json", &fixture("extract_plain.txt")]);
    let v = json_lines(&out);
    assert_eq!(v[0]["title"], "Một tệp văn bản bất kỳ");
    assert_eq!(
        v[0]["body"],
        "không có dòng ngày tháng\nvà không theo bố cục nào."
    );
    assert_eq!(v[0]["date"], Value::Null);
}

#[test]
fn jsonl_with_bad_lines() {
    let f = fixture("extract_mixed.jsonl");
    let out = extract(&["--json", &f]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_lines(&out);
    let ids: Vec<&str> = v.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(ids[0], "vn-1");
    assert_eq!(ids[1], "42");
    assert_eq!(ids[2], "https://vnexpress.net/tin-moi-5047363.html");
    assert!(ids[3].starts_with("h:"));
    assert_eq!(v[0]["source"], "demo");
    assert_eq!(v[0]["date"], "2026-03-07T08:06:00+07:00");
    assert_eq!(v[0]["body"], "Đoạn một.\nĐoạn hai.");
    assert_eq!(v[1]["body"], "Đoạn A\nĐoạn B");
    assert_eq!(v[1]["author"], "Minh Anh, Thu Hà");
    assert_eq!(v[1]["date"], "2021-03-06T10:06:40+07:00");
    assert_eq!(v[2]["date"], "2025-10-13T15:21:42+07:00");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with("error: ")
            && lines[0].contains("extract_mixed.jsonl:3: field `title`"),
        "{err}"
    );
    assert!(
        lines[1].contains("extract_mixed.jsonl:4: invalid JSON"),
        "{err}"
    );
    assert!(
        lines[2].contains("extract_mixed.jsonl:7: empty article"),
        "{err}"
    );
    assert_eq!(lines[3], "4 articles, 3 errors");
}

#[test]
fn stdin_is_json_lines() {
    let mut child = Command::new(common::bin())
        .args(["extract", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "{\"id\":\"s1\",\"title\":\"Từ stdin\"}\n{\"id\":\"s2\",\"body\":\"x\"}\n".as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_lines(&out);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0]["file"], "-");
    assert_eq!(v[1]["id"], "s2");
}

#[test]
fn folders_gzip_hidden_and_binary() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "a/one.jsonl.gz",
        &gz(b"{\"id\":\"g1\",\"body\":\"x\"}\n{\"id\":\"g2\",\"body\":\"y\"}\n"),
    );
    write(
        p,
        "b/dump.txt",
        "16/06/2013 - 20:09\nTiêu đề\nSapo.\nThân bài.".as_bytes(),
    );
    write(p, ".git/objects/x", b"nope");
    write(p, "b/photo.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF");
    write(p, "b/noext", &[0u8, 0, 0, 1, 2, 3, 0, 0, 5]);
    let out = extract(&["--json", &p.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_lines(&out);
    let ids: Vec<&str> = v.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(&ids[..2], ["g1", "g2"]);
    assert_eq!(v.len(), 3);
    assert_eq!(v[2]["title"], "Tiêu đề");
    assert_eq!(v[2]["lead"], "Sapo.");
    assert_eq!(v[2]["date"], "2013-06-16T20:09:00+07:00");
    let err = stderr(&out);
    assert_eq!(err.matches("skipped: ").count(), 3, "{err}");
    assert!(err.contains(".git: skipped (hidden)"), "{err}");
    assert!(
        err.trim_end().ends_with("3 articles, 0 errors, 3 skipped"),
        "{err}"
    );
}

#[test]
fn nothing_readable_exits_1() {
    let d = tempfile::tempdir().unwrap();
    let bin = write(d.path(), "x.bin", &[0u8, 1, 2, 3, 0, 0, 0, 0, 7]);
    // UTF-16LE with unpaired surrogates: undecodable whatever the decoder.
    let bad = write(
        d.path(),
        "bad.txt",
        b"\xFF\xFE\x00\xD8\x00\xD8\x00\xD8A\x00",
    );
    let missing = d.path().join("missing.jsonl").display().to_string();
    let out = extract(&["--json", &bin, &bad, &missing]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("x.bin: binary data"), "{err}");
    assert!(err.contains("bad.txt: not valid text"), "{err}");
    assert!(err.contains("missing.jsonl: "), "{err}");
    assert!(err.contains("0 articles, 3 errors"), "{err}");
    // One good input is enough for success.
    let out = extract(&["--json", &bin, &fixture("extract_plain.txt")]);
    assert_eq!(out.status.code(), Some(0));
    // An empty file is not a failure.
    let empty = write(d.path(), "empty.jsonl", b"");
    let out = extract(&["--json", &empty]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("0 articles, 0 errors"));
}

#[test]
fn huge_page_and_truncated_gzip() {
    let d = tempfile::tempdir().unwrap();
    let mut page = b"<html><body><p>".to_vec();
    page.resize(50 << 20, b'a');
    let big = write(d.path(), "big.html", &page);
    let lines: String = (0..5000)
        .map(|i| format!("{{\"id\":\"{i}\",\"body\":\"nội dung số {i}\"}}\n"))
        .collect();
    let z = gz(lines.as_bytes());
    let cut = write(d.path(), "cut.jsonl.gz", &z[..z.len() * 2 / 3]);
    let out = extract(&["--json", &big, &cut]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("big.html: too large"), "{err}");
    assert!(
        err.contains("cut.jsonl.gz:") && err.contains("cut short"),
        "{err}"
    );
    let n = json_lines(&out).len();
    assert!(n > 1000 && n < 5000, "{n}");
    assert!(err.contains(&format!("{n} articles, 2 errors")), "{err}");
}

#[test]
fn overlong_line_is_one_error() {
    let d = tempfile::tempdir().unwrap();
    let mut bytes = b"{\"id\":\"big\",\"body\":\"".to_vec();
    bytes.resize(65 << 20, b'x');
    bytes.extend_from_slice(b"\"}\n{\"id\":\"next\",\"body\":\"ok\"}\n");
    let f = write(d.path(), "long.jsonl", &bytes);
    drop(bytes);
    let out = extract(&["--json", &f]);
    assert!(out.status.success());
    let v = json_lines(&out);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["id"], "next");
    let err = stderr(&out);
    assert!(err.contains("long.jsonl:1: line too long"), "{err}");
}

#[test]
fn html_with_url() {
    let d = tempfile::tempdir().unwrap();
    let page = write(
        d.path(),
        "page.html",
        "<html><head><title>Giá vàng</title></head><body><article><p>Sáng nay giá vàng miếng giảm mạnh, thấp hơn hôm qua một triệu đồng.</p><p>Giới đầu tư bán ra.</p></article></body></html>".as_bytes(),
    );
    let url = "https://dantri.com.vn/kinh-doanh/gia-vang-20260307080054340.htm";
    let out = extract(&["--json", "--url", url, &page]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json_lines(&out);
    assert_eq!(v[0]["url"], url);
    assert_eq!(v[0]["id"], url);
    assert!(v[0]["body"].as_str().unwrap().contains("giá vàng miếng"));
    assert!(
        v[0]["date"].as_str().is_some(),
        "a date from the page or its URL"
    );
    // A page without an article is one error naming the file.
    let empty = write(
        d.path(),
        "empty.html",
        b"<html><head><title>x</title></head><body></body></html>",
    );
    let out = extract(&["--json", &empty, &page]);
    assert!(out.status.success());
    assert_eq!(json_lines(&out).len(), 1);
    let err = stderr(&out);
    assert!(
        err.lines().next().unwrap().contains("empty.html: "),
        "{err}"
    );
    assert!(err.contains("1 articles, 1 errors"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let f = fixture("extract_plain.txt");
    let out = extract(&["--url", "https://a.vn/x", &f, &f]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = extract(&["--format", "pdf", &f]);
    assert_eq!(out.status.code(), Some(2));
    let out = extract(&[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn forced_format() {
    let out = extract(&[
        "--json",
        "--format",
        "text",
        &fixture("extract_mixed.jsonl"),
    ]);
    assert!(out.status.success());
    let v = json_lines(&out);
    assert_eq!(v.len(), 1, "the whole file is one text article");
    assert!(
        v[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("{\"id\": \"vn-1\"")
    );
}

#[test]
fn closed_stdout_is_not_a_panic() {
    let d = tempfile::tempdir().unwrap();
    let lines: String = (0..20000)
        .map(|i| format!("{{\"id\":\"{i}\",\"body\":\"{}\"}}\n", "x".repeat(100)))
        .collect();
    let f = write(d.path(), "many.jsonl", lines.as_bytes());
    let mut child = Command::new(common::bin())
        .args(["extract", "--json", &f])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn real_corpus_sample() {
    let Some(shared) = common::shared_dir("real_corpus_sample") else {
        return;
    };
    let f = shared.join("corpus/sample-1k.jsonl").display().to_string();
    let out = extract(&["--json", &f]);
    assert!(out.status.success());
    let v = json_lines(&out);
    assert_eq!(v.len(), 1000);
    assert!(stderr(&out).contains("1000 articles, 0 errors"));
    assert!(v.iter().all(|a| a["source"].is_string()));
}

#[test]
fn real_html_pages_never_panic() {
    let Some(shared) = common::shared_dir("real_html_pages_never_panic") else {
        return;
    };
    let dir = shared.join("html-vi");
    let out = extract(&["--json", &dir.display().to_string()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    let html_files = walk_count(&dir, "html");
    let articles = json_lines(&out).len();
    let errors = err.lines().filter(|l| l.starts_with("error: ")).count();
    // manifest.tsv is read as text too.
    assert_eq!(articles + errors, html_files + 1, "{err}");
    assert!(articles >= 8, "{err}");
}

fn walk_count(dir: &Path, ext: &str) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            n += walk_count(&p, ext);
        } else if p.extension().is_some_and(|x| x == ext) {
            n += 1;
        }
    }
    n
}

//! End to end: `tintuc restore` and accent restoration in `tintuc search`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn restore_stdin(input: &[u8], args: &[&str]) -> Output {
    let mut child = Command::new(common::bin())
        .arg("restore")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tintuc");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out
}

#[test]
fn one_line_out_per_line_in_with_case_numbers_and_punctuation_kept() {
    let input = "Gia vang the gioi tang 2,5% trong ngay 22/6.\n\nHA NOI\r\nUBND thanh pho\nĐảng\nxin chao cac ban";
    let out = restore_stdin(input.as_bytes(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(
        lines,
        [
            "Giá vàng thế giới tăng 2,5% trong ngày 22/6.",
            "",
            "HÀ NỘI",
            "UBND thành phố",
            "Đảng",
            "xin chào các bạn",
        ]
    );
    assert!(got.ends_with('\n'));
}

#[test]
fn json_gives_alternatives_and_scores() {
    let out = restore_stdin(b"dang vien\n", &["--json"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(text.lines().count(), 1);
    let v: Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(v["text"], "dang vien");
    assert_eq!(v["restored"], "đảng viên");
    let syl = v["syllables"].as_array().expect("syllables");
    assert_eq!(syl.len(), 2);
    assert_eq!(syl[0]["restored"], "đảng");
    let alts = syl[0]["alternatives"].as_array().expect("alternatives");
    assert!(alts.len() >= 2, "{alts:?}");
    assert_eq!(alts[0]["form"], "đảng");
    let p0 = alts[0]["p"].as_f64().expect("p");
    assert!(p0 > 0.5 && p0 <= 1.0, "{p0}");
    assert!(syl[0]["confidence"].as_f64().is_some());
}

#[test]
fn bad_input_is_reported_and_skipped_and_files_are_read() {
    let out = restore_stdin(b"viet nam\n\xff\xfe bad\nha noi\n", &[]);
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines.len(), 3, "{got}");
    assert_eq!(lines[0], "việt nam");
    assert_eq!(lines[2], "hà nội");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("<stdin>:2") && err.contains("invalid UTF-8"),
        "{err}"
    );

    let missing = Command::new(common::bin())
        .args(["restore", "/nonexistent/file.txt"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.txt"));

    let tmp = tempfile::tempdir().expect("tempdir");
    let f = tmp.path().join("in.txt");
    std::fs::write(&f, "thu tuong chinh phu\n").expect("write");
    let out = Command::new(common::bin())
        .arg("restore")
        .arg(&f)
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "thủ tướng chính phủ\n"
    );
}

#[test]
fn a_very_long_line_stays_one_line() {
    let line = "gia vang ".repeat(150_000); // 1.35 MB, cut into pieces at spaces
    let out = restore_stdin(format!("{line}\nok\n").as_bytes(), &[]);
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0].split(' ').filter(|w| !w.is_empty()).count(),
        300_000
    );
    // only where a piece ends between the two words is the pair read apart
    assert!(lines[0].matches("giá vàng").count() >= 149_990);
}

struct Env {
    _tmp: tempfile::TempDir,
    index: PathBuf,
}

fn env() -> Env {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/restore_articles.jsonl");
    let out = Command::new(common::bin())
        .arg("--index")
        .arg(&index)
        .args(["ingest", "--format", "jsonl"])
        .arg(&fixture)
        .output()
        .expect("ingest");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Env { _tmp: tmp, index }
}

fn search(index: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("--index")
        .arg(index)
        .arg("search")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tintuc")
}

fn search_json(index: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = search(index, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn search_boosts_the_restored_reading_and_says_so() {
    let e = env();
    let on = search_json(&e.index, &["gia vang the gioi"]);
    let off = search_json(&e.index, &["gia vang the gioi", "--no-restore"]);
    assert_eq!(on["restored"], "giá vàng thế giới");
    assert!(off.get("restored").is_none(), "{off}");
    // same matches
    assert_eq!(on["total"], off["total"]);
    let (mut a, mut b) = (ids(&on), ids(&off));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // the article with the restored reading gains, the one typed without accents
    // (which only matches the folded forms) does not
    let score = |v: &Value, id: &str| {
        v["hits"]
            .as_array()
            .and_then(|h| h.iter().find(|x| x["id"] == id))
            .and_then(|x| x["score"].as_f64())
            .expect("score")
    };
    assert!(score(&on, "r1") > score(&off, "r1") + 0.01, "{on}\n{off}");
    assert!(
        (score(&on, "r2") - score(&off, "r2")).abs() < 1e-3,
        "{on}\n{off}"
    );

    let text = search(&e.index, &["gia vang the gioi"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Hiểu là: giá vàng thế giới"), "{text}");
    let text = search(&e.index, &["gia vang the gioi", "--no-restore"]);
    assert!(!String::from_utf8_lossy(&text.stdout).contains("Hiểu là"));

    // typed with accents: never changed
    let acc = search_json(&e.index, &["giá vàng"]);
    assert!(acc.get("restored").is_none(), "{acc}");
}

#[test]
fn telex_and_vni_slips_are_searched_decoded() {
    let e = env();
    for q in ["ddaf nawngx", "d9a2 na8ng4"] {
        let v = search_json(&e.index, &[q]);
        assert_eq!(v["restored"], "đà nẵng", "{q}: {v}");
        let mut got = ids(&v);
        got.sort();
        assert_eq!(got, ["r3", "r4"], "{q}");
    }
    let off = search_json(&e.index, &["ddaf nawngx", "--no-restore"]);
    assert_eq!(off["total"], 0);
}

#[test]
fn did_you_mean_when_a_word_is_in_no_article() {
    let e = env();
    let v = search_json(&e.index, &["Da Nangg"]);
    assert_eq!(v["suggestion"], "Da Nang", "{v}");
    // shown, not applied: the results are the relaxed ones
    assert_eq!(v["relaxed"], true);
    let found = search_json(&e.index, &["Da Nang"]);
    assert!(found.get("suggestion").is_none(), "{found}");
    let text = search(&e.index, &["Da Nangg"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Did you mean: Da Nang"));
}

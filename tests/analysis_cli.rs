//! `tintuc analyze` run as a real binary.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn analyze(args: &[&str], stdin: Option<&[u8]>) -> (i32, String) {
    let mut child = Command::new(common::bin())
        .arg("analyze")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn json_has_tokens_offsets_and_words() {
    let text = "Đảng ủy TP.HCM: 22,06%";
    let (code, out) = analyze(&["--json", text], None);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["text"], text);
    assert_eq!(v["analyzer_version"], 1);
    let tokens = v["tokens"].as_array().unwrap();
    let rows: Vec<(String, String, String, u64, u64, u64, String)> = tokens
        .iter()
        .map(|t| {
            (
                t["text"].as_str().unwrap().to_string(),
                t["normalized"].as_str().unwrap().to_string(),
                t["folded"].as_str().unwrap().to_string(),
                t["start"].as_u64().unwrap(),
                t["end"].as_u64().unwrap(),
                t["position"].as_u64().unwrap(),
                t["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, s, e, p, k: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            s,
            e,
            p,
            k.to_string(),
        )
    };
    assert_eq!(
        rows,
        [
            row("Đảng", "đảng", "dang", 0, 7, 0, "word"),
            row("ủy", "uỷ", "uy", 8, 12, 1, "word"),
            row("TP", "tp", "tp", 13, 15, 2, "word"),
            row("HCM", "hcm", "hcm", 16, 19, 3, "word"),
            row("22,06", "22,06", "22,06", 21, 26, 4, "number"),
        ]
    );
    let joined = v["joined"].as_array().unwrap();
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0]["normalized"], "tphcm");
    assert_eq!(joined[0]["position"], 2);
    // Words cover every token once, in order, and their offsets match their tokens.
    let words = v["words"].as_array().unwrap();
    let mut next = 0;
    for w in words {
        let idx: Vec<u64> = w["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap())
            .collect();
        assert_eq!(idx[0], next);
        next = idx[idx.len() - 1] + 1;
        assert_eq!(w["start"], tokens[idx[0] as usize]["start"]);
        assert_eq!(w["end"], tokens[*idx.last().unwrap() as usize]["end"]);
    }
    assert_eq!(next as usize, tokens.len());
}

#[test]
fn table_by_default() {
    let (code, out) = analyze(&["Hòa bình, thủy điện"], None);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("#") && lines[0].contains("normalized"),
        "{out}"
    );
    assert!(
        lines[1].contains("Hòa") && lines[1].contains("hoà") && lines[1].contains("0..4"),
        "{out}"
    );
    assert!(out.contains("thuỷ") && out.contains("thuy"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("words:"), "{out}");
}

#[test]
fn stdin_in_a_legacy_encoding() {
    // "Bảo Thắng" in TCVN3.
    let (code, out) = analyze(&["--json", "-"], Some(b"B\xB6o Th\xBEng"));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["encoding"], "TCVN3");
    assert_eq!(v["text"], "Bảo Thắng");
    assert_eq!(v["tokens"][1]["folded"], "thang");
}

#[test]
fn empty_and_punctuation_only_text() {
    for text in ["", "   ", "!!! 😀 …"] {
        let (code, out) = analyze(&["--json", text], None);
        assert_eq!(code, 0);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tokens"].as_array().unwrap().len(), 0);
        assert_eq!(v["words"].as_array().unwrap().len(), 0);
    }
    let (code, out) = analyze(&[""], None);
    assert_eq!(code, 0);
    assert!(out.contains("(no tokens)"));
}

#[test]
fn missing_text_is_a_usage_error() {
    let (code, _) = analyze(&[], None);
    assert_eq!(code, 2);
}

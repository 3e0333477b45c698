//! End-to-end tests of `tintuc segment`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs `tintuc segment` with `input` on standard input.
fn segment_stdin(input: &[u8], args: &[&str]) -> std::process::Output {
    let mut child = Command::new(common::bin())
        .arg("segment")
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

/// Characters other than whitespace and `_`, in order.
fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect()
}

#[test]
fn exact_output_on_chosen_sentences() {
    let out = Command::new(common::bin())
        .args(["segment", "tests/fixtures/segment_sentences.txt"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8(out.stdout).expect("utf-8");
    let want = fixture("segment_expected.txt");
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "line {}", i + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count());
}

#[test]
fn reads_standard_input_and_dash() {
    let input = "Công ty xây dựng Hà Nội.\n\nHọc sinh đi học.";
    for args in [&[][..], &["-"][..]] {
        let out = segment_stdin(input.as_bytes(), args);
        assert!(out.status.success());
        let got = String::from_utf8(out.stdout).expect("utf-8");
        assert_eq!(got, "Công_ty xây_dựng Hà_Nội .\n\nHọc_sinh đi học .\n");
    }
}

#[test]
fn pre_split_input_comes_back_with_the_same_characters() {
    // the expected outputs, unsegmented (syllables split by spaces), segment back to themselves
    let want = fixture("segment_expected.txt");
    let presplit = want.replace('_', " ");
    let out = segment_stdin(presplit.as_bytes(), &[]);
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(got.replace('_', " "), presplit);
    assert_eq!(got, want);
}

#[test]
fn treebank_text_round_trips() {
    let Some(shared) = common::shared_dir("treebank_text_round_trips") else {
        return;
    };
    let path = shared.join("seg/dev.raw.txt");
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipping treebank_text_round_trips: {} is absent",
            path.display()
        );
        return;
    };
    let out = Command::new(common::bin())
        .arg("segment")
        .arg(&path)
        .output()
        .expect("run");
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(got.lines().count(), raw.lines().count());
    let mut changed = 0;
    for (g, r) in got.lines().zip(raw.lines()) {
        assert_eq!(letters(g), letters(r));
        if g.replace('_', " ") != r {
            changed += 1; // a space added inside a piece (e.g. `Tr’` → `Tr ’`)
        }
    }
    assert!(
        changed * 200 < raw.lines().count(),
        "{changed} lines changed"
    );
}

#[test]
fn streams_large_input() {
    // Output must start while input is still being written: the writer holds back the
    // last part until it has seen the first output line.
    let line =
        "Ủy ban nhân dân tỉnh đã phê duyệt kế hoạch phát triển kinh tế xã hội, ông Lộc nói.\n";
    let lines = 60_000; // about 6 MB
    let mut child = Command::new(common::bin())
        .arg("segment")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (seen_tx, seen_rx) = mpsc::channel::<()>();
    let writer = std::thread::spawn(move || -> bool {
        let body = line.repeat(lines - 1);
        if stdin.write_all(body.as_bytes()).is_err() {
            return false;
        }
        let _ = stdin.flush();
        // wait for output to appear before sending the last line
        let streamed = seen_rx.recv_timeout(Duration::from_secs(120)).is_ok();
        let _ = stdin.write_all(b"Xong.\n");
        streamed
    });
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader.read_line(&mut first).expect("read");
    let _ = seen_tx.send(());
    let mut rest = String::new();
    reader.read_to_string(&mut rest).expect("read");
    let streamed = writer.join().expect("writer");
    assert!(child.wait().expect("wait").success());
    assert!(streamed, "no output before the input ended");
    assert_eq!(
        first,
        "Ủy_ban nhân_dân tỉnh đã phê_duyệt kế_hoạch phát_triển kinh_tế xã_hội , ông Lộc nói .\n"
    );
    assert_eq!(1 + rest.lines().count(), lines);
    assert_eq!(rest.lines().last(), Some("Xong ."));
}

#[test]
fn a_huge_line_without_newline_is_one_line_out() {
    let piece = "kinh tế xã hội phát triển ";
    let text = piece.repeat(120_000); // about 3.5 MB, no newline
    let out = segment_stdin(text.as_bytes(), &[]);
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(got.matches('\n').count(), 1);
    assert!(got.ends_with('\n'));
    assert_eq!(letters(&got), letters(&text));
    assert!(got.starts_with("kinh_tế xã_hội phát_triển kinh_tế"));
}

#[test]
fn invalid_utf8_is_reported_and_replaced() {
    let input = b"xin ch\xe0o\nH\xc3\xa0 N\xe1\xbb\x99i\n";
    let out = segment_stdin(input, &[]);
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(got, "xin ch\u{FFFD}o\nHà_Nội\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<stdin>:1"), "{err}");
    assert!(err.contains("invalid UTF-8"), "{err}");
}

#[test]
fn crlf_and_empty_lines() {
    let out = segment_stdin(b"H\xc3\xa0 N\xe1\xbb\x99i\r\n\r\n\n", &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        "Hà_Nội\n\n\n"
    );
}

#[test]
fn missing_file_fails_with_its_name() {
    let out = Command::new(common::bin())
        .args(["segment", "/nonexistent/segment-input.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/segment-input.txt"), "{err}");
}

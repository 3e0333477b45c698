//! An index folder damaged on purpose: a truncated segment file, a deleted `meta.json`,
//! garbage in `tintuc.json`. Every command answers with one clear line that says what
//! is wrong and how to recover, exit code 1, never a panic.

mod common;
mod hostile_support;

use std::path::{Path, PathBuf};

use hostile_support::{Limits, Run, run_limited, tintuc};

fn run(index: &Path, args: &[&str]) -> Run {
    let mut c = tintuc(index);
    c.args(args);
    run_limited(c, Limits::default(), None)
}

/// A fresh index of the sample articles; returns it and its generation folder.
fn sample_index(dir: &Path) -> (PathBuf, PathBuf) {
    let idx = dir.join("index");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles");
    let r = run(&idx, &["ingest", "--json", samples]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(idx.join("tintuc.json")).unwrap()).unwrap();
    let data = idx.join(meta["data"].as_str().unwrap());
    (idx, data)
}

/// Every reading and writing command fails with one line naming the index and `what`,
/// and pointing to a way out.
fn assert_clear_failure(idx: &Path, what: &str) {
    for args in [
        &["stats", "--json"][..],
        &["search", "--json", "cần thơ"],
        &["get", "h:0"],
        &[
            "ingest",
            concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles/text"),
        ],
        &["reindex"],
    ] {
        let r = run(idx, args);
        r.no_crash().one_line_errors();
        assert_eq!(r.code(), 1, "{what}: {args:?}: {}", r.stderr);
        let err = r.stderr.trim();
        assert_eq!(err.lines().count(), 1, "{what}: {args:?}: {err}");
        assert!(
            err.contains(idx.to_str().unwrap()),
            "{what}: {args:?}: {err}"
        );
        assert!(err.contains(what), "{what}: {args:?}: {err}");
        assert!(
            err.contains("tintuc reindex") || err.contains("re-ingest"),
            "{what}: {args:?}: no way to recover in: {err}"
        );
    }
}

#[test]
fn truncated_segment_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (idx, data) = sample_index(tmp.path());
    // Cut every segment file to half its length (store, postings, terms, fast fields).
    let mut cut = 0;
    for e in std::fs::read_dir(&data).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".json") || name.starts_with('.') {
            continue;
        }
        let len = std::fs::metadata(&p).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(len / 2)
            .unwrap();
        cut += 1;
    }
    assert!(cut > 0);
    assert_clear_failure(&idx, "damaged");
}

#[test]
fn deleted_meta_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (idx, data) = sample_index(tmp.path());
    std::fs::remove_file(data.join("meta.json")).unwrap();
    assert_clear_failure(&idx, "damaged");
}

#[test]
fn garbage_in_tintuc_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (idx, _) = sample_index(tmp.path());
    for garbage in [&b"\0\xff garbage {"[..], b"", b"{\"data\": 5}", b"{\"analyzer_version\":1,\"schema_version\":1,\"created_by\":\"x\",\"data\":\"../../etc\"}"] {
        std::fs::write(idx.join("tintuc.json"), garbage).unwrap();
        assert_clear_failure(&idx, "tintuc.json");
    }
}

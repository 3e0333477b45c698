//! End to end: publication days are the publisher's days (`--on`, histograms, JSON
//! dates keep each article's own offset) and `author:` matches any one author, on a
//! temporary index built from `tests/fixtures/dates_foreign.jsonl` (a Berlin, a
//! California and two Vietnamese articles).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn tintuc(index: &Path, args: &[&str]) -> Value {
    let out = Command::new(common::bin())
        .arg("--index")
        .arg(index)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tintuc");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn index() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dates_foreign.jsonl");
    let fixture = fixture.to_string_lossy().into_owned();
    let summary = tintuc(&index, &["ingest", "--format", "jsonl", "--json", &fixture]);
    assert_eq!(summary["added"], 4, "{summary}");
    (tmp, index)
}

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.sort();
    ids
}

fn search(index: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend(["--json", "--limit", "100"]);
    tintuc(index, &all)
}

#[test]
fn days_are_the_publishers_days() {
    let (_tmp, index) = index();
    // 20:09 on 2 March in Berlin and in California is already 3 March in Vietnam.
    assert_eq!(
        ids(&search(&index, &["báo", "--on", "2026-03-02"])),
        ["berlin", "california"]
    );
    assert_eq!(
        ids(&search(&index, &["báo", "--on", "2026-03-03"])),
        ["hanoi", "ttxvn"]
    );
    assert_eq!(
        ids(&search(&index, &["báo", "--from", "2026-03-03"])),
        ["hanoi", "ttxvn"]
    );
    assert_eq!(
        ids(&search(&index, &["báo", "--to", "2026-03-02"])),
        ["berlin", "california"]
    );
    let h = search(&index, &["báo", "--histogram", "day"]);
    assert_eq!(
        h["histogram"],
        serde_json::json!([{"key": "2026-03-02", "count": 2}, {"key": "2026-03-03", "count": 2}])
    );
    // Dates keep their offsets; sorting is by the instant (California's evening of 2 March
    // comes after the Vietnamese morning of 3 March).
    let oldest = search(&index, &["báo", "--sort", "oldest"]);
    let dates: Vec<(&str, &str)> = oldest["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        dates,
        [
            ("berlin", "2026-03-02T20:09:00+01:00"),
            ("hanoi", "2026-03-03T02:30:00+07:00"),
            ("ttxvn", "2026-03-03T09:00:00+07:00"),
            ("california", "2026-03-02T20:09:00-08:00"),
        ]
    );
}

#[test]
fn author_matches_any_one_author_and_sources_are_credits() {
    let (_tmp, index) = index();
    assert_eq!(ids(&search(&index, &["author:\"Minh Anh\""])), ["hanoi"]);
    assert_eq!(
        ids(&search(&index, &["author:\"Thu Hà\""])),
        ["berlin", "hanoi"]
    );
    // A phrase never runs from one author's name into the next.
    assert!(ids(&search(&index, &["author:\"Hà Minh\""])).is_empty());
    assert_eq!(ids(&search(&index, &["author:pv"])), ["california"]);
    // The source is no author.
    assert!(ids(&search(&index, &["author:ttxvn"])).is_empty());
    let a = tintuc(&index, &["get", "berlin", "--json"]);
    assert_eq!(a["author"], "Thu Hà");
    assert_eq!(a["authors"], serde_json::json!(["Thu Hà"]));
    assert_eq!(a["credit"], "Reuters");
    assert_eq!(a["date"], "2026-03-02T20:09:00+01:00");
    let t = tintuc(&index, &["get", "ttxvn", "--json"]);
    assert!(t["author"].is_null(), "{t}");
    assert_eq!(t["credit"], "TTXVN");
}

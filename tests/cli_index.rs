//! End to end: the real `tintuc` binary on temporary indexes — ingest, idempotent
//! re-ingest, updates, get, delete, stats, reindex, bad input, empty and missing indexes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn tintuc(index: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("--index")
        .arg(index)
        .args(args)
        .env_remove("TINTUC_INDEX")
        .output()
        .expect("run tintuc")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs, expects exit 0, parses stdout as one JSON object.
fn json(index: &Path, args: &[&str]) -> Value {
    let o = tintuc(index, args);
    assert!(
        o.status.success(),
        "tintuc {args:?} failed: {}\n{}",
        stderr(&o),
        stdout(&o)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("tintuc {args:?}: not JSON ({e}): {}", stdout(&o)))
}

fn samples() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples/articles")
        .display()
        .to_string()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn summary(added: u64, updated: u64, unchanged: u64, skipped: u64, errors: u64) -> Value {
    serde_json::json!({"added": added, "updated": updated, "unchanged": unchanged,
                       "skipped": skipped, "errors": errors})
}

#[test]
fn samples_ingest_then_stats_and_get() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let r = json(&idx, &["ingest", "--json", &samples()]);
    assert_eq!(r, summary(21, 0, 0, 0, 0));

    let s = json(&idx, &["stats", "--json"]);
    assert_eq!(s["articles"], 21);
    assert_eq!(s["date_min"], "2008-09-15T10:20:00+07:00");
    assert_eq!(s["date_max"], "2025-01-20T06:00:00+07:00");
    assert_eq!(s["sources"]["tinmau.vn"], 5);
    assert_eq!(s["sources"]["baolangque.vn"], 3);
    assert!(s["bytes"].as_u64().unwrap() > 10_000, "{s}");
    let keys: Vec<&String> = s.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["articles", "bytes", "date_max", "date_min", "sources"]
    );

    let a = json(&idx, &["get", "tinmau-2016-tam-giac-mach", "--json"]);
    assert_eq!(
        a["title"],
        "Hoa tam giác mạch nở sớm, du khách đổ về cao nguyên đá Hà Giang"
    );
    assert_eq!(a["date"], "2016-03-25T14:30:00+07:00");
    assert_eq!(a["source"], "tinmau.vn");

    let o = tintuc(&idx, &["get", "nhipsongso-2019-ve-tinh"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.starts_with("Vệ tinh siêu nhỏ do kỹ sư Việt Nam thiết kế được đưa lên quỹ đạo\n"),
        "{text}"
    );
    assert!(
        text.contains("2019-12-31T23:30:00+07:00 · nhipsongso.vn"),
        "{text}"
    );

    let o = tintuc(&idx, &["stats"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("articles  21"), "{}", stdout(&o));
}

#[test]
fn reingest_is_idempotent_and_leaves_the_index_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &samples()]);
    let meta = std::fs::read(idx.join("gen-1/meta.json")).unwrap();
    let r = json(&idx, &["ingest", "--json", &samples()]);
    assert_eq!(r, summary(0, 0, 21, 0, 0));
    assert_eq!(
        std::fs::read(idx.join("gen-1/meta.json")).unwrap(),
        meta,
        "nothing is committed when nothing changed"
    );
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 21);
}

#[test]
fn changed_article_is_updated() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let v1 = tmp.path().join("v1.jsonl");
    let v2 = tmp.path().join("v2.jsonl");
    let line = |id: &str, body: &str| {
        serde_json::json!({"id": id, "title": format!("Bài {id}"), "body": body,
                           "source": "baomau.vn"})
        .to_string()
    };
    std::fs::write(
        &v1,
        [
            line("a", "Nội dung ban đầu"),
            line("b", "Không đổi"),
            line("c", "Ba"),
        ]
        .join("\n"),
    )
    .unwrap();
    std::fs::write(
        &v2,
        [
            line("a", "Nội dung đã sửa lại"),
            line("b", "Không đổi"),
            line("d", "Bốn"),
        ]
        .join("\n"),
    )
    .unwrap();
    assert_eq!(
        json(&idx, &["ingest", "--json", v1.to_str().unwrap()]),
        summary(3, 0, 0, 0, 0)
    );
    assert_eq!(
        json(
            &idx,
            &[
                "ingest",
                "--json",
                "--format",
                "jsonl",
                v2.to_str().unwrap()
            ]
        ),
        summary(1, 1, 1, 0, 0)
    );
    assert_eq!(
        json(&idx, &["get", "a", "--json"])["body"],
        "Nội dung đã sửa lại"
    );
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 4);
}

#[test]
fn delete_reports_deleted_and_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]);
    let r = json(&idx, &["delete", "index-1", "nope", "--json"]);
    assert_eq!(r, serde_json::json!({"deleted": 1, "missing": 1}));
    let o = tintuc(&idx, &["get", "index-1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no article with id"), "{}", stderr(&o));
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 3);
    // Only missing ids: a failure.
    let o = tintuc(&idx, &["delete", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("deleted 0, missing 1"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn corrupted_json_line_is_one_error_and_the_rest_is_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let o = tintuc(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r, summary(4, 0, 0, 0, 1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("index_corrupt.jsonl:3:"), "{err}");
    for id in ["index-1", "index-2", "index-4", "index-5"] {
        assert_eq!(json(&idx, &["get", id, "--json"])["id"], id);
    }
    // The text summary counts articles only: not the bad line, not the skipped file.
    let dir = tmp.path().join("inputs");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("index_corrupt.jsonl"), dir.join("a.jsonl")).unwrap();
    std::fs::write(dir.join("blob"), [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
    let o = tintuc(
        &tmp.path().join("other"),
        &["ingest", dir.to_str().unwrap()],
    );
    assert!(
        stdout(&o)
            .starts_with("added 4, updated 0, unchanged 0, skipped 1, errors 1 (4 articles, "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn every_input_failing_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, "{not json\n[1, 2\n").unwrap();
    let o = tintuc(
        &idx,
        &[
            "ingest",
            "--json",
            "--format",
            "jsonl",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r, summary(0, 0, 0, 0, 2));
    let missing = tmp.path().join("no-such-file.jsonl");
    let o = tintuc(&idx, &["ingest", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-file.jsonl"), "{}", stderr(&o));
}

#[test]
fn unreachable_url_is_an_error_and_files_are_still_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let o = tintuc(
        &idx,
        &[
            "ingest",
            "--json",
            &fixture("index_corrupt.jsonl"),
            "http://127.0.0.1:9/a",
        ],
    );
    assert!(o.status.success());
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["added"], 4);
    assert_eq!(r["errors"], 2);
    assert!(
        stderr(&o).contains("http://127.0.0.1:9/a:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn empty_index() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let empty = tmp.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        json(&idx, &["ingest", "--json", empty.to_str().unwrap()]),
        summary(0, 0, 0, 0, 0)
    );
    let s = json(&idx, &["stats", "--json"]);
    assert_eq!(s["articles"], 0);
    assert!(s["date_min"].is_null() && s["date_max"].is_null(), "{s}");
    assert_eq!(s["sources"], serde_json::json!({}));
    let o = tintuc(&idx, &["get", "x"]);
    assert_eq!(o.status.code(), Some(1));
    let o = tintuc(&idx, &["stats"]);
    assert!(
        stdout(&o).contains("articles  0 (none dated)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        json(&idx, &["reindex", "--json"]),
        serde_json::json!({"articles": 0, "errors": 0})
    );
}

#[test]
fn missing_index_is_a_one_line_error_and_is_not_created() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("nowhere");
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["get", "x"],
        &["delete", "x"],
        &["reindex"],
    ] {
        let o = tintuc(&idx, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("no index at"), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
    assert!(!idx.exists());
}

#[test]
fn old_analyzer_version_asks_for_reindex_and_reindex_fixes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]);
    let meta_path = idx.join("tintuc.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    assert_eq!(meta["data"], "gen-1");
    meta["analyzer_version"] = 0.into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();

    let o = tintuc(&idx, &["ingest", &fixture("index_corrupt.jsonl")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("analyzer version 0") && err.contains("run `tintuc reindex`"),
        "{err}"
    );
    // Reading still works, with a warning.
    let o = tintuc(&idx, &["stats", "--json"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("tintuc reindex"), "{}", stderr(&o));

    assert_eq!(
        json(&idx, &["reindex", "--json"]),
        serde_json::json!({"articles": 4, "errors": 0})
    );
    let meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    assert_eq!(meta["data"], "gen-2");
    assert_ne!(meta["analyzer_version"], 0);
    assert!(!idx.join("gen-1").exists());
    assert_eq!(
        json(&idx, &["get", "index-4", "--json"])["title"],
        "Khánh thành cầu mới"
    );
    assert_eq!(
        json(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]),
        summary(0, 0, 4, 0, 1)
    );
}

#[test]
fn index_option_before_or_after_the_subcommand_and_from_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("idx");
    let o = Command::new(common::bin())
        .args([
            "ingest",
            "--json",
            &fixture("index_corrupt.jsonl"),
            "--index",
        ])
        .arg(&idx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new(common::bin())
        .args(["stats", "--json"])
        .env("TINTUC_INDEX", &idx)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["articles"], 4);
}

#[test]
fn syndicated_copies_share_a_fingerprint_and_others_do_not() {
    use tantivy::columnar::Column;
    use tintuc::index::{Archive, near_duplicate};
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &samples()]);
    let archive = Archive::open(&idx).unwrap();
    let searcher = archive.searcher();
    let mut prints: Vec<(String, u64)> = Vec::new();
    for seg in searcher.segment_readers() {
        let fp: Column<u64> = seg.fast_fields().u64("fingerprint").unwrap();
        let ids = seg.fast_fields().str("id").unwrap().unwrap();
        for doc in seg.doc_ids_alive() {
            let mut id = String::new();
            let ord = ids.term_ords(doc).next().unwrap();
            ids.ord_to_str(ord, &mut id).unwrap();
            prints.push((id, fp.first(doc).unwrap()));
        }
    }
    assert_eq!(prints.len(), 21);
    let original = "tinmau-2024-sat-lo-song-tien";
    // The HTML copy: the other article quoting Mr Võ Văn Hậu.
    let copy = prints
        .iter()
        .map(|p| p.0.clone())
        .find(|id| {
            id != original
                && archive
                    .get(id)
                    .unwrap()
                    .unwrap()
                    .body
                    .contains("Võ Văn Hậu")
        })
        .expect("the HTML copy is indexed");
    let copy = copy.as_str();
    let fp = |id: &str| prints.iter().find(|p| p.0 == id).map(|p| p.1);
    let (a, b) = (fp(original).unwrap(), fp(copy).unwrap());
    assert!(near_duplicate(a, b), "distance {}", (a ^ b).count_ones());
    for (i, x) in prints.iter().enumerate() {
        for y in &prints[i + 1..] {
            let pair = [x.0.as_str(), y.0.as_str()];
            if pair.contains(&original) && pair.contains(&copy) {
                continue;
            }
            assert!(!near_duplicate(x.1, y.1), "{} and {} collapse", x.0, y.0);
        }
    }
    // The search helper's view of the same pair, by address.
    let addr = archive.address(original).unwrap().unwrap();
    let seg = searcher.segment_reader(addr.segment_ord);
    let col: Column<u64> = seg.fast_fields().u64("fingerprint").unwrap();
    assert_eq!(col.first(addr.doc_id), Some(a));
}

#[test]
fn copies_with_other_boilerplate_collapse_and_other_stories_do_not() {
    use tantivy::columnar::Column;
    use tintuc::index::{Archive, near_duplicate};
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    assert_eq!(
        json(
            &idx,
            &["ingest", "--json", &fixture("index_syndicated.jsonl")]
        ),
        summary(3, 0, 0, 0, 0)
    );
    let archive = Archive::open(&idx).unwrap();
    let searcher = archive.searcher();
    let fp = |id: &str| {
        let addr = archive.address(id).unwrap().expect(id);
        let col: Column<u64> = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("fingerprint")
            .unwrap();
        col.first(addr.doc_id).unwrap()
    };
    let (orig, copy, other) = (
        fp("index-syn-goc"),
        fp("index-syn-ban-sao"),
        fp("index-syn-khac"),
    );
    assert!(orig != 0 && copy != 0 && other != 0);
    assert!(
        near_duplicate(orig, copy),
        "distance {}",
        (orig ^ copy).count_ones()
    );
    assert!(
        !near_duplicate(orig, other),
        "distance {}",
        (orig ^ other).count_ones()
    );
    assert!(!near_duplicate(copy, other));
}

#[test]
fn bad_usage_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    for args in [
        &["ingest", "--format", "pdf", "x"][..],
        &["ingest", "--memory-mb", "8", "x"],
        &["ingest"],
        &["get"],
        &["delete"],
    ] {
        let o = tintuc(&idx, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert!(!idx.exists());
}

//! End to end: the writer lock, reading while an ingest runs, and an ingest killed
//! mid-way (the index stays readable at its last commit; running it again completes it).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn cmd(index: &Path) -> Command {
    let mut c = Command::new(common::bin());
    c.arg("--index").arg(index).env_remove("TINTUC_INDEX");
    c
}

fn run(index: &Path, args: &[&str]) -> Output {
    cmd(index).args(args).output().expect("run tintuc")
}

fn json(index: &Path, args: &[&str]) -> Value {
    let o = run(index, args);
    assert!(
        o.status.success(),
        "tintuc {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn article_line(i: usize) -> String {
    serde_json::json!({
        "id": format!("gen-{i}"),
        "source": format!("nguon{}.vn", i % 7),
        "title": format!("Bản tin số {i} về thời tiết và giao thông"),
        "body": format!(
            "Sáng nay, bản tin số {i} cho biết mưa lớn kéo dài ở nhiều tỉnh miền Trung khiến \
             giao thông trên quốc lộ bị ách tắc. Lực lượng chức năng đã phân luồng, hướng dẫn \
             người dân đi đường vòng và khuyến cáo hạn chế ra đường khi không cần thiết. \
             Đường số {i} dự kiến thông xe vào chiều mai nếu nước rút."
        ),
        "date": format!("20{:02}-0{}-1{}T08:00:00+07:00", 10 + i % 15, 1 + i % 9, i % 10),
    })
    .to_string()
}

#[test]
fn a_second_writer_gets_a_clear_locked_error_and_readers_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]);
    let lock = tintuc::index::lock::DirLock::acquire(&idx).unwrap();
    for args in [
        &["ingest", fixture("index_corrupt.jsonl").as_str()][..],
        &["delete", "index-1"],
        &["reindex"],
    ] {
        let o = run(&idx, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("is locked by another writer"), "{err}");
    }
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 4);
    assert_eq!(json(&idx, &["get", "index-2", "--json"])["id"], "index-2");
    drop(lock);
    assert_eq!(
        json(&idx, &["delete", "index-1", "--json"]),
        serde_json::json!({"deleted": 1, "missing": 0})
    );
}

#[test]
fn reading_while_an_ingest_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    json(&idx, &["ingest", "--json", &fixture("index_corrupt.jsonl")]);
    // An ingest reading standard input holds the lock until its input ends.
    let spawn = || {
        let mut child = cmd(&idx)
            .args(["ingest", "--json", "--format", "jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // A child that already gave up closed its input: the loop below restarts it.
        let _ = writeln!(stdin, "{}", article_line(1)).and_then(|()| stdin.flush());
        (child, stdin)
    };
    let (mut child, mut stdin) = spawn();
    // Wait until it holds the lock. The probe takes the lock for a moment when it is
    // free; an ingest starting in that moment rightly gives up ("locked"), and is
    // started again.
    let start = Instant::now();
    loop {
        match tintuc::index::lock::DirLock::acquire(&idx) {
            Err(tintuc::index::IndexError::Locked(_)) => break,
            Err(e) => panic!("probing the lock: {e}"),
            Ok(probe) => drop(probe),
        }
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("locked"), "ingest ended ({status}): {err}");
            (child, stdin) = spawn();
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the ingest never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = run(&idx, &["ingest", &fixture("index_corrupt.jsonl")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("locked"));
    // Readers see the last commit.
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 4);
    let hits = json(&idx, &["search", "cầu dây văng", "--json"]);
    assert_eq!(hits["total"], 1, "{hits}");
    assert_eq!(hits["hits"][0]["id"], "index-4");
    assert_eq!(
        json(&idx, &["get", "index-5", "--json"])["title"],
        "Hội chợ sách"
    );

    writeln!(stdin, "{}", article_line(2)).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["added"], 2);
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], 6);
}

#[test]
fn killed_ingest_leaves_the_last_commit_and_a_rerun_completes_it() {
    const N: usize = 6_000;
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = tmp.path().join("many.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    for i in 0..N {
        writeln!(f, "{}", article_line(i)).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let input = input.to_str().unwrap();

    let mut child = cmd(&idx)
        .args(["ingest", "--json", "--commit-every", "200", input])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as a commit with articles is visible.
    let start = Instant::now();
    let mut committed = 0u64;
    while start.elapsed() < Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let o = run(&idx, &["stats", "--json"]);
        if o.status.success() {
            let s: Value = serde_json::from_slice(&o.stdout).unwrap();
            committed = s["articles"].as_u64().unwrap();
            if committed > 0 {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished_first = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if finished_first {
        eprintln!("note: the first ingest ended before it could be killed");
    }

    // Readable, at a commit: every article there is whole.
    let s = json(&idx, &["stats", "--json"]);
    let at_kill = s["articles"].as_u64().unwrap();
    eprintln!("killed with {at_kill} of {N} articles committed");
    assert!(at_kill >= committed, "{at_kill} < {committed}");
    assert!(at_kill as usize <= N);
    if at_kill > 0 {
        assert_eq!(json(&idx, &["get", "gen-0", "--json"])["id"], "gen-0");
    }

    // The same ingest again completes it.
    let r = json(&idx, &["ingest", "--json", input]);
    assert_eq!(r["errors"], 0);
    assert_eq!(r["updated"], 0);
    assert_eq!(
        r["added"].as_u64().unwrap() + r["unchanged"].as_u64().unwrap(),
        N as u64,
        "{r}"
    );
    assert!(r["unchanged"].as_u64().unwrap() >= at_kill, "{r}");
    assert_eq!(json(&idx, &["stats", "--json"])["articles"], N as u64);
    let again = json(&idx, &["ingest", "--json", input]);
    assert_eq!(again["unchanged"], N as u64);
}

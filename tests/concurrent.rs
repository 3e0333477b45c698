//! Concurrent use through the CLI and through `tintuc serve`: searches running while an
//! ingest commits and while a reindex swaps generations all answer from a consistent
//! snapshot; a crawl and an ingest into the same index: the second refuses with one
//! clear lock error. (The
//! writer lock against a held lock and reading during a stdin ingest are in
//! `cli_index_crash.rs`.)

mod common;
mod crawl_support;
mod hostile_support;
mod serve_support;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crawl_support::{Reply, TestServer};
use hostile_support::{Limits, Run, run_limited, tintuc};

fn run(index: &Path, args: &[&str]) -> Run {
    let mut c = tintuc(index);
    c.args(args);
    run_limited(c, Limits::default(), None)
}

/// Writes `n` JSON Lines articles, the `i`-th made by `article(i)`, to `path`.
fn write_articles(path: &Path, n: usize, article: impl Fn(usize) -> serde_json::Value) -> String {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        writeln!(w, "{}", article(i)).unwrap();
    }
    w.flush().unwrap();
    path.display().to_string()
}

/// A date per article, spread over 2010-2024.
fn date_of(i: usize) -> String {
    format!(
        "20{:02}-0{}-1{}T08:00:00+07:00",
        10 + i % 15,
        1 + i % 9,
        i % 10
    )
}

/// `n` articles that all hold the word `hoanghon`.
fn articles(path: &Path, n: usize) -> String {
    write_articles(path, n, |i| {
        serde_json::json!({
            "id": format!("con-{i}"),
            "title": format!("Hoanghon số {i}"),
            "body": format!("Bản tin hoanghon số {i}: mưa lớn ở miền Trung, giao thông ách tắc."),
            "date": date_of(i),
        })
    })
}

fn total(index: &Path, q: &str) -> u64 {
    let r = run(index, &["search", "--json", "--limit", "3", q]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 0, "a search during a write failed: {}", r.stderr);
    r.json()["total"].as_u64().expect("total")
}

/// Starts a writer with `start` and waits until it holds the index's lock. The probe
/// takes the lock for a moment when it is free; a writer starting in that moment
/// rightly gives up ("locked") and is started again.
fn holding_the_lock(idx: &Path, start: &mut dyn FnMut() -> Child) -> Child {
    let mut child = start();
    let t0 = Instant::now();
    loop {
        match tintuc::index::lock::DirLock::acquire(idx) {
            Err(tintuc::index::IndexError::Locked(_)) => return child,
            Err(e) => panic!("probing the lock: {e}"),
            Ok(probe) => drop(probe),
        }
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains("locked"),
                "the writer ended ({status}) before taking the lock: {err}"
            );
            child = start();
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the writer never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn spawn(index: &Path, args: &[&str]) -> Child {
    let mut c = tintuc(index);
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    c.spawn().expect("spawn")
}

#[test]
fn searches_while_an_ingest_commits() {
    const N: usize = 4000;
    const EVERY: u64 = 200;
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = articles(&tmp.path().join("a.jsonl"), N);
    let r = run(
        &idx,
        &[
            "ingest",
            "--json",
            concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles"),
        ],
    );
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let started = Instant::now();
    let mut child = spawn(
        &idx,
        &[
            "ingest",
            "--json",
            "--commit-every",
            &EVERY.to_string(),
            &input,
        ],
    );
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        seen.push(total(&idx, "hoanghon"));
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the ingest hangs"
        );
    }
    let took = started.elapsed();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    seen.push(total(&idx, "hoanghon"));
    eprintln!(
        "{} searches during the ingest ({took:?}): {seen:?}",
        seen.len()
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "a search went back in time: {seen:?}"
    );
    assert_eq!(seen.last(), Some(&(N as u64)));
    // Each search saw whole commits: the ingest commits at the end of the first batch
    // after every EVERY articles, and each commit adds the same number of articles, so
    // every count seen (but the last, partial one) is a multiple of that number, which
    // is at least EVERY: their greatest common divisor is too (a torn snapshot would
    // bring it down). The first count seen need not be the first commit (a search can
    // miss it). A commit is also made every minute: an ingest that slow may show other
    // counts.
    let first = seen.iter().copied().find(|t| *t > 0).unwrap_or(N as u64);
    assert!(
        first >= EVERY,
        "a commit of {first} articles before {EVERY}: {seen:?}"
    );
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let step = seen
        .iter()
        .copied()
        .filter(|&t| t > 0 && t != N as u64)
        .fold(0, gcd);
    if took < Duration::from_secs(55) && step > 0 {
        assert!(
            step >= EVERY,
            "counts not at whole commits of {EVERY}+ articles (their common step is {step}): {seen:?}"
        );
    }
}

#[test]
fn searches_while_a_reindex_swaps_generations() {
    const N: u64 = 1500;
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let input = articles(&tmp.path().join("a.jsonl"), N as usize);
    let r = run(&idx, &["ingest", "--json", &input]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let gen_of = |idx: &Path| -> String {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(idx.join("tintuc.json")).unwrap()).unwrap();
        v["data"].as_str().unwrap().to_string()
    };
    let first = gen_of(&idx);
    let mut searches = 0;
    for _ in 0..3 {
        let mut child = spawn(&idx, &["reindex", "--json"]);
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert_eq!(
                total(&idx, "hoanghon"),
                N,
                "a search during a reindex saw another count"
            );
            let s = run(&idx, &["stats", "--json"]);
            assert_eq!(s.code(), 0, "{}", s.stderr);
            assert_eq!(s.json()["articles"], N);
            searches += 1;
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the reindex hangs"
            );
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(total(&idx, "hoanghon"), N);
    }
    assert_ne!(gen_of(&idx), first, "the generations were swapped");
    eprintln!("{searches} searches and stats during three reindexes");
}

#[test]
fn a_crawl_and_an_ingest_into_the_same_index_the_second_refuses() {
    // Pages that take a while, so the crawl holds the index for some seconds.
    let server = TestServer::start(|hit| match hit.path.as_str() {
        "/robots.txt" => Reply::status(404),
        "/slow.html" => Reply::Stall(Duration::from_secs(4)),
        p => Reply::html(crawl_support::article_page(p.len())),
    });
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles");
    let r = run(&idx, &["ingest", "--json", samples]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let list = crawl_support::url_file(
        tmp.path(),
        "urls.txt",
        &[server.url("/a.html"), server.url("/slow.html")],
    );
    let crawl_args = [
        "crawl",
        "--urls",
        list.as_str(),
        "--rate",
        "0",
        "--tries",
        "1",
        "--timeout",
        "20s",
        "--json",
        "--quiet",
    ];
    let crawl = holding_the_lock(&idx, &mut || spawn(&idx, &crawl_args));
    let r = run(&idx, &["ingest", "--json", samples]);
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr.contains("is locked by another writer"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    // Searching still works meanwhile.
    assert!(total(&idx, "cần thơ") >= 1);
    let out = crawl.wait_with_output().unwrap();
    assert!(
        out.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The other way round: an ingest holding the index (reading stdin), then a crawl.
    let mut stdin = None;
    let ingest = holding_the_lock(&idx, &mut || {
        let mut c = tintuc(&idx);
        c.args(["ingest", "--json", "--format", "jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut w = child.stdin.take().unwrap();
        // A child that already gave up closed its input: it is started again.
        let _ = writeln!(
            w,
            "{{\"id\":\"held\",\"title\":\"Giữ khoá\",\"body\":\"Đang ghi.\"}}"
        )
        .and_then(|()| w.flush());
        stdin = Some(w);
        child
    });
    let list = crawl_support::url_file(tmp.path(), "urls2.txt", &[server.url("/b.html")]);
    let mut c = tintuc(&idx);
    c.args(["crawl", "--urls", &list, "--rate", "0", "--json", "--quiet"]);
    let r = run_limited(c, Limits::default(), None);
    r.no_crash();
    assert_eq!(r.code(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("is locked by another writer"),
        "{}",
        r.stderr
    );
    assert!(
        server.hits_for("/b.html").is_empty(),
        "the refused crawl fetched pages"
    );
    drop(stdin);
    let out = ingest.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `n` articles holding `hoanghon`, from three sources; every 50th also holds `hiemhoi`.
fn served_articles(path: &Path, n: usize) -> String {
    write_articles(path, n, |i| {
        let rare = if i % 50 == 0 { " hiemhoi" } else { "" };
        serde_json::json!({
            "id": format!("srv-{i}"),
            "source": format!("nguon-{}.vn", i % 3),
            "title": format!("Hoanghon số {i}{rare}"),
            "body": format!("Bản tin hoanghon số {i}: nắng nóng kéo dài ở miền Bắc.{rare}"),
            "date": date_of(i),
        })
    })
}

/// What one client saw: totals in order, and the number of requests.
#[derive(Default)]
struct Seen {
    totals: Vec<u64>,
    requests: u64,
}

/// One response checked against itself: every answer is a 200 from one snapshot (the
/// source facets add up to the total, the page holds what the total promises, and the
/// rare word's hits, all on one page, are as many as its total).
fn check_served(s: &serve_support::Server) -> u64 {
    let r = s.get("/api/search?q=hoanghon&limit=20&facets=10&histogram=year");
    assert_eq!(
        r.status,
        200,
        "a search during a write failed: {}",
        r.text()
    );
    let v = r.json();
    let total = v["total"].as_u64().expect("total");
    let none = Vec::new();
    let facets: u64 = v["facets"]["source"]
        .as_array()
        .unwrap_or(&none)
        .iter()
        .map(|b| b["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(facets, total, "facets from another snapshot: {v}");
    let years: u64 = v["histogram"]
        .as_array()
        .unwrap_or(&none)
        .iter()
        .map(|b| b["count"].as_u64().expect("count"))
        .sum::<u64>()
        + v["undated"].as_u64().unwrap_or(0);
    assert_eq!(years, total, "histogram from another snapshot: {v}");
    let hits = v["hits"].as_array().expect("hits").len() as u64;
    assert_eq!(hits, total.min(20), "{v}");
    let r = s.get("/api/search?q=hiemhoi&limit=100");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let rare = v["total"].as_u64().expect("total");
    assert_eq!(
        v["hits"].as_array().expect("hits").len() as u64,
        rare,
        "the total is not what paging finds: {v}"
    );
    total
}

/// Runs `clients` threads of checked searches until `done` is set.
fn hammer(
    s: &std::sync::Arc<serve_support::Server>,
    clients: usize,
    done: &std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Vec<std::thread::JoinHandle<Seen>> {
    (0..clients)
        .map(|_| {
            let (s, done) = (s.clone(), done.clone());
            std::thread::spawn(move || {
                let mut seen = Seen::default();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    seen.totals.push(check_served(&s));
                    seen.requests += 2;
                }
                seen
            })
        })
        .collect()
}

#[test]
fn serve_answers_from_whole_snapshots_while_an_ingest_commits_and_a_reindex_swaps() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    const N: u64 = 3000;
    const EVERY: u64 = 300;
    const CLIENTS: usize = 6;
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let first = tmp.path().join("first.jsonl");
    std::fs::write(
        &first,
        "{\"id\":\"srv-seed\",\"source\":\"nguon-0.vn\",\"title\":\"Mở đầu\",\"body\":\"Chưa có gì.\"}\n",
    )
    .unwrap();
    let r = run(&idx, &["ingest", "--json", &first.display().to_string()]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    let input = served_articles(&tmp.path().join("a.jsonl"), N as usize);
    let s = Arc::new(serve_support::Server::start(&idx, &[]));

    // 1. While an ingest commits every EVERY articles.
    let done = Arc::new(AtomicBool::new(false));
    let clients = hammer(&s, CLIENTS, &done);
    let mut child = spawn(
        &idx,
        &[
            "ingest",
            "--json",
            "--commit-every",
            &EVERY.to_string(),
            &input,
        ],
    );
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the ingest hangs"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server sees the final state.
    s.wait_for("/api/search?q=hoanghon&limit=0", 30, |v| v["total"] == N);
    done.store(true, Ordering::Relaxed);
    let mut requests = 0;
    let mut distinct = std::collections::BTreeSet::new();
    for c in clients {
        let seen = c.join().expect("a client failed");
        requests += seen.requests;
        assert!(
            seen.totals.windows(2).all(|w| w[0] <= w[1]),
            "a search went back in time: {:?}",
            seen.totals
        );
        distinct.extend(seen.totals);
    }
    eprintln!(
        "serve during an ingest: {requests} requests from {CLIENTS} clients, totals seen {distinct:?}"
    );
    assert!(
        distinct.len() >= 2,
        "no commit was seen while the ingest ran: {distinct:?}"
    );

    // 2. While reindexes swap generations: always the whole archive.
    let gen_of = || -> String {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(idx.join("tintuc.json")).unwrap()).unwrap();
        v["data"].as_str().unwrap_or_default().to_string()
    };
    let before = gen_of();
    let done = Arc::new(AtomicBool::new(false));
    let clients = hammer(&s, CLIENTS, &done);
    for _ in 0..2 {
        let r = run(&idx, &["reindex", "--json"]);
        assert_eq!(r.code(), 0, "{}", r.stderr);
    }
    assert_ne!(gen_of(), before, "the generations were swapped");
    // A commit into the new generation shows up (the server follows the swap).
    let last = tmp.path().join("last.jsonl");
    std::fs::write(
        &last,
        "{\"id\":\"srv-last\",\"source\":\"nguon-1.vn\",\"title\":\"Hoanghon cuối\",\"body\":\"Tin hoanghon cuối cùng.\"}\n",
    )
    .unwrap();
    let r = run(&idx, &["ingest", "--json", &last.display().to_string()]);
    assert_eq!(r.code(), 0, "{}", r.stderr);
    s.wait_for("/api/search?q=hoanghon&limit=0", 30, |v| {
        v["total"] == N + 1
    });
    done.store(true, Ordering::Relaxed);
    let mut requests = 0;
    for c in clients {
        let seen = c.join().expect("a client failed");
        requests += seen.requests;
        assert!(
            seen.totals.iter().all(|&t| t == N || t == N + 1),
            "a search during a reindex saw another count: {:?}",
            seen.totals
        );
    }
    eprintln!("serve during two reindexes: {requests} requests from {CLIENTS} clients, all whole");
}

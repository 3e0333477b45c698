//! A crawl killed (SIGKILL) or interrupted (SIGINT) keeps what it committed, and
//! the next run fetches only the rest; per-host rate and robots.txt Crawl-delay hold.

mod common;
mod crawl_support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crawl_support::*;

fn articles_server(crawl_delay: Option<&str>) -> TestServer {
    let robots = match crawl_delay {
        Some(d) => format!("User-agent: *\nCrawl-delay: {d}\n"),
        None => String::new(),
    };
    TestServer::start(move |hit| {
        if hit.path == "/robots.txt" {
            return if robots.is_empty() {
                Reply::status(404)
            } else {
                Reply::with(200, "text/plain", robots.clone())
            };
        }
        match hit
            .path
            .strip_prefix("/tin-")
            .and_then(|r| r.strip_suffix(".html"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) => Reply::html(article_page(n)),
            None => Reply::status(404),
        }
    })
}

fn urls(server: &TestServer, n: usize) -> Vec<String> {
    (1000000..1000000 + n)
        .map(|i| server.url(&format!("/tin-{i}.html")))
        .collect()
}

fn spawn_crawl(index: &Path, args: &[&str]) -> Child {
    Command::new(common::bin())
        .arg("--index")
        .arg(index)
        .arg("crawl")
        .args(args)
        .args(["--json", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tintuc")
}

fn done_urls(index: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(index.join("crawl/state.jsonl")) else {
        return BTreeSet::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["url"].as_str().map(str::to_string))
        .collect()
}

fn wait_for_done(index: &Path, n: usize) {
    let start = Instant::now();
    while done_urls(index).len() < n {
        assert!(start.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn request_counts(server: &TestServer) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for h in server.hits() {
        *m.entry(h.path).or_insert(0) += 1;
    }
    m
}

#[test]
fn killed_crawl_resumes_without_fetching_twice() {
    let server = articles_server(None);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let all = urls(&server, 60);
    let list = url_file(dir.path(), "urls.txt", &all);
    let args = [
        "--urls",
        list.as_str(),
        "--rate",
        "15",
        "--commit-every",
        "5",
    ];
    let mut child = spawn_crawl(&index, &args);
    wait_for_done(&index, 15);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    let _ = child.wait();
    let done = done_urls(&index);
    assert!(done.len() >= 15 && done.len() < 60, "{}", done.len());
    // Whatever the state says is done is in the index.
    let ids: BTreeSet<String> = indexed_ids(&index).into_iter().collect();
    assert!(done.is_subset(&ids), "state ahead of the index");

    let out = crawl(&index, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rep = report(&out);
    assert_eq!(rep["skipped"].as_u64(), Some(done.len() as u64), "{rep}");
    let ids = indexed_ids(&index);
    assert_eq!(ids.len(), 60);
    let counts = request_counts(&server);
    for u in &done {
        let path = u.strip_prefix(&server.base()).unwrap();
        assert_eq!(
            counts.get(path),
            Some(&1),
            "{path} fetched again after commit"
        );
    }
    // Rate: 15/s on one host, so at least ~1/15 s between any two requests.
    let mut times: Vec<Instant> = server.hits().iter().map(|h| h.at).collect();
    times.sort();
    let close = times
        .windows(2)
        .filter(|w| w[1] - w[0] < Duration::from_millis(45))
        .count();
    // The two runs overlap nowhere, but the second starts fresh: allow its first request.
    assert!(close <= 1, "{close} requests closer than 1/15 s");
}

#[test]
fn ctrl_c_commits_and_resumes() {
    let server = articles_server(None);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let all = urls(&server, 40);
    let list = url_file(dir.path(), "urls.txt", &all);
    let args = [
        "--urls",
        list.as_str(),
        "--rate",
        "10",
        "--commit-every",
        "1000",
    ];
    let child = spawn_crawl(&index, &args);
    // Commits happen only at the end (or on Ctrl-C): wait for some fetches.
    let start = Instant::now();
    while server.hits().len() < 8 {
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(20));
    }
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    let rep = report(&out);
    let indexed = rep["indexed"].as_u64().unwrap();
    assert!((5..40).contains(&indexed), "{rep}");
    assert_eq!(
        indexed_ids(&index).len() as u64,
        indexed,
        "interrupt committed"
    );
    assert_eq!(done_urls(&index).len() as u64, indexed);

    let out = crawl(&index, &args);
    assert!(out.status.success());
    assert_eq!(indexed_ids(&index).len(), 40);
    for (path, n) in request_counts(&server) {
        if path != "/robots.txt" {
            assert_eq!(n, 1, "{path}");
        }
    }
}

#[test]
fn crawl_delay_from_robots_is_honoured() {
    let server = articles_server(Some("0.3"));
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let list = url_file(dir.path(), "urls.txt", &urls(&server, 5));
    // --rate 0 lifts tintuc's own limit; the site's Crawl-delay still holds.
    let out = crawl(&index, &["--urls", &list, "--rate", "0"]);
    assert!(out.status.success());
    assert_eq!(report(&out)["indexed"].as_u64(), Some(5));
    let hits: Vec<Hit> = server
        .hits()
        .into_iter()
        .filter(|h| h.path != "/robots.txt")
        .collect();
    assert_eq!(hits.len(), 5);
    for w in hits.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(gap >= Duration::from_millis(250), "{gap:?}");
    }
}

//! Crash campaigns: `kill -9` at random moments (fixed seed) during `ingest`, during
//! `crawl` against a local site and during `reindex`. After each kill the index opens,
//! `stats` works, and running the same command again ends with exactly the articles of
//! a clean run: none missing, none duplicated, the same content hashes. Then a full
//! disk (`RLIMIT_FSIZE`): a clear error naming the index, exit 1, and the index still
//! opens at its last commit.
//!
//! The CI-sized campaign runs in `cargo test` (3 kills per command). The long one
//! (`scripts/crash-campaign.sh`: 20 kills per command, the dev corpus when present) is
//! the ignored test `long_campaign`, driven by `CRASH_SEED`, `CRASH_RUNS`, `CRASH_INPUT`.

mod common;
mod crawl_support;
mod hostile_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crawl_support::{Reply, TestServer};
use hostile_support::{Limits, run_limited, tintuc};

/// Every live article of the index: id → content hash. Panics on a duplicated id.
fn snapshot(index: &Path) -> BTreeMap<String, u64> {
    use tantivy::schema::Value;
    let archive = tintuc::index::Archive::open(index).expect("the index opens");
    let searcher = archive.searcher();
    let addrs = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("search");
    let mut out = BTreeMap::new();
    for addr in addrs {
        let doc: tantivy::TantivyDocument = searcher.doc(addr).expect("stored document");
        let bytes = doc
            .get_first(archive.fields().doc)
            .and_then(|v| v.as_bytes())
            .expect("stored original");
        let a: tintuc::Article = serde_json::from_slice(bytes).expect("stored article");
        let prev = out.insert(a.id.clone(), a.content_hash());
        assert!(prev.is_none(), "article {} is in the index twice", a.id);
    }
    out
}

fn stats_articles(index: &Path) -> u64 {
    let mut c = tintuc(index);
    c.args(["stats", "--json"]);
    let r = run_limited(c, Limits::default(), None);
    assert_eq!(r.code(), 0, "stats after a kill: {}", r.stderr);
    r.json()["articles"].as_u64().expect("articles")
}

fn spawn(index: &Path, args: &[&str]) -> Child {
    let mut c = tintuc(index);
    c.args(args).stdout(Stdio::null()).stderr(Stdio::piped());
    c.spawn().expect("spawn tintuc")
}

/// Runs to the end and asserts success.
fn complete(index: &Path, args: &[&str]) {
    let mut c = tintuc(index);
    c.args(args);
    let r = run_limited(c, Limits::default(), None);
    assert_eq!(r.code(), 0, "{args:?}: {}", r.stderr);
}

/// One command's campaign: the outcome of each killed run.
#[derive(Debug, Default)]
struct Tally {
    runs: usize,
    killed_midway: usize,
    exact: usize,
    lost: usize,
    duplicated_or_changed: usize,
}

/// Kills `args` after a random part of `clean_time` (seeded), then checks the index,
/// runs `args` again to the end and compares with `expected`. `prepare` makes the
/// index each run starts from.
fn campaign(
    name: &str,
    runs: usize,
    rng: &mut fastrand::Rng,
    prepare: &dyn Fn(&Path),
    args: &[&str],
    expected: &BTreeMap<String, u64>,
    clean_time: Duration,
) -> Tally {
    let mut t = Tally::default();
    let tmp = tempfile::tempdir().unwrap();
    for run in 0..runs {
        let idx = tmp.path().join(format!("{name}-{run}"));
        prepare(&idx);
        let at = clean_time.mul_f64(rng.f64() * 1.1);
        let mut child = spawn(&idx, args);
        let start = Instant::now();
        let mut ended = false;
        while start.elapsed() < at {
            if child.try_wait().unwrap().is_some() {
                ended = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        // SIGKILL, as `kill -9`.
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !ended && status.code().is_none() {
            t.killed_midway += 1;
        }
        // Readable at once, at a commit.
        let at_kill = stats_articles(&idx);
        let seen = snapshot(&idx);
        assert_eq!(
            seen.len() as u64,
            at_kill,
            "{name} run {run}: stats and the index disagree"
        );
        for (id, h) in &seen {
            if expected.get(id) != Some(h) {
                t.duplicated_or_changed += 1;
                eprintln!("{name} run {run}: {id} differs from the clean run after the kill");
            }
        }
        complete(&idx, args);
        let after = snapshot(&idx);
        let missing = expected.keys().filter(|k| !after.contains_key(*k)).count();
        let changed = after
            .iter()
            .filter(|(k, h)| expected.get(*k) != Some(h))
            .count();
        t.lost += missing;
        t.duplicated_or_changed += changed;
        if missing == 0 && changed == 0 {
            t.exact += 1;
        }
        eprintln!(
            "{name} run {run}: killed after {:?} ({}) with {at_kill} committed; rerun: {} articles, {missing} missing, {changed} differing",
            at,
            if ended { "had ended" } else { "mid-way" },
            after.len()
        );
        t.runs += 1;
        std::fs::remove_dir_all(&idx).ok();
    }
    eprintln!(
        "| {name} | {} runs | {} killed mid-way | {} recovered exactly | {} lost | {} duplicated or changed |",
        t.runs, t.killed_midway, t.exact, t.lost, t.duplicated_or_changed
    );
    t
}

fn article_line(i: usize) -> String {
    serde_json::json!({
        "id": format!("crash-{i}"),
        "source": format!("nguon{}.vn", i % 5),
        "title": format!("Bản tin số {i} về mưa lũ miền Trung"),
        "body": format!("Sáng nay bản tin số {i} cho biết mưa lớn kéo dài ở nhiều tỉnh miền Trung. \
                         Lực lượng chức năng đã phân luồng giao thông trên quốc lộ {i}."),
        "date": format!("20{:02}-0{}-1{}T08:00:00+07:00", 10 + i % 15, 1 + i % 9, i % 10),
    })
    .to_string()
}

/// The input of the ingest campaign: `CRASH_INPUT`, else generated JSON Lines plus the samples.
fn ingest_inputs(dir: &Path, n: usize) -> Vec<String> {
    if let Some(p) = std::env::var_os("CRASH_INPUT") {
        return vec![PathBuf::from(p).display().to_string()];
    }
    let f = dir.join("articles.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&f).unwrap());
    for i in 0..n {
        writeln!(w, "{}", article_line(i)).unwrap();
    }
    w.flush().unwrap();
    vec![
        f.display().to_string(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles").to_string(),
    ]
}

fn timed(f: impl FnOnce()) -> Duration {
    let s = Instant::now();
    f();
    s.elapsed()
}

fn ingest_campaign(runs: usize, seed: u64, n: usize) -> Tally {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = ingest_inputs(tmp.path(), n);
    let mut args = vec!["ingest", "--json", "--commit-every", "250"];
    args.extend(inputs.iter().map(String::as_str));
    let clean = tmp.path().join("clean");
    let took = timed(|| complete(&clean, &args));
    let expected = snapshot(&clean);
    eprintln!("ingest: clean run {took:?}, {} articles", expected.len());
    let mut rng = fastrand::Rng::with_seed(seed);
    campaign("ingest", runs, &mut rng, &|_| {}, &args, &expected, took)
}

fn reindex_campaign(runs: usize, seed: u64, n: usize) -> Tally {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = ingest_inputs(tmp.path(), n);
    let mut args = vec!["ingest", "--json"];
    args.extend(inputs.iter().map(String::as_str));
    let base = tmp.path().join("base");
    complete(&base, &args);
    let expected = snapshot(&base);
    let probe = tmp.path().join("probe");
    copy_dir(&base, &probe);
    let took = timed(|| complete(&probe, &["reindex", "--json"]));
    assert_eq!(
        snapshot(&probe),
        expected,
        "a clean reindex keeps every article"
    );
    eprintln!("reindex: clean run {took:?}, {} articles", expected.len());
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let prepare = |idx: &Path| copy_dir(&base, idx);
    campaign(
        "reindex",
        runs,
        &mut rng,
        &prepare,
        &["reindex", "--json"],
        &expected,
        took,
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let q = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&p, &q);
        } else if e.file_name() != ".lock" {
            std::fs::copy(&p, &q).unwrap();
        }
    }
}

fn crawl_campaign(runs: usize, seed: u64, n: usize) -> Tally {
    let server = TestServer::start(|hit| {
        match hit
            .path
            .strip_prefix("/tin-")
            .and_then(|r| r.strip_suffix(".html"))
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(n) => Reply::html(crawl_support::article_page(n)),
            None => Reply::status(404),
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let urls: Vec<String> = (0..n)
        .map(|i| server.url(&format!("/tin-{}.html", 100000 + i)))
        .collect();
    let list = crawl_support::url_file(tmp.path(), "urls.txt", &urls);
    let args = [
        "crawl",
        "--urls",
        &list,
        "--rate",
        "0",
        "--concurrency",
        "8",
        "--commit-every",
        "20",
        "--json",
        "--quiet",
    ];
    let clean = tmp.path().join("clean");
    let took = timed(|| complete(&clean, &args));
    let expected = snapshot(&clean);
    assert_eq!(expected.len(), n);
    eprintln!("crawl: clean run {took:?}, {} articles", expected.len());
    let mut rng = fastrand::Rng::with_seed(seed ^ 0xc4a1);
    campaign("crawl", runs, &mut rng, &|_| {}, &args, &expected, took)
}

fn check(t: &Tally) {
    assert_eq!(t.lost, 0, "{t:?}");
    assert_eq!(t.duplicated_or_changed, 0, "{t:?}");
    assert_eq!(t.exact, t.runs, "{t:?}");
}

#[test]
fn kill_9_during_ingest_crawl_and_reindex() {
    let seed = 11;
    check(&ingest_campaign(3, seed, 3000));
    check(&crawl_campaign(3, seed, 120));
    check(&reindex_campaign(3, seed, 3000));
}

/// `scripts/crash-campaign.sh`: the long campaign.
#[test]
#[ignore]
fn long_campaign() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let seed = env("CRASH_SEED", 11);
    let runs = env("CRASH_RUNS", 20) as usize;
    let n = env("CRASH_ARTICLES", 20_000) as usize;
    let tallies = [
        ingest_campaign(runs, seed, n),
        crawl_campaign(runs, seed, env("CRASH_PAGES", 400) as usize),
        reindex_campaign(runs, seed, n),
    ];
    for t in &tallies {
        check(t);
    }
}

#[test]
fn full_disk_is_a_clear_error_and_the_index_opens_at_its_last_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    // A first commit that fits.
    complete(
        &idx,
        &[
            "ingest",
            "--json",
            concat!(env!("CARGO_MANIFEST_DIR"), "/samples/articles"),
        ],
    );
    let before = snapshot(&idx);
    let inputs = ingest_inputs(tmp.path(), 20_000);
    let mut c = tintuc(&idx);
    c.args(["ingest", "--json", "--commit-every", "1000000"])
        .args(&inputs[..1]);
    // No file may grow past 256 KiB: writing the index fails part-way (EFBIG, as ENOSPC).
    let r = run_limited(
        c,
        Limits {
            file_size: Some(256 << 10),
            ..Limits::default()
        },
        None,
    );
    r.no_crash().one_line_errors();
    assert_eq!(r.code(), 1, "{}", r.stderr);
    let err = r.stderr.trim();
    eprintln!("full disk: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(idx.to_str().unwrap()), "{err}");
    assert!(err.contains("writing failed"), "{err}");
    // Still opens, at a commit: the samples are all there, whole.
    let after = snapshot(&idx);
    assert_eq!(stats_articles(&idx), after.len() as u64);
    for (id, h) in &before {
        assert_eq!(after.get(id), Some(h), "{id} after the full disk");
    }
    // With room again, the same ingest completes.
    complete(&idx, &["ingest", "--json", &inputs[0]]);
    assert_eq!(snapshot(&idx).len(), before.len() + 20_000);
}

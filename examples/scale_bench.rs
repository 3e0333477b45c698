//! Scale benchmark: ingest a corpus with the release binary, then measure the index
//! on disk, query latency per query kind and a cold CLI start (issue #13).
//!
//! ```sh
//! scripts/scale-corpus.sh 100000 /tmp/scale/corpus-100k.jsonl
//! cargo build --release --bin tintuc --example scale_bench
//! nice target/release/examples/scale_bench /tmp/scale/corpus-100k.jsonl target/scale/idx-100k \
//!     [--json target/scale/100k.json] [--queries 200] [--rounds 3] [--skip-ingest] [--baseline] [--save-queries DIR] \
//!     [-- extra ingest options, e.g. --memory-mb 256]
//! ```
//!
//! * **Ingest**: `/usr/bin/time -v tintuc --index INDEX ingest --format jsonl CORPUS`
//!   into a fresh folder: wall and CPU (user + system) time, MB/s of article text
//!   (title, kicker, lead, body, author, category, source) and of input, peak RSS.
//! * **Index size** by component: files of the current generation grouped by extension
//!   (`.idx` postings, `.pos` positions, `.term` term dictionaries, `.store` documents,
//!   `.fast` fast fields, `.fieldnorm`), and the number of segments.
//! * **Queries**, made from articles sampled from the corpus (fixed seed), one batch
//!   file per kind run through `tintuc search --batch FILE --json --limit 10`, whose
//!   `took_ms` is the in-process latency: titles with and without accents, 2–4 word
//!   keywords with and without accents, quoted phrases, `a OR b`, keywords with a date
//!   range, sorted by newest, with a month histogram, and relaxed queries (two words of
//!   one article and two of another). Each kind runs `--rounds` times; the report gives
//!   the median over rounds of p50/p95/p99, the share of relaxed answers, the batch
//!   process's CPU time per query (user + system, index opening included: steadier
//!   than wall time on a loaded machine) and the median number of matches.
//! * **Cold start**: the index's pages dropped from the page cache
//!   (`posix_fadvise(DONTNEED)`), then a fresh `tintuc search QUERY --json`: time to its
//!   first byte of output; and the same with a warm cache. Five runs each, medians.
//! * `--baseline`: the same articles indexed in-process with tantivy's `default`
//!   tokenizer, every text field indexed with positions and stored (the layout a
//!   tantivy-cli schema of stored text fields gives), for its size on disk.
//!
//! Timings on a shared machine are noisy: the load average is printed before and after.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tintuc::Article;
use tintuc::analysis::{TokenKind, fold, tokenize};
use tintuc::extract::{Format, read_inputs};
use tintuc::index::TextField;

struct Opts {
    corpus: PathBuf,
    index: PathBuf,
    tintuc: PathBuf,
    json: Option<PathBuf>,
    queries: usize,
    rounds: usize,
    skip_ingest: bool,
    baseline: bool,
    /// Keep the query files (one per kind) in this folder.
    save_queries: Option<PathBuf>,
    ingest_args: Vec<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: scale_bench CORPUS INDEX [--tintuc BIN] [--json OUT] [--queries N] [--rounds N] \
         [--skip-ingest] [--baseline] [--save-queries DIR] [-- INGEST OPTIONS]"
    );
    std::process::exit(2)
}

fn opts() -> Opts {
    let mut pos = Vec::new();
    let exe = std::env::current_exe().unwrap_or_default();
    // target/release/examples/scale_bench -> target/release/tintuc
    let default_bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("tintuc"))
        .unwrap_or_else(|| PathBuf::from("tintuc"));
    let mut o = Opts {
        corpus: PathBuf::new(),
        index: PathBuf::new(),
        tintuc: default_bin,
        json: None,
        queries: 200,
        rounds: 3,
        skip_ingest: false,
        baseline: false,
        save_queries: None,
        ingest_args: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--tintuc" => o.tintuc = PathBuf::from(val()),
            "--json" => o.json = Some(PathBuf::from(val())),
            "--queries" => o.queries = val().parse().unwrap_or_else(|_| usage()),
            "--rounds" => o.rounds = val().parse().unwrap_or_else(|_| usage()),
            "--skip-ingest" => o.skip_ingest = true,
            "--baseline" => o.baseline = true,
            "--save-queries" => o.save_queries = Some(PathBuf::from(val())),
            "--" => {
                o.ingest_args = args.by_ref().collect();
            }
            s if s.starts_with("--") => usage(),
            _ => pos.push(a),
        }
    }
    if pos.len() != 2 || o.rounds == 0 || o.queries == 0 {
        usage();
    }
    o.corpus = PathBuf::from(&pos[0]);
    o.index = PathBuf::from(&pos[1]);
    o
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// `/usr/bin/time -v` figures of one child process, and the peaks of its heap
/// (`RssAnon`) and mapped file pages (`RssFile`) sampled from `/proc` every 50 ms.
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    wall: f64,
    cpu: f64,
    max_rss_mb: f64,
    max_anon_mb: f64,
    max_file_mb: f64,
}

/// The first child of process `pid` (the command `/usr/bin/time` runs).
fn child_of(pid: u32) -> Option<u32> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// `RssAnon` and `RssFile` of `pid` in MB.
fn rss_split(pid: u32) -> Option<(f64, f64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |name: &str| {
        s.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
    };
    Some((kb("RssAnon:")? / 1024.0, kb("RssFile:")? / 1024.0))
}

/// Runs `cmd` under `/usr/bin/time -v`, its stdout returned.
fn timed(cmd: &[String]) -> (Usage, Vec<u8>) {
    let report = std::env::temp_dir().join(format!("scale_bench.time.{}", std::process::id()));
    let child = Command::new("/usr/bin/time")
        .arg("-v")
        .arg("-o")
        .arg(&report)
        .args(cmd)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("/usr/bin/time {}: {e}", cmd.join(" ")));
    let time_pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || {
            let (mut anon, mut file) = (0f64, 0f64);
            let mut pid = None;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if pid.is_none() {
                    pid = child_of(time_pid);
                }
                if let Some((a, f)) = pid.and_then(rss_split) {
                    anon = anon.max(a);
                    file = file.max(f);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (anon, file)
        })
    };
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("/usr/bin/time {}: {e}", cmd.join(" ")));
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (max_anon_mb, max_file_mb) = sampler.join().unwrap_or_default();
    assert!(out.status.success(), "{} failed", cmd.join(" "));
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_file(&report);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let num = |name: &str| field(name).parse::<f64>().unwrap_or(0.0);
    // "h:mm:ss" or "m:ss.cc"
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")
        .split(':')
        .fold(0.0, |acc, p| acc * 60.0 + p.parse::<f64>().unwrap_or(0.0));
    (
        Usage {
            wall,
            cpu: num("User time (seconds):") + num("System time (seconds):"),
            max_rss_mb: num("Maximum resident set size (kbytes):") / 1024.0,
            max_anon_mb,
            max_file_mb,
        },
        out.stdout,
    )
}

/// Sampled material for queries: one article's title and word tokens.
struct Sample {
    title: Option<String>,
    /// Words of the lead and body as written (letters only, at least 2 bytes), with
    /// whether the next word follows with only spaces between.
    words: Vec<(String, bool)>,
}

fn sample_of(a: &Article) -> Sample {
    let mut text = a.lead.clone().unwrap_or_default();
    text.push('\n');
    let mut cut = a.body.len().min(4000);
    while !a.body.is_char_boundary(cut) {
        cut -= 1;
    }
    text.push_str(&a.body[..cut]);
    let toks = tokenize(&text);
    let mut words = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Word || t.end - t.start < 2 {
            continue;
        }
        let adjacent = toks.get(i + 1).is_some_and(|n| {
            n.kind == TokenKind::Word && text[t.end..n.start].chars().all(|c| c == ' ')
        });
        words.push((text[t.start..t.end].to_string(), adjacent));
    }
    Sample {
        title: a
            .title
            .clone()
            .filter(|t| t.split_whitespace().count() >= 3),
        words,
    }
}

struct Corpus {
    articles: u64,
    input_bytes: u64,
    text_bytes: u64,
    samples: Vec<Sample>,
}

/// One pass over the corpus: sizes, and a reservoir sample of `k` articles (fixed seed).
fn read_corpus(path: &Path, k: usize) -> Corpus {
    let mut rng = fastrand::Rng::with_seed(13);
    let mut c = Corpus {
        articles: 0,
        input_bytes: 0,
        text_bytes: 0,
        samples: Vec::with_capacity(k),
    };
    let mut seen = 0usize;
    for item in read_inputs(&[path.display().to_string()], Format::Jsonl) {
        let Ok(rec) = item else { continue };
        c.articles += 1;
        c.input_bytes += rec.bytes;
        c.text_bytes += TextField::ALL
            .iter()
            .filter_map(|f| f.text(&rec.article))
            .map(|t| t.len() as u64)
            .sum::<u64>();
        seen += 1;
        if c.samples.len() < k {
            c.samples.push(sample_of(&rec.article));
        } else {
            let j = rng.usize(..seen);
            if j < k {
                c.samples[j] = sample_of(&rec.article);
            }
        }
    }
    c
}

/// `k` distinct words of `s`, at random (`None` for articles with few words).
fn pick(rng: &mut fastrand::Rng, s: &Sample, k: usize) -> Option<Vec<String>> {
    if s.words.len() < k * 3 {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut tries = 0;
    while out.len() < k && tries < 50 {
        tries += 1;
        let w = &s.words[rng.usize(..s.words.len())].0;
        if !out.iter().any(|o| o.to_lowercase() == w.to_lowercase()) {
            out.push(w.clone());
        }
    }
    (out.len() == k).then_some(out)
}

/// The query kinds: (name, extra search options, queries).
fn query_sets(samples: &[Sample], n: usize) -> Vec<(&'static str, Vec<&'static str>, Vec<String>)> {
    let mut rng = fastrand::Rng::with_seed(42);
    // How many sampled articles hold each word: words of one article only are rare.
    let mut df: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for s in samples {
        let mut own: Vec<String> = s.words.iter().map(|w| fold(&w.0.to_lowercase())).collect();
        own.sort();
        own.dedup();
        for w in own {
            *df.entry(w).or_insert(0) += 1;
        }
    }
    let rare = |s: &Sample| -> Vec<String> {
        let mut r: Vec<String> = Vec::new();
        for (w, _) in &s.words {
            let key = fold(&w.to_lowercase());
            if w.len() >= 3
                && df.get(&key) == Some(&1)
                && !r.iter().any(|x| fold(&x.to_lowercase()) == key)
            {
                r.push(w.clone());
            }
        }
        r
    };
    let mut kinds: BTreeMap<&'static str, (Vec<&'static str>, Vec<String>)> = BTreeMap::new();
    let mut add = |kind: &'static str, opts: Vec<&'static str>, q: String| {
        let e = kinds.entry(kind).or_insert_with(|| (opts, Vec::new()));
        if e.1.len() < n {
            e.1.push(q);
        }
    };
    for (i, s) in samples.iter().enumerate() {
        if let Some(t) = &s.title {
            add("title", vec![], t.clone());
            add("title_noaccent", vec![], fold(t));
        }
        let k = 2 + i % 3;
        if let Some(w) = pick(&mut rng, s, k) {
            add("keywords", vec![], w.join(" "));
            add("keywords_noaccent", vec![], fold(&w.join(" ")));
        }
        // A phrase of 2 or 3 adjacent words.
        let len = 2 + i % 2;
        let starts: Vec<usize> = (0..s.words.len().saturating_sub(len))
            .filter(|&j| (j..j + len - 1).all(|x| s.words[x].1))
            .collect();
        if !starts.is_empty() {
            let j = starts[rng.usize(..starts.len())];
            let p: Vec<&str> = s.words[j..j + len].iter().map(|w| w.0.as_str()).collect();
            add("phrase", vec![], format!("\"{}\"", p.join(" ")));
        }
        if let Some(w) = pick(&mut rng, s, 2) {
            add("or", vec![], format!("{} OR {}", w[0], w[1]));
        }
        if let Some(w) = pick(&mut rng, s, 2) {
            let q = w.join(" ");
            add(
                "date_range",
                vec!["--from", "2005", "--to", "2010"],
                q.clone(),
            );
            add("sort_newest", vec!["--sort", "newest"], q.clone());
            add("histogram_month", vec!["--histogram", "month"], q);
        }
        // Two rare words of this article and two of the next one.
        let (a, b) = (rare(s), rare(&samples[(i + 1) % samples.len()]));
        if a.len() >= 2 && b.len() >= 2 {
            add(
                "relaxed",
                vec![],
                format!("{} {} {} {}", a[0], a[a.len() / 2], b[0], b[b.len() / 2]),
            );
        }
    }
    kinds.into_iter().map(|(k, (o, q))| (k, o, q)).collect()
}

fn pct(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0 * v.len() as f64).ceil() as usize).max(1) - 1;
    v[i.min(v.len() - 1)]
}

fn median(v: &[f64]) -> f64 {
    pct(v, 50.0)
}

/// Sizes in bytes of the index's files by component, and the number of segments.
fn sizes(index: &Path) -> (BTreeMap<String, u64>, usize) {
    let mut by = BTreeMap::new();
    let mut segments = std::collections::HashSet::new();
    for e in walkdir::WalkDir::new(index).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().to_string();
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        let ext = match name.rsplit_once('.') {
            Some((stem, ext)) if stem.len() == 32 => {
                segments.insert(stem.to_string());
                ext.to_string()
            }
            _ => "other".to_string(),
        };
        *by.entry(ext).or_insert(0) += len;
        *by.entry("total".to_string()).or_insert(0) += len;
    }
    (by, segments.len())
}

/// Drops the pages of every file under `dir` from the page cache.
fn evict(dir: &Path) {
    use std::os::fd::AsRawFd;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file()
            && let Ok(f) = std::fs::File::open(e.path())
        {
            let _ = f.sync_all();
            // SAFETY: a valid open descriptor; advice only.
            unsafe {
                libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
            }
        }
    }
}

/// Time from spawning `tintuc search QUERY --json` to its first byte of output, and
/// to its exit.
fn first_answer(bin: &Path, index: &Path, query: &str) -> (f64, f64) {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .arg("--index")
        .arg(index)
        .args(["search", "--json", "--limit", "10", "--"])
        .arg(query)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tintuc");
    let mut out = child.stdout.take().expect("stdout");
    let mut b = [0u8; 1];
    let _ = out.read(&mut b);
    let first = start.elapsed();
    let mut rest = Vec::new();
    let _ = out.read_to_end(&mut rest);
    let _ = child.wait();
    (ms(first), ms(start.elapsed()))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median over 3 rounds of the mean time to read one stored article (the `doc`
/// JSON, as search hits and `get` do) at 2000 random addresses.
fn doc_get(index: &Path) -> f64 {
    use tantivy::schema::Value;
    let archive = tintuc::index::Archive::open(index).expect("open the index");
    let searcher = archive.searcher();
    let mut rng = fastrand::Rng::with_seed(7);
    let addrs: Vec<tantivy::DocAddress> = (0..2000)
        .filter_map(|_| {
            let ord = rng.usize(..searcher.segment_readers().len());
            let max = searcher.segment_reader(ord as u32).max_doc();
            (max > 0).then(|| tantivy::DocAddress::new(ord as u32, rng.u32(..max)))
        })
        .collect();
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for a in &addrs {
            let d: tantivy::TantivyDocument = searcher.doc(*a).expect("stored document");
            let bytes = d
                .get_first(archive.fields().doc)
                .and_then(|v| v.as_bytes())
                .unwrap_or_default();
            let a: Article = serde_json::from_slice(bytes).expect("stored JSON");
            std::hint::black_box(a);
        }
        rounds.push(t.elapsed().as_secs_f64() * 1e6 / addrs.len().max(1) as f64);
    }
    median(&rounds)
}

/// A tantivy index of the same articles with the `default` tokenizer (see the module doc).
fn baseline(corpus: &Path) -> (f64, f64, u64) {
    use tantivy::schema::{STORED, STRING, Schema, TEXT};
    let dir = tempfile::Builder::new()
        .prefix("scale-baseline")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir");
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let fields: Vec<_> = TextField::ALL
        .iter()
        .map(|f| (*f, b.add_text_field(f.name(), TEXT | STORED)))
        .collect();
    let index = tantivy::Index::create_in_dir(dir.path(), b.build()).expect("index");
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let mut w: tantivy::IndexWriter = index.writer(256_000_000).expect("writer");
    for item in read_inputs(&[corpus.display().to_string()], Format::Jsonl) {
        let Ok(rec) = item else { continue };
        let mut d = tantivy::TantivyDocument::default();
        d.add_text(id, &rec.article.id);
        for (f, field) in &fields {
            if let Some(t) = f.text(&rec.article) {
                d.add_text(*field, t);
            }
        }
        w.add_document(d).expect("add");
    }
    w.commit().expect("commit");
    w.wait_merging_threads().expect("merge");
    let wall = t.elapsed().as_secs_f64();
    (wall, cpu_seconds() - cpu0, sizes(dir.path()).0["total"])
}

/// CPU seconds used by this process so far (Linux `/proc`).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let o = opts();
    let mut report = json!({"corpus": o.corpus, "index": o.index, "load_before": load()});
    println!(
        "scale_bench {} -> {} (load {})",
        o.corpus.display(),
        o.index.display(),
        load()
    );

    let t = Instant::now();
    let c = read_corpus(&o.corpus, o.queries * 3);
    println!(
        "corpus: {} articles, {:.1} MB input, {:.1} MB text (read and sampled in {:.1} s)",
        c.articles,
        c.input_bytes as f64 / 1e6,
        c.text_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    report["articles"] = json!(c.articles);
    report["input_bytes"] = json!(c.input_bytes);
    report["text_bytes"] = json!(c.text_bytes);

    if !o.skip_ingest {
        if o.index.exists() {
            let ours = o.index.join("tintuc.json").is_file()
                || std::fs::read_dir(&o.index).is_ok_and(|mut d| d.next().is_none());
            assert!(
                ours,
                "{} exists and is not a tintuc index: not removing it",
                o.index.display()
            );
            std::fs::remove_dir_all(&o.index).expect("remove the old index");
        }
        let mut cmd = vec![
            o.tintuc.display().to_string(),
            "--index".into(),
            o.index.display().to_string(),
            "ingest".into(),
            "--format".into(),
            "jsonl".into(),
            "--json".into(),
        ];
        cmd.extend(o.ingest_args.iter().cloned());
        cmd.push(o.corpus.display().to_string());
        let (u, out) = timed(&cmd);
        let mbs = c.text_bytes as f64 / 1e6 / u.wall.max(1e-3);
        println!(
            "ingest: {:.1} s wall, {:.1} s CPU, {:.1} MB/s text ({:.1} MB/s input, {:.1} MB text per CPU-s), peak RSS {:.0} MB (sampled peaks: heap {:.0} MB, file pages {:.0} MB): {}",
            u.wall,
            u.cpu,
            mbs,
            c.input_bytes as f64 / 1e6 / u.wall.max(1e-3),
            c.text_bytes as f64 / 1e6 / u.cpu.max(1e-3),
            u.max_rss_mb,
            u.max_anon_mb,
            u.max_file_mb,
            String::from_utf8_lossy(&out).trim()
        );
        report["ingest"] = json!({"wall_s": u.wall, "cpu_s": u.cpu, "text_mb_s": mbs,
            "max_rss_mb": u.max_rss_mb, "max_rss_anon_mb": u.max_anon_mb,
            "max_rss_file_mb": u.max_file_mb, "args": o.ingest_args, "load_after": load()});
    }

    let (by, segments) = sizes(&o.index);
    let total = by.get("total").copied().unwrap_or(0);
    let parts: Vec<String> = by
        .iter()
        .filter(|(k, _)| k.as_str() != "total")
        .map(|(k, v)| format!("{k} {:.1}", *v as f64 / 1e6))
        .collect();
    println!(
        "index: {:.1} MB = {:.2} x text, {segments} segments; MB by part: {}",
        total as f64 / 1e6,
        total as f64 / c.text_bytes.max(1) as f64,
        parts.join(", ")
    );
    report["index_bytes"] = json!(by);
    report["segments"] = json!(segments);

    let get_us = doc_get(&o.index);
    println!("stored article read (get + JSON parse, 2000 random, median of 3): {get_us:.1} µs");
    report["doc_get_us"] = json!(get_us);

    let sets = query_sets(&c.samples, o.queries);
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(d) = &o.save_queries {
        std::fs::create_dir_all(d).expect("the --save-queries folder");
    }
    let mut kinds = serde_json::Map::new();
    println!(
        "{:<18} {:>4} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8} {:>9}",
        "kind",
        "n",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "relaxed",
        "RSS MB",
        "CPU ms",
        "med total"
    );
    for (kind, extra, queries) in &sets {
        let file = o
            .save_queries
            .as_deref()
            .unwrap_or(dir.path())
            .join(format!("{kind}.txt"));
        let mut f = std::fs::File::create(&file).expect("query file");
        for q in queries {
            writeln!(f, "{q}").expect("write");
        }
        drop(f);
        let mut per_round: Vec<[f64; 4]> = Vec::new();
        let (mut relaxed, mut rss, mut totals) = (0usize, 0f64, Vec::new());
        let mut cpu = Vec::new();
        for _ in 0..o.rounds {
            let mut cmd = vec![
                o.tintuc.display().to_string(),
                "--index".into(),
                o.index.display().to_string(),
                "search".into(),
                "--json".into(),
                "--limit".into(),
                "10".into(),
                "--batch".into(),
                file.display().to_string(),
            ];
            cmd.extend(extra.iter().map(|s| s.to_string()));
            let (u, out) = timed(&cmd);
            rss = rss.max(u.max_rss_mb);
            cpu.push(u.cpu * 1000.0 / queries.len().max(1) as f64);
            let mut took = Vec::new();
            relaxed = 0;
            totals.clear();
            for line in out.lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line).unwrap_or_default();
                if let Some(t) = v["took_ms"].as_f64() {
                    took.push(t);
                    relaxed += usize::from(v["relaxed"].as_bool() == Some(true));
                    totals.push(v["total"].as_f64().unwrap_or(0.0));
                }
            }
            per_round.push([
                pct(&took, 50.0),
                pct(&took, 95.0),
                pct(&took, 99.0),
                pct(&took, 100.0),
            ]);
        }
        let m = |i: usize| median(&per_round.iter().map(|r| r[i]).collect::<Vec<_>>());
        println!(
            "{kind:<18} {:>4} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.0}% {:>8.0} {:>8.2} {:>9.0}",
            queries.len(),
            m(0),
            m(1),
            m(2),
            m(3),
            100.0 * relaxed as f64 / queries.len().max(1) as f64,
            rss,
            median(&cpu),
            median(&totals)
        );
        kinds.insert(
            kind.to_string(),
            json!({"n": queries.len(), "p50": m(0), "p95": m(1), "p99": m(2), "max": m(3),
                "relaxed": relaxed, "median_total": median(&totals), "max_rss_mb": rss,
                "cpu_ms_per_query": median(&cpu),
                "options": extra, "rounds": per_round}),
        );
    }
    report["queries"] = Value::Object(kinds);

    let q = sets
        .iter()
        .find(|s| s.0 == "title")
        .and_then(|s| s.2.first().cloned())
        .unwrap_or_else(|| "hà nội".into());
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        evict(&o.index);
        cold.push(first_answer(&o.tintuc, &o.index, &q));
    }
    for _ in 0..5 {
        warm.push(first_answer(&o.tintuc, &o.index, &q));
    }
    let first = |v: &[(f64, f64)]| median(&v.iter().map(|x| x.0).collect::<Vec<_>>());
    let exit = |v: &[(f64, f64)]| median(&v.iter().map(|x| x.1).collect::<Vec<_>>());
    println!(
        "cli start (title query, median of 5): cold cache first answer {:.1} ms (exit {:.1} ms), warm {:.1} ms (exit {:.1} ms)",
        first(&cold),
        exit(&cold),
        first(&warm),
        exit(&warm)
    );
    report["cli_start"] = json!({"query": q, "cold_first_ms": first(&cold), "cold_exit_ms": exit(&cold),
        "warm_first_ms": first(&warm), "warm_exit_ms": exit(&warm)});

    if o.baseline {
        let (wall, cpu, bytes) = baseline(&o.corpus);
        println!(
            "tantivy default tokenizer, stored text fields: {:.1} MB = {:.2} x text ({:.1} s wall, {:.1} s CPU); tintuc / tantivy = {:.2}",
            bytes as f64 / 1e6,
            bytes as f64 / c.text_bytes.max(1) as f64,
            wall,
            cpu,
            total as f64 / bytes.max(1) as f64
        );
        report["baseline"] = json!({"bytes": bytes, "wall_s": wall, "cpu_s": cpu});
    }
    report["load_after"] = json!(load());
    println!("load after: {}", load());
    if let Some(p) = &o.json {
        std::fs::write(p, format!("{report:#}\n")).expect("write the JSON report");
    }
}

//! Load benchmark for `tintuc serve`: many keep-alive connections asking
//! `/api/search` the way the page does, closed-loop (each connection sends its next
//! request when the last answer arrived, like `wrk`/`ab`) or open-loop (requests
//! scheduled at a fixed rate whatever the server does; latency counts from the
//! scheduled time, so a server that falls behind shows it).
//!
//! ```text
//! cargo build --release --example serve_load
//! tintuc --index IDX serve --addr 127.0.0.1:8080 &
//! target/release/examples/serve_load --addr 127.0.0.1:8080 --pid $! \
//!     --queries ../shared/eval/relevance/dev/queries.jsonl --distinct 200 \
//!     --connections 50 --seconds 20 [--warm] [--rate 2000]
//! ```
//!
//! Prints one JSON object: requests, failed (connection errors or a status other
//! than 200), req/s, latency p50/p90/p99/max in ms, and — with `--pid` — the server's
//! CPU time per request (user + system, from `/proc/PID/stat`, steadier than wall
//! time on a shared machine), its peak RSS (`VmHWM`) and the machine's load average
//! before and after. The client is a minimal HTTP/1.1 reader (no compression asked
//! for) so it takes little of the CPU it measures.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Parser, Debug)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// The server's process id (for CPU time and peak memory).
    #[arg(long)]
    pid: Option<u32>,
    /// One query, repeated (instead of --queries).
    #[arg(long)]
    query: Option<String>,
    /// A JSON Lines file with a `query` field per line (the relevance query sets).
    #[arg(long)]
    queries: Option<PathBuf>,
    /// How many distinct queries to take from --queries (first ones, duplicates skipped).
    #[arg(long, default_value_t = 200)]
    distinct: usize,
    /// Parameters added to every search (what the page sends).
    #[arg(long, default_value = "limit=20&histogram=auto&facets=12")]
    params: String,
    /// Open connections.
    #[arg(long, default_value_t = 50)]
    connections: usize,
    /// How long to measure.
    #[arg(long, default_value_t = 20.0)]
    seconds: f64,
    /// Requests per second, open-loop (absent: closed-loop).
    #[arg(long)]
    rate: Option<f64>,
    /// Ask every query once before measuring (fills the server's cache).
    #[arg(long)]
    warm: bool,
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn load_queries(args: &Args) -> Result<Vec<String>, String> {
    if let Some(q) = &args.query {
        return Ok(vec![q.clone()]);
    }
    let Some(path) = &args.queries else {
        return Err("give --query or --queries".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        if let Some(q) = v["query"].as_str()
            && seen.insert(q.to_string())
        {
            out.push(q.to_string());
            if out.len() == args.distinct {
                break;
            }
        }
    }
    Ok(out)
}

/// One keep-alive connection.
struct Conn {
    addr: String,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    /// Sends `GET target` and reads the whole answer; the status code.
    async fn get(&mut self, target: &str) -> std::io::Result<u16> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                let s = TcpStream::connect(&self.addr).await?;
                s.set_nodelay(true)?;
                self.stream = Some(s);
            }
            match self.exchange(target).await {
                Ok(status) => return Ok(status),
                // A keep-alive connection the server closed: reconnect once.
                Err(e) if attempt == 0 => {
                    let _ = e;
                    self.stream = None;
                }
                Err(e) => {
                    self.stream = None;
                    return Err(e);
                }
            }
        }
        Err(std::io::Error::other("unreachable"))
    }

    async fn exchange(&mut self, target: &str) -> std::io::Result<u16> {
        let Some(s) = self.stream.as_mut() else {
            return Err(std::io::Error::other("no connection"));
        };
        let req = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        s.write_all(req.as_bytes()).await?;
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut resp = httparse::Response::new(&mut headers);
            let head = match resp.parse(&self.buf) {
                Ok(httparse::Status::Complete(h)) => h,
                Ok(httparse::Status::Partial) => continue,
                Err(e) => return Err(std::io::Error::other(e.to_string())),
            };
            let status = resp.code.unwrap_or(0);
            let len = resp
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| {
                    std::str::from_utf8(h.value)
                        .ok()?
                        .trim()
                        .parse::<usize>()
                        .ok()
                })
                .ok_or_else(|| std::io::Error::other("no content-length"))?;
            let want = head + len;
            while self.buf.len() < want {
                let n = s.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                self.buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(status);
        }
    }
}

/// User + system CPU seconds of a process.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / clock_ticks())
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    failed: usize,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let queries = load_queries(&args)?;
    if queries.is_empty() {
        return Err("no queries".into());
    }
    let targets: Arc<Vec<String>> = Arc::new(
        queries
            .iter()
            .map(|q| format!("/api/search?q={}&{}", encode(q), args.params))
            .collect(),
    );
    if args.warm {
        let mut c = Conn {
            addr: args.addr.clone(),
            stream: None,
            buf: Vec::new(),
        };
        for t in targets.iter() {
            c.get(t).await.map_err(|e| format!("warming: {e}"))?;
        }
    }
    let load_before = loadavg();
    let cpu_before = args.pid.and_then(cpu_seconds);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    // Open-loop: a scheduler queues the planned send times; free connections take them.
    let schedule = args.rate.map(|rate| {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
        let every = Duration::from_secs_f64(1.0 / rate);
        tokio::spawn(async move {
            let mut at = Instant::now();
            while at < deadline {
                tokio::time::sleep_until(at.into()).await;
                // Catch up on every send time that has passed (the timer is coarse).
                let now = Instant::now();
                while at <= now && at < deadline {
                    if tx.send(at).is_err() {
                        return;
                    }
                    at += every;
                }
            }
        });
        Arc::new(tokio::sync::Mutex::new(rx))
    });
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (targets, next, schedule) = (targets.clone(), next.clone(), schedule.clone());
        let addr = args.addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Conn {
                addr,
                stream: None,
                buf: Vec::with_capacity(64 * 1024),
            };
            let mut t = Tally::default();
            loop {
                let start = match &schedule {
                    Some(rx) => match rx.lock().await.recv().await {
                        Some(at) => at,
                        None => break,
                    },
                    None => {
                        let now = Instant::now();
                        if now >= deadline {
                            break;
                        }
                        now
                    }
                };
                let i = next.fetch_add(1, Ordering::Relaxed) % targets.len();
                match c.get(&targets[i]).await {
                    Ok(200) => t.latencies.push(start.elapsed()),
                    _ => t.failed += 1,
                }
            }
            t
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        let t = task.await.map_err(|e| e.to_string())?;
        all.latencies.extend(t.latencies);
        all.failed += t.failed;
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu_after = args.pid.and_then(cpu_seconds);
    all.latencies.sort();
    let n = all.latencies.len();
    let server_cpu = match (cpu_before, cpu_after) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    };
    let report = serde_json::json!({
        "mode": if args.rate.is_some() { "open-loop" } else { "closed-loop" },
        "rate": args.rate,
        "connections": args.connections,
        "distinct_queries": targets.len(),
        "warm": args.warm,
        "seconds": (wall * 100.0).round() / 100.0,
        "requests": n,
        "failed": all.failed,
        "req_per_s": (n as f64 / wall).round(),
        "p50_ms": percentile(&all.latencies, 0.50),
        "p90_ms": percentile(&all.latencies, 0.90),
        "p99_ms": percentile(&all.latencies, 0.99),
        "max_ms": percentile(&all.latencies, 1.0),
        "server_cpu_s": server_cpu,
        "server_cpu_us_per_req": server_cpu.map(|c| (c * 1e6 / (n + all.failed).max(1) as f64).round()),
        "server_peak_rss_mb": args.pid.and_then(|p| status_kb(p, "VmHWM:")).map(|k| k / 1024),
        "server_rss_mb": args.pid.and_then(|p| status_kb(p, "VmRSS:")).map(|k| k / 1024),
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    });
    println!("{report}");
    Ok(())
}

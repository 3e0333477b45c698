//! Hostile clients against the real `tintuc serve` on 127.0.0.1: a slowloris client
//! dribbling its headers is cut off, 2,000 connections at once do not grow the
//! server's memory without bound (its peak RSS is printed for the report), an oversized
//! request line or header is refused with 414/431, and path traversal attempts are 404s.

mod serve_support;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use serve_support::{Server, index_of, repo};

/// The server ([`Server`]), with its memory figures and a raw client.
struct Served {
    srv: Server,
    addr: String,
}

impl Served {
    fn start(index: &Path) -> Served {
        let srv = Server::start(index, &[]);
        let addr = srv.addr.clone();
        Served { srv, addr }
    }

    /// `VmHWM` (peak RSS) and `VmRSS` of the server, in KiB.
    fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.srv.pid()))
            .expect("the server's /proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    fn alive(&mut self) -> bool {
        self.srv.alive()
    }

    /// `GET path` answered with a status (the raw answer's first line is parsed).
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        send(&self.addr, raw.as_bytes())
    }
}

/// Sends `raw` and reads until the server closes: the status (0 when the server closed
/// without answering) and the body.
fn send(addr: &str, raw: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // The server may answer and close before it has read everything.
    let _ = s.write_all(raw);
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let status = std::str::from_utf8(&all[..all.len().min(12)])
        .ok()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or_else(Vec::new, |i| all[i + 4..].to_vec());
    (status, body)
}

fn samples() -> (tempfile::TempDir, std::path::PathBuf) {
    index_of(&[&repo("samples/articles")])
}

#[test]
fn a_slowloris_client_is_cut_off_and_others_are_served_meanwhile() {
    let (_t, index) = samples();
    let s = Served::start(&index);
    let mut c = TcpStream::connect(&s.addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    c.write_all(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    // One byte of a never-ending header every 200 ms: 60 s of it unless cut off.
    let started = Instant::now();
    let header = b"X-Slow: ".iter().chain(std::iter::repeat(&b'a'));
    let mut cut = None;
    for (i, b) in header.enumerate() {
        if started.elapsed() > Duration::from_secs(60) {
            break;
        }
        if c.write_all(&[*b]).is_err() {
            cut = Some("the write failed");
            break;
        }
        let mut buf = [0u8; 512];
        match c.read(&mut buf) {
            Ok(0) => {
                cut = Some("closed");
                break;
            }
            Ok(_) => {
                cut = Some("answered and closed");
                break;
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => {
                cut = Some("reset");
                break;
            }
        }
        // Others are served meanwhile.
        if i == 10 {
            assert_eq!(s.get("/api/stats").0, 200);
        }
    }
    let took = started.elapsed();
    let how = cut.unwrap_or_else(|| panic!("a client dribbling headers was served for {took:?}"));
    eprintln!("slowloris: {how} after {took:?} of dribbled headers");
    assert_eq!(s.get("/healthz").0, 200);
}

/// Raises this process's open-file limit to its hard limit (for 2,000 sockets).
fn more_files() -> u64 {
    // SAFETY: getrlimit/setrlimit with a valid pointer to our own rlimit struct.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        lim.rlim_cur = lim.rlim_max;
        libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        lim.rlim_cur
    }
}

#[test]
fn two_thousand_connections_at_once_stay_bounded() {
    const N: usize = 2000;
    let files = more_files();
    if files < N as u64 + 200 {
        eprintln!("skipped: only {files} open files allowed, {N} connections need more");
        return;
    }
    let (_t, index) = samples();
    let mut s = Served::start(&index);
    let (base, _) = s.memory_kib();
    // Half send the start of a request and stop, half a whole search and do not read.
    let mut conns = Vec::with_capacity(N);
    let addr: std::net::SocketAddr = s.addr.parse().expect("address");
    let search = format!(
        "GET /api/search?q=c%E1%BA%A7n+th%C6%A1&limit=100 HTTP/1.1\r\nHost: {}\r\n\r\n",
        s.addr
    );
    for i in 0..N {
        let Ok(mut c) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
            // The listen queue is full: the rest would wait too.
            continue;
        };
        let msg: &[u8] = if i % 2 == 0 {
            b"GET /api/stats HTTP/1.1\r\nHost: x\r\n"
        } else {
            search.as_bytes()
        };
        let _ = c.write_all(msg);
        conns.push(c);
    }
    let opened = conns.len();
    std::thread::sleep(Duration::from_secs(2));
    let (peak_held, rss_held) = s.memory_kib();
    assert!(s.alive(), "the server died under {opened} connections");
    drop(conns);
    // Once they are gone the server answers again (its header timeout frees the slots
    // of clients that vanished without closing).
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, body) = s.get("/api/stats");
        if status == 200 {
            let v: Value = serde_json::from_slice(&body).expect("JSON");
            assert!(v["articles"].as_u64().is_some_and(|n| n > 0), "{v}");
            break;
        }
        assert!(Instant::now() < until, "the server never answered again");
        std::thread::sleep(Duration::from_millis(200));
    }
    let (peak, _) = s.memory_kib();
    eprintln!(
        "{opened} connections: server RSS {} MiB before, {} MiB while held, peak {} MiB",
        base / 1024,
        rss_held / 1024,
        peak.max(peak_held) / 1024
    );
    assert!(
        peak < 512 * 1024,
        "the server's peak RSS grew to {} MiB",
        peak / 1024
    );
}

#[test]
fn oversized_request_lines_and_headers_are_refused_cleanly() {
    let (_t, index) = samples();
    let mut s = Served::start(&index);
    // Longer than the API's limit (8 KiB) but within what the HTTP parser reads: 414.
    let (status, body) = s.get(&format!("/api/search?q={}", "a".repeat(20_000)));
    assert_eq!(status, 414, "{}", String::from_utf8_lossy(&body));
    // Longer than the parser's buffer: 414 or 431, or the connection closed, never a 5xx.
    for len in [100_000, 1_000_000, 10_000_000] {
        let (status, _) = s.get(&format!("/api/search?q={}", "a".repeat(len)));
        eprintln!("request line of {len} bytes: {status}");
        assert!(
            matches!(status, 0 | 414 | 431),
            "a request line of {len} bytes: {status}"
        );
        let raw = format!(
            "GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "b".repeat(len)
        );
        let (status, _) = send(&s.addr, raw.as_bytes());
        eprintln!("one header of {len} bytes: {status}");
        // hyper reads a head up to its buffer limit; a header of 100 KB may still be
        // read whole (it answers 200), one of megabytes never is.
        assert!(
            matches!(status, 0 | 431) || (len <= 100_000 && status == 200),
            "a header of {len} bytes: {status}"
        );
    }
    // Ten thousand small headers.
    let many: String = (0..10_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let raw = format!("GET /api/stats HTTP/1.1\r\nHost: x\r\n{many}Connection: close\r\n\r\n");
    let (status, _) = send(&s.addr, raw.as_bytes());
    eprintln!("10,000 headers: {status}");
    assert!(matches!(status, 0 | 431), "10,000 headers: {status}");
    let (peak, _) = s.memory_kib();
    eprintln!("oversized requests: server peak RSS {} MiB", peak / 1024);
    assert!(s.alive());
    assert_eq!(s.get("/api/stats").0, 200);
}

#[test]
fn path_traversal_attempts_are_404() {
    let (_t, index) = samples();
    let s = Served::start(&index);
    for path in [
        "/../../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/%252e%252e/Cargo.toml",
        "//etc/passwd",
        "/assets/../Cargo.toml",
        "/app.js%00.html",
        "/.git/config",
        "/api/articles/..%2f..%2f..%2fetc%2fpasswd",
        "/api/../Cargo.toml",
        "/api/stats/../../Cargo.toml",
    ] {
        let (status, body) = s.get(path);
        let text = String::from_utf8_lossy(&body);
        assert!(status == 404 || status == 400, "{path}: {status} {text}");
        assert!(
            !text.contains("[package]") && !text.contains("root:"),
            "{path}: {text}"
        );
    }
}

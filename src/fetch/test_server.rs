//! A small HTTP/1.1 server on 127.0.0.1 for tests and benchmarks (std only).
//!
//! It logs every request with its arrival time (to check rate limits, retries and
//! robots), answers through a handler, and can misbehave on purpose: stall,
//! stream a huge body, or send any status and headers. Used by the unit tests of
//! `fetch`, by `tests/crawl_*.rs` and by `examples/crawl_bench.rs` (through `#[path]`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Hit {
    pub at: Instant,
    pub method: String,
    /// Path and query (`/a?b=1`).
    pub path: String,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
}

impl Hit {
    /// The value of a request header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What to answer.
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Send nothing for this long, then close the connection.
    Stall(Duration),
    /// A body of `len` bytes (`x`), streamed with a `Content-Length` (or without
    /// one when `declare` is false).
    Huge {
        len: u64,
        content_type: String,
        declare: bool,
    },
}

impl Reply {
    /// `200` with an HTML body.
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::with(200, "text/html; charset=utf-8", body)
    }
    /// A status with a content type and body.
    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }
    /// A bare status.
    pub fn status(status: u16) -> Reply {
        Reply::with(status, "text/plain", format!("status {status}"))
    }
    /// A redirect.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
    /// Adds a header to a `Full` reply.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Hit) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
}

impl TestServer {
    /// Starts a server on an ephemeral port of 127.0.0.1.
    pub fn start(handler: impl Fn(&Hit) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicU64::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (l, s, b) = (log.clone(), stop.clone(), sent.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (h, l, s, b) = (handler.clone(), l.clone(), s.clone(), b.clone());
                std::thread::spawn(move || serve(conn, &*h, &l, &s, &b));
            }
        });
        TestServer {
            addr,
            log,
            stop,
            sent,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request so far, in arrival order.
    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The requests for one path.
    pub fn hits_for(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    /// Body bytes written so far (over all responses).
    pub fn body_bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(
    conn: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Hit>>,
    stop: &AtomicBool,
    sent: &AtomicU64,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = conn.set_nodelay(true);
    let Ok(mut out) = conn.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(conn);
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let at = Instant::now();
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            match reader.read_line(&mut h) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let body_len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        if body_len > 0 {
            let mut skip = vec![0u8; body_len.min(1 << 20)];
            if reader.read_exact(&mut skip).is_err() {
                return;
            }
        }
        let hit = Hit {
            at,
            method,
            path,
            headers,
        };
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(hit.clone());
        let keep = match handler(&hit) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (k, v) in &headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
                let ok = out.write_all(head.as_bytes()).is_ok() && out.write_all(&body).is_ok();
                if ok {
                    sent.fetch_add(body.len() as u64, Ordering::SeqCst);
                }
                ok && out.flush().is_ok()
            }
            Reply::Stall(d) => {
                let until = Instant::now() + d;
                while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                false
            }
            Reply::Huge {
                len,
                content_type,
                declare,
            } => {
                let mut head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n");
                if declare {
                    head.push_str(&format!("Content-Length: {len}\r\n"));
                } else {
                    head.push_str("Connection: close\r\n");
                }
                head.push_str("\r\n");
                if out.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut left = len;
                while left > 0 && !stop.load(Ordering::SeqCst) {
                    let n = left.min(chunk.len() as u64) as usize;
                    if out.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                    sent.fetch_add(n as u64, Ordering::SeqCst);
                    left -= n as u64;
                }
                false
            }
        };
        if !keep {
            return;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

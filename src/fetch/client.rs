//! The HTTP client: one GET with everything a polite, robust crawler needs.
//!
//! [`Client::get`] checks `robots.txt` (for every hop), waits for the host's slot
//! ([`HostLimiter`]), retries 5xx, 429 (after `Retry-After`), timeouts and
//! connection errors with exponential backoff and jitter, follows up to 10
//! redirects (detecting loops, only to `http`/`https`), reads at most
//! [`FetchConfig::max_bytes`] of the body *after* decompression (so neither a huge
//! body nor a gzip bomb can fill memory) and refuses non-HTML pages before reading
//! their body.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::{self, HeaderMap};
use tokio::time::Instant;
use url::Url;

use super::FetchError;
use super::charset;
use super::config::FetchConfig;
use super::politeness::{HostLimiter, host_key};
use super::robots::{MAX_ROBOTS_BYTES, RobotsCache, Rules, robots_url};

/// `ETag` / `Last-Modified` of an earlier fetch, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// True when there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What the caller accepts as a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Article pages: anything else is refused with [`FetchError::NotHtml`] before the body is read.
    Html,
    /// Feeds, sitemaps, `robots.txt`: any content type.
    Any,
}

/// One HTTP response (a redirect hop has an empty body).
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL asked for (before redirects).
    pub requested: Url,
    /// The URL that answered.
    pub url: Url,
    pub status: u16,
    /// `HTTP/1.1`, `HTTP/2.0`.
    pub version: String,
    pub headers: HeaderMap,
    /// The body, decompressed (`Content-Encoding` removed from `headers`).
    pub body: Vec<u8>,
    /// When the request was sent.
    pub date: Timestamp,
    /// The request headers sent (as far as this client sets them).
    pub request_headers: Vec<(String, String)>,
    /// Redirect responses that led here, in order.
    pub redirects: Vec<Response>,
}

impl Response {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header(header::CONTENT_TYPE)
    }
    /// `ETag` and `Last-Modified`, for the next conditional request.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.header(header::ETAG).map(str::to_string),
            last_modified: self.header(header::LAST_MODIFIED).map(str::to_string),
        }
    }
    /// True for `304 Not Modified`.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// Options of one [`Client::get`].
#[derive(Debug, Clone, Default)]
pub struct GetOptions {
    /// Sent as `If-None-Match` / `If-Modified-Since`.
    pub validators: Option<Validators>,
    /// A slot already reserved with the host's limiter (`(host_key, start)`).
    pub slot: Option<(String, Instant)>,
    /// Only HTML bodies.
    pub html_only: bool,
}

enum Sent {
    Final(Response),
    Redirect(Response, String),
}

/// The crawler's HTTP client: reqwest with rustls (ring), plus robots, rate limits,
/// retries and caps. Cheap to share behind an `Arc`.
pub struct Client {
    http: reqwest::Client,
    cfg: FetchConfig,
    agent: String,
    limiter: HostLimiter,
    robots: RobotsCache,
}

impl Client {
    /// Builds the client (TLS with rustls and the ring provider; redirects are
    /// followed by hand so each hop is checked and archived).
    pub fn new(cfg: FetchConfig) -> Result<Client, FetchError> {
        // Ignored when a provider was installed before (e.g. a second client).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(15)))
            .pool_max_idle_per_host(cfg.concurrency.max(1))
            .build()
            .map_err(|e| FetchError::Client(describe(&e)))?;
        Ok(Client {
            http,
            agent: cfg.robots_agent(),
            limiter: HostLimiter::new(cfg.interval(), cfg.max_wait),
            robots: RobotsCache::default(),
            cfg,
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// The per-host limiter (the crawler reserves slots with it).
    pub fn limiter(&self) -> &HostLimiter {
        &self.limiter
    }

    /// GETs `url` (robots, rate, retries, redirects, caps). Statuses of 400 and
    /// above end as [`FetchError::Status`]; `304` is returned as a response.
    pub async fn get(&self, url: &Url, opts: GetOptions) -> Result<Response, FetchError> {
        let mut slot = opts.slot;
        let want = if opts.html_only {
            Want::Html
        } else {
            Want::Any
        };
        self.get_inner(
            url,
            opts.validators,
            want,
            &mut slot,
            true,
            self.cfg.max_bytes,
            false,
        )
        .await
    }

    /// True once the rules of `host` (a [`host_key`]) are known.
    pub fn robots_known(&self, host: &str) -> bool {
        self.robots.cell(host).initialized()
    }

    /// The host's `robots.txt` rules, fetched once per host (using `slot` when it is
    /// a slot of that host).
    pub async fn robots(&self, url: &Url, slot: &mut Option<(String, Instant)>) -> Arc<Rules> {
        let host = host_key(url);
        let cell = self.robots.cell(&host);
        if let Some(r) = cell.get() {
            return r.clone();
        }
        cell.get_or_init(|| async {
            let rurl = robots_url(url);
            let res = self
                .get_inner(
                    &rurl,
                    None,
                    Want::Any,
                    slot,
                    false,
                    MAX_ROBOTS_BYTES as u64,
                    true,
                )
                .await;
            let rules = match res {
                Ok(r) => Rules::from_response(&self.agent, Some(r.status), &r.body),
                Err(FetchError::Status { status, .. }) => {
                    Rules::from_response(&self.agent, Some(status), b"")
                }
                Err(_) => Rules::from_response(&self.agent, None, b""),
            };
            if let Some(d) = rules.crawl_delay() {
                self.limiter.set_crawl_delay(&host, d);
            }
            Arc::new(rules)
        })
        .await
        .clone()
    }

    #[allow(clippy::too_many_arguments)]
    async fn get_inner(
        &self,
        url: &Url,
        validators: Option<Validators>,
        want: Want,
        slot: &mut Option<(String, Instant)>,
        check_robots: bool,
        max_bytes: u64,
        truncate: bool,
    ) -> Result<Response, FetchError> {
        check_scheme(url)?;
        let mut current = url.clone();
        let mut validators = validators;
        let mut visited = HashSet::from([without_fragment(&current)]);
        let mut hops: Vec<Response> = Vec::new();
        loop {
            if check_robots {
                let rules = Box::pin(self.robots(&current, slot)).await;
                if !rules.allowed(&current) {
                    return Err(FetchError::RobotsDenied {
                        url: current.to_string(),
                    });
                }
            }
            let sent = self
                .send_with_retries(
                    &current,
                    validators.as_ref(),
                    want,
                    slot,
                    max_bytes,
                    truncate,
                )
                .await?;
            match sent {
                Sent::Final(mut r) => {
                    r.requested = url.clone();
                    r.redirects = hops;
                    return Ok(r);
                }
                Sent::Redirect(hop, location) => {
                    let next =
                        current
                            .join(location.trim())
                            .map_err(|_| FetchError::BadRedirect {
                                url: current.to_string(),
                            })?;
                    check_scheme(&next)?;
                    hops.push(hop);
                    if hops.len() > self.cfg.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: url.to_string(),
                            limit: self.cfg.max_redirects,
                        });
                    }
                    if !visited.insert(without_fragment(&next)) {
                        return Err(FetchError::RedirectLoop {
                            url: url.to_string(),
                        });
                    }
                    // Validators belong to the URL they were given for.
                    validators = None;
                    current = next;
                }
            }
        }
    }

    async fn wait_turn(&self, host: &str, slot: &mut Option<(String, Instant)>) {
        match slot.take() {
            Some((h, at)) if h == host => tokio::time::sleep_until(at).await,
            other => {
                *slot = other;
                self.limiter.acquire(host).await;
            }
        }
    }

    async fn send_with_retries(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        want: Want,
        slot: &mut Option<(String, Instant)>,
        max_bytes: u64,
        truncate: bool,
    ) -> Result<Sent, FetchError> {
        let host = host_key(url);
        let tries = self.cfg.tries.max(1);
        let mut attempt = 1;
        loop {
            self.wait_turn(&host, slot).await;
            let res = self
                .send_once(url, validators, want, max_bytes, truncate)
                .await;
            let wait = match &res {
                Ok(Sent::Final(r)) if r.status == 429 => Some(
                    retry_after(&r.headers, Timestamp::now())
                        .unwrap_or_else(|| self.cfg.backoff_for(attempt)),
                ),
                Ok(Sent::Final(r)) if r.status >= 500 => Some(self.cfg.backoff_for(attempt)),
                Err(e) if e.is_transient() => Some(self.cfg.backoff_for(attempt)),
                _ => None,
            };
            match wait {
                Some(w) if attempt < tries => {
                    // The whole host waits: a failing or throttling server gets a rest.
                    self.limiter.pause(&host, w);
                    attempt += 1;
                }
                _ => return finish(url, res),
            }
        }
    }

    async fn send_once(
        &self,
        url: &Url,
        validators: Option<&Validators>,
        want: Want,
        max_bytes: u64,
        truncate: bool,
    ) -> Result<Sent, FetchError> {
        let accept = match want {
            Want::Html => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            Want::Any => "*/*",
        };
        let mut request_headers = vec![
            ("Host".to_string(), host_header(url)),
            ("User-Agent".to_string(), self.cfg.user_agent.clone()),
            ("Accept".to_string(), accept.to_string()),
            (
                "Accept-Encoding".to_string(),
                "gzip, deflate, br".to_string(),
            ),
        ];
        let mut req = self.http.get(url.clone()).header(header::ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(e) = &v.etag {
                req = req.header(header::IF_NONE_MATCH, e);
                request_headers.push(("If-None-Match".into(), e.clone()));
            }
            if let Some(m) = &v.last_modified {
                req = req.header(header::IF_MODIFIED_SINCE, m);
                request_headers.push(("If-Modified-Since".into(), m.clone()));
            }
        }
        let date = Timestamp::now();
        let mut resp = req.send().await.map_err(|e| map_err(url, &e))?;
        let status = resp.status().as_u16();
        let mut out = Response {
            requested: url.clone(),
            url: url.clone(),
            status,
            version: format!("{:?}", resp.version()),
            headers: resp.headers().clone(),
            body: Vec::new(),
            date,
            request_headers,
            redirects: Vec::new(),
        };
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let Some(loc) = out.header(header::LOCATION).map(str::to_string) else {
                return Err(FetchError::BadRedirect {
                    url: url.to_string(),
                });
            };
            return Ok(Sent::Redirect(out, loc));
        }
        if !(200..300).contains(&status) {
            // Error and 304 bodies are not read.
            return Ok(Sent::Final(out));
        }
        let ctype = out.content_type().map(str::to_string);
        if want == Want::Html
            && let Some(ct) = ctype.as_deref()
        {
            let m = charset::media_type(ct);
            let generic = m.is_empty() || m == "application/octet-stream" || m == "text/plain";
            if !generic && !charset::is_html(Some(ct), b"") {
                return Err(FetchError::NotHtml {
                    url: url.to_string(),
                    content_type: m,
                });
            }
        }
        if !truncate && resp.content_length().is_some_and(|n| n > max_bytes) {
            return Err(FetchError::TooLarge {
                url: url.to_string(),
                limit: max_bytes,
            });
        }
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| map_err(url, &e))? {
            if body.len() as u64 + chunk.len() as u64 > max_bytes {
                if truncate {
                    let room = (max_bytes as usize).saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    break;
                }
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    limit: max_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        if want == Want::Html && !charset::is_html(ctype.as_deref(), &body) {
            return Err(FetchError::NotHtml {
                url: url.to_string(),
                content_type: ctype.unwrap_or_else(|| "unknown".into()),
            });
        }
        out.body = body;
        Ok(Sent::Final(out))
    }
}

fn finish(url: &Url, res: Result<Sent, FetchError>) -> Result<Sent, FetchError> {
    match res {
        Ok(Sent::Final(r)) if r.status >= 400 || (r.status < 200) => Err(FetchError::Status {
            url: url.to_string(),
            status: r.status,
        }),
        Ok(Sent::Final(r)) if (300..400).contains(&r.status) && r.status != 304 => {
            Err(FetchError::Status {
                url: url.to_string(),
                status: r.status,
            })
        }
        other => other,
    }
}

/// Only `http` and `https` are fetched.
pub fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(()),
        _ => Err(FetchError::UnsupportedScheme {
            url: url.to_string(),
        }),
    }
}

/// Parses a URL given by the user or found in a document (http/https only).
pub fn parse_url(s: &str) -> Result<Url, FetchError> {
    let url = Url::parse(s.trim()).map_err(|e| FetchError::InvalidUrl {
        url: s.trim().to_string(),
        message: e.to_string(),
    })?;
    check_scheme(&url)?;
    Ok(url)
}

fn without_fragment(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    u.to_string()
}

fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

/// The wait a `Retry-After` header asks for (seconds or an HTTP date).
pub fn retry_after(headers: &HeaderMap, now: Timestamp) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(v)
        .ok()?;
    let d = when.duration_since(now);
    Some(Duration::try_from(d).unwrap_or(Duration::ZERO))
}

fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        src = s.source();
    }
    parts.join(": ")
}

fn map_err(url: &Url, e: &reqwest::Error) -> FetchError {
    let u = url.to_string();
    if e.is_timeout() {
        FetchError::Timeout { url: u }
    } else if e.is_connect() {
        FetchError::Connect {
            url: u,
            message: cause(e),
        }
    } else if e.is_decode() {
        FetchError::Discovery {
            url: u,
            message: format!("undecodable body: {}", cause(e)),
        }
    } else {
        FetchError::Http {
            url: u,
            message: cause(e),
        }
    }
}

/// The causes of a reqwest error without its "for url (...)" preamble.
fn cause(e: &reqwest::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) => describe(s),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_seconds_and_date() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        let now: Timestamp = "2026-03-07T00:00:00Z".parse().unwrap();
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Sat, 07 Mar 2026 00:00:30 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(30)));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn only_http_and_https() {
        assert!(parse_url("https://vnexpress.net/a").is_ok());
        assert!(matches!(
            parse_url("ftp://x.vn/a"),
            Err(FetchError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            parse_url("file:///etc/passwd"),
            Err(FetchError::UnsupportedScheme { .. })
        ));
        assert!(matches!(
            parse_url("not a url"),
            Err(FetchError::InvalidUrl { .. })
        ));
    }
}

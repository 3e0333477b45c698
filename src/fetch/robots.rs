//! `robots.txt`: parsed with `texting_robots`, cached per host for the crawl.
//!
//! What a fetch of `/robots.txt` means (Google's reading, which most sites expect):
//! 2xx — the rules in it (first 500 KiB); 4xx other than 429 — no restrictions;
//! 5xx, 429 after the retries, or no connection — nothing may be fetched from that
//! host in this run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;
use url::Url;

/// Largest `robots.txt` read; the rest is ignored.
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// The rules of one host.
#[derive(Debug)]
pub enum Rules {
    /// No `robots.txt` (4xx): everything allowed.
    AllowAll,
    /// Unreachable or failing `robots.txt`: nothing allowed.
    DenyAll,
    Parsed(Box<texting_robots::Robot>),
}

impl Rules {
    /// The rules for `agent` given the answer to `GET /robots.txt`
    /// (`None` when no answer came).
    pub fn from_response(agent: &str, status: Option<u16>, body: &[u8]) -> Rules {
        match status {
            Some(s) if (200..300).contains(&s) => {
                let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
                match texting_robots::Robot::new(agent, body) {
                    Ok(r) => Rules::Parsed(Box::new(r)),
                    // An unparsable file restricts nothing we could read.
                    Err(_) => Rules::AllowAll,
                }
            }
            Some(429) => Rules::DenyAll,
            Some(s) if (400..500).contains(&s) => Rules::AllowAll,
            _ => Rules::DenyAll,
        }
    }

    /// True when `url` may be fetched.
    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DenyAll => false,
            Rules::Parsed(r) => r.allowed(url.as_str()),
        }
    }

    /// The `Crawl-delay` for our agent, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(3600.0))),
            _ => None,
        }
    }
}

/// The `/robots.txt` URL of the host serving `url`.
pub fn robots_url(url: &Url) -> Url {
    let mut r = url.clone();
    r.set_path("/robots.txt");
    r.set_query(None);
    r.set_fragment(None);
    r
}

/// Rules per host, each fetched once even when many tasks ask at the same time.
#[derive(Debug, Default)]
pub struct RobotsCache {
    hosts: Mutex<HashMap<String, Arc<OnceCell<Arc<Rules>>>>>,
}

impl RobotsCache {
    /// The cell holding `host`'s rules (empty until someone fetched them).
    pub fn cell(&self, host: &str) -> Arc<OnceCell<Arc<Rules>>> {
        let mut map = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(host.to_string()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_rules() {
        let u = Url::parse("http://a.vn/private/x").unwrap();
        let txt = b"User-agent: *\nDisallow: /private\nCrawl-delay: 2\n";
        let r = Rules::from_response("tintuc", Some(200), txt);
        assert!(!r.allowed(&u));
        assert!(r.allowed(&Url::parse("http://a.vn/public").unwrap()));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert!(Rules::from_response("tintuc", Some(404), b"").allowed(&u));
        assert!(!Rules::from_response("tintuc", Some(503), b"").allowed(&u));
        assert!(!Rules::from_response("tintuc", None, b"").allowed(&u));
    }

    #[test]
    fn agent_specific_group_wins() {
        let txt = b"User-agent: tintuc\nDisallow: /a\n\nUser-agent: *\nDisallow: /\n";
        let r = Rules::from_response("tintuc", Some(200), txt);
        assert!(r.allowed(&Url::parse("http://x.vn/b").unwrap()));
        assert!(!r.allowed(&Url::parse("http://x.vn/a/1").unwrap()));
        let other = Rules::from_response("otherbot", Some(200), txt);
        assert!(!other.allowed(&Url::parse("http://x.vn/b").unwrap()));
    }

    #[test]
    fn robots_url_drops_path_and_query() {
        let u = Url::parse("https://a.vn:8443/x/y?z=1#f").unwrap();
        assert_eq!(robots_url(&u).as_str(), "https://a.vn:8443/robots.txt");
    }
}

//! Per-host request slots: one host never gets more than the configured rate, its
//! `Crawl-delay`, or requests before a `Retry-After` pause ends.
//!
//! A slot is reserved before the request is sent ([`HostLimiter::reserve`]); the
//! next free slot of that host moves one interval later. Reservations are the only
//! way to get a slot, so the rate holds across retries, redirects and `robots.txt`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

/// The key requests are limited by: host and port (`vnexpress.net:443`).
pub fn host_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port_or_known_default() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

#[derive(Debug)]
struct Slot {
    next: Instant,
    crawl_delay: Option<Duration>,
}

/// Per-host rate limiter.
#[derive(Debug)]
pub struct HostLimiter {
    interval: Option<Duration>,
    max_wait: Duration,
    hosts: Mutex<HashMap<String, Slot>>,
}

impl HostLimiter {
    /// `interval` between two requests to one host (`None`: unlimited); delays set
    /// by servers are cut to `max_wait`.
    pub fn new(interval: Option<Duration>, max_wait: Duration) -> HostLimiter {
        HostLimiter {
            interval,
            max_wait,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn slot<'a>(map: &'a mut HashMap<String, Slot>, host: &str) -> &'a mut Slot {
        map.entry(host.to_string()).or_insert_with(|| Slot {
            next: Instant::now(),
            crawl_delay: None,
        })
    }

    /// Sets the host's `Crawl-delay` (from `robots.txt`).
    pub fn set_crawl_delay(&self, host: &str, delay: Duration) {
        let mut map = self.lock();
        Self::slot(&mut map, host).crawl_delay = Some(delay.min(self.max_wait));
    }

    /// No request to `host` before `wait` from now (`429` with `Retry-After`).
    pub fn pause(&self, host: &str, wait: Duration) {
        let until = Instant::now() + wait.min(self.max_wait);
        let mut map = self.lock();
        let s = Self::slot(&mut map, host);
        if s.next < until {
            s.next = until;
        }
    }

    /// The interval in force for `host`: the larger of the rate's and `Crawl-delay`.
    pub fn interval_for(&self, host: &str) -> Duration {
        let map = self.lock();
        let delay = map.get(host).and_then(|s| s.crawl_delay);
        self.interval
            .unwrap_or_default()
            .max(delay.unwrap_or_default())
    }

    /// When the host's next slot is free.
    pub fn ready_at(&self, host: &str) -> Instant {
        let map = self.lock();
        map.get(host).map(|s| s.next).unwrap_or_else(Instant::now)
    }

    /// Reserves the host's next slot and returns when it starts.
    pub fn reserve(&self, host: &str) -> Instant {
        let now = Instant::now();
        let mut map = self.lock();
        let s = Self::slot(&mut map, host);
        let at = s.next.max(now);
        let interval = self
            .interval
            .unwrap_or_default()
            .max(s.crawl_delay.unwrap_or_default());
        s.next = at + interval;
        at
    }

    /// Reserves a slot and waits for it.
    pub async fn acquire(&self, host: &str) {
        let at = self.reserve(host);
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_has_port() {
        let u = Url::parse("https://vnexpress.net/a").unwrap();
        assert_eq!(host_key(&u), "vnexpress.net:443");
        let u = Url::parse("http://127.0.0.1:8080/a").unwrap();
        assert_eq!(host_key(&u), "127.0.0.1:8080");
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_spaced_by_rate_and_crawl_delay() {
        let l = HostLimiter::new(Some(Duration::from_millis(500)), Duration::from_secs(60));
        let t0 = Instant::now();
        let a = l.reserve("h:80");
        let b = l.reserve("h:80");
        let other = l.reserve("o:80");
        assert_eq!(a - t0, Duration::ZERO);
        assert_eq!(b - a, Duration::from_millis(500));
        assert_eq!(other - t0, Duration::ZERO, "hosts are independent");
        l.set_crawl_delay("h:80", Duration::from_secs(2));
        let c = l.reserve("h:80");
        let d = l.reserve("h:80");
        assert_eq!(d - c, Duration::from_secs(2));
        l.pause("o:80", Duration::from_secs(1000));
        assert_eq!(
            l.ready_at("o:80") - t0,
            Duration::from_secs(60),
            "cut to max_wait"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_rate_gives_immediate_slots() {
        let l = HostLimiter::new(None, Duration::from_secs(60));
        let t0 = Instant::now();
        for _ in 0..10 {
            assert_eq!(l.reserve("h:80"), t0);
        }
    }
}

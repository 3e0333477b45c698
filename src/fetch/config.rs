//! Limits and politeness settings of the HTTP client, with the defaults the CLI uses.

use std::time::Duration;

/// The User-Agent sent by default: it names tintuc so site owners can tell who
/// fetches and address it in `robots.txt` (`User-agent: tintuc`).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "tintuc/",
    env!("CARGO_PKG_VERSION"),
    " (Vietnamese news archive search; obeys robots.txt)"
);

/// How the client behaves towards servers.
///
/// ```
/// let c = tintuc::fetch::FetchConfig::default();
/// assert_eq!(c.rate, 1.0);
/// assert_eq!(c.tries, 3);
/// assert_eq!(c.robots_agent(), "tintuc");
/// ```
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The `User-Agent` header; its first token (before `/`) is the name looked up in `robots.txt`.
    pub user_agent: String,
    /// Whole-request timeout (connect, headers and body).
    pub timeout: Duration,
    /// Requests per second per host; `0` (or less) lifts the limit. `Crawl-delay` still applies.
    pub rate: f64,
    /// Requests in flight over all hosts.
    pub concurrency: usize,
    /// Largest response body kept, counted after decompression.
    pub max_bytes: u64,
    /// Attempts per request (the first one included) on 5xx, 429, timeouts and connection errors.
    pub tries: u32,
    /// Redirects followed per request.
    pub max_redirects: usize,
    /// First retry waits about this long; each further one twice as long (with jitter).
    pub backoff: Duration,
    /// Longest `Retry-After` (or `Crawl-delay`) honoured; longer ones are cut to it.
    pub max_wait: Duration,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeout: Duration::from_secs(30),
            rate: 1.0,
            concurrency: 8,
            max_bytes: 20 * 1024 * 1024,
            tries: 3,
            max_redirects: 10,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(120),
        }
    }
}

impl FetchConfig {
    /// The product token matched against `User-agent:` lines in `robots.txt`.
    pub fn robots_agent(&self) -> String {
        let token = self
            .user_agent
            .split(|c: char| c == '/' || c.is_whitespace())
            .find(|t| !t.is_empty())
            .unwrap_or("tintuc");
        token.to_string()
    }

    /// The minimum interval between two requests to one host, or `None` when unlimited.
    pub fn interval(&self) -> Option<Duration> {
        if self.rate > 0.0 && self.rate.is_finite() {
            Some(Duration::from_secs_f64(1.0 / self.rate))
        } else {
            None
        }
    }

    /// The wait before retry number `attempt` (1 = first retry): exponential with
    /// ±50 % jitter, never above [`max_wait`](Self::max_wait).
    pub fn backoff_for(&self, attempt: u32) -> Duration {
        let base = self.backoff.as_secs_f64() * 2f64.powi(attempt.saturating_sub(1).min(16) as i32);
        let jitter = 0.5 + fastrand::f64();
        Duration::from_secs_f64((base * jitter).min(self.max_wait.as_secs_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_token_and_interval() {
        let mut c = FetchConfig {
            user_agent: "MyBot/2.0 (x)".into(),
            ..Default::default()
        };
        assert_eq!(c.robots_agent(), "MyBot");
        assert_eq!(c.interval(), Some(Duration::from_secs(1)));
        c.rate = 0.0;
        assert_eq!(c.interval(), None);
        c.rate = 4.0;
        assert_eq!(c.interval(), Some(Duration::from_millis(250)));
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        let c = FetchConfig {
            backoff: Duration::from_millis(100),
            max_wait: Duration::from_secs(1),
            ..Default::default()
        };
        for _ in 0..50 {
            let b1 = c.backoff_for(1).as_secs_f64();
            assert!((0.05..=0.15).contains(&b1), "{b1}");
            let b3 = c.backoff_for(3).as_secs_f64();
            assert!((0.2..=0.6).contains(&b3), "{b3}");
            assert!(c.backoff_for(20) <= Duration::from_secs(1));
        }
    }
}

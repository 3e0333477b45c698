//! A bounded cache of finished API responses (the JSON bytes), least recently used
//! first out, keyed by the request's canonical form and tagged with the index
//! snapshot ([`super::live::Snapshot::version`]) it was computed on.
//!
//! People repeat searches: search-as-you-type sends the same prefixes again, back and
//! forward and reloads ask for the same page, paging back re-asks the previous one,
//! and a shared link is opened by many. A hit costs a hash lookup and a reference to
//! the stored bytes instead of a search.
//!
//! Never stale: a snapshot never changes, so an answer is exact for the version it
//! was computed on, and a lookup gives an entry only to a request on that same
//! version. The first request on a newer snapshot empties the cache; an answer
//! computed on an older one than the cache holds is not stored.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use axum::body::Bytes;

/// Bytes an entry costs beyond its key and body (map slots, order index).
const ENTRY_OVERHEAD: usize = 96;

/// The cache (empty and never storing when its budget is 0).
pub struct ResponseCache {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The index version every entry was computed at.
    version: u64,
    entries: HashMap<String, Entry>,
    /// Entries by last use (oldest first): tick → key.
    order: BTreeMap<u64, String>,
    tick: u64,
    bytes: usize,
}

struct Entry {
    body: Bytes,
    used: u64,
}

/// What the cache holds (for tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
}

fn cost(key: &str, body: &Bytes) -> usize {
    key.len() + body.len() + ENTRY_OVERHEAD
}

impl ResponseCache {
    /// A cache holding at most `max_bytes` of keys and bodies (0: off).
    pub fn new(max_bytes: usize) -> ResponseCache {
        ResponseCache {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// False when the budget is 0.
    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves a consistent map (no step panics
        // half way), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The body stored for `key` at index `version`, if any.
    pub fn get(&self, version: u64, key: &str) -> Option<Bytes> {
        if !self.enabled() {
            return None;
        }
        let mut g = self.lock();
        if version > g.version {
            g.clear(version);
            return None;
        }
        if version < g.version {
            return None;
        }
        g.tick += 1;
        let tick = g.tick;
        let inner = &mut *g;
        let e = inner.entries.get_mut(key)?;
        inner.order.remove(&e.used);
        e.used = tick;
        inner.order.insert(tick, key.to_string());
        Some(e.body.clone())
    }

    /// Stores `body` for `key`, computed at index `version`; evicts the least
    /// recently used entries to stay within the budget. A body larger than an
    /// eighth of the budget is not stored.
    pub fn put(&self, version: u64, key: String, body: Bytes) {
        let c = cost(&key, &body);
        if !self.enabled() || c > self.max_bytes / 8 {
            return;
        }
        let mut g = self.lock();
        if version > g.version {
            g.clear(version);
        } else if version < g.version {
            return;
        }
        g.remove(&key);
        while g.bytes + c > self.max_bytes {
            let Some((_, oldest)) = g.order.pop_first() else {
                break;
            };
            if let Some(e) = g.entries.remove(&oldest) {
                g.bytes -= cost(&oldest, &e.body);
            }
        }
        g.tick += 1;
        let tick = g.tick;
        g.order.insert(tick, key.clone());
        g.bytes += c;
        g.entries.insert(key, Entry { body, used: tick });
    }

    /// Entries and bytes held now.
    pub fn stats(&self) -> CacheStats {
        let g = self.lock();
        CacheStats {
            entries: g.entries.len(),
            bytes: g.bytes,
        }
    }
}

impl Inner {
    fn clear(&mut self, version: u64) {
        self.entries.clear();
        self.order.clear();
        self.bytes = 0;
        self.version = version;
    }

    fn remove(&mut self, key: &str) {
        if let Some(e) = self.entries.remove(key) {
            self.order.remove(&e.used);
            self.bytes -= cost(key, &e.body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn hits_at_the_same_version_only() {
        let c = ResponseCache::new(1 << 20);
        assert_eq!(c.get(0, "a"), None);
        c.put(0, "a".into(), Bytes::from_static(b"one"));
        assert_eq!(c.get(0, "a").as_deref(), Some(&b"one"[..]));
        // A newer version empties the cache: the old answer is never served again.
        assert_eq!(c.get(1, "a"), None);
        assert_eq!(c.stats().entries, 0);
        // An answer computed at an older version is not stored, nor served.
        c.put(0, "a".into(), Bytes::from_static(b"old"));
        assert_eq!(c.get(1, "a"), None);
        c.put(1, "a".into(), Bytes::from_static(b"new"));
        assert_eq!(
            c.get(0, "a"),
            None,
            "an older request does not get a newer answer"
        );
        assert_eq!(c.get(1, "a").as_deref(), Some(&b"new"[..]));
        // A put at a newer version also empties it.
        c.put(1, "b".into(), Bytes::from_static(b"b"));
        c.put(2, "c".into(), Bytes::from_static(b"c"));
        assert_eq!((c.get(2, "a"), c.get(2, "b")), (None, None));
        assert_eq!(c.get(2, "c").as_deref(), Some(&b"c"[..]));
    }

    #[test]
    fn evicts_the_least_recently_used_within_the_budget() {
        let one = cost("k0", &body(1000));
        let c = ResponseCache::new(one * 8);
        for i in 0..8 {
            c.put(0, format!("k{i}"), body(1000));
        }
        assert_eq!(
            c.stats(),
            CacheStats {
                entries: 8,
                bytes: one * 8
            }
        );
        // k0 is used, so k1 is the oldest and goes first.
        assert!(c.get(0, "k0").is_some());
        c.put(0, "k8".into(), body(1000));
        assert!(c.get(0, "k1").is_none());
        assert!(c.get(0, "k0").is_some() && c.get(0, "k8").is_some());
        assert!(c.stats().bytes <= one * 8);
        // Replacing a key does not count it twice.
        c.put(0, "k8".into(), body(1000));
        assert_eq!(c.stats().entries, 8);
        assert!(c.stats().bytes <= one * 8);
    }

    #[test]
    fn a_zero_budget_or_a_huge_body_stores_nothing() {
        let off = ResponseCache::new(0);
        off.put(0, "a".into(), body(1));
        assert_eq!(off.get(0, "a"), None);
        assert!(!off.enabled());
        let small = ResponseCache::new(8000);
        small.put(0, "big".into(), body(2000));
        assert_eq!(small.get(0, "big"), None);
        small.put(0, "ok".into(), body(100));
        assert!(small.get(0, "ok").is_some());
    }
}

//! The HTTP API: `serve::params` (a raw query string into search parameters) on any
//! bytes, and the whole request path through the server's router
//! (`serve::router_for`, driven by `tower::ServiceExt::oneshot`, no socket) against a
//! small index: `/api/search?…`, `/api/articles/ID?…`, `/api/stats` and the page's
//! files. Nothing a client sends may panic the server or get a 5xx answer, and every
//! JSON answer parses.
use honggfuzz::fuzz;
use tintuc::serve::params;
use tower::ServiceExt;

use axum::body::Body;
use axum::http::{Method, Request, header};

/// Bytes kept as they are in a request target (so the fuzzer also writes bad `%`
/// escapes, `&`, `=`, `+` and `/`); every other byte is percent-encoded.
fn target_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b)
}

fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if target_byte(b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The parameters alone: a good request is within the API's bounds, a bad one names
/// the parameter at fault.
fn check_params(raw: &str) {
    let pairs = params::pairs(Some(raw));
    match params::search_request(&pairs) {
        Ok((r, _)) => {
            assert!(r.limit <= params::MAX_LIMIT, "limit {}", r.limit);
            assert!(r.offset <= params::MAX_OFFSET, "offset {}", r.offset);
            assert!(r.facets <= params::MAX_FACETS, "facets {}", r.facets);
            assert!(
                r.query.len() <= params::MAX_QUERY_BYTES,
                "q of {} bytes",
                r.query.len()
            );
        }
        Err(e) => assert!(e.to_string().starts_with(e.param), "{e}"),
    }
}

fn main() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("index");
    drop(tintuc_fuzz::small_index(&dir));
    let router = tintuc::serve::router_for(&dir).expect("the router");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    loop {
        fuzz!(|data: &[u8]| {
            let (f, rest) = tintuc_fuzz::flags(data);
            check_params(&tintuc_fuzz::text(rest));
            let target = match f & 3 {
                0 | 1 => format!("/api/search?{}", encode(rest)),
                2 => format!("/api/articles/{}", encode(rest)),
                _ => format!("/{}", encode(rest)),
            };
            let method = if f & 4 != 0 {
                Method::HEAD
            } else {
                Method::GET
            };
            let Ok(req) = Request::builder()
                .method(method)
                .uri(&target)
                .body(Body::empty())
            else {
                return; // not a request target hyper would hand to the router
            };
            let res = rt
                .block_on(router.clone().oneshot(req))
                .unwrap_or_else(|e| match e {});
            let status = res.status();
            assert!(!status.is_server_error(), "{status} for {target}");
            let json = res
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
            let body = rt
                .block_on(axum::body::to_bytes(res.into_body(), 16 << 20))
                .expect("the body");
            if json && !body.is_empty() {
                let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON body");
                if status.is_client_error() {
                    assert!(v["error"].is_string(), "an error without a message: {v}");
                }
            }
        });
    }
}

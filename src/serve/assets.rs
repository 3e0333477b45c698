//! The search page: hand-written HTML, CSS and JavaScript embedded in the binary.
//!
//! Only the files listed in [`ASSETS`] are served, looked up by exact path (no file
//! system, so no path traversal). Every response of the page carries a Content
//! Security Policy that allows scripts, styles and requests from this server only:
//! even if article text were ever turned into markup, it could not run a script.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `(path, content type, bytes)` of every embedded file.
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("assets/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "/app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "/favicon.svg",
        "image/svg+xml",
        include_bytes!("assets/favicon.svg"),
    ),
];

/// The policy: nothing from elsewhere, no inline script, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Total size of the page's files, in bytes (before compression).
pub fn page_weight() -> usize {
    ASSETS.iter().map(|(_, _, b)| b.len()).sum()
}

/// Serves an embedded file, or a 404 (JSON under `/api/`).
pub async fn asset(req: Request) -> Response {
    let path = req.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return super::api_not_found(path);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    let path = if path == "/index.html" { "/" } else { path };
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, kind, bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, *kind),
                (header::CONTENT_SECURITY_POLICY, CSP),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::REFERRER_POLICY, "no-referrer"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Not found. The search page is at /\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_light_and_self_contained() {
        // The bound: under 150 KB before compression.
        assert!(page_weight() < 150 * 1024, "{} bytes", page_weight());
        for (path, _, bytes) in ASSETS {
            let text = String::from_utf8_lossy(bytes);
            for outside in [
                "src=\"http",
                "href=\"http",
                "url(http",
                "@import",
                "fetch(\"http",
            ] {
                assert!(
                    !text.contains(outside),
                    "{path} loads from elsewhere: {outside}"
                );
            }
        }
        let js = String::from_utf8_lossy(ASSETS[1].2);
        assert!(
            !js.contains("innerHTML"),
            "article text must never become markup"
        );
    }
}

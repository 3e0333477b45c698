//! `tintuc serve`: the search page and the JSON API over one index, read-only.
//!
//! ```text
//! TCP accept (bounded connections) ─▶ hyper http/1 (header timeout) ─▶ tower layers
//!   (URI limit, body limit, timeout, compression, CORS) ─▶ axum router
//!   /api/search   ─▶ params ─▶ response cache ─(miss)─▶ blocking pool (bounded)
//!                                                  ─▶ search::search ─▶ search::json
//!   /api/articles ─▶ search::view      /api/stats ─▶ Archive::stats      / ─▶ assets
//! ```
//!
//! The three API reads go through [`cache::ResponseCache`]: a repeated request is
//! answered from memory until the index changes.
//!
//! The handlers call the same library functions as the CLI and serialize the same
//! shapes ([`crate::search::json`], [`crate::Article`], [`crate::index::Stats`]).
//! [`live::Live`] follows the index while other processes write to it. Searches run
//! on tokio's blocking pool behind a semaphore, so many clients queue instead of
//! growing memory; connections are capped and slow clients time out.

pub mod assets;
pub mod cache;
pub mod live;
pub mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::index::{Archive, IndexError};
use crate::search::{self, QueryError};
use cache::ResponseCache;
use live::{Live, Snapshot};
use params::{BadParam, HistogramParam};

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest request body accepted (the API only reads query strings).
pub const MAX_BODY_BYTES: usize = 4 * 1024;
/// Time a request may take, headers to response.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Time a client has to send a request's headers (also between keep-alive requests).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 1024;
/// The response cache's budget when `--cache-mb` is not given, in MiB.
pub const DEFAULT_CACHE_MB: usize = 64;
/// The header telling whether an API answer came from the cache (`hit`) or was
/// computed (`miss`); absent with the cache off.
pub const CACHE_HEADER: &str = "x-tintuc-cache";

/// What `serve` needs.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    pub index: PathBuf,
    /// The one origin allowed to call the API from a browser (CORS off when `None`).
    pub cors: Option<String>,
    /// The response cache's budget in MiB (0: no cache).
    pub cache_mb: usize,
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("--cors {0:?} is not a valid origin (e.g. http://localhost:3000)")]
    Cors(String),
}

/// Shared by every request.
struct App {
    live: Live,
    /// Searches (and other index work) running at once on the blocking pool.
    work: Semaphore,
    /// Finished API answers, by request, at the index version they were made at.
    cache: ResponseCache,
}

/// Opens the index, binds `opts.addr`, calls `on_listening` with the bound address
/// (port 0 picks a free one) and serves until the process ends.
pub async fn serve(opts: Options, on_listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let live = Live::open(&opts.index)?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let app = Arc::new(App {
        live,
        work: Semaphore::new(workers * 2),
        cache: ResponseCache::new(opts.cache_mb.saturating_mul(1 << 20)),
    });
    let router = router(app.clone(), opts.cors.as_deref())?;
    let listener = TcpListener::bind(opts.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: opts.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: opts.addr,
        source,
    })?;
    tokio::spawn(follow(app));
    on_listening(addr);
    accept(listener, router).await;
    Ok(())
}

/// The server's routes and layers over the index in `dir`, without a socket or the
/// follower: what [`serve`] answers, for tests and fuzzing (`tower::ServiceExt::oneshot`).
pub fn router_for(dir: &std::path::Path) -> Result<Router, ServeError> {
    let app = Arc::new(App {
        live: Live::open(dir)?,
        work: Semaphore::new(2),
        // No cache: every request (a fuzz input, say) runs the whole path.
        cache: ResponseCache::new(0),
    });
    router(app, None)
}

/// Reloads the index every [`live::REFRESH`]; a failure is reported once until it changes.
async fn follow(app: Arc<App>) {
    let mut last: Option<String> = None;
    let mut tick = tokio::time::interval(live::REFRESH);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let a = app.clone();
        let r = tokio::task::spawn_blocking(move || a.live.refresh()).await;
        let msg = match r {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(format!("index refresh failed: {e}")),
        };
        if msg != last {
            if let Some(m) = &msg {
                eprintln!("tintuc: serving the last good state of the index: {m}");
            }
            last = msg;
        }
    }
}

/// Accepts connections (at most [`MAX_CONNECTIONS`] at once) and serves each with
/// hyper's HTTP/1 with a header timeout.
async fn accept(listener: TcpListener, router: Router) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return;
        };
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors and the like: wait a little, go on.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(64 * 1024)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away or times out is not the server's problem.
            let _ = conn.await;
        });
    }
}

/// The routes and layers.
fn router(app: Arc<App>, cors: Option<&str>) -> Result<Router, ServeError> {
    use tower_http::compression::CompressionLayer;
    use tower_http::limit::RequestBodyLimitLayer;
    use tower_http::timeout::TimeoutLayer;
    let mut r = Router::new()
        .route("/api/search", get(api_search))
        .route("/api/articles/{*id}", get(api_article))
        .route("/api/stats", get(api_stats))
        .route("/healthz", get(healthz))
        .fallback(assets::asset)
        .with_state(app)
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ));
    if let Some(origin) = cors {
        let value = HeaderValue::from_str(origin).map_err(|_| ServeError::Cors(origin.into()))?;
        r = r.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::AllowOrigin::list([value]))
                .allow_methods([Method::GET, Method::HEAD]),
        );
    }
    Ok(r.layer(middleware::from_fn(limit_uri)))
}

/// Refuses request targets longer than [`MAX_URI_BYTES`].
async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return error(
            StatusCode::URI_TOO_LONG,
            format!("the request is longer than {MAX_URI_BYTES} bytes"),
        );
    }
    next.run(req).await
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

/// A JSON response.
fn json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => json_bytes(status, bytes.into()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// A response of serialized JSON.
fn json_bytes(status: StatusCode, bytes: Bytes) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response()
}

/// An API answer: from the cache under `key` when the index has not changed since
/// it was stored, otherwise computed by `compute` (on the blocking pool) and stored
/// when it is a 200. `compute` gives the status and the JSON bytes, or an error
/// response (not stored).
async fn cached(
    app: &Arc<App>,
    key: String,
    compute: impl FnOnce(&Archive) -> Result<(StatusCode, Vec<u8>), Box<Response>> + Send + 'static,
) -> Response {
    let tag = |mut r: Response, state: &'static str| {
        if app.cache.enabled() {
            r.headers_mut()
                .insert(CACHE_HEADER, HeaderValue::from_static(state));
        }
        r
    };
    // The answer is computed on the very snapshot whose version tags it.
    let Snapshot { archive, version } = app.live.snapshot();
    if let Some(body) = app.cache.get(version, &key) {
        return tag(json_bytes(StatusCode::OK, body), "hit");
    }
    let (status, bytes) = match blocking(app, move |_| compute(&archive)).await {
        Ok(Ok(done)) => done,
        Ok(Err(r)) => return *r,
        Err(r) => return r,
    };
    let body = Bytes::from(bytes);
    if status == StatusCode::OK {
        app.cache.put(version, key, body.clone());
    }
    tag(json_bytes(status, body), "miss")
}

/// Serialized `body`, or a 500.
fn to_json(body: &impl Serialize) -> Result<Vec<u8>, Box<Response>> {
    serde_json::to_vec(body)
        .map_err(|e| Box::new(error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())))
}

/// `{"error": message}` with `status`.
fn error(status: StatusCode, message: String) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn bad_param(e: &BadParam) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        &ErrorBody {
            error: &e.to_string(),
            parameter: Some(e.param),
        },
    )
}

/// A search error: the user's (400, about `q` or the dates) or the index's (500).
fn query_error(e: &QueryError) -> Response {
    let param = match e {
        QueryError::Date(_) => "from",
        _ => "q",
    };
    if e.is_usage() {
        json(
            StatusCode::BAD_REQUEST,
            &ErrorBody {
                error: &format!("{param}: {e}"),
                parameter: Some(param),
            },
        )
    } else {
        error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

/// Runs `f` on the blocking pool once a work slot is free.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    f: impl FnOnce(&App) -> T + Send + 'static,
) -> Result<T, Response> {
    let Ok(_slot) = app.work.acquire().await else {
        return Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down".into(),
        ));
    };
    let a = app.clone();
    tokio::task::spawn_blocking(move || f(&a))
        .await
        .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

async fn api_search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let (req, histogram) = match params::search_request(&pairs) {
        Ok(r) => r,
        Err(e) => return bad_param(&e),
    };
    if req.query.trim().is_empty() && req.sort == search::Sort::Relevance {
        return query_error(&QueryError::Empty);
    }
    // The parsed request is the key: spelling, order and defaults of the
    // parameters do not matter.
    let key = format!("search {req:?} {histogram:?}");
    cached(&app, key, move |archive| {
        let mut resp = search::search(archive, &req).map_err(|e| Box::new(query_error(&e)))?;
        if histogram == Some(HistogramParam::Auto) {
            resp.histogram = resp.histogram.map(|h| h.auto());
        }
        Ok((StatusCode::OK, to_json(&search::json::response(&resp))?))
    })
    .await
}

async fn api_article(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let pairs = params::pairs(raw.as_deref());
    let q = match params::query(&pairs) {
        Ok(q) => q,
        Err(e) => return bad_param(&e),
    };
    let accents = match params::accents(&pairs) {
        Ok(a) => a,
        Err(e) => return bad_param(&e),
    };
    let key = format!("article {id:?} {q:?} {accents:?}");
    cached(&app, key, move |archive| {
        match search::view::view(archive, &id, Some(&q), accents) {
            Ok(Some(v)) => Ok((StatusCode::OK, to_json(&v)?)),
            Ok(None) => Ok((
                StatusCode::NOT_FOUND,
                to_json(&ErrorBody {
                    error: &format!("no article with id {id:?}"),
                    parameter: None,
                })?,
            )),
            Err(e) => Err(Box::new(query_error(&e))),
        }
    })
    .await
}

async fn api_stats(State(app): State<Arc<App>>) -> Response {
    cached(&app, "stats".into(), |archive| match archive.stats() {
        Ok(s) => Ok((StatusCode::OK, to_json(&s)?)),
        Err(e) => Err(Box::new(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.to_string(),
        ))),
    })
    .await
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    let docs = app.live.get().searcher().num_docs();
    json(
        StatusCode::OK,
        &serde_json::json!({"status": "ok", "articles": docs}),
    )
}

/// The 404 of an unknown `/api/...` path.
fn api_not_found(path: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no such endpoint: {path} (see /api/search, /api/articles/ID, /api/stats)"),
    )
}

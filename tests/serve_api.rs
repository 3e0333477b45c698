//! End to end: the real `tintuc serve` on 127.0.0.1 (free port) over indexes built
//! by the real binary — shapes, parameters, errors, facets, ids with `/`, limits, a
//! commit and a reindex made while the server runs.

mod serve_support;

use serde_json::Value;
use serve_support::{Server, enc, index_of, repo, request, tintuc};

fn samples() -> (tempfile::TempDir, std::path::PathBuf) {
    index_of(&[&repo("samples/articles")])
}

fn sum(list: &Value) -> u64 {
    list.as_array()
        .expect("list")
        .iter()
        .map(|b| b["count"].as_u64().expect("count"))
        .sum()
}

/// Every facet value, searched as a filter, finds as many articles as it counts, and
/// the counts add up to the articles that have the field.
fn check_facets(s: &Server, query: &str, total: u64, facets: &Value) {
    for field in ["source", "category"] {
        let list = facets[field].as_array().expect("facet list");
        let mut prev = u64::MAX;
        for b in list {
            let (key, n) = (
                b["key"].as_str().expect("key"),
                b["count"].as_u64().expect("n"),
            );
            assert!(n <= prev, "{field} facets not by count: {facets}");
            prev = n;
            let v = s.json(&format!("/api/search?{query}&{field}={}&limit=0", enc(key)));
            assert_eq!(v["total"].as_u64(), Some(n), "{field}={key}: {v}");
        }
        assert!(sum(&facets[field]) <= total, "{field}: {facets} > {total}");
    }
}

#[test]
fn search_shape_facets_histogram_and_paging() {
    let (_t, index) = samples();
    let s = Server::start(&index, &[]);
    let v = s.json("/api/search?q=c%C3%A0+ph%C3%AA&histogram=year");
    for k in [
        "query",
        "total",
        "took_ms",
        "hits",
        "relaxed",
        "histogram",
        "interval",
        "undated",
        "facets",
    ] {
        assert!(v.get(k).is_some(), "{k} missing: {v}");
    }
    assert_eq!(v["query"], "cà phê");
    assert_eq!(v["interval"], "year");
    let total = v["total"].as_u64().expect("total");
    assert!(total >= 1, "{v}");
    let hit = &v["hits"][0];
    for k in [
        "id",
        "url",
        "source",
        "title",
        "date",
        "score",
        "snippet",
        "highlights",
    ] {
        assert!(hit.get(k).is_some(), "hit.{k} missing: {hit}");
    }
    // The histogram counts every match: dated ones in buckets, the rest undated.
    assert_eq!(
        sum(&v["histogram"]) + v["undated"].as_u64().expect("undated"),
        total
    );
    // The API and the CLI give the same object (but for the time taken).
    let cli: Value = serde_json::from_str(&tintuc(
        &index,
        &["search", "--json", "--histogram", "year", "cà phê"],
    ))
    .expect("json");
    let (mut api, mut cli) = (v.clone(), cli);
    api.as_object_mut().expect("obj").remove("facets");
    api["took_ms"] = Value::Null;
    cli["took_ms"] = Value::Null;
    assert_eq!(api, cli, "API and CLI differ");
    // Facets over a search and over the whole archive add up.
    check_facets(&s, "q=c%C3%A0+ph%C3%AA", total, &v["facets"]);
    let all = s.json("/api/search?q=&sort=newest&facets=100&limit=3");
    let stats = s.json("/api/stats");
    assert_eq!(all["total"], stats["articles"]);
    let by_source: u64 = stats["sources"]
        .as_object()
        .expect("sources")
        .values()
        .map(|n| n.as_u64().unwrap_or(0))
        .sum();
    assert_eq!(sum(&all["facets"]["source"]), by_source);
    check_facets(
        &s,
        "q=&sort=newest",
        all["total"].as_u64().expect("n"),
        &all["facets"],
    );
    // Paging: two pages of one hit are the first two hits.
    let two = s.json("/api/search?q=&sort=oldest&limit=2");
    let p2 = s.json("/api/search?q=&sort=oldest&limit=1&offset=1");
    assert_eq!(two["hits"][1]["id"], p2["hits"][0]["id"]);
    let dates: Vec<&str> = two["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[test]
fn browsing_by_date_with_filters() {
    let (_t, index) = samples();
    let s = Server::start(&index, &[]);
    let all = s.json("/api/search?sort=newest&histogram=auto&limit=100");
    let n = all["total"].as_u64().expect("total");
    assert!(n >= 14, "{all}");
    let dates: Vec<&str> = all["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    assert!(["year", "month", "day"].contains(&all["interval"].as_str().expect("interval")));
    let some = s.json("/api/search?q=&sort=newest&from=2015&to=2020-12-31");
    let k = some["total"].as_u64().expect("total");
    assert!(k > 0 && k < n, "{k} of {n}");
    for h in some["hits"].as_array().expect("hits") {
        let d = h["date"].as_str().expect("dated");
        assert!(("2015"..="2020-12-31T23:59:59+07:00").contains(&d), "{d}");
    }
    let on = s.json("/api/search?q=&sort=oldest&on=2013");
    assert!(on["total"].as_u64().expect("total") >= 1, "{on}");
}

#[test]
fn bad_parameters_are_400_naming_the_parameter() {
    let (_t, index) = samples();
    let s = Server::start(&index, &[]);
    for (path, param) in [
        ("/api/search?q=x&limit=-1", "limit"),
        ("/api/search?q=x&limit=1000000", "limit"),
        ("/api/search?q=x&offset=ten", "offset"),
        ("/api/search?q=x&sort=best", "sort"),
        ("/api/search?q=x&from=2013-13-01", "from"),
        ("/api/search?q=x&to=yesterday", "to"),
        ("/api/search?q=x&from=2014&to=2013", "from"),
        ("/api/search?q=x&accents=none", "accents"),
        ("/api/search?q=x&histogram=week", "histogram"),
        ("/api/search?q=x&collapse=maybe", "collapse"),
        ("/api/search?q=", "q"),
        ("/api/search", "q"),
        ("/api/search?q=%28%29+%21%21", "q"),
        ("/api/articles/x?accents=no", "accents"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        let v = r.json();
        let e = v["error"].as_str().expect("error");
        assert!(e.starts_with(param), "{path}: {e}");
        assert_eq!(v["parameter"], param, "{path}");
    }
    let long = format!("/api/search?q={}", "a".repeat(3000));
    let r = s.get(&long);
    assert_eq!((r.status, r.json()["parameter"].as_str()), (400, Some("q")));
    // Too long a request line: refused before any work.
    let r = s.get(&format!("/api/search?q={}", "a".repeat(9000)));
    assert_eq!(r.status, 414, "{}", r.text());
    // Odd but harmless input is no error: an unknown parameter, a bad UTF-8 escape.
    assert_eq!(s.get("/api/search?q=vàng&whatever=1").status, 200);
    assert_eq!(s.get("/api/search?q=%FF%FE").status, 400);
}

#[test]
fn articles_by_id_with_slashes_highlights_and_404() {
    let (_t, index) = samples();
    let s = Server::start(&index, &[]);
    let all = s.json("/api/search?q=&sort=newest&limit=100");
    let id = all["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .find(|id| id.contains('/') && id.contains(':'))
        .expect("an id with / and :")
        .to_string();
    let want: Value =
        serde_json::from_str(&tintuc(&index, &["get", "--json", &id])).expect("get json");
    // Encoded as one segment, or with its slashes as they are.
    for path in [
        format!("/api/articles/{}", enc(&id)),
        format!("/api/articles/{}", id.replace(' ', "%20")),
    ] {
        let v = s.json(&path);
        assert_eq!(v["id"], want["id"], "{path}");
        for (k, val) in want.as_object().expect("article") {
            assert_eq!(&v[k], val, "{path}: {k}");
        }
        assert!(v["copies"].is_array());
        assert!(v.get("highlights").is_none());
    }
    // With a query: the words of the title are marked in the title.
    let title = want["title"].as_str().expect("title");
    let word = title.split_whitespace().last().expect("word");
    let v = s.json(&format!("/api/articles/{}?q={}", enc(&id), enc(word)));
    let marks = v["highlights"]["title"]
        .as_array()
        .expect("title highlights");
    assert!(!marks.is_empty(), "{word} not marked in {title}: {v}");
    let chars: Vec<char> = title.chars().collect();
    let [a, b] = [
        marks[0][0].as_u64().expect("a") as usize,
        marks[0][1].as_u64().expect("b") as usize,
    ];
    let got: String = chars[a..b].iter().collect();
    assert_eq!(got.to_lowercase(), word.to_lowercase());
    // Unknown ids are a JSON 404, whatever they look like.
    for path in [
        "/api/articles/nope",
        "/api/articles/https%3A%2F%2Fx.vn%2Fa",
        "/api/articles/a/b/../c",
        "/api/articles/",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.json()["error"].is_string(), "{path}");
    }
}

#[test]
fn syndicated_copies_are_listed() {
    let (_t, index) = index_of(&[&repo("tests/fixtures/search_copies.jsonl")]);
    let s = Server::start(&index, &[]);
    let all = s.json("/api/search?q=&sort=newest&limit=100&collapse=1");
    let with = all["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["duplicates"].as_array().is_some_and(|d| !d.is_empty()))
        .unwrap_or_else(|| panic!("no collapsed copies: {all}"));
    let id = with["id"].as_str().expect("id");
    let v = s.json(&format!("/api/articles/{}", enc(id)));
    let copies: Vec<&str> = v["copies"]
        .as_array()
        .expect("copies")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    for d in with["duplicates"].as_array().expect("dups") {
        assert!(
            copies.contains(&d.as_str().expect("id")),
            "{d} not among {copies:?}"
        );
    }
}

#[test]
fn stats_health_page_and_limits() {
    let (_t, index) = samples();
    let s = Server::start(&index, &[]);
    let cli: Value = serde_json::from_str(&tintuc(&index, &["stats", "--json"])).expect("stats");
    let mut api = s.json("/api/stats");
    // The folder size may differ by tantivy's own bookkeeping between the two reads.
    api["bytes"] = cli["bytes"].clone();
    assert_eq!(api, cli);
    assert_eq!(s.json("/healthz")["status"], "ok");
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("script-src 'self'"))
    );
    assert!(page.text().contains("/app.js"));
    assert_eq!(s.get("/app.js").status, 200);
    // Only the embedded files: no traversal, no file system.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/src/serve/assets/app.js",
        "/etc/passwd",
        "/app.js/..%2f..%2fCargo.toml",
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(!r.text().contains("[package]"), "{path}");
    }
    let r = s.get("/api/nothing");
    assert_eq!(r.status, 404);
    assert!(
        r.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("/api/nothing"))
    );
    // Compression when asked for.
    let r = request(
        &s.addr,
        &format!(
            "GET /app.js HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
            s.addr
        ),
    );
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    // A request with a body larger than the limit is refused.
    let big = "x".repeat(10_000);
    let r = request(
        &s.addr,
        &format!(
            "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{big}",
            big.len()
        ),
    );
    assert!(r.status == 413 || r.status == 405, "{}", r.status);
    // No CORS header unless --cors is given.
    let r = request(
        &s.addr,
        "GET /api/stats HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n",
    );
    assert!(r.header("access-control-allow-origin").is_none());
}

#[test]
fn cors_only_for_the_given_origin() {
    let (_t, index) = samples();
    let s = Server::start(&index, &["--cors", "http://localhost:3000"]);
    let ask = |origin: &str| {
        request(
            &s.addr,
            &format!(
                "GET /api/stats HTTP/1.1\r\nHost: x\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    assert_eq!(
        ask("http://localhost:3000").header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert_eq!(
        ask("http://evil.example").header("access-control-allow-origin"),
        None
    );
}

#[test]
fn commits_and_a_reindex_made_while_serving_become_visible() {
    let (tmp, index) = samples();
    let s = Server::start(&index, &[]);
    let word = "zyxwvutin";
    assert_eq!(s.json(&format!("/api/search?q={word}"))["total"], 0);
    let one = tmp.path().join("one.jsonl");
    std::fs::write(
        &one,
        format!(
            "{{\"id\":\"live-1\",\"title\":\"Tin mới {word}\",\"body\":\"Nội dung {word} một.\"}}\n"
        ),
    )
    .expect("write");
    tintuc(&index, &["ingest", &one.display().to_string()]);
    let v = s.wait_for(&format!("/api/search?q={word}"), 10, |v| v["total"] == 1);
    assert_eq!(v["hits"][0]["id"], "live-1");
    // A reindex swaps the generation; the server follows it: a commit into the new
    // generation shows up (it could not, were the server still on the old one).
    let before = std::fs::read_to_string(index.join("tintuc.json")).expect("meta");
    tintuc(&index, &["reindex", "--json"]);
    assert_ne!(
        before,
        std::fs::read_to_string(index.join("tintuc.json")).expect("meta")
    );
    let two = tmp.path().join("two.jsonl");
    std::fs::write(
        &two,
        format!(
            "{{\"id\":\"live-2\",\"title\":\"Tin sau {word}\",\"body\":\"Nội dung {word} hai.\"}}\n"
        ),
    )
    .expect("write");
    tintuc(&index, &["ingest", &two.display().to_string()]);
    s.wait_for(&format!("/api/search?q={word}"), 10, |v| v["total"] == 2);
    assert_eq!(s.json("/api/articles/live-2")["id"], "live-2");
}

#[test]
fn dev_corpus_facets_add_up() {
    let Some(shared) = serve_support_shared("dev_corpus_facets_add_up") else {
        return;
    };
    let corpus = shared.join("corpus/dev.jsonl.gz");
    let (_t, index) = index_of(&[&corpus]);
    let s = Server::start(&index, &[]);
    for q in [
        "q=vi%E1%BB%87t+nam",
        "q=gi%C3%A1+v%C3%A0ng&accents=loose",
        "q=&sort=newest",
    ] {
        let v = s.json(&format!("/api/search?{q}&facets=5&histogram=auto"));
        let total = v["total"].as_u64().expect("total");
        assert!(total > 0, "{q}: {v}");
        check_facets(&s, q, total, &v["facets"]);
        assert_eq!(
            sum(&v["histogram"]) + v["undated"].as_u64().expect("undated"),
            total,
            "{q}"
        );
    }
}

fn serve_support_shared(test: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("TINTUC_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo("../shared"));
    let corpus = dir.join("corpus/dev.jsonl.gz");
    if corpus.is_file() {
        Some(dir)
    } else {
        eprintln!(
            "skipping {test}: {} is absent (real data lives beside the repo)",
            corpus.display()
        );
        None
    }
}

#[test]
fn the_cache_answers_repeats_and_never_serves_a_stale_answer() {
    let (tmp, index) = samples();
    let s = Server::start(&index, &[]);
    let word = "qwxcachetin";
    let path = format!("/api/search?q={word}&histogram=auto&facets=5");
    let first = s.get(&path);
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("x-tintuc-cache"), Some("miss"));
    assert_eq!(first.json()["total"], 0);
    // The same request spelled otherwise (order, defaults given) is the same entry.
    let again = s.get(&format!(
        "/api/search?facets=5&limit=10&histogram=auto&q={word}"
    ));
    assert_eq!(again.header("x-tintuc-cache"), Some("hit"));
    assert_eq!(again.body, first.body);
    let other = s.get(&format!("/api/search?q={word}&histogram=auto&facets=6"));
    assert_eq!(other.header("x-tintuc-cache"), Some("miss"));
    let stats = s.json("/api/stats");
    assert_eq!(s.get("/api/stats").header("x-tintuc-cache"), Some("hit"));
    let articles = s.json("/healthz")["articles"].as_u64().expect("articles");

    // A commit: once the server shows it anywhere (`/healthz` is never cached), every
    // cached answer made before it is gone.
    let one = tmp.path().join("one.jsonl");
    std::fs::write(
        &one,
        format!("{{\"id\":\"cache-1\",\"title\":\"Tin {word}\",\"body\":\"Nội dung {word}.\"}}\n"),
    )
    .expect("write");
    tintuc(&index, &["ingest", &one.display().to_string()]);
    s.wait_for("/healthz", 10, |v| {
        v["articles"].as_u64() == Some(articles + 1)
    });
    let after = s.get(&path);
    assert_eq!(after.header("x-tintuc-cache"), Some("miss"));
    assert_eq!(after.json()["total"], 1, "a stale answer after the commit");
    assert_eq!(after.json()["hits"][0]["id"], "cache-1");
    assert_eq!(s.get(&path).header("x-tintuc-cache"), Some("hit"));
    let stats_after = s.json("/api/stats");
    assert_ne!(stats_after["articles"], stats["articles"], "{stats_after}");
    assert_eq!(s.json("/api/articles/cache-1")["id"], "cache-1");
    // A delete is seen the same way.
    tintuc(&index, &["delete", "cache-1"]);
    s.wait_for("/healthz", 10, |v| v["articles"].as_u64() == Some(articles));
    assert_eq!(s.json(&path)["total"], 0, "a stale answer after the delete");
    assert_eq!(s.get("/api/articles/cache-1").status, 404);

    // `--cache-mb 0`: no cache, the same answers.
    let off = Server::start(&index, &["--cache-mb", "0"]);
    let r = off.get(&path);
    assert_eq!(r.header("x-tintuc-cache"), None);
    assert_eq!(r.json()["total"], 0);
    assert_eq!(off.get(&path).header("x-tintuc-cache"), None);
}

//! The search page in headless Chromium, driven over WebDriver (Debian's `chromium`
//! and `chromium-driver`), against the real `tintuc serve` on 127.0.0.1.
//!
//! Without the browser the test says why and passes, except under `CI`, where it
//! fails. Screenshots go to `target/screenshots/`.

mod serve_support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use serve_support::{Server, index_of, repo};

/// `name` on the PATH, if there.
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The browser and its driver, or why the test cannot run (a failure under `CI`).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(which);
    let driver = which("chromedriver");
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        (c, d) => {
            let missing: Vec<&str> = [("chromium", c.is_none()), ("chromedriver", d.is_none())]
                .into_iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| n)
                .collect();
            let msg = format!(
                "browser tests need {} on the PATH (Debian: apt-get install chromium chromium-driver)",
                missing.join(" and ")
            );
            if std::env::var_os("CI").is_some() {
                panic!("{msg}; CI is set, so this is a failure");
            }
            eprintln!("skipping the browser tests: {msg}");
            None
        }
    }
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start(chromium: &Path, driver: &Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().expect("profile dir");
    let d = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: profile,
    };
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", d._profile.path().display()),
            ]
        }
    });
    let caps: fantoccini::wd::Capabilities = caps.as_object().expect("object").clone();
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&d.url)
            .await
        {
            Ok(c) => return (d, c),
            Err(e) if Instant::now() < until => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start a browser session: {e}"),
        }
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until `script` returns something truthy, and returns it.
async fn until(c: &Client, what: &str, script: &str) -> Value {
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let v = js(c, script).await;
        let ok = match &v {
            Value::Null | Value::Bool(false) => false,
            Value::String(s) => !s.is_empty(),
            Value::Number(n) => n.as_f64() != Some(0.0),
            _ => true,
        };
        if ok {
            return v;
        }
        if Instant::now() > end {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let status = js(c, "return document.getElementById('status').textContent").await;
            panic!("timed out waiting for {what} at {url} (status: {status})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The total shown by the page (`data-total`), once a new answer is on screen.
async fn total_after(c: &Client, ready_before: &str) -> u64 {
    let script = format!(
        "return document.body.dataset.ready !== '{ready_before}' && !document.body.classList.contains('loading') && document.getElementById('total') ? Number(document.getElementById('total').dataset.total) : null"
    );
    until(c, "a new total", &script)
        .await
        .as_u64()
        .expect("total")
}

async fn ready(c: &Client) -> String {
    js(c, "return document.body.dataset.ready || ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Saves a screenshot and checks it is a PNG of the window's size.
async fn shot(c: &Client, name: &str) -> PathBuf {
    let png = c.screenshot().await.expect("screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name} is not a PNG");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(w >= 300 && h >= 300, "{name}: {w}x{h}");
    let dir = repo("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(name);
    std::fs::write(&path, &png).expect("write screenshot");
    path
}

/// True when the element matched by `css` is on screen and not covered.
async fn visible(c: &Client, css: &str) -> bool {
    let script = format!(
        "const e = document.querySelector({css:?}); if (!e) return false; const r = e.getBoundingClientRect(); if (r.width < 1 || r.height < 1 || r.bottom < 0 || r.top > innerHeight) return false; const at = document.elementFromPoint(r.left + Math.min(r.width / 2, 5), r.top + r.height / 2); return !!at && (at === e || e.contains(at) || at.contains(e));"
    );
    js(c, &script).await == Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_page_in_a_browser() {
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let (_t, index) = index_of(&[
        &repo("samples/articles"),
        &repo("tests/fixtures/serve_hostile.jsonl"),
    ]);
    let server = Server::start(&index, &[]);
    let base = format!("http://{}", server.addr);
    let (_driver, c) = start(&chromium, &driver).await;

    // The archive overview with no query.
    c.goto(&format!("{base}/")).await.expect("open the page");
    until(&c, "the overview", "return !document.getElementById('overview').hidden && document.querySelector('#overview .nums b') ? document.querySelector('#overview .nums b').textContent : ''").await;
    let all = total_after(&c, "").await;
    assert!(all >= 15, "{all}");
    assert!(visible(&c, "#chart svg").await, "the archive's timeline");
    assert!(visible(&c, ".hit").await, "the newest articles");
    shot(&c, "overview.png").await;

    // `/` focuses the box; typing searches (debounced) and marks the words.
    js(&c, "document.activeElement.blur(); return 1").await;
    js(&c, "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true})); return 1").await;
    assert_eq!(js(&c, "return document.activeElement.id").await, "q");
    let before = ready(&c).await;
    c.find(Locator::Css("#q"))
        .await
        .expect("box")
        .send_keys("cà phê")
        .await
        .expect("type");
    let marks = until(&c, "highlighted words", "return document.getElementById('q').value === new URLSearchParams(location.search).get('q') && !document.body.classList.contains('loading') ? Array.from(document.querySelectorAll('.hit mark')).map(m => m.textContent.toLowerCase()).join('|') : ''").await;
    assert!(marks.as_str().is_some_and(|m| m.contains("phê")), "{marks}");
    let n = total_after(&c, &before).await;
    assert!(n >= 1 && n < all, "{n}");
    let typed_ms = js(&c, "return document.body.dataset.typedToResultsMs || null").await;
    let key_ms = js(&c, "return document.body.dataset.keyToResultsMs || null").await;
    eprintln!(
        "first keystroke to results on screen: {typed_ms} ms; last keystroke to results: {key_ms} ms (debounce included)"
    );
    assert!(
        c.current_url()
            .await
            .expect("url")
            .query()
            .is_some_and(|q| q.contains("q="))
    );
    assert!(
        visible(&c, ".hit mark").await,
        "a highlighted word on screen"
    );
    let p = shot(&c, "results.png").await;
    eprintln!("screenshot: {}", p.display());

    // A query typed without accents says how it was understood (accent restoration).
    c.goto(&format!("{base}/?q=ca%20phe"))
        .await
        .expect("plain query");
    let understood = until(
        &c,
        "the restored reading",
        "const e = document.getElementById('restored'); return e ? e.textContent : ''",
    )
    .await;
    assert!(
        understood.as_str().is_some_and(|u| u.contains("cà phê")),
        "{understood}"
    );
    // The restoration switch turns it off, in the URL too.
    let before = ready(&c).await;
    c.find(Locator::Css("#restore"))
        .await
        .expect("restoration switch")
        .click()
        .await
        .expect("click the switch");
    total_after(&c, &before).await;
    assert!(
        c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("restore=0")
    );
    assert_eq!(
        js(&c, "return [!!document.getElementById('restored'), document.getElementById('restore').checked].join('|')").await,
        "false|false",
        "no restored reading with restoration off"
    );

    // A date range changes the count (back to browsing the archive by date).
    c.goto(&format!("{base}/")).await.expect("home");
    let all_again = total_after(&c, "").await;
    let before = ready(&c).await;
    // A date that does not exist is refused where it was typed; the URL stays.
    js(&c, "const f = document.getElementById('from'); f.value = '31/02/2015'; f.dispatchEvent(new Event('change')); return 1").await;
    assert_eq!(
        js(
            &c,
            "return document.getElementById('from').getAttribute('aria-invalid')"
        )
        .await,
        "true"
    );
    assert!(
        !c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("from=")
    );
    // Vietnamese dates are day/month/year, whatever the browser's locale.
    assert_eq!(
        js(&c, "return document.getElementById('from').placeholder").await,
        "dd/mm/yyyy"
    );
    js(&c, "const f = document.getElementById('from'); f.value = '1/1/2015'; f.dispatchEvent(new Event('change')); return 1").await;
    let since = total_after(&c, &before).await;
    assert_eq!(
        js(&c, "return document.getElementById('from').value").await,
        "01/01/2015"
    );
    assert!(since < all_again && since > 0, "{since} of {all_again}");
    assert!(
        c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("from=2015-01-01")
    );

    // Clicking a timeline bar narrows the dates to it.
    let before = ready(&c).await;
    let key = js(&c, "const g = Array.from(document.querySelectorAll('#chart g[data-key]')).find(g => g.getAttribute('tabindex') === '0'); return g ? g.dataset.key : null").await;
    let key = key.as_str().expect("a bar with articles").to_string();
    c.find(Locator::Css(&format!("#chart g[data-key='{key}']")))
        .await
        .expect("bar")
        .click()
        .await
        .expect("click bar");
    let in_bar = total_after(&c, &before).await;
    assert!(in_bar >= 1 && in_bar <= since, "{in_bar} in {key}");
    let url = c.current_url().await.expect("url").to_string();
    assert!(url.contains(&format!("from={key}")), "{url}");
    let dates = js(&c, "return Array.from(document.querySelectorAll('.hit .meta')).map(m => m.textContent).join('|')").await;
    let year = &key[..4];
    assert!(
        dates
            .as_str()
            .is_some_and(|d| d.split('|').all(|m| m.contains(year))),
        "{dates} outside {key}"
    );

    // Dragging across bars narrows the dates to the span of the bars dragged over:
    // from the first bar's first day to the last bar's last day, with the articles of
    // those bars (counted by the API's own histogram).
    c.goto(&format!("{base}/")).await.expect("home");
    let all = total_after(&c, "").await;
    let hist = server.json("/api/search?q=&sort=newest&histogram=auto&limit=0");
    let buckets: Vec<(String, u64)> = hist["histogram"]
        .as_array()
        .expect("histogram")
        .iter()
        .map(|b| {
            (
                b["key"].as_str().expect("key").to_string(),
                b["count"].as_u64().expect("count"),
            )
        })
        .collect();
    // The second through the last-but-one bar with articles (the page draws every
    // bucket, empty ones too; these two are on screen as `g[data-key]`).
    let full: Vec<&(String, u64)> = buckets.iter().filter(|b| b.1 > 0).collect();
    assert!(
        full.len() >= 4,
        "too few dated buckets to drag over: {buckets:?}"
    );
    let (first, last) = (&full[1].0, &full[full.len() - 2].0);
    let want: u64 = buckets
        .iter()
        .filter(|b| &b.0 >= first && &b.0 <= last)
        .map(|b| b.1)
        .sum();
    assert!(want < all);
    let center = |key: &str| {
        format!(
            "const r = document.querySelector(\"#chart g[data-key='{key}'] rect.hit\").getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]"
        )
    };
    let from_xy = js(&c, &center(first)).await;
    let to_xy = js(&c, &center(last)).await;
    let xy = |v: &Value| (v[0].as_f64().expect("x"), v[1].as_f64().expect("y"));
    let ((x0, y0), (x1, y1)) = (xy(&from_xy), xy(&to_xy));
    assert!(x1 > x0 + 10.0, "bars {first} and {last} at {x0} and {x1}");
    let before = ready(&c).await;
    let drag = MouseActions::new("mouse".to_string())
        .then(PointerAction::MoveTo {
            duration: None,
            x: x0,
            y: y0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(150)),
            x: (x0 + x1) / 2.0,
            y: y0,
        })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(150)),
            x: x1,
            y: y1,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    c.perform_actions(drag).await.expect("drag over the bars");
    let dragged = total_after(&c, &before).await;
    assert_eq!(dragged, want, "articles from {first} to {last}");
    let range = js(
        &c,
        "const p = new URLSearchParams(location.search); return [p.get('from'), p.get('to')]",
    )
    .await;
    let bucket_start = |k: &str| match k.len() {
        4 => format!("{k}-01-01"),
        7 => format!("{k}-01"),
        _ => k.to_string(),
    };
    let from_value = range[0].as_str().expect("from").to_string();
    let to_value = range[1].as_str().expect("to").to_string();
    assert_eq!(from_value, bucket_start(first), "{range}");
    assert!(
        to_value.starts_with(last.as_str()),
        "{range} does not end in {last}"
    );
    let url = c.current_url().await.expect("url").to_string();
    assert!(
        url.contains(&format!("from={from_value}")) && url.contains(&format!("to={to_value}")),
        "{url}"
    );
    c.release_actions().await.expect("release");

    // Clicking a facet filters by it, with the count it showed.
    c.goto(&format!("{base}/")).await.expect("home");
    total_after(&c, "").await;
    let before = ready(&c).await;
    let facet = c
        .find(Locator::Css("#facets button[data-facet='source']"))
        .await
        .expect("a source facet");
    let want: u64 = facet
        .find(Locator::Css(".n"))
        .await
        .expect("count")
        .text()
        .await
        .expect("text")
        .replace(['.', ','], "")
        .parse()
        .expect("number");
    let source = facet.attr("data-key").await.expect("attr").expect("key");
    facet.click().await.expect("click facet");
    assert_eq!(total_after(&c, &before).await, want);
    assert!(
        c.current_url()
            .await
            .expect("url")
            .as_str()
            .contains("source=")
    );
    let pressed = js(&c, "const b = document.querySelector(\"#facets button[aria-pressed='true']\"); return b ? b.dataset.key : null").await;
    assert_eq!(pressed.as_str(), Some(source.as_str()));

    // Open an article from a search, then go back.
    c.goto(&format!("{base}/?q=c%C3%A0+ph%C3%AA"))
        .await
        .expect("search");
    total_after(&c, "").await;
    let list_url = c.current_url().await.expect("url").to_string();
    c.find(Locator::Css(".hit a.title"))
        .await
        .expect("a result")
        .click()
        .await
        .expect("open");
    until(&c, "the article", "return !document.getElementById('article').hidden && document.getElementById('abody') ? document.getElementById('abody').textContent : ''").await;
    assert!(c.current_url().await.expect("url").as_str().contains("id="));
    let marked = js(
        &c,
        "return document.querySelectorAll('#article mark').length",
    )
    .await;
    assert!(
        marked.as_u64().unwrap_or(0) >= 1,
        "the query's words in the article"
    );
    assert!(visible(&c, "#atitle").await && visible(&c, "#abody p").await);
    assert!(
        !visible(&c, ".hit").await,
        "the result list is hidden behind the article"
    );
    let p = shot(&c, "article.png").await;
    eprintln!("screenshot: {}", p.display());
    c.back().await.expect("back");
    let before = ready(&c).await;
    let _ = before;
    until(&c, "the list again", "return document.getElementById('article').hidden && document.querySelector('.hit') ? 1 : 0").await;
    assert_eq!(c.current_url().await.expect("url").to_string(), list_url);
    assert_eq!(
        js(&c, "return document.getElementById('q').value").await,
        "cà phê"
    );

    // A shared link restores the whole state.
    c.goto(&format!("{base}/?q=n%C3%B4ng+d%C3%A2n&from=2008-01-01&to=2020-12-31&sort=oldest&accents=loose&restore=0&lang=en")).await.expect("shared link");
    total_after(&c, "").await;
    assert_eq!(js(&c, "return [document.getElementById('q').value, document.getElementById('from').value, document.getElementById('to').value, document.getElementById('sort').value, document.getElementById('loose').checked, document.getElementById('restore').checked, document.documentElement.lang, document.getElementById('from').placeholder].join('|')").await, "nông dân|2008-01-01|2020-12-31|oldest|true|false|en|yyyy-mm-dd");
    assert_eq!(
        js(&c, "return document.getElementById('go').textContent").await,
        "Search"
    );

    // A hostile article: its markup is text, nothing runs.
    c.goto(&format!("{base}/?q=ki%E1%BB%83mth%E1%BB%AD"))
        .await
        .expect("hostile search");
    total_after(&c, "").await;
    let title = js(
        &c,
        "return document.querySelector('.hit a.title').textContent",
    )
    .await;
    assert!(
        title.as_str().is_some_and(|t| t.contains("<script>")),
        "{title}"
    );
    c.goto(&format!("{base}/?id=hostile-1&q=ki%E1%BB%83mth%E1%BB%AD"))
        .await
        .expect("hostile article");
    let body = until(&c, "the hostile body", "return document.getElementById('abody') ? document.getElementById('abody').textContent : ''").await;
    assert!(
        body.as_str()
            .is_some_and(|b| b.contains("<script>window.__pwned=4</script>")
                && b.contains("<img src=x onerror=")),
        "{body}"
    );
    assert_eq!(js(&c, "return document.querySelectorAll('#article img, #article script, #article b, #article i').length").await, 0);
    assert_eq!(js(&c, "return Array.from(document.querySelectorAll('#article a')).filter(a => a.href.startsWith('javascript')).length").await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        js(&c, "return typeof window.__pwned").await,
        "undefined",
        "a script ran"
    );

    // A phone screen: no sideways scrolling, the box and the results on screen.
    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&format!("{base}/?q=c%C3%A0+ph%C3%AA"))
        .await
        .expect("phone");
    total_after(&c, "").await;
    let overflow = js(
        &c,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "sideways scroll of {overflow} px"
    );
    assert!(visible(&c, "#q").await && visible(&c, ".hit a.title").await);
    // The filters wait behind the "Bộ lọc" toggle: the results come first.
    assert!(
        !visible(&c, "#from").await,
        "the filters are collapsed on a phone"
    );
    let hit_top = || {
        js(
            &c,
            "return document.querySelector('.hit').getBoundingClientRect().top",
        )
    };
    let collapsed_top = hit_top().await.as_f64().expect("top");
    let toggle = c
        .find(Locator::Css("#ftoggle"))
        .await
        .expect("the filter toggle");
    assert_eq!(
        toggle.attr("aria-expanded").await.expect("attr").as_deref(),
        Some("false")
    );
    // Keyboard alone: focus the toggle and press Enter.
    js(&c, "document.getElementById('ftoggle').focus(); return 1").await;
    toggle.send_keys("\u{E007}").await.expect("Enter");
    assert_eq!(
        toggle.attr("aria-expanded").await.expect("attr").as_deref(),
        Some("true")
    );
    assert!(visible(&c, "#from").await, "the filters open");
    let open_top = hit_top().await.as_f64().expect("top");
    eprintln!(
        "phone: first result at {collapsed_top} px with the filters collapsed, {open_top} px open"
    );
    assert!(
        collapsed_top + 100.0 < open_top,
        "{collapsed_top} vs {open_top}"
    );
    shot(&c, "filters-phone.png").await;
    toggle.send_keys("\u{E007}").await.expect("Enter");
    assert!(!visible(&c, "#from").await, "the filters close again");
    shot(&c, "results-phone.png").await;
    c.find(Locator::Css(".hit a.title"))
        .await
        .expect("a result")
        .click()
        .await
        .expect("open");
    until(&c, "the article on a phone", "return document.getElementById('abody') && !document.getElementById('article').hidden ? 1 : 0").await;
    // The article starts right under the box: no empty status line in between (it left
    // ~55 px of blank screen above "← Back" on a phone).
    let gap = js(
        &c,
        "return document.querySelector('#article .back').getBoundingClientRect().top - document.getElementById('form').getBoundingClientRect().bottom",
    )
    .await
    .as_f64()
    .expect("gap");
    eprintln!("phone: {gap} px between the search box and the article");
    assert!(gap < 30.0, "{gap} px of blank above the article");
    shot(&c, "article-phone.png").await;

    c.close().await.expect("close the browser");
}

// tintuc search page. The whole state lives in the URL (/?q=...&from=...);
// article text only ever reaches the page through textContent and text nodes.
"use strict";
(function () {
  const T = {
    vi: {
      skip: "Bỏ qua tới nội dung", searchLabel: "Tìm trong kho báo", placeholder: "Tìm trong kho báo…  (phím /)",
      search: "Tìm", helpTitle: "Cú pháp tìm kiếm", helpAll: "— bài có đủ mọi từ", helpPhrase: "— đúng cụm từ",
      helpNot: "— bỏ bài có từ sjc", helpOr: "— một trong hai từ",
      helpField: "— chỉ trong tiêu đề (cũng: lead, body, author, source, category, kicker)",
      helpAccents: "— gõ không dấu tìm mọi dạng có dấu (Đảng ủy); gõ có dấu tìm đúng từ đó",
      from: "Từ ngày", to: "Đến ngày", presets: "Khoảng thời gian", week: "Tuần này", month: "Tháng này",
      year: "Năm nay", decade: "10 năm", anytime: "Mọi lúc", sort: "Xếp theo", relevance: "Liên quan nhất",
      newest: "Mới nhất", oldest: "Cũ nhất", loose: "Bỏ qua dấu", collapse: "Gộp bài đăng lại",
      timeline: "Dòng thời gian", timelineHint: "Bấm hoặc kéo qua các cột để thu hẹp khoảng thời gian.",
      facets: "Bộ lọc", foot: "tintuc — tìm kiếm toàn văn kho báo tiếng Việt, chạy trên máy này.",
      source: "Nguồn", category: "Chuyên mục", articles: "bài", article1: "bài", found: "{n} bài", found1: "{n} bài", took: "{ms} ms",
      shown: "{a}–{b} / {n}", prev: "← Trang trước", next: "Trang sau →", loading: "Đang tìm",
      none: "Không tìm thấy bài nào có đủ các từ “{q}”.",
      noneTips: ["Kiểm tra chính tả, hoặc gõ không dấu để tìm mọi dạng có dấu.", "Bỏ bớt từ hoặc bộ lọc (ngày, nguồn, chuyên mục).", "Bật “Bỏ qua dấu”."],
      noneBrowse: "Không có bài nào trong khoảng đã chọn.",
      relaxed: "Không bài nào có đủ {of} từ; đang hiện các bài có {m} trong {of} từ.",
      restored: "Hiểu là: {q}", suggest: "Có phải bạn muốn tìm:",
      error: "Lỗi: {e}", netError: "Không kết nối được máy chủ tintuc.",
      archive: "Kho báo", dateRange: "Từ {a} đến {b}", sources: "nguồn", newestList: "Bài mới nhất",
      undated: "{n} bài không rõ ngày", similar: "+{n} bài tương tự", noTitle: "(không có tiêu đề)",
      noDate: "không rõ ngày", back: "← Quay lại", original: "Xem bài gốc", by: "Tác giả", copies: "Cùng nội dung ở nơi khác",
      notFound: "Không có bài này trong kho.", emptyIndex: "Kho còn trống: chạy tintuc ingest để thêm bài.",
      clear: "Bỏ lọc", bar: "{k}: {n} bài", browse: "Tất cả các bài, {s}", lang: "English", langCode: "en",
      filterDates: "Ngày: {a} – {b}", chipSource: "Nguồn: {v}", chipCategory: "Chuyên mục: {v}",
      restore: "Tự thêm dấu", datePh: "dd/mm/yyyy", dateFormat: "Ngày dạng ngày/tháng/năm, ví dụ 16/06/2013",
      badDate: "Ngày “{v}” không hợp lệ: gõ dạng ngày/tháng/năm, ví dụ 16/06/2013.",
    },
    en: {
      skip: "Skip to content", searchLabel: "Search the archive", placeholder: "Search the archive…  (press /)",
      search: "Search", helpTitle: "Query syntax", helpAll: "— articles with every word", helpPhrase: "— the exact phrase",
      helpNot: "— leave out articles with sjc", helpOr: "— either word",
      helpField: "— only in titles (also: lead, body, author, source, category, kicker)",
      helpAccents: "— typed without accents finds every accented form (Đảng ủy); with accents, exactly that word",
      from: "From", to: "To", presets: "Time range", week: "This week", month: "This month", year: "This year",
      decade: "10 years", anytime: "Any time", sort: "Sort by", relevance: "Relevance", newest: "Newest",
      oldest: "Oldest", loose: "Ignore accents", collapse: "Fold syndicated copies", timeline: "Timeline",
      timelineHint: "Click or drag over the bars to narrow the dates.", facets: "Filters",
      foot: "tintuc — full-text search of Vietnamese news archives, running on this machine.",
      source: "Source", category: "Category", articles: "articles", article1: "article", found: "{n} articles", found1: "{n} article",
      took: "{ms} ms", shown: "{a}–{b} of {n}", prev: "← Previous", next: "Next →", loading: "Searching",
      none: "No article has all the words “{q}”.",
      noneTips: ["Check the spelling, or type without accents to match every accented form.", "Remove words or filters (dates, source, category).", "Turn on “Ignore accents”."],
      noneBrowse: "No article in the chosen range.",
      relaxed: "No article has all {of} words; showing those with {m} of the {of}.",
      restored: "Understood as: {q}", suggest: "Did you mean:",
      error: "Error: {e}", netError: "Cannot reach the tintuc server.",
      archive: "Archive", dateRange: "From {a} to {b}", sources: "sources", newestList: "Newest articles",
      undated: "{n} undated articles", similar: "+{n} similar", noTitle: "(no title)", noDate: "no date",
      back: "← Back", original: "Original article", by: "By", copies: "The same story elsewhere",
      notFound: "No such article in the archive.", emptyIndex: "The archive is empty: run tintuc ingest to add articles.",
      clear: "Clear", bar: "{k}: {n} articles", browse: "All articles, {s}", lang: "Tiếng Việt", langCode: "vi",
      filterDates: "Dates: {a} – {b}", chipSource: "Source: {v}", chipCategory: "Category: {v}",
      restore: "Restore accents", datePh: "yyyy-mm-dd", dateFormat: "Dates as year-month-day, e.g. 2013-06-16",
      badDate: "“{v}” is not a date: type year-month-day, e.g. 2013-06-16.",
    },
  };
  const PAGE = 20;
  const DEBOUNCE_MS = 120; // pause in typing that starts a search
  const KEYS = ["q", "from", "to", "sort", "accents", "collapse", "restore", "source", "category", "offset", "id", "lang"];
  const $ = (id) => document.getElementById(id);
  let lang = "vi";
  let state = {};
  let seq = 0; // answers to older requests are dropped
  let typedAt = 0; // first keystroke of a search being typed
  let lastKeyAt = 0; // its last keystroke

  function t(key, vars) {
    let s = (T[lang] && T[lang][key]) || T.vi[key] || key;
    if (vars) for (const k in vars) s = s.split("{" + k + "}").join(String(vars[k]));
    return s;
  }
  // A corrected query the server proposes: shown, searched only when clicked.
  function suggestion(q) {
    return el("span", { class: "note", id: "suggestion" }, t("suggest") + " ",
      el("a", { href: urlOf({ q }), onclick: (e) => { e.preventDefault(); go({ q, offset: undefined, id: undefined }); }, text: q }));
  }
  function num(n) { return Number(n).toLocaleString(lang === "vi" ? "vi-VN" : "en-US"); }
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) {
      const v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of kids) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // --- state <-> URL ---------------------------------------------------------
  function readUrl() {
    const p = new URLSearchParams(location.search);
    const s = {};
    for (const k of KEYS) { const v = p.get(k); if (v !== null && v !== "") s[k] = v; }
    return s;
  }
  function urlOf(s) {
    const p = new URLSearchParams();
    for (const k of KEYS) if (s[k] !== undefined && s[k] !== "") p.set(k, s[k]);
    const qs = p.toString();
    return "/" + (qs ? "?" + qs : "");
  }
  function go(changes, replace, hstate) {
    const next = Object.assign({}, state, changes);
    for (const k in next) if (next[k] === undefined || next[k] === "" || next[k] === null) delete next[k];
    const url = urlOf(next);
    if (url !== location.pathname + location.search) {
      if (replace) history.replaceState(hstate || null, "", url); else history.pushState(hstate || null, "", url);
    }
    state = next;
    render();
  }
  function searchParams(s, extra) {
    const p = new URLSearchParams();
    for (const k of ["q", "from", "to", "sort", "accents", "collapse", "restore", "source", "category", "offset"])
      if (s[k]) p.set(k, s[k]);
    for (const k in extra) p.set(k, extra[k]);
    return p.toString();
  }

  // --- dates -----------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, "0");
  const iso = (d) => d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  function showDate(s, withTime) {
    // "2013-06-16T20:09:00+07:00": shown as printed, in the publisher's offset.
    if (!s) return t("noDate");
    const m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d))?/.exec(s);
    if (!m) return s;
    const day = lang === "vi" ? m[3] + "/" + m[2] + "/" + m[1] : m[1] + "-" + m[2] + "-" + m[3];
    if (!withTime || !m[4]) return day;
    const off = s.slice(19).replace(/^([+-]\d\d):?(\d\d)$/, (_, h, mm) => "GMT" + (mm === "00" ? h.replace(/^([+-])0/, "$1") : h + ":" + mm));
    return m[4] + ":" + m[5] + ", " + day + (off ? " (" + off + ")" : "");
  }
  function showDay(v) { return v ? showDate(v) : "…"; }
  // The date inputs are text, in the page's language whatever the browser's locale:
  // dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English; either form (and d/m/yyyy,
  // dd-mm-yyyy, dd.mm.yyyy) is read in both. The URL keeps yyyy-mm-dd.
  function inputDate(v) {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(v || "");
    if (!m) return v || "";
    return lang === "vi" ? m[3] + "/" + m[2] + "/" + m[1] : v;
  }
  function parseInputDate(text) {
    const v = text.trim();
    if (!v) return "";
    let y, mo, d, m;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v))) [y, mo, d] = [m[1], m[2], m[3]];
    else if ((m = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec(v))) [d, mo, y] = [m[1], m[2], m[3]];
    else return null;
    const date = new Date(Number(y), Number(mo) - 1, Number(d));
    if (date.getFullYear() !== Number(y) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d)) return null;
    return iso(date);
  }
  function bucketRange(key) {
    // "2013" | "2013-06" | "2013-06-16" -> [first day, last day]
    const [y, m, d] = key.split("-").map(Number);
    if (d) return [key, key];
    if (m) return [y + "-" + pad(m) + "-01", iso(new Date(y, m, 0))];
    return [y + "-01-01", y + "-12-31"];
  }
  function preset(name) {
    const now = new Date();
    const today = iso(now);
    if (name === "week") { const d = new Date(now); d.setDate(d.getDate() - ((d.getDay() + 6) % 7)); return [iso(d), today]; }
    if (name === "month") return [iso(new Date(now.getFullYear(), now.getMonth(), 1)), today];
    if (name === "year") return [now.getFullYear() + "-01-01", today];
    if (name === "decade") { const d = new Date(now); d.setFullYear(d.getFullYear() - 10); return [iso(d), today]; }
    return [undefined, undefined];
  }
  function fillBuckets(h, interval) {
    // Every bucket from the first to the last, empty ones included (at most 400).
    if (!h.length) return [];
    const counts = new Map(h.map((b) => [b.key, b.count]));
    const out = [];
    const first = h[0].key, last = h[h.length - 1].key;
    let [y, m, d] = first.split("-").map(Number);
    for (let i = 0; i < 400; i++) {
      const key = interval === "year" ? String(y) : interval === "month" ? y + "-" + pad(m) : y + "-" + pad(m) + "-" + pad(d);
      out.push({ key, count: counts.get(key) || 0 });
      if (key >= last) return out;
      if (interval === "year") y++;
      else if (interval === "month") { m++; if (m > 12) { m = 1; y++; } }
      else { const n = new Date(y, m - 1, d + 1); y = n.getFullYear(); m = n.getMonth() + 1; d = n.getDate(); }
    }
    return h; // too many: only the non-empty ones
  }

  // --- highlighting (offsets are in Unicode code points) ----------------------
  function marked(text, ranges) {
    const frag = document.createDocumentFragment();
    const cps = Array.from(text || "");
    let at = 0;
    for (const [a, b] of ranges || []) {
      if (a < at || b > cps.length || a >= b) continue;
      if (a > at) frag.append(document.createTextNode(cps.slice(at, a).join("")));
      frag.append(el("mark", { text: cps.slice(a, b).join("") }));
      at = b;
    }
    if (at < cps.length) frag.append(document.createTextNode(cps.slice(at).join("")));
    return frag;
  }
  function paragraphs(text, ranges) {
    // The body with its highlights, one <p> per line.
    const out = [];
    const cps = Array.from(text || "");
    let start = 0;
    const rs = (ranges || []).slice();
    for (let i = 0; i <= cps.length; i++) {
      if (i === cps.length || cps[i] === "\n") {
        const mine = rs.filter(([a, b]) => a >= start && b <= i).map(([a, b]) => [a - start, b - start]);
        const line = cps.slice(start, i).join("");
        if (line.trim()) out.push(el("p", null, marked(line, mine)));
        start = i + 1;
      }
    }
    return out;
  }

  // --- fetching --------------------------------------------------------------
  async function api(path) {
    let res;
    try { res = await fetch(path, { headers: { Accept: "application/json" } }); }
    catch (e) { throw new Error(t("netError")); }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const err = new Error((body && body.error) || res.status + " " + res.statusText);
      err.status = res.status;
      throw err;
    }
    return body;
  }
  function setStatus(parts, isError) {
    const s = clear($("status"));
    s.classList.toggle("error", !!isError);
    for (const p of parts) s.append(p);
  }

  // --- rendering -------------------------------------------------------------
  function applyLang() {
    document.documentElement.lang = lang;
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
    for (const e of document.querySelectorAll("[data-ta]")) e.setAttribute("aria-label", t(e.dataset.ta));
    for (const e of document.querySelectorAll("[data-tp]")) e.placeholder = t(e.dataset.tp);
    const b = $("lang");
    b.textContent = t("lang");
    b.lang = t("langCode");
    document.title = (state.q ? state.q + " — " : "") + "tintuc";
  }
  function syncControls() {
    const q = $("q");
    if (document.activeElement !== q || q.value.trim() !== (state.q || "").trim()) q.value = state.q || "";
    for (const k of ["from", "to"]) { const e = $(k); e.value = inputDate(state[k]); e.removeAttribute("aria-invalid"); }
    $("sort").value = state.sort || (state.q ? "relevance" : "newest");
    $("loose").checked = state.accents === "loose";
    $("collapse").checked = state.collapse === "1";
    $("restore").checked = state.restore !== "0";
    const active = ["from", "to", "source", "category", "accents", "collapse", "restore"].filter((k) => state[k]).length
      + (state.sort && state.sort !== "relevance" && state.q ? 1 : 0);
    $("fcount").textContent = active ? "(" + active + ")" : "";
    const chips = clear($("chips"));
    const chip = (label, changes) => chips.append(el("button", { type: "button", class: "chip", text: label, title: t("clear"), onclick: () => go(Object.assign({ offset: undefined }, changes)) }));
    if (state.from || state.to) chip(t("filterDates", { a: showDay(state.from), b: showDay(state.to) }), { from: undefined, to: undefined });
    if (state.source) chip(t("chipSource", { v: state.source }), { source: undefined });
    if (state.category) chip(t("chipCategory", { v: state.category }), { category: undefined });
  }

  function render() {
    applyLang();
    syncControls();
    $("filters").hidden = !!state.id;
    $("ftoggle").hidden = !!state.id;
    $("help").hidden = !!state.id;
    document.body.classList.toggle("reading", !!state.id);
    const my = ++seq;
    if (state.id) return renderArticle(my);
    return renderSearch(my);
  }

  async function renderSearch(my) {
    $("article").hidden = true;
    $("layout").hidden = false;
    const browsing = !(state.q || "").trim();
    const filtered = state.from || state.to || state.source || state.category;
    document.body.classList.add("loading");
    setStatus([t("loading")]);
    const sort = browsing ? (state.sort === "oldest" ? "oldest" : "newest") : (state.sort || "relevance");
    const query = searchParams(Object.assign({}, state, { sort }), { limit: PAGE, histogram: "auto", facets: 12 });
    let r, stats = null;
    try {
      [r, stats] = await Promise.all([api("/api/search?" + query), browsing && !filtered ? api("/api/stats") : null]);
    } catch (e) {
      if (my !== seq) return;
      document.body.classList.remove("loading");
      setStatus([t("error", { e: e.message })], true);
      clear($("results")); clear($("facets")); $("timeline").hidden = true; $("overview").hidden = true;
      return;
    }
    if (my !== seq) return;
    document.body.classList.remove("loading");
    renderOverview(stats, r);
    renderTimeline(r);
    renderFacets(r);
    renderResults(r, browsing, sort);
    // For the browser test: from the first and from the last keystroke to the results on screen.
    if (typedAt) { document.body.dataset.typedToResultsMs = String(Math.round(performance.now() - typedAt)); typedAt = 0; }
    if (lastKeyAt) { document.body.dataset.keyToResultsMs = String(Math.round(performance.now() - lastKeyAt)); lastKeyAt = 0; }
    document.body.dataset.ready = String(my);
  }

  function renderOverview(stats, r) {
    const o = clear($("overview"));
    o.hidden = !stats;
    if (!stats) return;
    const nSources = Object.keys(stats.sources || {}).length;
    const nums = el("p", { class: "nums" },
      el("span", null, el("b", { text: num(stats.articles) }), t("articles")),
      el("span", null, el("b", { text: num(nSources) }), t("sources")));
    if (stats.date_min && stats.date_max)
      nums.append(el("span", null, el("b", { text: stats.date_min.slice(0, 4) + "–" + stats.date_max.slice(0, 4) }),
        t("dateRange", { a: showDate(stats.date_min), b: showDate(stats.date_max) })));
    if (r.undated) nums.append(el("span", null, el("b", { text: num(r.undated) }), t("undated", { n: "" }).trim()));
    o.append(el("h2", { text: t("archive") }), nums);
    if (!stats.articles) o.append(el("p", { class: "empty", text: t("emptyIndex") }));
  }

  function renderTimeline(r) {
    const box = $("timeline");
    const chart = clear($("chart"));
    const h = r.histogram || [];
    box.hidden = !h.length;
    if (!h.length) return;
    const buckets = fillBuckets(h, r.interval || "year");
    const max = Math.max(1, ...buckets.map((b) => b.count));
    const W = 1000, H = 100, top = 4, base = 100, n = buckets.length, w = W / Math.max(n, 24);
    const x0 = (W - n * w) / 2;
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", t("timeline"));
    const sel = state.from || state.to ? [state.from || "0000", state.to || "9999"] : null;
    let dragFrom = null;
    const choose = (i, j) => {
      const a = Math.min(i, j), b = Math.max(i, j);
      go({ from: bucketRange(buckets[a].key)[0], to: bucketRange(buckets[b].key)[1], offset: undefined });
    };
    buckets.forEach((b, i) => {
      const g = document.createElementNS(NS, "g");
      const hgt = b.count ? Math.max(2, (b.count / max) * (base - top)) : 0;
      const hit = document.createElementNS(NS, "rect");
      hit.setAttribute("class", "hit");
      hit.setAttribute("x", x0 + i * w); hit.setAttribute("y", 0); hit.setAttribute("width", w); hit.setAttribute("height", base);
      const bar = document.createElementNS(NS, "rect");
      const [a, z] = bucketRange(b.key);
      bar.setAttribute("class", "bar" + (sel && a >= sel[0] && z <= sel[1] ? " sel" : ""));
      bar.setAttribute("x", x0 + i * w + Math.min(1, w * 0.1)); bar.setAttribute("width", Math.max(0.5, w - Math.min(2, w * 0.2)));
      bar.setAttribute("y", base - hgt); bar.setAttribute("height", hgt);
      bar.dataset.key = b.key;
      const title = document.createElementNS(NS, "title");
      title.textContent = t("bar", { k: b.key, n: num(b.count) });
      g.append(title, hit, bar);
      g.setAttribute("tabindex", b.count ? "0" : "-1");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", t("bar", { k: b.key, n: num(b.count) }));
      g.dataset.key = b.key;
      g.dataset.i = i;
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(i, i); } });
      svg.append(g);
    });
    // Labels (HTML, so the stretched chart does not squash them): about six.
    const ticks = el("div", { class: "ticks", "aria-hidden": "true" });
    const step = Math.max(1, Math.ceil(n / (innerWidth < 600 ? 3 : 6)));
    for (let i = 0; i < n; i += step) {
      const tick = el("span", { text: buckets[i].key });
      tick.style.left = ((x0 + i * w) / W) * 100 + "%"; // CSSOM: allowed by the page's CSP
      ticks.append(tick);
    }
    const index = (e) => {
      const g = e.target.closest && e.target.closest("g[data-i]");
      if (g) return Number(g.dataset.i);
      const rect = svg.getBoundingClientRect();
      const x = ((e.clientX - rect.left) / rect.width) * W;
      return Math.max(0, Math.min(n - 1, Math.floor((x - x0) / w)));
    };
    svg.addEventListener("pointerdown", (e) => { dragFrom = index(e); svg.setPointerCapture && svg.setPointerCapture(e.pointerId); });
    svg.addEventListener("pointermove", (e) => {
      if (dragFrom === null) return;
      const i = index(e), a = Math.min(i, dragFrom), b = Math.max(i, dragFrom);
      for (const bar of svg.querySelectorAll("rect.bar")) {
        const k = Number(bar.parentNode.dataset.i);
        bar.classList.toggle("sel", k >= a && k <= b);
      }
    });
    svg.addEventListener("pointerup", (e) => { if (dragFrom === null) return; const i = index(e); const f = dragFrom; dragFrom = null; choose(f, i); });
    svg.addEventListener("pointercancel", () => { dragFrom = null; });
    chart.append(svg, ticks);
  }

  function renderFacets(r) {
    const box = clear($("facets"));
    const f = r.facets || { source: [], category: [] };
    for (const field of ["source", "category"]) {
      const list = f[field] || [];
      if (!list.length && !state[field]) continue;
      const ul = el("ul");
      for (const b of list) {
        const on = state[field] === b.key;
        ul.append(el("li", null, el("button", {
          type: "button", "aria-pressed": on ? "true" : "false", "data-facet": field, "data-key": b.key,
          onclick: () => go({ [field]: on ? undefined : b.key, offset: undefined }),
        }, el("span", { text: b.key }), el("span", { class: "n", text: num(b.count) }))));
      }
      box.append(el("section", null, el("h3", { text: t(field) }), ul));
    }
  }

  function renderResults(r, browsing, sort) {
    const box = clear($("results"));
    const offset = Number(state.offset || 0);
    const status = [];
    if (r.total === 0) {
      setStatus([t("found", { n: 0 }) + " · " + t("took", { ms: r.took_ms.toFixed(1) })]);
      const empty = el("div", { class: "empty", id: "zero" });
      if (browsing) empty.append(el("p", { text: t("noneBrowse") }));
      else {
        empty.append(el("p", { text: t("none", { q: r.query }) }));
        if (r.suggestion) empty.append(suggestion(r.suggestion));
        const ul = el("ul");
        for (const tip of T[lang].noneTips) ul.append(el("li", { text: tip }));
        empty.append(ul);
      }
      box.append(empty);
      return;
    }
    const found = t(r.total === 1 ? "found1" : "found", { n: num(r.total) });
    const head = browsing ? t("browse", { s: t(sort) }) + " · " + found : found;
    status.push(el("span", { id: "total", "data-total": r.total, text: head + " · " + t("took", { ms: r.took_ms.toFixed(1) }) }));
    if (r.restored) status.push(el("span", { class: "note", id: "restored", text: t("restored", { q: r.restored }) }));
    if (r.relaxed) status.push(el("span", { class: "note", id: "relaxed", text: t("relaxed", { m: r.matched_words, of: r.query_words }) }));
    if (r.suggestion) status.push(suggestion(r.suggestion));
    for (const w of r.warnings || []) status.push(el("span", { class: "note", text: w }));
    setStatus(status);
    const ol = el("ol", { start: offset + 1 });
    for (const h of r.hits) ol.append(hitItem(h));
    box.append(ol);
    const shownEnd = offset + r.hits.length;
    const pager = el("nav", { class: "pager", "aria-label": "pages" },
      el("button", { type: "button", id: "prev", disabled: offset === 0, text: t("prev"), onclick: () => go({ offset: Math.max(0, offset - PAGE) || undefined }) }),
      el("span", { text: t("shown", { a: num(offset + 1), b: num(shownEnd), n: num(r.total) }) }),
      el("button", { type: "button", id: "next", disabled: shownEnd >= r.total || r.hits.length < PAGE, text: t("next"), onclick: () => { go({ offset: offset + PAGE }); window.scrollTo(0, 0); } }));
    box.append(pager);
  }

  function articleUrl(id) {
    return urlOf({ id, q: state.q, accents: state.accents, lang: state.lang });
  }
  function openArticle(e, id) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go({ id }, false, { fromList: true });
    window.scrollTo(0, 0);
  }

  function hitItem(h) {
    const title = h.title && h.title.trim() ? marked(h.title, h.title_highlights) : document.createTextNode(t("noTitle"));
    const link = el("a", { href: articleUrl(h.id), class: "title", onclick: (e) => openArticle(e, h.id) }, title);
    const meta = [showDate(h.date)];
    if (h.source) meta.push(h.source);
    const li = el("li", { class: "hit", "data-id": h.id }, el("h3", null, link), el("p", { class: "meta", text: meta.join(" · ") }));
    if (h.duplicates && h.duplicates.length) li.querySelector(".meta").append(" · " + t("similar", { n: h.duplicates.length }));
    if (h.snippet) li.append(el("p", { class: "snippet" }, marked(h.snippet, h.highlights)));
    return li;
  }

  async function renderArticle(my) {
    $("layout").hidden = true;
    $("timeline").hidden = true;
    $("overview").hidden = true;
    const box = $("article");
    document.body.classList.add("loading");
    setStatus([t("loading")]);
    const p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    if (state.accents) p.set("accents", state.accents);
    let a;
    try {
      a = await api("/api/articles/" + encodeURIComponent(state.id) + (p.toString() ? "?" + p : ""));
    } catch (e) {
      if (my !== seq) return;
      document.body.classList.remove("loading");
      clear(box).hidden = false;
      box.append(backButton());
      setStatus([e.status === 404 ? t("notFound") : t("error", { e: e.message })], true);
      return;
    }
    if (my !== seq) return;
    document.body.classList.remove("loading");
    setStatus([]);
    clear(box).hidden = false;
    const hl = a.highlights || {};
    box.append(backButton());
    if (a.kicker) box.append(el("p", { class: "kicker" }, marked(a.kicker, hl.kicker)));
    box.append(el("h1", { id: "atitle" }, a.title ? marked(a.title, hl.title) : t("noTitle")));
    const meta = [showDate(a.date, true), a.source, a.category].filter(Boolean);
    const metaP = el("p", { class: "meta", text: meta.join(" · ") });
    const authors = a.authors && a.authors.length ? a.authors.join(", ") : a.author;
    if (authors) metaP.append(el("br"), t("by") + ": " + authors);
    if (a.credit) metaP.append(" · " + a.credit);
    box.append(metaP);
    if (a.lead) box.append(el("p", { class: "lead" }, marked(a.lead, hl.lead)));
    box.append(el("div", { class: "body", id: "abody" }, ...paragraphs(a.body, hl.body)));
    if (a.url && /^https?:\/\//i.test(a.url))
      box.append(el("p", { class: "orig" }, el("a", { href: a.url, rel: "noopener noreferrer nofollow", target: "_blank", text: t("original") + ": " + a.url })));
    if (a.copies && a.copies.length) {
      const ul = el("ul");
      for (const c of a.copies) {
        const label = (c.title || c.id) + " — " + [c.source, showDate(c.date)].filter(Boolean).join(" · ");
        ul.append(el("li", null, el("a", { href: articleUrl(c.id), onclick: (e) => openArticle(e, c.id), text: label })));
      }
      box.append(el("section", { class: "copies" }, el("h2", { text: t("copies") }), ul));
    }
    document.title = (a.title || a.id) + " — tintuc";
    document.body.dataset.ready = String(my);
  }
  function backButton() {
    return el("button", { type: "button", class: "back", id: "back", text: t("back"), onclick: leaveArticle });
  }

  function leaveArticle() {
    if (history.state && history.state.fromList) history.back(); else go({ id: undefined });
  }

  // --- events ----------------------------------------------------------------
  let timer = null;
  function init() {
    state = readUrl();
    lang = state.lang || (localStorage.getItem("tintuc.lang") === "en" ? "en" : "vi");
    if (state.lang) localStorage.setItem("tintuc.lang", state.lang);
    const q = $("q");
    q.addEventListener("input", () => {
      typedAt = typedAt || performance.now();
      lastKeyAt = performance.now();
      clearTimeout(timer);
      timer = setTimeout(() => {
        const v = q.value.trim();
        if (v === (state.q || "")) return;
        // The first keystroke from the overview is a new history entry; the rest replace it.
        go({ q: v || undefined, offset: undefined, id: undefined }, !!state.q);
      }, DEBOUNCE_MS);
    });
    $("form").addEventListener("submit", (e) => {
      e.preventDefault();
      clearTimeout(timer);
      typedAt = typedAt || performance.now();
      const v = q.value.trim();
      if (v === (state.q || "") && !state.id) { render(); return; }
      go({ q: v || undefined, offset: undefined, id: undefined });
    });
    for (const k of ["from", "to"]) $(k).addEventListener("change", (e) => {
      const v = parseInputDate(e.target.value);
      if (v === null) {
        e.target.setAttribute("aria-invalid", "true");
        setStatus([t("badDate", { v: e.target.value.trim() })], true);
        return;
      }
      go({ [k]: v || undefined, offset: undefined });
    });
    $("restore").addEventListener("change", (e) => go({ restore: e.target.checked ? undefined : "0", offset: undefined }));
    $("ftoggle").addEventListener("click", () => {
      const open = !document.body.classList.contains("filters-open");
      document.body.classList.toggle("filters-open", open);
      $("ftoggle").setAttribute("aria-expanded", String(open));
    });
    $("sort").addEventListener("change", (e) => go({ sort: e.target.value === "relevance" && state.q ? undefined : e.target.value, offset: undefined }));
    $("loose").addEventListener("change", (e) => go({ accents: e.target.checked ? "loose" : undefined, offset: undefined }));
    $("collapse").addEventListener("change", (e) => go({ collapse: e.target.checked ? "1" : undefined, offset: undefined }));
    for (const b of document.querySelectorAll("[data-preset]"))
      b.addEventListener("click", () => { const [from, to] = preset(b.dataset.preset); go({ from, to, offset: undefined }); });
    $("lang").addEventListener("click", () => {
      lang = lang === "vi" ? "en" : "vi";
      localStorage.setItem("tintuc.lang", lang);
      go({ lang: lang === "en" ? "en" : undefined }, true);
    });
    $("home").addEventListener("click", (e) => { e.preventDefault(); go({ q: undefined, from: undefined, to: undefined, source: undefined, category: undefined, offset: undefined, id: undefined, sort: undefined }); });
    document.addEventListener("keydown", (e) => {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
      if (e.key === "/" && !typing) { e.preventDefault(); q.focus(); q.select(); }
      else if (e.key === "Escape" && state.id && !typing) leaveArticle();
      else if (e.key === "Escape" && document.activeElement === q && q.value) { q.value = ""; }
    });
    window.addEventListener("popstate", () => { state = readUrl(); render(); });
    render();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

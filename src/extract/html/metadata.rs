//! Metadata: title, author, date, category, language and canonical URL, from JSON-LD,
//! `<meta>` tags, microdata and the visible page, in that order of trust.

use serde_json::Value;

use super::content::{Content, norm};
use super::dom::{Dom, Tag};
use crate::extract::byline::{Byline, parse_byline};

/// What JSON-LD says about the article.
#[derive(Debug, Default, Clone)]
pub(crate) struct JsonLd {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub section: Option<String>,
    pub body: Option<String>,
    pub language: Option<String>,
    pub breadcrumbs: Vec<String>,
    pub site_name: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "article",
    "newsarticle",
    "blogposting",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "livablogposting",
    "liveblogposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "review",
    "backgroundnewsarticle",
    "socialmediaposting",
    "posting",
    "webpage",
    "itempage",
    "medicalwebpage",
    "creativework",
    "recipe",
    "howto",
    "aboutpage",
    "collectionpage",
    "discussionforumposting",
    "qapage",
    "faqpage",
];

fn types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.to_ascii_lowercase()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(|s| s.to_ascii_lowercase()))
            .collect(),
        _ => Vec::new(),
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(o) => str_of(o.get("name")).or_else(|| str_of(o.get("@value"))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Names of the objects a JSON-LD value references by `@id` (Yoast's `@graph`:
/// `"author": {"@id": "…#/schema/person/…"}` and the person apart).
fn names_by_id(objs: &[&Value]) -> std::collections::HashMap<String, String> {
    objs.iter()
        .filter_map(|o| Some((str_of(o.get("@id"))?, str_of(o.get("name"))?)))
        .collect()
}

/// Like [`names_of`], resolving objects that only give an `@id`.
fn names_resolved(
    v: Option<&Value>,
    ids: &std::collections::HashMap<String, String>,
    out: &mut Vec<String>,
) {
    let before = out.len();
    names_of(v, out);
    if out.len() > before {
        return;
    }
    let refs: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    };
    for r in refs {
        if let Some(n) = str_of(r.get("@id")).and_then(|id| ids.get(&id)) {
            out.push(html_unescape(n));
        }
    }
}

fn names_of(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::String(s)) => {
            // `NH&#7852;T XUÂN`: entities first, so their `;` splits nothing.
            let s = html_unescape(s);
            for part in s.split([',', ';']) {
                let p = part.trim();
                if !p.is_empty() {
                    out.push(p.to_string());
                }
            }
        }
        Some(Value::Array(a)) => a.iter().for_each(|x| names_of(Some(x), out)),
        Some(Value::Object(o)) => {
            if let Some(n) = str_of(o.get("name")) {
                out.push(html_unescape(&n));
            }
        }
        _ => {}
    }
}

/// Walks objects in a JSON-LD value (arrays, `@graph`), depth-limited.
fn objects<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 6 || out.len() > 200 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| objects(x, depth + 1, out)),
        Value::Object(o) => {
            out.push(v);
            if let Some(g) = o.get("@graph") {
                objects(g, depth + 1, out);
            }
            if let Some(m) = o.get("mainEntity").or_else(|| o.get("mainEntityOfPage"))
                && m.is_object()
                && m.get("@type").is_some()
            {
                objects(m, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn parse_json(s: &str) -> Option<Value> {
    let t = s.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t).trim();
    let t = t.strip_prefix("//<![CDATA[").unwrap_or(t);
    let t = t
        .strip_suffix("//]]>")
        .unwrap_or(t)
        .trim()
        .trim_end_matches(';');
    serde_json::from_str(t).ok().or_else(|| {
        // Raw control characters inside strings are a common fault.
        let cleaned: String = t
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

impl JsonLd {
    /// Reads every JSON-LD block; the article-like object with a headline wins.
    pub(crate) fn read(blocks: &[String]) -> JsonLd {
        let mut ld = JsonLd::default();
        let values: Vec<Value> = blocks.iter().filter_map(|b| parse_json(b)).collect();
        let mut objs = Vec::new();
        for v in &values {
            objects(v, 0, &mut objs);
        }
        // Rank: news/article types first, then other article-like types.
        let rank = |v: &Value| -> u8 {
            let ts = types(v);
            if ts
                .iter()
                .any(|t| t.contains("article") || t.contains("posting") || t == "report")
            {
                0
            } else if ts.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                1
            } else {
                2
            }
        };
        let mut arts: Vec<&Value> = objs
            .iter()
            .copied()
            .filter(|v| {
                rank(v) < 2 && (v.get("headline").is_some() || v.get("datePublished").is_some())
            })
            .collect();
        arts.sort_by_key(|v| rank(v));
        let ids = names_by_id(&objs);
        for a in arts {
            if ld.headline.is_none() {
                ld.headline = str_of(a.get("headline")).or_else(|| {
                    if rank(a) == 0 {
                        str_of(a.get("name"))
                    } else {
                        None
                    }
                });
            }
            if ld.published.is_none() {
                ld.published =
                    str_of(a.get("datePublished")).or_else(|| str_of(a.get("dateCreated")));
            }
            if ld.modified.is_none() {
                ld.modified = str_of(a.get("dateModified"));
            }
            if ld.authors.is_empty() {
                names_resolved(
                    a.get("author").or_else(|| a.get("creator")),
                    &ids,
                    &mut ld.authors,
                );
            }
            if ld.section.is_none() {
                ld.section = str_of(a.get("articleSection"));
            }
            if ld.body.is_none() {
                ld.body = str_of(a.get("articleBody")).or_else(|| str_of(a.get("text")));
            }
            if ld.language.is_none() {
                ld.language = str_of(a.get("inLanguage"));
            }
            if ld.site_name.is_none() {
                ld.site_name = a.get("publisher").and_then(|p| str_of(p.get("name")));
            }
        }
        for o in &objs {
            if types(o).iter().any(|t| t == "breadcrumblist")
                && ld.breadcrumbs.is_empty()
                && let Some(Value::Array(items)) = o.get("itemListElement")
            {
                let mut items: Vec<&Value> = items.iter().collect();
                items.sort_by_key(|i| i.get("position").and_then(Value::as_i64).unwrap_or(0));
                for i in items {
                    let name = str_of(i.get("name"))
                        .or_else(|| i.get("item").and_then(|x| str_of(x.get("name"))));
                    if let Some(n) = name {
                        ld.breadcrumbs.push(n);
                    }
                }
            }
            if ld.site_name.is_none()
                && types(o)
                    .iter()
                    .any(|t| t == "website" || t == "organization" || t == "newsmediaorganization")
            {
                ld.site_name = str_of(o.get("name"));
            }
        }
        ld
    }
}

/// The first `<meta>` content for any of `keys` (in the order of `keys`).
pub(crate) fn meta<'a>(dom: &'a Dom, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|k| {
        dom.head
            .metas
            .iter()
            .find(|(mk, v)| mk == k && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    })
}

fn clean(s: &str) -> String {
    super::dom::collapse_spaces(&html_unescape(s))
}

/// Decodes entities left in attribute values that were escaped twice (`&amp;quot;`,
/// `&#237;`).
fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                "amp" => Some('&'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let v = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(v)
                }
            }?;
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `h1` elements' texts (outside links), in page order.
fn h1s(dom: &Dom) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag == Tag::H(1) {
            let t = dom.subtree_text(i);
            if !t.is_empty() && t.chars().count() < 400 {
                out.push((i, t));
            }
            if out.len() >= 5 {
                break;
            }
        }
    }
    out
}

/// Cuts a site-name suffix or prefix (`Title | Site`, `Title - Site`, `Site: Title`).
fn strip_site(title: &str, site: Option<&str>) -> String {
    const SEPS: &[&str] = &[
        " | ", " - ", " – ", " — ", " :: ", " · ", " // ", " » ", " « ",
    ];
    let t = title.trim();
    for sep in SEPS {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| {
                let (a, b) = (norm(tail), norm(s));
                !b.is_empty() && (a.contains(&b) || b.contains(&a))
            });
            if tail_is_site
                || (tail.chars().count() <= 30 && head.chars().count() >= tail.chars().count())
            {
                return strip_site(head, site);
            }
        }
        if let Some(pos) = t.find(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            let head_is_site = site.is_some_and(|s| {
                let (a, b) = (norm(head), norm(s));
                !b.is_empty() && (a == b)
            });
            if head_is_site {
                return tail.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// Chooses the title: the article's `h1` when it agrees with the metadata, else
/// `og:title`/JSON-LD `headline`, else `<title>` without the site name.
pub(crate) fn title(dom: &Dom, ld: &JsonLd, site: Option<&str>) -> Option<String> {
    let og = meta(
        dom,
        &["og:title", "twitter:title", "dc.title", "title", "headline"],
    )
    .map(clean);
    let head = dom.head.title.as_deref().map(clean);
    let metas: Vec<String> = [ld.headline.as_deref().map(clean), og.clone(), head.clone()]
        .into_iter()
        .flatten()
        .collect();
    let hs = h1s(dom);
    for (_, h) in &hs {
        let hn = norm(h);
        if hn.chars().count() < 4 {
            continue;
        }
        if metas.iter().any(|m| {
            let mn = norm(m);
            mn == hn || (mn.contains(&hn) && hn.chars().count() * 2 >= mn.chars().count())
        }) {
            return Some(h.clone());
        }
    }
    if let Some(h) = &ld.headline {
        let h = clean(h);
        if !h.is_empty() {
            return Some(strip_site(&h, site));
        }
    }
    if let Some(o) = og.filter(|o| !o.is_empty()) {
        return Some(strip_site(&o, site));
    }
    if hs.len() == 1 {
        return Some(hs[0].1.clone());
    }
    head.map(|h| strip_site(&h, site)).filter(|h| !h.is_empty())
}

/// Authors and credited source: JSON-LD, then `<meta>`, then microdata and byline
/// elements, then the byline closing the article (a right-aligned or capitals line, a
/// `Bài:`/`Theo` line). Each stage's names that are the site itself are dropped
/// before the next stage is tried; the credit is the first one any stage names.
pub(crate) fn authors(
    dom: &Dom,
    ld: &JsonLd,
    content: &Content,
    site: Option<&str>,
    host: Option<&str>,
) -> Byline {
    let mut out = Byline::default();
    let mut seen = std::collections::HashSet::new();
    // Letters and digits only, lower case, without diacritics (`Dân Trí` → `dantri`).
    let compact = |s: &str| -> String {
        let k: String = s.chars().filter(|c| c.is_alphanumeric()).collect();
        crate::extract::date::fold_word(&k)
    };
    let site_c = site.map(compact).filter(|s| !s.is_empty());
    let host_label = host.map(|h| compact(h.split('.').next().unwrap_or(h)));
    let mut add = |out: &mut Byline, s: &str| {
        let b = parse_byline(s);
        if out.credit.is_none() {
            out.credit = b.credit;
        }
        for a in b.authors {
            let n = norm(&a);
            let c = compact(&a);
            let domain_like = [".vn", ".com", ".net", ".org", ".de"]
                .iter()
                .any(|d| n.contains(d));
            // A publisher's name as author; a person's blog named after them keeps its
            // author only when the page's site name differs from the host label.
            let is_host = host_label.as_deref() == Some(c.as_str());
            let is_site = (site_c.as_deref() == Some(c.as_str()) && a.split(' ').count() < 2)
                || (is_host && !a.contains(' '));
            if !domain_like && !is_site && seen.insert(n) {
                out.authors.push(a);
            }
        }
    };
    for a in &ld.authors {
        add(&mut out, a);
    }
    if out.authors.is_empty()
        && let Some(m) = meta(
            dom,
            &[
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
                "byl",
                "citation_author",
                "twitter:creator",
            ],
        )
        && !m.starts_with('@')
    {
        // `NHẬT XUÂN;NGHI VŨ`.
        add(&mut out, m);
    }
    // `<meta name="twitter:label1" content="Written by">` + `twitter:data1`.
    if out.authors.is_empty()
        && meta(dom, &["twitter:label1"]).is_some_and(|l| {
            let l = l.to_lowercase();
            l.contains("written by") || l.contains("author") || l.contains("autor")
        })
        && let Some(m) = meta(dom, &["twitter:data1"])
    {
        add(&mut out, m);
    }
    if out.authors.is_empty() {
        for (i, n) in dom.nodes.iter().enumerate() {
            let Some(a) = dom.attrs(i) else { continue };
            let is_author = a
                .itemprop
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case("author"))
                || a.class_id
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|t| {
                        matches!(
                            t,
                            "author" | "byline" | "byl" | "writer" | "tacgia" | "author-name"
                        )
                    })
                || a.class_id.contains("author-name")
                || a.class_id.contains("byline");
            // Authors of comments (`Tanya sagt`) are not the article's.
            if is_author && n.tag != Tag::Text && !in_comments(dom, i) {
                let t = dom.subtree_text(i);
                if (3..=100).contains(&t.chars().count()) {
                    add(&mut out, &t);
                    if !out.authors.is_empty() {
                        break;
                    }
                }
            }
        }
    }
    // The byline closing the article (moved out of the body by the content pass), then
    // a Vietnamese byline among the article's last short lines: in capitals or opened
    // by `Bài`/`Theo`. Also read for the credit when the authors are known.
    let closing = content.byline.iter().map(String::as_str);
    let vi_tail = content.tail.iter().take(3).map(String::as_str).filter(|l| {
        let l = l.trim();
        let lower = l.to_lowercase();
        let letters: Vec<char> = l.chars().filter(|c| c.is_alphabetic()).collect();
        let caps =
            !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) && letters.len() >= 4;
        (caps || lower.starts_with("bài") || lower.starts_with("theo ")) && l.chars().count() <= 60
    });
    let lines: Vec<&str> = closing.chain(vi_tail).collect();
    for l in lines {
        if out.authors.is_empty() {
            add(&mut out, l);
        } else if out.credit.is_none() {
            out.credit = parse_byline(l).credit;
        }
        if !out.authors.is_empty() && out.credit.is_some() {
            break;
        }
    }
    out
}

/// Inside a comment block (class or id naming comments or replies).
fn in_comments(dom: &Dom, i: usize) -> bool {
    let mut p = i;
    for _ in 0..16 {
        let c = dom.class_id(p);
        if c.contains("comment") || c.contains("reply") || c.contains("respond") {
            return true;
        }
        let parent = dom.nodes[p].parent as usize;
        if parent >= dom.nodes.len() {
            return false;
        }
        p = parent;
    }
    false
}

/// Category: `article:section`, JSON-LD `articleSection`, then breadcrumbs.
pub(crate) fn category(dom: &Dom, ld: &JsonLd, title: Option<&str>) -> Option<String> {
    if let Some(s) = meta(
        dom,
        &["article:section", "section", "parsely-section", "category"],
    ) {
        return Some(clean(s));
    }
    if let Some(s) = &ld.section {
        return Some(clean(s));
    }
    let tn = title.map(norm);
    let skip = |s: &str| {
        let n = norm(s);
        n.is_empty()
            || matches!(
                n.as_str(),
                "home" | "trang chủ" | "startseite" | "news" | "tin tức"
            )
            || tn.as_deref() == Some(n.as_str())
    };
    if let Some(b) = ld.breadcrumbs.iter().find(|b| !skip(b)) {
        return Some(clean(b));
    }
    // A visible breadcrumb trail.
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag == Tag::Text || !dom.class_id(i).contains("breadcrumb") {
            continue;
        }
        for j in i + 1..n.end as usize {
            if dom.nodes[j].tag == Tag::A {
                let t = dom.subtree_text(j);
                if !skip(&t) && t.chars().count() <= 60 {
                    return Some(t);
                }
            }
        }
    }
    None
}

/// Language: `<html lang>`, JSON-LD `inLanguage`, `og:locale`, `content-language`;
/// reduced to the primary subtag (`vi-VN` → `vi`).
pub(crate) fn language(dom: &Dom, ld: &JsonLd) -> Option<String> {
    let raw = dom
        .head
        .lang
        .clone()
        .or_else(|| ld.language.clone())
        .or_else(|| {
            meta(
                dom,
                &["og:locale", "content-language", "language", "dc.language"],
            )
            .map(str::to_string)
        })?;
    let primary: String = raw.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_by_reference_link_or_twitter_label() {
        let ld = JsonLd::read(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"Article","headline":"A title","author":{"@id":"https://x.org/#/schema/person/1"}},
            {"@type":"Person","@id":"https://x.org/#/schema/person/1","name":"Evan Symon"}]}"#
            .to_string()]);
        assert_eq!(ld.authors, vec!["Evan Symon"]);
        let body = "<p>Der erste Absatz des Artikels ist lang genug, um als Haupttext zu gelten, und \
            er erzählt von vielen Dingen.</p><p>Ein zweiter Absatz folgt mit weiteren Sätzen, damit der \
            Text als Artikel erkannt wird.</p>";
        let authors = |html: &str| {
            crate::extract::html::extract_page(html.as_bytes(), None, None)
                .map(|e| e.authors)
                .unwrap_or_default()
        };
        let html = format!(
            "<html><body><article><h1>Ein Titel</h1><p class=meta>29. Juni 2017 · von \
             <a href='https://x.de/author/tobi/'>Tobi</a></p>{body}</article>\
             <div class=comments><span class=author>Tanya sagt</span></div></body></html>"
        );
        assert_eq!(authors(&html), ["Tobi"]);
        let html = format!(
            "<html><head><meta name='twitter:label1' content='Written by'>\
             <meta name='twitter:data1' content='Fatima'></head><body><article><h1>Ein Titel</h1>\
             {body}</article></body></html>"
        );
        assert_eq!(authors(&html), ["Fatima"]);
    }

    #[test]
    fn json_ld_graph_and_author_objects() {
        let ld = JsonLd::read(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Báo X"},
            {"@type":"NewsArticle","headline":"Giá vàng giảm","datePublished":"2026-03-07T08:07:18+07:00",
             "author":[{"@type":"Person","name":"Nguyễn Huy"},{"name":"Lê An"}],"articleSection":"Kinh doanh"}]}"#
            .to_string()]);
        assert_eq!(ld.headline.as_deref(), Some("Giá vàng giảm"));
        assert_eq!(ld.published.as_deref(), Some("2026-03-07T08:07:18+07:00"));
        assert_eq!(ld.authors, vec!["Nguyễn Huy", "Lê An"]);
        assert_eq!(ld.section.as_deref(), Some("Kinh doanh"));
        assert_eq!(ld.site_name.as_deref(), Some("Báo X"));
    }

    #[test]
    fn broken_json_ld_is_skipped_or_repaired() {
        assert!(JsonLd::read(&["{not json".into()]).headline.is_none());
        let ld = JsonLd::read(&["{\"@type\":\"Article\",\"headline\":\"a\tb\"}".into()]);
        assert_eq!(ld.headline.as_deref(), Some("a b"));
    }

    #[test]
    fn bylines_are_cleaned_and_title_cased() {
        let clean_author = |s: &str| parse_byline(s).authors;
        assert_eq!(clean_author("Bài, ảnh: NGUYỄN HUY"), vec!["Nguyễn Huy"]);
        assert_eq!(
            clean_author("By Jane Doe and John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(clean_author("https://facebook.com/x"), Vec::<String>::new());
        assert_eq!(
            html_unescape("Ch&#237;nh s&#xE1;ch &amp; x &bogus; &"),
            "Chính sách & x &bogus; &"
        );
    }

    #[test]
    fn site_names_are_cut_from_titles() {
        assert_eq!(
            strip_site("Giá vàng giảm - VnExpress", Some("VnExpress")),
            "Giá vàng giảm"
        );
        assert_eq!(
            strip_site("Giá vàng giảm | Báo Dân trí", None),
            "Giá vàng giảm"
        );
        assert_eq!(
            strip_site("Spiegel: Der Titel ist lang genug", Some("Spiegel")),
            "Spiegel: Der Titel ist lang genug"
        );
    }
}

//! The publication date of a page, chosen among the places pages put it, most
//! trusted first: publication `<meta>` tags, JSON-LD `datePublished`, microdata and
//! RDFa, `<time>` elements, visible dates (elements named like dates, the lines around
//! the title heading, labelled dates such as `Veröffentlicht am 16.08.2019`), the URL;
//! modified dates (meta, then visible `Updated …` lines) only when nothing else is
//! found. Dates of related articles (inside links, in `related`/`comment` blocks) are
//! skipped; the forms themselves are parsed in [`super::dates`].

use super::content::{Content, norm};
use super::dates::{self, PageDate};
use super::dom::{Dom, IN_BOILER, IN_LINK, Tag};
use super::metadata::{JsonLd, meta};
use aho_corasick::AhoCorasick;
use jiff::civil::Date;
use regex::Regex;
use std::sync::LazyLock;

/// Date keys of `<meta>` tags that give the publication date, most trusted first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "date",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "original-publish-date",
    "og:pubdate",
    "pub_date",
    "created",
    "release_date",
];

const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
];

/// Words that mark a visible date as the publication date.
const PUBLISHED_LABELS: &[&str] = &[
    "veröffentlicht",
    "erschienen",
    "erstellt am",
    "publiziert",
    "gepostet",
    "geschrieben am",
    "wurde am",
    "pressemitteilung vom",
    "datum",
    "published",
    "posted",
    "publié",
    "publicado",
    "pubblicato",
    "notizia del",
    "mise en ligne",
    "ngày đăng",
    "đăng lúc",
    "đăng ngày",
    "xuất bản",
];

/// Words that mark a visible date as a modification date.
const UPDATED_LABELS: &[&str] = &[
    "cập nhật",
    "updated",
    "aktualisiert",
    "geändert",
    "änderung",
    "modified",
    "mis à jour",
    "actualizado",
    "stand:",
    "latest version",
    "revised",
    "last edit",
    "zuletzt bearbeitet",
];

/// Whether numeric dates of a page in `lang` are written day first: all but US
/// English (`en-US`, `en_US`) and bare `en` (see [`date_language`]).
fn dmy_for(lang: Option<&str>) -> bool {
    !lang.is_some_and(|l| {
        let l = l.trim();
        l.eq_ignore_ascii_case("en")
            || english_region(l).is_some_and(|r| r.eq_ignore_ascii_case("us"))
    })
}

/// The region of an English language tag (`en-GB`, `en_GB` → `GB`).
fn english_region(tag: &str) -> Option<&str> {
    let (lang, region) = tag.split_once(['-', '_'])?;
    (lang.eq_ignore_ascii_case("en")
        && region.len() == 2
        && region.bytes().all(|c| c.is_ascii_alphabetic()))
    .then_some(region)
}

/// The language that decides a page's numeric date order: `<html lang>`, except that a
/// bare `en` takes the region of an English `og:locale` (`en_GB` on a British site,
/// which writes `12/03/2026` for 12 March).
pub(crate) fn date_language<'a>(
    html_lang: Option<&'a str>,
    og_locale: Option<&'a str>,
) -> Option<&'a str> {
    match (html_lang, og_locale.map(str::trim)) {
        (Some(l), Some(o))
            if l.trim().eq_ignore_ascii_case("en") && english_region(o).is_some() =>
        {
            Some(o)
        }
        (l, _) => l,
    }
}

/// Kinds of label words (bits of [`Said::kinds`]).
const PUBLISHED: u8 = 1;
const UPDATED: u8 = 2;
const REGISTERED: u8 = 4;
/// `đăng` (posted), part of several Vietnamese publication labels.
const DANG: u8 = 8;

/// Every label word of [`PUBLISHED_LABELS`], [`UPDATED_LABELS`] and
/// [`REGISTERED_LABELS`], and `đăng`, in one automaton (standard semantics, so that an
/// overlapping search reports every occurrence of every word), with each word's kind.
static LABELS: LazyLock<(AhoCorasick, Vec<u8>)> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let mut kinds = Vec::new();
    for (list, kind) in [
        (PUBLISHED_LABELS, PUBLISHED),
        (UPDATED_LABELS, UPDATED),
        (REGISTERED_LABELS, REGISTERED),
        (&["đăng"][..], DANG),
    ] {
        words.extend_from_slice(list);
        kinds.extend(std::iter::repeat_n(kind, list.len()));
    }
    let ac = AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(words)
        .expect("static patterns");
    (ac, kinds)
});

/// What a lower-cased line says, from one pass of [`LABELS`] over it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Said {
    /// The kinds of label words in the line.
    kinds: u8,
    /// Where the earliest-ending publication label ends (the date follows it).
    published_end: Option<usize>,
    /// Where the earliest-ending publication or update label ends.
    label_end: Option<usize>,
    /// Where the earliest update label starts.
    updated_start: Option<usize>,
}

impl Said {
    fn of(lower: &str) -> Said {
        let (ac, kinds) = &*LABELS;
        let mut said = Said::default();
        let min = |a: Option<usize>, b: usize| Some(a.map_or(b, |a| a.min(b)));
        for m in ac.find_overlapping_iter(lower) {
            let kind = kinds[m.pattern().as_usize()];
            said.kinds |= kind;
            if kind == PUBLISHED {
                said.published_end = min(said.published_end, m.end());
            }
            if kind == PUBLISHED || kind == UPDATED {
                said.label_end = min(said.label_end, m.end());
            }
            if kind == UPDATED {
                said.updated_start = min(said.updated_start, m.start());
            }
        }
        said
    }

    /// Names the publication.
    fn published(&self) -> bool {
        self.kinds & PUBLISHED != 0
    }

    /// Says a modification date (and not also a publication date).
    fn updated(&self) -> bool {
        self.kinds & UPDATED != 0 && self.kinds & (PUBLISHED | DANG) == 0
    }

    /// Says a registration date.
    fn registered(&self) -> bool {
        self.kinds & REGISTERED != 0
    }
}

/// Words that mark a visible date as a user's registration (a forum post's author
/// box: `Registriert: 18.09.2008`), never a publication.
const REGISTERED_LABELS: &[&str] = &[
    "registriert",
    "registered",
    "joined",
    "member since",
    "mitglied seit",
    "dabei seit",
    "inscrit le",
    "inscrit depuis",
    "tham gia",
    "ngày tham gia",
];

/// More words than this on a line next to the title: the date in it is part of a
/// sentence.
const SENTENCE_WORDS: usize = 8;

/// A `<meta>` key not in [`PUBLISHED_META`] that still names a publication or
/// creation date (`publication_date`, `published_on`).
fn other_published_key(k: &str) -> bool {
    (k.contains("publi") || k.contains("creat") || k.contains("issued"))
        && !k.contains("publisher")
        && !k.contains("modif")
        && !k.contains("updat")
        && !k.contains("creator")
}

/// Chooses the publication date (see the module documentation for the order), then
/// checks it against the page: a full date in the URL wins over a different day, and a
/// machine time stamp in UTC (or without offset) that falls one day off the date shown
/// next to the title gives way to the shown day (the page's local calendar day).
pub(crate) fn date(
    dom: &Dom,
    ld: &JsonLd,
    content: &Content,
    url: Option<&str>,
    lang: Option<&str>,
    title: Option<&str>,
    raw: &str,
) -> Option<PageDate> {
    let dmy = dmy_for(lang);
    let heading = &Heading {
        dom,
        at: title_heading(dom, title),
        dmy,
        near: std::cell::OnceCell::new(),
        named: std::cell::OnceCell::new(),
    };
    let (mut d, machine) = choose(dom, ld, content, url, dmy, heading)
        .or_else(|| script_date(raw).map(|d| (d, true)))?;
    let stamp = machine.then_some(d);
    if machine {
        d = local_midnight(d);
    }
    let chosen = pick(dom, ld, content, url, heading, d, machine)?;
    Some(with_page_offset(chosen, stamp, || shown(content, heading)))
}

/// The offset a UTC machine stamp (`stamp`) and the page's shown wall-clock time of the
/// same moment imply: their difference, when it is a whole quarter hour within the
/// world's offsets (−12:00 to +14:00) and not zero.
fn implied_offset(local: &PageDate, stamp: &PageDate) -> Option<jiff::tz::Offset> {
    if !local.has_time || !stamp.has_time || stamp.offset.is_none_or(|o| o.seconds() != 0) {
        return None;
    }
    let minutes = |c: &jiff::civil::DateTime| {
        let secs = jiff::tz::Offset::UTC.to_timestamp(*c).ok()?.as_second();
        Some(secs.div_euclid(60))
    };
    let diff = minutes(&local.civil)? - minutes(&stamp.civil)?;
    if diff == 0 || diff % 15 != 0 || !(-12 * 60..=14 * 60).contains(&diff) {
        return None;
    }
    jiff::tz::Offset::from_seconds(i32::try_from(diff * 60).ok()?).ok()
}

/// Gives the chosen date the page's own offset when the page says where it is: a shown
/// local time without an offset takes the offset the page's UTC machine stamp implies
/// (`20:09` shown, `19:09Z` stamped: `+01:00`); a UTC stamp takes the offset implied by
/// the local time the page shows for it (`shown`, looked at only then).
fn with_page_offset(
    d: PageDate,
    stamp: Option<PageDate>,
    shown: impl FnOnce() -> Option<PageDate>,
) -> PageDate {
    if d.has_time
        && d.offset.is_none()
        && let Some(o) = stamp.and_then(|s| implied_offset(&d, &s))
    {
        return PageDate {
            offset: Some(o),
            ..d
        };
    }
    if d.has_time
        && d.offset.is_some_and(|o| o.seconds() == 0)
        && let Some(v) = shown().filter(|v| v.offset.is_none())
        && let Some(o) = implied_offset(&v, &d)
    {
        // The stamp's instant (to the second) at the page's offset.
        let instant = jiff::tz::Offset::UTC.to_timestamp(d.civil).ok();
        if let Some(t) = instant {
            return PageDate {
                civil: o.to_datetime(t),
                offset: Some(o),
                has_time: true,
            };
        }
    }
    d
}

/// The checks of [`date`] after the first choice `d` (`machine` when it came from
/// machine-readable data).
#[allow(clippy::too_many_arguments)]
fn pick(
    dom: &Dom,
    ld: &JsonLd,
    content: &Content,
    url: Option<&str>,
    heading: &Heading<'_>,
    mut d: PageDate,
    mut machine: bool,
) -> Option<PageDate> {
    if machine && let Some(v) = shown(content, heading) {
        // The page shows another day that its own machine data also gives as a
        // publication date (a `<time>` in the article header against a stale meta
        // tag), or a day shortly before the machine stamp: the reader's date wins.
        let day = v.civil.date();
        // A machine stamp up to a week after the shown day is a later save.
        let resaved = d.civil.date() > day
            && d.civil.date() <= day.checked_add(jiff::Span::new().days(7)).unwrap_or(day);
        if day != d.civil.date() && !zone_shift(&d, &v) {
            // Only now walk the page's machine dates (most pages agree and stop above).
            let (published, modified) = machine_days(dom, ld);
            if (published.contains(&day) || resaved) && !modified.contains(&day) {
                (d, machine) = (v, false);
            }
        }
    }
    if let Some(u) = url.and_then(dates::from_url) {
        // Published before the day its address was made, a UTC stamp that the
        // page's time zone puts on the URL's day, or a machine stamp more than a month
        // after the URL's day (the page saved again, or moved to a new system).
        let resaved = u
            .civil
            .date()
            .checked_add(jiff::Span::new().days(30))
            .is_ok_and(|later| d.civil.date() > later);
        if d.civil.date() < u.civil.date() || (machine && (zone_shift(&d, &u) || resaved)) {
            return Some(u);
        }
        return Some(d);
    }
    if machine && d.has_time && d.offset.is_none_or(|o| o.seconds() == 0) {
        let shown = heading.named(content).or_else(|| heading.near().0);
        if let Some(v) = shown
            && zone_shift(&d, &v)
        {
            return Some(v);
        }
    }
    Some(d)
}

/// The date the page shows its reader: next to the title heading, else in an element
/// named like a date (update stamps skipped).
fn shown(content: &Content, heading: &Heading<'_>) -> Option<PageDate> {
    let (near, updated) = heading.near();
    if near.is_none() && updated.is_some() {
        // The header shows only when the article was updated: no other line says
        // when it was published (a date further away is another article's).
        return None;
    }
    near.or_else(|| heading.named(content))
}

/// Every calendar day the page's machine-readable data gives as a publication date:
/// JSON-LD `datePublished`, publication `<meta>` tags, `<time datetime>` and
/// `itemprop` dates outside links and blocks of other articles; and, apart, the days
/// it gives as modification dates (a page that shows its update day keeps its
/// publication day).
fn machine_days(dom: &Dom, ld: &JsonLd) -> (Vec<Date>, Vec<Date>) {
    let day = |s: &str| dates::parse_machine(s).map(|d| d.civil.date());
    let mut out = Vec::new();
    let mut modified_days: Vec<Date> = ld.modified.as_deref().and_then(day).into_iter().collect();
    let mut add = |s: &str| out.extend(day(s));
    if let Some(s) = &ld.published {
        add(s);
    }
    for (k, v) in &dom.head.metas {
        let k = k.as_str();
        if PUBLISHED_META.contains(&k) || other_published_key(k) {
            add(v);
        } else if MODIFIED_META.contains(&k) || k.contains("modif") {
            modified_days.extend(day(v));
        }
    }
    for (i, n) in dom.nodes.iter().enumerate() {
        let Some(a) = dom.attrs(i) else { continue };
        let Some(v) = a.datetime.as_deref() else {
            continue;
        };
        let prop = a.itemprop.as_deref().unwrap_or("").to_ascii_lowercase();
        let c = a.class_id.as_str();
        let modified = prop.contains("modif")
            || ((c.contains("modif") || c.contains("update")) && !c.contains("publish"));
        let dated = n.tag == Tag::Time || prop.starts_with("date");
        if dated && !modified && n.flags & IN_LINK == 0 && !in_related(dom, i) {
            add(v);
        } else if modified {
            modified_days.extend(day(v));
        }
    }
    (out, modified_days)
}

/// Keys of inline script data (app state, JSON embedded for scripts) that hold a
/// publication date, then keys that hold a creation date.
static SCRIPT_PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?:datePublished|publishDate|publishedDate|published_at|publishedAt|publish_date|publication_date|first_publish_date|firstPublishDate|published)"\s*:\s*"([^"]{8,40})""#)
        .expect("static regex")
});
static SCRIPT_CREATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""(?:dateCreated|createdAt|created_at|creationDate)"\s*:\s*"([^"]{8,40})""#)
        .expect("static regex")
});

/// The last resort: a publication (else creation) date under a well-known key in
/// the page's inline script data, which the parser never sees (scripts are stripped).
fn script_date(raw: &str) -> Option<PageDate> {
    [&*SCRIPT_PUBLISHED, &*SCRIPT_CREATED]
        .iter()
        .find_map(|re| {
            re.captures_iter(raw)
                .take(5)
                .find_map(|c| c.get(1).and_then(|m| dates::parse_machine(m.as_str())))
        })
}

/// `d` with day and month swapped when `raw` writes it as `a/b/yyyy` with both `a`
/// and `b` possible months and different.
fn swapped(raw: &str, d: &PageDate) -> Option<PageDate> {
    let mut parts = raw.trim().splitn(3, '/');
    let a: i8 = parts.next()?.parse().ok()?;
    let b: i8 = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    if !rest.get(..4)?.bytes().all(|c| c.is_ascii_digit()) || a == b || a > 12 || b > 12 {
        return None;
    }
    let day = d.civil.date();
    let other = Date::new(day.year(), day.day(), day.month()).ok()?;
    Some(PageDate {
        civil: other.to_datetime(d.civil.time()),
        ..*d
    })
}

/// A full date in the last part of a page title split at `|` or ` - `.
fn title_date(title: &str) -> Option<PageDate> {
    let last = title.rsplit(['|', '–', '—']).next()?;
    let last = last.rsplit(" - ").next().unwrap_or(last);
    (last.trim().chars().count() <= 30)
        .then(|| dates::find_visible(last, true))
        .flatten()
}

/// A UTC stamp at exactly 22:00 or 23:00 is a date without time that a Central
/// European system stored as its local midnight: the day meant is the next one.
fn local_midnight(d: PageDate) -> PageDate {
    let t = d.civil.time();
    let exact = t.minute() == 0 && t.second() == 0 && t.subsec_nanosecond() == 0;
    if d.has_time
        && d.offset.is_some_and(|o| o.seconds() == 0)
        && exact
        && matches!(t.hour(), 22 | 23)
        && let Ok(next) = d.civil.date().tomorrow()
    {
        return PageDate {
            civil: next.to_datetime(jiff::civil::Time::midnight()),
            offset: None,
            has_time: false,
        };
    }
    d
}

/// Whether machine stamp `d` and the page's calendar day `shown` differ by the page's
/// time zone: `d` carries no offset and is one day off, or `d` is in UTC late enough
/// (from 14:00) to be the next day east, or early enough (before 08:00) to be the
/// previous day in the Americas.
fn zone_shift(d: &PageDate, shown: &PageDate) -> bool {
    if !d.has_time {
        return false;
    }
    let (dd, sd) = (d.civil.date(), shown.civil.date());
    let next = dd.tomorrow().ok() == Some(sd);
    let prev = dd.yesterday().ok() == Some(sd);
    match d.offset {
        None => next || prev,
        Some(o) if o.seconds() == 0 => {
            let h = d.civil.hour();
            (next && h >= 14) || (prev && h < 8)
        }
        Some(_) => false,
    }
}

/// The best candidate and whether it came from machine-readable data.
fn choose(
    dom: &Dom,
    ld: &JsonLd,
    content: &Content,
    url: Option<&str>,
    dmy: bool,
    heading: &Heading<'_>,
) -> Option<(PageDate, bool)> {
    let machine = |d: PageDate| Some((d, true));
    let visible = |d: PageDate| Some((d, false));
    for k in PUBLISHED_META {
        let Some(v) = meta(dom, &[k]) else { continue };
        if let Some(d) = dates::parse_machine(v) {
            // `11/01/2023` in a tag is day first or month first (ASP.NET writes the
            // latter): the order the page's visible date confirms.
            if let Some(s) = swapped(v, &d) {
                let from = heading.at.unwrap_or(content.container);
                let seen = shown(content, heading).or_else(|| labelled(dom, from, dmy).0);
                if seen.is_some_and(|v| v.civil.date() == s.civil.date()) {
                    return machine(s);
                }
            }
            return machine(d);
        }
    }
    if let Some(d) = ld.published.as_deref().and_then(dates::parse_machine) {
        return machine(d);
    }
    let machine_meta = dom.head.metas.iter().find_map(|(k, v)| {
        let v = v.trim();
        (other_published_key(k) && v.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| dates::parse_machine(v))
            .flatten()
    });
    if let Some(d) = machine_meta {
        return machine(d);
    }
    // Microdata and <time> elements; those inside links (related articles) are
    // skipped unless named as the post's own date (WordPress permalinks), and so are
    // those in blocks of comments or other articles (a comment's `datePublished`). A
    // `<time>` after the end of the article container (a teaser further down) counts
    // only when no date is shown next to the title heading.
    let mut first_time: Option<PageDate> = None;
    let mut late_time: Option<PageDate> = None;
    let article_end = dom.nodes[content.container].end as usize;
    for (i, n) in dom.nodes.iter().enumerate() {
        let Some(a) = dom.attrs(i) else { continue };
        let prop = a.itemprop.as_deref().unwrap_or("");
        if (prop.eq_ignore_ascii_case("datePublished") || prop.eq_ignore_ascii_case("dateCreated"))
            && !in_related(dom, i)
        {
            let d = a
                .datetime
                .as_deref()
                .and_then(dates::parse_machine)
                .or_else(|| dates::find_visible(&dom.subtree_text(i), dmy));
            if let Some(d) = d {
                return machine(d);
            }
        }
        if n.tag == Tag::Time && first_time.is_none() {
            let c = a.class_id.as_str();
            let own = c.contains("publish") || c.contains("entry-date");
            let modified = (c.contains("modif") || c.contains("update")) && !own;
            if !modified && (n.flags & IN_LINK == 0 || own) && !in_related(dom, i) {
                let t = a.datetime.as_deref().and_then(dates::parse_machine);
                if (i < article_end && !in_teaser(dom, i, heading.at)) || own {
                    first_time = t;
                } else if late_time.is_none() {
                    late_time = t;
                }
            }
        }
    }
    if let Some(t) = first_time {
        return machine(t);
    }
    let near = heading.at.map(|_| heading.near());
    if let Some((Some(d), _)) = near {
        return visible(d);
    }
    if let Some(t) = late_time {
        return machine(t);
    }
    if let Some(d) = heading.named(content) {
        return visible(d);
    }
    if let Some(d) = content
        .head
        .iter()
        .find_map(|l| dates::find_visible(l, dmy))
    {
        return visible(d);
    }
    let (labelled, updated) = labelled(dom, heading.at.unwrap_or(content.container), dmy);
    if let Some(d) = labelled {
        return visible(d);
    }
    // A dateline that opens one of the first paragraphs (`27.1.2022 - Bei der …`).
    if let Some(d) = content
        .lead
        .iter()
        .chain(content.paragraphs.iter().take(3))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '('))
        .find_map(|l| dates::find_visible(prefix(l, 32), dmy))
    {
        return visible(d);
    }
    if let Some(d) = url.and_then(dates::from_url) {
        return visible(d);
    }
    // A date closing the page title (`Titel | Rubrik | 23.05.2011`).
    if let Some(d) = dom.head.title.as_deref().and_then(title_date) {
        return visible(d);
    }
    // A description that names its date (`… (Notizia del 14 Gennaio 2020)`).
    if let Some(d) = meta(dom, &["description", "og:description"]).and_then(|v| described(v, dmy)) {
        return visible(d);
    }
    // A signed-off article: a short date line right after the last paragraph.
    if let Some(d) = content
        .tail
        .iter()
        .take(2)
        .filter(|l| l.chars().count() <= 40)
        .find_map(|l| dates::find_visible(l, dmy))
    {
        return visible(d);
    }
    // A line that is nothing but a date (`<span class=blue>01.02.2022</span>` in the
    // article header) up to the end of the article, outside links and boilerplate.
    if let Some(d) = standalone_date(dom, content, dmy) {
        return visible(d);
    }
    let modified = ld
        .modified
        .as_deref()
        .and_then(dates::parse_machine)
        .or_else(|| {
            MODIFIED_META
                .iter()
                .find_map(|k| meta(dom, &[k]).and_then(dates::parse_machine))
        })
        .or_else(|| microformat_updated(dom));
    if let Some(d) = modified {
        return machine(d);
    }
    near.and_then(|(_, u)| u).or(updated).and_then(visible)
}

/// The date right after a publication label in a page description (`Notizia del 14
/// Gennaio 2020`, `Published: 3 May 2021`); a date without a label there may be
/// anything (an event, a deadline).
fn described(description: &str, dmy: bool) -> Option<PageDate> {
    let lower = description.to_lowercase();
    let rest = lower.get(Said::of(&lower).published_end?..)?;
    dates::find_visible(prefix(rest, 40), dmy)
}

/// The first text line up to the end of the article container that is only a date
/// (at most 5 words and 30 characters), outside links, boilerplate and blocks of other
/// articles or comments, and not an update stamp.
fn standalone_date(dom: &Dom, content: &Content, dmy: bool) -> Option<PageDate> {
    let end = (dom.nodes[content.container].end as usize).min(dom.nodes.len());
    (0..end).find_map(|i| {
        let n = &dom.nodes[i];
        if n.tag != Tag::Text || n.flags & (IN_LINK | IN_BOILER) != 0 {
            return None;
        }
        let t = dom.node_text(i).trim();
        let chars = t.chars().count();
        if !(6..=30).contains(&chars) || t.split_whitespace().count() > 5 {
            return None;
        }
        let d = dates::find_visible(t, dmy)?;
        let said = Said::of(&t.to_lowercase());
        let registered = said.registered()
            || prev_text(dom, i).is_some_and(|p| Said::of(&p.to_lowercase()).registered());
        (!said.updated() && !registered && !in_related(dom, i)).then_some(d)
    })
}

/// The nearest non-empty text node before node `i` (at most 8 nodes back).
fn prev_text(dom: &Dom, i: usize) -> Option<&str> {
    (i.saturating_sub(8)..i)
        .rev()
        .filter(|&j| dom.nodes[j].tag == Tag::Text)
        .map(|j| dom.node_text(j).trim())
        .find(|t| !t.is_empty())
}

/// A microformat update stamp (`<span class="updated" title="2013-04-04T18:52:11+00:00">`),
/// for the last resort.
fn microformat_updated(dom: &Dom) -> Option<PageDate> {
    (0..dom.nodes.len()).find_map(|i| {
        let a = dom.attrs(i)?;
        let c = a.class_id.as_str();
        if !(c.split(' ').any(|w| w == "updated") || c.contains("date-modified"))
            || in_related(dom, i)
        {
            return None;
        }
        a.datetime.as_deref().and_then(dates::parse_machine)
    })
}

/// Inside a small block (a teaser card) that holds another article's heading: an
/// ancestor up to four levels up, of at most 80 nodes, with an `h1`–`h3` that is not
/// the title heading and without the title heading.
fn in_teaser(dom: &Dom, i: usize, heading: Option<usize>) -> bool {
    let Some(h) = heading else { return false };
    let mut p = dom.nodes[i].parent as usize;
    for _ in 0..4 {
        if p >= dom.nodes.len() {
            return false;
        }
        let end = dom.nodes[p].end as usize;
        if (p..end).contains(&h) || end - p > 80 {
            return false;
        }
        if (p..end).any(|j| matches!(dom.nodes[j].tag, Tag::H(1..=3))) {
            return true;
        }
        p = dom.nodes[p].parent as usize;
    }
    false
}

/// Class words of blocks of other articles or of comments.
const OTHERS_WORDS: &[&str] = &["related", "comment", "lien-quan"];

/// Class words of elements that hold a date line (dates, bylines, post meta).
const NAMED_WORDS: &[&str] = &[
    "date",
    "time",
    "publish",
    "posted",
    "byline",
    "meta",
    "ngay",
    "info",
    "author",
    "submitted",
    "created",
    "datum",
    "stamp",
];

/// Class words of update stamps.
const MODIFIED_WORDS: &[&str] = &["update", "modif"];

/// Kinds of class words (bits of [`class_says`]).
const OTHERS: u8 = 1;
const NAMED: u8 = 2;
const MODIFIED: u8 = 4;

/// [`OTHERS_WORDS`], [`NAMED_WORDS`] and [`MODIFIED_WORDS`] in one automaton, with each
/// word's kind; and [`OTHERS_WORDS`] alone.
static CLASS_WORDS: LazyLock<(AhoCorasick, Vec<u8>, AhoCorasick)> = LazyLock::new(|| {
    let mut words: Vec<&str> = Vec::new();
    let mut kinds = Vec::new();
    for (list, kind) in [
        (OTHERS_WORDS, OTHERS),
        (NAMED_WORDS, NAMED),
        (MODIFIED_WORDS, MODIFIED),
    ] {
        words.extend_from_slice(list);
        kinds.extend(std::iter::repeat_n(kind, list.len()));
    }
    let all = AhoCorasick::new(words).expect("static patterns");
    let others = AhoCorasick::new(OTHERS_WORDS).expect("static patterns");
    (all, kinds, others)
});

/// The kinds of class words in a (lower-cased) class and id.
fn class_says(class_id: &str) -> u8 {
    let (ac, kinds, _) = &*CLASS_WORDS;
    ac.find_overlapping_iter(class_id)
        .fold(0, |k, m| k | kinds[m.pattern().as_usize()])
}

/// Inside a block of other articles or of comments.
fn in_related(dom: &Dom, i: usize) -> bool {
    let others = &CLASS_WORDS.2;
    let mut p = dom.nodes[i].parent as usize;
    let mut depth = 0;
    while p < dom.nodes.len() && depth < 12 {
        let c = dom.class_id(p);
        if !c.is_empty() && others.is_match(c) {
            return true;
        }
        p = dom.nodes[p].parent as usize;
        depth += 1;
    }
    false
}

/// Dates in elements named like dates or bylines (`post-date`, `entry-meta`, …), the
/// one nearest the main text; `related`/`comment` blocks and update stamps skipped.
fn named_date(dom: &Dom, content: &Content, dmy: bool) -> Option<PageDate> {
    let c = content.container;
    let len = dom.nodes.len();
    // Outwards from the container, nearer first (before after at equal distance):
    // the first date line found is the nearest, and most pages stop early.
    let order = (0..len.max(1)).flat_map(|d| {
        let before = c.checked_sub(d);
        let after = (d > 0 && c + d < len).then_some(c + d);
        before.into_iter().chain(after)
    });
    for i in order {
        let n = &dom.nodes[i];
        // A date line is a small subtree; large wrappers named `author-box` are skipped
        // before their text is built.
        if n.tag == Tag::Text || n.flags & IN_LINK != 0 || n.end as usize - i > 60 {
            continue;
        }
        let cls = dom.class_id(i);
        if cls.is_empty() || class_says(cls) & (OTHERS | NAMED | MODIFIED) != NAMED {
            continue;
        }
        let t = dom.subtree_text(i);
        if t.is_empty() || t.chars().count() > 200 {
            continue;
        }
        // A date element inside a list of other articles (`<ul class=related_post>`
        // holding `<small class=wp_rp_publish_date>`) dates another article.
        if in_related(dom, i) {
            continue;
        }
        let lower = t.to_lowercase();
        let said = Said::of(&lower);
        if said.registered() {
            continue;
        }
        if said.updated() {
            // `December 3, 2025. Updated: December 7, 2025`: the date before the label.
            if let Some(d) = date_before_update(&lower, &said, dmy) {
                return Some(d);
            }
            continue;
        }
        if let Some(d) = find_labelled(&t, &lower, &said, dmy) {
            return Some(d);
        }
    }
    None
}

/// The dates next to the title heading: (publication, update).
type Near = (Option<PageDate>, Option<PageDate>);

/// The title heading (`at`) and the dates next to it, looked for once, on first use.
struct Heading<'a> {
    dom: &'a Dom,
    at: Option<usize>,
    dmy: bool,
    near: std::cell::OnceCell<Near>,
    named: std::cell::OnceCell<Option<PageDate>>,
}

impl Heading<'_> {
    fn near(&self) -> Near {
        *self.near.get_or_init(|| {
            self.at
                .map_or((None, None), |h| near_heading(self.dom, h, self.dmy))
        })
    }

    /// [`named_date`] of the page, looked for once, on first use (`content` is the
    /// page's one content pass).
    fn named(&self, content: &Content) -> Option<PageDate> {
        *self
            .named
            .get_or_init(|| named_date(self.dom, content, self.dmy))
    }
}

/// The heading that carries the title: the `h1`/`h2` whose text is the title, else
/// the first `h1` of some length.
fn title_heading(dom: &Dom, title: Option<&str>) -> Option<usize> {
    let tn = title.map(norm).filter(|t| !t.is_empty());
    let words: Vec<&str> = tn.as_deref().map_or(Vec::new(), |t| t.split(' ').collect());
    let mut first_h1 = None;
    let mut similar = None;
    for (i, n) in dom.nodes.iter().enumerate() {
        if !matches!(n.tag, Tag::H(1) | Tag::H(2)) {
            continue;
        }
        if n.tag == Tag::H(2) && tn.is_none() {
            continue;
        }
        let t = norm(&dom.subtree_text(i));
        if tn.as_deref() == Some(t.as_str()) {
            return Some(i);
        }
        if similar.is_none() && words.len() >= 3 {
            // Most of the title's words (a shortened or reworded title).
            let theirs: Vec<&str> = t.split(' ').collect();
            let shared = words.iter().filter(|w| theirs.contains(w)).count();
            if shared * 10 >= words.len() * 7 && theirs.len() <= words.len() * 2 {
                similar = Some(i);
            }
        }
        if n.tag == Tag::H(1) && first_h1.is_none() && t.chars().count() >= 10 {
            first_h1 = Some(i);
        }
    }
    similar.or(first_h1)
}

/// How far around the title heading to look: text nodes after it (until this much
/// running text has passed), and short text nodes before it.
const AFTER_NODES: usize = 14;
const AFTER_PROSE: usize = 600;
const BEFORE_NODES: usize = 5;

/// A date in the lines next to the title heading (`Handball Schweiz • 02.02.2022`,
/// `<h3>21.01.2022</h3>` above it, a lead paragraph that opens with the date). Returns
/// the publication candidate and, separately, an update stamp seen there.
fn near_heading(dom: &Dom, h: usize, dmy: bool) -> (Option<PageDate>, Option<PageDate>) {
    let mut updated = None;
    let mut prose = 0usize;
    let mut seen = 0usize;
    let end = dom.nodes.len();
    let mut j = dom.nodes[h].end as usize;
    // The previous line was only an update (or publication) label: `<span>Updated:</span>
    // <span>date</span>`. After a date so labelled as an update, only a date labelled as
    // the publication counts (not the next article's date in a list further down).
    let (mut after_update_label, mut after_published_label, mut label_update) =
        (false, false, false);
    // A date inside a sentence (a subtitle announcing an event, a dateline opening the
    // lead) gives way to a line that is only a date further down the header.
    let mut in_sentence: Option<PageDate> = None;
    let mut after_registered_label = false;
    while j < end && seen < AFTER_NODES && prose < AFTER_PROSE {
        if dom.nodes[j].tag == Tag::Text {
            let t = dom.node_text(j).trim();
            if !t.is_empty() {
                seen += 1;
                let chars = t.chars().count();
                let probe = if chars <= 150 {
                    t
                } else {
                    prose += chars;
                    prefix(t, 40)
                };
                let lower = probe.to_lowercase();
                let said = Said::of(&lower);
                let found = dates::find_visible(probe, dmy)
                    .filter(|_| !after_registered_label && !said.registered());
                if let Some(d) = found {
                    let update = said.updated() || after_update_label;
                    let published = after_published_label || said.published();
                    if !update && (!label_update || published) {
                        let sentence = t.split_whitespace().count() > SENTENCE_WORDS;
                        if !sentence || published {
                            return (Some(d), updated);
                        }
                        in_sentence = in_sentence.or(Some(d));
                    }
                    if update {
                        if let Some(p) = date_before_update(&lower, &said, dmy) {
                            return (Some(p), updated.or(Some(d)));
                        }
                        label_update |= after_update_label;
                        updated = updated.or(Some(d));
                    }
                }
                // A label alone on its line (no date of its own).
                let label_only = found.is_none() && chars <= 25;
                after_update_label = label_only && said.updated();
                after_published_label = label_only && said.published();
                after_registered_label = label_only && said.registered();
            }
        }
        j += 1;
    }
    if in_sentence.is_some() {
        return (in_sentence, updated);
    }
    let mut seen = 0usize;
    let mut j = h;
    while j > 0 && seen < BEFORE_NODES {
        j -= 1;
        if dom.nodes[j].tag != Tag::Text {
            continue;
        }
        let t = dom.node_text(j).trim();
        if t.is_empty() {
            continue;
        }
        seen += 1;
        let said = Said::of(&t.to_lowercase());
        if t.chars().count() <= 80
            && !said.updated()
            && !said.registered()
            && let Some(d) = dates::find_visible(t, dmy)
        {
            return (Some(d), updated);
        }
    }
    (None, updated)
}

/// A date after a publication label (`Veröffentlicht am 16.08.2019`, `Posted on`,
/// `Datum: 03.11.2021`), in the label's line or the next one; the first at or after
/// `from` (the title heading) wins, else the first on the page. Also returns the
/// first date after an update label (`Aktualisiert: 30.12.2016`).
fn labelled(dom: &Dom, from: usize, dmy: bool) -> (Option<PageDate>, Option<PageDate>) {
    let mut before: Option<PageDate> = None;
    let mut updated: Option<PageDate> = None;
    let texts: Vec<usize> = (0..dom.nodes.len())
        .filter(|&i| dom.nodes[i].tag == Tag::Text && !dom.node_text(i).trim().is_empty())
        .collect();
    for (k, &i) in texts.iter().enumerate() {
        let t = dom.node_text(i).trim();
        if t.len() > 160 {
            continue;
        }
        let lower = t.to_lowercase();
        let said = Said::of(&lower);
        let Some(pos) = said.label_end else {
            continue;
        };
        let is_update = said.updated();
        if is_update && updated.is_some() {
            continue;
        }
        // `pos` indexes `lower`; lower-casing may change lengths, so read from `lower`.
        let rest = lower.get(pos..).unwrap_or("");
        let near = |j: Option<&usize>| {
            let nt = dom.node_text(*j?).trim();
            (nt.chars().count() <= 60)
                .then(|| dates::find_visible(nt, dmy))
                .flatten()
        };
        // The date after the label, on its line or the next; or, for a label closing
        // its line, the line before (`3 Sept 2024 | Originally published`).
        let d = dates::find_visible(rest, dmy)
            .or_else(|| near(texts.get(k + 1)))
            .or_else(|| {
                (t.chars().count() <= 40 && rest.trim().chars().count() <= 3)
                    .then(|| near(k.checked_sub(1).and_then(|p| texts.get(p))))
                    .flatten()
            });
        let Some(d) = d else { continue };
        if is_update {
            updated = Some(d);
        } else if i >= from {
            return (Some(d), updated);
        } else if before.is_none() {
            before = Some(d);
        }
    }
    (before, updated)
}

/// The date printed before the first update label of a line (`3. Mai 2021,
/// aktualisiert 5. Mai`), if any. `lower` is the line in lower case.
fn date_before_update(lower: &str, said: &Said, dmy: bool) -> Option<PageDate> {
    let pos = said.updated_start?;
    // With nothing numeric after the label, the date before it is the label's own
    // (`12 Jan 2026 | Latest version`).
    if !lower[pos..].bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    dates::find_visible(&lower[..pos], dmy)
}

/// The first date in `text`, or, when it names the publication date among others
/// (`Last updated: …  Published: …`), the date after that label (`lower` is `text` in
/// lower case, `said` its labels).
fn find_labelled(text: &str, lower: &str, said: &Said, dmy: bool) -> Option<PageDate> {
    if said.kinds & UPDATED != 0
        && let Some(pos) = said.published_end
        && let Some(d) = lower.get(pos..).and_then(|r| dates::find_visible(r, dmy))
    {
        return Some(d);
    }
    dates::find_visible(text, dmy)
}

fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::{dates, zone_shift};
    fn page_date(html: &str, url: Option<&str>) -> Option<String> {
        crate::extract::html::extract_page(html.as_bytes(), url, None)
            .ok()
            .and_then(|e| e.page_date)
            .map(|d| d.to_iso())
    }

    #[test]
    fn a_date_only_in_inline_script_data() {
        let html = format!(
            "<html><head><script>window.__STATE__ = {{\"product\":{{\"title\":\"Kaffee\",\
             \"published_at\":\"2019-03-02T06:22:28+01:00\"}}}};</script></head>\
             <body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2019-03-02T06:22:28+01:00")
        );
        // Creation keys count when no publication key is there.
        let html = format!(
            "<html><body><article><h1>Ein Titel für den Test</h1>{BODY}</article>\
             <script type='application/json'>{{\"createdAt\":\"2022-01-31T15:58:43+01:00\"}}\
             </script></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2022-01-31T15:58:43+01:00")
        );
    }

    #[test]
    fn a_labelled_date_in_the_description_when_the_page_shows_none() {
        let page = |desc: &str| {
            format!(
                "<html lang='it'><head><meta name='description' content='{desc}'></head>\
                 <body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
            )
        };
        let d = page("ORSO MARSICANO: 2019 UN ANNO DA RECORD (Notizia del 14 Gennaio 2020)");
        assert_eq!(page_date(&d, None).as_deref(), Some("2020-01-14"));
        // A date the description does not call the publication's is not taken.
        let d = page("Il concerto del 14 Gennaio 2020 a Roma");
        assert_eq!(page_date(&d, None), None);
    }

    const BODY: &str = "<p>Der erste Absatz des Artikels ist lang genug, um als Haupttext zu gelten, \
        und er erzählt von vielen Dingen, die hier nicht weiter wichtig sind.</p>\
        <p>Ein zweiter Absatz folgt mit weiteren Sätzen, damit der Text als Artikel erkannt wird \
        und nicht als Navigation oder Fußzeile.</p>";

    #[test]
    fn a_utc_stamp_takes_the_offset_of_the_time_the_page_shows() {
        // The stamp says 19:09Z, the page shows 20:09: the page is at +01:00.
        let html = format!(
            "<html lang=de><head><meta property='article:published_time' \
             content='2026-03-02T19:09:00Z'></head><body><article>\
             <h1>Ein Titel für den Test</h1><p class=date>02.03.2026, 20:09 Uhr</p>\
             {BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2026-03-02T20:09:00+01:00")
        );
        // Shown 23:30 on 1 March in California for 07:30Z on 2 March: the page's day.
        let html = format!(
            "<html lang=en><head><meta property='article:published_time' \
             content='2026-03-02T07:30:00Z'></head><body><article>\
             <h1>A title for the test page</h1><p class=date>March 1, 2026 11:30 pm</p>\
             {BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2026-03-01T23:30:00-08:00")
        );
        // Nothing shown: the stamp stays in UTC (a Vietnamese page shows it at UTC+7).
        let html = format!(
            "<html lang=de><head><meta property='article:published_time' \
             content='2026-03-02T19:09:00Z'></head><body><article>\
             <h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2026-03-02T19:09:00+00:00")
        );
    }

    #[test]
    fn a_publication_date_before_or_apart_from_an_update_label() {
        let html = format!(
            "<html lang=en><head><meta property='article:published_time' \
             content='2025-12-07T13:33:15+00:00'></head><body><article><h1>A title for the test page</h1>\
             <p class=date>December 3, 2025. <i>Updated: December 7, 2025</i></p>{BODY}</article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2025-12-03"));
        let html = format!(
            "<html lang=en><body><article><h1>A title for the test page</h1>\
             <p><span>Updated:</span> <span>November 29, 2025</span></p>\
             <p><span>Published:</span> <span>October 29, 2024</span></p>{BODY}</article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2024-10-29"));
    }

    #[test]
    fn last_resorts_a_date_alone_on_its_line_then_a_microformat_update() {
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>\
             <div class=head><b>Synchronschwimmen</b><br><span class=blue>01.02.2022</span></div>\
             {BODY}</article><footer>Copyright 2019</footer></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2022-02-01"));
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>\
             <span class=updated title='2013-04-04T18:52:11+00:00'></span>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2013-04-04T18:52:11+00:00")
        );
        // `wurde am` labels a publication date.
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>{BODY}\
             <p>Dieser Beitrag wurde am 19. Mai 2010 um 23:03 veröffentlicht.</p></article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2010-05-19T23:03:00")
        );
    }

    #[test]
    fn implied_offsets_are_quarter_hours_within_the_worlds_offsets() {
        let at = |h, m, off: Option<i8>| super::PageDate {
            civil: jiff::civil::date(2026, 3, 2).at(h, m, 0, 0),
            offset: off.map(jiff::tz::Offset::constant),
            has_time: true,
        };
        let z = at(10, 0, Some(0));
        let secs = |l| super::implied_offset(&l, &z).map(|o| o.seconds());
        assert_eq!(secs(at(15, 45, None)), Some(5 * 3600 + 45 * 60));
        assert_eq!(secs(at(2, 0, None)), Some(-8 * 3600));
        assert_eq!(secs(at(10, 0, None)), None);
        assert_eq!(secs(at(10, 7, None)), None);
        // 15 hours apart: no place on earth.
        let late = at(23, 0, Some(0));
        assert_eq!(super::implied_offset(&at(8, 0, None), &late), None);
        // Only a UTC stamp implies an offset.
        assert_eq!(
            super::implied_offset(&at(12, 0, None), &at(10, 0, Some(2))),
            None
        );
    }

    #[test]
    fn a_date_element_in_a_related_list_is_another_articles() {
        // The related post's date, a day before the stamp, must not pass for the
        // header's shown day (which would replace the stamp as a later save).
        let html = format!(
            "<html lang=de><head><meta property='article:published_time' \
             content='2023-11-06T12:00:00+00:00'></head><body><article>\
             <h1>Ein Titel für den Test</h1>{}</article>\
             <div class=wp_rp_wrap><ul class='related_post wp_rp'><li>\
             <div class=wp_rp_text><small class=wp_rp_publish_date>05.11.2023</small>\
             <a href=/x>Ein anderer Artikel</a></div></li></ul></div></body></html>",
            BODY.repeat(8)
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2023-11-06T12:00:00+00:00")
        );
    }

    #[test]
    fn date_line_next_to_the_title_heading() {
        let html = format!(
            "<html lang=de><body><nav><a href=/>Start</a></nav><article>\
             <h1>Ein Titel für den Test</h1><p class=sub>Handball Schweiz • 02.02.2022</p>\
             {BODY}</article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2022-02-02"));
    }

    #[test]
    fn labelled_publication_date_beats_update_stamp_and_url() {
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>{BODY}\
             <p>Letzte Änderung: 31.10.2023<br>Erschienen am: 01.11.2023</p></article></body></html>"
        );
        assert_eq!(
            page_date(&html, Some("https://x.de/2020/01/05/a")).as_deref(),
            Some("2023-11-01")
        );
        // Only an update stamp: used as the last resort.
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>{BODY}\
             <p class=info>Aktualisiert: 30.12.2016</p></article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2016-12-30"));
    }

    #[test]
    fn permalink_time_and_title_stamps_count() {
        let html = format!(
            "<html><body><article><h1>Ein Titel für den Test</h1>\
             <span class=posted-on><a href=/p rel=bookmark><time class='entry-date published' \
             datetime='2019-06-28T11:32:59+02:00'>28. Juni 2019</time></a></span>{BODY}\
             <ul class=related><li><a href=/q><time datetime='2018-01-01'>1.1.2018</time></a></li></ul>\
             </article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2019-06-28T11:32:59+02:00")
        );
        let html = format!(
            "<html><body><article><h1>Ein Titel für den Test</h1>\
             <abbr itemprop=datePublished title='2018-06-05T08:00:00-07:00'>08:00</abbr>{BODY}\
             </article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2018-06-05T08:00:00-07:00")
        );
    }

    #[test]
    fn url_day_and_page_time_zone() {
        let pd = |s: &str| dates::parse_machine(s).unwrap();
        // 23:00 UTC is the next day in Europe or Asia; 03:00 UTC the day before in the Americas.
        assert!(zone_shift(&pd("2021-11-04T23:00:00Z"), &pd("2021-11-05")));
        assert!(zone_shift(&pd("2022-05-04T03:37:00Z"), &pd("2022-05-03")));
        assert!(!zone_shift(&pd("2022-01-25T09:16:00Z"), &pd("2022-01-24")));
        assert!(!zone_shift(
            &pd("2022-05-07T13:43:46-05:00"),
            &pd("2022-05-06")
        ));
        assert!(zone_shift(&pd("2022-05-04T02:41:00"), &pd("2022-05-03")));
        let html = format!(
            "<html><head><meta property=article:published_time content='2020-02-25T02:25:54+00:00'>\
             </head><body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, Some("https://x.com/2020/02/24/story")).as_deref(),
            Some("2020-02-24")
        );
        // A later day than the URL's, with the page's own offset, stands.
        let html = html.replace("02:25:54+00:00", "13:43:46-05:00");
        assert_eq!(
            page_date(&html, Some("https://x.com/2020/02/24/story")).as_deref(),
            Some("2020-02-25T13:43:46-05:00")
        );
    }

    /// The label positions as the per-word searches gave them: per word its first
    /// occurrence, the minimum over the words.
    fn said_by_words(lower: &str) -> super::Said {
        use super::*;
        let end = |words: &[&str]| {
            words
                .iter()
                .filter_map(|w| lower.find(w).map(|p| p + w.len()))
                .min()
        };
        let any = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let mut kinds = 0;
        for (list, k) in [
            (PUBLISHED_LABELS, PUBLISHED),
            (UPDATED_LABELS, UPDATED),
            (REGISTERED_LABELS, REGISTERED),
            (&["đăng"][..], DANG),
        ] {
            if any(list) {
                kinds |= k;
            }
        }
        let both: Vec<&str> = PUBLISHED_LABELS
            .iter()
            .chain(UPDATED_LABELS)
            .copied()
            .collect();
        Said {
            kinds,
            published_end: end(PUBLISHED_LABELS),
            label_end: end(&both),
            updated_start: UPDATED_LABELS.iter().filter_map(|w| lower.find(w)).min(),
        }
    }

    #[test]
    fn one_label_pass_gives_the_positions_of_the_word_searches() {
        use super::Said;
        let lines = [
            "",
            "no label here 12.03.2021",
            "veröffentlicht am 16.08.2019",
            // `đăng ngày` holds `đăng` and `ngày đăng` overlaps it: the earliest end wins.
            "ngày đăng ngày 3/4/2021",
            "đăng lúc 10:00 ngày 3/4/2021 | cập nhật 11:00",
            // Two publication labels: the one ending first, wherever it starts.
            "published datum: 1.2.2020",
            "datum published 1.2.2020",
            "last updated on: november 29, 2025 published: october 29, 2024",
            "updated posted 3 may, publié 4 mai",
            "mitglied seit 2008, registriert, joined",
            "ngày tham gia: 01/01/2020",
            "stand: 30.12.2016 aktualisiert geändert",
            "erstellt am 1.1. erstellt am 2.2.",
            "wurde amwurde am",
        ];
        for l in lines {
            assert_eq!(Said::of(l), said_by_words(l), "{l:?}");
        }
        // Exact positions where labels overlap: `ngày đăng` (0..13) ends before
        // `đăng ngày` (6..19); `đăng` alone ends at 10 but is not a publication label.
        let s = Said::of("ngày đăng ngày 3/4");
        assert_eq!(s.published_end, Some("ngày đăng".len()));
        assert_eq!(s.label_end, Some("ngày đăng".len()));
        assert!(s.published() && !s.updated() && s.kinds & super::DANG != 0);
        // `cập nhật` starts at 0, `updated` later; the earliest start is kept.
        let s = Said::of("cập nhật updated");
        assert_eq!(s.updated_start, Some(0));
        assert_eq!(s.label_end, Some("cập nhật".len()));
        assert!(s.updated());
        // `datum` inside a word still counts (a substring, as before).
        let s = Said::of("xdatumx 1.2.2020");
        assert_eq!(s.published_end, Some(6));
    }

    #[test]
    fn class_words_by_kind() {
        use super::{MODIFIED, NAMED, OTHERS, class_says};
        assert_eq!(class_says(""), 0);
        assert_eq!(class_says("post-date"), NAMED);
        // `update` holds `date`: both kinds.
        assert_eq!(class_says("last-updated"), NAMED | MODIFIED);
        assert_eq!(class_says("comment-meta"), OTHERS | NAMED);
        assert_eq!(class_says("tin-lien-quan"), OTHERS);
        assert_eq!(class_says("date-modified"), NAMED | MODIFIED);
        assert_eq!(class_says("wrapper"), 0);
    }

    #[test]
    fn publication_label_wins_inside_a_date_block() {
        let text = "Last updated on: November 29, 2025 Published: October 29, 2024";
        let lower = text.to_lowercase();
        let d = super::find_labelled(text, &lower, &super::Said::of(&lower), false);
        assert_eq!(d.map(|d| d.to_iso()).as_deref(), Some("2024-10-29"));
    }

    #[test]
    fn date_above_a_reworded_title_heading() {
        let html = format!(
            "<html lang=en><head><title>7 Ways to Transition to a Plant-Based Diet</title></head>\
             <body><h1>Shop</h1><h3><span>blog | </span> February 01, 2022</h3>\
             <h2>7 Ways to Help You Transition to a Plant Based Diet</h2>{BODY}</body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2022-02-01"));
    }

    #[test]
    fn byline_blocks_named_author_or_submitted() {
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>{BODY}{BODY}{BODY}\
             <div class=submitted>Gespeichert von <span>rasos</span> am 24. Juli 2017 - 18:55</div>\
             </article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2017-07-24T18:55:00")
        );
    }

    #[test]
    fn other_publication_meta_keys() {
        let html = format!(
            "<html><head><meta name=publisher content='2001-01-01'>\
             <meta name=publication_date content='2022-02-08T14:00:00'></head>\
             <body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2022-02-08T14:00:00")
        );
    }

    #[test]
    fn shown_time_beats_a_stale_meta_but_not_an_update_day() {
        // The header shows a `<time>` that differs from the meta tag: the shown day wins.
        let html = format!(
            "<html><head><meta property='article:published_time' content='2022-03-26T14:32:06+02:00'>\
             </head><body><article><h1>Ein Titel für den Test</h1>\
             <p class=meta><time datetime='2022-03-21'>21.03.2022 - 13:30</time></p>{BODY}\
             </article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2022-03-21T13:30:00")
        );
        // The shown day is the modification day: the publication day stays.
        let html = format!(
            "<html><head><meta property='article:published_time' content='2019-11-25T18:18:05+00:00'>\
             <meta property='article:modified_time' content='2026-02-23T11:48:43+00:00'>\
             </head><body><article><h1>A title for the test page</h1>\
             <time datetime='2026-02-23' pubdate>Feb 23, 2026</time>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2019-11-25T18:18:05+00:00")
        );
    }

    #[test]
    fn publication_meta_tag_before_json_ld() {
        let html = format!(
            "<html><head><meta property='article:published_time' content='2022-05-11T04:10:00Z'>\
             <script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\
             \"datePublished\":\"2022-05-10T23:35:55\"}}</script></head>\
             <body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2022-05-11T04:10:00+00:00")
        );
    }

    #[test]
    fn shown_day_a_few_days_before_the_meta_stamp() {
        let page = |shown: &str| {
            format!(
                "<html><head><meta property='article:published_time' content='2020-02-12T10:00:00+01:00'>\
                 </head><body><article><h1>Ein Titel für den Test</h1>\
                 <div class=news-single-timedata>{shown} - Redaktion</div>{BODY}</article></body></html>"
            )
        };
        assert_eq!(
            page_date(&page("05.02.2020"), None).as_deref(),
            Some("2020-02-05")
        );
        // Weeks before: the meta tag stays (the shown day is something else).
        assert_eq!(
            page_date(&page("05.01.2020"), None).as_deref(),
            Some("2020-02-12T10:00:00+01:00")
        );
    }

    #[test]
    fn dateline_opening_a_paragraph_and_french_label() {
        let html = "<html><head><title>Magazin</title></head><body><div class=text>\
            <p>27.1.2022 - Bei der Erinnerung an die Verfolgten waren viele Opfer lange unsichtbar, \
            was sich erst in letzter Zeit langsam ändert, wie die Initiative betont.</p>\
            <p>Ein zweiter Absatz folgt mit weiteren Sätzen, damit der Text als Artikel erkannt \
            wird und nicht als Navigation.</p></div></body></html>";
        assert_eq!(page_date(html, None).as_deref(), Some("2022-01-27"));
        let html = format!(
            "<html lang=fr><body><article><h1>Un titre pour le test</h1>{BODY}</article>\
             <ul><li><p>Mise en ligne</p><p>23 mai 2019</p></li></ul></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2019-05-23"));
    }

    #[test]
    fn a_comments_date_published_is_not_the_articles() {
        let html = format!(
            "<html lang=en><body><article><h1>A title for the test page</h1>{BODY}\
             <p><b>(Re)Published:</b> May 25, 2025</p><p><b>Last edit:</b> November 18, 2025</p>\
             </article><ol class=comment-list><li><div class='entry-meta comment-metadata'>\
             <time datetime='2022-07-11T18:56:58+00:00' itemprop=datePublished>July 11, 2022</time>\
             </div><p>Great post</p></li></ol></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2025-05-25"));
    }

    #[test]
    fn a_teaser_cards_time_gives_way_to_the_date_by_the_title() {
        let html = format!(
            "<html lang=en><body><main><div><a href=/blog>Learning Center</a>\
             <div>January 28, 2025</div></div><h1>A title for the test page</h1>{}\
             <div class=card><div><a href=/blog>Learning Center</a>\
             <time datetime='2025-04-14T04:00:00.000Z'>April 14, 2025</time></div>\
             <h1>Another article</h1><p>Its teaser.</p></div></main></body></html>",
            BODY.repeat(8)
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2025-01-28"));
    }

    #[test]
    fn a_date_in_a_sentence_gives_way_to_a_date_line() {
        let html = format!(
            "<html lang=en><body><article><h1>A title for the test page</h1>\
             <h3>10 April 2025, 18:00 - Rome time @ In conversation: the philosophy of money and finance</h3>\
             <div class=byline>Emiliano Ippoliti</div><div class=x>Mar 06, 2025</div>{BODY}\
             </article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2025-03-06"));
        // Alone, the date in the sentence still counts.
        let html = format!(
            "<html lang=de><body><article><h1>Ein Titel für den Test</h1>\
             <p>27.1.2022 - Bei der Erinnerung an die Verfolgten waren viele Opfer lange unsichtbar.</p>\
             {BODY}</article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2022-01-27"));
    }

    #[test]
    fn a_registration_date_is_never_the_publication() {
        let html = format!(
            "<html lang=de><body><h1>Was ist Freie Software</h1><div class=post>\
             <dl class=profile><dd><strong>Registriert:</strong> 18.09.2008, 05:56</dd></dl>\
             <p class=author>von <b>r23</b> &raquo; 21.01.2009, 05:42</p>{BODY}</div></body></html>"
        );
        assert_eq!(
            page_date(&html, None).as_deref(),
            Some("2009-01-21T05:42:00")
        );
    }

    #[test]
    fn a_label_after_its_date_and_latest_version_is_an_update() {
        let html = format!(
            "<html lang=en><body><article><h1>A title for the test page</h1>\
             <p><span>Last updated 12 Jan 2026</span></p>{}</article><ul class=history>\
             <li><h6 class=history_date>12 Jan 2026 <span>| Latest version</span></h6></li>\
             <li><h6 class=history_date>3 Sept 2024 <span>| Originally published</span></h6></li>\
             </ul></body></html>",
            BODY.repeat(8)
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2024-09-03"));
    }

    #[test]
    fn a_slashed_meta_date_in_the_order_the_page_shows() {
        let page = |shown: &str| {
            format!(
                "<html lang=de><head><meta name=date content='11/01/2023 12:43:42'></head>\
                 <body><article><h1>Ein Titel für den Test</h1>{BODY}<p>Erstellt am: {shown}</p>\
                 </article></body></html>"
            )
        };
        assert_eq!(
            page_date(&page("01.11.2023"), None).as_deref(),
            Some("2023-11-01T12:43:42")
        );
        // Nothing shown in the other order: day first, as before.
        assert_eq!(
            page_date(&page("11.01.2023"), None).as_deref(),
            Some("2023-01-11T12:43:42")
        );
    }

    #[test]
    fn a_url_day_long_before_the_machine_stamp_wins() {
        let html = format!(
            "<html><head><script type='application/ld+json'>{{\"@type\":\"Article\",\
             \"datePublished\":\"2019-06-17T18:28:00+0200\"}}</script></head>\
             <body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(
            page_date(&html, Some("https://x.de/home/2017/7/12/montauk")).as_deref(),
            Some("2017-07-12")
        );
        // A few days later: the stamp stands.
        assert_eq!(
            page_date(&html, Some("https://x.de/home/2019/6/14/montauk")).as_deref(),
            Some("2019-06-17T18:28:00+02:00")
        );
    }

    #[test]
    fn signed_off_date_and_local_midnight_stamp() {
        let html = format!(
            "<html><body><article><h1>Ein Titel für den Test</h1>{BODY}\
             <p>Benni<br> 10. September 2017</p></article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2017-09-10"));
        let html = format!(
            "<html><head><meta property='article:published_time' content='2022-11-06T23:00:00.000Z'>\
             </head><body><article><h1>Ein Titel für den Test</h1>{BODY}</article></body></html>"
        );
        assert_eq!(page_date(&html, None).as_deref(), Some("2022-11-07"));
    }

    #[test]
    fn date_closing_the_page_title() {
        assert_eq!(
            super::title_date("Éléphants en Guinée | Environnement | DW | 23.05.2011")
                .map(|d| d.to_iso())
                .as_deref(),
            Some("2011-05-23")
        );
        assert_eq!(
            super::title_date("Elecciones 2022 - Información - 11/05/2022 - EL PAÍS")
                .map(|d| d.to_iso()),
            None
        );
        assert_eq!(
            super::title_date("Rückblick auf den 3. Mai 2020 und mehr"),
            None
        );
    }

    #[test]
    fn date_order_follows_the_english_region() {
        use super::{date_language, dmy_for};
        assert!(!dmy_for(Some("en")));
        assert!(!dmy_for(Some("en-US")));
        assert!(!dmy_for(Some("en_us")));
        assert!(dmy_for(Some("en-GB")));
        assert!(dmy_for(Some("en_AU")));
        assert!(dmy_for(Some("vi")));
        assert!(dmy_for(None));
        // never a panic on odd tags (multi-byte letters around the separator)
        assert!(dmy_for(Some("éé-a")));
        assert_eq!(date_language(Some("en"), Some("en_GB")), Some("en_GB"));
        assert_eq!(date_language(Some("en"), Some(" en_US ")), Some("en_US"));
        assert_eq!(date_language(Some("en"), Some("fr_FR")), Some("en"));
        assert_eq!(date_language(Some("en-US"), Some("en_GB")), Some("en-US"));
        assert_eq!(date_language(Some("de"), Some("en_GB")), Some("de"));
        assert_eq!(date_language(None, Some("en_GB")), None);
        // a British page: 05/03/2024 is 5 March (month first it would be 3 May)
        let page = r#"<html lang="en"><head><meta property="og:locale" content="en_GB"><title>Restaurants list revealed</title></head>
            <body><article><h1>Restaurants list revealed</h1><p><strong>Rachael Hogg</strong> - 05/03/2024</p>
            <p>Ahead of the announcement of the list, discover the incredible restaurants ranked from 51 to 100, spread across many cities.</p>
            <p>The extended list features some of the most esteemed dining spots in the region, from one city to another.</p></article></body></html>"#;
        let a = crate::extract::html::extract_page(page.as_bytes(), None, None).expect("article");
        let day = a.page_date.map(|d| d.civil.date().to_string());
        assert_eq!(day.as_deref(), Some("2024-03-05"));
    }
}

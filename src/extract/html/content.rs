//! Main-text extraction: which part of the page is the article, and its paragraphs.
//!
//! The algorithm is general (no per-site selectors):
//! 1. **Text blocks.** Every block element owns the inline text directly inside it. One
//!    pass over the nodes gives each block its characters, link characters and
//!    sentence punctuation.
//! 2. **Block verdicts.** A block inside boilerplate (navigation, share bars, related
//!    lists, comments, ads, footers: [`super::hints`]) or mostly made of links is *bad*;
//!    a block with enough non-link text (long, or sentence-like) is *good*; the rest
//!    (headings, short lines, list items) is *neutral* and judged by its neighbours.
//! 3. **Container.** Good and bad characters are summed bottom-up; the element with the
//!    highest `good − α·bad` (plus a bonus for body-like class names such as
//!    `article-body` or `itemprop=articleBody`) is the article container: the smallest
//!    element that holds most of the prose and little of the clutter.
//! 4. **Lines.** The container's blocks are written out in order, one line each (and at
//!    `<br>`), without bad blocks, captions, boilerplate subtrees, and neutral lines
//!    that are not between good ones (bylines, datelines, "read more" tails). A lead
//!    (sapo) marked by class or a bold first paragraph is split off.
//!
//! All passes are linear in the number of nodes.

use super::dom::{
    BOILER, Dom, HARD, IN_BOILER, IN_LINK, POSITIVE, RIGHT, Tag, WEAK, collapse_spaces,
    push_collapsed,
};

/// Weight of boilerplate characters against article characters when choosing the container.
const ALPHA: f64 = 1.0;

/// Weight of boilerplate-by-class characters with few links (captions, embedded posts).
const PROSE_BAD: f64 = 0.5;

/// What one block of text is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Good,
    Neutral,
    Heading,
    Bad,
}

/// The result of the content pass.
#[derive(Debug, Default, Clone)]
pub(crate) struct Content {
    /// Body paragraphs (without the lead).
    pub paragraphs: Vec<String>,
    /// The lead (sapo), when the page marks one.
    pub lead: Option<String>,
    /// Short lines after the last paragraph (bylines, sources), for the author pass.
    pub tail: Vec<String>,
    /// The byline that closed the body, moved out of it (also first in `tail`).
    pub byline: Vec<String>,
    /// Short lines before the first paragraph inside the container (datelines).
    pub head: Vec<String>,
    /// Index of the container element in the [`Dom`].
    pub container: usize,
}

/// Per-node sums computed in one reverse pass.
struct Stats {
    /// Nearest block ancestor-or-self of each node.
    owner: Vec<u32>,
    /// Per block: own non-space characters, own link characters, sentence marks, bold characters.
    own_chars: Vec<u32>,
    own_link: Vec<u32>,
    own_punct: Vec<u32>,
    own_bold: Vec<u32>,
    /// Subtree non-space characters.
    chars: Vec<u32>,
    /// Subtree characters in prose-like blocks (long, few links), whatever their class.
    prose: Vec<u32>,
}

fn stats(dom: &Dom) -> Stats {
    let n = dom.nodes.len();
    let mut s = Stats {
        owner: vec![0; n],
        own_chars: vec![0; n],
        own_link: vec![0; n],
        own_punct: vec![0; n],
        own_bold: vec![0; n],
        chars: vec![0; n],
        prose: vec![0; n],
    };
    // Bold ancestry per node (pre-order: parents first).
    let mut bold = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        s.owner[i] = if node.tag.is_block() {
            i as u32
        } else {
            s.owner[p]
        };
        bold[i] = if node.tag.is_block() {
            false
        } else {
            node.tag == Tag::Bold || bold[p]
        };
        if node.tag == Tag::Text {
            let (c, punct) = char_counts(dom.node_text(i));
            let o = s.owner[i] as usize;
            s.own_chars[o] += c;
            s.own_punct[o] += punct;
            if node.flags & IN_LINK != 0 {
                s.own_link[o] += c;
            }
            if bold[i] {
                s.own_bold[o] += c;
            }
            s.chars[i] = c;
        }
    }
    for i in 0..n {
        let (c, l) = (s.own_chars[i], s.own_link[i]);
        if c >= 80 && l * 5 < c {
            s.prose[i] = c - l;
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent as usize;
        s.chars[p] += s.chars[i];
        s.prose[p] += s.prose[i];
    }
    s
}

/// The non-whitespace characters and the sentence marks of `t`; ASCII bytes (most of
/// any page's text) are judged without decoding.
fn char_counts(t: &str) -> (u32, u32) {
    let (mut chars, mut punct) = (0u32, 0u32);
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii() {
            // `char::is_whitespace` on ASCII: space, \t, \n, \x0b, \x0c, \r.
            if !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                chars += 1;
            }
            if matches!(c, b'.' | b',' | b'!' | b'?' | b';' | b':') {
                punct += 1;
            }
            i += 1;
            continue;
        }
        let Some(ch) = t[i..].chars().next() else {
            break;
        };
        if !ch.is_whitespace() {
            chars += 1;
        }
        if matches!(ch, '。' | '，' | '、') {
            punct += 1;
        }
        i += ch.len_utf8();
    }
    (chars, punct)
}

/// Recomputes `IN_BOILER`, ignoring boilerplate marks on elements that hold most of
/// the page's text (a `site has-sidebar` wrapper is not boilerplate).
fn mark_boiler(dom: &mut Dom, st: &Stats, ignore: bool) {
    let total = st.chars[0].max(1) as f64;
    for i in 1..dom.nodes.len() {
        let p = dom.nodes[i].parent as usize;
        let flags = dom.nodes[i].flags;
        let prose_inside =
            st.prose[i] >= 400 || (st.prose[i] >= 200 && st.prose[i] * 2 >= st.chars[i]);
        // A layout wrapper (`one-sidebar`, `theiaStickySidebar`) around most of the prose.
        let most_prose = st.prose[i] >= 400 && st.prose[i] * 10 >= st.prose[0] * 6;
        let own = flags & BOILER != 0
            && !ignore
            && (st.chars[i] as f64) < 0.6 * total
            && !(flags & WEAK != 0 && prose_inside)
            && !(flags & HARD == 0 && most_prose);
        let inherited = dom.nodes[p].flags & IN_BOILER != 0;
        if own || inherited {
            dom.nodes[i].flags |= IN_BOILER;
        } else {
            dom.nodes[i].flags &= !IN_BOILER;
        }
    }
}

fn verdict(dom: &Dom, st: &Stats, b: usize) -> Verdict {
    let c = st.own_chars[b];
    if c == 0 {
        return Verdict::Neutral;
    }
    let node = &dom.nodes[b];
    if node.flags & IN_BOILER != 0 {
        return Verdict::Bad;
    }
    let l = st.own_link[b];
    let ld = l as f64 / c as f64;
    if ld > 0.5 {
        return Verdict::Bad;
    }
    if matches!(node.tag, Tag::H(_)) {
        return Verdict::Heading;
    }
    let plain = c - l;
    if (plain >= 60 && ld <= 0.35) || (plain >= 30 && st.own_punct[b] >= 1 && ld <= 0.2) {
        return Verdict::Good;
    }
    Verdict::Neutral
}

/// Finds the article container and writes its lines.
pub(crate) fn extract(dom: &mut Dom, title: Option<&str>) -> Content {
    let st = stats(dom);
    mark_boiler(dom, &st, false);
    let mut content = run(dom, &st, title);
    if content.paragraphs.is_empty() {
        // Everything looked like boilerplate: try again trusting no class names.
        mark_boiler(dom, &st, true);
        content = run(dom, &st, title);
    }
    content
}

/// Per-node verdicts, good/bad character sums and container scores.
struct Scores {
    verdicts: Vec<Verdict>,
    good: Vec<f64>,
    bad: Vec<f64>,
    /// Container score (`f64::MIN` for nodes that cannot be the container).
    score: Vec<f64>,
}

fn score(dom: &Dom, st: &Stats) -> Scores {
    let n = dom.nodes.len();
    let verdicts: Vec<Verdict> = (0..n)
        .map(|i| {
            if dom.nodes[i].tag.is_block() || i == 0 {
                verdict(dom, st, i)
            } else {
                Verdict::Neutral
            }
        })
        .collect();
    let mut good = vec![0f64; n];
    let mut bad = vec![0f64; n];
    for i in 0..n {
        match verdicts[i] {
            Verdict::Good => good[i] = (st.own_chars[i] - st.own_link[i]) as f64,
            Verdict::Bad => {
                // Boilerplate by class that reads like prose (captions, embedded posts,
                // bios) costs less than link lists: articles carry some inside.
                let c = st.own_chars[i];
                let prose_like = st.own_link[i] * 2 <= c;
                bad[i] = if prose_like {
                    PROSE_BAD * c as f64
                } else {
                    c as f64
                };
            }
            _ => {}
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent as usize;
        good[p] += good[i];
        bad[p] += bad[i];
    }
    let mut score = vec![f64::MIN; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        if !(node.tag.is_block() || i == 0) || good[i] <= 0.0 {
            continue;
        }
        let mut s = good[i] - ALPHA * bad[i];
        if node.flags & POSITIVE != 0 {
            s += 0.15 * good[i];
        }
        s += f64::from(node.weight.clamp(-50, 50)) / 500.0 * good[i];
        if node.flags & IN_BOILER != 0 {
            s *= 0.5;
        }
        score[i] = s;
    }
    Scores {
        verdicts,
        good,
        bad,
        score,
    }
}

/// The best container (the last one on ties: the deepest).
fn best(sc: &Scores) -> usize {
    let mut best = 0usize;
    let mut best_score = f64::MIN;
    for (i, &s) in sc.score.iter().enumerate() {
        if s > f64::MIN && s >= best_score {
            best_score = s;
            best = i;
        }
    }
    best
}

fn run(dom: &Dom, st: &Stats, title: Option<&str>) -> Content {
    let mut sc = score(dom, st);
    let best = best(&sc);
    if let Some(body) = sparse_body(dom, st, &sc, best) {
        // Short lines only (a poem, a dialogue, captions): every line that is not
        // boilerplate counts.
        for i in body..dom.nodes[body].end as usize {
            if sc.verdicts[i] == Verdict::Neutral && st.own_chars[i] > 0 {
                sc.verdicts[i] = Verdict::Good;
            }
        }
        return lines(dom, st, &sc.verdicts, body, title);
    }
    if sc.score[best] <= 0.0 && sc.good[best] <= 0.0 {
        return Content::default();
    }
    if let Some(outer) = pieces(dom, &mut sc, best) {
        return lines(dom, st, &sc.verdicts, outer, title);
    }
    lines(dom, st, &sc.verdicts, best, title)
}

/// An article body marked in pieces (`article-content` on each of several blocks in
/// separate sections, with other matter around and between them): when at least
/// [`MIN_PIECES`] such blocks lie outside the best container and hold at least
/// [`PIECES_SHARE`] of its prose, the
/// container is their nearest common ancestor and what lies in it outside the pieces
/// is boilerplate (headings stay, kept between prose as usual). Returns that ancestor
/// and marks the verdicts.
fn pieces(dom: &Dom, sc: &mut Scores, best: usize) -> Option<usize> {
    let n = dom.nodes.len();
    let end_of = |i: usize| dom.nodes[i].end as usize;
    let inside = |i: usize, a: usize| a <= i && i < end_of(a);
    let mut found: Vec<usize> = Vec::new();
    let mut i = 1;
    while i < n {
        let node = &dom.nodes[i];
        if node.tag.is_block() && node.flags & POSITIVE != 0 && node.flags & IN_BOILER == 0 {
            if sc.good[i] > 0.0 {
                found.push(i);
            }
            i = end_of(i);
        } else {
            i += 1;
        }
    }
    if found.len() < MIN_PIECES || found.iter().any(|&p| inside(best, p) || inside(p, best)) {
        return None;
    }
    let prose: f64 = found.iter().map(|&p| sc.good[p]).sum();
    if prose < PIECES_SHARE * sc.good[best] {
        return None;
    }
    // the nearest common ancestor of the first and the last piece holds them all
    let (first, last) = (found[0], found[found.len() - 1]);
    let mut a = dom.nodes[first].parent as usize;
    while !inside(last, a) {
        if a == 0 {
            break;
        }
        a = dom.nodes[a].parent as usize;
    }
    let mut k = 0;
    let mut j = a + 1;
    while j < end_of(a) {
        if k < found.len() && j == found[k] {
            j = end_of(found[k]);
            k += 1;
            continue;
        }
        if matches!(sc.verdicts[j], Verdict::Good | Verdict::Neutral) {
            sc.verdicts[j] = Verdict::Bad;
        }
        j += 1;
    }
    Some(a)
}

/// How many body-marked blocks make an article body in pieces ([`pieces`]).
const MIN_PIECES: usize = 3;

/// The pieces' prose against the best container's for [`pieces`] to take them: a
/// body split into marked blocks often has unmarked prose around them (the best
/// container, say testimonials beside the article, can hold more). On the wcxb and
/// trafilatura sets the rule takes the same one page of 1,247 at any share from 0 to 0.7.
const PIECES_SHARE: f64 = 0.5;

/// When the best container holds little prose (under 150 characters), an element
/// marked as the article body (`entry-content`, `itemprop=articleBody`) with at least
/// three times as much text that is not boilerplate.
fn sparse_body(dom: &Dom, st: &Stats, sc: &Scores, best: usize) -> Option<usize> {
    if sc.good[best] >= 150.0 {
        return None;
    }
    let need = 3.0 * sc.good[best].max(60.0);
    (1..dom.nodes.len())
        .filter(|&i| {
            let n = &dom.nodes[i];
            n.flags & POSITIVE != 0 && n.flags & IN_BOILER == 0 && n.tag.is_block()
        })
        .map(|i| (i, f64::from(st.chars[i]) - sc.bad[i]))
        .filter(|&(_, plain)| plain >= need)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// For debugging: the best-scoring blocks and the chosen container's ancestors, one
/// line each.
pub(crate) fn explain(dom: &mut Dom, find: Option<&str>) -> Vec<String> {
    let st = stats(dom);
    mark_boiler(dom, &st, false);
    let sc = score(dom, &st);
    let chosen = best(&sc);
    let n = dom.nodes.len();
    let mut idx: Vec<usize> = (0..n).filter(|&i| sc.score[i] > f64::MIN).collect();
    idx.sort_by(|&a, &b| sc.score[b].total_cmp(&sc.score[a]));
    idx.truncate(25);
    // The ancestors of the first text node containing `find`.
    if let Some(f) = find
        && let Some(t) =
            (0..n).find(|&i| dom.nodes[i].tag == Tag::Text && dom.node_text(i).contains(f))
    {
        let mut a = t as u32;
        while a != u32::MAX {
            idx.push(a as usize);
            a = dom.nodes[a as usize].parent;
        }
    }
    let mut a = dom.nodes[chosen].parent;
    while a != u32::MAX {
        idx.push(a as usize);
        a = dom.nodes[a as usize].parent;
    }
    idx.into_iter()
        .map(|i| {
            let node = &dom.nodes[i];
            format!(
                "{}{i:6} end {:6} parent {:6} {:?} [{}] flags {:02x} w {} score {:.0} good {} bad {} chars {} {:?}",
                if i == chosen { "*" } else { " " },
                node.end,
                node.parent,
                node.tag,
                dom.class_id(i),
                node.flags,
                node.weight,
                sc.score[i],
                sc.good[i],
                sc.bad[i],
                st.chars[i],
                sc.verdicts[i]
            )
        })
        .collect()
}

/// Lead (sapo) class markers.
const LEAD_SUB: &[&str] = &[
    "sapo",
    "lead",
    "summary",
    "description",
    "chapeau",
    "intro",
    "standfirst",
    "excerpt",
    "subtitle",
    "sub-title",
    "dek",
    "teaser-text",
    "article__sapo",
    "desc",
];

fn is_lead_element(dom: &Dom, i: usize) -> bool {
    let node = &dom.nodes[i];
    if !node.tag.is_block() || node.flags & IN_BOILER != 0 {
        return false;
    }
    let cls = dom.class_id(i);
    !cls.is_empty()
        && LEAD_SUB.iter().any(|s| cls.contains(s))
        && !cls.contains("related")
        && !cls.contains("leader")
}

/// A "more articles" heading ends the article when less than `1/CUT_DIV` of the
/// article's text follows it.
const CUT_DIV: usize = 2;

/// A line that is exactly one of [`MORE_HEADINGS`] ends the article whatever follows
/// once this many characters of good text precede it.
const EXACT_CUT_MIN: usize = 400;

/// Short lines that open a list of other articles ("You may also like").
const MORE_HEADINGS: &[&str] = &[
    "das könnte sie auch",
    "das könnte dich auch",
    "auch interessant",
    "ebenfalls interessant",
    "mehr zum thema",
    "weitere artikel",
    "weitere beiträge",
    "ähnliche artikel",
    "ähnliche beiträge",
    "neueste artikel",
    "beliebte artikel",
    "meistgelesen",
    "weitere themen",
    "lesen sie auch",
    "lies auch",
    "contenido relacionado",
    "artículos relacionados",
    "read more:",
    "read next",
    "recommended for you",
    "most popular",
    "articles similaires",
    "dans la même rubrique",
    "weiterführende",
    "related articles",
    "related posts",
    "related stories",
    "you may also like",
    "you might also like",
    "more stories",
    "more from",
    "vous aimerez aussi",
    "à lire aussi",
    "sur le même sujet",
    "zobacz także",
    "czytaj także",
    "te puede interesar",
    "también te puede interesar",
    "noticias relacionadas",
    "leggi anche",
    "potrebbe interessarti",
    "tin liên quan",
    "bài liên quan",
    "tin cùng chuyên mục",
    "đọc thêm",
    "das thema könnte",
    "zum weiterlesen",
    "vorschau auf den nächsten",
    "veja também",
    "leia também",
    "mehr zu ",
    "schlagworte",
    "notas relacionadas",
    "xem thêm",
    "tin khác",
    "see also",
    "more on this",
];

/// Drops a closing list of other articles: from a short line such as "Das könnte Sie
/// auch interessieren" on, when little of the article's text (under half) follows.
fn cut_at_more_heading(out: &mut Vec<Line>) {
    let good = |l: &Line| {
        if l.verdict == Verdict::Good {
            l.text.chars().count()
        } else {
            0
        }
    };
    let total: usize = out.iter().map(good).sum();
    if total == 0 {
        return;
    }
    let mut before = 0usize;
    for k in 0..out.len() {
        let l = &out[k];
        let chars = l.text.chars().count();
        if before > 0 && chars <= 60 {
            let lower = l.text.trim().to_lowercase();
            let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
            let exact = is_more_heading_line(&l.text);
            if MORE_HEADINGS.iter().any(|h| lower.starts_with(h))
                && ((total - before) * CUT_DIV < total || (exact && before >= EXACT_CUT_MIN))
            {
                out.truncate(k);
                return;
            }
        }
        before += good(l);
    }
    // Mid-article "read also" boxes: the heading line itself is never article text.
    out.retain(|l| !is_more_heading_line(&l.text));
}

/// Headings of the service boxes placed after or inside articles (further links,
/// sources): the line itself goes, what follows stays.
const BOX_HEADINGS: &[&str] = &[
    "weitere informationen",
    "originalpublikation",
    "quellenangaben",
    "more information",
    "further reading",
    "plus d'informations",
    "más información",
    "zusatzinformationen",
    "kontakt",
    "kommentieren",
    "inhaltsverzeichnis",
    "table of contents",
    "weiterlesen",
    "valora esta noticia",
    "contexto de la noticia",
    "bình luận",
    "ý kiến bạn đọc",
    "mục lục",
];

/// True for a line that is only one of [`MORE_HEADINGS`] ("Lesen Sie auch:") or of
/// [`BOX_HEADINGS`].
fn is_more_heading_line(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let lower = text.trim().to_lowercase();
    let whole = lower.trim_matches(|c: char| !c.is_alphanumeric());
    WHOLE_HEADINGS.contains(whole)
}

/// [`MORE_HEADINGS`] and [`BOX_HEADINGS`] without their closing `:`, the whole lines
/// [`is_more_heading_line`] looks for.
static WHOLE_HEADINGS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        MORE_HEADINGS
            .iter()
            .chain(BOX_HEADINGS)
            .map(|h| h.trim_end_matches(':'))
            .collect()
    });

#[derive(Clone)]
struct Line {
    text: String,
    owner: usize,
    verdict: Verdict,
    bold: bool,
}

fn lines(dom: &Dom, st: &Stats, verdicts: &[Verdict], c: usize, title: Option<&str>) -> Content {
    let end = dom.nodes[c].end as usize;
    let mut out: Vec<Line> = Vec::new();
    let mut cur = String::new();
    let mut cur_owner = usize::MAX;
    let mut lead: Option<String> = None;
    let flush = |cur: &mut String, owner: usize, out: &mut Vec<Line>| {
        let t = cur.trim();
        if !t.is_empty() && owner != usize::MAX {
            let bold =
                st.own_chars[owner] > 0 && st.own_bold[owner] * 10 >= st.own_chars[owner] * 9;
            out.push(Line {
                text: t.to_string(),
                owner,
                verdict: verdicts[owner],
                bold,
            });
        }
        cur.clear();
    };
    // A lead element just before the container (the sapo above the body).
    let mut j = c;
    while j < end {
        let node = &dom.nodes[j];
        if j != c && node.flags & BOILER != 0 && node.flags & IN_BOILER != 0 {
            j = node.end as usize;
            continue;
        }
        match node.tag {
            Tag::Figcaption => {
                flush(&mut cur, cur_owner, &mut out);
                j = node.end as usize;
                continue;
            }
            Tag::Text => {
                let o = st.owner[j] as usize;
                if o != cur_owner {
                    flush(&mut cur, cur_owner, &mut out);
                    cur_owner = o;
                }
                cur.push_str(dom.node_text(j));
                if cur.len() > 1 && cur.ends_with("  ") {
                    cur.pop();
                }
            }
            Tag::Br => flush(&mut cur, cur_owner, &mut out),
            t if t.is_block() => {
                flush(&mut cur, cur_owner, &mut out);
                if lead.is_none()
                    && out.iter().all(|l| l.verdict != Verdict::Good)
                    && is_lead_element(dom, j)
                {
                    let t = dom.subtree_text(j);
                    let len = t.chars().count();
                    if (40..=1500).contains(&len) {
                        lead = Some(t);
                        j = node.end as usize;
                        continue;
                    }
                }
            }
            _ => {}
        }
        j += 1;
    }
    flush(&mut cur, cur_owner, &mut out);
    cut_at_more_heading(&mut out);
    let mut content = Content {
        container: c,
        ..Default::default()
    };
    if lead.is_none() {
        lead = lead_before(dom, c);
    }
    let first_good = out.iter().position(|l| l.verdict == Verdict::Good);
    let last_good = out.iter().rposition(|l| l.verdict == Verdict::Good);
    let (Some(first_good), Some(last_good)) = (first_good, last_good) else {
        // Only a lead (a short news item or a teaser page): the lead is the article.
        content.lead = lead.filter(|_| verdicts[c] != Verdict::Bad);
        return content;
    };
    let title_norm = title.map(norm);
    for (k, l) in out.iter().enumerate() {
        let keep = match l.verdict {
            Verdict::Good => true,
            Verdict::Bad => false,
            Verdict::Heading => {
                k < last_good && (k > first_good || dom.nodes[l.owner].tag != Tag::H(1))
            }
            Verdict::Neutral => k > first_good && k < last_good,
        };
        if !keep {
            if k > last_good && l.text.chars().count() < 200 {
                content.tail.push(l.text.clone());
            } else if k < first_good && l.text.chars().count() < 200 {
                content.head.push(l.text.clone());
            }
            continue;
        }
        if let Some(tn) = &title_norm
            && k <= first_good
            && norm(&l.text) == *tn
        {
            continue;
        }
        if lead.as_deref() == Some(l.text.as_str()) {
            continue;
        }
        content.paragraphs.push(l.text.clone());
    }
    // A bold first paragraph is the lead of a Vietnamese article.
    if lead.is_none()
        && let Some(first) = out.get(first_good)
        && first.bold
        && first.text.chars().count() >= 60
        && content.paragraphs.len() > 1
        && content.paragraphs.first() == Some(&first.text)
    {
        lead = Some(content.paragraphs.remove(0));
    }
    content.lead = lead.filter(|l| !is_credited_caption(l));
    drop_captions(&mut content.paragraphs);
    drop_closing_calls(&mut content);
    // Right-aligned short lines (the signature line of many newsrooms).
    let right: Vec<&str> = out
        .iter()
        .filter(|l| {
            let o = l.owner;
            let p = dom.nodes[o].parent as usize;
            (dom.nodes[o].flags & RIGHT != 0
                || dom.nodes.get(p).is_some_and(|n| n.flags & RIGHT != 0))
                && l.text.chars().count() <= MAX_BYLINE_CHARS
        })
        .map(|l| l.text.as_str())
        .collect();
    move_closing_bylines(&mut content, &right);
    // A right-aligned line just after the body (already out of it) is the byline too.
    if content.byline.is_empty()
        && let Some(t) = content
            .tail
            .iter()
            .take(3)
            .find(|t| right.contains(&t.as_str()))
    {
        content.byline.push(t.clone());
    }
    content
}

/// The longest line read as a byline.
const MAX_BYLINE_CHARS: usize = 80;

/// Openings of a byline line (lower case).
const BYLINE_OPENINGS: &[&str] = &[
    "bài:",
    "bài, ảnh:",
    "bài và ảnh:",
    "bài - ảnh:",
    "bài/ảnh:",
    "tác giả:",
    "nhóm pv",
    "nhóm phóng viên",
    "theo ",
    "by ",
    "von ",
    "text:",
];

/// A line that is a byline: short and right-aligned (`right`), a name in capitals
/// (`NGUYỄN HUY`, `NHẬT XUÂN - NGHI VŨ`), or opened by a byline word (`Bài, ảnh:`,
/// `Theo TTXVN`, `Nhóm PV`).
fn is_byline_line(p: &str, right: &[&str]) -> bool {
    let n = p.chars().count();
    if n == 0 || n > MAX_BYLINE_CHARS {
        return false;
    }
    if right.contains(&p) {
        return true;
    }
    let lower = p.to_lowercase();
    let max_words = if p.trim_end().ends_with('.') { 4 } else { 8 };
    if BYLINE_OPENINGS.iter().any(|o| lower.starts_with(o))
        && n <= 60
        && !p.trim_end().ends_with([':', '?', '!'])
        && p.split_whitespace().count() <= max_words
    {
        return true;
    }
    // A name in capitals: 2 to 8 words (names of two to four syllables, joined by
    // `-`, `,` or `và`), every letter upper case, no sentence punctuation.
    let names: String = p
        .split('(')
        .next()
        .unwrap_or(p)
        .chars()
        .filter(|c| !matches!(c, '-' | '–' | ',' | '&'))
        .collect();
    let words: Vec<&str> = names.split_whitespace().filter(|w| *w != "và").collect();
    let letters: Vec<char> = words.iter().flat_map(|w| w.chars()).collect();
    (2..=8).contains(&words.len())
        && letters.len() >= 4
        && letters.iter().all(|c| c.is_uppercase())
        && words
            .iter()
            .all(|w| w.chars().all(char::is_alphabetic) && w.chars().count() <= 7)
        && !p.contains(['.', ':', '!', '?', '"', '“'])
}

/// Moves the byline that closes the article (the last paragraph, or one of the last
/// three when only short lines, up to 150 characters, follow it: a name in capitals
/// before a closing note)
/// from the body to the tail, where the author pass reads it.
fn move_closing_bylines(content: &mut Content, right: &[&str]) {
    let n = content.paragraphs.len();
    if n < 2 {
        return;
    }
    for k in (n.saturating_sub(3).max(1)..n).rev() {
        let after_short = content.paragraphs[k + 1..]
            .iter()
            .all(|p| p.chars().count() <= 150);
        if after_short && is_byline_line(&content.paragraphs[k], right) {
            let moved: Vec<String> = content.paragraphs.drain(k..).collect();
            content.byline.push(moved[0].clone());
            for (i, p) in moved.into_iter().enumerate() {
                content.tail.insert(i, p);
            }
            return;
        }
    }
}

/// Markers of a picture credit (`Foto: dpa`, `© Reuters`, `Ảnh: TTXVN`), matched in
/// lower case.
const CREDITS: &[&str] = &[
    "©",
    "foto:",
    "fotos:",
    "photo:",
    "photos:",
    "bild:",
    "credit:",
    "crédito:",
    "ảnh:",
];

/// Labels that open a credit or source line of their own (`Quelle: dpa`).
const CREDIT_LINES: &[&str] = &[
    "titelbild:",
    "bildnachweis:",
    "bildquelle:",
    "quelle:",
    "source:",
    "nguồn:",
    "fuente:",
];

/// Words that open a figure caption (`Abbildung 4: ...`, `Fig. 2: ...`).
const FIGURE_WORDS: &[&str] = &["abbildung", "abb.", "figure", "fig.", "hình", "grafik"];

/// A figure caption: a figure word, an optional number, then a colon.
fn figure_caption(lower: &str) -> bool {
    FIGURE_WORDS.iter().any(|w| {
        lower.strip_prefix(w).is_some_and(|rest| {
            let rest =
                rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.');
            rest.starts_with(':')
        })
    })
}

/// A PHP warning printed into the page (`Warning: ... on line 407`).
fn php_warning(lower: &str) -> bool {
    ["warning: ", "notice: ", "deprecated: ", "fatal error: "]
        .iter()
        .any(|p| lower.starts_with(p))
        && lower.contains(" on line ")
}

/// A short line that is only a credit or source label and a name.
fn credit_line(lower: &str) -> bool {
    let t = lower.trim_start_matches(|c: char| c == '(' || c == '[' || c.is_whitespace());
    CREDIT_LINES.iter().any(|m| {
        t.strip_prefix(m)
            .is_some_and(|rest| (1..=80).contains(&rest.trim().chars().count()))
    })
}

/// True for a picture caption left in the text: a short line that ends with a credit
/// (`Der See im Winter. © WSNA`), with a sentence before the marker and only a name
/// after it, or a credit line of its own (`(Credit: Jane Doe)`, `Ảnh: TTXVN`). A byline
/// (`Bài, ảnh: NGUYỄN HUY`) has neither.
fn is_credited_caption(text: &str) -> bool {
    if text.len() > 900 || text.chars().count() > 300 {
        return false;
    }
    let lower = text.to_lowercase();
    if credit_line(&lower) || figure_caption(&lower) || php_warning(&lower) {
        return true;
    }
    // Every credit marker holds `:` or `©` (whose UTF-8 ends in 0xA9): without either
    // byte there is none to look for.
    if memchr::memchr2(b':', 0xA9, lower.as_bytes()).is_none() {
        return false;
    }
    let Some((at, marker)) = CREDITS
        .iter()
        .filter_map(|m| lower.rfind(m).map(|i| (i, *m)))
        .max_by_key(|(i, _)| *i)
    else {
        return false;
    };
    let before = lower[..at].trim_end_matches(|c: char| c.is_whitespace() || c == '|' || c == '(');
    let after = lower[at + marker.len()..].trim();
    if before.is_empty() && at < 2 && (1..=50).contains(&after.chars().count()) {
        return true; // a credit line of its own: `(Credit: Jane Doe / Grist)`
    }
    before.chars().count() >= 20
        && before.contains(|c: char| c.is_alphabetic())
        && (1..=50).contains(&after.chars().count())
        && !after.contains(". ")
}

/// Removes captions, credit lines and PHP warnings from the paragraphs, unless nothing
/// else is left (then the block is all the page has, and it stays).
fn drop_captions(paragraphs: &mut Vec<String>) {
    let captions: Vec<bool> = paragraphs.iter().map(|p| is_credited_caption(p)).collect();
    if captions.iter().all(|&c| c) {
        return;
    }
    let mut keep = captions.iter().map(|&c| !c);
    paragraphs.retain(|_| keep.next().unwrap_or(true));
}

/// Phrases of the calls to action and notices that close many articles (subscribe,
/// follow us, copyright), matched in lower case.
const CALLS: &[&str] = &[
    "subscribe",
    "subscription",
    "newsletter",
    "sign up for",
    "follow us",
    "all rights reserved",
    "copyrighted",
    "written permission",
    "abonnieren",
    "abonniere ",
    "folge uns",
    "folgen sie uns",
    "unterstütze",
    "síguenos",
    "siguenos",
    "suscríbete",
    "suscribete",
    "abonnez-vous",
    "suivez-nous",
    "pour lire la suite",
    "bản quyền thuộc",
];

/// Social networks: a closing line naming two of them is a "follow us" line.
const NETWORKS: &[&str] = &[
    "facebook",
    "twitter",
    "instagram",
    "telegram",
    "whatsapp",
    "youtube",
    "tiktok",
    "linkedin",
    "zalo",
];

/// True for a short line that asks the reader to subscribe, follow or support, or
/// states the site's copyright.
fn is_closing_call(text: &str) -> bool {
    if text.chars().count() > 400 {
        return false;
    }
    let lower = text.to_lowercase();
    CALLS.iter().any(|c| lower.contains(c))
        || lower.starts_with('©')
        || NETWORKS.iter().filter(|n| lower.contains(*n)).count() >= 2
}

/// Moves the calls to action that close the article from the body to the tail.
fn drop_closing_calls(content: &mut Content) {
    while content.paragraphs.len() > 1
        && content
            .paragraphs
            .last()
            .is_some_and(|p| is_closing_call(p))
    {
        if let Some(p) = content.paragraphs.pop() {
            content.tail.insert(0, p);
        }
    }
}

/// A lead element shortly before the container (same parent chain, outside it).
fn lead_before(dom: &Dom, c: usize) -> Option<String> {
    // Look back over the nodes that precede the container, nearest first, within a window.
    let start = c.saturating_sub(400);
    for j in (start..c).rev() {
        if dom.nodes[j].end as usize > c {
            continue; // an ancestor of the container
        }
        if is_lead_element(dom, j) {
            let t = dom.subtree_text(j);
            let len = t.chars().count();
            if (40..=1500).contains(&len) {
                return Some(t);
            }
        }
        if matches!(dom.nodes[j].tag, Tag::H(1)) {
            break;
        }
    }
    None
}

/// Takes the page's description (`<meta name=description>`) as the lead when the page
/// shows it: as the first of several paragraphs (moved from the body to the lead), or
/// as a block of its own before the end of the container that the paragraphs do not
/// hold (a teaser under the headline whose class names say nothing).
pub(crate) fn lead_from_description(dom: &Dom, content: &mut Content, description: &str) {
    let want = norm(description);
    if want.chars().count() < 40 {
        return;
    }
    if content.paragraphs.len() > 1 && norm(&content.paragraphs[0]) == want {
        content.lead = Some(content.paragraphs.remove(0));
        return;
    }
    if content.paragraphs.iter().any(|p| norm(p).contains(&want)) {
        return;
    }
    content.lead = shown_description(dom, content.container, &collapse_spaces(description));
}

/// The page's description (`<meta name=description>`), when the page also shows it as
/// the text of one block before the end of the article container `c` (and the
/// article's paragraphs do not hold it): a teaser shown under the headline is the
/// article's lead even when its class names say nothing.
///
/// `want` is the description with its spaces collapsed. Only text nodes are compared
/// (a cheap equality test after collapsing spaces), so a description split over several
/// inline elements is not found.
fn shown_description(dom: &Dom, c: usize, want: &str) -> Option<String> {
    let mut buf = String::new();
    let end = dom.nodes.get(c).map_or(0, |n| n.end as usize);
    for j in (0..end).rev() {
        let node = &dom.nodes[j];
        if node.tag != Tag::Text {
            continue;
        }
        let t = dom.node_text(j);
        if t.len() < want.len() || t.len() > want.len() * 2 + 64 {
            continue;
        }
        buf.clear();
        push_collapsed(&mut buf, t);
        if buf.trim() == want {
            return Some(want.to_string());
        }
    }
    None
}

/// Lower-cased text with whitespace collapsed, for comparisons.
///
/// Word by word as `str::to_lowercase` does it (a Greek final sigma is judged within
/// its word), into one buffer; ASCII words, most of them, are lower-cased in place.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // One pass over the bytes; whitespace as `char::is_whitespace` has it in ASCII.
        let mut gap = false;
        for &b in s.as_bytes() {
            if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(' ');
                    gap = false;
                }
                out.push(char::from(b.to_ascii_lowercase()));
            }
        }
        return out;
    }
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            let start = out.len();
            out.push_str(w);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_heading_lines_are_whole_lines() {
        assert!(is_more_heading_line("Read more"));
        assert!(is_more_heading_line("  READ MORE: "));
        assert!(is_more_heading_line("Lesen Sie auch:"));
        assert!(is_more_heading_line("– Weitere Informationen –"));
        assert!(!is_more_heading_line("Read more about it"));
        assert!(!is_more_heading_line(""));
        assert!(!is_more_heading_line(&"lesen sie auch ".repeat(10)));
    }

    fn run_html(html: &str) -> Content {
        let doc = scraper::Html::parse_document(html);
        let mut dom = Dom::build(&doc);
        extract(&mut dom, Some("Tiêu đề bài"))
    }

    const PARA: &str =
        "Đây là một đoạn văn dài của bài báo, có đủ chữ để được xem là nội dung chính của trang.";

    #[test]
    fn a_body_marked_in_pieces_is_taken_whole() {
        // go.study's layout: each part of the article a section of its own with the
        // body marker on its paragraphs, then testimonials with more prose than any part
        let part = |h: &str, n: usize| {
            format!(
                "<section><div class=\"limitwidth\"><h2>{h}</h2><p class=\"article-content\">{}</p></div></section>",
                format!("{h}: {PARA} ").repeat(n)
            )
        };
        // link lists between the parts (menus, cards of other courses)
        let links: String = (0..40)
            .map(|k| format!("<li><a href=\"/k{k}\">Khóa học số {k} ở nước ngoài</a></li>"))
            .collect();
        let part = |h: &str, n: usize| format!("{}<ul class=\"menu\">{links}</ul>", part(h, n));
        let quotes: String = (0..6)
            .map(|k| format!("<div class=\"card\"><p>Người {k} nói: {PARA} {PARA}</p></div>"))
            .collect();
        let html = format!(
            "<html><body><div class=\"page\">{}{}{}<section class=\"reviews\"><div>{quotes}</div></section></div></body></html>",
            part("Phần một", 3),
            part("Phần hai", 2),
            part("Phần ba", 2)
        );
        let c = run_html(&html);
        let text = c.paragraphs.join("\n");
        for h in ["Phần một", "Phần hai", "Phần ba"] {
            assert!(c.paragraphs.iter().any(|p| p == h), "heading {h}: {text}");
            assert!(text.contains(&format!("{h}: {PARA}")), "part {h}: {text}");
        }
        assert!(!text.contains("Người 0 nói"), "testimonials: {text}");
        // the same page with two parts only: the body is not taken as pieces
        let html = format!(
            "<html><body><div class=\"page\">{}{}<section class=\"reviews\"><div>{quotes}</div></section></div></body></html>",
            part("Phần một", 3),
            part("Phần hai", 2)
        );
        let c = run_html(&html);
        assert!(c.paragraphs.join("\n").contains("Người 0 nói"));
    }

    #[test]
    fn a_closing_more_heading_ends_the_article() {
        let line = |t: &str, v: Verdict| Line {
            text: t.into(),
            owner: 0,
            verdict: v,
            bold: false,
        };
        let long =
            "Ein langer Absatz des Artikels mit genug Text, um als Inhalt zu zählen. ".repeat(3);
        let mut out = vec![
            line(&long, Verdict::Good),
            line(&long, Verdict::Good),
            line("Das könnte Sie auch interessieren", Verdict::Heading),
            line("Ein anderer Artikel über etwas anderes", Verdict::Good),
        ];
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 2);
        // Mid-article (much text follows): kept.
        let mut out = vec![
            line(&long, Verdict::Good),
            line("Auch interessant: ein Link", Verdict::Neutral),
            line(&long, Verdict::Good),
            line(&long, Verdict::Good),
        ];
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 4);
        // A "read also" heading mid-article goes, the article around it stays.
        let mut out = vec![
            line(&long, Verdict::Good),
            line("Lesen Sie auch:", Verdict::Heading),
            line(&long, Verdict::Good),
            line(&long, Verdict::Good),
        ];
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|l| l.text == long));
        // A service box heading goes, the box's text stays (it may be the article's).
        let mut out = vec![
            line(&long, Verdict::Good),
            line("Weitere Informationen:", Verdict::Heading),
            line(&long, Verdict::Good),
            line("Mục lục", Verdict::Heading),
        ];
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|l| l.text == long));
        // A teaser list as long as a third of the page still goes.
        let mut out = vec![
            line(&long, Verdict::Good),
            line(&long, Verdict::Good),
            line("Beliebte Artikel", Verdict::Heading),
            line(&long, Verdict::Good),
        ];
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 2);
        // A line that is only such a heading cuts a long teaser list too, once the
        // article has begun; a longer line starting the same way does not.
        let teasers = vec![line(&long, Verdict::Good); 4];
        let mut out = vec![line(&long, Verdict::Good), line(&long, Verdict::Good)];
        out.push(line("Neueste Artikel:", Verdict::Heading));
        out.extend(teasers.iter().cloned());
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 2);
        let mut out = vec![line(&long, Verdict::Good), line(&long, Verdict::Good)];
        out.push(line(
            "Neueste Artikel der Forschung zeigen",
            Verdict::Heading,
        ));
        out.extend(teasers.iter().cloned());
        cut_at_more_heading(&mut out);
        assert_eq!(out.len(), 7);
    }

    #[test]
    fn credited_captions_are_not_text() {
        assert!(is_credited_caption("Der Neusiedler See im Winter. © WSNA"));
        assert!(is_credited_caption(
            "Thủ tướng phát biểu tại hội nghị sáng nay. Ảnh: TTXVN"
        ));
        assert!(is_credited_caption(
            "Son tres los periodos de vacaciones. Foto: Andina"
        ));
        assert!(is_credited_caption("(Credit: Jane Doe / Grist)"));
        assert!(is_credited_caption("Quelle: Landesregierung"));
        assert!(is_credited_caption(
            "Abbildung 4: klassische Schwachschicht im Schneeprofil."
        ));
        assert!(is_credited_caption("Fig. 2: Hình minh họa"));
        assert!(is_credited_caption(
            "Warning: Undefined variable $x in /var/www/index.php on line 12"
        ));
        assert!(!is_credited_caption(
            "Figure skating is a sport in which individuals perform on ice."
        ));
        assert!(!is_credited_caption(
            "Quelle: die Zahlen stammen vom Amt, das sie seit Jahren erhebt und jedes Jahr im Frühjahr veröffentlicht, zusammen mit einer ausführlichen Erläuterung."
        ));
        assert!(is_credited_caption("Ảnh: TTXVN"));
        // The search for markers is skipped where neither byte is: it must stay so.
        assert!(CREDITS.iter().all(|m| m.contains(':') || m.contains('©')));
        // A byline, a paragraph that mentions a photo, a long paragraph: kept.
        assert!(!is_credited_caption("Bài, ảnh: NGUYỄN HUY"));
        assert!(!is_credited_caption(
            "Er zeigte uns das Foto: ein alter Mann am See, der in die Ferne blickt. Dann ging er."
        ));
        assert!(!is_credited_caption(&format!(
            "{PARA} {PARA} {PARA} {PARA} Foto: dpa"
        )));
        let caption = "Cảnh sát phong tỏa hiện trường vụ cháy. Ảnh: Nguyễn Huy".to_string();
        let mut paragraphs = vec![PARA.to_string(), caption.clone(), PARA.to_string()];
        drop_captions(&mut paragraphs);
        assert_eq!(paragraphs, vec![PARA.to_string(), PARA.to_string()]);
        // Nothing but captions: they stay (the page has nothing else).
        let mut paragraphs = vec![caption.clone(), caption.clone()];
        drop_captions(&mut paragraphs);
        assert_eq!(paragraphs.len(), 2);
    }

    #[test]
    fn closing_calls_to_action_leave_the_body() {
        let mut c = Content {
            paragraphs: vec![
                PARA.to_string(),
                "Ông Lộc nói sẽ theo dõi thị trường trên Facebook của công ty.".to_string(),
                "Follow us on Twitter and Instagram for the latest news.".to_string(),
                "© 2024 Example News. All rights reserved.".to_string(),
            ],
            ..Default::default()
        };
        drop_closing_calls(&mut c);
        assert_eq!(c.paragraphs.len(), 2, "{:?}", c.paragraphs);
        assert_eq!(c.tail.len(), 2);
        assert!(c.tail[0].starts_with("Follow us"));
        // A lone paragraph is never emptied out.
        let mut c = Content {
            paragraphs: vec!["Subscribe to our newsletter.".to_string()],
            ..Default::default()
        };
        drop_closing_calls(&mut c);
        assert_eq!(c.paragraphs.len(), 1);
    }

    #[test]
    fn picks_the_prose_and_drops_navigation_and_related_lists() {
        let html = format!(
            "<body><nav><ul><li><a href=/>Trang chủ</a></li><li><a href=/tg>Thế giới</a></li></ul></nav>\
             <div class=main><h1>Tiêu đề bài</h1><p class=sapo>{PARA} Sapo.</p>\
             <div class=body><p>{PARA} Một.</p><p>Tiểu mục</p><p>{PARA} Hai.</p>\
             <div class=related><a href=/x>{PARA} Liên quan</a></div><p>NGUYỄN HUY</p></div></div>\
             <footer>{PARA} Chân trang</footer></body>"
        );
        let c = run_html(&html);
        assert_eq!(
            c.paragraphs,
            vec![
                format!("{PARA} Một."),
                "Tiểu mục".to_string(),
                format!("{PARA} Hai.")
            ]
        );
        assert_eq!(c.lead, Some(format!("{PARA} Sapo.")));
        assert_eq!(c.tail, vec!["NGUYỄN HUY".to_string()]);
    }

    #[test]
    fn closing_bylines_leave_the_body() {
        // VnExpress: a right-aligned bold name closes every article.
        let html = format!(
            "<body><div class=main><p>{PARA} Một.</p><p>{PARA} Hai.</p>\
             <p class=Normal style='text-align:right;'><strong>Hà Thu</strong> <em>(tổng hợp)</em></p>\
             </div></body>"
        );
        let c = run_html(&html);
        assert_eq!(
            c.paragraphs,
            vec![format!("{PARA} Một."), format!("{PARA} Hai.")]
        );
        assert_eq!(
            c.tail.first().map(String::as_str),
            Some("Hà Thu (tổng hợp)")
        );
        // A name in capitals before a closing note.
        let html = format!(
            "<body><div class=main><p>{PARA} Một.</p><p>{PARA} Hai.</p><p>{PARA} Ba.</p>\
             <p>NHẬT XUÂN - NGHI VŨ</p><p>Theo kế hoạch, giải đấu tiếp tục vào tuần tới.</p></div></body>"
        );
        let c = run_html(&html);
        assert_eq!(c.paragraphs.len(), 3, "{:?}", c.paragraphs);
        assert_eq!(
            c.tail.first().map(String::as_str),
            Some("NHẬT XUÂN - NGHI VŨ")
        );
        // Openings: `Bài, ảnh:`, `Theo TTXVN`.
        assert!(is_byline_line("Bài, ảnh: NGUYỄN HUY", &[]));
        assert!(is_byline_line("Theo TTXVN", &[]));
        assert!(is_byline_line("Nhóm PV", &[]));
        // Not bylines: sentences, a name without a label, capitals or alignment.
        assert!(!is_byline_line(
            "Theo kế hoạch, giải đấu tiếp tục vào tuần tới.",
            &[]
        ));
        assert!(!is_byline_line("Thu Hà", &[]));
        assert!(!is_byline_line("KẾT", &[]));
        // A heading in capitals before a long closing paragraph stays.
        let html = format!(
            "<body><div class=main><p>{PARA} Một.</p><p>{PARA} Hai.</p>\
             <p>KẾT LUẬN</p><p>{PARA} {PARA} Ba.</p></div></body>"
        );
        assert_eq!(run_html(&html).paragraphs.len(), 4);
    }

    #[test]
    fn bold_first_paragraph_becomes_the_lead() {
        let html = format!(
            "<body><div><p><strong>{PARA} Đậm.</strong></p><p>{PARA} Một.</p><p>{PARA} Hai.</p></div></body>"
        );
        let c = run_html(&html);
        assert_eq!(c.lead, Some(format!("{PARA} Đậm.")));
        assert_eq!(c.paragraphs.len(), 2);
    }

    #[test]
    fn br_splits_lines_and_link_lists_are_dropped() {
        let html = format!(
            "<body><div>{PARA}<br>{PARA} Hai.<ul><li><a href=a>một liên kết rất dài ở đây</a></li>\
             <li><a href=b>một liên kết rất dài nữa</a></li></ul>{PARA} Ba.</div></body>"
        );
        let c = run_html(&html);
        assert_eq!(c.paragraphs.len(), 3, "{:?}", c.paragraphs);
    }

    #[test]
    fn a_lone_lead_is_the_article() {
        let c = run_html(
            "<html><body><div class=nav><a href=/>Start</a></div><div class=body>\
             <h1>Titel</h1><p class=intro>Vierundzwanzig Milliarden Tonnen fruchtbarer Boden gehen \
             jedes Jahr verloren, sagt eine neue Studie der Forscher.</p></div></body></html>",
        );
        assert!(c.paragraphs.is_empty());
        assert!(c.lead.is_some_and(|l| l.starts_with("Vierundzwanzig")));
    }

    #[test]
    fn short_lines_inside_a_marked_body_are_the_article() {
        let c = run_html(
            "<html><body><div class=entry-content><p>„Ich weiß, ich bin spät.“</p>\
             <p>– „Ok.“</p><p>„Und jetzt?“</p><p>– „Nichts. Einfach nichts tun.“</p>\
             <p>„Ist das auch eine Möglichkeit?“</p><p>– „Vielleicht die beste.“</p>\
             <p>Sie sahen lange auf den See hinaus.</p><p>– „Morgen wieder?“</p>\
             <p>„Morgen wieder, gleiche Zeit, gleicher Ort.“</p><p>Dann gingen beide heim.</p></div>\
             <div class=footer><p>Copyright © 2018. All Rights Reserved.</p></div></body></html>",
        );
        assert_eq!(c.paragraphs.len(), 10, "{:?}", c.paragraphs);
        assert!(!c.paragraphs.iter().any(|p| p.contains("Copyright")));
    }

    #[test]
    fn char_counts_agree_with_counting_chars() {
        let old = |t: &str| {
            let c = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            let p = t
                .chars()
                .filter(|c| matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '。' | '，' | '、'))
                .count() as u32;
            (c, p)
        };
        for t in [
            "",
            "Giá vàng giảm, rồi tăng: 3%!",
            " a\tb\x0b\x0c\r\n\u{a0}\u{3000}c ",
            "中文。逗号，顿号、完",
        ] {
            assert_eq!(char_counts(t), old(t), "{t:?}");
        }
    }

    #[test]
    fn norm_lowercases_word_by_word_and_collapses_spaces() {
        let old = |s: &str| {
            s.split_whitespace()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "",
            "   ",
            "  Giá VÀNG\t\n giảm  3% ",
            "ΟΔΟΣ ΣΑΣ Σ",
            "İstanbul ẞTRASSE Ǆemal",
            "a\u{a0}b\u{3000}C",
            " \x0bThe  Quick\r\nBROWN\x0c fox. ",
            "x",
            "\t\n",
        ] {
            assert_eq!(norm(s), old(s), "{s:?}");
        }
    }

    #[test]
    fn no_prose_gives_no_paragraphs() {
        let c = run_html("<body><ul><li><a href=a>Trang chủ</a></li></ul></body>");
        assert!(c.paragraphs.is_empty());
    }
}

//! A compact, read-only copy of the parsed page that the extraction passes work on.
//!
//! One pre-order walk over scraper's tree builds [`Dom`]: elements that never hold
//! article text (scripts, styles, forms controls, SVG, hidden elements) are left out,
//! text is whitespace-collapsed into one buffer, and each element gets its class/id
//! hint ([`super::hints`]). Nodes are stored in pre-order with the end of their
//! subtree, so "the subtree of `i`" is the index range `i..end`, and per-node sums
//! are computed in one reverse pass. The same walk collects what the metadata pass
//! needs from anywhere in the page (`<meta>`, `<link>`, JSON-LD, `<title>`, `lang`).

use ego_tree::NodeRef;
use scraper::Node as SNode;

use super::hints::{self, Hint};

/// The element kinds the extractor distinguishes; everything else is `Inline` or `Block`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Tag {
    Text,
    Root,
    P,
    Div,
    H(u8),
    A,
    Li,
    List,
    Table,
    Tr,
    Cell,
    Br,
    Img,
    Figure,
    Figcaption,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Nav,
    Aside,
    Blockquote,
    Pre,
    Time,
    Bold,
    /// Other block-level elements (`dd`, `address`, `center`, custom elements, ...).
    Block,
    /// Other inline elements (`span`, `em`, `font`, ...).
    Inline,
}

impl Tag {
    fn from_name(name: &str) -> Option<Tag> {
        // `None` = skip the element and its subtree.
        Some(match name {
            "p" => Tag::P,
            "div" => Tag::Div,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "a" => Tag::A,
            "li" | "dt" | "dd" => Tag::Li,
            "ul" | "ol" | "dl" | "menu" => Tag::List,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" | "th" => Tag::Cell,
            "br" => Tag::Br,
            "img" => Tag::Img,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "section" => Tag::Section,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "blockquote" => Tag::Blockquote,
            "pre" => Tag::Pre,
            "time" => Tag::Time,
            "b" | "strong" => Tag::Bold,
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "object"
            | "embed" | "canvas" | "video" | "audio" | "select" | "option" | "button" | "input"
            | "textarea" | "head" | "title" | "link" | "meta" | "map" | "area" | "dialog"
            | "source" | "track" | "param" | "datalist" | "optgroup" => {
                return None;
            }
            "html" | "body" => Tag::Root,
            "tbody" | "thead" | "tfoot" | "caption" | "hr" | "address" | "center" | "details"
            | "summary" | "fieldset" | "legend" | "form" | "hgroup" | "picture" => Tag::Block,
            n if n.contains('-') => Tag::Block,
            _ => Tag::Inline,
        })
    }

    /// Block-level: starts a new line of text.
    pub(crate) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text | Tag::A | Tag::Img | Tag::Time | Tag::Bold | Tag::Inline | Tag::Br
        )
    }
}

/// Node flag: the element's own class/id/role/tag marks boilerplate (navigation, comments, share bars...).
pub(crate) const BOILER: u8 = 1;
/// Node flag: the element or an ancestor is boilerplate.
pub(crate) const IN_BOILER: u8 = 2;
/// Node flag: inside a link.
pub(crate) const IN_LINK: u8 = 4;
/// Node flag: strong positive hint (`itemprop=articleBody`, `article-body`, ...).
pub(crate) const POSITIVE: u8 = 8;

/// Node flag: the `BOILER` verdict is weak (ad-like words), lifted when the element holds prose.
pub(crate) const WEAK: u8 = 16;

/// Node flag: the `BOILER` verdict holds even when the element holds most of the prose.
pub(crate) const HARD: u8 = 32;

/// Node flag: the element's own text is right-aligned (`style="text-align:right"`,
/// `align=right`): where many newsrooms put the closing byline.
pub(crate) const RIGHT: u8 = 64;

/// One node of the compact tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub tag: Tag,
    pub flags: u8,
    /// Class/id weight (positive: content-like, negative: boilerplate-like).
    pub weight: i16,
    /// Parent index (`u32::MAX` for the root).
    pub parent: u32,
    /// One past the last node of this subtree.
    pub end: u32,
    /// Text nodes: byte range in [`Dom::text`].
    pub text: (u32, u32),
    /// Index into [`Dom::attrs`] (elements with class, id, itemprop or datetime), or `u32::MAX`.
    pub attrs: u32,
}

/// The attributes later passes look at, for the elements that have them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attrs {
    /// Lower-cased `class` and `id` joined by a space.
    pub class_id: String,
    pub itemprop: Option<String>,
    /// `datetime` (of `<time>`) or `content` (of elements with `itemprop`).
    pub datetime: Option<String>,
}

/// What the walk collects from anywhere in the page for the metadata pass.
#[derive(Debug, Default)]
pub(crate) struct Head {
    /// `<meta>` tags: (lower-cased key from `property`, `name`, `itemprop` or `http-equiv`, content).
    pub metas: Vec<(String, String)>,
    /// `<script type="application/ld+json">` bodies.
    pub json_ld: Vec<String>,
    pub title: Option<String>,
    pub lang: Option<String>,
    pub canonical: Option<String>,
}

/// The compact tree plus the collected head information.
#[derive(Debug, Default)]
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
    pub text: String,
    pub attrs: Vec<Attrs>,
    pub head: Head,
}

/// Maximum number of nodes kept; the rest of a giant page is ignored (bounded work).
const MAX_NODES: usize = 400_000;

impl Dom {
    /// Builds the compact tree from a parsed document.
    pub(crate) fn build(html: &scraper::Html) -> Dom {
        let mut dom = Dom::default();
        dom.nodes.push(Node {
            tag: Tag::Root,
            flags: 0,
            weight: 0,
            parent: u32::MAX,
            end: 0,
            text: (0, 0),
            attrs: u32::MAX,
        });
        let mut hint_cache: rustc_hash::FxHashMap<(Tag, String), Hint> =
            rustc_hash::FxHashMap::default();
        // (scraper node, arena parent, inherited flags)
        let mut stack: Vec<(NodeRef<'_, SNode>, u32, u8)> = Vec::new();
        for child in html
            .tree
            .root()
            .children()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            stack.push((child, 0, 0));
        }
        while let Some((node, parent, inherited)) = stack.pop() {
            if dom.nodes.len() >= MAX_NODES {
                break;
            }
            match node.value() {
                SNode::Text(t) => {
                    let start = dom.text.len();
                    push_collapsed(&mut dom.text, &t.text);
                    if dom.text.len() > start {
                        dom.nodes.push(Node {
                            tag: Tag::Text,
                            flags: inherited,
                            weight: 0,
                            parent,
                            end: 0,
                            text: (start as u32, dom.text.len() as u32),
                            attrs: u32::MAX,
                        });
                    }
                }
                SNode::Element(el) => {
                    let name = el.name();
                    let Some(tag) = Tag::from_name(name) else {
                        dom.collect_head(name, el, node);
                        if name == "head" {
                            // Not part of the text tree, but its <meta>s, <title> and
                            // JSON-LD are collected (and parsers may put body text here).
                            let children: Vec<_> = node.children().collect();
                            for c in children.into_iter().rev() {
                                stack.push((c, parent, inherited));
                            }
                        }
                        continue;
                    };
                    if tag == Tag::Root
                        && name == "html"
                        && let Some(l) = el.attr("lang").or_else(|| el.attr("xml:lang"))
                    {
                        dom.head.lang = Some(l.trim().to_string());
                    }
                    let mut class_id = String::new();
                    let mut itemprop = None;
                    let mut datetime = None;
                    let mut role = None;
                    let mut title_stamp = None;
                    let mut property = None;
                    let mut hidden = false;
                    let mut right = false;
                    // `<a rel="author">`, `<a href="/author/tobi/">`: the byline's name.
                    let mut author_link = false;
                    for (k, v) in el.attrs() {
                        match k {
                            "class" => {
                                for name in v.split_ascii_whitespace().filter(|n| !is_taxonomy(n)) {
                                    if !class_id.is_empty() {
                                        class_id.push(' ');
                                    }
                                    push_lower(&mut class_id, name);
                                }
                            }
                            "id" => {
                                if !class_id.is_empty() {
                                    class_id.push(' ');
                                }
                                push_lower(&mut class_id, v);
                            }
                            "itemprop" => itemprop = Some(v.trim().to_string()),
                            "datetime" | "content" => datetime = Some(v.trim().to_string()),
                            // `<abbr class="published" title="2018-06-05T08:00:00">`.
                            "title" if looks_iso(v) => title_stamp = Some(v.trim().to_string()),
                            // RDFa: `<span property="schema:dateCreated" content="...">`.
                            "property" => property = v.trim().strip_prefix("schema:"),
                            "rel" if name == "a" => {
                                author_link |= v.split_ascii_whitespace().any(|r| r == "author")
                            }
                            "href" if name == "a" => {
                                author_link |= ["/author/", "/autor/", "/autoren/", "/tac-gia/"]
                                    .iter()
                                    .any(|p| v.contains(p))
                            }
                            "role" => role = Some(v),
                            "hidden" => hidden = true,
                            "aria-hidden" => hidden |= v.trim() == "true",
                            "style" => {
                                let (hides, aligns_right) = style_flags(v);
                                hidden |= hides;
                                right |= aligns_right;
                            }
                            "align" => right |= v.trim().eq_ignore_ascii_case("right"),
                            _ => {}
                        }
                    }
                    if itemprop.is_none() {
                        itemprop = property.map(str::to_string);
                    }
                    if itemprop.is_none() && author_link {
                        itemprop = Some("author".to_string());
                    }
                    if datetime.is_none() {
                        datetime = title_stamp;
                    }
                    // React streams server-rendered content in `<div hidden id="S:1">`.
                    let react_chunk = || el.attr("id").is_some_and(|id| id.starts_with("S:"));
                    if hidden && tag != Tag::Root && !react_chunk() {
                        continue;
                    }
                    let hint = if tag == Tag::Root {
                        Hint::default()
                    } else if role.is_none() && itemprop.is_none() {
                        // Pages repeat the same classes on many elements: judged once.
                        let key = (tag, std::mem::take(&mut class_id));
                        let h = match hint_cache.get(&key) {
                            Some(h) => *h,
                            None => {
                                let h = hints::classify(tag, &key.1, None, None);
                                hint_cache.insert(key.clone(), h);
                                h
                            }
                        };
                        class_id = key.1;
                        h
                    } else {
                        hints::classify(tag, &class_id, role, itemprop.as_deref())
                    };
                    let mut flags = inherited & (IN_BOILER | IN_LINK);
                    if hint.boiler {
                        flags |= BOILER | IN_BOILER;
                    }
                    if hint.boiler && hint.weak {
                        flags |= WEAK;
                    }
                    if hint.boiler && hint.hard {
                        flags |= HARD;
                    }
                    if hint.positive {
                        flags |= POSITIVE;
                    }
                    if tag == Tag::A {
                        flags |= IN_LINK;
                    }
                    if right {
                        flags |= RIGHT;
                    }
                    let attrs = if class_id.is_empty() && itemprop.is_none() && datetime.is_none() {
                        u32::MAX
                    } else {
                        dom.attrs.push(Attrs {
                            class_id,
                            itemprop,
                            datetime,
                        });
                        (dom.attrs.len() - 1) as u32
                    };
                    let idx = dom.nodes.len() as u32;
                    dom.nodes.push(Node {
                        tag,
                        flags,
                        weight: hint.weight,
                        parent,
                        end: 0,
                        text: (0, 0),
                        attrs,
                    });
                    let child_flags = flags & (IN_BOILER | IN_LINK);
                    for c in node.children().rev() {
                        stack.push((c, idx, child_flags));
                    }
                }
                _ => {}
            }
        }
        // Subtree ends: sizes summed bottom-up (children come after their parent).
        let n = dom.nodes.len();
        let mut size = vec![1u32; n];
        for i in (1..n).rev() {
            let p = dom.nodes[i].parent as usize;
            size[p] += size[i];
        }
        for (i, node) in dom.nodes.iter_mut().enumerate() {
            node.end = i as u32 + size[i];
        }
        dom
    }

    /// Collects head information from an element the tree leaves out.
    fn collect_head(&mut self, name: &str, el: &scraper::node::Element, node: NodeRef<'_, SNode>) {
        match name {
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .or_else(|| el.attr("http-equiv"));
                if let (Some(k), Some(v)) = (key, el.attr("content"))
                    && self.head.metas.len() < 500
                {
                    self.head
                        .metas
                        .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or("");
                if rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && self.head.canonical.is_none()
                {
                    self.head.canonical = el.attr("href").map(|h| h.trim().to_string());
                }
            }
            "script" => {
                let ty = el.attr("type").unwrap_or("");
                if ty.trim().eq_ignore_ascii_case("application/ld+json")
                    && self.head.json_ld.len() < 50
                {
                    let s: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| &**t))
                        .collect();
                    self.head.json_ld.push(s);
                }
            }
            "title" if self.head.title.is_none() => {
                let mut s = String::new();
                for c in node.children() {
                    if let Some(t) = c.value().as_text() {
                        push_collapsed(&mut s, &t.text);
                    }
                }
                let s = s.trim();
                if !s.is_empty() {
                    self.head.title = Some(s.to_string());
                }
            }
            _ => {}
        }
    }

    /// The text of a text node.
    pub(crate) fn node_text(&self, i: usize) -> &str {
        let (s, e) = self.nodes[i].text;
        &self.text[s as usize..e as usize]
    }

    /// The attributes of element `i`, if it has any of interest.
    pub(crate) fn attrs(&self, i: usize) -> Option<&Attrs> {
        self.attrs.get(self.nodes[i].attrs as usize)
    }

    /// Lower-cased class and id of element `i` (empty when none).
    pub(crate) fn class_id(&self, i: usize) -> &str {
        self.attrs(i).map(|a| a.class_id.as_str()).unwrap_or("")
    }

    /// The whitespace-collapsed text of the subtree of `i`, lines split at blocks and `<br>`.
    pub(crate) fn subtree_text(&self, i: usize) -> String {
        let mut out = String::new();
        for j in i..self.nodes[i].end as usize {
            let n = &self.nodes[j];
            match n.tag {
                Tag::Text => out.push_str(self.node_text(j)),
                Tag::Br => out.push(' '),
                t if t.is_block() => out.push(' '),
                _ => {}
            }
        }
        collapse_spaces(&out)
    }
}

/// A class name that labels the post's taxonomy terms rather than the element's role
/// (WordPress writes `tag-social-media category-sharing-tips` on the article itself):
/// its words say nothing about the element.
fn is_taxonomy(name: &str) -> bool {
    let b = name.as_bytes();
    let prefixed = |p: &[u8]| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    prefixed(b"tag-") || prefixed(b"category-") || prefixed(b"post_tag-")
}

/// A machine date stamp (`2018-06-05...`), as some pages put in `title` attributes.
fn looks_iso(v: &str) -> bool {
    let b = v.trim().as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
}

/// What an inline style says: (hides the element, right-aligns its text). The style is
/// read once, without whitespace and in lower case.
fn style_flags(style: &str) -> (bool, bool) {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (
        s.contains("display:none") || s.contains("visibility:hidden"),
        s.contains("text-align:right"),
    )
}

/// Appends `t` with runs of whitespace (also no-break and zero-width spaces) collapsed
/// to one space and invisible characters dropped.
pub(crate) fn push_collapsed(out: &mut String, t: &str) {
    let mut space = out.ends_with(' ');
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Runs of printable ASCII are copied whole (most text is).
        let run = b[i..]
            .iter()
            .position(|&c| !(0x21..0x7f).contains(&c))
            .unwrap_or(b.len() - i);
        if run > 0 {
            out.push_str(&t[i..i + run]);
            space = false;
            i += run;
            continue;
        }
        // The other ASCII bytes: whitespace (as `char::is_whitespace` has it) or controls.
        let c = b[i];
        if c.is_ascii() {
            if matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') && !space {
                out.push(' ');
                space = true;
            }
            i += 1;
            continue;
        }
        let Some(c) = t[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match c {
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{00ad}' | '\u{2060}' => {}
            c if c.is_whitespace() => {
                if !space {
                    out.push(' ');
                    space = true;
                }
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                space = false;
            }
        }
    }
}

/// Appends `s` lower-cased (ASCII letters only).
fn push_lower(out: &mut String, s: &str) {
    let start = out.len();
    out.push_str(s);
    out[start..].make_ascii_lowercase();
}

/// Collapses whitespace runs to one space and trims.
pub(crate) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsing_copies_ascii_runs_and_drops_controls_and_invisibles() {
        let mut out = String::from("a ");
        push_collapsed(&mut out, "  Giá\u{200b} vàng\t\n giảm\u{7}  3%\u{a0}x ");
        assert_eq!(out, "a Giá vàng giảm 3% x ");
        let mut out = String::new();
        push_collapsed(&mut out, "\x0b\x0ca\r\n\x7f\x01b\u{2028}\u{85}c");
        assert_eq!(out, " a b c");
        assert_eq!(collapse_spaces("\n  ab\r\ncd  "), "ab cd");
        let mut c = String::from("x");
        push_lower(&mut c, "Post-Date ÄB");
        assert_eq!(c, "xpost-date Äb");
    }

    #[test]
    fn builds_preorder_with_subtree_ends_and_skips_scripts() {
        let html = scraper::Html::parse_document(
            "<html lang=vi><head><title> Tiêu đề </title><meta property='og:title' content='OG'>\
             <script type='application/ld+json'>{\"a\":1}</script></head>\
             <body><div class='content'><p>Một  hai&nbsp; ba</p><script>x()</script>\
             <p style='display: none'>ẩn</p></div></body></html>",
        );
        let dom = Dom::build(&html);
        assert_eq!(dom.head.title.as_deref(), Some("Tiêu đề"));
        assert_eq!(dom.head.lang.as_deref(), Some("vi"));
        assert_eq!(dom.head.metas, vec![("og:title".into(), "OG".into())]);
        assert_eq!(dom.head.json_ld, vec!["{\"a\":1}".to_string()]);
        assert_eq!(dom.subtree_text(0), "Một hai ba");
        assert_eq!(dom.nodes[0].end as usize, dom.nodes.len());
        for (i, n) in dom.nodes.iter().enumerate().skip(1) {
            let p = &dom.nodes[n.parent as usize];
            assert!((n.parent as usize) < i && n.end <= p.end);
        }
    }

    #[test]
    fn inline_styles_that_hide_or_right_align() {
        assert_eq!(style_flags("DISPLAY : none; color:red"), (true, false));
        assert_eq!(style_flags("visibility:\thidden"), (true, false));
        assert_eq!(style_flags("text-align: Right"), (false, true));
        assert_eq!(style_flags("display:block;text-align:left"), (false, false));
    }

    #[test]
    fn taxonomy_classes_are_ignored() {
        let html = scraper::Html::parse_document(
            "<body><article class='post tag-social-media category-share-tips hentry'><p>x</p></article></body>",
        );
        let dom = Dom::build(&html);
        let art = dom
            .nodes
            .iter()
            .position(|n| n.tag == Tag::Article)
            .unwrap();
        assert_eq!(dom.class_id(art), "post hentry");
        assert_eq!(dom.nodes[art].flags & BOILER, 0);
        assert!(is_taxonomy("tag-x") && !is_taxonomy("tag") && !is_taxonomy("tags-list"));
    }
}
